//! Contact property values as the engine keeps them: text of up to 23
//! bytes (enum values, emails, most names) inline, so a condition that
//! reads a property finds its text in the contact's property slots rather
//! than behind a pointer. Converted from and to the account's
//! [`PropertyValue`] at the edges.

use crate::account::PropertyValue;
use smol_str::SmolStr;

/// A contact property's value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Prop {
    /// Text (also enum values).
    Str(SmolStr),
    /// A number.
    Number(f64),
    /// A boolean.
    Bool(bool),
}

impl Prop {
    /// The engine's copy of an account or event value.
    pub(crate) fn of(v: &PropertyValue) -> Prop {
        match v {
            PropertyValue::Str(s) => Prop::Str(SmolStr::new(s)),
            PropertyValue::Number(n) => Prop::Number(*n),
            PropertyValue::Bool(b) => Prop::Bool(*b),
        }
    }

    /// The value as the account model has it.
    pub(crate) fn to_value(&self) -> PropertyValue {
        match self {
            Prop::Str(s) => PropertyValue::Str(s.to_string()),
            Prop::Number(n) => PropertyValue::Number(*n),
            Prop::Bool(b) => PropertyValue::Bool(*b),
        }
    }

    /// The text, if the value is text.
    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Prop::Str(s) => Some(s),
            _ => None,
        }
    }
}
