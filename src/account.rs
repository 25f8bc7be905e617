//! The account: users, seats, inboxes, sequences, the contact property
//! schema, lists and contacts (SPEC §2.1).
//!
//! [`load`] reads an account file (JSON, or TOML when the name ends in
//! `.toml`) into an [`Account`] and validates it; every problem is an
//! [`InputError`] naming the file and the place (line and column, or the
//! JSON path). The model types are plain data with lookups by name; the
//! checker and the runtime only read them.

pub(crate) mod locate;
mod model;
mod shape;
mod validate;

pub use model::*;

use crate::diagnostic::{InputError, Location};
use std::path::Path;

impl Account {
    /// Checks a JSON value for the contact property `name` against the
    /// schema, as the loader does for contacts' `properties` (events that
    /// set properties can use it too). `null` means "unset" (`Ok(None)`).
    /// The error is a message: unknown property, wrong type, or a value
    /// outside the enum.
    pub fn property_value(
        &self,
        name: &str,
        value: &serde_json::Value,
    ) -> Result<Option<PropertyValue>, String> {
        validate::property_value(name, value, &self.properties)
    }
}

/// Reads and validates the account file at `path`.
pub fn load(path: &Path) -> Result<Account, InputError> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path)
        .map_err(|e| InputError::new(&name, None, format!("cannot read account file: {e}")))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| InputError::new(&name, None, "account file is not valid UTF-8"))?;
    let toml = name.ends_with(".toml");
    from_text(&name, &text, toml)
}

/// Parses and validates account text; `name` is used in messages.
pub fn from_text(name: &str, text: &str, toml: bool) -> Result<Account, InputError> {
    let raw: model::RawAccount = if toml {
        let toml_error = |e: ::toml::de::Error| {
            let location = e.span().map(|s| {
                let (line, col) = crate::source::SourceFile::new(name, text).line_col(s.start);
                Location::LineColumn(line, col)
            });
            InputError::new(name, location, in_words(e.message()))
        };
        ::toml::from_str::<shape::Checked>(text).map_err(toml_error)?;
        ::toml::from_str(text).map_err(toml_error)?
    } else {
        let json_error = |e: serde_json::Error| {
            InputError::new(
                name,
                json_location(name, text, e.line(), e.column()),
                strip_position(&e.to_string()),
            )
        };
        serde_json::from_str::<shape::Checked>(text).map_err(json_error)?;
        serde_json::from_str(text).map_err(json_error)?
    };
    if toml && let Ok(table) = ::toml::from_str::<::toml::Table>(text) {
        let mut path = String::new();
        if let Some(path) = non_finite(&::toml::Value::Table(table), &mut path) {
            let e = InputError::new(
                name,
                Some(Location::Path(path)),
                "`nan` and `inf` are not numbers an account can hold",
            );
            return Err(with_line(e, text, toml));
        }
    }
    validate::account(name, raw).map_err(|e| with_line(e, text, toml))
}

/// The path of the first `nan` or `inf` in a TOML document. JSON has no
/// such numbers: read as JSON values they would silently become `null`
/// (an unset property).
fn non_finite(value: &::toml::Value, path: &mut String) -> Option<String> {
    let len = path.len();
    let found = match value {
        ::toml::Value::Float(f) if !f.is_finite() => Some(path.clone()),
        ::toml::Value::Table(t) => t.iter().find_map(|(k, v)| {
            path.truncate(len);
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(k);
            non_finite(v, path)
        }),
        ::toml::Value::Array(a) => a.iter().enumerate().find_map(|(i, v)| {
            path.truncate(len);
            path.push_str(&format!("[{i}]"));
            non_finite(v, path)
        }),
        _ => None,
    };
    path.truncate(len);
    found
}

/// serde_json's position (1-based line; column = bytes read on that line,
/// 0 at its very start) as a 1-based line and character column.
fn json_location(name: &str, text: &str, line: usize, column: usize) -> Option<Location> {
    if line == 0 {
        return None;
    }
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line - 1)
        .map(str::len)
        .sum();
    let mut offset = (line_start + column.saturating_sub(1)).min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let (line, col) = crate::source::SourceFile::new(name, text).line_col(offset);
    Some(Location::LineColumn(line, col))
}

/// Adds the line and column to an error located by a JSON path, when the
/// path can be found in the text; the path stays in the message.
fn with_line(e: InputError, text: &str, toml: bool) -> InputError {
    let Some(Location::Path(path)) = &e.location else {
        return e;
    };
    let Some(segs) = locate::parse_path(path) else {
        return e;
    };
    let offset = if toml {
        locate::toml(text, &segs)
    } else {
        locate::json(text, &segs)
    };
    match offset {
        Some(offset) => {
            let (line, col) = crate::source::SourceFile::new(&e.file, text).line_col(offset);
            InputError::new(
                &e.file,
                Some(Location::LineColumn(line, col)),
                format!("at `{path}`: {}", e.message),
            )
        }
        None => e,
    }
}

/// serde_json appends " at line L column C" to its messages; the location
/// is reported separately. Rust type names are put in words.
fn strip_position(message: &str) -> String {
    let message = match message.rfind(" at line ") {
        Some(i) => message.get(..i).unwrap_or(message),
        None => message,
    };
    in_words(message)
}

/// "expected u32" → "expected a whole number from 0 to 4294967295"
/// (`delay_days`, `daily_send_limit`): the words name the limit, so that a
/// value too large is not mistaken for a negative one.
fn in_words(message: &str) -> String {
    message.replace(
        "expected u32",
        &format!("expected a whole number from 0 to {}", u32::MAX),
    )
}

#[cfg(test)]
mod tests;
