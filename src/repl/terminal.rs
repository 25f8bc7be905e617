//! The terminal front end: rustyline with history, highlighting,
//! completion and multi-line input.
//!
//! Takes a [`Session`] and drives it from the terminal until `:quit` or
//! end of input (Ctrl-D). Everything it shows comes from the session; this
//! module only adds editing. Its helper delegates to the UI-free parts:
//! [`super::highlight`] (colours keep the display width),
//! [`super::complete`] and [`super::input`] (a rustyline `Validator`: an
//! unfinished block or rule continues on the next line, where a dimmed
//! hint stands in for the prompt rustyline cannot draw). History lives in
//! `$XDG_DATA_HOME/wf/history` (or `~/.local/share/wf/history`); failing
//! to read or write it is silent.

use super::complete::{self, Names};
use super::input::{self, Completeness};
use super::session::Session;
use rustyline::completion::{Completer, FilenameCompleter, Pair};
use rustyline::highlight::{CmdKind, Highlighter};
use rustyline::hint::Hinter;
use rustyline::history::DefaultHistory;
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{CompletionType, Config, Context, Editor, Helper};
use std::borrow::Cow;
use std::path::PathBuf;

pub const PROMPT: &str = "wf> ";

/// The rustyline helper: completion, highlighting and validation over the
/// session's names.
pub struct WfHelper {
    /// The names completion offers (refreshed after every input).
    pub names: Names,
    /// Whether to colour the input.
    pub color: bool,
    /// Completes the file argument of `:load`, `:events`, `:save` and
    /// `:test`.
    pub files: FilenameCompleter,
}

/// Whether the line is a command that takes a file name.
fn takes_file(line: &str) -> bool {
    let line = line.trim_start();
    [":load ", ":events ", ":save ", ":test "]
        .iter()
        .any(|c| line.starts_with(c))
}

impl Completer for WfHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        if takes_file(line) {
            return self.files.complete(line, pos, ctx);
        }
        let c = complete::complete(line, pos, &self.names);
        let pairs = c
            .candidates
            .into_iter()
            .map(|s| Pair {
                display: s.clone(),
                replacement: s,
            })
            .collect();
        Ok((c.start, pairs))
    }
}

/// The hint shown on an empty continuation line; it is never inserted.
pub struct ContinuationHint(&'static str);

impl rustyline::hint::Hint for ContinuationHint {
    fn display(&self) -> &str {
        self.0
    }

    fn completion(&self) -> Option<&str> {
        None
    }
}

impl Hinter for WfHelper {
    type Hint = ContinuationHint;

    fn hint(&self, line: &str, pos: usize, _ctx: &Context<'_>) -> Option<ContinuationHint> {
        input::continuation_hint(line, pos).map(ContinuationHint)
    }
}

impl Highlighter for WfHelper {
    fn highlight<'l>(&self, line: &'l str, _pos: usize) -> Cow<'l, str> {
        if self.color {
            Cow::Owned(super::highlight::highlight(line))
        } else {
            Cow::Borrowed(line)
        }
    }

    fn highlight_hint<'h>(&self, hint: &'h str) -> Cow<'h, str> {
        if self.color {
            Cow::Owned(format!("\x1b[2m{hint}\x1b[0m"))
        } else {
            Cow::Borrowed(hint)
        }
    }

    fn highlight_char(&self, _line: &str, _pos: usize, kind: CmdKind) -> bool {
        self.color && kind != CmdKind::MoveCursor
    }
}

impl Validator for WfHelper {
    fn validate(&self, ctx: &mut ValidationContext) -> rustyline::Result<ValidationResult> {
        Ok(match input::completeness(ctx.input()) {
            Completeness::Complete => ValidationResult::Valid(None),
            Completeness::Incomplete => ValidationResult::Incomplete,
        })
    }
}

impl Helper for WfHelper {}

/// Where history is kept, if a data directory can be found.
pub fn history_path() -> Option<PathBuf> {
    let base = match std::env::var_os("XDG_DATA_HOME").filter(|v| !v.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(std::env::var_os("HOME")?).join(".local/share"),
    };
    Some(base.join("wf").join("history"))
}

/// Runs the session on the terminal; returns when the user quits. Editing
/// errors other than Ctrl-C / Ctrl-D end the session with a message.
pub fn run(session: &mut Session, color: bool) -> std::io::Result<()> {
    let config = Config::builder()
        .completion_type(CompletionType::List)
        .auto_add_history(false)
        .build();
    let mut editor: Editor<WfHelper, DefaultHistory> =
        Editor::with_config(config).map_err(std::io::Error::other)?;
    editor.set_helper(Some(WfHelper {
        names: session.names(),
        color,
        files: FilenameCompleter::new(),
    }));
    let history = history_path();
    if let Some(path) = &history {
        let _ = editor.load_history(path);
    }
    println!("wf repl — type :help for commands, :quit to leave");
    loop {
        match editor.readline(PROMPT) {
            Ok(line) => {
                if !line.trim().is_empty() {
                    let _ = editor.add_history_entry(line.as_str());
                    if let Some(path) = &history {
                        save_history(&mut editor, path);
                    }
                }
                let outcome = session.handle(&line);
                print!("{}", outcome.text);
                if let Some(helper) = editor.helper_mut() {
                    helper.names = session.names();
                }
                if outcome.quit {
                    break;
                }
            }
            Err(rustyline::error::ReadlineError::Interrupted) => {
                // Ctrl-C drops the line being typed, as in a shell.
                continue;
            }
            Err(rustyline::error::ReadlineError::Eof) => break,
            Err(e) => return Err(std::io::Error::other(e)),
        }
    }
    print!("{}", session.finish().text);
    Ok(())
}

fn save_history(editor: &mut Editor<WfHelper, DefaultHistory>, path: &std::path::Path) {
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let _ = editor.append_history(path);
}
