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
    /// May differ from the diagnostic's file (E0501 and W0401 point at the
    /// first of two definitions, which can be in another script).
    pub file: FileId,
    /// Rendered as a second caret, or listed by place on a long line.
    pub span: Span,
    /// Written at the caret; invisible characters escaped.
    pub message: String,
}

/// A problem found in a script.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// What kind of problem, as users filter and look it up (`wf explain`).
    pub code: Code,
    /// Error or warning (normally `code.severity()`).
    pub severity: Severity,
    /// The file of the primary span.
    pub file: FileId,
    /// Where to fix it; the header's line and column are its start.
    pub span: Span,
    /// Lowercase, no final period, user input in backticks.
    pub message: String,
    /// Other places that explain this one (a first definition, a trigger
    /// that lacks a field); a diagnostic with labels is never grouped.
    pub labels: Vec<Label>,
    /// How to fix it, if there is something useful to say.
    pub help: Option<String>,
    /// The other places where the very same warning holds, in order
    /// ([`group_repeated`]): one warning for a thousand rules, not a
    /// thousand warnings.
    pub also: Box<[Place]>,
}

/// A place in a script: a file and a span in it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Place {
    /// Grouped warnings may span scripts, so each place names its own.
    pub file: FileId,
    /// The span the warning would have had on its own.
    pub span: Span,
}

/// A place in JSON output, with the same fields as the diagnostic's own.
#[derive(Debug, Serialize)]
pub struct JsonPlace<'a> {
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
}

