//! `wf lsp`'s latency, driven over its real transport: the `wf` binary
//! runs `wf lsp` on pipes and this bench is its client, writing and
//! reading framed JSON-RPC messages with the tests' client
//! (`tests/wf/lsp/client.rs`, included by its path).
//!
//! ```text
//! cargo bench --bench lsp                   # 10,000 rules
//! cargo bench --bench lsp -- 2000           # another size
//! WF_BENCH_RUNS=15 cargo bench --bench lsp
//! WF_LSP_BIN=OTHER/wf cargo bench --bench lsp   # another build's server
//! ```
//!
//! The workload is the `check` bench's (`workload/rules.rs`): N generated
//! rules against a 1,000-contact account, in a project folder with a
//! `wf.toml`. After the document is opened and checked once, each run
//! sends:
//!
//! - `change`: a one-line `didChange` (one rule's sequence name replaced,
//!   alternately by a known and an unknown one) and waits for the
//!   `publishDiagnostics` that follows — the time until its last byte is
//!   read;
//! - `completion`: a completion request just inside the quote after
//!   `enroll in` and waits for its answer (the sequence names).
//!
//! Printed: the median and range over `WF_BENCH_RUNS` runs (9 by default)
//! of each, the server's CPU time per change (from `/proc`), the size of
//! the diagnostics message, and — for where the time goes — the library's
//! parse and check of the same text in this process. Recorded figures:
//! `docs/performance.md`, section "`wf lsp`".

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

#[path = "workload/rules.rs"]
mod workload;

#[allow(dead_code)] // shared with the tests, which use other parts
#[path = "../tests/wf/lsp/client.rs"]
mod client;

use client::Client;
use serde_json::{Value, json};
use std::process::Stdio;
use std::time::Instant;
use workload::{Rng, account, rules};

/// User and system CPU time of process `pid`, in milliseconds.
fn cpu_ms(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let after_name = stat.rsplit(')').next().unwrap_or("");
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks: f64 = fields
        .get(11..13)
        .map(|f| f.iter().filter_map(|t| t.parse::<f64>().ok()).sum())
        .unwrap_or(f64::NAN);
    ticks * 10.0 // 100 ticks a second on Linux
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

fn summary(v: &mut [f64]) -> String {
    let m = median(v);
    format!(
        "median {m:.1} ms (min {:.1}, max {:.1})",
        v.first().copied().unwrap_or(f64::NAN),
        v.last().copied().unwrap_or(f64::NAN)
    )
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let n = args.first().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let runs: usize = std::env::var("WF_BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(9);

    let mut rng = Rng(0x2545_F491_4F6C_DD1D ^ 42);
    let dir = std::env::temp_dir().join(format!("wf-lsp-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("account.json"), account(&mut rng)).unwrap();
    std::fs::write(dir.join("wf.toml"), "account = \"account.json\"\n").unwrap();
    let mut text = rules(&mut rng, n);
    // The line every change rewrites, and the completion's line.
    text.push_str("when form_submitted(\"edit\") then enroll in \"S1\" from owner\n");
    text.push_str("when form_submitted(\"done\") then enroll in \"S2\" from owner\n");
    let lines = text.lines().count() as u32;
    let (edit_line, completion_line) = (lines - 2, lines - 1);

    // In this process, for where the time goes.
    let account_value = wf::account::load(&dir.join("account.json")).unwrap();
    let (mut parse, mut check) = (vec![], vec![]);
    let mut found = 0;
    for _ in 0..runs {
        let t = Instant::now();
        let program = wf::syntax::parse(wf::source::FileId::default(), &text);
        parse.push(t.elapsed().as_secs_f64() * 1000.0);
        let t = Instant::now();
        if let Ok(program) = program {
            let d = wf::check::check(&[(wf::source::FileId::default(), program)], &account_value);
            found = d.len() + d.iter().map(|d| d.also.len()).sum::<usize>();
        }
        check.push(t.elapsed().as_secs_f64() * 1000.0);
    }

    // Another build's `wf`, for alternated before/after runs.
    let bin = std::env::var("WF_LSP_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_wf").to_owned());
    let mut client = Client::start(&bin, &dir, Stdio::inherit());
    let pid = client.child.id();
    let uri = format!("file://{}/bench.wf", dir.display());
    client.initialize(&format!("file://{}", dir.display()));
    let t = Instant::now();
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "wf", "version": 1, "text": text}}),
    );
    let opened = client.wait_for("textDocument/publishDiagnostics");
    let open_ms = opened.at.duration_since(t).as_secs_f64() * 1000.0;

    let (mut change, mut complete) = (vec![], vec![]);
    let mut bytes = 0;
    let mut published = 0;
    let cpu_before = cpu_ms(pid);
    for run in 0..runs {
        let sequence = if run % 2 == 0 { "Nope" } else { "S1" };
        let edit = json!({
            "textDocument": {"uri": uri, "version": run + 2},
            "contentChanges": [{"range": {"start": {"line": edit_line, "character": 0},
                                          "end": {"line": edit_line + 1, "character": 0}},
                                "text": format!("when form_submitted(\"edit\") then enroll in \"{sequence}\" from owner\n")}]});
        let t = Instant::now();
        client.notify("textDocument/didChange", edit);
        let m = client.wait_for("textDocument/publishDiagnostics");
        change.push(m.at.duration_since(t).as_secs_f64() * 1000.0);
        bytes = m.body.len();
        published = m.json()["params"]["diagnostics"]
            .as_array()
            .map_or(0, Vec::len);
    }
    let cpu_per_change = (cpu_ms(pid) - cpu_before) / runs as f64;
    for _ in 0..runs {
        let t = Instant::now();
        let id = client.send_request(
            "textDocument/completion",
            json!({"textDocument": {"uri": uri},
                   "position": {"line": completion_line, "character": 44}}),
        );
        let m = client.wait_response(id);
        complete.push(m.at.duration_since(t).as_secs_f64() * 1000.0);
        let v: Value = m.json();
        assert!(v["result"].as_array().is_some_and(|a| !a.is_empty()));
    }
    assert_eq!(client.finish(), Some(0));
    let _ = std::fs::remove_dir_all(&dir);

    println!(
        "lsp {n} rules ({} bytes, {lines} lines); {runs} runs; the first check after didOpen {open_ms:.0} ms",
        text.len()
    );
    println!(
        "  change -> publishDiagnostics: {}; server CPU {cpu_per_change:.0} ms per change; {published} diagnostics, {bytes} bytes",
        summary(&mut change)
    );
    println!("  completion: {}", summary(&mut complete));
    println!(
        "  in process: parse {}; check {}; {found} places",
        summary(&mut parse),
        summary(&mut check)
    );
}
