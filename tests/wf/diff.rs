//! Integration tests: `wf diff` through the real binary on the bundled
//! examples, and the law that its differing contacts are exactly those
//! two separate replays (`wf run`'s output) disagree on.

use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const EXAMPLES: [&str; 4] = ["qualify.wf", "handoff.wf", "no_show.wf", "unenroll.wf"];

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples")
}

fn tempdir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("diff-{name}"));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `wf diff` in the examples folder (its `wf.toml` gives the account,
/// the events and the scripts left out).
fn wf_diff(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wf"))
        .arg("diff")
        .args(args)
        .current_dir(examples())
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// The examples with `qualify.wf`'s employee threshold raised to 100.
fn raised_threshold() -> Vec<String> {
    let dir = tempdir("raised");
    let text = std::fs::read_to_string(examples().join("qualify.wf")).unwrap();
    let changed = text.replace("contact.employees >= 10", "contact.employees >= 100");
    assert_ne!(text, changed);
    std::fs::write(dir.join("qualify.wf"), changed).unwrap();
    let mut files = vec![dir.join("qualify.wf").display().to_string()];
    files.extend(EXAMPLES[1..].iter().map(|f| (*f).to_owned()));
    files
}

fn args<'a>(head: &[&'a str], files: &'a [String], tail: &[&'a str]) -> Vec<&'a str> {
    let mut v = head.to_vec();
    v.extend(files.iter().map(String::as_str));
    v.extend(tail);
    v
}

#[test]
fn identical_scripts_have_no_differences() {
    let out = wf_diff(&args(&["--old"], &[], &EXAMPLES));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).starts_with("no differences (10 contacts touched)"));
}

#[test]
fn a_reformatted_script_with_moved_rules_is_no_difference() {
    // One file instead of four, rules on other lines and laid out
    // otherwise, in the same order.
    let dir = tempdir("moved");
    let mut all = String::from("# everything in one file\n\n\n");
    for f in EXAMPLES {
        let text = std::fs::read_to_string(examples().join(f)).unwrap();
        all.push_str(&text.replace("\n  then", " then").replace("  ", "    "));
        all.push_str("\n# moved down\n\n");
    }
    std::fs::write(dir.join("all.wf"), &all).unwrap();
    let path = dir.join("all.wf").display().to_string();
    let out = wf_diff(&[
        "--old",
        "qualify.wf",
        "handoff.wf",
        "no_show.wf",
        "unenroll.wf",
        "--new",
        &path,
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(stdout(&out).starts_with("no differences"));
}

#[test]
fn a_raised_threshold_shows_the_contacts_it_affects() {
    let files = raised_threshold();
    let out = wf_diff(&args(&["--new"], &files, &[]));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with("7 of 10 contacts touched differ\n"),
        "{text}"
    );
    assert!(text.contains("  no longer enrolled        4\n"), "{text}");
    let shown: Vec<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("contact "))
        .map(|l| l.split(':').next().unwrap())
        .collect();
    assert_eq!(shown, ["c-1", "c-4", "c-6", "c-7", "c-8", "c-9", "c-10"]);
    // The rule's location is shown beside each record.
    assert!(text.contains("enroll Booking ana@acme.test (qualify.wf:2)"));
    // --limit cuts the list and says how many are left.
    let out = wf_diff(&args(&["--new"], &files, &["--limit", "2"]));
    let text = stdout(&out);
    assert_eq!(text.matches("\ncontact ").count(), 2);
    assert!(text.contains("… and 5 more differing contacts"), "{text}");
}

#[test]
fn one_contact_in_full() {
    let files = raised_threshold();
    let out = wf_diff(&args(&["--new"], &files, &["--contact", "c-7"]));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stdout(&out),
        "contact c-7: records differ\n\
         \x20   old                                                        | new\n\
         \x20 - 2026-03-02T11:05:00Z skip Booking no_owner (qualify.wf:2)  |\n"
    );
    let out = wf_diff(&args(&["--new"], &files, &["--contact", "c-2"]));
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).starts_with("contact c-2: same records on both sides\n"));
    let out = wf_diff(&args(&["--new"], &files, &["--contact", "c-99"]));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no contact `c-99`"));
}

