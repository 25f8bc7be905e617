//! Types of conditions: every operand gets a type — `contact.X` the
//! property's, `event.X` the field's, a literal its own — and every test
//! must make sense for its operands.
//!
//! Reports E0303 (`event.X` not on every trigger), E0401 (unknown
//! property), E0402 (type mismatch), E0403 (value outside an enum) and
//! E0404 (`contact in list` of an unknown list). The rules, also in
//! `docs/diagnostics.md`:
//!
//! - `==`, `!=`, `in` need operands of the same kind; enum values are
//!   strings, and a string literal compared with an enum must be one of
//!   its values;
//! - `<`, `<=`, `>`, `>=` order numbers and strings (by code point), not
//!   bools, and not enums (their values would be ordered as text, not in
//!   the enum's order);
//! - `contains` needs a string (or enum) operand;
//! - the literals of an `in` list all have one type.
//!
//! An operand whose type is unknown (an error already reported, or
//! `property_changed`'s `value` when the property is not fixed) takes part
//! in no type check, so one mistake gives one diagnostic.

use super::Cx;
use super::resolve::{Signatures, describe, list_exists, not_in_enum};
use super::suggest::{did_you_mean, listing};
use crate::account::PropertyType;
use crate::diagnostic::{Code, Diagnostic};
use crate::span::Span;
use crate::syntax::ast::{CmpOp, Expr, ExprKind, Literal, Operand, Rule};
use crate::triggers::FieldType;
use crate::value::Value;

/// What `==` compares: the kind of a value. Every type a checker message
/// names is named by [`Kind::words`] or [`property_words`], in plain words
/// ("text", "a number", "true or false", "one of a fixed set of values"),
/// never as a type name of the implementation or of JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Text,
    Number,
    TrueFalse,
}

impl Kind {
    /// The kind of a literal.
    pub(crate) fn of(value: &Value) -> Kind {
        match value {
            Value::Text(_) => Kind::Text,
            Value::Number(_) => Kind::Number,
            Value::Bool(_) => Kind::TrueFalse,
        }
    }

    /// The kind after "is": `text`, `a number`, `true or false`.
    pub(crate) fn words(self) -> &'static str {
        match self {
            Kind::Text => "text",
            Kind::Number => "a number",
            Kind::TrueFalse => "true or false",
        }
    }
}

/// What a contact property holds, in words: its [`Kind`]'s, or "one of a
/// fixed set of values" for an enum property.
pub(crate) fn property_words(ty: &PropertyType) -> &'static str {
    match ty {
        PropertyType::String => Kind::Text.words(),
        PropertyType::Number => Kind::Number.words(),
        PropertyType::Bool => Kind::TrueFalse.words(),
        PropertyType::Enum(_) => "one of a fixed set of values",
    }
}

/// The type of an operand.
#[derive(Debug, Clone, PartialEq)]
enum Ty {
    /// Any value of a kind.
    Of(Kind),
    /// Strings from a fixed set; `what` names it in messages.
    Enum { what: String, values: Vec<String> },
    /// Any literal: nothing is known.
    Any,
}

impl Ty {
    /// The kind compared by `==`: enum values are text.
    fn kind(&self) -> Option<Kind> {
        match self {
            Ty::Of(kind) => Some(*kind),
            Ty::Enum { .. } => Some(Kind::Text),
            Ty::Any => None,
        }
    }

    fn of_literal(v: &Value) -> Ty {
        Ty::Of(Kind::of(v))
    }

    fn of_property(name: &str, ty: &PropertyType) -> Ty {
        match ty {
            PropertyType::String => Ty::Of(Kind::Text),
            PropertyType::Number => Ty::Of(Kind::Number),
            PropertyType::Bool => Ty::Of(Kind::TrueFalse),
            PropertyType::Enum(values) => Ty::Enum {
                what: name.to_owned(),
                values: values.clone(),
            },
        }
    }
}

