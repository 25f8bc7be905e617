//! The REPL (SPEC §8): a UI-free `Session` and its terminal front end.
