//! The REPL (SPEC §8): a UI-free [`Session`] and its terminal front end.
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
/// lines). Stops at the end of input or `:quit`.
pub fn run_piped(
    session: &mut Session,
    mut input: impl BufRead,
    mut output: impl Write,
) -> std::io::Result<()> {
    let mut buf = Vec::new();
    loop {
        buf.clear();
        if input.read_until(b'\n', &mut buf)? == 0 {
            break;
        }
        // A line that is not UTF-8 is taken with replacement characters
        // (and then rejected as input) rather than ending the session.
        let line = String::from_utf8_lossy(&buf);
        let outcome = session.handle(&line);
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
