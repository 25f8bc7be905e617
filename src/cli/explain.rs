//! `wf explain CODE`: prints the paragraph about a diagnostic code
//! (case-insensitive: `e0101` works). An unknown code is a command-line
//! error (exit 2) that lists the known codes. A closed standard output
//! ends quietly (exit 0); another write failure is exit 2.

use super::exit;
use crate::diagnostic::Code;
use std::io::Write;

/// Arguments of `wf explain`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The code, such as `E0101` or `w0401`.
    code: String,
}

/// Runs `wf explain` and returns the exit code.
pub fn run(args: Args) -> i32 {
    match Code::parse(&args.code) {
        Some(code) => {
            let mut out = std::io::stdout().lock();
            match writeln!(out, "{}", crate::check::explain(code)).and_then(|()| out.flush()) {
                Ok(()) => exit::OK,
                Err(e) => super::write_failed(&e, exit::OK),
            }
        }
        None => {
            let known: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
            super::to_stderr(format_args!(
                "error: unknown diagnostic code `{}`\n\nthe codes are: {}\n",
                args.code,
                known.join(", ")
            ));
            exit::INPUT
        }
    }
}
