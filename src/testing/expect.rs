//! Expectations (`[[expect]]`, `[[reject]]`): field values a record must
//! (or must not) have, how they are matched against a trace, and what is
//! shown when one fails: the expectation and the records that came
//! closest (those of the same contact, else of the same decision).

use crate::runtime::engine::record::{Decision, Reason, Record, format_at};
use chrono::{DateTime, Utc};
use std::fmt;

/// A trace field an expectation can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// `at`
    At,
    /// `decision`
    Decision,
    /// `contact`
    Contact,
    /// `sequence`
    Sequence,
    /// `sender`
    Sender,
    /// `via`
    Via,
    /// `reason`
    Reason,
    /// `rule`
    Rule,
    /// `workflow`
    Workflow,
    /// `event`
    Event,
    /// `step`
    Step,
    /// `until`
    Until,
}

impl Field {
    /// The field named `name` in the trace.
    pub fn parse(name: &str) -> Option<Field> {
        Some(match name {
            "at" => Field::At,
            "decision" => Field::Decision,
            "contact" => Field::Contact,
            "sequence" => Field::Sequence,
            "sender" => Field::Sender,
            "via" => Field::Via,
            "reason" => Field::Reason,
            "rule" => Field::Rule,
            "workflow" => Field::Workflow,
            "event" => Field::Event,
            "step" => Field::Step,
            "until" => Field::Until,
            _ => return None,
        })
    }

    /// The field's name in the trace.
    pub fn as_str(self) -> &'static str {
        match self {
            Field::At => "at",
            Field::Decision => "decision",
            Field::Contact => "contact",
            Field::Sequence => "sequence",
            Field::Sender => "sender",
            Field::Via => "via",
            Field::Reason => "reason",
            Field::Rule => "rule",
            Field::Workflow => "workflow",
            Field::Event => "event",
            Field::Step => "step",
            Field::Until => "until",
        }
    }
}

/// The value an expectation wants of a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Want {
    /// A time (`at`, `until`): compared as instants, so any offset works.
    Time(DateTime<Utc>),
    /// A number (`event`, `step`).
    Number(u64),
    Decision(Decision),
    Reason(Reason),
    /// Text (`contact`, `sequence`, `sender`, `via`, `rule`, `workflow`).
    Text(String),
}

impl fmt::Display for Want {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Want::Time(t) => write!(f, "{:?}", format_at(t)),
            Want::Number(n) => write!(f, "{n}"),
            Want::Decision(d) => write!(f, "{:?}", d.as_str()),
            Want::Reason(r) => write!(f, "{:?}", r.as_str()),
            Want::Text(t) => write!(f, "{t:?}"),
        }
    }
}

/// One `[[expect]]` or `[[reject]]` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expectation {
    /// The fields and the values wanted, in file order.
    pub fields: Vec<(Field, Want)>,
    /// `count`: exactly this many records match (`[[expect]]` only).
    pub count: Option<u64>,
    /// The line of the table in the test file.
    pub line: usize,
}

impl fmt::Display for Expectation {
    /// `contact = "c-1", decision = "enroll", count = 1`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts: Vec<String> = self
            .fields
            .iter()
            .map(|(field, want)| format!("{} = {want}", field.as_str()))
            .collect();
        if let Some(n) = self.count {
            parts.push(format!("count = {n}"));
        }
        f.write_str(&parts.join(", "))
    }
}

/// Whether `record`'s `field` has the wanted value.
fn holds(record: &Record, field: Field, want: &Want) -> bool {
    let text =
        |v: &Option<String>| matches!(want, Want::Text(t) if v.as_deref() == Some(t.as_str()));
    match field {
        Field::At => matches!(want, Want::Time(t) if *t == record.at),
        Field::Until => matches!(want, Want::Time(t) if Some(*t) == record.until),
        Field::Decision => matches!(want, Want::Decision(d) if *d == record.decision),
        Field::Reason => matches!(want, Want::Reason(r) if Some(*r) == record.reason),
        Field::Event => {
            matches!(want, Want::Number(n) if record.event.is_some_and(|e| e as u64 == *n))
        }
        Field::Step => {
            matches!(want, Want::Number(n) if record.step.is_some_and(|s| u64::from(s) == *n))
        }
        Field::Contact => text(&record.contact),
        Field::Sequence => text(&record.sequence),
        Field::Sender => text(&record.sender),
        Field::Via => text(&record.via),
        Field::Rule => text(&record.rule),
        Field::Workflow => text(&record.workflow),
    }
}

