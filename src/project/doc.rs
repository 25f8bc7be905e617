//! Reading the TOML files of a project (`wf.toml`, `*.test.toml`) with the
//! place of every key and value, so that each mistake is reported as
//! `FILE:LINE:COL` naming the key, with a "did you mean" for a misspelt
//! name.

use crate::diagnostic::{InputError, Location};
use crate::source::SourceFile;
use std::ops::Range;
use toml::de::{DeTable, DeValue};

/// A TOML value with its place in the file.
pub type Value<'i> = toml::Spanned<DeValue<'i>>;

/// One TOML file: its name as shown in messages and its text.
pub struct Doc {
    file: SourceFile,
    name: String,
}

impl Doc {
    /// A document named `name` (as shown in messages) holding `text`.
    pub fn new(name: &str, text: &str) -> Doc {
        Doc {
            file: SourceFile::new(name, text),
            name: name.to_owned(),
        }
    }

    /// The file name as shown in messages.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The 1-based line and column of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        self.file.line_col(offset)
    }

    /// An error at the start of `span`.
    pub fn error(&self, span: Range<usize>, message: impl Into<String>) -> InputError {
        let (line, column) = self.file.line_col(span.start);
        InputError::new(
            &self.name,
            Some(Location::LineColumn(line, column)),
            message,
        )
    }

    /// An error for the file as a whole (it cannot be read, say).
    pub fn whole(&self, message: impl Into<String>) -> InputError {
        InputError::new(&self.name, None, message)
    }

    /// Parses the text as a TOML table; a syntax error is placed where the
    /// parser stopped.
    pub fn parse<'i>(&self, text: &'i str) -> Result<DeTable<'i>, InputError> {
        match DeTable::parse(text) {
            Ok(table) => Ok(table.into_inner()),
            Err(e) => {
                let span = e.span().unwrap_or(0..0);
                let message = e.message().trim().trim_end_matches('.').to_owned();
                Err(self.error(span, format!("not valid TOML: {message}")))
            }
        }
    }

    /// Checks that every key of `table` is one of `known`; an unknown key
    /// is an error at the key, with the closest known key and the list.
    /// Keys are checked in file order, so the first mistake is reported.
    pub fn known_keys(
        &self,
        table: &DeTable<'_>,
        place: &str,
        known: &[&str],
    ) -> Result<(), InputError> {
        let mut keys: Vec<_> = table.keys().collect();
        keys.sort_by_key(|k| k.span().start);
        for key in keys {
            let name: &str = key.get_ref();
            if !known.contains(&name) {
                let message = unknown("key", name, place, known.iter().copied());
                return Err(self.error(key.span(), message));
            }
        }
        Ok(())
    }

    /// The value of `key` as a string; another type is an error at the value.
    pub fn string(&self, key: &str, value: &Value<'_>) -> Result<String, InputError> {
        match value.get_ref() {
            DeValue::String(s) => Ok(s.to_string()),
            other => Err(self.error(
                value.span(),
                format!("`{key}` must be a string, not {}", type_name(other)),
            )),
        }
    }

    /// The value of `key` as a list of strings (a single string is a list
    /// of one), each with its place.
    pub fn strings(
        &self,
        key: &str,
        value: &Value<'_>,
    ) -> Result<Vec<(String, Range<usize>)>, InputError> {
        match value.get_ref() {
            DeValue::String(s) => Ok(vec![(s.to_string(), value.span())]),
            DeValue::Array(items) => items
                .iter()
                .map(|item| self.string(key, item).map(|s| (s, item.span())))
                .collect(),
            other => Err(self.error(
                value.span(),
                format!(
                    "`{key}` must be a list of strings, not {}",
                    type_name(other)
                ),
            )),
        }
    }
}

/// "a string", "an integer", …: a TOML value's type, for messages.
pub fn type_name(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date-time",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

/// "unknown key `acount` in wf.toml: did you mean `account`? (valid:
/// `account`, `scripts`, `tests`)": the message for a name that is not
/// one of `valid`; `place` (" in wf.toml", or empty) follows the name.
pub fn unknown<'a>(
    what: &str,
    name: &str,
    place: &str,
    valid: impl IntoIterator<Item = &'a str>,
) -> String {
    let valid: Vec<&str> = valid.into_iter().collect();
    let listing = valid
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ");
    match closest(name, valid.iter().copied()) {
        Some(c) => {
            format!("unknown {what} `{name}`{place}: did you mean `{c}`? (valid: {listing})")
        }
        None => format!("unknown {what} `{name}`{place} (valid: {listing})"),
    }
}

/// The candidate closest to `name`: the same but for letter case, at
/// most two edits away (Levenshtein), or much alike from the start
/// (Jaro-Winkler 0.9 or more: `daily_limit` for `daily_send_limit`). The
/// fewest edits win; ties go to the earlier candidate.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let distance = if c.to_lowercase() == name.to_lowercase() {
            0
        } else {
            strsim::levenshtein(name, c)
        };
        let alike = distance <= 2 || strsim::jaro_winkler(name, c) >= 0.9;
        if alike && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, c));
        }
    }
    best.map(|(_, c)| c)
}
