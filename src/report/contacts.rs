//! The contacts the page shows, and their timelines as compact data for
//! the page's script.
//!
//! A contact is anyone an event or a record names: those with records
//! first (in the order of their first record), then those with events
//! only (in the order of their first event). When all their timelines fit
//! in [`ENTRY_BUDGET`] entries (events plus records), every contact is
//! shown. Otherwise the page shows the contacts with a skip or an
//! unenroll, in order, as long as they fit in nine tenths of the budget,
//! then a sample of the others (every k-th, at most [`SAMPLE`]) in what is
//! left; [`Selection`] says how many of each were left out.
//!
//! Timelines interleave a contact's events and records in the order the
//! replay made them (see [`timeline`]).

use super::notes::{NONE, Notes};
use super::tally::Tally;
use crate::runtime::{Decision, Reason};
use rustc_hash::FxHashMap;
use std::fmt::Write as _;

/// At most this many timeline entries (events and records) on a page:
/// about 8 MB of data.
pub const ENTRY_BUDGET: usize = 200_000;

/// At most this many contacts without a skip or unenroll in the sample.
pub const SAMPLE: usize = 500;

/// Which contacts are shown.
#[derive(Debug, Default)]
pub struct Selection {
    /// Every contact's id, records' contacts first.
    pub ids: Vec<Box<str>>,
    /// Whether each contact has a skip or unenroll.
    pub flagged: Vec<bool>,
    /// The shown contacts, in order.
    pub shown: Vec<u32>,
    /// Contacts with a skip or unenroll, in all and shown.
    pub flagged_total: usize,
    pub flagged_shown: usize,
    /// The other contacts, in all and shown.
    pub others_total: usize,
    pub others_shown: usize,
    /// The sample takes every k-th other contact (1 when all are shown).
    pub sample_every: usize,
    /// For each contact of the notes, its number here.
    from_notes: Vec<u32>,
}

impl Selection {
    /// Whether contacts were left out.
    pub fn partial(&self) -> bool {
        self.flagged_shown < self.flagged_total || self.others_shown < self.others_total
    }
}

/// Chooses the contacts to show (see the module header).
pub fn select(tally: &Tally, notes: &Notes) -> Selection {
    let mut ids: Vec<Box<str>> = tally.contacts.names.clone();
    let mut entries: Vec<usize> = tally
        .contacts
        .values
        .iter()
        .map(|c| c.records as usize)
        .collect();
    let mut flagged: Vec<bool> = tally.contacts.values.iter().map(|c| c.flagged).collect();
    let from_notes: Vec<u32> = notes
        .contacts
        .iter()
        .map(|name| {
            tally.contacts.id(name).unwrap_or_else(|| {
                ids.push(name.clone());
                entries.push(0);
                flagged.push(false);
                u32::try_from(ids.len() - 1).unwrap_or(NONE)
            })
        })
        .collect();
    for e in &notes.events {
        if let Some(n) = from_notes
            .get(e.contact as usize)
            .and_then(|&c| entries.get_mut(c as usize))
        {
            *n += 1;
        }
    }
    let flagged_total = flagged.iter().filter(|&&f| f).count();
    let others_total = ids.len() - flagged_total;
    let mut selection = Selection {
        flagged_total,
        others_total,
        sample_every: 1,
        ..Selection::default()
    };
    let total: usize = entries.iter().sum();
    let mut shown = vec![false; ids.len()];
    if total <= ENTRY_BUDGET {
        shown.fill(true);
        selection.flagged_shown = flagged_total;
        selection.others_shown = others_total;
    } else {
        let mut used = 0;
        let flagged_budget = ENTRY_BUDGET / 10 * 9;
        for (c, (&n, &f)) in entries.iter().zip(&flagged).enumerate() {
            if f && used + n <= flagged_budget {
                used += n;
                selection.flagged_shown += 1;
                if let Some(s) = shown.get_mut(c) {
                    *s = true;
                }
            }
        }
        selection.sample_every = others_total.div_ceil(SAMPLE).max(1);
        let mut nth = 0;
        for (c, (&n, &f)) in entries.iter().zip(&flagged).enumerate() {
            if f {
                continue;
            }
            nth += 1;
            if (nth - 1) % selection.sample_every == 0 && used + n <= ENTRY_BUDGET {
                used += n;
                selection.others_shown += 1;
                if let Some(s) = shown.get_mut(c) {
                    *s = true;
                }
            }
        }
    }
    selection.shown = (0..ids.len())
        .filter(|&c| shown.get(c).copied().unwrap_or(false))
        .filter_map(|c| u32::try_from(c).ok())
        .collect();
    selection.ids = ids;
    selection.flagged = flagged;
    selection.from_notes = from_notes;
    selection
}

