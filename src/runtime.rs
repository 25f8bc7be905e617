//! The deterministic runtime (`docs/semantics.md`): events in, decision
//! records out.
//!
//! The runtime is a pure function of (rules, account, events): it never
//! reads the wall clock, and nothing that reaches a record depends on
//! hash-map order. The same inputs give the same records, byte for byte.
//!
//! # Public API
//!
//! ```text
//! Engine::new(&Account, &Sources, &[(FileId, Program)]) -> Engine
//!     rules in program order (files in the order given, rules in file
//!     order); `Sources` names them `FILE:LINE` (base name only)
//! engine.set_steps(bool)                 emit step records (`--steps`)
//! engine.set_explain(ExplainMode)        record `Evaluation`s (off: no cost)
//! engine.set_counting(bool)              rule counters (off: one branch a rule)
//! engine.rule_counts() -> Option<Vec<RuleCounts>>   per rule, program order
//! engine.process(&Event, Option<usize>, &mut dyn Sink)
//!     one validated event; `line` fills the records' `event` field
//! engine.advance_to(DateTime<Utc>, sink) run steps due at or before; move the clock
//! engine.finish(Option<DateTime<Utc>>, sink)  run out the schedule (or until T)
//! engine.set_rules(&Sources, &[(FileId, Program)])
//!     replace the rules; contacts, enrollments, queue, send windows kept,
//!     and the "fired" memory of every rule whose `RuleKey` stays
//! engine.parse_event(json) -> Result<Event, Problem>
//!     one JSON line checked against the current state; `at` defaults to
//!     the clock and may not be earlier than it
//! engine.check_event(&Event) -> Result<(), Problem>
//! engine.contact(id) -> Option<ContactView>    properties, lists, enrollment
//! engine.contact_ids(), engine.clock(), engine.rule_keys()
//! engine.evaluations(contact) -> Vec<&Evaluation>
//! replay::parse_event(json, default_at) / replay::EventReader / replay::Validator
//! replay::jsonl::push_jsonl / push_jsonl_ref / write_jsonl; replay::table::render_table
//! engine::record::format_at
//! Sink: Vec<Record>, Vec<u8> (JSON lines), FnMut(Record); records lent as RecordRef
//! replay::writer::TraceWriter::for_engine(out, &engine)  JSON lines written on a second thread
//! ```
//!
//! Every replay — `wf run`, `wf demo`, the REPL, tests — goes through the
//! one driver in [`replay`]:
//!
//! ```text
//! Driver::new(&mut Engine, Options { order, until, numbering }) -> Driver
//! driver.run(impl Read + Send + 'static, &mut dyn LiveSink, bad_line) -> Result<(), E>
//! driver.run_lines(impl BufRead, &mut dyn LiveSink, bad_line) -> Result<(), E>
//! driver.run_line(text, default_at, &mut dyn LiveSink) -> Result<(), BadLine>
//! driver.finish(&mut dyn LiveSink); driver.events_run()
//! driver.with_follower(&mut dyn Follower)  a second engine fed the same events
//! replay_records(&mut Engine, events: &str, Options) -> Result<Vec<Record>, BadLine>
//! replay_jsonl(&mut Engine, events: &str, Options) -> Result<Vec<u8>, BadLine>
//! ```
//!
//! A [`Sink`] receives each record as it is made, lent as a
//! [`RecordRef`]: `Vec<Record>` collects owned [`Record`]s; any
//! `FnMut(Record)` closure is a sink too; `Vec<u8>` collects the JSON
//! lines `wf run` writes. A record's sequence, sender, address,
//! rule and workflow are [`Name`]s: their text and, where the engine's
//! table of names has them, their index there, by which the trace writer
//! takes them.
//!
//! A rule's identity ([`RuleKey`]) is its `FileId` and the byte offset of
//! its `when`: a front end that keeps each rule's file (and text) keeps its
//! identity across [`Engine::set_rules`].
//!
//! Instants are whole seconds: fractional seconds of event times are
//! truncated on input, so every time the engine computes is whole too.
//!
//! The runtime is two modules:
//!
//! - [`engine`] — the semantics, with no I/O: the typed event
//!   (`engine::event`), compiled rules and conditions (`rules`), the rule
//!   index (`index`), the engine's state and event processing (the
//!   `Engine`), gates and actions (`actions`), steps (`steps`), time, the
//!   queue and send windows (`schedule`), trace records (`record`),
//!   explanations (`explain`) and their rendering for people (`why`).
//! - [`replay`] — the replay's I/O around it: the one driver, reading and
//!   parsing event lines (`replay::events`, with its fast scanner),
//!   problems and their places (`Problem`), reading ahead on a thread
//!   (`ReadAhead`), the JSON Lines and table renderings of records
//!   (`replay::jsonl`, `replay::table`) and the trace writer thread
//!   (`replay::writer`).
//!
//! The event schema itself is `crate::triggers`.
//!
//! # Invariants
//!
//! - The clock never goes back: steps run in (due, scheduling order), and
//!   an event's time is not earlier than the clock (checked by
//!   [`Engine::check_event`] and the events reader).
//! - A contact has at most one active enrollment; a queue entry whose
//!   enrollment ended or was rescheduled is stale and is skipped.
//! - `seq` counts the records emitted by this engine, from 1.

pub mod engine;
pub mod replay;

pub use engine::explain::{Evaluation, ExplainMode};
pub use engine::record::{Decision, Name, Reason, Record, RecordRef};
pub use engine::{Engine, Event, EventKind, EventType, RuleKey};
pub use replay::{
    Driver, Follower, LiveSink, Numbering, Options, Order, replay_jsonl, replay_records,
};

use crate::value::Value;
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

/// Something that receives trace records in order. Records are lent
/// ([`RecordRef`]); `Vec<Record>` and `FnMut(Record)` closures receive owned
/// copies.
pub trait Sink {
    /// Takes one record.
    fn record(&mut self, record: &RecordRef<'_>);
}

impl Sink for Vec<Record> {
    fn record(&mut self, record: &RecordRef<'_>) {
        self.push(record.to_record());
    }
}

impl<F: FnMut(Record)> Sink for F {
    fn record(&mut self, record: &RecordRef<'_>) {
        self(record.to_record());
    }
}

/// A read-only view of a contact (`:contact ID`).
#[derive(Debug, Clone, PartialEq)]
pub struct ContactView {
    /// The contact's id.
    pub id: String,
    /// Set properties by name (`email` and `owner` included).
    pub properties: BTreeMap<String, Value>,
    /// The lists the contact is in, in account order.
    pub lists: Vec<String>,
    /// Has unsubscribed.
    pub unsubscribed: bool,
    /// An email to the contact bounced.
    pub bounced: bool,
    /// The active enrollment, if any.
    pub enrollment: Option<EnrollmentView>,
}

/// A contact's active enrollment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnrollmentView {
    pub sequence: String,
    /// The sender's email.
    pub sender: String,
    /// The send-from address.
    pub via: String,
    /// The 1-based number of the next step (one past the last step when a
    /// final task is pending).
    pub step: usize,
    /// Waiting for a `task_completed` event.
    pub paused: bool,
    /// When the next step is due, when scheduled.
    pub next_due: Option<DateTime<Utc>>,
}
