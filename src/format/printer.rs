//! The canonical layout: a [`Program`] and its comments → lines of text.
//!
//! The printer walks the program in source order and takes the comments
//! that come before or beside each construct from [`SourceText`], so every
//! comment is printed exactly once, in order. Layout rules are written out
//! in `docs/language.md` ("Formatting").

use super::MAX_WIDTH;
use super::comments::{Comment, SourceText};
use crate::syntax::ast::*;
use crate::value::Value;

const INDENT: usize = 2;

/// Prints one program; consumes the comments of its [`SourceText`].
pub struct Printer<'a> {
    source: SourceText<'a>,
    lines: Vec<String>,
}

/// One clause of a rule (`when …`, `if …`, `then …`) with the comments
/// attached to it.
struct Clause {
    /// Where the clause's keyword starts in the source.
    start: usize,
    /// Where its last token ends.
    end: usize,
    text: String,
    leading: Vec<Comment>,
    trailing: Option<Comment>,
}

/// How a construct follows the one before it in a sequence (the items of a
/// file, the settings and rules of a block).
#[derive(Clone, Copy)]
struct Gap {
    /// Source offset where the previous construct (or the sequence) ended.
    prev_end: usize,
    /// Whether something was printed before it in this sequence.
    after_construct: bool,
    /// Whether the default layout puts a blank line before it (used only
    /// when printing without source text; with source, blank lines are
    /// kept as written).
    blank: bool,
}

impl<'a> Printer<'a> {
    /// A printer over `source` (the text the program was parsed from, or
    /// [`SourceText::empty`]).
    pub fn new(source: SourceText<'a>) -> Self {
        Printer {
            source,
            lines: Vec::new(),
        }
    }

    /// Prints the program, then any comment after its last item.
    pub fn program(mut self, program: &Program) -> String {
        let mut gap = Gap {
            prev_end: 0,
            after_construct: false,
            blank: false,
        };
        for item in &program.items {
            let span = match item {
                Item::Rule(r) => r.span,
                Item::Workflow(w) => w.span,
            };
            self.leading(gap, span.start, 0);
            match item {
                Item::Rule(r) => self.rule(r, 0),
                Item::Workflow(w) => self.workflow(w),
            }
            gap = Gap {
                prev_end: span.end,
                after_construct: true,
                blank: true,
            };
        }
        self.dangling(gap, usize::MAX, 0);
        let mut out = self.lines.join("\n");
        if !out.is_empty() {
            out.push('\n');
        }
        out
    }

    fn push(&mut self, indent: usize, text: &str) {
        self.lines.push(format!("{:indent$}{text}", ""));
    }

    fn push_with_trailing(&mut self, indent: usize, text: &str, trailing: Option<Comment>) {
        match trailing {
            Some(c) => self.push(indent, &format!("{text}  {}", c.text)),
            None => self.push(indent, text),
        }
    }

    fn blank(&mut self) {
        if self.lines.last().is_some_and(|l| !l.is_empty()) {
            self.lines.push(String::new());
        }
    }

    fn comment_lines(&mut self, indent: usize, comments: Vec<Comment>) {
        for c in comments {
            self.push(indent, &c.text);
        }
    }

    /// The comments before a construct starting at `start`, with the blank
    /// lines of the layout and those the user left around comments.
    fn leading(&mut self, gap: Gap, start: usize, indent: usize) {
        let comments = self.source.take_before(start);
        let mut prev = gap.prev_end;
        // With source text, the blank lines between constructs are the
        // source's (one at most); without, the layout's default.
        let mut need_blank = gap.blank && gap.after_construct && self.source.is_empty();
        let mut any_before = gap.after_construct;
        for c in comments {
            if any_before && self.source.blank_between(prev, c.start) {
                need_blank = true;
            }
            if need_blank {
                self.blank();
                need_blank = false;
            }
            prev = c.end;
            self.push(indent, &c.text);
            any_before = true;
        }
        if any_before && self.source.blank_between(prev, start) {
            need_blank = true;
        }
        if need_blank {
            self.blank();
        }
    }

    /// Comments after the last construct of a sequence, before `end`.
    fn dangling(&mut self, gap: Gap, end: usize, indent: usize) {
        let comments = self.source.take_before(end);
        let mut prev = gap.prev_end;
        let mut any_before = gap.after_construct;
        for c in comments {
            if any_before && self.source.blank_between(prev, c.start) {
                self.blank();
            }
            prev = c.end;
            self.push(indent, &c.text);
            any_before = true;
        }
    }

