//! The REPL session: one line of input in, one [`Outcome`] out, with no
//! terminal in it (so transcripts can be snapshot-tested).
//!
//! A [`Session`] holds the account (an empty one when none is given), the
//! loaded rules with their source text, the runtime state, the decision
//! records so far and a clock. Input is a `.wf` item (a rule or a workflow
//! block; an unfinished one is accumulated until it is complete) or a
//! `:command`. Invariants: the loaded rules always check without errors
//! against the account; the clock only moves forward (until `:reset`); the
//! wall clock is never read — the clock starts at the first event's `at`,
//! or at [`EPOCH`] when the first thing that needs it is not an event.

use super::command::{self, Command, CommandError};
use super::complete::Names;
use super::input::{Completeness, Pending};
use crate::account::Account;
use crate::check;
use crate::diagnostic::{Diagnostic, InputError};
use crate::source::{self, FileId, FileKind, Sources};
use crate::syntax::{self, Program, ast::Item};
use chrono::{DateTime, Utc};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The clock's start when no event has set it: Monday 2026-01-05 09:00 UTC.
pub const EPOCH: &str = "2026-01-05T09:00:00Z";

/// What handling one input gave.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Text to show (may be empty); every line ends with `\n`.
    pub text: String,
    /// The input is an unfinished item: more lines are needed.
    pub more: bool,
    /// The user asked to leave.
    pub quit: bool,
}

impl Outcome {
    fn text(text: impl Into<String>) -> Self {
        Outcome {
            text: text.into(),
            ..Outcome::default()
        }
    }

    /// A command's error; what the user typed is shown escaped.
    fn error(e: &CommandError) -> Self {
        let mut text = format!("error: {}\n", source::escaped(&e.message));
        if let Some(help) = &e.help {
            let _ = writeln!(text, "  help: {}", source::escaped(help));
        }
        Outcome::text(text)
    }

    /// An input error (a file that cannot be read or written), escaped.
    fn input_error(e: &InputError) -> Self {
        Outcome::text(format!("error: {}\n", source::escaped(&e.to_string())))
    }
}

/// Where a loaded item came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A file, by the name it was loaded under.
    File(String),
    /// Typed in the session.
    Typed,
}

/// One loaded top-level item: a rule or a workflow block.
#[derive(Debug, Clone)]
pub struct LoadedItem {
    /// The source file (or typed input) it was parsed from.
    pub file: FileId,
    pub item: Item,
    /// Its source text, as written.
    pub text: String,
    /// Where it came from.
    pub origin: Origin,
}

/// A REPL session (see the module header).
pub struct Session {
    pub(super) account: Account,
    pub(super) sources: Sources,
    pub(super) items: Vec<LoadedItem>,
    typed: usize,
    pending: Pending,
    pub(super) replay: super::replay::Replay,
}

impl Session {
    /// A session with an account (or an empty one) and the rules of
    /// `files` loaded in order. An unreadable file is an [`InputError`];
    /// the returned text reports the files loaded and their diagnostics
    /// (a file with errors is reported and left out).
    pub fn new(
        account: Option<Account>,
        files: &[PathBuf],
    ) -> Result<(Session, String), InputError> {
        let account = account.unwrap_or_default();
        let mut session = Session {
            replay: super::replay::Replay::new(&account, &Sources::new(), &[]),
            account,
            sources: Sources::new(),
            items: Vec::new(),
            typed: 0,
            pending: Pending::default(),
        };
        let mut text = String::new();
        for path in files {
            let name = path.display().to_string();
            if let Some(clash) = session.base_name_clash(&name) {
                return Err(clash);
            }
            let source = source::read_text(path, FileKind::SCRIPT)?;
            text.push_str(&session.load_text(&name, &source).text);
        }
        Ok((session, text))
    }

