//! Validation of a raw account: uniqueness, references, the time zone,
//! step fields and property values.
//!
//! Takes the [`RawAccount`] serde produced and gives a validated
//! [`Account`], or the first problem as an [`InputError`] located by the
//! JSON path of the offending value (`users[1].email`). Sections are checked
//! in the order users, properties, sequences, contacts, lists, so that every
//! reference points at something already validated.

use super::model::*;
use crate::diagnostic::{InputError, Location};
use crate::value::Value;
use std::collections::{BTreeMap, HashMap, HashSet};

/// The built-in properties that are contact fields rather than entries of
/// a contact's `properties`.
const CONTACT_FIELDS: &[&str] = &["email", "owner"];

/// Turns a raw account into a validated [`Account`].
pub(crate) fn account(name: &str, raw: RawAccount) -> Result<Account, InputError> {
    let err =
        |path: String, message: String| InputError::new(name, Some(Location::Path(path)), message);
    let timezone = match raw.timezone.as_deref() {
        None => chrono_tz::UTC,
        Some(tz) => tz.parse::<chrono_tz::Tz>().map_err(|_| {
            err(
                "timezone".into(),
                format!("unknown time zone `{tz}` (expected an IANA name such as `Europe/Warsaw`)"),
            )
        })?,
    };
    users(&raw.users).map_err(|(p, m)| err(p, m))?;
    let properties = properties(raw.properties).map_err(|(p, m)| err(p, m))?;
    let sequences = sequences(raw.sequences).map_err(|(p, m)| err(p, m))?;
    let contacts = contacts(raw.contacts, &raw.users, &properties).map_err(|(p, m)| err(p, m))?;
    lists(&raw.lists, &contacts).map_err(|(p, m)| err(p, m))?;
    crm_ids(&raw.users, &sequences, &raw.lists, &raw.forms).map_err(|(p, m)| err(p, m))?;
    Ok(Account {
        timezone,
        users: raw.users,
        sequences,
        properties,
        lists: raw.lists,
        contacts,
        forms: raw.forms,
    })
}

/// A problem: the JSON path and the message.
type Problem = (String, String);

/// `.name`, or `["na me"]` when the key is not a plain identifier.
pub(super) fn key(name: &str) -> String {
    let plain = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if plain {
        format!(".{name}")
    } else {
        format!("[{}]", serde_json::Value::String(name.to_owned()))
    }
}

/// Reports the first name that occurs twice: `what` names the thing, and
/// `path(i)` the place of its `i`th occurrence.
fn unique<'a>(
    names: impl Iterator<Item = &'a str>,
    what: &str,
    path: impl Fn(usize) -> String,
) -> Result<(), Problem> {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, n) in names.enumerate() {
        if let Some(first) = seen.insert(n, i) {
            return Err((
                path(i),
                format!("duplicate {what} `{n}` (first at `{}`)", path(first)),
            ));
        }
    }
    Ok(())
}

fn users(users: &[User]) -> Result<(), Problem> {
    unique(users.iter().map(|u| u.email.as_str()), "user", |i| {
        format!("users[{i}].email")
    })?;
    for (i, u) in users.iter().enumerate() {
        if u.daily_send_limit < 1 {
            return Err((
                format!("users[{i}].daily_send_limit"),
                "`daily_send_limit` must be a whole number of at least 1".into(),
            ));
        }
    }
    Ok(())
}

fn properties(
    declared: BTreeMap<String, RawProperty>,
) -> Result<BTreeMap<String, PropertyType>, Problem> {
    let mut properties = builtin_properties();
    for (prop, decl) in declared {
        let path = format!("properties{}", key(&prop));
        if properties.contains_key(&prop) {
            return Err((
                path,
                format!("`{prop}` is a built-in property and cannot be declared again"),
            ));
        }
        let ty = match (decl.kind, decl.values) {
            (RawPropertyKind::String, None) => PropertyType::String,
            (RawPropertyKind::Number, None) => PropertyType::Number,
            (RawPropertyKind::Bool, None) => PropertyType::Bool,
            (RawPropertyKind::Enum, Some(values)) => {
                if values.is_empty() {
                    return Err((
                        format!("{path}.values"),
                        "an enum property needs at least one value".into(),
                    ));
                }
                unique(values.iter().map(String::as_str), "enum value", |i| {
                    format!("{path}.values[{i}]")
                })?;
                PropertyType::Enum(values)
            }
            (RawPropertyKind::Enum, None) => {
                return Err((path, "an enum property needs `values`".into()));
            }
            (_, Some(_)) => {
                return Err((
                    format!("{path}.values"),
                    "only enum properties have `values`".into(),
                ));
            }
        };
        properties.insert(prop, ty);
    }
    Ok(properties)
}

