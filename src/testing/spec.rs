//! Reading a test file (`NAME.test.toml`) into a [`TestSpec`]: every key
//! checked, every path joined to the test's folder, every expectation's
//! fields, decisions and reasons checked against the trace's; each
//! mistake an [`InputError`] at `FILE:LINE:COL` naming the key, with a
//! "did you mean" and the valid names.

use super::expect::{Expectation, Field, Want};
use crate::diagnostic::InputError;
use crate::project::doc::{self, Doc, Value, type_name};
use crate::project::{self, Project};
use crate::runtime::engine::record::{Decision, Reason};
use crate::runtime::replay::parse_time;
use chrono::{DateTime, Utc};
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::de::{DeTable, DeValue};

/// The keys a test file may have.
const KEYS: &[&str] = &[
    "description",
    "scripts",
    "account",
    "events",
    "event",
    "steps",
    "until",
    "contacts",
    "expect",
    "reject",
];

/// A test file, read and checked.
pub struct TestSpec {
    /// The test file.
    pub path: PathBuf,
    /// What the test is about, if said.
    pub description: Option<String>,
    /// The scripts, in order.
    pub scripts: Vec<PathBuf>,
    /// The account file: the test's `account`, else the project's; `None`
    /// when neither names one (an error unless the caller has an account,
    /// as the REPL's `:test` has).
    pub account: Option<PathBuf>,
    /// Where the events come from.
    pub events: Events,
    /// Step records in the trace (`wf run --steps`).
    pub steps: bool,
    /// Stop the replay at this time (`wf run --until`).
    pub until: Option<DateTime<Utc>>,
    /// Property values set on account contacts before the run.
    pub contacts: Vec<ContactOverride>,
    /// `[[expect]]` tables, in file order.
    pub expects: Vec<Expectation>,
    /// `[[reject]]` tables, in file order.
    pub rejects: Vec<Expectation>,
    /// The file's text, to place problems found later (in overrides and
    /// inline events, once the account is known).
    pub doc: Doc,
}

/// The events of a test.
pub enum Events {
    /// A JSON Lines file, relative to the test.
    File(PathBuf),
    /// Inline `[[event]]` tables, each as a JSON line, with the place of
    /// the table and of each of its keys.
    Inline(Vec<InlineEvent>),
}

/// One `[[event]]` table as the JSON line the events reader takes.
pub struct InlineEvent {
    /// The JSON object, on one line.
    pub json: String,
    /// The table's place.
    pub span: Range<usize>,
    /// Each key's name and place, and the place of its value when it is
    /// text, to place a problem the reader names.
    pub keys: Vec<EventKey>,
}

/// A key of an `[[event]]` table.
pub struct EventKey {
    /// The key.
    pub name: String,
    /// Where the key is.
    pub span: Range<usize>,
    /// The value, when it is a string.
    pub text: Option<String>,
    /// Where the value is.
    pub value_span: Range<usize>,
}

/// `[contacts."ID"]`: property values for one account contact.
pub struct ContactOverride {
    /// The contact id.
    pub id: String,
    /// The place of the id.
    pub span: Range<usize>,
    /// Property name, its place, the value as JSON and its place.
    pub properties: Vec<(String, Range<usize>, serde_json::Value, Range<usize>)>,
}

/// Every trace field an expectation can name.
pub const FIELDS: &[&str] = &[
    "at", "decision", "contact", "sequence", "sender", "via", "reason", "rule", "workflow",
    "event", "step", "until",
];

/// Every skip or unenroll reason as written in the trace.
pub const REASONS: &[Reason] = &Reason::ALL;

