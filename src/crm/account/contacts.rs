//! Contacts from the CRM's contacts CSV export: a header row as the CRM
//! writes it (`Record ID`, `Email`, `Contact owner`, `Lifecycle Stage`,
//! `First Name`, … or the internal names `hs_object_id`, `email`, …), then
//! one row per contact.
//!
//! Each column holds a contact field (id, email, owner, unsubscribed,
//! bounced) or a property. A property's values are typed by the account's
//! schema (the built-ins and the overrides' `[properties]`); a column the
//! schema does not know gets a type inferred from its values (number when
//! every value is one, bool when every value is `true` or `false`, string
//! otherwise), declared in the account and reported. An empty cell is an
//! unset value. Every bad cell is an error with its row number (the first
//! row after the header is row 1) at the row's line.

use super::column::{self, Column, Target};
use super::out::{ContactOut, PropertyOut};
use super::overrides::OverridesFile;
use super::people::People;
use crate::account::{LIFECYCLE_STAGES, PropertyType};
use crate::diagnostic::{InputError, Location};
use serde_json::Value;
use std::collections::BTreeMap;

/// The contacts, the property declarations inferred for them, and a note
/// per inference.
#[derive(Debug, Default)]
pub struct Contacts {
    /// In row order.
    pub contacts: Vec<ContactOut>,
    /// Properties the schema did not know, typed from their values.
    pub inferred: BTreeMap<String, PropertyOut>,
    /// "inferred `x` (column `X`) as number from 3 values".
    pub notes: Vec<String>,
}

/// One data row: its number, its line in the file and its cells.
struct Row {
    number: usize,
    line: usize,
    cells: Vec<String>,
}

/// Reads the CSV `text` of file `file`.
pub fn read(
    file: &str,
    text: &str,
    schema: &BTreeMap<String, PropertyType>,
    overrides: &OverridesFile,
    people: &People,
) -> Result<Contacts, InputError> {
    let at_line = |line: usize, message: String| {
        InputError::new(file, Some(Location::LineColumn(line.max(1), 1)), message)
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| at_line(1, format!("not a CSV header row: {}", csv_message(&e))))?
        .clone();
    let columns = column::of_headers(file, &headers, overrides)?;
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let number = i + 1;
        let record = record.map_err(|e| {
            let line = e.position().map_or(1, |p| p.line() as usize);
            at_line(line, format!("row {number}: {}", csv_message(&e)))
        })?;
        let line = record.position().map_or(1, |p| p.line() as usize);
        let cells = record.iter().map(|c| c.trim().to_owned()).collect();
        rows.push(Row {
            number,
            line,
            cells,
        });
    }
    let mut out = Contacts::default();
    let mut types: Vec<Option<PropertyType>> = Vec::new();
    for (index, col) in columns.iter().enumerate() {
        let Target::Property(name) = &col.target else {
            types.push(None);
            continue;
        };
        let kind = match schema.get(name) {
            Some(kind) => kind.clone(),
            None => {
                let (kind, count) = infer(rows.iter().filter_map(|r| r.cells.get(index)));
                out.notes.push(format!(
                    "inferred the type of `{name}` (column `{}`) as {} from {count} value{}",
                    col.header,
                    kind.name(),
                    if count == 1 { "" } else { "s" }
                ));
                out.inferred.insert(
                    name.clone(),
                    PropertyOut {
                        kind: kind.name(),
                        values: None,
                    },
                );
                kind
            }
        };
        types.push(Some(kind));
    }
    let mut ids: BTreeMap<String, usize> = BTreeMap::new();
    let mut emails: BTreeMap<String, usize> = BTreeMap::new();
    for row in &rows {
        let cell_error = |col: &Column, message: String| {
            at_line(
                row.line,
                format!("row {}, column `{}`: {message}", row.number, col.header),
            )
        };
        let mut contact = ContactOut {
            id: String::new(),
            email: None,
            owner: None,
            properties: BTreeMap::new(),
            unsubscribed: false,
            bounced: false,
        };
        for ((col, kind), cell) in columns.iter().zip(&types).zip(&row.cells) {
            if cell.is_empty() {
                continue;
            }
            match (&col.target, kind) {
                (Target::Id, _) => contact.id = cell.clone(),
                (Target::Email, _) => contact.email = Some(cell.clone()),
                (Target::Owner, _) => {
                    contact.owner = Some(owner(cell, people).map_err(|m| cell_error(col, m))?);
                }
                (Target::Unsubscribed, _) => {
                    contact.unsubscribed = boolean(cell).map_err(|m| cell_error(col, m))?;
                }
                (Target::Bounced, _) => contact.bounced = true,
                (Target::Property(name), Some(kind)) => {
                    let value = typed(name, cell, kind).map_err(|m| cell_error(col, m))?;
                    contact.properties.insert(name.clone(), value);
                }
                (Target::Property(_), None) => {}
            }
        }
        let id_col = columns.iter().find(|c| c.target == Target::Id);
        if contact.id.is_empty() {
            let header = id_col.map_or("Record ID", |c| c.header.as_str());
            return Err(at_line(
                row.line,
                format!(
                    "row {}, column `{header}`: a contact needs a record id",
                    row.number
                ),
            ));
        }
        if let Some(first) = ids.insert(contact.id.clone(), row.number) {
            return Err(at_line(
                row.line,
                format!(
                    "row {}: duplicate record id `{}` (first in row {first})",
                    row.number, contact.id
                ),
            ));
        }
        if let Some(email) = &contact.email
            && let Some(first) = emails.insert(email.clone(), row.number)
        {
            return Err(at_line(
                row.line,
                format!(
                    "row {}: duplicate contact email `{email}` (first in row {first})",
                    row.number
                ),
            ));
        }
        out.contacts.push(contact);
    }
    Ok(out)
}

