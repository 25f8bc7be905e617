//! Trace records (`docs/trace.md`): what the engine decided, as the
//! engine lends it ([`RecordRef`]) and as a caller keeps it ([`Record`]).
//! Their renderings — JSON Lines and a table — are the replay's
//! (`runtime::replay::jsonl`, `runtime::replay::table`).
//!
//! A [`Record`] has exactly the eleven fields `docs/trace.md` lists, in
//! that order, plus `step` (step records only) and `until`
//! (`email_deferred` only). Fields that do not apply are `null`, never
//! absent; `step` and `until` are absent from records they do not apply to.

use super::names::NameId;
use chrono::{DateTime, Datelike, Timelike, Utc};
use serde::{Serialize, Serializer};

/// What a record says happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// The contact was enrolled.
    Enroll,
    /// An action was skipped; `reason` says why.
    Skip,
    /// An active enrollment ended early; `reason` says why.
    Unenroll,
    /// An enrollment ran its last step.
    Finish,
    /// A step's email was sent (`--steps`).
    EmailSent,
    /// A step's email waits for the send window (`--steps`, with `until`).
    EmailDeferred,
    /// A step's task was created (`--steps`).
    TaskCreated,
}

impl Decision {
    /// Every decision, in declaration order: `Decision::ALL[d as usize]`
    /// is `d`.
    pub const ALL: [Decision; 7] = [
        Decision::Enroll,
        Decision::Skip,
        Decision::Unenroll,
        Decision::Finish,
        Decision::EmailSent,
        Decision::EmailDeferred,
        Decision::TaskCreated,
    ];

    /// The decision as written in the trace.
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Enroll => "enroll",
            Decision::Skip => "skip",
            Decision::Unenroll => "unenroll",
            Decision::Finish => "finish",
            Decision::EmailSent => "email_sent",
            Decision::EmailDeferred => "email_deferred",
            Decision::TaskCreated => "task_created",
        }
    }

    /// Whether this is a step record (shown only with `--steps`).
    pub fn is_step(self) -> bool {
        matches!(
            self,
            Decision::EmailSent | Decision::EmailDeferred | Decision::TaskCreated
        )
    }
}

/// Why an action was skipped or an enrollment ended (`docs/trace.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// Gate: the contact is in a suppression list of the rule's block.
    Suppressed,
    /// Gate: the rule already fired for the contact and re-enrollment is off.
    ReenrollOff,
    /// The sequence does not exist.
    SequenceUnknown,
    /// The sequence is deleted (skip), or was deleted (unenroll).
    SequenceDeleted,
    /// `from owner` and the contact has no owner.
    NoOwner,
    /// The sender is not a user of the account.
    SenderUnknown,
    /// The sender has no Sales/Service Hub Enterprise seat.
    SenderNoSeat,
    /// The sender has no connected inbox.
    SenderNoInbox,
    /// The `via` address is not one of the sender's inboxes.
    SendFromNotOwned,
    /// The contact has unsubscribed.
    ContactUnsubscribed,
    /// An email to the contact bounced.
    ContactBounced,
    /// The contact is active (running or paused) in a sequence.
    AlreadyEnrolled,
    /// The sender reached their limit in the last 24 hours.
    DailySendLimit,
    /// `unenroll` with no (matching) active enrollment.
    NotEnrolled,
    /// Unenrolled by a rule's `unenroll` action.
    Workflow,
    /// Unenrolled: the contact replied.
    Replied,
    /// Unenrolled: the contact booked a meeting.
    MeetingBooked,
    /// Unenrolled: an email bounced.
    Bounced,
    /// Unenrolled: the contact unsubscribed.
    Unsubscribed,
}

impl Reason {
    /// Every reason, in the trace's order: `Reason::ALL[r as usize]` is `r`.
    pub const ALL: [Reason; 19] = [
        Reason::Suppressed,
        Reason::ReenrollOff,
        Reason::SequenceUnknown,
        Reason::SequenceDeleted,
        Reason::NoOwner,
        Reason::SenderUnknown,
        Reason::SenderNoSeat,
        Reason::SenderNoInbox,
        Reason::SendFromNotOwned,
        Reason::ContactUnsubscribed,
        Reason::ContactBounced,
        Reason::AlreadyEnrolled,
        Reason::DailySendLimit,
        Reason::NotEnrolled,
        Reason::Workflow,
        Reason::Replied,
        Reason::MeetingBooked,
        Reason::Bounced,
        Reason::Unsubscribed,
    ];
}