#[test]
fn steps_show_emails_and_send_limits_by_sender() {
    let files = raised_threshold();
    let out = wf_diff(&args(&["--new"], &files, &["--steps"]));
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    // Piotr (a limit of 2 a day) reaches it on 2 March and 6 March with the
    // old rules; with the new ones his three contacts are no longer enrolled.
    let piotr = text
        .lines()
        .find(|l| l.starts_with("piotr@acme.test"))
        .unwrap();
    let cells: Vec<&str> = piotr
        .split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    assert_eq!(
        cells,
        ["piotr@acme.test", "6", "1", "2026-03-02, 2026-03-06", "-"]
    );
    let json = wf_diff(&args(&["--new"], &files, &["--steps", "--format", "json"]));
    let last: serde_json::Value =
        serde_json::from_str(stdout(&json).lines().last().unwrap()).unwrap();
    let senders = &last["summary"]["senders"];
    assert_eq!(senders["piotr@acme.test"]["emails_old"], 6);
    assert_eq!(
        senders["piotr@acme.test"]["limit_days_old_only"],
        serde_json::json!(["2026-03-02", "2026-03-06"])
    );
    assert_eq!(
        senders["ana@acme.test"]["limit_days_new_only"],
        serde_json::json!([])
    );
    // Without --steps there are no step records and no sender table.
    let plain = wf_diff(&args(&["--new"], &files, &["--format", "json"]));
    let last: serde_json::Value =
        serde_json::from_str(stdout(&plain).lines().last().unwrap()).unwrap();
    assert!(last["summary"].get("senders").is_none());
}

#[test]
fn json_is_one_object_per_differing_contact_then_a_summary() {
    let files = raised_threshold();
    let out = wf_diff(&args(&["--new"], &files, &["--format", "json"]));
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 8);
    for line in &lines[..7] {
        assert!(line.starts_with("{\"contact\":\"c-"), "{line}");
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let keys: BTreeSet<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, BTreeSet::from(["contact", "old", "new"]));
        for record in v["old"]
            .as_array()
            .unwrap()
            .iter()
            .chain(v["new"].as_array().unwrap())
        {
            assert_eq!(record["contact"], v["contact"]);
            assert!(record.get("seq").is_some() && record.get("rule").is_some());
        }
    }
    // Records are written as `wf run` writes them, fields in trace order.
    assert!(lines[6].starts_with(
        "{\"contact\":\"c-10\",\"old\":[{\"seq\":14,\"at\":\"2026-03-06T09:45:00Z\",\"decision\":\"enroll\""
    ));
    let summary: serde_json::Value = serde_json::from_str(lines[7]).unwrap();
    let s = &summary["summary"];
    assert_eq!(s["contacts_touched"], 10);
    assert_eq!(s["contacts_differing"], 7);
    assert_eq!(s["no_longer_enrolled"], 4);
    assert_eq!(s["newly_enrolled"], 0);
    assert_eq!(s["sequences"]["Booking"]["enrolled_old"], 5);
    assert_eq!(s["sequences"]["Booking"]["enrolled_new"], 1);
}