/// Checks a rule's `if` condition.
pub(crate) fn condition(cx: &mut Cx<'_>, rule: &Rule, sigs: &Signatures) {
    if let Some(expr) = &rule.condition {
        let rx = RuleCx { rule, sigs };
        expr_(cx, &rx, expr);
    }
}

struct RuleCx<'r> {
    rule: &'r Rule,
    sigs: &'r Signatures,
}

fn expr_(cx: &mut Cx<'_>, rx: &RuleCx<'_>, e: &Expr) {
    match &e.kind {
        ExprKind::Or { lhs, rhs } | ExprKind::And { lhs, rhs } => {
            expr_(cx, rx, lhs);
            expr_(cx, rx, rhs);
        }
        ExprKind::Not { expr } | ExprKind::Group { expr } => expr_(cx, rx, expr),
        ExprKind::Compare { lhs, op, rhs } => compare(cx, rx, lhs, *op, rhs),
        ExprKind::In {
            operand, values, ..
        } => membership(cx, rx, operand, values),
        ExprKind::Contains { operand, .. } => {
            let ty = operand_ty(cx, rx, operand);
            if let Some(kind @ (Kind::Number | Kind::TrueFalse)) = ty.as_ref().and_then(Ty::kind) {
                cx.report(
                    Diagnostic::new(
                        Code::E0402,
                        cx.file,
                        operand.span(),
                        format!(
                            "`contains` needs text, but {} is {}",
                            name(operand),
                            kind.words()
                        ),
                    )
                    .with_help("compare it with `==`, `<`, `>` or `in` instead"),
                );
            }
        }
        ExprKind::IsSet { operand, .. } => {
            let _ = operand_ty(cx, rx, operand);
        }
        ExprKind::InList { list } => list_exists(cx, list),
    }
}

/// The operand as written, for messages.
fn name(op: &Operand) -> String {
    match op {
        Operand::Contact { property, .. } => format!("`contact.{}`", property.name),
        Operand::Event { field, .. } => format!("`event.{}`", field.name),
        Operand::Literal(l) => describe(&l.value),
    }
}

/// The type of an operand; `None` when unknown because of an error
/// reported here (unknown property, unavailable event field).
fn operand_ty(cx: &mut Cx<'_>, rx: &RuleCx<'_>, op: &Operand) -> Option<Ty> {
    match op {
        Operand::Literal(l) => Some(Ty::of_literal(&l.value)),
        Operand::Contact { property, .. } => {
            if let Some(ty) = cx.account.property(&property.name) {
                return Some(Ty::of_property(&property.name, ty));
            }
            let mut d = Diagnostic::new(
                Code::E0401,
                cx.file,
                property.span,
                format!("unknown contact property `{}`", property.name),
            );
            let names = cx.account.properties.keys().map(String::as_str);
            if let Some(help) = did_you_mean(&property.name, names) {
                d = d.with_help(help);
            }
            cx.report(d);
            None
        }
        Operand::Event { field, span } => event_field(cx, rx, &field.name, *span),
    }
}

