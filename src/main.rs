//! The `wf` binary: parse the command line, dispatch, exit.
//!
//! A panic is a bug: the hook below replaces the backtrace with a short
//! request for a report, and the process exits with code 70. The hook writes
//! with `write!`, not `eprintln!`, so a closed standard error cannot turn
//! the report into an abort.

use std::io::Write;

fn main() {
    std::panic::set_hook(Box::new(|info| {
        let _ = writeln!(
            std::io::stderr(),
            "wf: internal error: {info}\nThis is a bug in wf; please report it with the command and inputs that caused it."
        );
    }));
    let code = std::panic::catch_unwind(wf::cli::main).unwrap_or(wf::cli::exit::INTERNAL);
    std::process::exit(code);
}
