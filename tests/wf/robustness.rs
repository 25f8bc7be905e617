//! Integration tests: robustness. No input crashes `wf`, every bad input
//! gets a located error, nothing is lost (`docs/robustness.md`).
//!
//! - fuzz regressions: every input a fuzz target once crashed on
//!   (`tests/fixtures/robustness/crashes/<target>/`) replayed through the
//!   same assertions as the target;
//! - properties (proptest, bounded): no panic on generated input to every
//!   public entry point, located errors for mutated account and event
//!   files, the runtime deterministic on generated scripts, accounts and
//!   event streams;
//! - limits: numbers, times, sizes and depths at and past their bounds;
//! - error paths: every class of bad input of `docs/limits.md` through the
//!   real binary, with its exit code and a message naming file and place.

use proptest::prelude::*;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use wf::account::Account;
use wf::runtime::replay::{EventReader, Validator, parse_event};
use wf::runtime::{Driver, Engine, Options, Record};
use wf::source::{FileId, Sources};
use wf::syntax::Program;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn fixtures() -> PathBuf {
    root().join("tests/fixtures/robustness")
}

fn example(name: &str) -> PathBuf {
    root().join("examples").join(name)
}

fn example_account() -> Account {
    wf::account::load(&example("account.json")).unwrap()
}

/// The account the checker's fixtures (and the `check` fuzz target) use.
fn check_account() -> Account {
    wf::account::load(&root().join("tests/fixtures/check/account.json")).unwrap()
}

fn example_account_json() -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(example("account.json")).unwrap()).unwrap()
}

/// A fresh directory under the target directory.
fn tempdir(tag: &str) -> PathBuf {
    let dir = root()
        .join("target/robustness-tests")
        .join(format!("{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn wf(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wf"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// No panic message, whatever the exit code.
fn assert_no_panic(out: &Output) {
    let stderr = text(&out.stderr);
    assert!(
        !stderr.contains("panicked") && !stderr.contains("internal error"),
        "{stderr}"
    );
    assert_ne!(out.status.code(), Some(70), "{stderr}");
    assert!(out.status.code().is_some(), "killed by a signal: {stderr}");
}

/// Parses scripts named `s0.wf`, `s1.wf`, … into programs (panics on a
/// syntax error: generators only make valid scripts).
fn programs(scripts: &[String]) -> (Sources, Vec<(FileId, Program)>) {
    let mut sources = Sources::new();
    let mut programs = Vec::new();
    for (i, s) in scripts.iter().enumerate() {
        let id = sources.add(format!("s{i}.wf"), s.clone());
        match wf::syntax::parse(id, s) {
            Ok(p) => programs.push((id, p)),
            Err(d) => panic!("generated script does not parse: {}\n{s}", d.message),
        }
    }
    (sources, programs)
}

/// Replays an events text as `wf run --skip-invalid --steps` does.
fn replay(
    account: &Account,
    sources: &Sources,
    programs: &[(FileId, Program)],
    events: &str,
    until: Option<chrono::DateTime<chrono::Utc>>,
) -> Vec<Record> {
    let mut engine = Engine::new(account, sources, programs);
    engine.set_steps(true);
    let mut out = Vec::new();
    let input = std::io::Cursor::new(events.as_bytes().to_vec());
    let options = Options {
        until,
        ..Options::default()
    };
    let mut driver = Driver::new(&mut engine, options);
    let skipped: Result<(), ()> = driver.run(input, &mut out, &mut |_| Ok(()));
    assert!(skipped.is_ok());
    driver.finish(&mut out);
    out
}

// ---------------------------------------------------------------------
// Fuzz regressions
// ---------------------------------------------------------------------

/// The entries under `crashes/<target>/`, sorted. Each is the input as
/// the library sees it (the text a generator made, without the fuzz
/// target's mode byte): a script, an account (`.json` / `.toml`), an
/// events file, or for `run` a directory with `account.json`, `*.wf` and
/// `events.jsonl`.
fn crash_inputs(target: &str) -> Vec<PathBuf> {
    let dir = fixtures().join("crashes").join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
    paths.sort();
    paths
}

fn lossy(path: &Path) -> String {
    String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned()
}

/// The assertions of the `fmt` fuzz target, on one script.
fn assert_format_round_trip(source: &str) {
    let file = FileId(0);
    let (Ok(program), Ok(out)) = (
        wf::syntax::parse(file, source),
        wf::format::format_source(file, source),
    ) else {
        return;
    };
    let again = wf::syntax::parse(file, &out).unwrap();
    assert_eq!(program, again, "{out}");
    assert_eq!(wf::format::format_source(file, &out).unwrap(), out);
}

#[test]
fn fuzz_crash_inputs_stay_fixed() {
    let account = example_account();
    for path in crash_inputs("parse") {
        let _ = wf::syntax::parse(FileId(0), &lossy(&path));
    }
    for path in crash_inputs("fmt") {
        assert_format_round_trip(&lossy(&path));
    }
    for path in crash_inputs("account") {
        let toml = path.extension().is_some_and(|x| x == "toml");
        let _ = wf::account::from_text("fuzz", &lossy(&path), toml);
    }
    for path in crash_inputs("events") {
        let bytes = std::fs::read(&path).unwrap();
        let engine = Engine::new(&account, &Sources::new(), &[]);
        let mut validator = Validator::new(&account);
        for (_, e) in EventReader::new(bytes.as_slice(), true).flat_map(|(l, e)| e.map(|e| (l, e)))
        {
            let _ = validator.check(&e);
            let _ = engine.check_event(&e);
        }
    }
    for path in crash_inputs("check") {
        // As the `check` target does: check, then render every diagnostic
        // for people and as JSON, each inside the file.
        let source = lossy(&path);
        let mut sources = Sources::new();
        let file = sources.add("fuzz.wf", source.clone());
        let diagnostics = match wf::syntax::parse(file, &source) {
            Ok(p) => wf::check::check(&[(file, p)], &check_account()),
            Err(d) => vec![d],
        };
        for d in &diagnostics {
            assert!(d.span.start <= d.span.end && d.span.end <= source.len());
            let json = d.to_json(&sources);
            let header = format!("[ fuzz.wf:{}:{} ]", json.line, json.column);
            let human = d.render(&sources, false);
            assert!(human.contains(&header), "{}: {human}", path.display());
        }
    }
    for dir in crash_inputs("run") {
        let account = wf::account::load(&dir.join("account.json")).unwrap();
        let scripts: Vec<String> = crate::wf_files(&dir).iter().map(|p| lossy(p)).collect();
        let (sources, programs) = programs(&scripts);
        let events = lossy(&dir.join("events.jsonl"));
        let until = crate::until_of(&dir);
        let first = replay(&account, &sources, &programs, &events, until);
        assert_eq!(first, replay(&account, &sources, &programs, &events, until));
    }
}

// ---------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------

const SEQUENCES: &[&str] = &["Booking", "Onboarding", "Old promo", "Reschedule", "Nope"];
const USERS: &[&str] = &[
    "ana@acme.test",
    "piotr@acme.test",
    "csm@acme.test",
    "bob@acme.test",
    "who@acme.test",
];
const INBOXES: &[&str] = &["ana@acme.test", "sales@acme.test", "success@acme.test"];
const LISTS: &[&str] = &["Do not contact", "March import", "Missing"];
const PROPERTIES: &[&str] = &[
    "lifecycle_stage",
    "employees",
    "tier",
    "trial",
    "firstname",
    "owner",
    "height",
];
const FIELDS: &[&str] = &[
    "form", "to", "from", "deal", "amount", "outcome", "property", "value", "list", "source",
];
const WORDS: &[&str] = &[
    "qualify",
    "stop",
    "closedwon",
    "no_show",
    "customer",
    "salesqualifiedlead",
    "gold",
    "import",
    "",
    "é😀",
];
const TRIGGERS: &[&str] = &[
    "form_submitted",
    "deal_stage_changed",
    "meeting_outcome",
    "meeting_booked",
    "email_replied",
    "email_bounced",
    "unsubscribed",
    "task_completed",
    "property_changed",
    "list_added",
    "list_removed",
    "contact_created",
    "no_such_trigger",
];
const CONTACTS: &[&str] = &["c-1", "c-2", "c-3", "c-4", "c-5", "c-6", "c-9"];

fn one_of(xs: &'static [&'static str]) -> impl Strategy<Value = String> + Clone {
    prop::sample::select(xs).prop_map(str::to_owned)
}

fn quoted(xs: &'static [&'static str]) -> impl Strategy<Value = String> + Clone {
    one_of(xs).prop_map(|s| format!("{s:?}"))
}

fn literal() -> impl Strategy<Value = String> + Clone {
    prop_oneof![
        quoted(WORDS),
        one_of(&["0", "-1", "10", "0.5", "1000000000000000000000"]),
        one_of(&["true", "false"]),
    ]
}

fn operand() -> impl Strategy<Value = String> + Clone {
    prop_oneof![
        one_of(PROPERTIES).prop_map(|p| format!("contact.{p}")),
        one_of(FIELDS).prop_map(|f| format!("event.{f}")),
        literal(),
    ]
}

fn test_clause() -> impl Strategy<Value = String> + Clone {
    prop_oneof![
        (
            operand(),
            one_of(&["==", "!=", "<", "<=", ">", ">="]),
            operand()
        )
            .prop_map(|(a, op, b)| format!("{a} {op} {b}")),
        (
            operand(),
            any::<bool>(),
            prop::collection::vec(literal(), 1..3)
        )
            .prop_map(|(a, not, v)| format!(
                "{a} {}in [{}]",
                if not { "not " } else { "" },
                v.join(", ")
            )),
        (operand(), quoted(WORDS)).prop_map(|(a, s)| format!("{a} contains {s}")),
        (operand(), any::<bool>())
            .prop_map(|(a, not)| format!("{a} is {}set", if not { "not " } else { "" })),
        quoted(LISTS).prop_map(|l| format!("contact in list {l}")),
    ]
}

fn condition() -> impl Strategy<Value = String> {
    test_clause().prop_recursive(3, 12, 2, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a} or {b}")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a} and {b}")),
            inner.clone().prop_map(|a| format!("not {a}")),
            inner.prop_map(|a| format!("({a})")),
        ]
    })
}

