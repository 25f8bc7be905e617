//! Reading event streams: [`EventReader`] parses a stream line by line;
//! [`ReadAhead`] runs one on a second thread, so that reading and parsing
//! the next lines overlaps with the engine running the ones before them.
//!
//! The read-ahead thread sends parsed lines in batches, in order, over a
//! bounded channel (memory stays bounded however long the stream). A batch
//! is sent when it is full or when the reader would have to wait for more
//! input, so a live stream (`tail -f … | wf run --events -`) is run as
//! its lines arrive. When the consumer stops early (`--until`, an input
//! error, a closed standard output) and drops the [`ReadAhead`], the thread
//! stops after the line it is reading and is joined before the drop
//! returns, so nothing it holds (the input, its buffers) outlives the
//! reader. The one exception is a thread blocked in a read of its input
//! for longer than [`STUCK_READ`] (a live stream with no next line yet):
//! no portable way stops such a read, so that thread is left to end when
//! the read returns, owning only the input and its buffers. A panic on the
//! thread is resumed on the consumer's side, so it ends the process as any
//! other internal error does.

use super::events::{Event, out_of_order, parse_event};
use super::problem::Problem;
use super::worker::spawn_owning;
use chrono::{DateTime, Utc};
use std::io::{BufRead, BufReader, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, RecvError, SyncSender, TryRecvError, sync_channel};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

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
            self.line += 1;
            // Read the line as bytes into the text's own buffer, at most
            // one byte past the limit, so an endless line (`/dev/zero`)
            // stops at the limit instead of filling memory.
            let mut bytes = std::mem::take(&mut self.buf).into_bytes();
            bytes.clear();
            let limit = u64::try_from(MAX_LINE_BYTES).unwrap_or(u64::MAX);
            match (&mut self.input)
                .take(limit + 1)
                .read_until(b'\n', &mut bytes)
            {
                Ok(0) => return None,
                Ok(_) => {}
                Err(e) => {
                    // A read error ends the stream: report it once.
                    self.done = true;
                    return Some((self.line, Err(Problem::line(format!("cannot read: {e}")))));
                }
            }
            if bytes.len() > MAX_LINE_BYTES {
                // What follows is not known to be lines: stop reading.
                self.done = true;
                return Some((
                    self.line,
                    Err(Problem::line(format!(
                        "line is too long (more than {MAX_LINE_BYTES} bytes, the limit); \
                         nothing after it is read"
                    ))),
                ));
            }
            match String::from_utf8(bytes) {
                Ok(text) => self.buf = text,
                Err(_) => {
                    return Some((self.line, Err(Problem::line("line is not valid UTF-8"))));
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

/// The most bytes an event line may hold, its line break included: far
/// beyond any event (a few hundred bytes), and a bound on what one line
/// can take of memory.
pub(crate) const MAX_LINE_BYTES: usize = 16 << 20;

/// Lines per batch: large enough that the channel costs nothing per line,
/// small enough that the engine starts at once.
pub(crate) const BATCH: usize = 512;
/// Batches in flight: bounds the memory read ahead to a few thousand lines.
const IN_FLIGHT: usize = 8;
/// How long one read of the input may last, once the reader is dropped,
/// before its thread is taken to be waiting on a live stream and is left
/// to end on its own. A read from memory or a file takes microseconds.
pub(crate) const STUCK_READ: Duration = Duration::from_millis(250);

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
        /// `None` only while the reader is dropped.
        lines: Option<Receiver<Batch>>,
        spent: SyncSender<Batch>,
        worker: Option<JoinHandle<Option<()>>>,
        progress: Arc<Progress>,
    },
    /// No thread: each call reads one line here.
    Here(Box<dyn FnMut() -> Option<Batch>>),
}