    /// Handles one line of input (or a whole multi-line input at once).
    pub fn handle(&mut self, line: &str) -> Outcome {
        let line = line.trim_end_matches(['\n', '\r']);
        if line.trim_start().starts_with(':') && !self.pending.is_empty() {
            // A command ends an unfinished item: show what is wrong with it.
            let pending = self.pending.take();
            let mut out = self.dispatch(&pending);
            let next = self.dispatch(line);
            out.text.push_str(&next.text);
            out.quit = next.quit;
            return out;
        }
        if self.pending.push_line(line) == Completeness::Incomplete {
            return Outcome {
                more: true,
                ..Outcome::default()
            };
        }
        let text = self.pending.take();
        self.dispatch(&text)
    }

    /// Handles the end of input: an unfinished item is handled as it is
    /// (its error shown).
    pub fn finish(&mut self) -> Outcome {
        let text = self.pending.take();
        if text.trim().is_empty() {
            Outcome::default()
        } else {
            self.dispatch(&text)
        }
    }

    /// Whether an unfinished item is waiting for more lines.
    pub fn is_pending(&self) -> bool {
        !self.pending.is_empty()
    }

    /// The names completion offers: the account's, plus contacts created
    /// by events.
    pub fn names(&self) -> Names {
        let mut names = Names::of_account(&self.account);
        names.contacts.extend(self.replay.contact_ids());
        names.contacts.sort();
        names.contacts.dedup();
        names
    }

    /// The loaded items, in program order.
    pub fn items(&self) -> &[LoadedItem] {
        &self.items
    }

    pub fn account(&self) -> &Account {
        &self.account
    }

    /// The sources of every file and typed input.
    pub fn sources(&self) -> &Sources {
        &self.sources
    }

    fn dispatch(&mut self, text: &str) -> Outcome {
        let trimmed = text.trim();
        let only_comments = syntax::lexer::tokenize(text)
            .iter()
            .all(|(t, _)| *t == syntax::lexer::Token::Comment);
        if trimmed.is_empty() || only_comments {
            return Outcome::default();
        }
        if trimmed.starts_with(':') {
            return match command::parse(trimmed) {
                Ok(cmd) => self.run_command(cmd),
                Err(e) => Outcome::error(&e),
            };
        }
        self.typed += 1;
        let name = format!("<repl:{}>", self.typed);
        self.add_text(&name, text, Origin::Typed)
    }

    fn run_command(&mut self, cmd: Command) -> Outcome {
        match cmd {
            Command::Help => Outcome::text(help_text()),
            Command::Load(path) => self.load(&path),
            Command::Rules => Outcome::text(self.rules_text()),
            Command::Drop(n) => self.drop_item(n),
            Command::Check => self.check_all(),
            Command::Save(path) => self.save(&path),
            Command::Test(path) => Outcome::text(self.test(Path::new(&path))),
            Command::Quit => Outcome {
                quit: true,
                ..Outcome::default()
            },
            Command::Event(json) => Outcome::text(self.event(&json)),
            Command::Events(path) => Outcome::text(self.events_file(Path::new(&path))),
            Command::Advance(d) => Outcome::text(self.advance(d)),
            Command::Time => Outcome::text(self.time_text()),
            Command::Trace(n) => Outcome::text(self.trace_text(n)),
            Command::Contact(id) => Outcome::text(self.contact_text(&id)),
            Command::Why(id) => Outcome::text(self.why_text(&id)),
            Command::Reset => Outcome::text(self.reset()),
        }
    }

    /// `:load FILE`.
    fn load(&mut self, path: &str) -> Outcome {
        if let Some(clash) = self.base_name_clash(path) {
            return Outcome::input_error(&clash);
        }
        match source::read_text(Path::new(path), FileKind::SCRIPT) {
            Ok(text) => self.load_text(path, &text),
            Err(e) => Outcome::input_error(&e),
        }
    }

    /// A file loaded before under another name with the same base name:
    /// both would print their rules as `BASE:LINE` (see
    /// [`Sources::base_name_clash`]).
    fn base_name_clash(&self, name: &str) -> Option<InputError> {
        let first = self.sources.base_name_clash(name)?;
        let base = source::base_name(name);
        Some(InputError::new(
            name,
            None,
            format!(
                "has the same base name as `{}`, loaded before: rules are named \
                 `{base}:LINE`, so the two cannot be told apart; rename one",
                first.name
            ),
        ))
    }