/// `event.NAME`: every trigger of the rule must have the field.
fn event_field(cx: &mut Cx<'_>, rx: &RuleCx<'_>, field: &str, span: Span) -> Option<Ty> {
    // An unknown trigger was reported already; its fields are unknown.
    let sigs: Vec<_> = rx.sigs.iter().copied().collect::<Option<Vec<_>>>()?;
    let lacking: Vec<&str> = sigs
        .iter()
        .filter(|s| s.field(field).is_none())
        .map(|s| s.name)
        .collect();
    if lacking.is_empty() {
        return Some(field_type(cx, rx, field));
    }
    let common: Vec<&str> = sigs
        .first()
        .map(|first| {
            first
                .fields
                .iter()
                .map(|f| f.name)
                .filter(|n| sigs.iter().all(|s| s.field(n).is_some()))
                .collect()
        })
        .unwrap_or_default();
    let message = if sigs.len() == 1 {
        format!(
            "`event.{field}` is not available: `{}` events have no field `{field}`",
            listing(lacking.iter().copied()).trim_matches('`')
        )
    } else {
        format!(
            "`event.{field}` is not available for every trigger of this rule: {} {} no field `{field}`",
            listing(lacking.iter().copied()),
            if lacking.len() == 1 { "has" } else { "have" }
        )
    };
    let help = did_you_mean(field, common.iter().copied()).unwrap_or_else(|| {
        if common.is_empty() && sigs.len() == 1 {
            format!(
                "`{}` events have no fields: test contact properties instead",
                listing(lacking.iter().copied()).trim_matches('`')
            )
        } else if common.is_empty() {
            "these triggers share no event fields: test contact properties instead".into()
        } else {
            format!(
                "the fields available here are {}",
                listing(common.iter().copied())
            )
        }
    });
    let mut d = Diagnostic::new(Code::E0303, cx.file, span, message).with_help(help);
    for t in &rx.rule.triggers {
        if lacking.contains(&t.name.name.as_str()) && sigs.len() > 1 {
            d = d.with_label(cx.file, t.span, format!("no `{field}` here"));
        }
    }
    cx.report(d);
    None
}

/// The type of a field every trigger has; triggers that disagree give
/// [`Ty::Any`]. `property_changed`'s `value` has the type of the property
/// its first argument names, when every trigger names one of one type.
fn field_type(cx: &Cx<'_>, rx: &RuleCx<'_>, field: &str) -> Ty {
    let mut out: Option<Ty> = None;
    for (sig, trigger) in rx.sigs.iter().zip(&rx.rule.triggers) {
        let Some(sig) = sig else { return Ty::Any };
        let Some(f) = sig.field(field) else {
            return Ty::Any;
        };
        let ty = match f.ty {
            FieldType::String => Ty::Of(Kind::Text),
            FieldType::Number => Ty::Of(Kind::Number),
            FieldType::OneOf(values) => Ty::Enum {
                what: format!("event.{field}"),
                values: values.iter().map(|v| (*v).to_owned()).collect(),
            },
            FieldType::Any => changed_property_ty(cx, sig.name, trigger),
        };
        match &out {
            None => out = Some(ty),
            Some(prev) if *prev == ty => {}
            Some(_) => return Ty::Any,
        }
    }
    out.unwrap_or(Ty::Any)
}

fn changed_property_ty(cx: &Cx<'_>, trigger: &str, t: &crate::syntax::ast::Trigger) -> Ty {
    if trigger != "property_changed" {
        return Ty::Any;
    }
    let Some(Value::Text(name)) = t
        .args
        .iter()
        .find(|a| a.name.is_none())
        .map(|a| &a.value.value)
    else {
        return Ty::Any;
    };
    cx.account
        .property(name)
        .map_or(Ty::Any, |ty| Ty::of_property(name, ty))
}

