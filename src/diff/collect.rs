//! One side's records, kept compactly while the replay runs: each record
//! a fixed-size [`Row`] (64 bytes) whose names (contact, sequence, sender,
//! address, rule, workflow) are indices into the side's own table of
//! names. After the replay, [`Collected::group`] sorts the rows by
//! contact (each contact's records in the order made), so that what reads
//! a contact's records after it reads them from one place.
//!
//! A record's names are found in the table without hashing their text
//! when the engine gives their index in its own tables (names by
//! [`Name`]'s id, contacts by the record's contact index): each side
//! remembers which of its names an engine index stands for.
//!
//! Two sides' rows compare through [`Collected::same`]: on every trace
//! field except `seq`, `rule`, `workflow` and `event`, names by text.

use crate::runtime::{Decision, LiveSink, Name, Reason, RecordRef, Sink};
use chrono::{DateTime, Utc};
use rustc_hash::FxHashMap;
use smol_str::SmolStr;

/// No name: the field is null.
const NONE: u32 = u32::MAX;
/// No `until` time.
const NO_TIME: i64 = i64::MIN;
/// No `event` label.
const NO_EVENT: u64 = u64::MAX;
/// No step number.
const NO_STEP: u32 = u32::MAX;

/// A record with its names as indices into [`Collected`]'s names and its
/// optional numbers kept with a sentinel for "none" (so a row is 64
/// bytes, not 88).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    pub seq: u64,
    /// Seconds since the epoch.
    pub at: i64,
    until: i64,
    event: u64,
    pub contact: u32,
    pub sequence: u32,
    pub sender: u32,
    pub via: u32,
    pub rule: u32,
    pub workflow: u32,
    step: u32,
    pub decision: Decision,
    pub reason: Option<Reason>,
}

impl Row {
    /// When a deferred email is retried, in seconds since the epoch.
    pub fn until(&self) -> Option<i64> {
        (self.until != NO_TIME).then_some(self.until)
    }

    /// The causing event's label.
    pub fn event(&self) -> Option<u64> {
        (self.event != NO_EVENT).then_some(self.event)
    }

    /// The step number (step records only).
    pub fn step(&self) -> Option<u32> {
        (self.step != NO_STEP).then_some(self.step)
    }
}

/// A side's records and the names they use.
#[derive(Default)]
pub struct Collected {
    /// Every record: in the order made, after [`Collected::group`] by
    /// contact (records without a contact last).
    rows: Vec<Row>,
    /// Names by index; short ones (contact ids) are kept inline, so a
    /// lookup reads no second allocation.
    names: Vec<SmolStr>,
    index: FxHashMap<SmolStr, u32>,
    /// Names by their index in the engine's table of trace names
    /// ([`Name`]'s id), so a name the engine keeps is looked up once.
    by_engine_id: Vec<u32>,
    /// Contacts' names by their index in the engine's table of contacts.
    by_engine_contact: Vec<u32>,
    /// After [`Collected::group`]: by name index, a contact's rows, as a
    /// range of `rows`.
    by_contact: Vec<(usize, usize)>,
    /// Whether `rows` are grouped by contact.
    grouped: bool,
}

/// One contact's rows on one side, in the order made.
#[derive(Clone, Copy)]
pub struct ContactRows<'a> {
    rows: &'a [Row],
}

impl<'a> ContactRows<'a> {
    /// How many records.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The rows, in the order made.
    pub fn iter(&self) -> std::slice::Iter<'a, Row> {
        self.rows.iter()
    }
}

