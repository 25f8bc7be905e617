//! The language's values: text, numbers and booleans, wherever they come
//! from — a literal in a script, a contact property in the account, a field
//! or property of an event. [`Value`] owns its text; [`ValueRef`] borrows it,
//! which is what conditions and triggers compare, so evaluating a rule never
//! copies text.
//!
//! The comparison rules are the language's (`docs/semantics.md`, "Triggers
//! and conditions"): values of different types are never equal, unequal or
//! ordered; strings order by code point, numbers as numbers; booleans are
//! equal or not but never ordered.
//!
//! Serialised, a value is the bare JSON scalar (`"lead"`, `12`, `true`),
//! as the account file, event lines and `wf parse` write it.

use serde::{Deserialize, Serialize};
use smol_str::SmolStr;
use std::cmp::Ordering;
use std::fmt;

/// An owned value. Text of up to 23 bytes (enum values, emails, most
/// names) is kept inline, so a contact's properties sit in its slots rather
/// than behind pointers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(
    untagged,
    expecting = "a property value must be a string, a number or a boolean"
)]
pub enum Value {
    /// Text (also the value of an enum property).
    Text(SmolStr),
    /// A finite number.
    Number(f64),
    /// `true` or `false`.
    Bool(bool),
}

/// A borrowed value: what a condition or a trigger compares.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ValueRef<'a> {
    Text(&'a str),
    Number(f64),
    /// A boolean.
    Bool(bool),
}

impl Value {
    /// Borrows the value.
    pub fn as_ref(&self) -> ValueRef<'_> {
        match self {
            Value::Text(s) => ValueRef::Text(s),
            Value::Number(n) => ValueRef::Number(*n),
            Value::Bool(b) => ValueRef::Bool(*b),
        }
    }

    /// The text, if the value is text.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            Value::Text(s) => Some(s),
            _ => None,
        }
    }
}

impl<'a> ValueRef<'a> {
    /// An owned copy.
    pub fn to_value(self) -> Value {
        match self {
            ValueRef::Text(s) => Value::Text(SmolStr::new(s)),
            ValueRef::Number(n) => Value::Number(n),
            ValueRef::Bool(b) => Value::Bool(b),
        }
    }

    /// The text, if the value is text.
    pub fn as_text(self) -> Option<&'a str> {
        match self {
            ValueRef::Text(s) => Some(s),
            _ => None,
        }
    }

    /// Whether both values have the same type (text, number, boolean).
    pub fn same_type(self, other: ValueRef<'_>) -> bool {
        std::mem::discriminant(&self) == std::mem::discriminant(&other)
    }

    /// `==`: the same type and the same value.
    pub fn equals(self, other: ValueRef<'_>) -> bool {
        match (self, other) {
            (ValueRef::Text(a), ValueRef::Text(b)) => a == b,
            (ValueRef::Number(a), ValueRef::Number(b)) => a == b,
            (ValueRef::Bool(a), ValueRef::Bool(b)) => a == b,
            _ => false,
        }
    }

    /// `!=`: the same type and a different value. Values of different
    /// types are not unequal either: they do not compare at all.
    pub fn differs(self, other: ValueRef<'_>) -> bool {
        self.order(other).is_some_and(|o| o != Ordering::Equal)
            || matches!((self, other), (ValueRef::Bool(a), ValueRef::Bool(b)) if a != b)
    }

    /// The order of two texts or two numbers; `None` across types and
    /// between booleans, so every ordering comparison of those is false.
    pub fn order(self, other: ValueRef<'_>) -> Option<Ordering> {
        match (self, other) {
            (ValueRef::Text(a), ValueRef::Text(b)) => Some(a.cmp(b)),
            (ValueRef::Number(a), ValueRef::Number(b)) => a.partial_cmp(&b),
            _ => None,
        }
    }
}

impl fmt::Display for Value {
    /// As people read it in explanations and the REPL: text quoted
    /// (`"lead"`), numbers and booleans bare.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.as_ref().fmt(f)
    }
}

impl fmt::Display for ValueRef<'_> {
    /// See [`Value`]'s.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ValueRef::Text(s) => write!(f, "{s:?}"),
            ValueRef::Number(n) => write!(f, "{n}"),
            ValueRef::Bool(b) => write!(f, "{b}"),
        }
    }
}

#[cfg(test)]
mod tests;
