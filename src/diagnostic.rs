//! The one diagnostic type, and its two renderings.
//!
//! Every phase reports problems in scripts as [`Diagnostic`]s: a stable
//! [`Code`], a [`Severity`], a primary span in one file, a message, optional
//! secondary labels and an optional help line. They are rendered for people
//! with ariadne ([`Diagnostic::render`]) or as one JSON object per line
//! ([`Diagnostic::to_json`], the fields listed in `docs/diagnostics.md`). This is the only module
//! that imports ariadne.
//!
//! Problems in input *files* (account, events) and on the command line are
//! [`InputError`]s instead: they stop the run with exit code 2.

use crate::source::{FileId, Sources};
use crate::span::Span;
use serde::Serialize;
use std::fmt;

/// Whether a diagnostic stops a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The scripts cannot be run.
    Error,
    /// The scripts run, but probably not as meant.
    Warning,
}

impl Severity {
    /// `error` or `warning`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

macro_rules! codes {
    ($($code:ident => $sev:ident, $summary:literal;)*) => {
        /// A stable diagnostic code: scripts, CI filters and `wf explain` name
        /// problems by it, so a code never changes meaning (`docs/diagnostics.md`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $(#[doc = $summary] $code,)*
        }

        impl Code {
            /// Every code, in table order.
            pub const ALL: &'static [Code] = &[$(Code::$code),*];

            /// The code as written: `E0101`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$code => stringify!($code),)* }
            }

            /// The severity every diagnostic with this code has.
            pub fn severity(self) -> Severity {
                match self { $(Code::$code => Severity::$sev,)* }
            }

            /// One line saying when the code is reported.
            pub fn summary(self) -> &'static str {
                match self { $(Code::$code => $summary,)* }
            }
        }
    };
}

codes! {
    E0001 => Error, "syntax error";
    E0101 => Error, "unknown sequence";
    E0102 => Error, "sequence is deleted";
    E0201 => Error, "unknown user in `from user`";
    E0202 => Error, "fixed sender has no Sales/Service Hub Enterprise seat";
    E0203 => Error, "fixed sender has no connected inbox";
    E0204 => Error, "`via` address is not one of the sender's inboxes";
    E0205 => Error, "`via` used with `from owner`";
    E0301 => Error, "unknown trigger";
    E0302 => Error, "wrong trigger arguments";
    E0303 => Error, "`event.X` not available for the rule's triggers";
    E0401 => Error, "unknown contact property";
    E0402 => Error, "type mismatch";
    E0403 => Error, "value not in the property's enum";
    E0404 => Error, "unknown list";
    E0501 => Error, "two workflows with the same name";
    W0101 => Warning, "enrolls into a sequence that has placeholder tokens";
    W0102 => Warning, "a sequence's personalization token names an unknown property";
    W0201 => Warning, "`from owner` while some contacts have no eligible owner";
    W0301 => Warning, "enrolls freshly imported contacts";
    W0302 => Warning, "enrolls on `list_added` of a list with 100 or more members";
    W0303 => Warning, "enrolls on non-personalized criteria";
    W0401 => Warning, "competing enrollments";
}

impl Code {
    /// The code named by `text` (case-insensitive), if there is one.
    pub fn parse(text: &str) -> Option<Code> {
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.as_str().eq_ignore_ascii_case(text.trim()))
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A secondary location with a note ("first defined here").
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    /// The file the label points into.
    pub file: FileId,
    /// Where.
    pub span: Span,
    /// What to say there.
    pub message: String,
}

/// A problem found in a script.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// Stable code.
    pub code: Code,
    /// Error or warning (normally `code.severity()`).
    pub severity: Severity,
    /// The file of the primary span.
    pub file: FileId,
    /// The primary span.
    pub span: Span,
    /// Lowercase, no final period, user input in backticks.
    pub message: String,
    /// Secondary locations.
    pub labels: Vec<Label>,
    /// How to fix it, if there is something useful to say.
    pub help: Option<String>,
}

/// A diagnostic as one JSON line (`docs/diagnostics.md`), field order fixed.
#[derive(Debug, Serialize)]
pub struct JsonDiagnostic<'a> {
    /// Stable code.
    pub code: &'static str,
    /// `error` or `warning`.
    pub severity: &'static str,
    /// The message.
    pub message: &'a str,
    /// The file name as given.
    pub file: &'a str,
    /// 1-based line of the span's start.
    pub line: usize,
    /// 1-based column (characters) of the span's start.
    pub column: usize,
    /// 1-based line of the span's end.
    pub end_line: usize,
    /// 1-based column of the span's end (exclusive).
    pub end_column: usize,
    /// The help line, or null.
    pub help: Option<&'a str>,
}

