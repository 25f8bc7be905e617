//! Integration tests: syntax. AST and formatter snapshots of every example
//! and `tests/fixtures/syntax/ok/*.wf`, one rendered diagnostic per class of
//! syntax error (`tests/fixtures/syntax/err/*.wf`), the formatter's laws as
//! properties, the lexer against every valid fixture, and the `fmt` and
//! `parse` commands run as the real binary.

use proptest::prelude::*;
use std::path::{Path, PathBuf};
use std::process::Command;
use wf::format::{format_program, format_source};
use wf::source::{FileId, Sources};
use wf::syntax::ast::*;
use wf::syntax::lexer::{Token, tokenize};
use wf::syntax::{self, Program};
use wf::value::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

fn parse(text: &str) -> Program {
    match syntax::parse(FileId(0), text) {
        Ok(p) => p,
        Err(d) => panic!("unexpected syntax error: {d:?}"),
    }
}

fn fmt(text: &str) -> String {
    match format_source(FileId(0), text) {
        Ok(s) => s,
        Err(d) => panic!("unexpected syntax error: {d:?}"),
    }
}

fn comments(text: &str) -> Vec<String> {
    tokenize(text)
        .into_iter()
        .filter(|(t, _)| *t == Token::Comment)
        .map(|(_, s)| text[s.range()].trim_end().to_owned())
        .collect()
}

/// The laws: idempotent, the AST unchanged, every comment kept in order.
fn assert_format_laws(text: &str) -> String {
    let once = fmt(text);
    assert_eq!(fmt(&once), once, "formatting is not idempotent");
    assert_eq!(parse(&once), parse(text), "formatting changed the program");
    assert_eq!(comments(&once), comments(text), "formatting lost comments");
    once
}

// ---- snapshots -------------------------------------------------------------

#[test]
fn ast_of_examples() {
    insta::glob!("../../examples", "*.wf", |path| {
        insta::assert_debug_snapshot!(parse(&read(path)));
    });
}

#[test]
fn ast_of_fixtures() {
    insta::glob!("../fixtures/syntax/ok", "*.wf", |path| {
        insta::assert_debug_snapshot!(parse(&read(path)));
    });
}

#[test]
fn formatted_examples() {
    insta::glob!("../../examples", "*.wf", |path| {
        insta::assert_snapshot!(assert_format_laws(&read(path)));
    });
}

#[test]
fn formatted_fixtures() {
    insta::glob!("../fixtures/syntax/ok", "*.wf", |path| {
        insta::assert_snapshot!(assert_format_laws(&read(path)));
    });
}

#[test]
fn syntax_errors() {
    insta::glob!("../fixtures/syntax/err", "*.wf", |path| {
        let text = read(path);
        let name = format!("err/{}", path.file_name().unwrap().to_string_lossy());
        let mut sources = Sources::new();
        let id = sources.add(name, text.clone());
        let Err(d) = syntax::parse(id, &text) else {
            panic!("{} parsed without error", path.display());
        };
        assert_eq!(d.code.as_str(), "E0001");
        assert!(format_source(id, &text).is_err());
        insta::assert_snapshot!(d.render(&sources, false));
    });
}

// ---- the lexer follows the grammar -----------------------------------------

fn wf_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            wf_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "wf") {
            out.push(path);
        }
    }
}

#[test]
fn lexer_accepts_every_valid_script() {
    let mut files = Vec::new();
    wf_files(&root().join("examples"), &mut files);
    wf_files(&root().join("tests/fixtures"), &mut files);
    let mut lexed = 0;
    for path in files {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        // Error fixtures (of any phase) are not valid scripts.
        if syntax::parse(FileId(0), &text).is_err() {
            continue;
        }
        for (token, span) in tokenize(&text) {
            assert_ne!(
                token,
                Token::Error,
                "{}: error token `{}` at {span:?}",
                path.display(),
                &text[span.range()]
            );
        }
        lexed += 1;
    }
    assert!(lexed >= 10, "only {lexed} scripts lexed");
}

// ---- limits ----------------------------------------------------------------

