use super::*;
use crate::syntax::ast::*;
use crate::syntax::parse;

fn fmt(text: &str) -> String {
    match format_source(FileId(0), text) {
        Ok(s) => s,
        Err(d) => panic!("unexpected error: {d:?}"),
    }
}

/// Formats, and checks the laws: idempotent, AST kept.
fn check(text: &str) -> String {
    let once = fmt(text);
    let twice = fmt(&once);
    assert_eq!(once, twice, "not idempotent:\n{once}");
    assert_eq!(
        parse(FileId(0), text).unwrap(),
        parse(FileId(0), &once).unwrap()
    );
    once
}

#[test]
fn short_rule_on_one_line() {
    assert_eq!(
        check("when   x( \"a\" ,to:1.50)then unenroll"),
        "when x(\"a\", to: 1.5) then unenroll\n"
    );
}

#[test]
fn long_rule_one_clause_per_line() {
    let out = check(
        r#"when form_submitted("qualify") if contact.lifecycle_stage == "salesqualifiedlead" and contact.employees >= 10 then enroll in "Booking" from owner"#,
    );
    assert_eq!(
        out,
        "when form_submitted(\"qualify\")\n  if contact.lifecycle_stage == \"salesqualifiedlead\" and contact.employees >= 10\n  then enroll in \"Booking\" from owner\n"
    );
}

#[test]
fn workflow_layout() {
    let out = check(
        "workflow \"W\" { reenroll suppress list \"L\" when a() then unenroll when b() then unenroll }",
    );
    assert_eq!(
        out,
        // No blank line in the source, none in the output.
        "workflow \"W\" {\n  reenroll\n  suppress list \"L\"\n  when a() then unenroll\n  when b() then unenroll\n}\n"
    );
}

#[test]
fn comments_stay_in_place() {
    let text = "# header\n\n# about a\nwhen a() then unenroll  # after a\n# end\n";
    assert_eq!(check(text), text);
}

#[test]
fn comments_inside_a_rule_break_it() {
    let text = "when a()  # trigger\n  if contact.x is set  # cond\n  then unenroll  # act\n";
    assert_eq!(check(text), text);
}

#[test]
fn comment_inside_a_clause_moves_before_it() {
    let out = check("when a() if contact.x == 1 # one\n or contact.y == 2 then unenroll\n");
    assert_eq!(
        out,
        "when a()\n  # one\n  if contact.x == 1 or contact.y == 2\n  then unenroll\n"
    );
}

#[test]
fn comments_in_blocks() {
    let text = "# before\nworkflow \"W\" {  # header\n  # setting\n  reenroll  # r\n\n  # rule\n  when a() then unenroll  # t\n\n  # last\n}  # after\n";
    assert_eq!(check(text), text);
}

#[test]
fn every_comment_is_kept() {
    let text = "when # a\n a( # b\n \"x\" # c\n ) # d\n if # e\n contact.x # f\n is set # g\n then # h\n unenroll # i\n , # j\n unenroll # k\n";
    let out = check(text);
    for c in ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"] {
        assert_eq!(out.matches(&format!("# {c}")).count(), 1, "{c} in:\n{out}");
    }
}

#[test]
fn strings_and_numbers() {
    let out = check(r#"when a("q\"\\", n: -0.250, m: 007) then unenroll"#);
    assert_eq!(out, "when a(\"q\\\"\\\\\", n: -0.25, m: 7) then unenroll\n");
}

#[test]
fn groups_are_kept() {
    let out = check("when a() if ((contact.x is set)) and not (contact.y in [1,2]) then unenroll");
    assert_eq!(
        out,
        "when a() if ((contact.x is set)) and not (contact.y in [1, 2]) then unenroll\n"
    );
}

#[test]
fn empty_and_comment_only_files() {
    assert_eq!(check(""), "");
    assert_eq!(check("  \n\n"), "");
    assert_eq!(check("# only\n\n\n# comments"), "# only\n\n# comments\n");
}

#[test]
fn crlf_input() {
    assert_eq!(
        check("# c\r\nwhen a() then unenroll # t\r\n"),
        "# c\nwhen a() then unenroll  # t\n"
    );
}

#[test]
fn program_without_comments() {
    let p = parse(FileId(0), "# x\nwhen a() then unenroll # y").unwrap();
    assert_eq!(format_program(&p), "when a() then unenroll\n");
}

#[test]
fn precedence_parentheses_for_built_trees() {
    use crate::span::Span;
    let test = |name: &str| Expr {
        kind: ExprKind::IsSet {
            operand: Operand::Contact {
                property: Ident {
                    name: name.into(),
                    span: Span::default(),
                },
                span: Span::default(),
            },
            negated: false,
        },
        span: Span::default(),
    };
    let or = Expr {
        kind: ExprKind::Or {
            lhs: Box::new(test("a")),
            rhs: Box::new(test("b")),
        },
        span: Span::default(),
    };
    let and = Expr {
        kind: ExprKind::And {
            lhs: Box::new(test("c")),
            rhs: Box::new(or),
        },
        span: Span::default(),
    };
    assert_eq!(
        printer::expr(&and),
        "contact.c is set and (contact.a is set or contact.b is set)"
    );
}
