//! Unit tests of the runtime's parts: time, the send window, event parsing,
//! the name hasher. Whole replays are tested in `tests/wf/runtime.rs`.

use super::EventType;
use super::schedule::{DAY, SendWindow, shift_off_weekend, to_secs};
use crate::runtime::replay::parse_event;
use chrono::{DateTime, Utc};

fn at(text: &str) -> i64 {
    to_secs(
        &DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc),
    )
}

#[test]
fn weekdays_are_not_moved() {
    let tz = chrono_tz::Europe::Warsaw;
    let friday = at("2026-03-06T14:00:00Z");
    assert_eq!(shift_off_weekend(friday, tz), friday);
}

#[test]
fn weekend_moves_to_monday_at_the_same_local_time() {
    let tz = chrono_tz::Europe::Warsaw;
    // Sunday 23:30 local is still Sunday in Warsaw though Monday is close.
    assert_eq!(
        shift_off_weekend(at("2026-03-08T22:30:00Z"), tz),
        at("2026-03-09T22:30:00Z")
    );
    // Saturday 00:30 local (Friday 23:30 UTC) is a weekend day in Warsaw.
    assert_eq!(
        shift_off_weekend(at("2026-03-06T23:30:00Z"), tz),
        at("2026-03-08T23:30:00Z")
    );
    // Across the spring change: 10:00 CET → 10:00 CEST.
    assert_eq!(
        shift_off_weekend(at("2026-03-28T09:00:00Z"), tz),
        at("2026-03-30T08:00:00Z")
    );
    // In UTC the same Saturday moves to Monday 09:00 UTC.
    assert_eq!(
        shift_off_weekend(at("2026-03-28T09:00:00Z"), chrono_tz::UTC),
        at("2026-03-30T09:00:00Z")
    );
}

#[test]
fn a_monday_time_in_a_dst_gap_moves_forward_by_the_gap() {
    // Tehran moved its clocks from 00:00 to 01:00 on Monday 22 March 2021.
    let tz = chrono_tz::Asia::Tehran;
    // Saturday 20 March 00:30 local (+03:30).
    let saturday = at("2021-03-20T00:30:00+03:30");
    // Monday 00:30 does not exist; an hour later, 01:30 (+04:30).
    assert_eq!(
        shift_off_weekend(saturday, tz),
        at("2021-03-22T01:30:00+04:30")
    );
}

#[test]
fn send_window_counts_the_last_24_hours() {
    let mut w = SendWindow::default();
    let t0 = at("2026-03-02T09:00:00Z");
    w.push(t0);
    w.push(t0 + 600);
    assert_eq!(w.count_at(t0 + 600), 2);
    // A send exactly 24 h old has left the window `(t − 24h, t]`.
    assert_eq!(w.count_at(t0 + DAY), 1);
    assert_eq!(w.count_at(t0 + DAY + 600), 0);
    // Blocked at the limit: retry when the oldest blocking send ages out.
    assert_eq!(w.retry_at(2, t0 + 1200), Some(t0 + DAY));
    assert_eq!(w.retry_at(1, t0 + 1200), Some(t0 + 600 + DAY));
    assert_eq!(w.retry_at(3, t0 + 1200), None);
    // After the limit was lowered below the count, the retry waits for
    // enough sends to age out.
    w.push(t0 + 1200);
    assert_eq!(w.retry_at(1, t0 + 1200), Some(t0 + 1200 + DAY));
}

#[test]
fn events_truncate_fractions_and_convert_offsets() {
    let e = parse_event(
        r#"{"at": "2026-03-02T09:30:00.999+01:00", "type": "email_replied", "contact": "c-1"}"#,
        None,
    )
    .unwrap();
    assert_eq!(e.event_type(), EventType::EmailReplied);
    assert_eq!(e.at.to_rfc3339(), "2026-03-02T08:30:00+00:00");
}

#[test]
fn property_changed_null_clears_but_value_is_required() {
    let clear = parse_event(
        r#"{"at": "2026-03-02T09:00:00Z", "type": "property_changed", "contact": "c-1", "property": "tier", "value": null}"#,
        None,
    )
    .unwrap();
    assert!(matches!(
        clear.kind,
        super::event::EventKind::PropertyChanged { value: None, .. }
    ));
    let missing = parse_event(
        r#"{"at": "2026-03-02T09:00:00Z", "type": "property_changed", "contact": "c-1", "property": "tier"}"#,
        None,
    )
    .unwrap_err();
    assert!(
        missing.message.contains("missing the field `value`"),
        "{missing}"
    );
}

