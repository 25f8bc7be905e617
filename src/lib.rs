//! `wf`: a workflow language and deterministic rules engine for CRM
//! sequence enrollment.
//!
//! The pipeline, one module per phase:
//!
//! ```text
//! .wf text ──syntax::parse──▶ Program ──check::check──▶ diagnostics
//!                                │            ▲
//!                                │       account::load
//!                                ▼
//!                 events ──runtime──▶ trace records
//! ```
//!
//! `span` and `source` say where things are (and `source` reads every
//! input file), `diagnostic` reports problems, `format` prints programs
//! back, `atomic` writes files all or nothing, `cli` and `repl` are the
//! front ends.

// Tests may unwrap and index: a panic there is a failed test. Library code
// itself is held to the `[lints]` of Cargo.toml.
#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

// The pest parser is built without its `std` feature (see Cargo.toml), and
// its generated code then names the `alloc` crate.
extern crate alloc;

pub mod account;
pub mod atomic;
pub mod check;
pub mod cli;
pub mod crm;
pub mod diagnostic;
pub mod diff;
pub mod format;
pub mod lsp;
pub mod project;
pub mod repl;
pub mod report;
pub mod runtime;
pub mod source;
pub mod span;
pub mod syntax;
pub mod testing;
pub mod triggers;
pub mod value;
