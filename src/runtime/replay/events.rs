//! Events (`docs/semantics.md`, "Processing one event"): one JSON object per line.
//!
//! [`parse_event`] turns one JSON text into an [`Event`], checking its shape
//! (known `type`, known fields for that type, required fields present, value
//! types, RFC 3339 `at`). [`check_refs`] checks what needs the account and
//! the contacts known so far (unknown contact, property, list, sequence or
//! user, a property value of the wrong type, `contact_created` for an
//! existing id). [`EventReader`] streams a file line by line and
//! [`Validator`] tracks created contacts so that a file can be validated
//! without running it (`--sort`).
//!
//! Every problem is a [`Problem`]: a message (lowercase, no final period)
//! and the part of the line it is about; the caller, holding the line's
//! text, adds the file, line and column to make an
//! [`InputError`](crate::diagnostic::InputError).
//! Times are truncated to whole seconds.
//!
//! Lines of the common flat shape are read by the scanner in `fast`
//! (strings borrowed from the line); every other line, and every error
//! message, comes from `serde_json`. Both give the same events.

use crate::account::{Account, Seat};
use crate::value::Value;
use chrono::{DateTime, Datelike, Timelike, Utc};
use serde::{Deserialize, Deserializer};
use smol_str::SmolStr;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};

mod fast;
use super::problem::{Place, Problem};

pub use crate::runtime::engine::event::{Event, EventKind, EventType};

/// An event line as written: every field any type may have.
#[derive(Deserialize, Default)]
#[cfg_attr(test, derive(Debug, PartialEq))]
#[serde(deny_unknown_fields)]
struct RawEvent<'a> {
    #[serde(borrow, default)]
    at: Option<Cow<'a, str>>,
    #[serde(borrow, rename = "type")]
    kind: Cow<'a, str>,
    #[serde(borrow, default)]
    contact: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    form: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    to: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    from: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    deal: Option<Cow<'a, str>>,
    #[serde(default)]
    amount: Option<f64>,
    #[serde(borrow, default)]
    outcome: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    property: Option<Cow<'a, str>>,
    #[serde(default, deserialize_with = "present")]
    value: Option<Option<Value>>,
    #[serde(borrow, default)]
    list: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    email: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    owner: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    properties: Option<BTreeMap<Cow<'a, str>, Value>>,
    #[serde(borrow, default)]
    source: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    sequence: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    user: Option<Cow<'a, str>>,
    #[serde(default)]
    seats: Option<Vec<Seat>>,
    #[serde(default)]
    inboxes: Option<Vec<String>>,
    #[serde(default)]
    daily_send_limit: Option<u32>,
}

/// Distinguishes `"value": null` (Some(None)) from a missing `value` (None).
fn present<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

impl RawEvent<'_> {
    /// The fields present, as bits in [`ALL_FIELDS`] order.
    fn present(&self) -> u32 {
        let flags = [
            self.contact.is_some(),
            self.form.is_some(),
            self.to.is_some(),
            self.from.is_some(),
            self.deal.is_some(),
            self.amount.is_some(),
            self.outcome.is_some(),
            self.property.is_some(),
            self.value.is_some(),
            self.list.is_some(),
            self.email.is_some(),
            self.owner.is_some(),
            self.properties.is_some(),
            self.source.is_some(),
            self.sequence.is_some(),
            self.user.is_some(),
            self.seats.is_some(),
            self.inboxes.is_some(),
            self.daily_send_limit.is_some(),
        ];
        flags
            .iter()
            .enumerate()
            .fold(0, |m, (i, &f)| if f { m | (1 << i) } else { m })
    }

    fn has(&self, field: &str) -> bool {
        match field {
            "contact" => self.contact.is_some(),
            "form" => self.form.is_some(),
            "to" => self.to.is_some(),
            "from" => self.from.is_some(),
            "deal" => self.deal.is_some(),
            "amount" => self.amount.is_some(),
            "outcome" => self.outcome.is_some(),
            "property" => self.property.is_some(),
            "value" => self.value.is_some(),
            "list" => self.list.is_some(),
            "email" => self.email.is_some(),
            "owner" => self.owner.is_some(),
            "properties" => self.properties.is_some(),
            "source" => self.source.is_some(),
            "sequence" => self.sequence.is_some(),
            "user" => self.user.is_some(),
            "seats" => self.seats.is_some(),
            "inboxes" => self.inboxes.is_some(),
            "daily_send_limit" => self.daily_send_limit.is_some(),
            _ => false,
        }
    }
}

