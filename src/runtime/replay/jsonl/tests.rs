//! The hand-written writer against `serde_json`: for generated records of
//! every decision and reason, with names holding quotes, control
//! characters and any unicode, optional fields present or not, and names
//! taken ready-quoted from a table or formatted on the spot, the bytes are
//! `serde_json`'s, and `serde_json` reads them back as the same record.

use super::{json_string, push_jsonl, push_jsonl_with};
use crate::runtime::engine::record::{Decision, Name, Reason, Record};
use crate::runtime::replay::differential_config;
use chrono::{DateTime, Utc};
use proptest::prelude::*;
use proptest::test_runner::{TestCaseError, TestRunner};
use serde::Deserialize;

const REASONS: [Reason; 19] = Reason::ALL;

/// A trace line as `serde_json` reads it: every field, none unknown.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Parsed {
    seq: u64,
    at: String,
    decision: Decision,
    contact: Option<String>,
    sequence: Option<String>,
    sender: Option<String>,
    via: Option<String>,
    reason: Option<Reason>,
    rule: Option<String>,
    workflow: Option<String>,
    event: Option<usize>,
    step: Option<u32>,
    until: Option<String>,
}

fn time(text: &str) -> Result<DateTime<Utc>, TestCaseError> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.to_utc())
        .map_err(|e| TestCaseError::fail(format!("`{text}`: {e}")))
}

impl Parsed {
    fn record(self) -> Result<Record, TestCaseError> {
        Ok(Record {
            seq: self.seq,
            at: time(&self.at)?,
            decision: self.decision,
            contact: self.contact,
            sequence: self.sequence,
            sender: self.sender,
            via: self.via,
            reason: self.reason,
            rule: self.rule,
            workflow: self.workflow,
            event: self.event,
            step: self.step,
            until: self.until.as_deref().map(time).transpose()?,
        })
    }
}

/// A name: usually plain, sometimes any text — quotes, backslashes,
/// control characters (those with short escapes and those without),
/// unicode beyond the basic plane.
fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-zA-Z0-9@._: -]{0,24}",
        2 => prop::collection::vec(prop::sample::select(special_chars()), 0..12)
            .prop_map(|c| c.into_iter().collect()),
        1 => any::<String>(),
    ]
}

/// Characters a writer must take care with, and some plain ones.
fn special_chars() -> Vec<char> {
    let mut chars: Vec<char> = (0u8..0x20).map(char::from).collect();
    chars.extend([
        '"', '\\', '/', '\u{7f}', 'a', ' ', 'é', '日', '😀', '\u{2028}', '\u{fffd}',
    ]);
    chars
}

/// A time: often one of a few (consecutive records share their time,
/// and the writer copies the last one it formatted), else any second of
/// the years 0000–9999.
fn at() -> impl Strategy<Value = DateTime<Utc>> {
    let secs = prop_oneof![
        1 => prop::sample::select(vec![0i64, 1_772_409_600, 1_772_409_601, 253_402_300_799]),
        1 => -62_167_219_200i64..253_402_300_800,
    ];
    secs.prop_map(|s| DateTime::from_timestamp(s, 0).unwrap_or_default())
}

prop_compose! {
    fn record()(
        seq in any::<u64>(),
        at in at(),
        decision in prop::sample::select(Decision::ALL.to_vec()),
        reason in prop::option::of(prop::sample::select(REASONS.to_vec())),
        contact in prop::option::of(name()),
        names in prop::array::uniform5(prop::option::of(name())),
        event in prop::option::of(any::<usize>()),
        step in prop::option::of(any::<u32>()),
        until in prop::option::of(at()),
    ) -> Record {
        let [sequence, sender, via, rule, workflow] = names;
        Record { seq, at, decision, contact, sequence, sender, via, reason, rule, workflow, event, step, until }
    }
}

#[test]
fn the_writer_writes_what_serde_json_writes_and_reads() {
    let mut runner = TestRunner::new(differential_config(file!()));
    // Which of the five names come ready-quoted from the writer's table.
    let cases = (record(), prop::array::uniform5(any::<bool>()));
    let result = runner.run(&cases, |(record, from_table)| {
        let expected =
            serde_json::to_string(&record).map_err(|e| TestCaseError::fail(e.to_string()))? + "\n";

        let mut written = Vec::new();
        push_jsonl(&mut written, &record);
        prop_assert_eq!(String::from_utf8_lossy(&written), expected.as_str());

        let r = record.borrowed();
        let names = [r.sequence, r.sender, r.via, r.rule, r.workflow];
        let quoted: Vec<Option<Box<[u8]>>> = names
            .iter()
            .zip(from_table)
            .map(|(n, table)| n.filter(|_| table).map(|n| json_string(Name::as_str(n))))
            .collect();
        let ready: [Option<&[u8]>; 5] =
            std::array::from_fn(|i| quoted.get(i).and_then(|q| q.as_deref()));
        let mut with_table = Vec::new();
        push_jsonl_with(&mut with_table, &r, &ready);
        prop_assert_eq!(String::from_utf8_lossy(&with_table), expected.as_str());

        let parsed: Parsed = serde_json::from_slice(&written)
            .map_err(|e| TestCaseError::fail(format!("{e}: {expected}")))?;
        prop_assert_eq!(parsed.record()?, record);
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

#[test]
fn every_control_character_is_escaped_as_serde_json_escapes_it() {
    // Exhaustive where the generator is only likely: each character below
    // 0x20, and the other characters a JSON string must escape.
    for c in (0u8..0x20)
        .map(char::from)
        .chain(['"', '\\', '\u{7f}', '/'])
    {
        let text = format!("a{c}b");
        let expected = serde_json::to_string(&text).unwrap_or_default();
        assert_eq!(
            String::from_utf8_lossy(&json_string(&text)),
            expected,
            "{c:?}"
        );
    }
}
