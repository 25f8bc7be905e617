//! Flow JSON to scripts (`wf import hubspot`, `docs/crm.md`).
//!
//! [`flows`] finds the flows of a document (one flow, an array, or a list
//! response with `results`); [`Importer::flow`] turns one into a formatted
//! script: a `workflow` block with `reenroll` and `suppress list` from the
//! flow's settings, the flow's triggers (`triggers.rs` of this module) and
//! one rule per path through the action graph, from `startActionId`, whose
//! if/then branches become conditions. Everything a script cannot say is a
//! [`Warning`] naming the flow and the action; a document that is not flow
//! JSON, a flow of another object type, an action id that names no action
//! or actions that loop are [`Problem`]s at their JSON path.

mod filters;
mod triggers;

use crate::account::Account;
use crate::crm::ids::{self, Kind};
use crate::crm::json::{Node, Problem};
use crate::crm::mapping;
use crate::source::FileId;
use filters::{Cond, quote};
use std::collections::{BTreeMap, BTreeSet};

/// The most paths through one flow's branches that become rules.
const MAX_PATHS: usize = 256;
/// The most branch actions one path may pass.
const MAX_DEPTH: usize = 512;

/// Something of a flow that no script can say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The flow's id.
    pub flow: String,
    /// The action's id, when the warning is about an action.
    pub action: Option<String>,
    /// What was not imported and why.
    pub message: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.action {
            Some(a) => write!(f, "flow {}, action {a}: {}", self.flow, self.message),
            None => write!(f, "flow {}: {}", self.flow, self.message),
        }
    }
}

/// One flow as a script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Script {
    /// The flow's name (the workflow block's name).
    pub name: String,
    /// The flow's id.
    pub id: String,
    /// The script without its header comment, formatted.
    pub body: String,
    /// The script as written: the header comment naming the flow, then the
    /// body, formatted as `wf fmt` prints it.
    pub text: String,
    /// How many rules it has.
    pub rules: usize,
}

/// The flows of a document: one flow object, an array of flows, or a list
/// response whose `results` holds them.
pub fn flows<'a>(root: &Node<'a>) -> Result<Vec<Node<'a>>, Problem> {
    match root.value {
        serde_json::Value::Array(_) => root.array(),
        serde_json::Value::Object(map) if map.contains_key("results") => {
            root.req("results")?.array()
        }
        serde_json::Value::Object(_) => Ok(vec![root.clone()]),
        _ => Err(root.problem(format!(
            "not flow JSON: {}",
            root.expected("a flow object, an array of flows or a list response with `results`")
                .message
        ))),
    }
}

/// Imports flows against an account, collecting warnings.
pub struct Importer<'a> {
    account: &'a Account,
    /// Warnings so far, in the order found.
    pub warnings: Vec<Warning>,
    /// The flow being imported.
    flow_id: String,
    /// Actions already warned about in this flow (a GOTO rejoins paths).
    warned: BTreeSet<(String, String)>,
    /// The action being read, named by the warnings about its ids.
    action: Option<String>,
}

/// One path through the actions: its condition and its actions.
struct Path {
    conds: Vec<Cond>,
    actions: Vec<String>,
}

impl<'a> Importer<'a> {
    /// An importer translating ids through `account`.
    pub fn new(account: &'a Account) -> Self {
        Importer {
            account,
            warnings: Vec::new(),
            flow_id: String::new(),
            warned: BTreeSet::new(),
            action: None,
        }
    }

    /// A warning about the current flow (once per action and message).
    fn warn(&mut self, action: Option<&str>, message: String) {
        let key = (action.unwrap_or("").to_owned(), message.clone());
        if self.warned.insert(key) {
            self.warnings.push(Warning {
                flow: self.flow_id.clone(),
                action: action.map(str::to_owned),
                message,
            });
        }
    }

