//! The integration tests: one binary, one module per phase, fixtures under
//! `tests/fixtures/<phase>/`.

// A panic in a test is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

mod check;
mod cli;
mod repl;
mod robustness;
mod runtime;
mod syntax;
