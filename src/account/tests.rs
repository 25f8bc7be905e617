use super::*;

#[test]
fn loads_a_minimal_account_with_defaults() {
    let a = from_text(
        "a.json",
        r#"{"users":[{"email":"ana@acme.test","seats":["sales_enterprise"],"inboxes":["ana@acme.test"]}]}"#,
        false,
    )
    .unwrap();
    assert_eq!(a.timezone, chrono_tz::UTC);
    assert_eq!(a.users[0].daily_send_limit, 1000);
    assert!(a.users[0].is_eligible_sender());
    assert!(a.property("lifecycle_stage").is_some());
}

#[test]
fn unknown_fields_are_rejected_with_a_position() {
    let e = from_text("a.json", "{\n  \"userz\": []\n}", false).unwrap_err();
    assert_eq!(e.location, Some(Location::LineColumn(2, 9)));
    assert!(
        e.to_string()
            .starts_with("a.json:2:9: unknown field `userz`"),
        "{e}"
    );
}

#[test]
fn tokens_are_found() {
    let t = tokens_in("Hi {{contact.firstname}}, {{ placeholder:news }}");
    assert_eq!(
        t,
        vec![
            Token::Personalization("firstname"),
            Token::Placeholder("news")
        ]
    );
}

#[test]
fn property_values_are_checked_against_the_schema() {
    let a = from_text(
        "a.json",
        r#"{"properties": {"tier": {"type": "enum", "values": ["gold"]}}}"#,
        false,
    )
    .unwrap();
    let j = |s: &str| serde_json::from_str::<serde_json::Value>(s).unwrap();
    assert_eq!(
        a.property_value("tier", &j(r#""gold""#)),
        Ok(Some(PropertyValue::Str("gold".into())))
    );
    assert_eq!(a.property_value("tier", &j("null")), Ok(None));
    assert_eq!(
        a.property_value("owner", &j(r#""x@acme.test""#)),
        Ok(Some(PropertyValue::Str("x@acme.test".into())))
    );
    assert!(a.property_value("tier", &j(r#""silver""#)).is_err());
    assert!(a.property_value("firstname", &j("3")).is_err());
    assert!(a.property_value("nope", &j("3")).is_err());
}

#[test]
fn validation_errors_give_the_line_and_the_path() {
    let e = from_text(
        "a.json",
        "{\n  \"users\": [{\"email\": \"a@x\"}, {\"email\": \"a@x\"}]\n}",
        false,
    )
    .unwrap_err();
    assert_eq!(e.location, Some(Location::LineColumn(2, 41)));
    assert!(
        e.message
            .starts_with("at `users[1].email`: duplicate user `a@x`"),
        "{e}"
    );
}
