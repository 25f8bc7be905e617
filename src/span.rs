//! Byte spans into a source text.
//!
//! A [`Span`] is a half-open byte range `start..end` into one file's text, as
//! pest and logos report them. Spans are kept beside AST nodes but are *not*
//! part of their meaning: every `Span` compares equal to every other, so two
//! programs that differ only in layout are equal (`parse(fmt(p)) == p`).
//! Code that needs to order or compare positions uses the fields directly.

use serde::Serialize;
use std::fmt;

/// A half-open byte range `start..end` into one source text.
#[derive(Clone, Copy, Default, Serialize)]
pub struct Span {
    /// First byte of the range.
    pub start: usize,
    /// One past the last byte of the range.
    pub end: usize,
}

impl Span {
    /// The span `start..end`.
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// The smallest span that covers both `self` and `other`.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    /// The byte range, for slicing the source text.
    pub fn range(self) -> std::ops::Range<usize> {
        self.start..self.end
    }
}

/// Spans never take part in equality: see the module header.
impl PartialEq for Span {
    fn eq(&self, _other: &Span) -> bool {
        true
    }
}

impl Eq for Span {}

impl fmt::Debug for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

impl From<pest::Span<'_>> for Span {
    fn from(span: pest::Span<'_>) -> Self {
        Span::new(span.start(), span.end())
    }
}
