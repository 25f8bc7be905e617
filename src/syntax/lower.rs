//! Lowering: pest pairs → the typed AST.
//!
//! The grammar guarantees the shape of every pair, so a shape that does not
//! match is an internal error, reported as an E0001 diagnostic at the pair
//! rather than a panic.

use super::ast::*;
use super::parser::Rule as R;
use super::{MAX_CONDITION_CHAIN, MAX_CONDITION_DEPTH};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::FileId;
use crate::span::Span;
use crate::value::Value;
use pest::iterators::{Pair, Pairs};

type Result<T> = std::result::Result<T, Diagnostic>;

/// Lowers the pairs of the `file` rule.
/// `base` is where the parsed text starts in the script (0 for a whole
/// script), added to every span.
pub fn program(file: FileId, base: usize, pairs: Pairs<'_, R>) -> Result<Program> {
    let mut lower = Lower { file, base };
    let mut items = Vec::new();
    let children = pairs
        .filter(|p| p.as_rule() == R::file)
        .flat_map(|p| p.into_inner());
    for pair in children {
        match pair.as_rule() {
            R::rule => items.push(Item::Rule(lower.rule(pair)?)),
            R::workflow => items.push(Item::Workflow(lower.workflow(pair)?)),
            _ => {}
        }
    }
    Ok(Program { items })
}

struct Lower {
    file: FileId,
    /// The byte offset of the parsed text in the script.
    base: usize,
}

impl Lower {
    /// A span of this text: pest's span moved by where the text starts
    /// in the script.
    fn at(&self, span: pest::Span<'_>) -> Span {
        Span::new(self.base + span.start(), self.base + span.end())
    }

    /// The span of a pair without the white space and comments that pest
    /// includes after a trailing optional or repeated part (`unenroll` followed
    /// by an attempt at `from`): it ends at the pair's last token.
    fn exact_span(&self, pair: &Pair<'_, R>) -> Span {
        let start = pair.as_span().start();
        let mut current = pair.clone();
        // INVARIANT: each step goes one level down the last child; the rules that
        // can end in an optional part nest at most a few levels deep.
        loop {
            let open_tail = matches!(
                current.as_rule(),
                R::rule
                    | R::enroll
                    | R::unenroll
                    | R::expr
                    | R::and_expr
                    | R::condition
                    | R::not_expr
            );
            match current.clone().into_inner().last() {
                Some(last) if open_tail => current = last,
                _ => return Span::new(self.base + start, self.base + current.as_span().end()),
            }
        }
    }

    fn bug(&self, span: Span, what: &str) -> Diagnostic {
        Diagnostic::new(
            Code::E0001,
            self.file,
            span,
            format!("internal error: unexpected {what}"),
        )
    }

