//! An open `.wf` document: its text, the conversions between the
//! protocol's positions (line, UTF-16 code unit) and byte offsets, and the
//! checker's findings last published for it.
//!
//! Invariant: every conversion is total. A position past the end of a line
//! or of the text is clamped, never a panic.

use crate::diagnostic::Diagnostic as Finding;
use crate::syntax::{Edit, Program};
use line_index::{LineCol, LineIndex, TextSize, WideEncoding, WideLineCol};
use lsp_types::{Position, Range, TextDocumentContentChangeEvent};

/// The program of the text as it was last checked, and the one edit that
/// covers the changes since (none: the text is that text).
pub struct Parsed {
    /// The program.
    pub program: Program,
    /// The changes since, as one edit.
    pub since: Option<Edit>,
}

/// The text of an open document, its line table and its findings.
pub struct Document {
    /// The current text.
    pub text: String,
    lines: LineIndex,
    /// The checker's findings on the current text; `None` from a change
    /// until the text is checked.
    pub checked: Option<Vec<Finding>>,
    /// The last checked text's program, when it parsed: the next check
    /// parses only what changed (`syntax::reparse`).
    pub parsed: Option<Parsed>,
}

impl Document {
    /// A document holding `text`.
    pub fn new(text: String) -> Self {
        let lines = LineIndex::new(&text);
        Document {
            text,
            lines,
            checked: None,
            parsed: None,
        }
    }

    /// Applies the client's changes in order (a whole-text change, or a
    /// range replaced by new text).
    pub fn apply(&mut self, changes: Vec<TextDocumentContentChangeEvent>) {
        for change in changes {
            match change.range {
                None => {
                    self.text = change.text;
                    self.parsed = None;
                }
                Some(range) => {
                    let start = self.offset(range.start);
                    let end = self.offset(range.end).max(start);
                    self.text.replace_range(start..end, &change.text);
                    let edit = Edit {
                        old: start..end,
                        new_len: change.text.len(),
                    };
                    if let Some(parsed) = &mut self.parsed {
                        parsed.since = Some(match parsed.since.take() {
                            Some(before) => before.then(&edit),
                            None => edit,
                        });
                    }
                }
            }
            self.lines = LineIndex::new(&self.text);
        }
        self.checked = None;
    }

    /// The byte offset of a protocol position, clamped to the text: a
    /// column past the end of its line stops at the line's end, a line past
    /// the last at the end of the text, a column inside a character at its
    /// start.
    pub fn offset(&self, pos: Position) -> usize {
        let line_start = self
            .lines
            .offset(LineCol {
                line: pos.line,
                col: 0,
            })
            .map_or(self.text.len(), usize::from)
            .min(self.text.len());
        let line_end = self
            .text
            .get(line_start..)
            .and_then(|rest| rest.find('\n'))
            .map_or(self.text.len(), |i| line_start + i);
        let wide = WideLineCol {
            line: pos.line,
            col: pos.character,
        };
        let col = self
            .lines
            .to_utf8(WideEncoding::Utf16, wide)
            .map_or(pos.character as usize, |lc| lc.col as usize);
        let mut offset = line_start.saturating_add(col).min(line_end);
        while offset > 0 && !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }

    /// The protocol position of a byte offset, clamped to the text.
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while offset > 0 && !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let size = TextSize::try_from(offset).unwrap_or_default();
        let line_col = self.lines.line_col(size);
        let wide = self
            .lines
            .to_wide(WideEncoding::Utf16, line_col)
            .unwrap_or(WideLineCol {
                line: line_col.line,
                col: line_col.col,
            });
        Position::new(wide.line, wide.col)
    }

    /// The protocol range of a byte range.
    pub fn range(&self, span: std::ops::Range<usize>) -> Range {
        Range::new(self.position(span.start), self.position(span.end))
    }

    /// The range of the whole text.
    pub fn whole(&self) -> Range {
        self.range(0..self.text.len())
    }
}
