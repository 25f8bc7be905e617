//! A rule that matched: its gates (`docs/semantics.md`, "Gates"), then its actions
//! in order — enroll with the checks in their fixed order, unenroll — and
//! the facts behind each decision when explanations are on.

use super::explain::{ActionOutcome, Evaluation, GateFailure};
use super::names::{Interned, NameId};
use super::record::{Decision, Name, Reason};
use super::rules::{Act, CompiledRule};
use super::schedule::DAY;
use super::{Cause, Engine, Enrollment, idx};
use crate::runtime::Sink;
use crate::value::Value;

/// The resolved sender of an enroll action.
struct Resolved<'a> {
    /// The sender's email (fixed user or the contact's owner), if any.
    email: Option<Name<'a>>,
    /// The sender, if a user.
    user: Option<u32>,
    /// The send-from address: `via`, else the sender's first inbox.
    via: Option<NameId>,
}

impl Engine {
    /// Runs a rule whose triggers and condition matched.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn fire(
        &mut self,
        rule: &CompiledRule,
        ri: u32,
        ci: u32,
        t: i64,
        cause: Cause<'_>,
        mut evaluation: Option<&mut Evaluation>,
        sink: &mut dyn Sink,
    ) {
        let gate = self.gate(rule, ri, ci, evaluation.is_some());
        if let Some((reason, facts)) = gate {
            if let Some(ev) = evaluation.as_deref_mut() {
                ev.gate = Some(GateFailure { reason, facts });
            }
            for act in &rule.actions {
                let s = self.resolve(act, ci);
                let mut r = self.record(t, Decision::Skip, ci, cause);
                r.reason = Some(reason);
                match act {
                    Act::Enroll { sequence, .. } => {
                        r.sequence = Some(sequence.name());
                        r.sender = s.email;
                        r.via = s.via.map(|v| self.name(v));
                    }
                    Act::Unenroll { sequence } => {
                        r.sequence = sequence.as_ref().map(Interned::name);
                    }
                }
                if let Some(ev) = evaluation.as_deref_mut() {
                    ev.actions.push(ActionOutcome {
                        decision: Decision::Skip,
                        reason: Some(reason),
                        sequence: r.sequence.map(|s| s.as_str().to_owned()),
                        facts: String::new(),
                    });
                }
                self.emit(sink, r);
            }
            return;
        }
        if let Some(fired) = self.memory.fired.get_mut(ci as usize) {
            fired.insert(ri);
        }
        let explain = evaluation.is_some();
        for act in &rule.actions {
            let outcome = match act {
                Act::Enroll { .. } => self.enroll(act, ci, t, cause, explain, sink),
                Act::Unenroll { sequence } => {
                    let sequence = sequence.as_ref().map(Interned::name);
                    self.unenroll_action(sequence, ci, t, cause, explain, sink)
                }
            };
            if let (Some(ev), Some(outcome)) = (evaluation.as_deref_mut(), outcome) {
                ev.actions.push(outcome);
            }
        }
    }

    /// The gate that stops the rule for the contact, with its facts.
    fn gate(
        &self,
        rule: &CompiledRule,
        ri: u32,
        ci: u32,
        explain: bool,
    ) -> Option<(Reason, String)> {
        let c = self.contacts.get(ci);
        for (list, name) in &rule.suppress {
            if list.is_some_and(|l| c.lists.binary_search(&l).is_ok()) {
                let facts = if explain {
                    format!("`{}` is in the suppression list {name:?}", c.id.as_str())
                } else {
                    String::new()
                };
                return Some((Reason::Suppressed, facts));
            }
        }
        if !rule.reenroll && self.memory.of(ci).contains(ri) {
            let facts = if explain {
                format!(
                    "the rule already fired for `{}` and its block does not say `reenroll`",
                    c.id.as_str()
                )
            } else {
                String::new()
            };
            return Some((Reason::ReenrollOff, facts));
        }
        None
    }

    fn resolve<'a>(&'a self, act: &'a Act, ci: u32) -> Resolved<'a> {
        let Act::Enroll {
            user, user_ix, via, ..
        } = act
        else {
            return Resolved {
                email: None,
                user: None,
                via: None,
            };
        };
        let (email, user) = match user {
            Some(u) => (Some(u.name()), *user_ix),
            None => {
                let owner = self
                    .contacts
                    .owner_prop
                    .and_then(|p| self.props_of(ci).get(p as usize)?.as_ref())
                    .and_then(Value::as_text);
                match self.user_of(owner).zip(owner) {
                    // The owner is a user: the user's email is the name.
                    Some((u, _)) => (
                        self.users.records.get(u as usize).map(|u| u.email.name()),
                        Some(u),
                    ),
                    None => (owner.map(Name::new), None),
                }
            }
        };
        let via = match via {
            Some(v) => Some(v.id()),
            None => user
                .and_then(|u| self.users.records.get(u as usize)?.inboxes.first())
                .copied(),
        };
        Resolved { email, user, via }
    }

    /// The first failing enroll check, in the order of `docs/semantics.md` ("Enroll"), with its facts
    /// (built only when `explain`).
    #[allow(clippy::too_many_arguments)]
    fn enroll_check(
        &self,
        (sequence, sequence_ix): (&str, Option<u32>),
        s: &Resolved,
        via_given: bool,
        ci: u32,
        t: i64,
        explain: bool,
    ) -> Result<(u32, u32, NameId, usize), (Reason, String)> {
        macro_rules! facts {
            ($($arg:tt)*) => {
                if explain { format!($($arg)*) } else { String::new() }
            };
        }
        let Some(si) = sequence_ix else {
            return Err((
                Reason::SequenceUnknown,
                facts!("the account has no sequence {sequence:?}"),
            ));
        };
        if self
            .schedule
            .sequences
            .get(si as usize)
            .is_some_and(|q| q.deleted)
        {
            return Err((
                Reason::SequenceDeleted,
                facts!("sequence {sequence:?} is deleted"),
            ));
        }
        let cid = if explain {
            self.contact_id(ci).to_owned()
        } else {
            String::new()
        };
        let Some(email) = s.email else {
            return Err((Reason::NoOwner, facts!("`{cid}` has no owner")));
        };
        let Some(ui) = s.user else {
            return Err((
                Reason::SenderUnknown,
                facts!("`{email}` is not a user of the account"),
            ));
        };
        let user = self.users.get(ui);
        if !user.seats.iter().any(|s| s.is_enterprise()) {
            let seats: Vec<String> = if !explain {
                Vec::new()
            } else {
                user.seats
                    .iter()
                    .map(|s| seat_name(*s).to_owned())
                    .collect()
            };
            return Err((
                Reason::SenderNoSeat,
                facts!(
                    "`{email}` holds [{}]; a sender needs sales_enterprise or service_enterprise",
                    seats.join(", ")
                ),
            ));
        }
        let [first_inbox, ..] = user.inboxes.as_slice() else {
            return Err((
                Reason::SenderNoInbox,
                facts!("`{email}` has no connected inbox"),
            ));
        };
        // The rule's `via`, else (as `resolve` found) the first inbox.
        let via = s.via.unwrap_or(*first_inbox);
        if via_given && !user.inboxes.contains(&via) {
            return Err((
                Reason::SendFromNotOwned,
                facts!(
                    "`{}` is not one of the inboxes of `{email}` ({})",
                    self.trace_names.get(via),
                    user.inboxes
                        .iter()
                        .map(|&i| self.trace_names.get(i))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
        let c = self.contacts.get(ci);
        if c.unsubscribed {
            return Err((
                Reason::ContactUnsubscribed,
                facts!("`{cid}` has unsubscribed"),
            ));
        }
        if c.bounced {
            return Err((
                Reason::ContactBounced,
                facts!("an email to `{cid}` has bounced"),
            ));
        }
        if let Some(e) = c
            .active
            .and_then(|e| self.schedule.enrollments.get(e as usize))
            .and_then(Option::as_ref)
        {
            let state = if e.paused { ", paused on a task" } else { "" };
            return Err((
                Reason::AlreadyEnrolled,
                facts!(
                    "`{cid}` is active in {:?} (next step {}{state})",
                    self.seq_name(e.sequence),
                    e.next_step + 1
                ),
            ));
        }
        let sent = user.window.count_at(t);
        let limit = user.limit;
        if sent >= limit as usize {
            return Err((
                Reason::DailySendLimit,
                facts!(
                    "`{email}` sent {sent} sequence emails in the last 24 h; the limit is {limit}"
                ),
            ));
        }
        Ok((si, ui, via, sent))
    }

    fn enroll(
        &mut self,
        act: &Act,
        ci: u32,
        t: i64,
        cause: Cause<'_>,
        explain: bool,
        sink: &mut dyn Sink,
    ) -> Option<ActionOutcome> {
        let Act::Enroll {
            sequence,
            sequence_ix,
            via,
            ..
        } = act
        else {
            return None;
        };
        let s = self.resolve(act, ci);
        let checked =
            self.enroll_check((sequence, *sequence_ix), &s, via.is_some(), ci, t, explain);
        let mut r = self.record(t, Decision::Enroll, ci, cause);
        r.sequence = Some(sequence.name());
        r.sender = s.email;
        r.via = s.via.map(|v| self.name(v));
        match checked {
            Err((reason, facts)) => {
                r.decision = Decision::Skip;
                r.reason = Some(reason);
                self.emit(sink, r);
                explain.then(|| ActionOutcome {
                    decision: Decision::Skip,
                    reason: Some(reason),
                    sequence: Some(sequence.to_string()),
                    facts,
                })
            }
            Ok((si, ui, via, sent)) => {
                let facts = if explain {
                    let limit = self.users.records.get(ui as usize).map_or(0, |u| u.limit);
                    format!(
                        "sent by `{}` via `{}`; {sent} of {limit} emails used in the last 24 h",
                        s.email.as_deref().unwrap_or(""),
                        self.trace_names.get(via)
                    )
                } else {
                    String::new()
                };
                self.emit(sink, r);
                self.start(si, ui, via, ci, t, cause, sink);
                explain.then(|| ActionOutcome {
                    decision: Decision::Enroll,
                    reason: None,
                    sequence: Some(sequence.to_string()),
                    facts,
                })
            }
        }
    }

    /// Creates an enrollment and schedules its first step (not moved off a
    /// weekend); an empty sequence finishes at once.
    #[allow(clippy::too_many_arguments)]
    fn start(
        &mut self,
        si: u32,
        ui: u32,
        via: NameId,
        ci: u32,
        t: i64,
        cause: Cause<'_>,
        sink: &mut dyn Sink,
    ) {
        let ei = idx(self.schedule.enrollments.len());
        self.schedule.enrollments.push(Some(Enrollment {
            contact: ci,
            sequence: si,
            sender: ui,
            via,
            next_step: 0,
            paused: false,
            pending: None,
        }));
        if let Some(c) = self.contacts.records.get_mut(ci as usize) {
            c.active = Some(ei);
        }
        match self
            .schedule
            .sequences
            .get(si as usize)
            .and_then(|s| s.steps.first())
        {
            Some(step) => {
                let due = t.saturating_add(i64::from(step.delay_days).saturating_mul(DAY));
                self.schedule(ei, due);
            }
            None => {
                let finish_cause = Cause {
                    rule: None,
                    event: cause.event,
                };
                let r = self.step_record(ei, t, Decision::Finish, finish_cause);
                self.emit(sink, r);
                self.end_enrollment(ei);
            }
        }
    }

    fn unenroll_action(
        &mut self,
        sequence: Option<Name<'_>>,
        ci: u32,
        t: i64,
        cause: Cause<'_>,
        explain: bool,
        sink: &mut dyn Sink,
    ) -> Option<ActionOutcome> {
        let active = self
            .contacts
            .records
            .get(ci as usize)
            .and_then(|c| c.active)
            .and_then(|e| self.schedule.enrollments.get(e as usize))
            .and_then(Option::as_ref)
            .map(|e| e.sequence);
        let applies = match (active, sequence) {
            (None, _) => false,
            (Some(_), None) => true,
            (Some(a), Some(s)) => self.seq_name(a) == s.as_str(),
        };
        let active = if explain {
            active.map(|a| self.seq_name(a).to_owned())
        } else {
            None
        };
        if applies {
            self.unenroll(ci, t, Reason::Workflow, cause, sink);
            return explain.then(|| ActionOutcome {
                decision: Decision::Unenroll,
                reason: Some(Reason::Workflow),
                sequence: active.clone(),
                facts: format!("was active in {:?}", active.unwrap_or_default()),
            });
        }
        let mut r = self.record(t, Decision::Skip, ci, cause);
        r.sequence = sequence;
        r.reason = Some(Reason::NotEnrolled);
        self.emit(sink, r);
        explain.then(|| ActionOutcome {
            decision: Decision::Skip,
            reason: Some(Reason::NotEnrolled),
            sequence: sequence.map(|s| s.as_str().to_owned()),
            facts: match active {
                None => "no active enrollment".to_owned(),
                Some(a) => format!(
                    "active in {a:?}, not {:?}",
                    sequence.as_deref().unwrap_or_default()
                ),
            },
        })
    }
}

fn seat_name(seat: crate::account::Seat) -> &'static str {
    use crate::account::Seat;
    match seat {
        Seat::SalesEnterprise => "sales_enterprise",
        Seat::ServiceEnterprise => "service_enterprise",
        Seat::SalesProfessional => "sales_professional",
        Seat::ServiceProfessional => "service_professional",
        Seat::Core => "core",
    }
}
