//! The account model, and the raw serde form it is read from.

use crate::value::Value;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A validated account. Names (user emails, sequence and list names,
/// contact ids, property names) are unique.
#[derive(Debug, Clone)]
pub struct Account {
    /// The account's time zone: it decides weekdays.
    pub timezone: chrono_tz::Tz,
    /// Users, in file order.
    pub users: Vec<User>,
    /// Sequences, in file order.
    pub sequences: Vec<Sequence>,
    /// The contact property schema: built-in properties and the file's own.
    pub properties: BTreeMap<String, PropertyType>,
    /// Lists, in file order.
    pub lists: Vec<List>,
    /// Contacts, in file order.
    pub contacts: Vec<Contact>,
    /// The CRM's forms, by name and CRM id (`docs/crm.md`).
    pub forms: Vec<Form>,
}

impl Default for Account {
    /// An empty account in UTC with the built-in properties (the REPL's
    /// account when none is given).
    fn default() -> Self {
        Account {
            timezone: chrono_tz::UTC,
            users: Vec::new(),
            sequences: Vec::new(),
            properties: builtin_properties(),
            lists: Vec::new(),
            contacts: Vec::new(),
            forms: Vec::new(),
        }
    }
}

impl Account {
    /// The user with this email.
    pub fn user(&self, email: &str) -> Option<&User> {
        self.users.iter().find(|u| u.email == email)
    }

    /// The sequence with this name.
    pub fn sequence(&self, name: &str) -> Option<&Sequence> {
        self.sequences.iter().find(|s| s.name == name)
    }

    /// The list with this name.
    pub fn list(&self, name: &str) -> Option<&List> {
        self.lists.iter().find(|l| l.name == name)
    }

    /// The type of a contact property.
    pub fn property(&self, name: &str) -> Option<&PropertyType> {
        self.properties.get(name)
    }

    /// The contact with this id.
    pub fn contact(&self, id: &str) -> Option<&Contact> {
        self.contacts.iter().find(|c| c.id == id)
    }
}

/// The built-in contact properties (`docs/account.md`, "Fields and defaults").
pub fn builtin_properties() -> BTreeMap<String, PropertyType> {
    let mut map = BTreeMap::new();
    for name in [
        "email",
        "owner",
        "firstname",
        "lastname",
        "company",
        "jobtitle",
        "country",
    ] {
        map.insert(name.to_owned(), PropertyType::String);
    }
    map.insert(
        "lifecycle_stage".to_owned(),
        PropertyType::Enum(LIFECYCLE_STAGES.iter().map(|s| (*s).to_owned()).collect()),
    );
    map
}

/// The values of the built-in `lifecycle_stage` enum.
pub const LIFECYCLE_STAGES: &[&str] = &[
    "subscriber",
    "lead",
    "marketingqualifiedlead",
    "salesqualifiedlead",
    "opportunity",
    "customer",
    "evangelist",
    "other",
];

/// A seat a user holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Seat {
    /// Sales Hub Enterprise: may send sequences from workflows.
    SalesEnterprise,
    /// Service Hub Enterprise: may send sequences from workflows.
    ServiceEnterprise,
    /// Sales Hub Professional.
    SalesProfessional,
    /// Service Hub Professional.
    ServiceProfessional,
    /// A core seat.
    Core,
}

impl Seat {
    /// Whether the seat lets its holder send sequences enrolled by a workflow.
    pub fn is_enterprise(self) -> bool {
        matches!(self, Seat::SalesEnterprise | Seat::ServiceEnterprise)
    }
}

/// A user of the account, identified by email.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, expecting = "an object (a user)")]
pub struct User {
    /// The user's email: their identity everywhere.
    pub email: String,
    /// A display name.
    #[serde(default)]
    pub name: Option<String>,
    /// Seats held.
    #[serde(default)]
    pub seats: Vec<Seat>,
    /// Connected inboxes; the first is the default send-from address.
    #[serde(default)]
    pub inboxes: Vec<String>,
    /// Sequence emails allowed per rolling 24 hours (≥ 1).
    #[serde(
        default = "default_send_limit",
        deserialize_with = "whole_number::from_one"
    )]
    pub daily_send_limit: u32,
    /// The user's id in the CRM, for imported and exported flows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crm_user_id: Option<String>,
    /// The user's owner id in the CRM (contacts' owners name it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crm_owner_id: Option<String>,
}

fn default_send_limit() -> u32 {
    1000
}

