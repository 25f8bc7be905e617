//! Steps (`docs/semantics.md`, "Steps"): the schedule runs due steps in (due time,
//! scheduling order); an email step sends or is deferred by the sender's
//! rolling window, a task step is created and may pause the enrollment,
//! and after the last step the enrollment finishes. Follow-ups after the
//! first step move off weekends in the account's time zone.

use super::record::{Decision, RecordRef};
use super::schedule::{DAY, shift_off_weekend, to_datetime};
use super::{Cause, Engine};
use crate::account::StepKind;
use crate::runtime::Sink;

impl Engine {
    pub(super) fn run_due(&mut self, until: i64, sink: &mut dyn Sink) {
        let until = until.min(super::schedule::LAST);
        while let Some((due, order, ei)) = self.schedule.queue.pop_due(until) {
            let live = self
                .schedule
                .enrollments
                .get(ei as usize)
                .and_then(Option::as_ref)
                .is_some_and(|e| e.pending == Some((due, order)));
            if !live {
                continue;
            }
            self.schedule.clock = Some(self.schedule.clock.map_or(due, |c| c.max(due)));
            self.run_step(ei, due, sink);
        }
    }

    /// Schedules the step `next_step` of enrollment `ei` at `due`.
    pub(super) fn schedule(&mut self, ei: u32, due: i64) {
        let order = self.schedule.queue.push(due, ei);
        if let Some(Some(e)) = self.schedule.enrollments.get_mut(ei as usize) {
            e.pending = Some((due, order));
        }
    }

    /// Runs the step due now for enrollment `ei`.
    fn run_step(&mut self, ei: u32, t: i64, sink: &mut dyn Sink) {
        let Some(Some(e)) = self.schedule.enrollments.get_mut(ei as usize) else {
            return;
        };
        e.pending = None;
        let (s, u, k) = (e.sequence, e.sender, e.next_step);
        let Some(step) = self
            .schedule
            .sequences
            .get(s as usize)
            .and_then(|seq| seq.steps.get(k))
        else {
            self.finish_enrollment(ei, t, None, sink);
            return;
        };
        let (kind, pause) = (step.kind, step.pause);
        let cause = Cause {
            rule: None,
            event: None,
        };
        let step_no = Some(u32::try_from(k + 1).unwrap_or(u32::MAX));
        match kind {
            StepKind::Email => {
                let Some(user) = self.users.records.get_mut(u as usize) else {
                    return;
                };
                let limit = user.limit;
                if user.window.count_at(t) < limit as usize {
                    user.window.push(t);
                    let mut r = self.step_record(ei, t, Decision::EmailSent, cause);
                    r.step = step_no;
                    self.emit(sink, r);
                    self.advance(ei, t, None, sink);
                } else {
                    let retry = user
                        .window
                        .retry_at(limit, t)
                        .unwrap_or(t.saturating_add(DAY));
                    let mut r = self.step_record(ei, t, Decision::EmailDeferred, cause);
                    r.step = step_no;
                    r.until = Some(to_datetime(retry));
                    self.emit(sink, r);
                    self.schedule(ei, retry);
                }
            }
            StepKind::Task => {
                let mut r = self.step_record(ei, t, Decision::TaskCreated, cause);
                r.step = step_no;
                self.emit(sink, r);
                if pause {
                    if let Some(Some(e)) = self.schedule.enrollments.get_mut(ei as usize) {
                        e.paused = true;
                        e.next_step += 1;
                    }
                } else {
                    self.advance(ei, t, None, sink);
                }
            }
        }
    }

    /// A record about enrollment `ei` (sequence, sender, via filled).
    pub(super) fn step_record<'a>(
        &'a self,
        ei: u32,
        t: i64,
        decision: Decision,
        cause: Cause<'a>,
    ) -> RecordRef<'a> {
        let e = self
            .schedule
            .enrollments
            .get(ei as usize)
            .and_then(Option::as_ref);
        let mut r = self.record(t, decision, e.map_or(u32::MAX, |e| e.contact), cause);
        if let Some(e) = e {
            let [sequence, sender, via] = self.enrollment_names(e);
            (r.sequence, r.sender, r.via) = (Some(sequence), Some(sender), Some(via));
        }
        r
    }

    /// After a step ran (or a paused task completed) at `t`: schedules the
    /// next step or finishes. `event` is the causing event's line, if any.
    pub(super) fn advance(&mut self, ei: u32, t: i64, event: Option<usize>, sink: &mut dyn Sink) {
        let Some(Some(e)) = self.schedule.enrollments.get_mut(ei as usize) else {
            return;
        };
        if !e.paused {
            e.next_step += 1;
        }
        e.paused = false;
        let (s, k) = (e.sequence, e.next_step);
        let tz = self.account.timezone;
        let Some(seq) = self.schedule.sequences.get(s as usize) else {
            return;
        };
        match seq.steps.get(k) {
            None => self.finish_enrollment(ei, t, event, sink),
            Some(step) => {
                let mut due = t.saturating_add(i64::from(step.delay_days).saturating_mul(DAY));
                if seq.weekdays_only {
                    due = shift_off_weekend(due, tz);
                }
                self.schedule(ei, due);
            }
        }
    }

    pub(super) fn finish_enrollment(
        &mut self,
        ei: u32,
        t: i64,
        event: Option<usize>,
        sink: &mut dyn Sink,
    ) {
        let cause = Cause { rule: None, event };
        let r = self.step_record(ei, t, Decision::Finish, cause);
        self.emit(sink, r);
        self.end_enrollment(ei);
    }

    pub(super) fn task_completed(
        &mut self,
        ci: u32,
        t: i64,
        cause: Cause<'_>,
        sink: &mut dyn Sink,
    ) {
        let Some(ei) = self
            .contacts
            .records
            .get(ci as usize)
            .and_then(|c| c.active)
        else {
            return;
        };
        let paused = self
            .schedule
            .enrollments
            .get(ei as usize)
            .and_then(Option::as_ref)
            .is_some_and(|e| e.paused);
        if paused {
            self.advance(ei, t, cause.event, sink);
        }
    }
}
