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
pub struct Collected {
    rows: Vec<Row>,
    names: Vec<Box<str>>,
    index: FxHashMap<Box<str>, u32>,
    /// Names by their index in the engine's table of trace names
    /// ([`Name`]'s id), so a name the engine keeps is looked up once.
    by_engine_id: Vec<u32>,
    /// The contact of the last record: a contact's records often follow
    /// each other.
    last_contact: u32,
    /// After [`Collected::group`]: by name index, a contact's rows, as a
    /// range of `rows`.
    by_contact: Vec<(usize, usize)>,
}

impl Default for Collected {
    fn default() -> Collected {
        Collected {
            rows: Vec::new(),
            names: Vec::new(),
            index: FxHashMap::default(),
            by_engine_id: Vec::new(),
            last_contact: NONE,
            by_contact: Vec::new(),
        }
    }
}

impl Sink for Collected {
    fn record(&mut self, r: &RecordRef<'_>) {
        let row = Row {
            seq: r.seq,
            at: r.at.timestamp(),
            until: r.until.map(|u| u.timestamp()),
            event: r.event.map(|e| e as u64),
            contact: self.intern_contact(r.contact),
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
        let Some(name) = name else { return NONE };
        let Some(id) = name.id() else {
            return self.intern(Some(name.as_str()));
        };
        let id = id.index();
        if let Some(&i) = self.by_engine_id.get(id)
            && i != NONE
        {
            return i;
        }
        let i = self.intern(Some(name.as_str()));
        if self.by_engine_id.len() <= id {
            self.by_engine_id.resize(id + 1, NONE);
        }
        if let Some(slot) = self.by_engine_id.get_mut(id) {
            *slot = i;
        }
        i
    }

    fn intern_contact(&mut self, contact: Option<&str>) -> u32 {
        if contact.is_some() && self.name(self.last_contact) == contact {
            return self.last_contact;
        }
        let i = self.intern(contact);
        self.last_contact = i;
        i
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

    /// Orders the rows by contact, each contact's rows in the order made
    /// (a counting sort: one pass to count, one to place).
    pub fn group(&mut self) {
        let mut ranges = vec![(0usize, 0usize); self.names.len()];
        for r in &self.rows {
            if let Some(range) = ranges.get_mut(r.contact as usize) {
                range.1 += 1;
            }
        }
        let mut start = 0;
        for range in &mut ranges {
            let len = range.1;
            *range = (start, start);
            start += len;
        }
        // Where each row goes, then the rows in that order.
        let mut order = vec![0u32; self.rows.len()];
        let mut next: Vec<usize> = ranges.iter().map(|r| r.0).collect();
        for (i, r) in self.rows.iter().enumerate() {
            if let Some(at) = next.get_mut(r.contact as usize)
                && let Some(slot) = order.get_mut(*at)
            {
                *slot = u32::try_from(i).unwrap_or(u32::MAX);
                *at += 1;
            }
        }
        for (range, end) in ranges.iter_mut().zip(next) {
            range.1 = end;
        }
        let rows = &self.rows;
        self.rows = order
            .iter()
            .filter_map(|&i| rows.get(i as usize))
            .copied()
            .collect();
        self.by_contact = ranges;
    }

    /// A contact's rows (after [`Collected::group`]).
    pub fn rows_of(&self, contact: &str) -> &[Row] {
        self.index
            .get(contact)
            .and_then(|&i| self.by_contact.get(i as usize))
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
