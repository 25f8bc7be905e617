use super::super::{general, parse_time, parse_utc_seconds, raw_to_event};
use super::raw_event;
use chrono::DateTime;

/// The fast path, where it applies, gives what `serde_json` gives.
fn same(text: &str) -> bool {
    let Some(fast) = raw_event(text) else {
        return false;
    };
    let slow = general(text).map(|r| raw_to_event(r, None));
    let fast = raw_to_event(fast, None);
    match slow {
        Ok(slow) => assert_eq!(fast, slow, "{text}"),
        Err(e) => panic!("fast path accepted `{text}`, serde_json says {e}"),
    }
    true
}

#[test]
fn common_lines_take_the_fast_path_and_agree() {
    for text in [
        r#"{"at": "2026-03-02T08:00:00Z", "type": "form_submitted", "contact": "c1", "form": "f1"}"#,
        r#"{"at":"2026-03-02T08:00:00Z","type":"deal_stage_changed","contact":"c1","to":"won","from":"open","deal":"d","amount":1200}"#,
        r#" { "type" : "property_changed" , "at" : "2026-03-02T08:00:00+01:00", "contact": "c", "property": "score", "value": 7 } "#,
        r#"{"at": "2026-03-02T08:00:00Z", "type": "property_changed", "contact": "c", "property": "trial", "value": true}"#,
        r#"{"at": "2026-03-02T08:00:00Z", "type": "property_changed", "contact": "c", "property": "tier", "value": null}"#,
        r#"{"at": "2026-03-02T08:00:00Z", "type": "property_changed", "contact": "c", "property": "tier", "value": "gold"}"#,
        r#"{"at": "2026-03-02T08:00:00Z", "type": "meeting_outcome", "contact": "c", "outcome": "no_show"}"#,
        r#"{"at": "2026-03-02T08:00:00Z", "type": "contact_created", "contact": "c9", "owner": "u@x", "email": "e@x", "source": "form"}"#,
        r#"{"at": "2026-03-02T08:00:00Z", "type": "email_replied", "contact": "c1"}"#,
    ] {
        assert!(same(text), "not on the fast path: {text}");
    }
}

#[test]
fn unusual_lines_are_left_to_serde_json() {
    for text in [
        r#"{"at": "2026-03-02T08:00:00Z", "type": "form_submitted", "contact": "c\"1", "form": "f1"}"#,
        r#"{"at": "2026-03-02T08:00:00Z", "type": "form_submitted", "contact": "c1", "contact": "c2", "form": "f1"}"#,
        r#"{"at": "2026-03-02T08:00:00Z", "type": "form_submitted", "contact": "c1", "form": "f1", "x": 1}"#,
        r#"{"at": "2026-03-02T08:00:00Z", "type": "deal_stage_changed", "contact": "c1", "to": "w", "amount": -1}"#,
        r#"{"at": "2026-03-02T08:00:00Z", "type": "deal_stage_changed", "contact": "c1", "to": "w", "amount": 1.5}"#,
        r#"{"at": "2026-03-02T08:00:00Z", "type": "deal_stage_changed", "contact": "c1", "to": "w", "amount": 01}"#,
        r#"{"at": "2026-03-02T08:00:00Z", "type": "deal_stage_changed", "contact": "c1", "to": "w", "amount": 1e3}"#,
        r#"{"at": "2026-03-02T08:00:00Z", "type": "deal_stage_changed", "contact": "c1", "to": "w", "amount": "1"}"#,
        r#"{"at": "2026-03-02T08:00:00Z", "type": "form_submitted", "contact": "c1", "form": "f1"} x"#,
        r#"{"at": "2026-03-02T08:00:00Z", "type": "form_submitted", "contact": "c1", "form": "f1",}"#,
        r#"{"at": "2026-03-02T08:00:00Z", "type": "contact_created", "contact": "c1", "properties": {}}"#,
        r#"{"at": "2026-03-02T08:00:00Z", "type": "user_updated", "user": "u", "daily_send_limit": 3}"#,
        r#"{"at": "2026-03-02T08:00:00Z", "type": 3, "contact": "c1"}"#,
        r#"{"at": "2026-03-02T08:00:00Z", "contact": "c1"}"#,
        r#"{"at": "2026-03-02T08:00:00Z", "type": "email_replied", "contact": nul}"#,
        "{\"at\": \"2026-03-02T08:00:00Z\", \"type\": \"email_replied\", \"contact\": \"a\tb\"}",
        "{}",
        "[1]",
        "{",
        "",
    ] {
        assert!(raw_event(text).is_none(), "on the fast path: {text}");
    }
}

#[test]
fn shape_errors_of_fast_lines_match_the_general_path() {
    // Read fast, rejected afterwards by the shared checks: same message.
    let text = r#"{"at": "2026-03-02T08:00:00Z", "type": "form_submitted", "contact": "c1"}"#;
    let fast = raw_event(text).map(|r| raw_to_event(r, None));
    let slow = general(text).map(|r| raw_to_event(r, None));
    assert_eq!(fast, slow.ok());
    assert!(matches!(fast, Some(Err(m)) if m.message.contains("missing the field `form`")));
}

#[test]
fn whole_numbers_are_exact() {
    let text = r#"{"at": "2026-03-02T08:00:00Z", "type": "deal_stage_changed", "contact": "c", "to": "w", "amount": 999999999999999}"#;
    assert!(same(text));
    let long = r#"{"at": "2026-03-02T08:00:00Z", "type": "deal_stage_changed", "contact": "c", "to": "w", "amount": 9999999999999999}"#;
    assert!(raw_event(long).is_none());
}

#[test]
fn fast_times_agree_with_rfc3339() {
    for text in [
        "2026-03-02T08:00:00Z",
        "0000-01-01T00:00:00Z",
        "9999-12-31T23:59:59Z",
        "2024-02-29T12:34:56Z",
    ] {
        let fast = parse_utc_seconds(text).unwrap();
        let slow = DateTime::parse_from_rfc3339(text).unwrap().to_utc();
        assert_eq!(fast, slow, "{text}");
        assert_eq!(parse_time(text), Ok(slow));
    }
    for text in [
        "2025-02-29T12:00:00Z",
        "2026-03-02T24:00:00Z",
        "2026-03-02T23:59:60Z",
        "2026-13-02T08:00:00Z",
        "2026-03-02t08:00:00Z",
        "2026-03-02T08:00:00+01:00",
        "2026-03-02T08:00:00.5Z",
        "+2026-03-02T08:00:00Z",
    ] {
        assert_eq!(parse_utc_seconds(text), None, "{text}");
    }
    // Left to chrono, which reads a leap second; the runtime rejects it.
    let leap = parse_time("2026-03-02T23:59:60Z").unwrap_err();
    assert!(leap.contains("no second 60"), "{leap}");
}
