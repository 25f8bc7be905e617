//! Events (SPEC §2.2, §9 "Event validation"): one JSON object per line.
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

use crate::account::{Account, PropertyValue, Seat};
use chrono::{DateTime, Datelike, Timelike, Utc};
use serde::{Deserialize, Deserializer};
use smol_str::SmolStr;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};

mod fast;
mod problem;
mod reader;

pub use problem::{BadLine, Place, Problem};
pub(crate) use reader::BATCH;
pub use reader::{Batch, EventReader, Line, ReadAhead};

/// The kinds of events, one per `type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EventType {
    /// `form_submitted`
    FormSubmitted,
    /// `deal_stage_changed`
    DealStageChanged,
    /// `meeting_outcome`
    MeetingOutcome,
    /// `meeting_booked`
    MeetingBooked,
    /// `email_replied`
    EmailReplied,
    /// `email_bounced`
    EmailBounced,
    /// `unsubscribed`
    Unsubscribed,
    /// `task_completed`
    TaskCompleted,
    /// `property_changed`
    PropertyChanged,
    /// `list_added`
    ListAdded,
    /// `list_removed`
    ListRemoved,
    /// `contact_created`
    ContactCreated,
    /// `sequence_deleted`
    SequenceDeleted,
    /// `user_updated`
    UserUpdated,
}

impl EventType {
    /// Every event type, in SPEC §2.2 order.
    pub const ALL: [EventType; 14] = [
        EventType::FormSubmitted,
        EventType::DealStageChanged,
        EventType::MeetingOutcome,
        EventType::MeetingBooked,
        EventType::EmailReplied,
        EventType::EmailBounced,
        EventType::Unsubscribed,
        EventType::TaskCompleted,
        EventType::PropertyChanged,
        EventType::ListAdded,
        EventType::ListRemoved,
        EventType::ContactCreated,
        EventType::SequenceDeleted,
        EventType::UserUpdated,
    ];

    /// The `type` as written (also the name of the trigger it matches).
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::FormSubmitted => "form_submitted",
            EventType::DealStageChanged => "deal_stage_changed",
            EventType::MeetingOutcome => "meeting_outcome",
            EventType::MeetingBooked => "meeting_booked",
            EventType::EmailReplied => "email_replied",
            EventType::EmailBounced => "email_bounced",
            EventType::Unsubscribed => "unsubscribed",
            EventType::TaskCompleted => "task_completed",
            EventType::PropertyChanged => "property_changed",
            EventType::ListAdded => "list_added",
            EventType::ListRemoved => "list_removed",
            EventType::ContactCreated => "contact_created",
            EventType::SequenceDeleted => "sequence_deleted",
            EventType::UserUpdated => "user_updated",
        }
    }

    /// The type called `name`.
    pub fn parse(name: &str) -> Option<EventType> {
        Some(match name {
            "form_submitted" => EventType::FormSubmitted,
            "deal_stage_changed" => EventType::DealStageChanged,
            "meeting_outcome" => EventType::MeetingOutcome,
            "meeting_booked" => EventType::MeetingBooked,
            "email_replied" => EventType::EmailReplied,
            "email_bounced" => EventType::EmailBounced,
            "unsubscribed" => EventType::Unsubscribed,
            "task_completed" => EventType::TaskCompleted,
            "property_changed" => EventType::PropertyChanged,
            "list_added" => EventType::ListAdded,
            "list_removed" => EventType::ListRemoved,
            "contact_created" => EventType::ContactCreated,
            "sequence_deleted" => EventType::SequenceDeleted,
            "user_updated" => EventType::UserUpdated,
            _ => return None,
        })
    }

    /// A dense index (`0..14`).
    pub fn index(self) -> usize {
        self as usize
    }

    /// The fields this type allows besides `at` and `type`: (name, required).
    fn fields(self) -> &'static [(&'static str, bool)] {
        match self {
            EventType::FormSubmitted => &[("contact", true), ("form", true)],
            EventType::DealStageChanged => &[
                ("contact", true),
                ("to", true),
                ("from", false),
                ("deal", false),
                ("amount", false),
            ],
            EventType::MeetingOutcome => &[("contact", true), ("outcome", true)],
            EventType::MeetingBooked
            | EventType::EmailReplied
            | EventType::EmailBounced
            | EventType::Unsubscribed
            | EventType::TaskCompleted => &[("contact", true)],
            EventType::PropertyChanged => &[("contact", true), ("property", true), ("value", true)],
            EventType::ListAdded | EventType::ListRemoved => &[("contact", true), ("list", true)],
            EventType::ContactCreated => &[
                ("contact", true),
                ("email", false),
                ("owner", false),
                ("properties", false),
                ("source", false),
            ],
            EventType::SequenceDeleted => &[("sequence", true)],
            EventType::UserUpdated => &[
                ("user", true),
                ("seats", false),
                ("inboxes", false),
                ("daily_send_limit", false),
            ],
        }
    }
}

