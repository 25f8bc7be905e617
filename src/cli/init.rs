//! `wf init [DIR]`: write a small working project (see `docs/testing.md`):
//! `wf.toml`, an account, one script, one test with inline events and its
//! accepted snapshot. The project passes `wf check` and `wf test` as
//! written. Nothing is overwritten: if any of the files exists, nothing is
//! written and the exit code is 2.

use super::exit;
use crate::diagnostic::InputError;
use crate::testing::{self, Options, Status};
use std::path::{Path, PathBuf};

/// Arguments of `wf init`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The folder to create the project in (default: the current folder).
    #[arg(value_name = "DIR")]
    dir: Option<PathBuf>,
}

const WF_TOML: &str = r#"# The project: `wf check`, `wf run`, `wf fmt`, `wf repl` and `wf test`
# use these when no scripts or --account are given. Paths are relative
# to this file.
account = "account.json"
scripts = ["workflows/*.wf"]
tests = ["tests/**/*.test.toml"]
"#;

const ACCOUNT: &str = r#"{
  "timezone": "Europe/Warsaw",
  "users": [
    {"email": "ana@acme.test", "name": "Ana", "seats": ["sales_enterprise"],
     "inboxes": ["ana@acme.test"], "daily_send_limit": 100}
  ],
  "sequences": [
    {"name": "Booking", "steps": [
      {"type": "email", "delay_days": 0, "subject": "Hi {{contact.firstname}}",
       "body": "Pick a time that suits you."},
      {"type": "email", "delay_days": 2, "subject": "Following up",
       "body": "Here is the booking link again."}
    ]}
  ],
  "properties": {
    "employees": {"type": "number"}
  },
  "contacts": [
    {"id": "c-1", "email": "jan@client.test", "owner": "ana@acme.test",
     "properties": {"firstname": "Jan", "lifecycle_stage": "salesqualifiedlead", "employees": 40}},
    {"id": "c-2", "email": "tom@small.test", "owner": "ana@acme.test",
     "properties": {"firstname": "Tom", "lifecycle_stage": "lead", "employees": 4}}
  ]
}
"#;

const SCRIPT: &str = r#"# Book a meeting with sales-qualified contacts who ask for one.
when form_submitted("demo")
  if contact.lifecycle_stage == "salesqualifiedlead" and contact.employees >= 10
  then enroll in "Booking" from owner
"#;

const TEST: &str = r#"description = "qualified contacts who ask for a demo are booked by their owner"

[[event]]
at = "2026-03-02T08:15:00Z"
type = "form_submitted"
contact = "c-1"
form = "demo"

[[event]]
at = "2026-03-02T09:00:00Z"
type = "form_submitted"
contact = "c-2"
form = "demo"

[[expect]]
contact = "c-1"
decision = "enroll"
sequence = "Booking"
sender = "ana@acme.test"

[[reject]]
contact = "c-2"
decision = "enroll"
"#;

/// The project's files, relative to its folder, and their text.
const FILES: &[(&str, &str)] = &[
    ("wf.toml", WF_TOML),
    ("account.json", ACCOUNT),
    ("workflows/booking.wf", SCRIPT),
    ("tests/booking.test.toml", TEST),
];

/// Runs `wf init` and returns the exit code.
pub fn run(args: Args) -> i32 {
    let dir = args.dir.unwrap_or_default();
    let snapshot = dir.join("tests/booking.test.snap");
    let mut all: Vec<PathBuf> = FILES.iter().map(|(p, _)| dir.join(p)).collect();
    all.push(snapshot.clone());
    if let Some(existing) = all.iter().find(|p| p.exists()) {
        return super::input_error(&InputError::new(
            existing.display().to_string(),
            None,
            "already exists; `wf init` writes a new project and overwrites nothing",
        ));
    }
    for (path, text) in FILES {
        if let Err(e) = write(&dir.join(path), text) {
            return super::input_error(&e);
        }
    }
    // The snapshot is the trace of the test as written, accepted.
    let test = dir.join("tests/booking.test.toml");
    let outcome = testing::run_test(
        &test,
        Options {
            accept: true,
            write_new: false,
            count: false,
        },
    );
    if outcome.status != Status::Passed {
        super::to_stderr(format_args!(
            "wf: internal error: the new project's test did not pass\n{}\n",
            testing::report::details(&outcome, true).join("\n")
        ));
        return exit::INTERNAL;
    }
    let mut text = String::new();
    for path in &all {
        text.push_str(&format!("created {}\n", path.display()));
    }
    let cd = if dir.as_os_str().is_empty() {
        String::new()
    } else {
        format!("cd {} && ", dir.display())
    };
    text.push_str(&format!("next: {cd}wf check && wf test\n"));
    super::to_stderr(format_args!("{text}"));
    exit::OK
}

/// Writes one file of the project, making its folder.
fn write(path: &Path, text: &str) -> Result<(), InputError> {
    let error = |e: std::io::Error| {
        InputError::new(
            path.display().to_string(),
            None,
            format!("cannot write: {e}"),
        )
    };
    if let Some(parent) = path.parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent).map_err(error)?;
    }
    crate::atomic::write(path, text.as_bytes()).map_err(error)
}
