//! The events of a replay, noted as they run, for the contacts'
//! timelines and the senders' limits.
//!
//! A [`Notebook`] follows the replay's driver: the driver hands it each
//! event its engine has just run, already parsed, with its line in the
//! input. It notes the line, time, type, contact and first field (the
//! form, the stage, the list…) of each. Only events that ran are handed
//! on, so a bad line, a line after `--until` or one never read is not
//! noted.

use crate::runtime::engine::EventKind;
use crate::runtime::replay::Follower;
use crate::runtime::{Event, EventType};
use crate::value::ValueRef;
use chrono::{DateTime, Utc};
use rustc_hash::FxHashMap;
use smol_str::SmolStr;

/// No contact, no detail.
pub const NONE: u32 = u32::MAX;

/// One event as the report shows it.
#[derive(Debug, Clone, Copy)]
pub struct EventNote {
    /// 1-based line in the events input.
    pub line: u32,
    /// Seconds since the Unix epoch.
    pub at: i64,
    /// The event's type.
    pub kind: EventType,
    /// Index into [`Notes::contacts`], or [`NONE`] for account events.
    pub contact: u32,
    /// Index into [`Notes::details`] (the event's first field), or [`NONE`].
    pub detail: u32,
}

/// A change of a sender's daily limit by a `user_updated` event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitChange {
    /// Seconds since the Unix epoch.
    pub at: i64,
    /// The user's email.
    pub user: String,
    /// The new limit.
    pub limit: u32,
}

/// The events that ran, in line order, with their names.
#[derive(Debug, Default)]
pub struct Notes {
    /// Every event that ran.
    pub events: Vec<EventNote>,
    /// Contact ids, by first appearance.
    pub contacts: Vec<Box<str>>,
    /// Event details (forms, stages, outcomes, lists, properties).
    pub details: Vec<Box<str>>,
    /// Daily limits changed by events, in order.
    pub limits: Vec<LimitChange>,
}

/// Notes the events a replay runs; see the module header.
#[derive(Default)]
pub struct Notebook {
    notes: Notes,
    /// Contact ids inline in the table's slots (as the engine keeps them):
    /// a look-up reads no separate allocation.
    contact_ids: FxHashMap<SmolStr, u32>,
    detail_ids: FxHashMap<Box<str>, u32>,
}

impl Notebook {
    /// The notes taken.
    pub fn into_notes(self) -> Notes {
        self.notes
    }
}

impl Follower for Notebook {
    fn process(&mut self, event: &Event, line: usize) {
        let contact = match event.contact() {
            Some(id) => intern(&mut self.contact_ids, &mut self.notes.contacts, id),
            None => NONE,
        };
        let detail = match &event.kind {
            EventKind::SequenceDeleted { sequence } => Some(sequence.as_str()),
            EventKind::UserUpdated { user, .. } => Some(user.as_str()),
            kind => match kind.field_at(1) {
                Some(ValueRef::Text(s)) => Some(s),
                _ => None,
            },
        }
        .map_or(NONE, |d| {
            intern(&mut self.detail_ids, &mut self.notes.details, d)
        });
        if let EventKind::UserUpdated {
            user,
            daily_send_limit: Some(limit),
            ..
        } = &event.kind
        {
            self.notes.limits.push(LimitChange {
                at: event.at.timestamp(),
                user: user.to_string(),
                limit: *limit,
            });
        }
        self.notes.events.push(EventNote {
            line: u32::try_from(line).unwrap_or(u32::MAX),
            at: event.at.timestamp(),
            kind: event.event_type(),
            contact,
            detail,
        });
    }

    /// The schedule's steps are the engine's records, not events.
    fn finish(&mut self, _until: Option<DateTime<Utc>>) {}
}

/// The index of `name` in `names`, added when new.
fn intern<K>(ids: &mut FxHashMap<K, u32>, names: &mut Vec<Box<str>>, name: &str) -> u32
where
    K: for<'a> From<&'a str> + std::borrow::Borrow<str> + std::hash::Hash + Eq,
{
    if let Some(&id) = ids.get(name) {
        return id;
    }
    let id = u32::try_from(names.len()).unwrap_or(NONE);
    names.push(name.into());
    ids.insert(name.into(), id);
    id
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::replay::parse_event;

    fn note(book: &mut Notebook, line: usize, text: &str) {
        book.process(&parse_event(text, None).unwrap(), line);
    }

    #[test]
    fn notes_each_event_with_its_line_contact_and_first_field() {
        let mut book = Notebook::default();
        note(
            &mut book,
            1,
            r#"{"at":"2026-03-02T08:00:00Z","type":"form_submitted","contact":"c-1","form":"qualify"}"#,
        );
        note(
            &mut book,
            4,
            r#"{"at":"2026-03-02T09:00:00Z","type":"email_replied","contact":"c-2"}"#,
        );
        note(
            &mut book,
            5,
            r#"{"at":"2026-03-02T10:00:00Z","type":"form_submitted","contact":"c-1","form":"qualify"}"#,
        );
        note(
            &mut book,
            6,
            r#"{"at":"2026-03-02T11:00:00Z","type":"user_updated","user":"u@x","daily_send_limit":3}"#,
        );
        let notes = book.into_notes();
        let lines: Vec<u32> = notes.events.iter().map(|e| e.line).collect();
        assert_eq!(lines, [1, 4, 5, 6]);
        assert_eq!(notes.contacts, ["c-1".into(), "c-2".into()]);
        assert_eq!(notes.details, ["qualify".into(), "u@x".into()]);
        let contacts: Vec<u32> = notes.events.iter().map(|e| e.contact).collect();
        assert_eq!(contacts, [0, 1, 0, NONE]);
        let details: Vec<u32> = notes.events.iter().map(|e| e.detail).collect();
        assert_eq!(details, [0, NONE, 0, 1]);
        assert_eq!(notes.events[1].kind, EventType::EmailReplied);
        assert_eq!(
            notes.limits,
            [LimitChange {
                at: notes.events[3].at,
                user: "u@x".into(),
                limit: 3
            }]
        );
    }
}
