//! The summary of a diff (`docs/diff.md`): contacts touched and
//! differing; of the differing ones, how they differ; enrollments by
//! sequence; and with step records, emails per sender and the days on
//! which a sender's daily limit is reached on one side only.
//!
//! A differing contact counts under every kind of difference it shows:
//! one whose enrollment moved to another sequence and who is now skipped
//! for another reason counts twice.

use super::collect::{Collected, ContactRows, time};
use crate::runtime::{Decision, Reason};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// The counts `wf diff` prints before the contacts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Contacts with records on either side.
    pub contacts_touched: usize,
    /// Contacts whose records differ.
    pub contacts_differing: usize,
    /// Enrollments (sequence and sender) made by the new rules only.
    pub newly_enrolled: usize,
    /// Enrollments made by the old rules only.
    pub no_longer_enrolled: usize,
    /// Enrollments on both sides that are not the same: in another
    /// sequence or from another sender.
    pub other_sequence_or_sender: usize,
    /// Skipped for other reasons (or skipped on one side only).
    pub other_skip_reason: usize,
    /// Unenrolled at another time, for another reason, or on one side only.
    pub other_unenroll: usize,
    /// Enrollments by sequence, by name.
    pub sequences: BTreeMap<String, SequenceCounts>,
    /// With step records only: emails and limits by sender, by email.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub senders: Option<BTreeMap<String, SenderCounts>>,
}

/// One sequence's enrollments before and after.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SequenceCounts {
    /// `enroll` records of the old rules.
    pub enrolled_old: usize,
    /// `enroll` records of the new rules.
    pub enrolled_new: usize,
    /// Differing contacts with a record naming the sequence.
    pub contacts_differing: usize,
}

/// One sender's emails before and after (`--steps`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SenderCounts {
    /// `email_sent` records of the old rules.
    pub emails_old: usize,
    /// `email_sent` records of the new rules.
    pub emails_new: usize,
    /// Days (UTC, `YYYY-MM-DD`) on which the limit is reached with the old rules only.
    pub limit_days_old_only: Vec<String>,
    /// Days (UTC, `YYYY-MM-DD`) on which the limit is reached with the new rules only.
    pub limit_days_new_only: Vec<String>,
}

impl Summary {
    /// Counts one differing contact: its rows on each side.
    pub fn add_contact(
        &mut self,
        old: &Collected,
        a: ContactRows<'_>,
        new: &Collected,
        b: ContactRows<'_>,
    ) {
        self.contacts_differing += 1;
        let (ea, eb) = without_common(enrolls(old, a), enrolls(new, b));
        match (ea.is_empty(), eb.is_empty()) {
            (true, false) => self.newly_enrolled += 1,
            (false, true) => self.no_longer_enrolled += 1,
            (false, false) => self.other_sequence_or_sender += 1,
            (true, true) => {}
        }
        if skips(old, a) != skips(new, b) {
            self.other_skip_reason += 1;
        }
        if unenrolls(old, a) != unenrolls(new, b) {
            self.other_unenroll += 1;
        }
        let mut named = BTreeSet::new();
        named.extend(a.iter().filter_map(|r| old.name(r.sequence)));
        named.extend(b.iter().filter_map(|r| new.name(r.sequence)));
        for sequence in named {
            self.sequence(sequence).contacts_differing += 1;
        }
    }

    /// Counts every record of both sides: enrollments by sequence and,
    /// with `steps`, emails and limits by sender.
    pub fn add_totals(&mut self, old: &Collected, new: &Collected, steps: bool) {
        for (side, is_old) in [(old, true), (new, false)] {
            let mut enrolled = Tally::default();
            for r in side.rows() {
                if r.decision == Decision::Enroll {
                    enrolled.add(r.sequence);
                }
            }
            for (sequence, n) in enrolled.named(side) {
                let counts = self.sequence(sequence);
                if is_old {
                    counts.enrolled_old += n;
                } else {
                    counts.enrolled_new += n;
                }
            }
        }
        if steps {
            self.senders = Some(senders(old, new));
        }
    }

    fn sequence(&mut self, name: &str) -> &mut SequenceCounts {
        self.sequences.entry(name.to_owned()).or_default()
    }
}

/// Counts by name, keyed by a side's name index while counting (no text
/// is read or copied per record).
#[derive(Default)]
struct Tally(Vec<usize>);

impl Tally {
    fn add(&mut self, name: u32) {
        let i = name as usize;
        if self.0.len() <= i {
            self.0.resize(i + 1, 0);
        }
        if let Some(n) = self.0.get_mut(i) {
            *n += 1;
        }
    }

