//! The shape of an account document, checked before serde reads it into
//! the typed model: serde's derived deserializers accept an array in place
//! of an object (fields by position) and let a repeated map key overwrite
//! the first, and both would hide mistakes in an account file.
//!
//! Takes any self-describing serde deserializer (JSON or TOML) and walks
//! the whole document once with `deserialize_any`, keeping the path of the
//! value it is in. Gives `()` or the first problem as the deserializer's
//! own error (so it carries the line and column): a key that occurs twice
//! in one object, or an array where the model has an object (the account,
//! a user, a sequence, a step, a property declaration, the `properties`
//! maps, a list, a contact). It checks nothing else; the typed read and
//! `validate` do the rest.

use super::locate::Seg;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use std::collections::BTreeSet;
use std::fmt;

/// A document whose shape has been checked.
pub(crate) struct Checked;

impl<'de> de::Deserialize<'de> for Checked {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut path = Vec::new();
        Node { path: &mut path }.deserialize(d)?;
        Ok(Checked)
    }
}

/// One value of the document, at `path`.
struct Node<'p> {
    path: &'p mut Vec<Seg>,
}

impl<'de> DeserializeSeed<'de> for Node<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Node<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_i128<E>(self, _: i128) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u128<E>(self, _: u128) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_none<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        self.deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        if object_expected(self.path) {
            return Err(de::Error::custom(format!(
                "{} must be an object, not an array",
                describe(self.path)
            )));
        }
        let mut index = 0;
        loop {
            self.path.push(Seg::Index(index));
            let element = seq.next_element_seed(Node {
                path: &mut *self.path,
            });
            self.path.pop();
            if element?.is_none() {
                return Ok(());
            }
            index += 1;
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen = BTreeSet::new();
        while let Some(key) = map.next_key::<String>()? {
            if seen.contains(&key) {
                return Err(de::Error::custom(format!(
                    "duplicate key `{key}` in {}",
                    describe(self.path)
                )));
            }
            seen.insert(key.clone());
            self.path.push(Seg::Key(key));
            let value = map.next_value_seed(Node {
                path: &mut *self.path,
            });
            self.path.pop();
            value?;
        }
        Ok(())
    }
}

/// Whether the model has an object at `path`.
fn object_expected(path: &[Seg]) -> bool {
    use Seg::{Index as I, Key as K};
    match path {
        [] => true,
        [K(section), I(_)] => matches!(
            section.as_str(),
            "users" | "sequences" | "lists" | "contacts" | "forms"
        ),
        [K(s), I(_), K(steps), I(_)] => s == "sequences" && steps == "steps",
        [K(p)] | [K(p), K(_)] => p == "properties",
        [K(c), I(_), K(p)] => c == "contacts" && p == "properties",
        _ => false,
    }
}

/// "the account", or the path in backticks (`users[0]`).
fn describe(path: &[Seg]) -> String {
    if path.is_empty() {
        return "the account".to_owned();
    }
    let mut out = String::new();
    for (i, seg) in path.iter().enumerate() {
        match seg {
            Seg::Index(n) => out.push_str(&format!("[{n}]")),
            Seg::Key(k) if i == 0 => out.push_str(k),
            Seg::Key(k) => out.push_str(&super::validate::key(k)),
        }
    }
    format!("`{out}`")
}