#[test]
fn at_defaults_only_when_asked() {
    let clock = DateTime::parse_from_rfc3339("2026-03-02T09:00:00Z")
        .unwrap()
        .with_timezone(&Utc);
    let text = r#"{"type": "meeting_booked", "contact": "c-1"}"#;
    assert_eq!(parse_event(text, Some(clock)).unwrap().at, clock);
    assert!(
        parse_event(text, None)
            .unwrap_err()
            .message
            .contains("`at`")
    );
}

#[test]
fn name_hasher_spreads_similar_ids() {
    use std::hash::BuildHasher;
    let build = rustc_hash::FxBuildHasher;
    let mut buckets = std::collections::HashSet::new();
    for i in 0..100_000 {
        let h = build.hash_one(format!("c-{i}"));
        buckets.insert(h & ((1 << 17) - 1));
    }
    // 100 000 keys in 131 072 buckets: a good hash fills about 71 000.
    assert!(buckets.len() > 60_000, "{}", buckets.len());
}

#[test]
fn id_map_keeps_short_and_long_ids() {
    let mut m = super::names::IdMap::default();
    let long = "a-contact-id-that-is-longer-than-twenty-three-bytes";
    m.insert("c-1", 0);
    m.insert(long, 1);
    m.insert("12345678901234567890123", 2);
    assert_eq!(m.get("c-1"), Some(0));
    assert_eq!(m.get(long), Some(1));
    assert_eq!(m.get("12345678901234567890123"), Some(2));
    assert_eq!(m.get("c-2"), None);
    assert!(!m.contains_key("c-1\0"));
}

/// A rule found by the index through one trigger and matched by another
/// (or by none) fires exactly when one of its triggers matches.
#[test]
fn index_shortcut_fires_only_on_matching_triggers() {
    use super::Engine;
    use crate::runtime::Record;
    use crate::source::Sources;
    let account = crate::account::from_text(
        "account.json",
        r#"{"timezone": "UTC",
            "users": [{"email": "u@x.test", "seats": ["sales_enterprise"], "inboxes": ["u@x.test"]}],
            "sequences": [{"name": "S", "steps": [{"type": "task", "delay_days": 1, "title": "t", "pause": true}]}],
            "contacts": [{"id": "c1", "owner": "u@x.test"}, {"id": "c2", "owner": "u@x.test"},
                         {"id": "c3", "owner": "u@x.test"}, {"id": "c4", "owner": "u@x.test"}]}"#,
        false,
    )
    .unwrap();
    let text = "when deal_stage_changed(to: \"won\", from: \"open\") or form_submitted(\"f1\") then enroll in \"S\" from owner\n\
                when form_submitted() or form_submitted(\"f2\") then enroll in \"S\" from owner\n";
    let mut sources = Sources::new();
    let id = sources.add("r.wf", text.to_owned());
    let program = crate::syntax::parse(id, text).unwrap();
    let mut engine = Engine::new(&account, &sources, &[(id, program)]);
    let mut records: Vec<Record> = Vec::new();
    for (line, json) in [
        r#"{"at": "2026-03-02T08:00:00Z", "type": "deal_stage_changed", "contact": "c1", "to": "won", "from": "lost"}"#,
        r#"{"at": "2026-03-02T08:00:01Z", "type": "deal_stage_changed", "contact": "c2", "to": "won", "from": "open"}"#,
        r#"{"at": "2026-03-02T08:00:02Z", "type": "form_submitted", "contact": "c3", "form": "f1"}"#,
        r#"{"at": "2026-03-02T08:00:03Z", "type": "form_submitted", "contact": "c4", "form": "f2"}"#,
    ]
    .iter()
    .enumerate()
    {
        let e = parse_event(json, None).unwrap();
        engine.process(&e, Some(line + 1), &mut records);
    }
    let got: Vec<(String, Option<String>, Option<usize>)> = records
        .iter()
        .map(|r| (r.decision.as_str().to_owned(), r.contact.clone(), r.event))
        .collect();
    let rec = |d: &str, c: &str, l: usize| (d.to_owned(), Some(c.to_owned()), Some(l));
    assert_eq!(
        got,
        vec![
            // c1: `from` differs, the rule does not fire.
            rec("enroll", "c2", 2),
            rec("enroll", "c3", 3),
            // The bare trigger of the second rule matches too: already enrolled.
            rec("skip", "c3", 3),
            // The second rule, found through `f2` and through the bare
            // trigger, runs once.
            rec("enroll", "c4", 4),
        ]
    );
}

