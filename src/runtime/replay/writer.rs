//! Writing the trace as JSON Lines on a second thread.
//!
//! [`TraceWriter`] is a [`Sink`]: the engine hands it each record, it
//! puts the record into a batch (no formatting: the contact id copied, the
//! other names as their indices in the engine's table of names where the
//! writer's copy of it — quoted and escaped once — has them, else copied
//! too), and every `BATCH`
//! records sends the batch to a thread that formats it as
//! [`push_jsonl_ref`](super::record::push_jsonl_ref) does and writes it
//! out. The bytes are those the engine's thread would have written itself,
//! in the same order; the engine goes on deciding while the previous batch
//! is formatted.
//!
//! The thread writes and flushes whenever it has nothing more to format,
//! and [`TraceWriter::flush`] sends a partial batch: with both, the
//! records of a live stream appear as their events arrive.
//!
//! A write error (a closed pipe, a full disk) stops the thread; the engine
//! sees it at its next send ([`TraceWriter::failed`]) and
//! [`TraceWriter::finish`] returns it. `finish` sends what is left and
//! waits until everything is written and flushed, so a caller that prints
//! an error after it knows every earlier record is out. If no thread can
//! be started, records are formatted and written on the caller's thread.

use super::LiveSink;
use super::jsonl::{json_string, push_jsonl_with};
use super::worker::spawn_owning;
use crate::runtime::engine::names::NameId;
use crate::runtime::engine::record::{Decision, Name, Reason, RecordRef};
use crate::runtime::{Engine, Sink};
use chrono::{DateTime, Utc};
use std::io::{self, Write};
use std::sync::mpsc::{Receiver, SyncSender, TryRecvError, sync_channel};
use std::thread::JoinHandle;

/// Records per batch.
const BATCH: usize = 2048;
/// Bytes of copied text after which a batch is sent early, so that a
/// batch of long strings does not hold much memory.
const BATCH_TEXT: usize = 1 << 24;
/// Batches on their way to the writer thread.
const IN_FLIGHT: usize = 4;
/// Bytes formatted before they are written out.
const WRITE_CHUNK: usize = 1 << 16;

/// A string of a record, as a batch holds it.
#[derive(Clone, Copy)]
enum Text {
    /// The field is `null`.
    Absent,
    /// `len` bytes of the batch's text from `start`.
    Copied { start: usize, len: usize },
    /// A name of the writer's copy of the engine's table of names.
    Table(NameId),
}

/// A record whose strings live in its batch's text.
struct Entry {
    seq: u64,
    at: DateTime<Utc>,
    until: Option<DateTime<Utc>>,
    event: Option<usize>,
    step: Option<u32>,
    decision: Decision,
    reason: Option<Reason>,
    strings: [Text; 6],
}

/// Records on their way to be written.
#[derive(Default)]
struct Batch {
    text: String,
    entries: Vec<Entry>,
}

impl Batch {
    fn with_capacity() -> Batch {
        Batch {
            text: String::with_capacity(BATCH * 64),
            entries: Vec::with_capacity(BATCH),
        }
    }

    fn clear(&mut self) {
        self.text.clear();
        self.entries.clear();
    }

