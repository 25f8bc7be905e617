//! The replay driver: the one loop that feeds event lines to an
//! [`Engine`], whatever the lines come from — a file or standard input
//! read ahead on a second thread (`wf run`), any buffered reader or text
//! read on this thread (`wf demo`, the REPL's `:events`, tests), every
//! line read first and sorted by time (`wf run --sort`), or one line typed
//! at the REPL's prompt (`:event`).
//!
//! Every source gets the same rules:
//!
//! - **Order.** An event earlier than the last event run from the same
//!   input is a bad line (a skipped line does not move that baseline);
//!   one earlier than the engine's clock is too. With [`Order::Sorted`]
//!   every line is read and checked first and the events run in time
//!   order (stable: equal times keep their lines' order); nothing runs
//!   if a line is bad and the bad-line handler stops the replay.
//! - **`until`.** The replay stops at the first event after `until`,
//!   before that line is checked; [`Driver::finish`] runs the schedule
//!   out to `until` (or to its end).
//! - **Bad lines.** A line that cannot run (malformed, out of order,
//!   naming what does not exist) goes to the caller's handler as a
//!   [`BadLine`] (line, column, message): `Ok` skips it, `Err` stops the
//!   replay with that error.
//! - **Flushing.** When the reading thread has no line ready, the sink is
//!   flushed ([`LiveSink::flush`]) so a live stream's records appear as
//!   its lines arrive; when the sink has failed (a closed pipe) the
//!   replay stops.
//!
//! # Public API
//!
//! ```text
//! Driver::new(&mut Engine, Options) -> Driver
//! driver.run(input: impl Read + Send + 'static, &mut dyn LiveSink, bad_line) -> Result<(), E>
//!     read ahead on a second thread (or sorted first, with Order::Sorted)
//! driver.run_lines(input: impl BufRead, &mut dyn LiveSink, bad_line) -> Result<(), E>
//!     the same, read on this thread (text in memory, borrowed readers)
//! driver.run_line(text, default_at, &mut dyn LiveSink) -> Result<(), BadLine>
//!     one line, `at` defaulting to `default_at` (the REPL's clock)
//! driver.finish(&mut dyn LiveSink)       run out the schedule (to `until`)
//! driver.events_run() -> usize           events run by this driver
//! driver.with_follower(&mut dyn Follower) -> Driver
//!     every event that runs is handed on to a second engine too
//! replay_records(&mut Engine, events: &str, Options) -> Result<Vec<Record>, BadLine>
//! replay_jsonl(&mut Engine, events: &str, Options) -> Result<Vec<u8>, BadLine>
//!     a whole replay (events, then the schedule run out), stopping at the
//!     first bad line: what `wf run` writes for the same inputs
//! ```
//!
//! A record's `event` field is the event's line number
//! ([`Numbering::Lines`]) or its number in a longer session
//! ([`Numbering::After`], the REPL).

pub mod events;
pub mod jsonl;
mod problem;
mod reader;
pub mod table;
mod worker;
pub mod writer;

pub use events::{Validator, parse_event, parse_time};
pub use problem::{BadLine, Place, Problem};
pub use reader::{Batch, EventReader, Line, ReadAhead};

use super::{Engine, Event, Record, RecordRef, Sink};
use chrono::{DateTime, Utc};
use events::out_of_order;
use std::io::{BufRead, Read};

/// A sink that can write out what it has so far (a live stream waits for
/// its next line), says when writing has failed (nothing more can be
/// written, so the replay stops), and hears of each event run (a progress
/// display).
pub trait LiveSink: Sink {
    /// Writes out the records given so far.
    fn flush(&mut self);
    /// Whether writing has failed.
    fn failed(&self) -> bool;
    /// Called after each event that ran.
    fn event_ran(&mut self) {}
}

/// Collected records are always written out.
impl LiveSink for Vec<Record> {
    fn flush(&mut self) {}

