//! The shape a flow must have for the CRM's v4 API to create it, as far
//! as export writes flows (`docs/crm.md`, "Export"): the required top-level
//! fields with their types, a disabled contact flow, event-based
//! enrollment whose branches and filters have their required fields, and
//! single-connection actions whose ids are unique, whose every reference
//! names an action, and which form one chain from `startActionId` that
//! reaches every action without a loop. [`problems`] lists what is wrong;
//! export checks its own output with it, and the tests check the bundled
//! examples.

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// What is wrong with `flow`, each with its JSON path; empty when nothing.
pub fn problems(flow: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut need = |path: &str, ok: bool, what: &str| {
        if !ok {
            out.push(format!("`{path}`: {what}"));
        }
    };
    let field = |key: &str| flow.get(key);
    need("", flow.is_object(), "a flow is an object");
    let is_str = |v: Option<&Value>, s: &str| v.and_then(Value::as_str) == Some(s);
    need(
        "type",
        is_str(field("type"), "CONTACT_FLOW"),
        "must be `CONTACT_FLOW`",
    );
    need(
        "objectTypeId",
        is_str(field("objectTypeId"), "0-1"),
        "must be `0-1`",
    );
    need(
        "flowType",
        is_str(field("flowType"), "WORKFLOW"),
        "must be `WORKFLOW`",
    );
    need(
        "isEnabled",
        field("isEnabled") == Some(&Value::Bool(false)),
        "must be `false`",
    );
    need(
        "canEnrollFromSalesforce",
        field("canEnrollFromSalesforce").is_some_and(Value::is_boolean),
        "must be a boolean",
    );
    need(
        "name",
        field("name")
            .and_then(Value::as_str)
            .is_some_and(|n| !n.is_empty()),
        "must be a non-empty string",
    );
    for key in ["timeWindows", "blockedDates", "dataSources", "actions"] {
        need(
            key,
            field(key).is_some_and(Value::is_array),
            "must be an array",
        );
    }
    need(
        "customProperties",
        field("customProperties").is_some_and(Value::is_object),
        "must be an object",
    );
    let suppress = field("suppressionListIds").and_then(Value::as_array);
    need(
        "suppressionListIds",
        suppress.is_some_and(|ids| ids.iter().all(Value::is_u64)),
        "must be an array of list ids (numbers)",
    );
    criteria(flow.get("enrollmentCriteria"), &mut out);
    actions(flow, &mut out);
    out
}

/// `enrollmentCriteria`: event-based, with well-formed branches.
fn criteria(c: Option<&Value>, out: &mut Vec<String>) {
    let Some(c) = c else {
        out.push("`enrollmentCriteria`: missing".into());
        return;
    };
    if c.get("type").and_then(Value::as_str) != Some("EVENT_BASED") {
        out.push("`enrollmentCriteria.type`: must be `EVENT_BASED`".into());
    }
    if !c.get("shouldReEnroll").is_some_and(Value::is_boolean) {
        out.push("`enrollmentCriteria.shouldReEnroll`: must be a boolean".into());
    }
    let events = c.get("eventFilterBranches").and_then(Value::as_array);
    let lists = c
        .get("listMembershipFilterBranches")
        .and_then(Value::as_array);
    let (Some(events), Some(lists)) = (events, lists) else {
        out.push("`enrollmentCriteria`: `eventFilterBranches` and `listMembershipFilterBranches` must be arrays".into());
        return;
    };
    if events.is_empty() && lists.is_empty() {
        out.push("`enrollmentCriteria`: no trigger".into());
    }
    for (i, b) in events.iter().enumerate() {
        let path = format!("enrollmentCriteria.eventFilterBranches[{i}]");
        if b.get("filterBranchType").and_then(Value::as_str) != Some("UNIFIED_EVENTS") {
            out.push(format!(
                "`{path}.filterBranchType`: must be `UNIFIED_EVENTS`"
            ));
        }
        if !b.get("eventTypeId").is_some_and(Value::is_string) {
            out.push(format!("`{path}.eventTypeId`: missing"));
        }
        if b.get("operator").and_then(Value::as_str) != Some("HAS_COMPLETED") {
            out.push(format!("`{path}.operator`: must be `HAS_COMPLETED`"));
        }
        branch(b, &path, out);
    }
    for (i, b) in lists.iter().enumerate() {
        branch(
            b,
            &format!("enrollmentCriteria.listMembershipFilterBranches[{i}]"),
            out,
        );
    }
    if let Some(r) = c.get("refinementCriteria") {
        branch(r, "enrollmentCriteria.refinementCriteria", out);
    }
}

/// A filter branch: its type, its filters and its branches.
fn branch(b: &Value, path: &str, out: &mut Vec<String>) {
    let kind = b.get("filterBranchType").and_then(Value::as_str);
    if !matches!(kind, Some("AND" | "OR" | "UNIFIED_EVENTS")) {
        out.push(format!(
            "`{path}.filterBranchType`: must be `AND`, `OR` or `UNIFIED_EVENTS`"
        ));
    }
    if !b.get("filterBranchOperator").is_some_and(Value::is_string) {
        out.push(format!("`{path}.filterBranchOperator`: missing"));
    }
    let (Some(filters), Some(branches)) = (
        b.get("filters").and_then(Value::as_array),
        b.get("filterBranches").and_then(Value::as_array),
    ) else {
        out.push(format!(
            "`{path}`: `filters` and `filterBranches` must be arrays"
        ));
        return;
    };
    for (i, f) in filters.iter().enumerate() {
        filter(f, &format!("{path}.filters[{i}]"), out);
    }
    for (i, inner) in branches.iter().enumerate() {
        branch(inner, &format!("{path}.filterBranches[{i}]"), out);
    }
}

