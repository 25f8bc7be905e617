//! What an event is, once read: its time and a typed [`EventKind`] whose
//! variants carry the fields their entry in the event schema
//! ([`SCHEMA`](crate::triggers::SCHEMA)) lists, in the same order. Reading
//! and checking event lines is the replay's (`runtime::replay::events`);
//! the engine only ever sees an [`Event`].

use crate::account::Seat;
use crate::value::{Value, ValueRef};
use chrono::{DateTime, Utc};
use smol_str::SmolStr;
use std::collections::BTreeMap;

pub use crate::triggers::EventType;

/// A validated event: when, and what happened.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// Whole seconds.
    pub at: DateTime<Utc>,
    pub kind: EventKind,
}

/// What happened, with the fields of its type: each variant keeps the
/// fields its [`SCHEMA`](crate::triggers::SCHEMA) entry lists, in the same
/// order ([`EventKind::field_at`] reads them by that position).
#[derive(Debug, Clone, PartialEq)]
pub enum EventKind {
    FormSubmitted {
        contact: SmolStr,
        form: SmolStr,
    },
    DealStageChanged {
        contact: SmolStr,
        to: SmolStr,
        from: Option<SmolStr>,
        deal: Option<SmolStr>,
        amount: Option<f64>,
    },
    MeetingOutcome {
        contact: SmolStr,
        outcome: SmolStr,
    },
    MeetingBooked {
        contact: SmolStr,
    },
    EmailReplied {
        contact: SmolStr,
    },
    EmailBounced {
        contact: SmolStr,
    },
    Unsubscribed {
        contact: SmolStr,
    },
    TaskCompleted {
        contact: SmolStr,
    },
    PropertyChanged {
        contact: SmolStr,
        property: SmolStr,
        /// `None` clears the property.
        value: Option<Value>,
    },
    ListAdded {
        contact: SmolStr,
        list: SmolStr,
    },
    ListRemoved {
        contact: SmolStr,
        list: SmolStr,
    },
    ContactCreated {
        contact: SmolStr,
        email: Option<SmolStr>,
        owner: Option<SmolStr>,
        properties: BTreeMap<String, Value>,
        source: Option<SmolStr>,
    },
    SequenceDeleted {
        sequence: SmolStr,
    },
    UserUpdated {
        user: SmolStr,
        seats: Option<Vec<Seat>>,
        inboxes: Option<Vec<String>>,
        daily_send_limit: Option<u32>,
    },
}

impl EventKind {
    pub fn event_type(&self) -> EventType {
        match self {
            EventKind::FormSubmitted { .. } => EventType::FormSubmitted,
            EventKind::DealStageChanged { .. } => EventType::DealStageChanged,
            EventKind::MeetingOutcome { .. } => EventType::MeetingOutcome,
            EventKind::MeetingBooked { .. } => EventType::MeetingBooked,
            EventKind::EmailReplied { .. } => EventType::EmailReplied,
            EventKind::EmailBounced { .. } => EventType::EmailBounced,
            EventKind::Unsubscribed { .. } => EventType::Unsubscribed,
            EventKind::TaskCompleted { .. } => EventType::TaskCompleted,
            EventKind::PropertyChanged { .. } => EventType::PropertyChanged,
            EventKind::ListAdded { .. } => EventType::ListAdded,
            EventKind::ListRemoved { .. } => EventType::ListRemoved,
            EventKind::ContactCreated { .. } => EventType::ContactCreated,
            EventKind::SequenceDeleted { .. } => EventType::SequenceDeleted,
            EventKind::UserUpdated { .. } => EventType::UserUpdated,
        }
    }

    /// The contact the event is about (`None` for account events).
    pub fn contact(&self) -> Option<&str> {
        match self {
            EventKind::FormSubmitted { contact, .. }
            | EventKind::DealStageChanged { contact, .. }
            | EventKind::MeetingOutcome { contact, .. }
            | EventKind::MeetingBooked { contact }
            | EventKind::EmailReplied { contact }
            | EventKind::EmailBounced { contact }
            | EventKind::Unsubscribed { contact }
            | EventKind::TaskCompleted { contact }
            | EventKind::PropertyChanged { contact, .. }
            | EventKind::ListAdded { contact, .. }
            | EventKind::ListRemoved { contact, .. }
            | EventKind::ContactCreated { contact, .. } => Some(contact),
            EventKind::SequenceDeleted { .. } | EventKind::UserUpdated { .. } => None,
        }
    }

    /// The scalar field at `position` in the type's schema entry (rules
    /// resolve `event.NAME` and trigger arguments to positions once).
    /// Fields that are not scalars (a new contact's properties, a user's
    /// seats) have none.
    pub fn field_at(&self, position: usize) -> Option<ValueRef<'_>> {
        fn text(s: &SmolStr) -> Option<ValueRef<'_>> {
            Some(ValueRef::Text(s.as_str()))
        }
        fn opt(s: &Option<SmolStr>) -> Option<ValueRef<'_>> {
            s.as_deref().map(ValueRef::Text)
        }
        match (self, position) {
            (EventKind::SequenceDeleted { sequence: s }, 0)
            | (EventKind::UserUpdated { user: s, .. }, 0) => text(s),
            (_, 0) => self.contact().map(ValueRef::Text),
            (EventKind::FormSubmitted { form: s, .. }, 1)
            | (EventKind::DealStageChanged { to: s, .. }, 1)
            | (EventKind::MeetingOutcome { outcome: s, .. }, 1)
            | (EventKind::PropertyChanged { property: s, .. }, 1)
            | (EventKind::ListAdded { list: s, .. }, 1)
            | (EventKind::ListRemoved { list: s, .. }, 1) => text(s),
            (EventKind::DealStageChanged { from: s, .. }, 2)
            | (EventKind::DealStageChanged { deal: s, .. }, 3)
            | (EventKind::ContactCreated { email: s, .. }, 1)
            | (EventKind::ContactCreated { owner: s, .. }, 2)
            | (EventKind::ContactCreated { source: s, .. }, 4) => opt(s),
            (EventKind::DealStageChanged { amount, .. }, 4) => amount.map(ValueRef::Number),
            (EventKind::PropertyChanged { value, .. }, 2) => value.as_ref().map(Value::as_ref),
            _ => None,
        }
    }
}

impl Event {
    pub fn event_type(&self) -> EventType {
        self.kind.event_type()
    }

    pub fn contact(&self) -> Option<&str> {
        self.kind.contact()
    }

    /// The field a rule reads as `event.NAME`, if this event has it.
    pub fn field(&self, name: &str) -> Option<ValueRef<'_>> {
        let ty = self.event_type();
        let position = ty.field_index(name)?;
        let readable = ty.spec().fields.get(position)?.read.is_some();
        if readable {
            self.kind.field_at(position)
        } else {
            None
        }
    }
}
