//! The rule index: from an event to the rules that can match it, in
//! program order, so that an event never scans rules that cannot match.
//!
//! Rules are found by event type and the value of the type's key field:
//! the first field a trigger's arguments can fix, in the event schema
//! (`EventType::index_fields`: the form, the deal's new stage, the
//! outcome, the property, the list, the source). Two types have a second
//! field a trigger may fix: the value of `property_changed(…, to:)` and
//! the old stage of `deal_stage_changed(…, from:)`; a trigger that fixes
//! both is found by the pair, so a change of `score` to 7 does not look at
//! the rules waiting for `score` to become 42.

use super::event::{Event, EventType};
use super::names::NameMap;
use super::rules::CompiledRule;
use crate::value::{Value, ValueRef};

/// A rule that may match an event: (rule index, whether the index alone
/// proves that a trigger matches — every argument of that trigger is a
/// field the index matched, or it has none — so that the triggers need not
/// be looked at again).
pub(crate) type Candidate = (u32, bool);

/// Rules keyed by the value of the second field: one map per type of
/// value, so that a lookup needs no owned key. Numbers are keyed by their
/// bits, with `-0` as `0` (they are equal); `NaN`, equal to nothing, is
/// never indexed.
#[derive(Debug, Default, Clone)]
struct BySecond {
    text: NameMap<String, Vec<Candidate>>,
    numbers: NameMap<u64, Vec<Candidate>>,
    booleans: [Vec<Candidate>; 2],
}

fn number_key(n: f64) -> Option<u64> {
    if n.is_nan() {
        None
    } else if n == 0.0 {
        Some(0)
    } else {
        Some(n.to_bits())
    }
}

impl BySecond {
    fn slot(&mut self, value: &Value) -> Option<&mut Vec<Candidate>> {
        match value {
            Value::Text(s) => Some(self.text.entry(s.to_string()).or_default()),
            Value::Number(n) => Some(self.numbers.entry(number_key(*n)?).or_default()),
            Value::Bool(b) => self.booleans.get_mut(usize::from(*b)),
        }
    }

    fn get(&self, value: ValueRef<'_>) -> &[Candidate] {
        let found = match value {
            ValueRef::Text(s) => self.text.get(s),
            ValueRef::Number(n) => number_key(n).and_then(|k| self.numbers.get(&k)),
            ValueRef::Bool(b) => self.booleans.get(usize::from(b)),
        };
        found.map_or(&[][..], Vec::as_slice)
    }
}

#[derive(Debug, Default, Clone)]
struct KindIndex {
    /// The positions of the key field and the second field
    /// ([`EventType::index_fields`]).
    fields: (Option<usize>, Option<usize>),
    /// Every rule with a trigger of this kind, not sure (explanations
    /// report the rules whose arguments differ from the event too).
    all: Vec<Candidate>,
    /// Rules with a trigger of this kind that does not fix the key field.
    any: Vec<Candidate>,
    /// Rules whose trigger fixes the key field (and not the second one).
    by_key: NameMap<String, Vec<Candidate>>,
    /// Rules whose trigger fixes the key field and the second field.
    by_pair: NameMap<String, BySecond>,
}

/// Rules by (event type, key field value[, second field value]), each
/// list in program order.
#[derive(Debug, Default, Clone)]
pub(crate) struct RuleIndex {
    kinds: Vec<KindIndex>,
}

fn push_once(v: &mut Vec<Candidate>, rule: u32, sure: bool) {
    match v.last_mut() {
        Some((r, s)) if *r == rule => *s |= sure,
        _ => v.push((rule, sure)),
    }
}

impl RuleIndex {
    pub fn new(rules: &[CompiledRule]) -> RuleIndex {
        let mut kinds: Vec<KindIndex> = (EventType::ALL.iter())
            .map(|k| KindIndex {
                fields: k.index_fields(),
                ..KindIndex::default()
            })
            .collect();
        for (i, rule) in rules.iter().enumerate() {
            let i = u32::try_from(i).unwrap_or(u32::MAX);
            for t in &rule.triggers {
                let Some(kind) = t.kind else { continue };
                let Some(ki) = kinds.get_mut(kind.index()) else {
                    continue;
                };
                // Arguments by the field they fix (as the rule compiler
                // resolved them).
                push_once(&mut ki.all, i, false);
                let (key_field, second_field) = ki.fields;
                let arg = |field: usize| t.args.iter().find(|(_, f, _)| *f == Some(field));
                let fixed = key_field.and_then(arg);
                let second = second_field.and_then(arg);
                match (fixed, second) {
                    (None, _) => push_once(&mut ki.any, i, t.args.is_empty()),
                    (Some((_, _, Value::Text(v))), Some((_, _, value))) => {
                        let by_value = ki.by_pair.entry(v.to_string()).or_default();
                        if let Some(slot) = by_value.slot(value) {
                            push_once(slot, i, t.args.len() == 2);
                        }
                    }
                    (Some((_, _, Value::Text(v))), None) => push_once(
                        ki.by_key.entry(v.to_string()).or_default(),
                        i,
                        t.args.len() == 1,
                    ),
                    // A non-string key never equals the (string) field.
                    (Some(_), _) => {}
                }
            }
        }
        RuleIndex { kinds }
    }

    /// Every rule with a trigger of `e`'s type, in program order, none
    /// sure: what an explanation looks at.
    pub fn all_of_type(&self, e: &Event, out: &mut Vec<Candidate>) {
        out.clear();
        if let Some(ki) = self.kinds.get(e.event_type().index()) {
            out.extend_from_slice(&ki.all);
        }
    }

    /// The rules that may match `e`, in program order, into `out`.
    pub fn candidates(&self, e: &Event, out: &mut Vec<Candidate>) {
        out.clear();
        let Some(ki) = self.kinds.get(e.event_type().index()) else {
            return;
        };
        let (key_field, second_field) = ki.fields;
        let key = match key_field.and_then(|f| e.kind.field_at(f)) {
            Some(ValueRef::Text(k)) => Some(k),
            _ => None,
        };
        let keyed = key
            .and_then(|k| ki.by_key.get(k))
            .map_or(&[][..], Vec::as_slice);
        let paired = match (key, second_field) {
            (Some(k), Some(field)) if !ki.by_pair.is_empty() => {
                match (ki.by_pair.get(k), e.kind.field_at(field)) {
                    (Some(by_value), Some(value)) => by_value.get(value),
                    _ => &[][..],
                }
            }
            _ => &[][..],
        };
        let lists = [&ki.any[..], keyed, paired];
        let non_empty = lists.iter().filter(|l| !l.is_empty()).count();
        for list in lists {
            out.extend_from_slice(list);
        }
        if non_empty > 1 {
            // Program order; a rule in several lists is sure if one says so.
            out.sort_unstable_by_key(|&(r, sure)| (r, !sure));
            out.dedup_by_key(|c| c.0);
        }
    }
}