fn trigger() -> impl Strategy<Value = String> {
    (
        one_of(TRIGGERS),
        prop::option::of(literal()),
        prop::option::of((one_of(&["to", "from", "source"]), literal())),
    )
        .prop_map(|(name, first, named)| {
            let first = match name.as_str() {
                "property_changed" => Some("\"lifecycle_stage\"".to_owned()),
                "list_added" | "list_removed" => Some("\"March import\"".to_owned()),
                _ => first,
            };
            let mut args: Vec<String> = first.into_iter().collect();
            args.extend(named.map(|(n, v)| format!("{n}: {v}")));
            format!("{name}({})", args.join(", "))
        })
}

fn action() -> impl Strategy<Value = String> {
    prop_oneof![
        quoted(SEQUENCES).prop_map(|s| format!("enroll in {s} from owner")),
        (
            quoted(SEQUENCES),
            quoted(USERS),
            prop::option::of(quoted(INBOXES))
        )
            .prop_map(|(s, u, via)| {
                let via = via.map(|v| format!(" via {v}")).unwrap_or_default();
                format!("enroll in {s} from user {u}{via}")
            }),
        Just("unenroll".to_owned()),
        quoted(SEQUENCES).prop_map(|s| format!("unenroll from {s}")),
    ]
}

fn rule() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(trigger(), 1..3),
        prop::option::of(condition()),
        prop::collection::vec(action(), 1..3),
    )
        .prop_map(|(triggers, cond, actions)| {
            let cond = cond.map(|c| format!("\n  if {c}")).unwrap_or_default();
            format!(
                "when {}{cond}\n  then {}\n",
                triggers.join(" or "),
                actions.join(", ")
            )
        })
}

/// A script that parses: bare rules and workflow blocks.
fn script() -> impl Strategy<Value = String> {
    let item = prop_oneof![
        rule(),
        (
            0u8..3,
            any::<bool>(),
            prop::option::of(quoted(LISTS)),
            prop::collection::vec(rule(), 1..3)
        )
            .prop_map(|(n, reenroll, suppress, rules)| {
                let mut s = format!("workflow \"w{n}\" {{\n");
                if reenroll {
                    s.push_str("  reenroll\n");
                }
                if let Some(l) = suppress {
                    s.push_str(&format!("  suppress list {l}\n"));
                }
                for r in rules {
                    s.push_str(&r);
                }
                s.push_str("}\n");
                s
            }),
    ];
    prop::collection::vec(item, 1..5).prop_map(|items| items.concat())
}

