//! The server's pieces without a client: links to the code explanations,
//! positions, and the diagnostics notification as written.

use super::diagnostics::{anchor, code_heading, notification};
use super::document::Document;
use crate::diagnostic::Code;
use crate::source::FileId;
use lsp_types::{DiagnosticSeverity, Position, PublishDiagnosticsParams, Range};

#[test]
fn every_code_links_to_its_heading_in_the_diagnostics_page() {
    let page = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/diagnostics.md"),
    )
    .unwrap_or_default();
    for &code in Code::ALL {
        let heading = code_heading(code);
        assert!(
            page.lines().any(|l| l == format!("### {heading}")),
            "no heading `{heading}`"
        );
    }
    assert_eq!(
        anchor(&code_heading(Code::E0201)),
        "e0201--unknown-user-in-from-user-error"
    );
}

#[test]
fn positions_count_utf16_units_and_clamp() {
    // `🦀` is 4 bytes and 2 UTF-16 units; `ą` 2 bytes and 1 unit.
    let doc = Document::new("ą🦀x\nab".to_owned());
    assert_eq!(doc.offset(Position::new(0, 3)), 6);
    assert_eq!(doc.position(6), Position::new(0, 3));
    // Inside the surrogate pair: the start of the character.
    assert_eq!(doc.offset(Position::new(0, 2)), 2);
    // Past the end of a line, of the text.
    assert_eq!(doc.offset(Position::new(0, 99)), 7);
    assert_eq!(doc.offset(Position::new(9, 9)), 10);
    assert_eq!(doc.position(99), Position::new(1, 2));
}

#[test]
fn the_written_notification_is_the_protocols_one_diagnostic_per_place() {
    use crate::diagnostic::{Diagnostic, Place};
    use crate::span::Span;
    let doc = Document::new("when x() then y\n# 🦀 z\n".to_owned());
    let file = FileId::default();
    let mut grouped = Diagnostic::new(Code::W0201, file, Span::new(5, 8), "\"quoted\" twice")
        .with_help("did you mean `z`?");
    grouped.also = vec![Place {
        file,
        span: Span::new(23, 24),
    }]
    .into_boxed_slice();
    let found = [
        grouped,
        Diagnostic::new(Code::E0101, file, Span::new(0, 4), "plain"),
    ];
    let body = notification("file:///a.wf", &doc, &found).unwrap();
    let note: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(note["method"], "textDocument/publishDiagnostics");
    let params: PublishDiagnosticsParams =
        serde_json::from_value(note["params"].clone()).unwrap_or_else(|e| panic!("{e}: {note}"));
    assert_eq!(params.uri.as_str(), "file:///a.wf");
    let d = &params.diagnostics;
    assert_eq!(d.len(), 3);
    // Both places of the grouped warning, the second after a 2-unit emoji.
    assert_eq!(
        d[0].range,
        Range::new(Position::new(0, 5), Position::new(0, 8))
    );
    assert_eq!(
        d[1].range,
        Range::new(Position::new(1, 5), Position::new(1, 6))
    );
    assert_eq!(d[1].message, "\"quoted\" twice\nhelp: did you mean `z`?");
    assert_eq!(d[1].message, d[0].message);
    assert_eq!(d[1].code_description, d[0].code_description);
    assert_eq!(d[0].severity, Some(DiagnosticSeverity::WARNING));
    assert_eq!(d[2].severity, Some(DiagnosticSeverity::ERROR));
    assert_eq!(d[2].message, "plain");
    assert_eq!(d[2].source.as_deref(), Some("wf"));
    assert_eq!(
        d[2].code,
        Some(lsp_types::NumberOrString::String("E0101".to_owned()))
    );
    assert!(
        d.iter()
            .all(|d| d.data.is_none() && d.related_information.is_none())
    );
}