/// One entry of a timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// An index into `Notes::events`.
    Event(usize),
    /// An index into `Tally::timeline`.
    Record(usize),
}

/// The timelines of the shown contacts, in the order of `selection.shown`.
///
/// A contact's events are in line order and its records in trace order;
/// they are merged by time, and at the same time an event goes before the
/// records it caused (records name their event's line) and before a step
/// that ran after an earlier event of the same time, but after a step that
/// was due before it.
pub fn timelines(selection: &Selection, tally: &Tally, notes: &Notes) -> Vec<Vec<Entry>> {
    let mut slot = vec![NONE; selection.ids.len()];
    for (i, &c) in selection.shown.iter().enumerate() {
        if let Some(s) = slot.get_mut(c as usize) {
            *s = u32::try_from(i).unwrap_or(NONE);
        }
    }
    let mut events: Vec<Vec<usize>> = vec![Vec::new(); selection.shown.len()];
    for (i, e) in notes.events.iter().enumerate() {
        let c = selection.from_notes.get(e.contact as usize).copied();
        if let Some(list) = c
            .and_then(|c| slot.get(c as usize))
            .and_then(|&s| events.get_mut(s as usize))
        {
            list.push(i);
        }
    }
    let mut records: Vec<Vec<usize>> = vec![Vec::new(); selection.shown.len()];
    for (i, r) in tally.timeline.iter().enumerate() {
        if let Some(list) = slot
            .get(r.contact as usize)
            .and_then(|&s| records.get_mut(s as usize))
        {
            list.push(i);
        }
    }
    events
        .into_iter()
        .zip(records)
        .map(|(events, records)| merge(&events, &records, tally, notes))
        .collect()
}

fn merge(events: &[usize], records: &[usize], tally: &Tally, notes: &Notes) -> Vec<Entry> {
    let mut out = Vec::with_capacity(events.len() + records.len());
    let (mut e, mut r) = (events.iter().peekable(), records.iter().peekable());
    // The latest event line named by a record already placed.
    let mut last_line = 0;
    loop {
        let event = e.peek().and_then(|&&i| notes.events.get(i).map(|n| (i, n)));
        let record = r
            .peek()
            .and_then(|&&i| tally.timeline.get(i).map(|n| (i, n)));
        let event_first = match (event, record) {
            (None, None) => break,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (Some((_, ev)), Some((_, rec))) => {
                ev.at < rec.at
                    || (ev.at == rec.at
                        && match rec.event {
                            0 => last_line >= ev.line,
                            line => line >= ev.line,
                        })
            }
        };
        if event_first {
            if let Some((i, _)) = event {
                out.push(Entry::Event(i));
            }
            e.next();
        } else {
            if let Some((i, rec)) = record {
                last_line = last_line.max(rec.event);
                out.push(Entry::Record(i));
            }
            r.next();
        }
    }
    out
}

