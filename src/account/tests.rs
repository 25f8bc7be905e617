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
