//! Integration tests: the REPL. Transcripts under `tests/fixtures/repl/`
//! drive a `Session` directly (one snapshot each); the binary is driven
//! through a pipe and, once, through a pseudo-terminal.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use wf::repl::Session;

fn account() -> wf::account::Account {
    wf::account::load(Path::new("examples/account.json")).unwrap()
}

/// Runs a transcript: every input line echoed after `wf> ` (or `..> ` while
/// an item is unfinished), then what the session answered.
fn transcript(input: &str) -> String {
    let (mut session, startup) = Session::new(Some(account()), &[]).unwrap();
    let mut out = startup;
    for line in input.lines() {
        let prompt = if session.is_pending() { "..>" } else { "wf>" };
        out.push_str(format!("{prompt} {line}").trim_end());
        out.push('\n');
        let outcome = session.handle(line);
        out.push_str(&outcome.text);
        if outcome.quit {
            return out;
        }
    }
    out.push_str(&session.finish().text);
    out
}

#[test]
fn transcripts() {
    insta::glob!("../fixtures/repl", "*.repl", |path| {
        let input = std::fs::read_to_string(path).unwrap();
        insta::assert_snapshot!(transcript(&input));
    });
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wf-repl-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn save_then_load_gives_the_same_rules() {
    let dir = temp_dir("save");
    let file = dir.join("typed.wf");
    let (mut s, _) =
        Session::new(Some(account()), &[PathBuf::from("examples/handoff.wf")]).unwrap();
    for line in [
        "when form_submitted(\"qualify\")   if contact.employees>=10 and not (contact.tier is set)",
        "  then enroll in \"Booking\" from owner",
        "workflow \"No-show\" {",
        "  suppress list \"Do not contact\"",
        "  # a comment inside the block",
        "  when meeting_outcome(\"no_show\") then enroll in \"Reschedule\" from owner",
        "}",
        "when form_submitted(\"stop\") then unenroll from \"Booking\"",
    ] {
        s.handle(line);
    }
    assert_eq!(s.items().len(), 4);
    let out = s.handle(&format!(":save {}", file.display()));
    assert_eq!(out.text, format!("saved 3 rules to `{}`\n", file.display()));
    let saved = std::fs::read_to_string(&file).unwrap();
    // Saved in the canonical layout: formatting it again changes nothing.
    assert_eq!(
        wf::format::format_source(wf::source::FileId(0), &saved).unwrap(),
        saved
    );
    assert!(saved.contains("# a comment inside the block"));

    let (mut t, _) = Session::new(Some(account()), &[]).unwrap();
    let out = t.handle(&format!(":load {}", file.display()));
    assert!(
        out.text
            .ends_with(&format!("added rules 1-3 from `{}`\n", file.display())),
        "{}",
        out.text
    );
    let typed: Vec<_> = s.items().iter().skip(1).map(|i| i.item.clone()).collect();
    let loaded: Vec<_> = t.items().iter().map(|i| i.item.clone()).collect();
    assert_eq!(typed, loaded);
}

fn wf_repl(args: &[&str], stdin: &str) -> (i32, String, String) {
    wf_repl_bytes(args, stdin.as_bytes())
}

fn wf_repl_bytes(args: &[&str], stdin: &[u8]) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_wf"))
        .arg("repl")
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn piped_input_gives_one_result_per_input_and_no_prompt() {
    let input = "when form_submitted(\"qualify\")\n  then enroll in \"Booking\" from owner\n\
                 :event {\"at\": \"2026-03-02T08:15:00Z\", \"type\": \"form_submitted\", \"contact\": \"c-1\", \"form\": \"qualify\"}\n\
                 :time\n:quit\n:time\n";
    let (code, stdout, stderr) = wf_repl(&["--account", "examples/account.json"], input);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stdout.contains("wf>"), "no prompt: {stdout}");
    assert!(!stdout.contains('\x1b'), "no colour: {stdout}");
    assert!(stdout.starts_with("added rule 1\n"), "{stdout}");
    assert!(stdout.contains("enroll      c-1"), "{stdout}");
    // `:quit` stops: the second `:time` is not answered.
    assert_eq!(
        stdout.matches("2026-03-02T08:15:00Z (Mon").count(),
        1,
        "{stdout}"
    );
    assert!(
        stdout.ends_with("2026-03-02T08:15:00Z (Mon 2026-03-02 09:15:00 Europe/Warsaw)\n"),
        "{stdout}"
    );
}