const ALL_FIELDS: [&str; 19] = [
    "contact",
    "form",
    "to",
    "from",
    "deal",
    "amount",
    "outcome",
    "property",
    "value",
    "list",
    "email",
    "owner",
    "properties",
    "source",
    "sequence",
    "user",
    "seats",
    "inboxes",
    "daily_send_limit",
];

/// serde_json appends " at line L column C"; an events line has one line.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message.get(..i).unwrap_or(message).to_owned(),
        None => message.to_owned(),
    }
}

/// Parses an RFC 3339 time with offset and truncates it to whole seconds.
/// In UTC it must lie in the years 0000–9999, which a trace can print.
pub fn parse_time(text: &str) -> Result<DateTime<Utc>, String> {
    if let Some(t) = parse_utc_seconds(text) {
        return Ok(t);
    }
    DateTime::parse_from_rfc3339(text)
        .map_err(|e| format!("`at` is not an RFC 3339 time with offset (`{text}`): {e}"))
        .and_then(|t| {
            // chrono reads a leap second (`:60`) as a second that lasts
            // longer; the runtime's whole seconds have none.
            if t.nanosecond() >= 1_000_000_000 {
                return Err(format!(
                    "`at` is not a valid time (`{text}`): a minute has no second 60"
                ));
            }
            Ok(t.with_timezone(&Utc))
        })
        .map(|t| t.with_nanosecond(0).unwrap_or(t))
        .and_then(|t| match t.year() {
            0..=9999 => Ok(t),
            _ => Err(format!(
                "`at` is outside the years 0000 to 9999 in UTC (`{text}`)"
            )),
        })
}

