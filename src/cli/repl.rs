//! `wf repl`.

/// Arguments of `wf repl`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `wf repl` and returns the exit code.
pub fn run(_args: Args) -> i32 {
    eprintln!("wf repl: not implemented yet");
    super::exit::INTERNAL
}
