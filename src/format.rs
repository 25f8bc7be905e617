//! The formatter: `.wf` text or a [`Program`] back to canonical text
//! (`wf fmt`, the REPL's `:save`).
//!
//! [`format_source`] parses a script, recovers its comments with the logos
//! lexer (the parser drops them) and prints the program in the canonical
//! layout of `docs/language.md`, each comment beside the item, setting, rule
//! or clause it precedes or trails. [`format_program`] prints a program
//! alone, without comments.
//!
//! Invariants (tested, including by proptest): formatting is idempotent,
//! `parse(format(p)) == p` (spans aside), and every comment of the input is
//! in the output, in the same order.

mod comments;
mod printer;

use crate::diagnostic::Diagnostic;
use crate::source::FileId;
use crate::syntax::{self, Program};

/// The column a rule may reach and still be written on one line.
pub const MAX_WIDTH: usize = 80;

/// Formats a script: the canonical layout with every comment kept. A
/// script that does not parse gives its E0001 diagnostic.
pub fn format_source(file: FileId, text: &str) -> Result<String, Diagnostic> {
    let program = syntax::parse(file, text)?;
    let source = comments::SourceText::new(text);
    Ok(printer::Printer::new(source).program(&program))
}

/// Formats a program without comments (the REPL's `:save`).
pub fn format_program(program: &Program) -> String {
    printer::Printer::new(comments::SourceText::empty()).program(program)
}

#[cfg(test)]
mod tests;
