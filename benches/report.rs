//! `wf report` against `wf run --steps` on the replay bench's workload:
//! the time to make the page against the time to replay and write the
//! trace, alternated in one process, and the page's size.
//!
//! ```text
//! WF_BENCH_KEEP=/tmp/wl WF_BENCH_ONLY=none cargo bench --bench replay   # writes the workload
//! WF_REPORT_WORKLOAD=/tmp/wl cargo bench --bench report                  # WF_BENCH_RUNS=N (default 3)
//! ```
//!
//! Both sides load nothing inside the timing: the account and scripts are
//! loaded and checked once. The trace goes to a sink that counts its
//! bytes; the page is written to `WF_REPORT_WORKLOAD/report.html` (in the
//! timing). See `docs/performance.md` for recorded figures.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::path::{Path, PathBuf};
use std::time::Instant;
use wf::runtime::replay::writer::TraceWriter;
use wf::runtime::{Driver, Engine, Options};
use wf::source::Sources;

struct Loaded {
    account: wf::account::Account,
    sources: Sources,
    programs: Vec<(wf::source::FileId, wf::syntax::Program)>,
    warnings: Vec<wf::diagnostic::Diagnostic>,
}

fn load(dir: &Path) -> Loaded {
    let account = wf::account::load(&dir.join("account.json")).unwrap();
    let mut sources = Sources::new();
    let text = std::fs::read_to_string(dir.join("bench.wf")).unwrap();
    let id = sources.add("bench.wf", text.clone());
    let programs = vec![(id, wf::syntax::parse(id, &text).unwrap())];
    let warnings: Vec<_> = wf::check::check(&programs, &account)
        .into_iter()
        .filter(|d| !d.is_error())
        .collect();
    Loaded {
        account,
        sources,
        programs,
        warnings,
    }
}

/// What `wf run --steps` does after loading: replay, trace written on its
/// own thread (to a sink).
fn run_steps(l: &Loaded, events: &Path) -> f64 {
    let start = Instant::now();
    let mut engine = Engine::new(&l.account, &l.sources, &l.programs);
    engine.set_steps(true);
    let mut trace = TraceWriter::for_engine(std::io::sink(), &engine);
    let mut driver = Driver::new(&mut engine, Options::default());
    let ran: Result<(), String> = driver.run(
        std::fs::File::open(events).unwrap(),
        &mut trace,
        &mut |bad| Err(bad.message),
    );
    ran.unwrap();
    driver.finish(&mut trace);
    trace.finish().unwrap();
    start.elapsed().as_secs_f64()
}

/// What `wf report` does after loading: replay, page, file.
fn report(l: &Loaded, events: &Path, out: &Path) -> (f64, usize) {
    let start = Instant::now();
    let inputs = wf::report::Inputs {
        account: &l.account,
        sources: &l.sources,
        programs: &l.programs,
        warnings: &l.warnings,
        events_name: "events.jsonl",
        until: None,
    };
    let page = wf::report::generate(&inputs, std::fs::File::open(events).unwrap()).unwrap();
    wf::atomic::write(out, page.as_bytes()).unwrap();
    (start.elapsed().as_secs_f64(), page.len())
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let Some(dir) = std::env::var_os("WF_REPORT_WORKLOAD").map(PathBuf::from) else {
        println!(
            "set WF_REPORT_WORKLOAD to a folder written by the replay bench \
             (WF_BENCH_KEEP=DIR WF_BENCH_ONLY=none cargo bench --bench replay)"
        );
        return;
    };
    let runs: usize = std::env::var("WF_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    let loaded = load(&dir);
    let events = dir.join("events.jsonl");
    let out = dir.join("report.html");
    let (mut run_times, mut report_times, mut size) = (Vec::new(), Vec::new(), 0);
    for i in 0..runs {
        let r = run_steps(&loaded, &events);
        let (p, bytes) = report(&loaded, &events, &out);
        size = bytes;
        println!("run {}: wf run --steps {r:.3} s, wf report {p:.3} s", i + 1);
        run_times.push(r);
        report_times.push(p);
    }
    let (r, p) = (median(run_times), median(report_times));
    println!(
        "median: wf run --steps {r:.3} s, wf report {p:.3} s, ratio {:.2}",
        p / r
    );
    println!(
        "page: {size} bytes ({:.2} MB), {}",
        size as f64 / 1e6,
        out.display()
    );
}
