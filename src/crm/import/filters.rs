//! Filters of the flow format as conditions of the language: property
//! filters as comparisons, `in`, `contains` and `is set`, list filters as
//! `contact in list`, and the OR / AND / NOT_ANY / NOT_ALL branch tree as
//! `or`, `and` and `not`. A filter the language cannot say is `Err` with
//! the reason, for a warning; a filter of the wrong shape is a [`Problem`].

use super::Importer;
use crate::account::PropertyType;
use crate::crm::ids::Kind;
use crate::crm::json::{Node, Problem};
use crate::crm::mapping::{self, OWNER_PROPERTY};

/// A condition, printed with the parentheses its place needs.
#[derive(Debug, Clone, PartialEq)]
pub enum Cond {
    /// One test, as written (`contact.tier == "gold"`).
    Test(String),
    /// All of these.
    And(Vec<Cond>),
    /// Any of these.
    Or(Vec<Cond>),
    /// Not this.
    Not(Box<Cond>),
}

impl Cond {
    /// The condition as script text.
    pub fn text(&self) -> String {
        match self {
            Cond::Test(t) => t.clone(),
            Cond::And(items) => join(items, " and ", |c| matches!(c, Cond::Or(_))),
            Cond::Or(items) => join(items, " or ", |c| matches!(c, Cond::Or(_))),
            Cond::Not(inner) => match inner.as_ref() {
                Cond::Test(t) => format!("not {t}"),
                other => format!("not ({})", other.text()),
            },
        }
    }

    /// `a and b`, flattening and leaving out a lone item's wrapper.
    pub fn all(items: Vec<Cond>) -> Option<Cond> {
        let mut flat = Vec::new();
        for c in items {
            match c {
                Cond::And(inner) => flat.extend(inner),
                other => flat.push(other),
            }
        }
        match flat.len() {
            0 => None,
            1 => flat.pop(),
            _ => Some(Cond::And(flat)),
        }
    }

    /// `a or b`, as [`Cond::all`].
    fn any(items: Vec<Cond>) -> Option<Cond> {
        let mut flat = Vec::new();
        for c in items {
            match c {
                Cond::Or(inner) => flat.extend(inner),
                other => flat.push(other),
            }
        }
        match flat.len() {
            0 => None,
            1 => flat.pop(),
            _ => Some(Cond::Or(flat)),
        }
    }
}

/// Joins items, parenthesizing those `paren` picks.
fn join(items: &[Cond], sep: &str, paren: impl Fn(&Cond) -> bool) -> String {
    items
        .iter()
        .map(|c| {
            if paren(c) {
                format!("({})", c.text())
            } else {
                c.text()
            }
        })
        .collect::<Vec<_>>()
        .join(sep)
}