/// A validated event.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// When (whole seconds).
    pub at: DateTime<Utc>,
    /// The `type`.
    pub kind: EventType,
    /// The contact's id (contact events), else `None`.
    pub contact: Option<SmolStr>,
    /// `form` / `outcome` / `to` / `property` / `list` / `source` /
    /// `sequence` / `user`: the field a trigger's positional or first
    /// argument compares with.
    pub key: Option<SmolStr>,
    /// `deal_stage_changed`: `from`.
    pub from: Option<SmolStr>,
    /// `deal_stage_changed`: `deal`.
    pub deal: Option<SmolStr>,
    /// `deal_stage_changed`: `amount`.
    pub amount: Option<f64>,
    /// `property_changed`: the new value (`None` clears the property).
    pub value: Option<PropertyValue>,
    /// `contact_created`: `email`.
    pub email: Option<SmolStr>,
    /// `contact_created`: `owner`.
    pub owner: Option<SmolStr>,
    /// `contact_created`: `properties`.
    pub properties: BTreeMap<String, PropertyValue>,
    /// `user_updated`: `seats`, when given.
    pub seats: Option<Vec<Seat>>,
    /// `user_updated`: `inboxes`, when given.
    pub inboxes: Option<Vec<String>>,
    /// `user_updated`: `daily_send_limit`, when given.
    pub daily_send_limit: Option<u32>,
}

/// A value of an event field, as `event.X` and triggers see it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FieldValue<'a> {
    /// Text.
    Str(&'a str),
    /// A number.
    Number(f64),
    /// A boolean.
    Bool(bool),
}

impl Event {
    /// An event of `kind` at `at` with no fields set.
    pub fn new(at: DateTime<Utc>, kind: EventType) -> Event {
        Event {
            at,
            kind,
            contact: None,
            key: None,
            from: None,
            deal: None,
            amount: None,
            value: None,
            email: None,
            owner: None,
            properties: BTreeMap::new(),
            seats: None,
            inboxes: None,
            daily_send_limit: None,
        }
    }

    /// The field a rule reads as `event.NAME`, if this event has it.
    pub fn field(&self, name: &str) -> Option<FieldValue<'_>> {
        self.field_at(self.kind.field_key(name))
    }

    /// A field resolved with [`EventType::field_key`].
    pub(crate) fn field_at(&self, key: FieldKey) -> Option<FieldValue<'_>> {
        match key {
            FieldKey::Key => self.key.as_deref().map(FieldValue::Str),
            FieldKey::From => self.from.as_deref().map(FieldValue::Str),
            FieldKey::Deal => self.deal.as_deref().map(FieldValue::Str),
            FieldKey::Amount => self.amount.map(FieldValue::Number),
            FieldKey::Value => self.value.as_ref().map(|v| match v {
                PropertyValue::Str(s) => FieldValue::Str(s),
                PropertyValue::Number(n) => FieldValue::Number(*n),
                PropertyValue::Bool(b) => FieldValue::Bool(*b),
            }),
            FieldKey::Absent => None,
        }
    }
}

/// Where an event type keeps the field of a name (resolved once, so that
/// matching triggers compares no names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FieldKey {
    /// [`Event::key`].
    Key,
    /// [`Event::from`].
    From,
    /// [`Event::deal`].
    Deal,
    /// [`Event::amount`].
    Amount,
    /// [`Event::value`].
    Value,
    /// The type has no such field.
    Absent,
}

