//! The integration tests: one binary, one module per phase, fixtures under
//! `tests/fixtures/<phase>/`.

// A panic in a test is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

mod account;
mod check;
mod cli;
mod coverage;
mod crm;
mod crm_account;
mod diff;
mod diff_docs;
mod editors;
mod lsp;
mod repl;
mod report;
mod robustness;
mod runtime;
mod syntax;
mod testing;

/// The `*.wf` files of `dir`, sorted by name.
fn wf_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut paths: Vec<std::path::PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "wf"))
        .collect();
    paths.sort();
    paths
}

/// The time in `dir/until`, if the file is there.
fn until_of(dir: &std::path::Path) -> Option<chrono::DateTime<chrono::Utc>> {
    std::fs::read_to_string(dir.join("until"))
        .ok()
        .map(|t| wf::runtime::replay::parse_time(t.trim()).unwrap())
}