    fn failed(&self) -> bool {
        false
    }
}

/// JSON lines collected in memory: what `wf run` writes, without a
/// second thread.
impl LiveSink for Vec<u8> {
    fn flush(&mut self) {}

    fn failed(&self) -> bool {
        false
    }
}

impl Sink for Vec<u8> {
    fn record(&mut self, record: &RecordRef<'_>) {
        jsonl::push_jsonl_ref(self, record);
    }
}

/// A second replay fed the events a [`Driver`] runs, after its own engine
/// has run them: `wf diff` reads and parses the events once and replays
/// them through the old and the new rules. Only events that passed the
/// driver's checks reach it, each with the label its records carry.
pub trait Follower {
    /// Runs one event that the driver's engine has just run.
    fn process(&mut self, event: &Event, label: usize);
    /// Runs out the schedule, as [`Driver::finish`] does (to `until`).
    fn finish(&mut self, until: Option<DateTime<Utc>>);
}

/// In which order events run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Order {
    /// As written; an event earlier than the one before it is a bad line.
    #[default]
    AsWritten,
    /// Sorted by time (stably) after reading and checking every line.
    Sorted,
}

/// What a record's `event` field counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Numbering {
    /// The event's line in its input.
    #[default]
    Lines,
    /// Events run, after this many earlier ones (a session that feeds the
    /// engine several inputs numbers its events 1, 2, … across them).
    After(usize),
}

/// How a replay reads its input.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// Time order required, or sorted first.
    pub order: Order,
    /// Stop before the first event after this time; run the schedule out
    /// to it.
    pub until: Option<DateTime<Utc>>,
    /// What the records' `event` field counts.
    pub numbering: Numbering,
}

/// Feeds event lines to an engine; see the module header.
pub struct Driver<'e> {
    engine: &'e mut Engine,
    options: Options,
    events_run: usize,
    /// Reached `until`, or the sink failed: nothing more runs.
    stopped: bool,
    follower: Option<&'e mut dyn Follower>,
}

/// A source of parsed lines, in batches.
trait LineSource {
    /// The next lines (at least one), `None` at the end; `waiting` is
    /// called first when none is ready yet.
    fn next_batch(&mut self, waiting: &mut dyn FnMut()) -> Option<Batch>;
    /// Hands a batch back for its memory to be reused.
    fn recycle(&mut self, _batch: Batch) {}
}

impl LineSource for ReadAhead {
    fn next_batch(&mut self, waiting: &mut dyn FnMut()) -> Option<Batch> {
        self.next_batch_or(waiting)
    }

    fn recycle(&mut self, batch: Batch) {
        ReadAhead::recycle(self, batch);
    }
}

/// Lines read on this thread.
struct Here<B>(EventReader<B>);

impl<B: BufRead> LineSource for Here<B> {
    fn next_batch(&mut self, _waiting: &mut dyn FnMut()) -> Option<Batch> {
        let mut batch = Batch::with_capacity(reader::BATCH);
        while batch.len() < reader::BATCH {
            let Some(parsed) = self.0.next() else { break };
            batch.push(parsed, self.0.text());
        }
        (!batch.is_empty()).then_some(batch)
    }
}

/// Lines already read and sorted: one batch.
struct Sorted(Option<Batch>);

impl LineSource for Sorted {
    fn next_batch(&mut self, _waiting: &mut dyn FnMut()) -> Option<Batch> {
        self.0.take()
    }
}

/// What became of one line.
enum Step {
    Ran,
    Bad(Problem),
    Stop,
}