    fn load_text(&mut self, name: &str, text: &str) -> Outcome {
        self.add_text(name, text, Origin::File(name.to_owned()))
    }

    /// Parses and checks `text` against every loaded rule; adds its items
    /// when there is no error.
    fn add_text(&mut self, name: &str, text: &str, origin: Origin) -> Outcome {
        let file = self.sources.add(name, text);
        let program = match syntax::parse(file, text) {
            Ok(p) => p,
            Err(d) => return Outcome::text(self.render(&[d]) + "not added: a syntax error\n"),
        };
        if program.items.is_empty() {
            return Outcome::text(format!("`{name}` holds no rules\n"));
        }
        let mut programs = self.programs();
        programs.push((file, program.clone()));
        let diagnostics = check::check(&programs, &self.account);
        let errors = diagnostics.iter().filter(|d| d.is_error()).count();
        // Earlier rules were shown their warnings when they were added.
        let shown: Vec<Diagnostic> = diagnostics
            .into_iter()
            .filter(|d| d.file == file || d.is_error())
            .collect();
        let mut out = self.render(&shown);
        if errors > 0 {
            let _ = writeln!(out, "not added: {}", plural(errors, "error"));
            return Outcome::text(out);
        }
        let first = self.items.len() + 1;
        for item in program.items {
            let span = item_span(&item);
            let item_text = text.get(span.range()).unwrap_or("").to_owned();
            self.items.push(LoadedItem {
                file,
                item,
                text: item_text,
                origin: origin.clone(),
            });
        }
        let last = self.items.len();
        self.rules_changed();
        if first == last {
            match self.items.last().map(|i| &i.item) {
                Some(Item::Workflow(w)) => {
                    let _ = writeln!(out, "added rule {first} (workflow `{}`)", w.name.value);
                }
                _ => {
                    let _ = writeln!(out, "added rule {first}");
                }
            }
        } else {
            let _ = writeln!(out, "added rules {first}-{last} from `{name}`");
        }
        Outcome::text(out)
    }

    /// The loaded items as programs: consecutive items of one file form
    /// one program.
    pub fn programs(&self) -> Vec<(FileId, Program)> {
        let mut out: Vec<(FileId, Program)> = Vec::new();
        for loaded in &self.items {
            match out.last_mut() {
                Some((f, p)) if *f == loaded.file => p.items.push(loaded.item.clone()),
                _ => out.push((
                    loaded.file,
                    Program {
                        items: vec![loaded.item.clone()],
                    },
                )),
            }
        }
        out
    }

    fn rules_text(&self) -> String {
        if self.items.is_empty() {
            return "no rules loaded\n".to_owned();
        }
        let mut out = String::new();
        for (i, loaded) in self.items.iter().enumerate() {
            let _ = writeln!(out, "{}  {}", i + 1, self.item_place(loaded));
            for line in loaded.text.lines() {
                let line = line.trim_end();
                if line.is_empty() {
                    out.push('\n');
                } else {
                    let _ = writeln!(out, "   {line}");
                }
            }
        }
        out
    }

    /// `FILE:LINE` of an item, as trace records name rules.
    fn item_place(&self, loaded: &LoadedItem) -> String {
        match self.sources.get(loaded.file) {
            Some(f) => {
                let (line, _) = f.line_col(item_span(&loaded.item).start);
                format!("{}:{line}", f.base_name())
            }
            None => "?".to_owned(),
        }
    }

    fn drop_item(&mut self, n: usize) -> Outcome {
        if n == 0 || n > self.items.len() {
            return Outcome::error(&CommandError {
                message: format!("there is no rule {n}"),
                help: Some(match self.items.len() {
                    0 => "no rules are loaded".to_owned(),
                    1 => "the only rule is 1".to_owned(),
                    k => format!("rules are numbered 1 to {k}; see `:rules`"),
                }),
            });
        }
        let removed = self.items.remove(n - 1);
        self.rules_changed();
        let first = removed.text.lines().next().unwrap_or("").trim();
        Outcome::text(format!("dropped rule {n}: {first}\n"))
    }

