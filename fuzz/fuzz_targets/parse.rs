//! Fuzz target: the parser never panics, on any bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wf::source::FileId;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = wf::syntax::parse(FileId(0), text);
    }
});
