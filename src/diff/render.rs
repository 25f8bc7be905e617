//! A diff for people (the summary, then contacts side by side) and as
//! JSON lines (one object per differing contact, then the summary).
//!
//! Side by side, a contact's records are aligned by a sequence diff over
//! what is compared (every trace field but `seq`, `rule`, `workflow`,
//! `event`): records both sides share are on one line marked ` `, records
//! of one side only are marked `-` (old) or `+` (new), records that took
//! the place of others are paired and marked `~`. Each record shows its
//! rule's location, which may differ on a line marked ` `.

use super::{ContactId, Impact, Summary};
use crate::runtime::Record;
use crate::runtime::engine::record::format_at;
use crate::runtime::replay::jsonl::{json_string, push_jsonl_ref};
use serde::Serialize;
use similar::{Algorithm, DiffOp, capture_diff_slices};
use std::fmt::Write as _;
use std::io::{self, Write};

/// The summary, then up to `limit` differing contacts side by side.
pub fn table(impact: &Impact, limit: usize) -> String {
    let mut out = summary(impact.summary());
    let shown = impact.differing().iter().take(limit);
    for &contact in shown {
        out.push('\n');
        out.push_str(&contact_table(impact, contact));
    }
    let left = impact.differing().len().saturating_sub(limit);
    if left > 0 {
        let _ = writeln!(
            out,
            "\n… and {left} more differing contact{} (--limit N shows more, --contact ID one in full)",
            plural(left)
        );
    }
    out
}

/// One contact side by side, whether its records differ or not.
pub fn contact_table(impact: &Impact, contact: ContactId) -> String {
    let (old, new) = impact.records(contact);
    let verdict = if impact.differs(contact) {
        "records differ"
    } else {
        "same records on both sides"
    };
    let mut out = format!("contact {}: {verdict}\n", impact.contact_id(contact));
    let rows = aligned(&old, &new);
    let width = rows
        .iter()
        .map(|(_, a, _)| a.chars().count())
        .max()
        .unwrap_or(0)
        .max(3);
    let _ = writeln!(out, "    {:width$}  | new", "old");
    for (mark, a, b) in rows {
        let line = format!("  {mark} {a:width$}  | {b}");
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The summary as text.
pub fn summary(s: &Summary) -> String {
    let mut out = String::new();
    if s.contacts_differing == 0 {
        let _ = writeln!(
            out,
            "no differences ({} contact{} touched)",
            s.contacts_touched,
            plural(s.contacts_touched)
        );
    } else {
        let _ = writeln!(
            out,
            "{} of {} contact{} touched differ",
            s.contacts_differing,
            s.contacts_touched,
            plural(s.contacts_touched)
        );
        for (label, n) in [
            ("newly enrolled", s.newly_enrolled),
            ("no longer enrolled", s.no_longer_enrolled),
            ("other sequence or sender", s.other_sequence_or_sender),
            ("other skip reason", s.other_skip_reason),
            ("other unenroll", s.other_unenroll),
        ] {
            let _ = writeln!(out, "  {label:<26}{n}");
        }
    }
    if !s.sequences.is_empty() {
        out.push('\n');
        let mut rows = vec![cells([
            "sequence",
            "enrolled old",
            "enrolled new",
            "contacts differing",
        ])];
        for (name, c) in &s.sequences {
            rows.push(vec![
                name.clone(),
                c.enrolled_old.to_string(),
                c.enrolled_new.to_string(),
                c.contacts_differing.to_string(),
            ]);
        }
        out.push_str(&columns(&rows));
    }
    if let Some(senders) = &s.senders
        && !senders.is_empty()
    {
        out.push('\n');
        let mut rows = vec![cells([
            "sender",
            "emails old",
            "emails new",
            "limit reached: old only",
            "new only",
        ])];
        for (name, c) in senders {
            rows.push(vec![
                name.clone(),
                c.emails_old.to_string(),
                c.emails_new.to_string(),
                days(&c.limit_days_old_only),
                days(&c.limit_days_new_only),
            ]);
        }
        out.push_str(&columns(&rows));
    }
    out
}

/// One JSON object per differing contact (`contact`, `old`, `new`), then
/// `{"summary": …}`; each a line. Records are written as `wf run` writes
/// them. The lines go to `out` as they are made, in blocks, so the output
/// is never held whole.
pub fn write_json_lines(impact: &Impact, out: &mut dyn Write) -> io::Result<()> {
    const BLOCK: usize = 1 << 16;
    let mut buf = Vec::with_capacity(BLOCK * 2);
    for &contact in impact.differing() {
        push_contact_json(&mut buf, impact, contact);
        buf.push(b'\n');
        if buf.len() >= BLOCK {
            out.write_all(&buf)?;
            buf.clear();
        }
    }
    #[derive(Serialize)]
    struct Final<'a> {
        summary: &'a Summary,
    }
    let summary = Final {
        summary: impact.summary(),
    };
    buf.extend_from_slice(
        serde_json::to_string(&summary)
            .unwrap_or_default()
            .as_bytes(),
    );
    buf.push(b'\n');
    out.write_all(&buf)
}

/// [`write_json_lines`] into a string.
pub fn json_lines(impact: &Impact) -> String {
    let mut out = Vec::new();
    // Writing to a vector cannot fail.
    let _ = write_json_lines(impact, &mut out);
    text(out)
}

/// One contact as a JSON object: `contact`, then its `old` and `new`
/// records.
pub fn contact_json(impact: &Impact, contact: ContactId) -> String {
    let mut out = Vec::new();
    push_contact_json(&mut out, impact, contact);
    text(out)
}

fn push_contact_json(out: &mut Vec<u8>, impact: &Impact, contact: ContactId) {
    let (old, new) = impact.record_refs(contact);
    out.extend_from_slice(b"{\"contact\":");
    out.extend_from_slice(&json_string(impact.contact_id(contact)));
    for (key, records) in [(&b",\"old\":["[..], &old), (&b"],\"new\":["[..], &new)] {
        out.extend_from_slice(key);
        for (i, r) in records.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            push_jsonl_ref(out, r);
            if out.last() == Some(&b'\n') {
                out.pop();
            }
        }
    }
    out.extend_from_slice(b"]}");
}