    fn check_all(&self) -> Outcome {
        let diagnostics = check::check(&self.programs(), &self.account);
        if diagnostics.is_empty() {
            let n = self.items.len();
            return Outcome::text(format!("no problems in {}\n", plural(n, "rule")));
        }
        let errors = diagnostics.iter().filter(|d| d.is_error()).count();
        let warnings = diagnostics.len() - errors;
        let mut out = self.render(&diagnostics);
        let _ = writeln!(
            out,
            "{}, {}",
            plural(errors, "error"),
            plural(warnings, "warning")
        );
        Outcome::text(out)
    }

    /// `:save FILE`: the typed items, formatted, separated by blank lines.
    fn save(&self, path: &str) -> Outcome {
        let typed: Vec<&LoadedItem> = self
            .items
            .iter()
            .filter(|i| i.origin == Origin::Typed)
            .collect();
        if typed.is_empty() {
            return Outcome::text("nothing to save: no rules were typed in this session\n");
        }
        let text = typed
            .iter()
            .map(|i| format_item(i))
            .collect::<Vec<_>>()
            .join("\n");
        match crate::atomic::write(Path::new(path), text.as_bytes()) {
            Ok(()) => Outcome::text(format!(
                "saved {} to `{}`\n",
                plural(typed.len(), "rule"),
                source::escaped(path)
            )),
            Err(e) => {
                Outcome::input_error(&InputError::new(path, None, format!("cannot write: {e}")))
            }
        }
    }

    /// `:test FILE`: runs a test file as `wf test --no-write` does, but on
    /// the session's account (as loaded: events typed in the session do
    /// not change it) instead of the one the test names; the session's
    /// rules and state are not involved. Reports as `wf test` does.
    fn test(&self, path: &Path) -> String {
        let options = crate::testing::Options {
            accept: false,
            write_new: false,
            count: false,
        };
        let outcome = crate::testing::run_test_on(path, options, &self.account);
        crate::testing::report::human(std::slice::from_ref(&outcome), false)
    }

    pub(super) fn render(&self, diagnostics: &[Diagnostic]) -> String {
        diagnostics
            .iter()
            .map(|d| d.render(&self.sources, false))
            .collect()
    }

    /// Tells the runtime about a changed rule set (its state is kept).
    fn rules_changed(&mut self) {
        let programs = self.programs();
        self.replay.set_rules(&programs, &self.sources);
    }
}

/// One loaded item as canonical text (`wf fmt` layout), ending with a
/// newline.
fn format_item(loaded: &LoadedItem) -> String {
    let program = Program {
        items: vec![loaded.item.clone()],
    };
    // The item's own text keeps the comments inside it; it parses (it was
    // cut from a parsed file at an item's bounds), the program is the
    // fallback all the same.
    let text = crate::format::format_source(loaded.file, &loaded.text)
        .unwrap_or_else(|_| crate::format::format_program(&program));
    if text.ends_with('\n') {
        text
    } else {
        text + "\n"
    }
}

fn item_span(item: &Item) -> crate::span::Span {
    match item {
        Item::Rule(r) => r.span,
        Item::Workflow(w) => w.span,
    }
}

/// `1 rule`, `2 rules`.
pub(super) fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn help_text() -> String {
    let width = command::HELP
        .iter()
        .map(|(u, _)| u.len())
        .max()
        .unwrap_or(0);
    let mut out = String::from(
        "type a rule or a workflow block to add it (an unfinished one continues\n\
         on the next line), or a command:\n",
    );
    for (usage, what) in command::HELP {
        let _ = writeln!(out, "  {usage:width$}  {what}");
    }
    out
}

/// The clock's start: [`EPOCH`].
pub fn epoch() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(EPOCH)
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default()
}
