//! Snapshots (`NAME.test.snap`): the trace `wf run` prints for a test's
//! inputs, byte for byte. This module reads them (a line that is not a
//! JSON object is an input error naming the snapshot and the line),
//! compares a new trace with one as a *decision diff*, and writes files.
//!
//! A decision diff lists the records only in the snapshot (`-`) and only
//! in the new trace (`+`), ignoring `seq` (one record more renumbers all
//! the later ones), in order of time and contact, so that a record that
//! changed shows as a `-` line beside its `+` line.

use super::expect::quoted;
use crate::diagnostic::{InputError, Location};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// `NAME.test.toml` → `NAME.test.snap`.
pub fn snap_path(test: &Path) -> PathBuf {
    let name = test
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = name.strip_suffix(".toml").unwrap_or(&name);
    test.with_file_name(format!("{stem}.snap"))
}

/// `NAME.test.toml` → `NAME.test.snap.new`.
pub fn new_path(test: &Path) -> PathBuf {
    let snap = snap_path(test);
    let name = snap
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    snap.with_file_name(format!("{name}.new"))
}

/// One trace line, as a decision diff compares and shows it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Row {
    at: String,
    contact: String,
    /// The line without `seq`: what makes two records the same.
    key: String,
    /// `at decision contact sequence reason rule`.
    shown: String,
}

/// Reads the trace lines of `bytes` (a snapshot, or a new run's trace);
/// `name` names the file in errors.
fn rows(name: &str, bytes: &[u8]) -> Result<Vec<Row>, InputError> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| InputError::new(name, None, "snapshot is not valid UTF-8"))?;
    let mut rows = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let bad = |what: String| {
            InputError::new(
                name,
                Some(Location::Line(i + 1)),
                format!("snapshot is not valid JSON Lines: {what}"),
            )
        };
        let value: serde_json::Value =
            serde_json::from_str(line).map_err(|e| bad(e.to_string()))?;
        let serde_json::Value::Object(mut object) = value else {
            return Err(bad("a line must be a JSON object".to_owned()));
        };
        object.remove("seq");
        let field = |k: &str| match object.get(k) {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(serde_json::Value::Null) | None => "-".to_owned(),
            Some(other) => other.to_string(),
        };
        let shown = format!(
            "{} {} {} {} {} {}",
            field("at"),
            field("decision"),
            field("contact"),
            quoted(&field("sequence")),
            field("reason"),
            field("rule")
        );
        rows.push(Row {
            at: field("at"),
            contact: field("contact"),
            key: serde_json::Value::Object(object).to_string(),
            shown,
        });
    }
    Ok(rows)
}

/// Checks that a snapshot is valid JSON Lines.
pub fn validate(name: &str, bytes: &[u8]) -> Result<(), InputError> {
    rows(name, bytes).map(|_| ())
}

/// The decision diff from `old` (the snapshot, named `name`) to `new`:
/// `- ROW` and `+ ROW` lines ordered by time and contact, removals first.
/// Empty when the records are the same but the bytes differ; the caller
/// says so.
pub fn decision_diff(name: &str, old: &[u8], new: &[u8]) -> Result<Vec<String>, InputError> {
    let old = rows(name, old)?;
    let new = rows("the new trace", new)?;
    let mut counts: BTreeMap<&str, i64> = BTreeMap::new();
    for r in &old {
        *counts.entry(&r.key).or_default() += 1;
    }
    for r in &new {
        *counts.entry(&r.key).or_default() -= 1;
    }
    // Each side keeps its surplus copies of a record, latest first.
    // (row, side: 0 for `-`, 1 for `+`, position in its trace)
    let mut lines: Vec<(&Row, u8, usize)> = Vec::new();
    let mut surplus = counts.clone();
    for (i, r) in old.iter().enumerate().rev() {
        if let Some(n) = surplus.get_mut(r.key.as_str())
            && *n > 0
        {
            *n -= 1;
            lines.push((r, 0, i));
        }
    }
    let mut surplus = counts;
    for (i, r) in new.iter().enumerate().rev() {
        if let Some(n) = surplus.get_mut(r.key.as_str())
            && *n < 0
        {
            *n += 1;
            lines.push((r, 1, i));
        }
    }
    lines.sort_by(|a, b| (&a.0.at, &a.0.contact, a.1, a.2).cmp(&(&b.0.at, &b.0.contact, b.1, b.2)));
    Ok(lines
        .into_iter()
        .map(|(r, side, _)| format!("{} {}", if side == 0 { '-' } else { '+' }, r.shown))
        .collect())
}

/// Every record of a trace as `+` lines (a pending snapshot's diff).
pub fn all_added(new: &[u8]) -> Result<Vec<String>, InputError> {
    decision_diff("", b"", new)
}

/// Removes `path` if it is there.
pub fn remove_file(path: &Path) -> std::io::Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}
