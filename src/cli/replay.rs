//! What a replay reads: the scripts, the account and the events, each
//! given on the command line or taken from the nearest `wf.toml`, and the
//! time to stop at. `wf run` and `wf report` take all of it ([`Inputs`])
//! and load it with [`load`]; `wf diff`, with two sets of scripts of its
//! own, takes the rest ([`Replay`]) and checks each set with [`checked`].

use super::{Scripts, exit};
use crate::account::Account;
use crate::diagnostic::Diagnostic;
use chrono::{DateTime, Utc};
use std::io::Read;
use std::path::PathBuf;

/// The account, the events and the end of a replay.
#[derive(Debug, clap::Args)]
pub struct Replay {
    /// The account file (JSON, or TOML when the name ends in `.toml`;
    /// default: the project's).
    #[arg(long, value_name = "A")]
    pub account: Option<PathBuf>,
    /// The events file (JSON Lines; `-` reads standard input; default: the
    /// project's `events`).
    #[arg(long, value_name = "E")]
    pub events: Option<PathBuf>,
    /// Stop the replay at this time (RFC 3339).
    #[arg(long, value_name = "T", value_parser = parse_until)]
    pub until: Option<DateTime<Utc>>,
}

/// The scripts and what they replay.
#[derive(Debug, clap::Args)]
pub struct Inputs {
    /// The scripts, in order: rules run in this order (default: the
    /// project's).
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub replay: Replay,
}

fn parse_until(text: &str) -> Result<DateTime<Utc>, String> {
    crate::runtime::replay::parse_time(text).map_err(|_| {
        format!("`{text}` is not an RFC 3339 time with offset (e.g. 2026-03-02T08:15:00Z)")
    })
}

/// A replay's inputs, loaded: scripts without errors and their warnings.
pub struct Loaded {
    pub account: Account,
    pub scripts: Scripts,
    /// The scripts' warnings, sorted.
    pub warnings: Vec<Diagnostic>,
    /// The events file's name in messages (`<stdin>` for `-`).
    pub events_name: String,
    pub events: Box<dyn Read + Send>,
    pub until: Option<DateTime<Utc>>,
}

/// Resolves the inputs, loads the account, reads and checks the scripts
/// and opens the events, in that order. A bad input is printed and gives
/// exit code 2; scripts with errors are printed with `outcome` (what did
/// not happen because of them) and give exit code 1.
pub fn load(inputs: Inputs, outcome: &str) -> Result<Loaded, i32> {
    let failed = |e: crate::diagnostic::InputError| super::input_error(&e);
    let (files, account) =
        crate::project::scripts_and_account(inputs.files, inputs.replay.account).map_err(failed)?;
    let events = crate::project::events(inputs.replay.events).map_err(failed)?;
    let account = crate::account::load(&account).map_err(failed)?;
    let scripts = super::load_scripts(&files).map_err(failed)?;
    let warnings = checked(&scripts, &account, "scripts", outcome).ok_or(exit::FAILED)?;
    let (events_name, events) = crate::source::open_events(&events).map_err(failed)?;
    Ok(Loaded {
        account,
        scripts,
        warnings,
        events_name,
        events,
        until: inputs.replay.until,
    })
}

/// The warnings of scripts that have no errors, sorted; when they have
/// some, prints them and `error: the WHOSE have N errors; OUTCOME` and
/// returns `None`.
pub fn checked(
    scripts: &Scripts,
    account: &Account,
    whose: &str,
    outcome: &str,
) -> Option<Vec<Diagnostic>> {
    let (mut errors, mut warnings): (Vec<Diagnostic>, Vec<Diagnostic>) = scripts
        .errors
        .iter()
        .cloned()
        .chain(crate::check::check(&scripts.programs, account))
        .partition(Diagnostic::is_error);
    if errors.is_empty() {
        warnings.sort_by_key(Diagnostic::sort_key);
        return Some(warnings);
    }
    errors.sort_by_key(Diagnostic::sort_key);
    super::print_diagnostics(&errors, &scripts.sources);
    super::to_stderr(format_args!(
        "error: the {whose} have {} error{}; {outcome}\n",
        errors.len(),
        if errors.len() == 1 { "" } else { "s" }
    ));
    None
}
