//! `wf lsp`: the language server on standard input and output
//! (`docs/editors.md`).

/// Arguments of `wf lsp` (none: the account comes from the nearest
/// `wf.toml` of the client's folder).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Accepted for editors that pass it; stdio is the only transport.
    #[arg(long, hide = true)]
    stdio: bool,
}

/// Runs the server and returns the exit code.
pub fn run(args: Args) -> i32 {
    let _ = args.stdio;
    crate::lsp::run_stdio()
}
