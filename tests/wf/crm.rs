//! Integration tests: the CRM's files in and out (`docs/crm.md`). Flow
//! JSON imported to scripts (the example flows, one fixture per trigger
//! and action kind, every class of bad input), the account's CRM ids,
//! export validated against the flow shape, the round trip, and the
//! account built from the CRM's exports.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const FIXTURES: &str = "tests/fixtures/crm";

fn fixture(name: &str) -> String {
    format!("{FIXTURES}/{name}")
}

/// A fresh, empty directory for one test's output.
fn out_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("crm-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
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

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The `.wf` files written to `dir`, by name, with their text.
fn written(dir: &Path) -> Vec<(String, String)> {
    crate::wf_files(dir)
        .into_iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect()
}

/// Imports fixtures with the fixture account into a fresh directory.
fn import(name: &str, files: &[&str]) -> (Output, PathBuf) {
    let dir = out_dir(name);
    let mut args = vec!["import", "hubspot"];
    let paths: Vec<String> = files.iter().map(|f| fixture(f)).collect();
    args.extend(paths.iter().map(String::as_str));
    let account = fixture("account.json");
    let out = dir.display().to_string();
    args.extend(["--account", &account, "-o", &out]);
    (wf(&args), dir)
}

#[test]
fn example_flows_import_to_checked_scripts() {
    let (o, dir) = import("examples", &["example-a.json", "example-b.json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let files = written(&dir);
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "became-sql-owner-sequence.wf",
            "demo-request-sdr-sequence.wf"
        ]
    );
    for (name, text) in &files {
        insta::assert_snapshot!(format!("import_{name}"), text);
        let path = dir.join(name);
        let check = wf(&[
            "check",
            "--account",
            &fixture("account.json"),
            &path.display().to_string(),
        ]);
        assert_eq!(check.status.code(), Some(0), "{name}: {}", stderr(&check));
        let fmt = wf(&["fmt", "--check", &path.display().to_string()]);
        assert_eq!(fmt.status.code(), Some(0), "{name} is not formatted");
    }
    insta::assert_snapshot!("import_examples_stderr", stderr(&o));
    // And they run, as `docs/crm.md` shows: c-1 enrolled by each flow,
    // c-2 (no owner) by neither.
    let scripts: Vec<String> = files
        .iter()
        .map(|(n, _)| dir.join(n).display().to_string())
        .collect();
    let account = fixture("account.json");
    let events = fixture("events.jsonl");
    let mut args = vec!["run", "--account", &account, "--events", &events];
    args.extend(scripts.iter().map(String::as_str));
    let run = wf(&args);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let enrolled: Vec<(String, String)> = String::from_utf8_lossy(&run.stdout)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|r| r["decision"] == "enroll")
        .map(|r| (r["contact"].to_string(), r["sequence"].to_string()))
        .collect();
    assert_eq!(
        enrolled,
        [
            (r#""c-1""#.to_owned(), r#""SDR outreach""#.to_owned()),
            (r#""c-1""#.to_owned(), r#""Owner follow-up""#.to_owned()),
        ]
    );
}

#[test]
fn unmapped_ids_become_crm_names_that_check_flags() {
    let dir = out_dir("unmapped");
    let out = dir.display().to_string();
    let o = wf(&["import", "hubspot", &fixture("example-a.json"), "-o", &out]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = &written(&dir)[0].1;
    assert!(
        text.contains("enroll in \"crm:102740497\" from user \"crm:46753420\""),
        "{text}"
    );
    assert!(stderr(&o).contains("no sequence in the account has CRM id `102740497`"));
    let path = dir.join("demo-request-sdr-sequence.wf");
    let check = wf(&[
        "check",
        "--account",
        &fixture("account.json"),
        &path.display().to_string(),
    ]);
    assert_eq!(check.status.code(), Some(1), "{}", stderr(&check));
    assert!(stderr(&check).contains("crm:102740497"));
}

#[test]
fn account_crm_ids_are_read_and_duplicates_are_located() {
    let account = wf::account::load(Path::new(&fixture("account.json"))).unwrap();
    assert_eq!(account.forms.len(), 2);
    assert_eq!(account.sequences[0].crm_id.as_deref(), Some("102740497"));
    assert_eq!(account.users[0].crm_owner_id.as_deref(), Some("501"));
    assert_eq!(account.lists[0].crm_id.as_deref(), Some("58"));
    let cases = [
        (
            r#"{"users": [{"email": "a@x", "crm_user_id": "1"}, {"email": "b@x", "crm_user_id": "1"}]}"#,
            "users[1].crm_user_id",
        ),
        (
            r#"{"users": [{"email": "a@x", "crm_owner_id": "1"}, {"email": "b@x", "crm_owner_id": "1"}]}"#,
            "users[1].crm_owner_id",
        ),
        (
            r#"{"sequences": [{"name": "A", "crm_id": "9"}, {"name": "B", "crm_id": "9"}]}"#,
            "sequences[1].crm_id",
        ),
        (
            r#"{"lists": [{"name": "A", "crm_id": "9"}, {"name": "B", "crm_id": "9"}]}"#,
            "lists[1].crm_id",
        ),
        (
            r#"{"forms": [{"name": "a", "crm_id": "9"}, {"name": "a", "crm_id": "8"}]}"#,
            "forms[1].name",
        ),
        (
            r#"{"forms": [{"name": "a", "crm_id": "9"}, {"name": "b", "crm_id": "9"}]}"#,
            "forms[1].crm_id",
        ),
    ];
    for (text, path) in cases {
        let e = wf::account::from_text("a.json", text, false).unwrap_err();
        let shown = e.to_string();
        assert!(
            shown.contains(path) && shown.contains("duplicate"),
            "{shown}"
        );
        assert!(shown.starts_with("a.json:1:"), "not located: {shown}");
    }
    let e = wf::account::from_text("a.json", r#"{"forms": [{"name": "a"}]}"#, false).unwrap_err();
    assert!(e.to_string().contains("crm_id"), "{e}");
    let e = wf::account::from_text("a.json", r#"{"forms": [["a", "1"]]}"#, false).unwrap_err();
    assert!(e.to_string().contains("must be an object"), "{e}");
}

#[test]
fn branches_become_rules_and_the_rest_are_warnings() {
    let (o, dir) = import("branches", &["branches.json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let files = written(&dir);
    assert_eq!(files.len(), 1);
    let text = &files[0].1;
    insta::assert_snapshot!("import_branches", text);
    let err = stderr(&o);
    for expected in [
        "flow 20: the trigger on `page visited` (4-96000) has no form in a script",
        "flow 20: operator `IS_AFTER` on `createdate` has no form in a script; the condition leaves it out",
        "flow 20, action 8: `add to static list` (0-63809083) cannot be said in a script",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in {err}");
    }
    // Action 9 is not reachable from the start action: never mentioned.
    assert!(!err.contains("action 9"), "{err}");
    assert!(
        err.lines()
            .last()
            .unwrap()
            .starts_with("imported 1 flow (2 rules)"),
        "{err}"
    );
    let path = dir.join(&files[0].0);
    let check = wf(&[
        "check",
        "--account",
        &fixture("account.json"),
        &path.display().to_string(),
    ]);
    assert_ne!(check.status.code(), Some(2), "{}", stderr(&check));
}

#[test]
fn bad_input_is_located_and_nothing_is_written() {
    let cases = [
        ("truncated.json", "bad/truncated.json:4:1: not valid JSON"),
        (
            "not-flow.json",
            "bad/not-flow.json:1:2: at `[0]`: not flow JSON",
        ),
        (
            "other-object.json",
            "bad/other-object.json:2:55: at `objectTypeId`: a flow of object type `0-3`",
        ),
        (
            "missing-start.json",
            "bad/missing-start.json:3:20: at `startActionId`: no action has id `7`",
        ),
        (
            "cycle.json",
            "at `actions[1].connection.nextActionId`: the actions loop",
        ),
    ];
    for (file, expected) in cases {
        let dir = out_dir(&format!("bad-{file}"));
        let out = dir.display().to_string();
        let o = wf(&[
            "import",
            "hubspot",
            &fixture("example-a.json"),
            &fixture(&format!("bad/{file}")),
            "-o",
            &out,
        ]);
        assert_eq!(o.status.code(), Some(2), "{file}: {}", stderr(&o));
        assert!(stderr(&o).contains(expected), "{file}: {}", stderr(&o));
        assert!(
            written(&dir).is_empty(),
            "{file}: wrote files without --keep-going"
        );
        let o = wf(&[
            "import",
            "hubspot",
            &fixture("example-a.json"),
            &fixture(&format!("bad/{file}")),
            "-o",
            &out,
            "--keep-going",
        ]);
        assert_eq!(o.status.code(), Some(2), "{file}: {}", stderr(&o));
        assert_eq!(written(&dir).len(), 1, "{file}: the good flow is imported");
    }
}

#[test]
fn list_responses_unenroll_actions_and_flows_with_nothing_to_import() {
    let (o, dir) = import("actions", &["actions.json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let files = written(&dir);
    assert_eq!(files.len(), 1, "the manual flow writes no file");
    insta::assert_snapshot!("import_actions", &files[0].1);
    let err = stderr(&o);
    for expected in [
        "flow 30, action 15: a branch of type `AB_TEST_BRANCH` cannot be said in a script",
        "flow 31: manual enrollment has no trigger in a script",
        "flow 31: nothing imported",
        "1 flow with nothing to import",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in {err}");
    }
}

mod export;
mod round_trip;
