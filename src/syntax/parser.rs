//! The pest parser, and the translation of pest's errors into words.
//!
//! This is the only module that names pest's `Rule`. [`parse_pairs`] turns a
//! text into the pest parse tree of its `file` rule; a failure becomes an
//! E0001 [`Diagnostic`] that says what was expected in words ("expected
//! `then` or `,`, found `enroll`"), never in grammar rule names. Keywords and
//! punctuation are named rules of the grammar so that pest lists them. A
//! malformed string is reported as such (unterminated, invalid escape), and
//! a few common mistakes get a help line: an unclosed block, a trigger
//! without parentheses, actions without `then`, a block without rules.

use super::lexer;
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
    // A malformed string makes pest fail at or after it; say what is wrong
    // with the string rather than what pest expected there.
    if let Some(problem) = string_problem(text).filter(|p| p.string_start <= pos) {
        return Diagnostic::new(Code::E0001, file, problem.span, problem.message)
            .with_help(problem.help);
    }
    let (span, found) = found_at(text, pos);
    let positives: &[Rule] = match &error.variant {
        ErrorVariant::ParsingError { positives, .. } => positives,
        ErrorVariant::CustomError { message } => {
            return Diagnostic::new(Code::E0001, file, span, message.clone());
        }
    };
    let previous = previous_token(text, pos);
    let mut wanted: Vec<&'static str> = positives
        .iter()
        .flat_map(|r| describe(*r, previous))
        .collect();
    wanted.sort_unstable();
    wanted.dedup();
    merge_values(&mut wanted);

    let at_end = text.get(pos..).is_some_and(|rest| rest.trim().is_empty());
    let mut help = None;
    if at_end && wanted.contains(&"`}`") {
        // An unterminated block: what would continue the block, and where
        // the block opened.
        wanted.retain(|w| *w == "`}`" || *w == "`when`");
        help = Some(match unclosed_brace(text) {
            Some(open) => {
                let line = text.get(..open).map_or(0, |t| t.matches('\n').count()) + 1;
                format!("the block opened on line {line} is not closed: end it with `}}`")
            }
            None => "end the block with `}`".to_owned(),
        });
    } else if wanted == ["`(`"] && previous.is_some_and(|p| p.is_name) {
        let name = previous.map_or("", |p| p.text);
        help = Some(format!(
            "a trigger is written with parentheses, even with no arguments: `{name}()`"
        ));
    } else if found == "`}`" && wanted.contains(&"`workflow`") {
        help = Some("no workflow block is open here".to_owned());
    } else if found == "`}`" && wanted.contains(&"`when`") && wanted.contains(&"`reenroll`") {
        help = Some("a workflow block holds at least one rule".to_owned());
    } else if wanted.contains(&"`then`") && (found == "`enroll`" || found == "`unenroll`") {
        help = Some("the actions of a rule follow `then`".to_owned());
    }
    let message = if wanted.is_empty() {
        format!("unexpected {found}")
    } else {
        format!("expected {}, found {found}", one_of(&wanted))
    };
    let mut d = Diagnostic::new(Code::E0001, file, span, message);
    if let Some(help) = help {
        d = d.with_help(help);
    }
    d
}

/// "`true` or `false`, a number or a string" reads as "a value".
fn merge_values(wanted: &mut Vec<&'static str>) {
    let parts = ["`true` or `false`", "a number", "a string"];
    if parts.iter().all(|p| wanted.contains(p)) {
        wanted.retain(|w| !parts.contains(w));
        wanted.push("a value");
    }
}

/// What is wrong with the first malformed string of a text.
struct StringProblem {
    /// Where the string's opening quote is.
    string_start: usize,
    span: Span,
    message: String,
    help: &'static str,
}

/// Finds the first string that is not closed on its line or holds an
/// escape other than `\"` and `\\` (comments are skipped).
fn string_problem(text: &str) -> Option<StringProblem> {
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '#' => while chars.next_if(|&(_, c)| c != '\n').is_some() {},
            '"' => loop {
                match chars.next() {
                    Some((_, '"')) => break,
                    Some((j, '\\')) => match chars.next() {
                        Some((_, '"' | '\\')) => {}
                        Some((k, e)) if e != '\n' && e != '\r' => {
                            return Some(StringProblem {
                                string_start: i,
                                span: Span::new(j, k + e.len_utf8()),
                                message: format!("invalid escape `\\{e}` in string"),
                                help: "the only escapes are `\\\"` and `\\\\`",
                            });
                        }
                        _ => return Some(unterminated(text, i)),
                    },
                    Some((_, '\n' | '\r')) | None => return Some(unterminated(text, i)),
                    Some(_) => {}
                }
            },
            _ => {}
        }
    }
    None
}

