//! REPL commands: parsing `:name argument` lines and durations.
//!
//! Takes one line that starts with `:`; gives a [`Command`] or a
//! [`CommandError`] whose message and help ("did you mean `:trace`?") are
//! shown to the user. Nothing here touches the session.

use super::complete::COMMANDS;
use chrono::TimeDelta;

/// A parsed REPL command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `:help`
    Help,
    /// `:load FILE`
    Load(String),
    /// `:rules`
    Rules,
    /// `:drop N`
    Drop(usize),
    /// `:check`
    Check,
    /// `:event JSON`
    Event(String),
    /// `:events FILE`
    Events(String),
    /// `:advance DURATION`
    Advance(TimeDelta),
    /// `:time`
    Time,
    /// `:trace [N]`
    Trace(Option<usize>),
    /// `:contact ID`
    Contact(String),
    /// `:why CONTACT`
    Why(String),
    /// `:reset`
    Reset,
    /// `:save FILE`
    Save(String),
    /// `:test FILE`
    Test(String),
    /// `:quit`
    Quit,
}

/// A command that could not be understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandError {
    /// What is wrong (lowercase, user input in backticks).
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
}

impl CommandError {
    fn new(message: impl Into<String>, help: impl Into<String>) -> Self {
        CommandError {
            message: message.into(),
            help: Some(help.into()),
        }
    }
}

/// One line of help per command: usage and what it does.
pub const HELP: &[(&str, &str)] = &[
    (":help", "show this help"),
    (":load FILE", "load the rules of a .wf file"),
    (
        ":rules",
        "list the loaded rules, numbered, with their source",
    ),
    (":drop N", "remove rule N (as numbered by :rules)"),
    (":check", "check all loaded rules against the account"),
    (
        ":event JSON",
        "process one event (`at` defaults to the session clock)",
    ),
    (":events FILE", "process the events of a JSON Lines file"),
    (
        ":advance DURATION",
        "move the clock forward (3d, 12h, 30m, 1d12h) and run due steps",
    ),
    (":time", "show the session clock"),
    (
        ":trace [N]",
        "show the last N decision records (default 10)",
    ),
    (
        ":contact ID",
        "show a contact: properties, lists, enrollment, next step",
    ),
    (
        ":why CONTACT",
        "explain the latest decisions about a contact",
    ),
    (
        ":reset",
        "clear the runtime state and the clock (rules are kept)",
    ),
    (
        ":save FILE",
        "write the rules typed in this session to a .wf file",
    ),
    (
        ":test FILE",
        "run a test file (`.test.toml`) on the session's account",
    ),
    (":quit", "leave the session"),
];

/// Parses a line that starts with `:`.
pub fn parse(line: &str) -> Result<Command, CommandError> {
    let line = line.trim();
    let (name, arg) = match line.split_once(char::is_whitespace) {
        Some((n, a)) => (n, a.trim()),
        None => (line, ""),
    };
    let usage = |cmd: &str| {
        HELP.iter()
            .find(|(u, _)| u.split(' ').next() == Some(cmd))
            .map_or_else(|| cmd.to_owned(), |(u, _)| (*u).to_owned())
    };
    let need_arg = |what: &str| -> Result<String, CommandError> {
        if arg.is_empty() {
            Err(CommandError::new(
                format!("`{name}` needs {what}"),
                format!("usage: {}", usage(name)),
            ))
        } else {
            Ok(arg.to_owned())
        }
    };
    let no_arg = |cmd: Command| -> Result<Command, CommandError> {
        if arg.is_empty() {
            Ok(cmd)
        } else {
            Err(CommandError::new(
                format!("`{name}` takes no argument"),
                format!("usage: {}", usage(name)),
            ))
        }
    };
    match name {
        ":help" | ":h" | ":?" => Ok(Command::Help),
        ":load" => need_arg("a file").map(Command::Load),
        ":rules" => no_arg(Command::Rules),
        ":drop" => {
            let n = need_arg("a rule number")?;
            match n.parse::<usize>() {
                Ok(n) if n >= 1 => Ok(Command::Drop(n)),
                _ => Err(CommandError::new(
                    format!("`{n}` is not a rule number"),
                    "rules are numbered from 1; see `:rules`",
                )),
            }
        }
        ":check" => no_arg(Command::Check),
        ":event" => need_arg("an event as JSON").map(Command::Event),
        ":events" => need_arg("a file").map(Command::Events),
        ":advance" => {
            let d = need_arg("a duration")?;
            parse_duration(&d).map(Command::Advance)
        }
        ":time" => no_arg(Command::Time),
        ":trace" => {
            if arg.is_empty() {
                return Ok(Command::Trace(None));
            }
            match arg.parse::<usize>() {
                Ok(n) => Ok(Command::Trace(Some(n))),
                Err(_) => Err(CommandError::new(
                    format!("`{arg}` is not a number of records"),
                    "usage: :trace [N]",
                )),
            }
        }
        ":contact" => need_arg("a contact id").map(Command::Contact),
        ":why" => need_arg("a contact id").map(Command::Why),
        ":reset" => no_arg(Command::Reset),
        ":save" => need_arg("a file").map(Command::Save),
        ":test" => need_arg("a test file").map(Command::Test),
        ":quit" | ":q" | ":exit" => no_arg(Command::Quit),
        _ => Err(unknown(name)),
    }
}

fn unknown(name: &str) -> CommandError {
    let best = COMMANDS
        .iter()
        .map(|c| (strsim::levenshtein(c, name), *c))
        .filter(|(d, _)| *d <= 2)
        .min();
    let help = match best {
        Some((_, c)) => format!("did you mean `{c}`?"),
        None => "type `:help` for the list of commands".to_owned(),
    };
    CommandError::new(format!("unknown command `{name}`"), help)
}

/// Parses a duration: one or more `NUMBER UNIT` parts with units `d`, `h`,
/// `m`, `s` (`3d`, `12h`, `1d12h`, `90m`).
pub fn parse_duration(text: &str) -> Result<TimeDelta, CommandError> {
    let bad = || {
        CommandError::new(
            format!("`{text}` is not a duration"),
            "write it like `3d`, `12h`, `30m` or `1d12h`",
        )
    };
    let mut total: i64 = 0;
    let mut number = String::new();
    let mut parts = 0;
    for c in text.trim().chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let unit: i64 = match c {
            'd' => 86_400,
            'h' => 3_600,
            'm' => 60,
            's' => 1,
            _ => return Err(bad()),
        };
        let n: i64 = number.parse().map_err(|_| bad())?;
        total = n
            .checked_mul(unit)
            .and_then(|s| total.checked_add(s))
            .ok_or_else(bad)?;
        number.clear();
        parts += 1;
    }
    // A whole century is far more than any replay needs and keeps the
    // clock arithmetic far from chrono's limits.
    if parts == 0 || !number.is_empty() || total > 100 * 366 * 86_400 {
        return Err(bad());
    }
    TimeDelta::try_seconds(total).ok_or_else(bad)
}

/// `1d 12h 30m`: a duration for people.
pub fn show_duration(d: TimeDelta) -> String {
    let mut s = d.num_seconds().max(0);
    let mut out = Vec::new();
    for (unit, len) in [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)] {
        if s >= len {
            out.push(format!("{}{unit}", s / len));
            s %= len;
        }
    }
    if out.is_empty() {
        "0s".to_owned()
    } else {
        out.join(" ")
    }
}
