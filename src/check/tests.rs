use super::*;
use crate::account;
use crate::diagnostic::Code;

const ACCOUNT: &str = r#"{
  "users": [
    {"email": "ana@acme.test", "seats": ["sales_enterprise"], "inboxes": ["ana@acme.test"]},
    {"email": "bob@acme.test", "seats": ["core"], "inboxes": []}
  ],
  "sequences": [
    {"name": "Booking", "steps": [{"type": "email", "body": "Hi {{contact.firstname}}"}]},
    {"name": "Promo", "steps": [{"type": "email", "body": "{{placeholder:news}} {{contact.nope}}"}]}
  ],
  "properties": {"tier": {"type": "enum", "values": ["gold", "silver"]}, "employees": {"type": "number"}},
  "lists": [{"name": "Import", "source": "import", "members": []}],
  "contacts": [{"id": "c-1", "owner": "bob@acme.test"}, {"id": "c-2"}, {"id": "c-3", "owner": "ana@acme.test"}]
}"#;

fn codes(src: &str) -> Vec<(Code, String)> {
    let account = account::from_text("a.json", ACCOUNT, false).unwrap();
    let program = crate::syntax::parse(FileId(0), src).unwrap();
    check(&[(FileId(0), program)], &account)
        .into_iter()
        .map(|d| (d.code, d.message))
        .collect()
}

fn only(src: &str) -> Vec<Code> {
    codes(src).into_iter().map(|(c, _)| c).collect()
}

#[test]
fn a_clean_rule_has_no_diagnostics() {
    assert_eq!(
        only(
            r#"when form_submitted("q") if contact.tier == "gold" then enroll in "Booking" from user "ana@acme.test""#
        ),
        vec![]
    );
}

