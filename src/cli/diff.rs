//! `wf diff`: replay the same events through old and new scripts and
//! show which contacts the change affects (`docs/diff.md`).
//!
//! The side left out (`--old` or `--new`), the account and the events
//! come from the nearest `wf.toml` when not given. Each side's scripts
//! are checked first; errors on either side stop with exit code 2 and
//! say which side. Exit 0 when no contact's records differ, 1 when some
//! do (with `--contact`, when that contact's do), 2 on errors.

use super::exit;
use crate::diagnostic::{InputError, Location};
use crate::diff::{self, Rules, Settings, render};
use std::io::{self, Write};
use std::path::PathBuf;

/// How the diff is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// The summary, then contacts side by side.
    Table,
    /// One JSON object per differing contact, then a summary object.
    Json,
}

/// Arguments of `wf diff`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The scripts before the change (default: the project's).
    #[arg(long, value_name = "FILE", num_args = 1..)]
    old: Vec<PathBuf>,
    /// The scripts after the change (default: the project's).
    #[arg(long, value_name = "FILE", num_args = 1..)]
    new: Vec<PathBuf>,
    #[command(flatten)]
    replay: super::replay::Replay,
    /// Compare step records too, and sum up emails and send limits by
    /// sender.
    #[arg(long)]
    steps: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
    /// Show this contact's records in full, old and new.
    #[arg(long, value_name = "ID")]
    contact: Option<String>,
    /// Show at most this many differing contacts in the table.
    #[arg(long, value_name = "N", default_value_t = 20)]
    limit: usize,
}

/// Which side of the diff.
#[derive(Clone, Copy)]
enum Side {
    Old,
    New,
}

impl Side {
    fn name(self) -> &'static str {
        match self {
            Side::Old => "old",
            Side::New => "new",
        }
    }
}

/// Runs `wf diff` and returns the exit code.
pub fn run(args: Args) -> i32 {
    match diff(args) {
        Ok(code) => code,
        Err(code) => code,
    }
}

fn diff(mut args: Args) -> Result<i32, i32> {
    let (old, new, account) = inputs(&mut args).map_err(|e| super::input_error(&e))?;
    let events =
        crate::project::events(args.replay.events.take()).map_err(|e| super::input_error(&e))?;
    let account = crate::account::load(&account).map_err(|e| super::input_error(&e))?;
    let old = checked(&old, &account, Side::Old)?;
    let new = checked(&new, &account, Side::New)?;
    let (events_name, input) =
        crate::source::open_events(&events).map_err(|e| super::input_error(&e))?;
    let settings = Settings {
        steps: args.steps,
        until: args.replay.until,
    };
    let mut bad_line = |bad: crate::runtime::replay::BadLine| {
        let place = Location::LineColumn(bad.line, bad.column);
        Err(InputError::new(&events_name, Some(place), bad.message))
    };
    let impact = diff::replay(
        &account,
        rules(&old),
        rules(&new),
        input,
        settings,
        &mut bad_line,
    )
    .map_err(|e| super::input_error(&e))?;
    let (differs, written) = match &args.contact {
        Some(id) => {
            let Some(contact) = impact.find(id) else {
                return Err(super::input_error(&InputError::new(
                    "",
                    None,
                    format!("no contact `{id}` in the account or the events"),
                )));
            };
            let text = match args.format {
                Format::Table => render::contact_table(&impact, contact),
                Format::Json => render::contact_json(&impact, contact) + "\n",
            };
            (impact.differs(contact), write_text(&text))
        }
        None => {
            let differs = !impact.differing().is_empty();
            let written = match args.format {
                Format::Table => write_text(&render::table(&impact, args.limit)),
                Format::Json => {
                    let mut out = io::stdout().lock();
                    render::write_json_lines(&impact, &mut out).and_then(|()| out.flush())
                }
            };
            (differs, written)
        }
    };
    let code = if differs { exit::FAILED } else { exit::OK };
    match written {
        Ok(()) => Ok(code),
        Err(e) => Err(super::write_failed(&e, code)),
    }
}

fn write_text(text: &str) -> io::Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes()).and_then(|()| out.flush())
}

/// The old scripts, the new scripts and the account: as given, else the
/// project's. At least one side must be given.
fn inputs(args: &mut Args) -> Result<(Vec<PathBuf>, Vec<PathBuf>, PathBuf), InputError> {
    let old = std::mem::take(&mut args.old);
    let new = std::mem::take(&mut args.new);
    if old.is_empty() && new.is_empty() {
        return Err(InputError::new(
            "",
            None,
            "give the scripts before the change (--old) or after it (--new); \
             the other side defaults to the project's scripts",
        ));
    }
    if !old.is_empty() && !new.is_empty() && args.replay.account.is_some() {
        let account = args.replay.account.take().unwrap_or_default();
        return Ok((old, new, account));
    }
    let project = crate::project::resolve(Vec::new(), args.replay.account.take())?;
    let account = project.require_account()?.to_path_buf();
    let fill = |given: Vec<PathBuf>| {
        if given.is_empty() {
            project.require_scripts().map(<[PathBuf]>::to_vec)
        } else {
            Ok(given)
        }
    };
    Ok((fill(old)?, fill(new)?, account))
}

/// One side's scripts, read, parsed and checked; on errors, prints them
/// with the side named and returns exit code 2.
fn checked(
    files: &[PathBuf],
    account: &crate::account::Account,
    side: Side,
) -> Result<super::Scripts, i32> {
    let scripts = super::load_scripts(files).map_err(|e| {
        super::to_stderr(format_args!(
            "error: {} scripts: {}\n",
            side.name(),
            crate::source::escaped(&e.to_string())
        ));
        exit::INPUT
    })?;
    let whose = format!("{} scripts", side.name());
    match super::replay::checked(&scripts, account, &whose, "nothing was compared") {
        Some(_) => Ok(scripts),
        None => Err(exit::INPUT),
    }
}

fn rules(scripts: &super::Scripts) -> Rules<'_> {
    Rules {
        sources: &scripts.sources,
        programs: &scripts.programs,
    }
}
