//! Fuzz target: the runtime end to end. A generated account, script and
//! event stream are replayed by a plain model of `wf run --skip-invalid`,
//! one line at a time on one thread (stop after `until`; skip a line that
//! is malformed, out of order or names what does not exist); the same
//! inputs run twice must give the same records, with or without
//! explanations, and the trace must print (JSON Lines and table). The
//! replay driver, run as `wf run` runs it (events read ahead on a thread,
//! the trace written by another), must give the same bytes as the model.
#![no_main]

use libfuzzer_sys::arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use std::sync::{Arc, Mutex};
use wf::account::Account;
use wf::runtime::replay::EventReader;
use wf::runtime::replay::writer::TraceWriter;
use wf::runtime::{Engine, ExplainMode, Record};
use wf::source::{FileId, Sources};
use wf::syntax::Program;

fn replay(
    account: &Account,
    sources: &Sources,
    programs: &[(FileId, Program)],
    events: &str,
    until: Option<chrono::DateTime<chrono::Utc>>,
    explain: bool,
) -> Vec<Record> {
    let mut engine = Engine::new(account, sources, programs);
    engine.set_steps(true);
    if explain {
        engine.set_explain(ExplainMode::Contacts(vec!["c-1".to_owned()]));
    }
    // The rules of `wf run --skip-invalid`, one line at a time: stop at the
    // first event after `until`; skip a line that is malformed, earlier
    // than the last event run, or names what does not exist.
    let mut out = Vec::new();
    let mut last_at = None;
    for (line, parsed) in EventReader::new(events.as_bytes(), false) {
        let Ok(event) = parsed else { continue };
        if until.is_some_and(|u| event.at > u) {
            break;
        }
        if last_at.is_some_and(|last| event.at < last) || engine.check_event(&event).is_err() {
            continue;
        }
        last_at = Some(event.at);
        engine.process(&event, Some(line), &mut out);
        let _ = engine.contact("c-1");
    }
    engine.finish(until, &mut out);
    if explain {
        for e in engine.evaluations("c-1") {
            let _ = e.to_string();
        }
    }
    out
}

/// A trace kept in memory, readable after the writer is done.
struct Shared(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Shared {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The same replay as `wf run --skip-invalid --steps` runs it
/// (the replay driver: events read ahead on a thread, the trace written by
/// another); returns the trace's bytes.
fn replay_threaded(
    account: &Account,
    sources: &Sources,
    programs: &[(FileId, Program)],
    events: &str,
    until: Option<chrono::DateTime<chrono::Utc>>,
) -> Vec<u8> {
    let mut engine = Engine::new(account, sources, programs);
    engine.set_steps(true);
    let bytes = Arc::new(Mutex::new(Vec::new()));
    let mut out = TraceWriter::for_engine(Shared(Arc::clone(&bytes)), &engine);
    let input = std::io::Cursor::new(events.as_bytes().to_vec());
    let options = wf::runtime::Options {
        until,
        ..wf::runtime::Options::default()
    };
    let mut driver = wf::runtime::Driver::new(&mut engine, options);
    let skipped: Result<(), ()> = driver.run(input, &mut out, &mut |_| Ok(()));
    assert!(skipped.is_ok());
    driver.finish(&mut out);
    out.finish().unwrap();
    let bytes = bytes.lock().unwrap().clone();
    bytes
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let account_text = wf_fuzz::account(&mut u);
    let script = wf_fuzz::script(&mut u);
    let until = match u.int_in_range(0..=3u8).unwrap_or(0) {
        0 => chrono::DateTime::from_timestamp(1_772_439_300 + 10 * 86_400, 0),
        _ => None,
    };
    let events = wf_fuzz::events(&mut u);
    wf_fuzz::dump("account.json", &account_text);
    wf_fuzz::dump("script.wf", &script);
    wf_fuzz::dump("events.jsonl", &events);
    if let Some(t) = until {
        wf_fuzz::dump("until", &wf::runtime::engine::record::format_at(&t));
    }
    let account = match wf::account::from_text("account.json", &account_text, false) {
        Ok(a) => a,
        Err(e) => panic!("the generated account loads: {e}\n{account_text}"),
    };
    let mut sources = Sources::new();
    let file = sources.add("fuzz.wf", script.clone());
    let program = match wf::syntax::parse(file, &script) {
        Ok(p) => p,
        Err(d) => panic!("the generated script parses: {}\n{script}", d.message),
    };
    let programs = vec![(file, program)];
    // The engine runs unchecked programs too (the library does not
    // require a clean check), so checker errors do not stop the run.
    let _ = wf::check::check(&programs, &account);
    let first = replay(&account, &sources, &programs, &events, until, false);
    let second = replay(&account, &sources, &programs, &events, until, false);
    assert_eq!(first, second, "the runtime is not deterministic");
    let explained = replay(&account, &sources, &programs, &events, until, true);
    assert_eq!(first, explained, "explanations changed the records");
    let mut jsonl = Vec::new();
    for (i, r) in first.iter().enumerate() {
        assert_eq!(r.seq, i as u64 + 1, "records are numbered from 1");
        wf::runtime::replay::jsonl::push_jsonl(&mut jsonl, r);
    }
    let threaded = replay_threaded(&account, &sources, &programs, &events, until);
    assert!(threaded == jsonl, "the threaded replay wrote other bytes");
    for w in first.windows(2) {
        assert!(
            w[0].at <= w[1].at,
            "records go back in time: {:?} then {:?}",
            w[0],
            w[1]
        );
    }
    let _ = wf::runtime::replay::table::render_table(&first);
});
