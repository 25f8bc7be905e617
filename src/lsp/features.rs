//! What the server answers, one function per request: completion, hover,
//! definition, symbols, formatting and quick fixes.
//! Each takes a [`Document`] and what the workspace knows, and gives
//! protocol values; none of them fails or panics on any text.

use super::diagnostics::{HELP, places};
use super::document::Document;
use super::workspace::{Knowledge, path_uri};
use crate::account::{Account, PropertyType, StepKind};
use crate::diagnostic::{Code, Diagnostic as Finding};
use crate::repl::complete::{Names, complete};
use crate::source::FileId;
use crate::syntax::ast::{Action, Item, Sender};
use crate::triggers::lookup;
use lsp_types as lsp;
use std::str::FromStr;

/// Completion at a position: keywords and triggers (with argument
/// snippets), and from the account sequences, users, inboxes, lists,
/// properties after `contact.` and enum values after a comparison.
pub fn completion(
    doc: &Document,
    pos: lsp::Position,
    knowledge: &Knowledge,
) -> Vec<lsp::CompletionItem> {
    let offset = doc.offset(pos);
    let line_start = doc
        .text
        .get(..offset)
        .and_then(|t| t.rfind('\n'))
        .map_or(0, |i| i + 1);
    let line = doc.text.get(line_start..offset).unwrap_or("");
    let names = knowledge
        .account()
        .map(Names::of_account)
        .unwrap_or_default();
    let found = complete(line, line.len(), &names);
    let range = lsp::Range::new(doc.position(line_start + found.start), pos);
    let mut items: Vec<lsp::CompletionItem> = found
        .candidates
        .iter()
        .map(|c| item(c, range, knowledge.account()))
        .collect();
    if let Some(account) = knowledge.account() {
        items.extend(enum_values(line, range, account));
    }
    items
}

fn item(label: &str, range: lsp::Range, account: Option<&Account>) -> lsp::CompletionItem {
    let (kind, snippet, detail) = if let Some(sig) = lookup(label) {
        (
            lsp::CompletionItemKind::FUNCTION,
            Some(trigger_snippet(sig)),
            Some("trigger".to_owned()),
        )
    } else if label.starts_with('"') {
        (lsp::CompletionItemKind::VALUE, None, None)
    } else if crate::syntax::lexer::KEYWORDS.contains(&label) {
        (
            lsp::CompletionItemKind::KEYWORD,
            None,
            Some("keyword".to_owned()),
        )
    } else {
        let detail = account
            .and_then(|a| a.property(label))
            .map(|t| t.name().to_owned());
        (lsp::CompletionItemKind::FIELD, None, detail)
    };
    let (text, format) = match snippet {
        Some(s) => (s, Some(lsp::InsertTextFormat::SNIPPET)),
        None => (label.to_owned(), None),
    };
    lsp::CompletionItem {
        label: label.to_owned(),
        kind: Some(kind),
        detail,
        insert_text_format: format,
        text_edit: Some(lsp::CompletionTextEdit::Edit(lsp::TextEdit::new(
            range, text,
        ))),
        ..Default::default()
    }
}

/// `form_submitted(${1:"form"})`: a trigger with placeholders for its
/// arguments, required first.
fn trigger_snippet(sig: &crate::triggers::Signature) -> String {
    let mut args = Vec::new();
    if let Some(p) = &sig.positional {
        args.push(format!("${{{}:\"{}\"}}", args.len() + 1, p.field));
    }
    for p in &sig.named {
        args.push(format!("{}: ${{{}:\"\"}}", p.field, args.len() + 1));
    }
    format!("{}({})", sig.name, args.join(", "))
}

