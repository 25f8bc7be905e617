//! What is wrong with an event line, and where on the line.
//!
//! A [`Problem`] is found where the line's text may already be gone (a
//! reference is checked on the engine's thread, long after the line was
//! parsed), so it names its place as a part of the line — a field's key or
//! value, or a byte offset — and [`Problem::column`] turns that into a
//! column once the caller has the line's text at hand.

use std::fmt;

/// A problem with one event line: the message (lowercase, no final
/// period) and the part of the line it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// What is wrong.
    pub message: String,
    /// Where on the line.
    pub place: Place,
}

/// The part of an event line a [`Problem`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// The line as a whole: its first character that is not a space.
    Line,
    /// A byte offset in the line (from `serde_json`'s position).
    Offset(usize),
    /// The key of a top-level field (a field the type does not have).
    Key(&'static str),
    /// The value of a top-level field (an unknown contact, a bad time…).
    Value(&'static str),
}

impl Problem {
    /// A problem about `place`.
    pub fn new(message: impl Into<String>, place: Place) -> Problem {
        Problem {
            message: message.into(),
            place,
        }
    }

    /// A problem with the line as a whole.
    pub fn line(message: impl Into<String>) -> Problem {
        Problem::new(message, Place::Line)
    }

    /// A problem with the value of `field`.
    pub fn value(field: &'static str, message: impl Into<String>) -> Problem {
        Problem::new(message, Place::Value(field))
    }

    /// The 1-based column (in characters) of the problem on `line`, the
    /// text the problem was found in. A field the line does not have, or
    /// an offset past its end, falls back to where the line starts.
    pub fn column(&self, line: &str) -> usize {
        let offset = match self.place {
            Place::Line => None,
            Place::Offset(at) => Some(at),
            Place::Key(name) => locate(line, name).map(|(key, _)| key),
            Place::Value(name) => locate(line, name).map(|(_, value)| value),
        };
        let offset = offset
            .filter(|&at| line.is_char_boundary(at))
            .unwrap_or_else(|| line.len() - line.trim_start().len());
        line.get(..offset)
            .map_or(0, |before| before.chars().count())
            + 1
    }
}

/// A problem placed on its line: what a caller reports with the file name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadLine {
    /// The 1-based line number.
    pub line: usize,
    /// The 1-based column, in characters.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

impl Problem {
    /// This problem on line `line`, whose text is `text`.
    pub fn on_line(self, line: usize, text: &str) -> BadLine {
        BadLine {
            line,
            column: self.column(text),
            message: self.message,
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Where one top-level field of an event line is, in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct FieldSpan {
    /// The key's opening quote.
    pub key: usize,
    /// The first byte of the value.
    pub value: usize,
    /// Just past the value.
    pub end: usize,
}

/// The top-level fields of the JSON object `line`, in order, with their
/// keys as written, up to the first place the line stops being an object.
pub(super) fn fields(line: &str) -> impl Iterator<Item = (&str, FieldSpan)> {
    let bytes = line.as_bytes();
    let mut at = skip_space(bytes, 0);
    let mut open = bytes.get(at) == Some(&b'{');
    std::iter::from_fn(move || {
        if !open {
            return None;
        }
        open = false;
        at = skip_space(bytes, at + 1);
        if bytes.get(at) != Some(&b'"') {
            return None;
        }
        let key = at;
        let key_end = string_end(bytes, key)?;
        at = skip_space(bytes, key_end);
        if bytes.get(at) != Some(&b':') {
            return None;
        }
        let value = skip_space(bytes, at + 1);
        let end = value_end(bytes, value)?;
        at = skip_space(bytes, end);
        open = bytes.get(at) == Some(&b',');
        let name = line.get(key + 1..key_end - 1)?;
        Some((name, FieldSpan { key, value, end }))
    })
}

/// The byte offsets of the key (its opening quote) and of the value of the
/// first top-level field `name` of the JSON object `line`; `None` if the
/// line has no such field or stops being an object before it. Keys are
/// compared as written (a key spelled with escapes does not match).
pub(super) fn locate(line: &str, name: &str) -> Option<(usize, usize)> {
    fields(line)
        .find(|(key, _)| *key == name)
        .map(|(_, span)| (span.key, span.value))
}

/// The top-level field whose key or value holds byte `offset` (or that
/// ends just before it).
pub(super) fn field_at(line: &str, offset: usize) -> Option<FieldSpan> {
    fields(line)
        .map(|(_, span)| span)
        .find(|span| (span.key..=span.end).contains(&offset))
}

fn skip_space(bytes: &[u8], mut at: usize) -> usize {
    while let Some(b' ' | b'\t' | b'\r' | b'\n') = bytes.get(at) {
        at += 1;
    }
    at
}

/// Just past the closing quote of the string opening at `at`.
fn string_end(bytes: &[u8], at: usize) -> Option<usize> {
    let mut i = at + 1;
    loop {
        match bytes.get(i)? {
            b'"' => return Some(i + 1),
            b'\\' => i += 2,
            _ => i += 1,
        }
    }
}

/// Just past the JSON value starting at `at` (any value: strings skipped
/// whole, brackets counted).
fn value_end(bytes: &[u8], at: usize) -> Option<usize> {
    let whole = matches!(bytes.get(at), Some(b'"' | b'{' | b'['));
    let mut depth = 0usize;
    let mut i = at;
    loop {
        match *bytes.get(i)? {
            b'"' => i = string_end(bytes, i)?,
            b'{' | b'[' => {
                depth += 1;
                i += 1;
            }
            b'}' | b']' if depth == 0 => return Some(i),
            b'}' | b']' => {
                depth -= 1;
                i += 1;
            }
            b',' if depth == 0 => return Some(i),
            _ => i += 1,
        }
        // A string, object or array ends where it closes; a number,
        // boolean or null at the next `,` or `}`.
        if whole && depth == 0 {
            return Some(i);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINE: &str = r#"  {"at":"2026-03-02T08:00:00Z", "type" : "x","properties":{"a":[1,"}"]},"contact":"c-é","n":12}"#;

    #[test]
    fn fields_are_found_past_nested_values_and_strings_with_brackets() {
        let at = |name| locate(LINE, name).map(|(k, v)| (&LINE[k..k + 3], &LINE[v..v + 3]));
        assert_eq!(at("at"), Some(("\"at", "\"20")));
        assert_eq!(at("type"), Some(("\"ty", "\"x\"")));
        assert_eq!(at("properties"), Some(("\"pr", "{\"a")));
        assert_eq!(at("contact"), Some(("\"co", "\"c-")));
        assert_eq!(at("n"), Some(("\"n\"", "12}")));
        assert_eq!(at("a"), None, "only top-level keys");
        assert_eq!(at("missing"), None);
    }

    #[test]
    fn columns_count_characters_from_one() {
        let value = Problem::value("n", "m");
        // Everything before `12` is ASCII except the `é` (two bytes).
        let expected = LINE.find("12}").map(|b| LINE[..b].chars().count() + 1);
        assert_eq!(Some(value.column(LINE)), expected);
        assert_eq!(Problem::line("m").column(LINE), 3);
        assert_eq!(Problem::new("m", Place::Key("contact")).column(LINE), {
            let b = LINE.find("\"contact\"").unwrap_or(0);
            LINE[..b].chars().count() + 1
        });
        assert_eq!(Problem::value("nope", "m").column(LINE), 3);
        assert_eq!(Problem::new("m", Place::Offset(9999)).column(LINE), 3);
        assert_eq!(Problem::new("m", Place::Offset(2)).column(LINE), 3);
    }

    #[test]
    fn malformed_lines_give_no_place_and_never_panic() {
        for line in [
            "",
            "{",
            "{\"a\"",
            "{\"a\":",
            "{\"a\":\"x",
            "[1]",
            "{\"a\":1 \"b\":2}",
            "{\"\\",
            "{\"a\":{\"b\":[",
        ] {
            assert_eq!(locate(line, "b"), None, "{line}");
            assert!(Problem::value("b", "m").column(line) >= 1);
        }
    }
}
