//! Writing the trace as JSON Lines on a second thread.
//!
//! [`TraceWriter`] is a [`Sink`]: the engine hands it each record, it
//! copies the record's strings into a batch (a few short copies, no
//! formatting), and every [`BATCH`] records sends the batch to a thread
//! that formats it with [`push_jsonl_ref`] and writes it out. The bytes are
//! those the engine's thread would have written itself, in the same order;
//! the engine goes on deciding while the previous batch is formatted.
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

use super::Sink;
use super::record::{Decision, Reason, RecordRef, push_jsonl_ref};
use super::worker::spawn_owning;
use chrono::{DateTime, Utc};
use std::io::{self, Write};
use std::sync::mpsc::{Receiver, SyncSender, TryRecvError, sync_channel};
use std::thread::JoinHandle;

/// Records per batch.
const BATCH: usize = 2048;
/// Batches on their way to the writer thread.
const IN_FLIGHT: usize = 4;
/// Bytes formatted before they are written out.
const WRITE_CHUNK: usize = 1 << 16;

/// A string of a record, as a range of its batch's text (`None` as an
/// empty range at `u32::MAX`).
#[derive(Clone, Copy)]
struct Text {
    start: u32,
    len: u32,
}

const NONE: Text = Text {
    start: u32::MAX,
    len: 0,
};

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

    fn push(&mut self, r: &RecordRef<'_>) {
        let text = &mut self.text;
        let mut put = |s: Option<&str>| match s {
            Some(s) => match (u32::try_from(text.len()), u32::try_from(s.len())) {
                (Ok(start), Ok(len)) if start < u32::MAX => {
                    text.push_str(s);
                    Text { start, len }
                }
                _ => NONE,
            },
            None => NONE,
        };
        let strings = [
            put(r.contact),
            put(r.sequence),
            put(r.sender),
            put(r.via),
            put(r.rule),
            put(r.workflow),
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

    fn text(&self, t: Text) -> Option<&str> {
        if t.start == u32::MAX {
            return None;
        }
        let start = t.start as usize;
        self.text.get(start..start + t.len as usize)
    }

    /// Formats every record, handing the bytes to `write` in chunks.
    fn format(
        &self,
        buf: &mut Vec<u8>,
        write: &mut dyn FnMut(&[u8]) -> io::Result<()>,
    ) -> io::Result<()> {
        for e in &self.entries {
            let [contact, sequence, sender, via, rule, workflow] = e.strings.map(|t| self.text(t));
            let r = RecordRef {
                seq: e.seq,
                at: e.at,
                decision: e.decision,
                contact,
                sequence,
                sender,
                via,
                reason: e.reason,
                rule,
                workflow,
                event: e.event,
                step: e.step,
                until: e.until,
            };
            push_jsonl_ref(buf, &r);
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
        buf: Vec<u8>,
        error: Option<io::Error>,
    },
}

impl TraceWriter {
    /// A writer of the trace to `out` (buffered here; give it unbuffered).
    pub fn new<W: Write + Send + 'static>(out: W) -> TraceWriter {
        let (batches, todo) = sync_channel::<Batch>(IN_FLIGHT);
        let (give_back, spent) = sync_channel::<Batch>(IN_FLIGHT + 1);
        let started = spawn_owning("wf-trace", out, move |out| {
            write_batches(out, &todo, &give_back)
        });
        let mode = match started {
            Ok(worker) => Mode::Thread {
                batches: Some(batches),
                spent,
                worker: Some(worker),
                failed: false,
            },
            Err(out) => Mode::here(Box::new(out)),
        };
        TraceWriter {
            batch: Batch::with_capacity(),
            mode,
        }
    }

    /// A writer that formats and writes on the caller's thread (what
    /// [`TraceWriter::new`] falls back to when it cannot start one).
    #[cfg(test)]
    pub(crate) fn here<W: Write + Send + 'static>(out: W) -> TraceWriter {
        TraceWriter {
            batch: Batch::with_capacity(),
            mode: Mode::here(Box::new(out)),
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
            Mode::Here { out, buf, error } => {
                if error.is_none() {
                    let mut write = |bytes: &[u8]| out.write_all(bytes);
                    let result = self
                        .batch
                        .format(buf, &mut write)
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
    fn here(out: Box<dyn Write + Send>) -> Mode {
        Mode::Here {
            out,
            buf: Vec::with_capacity(WRITE_CHUNK * 2),
            error: None,
        }
    }
}

impl Sink for TraceWriter {
    fn record(&mut self, r: &RecordRef<'_>) {
        if self.failed() {
            return;
        }
        self.batch.push(r);
        if self.batch.entries.len() >= BATCH {
            self.send();
        }
    }
}

/// The writer thread: format each batch, write it, give the batch back
/// for reuse; stop at the first write error.
fn write_batches<W: Write>(
    mut out: W,
    todo: &Receiver<Batch>,
    give_back: &SyncSender<Batch>,
) -> io::Result<()> {
    let mut buf = Vec::with_capacity(WRITE_CHUNK * 2);
    let mut next = todo.recv().ok();
    while let Some(batch) = next {
        let mut write = |bytes: &[u8]| out.write_all(bytes);
        batch.format(&mut buf, &mut write)?;
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
