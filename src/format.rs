//! The formatter: a [`crate::syntax::Program`] and its comments back to
//! canonical text (`wf fmt`).
