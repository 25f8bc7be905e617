//! Completion candidates for REPL input.
//!
//! Takes the line being edited, the cursor position and the names the
//! session knows ([`Names`]); gives the byte offset where the word being
//! completed starts and the replacements for it, sorted and without
//! duplicates. What is offered depends on the place:
//!
//! - `:` at the start of the line → commands;
//! - after `:why`, `:contact` → contact ids;
//! - after `contact.` → property names; after `event.` → event fields;
//! - inside (or right after) `enroll in`, `unenroll from` → quoted sequence
//!   names; after `user` → quoted user emails; after `via` → quoted inbox
//!   addresses; after `list` → quoted list names;
//! - elsewhere → keywords and trigger names.
//!
//! A quoted candidate is inserted with both quotes, so completing inside an
//! open string (`"Boo`) gives `"Booking"`.

use crate::account::Account;
use crate::syntax::lexer::KEYWORDS;
use crate::triggers::TRIGGERS;

/// The names completion draws on.
#[derive(Debug, Clone, Default)]
pub struct Names {
    /// Sequence names.
    pub sequences: Vec<String>,
    /// User emails.
    pub users: Vec<String>,
    /// Every user's inbox addresses.
    pub inboxes: Vec<String>,
    /// List names.
    pub lists: Vec<String>,
    /// Contact property names.
    pub properties: Vec<String>,
    /// Contact ids.
    pub contacts: Vec<String>,
}

impl Names {
    /// The names of an account.
    pub fn of_account(account: &Account) -> Self {
        Names {
            sequences: account.sequences.iter().map(|s| s.name.clone()).collect(),
            users: account.users.iter().map(|u| u.email.clone()).collect(),
            inboxes: account
                .users
                .iter()
                .flat_map(|u| u.inboxes.iter().cloned())
                .collect(),
            lists: account.lists.iter().map(|l| l.name.clone()).collect(),
            properties: account.properties.keys().cloned().collect(),
            contacts: account.contacts.iter().map(|c| c.id.clone()).collect(),
        }
    }
}

/// The REPL's commands, for completion and "did you mean".
pub const COMMANDS: &[&str] = &[
    ":help", ":load", ":rules", ":drop", ":check", ":event", ":events", ":advance", ":time",
    ":trace", ":contact", ":why", ":reset", ":save", ":test", ":quit",
];

/// Where the completed word starts, and its replacements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    /// Byte offset in the line where the replaced text starts.
    pub start: usize,
    /// Replacements for `line[start..pos]`, sorted, unique.
    pub candidates: Vec<String>,
}

/// The completions at byte `pos` of `line`.
pub fn complete(line: &str, pos: usize, names: &Names) -> Completion {
    let pos = floor_char_boundary(line, pos.min(line.len()));
    let before = line.get(..pos).unwrap_or("");

    // Commands and their arguments.
    if let Some(cmd_line) = before.trim_start().strip_prefix(':') {
        let lead = before.len() - before.trim_start().len();
        return match cmd_line.split_once(char::is_whitespace) {
            None => finish(
                lead,
                before.get(lead..).unwrap_or(""),
                COMMANDS.iter().copied(),
            ),
            Some((cmd, arg)) => {
                let arg = arg.trim_start();
                let start = pos - arg.len();
                match cmd {
                    "why" | "contact" => {
                        finish(start, arg, names.contacts.iter().map(String::as_str))
                    }
                    _ => Completion {
                        start: pos,
                        candidates: Vec::new(),
                    },
                }
            }
        };
    }

    // Inside an open string: complete a quoted name.
    if let Some(quote) = open_quote(before) {
        let typed = before.get(quote..).unwrap_or("");
        let context = before.get(..quote).unwrap_or("");
        return quoted(quote, typed, string_kind(context), names);
    }

    // The word starts after the last character that cannot be in one
    // (which may be several bytes long).
    let word_start = before
        .char_indices()
        .rev()
        .find(|&(_, c)| !(c.is_ascii_alphanumeric() || c == '_'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let word = before.get(word_start..).unwrap_or("");
    let context = before.get(..word_start).unwrap_or("");

    if context.ends_with("contact.") {
        return finish(
            word_start,
            word,
            names.properties.iter().map(String::as_str),
        );
    }
    if context.ends_with("event.") {
        let mut fields: Vec<&str> = TRIGGERS
            .iter()
            .flat_map(|t| t.fields.iter().map(|f| f.name))
            .collect();
        fields.sort_unstable();
        return finish(word_start, word, fields.into_iter());
    }
    let kind = string_kind(context);
    if word.is_empty() && kind != StringKind::Any {
        return quoted(word_start, "", kind, names);
    }
    finish(
        word_start,
        word,
        KEYWORDS
            .iter()
            .copied()
            .chain(TRIGGERS.iter().map(|t| t.name)),
    )
}

/// What a string at this place names, by the words before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StringKind {
    Sequence,
    User,
    Inbox,
    List,
    Property,
    Any,
}

fn string_kind(context: &str) -> StringKind {
    let context = context.trim_end();
    if context.ends_with("property_changed(") {
        return StringKind::Property;
    }
    if context.ends_with("list_added(") || context.ends_with("list_removed(") {
        return StringKind::List;
    }
    let words: Vec<&str> = context.split_whitespace().rev().take(2).collect();
    match words.as_slice() {
        ["in", "enroll", ..] | ["from", "unenroll", ..] => StringKind::Sequence,
        ["user", ..] => StringKind::User,
        ["via", ..] => StringKind::Inbox,
        ["list", ..] => StringKind::List,
        _ => StringKind::Any,
    }
}

fn quoted(start: usize, typed: &str, kind: StringKind, names: &Names) -> Completion {
    let pool: Vec<&String> = match kind {
        StringKind::Sequence => names.sequences.iter().collect(),
        StringKind::User => names.users.iter().collect(),
        StringKind::Inbox => names.inboxes.iter().collect(),
        StringKind::List => names.lists.iter().collect(),
        StringKind::Property => names.properties.iter().collect(),
        StringKind::Any => names
            .sequences
            .iter()
            .chain(&names.users)
            .chain(&names.lists)
            .collect(),
    };
    let quoted: Vec<String> = pool.iter().map(|n| format!("\"{n}\"")).collect();
    finish(start, typed, quoted.iter().map(String::as_str))
}

/// The byte offset of the opening quote of a string still open at the end
/// of `before`, if any.
fn open_quote(before: &str) -> Option<usize> {
    let mut open = None;
    let mut escaped = false;
    let mut comment = false;
    for (i, c) in before.char_indices() {
        if comment {
            comment = c != '\n';
            continue;
        }
        match (open, c) {
            (None, '#') => comment = true,
            (None, '"') => open = Some(i),
            (Some(_), '\\') if !escaped => {
                escaped = true;
                continue;
            }
            (Some(_), '"') if !escaped => open = None,
            (Some(_), '\n') => open = None,
            _ => {}
        }
        escaped = false;
    }
    open
}

fn finish<'a>(start: usize, typed: &str, pool: impl Iterator<Item = &'a str>) -> Completion {
    let mut candidates: Vec<String> = pool
        .filter(|c| c.starts_with(typed))
        .map(str::to_owned)
        .collect();
    candidates.sort();
    candidates.dedup();
    Completion { start, candidates }
}

fn floor_char_boundary(text: &str, mut pos: usize) -> usize {
    while pos > 0 && !text.is_char_boundary(pos) {
        pos -= 1;
    }
    pos
}