#[test]
fn long_strings_are_accepted() {
    let long = "x".repeat(500_000);
    let text = format!("when form_submitted(\"{long}\") then unenroll\n");
    let p = parse(&text);
    let formatted = assert_format_laws(&text);
    let expected = format!("when form_submitted(\"{long}\")\n  then unenroll\n");
    assert!(
        formatted == expected,
        "a long string was not kept as it was"
    );
    let (_, rule) = p.rules().next().unwrap();
    assert_eq!(
        rule.triggers[0].args[0].value.value,
        Value::Text(long.into())
    );
}

#[test]
fn too_large_scripts_are_refused() {
    let text = " ".repeat(syntax::MAX_SCRIPT_BYTES + 1);
    let d = syntax::parse(FileId(0), &text).unwrap_err();
    assert!(d.message.contains("too large"), "{}", d.message);
}

#[test]
fn twenty_thousand_parentheses_and_nots_are_diagnostics() {
    for text in [
        format!(
            "when a() if {}contact.a is set{} then unenroll",
            "(".repeat(20_000),
            ")".repeat(20_000)
        ),
        format!(
            "when a() if {}contact.a is set then unenroll",
            "not ".repeat(20_000)
        ),
        format!("when a() if {} then unenroll", "(".repeat(20_000)),
    ] {
        let d = syntax::parse(FileId(0), &text).unwrap_err();
        assert_eq!(d.code.as_str(), "E0001");
    }
}

// ---- properties --------------------------------------------------------------

fn sp() -> wf::span::Span {
    wf::span::Span::default()
}

fn name() -> impl Strategy<Value = String> {
    "[a-z_][a-z0-9_]{0,8}"
}

fn text() -> impl Strategy<Value = String> {
    // Any text a string may hold: everything but line breaks.
    "[^\n\r]{0,12}"
}

fn string() -> impl Strategy<Value = Str> {
    text().prop_map(|value| Str { value, span: sp() })
}

fn ident() -> impl Strategy<Value = Ident> {
    name().prop_map(|name| Ident { name, span: sp() })
}

fn value() -> impl Strategy<Value = Value> {
    prop_oneof![
        text().prop_map(|s| Value::Text(s.into())),
        any::<f64>()
            .prop_filter("finite", |n| n.is_finite())
            .prop_map(Value::Number),
        (-1000i32..1000).prop_map(|n| Value::Number(f64::from(n) / 4.0)),
        any::<bool>().prop_map(Value::Bool),
    ]
}

fn literal() -> impl Strategy<Value = Literal> {
    value().prop_map(|value| Literal { value, span: sp() })
}

fn operand() -> impl Strategy<Value = Operand> {
    prop_oneof![
        ident().prop_map(|property| Operand::Contact {
            property,
            span: sp()
        }),
        ident().prop_map(|field| Operand::Event { field, span: sp() }),
        literal().prop_map(Operand::Literal),
    ]
}

fn op() -> impl Strategy<Value = CmpOp> {
    prop_oneof![
        Just(CmpOp::Eq),
        Just(CmpOp::Ne),
        Just(CmpOp::Lt),
        Just(CmpOp::Le),
        Just(CmpOp::Gt),
        Just(CmpOp::Ge),
    ]
}

fn expr_of(kind: ExprKind) -> Expr {
    Expr { kind, span: sp() }
}

fn test_expr() -> impl Strategy<Value = Expr> {
    prop_oneof![
        (operand(), op(), operand()).prop_map(|(lhs, op, rhs)| ExprKind::Compare { lhs, op, rhs }),
        (
            operand(),
            any::<bool>(),
            prop::collection::vec(literal(), 1..4)
        )
            .prop_map(|(operand, negated, values)| ExprKind::In {
                operand,
                negated,
                values
            }),
        (operand(), string()).prop_map(|(operand, needle)| ExprKind::Contains { operand, needle }),
        (operand(), any::<bool>())
            .prop_map(|(operand, negated)| ExprKind::IsSet { operand, negated }),
        string().prop_map(|list| ExprKind::InList { list }),
    ]
    .prop_map(expr_of)
}

fn level(e: &Expr) -> u8 {
    match e.kind {
        ExprKind::Or { .. } => 1,
        ExprKind::And { .. } => 2,
        ExprKind::Not { .. } => 3,
        _ => 4,
    }
}

/// `e` where a parse would give at least precedence `min`: in a group if not.
fn at_least(e: Expr, min: u8) -> Box<Expr> {
    if level(&e) < min {
        Box::new(expr_of(ExprKind::Group { expr: Box::new(e) }))
    } else {
        Box::new(e)
    }
}

