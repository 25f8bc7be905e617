//! The comments of a script and the facts about its layout that the
//! printer needs: where tokens are, and where blank lines were.
//!
//! Takes the original text; gives its comments in source order (consumed
//! front to back by the printer) and position queries. With no text (a
//! program printed on its own) every query answers "nothing there".

use crate::syntax::lexer::{self, Token};
use std::collections::VecDeque;

/// One `#` comment: its byte range and its text without trailing spaces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    /// The byte offset of the `#`.
    pub start: usize,
    /// One past the last byte of the comment.
    pub end: usize,
    /// The comment as written, trailing white space removed.
    pub text: String,
}

/// A script's text, its comments not yet printed, and its other tokens.
pub struct SourceText<'a> {
    text: &'a str,
    pending: VecDeque<Comment>,
    /// Start and end of every token that is not a comment, in order.
    tokens: Vec<(usize, usize)>,
}

impl<'a> SourceText<'a> {
    /// Lexes `text` for its comments and token positions.
    pub fn new(text: &'a str) -> Self {
        let mut pending = VecDeque::new();
        let mut tokens = Vec::new();
        for (token, span) in lexer::tokenize(text) {
            if token == Token::Comment {
                let raw = text.get(span.range()).unwrap_or("");
                pending.push_back(Comment {
                    start: span.start,
                    end: span.end,
                    text: raw.trim_end().to_owned(),
                });
            } else {
                tokens.push((span.start, span.end));
            }
        }
        SourceText {
            text,
            pending,
            tokens,
        }
    }

    /// No text: no comments, no tokens.
    pub fn empty() -> Self {
        SourceText {
            text: "",
            pending: VecDeque::new(),
            tokens: Vec::new(),
        }
    }

    /// Whether there is no source text ([`SourceText::empty`]): the layout's
    /// default blank lines are used instead of the source's.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Takes every pending comment that starts before `pos`.
    pub fn take_before(&mut self, pos: usize) -> Vec<Comment> {
        let mut out = Vec::new();
        while self.pending.front().is_some_and(|c| c.start < pos) {
            if let Some(c) = self.pending.pop_front() {
                out.push(c);
            }
        }
        out
    }

    /// Takes the next comment if it follows `pos` on the same line with only
    /// spaces between: a trailing comment.
    pub fn take_trailing(&mut self, pos: usize) -> Option<Comment> {
        let next = self.pending.front()?;
        let gap = self.text.get(pos..next.start)?;
        if gap.chars().all(|c| c == ' ' || c == '\t') {
            self.pending.pop_front()
        } else {
            None
        }
    }

    /// Whether the source has a blank line between the offsets `from` and
    /// `to` (which enclose only white space).
    pub fn blank_between(&self, from: usize, to: usize) -> bool {
        self.text
            .get(from..to)
            .is_some_and(|gap| gap.matches('\n').count() >= 2)
    }

    /// The start of the last token that ends at or before `pos`.
    pub fn token_before(&self, pos: usize) -> Option<usize> {
        let n = self.tokens.partition_point(|&(_, end)| end <= pos);
        n.checked_sub(1)
            .and_then(|i| self.tokens.get(i))
            .map(|&(start, _)| start)
    }

    /// The end of the first token that starts at or after `pos`.
    pub fn token_end_after(&self, pos: usize) -> Option<usize> {
        let n = self.tokens.partition_point(|&(start, _)| start < pos);
        self.tokens.get(n).map(|&(_, end)| end)
    }
}
