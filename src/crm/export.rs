//! Scripts to flow JSON (`wf export`, `docs/crm.md`, "Export").
//!
//! [`program`] turns each `workflow` block of a parsed script, and the
//! script's top-level rules together, into one flow the CRM's v4 API
//! accepts on create: a contact flow, disabled, enrolling on events with
//! one filter branch per trigger, the rule's condition as refinement
//! criteria (`criteria.rs` of this module) and its actions chained from the
//! start action. Names become CRM ids through the account. Everything with
//! no flow form is an [`Unexportable`] at its span; a script with any of
//! them gives no flow at all.

mod criteria;

use crate::account::Account;
use crate::crm::ids::{self, Kind};
use crate::crm::mapping;
use crate::span::Span;
use crate::syntax::ast::{Action, Item, Rule, Sender, Setting, Str, Trigger, Workflow};
use crate::value::Value;
use serde_json::{Value as Json, json};

/// Something of a script that has no flow form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unexportable {
    /// Where it is written.
    pub span: Span,
    /// What cannot be exported and why: lowercase, no final period.
    pub message: String,
}

/// One flow: its name and the JSON to create it with.
#[derive(Debug, Clone, PartialEq)]
pub struct Flow {
    /// The flow's name (the block's name, or the script's for its
    /// top-level rules).
    pub name: String,
    /// The flow JSON.
    pub json: Json,
}

/// The flows of a script: one per `workflow` block, in file order, then one
/// named `script_name` for the top-level rules, if any. Every construct
/// with no flow form is reported, in file order.
pub fn program(
    program: &crate::syntax::Program,
    script_name: &str,
    account: &Account,
) -> Result<Vec<Flow>, Vec<Unexportable>> {
    let mut exporter = Exporter {
        account,
        problems: Vec::new(),
    };
    let mut flows = Vec::new();
    let mut top = Vec::new();
    for item in &program.items {
        match item {
            Item::Workflow(w) => flows.push(exporter.workflow(w)),
            Item::Rule(r) => top.push(r),
        }
    }
    if let Some(first) = top.first() {
        let name = script_name.to_owned();
        flows.push(exporter.flow(name, first.span, &[], &top));
    }
    let mut problems = exporter.problems;
    if problems.is_empty() {
        Ok(flows.into_iter().flatten().collect())
    } else {
        problems.sort_by_key(|p| (p.span.start, p.span.end));
        Err(problems)
    }
}

/// Builds flows, collecting what cannot be exported.
struct Exporter<'a> {
    account: &'a Account,
    problems: Vec<Unexportable>,
}

