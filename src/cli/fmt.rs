//! `wf fmt`.

/// Arguments of `wf fmt`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `wf fmt` and returns the exit code.
pub fn run(_args: Args) -> i32 {
    eprintln!("wf fmt: not implemented yet");
    super::exit::INTERNAL
}
