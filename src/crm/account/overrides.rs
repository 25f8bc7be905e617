//! The overrides TOML: what the CRM's exports do not say (seats, inboxes,
//! send limits, the time zone, list sources and members, forms, property
//! types and column names), written by the analyst (`docs/crm.md`,
//! "Importing the account").
//!
//! Every key keeps its place in the file, so that an override naming a
//! user, list or property the exports do not have is an error at its line
//! and column. Unknown keys, wrong types and unknown seats are refused by
//! the reader with the account loader's wording.

use crate::account::{PropertyType, Seat};
use crate::diagnostic::{InputError, Location};
use crate::source::SourceFile;
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

/// The overrides as read.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Overrides {
    /// The account's time zone.
    #[serde(default)]
    pub timezone: Option<Spanned<String>>,
    /// Per user, by email.
    #[serde(default)]
    pub users: BTreeMap<Spanned<String>, UserOverride>,
    /// Per list, by the list's id.
    #[serde(default)]
    pub lists: BTreeMap<Spanned<String>, ListOverride>,
    /// Form names and their ids.
    #[serde(default)]
    pub forms: BTreeMap<String, String>,
    /// Custom property declarations, as in the account.
    #[serde(default)]
    pub properties: BTreeMap<Spanned<String>, PropertyDecl>,
    /// CSV column header → the field or property it holds.
    #[serde(default)]
    pub columns: BTreeMap<Spanned<String>, Spanned<String>>,
}

/// What the exports do not say about a user.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserOverride {
    /// Seats held.
    #[serde(default)]
    pub seats: Vec<Seat>,
    /// Connected inboxes, the default first.
    #[serde(default)]
    pub inboxes: Vec<String>,
    /// Sequence emails per rolling 24 hours.
    #[serde(default)]
    pub daily_send_limit: Option<Spanned<i64>>,
}

/// What the lists export does not say about a list.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListOverride {
    /// Where its members came from (`import`, …).
    #[serde(default)]
    pub source: Option<String>,
    /// Record ids of the contacts in the list.
    #[serde(default)]
    pub members: Vec<Spanned<String>>,
}

/// A property declaration, as in the account's `properties`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PropertyDecl {
    /// The type.
    #[serde(rename = "type")]
    pub kind: DeclKind,
    /// An enum's values.
    #[serde(default)]
    pub values: Option<Vec<String>>,
}

/// The type of a declared property.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeclKind {
    /// Text.
    String,
    /// A number.
    Number,
    /// `true` or `false`.
    Bool,
    /// One of `values`.
    Enum,
}

/// The overrides file, read, with its text for placing errors.
pub struct OverridesFile {
    /// The file name as given.
    pub file: String,
    /// The text.
    pub text: String,
    /// What it says.
    pub overrides: Overrides,
}

impl OverridesFile {
    /// Reads overrides text; a syntax or shape error is at its line and
    /// column.
    pub fn parse(file: &str, text: String) -> Result<OverridesFile, InputError> {
        let overrides = toml::from_str::<Overrides>(&text)
            .map_err(|e| crate::account::toml_error(file, &text, &e))?;
        Ok(OverridesFile {
            file: file.to_owned(),
            text,
            overrides,
        })
    }

    /// No overrides: every user without seats, no time zone.
    pub fn empty() -> OverridesFile {
        OverridesFile {
            file: String::new(),
            text: String::new(),
            overrides: Overrides::default(),
        }
    }

    /// An error at the start of a key or value of this file.
    pub fn error_at(&self, span: std::ops::Range<usize>, message: impl Into<String>) -> InputError {
        let (line, col) = SourceFile::new(&self.file, self.text.as_str()).line_col(span.start);
        InputError::new(&self.file, Some(Location::LineColumn(line, col)), message)
    }

    /// The declared property types, checked: a built-in property may not be
    /// declared again, an enum needs values and only an enum has them.
    pub fn property_types(&self) -> Result<BTreeMap<String, PropertyType>, InputError> {
        let builtin = crate::account::builtin_properties();
        let mut out = BTreeMap::new();
        for (name, decl) in &self.overrides.properties {
            let at = name.span();
            let name = name.get_ref();
            if builtin.contains_key(name) {
                return Err(self.error_at(
                    at,
                    format!("`{name}` is a built-in property: it cannot be declared again"),
                ));
            }
            let kind = match (decl.kind, &decl.values) {
                (DeclKind::Enum, Some(values)) if !values.is_empty() => {
                    PropertyType::Enum(values.clone())
                }
                (DeclKind::Enum, _) => {
                    return Err(self.error_at(
                        at,
                        format!("the enum property `{name}` needs at least one value in `values`"),
                    ));
                }
                (_, Some(_)) => {
                    return Err(self.error_at(
                        at,
                        format!(
                            "`values` belongs to enum properties only, and `{name}` is not one"
                        ),
                    ));
                }
                (DeclKind::String, None) => PropertyType::String,
                (DeclKind::Number, None) => PropertyType::Number,
                (DeclKind::Bool, None) => PropertyType::Bool,
            };
            out.insert(name.clone(), kind);
        }
        Ok(out)
    }

    /// The daily send limit of a user override, checked to be from 1 to
    /// 4294967295.
    pub fn send_limit(&self, user: &UserOverride) -> Result<Option<u32>, InputError> {
        let Some(limit) = &user.daily_send_limit else {
            return Ok(None);
        };
        match u32::try_from(*limit.get_ref()) {
            Ok(n) if n >= 1 => Ok(Some(n)),
            _ => Err(self.error_at(
                limit.span(),
                format!(
                    "expected a whole number from 1 to {}, found the number `{}`",
                    u32::MAX,
                    limit.get_ref()
                ),
            )),
        }
    }

    /// The time zone, checked to be an IANA name.
    pub fn timezone(&self) -> Result<Option<String>, InputError> {
        let Some(tz) = &self.overrides.timezone else {
            return Ok(None);
        };
        match tz.get_ref().parse::<chrono_tz::Tz>() {
            Ok(_) => Ok(Some(tz.get_ref().clone())),
            Err(_) => Err(self.error_at(
                tz.span(),
                format!(
                    "unknown time zone `{}`: expected an IANA name such as `Europe/Warsaw`",
                    tz.get_ref()
                ),
            )),
        }
    }
}
