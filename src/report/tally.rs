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
use crate::runtime::{Decision, LiveSink, Reason, RecordRef, Sink};
use chrono::Datelike;
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;

/// Every reason, in the trace's order: `REASONS[r as usize]` is `r`.
pub const REASONS: [Reason; 19] = [
    Reason::Suppressed,
    Reason::ReenrollOff,
    Reason::SequenceUnknown,
    Reason::SequenceDeleted,
    Reason::NoOwner,
    Reason::SenderUnknown,
    Reason::SenderNoSeat,
    Reason::SenderNoInbox,
    Reason::SendFromNotOwned,
    Reason::ContactUnsubscribed,
    Reason::ContactBounced,
    Reason::AlreadyEnrolled,
    Reason::DailySendLimit,
    Reason::NotEnrolled,
    Reason::Workflow,
    Reason::Replied,
    Reason::MeetingBooked,
    Reason::Bounced,
    Reason::Unsubscribed,
];

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
#[derive(Debug)]
pub struct Table<T> {
    ids: FxHashMap<Box<str>, u32>,
    /// The names, in order of first appearance.
    pub names: Vec<Box<str>>,
    /// One value per name.
    pub values: Vec<T>,
}

impl<T: Default> Table<T> {
    fn new() -> Table<T> {
        Table {
            ids: FxHashMap::default(),
            names: Vec::new(),
            values: Vec::new(),
        }
    }

    /// The number of `name` and its value, added when new.
    fn entry(&mut self, name: &str) -> (u32, Option<&mut T>) {
        let id = match self.ids.get(name) {
            Some(&id) => id,
            None => {
                let id = u32::try_from(self.names.len()).unwrap_or(NONE);
                self.names.push(name.into());
                self.values.push(T::default());
                self.ids.insert(name.into(), id);
                id
            }
        };
        (id, self.values.get_mut(id as usize))
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

    fn sender_day(&mut self, sender: Option<&str>, at: chrono::DateTime<chrono::Utc>) -> u32 {
        let Some(sender) = sender else { return NONE };
        let day = self.day_of(at);
        let (id, days) = self.senders.entry(sender);
        if let Some(days) = days {
            days.entry(day).or_default();
        }
        id
    }
}

impl Sink for Tally {
    fn record(&mut self, r: &RecordRef<'_>) {
        self.all.add(r.decision, r.reason);
        let rule = match r.rule {
            Some(rule) => {
                let (id, counts) = self.rules.entry(&rule);
                if let Some(counts) = counts {
                    counts.add(r.decision, r.reason);
                }
                if let Some(w) = r.workflow {
                    self.rule_workflows
                        .entry(id)
                        .or_insert_with(|| w.to_string());
                }
                id
            }
            None => NONE,
        };
        let sequence = match r.sequence {
            Some(s) => {
                let (id, counts) = self.sequences.entry(&s);
                if let Some(counts) = counts {
                    counts.add(r.decision, r.reason);
                }
                id
            }
            None => NONE,
        };
        let marks_sender = matches!(r.decision, Decision::EmailSent | Decision::EmailDeferred)
            || r.reason == Some(Reason::DailySendLimit);
        let sender = if marks_sender {
            let id = self.sender_day(r.sender.map(|s| s.as_str()), r.at);
            let day = self.day_of(r.at);
            if let Some(d) = self
                .senders
                .values
                .get_mut(id as usize)
                .and_then(|days| days.get_mut(&day))
            {
                match r.decision {
                    Decision::EmailSent => d.sent += 1,
                    Decision::EmailDeferred => d.deferred += 1,
                    _ => d.limit_skips += 1,
                }
            }
            id
        } else {
            r.sender.map_or(NONE, |s| self.senders.entry(&s).0)
        };
        let Some(contact_id) = r.contact else { return };
        let (contact, summary) = self.contacts.entry(contact_id);
        if let Some(summary) = summary {
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
    fn reasons_are_in_declaration_order() {
        for (i, r) in REASONS.iter().enumerate() {
            assert_eq!(*r as usize, i, "{}", r.as_str());
        }
    }
}