/// The csv reader's message, in the words of a row: fields, not bytes.
fn csv_message(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!(
            "{len} field{} where the header has {expected_len}",
            if *len == 1 { "" } else { "s" }
        ),
        _ => {
            let m = e.to_string();
            match m.split_once(": ") {
                Some((_, rest)) if m.starts_with("CSV") => rest.to_owned(),
                _ => m,
            }
        }
    }
}

/// The type of a column's values, and how many there were.
fn infer<'a>(cells: impl Iterator<Item = &'a String>) -> (PropertyType, usize) {
    let (mut count, mut numbers, mut booleans) = (0, true, true);
    for cell in cells.filter(|c| !c.is_empty()) {
        count += 1;
        numbers &= number(cell).is_some();
        booleans &= matches!(cell.to_ascii_lowercase().as_str(), "true" | "false");
    }
    let kind = if count == 0 {
        PropertyType::String
    } else if numbers {
        PropertyType::Number
    } else if booleans {
        PropertyType::Bool
    } else {
        PropertyType::String
    };
    (kind, count)
}

/// A finite number.
fn number(cell: &str) -> Option<f64> {
    cell.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// `true`/`false` (also `yes`/`no`, as a checkbox is shown), any case.
fn boolean(cell: &str) -> Result<bool, String> {
    match cell.to_ascii_lowercase().as_str() {
        "true" | "yes" => Ok(true),
        "false" | "no" => Ok(false),
        _ => Err(format!("expected `true` or `false`, found `{cell}`")),
    }
}

/// A cell as a value of the property's type.
fn typed(name: &str, cell: &str, kind: &PropertyType) -> Result<Value, String> {
    match kind {
        PropertyType::String => Ok(Value::String(cell.to_owned())),
        PropertyType::Bool => boolean(cell).map(Value::Bool),
        PropertyType::Number => {
            let n = number(cell)
                .ok_or_else(|| format!("expected a number for `{name}`, found `{cell}`"))?;
            Ok(number_value(n))
        }
        PropertyType::Enum(values) if name == "lifecycle_stage" => {
            let key: String = cell
                .chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect();
            match values.iter().find(|v| **v == key) {
                Some(v) => Ok(Value::String(v.clone())),
                None => Err(format!(
                    "unknown lifecycle stage `{cell}`: expected one of {}",
                    LIFECYCLE_STAGES
                        .iter()
                        .map(|s| format!("`{s}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            }
        }
        PropertyType::Enum(values) => match values.iter().find(|v| *v == cell) {
            Some(v) => Ok(Value::String(v.clone())),
            None => Err(format!(
                "`{cell}` is not a value of `{name}`: expected one of {}",
                values
                    .iter()
                    .map(|s| format!("`{s}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        },
    }
}

/// A whole number as an integer (`40`, not `40.0`), others as they are.
fn number_value(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() < 9_007_199_254_740_992.0 {
        // INVARIANT: a whole number below 2^53 is exactly an i64.
        Value::from(n as i64)
    } else {
        serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number)
    }
}

/// The owner's user email for an owner cell: an owner id, a user's email
/// or an owner's full name.
fn owner(cell: &str, people: &People) -> Result<String, String> {
    if let Some(email) = people.by_owner_id.get(cell) {
        return Ok(email.clone());
    }
    if people.skipped_owners.contains(cell) {
        return Err(format!(
            "the owner `{cell}` has no email in the owners export, so it is not a user"
        ));
    }
    if people.users.iter().any(|u| u.email == cell) {
        return Ok(cell.to_owned());
    }
    match people.by_name.get(cell) {
        Some(Some(email)) => Ok(email.clone()),
        Some(None) => Err(format!(
            "two owners are named `{cell}`: export the owner id or email instead"
        )),
        None => Err(format!(
            "unknown owner `{cell}`: not an owner id, user email or owner name of the exports"
        )),
    }
}