/// Conditions shaped as a parse gives them (left-associative, groups
/// where precedence needs them).
fn condition() -> impl Strategy<Value = Expr> {
    test_expr().prop_recursive(4, 24, 2, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(l, r)| expr_of(ExprKind::Or {
                lhs: at_least(l, 1),
                rhs: at_least(r, 2)
            })),
            (inner.clone(), inner.clone()).prop_map(|(l, r)| expr_of(ExprKind::And {
                lhs: at_least(l, 2),
                rhs: at_least(r, 3)
            })),
            inner.clone().prop_map(|e| expr_of(ExprKind::Not {
                expr: at_least(e, 3)
            })),
            inner.prop_map(|e| expr_of(ExprKind::Group { expr: Box::new(e) })),
        ]
    })
}

fn trigger() -> impl Strategy<Value = Trigger> {
    let arg = (prop::option::of(ident()), literal()).prop_map(|(name, value)| Arg {
        name,
        value,
        span: sp(),
    });
    (ident(), prop::collection::vec(arg, 0..3)).prop_map(|(name, args)| Trigger {
        name,
        args,
        span: sp(),
    })
}

fn action() -> impl Strategy<Value = Action> {
    let sender = prop_oneof![
        Just(Sender::Owner { span: sp() }),
        string().prop_map(|email| Sender::User { email, span: sp() }),
    ];
    prop_oneof![
        (string(), sender, prop::option::of(string())).prop_map(|(sequence, sender, via)| {
            Action::Enroll {
                sequence,
                sender,
                via,
                span: sp(),
            }
        }),
        prop::option::of(string()).prop_map(|sequence| Action::Unenroll {
            sequence,
            span: sp()
        }),
    ]
}

fn rule() -> impl Strategy<Value = Rule> {
    (
        prop::collection::vec(trigger(), 1..3),
        prop::option::of(condition()),
        prop::collection::vec(action(), 1..3),
    )
        .prop_map(|(triggers, condition, actions)| Rule {
            triggers,
            condition,
            actions,
            span: sp(),
        })
}

fn program() -> impl Strategy<Value = Program> {
    let setting = prop_oneof![
        Just(Setting::Reenroll { span: sp() }),
        string().prop_map(|list| Setting::Suppress { list, span: sp() }),
    ];
    let workflow = (
        string(),
        prop::collection::vec(setting, 0..3),
        prop::collection::vec(rule(), 1..3),
    )
        .prop_map(|(name, settings, rules)| {
            Item::Workflow(Workflow {
                name,
                settings,
                rules,
                span: sp(),
            })
        });
    let item = prop_oneof![rule().prop_map(Item::Rule), workflow];
    prop::collection::vec(item, 0..4).prop_map(|items| Program { items })
}

/// Adds a comment line before some lines and a trailing comment after others.
fn with_comments(text: &str, marks: &[u8]) -> String {
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        let mark = marks.get(i % marks.len().max(1)).copied().unwrap_or(0);
        let indent: String = line.chars().take_while(|c| *c == ' ').collect();
        if mark & 1 == 1 {
            out += &format!("{indent}# before {i}\n");
        }
        out += line;
        if mark & 2 == 2 && !line.trim().is_empty() {
            out += &format!("  # after {i}");
        }
        out += "\n";
    }
    out
}