/// Reads and checks the test file at `path`. `project` gives the default
/// scripts and account (the nearest `wf.toml` from the test's folder up).
pub fn read(path: &Path, project: Option<&Project>) -> Result<TestSpec, InputError> {
    let name = path.display().to_string();
    let text = crate::source::read_text(path, crate::source::FileKind::TEST)?;
    let doc = Doc::new(&name, &text);
    let table = doc.parse(&text)?;
    doc.known_keys(&table, "", KEYS)?;
    let dir = path.parent().unwrap_or(Path::new(""));
    let join = |p: &str| project::normalize(&dir.join(p));
    let description = table
        .get("description")
        .map(|v| doc.string("description", v))
        .transpose()?;
    let scripts = match table.get("scripts") {
        Some(v) => {
            let mut scripts = Vec::new();
            for (s, span) in doc.strings("scripts", v)? {
                let script = join(&s);
                if !script.is_file() {
                    return Err(doc.error(
                        span,
                        format!("script `{}` does not exist", script.display()),
                    ));
                }
                scripts.push(script);
            }
            scripts
        }
        None => match project {
            Some(p) if !p.scripts.is_empty() => p.scripts.clone(),
            _ => {
                return Err(doc.error(
                    0..0,
                    "no `scripts` in the test and no wf.toml with `scripts` above it",
                ));
            }
        },
    };
    let account = match table.get("account") {
        Some(v) => {
            let account = join(&doc.string("account", v)?);
            if !account.is_file() {
                return Err(doc.error(
                    v.span(),
                    format!("account file `{}` does not exist", account.display()),
                ));
            }
            Some(account)
        }
        None => project.and_then(|p| p.account.clone()),
    };
    let events = match (table.get("events"), table.get("event")) {
        (Some(_), Some(inline)) => {
            return Err(doc.error(
                inline.span(),
                "a test takes `events = \"FILE\"` or `[[event]]` tables, not both",
            ));
        }
        (Some(v), None) => {
            let file = join(&doc.string("events", v)?);
            if !file.is_file() {
                return Err(doc.error(
                    v.span(),
                    format!("events file `{}` does not exist", file.display()),
                ));
            }
            Events::File(file)
        }
        (None, Some(v)) => Events::Inline(inline_events(&doc, v)?),
        (None, None) => Events::Inline(Vec::new()),
    };
    let steps = match table.get("steps") {
        Some(v) => match v.get_ref() {
            DeValue::Boolean(b) => *b,
            other => {
                return Err(doc.error(
                    v.span(),
                    format!("`steps` must be true or false, not {}", type_name(other)),
                ));
            }
        },
        None => false,
    };
    let until = table
        .get("until")
        .map(|v| time(&doc, "until", v))
        .transpose()?;
    let contacts = match table.get("contacts") {
        Some(v) => contact_overrides(&doc, v)?,
        None => Vec::new(),
    };
    let expects = expectations(&doc, &table, "expect")?;
    let rejects = expectations(&doc, &table, "reject")?;
    Ok(TestSpec {
        path: path.to_path_buf(),
        description,
        scripts,
        account,
        events,
        steps,
        until,
        contacts,
        expects,
        rejects,
        doc,
    })
}

/// A time: a TOML date-time or an RFC 3339 string with an offset.
fn time(doc: &Doc, key: &str, value: &Value<'_>) -> Result<DateTime<Utc>, InputError> {
    let text = match value.get_ref() {
        DeValue::String(s) => s.to_string(),
        DeValue::Datetime(d) => d.to_string(),
        other => {
            return Err(doc.error(
                value.span(),
                format!("`{key}` must be a time, not {}", type_name(other)),
            ));
        }
    };
    parse_time(&text).map_err(|_| {
        doc.error(
            value.span(),
            format!(
                "`{key}`: `{text}` is not an RFC 3339 time with offset (e.g. 2026-03-02T08:15:00Z)"
            ),
        )
    })
}

/// The tables of an array of tables (`[[expect]]`), each with its place.
fn tables<'a, 'i>(
    doc: &Doc,
    key: &str,
    value: &'a Value<'i>,
) -> Result<Vec<(&'a DeTable<'i>, Range<usize>)>, InputError> {
    let not_tables = || {
        doc.error(
            value.span(),
            format!("`{key}` must be written as `[[{key}]]` tables"),
        )
    };
    let DeValue::Array(items) = value.get_ref() else {
        return Err(not_tables());
    };
    items
        .iter()
        .map(|item| match item.get_ref() {
            DeValue::Table(t) => Ok((t, item.span())),
            _ => Err(not_tables()),
        })
        .collect()
}

/// The `[[event]]` tables as JSON lines.
fn inline_events(doc: &Doc, value: &Value<'_>) -> Result<Vec<InlineEvent>, InputError> {
    let mut events = Vec::new();
    for (table, span) in tables(doc, "event", value)? {
        let mut object = serde_json::Map::new();
        let mut keys = Vec::new();
        for (k, v) in table {
            object.insert(k.get_ref().to_string(), json(doc, k.get_ref(), v)?);
            keys.push(EventKey {
                name: k.get_ref().to_string(),
                span: k.span(),
                text: v.get_ref().as_str().map(str::to_owned),
                value_span: v.span(),
            });
        }
        keys.sort_by_key(|k| k.span.start);
        events.push(InlineEvent {
            json: serde_json::Value::Object(object).to_string(),
            span,
            keys,
        });
    }
    Ok(events)
}

/// A TOML value as the JSON value an events file would hold: date-times
/// become RFC 3339 strings.
pub fn json(doc: &Doc, key: &str, value: &Value<'_>) -> Result<serde_json::Value, InputError> {
    use serde_json::Value as J;
    Ok(match value.get_ref() {
        DeValue::String(s) => J::String(s.to_string()),
        DeValue::Integer(i) => {
            let digits = i.as_str().replace('_', "");
            match i64::from_str_radix(&digits, i.radix()) {
                Ok(n) => J::from(n),
                Err(_) => {
                    return Err(doc.error(value.span(), format!("`{key}`: integer out of range")));
                }
            }
        }
        DeValue::Float(f) => {
            let n = f.as_str().replace('_', "").parse::<f64>().ok();
            match n.and_then(serde_json::Number::from_f64) {
                Some(n) => J::Number(n),
                None => {
                    return Err(doc.error(
                        value.span(),
                        format!("`{key}`: `nan` and `inf` are not numbers an event can hold"),
                    ));
                }
            }
        }
        DeValue::Boolean(b) => J::Bool(*b),
        DeValue::Datetime(d) => J::String(d.to_string()),
        DeValue::Array(items) => J::Array(
            items
                .iter()
                .map(|v| json(doc, key, v))
                .collect::<Result<_, _>>()?,
        ),
        DeValue::Table(t) => {
            let mut object = serde_json::Map::new();
            for (k, v) in t {
                object.insert(k.get_ref().to_string(), json(doc, k.get_ref(), v)?);
            }
            J::Object(object)
        }
    })
}

