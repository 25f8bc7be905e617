//! The command line: one clap `Args` struct and one `run` function per
//! subcommand (`cli/*.rs`), plus what they share: reading scripts,
//! printing diagnostics, colour and exit codes.
//!
//! Results go to standard output, diagnostics and errors to standard error;
//! colour only when the stream is a terminal and `NO_COLOR` is unset.

mod check;
mod demo;
mod explain;
mod fmt;
mod import;
mod parse;
mod repl;
mod run;

use crate::diagnostic::{Diagnostic, InputError};
use crate::source::{FileId, Sources};
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
    /// Import the CRM's workflows or account exports.
    Import(import::Args),
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
        Command::Import(args) => import::run(args),
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

/// Reads a text file; a missing file, a directory or invalid UTF-8 is an
/// [`InputError`] naming the file. A UTF-8 byte order mark at the start
/// (some Windows editors write one) is dropped, so the text, and every
/// span and column into it, starts after the mark.
pub fn read_text(path: &Path) -> Result<String, InputError> {
    let name = path.display().to_string();
    if path.is_dir() {
        return Err(InputError::new(&name, None, "is a directory, not a file"));
    }
    let bytes = std::fs::read(path)
        .map_err(|e| InputError::new(&name, None, format!("cannot read: {e}")))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let text = String::from_utf8_lossy(e.as_bytes());
        let (line, col) = crate::source::SourceFile::new(&name, text.as_ref()).line_col(offset);
        InputError::new(
            &name,
            Some(crate::diagnostic::Location::LineColumn(line, col)),
            "file is not valid UTF-8",
        )
    })?;
    Ok(match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_owned(),
        None => text,
    })
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

/// Reads and parses scripts; unreadable files are [`InputError`]s.
pub fn load_scripts(paths: &[PathBuf]) -> Result<Scripts, InputError> {
    let mut scripts = Scripts {
        sources: Sources::new(),
        programs: Vec::new(),
        errors: Vec::new(),
    };
    for path in paths {
        let text = read_text(path)?;
        let id = scripts
            .sources
            .add(path.display().to_string(), text.clone());
        match syntax::parse(id, &text) {
            Ok(p) => scripts.programs.push((id, p)),
            Err(d) => scripts.errors.push(d),
        }
    }
    Ok(scripts)
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

/// Prints an input error on standard error and returns exit code 2.
pub fn input_error(e: &InputError) -> i32 {
    to_stderr(format_args!("error: {e}\n"));
    exit::INPUT
}
