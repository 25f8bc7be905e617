//! Trace records as an aligned table, for people (`wf run --format table`).

use crate::runtime::engine::record::{Reason, Record, format_at};

/// The column titles of the table.
const COLUMNS: [&str; 13] = [
    "seq", "at", "decision", "contact", "sequence", "sender", "via", "reason", "rule", "workflow",
    "event", "step", "until",
];

fn cells(r: &Record) -> [String; 13] {
    let opt = |s: &Option<String>| s.clone().unwrap_or_else(|| "-".to_owned());
    [
        r.seq.to_string(),
        format_at(&r.at),
        r.decision.as_str().to_owned(),
        opt(&r.contact),
        opt(&r.sequence),
        opt(&r.sender),
        opt(&r.via),
        r.reason.map_or("-", Reason::as_str).to_owned(),
        opt(&r.rule),
        opt(&r.workflow),
        r.event.map_or_else(|| "-".to_owned(), |e| e.to_string()),
        r.step.map_or_else(|| "-".to_owned(), |s| s.to_string()),
        r.until.as_ref().map_or_else(|| "-".to_owned(), format_at),
    ]
}

/// Renders records as an aligned table for people: a header line, then one
/// line per record; `-` where a field does not apply. The `step` and
/// `until` columns appear only when some record has them. No trailing
/// spaces.
pub fn render_table(records: &[Record]) -> String {
    let rows: Vec<[String; 13]> = records.iter().map(cells).collect();
    let show_steps = records.iter().any(|r| r.step.is_some());
    let ncols = if show_steps { 13 } else { 11 };
    let mut widths = [0usize; 13];
    for (w, title) in widths.iter_mut().zip(COLUMNS) {
        *w = title.chars().count();
    }
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row.iter()) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let mut line = |cells: &mut dyn Iterator<Item = &str>| {
        let mut text = String::new();
        for (i, (cell, w)) in cells.zip(widths.iter()).take(ncols).enumerate() {
            if i > 0 {
                text.push_str("  ");
            }
            text.push_str(cell);
            for _ in cell.chars().count()..*w {
                text.push(' ');
            }
        }
        out.push_str(text.trim_end());
        out.push('\n');
    };
    line(&mut COLUMNS.iter().copied());
    for row in &rows {
        line(&mut row.iter().map(String::as_str));
    }
    out
}
