//! The engine's state, in four named parts: the contacts, the users with
//! their send windows, the schedule (sequences, enrollments, the step
//! queue, the clock), and the rules' memory (which rules fired for which
//! contact). Each is plain data — indices, names and values, no shared
//! pointers or caches — so it could be written out and read back as it
//! is. How events change them is in `engine.rs`, `actions.rs` and
//! `steps.rs`.
//!
//! INVARIANT: contacts, their property slots and their rule memory are
//! indexed alike (a contact's index is its position in `Contacts::records`
//! and in `RuleMemory::fired`); users, sequences and enrollments likewise
//! by their own indices. Hash maps only map names to these indices.

use super::names::{ContactId, IdMap, IndexSet, Interned, NameId, NameMap};
use super::schedule::{SendWindow, StepQueue};
use crate::account::{Seat, Step};
use crate::value::Value;
use smol_str::SmolStr;

/// The contacts and what is known about each: flags, lists, the active
/// enrollment and property values, with the names of the account's
/// properties and lists they are indexed by.
#[derive(Default)]
pub(crate) struct Contacts {
    pub(crate) records: Vec<ContactState>,
    /// Property values, contact-major, `property_names.len()` slots per
    /// contact: a contact's slots are found from its index alone, so they
    /// load alongside its record instead of after it.
    pub(crate) props: Vec<Option<Value>>,
    pub(crate) by_id: IdMap,
    /// The emails contacts were created with (the account's and
    /// `contact_created`'s): a new contact may not reuse one.
    pub(crate) emails: NameMap<SmolStr, ()>,
    pub(crate) property_names: Vec<String>,
    pub(crate) property_index: NameMap<String, u32>,
    pub(crate) owner_prop: Option<u32>,
    pub(crate) email_prop: Option<u32>,
    pub(crate) list_names: Vec<String>,
    pub(crate) list_index: NameMap<String, u32>,
}

/// The users (senders and owners) with their seats, inboxes and rolling
/// send windows.
#[derive(Default)]
pub(crate) struct Users {
    pub(crate) records: Vec<UserState>,
    pub(crate) by_email: NameMap<String, u32>,
}

/// What is due when: the sequences, the enrollments in enrollment order
/// (an ended one is `None`), the step queue, and the clock.
#[derive(Default)]
pub(crate) struct Schedule {
    pub(crate) sequences: Vec<SequenceState>,
    pub(crate) sequence_index: NameMap<String, u32>,
    pub(crate) enrollments: Vec<Option<Enrollment>>,
    pub(crate) queue: StepQueue,
    /// The time of the last event or step run, in whole seconds.
    pub(crate) clock: Option<i64>,
}

/// Per contact, the rules (by index into the current rule set) that have
/// fired for it: what the `reenroll` gate reads.
#[derive(Default)]
pub(crate) struct RuleMemory {
    pub(crate) fired: Vec<IndexSet>,
}

pub(crate) struct UserState {
    pub(crate) email: Interned,
    pub(crate) seats: Vec<Seat>,
    /// The inboxes, as trace names (the first is the default send-from
    /// address).
    pub(crate) inboxes: Vec<NameId>,
    pub(crate) limit: u32,
    pub(crate) window: SendWindow,
}

pub(crate) struct SequenceState {
    pub(crate) name: Interned,
    pub(crate) deleted: bool,
    pub(crate) weekdays_only: bool,
    pub(crate) steps: Vec<Step>,
}

pub(crate) struct ContactState {
    pub(crate) id: ContactId,
    /// List indices, sorted.
    pub(crate) lists: Vec<u32>,
    pub(crate) unsubscribed: bool,
    pub(crate) bounced: bool,
    /// The active enrollment.
    pub(crate) active: Option<u32>,
}

pub(crate) struct Enrollment {
    pub(crate) contact: u32,
    pub(crate) sequence: u32,
    pub(crate) sender: u32,
    /// The send-from address, in the trace names.
    pub(crate) via: NameId,
    /// The 0-based index of the step to run next.
    pub(crate) next_step: usize,
    /// Waiting for `task_completed`.
    pub(crate) paused: bool,
    /// The queue entry (due, order) of the next step, when scheduled.
    pub(crate) pending: Option<(i64, u64)>,
}

// The accessors below index directly. INVARIANT: an index is only ever
// made from the position of a value pushed onto the same vector (a
// contact's by `Contacts::by_id`, a user's by `Users::by_email`, a
// sequence's by its name), and nothing is ever removed from these
// vectors, so every index held is in range. An index out of range is a
// bug in the engine: it panics and is reported as an internal error
// (exit 70), never answered with a made-up contact, user or name.

impl Contacts {
    pub(crate) fn get(&self, ci: u32) -> &ContactState {
        #[allow(clippy::indexing_slicing)]
        &self.records[ci as usize]
    }
}

impl Users {
    pub(crate) fn get(&self, ui: u32) -> &UserState {
        #[allow(clippy::indexing_slicing)]
        &self.records[ui as usize]
    }
}

impl Schedule {
    pub(crate) fn sequence(&self, si: u32) -> &SequenceState {
        #[allow(clippy::indexing_slicing)]
        &self.sequences[si as usize]
    }
}

impl RuleMemory {
    /// The rules that fired for contact `ci`.
    pub(crate) fn of(&self, ci: u32) -> &IndexSet {
        #[allow(clippy::indexing_slicing)]
        &self.fired[ci as usize]
    }
}
