use super::*;
use crate::syntax::ast::*;

fn parse_ok(text: &str) -> Program {
    match parse(FileId(0), text) {
        Ok(p) => p,
        Err(d) => panic!("unexpected error: {d:?}"),
    }
}

#[test]
fn parses_the_spec_example() {
    let p = parse_ok(
        r#"
# a bare rule
when form_submitted("qualify")
  if contact.lifecycle_stage == "salesqualifiedlead" and contact.employees >= 10
  then enroll in "Booking" from owner

workflow "Sales hand-off" {
  reenroll
  suppress list "Do not contact"

  when deal_stage_changed(to: "closedwon")
    then enroll in "Onboarding" from user "csm@acme.test" via "success@acme.test"

  when meeting_outcome("no_show") then enroll in "Reschedule" from owner
}

when property_changed("lifecycle_stage", to: "customer") then unenroll
when form_submitted("stop") then unenroll from "Booking"
"#,
    );
    assert_eq!(p.items.len(), 4);
    assert_eq!(p.rules().count(), 5);
    let Item::Workflow(w) = &p.items[1] else {
        panic!("not a workflow")
    };
    assert_eq!(w.name.value, "Sales hand-off");
    assert_eq!(w.settings.len(), 2);
}

#[test]
fn and_binds_tighter_than_or() {
    let p = parse_ok(
        r#"when x() if contact.a == 1 or contact.b == 2 and not contact.c is set then unenroll"#,
    );
    let (_, rule) = p.rules().next().unwrap();
    let cond = rule.condition.as_ref().unwrap();
    let ExprKind::Or { rhs, .. } = &cond.kind else {
        panic!("{cond:?}")
    };
    let ExprKind::And { rhs, .. } = &rhs.kind else {
        panic!("{rhs:?}")
    };
    assert!(matches!(rhs.kind, ExprKind::Not { .. }));
}

#[test]
fn keywords_are_whole_words() {
    let err = parse(FileId(0), r#"when x() then enrollment in "S" from owner"#).unwrap_err();
    assert_eq!(err.code, Code::E0001);
}

#[test]
fn spans_do_not_affect_equality() {
    let a = parse_ok(r#"when x("a") then unenroll"#);
    let b = parse_ok("when   x( \"a\" )\n  then unenroll");
    assert_eq!(a, b);
}

#[test]
fn deep_nesting_is_a_diagnostic() {
    let text = format!(
        "when x() if {}contact.a is set{} then unenroll",
        "(".repeat(20_000),
        ")".repeat(20_000)
    );
    let err = parse(FileId(0), &text).unwrap_err();
    assert!(err.message.contains("nested too deeply"), "{}", err.message);
}

#[test]
fn escapes() {
    let p = parse_ok(r#"when form_submitted("a \"b\" \\") then unenroll"#);
    let (_, rule) = p.rules().next().unwrap();
    assert_eq!(
        rule.triggers[0].args[0].value.value,
        Value::Str(r#"a "b" \"#.into())
    );
    let err = parse(FileId(0), r#"when form_submitted("a \n") then unenroll"#).unwrap_err();
    assert!(err.message.contains("invalid escape"), "{}", err.message);
}

#[test]
fn a_long_chain_of_nots_is_a_diagnostic() {
    let text = format!(
        "when x() if {}contact.a is set then unenroll",
        "not ".repeat(20_000)
    );
    let err = parse(FileId(0), &text).unwrap_err();
    assert!(err.message.contains("nested too deeply"), "{}", err.message);
}

#[test]
fn a_long_chain_of_ors_is_a_diagnostic() {
    let text = format!(
        "when x() if contact.a is set{} then unenroll",
        " or contact.a is set".repeat(20_000)
    );
    let err = parse(FileId(0), &text).unwrap_err();
    assert!(err.message.contains("too long"), "{}", err.message);
}

#[test]
fn nested_chains_are_bounded_in_total() {
    // Each chain is short enough, but together they nest too deep.
    let chain = |inner: &str| format!("({inner}){}", " or contact.a is set".repeat(600));
    let text = format!(
        "when x() if {} then unenroll",
        chain(&chain("contact.a is set"))
    );
    let err = parse(FileId(0), &text).unwrap_err();
    assert!(err.message.contains("too complex"), "{}", err.message);
}

#[test]
fn conditions_up_to_the_depth_limit_parse() {
    let text = format!(
        "when x() if {}contact.a is set then unenroll",
        "not ".repeat(MAX_CONDITION_DEPTH - 1)
    );
    assert!(parse(FileId(0), &text).is_ok());
}

#[test]
fn rule_spans_end_at_their_last_token() {
    let p = parse_ok(
        "when x() then unenroll   # note

when y() then unenroll",
    );
    let (_, rule) = p.rules().next().unwrap();
    assert_eq!(rule.span.end, "when x() then unenroll".len());
    assert_eq!(rule.actions[0].span().end, rule.span.end);
}

#[test]
fn punctuation_is_named_in_errors() {
    let err = parse(FileId(0), r#"when x("a" "b") then unenroll"#).unwrap_err();
    assert_eq!(err.message, "expected `)` or `,`, found `\"b\"`");
    let err = parse(FileId(0), "when form_submitted then unenroll").unwrap_err();
    assert_eq!(err.message, "expected `(`, found `then`");
    assert!(err.help.unwrap().contains("form_submitted()"));
}

#[test]
fn unterminated_block_names_the_line_of_its_brace() {
    let err = parse(
        FileId(0),
        "# c\nworkflow \"W\" {\n  when a() then unenroll\n",
    )
    .unwrap_err();
    assert_eq!(err.message, "expected `when` or `}`, found end of file");
    assert_eq!(
        err.help.as_deref(),
        Some("the block opened on line 2 is not closed: end it with `}`")
    );
}

#[test]
fn incomplete_input_is_told_apart_from_wrong_input() {
    assert!(is_incomplete("workflow \"W\" {"));
    assert!(is_incomplete(
        "workflow \"W\" {\n  when a() then unenroll  # more to come\n"
    ));
    assert!(is_incomplete(
        "when form_submitted(\"a\")\n  if contact.x is set"
    ));
    assert!(is_incomplete("when a() then unenroll,"));
    assert!(!is_incomplete("when a() then unenroll"));
    assert!(!is_incomplete(""));
    assert!(!is_incomplete("when a() then subscribe"));
    assert!(!is_incomplete("when a(\"open"));
    assert!(!is_incomplete("when a() then unenroll }"));
}