/// `[contacts."c-1"]` tables; the ids and properties are checked against
/// the account when the test runs.
fn contact_overrides(doc: &Doc, value: &Value<'_>) -> Result<Vec<ContactOverride>, InputError> {
    let DeValue::Table(contacts) = value.get_ref() else {
        return Err(doc.error(
            value.span(),
            "`contacts` must be tables: `[contacts.\"ID\"]`",
        ));
    };
    let mut out = Vec::new();
    for (id, props) in contacts {
        let DeValue::Table(props) = props.get_ref() else {
            return Err(doc.error(
                props.span(),
                format!(
                    "`contacts.{}` must be a table of property values",
                    id.get_ref()
                ),
            ));
        };
        let mut properties = Vec::new();
        for (name, v) in props {
            properties.push((
                name.get_ref().to_string(),
                name.span(),
                json(doc, name.get_ref(), v)?,
                v.span(),
            ));
        }
        properties.sort_by_key(|p| p.1.start);
        out.push(ContactOverride {
            id: id.get_ref().to_string(),
            span: id.span(),
            properties,
        });
    }
    out.sort_by_key(|c| c.span.start);
    Ok(out)
}

/// The `[[expect]]` or `[[reject]]` tables.
fn expectations(doc: &Doc, table: &DeTable<'_>, key: &str) -> Result<Vec<Expectation>, InputError> {
    let Some(value) = table.get(key) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for (t, span) in tables(doc, key, value)? {
        let mut fields = Vec::new();
        let mut count = None;
        let mut keys: Vec<_> = t.iter().collect();
        keys.sort_by_key(|(k, _)| k.span().start);
        for (k, v) in keys {
            let name: &str = k.get_ref();
            if name == "count" {
                if key == "reject" {
                    return Err(doc.error(
                        k.span(),
                        "`count` belongs in `[[expect]]`; a `[[reject]]` means no record matches",
                    ));
                }
                count = Some(whole_number(doc, name, v)?);
                continue;
            }
            let valid = FIELDS.iter().copied().chain(std::iter::once("count"));
            let Some(field) = Field::parse(name) else {
                let place = format!(" in `[[{key}]]`");
                return Err(doc.error(k.span(), doc::unknown("field", name, &place, valid)));
            };
            fields.push((field, want(doc, field, v)?));
        }
        if fields.is_empty() {
            return Err(doc.error(
                span,
                format!("this `[[{key}]]` names no trace field, so it matches every record"),
            ));
        }
        let (line, _) = doc.line_col(span.start);
        out.push(Expectation {
            fields,
            count,
            line,
        });
    }
    Ok(out)
}

/// A non-negative integer.
fn whole_number(doc: &Doc, key: &str, value: &Value<'_>) -> Result<u64, InputError> {
    match json(doc, key, value)? {
        serde_json::Value::Number(n) if n.as_u64().is_some() => Ok(n.as_u64().unwrap_or(0)),
        _ => Err(doc.error(
            value.span(),
            format!("`{key}` must be a whole number, 0 or more"),
        )),
    }
}

/// The value an expectation wants of `field`.
fn want(doc: &Doc, field: Field, value: &Value<'_>) -> Result<Want, InputError> {
    let name = field.as_str();
    match field {
        Field::At | Field::Until => time(doc, name, value).map(Want::Time),
        Field::Event | Field::Step => whole_number(doc, name, value).map(Want::Number),
        Field::Decision => {
            let text = doc.string(name, value)?;
            let valid = Decision::ALL.iter().map(|d| d.as_str());
            match Decision::ALL.iter().find(|d| d.as_str() == text) {
                Some(d) => Ok(Want::Decision(*d)),
                None => Err(doc.error(value.span(), doc::unknown("decision", &text, "", valid))),
            }
        }
        Field::Reason => {
            let text = doc.string(name, value)?;
            let valid = REASONS.iter().map(|r| r.as_str());
            match REASONS.iter().find(|r| r.as_str() == text) {
                Some(r) => Ok(Want::Reason(*r)),
                None => Err(doc.error(value.span(), doc::unknown("reason", &text, "", valid))),
            }
        }
        _ => doc.string(name, value).map(Want::Text),
    }
}