#[test]
fn errors_on_either_side_say_which() {
    let dir = tempdir("errors");
    let bad = dir.join("bad.wf");
    std::fs::write(
        &bad,
        "when form_submitted(\"x\") then enroll in \"Bookng\" from owner\n",
    )
    .unwrap();
    let bad = bad.display().to_string();
    let out = wf_diff(&["--old", &bad]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("E0101") && err.contains("the old scripts have 1 error"),
        "{err}"
    );
    let out = wf_diff(&["--new", &bad]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("the new scripts have 1 error"));
    let out = wf_diff(&["--new", "missing.wf"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with("error: new scripts: missing.wf"),
        "{}",
        stderr(&out)
    );
    let out = wf_diff(&[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--old"));
    // A bad event line is located.
    let events = dir.join("events.jsonl");
    std::fs::write(
        &events,
        "{\"at\": \"2026-03-02T08:15:00Z\", \"type\": \"form_submitted\", \"contact\": \"c-1\", \"form\": \"qualify\"}\n{\"at\": \"2026-03-02T09:00:00Z\", \"type\": \"nope\"}\n",
    )
    .unwrap();
    let events = events.display().to_string();
    let out = wf_diff(&["--old", "qualify.wf", "--events", &events]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("events.jsonl:2:"), "{}", stderr(&out));
}

// ---------------------------------------------------------------------
// The law: wf diff's differing contacts are those two `wf run`s disagree on.

const ACCOUNT: &str = r#"{
  "users": [
    {"email": "a@x.test", "seats": ["sales_enterprise"], "inboxes": ["a@x.test"], "daily_send_limit": 2},
    {"email": "b@x.test", "seats": ["sales_enterprise"], "inboxes": ["b@x.test"], "daily_send_limit": 3}
  ],
  "sequences": [
    {"name": "S1", "steps": [{"type": "email"}, {"type": "email", "delay_days": 1}]},
    {"name": "S2", "weekdays_only": false, "steps": [{"type": "email"}, {"type": "task", "delay_days": 1}]}
  ],
  "properties": {"employees": {"type": "number"}},
  "contacts": [CONTACTS]
}"#;

fn account(employees: &[u32], owners: &[bool]) -> String {
    let contacts: Vec<String> = employees
        .iter()
        .zip(owners)
        .enumerate()
        .map(|(i, (e, a))| {
            let owner = if *a { "a@x.test" } else { "b@x.test" };
            format!("{{\"id\": \"c{i}\", \"owner\": \"{owner}\", \"properties\": {{\"employees\": {e}}}}}")
        })
        .collect();
    ACCOUNT.replace("CONTACTS", &contacts.join(", "))
}

/// A rule from a shape and a threshold.
fn rule(shape: u8, threshold: u32) -> String {
    match shape % 4 {
        0 => format!(
            "when form_submitted(\"f\") if contact.employees >= {threshold} then enroll in \"S1\" from owner\n"
        ),
        1 => format!(
            "when form_submitted(\"g\") if contact.employees < {threshold} then enroll in \"S2\" from user \"a@x.test\"\n"
        ),
        2 => format!(
            "workflow \"w{threshold}\" {{\n  reenroll\n  when form_submitted(\"f\") if contact.employees > {threshold} then unenroll, enroll in \"S2\" from owner\n}}\n"
        ),
        _ => format!(
            "when email_replied() or form_submitted(\"g\") if contact.employees == {threshold} then unenroll from \"S1\"\n"
        ),
    }
}

fn events(picks: &[(u8, u8, u8)], contacts: usize) -> String {
    let mut t = 1_772_409_600i64; // 2026-03-02T00:00:00Z
    let mut out = String::new();
    for &(gap, kind, c) in picks {
        t += i64::from(gap) * 3600;
        let at = chrono::DateTime::from_timestamp(t, 0)
            .unwrap()
            .format("%Y-%m-%dT%H:%M:%SZ");
        let c = usize::from(c) % contacts;
        let line = match kind % 4 {
            0 => format!(
                "{{\"at\": \"{at}\", \"type\": \"form_submitted\", \"contact\": \"c{c}\", \"form\": \"f\"}}"
            ),
            1 => format!(
                "{{\"at\": \"{at}\", \"type\": \"form_submitted\", \"contact\": \"c{c}\", \"form\": \"g\"}}"
            ),
            2 => {
                format!("{{\"at\": \"{at}\", \"type\": \"email_replied\", \"contact\": \"c{c}\"}}")
            }
            _ => {
                format!("{{\"at\": \"{at}\", \"type\": \"task_completed\", \"contact\": \"c{c}\"}}")
            }
        };
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// `wf run`'s trace, grouped by contact, without the fields `wf diff`
/// does not compare.
fn by_contact(trace: &[u8]) -> BTreeMap<String, Vec<serde_json::Value>> {
    let mut map: BTreeMap<String, Vec<serde_json::Value>> = BTreeMap::new();
    for line in std::str::from_utf8(trace).unwrap().lines() {
        let mut v: serde_json::Value = serde_json::from_str(line).unwrap();
        let o = v.as_object_mut().unwrap();
        for field in ["seq", "rule", "workflow", "event"] {
            o.remove(field);
        }
        let contact = o["contact"].as_str().unwrap().to_owned();
        map.entry(contact).or_default().push(v);
    }
    map
}

fn load(
    dir: &Path,
    name: &str,
    text: &str,
) -> (
    wf::source::Sources,
    Vec<(wf::source::FileId, wf::syntax::Program)>,
) {
    let mut sources = wf::source::Sources::new();
    let id = sources.add(name.to_owned(), text.to_owned());
    let program = wf::syntax::parse(id, text).unwrap();
    std::fs::write(dir.join(name), text).unwrap();
    (sources, vec![(id, program)])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn differing_contacts_are_those_two_runs_disagree_on(
        employees in prop::collection::vec(0u32..30, 1..6),
        owners in prop::collection::vec(any::<bool>(), 6),
        shapes in prop::collection::vec((0u8..4, 0u32..30), 1..5),
        changes in prop::collection::vec(prop::option::of(0u32..30), 5),
        picks in prop::collection::vec((0u8..20, 0u8..4, 0u8..6), 0..30),
        steps in any::<bool>(),
    ) {
        let dir = tempdir("law");
        let account_text = account(&employees, &owners[..employees.len()]);
        std::fs::write(dir.join("account.json"), &account_text).unwrap();
        let account = wf::account::load(&dir.join("account.json")).unwrap();
        let old: String = shapes.iter().map(|&(s, t)| rule(s, t)).collect();
        let new: String = shapes
            .iter()
            .zip(&changes)
            .map(|(&(s, t), c)| rule(s, c.unwrap_or(t)))
            .collect();
        let events = events(&picks, employees.len());
        let (old_sources, old_programs) = load(&dir, "old.wf", &old);
        let (new_sources, new_programs) = load(&dir, "new.wf", &new);
        // Two separate replays, as `wf run` prints them.
        let run = |sources, programs| {
            let mut engine = wf::runtime::Engine::new(&account, sources, programs);
            engine.set_steps(steps);
            wf::runtime::replay_jsonl(&mut engine, &events, wf::runtime::Options::default()).unwrap()
        };
        let a = by_contact(&run(&old_sources, &old_programs));
        let b = by_contact(&run(&new_sources, &new_programs));
        let contacts: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
        let expected: BTreeSet<String> = contacts
            .into_iter()
            .filter(|c| a.get(*c) != b.get(*c))
            .cloned()
            .collect();
        // The same through wf diff.
        let impact = wf::diff::replay(
            &account,
            wf::diff::Rules { sources: &old_sources, programs: &old_programs },
            wf::diff::Rules { sources: &new_sources, programs: &new_programs },
            std::io::Cursor::new(events.clone().into_bytes()),
            wf::diff::Settings { steps, until: None },
            &mut |bad| Err(bad),
        )
        .unwrap();
        let found: BTreeSet<String> = impact
            .differing()
            .iter()
            .map(|&c| impact.contact_id(c).to_owned())
            .collect();
        prop_assert_eq!(&found, &expected);
        prop_assert_eq!(impact.summary().contacts_differing, expected.len());
    }
}

/// The law through the binary once, on the examples: `wf diff --format
/// json` names the contacts that two `wf run` traces disagree on.
#[test]
fn the_binary_agrees_with_two_runs() {
    let files = raised_threshold();
    let run = |scripts: &[String]| {
        let out = Command::new(env!("CARGO_BIN_EXE_wf"))
            .arg("run")
            .args(scripts)
            .args(["--events", "events.jsonl"])
            .current_dir(examples())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        by_contact(&out.stdout)
    };
    let old: Vec<String> = EXAMPLES.iter().map(|f| (*f).to_owned()).collect();
    let (a, b) = (run(&old), run(&files));
    let contacts: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    let expected: Vec<String> = contacts
        .into_iter()
        .filter(|c| a.get(*c) != b.get(*c))
        .cloned()
        .collect();
    let out = wf_diff(&args(&["--new"], &files, &["--format", "json"]));
    let mut found: Vec<String> = stdout(&out)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["contact"].as_str().map(str::to_owned))
        .collect();
    found.sort();
    let mut expected = expected;
    expected.sort();
    assert_eq!(found, expected);
}