#[test]
fn enum_literals_must_be_values() {
    assert_eq!(
        only(r#"when form_submitted("q") if contact.tier == "golden" then unenroll"#),
        vec![Code::E0403]
    );
    assert_eq!(
        only(r#"when form_submitted("q") if contact.tier in ["gold", "x"] then unenroll"#),
        vec![Code::E0403]
    );
}

#[test]
fn ordering_enums_and_bools_is_a_type_error() {
    assert_eq!(
        only(r#"when form_submitted("q") if contact.tier < "gold" then unenroll"#),
        vec![Code::E0402]
    );
    assert_eq!(
        only(r#"when form_submitted("q") if true > false then unenroll"#),
        vec![Code::E0402]
    );
    assert_eq!(
        only(r#"when form_submitted("q") if contact.firstname < "m" then unenroll"#),
        vec![]
    );
}

#[test]
fn one_mistake_gives_one_diagnostic() {
    // The unknown property is not also a type mismatch.
    assert_eq!(
        only(r#"when form_submitted("q") if contact.employes == "x" then unenroll"#),
        vec![Code::E0401]
    );
    // An unknown trigger hides event field checks.
    assert_eq!(
        only(r#"when form_submited("q") if event.nothing == 1 then unenroll"#),
        vec![Code::E0301]
    );
}

#[test]
fn event_value_of_property_changed_has_the_property_type() {
    assert_eq!(
        only(r#"when property_changed("employees") if event.value == "ten" then unenroll"#),
        vec![Code::E0402]
    );
    assert_eq!(
        only(
            r#"when property_changed("employees") or property_changed("tier") if event.value == "ten" then unenroll"#
        ),
        vec![]
    );
}

#[test]
fn owner_warning_counts_contacts() {
    let found = codes(r#"when form_submitted("q") then enroll in "Booking" from owner"#);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].0, Code::W0201);
    assert!(found[0].1.starts_with("2 of 3 contacts"), "{}", found[0].1);
}

#[test]
fn sequence_warnings_are_at_the_action() {
    assert_eq!(
        only(r#"when form_submitted("q") then enroll in "Promo" from user "ana@acme.test""#),
        vec![Code::W0101, Code::W0102]
    );
}

#[test]
fn argument_errors() {
    for (src, code) in [
        (r#"when property_changed() then unenroll"#, Code::E0302),
        (
            r#"when form_submitted("a", "b") then unenroll"#,
            Code::E0302,
        ),
        (
            r#"when deal_stage_changed(to: "a", to: "b") then unenroll"#,
            Code::E0302,
        ),
        (
            r#"when deal_stage_changed(stage: "a") then unenroll"#,
            Code::E0302,
        ),
        (
            r#"when deal_stage_changed(to: 3) then unenroll"#,
            Code::E0302,
        ),
        (
            r#"when meeting_outcome("noshow") then unenroll"#,
            Code::E0302,
        ),
        (r#"when meeting_booked("x") then unenroll"#, Code::E0302),
        (
            r#"when property_changed("employees", to: "x") then unenroll"#,
            Code::E0302,
        ),
        (
            r#"when property_changed("tier", to: "bronze") then unenroll"#,
            Code::E0403,
        ),
        (r#"when list_added("Nope") then unenroll"#, Code::E0404),
    ] {
        assert_eq!(only(src), vec![code], "{src}");
    }
}

#[test]
fn competing_rules_are_found_with_arguments_in_any_order() {
    let src = r#"
when deal_stage_changed(to: "won", from: "x") then enroll in "Booking" from user "ana@acme.test"
when deal_stage_changed(from: "x", to: "won") then enroll in "Promo" from user "ana@acme.test"
when deal_stage_changed(to: "won") then enroll in "Promo" from user "ana@acme.test"
"#;
    let found: Vec<_> = only(src)
        .into_iter()
        .filter(|c| *c == Code::W0401)
        .collect();
    assert_eq!(found, vec![Code::W0401]);
}

#[test]
fn suggestions() {
    use super::suggest::closest;
    assert_eq!(closest("booking", ["Booking", "Bookings"]), Some("Booking"));
    assert_eq!(closest("Bookng", ["Booking", "Other"]), Some("Booking"));
    assert_eq!(closest("xyz", ["Booking"]), None);
}

#[test]
fn every_code_has_an_explanation_starting_with_it() {
    for code in Code::ALL {
        assert!(explain(*code).starts_with(code.as_str()), "{code}");
    }
}

mod generated {
    use super::*;
    use proptest::prelude::*;

    fn pick(items: &'static [&'static str]) -> impl Strategy<Value = String> {
        proptest::sample::select(items).prop_map(str::to_owned)
    }

    fn literal() -> impl Strategy<Value = String> {
        pick(&[
            "\"gold\"",
            "\"x\"",
            "\"Booking\"",
            "\"no_show\"",
            "\"import\"",
            "\"Import\"",
            "\"tier\"",
            "\"employees\"",
            "10",
            "-2.5",
            "true",
            "false",
            "\"\"",
        ])
    }

    fn arg() -> impl Strategy<Value = String> {
        prop_oneof![
            literal(),
            (pick(&["to", "from", "source", "form", "x"]), literal())
                .prop_map(|(n, v)| format!("{n}: {v}")),
        ]
    }

    fn trigger() -> impl Strategy<Value = String> {
        (
            pick(&[
                "form_submitted",
                "deal_stage_changed",
                "meeting_outcome",
                "meeting_booked",
                "property_changed",
                "list_added",
                "list_removed",
                "contact_created",
                "nope",
            ]),
            proptest::collection::vec(arg(), 0..3),
        )
            .prop_map(|(n, args)| format!("{n}({})", args.join(", ")))
    }

    fn operand() -> impl Strategy<Value = String> {
        prop_oneof![
            pick(&[
                "contact.tier",
                "contact.employees",
                "contact.x",
                "contact.lifecycle_stage"
            ]),
            pick(&[
                "event.form",
                "event.value",
                "event.amount",
                "event.outcome",
                "event.zz"
            ]),
            literal(),
        ]
    }

    fn test_() -> impl Strategy<Value = String> {
        prop_oneof![
            (operand(), pick(&["==", "!=", "<", ">="]), operand())
                .prop_map(|(a, op, b)| format!("{a} {op} {b}")),
            (operand(), proptest::collection::vec(literal(), 1..3))
                .prop_map(|(a, l)| format!("{a} not in [{}]", l.join(", "))),
            operand().prop_map(|a| format!("{a} contains \"o\"")),
            operand().prop_map(|a| format!("{a} is not set")),
            pick(&["\"Import\"", "\"Nope\""]).prop_map(|l| format!("contact in list {l}")),
        ]
    }

    fn action() -> impl Strategy<Value = String> {
        prop_oneof![
            (
                pick(&["\"Booking\"", "\"Promo\"", "\"booking\""]),
                pick(&[
                    "owner",
                    "user \"ana@acme.test\"",
                    "user \"bob@acme.test\"",
                    "user \"x\""
                ]),
                pick(&["", " via \"ana@acme.test\"", " via \"x\""]),
            )
                .prop_map(|(s, f, v)| format!("enroll in {s} from {f}{v}")),
            pick(&[
                "unenroll",
                "unenroll from \"Booking\"",
                "unenroll from \"Zzz\""
            ]),
        ]
    }

    fn rule() -> impl Strategy<Value = String> {
        (
            proptest::collection::vec(trigger(), 1..3),
            proptest::option::of(proptest::collection::vec(test_(), 1..3)),
            proptest::collection::vec(action(), 1..3),
        )
            .prop_map(|(t, c, a)| {
                let cond = c.map_or(String::new(), |c| format!(" if {}", c.join(" and ")));
                format!("when {}{cond} then {}\n", t.join(" or "), a.join(", "))
            })
    }

    fn item() -> impl Strategy<Value = String> {
        prop_oneof![
            rule(),
            (pick(&["A", "B"]), proptest::collection::vec(rule(), 1..3))
                .prop_map(|(n, r)| format!("workflow \"{n}\" {{\n{}}}\n", r.concat())),
        ]
    }

    proptest! {
        #[test]
        fn the_checker_never_panics_and_sorts_its_output(
            files in proptest::collection::vec(proptest::collection::vec(item(), 1..4), 1..3)
        ) {
            let account = account::from_text("a.json", ACCOUNT, false).unwrap();
            let mut programs = Vec::new();
            for (i, items) in files.iter().enumerate() {
                let text = items.concat();
                let program = crate::syntax::parse(FileId(i), &text);
                prop_assert!(program.is_ok(), "{text}: {program:?}");
                programs.push((FileId(i), program.unwrap()));
            }
            let out = check(&programs, &account);
            let keys: Vec<_> = out.iter().map(|d| d.sort_key()).collect();
            let mut sorted = keys.clone();
            sorted.sort();
            prop_assert_eq!(keys, sorted);
            for d in &out {
                prop_assert_eq!(d.severity, d.code.severity());
                prop_assert!(d.span.start <= d.span.end);
                prop_assert!(!d.message.is_empty());
            }
        }
    }
}

#[test]
fn surplus_positional_arguments_are_one_error() {
    let args = vec!["\"f\""; 2000].join(", ");
    let found = codes(&format!("when form_submitted({args}) then unenroll"));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, Code::E0302);
    assert_eq!(
        found[0].1,
        "`form_submitted` takes one positional argument, not 2000"
    );
    let named = vec!["x: \"f\""; 50].join(", ");
    let found = codes(&format!(
        "when form_submitted(\"a\", {named}) then unenroll"
    ));
    let messages: Vec<&str> = found.iter().map(|(_, m)| m.as_str()).collect();
    assert_eq!(
        messages,
        vec![
            "`form_submitted` has no argument `x`",
            "argument `x` given 50 times"
        ]
    );
}

#[test]
fn invisible_characters_in_messages_are_escaped() {
    let found = codes("when form_submitted(\"q\") then enroll in \"Boo\u{0}k\u{feff}\" from owner");
    let (_, message) = found
        .iter()
        .find(|(c, _)| *c == Code::E0101)
        .unwrap_or_else(|| panic!("{found:?}"));
    assert_eq!(message, "unknown sequence `Boo\\u{0}k\\u{feff}`");
}

#[test]
fn kinds_are_named_in_words() {
    for (src, words) in [
        (
            r#"when form_submitted("q") if contact.employees == "x" then unenroll"#,
            "(text)",
        ),
        (
            r#"when form_submitted("q") if contact.tier == 1 then unenroll"#,
            "(a number)",
        ),
        (
            r#"when form_submitted("q") if contact.employees == true then unenroll"#,
            "(true or false)",
        ),
    ] {
        let found = codes(src);
        assert!(found.iter().any(|(_, m)| m.contains(words)), "{found:?}");
        for (_, m) in &found {
            for rust in ["string", "bool", "Str", "Num", "enum", "{", "Some("] {
                assert!(!m.contains(rust), "{m}");
            }
        }
    }
}

#[test]
fn a_huge_name_in_a_message_is_shortened() {
    let name = "b".repeat(100_000);
    let found = codes(&format!(
        "when form_submitted(\"q\") then enroll in \"{name}\" from owner"
    ));
    let (_, message) = found
        .iter()
        .find(|(c, _)| *c == Code::E0101)
        .unwrap_or_else(|| panic!("{found:?}"));
    assert_eq!(
        message,
        &format!("unknown sequence `{}…{}`", "b".repeat(40), "b".repeat(40))
    );
}
