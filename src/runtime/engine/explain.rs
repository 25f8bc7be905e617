//! Explanations: why a rule did or did not act for a contact
//! (`:why CONTACT`, `wf run --explain CONTACT`).
//!
//! When explanations are on ([`ExplainMode`]), the engine records one
//! [`Evaluation`] per rule whose trigger *kind* matches an event for the
//! contact: whether the trigger arguments matched, how the condition came
//! out (with the first failing clause, its observed values and what it
//! needs), the gate that stopped the rule, and the outcome of each action
//! with the facts behind it. At most [`MAX_PER_CONTACT`] evaluations are
//! kept per contact (the latest). With explanations off nothing is built.
//!
//! Every type here is plain data with a `Display` that renders one line, so
//! a front end can print them as they are or lay them out itself.

use super::record::{Decision, Reason, format_at};
use crate::value::Value;
use chrono::{DateTime, Utc};
use std::fmt;

/// How many evaluations are kept per contact.
pub const MAX_PER_CONTACT: usize = 32;

/// Which contacts the engine records evaluations for.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ExplainMode {
    /// None (the default; costs nothing).
    #[default]
    Off,
    /// Only these contacts (by id).
    Contacts(Vec<String>),
    /// Every contact (bounded per contact).
    All,
}

/// The first clause of a condition that did not hold.
#[derive(Debug, Clone, PartialEq)]
pub struct ClauseFailure {
    /// The clause as written in the script.
    pub clause: String,
    /// Each `contact.X` / `event.X` operand of the clause with its value
    /// (`None`: unset).
    pub observed: Vec<(String, Option<Value>)>,
    /// What the clause needs of them (`>= 10`, `in ["a", "b"]`, `true`).
    pub requirement: String,
}

impl fmt::Display for ClauseFailure {
    /// `contact.employees = 5, needs >= 10`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.observed.is_empty() {
            return write!(f, "`{}` is false", self.clause);
        }
        let seen: Vec<String> = self
            .observed
            .iter()
            .map(|(name, v)| match v {
                Some(v) => format!("{name} = {v}"),
                None => format!("{name} = unset"),
            })
            .collect();
        write!(f, "{}, needs {}", seen.join(", "), self.requirement)
    }
}

/// How a rule's condition came out.
#[derive(Debug, Clone, PartialEq)]
pub enum ConditionOutcome {
    /// Not evaluated (the triggers did not match).
    NotEvaluated,
    /// The rule has no `if`.
    Absent,
    /// The condition held.
    Held,
    /// The condition did not hold: the first failing clause.
    Failed(ClauseFailure),
}

/// The outcome of one action, with the facts that decided it.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionOutcome {
    /// The record the action produced.
    pub decision: Decision,
    /// The skip or unenroll reason, if any.
    pub reason: Option<Reason>,
    /// The sequence concerned.
    pub sequence: Option<String>,
    /// The facts behind the decision, for people
    /// (`piotr@acme.test sent 2 emails in the last 24 h; limit 2`).
    pub facts: String,
}

impl fmt::Display for ActionOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.decision.as_str())?;
        if let Some(s) = &self.sequence {
            write!(f, " {s:?}")?;
        }
        if let Some(r) = self.reason {
            write!(f, " ({})", r.as_str())?;
        }
        if !self.facts.is_empty() {
            write!(f, ": {}", self.facts)?;
        }
        Ok(())
    }
}

/// A gate that stopped a rule (`docs/semantics.md`, "Gates").
#[derive(Debug, Clone, PartialEq)]
pub struct GateFailure {
    /// `suppressed` or `reenroll_off`.
    pub reason: Reason,
    /// The facts behind it (`in suppression list "Do not contact"`).
    pub facts: String,
}

/// One rule evaluated against one event for one contact.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// The event's time.
    pub at: DateTime<Utc>,
    /// The event's line (file line, or `None` for events without one).
    pub event: Option<usize>,
    /// The event's type.
    pub event_type: &'static str,
    /// The rule, `FILE:LINE`.
    pub rule: String,
    /// The rule's workflow block.
    pub workflow: Option<String>,
    /// Whether one of the rule's triggers matched the event.
    pub triggers_matched: bool,
    /// How the condition came out.
    pub condition: ConditionOutcome,
    /// The gate that stopped the rule, if one did.
    pub gate: Option<GateFailure>,
    /// What each action did (empty when the rule did not fire).
    pub actions: Vec<ActionOutcome>,
}

impl fmt::Display for Evaluation {
    /// One line: `2026-03-02T09:00:00Z line 2 form_submitted: rule qualify.wf:2
    /// condition failed: contact.employees = 4, needs >= 10`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ", format_at(&self.at))?;
        if let Some(line) = self.event {
            write!(f, "line {line} ")?;
        }
        write!(f, "{}: rule {}", self.event_type, self.rule)?;
        if let Some(w) = &self.workflow {
            write!(f, " (workflow {w:?})")?;
        }
        if !self.triggers_matched {
            return f.write_str(": trigger arguments did not match");
        }
        if let ConditionOutcome::Failed(c) = &self.condition {
            return write!(f, ": condition failed: {c}");
        }
        if let Some(g) = &self.gate {
            write!(f, ": gate {}", g.reason.as_str())?;
            if !g.facts.is_empty() {
                write!(f, " ({})", g.facts)?;
            }
            return Ok(());
        }
        let actions: Vec<String> = self.actions.iter().map(ToString::to_string).collect();
        write!(f, ": {}", actions.join("; "))
    }
}