/// A diagnostic as one JSON line (`docs/diagnostics.md`), field order fixed.
#[derive(Debug, Serialize)]
pub struct JsonDiagnostic<'a> {
    /// `E0101` …: what tools filter on.
    pub code: &'static str,
    /// `error` or `warning`, so that a consumer need not know every code.
    pub severity: &'static str,
    /// The same sentence people see.
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
    /// The other places of a grouped warning; left out when there are none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<JsonPlace<'a>>,
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
            message: shorten_quotes(escape_invisible(message.into())),
            labels: Vec::new(),
            help: None,
            also: Box::default(),
        }
    }

    /// Adds the line that says how to fix it (invisible characters escaped).
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(escape_invisible(help.into()));
        self
    }

    /// Points at a second place that explains the first (invisible
    /// characters in `message` escaped).
    pub fn with_label(mut self, file: FileId, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            file,
            span,
            message: escape_invisible(message.into()),
        });
        self
    }

    /// Errors decide the exit code; warnings only with `--deny-warnings`.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The order of `wf check`'s output: file, then position, then code.
    pub fn sort_key(&self) -> (FileId, usize, usize, Code) {
        (self.file, self.span.start, self.span.end, self.code)
    }

    /// The JSON-lines form (`docs/diagnostics.md`).
    pub fn to_json<'a>(&'a self, sources: &'a Sources) -> JsonDiagnostic<'a> {
        let here = place_json(sources, self.file, self.span);
        JsonDiagnostic {
            code: self.code.as_str(),
            severity: self.severity.as_str(),
            message: &self.message,
            file: here.file,
            line: here.line,
            column: here.column,
            end_line: here.end_line,
            end_column: here.end_column,
            help: self.help.as_deref(),
            also: self
                .also
                .iter()
                .map(|p| place_json(sources, p.file, p.span))
                .collect(),
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

/// A place's file name, lines and columns.
fn place_json(sources: &Sources, file: FileId, span: Span) -> JsonPlace<'_> {
    let f = sources.get(file);
    let (line, column) = f.map_or((1, 1), |f| f.line_col(span.start));
    let (end_line, end_column) = f.map_or((1, 1), |f| f.line_col(span.end));
    JsonPlace {
        file: f.map_or("", |f| f.name.as_str()),
        line,
        column,
        end_line,
        end_column,
    }
}

/// Folds warnings that say exactly the same thing (code, message, help,
/// no secondary labels) into the first of them, whose [`Diagnostic::also`]
/// lists the others' places in order. Errors are never folded: each one is
/// a place to fix. The result keeps the order of `diagnostics`.
pub fn group_repeated(diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    use std::collections::HashMap;
    use std::collections::hash_map::Entry;
    // The first diagnostic each one folds into (its own index if none);
    // the map is only looked up, never iterated, so its order is unseen.
    let mut leader: Vec<usize> = (0..diagnostics.len()).collect();
    let mut first: HashMap<(Code, &str, Option<&str>), usize> = HashMap::new();
    for (i, d) in diagnostics.iter().enumerate() {
        if d.is_error() || !d.labels.is_empty() {
            continue;
        }
        match first.entry((d.code, d.message.as_str(), d.help.as_deref())) {
            Entry::Occupied(e) => {
                if let Some(l) = leader.get_mut(i) {
                    *l = *e.get();
                }
            }
            Entry::Vacant(e) => {
                e.insert(i);
            }
        }
    }
    drop(first);
    let mut places: Vec<Vec<Place>> = vec![Vec::new(); diagnostics.len()];
    for (i, d) in diagnostics.iter().enumerate() {
        let l = leader.get(i).copied().unwrap_or(i);
        if l != i
            && let Some(p) = places.get_mut(l)
        {
            p.push(Place {
                file: d.file,
                span: d.span,
            });
            p.extend(d.also.iter().copied());
        }
    }
    diagnostics
        .into_iter()
        .zip(places)
        .enumerate()
        .filter(|(i, _)| leader.get(*i) == Some(i))
        .map(|(_, (mut d, more))| {
            if !more.is_empty() {
                let mut all = d.also.into_vec();
                all.extend(more);
                d.also = all.into_boxed_slice();
            }
            d
        })
        .collect()
}

/// How many diagnostics [`render_all`] renders; the rest are counted in one
/// closing line (JSON output keeps every one).
pub const MAX_RENDERED: usize = 100;

/// How many other places of a grouped warning are named in its rendering.
const PLACES_NAMED: usize = 3;

/// Renders diagnostics for people, one after the other (see
/// [`Diagnostic::render`]). The sources are indexed once for all of them.
pub fn render_all(diagnostics: &[Diagnostic], sources: &Sources, color: bool) -> String {
    use ariadne::{Config, IndexType, Label as AriLabel, Report, ReportKind};

    let shown = diagnostics.get(..MAX_RENDERED).unwrap_or(diagnostics);
    let keys: Vec<Vec<SourceKey>> = shown.iter().map(|d| label_keys(d, sources)).collect();
    let mut needed: Vec<&SourceKey> = keys.iter().flatten().collect();
    needed.sort();
    needed.dedup();
    let mut offsets: Vec<(FileId, CharOffsets)> = Vec::new();
    for k in &needed {
        if offsets.last().is_none_or(|(f, _)| *f != k.file)
            && let Some(f) = sources.get(k.file)
        {
            offsets.push((k.file, CharOffsets::new(&f.text)));
        }
    }
    let chars = |file: FileId, span: Span| {
        offsets
            .iter()
            .find(|(f, _)| *f == file)
            .map_or(span.range(), |(_, o)| o.range(span))
    };
    let mut cache = ariadne::sources(
        needed
            .into_iter()
            .filter_map(|k| sources.get(k.file).map(|f| (k.clone(), f.text.as_str()))),
    );
    let mut text = String::new();
    for (d, keys) in shown.iter().zip(&keys) {
        let kind = match d.severity {
            Severity::Error => ReportKind::Error,
            Severity::Warning => ReportKind::Warning,
        };
        if let Some(windowed) = render_windowed(d, sources) {
            text.push_str(&windowed);
            if !d.also.is_empty() {
                text.push_str(&also_line(d, sources));
            }
            continue;
        }
        let Some((primary_key, label_keys)) = keys.split_first() else {
            continue;
        };
        let primary = (primary_key.clone(), chars(d.file, d.span));
        let mut report = Report::build(kind, primary.clone())
            .with_config(
                Config::default()
                    .with_color(color)
                    .with_index_type(IndexType::Char),
            )
            .with_code(d.code.as_str())
            .with_message(&d.message)
            .with_label(AriLabel::new(primary).with_message(label_text(d)));
        for (label, key) in d.labels.iter().zip(label_keys) {
            report = report.with_label(
                AriLabel::new((key.clone(), chars(label.file, label.span)))
                    .with_message(&label.message),
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
        if !d.also.is_empty() {
            text.push_str(&also_line(d, sources));
        }
    }
    if let Some(more) = diagnostics
        .len()
        .checked_sub(MAX_RENDERED)
        .filter(|n| *n > 0)
    {
        text.push_str(&format!(
            "… and {more} more {} (`--format json` lists every one)\n",
            if more == 1 {
                "diagnostic"
            } else {
                "diagnostics"
            }
        ));
    }
    text
}

/// Lines longer than this many bytes are not shown whole: a diagnostic on
/// them shows a window around its span.
const LONG_LINE: usize = 400;

/// Bytes of context shown on each side of a span on a long line, and the
/// most of the span itself that is shown.
const WINDOW: usize = 60;

/// The rendering of a diagnostic whose spans touch a line longer than
/// [`LONG_LINE`], or `None` for ordinary ones (rendered by ariadne, which
/// shows whole lines). The primary span's line is cut to a window around
/// the span, with `…` where text is left out; the line and column in the
/// header and the margin are the real ones; secondary labels are listed by
/// place. The work and the output are proportional to the window, not to
/// the line.
fn render_windowed(d: &Diagnostic, sources: &Sources) -> Option<String> {
    let long = |file: FileId, span: Span| {
        sources.get(file).is_some_and(|f| {
            let text = f.text.as_bytes();
            let start = span.start.min(text.len());
            let line_start = text
                .get(..start)
                .and_then(|b| b.iter().rposition(|c| *c == b'\n'))
                .map_or(0, |i| i + 1);
            let line_end = text
                .get(start..)
                .and_then(|b| b.iter().take(LONG_LINE + 1).position(|c| *c == b'\n'))
                .map_or(text.len().min(start + LONG_LINE + 1), |i| start + i);
            line_end - line_start > LONG_LINE
        })
    };
    if !long(d.file, d.span) && !d.labels.iter().any(|l| long(l.file, l.span)) {
        return None;
    }
    let file = sources.get(d.file)?;
    let text = file.text.as_str();
    let start = floor_boundary(text, d.span.start.min(text.len()));
    let line_start = text.get(..start)?.rfind('\n').map_or(0, |i| i + 1);
    let line_end = text
        .get(start..)?
        .find('\n')
        .map_or(text.len(), |i| start + i);
    let end = floor_boundary(
        text,
        d.span.end.clamp(start, line_end).min(start + WINDOW * 2),
    );
    let from = floor_boundary(text, start.saturating_sub(WINDOW).max(line_start));
    let to = floor_boundary(text, (end + WINDOW).min(line_end));
    let before = if from > line_start { "…" } else { "" };
    let after = if to < line_end { "…" } else { "" };
    let shown = |a: usize, b: usize| -> String {
        text.get(a..b)
            .unwrap_or("")
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect()
    };
    let lead = shown(from, start);
    let marked = shown(start, end);
    let (line, column) = file.line_col(start);
    let number = line.to_string();
    let pad = " ".repeat(number.len());
    let kind = match d.severity {
        Severity::Error => "Error",
        Severity::Warning => "Warning",
    };
    let caret_at = before.chars().count() + lead.chars().count();
    let width = marked.chars().count().max(1);
    let mut out = format!("[{}] {kind}: {}\n", d.code, d.message);
    out.push_str(&format!("{pad}  ╭─[ {}:{line}:{column} ]\n", file.name));
    out.push_str(&format!("{pad}  │\n"));
    out.push_str(&format!(
        " {number} │ {before}{lead}{marked}{}{after}\n",
        shown(end, to)
    ));
    out.push_str(&format!(
        "{pad}  │ {}{}\n",
        " ".repeat(caret_at),
        "─".repeat(width)
    ));
    out.push_str(&format!(
        "{pad}  │ {}╰── {}\n",
        " ".repeat(caret_at),
        d.message
    ));
    for label in &d.labels {
        let j = place_json(sources, label.file, label.span);
        out.push_str(&format!(
            "{pad}  │ {}:{}:{}: {}\n",
            j.file, j.line, j.column, label.message
        ));
    }
    if let Some(help) = &d.help {
        out.push_str(&format!("{pad}  │\n{pad}  │ Help: {help}\n"));
    }
    out.push_str(&format!("{}╯\n", "─".repeat(number.len() + 2)));
    Some(out)
}

/// Character offsets of one text's byte offsets. Spans count bytes, and
/// ariadne is given characters: its byte mode reads the place heading an
/// excerpt of a second source as a character offset, which on text with
/// multi-byte characters names the wrong place or cuts a character in two
/// (a panic); its character mode is consistent throughout.
struct CharOffsets<'a> {
    text: &'a str,
    /// The byte offset where each line starts, and the characters before it.
    lines: Vec<(usize, usize)>,
}

impl<'a> CharOffsets<'a> {
    /// Indexes `text` in one pass.
    fn new(text: &'a str) -> Self {
        let mut lines = vec![(0, 0)];
        for (chars, (byte, c)) in text.char_indices().enumerate() {
            if c == '\n' {
                lines.push((byte + 1, chars + 1));
            }
        }
        CharOffsets { text, lines }
    }

    /// The character offset of the character that holds byte `byte`.
    fn at(&self, byte: usize) -> usize {
        let byte = floor_boundary(self.text, byte);
        let line = self.lines.partition_point(|(s, _)| *s <= byte);
        let (start, before) = self
            .lines
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or((0, 0));
        before + self.text.get(start..byte).map_or(0, |t| t.chars().count())
    }

    /// `span` in characters; a span that ends inside a character takes
    /// that whole character.
    fn range(&self, span: Span) -> std::ops::Range<usize> {
        let start = self.at(span.start);
        let end = self.at(span.end);
        let cut = span.end < self.text.len() && !self.text.is_char_boundary(span.end);
        start..(end + usize::from(cut)).max(start)
    }
}

/// The largest character boundary of `text` at or before `i`.
fn floor_boundary(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// "the same at a.wf:4:3, a.wf:9:3, a.wf:12:3 and 40 more like this".
fn also_line(d: &Diagnostic, sources: &Sources) -> String {
    let named: Vec<String> = d
        .also
        .iter()
        .take(PLACES_NAMED)
        .map(|p| {
            let j = place_json(sources, p.file, p.span);
            format!("{}:{}:{}", j.file, j.line, j.column)
        })
        .collect();
    let rest = d.also.len().saturating_sub(PLACES_NAMED);
    let places = if rest == 0 {
        match named.split_last() {
            Some((last, [])) => last.clone(),
            Some((last, init)) => format!("{} and {last}", init.join(", ")),
            None => String::new(),
        }
    } else {
        format!("{} and {rest} more like this", named.join(", "))
    };
    format!("the same {} also at {places}\n", d.severity.as_str())
}

/// A source text as ariadne knows it: a file, shown under its name, and
/// whether this is the file's second entry. ariadne heads every excerpt
/// of the primary span's source with the primary span's place, even an
/// excerpt of other lines of that file; a secondary label that starts a
/// new excerpt in the primary's file is therefore given the file's second
/// entry, so that its excerpt is headed by its own place.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct SourceKey {
    file: FileId,
    second: bool,
    name: String,
}

impl fmt::Display for SourceKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

/// The keys of a diagnostic's primary span, then of each label. ariadne
/// puts a label in the excerpt before it when it is in the same source and
/// does not end on an earlier line than the excerpt's last label; the
/// others start a new excerpt.
fn label_keys(d: &Diagnostic, sources: &Sources) -> Vec<SourceKey> {
    let key = |file: FileId, second: bool| SourceKey {
        file,
        second,
        name: sources
            .get(file)
            .map_or_else(|| "<unknown>".to_owned(), |f| f.name.clone()),
    };
    let end_line = |file: FileId, span: Span| {
        let last = if span.end > span.start {
            span.end - 1
        } else {
            span.start
        };
        sources.get(file).map_or(1, |f| f.line_col(last).0)
    };
    let mut keys = vec![key(d.file, false)];
    let mut excerpt = (d.file, false, end_line(d.file, d.span));
    for label in &d.labels {
        let line = end_line(label.file, label.span);
        let (file, second, last) = excerpt;
        excerpt = if label.file == file && last <= line {
            (file, second, line)
        } else {
            (label.file, label.file == d.file, line)
        };
        keys.push(key(excerpt.0, excerpt.1));
    }
    keys
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
    // Every character escaped is a control character (U+0000–U+001F,
    // U+007F–U+009F, whose UTF-8 starts with a byte below 0x20, 0x7F or
    // 0xC2) or a mark from U+200B on (first byte 0xE2 or 0xEF): text
    // without those bytes, which is nearly every message, is kept as it is.
    let may_hide = |b: u8| b < 0x20 || matches!(b, 0x7f | 0xc2 | 0xe2 | 0xef);
    if !text.bytes().any(may_hide) || !text.chars().any(is_invisible) {
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

/// The most characters a value quoted in a message (between backticks)
/// shows; a longer one keeps its start and end around a `…`.
const MAX_QUOTED: usize = 80;

/// `message` with every backtick-quoted part longer than [`MAX_QUOTED`]
/// characters shortened: a message that names a sequence of a megabyte
/// stays one line long.
fn shorten_quotes(message: String) -> String {
    if message.len() <= MAX_QUOTED || message.split('`').all(|p| p.len() <= MAX_QUOTED) {
        return message;
    }
    let mut out = String::with_capacity(message.len().min(4096));
    for (i, part) in message.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        let chars = part.chars().count();
        if i % 2 == 1 && chars > MAX_QUOTED {
            let keep = MAX_QUOTED / 2;
            out.extend(part.chars().take(keep));
            out.push('…');
            out.extend(part.chars().skip(chars - keep));
        } else {
            out.push_str(part);
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
