//! Whether a piece of REPL input is finished.
//!
//! Takes the text typed so far (possibly several lines) and says whether it
//! is ready to be handled or needs another line: an open `{`, `(` or `[`, or
//! a `.wf` item that the parser rejects only because the text ends too
//! early (`when form_submitted("x")` with no `then` yet), needs more. A
//! command (`:…`) is always one line. Used both by the session (line by
//! line, through [`Pending`]) and by the terminal's rustyline `Validator`.
//!
//! No token spans two lines (a string and a comment end at the line's
//! end), so the brackets open after a line follow from those open before
//! it and the line alone: [`Pending`] keeps that count as lines arrive and
//! asks the parser only when every bracket is closed, so reading a block
//! of N lines costs time in proportion to N, not N².

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
    completeness_with(text, open_brackets(text))
}

/// [`completeness`] when the number of brackets open at the end of `text`
/// is already known.
fn completeness_with(text: &str, open: usize) -> Completeness {
    let trimmed = text.trim();
    if trimmed.is_empty() || trimmed.starts_with(':') {
        return Completeness::Complete;
    }
    if open > 0 {
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
    open_after(0, text)
}

/// How many brackets are open after `text` when `depth` were open before
/// it (a closing bracket with none open is ignored).
fn open_after(depth: usize, text: &str) -> usize {
    let mut depth = depth;
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

/// An unfinished item read line by line: its text so far and the brackets
/// open at its end (see the module header).
#[derive(Debug, Clone, Default)]
pub struct Pending {
    text: String,
    open: usize,
}

impl Pending {
    /// Adds a line (without its line break) and says whether the item is
    /// now finished; [`Pending::take`] then gives it.
    pub fn push_line(&mut self, line: &str) -> Completeness {
        if !self.text.is_empty() {
            self.text.push('\n');
        }
        self.text.push_str(line);
        self.open = open_after(self.open, line);
        completeness_with(&self.text, self.open)
    }

    /// The text so far; the pending item is empty afterwards.
    pub fn take(&mut self) -> String {
        self.open = 0;
        std::mem::take(&mut self.text)
    }

    /// Whether no line is waiting.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }
}
