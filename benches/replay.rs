//! Replay throughput: a seeded workload of R rules × C contacts × E events
//! run through the same path as `wf run --steps` (the replay driver: events read and parsed
//! ahead on one thread, validated and processed on this one, records
//! formatted as JSON lines on a third), once with the rules and once with
//! none.
//!
//! ```text
//! cargo bench --bench replay                      # 1000 rules, 100000 contacts, 1000000 events
//! cargo bench --bench replay -- 100 1000 10000    # a quick run
//! ```
//!
//! Prints events per second, the engine thread's CPU time, the ratio of
//! the two runs and the peak resident memory (`VmHWM` of
//! `/proc/self/status`). `WF_BENCH_KEEP=DIR` also writes the workload to
//! DIR for `wf run`; `WF_BENCH_RUNS=N` runs each replay N times,
//! alternating, and reports medians; `WF_BENCH_COUNT=1` turns the rule
//! counters on. See `docs/performance.md` for
//! recorded figures.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::fmt::Write as _;
use std::io::{BufWriter, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;
use wf::runtime::Engine;
use wf::runtime::replay::writer::TraceWriter;
use wf::runtime::{Decision, Driver, LiveSink, Options, RecordRef, Sink};
use wf::source::Sources;

#[path = "workload/mix.rs"]
mod mix;
#[path = "workload/stats.rs"]
mod stats;

use mix::{FORMS, LISTS, OUTCOMES, Rng, SEQUENCES, STAGES, TIERS, USERS, owner_field, rules, seat};
use stats::{median, peak_rss_mib};

fn account(rng: &mut Rng, contacts: usize) -> String {
    let mut s = String::from("{\"timezone\": \"Europe/Warsaw\", \"users\": [");
    for u in 0..USERS {
        let seat = seat(u);
        let limit = 200 + rng.below(2000);
        if u > 0 {
            s.push(',');
        }
        write!(
            s,
            "{{\"email\": \"u{u}@acme.test\", \"seats\": [\"{seat}\"], \"inboxes\": [\"u{u}@acme.test\", \"team{u}@acme.test\"], \"daily_send_limit\": {limit}}}"
        )
        .unwrap();
    }
    s.push_str("], \"sequences\": [");
    for q in 0..SEQUENCES {
        if q > 0 {
            s.push(',');
        }
        write!(
            s,
            "{{\"name\": \"S{q}\", \"weekdays_only\": {}, \"steps\": [\
             {{\"type\": \"email\", \"delay_days\": 0, \"body\": \"Hi\"}},\
             {{\"type\": \"task\", \"delay_days\": 1, \"title\": \"Call\", \"pause\": {}}},\
             {{\"type\": \"email\", \"delay_days\": 2, \"body\": \"Again\"}}]}}",
            q % 3 != 0,
            q % 2 == 0
        )
        .unwrap();
    }
    s.push_str("], \"properties\": {\"employees\": {\"type\": \"number\"}, \"score\": {\"type\": \"number\"}, \"tier\": {\"type\": \"enum\", \"values\": [\"gold\", \"silver\", \"bronze\"]}, \"trial\": {\"type\": \"bool\"}}, \"lists\": [");
    for l in 0..LISTS {
        if l > 0 {
            s.push(',');
        }
        write!(s, "{{\"name\": \"L{l}\", \"members\": [").unwrap();
        // Distinct members (the account rejects a repeated one): a repeat
        // is drawn again, which leaves a workload without repeats (the
        // default one) unchanged.
        let mut members: Vec<u64> = Vec::new();
        while members.len() < 50.min(contacts) {
            let c = rng.below(contacts as u64);
            if !members.contains(&c) {
                members.push(c);
            }
        }
        for (m, c) in members.iter().enumerate() {
            if m > 0 {
                s.push(',');
            }
            write!(s, "\"c{c}\"").unwrap();
        }
        s.push_str("]}");
    }
    s.push_str("], \"contacts\": [");
    for c in 0..contacts {
        if c > 0 {
            s.push(',');
        }
        let owner = owner_field(rng);
        write!(
            s,
            "{{\"id\": \"c{c}\", \"email\": \"c{c}@client.test\", {owner}\"properties\": {{\"employees\": {}, \"tier\": \"{}\", \"lifecycle_stage\": \"lead\"}}}}",
            rng.below(2000),
            TIERS[rng.below(3) as usize]
        )
        .unwrap();
    }
    s.push_str("]}");
    s
}

fn events(rng: &mut Rng, contacts: usize, n: usize, out: &mut dyn Write) {
    // 2026-03-02T00:00:00Z
    let mut t: i64 = 1_772_409_600;
    let mut created = contacts;
    let mut line = String::with_capacity(256);
    for _ in 0..n {
        t += rng.below(10) as i64;
        let at = chrono::DateTime::from_timestamp(t, 0)
            .unwrap()
            .format("%Y-%m-%dT%H:%M:%SZ");
        let c = rng.below(contacts as u64);
        line.clear();
        let kind = rng.below(100);
        match kind {
            0..=49 => write!(
                line,
                "{{\"at\": \"{at}\", \"type\": \"form_submitted\", \"contact\": \"c{c}\", \"form\": \"f{}\"}}",
                rng.below(FORMS + 100)
            ),
            50..=59 => write!(
                line,
                "{{\"at\": \"{at}\", \"type\": \"deal_stage_changed\", \"contact\": \"c{c}\", \"deal\": \"d{}\", \"to\": \"st{}\", \"amount\": {}}}",
                rng.below(100_000),
                rng.below(STAGES),
                rng.below(10_000)
            ),
            60..=67 => write!(
                line,
                "{{\"at\": \"{at}\", \"type\": \"meeting_outcome\", \"contact\": \"c{c}\", \"outcome\": \"{}\"}}",
                OUTCOMES[rng.below(5) as usize]
            ),
            68..=77 => write!(
                line,
                "{{\"at\": \"{at}\", \"type\": \"property_changed\", \"contact\": \"c{c}\", \"property\": \"score\", \"value\": {}}}",
                rng.below(100)
            ),
            78..=82 => write!(
                line,
                "{{\"at\": \"{at}\", \"type\": \"task_completed\", \"contact\": \"c{c}\"}}"
            ),
            83..=86 => write!(
                line,
                "{{\"at\": \"{at}\", \"type\": \"email_replied\", \"contact\": \"c{c}\"}}"
            ),
            87..=88 => write!(
                line,
                "{{\"at\": \"{at}\", \"type\": \"meeting_booked\", \"contact\": \"c{c}\"}}"
            ),
            89..=92 => write!(
                line,
                "{{\"at\": \"{at}\", \"type\": \"list_added\", \"contact\": \"c{c}\", \"list\": \"L{}\"}}",
                rng.below(LISTS as u64)
            ),
            93..=94 => write!(
                line,
                "{{\"at\": \"{at}\", \"type\": \"list_removed\", \"contact\": \"c{c}\", \"list\": \"L{}\"}}",
                rng.below(LISTS as u64)
            ),
            95 => write!(
                line,
                "{{\"at\": \"{at}\", \"type\": \"unsubscribed\", \"contact\": \"c{c}\"}}"
            ),
            96 => write!(
                line,
                "{{\"at\": \"{at}\", \"type\": \"email_bounced\", \"contact\": \"c{c}\"}}"
            ),
            97..=98 => {
                let id = created;
                created += 1;
                write!(
                    line,
                    "{{\"at\": \"{at}\", \"type\": \"contact_created\", \"contact\": \"c{id}\", \"owner\": \"u{}@acme.test\", \"source\": \"form\", \"properties\": {{\"employees\": {}}}}}",
                    rng.below(USERS as u64),
                    rng.below(2000)
                )
            }
            _ => write!(
                line,
                "{{\"at\": \"{at}\", \"type\": \"user_updated\", \"user\": \"u{}@acme.test\", \"daily_send_limit\": {}}}",
                rng.below(USERS as u64),
                100 + rng.below(2000)
            ),
        }
        .unwrap();
        line.push('\n');
        out.write_all(line.as_bytes()).unwrap();
    }
}

/// Counts records by decision and hands them on to the trace writer (none
/// with `WF_BENCH_FORMAT=0`, to measure the engine without the trace).
struct Counting<'a> {
    counts: &'a mut [u64; Decision::ALL.len()],
    trace: Option<TraceWriter>,
}