#[test]
fn piped_input_loads_files_and_ends_at_end_of_input() {
    let (code, stdout, _) = wf_repl(
        &[
            "--account",
            "examples/account.json",
            "examples/qualify.wf",
            "examples/unenroll.wf",
        ],
        ":rules\nwhen form_submitted(\"late\")",
    );
    assert_eq!(code, 0);
    assert!(
        stdout.starts_with(
            "added rule 1\nadded rules 2-3 from `examples/unenroll.wf`\n1  qualify.wf:2\n"
        ),
        "{stdout}"
    );
    // The unfinished rule at the end of input is reported, not dropped silently.
    assert!(stdout.contains("E0001"), "{stdout}");
}

#[test]
fn bad_account_or_file_exits_2() {
    let (code, _, stderr) = wf_repl(&["--account", "examples/nope.json"], "");
    assert_eq!(code, 2);
    assert!(stderr.contains("examples/nope.json"), "{stderr}");
    let (code, _, stderr) = wf_repl(&["examples/nope.wf"], "");
    assert_eq!(code, 2);
    assert!(stderr.contains("examples/nope.wf"), "{stderr}");
}

#[test]
fn terminal_session_completes_a_sequence_name() {
    let home = temp_dir("pty");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_wf"));
    cmd.args(["repl", "--account", "examples/account.json"])
        .env("XDG_DATA_HOME", &home)
        .env("HOME", &home)
        .env("TERM", "xterm")
        .env("NO_COLOR", "1");
    // Generous: the machine that runs CI may be slow and busy.
    let mut p = rexpect::session::spawn_command(cmd, Some(30_000)).unwrap();
    p.exp_string("wf> ").unwrap();
    p.send("when form_submitted(\"x\") then enroll in \"Onb")
        .unwrap();
    p.send("\t").unwrap();
    p.flush().unwrap();
    p.exp_string("boarding\"").unwrap();
    p.send(" from owner\r").unwrap();
    p.flush().unwrap();
    p.exp_string("added rule 1").unwrap();
    p.send(":rules\r").unwrap();
    p.flush().unwrap();
    p.exp_string("then enroll in \"Onboarding\" from owner")
        .unwrap();
    // An unfinished rule continues on the next line, with a hint there.
    p.send("when form_submitted(\"y\")\r").unwrap();
    p.flush().unwrap();
    p.exp_string("the rule continues").unwrap();
    p.send("  then unenroll\r").unwrap();
    p.flush().unwrap();
    p.exp_string("added rule 2").unwrap();
    p.send(":quit\r").unwrap();
    p.flush().unwrap();
    p.exp_eof().unwrap();
    // The history was written to the data directory.
    let history = std::fs::read_to_string(home.join("wf/history")).unwrap();
    assert!(
        history.contains("enroll in \"Onboarding\" from owner"),
        "{history}"
    );
}

#[test]
fn the_docs_show_the_tour_as_it_runs() {
    let input = std::fs::read_to_string("tests/fixtures/repl/tour.repl").unwrap();
    let out = transcript(&input);
    let body = out.split_once('\n').unwrap().1;
    let docs = std::fs::read_to_string("docs/repl.md").unwrap();
    assert!(docs.contains(body), "docs/repl.md is out of date:\n{body}");
}

