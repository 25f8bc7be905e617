//! A rule's condition as the CRM's refinement criteria: an `OR` branch of
//! `AND` branches of filters. The condition must already have that shape —
//! an `or` of `and`s of tests, parentheses allowed where they change
//! nothing — and each test must have a filter: a comparison of a contact
//! property with a literal, `in`, `contains`, `is set`, `contact in list`,
//! and `not` before `contains` or `contact in list`. Anything else is
//! reported at its span with what to write instead.

use super::Exporter;
use crate::account::PropertyType;
use crate::crm::ids::Kind;
use crate::crm::mapping;
use crate::span::Span;
use crate::syntax::ast::{CmpOp, Expr, ExprKind, Literal, Operand, Str};
use crate::value::Value;
use serde_json::{Value as Json, json};

/// A property filter: `property`, its operation's type and operator, and
/// the operation's `value` or `values`.
pub(super) fn filter(
    property: &str,
    operation_type: &str,
    operator: &str,
    value: Option<(&str, Json)>,
) -> Json {
    let mut operation = serde_json::Map::new();
    operation.insert("operationType".into(), json!(operation_type));
    operation.insert("operator".into(), json!(operator));
    operation.insert("includeObjectsWithNoValueSet".into(), json!(false));
    if let Some((key, v)) = value {
        operation.insert(key.into(), v);
    }
    json!({"filterType": "PROPERTY", "property": property, "operation": operation})
}

/// A script number as a JSON number, whole numbers without a fraction;
/// `None` when it has none (too large).
pub(super) fn number(n: f64) -> Option<Json> {
    if n == n.trunc() && n.abs() < 1e15 {
        // INVARIANT: a whole number below 1e15 converts to i64 exactly.
        #[allow(clippy::cast_possible_truncation)]
        return Some(Json::from(n as i64));
    }
    serde_json::Number::from_f64(n).map(Json::Number)
}

/// What a value's literal is, in words.
fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Text(_) => "a string",
        Value::Number(_) => "a number",
        Value::Bool(_) => "`true` or `false`",
    }
}

/// The expression under any parentheses.
fn bare(e: &Expr) -> &Expr {
    match &e.kind {
        ExprKind::Group { expr } => bare(expr),
        _ => e,
    }
}

