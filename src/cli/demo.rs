//! `wf demo`.

/// Arguments of `wf demo`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `wf demo` and returns the exit code.
pub fn run(_args: Args) -> i32 {
    eprintln!("wf demo: not implemented yet");
    super::exit::INTERNAL
}
