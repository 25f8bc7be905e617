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

/// Differential property tests: every line the scanner reads, it reads as
/// `serde_json` does. Lines come two ways: written as text (every event
/// type's fields in any order, white space, escapes, numbers of every JSON
/// form, fields missing, extra, repeated or of the wrong type, cut short)
/// and written by `serde_json` from generated events.
mod differential {
    use super::super::super::{ALL_FIELDS, Event, EventKind, EventType, general, parse_event};
    use super::{raw_event, raw_to_event};
    use crate::account::Seat;
    use crate::runtime::replay::{DIFFERENTIAL_CASES, differential_config};
    use crate::triggers::MEETING_OUTCOMES;
    use crate::value::Value as PropertyValue;
    use chrono::{DateTime, FixedOffset, Utc};
    use proptest::prelude::*;
    use proptest::test_runner::{TestCaseError, TestRunner};
    use serde_json::{Map, Number, Value, json};
    use std::cell::Cell;
    use std::collections::BTreeMap;

    /// Lines per property.
    const CASES: u32 = DIFFERENTIAL_CASES;

    /// How many lines took each path.
    #[derive(Default)]
    struct Paths {
        fast: Cell<usize>,
        read: Cell<usize>,
        rejected: Cell<usize>,
    }

    impl Paths {
        fn count(n: &Cell<usize>) {
            n.set(n.get() + 1);
        }

        /// Asserts that at least a tenth of the lines took each path.
        fn assert_each_taken(&self) {
            let [fast, read, rejected] = [&self.fast, &self.read, &self.rejected].map(Cell::get);
            let all = fast + read + rejected;
            assert!(all >= CASES as usize, "{all} lines");
            for (path, n) in [
                ("fast", fast),
                ("serde_json, read", read),
                ("serde_json, rejected", rejected),
            ] {
                assert!(n * 10 >= all, "only {n} of {all} lines on the {path} path");
            }
        }
    }

    /// The scanner's reading of `line`, if it reads it, is `serde_json`'s,
    /// and so is the event (or problem) made of it, with or without a
    /// default time.
    fn agree(line: &str, paths: &Paths) -> Result<(), TestCaseError> {
        let text = line.trim();
        let slow = general(text);
        match (raw_event(text), slow) {
            (Some(fast), Ok(slow)) => {
                Paths::count(&paths.fast);
                prop_assert_eq!(&fast, &slow, "{}", line);
                let default = DateTime::from_timestamp(1_772_409_600, 0);
                for at in [None, default] {
                    let fast = raw_event(text).map(|r| raw_to_event(r, at));
                    let slow = general(text).map(|r| raw_to_event(r, at));
                    prop_assert_eq!(fast, slow.ok(), "{}", line);
                }
            }
            (Some(fast), Err(e)) => {
                return Err(TestCaseError::fail(format!(
                    "the scanner read `{line}` as {fast:?}; serde_json says {e}"
                )));
            }
            (None, Ok(_)) => Paths::count(&paths.read),
            (None, Err(_)) => Paths::count(&paths.rejected),
        }
        Ok(())
    }

    // ---- lines written as text ----