    fn workflow(&mut self, w: &Workflow) {
        let header_end = self
            .source
            .token_end_after(w.name.span.end)
            .unwrap_or(w.name.span.end);
        let moved = self.source.take_before(header_end);
        self.comment_lines(0, moved);
        let header = format!("workflow {} {{", string(&w.name.value));
        let trailing = self.source.take_trailing(header_end);
        self.push_with_trailing(0, &header, trailing);

        let mut gap = Gap {
            prev_end: header_end,
            after_construct: false,
            blank: false,
        };
        for setting in &w.settings {
            let span = match setting {
                Setting::Reenroll { span } | Setting::Suppress { span, .. } => *span,
            };
            self.leading(gap, span.start, INDENT);
            let inner = self.source.take_before(span.end);
            self.comment_lines(INDENT, inner);
            let text = match setting {
                Setting::Reenroll { .. } => "reenroll".to_owned(),
                Setting::Suppress { list, .. } => format!("suppress list {}", string(&list.value)),
            };
            let trailing = self.source.take_trailing(span.end);
            self.push_with_trailing(INDENT, &text, trailing);
            gap = Gap {
                prev_end: span.end,
                after_construct: true,
                blank: false,
            };
        }
        for rule in &w.rules {
            gap.blank = true;
            self.leading(gap, rule.span.start, INDENT);
            self.rule(rule, INDENT);
            gap = Gap {
                prev_end: rule.span.end,
                after_construct: true,
                blank: true,
            };
        }
        let close = w.span.end.saturating_sub(1);
        gap.blank = false;
        self.dangling(gap, close, INDENT);
        let trailing = self.source.take_trailing(w.span.end);
        self.push_with_trailing(0, "}", trailing);
    }

