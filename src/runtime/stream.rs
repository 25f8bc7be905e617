//! Replaying a stream of event lines as `wf run` does: lines read and
//! parsed ahead on a second thread ([`ReadAhead`]), each checked against
//! the engine's state and run in turn, the records handed to a
//! [`LiveSink`] that is flushed whenever the input makes the engine wait.
//!
//! Time order is checked here, against the last event that was run, so
//! that a line skipped as invalid does not set the baseline; `until` stops
//! the replay at the first event after it, before that line is checked.

use super::events::{BadLine, Problem, ReadAhead, out_of_order};
use super::{Engine, Event, Sink};
use chrono::{DateTime, Utc};
use std::io::Read;

/// A sink that can write out what it has so far (a live stream waits for
/// its next line) and says when writing has failed (nothing more can be
/// written, so the replay stops).
pub trait LiveSink: Sink {
    /// Writes out the records given so far.
    fn flush(&mut self);
    /// Whether writing has failed.
    fn failed(&self) -> bool;
}

/// Collected records are always written out.
impl LiveSink for Vec<super::Record> {
    fn flush(&mut self) {}

    fn failed(&self) -> bool {
        false
    }
}

/// Replays the event lines of `input` through `engine` into `out`, up to
/// `until`. A line that cannot run (malformed, out of order, naming what
/// does not exist) goes to `bad_line` with its line, column and message:
/// `Ok` skips it, `Err` stops the replay with that error. `ran` is called
/// after each event that ran. Does not run out the schedule
/// ([`Engine::finish`]).
pub fn run_stream<R, E>(
    input: R,
    engine: &mut Engine,
    out: &mut dyn LiveSink,
    until: Option<DateTime<Utc>>,
    bad_line: &mut dyn FnMut(BadLine) -> Result<(), E>,
    ran: &mut dyn FnMut(),
) -> Result<(), E>
where
    R: Read + Send + 'static,
{
    let mut last_at = None;
    let mut ahead = ReadAhead::new(input, false);
    'events: while let Some(batch) = ahead.next_batch_or(|| out.flush()) {
        for line in batch.iter() {
            if let Ok(e) = line.parsed
                && until.is_some_and(|u| e.at > u)
            {
                break 'events;
            }
            let event = match line.parsed {
                Ok(e) => in_order(e, last_at)
                    .and_then(|()| engine.check_event(e))
                    .map(|()| e),
                Err(problem) => Err(problem.clone()),
            };
            let event = match event {
                Ok(e) => e,
                Err(problem) => {
                    bad_line(problem.on_line(line.number, line.text))?;
                    continue;
                }
            };
            last_at = Some(event.at);
            engine.process(event, Some(line.number), out);
            if out.failed() {
                break 'events;
            }
            ran();
        }
        ahead.recycle(batch);
    }
    Ok(())
}

/// An event earlier than the one run before it is an error.
fn in_order(event: &Event, last: Option<DateTime<Utc>>) -> Result<(), Problem> {
    match last {
        Some(last) if event.at < last => Err(out_of_order(event.at, last)),
        _ => Ok(()),
    }
}
