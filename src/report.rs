//! `wf report`: one self-contained HTML page about a replay
//! (`docs/report.md`).
//!
//! Takes the scripts, the account, the checker's warnings and an events
//! input; replays the events with steps through the one replay driver and
//! gives the page as a string. Nothing in the page depends on the wall
//! clock or on hash-map order: the same inputs give the same bytes.
//!
//! The pieces:
//!
//! - `notes` — the events as they are read (on the reading thread): when,
//!   what type, which contact, for the contacts' timelines;
//! - `tally` — a [`Sink`](crate::runtime::Sink) that counts the records
//!   (by decision, reason, rule, sequence, sender and day) and keeps each
//!   contact's records;
//! - `contacts` — which contacts the page shows in full when there are too
//!   many, and their timelines as compact data for the page's script;
//! - `charts` — bar charts as SVG, drawn by `plotters`;
//! - `page` — the HTML, its style sheet and its script.

mod charts;
mod contacts;
mod notes;
mod page;
mod tally;

use crate::account::Account;
use crate::diagnostic::Diagnostic;
use crate::runtime::replay::BadLine;
use crate::runtime::{Driver, Engine, Options};
use crate::source::{FileId, Sources};
use crate::syntax::Program;
use chrono::{DateTime, Utc};
use std::io::Read;

/// What a report is made from, besides the events.
pub struct Inputs<'a> {
    /// The account.
    pub account: &'a Account,
    /// The scripts' texts, in command-line order.
    pub sources: &'a Sources,
    /// The parsed scripts (without errors).
    pub programs: &'a [(FileId, Program)],
    /// The checker's warnings, in order.
    pub warnings: &'a [Diagnostic],
    /// The events file's name, as given.
    pub events_name: &'a str,
    /// Stop the replay at this time.
    pub until: Option<DateTime<Utc>>,
}

/// Replays `events` and renders the report page; the first bad event line
/// stops it.
pub fn generate<R>(inputs: &Inputs<'_>, events: R) -> Result<String, BadLine>
where
    R: Read + Send + 'static,
{
    let mut engine = Engine::new(inputs.account, inputs.sources, inputs.programs);
    engine.set_steps(true);
    engine.set_counting(true);
    let (input, log) = notes::noting(events);
    let mut tally = tally::Tally::new(inputs.account.timezone);
    let options = Options {
        until: inputs.until,
        ..Options::default()
    };
    let mut driver = Driver::new(&mut engine, options);
    driver.run(input, &mut tally, &mut Err)?;
    driver.finish(&mut tally);
    let events_run = driver.events_run();
    let notes = log.take(inputs.until, events_run);
    let rule_counts = engine.rule_counts().unwrap_or_default();
    Ok(page::render(
        inputs,
        &tally,
        &notes,
        &rule_counts,
        events_run,
    ))
}
