//! The events of a replay, noted as they are read, for the contacts'
//! timelines and the senders' limits.
//!
//! [`noting`] wraps the events input in a reader that hands every byte on
//! unchanged and, line by line, notes what each event is: its line, time,
//! type, contact and its first field (the form, the stage, the list…).
//! It runs wherever the replay reads its input (the reading thread of
//! `wf run`'s driver), beside the engine rather than in its way.
//!
//! A line that does not parse is not noted: the replay stops on it anyway.
//! Lines read ahead of the replay's end (after `--until`) are noted but
//! dropped by [`EventLog::take`], so what is kept never depends on how far
//! the reading thread got.

use crate::runtime::EventType;
use crate::runtime::engine::EventKind;
use crate::runtime::replay::parse_event;
use crate::value::ValueRef;
use rustc_hash::FxHashMap;
use smol_str::SmolStr;
use std::io::{self, Read};
use std::sync::{Arc, Mutex, PoisonError};

/// No contact, no detail.
pub const NONE: u32 = u32::MAX;

/// One event as the report shows it.
#[derive(Debug, Clone, Copy)]
pub struct EventNote {
    /// 1-based line in the events input.
    pub line: u32,
    /// Seconds since the Unix epoch.
    pub at: i64,
    /// The event's type.
    pub kind: EventType,
    /// Index into [`Notes::contacts`], or [`NONE`] for account events.
    pub contact: u32,
    /// Index into [`Notes::details`] (the event's first field), or [`NONE`].
    pub detail: u32,
}

/// A change of a sender's daily limit by a `user_updated` event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitChange {
    /// Seconds since the Unix epoch.
    pub at: i64,
    /// The user's email.
    pub user: String,
    /// The new limit.
    pub limit: u32,
}

/// The events that ran, in line order, with their names.
#[derive(Debug, Default)]
pub struct Notes {
    /// Every event that ran.
    pub events: Vec<EventNote>,
    /// Contact ids, by first appearance.
    pub contacts: Vec<Box<str>>,
    /// Event details (forms, stages, outcomes, lists, properties).
    pub details: Vec<Box<str>>,
    /// Daily limits changed by events, in order.
    pub limits: Vec<LimitChange>,
}

#[derive(Default)]
struct Notebook {
    notes: Notes,
    /// Contact ids inline in the table's slots (as the engine keeps them):
    /// a look-up reads no separate allocation.
    contact_ids: FxHashMap<SmolStr, u32>,
    detail_ids: FxHashMap<Box<str>, u32>,
    /// The start of a line not yet ended.
    partial: Vec<u8>,
    /// Lines seen so far.
    lines: usize,
    /// The log was taken: nothing more is noted.
    closed: bool,
}

/// The reading side: hands bytes on and notes events.
pub struct Noting<R> {
    inner: R,
    book: Arc<Mutex<Notebook>>,
}

/// The replay's side: takes the notes when the replay is over.
pub struct EventLog {
    book: Arc<Mutex<Notebook>>,
}

/// Wraps `input` so that its events are noted as they are read.
pub fn noting<R: Read>(input: R) -> (Noting<R>, EventLog) {
    let book = Arc::new(Mutex::new(Notebook::default()));
    (
        Noting {
            inner: input,
            book: Arc::clone(&book),
        },
        EventLog { book },
    )
}

impl<R: Read> Read for Noting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut book = self.book.lock().unwrap_or_else(PoisonError::into_inner);
        if book.closed {
            return Ok(n);
        }
        match buf.get(..n) {
            Some([]) | None => book.end(),
            Some(bytes) => book.take_bytes(bytes),
        }
        Ok(n)
    }
}

impl EventLog {
    /// The notes of the events that ran: the first `events_run` events at
    /// or before `until`.
    pub fn take(self, until: Option<chrono::DateTime<chrono::Utc>>, events_run: usize) -> Notes {
        let mut book = self.book.lock().unwrap_or_else(PoisonError::into_inner);
        book.closed = true;
        let mut notes = std::mem::take(&mut book.notes);
        if let Some(until) = until {
            let until = until.timestamp();
            notes.events.retain(|e| e.at <= until);
            notes.limits.retain(|l| l.at <= until);
        }
        notes.events.truncate(events_run);
        notes
    }
}