/// The values of an enum property after `contact.NAME ==` (or `!=`, `in [`).
fn enum_values(line: &str, range: lsp::Range, account: &Account) -> Vec<lsp::CompletionItem> {
    let Some(at) = line.rfind("contact.") else {
        return Vec::new();
    };
    let rest = line.get(at + "contact.".len()..).unwrap_or("");
    let name_end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    let (name, tail) = rest.split_at(name_end);
    let tail = tail.trim_start();
    let is_value_place = ["==", "!=", "in [", "not in ["]
        .iter()
        .any(|op| tail.starts_with(op));
    let Some(PropertyType::Enum(values)) = account.property(name) else {
        return Vec::new();
    };
    if !is_value_place {
        return Vec::new();
    }
    values
        .iter()
        .map(|v| {
            let mut it = item(&format!("\"{v}\""), range, Some(account));
            it.kind = Some(lsp::CompletionItemKind::ENUM_MEMBER);
            it
        })
        .collect()
}

/// The word under a position: an identifier, `contact.NAME`, a string's
/// value or a diagnostic code in a comment; with its byte range.
fn word_at(text: &str, offset: usize) -> Option<(String, bool, std::ops::Range<usize>)> {
    let line_start = text.get(..offset)?.rfind('\n').map_or(0, |i| i + 1);
    let line_end = text
        .get(offset..)?
        .find('\n')
        .map_or(text.len(), |i| offset + i);
    let line = text.get(line_start..line_end)?;
    let col = offset - line_start;
    // A string around the position?
    let mut start = None;
    for (i, c) in line.char_indices() {
        if c == '"' {
            match start {
                None => start = Some(i),
                Some(s) => {
                    if (s..=i).contains(&col) {
                        let value = line.get(s + 1..i)?.to_owned();
                        return Some((value, true, line_start + s..line_start + i + 1));
                    }
                    start = None;
                }
            }
        }
    }
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '.';
    let s = line.get(..col)?.rfind(|c| !is_word(c)).map_or(0, |i| i + 1);
    let e = line
        .get(col..)?
        .find(|c| !is_word(c))
        .map_or(line.len(), |i| col + i);
    let word = line.get(s..e)?;
    (!word.is_empty()).then(|| (word.to_owned(), false, line_start + s..line_start + e))
}

/// Hover: triggers, sequences (steps), users (seats, inboxes, eligibility),
/// properties, lists and diagnostic codes — a code written in the text, or
/// the code of each finding of `checked` at the position, explained.
pub fn hover(
    doc: &Document,
    pos: lsp::Position,
    knowledge: &Knowledge,
    checked: &[Finding],
) -> Option<lsp::Hover> {
    let offset = doc.offset(pos);
    let word = word_at(&doc.text, offset);
    let mut parts: Vec<String> = word
        .as_ref()
        .and_then(|(word, quoted, _)| describe(word, *quoted, knowledge.account()))
        .into_iter()
        .collect();
    let mut range = word.map(|(_, _, span)| doc.range(span));
    let mut codes = Vec::new();
    for finding in checked {
        // The cursor right after a place is on it.
        let Some(place) = places(finding).find(|p| p.start <= offset && offset <= p.end) else {
            continue;
        };
        if !codes.contains(&finding.code) {
            codes.push(finding.code);
            parts.push(explain_code(finding.code));
            range = range.or(Some(doc.range(place)));
        }
    }
    if parts.is_empty() {
        return None;
    }
    Some(lsp::Hover {
        contents: lsp::HoverContents::Markup(lsp::MarkupContent {
            kind: lsp::MarkupKind::Markdown,
            value: parts.join("\n\n---\n\n"),
        }),
        range,
    })
}

fn explain_code(code: Code) -> String {
    format!(
        "**{code}** ({})\n\n{}",
        code.summary(),
        crate::check::explain(code)
    )
}

