//! Tests of decisions (`wf test`, see `docs/testing.md`): a test file
//! names scripts, an account, events and what the trace must (and must
//! not) hold; beside it a snapshot keeps the whole trace as `wf run`
//! prints it. A test passes when its expectations hold and its snapshot
//! matches.
//!
//! Modules: `spec` (reading a test file, every mistake placed), `expect`
//! (matching expectations, the closest records of a failed one),
//! `snapshot` (reading snapshots, decision diffs, writing files),
//! `replay` (the one call into the runtime), `report` (text, JSON and
//! JUnit reports), `coverage` (the coverage report).
//!
//! Tests run in parallel, each on its own thread of a small pool; the
//! outcomes come back in the order of the paths, so the report does not
//! depend on timing. A test writes only beside itself (`NAME.test.snap`,
//! `NAME.test.snap.new`).

pub mod coverage;
pub mod expect;
pub mod replay;
pub mod report;
pub mod snapshot;
pub mod spec;

use crate::account::Account;
use crate::diagnostic::{InputError, Location};
use crate::project::Project;
use crate::project::doc::{self, Doc};
use crate::runtime::Record;
use spec::{ContactOverride, Events, TestSpec};
use std::path::{Path, PathBuf};

/// How a suite is run.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Write each test's trace as its snapshot (`--accept`).
    pub accept: bool,
    /// Write `NAME.test.snap.new` for pending and changed snapshots (off
    /// with `--no-write` or when `CI` is set).
    pub write_new: bool,
    /// Count with the engine's rule counters (`--coverage`).
    pub count: bool,
}

/// How a test came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Expectations hold and the snapshot matches.
    Passed,
    /// An expectation failed, the snapshot changed or the scripts have
    /// errors.
    Failed,
    /// No snapshot yet; everything else holds.
    Pending,
    /// The test could not run: a bad test file or input.
    Error,
}

impl Status {
    /// `ok`, `FAILED`, `pending`, `ERROR`: the word on the test's line.
    pub fn word(self) -> &'static str {
        match self {
            Status::Passed => "ok",
            Status::Failed => "FAILED",
            Status::Pending => "pending",
            Status::Error => "ERROR",
        }
    }
}

/// What became of a test's snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Snapshot {
    /// The test did not get as far as its trace.
    NotRun,
    /// The trace is the snapshot, byte for byte.
    Matched,
    /// The trace differs from the snapshot.
    Changed,
    /// There is no snapshot yet.
    Missing,
    /// The trace was written as the snapshot (`--accept`).
    Accepted,
}

impl Snapshot {
    /// The state in words, for the JSON report.
    pub fn as_str(self) -> &'static str {
        match self {
            Snapshot::NotRun => "not_run",
            Snapshot::Matched => "matched",
            Snapshot::Changed => "changed",
            Snapshot::Missing => "missing",
            Snapshot::Accepted => "accepted",
        }
    }
}

/// The outcome of one test.
#[derive(Debug)]
pub struct Outcome {
    /// The test file.
    pub path: PathBuf,
    /// The test's description, if it has one.
    pub description: Option<String>,
    /// How it came out.
    pub status: Status,
    /// What became of its snapshot.
    pub snapshot: Snapshot,
    /// Failed expectations and rejections, and the scripts' errors: lines
    /// for people.
    pub failures: Vec<String>,
    /// The decision diff of a changed or missing snapshot (every line).
    pub diff: Vec<String>,
    /// Why the test could not run.
    pub error: Option<InputError>,
    /// The new trace (JSON Lines), when the test ran.
    pub trace: Option<Vec<u8>>,
    /// The new trace's records, when the test ran.
    pub records: Vec<Record>,
    /// A file the run wrote (`.snap.new` or `.snap`), if any.
    pub written: Option<PathBuf>,
    /// The `FILE:LINE` names of the rules of the test's scripts.
    pub rules: Vec<String>,
    /// The engine's rule counts, when the test ran counting.
    pub counts: Option<Vec<crate::runtime::engine::counters::RuleCounts>>,
}

impl Outcome {
    fn new(path: &Path) -> Outcome {
        Outcome {
            path: path.to_path_buf(),
            description: None,
            status: Status::Error,
            snapshot: Snapshot::NotRun,
            failures: Vec::new(),
            diff: Vec::new(),
            error: None,
            trace: None,
            records: Vec::new(),
            written: None,
            rules: Vec::new(),
            counts: None,
        }
    }
}