impl<'e> Driver<'e> {
    /// A driver feeding `engine`.
    pub fn new(engine: &'e mut Engine, options: Options) -> Driver<'e> {
        Driver {
            engine,
            options,
            events_run: 0,
            stopped: false,
            follower: None,
        }
    }

    /// Hands every event that runs on to `follower` too.
    pub fn with_follower(mut self, follower: &'e mut dyn Follower) -> Driver<'e> {
        self.follower = Some(follower);
        self
    }

    /// The engine being fed.
    pub fn engine(&self) -> &Engine {
        self.engine
    }

    /// How many events this driver has run.
    pub fn events_run(&self) -> usize {
        self.events_run
    }

    /// Replays `input` (unbuffered: it is buffered here), reading ahead on
    /// a second thread; with [`Order::Sorted`] every line is read first.
    pub fn run<R, E>(
        &mut self,
        input: R,
        out: &mut dyn LiveSink,
        bad_line: &mut dyn FnMut(BadLine) -> Result<(), E>,
    ) -> Result<(), E>
    where
        R: Read + Send + 'static,
    {
        match self.options.order {
            Order::AsWritten => self.drive(&mut ReadAhead::new(input, false), out, bad_line),
            Order::Sorted => {
                let reader = std::io::BufReader::with_capacity(1 << 20, input);
                self.run_lines(reader, out, bad_line)
            }
        }
    }

    /// Replays `input`, read on this thread.
    pub fn run_lines<B, E>(
        &mut self,
        input: B,
        out: &mut dyn LiveSink,
        bad_line: &mut dyn FnMut(BadLine) -> Result<(), E>,
    ) -> Result<(), E>
    where
        B: BufRead,
    {
        let reader = EventReader::new(input, false);
        match self.options.order {
            Order::AsWritten => self.drive(&mut Here(reader), out, bad_line),
            Order::Sorted => {
                let sorted = self.sorted(reader, bad_line)?;
                self.drive(&mut Sorted(Some(sorted)), out, bad_line)
            }
        }
    }

    /// Replays one line whose `at` defaults to `default_at`. It is checked
    /// against the engine's clock only: no earlier line is remembered.
    pub fn run_line(
        &mut self,
        text: &str,
        default_at: Option<DateTime<Utc>>,
        out: &mut dyn LiveSink,
    ) -> Result<(), BadLine> {
        let parsed = parse_event(text, default_at);
        let number = 1;
        match self.step(number, parsed.as_ref(), &mut None, out) {
            Step::Ran | Step::Stop => Ok(()),
            Step::Bad(problem) => Err(problem.on_line(number, text)),
        }
    }

    /// Runs out the schedule after the last event: to `until`, or every
    /// remaining step. Nothing runs once the sink has failed.
    pub fn finish(&mut self, out: &mut dyn LiveSink) {
        if !out.failed() {
            self.engine.finish(self.options.until, out);
            if let Some(follower) = &mut self.follower {
                follower.finish(self.options.until);
            }
        }
    }

    fn drive<E>(
        &mut self,
        source: &mut dyn LineSource,
        out: &mut dyn LiveSink,
        bad_line: &mut dyn FnMut(BadLine) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut last_at = None;
        while !self.stopped {
            let Some(batch) = source.next_batch(&mut || out.flush()) else {
                break;
            };
            for line in batch.iter() {
                match self.step(line.number, line.parsed.as_ref(), &mut last_at, out) {
                    Step::Ran => {}
                    Step::Stop => break,
                    Step::Bad(problem) => bad_line(problem.on_line(line.number, line.text))?,
                }
            }
            source.recycle(batch);
        }
        Ok(())
    }

    /// Checks and runs one line: `until` first, then the order against
    /// `last_at` (the last event run from this input) and the engine's
    /// checks.
    fn step(
        &mut self,
        number: usize,
        parsed: Result<&Event, &Problem>,
        last_at: &mut Option<DateTime<Utc>>,
        out: &mut dyn LiveSink,
    ) -> Step {
        if self.stopped {
            return Step::Stop;
        }
        let event = match parsed {
            Ok(e) if self.options.until.is_some_and(|u| e.at > u) => {
                self.stopped = true;
                return Step::Stop;
            }
            Ok(e) => e,
            Err(problem) => return Step::Bad(problem.clone()),
        };
        if let Some(last) = *last_at
            && event.at < last
        {
            return Step::Bad(out_of_order(event.at, last));
        }
        if let Err(problem) = self.engine.check_event(event) {
            return Step::Bad(problem);
        }
        *last_at = Some(event.at);
        self.events_run += 1;
        let label = match self.options.numbering {
            Numbering::Lines => number,
            Numbering::After(n) => n + self.events_run,
        };
        self.engine.process(event, Some(label), out);
        if let Some(follower) = &mut self.follower {
            follower.process(event, label);
        }
        if out.failed() {
            self.stopped = true;
            return Step::Stop;
        }
        out.event_ran();
        Step::Ran
    }

    /// `Order::Sorted`: reads and shape-checks every line, sorts stably by
    /// time and checks references in that order, without running
    /// anything. The lines' text is kept to place a problem found after
    /// sorting on its column.
    fn sorted<B: BufRead, E>(
        &self,
        mut reader: EventReader<B>,
        bad_line: &mut dyn FnMut(BadLine) -> Result<(), E>,
    ) -> Result<Batch, E> {
        let mut read = Vec::new();
        let mut text = String::new();
        while let Some((line, parsed)) = reader.next() {
            match parsed {
                Ok(e) => {
                    let start = text.len();
                    text.push_str(reader.text());
                    read.push((line, e, start..text.len()));
                }
                Err(problem) => bad_line(problem.on_line(line, reader.text()))?,
            }
        }
        read.sort_by_key(|(_, e, _)| e.at);
        let mut validator = Validator::for_engine(self.engine);
        let mut batch = Batch::with_capacity(read.len());
        for (line, e, span) in read {
            let line_text = text.get(span).unwrap_or("");
            match validator.check(&e) {
                Ok(()) => batch.push((line, Ok(e)), line_text),
                Err(problem) => bad_line(problem.on_line(line, line_text))?,
            }
        }
        Ok(batch)
    }
}

/// Replays `events` (JSON lines) through `engine` from start to end —
/// every event, then the schedule run out — and returns the records;
/// stops at the first bad line.
pub fn replay_records(
    engine: &mut Engine,
    events: &str,
    options: Options,
) -> Result<Vec<Record>, BadLine> {
    let mut out = Vec::new();
    replay_into(engine, events, options, &mut out)?;
    Ok(out)
}

/// [`replay_records`] as the JSON lines `wf run` writes.
pub fn replay_jsonl(
    engine: &mut Engine,
    events: &str,
    options: Options,
) -> Result<Vec<u8>, BadLine> {
    let mut out = Vec::new();
    replay_into(engine, events, options, &mut out)?;
    Ok(out)
}

fn replay_into(
    engine: &mut Engine,
    events: &str,
    options: Options,
    out: &mut dyn LiveSink,
) -> Result<(), BadLine> {
    let mut driver = Driver::new(engine, options);
    driver.run_lines(events.as_bytes(), out, &mut Err)?;
    driver.finish(out);
    Ok(())
}

#[cfg(test)]
mod threads_tests;

/// Cases per differential property test (a hand-written fast path against
/// `serde_json`).
#[cfg(test)]
const DIFFERENTIAL_CASES: u32 = 20_000;

/// The differential property tests' runner: [`DIFFERENTIAL_CASES`] cases,
/// failures kept in `proptest-regressions` beside `source` (the test's
/// `file!()`).
#[cfg(test)]
fn differential_config(source: &'static str) -> proptest::test_runner::Config {
    use proptest::test_runner::{Config, FileFailurePersistence};
    Config {
        cases: DIFFERENTIAL_CASES,
        source_file: Some(source),
        failure_persistence: Some(Box::new(FileFailurePersistence::SourceParallel(
            "proptest-regressions",
        ))),
        ..Config::default()
    }
}
