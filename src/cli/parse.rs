//! `wf parse FILE...`: print the AST of each script as JSON.
//!
//! One pretty-printed JSON document per file that parses, on standard
//! output, in command-line order; syntax errors go to standard error.
//! Exit code: 2 if a file could not be read, else 1 if a file has a syntax
//! error, else 0. Every file is processed either way, unless standard
//! output fails: a closed pipe stops quietly (the exit code so far), any
//! other write failure is exit 2.

use super::{exit, input_error, print_diagnostics};
use crate::source::{self, FileKind, Sources};
use crate::syntax;
use std::io::Write;
use std::path::PathBuf;

/// Arguments of `wf parse`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The scripts to parse.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
}

/// Runs `wf parse` and returns the exit code.
pub fn run(args: Args) -> i32 {
    let mut code = exit::OK;
    let mut sources = Sources::new();
    let stdout = std::io::stdout();
    for path in &args.files {
        let text = match source::read_text(path, FileKind::SCRIPT) {
            Ok(text) => text,
            Err(e) => {
                code = code.max(input_error(&e));
                continue;
            }
        };
        let id = sources.add(path.display().to_string(), text.clone());
        match syntax::parse(id, &text) {
            Ok(program) => {
                let json = match serde_json::to_string_pretty(&program) {
                    Ok(json) => json,
                    Err(e) => {
                        super::to_stderr(format_args!(
                            "wf: internal error: cannot serialize the AST: {e}\n"
                        ));
                        return exit::INTERNAL;
                    }
                };
                let mut out = stdout.lock();
                if let Err(e) = writeln!(out, "{json}").and_then(|()| out.flush()) {
                    // A closed pipe (`wf parse … | head`) stops quietly.
                    return super::write_failed(&e, code);
                }
            }
            Err(d) => {
                print_diagnostics(&[d], &sources);
                code = code.max(exit::FAILED);
            }
        }
    }
    code
}
