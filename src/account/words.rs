//! serde's and `toml`'s error messages in the words of an account file.
//!
//! The deserializers describe what they met and what they wanted in Rust's
//! terms ("invalid type: sequence, expected struct User", "unknown
//! variant"). [`in_words`] rewrites such a message as `expected WANTED,
//! found MET`, with a JSON array called a list, an object an object (a
//! table in TOML), a TOML date-time a date-time, and no type names; other
//! messages pass through. User text in the message is escaped
//! ([`crate::source::escaped`]). The model's own `expecting` strings
//! (`model.rs`) already speak of a user, a step, a whole number from 1 to
//! 4294967295, so only serde's built-in words need rewriting here.

use crate::source::escaped;

/// Which file format a message comes from: it decides the name of a map.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// JSON: objects.
    Json,
    /// TOML: tables.
    Toml,
}

impl Format {
    fn map(self) -> &'static str {
        match self {
            Format::Json => "an object",
            Format::Toml => "a table",
        }
    }
}

/// A deserializer's message in the account's words (see the module header).
pub(crate) fn in_words(message: &str, format: Format) -> String {
    let message = escaped(message);
    for prefix in ["invalid type: ", "invalid value: "] {
        if let Some(rest) = message.strip_prefix(prefix)
            && let Some((met, wanted)) = rest.split_once(", expected ")
        {
            return format!(
                "expected {}, found {}",
                wanted_words(wanted, format),
                met_words(met, format)
            );
        }
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        return format!(
            "unknown value {}",
            rest.replacen(", expected", ": expected", 1)
        );
    }
    if let Some(rest) = message.strip_prefix("unknown field ") {
        return format!(
            "unknown field {}",
            rest.replacen(", expected", ": expected", 1)
        );
    }
    match message.as_ref() {
        "recursion limit exceeded" | "cannot recurse further; max recursion depth met" => {
            let maps = match format {
                Format::Json => "objects",
                Format::Toml => "tables",
            };
            format!("lists and {maps} are nested too deeply here")
        }
        _ => message.into_owned(),
    }
}

/// serde's `Unexpected` (what was met) in words.
fn met_words(met: &str, format: Format) -> String {
    if let Some(n) = met
        .strip_prefix("integer ")
        .or_else(|| met.strip_prefix("floating point "))
    {
        return format!("the number {n}");
    }
    if let Some(b) = met.strip_prefix("boolean ") {
        return b.to_owned();
    }
    if let Some(s) = met.strip_prefix("string ") {
        return format!("the string {s}");
    }
    match met {
        "map" => format.map().to_owned(),
        "sequence" => "a list".to_owned(),
        "date-time" => "a date-time".to_owned(),
        "null" | "unit value" => "null".to_owned(),
        other => other.to_owned(),
    }
}

/// What was wanted, in words: serde's built-in expectations are renamed;
/// the model's own are already words.
fn wanted_words(wanted: &str, format: Format) -> String {
    match wanted {
        "a sequence" => "a list".to_owned(),
        "a map" => format.map().to_owned(),
        "a boolean" => "`true` or `false`".to_owned(),
        "u32" | "u64" | "i64" | "f64" => "a number".to_owned(),
        _ if wanted.starts_with("struct ") || wanted.starts_with("enum ") => {
            format.map().to_owned()
        }
        other => other.replace("an object", format.map()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_words_become_account_words() {
        let json = |m| in_words(m, Format::Json);
        assert_eq!(
            json("invalid type: sequence, expected a map"),
            "expected an object, found a list"
        );
        assert_eq!(
            json("invalid type: integer `1`, expected struct User"),
            "expected an object, found the number `1`"
        );
        assert_eq!(
            json("invalid type: string \"x\", expected a sequence"),
            "expected a list, found the string \"x\""
        );
        assert_eq!(
            in_words("invalid type: map, expected a string", Format::Toml),
            "expected a string, found a table"
        );
        assert_eq!(
            json("unknown variant `x\0`, expected `a` or `b`"),
            "unknown value `x\\u{0}`: expected `a` or `b`"
        );
    }
}
