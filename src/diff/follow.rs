//! The new side's replay on a second thread: a [`Follower`] that passes
//! the events the driver ran, in batches, to a thread running the new
//! rules' engine, which collects its records. The batches go through a
//! bounded channel, so the new side lags the old by a few batches at most.

use super::Rules;
use super::collect::Collected;
use crate::account::Account;
use crate::runtime::{Engine, Event, Follower};
use chrono::{DateTime, Utc};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::{Scope, ScopedJoinHandle};

/// Events per batch sent to the new side.
const BATCH: usize = 1024;
/// Batches in flight.
const IN_FLIGHT: usize = 16;

/// What the old side hands on.
enum Message {
    /// Events that ran, with their labels.
    Events(Vec<(Event, usize)>),
    /// The replay is over: run out the schedule (to `until`).
    Finish(Option<DateTime<Utc>>),
}

/// The old side's end: batches events for the new side's thread.
pub struct Ahead {
    batch: Vec<(Event, usize)>,
    to_new: SyncSender<Message>,
}

impl Follower for Ahead {
    fn process(&mut self, event: &Event, label: usize) {
        self.batch.push((event.clone(), label));
        if self.batch.len() >= BATCH {
            self.send_batch();
        }
    }

    fn finish(&mut self, until: Option<DateTime<Utc>>) {
        self.send_batch();
        // A closed channel means the new side's thread ended early; the
        // join reports what it collected.
        let _ = self.to_new.send(Message::Finish(until));
    }
}

impl Ahead {
    fn send_batch(&mut self) {
        if !self.batch.is_empty() {
            let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH));
            let _ = self.to_new.send(Message::Events(batch));
        }
    }
}

/// Starts the new side's thread, which builds its own engine for `rules`
/// (an engine stays on the thread that built it); returns the follower to
/// hand to the driver and the thread to [`join`] once the follower is
/// dropped.
pub fn spawn<'scope>(
    scope: &'scope Scope<'scope, '_>,
    account: &'scope Account,
    rules: Rules<'scope>,
    steps: bool,
) -> (Ahead, ScopedJoinHandle<'scope, Collected>) {
    let (to_new, from_old) = sync_channel(IN_FLIGHT);
    let worker = scope.spawn(move || {
        let mut engine = Engine::new(account, rules.sources, rules.programs);
        engine.set_steps(steps);
        let mut records = replay_new(&mut engine, &from_old);
        // Freed before the grouping copies the rows.
        drop(engine);
        records.group();
        records
    });
    (
        Ahead {
            batch: Vec::with_capacity(BATCH),
            to_new,
        },
        worker,
    )
}

/// The new side's records, once its thread has run everything it was
/// sent. A panic on that thread (a bug) is raised again here.
pub fn join(worker: ScopedJoinHandle<'_, Collected>) -> Collected {
    match worker.join() {
        Ok(records) => records,
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

fn replay_new(engine: &mut Engine, from_old: &Receiver<Message>) -> Collected {
    let mut records = Collected::default();
    while let Ok(message) = from_old.recv() {
        match message {
            Message::Events(batch) => {
                for (event, label) in &batch {
                    engine.process(event, Some(*label), &mut records);
                }
            }
            Message::Finish(until) => engine.finish(until, &mut records),
        }
    }
    records
}
