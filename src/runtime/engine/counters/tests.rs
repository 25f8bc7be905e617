//! Counts of a small script checked by hand, and counting that changes
//! no decision.

use super::{ConditionCounts, Connective, RuleCounts};
use crate::runtime::{Engine, Options, Record, replay_records};
use crate::source::Sources;

const ACCOUNT: &str = r#"{
  "timezone": "UTC",
  "users": [{"email": "ana@acme.test", "seats": ["sales_enterprise"], "inboxes": ["ana@acme.test"]}],
  "sequences": [{"name": "Booking", "steps": []}],
  "properties": {
    "employees": {"type": "number"},
    "tier": {"type": "enum", "values": ["gold", "silver"]},
    "trial": {"type": "bool"}
  },
  "contacts": [
    {"id": "c-1", "owner": "ana@acme.test", "properties": {"employees": 40, "tier": "gold"}},
    {"id": "c-2", "owner": "ana@acme.test", "properties": {"employees": 5}},
    {"id": "c-3", "owner": "ana@acme.test", "properties": {"employees": 12}}
  ]
}"#;

const SCRIPT: &str = r#"when form_submitted("a")
  if contact.employees >= 10 and (contact.tier == "gold" or contact.tier is set) and not contact.trial == true
  then enroll in "Booking" from owner
when form_submitted("b") then unenroll
workflow "W" {
  reenroll
  when form_submitted("a") or property_changed("tier") if contact.employees > 100 then unenroll
}
"#;

const EVENTS: &str = r#"{"at": "2026-03-02T08:00:00Z", "type": "form_submitted", "contact": "c-1", "form": "a"}
{"at": "2026-03-02T08:01:00Z", "type": "form_submitted", "contact": "c-2", "form": "a"}
{"at": "2026-03-02T08:02:00Z", "type": "form_submitted", "contact": "c-3", "form": "a"}
"#;

fn engine(
    script: &str,
) -> (
    Engine,
    Sources,
    Vec<(crate::source::FileId, crate::syntax::Program)>,
) {
    let account = crate::account::from_text("account.json", ACCOUNT, false).unwrap();
    let mut sources = Sources::new();
    let id = sources.add("dir/q.wf", script);
    let programs = vec![(id, crate::syntax::parse(id, script).unwrap())];
    (
        Engine::new(&account, &sources, &programs),
        sources,
        programs,
    )
}

fn counted(events: &str) -> (Vec<RuleCounts>, Vec<Record>) {
    let (mut engine, _, _) = engine(SCRIPT);
    engine.set_counting(true);
    let records = replay_records(&mut engine, events, Options::default()).unwrap();
    (engine.rule_counts().unwrap(), records)
}

#[test]
fn counts_triggers_conditions_and_operands_of_a_small_script() {
    let (counts, _) = counted(EVENTS);
    assert_eq!(counts.len(), 3);
    let first = &counts[0];
    assert_eq!(first.rule, "q.wf:1");
    assert_eq!(first.triggered, 3);
    let cond = first.condition.as_ref().unwrap();
    assert_eq!((cond.held, cond.failed), (1, 2));
    let seen: Vec<(&str, &str, Connective, u64, u64)> = cond
        .operands
        .iter()
        .map(|o| {
            (
                o.site.place.as_str(),
                o.site.text.as_str(),
                o.site.connective,
                o.seen_true,
                o.seen_false,
            )
        })
        .collect();
    assert_eq!(
        seen,
        vec![
            ("q.wf:2:6", "contact.employees >= 10", Connective::And, 2, 1),
            (
                "q.wf:2:34",
                "(contact.tier == \"gold\" or contact.tier is set)",
                Connective::And,
                1,
                1
            ),
            (
                "q.wf:2:35",
                "contact.tier == \"gold\"",
                Connective::Or,
                1,
                1
            ),
            ("q.wf:2:61", "contact.tier is set", Connective::Or, 0, 1),
            (
                "q.wf:2:86",
                "not contact.trial == true",
                Connective::And,
                1,
                0
            ),
        ]
    );
    // A rule without `if` has no condition counts, and this one never ran.
    assert_eq!(counts[1].rule, "q.wf:4");
    assert_eq!((counts[1].triggered, &counts[1].condition), (0, &None));
    // A condition without `and` / `or` has no operands.
    assert_eq!(counts[2].rule, "q.wf:7");
    assert_eq!(counts[2].workflow.as_deref(), Some("W"));
    assert_eq!(
        counts[2].condition,
        Some(ConditionCounts {
            held: 0,
            failed: 3,
            operands: vec![]
        })
    );
}

