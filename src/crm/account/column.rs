//! What each column of the contacts CSV holds, from its header: the one
//! table of the CRM's column names (labels as its export writes them, and
//! its internal property names), the overrides' `[columns]`, and for any
//! other header a property named after it (`Number of Employees` →
//! `number_of_employees`). Headers are compared trimmed and ignoring case.

use super::overrides::OverridesFile;
use crate::diagnostic::{InputError, Location};
use std::collections::BTreeMap;

/// What a column holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// The contact's id (the CRM's record id).
    Id,
    /// The contact's email.
    Email,
    /// The owner: an owner id, a user's email or an owner's name.
    Owner,
    /// Unsubscribed from all email.
    Unsubscribed,
    /// A hard bounce reason: any value means the contact bounced.
    Bounced,
    /// A contact property.
    Property(String),
}

/// A column: its header as written and what it holds.
#[derive(Debug, Clone)]
pub struct Column {
    /// The header as written.
    pub header: String,
    /// What its cells are.
    pub target: Target,
}

/// The CRM's column names (export labels and internal names, lowercase)
/// and what they hold; the account's names are in the right column.
const KNOWN: &[(&[&str], &str)] = &[
    (&["record id", "hs_object_id", "contact id"], "id"),
    (&["email"], "email"),
    (&["contact owner", "hubspot_owner_id"], "owner"),
    (&["lifecycle stage", "lifecyclestage"], "lifecycle_stage"),
    (&["first name", "firstname"], "firstname"),
    (&["last name", "lastname"], "lastname"),
    (&["company name", "company"], "company"),
    (&["job title", "jobtitle"], "jobtitle"),
    (&["country/region", "country"], "country"),
    (
        &["unsubscribed from all email", "hs_email_optout"],
        "unsubscribed",
    ),
    (
        &[
            "email hard bounce reason",
            "hs_email_hard_bounce_reason_enum",
        ],
        "bounced",
    ),
];

/// The columns that must be there: the record id and the email.
pub const REQUIRED: &[(&str, &str)] = &[("id", "Record ID"), ("email", "Email")];

/// The target an account name stands for.
fn target(name: &str) -> Target {
    match name {
        "id" => Target::Id,
        "email" => Target::Email,
        "owner" => Target::Owner,
        "unsubscribed" => Target::Unsubscribed,
        "bounced" => Target::Bounced,
        other => Target::Property(other.to_owned()),
    }
}

/// The account's name for a target.
fn name(target: &Target) -> &str {
    match target {
        Target::Id => "id",
        Target::Email => "email",
        Target::Owner => "owner",
        Target::Unsubscribed => "unsubscribed",
        Target::Bounced => "bounced",
        Target::Property(p) => p,
    }
}

/// A property name from a header: lowercase letters, digits and single
/// underscores.
fn property_name(header: &str) -> String {
    let mut out = String::new();
    for c in header.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    while out.ends_with('_') {
        out.pop();
    }
    out
}

/// The columns of a header row. Two columns holding one thing, or a
/// required column missing, is an error on line 1. A column the
/// overrides name that the file does not have is ignored: one overrides
/// file serves exports of different columns.
pub fn of_headers(
    file: &str,
    headers: &csv::StringRecord,
    overrides: &OverridesFile,
) -> Result<Vec<Column>, InputError> {
    let line_one =
        |message: String| InputError::new(file, Some(Location::LineColumn(1, 1)), message);
    let renamed: BTreeMap<String, &toml::Spanned<String>> = overrides
        .overrides
        .columns
        .iter()
        .map(|(k, v)| (k.get_ref().trim().to_lowercase(), v))
        .collect();
    let mut columns: Vec<Column> = Vec::new();
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for header in headers.iter() {
        let header = header.trim().to_owned();
        let key = header.to_lowercase();
        let name = match renamed.get(&key) {
            Some(to) => to.get_ref().clone(),
            None => KNOWN
                .iter()
                .find(|(names, _)| names.contains(&key.as_str()))
                .map_or_else(|| property_name(&header), |(_, n)| (*n).to_owned()),
        };
        if name.is_empty() {
            return Err(line_one(format!(
                "the column `{header}` has no name to give its property: name it in `[columns]` of the overrides"
            )));
        }
        let target = target(&name);
        let name = self::name(&target).to_owned();
        if let Some(first) = seen.insert(name.clone(), header.clone()) {
            return Err(line_one(format!(
                "the columns `{first}` and `{header}` both hold `{name}`"
            )));
        }
        columns.push(Column { header, target });
    }
    for (required, label) in REQUIRED {
        if !columns.iter().any(|c| name(&c.target) == *required) {
            return Err(line_one(format!(
                "missing column `{label}` (the contact's {required}): the header row must name it"
            )));
        }
    }
    Ok(columns)
}
