//! `wf init`, `wf test` and `wf.toml` through the real binary: passing,
//! failing (snapshot and expectation), pending, accept, review on a
//! pseudo-terminal, JSON and JUnit reports, coverage, and every class of
//! bad input.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs `wf ARGS` in `dir` with `CI` unset (unless `env` sets it).
fn wf_in(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_wf"));
    c.args(args)
        .current_dir(dir)
        .env_remove("CI")
        .env("NO_COLOR", "1");
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A fresh project made by `wf init` in a temporary folder.
fn project() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = wf_in(tmp.path(), &["init", "demo"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let dir = tmp.path().join("demo");
    (tmp, dir)
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap();
}

/// Makes the project's rule stricter, so that Jan (40 employees) is no
/// longer booked: the snapshot's enroll record disappears.
fn break_rule(dir: &Path) {
    let script = dir.join("workflows/booking.wf");
    write(&script, &read(&script).replace(">= 10", ">= 50"));
}

#[test]
fn init_writes_a_project_that_checks_and_passes() {
    let (_tmp, dir) = project();
    for f in [
        "wf.toml",
        "account.json",
        "workflows/booking.wf",
        "tests/booking.test.toml",
        "tests/booking.test.snap",
    ] {
        assert!(dir.join(f).is_file(), "{f} missing");
    }
    let check = wf_in(&dir, &["check"], &[]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    let test = wf_in(&dir, &["test"], &[]);
    assert_eq!(test.status.code(), Some(0), "{}", stdout(&test));
    assert_eq!(
        stdout(&test),
        "ok      tests/booking.test.toml\n\n1 passed, 0 failed\n"
    );
    // The snapshot is what `wf run` prints for the same events.
    let events = dir.join("events.jsonl");
    write(
        &events,
        "{\"at\":\"2026-03-02T08:15:00Z\",\"type\":\"form_submitted\",\"contact\":\"c-1\",\"form\":\"demo\"}\n\
         {\"at\":\"2026-03-02T09:00:00Z\",\"type\":\"form_submitted\",\"contact\":\"c-2\",\"form\":\"demo\"}\n",
    );
    let run = wf_in(&dir, &["run", "--events", "events.jsonl"], &[]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert_eq!(stdout(&run), read(&dir.join("tests/booking.test.snap")));
}

#[test]
fn init_refuses_to_overwrite() {
    let (tmp, dir) = project();
    write(&dir.join("wf.toml"), "# mine\n");
    let again = wf_in(tmp.path(), &["init", "demo"], &[]);
    assert_eq!(again.status.code(), Some(2));
    assert!(
        stderr(&again).contains("wf.toml: already exists"),
        "{}",
        stderr(&again)
    );
    assert_eq!(read(&dir.join("wf.toml")), "# mine\n");
}

#[test]
fn the_examples_pass() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let out = wf_in(&examples, &["test"], &[("CI", "true")]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    let text = stdout(&out);
    assert!(text.ends_with("\n5 passed, 0 failed\n"), "{text}");
    for name in ["handoff", "no_show", "no_show_gold", "qualify", "unenroll"] {
        assert!(
            text.contains(&format!("ok      tests/{name}.test.toml\n")),
            "{text}"
        );
    }
}

#[test]
fn a_changed_snapshot_fails_with_a_decision_diff() {
    let (_tmp, dir) = project();
    break_rule(&dir);
    let out = wf_in(&dir, &["test"], &[]);
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!("changed_snapshot", stdout(&out));
    let new = dir.join("tests/booking.test.snap.new");
    assert!(new.is_file());
    assert!(read(&new).is_empty(), "nobody is enrolled any more");
    // The expectation on c-1 fails as well as the snapshot.
    assert!(stdout(&out).contains("expectation failed (tests/booking.test.toml:15)"));
}

#[test]
fn a_failed_expectation_shows_the_closest_records() {
    let (_tmp, dir) = project();
    let test = dir.join("tests/booking.test.toml");
    let mut text = read(&test);
    text.push_str(
        "\n[[expect]]\ncontact = \"c-1\"\ndecision = \"enroll\"\nsequence = \"Onboarding\"\n",
    );
    text.push_str("\n[[expect]]\ndecision = \"skip\"\nreason = \"daily_send_limit\"\n");
    text.push_str("\n[[expect]]\ncontact = \"c-1\"\ndecision = \"enroll\"\ncount = 2\n");
    write(&test, &text);
    let out = wf_in(&dir, &["test"], &[]);
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!("failed_expectations", stdout(&out));
}

#[test]
fn a_rejection_fails_on_a_matching_record() {
    let (_tmp, dir) = project();
    let test = dir.join("tests/booking.test.toml");
    write(
        &test,
        &format!(
            "{}\n[[reject]]\ncontact = \"c-1\"\ndecision = \"finish\"\n",
            read(&test)
        ),
    );
    let out = wf_in(&dir, &["test"], &[]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("rejection failed (tests/booking.test.toml:25): reject contact = \"c-1\", decision = \"finish\""), "{text}");
    assert!(
        text.contains("2026-03-04T08:15:00Z finish c-1 Booking - -"),
        "{text}"
    );
}

#[test]
fn pending_tests_write_a_new_snapshot_except_under_ci() {
    let (_tmp, dir) = project();
    let snap = dir.join("tests/booking.test.snap");
    let new = dir.join("tests/booking.test.snap.new");
    let accepted = read(&snap);
    std::fs::remove_file(&snap).unwrap();
    for env in [&[("CI", "true")][..], &[][..]] {
        let args: &[&str] = if env.is_empty() {
            &["test", "--no-write"]
        } else {
            &["test"]
        };
        let out = wf_in(&dir, args, env);
        assert_eq!(out.status.code(), Some(1));
        assert!(stdout(&out).starts_with("pending tests/booking.test.toml\n"));
        assert!(stdout(&out).ends_with("0 passed, 0 failed, 1 pending\n"));
        assert!(stdout(&out).contains("none written"), "{}", stdout(&out));
        assert!(!new.exists(), "written with {env:?}");
    }
    let out = wf_in(&dir, &["test"], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("+ 2026-03-02T08:15:00Z enroll c-1 Booking - booking.wf:2"));
    assert_eq!(read(&new), accepted);
    assert!(!snap.exists());
    // Accepting writes the snapshot and removes the pending one.
    let out = wf_in(&dir, &["test", "--accept"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(read(&snap), accepted);
    assert!(!new.exists());
    assert_eq!(wf_in(&dir, &["test"], &[]).status.code(), Some(0));
}

#[test]
fn review_accepts_rejects_and_skips_on_a_terminal() {
    let (_tmp, dir) = project();
    // A second test, pending, beside the changed first one.
    std::fs::copy(
        dir.join("tests/booking.test.toml"),
        dir.join("tests/second.test.toml"),
    )
    .unwrap();
    break_rule(&dir);
    let test = dir.join("tests/booking.test.toml");
    write(&test, &read(&test).replace("[[expect]]\ncontact = \"c-1\"\ndecision = \"enroll\"\nsequence = \"Booking\"\nsender = \"ana@acme.test\"\n", ""));
    let second = dir.join("tests/second.test.toml");
    write(&second, &read(&second).replace("[[expect]]\ncontact = \"c-1\"\ndecision = \"enroll\"\nsequence = \"Booking\"\nsender = \"ana@acme.test\"\n", ""));
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_wf"));
    cmd.args(["test", "--review"])
        .current_dir(&dir)
        .env_remove("CI")
        .env("NO_COLOR", "1");
    let mut p = rexpect::session::spawn_command(cmd, Some(30_000)).unwrap();
    p.exp_string("tests/booking.test.toml:").unwrap();
    p.exp_string("- 2026-03-02T08:15:00Z enroll c-1 Booking - booking.wf:2")
        .unwrap();
    p.exp_string("accept, reject or skip? [a/r/s]").unwrap();
    p.send_line("what").unwrap();
    p.exp_string("accept, reject or skip? [a/r/s]").unwrap();
    p.send_line("a").unwrap();
    p.exp_string("accepted tests/booking.test.snap").unwrap();
    p.exp_string("tests/second.test.toml:").unwrap();
    p.exp_string("no snapshot yet").unwrap();
    p.exp_string("accept, reject or skip? [a/r/s]").unwrap();
    p.send_line("r").unwrap();
    p.exp_string("rejected; tests/second.test.snap.new removed")
        .unwrap();
    p.exp_string("1 passed, 0 failed, 1 pending").unwrap();
    p.exp_eof().unwrap();
    assert_eq!(read(&dir.join("tests/booking.test.snap")), "");
    assert!(!dir.join("tests/booking.test.snap.new").exists());
    assert!(!dir.join("tests/second.test.snap").exists());
    assert!(!dir.join("tests/second.test.snap.new").exists());
}

#[test]
fn review_needs_a_terminal() {
    let (_tmp, dir) = project();
    let out = wf_in(&dir, &["test", "--review"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("`--review` asks on a terminal"));
}

#[test]
fn json_report_has_one_object_a_test() {
    let (_tmp, dir) = project();
    std::fs::copy(
        dir.join("tests/booking.test.toml"),
        dir.join("tests/second.test.toml"),
    )
    .unwrap();
    let out = wf_in(&dir, &["test", "--format", "json", "--no-write"], &[]);
    assert_eq!(out.status.code(), Some(1));
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["test"], "tests/booking.test.toml");
    assert_eq!(lines[0]["status"], "ok");
    assert_eq!(lines[0]["snapshot"], "matched");
    assert_eq!(lines[0]["records"], 2);
    assert_eq!(lines[1]["test"], "tests/second.test.toml");
    assert_eq!(lines[1]["status"], "pending");
    assert_eq!(lines[1]["snapshot"], "missing");
    assert_eq!(lines[1]["diff"].as_array().unwrap().len(), 2);
    assert_eq!(lines[1]["written"], serde_json::Value::Null);
}

/// A small XML reader for the JUnit report's shape: elements with their
/// attributes and children; text is dropped. Panics on XML that is not
/// well formed (unbalanced tags, a bare `&` or `<`, unquoted attributes).
#[derive(Debug)]
struct Element {
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<Element>,
}

impl Element {
    fn attr(&self, name: &str) -> &str {
        &self
            .attrs
            .iter()
            .find(|(k, _)| k == name)
            .unwrap_or_else(|| panic!("no `{name}` on <{}>", self.name))
            .1
    }
}

fn parse_xml(text: &str) -> Element {
    let body = text
        .strip_prefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        .expect("declaration");
    let mut stack: Vec<Element> = vec![Element {
        name: String::new(),
        attrs: vec![],
        children: vec![],
    }];
    let mut rest = body;
    let check_text = |t: &str| {
        assert!(!t.contains('<') && !t.contains('>'), "bare markup in {t:?}");
        for (i, _) in t.match_indices('&') {
            let entity = &t[i..t[i..]
                .find(';')
                .map(|e| i + e + 1)
                .expect("unterminated entity")];
            assert!(
                ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"].contains(&entity),
                "entity {entity}"
            );
        }
    };
    while let Some(open) = rest.find('<') {
        check_text(&rest[..open]);
        let close = rest[open..].find('>').expect("unclosed tag") + open;
        let tag = &rest[open + 1..close];
        rest = &rest[close + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            let done = stack.pop().unwrap();
            assert_eq!(done.name, name, "mismatched end tag");
            stack.last_mut().unwrap().children.push(done);
            continue;
        }
        let empty = tag.ends_with('/');
        let tag = tag.trim_end_matches('/');
        let (name, mut attrs_text) = tag.split_once(' ').unwrap_or((tag, ""));
        let mut attrs = Vec::new();
        while !attrs_text.trim().is_empty() {
            let (key, after) = attrs_text
                .trim_start()
                .split_once("=\"")
                .expect("attribute");
            let end = after.find('"').expect("unquoted attribute");
            check_text(&after[..end]);
            attrs.push((key.to_owned(), after[..end].to_owned()));
            attrs_text = &after[end + 1..];
        }
        let element = Element {
            name: name.to_owned(),
            attrs,
            children: vec![],
        };
        if empty {
            stack.last_mut().unwrap().children.push(element);
        } else {
            stack.push(element);
        }
    }
    check_text(rest.trim());
    assert_eq!(stack.len(), 1, "unclosed elements");
    let mut root = stack.pop().unwrap();
    assert_eq!(root.children.len(), 1, "one root element");
    root.children.pop().unwrap()
}

#[test]
fn junit_report_has_the_shape_ci_servers_read() {
    let (_tmp, dir) = project();
    // One passing, one failing (with characters XML must escape), one pending.
    std::fs::copy(
        dir.join("tests/booking.test.toml"),
        dir.join("tests/fails.test.toml"),
    )
    .unwrap();
    std::fs::copy(
        dir.join("tests/booking.test.snap"),
        dir.join("tests/fails.test.snap"),
    )
    .unwrap();
    let fails = dir.join("tests/fails.test.toml");
    write(
        &fails,
        &format!(
            "{}\n[[expect]]\ncontact = \"c-2\"\nsequence = \"<B & \\\"q\\\">\"\n",
            read(&fails)
        ),
    );
    std::fs::copy(
        dir.join("tests/booking.test.toml"),
        dir.join("tests/new.test.toml"),
    )
    .unwrap();
    let out = wf_in(&dir, &["test", "--junit", "report.xml"], &[]);
    assert_eq!(out.status.code(), Some(1));
    let root = parse_xml(&read(&dir.join("report.xml")));
    assert_eq!(root.name, "testsuites");
    assert_eq!(root.attr("tests"), "3");
    assert_eq!(root.attr("failures"), "2");
    let suite = &root.children[0];
    assert_eq!(suite.name, "testsuite");
    assert_eq!(suite.attr("tests"), "3");
    assert_eq!(suite.attr("failures"), "2");
    assert_eq!(suite.attr("errors"), "0");
    let cases = &suite.children;
    assert_eq!(cases.len(), 3);
    let names: Vec<&str> = cases.iter().map(|c| c.attr("name")).collect();
    assert_eq!(names, ["booking", "fails", "new"]);
    assert!(
        cases
            .iter()
            .all(|c| c.name == "testcase" && c.attr("classname") == "tests")
    );
    assert!(cases[0].children.is_empty());
    assert_eq!(cases[1].children[0].name, "failure");
    assert!(
        cases[1].children[0]
            .attr("message")
            .contains("sequence = &quot;&lt;B &amp; \\&quot;q\\&quot;&gt;&quot;")
    );
    assert_eq!(cases[2].children[0].name, "failure");
    assert_eq!(
        cases[2].children[0].attr("message"),
        "no snapshot yet (pending)"
    );
}

#[test]
fn check_errors_fail_the_test_with_their_diagnostics() {
    let (_tmp, dir) = project();
    let script = dir.join("workflows/booking.wf");
    write(&script, &read(&script).replace("\"Booking\"", "\"Bookng\""));
    let out = wf_in(&dir, &["test"], &[]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.starts_with("FAILED  tests/booking.test.toml\n"),
        "{text}"
    );
    assert!(
        text.contains("the scripts have 1 error; nothing was run"),
        "{text}"
    );
    assert!(text.contains("Bookng"), "{text}");
}

#[test]
fn coverage_reports_records_and_unseen_reasons() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let tmp = tempfile::tempdir().unwrap();
    let json = tmp.path().join("coverage.json");
    let out = wf_in(
        &examples,
        &[
            "test",
            "--coverage",
            "--coverage-json",
            json.to_str().unwrap(),
        ],
        &[("CI", "true")],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    insta::assert_snapshot!("examples_coverage", stdout(&out));
    let value: serde_json::Value = serde_json::from_str(&read(&json)).unwrap();
    let unseen = value["skip_reasons_unseen"].as_array().unwrap();
    assert!(unseen.contains(&"already_enrolled".into()));
    assert!(!unseen.contains(&"daily_send_limit".into()));
    // Rules in the order the tests (by path) first name them.
    assert_eq!(value["rules"][0]["rule"], "qualify.wf:2");
    assert_eq!(value["rules"][1]["rule"], "handoff.wf:6");
    assert_eq!(value["rules"][0]["records"]["skip daily_send_limit"], 1);
}

#[test]
fn arguments_win_over_the_project_file() {
    let (_tmp, dir) = project();
    // A broken wf.toml does not matter when scripts and account are given.
    write(&dir.join("wf.toml"), "acount = 1\n");
    let out = wf_in(
        &dir,
        &["check", "workflows/booking.wf", "--account", "account.json"],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // It does when one of them comes from it.
    let out = wf_in(&dir, &["check", "workflows/booking.wf"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: wf.toml:1:1: unknown key `acount` in wf.toml: did you mean `account`? (valid: `account`, `scripts`, `tests`, `events`)\n"
    );
    // From a folder below, the project is found upwards.
    write(
        &dir.join("wf.toml"),
        "account = \"account.json\"\nscripts = [\"workflows/*.wf\"]\n",
    );
    let out = wf_in(&dir.join("tests"), &["check"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = wf_in(&dir.join("workflows"), &["fmt", "--check"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn without_a_project_commands_say_what_is_missing() {
    let tmp = tempfile::tempdir().unwrap();
    let out = wf_in(tmp.path(), &["check"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no --account given and no wf.toml"),
        "{}",
        stderr(&out)
    );
    let out = wf_in(tmp.path(), &["test"], &[]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), "0 passed, 0 failed\n");
}

/// Every class of bad input: the test file, its inputs, the snapshot and
/// the project file. Each case is run in a fresh project; the report
/// holds each case's exit code and messages.
#[test]
fn bad_inputs_are_located_errors() {
    let base = "[[event]]\nat = \"2026-03-02T08:15:00Z\"\ntype = \"form_submitted\"\ncontact = \"c-1\"\nform = \"demo\"\n";
    let cases: Vec<(&str, String)> = vec![
        ("toml syntax", "scripts = [\n".to_owned()),
        ("unknown key", format!("expcet = 1\n{base}")),
        ("wrong type", format!("steps = \"yes\"\n{base}")),
        ("unknown field", format!("{base}[[expect]]\ncontcat = \"c-1\"\n")),
        ("unknown decision", format!("{base}[[expect]]\ndecision = \"enrol\"\n")),
        ("unknown reason", format!("{base}[[expect]]\nreason = \"daily_limit\"\n")),
        ("empty expect", format!("{base}[[expect]]\ncount = 1\n")),
        ("count in reject", format!("{base}[[reject]]\ncontact = \"c-1\"\ncount = 1\n")),
        ("negative count", format!("{base}[[expect]]\ncontact = \"c-1\"\ncount = -1\n")),
        ("bad time", format!("until = \"tomorrow\"\n{base}")),
        ("events and event", format!("events = \"e.jsonl\"\n{base}")),
        ("missing script", format!("scripts = [\"../nope.wf\"]\n{base}")),
        ("missing account", format!("account = \"nope.json\"\n{base}")),
        ("missing events", "events = \"nope.jsonl\"\n".to_owned()),
        ("bad inline event", "[[event]]\nat = \"2026-03-02T08:15:00Z\"\ntype = \"form_submitted\"\ncontact = \"c-1\"\nfrom = \"demo\"\n".to_owned()),
        ("unknown event contact", "[[event]]\nat = 2026-03-02T08:15:00Z\ntype = \"form_submitted\"\ncontact = \"c-9\"\nform = \"demo\"\n".to_owned()),
        ("bad events file", "events = \"bad.jsonl\"\n".to_owned()),
        ("unknown contact", format!("[contacts.\"c-3\"]\ntier = \"gold\"\n{base}")),
        ("unknown property", format!("[contacts.\"c-1\"]\nemployes = 3\n{base}")),
        ("wrong property type", format!("[contacts.\"c-1\"]\nemployees = \"many\"\n{base}")),
        ("unknown owner", format!("[contacts.\"c-1\"]\nowner = \"ann@acme.test\"\n{base}")),
    ];
    let mut report = String::new();
    for (name, text) in &cases {
        let (_tmp, dir) = project();
        write(
            &dir.join("tests/bad.jsonl"),
            "{\"at\": \"2026-03-02T08:15:00Z\", \"type\": \"form_submited\", \"contact\": \"c-1\"}\n",
        );
        write(&dir.join("tests/e.jsonl"), "");
        write(&dir.join("tests/case.test.toml"), text);
        let out = wf_in(&dir, &["test", "tests/case.test.toml"], &[]);
        report.push_str(&format!(
            "== {name} (exit {})\n{}",
            out.status.code().unwrap(),
            stdout(&out)
        ));
        assert_eq!(out.status.code(), Some(2), "{name}: {}", stdout(&out));
    }
    // A snapshot that is not JSON Lines is an error, not a change.
    let (_tmp, dir) = project();
    let snap = dir.join("tests/booking.test.snap");
    write(
        &snap,
        &format!(
            "{}{{\"seq\": 2,\n",
            read(&snap).lines().next().unwrap().to_owned() + "\n"
        ),
    );
    let out = wf_in(&dir, &["test"], &[]);
    assert_eq!(out.status.code(), Some(2));
    report.push_str(&format!("== bad snapshot (exit 2)\n{}", stdout(&out)));
    // The project file.
    let project_cases = [
        ("unknown project key", "acount = \"account.json\"\n"),
        (
            "bad glob",
            "account = \"account.json\"\nscripts = [\"workflows/[*.wf\"]\n",
        ),
        (
            "glob matching nothing",
            "account = \"account.json\"\nscripts = [\"flows/*.wf\"]\n",
        ),
        (
            "missing project account",
            "account = \"acount.json\"\nscripts = [\"workflows/*.wf\"]\n",
        ),
        ("project type", "account = \"account.json\"\nscripts = 3\n"),
    ];
    for (name, text) in project_cases {
        let (_tmp, dir) = project();
        write(&dir.join("wf.toml"), text);
        let out = wf_in(&dir, &["test"], &[]);
        report.push_str(&format!(
            "== {name} (exit {})\n{}{}",
            out.status.code().unwrap(),
            stdout(&out),
            stderr(&out)
        ));
        assert_eq!(out.status.code(), Some(2), "{name}");
    }
    insta::assert_snapshot!("bad_inputs", report);
}

#[test]
fn a_test_with_no_account_anywhere_is_a_located_error() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        &tmp.path().join("q.wf"),
        "when form_submitted(\"a\") then unenroll\n",
    );
    write(&tmp.path().join("t.test.toml"), "scripts = [\"q.wf\"]\n");
    let out = wf_in(tmp.path(), &["test", "t.test.toml"], &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert!(
        stdout(&out).contains(
            "error: t.test.toml:1:1: no `account` in the test and no wf.toml with `account` above it\n"
        ),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_huge_events_file_is_refused_unread() {
    // A device is not an events file; a regular file past the limit (here
    // sparse: no disk is used) is refused by its size, before any read.
    let (_tmp, dir) = project();
    write(
        &dir.join("tests/case.test.toml"),
        "events = \"/dev/zero\"\n",
    );
    let out = wf_in(&dir, &["test", "tests/case.test.toml"], &[]);
    assert_eq!(out.status.code(), Some(2));
    let huge = std::fs::File::create(dir.join("tests/huge.jsonl")).unwrap();
    huge.set_len(512 * 1024 * 1024 + 1).unwrap();
    write(
        &dir.join("tests/case.test.toml"),
        "events = \"huge.jsonl\"\n",
    );
    let started = std::time::Instant::now();
    let out = wf_in(&dir, &["test", "tests/case.test.toml"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stdout(&out).contains("test data file is too large (more than 536870912 bytes, the limit)"),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(started.elapsed().as_secs() < 30);
}
