//! `wf test --coverage` and `--coverage-json` through the real binary, on
//! a suite built to leave one rule untriggered, one condition never false
//! (with an operand never false and one never evaluated) and skip reasons
//! unseen: each must be reported, in the human report and in the JSON.

use std::path::Path;
use std::process::{Command, Output};

fn wf_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wf"))
        .args(args)
        .current_dir(dir)
        .env("CI", "true")
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Line 2: a rule whose `or` is always decided by its first operand, so
/// the condition never fails and the second operand is never evaluated;
/// line 6: a rule no event triggers.
const SCRIPT: &str = r#"# Book contacts who ask for a demo.
when form_submitted("demo")
  if contact.employees >= 10 or contact.lifecycle_stage == "lead"
  then enroll in "Booking" from owner

when meeting_outcome("no_show") then unenroll
"#;

/// Jan asks twice: enrolled, then skipped (`reenroll_off`). Tom (4
/// employees) never asks.
const TEST: &str = r#"[[event]]
at = "2026-03-02T08:15:00Z"
type = "form_submitted"
contact = "c-1"
form = "demo"

[[event]]
at = "2026-03-03T08:15:00Z"
type = "form_submitted"
contact = "c-1"
form = "demo"

[[expect]]
contact = "c-1"
decision = "enroll"
"#;

/// A project from `wf init` with the suite above, its snapshot accepted.
fn suite() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let out = wf_in(tmp.path(), &["init", "."]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    std::fs::write(tmp.path().join("workflows/booking.wf"), SCRIPT).unwrap();
    std::fs::write(tmp.path().join("tests/booking.test.toml"), TEST).unwrap();
    let out = wf_in(tmp.path(), &["test", "--accept"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    tmp
}

#[test]
fn coverage_reports_what_the_suite_left_untested() {
    let tmp = suite();
    let out = wf_in(
        tmp.path(),
        &["test", "--coverage", "--coverage-json", "coverage.json"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let text = stdout(&out);
    insta::assert_snapshot!("coverage_of_a_suite_with_gaps", text);
    for line in [
        "  booking.wf:2  triggered 2, held 2, failed 0; enroll 1, skip reenroll_off 1\n",
        "  booking.wf:6  triggered 0, no condition; no records\n",
        "trigger never matched: booking.wf:6\n",
        "condition never failed: booking.wf:2\n",
        "  booking.wf:3:6 `contact.employees >= 10` never false\n",
        "  booking.wf:3:33 `contact.lifecycle_stage == \"lead\"` never evaluated\n",
    ] {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }
    assert!(!text.contains("condition never held"), "{text}");
    let unseen = text
        .lines()
        .find_map(|l| l.strip_prefix("skip reasons no test produced: "))
        .unwrap();
    assert!(
        unseen.split(", ").any(|r| r == "daily_send_limit"),
        "{unseen}"
    );
    assert!(!unseen.split(", ").any(|r| r == "reenroll_off"), "{unseen}");

    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(tmp.path().join("coverage.json")).unwrap()).unwrap();
    assert_eq!(json["measured"], true);
    assert_eq!(
        json["trigger_never_matched"],
        serde_json::json!(["booking.wf:6"])
    );
    assert_eq!(
        json["condition_never_failed"],
        serde_json::json!(["booking.wf:2"])
    );
    assert_eq!(json["condition_never_held"], serde_json::json!([]));
    assert_eq!(
        json["operands_one_sided"],
        serde_json::json!([
            {"operand": "contact.employees >= 10", "place": "booking.wf:3:6", "never": "false"},
            {"operand": "contact.lifecycle_stage == \"lead\"", "place": "booking.wf:3:33", "never": "evaluated"},
        ])
    );
    let rule = &json["rules"][0];
    assert_eq!(rule["rule"], "booking.wf:2");
    assert_eq!(rule["counters"]["triggered"], 2);
    assert_eq!(rule["counters"]["held"], 2);
    assert_eq!(rule["counters"]["failed"], 0);
    assert_eq!(rule["counters"]["operands"][0]["true"], 2);
    assert_eq!(rule["counters"]["operands"][0]["false"], 0);
    assert_eq!(json["rules"][1]["counters"]["condition"], false);
    let unseen = json["skip_reasons_unseen"].as_array().unwrap();
    assert!(unseen.contains(&"daily_send_limit".into()), "{unseen:?}");
    assert!(!unseen.contains(&"reenroll_off".into()), "{unseen:?}");
}

#[test]
fn the_json_report_is_the_same_without_the_human_one() {
    let tmp = suite();
    let out = wf_in(tmp.path(), &["test", "--coverage-json", "only.json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(!stdout(&out).contains("coverage:"), "{}", stdout(&out));
    let out = wf_in(
        tmp.path(),
        &["test", "--coverage", "--coverage-json", "both.json"],
    );
    assert_eq!(out.status.code(), Some(0));
    let only = std::fs::read(tmp.path().join("only.json")).unwrap();
    let both = std::fs::read(tmp.path().join("both.json")).unwrap();
    assert_eq!(only, both);
}