/// `lhs OP rhs`.
fn compare(cx: &mut Cx<'_>, rx: &RuleCx<'_>, lhs: &Operand, op: CmpOp, rhs: &Operand) {
    let lt = operand_ty(cx, rx, lhs);
    let rt = operand_ty(cx, rx, rhs);
    let (Some(lt), Some(rt)) = (lt, rt) else {
        return;
    };
    let ordering = !matches!(op, CmpOp::Eq | CmpOp::Ne);
    if ordering {
        for (ty, operand) in [(&lt, lhs), (&rt, rhs)] {
            let why = match ty {
                Ty::Of(Kind::TrueFalse) => "true and false have no order",
                Ty::Enum { .. } => {
                    "its values are a fixed set, which would be ordered as text, not in the order the account lists them"
                }
                _ => continue,
            };
            let mut d = Diagnostic::new(
                Code::E0402,
                cx.file,
                operand.span(),
                format!("`{}` cannot compare {}: {why}", op.as_str(), name(operand)),
            );
            d = d.with_help(if matches!(ty, Ty::Of(Kind::TrueFalse)) {
                "use `==` or `!=`".to_owned()
            } else {
                format!(
                    "list the values you mean: `{} in [\"…\", \"…\"]`",
                    name(operand).trim_matches('`')
                )
            });
            cx.report(d);
            return;
        }
    }
    let (Some(lk), Some(rk)) = (lt.kind(), rt.kind()) else {
        return;
    };
    if lk != rk {
        // Point at the literal if there is one: it is usually what to fix.
        let (primary, other) = match lhs {
            Operand::Literal(_) if !matches!(rhs, Operand::Literal(_)) => (lhs, rhs),
            _ => (rhs, lhs),
        };
        let (pk, ok) = if std::ptr::eq(primary, rhs) {
            (rk, lk)
        } else {
            (lk, rk)
        };
        let mut d = Diagnostic::new(
            Code::E0402,
            cx.file,
            primary.span(),
            format!(
                "cannot compare {} ({}) with {} ({})",
                name(other),
                ok.words(),
                name(primary),
                pk.words()
            ),
        )
        .with_label(cx.file, other.span(), format!("this is {}", ok.words()));
        if let Operand::Literal(Literal {
            value: Value::Text(s),
            ..
        }) = primary
            && ok == Kind::Number
            && s.trim().parse::<f64>().is_ok()
        {
            d = d.with_help(format!("write the number without quotes: `{}`", s.trim()));
        }
        cx.report(d);
        return;
    }
    for (ty, operand) in [(&lt, rhs), (&rt, lhs)] {
        if let (Ty::Enum { what, values }, Operand::Literal(lit)) = (ty, operand)
            && let Value::Text(s) = &lit.value
            && !values.iter().any(|v| v == s)
        {
            let d = not_in_enum(cx, what, values, s, lit);
            cx.report(d);
        }
    }
}

/// `operand [not] in [v, …]`.
fn membership(cx: &mut Cx<'_>, rx: &RuleCx<'_>, operand: &Operand, values: &[Literal]) {
    let ty = operand_ty(cx, rx, operand);
    let mut reported = false;
    if let Some(first) = values.first() {
        let first_ty = Ty::of_literal(&first.value);
        if let Some(odd) = values
            .iter()
            .find(|l| Ty::of_literal(&l.value).kind() != first_ty.kind())
        {
            cx.report(
                Diagnostic::new(
                    Code::E0402,
                    cx.file,
                    odd.span,
                    format!(
                        "mixed types in a list: {} is {}, but the list starts with {}",
                        describe(&odd.value),
                        Kind::of(&odd.value).words(),
                        Kind::of(&first.value).words()
                    ),
                )
                .with_label(cx.file, first.span, "the first value")
                .with_help("every value of an `in` list has the same type"),
            );
            reported = true;
        }
    }
    let Some(ty) = ty else { return };
    let Some(kind) = ty.kind() else { return };
    for lit in values {
        let lk = Kind::of(&lit.value);
        if lk != kind {
            if !reported {
                cx.report(
                    Diagnostic::new(
                        Code::E0402,
                        cx.file,
                        lit.span,
                        format!(
                            "{} is {}, but {} is {}",
                            name(operand),
                            kind.words(),
                            describe(&lit.value),
                            lk.words()
                        ),
                    )
                    .with_label(
                        cx.file,
                        operand.span(),
                        format!("this is {}", kind.words()),
                    ),
                );
                reported = true;
            }
            continue;
        }
        if let (Ty::Enum { what, values }, Value::Text(s)) = (&ty, &lit.value)
            && !values.iter().any(|v| v == s)
        {
            let d = not_in_enum(cx, what, values, s, lit);
            cx.report(d);
        }
    }
}
