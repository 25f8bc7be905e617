//! `wf explain`.

/// Arguments of `wf explain`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `wf explain` and returns the exit code.
pub fn run(_args: Args) -> i32 {
    eprintln!("wf explain: not implemented yet");
    super::exit::INTERNAL
}
