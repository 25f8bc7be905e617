//! Writing trace records as JSON Lines: the same bytes as `serde_json`
//! writes for a [`Record`], without building a JSON value. Consecutive
//! records mostly share their time, so the last time written is kept with
//! its text and copied.

use crate::runtime::engine::record::{Name, Reason, Record, RecordRef, format_at_into};
use chrono::{DateTime, Utc};
use std::io::{self, Write};

/// Length of a formatted time in the years 0000–9999.
const AT_LEN: usize = 20;

thread_local! {
    /// The last time formatted by [`push_at`] (in seconds) and its text:
    /// consecutive records mostly share their time (an event's records, a
    /// batch of due steps), so most records copy 20 bytes instead of
    /// splitting a timestamp into calendar fields.
    static LAST_AT: std::cell::Cell<(i64, [u8; AT_LEN])> =
        const { std::cell::Cell::new((i64::MIN, [0; AT_LEN])) };
}

fn push_at(out: &mut Vec<u8>, at: &DateTime<Utc>) {
    let secs = at.timestamp();
    let (last, text) = LAST_AT.get();
    if last == secs {
        out.extend_from_slice(&text);
        return;
    }
    let start = out.len();
    format_at_into(out, at);
    if let Some(new) = out.get(start..)
        && let Ok(text) = <[u8; AT_LEN]>::try_from(new)
    {
        LAST_AT.set((secs, text));
    }
}

/// Appends a number in decimal without allocating.
fn push_u64(out: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    loop {
        start -= 1;
        if let Some(d) = digits.get_mut(start) {
            *d = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 || start == 0 {
            break;
        }
    }
    out.extend_from_slice(digits.get(start..).unwrap_or_default());
}

/// The index of the first byte of `bytes` that a JSON string cannot hold
/// as is (`"`, `\\` or a control character), if any. Reads eight bytes
/// at a time: most strings have none.
pub(crate) fn first_special(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Nonzero iff some byte of `x` is zero (exact for "some").
    let zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    let mut chunks = bytes.chunks_exact(8);
    let mut base = 0;
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word);
        let hit = zero(x ^ (ONES * u64::from(b'"')))
            | zero(x ^ (ONES * u64::from(b'\\')))
            | (x.wrapping_sub(ONES * 0x20) & !x & HIGH);
        if hit != 0 {
            break;
        }
        base += 8;
    }
    bytes
        .get(base..)?
        .iter()
        .position(|&b| b < 0x20 || b == b'"' || b == b'\\')
        .map(|i| base + i)
}

fn push_str(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    if first_special(s.as_bytes()).is_none() {
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
        return;
    }
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escape: Option<&[u8]> = match b {
            b'"' => Some(b"\\\""),
            b'\\' => Some(b"\\\\"),
            b'\n' => Some(b"\\n"),
            b'\r' => Some(b"\\r"),
            b'\t' => Some(b"\\t"),
            0x08 => Some(b"\\b"),
            0x0c => Some(b"\\f"),
            0..=0x1f => None,
            _ => continue,
        };
        out.extend_from_slice(bytes.get(start..i).unwrap_or_default());
        match escape {
            Some(e) => out.extend_from_slice(e),
            None => out.extend_from_slice(format!("\\u{b:04x}").as_bytes()),
        }
        start = i + 1;
    }
    out.extend_from_slice(bytes.get(start..).unwrap_or_default());
    out.push(b'"');
}

fn push_opt_str(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => push_str(out, s),
        None => out.extend_from_slice(b"null"),
    }
}

/// Appends the record as one JSON line (with its newline) to `out`: the
/// same bytes as `serde_json::to_string(record)` plus `\n`.
pub fn push_jsonl(out: &mut Vec<u8>, r: &Record) {
    push_jsonl_ref(out, &r.borrowed());
}

/// [`push_jsonl`] of a borrowed record.
pub fn push_jsonl_ref(out: &mut Vec<u8>, r: &RecordRef<'_>) {
    push_jsonl_with(out, r, &[None; 5]);
}

/// A string as a JSON string: quoted, escaped as [`push_jsonl`] escapes.
pub(crate) fn json_string(s: &str) -> Box<[u8]> {
    let mut out = Vec::with_capacity(s.len() + 2);
    push_str(&mut out, s);
    out.into_boxed_slice()
}

/// [`push_jsonl_ref`], taking the `sequence`, `sender`, `via`, `rule` and
/// `workflow` fields (in that order) from `json` where it has them, as
/// JSON strings ([`json_string`]) ready to copy.
pub(crate) fn push_jsonl_with(out: &mut Vec<u8>, r: &RecordRef<'_>, json: &[Option<&[u8]>; 5]) {
    let [sequence, sender, via, rule, workflow] = *json;
    let field = |out: &mut Vec<u8>, ready: Option<&[u8]>, name: Option<Name<'_>>| match ready {
        Some(bytes) => out.extend_from_slice(bytes),
        None => push_opt_str(out, name.as_deref()),
    };
    out.extend_from_slice(b"{\"seq\":");
    push_u64(out, r.seq);
    out.extend_from_slice(b",\"at\":\"");
    push_at(out, &r.at);
    out.extend_from_slice(b"\",\"decision\":\"");
    out.extend_from_slice(r.decision.as_str().as_bytes());
    out.extend_from_slice(b"\",\"contact\":");
    push_opt_str(out, r.contact);
    out.extend_from_slice(b",\"sequence\":");
    field(out, sequence, r.sequence);
    out.extend_from_slice(b",\"sender\":");
    field(out, sender, r.sender);
    out.extend_from_slice(b",\"via\":");
    field(out, via, r.via);
    out.extend_from_slice(b",\"reason\":");
    push_opt_str(out, r.reason.map(Reason::as_str));
    out.extend_from_slice(b",\"rule\":");
    field(out, rule, r.rule);
    out.extend_from_slice(b",\"workflow\":");
    field(out, workflow, r.workflow);
    out.extend_from_slice(b",\"event\":");
    match r.event {
        Some(line) => push_u64(out, line as u64),
        None => out.extend_from_slice(b"null"),
    }
    if let Some(step) = r.step {
        out.extend_from_slice(b",\"step\":");
        push_u64(out, u64::from(step));
    }
    if let Some(until) = &r.until {
        out.extend_from_slice(b",\"until\":\"");
        push_at(out, until);
        out.push(b'"');
    }
    out.extend_from_slice(b"}\n");
}

/// Writes the record as one JSON line.
pub fn write_jsonl(w: &mut dyn Write, r: &Record) -> io::Result<()> {
    let mut out = Vec::with_capacity(256);
    push_jsonl(&mut out, r);
    w.write_all(&out)
}

#[cfg(test)]
mod tests;
