//! Parsing a script again after an edit, for an editor's every keystroke:
//! the items before and after the edited bytes are kept from the program
//! of the text before the edit (those after it moved by the edit's change
//! of length), and only the text between is parsed.
//!
//! It rests on what parsing in parts rests on (`parse_in_parts`): items
//! are independent, and a stretch of text cut where items start parses on
//! its own as it does inside the whole script. The cuts are item starts of
//! the new text (outside any block, at the start of a line) where an item
//! of the previous program started too, one before the edit and one after
//! it; the text before the first cut and after the second is the same in
//! both. The limits are checked on the whole new text, and when the
//! middle does not parse on its own the whole text is parsed, so that a
//! syntax error is reported exactly as [`parse`](super::parse) reports it.
//! The result equals `parse` of the new text, spans included (tested).

use super::ast::{Action, Arg, Expr, ExprKind, Item, Literal, Operand, Rule, Sender, Setting, Str};
use super::{Program, check_limits, parse_part, parse_whole};
use crate::diagnostic::Diagnostic;
use crate::source::FileId;
use crate::span::Span;

/// A change of a text: the bytes `old` of the text before it were replaced
/// by `new_len` bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// The replaced bytes, in the text before the change.
    pub old: std::ops::Range<usize>,
    /// How many bytes replaced them.
    pub new_len: usize,
}

impl Edit {
    /// The one edit that covers `self` followed by `next` (whose range is
    /// in the text after `self`).
    pub fn then(self, next: &Edit) -> Edit {
        let Edit { old, new_len } = self;
        let new_end = old.start + new_len;
        let start = old.start.min(next.old.start);
        // Where the later edit ends, in the text before both.
        let old_end = if next.old.end <= new_end {
            old.end
        } else {
            old.end + (next.old.end - new_end)
        };
        let next_growth = next.new_len as isize - next.old.len() as isize;
        let covered_end = new_end.max(next.old.end).saturating_add_signed(next_growth);
        Edit {
            old: start..old_end,
            new_len: covered_end.saturating_sub(start),
        }
    }
}

/// The program of `text`, which is the text `previous` was parsed from
/// changed by `edit`.
pub fn reparse(
    file: FileId,
    text: &str,
    previous: Program,
    edit: &Edit,
) -> Result<Program, Diagnostic> {
    let item_starts = check_limits(file, text)?;
    let growth = edit.new_len as isize - edit.old.len() as isize;
    let new_end = edit.old.start + edit.new_len;
    let was_item = |old_start: usize| {
        previous
            .items
            .binary_search_by_key(&old_start, |item| item_span(item).start)
            .is_ok()
    };
    // The last cut at or before the edit, the first after it.
    let from = item_starts
        .iter()
        .rev()
        .find(|&&s| s <= edit.old.start && was_item(s))
        .copied()
        .unwrap_or(0);
    let to = item_starts
        .iter()
        .find(|&&s| {
            s >= new_end
                && s.checked_add_signed(-growth)
                    .is_some_and(|old| old >= edit.old.end && was_item(old))
        })
        .copied()
        .unwrap_or(text.len());
    let Some(middle) = text
        .get(from..to)
        .and_then(|piece| parse_part(file, from, piece))
    else {
        return parse_whole(file, text, &item_starts);
    };
    let old_to = to.checked_add_signed(-growth).unwrap_or(usize::MAX);
    let mut items = Vec::with_capacity(previous.items.len());
    let mut after = Vec::new();
    for mut item in previous.items {
        let start = item_span(&item).start;
        if start < from {
            items.push(item);
        } else if start >= old_to && to < text.len() {
            shift_item(&mut item, growth);
            after.push(item);
        }
    }
    items.extend(middle.items);
    items.extend(after);
    Ok(Program { items })
}

fn item_span(item: &Item) -> Span {
    match item {
        Item::Rule(r) => r.span,
        Item::Workflow(w) => w.span,
    }
}

fn shift(span: &mut Span, by: isize) {
    span.start = span.start.saturating_add_signed(by);
    span.end = span.end.saturating_add_signed(by);
}

fn shift_str(s: &mut Str, by: isize) {
    shift(&mut s.span, by);
}

fn shift_literal(l: &mut Literal, by: isize) {
    shift(&mut l.span, by);
}

fn shift_item(item: &mut Item, by: isize) {
    match item {
        Item::Rule(rule) => shift_rule(rule, by),
        Item::Workflow(w) => {
            shift(&mut w.span, by);
            shift_str(&mut w.name, by);
            for setting in &mut w.settings {
                match setting {
                    Setting::Reenroll { span } => shift(span, by),
                    Setting::Suppress { list, span } => {
                        shift_str(list, by);
                        shift(span, by);
                    }
                }
            }
            for rule in &mut w.rules {
                shift_rule(rule, by);
            }
        }
    }
}

fn shift_rule(rule: &mut Rule, by: isize) {
    shift(&mut rule.span, by);
    for trigger in &mut rule.triggers {
        shift(&mut trigger.span, by);
        shift(&mut trigger.name.span, by);
        for Arg { name, value, span } in &mut trigger.args {
            if let Some(name) = name {
                shift(&mut name.span, by);
            }
            shift_literal(value, by);
            shift(span, by);
        }
    }
    if let Some(condition) = &mut rule.condition {
        shift_expr(condition, by);
    }
    for action in &mut rule.actions {
        match action {
            Action::Enroll {
                sequence,
                sender,
                via,
                span,
            } => {
                shift_str(sequence, by);
                match sender {
                    Sender::Owner { span } => shift(span, by),
                    Sender::User { email, span } => {
                        shift_str(email, by);
                        shift(span, by);
                    }
                }
                if let Some(via) = via {
                    shift_str(via, by);
                }
                shift(span, by);
            }
            Action::Unenroll { sequence, span } => {
                if let Some(sequence) = sequence {
                    shift_str(sequence, by);
                }
                shift(span, by);
            }
        }
    }
}

/// Recursion is bounded by the parser's limits on condition depth
/// (`MAX_CONDITION_CHAIN`).
fn shift_expr(expr: &mut Expr, by: isize) {
    shift(&mut expr.span, by);
    match &mut expr.kind {
        ExprKind::Or { lhs, rhs } | ExprKind::And { lhs, rhs } => {
            shift_expr(lhs, by);
            shift_expr(rhs, by);
        }
        ExprKind::Not { expr } | ExprKind::Group { expr } => shift_expr(expr, by),
        ExprKind::Compare { lhs, rhs, .. } => {
            shift_operand(lhs, by);
            shift_operand(rhs, by);
        }
        ExprKind::In {
            operand, values, ..
        } => {
            shift_operand(operand, by);
            for v in values {
                shift_literal(v, by);
            }
        }
        ExprKind::Contains { operand, needle } => {
            shift_operand(operand, by);
            shift_str(needle, by);
        }
        ExprKind::IsSet { operand, .. } => shift_operand(operand, by),
        ExprKind::InList { list } => shift_str(list, by),
    }
}

fn shift_operand(operand: &mut Operand, by: isize) {
    match operand {
        Operand::Contact { property, span } => {
            shift(&mut property.span, by);
            shift(span, by);
        }
        Operand::Event { field, span } => {
            shift(&mut field.span, by);
            shift(span, by);
        }
        Operand::Literal(l) => shift_literal(l, by),
    }
}

#[cfg(test)]
mod tests;
