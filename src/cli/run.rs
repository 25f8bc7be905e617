//! `wf run`.

/// Arguments of `wf run`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `wf run` and returns the exit code.
pub fn run(_args: Args) -> i32 {
    eprintln!("wf run: not implemented yet");
    super::exit::INTERNAL
}
