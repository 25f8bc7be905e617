//! Time: instants as whole Unix seconds, the weekend shift of follow-up
//! steps (`docs/semantics.md`, "Time"), the step queue and the rolling send window.
//!
//! Instants are `i64` seconds; arithmetic saturates, and conversion back to
//! `DateTime<Utc>` clamps to chrono's range, so no input can overflow.

use chrono::{DateTime, Datelike, Days, Offset, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

/// Seconds in a day: steps run at 24-hour intervals.
pub const DAY: i64 = 24 * 60 * 60;

/// 9999-12-31T23:59:59Z, the last instant an RFC 3339 time (four-digit
/// year) can name: event times may not be later, and steps due later never
/// run (they stay scheduled, as after `--until`).
pub const LAST: i64 = 253_402_300_799;

/// The instant `secs` as a UTC time (clamped to chrono's range).
pub fn to_datetime(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(secs, 0).unwrap_or(if secs < 0 {
        DateTime::<Utc>::MIN_UTC
    } else {
        DateTime::<Utc>::MAX_UTC
    })
}

/// Whole Unix seconds of a time (fractions truncated).
pub fn to_secs(at: &DateTime<Utc>) -> i64 {
    at.timestamp()
}

/// A step due at `due` (after the first step of a `weekdays_only`
/// sequence): if it falls on a Saturday or Sunday in `tz`, the following
/// Monday at the same local time. A local time that does not exist (DST
/// gap) moves forward by the gap; an ambiguous one takes the earlier
/// instant.
pub fn shift_off_weekend(due: i64, tz: Tz) -> i64 {
    let local = to_datetime(due).with_timezone(&tz);
    let days = match local.weekday() {
        Weekday::Sat => 2,
        Weekday::Sun => 1,
        _ => return due,
    };
    let Some(naive) = local.naive_local().checked_add_days(Days::new(days)) else {
        return due;
    };
    match tz.from_local_datetime(&naive) {
        chrono::LocalResult::Single(t) => t.timestamp(),
        chrono::LocalResult::Ambiguous(earlier, _) => earlier.timestamp(),
        chrono::LocalResult::None => {
            // In a gap: read the wall time with the offset in force before
            // the transition, which lands the gap's length later.
            let before = naive.checked_sub_days(Days::new(1)).map_or(0, |d| {
                tz.offset_from_utc_datetime(&d).fix().local_minus_utc()
            });
            naive
                .and_utc()
                .timestamp()
                .saturating_sub(i64::from(before))
        }
    }
}

/// The queue of scheduled steps: popped in (due time, scheduling order).
///
/// Most entries are due at once: the first step of a sequence usually has
/// no delay, so it is scheduled at the very time the queue was just run
/// up to and runs right after the event. Those skip the heap: an entry due
/// exactly at `now` (the latest time the queue was run up to) goes to the
/// back of `now_due`, whose entries share that time or an earlier one and
/// are therefore in (due, order) order; popping takes the smaller of the
/// heap's first entry and `now_due`'s.
#[derive(Debug, Default, Clone)]
pub struct StepQueue {
    heap: BinaryHeap<Reverse<(i64, u64, u32)>>,
    now_due: VecDeque<(i64, u64, u32)>,
    now: Option<i64>,
    order: u64,
}

impl StepQueue {
    /// Schedules enrollment `enrollment` at `due`; returns the scheduling
    /// order number, which identifies this entry.
    pub fn push(&mut self, due: i64, enrollment: u32) -> u64 {
        self.order += 1;
        let entry = (due, self.order, enrollment);
        if self.now == Some(due) {
            self.now_due.push_back(entry);
        } else {
            self.heap.push(Reverse(entry));
        }
        self.order
    }

    /// The earliest entry due at or before `until`, removed from the queue.
    pub fn pop_due(&mut self, until: i64) -> Option<(i64, u64, u32)> {
        let from_heap = self.heap.peek().map(|Reverse(e)| *e);
        let from_now = self.now_due.front().copied();
        let take_heap = match (from_heap, from_now) {
            (Some(h), Some(n)) => (h.0, h.1) < (n.0, n.1),
            (Some(_), None) => true,
            (None, _) => false,
        };
        let first = if take_heap { from_heap } else { from_now };
        match first {
            Some((due, _, _)) if due <= until => {
                if take_heap {
                    self.heap.pop().map(|Reverse(e)| e)
                } else {
                    self.now_due.pop_front()
                }
            }
            _ => {
                // Everything left is due after `until`.
                self.now = Some(self.now.map_or(until, |n| n.max(until)));
                None
            }
        }
    }

    /// Entries in the queue (stale ones included).
    pub fn len(&self) -> usize {
        self.heap.len() + self.now_due.len()
    }

    /// Whether the queue is empty.
    pub fn is_empty(&self) -> bool {
        self.heap.is_empty() && self.now_due.is_empty()
    }
}

/// One sender's sends over the rolling 24 hours: send times in order.
/// INVARIANT: times are pushed in non-decreasing order (the clock only
/// moves forward), so pruning from the front is enough.
#[derive(Debug, Default, Clone)]
pub struct SendWindow {
    sends: VecDeque<i64>,
}

impl SendWindow {
    /// The index of the first send inside `(t − 24h, t]`.
    fn start(&self, t: i64) -> usize {
        let edge = t.saturating_sub(DAY);
        self.sends.partition_point(|&s| s <= edge)
    }

    /// How many sends lie in `(t − 24h, t]`.
    pub fn count_at(&self, t: i64) -> usize {
        // INVARIANT (above): no send lies after `t`.
        self.sends.len() - self.start(t)
    }

    /// Records a send at `t`, forgetting sends older than 24 hours.
    pub fn push(&mut self, t: i64) {
        let old = self.start(t);
        self.sends.drain(..old);
        self.sends.push_back(t);
    }

    /// With `count_at(t) >= limit`: the first instant at which fewer than
    /// `limit` sends lie in the window — 24 hours after the send that
    /// blocks it.
    pub fn retry_at(&self, limit: u32, t: i64) -> Option<i64> {
        let limit = usize::try_from(limit).unwrap_or(usize::MAX);
        let start = self.start(t);
        let blocking = (self.sends.len() - start).checked_sub(limit)?;
        self.sends
            .get(start + blocking)
            .map(|s| s.saturating_add(DAY))
    }
}
