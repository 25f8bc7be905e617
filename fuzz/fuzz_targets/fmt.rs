//! Fuzz target: the formatter round trip. For any script that parses,
//! `format_source` must succeed, its output must parse to an equal
//! `Program` (spans aside) and formatting the output must change nothing.
//! The first byte picks raw text (odd) or a generated script (even).
#![no_main]

use libfuzzer_sys::fuzz_target;
use wf::source::FileId;

fuzz_target!(|data: &[u8]| {
    let Some(text) = wf_fuzz::script_input(data) else {
        return;
    };
    wf_fuzz::dump("script.wf", &text);
    let file = FileId(0);
    let parsed = wf::syntax::parse(file, &text);
    let formatted = wf::format::format_source(file, &text);
    let (program, out) = match (parsed, formatted) {
        (Ok(p), Ok(out)) => (p, out),
        (Err(_), Err(_)) => return,
        (p, f) => panic!(
            "parse and format disagree: {:?} vs {:?}",
            p.is_ok(),
            f.is_ok()
        ),
    };
    let again = match wf::syntax::parse(file, &out) {
        Ok(p) => p,
        Err(d) => panic!("formatted text does not parse: {}\n---\n{out}", d.message),
    };
    assert_eq!(program, again, "formatting changed the program\n---\n{out}");
    let twice = wf::format::format_source(file, &out).unwrap_or_default();
    assert_eq!(out, twice, "formatting is not idempotent");
    assert_eq!(
        wf::format::format_program(&program),
        wf::format::format_program(&again)
    );
});
