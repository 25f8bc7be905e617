//! A fast path for the common shape of an event line: one flat JSON object
//! whose values are strings without escapes, plain whole numbers,
//! booleans or `null`, and whose keys are known and distinct.
//!
//! Takes the line's text; gives the same [`RawEvent`] that `serde_json`
//! would (its strings borrowed from the line), or `None` for anything else
//! — nested values, escapes, signs, fractions, exponents, unknown or
//! repeated keys, malformed text — which the caller then hands to
//! `serde_json`, so that every error message and every unusual value is
//! exactly what the general path gives. A plain whole number of at most 15
//! digits is exact as an `f64`, which is what `serde_json` gives for it.

use super::RawEvent;
use crate::value::ValueRef;
use std::borrow::Cow;

/// A JSON value of the accepted kinds.
enum Json<'a> {
    Scalar(ValueRef<'a>),
    Null,
}

struct Cursor<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\t' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    fn eat(&mut self, b: u8) -> Option<()> {
        self.skip_ws();
        (self.peek()? == b).then(|| self.pos += 1)
    }

    /// A string without escapes or control characters.
    fn string(&mut self) -> Option<&'a str> {
        self.eat(b'"')?;
        let start = self.pos;
        let rest = self.text.as_bytes().get(start..)?;
        let len = crate::runtime::replay::jsonl::first_special(rest)?;
        if rest.get(len) != Some(&b'"') {
            return None;
        }
        self.pos = start + len + 1;
        self.text.get(start..start + len)
    }

    fn value(&mut self) -> Option<Json<'a>> {
        self.skip_ws();
        match self.peek()? {
            b'"' => self.string().map(|s| Json::Scalar(ValueRef::Text(s))),
            b'0'..=b'9' => {
                let start = self.pos;
                while let Some(b'0'..=b'9') = self.peek() {
                    self.pos += 1;
                }
                let digits = self.text.get(start..self.pos)?;
                // A leading zero, a fraction or an exponent: the general path.
                if (digits.len() > 1 && digits.starts_with('0'))
                    || digits.len() > 15
                    || matches!(self.peek(), Some(b'.' | b'e' | b'E'))
                {
                    return None;
                }
                let n: u64 = digits.parse().ok()?;
                Some(Json::Scalar(ValueRef::Number(n as f64)))
            }
            _ => {
                let rest = self.text.get(self.pos..)?;
                let (value, len) = if rest.starts_with("true") {
                    (Json::Scalar(ValueRef::Bool(true)), 4)
                } else if rest.starts_with("false") {
                    (Json::Scalar(ValueRef::Bool(false)), 5)
                } else if rest.starts_with("null") {
                    (Json::Null, 4)
                } else {
                    return None;
                };
                self.pos += len;
                Some(value)
            }
        }
    }
}

/// Sets a string field once; a repeated key or another kind of value
/// leaves the line to the general path.
fn set_str<'a>(slot: &mut Option<Cow<'a, str>>, value: Json<'a>) -> Option<()> {
    match (slot.is_none(), value) {
        (true, Json::Scalar(ValueRef::Text(s))) => {
            *slot = Some(Cow::Borrowed(s));
            Some(())
        }
        _ => None,
    }
}

/// The event line `text` as [`RawEvent`], if it has the simple shape.
pub(super) fn raw_event(text: &str) -> Option<RawEvent<'_>> {
    let mut c = Cursor { text, pos: 0 };
    let mut raw = RawEvent::default();
    let mut kind = None;
    c.eat(b'{')?;
    c.skip_ws();
    if c.peek() == Some(b'}') {
        return None;
    }
    loop {
        let key = c.string()?;
        c.eat(b':')?;
        let value = c.value()?;
        match key {
            "type" => match (kind.is_none(), value) {
                (true, Json::Scalar(ValueRef::Text(s))) => kind = Some(s),
                _ => return None,
            },
            "at" => set_str(&mut raw.at, value)?,
            "contact" => set_str(&mut raw.contact, value)?,
            "form" => set_str(&mut raw.form, value)?,
            "to" => set_str(&mut raw.to, value)?,
            "from" => set_str(&mut raw.from, value)?,
            "deal" => set_str(&mut raw.deal, value)?,
            "outcome" => set_str(&mut raw.outcome, value)?,
            "property" => set_str(&mut raw.property, value)?,
            "list" => set_str(&mut raw.list, value)?,
            "email" => set_str(&mut raw.email, value)?,
            "owner" => set_str(&mut raw.owner, value)?,
            "source" => set_str(&mut raw.source, value)?,
            "sequence" => set_str(&mut raw.sequence, value)?,
            "user" => set_str(&mut raw.user, value)?,
            "amount" => match (raw.amount, value) {
                (None, Json::Scalar(ValueRef::Number(n))) => raw.amount = Some(n),
                _ => return None,
            },
            "value" => {
                if raw.value.is_some() {
                    return None;
                }
                raw.value = Some(match value {
                    Json::Scalar(v) => Some(v.to_value()),
                    Json::Null => None,
                });
            }
            _ => return None,
        }
        c.skip_ws();
        match c.peek()? {
            b',' => c.pos += 1,
            b'}' => {
                c.pos += 1;
                break;
            }
            _ => return None,
        }
    }
    c.skip_ws();
    if c.pos != text.len() {
        return None;
    }
    raw.kind = Cow::Borrowed(kind?);
    Some(raw)
}

#[cfg(test)]
mod tests;