fn sequences(raw: Vec<RawSequence>) -> Result<Vec<Sequence>, Problem> {
    unique(raw.iter().map(|s| s.name.as_str()), "sequence", |i| {
        format!("sequences[{i}].name")
    })?;
    let mut out = Vec::with_capacity(raw.len());
    for (i, seq) in raw.into_iter().enumerate() {
        let mut steps = Vec::with_capacity(seq.steps.len());
        for (j, step) in seq.steps.into_iter().enumerate() {
            let path = |field: &str| format!("sequences[{i}].steps[{j}].{field}");
            match step.kind {
                StepKind::Email => {
                    if step.title.is_some() {
                        return Err((
                            path("title"),
                            "`title` is for task steps; an email has `subject` and `body`".into(),
                        ));
                    }
                    if step.pause.is_some() {
                        return Err((
                            path("pause"),
                            "`pause` is for task steps; an email never pauses the sequence".into(),
                        ));
                    }
                }
                StepKind::Task => {
                    if step.subject.is_some() {
                        return Err((
                            path("subject"),
                            "`subject` is for email steps; a task has `title`, `body` and `pause`"
                                .into(),
                        ));
                    }
                }
            }
            steps.push(Step {
                kind: step.kind,
                delay_days: step.delay_days,
                subject: step.subject,
                body: step.body,
                title: step.title,
                pause: step.pause.unwrap_or(true),
            });
        }
        out.push(Sequence {
            name: seq.name,
            weekdays_only: seq.weekdays_only,
            deleted: seq.deleted,
            steps,
            crm_id: seq.crm_id,
        });
    }
    Ok(out)
}

fn contacts(
    raw: Vec<RawContact>,
    users: &[User],
    schema: &BTreeMap<String, PropertyType>,
) -> Result<Vec<Contact>, Problem> {
    let users: HashSet<&str> = users.iter().map(|u| u.email.as_str()).collect();
    unique(raw.iter().map(|c| c.id.as_str()), "contact", |i| {
        format!("contacts[{i}].id")
    })?;
    // Emails are compared exactly (case-sensitive), like every name here.
    let mut emails: HashMap<&str, usize> = HashMap::with_capacity(raw.len());
    for (i, c) in raw.iter().enumerate() {
        if let Some(email) = c.email.as_deref()
            && let Some(first) = emails.insert(email, i)
        {
            return Err((
                format!("contacts[{i}].email"),
                format!("duplicate contact email `{email}` (first at `contacts[{first}].email`)"),
            ));
        }
    }
    let mut out = Vec::with_capacity(raw.len());
    for (i, c) in raw.into_iter().enumerate() {
        if let Some(owner) = &c.owner
            && !users.contains(owner.as_str())
        {
            return Err((
                format!("contacts[{i}].owner"),
                format!("unknown user `{owner}`: an owner must be one of `users`"),
            ));
        }
        let mut properties = BTreeMap::new();
        for (prop, value) in c.properties {
            let path = || format!("contacts[{i}].properties{}", key(&prop));
            if CONTACT_FIELDS.contains(&prop.as_str()) {
                return Err((
                    path(),
                    format!(
                        "`{prop}` is a field of the contact, not a property: write it next to `id`"
                    ),
                ));
            }
            let value = property_value(&prop, &value, schema).map_err(|m| (path(), m))?;
            if let Some(value) = value {
                properties.insert(prop, value);
            }
        }
        out.push(Contact {
            id: c.id,
            email: c.email,
            owner: c.owner,
            properties,
            unsubscribed: c.unsubscribed,
            bounced: c.bounced,
        });
    }
    Ok(out)
}