impl Notebook {
    fn take_bytes(&mut self, mut bytes: &[u8]) {
        while let Some(end) = bytes.iter().position(|&b| b == b'\n') {
            let (line, rest) = bytes.split_at(end);
            if self.partial.is_empty() {
                self.note_line(line);
            } else {
                let mut whole = std::mem::take(&mut self.partial);
                whole.extend_from_slice(line);
                self.note_line(&whole);
            }
            bytes = rest.get(1..).unwrap_or_default();
        }
        self.partial.extend_from_slice(bytes);
    }

    /// The input ended: a last line without a newline is a line too.
    fn end(&mut self) {
        if !self.partial.is_empty() {
            let last = std::mem::take(&mut self.partial);
            self.note_line(&last);
        }
    }

    fn note_line(&mut self, bytes: &[u8]) {
        self.lines += 1;
        let Ok(text) = std::str::from_utf8(bytes) else {
            return;
        };
        if text.trim().is_empty() {
            return;
        }
        let Ok(event) = parse_event(text, None) else {
            return;
        };
        let contact = match event.contact() {
            Some(id) => intern(&mut self.contact_ids, &mut self.notes.contacts, id),
            None => NONE,
        };
        let detail = match &event.kind {
            EventKind::SequenceDeleted { sequence } => Some(sequence.as_str()),
            EventKind::UserUpdated { user, .. } => Some(user.as_str()),
            kind => match kind.field_at(1) {
                Some(ValueRef::Text(s)) => Some(s),
                _ => None,
            },
        }
        .map_or(NONE, |d| {
            intern(&mut self.detail_ids, &mut self.notes.details, d)
        });
        if let EventKind::UserUpdated {
            user,
            daily_send_limit: Some(limit),
            ..
        } = &event.kind
        {
            self.notes.limits.push(LimitChange {
                at: event.at.timestamp(),
                user: user.to_string(),
                limit: *limit,
            });
        }
        self.notes.events.push(EventNote {
            line: u32::try_from(self.lines).unwrap_or(u32::MAX),
            at: event.at.timestamp(),
            kind: event.event_type(),
            contact,
            detail,
        });
    }
}

/// The index of `name` in `names`, added when new.
fn intern<K>(ids: &mut FxHashMap<K, u32>, names: &mut Vec<Box<str>>, name: &str) -> u32
where
    K: for<'a> From<&'a str> + std::borrow::Borrow<str> + std::hash::Hash + Eq,
{
    if let Some(&id) = ids.get(name) {
        return id;
    }
    let id = u32::try_from(names.len()).unwrap_or(NONE);
    names.push(name.into());
    ids.insert(name.into(), id);
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_every_line_whatever_the_read_sizes() {
        let text = "{\"at\":\"2026-03-02T08:00:00Z\",\"type\":\"form_submitted\",\"contact\":\"c-1\",\"form\":\"qualify\"}\n\n\
                    not json\n\
                    {\"at\":\"2026-03-02T09:00:00Z\",\"type\":\"email_replied\",\"contact\":\"c-2\"}";
        for chunk in [1, 7, 4096] {
            let (mut input, log) = noting(Chunked(text.as_bytes(), chunk));
            let mut copy = Vec::new();
            input.read_to_end(&mut copy).unwrap();
            assert_eq!(copy, text.as_bytes(), "bytes pass unchanged");
            let notes = log.take(None, usize::MAX);
            let lines: Vec<u32> = notes.events.iter().map(|e| e.line).collect();
            assert_eq!(lines, [1, 4], "chunk {chunk}");
            assert_eq!(notes.contacts, ["c-1".into(), "c-2".into()]);
            assert_eq!(notes.details, ["qualify".into()]);
            assert_eq!(notes.events[1].kind, EventType::EmailReplied);
        }
    }

    #[test]
    fn drops_what_ran_after_until() {
        let text = "{\"at\":\"2026-03-02T08:00:00Z\",\"type\":\"email_replied\",\"contact\":\"c-1\"}\n\
                    {\"at\":\"2026-03-03T08:00:00Z\",\"type\":\"email_replied\",\"contact\":\"c-1\"}\n";
        let (mut input, log) = noting(text.as_bytes());
        std::io::copy(&mut input, &mut std::io::sink()).unwrap();
        let until = crate::runtime::replay::parse_time("2026-03-02T12:00:00Z").unwrap();
        assert_eq!(log.take(Some(until), 5).events.len(), 1);
    }

    struct Chunked<'a>(&'a [u8], usize);

    impl Read for Chunked<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.1.min(buf.len()).min(self.0.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }
}