/// A property or list filter.
fn filter(f: &Value, path: &str, out: &mut Vec<String>) {
    let text = |key: &str| {
        f.get(key)
            .and_then(Value::as_str)
            .is_some_and(|s| !s.is_empty())
    };
    match f.get("filterType").and_then(Value::as_str) {
        Some("PROPERTY") => {
            if !text("property") {
                out.push(format!("`{path}.property`: missing"));
            }
            let op = f.get("operation");
            let op_text = |key: &str| op.and_then(|o| o.get(key)).is_some_and(Value::is_string);
            if !op_text("operator") || !op_text("operationType") {
                out.push(format!(
                    "`{path}.operation`: needs `operator` and `operationType`"
                ));
            }
        }
        Some("IN_LIST") => {
            if !text("listId") || !text("operator") {
                out.push(format!(
                    "`{path}`: an `IN_LIST` filter needs `listId` and `operator`"
                ));
            }
        }
        _ => out.push(format!(
            "`{path}.filterType`: must be `PROPERTY` or `IN_LIST`"
        )),
    }
}

/// The actions: unique ids, the fields each kind needs, references that
/// resolve, and one chain from the start through every action.
fn actions(flow: &Value, out: &mut Vec<String>) {
    let Some(list) = flow.get("actions").and_then(Value::as_array) else {
        return;
    };
    let mut next: BTreeMap<&str, Option<&str>> = BTreeMap::new();
    for (i, a) in list.iter().enumerate() {
        let path = format!("actions[{i}]");
        let Some(id) = a.get("actionId").and_then(Value::as_str) else {
            out.push(format!("`{path}.actionId`: missing"));
            continue;
        };
        if a.get("type").and_then(Value::as_str) != Some("SINGLE_CONNECTION") {
            out.push(format!("`{path}.type`: must be `SINGLE_CONNECTION`"));
        }
        if !a.get("actionTypeId").is_some_and(Value::is_string) {
            out.push(format!("`{path}.actionTypeId`: missing"));
        }
        if !a.get("actionTypeVersion").is_some_and(Value::is_u64) {
            out.push(format!(
                "`{path}.actionTypeVersion`: must be a whole number"
            ));
        }
        let Some(fields) = a.get("fields").and_then(Value::as_object) else {
            out.push(format!("`{path}.fields`: must be an object"));
            continue;
        };
        if a.get("actionTypeId").and_then(Value::as_str) == Some(crate::crm::mapping::ACTION_ENROLL)
        {
            let sender = fields.get("senderType").and_then(Value::as_str);
            let ok = fields.get("sequenceId").is_some_and(Value::is_string)
                && match sender {
                    Some("CONTACT_OWNER") => fields
                        .get("contactOwnerProperty")
                        .is_some_and(Value::is_string),
                    Some("SPECIFIC_USER") => fields.get("userId").is_some_and(Value::is_string),
                    _ => false,
                };
            if !ok {
                out.push(format!(
                    "`{path}.fields`: an enrollment needs `sequenceId` and a sender"
                ));
            }
        }
        let to = match a.get("connection") {
            None => None,
            Some(c) => {
                if c.get("edgeType").and_then(Value::as_str) != Some("STANDARD") {
                    out.push(format!("`{path}.connection.edgeType`: must be `STANDARD`"));
                }
                match c.get("nextActionId").and_then(Value::as_str) {
                    Some(n) => Some(n),
                    None => {
                        out.push(format!("`{path}.connection.nextActionId`: missing"));
                        None
                    }
                }
            }
        };
        if next.insert(id, to).is_some() {
            out.push(format!("`{path}.actionId`: a second action with id `{id}`"));
        }
    }
    for (id, to) in &next {
        if let Some(to) = to
            && !next.contains_key(to)
        {
            out.push(format!(
                "action `{id}`: `nextActionId` `{to}` names no action"
            ));
        }
    }
    let start = flow.get("startActionId").and_then(Value::as_str);
    let mut seen = BTreeSet::new();
    let mut at = start;
    if start.is_none() {
        out.push("`startActionId`: missing".into());
    } else if !start.is_some_and(|s| next.contains_key(s)) {
        out.push("`startActionId`: names no action".into());
    }
    while let Some(id) = at {
        if !seen.insert(id) {
            out.push(format!("action `{id}`: the chain loops"));
            break;
        }
        at = next.get(id).copied().flatten();
    }
    for id in next.keys() {
        if !seen.contains(id) {
            out.push(format!("action `{id}`: not reached from the start action"));
        }
    }
    let highest = next
        .keys()
        .filter_map(|id| id.parse::<u64>().ok())
        .max()
        .unwrap_or(0);
    let available = flow
        .get("nextAvailableActionId")
        .and_then(Value::as_str)
        .and_then(|n| n.parse::<u64>().ok());
    if available.is_none_or(|n| n <= highest) {
        out.push("`nextAvailableActionId`: must be a number above every action id".into());
    }
}
