//! `wf import hubspot FILE...` and `wf import hubspot-account`: the CRM's
//! files in (`docs/crm.md`).
//!
//! `hubspot` reads flow JSON and writes one formatted script per flow into
//! `-o DIR`; warnings name what was not imported and a last line sums up.
//! Nothing is written until every flow has been read: a bad file stops the
//! import (exit 2) unless `--keep-going`, which imports the other flows and
//! still exits 2. `hubspot-account` builds an account file from the CRM's
//! exports and writes it to `-o` only when it is a valid account.

use super::{exit, input_error, to_stderr};
use crate::account::{self, Account};
use crate::crm::import::{self, Importer};
use crate::crm::json::Doc;
use crate::crm::{self, file_stem};
use crate::diagnostic::InputError;
use crate::source::{FileKind, escaped, read_text};
use std::collections::BTreeSet;
use std::path::PathBuf;

/// Arguments of `wf import`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    source: Source,
}

#[derive(Debug, clap::Subcommand)]
enum Source {
    /// Import the CRM's workflow flows (v4 flow JSON) as scripts.
    Hubspot(Flows),
    /// Build an account file from the CRM's exports (API JSON and contacts CSV).
    HubspotAccount(AccountExports),
}

/// Arguments of `wf import hubspot-account`.
#[derive(Debug, clap::Args)]
struct AccountExports {
    /// Owners, as the owners API returns them (JSON).
    #[arg(long, value_name = "F")]
    owners: PathBuf,
    /// Users, as the users API returns them (JSON).
    #[arg(long, value_name = "F")]
    users: PathBuf,
    /// Sequences with their steps, as the sequences API returns them (JSON).
    #[arg(long, value_name = "F")]
    sequences: PathBuf,
    /// The contacts CSV export, with its header row.
    #[arg(long, value_name = "CSV")]
    contacts: PathBuf,
    /// Contact lists, as the lists API returns them (JSON).
    #[arg(long, value_name = "F")]
    lists: Option<PathBuf>,
    /// What the exports do not say: seats, inboxes, send limits, … (TOML).
    #[arg(long, value_name = "TOML")]
    overrides: Option<PathBuf>,
    /// The account file to write (JSON).
    #[arg(short = 'o', long = "out", value_name = "FILE")]
    out: PathBuf,
}

/// Arguments of `wf import hubspot`.
#[derive(Debug, clap::Args)]
struct Flows {
    /// Flow JSON files: a flow, an array of flows, or a list response.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// The account whose CRM ids name forms, lists, sequences and users.
    #[arg(long, value_name = "A")]
    account: Option<PathBuf>,
    /// Where to write the scripts (created if missing).
    #[arg(short = 'o', long = "out", value_name = "DIR", default_value = ".")]
    out: PathBuf,
    /// Import the other flows when one cannot be read (still exit 2).
    #[arg(long)]
    keep_going: bool,
}

/// Runs `wf import` and returns the exit code.
pub fn run(args: Args) -> i32 {
    match args.source {
        Source::Hubspot(flows) => hubspot(flows),
        Source::HubspotAccount(exports) => hubspot_account(exports),
    }
}

fn hubspot_account(args: AccountExports) -> i32 {
    let out_name = escaped(&args.out.display().to_string()).into_owned();
    if out_name.ends_with(".toml") {
        return input_error(&InputError::new(
            &out_name,
            None,
            "the account is written as JSON: name the file `*.json`",
        ));
    }
    let exports = match read_exports(&args) {
        Ok(e) => e,
        Err(e) => return input_error(&e),
    };
    let imported = match crm::account::build(&exports, &out_name) {
        Ok(i) => i,
        Err(e) => return input_error(&e),
    };
    for w in &imported.warnings {
        to_stderr(format_args!("warning: {w}\n"));
    }
    for n in &imported.notes {
        to_stderr(format_args!("note: {n}\n"));
    }
    if let Err(e) = crate::atomic::write(&args.out, imported.text.as_bytes()) {
        return input_error(&InputError::new(
            &out_name,
            None,
            format!("cannot write: {e}"),
        ));
    }
    println!("{}", args.out.display());
    to_stderr(format_args!(
        "imported {}; {} warning{}\n",
        imported.summary,
        imported.warnings.len(),
        plural(imported.warnings.len())
    ));
    exit::OK
}

