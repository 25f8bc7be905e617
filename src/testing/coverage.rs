//! Coverage of a suite (`wf test --coverage`, `--coverage-json FILE`):
//! for every rule of the suite's scripts (`FILE:LINE`), its records by
//! decision and reason; the skip reasons no test produced; and, where the
//! engine counts them, how often the rule's trigger matched, how often its
//! condition held and failed, and each `and` / `or` operand's true and
//! false counts, with the rules and operands never seen both ways.
//!
//! Records come from the traces, so they are always there. Trigger,
//! condition and operand counts come from the engine's rule counters
//! (`runtime::engine::counters`), summed over the tests that ran the rule; a rule
//! no test ran (its tests could not run, or their scripts have errors)
//! has `counters: None`, and the report says "not measured" rather than
//! show a number it does not have.

use super::spec::REASONS;
use crate::runtime::engine::counters::RuleCounts;
use crate::runtime::engine::record::{Decision, Reason, Record};
use crate::source::{FileId, Sources};
use crate::syntax::Program;
use crate::syntax::ast::Item;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// Coverage over a whole suite.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Coverage {
    /// Every rule of the suite's scripts, in the order first seen.
    pub rules: Vec<RuleCoverage>,
    /// The skip reasons some record had.
    pub reasons_seen: BTreeSet<Reason>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleCoverage {
    /// `FILE:LINE` of the rule's `when`, as in the trace.
    pub rule: String,
    /// The engine's counts, when measured.
    pub counters: Option<Counters>,
    /// Records by decision and reason (`skip daily_send_limit`).
    pub records: BTreeMap<String, u64>,
}

/// What the engine counts for a rule.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counters {
    /// Events that matched one of the rule's triggers.
    pub triggered: u64,
    /// Whether the rule has an `if` condition.
    pub conditional: bool,
    /// Of those, the times the condition held (or there was none).
    pub held: u64,
    /// Of those, the times the condition did not hold.
    pub failed: u64,
    /// Each operand of an `and` / `or` in the condition.
    pub operands: Vec<Operand>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operand {
    /// The operand as written.
    pub text: String,
    /// `FILE:LINE:COL` of the operand.
    pub place: String,
    /// Evaluations where it was true.
    pub seen_true: u64,
    /// Evaluations where it was false.
    pub seen_false: u64,
}

/// The `FILE:LINE` names of the rules of `programs`, in program order,
/// as the trace names them (base name of the file).
pub fn rule_names(sources: &Sources, programs: &[(FileId, Program)]) -> Vec<String> {
    let mut names = Vec::new();
    for (file, program) in programs {
        let Some(source) = sources.get(*file) else {
            continue;
        };
        let mut add = |start: usize| {
            let (line, _) = source.line_col(start);
            names.push(format!("{}:{line}", source.base_name()));
        };
        for item in &program.items {
            match item {
                Item::Rule(r) => add(r.span.start),
                Item::Workflow(w) => w.rules.iter().for_each(|r| add(r.span.start)),
            }
        }
    }
    names
}

impl Coverage {
    /// Adds rules not seen yet (a suite's tests share most scripts).
    pub fn add_rules(&mut self, names: &[String]) {
        for name in names {
            if !self.rules.iter().any(|r| &r.rule == name) {
                self.rules.push(RuleCoverage {
                    rule: name.clone(),
                    counters: None,
                    records: BTreeMap::new(),
                });
            }
        }
    }

    /// Counts a trace's records against their rules and reasons.
    pub fn add_records(&mut self, records: &[Record]) {
        for r in records {
            if r.decision == Decision::Skip
                && let Some(reason) = r.reason
            {
                self.reasons_seen.insert(reason);
            }
            let Some(rule) = r.rule.as_deref() else {
                continue;
            };
            let Some(entry) = self.rules.iter_mut().find(|c| c.rule == rule) else {
                continue;
            };
            let key = match r.reason {
                Some(reason) => format!("{} {}", r.decision.as_str(), reason.as_str()),
                None => r.decision.as_str().to_owned(),
            };
            *entry.records.entry(key).or_default() += 1;
        }
    }

    /// Adds one test's rule counts (from the engine's counters).
    pub fn add_rule_counts(&mut self, counts: &[RuleCounts]) {
        for c in counts {
            let condition = c.condition.as_ref();
            let counters = Counters {
                triggered: c.triggered,
                conditional: condition.is_some(),
                held: condition.map_or(c.triggered, |k| k.held),
                failed: condition.map_or(0, |k| k.failed),
                operands: condition
                    .iter()
                    .flat_map(|k| &k.operands)
                    .map(|o| Operand {
                        text: o.site.text.clone(),
                        place: o.site.place.clone(),
                        seen_true: o.seen_true,
                        seen_false: o.seen_false,
                    })
                    .collect(),
            };
            self.add_counters(&c.rule, &counters);
        }
    }

    /// Adds the engine's counts for `rule` to those already there.
    pub fn add_counters(&mut self, rule: &str, counters: &Counters) {
        let Some(entry) = self.rules.iter_mut().find(|c| c.rule == rule) else {
            return;
        };
        let total = entry.counters.get_or_insert_with(Counters::default);
        total.triggered += counters.triggered;
        total.conditional |= counters.conditional;
        total.held += counters.held;
        total.failed += counters.failed;
        for op in &counters.operands {
            match total.operands.iter_mut().find(|o| o.place == op.place) {
                Some(o) => {
                    o.seen_true += op.seen_true;
                    o.seen_false += op.seen_false;
                }
                None => total.operands.push(op.clone()),
            }
        }
    }

