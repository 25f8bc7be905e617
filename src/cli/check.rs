//! `wf check`.

/// Arguments of `wf check`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `wf check` and returns the exit code.
pub fn run(_args: Args) -> i32 {
    eprintln!("wf check: not implemented yet");
    super::exit::INTERNAL
}