impl Sink for Collected {
    fn record(&mut self, r: &RecordRef<'_>) {
        let row = Row {
            seq: r.seq,
            at: r.at.timestamp(),
            until: r.until.map_or(NO_TIME, |u| u.timestamp()),
            event: r.event.map_or(NO_EVENT, |e| e as u64),
            contact: self.intern_contact(r.contact, r.contact_index()),
            sequence: self.intern_name(r.sequence),
            sender: self.intern_name(r.sender),
            via: self.intern_name(r.via),
            rule: self.intern_name(r.rule),
            workflow: self.intern_name(r.workflow),
            step: r.step.unwrap_or(NO_STEP),
            decision: r.decision,
            reason: r.reason,
        };
        self.rows.push(row);
        self.grouped = false;
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
            return self.intern(name.as_str());
        };
        let id = id.index();
        if let Some(i) = known(&self.by_engine_id, id) {
            return i;
        }
        let i = self.intern(name.as_str());
        remember(&mut self.by_engine_id, id, i);
        i
    }

    fn intern_contact(&mut self, contact: Option<&str>, index: Option<u32>) -> u32 {
        let Some(text) = contact else { return NONE };
        let Some(ci) = index else {
            return self.intern(text);
        };
        let ci = ci as usize;
        if let Some(i) = known(&self.by_engine_contact, ci) {
            return i;
        }
        let i = self.intern(text);
        remember(&mut self.by_engine_contact, ci, i);
        i
    }

    fn intern(&mut self, text: &str) -> u32 {
        if let Some(&i) = self.index.get(text) {
            return i;
        }
        let i = u32::try_from(self.names.len()).unwrap_or(NONE);
        let name = SmolStr::new(text);
        self.names.push(name.clone());
        self.index.insert(name, i);
        i
    }

    /// A name's text; `None` for a null field.
    pub fn name(&self, i: u32) -> Option<&str> {
        self.names.get(i as usize).map(SmolStr::as_str)
    }

    /// Sorts the rows by contact, each contact's rows in the order made
    /// (a stable counting sort: one pass to count, one to place row
    /// indices, one to gather the rows). Nothing to do when no record came
    /// since the last time.
    pub fn group(&mut self) {
        if self.grouped {
            return;
        }
        // Rows without a contact go last, under the index past every name.
        let others = self.names.len();
        let bucket = |r: &Row| (r.contact as usize).min(others);
        let mut ranges = vec![(0usize, 0usize); others + 1];
        for r in &self.rows {
            if let Some(range) = ranges.get_mut(bucket(r)) {
                range.1 += 1;
            }
        }
        let mut start = 0;
        for range in &mut ranges {
            let len = range.1;
            *range = (start, start);
            start += len;
        }
        let mut order = vec![0u32; self.rows.len()];
        for (i, r) in self.rows.iter().enumerate() {
            if let Some(range) = ranges.get_mut(bucket(r))
                && let Some(slot) = order.get_mut(range.1)
            {
                *slot = u32::try_from(i).unwrap_or(u32::MAX);
                range.1 += 1;
            }
        }
        let rows: Vec<Row> = order
            .iter()
            .filter_map(|&i| self.rows.get(i as usize))
            .copied()
            .collect();
        self.rows = rows;
        ranges.truncate(others);
        self.by_contact = ranges;
        self.grouped = true;
    }

    /// A contact's rows (after [`Collected::group`]).
    pub fn rows_of(&self, contact: &str) -> ContactRows<'_> {
        self.rows_named(self.index.get(contact).copied())
    }

    /// [`Collected::rows_of`] for a contact expected at `index` in the
    /// table of contacts of this side's engine: found there without
    /// hashing its id when this side's engine has it at that index, else
    /// by its id.
    pub fn rows_of_contact(&self, index: usize, contact: &str) -> ContactRows<'_> {
        let name = known(&self.by_engine_contact, index)
            .filter(|&i| self.name(i) == Some(contact))
            .or_else(|| self.index.get(contact).copied());
        self.rows_named(name)
    }

    fn rows_named(&self, name: Option<u32>) -> ContactRows<'_> {
        let rows = name
            .and_then(|i| self.by_contact.get(i as usize))
            .and_then(|&(a, b)| self.rows.get(a..b))
            .unwrap_or(&[]);
        ContactRows { rows }
    }

    /// Every row: in the order made, or by contact after
    /// [`Collected::group`].
    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    /// A row as a trace record borrowing this side's names.
    pub fn record_ref(&self, r: &Row) -> RecordRef<'_> {
        let name = |i: u32| self.name(i).map(Name::new);
        RecordRef {
            seq: r.seq,
            at: time(r.at),
            decision: r.decision,
            contact: self.name(r.contact),
            sequence: name(r.sequence),
            sender: name(r.sender),
            via: name(r.via),
            reason: r.reason,
            rule: name(r.rule),
            workflow: name(r.workflow),
            event: r.event().and_then(|e| usize::try_from(e).ok()),
            step: r.step(),
            until: r.until().map(time),
            contact_index: None,
        }
    }

    /// Whether row `a` of this side and row `b` of `other`, both rows of
    /// the same contact, say the same, `seq`, `rule`, `workflow` and
    /// `event` aside.
    pub fn same(&self, a: &Row, other: &Collected, b: &Row) -> bool {
        a.at == b.at
            && a.decision == b.decision
            && a.reason == b.reason
            && a.step == b.step
            && a.until == b.until
            && self.name(a.sequence) == other.name(b.sequence)
            && self.name(a.sender) == other.name(b.sender)
            && self.name(a.via) == other.name(b.via)
    }
}

/// The name an engine index stands for, if a record with it came before.
fn known(by_engine: &[u32], index: usize) -> Option<u32> {
    by_engine.get(index).copied().filter(|&i| i != NONE)
}

fn remember(by_engine: &mut Vec<u32>, index: usize, name: u32) {
    if by_engine.len() <= index {
        by_engine.resize(index + 1, NONE);
    }
    if let Some(slot) = by_engine.get_mut(index) {
        *slot = name;
    }
}

/// Seconds since the epoch as a time; a record's time always fits.
pub fn time(seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(seconds, 0).unwrap_or_default()
}
