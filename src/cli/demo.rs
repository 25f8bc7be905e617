//! `wf demo`: runs the bundled example — `examples/account.json`, the four
//! `examples/*.wf` scripts in a fixed order and `examples/events.jsonl`,
//! compiled into the binary — through the same replay driver as `wf run`,
//! and prints the trace as a table, with steps; `--report FILE` also
//! writes the example's report (`wf report`).

use super::exit;
use crate::account::Account;
use crate::runtime::replay::table::render_table;
use crate::runtime::{Engine, Options, Record, replay_records};
use crate::source::{FileId, Sources};
use crate::syntax::Program;

/// Arguments of `wf demo`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Also write the example's HTML report to this file.
    #[arg(long, value_name = "FILE")]
    report: Option<std::path::PathBuf>,
}

/// The bundled account.
pub const ACCOUNT: &str = include_str!("../../examples/account.json");

/// The bundled events.
pub const EVENTS: &str = include_str!("../../examples/events.jsonl");

/// The bundled scripts, in the order they run.
pub const SCRIPTS: [(&str, &str); 4] = [
    ("qualify.wf", include_str!("../../examples/qualify.wf")),
    ("handoff.wf", include_str!("../../examples/handoff.wf")),
    ("no_show.wf", include_str!("../../examples/no_show.wf")),
    ("unenroll.wf", include_str!("../../examples/unenroll.wf")),
];

/// The bundled account and scripts, loaded and parsed.
struct Bundled {
    account: Account,
    sources: Sources,
    programs: Vec<(FileId, Program)>,
}

/// Loads the bundled example; an error here is a bug in the example.
fn bundled() -> Result<Bundled, String> {
    let account =
        crate::account::from_text("account.json", ACCOUNT, false).map_err(|e| e.to_string())?;
    let mut sources = Sources::new();
    let mut programs = Vec::new();
    for (name, text) in SCRIPTS {
        let id = sources.add(name, text);
        let program = crate::syntax::parse(id, text).map_err(|d| d.one_line(&sources))?;
        programs.push((id, program));
    }
    Ok(Bundled {
        account,
        sources,
        programs,
    })
}

/// Runs the bundled example and returns its records (with steps).
pub fn demo_records() -> Result<Vec<Record>, String> {
    let Bundled {
        account,
        sources,
        programs,
    } = bundled()?;
    let mut engine = Engine::new(&account, &sources, &programs);
    engine.set_steps(true);
    replay_records(&mut engine, EVENTS, Options::default())
        .map_err(|bad| format!("events.jsonl:{}:{}: {}", bad.line, bad.column, bad.message))
}

/// The bundled example's report page (`wf report`).
pub fn demo_report() -> Result<String, String> {
    let Bundled {
        account,
        sources,
        programs,
    } = bundled()?;
    let mut warnings = crate::check::check(&programs, &account);
    warnings.sort_by_key(|d| d.sort_key());
    let inputs = crate::report::Inputs {
        account: &account,
        sources: &sources,
        programs: &programs,
        warnings: &warnings,
        events_name: "events.jsonl",
        until: None,
    };
    crate::report::generate(&inputs, EVENTS.as_bytes())
        .map_err(|bad| format!("events.jsonl:{}:{}: {}", bad.line, bad.column, bad.message))
}

/// Runs `wf demo` and returns the exit code.
pub fn run(args: Args) -> i32 {
    match demo_records() {
        Ok(records) => {
            use std::io::Write;
            let text = render_table(&records);
            let mut out = std::io::stdout().lock();
            let code = match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
                Ok(()) => exit::OK,
                Err(e) => super::write_failed(&e, exit::OK),
            };
            match (&args.report, code) {
                (Some(path), exit::OK) => write_report(path),
                _ => code,
            }
        }
        Err(e) => {
            super::to_stderr(format_args!(
                "wf: internal error: the bundled example does not run: {e}\n"
            ));
            exit::INTERNAL
        }
    }
}

/// Writes the example's report to `path`.
fn write_report(path: &std::path::Path) -> i32 {
    match demo_report() {
        Ok(page) => match super::write_file(path, page.as_bytes()) {
            Ok(()) => exit::OK,
            Err(code) => code,
        },
        Err(e) => {
            super::to_stderr(format_args!(
                "wf: internal error: the bundled example does not run: {e}\n"
            ));
            exit::INTERNAL
        }
    }
}
