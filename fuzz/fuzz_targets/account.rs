//! Fuzz target: the account loader never panics, on JSON or TOML text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some((&first, rest)) = data.split_first() {
        if let Ok(text) = std::str::from_utf8(rest) {
            let _ = wf::account::from_text("fuzz", text, first & 1 == 1);
        }
    }
});
