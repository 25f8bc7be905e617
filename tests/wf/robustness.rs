//! Integration tests: robustness.