/// Puts a comment (and a line break) after each chosen token, except
/// inside `contact.NAME` and `event.NAME`, which are written without space.
fn with_comments_between_tokens(text: &str, picks: &[bool]) -> String {
    let tokens = tokenize(text);
    let mut out = String::new();
    let mut last = 0;
    for (i, (_, span)) in tokens.iter().enumerate() {
        out += &text[last..span.end];
        last = span.end;
        let word = &text[span.range()];
        let next_is_dot = tokens
            .get(i + 1)
            .is_some_and(|(_, n)| &text[n.range()] == "." && n.start == span.end);
        if picks.get(i % picks.len().max(1)).copied().unwrap_or(false)
            && word != "."
            && !next_is_dot
        {
            out += &format!(" # c{i}\n");
        }
    }
    out += &text[last..];
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn comments_between_any_tokens_survive(p in program(), picks in prop::collection::vec(any::<bool>(), 1..12)) {
        let text = with_comments_between_tokens(&format_program(&p), &picks);
        let parsed = syntax::parse(FileId(0), &text);
        prop_assert!(parsed.is_ok(), "{text}\n{parsed:?}");
        prop_assert_eq!(parsed.unwrap(), p);
        assert_format_laws(&text);
    }

    #[test]
    fn printed_programs_parse_back(p in program()) {
        let text = format_program(&p);
        let parsed = syntax::parse(FileId(0), &text);
        prop_assert!(parsed.is_ok(), "{text}\n{parsed:?}");
        prop_assert_eq!(parsed.unwrap(), p);
        prop_assert_eq!(fmt(&text), text);
    }

    #[test]
    fn comments_survive_formatting(p in program(), marks in prop::collection::vec(0u8..4, 1..8)) {
        let text = with_comments(&format_program(&p), &marks);
        assert_format_laws(&text);
    }

    #[test]
    fn any_text_is_safe(text in any::<String>()) {
        let _ = syntax::parse(FileId(0), &text);
        let _ = format_source(FileId(0), &text);
        let _ = tokenize(&text);
    }

    #[test]
    fn any_bytes_are_safe(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = syntax::parse(FileId(0), &text);
        let _ = format_source(FileId(0), &text);
    }

    #[test]
    fn token_soup_is_safe(words in prop::collection::vec(prop_oneof![
        Just("when"), Just("workflow"), Just("if"), Just("then"), Just("or"), Just("and"),
        Just("not"), Just("in"), Just("list"), Just("contact"), Just("event"), Just("."),
        Just("enroll"), Just("unenroll"), Just("from"), Just("owner"), Just("user"), Just("via"),
        Just("("), Just(")"), Just("["), Just("]"), Just("{"), Just("}"), Just(","), Just(":"),
        Just("=="), Just("<"), Just("\"s\""), Just("\"a\\"), Just("1"), Just("-2.5"),
        Just("is"), Just("set"), Just("contains"), Just("reenroll"), Just("suppress"),
        Just("# c\n"), Just("\n"), Just("x"), Just("true"),
    ], 0..40)) {
        let text = words.join(" ");
        if let Ok(once) = format_source(FileId(0), &text) {
            prop_assert_eq!(fmt(&once), once.clone());
            prop_assert_eq!(parse(&once), parse(&text));
        }
    }
}

// ---- the command line ----------------------------------------------------------

fn wf(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_wf"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

/// A fresh directory for files the binary may rewrite.
fn temp_dir(tag: &str) -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "wf-syntax-{tag}-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn copy_fixture(dir: &Path, fixture: &str) -> PathBuf {
    let from = root().join("tests/fixtures/syntax").join(fixture);
    let to = dir.join(from.file_name().unwrap());
    std::fs::copy(&from, &to).unwrap();
    to
}

fn text_of(out: &[u8]) -> String {
    String::from_utf8(out.to_vec()).unwrap()
}