    /// The account's name for a CRM id, or `crm:<id>` with a warning.
    fn name(&mut self, kind: Kind, id: &str) -> String {
        match ids::name_of(self.account, kind, id) {
            Some(name) => name,
            None => {
                let action = self.action.clone();
                self.warn(
                    action.as_deref(),
                    format!(
                        "no {} in the account has CRM id `{id}` ({}); the script names it `{}{id}`",
                        kind.word(),
                        kind.field(),
                        ids::UNMAPPED
                    ),
                );
                format!("{}{id}", ids::UNMAPPED)
            }
        }
    }

    /// Imports one flow. `Ok(None)` when nothing of it can be a rule (it
    /// has a warning saying so).
    pub fn flow(&mut self, flow: &Node<'_>) -> Result<Option<Script>, Problem> {
        if !flow.value.is_object() {
            return Err(flow.problem(format!(
                "not flow JSON: {}",
                flow.expected("a flow object").message
            )));
        }
        if flow.get("actions").is_none() && flow.get("enrollmentCriteria").is_none() {
            return Err(
                flow.problem("not flow JSON: a flow has `actions` and `enrollmentCriteria`")
            );
        }
        self.flow_id = match flow.get("id") {
            Some(id) => id.text()?,
            None => "(no id)".to_owned(),
        };
        self.warned.clear();
        if let Some(t) = flow.get("objectTypeId") {
            let t = t.text()?;
            if t != "0-1" {
                return Err(flow.req("objectTypeId")?.problem(format!(
                    "a flow of object type `{t}`: only contact flows (`0-1`) can be imported"
                )));
            }
        }
        if let Some(t) = flow.get("type") {
            let t = t.text()?;
            if t != "CONTACT_FLOW" {
                return Err(flow.req("type")?.problem(format!(
                    "a flow of type `{t}`: only contact flows (`CONTACT_FLOW`) can be imported"
                )));
            }
        }
        let name = match flow.get("name") {
            Some(n) => n.text()?,
            None => format!("flow {}", self.flow_id),
        };
        self.flow_settings(flow)?;
        let criteria = flow.get("enrollmentCriteria");
        let (reenroll, triggers, refinement) = match &criteria {
            Some(c) => self.criteria(c)?,
            None => {
                self.warn(None, "the flow has no enrollment criteria".into());
                (false, Vec::new(), None)
            }
        };
        let mut suppress = Vec::new();
        for id in flow.array_field("suppressionListIds")? {
            let id = id.text()?;
            suppress.push(self.name(Kind::List, &id));
        }
        let paths = self.paths(flow)?;
        let mut rules = Vec::new();
        let shared = triggers.iter().all(|(_, c)| c.is_none());
        for path in &paths {
            let mut conds: Vec<Cond> = refinement.iter().cloned().collect();
            conds.extend(path.conds.iter().cloned());
            let actions = path.actions.join(", ");
            if shared && !triggers.is_empty() {
                let when: Vec<&str> = triggers.iter().map(|(t, _)| t.as_str()).collect();
                rules.push(rule(&when.join(" or "), Cond::all(conds.clone()), &actions));
            } else {
                for (t, own) in &triggers {
                    let mut all = own.iter().cloned().collect::<Vec<_>>();
                    all.extend(conds.iter().cloned());
                    rules.push(rule(t, Cond::all(all), &actions));
                }
            }
        }
        if rules.is_empty() {
            let why = if triggers.is_empty() {
                "no trigger a script can say"
            } else {
                "no sequence enrollment or unenrollment reachable from the start action"
            };
            self.warn(None, format!("nothing imported: the flow has {why}"));
            return Ok(None);
        }
        let mut body = format!("workflow {} {{\n", quote(&name));
        if reenroll {
            body.push_str("reenroll\n");
        }
        for list in &suppress {
            body.push_str(&format!("suppress list {}\n", quote(list)));
        }
        for r in &rules {
            body.push_str(r);
            body.push('\n');
        }
        body.push_str("}\n");
        // A flow written by `wf export` has no id or revision until the
        // CRM creates it.
        let origin = match (flow.get("id"), flow.get("revisionId")) {
            (Some(_), Some(r)) => format!(", id {}, revision {}", self.flow_id, r.text()?),
            (Some(_), None) => format!(", id {}", self.flow_id),
            (None, _) => " (not created in the CRM yet: no id)".to_owned(),
        };
        let header = format!("# Imported from the CRM: flow {}{origin}.\n", quote(&name));
        let format = |text: &str| {
            crate::format::format_source(FileId::default(), text).map_err(|d| {
                flow.problem(format!(
                    "the flow makes a script that does not parse ({}): please report it",
                    d.message
                ))
            })
        };
        Ok(Some(Script {
            name,
            id: self.flow_id.clone(),
            body: format(&body)?,
            text: format(&format!("{header}{body}"))?,
            rules: rules.len(),
        }))
    }

