//! Diagnostics: the checker's findings for a document, as `wf check`
//! reports them, and the `publishDiagnostics` notification written as JSON
//! straight from them.
//!
//! A warning grouped over several places gives one protocol diagnostic per
//! place; its message (with the help on a last `help:` line) and the link
//! to its code's explanation are made once and borrowed by every place.
//! Nothing else travels with a diagnostic: quick fixes read the help from
//! the message, hover finds the code among the findings the document
//! keeps.

use super::document::{Document, Parsed};
use super::workspace::{Knowledge, path_uri};
use crate::diagnostic::{Code, Diagnostic as Finding, Severity};
use crate::source::FileId;
use lsp_types::{DiagnosticSeverity, Range};
use serde::ser::{Serialize, SerializeSeq, Serializer};
use serde_json::value::{RawValue, to_raw_value};
use std::collections::BTreeMap;

/// The line of a protocol diagnostic's message that carries the help.
pub const HELP: &str = "\nhelp: ";

/// The checker's findings for a document: a syntax error alone, else every
/// check against the account (only the syntax when account features are
/// off). The document keeps its program, so that the next check parses
/// only what changed.
pub fn check(doc: &mut Document, knowledge: &Knowledge) -> Vec<Finding> {
    let file = FileId::default();
    let parsed = match doc.parsed.take() {
        Some(Parsed {
            program,
            since: None,
        }) => Ok(program),
        Some(Parsed {
            program,
            since: Some(edit),
        }) => crate::syntax::reparse(file, &doc.text, program, &edit),
        None => crate::syntax::parse(file, &doc.text),
    };
    match parsed {
        Err(d) => vec![d],
        Ok(program) => {
            let programs = [(file, program)];
            let found = match knowledge.account() {
                Some(account) => crate::check::check(&programs, account),
                None => Vec::new(),
            };
            let [(_, program)] = programs;
            doc.parsed = Some(Parsed {
                program,
                since: None,
            });
            found
        }
    }
}

/// The `publishDiagnostics` notification of `found` in `doc`, serialized.
/// The parts all places of a finding share are written as JSON once.
pub fn notification(uri: &str, doc: &Document, found: &[Finding]) -> serde_json::Result<Vec<u8>> {
    let mut links = BTreeMap::new();
    for finding in found {
        if let std::collections::btree_map::Entry::Vacant(e) = links.entry(finding.code) {
            let link = code_page(finding.code)
                .map(|href| to_raw_value(&Href { href: &href }))
                .transpose()?;
            e.insert(link);
        }
    }
    let prepared = found
        .iter()
        .map(|finding| {
            Ok(Prepared {
                finding,
                message: to_raw_value(&message(finding))?,
                link: links.get(&finding.code).and_then(Option::as_deref),
            })
        })
        .collect::<serde_json::Result<Vec<_>>>()?;
    let note = Note {
        jsonrpc: "2.0",
        method: "textDocument/publishDiagnostics",
        params: Params {
            uri,
            diagnostics: Places {
                doc,
                found: &prepared,
            },
        },
    };
    let mut body = Vec::with_capacity(256 * found.len() + 128);
    serde_json::to_writer(&mut body, &note)?;
    Ok(body)
}

/// The places of a finding: where it was found, then the other places of
/// a grouped warning.
pub fn places(finding: &Finding) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    std::iter::once(finding.span.range()).chain(finding.also.iter().map(|p| p.span.range()))
}

/// A protocol diagnostic's message: the finding's, and its help on a last
/// line.
fn message(finding: &Finding) -> String {
    match &finding.help {
        Some(help) => format!("{}{HELP}{help}", finding.message),
        None => finding.message.clone(),
    }
}

/// A finding with what every one of its places shares, as JSON.
struct Prepared<'a> {
    finding: &'a Finding,
    message: Box<RawValue>,
    link: Option<&'a RawValue>,
}

#[derive(serde::Serialize)]
struct Note<'a> {
    jsonrpc: &'static str,
    method: &'static str,
    params: Params<'a>,
}

#[derive(serde::Serialize)]
struct Params<'a> {
    uri: &'a str,
    diagnostics: Places<'a>,
}

/// Every place of every finding, one protocol diagnostic each.
struct Places<'a> {
    doc: &'a Document,
    found: &'a [Prepared<'a>],
}

impl Serialize for Places<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let count = self.found.iter().map(|p| 1 + p.finding.also.len()).sum();
        let mut seq = serializer.serialize_seq(Some(count))?;
        for p in self.found {
            let severity = match p.finding.severity {
                Severity::Error => DiagnosticSeverity::ERROR,
                Severity::Warning => DiagnosticSeverity::WARNING,
            };
            for span in places(p.finding) {
                seq.serialize_element(&Protocol {
                    range: self.doc.range(span),
                    severity,
                    code: p.finding.code.as_str(),
                    code_description: p.link,
                    source: "wf",
                    message: &p.message,
                })?;
            }
        }
        seq.end()
    }
}

/// One protocol diagnostic, its fields borrowed.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct Protocol<'a> {
    range: Range,
    severity: DiagnosticSeverity,
    code: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    code_description: Option<&'a RawValue>,
    source: &'static str,
    message: &'a RawValue,
}

#[derive(serde::Serialize)]
struct Href<'a> {
    href: &'a str,
}

/// The explanation of a code in `docs/diagnostics.md` of the sources this
/// server was built from, when that file is there: its heading's anchor as
/// Markdown viewers name it. Hover over a diagnostic gives the same text
/// without the file.
fn code_page(code: Code) -> Option<String> {
    static PAGE: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    let page = PAGE.get_or_init(|| {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/diagnostics.md");
        path.is_file().then(|| path_uri(&path))
    });
    let uri = format!("{}#{}", page.as_ref()?, anchor(&code_heading(code)));
    uri.parse::<lsp_types::Uri>().is_ok().then_some(uri)
}

/// A code's heading in `docs/diagnostics.md`: `E0101 — unknown sequence (error)`.
pub(super) fn code_heading(code: Code) -> String {
    format!("{code} — {} ({})", code.summary(), code.severity().as_str())
}

/// A heading's anchor as Markdown viewers make it: lowercase, spaces to
/// hyphens, punctuation dropped.
pub(super) fn anchor(heading: &str) -> String {
    heading
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .flat_map(char::to_lowercase)
        .collect()
}