/// A string literal: `"` and `\` escaped, control characters (which no
/// script string may hold) as spaces.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Whether `name` can follow `contact.` in a script.
pub fn is_ident(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A number literal (`-?digits(.digits)?`; Rust prints no exponent).
pub fn number(n: f64) -> String {
    if n == n.trunc() && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// What a filter is, or why it cannot be said.
pub type Said = Result<Cond, String>;

impl Importer<'_> {
    /// A branch tree (`OR` / `AND` / `NOT_ANY` / `NOT_ALL` with filters and
    /// branches) as a condition. With `lenient`, a part that cannot be said
    /// in an AND is left out with a warning instead of failing the whole
    /// tree.
    pub(super) fn tree(&mut self, node: &Node<'_>, lenient: bool) -> Result<Said, Problem> {
        let kind = node.text_field("filterBranchType")?;
        let mut parts = Vec::new();
        for f in node.array_field("filters")? {
            match self.filter(&f)? {
                Ok(c) => parts.push(c),
                Err(why) if lenient && kind == "AND" => self.warn(
                    None,
                    format!(
                        "{why}; the condition leaves it out, so it is wider than the flow's (at `{}`)",
                        f.path
                    ),
                ),
                Err(why) => return Ok(Err(why)),
            }
        }
        for b in node.array_field("filterBranches")? {
            match self.tree(&b, lenient)? {
                Ok(c) => parts.push(c),
                Err(why) => return Ok(Err(why)),
            }
        }
        let cond = match kind.as_str() {
            "AND" => Cond::all(parts),
            "OR" => Cond::any(parts),
            "NOT_ANY" => Cond::any(parts).map(|c| Cond::Not(Box::new(c))),
            "NOT_ALL" => Cond::all(parts).map(|c| Cond::Not(Box::new(c))),
            other => {
                return Ok(Err(format!(
                    "a `{other}` filter branch has no form in a script"
                )));
            }
        };
        Ok(cond.ok_or_else(|| "an empty filter branch".to_owned()))
    }

    /// One filter as a condition.
    pub(super) fn filter(&mut self, f: &Node<'_>) -> Result<Said, Problem> {
        let kind = f.text_field("filterType")?;
        match kind.as_str() {
            "PROPERTY" => {
                let crm = f.text_field("property")?;
                let op = f.req("operation")?;
                self.property_filter(&crm, &op)
            }
            "IN_LIST" => {
                let id = f.text_field("listId")?;
                let list = self.name(Kind::List, &id);
                let test = Cond::Test(format!("contact in list {}", quote(&list)));
                match f.get("operator").map(|o| o.text()).transpose()?.as_deref() {
                    None | Some("IN_LIST") => Ok(Ok(test)),
                    Some("NOT_IN_LIST") => Ok(Ok(Cond::Not(Box::new(test)))),
                    Some(other) => Ok(Err(format!(
                        "list filter operator `{other}` has no form in a script"
                    ))),
                }
            }
            other => Ok(Err(format!("a `{other}` filter has no form in a script"))),
        }
    }

    /// A property filter: the CRM's property name and its `operation`.
    pub(super) fn property_filter(&mut self, crm: &str, op: &Node<'_>) -> Result<Said, Problem> {
        let name = mapping::property_from_crm(crm).to_owned();
        if !is_ident(&name) {
            return Ok(Err(format!(
                "property `{crm}` has no name a script can use"
            )));
        }
        let operator = op.text_field("operator")?;
        let subject = format!("contact.{name}");
        let values = self.literals(crm, op)?;
        let one = |values: &[String]| match values {
            [v] => Some(v.clone()),
            _ => None,
        };
        let list = |values: &[String]| values.join(", ");
        let cmp = |sym: &str, values: &[String]| {
            one(values)
                .map(|v| Cond::Test(format!("{subject} {sym} {v}")))
                .ok_or_else(|| format!("`{operator}` on `{crm}` needs exactly one value"))
        };
        let said = match operator.as_str() {
            "IS_KNOWN" => Ok(Cond::Test(format!("{subject} is set"))),
            "IS_UNKNOWN" | "IS_NOT_KNOWN" => Ok(Cond::Test(format!("{subject} is not set"))),
            "IS_ANY_OF" | "IS_EQUAL_TO" | "IS_EXACTLY" if values.len() > 1 => {
                Ok(Cond::Test(format!("{subject} in [{}]", list(&values))))
            }
            "IS_NONE_OF" | "IS_NOT_EQUAL_TO" if values.len() > 1 => {
                Ok(Cond::Test(format!("{subject} not in [{}]", list(&values))))
            }
            "IS_ANY_OF" | "IS_EQUAL_TO" | "IS_EXACTLY" => cmp("==", &values),
            "IS_NONE_OF" | "IS_NOT_EQUAL_TO" => cmp("!=", &values),
            "IS_GREATER_THAN" => cmp(">", &values),
            "IS_GREATER_THAN_OR_EQUAL_TO" => cmp(">=", &values),
            "IS_LESS_THAN" => cmp("<", &values),
            "IS_LESS_THAN_OR_EQUAL_TO" => cmp("<=", &values),
            "CONTAINS" | "CONTAINS_EXACTLY" | "DOES_NOT_CONTAIN" => {
                let tests: Vec<Cond> = values
                    .iter()
                    .map(|v| Cond::Test(format!("{subject} contains {v}")))
                    .collect();
                match Cond::any(tests) {
                    Some(c) if operator == "DOES_NOT_CONTAIN" => Ok(Cond::Not(Box::new(c))),
                    Some(c) => Ok(c),
                    None => Err(format!("`{operator}` on `{crm}` has no value")),
                }
            }
            other => Err(format!(
                "operator `{other}` on `{crm}` has no form in a script"
            )),
        };
        Ok(said)
    }

    /// The values of an operation (`values`, or a single `value`) as
    /// literals typed by the property's schema; owner ids become users.
    pub(super) fn literals(&mut self, crm: &str, op: &Node<'_>) -> Result<Vec<String>, Problem> {
        let mut raw = Vec::new();
        if let Some(vs) = op.get("values") {
            for v in vs.array()? {
                raw.push(v);
            }
        }
        if let Some(v) = op.get("value") {
            raw.push(v);
        }
        let ty = self
            .account
            .property(mapping::property_from_crm(crm))
            .cloned();
        let mut out = Vec::with_capacity(raw.len());
        for v in raw {
            let lit = match (&ty, v.value) {
                (_, serde_json::Value::Bool(b)) => b.to_string(),
                (Some(PropertyType::Bool), _) => v.boolean()?.to_string(),
                (Some(PropertyType::Number), _) | (_, serde_json::Value::Number(_)) => {
                    number(v.number()?)
                }
                _ if crm == OWNER_PROPERTY => {
                    let id = v.text()?;
                    quote(&self.name(Kind::Owner, &id))
                }
                _ => quote(&v.text()?),
            };
            out.push(lit);
        }
        Ok(out)
    }
}
