//! `wf repl [--account A] [FILE...]`: an interactive session (`docs/repl.md`).
//!
//! On a terminal it runs the rustyline front end; otherwise it reads
//! standard input line by line with no prompt and no colour. A bad account
//! or an unreadable file is a message and exit code 2.

use crate::repl::{self, Session};
use std::io::IsTerminal;
use std::path::PathBuf;

/// Arguments of `wf repl`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The account file (JSON, or TOML when the name ends in `.toml`);
    /// the project's, else an empty account, when not given.
    #[arg(long, value_name = "A")]
    account: Option<PathBuf>,
    /// Scripts to load at the start (default: the project's).
    #[arg(value_name = "FILE")]
    files: Vec<PathBuf>,
}

/// Runs `wf repl` and returns the exit code.
pub fn run(args: Args) -> i32 {
    let args = match crate::project::resolve(args.files, args.account) {
        Ok(inputs) => Args {
            account: inputs.account,
            files: inputs.scripts,
        },
        Err(e) => return super::input_error(&e),
    };
    let account = match &args.account {
        Some(path) => match crate::account::load(path) {
            Ok(a) => Some(a),
            Err(e) => return super::input_error(&e),
        },
        None => None,
    };
    let (mut session, startup) = match Session::new(account, &args.files) {
        Ok(s) => s,
        Err(e) => return super::input_error(&e),
    };
    // What loading the files said, written as the session's own output
    // is (a closed standard output ends the session quietly).
    let started = {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        out.write_all(startup.as_bytes()).and_then(|()| out.flush())
    };
    if let Err(e) = started {
        return super::write_failed(&e, super::exit::OK);
    }
    let result = if std::io::stdin().is_terminal() {
        repl::terminal::run(&mut session, super::stdout_color())
    } else {
        repl::run_piped(
            &mut session,
            std::io::stdin().lock(),
            std::io::stdout().lock(),
        )
    };
    match result {
        Ok(()) => super::exit::OK,
        // A closed output pipe is not worth a message.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => super::exit::OK,
        Err(e) => {
            super::to_stderr(format_args!("error: {e}\n"));
            super::exit::INPUT
        }
    }
}