/// The example account with knobs turned: time zone, send limits, delays,
/// weekday rule, deletion.
fn account() -> impl Strategy<Value = String> {
    (
        one_of(&[
            "UTC",
            "Europe/Warsaw",
            "America/New_York",
            "Pacific/Apia",
            "Australia/Lord_Howe",
        ]),
        prop::collection::vec(prop::sample::select(&[1u32, 2, 1000, u32::MAX][..]), 3),
        prop::collection::vec(prop::sample::select(&[0u32, 1, 2, 30, u32::MAX][..]), 4),
        prop::collection::vec(any::<bool>(), 4),
    )
        .prop_map(|(zone, limits, delays, flags)| {
            let mut a = example_account_json();
            a["timezone"] = zone.into();
            for (u, l) in limits.iter().enumerate() {
                a["users"][u]["daily_send_limit"] = (*l).into();
            }
            for (i, d) in delays.iter().enumerate() {
                let s = &mut a["sequences"][i % 3]["steps"][i % 2];
                s["delay_days"] = (*d).into();
            }
            for (i, f) in flags.iter().enumerate() {
                a["sequences"][i]["weekdays_only"] = (*f).into();
            }
            a["sequences"][1]["deleted"] = flags[3].into();
            a.to_string()
        })
}

/// One event line (mostly valid) at `at`.
fn event_line(at: String) -> impl Strategy<Value = String> {
    let c = one_of(CONTACTS);
    prop_oneof![
        (c.clone(), quoted(&["qualify", "stop", "demo"])).prop_map(|(c, f)| format!(
            r#"{{"type": "form_submitted", "contact": "{c}", "form": {f}}}"#
        )),
        (c.clone(), quoted(WORDS), -1e9f64..1e9).prop_map(|(c, to, amount)| format!(
            r#"{{"type": "deal_stage_changed", "contact": "{c}", "to": {to}, "amount": {amount}}}"#
        )),
        (c.clone(), quoted(&["no_show", "completed", "canceled"])).prop_map(|(c, o)| format!(
            r#"{{"type": "meeting_outcome", "contact": "{c}", "outcome": {o}}}"#
        )),
        (
            c.clone(),
            one_of(&[
                "meeting_booked",
                "email_replied",
                "email_bounced",
                "unsubscribed",
                "task_completed",
                "task_completed"
            ])
        )
            .prop_map(|(c, t)| format!(r#"{{"type": "{t}", "contact": "{c}"}}"#)),
        (
            c.clone(),
            prop_oneof![
                Just(("lifecycle_stage", "\"customer\"")),
                Just(("employees", "12")),
                Just(("tier", "\"gold\"")),
                Just(("owner", "\"csm@acme.test\"")),
                Just(("owner", "null")),
                Just(("trial", "true")),
            ]
        )
            .prop_map(|(c, (p, v))| format!(
                r#"{{"type": "property_changed", "contact": "{c}", "property": "{p}", "value": {v}}}"#
            )),
        (c.clone(), one_of(&["list_added", "list_removed"]), quoted(LISTS)).prop_map(
            |(c, t, l)| format!(r#"{{"type": "{t}", "contact": "{c}", "list": {l}}}"#)
        ),
        (0u32..50, quoted(USERS)).prop_map(|(n, o)| format!(
            r#"{{"type": "contact_created", "contact": "n-{n}", "owner": {o}, "source": "import"}}"#
        )),
        quoted(SEQUENCES)
            .prop_map(|s| format!(r#"{{"type": "sequence_deleted", "sequence": {s}}}"#)),
        (quoted(USERS), 1u32..4).prop_map(|(u, l)| format!(
            r#"{{"type": "user_updated", "user": {u}, "daily_send_limit": {l}}}"#
        )),
        Just("{\"type\": \"nope\"".to_owned()),
    ]
    .prop_map(move |line| match line.strip_prefix('{') {
        Some(rest) => format!("{{\"at\": \"{at}\", {rest}"),
        None => line,
    })
}

/// An event stream in time order (with an occasional step back, which the
/// reader reports), as JSON Lines.
fn events() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just(0i64),
            0..3600i64,
            0..86_400i64,
            0..(5 * 86_400i64),
            Just(-60)
        ],
        0..40,
    )
    .prop_flat_map(|steps| {
        let mut t = 1_772_439_300i64; // 2026-03-02T08:15:00Z, a Monday
        let lines: Vec<_> = steps
            .into_iter()
            .map(|d| {
                t += d;
                let at = chrono::DateTime::from_timestamp(t, 0)
                    .unwrap()
                    .format("%Y-%m-%dT%H:%M:%SZ")
                    .to_string();
                event_line(at)
            })
            .collect();
        lines.prop_map(|l| l.join("\n"))
    })
}

/// A JSON value of any shape, for mutating files.
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value as J;
    let leaf = prop_oneof![
        Just(J::Null),
        any::<bool>().prop_map(J::Bool),
        any::<i64>().prop_map(J::from),
        any::<u64>().prop_map(J::from),
        (-1e300f64..1e300).prop_map(J::from),
        ".{0,12}".prop_map(J::String),
        one_of(&[
            "ana@acme.test",
            "c-1",
            "Booking",
            "email",
            "sales_enterprise"
        ])
        .prop_map(J::String),
    ];
    leaf.prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(J::Array),
            prop::collection::btree_map(one_of(&["email", "name", "type", "x"]), inner, 0..3)
                .prop_map(|m| J::Object(m.into_iter().collect())),
        ]
    })
}

