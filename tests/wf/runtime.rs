//! Integration tests: the runtime (`docs/semantics.md`, `docs/trace.md`).
//!
//! Fixture cases live in `tests/fixtures/runtime/<case>/` (`*.wf` in name
//! order, `events.jsonl`, optionally `until`), sharing
//! `tests/fixtures/runtime/account.json`. Traces are driven through the
//! library engine (so that cases the checker would reject still run) and
//! snapshotted as JSON lines with step records. Command-line behaviour
//! (exit codes, streams, input errors) runs the real binary.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use wf::runtime::replay::jsonl::push_jsonl;
use wf::runtime::{Engine, ExplainMode, Options, Reason, Record, replay_records};
use wf::source::{FileId, Sources};
use wf::syntax::Program;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/runtime")
}

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples")
}

struct Case {
    account: wf::account::Account,
    sources: Sources,
    programs: Vec<(FileId, Program)>,
    events: String,
}

fn load(account: &Path, scripts: &[PathBuf], events: &Path) -> Case {
    let account = wf::account::load(account).unwrap();
    let mut sources = Sources::new();
    let mut programs = Vec::new();
    for path in scripts {
        let text = std::fs::read_to_string(path).unwrap();
        let id = sources.add(path.display().to_string(), text.clone());
        programs.push((id, wf::syntax::parse(id, &text).unwrap()));
    }
    let events = std::fs::read_to_string(events).unwrap();
    Case {
        account,
        sources,
        programs,
        events,
    }
}

fn load_case(dir: &Path) -> Case {
    let scripts = crate::wf_files(dir);
    load(
        &fixtures().join("account.json"),
        &scripts,
        &dir.join("events.jsonl"),
    )
}

fn run(case: &Case, steps: bool, until: Option<chrono::DateTime<chrono::Utc>>) -> Vec<Record> {
    let mut engine = Engine::new(&case.account, &case.sources, &case.programs);
    engine.set_steps(steps);
    let options = Options {
        until,
        ..Options::default()
    };
    replay_records(&mut engine, &case.events, options).unwrap()
}

fn jsonl(records: &[Record]) -> String {
    let mut out = Vec::new();
    for r in records {
        push_jsonl(&mut out, r);
    }
    String::from_utf8(out).unwrap()
}

fn example_case() -> Case {
    let scripts: Vec<PathBuf> = ["qualify.wf", "handoff.wf", "no_show.wf", "unenroll.wf"]
        .iter()
        .map(|s| examples().join(s))
        .collect();
    load(
        &examples().join("account.json"),
        &scripts,
        &examples().join("events.jsonl"),
    )
}

macro_rules! snapshot {
    ($($t:tt)*) => {
        insta::with_settings!({
            snapshot_path => "../fixtures/runtime/snapshots",
            prepend_module_to_snapshot => false,
        }, {
            insta::assert_snapshot!($($t)*);
        })
    };
}

#[test]
fn fixture_traces() {
    insta::glob!("../fixtures/runtime", "*/events.jsonl", |path| {
        let dir = path.parent().unwrap();
        let case = load_case(dir);
        let records = run(&case, true, crate::until_of(dir));
        snapshot!(jsonl(&records));
    });
}

#[test]
fn example_trace() {
    let case = example_case();
    snapshot!("example", jsonl(&run(&case, false, None)));
    snapshot!("example_steps", jsonl(&run(&case, true, None)));
}

#[test]
fn jsonl_is_what_serde_writes() {
    let mut records = run(&example_case(), true, None);
    records.extend(run(&load_case(&fixtures().join("deferral")), true, None));
    assert!(records.iter().any(|r| r.until.is_some()));
    for r in &records {
        let mut line = Vec::new();
        push_jsonl(&mut line, r);
        let serde = serde_json::to_string(r).unwrap() + "\n";
        assert_eq!(String::from_utf8(line).unwrap(), serde);
    }
}

#[test]
fn every_skip_and_unenroll_reason_occurs() {
    let mut seen = BTreeSet::new();
    for entry in std::fs::read_dir(fixtures()).unwrap() {
        let dir = entry.unwrap().path();
        if dir.join("events.jsonl").exists() {
            let case = load_case(&dir);
            for r in run(&case, true, crate::until_of(&dir)) {
                if let Some(reason) = r.reason {
                    seen.insert((r.decision.as_str(), reason.as_str()));
                }
            }
        }
    }
    use Reason::*;
    for reason in [
        Suppressed,
        ReenrollOff,
        SequenceUnknown,
        SequenceDeleted,
        NoOwner,
        SenderUnknown,
        SenderNoSeat,
        SenderNoInbox,
        SendFromNotOwned,
        ContactUnsubscribed,
        ContactBounced,
        AlreadyEnrolled,
        DailySendLimit,
        NotEnrolled,
    ] {
        assert!(
            seen.contains(&("skip", reason.as_str())),
            "no skip with reason {}",
            reason.as_str()
        );
    }
    for reason in [
        Workflow,
        Replied,
        MeetingBooked,
        Bounced,
        Unsubscribed,
        SequenceDeleted,
    ] {
        assert!(
            seen.contains(&("unenroll", reason.as_str())),
            "no unenroll with reason {}",
            reason.as_str()
        );
    }
}