impl Exporter<'_> {
    /// The refinement criteria of a condition; `None` when some part has no
    /// filter form (each such part is reported).
    pub(super) fn refinement(&mut self, cond: &Expr) -> Option<Json> {
        let before = self.problems.len();
        let mut ors = Vec::new();
        self.disjuncts(cond, &mut ors);
        let mut branches = Vec::new();
        for d in ors {
            let mut ands = Vec::new();
            self.conjuncts(d, &mut ands);
            let filters: Vec<Json> = ands.into_iter().filter_map(|t| self.test(t)).collect();
            branches.push(json!({
                "filterBranchType": "AND",
                "filterBranchOperator": "AND",
                "filterBranches": [],
                "filters": filters,
            }));
        }
        (self.problems.len() == before).then(|| {
            json!({
                "filterBranchType": "OR",
                "filterBranchOperator": "OR",
                "filters": [],
                "filterBranches": branches,
            })
        })
    }

    /// The alternatives of an `or`.
    fn disjuncts<'e>(&mut self, e: &'e Expr, out: &mut Vec<&'e Expr>) {
        let e = bare(e);
        match &e.kind {
            ExprKind::Or { lhs, rhs } => {
                self.disjuncts(lhs, out);
                self.disjuncts(rhs, out);
            }
            _ => out.push(e),
        }
    }

    /// The tests of an `and`; an `or` inside one is reported.
    fn conjuncts<'e>(&mut self, e: &'e Expr, out: &mut Vec<&'e Expr>) {
        let e = bare(e);
        match &e.kind {
            ExprKind::And { lhs, rhs } => {
                self.conjuncts(lhs, out);
                self.conjuncts(rhs, out);
            }
            ExprKind::Or { .. } => self.fail(
                e.span,
                "the CRM's criteria are an `or` of `and`s: an `or` inside an `and` cannot be exported; write `a and b or a and c` for `a and (b or c)`",
            ),
            _ => out.push(e),
        }
    }

    /// One test as a filter.
    fn test(&mut self, e: &Expr) -> Option<Json> {
        match &e.kind {
            ExprKind::Compare { lhs, op, rhs } => self.compare(e.span, lhs, *op, rhs),
            ExprKind::In {
                operand,
                negated,
                values,
            } => self.one_of(e.span, operand, *negated, values),
            ExprKind::Contains { operand, needle } => self.contains(e.span, operand, needle, false),
            ExprKind::IsSet { operand, negated } => {
                let (crm, _) = self.property(e.span, operand)?;
                let operator = if *negated { "IS_UNKNOWN" } else { "IS_KNOWN" };
                Some(filter(&crm, "ALL_PROPERTY", operator, None))
            }
            ExprKind::InList { list } => Some(self.in_list(list, false)),
            ExprKind::Not { expr } => {
                let inner = bare(expr);
                match &inner.kind {
                    ExprKind::Contains { operand, needle } => {
                        self.contains(inner.span, operand, needle, true)
                    }
                    ExprKind::InList { list } => Some(self.in_list(list, true)),
                    _ => {
                        self.fail(
                            e.span,
                            "`not` has a filter only before `contains` or `contact in list`; write the test with `!=`, `not in` or `is not set`",
                        );
                        None
                    }
                }
            }
            ExprKind::Or { .. } | ExprKind::And { .. } | ExprKind::Group { .. } => {
                // INVARIANT: `disjuncts` and `conjuncts` took these apart.
                self.fail(e.span, "this condition cannot be exported");
                None
            }
        }
    }

    /// The CRM name and account type of the property `operand` names; an
    /// operand that is not `contact.NAME` is reported.
    fn property(
        &mut self,
        span: Span,
        operand: &Operand,
    ) -> Option<(String, Option<PropertyType>)> {
        match operand {
            Operand::Contact { property, .. } => Some((
                mapping::property_to_crm(&property.name).to_owned(),
                self.account.property(&property.name).cloned(),
            )),
            Operand::Event { .. } => {
                self.fail(
                    span,
                    "the CRM's criteria test the contact, not the event: `event.` fields cannot be exported",
                );
                None
            }
            Operand::Literal(_) => {
                self.fail(
                    span,
                    "the CRM's criteria test a contact property: write `contact.NAME` first",
                );
                None
            }
        }
    }

    /// A literal fits the account's type of the property: a `number`
    /// property takes numbers, a `bool` one `true` or `false`, the others
    /// strings.
    fn fits(&mut self, crm: &str, ty: Option<&PropertyType>, lit: &Literal) -> bool {
        let ok = match (ty, &lit.value) {
            (Some(PropertyType::Number), v) => matches!(v, Value::Number(_)),
            (Some(PropertyType::Bool), v) => matches!(v, Value::Bool(_)),
            (Some(_), v) => matches!(v, Value::Text(_)),
            (None, _) => true,
        };
        if !ok {
            let want = match ty {
                Some(PropertyType::Number) => "numbers",
                Some(PropertyType::Bool) => "`true` or `false`",
                _ => "strings",
            };
            self.fail(
                lit.span,
                format!(
                    "`{}` takes {want} in the account, not {}",
                    mapping::property_from_crm(crm),
                    kind_of(&lit.value)
                ),
            );
        }
        ok
    }

    /// `contact.P OP literal`.
    fn compare(&mut self, span: Span, lhs: &Operand, op: CmpOp, rhs: &Operand) -> Option<Json> {
        let (crm, ty) = self.property(span, lhs)?;
        let Operand::Literal(lit) = rhs else {
            self.fail(span, "the CRM's criteria compare a property with a value, not with another property or an event field");
            return None;
        };
        if !self.fits(&crm, ty.as_ref(), lit) {
            return None;
        }
        let ordered = |op: CmpOp| match op {
            CmpOp::Lt => Some("IS_LESS_THAN"),
            CmpOp::Le => Some("IS_LESS_THAN_OR_EQUAL_TO"),
            CmpOp::Gt => Some("IS_GREATER_THAN"),
            CmpOp::Ge => Some("IS_GREATER_THAN_OR_EQUAL_TO"),
            CmpOp::Eq | CmpOp::Ne => None,
        };
        let equality = if op == CmpOp::Eq {
            "IS_EQUAL_TO"
        } else {
            "IS_NOT_EQUAL_TO"
        };
        match (&lit.value, ordered(op)) {
            (Value::Number(n), operator) => {
                let Some(n) = number(*n) else {
                    self.fail(lit.span, "the number is too large for the CRM");
                    return None;
                };
                Some(filter(
                    &crm,
                    "NUMBER",
                    operator.unwrap_or(equality),
                    Some(("value", n)),
                ))
            }
            (v, Some(_)) => {
                self.fail(
                    span,
                    format!(
                        "the CRM orders numbers only: `{}` cannot be compared with {}",
                        op.as_str(),
                        kind_of(v)
                    ),
                );
                None
            }
            (Value::Bool(b), None) => {
                Some(filter(&crm, "BOOL", equality, Some(("value", json!(b)))))
            }
            (Value::Text(s), None) => {
                let value = self.value_id(&crm, s, lit.span);
                if matches!(ty, Some(PropertyType::Enum(_))) {
                    let operator = if op == CmpOp::Eq {
                        "IS_ANY_OF"
                    } else {
                        "IS_NONE_OF"
                    };
                    Some(filter(
                        &crm,
                        "ENUMERATION",
                        operator,
                        Some(("values", json!([value]))),
                    ))
                } else {
                    Some(filter(
                        &crm,
                        "STRING",
                        equality,
                        Some(("value", json!(value))),
                    ))
                }
            }
        }
    }

    /// A string value as the CRM writes it: an owner's email as the
    /// owner's id.
    fn value_id(&mut self, crm: &str, s: &str, span: Span) -> String {
        if crm == mapping::OWNER_PROPERTY {
            let user = Str {
                value: s.to_owned(),
                span,
            };
            self.id(Kind::Owner, &user)
        } else {
            s.to_owned()
        }
    }

    /// `contact.P [not] in [values]`: the values as the CRM's strings.
    fn one_of(
        &mut self,
        span: Span,
        operand: &Operand,
        negated: bool,
        values: &[Literal],
    ) -> Option<Json> {
        let (crm, ty) = self.property(span, operand)?;
        let mut out = Vec::with_capacity(values.len());
        for lit in values {
            if !self.fits(&crm, ty.as_ref(), lit) {
                return None;
            }
            let text = match &lit.value {
                Value::Text(s) => self.value_id(&crm, s, lit.span),
                Value::Number(n) => match number(*n) {
                    Some(j) => j.to_string(),
                    None => {
                        self.fail(lit.span, "the number is too large for the CRM");
                        return None;
                    }
                },
                Value::Bool(b) => b.to_string(),
            };
            if ty.is_none() && !matches!(lit.value, Value::Text(_)) {
                self.fail(
                    lit.span,
                    format!(
                        "the CRM lists values as strings: a list of {} needs `{}` typed in the account's properties",
                        kind_of(&lit.value),
                        mapping::property_from_crm(&crm)
                    ),
                );
                return None;
            }
            out.push(json!(text));
        }
        let operator = if negated { "IS_NONE_OF" } else { "IS_ANY_OF" };
        Some(filter(
            &crm,
            "ENUMERATION",
            operator,
            Some(("values", Json::Array(out))),
        ))
    }

    /// `[not] contact.P contains "text"`.
    fn contains(
        &mut self,
        span: Span,
        operand: &Operand,
        needle: &Str,
        negated: bool,
    ) -> Option<Json> {
        let (crm, ty) = self.property(span, operand)?;
        if crm == mapping::OWNER_PROPERTY
            || matches!(ty, Some(PropertyType::Number | PropertyType::Bool))
        {
            self.fail(
                span,
                format!(
                    "`contains` has a filter only on text properties, not on `{}`",
                    mapping::property_from_crm(&crm)
                ),
            );
            return None;
        }
        let operator = if negated {
            "DOES_NOT_CONTAIN"
        } else {
            "CONTAINS"
        };
        Some(filter(
            &crm,
            "STRING",
            operator,
            Some(("value", json!(needle.value))),
        ))
    }

    /// `[not] contact in list "L"`.
    fn in_list(&mut self, list: &Str, negated: bool) -> Json {
        let id = self.id(Kind::List, list);
        let operator = if negated { "NOT_IN_LIST" } else { "IN_LIST" };
        json!({"filterType": "IN_LIST", "listId": id, "operator": operator})
    }
}
