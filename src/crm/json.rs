//! Reading the CRM's JSON strictly where it matters: a [`Node`] is a value
//! with its JSON path, and every accessor that finds the wrong shape gives
//! a [`Problem`] at that path. [`Doc::error`] turns a problem into an
//! [`InputError`] with the file, line and column of the value and the path
//! in the message. Fields nobody asks for are never looked at, so real
//! exports with extra fields read fine.

use crate::account::locate;
use crate::diagnostic::{InputError, Location};
use crate::source::SourceFile;
use serde_json::Value;

/// A problem with a value: its JSON path and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The JSON path (`[0].actions[2].fields.sequenceId`), empty for the
    /// whole document.
    pub path: String,
    /// What is wrong: lowercase, no final period.
    pub message: String,
}

impl Problem {
    /// A problem at `path`.
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            path: path.into(),
            message: message.into(),
        }
    }
}

/// A JSON document read from a file, kept with its text so that errors
/// can be placed.
pub struct Doc {
    /// The file name as given.
    pub file: String,
    /// The text.
    pub text: String,
    /// The parsed value.
    pub value: Value,
}

impl Doc {
    /// Parses `text`; a syntax error or a truncated file is an error at its
    /// line and column.
    pub fn parse(file: &str, text: String) -> Result<Doc, InputError> {
        match serde_json::from_str::<Value>(&text) {
            Ok(value) => Ok(Doc {
                file: file.to_owned(),
                text,
                value,
            }),
            Err(e) => {
                let message = e.to_string();
                let message = match message.rfind(" at line ") {
                    Some(i) => message.get(..i).unwrap_or(&message).to_owned(),
                    None => message,
                };
                let location = (e.line() > 0).then(|| {
                    let start: usize = text
                        .split_inclusive('\n')
                        .take(e.line() - 1)
                        .map(str::len)
                        .sum();
                    let mut offset = (start + e.column().saturating_sub(1)).min(text.len());
                    while !text.is_char_boundary(offset) {
                        offset -= 1;
                    }
                    let (line, col) = SourceFile::new(file, text.as_str()).line_col(offset);
                    Location::LineColumn(line, col)
                });
                Err(InputError::new(
                    file,
                    location,
                    format!("not valid JSON: {message}"),
                ))
            }
        }
    }

    /// The whole document as a node.
    pub fn root(&self) -> Node<'_> {
        Node {
            value: &self.value,
            path: String::new(),
        }
    }

    /// The problem as an error at the line and column of its path.
    pub fn error(&self, problem: &Problem) -> InputError {
        let shown = if problem.path.is_empty() {
            "the top level".to_owned()
        } else {
            format!("`{}`", problem.path)
        };
        let message = format!("at {shown}: {}", problem.message);
        let offset =
            locate::parse_path(&problem.path).and_then(|segs| locate::json(&self.text, &segs));
        let location = match offset {
            Some(offset) => {
                let (line, col) = SourceFile::new(&self.file, self.text.as_str()).line_col(offset);
                Some(Location::LineColumn(line, col))
            }
            None => None,
        };
        InputError::new(&self.file, location, message)
    }
}

/// A value and its JSON path.
#[derive(Debug, Clone)]
pub struct Node<'a> {
    /// The value.
    pub value: &'a Value,
    /// Its path from the document's top.
    pub path: String,
}

impl<'a> Node<'a> {
    /// The path of a key under this node.
    fn key_path(&self, key: &str) -> String {
        format!("{}{}", self.path, key_segment(key, self.path.is_empty()))
    }

    /// The field `key`, if this is an object that has it (and it is not
    /// `null`).
    pub fn get(&self, key: &str) -> Option<Node<'a>> {
        match self.value.get(key) {
            None | Some(Value::Null) => None,
            Some(value) => Some(Node {
                value,
                path: self.key_path(key),
            }),
        }
    }

    /// The field `key`, which must be there.
    pub fn req(&self, key: &str) -> Result<Node<'a>, Problem> {
        if !self.value.is_object() {
            return Err(self.expected("an object"));
        }
        self.get(key)
            .ok_or_else(|| Problem::new(self.path.clone(), format!("missing field `{key}`")))
    }

    /// A problem at this node: it should have been `what`.
    pub fn expected(&self, what: &str) -> Problem {
        Problem::new(
            self.path.clone(),
            format!("expected {what}, found {}", kind(self.value)),
        )
    }

    /// A problem at this node.
    pub fn problem(&self, message: impl Into<String>) -> Problem {
        Problem::new(self.path.clone(), message)
    }

    /// The elements of an array.
    pub fn array(&self) -> Result<Vec<Node<'a>>, Problem> {
        let Value::Array(items) = self.value else {
            return Err(self.expected("an array"));
        };
        Ok(items
            .iter()
            .enumerate()
            .map(|(i, value)| Node {
                value,
                path: format!("{}[{i}]", self.path),
            })
            .collect())
    }

    /// The elements of the array field `key`; an absent field is empty.
    pub fn array_field(&self, key: &str) -> Result<Vec<Node<'a>>, Problem> {
        match self.get(key) {
            None => Ok(Vec::new()),
            Some(n) => n.array(),
        }
    }

    /// Text: a string, or a number written as one (the CRM writes ids and
    /// counts either way).
    pub fn text(&self) -> Result<String, Problem> {
        match self.value {
            Value::String(s) => Ok(s.clone()),
            Value::Number(n) => Ok(n.to_string()),
            _ => Err(self.expected("a string")),
        }
    }

    /// The text field `key`, which must be there.
    pub fn text_field(&self, key: &str) -> Result<String, Problem> {
        self.req(key)?.text()
    }

    /// A boolean, or `"true"` / `"false"` written as a string.
    pub fn boolean(&self) -> Result<bool, Problem> {
        match self.value {
            Value::Bool(b) => Ok(*b),
            Value::String(s) if s == "true" => Ok(true),
            Value::String(s) if s == "false" => Ok(false),
            _ => Err(self.expected("true or false")),
        }
    }

    /// A number, or a number written as a string.
    pub fn number(&self) -> Result<f64, Problem> {
        let n = match self.value {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.trim().parse::<f64>().ok(),
            _ => None,
        };
        n.filter(|n| n.is_finite())
            .ok_or_else(|| self.expected("a number"))
    }
}

/// `.key`, or `["key"]` when the key is not a plain name; the first key of
/// a path has no dot.
fn key_segment(key: &str, first: bool) -> String {
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    match (plain, first) {
        (true, true) => key.to_owned(),
        (true, false) => format!(".{key}"),
        (false, _) => format!("[{}]", Value::String(key.to_owned())),
    }
}

/// "a string", "an object", … for messages.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
