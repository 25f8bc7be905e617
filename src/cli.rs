//! The command line: one clap `Args` struct and one `run` function per
//! subcommand (`cli/*.rs`), plus what they share: loading scripts,
//! printing diagnostics, colour and exit codes. Files are read by
//! `source::read_text` and written by `atomic::write`.
//!
//! Results go to standard output, diagnostics and errors to standard error;
//! colour only when the stream is a terminal and `NO_COLOR` is unset.

mod check;
mod demo;
mod diff;
mod explain;
mod export;
mod fmt;
mod import;
mod init;
mod lsp;
mod parse;
mod repl;
mod replay;
mod report;
mod run;
mod test;

use crate::diagnostic::{Diagnostic, InputError};
use crate::source::{self, FileId, FileKind, Sources};
use crate::syntax::{self, Program};
use clap::Parser as ClapParser;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

/// The documented exit codes (`docs/cli.md`).
pub mod exit {
    /// Success.
    pub const OK: i32 = 0;
    /// The scripts have errors (or `fmt --check` found files to change).
    pub const FAILED: i32 = 1;
    /// A bad command line or a bad input file.
    pub const INPUT: i32 = 2;
    /// An internal error: a bug.
    pub const INTERNAL: i32 = 70;
}

/// wf: workflows for sequence enrollment, checked and replayed.
#[derive(Debug, ClapParser)]
#[command(name = "wf", version, about, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Check scripts against an account.
    Check(check::Args),
    /// Replay events through scripts and print the decision trace.
    Run(run::Args),
    /// Format scripts in place.
    Fmt(fmt::Args),
    /// Print the AST of scripts as JSON.
    Parse(parse::Args),
    /// Start an interactive session.
    Repl(repl::Args),
    /// Explain a diagnostic code.
    Explain(explain::Args),
    /// Run the bundled example and print the trace as a table.
    Demo(demo::Args),
    /// Write a small working project (wf.toml, account, script, test).
    Init(init::Args),
    /// Run tests of decisions (`*.test.toml`) and compare snapshots.
    Test(test::Args),
    /// Import the CRM's workflows or account exports.
    Import(import::Args),
    /// Replay events and write a self-contained HTML report of the run.
    Report(report::Args),
    /// Export scripts as the CRM's workflow flows (v4 flow JSON).
    Export(export::Args),
    /// Show which contacts a change of scripts affects, and how.
    Diff(diff::Args),
    /// Serve the language server protocol on standard input and output.
    Lsp(lsp::Args),
}

/// Parses the command line, runs the subcommand and returns the exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() {
                exit::INPUT
            } else {
                exit::OK
            };
            let _ = e.print();
            return code;
        }
    };
    match cli.command {
        Command::Check(args) => check::run(args),
        Command::Run(args) => run::run(args),
        Command::Fmt(args) => fmt::run(args),
        Command::Parse(args) => parse::run(args),
        Command::Repl(args) => repl::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Demo(args) => demo::run(args),
        Command::Init(args) => init::run(args),
        Command::Test(args) => test::run(args),
        Command::Import(args) => import::run(args),
        Command::Report(args) => report::run(args),
        Command::Export(args) => export::run(args),
        Command::Diff(args) => diff::run(args),
        Command::Lsp(args) => lsp::run(args),
    }
}

/// Whether to colour standard error.
pub fn stderr_color() -> bool {
    std::env::var_os("NO_COLOR").is_none() && std::io::stderr().is_terminal()
}

/// Whether to colour standard output.
pub fn stdout_color() -> bool {
    std::env::var_os("NO_COLOR").is_none() && std::io::stdout().is_terminal()
}

/// Scripts read and parsed: their sources, the programs that parsed, and
/// the syntax errors of those that did not.
pub struct Scripts {
    /// Every script's text, in command-line order.
    pub sources: Sources,
    /// The programs that parsed, with their files.
    pub programs: Vec<(FileId, Program)>,
    /// Syntax errors (E0001).
    pub errors: Vec<Diagnostic>,
}

/// Reads and parses scripts; unreadable files are [`InputError`]s. A file
/// named twice is read once, with a warning on standard error; two scripts
/// with the same base name are an [`InputError`] naming both, since trace
/// records name rules by base name (`docs/cli.md`, "Script names").
pub fn load_scripts(paths: &[PathBuf]) -> Result<Scripts, InputError> {
    let mut scripts = Scripts {
        sources: Sources::new(),
        programs: Vec::new(),
        errors: Vec::new(),
    };
    let (paths, warnings) = source::distinct_paths(paths);
    for warning in warnings {
        to_stderr(format_args!("warning: {warning}\n"));
    }
    for path in &paths {
        let name = path.display().to_string();
        if let Some(first) = scripts.sources.base_name_clash(&name) {
            return Err(base_name_clash(&name, &first.name));
        }
        let text = source::read_text(path, FileKind::SCRIPT)?;
        let id = scripts.sources.add(name, text.clone());
        match syntax::parse(id, &text) {
            Ok(p) => scripts.programs.push((id, p)),
            Err(d) => scripts.errors.push(d),
        }
    }
    Ok(scripts)
}

/// Two scripts of one run named alike: `second` would print its rules
/// under the same `BASE:LINE` names as `first`.
fn base_name_clash(second: &str, first: &str) -> InputError {
    let base = source::escaped(source::base_name(second));
    let first = source::escaped(first);
    InputError::new(
        source::escaped(second),
        None,
        format!(
            "has the same base name as `{first}`: trace records name rules \
             `{base}:LINE`, so two scripts named `{base}` cannot be used together; \
             rename one"
        ),
    )
}

/// Writes to standard error and ignores failure: a closed or full
/// standard error must neither panic nor change the exit code (unlike
/// `eprint!`, which panics).
pub fn to_stderr(text: std::fmt::Arguments<'_>) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_fmt(text).and_then(|()| err.flush());
}

/// The exit code after a result could not be written to standard output:
/// a closed pipe (`wf … | head -1`) means the reader has what it wanted,
/// so `wf` stops quietly with `otherwise`, the code it would have returned;
/// any other failure (a full disk) is reported and gives exit code 2.
pub fn write_failed(e: &std::io::Error, otherwise: i32) -> i32 {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        otherwise
    } else {
        to_stderr(format_args!(
            "error: cannot write to standard output: {e}\n"
        ));
        exit::INPUT
    }
}

/// Prints diagnostics for people on standard error.
pub fn print_diagnostics(diagnostics: &[Diagnostic], sources: &Sources) {
    to_stderr(format_args!(
        "{}",
        crate::diagnostic::render_all(diagnostics, sources, stderr_color())
    ));
}

/// Writes a file all at once (`atomic::write`); on failure, which leaves
/// the file as it was, prints `error: FILE: cannot write: …` and returns
/// exit code 2.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), i32> {
    crate::atomic::write(path, bytes).map_err(|e| {
        input_error(&InputError::new(
            path.display().to_string(),
            None,
            format!("cannot write: {e}"),
        ))
    })
}

/// Prints an input error on standard error and returns exit code 2. User
/// text in it is shown escaped (a NUL as `\u{0}`).
pub fn input_error(e: &InputError) -> i32 {
    to_stderr(format_args!("error: {}\n", source::escaped(&e.to_string())));
    exit::INPUT
}

#[cfg(test)]
mod tests {
    /// Clap checks a command line only when it is built: two arguments or
    /// groups with one name (flattened argument structs share a command)
    /// would otherwise fail only when that subcommand is used.
    #[test]
    fn the_command_line_is_consistent() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}
