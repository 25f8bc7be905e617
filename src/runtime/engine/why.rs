//! `:why CONTACT` and `wf run --explain CONTACT`: a contact's latest
//! decisions and near-misses, for people.
//!
//! Takes the [`Evaluation`]s the runtime recorded for one contact (oldest
//! first) and gives text: for each of the latest events, every rule whose
//! trigger kind matched — whether its trigger arguments matched, whether
//! its condition held (and if not, the first failing clause with the
//! observed value against the required one), the gate that stopped it, and
//! what each action did with the facts that decided it (sends in the last
//! 24 h against the limit, the sequence the contact is already in, …).
//! Plain text, no colour; every line ends with `\n`.

use crate::runtime::Evaluation;
use crate::runtime::engine::explain::ConditionOutcome;
use crate::runtime::engine::record::format_at;
use std::fmt::Write as _;

/// How many of the latest events are explained.
pub const MAX_EVENTS: usize = 5;

/// Explains the evaluations of `contact` (oldest first) of its latest
/// [`MAX_EVENTS`] events (`:why`).
pub fn explain(contact: &str, evaluations: &[&Evaluation]) -> String {
    explain_events(contact, evaluations, Some(MAX_EVENTS))
}

/// Explains the evaluations of `contact` (oldest first) of its latest
/// `max_events` events, or of all of them (`wf run --explain`).
pub fn explain_events(
    contact: &str,
    evaluations: &[&Evaluation],
    max_events: Option<usize>,
) -> String {
    if evaluations.is_empty() {
        return format!(
            "nothing to explain for `{contact}`: no event of this contact has triggered a rule\n"
        );
    }
    // Group the evaluations by the event that caused them.
    let mut groups: Vec<Vec<&Evaluation>> = Vec::new();
    for e in evaluations {
        match groups.last_mut() {
            Some(g)
                if g.first().is_some_and(|f| {
                    f.at == e.at && f.event == e.event && f.event_type == e.event_type
                }) =>
            {
                g.push(e);
            }
            _ => groups.push(vec![e]),
        }
    }
    let shown = max_events.unwrap_or(groups.len());
    let skipped = groups.len().saturating_sub(shown);
    let mut out = format!("why `{contact}`:");
    if skipped > 0 {
        let _ = write!(
            out,
            " the latest {shown} events ({skipped} earlier not shown)"
        );
    }
    out.push('\n');
    for group in groups.iter().skip(skipped) {
        let Some(first) = group.first() else { continue };
        let _ = write!(out, "{} {}", format_at(&first.at), first.event_type);
        if let Some(line) = first.event {
            let _ = write!(out, " (event {line})");
        }
        out.push('\n');
        for e in group {
            rule_lines(&mut out, e);
        }
    }
    out
}

fn rule_lines(out: &mut String, e: &Evaluation) {
    let _ = write!(out, "  rule {}", e.rule);
    if let Some(w) = &e.workflow {
        let _ = write!(out, " (workflow {w:?})");
    }
    if !e.triggers_matched {
        out.push_str(": trigger arguments did not match the event\n");
        return;
    }
    match &e.condition {
        ConditionOutcome::Failed(c) => {
            let _ = writeln!(out, ": condition failed: {c}");
            return;
        }
        ConditionOutcome::Held => out.push_str(": condition held"),
        ConditionOutcome::Absent | ConditionOutcome::NotEvaluated => {
            out.push_str(": no condition");
        }
    }
    if let Some(g) = &e.gate {
        let _ = write!(out, "; stopped by gate {}", g.reason.as_str());
        if !g.facts.is_empty() {
            let _ = write!(out, ": {}", g.facts);
        }
    }
    out.push('\n');
    for a in &e.actions {
        let _ = writeln!(out, "    {a}");
    }
}