    /// Warnings for the flow-level settings no script has.
    fn flow_settings(&mut self, flow: &Node<'_>) -> Result<(), Problem> {
        for (key, what) in [
            ("timeWindows", "time windows"),
            ("blockedDates", "blocked dates"),
        ] {
            if !flow.array_field(key)?.is_empty() {
                self.warn(
                    None,
                    format!("its {what} are not imported: a script enrolls at any time"),
                );
            }
        }
        for (key, what) in [
            ("goalFilterBranch", "goal criteria"),
            ("enrollmentSchedule", "enrollment schedule"),
            ("eventAnchor", "event anchor"),
        ] {
            if flow.get(key).is_some() {
                self.warn(None, format!("its {what} is not imported"));
            }
        }
        if let Some(u) = flow.get("unEnrollmentSetting") {
            let kind = u.get("type").map(|t| t.text()).transpose()?;
            let others = u.array_field("flowIds")?;
            if kind.as_deref() == Some("ALL") || !others.is_empty() {
                self.warn(
                    None,
                    "its unenrollment from other flows is not imported".into(),
                );
            }
        }
        Ok(())
    }

    /// Re-enrollment, the triggers (each with a condition of its own, if
    /// any) and the refinement condition.
    #[allow(clippy::type_complexity)]
    fn criteria(
        &mut self,
        c: &Node<'_>,
    ) -> Result<(bool, Vec<(String, Option<Cond>)>, Option<Cond>), Problem> {
        let reenroll = match c.get("shouldReEnroll") {
            Some(b) => b.boolean()?,
            None => false,
        };
        let kind = c.text_field("type")?;
        let mut triggers = Vec::new();
        let mut refinement = None;
        match kind.as_str() {
            "EVENT_BASED" => {
                for b in c.array_field("eventFilterBranches")? {
                    triggers.extend(self.event_branch(&b)?);
                }
                for b in c.array_field("listMembershipFilterBranches")? {
                    triggers.extend(self.list_branch(&b)?);
                }
                if let Some(r) = c.get("refinementCriteria") {
                    match self.tree(&r, true)? {
                        Ok(cond) => refinement = Some(cond),
                        Err(why) => self.warn(
                            None,
                            format!("its refinement criteria are not imported: {why} (at `{}`)", r.path),
                        ),
                    }
                }
            }
            "LIST_BASED" => self.warn(
                None,
                "list-based enrollment (contacts that come to meet criteria) has no trigger in a script; its criteria are not imported".into(),
            ),
            "MANUAL" => self.warn(None, "manual enrollment has no trigger in a script".into()),
            other => self.warn(None, format!("enrollment criteria of type `{other}` are not imported")),
        }
        Ok((reenroll, triggers, refinement))
    }

    /// Every path from the start action, in order (branches in the order
    /// written, the default last).
    fn paths(&mut self, flow: &Node<'_>) -> Result<Vec<Path>, Problem> {
        let mut actions: BTreeMap<String, Node<'_>> = BTreeMap::new();
        for a in flow.array_field("actions")? {
            let id = a.text_field("actionId")?;
            if actions.insert(id.clone(), a.clone()).is_some() {
                return Err(a
                    .req("actionId")?
                    .problem(format!("a second action with id `{id}`")));
            }
        }
        let Some(start) = flow.get("startActionId") else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        let mut walk = Walk {
            actions: &actions,
            on_path: Vec::new(),
        };
        self.walk(
            &mut walk,
            &start,
            Path {
                conds: Vec::new(),
                actions: Vec::new(),
            },
            &mut out,
        )?;
        Ok(out)
    }