/// JSON text as a string: it is UTF-8, names and all.
fn text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Pairs the two sides' records for display: (mark, old cell, new cell).
fn aligned(old: &[Record], new: &[Record]) -> Vec<(char, String, String)> {
    let keys = |records: &[Record]| -> Vec<String> { records.iter().map(compared).collect() };
    let (ka, kb) = (keys(old), keys(new));
    let cell = |records: &[Record], i: usize| records.get(i).map(shown).unwrap_or_default();
    let mut rows = Vec::new();
    for op in capture_diff_slices(Algorithm::Myers, &ka, &kb) {
        match op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => {
                for k in 0..len {
                    rows.push((' ', cell(old, old_index + k), cell(new, new_index + k)));
                }
            }
            DiffOp::Delete {
                old_index, old_len, ..
            } => {
                for k in 0..old_len {
                    rows.push(('-', cell(old, old_index + k), String::new()));
                }
            }
            DiffOp::Insert {
                new_index, new_len, ..
            } => {
                for k in 0..new_len {
                    rows.push(('+', String::new(), cell(new, new_index + k)));
                }
            }
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                for k in 0..old_len.max(new_len) {
                    let mark = match (k < old_len, k < new_len) {
                        (true, true) => '~',
                        (true, false) => '-',
                        _ => '+',
                    };
                    let a = if k < old_len {
                        cell(old, old_index + k)
                    } else {
                        String::new()
                    };
                    let b = if k < new_len {
                        cell(new, new_index + k)
                    } else {
                        String::new()
                    };
                    rows.push((mark, a, b));
                }
            }
        }
    }
    rows
}

/// What two records are compared on, as one string.
fn compared(r: &Record) -> String {
    format!(
        "{}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}",
        r.at.timestamp(),
        r.decision,
        r.contact,
        r.sequence,
        r.sender,
        r.via,
        r.reason,
        r.step,
        r.until.map(|u| u.timestamp())
    )
}

/// A record as a cell: time, decision, what applies, then its rule.
fn shown(r: &Record) -> String {
    let mut text = format!("{} {}", format_at(&r.at), r.decision.as_str());
    if let Some(step) = r.step {
        let _ = write!(text, " step {step}");
    }
    for part in [&r.sequence, &r.sender].into_iter().flatten() {
        let _ = write!(text, " {part}");
    }
    if let Some(via) = &r.via
        && r.sender.as_ref() != Some(via)
    {
        let _ = write!(text, " via {via}");
    }
    if let Some(reason) = r.reason {
        let _ = write!(text, " {}", reason.as_str());
    }
    if let Some(until) = &r.until {
        let _ = write!(text, " until {}", format_at(until));
    }
    if let Some(rule) = &r.rule {
        let _ = write!(text, " ({rule})");
    }
    text
}

fn cells<const N: usize>(titles: [&str; N]) -> Vec<String> {
    titles.iter().map(|t| (*t).to_owned()).collect()
}

/// Rows as aligned columns, two spaces apart, no trailing spaces.
fn columns(rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = Vec::new();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            let w = cell.chars().count();
            match widths.get_mut(i) {
                Some(width) => *width = (*width).max(w),
                None => widths.push(w),
            }
        }
    }
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (cell, width) in row.iter().zip(&widths) {
            let _ = write!(line, "{cell:width$}  ");
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn days(days: &[String]) -> String {
    if days.is_empty() {
        "-".to_owned()
    } else {
        days.join(", ")
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
