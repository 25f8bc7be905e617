//! The deterministic runtime (SPEC §5, §6): events in, decision records out.