/// The common form `YYYY-MM-DDTHH:MM:SSZ`, read without the general RFC
/// 3339 parser; `None` for any other form or an invalid date or time (the
/// general parser then gives the result or the message).
fn parse_utc_seconds(text: &str) -> Option<DateTime<Utc>> {
    let b: &[u8; 20] = text.as_bytes().try_into().ok()?;
    let num = |from: usize, len: usize| -> Option<u32> {
        b.get(from..from + len)?.iter().try_fold(0u32, |n, &d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    let punctuation = [
        (4, b'-'),
        (7, b'-'),
        (10, b'T'),
        (13, b':'),
        (16, b':'),
        (19, b'Z'),
    ];
    if !punctuation.iter().all(|&(i, c)| b.get(i) == Some(&c)) {
        return None;
    }
    let year = i32::try_from(num(0, 4)?).ok()?;
    let date = chrono::NaiveDate::from_ymd_opt(year, num(5, 2)?, num(8, 2)?)?;
    let time = date.and_hms_opt(num(11, 2)?, num(14, 2)?, num(17, 2)?)?;
    Some(time.and_utc())
}

/// The (allowed, required) field masks of each event type, in
/// [`ALL_FIELDS`] bit order.
fn field_masks(kind: EventType) -> (u32, u32) {
    static MASKS: std::sync::OnceLock<Vec<(u32, u32)>> = std::sync::OnceLock::new();
    let masks = MASKS.get_or_init(|| {
        EventType::ALL
            .iter()
            .map(|k| {
                let bit = |name: &str| {
                    ALL_FIELDS
                        .iter()
                        .position(|f| *f == name)
                        .map_or(0, |i| 1u32 << i)
                };
                k.spec().fields.iter().fold((0, 0), |(a, r), f| {
                    (
                        a | bit(f.name),
                        if f.required { r | bit(f.name) } else { r },
                    )
                })
            })
            .collect()
    });
    masks.get(kind.index()).copied().unwrap_or((0, 0))
}

/// The message for a field that a type does not have, or lacks.
fn field_error(kind: EventType, raw: &RawEvent<'_>) -> Result<(), Problem> {
    let allowed = kind.spec().fields;
    for field in ALL_FIELDS {
        if raw.has(field) && !allowed.iter().any(|f| f.name == field) {
            return Err(Problem::new(
                format!("`{}` events have no field `{field}`", kind.as_str()),
                Place::Key(field),
            ));
        }
    }
    for field in allowed {
        if field.required && !raw.has(field.name) {
            return Err(missing(kind, field.name));
        }
    }
    Ok(())
}

fn missing(kind: EventType, field: &str) -> Problem {
    Problem::line(format!(
        "`{}` event is missing the field `{field}`",
        kind.as_str()
    ))
}

/// Parses one event line and checks its shape. `default_at` is used when
/// the line has no `at` (the REPL's session clock); without it, a missing
/// `at` is an error.
pub fn parse_event(text: &str, default_at: Option<DateTime<Utc>>) -> Result<Event, Problem> {
    // Places are offsets in the line without its surrounding white space
    // (see `Problem::column`).
    let text = text.trim();
    if !text.starts_with('{') && serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok() {
        return Err(Problem::line("an event must be a JSON object"));
    }
    let raw = match fast::raw_event(text) {
        Some(raw) => raw,
        None => general(text)?,
    };
    raw_to_event(raw, default_at)
}

/// An event line read by `serde_json` (any shape; every error message,
/// placed where `serde_json` stopped).
fn general(text: &str) -> Result<RawEvent<'_>, Problem> {
    serde_json::from_str(text).map_err(|e| {
        let message = strip_position(&e.to_string());
        let offset = line_offset(text, e.line(), e.column());
        let place = match offset {
            // `serde_json` notices a missing field at the closing brace.
            _ if message.starts_with("missing field") => Place::Line,
            // An unknown or repeated field, a value of the wrong type or
            // out of range: `serde_json` stops at the end of the key or
            // value; show where that key or value starts.
            Some(offset) if e.classify() == serde_json::error::Category::Data => {
                match super::problem::field_at(text, offset) {
                    Some(span) if offset < span.value => Place::Offset(span.key),
                    Some(span) => Place::Offset(span.value),
                    None => Place::Offset(offset),
                }
            }
            // The line ended too soon: show its end.
            _ if e.classify() == serde_json::error::Category::Eof => Place::Offset(text.len()),
            offset => offset.map_or(Place::Line, Place::Offset),
        };
        let message = if message.starts_with("unknown field") {
            message.replace(", expected one of", "; known fields:")
        } else {
            message
                .replace("struct RawEvent", "an event object")
                .replace(
                    "expected u32",
                    "expected a whole number from 1 to 4294967295",
                )
                .replace("expected f64", "expected a number")
        };
        Problem::new(message, place)
    })
}

/// The byte offset of `serde_json`'s 1-based line and column (a column
/// counts bytes, and is the last byte read) in `text`.
fn line_offset(text: &str, line: usize, column: usize) -> Option<usize> {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.checked_sub(1)?)
        .map(str::len)
        .sum();
    Some(start + column.saturating_sub(1))
}

