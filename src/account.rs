//! The account: users, seats, inboxes, sequences, the contact property
//! schema, lists and contacts (`docs/account.md`).
//!
//! [`load`] reads an account file (JSON, or TOML when the name ends in
//! `.toml`; at most [`MAX_ACCOUNT_BYTES`], through `source::read_text`, so
//! a byte order mark is dropped and invalid UTF-8 is placed) into an
//! [`Account`] and validates it; every problem is an [`InputError`] naming
//! the file and the place (line and column, and the JSON path for a value
//! the validation refuses), in the account's words (`words.rs`: no Rust
//! type names, user text escaped). The model types are plain data with
//! lookups by name; the checker and the runtime only read them.

pub(crate) mod locate;
mod model;
mod shape;
mod validate;
mod words;

pub use model::*;

use crate::diagnostic::{InputError, Location};
use crate::source::{FileKind, escaped};
use crate::value::Value;
use std::path::Path;
use words::{Format, in_words};

/// The largest account file, in bytes: 512 MiB. A million contacts with a
/// few properties each take about 113 MB, so real accounts fit with room
/// to spare, while `/dev/zero` or a runaway export stops at once
/// (`docs/limits.md`).
pub const MAX_ACCOUNT_BYTES: usize = 512 * 1024 * 1024;

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
    ) -> Result<Option<Value>, String> {
        validate::property_value(name, value, &self.properties)
    }
}

/// Reads and validates the account file at `path`.
pub fn load(path: &Path) -> Result<Account, InputError> {
    let text = crate::source::read_text(path, FileKind::ACCOUNT)?;
    let name = escaped(&path.display().to_string()).into_owned();
    let toml = name.ends_with(".toml");
    from_text(&name, &text, toml)
}

/// Parses and validates account text; `name` is used in messages.
/// Every error is located by line and column; user text in its message
/// is escaped.
pub fn from_text(name: &str, text: &str, toml: bool) -> Result<Account, InputError> {
    let raw: model::RawAccount = if toml {
        ::toml::from_str::<shape::Checked>(text).map_err(|e| toml_error(name, text, &e))?;
        ::toml::from_str(text).map_err(|e| toml_error(name, text, &e))?
    } else {
        let json_error = |e: serde_json::Error, typed: bool| {
            let message = strip_position(&e.to_string());
            // Syntax is checked by the first pass; in the typed read
            // serde_json says only "expected value" when a name (a seat, a
            // step or property type) is not a string.
            let message = if typed && message == "expected value" {
                "expected a string".to_owned()
            } else {
                in_words(&message, Format::Json)
            };
            InputError::new(
                name,
                json_location(name, text, e.line(), e.column()),
                message,
            )
        };
        serde_json::from_str::<shape::Checked>(text).map_err(|e| json_error(e, false))?;
        serde_json::from_str(text).map_err(|e| json_error(e, true))?
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
    validate::account(name, raw).map_err(|e| {
        let mut e = with_line(e, text, toml);
        e.message = escaped(&e.message).into_owned();
        e
    })
}

/// A `toml` error at its line and column, in words: a repeated key is
/// named, a date-time is called one (`toml` reports it as a table). Its
/// nesting limit comes without a place: the start of the deepest line is
/// given then.
pub(crate) fn toml_error(name: &str, text: &str, e: &::toml::de::Error) -> InputError {
    let at = |offset: usize| {
        let (line, col) = crate::source::SourceFile::new(name, text).line_col(offset);
        Location::LineColumn(line, col)
    };
    let span = e.span();
    let spanned = span.clone().and_then(|s| text.get(s));
    let mut message = e.message().to_owned();
    if message == "duplicate key"
        && let Some(key) = spanned
    {
        message = format!("duplicate key `{}`", key.trim());
    }
    if message.starts_with("invalid type: map,")
        && spanned.is_some_and(|s| s.starts_with(|c: char| c.is_ascii_digit()))
    {
        // A table is written `{` or `[`, never with a digit first.
        message = message.replacen("map", "date-time", 1);
    }
    let location = match span {
        Some(s) => at(s.start),
        None => at(deepest_line_start(text)),
    };
    InputError::new(name, Some(location), in_words(&message, Format::Toml))
}

/// The start of the line with the most brackets open at its end: where a
/// nesting-limit error without a place most likely is.
fn deepest_line_start(text: &str) -> usize {
    let (mut depth, mut best, mut best_depth, mut start) = (0i64, 0, 0i64, 0);
    for (i, b) in text.bytes().enumerate() {
        match b {
            b'[' | b'{' => depth += 1,
            b']' | b'}' => depth -= 1,
            b'\n' => start = i + 1,
            _ => {}
        }
        if depth > best_depth {
            best_depth = depth;
            best = start;
        }
    }
    best
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
/// is reported separately.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message.get(..i).unwrap_or(message).to_owned(),
        None => message.to_owned(),
    }
}

#[cfg(test)]
mod tests;
