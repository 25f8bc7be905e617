//! Questions about whole rules and whole programs: E0501 (two workflows
//! with one name), W0301 (freshly imported contacts), W0302 (large lists),
//! W0303 (non-personalized criteria) and W0401 (competing enrollments).
//!
//! W0301–W0303 and W0401 concern rules that enroll: a rule with only
//! `unenroll` actions is never warned about. W0401 looks at every file and
//! every block, in program order.

use super::Cx;
use crate::diagnostic::{Code, Diagnostic};
use crate::source::FileId;
use crate::span::Span;
use crate::syntax::Program;
use crate::syntax::ast::{Action, Item, Rule, Trigger};
use crate::value::Value;
use std::collections::{BTreeMap, HashMap};

/// The triggers W0303 calls non-personalized.
const NON_PERSONAL: &[&str] = &[
    "property_changed",
    "list_added",
    "list_removed",
    "contact_created",
];

/// Lists with this many members or more are too large to enroll (W0302).
pub(crate) const LARGE_LIST: usize = 100;

/// The sequences a rule enrolls into, in order.
fn enrolls(rule: &Rule) -> Vec<&str> {
    rule.actions
        .iter()
        .filter_map(|a| match a {
            Action::Enroll { sequence, .. } => Some(sequence.value.as_str()),
            Action::Unenroll { .. } => None,
        })
        .collect()
}

/// The positional argument of a trigger, if it is a string.
fn positional(t: &Trigger) -> Option<&str> {
    match t
        .args
        .iter()
        .find(|a| a.name.is_none())
        .map(|a| &a.value.value)
    {
        Some(Value::Text(s)) => Some(s),
        _ => None,
    }
}

/// A named string argument of a trigger.
fn named<'t>(t: &'t Trigger, name: &str) -> Option<&'t str> {
    t.args
        .iter()
        .find(|a| a.name.as_ref().is_some_and(|n| n.name == name))
        .and_then(|a| match &a.value.value {
            Value::Text(s) => Some(s.as_str()),
            _ => None,
        })
}

/// W0301, W0302 and W0303 for one rule.
pub(crate) fn rule(cx: &mut Cx<'_>, rule: &Rule) {
    if enrolls(rule).is_empty() {
        return;
    }
    for t in &rule.triggers {
        match t.name.name.as_str() {
            "contact_created" if named(t, "source") == Some("import") => {
                cx.report(imported(cx.file, t.span, "contacts created by an import"));
            }
            "list_added" => {
                let Some(list) = positional(t).and_then(|l| cx.account.list(l)) else {
                    continue;
                };
                if list.source.as_deref() == Some("import") {
                    cx.report(imported(
                        cx.file,
                        t.span,
                        &format!("list `{}` comes from an import", list.name),
                    ));
                }
                if list.members.len() >= LARGE_LIST {
                    cx.report(
                        Diagnostic::new(
                            Code::W0302,
                            cx.file,
                            t.span,
                            format!(
                                "list `{}` has {} members: enrolling a list of {LARGE_LIST} or more contacts",
                                list.name,
                                list.members.len()
                            ),
                        )
                        .with_help("sequences are for one-to-one selling: use a marketing email for a list this size"),
                    );
                }
            }
            _ => {}
        }
    }
    let all_non_personal = rule
        .triggers
        .iter()
        .all(|t| NON_PERSONAL.contains(&t.name.name.as_str()));
    if all_non_personal
        && let (Some(first), Some(last)) = (rule.triggers.first(), rule.triggers.last())
    {
        cx.report(
            Diagnostic::new(
                Code::W0303,
                cx.file,
                first.span.to(last.span),
                "enrolls on non-personalized criteria: every trigger is a change in data, not something the contact did",
            )
            .with_help("enroll on something the contact did: a form, a meeting outcome, a deal stage"),
        );
    }
}

fn imported(file: FileId, span: Span, what: &str) -> Diagnostic {
    Diagnostic::new(
        Code::W0301,
        file,
        span,
        format!("enrolls freshly imported contacts: {what}"),
    )
    .with_help(
        "imported contacts have not asked to hear from you: enroll them on something they do",
    )
}

