//! The front end: `.wf` text → [`Program`].
//!
//! [`parse`] checks the limits that keep the parser safe on hostile input
//! (see `docs/limits.md`), runs the pest parser (`parser.rs`, the only module
//! that names pest's `Rule`) and lowers its pairs to the typed AST
//! (`ast.rs`, `lower.rs`), which refuses conditions deeper than
//! [`MAX_CONDITION_DEPTH`]. A failure is one E0001 [`Diagnostic`] at the
//! offending token. The logos lexer (`lexer.rs`) serves the REPL and the
//! formatter; [`is_incomplete`] tells the REPL when to read another line.
//!
//! Invariants: parsing never panics and never recurses deeper than the
//! limits allow, whatever the text; every span of the AST ends at the last
//! token of its node (no trailing white space or comments).

pub mod ast;
pub mod lexer;
mod lower;
mod parser;

pub use ast::Program;

use crate::diagnostic::{Code, Diagnostic};
use crate::source::FileId;
use crate::span::Span;

/// The deepest nesting of parentheses a condition may have.
pub const MAX_NESTING: usize = 64;

/// The deepest a condition may nest, counting each `not`, each pair of
/// parentheses and each chain of `and`/`or` (however long) as one level.
pub const MAX_CONDITION_DEPTH: usize = 256;

/// The most tests one chain of `and`/`or` may join, and the deepest the
/// condition's tree may be in total (a chain of N tests is N deep in the
/// tree). Every recursion over conditions (printing, checking, evaluating)
/// is bounded by it.
pub const MAX_CONDITION_CHAIN: usize = 1024;

/// The largest script, in bytes.
pub const MAX_SCRIPT_BYTES: usize = 8 * 1024 * 1024;

/// Parses one script.
pub fn parse(file: FileId, text: &str) -> Result<Program, Diagnostic> {
    check_limits(file, text)?;
    let pairs = parser::parse_pairs(file, text)?;
    lower::program(file, pairs)
}

/// Whether `text` does not parse only because it stops too early (an open
/// workflow block, a rule without its `then` …): more lines could complete
/// it. A wrong token, a malformed string or a limit is not incomplete. The
/// REPL uses this to keep reading an unfinished item.
pub fn is_incomplete(text: &str) -> bool {
    match parse(FileId::default(), text) {
        Ok(_) => false,
        Err(d) => d.span.start >= text.trim_end().len(),
    }
}

/// Rejects input the parser should not be asked to handle: oversized files
/// and nesting deeper than [`MAX_NESTING`] (which would recurse deeply).
fn check_limits(file: FileId, text: &str) -> Result<(), Diagnostic> {
    if text.len() > MAX_SCRIPT_BYTES {
        return Err(Diagnostic::new(
            Code::E0001,
            file,
            Span::new(0, 0),
            format!(
                "script is too large ({} bytes; the limit is {MAX_SCRIPT_BYTES})",
                text.len()
            ),
        ));
    }
    let mut depth = 0usize;
    for (token, span) in lexer::tokens(text) {
        if token != lexer::Token::Punct {
            continue;
        }
        match text.get(span.range()) {
            Some("(") => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Err(Diagnostic::new(
                        Code::E0001,
                        file,
                        span,
                        format!("parentheses nested too deeply (the limit is {MAX_NESTING})"),
                    )
                    .with_help("split the condition into simpler parts"));
                }
            }
            Some(")") => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
