//! The one place a test replays its events: the runtime's replay driver,
//! as `wf run` uses it (events read and checked line by line, then the
//! schedule run out to `until`), so the trace is byte for byte what
//! `wf run` prints for the same inputs. With `count`, the engine's rule
//! counters are on (coverage) and their counts come back too; counting
//! changes no decision.

use crate::account::Account;
use crate::cli::Scripts;
use crate::runtime::engine::counters::RuleCounts;
use crate::runtime::replay::BadLine;
use crate::runtime::replay::jsonl::push_jsonl;
use crate::runtime::replay::{Driver, Options};
use crate::runtime::{Engine, Record};
use chrono::{DateTime, Utc};

/// What a test's replay gave.
pub struct Replayed {
    /// The trace as `wf run` prints it (JSON Lines).
    pub jsonl: Vec<u8>,
    pub records: Vec<Record>,
    /// The rule counters' counts, when counting.
    pub counts: Option<Vec<RuleCounts>>,
}

/// Replays `events` (JSON Lines) through `scripts` on `account`, counting
/// with the rule counters when `count` is set; returns the trace, or the
/// first bad event line.
pub fn replay(
    account: &Account,
    scripts: &Scripts,
    events: Vec<u8>,
    (steps, until): (bool, Option<DateTime<Utc>>),
    count: bool,
) -> Result<Replayed, BadLine> {
    let mut engine = Engine::new(account, &scripts.sources, &scripts.programs);
    engine.set_steps(steps);
    engine.set_counting(count);
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
    Ok(Replayed {
        jsonl,
        records,
        counts: engine.rule_counts(),
    })
}