/// Every (path, value) slot of a JSON document, depth first.
fn slots(v: &serde_json::Value, path: String, out: &mut Vec<String>) {
    out.push(path.clone());
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                slots(x, format!("{path}/{k}"), out);
            }
        }
        serde_json::Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                slots(x, format!("{path}/{i}"), out);
            }
        }
        _ => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    /// The account loader gives an account or a located error for any
    /// text, JSON or TOML.
    #[test]
    fn any_account_text_is_safe(source in any::<String>(), toml in any::<bool>()) {
        if let Err(e) = wf::account::from_text("a.json", &source, toml) {
            prop_assert!(e.location.is_some() || source.is_empty(), "{e}");
            prop_assert_eq!(e.file, "a.json");
        }
    }

    /// Replacing any value of the example account with any JSON value
    /// gives an account or an error located by line and column or path.
    #[test]
    fn mutated_accounts_get_located_errors(pick in any::<prop::sample::Index>(), value in json_value()) {
        let mut a = example_account_json();
        let mut all = Vec::new();
        slots(&a, String::new(), &mut all);
        let path = pick.get(&all).clone();
        if let Some(slot) = a.pointer_mut(&path) {
            *slot = value;
        }
        let source = serde_json::to_string_pretty(&a).unwrap();
        if let Err(e) = wf::account::from_text("a.json", &source, false) {
            prop_assert!(e.location.is_some(), "{path}: {e}");
            prop_assert!(!e.message.is_empty());
        }
    }

    /// Any text is an event or a message placed on a column of the line,
    /// never a panic.
    #[test]
    fn any_event_line_is_safe(line in any::<String>()) {
        if let Err(m) = parse_event(&line, None) {
            prop_assert!(!m.message.is_empty());
            let column = m.column(&line);
            prop_assert!((1..=line.chars().count() + 1).contains(&column), "{column}: {m}");
        }
    }

    /// Replacing any field of a valid event with any JSON value gives an
    /// event or a message; references are then checked without a panic.
    #[test]
    fn mutated_events_are_safe(
        field in one_of(&["at", "type", "contact", "form", "amount", "value", "owner", "properties", "daily_send_limit"]),
        value in json_value(),
    ) {
        let account = example_account();
        let mut e: serde_json::Value = serde_json::from_str(
            r#"{"at": "2026-03-02T08:15:00Z", "type": "form_submitted", "contact": "c-1", "form": "qualify"}"#,
        ).unwrap();
        e[field.as_str()] = value;
        match parse_event(&e.to_string(), None) {
            Ok(event) => {
                // A text field reads back as written.
                match (field.as_str(), e[field.as_str()].as_str()) {
                    ("contact", Some(text)) => prop_assert_eq!(event.contact(), Some(text)),
                    ("form", Some(text)) => {
                        prop_assert_eq!(event.field("form"), Some(wf::value::ValueRef::Text(text)));
                    }
                    _ => {}
                }
                // A contact the account does not have is refused, unless
                // the event creates it.
                let verdict = Validator::new(&account).check(&event);
                let creates = event.event_type() == wf::runtime::EventType::ContactCreated;
                if let Some(contact) = event.contact()
                    && account.contact(contact).is_none()
                    && !creates
                {
                    prop_assert!(verdict.is_err(), "{} accepted for unknown contact {}", e, contact);
                }
            }
            Err(m) => {
                let text = m.message.as_str();
                prop_assert!(!text.is_empty());
                for word in ["u32", "f64", "RawEvent", "untagged", "Scalar"] {
                    prop_assert!(!text.contains(word), "{}", m);
                }
            }
        }
    }

    /// Checking generated scripts is repeatable, and every diagnostic
    /// lies inside its file and renders under its code.
    #[test]
    fn checking_generated_scripts_is_safe(s in script()) {
        let account = example_account();
        let (sources, programs) = programs(std::slice::from_ref(&s));
        let diagnostics = wf::check::check(&programs, &account);
        for d in &diagnostics {
            prop_assert!(d.span.start <= d.span.end && d.span.end <= s.len());
            let rendered = d.render(&sources, false);
            let header = format!("[{}]", d.code);
            prop_assert!(rendered.starts_with(&header), "{}", rendered);
        }
        prop_assert_eq!(diagnostics, wf::check::check(&programs, &account));
    }

    /// The runtime is a pure function: generated scripts, accounts and
    /// event streams give the same records twice, numbered from 1, in
    /// time order, and never panic the engine.
    #[test]
    fn runtime_is_deterministic(scripts in prop::collection::vec(script(), 1..3), account_text in account(), stream in events()) {
        let account = wf::account::from_text("a.json", &account_text, false).unwrap();
        let (sources, programs) = programs(&scripts);
        let first = replay(&account, &sources, &programs, &stream, None);
        let second = replay(&account, &sources, &programs, &stream, None);
        prop_assert_eq!(&first, &second);
        for (i, r) in first.iter().enumerate() {
            prop_assert_eq!(r.seq, i as u64 + 1);
        }
        for w in first.windows(2) {
            prop_assert!(w[0].at <= w[1].at, "{:?} then {:?}", w[0], w[1]);
        }
        let last = chrono::DateTime::from_timestamp(wf::runtime::engine::schedule::LAST, 0).unwrap();
        prop_assert!(first.iter().all(|r| r.at <= last));
    }
}

// ---------------------------------------------------------------------
// Limits
// ---------------------------------------------------------------------

fn account_with(change: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut a = example_account_json();
    change(&mut a);
    serde_json::to_string_pretty(&a).unwrap()
}

#[test]
fn numbers_out_of_range_in_accounts_are_located_errors() {
    let cases: Vec<(String, &str)> = vec![
        (
            account_with(|a| a["users"][0]["daily_send_limit"] = 0.into()),
            "expected a whole number from 1 to 4294967295, found the number `0`",
        ),
        (
            account_with(|a| a["users"][0]["daily_send_limit"] = (1u64 << 40).into()),
            "1099511627776",
        ),
        (
            account_with(|a| a["sequences"][0]["steps"][1]["delay_days"] = (1u64 << 40).into()),
            "1099511627776",
        ),
        (
            account_with(|a| a["sequences"][0]["steps"][1]["delay_days"] = (-1).into()),
            "-1",
        ),
        (
            account_with(|a| a["contacts"][0]["properties"]["employees"] = 7.into())
                .replace("\"employees\": 7", "\"employees\": 1e400"),
            "number out of range",
        ),
        (
            account_with(|a| a["timezone"] = "Mars/Olympus".into()),
            "unknown time zone `Mars/Olympus`",
        ),
        (
            format!(
                "{{\"contacts\": [{{\"id\": \"c\", \"properties\": {{\"x\": {}}}}}]}}",
                "[".repeat(100_000)
            ),
            "lists and objects are nested too deeply",
        ),
    ];
    for (source, needle) in cases {
        let e = wf::account::from_text("a.json", &source, false).unwrap_err();
        assert!(
            matches!(e.location, Some(wf::diagnostic::Location::LineColumn(..))),
            "{e}"
        );
        assert!(e.to_string().contains(needle), "{needle}: {e}");
    }
    // The largest limit and delay load.
    let big = account_with(|a| {
        a["users"][0]["daily_send_limit"] = u32::MAX.into();
        a["sequences"][0]["steps"][1]["delay_days"] = u32::MAX.into();
    });
    assert!(wf::account::from_text("a.json", &big, false).is_ok());
    // TOML nests too deeply, or overflows, with a location.
    let deep = format!("timezone = \"UTC\"\nx = {}", "[".repeat(100_000));
    let e = wf::account::from_text("a.toml", &deep, true).unwrap_err();
    assert!(e.location.is_some(), "{e}");
    let e = wf::account::from_text("a.toml", "timezone = 1e400\n", true).unwrap_err();
    assert!(e.location.is_some(), "{e}");
    // TOML has `nan` and `inf`; JSON values cannot hold them (they would
    // read as `null`, an unset property): refused at their place.
    let valid =
        std::fs::read_to_string(root().join("tests/fixtures/account/valid/account.toml")).unwrap();
    assert!(valid.contains("employees = 40"));
    for bad in ["nan", "+inf", "-inf"] {
        let source = valid.replace("employees = 40", &format!("employees = {bad}"));
        let e = wf::account::from_text("a.toml", &source, true).unwrap_err();
        assert!(
            e.to_string()
                .contains("properties.employees`: `nan` and `inf`"),
            "{e}"
        );
        assert!(
            matches!(e.location, Some(wf::diagnostic::Location::LineColumn(..))),
            "{e}"
        );
    }
}