fn describe(word: &str, quoted: bool, account: Option<&Account>) -> Option<String> {
    if !quoted {
        if let Some(code) = Code::parse(word) {
            return Some(explain_code(code));
        }
        if let Some(sig) = lookup(word) {
            let mut out = format!("**trigger** `{}`", trigger_snippet_plain(sig));
            let fields: Vec<String> = sig
                .fields
                .iter()
                .map(|f| format!("`event.{}`", f.name))
                .collect();
            if !fields.is_empty() {
                out.push_str(&format!("\n\nevent fields: {}", fields.join(", ")));
            }
            return Some(out);
        }
        let property = word.strip_prefix("contact.")?;
        let ty = account?.property(property)?;
        return Some(match ty {
            PropertyType::Enum(values) => format!(
                "**property** `{property}`: enum of {}",
                values
                    .iter()
                    .map(|v| format!("`{v}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            other => format!("**property** `{property}`: {}", other.name()),
        });
    }
    let account = account?;
    if let Some(seq) = account.sequence(word) {
        let mut out = format!("**sequence** `{}`", seq.name);
        if seq.deleted {
            out.push_str(" (deleted)");
        }
        if seq.has_placeholders() {
            out.push_str(" — has placeholder tokens");
        }
        for (i, step) in seq.steps.iter().enumerate() {
            let what = match step.kind {
                StepKind::Email => format!("email {}", step.subject.as_deref().unwrap_or("")),
                StepKind::Task => format!(
                    "task {}{}",
                    step.title.as_deref().unwrap_or(""),
                    if step.pause { " (pauses)" } else { "" }
                ),
            };
            out.push_str(&format!(
                "\n{}. after {} day(s): {}",
                i + 1,
                step.delay_days,
                what.trim_end()
            ));
        }
        return Some(out);
    }
    if let Some(user) = account.user(word) {
        let seats: Vec<String> = user
            .seats
            .iter()
            .map(|s| {
                serde_json::to_value(s)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default()
            })
            .collect();
        return Some(format!(
            "**user** `{}`\n\nseats: {}\n\ninboxes: {}\n\n{}",
            user.email,
            if seats.is_empty() {
                "none".to_owned()
            } else {
                seats.join(", ")
            },
            if user.inboxes.is_empty() {
                "none".to_owned()
            } else {
                user.inboxes.join(", ")
            },
            if user.is_eligible_sender() {
                "eligible sender"
            } else {
                "not an eligible sender (needs an Enterprise seat and an inbox)"
            }
        ));
    }
    if let Some(list) = account.list(word) {
        return Some(format!(
            "**list** `{}`: {} member(s)",
            list.name,
            list.members.len()
        ));
    }
    None
}

fn trigger_snippet_plain(sig: &crate::triggers::Signature) -> String {
    let mut args = Vec::new();
    if let Some(p) = &sig.positional {
        args.push(format!("{}{}", p.field, if p.required { "" } else { "?" }));
    }
    for p in &sig.named {
        args.push(format!("{}: …", p.field));
    }
    format!("{}({})", sig.name, args.join(", "))
}

/// Go-to-definition: a sequence, user, list or property to its place in
/// the account file.
pub fn definition(
    doc: &Document,
    pos: lsp::Position,
    knowledge: &Knowledge,
) -> Option<lsp::Location> {
    let (path, text) = knowledge.account_source()?;
    let account = knowledge.account()?;
    let (word, quoted, _) = word_at(&doc.text, doc.offset(pos))?;
    let json_path = if quoted {
        if let Some(i) = account.sequences.iter().position(|s| s.name == word) {
            format!("sequences[{i}].name")
        } else if let Some(i) = account.users.iter().position(|u| u.email == word) {
            format!("users[{i}].email")
        } else if let Some(i) = account.lists.iter().position(|l| l.name == word) {
            format!("lists[{i}].name")
        } else {
            return None;
        }
    } else {
        let property = word.strip_prefix("contact.")?;
        format!("properties[{}]", serde_json::to_string(property).ok()?)
    };
    let segs = crate::account::locate::parse_path(&json_path)?;
    let offset = if path.display().to_string().ends_with(".toml") {
        crate::account::locate::toml(text, &segs)?
    } else {
        crate::account::locate::json(text, &segs)?
    };
    let target = Document::new(text.to_owned());
    let at = target.position(offset);
    Some(lsp::Location::new(
        lsp::Uri::from_str(&path_uri(path)).ok()?,
        lsp::Range::new(at, at),
    ))
}

/// The document's workflows and rules, for the outline.
#[allow(deprecated)] // `deprecated` is a required field of the protocol type
pub fn symbols(doc: &Document) -> Vec<lsp::DocumentSymbol> {
    let Ok(program) = crate::syntax::parse(FileId::default(), &doc.text) else {
        return Vec::new();
    };
    let rule_symbol = |rule: &crate::syntax::ast::Rule| {
        let triggers: Vec<&str> = rule.triggers.iter().map(|t| t.name.name.as_str()).collect();
        let action = match rule.actions.first() {
            Some(Action::Enroll {
                sequence, sender, ..
            }) => {
                let from = match sender {
                    Sender::Owner { .. } => "owner".to_owned(),
                    Sender::User { email, .. } => email.value.clone(),
                };
                format!("enroll in {} from {from}", sequence.value)
            }
            Some(Action::Unenroll { .. }) | None => "unenroll".to_owned(),
        };
        let range = doc.range(rule.span.range());
        lsp::DocumentSymbol {
            name: format!("when {}", triggers.join(" or ")),
            detail: Some(action),
            kind: lsp::SymbolKind::EVENT,
            tags: None,
            deprecated: None,
            range,
            selection_range: range,
            children: None,
        }
    };
    program
        .items
        .iter()
        .map(|item| match item {
            Item::Rule(r) => rule_symbol(r),
            Item::Workflow(w) => lsp::DocumentSymbol {
                name: w.name.value.clone(),
                detail: Some("workflow".to_owned()),
                kind: lsp::SymbolKind::NAMESPACE,
                tags: None,
                deprecated: None,
                range: doc.range(w.span.range()),
                selection_range: doc.range(w.name.span.range()),
                children: Some(w.rules.iter().map(rule_symbol).collect()),
            },
        })
        .collect()
}

/// `wf fmt` as one edit of the whole text; nothing when the text does not
/// parse or is already formatted.
pub fn formatting(doc: &Document) -> Vec<lsp::TextEdit> {
    match crate::format::format_source(FileId::default(), &doc.text) {
        Ok(text) if text != doc.text => vec![lsp::TextEdit::new(doc.whole(), text)],
        _ => Vec::new(),
    }
}

/// Quick fixes: each diagnostic in the request whose help (the last line
/// of its message) says "did you mean `X`?" offers to write `X` in its
/// place (quoted when a string was).
pub fn code_actions(
    doc: &Document,
    uri: &lsp::Uri,
    diagnostics: &[lsp::Diagnostic],
) -> Vec<lsp::CodeActionOrCommand> {
    let mut out = Vec::new();
    for d in diagnostics {
        let Some((_, help)) = d.message.rsplit_once(HELP) else {
            continue;
        };
        let Some(name) = help
            .strip_prefix("did you mean `")
            .and_then(|r| r.strip_suffix("`?"))
        else {
            continue;
        };
        let start = doc.offset(d.range.start);
        let end = doc.offset(d.range.end);
        let old = doc.text.get(start..end).unwrap_or("");
        let new = if old.starts_with('"') {
            format!("\"{}\"", name.replace('\\', "\\\\").replace('"', "\\\""))
        } else if let Some(prefix) = old.find('.').and_then(|i| old.get(..=i)) {
            format!("{prefix}{name}")
        } else {
            name.to_owned()
        };
        let edit = lsp::WorkspaceEdit {
            changes: Some(
                [(uri.clone(), vec![lsp::TextEdit::new(d.range, new)])]
                    .into_iter()
                    .collect(),
            ),
            ..Default::default()
        };
        out.push(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
            title: format!("replace with `{name}`"),
            kind: Some(lsp::CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![d.clone()]),
            edit: Some(edit),
            is_preferred: Some(true),
            ..Default::default()
        }));
    }
    out
}
