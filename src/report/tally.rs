//! The records of a replay, counted: a [`Sink`] that takes each record as
//! the engine makes it and keeps what the report shows.
//!
//! - records by decision, skips and unenrolls by reason;
//! - per rule, per sequence: records by decision and reason;
//! - per sender and local day (the account's time zone): emails sent,
//!   deferrals, `daily_send_limit` skips;
//! - per contact: every record, compactly, for its timeline.
//!
//! Names (rules, sequences, senders, contacts) are numbered in the order
//! they first appear in the trace, which is deterministic; nothing is
//! ever read back in hash-map order.

use super::notes::NONE;
use crate::runtime::{Decision, LiveSink, Name, Reason, RecordRef, Sink};
use chrono::Datelike;
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;

/// Every reason, in the trace's order: `REASONS[r as usize]` is `r`.
pub const REASONS: [Reason; 19] = Reason::ALL;

/// Records by decision, and skips and unenrolls by reason.
#[derive(Debug, Clone, Default)]
pub struct Counts {
    /// Indexed by `Decision as usize`.
    pub decisions: [u64; Decision::ALL.len()],
    /// Skips, indexed by `Reason as usize`.
    pub skips: [u64; REASONS.len()],
    /// Unenrolls, indexed by `Reason as usize`.
    pub unenrolls: [u64; REASONS.len()],
}

impl Counts {
    fn add(&mut self, decision: Decision, reason: Option<Reason>) {
        if let Some(n) = self.decisions.get_mut(decision as usize) {
            *n += 1;
        }
        let by_reason = match decision {
            Decision::Skip => &mut self.skips,
            Decision::Unenroll => &mut self.unenrolls,
            _ => return,
        };
        if let Some(n) = reason.and_then(|r| by_reason.get_mut(r as usize)) {
            *n += 1;
        }
    }

    /// The count of one decision.
    pub fn of(&self, decision: Decision) -> u64 {
        self.decisions.get(decision as usize).copied().unwrap_or(0)
    }
}

/// One sender's day.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SenderDay {
    /// Sequence emails sent.
    pub sent: u32,
    /// Emails deferred to a later time by the send limit.
    pub deferred: u32,
    /// Enrollments skipped with `daily_send_limit`.
    pub limit_skips: u32,
}

/// One record of a contact's timeline.
#[derive(Debug, Clone, Copy)]
pub struct RecordNote {
    /// Index into [`Tally::contacts`].
    pub contact: u32,
    /// Seconds since the Unix epoch.
    pub at: i64,
    pub decision: Decision,
    pub reason: Option<Reason>,
    /// Index into [`Tally::sequences`], or [`NONE`].
    pub sequence: u32,
    /// Index into [`Tally::senders`], or [`NONE`].
    pub sender: u32,
    /// Index into [`Tally::rules`], or [`NONE`].
    pub rule: u32,
    /// The causing event's line, 0 for none.
    pub event: u32,
    /// The step, 0 for none.
    pub step: u32,
    /// A deferred email's retry time (seconds), 0 for none.
    pub until: i64,
}

/// Names numbered by first appearance, each with a value.
///
/// A name is found by its text, or, when the engine gave it an index (its
/// table of trace names, its table of contacts), by that index: a plain
/// vector look-up instead of hashing the text, which is what keeps
/// counting cheap for a sink that sees every record.
#[derive(Debug)]
pub struct Table<T> {
    ids: FxHashMap<Box<str>, u32>,
    /// The engine's index → the number here ([`NONE`]: not seen yet).
    by_index: Vec<u32>,
    /// The names, in order of first appearance.
    pub names: Vec<Box<str>>,
    /// One value per name.
    pub values: Vec<T>,
}

impl<T: Default> Table<T> {
    fn new() -> Table<T> {
        Table {
            ids: FxHashMap::default(),
            by_index: Vec::new(),
            names: Vec::new(),
            values: Vec::new(),
        }
    }

    /// The number of `name` (whose index in the engine is `index`, when it
    /// has one), added when new; `true` when it was added now.
    fn number(&mut self, name: &str, index: Option<usize>) -> (u32, bool) {
        if let Some(&id) = index.and_then(|i| self.by_index.get(i))
            && id != NONE
        {
            return (id, false);
        }
        let (id, added) = match self.ids.get(name) {
            Some(&id) => (id, false),
            None => {
                let id = u32::try_from(self.names.len()).unwrap_or(NONE);
                self.names.push(name.into());
                self.values.push(T::default());
                self.ids.insert(name.into(), id);
                (id, true)
            }
        };
        if let Some(i) = index {
            if self.by_index.len() <= i {
                self.by_index.resize(i + 1, NONE);
            }
            if let Some(slot) = self.by_index.get_mut(i) {
                *slot = id;
            }
        }
        (id, added)
    }

    /// The value of number `id`.
    fn value_mut(&mut self, id: u32) -> Option<&mut T> {
        self.values.get_mut(id as usize)
    }

    /// The number of `name`, if it appeared.
    pub fn id(&self, name: &str) -> Option<u32> {
        self.ids.get(name).copied()
    }

