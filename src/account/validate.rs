//! Validation of a raw account: uniqueness, references, the time zone and
//! property values. Problems are reported with the JSON path of the value.

use super::model::*;
use crate::diagnostic::{InputError, Location};

/// Turns a raw account into a validated [`Account`].
pub(crate) fn account(name: &str, raw: RawAccount) -> Result<Account, InputError> {
    let err =
        |path: String, message: String| InputError::new(name, Some(Location::Path(path)), message);
    let timezone = match raw.timezone.as_deref() {
        None => chrono_tz::UTC,
        Some(tz) => tz
            .parse::<chrono_tz::Tz>()
            .map_err(|_| err("timezone".into(), format!("unknown time zone `{tz}`")))?,
    };
    let mut properties = builtin_properties();
    for (prop, decl) in raw.properties {
        let ty = match (decl.kind, decl.values) {
            (RawPropertyKind::String, None) => PropertyType::String,
            (RawPropertyKind::Number, None) => PropertyType::Number,
            (RawPropertyKind::Bool, None) => PropertyType::Bool,
            (RawPropertyKind::Enum, Some(values)) => PropertyType::Enum(values),
            (RawPropertyKind::Enum, None) => {
                return Err(err(
                    format!("properties.{prop}"),
                    "an enum property needs `values`".into(),
                ));
            }
            (_, Some(_)) => {
                return Err(err(
                    format!("properties.{prop}.values"),
                    "only enum properties have `values`".into(),
                ));
            }
        };
        properties.insert(prop, ty);
    }
    Ok(Account {
        timezone,
        users: raw.users,
        sequences: raw.sequences,
        properties,
        lists: raw.lists,
        contacts: raw.contacts,
    })
}
