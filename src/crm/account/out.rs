//! The account file as the import writes it: plain serializable data in
//! the account's own format (`docs/account.md`), in the order a reader
//! expects (time zone, users, sequences, properties, lists, forms,
//! contacts). Fields at their default are left out, so the file says only
//! what the exports and overrides said. Whether it is a valid account is
//! decided by the account loader, never here.

use serde::Serialize;
use std::collections::BTreeMap;

/// The whole account.
#[derive(Debug, Default, Serialize)]
pub struct AccountFile {
    /// The IANA time zone, when the overrides give one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    /// Users, from the users export then the owners without a user.
    pub users: Vec<UserOut>,
    /// Sequences, in export order.
    pub sequences: Vec<SequenceOut>,
    /// Custom property declarations: the overrides' and the inferred ones.
    pub properties: BTreeMap<String, PropertyOut>,
    /// Contact lists, in export order.
    pub lists: Vec<ListOut>,
    /// Forms named in the overrides.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub forms: Vec<FormOut>,
    /// Contacts, in the CSV's row order.
    pub contacts: Vec<ContactOut>,
}

/// A user.
#[derive(Debug, Serialize)]
pub struct UserOut {
    /// The user's email.
    pub email: String,
    /// First and last name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Seats, from the overrides only.
    pub seats: Vec<crate::account::Seat>,
    /// Inboxes, from the overrides only.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub inboxes: Vec<String>,
    /// The daily send limit, from the overrides only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub daily_send_limit: Option<u32>,
    /// The user's id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub crm_user_id: Option<String>,
    /// The user's owner id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub crm_owner_id: Option<String>,
}

/// A sequence.
#[derive(Debug, Serialize)]
pub struct SequenceOut {
    /// The sequence's name.
    pub name: String,
    /// From the sequence's follow-up days setting.
    pub weekdays_only: bool,
    /// The steps, in step order.
    pub steps: Vec<StepOut>,
    /// The sequence's id.
    pub crm_id: String,
}

/// A step of a sequence.
#[derive(Debug, Serialize)]
pub struct StepOut {
    /// `email` or `task`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Whole days after the previous step.
    pub delay_days: u32,
    /// A task's title.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// A task's notes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// Whether a task holds the sequence until done (tasks only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pause: Option<bool>,
}

/// A custom property declaration.
#[derive(Debug, Clone, Serialize)]
pub struct PropertyOut {
    /// `string`, `number`, `bool` or `enum`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// An enum's values.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<String>>,
}

/// A contact list.
#[derive(Debug, Serialize)]
pub struct ListOut {
    /// The list's name.
    pub name: String,
    /// Where its members came from, from the overrides.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Contact ids, from the overrides.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<String>,
    /// The list's id.
    pub crm_id: String,
}

/// A form.
#[derive(Debug, Serialize)]
pub struct FormOut {
    /// The name scripts use.
    pub name: String,
    /// The form's id.
    pub crm_id: String,
}

/// A contact.
#[derive(Debug, Serialize)]
pub struct ContactOut {
    /// The record id.
    pub id: String,
    /// The contact's email.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The owner's email.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Property values, typed.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub properties: BTreeMap<String, serde_json::Value>,
    /// Unsubscribed from all email.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub unsubscribed: bool,
    /// An email to the contact bounced.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub bounced: bool,
}