fn unterminated(text: &str, start: usize) -> StringProblem {
    let rest = text.get(start..).unwrap_or("");
    let len = rest.find(['\n', '\r']).unwrap_or(rest.len());
    StringProblem {
        string_start: start,
        span: Span::new(start, start + len),
        message: "unterminated string".to_owned(),
        help: "close it with `\"` on the same line: a string ends on its line",
    }
}

/// The byte offset of the last `{` that no `}` closes.
fn unclosed_brace(text: &str) -> Option<usize> {
    let mut open = Vec::new();
    for (token, span) in lexer::tokenize(text) {
        if token != lexer::Token::Punct {
            continue;
        }
        match text.get(span.range()) {
            Some("{") => open.push(span.start),
            Some("}") => {
                open.pop();
            }
            _ => {}
        }
    }
    open.pop()
}

/// The token before an error position.
#[derive(Clone, Copy)]
struct Previous<'t> {
    text: &'t str,
    /// A name (not a keyword).
    is_name: bool,
}

fn previous_token(text: &str, pos: usize) -> Option<Previous<'_>> {
    let before = text.get(..pos)?;
    lexer::tokenize(before)
        .into_iter()
        .rfind(|(t, _)| *t != lexer::Token::Comment)
        .and_then(|(t, span)| {
            Some(Previous {
                text: before.get(span.range())?,
                is_name: t == lexer::Token::Ident,
            })
        })
}

/// `a`, `a or b`, `a, b or c`.
fn one_of(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// What stands at `pos`, for "found …", and its span: a word, a string,
/// an operator or a character (shortened when long; empty at the end).
fn found_at(text: &str, pos: usize) -> (Span, String) {
    let pos = pos.min(text.len());
    let rest = text.get(pos..).unwrap_or("");
    let Some(c) = rest.chars().next() else {
        return (Span::new(pos, pos), "end of file".to_owned());
    };
    if c == '\n' || c == '\r' {
        return (Span::new(pos, pos + 1), "end of line".to_owned());
    }
    if c.is_alphanumeric() || c == '_' {
        let len: usize = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .map(char::len_utf8)
            .sum();
        let word: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .take(40)
            .collect();
        return (Span::new(pos, pos + len), format!("`{word}`"));
    }
    let line = rest.split(['\n', '\r']).next().unwrap_or("");
    if let Some((token, span)) = lexer::tokenize(line).into_iter().next()
        && matches!(token, lexer::Token::Str | lexer::Token::Operator)
    {
        let written = line.get(span.range()).unwrap_or("");
        let shown: String = written.chars().take(40).collect();
        let ellipsis = if shown.len() < written.len() {
            "…"
        } else {
            ""
        };
        return (
            Span::new(pos + span.start, pos + span.end),
            format!("`{shown}{ellipsis}`"),
        );
    }
    (Span::new(pos, pos + c.len_utf8()), format!("`{c}`"))
}

/// A grammar rule in words (none for rules users never need to hear of).
/// `previous` is the token before the error, which names some places better.
fn describe(r: Rule, previous: Option<Previous<'_>>) -> Vec<&'static str> {
    let after_when = previous.is_some_and(|p| p.text == "when" || p.text == "or");
    let words = match r {
        // Nothing parsed at the top level: an item was expected.
        Rule::file => return vec!["`when`", "`workflow`"],
        Rule::ident if after_when => "a trigger such as `form_submitted(\"…\")`",
        Rule::EOI => "end of file",
        Rule::workflow | Rule::kw_workflow => "`workflow`",
        Rule::rule | Rule::kw_when => "`when`",
        Rule::open_brace => "`{`",
        Rule::close_brace => "`}`",
        Rule::lparen => "`(`",
        Rule::rparen => "`)`",
        Rule::lbracket => "`[`",
        Rule::rbracket => "`]`",
        Rule::comma => "`,`",
        Rule::colon => "`:`",
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
        Rule::WHITESPACE
        | Rule::COMMENT
        | Rule::item
        | Rule::setting
        | Rule::action
        | Rule::sender
        | Rule::primary
        | Rule::test
        | Rule::operand
        | Rule::literal
        | Rule::ident_char => return Vec::new(),
    };
    vec![words]
}