    /// Follows one path from the action that `at` names, pushing the
    /// finished paths to `out`.
    fn walk(
        &mut self,
        walk: &mut Walk<'_, '_>,
        at: &Node<'_>,
        mut path: Path,
        out: &mut Vec<Path>,
    ) -> Result<(), Problem> {
        let depth = walk.on_path.len();
        let mut next = Some(at.clone());
        while let Some(reference) = next.take() {
            let id = reference.text()?;
            let Some(action) = walk.actions.get(&id).cloned() else {
                return Err(reference.problem(format!("no action has id `{id}`")));
            };
            if walk.on_path.contains(&id) {
                return Err(reference.problem(format!(
                    "the actions loop: action `{id}` leads back to itself"
                )));
            }
            if walk.on_path.len() >= MAX_DEPTH {
                return Err(reference.problem(format!("more than {MAX_DEPTH} actions in a row")));
            }
            walk.on_path.push(id.clone());
            let kind = action.get("type").map(|t| t.text()).transpose()?;
            match kind.as_deref() {
                Some("LIST_BRANCH") => {
                    self.list_branches(walk, &action, &id, path, out)?;
                    walk.on_path.truncate(depth);
                    return Ok(());
                }
                Some("STATIC_BRANCH") if action.array_field("staticBranches")?.is_empty() => {
                    next = default_target(&action);
                }
                Some(k @ ("STATIC_BRANCH" | "AB_TEST_BRANCH")) => {
                    self.warn(
                        Some(&id),
                        format!("a branch of type `{k}` cannot be said in a script; the actions after it are not imported"),
                    );
                }
                _ => {
                    self.single(&action, &id, &mut path)?;
                    next = action.get("connection").and_then(|c| c.get("nextActionId"));
                }
            }
        }
        walk.on_path.truncate(depth);
        if !path.actions.is_empty() {
            if out.len() >= MAX_PATHS {
                self.warn(
                    None,
                    format!("only the first {MAX_PATHS} paths through its branches are imported"),
                );
            } else {
                out.push(path);
            }
        }
        Ok(())
    }

    /// An if/then branch: each branch's path gets its condition and that
    /// no earlier branch matched; the default gets that none matched.
    fn list_branches(
        &mut self,
        walk: &mut Walk<'_, '_>,
        action: &Node<'_>,
        id: &str,
        path: Path,
        out: &mut Vec<Path>,
    ) -> Result<(), Problem> {
        let mut conds = Vec::new();
        let branches = action.array_field("listBranches")?;
        for b in &branches {
            let said = match b.get("filterBranch") {
                Some(tree) => self.tree(&tree, false)?,
                None => Err("a branch without criteria".to_owned()),
            };
            match said {
                Ok(c) => conds.push(c),
                Err(why) => {
                    self.warn(
                        Some(id),
                        format!("an if/then branch cannot be said in a script ({why}); the actions after it are not imported"),
                    );
                    return self.finish(path, out);
                }
            }
        }
        let targets = branches
            .iter()
            .map(|b| b.get("connection").and_then(|c| c.get("nextActionId")))
            .chain(std::iter::once(default_target(action)));
        for (i, target) in targets.enumerate() {
            let mut branch = Path {
                conds: path.conds.clone(),
                actions: path.actions.clone(),
            };
            branch
                .conds
                .extend(conds.iter().take(i).map(|c| Cond::Not(Box::new(c.clone()))));
            if let Some(c) = conds.get(i) {
                branch.conds.push(c.clone());
            }
            match target {
                Some(t) => self.walk(walk, &t, branch, out)?,
                None => self.finish(branch, out)?,
            }
        }
        Ok(())
    }

    /// Ends a path here.
    fn finish(&mut self, path: Path, out: &mut Vec<Path>) -> Result<(), Problem> {
        if !path.actions.is_empty() && out.len() < MAX_PATHS {
            out.push(path);
        }
        Ok(())
    }

    /// An action with one way on: enroll and unenroll become actions,
    /// everything else a warning.
    fn single(&mut self, action: &Node<'_>, id: &str, path: &mut Path) -> Result<(), Problem> {
        self.action = Some(id.to_owned());
        let result = self.single_action(action, id, path);
        self.action = None;
        result
    }