impl EventType {
    /// Where events of this type keep the field `name` (`event.NAME`).
    pub(crate) fn field_key(self, name: &str) -> FieldKey {
        match (self, name) {
            (EventType::FormSubmitted, "form")
            | (EventType::DealStageChanged, "to")
            | (EventType::MeetingOutcome, "outcome")
            | (EventType::PropertyChanged, "property")
            | (EventType::ListAdded | EventType::ListRemoved, "list")
            | (EventType::ContactCreated, "source") => FieldKey::Key,
            (EventType::DealStageChanged, "from") => FieldKey::From,
            (EventType::DealStageChanged, "deal") => FieldKey::Deal,
            (EventType::DealStageChanged, "amount") => FieldKey::Amount,
            (EventType::PropertyChanged, "value") => FieldKey::Value,
            _ => FieldKey::Absent,
        }
    }
}

/// A JSON scalar of an event line.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Scalar<'a> {
    Bool(bool),
    Number(f64),
    Str(#[serde(borrow)] Cow<'a, str>),
}

/// An event line as written: every field any type may have.
#[derive(Deserialize, Default)]
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
    #[serde(borrow, default, deserialize_with = "present")]
    value: Option<Option<Scalar<'a>>>,
    #[serde(borrow, default)]
    list: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    email: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    owner: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    properties: Option<BTreeMap<Cow<'a, str>, Scalar<'a>>>,
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

fn scalar(s: Scalar<'_>) -> PropertyValue {
    match s {
        Scalar::Bool(b) => PropertyValue::Bool(b),
        Scalar::Number(n) => PropertyValue::Number(n),
        Scalar::Str(s) => PropertyValue::Str(s.into_owned()),
    }
}

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
        .map(|t| t.with_timezone(&Utc))
        .map(|t| t.with_nanosecond(0).unwrap_or(t))
        .map_err(|e| format!("`at` is not an RFC 3339 time with offset (`{text}`): {e}"))
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
                k.fields().iter().fold((0, 0), |(a, r), (name, required)| {
                    (a | bit(name), if *required { r | bit(name) } else { r })
                })
            })
            .collect()
    });
    masks.get(kind.index()).copied().unwrap_or((0, 0))
}

