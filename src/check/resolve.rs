//! Name resolution: triggers and their arguments, actions and workflow
//! settings, against the trigger table and the account.
//!
//! Reports E0101, E0102, E0201–E0205, E0301, E0302, E0401 and E0403 (the
//! property and value of `property_changed`), E0404 (lists named by
//! triggers and settings), W0101, W0102 and W0201.

use super::Cx;
use super::suggest::{did_you_mean, listing};
use super::types::{Kind, property_words};
use crate::account::{PropertyType, Token};
use crate::diagnostic::{Code, Diagnostic};
use crate::syntax::ast::{Action, Arg, Literal, Rule, Sender, Setting, Str, Trigger, Workflow};
use crate::triggers::{self, FieldType, Param, Signature};
use crate::value::Value;
use std::collections::BTreeSet;

/// The signatures of a rule's triggers, one per trigger; `None` for an
/// unknown trigger (already reported).
pub(crate) type Signatures = Vec<Option<&'static Signature>>;

/// Checks a workflow block's settings: suppression lists must exist.
pub(crate) fn settings(cx: &mut Cx<'_>, workflow: &Workflow) {
    for setting in &workflow.settings {
        if let Setting::Suppress { list, .. } = setting {
            list_exists(cx, list);
        }
    }
}

/// Reports E0404 if the list named by `name` is not in the account.
pub(crate) fn list_exists(cx: &mut Cx<'_>, name: &Str) {
    if cx.account.list(&name.value).is_some() {
        return;
    }
    let mut d = Diagnostic::new(
        Code::E0404,
        cx.file,
        name.span,
        format!("unknown list `{}`", name.value),
    );
    let names = cx.account.lists.iter().map(|l| l.name.as_str());
    if let Some(help) = did_you_mean(&name.value, names) {
        d = d.with_help(help);
    } else if cx.account.lists.is_empty() {
        d = d.with_help("the account has no lists");
    }
    cx.report(d);
}

/// Resolves a rule's triggers and checks their arguments.
pub(crate) fn triggers(cx: &mut Cx<'_>, rule: &Rule) -> Signatures {
    rule.triggers.iter().map(|t| trigger(cx, t)).collect()
}