/// The word-at-a-time scan finds the same first special byte as a plain
/// scan, at every position and for every byte value.
#[test]
fn first_special_agrees_with_a_plain_scan() {
    use crate::runtime::replay::jsonl::first_special;
    let plain = |b: &[u8]| b.iter().position(|&c| c < 0x20 || c == b'"' || c == b'\\');
    for len in 0..20 {
        for pos in 0..len {
            for special in 0..=255u8 {
                let mut bytes = vec![b'a'; len];
                bytes[pos] = special;
                assert_eq!(first_special(&bytes), plain(&bytes), "{bytes:?}");
                // High bytes around it (UTF-8) do not disturb the scan.
                let mut high = vec![0xc3u8; len];
                high[pos] = special;
                assert_eq!(first_special(&high), plain(&high), "{high:?}");
            }
        }
    }
    assert_eq!(first_special("héllo wörld, no specials".as_bytes()), None);
    assert_eq!(first_special(b"abcdefgh\"ij\\"), Some(8));
}

#[test]
fn index_set_stays_sorted_inline_and_on_the_heap() {
    use super::names::IndexSet;
    let mut set = IndexSet::default();
    let mut model: Vec<u32> = Vec::new();
    for x in [7, 3, 9, 3, 1, 8, 5, 2, 9, 0, 6] {
        set.insert(x);
        if let Err(pos) = model.binary_search(&x) {
            model.insert(pos, x);
        }
        assert_eq!(set.as_slice(), model.as_slice());
    }
    assert!(set.contains(8) && !set.contains(4));
    let small = IndexSet::from_sorted(vec![1, 4]);
    assert_eq!(small.as_slice(), &[1, 4]);
    assert_eq!(
        IndexSet::from_sorted(model.clone()).as_slice(),
        model.as_slice()
    );
}

/// The index finds exactly the rules whose triggers match, in program
/// order, for keys and second keys (`to:` of `property_changed`, `from:`
/// of `deal_stage_changed`) of every value type, including numbers that
/// are equal but written differently.
#[test]
fn index_finds_exactly_the_matching_rules() {
    use super::Engine;
    use crate::source::Sources;
    let account = crate::account::from_text(
        "account.json",
        r#"{"timezone": "UTC",
            "users": [{"email": "u@x.test", "seats": ["sales_enterprise"], "inboxes": ["u@x.test"]}],
            "properties": {"score": {"type": "number"}, "vip": {"type": "bool"},
                           "tier": {"type": "enum", "values": ["gold", "silver"]}},
            "sequences": [{"name": "S", "steps": []}],
            "contacts": [{"id": "c1", "owner": "u@x.test"}]}"#,
        false,
    )
    .unwrap();
    let text = [
        r#"when property_changed("score", to: 42) then unenroll"#,
        r#"when property_changed("score") then unenroll"#,
        r#"when property_changed("score", to: 0) then unenroll"#,
        r#"when property_changed("tier", to: "gold") or property_changed("score", to: 7) then unenroll"#,
        r#"when property_changed("vip", to: true) then unenroll"#,
        r#"when property_changed("vip", to: false) then unenroll"#,
        r#"when deal_stage_changed(to: "won", from: "open") then unenroll"#,
        r#"when deal_stage_changed(from: "open") then unenroll"#,
        r#"when deal_stage_changed(to: "won") then unenroll"#,
        r#"when property_changed("score", to: 42) or property_changed("score") then unenroll"#,
    ]
    .join("\n")
        + "\n";
    let mut sources = Sources::new();
    let id = sources.add("r.wf", text.clone());
    let program = crate::syntax::parse(id, &text).unwrap();
    let engine = Engine::new(&account, &sources, &[(id, program)]);
    let events = [
        r#"{"type": "property_changed", "contact": "c1", "property": "score", "value": 42}"#,
        r#"{"type": "property_changed", "contact": "c1", "property": "score", "value": 42.0}"#,
        r#"{"type": "property_changed", "contact": "c1", "property": "score", "value": -0.0}"#,
        r#"{"type": "property_changed", "contact": "c1", "property": "score", "value": 7}"#,
        r#"{"type": "property_changed", "contact": "c1", "property": "score", "value": 8}"#,
        r#"{"type": "property_changed", "contact": "c1", "property": "score", "value": null}"#,
        r#"{"type": "property_changed", "contact": "c1", "property": "tier", "value": "gold"}"#,
        r#"{"type": "property_changed", "contact": "c1", "property": "tier", "value": "silver"}"#,
        r#"{"type": "property_changed", "contact": "c1", "property": "vip", "value": true}"#,
        r#"{"type": "property_changed", "contact": "c1", "property": "vip", "value": false}"#,
        r#"{"type": "deal_stage_changed", "contact": "c1", "to": "won", "from": "open"}"#,
        r#"{"type": "deal_stage_changed", "contact": "c1", "to": "won", "from": "lost"}"#,
        r#"{"type": "deal_stage_changed", "contact": "c1", "to": "won"}"#,
        r#"{"type": "deal_stage_changed", "contact": "c1", "to": "lost", "from": "open"}"#,
    ];
    let at = DateTime::parse_from_rfc3339("2026-03-02T08:00:00Z")
        .unwrap()
        .with_timezone(&Utc);
    let mut out = Vec::new();
    for json in events {
        let e = parse_event(json, Some(at)).unwrap();
        let everything: Vec<u32> = (0..engine.rules.len() as u32)
            .filter(|&r| engine.rules[r as usize].triggered_by(&e))
            .collect();
        engine.index.candidates(&e, &mut out);
        let found: Vec<u32> = out
            .iter()
            .filter(|&&(r, sure)| {
                let matches = engine.rules[r as usize].triggered_by(&e);
                // A sure candidate must really match.
                assert!(!sure || matches, "rule {r} marked sure for {json}");
                matches
            })
            .map(|&(r, _)| r)
            .collect();
        assert_eq!(found, everything, "{json}");
        // Property changes are found by (property, value): no rule waiting
        // for another value is even looked at.
        if e.event_type() == EventType::PropertyChanged {
            assert_eq!(out.len(), found.len(), "{json}: {out:?}");
        }
    }
}