#[test]
fn weekend_shift_keeps_local_time_across_dst() {
    let case = load_case(&fixtures().join("weekend_dst"));
    let records = run(&case, true, None);
    let sent: Vec<(String, String)> = records
        .iter()
        .filter(|r| r.step == Some(2))
        .map(|r| (r.contact.clone().unwrap(), r.at.to_rfc3339()))
        .collect();
    // Thursday 26 March 10:00 CET + 2 days = Saturday → Monday 30 March
    // 10:00 CEST (08:00 UTC); Europe/Warsaw moved to summer time on the 29th.
    assert!(sent.contains(&("c-1".into(), "2026-03-30T08:00:00+00:00".into())));
    // Without weekdays_only the step stays on Saturday.
    assert!(sent.contains(&("c-5".into(), "2026-03-28T09:00:00+00:00".into())));
    // Thursday 22 October 10:00 CEST → Monday 26 October 10:00 CET (09:00 UTC).
    assert!(sent.contains(&("c-8".into(), "2026-10-26T09:00:00+00:00".into())));
}

#[test]
fn deferral_waits_for_the_blocking_send_to_age_out() {
    let case = load_case(&fixtures().join("deferral"));
    let records = run(&case, true, None);
    let deferred: Vec<&Record> = records
        .iter()
        .filter(|r| r.decision == wf::runtime::Decision::EmailDeferred)
        .collect();
    assert!(!deferred.is_empty());
    let first = deferred[0];
    assert_eq!(first.contact.as_deref(), Some("c-3"));
    // The send that blocks it is c-1's at 09:00 the day before.
    assert_eq!(
        first.until.unwrap().to_rfc3339(),
        "2026-03-04T09:00:00+00:00"
    );
}

#[test]
fn replay_is_deterministic() {
    let case = example_case();
    let a = jsonl(&run(&case, true, None));
    let b = jsonl(&run(&example_case(), true, None));
    assert_eq!(a, b);
    let out1 = wf_run(&example_args(&["--steps"]), None);
    let out2 = wf_run(&example_args(&["--steps"]), None);
    assert_eq!(out1.stdout, out2.stdout);
    assert_eq!(String::from_utf8_lossy(&out1.stdout), a);
}

/// The order contacts and list members are listed in fills the engine's
/// hash maps in a different order; nothing of that may reach the trace
/// or the explanations.
#[test]
fn the_trace_does_not_depend_on_the_order_contacts_are_listed() {
    let explained = |case: &Case| {
        let mut engine = Engine::new(&case.account, &case.sources, &case.programs);
        engine.set_steps(true);
        engine.set_explain(ExplainMode::All);
        let records = replay_records(&mut engine, &case.events, Options::default()).unwrap();
        let mut why = String::new();
        for id in engine.contact_ids() {
            for e in engine.evaluations(id) {
                why.push_str(&format!("{id}: {e}\n"));
            }
        }
        (jsonl(&records), why)
    };
    let (trace, why) = explained(&example_case());
    assert!(trace.lines().count() > 10 && !why.is_empty());
    let mut reversed = example_case();
    reversed.account.contacts.reverse();
    for list in &mut reversed.account.lists {
        list.members.reverse();
    }
    let (reversed_trace, reversed_why) = explained(&reversed);
    assert_eq!(reversed_trace, trace);
    let mut sorted_why: Vec<&str> = why.lines().collect();
    let mut sorted_reversed: Vec<&str> = reversed_why.lines().collect();
    sorted_why.sort_unstable();
    sorted_reversed.sort_unstable();
    assert_eq!(sorted_reversed, sorted_why);
}

/// Two processes hash with different seeds wherever a map is seeded per
/// process: an explanation, a table and a trace must still be the same
/// bytes.
#[test]
fn two_processes_write_the_same_bytes() {
    for extra in [
        &["--steps", "--explain", "c-1"][..],
        &["--steps", "--explain", "c-2", "--format", "table"][..],
    ] {
        let first = wf_run(&example_args(extra), None);
        let second = wf_run(&example_args(extra), None);
        assert!(first.status.success(), "{first:?}");
        assert!(!first.stdout.is_empty());
        assert_eq!(first.stdout, second.stdout);
        assert_eq!(first.stderr, second.stderr);
    }
}