#[test]
fn wf_run_explain_prints_the_why_text_on_stderr() {
    let out = Command::new(env!("CARGO_BIN_EXE_wf"))
        .args([
            "run",
            "examples/qualify.wf",
            "--account",
            "examples/account.json",
            "--events",
            "examples/events.jsonl",
            "--explain",
            "c-3",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.starts_with("why `c-3`:\n"), "{stderr}");
    assert!(
        stderr.contains(
            "  rule qualify.wf:2: condition failed: contact.lifecycle_stage = \"lead\", needs == \"salesqualifiedlead\"\n"
        ),
        "{stderr}"
    );
    // The trace itself is unchanged on standard output.
    assert!(!String::from_utf8(out.stdout).unwrap().contains("why"));
}

#[test]
fn terminal_session_goes_on_when_history_cannot_be_written() {
    let home = temp_dir("nohistory");
    let blocker = home.join("not-a-directory");
    std::fs::write(&blocker, "").unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_wf"));
    cmd.arg("repl")
        .env("XDG_DATA_HOME", &blocker)
        .env("TERM", "xterm")
        .env("NO_COLOR", "1");
    let mut p = rexpect::session::spawn_command(cmd, Some(30_000)).unwrap();
    p.exp_string("wf> ").unwrap();
    p.send(":time\r").unwrap();
    p.flush().unwrap();
    p.exp_string("2026-01-05T09:00:00Z (Mon), not started")
        .unwrap();
    p.send(":quit\r").unwrap();
    p.flush().unwrap();
    p.exp_eof().unwrap();
}

#[test]
fn a_piped_line_that_is_not_utf8_is_refused_with_its_place() {
    let input = b":time\nwhen form_submitted(\"q\xff\") then unenroll\n:rules\n";
    let (code, stdout, stderr) = wf_repl_bytes(&[], input);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("error: <stdin>:2:23: line is not valid UTF-8\n"),
        "{stdout}"
    );
    // Not read with a replacement character: nothing was added.
    assert!(!stdout.contains('\u{fffd}'), "{stdout}");
    assert!(stdout.ends_with("no rules loaded\n"), "{stdout}");
}

#[test]
fn repl_files_are_read_as_scripts_are() {
    let dir = temp_dir("read");
    let bad = dir.join("bad.wf");
    std::fs::write(&bad, b"when form_submitted(\"a\xff\") then unenroll\n").unwrap();
    let marked = dir.join("marked.wf");
    std::fs::write(
        &marked,
        b"\xef\xbb\xbfwhen form_submitted(\"a\") then unenroll\n",
    )
    .unwrap();
    let other = temp_dir("read-other").join("marked.wf");
    std::fs::write(&other, "when form_submitted(\"b\") then unenroll\n").unwrap();
    let input = format!(
        ":load {}\n:load {}\n:load {}\n:load /dev/zero\n:rules\n",
        bad.display(),
        marked.display(),
        other.display()
    );
    let (code, stdout, stderr) = wf_repl(&[], &input);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("bad.wf:1:23: file is not valid UTF-8\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("added rule 1\n") || stdout.contains("added rules 1"),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!(
            "error: {}: has the same base name as `{}`",
            other.display(),
            marked.display()
        )),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "error: /dev/zero: script is too large (more than 8388608 bytes, the limit)\n"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("1  marked.wf:1\n   when form_submitted(\"a\") then unenroll\n"),
        "{stdout}"
    );
    assert!(!stdout.contains("\n2  "), "one rule only: {stdout}");
}

#[test]
fn a_failed_save_says_cannot_write_with_the_file() {
    let dir = temp_dir("save-fails");
    let input = format!(
        "when form_submitted(\"a\") then unenroll\n:save {}\n",
        dir.display()
    );
    let (code, stdout, stderr) = wf_repl(&[], &input);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains(&format!("error: {}: cannot write: ", dir.display())),
        "{stdout}"
    );
    assert!(dir.is_dir());
}

#[test]
fn what_the_user_typed_is_echoed_escaped() {
    let (code, stdout, stderr) = wf_repl(&[], ":drop x\u{0}y\u{feff}\n");
    assert_eq!(code, 0, "{stderr}");
    assert!(!stdout.contains(['\0', '\u{feff}']), "{stdout:?}");
    assert!(stdout.contains("x\\u{0}y\\u{feff}"), "{stdout}");
}

#[test]
fn a_long_pasted_block_is_one_item() {
    // Lines are counted as they come; the block is parsed once, when it
    // closes (docs/performance.md has the timings).
    let rules: String = (0..2000)
        .map(|i| format!("  when form_submitted(\"f{i}\") then unenroll\n"))
        .collect();
    let input = format!("workflow \"w\" {{\n{rules}}}\n:rules\n");
    let (code, stdout, stderr) = wf_repl(&[], &input);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.starts_with("added rule 1 (workflow `w`)\n"),
        "{stdout}"
    );
    assert!(stdout.contains("f1999"), "{stdout}");
}

