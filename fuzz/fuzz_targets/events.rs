//! Fuzz target: the events reader. Any text, read as a JSON Lines events
//! file against a fixed account, gives events or messages, never a panic:
//! line by line (`parse_event` + `check_refs` through a `Validator`), as a
//! stream (`EventReader` with the order check) and through the engine's
//! own `parse_event` / `check_event` (the REPL's `:event`). The first byte
//! picks raw text (odd) or a generated stream (even).
#![no_main]

use libfuzzer_sys::arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use wf::account::Account;
use wf::runtime::Engine;
use wf::runtime::replay::{EventReader, Validator, parse_event};
use wf::source::Sources;

fn account() -> &'static Account {
    static ACCOUNT: OnceLock<Account> = OnceLock::new();
    ACCOUNT.get_or_init(|| {
        wf::account::from_text(
            "account.json",
            include_str!("../../examples/account.json"),
            false,
        )
        .unwrap_or_else(|e| panic!("the example account loads: {e}"))
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let text = if mode & 1 == 1 {
        String::from_utf8_lossy(rest).into_owned()
    } else {
        wf_fuzz::events(&mut Unstructured::new(rest))
    };
    wf_fuzz::dump("events.jsonl", &text);
    let account = account();
    let mut validator = Validator::new(account);
    let default_at = chrono::DateTime::from_timestamp(1_772_439_300, 0);
    // Every problem is placed on a column of its line.
    let placed = |problem: &wf::runtime::replay::Problem, line: &str| {
        let column = problem.column(line);
        assert!(
            (1..=line.chars().count() + 1).contains(&column),
            "column {column} of {line:?}: {problem}"
        );
    };
    for line in text.lines() {
        match parse_event(line, default_at) {
            Ok(e) => {
                if let Err(p) = validator.check(&e) {
                    placed(&p, line);
                }
                let _ = wf::runtime::engine::record::format_at(&e.at);
            }
            Err(p) => placed(&p, line),
        }
    }
    // Raw bytes too: the reader reports lines that are not UTF-8.
    let engine = Engine::new(account, &Sources::new(), &[]);
    let mut reader = EventReader::new(rest, true);
    while let Some((line, result)) = reader.next() {
        assert!(line >= 1);
        match result {
            Ok(e) => {
                if let Err(p) = engine.check_event(&e) {
                    placed(&p, reader.text());
                }
            }
            Err(p) => placed(&p, reader.text()),
        }
    }
    for line in text.lines() {
        match engine.parse_event(line) {
            Ok(e) => {
                let _ = engine.check_event(&e);
            }
            Err(p) => placed(&p, line),
        }
    }
});
