//! `wf parse`.

/// Arguments of `wf parse`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `wf parse` and returns the exit code.
pub fn run(_args: Args) -> i32 {
    eprintln!("wf parse: not implemented yet");
    super::exit::INTERNAL
}
