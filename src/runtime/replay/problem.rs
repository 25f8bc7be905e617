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
    /// The line as a whole: its first character that is not white space.
    Line,
    /// A byte offset in the line without its leading white space (from
    /// `serde_json`'s position).
    Offset(usize),
    /// The key of a top-level field (a field the type does not have).
    Key(&'static str),
    /// The value of a top-level field (an unknown contact, a bad time…).
    Value(&'static str),
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
    /// text the problem was found in. Offsets count from the line's first
    /// character that is not white space (the event parser reads the line
    /// without it); one inside a character moves back to its start, one
    /// past the end stops at the end. A field the line does not have falls
    /// back to where the line starts.
    pub fn column(&self, line: &str) -> usize {
        let body = line.trim_start();
        let lead = line.len() - body.len();
        let offset = match self.place {
            Place::Line => None,
            Place::Offset(at) => Some(at),
            Place::Key(name) => locate(body, name).map(|(key, _)| key),
            Place::Value(name) => locate(body, name).map(|(_, value)| value),
        };
        let mut at = offset.unwrap_or(0).min(body.len());
        while !body.is_char_boundary(at) {
            at -= 1;
        }
        line.get(..lead + at)
            .map_or(0, |before| before.chars().count())
            + 1
    }

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
fn locate(line: &str, name: &str) -> Option<(usize, usize)> {
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
    }

    #[test]
    fn offsets_count_past_leading_space_and_stay_inside_the_line() {
        let offset = |at| Problem::new("m", Place::Offset(at)).column(LINE);
        // The two leading spaces come first.
        assert_eq!(offset(0), 3);
        assert_eq!(offset(2), 5);
        // Inside the two bytes of `é`: the column of the `é`.
        let body = LINE.trim_start();
        let e = body.find('é').unwrap_or(0);
        assert_eq!(offset(e + 1), offset(e));
        assert_eq!(offset(e + 2), offset(e) + 1);
        // Past the end: just after the last character.
        assert_eq!(offset(9999), LINE.chars().count() + 1);
        // Leading white space beyond JSON's (a no-break space) counts as
        // one character.
        let line = format!("\u{a0}{body}");
        assert_eq!(Problem::value("contact", "m").column(&line), {
            let b = body.find("\"c-é").unwrap_or(0);
            body[..b].chars().count() + 2
        });
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
            assert_eq!(Problem::value("b", "m").column(line), 1, "{line}");
        }
    }

    const NAMES: [&str; 5] = ["at", "type", "contact", "form", "list"];

    /// A JSON value the scanner must step over whole: strings holding
    /// brackets, commas and quotes, numbers, literals, arrays and objects.
    fn json_value() -> impl Strategy<Value = String> {
        prop_oneof![
            r#""([a-z,:{}\[\]é ]|\\")*""#,
            "-?[0-9]{1,4}(\\.[0-9]{1,2})?",
            Just("true".to_owned()),
            Just("null".to_owned()),
            "\\[(1, ){0,3}\\]",
            Just(r#"{"a": ["}", {"b": "]"}], "c": 1}"#.to_owned()),
        ]
    }

    use proptest::prelude::*;

    proptest! {
        // A failing case is printed, not written into the source tree.
        #![proptest_config(ProptestConfig {
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        /// However the fields are spaced and whatever their values, the
        /// column of a field's key and value is where they were written.
        #[test]
        fn keys_and_values_are_placed_where_they_are_written(
            lead in "[ \t\u{a0}]{0,2}",
            gaps in proptest::collection::vec("[ \t]{0,2}", 4 * NAMES.len()),
            values in proptest::collection::vec(json_value(), NAMES.len()),
            target in 0..NAMES.len(),
        ) {
            let mut line = format!("{lead}{{");
            let (mut key_column, mut value_column) = (0, 0);
            for (i, name) in NAMES.iter().enumerate() {
                let gap = |k: usize| gaps.get(4 * i + k).map_or("", String::as_str);
                line.push_str(gap(0));
                if i == target {
                    key_column = line.chars().count() + 1;
                }
                line.push_str(&format!("\"{name}\"{}:{}", gap(1), gap(2)));
                if i == target {
                    value_column = line.chars().count() + 1;
                }
                let value = values.get(i).map_or("0", String::as_str);
                let end = if i + 1 == NAMES.len() { "}" } else { "," };
                line.push_str(&format!("{value}{}{end}", gap(3)));
            }
            let name = NAMES.get(target).copied().unwrap_or("at");
            prop_assert_eq!(Problem::new("m", Place::Key(name)).column(&line), key_column, "{}", line);
            prop_assert_eq!(Problem::value(name, "m").column(&line), value_column, "{}", line);
        }
    }
}