impl Sink for Counting<'_> {
    fn record(&mut self, r: &RecordRef<'_>) {
        self.counts[r.decision as usize] += 1;
        if let Some(t) = &mut self.trace {
            t.record(r);
        }
    }
}

impl LiveSink for Counting<'_> {
    fn flush(&mut self) {
        if let Some(t) = &mut self.trace {
            LiveSink::flush(t);
        }
    }

    fn failed(&self) -> bool {
        self.trace.as_ref().is_some_and(LiveSink::failed)
    }
}

/// Where the trace goes: counted, optionally hashed (FNV-1a, with
/// `WF_BENCH_HASH=1`: to compare the bytes of two builds; it costs time),
/// then discarded.
struct Measure {
    bytes: Arc<AtomicU64>,
    hash: Option<(u64, Arc<AtomicU64>)>,
}

impl Write for Measure {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.bytes.fetch_add(buf.len() as u64, Ordering::Relaxed);
        if let Some((h, shared)) = &mut self.hash {
            for &b in buf {
                *h = (*h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
            }
            shared.store(*h, Ordering::Relaxed);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// What `wf run --steps` does, writing to a sink. Returns (events, records).
fn replay(
    account: &wf::account::Account,
    sources: &Sources,
    programs: &[(wf::source::FileId, wf::syntax::Program)],
    events: &std::path::Path,
    counts: &mut [u64; Decision::ALL.len()],
) -> (usize, u64) {
    let start = Instant::now();
    let engine_cpu = thread_cpu_seconds();
    let mut engine = Engine::new(account, sources, programs);
    println!("  engine built in {:.3} s", start.elapsed().as_secs_f64());
    engine.set_steps(true);
    // `WF_BENCH_COUNT=1` turns the rule counters on (off in `wf run`).
    let counting = std::env::var("WF_BENCH_COUNT").as_deref() == Ok("1");
    engine.set_counting(counting);
    let input = std::fs::File::open(events).unwrap();
    let bytes = Arc::new(AtomicU64::new(0));
    let hash = (std::env::var("WF_BENCH_HASH").as_deref() == Ok("1"))
        .then(|| Arc::new(AtomicU64::new(0xcbf2_9ce4_8422_2325)));
    let format = std::env::var("WF_BENCH_FORMAT").map_or(true, |v| v != "0");
    let mut sink = Counting {
        counts,
        trace: format.then(|| {
            TraceWriter::for_engine(
                Measure {
                    bytes: Arc::clone(&bytes),
                    hash: hash
                        .as_ref()
                        .map(|h| (h.load(Ordering::Relaxed), Arc::clone(h))),
                },
                &engine,
            )
        }),
    };
    // Every line of the workload is valid: a bad one is a bug.
    let mut driver = Driver::new(&mut engine, Options::default());
    let ran: Result<(), String> = driver.run(input, &mut sink, &mut |bad| {
        Err(format!("line {}:{}: {}", bad.line, bad.column, bad.message))
    });
    ran.unwrap();
    driver.finish(&mut sink);
    let n = driver.events_run();
    if let Some(t) = sink.trace.take() {
        t.finish().unwrap();
    }
    println!(
        "  engine thread cpu {:.2} s",
        thread_cpu_seconds() - engine_cpu
    );
    let bytes = bytes.load(Ordering::Relaxed);
    if bytes > 0 {
        println!("  trace written: {} MB", bytes / 1_000_000);
    }
    if let Some(h) = hash {
        println!(
            "  trace FNV-1a: {:016x} ({bytes} bytes)",
            h.load(Ordering::Relaxed)
        );
    }
    if let Some(counts) = engine.rule_counts() {
        let triggered: u64 = counts.iter().map(|c| c.triggered).sum();
        println!("  rule counters: {triggered} trigger matches");
    }
    (n, engine.records_emitted())
}

/// CPU time of this process so far (user + system), in seconds: on a
/// shared machine it says more than the wall clock.
fn cpu_seconds() -> f64 {
    cpu_seconds_of("/proc/self/stat")
}

/// CPU time of the calling thread (the engine's) so far, in seconds.
fn thread_cpu_seconds() -> f64 {
    cpu_seconds_of("/proc/thread-self/stat")
}

fn cpu_seconds_of(path: &str) -> f64 {
    let Ok(stat) = std::fs::read_to_string(path) else {
        return 0.0;
    };
    // Fields after the parenthesised command name; utime and stime are the
    // 12th and 13th of them, in clock ticks (100 per second on Linux).
    let rest = stat.rsplit(')').next().unwrap_or("");
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = [11, 12]
        .iter()
        .filter_map(|&i| fields.get(i)?.parse::<f64>().ok())
        .sum();
    ticks / 100.0
}

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let n_rules = args.first().copied().unwrap_or(1000);
    let n_contacts = args.get(1).copied().unwrap_or(100_000);
    let n_events = args.get(2).copied().unwrap_or(1_000_000);
    println!("workload: {n_rules} rules, {n_contacts} contacts, {n_events} events (seed 42)");

    let mut rng = Rng(0x2545_F491_4F6C_DD1D ^ 42);
    let account_text = account(&mut rng, n_contacts);
    let rules_text = rules(&mut rng, n_rules);
    // `WF_BENCH_KEEP=DIR` writes the workload to DIR as files for
    // `wf run` (account.json, bench.wf, events.jsonl) and keeps them.
    let keep = std::env::var_os("WF_BENCH_KEEP").map(std::path::PathBuf::from);
    let dir = keep
        .clone()
        .unwrap_or_else(|| std::env::temp_dir().join(format!("wf-bench-{}", std::process::id())));
    std::fs::create_dir_all(&dir).unwrap();
    if keep.is_some() {
        std::fs::write(dir.join("account.json"), &account_text).unwrap();
        std::fs::write(dir.join("bench.wf"), &rules_text).unwrap();
    }
    let events_path = dir.join("events.jsonl");
    {
        let mut f = BufWriter::new(std::fs::File::create(&events_path).unwrap());
        events(&mut rng, n_contacts, n_events, &mut f);
        f.flush().unwrap();
    }
    println!(
        "  events file: {} MB",
        std::fs::metadata(&events_path).unwrap().len() / 1_000_000
    );
    let account = wf::account::from_text("account.json", &account_text, false).unwrap();
    drop(account_text);

    let mut sources = Sources::new();
    let id = sources.add("bench.wf", rules_text.clone());
    let program = wf::syntax::parse(id, &rules_text).unwrap();
    let programs = vec![(id, program)];
    let empty: Vec<(wf::source::FileId, wf::syntax::Program)> = Vec::new();

    // `WF_BENCH_ONLY=rules` or `=none` runs one replay (for profiling);
    // `WF_BENCH_RUNS=N` runs each replay N times, alternating, and reports
    // the medians (this machine's speed drifts from minute to minute).
    let only = std::env::var("WF_BENCH_ONLY").unwrap_or_default();
    let runs: usize = std::env::var("WF_BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(1)
        .max(1);
    let mut counts = [0u64; Decision::ALL.len()];
    let (mut with_rules, mut with_rules_cpu) = (Vec::new(), Vec::new());
    let (mut without, mut without_cpu) = (Vec::new(), Vec::new());
    let mut records = 0;
    let mut baseline_records = 0;
    let mut n = 0;
    for _ in 0..runs {
        if only != "none" {
            let start = Instant::now();
            let cpu = cpu_seconds();
            counts = [0; Decision::ALL.len()];
            (n, records) = replay(&account, &sources, &programs, &events_path, &mut counts);
            with_rules.push(start.elapsed().as_secs_f64());
            with_rules_cpu.push(cpu_seconds() - cpu);
        }
        if only != "rules" {
            let start = Instant::now();
            let cpu = cpu_seconds();
            (n, baseline_records) = replay(
                &account,
                &sources,
                &empty,
                &events_path,
                &mut [0; Decision::ALL.len()],
            );
            without.push(start.elapsed().as_secs_f64());
            without_cpu.push(cpu_seconds() - cpu);
        }
    }
    if runs > 1 {
        let list = |v: &[f64]| {
            v.iter()
                .map(|x| format!("{x:.3}"))
                .collect::<Vec<_>>()
                .join(" ")
        };
        println!("with rules, wall (s):    {}", list(&with_rules));
        println!("without rules, wall (s): {}", list(&without));
        println!("medians of {runs} runs:");
    }
    let (with_rules, with_rules_cpu) = (median(&mut with_rules), median(&mut with_rules_cpu));
    let (without, without_cpu) = (median(&mut without), median(&mut without_cpu));

    println!(
        "with rules:    wall {with_rules:.3} s ({:.0} events/s), cpu {with_rules_cpu:.2} s ({:.0} events/s), {records} records",
        n as f64 / with_rules,
        n as f64 / with_rules_cpu
    );
    println!(
        "without rules: wall {without:.3} s ({:.0} events/s), cpu {without_cpu:.2} s ({:.0} events/s), {baseline_records} records",
        n as f64 / without,
        n as f64 / without_cpu
    );
    println!(
        "ratio:         wall {:.2}, cpu {:.2}",
        with_rules / without,
        with_rules_cpu / without_cpu
    );
    let counts: std::collections::BTreeMap<&str, u64> = Decision::ALL
        .iter()
        .zip(counts)
        .map(|(d, c)| (d.as_str(), c))
        .collect();
    println!("records:       {counts:?}");
    if let Some(mib) = peak_rss_mib() {
        println!("peak RSS:      {mib:.0} MiB");
    }
    if keep.is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
}
