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

/// A contact's records as one side keeps them (after grouping).
fn records_of(c: &Collected, contact: &str) -> Vec<Record> {
    c.rows_of(contact)
        .iter()
        .map(|r| c.record_ref(r).to_record())
        .collect()
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
    let seqs = |id: &str| records_of(&c, id).iter().map(|r| r.seq).collect::<Vec<_>>();
    assert_eq!(seqs("c-1"), [2, 4]);
    assert_eq!(seqs("c-2"), [1, 3]);
    assert_eq!(records_of(&c, "c-2")[1], records[2]);
    assert!(records_of(&c, "c-3").is_empty());
}

#[test]
fn rule_seq_and_event_are_not_compared_the_rest_is() {
    let old = collect(&[record(1, "c-1", "a.wf:1", None)]);
    let mut moved = record(7, "c-1", "b.wf:9", None);
    moved.at = record(1, "c-1", "", None).at;
    moved.workflow = Some("W".to_owned());
    let new = collect(&[moved.clone()]);
    let first = |c: &Collected| *c.rows_of("c-1").iter().next().unwrap();
    let (a, b) = (first(&old), first(&new));
    assert!(old.same(&a, &new, &b));
    let mut other = moved;
    other.reason = Some(Reason::NoOwner);
    let new = collect(&[other]);
    assert!(!old.same(&a, &new, &first(&new)));
}

#[test]
fn a_row_gives_back_every_field_of_its_record() {
    let mut step = record(3, "c-1", "a.wf:1", None);
    step.decision = Decision::EmailDeferred;
    step.step = Some(2);
    step.until = Some(super::collect::time(1_772_500_000));
    step.event = None;
    step.rule = None;
    step.workflow = Some("W".to_owned());
    step.sender = Some("ana@acme.test".to_owned());
    step.via = Some("sales@acme.test".to_owned());
    let plain = record(4, "c-1", "a.wf:2", Some(Reason::NoOwner));
    let c = collect(&[step.clone(), plain.clone()]);
    assert_eq!(records_of(&c, "c-1"), [step.clone(), plain]);
    let first = c.rows_of("c-1").iter().next().copied().unwrap();
    assert_eq!(c.record_ref(&first), step.borrowed());
    assert_eq!(std::mem::size_of::<super::collect::Row>(), 64);
}

#[test]
fn a_contact_is_found_by_its_engine_index_or_else_by_its_id() {
    let records = [
        record(1, "c-1", "a.wf:1", None),
        record(2, "c-2", "a.wf:1", None),
        record(3, "c-1", "a.wf:2", None),
    ];
    let mut c = Collected::default();
    for (r, index) in records.iter().zip([0, 1, 0]) {
        let mut borrowed = r.borrowed();
        borrowed.contact_index = Some(index);
        Sink::record(&mut c, &borrowed);
    }
    c.group();
    let seqs =
        |rows: super::collect::ContactRows<'_>| rows.iter().map(|r| r.seq).collect::<Vec<_>>();
    assert_eq!(seqs(c.rows_of_contact(0, "c-1")), [1, 3]);
    assert_eq!(seqs(c.rows_of_contact(1, "c-2")), [2]);
    // Another engine's index: the id decides.
    assert_eq!(seqs(c.rows_of_contact(1, "c-1")), [1, 3]);
    assert_eq!(seqs(c.rows_of_contact(7, "c-2")), [2]);
    assert!(c.rows_of_contact(0, "c-3").is_empty());
}

#[test]
fn grouping_again_takes_in_records_that_came_since() {
    let mut c = collect(&[record(1, "c-1", "a.wf:1", None)]);
    c.group();
    Sink::record(&mut c, &record(2, "c-1", "a.wf:1", None).borrowed());
    c.group();
    let seqs: Vec<u64> = c.rows_of("c-1").iter().map(|r| r.seq).collect();
    assert_eq!(seqs, [1, 2]);
}
