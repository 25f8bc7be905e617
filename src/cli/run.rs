//! `wf run`: replay events through scripts and print the decision trace
//! (`docs/trace.md`, `docs/cli.md`).
//!
//! Scripts with errors (syntax or checker) are not run: their diagnostics
//! go to standard error and the exit code is 1. A bad account or events
//! file is exit code 2; on a bad event line every record of the earlier
//! events is written and flushed before the error is printed. A closed
//! standard output (`wf run … | head -1`) ends the run quietly with exit 0.

use super::exit;
use super::replay::Loaded;
use crate::diagnostic::{InputError, Location};
use crate::runtime::replay::BadLine;
use crate::runtime::replay::table::render_table;
use crate::runtime::replay::writer::TraceWriter;
use crate::runtime::{
    Driver, Engine, ExplainMode, LiveSink, Options, Order, Record, RecordRef, Sink,
};
use std::io::{self, IsTerminal, Write};

/// How the trace is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One JSON object per line.
    Jsonl,
    /// An aligned table for people.
    Table,
}

/// Arguments of `wf run`: the events must be given.
#[derive(Debug, clap::Args)]
#[command(mut_arg("events", |a| a
    .required(true)
    .help("The events file (JSON Lines); `-` reads standard input")))]
pub struct Args {
    #[command(flatten)]
    inputs: super::replay::Inputs,
    /// Output format.
    #[arg(long, value_enum, default_value = "jsonl")]
    format: Format,
    /// Add step records (`email_sent`, `email_deferred`, `task_created`).
    #[arg(long)]
    steps: bool,
    /// Sort events by time (stably) instead of requiring time order.
    #[arg(long)]
    sort: bool,
    /// Report invalid event lines on standard error and go on.
    #[arg(long)]
    skip_invalid: bool,
    /// After the run, print on standard error why each rule did or did not
    /// act for this contact (the last 32 evaluations).
    #[arg(long, value_name = "CONTACT")]
    explain: Option<String>,
}

/// Where records go: JSON lines written as they come (on a second
/// thread), or a table at the end; and the progress display.
struct Output {
    trace: Trace,
    progress: Progress,
}

enum Trace {
    Jsonl(TraceWriter),
    Table(Vec<Record>),
}

impl Sink for Output {
    fn record(&mut self, r: &RecordRef<'_>) {
        match &mut self.trace {
            Trace::Jsonl(w) => w.record(r),
            Trace::Table(t) => t.push(r.to_record()),
        }
    }
}

impl LiveSink for Output {
    /// Writes the records so far now (JSON lines; a table waits for the end).
    fn flush(&mut self) {
        if let Trace::Jsonl(w) = &mut self.trace {
            w.flush();
        }
    }

    fn failed(&self) -> bool {
        match &self.trace {
            Trace::Jsonl(w) => w.failed(),
            Trace::Table(_) => false,
        }
    }

    fn event_ran(&mut self) {
        self.progress.tick();
    }
}

impl Output {
    fn new(format: Format, engine: &Engine) -> Output {
        let trace = match format {
            Format::Jsonl => Trace::Jsonl(TraceWriter::for_engine(io::stdout(), engine)),
            Format::Table => Trace::Table(Vec::new()),
        };
        Output {
            trace,
            progress: Progress::new(),
        }
    }

    /// Writes everything out (the table is rendered here); on a write
    /// failure returns the exit code: a closed pipe is not an error.
    fn finish(self) -> Option<i32> {
        self.progress.done();
        let result = match self.trace {
            Trace::Jsonl(w) => w.finish(),
            Trace::Table(table) if table.is_empty() => Ok(()),
            Trace::Table(table) => {
                let mut out = io::stdout().lock();
                out.write_all(render_table(&table).as_bytes())
                    .and_then(|()| out.flush())
            }
        };
        match result {
            Ok(()) => None,
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Some(exit::OK),
            Err(e) => {
                super::to_stderr(format_args!("error: cannot write the trace: {e}\n"));
                Some(exit::INPUT)
            }
        }
    }
}

/// Runs `wf run` and returns the exit code.
pub fn run(args: Args) -> i32 {
    let Loaded {
        account,
        scripts,
        events_name,
        events,
        until,
        ..
    } = match super::replay::load(args.inputs, "nothing was run") {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let mut engine = Engine::new(&account, &scripts.sources, &scripts.programs);
    engine.set_steps(args.steps);
    if let Some(c) = &args.explain {
        engine.set_explain(ExplainMode::Contacts(vec![c.clone()]));
    }
    let mut output = Output::new(args.format, &engine);
    // A bad line is skipped with a warning (`--skip-invalid`) or stops the
    // run with an error.
    let mut bad_line = |bad: BadLine| {
        let place = Location::LineColumn(bad.line, bad.column);
        let error = InputError::new(&events_name, Some(place), bad.message);
        if args.skip_invalid {
            super::to_stderr(format_args!("warning: skipped {error}\n"));
            Ok(())
        } else {
            Err(error)
        }
    };
    let options = Options {
        order: if args.sort {
            Order::Sorted
        } else {
            Order::AsWritten
        },
        until,
        ..Options::default()
    };
    let mut driver = Driver::new(&mut engine, options);
    let result = driver.run(events, &mut output, &mut bad_line);
    if let Err(e) = result {
        if let Some(code) = output.finish() {
            return code;
        }
        return super::input_error(&e);
    }
    driver.finish(&mut output);
    if let Some(code) = output.finish() {
        return code;
    }
    if let Some(c) = &args.explain {
        print_explanation(&engine, c);
    }
    exit::OK
}

fn print_explanation(engine: &Engine, contact: &str) {
    if engine.contact(contact).is_none() {
        super::to_stderr(format_args!("warning: no contact `{contact}` to explain\n"));
        return;
    }
    let evaluations = engine.evaluations(contact);
    super::to_stderr(format_args!(
        "{}",
        crate::runtime::engine::why::explain_events(contact, &evaluations, None)
    ));
}

/// A spinner on standard error, only when it is a terminal.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    count: std::cell::Cell<u64>,
}

impl Progress {
    fn new() -> Progress {
        let bar = io::stderr().is_terminal().then(|| {
            let bar = indicatif::ProgressBar::new_spinner();
            if let Ok(style) = indicatif::ProgressStyle::with_template("{spinner} {pos} {msg}") {
                bar.set_style(style);
            }
            bar.set_message("events replayed");
            bar
        });
        Progress {
            bar,
            count: std::cell::Cell::new(0),
        }
    }

    fn tick(&self) {
        let n = self.count.get() + 1;
        self.count.set(n);
        if n.is_multiple_of(4096)
            && let Some(bar) = &self.bar
        {
            bar.set_position(n);
        }
    }

    fn done(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
