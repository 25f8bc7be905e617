//! Rules compiled for the engine: triggers as (event type, field = value)
//! tests, conditions with property names resolved to indices. The index
//! from events to the rules that can match them is in `index`.
//!
//! Condition semantics (`docs/semantics.md`, "Triggers and conditions"): a comparison with an
//! unset operand is false (`!=` too); values of different types compare
//! false; `not in` with an unset operand is false; strings compare by code
//! point; ordering comparisons between booleans are false.

use super::event::{Event, EventType};
use super::explain::ClauseFailure;
use super::names::{Interned, NameMap, TraceNames};
use crate::source::{FileId, Sources};
use crate::syntax::Program;
use crate::syntax::ast::{self, CmpOp, ExprKind, Operand, Setting};
use crate::value::{Value, ValueRef};
use std::cmp::Ordering;

/// A rule's stable identity: its file and the byte offset of its `when`.
/// It survives replacing the rule set (`Engine::set_rules`) as long as the
/// caller keeps the rule's `FileId` and text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RuleKey {
    /// The file the rule is in.
    pub file: FileId,
    /// The byte offset of its `when`.
    pub offset: usize,
}

/// An operand with names resolved.
#[derive(Debug, Clone)]
pub(crate) enum Opnd {
    /// A contact property (index into the property table; `None` when the
    /// property does not exist, which is always unset).
    Contact(Option<u32>, String),
    /// An event field.
    Event(String),
    /// A literal.
    Lit(Value),
}

/// A compiled condition; `text` is the clause as written.
#[derive(Debug, Clone)]
pub(crate) enum Cond {
    Or(Box<Cond>, Box<Cond>, String),
    And(Box<Cond>, Box<Cond>),
    Not(Box<Cond>, String),
    Compare(Opnd, CmpOp, Opnd, String),
    In(Opnd, bool, Vec<Value>, String),
    Contains(Opnd, String, String),
    IsSet(Opnd, bool, String),
    InList(Option<u32>, String, String),
}

/// What a condition reads: the contact's properties and lists, the event.
pub(crate) struct Subject<'a> {
    pub props: &'a [Option<Value>],
    pub lists: &'a [u32],
    pub event: &'a Event,
}

impl<'s> Subject<'s> {
    fn get<'o>(&self, o: &'o Opnd) -> Option<ValueRef<'o>>
    where
        's: 'o,
    {
        match o {
            Opnd::Contact(idx, _) => idx
                .and_then(|i| self.props.get(i as usize))
                .and_then(Option::as_ref)
                .map(Value::as_ref),
            Opnd::Event(f) => self.event.field(f),
            Opnd::Lit(l) => Some(l.as_ref()),
        }
    }
}

impl Cond {
    /// Evaluates the condition.
    pub fn eval(&self, s: &Subject<'_>) -> bool {
        match self {
            Cond::Or(a, b, _) => a.eval(s) || b.eval(s),
            Cond::And(a, b) => a.eval(s) && b.eval(s),
            Cond::Not(a, _) => !a.eval(s),
            Cond::Compare(l, op, r, _) => {
                let (Some(l), Some(r)) = (s.get(l), s.get(r)) else {
                    return false;
                };
                match op {
                    CmpOp::Eq => l.equals(r),
                    CmpOp::Ne => l.differs(r),
                    CmpOp::Lt => l.order(r) == Some(Ordering::Less),
                    CmpOp::Le => matches!(l.order(r), Some(Ordering::Less | Ordering::Equal)),
                    CmpOp::Gt => l.order(r) == Some(Ordering::Greater),
                    CmpOp::Ge => matches!(l.order(r), Some(Ordering::Greater | Ordering::Equal)),
                }
            }
            Cond::In(o, negated, values, _) => match s.get(o) {
                // Like `!=`, `not in` is false for an unset value and for a
                // value of another type than the list's. One pass: a match
                // decides at once; without one, `not in` holds if some
                // value had the operand's type.
                Some(v) => {
                    let mut typed = false;
                    for l in values {
                        let l = l.as_ref();
                        if v.equals(l) {
                            return !*negated;
                        }
                        typed |= v.same_type(l);
                    }
                    typed && *negated
                }
                None => false,
            },
            Cond::Contains(o, needle, _) => {
                matches!(s.get(o), Some(ValueRef::Text(h)) if h.contains(needle.as_str()))
            }
            Cond::IsSet(o, negated, _) => s.get(o).is_some() != *negated,
            Cond::InList(list, _, _) => list.is_some_and(|l| s.lists.contains(&l)),
        }
    }

