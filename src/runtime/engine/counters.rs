//! Rule counters: how often each rule's trigger matched an event, how
//! often its condition held and failed, and how often each operand of an
//! `and` / `or` in the condition was true and false. They feed coverage
//! (`wf test --coverage`) and reports.
//!
//! Counting is off unless asked for ([`Engine::set_counting`]); when it is
//! off the engine pays one branch per candidate rule and evaluates
//! conditions exactly as before. When it is on, a condition is evaluated
//! by [`Tally::condition`], which walks the same compiled condition with
//! the same short-circuits and tallies each operand it evaluates.
//!
//! # Operands
//!
//! The operands of a condition are the parts joined by `and` or by `or`,
//! a chain of one connective taken whole (`a and b and c` has the three
//! operands `a`, `b`, `c`; parentheses of the same connective do not
//! start a new chain), in the order written, an operand before the
//! operands nested in it. `a or b and c` has the operands `a` and
//! `b and c` of the `or`, then `b` and `c` of the `and`.
//! Each is named by its place in the script, `FILE:LINE:COL` (the file's
//! base name, as the trace names rules), and its text as written.
//!
//! Evaluation stops at the first operand that decides its chain (a false
//! one in an `and`, a true one in an `or`); the operands after it were
//! not evaluated and are not counted.
//!
//! # Invariants
//!
//! - [`OperandSite`]s of a rule (made when the rule is compiled, from its
//!   syntax tree) and the tally's walk of the compiled condition visit
//!   operands in the same order: both flatten chains of one connective and
//!   see through parentheses, as the compiler does.
//! - Counts follow rules by [`RuleKey`] across [`Engine::set_rules`], like
//!   the rules' "fired" memory; a new rule starts from zero.

use super::Engine;
use super::rules::{CompiledRule, Cond, RuleKey, Subject};
use crate::source::SourceFile;
use crate::syntax::ast::{Expr, ExprKind};
use std::cell::Cell;

/// The connective an operand belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Connective {
    /// An operand of `and`.
    And,
    /// An operand of `or`.
    Or,
}

impl Connective {
    /// `and` or `or`.
    pub fn as_str(self) -> &'static str {
        match self {
            Connective::And => "and",
            Connective::Or => "or",
        }
    }
}

/// Where an operand of `and` / `or` is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperandSite {
    /// `FILE:LINE:COL` (1-based line and column, the file's base name).
    pub place: String,
    /// The operand as written.
    pub text: String,
    /// The connective it is an operand of.
    pub connective: Connective,
}

/// What the engine counted for one rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleCounts {
    /// `FILE:LINE` of the rule's `when`, as in the trace.
    pub rule: String,
    /// The rule's stable identity.
    pub key: RuleKey,
    /// The rule's workflow block, if it is in one.
    pub workflow: Option<String>,
    /// Events that matched one of the rule's triggers.
    pub triggered: u64,
    /// The condition's counts; `None` for a rule without `if`.
    pub condition: Option<ConditionCounts>,
}

/// What the engine counted for a rule's condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConditionCounts {
    /// Times the condition held (of the times the trigger matched).
    pub held: u64,
    /// Times it did not hold.
    pub failed: u64,
    /// Each operand of an `and` / `or`, in the order of the module header.
    pub operands: Vec<OperandCounts>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperandCounts {
    /// Where it is written.
    pub site: OperandSite,
    /// Evaluations where it was true.
    pub seen_true: u64,
    /// Evaluations where it was false.
    pub seen_false: u64,
}

/// The running counts of one rule.
#[derive(Debug, Default)]
struct RuleTally {
    triggered: Cell<u64>,
    held: Cell<u64>,
    failed: Cell<u64>,
    /// (true, false) per operand, in site order.
    operands: Vec<(Cell<u64>, Cell<u64>)>,
}

/// The engine's counters: one tally per rule, by rule index. Counting
/// goes through `&self` (cells), so that it can happen while a condition
/// borrows the engine's state.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    rules: Vec<RuleTally>,
}

