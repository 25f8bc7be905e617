//! Integration tests: `wf import hubspot-account`, an account built from
//! the CRM's exports (`docs/crm.md`, "Importing the account"). The example
//! exports in `examples/crm/account/` import to a snapshotted account that
//! `wf check` and `wf run` accept with the imported example flows; every
//! class of bad input is a located error, exit 2, and nothing written.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const EXPORTS: &str = "examples/crm/account";
const FILES: &[&str] = &[
    "owners.json",
    "users.json",
    "sequences.json",
    "lists.json",
    "contacts.csv",
    "overrides.toml",
];

/// A folder holding a copy of the example exports, with some files
/// replaced, where `wf` runs so that messages name the files shortly.
struct Case {
    dir: PathBuf,
}

impl Case {
    fn new(name: &str) -> Case {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("crm-account-{name}"));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join(EXPORTS);
        for f in FILES {
            std::fs::copy(src.join(f), dir.join(f)).unwrap();
        }
        Case { dir }
    }

    /// Replaces one export with `text`.
    fn with(self, file: &str, text: &str) -> Case {
        std::fs::write(self.dir.join(file), text).unwrap();
        self
    }

    /// Runs `wf` in the folder.
    fn wf(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_wf"))
            .args(args)
            .current_dir(&self.dir)
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    }

    /// Imports every export (`--overrides` only when `overrides`).
    fn import(&self, overrides: bool) -> Output {
        let mut args = vec![
            "import",
            "hubspot-account",
            "--owners",
            "owners.json",
            "--users",
            "users.json",
            "--sequences",
            "sequences.json",
            "--lists",
            "lists.json",
            "--contacts",
            "contacts.csv",
            "-o",
            "account.json",
        ];
        if overrides {
            args.extend(["--overrides", "overrides.toml"]);
        }
        self.wf(&args)
    }

    fn account(&self) -> Option<String> {
        std::fs::read_to_string(self.dir.join("account.json")).ok()
    }
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn example_exports_import_to_an_account() {
    let case = Case::new("examples");
    let o = case.import(true);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "account.json\n");
    insta::assert_snapshot!("account_import_stderr", stderr(&o));
    insta::assert_snapshot!("account_import_json", case.account().unwrap());
}