    /// The next inner pair that is not a keyword.
    fn next<'i>(&self, inner: &mut Pairs<'i, R>, at: Span, what: &str) -> Result<Pair<'i, R>> {
        inner
            .find(|p| !is_keyword(p.as_rule()))
            .ok_or_else(|| self.bug(at, what))
    }

    fn workflow(&mut self, pair: Pair<'_, R>) -> Result<Workflow> {
        let span = self.at(pair.as_span());
        let mut name = None;
        let mut settings = Vec::new();
        let mut rules = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                R::string => name = Some(self.string(p)?),
                R::reenroll => settings.push(Setting::Reenroll {
                    span: self.at(p.as_span()),
                }),
                R::suppress => {
                    let s = self.at(p.as_span());
                    let mut inner = p.into_inner();
                    let list = self.string(self.next(&mut inner, s, "setting")?)?;
                    settings.push(Setting::Suppress { list, span: s });
                }
                R::rule => rules.push(self.rule(p)?),
                _ => {}
            }
        }
        let name = name.ok_or_else(|| self.bug(span, "workflow without a name"))?;
        Ok(Workflow {
            name,
            settings,
            rules,
            span,
        })
    }

    fn rule(&mut self, pair: Pair<'_, R>) -> Result<Rule> {
        let span = self.exact_span(&pair);
        let mut triggers = Vec::new();
        let mut condition = None;
        let mut actions = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                R::trigger => triggers.push(self.trigger(p)?),
                R::condition => {
                    let s = self.at(p.as_span());
                    let mut inner = p.into_inner();
                    condition = Some(self.expr(self.next(&mut inner, s, "condition")?)?);
                }
                R::enroll => actions.push(self.enroll(p)?),
                R::unenroll => {
                    let s = self.exact_span(&p);
                    let sequence = p
                        .into_inner()
                        .find(|q| q.as_rule() == R::string)
                        .map(|q| self.string(q))
                        .transpose()?;
                    actions.push(Action::Unenroll { sequence, span: s });
                }
                _ => {}
            }
        }
        Ok(Rule {
            triggers,
            condition,
            actions,
            span,
        })
    }

    fn trigger(&mut self, pair: Pair<'_, R>) -> Result<Trigger> {
        let span = self.at(pair.as_span());
        let mut inner = pair.into_inner();
        let name = self.ident(self.next(&mut inner, span, "trigger")?);
        let mut args = Vec::new();
        for arg in inner.filter(|p| p.as_rule() == R::arg) {
            let s = self.at(arg.as_span());
            let mut name = None;
            let mut value = None;
            for p in arg.into_inner() {
                match p.as_rule() {
                    R::named => {
                        let mut n = p.into_inner();
                        name = Some(self.ident(self.next(&mut n, s, "argument name")?));
                    }
                    _ => value = Some(self.literal(p)?),
                }
            }
            let value = value.ok_or_else(|| self.bug(s, "argument without a value"))?;
            args.push(Arg {
                name,
                value,
                span: s,
            });
        }
        Ok(Trigger { name, args, span })
    }

    fn enroll(&mut self, pair: Pair<'_, R>) -> Result<Action> {
        let span = self.exact_span(&pair);
        let mut sequence = None;
        let mut sender = None;
        let mut via = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                R::string => sequence = Some(self.string(p)?),
                R::owner_sender => {
                    sender = Some(Sender::Owner {
                        span: self.at(p.as_span()),
                    })
                }
                R::user_sender => {
                    let s = self.at(p.as_span());
                    let mut inner = p.into_inner();
                    let email = self.string(self.next(&mut inner, s, "sender")?)?;
                    sender = Some(Sender::User { email, span: s });
                }
                R::via => {
                    let s = self.at(p.as_span());
                    let mut inner = p.into_inner();
                    via = Some(self.string(self.next(&mut inner, s, "via")?)?);
                }
                _ => {}
            }
        }
        match (sequence, sender) {
            (Some(sequence), Some(sender)) => Ok(Action::Enroll {
                sequence,
                sender,
                via,
                span,
            }),
            _ => Err(self.bug(span, "enroll action")),
        }
    }

    /// Lowers a condition, refusing nesting deeper than
    /// [`MAX_CONDITION_DEPTH`], chains longer than [`MAX_CONDITION_CHAIN`]
    /// and trees deeper than [`MAX_CONDITION_CHAIN`], so that every later
    /// recursion over it is bounded.
    fn expr(&mut self, pair: Pair<'_, R>) -> Result<Expr> {
        self.expr_depth(pair).map(|(e, _)| e)
    }

    fn too_deep(&self, span: Span) -> Diagnostic {
        Diagnostic::new(
            Code::E0001,
            self.file,
            span,
            format!(
                "condition is nested too deeply (more than {MAX_CONDITION_DEPTH} levels of `not`, parentheses and `and` inside `or`)"
            ),
        )
        .with_help("split it across several rules")
    }

    fn too_long(&self, span: Span) -> Diagnostic {
        Diagnostic::new(
            Code::E0001,
            self.file,
            span,
            format!(
                "condition is too long (more than {MAX_CONDITION_CHAIN} tests joined by `and`/`or` in a row)"
            ),
        )
        .with_help("list alternatives with `in [...]`, or split it across several rules")
    }

    fn too_complex(&self, span: Span) -> Diagnostic {
        Diagnostic::new(
            Code::E0001,
            self.file,
            span,
            format!(
                "condition is too complex (its chains of `and`/`or` and its nesting add up to more than {MAX_CONDITION_CHAIN} levels)"
            ),
        )
        .with_help("split it across several rules, or list alternatives with `in [...]`")
    }

    /// Checks the limits on a (sub)condition's size.
    fn within_limits(&self, size: Size, span: Span) -> Result<()> {
        if size.nesting > MAX_CONDITION_DEPTH {
            Err(self.too_deep(span))
        } else if size.tree > MAX_CONDITION_CHAIN {
            Err(self.too_complex(span))
        } else {
            Ok(())
        }
    }

    /// An expression and its size.
    fn expr_depth(&mut self, pair: Pair<'_, R>) -> Result<(Expr, Size)> {
        let span = self.at(pair.as_span());
        match pair.as_rule() {
            R::expr | R::and_expr => {
                let is_or = pair.as_rule() == R::expr;
                let mut operands = pair.into_inner().filter(|p| !is_keyword(p.as_rule()));
                let first = operands
                    .next()
                    .ok_or_else(|| self.bug(span, "empty expression"))?;
                let (mut acc, first_size) = self.expr_depth(first)?;
                let mut tree = first_size.tree;
                let mut inner_nesting = first_size.nesting;
                let mut count = 1usize;
                for next in operands {
                    let (rhs, rhs_size) = self.expr_depth(next)?;
                    count += 1;
                    if count > MAX_CONDITION_CHAIN {
                        return Err(self.too_long(rhs.span));
                    }
                    tree = tree.max(rhs_size.tree) + 1;
                    inner_nesting = inner_nesting.max(rhs_size.nesting);
                    self.within_limits(
                        Size {
                            tree,
                            nesting: inner_nesting + 1,
                        },
                        rhs.span,
                    )?;
                    let s = acc.span.to(rhs.span);
                    let (lhs, rhs) = (Box::new(acc), Box::new(rhs));
                    let kind = if is_or {
                        ExprKind::Or { lhs, rhs }
                    } else {
                        ExprKind::And { lhs, rhs }
                    };
                    acc = Expr { kind, span: s };
                }
                // A chain is one level of nesting, however long.
                let nesting = if count > 1 {
                    inner_nesting + 1
                } else {
                    inner_nesting
                };
                Ok((acc, Size { tree, nesting }))
            }
            R::not_expr => {
                let mut negations = Vec::new();
                let mut primary = None;
                for p in pair.into_inner() {
                    if p.as_rule() == R::negation {
                        negations.push(self.at(p.as_span()));
                    } else {
                        primary = Some(self.expr_depth(p)?);
                    }
                }
                let (mut acc, mut size) =
                    primary.ok_or_else(|| self.bug(span, "negation without operand"))?;
                for neg in negations.into_iter().rev() {
                    size = size.plus_one();
                    self.within_limits(size, neg)?;
                    let s = neg.to(acc.span);
                    acc = Expr {
                        kind: ExprKind::Not {
                            expr: Box::new(acc),
                        },
                        span: s,
                    };
                }
                Ok((acc, size))
            }
            R::group => {
                let mut inner = pair.into_inner();
                let (e, size) = self.expr_depth(self.next(&mut inner, span, "group")?)?;
                let size = size.plus_one();
                self.within_limits(size, span)?;
                Ok((
                    Expr {
                        kind: ExprKind::Group { expr: Box::new(e) },
                        span,
                    },
                    size,
                ))
            }
            R::in_list => {
                let mut inner = pair.into_inner();
                let list = self.string(self.next(&mut inner, span, "list test")?)?;
                Ok((
                    Expr {
                        kind: ExprKind::InList { list },
                        span,
                    },
                    Size::TEST,
                ))
            }
            R::predicate => Ok((self.predicate(pair)?, Size::TEST)),
            _ => Err(self.bug(span, "expression")),
        }
    }

    fn predicate(&mut self, pair: Pair<'_, R>) -> Result<Expr> {
        let span = self.at(pair.as_span());
        let mut inner = pair.into_inner();
        let operand = self.operand(self.next(&mut inner, span, "operand")?)?;
        let test = self.next(&mut inner, span, "test")?;
        let kind = match test.as_rule() {
            R::compare => {
                let mut parts = test.into_inner();
                let op_pair = self.next(&mut parts, span, "operator")?;
                let op = match op_pair.as_str() {
                    "==" => CmpOp::Eq,
                    "!=" => CmpOp::Ne,
                    "<" => CmpOp::Lt,
                    "<=" => CmpOp::Le,
                    ">" => CmpOp::Gt,
                    ">=" => CmpOp::Ge,
                    _ => return Err(self.bug(self.at(op_pair.as_span()), "operator")),
                };
                let rhs = self.operand(self.next(&mut parts, span, "operand")?)?;
                ExprKind::Compare {
                    lhs: operand,
                    op,
                    rhs,
                }
            }
            R::membership => {
                let mut negated = false;
                let mut values = Vec::new();
                for p in test.into_inner().flatten() {
                    match p.as_rule() {
                        R::not_in => negated = true,
                        R::string | R::number | R::boolean => values.push(self.literal(p)?),
                        _ => {}
                    }
                }
                ExprKind::In {
                    operand,
                    negated,
                    values,
                }
            }
            R::contains => {
                let mut parts = test.into_inner();
                let needle = self.string(self.next(&mut parts, span, "string")?)?;
                ExprKind::Contains { operand, needle }
            }
            R::presence => {
                let negated = test.into_inner().any(|p| p.as_rule() == R::kw_not);
                ExprKind::IsSet { operand, negated }
            }
            _ => return Err(self.bug(self.at(test.as_span()), "test")),
        };
        Ok(Expr { kind, span })
    }

    fn operand(&mut self, pair: Pair<'_, R>) -> Result<Operand> {
        let span = self.at(pair.as_span());
        match pair.as_rule() {
            R::contact_ref => {
                let mut inner = pair.into_inner();
                let property = self.ident(self.next(&mut inner, span, "property")?);
                Ok(Operand::Contact { property, span })
            }
            R::event_ref => {
                let mut inner = pair.into_inner();
                let field = self.ident(self.next(&mut inner, span, "field")?);
                Ok(Operand::Event { field, span })
            }
            _ => Ok(Operand::Literal(self.literal(pair)?)),
        }
    }

    fn literal(&mut self, pair: Pair<'_, R>) -> Result<Literal> {
        let span = self.at(pair.as_span());
        let value = match pair.as_rule() {
            R::string => Value::Text(self.string(pair)?.value.into()),
            R::number => match pair.as_str().parse::<f64>() {
                Ok(n) if n.is_finite() => Value::Number(n),
                _ => {
                    return Err(Diagnostic::new(
                        Code::E0001,
                        self.file,
                        span,
                        "number is too large",
                    ));
                }
            },
            R::boolean => Value::Bool(pair.as_str() == "true"),
            _ => return Err(self.bug(span, "literal")),
        };
        Ok(Literal { value, span })
    }

    fn string(&mut self, pair: Pair<'_, R>) -> Result<Str> {
        let span = self.at(pair.as_span());
        let raw = pair.into_inner().next().map_or("", |body| body.as_str());
        let mut value = String::with_capacity(raw.len());
        let mut chars = raw.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                // INVARIANT: the grammar admits only `\"` and `\\`.
                if let Some(escaped) = chars.next() {
                    value.push(escaped);
                }
            } else {
                value.push(c);
            }
        }
        Ok(Str { value, span })
    }

    fn ident(&self, pair: Pair<'_, R>) -> Ident {
        Ident {
            name: pair.as_str().to_owned(),
            span: self.at(pair.as_span()),
        }
    }
}

