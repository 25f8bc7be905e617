//! Whether a piece of REPL input is finished.
//!
//! Takes the text typed so far (possibly several lines) and says whether it
//! is ready to be handled or needs another line: an open `{`, `(` or `[`, or
//! a `.wf` item that the parser rejects only because the text ends too
//! early (`when form_submitted("x")` with no `then` yet), needs more. A
//! command (`:…`) is always one line. Used both by the session (line by
//! line, non-interactive) and by the terminal's rustyline `Validator`.

use crate::source::FileId;
use crate::syntax::{self, lexer};

/// Whether the input is finished.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Completeness {
    /// Ready to be handled (it may still be wrong: the error is shown then).
    Complete,
    /// An unfinished item: read another line.
    Incomplete,
}

/// Says whether `text` is a finished input. A blank last line ends an
/// unfinished rule (so that a stuck item can be abandoned and its error
/// seen), but not an open workflow block, whose rules may be separated by
/// blank lines.
pub fn completeness(text: &str) -> Completeness {
    let trimmed = text.trim();
    if trimmed.is_empty() || trimmed.starts_with(':') {
        return Completeness::Complete;
    }
    if open_brackets(text) > 0 {
        return Completeness::Incomplete;
    }
    if blank_last_line(text) {
        return Completeness::Complete;
    }
    match syntax::parse(FileId(0), text) {
        Ok(_) => Completeness::Complete,
        Err(d) => {
            let rest = text.get(d.span.start..).unwrap_or("");
            if rest.trim().is_empty() {
                Completeness::Incomplete
            } else {
                Completeness::Complete
            }
        }
    }
}

/// Whether the text has several lines (joined by `\n`) and the last one
/// is blank.
fn blank_last_line(text: &str) -> bool {
    match text.rsplit_once('\n') {
        Some((_, last)) => last.trim().is_empty(),
        None => false,
    }
}

/// How many `{`, `(` and `[` are still open (never negative), ignoring
/// brackets in strings and comments.
pub fn open_brackets(text: &str) -> usize {
    let mut depth = 0usize;
    for (token, span) in lexer::tokenize(text) {
        if token != lexer::Token::Punct {
            continue;
        }
        match text.get(span.range()) {
            Some("{" | "(" | "[") => depth += 1,
            Some("}" | ")" | "]") => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    depth
}

/// What to show, dimmed, on an empty continuation line of an unfinished
/// item being edited (the terminal has no prompt there): `None` elsewhere.
pub fn continuation_hint(text: &str, pos: usize) -> Option<&'static str> {
    let (_, last) = text.rsplit_once('\n')?;
    if pos != text.len() || !last.trim().is_empty() {
        return None;
    }
    if open_brackets(text) > 0 {
        Some("..  the block continues; close it with `}`")
    } else {
        Some("..  the rule continues; an empty line abandons it")
    }
}
