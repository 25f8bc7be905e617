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
        Ok(Some(Value::Text("gold".into())))
    );
    assert_eq!(a.property_value("tier", &j("null")), Ok(None));
    assert_eq!(
        a.property_value("owner", &j(r#""x@acme.test""#)),
        Ok(Some(Value::Text("x@acme.test".into())))
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

#[test]
fn read_errors_have_one_based_character_columns() {
    let at = |text: &str| from_text("e.json", text, false).unwrap_err().location;
    // An empty file and an unfinished one end at column 1 of their last line.
    assert_eq!(at(""), Some(Location::LineColumn(1, 1)));
    assert_eq!(at("{\"users\":[\n"), Some(Location::LineColumn(2, 1)));
    // Columns count characters, not bytes: `żółć` is 4 columns, 8 bytes.
    let e = from_text("e.json", r#"{"users":[{"email":"żółć","bogus":1}]}"#, false).unwrap_err();
    assert_eq!(e.location, Some(Location::LineColumn(1, 33)));
    assert!(
        e.to_string()
            .starts_with("e.json:1:33: unknown field `bogus`"),
        "{e}"
    );
}

#[test]
fn duplicate_keys_are_rejected_with_their_path() {
    let e = from_text(
        "d.json",
        "{\"properties\": {\"t\": {\"type\": \"number\"},\n \"t\": {\"type\": \"bool\"}}}",
        false,
    )
    .unwrap_err();
    assert_eq!(e.location, Some(Location::LineColumn(2, 4)));
    assert!(
        e.to_string().contains("duplicate key `t` in `properties`"),
        "{e}"
    );
    let e = from_text(
        "d.json",
        r#"{"contacts":[{"id":"c","properties":{"firstname":"a","firstname":"b"}}]}"#,
        false,
    )
    .unwrap_err();
    assert!(
        e.to_string()
            .contains("duplicate key `firstname` in `contacts[0].properties`"),
        "{e}"
    );
}

#[test]
fn arrays_are_not_objects() {
    for (text, path) in [
        (r#"["Europe/Warsaw"]"#, "the account"),
        (
            r#"{"users":[["a@x","Ana",["sales_enterprise"],["a@x"],5]]}"#,
            "`users[0]`",
        ),
        (
            r#"{"sequences":[{"name":"S","steps":[["email",0]]}]}"#,
            "`sequences[0].steps[0]`",
        ),
        (r#"{"properties":{"n":["number"]}}"#, "`properties.n`"),
        (
            r#"{"contacts":[{"id":"c","properties":[1]}]}"#,
            "`contacts[0].properties`",
        ),
        (r#"{"lists":[["L"]]}"#, "`lists[0]`"),
    ] {
        let e = from_text("a.json", text, false).unwrap_err();
        assert!(
            e.to_string()
                .contains(&format!("{path} must be an object, not an array")),
            "{text}: {e}"
        );
        assert!(
            matches!(e.location, Some(Location::LineColumn(1, _))),
            "{text}: {e}"
        );
    }
    // TOML arrays of tables are what TOML has; an array of values is not.
    let e = from_text("a.toml", "users = [[\"a@x\"]]\n", true).unwrap_err();
    assert!(
        e.to_string().contains("`users[0]` must be an object"),
        "{e}"
    );
}

#[test]
fn duplicate_contact_emails_are_rejected() {
    let e = from_text(
        "c.json",
        r#"{"contacts":[{"id":"a","email":"x@y"},{"id":"b","email":"x@y"}]}"#,
        false,
    )
    .unwrap_err();
    assert!(
        e.to_string().contains(
            "at `contacts[1].email`: duplicate contact email `x@y` (first at `contacts[0].email`)"
        ),
        "{e}"
    );
}

#[test]
fn a_delay_too_large_names_the_limit() {
    let e = from_text(
        "d.json",
        r#"{"sequences":[{"name":"S","steps":[{"type":"email","delay_days":100000000000}]}]}"#,
        false,
    )
    .unwrap_err();
    assert!(
        e.to_string()
            .contains("expected a whole number from 0 to 4294967295"),
        "{e}"
    );
}
