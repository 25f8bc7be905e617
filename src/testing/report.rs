//! The reports of a suite: for people (one line a test, the details of
//! those that did not pass, a final count), JSON (one object a test) and
//! JUnit XML (for CI servers). All three depend only on the outcomes, in
//! path order: the same suite gives the same bytes.

use super::{Outcome, Snapshot, Status};
use std::fmt::Write as _;

/// The most diff lines shown a test, unless `--verbose`.
pub const DIFF_LINES: usize = 20;

/// `3 passed, 1 failed, 2 pending, 1 error`: the final line. Pending and
/// errors are named only when there are some.
pub fn summary(outcomes: &[Outcome]) -> String {
    let count = |s: Status| outcomes.iter().filter(|o| o.status == s).count();
    let mut line = format!(
        "{} passed, {} failed",
        count(Status::Passed),
        count(Status::Failed)
    );
    let pending = count(Status::Pending);
    if pending > 0 {
        let _ = write!(line, ", {pending} pending");
    }
    let errors = count(Status::Error);
    if errors > 0 {
        let _ = write!(
            line,
            ", {errors} error{}",
            if errors == 1 { "" } else { "s" }
        );
    }
    line
}

/// The report for people.
pub fn human(outcomes: &[Outcome], verbose: bool) -> String {
    let mut out = String::new();
    for o in outcomes {
        let _ = writeln!(out, "{:<7} {}", o.status.word(), o.path.display());
    }
    for o in outcomes.iter().filter(|o| o.status != Status::Passed) {
        let _ = writeln!(out, "\n{}:", o.path.display());
        for line in details(o, verbose) {
            let _ = writeln!(out, "  {line}");
        }
    }
    if !outcomes.is_empty() {
        out.push('\n');
    }
    let _ = writeln!(out, "{}", summary(outcomes));
    out
}

/// The lines that say why a test did not pass.
pub fn details(o: &Outcome, verbose: bool) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(e) = &o.error {
        lines.push(format!("error: {e}"));
    }
    lines.extend(o.failures.iter().cloned());
    let written = o.written.as_ref().map(|p| p.display().to_string());
    match o.snapshot {
        Snapshot::Changed => {
            let snap = super::snapshot::snap_path(&o.path);
            lines.push(match &written {
                Some(w) => format!("snapshot changed: {} (new trace in {w})", snap.display()),
                None => format!("snapshot changed: {}", snap.display()),
            });
            if o.diff.is_empty() {
                lines.push("  the same records, but the bytes differ (order or layout)".to_owned());
            }
        }
        Snapshot::Missing => lines.push(match &written {
            Some(w) => format!("no snapshot yet: the new trace is in {w}; `wf test --accept` or `--review` accepts it"),
            None => "no snapshot yet (none written: `CI` is set or `--no-write` given)".to_owned(),
        }),
        _ => {}
    }
    if matches!(o.snapshot, Snapshot::Changed | Snapshot::Missing) {
        let shown = if verbose {
            o.diff.len()
        } else {
            DIFF_LINES.min(o.diff.len())
        };
        lines.extend(o.diff.iter().take(shown).map(|l| format!("  {l}")));
        if shown < o.diff.len() {
            lines.push(format!(
                "  … {} more line{} (`--verbose` shows them all)",
                o.diff.len() - shown,
                if o.diff.len() - shown == 1 { "" } else { "s" }
            ));
        }
    }
    lines
}

/// One JSON object for a test (the `--format json` line).
pub fn json(o: &Outcome) -> serde_json::Value {
    serde_json::json!({
        "test": o.path.display().to_string(),
        "status": match o.status {
            Status::Passed => "ok",
            Status::Failed => "failed",
            Status::Pending => "pending",
            Status::Error => "error",
        },
        "description": o.description,
        "snapshot": o.snapshot.as_str(),
        "records": o.records.len(),
        "failures": o.failures,
        "diff": o.diff,
        "error": o.error.as_ref().map(ToString::to_string),
        "written": o.written.as_ref().map(|p| p.display().to_string()),
    })
}

/// The suite as JUnit XML: one `testsuite` named `wf test`, one
/// `testcase` a test (`name` the file name without `.test.toml`,
/// `classname` its folder, dotted), a `failure` for a failed or pending
/// test and an `error` for one that could not run, with the details as
/// text.
pub fn junit(outcomes: &[Outcome]) -> String {
    let count = |s: Status| outcomes.iter().filter(|o| o.status == s).count();
    let failures = count(Status::Failed) + count(Status::Pending);
    let errors = count(Status::Error);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let totals = format!(
        "tests=\"{}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"0\"",
        outcomes.len()
    );
    let _ = writeln!(out, "<testsuites name=\"wf test\" {totals}>");
    let _ = writeln!(out, "  <testsuite name=\"wf test\" {totals}>");
    for o in outcomes {
        let file = o.path.display().to_string();
        let name = o
            .path
            .file_name()
            .map(|n| {
                n.to_string_lossy()
                    .trim_end_matches(".test.toml")
                    .to_owned()
            })
            .unwrap_or_default();
        let class = o
            .path
            .parent()
            .map(|p| p.display().to_string().replace(['/', '\\'], "."))
            .filter(|c| !c.is_empty())
            .unwrap_or_else(|| "tests".to_owned());
        let _ = write!(
            out,
            "    <testcase name=\"{}\" classname=\"{}\" file=\"{}\"",
            escape(&name),
            escape(&class),
            escape(&file)
        );
        let (element, message) = match o.status {
            Status::Passed => {
                out.push_str("/>\n");
                continue;
            }
            Status::Failed if o.snapshot == Snapshot::Changed && o.failures.is_empty() => {
                ("failure", "snapshot changed".to_owned())
            }
            Status::Failed => ("failure", o.failures.first().cloned().unwrap_or_default()),
            Status::Pending => ("failure", "no snapshot yet (pending)".to_owned()),
            Status::Error => (
                "error",
                o.error
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
            ),
        };
        let text = details(o, true).join("\n");
        let _ = write!(
            out,
            ">\n      <{element} message=\"{}\" type=\"{}\">{}</{element}>\n    </testcase>\n",
            escape(&message),
            o.status.word().to_lowercase(),
            escape(&text)
        );
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

/// Text as XML text or attribute value: the five special characters as
/// entities, and control characters XML 1.0 cannot hold dropped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' | '\t' => out.push(c),
            c if (c as u32) < 0x20 => {}
            c => out.push(c),
        }
    }
    out
}
