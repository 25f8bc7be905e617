//! Decision diffs, reports and coverage rendering.

use super::coverage::{Counters, Coverage, Operand};
use super::snapshot::decision_diff;

const A: &str = r#"{"seq":1,"at":"2026-03-02T08:15:00Z","decision":"enroll","contact":"c-1","sequence":"Booking","sender":null,"via":null,"reason":null,"rule":"q.wf:2","workflow":null,"event":1}"#;
const B: &str = r#"{"seq":2,"at":"2026-03-02T09:00:00Z","decision":"skip","contact":"c-2","sequence":"Booking","sender":null,"via":null,"reason":"daily_send_limit","rule":"q.wf:2","workflow":null,"event":2}"#;

#[test]
fn decision_diff_ignores_renumbering_and_pairs_by_time_and_contact() {
    let old = format!("{A}\n{B}\n");
    let b_first = B.replace("\"seq\":2", "\"seq\":1");
    let new = format!("{b_first}\n");
    let diff = decision_diff("x.snap", old.as_bytes(), new.as_bytes()).unwrap();
    assert_eq!(diff, ["- 2026-03-02T08:15:00Z enroll c-1 Booking - q.wf:2"]);
    let changed = B.replace("daily_send_limit", "suppressed");
    let diff = decision_diff(
        "x.snap",
        old.as_bytes(),
        format!("{A}\n{changed}\n").as_bytes(),
    )
    .unwrap();
    assert_eq!(
        diff,
        [
            "- 2026-03-02T09:00:00Z skip c-2 Booking daily_send_limit q.wf:2",
            "+ 2026-03-02T09:00:00Z skip c-2 Booking suppressed q.wf:2",
        ]
    );
}

#[test]
fn a_bad_snapshot_line_is_named() {
    let e = decision_diff("x.snap", format!("{A}\n[1]\n").as_bytes(), b"").unwrap_err();
    assert_eq!(
        e.to_string(),
        "x.snap:2: snapshot is not valid JSON Lines: a line must be a JSON object"
    );
}

#[test]
fn xml_escaping_covers_markup_and_control_characters() {
    assert_eq!(
        super::report::escape("<a & \"b\" 'c'>\u{1}"),
        "&lt;a &amp; &quot;b&quot; &apos;c&apos;&gt;"
    );
}

#[test]
fn coverage_names_untriggered_rules_one_sided_conditions_and_operands() {
    let mut c = Coverage::default();
    c.add_rules(&[
        "q.wf:2".to_owned(),
        "q.wf:6".to_owned(),
        "u.wf:1".to_owned(),
    ]);
    let op = |text: &str, t, f| Operand {
        text: text.to_owned(),
        place: format!("q.wf:3:{}", text.len()),
        seen_true: t,
        seen_false: f,
    };
    c.add_counters(
        "q.wf:2",
        &Counters {
            triggered: 4,
            conditional: true,
            held: 4,
            failed: 0,
            operands: vec![
                op("contact.employees >= 10", 4, 0),
                op("contact.tier is set", 2, 2),
            ],
        },
    );
    c.add_counters(
        "q.wf:6",
        &Counters {
            triggered: 0,
            conditional: true,
            held: 0,
            failed: 0,
            operands: vec![],
        },
    );
    c.add_counters(
        "u.wf:1",
        &Counters {
            triggered: 3,
            conditional: true,
            held: 0,
            failed: 3,
            operands: vec![],
        },
    );
    let text = c.text();
    assert!(text.contains("trigger never matched: q.wf:6\n"), "{text}");
    assert!(text.contains("condition never held: u.wf:1\n"), "{text}");
    assert!(text.contains("condition never failed: q.wf:2\n"), "{text}");
    assert!(
        text.contains("q.wf:3:23 `contact.employees >= 10` never false"),
        "{text}"
    );
    assert!(!text.contains("tier is set` never"), "{text}");
    assert!(
        text.contains("skip reasons no test produced: suppressed, reenroll_off"),
        "{text}"
    );
    let json = c.json();
    assert_eq!(json["trigger_never_matched"], serde_json::json!(["q.wf:6"]));
    assert_eq!(json["operands_one_sided"][0]["never"], "false");
    assert_eq!(json["measured"], true);
}

#[test]
fn unmeasured_counts_are_not_shown_as_numbers() {
    let mut c = Coverage::default();
    c.add_rules(&["q.wf:2".to_owned()]);
    let text = c.text();
    assert!(
        text.contains("triggered ?, held ?, failed ? (not measured)"),
        "{text}"
    );
    assert!(!text.contains("trigger never matched"), "{text}");
}

#[test]
fn diffs_are_cut_at_twenty_lines_unless_verbose() {
    let mut o = super::Outcome::new(std::path::Path::new("t.test.toml"));
    o.status = super::Status::Failed;
    o.snapshot = super::Snapshot::Changed;
    o.diff = (0..25).map(|i| format!("+ line {i}")).collect();
    let short = super::report::details(&o, false);
    assert!(short.iter().any(|l| l == "  + line 19"), "{short:?}");
    assert!(!short.iter().any(|l| l == "  + line 20"), "{short:?}");
    assert_eq!(
        short.last().unwrap(),
        "  … 5 more lines (`--verbose` shows them all)"
    );
    let long = super::report::details(&o, true);
    assert_eq!(long.last().unwrap(), "  + line 24");
}

#[test]
fn a_rule_without_a_condition_is_not_one_that_never_failed() {
    let mut c = Coverage::default();
    c.add_rules(&["q.wf:1".to_owned()]);
    c.add_counters(
        "q.wf:1",
        &Counters {
            triggered: 2,
            conditional: false,
            held: 2,
            failed: 0,
            operands: vec![],
        },
    );
    let text = c.text();
    assert!(
        text.contains("q.wf:1  triggered 2, no condition;"),
        "{text}"
    );
    assert!(!text.contains("condition never"), "{text}");
    assert_eq!(c.json()["condition_never_failed"], serde_json::json!([]));
}
