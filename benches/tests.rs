//! `wf test` speed: a generated suite of T tests of E events each, over R
//! rules and C contacts, run by the real binary (`wf test --no-write`)
//! after its snapshots were accepted once.
//!
//! ```text
//! cargo bench --bench tests                    # 200 tests, 1000 events, 50 rules, 1000 contacts
//! cargo bench --bench tests -- 20 100 10 100   # a quick run
//! ```
//!
//! Prints the wall time of each of `WF_BENCH_RUNS` runs (default 5) and
//! their median. `WF_BENCH_KEEP=DIR` writes the suite to DIR and keeps it;
//! `WF_BENCH_COVERAGE=1` also times `--coverage` runs, alternating.
//! See `docs/performance.md (section "`wf test`")` for recorded figures.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

#[path = "workload/rng.rs"]
mod rng;

use rng::Rng;

const SEQUENCES: usize = 5;
const USERS: usize = 5;

fn account(contacts: usize) -> String {
    let mut users = Vec::new();
    for u in 0..USERS {
        users.push(format!(
            r#"{{"email": "u{u}@acme.test", "seats": ["sales_enterprise"], "inboxes": ["u{u}@acme.test"], "daily_send_limit": 100000}}"#
        ));
    }
    let mut sequences = Vec::new();
    for s in 0..SEQUENCES {
        sequences.push(format!(
            r#"{{"name": "S{s}", "weekdays_only": false, "steps": [{{"type": "email", "delay_days": 0, "body": "hi"}}, {{"type": "email", "delay_days": 2, "body": "again"}}]}}"#
        ));
    }
    let mut list = Vec::new();
    let mut rows = Vec::new();
    for c in 0..contacts {
        let stage = if c % 3 == 0 {
            "lead"
        } else {
            "salesqualifiedlead"
        };
        rows.push(format!(
            r#"{{"id": "c-{c}", "email": "c{c}@client.test", "owner": "u{}@acme.test", "properties": {{"lifecycle_stage": "{stage}", "employees": {}}}}}"#,
            c % USERS,
            (c * 37) % 500
        ));
        if c % 50 == 0 {
            list.push(format!("\"c-{c}\""));
        }
    }
    format!(
        "{{\"users\": [{}],\n\"sequences\": [{}],\n\"properties\": {{\"employees\": {{\"type\": \"number\"}}}},\n\"lists\": [{{\"name\": \"DNC\", \"members\": [{}]}}],\n\"contacts\": [\n{}\n]}}\n",
        users.join(",\n"),
        sequences.join(",\n"),
        list.join(", "),
        rows.join(",\n")
    )
}

/// R rules over forms `f0`…: enrollments with conditions, some in a block
/// with a suppression list, and unenrollments.
fn scripts(rules: usize) -> String {
    let mut text = String::new();
    for r in 0..rules {
        let s = r % SEQUENCES;
        match r % 5 {
            0 => writeln!(text, "when form_submitted(\"f{r}\") then unenroll\n"),
            1 => writeln!(
                text,
                "workflow \"W{r}\" {{\n  suppress list \"DNC\"\n  when form_submitted(\"f{r}\")\n    if contact.employees >= {} or contact.lifecycle_stage == \"lead\"\n    then enroll in \"S{s}\" from owner\n}}\n",
                r * 7
            ),
            _ => writeln!(
                text,
                "when form_submitted(\"f{r}\")\n  if contact.lifecycle_stage == \"salesqualifiedlead\" and contact.employees >= {}\n  then enroll in \"S{s}\" from owner\n",
                r * 5
            ),
        }
        .unwrap();
    }
    text
}

fn events(rng: &mut Rng, count: usize, rules: usize, contacts: usize) -> String {
    let mut text = String::new();
    for e in 0..count {
        let (day, minute) = (2 + e / 600, e % 600);
        let at = format!(
            "2026-03-{day:02}T{:02}:{:02}:00Z",
            8 + minute / 60,
            minute % 60
        );
        let contact = rng.below(contacts as u64);
        if e % 10 == 9 {
            writeln!(
                text,
                r#"{{"at": "{at}", "type": "email_replied", "contact": "c-{contact}"}}"#
            )
            .unwrap();
        } else {
            let form = rng.below(rules as u64);
            writeln!(
                text,
                r#"{{"at": "{at}", "type": "form_submitted", "contact": "c-{contact}", "form": "f{form}"}}"#
            )
            .unwrap();
        }
    }
    text
}

fn write_suite(dir: &Path, tests: usize, per_test: usize, rules: usize, contacts: usize) {
    std::fs::create_dir_all(dir.join("tests")).unwrap();
    std::fs::write(dir.join("account.json"), account(contacts)).unwrap();
    std::fs::write(dir.join("rules.wf"), scripts(rules)).unwrap();
    std::fs::write(
        dir.join("wf.toml"),
        "account = \"account.json\"\nscripts = [\"rules.wf\"]\n",
    )
    .unwrap();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for t in 0..tests {
        std::fs::write(
            dir.join(format!("tests/t{t:04}.events.jsonl")),
            events(&mut rng, per_test, rules, contacts),
        )
        .unwrap();
        std::fs::write(
            dir.join(format!("tests/t{t:04}.test.toml")),
            format!("events = \"t{t:04}.events.jsonl\"\n\n[[reject]]\ndecision = \"skip\"\nreason = \"sender_no_seat\"\n"),
        )
        .unwrap();
    }
}

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let tests = args.first().copied().unwrap_or(200);
    let per_test = args.get(1).copied().unwrap_or(1000);
    let rules = args.get(2).copied().unwrap_or(50);
    let contacts = args.get(3).copied().unwrap_or(1000);
    let runs: usize = std::env::var("WF_BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5);
    let tmp = tempfile::tempdir().unwrap();
    let dir = match std::env::var_os("WF_BENCH_KEEP") {
        Some(d) => std::path::PathBuf::from(d),
        None => tmp.path().to_path_buf(),
    };
    write_suite(&dir, tests, per_test, rules, contacts);
    let wf = env!("CARGO_BIN_EXE_wf");
    let accept = Command::new(wf)
        .args(["test", "--accept"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(
        accept.status.success(),
        "{}",
        String::from_utf8_lossy(&accept.stdout)
    );
    let records: usize = std::fs::read_dir(dir.join("tests"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".snap"))
        .map(|e| std::fs::read_to_string(e.path()).unwrap().lines().count())
        .sum();
    println!(
        "wf test: {tests} tests x {per_test} events, {rules} rules, {contacts} contacts, {records} records in all"
    );
    // `WF_BENCH_COVERAGE=1` also times `wf test --no-write --coverage`
    // (the engine's rule counters on), alternating with the plain runs.
    let coverage = std::env::var("WF_BENCH_COVERAGE").as_deref() == Ok("1");
    let mut variants: Vec<(&str, Vec<&str>)> = vec![("plain", vec!["test", "--no-write"])];
    if coverage {
        variants.push(("coverage", vec!["test", "--no-write", "--coverage"]));
    }
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); variants.len()];
    for run in 1..=runs {
        for ((name, args), times) in variants.iter().zip(&mut times) {
            let start = Instant::now();
            let out = Command::new(wf)
                .args(args)
                .current_dir(&dir)
                .output()
                .unwrap();
            let elapsed = start.elapsed().as_secs_f64();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stdout)
            );
            println!("  run {run} {name}: {elapsed:.3} s");
            times.push(elapsed);
        }
    }
    for ((name, _), times) in variants.iter().zip(&mut times) {
        times.sort_by(f64::total_cmp);
        println!("  median {name}: {:.3} s", times[times.len() / 2]);
    }
}