#[test]
fn explanations_say_why() {
    let case = load_case(&fixtures().join("conditions"));
    let mut engine = Engine::new(&case.account, &case.sources, &case.programs);
    engine.set_explain(ExplainMode::All);
    replay_records(&mut engine, &case.events, Options::default()).unwrap();
    let mut text = String::new();
    for contact in ["c-2", "c-4", "c-5", "c-8"] {
        text.push_str(&format!("{contact}:\n"));
        for e in engine.evaluations(contact) {
            text.push_str(&format!("  {e}\n"));
        }
    }
    assert!(text.contains("contact.employees = 5, needs >= 10"));
    assert!(text.contains("contact.tier = unset, needs != \"gold\""));
    snapshot!("explanations_conditions", text);

    let case = load_case(&fixtures().join("skips"));
    let mut engine = Engine::new(&case.account, &case.sources, &case.programs);
    engine.set_explain(ExplainMode::Contacts(vec!["c-1".into(), "c-9".into()]));
    replay_records(&mut engine, &case.events, Options::default()).unwrap();
    assert!(engine.evaluations("c-2").is_empty());
    let mut text = String::new();
    for contact in ["c-1", "c-9"] {
        for e in engine.evaluations(contact) {
            text.push_str(&format!("{e}\n"));
        }
    }
    assert!(text.contains("`piotr@acme.test` sent 2 sequence emails in the last 24 h"));
    snapshot!("explanations_skips", text);
}

#[test]
fn explanations_are_off_by_default() {
    let case = load_case(&fixtures().join("skips"));
    let mut engine = Engine::new(&case.account, &case.sources, &case.programs);
    replay_records(&mut engine, &case.events, Options::default()).unwrap();
    assert!(engine.evaluations("c-1").is_empty());
}