/// E0501: a workflow name used twice, in any files.
pub(crate) fn duplicate_workflows(programs: &[(FileId, Program)], out: &mut Vec<Diagnostic>) {
    let mut first: BTreeMap<&str, (FileId, Span)> = BTreeMap::new();
    for (file, program) in programs {
        for item in &program.items {
            let Item::Workflow(w) = item else { continue };
            match first.get(w.name.value.as_str()) {
                Some(&(ffile, fspan)) => out.push(
                    Diagnostic::new(
                        Code::E0501,
                        *file,
                        w.name.span,
                        format!("two workflows are called `{}`", w.name.value),
                    )
                    .with_label(ffile, fspan, "first defined here")
                    .with_help("rename one: traces and re-enrollment tell workflows apart by name"),
                ),
                None => {
                    first.insert(&w.name.value, (*file, w.name.span));
                }
            }
        }
    }
}

/// A trigger's kind and arguments in a canonical form: the positional
/// argument, then named arguments sorted by name. Written into one string
/// (no string per argument): W0401 builds one for every trigger.
fn trigger_key(t: &Trigger) -> String {
    use std::fmt::Write as _;
    let lit = |out: &mut String, v: &Value| {
        let _ = match v {
            Value::Text(s) => write!(out, "{}", serde_json::Value::String(s.to_string())),
            Value::Number(n) => write!(out, "{n}"),
            Value::Bool(b) => write!(out, "{b}"),
        };
    };
    let mut key = String::with_capacity(t.name.name.len() + 16);
    key.push_str(&t.name.name);
    key.push('(');
    let mut first = true;
    for a in t.args.iter().filter(|a| a.name.is_none()) {
        if !first {
            key.push_str(", ");
        }
        first = false;
        lit(&mut key, &a.value.value);
    }
    let mut named: Vec<(&str, &Value)> = t
        .args
        .iter()
        .filter_map(|a| a.name.as_ref().map(|n| (n.name.as_str(), &a.value.value)))
        .collect();
    named.sort_by(|a, b| a.0.cmp(b.0));
    for (name, value) in named {
        if !first {
            key.push_str(", ");
        }
        first = false;
        key.push_str(name);
        key.push_str(": ");
        lit(&mut key, value);
    }
    key.push(')');
    key
}

/// W0401: a rule that enrolls on the same trigger as an earlier rule, into
/// a different sequence. Reported once per later rule, at the rule, with a
/// label on the earlier rule's trigger.
pub(crate) fn competing_enrollments(programs: &[(FileId, Program)], out: &mut Vec<Diagnostic>) {
    /// An earlier trigger; its rule's sequences are `enrolling[rule]`,
    /// kept once per rule rather than once per trigger.
    struct Seen<'p> {
        file: FileId,
        trigger: &'p Trigger,
        rule: usize,
    }
    // Only looked up, never iterated: its order never reaches the output.
    let mut earlier: HashMap<String, Vec<Seen<'_>>> = HashMap::new();
    let mut enrolling: Vec<Vec<&str>> = Vec::new();
    let none: Vec<&str> = Vec::new();
    for (file, program) in programs {
        for (_, rule) in program.rules() {
            let sequences = enrolls(rule);
            if sequences.is_empty() {
                continue;
            }
            let index = enrolling.len();
            let mut reported = false;
            for t in &rule.triggers {
                let key = trigger_key(t);
                if !reported
                    && let Some(prev) = earlier.get(&key).and_then(|v| {
                        v.iter().find(|p| {
                            enrolling
                                .get(p.rule)
                                .unwrap_or(&none)
                                .iter()
                                .any(|a| sequences.iter().any(|b| a != b))
                        })
                    })
                {
                    let theirs = enrolling
                        .get(prev.rule)
                        .and_then(|s| s.first())
                        .copied()
                        .unwrap_or("");
                    let ours = sequences
                        .iter()
                        .find(|s| **s != theirs)
                        .copied()
                        .unwrap_or("");
                    out.push(
                        Diagnostic::new(
                            Code::W0401,
                            *file,
                            rule.span,
                            format!(
                                "competing enrollments: an earlier rule enrolls into `{theirs}` on `{key}`; contacts matching both are skipped here, not enrolled into `{ours}`"
                            ),
                        )
                        .with_label(prev.file, prev.trigger.span, format!("enrolls into `{theirs}` on the same trigger"))
                        .with_help("a contact is in one sequence at a time: merge the rules, or make their triggers differ"),
                    );
                    reported = true;
                }
                earlier.entry(key).or_default().push(Seen {
                    file: *file,
                    trigger: t,
                    rule: index,
                });
            }
            enrolling.push(sequences);
        }
    }
}
