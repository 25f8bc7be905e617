//! The session's runtime side: events, the clock, the trace, contacts and
//! `:why`.
//!
//! A [`Replay`] owns the runtime [`Engine`] (explanations on for every
//! contact, step records on) and every record made since the start or the
//! last `:reset`. The session clock is the engine's clock, or
//! [`super::session::EPOCH`] before anything happened. Events are numbered
//! in the session (1, 2, …): that number fills the records' `event` field.

use super::command::show_duration;
use super::session::{Session, epoch, plural};
use crate::account::Account;
use crate::runtime::engine::record::format_at;
use crate::runtime::replay::table::render_table;
use crate::runtime::{Driver, Engine, ExplainMode, Numbering, Options, Record};
use crate::source::{FileId, Sources};
use crate::syntax::Program;
use chrono::{DateTime, TimeDelta, Utc};
use std::fmt::Write as _;
use std::path::Path;

/// How many records `:trace` shows without an argument.
pub const DEFAULT_TRACE: usize = 10;

/// How many of the records made by one `:events` or `:advance` are shown.
pub const MAX_SHOWN: usize = 20;

/// The runtime state of a session.
pub struct Replay {
    engine: Engine,
    records: Vec<Record>,
    events: usize,
}

impl Replay {
    /// A fresh state for an account and rules.
    pub fn new(account: &Account, sources: &Sources, programs: &[(FileId, Program)]) -> Self {
        let mut engine = Engine::new(account, sources, programs);
        engine.set_explain(ExplainMode::All);
        engine.set_steps(true);
        Replay {
            engine,
            records: Vec::new(),
            events: 0,
        }
    }

    /// Replaces the rule set, keeping the state.
    pub fn set_rules(&mut self, programs: &[(FileId, Program)], sources: &Sources) {
        self.engine.set_rules(sources, programs);
    }

    /// Ids of the contacts the runtime knows.
    pub fn contact_ids(&self) -> Vec<String> {
        self.engine.contact_ids().map(str::to_owned).collect()
    }

    /// The session clock.
    pub fn clock(&self) -> DateTime<Utc> {
        self.engine.clock().unwrap_or_else(epoch)
    }

    /// A replay driver numbering events after those of the session so
    /// far.
    fn driver(&mut self) -> Driver<'_> {
        let options = Options {
            numbering: Numbering::After(self.events),
            ..Options::default()
        };
        Driver::new(&mut self.engine, options)
    }
}

/// An error line with its help line.
fn error(message: &str, help: Option<&str>) -> String {
    let mut out = format!("error: {message}\n");
    if let Some(help) = help {
        let _ = writeln!(out, "  help: {help}");
    }
    out
}

/// The latest at most [`MAX_SHOWN`] records as a table, with a line
/// saying how many earlier ones were left out (`:events`, `:advance`).
fn latest_records_text(records: &[Record]) -> String {
    let hidden = records.len().saturating_sub(MAX_SHOWN);
    let mut out = String::new();
    if hidden > 0 {
        let _ = writeln!(
            out,
            "{} made; the latest {MAX_SHOWN} follow (`:trace N` shows more)",
            plural(records.len(), "record")
        );
    }
    out.push_str(&records_text(records.get(hidden..).unwrap_or(&[])));
    out
}

fn records_text(records: &[Record]) -> String {
    if records.is_empty() {
        "no records\n".to_owned()
    } else {
        render_table(records)
    }
}

impl Session {
    /// `:event JSON`: the line as `wf run` reads it, `at` defaulting to
    /// the session clock.
    pub(super) fn event(&mut self, json: &str) -> String {
        let clock = self.replay.clock();
        let mut made = Vec::new();
        let mut driver = self.replay.driver();
        let result = driver.run_line(json, Some(clock), &mut made);
        let ran = driver.events_run();
        self.replay.events += ran;
        self.replay.records.extend(made.iter().cloned());
        match result {
            Ok(()) => records_text(&made),
            Err(bad) => {
                let column = bad.column;
                let mut out = error(&bad.message, None);
                // The line as typed, with a caret under the problem.
                let _ = writeln!(out, "  | {json}\n  | {:>column$}", "^");
                out
            }
        }
    }

    /// `:events FILE`: every event of a JSON Lines file, in order; a bad
    /// line stops there (the records of earlier lines are kept).
    pub(super) fn events_file(&mut self, path: &Path) -> String {
        let name = path.display().to_string();
        let file = match std::fs::File::open(path) {
            Ok(f) => f,
            Err(e) => return error(&format!("cannot read `{name}`: {e}"), None),
        };
        let mut made = Vec::new();
        let mut driver = self.replay.driver();
        let failure = driver
            .run_lines(std::io::BufReader::new(file), &mut made, &mut Err)
            .err();
        let count = driver.events_run();
        self.replay.events += count;
        self.replay.records.extend(made.iter().cloned());
        let mut out = latest_records_text(&made);
        let _ = writeln!(
            out,
            "{} processed, clock {}",
            plural(count, "event"),
            format_at(&self.replay.clock())
        );
        if let Some(bad) = failure {
            out.push_str(&error(
                &format!("{name}:{}:{}: {}", bad.line, bad.column, bad.message),
                Some("the events before this line were processed"),
            ));
        }
        out
    }

