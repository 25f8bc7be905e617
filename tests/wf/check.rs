//! Integration tests: the account loader and the static checker.
//!
//! - `tests/fixtures/check/*.wf`: one script per diagnostic code, checked
//!   against `tests/fixtures/check/account.json`, snapshotted rendered (no
//!   colour) and as JSON lines;
//! - `tests/fixtures/account/*.{json,toml}`: one rejected account per class
//!   of problem, snapshot of the error message;
//! - the examples check without errors;
//! - every code has a fixture that produces it and an explanation;
//! - the `wf check` and `wf explain` binaries: exit codes and streams.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use wf::account;
use wf::diagnostic::{Code, Diagnostic};
use wf::source::Sources;

fn fixtures(dir: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(dir)
}

fn check_account() -> account::Account {
    account::load(&fixtures("check").join("account.json")).unwrap()
}

/// Parses and checks scripts the way `wf check` does; files are named by
/// their base name so that snapshots do not depend on the checkout.
fn check_files(paths: &[PathBuf], account: &account::Account) -> (Sources, Vec<Diagnostic>) {
    let mut sources = Sources::new();
    let mut programs = Vec::new();
    let mut diagnostics = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let id = sources.add(name, text.clone());
        match wf::syntax::parse(id, &text) {
            Ok(p) => programs.push((id, p)),
            Err(d) => diagnostics.push(d),
        }
    }
    diagnostics.extend(wf::check::check(&programs, account));
    diagnostics.sort_by_key(Diagnostic::sort_key);
    (sources, diagnostics)
}

#[test]
fn fixtures_per_code() {
    let account = check_account();
    insta::glob!("../fixtures/check", "*.wf", |path| {
        let (sources, diagnostics) = check_files(&[path.to_path_buf()], &account);
        assert!(
            !diagnostics.is_empty(),
            "{} gave no diagnostics",
            path.display()
        );
        let rendered: String = diagnostics
            .iter()
            .map(|d| d.render(&sources, false))
            .collect();
        insta::assert_snapshot!("rendered", rendered);
        let json: String = diagnostics
            .iter()
            .map(|d| serde_json::to_string(&d.to_json(&sources)).unwrap() + "\n")
            .collect();
        insta::assert_snapshot!("json", json);
    });
}

