//! An account file built from the CRM's exports (`docs/crm.md`,
//! "Importing the account"): users and owners ([`people`]), sequences
//! ([`sequences`]) and lists ([`lists`]) from its API JSON, contacts from
//! its CSV export ([`contacts`], [`column`]), and what no export says from
//! the analyst's overrides TOML ([`overrides`]).
//!
//! [`build`] takes the files' texts and gives the account's JSON text,
//! with warnings (users without a seat, lists of other objects, rounded
//! delays) and notes (inferred property types). Every bad input is an
//! [`InputError`] located in the file it came from (line, column and JSON
//! path for JSON; row number and line for the CSV; line and column for
//! TOML). The text is loaded by the account loader before it is given
//! back, so an account `build` returns is one `wf check` accepts. Nothing
//! here reads or writes files.

mod column;
mod contacts;
mod lists;
mod out;
mod overrides;
mod people;
mod sequences;

pub use overrides::OverridesFile;

use crate::crm::json::{Doc, Node, Problem};
use crate::diagnostic::InputError;
use out::{AccountFile, FormOut, PropertyOut};
use serde_json::Value;

/// The CRM's exports, read and parsed.
pub struct Exports {
    /// Owners (`PublicOwner`).
    pub owners: Doc,
    /// Users (`PublicUser`).
    pub users: Doc,
    /// Sequences (`PublicSequenceResponse`).
    pub sequences: Doc,
    /// Lists (`PublicObjectList`), if given.
    pub lists: Option<Doc>,
    /// The contacts CSV: its file name and text.
    pub contacts: (String, String),
    /// The overrides, or none.
    pub overrides: OverridesFile,
}

/// An imported account.
#[derive(Debug)]
pub struct Imported {
    /// The account file's JSON text, ending in a line break.
    pub text: String,
    /// What the exports could not say or the import changed.
    pub warnings: Vec<String>,
    /// Property types inferred from the contacts' values.
    pub notes: Vec<String>,
    /// "2 users (1 without a seat), 2 sequences, 2 lists, 3 contacts".
    pub summary: String,
}

/// The records of an export: an array, a list response's `results`, or
/// one record (an object with `id_key`).
fn records<'a>(root: &Node<'a>, what: &str, id_key: &str) -> Result<Vec<Node<'a>>, Problem> {
    match root.value {
        Value::Array(_) => root.array(),
        Value::Object(map) if map.contains_key("results") => root.req("results")?.array(),
        Value::Object(map) if map.contains_key(id_key) => Ok(vec![root.clone()]),
        _ => Err(root.expected(&format!(
            "{what}, an array of them, or a list response with `results`"
        ))),
    }
}

/// Builds the account; `out_name` names it in the loader's messages.
pub fn build(exports: &Exports, out_name: &str) -> Result<Imported, InputError> {
    let mut warnings = Vec::new();
    let ov = &exports.overrides;
    let mut people = people::users(&exports.users.root()).map_err(|p| exports.users.error(&p))?;
    people::add_owners(&mut people, &exports.owners.root(), &mut warnings)
        .map_err(|p| exports.owners.error(&p))?;
    let sequences = sequences::read(&exports.sequences.root(), &mut warnings)
        .map_err(|p| exports.sequences.error(&p))?;
    let mut lists = match &exports.lists {
        Some(doc) => lists::read(&doc.root(), &mut warnings).map_err(|p| doc.error(&p))?,
        None => Vec::new(),
    };
    for (email, user_override) in &ov.overrides.users {
        let Some(user) = people
            .users
            .iter_mut()
            .find(|u| &u.email == email.get_ref())
        else {
            return Err(ov.error_at(
                email.span(),
                format!(
                    "unknown user `{}`: not in the users or owners export",
                    email.get_ref()
                ),
            ));
        };
        user.seats = user_override.seats.clone();
        user.inboxes = user_override.inboxes.clone();
        user.daily_send_limit = ov.send_limit(user_override)?;
    }
    let declared = ov.property_types()?;
    let mut schema = crate::account::builtin_properties();
    schema.extend(declared.iter().map(|(k, v)| (k.clone(), v.clone())));
    let (csv_name, csv_text) = &exports.contacts;
    let contacts = contacts::read(csv_name, csv_text, &schema, ov, &people)?;
    for (id, list_override) in &ov.overrides.lists {
        let Some(list) = lists.iter_mut().find(|l| &l.crm_id == id.get_ref()) else {
            return Err(ov.error_at(
                id.span(),
                format!(
                    "unknown list id `{}`: not in the lists export",
                    id.get_ref()
                ),
            ));
        };
        for member in &list_override.members {
            if !contacts.contacts.iter().any(|c| &c.id == member.get_ref()) {
                return Err(ov.error_at(
                    member.span(),
                    format!(
                        "unknown contact `{}`: not a record id of `{csv_name}`",
                        member.get_ref()
                    ),
                ));
            }
        }
        list.source = list_override.source.clone();
        list.members = list_override
            .members
            .iter()
            .map(|m| m.get_ref().clone())
            .collect();
    }
    let seatless: Vec<&str> = people
        .users
        .iter()
        .filter(|u| u.seats.is_empty())
        .map(|u| u.email.as_str())
        .collect();
    if !seatless.is_empty() {
        warnings.push(format!(
            "{} user{} no known seat and {} written with none (give `seats` under `[users.\"EMAIL\"]` in the overrides): {}",
            seatless.len(),
            if seatless.len() == 1 { " has" } else { "s have" },
            if seatless.len() == 1 { "is" } else { "are" },
            seatless.join(", ")
        ));
    }
    let mut properties: std::collections::BTreeMap<String, PropertyOut> = declared
        .iter()
        .map(|(name, kind)| (name.clone(), property_out(kind)))
        .collect();
    properties.extend(contacts.inferred.clone());
    let summary = format!(
        "{} user{} ({} without a seat), {} sequence{}, {} list{}, {} contact{}",
        people.users.len(),
        plural(people.users.len()),
        seatless.len(),
        sequences.len(),
        plural(sequences.len()),
        lists.len(),
        plural(lists.len()),
        contacts.contacts.len(),
        plural(contacts.contacts.len()),
    );
    let file = AccountFile {
        timezone: ov.timezone()?,
        users: people.users,
        sequences,
        properties,
        lists,
        forms: ov
            .overrides
            .forms
            .iter()
            .map(|(name, id)| FormOut {
                name: name.clone(),
                crm_id: id.clone(),
            })
            .collect(),
        contacts: contacts.contacts,
    };
    let mut text = serde_json::to_string_pretty(&file)
        .map_err(|e| InputError::new(out_name, None, format!("cannot write the account: {e}")))?;
    text.push('\n');
    crate::account::from_text(out_name, &text, false).map_err(|e| {
        InputError::new(
            &e.file,
            e.location.clone(),
            format!(
                "the imported account would not be valid (nothing written): {}",
                e.message
            ),
        )
    })?;
    Ok(Imported {
        text,
        warnings,
        notes: contacts.notes,
        summary,
    })
}

/// "s" unless one.
fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// A declared type as the account writes it.
fn property_out(kind: &crate::account::PropertyType) -> PropertyOut {
    let values = match kind {
        crate::account::PropertyType::Enum(values) => Some(values.clone()),
        _ => None,
    };
    PropertyOut {
        kind: kind.name(),
        values,
    }
}
