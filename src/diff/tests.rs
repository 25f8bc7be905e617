//! Tests of the compact records: grouping keeps each contact's records in
//! the order made, and comparison ignores `seq`, `rule`, `workflow` and
//! `event` but nothing else.

use super::collect::Collected;
use crate::runtime::{Decision, Reason, Record, Sink};

fn record(seq: u64, contact: &str, rule: &str, reason: Option<Reason>) -> Record {
    Record {
        seq,
        at: super::collect::time(1_772_409_600 + seq as i64),
        decision: Decision::Skip,
        contact: Some(contact.to_owned()),
        sequence: Some("Booking".to_owned()),
        sender: None,
        via: None,
        reason,
        rule: Some(rule.to_owned()),
        workflow: None,
        event: Some(seq as usize),
        step: None,
        until: None,
    }
}

fn collect(records: &[Record]) -> Collected {
    let mut c = Collected::default();
    for r in records {
        Sink::record(&mut c, &r.borrowed());
    }
    c.group();
    c
}

#[test]
fn grouping_keeps_each_contacts_records_in_order() {
    let records = [
        record(1, "c-2", "a.wf:1", None),
        record(2, "c-1", "a.wf:1", None),
        record(3, "c-2", "a.wf:2", Some(Reason::NoOwner)),
        record(4, "c-1", "a.wf:3", None),
    ];
    let c = collect(&records);
    let seqs = |id: &str| c.records_of(id).iter().map(|r| r.seq).collect::<Vec<_>>();
    assert_eq!(seqs("c-1"), [2, 4]);
    assert_eq!(seqs("c-2"), [1, 3]);
    assert_eq!(c.records_of("c-2")[1], records[2]);
    assert!(c.records_of("c-3").is_empty());
}

#[test]
fn rule_seq_and_event_are_not_compared_the_rest_is() {
    let old = collect(&[record(1, "c-1", "a.wf:1", None)]);
    let mut moved = record(7, "c-1", "b.wf:9", None);
    moved.at = record(1, "c-1", "", None).at;
    moved.workflow = Some("W".to_owned());
    let new = collect(&[moved.clone()]);
    let (a, b) = (old.rows_of("c-1")[0], new.rows_of("c-1")[0]);
    assert!(old.same(&a, &new, &b));
    let mut other = moved;
    other.reason = Some(Reason::NoOwner);
    let new = collect(&[other]);
    assert!(!old.same(&a, &new, &new.rows_of("c-1")[0]));
}
