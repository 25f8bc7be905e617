//! `wf export FILE... [--account A] [-o DIR]`: scripts to the CRM's flow
//! JSON (`docs/crm.md`, "Export").
//!
//! Every script is read and exported before anything is written: a syntax
//! error or a construct with no flow form is reported at its file, line
//! and column (all of them, in file order) and nothing is written (exit 2).
//! Each flow is checked against the shape the CRM needs (`crm::shape`) and
//! written as `DIR/<flow name>.json` through `atomic::write`; the written
//! paths go to standard output.

use super::import::account_of;
use super::{exit, input_error, load_scripts, print_diagnostics, to_stderr};
use crate::crm::{export, file_stem, shape};
use crate::diagnostic::{InputError, Location};
use crate::source::{self, SourceFile};
use std::collections::BTreeSet;
use std::path::PathBuf;

/// Arguments of `wf export`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The scripts to export.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// The account whose CRM ids the flows use.
    #[arg(long, value_name = "A")]
    account: Option<PathBuf>,
    /// Where to write the flows (created if missing).
    #[arg(short = 'o', long = "out", value_name = "DIR", default_value = ".")]
    out: PathBuf,
}

/// Runs `wf export` and returns the exit code.
pub fn run(args: Args) -> i32 {
    let account = match account_of(args.account.as_ref()) {
        Ok(a) => a,
        Err(e) => return input_error(&e),
    };
    let scripts = match load_scripts(&args.files) {
        Ok(s) => s,
        Err(e) => return input_error(&e),
    };
    if !scripts.errors.is_empty() {
        print_diagnostics(&scripts.errors, &scripts.sources);
        to_stderr(format_args!("nothing exported: fix the syntax errors\n"));
        return exit::INPUT;
    }
    let mut flows = Vec::new();
    let mut failed = false;
    for (id, program) in &scripts.programs {
        let Some(file) = scripts.sources.get(*id) else {
            continue;
        };
        let base = file.base_name();
        let name = base.strip_suffix(".wf").unwrap_or(base);
        match export::program(program, name, &account) {
            Ok(f) => flows.extend(f),
            Err(problems) => {
                failed = true;
                for p in problems {
                    input_error(&located(file, &p));
                }
            }
        }
    }
    if failed {
        to_stderr(format_args!(
            "nothing exported: the constructs above have no flow form (see `docs/crm.md`, \"Export\")\n"
        ));
        return exit::INPUT;
    }
    for flow in &flows {
        let problems = shape::problems(&flow.json);
        if !problems.is_empty() {
            to_stderr(format_args!(
                "internal error: the flow `{}` lacks what the CRM needs: {}; please report it\n",
                flow.name,
                problems.join("; ")
            ));
            return exit::INTERNAL;
        }
    }
    if let Err(e) = std::fs::create_dir_all(&args.out) {
        let name = args.out.display().to_string();
        return input_error(&InputError::new(name, None, format!("cannot create: {e}")));
    }
    let mut used = BTreeSet::new();
    for flow in &flows {
        let base = file_stem(&flow.name, "flow");
        let mut stem = base.clone();
        let mut n = 2;
        while used.contains(&stem) {
            stem = format!("{base}-{n}");
            n += 1;
        }
        used.insert(stem.clone());
        let path = args.out.join(format!("{stem}.json"));
        let mut text = match serde_json::to_string_pretty(&flow.json) {
            Ok(t) => t,
            Err(e) => {
                to_stderr(format_args!("internal error: {e}\n"));
                return exit::INTERNAL;
            }
        };
        text.push('\n');
        if let Err(e) = crate::atomic::write(&path, text.as_bytes()) {
            let name = source::escaped(&path.display().to_string()).into_owned();
            return input_error(&InputError::new(&name, None, format!("cannot write: {e}")));
        }
        println!("{}", path.display());
    }
    exit::OK
}

/// A construct with no flow form, at its line and column.
fn located(file: &SourceFile, p: &export::Unexportable) -> InputError {
    let (line, col) = file.line_col(p.span.start);
    InputError::new(
        &file.name,
        Some(Location::LineColumn(line, col)),
        format!("cannot be exported: {}", p.message),
    )
}