#[test]
fn counting_changes_no_decision_and_is_off_by_default() {
    let (mut plain, _, _) = engine(SCRIPT);
    let expected = replay_records(&mut plain, EVENTS, Options::default()).unwrap();
    assert!(plain.rule_counts().is_none());
    let (_, records) = counted(EVENTS);
    assert_eq!(records, expected);
    assert_eq!(records.len(), 2, "{records:?}");
}

#[test]
fn counts_follow_rules_that_stay_when_the_rules_change() {
    let (mut engine, mut sources, programs) = engine(SCRIPT);
    engine.set_counting(true);
    replay_records(&mut engine, EVENTS, Options::default()).unwrap();
    let extra = "when form_submitted(\"a\") then unenroll\n";
    let id = sources.add("x.wf", extra);
    let mut more = vec![(id, crate::syntax::parse(id, extra).unwrap())];
    more.extend(programs);
    engine.set_rules(&sources, &more);
    let counts = engine.rule_counts().unwrap();
    let triggered: Vec<(&str, u64)> = counts
        .iter()
        .map(|c| (c.rule.as_str(), c.triggered))
        .collect();
    assert_eq!(
        triggered,
        vec![("x.wf:1", 0), ("q.wf:1", 3), ("q.wf:4", 0), ("q.wf:7", 3)]
    );
    engine.set_counting(false);
    assert!(engine.rule_counts().is_none());
}

#[test]
fn an_or_stops_at_its_first_true_operand() {
    let script = "when form_submitted(\"a\") if contact.employees > 1 or contact.employees > 2 or contact.tier is set then unenroll\n";
    let (mut engine, _, _) = engine(script);
    engine.set_counting(true);
    replay_records(&mut engine, EVENTS, Options::default()).unwrap();
    let counts = engine.rule_counts().unwrap();
    let ops: Vec<(u64, u64)> = counts[0]
        .condition
        .as_ref()
        .unwrap()
        .operands
        .iter()
        .map(|o| (o.seen_true, o.seen_false))
        .collect();
    // Every contact has more than one employee: the later operands are
    // never evaluated.
    assert_eq!(ops, vec![(3, 0), (0, 0), (0, 0)]);
}

/// A random condition over the account's properties, as text.
fn condition_text() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    let leaf = prop_oneof![
        (0..60u32).prop_map(|n| format!("contact.employees >= {n}")),
        Just("contact.tier == \"gold\"".to_owned()),
        Just("contact.tier is set".to_owned()),
        Just("contact.trial == true".to_owned()),
    ];
    leaf.prop_recursive(4, 24, 3, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a} and {b}")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a} or {b}")),
            inner.clone().prop_map(|a| format!("not ({a})")),
            inner.prop_map(|a| format!("({a})")),
        ]
    })
}

proptest::proptest! {
    /// Counting evaluates every condition as the plain evaluation does,
    /// and its counts add up: held and failed make the matches, and an
    /// operand is counted at most once a match.
    #[test]
    fn counted_conditions_decide_as_plain_ones(cond in condition_text()) {
        let script = format!(
            "workflow \"W\" {{\n  reenroll\n  when form_submitted(\"a\") if {cond} then unenroll\n}}\n"
        );
        let (mut plain, _, _) = engine(&script);
        let expected = replay_records(&mut plain, EVENTS, Options::default()).unwrap();
        let (mut counting, _, _) = engine(&script);
        counting.set_counting(true);
        let records = replay_records(&mut counting, EVENTS, Options::default()).unwrap();
        proptest::prop_assert_eq!(&records, &expected);
        let counts = counting.rule_counts().unwrap();
        let rule = &counts[0];
        let c = rule.condition.as_ref().unwrap();
        proptest::prop_assert_eq!(rule.triggered, 3);
        proptest::prop_assert_eq!(c.held + c.failed, 3);
        // Each time the condition held, the unenroll action left a record.
        proptest::prop_assert_eq!(c.held as usize, records.len());
        // The first operand is evaluated whenever the condition is.
        if let Some(first) = c.operands.first() {
            proptest::prop_assert_eq!(first.seen_true + first.seen_false, 3);
        }
        for o in &c.operands {
            proptest::prop_assert!(o.seen_true + o.seen_false <= 3, "{o:?}");
            proptest::prop_assert!(script.contains(&o.site.text), "{o:?}");
        }
    }
}