impl Reason {
    /// The reason as written in the trace.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Suppressed => "suppressed",
            Reason::ReenrollOff => "reenroll_off",
            Reason::SequenceUnknown => "sequence_unknown",
            Reason::SequenceDeleted => "sequence_deleted",
            Reason::NoOwner => "no_owner",
            Reason::SenderUnknown => "sender_unknown",
            Reason::SenderNoSeat => "sender_no_seat",
            Reason::SenderNoInbox => "sender_no_inbox",
            Reason::SendFromNotOwned => "send_from_not_owned",
            Reason::ContactUnsubscribed => "contact_unsubscribed",
            Reason::ContactBounced => "contact_bounced",
            Reason::AlreadyEnrolled => "already_enrolled",
            Reason::DailySendLimit => "daily_send_limit",
            Reason::NotEnrolled => "not_enrolled",
            Reason::Workflow => "workflow",
            Reason::Replied => "replied",
            Reason::MeetingBooked => "meeting_booked",
            Reason::Bounced => "bounced",
            Reason::Unsubscribed => "unsubscribed",
        }
    }
}

/// One line of the trace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Record {
    /// 1-based record number.
    pub seq: u64,
    /// When (UTC, whole seconds).
    #[serde(serialize_with = "serialize_at")]
    pub at: DateTime<Utc>,
    /// What happened.
    pub decision: Decision,
    /// The contact's id.
    pub contact: Option<String>,
    /// The sequence concerned (for a skip, the action's target).
    pub sequence: Option<String>,
    /// The resolved sender's email, where known.
    pub sender: Option<String>,
    /// The resolved send-from address, where known.
    pub via: Option<String>,
    /// Why (skips and unenrollments).
    pub reason: Option<Reason>,
    /// `FILE:LINE` of the rule's `when`, for records caused by a rule.
    pub rule: Option<String>,
    /// The rule's workflow block, if any.
    pub workflow: Option<String>,
    /// The 1-based line of the causing event, `None` for scheduled steps.
    pub event: Option<usize>,
    /// The 1-based step number (step records only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step: Option<u32>,
    /// When a deferred email is retried (`email_deferred` only).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "serialize_until"
    )]
    pub until: Option<DateTime<Utc>>,
}

/// A name a record mentions (a sequence, sender, send-from address, rule
/// or workflow): its text and, when the engine keeps the name in its table
/// of trace names, its index there — which lets a trace writer on another
/// thread take the name by index instead of copying it. Names compare by
/// text.
#[derive(Debug, Clone, Copy)]
pub struct Name<'a> {
    text: &'a str,
    id: Option<NameId>,
}

impl<'a> Name<'a> {
    /// A name that is in no table.
    pub fn new(text: &'a str) -> Name<'a> {
        Name { text, id: None }
    }

    /// Name `id` of the engine's trace names, whose text is `text`.
    pub(crate) fn interned(text: &'a str, id: NameId) -> Name<'a> {
        Name { text, id: Some(id) }
    }

    /// The text.
    pub fn as_str(self) -> &'a str {
        self.text
    }

    /// The index in the engine's trace names, if the name has one.
    pub(crate) fn id(self) -> Option<NameId> {
        self.id
    }
}

impl std::ops::Deref for Name<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        self.text
    }
}

impl std::fmt::Display for Name<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.text)
    }
}

impl PartialEq for Name<'_> {
    fn eq(&self, other: &Name<'_>) -> bool {
        self.text == other.text
    }
}

impl Eq for Name<'_> {}

/// A record borrowed from the engine's state, as sinks receive it: the
/// same fields as [`Record`], without owning its strings (so writing JSON
/// lines allocates nothing). [`RecordRef::to_record`] makes a [`Record`].
///
/// Records the engine makes also carry the contact's index in the engine's
/// table of contacts ([`RecordRef::contact_index`]), so that a sink can
/// keep per-contact data in a plain vector instead of hashing the id; the
/// index is a lookup aid, not part of the record, and equality ignores it.
#[derive(Debug, Clone, Copy)]
pub struct RecordRef<'a> {
    /// 1-based record number.
    pub seq: u64,
    /// When (UTC, whole seconds).
    pub at: DateTime<Utc>,
    /// What happened.
    pub decision: Decision,
    /// The contact's id.
    pub contact: Option<&'a str>,
    /// The sequence concerned.
    pub sequence: Option<Name<'a>>,
    /// The resolved sender's email.
    pub sender: Option<Name<'a>>,
    /// The resolved send-from address.
    pub via: Option<Name<'a>>,
    /// Why.
    pub reason: Option<Reason>,
    /// `FILE:LINE` of the rule.
    pub rule: Option<Name<'a>>,
    /// The rule's workflow block.
    pub workflow: Option<Name<'a>>,
    /// The causing event's line.
    pub event: Option<usize>,
    /// The 1-based step number (step records only).
    pub step: Option<u32>,
    /// When a deferred email is retried.
    pub until: Option<DateTime<Utc>>,
    /// The contact's index in the engine that made the record.
    pub(crate) contact_index: Option<u32>,
}