    fn operands<'c>(&'c self, out: &mut Vec<&'c Opnd>) {
        match self {
            Cond::Or(a, b, _) | Cond::And(a, b) => {
                a.operands(out);
                b.operands(out);
            }
            Cond::Not(a, _) => a.operands(out),
            Cond::Compare(l, _, r, _) => {
                out.push(l);
                out.push(r);
            }
            Cond::In(o, ..) | Cond::Contains(o, ..) | Cond::IsSet(o, ..) => out.push(o),
            Cond::InList(..) => {}
        }
    }

    /// The first clause that makes a false condition false.
    pub fn failure(&self, s: &Subject<'_>) -> ClauseFailure {
        match self {
            Cond::And(a, b) if !a.eval(s) => a.failure(s),
            Cond::And(_, b) => b.failure(s),
            _ => {
                let mut ops = Vec::new();
                self.operands(&mut ops);
                let observed = ops
                    .iter()
                    .filter_map(|o| {
                        match o {
                            Opnd::Contact(_, name) => Some(format!("contact.{name}")),
                            Opnd::Event(f) => Some(format!("event.{f}")),
                            Opnd::Lit(_) => None,
                        }
                        .map(|n| (n, s.get(o).map(ValueRef::to_value)))
                    })
                    .collect();
                ClauseFailure {
                    clause: self.text().to_owned(),
                    observed,
                    requirement: self.requirement(),
                }
            }
        }
    }

    fn text(&self) -> &str {
        match self {
            Cond::Or(_, _, t)
            | Cond::Not(_, t)
            | Cond::Compare(.., t)
            | Cond::In(.., t)
            | Cond::Contains(.., t)
            | Cond::IsSet(.., t)
            | Cond::InList(.., t) => t,
            Cond::And(a, _) => a.text(),
        }
    }

    fn requirement(&self) -> String {
        let lit = Value::to_string;
        match self {
            Cond::Compare(l, op, Opnd::Lit(r), _) if !matches!(l, Opnd::Lit(_)) => {
                format!("{} {}", op.as_str(), lit(r))
            }
            Cond::In(_, negated, values, _) => {
                let values: Vec<String> = values.iter().map(lit).collect();
                let not = if *negated { "not " } else { "" };
                format!("{not}in [{}]", values.join(", "))
            }
            Cond::Contains(_, needle, _) => format!("contains {needle:?}"),
            Cond::IsSet(_, negated, _) => {
                if *negated {
                    "to be unset".to_owned()
                } else {
                    "to be set".to_owned()
                }
            }
            Cond::InList(_, name, _) => format!("the contact to be in list {name:?}"),
            other => format!("`{}`", other.text()),
        }
    }
}

/// One trigger: the event type and the fields its arguments must equal.
#[derive(Debug, Clone)]
pub(crate) struct Trig {
    pub kind: Option<EventType>,
    /// (field name, its position in the event type's schema entry, the
    /// value it must equal).
    pub args: Vec<(&'static str, Option<usize>, Value)>,
}

impl Trig {
    fn matches(&self, e: &Event) -> bool {
        self.kind == Some(e.event_type())
            && self.args.iter().all(|(_, f, l)| {
                f.and_then(|f| e.kind.field_at(f))
                    .is_some_and(|v| v.equals(l.as_ref()))
            })
    }
}

/// A compiled action.
#[derive(Debug, Clone)]
pub(crate) enum Act {
    Enroll {
        sequence: Interned,
        /// The sequence's index, if the account has it.
        sequence_ix: Option<u32>,
        /// `None`: from owner.
        user: Option<Interned>,
        /// The fixed user's index, if the account has the user.
        user_ix: Option<u32>,
        via: Option<Interned>,
    },
    Unenroll {
        sequence: Option<Interned>,
    },
}

#[derive(Debug, Clone)]
pub(crate) struct CompiledRule {
    pub key: RuleKey,
    /// `FILE:LINE`.
    pub name: Interned,
    pub workflow: Option<Interned>,
    pub reenroll: bool,
    /// Suppression lists: (index if the list exists, name).
    pub suppress: Vec<(Option<u32>, String)>,
    pub triggers: Vec<Trig>,
    pub condition: Option<Cond>,
    /// The operands of the condition's `and` / `or`, for the counters.
    pub operands: Vec<super::counters::OperandSite>,
    pub actions: Vec<Act>,
}

impl CompiledRule {
    /// Whether one of the triggers matches the event.
    pub fn triggered_by(&self, e: &Event) -> bool {
        self.triggers.iter().any(|t| t.matches(e))
    }
}

/// Name tables the compiler resolves against.
pub(crate) struct Names<'a> {
    pub properties: &'a NameMap<String, u32>,
    pub lists: &'a NameMap<String, u32>,
    pub sequences: &'a NameMap<String, u32>,
    pub users: &'a NameMap<String, u32>,
}

fn operand(o: &Operand, names: &Names<'_>) -> Opnd {
    match o {
        Operand::Contact { property, .. } => Opnd::Contact(
            names.properties.get(&property.name).copied(),
            property.name.clone(),
        ),
        Operand::Event { field, .. } => Opnd::Event(field.name.clone()),
        Operand::Literal(l) => Opnd::Lit(l.value.clone()),
    }
}