impl Exporter<'_> {
    /// Records a construct with no flow form.
    fn fail(&mut self, span: Span, message: impl Into<String>) {
        self.problems.push(Unexportable {
            span,
            message: message.into(),
        });
    }

    /// The CRM id of `name`, or a problem at its span.
    fn id(&mut self, kind: Kind, name: &Str) -> String {
        match ids::id_of(self.account, kind, &name.value) {
            Some(id) => id,
            None => {
                let what = match kind {
                    Kind::User | Kind::Owner => "user",
                    other => other.word(),
                };
                self.fail(
                    name.span,
                    format!(
                        "{what} `{}` has no CRM id: give it one in the account ({}), or name it `{}<id>`",
                        name.value,
                        kind.field(),
                        ids::UNMAPPED
                    ),
                );
                String::new()
            }
        }
    }

    fn workflow(&mut self, w: &Workflow) -> Option<Flow> {
        let rules: Vec<&Rule> = w.rules.iter().collect();
        self.flow(w.name.value.clone(), w.span, &w.settings, &rules)
    }

    /// One flow from settings and rules; `None` when something could not
    /// be exported (and was reported).
    fn flow(
        &mut self,
        name: String,
        span: Span,
        settings: &[Setting],
        rules: &[&Rule],
    ) -> Option<Flow> {
        let before = self.problems.len();
        for extra in rules.iter().skip(1) {
            self.fail(
                extra.span,
                "a flow has one set of triggers and one chain of actions: a second rule in the same flow cannot be exported; put it in a workflow block of its own",
            );
        }
        let Some(rule) = rules.first() else {
            self.fail(span, "a flow needs a rule");
            return None;
        };
        let mut reenroll = false;
        let mut suppress = Vec::new();
        for s in settings {
            match s {
                Setting::Reenroll { .. } => reenroll = true,
                Setting::Suppress { list, .. } => {
                    let id = self.id(Kind::List, list);
                    match id.parse::<u64>() {
                        Ok(n) => suppress.push(Json::from(n)),
                        Err(_) if id.is_empty() => {}
                        Err(_) => self.fail(
                            list.span,
                            format!("list `{}` has CRM id `{id}`: the CRM's suppression lists are numbers", list.value),
                        ),
                    }
                }
            }
        }
        let mut events = Vec::new();
        let mut lists = Vec::new();
        for t in &rule.triggers {
            match self.trigger(t) {
                Some(Branch::Event(b)) => events.push(b),
                Some(Branch::List(b)) => lists.push(b),
                None => {}
            }
        }
        let mut criteria = json!({
            "type": "EVENT_BASED",
            "shouldReEnroll": reenroll,
            "eventFilterBranches": events,
            "listMembershipFilterBranches": lists,
        });
        if let Some(cond) = &rule.condition
            && let Some(refinement) = self.refinement(cond)
            && let Some(map) = criteria.as_object_mut()
        {
            map.insert("refinementCriteria".to_owned(), refinement);
        }
        let actions = self.actions(&rule.actions);
        if self.problems.len() > before {
            return None;
        }
        let next_id = actions.len() + 1;
        Some(Flow {
            json: json!({
                "type": "CONTACT_FLOW",
                "objectTypeId": "0-1",
                "flowType": "WORKFLOW",
                "name": name,
                "isEnabled": false,
                "startActionId": "1",
                "nextAvailableActionId": next_id.to_string(),
                "enrollmentCriteria": criteria,
                "actions": actions,
                "suppressionListIds": suppress,
                "timeWindows": [],
                "blockedDates": [],
                "customProperties": {},
                "dataSources": [],
                "canEnrollFromSalesforce": false,
            }),
            name,
        })
    }

    /// A trigger as an event branch or a list-membership branch.
    fn trigger(&mut self, t: &Trigger) -> Option<Branch> {
        let name = t.name.name.as_str();
        let positional: Vec<&Value> = t
            .args
            .iter()
            .filter(|a| a.name.is_none())
            .map(|a| &a.value.value)
            .collect();
        let named: Vec<(&str, &Value)> = t
            .args
            .iter()
            .filter_map(|a| a.name.as_ref().map(|n| (n.name.as_str(), &a.value.value)))
            .collect();
        let first_span = t
            .args
            .iter()
            .find(|a| a.name.is_none())
            .map_or(t.span, |a| a.value.span);
        let event = |id: &str, filters: Vec<Json>| {
            Some(Branch::Event(json!({
                "filterBranchType": "UNIFIED_EVENTS",
                "filterBranchOperator": "AND",
                "eventTypeId": id,
                "operator": "HAS_COMPLETED",
                "filterBranches": [],
                "filters": filters,
            })))
        };
        match (name, positional.as_slice(), named.as_slice()) {
            ("form_submitted", [], []) => event(mapping::EVENT_FORM, Vec::new()),
            ("form_submitted", [Value::Text(form)], []) => {
                let form = Str {
                    value: form.to_string(),
                    span: first_span,
                };
                let id = self.id(Kind::Form, &form);
                event(
                    mapping::EVENT_FORM,
                    vec![criteria::filter(
                        "hs_form_id",
                        "ENUMERATION",
                        "IS_ANY_OF",
                        Some(("values", json!([id]))),
                    )],
                )
            }
            ("property_changed", [Value::Text(p)], named) => {
                let crm = mapping::property_to_crm(p);
                let mut filters = vec![criteria::filter(
                    "hs_name",
                    "STRING",
                    "IS_EQUAL_TO",
                    Some(("value", json!(crm))),
                )];
                match named {
                    [] => {}
                    [("to", v)] => {
                        let span = t
                            .args
                            .iter()
                            .find(|a| a.name.is_some())
                            .map_or(t.span, |a| a.value.span);
                        filters.push(self.new_value(span, p, v)?);
                    }
                    _ => {
                        self.fail(
                            t.span,
                            "a property change is exported with at most a `to:` argument",
                        );
                        return None;
                    }
                }
                event(mapping::EVENT_PROPERTY, filters)
            }
            ("list_added", [Value::Text(list)], []) => {
                let list = Str {
                    value: list.to_string(),
                    span: first_span,
                };
                let id = self.id(Kind::List, &list);
                Some(Branch::List(json!({
                    "filterBranchType": "AND",
                    "filterBranchOperator": "AND",
                    "filterBranches": [],
                    "filters": [{"filterType": "IN_LIST", "listId": id, "operator": "IN_LIST"}],
                })))
            }
            (plain, [], []) => match mapping::PLAIN_EVENTS.iter().find(|(_, n)| *n == plain) {
                Some((id, _)) => event(id, Vec::new()),
                None => {
                    self.fail(
                        t.span,
                        format!("the trigger `{plain}` has no event in the CRM's flows"),
                    );
                    None
                }
            },
            _ => {
                let known = ["form_submitted", "property_changed", "list_added"].contains(&name)
                    || mapping::PLAIN_EVENTS.iter().any(|(_, n)| *n == name);
                if known {
                    self.fail(
                        t.span,
                        format!("these arguments of `{name}` have no form in the CRM's flows"),
                    );
                } else {
                    self.fail(
                        t.span,
                        format!("the trigger `{name}` has no event in the CRM's flows"),
                    );
                }
                None
            }
        }
    }

    /// The `hs_value` filter of `property_changed(p, to: v)`.
    fn new_value(&mut self, span: Span, property: &str, v: &Value) -> Option<Json> {
        let filter = match v {
            Value::Text(s) if property == "owner" => {
                let user = Str {
                    value: s.to_string(),
                    span,
                };
                let id = self.id(Kind::Owner, &user);
                criteria::filter(
                    "hs_value",
                    "ENUMERATION",
                    "IS_ANY_OF",
                    Some(("values", json!([id]))),
                )
            }
            Value::Text(s) => criteria::filter(
                "hs_value",
                "ENUMERATION",
                "IS_ANY_OF",
                Some(("values", json!([s]))),
            ),
            Value::Number(n) => {
                let n = criteria::number(*n).or_else(|| {
                    self.fail(span, "the number is too large for the CRM");
                    None
                })?;
                criteria::filter("hs_value", "NUMBER", "IS_EQUAL_TO", Some(("value", n)))
            }
            Value::Bool(b) => {
                criteria::filter("hs_value", "BOOL", "IS_EQUAL_TO", Some(("value", json!(b))))
            }
        };
        Some(filter)
    }

    /// The actions, chained from action `"1"`.
    fn actions(&mut self, actions: &[Action]) -> Vec<Json> {
        let count = actions.len();
        let mut out = Vec::with_capacity(count);
        for (i, a) in actions.iter().enumerate() {
            let (type_id, fields) = match a {
                Action::Enroll {
                    sequence,
                    sender,
                    via,
                    ..
                } => {
                    let mut fields = serde_json::Map::new();
                    fields.insert(
                        "sequenceId".into(),
                        json!(self.id(Kind::Sequence, sequence)),
                    );
                    match sender {
                        Sender::Owner { .. } => {
                            fields.insert("senderType".into(), json!("CONTACT_OWNER"));
                            fields.insert(
                                "contactOwnerProperty".into(),
                                json!(mapping::OWNER_PROPERTY),
                            );
                        }
                        Sender::User { email, .. } => {
                            fields.insert("senderType".into(), json!("SPECIFIC_USER"));
                            fields.insert("userId".into(), json!(self.id(Kind::User, email)));
                        }
                    }
                    if let Some(via) = via {
                        fields.insert("senderEmail".into(), json!(via.value));
                    }
                    (mapping::ACTION_ENROLL, Json::Object(fields))
                }
                Action::Unenroll { sequence, .. } => {
                    let mut fields = serde_json::Map::new();
                    if let Some(s) = sequence {
                        fields.insert("sequenceId".into(), json!(self.id(Kind::Sequence, s)));
                    }
                    (mapping::ACTION_UNENROLL, Json::Object(fields))
                }
            };
            let mut action = json!({
                "actionId": (i + 1).to_string(),
                "type": "SINGLE_CONNECTION",
                "actionTypeId": type_id,
                "actionTypeVersion": 0,
                "fields": fields,
            });
            if i + 1 < count
                && let Some(map) = action.as_object_mut()
            {
                map.insert(
                    "connection".into(),
                    json!({"edgeType": "STANDARD", "nextActionId": (i + 2).to_string()}),
                );
            }
            out.push(action);
        }
        out
    }
}

/// An enrollment trigger's place in `enrollmentCriteria`.
enum Branch {
    /// An element of `eventFilterBranches`.
    Event(Json),
    /// An element of `listMembershipFilterBranches`.
    List(Json),
}
