//! The pest parser, and the translation of pest's errors into words.
//!
//! This is the only module that names pest's `Rule`. [`parse_pairs`] turns a
//! text into the pest parse tree of its `file` rule; a failure becomes an
//! E0001 [`Diagnostic`] that says what was expected in words ("expected
//! `then`"), never in grammar rule names.

use crate::diagnostic::{Code, Diagnostic};
use crate::source::FileId;
use crate::span::Span;
use pest::Parser as _;
use pest::error::{ErrorVariant, InputLocation};
use pest::iterators::Pairs;

/// The parser generated from `grammar/wf.pest`.
#[derive(pest_derive::Parser)]
#[grammar = "grammar/wf.pest"]
pub struct WfParser;

/// Parses `text` with the `file` rule.
pub fn parse_pairs(file: FileId, text: &str) -> Result<Pairs<'_, Rule>, Diagnostic> {
    WfParser::parse(Rule::file, text).map_err(|e| syntax_error(file, text, &e))
}

/// Turns a pest error into an E0001 diagnostic at the offending token.
fn syntax_error(file: FileId, text: &str, error: &pest::error::Error<Rule>) -> Diagnostic {
    let pos = match error.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let span = token_span(text, pos);
    let found = describe_found(text, pos);
    let message = match &error.variant {
        ErrorVariant::ParsingError { positives, .. } => {
            let mut wanted: Vec<&'static str> =
                positives.iter().filter_map(|r| describe(*r)).collect();
            wanted.sort_unstable();
            wanted.dedup();
            if let Some(hint) = string_hint(text, pos) {
                hint
            } else if wanted.is_empty() {
                format!("unexpected {found}")
            } else {
                format!("expected {}, found {found}", one_of(&wanted))
            }
        }
        ErrorVariant::CustomError { message } => message.clone(),
    };
    Diagnostic::new(Code::E0001, file, span, message)
}

/// Special cases that read better than a list of expected tokens.
fn string_hint(text: &str, pos: usize) -> Option<String> {
    let rest = text.get(pos..)?;
    if rest.starts_with('"') {
        let line_end = rest.find('\n').unwrap_or(rest.len());
        let line = rest.get(1..line_end).unwrap_or("");
        let mut chars = line.chars();
        while let Some(c) = chars.next() {
            match c {
                '"' => return None,
                '\\' => match chars.next() {
                    Some('"' | '\\') => {}
                    Some(other) => {
                        return Some(format!(
                            "invalid escape `\\{other}` in string (only `\\\"` and `\\\\` are allowed)"
                        ));
                    }
                    None => break,
                },
                _ => {}
            }
        }
        return Some("unterminated string (a string ends on its line)".to_owned());
    }
    None
}

/// `a`, `a or b`, `a, b or c`.
fn one_of(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// What stands at `pos`, for "found …".
fn describe_found(text: &str, pos: usize) -> String {
    let rest = text.get(pos..).unwrap_or("");
    match rest.chars().next() {
        None => "end of file".to_owned(),
        Some(c) if c.is_alphanumeric() || c == '_' => {
            let word: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .take(40)
                .collect();
            format!("`{word}`")
        }
        Some('\n') | Some('\r') => "end of line".to_owned(),
        Some(c) => format!("`{c}`"),
    }
}

/// The span of the token at `pos`: a word, or one character (empty at the end).
fn token_span(text: &str, pos: usize) -> Span {
    let pos = pos.min(text.len());
    let rest = text.get(pos..).unwrap_or("");
    let len: usize = match rest.chars().next() {
        None => 0,
        Some(c) if c.is_alphanumeric() || c == '_' => rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .map(char::len_utf8)
            .sum(),
        Some(c) => c.len_utf8(),
    };
    Span::new(pos, pos + len)
}

/// A grammar rule in words, or `None` for rules users never need to hear of.
fn describe(r: Rule) -> Option<&'static str> {
    Some(match r {
        Rule::EOI => "end of file",
        Rule::workflow | Rule::kw_workflow => "`workflow`",
        Rule::rule | Rule::kw_when => "`when`",
        Rule::open_brace => "`{`",
        Rule::close_brace => "`}`",
        Rule::reenroll | Rule::kw_reenroll => "`reenroll`",
        Rule::suppress | Rule::kw_suppress => "`suppress`",
        Rule::kw_list => "`list`",
        Rule::kw_or => "`or`",
        Rule::kw_and => "`and`",
        Rule::kw_not | Rule::negation | Rule::not_in => "`not`",
        Rule::kw_if | Rule::condition => "`if`",
        Rule::kw_then => "`then`",
        Rule::enroll | Rule::kw_enroll => "`enroll`",
        Rule::unenroll | Rule::kw_unenroll => "`unenroll`",
        Rule::kw_in | Rule::membership => "`in`",
        Rule::kw_from => "`from`",
        Rule::owner_sender | Rule::kw_owner => "`owner`",
        Rule::user_sender | Rule::kw_user => "`user`",
        Rule::via | Rule::kw_via => "`via`",
        Rule::contains | Rule::kw_contains => "`contains`",
        Rule::presence | Rule::kw_is => "`is`",
        Rule::kw_set => "`set`",
        Rule::kw_contact | Rule::contact_ref | Rule::in_list => "`contact`",
        Rule::kw_event | Rule::event_ref => "`event`",
        Rule::kw_true | Rule::kw_false | Rule::boolean => "`true` or `false`",
        Rule::trigger => "a trigger such as `form_submitted(\"…\")`",
        Rule::arg | Rule::named => "an argument",
        Rule::string | Rule::string_body | Rule::escape => "a string",
        Rule::number => "a number",
        Rule::ident => "a name",
        Rule::compare | Rule::cmp_op => "a comparison (`==`, `!=`, `<`, `<=`, `>`, `>=`)",
        Rule::literal_list => "`[`",
        Rule::expr | Rule::and_expr | Rule::not_expr | Rule::group | Rule::predicate => {
            "a condition"
        }
        Rule::file
        | Rule::WHITESPACE
        | Rule::COMMENT
        | Rule::item
        | Rule::setting
        | Rule::action
        | Rule::sender
        | Rule::primary
        | Rule::test
        | Rule::operand
        | Rule::literal
        | Rule::ident_char => return None,
    })
}