fn condition(e: &ast::Expr, text: &str, names: &Names<'_>) -> Cond {
    let src = || text.get(e.span.range()).unwrap_or("").to_owned();
    match &e.kind {
        ExprKind::Or { lhs, rhs } => Cond::Or(
            Box::new(condition(lhs, text, names)),
            Box::new(condition(rhs, text, names)),
            src(),
        ),
        ExprKind::And { lhs, rhs } => Cond::And(
            Box::new(condition(lhs, text, names)),
            Box::new(condition(rhs, text, names)),
        ),
        ExprKind::Not { expr } => Cond::Not(Box::new(condition(expr, text, names)), src()),
        ExprKind::Group { expr } => condition(expr, text, names),
        ExprKind::Compare { lhs, op, rhs } => {
            Cond::Compare(operand(lhs, names), *op, operand(rhs, names), src())
        }
        ExprKind::In {
            operand: o,
            negated,
            values,
        } => Cond::In(
            operand(o, names),
            *negated,
            values.iter().map(|l| l.value.clone()).collect(),
            src(),
        ),
        ExprKind::Contains { operand: o, needle } => {
            Cond::Contains(operand(o, names), needle.value.clone(), src())
        }
        ExprKind::IsSet {
            operand: o,
            negated,
        } => Cond::IsSet(operand(o, names), *negated, src()),
        ExprKind::InList { list } => Cond::InList(
            names.lists.get(&list.value).copied(),
            list.value.clone(),
            src(),
        ),
    }
}

fn trigger(t: &ast::Trigger) -> Trig {
    let kind = EventType::parse(&t.name.name);
    let sig = crate::triggers::lookup(&t.name.name);
    let mut args = Vec::new();
    let mut bad = kind.is_none();
    for arg in &t.args {
        let param = match (&arg.name, sig) {
            (None, Some(sig)) => sig.positional.map(|p| p.event_field),
            (Some(n), Some(sig)) => sig.named_param(&n.name).map(|p| p.event_field),
            _ => None,
        };
        match param {
            Some(field) => {
                let at = kind.and_then(|k| k.field_index(field));
                args.push((field, at, arg.value.value.clone()));
            }
            // An argument the trigger does not take (the checker reports
            // it): the trigger can never match.
            None => bad = true,
        }
    }
    Trig {
        kind: if bad { None } else { kind },
        args,
    }
}

/// Compiles every rule of `programs` in program order.
pub(crate) fn compile(
    sources: &Sources,
    programs: &[(crate::source::FileId, Program)],
    names: &Names<'_>,
    trace: &mut TraceNames,
) -> Vec<CompiledRule> {
    let mut out = Vec::new();
    for (file, program) in programs {
        let source = sources.get(*file);
        let text = source.map_or("", |s| s.text.as_str());
        let base = source.map_or("<unknown>", |s| s.base_name());
        for (block, rule) in program.rules() {
            let line = source.map_or(1, |s| s.line_col(rule.span.start).0);
            let mut reenroll = false;
            let mut suppress = Vec::new();
            for setting in block.map_or(&[][..], |w| w.settings.as_slice()) {
                match setting {
                    Setting::Reenroll { .. } => reenroll = true,
                    Setting::Suppress { list, .. } => {
                        suppress.push((names.lists.get(&list.value).copied(), list.value.clone()))
                    }
                }
            }
            let name = trace.interned(&format!("{base}:{line}"));
            let workflow = block.map(|w| trace.interned(&w.name.value));
            out.push(CompiledRule {
                key: RuleKey {
                    file: *file,
                    offset: rule.span.start,
                },
                name,
                workflow,
                reenroll,
                suppress,
                triggers: rule.triggers.iter().map(trigger).collect(),
                condition: rule.condition.as_ref().map(|c| condition(c, text, names)),
                operands: super::counters::operand_sites(rule.condition.as_ref(), source),
                actions: rule
                    .actions
                    .iter()
                    .map(|a| match a {
                        ast::Action::Enroll {
                            sequence,
                            sender,
                            via,
                            ..
                        } => {
                            let user = match sender {
                                ast::Sender::Owner { .. } => None,
                                ast::Sender::User { email, .. } => Some(&email.value),
                            };
                            Act::Enroll {
                                sequence: trace.interned(&sequence.value),
                                sequence_ix: names.sequences.get(&sequence.value).copied(),
                                user_ix: user.and_then(|u| names.users.get(u).copied()),
                                user: user.map(|u| trace.interned(u)),
                                via: via.as_ref().map(|v| trace.interned(&v.value)),
                            }
                        }
                        ast::Action::Unenroll { sequence, .. } => Act::Unenroll {
                            sequence: sequence.as_ref().map(|s| trace.interned(&s.value)),
                        },
                    })
                    .collect(),
            });
        }
    }
    out
}