    /// White space between tokens, mostly none or one space.
    fn ws() -> impl Strategy<Value = &'static str> {
        prop_oneof![
            6 => Just(""),
            4 => Just(" "),
            1 => prop::sample::select(vec!["  ", "\t", "\n", "\r\n", " \t "]),
        ]
    }

    /// The inside of a JSON string as written: usually plain text
    /// (unicode included, unescaped), else pieces with escapes, some
    /// invalid.
    fn string_body() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            4 => "[a-zA-Z0-9@._ -]{0,6}",
            1 => prop::sample::select(vec!["é", "日本", "😀", "\u{7f}", "\u{a0}", "\u{2028}", "/"])
                .prop_map(str::to_owned),
            3 => prop::sample::select(vec![
                r#"\""#, r"\\", r"\/", r"\b", r"\f", r"\n", r"\r", r"\t", r"\u00e9",
                r"\u0041", r"\u0000", r"\u001F", r"\ud83d\ude00", r"\uD83D\uDE00",
                r"\u2028", r"\uffff",
            ])
            .prop_map(str::to_owned),
            1 => prop::sample::select(vec![
                r"\ud800", r"\udc00", r"\ud83d\u0041", r"\x", r"\u12", r"\U0041", "\t",
                "\u{1}", "\n", r"\",
            ])
            .prop_map(str::to_owned),
        ];
        prop_oneof![
            3 => "[a-z0-9@._ é日😀-]{0,12}",
            1 => prop::collection::vec(piece, 0..4).prop_map(|p| p.concat()),
        ]
    }

    fn string() -> impl Strategy<Value = String> {
        string_body().prop_map(|s| format!("\"{s}\""))
    }

    /// A number in any JSON form, and some that are not JSON.
    fn number() -> impl Strategy<Value = String> {
        prop_oneof![
            6 => (0u64..100_000).prop_map(|n| n.to_string()),
            2 => any::<u64>().prop_map(|n| n.to_string()),
            1 => any::<i64>().prop_map(|n| n.to_string()),
            1 => any::<f64>().prop_map(|n| format!("{n:?}")),
            1 => any::<f64>().prop_map(|n| format!("{n:e}")),
            1 => any::<f64>().prop_map(|n| format!("{n:E}")),
            2 => prop::sample::select(vec![
                "0", "999999999999999", "1000000000000000", "9007199254740993",
                "18446744073709551615", "18446744073709551616", "1e400", "-0", "0.0", "1.5",
                "1e3", "1E+3", "1e-3", "-1.25e-2", "0e0", "4294967295", "4294967296",
                "01", "00", "1.", ".5", "+1", "1e", "1.e3", "-01", "-", "NaN", "Infinity",
                "1_000", "0x10",
            ])
            .prop_map(str::to_owned),
        ]
    }

    /// A value of another type than a field expects.
    fn other() -> impl Strategy<Value = String> {
        prop::sample::select(vec![
            "true",
            "false",
            "null",
            "[]",
            "{}",
            "[1, \"a\"]",
            "{\"a\": {\"b\": 1}}",
            "\"\"",
            "3",
            "tru",
            "nul",
            "\"a",
            "[",
            "{\"a\"",
        ])
        .prop_map(str::to_owned)
    }

    fn time() -> impl Strategy<Value = String> {
        prop_oneof![
            4 => (0i64..253_402_300_799).prop_map(|s| {
                DateTime::from_timestamp(s, 0).map_or_else(String::new, |t| {
                    format!("\"{}\"", t.format("%Y-%m-%dT%H:%M:%SZ"))
                })
            }),
            1 => prop::sample::select(vec![
                "\"2026-03-02T08:00:00+01:00\"", "\"2026-03-02T08:00:00.999Z\"",
                "\"2026-03-02t08:00:00z\"", "\"2026-03-02T23:59:60Z\"", "\"2026-02-30T08:00:00Z\"",
                "\"2026-03-02\"", "\"\"", "\"2026-03-02T08:00:00\\u005a\"", "\"9999-12-31T23:59:59-01:00\"",
            ])
            .prop_map(str::to_owned),
        ]
    }

    fn scalar() -> impl Strategy<Value = String> {
        prop_oneof![
            3 => string(),
            3 => number(),
            1 => prop::sample::select(vec!["true", "false", "null"]).prop_map(str::to_owned),
        ]
    }

    /// A value written for `key`: usually of the type the key expects.
    fn value_for(key: &'static str) -> BoxedStrategy<String> {
        let usual: BoxedStrategy<String> = match key {
            "at" => time().boxed(),
            "type" => prop_oneof![
                6 => prop::sample::select(EventType::ALL.map(EventType::as_str).to_vec())
                    .prop_map(|t| format!("\"{t}\"")),
                1 => string(),
            ]
            .boxed(),
            "outcome" => prop_oneof![
                4 => prop::sample::select(MEETING_OUTCOMES.to_vec()).prop_map(|t| format!("\"{t}\"")),
                1 => string(),
            ]
            .boxed(),
            "amount" | "daily_send_limit" => number().boxed(),
            "value" => scalar().boxed(),
            "properties" => {
                prop::collection::vec((string(), ws(), scalar()), 0..3)
                    .prop_map(|kv| {
                        let fields: Vec<String> =
                            kv.into_iter().map(|(k, w, v)| format!("{k}:{w}{v}")).collect();
                        format!("{{{}}}", fields.join(", "))
                    })
                    .boxed()
            }
            "seats" => prop::collection::vec(
                prop_oneof![
                    4 => prop::sample::select(vec![
                        "\"sales_enterprise\"", "\"service_enterprise\"", "\"sales_professional\"",
                        "\"service_professional\"", "\"core\"",
                    ])
                    .prop_map(str::to_owned),
                    1 => string(),
                ],
                0..3,
            )
            .prop_map(|v| format!("[{}]", v.join(",")))
            .boxed(),
            "inboxes" => prop::collection::vec(string(), 0..3)
                .prop_map(|v| format!("[{}]", v.join(", ")))
                .boxed(),
            _ => string().boxed(),
        };
        prop_oneof![12 => usual, 1 => other()].boxed()
    }

    /// A key as written: usually plain, sometimes escaped (`serde_json`
    /// reads it as the same key), in the wrong case, or unknown.
    fn key_text(key: &'static str) -> impl Strategy<Value = String> {
        prop_oneof![
            20 => Just(format!("\"{key}\"")),
            1 => Just(format!("\"\\u{:04x}{}\"", u32::from(key.as_bytes().first().copied().unwrap_or(b'a')), key.get(1..).unwrap_or(""))),
            1 => Just(format!("\"{}\"", key.to_uppercase())),
        ]
    }

    /// An event line as text.
    fn line() -> impl Strategy<Value = String> {
        let fields = (0..EventType::ALL.len()).prop_flat_map(|t| {
            let kind = EventType::ALL
                .get(t)
                .copied()
                .unwrap_or(EventType::FormSubmitted);
            let spec = kind.spec().fields;
            let optional = spec.iter().filter(|f| !f.required).count();
            (
                Just(kind),
                prop::collection::vec(any::<bool>(), optional),
                // Drop one field, add one, repeat one (indices taken modulo).
                prop::option::weighted(0.05, any::<usize>()),
                prop::option::weighted(
                    0.05,
                    prop::sample::select(
                        ALL_FIELDS
                            .iter()
                            .copied()
                            .chain(["x", "at", "type", ""])
                            .collect::<Vec<_>>(),
                    ),
                ),
                prop::option::weighted(0.04, any::<usize>()),
            )
        });
        let keys = fields
            .prop_map(|(kind, optional, drop, extra, repeat)| {
                let mut keys = vec!["at", "type"];
                let mut flags = optional.into_iter();
                for f in kind.spec().fields {
                    if f.required || flags.next().unwrap_or(false) {
                        keys.push(f.name);
                    }
                }
                if let Some(i) = drop {
                    keys.remove(i % keys.len());
                }
                if let Some(extra) = extra {
                    keys.push(extra);
                }
                if let Some(i) = repeat {
                    keys.push(keys.get(i % keys.len()).copied().unwrap_or("at"));
                }
                (kind, keys)
            })
            .prop_flat_map(|(kind, keys)| {
                let kind = Just(format!("\"{}\"", kind.as_str()));
                let written: Vec<_> = keys
                    .iter()
                    .map(|&k| {
                        let value = if k == "type" {
                            prop_oneof![8 => kind.clone(), 1 => value_for(k)].boxed()
                        } else {
                            value_for(k)
                        };
                        (key_text(k), ws(), ws(), value, ws())
                    })
                    .collect();
                written.prop_shuffle()
            });
        let object = (keys, ws(), ws())
            .prop_map(|(fields, open, close)| {
                let fields: Vec<String> = fields
                    .into_iter()
                    .map(|(k, a, b, v, c)| format!("{a}{k}{b}:{c}{v}"))
                    .collect();
                format!("{open}{{{}{close}}}", fields.join(","))
            })
            .boxed();
        prop_oneof![
            40 => object.clone(),
            // Cut short anywhere, or followed by more.
            4 => (object.clone(), any::<prop::sample::Index>()).prop_map(|(line, at)| {
                let cuts: Vec<usize> = line.char_indices().map(|(i, _)| i).collect();
                let at = cuts.get(at.index(cuts.len().max(1))).copied().unwrap_or(0);
                line.get(..at).unwrap_or("").to_owned()
            }),
            1 => (object, prop::sample::select(vec![",", "}", " x", "{}", ",}", "\u{0}"]))
                .prop_map(|(line, tail)| format!("{line}{tail}")),
            1 => prop::sample::select(vec!["", "[1]", "3", "\"s\"", "null", "{", "}", "{,}", "{\"at\"}"])
                .prop_map(str::to_owned),
        ]
    }

    #[test]
    fn lines_written_as_text_read_alike() {
        let paths = Paths::default();
        let mut runner = TestRunner::new(differential_config(file!()));
        if let Err(e) = runner.run(&line(), |line| agree(&line, &paths)) {
            panic!("{e}");
        }
        // The generator reaches each path: the comparison is not vacuous.
        paths.assert_each_taken();
    }

    // ---- lines written by serde_json ----

    /// A name: usually plain, sometimes any text (quotes, control
    /// characters, unicode beyond the basic plane).
    fn name() -> impl Strategy<Value = String> {
        prop_oneof![3 => "[a-z0-9@._-]{0,12}", 1 => any::<String>()]
    }

    fn json_number() -> impl Strategy<Value = Number> {
        prop_oneof![
            4 => (0u64..100_000).prop_map(Number::from),
            1 => any::<u64>().prop_map(Number::from),
            1 => any::<i64>().prop_map(Number::from),
            2 => any::<f64>().prop_filter_map("not finite", Number::from_f64),
        ]
    }

    /// What `serde_json` reads back from the number it wrote: the value
    /// both paths must give.
    fn read_back(n: &Number) -> f64 {
        serde_json::from_str(&n.to_string()).unwrap_or(f64::NAN)
    }

    fn property_value() -> impl Strategy<Value = (Value, PropertyValue)> {
        prop_oneof![
            name().prop_map(|s| (json!(s), PropertyValue::Text(s.into()))),
            json_number().prop_map(|n| {
                let v = read_back(&n);
                (Value::Number(n), PropertyValue::Number(v))
            }),
            any::<bool>().prop_map(|b| (json!(b), PropertyValue::Bool(b))),
        ]
    }

    type Fields = Map<String, Value>;

    fn put(fields: &mut Fields, key: &str, value: Option<impl Into<Value>>) {
        if let Some(value) = value {
            fields.insert(key.to_owned(), value.into());
        }
    }

    /// An event's fields as `serde_json` values, and the event they make
    /// (without `at` and `type`).
    fn kind() -> impl Strategy<Value = (Fields, EventKind)> {
        let contact_only = (
            prop::sample::select(vec![
                EventType::MeetingBooked,
                EventType::EmailReplied,
                EventType::EmailBounced,
                EventType::Unsubscribed,
                EventType::TaskCompleted,
            ]),
            name(),
        )
            .prop_map(|(t, contact)| {
                let mut f = Fields::new();
                put(&mut f, "contact", Some(contact.as_str()));
                let contact = contact.into();
                let kind = match t {
                    EventType::MeetingBooked => EventKind::MeetingBooked { contact },
                    EventType::EmailReplied => EventKind::EmailReplied { contact },
                    EventType::EmailBounced => EventKind::EmailBounced { contact },
                    EventType::Unsubscribed => EventKind::Unsubscribed { contact },
                    _ => EventKind::TaskCompleted { contact },
                };
                (f, kind)
            });
        let opt = || prop::option::of(name());
        prop_oneof![
            (name(), name()).prop_map(|(contact, form)| {
                let mut f = Fields::new();
                put(&mut f, "contact", Some(contact.as_str()));
                put(&mut f, "form", Some(form.as_str()));
                (
                    f,
                    EventKind::FormSubmitted {
                        contact: contact.into(),
                        form: form.into(),
                    },
                )
            }),
            (
                name(),
                name(),
                opt(),
                opt(),
                prop::option::of(json_number())
            )
                .prop_map(|(contact, to, from, deal, amount)| {
                    let mut f = Fields::new();
                    put(&mut f, "contact", Some(contact.as_str()));
                    put(&mut f, "to", Some(to.as_str()));
                    put(&mut f, "from", from.as_deref());
                    put(&mut f, "deal", deal.as_deref());
                    let read = amount.as_ref().map(read_back);
                    put(&mut f, "amount", amount);
                    let kind = EventKind::DealStageChanged {
                        contact: contact.into(),
                        to: to.into(),
                        from: from.map(Into::into),
                        deal: deal.map(Into::into),
                        amount: read,
                    };
                    (f, kind)
                }),
            (name(), prop::sample::select(MEETING_OUTCOMES.to_vec())).prop_map(
                |(contact, outcome)| {
                    let mut f = Fields::new();
                    put(&mut f, "contact", Some(contact.as_str()));
                    put(&mut f, "outcome", Some(outcome));
                    (
                        f,
                        EventKind::MeetingOutcome {
                            contact: contact.into(),
                            outcome: outcome.into(),
                        },
                    )
                }
            ),
            contact_only,
            (name(), name(), prop::option::of(property_value())).prop_map(
                |(contact, property, value)| {
                    let mut f = Fields::new();
                    put(&mut f, "contact", Some(contact.as_str()));
                    put(&mut f, "property", Some(property.as_str()));
                    let (json, value) = value.unzip();
                    f.insert("value".to_owned(), json.unwrap_or(Value::Null));
                    let kind = EventKind::PropertyChanged {
                        contact: contact.into(),
                        property: property.into(),
                        value,
                    };
                    (f, kind)
                }
            ),
            (any::<bool>(), name(), name()).prop_map(|(added, contact, list)| {
                let mut f = Fields::new();
                put(&mut f, "contact", Some(contact.as_str()));
                put(&mut f, "list", Some(list.as_str()));
                let (contact, list) = (contact.into(), list.into());
                let kind = if added {
                    EventKind::ListAdded { contact, list }
                } else {
                    EventKind::ListRemoved { contact, list }
                };
                (f, kind)
            }),
            (
                name(),
                opt(),
                opt(),
                prop::option::of(prop::collection::vec((name(), property_value()), 0..4)),
                opt(),
            )
                .prop_map(|(contact, email, owner, properties, source)| {
                    let mut f = Fields::new();
                    put(&mut f, "contact", Some(contact.as_str()));
                    put(&mut f, "email", email.as_deref());
                    put(&mut f, "owner", owner.as_deref());
                    put(&mut f, "source", source.as_deref());
                    let properties: Option<BTreeMap<String, (Value, PropertyValue)>> =
                        properties.map(|p| p.into_iter().collect());
                    put(
                        &mut f,
                        "properties",
                        properties.as_ref().map(|p| {
                            p.iter()
                                .map(|(k, (v, _))| (k.clone(), v.clone()))
                                .collect::<Fields>()
                        }),
                    );
                    let kind = EventKind::ContactCreated {
                        contact: contact.into(),
                        email: email.map(Into::into),
                        owner: owner.map(Into::into),
                        properties: properties
                            .unwrap_or_default()
                            .into_iter()
                            .map(|(k, (_, v))| (k, v))
                            .collect(),
                        source: source.map(Into::into),
                    };
                    (f, kind)
                }),
            name().prop_map(|sequence| {
                let mut f = Fields::new();
                put(&mut f, "sequence", Some(sequence.as_str()));
                (
                    f,
                    EventKind::SequenceDeleted {
                        sequence: sequence.into(),
                    },
                )
            }),
            (
                name(),
                prop::option::of(prop::collection::vec(
                    prop::sample::select(vec![
                        Seat::SalesEnterprise,
                        Seat::ServiceEnterprise,
                        Seat::SalesProfessional,
                        Seat::ServiceProfessional,
                        Seat::Core,
                    ]),
                    0..3,
                )),
                prop::option::of(prop::collection::vec(name(), 0..3)),
                prop::option::of(1..=u32::MAX),
            )
                .prop_map(|(user, seats, inboxes, limit)| {
                    let mut f = Fields::new();
                    put(&mut f, "user", Some(user.as_str()));
                    put(&mut f, "seats", seats.as_ref().map(|s| json!(s)));
                    put(&mut f, "inboxes", inboxes.clone());
                    put(&mut f, "daily_send_limit", limit);
                    let kind = EventKind::UserUpdated {
                        user: user.into(),
                        seats,
                        inboxes,
                        daily_send_limit: limit,
                    };
                    (f, kind)
                }),
        ]
    }

    /// A time as written (UTC with `Z`, or any offset, with or without a
    /// fraction) and the whole second it stands for; `None`, sometimes,
    /// for a line without `at` read with a default time.
    fn at() -> impl Strategy<Value = Option<(String, DateTime<Utc>)>> {
        // A day inside the years 0000–9999, so that every offset stays in them.
        let written = (
            86_400i64..253_402_214_400,
            0u32..1_000_000_000,
            -1439i32..1440,
            0..3,
        )
            .prop_map(|(secs, nanos, offset, form)| {
                let whole = DateTime::from_timestamp(secs, 0).unwrap_or_default();
                let t = DateTime::from_timestamp(secs, nanos).unwrap_or_default();
                let text = match (form, FixedOffset::east_opt(offset * 60)) {
                    (0, _) | (_, None) => whole.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
                    (1, Some(o)) => whole.with_timezone(&o).to_rfc3339(),
                    (_, Some(o)) => t.with_timezone(&o).to_rfc3339(),
                };
                (text, whole)
            });
        prop_oneof![9 => written.prop_map(Some), 1 => Just(None)]
    }

    /// The default time for lines without `at`.
    fn default_at() -> DateTime<Utc> {
        DateTime::from_timestamp(1_772_409_600, 0).unwrap_or_default()
    }

    #[test]
    fn lines_written_by_serde_json_read_as_written() {
        let paths = Paths::default();
        let mut runner = TestRunner::new(differential_config(file!()));
        let events = (kind(), at(), any::<bool>());
        let result = runner.run(&events, |((mut fields, kind), at, pretty)| {
            let event_type = kind.event_type();
            fields.insert("type".to_owned(), json!(event_type.as_str()));
            let (expected_at, default) = match at {
                Some((text, at)) => {
                    fields.insert("at".to_owned(), json!(text));
                    (at, None)
                }
                None => (default_at(), Some(default_at())),
            };
            let object = Value::Object(fields);
            let line = if pretty {
                serde_json::to_string_pretty(&object)
            } else {
                serde_json::to_string(&object)
            }
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
            let expected = Event {
                at: expected_at,
                kind,
            };
            prop_assert_eq!(parse_event(&line, default), Ok(expected), "{}", line);
            agree(&line, &paths)
        });
        if let Err(e) = result {
            panic!("{e}");
        }
        let [fast, read] = [&paths.fast, &paths.read].map(Cell::get);
        assert_eq!(paths.rejected.get(), 0);
        assert!(
            fast * 10 >= fast + read,
            "only {fast} of {} lines on the fast path",
            fast + read
        );
        assert!(
            read * 10 >= fast + read,
            "only {read} of {} lines read by serde_json",
            fast + read
        );
    }
}
