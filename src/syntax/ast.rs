//! The typed AST of a `.wf` file.
//!
//! Nodes carry their [`Span`] beside them; spans never take part in equality
//! (see `span.rs`), so `==` compares meaning only. Parentheses written by the
//! user are kept as [`ExprKind::Group`] so that the formatter can print them
//! back. Every node serializes to JSON for `wf parse`.

use crate::span::Span;
use crate::value::Value;
use serde::Serialize;

/// A parsed `.wf` file: its items in source order.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Program {
    /// Bare rules and workflow blocks, in file order.
    pub items: Vec<Item>,
}

/// A top-level item.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Item {
    /// A rule outside any block.
    Rule(Rule),
    /// A `workflow "name" { … }` block.
    Workflow(Workflow),
}

/// A double-quoted string literal with its span (the span covers the quotes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Str {
    /// The unescaped text.
    pub value: String,
    /// Where it was written.
    pub span: Span,
}

/// An identifier with its span.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ident {
    pub name: String,
    /// Where it was written.
    pub span: Span,
}

/// A `workflow` block.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Workflow {
    /// The block's name.
    pub name: Str,
    /// `reenroll` and `suppress list` settings, in order.
    pub settings: Vec<Setting>,
    /// The rules of the block (at least one).
    pub rules: Vec<Rule>,
    /// From `workflow` to the closing brace.
    pub span: Span,
}

/// A workflow setting.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Setting {
    /// `reenroll`: rules may fire again for the same contact.
    Reenroll {
        /// The keyword's span.
        span: Span,
    },
    /// `suppress list "L"`: members of `L` are never enrolled.
    Suppress {
        /// The list's name.
        list: Str,
        /// The whole setting.
        span: Span,
    },
}

/// `when TRIGGER (or TRIGGER)* [if EXPR] then ACTION (, ACTION)*`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rule {
    /// At least one trigger.
    pub triggers: Vec<Trigger>,
    /// The `if` condition, if any.
    pub condition: Option<Expr>,
    /// At least one action.
    pub actions: Vec<Action>,
    /// From `when` to the end of the last action.
    pub span: Span,
}

/// `name(arg, name: arg, …)`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trigger {
    /// The trigger's name (`form_submitted`).
    pub name: Ident,
    /// Arguments in the order written.
    pub args: Vec<Arg>,
    /// The whole trigger.
    pub span: Span,
}

/// One trigger argument: positional (`"qualify"`) or named (`to: "closedwon"`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Arg {
    /// The name before the colon, for a named argument.
    pub name: Option<Ident>,
    pub value: Literal,
    /// The whole argument.
    pub span: Span,
}

/// A literal value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Literal {
    pub value: Value,
    /// Where it was written.
    pub span: Span,
}

/// An action of a rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Action {
    /// `enroll in "S" from SENDER [via "ADDR"]`.
    Enroll {
        /// The sequence's name.
        sequence: Str,
        /// Who sends.
        sender: Sender,
        /// The send-from address, if given.
        via: Option<Str>,
        /// The whole action.
        span: Span,
    },
    /// `unenroll [from "S"]`.
    Unenroll {
        /// Only this sequence, if given.
        sequence: Option<Str>,
        /// The whole action.
        span: Span,
    },
}

impl Action {
    /// The span of the whole action.
    pub fn span(&self) -> Span {
        match self {
            Action::Enroll { span, .. } | Action::Unenroll { span, .. } => *span,
        }
    }
}

/// The sender of an enrollment.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Sender {
    /// `from owner`: the contact's owner.
    Owner {
        /// The keyword's span.
        span: Span,
    },
    /// `from user "E"`: a fixed user.
    User {
        /// The user's email.
        email: Str,
        /// `user "E"`.
        span: Span,
    },
}

/// A condition expression with its span.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Expr {
    /// What kind of expression.
    pub kind: ExprKind,
    /// Where it was written.
    pub span: Span,
}

/// The kinds of condition expressions.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ExprKind {
    /// `a or b`.
    Or {
        /// Left side.
        lhs: Box<Expr>,
        /// Right side.
        rhs: Box<Expr>,
    },
    /// `a and b`.
    And {
        /// Left side.
        lhs: Box<Expr>,
        /// Right side.
        rhs: Box<Expr>,
    },
    /// `not a`.
    Not {
        /// The negated expression.
        expr: Box<Expr>,
    },
    /// `( a )`, kept as written.
    Group {
        /// The inner expression.
        expr: Box<Expr>,
    },
    /// `lhs OP rhs`.
    Compare {
        /// Left operand.
        lhs: Operand,
        /// The operator.
        op: CmpOp,
        /// Right operand.
        rhs: Operand,
    },
    /// `operand [not] in [v, …]`.
    In {
        /// The tested operand.
        operand: Operand,
        /// `not in`.
        negated: bool,
        /// The values (at least one).
        values: Vec<Literal>,
    },
    /// `operand contains "text"`.
    Contains {
        /// The tested operand.
        operand: Operand,
        /// The substring looked for.
        needle: Str,
    },
    /// `operand is [not] set`.
    IsSet {
        /// The tested operand.
        operand: Operand,
        /// `is not set`.
        negated: bool,
    },
    /// `contact in list "L"`.
    InList {
        /// The list's name.
        list: Str,
    },
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum CmpOp {
    /// `==`
    #[serde(rename = "==")]
    Eq,
    /// `!=`
    #[serde(rename = "!=")]
    Ne,
    /// `<`
    #[serde(rename = "<")]
    Lt,
    /// `<=`
    #[serde(rename = "<=")]
    Le,
    /// `>`
    #[serde(rename = ">")]
    Gt,
    /// `>=`
    #[serde(rename = ">=")]
    Ge,
}

impl CmpOp {
    /// The operator as written.
    pub fn as_str(self) -> &'static str {
        match self {
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }
}

/// An operand of a test.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Operand {
    /// `contact.NAME`: a contact property.
    Contact {
        /// The property's name.
        property: Ident,
        /// `contact.NAME`.
        span: Span,
    },
    /// `event.NAME`: a field of the triggering event.
    Event {
        /// The field's name.
        field: Ident,
        /// `event.NAME`.
        span: Span,
    },
    Literal(Literal),
}

impl Operand {
    /// Where the operand was written.
    pub fn span(&self) -> Span {
        match self {
            Operand::Contact { span, .. } | Operand::Event { span, .. } => *span,
            Operand::Literal(l) => l.span,
        }
    }
}

impl Program {
    /// Every rule of the program in program order, with the workflow block
    /// it belongs to (if any).
    pub fn rules(&self) -> impl Iterator<Item = (Option<&Workflow>, &Rule)> {
        self.items
            .iter()
            .flat_map(|item| -> Box<dyn Iterator<Item = _>> {
                match item {
                    Item::Rule(r) => Box::new(std::iter::once((None, r))),
                    Item::Workflow(w) => Box::new(w.rules.iter().map(move |r| (Some(w), r))),
                }
            })
    }
}