#[test]
fn times_outside_the_years_0000_to_9999_are_errors() {
    for at in [
        "99999-01-01T00:00:00Z",
        "-0001-01-01T00:00:00Z",
        "0000-01-01T00:00:00+01:00",
        "9999-12-31T23:59:59-01:00",
        "2026-02-30T08:00:00Z",
        "2026-03-02T08:00:00",
    ] {
        let line = format!(r#"{{"at": "{at}", "type": "email_replied", "contact": "c-1"}}"#);
        let m = parse_event(&line, None).unwrap_err();
        assert!(m.message.contains(at), "{at}: {m}");
    }
    for at in ["0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z"] {
        let line = format!(r#"{{"at": "{at}", "type": "email_replied", "contact": "c-1"}}"#);
        assert!(parse_event(&line, None).is_ok(), "{at}");
    }
    // A leap second is rejected: the runtime's whole seconds have none.
    let m = parse_event(
        r#"{"at": "2026-06-30T23:59:60Z", "type": "email_replied", "contact": "c-1"}"#,
        None,
    )
    .unwrap_err();
    assert!(m.message.contains("no second 60"), "{m}");
}

#[test]
fn numbers_out_of_range_in_events_are_errors() {
    for (fields, needle) in [
        (
            r#""type": "deal_stage_changed", "contact": "c-1", "to": "x", "amount": 1e400"#,
            "number out of range",
        ),
        (
            r#""type": "property_changed", "contact": "c-1", "property": "employees", "value": -1e400"#,
            "number out of range",
        ),
        (
            r#""type": "property_changed", "contact": "c-1", "property": "employees", "value": NaN"#,
            "expected value",
        ),
        (
            r#""type": "user_updated", "user": "ana@acme.test", "daily_send_limit": 1099511627776"#,
            "from 1 to 4294967295",
        ),
        (
            r#""type": "user_updated", "user": "ana@acme.test", "daily_send_limit": 0"#,
            "at least 1",
        ),
    ] {
        let line = format!(r#"{{"at": "2026-03-02T08:15:00Z", {fields}}}"#);
        let m = parse_event(&line, None).unwrap_err();
        assert!(m.message.contains(needle), "{needle}: {m}");
    }
    // Integers beyond 2^64 are read as floating point, like any JSON number.
    let e = parse_event(
        r#"{"at": "2026-03-02T08:15:00Z", "type": "deal_stage_changed", "contact": "c-1", "to": "x", "amount": 123456789012345678901234567890}"#,
        None,
    )
    .unwrap();
    assert_eq!(
        e.field("amount"),
        Some(wf::value::ValueRef::Number(1.2345678901234568e29))
    );
    // Nesting beyond serde_json's recursion limit is an error, not a crash.
    let deep = format!(
        r#"{{"at": "2026-03-02T08:15:00Z", "type": "contact_created", "contact": "n", "properties": {{"firstname": {}}}}}"#,
        "[".repeat(100_000)
    );
    assert!(parse_event(&deep, None).is_err());
    assert!(parse_event(&"[".repeat(100_000), None).is_err());
}

#[test]
fn steps_after_the_year_9999_never_run() {
    let account_text = account_with(|a| {
        a["sequences"][0]["steps"][1]["delay_days"] = u32::MAX.into();
    });
    let account = wf::account::from_text("a.json", &account_text, false).unwrap();
    let script = std::fs::read_to_string(example("qualify.wf")).unwrap();
    let (sources, programs) = programs(&[script]);
    let events = std::fs::read_to_string(example("events.jsonl")).unwrap();
    let records = replay(&account, &sources, &programs, &events, None);
    assert!(!records.is_empty());
    // Step 1 runs; step 2, due millions of years later, never does.
    assert!(records.iter().any(|r| r.step == Some(1)));
    assert!(records.iter().all(|r| r.step != Some(2)), "{records:#?}");
    for r in &records {
        let at = wf::runtime::engine::record::format_at(&r.at);
        assert_eq!(at.len(), 20, "{at}");
    }
}

#[test]
fn send_limits_at_their_bounds() {
    // One email a day: the second enrollment of the same sender waits 24 h.
    let one = account_with(|a| a["users"][0]["daily_send_limit"] = 1.into());
    let max = account_with(|a| a["users"][0]["daily_send_limit"] = u32::MAX.into());
    let script = "when form_submitted(\"qualify\") then enroll in \"Onboarding\" from user \"ana@acme.test\"\n".to_owned();
    let (sources, programs) = programs(&[script]);
    let events = "{\"at\": \"2026-03-02T08:15:00Z\", \"type\": \"form_submitted\", \"contact\": \"c-1\", \"form\": \"qualify\"}\n\
                  {\"at\": \"2026-03-02T08:16:00Z\", \"type\": \"form_submitted\", \"contact\": \"c-3\", \"form\": \"qualify\"}\n";
    let count = |account: &str, decision: &str| {
        let account = wf::account::from_text("a.json", account, false).unwrap();
        replay(&account, &sources, &programs, events, None)
            .iter()
            .filter(|r| r.decision.as_str() == decision)
            .count()
    };
    // The limit is checked when enrolling: the second contact is skipped.
    assert_eq!(count(&one, "skip"), 1);
    assert_eq!(count(&max, "skip"), 0);
    assert_eq!(count(&max, "email_sent"), 4);
}

#[test]
fn many_rules_contacts_and_events_run() {
    // 2,000 rules, 20,000 contacts created by events, 40,000 events.
    let mut script = String::new();
    for i in 0..2_000 {
        script.push_str(&format!(
            "when form_submitted(\"f{i}\") then enroll in \"Booking\" from owner\n"
        ));
    }
    let account = example_account();
    let (sources, programs) = programs(&[script]);
    let started = std::time::Instant::now();
    let diagnostics = wf::check::check(&programs, &account);
    assert!(diagnostics.iter().all(|d| !d.is_error()));
    let mut events = String::new();
    for i in 0..20_000 {
        events.push_str(&format!(
            "{{\"at\": \"2026-03-02T08:00:00Z\", \"type\": \"contact_created\", \"contact\": \"n-{i}\", \"owner\": \"ana@acme.test\"}}\n\
             {{\"at\": \"2026-03-02T08:00:00Z\", \"type\": \"form_submitted\", \"contact\": \"n-{i}\", \"form\": \"f{}\"}}\n",
            i % 2_000
        ));
    }
    let records = replay(&account, &sources, &programs, &events, None);
    let count = |d: &str| records.iter().filter(|r| r.decision.as_str() == d).count();
    // Every form is decided: 1,000 enrolled, the rest over the send limit.
    assert_eq!(count("enroll"), 1_000);
    assert_eq!(count("enroll") + count("skip"), 20_000);
    // Far below a minute even in a debug build: nothing is quadratic.
    assert!(started.elapsed().as_secs() < 60, "{:?}", started.elapsed());
}

#[test]
fn large_accounts_load() {
    // 50,000 contacts, a list of 25,000 of them.
    let text = account_with(|a| {
        a["contacts"] = (0..50_000)
            .map(|i| serde_json::json!({"id": format!("c-{i}"), "owner": "ana@acme.test", "properties": {"employees": i}}))
            .collect();
        a["lists"][0]["members"] = (0..50_000)
            .step_by(2)
            .map(|i| serde_json::Value::from(format!("c-{i}")))
            .collect();
        a["lists"][1]["members"] = serde_json::json!([]);
    });
    let account = wf::account::from_text("big.json", &text, false).unwrap();
    assert_eq!(account.contacts.len(), 50_000);
    let engine = Engine::new(&account, &Sources::new(), &[]);
    assert!(engine.contact("c-49998").unwrap().lists.len() == 1);
}

#[test]
fn long_strings_and_lines_are_accepted() {
    let name = "x".repeat(1 << 20);
    let line = format!(
        r#"{{"at": "2026-03-02T08:15:00Z", "type": "form_submitted", "contact": "c-1", "form": "{name}"}}"#
    );
    let e = parse_event(&line, None).unwrap();
    assert!(matches!(
        e.kind,
        wf::runtime::engine::EventKind::FormSubmitted { ref form, .. } if form.len() == 1 << 20
    ));
}

// ---------------------------------------------------------------------
// Error paths through the binary
// ---------------------------------------------------------------------

const GOOD: &str = r#"{"at": "2026-03-02T08:15:00Z", "type": "form_submitted", "contact": "c-1", "form": "qualify"}"#;

/// Files for one case: scripts, account and events in a fresh directory.
struct Case {
    dir: PathBuf,
}

impl Case {
    fn new(tag: &str) -> Case {
        let dir = tempdir(tag);
        std::fs::copy(example("qualify.wf"), dir.join("qualify.wf")).unwrap();
        std::fs::copy(example("account.json"), dir.join("account.json")).unwrap();
        std::fs::write(dir.join("events.jsonl"), format!("{GOOD}\n")).unwrap();
        Case { dir }
    }

    fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> &Case {
        std::fs::write(self.dir.join(name), bytes).unwrap();
        self
    }

    fn path(&self, name: &str) -> String {
        self.dir.join(name).display().to_string()
    }

    fn run(&self, script: &str, account: &str, events: &str) -> Output {
        wf(&[
            "run",
            &self.path(script),
            "--account",
            &self.path(account),
            "--events",
            &self.path(events),
        ])
    }
}

impl Drop for Case {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Asserts exit 2 and an error line naming `place` (file and location).
fn assert_input_error(out: &Output, place: &str, what: &str) {
    assert_no_panic(out);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(place), "expected `{place}` in {stderr}");
    assert!(stderr.contains(what), "expected `{what}` in {stderr}");
}

#[test]
fn bad_account_files_are_exit_2_with_a_location() {
    let base = example_account_json();
    let mut unknown = base.clone();
    unknown["users"][1]["colour"] = "red".into();
    let mut wrong = base.clone();
    wrong["sequences"][0]["weekdays_only"] = "yes".into();
    let mut duplicate = base.clone();
    duplicate["contacts"][1]["id"] = "c-1".into();
    let mut owner = base.clone();
    owner["contacts"][2]["owner"] = "ghost@acme.test".into();
    let mut member = base.clone();
    member["lists"][0]["members"][0] = "c-404".into();
    let mut zone = base.clone();
    zone["timezone"] = "Europe/Warsa".into();
    let pretty = |v: &serde_json::Value| serde_json::to_string_pretty(v).unwrap();
    let cases: Vec<(&str, Vec<u8>, &str, &str)> = vec![
        (
            "malformed.json",
            b"{\"users\": [}".to_vec(),
            "malformed.json:1:",
            "expected",
        ),
        (
            "malformed.toml",
            b"timezone = \n".to_vec(),
            "malformed.toml:1:",
            "",
        ),
        (
            "unknown.json",
            pretty(&unknown).into_bytes(),
            "unknown.json:",
            "unknown field `colour`",
        ),
        (
            "unknown.toml",
            b"colour = \"red\"\n".to_vec(),
            "unknown.toml:1:1",
            "unknown field `colour`",
        ),
        (
            "wrong.json",
            pretty(&wrong).into_bytes(),
            "wrong.json:",
            "expected `true` or `false`, found the string",
        ),
        (
            "duplicate.json",
            pretty(&duplicate).into_bytes(),
            "duplicate.json:",
            "contacts[1].id",
        ),
        (
            "owner.json",
            pretty(&owner).into_bytes(),
            "owner.json:",
            "ghost@acme.test",
        ),
        (
            "member.json",
            pretty(&member).into_bytes(),
            "member.json:",
            "c-404",
        ),
        (
            "zone.json",
            pretty(&zone).into_bytes(),
            "zone.json:",
            "Europe/Warsa",
        ),
        (
            "latin1.json",
            b"{\"timezone\": \"Europe/Z\xfcrich\"}".to_vec(),
            "latin1.json",
            "not valid UTF-8",
        ),
        ("empty.json", Vec::new(), "empty.json:1:", "EOF"),
    ];
    for (name, bytes, place, what) in cases {
        let case = Case::new("account");
        case.write(name, &bytes);
        let out = case.run("qualify.wf", name, "events.jsonl");
        assert_input_error(&out, place, what);
        assert!(out.stdout.is_empty());
        // `wf check` reads accounts the same way.
        let out = wf(&[
            "check",
            &case.path("qualify.wf"),
            "--account",
            &case.path(name),
        ]);
        assert_input_error(&out, place, what);
    }
}

#[test]
fn bad_event_lines_are_exit_2_after_earlier_records() {
    let cases = [
        ("{\"at\": ", "EOF while parsing", "malformed"),
        (
            r#"{"at": "2026-03-02T09:00:00Z", "type": "email_opened", "contact": "c-1"}"#,
            "unknown event type `email_opened`",
            "unknown type",
        ),
        (
            r#"{"at": "2026-03-02T09:00:00Z", "type": "email_replied", "contact": "c-1", "mood": 1}"#,
            "unknown field `mood`",
            "unknown field",
        ),
        (
            r#"{"at": "2026-03-02T09:00:00Z", "type": "email_replied", "contact": 7}"#,
            "invalid type",
            "wrong type",
        ),
        (
            r#"{"at": "2026-03-02T08:00:00Z", "type": "email_replied", "contact": "c-1"}"#,
            "earlier than the event before it",
            "out of order",
        ),
        (
            r#"{"at": "2026-03-02T09:00:00Z", "type": "email_replied", "contact": "c-404"}"#,
            "unknown contact `c-404`",
            "unknown contact",
        ),
        (
            "{\"at\": \"2026-03-02T09:00:00Z\", \"type\": \"form_submitted\", \"contact\": \"c-1\", \"form\": \"\u{0}\"}",
            "",
            "control character",
        ),
    ];
    for (bad, what, label) in cases {
        let case = Case::new("events");
        let mut bytes = format!("{GOOD}\n\n{bad}\n{GOOD}\n").into_bytes();
        if label == "control character" {
            // A raw NUL inside a JSON string is not allowed.
            bytes = format!("{GOOD}\n\n").into_bytes();
            bytes.extend_from_slice(bad.as_bytes());
            bytes.push(b'\n');
        }
        case.write("events.jsonl", &bytes);
        let out = case.run("qualify.wf", "account.json", "events.jsonl");
        assert_input_error(&out, "events.jsonl:3:", what);
        // Every record of the earlier events is on standard output.
        let stdout = text(&out.stdout);
        assert_eq!(stdout.lines().count(), 1, "{label}: {stdout}");
        assert!(stdout.contains(r#""decision":"enroll""#), "{label}");
    }
    // A line that is not UTF-8.
    let case = Case::new("events-utf8");
    let mut bytes = format!("{GOOD}\n").into_bytes();
    bytes.extend_from_slice(b"{\"at\": \"2026-03-02T09:00:00Z\", \"type\": \"form_submitted\", \"contact\": \"c-1\", \"form\": \"\xff\"}\n");
    case.write("events.jsonl", &bytes);
    let out = case.run("qualify.wf", "account.json", "events.jsonl");
    assert_input_error(&out, "events.jsonl:2:1: ", "not valid UTF-8");
    assert_eq!(text(&out.stdout).lines().count(), 1);
}

#[test]
fn bad_script_files() {
    let case = Case::new("scripts");
    case.write(
        "latin1.wf",
        b"# caf\xe9\nwhen meeting_booked() then unenroll\n",
    );
    let out = case.run("latin1.wf", "account.json", "events.jsonl");
    assert_input_error(&out, "latin1.wf:1:6", "not valid UTF-8");
    let out = wf(&[
        "check",
        &case.path("latin1.wf"),
        "--account",
        &case.path("account.json"),
    ]);
    assert_input_error(&out, "latin1.wf:1:6", "not valid UTF-8");
    let out = wf(&["fmt", &case.path("latin1.wf")]);
    assert_input_error(&out, "latin1.wf:1:6", "not valid UTF-8");
    // A syntax error is exit 1 with the line and column.
    case.write(
        "bad.wf",
        "when form_submitted(\"x\")\n  then enrol in \"Booking\" from owner\n",
    );
    let out = case.run("bad.wf", "account.json", "events.jsonl");
    assert_no_panic(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("bad.wf:2:8"),
        "{}",
        text(&out.stderr)
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn missing_unreadable_and_directory_inputs_are_exit_2() {
    let case = Case::new("files");
    std::fs::create_dir(case.dir.join("dir.wf")).unwrap();
    std::fs::create_dir(case.dir.join("dir.json")).unwrap();
    std::fs::create_dir(case.dir.join("dir.jsonl")).unwrap();
    for (script, account, events, place) in [
        ("missing.wf", "account.json", "events.jsonl", "missing.wf"),
        ("dir.wf", "account.json", "events.jsonl", "dir.wf"),
        // A path through a file cannot be read (even by root).
        (
            "qualify.wf/x.wf",
            "account.json",
            "events.jsonl",
            "qualify.wf/x.wf",
        ),
        ("qualify.wf", "missing.json", "events.jsonl", "missing.json"),
        ("qualify.wf", "dir.json", "events.jsonl", "dir.json"),
        (
            "qualify.wf",
            "qualify.wf/a.json",
            "events.jsonl",
            "qualify.wf/a.json",
        ),
        (
            "qualify.wf",
            "account.json",
            "missing.jsonl",
            "missing.jsonl",
        ),
        ("qualify.wf", "account.json", "dir.jsonl", "dir.jsonl"),
        (
            "qualify.wf",
            "account.json",
            "qualify.wf/e.jsonl",
            "qualify.wf/e.jsonl",
        ),
    ] {
        let out = case.run(script, account, events);
        assert_input_error(&out, place, "");
        assert!(out.stdout.is_empty());
    }
    // A file without read permission (where permissions apply: not for root).
    use std::os::unix::fs::PermissionsExt;
    case.write("locked.json", "{}");
    let locked = case.dir.join("locked.json");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&locked).is_err() {
        let out = case.run("qualify.wf", "locked.json", "events.jsonl");
        assert_input_error(&out, "locked.json", "ermission denied");
    }
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o644)).unwrap();
}

#[test]
fn closed_standard_output_ends_quietly() {
    let case = Case::new("pipe");
    let mut events = String::new();
    for i in 0..5_000 {
        events.push_str(&format!(
            "{{\"at\": \"2026-03-02T08:00:00Z\", \"type\": \"contact_created\", \"contact\": \"n-{i}\", \"owner\": \"ana@acme.test\"}}\n\
             {{\"at\": \"2026-03-02T08:00:00Z\", \"type\": \"form_submitted\", \"contact\": \"n-{i}\", \"form\": \"qualify\"}}\n"
        ));
    }
    case.write("events.jsonl", events);
    case.write(
        "all.wf",
        "when form_submitted(\"qualify\") then enroll in \"Booking\" from owner\n",
    );
    // `wf run … | head -1`: read one line, then close the pipe.
    let mut child = Command::new(env!("CARGO_BIN_EXE_wf"))
        .args([
            "run",
            &case.path("all.wf"),
            "--account",
            &case.path("account.json"),
        ])
        .args(["--events", &case.path("events.jsonl"), "--steps"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    reader.read_line(&mut first).unwrap();
    assert!(first.starts_with("{\"seq\":1,"), "{first}");
    drop(reader);
    let out = child.wait_with_output().unwrap();
    assert_no_panic(&out);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
}

/// Runs `wf` with one standard stream already closed by its reader.
fn with_closed(stream: &str, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_wf"));
    cmd.args(args).env("NO_COLOR", "1");
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    if stream == "stdout" {
        cmd.stdout(writer).stderr(Stdio::piped());
    } else {
        cmd.stderr(writer).stdout(Stdio::piped());
    }
    cmd.output().unwrap()
}

#[test]
fn closed_streams_are_not_internal_errors() {
    let case = Case::new("closed");
    case.write(
        "bad.wf",
        "when form_submitted(\"x\") then enroll in \"Nope\" from owner\n",
    );
    let check = [
        "check",
        &case.path("bad.wf"),
        "--account",
        &case.path("account.json"),
    ];
    // Human diagnostics into a closed standard error: still exit 1.
    let out = with_closed("stderr", &check);
    assert_eq!(out.status.code(), Some(1));
    let out = with_closed("stderr", &["explain", "E9999"]);
    assert_eq!(out.status.code(), Some(2));
    let out = with_closed("stderr", &["fmt", &case.path("missing.wf")]);
    assert_eq!(out.status.code(), Some(2));
    let out = with_closed("stdout", &["explain", "E0101"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_no_panic(&out);
    let out = with_closed(
        "stderr",
        &[
            "run",
            &case.path("qualify.wf"),
            "--account",
            &case.path("missing.json"),
            "--events",
            &case.path("events.jsonl"),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
}

// ---------------------------------------------------------------------
// The REPL against `wf run`
// ---------------------------------------------------------------------

/// The lines of `stream` that `wf run` accepts against the example
/// account, in order (shape, time order and references checked).
fn valid_lines(stream: &str, account: &Account) -> Vec<String> {
    let lines: Vec<&str> = stream.lines().collect();
    let mut validator = Validator::new(account);
    let mut last = None;
    let mut out = Vec::new();
    for line in lines {
        let Ok(e) = parse_event(line, None) else {
            continue;
        };
        if last.is_some_and(|t| e.at < t) || validator.check(&e).is_err() {
            continue;
        }
        last = Some(e.at);
        out.push(line.to_owned());
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

    /// Splitting an event stream into two `:events` loads in the REPL,
    /// then letting time run out, gives the same trace as one `wf run
    /// --steps` over the whole stream.
    #[test]
    fn split_repl_loads_match_one_run(stream in events(), split in any::<prop::sample::Index>()) {
        let account = example_account();
        let lines = valid_lines(&stream, &account);
        let k = split.index(lines.len() + 1);
        let dir = tempdir("split");
        let write = |name: &str, lines: &[String]| {
            let path = dir.join(name);
            let mut text = lines.join("\n");
            text.push('\n');
            std::fs::write(&path, text).unwrap();
            path.display().to_string()
        };
        let all = write("all.jsonl", &lines);
        let first = write("first.jsonl", &lines[..k]);
        let second = write("second.jsonl", &lines[k..]);
        let scripts: Vec<PathBuf> = ["qualify.wf", "handoff.wf", "no_show.wf", "unenroll.wf"]
            .iter()
            .map(|s| example(s))
            .collect();
        let mut args = vec!["run".to_owned()];
        args.extend(scripts.iter().map(|p| p.display().to_string()));
        args.extend(["--account", "", "--events", &all, "--steps", "--format", "table"].map(str::to_owned));
        args[scripts.len() + 2] = example("account.json").display().to_string();
        let out = Command::new(env!("CARGO_BIN_EXE_wf")).args(&args).output().unwrap();
        prop_assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let run = text(&out.stdout);

        let (mut session, _) = wf::repl::Session::new(Some(account), &scripts).unwrap();
        for file in [&first, &second] {
            let shown = session.handle(&format!(":events {file}")).text;
            prop_assert!(!shown.contains("error"), "{}", shown);
        }
        // `wf run` runs out the schedule after the last event; the REPL
        // lets time pass on request (a century covers every step here).
        session.handle(":advance 36500d");
        let trace = session.handle(":trace 1000000").text;
        let _ = std::fs::remove_dir_all(&dir);
        if run.is_empty() {
            prop_assert_eq!(trace, "no records\n");
        } else {
            prop_assert_eq!(trace, run);
        }
    }
}

#[test]
fn the_repl_clock_stops_at_the_year_9999() {
    let (mut session, _) = wf::repl::Session::new(Some(example_account()), &[]).unwrap();
    for _ in 0..100 {
        session.handle(":advance 36500d");
    }
    let time = session.handle(":time").text;
    assert!(time.starts_with("99"), "{time}");
    assert!(
        session
            .handle(":advance 36500d")
            .text
            .contains("error: cannot advance")
    );
    // Events without `at` take the clock, which stays printable.
    session
        .handle(r#":event {"type": "contact_created", "contact": "x", "owner": "ana@acme.test"}"#);
    let shown =
        session.handle(r#":event {"type": "form_submitted", "contact": "x", "form": "qualify"}"#);
    assert!(!shown.text.contains("+1"), "{}", shown.text);
    for bad in [
        ":advance 9999999999999999999999d",
        ":advance 1d-",
        ":advance -1d",
        ":advance",
    ] {
        assert!(session.handle(bad).text.starts_with("error:"), "{bad}");
    }
}