impl ReadAhead {
    /// Starts reading `input` (buffered here; give it unbuffered) ahead.
    /// With `check_order`, out-of-order events are errors.
    pub fn new<R: Read + Send + 'static>(input: R, check_order: bool) -> ReadAhead {
        let progress = Arc::new(Progress::new());
        let input = Watched {
            input,
            progress: Arc::clone(&progress),
        };
        let reader = EventReader::new(BufReader::with_capacity(1 << 20, input), check_order);
        let (tx, rx) = sync_channel(IN_FLIGHT);
        let (spent, spent_rx) = sync_channel(IN_FLIGHT + 1);
        let started = spawn_owning("wf-events", reader, move |reader| {
            produce(reader, &tx, &spent_rx);
        });
        let source = match started {
            Ok(worker) => Source::Thread {
                lines: Some(rx),
                spent,
                worker: Some(worker),
                progress,
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
            Source::Thread {
                lines: Some(lines),
                worker,
                ..
            } => (lines, worker),
            Source::Thread { lines: None, .. } => return None,
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

impl Drop for ReadAhead {
    /// Stops the reading thread after its current line and waits for it,
    /// unless it is stuck in a read of a live stream (see the module
    /// header).
    fn drop(&mut self) {
        let Source::Thread {
            lines,
            worker,
            progress,
            ..
        } = &mut self.source
        else {
            return;
        };
        progress.stop.store(true, Ordering::Relaxed);
        // A thread waiting to send gets an error and ends.
        drop(lines.take());
        let Some(worker) = worker.take() else { return };
        let since = Instant::now();
        while !worker.is_finished() {
            if progress.stuck_in_read(since) {
                return;
            }
            std::thread::sleep(Duration::from_micros(200));
        }
        // A panic on the thread has nowhere to go once the consumer has
        // stopped (it may be unwinding already).
        let _ = worker.join();
    }
}

/// What the reading thread tells its [`ReadAhead`]: whether it should
/// stop, and whether it is inside a read of its input.
struct Progress {
    /// Set when the consumer has gone: the thread stops at its next line.
    stop: AtomicBool,
    /// Microseconds since [`Progress::epoch`] at which the read in
    /// progress began, plus one; 0 between reads.
    read_since: AtomicU64,
    epoch: Instant,
}

impl Progress {
    fn new() -> Progress {
        Progress {
            stop: AtomicBool::new(false),
            read_since: AtomicU64::new(0),
            epoch: Instant::now(),
        }
    }

    fn micros(&self, at: Instant) -> u64 {
        u64::try_from(at.saturating_duration_since(self.epoch).as_micros()).unwrap_or(u64::MAX)
    }

    /// Whether one read has lasted [`STUCK_READ`] and began before, or
    /// while, the consumer waited from `since`.
    fn stuck_in_read(&self, since: Instant) -> bool {
        let began = self.read_since.load(Ordering::Acquire);
        if began == 0 {
            return false;
        }
        let began = began - 1;
        let now = self.micros(Instant::now());
        let waited = self.micros(since);
        let stuck = u64::try_from(STUCK_READ.as_micros()).unwrap_or(u64::MAX);
        now.saturating_sub(began.max(waited)) >= stuck
    }
}

/// The input, telling [`Progress`] when a read is in progress.
struct Watched<R> {
    input: R,
    progress: Arc<Progress>,
}

impl<R: Read> Read for Watched<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let began = self.progress.micros(Instant::now()).saturating_add(1);
        self.progress.read_since.store(began, Ordering::Release);
        let read = self.input.read(buf);
        self.progress.read_since.store(0, Ordering::Release);
        read
    }
}

/// The read-ahead thread: parse, batch, send; stop when the consumer has
/// gone. Batches handed back are cleared here and filled again.
fn produce<R: Read>(
    mut reader: EventReader<BufReader<Watched<R>>>,
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
    let stop = Arc::clone(&reader.get_ref().get_ref().progress);
    while let Some(parsed) = reader.next() {
        if stop.stop.load(Ordering::Relaxed) {
            return;
        }
        batch.push(parsed, reader.text());
        if batch.len() >= BATCH
            || batch.text.len() >= MAX_LINE_BYTES
            || reader.get_ref().buffer().is_empty()
        {
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