/// Reads and parses every export named on the command line.
fn read_exports(args: &AccountExports) -> Result<crm::account::Exports, InputError> {
    let text = |path: &PathBuf| read_text(path, FileKind::EXPORT);
    let json = |path: &PathBuf| {
        let name = escaped(&path.display().to_string()).into_owned();
        Doc::parse(&name, text(path)?)
    };
    let overrides = match &args.overrides {
        Some(path) => {
            let name = escaped(&path.display().to_string()).into_owned();
            crm::account::OverridesFile::parse(&name, text(path)?)?
        }
        None => crm::account::OverridesFile::empty(),
    };
    Ok(crm::account::Exports {
        owners: json(&args.owners)?,
        users: json(&args.users)?,
        sequences: json(&args.sequences)?,
        lists: args.lists.as_ref().map(json).transpose()?,
        contacts: (
            escaped(&args.contacts.display().to_string()).into_owned(),
            text(&args.contacts)?,
        ),
        overrides,
    })
}

/// Loads the account of `--account`, or the empty account.
pub(super) fn account_of(path: Option<&PathBuf>) -> Result<Account, InputError> {
    match path {
        Some(p) => account::load(p),
        None => Ok(Account::default()),
    }
}

fn hubspot(args: Flows) -> i32 {
    let account = match account_of(args.account.as_ref()) {
        Ok(a) => a,
        Err(e) => return input_error(&e),
    };
    let mut importer = Importer::new(&account);
    let mut scripts = Vec::new();
    let mut failed = 0usize;
    let mut skipped = 0usize;
    let mut shown = 0usize;
    for path in &args.files {
        let outcome = read_file(path, &mut importer, &mut scripts, args.keep_going);
        for w in importer.warnings.get(shown..).unwrap_or_default() {
            to_stderr(format_args!("warning: {w}\n"));
        }
        shown = importer.warnings.len();
        match outcome {
            Ok(none) => skipped += none,
            Err(n) => {
                failed += n;
                if !args.keep_going {
                    to_stderr(format_args!(
                        "nothing written: fix the file or pass --keep-going to import the other flows\n"
                    ));
                    return exit::INPUT;
                }
            }
        }
    }
    if let Err(e) = std::fs::create_dir_all(&args.out) {
        let name = args.out.display().to_string();
        return input_error(&InputError::new(name, None, format!("cannot create: {e}")));
    }
    let mut used = BTreeSet::new();
    let mut rules = 0;
    for s in &scripts {
        let mut stem = file_stem(&s.name, &format!("flow-{}", s.id));
        if used.contains(&stem) {
            stem = format!("{stem}-{}", file_stem(&s.id, "x"));
        }
        let mut n = 2;
        let base = stem.clone();
        while used.contains(&stem) {
            stem = format!("{base}-{n}");
            n += 1;
        }
        used.insert(stem.clone());
        let path = args.out.join(format!("{stem}.wf"));
        if let Err(e) = crate::atomic::write(&path, s.text.as_bytes()) {
            let name = crate::source::escaped(&path.display().to_string()).into_owned();
            return input_error(&InputError::new(&name, None, format!("cannot write: {e}")));
        }
        println!("{}", path.display());
        rules += s.rules;
    }
    to_stderr(format_args!(
        "imported {} flow{} ({rules} rule{}); {} warning{}; {skipped} flow{} with nothing to import; {failed} flow{} not read\n",
        scripts.len(),
        plural(scripts.len()),
        plural(rules),
        importer.warnings.len(),
        plural(importer.warnings.len()),
        plural(skipped),
        plural(failed),
    ));
    if failed > 0 { exit::INPUT } else { exit::OK }
}

/// "s" unless one.
fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Imports the flows of one file. `Ok` counts the flows with nothing to
/// import; `Err` the flows (or the file) that could not be read, each
/// reported. Without `keep_going` the first problem stops the file.
fn read_file(
    path: &std::path::Path,
    importer: &mut Importer<'_>,
    scripts: &mut Vec<import::Script>,
    keep_going: bool,
) -> Result<usize, usize> {
    let name = path.display().to_string();
    let text = crate::source::read_text(path, crate::source::FileKind::FLOWS).map_err(|e| {
        input_error(&e);
        1usize
    })?;
    let doc = Doc::parse(&name, text).map_err(|e| {
        input_error(&e);
        1usize
    })?;
    let root = doc.root();
    let flows = import::flows(&root).map_err(|p| {
        input_error(&doc.error(&p));
        1usize
    })?;
    let mut skipped = 0;
    let mut failed = 0;
    for flow in &flows {
        match importer.flow(flow) {
            Ok(Some(s)) => scripts.push(s),
            Ok(None) => skipped += 1,
            Err(p) => {
                input_error(&doc.error(&p));
                failed += 1;
                if !keep_going {
                    return Err(failed);
                }
            }
        }
    }
    if failed > 0 { Err(failed) } else { Ok(skipped) }
}