/// Messages name kinds of values in English ("text", "a number", "true or
/// false", "one of a fixed set of values"), never by a type name of Rust,
/// serde or JSON.
#[test]
fn messages_name_types_in_words() {
    const IMPLEMENTATION_WORDS: &[&str] = &[
        "str", "string", "bool", "boolean", "f64", "u32", "u64", "i64", "usize", "integer",
        "float", "vec", "option", "struct", "enum", "map", "null", "none", "some", "variant",
        "untagged",
    ];
    let account = check_account();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(fixtures("check"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "wf"))
        .collect();
    paths.sort();
    assert!(paths.len() > 20, "the fixtures are missing");
    let mut checked = 0;
    for path in &paths {
        let (_, diagnostics) = check_files(std::slice::from_ref(path), &account);
        for d in &diagnostics {
            let texts = std::iter::once(d.message.as_str())
                .chain(d.help.as_deref())
                .chain(d.labels.iter().map(|l| l.message.as_str()));
            for text in texts {
                // Names the user wrote are in backticks: only the words
                // around them are the checker's own.
                let own: String = text.split('`').step_by(2).collect::<Vec<_>>().join(" ");
                for word in own
                    .split(|c: char| !c.is_alphanumeric())
                    .filter(|w| !w.is_empty())
                {
                    assert!(
                        !IMPLEMENTATION_WORDS.contains(&word.to_lowercase().as_str()),
                        "{}: {} `{word}` in {text:?}",
                        path.display(),
                        d.code
                    );
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 50, "only {checked} texts checked");
}

#[test]
fn every_code_has_a_fixture_that_produces_it_and_an_explanation() {
    let account = check_account();
    for code in Code::ALL {
        let path = fixtures("check").join(format!("{code}.wf"));
        assert!(path.exists(), "no fixture for {code}");
        let (_, diagnostics) = check_files(&[path], &account);
        assert!(
            diagnostics.iter().any(|d| d.code == *code),
            "{code}.wf does not produce {code}: {diagnostics:#?}"
        );
        for d in &diagnostics {
            assert_eq!(d.severity, d.code.severity());
        }
        let text = wf::check::explain(*code);
        assert!(text.len() > 200, "{code}: explanation too short");
        assert!(
            text.contains("Example"),
            "{code}: explanation has no example"
        );
        assert!(text.contains("Fix"), "{code}: explanation gives no fix");
    }
}

#[test]
fn diagnostics_are_sorted_by_file_and_position() {
    let account = check_account();
    let paths: Vec<PathBuf> = ["W0401.wf", "E0402.wf", "E0101.wf"]
        .iter()
        .map(|f| fixtures("check").join(f))
        .collect();
    let (_, diagnostics) = check_files(&paths, &account);
    let keys: Vec<_> = diagnostics.iter().map(Diagnostic::sort_key).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    assert_eq!(diagnostics.first().unwrap().code, Code::W0401);
}

#[test]
fn competing_enrollments_and_workflow_names_span_files() {
    let dir = tempdir("span_files");
    let a = dir.join("a.wf");
    let b = dir.join("b.wf");
    std::fs::write(
        &a,
        "workflow \"W\" {\n  when form_submitted(\"q\") then enroll in \"Booking\" from user \"ana@acme.test\"\n}\n",
    )
    .unwrap();
    std::fs::write(
        &b,
        "workflow \"W\" {\n  when form_submitted(\"q\") then enroll in \"Reschedule\" from user \"ana@acme.test\"\n}\n",
    )
    .unwrap();
    let (sources, diagnostics) = check_files(&[a, b], &check_account());
    let codes: Vec<Code> = diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, vec![Code::E0501, Code::W0401]);
    // Both are reported in the later file, with a label in the first.
    for d in &diagnostics {
        assert_eq!(sources.get(d.file).unwrap().name, "b.wf");
        assert_eq!(sources.get(d.labels[0].file).unwrap().name, "a.wf");
    }
}

#[test]
fn examples_check_without_errors() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let account = account::load(&root.join("account.json")).unwrap();
    let paths = crate::wf_files(&root);
    assert!(paths.len() >= 4);
    let (sources, diagnostics) = check_files(&paths, &account);
    let rendered: String = diagnostics
        .iter()
        .map(|d| d.render(&sources, false))
        .collect();
    assert!(
        diagnostics.iter().all(|d| !d.is_error()),
        "the examples have errors:\n{rendered}"
    );
    // Today the examples are clean; a new warning should be a decision.
    insta::assert_snapshot!("examples", rendered);
}

#[test]
fn rejected_accounts() {
    insta::glob!("../fixtures/account", "*.{json,toml}", |path| {
        let text = std::fs::read_to_string(path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let toml = name.ends_with(".toml");
        match account::from_text(&name, &text, toml) {
            Ok(_) => panic!("{name} was accepted"),
            Err(e) => insta::assert_snapshot!(format!("{text}\n---\n{e}")),
        }
    });
}

#[test]
fn a_toml_account_loads_like_json() {
    let a = account::load(&fixtures("account").join("valid/account.toml")).unwrap();
    assert_eq!(a.timezone, chrono_tz::Europe::Warsaw);
    assert_eq!(a.users.len(), 2);
    assert_eq!(a.users[1].daily_send_limit, 50);
    let booking = a.sequence("Booking").unwrap();
    assert_eq!(booking.steps.len(), 2);
    assert!(!booking.steps[1].pause);
    assert_eq!(
        a.property("tier"),
        Some(&account::PropertyType::Enum(vec![
            "gold".into(),
            "silver".into()
        ]))
    );
    let c = a.contact("c-1").unwrap();
    assert_eq!(c.owner.as_deref(), Some("ana@acme.test"));
    assert_eq!(
        c.properties.get("employees"),
        Some(&wf::value::Value::Number(40.0))
    );
    assert_eq!(a.list("March import").unwrap().members, vec!["c-1"]);
}

#[test]
fn null_property_values_leave_the_property_unset() {
    let a = account::from_text(
        "a.json",
        r#"{"contacts": [{"id": "c-1", "properties": {"company": null, "firstname": "Jan"}}]}"#,
        false,
    )
    .unwrap();
    let props = &a.contacts[0].properties;
    assert_eq!(props.len(), 1);
    assert!(props.contains_key("firstname"));
}

// ---- the binary ----------------------------------------------------------

fn tempdir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("check-{name}"));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn wf(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wf"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

const ACCOUNT: &str = "tests/fixtures/check/account.json";

#[test]
fn cli_clean_scripts_exit_0() {
    let out = wf(&[
        "check",
        "examples/qualify.wf",
        "examples/handoff.wf",
        "--account",
        "examples/account.json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());
    assert_eq!(text(&out.stderr), "no problems found\n");
}

#[test]
fn cli_errors_exit_1_with_human_output_on_stderr() {
    let out = wf(&[
        "check",
        "tests/fixtures/check/E0101.wf",
        "--account",
        ACCOUNT,
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = text(&out.stderr);
    assert!(
        err.contains("[E0101] Error: unknown sequence `Bookng`"),
        "{err}"
    );
    assert!(err.contains("did you mean `Booking`?"), "{err}");
    assert!(err.ends_with("3 errors\n"), "{err}");
    assert!(!err.contains('\u{1b}'), "colour with NO_COLOR set");
}

#[test]
fn cli_json_goes_to_stdout_one_object_per_line() {
    let out = wf(&[
        "check",
        "tests/fixtures/check/E0205.wf",
        "--account",
        ACCOUNT,
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
    let lines: Vec<serde_json::Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    // Exactly the documented fields (docs/diagnostics.md), in their order.
    let raw = text(&out.stdout);
    let first = raw.lines().next().unwrap();
    let fields = [
        "code",
        "severity",
        "message",
        "file",
        "line",
        "column",
        "end_line",
        "end_column",
        "help",
    ];
    let positions: Vec<usize> = fields
        .iter()
        .map(|f| first.find(&format!("\"{f}\":")).unwrap())
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{first}");
    assert_eq!(lines[1].as_object().unwrap().len(), fields.len());
    assert_eq!(lines[0]["code"], "W0201");
    assert_eq!(lines[1]["code"], "E0205");
    assert_eq!(lines[1]["severity"], "error");
    assert_eq!(lines[1]["file"], "tests/fixtures/check/E0205.wf");
    assert_eq!(lines[1]["line"], 1);
    assert_eq!(lines[1]["column"], 72);
}

#[test]
fn cli_warnings_exit_0_unless_denied() {
    let args = [
        "check",
        "tests/fixtures/check/W0101.wf",
        "--account",
        ACCOUNT,
    ];
    let out = wf(&args);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stderr).ends_with("1 warning\n"));
    let out = wf(&[&args[..], &["--deny-warnings"]].concat());
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn cli_syntax_errors_do_not_stop_other_files() {
    let out = wf(&[
        "check",
        "tests/fixtures/check/E0001.wf",
        "tests/fixtures/check/E0102.wf",
        "--account",
        ACCOUNT,
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let codes: Vec<String> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["code"].to_string())
        .collect();
    assert_eq!(codes, ["\"E0001\"", "\"E0102\""]);
}

#[test]
fn cli_bad_inputs_exit_2() {
    // A rejected account names the file and the place.
    let out = wf(&[
        "check",
        "examples/qualify.wf",
        "--account",
        "tests/fixtures/account/unknown_owner.json",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        "error: tests/fixtures/account/unknown_owner.json:5:28: at `contacts[1].owner`: unknown user `bob@acme.test`: an owner must be one of `users`\n"
    );
    // A missing account file, a missing script, no --account, no files.
    for args in [
        &["check", "examples/qualify.wf", "--account", "nope.json"][..],
        &["check", "nope.wf", "--account", "examples/account.json"],
        &["check", "examples/qualify.wf"],
        &["check", "--account", "examples/account.json"],
        &[
            "check",
            "examples/qualify.wf",
            "--account",
            "examples/account.json",
            "--format",
            "xml",
        ],
    ] {
        let out = wf(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty());
        assert!(!out.stderr.is_empty());
    }
}

#[test]
fn cli_explain() {
    let out = wf(&["explain", "w0401"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).starts_with("W0401: competing enrollments"));
    let out = wf(&["explain", "E9999"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = text(&out.stderr);
    assert!(err.contains("unknown diagnostic code `E9999`"), "{err}");
    assert!(err.contains("E0001, E0101"), "{err}");
    assert!(err.contains("W0401"), "{err}");
}

/// Parses and checks one script given as text; returns the sources and
/// the diagnostics, as `wf check` has them.
fn check_text(text: &str) -> (Sources, Vec<Diagnostic>) {
    let mut sources = Sources::new();
    let id = sources.add("big.wf", text.to_owned());
    let diagnostics = match wf::syntax::parse(id, text) {
        Ok(p) => wf::check::check(&[(id, p)], &check_account()),
        Err(d) => vec![d],
    };
    (sources, diagnostics)
}

#[test]
fn thousands_of_errors_on_one_line_are_capped_for_people_and_kept_in_json() {
    let values: Vec<String> = (0..5000).map(|i| format!("\"no-tier-{i:08}\"")).collect();
    let text = format!(
        "when form_submitted(\"f\") if contact.tier in [{}] then unenroll\n",
        values.join(", ")
    );
    assert!(text.len() > 100_000);
    let (sources, diagnostics) = check_text(&text);
    assert_eq!(diagnostics.len(), 5000);
    let human = wf::diagnostic::render_all(&diagnostics, &sources, false);
    assert!(
        human.ends_with("… and 4900 more diagnostics (`--format json` lists every one)\n"),
        "{}",
        &human[human.len().saturating_sub(300)..]
    );
    // Each rendered one shows a window of the line, not the line.
    assert!(human.len() < 100 * 1500, "{} bytes", human.len());
    assert!(human.contains("╭─[ big.wf:1:"));
    let json: Vec<_> = diagnostics.iter().map(|d| d.to_json(&sources)).collect();
    assert_eq!(json.len(), 5000);
    assert_eq!(json[4999].line, 1);
}

#[test]
fn a_diagnostic_on_a_megabyte_line_shows_a_window() {
    let half = "a".repeat(512 * 1024);
    let text = format!(
        "when form_submitted(\"{half}\") if contact.nope == 1 then enroll in \"Booking\" from user \"ana@acme.test\"\n"
    );
    let (sources, diagnostics) = check_text(&text);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    let human = wf::diagnostic::render_all(&diagnostics, &sources, false);
    assert!(
        human.len() < 2000,
        "{} bytes:\n{}",
        human.len(),
        &human[..2000]
    );
    let column = text.find("nope").unwrap() + 1;
    assert!(
        human.contains(&format!("╭─[ big.wf:1:{column} ]")),
        "{human}"
    );
    assert!(human.contains("contact.nope"), "{human}");
    assert!(human.contains(" 1 │ …"), "{human}");
}

#[test]
fn a_warning_repeated_for_every_rule_is_one_diagnostic_with_its_places() {
    let rules: String = (0..300)
        .map(|i| format!("when form_submitted(\"f{i}\") then enroll in \"Booking\" from owner\n"))
        .collect();
    let (sources, diagnostics) = check_text(&rules);
    let w0201: Vec<&Diagnostic> = diagnostics
        .iter()
        .filter(|d| d.code == Code::W0201)
        .collect();
    assert_eq!(w0201.len(), 1, "{diagnostics:#?}");
    assert_eq!(w0201[0].also.len(), 299);
    let json = serde_json::to_value(w0201[0].to_json(&sources)).unwrap();
    assert_eq!(json["line"], 1);
    assert_eq!(json["also"].as_array().unwrap().len(), 299);
    assert_eq!(json["also"][298]["line"], 300);
    let human = wf::diagnostic::render_all(&diagnostics, &sources, false);
    assert!(
        human.contains("the same warning also at big.wf:2:"),
        "{human}"
    );
    assert!(human.contains("and 296 more like this\n"), "{human}");
}

#[test]
fn a_second_excerpt_is_headed_by_its_own_place() {
    let account = check_account();
    for (fixture, header) in [
        ("E0303.wf", "├─[ E0303.wf:1:32 ]"),
        ("E0501.wf", "├─[ E0501.wf:1:10 ]"),
        ("W0401.wf", "├─[ W0401.wf:1:6 ]"),
    ] {
        let (sources, diagnostics) = check_files(&[fixtures("check").join(fixture)], &account);
        let rendered = wf::diagnostic::render_all(&diagnostics, &sources, false);
        assert!(rendered.contains(header), "{fixture}:\n{rendered}");
    }
}

#[test]
fn places_count_characters_on_lines_of_wide_characters() {
    // A second excerpt in the same file, after a line of three-byte
    // characters: its heading and carets name characters, not bytes (the
    // heading once read a character offset as a byte offset and panicked
    // inside a character).
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(
            "tests/fixtures/robustness/crashes/check/second_excerpt_after_wide_characters.wf",
        ))
        .unwrap();
    let (sources, diagnostics) = check_text(&text);
    let rendered = wf::diagnostic::render_all(&diagnostics, &sources, false);
    assert!(rendered.contains("╭─[ big.wf:6:10 ]"), "{rendered}");
    assert!(rendered.contains("├─[ big.wf:2:10 ]"), "{rendered}");
    assert!(
        rendered.contains(" 2 │ workflow \"Hand-off\" {"),
        "{rendered}"
    );
    // A span on a line of wide characters: the caret sits under the name.
    let text = "# 日本語\nwhen form_submitted(\"日本語\") then enroll in \"Bökng\" from user \"ana@acme.test\"\n";
    let (sources, diagnostics) = check_text(text);
    let rendered = wf::diagnostic::render_all(&diagnostics, &sources, false);
    assert!(rendered.contains("╭─[ big.wf:2:43 ]"), "{rendered}");
    let line = rendered.lines().find(|l| l.contains("──┬")).unwrap();
    let caret = line.find('─').unwrap();
    let source_line = rendered.lines().find(|l| l.contains("\"Bökng\"")).unwrap();
    // Display columns: each of 日本語 takes two, so count by width.
    let width = |s: &str| {
        s.chars()
            .map(|c| {
                if ('\u{3000}'..='\u{9fff}').contains(&c) {
                    2
                } else {
                    1
                }
            })
            .sum::<usize>()
    };
    let quote = source_line.find("\"Bökng").unwrap();
    assert_eq!(
        width(&line[..caret]),
        width(&source_line[..quote]),
        "{rendered}"
    );
}
