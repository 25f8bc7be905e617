//! A logos lexer for `.wf` text: tokens with byte spans.
//!
//! The pest grammar decides what is valid; this lexer only splits text into
//! tokens, for the REPL's highlighting and completion and for the formatter,
//! which needs the comments that the parser drops. Unlike the parser it
//! keeps going after a bad character (yielding [`Token::Error`]), so a
//! half-typed line still highlights. A test lexes every example and fixture
//! and asserts that no error token appears, which keeps it in step with the
//! grammar.

use crate::span::Span;
use logos::Logos;

/// One token of `.wf` text.
#[derive(Logos, Debug, Clone, Copy, PartialEq, Eq)]
#[logos(skip r"[ \t\r\n]+")]
pub enum Token {
    /// `# …` to the end of the line.
    #[regex(r"#[^\n]*", allow_greedy = true)]
    Comment,
    /// A double-quoted string on one line, with `\"` and `\\` escapes.
    #[regex(r#""([^"\\\n\r]|\\["\\])*""#)]
    Str,
    /// `-?digits(.digits)?`.
    #[regex(r"-?[0-9]+(\.[0-9]+)?")]
    Number,
    /// A keyword of the language.
    #[token("workflow")]
    #[token("reenroll")]
    #[token("suppress")]
    #[token("list")]
    #[token("when")]
    #[token("or")]
    #[token("and")]
    #[token("not")]
    #[token("if")]
    #[token("then")]
    #[token("enroll")]
    #[token("unenroll")]
    #[token("in")]
    #[token("from")]
    #[token("owner")]
    #[token("user")]
    #[token("via")]
    #[token("contains")]
    #[token("is")]
    #[token("set")]
    #[token("contact")]
    #[token("event")]
    Keyword,
    /// `true` or `false`.
    #[token("true")]
    #[token("false")]
    Bool,
    /// A name: trigger, property, field or argument name.
    #[regex(r"[A-Za-z_][A-Za-z0-9_]*")]
    Ident,
    /// `==`, `!=`, `<`, `<=`, `>`, `>=`.
    #[token("==")]
    #[token("!=")]
    #[token("<")]
    #[token("<=")]
    #[token(">")]
    #[token(">=")]
    Operator,
    /// `(`, `)`, `[`, `]`, `{`, `}`, `,`, `:`, `.`.
    #[token("(")]
    #[token(")")]
    #[token("[")]
    #[token("]")]
    #[token("{")]
    #[token("}")]
    #[token(",")]
    #[token(":")]
    #[token(".")]
    Punct,
    /// Anything else: a stray character or an unterminated string.
    Error,
}

/// The keywords of the language, for completion.
pub const KEYWORDS: &[&str] = &[
    "workflow", "reenroll", "suppress", "list", "when", "or", "and", "not", "if", "then", "enroll",
    "unenroll", "in", "from", "owner", "user", "via", "contains", "is", "set", "contact", "event",
    "true", "false",
];

/// Splits `text` into tokens with their spans. Never fails: bad input
/// becomes [`Token::Error`] tokens.
pub fn tokenize(text: &str) -> Vec<(Token, Span)> {
    tokens(text).collect()
}

/// The tokens of `text` one at a time, as [`tokenize`] lists them: for a
/// pass over a whole script that keeps none of them.
pub fn tokens(text: &str) -> impl Iterator<Item = (Token, Span)> + '_ {
    Token::lexer(text).spanned().map(|(token, span)| {
        (
            token.unwrap_or(Token::Error),
            Span::new(span.start, span.end),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<Token> {
        tokenize(text).into_iter().map(|(t, _)| t).collect()
    }

    #[test]
    fn keywords_are_whole_words() {
        assert_eq!(
            kinds("enroll enrollment"),
            vec![Token::Keyword, Token::Ident]
        );
    }

    #[test]
    fn comments_and_strings() {
        assert_eq!(
            kinds(r#"when x("a \"b\"") # c"#),
            vec![
                Token::Keyword,
                Token::Ident,
                Token::Punct,
                Token::Str,
                Token::Punct,
                Token::Comment
            ]
        );
    }

    #[test]
    fn bad_input_becomes_error_tokens() {
        assert!(kinds("\"open").contains(&Token::Error));
        assert!(kinds("@").contains(&Token::Error));
    }
}
