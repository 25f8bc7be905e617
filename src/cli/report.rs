//! `wf report`: replay events through scripts and write one
//! self-contained HTML page about the run (`docs/report.md`).
//!
//! Inputs as for `wf run` (scripts, account and events may come from
//! `wf.toml`). Scripts with errors are not run (exit 1); a bad account,
//! events file or event line is exit 2 with the file, line and column;
//! the page is written only when the whole replay succeeded, all at once
//! (`atomic::write`), so a failed run leaves no partial file behind.

use super::exit;
use crate::diagnostic::{Diagnostic, InputError, Location};
use crate::report::Inputs;
use chrono::{DateTime, Utc};
use std::path::{Path, PathBuf};

/// Arguments of `wf report`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The scripts, in order (default: the project's).
    #[arg(value_name = "FILE")]
    files: Vec<PathBuf>,
    /// The account file (default: the project's).
    #[arg(long, value_name = "A")]
    account: Option<PathBuf>,
    /// The events file (JSON Lines; `-` reads standard input; default: the
    /// project's `events`).
    #[arg(long, value_name = "E")]
    events: Option<PathBuf>,
    /// The HTML file to write.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: PathBuf,
    /// Stop the replay at this time (RFC 3339).
    #[arg(long, value_name = "T", value_parser = super::run::parse_until)]
    until: Option<DateTime<Utc>>,
}

/// Runs `wf report` and returns the exit code.
pub fn run(mut args: Args) -> i32 {
    let (files, account) = match crate::project::scripts_and_account(
        std::mem::take(&mut args.files),
        args.account.take(),
    ) {
        Ok(inputs) => inputs,
        Err(e) => return super::input_error(&e),
    };
    let events = match crate::project::events(args.events.take()) {
        Ok(e) => e,
        Err(e) => return super::input_error(&e),
    };
    let account = match crate::account::load(&account) {
        Ok(a) => a,
        Err(e) => return super::input_error(&e),
    };
    let scripts = match super::load_scripts(&files) {
        Ok(s) => s,
        Err(e) => return super::input_error(&e),
    };
    let (errors, warnings): (Vec<Diagnostic>, Vec<Diagnostic>) = scripts
        .errors
        .iter()
        .cloned()
        .chain(crate::check::check(&scripts.programs, &account))
        .partition(Diagnostic::is_error);
    if !errors.is_empty() {
        let mut errors = errors;
        errors.sort_by_key(|d| d.sort_key());
        super::print_diagnostics(&errors, &scripts.sources);
        super::to_stderr(format_args!(
            "error: the scripts have {} error{}; no report was written\n",
            errors.len(),
            if errors.len() == 1 { "" } else { "s" }
        ));
        return exit::FAILED;
    }
    let mut warnings = warnings;
    warnings.sort_by_key(|d| d.sort_key());
    let (events_name, input) = match crate::source::open_events(&events) {
        Ok(opened) => opened,
        Err(e) => return super::input_error(&e),
    };
    let inputs = Inputs {
        account: &account,
        sources: &scripts.sources,
        programs: &scripts.programs,
        warnings: &warnings,
        events_name: &events_name,
        until: args.until,
    };
    let page = match crate::report::generate(&inputs, input) {
        Ok(page) => page,
        Err(bad) => {
            let place = Location::LineColumn(bad.line, bad.column);
            return super::input_error(&InputError::new(&events_name, Some(place), bad.message));
        }
    };
    write_page(&args.output, &page)
}

/// Writes the page all at once; a failure leaves the file as it was.
pub fn write_page(path: &Path, page: &str) -> i32 {
    match crate::atomic::write(path, page.as_bytes()) {
        Ok(()) => exit::OK,
        Err(e) => super::input_error(&InputError::new(
            path.display().to_string(),
            None,
            format!("cannot write: {e}"),
        )),
    }
}