impl User {
    /// Holds a Sales Hub or Service Hub Enterprise seat.
    pub fn has_enterprise_seat(&self) -> bool {
        self.seats.iter().any(|s| s.is_enterprise())
    }

    /// Has at least one connected inbox.
    pub fn has_inbox(&self) -> bool {
        !self.inboxes.is_empty()
    }

    /// May be the sender of a sequence enrolled by a workflow.
    pub fn is_eligible_sender(&self) -> bool {
        self.has_enterprise_seat() && self.has_inbox()
    }

    /// The default send-from address: the first inbox.
    pub fn default_inbox(&self) -> Option<&str> {
        self.inboxes.first().map(String::as_str)
    }
}

/// A sequence: timed emails and tasks sent from one inbox.
#[derive(Debug, Clone, PartialEq)]
pub struct Sequence {
    /// The sequence's name.
    pub name: String,
    /// Follow-ups due on a weekend move to Monday.
    pub weekdays_only: bool,
    /// Deleted sequences enroll no one.
    pub deleted: bool,
    /// The steps, in order.
    pub steps: Vec<Step>,
    /// The sequence's id in the CRM, for imported and exported flows.
    pub crm_id: Option<String>,
}

fn yes() -> bool {
    true
}

/// A token in a step's subject or body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token<'a> {
    /// `{{contact.NAME}}`.
    Personalization(&'a str),
    /// `{{placeholder:TEXT}}`.
    Placeholder(&'a str),
}

impl Sequence {
    /// Every token in the subjects and bodies of the steps, in order.
    pub fn tokens(&self) -> Vec<Token<'_>> {
        self.steps
            .iter()
            .flat_map(|s| [s.subject.as_deref(), s.body.as_deref()])
            .flatten()
            .flat_map(tokens_in)
            .collect()
    }

    /// Whether any step has a placeholder token.
    pub fn has_placeholders(&self) -> bool {
        self.tokens()
            .iter()
            .any(|t| matches!(t, Token::Placeholder(_)))
    }
}

/// The `{{…}}` tokens of a text.
pub fn tokens_in(text: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        let after = rest.get(open + 2..).unwrap_or("");
        let Some(close) = after.find("}}") else { break };
        let inner = after.get(..close).unwrap_or("").trim();
        if let Some(name) = inner.strip_prefix("contact.") {
            out.push(Token::Personalization(name.trim()));
        } else if let Some(text) = inner.strip_prefix("placeholder:") {
            out.push(Token::Placeholder(text.trim()));
        }
        rest = after.get(close + 2..).unwrap_or("");
    }
    out
}

/// The kind of a sequence step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    /// An email, counted against the sender's send limit.
    Email,
    /// A task; with `pause` the sequence waits for its completion.
    Task,
}

/// One step of a sequence.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// Email or task.
    pub kind: StepKind,
    /// Whole days after the previous step (after enrollment for step 1).
    pub delay_days: u32,
    /// Email subject.
    pub subject: Option<String>,
    /// Email body, or a task's notes.
    pub body: Option<String>,
    /// Task title.
    pub title: Option<String>,
    /// A task pauses the sequence until completed.
    pub pause: bool,
}

/// The type of a contact property.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum PropertyType {
    /// Text.
    String,
    Number,
    /// `true` or `false`.
    Bool,
    /// One of the listed values.
    Enum(Vec<String>),
}

impl PropertyType {
    /// `string`, `number`, `bool` or `enum`.
    pub fn name(&self) -> &'static str {
        match self {
            PropertyType::String => "string",
            PropertyType::Number => "number",
            PropertyType::Bool => "bool",
            PropertyType::Enum(_) => "enum",
        }
    }

    /// Whether `value` is a valid value of this type.
    pub fn admits(&self, value: &Value) -> bool {
        match (self, value) {
            (PropertyType::String, Value::Text(_)) => true,
            (PropertyType::Number, Value::Number(_)) => true,
            (PropertyType::Bool, Value::Bool(_)) => true,
            (PropertyType::Enum(values), Value::Text(s)) => values.iter().any(|v| v == s),
            _ => false,
        }
    }
}

/// A contact list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, expecting = "an object (a list)")]
pub struct List {
    /// The list's name.
    pub name: String,
    /// Where its members came from (`import`, …), if known.
    #[serde(default)]
    pub source: Option<String>,
    /// Contact ids.
    #[serde(default)]
    pub members: Vec<String>,
    /// The list's id in the CRM, for imported and exported flows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crm_id: Option<String>,
}