#[test]
fn test_runs_a_test_file_on_the_sessions_account() {
    let test = "examples/tests/qualify.test.toml";
    let new = Path::new("examples/tests/qualify.test.snap.new");
    // On the account the test names, it passes.
    let (mut s, _) = Session::new(Some(account()), &[]).unwrap();
    let out = s.handle(&format!(":test {test}"));
    assert_eq!(out.text, format!("ok      {test}\n\n1 passed, 0 failed\n"));
    // On another account the same test fails, reported as `wf test` does,
    // and nothing is written beside it.
    let mut small = account();
    let jan = small.contacts.iter_mut().find(|c| c.id == "c-1").unwrap();
    jan.properties
        .insert("employees".to_owned(), wf::value::Value::Number(3.0));
    let (mut s, _) = Session::new(Some(small), &[]).unwrap();
    let out = s.handle(&format!(":test {test}"));
    assert!(
        out.text.starts_with(&format!("FAILED  {test}\n")),
        "{}",
        out.text
    );
    assert!(out.text.contains("expectation failed"), "{}", out.text);
    assert!(out.text.contains("snapshot changed"), "{}", out.text);
    assert!(out.text.ends_with("\n0 passed, 1 failed\n"), "{}", out.text);
    assert!(!new.exists(), "{} was written", new.display());
    // The session's own rules and records are not touched.
    assert_eq!(s.handle(":trace").text, "no records\n");
    // A missing file is an error naming it; no argument is a usage error.
    let out = s.handle(":test examples/tests/nope.test.toml");
    assert!(
        out.text
            .starts_with("ERROR   examples/tests/nope.test.toml\n"),
        "{}",
        out.text
    );
    assert!(out.text.contains("1 error"), "{}", out.text);
    let out = s.handle(":test");
    assert_eq!(
        out.text,
        "error: `:test` needs a test file\n  help: usage: :test FILE\n"
    );
}

#[test]
fn a_typed_event_gets_the_message_and_column_wf_run_gives() {
    let dir = std::env::temp_dir().join(format!("wf-repl-event-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let lines = [
        r#"{"at": "2026-03-02T12:00:00Z", "type": "form_submitted", "contact": "c-1", "form": "qualify", "extra": 1}"#,
        r#"{"at": "2026-03-02T12:30:60Z", "type": "form_submitted", "contact": "c-1", "form": "qualify"}"#,
        r#"{"at": "2026-03-02T12:00:00Z", "type": "form_submitted", "contact": "nobody", "form": "qualify"}"#,
        r#"{"at": "2026-03-02T12:00:00Z", "type": "form_submitted", "contact": "c-1", "form": 3}"#,
        r#"{"at": "2026-03-02T12:00:00Z", "type": "form_sent", "contact": "c-1"}"#,
        r#"{"at": "2026-03-02T12:00:00Z", "type": "contact_created", "contact": "c-new", "email": "jan@client.test"}"#,
        r#"{"at": "2026-03-02T12:00:00Z", "type": "form_submitted", "contact": ["c-1"], "form": "qualify"}"#,
    ];
    for (i, line) in lines.iter().enumerate() {
        let events = dir.join(format!("e{i}.jsonl"));
        std::fs::write(&events, format!("{line}\n")).unwrap();
        let run = Command::new(env!("CARGO_BIN_EXE_wf"))
            .args([
                "run",
                "examples/qualify.wf",
                "--account",
                "examples/account.json",
            ])
            .arg("--events")
            .arg(&events)
            .output()
            .unwrap();
        assert_eq!(run.status.code(), Some(2), "{line}");
        let stderr = String::from_utf8(run.stderr).unwrap();
        let prefix = format!("error: {}:1:", events.display());
        let rest = stderr
            .lines()
            .next()
            .unwrap()
            .strip_prefix(&prefix)
            .unwrap();
        let (column, message) = rest.split_once(": ").unwrap();

        let (_, stdout, repl_err) = wf_repl(
            &["--account", "examples/account.json", "examples/qualify.wf"],
            &format!(":event {line}\n"),
        );
        let all = format!("{stdout}{repl_err}");
        let shown = all
            .lines()
            .find_map(|l| l.strip_prefix("error: "))
            .unwrap_or_else(|| panic!("{line}: no error in {all}"));
        assert_eq!(shown, message, "{line}");
        let caret = all
            .lines()
            .find(|l| l.trim_start_matches([' ', '|']) == "^")
            .unwrap();
        // `  | ` precedes the line; the caret sits under the column.
        assert_eq!(
            caret.find('^').unwrap() - 3,
            column.parse::<usize>().unwrap(),
            "{line}\n{all}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