/// The test files to run. Files are taken as given; folders give every
/// `*.test.toml` under them. With no path: the `tests` globs of the
/// nearest project, else every `*.test.toml` under the current folder.
/// Sorted by path, without repeats.
pub fn discover(paths: &[PathBuf]) -> Result<Vec<PathBuf>, InputError> {
    let mut files = Vec::new();
    if paths.is_empty() {
        match crate::project::discover()? {
            Some(project) => files = project.test_files()?,
            None => files = tests_under(Path::new("")),
        }
    }
    for path in paths {
        if path.is_dir() {
            files.extend(tests_under(path));
        } else if path.is_file() {
            files.push(path.clone());
        } else {
            return Err(InputError::new(
                path.display().to_string(),
                None,
                "no such test file or folder",
            ));
        }
    }
    files.sort();
    files.dedup();
    Ok(files)
}

/// Every `*.test.toml` under `dir`, sorted.
fn tests_under(dir: &Path) -> Vec<PathBuf> {
    let start = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(start)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| {
            e.file_type().is_file() && e.file_name().to_string_lossy().ends_with(".test.toml")
        })
        .map(|e| {
            let p = e.path();
            if dir.as_os_str().is_empty() {
                p.strip_prefix(".").unwrap_or(p).to_path_buf()
            } else {
                p.to_path_buf()
            }
        })
        .collect();
    files.sort();
    files
}

/// Runs `tests` in parallel; the outcomes are in the order of `tests`.
pub fn run_all(tests: &[PathBuf], options: Options) -> Vec<Outcome> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(tests.len())
        .max(1);
    let next = AtomicUsize::new(0);
    let cache = Cache::default();
    let mut done: Vec<(usize, Outcome)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(path) = tests.get(i) else { break };
                        mine.push((i, run_cached(path, options, &cache)));
                    }
                    mine
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, o)| o).collect()
}

/// What the tests of a suite share: projects and accounts are read once.
/// `given` is an account that replaces every test's own.
#[derive(Default)]
struct Cache {
    given: Option<Account>,
    projects: std::sync::Mutex<std::collections::BTreeMap<PathBuf, Result<Project, InputError>>>,
    accounts: std::sync::Mutex<std::collections::BTreeMap<PathBuf, Result<Account, InputError>>>,
}

impl Cache {
    fn project(&self, root: &Path) -> Result<Project, InputError> {
        let mut map = self.projects.lock().unwrap_or_else(|e| e.into_inner());
        map.entry(root.to_path_buf())
            .or_insert_with(|| crate::project::load(root))
            .clone()
    }

    fn account(&self, path: &Path) -> Result<Account, InputError> {
        let mut map = self.accounts.lock().unwrap_or_else(|e| e.into_inner());
        map.entry(path.to_path_buf())
            .or_insert_with(|| crate::account::load(path))
            .clone()
    }
}

pub fn run_test(path: &Path, options: Options) -> Outcome {
    run_cached(path, options, &Cache::default())
}

/// Runs one test on `account` instead of the one the test (or its
/// project) names (the REPL's `:test`). The test's `[contacts]` apply to
/// it as usual.
pub fn run_test_on(path: &Path, options: Options, account: &Account) -> Outcome {
    let cache = Cache {
        given: Some(account.clone()),
        ..Cache::default()
    };
    run_cached(path, options, &cache)
}

/// Runs one test, reading projects and accounts through `cache`.
fn run_cached(path: &Path, options: Options, cache: &Cache) -> Outcome {
    let mut outcome = Outcome::new(path);
    if let Err(e) = run_into(path, options, cache, &mut outcome) {
        outcome.status = Status::Error;
        outcome.error = Some(e);
    }
    outcome
}

