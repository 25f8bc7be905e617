//! `wf fmt FILE... [--check]`: format scripts in place.
//!
//! Each file is read, formatted (`format::format_source`) and written back
//! only if its text changes, through `atomic::write`: a failed write (a
//! full disk, the process killed) leaves the old text whole. Only regular
//! files are formatted: a FIFO, a device or a folder is refused before it
//! is read. With `--check` nothing is written: each file that would change
//! is named on standard error. A file with a syntax error gets its
//! diagnostic and is left untouched. Exit code: 2 if a file could not be
//! read or written, else 1 if a file has a syntax error or (with `--check`)
//! would change, else 0. Every file is processed either way.

use super::{exit, input_error, print_diagnostics};
use crate::diagnostic::InputError;
use crate::format::format_source;
use crate::source::{self, FileKind, Sources};
use std::path::{Path, PathBuf};

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
fn format_file(path: &Path, check: bool, sources: &mut Sources) -> i32 {
    let name = path.display().to_string();
    if let Err(e) = regular_file(path) {
        return input_error(&e);
    }
    let text = match source::read_text(path, FileKind::SCRIPT) {
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
        super::to_stderr(format_args!("would reformat: {}\n", source::escaped(&name)));
        return exit::FAILED;
    }
    match crate::atomic::write(path, formatted.as_bytes()) {
        Ok(()) => exit::OK,
        Err(e) => input_error(&InputError::new(&name, None, format!("cannot write: {e}"))),
    }
}

/// Refuses what is not a regular file: `wf fmt` reads a file and writes it
/// back, and a FIFO or a device cannot be read twice (reading one would
/// wait for a writer, writing it back for a reader, for ever).
fn regular_file(path: &Path) -> Result<(), InputError> {
    let name = path.display().to_string();
    match std::fs::metadata(path) {
        Ok(m) if m.is_file() => Ok(()),
        Ok(m) if m.is_dir() => Err(InputError::new(&name, None, "is a directory, not a file")),
        Ok(_) => Err(InputError::new(
            &name,
            None,
            "is not a regular file (a FIFO, a socket or a device): `wf fmt` formats files in place",
        )),
        Err(e) => Err(InputError::new(&name, None, format!("cannot read: {e}"))),
    }
}
