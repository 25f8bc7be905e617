//! `wf explain CODE`: prints the paragraph about a diagnostic code
//! (case-insensitive: `e0101` works). An unknown code is a command-line
//! error (exit 2) that lists the known codes.

use super::exit;
use crate::diagnostic::Code;

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
            println!("{}", crate::check::explain(code));
            exit::OK
        }
        None => {
            let known: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
            eprintln!(
                "error: unknown diagnostic code `{}`\n\nthe codes are: {}",
                args.code,
                known.join(", ")
            );
            exit::INPUT
        }
    }
}