/// Runs one test into `outcome`; an input error stops it.
fn run_into(
    path: &Path,
    options: Options,
    cache: &Cache,
    outcome: &mut Outcome,
) -> Result<(), InputError> {
    let dir = path.parent().unwrap_or(Path::new(""));
    let project = match crate::project::find_from(dir) {
        Some(root) => Some(cache.project(&root)?),
        None => None,
    };
    let spec = spec::read(path, project.as_ref())?;
    outcome.description = spec.description.clone();
    let mut account = match (&cache.given, &spec.account) {
        (Some(given), _) => given.clone(),
        (None, Some(path)) => cache.account(path)?,
        (None, None) => {
            return Err(spec.doc.error(
                0..0,
                "no `account` in the test and no wf.toml with `account` above it",
            ));
        }
    };
    for c in &spec.contacts {
        apply_override(&spec.doc, c, &mut account)?;
    }
    let scripts = crate::cli::load_scripts(&spec.scripts)?;
    outcome.rules = coverage::rule_names(&scripts.sources, &scripts.programs);
    let mut errors = scripts.errors.clone();
    errors.extend(
        crate::check::check(&scripts.programs, &account)
            .into_iter()
            .filter(|d| d.is_error()),
    );
    if !errors.is_empty() {
        errors.sort_by_key(|d| d.sort_key());
        outcome.status = Status::Failed;
        outcome.failures.push(format!(
            "the scripts have {} error{}; nothing was run",
            errors.len(),
            if errors.len() == 1 { "" } else { "s" }
        ));
        let rendered = crate::diagnostic::render_all(&errors, &scripts.sources, false);
        outcome.failures.extend(rendered.lines().map(str::to_owned));
        return Ok(());
    }
    let events = events_bytes(&spec)?;
    let replayed = replay::replay(
        &account,
        &scripts,
        events,
        (spec.steps, spec.until),
        options.count,
    )
    .map_err(|bad| bad_event(&spec, bad))?;
    let (trace, records) = (replayed.jsonl, replayed.records);
    outcome.counts = replayed.counts;
    let file = spec.doc.name();
    for e in &spec.expects {
        outcome
            .failures
            .extend(e.check_expect(&records, file).unwrap_or_default());
    }
    for r in &spec.rejects {
        outcome
            .failures
            .extend(r.check_reject(&records, file).unwrap_or_default());
    }
    compare_snapshot(path, &trace, options, outcome)?;
    outcome.status = if !outcome.failures.is_empty() || outcome.snapshot == Snapshot::Changed {
        Status::Failed
    } else if outcome.snapshot == Snapshot::Missing {
        Status::Pending
    } else {
        Status::Passed
    };
    outcome.trace = Some(trace);
    outcome.records = records;
    Ok(())
}

/// Compares the trace with the test's snapshot (or accepts it) and writes
/// what the options allow.
fn compare_snapshot(
    path: &Path,
    trace: &[u8],
    options: Options,
    outcome: &mut Outcome,
) -> Result<(), InputError> {
    let snap = snapshot::snap_path(path);
    let new = snapshot::new_path(path);
    let write_error = |p: &Path, e: std::io::Error| {
        InputError::new(p.display().to_string(), None, format!("cannot write: {e}"))
    };
    if options.accept {
        crate::atomic::write(&snap, trace).map_err(|e| write_error(&snap, e))?;
        snapshot::remove_file(&new).map_err(|e| write_error(&new, e))?;
        outcome.snapshot = Snapshot::Accepted;
        outcome.written = Some(snap);
        return Ok(());
    }
    let snap_name = snap.display().to_string();
    let read = match std::fs::metadata(&snap) {
        Err(e) => Err(e),
        Ok(_) => Ok(crate::source::read_bytes(
            &snap,
            crate::source::FileKind::TEST_DATA,
        )?),
    };
    match read {
        Ok(old) => {
            snapshot::validate(&snap_name, &old)?;
            if old == trace {
                outcome.snapshot = Snapshot::Matched;
                if options.write_new {
                    snapshot::remove_file(&new).map_err(|e| write_error(&new, e))?;
                }
                return Ok(());
            }
            outcome.snapshot = Snapshot::Changed;
            outcome.diff = snapshot::decision_diff(&snap_name, &old, trace)?;
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            outcome.snapshot = Snapshot::Missing;
            outcome.diff = snapshot::all_added(trace)?;
        }
        Err(e) => {
            return Err(InputError::new(
                snap_name,
                None,
                format!("cannot read: {e}"),
            ));
        }
    }
    if options.write_new {
        crate::atomic::write(&new, trace).map_err(|e| write_error(&new, e))?;
        outcome.written = Some(new);
    }
    Ok(())
}

/// The test's events as JSON Lines: the events file, or one line per
/// `[[event]]` table.
fn events_bytes(spec: &TestSpec) -> Result<Vec<u8>, InputError> {
    match &spec.events {
        Events::File(file) => crate::source::read_bytes(file, crate::source::FileKind::TEST_DATA),
        Events::Inline(events) => {
            let mut bytes = Vec::new();
            for e in events {
                bytes.extend_from_slice(e.json.as_bytes());
                bytes.push(b'\n');
            }
            Ok(bytes)
        }
    }
}