/// Checks one property value against the schema; `null` leaves the
/// property unset.
pub(crate) fn property_value(
    prop: &str,
    value: &serde_json::Value,
    schema: &BTreeMap<String, PropertyType>,
) -> Result<Option<Value>, String> {
    use serde_json::Value as J;
    let Some(ty) = schema.get(prop) else {
        return Err(format!(
            "unknown property `{prop}`: declare it under `properties` first"
        ));
    };
    let found = match &value {
        J::Null => return Ok(None),
        J::Bool(b) => Value::Bool(*b),
        J::Number(n) => match n.as_f64() {
            Some(f) => Value::Number(f),
            None => return Err(format!("`{n}` is not a representable number")),
        },
        J::String(s) => Value::Text(s.as_str().into()),
        J::Array(_) => return Err(format!("expected {}, found a list", article(ty))),
        J::Object(_) => return Err(format!("expected {}, found an object", article(ty))),
    };
    if ty.admits(&found) {
        return Ok(Some(found));
    }
    match (ty, &found) {
        (PropertyType::Enum(values), Value::Text(s)) => Err(format!(
            "`{s}` is not a value of `{prop}` (expected one of {})",
            values
                .iter()
                .map(|v| format!("`{v}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )),
        (_, Value::Text(s)) => Err(format!("expected {}, found string `{s}`", article(ty))),
        (_, Value::Number(_)) => Err(format!("expected {}, found number `{value}`", article(ty))),
        (_, Value::Bool(b)) => Err(format!("expected {}, found bool `{b}`", article(ty))),
    }
}

/// "a number", "a string", "a bool", "an enum value".
fn article(ty: &PropertyType) -> &'static str {
    match ty {
        PropertyType::String => "a string",
        PropertyType::Number => "a number",
        PropertyType::Bool => "a bool",
        PropertyType::Enum(_) => "an enum value (a string)",
    }
}

fn lists(lists: &[List], contacts: &[Contact]) -> Result<(), Problem> {
    unique(lists.iter().map(|l| l.name.as_str()), "list", |i| {
        format!("lists[{i}].name")
    })?;
    let ids: HashSet<&str> = contacts.iter().map(|c| c.id.as_str()).collect();
    for (i, l) in lists.iter().enumerate() {
        for (j, m) in l.members.iter().enumerate() {
            if !ids.contains(m.as_str()) {
                return Err((
                    format!("lists[{i}].members[{j}]"),
                    format!("unknown contact `{m}`: a member must be one of `contacts`"),
                ));
            }
        }
        unique(l.members.iter().map(String::as_str), "member", |j| {
            format!("lists[{i}].members[{j}]")
        })?;
    }
    Ok(())
}

/// The CRM ids (`docs/crm.md`): each kind's ids are unique, as are form
/// names, so that an id read from a flow names one thing.
fn crm_ids(
    users: &[User],
    sequences: &[Sequence],
    lists: &[List],
    forms: &[Form],
) -> Result<(), Problem> {
    unique_ids(
        users.iter().map(|u| u.crm_user_id.as_deref()),
        "CRM user id",
        |i| format!("users[{i}].crm_user_id"),
    )?;
    unique_ids(
        users.iter().map(|u| u.crm_owner_id.as_deref()),
        "CRM owner id",
        |i| format!("users[{i}].crm_owner_id"),
    )?;
    unique_ids(
        sequences.iter().map(|s| s.crm_id.as_deref()),
        "CRM sequence id",
        |i| format!("sequences[{i}].crm_id"),
    )?;
    unique_ids(
        lists.iter().map(|l| l.crm_id.as_deref()),
        "CRM list id",
        |i| format!("lists[{i}].crm_id"),
    )?;
    unique(forms.iter().map(|f| f.name.as_str()), "form", |i| {
        format!("forms[{i}].name")
    })?;
    unique(
        forms.iter().map(|f| f.crm_id.as_str()),
        "CRM form id",
        |i| format!("forms[{i}].crm_id"),
    )
}

/// Like [`unique`], for optional ids: the absent ones are skipped but keep
/// their index in the paths.
fn unique_ids<'a>(
    ids: impl Iterator<Item = Option<&'a str>>,
    what: &str,
    path: impl Fn(usize) -> String,
) -> Result<(), Problem> {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, id) in ids.enumerate() {
        if let Some(id) = id
            && let Some(first) = seen.insert(id, i)
        {
            return Err((
                path(i),
                format!("duplicate {what} `{id}` (first at `{}`)", path(first)),
            ));
        }
    }
    Ok(())
}
