//! `wf fmt FILE... [--check]`: format scripts in place.
//!
//! Each file is read, formatted (`format::format_source`) and written back
//! only if its text changes. With `--check` nothing is written: each file
//! that would change is named on standard error. A file with a syntax error
//! gets its diagnostic and is left untouched. Exit code: 2 if a file could
//! not be read or written, else 1 if a file has a syntax error or (with
//! `--check`) would change, else 0. Every file is processed either way.

use super::{exit, input_error, print_diagnostics, read_text};
use crate::diagnostic::InputError;
use crate::format::format_source;
use crate::source::Sources;
use std::path::PathBuf;

/// Arguments of `wf fmt`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The scripts to format (default: the project's).
    #[arg(value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Write nothing; exit with 1 if a file is not formatted.
    #[arg(long)]
    check: bool,
}

/// Runs `wf fmt` and returns the exit code.
pub fn run(args: Args) -> i32 {
    let files = match crate::project::scripts(args.files) {
        Ok(files) => files,
        Err(e) => return input_error(&e),
    };
    let mut code = exit::OK;
    let mut sources = Sources::new();
    for path in &files {
        let outcome = format_file(path, args.check, &mut sources);
        code = code.max(outcome);
    }
    code
}

/// Formats one file and returns its exit code.
fn format_file(path: &PathBuf, check: bool, sources: &mut Sources) -> i32 {
    let name = path.display().to_string();
    let text = match read_text(path) {
        Ok(text) => text,
        Err(e) => return input_error(&e),
    };
    let id = sources.add(name.clone(), text.clone());
    let formatted = match format_source(id, &text) {
        Ok(formatted) => formatted,
        Err(d) => {
            print_diagnostics(&[d], sources);
            return exit::FAILED;
        }
    };
    if formatted == text {
        return exit::OK;
    }
    if check {
        super::to_stderr(format_args!("would reformat: {name}\n"));
        return exit::FAILED;
    }
    match std::fs::write(path, formatted) {
        Ok(()) => exit::OK,
        Err(e) => input_error(&InputError::new(&name, None, format!("cannot write: {e}"))),
    }
}
