//! The impact of a change (`wf diff`, `docs/diff.md`): the same events
//! replayed through old and new rules, each with its own runtime state
//! from the same account, and the records compared contact by contact.
//!
//! The events are read and parsed once: the replay driver runs them
//! through the old rules' engine and hands each one on
//! ([`crate::runtime::Follower`]) to the new rules' engine, which runs on
//! a second thread. Each side keeps its records compactly
//! ([`collect::Collected`]); at the end each side sorts its records by
//! contact, and the two are compared on every trace field except `seq`,
//! `rule`, `workflow` and `event`, so a rule that moved, was reformatted
//! or renamed is no difference.
//!
//! # Public API
//!
//! ```text
//! replay(&Account, old: Rules, new: Rules, events: impl Read + Send, Settings, bad_line)
//!     -> Result<Impact, E>
//! impact.differing() -> &[ContactId]        differing contacts, in contact order
//! impact.records(contact) -> (Vec<Record>, Vec<Record>)      old, new
//! impact.record_refs(contact) -> (Vec<RecordRef>, Vec<RecordRef>)
//! impact.summary() -> &Summary              the counts of the summary
//! render::table / render::contact_table     text
//! render::write_json_lines / render::contact_json
//!                                           JSON lines, written as they are made
//! ```
//!
//! Contact order is the account's, then contacts created by events in the
//! order they were created.

pub mod collect;
pub mod follow;
pub mod render;
pub mod summary;

use crate::account::Account;
use crate::runtime::replay::BadLine;
use crate::runtime::{Driver, Engine, Options, Order, Record, RecordRef};
use crate::source::{FileId, Sources};
use crate::syntax::Program;
use chrono::{DateTime, Utc};
use collect::Collected;
use std::io::Read;
pub use summary::Summary;

/// One side's rules: the scripts' texts and their parsed programs.
#[derive(Clone, Copy)]
pub struct Rules<'a> {
    /// The scripts' names and texts (rules are named `FILE:LINE`).
    pub sources: &'a Sources,
    /// The programs, in command-line order.
    pub programs: &'a [(FileId, Program)],
}

/// How both sides replay.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Settings {
    /// Step records too (`--steps`).
    pub steps: bool,
    /// Stop at this time (`--until`).
    pub until: Option<DateTime<Utc>>,
}

/// A contact's position in contact order.
pub type ContactId = usize;

/// Both sides' records and what differs between them.
pub struct Impact {
    /// Every contact id, in contact order.
    contacts: Vec<String>,
    old: Collected,
    new: Collected,
    differing: Vec<ContactId>,
    summary: Summary,
}

impl Impact {
    /// The contacts whose records differ, in contact order.
    pub fn differing(&self) -> &[ContactId] {
        &self.differing
    }

    /// A contact's id.
    pub fn contact_id(&self, contact: ContactId) -> &str {
        self.contacts.get(contact).map_or("", String::as_str)
    }

    /// A contact's position, if the contact exists.
    pub fn find(&self, id: &str) -> Option<ContactId> {
        self.contacts.iter().position(|c| c == id)
    }

    /// A contact's records: (old, new), each in the order made.
    pub fn records(&self, contact: ContactId) -> (Vec<Record>, Vec<Record>) {
        let (old, new) = self.record_refs(contact);
        let owned = |refs: Vec<RecordRef<'_>>| refs.iter().map(RecordRef::to_record).collect();
        (owned(old), owned(new))
    }

    /// [`Impact::records`], borrowing the names (no string is copied).
    pub fn record_refs(&self, contact: ContactId) -> (Vec<RecordRef<'_>>, Vec<RecordRef<'_>>) {
        let id = self.contact_id(contact);
        let (old, new) = (
            self.old.rows_of_contact(contact, id),
            self.new.rows_of_contact(contact, id),
        );
        (
            old.iter().map(|r| self.old.record_ref(r)).collect(),
            new.iter().map(|r| self.new.record_ref(r)).collect(),
        )
    }

    /// Whether a contact's records differ.
    pub fn differs(&self, contact: ContactId) -> bool {
        self.differing.binary_search(&contact).is_ok()
    }

    /// The summary counts.
    pub fn summary(&self) -> &Summary {
        &self.summary
    }
}

/// Replays `events` through the old and the new rules and compares the
/// records. A bad event line goes to `bad_line`, as for `wf run`: `Ok`
/// skips it (on both sides), `Err` stops with that error.
pub fn replay<R, E>(
    account: &Account,
    old: Rules<'_>,
    new: Rules<'_>,
    events: R,
    settings: Settings,
    bad_line: &mut dyn FnMut(BadLine) -> Result<(), E>,
) -> Result<Impact, E>
where
    R: Read + Send + 'static,
{
    let options = Options {
        order: Order::AsWritten,
        until: settings.until,
        ..Options::default()
    };
    let (contacts, old_records, new_records) = std::thread::scope(|scope| {
        let (mut follower, worker) = follow::spawn(scope, account, new, settings.steps);
        let mut old_engine = Engine::new(account, old.sources, old.programs);
        old_engine.set_steps(settings.steps);
        let mut old_records = Collected::default();
        let ran = {
            let mut driver = Driver::new(&mut old_engine, options).with_follower(&mut follower);
            let ran = driver.run(events, &mut old_records, bad_line);
            if ran.is_ok() {
                driver.finish(&mut old_records);
            }
            ran
        };
        drop(follower);
        // The old engine's state is freed, but for its contacts, while the
        // new side catches up and groups its records.
        let contacts: Vec<String> = old_engine.contact_ids().map(str::to_owned).collect();
        drop(old_engine);
        let new_records = follow::join(worker);
        // Grouping copies a side's rows: one side at a time, and the old
        // side's once the new engine is freed, keeps the peak at that of
        // the replay.
        old_records.group();
        ran.map(|()| (contacts, old_records, new_records))
    })?;
    Ok(compare(contacts, old_records, new_records, settings.steps))
}

/// Groups both sides' records by contact (if not yet) and compares them.
/// `contacts` are the old engine's, in the order of its table: a
/// contact's position is its index there, and most likely in the new
/// engine's too.
fn compare(contacts: Vec<String>, mut old: Collected, mut new: Collected, steps: bool) -> Impact {
    old.group();
    new.group();
    let mut differing = Vec::new();
    let mut summary = Summary::default();
    for (i, id) in contacts.iter().enumerate() {
        let (a, b) = (old.rows_of_contact(i, id), new.rows_of_contact(i, id));
        if a.is_empty() && b.is_empty() {
            continue;
        }
        summary.contacts_touched += 1;
        let same = a.len() == b.len() && a.iter().zip(b.iter()).all(|(x, y)| old.same(x, &new, y));
        if !same {
            differing.push(i);
            summary.add_contact(&old, a, &new, b);
        }
    }
    summary.add_totals(&old, &new, steps);
    Impact {
        contacts,
        old,
        new,
        differing,
        summary,
    }
}

#[cfg(test)]
mod tests;
