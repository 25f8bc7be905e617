use super::*;
use crate::syntax::ast::*;
use crate::value::Value;

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
        Value::Text(r#"a "b" \"#.into())
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

/// The whole text parsed in one piece, as for a short script.
fn parse_whole(text: &str) -> std::result::Result<Program, Diagnostic> {
    let pairs = parser::parse_pairs(FileId(0), text)?;
    lower::program(FileId(0), 0, pairs)
}

/// A script longer than [`PARTS_FROM_BYTES`]: bare rules, workflow blocks
/// (whose rules start lines too), comments, wide characters, and `extra`
/// once in the middle.
fn long_script(extra: &str) -> String {
    let mut text = String::from("# ünïcödé 日本語\n");
    let mut i = 0;
    while text.len() < PARTS_FROM_BYTES * 2 {
        text.push_str(&match i % 4 {
            0 => format!(
                "when form_submitted(\"f{i}\")\n  if contact.employees >= {i} and not (contact.tier in [\"gold\", \"ß{i}\"])\n  then enroll in \"Booking\" from owner\n"
            ),
            1 => format!(
                "workflow \"W{i}\" {{\n  reenroll\nwhen list_added(\"L{i}\") then unenroll # {i}\n}}\n"
            ),
            2 => format!("when deal_stage_changed(to: \"s{i}\") then unenroll from \"Nurture\"\n"),
            _ => format!("# a comment {i}\nwhen event_x() if event.amount > {i}.5 then unenroll, unenroll\n"),
        });
        if i == 2000 {
            text.push_str(extra);
        }
        i += 1;
    }
    text
}

#[test]
fn a_long_script_parsed_in_parts_is_the_script_parsed_whole() {
    let text = long_script("");
    let starts = check_limits(FileId(0), &text).unwrap();
    let whole = parse_whole(&text).unwrap();
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    if cores > 1 {
        let parts = parse_in_parts(FileId(0), &text, &starts).unwrap();
        // Spans take no part in equality: compare them through Debug.
        assert_eq!(format!("{parts:?}"), format!("{whole:?}"));
    }
    assert_eq!(format!("{:?}", parse_ok(&text)), format!("{whole:?}"));
    assert!(whole.items.len() > 4000);
}

#[test]
fn a_cut_inside_an_item_or_an_error_falls_back_to_the_whole_text() {
    // A trigger named `when` at the start of a line continues a rule; a
    // part that ends before it does not parse alone.
    let text = long_script("when form_submitted(\"x\") or\nwhen(\"y\") then unenroll\n");
    let starts = check_limits(FileId(0), &text).unwrap();
    let at = text.find("when(\"y\")").unwrap();
    assert!(starts.contains(&at));
    let whole = parse_whole(&text).unwrap();
    assert_eq!(format!("{:?}", parse_ok(&text)), format!("{whole:?}"));
    // A syntax error is the one the whole text gives, at the same place.
    let text = long_script("when form_submitted(\"x\") then enrol in \"S\" from owner\n");
    let (Err(split), Err(one)) = (parse(FileId(0), &text), parse_whole(&text)) else {
        panic!("the misspelt action parses");
    };
    assert_eq!(
        (split.message, split.span.range()),
        (one.message, one.span.range())
    );
}
