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
use wf::runtime::events::{EventReader, Validator, parse_event};
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
    for line in text.lines() {
        if let Ok(e) = parse_event(line, default_at) {
            let _ = validator.check(&e);
            let _ = wf::runtime::record::format_at(&e.at);
        }
    }
    // Raw bytes too: the reader reports lines that are not UTF-8.
    let engine = Engine::new(account, &Sources::new(), &[]);
    for (line, result) in EventReader::new(rest, true) {
        assert!(line >= 1);
        if let Ok(e) = result {
            let _ = engine.check_event(&e);
        }
    }
    for line in text.lines() {
        if let Ok(e) = engine.parse_event(line) {
            let _ = engine.check_event(&e);
        }
    }
});
