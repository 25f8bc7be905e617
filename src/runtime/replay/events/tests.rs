use super::{parse_time, parse_utc_seconds};
use chrono::DateTime;

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

/// Generated events of every type, written by `serde_json` (names with
/// any text, numbers of every kind, times with offsets and fractions,
/// optional fields present or not), read back as those events.
mod generated {
    use super::super::{Event, EventKind, EventType, parse_event};
    use crate::account::{PropertyValue, Seat};
    use crate::triggers::MEETING_OUTCOMES;
    use chrono::{DateTime, FixedOffset, Utc};
    use proptest::prelude::*;
    use proptest::test_runner::{Config, FileFailurePersistence, TestCaseError, TestRunner};
    use serde_json::{Map, Number, Value, json};
    use std::collections::BTreeMap;

    /// Lines generated.
    const CASES: u32 = 20_000;

    fn config() -> Config {
        Config {
            cases: CASES,
            source_file: Some(file!()),
            failure_persistence: Some(Box::new(FileFailurePersistence::SourceParallel(
                "proptest-regressions",
            ))),
            ..Config::default()
        }
    }

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
    /// the reader must give.
    fn read_back(n: &Number) -> f64 {
        serde_json::from_str(&n.to_string()).unwrap_or(f64::NAN)
    }

    fn property_value() -> impl Strategy<Value = (Value, PropertyValue)> {
        prop_oneof![
            name().prop_map(|s| (json!(s), PropertyValue::Str(s))),
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
        let mut runner = TestRunner::new(config());
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
            Ok(())
        });
        if let Err(e) = result {
            panic!("{e}");
        }
    }
}
