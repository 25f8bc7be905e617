//! The one place a test replays its events: the runtime's replay driver,
//! as `wf run` uses it (events read and checked line by line, then the
//! schedule run out to `until`), so the trace is byte for byte what
//! `wf run` prints for the same inputs.

use crate::account::Account;
use crate::cli::Scripts;
use crate::runtime::replay::BadLine;
use crate::runtime::replay::jsonl::push_jsonl;
use crate::runtime::replay::{Driver, Options};
use crate::runtime::{Engine, Record};
use chrono::{DateTime, Utc};

/// Replays `events` (JSON Lines) through `scripts` on `account`; returns
/// the trace as `wf run` prints it (JSON Lines) and its records, or the
/// first bad event line.
pub fn replay(
    account: &Account,
    scripts: &Scripts,
    events: Vec<u8>,
    steps: bool,
    until: Option<DateTime<Utc>>,
) -> Result<(Vec<u8>, Vec<Record>), BadLine> {
    let mut engine = Engine::new(account, &scripts.sources, &scripts.programs);
    engine.set_steps(steps);
    let mut records: Vec<Record> = Vec::new();
    let mut driver = Driver::new(
        &mut engine,
        Options {
            until,
            ..Options::default()
        },
    );
    driver.run_lines(events.as_slice(), &mut records, &mut Err)?;
    driver.finish(&mut records);
    let mut jsonl = Vec::with_capacity(records.len() * 200);
    for r in &records {
        push_jsonl(&mut jsonl, r);
    }
    Ok((jsonl, records))
}