    /// [`Importer::single`], with the action's id set for warnings.
    fn single_action(
        &mut self,
        action: &Node<'_>,
        id: &str,
        path: &mut Path,
    ) -> Result<(), Problem> {
        let Some(type_id) = action.get("actionTypeId") else {
            let kind = action.get("type").map(|t| t.text()).transpose()?;
            self.warn(
                Some(id),
                format!(
                    "a `{}` action cannot be said in a script; skipped",
                    kind.as_deref().unwrap_or("untyped")
                ),
            );
            return Ok(());
        };
        let type_id = type_id.text()?;
        let empty = serde_json::Value::Object(serde_json::Map::new());
        let fields = action.get("fields").unwrap_or(Node {
            value: &empty,
            path: format!("{}.fields", action.path),
        });
        match type_id.as_str() {
            mapping::ACTION_ENROLL => {
                let seq_id = fields.text_field("sequenceId")?;
                let sequence = self.name(Kind::Sequence, &seq_id);
                let sender_type = fields.get("senderType").map(|s| s.text()).transpose()?;
                let sender = match (fields.get("userId"), sender_type.as_deref()) {
                    (Some(user), _) => {
                        let user = user.text()?;
                        format!("user {}", quote(&self.name(Kind::User, &user)))
                    }
                    (None, None | Some("CONTACT_OWNER")) => {
                        if let Some(p) = fields.get("contactOwnerProperty") {
                            let p = p.text()?;
                            if p != mapping::OWNER_PROPERTY {
                                self.warn(Some(id), format!("the sender is the owner in `{p}`; the script sends from the contact owner"));
                            }
                        }
                        "owner".to_owned()
                    }
                    (None, Some(other)) => {
                        self.warn(Some(id), format!("sender type `{other}` without a `userId` cannot be said in a script; the enrollment is skipped"));
                        return Ok(());
                    }
                };
                let via = match fields.get("senderEmail") {
                    Some(v) => format!(" via {}", quote(&v.text()?)),
                    None => String::new(),
                };
                path.actions
                    .push(format!("enroll in {} from {sender}{via}", quote(&sequence)));
            }
            mapping::ACTION_UNENROLL => match fields.get("sequenceId") {
                Some(s) => {
                    let s = s.text()?;
                    let name = self.name(Kind::Sequence, &s);
                    path.actions.push(format!("unenroll from {}", quote(&name)));
                }
                None => path.actions.push("unenroll".to_owned()),
            },
            mapping::ACTION_DELAY => {
                let delta = fields
                    .get("delta")
                    .map(|d| d.text())
                    .transpose()?
                    .unwrap_or_default();
                let unit = fields
                    .get("time_unit")
                    .map(|d| d.text())
                    .transpose()?
                    .unwrap_or_default();
                self.warn(
                    Some(id),
                    format!("a delay of {delta} {} cannot be said in a script; the actions after it are imported without it", unit.to_lowercase()),
                );
            }
            other => self.warn(
                Some(id),
                format!(
                    "{} cannot be said in a script; skipped",
                    mapping::action_name(other)
                ),
            ),
        }
        Ok(())
    }
}

/// The actions of a flow by id, and the ids on the current path (a path
/// that reaches one of them again loops).
struct Walk<'n, 'a> {
    actions: &'n BTreeMap<String, Node<'a>>,
    on_path: Vec<String>,
}

/// One rule's text.
fn rule(when: &str, cond: Option<Cond>, actions: &str) -> String {
    match cond {
        Some(c) => format!("when {when} if {} then {actions}", c.text()),
        None => format!("when {when} then {actions}"),
    }
}

/// Where a branch action's default branch leads: `defaultBranch` is a
/// connection (some exports wrap it in `connection`).
fn default_target<'a>(action: &Node<'a>) -> Option<Node<'a>> {
    let d = action.get("defaultBranch")?;
    d.get("nextActionId")
        .or_else(|| d.get("connection").and_then(|c| c.get("nextActionId")))
}
