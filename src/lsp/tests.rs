use super::document::Document;
use super::features::{anchor, code_heading};
use crate::diagnostic::Code;
use lsp_types::Position;

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