/// `in` / `not in` (`docs/semantics.md`, "Triggers and conditions"): with an unset operand both are
/// false; with a value of another type than every listed value, both are
/// false; otherwise `not in` is the negation of `in` — whatever the order
/// of the list and its mix of types.
#[test]
fn in_and_not_in_follow_the_comparison_rules() {
    use super::event::Event;
    use super::rules::{Cond, Opnd, Subject};
    use crate::value::Value;
    let values = [
        None,
        Some(Value::Text("gold".into())),
        Some(Value::Number(5.0)),
        Some(Value::Bool(true)),
    ];
    let lists: [&[Value]; 6] = [
        &[],
        &[Value::Text("gold".into())],
        &[Value::Text("silver".into())],
        &[Value::Number(5.0), Value::Text("gold".into())],
        &[Value::Text("silver".into()), Value::Number(6.0)],
        &[Value::Bool(false), Value::Text("gold".into())],
    ];
    let event = Event {
        at: DateTime::<Utc>::MIN_UTC,
        kind: super::event::EventKind::EmailReplied {
            contact: "c".into(),
        },
    };
    for value in &values {
        let props = [value.clone()];
        let subject = Subject {
            props: &props,
            lists: &[],
            event: &event,
        };
        for list in lists {
            // What the rules say, spelled out.
            let same_type = |l: &Value| {
                matches!(
                    (value, l),
                    (Some(Value::Text(_)), Value::Text(_))
                        | (Some(Value::Number(_)), Value::Number(_))
                        | (Some(Value::Bool(_)), Value::Bool(_))
                )
            };
            let equal = |l: &Value| match (value, l) {
                (Some(Value::Text(a)), Value::Text(b)) => a == b,
                (Some(Value::Number(a)), Value::Number(b)) => a == b,
                (Some(Value::Bool(a)), Value::Bool(b)) => a == b,
                _ => false,
            };
            let comparable = list.iter().any(same_type);
            let member = list.iter().any(equal);
            for negated in [false, true] {
                let cond = Cond::In(
                    Opnd::Contact(Some(0), "p".into()),
                    negated,
                    list.to_vec(),
                    String::new(),
                );
                let expected = comparable && (member != negated);
                assert_eq!(
                    cond.eval(&subject),
                    expected,
                    "{value:?} {}in {list:?}",
                    if negated { "not " } else { "" }
                );
            }
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig {
        failure_persistence: None,
        ..proptest::prelude::ProptestConfig::default()
    })]

    /// The step queue pops exactly what a sorted set of (due, order)
    /// would, whatever the order of pushes and pops — including entries
    /// pushed at the time the queue was just run up to, which skip the heap.
    #[test]
    fn step_queue_pops_in_due_then_scheduling_order(
        ops in proptest::collection::vec((0u8..3, 0i64..40, 0u32..4), 0..300)
    ) {
        use super::schedule::StepQueue;
        use std::collections::BTreeSet;
        let mut queue = StepQueue::default();
        let mut model: BTreeSet<(i64, u64, u32)> = BTreeSet::new();
        let mut order = 0;
        let pop = |queue: &mut StepQueue, model: &mut BTreeSet<(i64, u64, u32)>, until| {
            let expected = model.first().copied().filter(|e| e.0 <= until);
            if let Some(e) = expected {
                model.remove(&e);
            }
            let got = queue.pop_due(until);
            assert_eq!(got, expected);
            got.is_some()
        };
        for (op, time, enrollment) in ops {
            match op {
                0 => {
                    order += 1;
                    proptest::prop_assert_eq!(queue.push(time, enrollment), order);
                    model.insert((time, order, enrollment));
                }
                1 => {
                    pop(&mut queue, &mut model, time);
                }
                _ => while pop(&mut queue, &mut model, time) {},
            }
            proptest::prop_assert_eq!(queue.len(), model.len());
        }
        while pop(&mut queue, &mut model, i64::MAX) {}
        proptest::prop_assert!(queue.is_empty());
    }
}

