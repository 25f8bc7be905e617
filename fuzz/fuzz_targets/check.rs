//! Fuzz target: the checker. Scripts that parse are checked against the
//! checker's fixture account; every diagnostic must lie inside its file
//! and render (ariadne and JSON) without a panic, and checking twice gives
//! the same diagnostics. The first byte picks raw text (odd) or a
//! generated script (even).
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use wf::account::Account;
use wf::source::Sources;

fn account() -> &'static Account {
    static ACCOUNT: OnceLock<Account> = OnceLock::new();
    ACCOUNT.get_or_init(|| {
        let text = include_str!("../../tests/fixtures/check/account.json");
        wf::account::from_text("account.json", text, false)
            .unwrap_or_else(|e| panic!("the checker's account loads: {e}"))
    })
}

fuzz_target!(|data: &[u8]| {
    let Some(text) = wf_fuzz::script_input(data) else {
        return;
    };
    wf_fuzz::dump("script.wf", &text);
    let mut sources = Sources::new();
    let file = sources.add("fuzz.wf", text.clone());
    let program = match wf::syntax::parse(file, &text) {
        Ok(p) => p,
        Err(d) => {
            assert!(d.span.end <= text.len() && d.span.start <= d.span.end);
            let _ = d.render(&sources, false);
            return;
        }
    };
    let programs = vec![(file, program)];
    let diagnostics = wf::check::check(&programs, account());
    for d in &diagnostics {
        assert!(
            d.span.start <= d.span.end && d.span.end <= text.len(),
            "diagnostic {} outside the file: {:?}",
            d.code.as_str(),
            d.span
        );
        let _ = d.render(&sources, false);
        let _ = serde_json::to_string(&d.to_json(&sources));
    }
    assert_eq!(diagnostics, wf::check::check(&programs, account()));
});
