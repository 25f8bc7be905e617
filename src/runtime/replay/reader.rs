//! Reading event streams: [`EventReader`] parses a stream line by line;
//! [`ReadAhead`] runs one on a second thread, so that reading and parsing
//! the next lines overlaps with the engine running the ones before them.
//!
//! The read-ahead thread sends parsed lines in batches, in order, over a
//! bounded channel (memory stays bounded however long the stream). A batch
//! is sent when it is full or when the reader would have to wait for more
//! input, so a live stream (`tail -f … | wf run --events -`) is run as
//! its lines arrive. When the consumer stops early (`--until`, an input
//! error, a closed standard output) the thread ends at its next send. A
//! panic on the thread is resumed on the consumer's side, so it ends the
//! process as any other internal error does.

use super::events::{Event, out_of_order, parse_event};
use super::problem::Problem;
use super::worker::spawn_owning;
use chrono::{DateTime, Utc};
use std::io::{BufRead, BufReader, Read};
use std::sync::mpsc::{Receiver, RecvError, SyncSender, TryRecvError, sync_channel};
use std::thread::JoinHandle;

/// One line's result: its number and the event or the problem with it.
pub type Parsed = (usize, Result<Event, Problem>);

/// Reads events from a stream one line at a time: yields
/// `(line number, event or problem)`, skipping blank lines; the text of
/// the line last yielded is [`EventReader::text`]. Only the shape
/// of each line is checked here, and the order of `at` (an event earlier
/// than the one before it is an error); references are checked by the
/// engine or a [`Validator`](super::Validator).
pub struct EventReader<R> {
    input: R,
    line: usize,
    buf: String,
    last_at: Option<DateTime<Utc>>,
    check_order: bool,
    done: bool,
}

impl<R: BufRead> EventReader<R> {
    /// A reader of `input`; with `check_order`, out-of-order events are errors.
    pub fn new(input: R, check_order: bool) -> Self {
        EventReader {
            input,
            line: 0,
            buf: String::new(),
            last_at: None,
            check_order,
            done: false,
        }
    }
}

impl<R: BufRead> Iterator for EventReader<R> {
    type Item = Parsed;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.done {
                return None;
            }
            self.buf.clear();
            self.line += 1;
            match self.input.read_line(&mut self.buf) {
                Ok(0) => return None,
                Ok(_) => {}
                Err(e) => {
                    // A read error ends the stream: report it once.
                    let message = if e.kind() == std::io::ErrorKind::InvalidData {
                        "line is not valid UTF-8".to_owned()
                    } else {
                        self.done = true;
                        format!("cannot read: {e}")
                    };
                    self.buf.clear();
                    return Some((self.line, Err(Problem::line(message))));
                }
            }
            // A byte order mark at the start of the stream is not part of
            // the first line.
            if self.line == 1 {
                crate::source::drop_byte_order_mark(&mut self.buf);
            }
            // The text keeps its leading white space: columns count it.
            let text = self.buf.trim_end();
            if text.is_empty() {
                continue;
            }
            let result = parse_event(text, None).and_then(|event| {
                if self.check_order
                    && let Some(last) = self.last_at
                    && event.at < last
                {
                    return Err(out_of_order(event.at, last));
                }
                Ok(event)
            });
            if let Ok(e) = &result {
                self.last_at = Some(e.at);
            }
            return Some((self.line, result));
        }
    }
}

impl<R> EventReader<R> {
    /// The text of the line last yielded, without its line break (empty
    /// for a line that could not be read).
    pub fn text(&self) -> &str {
        self.buf.trim_end()
    }

    /// The stream being read.
    pub fn get_ref(&self) -> &R {
        &self.input
    }
}

/// Lines per batch: large enough that the channel costs nothing per line,
/// small enough that the engine starts at once.
pub(crate) const BATCH: usize = 512;
/// Batches in flight: bounds the memory read ahead to a few thousand lines.
const IN_FLIGHT: usize = 8;

/// Parsed lines, in order, with their text: a problem found later (an
/// unknown contact, on the engine's side) is placed on its line's column.
#[derive(Debug)]
pub struct Batch {
    lines: Vec<Parsed>,
    /// The lines' text, one after the other.
    text: String,
    /// Where each line's text ends in `text`.
    ends: Vec<usize>,
}

impl Batch {
    pub(crate) fn with_capacity(lines: usize) -> Batch {
        Batch {
            lines: Vec::with_capacity(lines),
            text: String::with_capacity(lines * 128),
            ends: Vec::with_capacity(lines),
        }
    }

    pub(crate) fn push(&mut self, parsed: Parsed, text: &str) {
        self.lines.push(parsed);
        self.text.push_str(text);
        self.ends.push(self.text.len());
    }

    fn clear(&mut self) {
        self.lines.clear();
        self.text.clear();
        self.ends.clear();
    }

