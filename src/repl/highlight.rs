//! Syntax highlighting of REPL input, driven by the logos lexer.
//!
//! Takes the text being edited and gives the same text with ANSI colour
//! codes around tokens. Invariant: the colour codes are the only thing
//! added, so the displayed width equals the text's (rustyline places the
//! cursor by the plain text). A `:command` line colours the command name
//! only.

use crate::syntax::lexer::{self, Token};
use crate::triggers;

const RESET: &str = "\x1b[0m";
const KEYWORD: &str = "\x1b[1;35m";
const STRING: &str = "\x1b[32m";
const NUMBER: &str = "\x1b[36m";
const COMMENT: &str = "\x1b[2;37m";
const TRIGGER: &str = "\x1b[1;34m";
const OPERATOR: &str = "\x1b[33m";
const ERROR: &str = "\x1b[4;31m";
const COMMAND: &str = "\x1b[1;36m";

/// `text` with ANSI colours; removing the escape sequences gives `text`
/// back unchanged.
pub fn highlight(text: &str) -> String {
    if let Some(rest) = text.trim_start().strip_prefix(':') {
        let lead = text.len() - text.trim_start().len();
        let name_len = 1 + rest.find(char::is_whitespace).unwrap_or(rest.len());
        // Both cuts fall on character boundaries (after leading white
        // space, before a white-space character or at the end); should one
        // not, the line is shown plain.
        let Some((head, tail)) = text.split_at_checked(lead + name_len) else {
            return text.to_owned();
        };
        let Some((space, name)) = head.split_at_checked(lead) else {
            return text.to_owned();
        };
        return format!("{space}{COMMAND}{name}{RESET}{tail}");
    }
    let mut out = String::with_capacity(text.len() * 2);
    let mut last = 0;
    for (token, span) in lexer::tokenize(text) {
        let Some(word) = text.get(span.range()) else {
            continue;
        };
        out.push_str(text.get(last..span.start).unwrap_or(""));
        last = span.end;
        let colour = match token {
            Token::Keyword | Token::Bool => Some(KEYWORD),
            Token::Str => Some(STRING),
            Token::Number => Some(NUMBER),
            Token::Comment => Some(COMMENT),
            Token::Operator => Some(OPERATOR),
            // A string still being typed is a string, not a mistake.
            Token::Error if word.starts_with('"') => Some(STRING),
            Token::Error => Some(ERROR),
            Token::Ident if triggers::lookup(word).is_some() => Some(TRIGGER),
            Token::Ident | Token::Punct => None,
        };
        match colour {
            Some(c) => {
                out.push_str(c);
                out.push_str(word);
                out.push_str(RESET);
            }
            None => out.push_str(word),
        }
    }
    out.push_str(text.get(last..).unwrap_or(""));
    out
}

/// `text` with every ANSI escape sequence (`ESC [ … letter`) removed: what
/// a terminal shows of it.
pub fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for d in chars.by_ref() {
                if d.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}