fn bump(c: &Cell<u64>) {
    c.set(c.get().saturating_add(1));
}

impl Tally {
    /// Counts a trigger match of rule `ri`.
    #[inline]
    pub fn triggered(&self, ri: u32) {
        if let Some(r) = self.rules.get(ri as usize) {
            bump(&r.triggered);
        }
    }

    /// Evaluates rule `ri`'s condition as [`Cond::eval`] does, counting
    /// whether it held and each operand evaluated.
    pub fn condition(&self, ri: u32, cond: &Cond, subject: &Subject<'_>) -> bool {
        let operands = self.rules.get(ri as usize).map_or(&[][..], |r| &r.operands);
        let mut at = 0;
        let held = walk(cond, subject, operands, &mut at);
        if let Some(r) = self.rules.get(ri as usize) {
            bump(if held { &r.held } else { &r.failed });
        }
        held
    }

    /// The tallies for a new rule set `rules`: `remap[old]` is the old
    /// rule's index in the new set, if it is still there; its counts go
    /// with it. Every other rule starts from zero.
    pub fn follow(&mut self, remap: &[Option<u32>], rules: &[CompiledRule]) {
        let mut next: Vec<RuleTally> = rules
            .iter()
            .map(|r| RuleTally {
                operands: (0..r.operands.len())
                    .map(|_| (Cell::new(0), Cell::new(0)))
                    .collect(),
                ..RuleTally::default()
            })
            .collect();
        for (old, new) in std::mem::take(&mut self.rules).into_iter().zip(remap) {
            if let Some(slot) = new.and_then(|n| next.get_mut(n as usize))
                && slot.operands.len() == old.operands.len()
            {
                *slot = old;
            }
        }
        self.rules = next;
    }
}

/// Evaluates `cond`, tallying the operands of its chains into `operands`
/// from index `at` on (moved past every operand of `cond`).
fn walk(cond: &Cond, s: &Subject<'_>, operands: &[(Cell<u64>, Cell<u64>)], at: &mut usize) -> bool {
    match cond {
        Cond::And(..) => chain(cond, Connective::And, s, operands, at),
        Cond::Or(..) => chain(cond, Connective::Or, s, operands, at),
        Cond::Not(inner, _) => !walk(inner, s, operands, at),
        leaf => leaf.eval(s),
    }
}

/// Evaluates a chain of one connective left to right, stopping at the
/// operand that decides it; the operands after it are skipped uncounted.
/// (Walked in place: counting allocates nothing per evaluation.)
fn chain(
    cond: &Cond,
    connective: Connective,
    s: &Subject<'_>,
    operands: &[(Cell<u64>, Cell<u64>)],
    at: &mut usize,
) -> bool {
    // `and` is decided by a false operand, `or` by a true one.
    let decisive = connective == Connective::Or;
    let mut decided = false;
    each_link(cond, connective, &mut |link| {
        if decided {
            *at += 1 + operand_count(link);
            return;
        }
        let slot = operands.get(*at);
        *at += 1;
        let value = walk(link, s, operands, at);
        if let Some((t, f)) = slot {
            bump(if value { t } else { f });
        }
        decided = value == decisive;
    });
    if decided { decisive } else { !decisive }
}

/// Calls `visit` on each operand of the chain of `connective` rooted at
/// `cond`, in order.
fn each_link<'c>(cond: &'c Cond, connective: Connective, visit: &mut dyn FnMut(&'c Cond)) {
    match (cond, connective) {
        (Cond::And(a, b), Connective::And) | (Cond::Or(a, b, _), Connective::Or) => {
            each_link(a, connective, visit);
            each_link(b, connective, visit);
        }
        _ => visit(cond),
    }
}