/// Keywords and punctuation: pairs that carry no value of their own.
fn is_keyword(r: R) -> bool {
    matches!(
        r,
        R::kw_workflow
            | R::kw_reenroll
            | R::kw_suppress
            | R::kw_list
            | R::kw_when
            | R::kw_or
            | R::kw_and
            | R::kw_not
            | R::kw_if
            | R::kw_then
            | R::kw_enroll
            | R::kw_unenroll
            | R::kw_in
            | R::kw_from
            | R::kw_owner
            | R::kw_user
            | R::kw_via
            | R::kw_contains
            | R::kw_is
            | R::kw_set
            | R::kw_contact
            | R::kw_event
            | R::open_brace
            | R::close_brace
            | R::lparen
            | R::rparen
            | R::lbracket
            | R::rbracket
            | R::comma
            | R::colon
    )
}

/// How deep a condition is: `tree`, the depth of its AST (a chain of N
/// tests is N deep), and `nesting`, the levels a reader sees (each `not`,
/// pair of parentheses and chain of `and`/`or` is one). A test is 1 and 1.
#[derive(Debug, Clone, Copy)]
struct Size {
    tree: usize,
    nesting: usize,
}

impl Size {
    const TEST: Size = Size {
        tree: 1,
        nesting: 1,
    };

    /// One `not` or pair of parentheses around it.
    fn plus_one(self) -> Size {
        Size {
            tree: self.tree + 1,
            nesting: self.nesting + 1,
        }
    }
}