    /// `:advance DURATION`.
    pub(super) fn advance(&mut self, d: TimeDelta) -> String {
        let Some(target) = (self.replay.clock().checked_add_signed(d))
            .filter(|t| t.timestamp() <= crate::runtime::engine::schedule::LAST)
        else {
            return error(
                &format!("cannot advance the clock by {}", show_duration(d)),
                None,
            );
        };
        let mut made = Vec::new();
        self.replay.engine.advance_to(target, &mut made);
        self.replay.records.extend(made.iter().cloned());
        let mut out = latest_records_text(&made);
        let _ = writeln!(out, "clock {}", format_at(&self.replay.clock()));
        out
    }

    /// `:time`.
    pub(super) fn time_text(&self) -> String {
        let clock = self.replay.clock();
        let local = clock.with_timezone(&self.account.timezone);
        let mut out = format_at(&clock);
        if self.account.timezone != chrono_tz::UTC {
            let _ = write!(
                out,
                " ({} {})",
                local.format("%a %Y-%m-%d %H:%M:%S"),
                self.account.timezone.name()
            );
        } else {
            let _ = write!(out, " ({})", local.format("%a"));
        }
        if self.replay.engine.clock().is_none() {
            out.push_str(", not started: the first event sets it");
        }
        out.push('\n');
        out
    }

    /// `:trace [N]`.
    pub(super) fn trace_text(&self, n: Option<usize>) -> String {
        let n = n.unwrap_or(DEFAULT_TRACE);
        let records = &self.replay.records;
        let start = records.len().saturating_sub(n);
        records_text(records.get(start..).unwrap_or(&[]))
    }

    /// `:contact ID`.
    pub(super) fn contact_text(&self, id: &str) -> String {
        let Some(view) = self.replay.engine.contact(id) else {
            return self.unknown_contact(id);
        };
        let mut out = format!("contact {}\n", view.id);
        out.push_str("  properties:\n");
        if view.properties.is_empty() {
            out.push_str("    (none)\n");
        }
        for (name, value) in &view.properties {
            let value = match value {
                crate::value::Value::Text(s) => format!("{s:?}"),
                crate::value::Value::Number(n) => n.to_string(),
                crate::value::Value::Bool(b) => b.to_string(),
            };
            let _ = writeln!(out, "    {name} = {value}");
        }
        if view.lists.is_empty() {
            out.push_str("  lists: (none)\n");
        } else {
            let lists: Vec<String> = view.lists.iter().map(|l| format!("{l:?}")).collect();
            let _ = writeln!(out, "  lists: {}", lists.join(", "));
        }
        if view.unsubscribed {
            out.push_str("  unsubscribed\n");
        }
        if view.bounced {
            out.push_str("  bounced\n");
        }
        match &view.enrollment {
            None => out.push_str("  enrollment: none\n"),
            Some(e) => {
                let _ = writeln!(
                    out,
                    "  enrollment: {:?} from {} via {}",
                    e.sequence, e.sender, e.via
                );
                let steps = self
                    .account
                    .sequence(&e.sequence)
                    .map_or(0, |s| s.steps.len());
                if e.paused {
                    let _ = writeln!(
                        out,
                        "  next: paused on a task until `task_completed` (step {} of {steps})",
                        e.step.saturating_sub(1)
                    );
                } else if let Some(due) = e.next_due {
                    let _ = writeln!(
                        out,
                        "  next: step {} of {steps} due {}",
                        e.step,
                        format_at(&due)
                    );
                }
            }
        }
        out
    }

    /// `:why CONTACT`.
    pub(super) fn why_text(&self, id: &str) -> String {
        if self.replay.engine.contact(id).is_none() {
            return self.unknown_contact(id);
        }
        crate::runtime::engine::why::explain(id, &self.replay.engine.evaluations(id))
    }

    fn unknown_contact(&self, id: &str) -> String {
        let ids = self.replay.contact_ids();
        let best = ids
            .iter()
            .map(|c| (strsim::levenshtein(c, id), c))
            .filter(|(d, _)| *d <= 2)
            .min();
        let help = match best {
            Some((_, c)) => format!("did you mean `{c}`?"),
            None if ids.is_empty() => {
                "the account has no contacts; `contact_created` events add them".to_owned()
            }
            None => format!("known contacts: {}", ids.join(", ")),
        };
        error(&format!("unknown contact `{id}`"), Some(&help))
    }

    /// `:reset`: a fresh runtime state and clock; rules are kept.
    pub(super) fn reset(&mut self) -> String {
        let programs = self.programs();
        self.replay = Replay::new(&self.account, &self.sources, &programs);
        format!(
            "runtime state cleared; clock back to {}; {} kept\n",
            format_at(&self.replay.clock()),
            plural(self.items.len(), "rule")
        )
    }
}