/// The number of operands inside `cond` (its chains and theirs).
fn operand_count(cond: &Cond) -> usize {
    let connective = match cond {
        Cond::And(..) => Connective::And,
        Cond::Or(..) => Connective::Or,
        Cond::Not(inner, _) => return operand_count(inner),
        _ => return 0,
    };
    let mut n = 0;
    each_link(cond, connective, &mut |link| n += 1 + operand_count(link));
    n
}

/// The operands of a rule's condition, with their places in `source`, in
/// the order the tally counts them.
pub(crate) fn operand_sites(
    condition: Option<&Expr>,
    source: Option<&SourceFile>,
) -> Vec<OperandSite> {
    let mut out = Vec::new();
    if let Some(e) = condition {
        sites(e, source, &mut out);
    }
    out
}

fn sites(e: &Expr, source: Option<&SourceFile>, out: &mut Vec<OperandSite>) {
    let connective = match &e.kind {
        ExprKind::And { .. } => Connective::And,
        ExprKind::Or { .. } => Connective::Or,
        ExprKind::Not { expr } | ExprKind::Group { expr } => return sites(expr, source, out),
        _ => return,
    };
    let mut links = Vec::new();
    flatten_expr(e, connective, &mut links);
    for link in links {
        let (line, column) = source.map_or((0, 0), |s| s.line_col(link.span.start));
        out.push(OperandSite {
            place: format!(
                "{}:{line}:{column}",
                source.map_or("<unknown>", |s| s.base_name())
            ),
            text: source
                .and_then(|s| s.text.get(link.span.range()))
                .unwrap_or("")
                .to_owned(),
            connective,
        });
        sites(link, source, out);
    }
}

/// [`each_link`] on the syntax tree: parentheses are seen through, as the
/// compiler drops them.
fn flatten_expr<'e>(e: &'e Expr, connective: Connective, out: &mut Vec<&'e Expr>) {
    match (&e.kind, connective) {
        (ExprKind::And { lhs, rhs }, Connective::And)
        | (ExprKind::Or { lhs, rhs }, Connective::Or) => {
            flatten_expr(lhs, connective, out);
            flatten_expr(rhs, connective, out);
        }
        (ExprKind::Group { expr }, _) if same_chain(expr, connective) => {
            flatten_expr(expr, connective, out)
        }
        _ => out.push(e),
    }
}

/// Whether `e`, seen through parentheses, is a chain of `connective`.
fn same_chain(e: &Expr, connective: Connective) -> bool {
    match (&e.kind, connective) {
        (ExprKind::And { .. }, Connective::And) | (ExprKind::Or { .. }, Connective::Or) => true,
        (ExprKind::Group { expr }, _) => same_chain(expr, connective),
        _ => false,
    }
}

impl Engine {
    /// Turns rule counters on (from zero) or off (dropping the counts).
    /// Off by default: `wf run` does not count.
    pub fn set_counting(&mut self, on: bool) {
        self.counters = on.then(|| {
            let mut tally = Tally::default();
            tally.follow(&[], &self.rules);
            Box::new(tally)
        });
    }

    /// What the counters counted, one entry per rule in program order;
    /// `None` when counting is off.
    pub fn rule_counts(&self) -> Option<Vec<RuleCounts>> {
        let tally = self.counters.as_ref()?;
        let counts = self
            .rules
            .iter()
            .zip(&tally.rules)
            .map(|(rule, t)| RuleCounts {
                rule: rule.name.to_string(),
                key: rule.key,
                workflow: rule.workflow.as_deref().map(str::to_owned),
                triggered: t.triggered.get(),
                condition: rule.condition.as_ref().map(|_| ConditionCounts {
                    held: t.held.get(),
                    failed: t.failed.get(),
                    operands: rule
                        .operands
                        .iter()
                        .zip(&t.operands)
                        .map(|(site, (yes, no))| OperandCounts {
                            site: site.clone(),
                            seen_true: yes.get(),
                            seen_false: no.get(),
                        })
                        .collect(),
                }),
            })
            .collect();
        Some(counts)
    }
}

#[cfg(test)]
mod tests;