    /// Adds a record; its names with an index below `known` are taken
    /// from the table, the other strings copied.
    fn push(&mut self, r: &RecordRef<'_>, known: usize) {
        let text = &mut self.text;
        let mut put = |s: Option<&str>| match s {
            Some(s) => {
                let start = text.len();
                text.push_str(s);
                Text::Copied {
                    start,
                    len: s.len(),
                }
            }
            None => Text::Absent,
        };
        let contact = put(r.contact);
        let mut name = |n: Option<Name<'_>>| match n.and_then(Name::id) {
            Some(id) if id.index() < known => Text::Table(id),
            _ => put(n.as_deref()),
        };
        let strings = [
            contact,
            name(r.sequence),
            name(r.sender),
            name(r.via),
            name(r.rule),
            name(r.workflow),
        ];
        self.entries.push(Entry {
            seq: r.seq,
            at: r.at,
            until: r.until,
            event: r.event,
            step: r.step,
            decision: r.decision,
            reason: r.reason,
            strings,
        });
    }

    /// A string copied into the batch (`None` for an absent one or a
    /// name from the table).
    fn text(&self, t: Text) -> Option<&str> {
        match t {
            Text::Absent | Text::Table(_) => None,
            Text::Copied { start, len } => self.text.get(start..start + len),
        }
    }

    /// Formats every record, handing the bytes to `write` in chunks.
    /// `names` is the table as JSON strings.
    fn format(
        &self,
        names: &[Box<[u8]>],
        buf: &mut Vec<u8>,
        write: &mut dyn FnMut(&[u8]) -> io::Result<()>,
    ) -> io::Result<()> {
        let json = |t: Text| match t {
            Text::Table(id) => names.get(id.index()).map(|n| &**n),
            Text::Absent | Text::Copied { .. } => None,
        };
        for e in &self.entries {
            let [contact, sequence, sender, via, rule, workflow] = e.strings.map(|t| self.text(t));
            let [_, named @ ..] = e.strings;
            let ready = named.map(json);
            let r = RecordRef {
                seq: e.seq,
                at: e.at,
                decision: e.decision,
                contact,
                sequence: sequence.map(Name::new),
                sender: sender.map(Name::new),
                via: via.map(Name::new),
                reason: e.reason,
                rule: rule.map(Name::new),
                workflow: workflow.map(Name::new),
                event: e.event,
                step: e.step,
                until: e.until,
                contact_index: None,
            };
            push_jsonl_with(buf, &r, &ready);
            if buf.len() >= WRITE_CHUNK {
                write(buf)?;
                buf.clear();
            }
        }
        Ok(())
    }
}

/// A JSON Lines trace written on a second thread. See the module docs.
/// Call [`TraceWriter::finish`] at the end: dropping the writer instead
/// leaves the last records to a thread nobody waits for.
pub struct TraceWriter {
    batch: Batch,
    /// How many of the engine's trace names the writer holds: names with a
    /// smaller index are written from its table, not copied.
    known: usize,
    mode: Mode,
}

enum Mode {
    Thread {
        batches: Option<SyncSender<Batch>>,
        spent: Receiver<Batch>,
        worker: Option<JoinHandle<Option<io::Result<()>>>>,
        failed: bool,
    },
    Here {
        out: Box<dyn Write + Send>,
        names: Vec<Box<[u8]>>,
        buf: Vec<u8>,
        error: Option<io::Error>,
    },
}

