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
