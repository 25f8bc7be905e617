//! `wf diff` against one `wf run` of the new rules, on the replay bench's
//! workload (1,000 rules × 100,000 contacts × 1,000,000 events), timing
//! the real release binary from start to exit and reading its peak
//! memory from `/usr/bin/time -v`.
//!
//! ```text
//! WF_BENCH_KEEP=/tmp/wf-bench cargo bench --bench replay   # writes the workload
//! cargo build --release
//! WF_BENCH_DIR=/tmp/wf-bench cargo bench --bench diff
//! WF_BENCH_DIR=/tmp/wf-bench WF_BENCH_RUNS=5 WF_BENCH_STEPS=1 cargo bench --bench diff
//! ```
//!
//! The new side is the workload's rules with every tenth numeric threshold
//! (`>= N`, `> N`, `< N`) raised by 100. Each run alternates `wf run` and
//! `wf diff` and reports medians. See `docs/performance.md`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The rules with every tenth threshold raised by 100.
fn changed(rules: &str) -> (String, usize) {
    let mut out = String::with_capacity(rules.len());
    let mut seen = 0;
    let mut changed = 0;
    for line in rules.lines() {
        let mut line = line.to_owned();
        for op in [" >= ", " > ", " < "] {
            if let Some(at) = line.find(op) {
                let start = at + op.len();
                let end = line[start..]
                    .find(|c: char| !c.is_ascii_digit())
                    .map_or(line.len(), |e| start + e);
                if end > start {
                    seen += 1;
                    if seen % 10 == 0 {
                        let n: u64 = line[start..end].parse().unwrap();
                        line.replace_range(start..end, &(n + 100).to_string());
                        changed += 1;
                    }
                }
                break;
            }
        }
        out.push_str(&line);
        out.push('\n');
    }
    (out, changed)
}

/// Runs `wf ARGS` under `/usr/bin/time -v`: (wall seconds, peak KiB, exit code).
fn measure(wf: &Path, args: &[&str]) -> (f64, u64, i32) {
    let out = Command::new("/usr/bin/time")
        .arg("-v")
        .arg(wf)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stderr);
    let field = |name: &str| {
        text.lines()
            .find_map(|l| l.trim().strip_prefix(name))
            .unwrap_or_else(|| panic!("no `{name}` in:\n{text}"))
            .trim()
            .to_owned()
    };
    let wall = field("Elapsed (wall clock) time (h:mm:ss or m:ss):");
    let seconds = wall
        .split(':')
        .fold(0.0, |acc, part| acc * 60.0 + part.parse::<f64>().unwrap());
    let peak = field("Maximum resident set size (kbytes):")
        .parse()
        .unwrap();
    let code = field("Exit status:").parse().unwrap();
    (seconds, peak, code)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let dir =
        PathBuf::from(std::env::var("WF_BENCH_DIR").unwrap_or_else(|_| "/tmp/wf-bench".into()));
    let wf = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/wf");
    assert!(
        wf.is_file(),
        "build the binary first: cargo build --release"
    );
    let old = dir.join("bench.wf");
    let rules = std::fs::read_to_string(&old).unwrap_or_else(|_| {
        panic!(
            "no workload in {}: run WF_BENCH_KEEP={} cargo bench --bench replay",
            dir.display(),
            dir.display()
        )
    });
    let (new_rules, n) = changed(&rules);
    let new_dir = dir.join("new");
    std::fs::create_dir_all(&new_dir).unwrap();
    let new = new_dir.join("bench.wf");
    std::fs::write(&new, new_rules).unwrap();
    println!("{n} thresholds changed");
    let account = dir.join("account.json").display().to_string();
    let events = dir.join("events.jsonl").display().to_string();
    let (old, new) = (old.display().to_string(), new.display().to_string());
    let steps = std::env::var("WF_BENCH_STEPS").as_deref() == Ok("1");
    let runs: usize = std::env::var("WF_BENCH_RUNS").map_or(1, |r| r.parse().unwrap());
    let mut run_args = vec![
        "run",
        new.as_str(),
        "--account",
        &account,
        "--events",
        &events,
    ];
    let mut diff_args = vec![
        "diff",
        "--old",
        &old,
        "--new",
        &new,
        "--account",
        &account,
        "--events",
        &events,
        "--format",
        "json",
    ];
    if steps {
        run_args.push("--steps");
        diff_args.push("--steps");
    }
    let (mut run_walls, mut diff_walls) = (Vec::new(), Vec::new());
    let (mut run_peak, mut diff_peak) = (0, 0);
    for _ in 0..runs {
        let (wall, peak, code) = measure(&wf, &run_args);
        assert_eq!(code, 0, "wf run failed");
        run_walls.push(wall);
        run_peak = run_peak.max(peak);
        let (wall, peak, code) = measure(&wf, &diff_args);
        assert!(code == 0 || code == 1, "wf diff failed with {code}");
        diff_walls.push(wall);
        diff_peak = diff_peak.max(peak);
    }
    let (r, d) = (median(run_walls), median(diff_walls));
    println!("steps: {steps}, runs: {runs}");
    println!(
        "wf run (new rules): wall {r:.2} s, peak {} MiB",
        run_peak / 1024
    );
    println!(
        "wf diff:            wall {d:.2} s, peak {} MiB",
        diff_peak / 1024
    );
    println!("ratio:              {:.2}", d / r);
}
