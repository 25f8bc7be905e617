//! Fuzz target: the runtime end to end. A generated account, script and
//! event stream run as `wf run` runs them (streaming, order checked,
//! references checked by the engine, invalid lines skipped); the same
//! inputs run twice must give the same records, with or without
//! explanations, and the trace must print (JSON Lines and table).
#![no_main]

use libfuzzer_sys::arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use wf::account::Account;
use wf::runtime::events::EventReader;
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
    let mut out = Vec::new();
    for (line, parsed) in EventReader::new(events.as_bytes(), true) {
        let Ok(event) = parsed.and_then(|e| engine.check_event(&e).map(|()| e)) else {
            continue;
        };
        if until.is_some_and(|u| event.at > u) {
            break;
        }
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
        wf::runtime::record::push_jsonl(&mut jsonl, r);
    }
    for w in first.windows(2) {
        assert!(w[0].at <= w[1].at, "records go back in time: {:?} then {:?}", w[0], w[1]);
    }
    let _ = wf::runtime::record::render_table(&first);
});