/// Checks a read event line's shape and makes it an [`Event`].
fn raw_to_event(raw: RawEvent<'_>, default_at: Option<DateTime<Utc>>) -> Result<Event, Problem> {
    let kind = EventType::parse(&raw.kind).ok_or_else(|| {
        Problem::value(
            "type",
            format!(
                "unknown event type `{}`; known types: {}",
                raw.kind,
                EventType::ALL.map(EventType::as_str).join(", ")
            ),
        )
    })?;
    let (allowed_mask, required_mask) = field_masks(kind);
    let present = raw.present();
    if present & !allowed_mask != 0 || required_mask & !present != 0 {
        field_error(kind, &raw)?;
    }
    let at = match (&raw.at, default_at) {
        (Some(at), _) => parse_time(at).map_err(|m| Problem::value("at", m))?,
        (None, Some(at)) => at,
        (None, None) => return Err(Problem::line("event is missing the field `at`")),
    };
    let own = |c: Option<Cow<'_, str>>| c.map(|c| SmolStr::new(&*c));
    // The shape check above makes every required field present; should
    // one be missing all the same, the line is rejected, not defaulted.
    let req = |c: Option<Cow<'_, str>>, field: &str| own(c).ok_or_else(|| missing(kind, field));
    let kind = match kind {
        EventType::FormSubmitted => EventKind::FormSubmitted {
            contact: req(raw.contact, "contact")?,
            form: req(raw.form, "form")?,
        },
        EventType::DealStageChanged => EventKind::DealStageChanged {
            contact: req(raw.contact, "contact")?,
            to: req(raw.to, "to")?,
            from: own(raw.from),
            deal: own(raw.deal),
            amount: raw.amount,
        },
        EventType::MeetingOutcome => {
            let outcome = req(raw.outcome, "outcome")?;
            if !crate::triggers::MEETING_OUTCOMES.contains(&outcome.as_str()) {
                return Err(Problem::value(
                    "outcome",
                    format!(
                        "unknown meeting outcome `{outcome}`; known outcomes: {}",
                        crate::triggers::MEETING_OUTCOMES.join(", ")
                    ),
                ));
            }
            EventKind::MeetingOutcome {
                contact: req(raw.contact, "contact")?,
                outcome,
            }
        }
        EventType::MeetingBooked => EventKind::MeetingBooked {
            contact: req(raw.contact, "contact")?,
        },
        EventType::EmailReplied => EventKind::EmailReplied {
            contact: req(raw.contact, "contact")?,
        },
        EventType::EmailBounced => EventKind::EmailBounced {
            contact: req(raw.contact, "contact")?,
        },
        EventType::Unsubscribed => EventKind::Unsubscribed {
            contact: req(raw.contact, "contact")?,
        },
        EventType::TaskCompleted => EventKind::TaskCompleted {
            contact: req(raw.contact, "contact")?,
        },
        EventType::PropertyChanged => EventKind::PropertyChanged {
            contact: req(raw.contact, "contact")?,
            property: req(raw.property, "property")?,
            value: raw.value.flatten(),
        },
        EventType::ListAdded => EventKind::ListAdded {
            contact: req(raw.contact, "contact")?,
            list: req(raw.list, "list")?,
        },
        EventType::ListRemoved => EventKind::ListRemoved {
            contact: req(raw.contact, "contact")?,
            list: req(raw.list, "list")?,
        },
        EventType::ContactCreated => EventKind::ContactCreated {
            contact: req(raw.contact, "contact")?,
            email: own(raw.email),
            owner: own(raw.owner),
            properties: raw
                .properties
                .unwrap_or_default()
                .into_iter()
                .map(|(k, v)| (k.into_owned(), v))
                .collect(),
            source: own(raw.source),
        },
        EventType::SequenceDeleted => EventKind::SequenceDeleted {
            sequence: req(raw.sequence, "sequence")?,
        },
        EventType::UserUpdated => {
            if raw.daily_send_limit == Some(0) {
                return Err(Problem::value(
                    "daily_send_limit",
                    "`daily_send_limit` must be at least 1",
                ));
            }
            EventKind::UserUpdated {
                user: req(raw.user, "user")?,
                seats: raw.seats,
                inboxes: raw.inboxes,
                daily_send_limit: raw.daily_send_limit,
            }
        }
    };
    Ok(Event { at, kind })
}

fn describe(value: &Value) -> String {
    match value {
        Value::Text(s) => format!("the string {s:?}"),
        Value::Number(n) => format!("the number {n}"),
        Value::Bool(b) => format!("`{b}`"),
    }
}

fn check_property(account: &Account, name: &str, value: &Value) -> Result<(), String> {
    let ty = account
        .property(name)
        .ok_or_else(|| format!("unknown contact property `{name}`"))?;
    if ty.admits(value) {
        return Ok(());
    }
    Err(match ty {
        crate::account::PropertyType::Enum(values) => format!(
            "property `{name}` is an enum; {} is not one of: {}",
            describe(value),
            values.join(", ")
        ),
        _ => format!(
            "property `{name}` is a {}, not {}",
            ty.name(),
            describe(value)
        ),
    })
}