    /// How many lines.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// Whether there are no lines.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// The lines, in order.
    pub fn iter(&self) -> impl Iterator<Item = Line<'_>> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        self.lines
            .iter()
            .zip(starts.zip(&self.ends))
            .map(|((number, parsed), (start, &end))| Line {
                number: *number,
                parsed,
                text: self.text.get(start..end).unwrap_or(""),
            })
    }
}

/// One line of a [`Batch`].
#[derive(Debug, Clone, Copy)]
pub struct Line<'a> {
    /// The 1-based line number.
    pub number: usize,
    /// The event, or the problem with the line.
    pub parsed: &'a Result<Event, Problem>,
    /// The line's text, without its line break.
    pub text: &'a str,
}

/// Parsed event lines, read ahead on a second thread (or on this one if no
/// thread can be started), in batches: a consumer takes each batch
/// ([`ReadAhead::next_batch`]) and hands it back ([`ReadAhead::recycle`]),
/// so that events are neither moved one by one nor dropped on its thread.
pub struct ReadAhead {
    source: Source,
}

enum Source {
    /// The reading thread; its channel closes when the stream ends (or the
    /// thread panics: joining it tells which).
    Thread {
        lines: Receiver<Batch>,
        spent: SyncSender<Batch>,
        worker: Option<JoinHandle<Option<()>>>,
    },
    /// No thread: each call reads one line here.
    Here(Box<dyn FnMut() -> Option<Batch>>),
}

impl ReadAhead {
    /// Starts reading `input` (buffered here; give it unbuffered) ahead.
    /// With `check_order`, out-of-order events are errors.
    pub fn new<R: Read + Send + 'static>(input: R, check_order: bool) -> ReadAhead {
        let reader = EventReader::new(BufReader::with_capacity(1 << 20, input), check_order);
        let (tx, rx) = sync_channel(IN_FLIGHT);
        let (spent, spent_rx) = sync_channel(IN_FLIGHT + 1);
        let started = spawn_owning("wf-events", reader, move |reader| {
            produce(reader, &tx, &spent_rx);
        });
        let source = match started {
            Ok(worker) => Source::Thread {
                lines: rx,
                spent,
                worker: Some(worker),
            },
            Err(mut reader) => Source::Here(Box::new(move || {
                let parsed = reader.next()?;
                let mut batch = Batch::with_capacity(1);
                batch.push(parsed, reader.text());
                Some(batch)
            })),
        };
        ReadAhead { source }
    }

    /// The next lines, in order, as many as are ready (at least one);
    /// `None` at the end of the stream.
    pub fn next_batch(&mut self) -> Option<Batch> {
        self.next_batch_or(|| {})
    }

    /// As [`ReadAhead::next_batch`], calling `waiting` first when no line
    /// is ready yet (the input is slower than the engine: a live stream).
    pub fn next_batch_or(&mut self, waiting: impl FnOnce()) -> Option<Batch> {
        let (lines, worker) = match &mut self.source {
            Source::Here(read_line) => return read_line(),
            Source::Thread { lines, worker, .. } => (lines, worker),
        };
        let received = match lines.try_recv() {
            Ok(batch) => Ok(batch),
            Err(TryRecvError::Empty) => {
                waiting();
                lines.recv()
            }
            Err(TryRecvError::Disconnected) => Err(RecvError),
        };
        match received {
            Ok(batch) => Some(batch),
            Err(RecvError) => {
                // The stream has ended, or the thread panicked: carry a
                // panic over to this side.
                if let Some(Err(payload)) = worker.take().map(JoinHandle::join) {
                    std::panic::resume_unwind(payload);
                }
                None
            }
        }
    }

    /// Gives a batch from [`ReadAhead::next_batch`] back: the reading
    /// thread drops its events and reuses its memory.
    pub fn recycle(&mut self, batch: Batch) {
        if let Source::Thread { spent, .. } = &self.source {
            // A full channel (or a finished thread) just drops it here.
            let _ = spent.try_send(batch);
        }
    }
}

/// The read-ahead thread: parse, batch, send; stop when the consumer has
/// gone. Batches handed back are cleared here and filled again.
fn produce<R: Read>(
    mut reader: EventReader<BufReader<R>>,
    tx: &SyncSender<Batch>,
    spent: &Receiver<Batch>,
) {
    let fresh = || match spent.try_recv() {
        Ok(mut old) => {
            old.clear();
            old
        }
        Err(_) => Batch::with_capacity(BATCH),
    };
    let mut batch = fresh();
    while let Some(parsed) = reader.next() {
        batch.push(parsed, reader.text());
        if batch.len() >= BATCH || reader.get_ref().buffer().is_empty() {
            let full = std::mem::replace(&mut batch, fresh());
            if tx.send(full).is_err() {
                return;
            }
        }
    }
    if !batch.is_empty() {
        let _ = tx.send(batch);
    }
}