#[test]
fn imported_account_and_flows_check_and_run() {
    let case = Case::new("check-run");
    assert_eq!(case.import(true).status.code(), Some(0));
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let flows = root.join("tests/fixtures/crm");
    let a = flows.join("example-a.json").display().to_string();
    let b = flows.join("example-b.json").display().to_string();
    let o = case.wf(&[
        "import",
        "hubspot",
        &a,
        &b,
        "--account",
        "account.json",
        "-o",
        "flows",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // Every id of the flows is in the imported account: nothing left as
    // `crm:<id>`.
    assert!(!stderr(&o).contains("crm:"), "{}", stderr(&o));
    let scripts = [
        "flows/demo-request-sdr-sequence.wf",
        "flows/became-sql-owner-sequence.wf",
    ];
    let mut check = vec!["check", "--account", "account.json"];
    check.extend(scripts);
    let o = case.wf(&check);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let events = root.join("examples/crm/events.jsonl").display().to_string();
    let mut run = vec!["run", "--account", "account.json", "--events", &events];
    run.extend(scripts);
    let o = case.wf(&run);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let trace = stdout(&o);
    // The form enrolls contact 101 from the fixed user; contact 102 is in
    // the suppression list (a member given by the overrides), so the
    // owner flow does not enroll it.
    assert!(trace.contains(r#""contact":"101""#), "{trace}");
    assert!(
        trace
            .lines()
            .any(|l| l.contains(r#""contact":"103""#) && l.contains("Owner follow-up")),
        "{trace}"
    );
    assert!(
        !trace.lines().any(|l| l.contains(r#""contact":"102""#)
            && l.contains("Owner follow-up")
            && l.contains(r#""decision":"enroll""#)),
        "{trace}"
    );
}

#[test]
fn users_without_a_known_seat_are_written_with_none_and_listed() {
    let case = Case::new("no-overrides");
    let o = case.import(false);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(
            "warning: 3 users have no known seat and are written with none (give `seats` under `[users.\"EMAIL\"]` in the overrides): sdr@acme.test, ana@acme.test, bob@acme.test\n"
        ),
        "{}",
        stderr(&o)
    );
    let account: serde_json::Value = serde_json::from_str(&case.account().unwrap()).unwrap();
    for user in account["users"].as_array().unwrap() {
        assert_eq!(user["seats"], serde_json::json!([]), "{user}");
        assert!(user.get("inboxes").is_none(), "{user}");
    }
}

#[test]
fn property_types_are_inferred_from_values_and_reported() {
    let case = Case::new("inference")
        .with(
            "contacts.csv",
            "Record ID,Email,Score,Opted in,Notes,Empty\n\
         1,a@x.test,3.5,TRUE,hello,\n\
         2,b@x.test,-2,false,42,\n\
         3,c@x.test,,,,\n",
        )
        .with("overrides.toml", "");
    let o = case.import(true);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    let notes: Vec<&str> = err.lines().filter(|l| l.starts_with("note:")).collect();
    assert_eq!(
        notes,
        [
            "note: inferred the type of `score` (column `Score`) as number from 2 values",
            "note: inferred the type of `opted_in` (column `Opted in`) as bool from 2 values",
            "note: inferred the type of `notes` (column `Notes`) as string from 2 values",
            "note: inferred the type of `empty` (column `Empty`) as string from 0 values",
        ]
    );
    let account: serde_json::Value = serde_json::from_str(&case.account().unwrap()).unwrap();
    assert_eq!(account["properties"]["score"]["type"], "number");
    assert_eq!(account["properties"]["opted_in"]["type"], "bool");
    assert_eq!(account["contacts"][0]["properties"]["score"], 3.5);
    assert_eq!(account["contacts"][1]["properties"]["score"], -2);
    assert_eq!(account["contacts"][0]["properties"]["opted_in"], true);
    assert_eq!(account["contacts"][1]["properties"]["notes"], "42");
    assert!(account["contacts"][2].get("properties").is_none());
}

/// Runs an import that must fail: exit 2, one located error, and an
/// existing output file left as it was.
fn rejected(case: &Case) -> String {
    std::fs::write(case.dir.join("account.json"), "old\n").unwrap();
    let o = case.import(true);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(stdout(&o), "");
    assert_eq!(
        case.account().as_deref(),
        Some("old\n"),
        "output was touched"
    );
    let leftovers: Vec<_> = std::fs::read_dir(&case.dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    stderr(&o)
}

#[test]
fn a_file_that_is_not_json_is_a_located_error() {
    let case =
        Case::new("not-json").with("owners.json", "{\"results\": [\n  {\"id\": 501,,}\n]}\n");
    assert_eq!(
        rejected(&case),
        "error: owners.json:2:14: not valid JSON: key must be a string\n"
    );
}

#[test]
fn a_truncated_file_is_a_located_error() {
    let case = Case::new("truncated").with("users.json", "{\"results\": [\n  {\"id\": \"1\"");
    assert_eq!(
        rejected(&case),
        "error: users.json:2:12: not valid JSON: EOF while parsing an object\n"
    );
}

#[test]
fn a_wrong_shape_is_an_error_at_its_json_path() {
    let text = std::fs::read_to_string(Path::new(EXPORTS).join("sequences.json"))
        .unwrap()
        .replacen(r#""actionType": "TASK""#, r#""actionType": 7"#, 1);
    let case = Case::new("wrong-shape").with("sequences.json", &text);
    insta::assert_snapshot!("account_wrong_shape", rejected(&case));
}

#[test]
fn a_users_file_of_another_shape_is_refused_at_the_top() {
    let case = Case::new("other-shape").with("users.json", "{\"users\": []}\n");
    assert_eq!(
        rejected(&case),
        "error: users.json:1:1: at the top level: expected a user, an array of them, or a list response with `results`, found an object\n"
    );
}

#[test]
fn a_list_without_steps_names_the_endpoint_with_steps() {
    let case = Case::new("lite-sequences").with(
        "sequences.json",
        "{\"results\": [{\"id\": \"1\", \"name\": \"S\", \"userId\": \"2\"}], \"total\": 1}\n",
    );
    let err = rejected(&case);
    assert!(
        err.starts_with("error: sequences.json:1:14: at `results[0]`: missing field `steps`"),
        "{err}"
    );
}

#[test]
fn a_csv_without_a_required_column_is_an_error() {
    let case =
        Case::new("missing-column").with("contacts.csv", "Email,First Name\njan@client.test,Jan\n");
    assert_eq!(
        rejected(&case),
        "error: contacts.csv:1:1: missing column `Record ID` (the contact's id): the header row must name it\n"
    );
}

#[test]
fn a_bad_cell_is_an_error_with_its_row_number() {
    let case = Case::new("bad-stage").with(
        "contacts.csv",
        "Record ID,Email,Lifecycle Stage\n101,jan@client.test,Lead\n102,eva@client.test,Prospect\n",
    );
    assert_eq!(
        rejected(&case),
        "error: contacts.csv:3:1: row 2, column `Lifecycle Stage`: unknown lifecycle stage `Prospect`: expected one of `subscriber`, `lead`, `marketingqualifiedlead`, `salesqualifiedlead`, `opportunity`, `customer`, `evangelist`, `other`\n"
    );
}

#[test]
fn a_row_of_the_wrong_length_is_an_error_with_its_row_number() {
    let case = Case::new("short-row").with(
        "contacts.csv",
        "Record ID,Email,First Name\n101,jan@client.test,Jan\n\"102\",eva@client.test\n",
    );
    assert_eq!(
        rejected(&case),
        "error: contacts.csv:3:1: row 2: 2 fields where the header has 3\n"
    );
}

#[test]
fn an_unknown_owner_or_a_declared_type_mismatch_is_a_row_error() {
    let case = Case::new("bad-owner").with(
        "contacts.csv",
        "Record ID,Email,Contact owner\n101,jan@client.test,Zoe Nobody\n",
    );
    assert_eq!(
        rejected(&case),
        "error: contacts.csv:2:1: row 1, column `Contact owner`: unknown owner `Zoe Nobody`: not an owner id, user email or owner name of the exports\n"
    );
    let case = Case::new("bad-tier").with(
        "contacts.csv",
        "Record ID,Email,Tier\n101,jan@client.test,gold\n102,eva@client.test,bronze\n",
    );
    assert_eq!(
        rejected(&case),
        "error: contacts.csv:3:1: row 2, column `Tier`: `bronze` is not a value of `tier`: expected one of `gold`, `silver`\n"
    );
}

#[test]
fn duplicate_record_ids_name_the_first_row() {
    let case = Case::new("dup-id")
        .with(
            "contacts.csv",
            "Record ID,Email\n101,a@x.test\n102,b@x.test\n101,c@x.test\n",
        )
        .with("overrides.toml", "");
    assert_eq!(
        rejected(&case),
        "error: contacts.csv:4:1: row 3: duplicate record id `101` (first in row 1)\n"
    );
}

#[test]
fn bad_overrides_are_located_in_the_toml() {
    let syntax =
        Case::new("toml-syntax").with("overrides.toml", "[users.\"ana@acme.test\"\nseats = []\n");
    let err = rejected(&syntax);
    assert!(err.starts_with("error: overrides.toml:1:"), "{err}");
    let seat = Case::new("toml-seat").with(
        "overrides.toml",
        "[users.\"ana@acme.test\"]\nseats = [\"sales_gold\"]\n",
    );
    let err = rejected(&seat);
    assert!(err.starts_with("error: overrides.toml:2:"), "{err}");
    assert!(err.contains("unknown value `sales_gold`"), "{err}");
    let user = Case::new("toml-user").with(
        "overrides.toml",
        "timezone = \"UTC\"\n\n[users.\"zoe@acme.test\"]\nseats = [\"core\"]\n",
    );
    assert_eq!(
        rejected(&user),
        "error: overrides.toml:3:8: unknown user `zoe@acme.test`: not in the users or owners export\n"
    );
    let member =
        Case::new("toml-member").with("overrides.toml", "[lists.\"58\"]\nmembers = [\"999\"]\n");
    assert_eq!(
        rejected(&member),
        "error: overrides.toml:2:12: unknown contact `999`: not a record id of `contacts.csv`\n"
    );
    let limit = Case::new("toml-limit").with(
        "overrides.toml",
        "[users.\"ana@acme.test\"]\ndaily_send_limit = 0\n",
    );
    assert_eq!(
        rejected(&limit),
        "error: overrides.toml:2:20: expected a whole number from 1 to 4294967295, found the number `0`\n"
    );
}

#[test]
fn an_account_the_loader_refuses_is_not_written() {
    // Two forms with one id: only the account's own validation sees it.
    let case = Case::new("invalid-account").with(
        "overrides.toml",
        "[forms]\ndemo = \"f-1\"\nsignup = \"f-1\"\n",
    );
    let err = rejected(&case);
    assert!(err.starts_with("error: account.json:"), "{err}");
    assert!(
        err.contains(
            "the imported account would not be valid (nothing written): at `forms[1].crm_id`"
        ),
        "{err}"
    );
}

#[test]
fn delays_out_of_range_are_refused_at_their_path() {
    let steps = |delay: &str| {
        format!(
            "{{\"results\": [{{\"id\": \"1\", \"name\": \"S\", \"steps\": [\n  {{\"stepOrder\": 0, \"actionType\": \"EMAIL\", \"delayMillis\": {delay}}}]}}]}}\n"
        )
    };
    let negative = Case::new("delay-negative").with("sequences.json", &steps("-5"));
    assert_eq!(
        rejected(&negative),
        "error: sequences.json:2:58: at `results[0].steps[0].delayMillis`: a delay cannot be negative, found `-5`\n"
    );
    let huge = Case::new("delay-huge").with("sequences.json", &steps("1e300"));
    assert_eq!(
        rejected(&huge),
        "error: sequences.json:2:58: at `results[0].steps[0].delayMillis`: a delay of more than 4294967295 days is too long\n"
    );
}
