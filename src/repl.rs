//! The REPL (`docs/repl.md`): a UI-free [`Session`] and its terminal front end.
//!
//! `session` takes input line by line and gives text to show; `input`,
//! `complete` and `highlight` are the pure parts the terminal uses (is the
//! input finished, what completes here, how to colour it); `why` explains a
//! contact's decisions (also for `wf run --explain`); `terminal` is the
//! rustyline front end and `run_piped` the non-interactive one.

pub mod command;
pub mod complete;
pub mod highlight;
pub mod input;
mod replay;
pub mod session;
pub mod terminal;

pub use session::{Outcome, Session};

use std::io::{BufRead, Write};

/// Runs a session over non-terminal input: no prompt, no colour, one
/// result per input, read line by line (an unfinished item accumulates
/// lines). A line that is not UTF-8 is refused with its line and column,
/// as `wf run` refuses one, and the session goes on. Stops at the end of
/// input or `:quit`.
pub fn run_piped(
    session: &mut Session,
    mut input: impl BufRead,
    mut output: impl Write,
) -> std::io::Result<()> {
    let mut buf = Vec::new();
    let mut number = 0usize;
    loop {
        buf.clear();
        if input.read_until(b'\n', &mut buf)? == 0 {
            break;
        }
        number += 1;
        let line = match std::str::from_utf8(&buf) {
            Ok(line) => line,
            Err(e) => {
                let valid = buf.get(..e.valid_up_to()).unwrap_or(&[]);
                let column = String::from_utf8_lossy(valid).chars().count() + 1;
                writeln!(
                    output,
                    "error: <stdin>:{number}:{column}: line is not valid UTF-8"
                )?;
                output.flush()?;
                continue;
            }
        };
        let outcome = session.handle(line);
        output.write_all(outcome.text.as_bytes())?;
        output.flush()?;
        if outcome.quit {
            return Ok(());
        }
    }
    let outcome = session.finish();
    output.write_all(outcome.text.as_bytes())?;
    output.flush()
}

#[cfg(test)]
mod tests;