/// A bad event line as an input error: in the events file at its line and
/// column, as `wf run` reports it; for inline events, at the `[[event]]`
/// table (at the key the problem names, when it names one).
fn bad_event(spec: &TestSpec, bad: crate::runtime::replay::BadLine) -> InputError {
    match &spec.events {
        Events::File(file) => InputError::new(
            file.display().to_string(),
            Some(Location::LineColumn(bad.line, bad.column)),
            bad.message,
        ),
        Events::Inline(events) => {
            let Some(event) = bad.line.checked_sub(1).and_then(|i| events.get(i)) else {
                return spec.doc.whole(bad.message);
            };
            // The key the message names, else the value it quotes.
            let named = event
                .keys
                .iter()
                .find(|k| bad.message.contains(&format!("`{}`", k.name)));
            let quoted = || {
                event.keys.iter().find(|k| {
                    k.text
                        .as_ref()
                        .is_some_and(|t| bad.message.contains(&format!("`{t}`")))
                })
            };
            let span = match (named, quoted()) {
                (Some(k), _) => k.span.clone(),
                (None, Some(k)) => k.value_span.clone(),
                (None, None) => event.span.clone(),
            };
            spec.doc
                .error(span, format!("event {}: {}", bad.line, bad.message))
        }
    }
}

/// Sets a `[contacts."ID"]` table's property values on the account's
/// contact, checked as the account loader checks them.
fn apply_override(
    doc: &Doc,
    over: &ContactOverride,
    account: &mut Account,
) -> Result<(), InputError> {
    let ids: Vec<String> = account.contacts.iter().map(|c| c.id.clone()).collect();
    let users: Vec<String> = account.users.iter().map(|u| u.email.clone()).collect();
    let names: Vec<String> = account.properties.keys().cloned().collect();
    let Some(index) = ids.iter().position(|id| *id == over.id) else {
        let message = match doc::closest(&over.id, ids.iter().map(String::as_str)) {
            Some(c) => format!(
                "no contact `{}` in the account: did you mean `{c}`?",
                over.id
            ),
            None => format!("no contact `{}` in the account", over.id),
        };
        return Err(doc.error(over.span.clone(), message));
    };
    let mut checked = Vec::new();
    for (name, name_span, value, value_span) in &over.properties {
        if name != "email" && name != "owner" && account.property(name).is_none() {
            let what = "contact property";
            let valid = names.iter().map(String::as_str);
            return Err(doc.error(name_span.clone(), doc::unknown(what, name, "", valid)));
        }
        let text = value.as_str().map(str::to_owned);
        match name.as_str() {
            "email" => match text {
                Some(t) => checked.push(Change::Email(t)),
                None => return Err(doc.error(value_span.clone(), "`email` must be a string")),
            },
            "owner" => match text {
                Some(t) if users.contains(&t) => checked.push(Change::Owner(t)),
                Some(t) => {
                    let message = match doc::closest(&t, users.iter().map(String::as_str)) {
                        Some(c) => format!("`owner`: no user `{t}`: did you mean `{c}`?"),
                        None => format!("`owner`: no user `{t}` in the account"),
                    };
                    return Err(doc.error(value_span.clone(), message));
                }
                None => return Err(doc.error(value_span.clone(), "`owner` must be a user's email")),
            },
            _ => match account.property_value(name, value) {
                Ok(v) => checked.push(Change::Property(name.clone(), v)),
                Err(message) => {
                    return Err(doc.error(value_span.clone(), format!("`{name}`: {message}")));
                }
            },
        }
    }
    let Some(contact) = account.contacts.get_mut(index) else {
        return Ok(());
    };
    for change in checked {
        match change {
            Change::Email(e) => contact.email = Some(e),
            Change::Owner(o) => contact.owner = Some(o),
            Change::Property(name, Some(v)) => {
                contact.properties.insert(name, v);
            }
            Change::Property(name, None) => {
                contact.properties.remove(&name);
            }
        }
    }
    Ok(())
}

/// One checked change to a contact.
enum Change {
    Email(String),
    Owner(String),
    Property(String, Option<crate::value::Value>),
}

#[cfg(test)]
mod tests;