    /// The names counted, with their counts; names that are null are left
    /// out.
    fn named<'a>(
        &self,
        side: &'a Collected,
    ) -> impl Iterator<Item = (&'a str, usize)> + use<'a, '_> {
        self.0
            .iter()
            .enumerate()
            .filter(|&(_, &n)| n > 0)
            .filter_map(|(i, &n)| Some((side.name(u32::try_from(i).ok()?)?, n)))
    }
}

/// The enrollments among a contact's rows: (sequence, sender).
fn enrolls<'a>(
    side: &'a Collected,
    rows: ContactRows<'_>,
) -> Vec<(Option<&'a str>, Option<&'a str>)> {
    rows.iter()
        .filter(|r| r.decision == Decision::Enroll)
        .map(|r| (side.name(r.sequence), side.name(r.sender)))
        .collect()
}

/// The skips among a contact's rows, sorted: (sequence, reason).
fn skips<'a>(side: &'a Collected, rows: ContactRows<'_>) -> Vec<(Option<&'a str>, Option<Reason>)> {
    let mut v: Vec<_> = rows
        .iter()
        .filter(|r| r.decision == Decision::Skip)
        .map(|r| (side.name(r.sequence), r.reason))
        .collect();
    v.sort();
    v
}

/// The unenrollments among a contact's rows: (time, sequence, reason).
fn unenrolls<'a>(
    side: &'a Collected,
    rows: ContactRows<'_>,
) -> Vec<(i64, Option<&'a str>, Option<Reason>)> {
    rows.iter()
        .filter(|r| r.decision == Decision::Unenroll)
        .map(|r| (r.at, side.name(r.sequence), r.reason))
        .collect()
}

/// Emails sent and days the limit is reached, by sender.
fn senders(old: &Collected, new: &Collected) -> BTreeMap<String, SenderCounts> {
    const DAY: i64 = 24 * 60 * 60;
    let mut senders: BTreeMap<String, SenderCounts> = BTreeMap::new();
    let mut old_days = BTreeSet::new();
    let mut new_days = BTreeSet::new();
    for (side, days, is_old) in [(old, &mut old_days, true), (new, &mut new_days, false)] {
        let mut sent = Tally::default();
        // (sender, day since the epoch), by index while counting.
        let mut limited = BTreeSet::new();
        for r in side.rows() {
            if side.name(r.sender).is_none() {
                continue;
            }
            match (r.decision, r.reason) {
                (Decision::EmailSent, _) => sent.add(r.sender),
                (Decision::EmailDeferred, _) | (Decision::Skip, Some(Reason::DailySendLimit)) => {
                    limited.insert((r.sender, r.at.div_euclid(DAY)));
                }
                _ => {}
            }
        }
        for (sender, n) in sent.named(side) {
            let counts = senders.entry(sender.to_owned()).or_default();
            if is_old {
                counts.emails_old += n;
            } else {
                counts.emails_new += n;
            }
        }
        for (sender, day) in limited {
            if let Some(sender) = side.name(sender) {
                let day = time(day * DAY).format("%Y-%m-%d").to_string();
                days.insert((sender.to_owned(), day));
            }
        }
    }
    for (sender, day) in old_days.difference(&new_days) {
        let counts = senders.entry(sender.clone()).or_default();
        counts.limit_days_old_only.push(day.clone());
    }
    for (sender, day) in new_days.difference(&old_days) {
        let counts = senders.entry(sender.clone()).or_default();
        counts.limit_days_new_only.push(day.clone());
    }
    senders
}

/// Two lists with what they have in common taken out (as multisets).
fn without_common<T: Ord>(mut a: Vec<T>, mut b: Vec<T>) -> (Vec<T>, Vec<T>) {
    a.sort();
    b.sort();
    let (mut only_a, mut only_b) = (Vec::new(), Vec::new());
    let (mut a, mut b) = (a.into_iter().peekable(), b.into_iter().peekable());
    loop {
        match (a.peek(), b.peek()) {
            (Some(x), Some(y)) if x == y => {
                a.next();
                b.next();
            }
            (Some(x), Some(y)) if x < y => only_a.extend(a.next()),
            (Some(_), Some(_)) | (None, Some(_)) => only_b.extend(b.next()),
            (Some(_), None) => only_a.extend(a.next()),
            (None, None) => return (only_a, only_b),
        }
    }
}
