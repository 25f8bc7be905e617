//! One side's records, kept compactly while the replay runs: each record
//! a fixed-size [`Row`] whose names (contact, sequence, sender, address,
//! rule, workflow) are indices into the side's own table of names. After
//! the replay, [`Collected::group`] orders the rows by contact (keeping
//! each contact's records in the order made).
//!
//! Two sides' rows compare through [`Collected::same`]: on every trace
//! field except `seq`, `rule`, `workflow` and `event`, names by text.

use crate::runtime::{Decision, LiveSink, Name, Reason, Record, RecordRef, Sink};
use chrono::{DateTime, Utc};
use rustc_hash::FxHashMap;

/// No name: the field is null.
const NONE: u32 = u32::MAX;

/// A record with its names as indices into [`Collected`]'s names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    pub seq: u64,
    /// Seconds since the epoch.
    pub at: i64,
    pub until: Option<i64>,
    pub event: Option<u64>,
    pub contact: u32,
    pub sequence: u32,
    pub sender: u32,
    pub via: u32,
    pub rule: u32,
    pub workflow: u32,
    pub step: Option<u32>,
    pub decision: Decision,
    pub reason: Option<Reason>,
}

/// A side's records and the names they use.
#[derive(Default)]
pub struct Collected {
    rows: Vec<Row>,
    names: Vec<Box<str>>,
    index: FxHashMap<Box<str>, u32>,
    /// After [`Collected::group`]: each contact name's rows, as a range
    /// of `rows`.
    by_contact: FxHashMap<u32, (usize, usize)>,
}

impl Sink for Collected {
    fn record(&mut self, r: &RecordRef<'_>) {
        let row = Row {
            seq: r.seq,
            at: r.at.timestamp(),
            until: r.until.map(|u| u.timestamp()),
            event: r.event.map(|e| e as u64),
            contact: self.intern(r.contact),
            sequence: self.intern_name(r.sequence),
            sender: self.intern_name(r.sender),
            via: self.intern_name(r.via),
            rule: self.intern_name(r.rule),
            workflow: self.intern_name(r.workflow),
            step: r.step,
            decision: r.decision,
            reason: r.reason,
        };
        self.rows.push(row);
    }
}

/// Records are kept in memory: nothing to flush, nothing can fail.
impl LiveSink for Collected {
    fn flush(&mut self) {}

    fn failed(&self) -> bool {
        false
    }
}

impl Collected {
    fn intern_name(&mut self, name: Option<Name<'_>>) -> u32 {
        self.intern(name.map(Name::as_str))
    }

    fn intern(&mut self, text: Option<&str>) -> u32 {
        let Some(text) = text else { return NONE };
        if let Some(&i) = self.index.get(text) {
            return i;
        }
        let i = u32::try_from(self.names.len()).unwrap_or(NONE);
        self.names.push(text.into());
        self.index.insert(text.into(), i);
        i
    }

    /// A name's text; `None` for a null field.
    pub fn name(&self, i: u32) -> Option<&str> {
        self.names.get(i as usize).map(|n| &**n)
    }

    /// Orders the rows by contact, each contact's rows in the order made.
    pub fn group(&mut self) {
        self.rows.sort_by_key(|r| r.contact);
        self.by_contact.clear();
        let mut start = 0;
        while let Some(first) = self.rows.get(start) {
            let contact = first.contact;
            let len = self
                .rows
                .get(start..)
                .map_or(0, |rest| rest.partition_point(|r| r.contact == contact));
            self.by_contact.insert(contact, (start, start + len));
            start += len.max(1);
        }
    }

    /// A contact's rows (after [`Collected::group`]).
    pub fn rows_of(&self, contact: &str) -> &[Row] {
        self.index
            .get(contact)
            .and_then(|i| self.by_contact.get(i))
            .and_then(|&(a, b)| self.rows.get(a..b))
            .unwrap_or(&[])
    }

    /// A contact's records (after [`Collected::group`]).
    pub fn records_of(&self, contact: &str) -> Vec<Record> {
        self.rows_of(contact)
            .iter()
            .map(|r| self.record(r))
            .collect()
    }

    /// Every row, in the order made (before [`Collected::group`]) or by
    /// contact (after).
    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    /// A row as a trace record.
    pub fn record(&self, r: &Row) -> Record {
        let text = |i: u32| self.name(i).map(str::to_owned);
        Record {
            seq: r.seq,
            at: time(r.at),
            decision: r.decision,
            contact: text(r.contact),
            sequence: text(r.sequence),
            sender: text(r.sender),
            via: text(r.via),
            reason: r.reason,
            rule: text(r.rule),
            workflow: text(r.workflow),
            event: r.event.and_then(|e| usize::try_from(e).ok()),
            step: r.step,
            until: r.until.map(time),
        }
    }

    /// Whether row `a` of this side and row `b` of `other` say the same,
    /// `seq`, `rule`, `workflow` and `event` aside.
    pub fn same(&self, a: &Row, other: &Collected, b: &Row) -> bool {
        a.at == b.at
            && a.decision == b.decision
            && a.reason == b.reason
            && a.step == b.step
            && a.until == b.until
            && self.name(a.contact) == other.name(b.contact)
            && self.name(a.sequence) == other.name(b.sequence)
            && self.name(a.sender) == other.name(b.sender)
            && self.name(a.via) == other.name(b.via)
    }
}

/// Seconds since the epoch as a time; a record's time always fits.
pub fn time(seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(seconds, 0).unwrap_or_default()
}