impl Expectation {
    /// Whether `record` has every field value wanted.
    pub fn matches(&self, record: &Record) -> bool {
        self.fields.iter().all(|(f, w)| holds(record, *f, w))
    }

    /// How many of the wanted field values `record` has.
    fn score(&self, record: &Record) -> usize {
        self.fields
            .iter()
            .filter(|(f, w)| holds(record, *f, w))
            .count()
    }

    /// The value wanted of `field`, if named.
    fn wanted(&self, field: Field) -> Option<&Want> {
        self.fields
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, w)| w)
    }

    /// Why an `[[expect]]` fails on `records`, or `None` when it holds:
    /// the expectation, what was found, and the closest records.
    pub fn check_expect(&self, records: &[Record], file: &str) -> Option<Vec<String>> {
        let found = records.iter().filter(|r| self.matches(r)).count() as u64;
        let ok = match self.count {
            Some(n) => found == n,
            None => found > 0,
        };
        if ok {
            return None;
        }
        let mut lines = vec![format!(
            "expectation failed ({file}:{}): expect {self}",
            self.line
        )];
        if found > 0 {
            lines.push(format!(
                "  {found} record{} match{}:",
                plural(found),
                if found == 1 { "es" } else { "" }
            ));
            lines.extend(
                records
                    .iter()
                    .filter(|r| self.matches(r))
                    .take(5)
                    .map(|r| format!("    {}", row(r))),
            );
            return Some(lines);
        }
        lines.push("  no record matches".to_owned());
        let (scope, near) = self.closest(records);
        if near.is_empty() {
            lines.push(format!("  and there is no record {scope}"));
        } else {
            lines.push(format!("  closest records {scope}:"));
            lines.extend(near.iter().map(|r| format!("    {}", row(r))));
        }
        Some(lines)
    }

    /// Why a `[[reject]]` fails on `records` (some record matches).
    pub fn check_reject(&self, records: &[Record], file: &str) -> Option<Vec<String>> {
        let matching: Vec<&Record> = records.iter().filter(|r| self.matches(r)).collect();
        if matching.is_empty() {
            return None;
        }
        let mut lines = vec![
            format!("rejection failed ({file}:{}): reject {self}", self.line),
            format!(
                "  {} record{} match:",
                matching.len(),
                plural(matching.len() as u64)
            ),
        ];
        lines.extend(matching.iter().take(5).map(|r| format!("    {}", row(r))));
        Some(lines)
    }

    /// The records of the wanted contact (else of the wanted decision,
    /// else all), the three with the most wanted values first, in trace
    /// order on ties; and words naming that scope.
    fn closest<'r>(&self, records: &'r [Record]) -> (String, Vec<&'r Record>) {
        let (scope, pool): (String, Vec<&Record>) =
            if let Some(Want::Text(c)) = self.wanted(Field::Contact) {
                (
                    format!("of contact `{c}`"),
                    records
                        .iter()
                        .filter(|r| r.contact.as_deref() == Some(c))
                        .collect(),
                )
            } else if let Some(Want::Decision(d)) = self.wanted(Field::Decision) {
                (
                    format!("with decision `{}`", d.as_str()),
                    records.iter().filter(|r| r.decision == *d).collect(),
                )
            } else {
                ("in the trace".to_owned(), records.iter().collect())
            };
        let mut scored: Vec<(usize, usize, &Record)> = pool
            .into_iter()
            .enumerate()
            .map(|(i, r)| (self.score(r), i, r))
            .collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        (
            scope,
            scored.into_iter().take(3).map(|(_, _, r)| r).collect(),
        )
    }
}

fn plural(n: u64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// A name with spaces in quotes, so a row's columns stay apart.
pub fn quoted(name: &str) -> String {
    if name.contains(' ') {
        format!("{name:?}")
    } else {
        name.to_owned()
    }
}

/// A record for people: `at decision contact sequence reason rule`, `-`
/// for a field that does not apply.
pub fn row(r: &Record) -> String {
    let opt = |v: Option<&str>| v.unwrap_or("-").to_owned();
    format!(
        "{} {} {} {} {} {}",
        format_at(&r.at),
        r.decision.as_str(),
        opt(r.contact.as_deref()),
        quoted(&opt(r.sequence.as_deref())),
        opt(r.reason.map(Reason::as_str)),
        opt(r.rule.as_deref()),
    )
}
