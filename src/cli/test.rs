//! `wf test [PATH...]`: run tests of decisions (see `docs/testing.md`).
//!
//! One line a test (`ok`, `FAILED`, `pending`, `ERROR`), the details of
//! those that did not pass, then `N passed, M failed` (`, K pending`,
//! `, E errors` when there are some). Exit code 0 when every test passes,
//! 1 when one fails or is pending, 2 when one could not run (a bad test
//! file, a missing script, an unparsable snapshot) or the command line is
//! bad.

use super::exit;
use crate::diagnostic::InputError;
use crate::testing::report;
use crate::testing::{self, Options, Outcome, Snapshot, Status};
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;

/// Arguments of `wf test`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Test files, or folders to search for `*.test.toml` (default: the
    /// project's `tests`, else every test under the current folder).
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Write every test's trace as its snapshot.
    #[arg(long, conflicts_with = "review")]
    accept: bool,
    /// Show each pending or changed snapshot and ask: accept, reject or skip.
    #[arg(long)]
    review: bool,
    /// Do not write `.snap.new` files (as when `CI` is set).
    #[arg(long)]
    no_write: bool,
    /// Show every line of each decision diff.
    #[arg(long)]
    verbose: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Also write the results as JUnit XML to FILE.
    #[arg(long, value_name = "FILE")]
    junit: Option<PathBuf>,
    /// Print the suite's coverage of the rules.
    #[arg(long)]
    coverage: bool,
    /// Write the suite's coverage as JSON to FILE.
    #[arg(long, value_name = "FILE")]
    coverage_json: Option<PathBuf>,
}

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// For people.
    Human,
    /// One JSON object a test, one a line.
    Json,
}

/// Runs `wf test` and returns the exit code.
pub fn run(args: Args) -> i32 {
    if args.review && !std::io::stdin().is_terminal() {
        return super::input_error(&InputError::new(
            "",
            None,
            "`--review` asks on a terminal; use `--accept` to accept every snapshot",
        ));
    }
    let tests = match testing::discover(&args.paths) {
        Ok(t) => t,
        Err(e) => return super::input_error(&e),
    };
    if tests.is_empty() {
        super::to_stderr(format_args!("warning: no test files found\n"));
    }
    let options = Options {
        accept: args.accept,
        write_new: !args.no_write && std::env::var_os("CI").is_none(),
        count: args.coverage || args.coverage_json.is_some(),
    };
    let mut outcomes = testing::run_all(&tests, options);
    if args.review {
        review(&mut outcomes, args.verbose);
    }
    let code = exit_code(&outcomes);
    if let Some(path) = &args.junit
        && let Err(code) = super::write_file(path, report::junit(&outcomes).as_bytes())
    {
        return code;
    }
    let coverage = (args.coverage || args.coverage_json.is_some()).then(|| {
        let mut coverage = testing::coverage::Coverage::default();
        for o in &outcomes {
            coverage.add_rules(&o.rules);
            coverage.add_records(&o.records);
            coverage.add_rule_counts(o.counts.as_deref().unwrap_or_default());
        }
        coverage
    });
    if let (Some(path), Some(c)) = (&args.coverage_json, &coverage) {
        let text = format!("{:#}\n", c.json());
        if let Err(code) = super::write_file(path, text.as_bytes()) {
            return code;
        }
    }
    let text = match args.format {
        Format::Json => outcomes
            .iter()
            .map(|o| format!("{}\n", report::json(o)))
            .collect(),
        Format::Human => {
            let mut text = report::human(&outcomes, args.verbose);
            if args.coverage
                && let Some(c) = &coverage
            {
                // The summary stays the last line.
                let summary = report::summary(&outcomes);
                let body = text.trim_end().trim_end_matches(summary.as_str());
                text = format!("{body}{}\n{summary}\n", c.text());
            }
            text
        }
    };
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        return super::write_failed(&e, code);
    }
    code
}

/// 2 when a test could not run, 1 when one failed or is pending, else 0.
fn exit_code(outcomes: &[Outcome]) -> i32 {
    if outcomes.iter().any(|o| o.status == Status::Error) {
        exit::INPUT
    } else if outcomes.iter().any(|o| o.status != Status::Passed) {
        exit::FAILED
    } else {
        exit::OK
    }
}

/// `--review`: for each pending or changed snapshot, shows the decision
/// diff on standard error and asks: accept (write the snapshot), reject
/// (drop the `.snap.new`) or skip (leave it). The end of input stops the
/// review; the tests not reached are left as they are.
fn review(outcomes: &mut [Outcome], verbose: bool) {
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    for o in outcomes.iter_mut() {
        if !matches!(o.snapshot, Snapshot::Changed | Snapshot::Missing) {
            continue;
        }
        let Some(trace) = o.trace.clone() else {
            continue;
        };
        let mut text = format!("\n{}:\n", o.path.display());
        for line in report::details(o, verbose) {
            text.push_str(&format!("  {line}\n"));
        }
        super::to_stderr(format_args!("{text}"));
        let answer = loop {
            super::to_stderr(format_args!("accept, reject or skip? [a/r/s] "));
            let mut line = String::new();
            match input.read_line(&mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            match line.trim().to_lowercase().as_str() {
                "a" | "accept" => break 'a',
                "r" | "reject" => break 'r',
                "s" | "skip" => break 's',
                _ => {}
            }
        };
        let snap = testing::snapshot::snap_path(&o.path);
        let new = testing::snapshot::new_path(&o.path);
        let result = match answer {
            'a' => crate::atomic::write(&snap, &trace)
                .and_then(|()| testing::snapshot::remove_file(&new))
                .map(|()| {
                    o.snapshot = Snapshot::Accepted;
                    o.written = Some(snap.clone());
                    o.diff.clear();
                    if o.failures.is_empty() {
                        o.status = Status::Passed;
                    }
                    super::to_stderr(format_args!("accepted {}\n", snap.display()));
                }),
            'r' => testing::snapshot::remove_file(&new).map(|()| {
                if o.written.as_ref() == Some(&new) {
                    o.written = None;
                }
                super::to_stderr(format_args!("rejected; {} removed\n", new.display()));
            }),
            _ => Ok(()),
        };
        if let Err(e) = result {
            super::to_stderr(format_args!(
                "error: {}: cannot write: {e}\n",
                snap.display()
            ));
        }
    }
}
