//! Sequences from the CRM's sequences export (`PublicSequenceResponse`:
//! `id`, `name`, `steps`, `dependencies`, `settings`).
//!
//! Steps are taken in `stepOrder`: `EMAIL` is an email step, `TASK` a task
//! step titled by its `taskPattern.subject` with its `notes` as body, and
//! `FINISH_ENROLLMENT` ends the sequence. `delayMillis` becomes whole days
//! (a part of a day is rounded up, with a warning). A task pauses the
//! sequence when a later step depends on it (`dependencies`, by
//! `reliesOnStepOrder`). `settings.eligibleFollowUpDays` of `EVERYDAY` is
//! `weekdays_only: false`; `BUSINESS_DAYS` and `WEEKDAYS_ONLY` are `true`.
//! Email templates are not in the export: email steps have no subject or
//! body.

use super::out::{SequenceOut, StepOut};
use super::records;
use crate::crm::json::{Node, Problem};
use std::collections::{BTreeMap, BTreeSet};

/// Milliseconds in a day.
const DAY_MS: f64 = 86_400_000.0;

/// Reads every sequence; `warnings` gets rounded delays.
pub fn read(root: &Node<'_>, warnings: &mut Vec<String>) -> Result<Vec<SequenceOut>, Problem> {
    let mut out = Vec::new();
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    let mut ids = BTreeSet::new();
    for node in records(root, "a sequence", "id")? {
        let id_node = node.req("id")?;
        let id = id_node.text()?;
        if !ids.insert(id.clone()) {
            return Err(id_node.problem(format!("duplicate sequence id `{id}`")));
        }
        let name_node = node.req("name")?;
        let name = name_node.text()?;
        if let Some(first) = names.get(&name) {
            return Err(name_node.problem(format!(
                "duplicate sequence `{name}` (first at `{first}`): scripts name sequences by name"
            )));
        }
        names.insert(name.clone(), name_node.path.clone());
        if node.get("steps").is_none() {
            return Err(node.problem(
                "missing field `steps`: the sequences list gives no steps; export each sequence with its steps (GET /automation/sequences/{sequenceId})",
            ));
        }
        out.push(SequenceOut {
            name,
            weekdays_only: weekdays_only(&node)?,
            steps: steps(&node, &id, warnings)?,
            crm_id: id,
        });
    }
    Ok(out)
}

/// `settings.eligibleFollowUpDays`; without settings, the account's
/// default (`true`).
fn weekdays_only(node: &Node<'_>) -> Result<bool, Problem> {
    let Some(days) = node
        .get("settings")
        .and_then(|s| s.get("eligibleFollowUpDays"))
    else {
        return Ok(true);
    };
    match days.text()?.as_str() {
        "EVERYDAY" => Ok(false),
        "BUSINESS_DAYS" | "WEEKDAYS_ONLY" => Ok(true),
        other => Err(days.problem(format!(
            "unknown follow-up days `{other}`: expected `BUSINESS_DAYS`, `EVERYDAY` or `WEEKDAYS_ONLY`"
        ))),
    }
}

/// The step orders other steps wait on: tasks that pause the sequence.
fn awaited(node: &Node<'_>) -> Result<Vec<f64>, Problem> {
    let mut out = Vec::new();
    for dep in node.array_field("dependencies")? {
        out.push(dep.req("reliesOnStepOrder")?.number()?);
    }
    Ok(out)
}

/// The steps in step order, up to the first `FINISH_ENROLLMENT`.
fn steps(node: &Node<'_>, id: &str, warnings: &mut Vec<String>) -> Result<Vec<StepOut>, Problem> {
    let awaited = awaited(node)?;
    let mut ordered = Vec::new();
    for step in node.array_field("steps")? {
        let order_node = step.req("stepOrder")?;
        let order = order_node.number()?;
        ordered.push((order, step));
    }
    ordered.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut out = Vec::new();
    for (order, step) in ordered {
        let kind_node = step.req("actionType")?;
        let kind = match kind_node.text()?.as_str() {
            "EMAIL" => "email",
            "TASK" => "task",
            "FINISH_ENROLLMENT" => break,
            other => {
                return Err(kind_node.problem(format!(
                    "unknown step type `{other}`: expected `EMAIL`, `TASK` or `FINISH_ENROLLMENT`"
                )));
            }
        };
        let delay_days = delay_days(&step, id, warnings)?;
        let task = kind == "task";
        let pattern = if task { step.get("taskPattern") } else { None };
        let field = |key: &str| -> Result<Option<String>, Problem> {
            match pattern.as_ref().and_then(|p| p.get(key)) {
                Some(n) => Ok(Some(n.text()?).filter(|t| !t.is_empty())),
                None => Ok(None),
            }
        };
        out.push(StepOut {
            kind,
            delay_days,
            title: field("subject")?,
            body: field("notes")?,
            pause: task.then(|| awaited.contains(&order)),
        });
    }
    Ok(out)
}

/// `delayMillis` in whole days, rounded up.
fn delay_days(step: &Node<'_>, id: &str, warnings: &mut Vec<String>) -> Result<u32, Problem> {
    let Some(node) = step.get("delayMillis") else {
        return Ok(0);
    };
    let ms = node.number()?;
    if ms < 0.0 {
        return Err(node.problem(format!("a delay cannot be negative, found `{ms}`")));
    }
    let days = (ms / DAY_MS).ceil();
    if days > f64::from(u32::MAX) {
        return Err(node.problem(format!(
            "a delay of more than {} days is too long",
            u32::MAX
        )));
    }
    if days * DAY_MS != ms {
        warnings.push(format!(
            "sequence `{id}` at `{}`: a delay of {} hours is rounded up to {days} day{}: sequences here wait whole days",
            node.path,
            ms / 3_600_000.0,
            if days == 1.0 { "" } else { "s" }
        ));
    }
    // INVARIANT: `days` is a whole number from 0 to u32::MAX (checked above).
    Ok(days as u32)
}
