//! `wf check`'s cost: the checker on many rules, and the diagnostics'
//! rendering on inputs that produce many of them.
//!
//! ```text
//! cargo bench --bench check                  # every case at its default size
//! cargo bench --bench check -- rules 10000   # one case, one size
//! ```
//!
//! Cases (each run `WF_BENCH_RUNS` times, 5 by default; the median is
//! printed):
//!
//! - `rules N`: N generated rules (the replay bench's mix) checked against
//!   a 1,000-contact account where some contacts have no owner, so every
//!   `from owner` gets W0201: parse, check, render for people, JSON lines;
//! - `line N`: N errors on one line (E0403, an `in` list of N values that
//!   are not values of an enum property, about 22 bytes each);
//! - `args N`: one trigger with N positional arguments;
//! - `wide N`: one error on a line of N bytes.
//!
//! For each: the time of each phase, the number of diagnostics and the
//! bytes each output takes. Recorded figures: `docs/performance.md` (section "`wf check` and diagnostics").

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

#[path = "workload/stats.rs"]
mod stats;
#[path = "workload/rules.rs"]
mod workload;

use stats::{median, peak_rss_mib};
use std::fmt::Write as _;
use std::time::Instant;
use wf::diagnostic::Diagnostic;
use wf::source::Sources;
use workload::{Rng, account, rules};

/// N errors on one line: values of an `in` list that the enum lacks.
fn one_line(n: usize) -> String {
    let mut s = String::from("when form_submitted(\"f\") if contact.tier in [");
    for i in 0..n {
        if i > 0 {
            s.push_str(", ");
        }
        write!(s, "\"not-a-tier-{i:08}\"").unwrap();
    }
    s.push_str("] then unenroll\n");
    s
}

/// One trigger with N positional arguments.
fn many_args(n: usize) -> String {
    let mut s = String::from("when form_submitted(");
    for i in 0..n {
        if i > 0 {
            s.push_str(", ");
        }
        s.push_str("\"f\"");
    }
    s.push_str(") then unenroll\n");
    s
}

/// One error (an unknown property) in the middle of a line of `n` bytes.
fn wide(n: usize) -> String {
    let half = n / 2;
    let mut s = String::from("when form_submitted(\"");
    s.push_str(&"a".repeat(half));
    s.push_str("\") if contact.nope == 1 then enroll in \"");
    s.push_str(&"b".repeat(half));
    s.push_str("\" from owner\n");
    s
}

/// Parses, checks and renders `text` `runs` times; prints the medians.
fn measure(label: &str, text: &str, account: &wf::account::Account, runs: usize) {
    let (mut parse, mut check, mut human, mut json) = (vec![], vec![], vec![], vec![]);
    let (mut count, mut human_bytes, mut json_bytes) = (0, 0, 0);
    for _ in 0..runs {
        let mut sources = Sources::new();
        let id = sources.add("bench.wf", text.to_owned());
        let t = Instant::now();
        let parsed = wf::syntax::parse(id, text);
        parse.push(t.elapsed().as_secs_f64());
        let t = Instant::now();
        let diagnostics: Vec<Diagnostic> = match parsed {
            Ok(p) => wf::check::check(&[(id, p)], account),
            Err(d) => vec![d],
        };
        check.push(t.elapsed().as_secs_f64());
        count = diagnostics.len();
        let t = Instant::now();
        let rendered = wf::diagnostic::render_all(&diagnostics, &sources, false);
        human.push(t.elapsed().as_secs_f64());
        human_bytes = rendered.len();
        let t = Instant::now();
        let mut lines = String::new();
        for d in &diagnostics {
            lines.push_str(&serde_json::to_string(&d.to_json(&sources)).unwrap());
            lines.push('\n');
        }
        json.push(t.elapsed().as_secs_f64());
        json_bytes = lines.len();
    }
    let ms = |v: &mut Vec<f64>| median(v) * 1000.0;
    println!(
        "{label}: {} bytes of script, {count} diagnostics; median of {runs}: parse {:.1} ms, check {:.1} ms, human {:.1} ms ({human_bytes} bytes), json {:.1} ms ({json_bytes} bytes); peak RSS {:.0} MiB",
        text.len(),
        ms(&mut parse),
        ms(&mut check),
        ms(&mut human),
        ms(&mut json),
        peak_rss_mib().unwrap_or(f64::NAN)
    );
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let only = args.first().map(String::as_str);
    let size = args.get(1).and_then(|a| a.parse::<usize>().ok());
    let runs = std::env::var("WF_BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5);

    let mut rng = Rng(0x2545_F491_4F6C_DD1D ^ 42);
    let dir = std::env::temp_dir().join(format!("wf-check-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("account.json");
    std::fs::write(&path, account(&mut rng)).unwrap();
    let account = wf::account::load(&path).unwrap();
    let _ = std::fs::remove_dir_all(&dir);

    if only.is_none_or(|o| o == "rules") {
        let n = size.unwrap_or(10_000);
        measure(&format!("rules {n}"), &rules(&mut rng, n), &account, runs);
    }
    if only.is_none_or(|o| o == "line") {
        let n = size.unwrap_or(5_000);
        measure(&format!("line {n}"), &one_line(n), &account, runs);
    }
    if only.is_none_or(|o| o == "args") {
        let n = size.unwrap_or(20_000);
        measure(&format!("args {n}"), &many_args(n), &account, runs);
    }
    if only.is_none_or(|o| o == "wide") {
        let n = size.unwrap_or(1 << 20);
        measure(&format!("wide {n}"), &wide(n), &account, runs);
    }
}