    /// Names with their values, in order of first appearance.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &T)> {
        self.names.iter().map(|n| &**n).zip(&self.values)
    }
}

/// The number of a record's name in `table`.
fn number_of<T: Default>(table: &mut Table<T>, name: Name<'_>) -> (u32, bool) {
    table.number(name.as_str(), name.id().map(|id| id.index()))
}

/// What a contact's records add up to.
#[derive(Debug, Clone, Copy, Default)]
pub struct ContactSummary {
    /// Records about the contact.
    pub records: u32,
    /// Some record is a skip or an unenroll.
    pub flagged: bool,
}

/// The counting sink; see the module header.
pub struct Tally {
    timezone: chrono_tz::Tz,
    /// Every record.
    pub all: Counts,
    /// Per rule (`FILE:LINE`).
    pub rules: Table<Counts>,
    /// The workflow of each rule that has one, by rule number.
    pub rule_workflows: BTreeMap<u32, String>,
    /// Per sequence.
    pub sequences: Table<Counts>,
    /// Per sender: the days with sends, deferrals or limit skips.
    pub senders: Table<BTreeMap<i32, SenderDay>>,
    /// Per contact.
    pub contacts: Table<ContactSummary>,
    /// Every record of every contact, in trace order.
    pub timeline: Vec<RecordNote>,
}

impl Tally {
    /// An empty tally; days are local days of `timezone`.
    pub fn new(timezone: chrono_tz::Tz) -> Tally {
        Tally {
            timezone,
            all: Counts::default(),
            rules: Table::new(),
            rule_workflows: BTreeMap::new(),
            sequences: Table::new(),
            senders: Table::new(),
            contacts: Table::new(),
            timeline: Vec::new(),
        }
    }

    /// The local day of an instant, as days from the common era.
    pub fn day_of(&self, at: chrono::DateTime<chrono::Utc>) -> i32 {
        at.with_timezone(&self.timezone)
            .date_naive()
            .num_days_from_ce()
    }
}

impl Sink for Tally {
    fn record(&mut self, r: &RecordRef<'_>) {
        self.all.add(r.decision, r.reason);
        let rule = match r.rule {
            Some(rule) => {
                let (id, new) = number_of(&mut self.rules, rule);
                if let Some(counts) = self.rules.value_mut(id) {
                    counts.add(r.decision, r.reason);
                }
                if new && let Some(w) = r.workflow {
                    self.rule_workflows.insert(id, w.to_string());
                }
                id
            }
            None => NONE,
        };
        let sequence = match r.sequence {
            Some(s) => {
                let (id, _) = number_of(&mut self.sequences, s);
                if let Some(counts) = self.sequences.value_mut(id) {
                    counts.add(r.decision, r.reason);
                }
                id
            }
            None => NONE,
        };
        let sender = r.sender.map_or(NONE, |s| number_of(&mut self.senders, s).0);
        let marks_sender = matches!(r.decision, Decision::EmailSent | Decision::EmailDeferred)
            || r.reason == Some(Reason::DailySendLimit);
        if marks_sender && sender != NONE {
            let day = self.day_of(r.at);
            if let Some(days) = self.senders.value_mut(sender) {
                let d = days.entry(day).or_default();
                match r.decision {
                    Decision::EmailSent => d.sent += 1,
                    Decision::EmailDeferred => d.deferred += 1,
                    _ => d.limit_skips += 1,
                }
            }
        }
        let Some(contact_id) = r.contact else { return };
        let index = r.contact_index().map(|i| i as usize);
        let (contact, _) = self.contacts.number(contact_id, index);
        if let Some(summary) = self.contacts.value_mut(contact) {
            summary.records += 1;
            summary.flagged |= matches!(r.decision, Decision::Skip | Decision::Unenroll);
        }
        self.timeline.push(RecordNote {
            contact,
            at: r.at.timestamp(),
            decision: r.decision,
            reason: r.reason,
            sequence,
            sender,
            rule,
            event: r.event.map_or(0, |e| u32::try_from(e).unwrap_or(u32::MAX)),
            step: r.step.unwrap_or(0),
            until: r.until.map_or(0, |u| u.timestamp()),
        });
    }
}

impl LiveSink for Tally {
    fn flush(&mut self) {}

    fn failed(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_has_one_number_by_index_or_by_text() {
        let mut t: Table<u32> = Table::new();
        assert_eq!(t.number("a", Some(5)), (0, true));
        assert_eq!(t.number("a", None), (0, false), "found by its text");
        assert_eq!(t.number("b", None), (1, true));
        assert_eq!(
            t.number("b", Some(2)),
            (1, false),
            "text first, index learnt"
        );
        assert_eq!(t.number("ignored", Some(2)), (1, false), "then by index");
        assert_eq!(t.number("c", Some(0)), (2, true));
        assert_eq!(t.names, ["a".into(), "b".into(), "c".into()]);
        assert_eq!(t.id("c"), Some(2));
    }

    #[test]
    fn reasons_are_in_declaration_order() {
        for (i, r) in REASONS.iter().enumerate() {
            assert_eq!(*r as usize, i, "{}", r.as_str());
        }
    }
}