/// The message for a field that a type does not have, or lacks.
fn field_error(kind: EventType, raw: &RawEvent<'_>) -> Result<(), Problem> {
    let allowed = kind.fields();
    for field in ALL_FIELDS {
        if raw.has(field) && !allowed.iter().any(|(f, _)| *f == field) {
            return Err(Problem::new(
                format!("`{}` events have no field `{field}`", kind.as_str()),
                Place::Key(field),
            ));
        }
    }
    for (field, required) in allowed {
        if *required && !raw.has(field) {
            return Err(Problem::line(format!(
                "`{}` event is missing the field `{field}`",
                kind.as_str()
            )));
        }
    }
    Ok(())
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
                match problem::field_at(text, offset) {
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
        } else if message.contains("untagged enum Scalar") {
            "a property value must be a string, a number or a boolean".to_owned()
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
    let mut event = Event::new(at, kind);
    event.contact = own(raw.contact);
    event.key = own(match kind {
        EventType::FormSubmitted => raw.form,
        EventType::DealStageChanged => raw.to,
        EventType::MeetingOutcome => raw.outcome,
        EventType::PropertyChanged => raw.property,
        EventType::ListAdded | EventType::ListRemoved => raw.list,
        EventType::ContactCreated => raw.source,
        EventType::SequenceDeleted => raw.sequence,
        EventType::UserUpdated => raw.user,
        _ => None,
    });
    if kind == EventType::MeetingOutcome {
        let outcome = event.key.as_deref().unwrap_or("");
        if !crate::triggers::MEETING_OUTCOMES.contains(&outcome) {
            return Err(Problem::value(
                "outcome",
                format!(
                    "unknown meeting outcome `{outcome}`; known outcomes: {}",
                    crate::triggers::MEETING_OUTCOMES.join(", ")
                ),
            ));
        }
    }
    event.from = own(raw.from);
    event.deal = own(raw.deal);
    event.amount = raw.amount;
    event.value = raw.value.flatten().map(scalar);
    event.email = own(raw.email);
    event.owner = own(raw.owner);
    event.properties = raw
        .properties
        .unwrap_or_default()
        .into_iter()
        .map(|(k, v)| (k.into_owned(), scalar(v)))
        .collect();
    event.seats = raw.seats;
    event.inboxes = raw.inboxes;
    if raw.daily_send_limit == Some(0) {
        return Err(Problem::value(
            "daily_send_limit",
            "`daily_send_limit` must be at least 1",
        ));
    }
    event.daily_send_limit = raw.daily_send_limit;
    Ok(event)
}

fn describe(value: &PropertyValue) -> String {
    match value {
        PropertyValue::Str(s) => format!("the string {s:?}"),
        PropertyValue::Number(n) => format!("the number {n}"),
        PropertyValue::Bool(b) => format!("`{b}`"),
    }
}

fn check_property(account: &Account, name: &str, value: &PropertyValue) -> Result<(), String> {
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

/// Checks an event's references against the account and the contacts known
/// so far (`contact_exists`).
pub fn check_refs(
    event: &Event,
    account: &Account,
    contact_exists: &dyn Fn(&str) -> bool,
) -> Result<(), Problem> {
    let key = event.key.as_deref().unwrap_or("");
    if let Some(contact) = &event.contact {
        let exists = contact_exists(contact);
        if event.kind == EventType::ContactCreated {
            if exists {
                let message = format!("contact `{contact}` already exists");
                return Err(Problem::value("contact", message));
            }
        } else if !exists {
            let message = format!("unknown contact `{contact}`");
            return Err(Problem::value("contact", message));
        }
    }
    match event.kind {
        EventType::PropertyChanged => {
            if account.property(key).is_none() {
                let message = format!("unknown contact property `{key}`");
                return Err(Problem::value("property", message));
            }
            if let Some(v) = &event.value {
                check_property(account, key, v).map_err(|m| Problem::value("value", m))?;
            }
        }
        EventType::ListAdded | EventType::ListRemoved if account.list(key).is_none() => {
            return Err(Problem::value("list", format!("unknown list `{key}`")));
        }
        EventType::ContactCreated => {
            for (name, v) in &event.properties {
                check_property(account, name, v).map_err(|m| Problem::value("properties", m))?;
            }
        }
        EventType::SequenceDeleted if account.sequence(key).is_none() => {
            return Err(Problem::value(
                "sequence",
                format!("unknown sequence `{key}`"),
            ));
        }
        EventType::UserUpdated if account.user(key).is_none() => {
            return Err(Problem::value("user", format!("unknown user `{key}`")));
        }
        _ => {}
    }
    Ok(())
}

/// Checks events without running them: tracks the contacts that exist (the
/// account's, plus those created by earlier events).
pub struct Validator<'a> {
    account: &'a Account,
    created: HashSet<SmolStr>,
    known: HashSet<&'a str>,
}

impl<'a> Validator<'a> {
    /// A validator for events against `account`.
    pub fn new(account: &'a Account) -> Self {
        Validator {
            account,
            created: HashSet::new(),
            known: account.contacts.iter().map(|c| c.id.as_str()).collect(),
        }
    }

    /// A validator for events that `engine` would run next: its account
    /// and the contacts it has.
    pub fn for_engine(engine: &'a super::Engine) -> Self {
        Validator {
            account: &engine.account,
            created: HashSet::new(),
            known: engine.contact_ids().collect(),
        }
    }

    /// Checks one event's references and records a created contact.
    pub fn check(&mut self, event: &Event) -> Result<(), Problem> {
        let exists = |id: &str| self.known.contains(id) || self.created.contains(id);
        check_refs(event, self.account, &exists)?;
        if event.kind == EventType::ContactCreated
            && let Some(id) = &event.contact
        {
            self.created.insert(id.clone());
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
            super::record::format_at(&at),
            super::record::format_at(&last)
        ),
    )
}