impl PartialEq for RecordRef<'_> {
    fn eq(&self, other: &RecordRef<'_>) -> bool {
        self.seq == other.seq
            && self.at == other.at
            && self.decision == other.decision
            && self.contact == other.contact
            && self.sequence == other.sequence
            && self.sender == other.sender
            && self.via == other.via
            && self.reason == other.reason
            && self.rule == other.rule
            && self.workflow == other.workflow
            && self.event == other.event
            && self.step == other.step
            && self.until == other.until
    }
}

impl Eq for RecordRef<'_> {}

impl RecordRef<'_> {
    /// The contact's index in the engine's table of contacts: the same
    /// index for the same contact as long as the engine lives. `None` for
    /// records not made by an engine (read back, rebuilt).
    pub(crate) fn contact_index(&self) -> Option<u32> {
        self.contact_index
    }

    /// The owned record.
    pub fn to_record(&self) -> Record {
        let own = |s: Option<Name<'_>>| s.map(|n| n.as_str().to_owned());
        Record {
            seq: self.seq,
            at: self.at,
            decision: self.decision,
            contact: self.contact.map(str::to_owned),
            sequence: own(self.sequence),
            sender: own(self.sender),
            via: own(self.via),
            reason: self.reason,
            rule: own(self.rule),
            workflow: own(self.workflow),
            event: self.event,
            step: self.step,
            until: self.until,
        }
    }
}

impl Record {
    /// The record as a [`RecordRef`].
    pub fn borrowed(&self) -> RecordRef<'_> {
        RecordRef {
            seq: self.seq,
            at: self.at,
            decision: self.decision,
            contact: self.contact.as_deref(),
            sequence: self.sequence.as_deref().map(Name::new),
            sender: self.sender.as_deref().map(Name::new),
            via: self.via.as_deref().map(Name::new),
            reason: self.reason,
            rule: self.rule.as_deref().map(Name::new),
            workflow: self.workflow.as_deref().map(Name::new),
            event: self.event,
            step: self.step,
            until: self.until,
            contact_index: None,
        }
    }
}

fn serialize_at<S: Serializer>(at: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&format_at(at))
}

fn serialize_until<S: Serializer>(at: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
    match at {
        Some(at) => s.serialize_str(&format_at(at)),
        None => s.serialize_none(),
    }
}

/// `2026-03-02T08:15:00Z`: UTC, seconds precision (fractions truncated).
pub fn format_at(at: &DateTime<Utc>) -> String {
    let mut out = Vec::with_capacity(20);
    format_at_into(&mut out, at);
    String::from_utf8_lossy(&out).into_owned()
}

pub(crate) fn format_at_into(out: &mut Vec<u8>, at: &DateTime<Utc>) {
    let year = at.year();
    if (0..=9999).contains(&year) {
        push_num(out, year.unsigned_abs(), 4);
    } else {
        out.extend_from_slice(format!("{year:+}").as_bytes());
    }
    out.push(b'-');
    push_num(out, at.month(), 2);
    out.push(b'-');
    push_num(out, at.day(), 2);
    out.push(b'T');
    push_num(out, at.hour(), 2);
    out.push(b':');
    push_num(out, at.minute(), 2);
    out.push(b':');
    push_num(out, at.second(), 2);
    out.push(b'Z');
}

fn push_num(out: &mut Vec<u8>, n: u32, width: usize) {
    let mut digits = [b'0'; 10];
    let mut n = n;
    let mut len = 0;
    while n > 0 || len == 0 {
        if let Some(d) = digits.get_mut(len) {
            *d = b'0' + (n % 10) as u8;
        }
        n /= 10;
        len += 1;
    }
    for _ in len..width {
        out.push(b'0');
    }
    for i in (0..len).rev() {
        out.push(digits.get(i).copied().unwrap_or(b'0'));
    }
}