impl Diagnostic {
    /// A diagnostic with the code's own severity and no labels or help.
    /// Invisible characters in the message are escaped ([`escape_invisible`]).
    pub fn new(code: Code, file: FileId, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: code.severity(),
            file,
            span,
            message: escape_invisible(message.into()),
            labels: Vec::new(),
            help: None,
        }
    }

    /// Adds a help line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(escape_invisible(help.into()));
        self
    }

    /// Adds a secondary label.
    pub fn with_label(mut self, file: FileId, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            file,
            span,
            message: escape_invisible(message.into()),
        });
        self
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The order of `wf check`'s output: file, then position, then code.
    pub fn sort_key(&self) -> (FileId, usize, usize, Code) {
        (self.file, self.span.start, self.span.end, self.code)
    }

    /// The JSON-lines form (`docs/diagnostics.md`).
    pub fn to_json<'a>(&'a self, sources: &'a Sources) -> JsonDiagnostic<'a> {
        let file = sources.get(self.file);
        let (line, column) = file.map_or((1, 1), |f| f.line_col(self.span.start));
        let (end_line, end_column) = file.map_or((1, 1), |f| f.line_col(self.span.end));
        JsonDiagnostic {
            code: self.code.as_str(),
            severity: self.severity.as_str(),
            message: &self.message,
            file: file.map_or("", |f| f.name.as_str()),
            line,
            column,
            end_line,
            end_column,
            help: self.help.as_deref(),
        }
    }

    /// Renders the diagnostic for people with ariadne; `color` only for a
    /// terminal. Trailing spaces are trimmed from every line so that the text
    /// can be snapshot-tested. To render many, use [`render_all`], which
    /// indexes each source text once.
    pub fn render(&self, sources: &Sources, color: bool) -> String {
        render_all(std::slice::from_ref(self), sources, color)
    }

    /// `file:line:column: error[E0101]: message`, for logs.
    pub fn one_line(&self, sources: &Sources) -> String {
        let j = self.to_json(sources);
        format!(
            "{}:{}:{}: {}[{}]: {}\n",
            j.file, j.line, j.column, j.severity, j.code, j.message
        )
    }
}

/// Renders diagnostics for people, one after the other (see
/// [`Diagnostic::render`]). The sources are indexed once for all of them.
pub fn render_all(diagnostics: &[Diagnostic], sources: &Sources, color: bool) -> String {
    use ariadne::{Config, IndexType, Label as AriLabel, Report, ReportKind};

    let name = |id: FileId| {
        sources
            .get(id)
            .map_or_else(|| "<unknown>".to_owned(), |f| f.name.clone())
    };
    let mut cache = ariadne::sources(
        sources
            .iter()
            .map(|(_, f)| (f.name.clone(), f.text.as_str())),
    );
    let mut text = String::new();
    for d in diagnostics {
        let kind = match d.severity {
            Severity::Error => ReportKind::Error,
            Severity::Warning => ReportKind::Warning,
        };
        let primary = (name(d.file), d.span.range());
        let mut report = Report::build(kind, primary.clone())
            .with_config(
                Config::default()
                    .with_color(color)
                    .with_index_type(IndexType::Byte),
            )
            .with_code(d.code.as_str())
            .with_message(&d.message)
            .with_label(AriLabel::new(primary).with_message(label_text(d)));
        for label in &d.labels {
            report = report.with_label(
                AriLabel::new((name(label.file), label.span.range())).with_message(&label.message),
            );
        }
        if let Some(help) = &d.help {
            report = report.with_help(help);
        }
        let mut out = Vec::new();
        if report.finish().write(&mut cache, &mut out).is_err() || out.is_empty() {
            // Rendering into a Vec only fails on a span outside the text;
            // fall back to the plain one-line form rather than lose it.
            text.push_str(&d.one_line(sources));
            continue;
        }
        for line in String::from_utf8_lossy(&out).lines() {
            text.push_str(line.trim_end());
            text.push('\n');
        }
    }
    text
}

/// The text under the primary caret: the message itself, so that the caret
/// says what is wrong there.
fn label_text(d: &Diagnostic) -> String {
    d.message.clone()
}

/// `text` with every character a reader could not see or that would move
/// the terminal's cursor written as an escape: control characters (NUL,
/// tab, escape …), the byte-order mark and the bidirectional controls become
/// `\u{0}`, `\u{9}`, `\u{feff}`, …. Messages quote names and values from
/// scripts and accounts; a raw NUL or BOM there is invisible, or garbles
/// the terminal.
pub fn escape_invisible(text: String) -> String {
    if !text.chars().any(is_invisible) {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_invisible(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether [`escape_invisible`] escapes `c`.
fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{feff}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// A problem with an input file or the command line: the run stops with
/// exit code 2. `Display` names the file and the place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// The file name as given (empty for command-line problems).
    pub file: String,
    /// Where in the file, if known.
    pub location: Option<Location>,
    /// What is wrong: lowercase, no final period.
    pub message: String,
}

/// A place in an input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// 1-based line and column.
    LineColumn(usize, usize),
    /// 1-based line only (events files).
    Line(usize),
    /// A JSON path such as `users[1].email` (account files).
    Path(String),
}

impl InputError {
    /// An error in `file` at `location`.
    pub fn new(
        file: impl Into<String>,
        location: Option<Location>,
        message: impl Into<String>,
    ) -> Self {
        InputError {
            file: file.into(),
            location,
            message: message.into(),
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.location {
            Some(Location::LineColumn(l, c)) => {
                write!(f, "{}:{l}:{c}: {}", self.file, self.message)
            }
            Some(Location::Line(l)) => write!(f, "{}:{l}: {}", self.file, self.message),
            Some(Location::Path(p)) => write!(f, "{}: at `{p}`: {}", self.file, self.message),
            None if self.file.is_empty() => f.write_str(&self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for InputError {}