fn trigger(cx: &mut Cx<'_>, t: &Trigger) -> Option<&'static Signature> {
    let Some(sig) = triggers::lookup(&t.name.name) else {
        let names = triggers::TRIGGERS.iter().map(|s| s.name);
        let help = did_you_mean(&t.name.name, names.clone())
            .unwrap_or_else(|| format!("the triggers are {}", listing(names)));
        cx.report(
            Diagnostic::new(
                Code::E0301,
                cx.file,
                t.name.span,
                format!("unknown trigger `{}`", t.name.name),
            )
            .with_help(help),
        );
        return None;
    };
    arguments(cx, sig, t);
    Some(sig)
}

/// E0302 and friends for one trigger's arguments. Arguments that are wrong
/// for one reason are reported together (one diagnostic over all of them,
/// saying how many), so that a trigger with thousands of surplus arguments
/// gives one error, not one per argument.
fn arguments(cx: &mut Cx<'_>, sig: &'static Signature, t: &Trigger) {
    let mut positional: Option<&Literal> = None;
    let mut named_seen: BTreeSet<&str> = BTreeSet::new();
    let mut to_value: Option<&Literal> = None;
    // Positional arguments after a named one, surplus positional arguments
    // (or any, for a trigger that takes none), repeated names in order.
    let mut after_named: Vec<&Arg> = Vec::new();
    let mut surplus: Vec<&Arg> = Vec::new();
    let mut repeated: Vec<(&str, Vec<&Arg>)> = Vec::new();
    for arg in &t.args {
        match &arg.name {
            None => {
                if !named_seen.is_empty() {
                    after_named.push(arg);
                } else if positional.is_some() || sig.positional.is_none() {
                    surplus.push(arg);
                } else if let Some(param) = &sig.positional {
                    positional = Some(&arg.value);
                    value(cx, sig, param, &arg.value);
                }
            }
            Some(name) => {
                if !named_seen.insert(&name.name) {
                    match repeated.iter_mut().find(|(n, _)| *n == name.name) {
                        Some((_, args)) => args.push(arg),
                        None => repeated.push((&name.name, vec![arg])),
                    }
                    continue;
                }
                match sig.named_param(&name.name) {
                    Some(param) => {
                        if param.ty == FieldType::Any {
                            to_value = Some(&arg.value);
                        } else {
                            value(cx, sig, param, &arg.value);
                        }
                    }
                    None => unknown_named(cx, sig, arg, &name.name),
                }
            }
        }
    }
    if let Some(span) = spanning(&surplus) {
        let d = if sig.positional.is_none() {
            no_positional(cx, sig, span)
        } else {
            arg_error(
                cx,
                span,
                format!(
                    "`{}` takes one positional argument, not {}",
                    sig.name,
                    count_words(surplus.len() + 1)
                ),
            )
            .with_help(if surplus.len() == 1 {
                "remove the second one".to_owned()
            } else {
                format!("remove the last {}", surplus.len())
            })
        };
        cx.report(d);
    }
    if let Some(span) = spanning(&after_named) {
        let message = if after_named.len() == 1 {
            "a positional argument after a named one".to_owned()
        } else {
            format!(
                "{} positional arguments after a named one",
                after_named.len()
            )
        };
        let d = arg_error(cx, span, message).with_help("write the positional argument first");
        cx.report(d);
    }
    for (name, args) in &repeated {
        if let Some(span) = spanning(args) {
            let times = match args.len() + 1 {
                2 => "twice".to_owned(),
                n => format!("{n} times"),
            };
            let d = arg_error(cx, span, format!("argument `{name}` given {times}"))
                .with_help("give each named argument once");
            cx.report(d);
        }
    }
    if let Some(param) = &sig.positional
        && param.required
        && positional.is_none()
        && after_named.is_empty()
    {
        let d = arg_error(
            cx,
            t.span,
            format!("`{}` needs a {} name", sig.name, param.field),
        )
        .with_help(format!(
            "give it as the first argument: `{}(\"…\")`",
            sig.name
        ));
        cx.report(d);
    }
    if sig.name == "property_changed" {
        property_changed(cx, positional, to_value);
    }
}

/// The span from the first of `args` to the last, if there are any.
fn spanning(args: &[&Arg]) -> Option<crate::span::Span> {
    let (first, last) = (args.first()?, args.last()?);
    Some(first.span.to(last.span))
}

/// "two", "three", … up to ten, then digits: counts in messages.
fn count_words(n: usize) -> String {
    const WORDS: [&str; 9] = [
        "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    ];
    n.checked_sub(2)
        .and_then(|i| WORDS.get(i))
        .map_or_else(|| n.to_string(), |w| (*w).to_owned())
}

fn arg_error(cx: &Cx<'_>, span: crate::span::Span, message: impl Into<String>) -> Diagnostic {
    Diagnostic::new(Code::E0302, cx.file, span, message)
}

fn no_positional(cx: &Cx<'_>, sig: &Signature, span: crate::span::Span) -> Diagnostic {
    if sig.named.is_empty() {
        arg_error(cx, span, format!("`{}` takes no arguments", sig.name))
            .with_help(format!("write `{}()`", sig.name))
    } else {
        arg_error(
            cx,
            span,
            format!("`{}` takes no positional argument", sig.name),
        )
        .with_help(format!(
            "name the argument: {}",
            listing(sig.named.iter().map(|p| p.field))
        ))
    }
}

fn unknown_named(cx: &mut Cx<'_>, sig: &Signature, arg: &Arg, name: &str) {
    let mut d = arg_error(
        cx,
        arg.span,
        format!("`{}` has no argument `{name}`", sig.name),
    );
    let names = sig.named.iter().map(|p| p.field);
    if let Some(help) = did_you_mean(name, names.clone()) {
        d = d.with_help(help);
    } else if sig.positional.is_some_and(|p| p.field == name) {
        d = d.with_help(format!(
            "the {name} is the positional argument: write `{}(\"…\")` without `{name}:`",
            sig.name
        ));
    } else if sig.named.is_empty() {
        d = d.with_help(format!("`{}` takes no named arguments", sig.name));
    } else {
        d = d.with_help(format!("its named arguments are {}", listing(names)));
    }
    cx.report(d);
}

/// Checks a literal argument against its parameter's type.
fn value(cx: &mut Cx<'_>, sig: &Signature, param: &Param, lit: &Literal) {
    let found = describe(&lit.value);
    match (param.ty, &lit.value) {
        (FieldType::String, Value::Text(_))
        | (FieldType::Number, Value::Number(_))
        | (FieldType::Any, _) => {}
        (FieldType::OneOf(values), Value::Text(s)) => {
            if !values.contains(&s.as_str()) {
                let help = did_you_mean(s, values.iter().copied()).unwrap_or_else(|| {
                    format!(
                        "the {}s are {}",
                        param.field,
                        listing(values.iter().copied())
                    )
                });
                let d = arg_error(
                    cx,
                    lit.span,
                    format!("`{s}` is not one of the {}s of `{}`", param.field, sig.name),
                )
                .with_help(help);
                cx.report(d);
            }
        }
        (FieldType::String | FieldType::OneOf(_), _) => {
            let d = arg_error(
                cx,
                lit.span,
                format!(
                    "`{}` of `{}` must be {}, found {} {found}",
                    param.field,
                    sig.name,
                    Kind::Text.words(),
                    a_kind(&lit.value)
                ),
            );
            cx.report(d);
        }
        (FieldType::Number, _) => {
            let d = arg_error(
                cx,
                lit.span,
                format!(
                    "`{}` of `{}` must be {}, found {} {found}",
                    param.field,
                    sig.name,
                    Kind::Number.words(),
                    a_kind(&lit.value)
                ),
            );
            cx.report(d);
        }
    }
    if let ("list_added" | "list_removed", "list", Value::Text(s)) =
        (sig.name, param.field, &lit.value)
    {
        list_exists(
            cx,
            &Str {
                value: s.to_string(),
                span: lit.span,
            },
        );
    }
}

/// `property_changed("P", to: V)`: `P` must be a property and `V` one of
/// its values.
fn property_changed(cx: &mut Cx<'_>, property: Option<&Literal>, to: Option<&Literal>) {
    let Some(Literal {
        value: Value::Text(name),
        span,
    }) = property
    else {
        return;
    };
    let Some(ty) = cx.account.property(name) else {
        let mut d = Diagnostic::new(
            Code::E0401,
            cx.file,
            *span,
            format!("unknown contact property `{name}`"),
        );
        if let Some(help) = did_you_mean(name, cx.account.properties.keys().map(String::as_str)) {
            d = d.with_help(help);
        }
        cx.report(d);
        return;
    };
    let Some(to) = to else { return };
    if let Some(d) = literal_fits(cx, name, ty, to, Code::E0302) {
        cx.report(d);
    }
}

/// Whether a literal is a value of a property: a diagnostic if not (with
/// `mismatch` as the code for a type mismatch, E0403 for a value outside
/// an enum).
pub(crate) fn literal_fits(
    cx: &Cx<'_>,
    property: &str,
    ty: &PropertyType,
    lit: &Literal,
    mismatch: Code,
) -> Option<Diagnostic> {
    match (ty, &lit.value) {
        (PropertyType::String, Value::Text(_))
        | (PropertyType::Number, Value::Number(_))
        | (PropertyType::Bool, Value::Bool(_)) => None,
        (PropertyType::Enum(values), Value::Text(s)) => {
            if values.iter().any(|v| v == s) {
                return None;
            }
            Some(not_in_enum(cx, property, values, s, lit))
        }
        _ => Some(Diagnostic::new(
            mismatch,
            cx.file,
            lit.span,
            format!(
                "`{property}` is {}, but {} is {}",
                property_words(ty),
                describe(&lit.value),
                a_kind(&lit.value)
            ),
        )),
    }
}

/// E0403 for the string `s` that is not one of `values`.
pub(crate) fn not_in_enum(
    cx: &Cx<'_>,
    what: &str,
    values: &[impl AsRef<str>],
    s: &str,
    lit: &Literal,
) -> Diagnostic {
    let names = values.iter().map(AsRef::as_ref);
    let help = did_you_mean(s, names.clone())
        .unwrap_or_else(|| format!("the values of `{what}` are {}", listing(names)));
    Diagnostic::new(
        Code::E0403,
        cx.file,
        lit.span,
        format!("`{s}` is not a value of `{what}`"),
    )
    .with_help(help)
}

/// The kind of a literal in words: `text`, `a number`, `true or false`.
fn a_kind(value: &Value) -> &'static str {
    Kind::of(value).words()
}

/// A literal as written: `"ten"`, `10`, `true`.
pub(crate) fn describe(value: &Value) -> String {
    match value {
        Value::Text(s) => format!("`{}`", serde_json::Value::String(s.to_string())),
        Value::Number(n) => format!("`{n}`"),
        Value::Bool(b) => format!("`{b}`"),
    }
}

/// Checks a rule's actions.
pub(crate) fn actions(cx: &mut Cx<'_>, rule: &Rule) {
    for action in &rule.actions {
        match action {
            Action::Enroll {
                sequence,
                sender,
                via,
                span,
            } => {
                enroll_sequence(cx, sequence, *span);
                self::sender(cx, sender, via.as_ref());
            }
            Action::Unenroll {
                sequence: Some(sequence),
                ..
            } => {
                let _ = known_sequence(cx, sequence);
            }
            Action::Unenroll { sequence: None, .. } => {}
        }
    }
}

/// E0101 if the sequence is unknown; the sequence otherwise.
fn known_sequence<'a>(cx: &mut Cx<'a>, name: &Str) -> Option<&'a crate::account::Sequence> {
    if let Some(s) = cx.account.sequence(&name.value) {
        return Some(s);
    }
    let mut d = Diagnostic::new(
        Code::E0101,
        cx.file,
        name.span,
        format!("unknown sequence `{}`", name.value),
    );
    let live = cx
        .account
        .sequences
        .iter()
        .filter(|s| !s.deleted)
        .map(|s| s.name.as_str());
    if let Some(help) = did_you_mean(&name.value, live) {
        d = d.with_help(help);
    }
    cx.report(d);
    None
}