impl TraceWriter {
    /// A writer of `engine`'s trace to `out` (buffered here; give it
    /// unbuffered). It copies the engine's names as they are now, and
    /// takes the names of records by index from that copy.
    pub fn for_engine<W: Write + Send + 'static>(out: W, engine: &Engine) -> TraceWriter {
        TraceWriter::with_names(out, engine.trace_names.snapshot())
    }

    /// A writer of the trace to `out` that copies every string of every
    /// record.
    #[cfg(test)]
    pub(crate) fn new<W: Write + Send + 'static>(out: W) -> TraceWriter {
        TraceWriter::with_names(out, Vec::new())
    }

    /// A writer that takes names of index below `names.len()` from `names`.
    pub(crate) fn with_names<W: Write + Send + 'static>(
        out: W,
        names: Vec<Box<str>>,
    ) -> TraceWriter {
        let known = names.len();
        let names = quote(&names);
        let (batches, todo) = sync_channel::<Batch>(IN_FLIGHT);
        let (give_back, spent) = sync_channel::<Batch>(IN_FLIGHT + 1);
        let started = spawn_owning("wf-trace", (out, names), move |(out, names)| {
            write_batches(out, &names, &todo, &give_back)
        });
        let mode = match started {
            Ok(worker) => Mode::Thread {
                batches: Some(batches),
                spent,
                worker: Some(worker),
                failed: false,
            },
            Err((out, names)) => Mode::here(Box::new(out), names),
        };
        TraceWriter {
            batch: Batch::with_capacity(),
            known,
            mode,
        }
    }

    /// A writer that formats and writes on the caller's thread (what
    /// [`TraceWriter::with_names`] falls back to when it cannot start one).
    #[cfg(test)]
    pub(crate) fn here<W: Write + Send + 'static>(out: W, names: Vec<Box<str>>) -> TraceWriter {
        TraceWriter {
            batch: Batch::with_capacity(),
            known: names.len(),
            mode: Mode::here(Box::new(out), quote(&names)),
        }
    }

    /// Whether writing has failed (as far as is known yet): the caller
    /// should stop producing records.
    pub fn failed(&self) -> bool {
        match &self.mode {
            Mode::Thread { failed, .. } => *failed,
            Mode::Here { error, .. } => error.is_some(),
        }
    }

    /// Hands the records given so far to be written now rather than when
    /// a batch is full (the engine is about to wait for input).
    pub fn flush(&mut self) {
        self.send();
        if let Mode::Here { out, error, .. } = &mut self.mode
            && error.is_none()
            && let Err(e) = out.flush()
        {
            *error = Some(e);
        }
    }

    /// Writes every record given so far, flushes, and returns the first
    /// write error, if any.
    pub fn finish(mut self) -> io::Result<()> {
        self.send();
        match &mut self.mode {
            Mode::Thread {
                batches, worker, ..
            } => {
                drop(batches.take());
                match worker.take().map(JoinHandle::join) {
                    Some(Ok(result)) => result.unwrap_or(Ok(())),
                    Some(Err(payload)) => std::panic::resume_unwind(payload),
                    None => Ok(()),
                }
            }
            Mode::Here { out, error, .. } => match error.take() {
                Some(e) => Err(e),
                None => out.flush(),
            },
        }
    }

    /// Hands the current batch over (or, without a thread, writes it).
    fn send(&mut self) {
        if self.batch.entries.is_empty() {
            return;
        }
        match &mut self.mode {
            Mode::Thread {
                batches,
                spent,
                failed,
                ..
            } => {
                let next = match spent.try_recv() {
                    Ok(mut b) => {
                        b.clear();
                        b
                    }
                    Err(TryRecvError::Empty | TryRecvError::Disconnected) => Batch::with_capacity(),
                };
                let full = std::mem::replace(&mut self.batch, next);
                if let Some(tx) = batches
                    && tx.send(full).is_err()
                {
                    *failed = true;
                }
            }
            Mode::Here {
                out,
                names,
                buf,
                error,
            } => {
                if error.is_none() {
                    let mut write = |bytes: &[u8]| out.write_all(bytes);
                    let result = self
                        .batch
                        .format(names, buf, &mut write)
                        .and_then(|()| out.write_all(buf));
                    if let Err(e) = result {
                        *error = Some(e);
                    }
                }
                buf.clear();
                self.batch.clear();
            }
        }
    }
}

impl Mode {
    fn here(out: Box<dyn Write + Send>, names: Vec<Box<[u8]>>) -> Mode {
        Mode::Here {
            out,
            names,
            buf: Vec::with_capacity(WRITE_CHUNK * 2),
            error: None,
        }
    }
}

impl LiveSink for TraceWriter {
    fn flush(&mut self) {
        TraceWriter::flush(self);
    }

    fn failed(&self) -> bool {
        TraceWriter::failed(self)
    }
}

impl Sink for TraceWriter {
    fn record(&mut self, r: &RecordRef<'_>) {
        if self.failed() {
            return;
        }
        self.batch.push(r, self.known);
        if self.batch.entries.len() >= BATCH || self.batch.text.len() >= BATCH_TEXT {
            self.send();
        }
    }
}

/// The table of names as JSON strings, formatted once.
fn quote(names: &[Box<str>]) -> Vec<Box<[u8]>> {
    names.iter().map(|n| json_string(n)).collect()
}

/// The writer thread: format each batch, write it, give the batch back
/// for reuse; stop at the first write error.
fn write_batches<W: Write>(
    mut out: W,
    names: &[Box<[u8]>],
    todo: &Receiver<Batch>,
    give_back: &SyncSender<Batch>,
) -> io::Result<()> {
    let mut buf = Vec::with_capacity(WRITE_CHUNK * 2);
    let mut next = todo.recv().ok();
    while let Some(batch) = next {
        let mut write = |bytes: &[u8]| out.write_all(bytes);
        batch.format(names, &mut buf, &mut write)?;
        // A full return channel just means the batch is dropped.
        let _ = give_back.try_send(batch);
        next = match todo.try_recv() {
            Ok(batch) => Some(batch),
            Err(TryRecvError::Empty) => {
                // Nothing more yet: write out what is formatted, so that
                // the records of a live stream appear as they are decided.
                out.write_all(&buf)?;
                buf.clear();
                out.flush()?;
                todo.recv().ok()
            }
            Err(TryRecvError::Disconnected) => None,
        };
    }
    out.write_all(&buf)?;
    out.flush()
}
