//! Integration tests: repl.
