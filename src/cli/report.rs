//! `wf report`: replay events through scripts and write one
//! self-contained HTML page about the run (`docs/report.md`).
//!
//! Inputs as for `wf run` (scripts, account and events may come from
//! `wf.toml`). Scripts with errors are not run (exit 1); a bad account,
//! events file or event line is exit 2 with the file, line and column;
//! the page is written only when the whole replay succeeded, all at once
//! (`atomic::write`), so a failed run leaves no partial file behind.

use super::exit;
use crate::diagnostic::{InputError, Location};
use crate::report::Inputs;
use std::path::PathBuf;

/// Arguments of `wf report`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    inputs: super::replay::Inputs,
    /// The HTML file to write.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: PathBuf,
}

/// Runs `wf report` and returns the exit code.
pub fn run(args: Args) -> i32 {
    let loaded = match super::replay::load(args.inputs, "no report was written") {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let inputs = Inputs {
        account: &loaded.account,
        sources: &loaded.scripts.sources,
        programs: &loaded.scripts.programs,
        warnings: &loaded.warnings,
        events_name: &loaded.events_name,
        until: loaded.until,
    };
    let page = match crate::report::generate(&inputs, loaded.events) {
        Ok(page) => page,
        Err(bad) => {
            let place = Location::LineColumn(bad.line, bad.column);
            return super::input_error(&InputError::new(
                &loaded.events_name,
                Some(place),
                bad.message,
            ));
        }
    };
    match super::write_file(&args.output, page.as_bytes()) {
        Ok(()) => exit::OK,
        Err(code) => code,
    }
}