#[test]
fn fmt_rewrites_in_place_and_check_reports() {
    let dir = temp_dir("fmt");
    let messy = copy_fixture(&dir, "ok/unformatted.wf");
    let tidy = copy_fixture(&dir, "ok/workflows.wf");
    let before = read(&messy);
    let (m, t) = (messy.to_str().unwrap(), tidy.to_str().unwrap());

    let out = wf(&["fmt", "--check", m, t]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert_eq!(text_of(&out.stderr), format!("would reformat: {m}\n"));
    assert_eq!(read(&messy), before, "--check wrote a file");

    let out = wf(&["fmt", m, t]);
    assert_eq!(out.status.code(), Some(0), "{}", text_of(&out.stderr));
    assert!(out.stdout.is_empty() && out.stderr.is_empty());
    assert_eq!(read(&messy), fmt(&before));

    let out = wf(&["fmt", "--check", m, t]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stderr.is_empty());
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn fmt_leaves_a_file_with_a_syntax_error_alone() {
    let dir = temp_dir("fmt-err");
    let bad = copy_fixture(&dir, "err/missing_then.wf");
    let messy = copy_fixture(&dir, "ok/unformatted.wf");
    let before = read(&bad);
    let out = wf(&["fmt", bad.to_str().unwrap(), messy.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let stderr = text_of(&out.stderr);
    assert!(stderr.contains("[E0001] Error: expected"), "{stderr}");
    assert!(stderr.contains("missing_then.wf:1:"), "{stderr}");
    assert_eq!(read(&bad), before);
    // The other file is still formatted.
    assert_eq!(
        read(&messy),
        fmt(&read(
            &root().join("tests/fixtures/syntax/ok/unformatted.wf")
        ))
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn fmt_reports_unreadable_files_with_exit_2() {
    let dir = temp_dir("fmt-bad");
    let binary = dir.join("binary.wf");
    std::fs::write(&binary, b"when a() then unenroll\n# \xff\n").unwrap();
    let out = wf(&["fmt", binary.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text_of(&out.stderr);
    assert!(
        stderr.contains("binary.wf:2:3: file is not valid UTF-8"),
        "{stderr}"
    );

    let missing = dir.join("missing.wf");
    let out = wf(&["fmt", "--check", missing.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text_of(&out.stderr).contains("missing.wf: cannot read"));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn parse_prints_one_json_document_per_file() {
    let a = root().join("examples/qualify.wf");
    let b = root().join("examples/handoff.wf");
    let out = wf(&["parse", a.to_str().unwrap(), b.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stderr.is_empty());
    let stdout = text_of(&out.stdout);
    let docs: Vec<serde_json::Value> = serde_json::Deserializer::from_str(&stdout)
        .into_iter()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0]["items"][0]["kind"], "rule");
    assert_eq!(docs[1]["items"][0]["kind"], "workflow");
    assert_eq!(docs[1]["items"][0]["name"]["value"], "Sales hand-off");
    assert!(stdout.starts_with("{\n  \"items\""), "not pretty: {stdout}");
}

#[test]
fn parse_reports_syntax_errors_on_stderr() {
    let bad = root().join("tests/fixtures/syntax/err/unterminated_block.wf");
    let good = root().join("examples/qualify.wf");
    let out = wf(&["parse", bad.to_str().unwrap(), good.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text_of(&out.stderr);
    assert!(
        stderr.contains("expected `when` or `}`, found end of file"),
        "{stderr}"
    );
    let stdout = text_of(&out.stdout);
    let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(doc["items"][0]["kind"], "rule");
}

#[test]
fn parse_reports_unreadable_files_with_exit_2() {
    let dir = temp_dir("parse-bad");
    let binary = dir.join("latin1.wf");
    std::fs::write(&binary, b"when form_submitted(\"caf\xe9\") then unenroll\n").unwrap();
    let good = root().join("examples/qualify.wf");
    let out = wf(&["parse", binary.to_str().unwrap(), good.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text_of(&out.stderr);
    assert!(
        stderr.contains("latin1.wf:1:25: file is not valid UTF-8"),
        "{stderr}"
    );
    // The readable file is still printed.
    let doc: serde_json::Value = serde_json::from_str(&text_of(&out.stdout)).unwrap();
    assert_eq!(doc["items"][0]["kind"], "rule");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn fmt_without_files_is_a_usage_error() {
    let out = wf(&["fmt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
}

#[test]
fn the_spec_example_is_a_fixed_point() {
    // `docs/language.md` calls its example the canonical layout.
    let text = read(&root().join("tests/fixtures/syntax/ok/spec_example.wf"));
    assert_eq!(fmt(&text), text);
}

#[test]
fn blank_lines_between_constructs_are_kept_one_at_most() {
    let text = "\n\n# lead\n\nwhen a() then unenroll\nwhen b() then unenroll\n\n\n\nworkflow \"W\" {\n\n  reenroll\n\n  suppress list \"L\"\n  when c() then unenroll\n\n\n  when d() then unenroll\n  when e() then unenroll\n\n}\n\n\n";
    let expected = "# lead\n\nwhen a() then unenroll\nwhen b() then unenroll\n\nworkflow \"W\" {\n  reenroll\n\n  suppress list \"L\"\n  when c() then unenroll\n\n  when d() then unenroll\n  when e() then unenroll\n}\n";
    assert_eq!(assert_format_laws(text), expected);
}

#[test]
fn a_program_without_source_keeps_the_default_blank_lines() {
    let text = "when a() then unenroll\nworkflow \"W\" {\n  reenroll\n  when c() then unenroll\n  when d() then unenroll\n}\n";
    let expected = "when a() then unenroll\n\nworkflow \"W\" {\n  reenroll\n\n  when c() then unenroll\n\n  when d() then unenroll\n}\n";
    assert_eq!(format_program(&parse(text)), expected);
}

#[test]
fn a_leading_byte_order_mark_is_skipped() {
    let dir = temp_dir("bom");
    let script = "when form_submitted(\"x\") then enroll in \"Nope\" from owner\n";
    let plain = dir.join("plain.wf");
    let bom = dir.join("bom.wf");
    std::fs::write(&plain, script).unwrap();
    std::fs::write(&bom, format!("\u{feff}{script}")).unwrap();
    // The same AST, spans included (they count from after the mark).
    let parsed = |p: &Path| {
        let out = wf(&["parse", p.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(0), "{}", text_of(&out.stderr));
        text_of(&out.stdout)
    };
    assert_eq!(parsed(&bom), parsed(&plain));
    // The same diagnostics, at the same line and column.
    let check = |p: &Path| {
        let out = wf(&[
            "check",
            p.to_str().unwrap(),
            "--account",
            "tests/fixtures/check/account.json",
            "--format",
            "json",
        ]);
        assert_eq!(out.status.code(), Some(1));
        let lines: Vec<serde_json::Value> = text_of(&out.stdout)
            .lines()
            .map(|l| {
                let mut v: serde_json::Value = serde_json::from_str(l).unwrap();
                v["file"] = serde_json::Value::Null;
                v
            })
            .collect();
        lines
    };
    let with_mark = check(&bom);
    assert_eq!(with_mark, check(&plain));
    let e0101 = with_mark.iter().find(|d| d["code"] == "E0101").unwrap();
    assert_eq!(e0101["column"], 41); // the `"` of `"Nope"`
    // A formatted file with a mark is left alone.
    let out = wf(&["fmt", "--check", bom.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text_of(&out.stderr));
    std::fs::remove_dir_all(dir).unwrap();
}

/// A rule whose condition is `n` tests joined by `op`.
fn chain(op: &str, n: usize) -> String {
    let tests: Vec<String> = (0..n)
        .map(|i| format!("contact.firstname != \"x{i}\""))
        .collect();
    format!(
        "when form_submitted(\"q\") if {} then unenroll\n",
        tests.join(&format!(" {op} "))
    )
}

#[test]
fn long_flat_chains_are_not_nesting() {
    // 1000 tests joined by `or` (or `and`) are one level of nesting: they
    // parse, format, check and run.
    for op in ["or", "and"] {
        let text = chain(op, 1000);
        let program = parse(&text);
        let once = fmt(&text);
        assert_eq!(parse(&once), program);
        let account = wf::account::load(&root().join("examples/account.json")).unwrap();
        let diagnostics = wf::check::check(&[(FileId(0), program)], &account);
        assert!(diagnostics.iter().all(|d| !d.is_error()), "{diagnostics:?}");
    }
    let dir = temp_dir("chain");
    let script = dir.join("chain.wf");
    std::fs::write(&script, chain("and", 1000)).unwrap();
    let events = dir.join("events.jsonl");
    std::fs::write(
        &events,
        "{\"at\":\"2026-03-02T08:00:00Z\",\"type\":\"form_submitted\",\"contact\":\"c-1\",\"form\":\"q\"}\n",
    )
    .unwrap();
    let out = wf(&[
        "run",
        script.to_str().unwrap(),
        "--account",
        root().join("examples/account.json").to_str().unwrap(),
        "--events",
        events.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text_of(&out.stderr));
    assert!(text_of(&out.stdout).contains("\"not_enrolled\""));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn chains_beyond_the_allowance_are_refused_in_words() {
    let err = syntax::parse(FileId(0), &chain("or", syntax::MAX_CONDITION_CHAIN + 1)).unwrap_err();
    assert!(
        err.message.contains(&format!(
            "more than {} tests joined by `and`/`or`",
            syntax::MAX_CONDITION_CHAIN
        )),
        "{}",
        err.message
    );
    assert!(syntax::parse(FileId(0), &chain("or", syntax::MAX_CONDITION_CHAIN)).is_ok());
    // `not` runs and parentheses still count as levels.
    let nots = format!(
        "when a() if {}contact.x is set then unenroll",
        "not ".repeat(syntax::MAX_CONDITION_DEPTH)
    );
    let err = syntax::parse(FileId(0), &nots).unwrap_err();
    assert!(err.message.contains("nested too deeply"), "{}", err.message);
}
