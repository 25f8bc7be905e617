//! `wf check FILE... --account A [--format human|json] [--deny-warnings]`.
//!
//! Reads and parses every script (files that fail to parse give E0001 and
//! the others are still checked), loads the account and runs the checker.
//! Human output: rendered diagnostics and a summary line on standard error.
//! JSON output: one object per diagnostic per line on standard output (the
//! command's result), nothing on standard error. Exit code 0 without
//! errors (1 with `--deny-warnings` and a warning), 1 with errors, 2 for a
//! bad command line, an unreadable script or a bad account. Standard output
//! closed early stops the JSON lines quietly (the exit code is unchanged);
//! another failure to write them is exit 2.

use super::exit;
use crate::diagnostic::{Diagnostic, Severity};
use std::io::Write;
use std::path::PathBuf;

/// Arguments of `wf check`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scripts to check, in program order (default: the project's).
    #[arg(value_name = "FILE")]
    files: Vec<PathBuf>,
    /// The account file (JSON, or TOML when the name ends in `.toml`;
    /// default: the project's).
    #[arg(long, value_name = "A")]
    account: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Treat warnings as errors for the exit code.
    #[arg(long)]
    deny_warnings: bool,
}

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// Rendered with source excerpts, on standard error.
    Human,
    /// One JSON object per line, on standard output.
    Json,
}

/// Runs `wf check` and returns the exit code.
pub fn run(args: Args) -> i32 {
    let (files, account) = match crate::project::scripts_and_account(args.files, args.account) {
        Ok(inputs) => inputs,
        Err(e) => return super::input_error(&e),
    };
    let scripts = match super::load_scripts(&files) {
        Ok(s) => s,
        Err(e) => return super::input_error(&e),
    };
    let account = match crate::account::load(&account) {
        Ok(a) => a,
        Err(e) => return super::input_error(&e),
    };
    let mut diagnostics = scripts.errors;
    diagnostics.extend(crate::check::check(&scripts.programs, &account));
    diagnostics.sort_by_key(Diagnostic::sort_key);
    match args.format {
        Format::Human => {
            super::print_diagnostics(&diagnostics, &scripts.sources);
            super::to_stderr(format_args!("{}\n", summary(&diagnostics)));
        }
        Format::Json => {
            let code = exit_code(&diagnostics, args.deny_warnings);
            let mut out = std::io::stdout().lock();
            for d in &diagnostics {
                let line = serde_json::to_string(&d.to_json(&scripts.sources)).unwrap_or_default();
                if let Err(e) = writeln!(out, "{line}") {
                    return super::write_failed(&e, code);
                }
            }
            if let Err(e) = out.flush() {
                return super::write_failed(&e, code);
            }
            return code;
        }
    }
    exit_code(&diagnostics, args.deny_warnings)
}

/// The exit code for a set of diagnostics.
fn exit_code(diagnostics: &[Diagnostic], deny_warnings: bool) -> i32 {
    let errors = diagnostics.iter().any(Diagnostic::is_error);
    let warnings = diagnostics.iter().any(|d| d.severity == Severity::Warning);
    if errors || (deny_warnings && warnings) {
        exit::FAILED
    } else {
        exit::OK
    }
}

/// "2 errors, 1 warning", or "no problems found".
pub fn summary(diagnostics: &[Diagnostic]) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    let count = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
    match (errors, warnings) {
        (0, 0) => "no problems found".to_owned(),
        (e, 0) => count(e, "error"),
        (0, w) => count(w, "warning"),
        (e, w) => format!("{}, {}", count(e, "error"), count(w, "warning")),
    }
}