#[test]
fn set_rules_keeps_state_and_fired_memory() {
    let account = wf::account::load(&fixtures().join("account.json")).unwrap();
    let mut sources = Sources::new();
    let a = sources.add(
        "a.wf",
        "when form_submitted(\"x\") then enroll in \"Booking\" from owner\n",
    );
    let b = sources.add("b.wf", "when form_submitted(\"y\") then unenroll\n");
    let parse = |id: FileId, s: &Sources| wf::syntax::parse(id, &s.get(id).unwrap().text).unwrap();
    let pa = (a, parse(a, &sources));
    let pb = (b, parse(b, &sources));
    let mut engine = Engine::new(&account, &sources, std::slice::from_ref(&pa));
    let mut out: Vec<Record> = Vec::new();
    let ev = |json: &str, engine: &Engine| engine.parse_event(json).unwrap();
    let e = ev(
        r#"{"at":"2026-03-02T08:00:00Z","type":"form_submitted","contact":"c-1","form":"x"}"#,
        &engine,
    );
    engine.process(&e, None, &mut out);
    engine.set_rules(&sources, &[pb.clone(), pa.clone()]);
    // `at` defaults to the clock.
    let e = ev(
        r#"{"type":"form_submitted","contact":"c-1","form":"x"}"#,
        &engine,
    );
    assert_eq!(e.at, engine.clock().unwrap());
    engine.process(&e, None, &mut out);
    let view = engine.contact("c-1").unwrap();
    let enrollment = view.enrollment.unwrap();
    assert_eq!(enrollment.sequence, "Booking");
    assert_eq!(enrollment.step, 2);
    assert!(!enrollment.paused);
    assert_eq!(
        enrollment.next_due.unwrap().to_rfc3339(),
        "2026-03-04T08:00:00+00:00"
    );
    let e = ev(
        r#"{"type":"form_submitted","contact":"c-1","form":"y"}"#,
        &engine,
    );
    engine.process(&e, None, &mut out);
    // Dropping the rule and loading it again from a new file is a new rule.
    let c = sources.add("c.wf", sources.get(a).unwrap().text.clone());
    let pc = (c, parse(c, &sources));
    engine.set_rules(&sources, &[pc]);
    let e = ev(
        r#"{"type":"form_submitted","contact":"c-1","form":"x"}"#,
        &engine,
    );
    engine.process(&e, None, &mut out);
    engine.advance_to(
        wf::runtime::replay::parse_time("2026-03-05T00:00:00Z").unwrap(),
        &mut out,
    );
    let summary: Vec<String> = out
        .iter()
        .map(|r| {
            format!(
                "{} {} {}",
                r.decision.as_str(),
                r.reason.map_or("-", Reason::as_str),
                r.rule.as_deref().unwrap_or("-")
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            "enroll - a.wf:1",
            "skip reenroll_off a.wf:1",
            "unenroll workflow b.wf:1",
            "enroll - c.wf:1",
        ]
    );
    assert_eq!(
        engine.clock().unwrap().to_rfc3339(),
        "2026-03-05T00:00:00+00:00"
    );
    // Events before the clock, and unknown contacts, are refused.
    assert!(
        engine
            .parse_event(r#"{"at":"2026-03-01T00:00:00Z","type":"email_replied","contact":"c-1"}"#)
            .unwrap_err()
            .message
            .contains("earlier than the clock")
    );
    assert!(
        engine
            .parse_event(r#"{"type":"email_replied","contact":"c-99"}"#)
            .unwrap_err()
            .message
            .contains("unknown contact `c-99`")
    );
}

// ---------------------------------------------------------------------
// The binary.

fn wf_run(args: &[String], stdin: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_wf"));
    cmd.args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    if let Some(text) = stdin {
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    }
    child.wait_with_output().unwrap()
}

fn example_args(extra: &[&str]) -> Vec<String> {
    let mut args: Vec<String> = vec!["run".into()];
    for s in ["qualify.wf", "handoff.wf", "no_show.wf", "unenroll.wf"] {
        args.push(examples().join(s).display().to_string());
    }
    args.push("--account".into());
    args.push(examples().join("account.json").display().to_string());
    args.push("--events".into());
    args.push(examples().join("events.jsonl").display().to_string());
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}

/// `wf run` of the cli fixture script with events given as text.
fn run_events(events: &str, extra: &[&str]) -> Output {
    let dir = tempdir();
    let path = dir.join("events.jsonl");
    std::fs::write(&path, events).unwrap();
    let mut args: Vec<String> = vec![
        "run".into(),
        fixtures().join("cli/rules.wf").display().to_string(),
        "--account".into(),
        fixtures().join("account.json").display().to_string(),
        "--events".into(),
        path.display().to_string(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    let out = wf_run(&args, None);
    let _ = std::fs::remove_dir_all(&dir);
    out
}

fn tempdir() -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "wf-runtime-test-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The column of the first error at `place` (`FILE:LINE:`) in `stderr`.
fn error_column(stderr: &str, place: &str) -> usize {
    let after = stderr
        .split_once(place)
        .unwrap_or_else(|| panic!("no `{place}` in {stderr}"))
        .1;
    let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
    assert!(after[digits.len()..].starts_with(": "), "{stderr}");
    digits.parse().unwrap()
}

const GOOD: &str = r#"{"at": "2026-03-02T08:00:00Z", "type": "form_submitted", "contact": "c-1", "form": "qualify"}"#;

#[test]
fn input_errors_name_file_and_line_after_earlier_records() {
    // (line, message, the text at the column the error names; `$` for the
    // end of the line)
    let cases: &[(&str, &str, &str)] = &[
        (
            r#"{"at": "2026-03-02T09:00:00Z", "type": "form_submitted""#,
            "EOF while parsing",
            "$",
        ),
        ("not json", "expected", "ot"),
        (
            r#"{"at": "2026-03-02T09:00:00Z", "contact": "c-1", "form": "x"}"#,
            "missing field `type`",
            "{",
        ),
        (
            r#"   {"at": "2026-03-02T09:00:00Z", "type": "email_replied", "contact": "c-99"}"#,
            "unknown contact `c-99`",
            r#""c-99""#,
        ),
        (
            "\u{a0}{\"at\": \"2026-03-02T09:00:00Z\", \"type\": \"email_replied\", \"contact\": \"c-98\"}",
            "unknown contact `c-98`",
            r#""c-98""#,
        ),
        (r#"[1, 2]"#, "an event must be a JSON object", "[1, 2]"),
        (
            r#"{"at": "2026-03-02T09:00:00Z", "type": "form_sent", "contact": "c-1"}"#,
            "unknown event type `form_sent`",
            r#""form_sent""#,
        ),
        (
            r#"{"at": "2026-03-02T09:00:00Z", "type": "form_submitted", "contact": "c-1", "form": "x", "page": 2}"#,
            "unknown field `page`",
            r#""page""#,
        ),
        (
            r#"{"at": "2026-03-02T09:00:00Z", "type": "email_replied", "contact": "c-1", "form": "x"}"#,
            "`email_replied` events have no field `form`",
            r#""form": "x""#,
        ),
        (
            r#"{"at": "2026-03-02T09:00:00Z", "type": "deal_stage_changed", "contact": "c-1", "to": "won", "amount": "big"}"#,
            "invalid type: string \"big\"",
            r#""big""#,
        ),
        (
            r#"{"at": "2026-03-02T09:00:00Z", "type": "form_submitted", "contact": "c-1"}"#,
            "missing the field `form`",
            "{",
        ),
        (
            r#"{"type": "form_submitted", "contact": "c-1", "form": "x"}"#,
            "missing the field `at`",
            "{",
        ),
        (
            r#"{"at": "yesterday", "type": "email_replied", "contact": "c-1"}"#,
            "not an RFC 3339 time",
            r#""yesterday""#,
        ),
        (
            r#"{"at": "2026-03-02T09:00:00", "type": "email_replied", "contact": "c-1"}"#,
            "not an RFC 3339 time",
            r#""2026-03-02T09:00:00""#,
        ),
        (
            r#"{"at": "2026-03-02T09:00:00Z", "type": "meeting_outcome", "contact": "c-1", "outcome": "late"}"#,
            "unknown meeting outcome `late`",
            r#""late""#,
        ),
        (
            r#"{"at": "2026-03-02T09:00:00Z", "type": "email_replied", "contact": "c-99"}"#,
            "unknown contact `c-99`",
            r#""c-99""#,
        ),
        (
            r#"{"at": "2026-03-02T09:00:00Z", "type": "property_changed", "contact": "c-1", "property": "height", "value": 3}"#,
            "unknown contact property `height`",
            r#""height""#,
        ),
        (
            r#"{"at": "2026-03-02T09:00:00Z", "type": "property_changed", "contact": "c-1", "property": "employees", "value": "many"}"#,
            "property `employees` is a number",
            r#""many""#,
        ),
        (
            r#"{"at": "2026-03-02T09:00:00Z", "type": "property_changed", "contact": "c-1", "property": "tier", "value": "platinum"}"#,
            "property `tier` is an enum",
            r#""platinum""#,
        ),
        (
            r#"{"at": "2026-03-02T09:00:00Z", "type": "property_changed", "contact": "c-1", "property": "tier", "value": [1]}"#,
            "must be a string, a number or a boolean",
            "[1]",
        ),
        (
            r#"{"at": "2026-03-02T09:00:00Z", "type": "list_added", "contact": "c-1", "list": "Nope"}"#,
            "unknown list `Nope`",
            r#""Nope""#,
        ),
        (
            r#"{"at": "2026-03-02T09:00:00Z", "type": "sequence_deleted", "sequence": "Nope"}"#,
            "unknown sequence `Nope`",
            r#""Nope""#,
        ),
        (
            r#"{"at": "2026-03-02T09:00:00Z", "type": "sequence_deleted", "sequence": "Booking", "contact": "c-1"}"#,
            "have no field `contact`",
            r#""contact""#,
        ),
        (
            r#"{"at": "2026-03-02T09:00:00Z", "type": "user_updated", "user": "who@acme.test"}"#,
            "unknown user `who@acme.test`",
            r#""who@acme.test""#,
        ),
        (
            r#"{"at": "2026-03-02T09:00:00Z", "type": "user_updated", "user": "ana@acme.test", "seats": ["gold"]}"#,
            "unknown variant `gold`",
            r#"["gold"]"#,
        ),
        (
            r#"{"at": "2026-03-02T09:00:00Z", "type": "user_updated", "user": "ana@acme.test", "daily_send_limit": 0}"#,
            "at least 1",
            "0}",
        ),
        (
            r#"{"at": "2026-03-02T09:00:00Z", "type": "contact_created", "contact": "c-1"}"#,
            "contact `c-1` already exists",
            r#""c-1""#,
        ),
        (
            r#"{"at": "2026-03-02T09:00:00Z", "type": "contact_created", "contact": "c-20", "properties": {"employees": "ten"}}"#,
            "property `employees` is a number",
            r#"{"employees""#,
        ),
        (
            r#"{"at": "2026-03-02T07:59:59Z", "type": "email_replied", "contact": "c-1"}"#,
            "earlier than the event before it",
            r#""2026-03-02T07:59:59Z""#,
        ),
    ];
    for (bad, message, at) in cases {
        let events = format!("{GOOD}\n\n{bad}\n{GOOD}\n");
        let out = run_events(&events, &[]);
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{bad}: {stderr}");
        assert_eq!(stdout.lines().count(), 1, "{bad}: {stdout}");
        assert!(stdout.contains(r#""decision":"enroll""#), "{bad}: {stdout}");
        assert!(
            stderr.contains(message),
            "{bad}: expected {message:?} in {stderr}"
        );
        // `error: FILE:3:COLUMN: message`, the column on the bad line.
        let column = error_column(&stderr, "events.jsonl:3:");
        let rest: String = bad.chars().skip(column - 1).collect();
        match *at {
            "$" => assert_eq!(rest, "", "{bad}: column {column}"),
            _ => assert!(
                rest.starts_with(at),
                "{bad}: column {column} is at {rest:?}"
            ),
        }
    }
}

#[test]
fn skip_invalid_reports_and_goes_on() {
    let events = format!(
        "{GOOD}\n{{\"at\": \"2026-03-02T09:00:00Z\", \"type\": \"email_replied\", \"contact\": \"c-99\"}}\n{}\n",
        r#"{"at": "2026-03-02T10:00:00Z", "type": "email_replied", "contact": "c-1"}"#
    );
    let out = run_events(&events, &["--skip-invalid"]);
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("events.jsonl:2:68: unknown contact `c-99`"),
        "{stderr}"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout.lines().count(), 2, "{stdout}");
    assert!(stdout.contains(r#""reason":"replied""#));
}

#[test]
fn sort_orders_events_and_validates_first() {
    let later = r#"{"at": "2026-03-02T10:00:00Z", "type": "email_replied", "contact": "c-1"}"#;
    let events = format!("{later}\n{GOOD}\n");
    let out = run_events(&events, &[]);
    assert_eq!(out.status.code(), Some(2));
    let out = run_events(&events, &["--sort"]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    snapshot!("sorted", stdout);
    // A bad line stops `--sort` before anything is written.
    let events = format!("{GOOD}\n{later}\n{{\"at\": 1}}\n");
    let out = run_events(&events, &["--sort"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(error_column(&stderr, "events.jsonl:3:"), 8, "{stderr}");
    // A reference checked after sorting is placed on its own line's column.
    let unknown = r#"{"at": "2026-03-02T07:00:00Z", "type": "email_replied",  "contact": "c-99"}"#;
    let out = run_events(&format!("{GOOD}\n{unknown}\n"), &["--sort"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("events.jsonl:2:69: unknown contact `c-99`"),
        "{stderr}"
    );
    // Created contacts are known in sorted order.
    let created = r#"{"at": "2026-03-02T07:00:00Z", "type": "contact_created", "contact": "c-30", "owner": "ana@acme.test"}"#;
    let uses = r#"{"at": "2026-03-02T07:30:00Z", "type": "form_submitted", "contact": "c-30", "form": "qualify"}"#;
    let out = run_events(&format!("{uses}\n{created}\n"), &["--sort"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("c-30"));
}

#[test]
fn until_stops_events_and_steps() {
    let events = format!(
        "{GOOD}\n{}\n",
        r#"{"at": "2026-03-09T10:00:00Z", "type": "email_replied", "contact": "c-1"}"#
    );
    let out = run_events(
        &events,
        &["--steps", "--until", "2026-03-04T12:00:00+01:00"],
    );
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    snapshot!("until_cli", stdout);
    assert!(!stdout.contains("replied"));
    let out = run_events(&events, &["--until", "soon"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn stdin_events_and_table_format() {
    let mut args = example_args(&["--format", "table", "--steps"]);
    let n = args.len();
    args[n - 4] = "-".into();
    let events = std::fs::read_to_string(examples().join("events.jsonl")).unwrap();
    let out = wf_run(&args, Some(&events));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(table.lines().all(|l| l == l.trim_end()));
    snapshot!("example_table", table);
}

#[test]
fn demo_prints_the_example_table() {
    let out = Command::new(env!("CARGO_BIN_EXE_wf"))
        .arg("demo")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(table.contains("email_deferred"));
    assert!(table.contains("task_created"));
    assert!(table.contains("daily_send_limit"));
    snapshot!("demo", table);
}

#[test]
fn scripts_with_errors_are_not_run() {
    let dir = tempdir();
    let script = dir.join("bad.wf");
    std::fs::write(
        &script,
        "when form_submitted(\"x\") then enrol in \"Booking\" from owner\n",
    )
    .unwrap();
    let args: Vec<String> = vec![
        "run".into(),
        script.display().to_string(),
        "--account".into(),
        fixtures().join("account.json").display().to_string(),
        "--events".into(),
        fixtures().join("skips/events.jsonl").display().to_string(),
    ];
    let out = wf_run(&args, None);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("E0001"));
    // A bad account is exit 2.
    let mut args = args;
    args[1] = fixtures().join("cli/rules.wf").display().to_string();
    args[3] = script.display().to_string();
    let out = wf_run(&args, None);
    assert_eq!(out.status.code(), Some(2));
    // A missing events file is exit 2.
    args[3] = fixtures().join("account.json").display().to_string();
    args[5] = dir.join("missing.jsonl").display().to_string();
    let out = wf_run(&args, None);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.jsonl"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn closed_stdout_ends_quietly() {
    let dir = tempdir();
    let path = dir.join("many.jsonl");
    let mut text = String::new();
    for i in 0..20_000 {
        text.push_str(&format!(
            "{{\"at\": \"2026-03-02T08:00:00Z\", \"type\": \"contact_created\", \"contact\": \"n-{i}\", \"owner\": \"ana@acme.test\", \"source\": \"form\"}}\n{{\"at\": \"2026-03-02T08:00:00Z\", \"type\": \"form_submitted\", \"contact\": \"n-{i}\", \"form\": \"qualify\"}}\n"
        ));
    }
    std::fs::write(&path, text).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_wf"))
        .args([
            "run",
            &fixtures().join("cli/rules.wf").display().to_string(),
            "--account",
            &fixtures().join("account.json").display().to_string(),
            "--events",
            &path.display().to_string(),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Read;
        let mut first = [0u8; 10];
        child
            .stdout
            .as_mut()
            .unwrap()
            .read_exact(&mut first)
            .unwrap();
    }
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

// ---------------------------------------------------------------------
// Laws.

mod laws {
    use super::*;
    use proptest::prelude::*;

    const TYPES: [&str; 8] = [
        "form_submitted",
        "email_replied",
        "task_completed",
        "meeting_booked",
        "unsubscribed",
        "list_added",
        "deal_stage_changed",
        "meeting_outcome",
    ];

    fn line(kind: usize, contact: usize, arg: usize, t: i64) -> String {
        let at = chrono::DateTime::from_timestamp(1_772_409_600 + t, 0)
            .unwrap()
            .format("%Y-%m-%dT%H:%M:%SZ");
        let c = format!("c-{}", contact % 8 + 1);
        let forms = ["big", "ne", "notin", "unset", "mail", "qualify"];
        match TYPES[kind % TYPES.len()] {
            "form_submitted" => format!(
                r#"{{"at":"{at}","type":"form_submitted","contact":"{c}","form":"{}"}}"#,
                forms[arg % forms.len()]
            ),
            "list_added" => {
                format!(r#"{{"at":"{at}","type":"list_added","contact":"{c}","list":"VIP"}}"#)
            }
            "deal_stage_changed" => format!(
                r#"{{"at":"{at}","type":"deal_stage_changed","contact":"{c}","to":"closedwon","amount":{}}}"#,
                arg * 300
            ),
            "meeting_outcome" => format!(
                r#"{{"at":"{at}","type":"meeting_outcome","contact":"{c}","outcome":"no_show"}}"#
            ),
            other => format!(r#"{{"at":"{at}","type":"{other}","contact":"{c}"}}"#),
        }
    }

    fn check_parse(text: &str) -> Result<(), TestCaseError> {
        match wf::runtime::replay::parse_event(text, None) {
            Ok(e) => {
                let name = e.event_type().as_str();
                prop_assert!(text.contains(&format!("\"{name}\"")), "{text}");
            }
            Err(p) => {
                prop_assert!(!p.message.is_empty());
                let column = p.column(text);
                prop_assert!(
                    (1..=text.chars().count() + 1).contains(&column),
                    "{column}: {p}"
                );
            }
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        #[test]
        fn replay_is_a_function_of_its_inputs(
            steps in proptest::collection::vec((0usize..8, 0usize..8, 0usize..6, 0i64..200_000), 1..60)
        ) {
            let dir = fixtures().join("conditions");
            let base = load_case(&dir);
            let mut t = 0;
            let mut events = String::new();
            for (kind, contact, arg, dt) in &steps {
                t += dt;
                events.push_str(&line(*kind, *contact, *arg, t));
                events.push('\n');
            }
            let case = Case { events, ..base };
            let a = jsonl(&run(&case, true, None));
            let b = jsonl(&run(&case, true, None));
            prop_assert_eq!(a, b);
        }

        /// Any text is an event of a known type that was written in it,
        /// or a message placed on the line.
        #[test]
        fn any_text_is_an_event_or_a_placed_message(text in ".{0,200}") {
            check_parse(&text)?;
        }

        #[test]
        fn json_shaped_lines_are_events_or_placed_messages(
            fields in proptest::collection::vec(("[a-z_]{1,12}", prop_oneof![
                Just("1".to_owned()), Just("null".to_owned()), Just("true".to_owned()),
                Just("[]".to_owned()), Just("{}".to_owned()), "\"[a-z0-9:+-]{0,25}\"",
            ]), 0..8)
        ) {
            let body: Vec<String> = fields.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
            let text = format!("{{{}}}", body.join(","));
            check_parse(&text)?;
        }
    }
}

#[test]
fn processing_an_event_other_than_the_one_checked_finds_its_own_contact() {
    let case = load_case(&fixtures().join("skips"));
    let mut engine = Engine::new(&case.account, &case.sources, &case.programs);
    let checked = engine
        .parse_event(r#"{"at":"2026-03-02T08:00:00Z","type":"form_submitted","contact":"c-1","form":"again"}"#)
        .unwrap();
    let other = wf::runtime::replay::parse_event(
        r#"{"at":"2026-03-02T08:00:00Z","type":"form_submitted","contact":"c-2","form":"again"}"#,
        None,
    )
    .unwrap();
    let _ = checked;
    let mut out: Vec<Record> = Vec::new();
    engine.process(&other, Some(1), &mut out);
    assert_eq!(out[0].contact.as_deref(), Some("c-2"));
}

#[test]
fn a_skipped_line_does_not_set_the_time_order() {
    // Line 1 is skipped (unknown contact); line 2 is earlier but valid.
    let events = format!(
        "{}\n{GOOD}\n",
        r#"{"at": "2026-03-02T10:00:00Z", "type": "form_submitted", "contact": "c-99", "form": "qualify"}"#
    );
    let out = run_events(&events, &["--skip-invalid"]);
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("events.jsonl:1:69: unknown contact"),
        "{stderr}"
    );
    assert!(!stderr.contains("events.jsonl:2"), "{stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains(r#""decision":"enroll""#), "{stdout}");
}

#[test]
fn lines_after_until_are_not_validated() {
    let events = format!(
        "{GOOD}\n{}\n",
        r#"{"at": "2026-03-02T10:00:00Z", "type": "form_submitted", "contact": "c-99", "form": "qualify"}"#
    );
    let out = run_events(&events, &["--until", "2026-03-02T09:00:00Z"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains(r#""decision":"enroll""#));
}

#[test]
fn not_in_with_a_value_of_another_type_is_false() {
    let dir = tempdir();
    let script = dir.join("n.wf");
    std::fs::write(
        &script,
        "when property_changed(\"employees\") or property_changed(\"tier\") if event.value not in [\"gold\"] then unenroll\n\
         when property_changed(\"employees\") or property_changed(\"tier\") if event.value in [\"gold\"] then unenroll\n\
         when property_changed(\"employees\") or property_changed(\"tier\") if event.value not in [\"silver\"] then unenroll\n",
    )
    .unwrap();
    let events = dir.join("n.jsonl");
    std::fs::write(
        &events,
        "{\"at\":\"2026-03-02T08:00:00Z\",\"type\":\"property_changed\",\"contact\":\"c-1\",\"property\":\"employees\",\"value\":50}\n\
         {\"at\":\"2026-03-02T09:00:00Z\",\"type\":\"property_changed\",\"contact\":\"c-2\",\"property\":\"tier\",\"value\":\"gold\"}\n",
    )
    .unwrap();
    let out = wf_run(
        &[
            "run".into(),
            script.display().to_string(),
            "--account".into(),
            fixtures().join("account.json").display().to_string(),
            "--events".into(),
            events.display().to_string(),
        ],
        None,
    );
    let _ = std::fs::remove_dir_all(&dir);
    let stdout = String::from_utf8_lossy(&out.stdout);
    // The number 50 is neither in nor "not in" a list of strings; `gold` is
    // in `["gold"]` and not in `["silver"]`.
    let rules: Vec<String> = stdout
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            format!("{} {}", v["contact"], v["rule"])
        })
        .collect();
    assert_eq!(
        rules,
        [r#""c-2" "n.wf:2""#, r#""c-2" "n.wf:3""#],
        "{stdout}"
    );
}

#[test]
fn a_leap_second_is_rejected_where_it_is_written() {
    let line = r#"{"at": "2026-03-02T12:30:60Z", "type": "form_submitted", "contact": "c-1", "form": "qualify"}"#;
    let out = run_events(&format!("{line}\n"), &[]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    // The column of the time's value.
    let column = line.find("\"2026").unwrap() + 1;
    assert!(
        stderr.contains(&format!(
            "events.jsonl:1:{column}: `at` is not a valid time"
        )),
        "{stderr}"
    );
    assert!(stderr.contains("no second 60"), "{stderr}");
}

#[test]
fn a_new_contact_may_not_take_an_existing_email() {
    let account: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixtures().join("account.json")).unwrap())
            .unwrap();
    let email = account["contacts"][0]["email"].as_str().unwrap().to_owned();
    let taken = format!(
        r#"{{"at": "2026-03-02T08:00:00Z", "type": "contact_created", "contact": "c-new", "email": "{email}"}}"#
    );
    let out = run_events(&format!("{taken}\n"), &[]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let column = taken.find(&format!("\"{email}")).unwrap() + 1;
    assert!(
        stderr.contains(&format!(
            "events.jsonl:1:{column}: another contact already has the email `{email}`"
        )),
        "{stderr}"
    );
    // Nor one an earlier event gave a new contact, streaming or sorted.
    let twice = format!(
        "{}\n{}\n",
        r#"{"at": "2026-03-02T08:00:00Z", "type": "contact_created", "contact": "c-a", "email": "same@x.test"}"#,
        r#"{"at": "2026-03-02T08:00:01Z", "type": "contact_created", "contact": "c-b", "email": "same@x.test"}"#
    );
    for extra in [&[][..], &["--sort"][..]] {
        let out = run_events(&twice, extra);
        assert_eq!(out.status.code(), Some(2), "{extra:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("events.jsonl:2:") && stderr.contains("`same@x.test`"),
            "{extra:?}: {stderr}"
        );
    }
}

#[test]
fn an_events_file_may_start_with_a_byte_order_mark() {
    let plain = run_events(&format!("{GOOD}\n"), &[]);
    let marked = run_events(&format!("\u{feff}{GOOD}\n"), &[]);
    assert_eq!(
        marked.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&marked.stderr)
    );
    assert!(!plain.stdout.is_empty());
    assert_eq!(marked.stdout, plain.stdout);
    // Columns count from after the mark.
    let bad = r#"{"at": "2026-03-02T08:00:00Z", "type": "form_submitted", "contact": "c-99", "form": "qualify"}"#;
    let out = run_events(&format!("\u{feff}{bad}\n"), &[]);
    let column = bad.find("\"c-99").unwrap() + 1;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("events.jsonl:1:{column}: unknown contact")),
        "{stderr}"
    );
}

#[test]
fn why_reports_rules_whose_trigger_arguments_differ() {
    let account = wf::account::load(&fixtures().join("account.json")).unwrap();
    let mut sources = Sources::new();
    let text = "when form_submitted(\"qualify\") then unenroll\n";
    let id = sources.add("q.wf", text.to_owned());
    let programs = vec![(id, wf::syntax::parse(id, text).unwrap())];
    let events = r#"{"at": "2026-03-02T08:00:00Z", "type": "form_submitted", "contact": "c-1", "form": "other"}"#;
    let mut plain = Engine::new(&account, &sources, &programs);
    let mut explained = Engine::new(&account, &sources, &programs);
    explained.set_explain(ExplainMode::All);
    let a = replay_records(&mut plain, events, Options::default()).unwrap();
    let b = replay_records(&mut explained, events, Options::default()).unwrap();
    assert_eq!(a, b, "explaining changed the records");
    let why = wf::runtime::engine::why::explain("c-1", &explained.evaluations("c-1"));
    assert!(
        why.contains("trigger arguments did not match the event"),
        "{why}"
    );
    assert!(plain.evaluations("c-1").is_empty());
}
