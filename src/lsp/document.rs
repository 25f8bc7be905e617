//! An open `.wf` document: its text and the conversions between the
//! protocol's positions (line, UTF-16 code unit) and byte offsets.
//!
//! Invariant: every conversion is total. A position past the end of a line
//! or of the text is clamped, never a panic.

use line_index::{LineCol, LineIndex, TextSize, WideEncoding, WideLineCol};
use lsp_types::{Position, Range, TextDocumentContentChangeEvent};

/// The text of an open document and its line table.
pub struct Document {
    /// The current text.
    pub text: String,
    lines: LineIndex,
}

impl Document {
    /// A document holding `text`.
    pub fn new(text: String) -> Self {
        let lines = LineIndex::new(&text);
        Document { text, lines }
    }

    /// Applies the client's changes in order (a whole-text change, or a
    /// range replaced by new text).
    pub fn apply(&mut self, changes: Vec<TextDocumentContentChangeEvent>) {
        for change in changes {
            match change.range {
                None => self.text = change.text,
                Some(range) => {
                    let start = self.offset(range.start);
                    let end = self.offset(range.end).max(start);
                    self.text.replace_range(start..end, &change.text);
                }
            }
            self.lines = LineIndex::new(&self.text);
        }
    }

    /// The byte offset of a protocol position, clamped to the text.
    pub fn offset(&self, pos: Position) -> usize {
        let wide = WideLineCol {
            line: pos.line,
            col: pos.character,
        };
        let line_col = self
            .lines
            .to_utf8(WideEncoding::Utf16, wide)
            .unwrap_or(LineCol {
                line: pos.line,
                col: 0,
            });
        let offset = self
            .lines
            .offset(line_col)
            .map_or(self.text.len(), usize::from);
        let offset = offset.min(self.text.len());
        // A column past the end of its line stops at the line's end.
        let line_end = self
            .text
            .get(offset..)
            .and_then(|rest| rest.find('\n'))
            .map_or(self.text.len(), |i| offset + i);
        let mut offset = offset.min(line_end);
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