/// `Decision::ALL` lists every decision at the index of its discriminant
/// (the bench counts records in an array indexed by `decision as usize`).
#[test]
fn decision_all_is_in_declaration_order() {
    use super::record::Decision;
    for (i, d) in Decision::ALL.iter().enumerate() {
        assert_eq!(*d as usize, i, "{d:?}");
    }
    let names: std::collections::BTreeSet<&str> =
        Decision::ALL.iter().map(|d| d.as_str()).collect();
    assert_eq!(names.len(), Decision::ALL.len());
}

/// The typed events keep the fields their schema entries list, at the
/// positions listed: a line with every field of its type parses, and each
/// scalar field reads back, by position and (when rules may read it) by
/// name, as the value written.
#[test]
fn typed_events_agree_with_the_schema() {
    use crate::triggers::SCHEMA;
    use crate::value::ValueRef;
    for spec in SCHEMA {
        let mut fields = vec![
            r#""at":"2026-03-02T08:00:00Z""#.to_owned(),
            format!(r#""type":"{}""#, spec.name),
        ];
        let mut expected = Vec::new();
        for (i, f) in spec.fields.iter().enumerate() {
            let (json, value) = match f.name {
                "amount" | "daily_send_limit" => ("7".to_owned(), Some(ValueRef::Number(7.0))),
                "properties" => ("{}".to_owned(), None),
                "seats" => (r#"["sales_enterprise"]"#.to_owned(), None),
                "inboxes" => (r#"["a@x.test"]"#.to_owned(), None),
                "outcome" => (r#""no_show""#.to_owned(), Some(ValueRef::Text("no_show"))),
                name => (format!(r#""v-{name}""#), None),
            };
            fields.push(format!(r#""{}":{json}"#, f.name));
            expected.push((i, f, json, value));
        }
        let line = format!("{{{}}}", fields.join(","));
        let event = parse_event(&line, None).unwrap_or_else(|p| panic!("{line}: {p}"));
        assert_eq!(event.event_type(), spec.kind);
        for (i, f, json, value) in expected {
            let text = json.trim_matches('"').to_owned();
            let got = event.kind.field_at(i);
            match (f.name, value) {
                ("daily_send_limit" | "properties" | "seats" | "inboxes", _) => {
                    assert_eq!(got, None, "{}.{}", spec.name, f.name);
                }
                (_, Some(v)) => assert_eq!(got, Some(v), "{}.{}", spec.name, f.name),
                _ => assert_eq!(got, Some(ValueRef::Text(&text)), "{}.{}", spec.name, f.name),
            }
            let by_name = event.field(f.name);
            if f.read.is_some() {
                assert_eq!(by_name, got, "{}.{}", spec.name, f.name);
            } else {
                assert_eq!(by_name, None, "{}.{}", spec.name, f.name);
            }
        }
    }
}
