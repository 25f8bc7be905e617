//! The front end: `.wf` text → [`Program`].
//!
//! [`parse`] checks the limits that keep the parser safe on hostile input
//! (see `docs/limits.md`), runs the pest parser (`parser.rs`, the only module
//! that names pest's `Rule`) and lowers its pairs to the typed AST
//! (`ast.rs`, `lower.rs`), which refuses conditions deeper than
//! [`MAX_CONDITION_DEPTH`]. A failure is one E0001 [`Diagnostic`] at the
//! offending token. [`reparse`] parses a script again after an edit,
//! keeping the items the edit did not touch. The logos lexer (`lexer.rs`) serves the REPL and the
//! formatter; [`is_incomplete`] tells the REPL when to read another line.
//!
//! Invariants: parsing never panics and never recurses deeper than the
//! limits allow, whatever the text; every span of the AST ends at the last
//! token of its node (no trailing white space or comments).

pub mod ast;
pub mod lexer;
mod lower;
mod parser;
mod reparse;

pub use ast::Program;
pub use reparse::{Edit, reparse};

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
    let item_starts = check_limits(file, text)?;
    parse_whole(file, text, &item_starts)
}

/// Parses a script whose limits were checked and whose item starts are
/// `item_starts`.
fn parse_whole(file: FileId, text: &str, item_starts: &[usize]) -> Result<Program, Diagnostic> {
    if let Some(program) = parse_in_parts(file, text, item_starts) {
        return Ok(program);
    }
    let pairs = parser::parse_pairs(file, text)?;
    lower::program(file, 0, pairs)
}

/// Scripts at least this long are parsed in parts, one per core.
const PARTS_FROM_BYTES: usize = 256 * 1024;

/// The most parts a script is parsed in.
const MAX_PARTS: usize = 8;

/// The stack each part's thread gets: the main thread's usual 8 MiB, so
/// that the nesting limits hold with the same margin.
const PART_STACK: usize = 8 * 1024 * 1024;

/// A long script parsed as consecutive parts on several threads, cut where
/// an item starts at the beginning of a line outside any block; `None`
/// when the script is short, there is one core, or any part fails — the
/// caller then parses the whole text, so that a syntax error is reported
/// exactly as for one part.
///
/// A part that parses on its own parses the same way inside the whole
/// script: items are independent, an item can only continue with `,` or
/// inside its block, and the line break before the cut looks the same to
/// every lookahead as the part's end does. The items are joined in order,
/// so the program is the same whatever the number of threads.
fn parse_in_parts(file: FileId, text: &str, item_starts: &[usize]) -> Option<Program> {
    if text.len() < PARTS_FROM_BYTES {
        return None;
    }
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let parts = cores.min(MAX_PARTS);
    if parts < 2 {
        return None;
    }
    let mut cuts = vec![0];
    for k in 1..parts {
        let goal = text.len() / parts * k;
        let next = item_starts.get(item_starts.partition_point(|&s| s < goal));
        if let Some(&cut) = next
            && cuts.last().is_some_and(|&last| cut > last)
        {
            cuts.push(cut);
        }
    }
    cuts.push(text.len());
    let pieces: Vec<(usize, &str)> = cuts
        .windows(2)
        .filter_map(|w| match w {
            [from, to] => Some((*from, text.get(*from..*to)?)),
            _ => None,
        })
        .collect();
    let (first, rest) = pieces.split_first()?;
    let programs: Vec<Option<Program>> = std::thread::scope(|scope| {
        let handles: Vec<_> = rest
            .iter()
            .map(|&(base, piece)| {
                std::thread::Builder::new()
                    .stack_size(PART_STACK)
                    .spawn_scoped(scope, move || parse_part(file, base, piece))
            })
            .collect();
        let mut programs = vec![parse_part(file, first.0, first.1)];
        for (handle, &(base, piece)) in handles.into_iter().zip(rest) {
            programs.push(match handle {
                Ok(h) => h.join().ok().flatten(),
                // No thread to be had: parse this part here.
                Err(_) => parse_part(file, base, piece),
            });
        }
        programs
    });
    let mut items = Vec::new();
    for program in programs {
        items.extend(program?.items);
    }
    Some(Program { items })
}

/// One part of a script, starting at byte `base`; `None` if it does not
/// parse on its own.
fn parse_part(file: FileId, base: usize, piece: &str) -> Option<Program> {
    let pairs = parser::parse_pairs(file, piece).ok()?;
    lower::program(file, base, pairs).ok()
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
/// Returns where the items that may be parsed apart start: a `when` or
/// `workflow` at the beginning of a line, outside any block.
fn check_limits(file: FileId, text: &str) -> Result<Vec<usize>, Diagnostic> {
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
    let mut braces = 0usize;
    let mut item_starts = Vec::new();
    for (token, span) in lexer::tokens(text) {
        if token == lexer::Token::Keyword
            && braces == 0
            && (span.start == 0 || text.as_bytes().get(span.start - 1) == Some(&b'\n'))
            && matches!(text.get(span.range()), Some("when" | "workflow"))
        {
            item_starts.push(span.start);
        }
        if token != lexer::Token::Punct {
            continue;
        }
        match text.get(span.range()) {
            Some("{") => braces += 1,
            Some("}") => braces = braces.saturating_sub(1),
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
    Ok(item_starts)
}

#[cfg(test)]
mod tests;