/// What an event's references are checked against besides the account:
/// the contacts that exist so far.
pub trait Known {
    fn contact_exists(&self, id: &str) -> bool;
    /// Whether an existing contact has this email (a new contact may not).
    fn email_taken(&self, email: &str) -> bool;
}

/// Checks an event's references against the account and the contacts known
/// so far.
pub fn check_refs(event: &Event, account: &Account, known: &dyn Known) -> Result<(), Problem> {
    if let Some(contact) = event.contact() {
        let exists = known.contact_exists(contact);
        if event.event_type() == EventType::ContactCreated {
            if exists {
                let message = format!("contact `{contact}` already exists");
                return Err(Problem::value("contact", message));
            }
        } else if !exists {
            let message = format!("unknown contact `{contact}`");
            return Err(Problem::value("contact", message));
        }
    }
    match &event.kind {
        EventKind::PropertyChanged {
            property, value, ..
        } => {
            if account.property(property).is_none() {
                let message = format!("unknown contact property `{property}`");
                return Err(Problem::value("property", message));
            }
            if let Some(v) = value {
                check_property(account, property, v).map_err(|m| Problem::value("value", m))?;
            }
        }
        EventKind::ListAdded { list, .. } | EventKind::ListRemoved { list, .. }
            if account.list(list).is_none() =>
        {
            return Err(Problem::value("list", format!("unknown list `{list}`")));
        }
        EventKind::ContactCreated {
            email, properties, ..
        } => {
            if let Some(email) = email
                && known.email_taken(email)
            {
                let message = format!("another contact already has the email `{email}`");
                return Err(Problem::value("email", message));
            }
            for (name, v) in properties {
                check_property(account, name, v).map_err(|m| Problem::value("properties", m))?;
            }
        }
        EventKind::SequenceDeleted { sequence } if account.sequence(sequence).is_none() => {
            return Err(Problem::value(
                "sequence",
                format!("unknown sequence `{sequence}`"),
            ));
        }
        EventKind::UserUpdated { user, .. } if account.user(user).is_none() => {
            return Err(Problem::value("user", format!("unknown user `{user}`")));
        }
        _ => {}
    }
    Ok(())
}

/// Checks events without running them: tracks the contacts that exist (the
/// account's, plus those created by earlier events) and their emails.
pub struct Validator<'a> {
    account: &'a Account,
    contacts: HashSet<SmolStr>,
    emails: HashSet<SmolStr>,
}

impl Known for Validator<'_> {
    fn contact_exists(&self, id: &str) -> bool {
        self.contacts.contains(id)
    }

    fn email_taken(&self, email: &str) -> bool {
        self.emails.contains(email)
    }
}

impl<'a> Validator<'a> {
    /// A validator for events against `account` and its contacts.
    pub fn new(account: &'a Account) -> Self {
        Validator {
            account,
            contacts: account
                .contacts
                .iter()
                .map(|c| c.id.as_str().into())
                .collect(),
            emails: account
                .contacts
                .iter()
                .filter_map(|c| c.email.as_deref())
                .map(SmolStr::new)
                .collect(),
        }
    }

    /// A validator for the events `engine` would run next: its account and
    /// the contacts it has.
    pub fn for_engine(engine: &'a crate::runtime::Engine) -> Self {
        Validator {
            account: &engine.account,
            contacts: engine.contact_ids().map(SmolStr::new).collect(),
            emails: engine.emails().map(SmolStr::new).collect(),
        }
    }

    /// Checks one event's references and records a created contact.
    pub fn check(&mut self, event: &Event) -> Result<(), Problem> {
        check_refs(event, self.account, self)?;
        if let EventKind::ContactCreated { contact, email, .. } = &event.kind {
            self.contacts.insert(contact.clone());
            if let Some(email) = email {
                self.emails.insert(email.clone());
            }
        }
        Ok(())
    }
}

/// The problem of an event earlier than the one before it.
pub fn out_of_order(at: DateTime<Utc>, last: DateTime<Utc>) -> Problem {
    Problem::value(
        "at",
        format!(
            "event at {} is earlier than the event before it ({}); events must be in time order",
            crate::runtime::engine::record::format_at(&at),
            crate::runtime::engine::record::format_at(&last)
        ),
    )
}