/// The sequence of an `enroll`: known, not deleted, no placeholders, and
/// personalization tokens that name properties.
fn enroll_sequence(cx: &mut Cx<'_>, name: &Str, action: crate::span::Span) {
    let Some(seq) = known_sequence(cx, name) else {
        return;
    };
    if seq.deleted {
        cx.report(
            Diagnostic::new(
                Code::E0102,
                cx.file,
                name.span,
                format!("sequence `{}` is deleted", seq.name),
            )
            .with_help("a workflow enrolls no one into a deleted sequence: pick another one"),
        );
        return;
    }
    let tokens = seq.tokens();
    let placeholders: BTreeSet<&str> = tokens
        .iter()
        .filter_map(|t| match t {
            Token::Placeholder(p) => Some(*p),
            Token::Personalization(_) => None,
        })
        .collect();
    if !placeholders.is_empty() {
        cx.report(
            Diagnostic::new(
                Code::W0101,
                cx.file,
                action,
                format!(
                    "sequence `{}` has placeholder tokens: {}",
                    seq.name,
                    placeholders
                        .iter()
                        .map(|p| format!("`{{{{placeholder:{p}}}}}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
            .with_help("nobody fills placeholders for a workflow: replace them with text or `{{contact.NAME}}` tokens"),
        );
    }
    let mut unknown: Vec<&str> = Vec::new();
    for t in &tokens {
        if let Token::Personalization(p) = t
            && cx.account.property(p).is_none()
            && !unknown.contains(p)
        {
            unknown.push(p);
        }
    }
    for p in unknown {
        let mut d = Diagnostic::new(
            Code::W0102,
            cx.file,
            action,
            format!(
                "sequence `{}` uses `{{{{contact.{p}}}}}`, but there is no property `{p}`",
                seq.name
            ),
        );
        let help = did_you_mean(p, cx.account.properties.keys().map(String::as_str))
            .unwrap_or_else(|| {
                "the token will be left empty: fix the sequence or declare the property".into()
            });
        d = d.with_help(help);
        cx.report(d);
    }
}

/// The sender and `via` of an enroll action.
fn sender(cx: &mut Cx<'_>, sender: &Sender, via: Option<&Str>) {
    match sender {
        Sender::Owner { span } => {
            if let Some(via) = via {
                cx.report(
                    Diagnostic::new(
                        Code::E0205,
                        cx.file,
                        via.span,
                        "`via` needs a fixed sender, not `from owner`",
                    )
                    .with_help("each owner sends from their own first inbox: drop `via`, or use `from user \"…\" via \"…\"`"),
                );
            }
            owners(cx, *span);
        }
        Sender::User { email, .. } => fixed_user(cx, email, via),
    }
}

/// The W0201 warning for this account, made once and placed at each
/// `from owner` (its sentence is the same everywhere): `None` when every
/// contact has an owner who can send. Its file and span are filled in
/// where it is reported.
pub(crate) fn owner_warning(account: &crate::account::Account) -> Option<Diagnostic> {
    let eligible: BTreeSet<&str> = account
        .users
        .iter()
        .filter(|u| u.is_eligible_sender())
        .map(|u| u.email.as_str())
        .collect();
    let total = account.contacts.len();
    let (mut none, mut ineligible) = (0usize, 0usize);
    for c in &account.contacts {
        match c.owner.as_deref() {
            None => none += 1,
            Some(o) if eligible.contains(o) => {}
            Some(_) => ineligible += 1,
        }
    }
    if none + ineligible == 0 {
        return None;
    }
    let mut parts = Vec::new();
    if none > 0 {
        parts.push(format!("{none} {} no owner", plural(none, "has", "have")));
    }
    if ineligible > 0 {
        parts.push(format!(
            "{ineligible} {} an owner who cannot send sequences",
            plural(ineligible, "has", "have")
        ));
    }
    Some(
        Diagnostic::new(
            Code::W0201,
            crate::source::FileId::default(),
            crate::span::Span::new(0, 0),
            format!(
                "{} of {total} {} cannot be enrolled from their owner: {}",
                none + ineligible,
                plural(total, "contact", "contacts"),
                parts.join(", ")
            ),
        )
        .with_help("those contacts will be skipped: give them owners with an Enterprise seat and a connected inbox, or enroll from a fixed user"),
    )
}

/// W0201: contacts whose owner cannot send.
fn owners(cx: &mut Cx<'_>, span: crate::span::Span) {
    if let Some(warning) = cx.owner_warning {
        let mut d = warning.clone();
        d.file = cx.file;
        d.span = span;
        cx.report(d);
    }
}

fn plural(n: usize, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 { one } else { many }
}

/// E0201–E0204 for `from user "E" [via "A"]`.
fn fixed_user(cx: &mut Cx<'_>, email: &Str, via: Option<&Str>) {
    let Some(user) = cx.account.user(&email.value) else {
        let mut d = Diagnostic::new(
            Code::E0201,
            cx.file,
            email.span,
            format!("unknown user `{}`", email.value),
        );
        if let Some(help) = did_you_mean(
            &email.value,
            cx.account.users.iter().map(|u| u.email.as_str()),
        ) {
            d = d.with_help(help);
        }
        cx.report(d);
        return;
    };
    if !user.has_enterprise_seat() {
        cx.report(
            Diagnostic::new(
                Code::E0202,
                cx.file,
                email.span,
                format!(
                    "`{}` has no Sales Hub or Service Hub Enterprise seat",
                    user.email
                ),
            )
            .with_help("only users with a `sales_enterprise` or `service_enterprise` seat can send sequences from a workflow"),
        );
    }
    if !user.has_inbox() {
        cx.report(
            Diagnostic::new(
                Code::E0203,
                cx.file,
                email.span,
                format!("`{}` has no connected inbox", user.email),
            )
            .with_help("connect an inbox for this user, or send from another user"),
        );
        return;
    }
    if let Some(via) = via
        && !user.inboxes.contains(&via.value)
    {
        let inboxes = user.inboxes.iter().map(String::as_str);
        let help = did_you_mean(&via.value, inboxes.clone())
            .unwrap_or_else(|| format!("`{}` can send from {}", user.email, listing(inboxes)));
        cx.report(
            Diagnostic::new(
                Code::E0204,
                cx.file,
                via.span,
                format!("`{}` is not one of `{}`'s inboxes", via.value, user.email),
            )
            .with_help(help),
        );
    }
}