    /// The skip reasons no record had, in the trace's order of reasons.
    /// Unenroll-only reasons (`workflow`, `replied`, …) are not skip
    /// reasons and are left out.
    pub fn reasons_unseen(&self) -> Vec<Reason> {
        REASONS
            .iter()
            .copied()
            .filter(|r| is_skip_reason(*r) && !self.reasons_seen.contains(r))
            .collect()
    }

    /// Rules whose counters pass `test`.
    fn never(&self, test: impl Fn(&Counters) -> bool) -> Vec<&str> {
        self.rules
            .iter()
            .filter(|r| r.counters.as_ref().is_some_and(&test))
            .map(|r| r.rule.as_str())
            .collect()
    }

    /// The report for people.
    pub fn text(&self) -> String {
        let mut out = String::from("coverage:\n");
        let width = self.rules.iter().map(|r| r.rule.len()).max().unwrap_or(0);
        for r in &self.rules {
            let counts = match &r.counters {
                Some(c) if c.conditional => format!(
                    "triggered {}, held {}, failed {}",
                    c.triggered, c.held, c.failed
                ),
                Some(c) => format!("triggered {}, no condition", c.triggered),
                None => "triggered ?, held ?, failed ? (not measured)".to_owned(),
            };
            let records = if r.records.is_empty() {
                "no records".to_owned()
            } else {
                r.records
                    .iter()
                    .map(|(k, n)| format!("{k} {n}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let _ = writeln!(out, "  {:<width$}  {counts}; {records}", r.rule);
        }
        let measured = self.rules.iter().any(|r| r.counters.is_some());
        if measured {
            let mut section = |title: &str, rules: Vec<&str>| {
                if !rules.is_empty() {
                    let _ = writeln!(out, "{title}: {}", rules.join(", "));
                }
            };
            section("trigger never matched", self.never(|c| c.triggered == 0));
            section("condition never held", self.never(never_held));
            section("condition never failed", self.never(never_failed));
            let operands = self.one_sided_operands();
            if !operands.is_empty() {
                let _ = writeln!(out, "operands not seen both true and false:");
                for (o, never) in operands {
                    let _ = writeln!(out, "  {} `{}` never {never}", o.place, o.text);
                }
            }
        } else {
            out.push_str("trigger, condition and operand counts not measured: no test ran\n");
        }
        let unseen: Vec<&str> = self.reasons_unseen().iter().map(|r| r.as_str()).collect();
        if !unseen.is_empty() {
            let _ = writeln!(out, "skip reasons no test produced: {}", unseen.join(", "));
        }
        out
    }

    /// Operands seen only one way (or never), with the way never seen.
    fn one_sided_operands(&self) -> Vec<(&Operand, &'static str)> {
        let mut out = Vec::new();
        for r in &self.rules {
            for o in r.counters.iter().flat_map(|c| &c.operands) {
                match (o.seen_true > 0, o.seen_false > 0) {
                    (true, true) => {}
                    (true, false) => out.push((o, "false")),
                    (false, true) => out.push((o, "true")),
                    (false, false) => out.push((o, "evaluated")),
                }
            }
        }
        out
    }

    /// The same report as JSON (`--coverage-json FILE`).
    pub fn json(&self) -> serde_json::Value {
        let rules: Vec<serde_json::Value> = self
            .rules
            .iter()
            .map(|r| {
                let counters = r.counters.as_ref().map(|c| {
                    serde_json::json!({
                        "triggered": c.triggered,
                        "condition": c.conditional,
                        "held": c.held,
                        "failed": c.failed,
                        "operands": c.operands.iter().map(|o| serde_json::json!({
                            "operand": o.text,
                            "place": o.place,
                            "true": o.seen_true,
                            "false": o.seen_false,
                        })).collect::<Vec<_>>(),
                    })
                });
                serde_json::json!({
                    "rule": r.rule,
                    "counters": counters,
                    "records": r.records,
                })
            })
            .collect();
        let list = |rules: Vec<&str>| serde_json::json!(rules);
        let measured = self.rules.iter().any(|r| r.counters.is_some());
        serde_json::json!({
            "rules": rules,
            "measured": measured,
            "trigger_never_matched": list(self.never(|c| c.triggered == 0)),
            "condition_never_held": list(self.never(never_held)),
            "condition_never_failed": list(self.never(never_failed)),
            "operands_one_sided": self.one_sided_operands().iter().map(|(o, never)| serde_json::json!({
                "operand": o.text, "place": o.place, "never": never,
            })).collect::<Vec<_>>(),
            "skip_reasons_unseen": self.reasons_unseen().iter().map(|r| r.as_str()).collect::<Vec<_>>(),
        })
    }
}

/// A condition that was evaluated and never held.
fn never_held(c: &Counters) -> bool {
    c.conditional && c.triggered > 0 && c.held == 0
}

/// A condition that was evaluated and never failed.
fn never_failed(c: &Counters) -> bool {
    c.conditional && c.triggered > 0 && c.failed == 0
}

/// Whether a `skip` record can carry this reason (the others end
/// enrollments).
fn is_skip_reason(r: Reason) -> bool {
    !matches!(
        r,
        Reason::Workflow
            | Reason::Replied
            | Reason::MeetingBooked
            | Reason::Bounced
            | Reason::Unsubscribed
    )
}