    fn rule(&mut self, rule: &Rule, indent: usize) {
        let mut clauses = Vec::with_capacity(3);
        let triggers_end = rule.triggers.last().map_or(rule.span.start, |t| t.span.end);
        let triggers: Vec<String> = rule.triggers.iter().map(trigger).collect();
        clauses.push(self.clause(
            rule.span.start,
            triggers_end,
            format!("when {}", triggers.join(" or ")),
        ));
        if let Some(cond) = &rule.condition {
            let start = self.source.token_before(cond.span.start).unwrap_or(0);
            clauses.push(self.clause(start, cond.span.end, format!("if {}", expr(cond))));
        }
        let first_action = rule
            .actions
            .first()
            .map_or(rule.span.end, |a| a.span().start);
        let then_start = self.source.token_before(first_action).unwrap_or(0);
        let actions: Vec<String> = rule.actions.iter().map(action).collect();
        clauses.push(self.clause(
            then_start,
            rule.span.end,
            format!("then {}", actions.join(", ")),
        ));

        // Attach the comments inside the rule to its clauses: a comment inside
        // a clause goes before it, one after a clause's end goes beside it (same
        // line) or before the next clause.
        let count = clauses.len();
        for k in 0..count {
            let (end, next_start) = match (clauses.get(k), clauses.get(k + 1)) {
                (Some(c), next) => (c.end, next.map(|n| n.start)),
                (None, _) => continue,
            };
            let inner = self.source.take_before(end);
            let trailing = self.source.take_trailing(end);
            let before_next = next_start.map(|s| self.source.take_before(s));
            if let Some(c) = clauses.get_mut(k) {
                c.leading.extend(inner);
                c.trailing = trailing;
            }
            if let (Some(comments), Some(next)) = (before_next, clauses.get_mut(k + 1)) {
                next.leading.extend(comments);
            }
        }

        let inner_comments = clauses.iter().enumerate().any(|(k, c)| {
            (k > 0 && !c.leading.is_empty()) || (k + 1 < count && c.trailing.is_some())
        });
        let one_line: String = clauses
            .iter()
            .map(|c| c.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        if !inner_comments && indent + one_line.chars().count() <= MAX_WIDTH {
            let mut trailing = None;
            for c in clauses {
                self.comment_lines(indent, c.leading);
                trailing = c.trailing.or(trailing);
            }
            self.push_with_trailing(indent, &one_line, trailing);
        } else {
            for (k, c) in clauses.into_iter().enumerate() {
                let at = if k == 0 { indent } else { indent + INDENT };
                self.comment_lines(at, c.leading);
                self.push_with_trailing(at, &c.text, c.trailing);
            }
        }
    }

    fn clause(&self, start: usize, end: usize, text: String) -> Clause {
        Clause {
            start,
            end,
            text,
            leading: Vec::new(),
            trailing: None,
        }
    }
}

/// A string literal, re-escaped.
pub fn string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// A number as `-?digits(.digits)?` that parses back to the same value
/// (Rust prints the shortest such decimal, never an exponent).
pub fn number(n: f64) -> String {
    format!("{n}")
}

fn literal(v: &Value) -> String {
    match v {
        Value::Text(s) => string(s),
        Value::Number(n) => number(*n),
        Value::Bool(b) => b.to_string(),
    }
}

fn trigger(t: &Trigger) -> String {
    let args: Vec<String> = t
        .args
        .iter()
        .map(|a| match &a.name {
            Some(name) => format!("{}: {}", name.name, literal(&a.value.value)),
            None => literal(&a.value.value),
        })
        .collect();
    format!("{}({})", t.name.name, args.join(", "))
}

fn action(a: &Action) -> String {
    match a {
        Action::Enroll {
            sequence,
            sender,
            via,
            ..
        } => {
            let mut out = format!("enroll in {} from ", string(&sequence.value));
            match sender {
                Sender::Owner { .. } => out.push_str("owner"),
                Sender::User { email, .. } => {
                    out.push_str("user ");
                    out.push_str(&string(&email.value));
                }
            }
            if let Some(via) = via {
                out.push_str(" via ");
                out.push_str(&string(&via.value));
            }
            out
        }
        Action::Unenroll { sequence, .. } => match sequence {
            Some(s) => format!("unenroll from {}", string(&s.value)),
            None => "unenroll".to_owned(),
        },
    }
}

/// Binding strength: `or` < `and` < `not` < everything else.
fn precedence(e: &Expr) -> u8 {
    match e.kind {
        ExprKind::Or { .. } => 1,
        ExprKind::And { .. } => 2,
        ExprKind::Not { .. } => 3,
        _ => 4,
    }
}

/// `e` printed where an expression of at least `min` precedence is needed;
/// parentheses are added only for trees no parse could give.
fn operand_expr(e: &Expr, min: u8) -> String {
    if precedence(e) < min {
        format!("({})", expr(e))
    } else {
        expr(e)
    }
}

/// An expression on one line. Recursion is bounded by the parser's limit on
/// a condition's tree depth (`syntax::MAX_CONDITION_CHAIN`).
pub fn expr(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Or { lhs, rhs } => {
            format!("{} or {}", operand_expr(lhs, 1), operand_expr(rhs, 2))
        }
        ExprKind::And { lhs, rhs } => {
            format!("{} and {}", operand_expr(lhs, 2), operand_expr(rhs, 3))
        }
        ExprKind::Not { expr } => format!("not {}", operand_expr(expr, 3)),
        ExprKind::Group { expr: inner } => format!("({})", expr(inner)),
        ExprKind::Compare { lhs, op, rhs } => {
            format!("{} {} {}", operand(lhs), op.as_str(), operand(rhs))
        }
        ExprKind::In {
            operand: o,
            negated,
            values,
        } => {
            let values: Vec<String> = values.iter().map(|v| literal(&v.value)).collect();
            let not = if *negated { "not " } else { "" };
            format!("{} {not}in [{}]", operand(o), values.join(", "))
        }
        ExprKind::Contains { operand: o, needle } => {
            format!("{} contains {}", operand(o), string(&needle.value))
        }
        ExprKind::IsSet {
            operand: o,
            negated,
        } => {
            let not = if *negated { "not " } else { "" };
            format!("{} is {not}set", operand(o))
        }
        ExprKind::InList { list } => format!("contact in list {}", string(&list.value)),
    }
}

fn operand(o: &Operand) -> String {
    match o {
        Operand::Contact { property, .. } => format!("contact.{}", property.name),
        Operand::Event { field, .. } => format!("event.{}", field.name),
        Operand::Literal(l) => literal(&l.value),
    }
}