/// The shown contacts and their timelines as JSON for the page's script:
///
/// ```text
/// {"base": SECONDS, "names": [TEXT…],
///  "contacts": [[ID, FLAGGED, [ENTRY…]]…]}
/// ENTRY = [0, T, TYPE, DETAIL, LINE]                     an event
///       | [1, T, DECISION, REASON, SEQUENCE, SENDER, RULE, STEP, EVENT, UNTIL]
/// ```
///
/// `T` and `UNTIL` are seconds after `base`; names are 1-based indices
/// into `names` (0: none); trailing zeros of an entry are left out. The
/// text is safe inside a `<script>` element (no `<`).
pub fn data_json(
    selection: &Selection,
    timelines: &[Vec<Entry>],
    tally: &Tally,
    notes: &Notes,
) -> String {
    let base = notes
        .events
        .first()
        .map(|e| e.at)
        .into_iter()
        .chain(tally.timeline.first().map(|r| r.at))
        .min()
        .unwrap_or(0);
    let mut names = Names::default();
    let mut body = String::with_capacity(timelines.iter().map(Vec::len).sum::<usize>() * 28);
    for (i, (&c, entries)) in selection.shown.iter().zip(timelines).enumerate() {
        if i > 0 {
            body.push(',');
        }
        let id = selection.ids.get(c as usize).map_or("", |s| s);
        let flagged = selection.flagged.get(c as usize).copied().unwrap_or(false);
        let _ = write!(body, "[{},{},[", json_str(id), u8::from(flagged));
        for (j, entry) in entries.iter().enumerate() {
            if j > 0 {
                body.push(',');
            }
            let fields = match *entry {
                Entry::Event(k) => notes.events.get(k).map(|ev| {
                    let detail = notes.details.get(ev.detail as usize).map(|d| &**d);
                    vec![
                        0,
                        ev.at - base,
                        names.id(Some(ev.kind.spec().name)),
                        names.id(detail),
                        i64::from(ev.line),
                    ]
                }),
                Entry::Record(k) => tally.timeline.get(k).map(|rec| {
                    vec![
                        1,
                        rec.at - base,
                        names.id(Some(decision_name(rec.decision))),
                        names.id(rec.reason.map(Reason::as_str)),
                        names.id(name(&tally.sequences.names, rec.sequence)),
                        names.id(name(&tally.senders.names, rec.sender)),
                        names.id(name(&tally.rules.names, rec.rule)),
                        i64::from(rec.step),
                        i64::from(rec.event),
                        if rec.until == 0 { 0 } else { rec.until - base },
                    ]
                }),
            };
            push_entry(&mut body, &fields.unwrap_or_default());
        }
        body.push_str("]]");
    }
    let mut out = String::with_capacity(body.len() + 4096);
    let _ = write!(out, "{{\"base\":{base},\"names\":[");
    for (i, n) in names.list.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&json_str(n));
    }
    out.push_str("],\"contacts\":[");
    out.push_str(&body);
    out.push_str("]}");
    out
}

fn decision_name(d: Decision) -> &'static str {
    d.as_str()
}

/// Name `id` of a table, if there is one.
fn name(table: &[Box<str>], id: u32) -> Option<&str> {
    table.get(id as usize).map(|s| &**s)
}

/// An array of numbers without its trailing zeros.
fn push_entry(out: &mut String, fields: &[i64]) {
    let len = fields.iter().rposition(|&f| f != 0).map_or(1, |p| p + 1);
    out.push('[');
    for (i, f) in fields.iter().take(len).enumerate() {
        if i > 0 {
            out.push(',');
        }
        let _ = write!(out, "{f}");
    }
    out.push(']');
}

/// A JSON string that is safe inside `<script>`: `<` is escaped.
pub fn json_str(text: &str) -> String {
    serde_json::to_string(text)
        .unwrap_or_default()
        .replace('<', "\\u003c")
}

/// Texts numbered from 1 in the order first asked for.
#[derive(Default)]
struct Names<'a> {
    ids: FxHashMap<&'a str, i64>,
    list: Vec<&'a str>,
}

impl<'a> Names<'a> {
    fn id(&mut self, text: Option<&'a str>) -> i64 {
        let Some(text) = text else { return 0 };
        if let Some(&id) = self.ids.get(text) {
            return id;
        }
        self.list.push(text);
        let id = i64::try_from(self.list.len()).unwrap_or(0);
        self.ids.insert(text, id);
        id
    }
}