/// A form of the CRM: the name scripts use and the CRM's id for it. Forms
/// are known only by name otherwise; this pairing is what lets flows be
/// imported and exported (`docs/crm.md`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Form {
    /// The name `form_submitted("…")` uses.
    pub name: String,
    /// The form's id in the CRM.
    pub crm_id: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Contact {
    /// The contact's id (`c-1`).
    pub id: String,
    /// The contact's email.
    pub email: Option<String>,
    /// The owner's (a user's) email.
    pub owner: Option<String>,
    /// Property values (not `email` or `owner`, which are fields).
    pub properties: BTreeMap<String, Value>,
    /// Has unsubscribed.
    pub unsubscribed: bool,
    /// An email to the contact has bounced.
    pub bounced: bool,
}

/// The account file as written, before validation.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, expecting = "an object (the account)")]
pub(crate) struct RawAccount {
    #[serde(default)]
    pub timezone: Option<String>,
    #[serde(default)]
    pub users: Vec<User>,
    #[serde(default)]
    pub sequences: Vec<RawSequence>,
    #[serde(default)]
    pub properties: BTreeMap<String, RawProperty>,
    #[serde(default)]
    pub lists: Vec<List>,
    #[serde(default)]
    pub contacts: Vec<RawContact>,
    #[serde(default)]
    pub forms: Vec<Form>,
}

/// A sequence as written: its steps keep track of which fields were given,
/// so that a field on the wrong kind of step can be rejected.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, expecting = "an object (a sequence)")]
pub(crate) struct RawSequence {
    pub name: String,
    #[serde(default = "yes")]
    pub weekdays_only: bool,
    #[serde(default)]
    pub deleted: bool,
    #[serde(default)]
    pub steps: Vec<RawStep>,
    #[serde(default)]
    pub crm_id: Option<String>,
}

/// A step as written (see [`RawSequence`]).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, expecting = "an object (a step)")]
pub(crate) struct RawStep {
    #[serde(rename = "type")]
    pub kind: StepKind,
    #[serde(default, deserialize_with = "whole_number::from_zero")]
    pub delay_days: u32,
    #[serde(default)]
    pub subject: Option<String>,
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub pause: Option<bool>,
}

/// A contact as written: property values are checked against the schema
/// before they become [`Value`]s.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, expecting = "an object (a contact)")]
pub(crate) struct RawContact {
    pub id: String,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(default)]
    pub properties: BTreeMap<String, serde_json::Value>,
    #[serde(default)]
    pub unsubscribed: bool,
    #[serde(default)]
    pub bounced: bool,
}

/// A custom property's declaration as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, expecting = "an object (a property declaration)")]
pub(crate) struct RawProperty {
    #[serde(rename = "type")]
    pub kind: RawPropertyKind,
    #[serde(default)]
    pub values: Option<Vec<String>>,
}

/// The `type` of a custom property.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum RawPropertyKind {
    String,
    Number,
    Bool,
    Enum,
}

/// The account's whole numbers (`daily_send_limit`, `delay_days`): read
/// from any number type, and refused with the field's real range in the
/// message ("expected a whole number from 1 to 4294967295") when negative,
/// fractional or too large.
mod whole_number {
    use serde::de::{self, Deserializer, Unexpected, Visitor};
    use std::fmt;

    /// A whole number from `min` to `u32::MAX`.
    struct Range {
        min: u32,
    }

    impl Visitor<'_> for Range {
        type Value = u32;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "a whole number from {} to {}", self.min, u32::MAX)
        }

        fn visit_u64<E: de::Error>(self, v: u64) -> Result<u32, E> {
            u32::try_from(v)
                .ok()
                .filter(|n| *n >= self.min)
                .ok_or_else(|| E::invalid_value(Unexpected::Unsigned(v), &self))
        }

        fn visit_i64<E: de::Error>(self, v: i64) -> Result<u32, E> {
            match u64::try_from(v) {
                Ok(v) => self.visit_u64(v),
                Err(_) => Err(E::invalid_value(Unexpected::Signed(v), &self)),
            }
        }

        fn visit_f64<E: de::Error>(self, v: f64) -> Result<u32, E> {
            Err(E::invalid_value(Unexpected::Float(v), &self))
        }
    }

    /// `daily_send_limit`: 1 to 4294967295.
    pub(super) fn from_one<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
        d.deserialize_u32(Range { min: 1 })
    }

    /// `delay_days`: 0 to 4294967295.
    pub(super) fn from_zero<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
        d.deserialize_u32(Range { min: 0 })
    }
}
