//! The engine: its state and its event and step processing
//! (`docs/semantics.md`).
//!
//! Takes typed events (`event::Event`) and lends out decision records
//! (`record::RecordRef`) to a `Sink`; it reads and writes nothing itself.
//! Its state is four named parts (`state.rs`): the contacts, the users and
//! their send windows, the schedule, and the rules' memory; beside them
//! the compiled rules with their index, and what explanations need.
//! Everything that reaches output is ordered by program order, enrollment
//! order or the queue; hash maps only map names to indices.

mod actions;
pub mod counters;
pub mod event;
pub mod explain;
mod index;
pub(crate) mod names;
pub mod record;
mod rules;
pub mod schedule;
mod state;
mod steps;
pub mod why;

pub use event::{Event, EventKind, EventType};
pub use rules::RuleKey;

use crate::account::{Account, Seat};
use crate::runtime::replay::Problem;
use crate::runtime::replay::events::{self, Known};
use crate::runtime::{ContactView, EnrollmentView, Sink};
use crate::source::{FileId, Sources};
use crate::syntax::Program;
use crate::value::Value;
use chrono::{DateTime, Utc};
use explain::{ConditionOutcome, Evaluation, ExplainMode, MAX_PER_CONTACT};
use index::{Candidate, RuleIndex};
use names::{ContactId, IndexSet, NameId, NameMap, TraceNames};
use record::{Decision, Name, Reason, RecordRef};
use rules::{CompiledRule, Names, Subject};
use schedule::{SendWindow, to_datetime, to_secs};
use smol_str::SmolStr;
use state::{
    ContactState, Contacts, Enrollment, RuleMemory, Schedule, SequenceState, UserState, Users,
};
use std::collections::{BTreeMap, HashSet, VecDeque};
use std::rc::Rc;

/// Why the engine is acting: for the `rule`, `workflow` and `event` fields.
#[derive(Clone, Copy)]
pub(super) struct Cause<'a> {
    pub rule: Option<&'a CompiledRule>,
    pub event: Option<usize>,
}

/// The deterministic runtime. See the module header of `runtime.rs` for the
/// contract.
pub struct Engine {
    pub(super) account: Account,
    pub(super) contacts: Contacts,
    pub(super) users: Users,
    pub(super) schedule: Schedule,
    pub(super) memory: RuleMemory,
    pub(super) rules: Rc<Vec<CompiledRule>>,
    pub(super) index: RuleIndex,
    pub(super) seq: std::cell::Cell<u64>,
    pub(super) steps: bool,
    pub(super) explain_all: bool,
    pub(super) explain_for: HashSet<String>,
    pub(super) evaluations: NameMap<u32, VecDeque<Evaluation>>,
    pub(super) candidates: Vec<Candidate>,
    /// Rule counters, when counting (`super::counters`).
    pub(super) counters: Option<Box<counters::Tally>>,
    /// Every name records mention other than contact ids, by index:
    /// records carry the index along with the text (see [`Name`]).
    pub(super) trace_names: TraceNames,
    /// The contact the last `check_event` found, so that processing the
    /// same event does not look it up again (verified by id before use).
    pub(super) checked: std::cell::Cell<Option<u32>>,
}

impl Engine {
    /// An engine for `account` running the rules of `programs` (in
    /// command-line order); `sources` names the files for `FILE:LINE`.
    pub fn new(account: &Account, sources: &Sources, programs: &[(FileId, Program)]) -> Engine {
        let property_names: Vec<String> = account.properties.keys().cloned().collect();
        let property_index: NameMap<String, u32> = property_names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.clone(), idx(i)))
            .collect();
        let list_names: Vec<String> = account.lists.iter().map(|l| l.name.clone()).collect();
        let list_index: NameMap<String, u32> = list_names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.clone(), idx(i)))
            .collect();
        let mut trace_names = TraceNames::default();
        let users: Vec<UserState> = account
            .users
            .iter()
            .map(|u| UserState {
                email: trace_names.interned(&u.email),
                seats: u.seats.clone(),
                inboxes: u.inboxes.iter().map(|i| trace_names.intern(i)).collect(),
                limit: u.daily_send_limit,
                window: SendWindow::default(),
            })
            .collect();
        let user_index = users
            .iter()
            .enumerate()
            .map(|(i, u)| (u.email.to_string(), idx(i)))
            .collect();
        let sequences: Vec<SequenceState> = account
            .sequences
            .iter()
            .map(|s| SequenceState {
                name: trace_names.interned(&s.name),
                deleted: s.deleted,
                weekdays_only: s.weekdays_only,
                steps: s.steps.clone(),
            })
            .collect();
        let sequence_index = sequences
            .iter()
            .enumerate()
            .map(|(i, s)| (s.name.to_string(), idx(i)))
            .collect();
        let mut engine = Engine {
            // Validation needs the schema, lists, sequences and users, not
            // the contacts (which the engine keeps itself).
            account: Account {
                timezone: account.timezone,
                users: account.users.clone(),
                sequences: account.sequences.clone(),
                properties: account.properties.clone(),
                lists: account.lists.clone(),
                contacts: Vec::new(),
                forms: Vec::new(),
            },
            contacts: Contacts {
                owner_prop: property_index.get("owner").copied(),
                email_prop: property_index.get("email").copied(),
                property_index,
                property_names,
                list_index,
                list_names,
                ..Contacts::default()
            },
            users: Users {
                records: users,
                by_email: user_index,
            },
            schedule: Schedule {
                sequences,
                sequence_index,
                ..Schedule::default()
            },
            memory: RuleMemory::default(),
            rules: Rc::new(Vec::new()),
            index: RuleIndex::default(),
            seq: std::cell::Cell::new(0),
            steps: false,
            explain_all: false,
            explain_for: HashSet::new(),
            evaluations: NameMap::default(),
            candidates: Vec::new(),
            counters: None,
            trace_names,
            checked: std::cell::Cell::new(None),
        };
        engine.contacts.records.reserve(account.contacts.len());
        engine.memory.fired.reserve(account.contacts.len());
        engine
            .contacts
            .props
            .reserve(account.contacts.len() * engine.contacts.property_names.len());
        engine.contacts.by_id.reserve(account.contacts.len());
        for c in &account.contacts {
            engine.create_contact(&c.id, c.email.as_deref(), c.owner.as_deref(), &c.properties);
            if let Some(ci) = engine.contacts.by_id.get(&c.id)
                && let Some(cs) = engine.contacts.records.get_mut(ci as usize)
            {
                cs.unsubscribed = c.unsubscribed;
                cs.bounced = c.bounced;
            }
        }
        for (li, list) in account.lists.iter().enumerate() {
            for m in &list.members {
                if let Some(ci) = engine.contacts.by_id.get(m)
                    && let Some(cs) = engine.contacts.records.get_mut(ci as usize)
                {
                    add_sorted(&mut cs.lists, idx(li));
                }
            }
        }
        engine.set_rules(sources, programs);
        engine
    }

    /// Replaces the rule set. State is kept: contacts, enrollments, the
    /// queue, send windows, and for every rule whose [`RuleKey`] is in both
    /// sets, the contacts it has fired for.
    pub fn set_rules(&mut self, sources: &Sources, programs: &[(FileId, Program)]) {
        let names = Names {
            properties: &self.contacts.property_index,
            lists: &self.contacts.list_index,
            sequences: &self.schedule.sequence_index,
            users: &self.users.by_email,
        };
        let new_rules = rules::compile(sources, programs, &names, &mut self.trace_names);
        let new_pos: std::collections::HashMap<RuleKey, u32> = new_rules
            .iter()
            .enumerate()
            .map(|(i, r)| (r.key, idx(i)))
            .collect();
        let remap: Vec<Option<u32>> = self
            .rules
            .iter()
            .map(|r| new_pos.get(&r.key).copied())
            .collect();
        for set in &mut self.memory.fired {
            let mut fired: Vec<u32> = set
                .as_slice()
                .iter()
                .filter_map(|&old| remap.get(old as usize).copied().flatten())
                .collect();
            fired.sort_unstable();
            *set = IndexSet::from_sorted(fired);
        }
        if let Some(tally) = &mut self.counters {
            tally.follow(&remap, &new_rules);
        }
        self.index = RuleIndex::new(&new_rules);
        self.rules = Rc::new(new_rules);
    }

    /// The stable keys of the current rules, in program order.
    pub fn rule_keys(&self) -> Vec<RuleKey> {
        self.rules.iter().map(|r| r.key).collect()
    }

    /// Turns step records (`email_sent`, `email_deferred`, `task_created`)
    /// on or off; off by default (`wf run --steps`).
    pub fn set_steps(&mut self, on: bool) {
        self.steps = on;
    }

    /// Chooses which contacts [`Evaluation`]s are recorded for.
    pub fn set_explain(&mut self, mode: ExplainMode) {
        self.explain_all = mode == ExplainMode::All;
        self.explain_for = match mode {
            ExplainMode::Contacts(ids) => ids.into_iter().collect(),
            _ => HashSet::new(),
        };
    }

    /// The evaluations recorded for a contact, oldest first (at most
    /// [`MAX_PER_CONTACT`]).
    pub fn evaluations(&self, contact: &str) -> Vec<&Evaluation> {
        self.contacts
            .by_id
            .get(contact)
            .and_then(|c| self.evaluations.get(&c))
            .map_or_else(Vec::new, |q| q.iter().collect())
    }

    /// The clock: the time of the last event or step processed, or the time
    /// advanced to; `None` before anything happened.
    pub fn clock(&self) -> Option<DateTime<Utc>> {
        self.schedule.clock.map(to_datetime)
    }

    /// The number of records emitted so far.
    pub fn records_emitted(&self) -> u64 {
        self.seq.get()
    }

    /// Contact ids in creation order (account contacts first).
    pub fn contact_ids(&self) -> impl Iterator<Item = &str> {
        self.contacts.records.iter().map(|c| c.id.as_str())
    }

    /// A read-only view of a contact.
    pub fn contact(&self, id: &str) -> Option<ContactView> {
        let ci = self.contacts.by_id.get(id)?;
        let c = self.contacts.records.get(ci as usize)?;
        let properties = self
            .contacts
            .property_names
            .iter()
            .zip(self.props_of(ci))
            .filter_map(|(n, v)| v.as_ref().map(|v| (n.clone(), v.clone())))
            .collect();
        let lists = c
            .lists
            .iter()
            .filter_map(|&l| self.contacts.list_names.get(l as usize).cloned())
            .collect();
        let enrollment = c
            .active
            .and_then(|e| self.schedule.enrollments.get(e as usize))
            .and_then(Option::as_ref)
            .map(|e| EnrollmentView {
                sequence: self.seq_name(e.sequence).to_owned(),
                sender: self.user_email(e.sender).to_owned(),
                via: self.trace_names.get(e.via).to_owned(),
                step: e.next_step + 1,
                paused: e.paused,
                next_due: e.pending.map(|(due, _)| to_datetime(due)),
            });
        Some(ContactView {
            id: c.id.as_str().to_owned(),
            properties,
            lists,
            unsubscribed: c.unsubscribed,
            bounced: c.bounced,
            enrollment,
        })
    }

    /// Parses one event line for this engine (`:event JSON`): `at` defaults
    /// to the clock; shape, references and order (not before the clock)
    /// are checked against the current state.
    pub fn parse_event(&self, text: &str) -> Result<Event, Problem> {
        let event = events::parse_event(text, self.clock())?;
        self.check_event(&event)?;
        Ok(event)
    }

    /// Checks an event's references against the current state and that it
    /// is not earlier than the clock.
    pub fn check_event(&self, event: &Event) -> Result<(), Problem> {
        if let Some(clock) = self.schedule.clock
            && to_secs(&event.at) < clock
        {
            return Err(Problem::value(
                "at",
                format!(
                    "event at {} is earlier than the clock ({})",
                    record::format_at(&event.at),
                    record::format_at(&to_datetime(clock))
                ),
            ));
        }
        events::check_refs(event, &self.account, self)
    }

    /// The emails contacts were created with, in no particular order.
    pub(crate) fn emails(&self) -> impl Iterator<Item = &str> {
        self.contacts.emails.keys().map(SmolStr::as_str)
    }

    /// Processes one validated event: first the steps due at or before its
    /// time, then its built-in effect and the matching rules, then the steps
    /// that fell due meanwhile. `line` is the event's line for the `event`
    /// field. An event naming an unknown contact is ignored (validate first).
    pub fn process(&mut self, event: &Event, line: Option<usize>, sink: &mut dyn Sink) {
        let t = to_secs(&event.at);
        self.run_due(t, sink);
        self.schedule.clock = Some(self.schedule.clock.map_or(t, |c| c.max(t)));
        let cause = Cause {
            rule: None,
            event: line,
        };
        match &event.kind {
            EventKind::SequenceDeleted { sequence } => {
                self.delete_sequence(sequence, t, cause, sink);
            }
            EventKind::UserUpdated {
                user,
                seats,
                inboxes,
                daily_send_limit,
            } => self.update_user(
                user,
                seats.as_deref(),
                inboxes.as_deref(),
                *daily_send_limit,
            ),
            _ => self.contact_event(event, t, line, sink),
        }
        self.run_due(t, sink);
    }

    /// Advances the clock to `at`, running every step due at or before it.
    pub fn advance_to(&mut self, at: DateTime<Utc>, sink: &mut dyn Sink) {
        let t = to_secs(&at);
        self.run_due(t, sink);
        self.schedule.clock = Some(self.schedule.clock.map_or(t, |c| c.max(t)));
    }

    /// Runs out the schedule after the last event: every remaining step, or
    /// those due at or before `until`.
    pub fn finish(&mut self, until: Option<DateTime<Utc>>, sink: &mut dyn Sink) {
        match until {
            Some(u) => self.advance_to(u, sink),
            None => self.run_due(i64::MAX, sink),
        }
    }

    fn contact_event(&mut self, e: &Event, t: i64, line: Option<usize>, sink: &mut dyn Sink) {
        let Some(id) = e.contact() else { return };
        if let EventKind::ContactCreated {
            email,
            owner,
            properties,
            ..
        } = &e.kind
        {
            if self.contacts.by_id.contains_key(id) {
                return;
            }
            self.create_contact(id, email.as_deref(), owner.as_deref(), properties);
        }
        let cached = self.checked.take().filter(|&ci| self.contact_id(ci) == id);
        let Some(ci) = cached.or_else(|| self.contacts.by_id.get(id)) else {
            return;
        };
        let cause = Cause {
            rule: None,
            event: line,
        };
        match &e.kind {
            EventKind::MeetingBooked { .. } => {
                self.unenroll(ci, t, Reason::MeetingBooked, cause, sink);
            }
            EventKind::EmailReplied { .. } => {
                self.unenroll(ci, t, Reason::Replied, cause, sink);
            }
            EventKind::EmailBounced { .. } => {
                if let Some(c) = self.contacts.records.get_mut(ci as usize) {
                    c.bounced = true;
                }
                self.unenroll(ci, t, Reason::Bounced, cause, sink);
            }
            EventKind::Unsubscribed { .. } => {
                if let Some(c) = self.contacts.records.get_mut(ci as usize) {
                    c.unsubscribed = true;
                }
                self.unenroll(ci, t, Reason::Unsubscribed, cause, sink);
            }
            EventKind::TaskCompleted { .. } => self.task_completed(ci, t, cause, sink),
            EventKind::PropertyChanged {
                property, value, ..
            } => {
                let p = self.contacts.property_index.get(property.as_str()).copied();
                if let Some(slot) = p.and_then(|p| self.props_of_mut(ci).get_mut(p as usize)) {
                    slot.clone_from(value);
                }
            }
            EventKind::ListAdded { list, .. } | EventKind::ListRemoved { list, .. } => {
                let l = self.contacts.list_index.get(list.as_str());
                if let (Some(&l), Some(c)) = (l, self.contacts.records.get_mut(ci as usize)) {
                    if matches!(e.kind, EventKind::ListAdded { .. }) {
                        add_sorted(&mut c.lists, l);
                    } else {
                        c.lists.retain(|&x| x != l);
                    }
                }
            }
            _ => {}
        }
        self.run_rules(e, ci, t, line, sink);
    }

    fn create_contact(
        &mut self,
        id: &str,
        email: Option<&str>,
        owner: Option<&str>,
        properties: &BTreeMap<String, Value>,
    ) {
        // The new contact's slots go straight onto the end of `props`.
        let base = self.contacts.props.len();
        self.contacts
            .props
            .resize_with(base + self.contacts.property_names.len(), || None);
        let props = self.contacts.props.get_mut(base..).unwrap_or_default();
        for (k, v) in properties {
            if let Some(slot) = self
                .contacts
                .property_index
                .get(k)
                .and_then(|&i| props.get_mut(i as usize))
            {
                *slot = Some(v.clone());
            }
        }
        for (field, value) in [
            (self.contacts.email_prop, email),
            (self.contacts.owner_prop, owner),
        ] {
            if let (Some(i), Some(v)) = (field, value)
                && let Some(slot) = props.get_mut(i as usize)
            {
                *slot = Some(Value::Text(v.into()));
            }
        }
        if let Some(email) = email {
            self.contacts.emails.insert(SmolStr::new(email), ());
        }
        self.contacts
            .by_id
            .insert(id, idx(self.contacts.records.len()));
        self.contacts.records.push(ContactState {
            id: ContactId::new(id),
            lists: Vec::new(),
            unsubscribed: false,
            bounced: false,
            active: None,
        });
        self.memory.fired.push(IndexSet::default());
    }

    /// The properties of contact `ci`, indexed by property (empty for an
    /// unknown contact).
    pub(super) fn props_of(&self, ci: u32) -> &[Option<Value>] {
        let n = self.contacts.property_names.len();
        let start = ci as usize * n;
        self.contacts.props.get(start..start + n).unwrap_or(&[])
    }

    /// [`Engine::props_of`], to change.
    fn props_of_mut(&mut self, ci: u32) -> &mut [Option<Value>] {
        let n = self.contacts.property_names.len();
        let start = ci as usize * n;
        self.contacts
            .props
            .get_mut(start..start + n)
            .unwrap_or_default()
    }

    /// The user an `owner` value names, if any.
    pub(super) fn user_of(&self, value: Option<&str>) -> Option<u32> {
        self.users.by_email.get(value?).copied()
    }

    fn delete_sequence(&mut self, sequence: &str, t: i64, cause: Cause<'_>, sink: &mut dyn Sink) {
        let Some(&s) = self.schedule.sequence_index.get(sequence) else {
            return;
        };
        if let Some(seq) = self.schedule.sequences.get_mut(s as usize) {
            seq.deleted = true;
        }
        let ending: Vec<u32> = self
            .schedule
            .enrollments
            .iter()
            .filter_map(|e| e.as_ref())
            .filter(|e| e.sequence == s)
            .map(|e| e.contact)
            .collect();
        for ci in ending {
            self.unenroll(ci, t, Reason::SequenceDeleted, cause, sink);
        }
    }

    fn update_user(
        &mut self,
        user: &str,
        seats: Option<&[Seat]>,
        inboxes: Option<&[String]>,
        limit: Option<u32>,
    ) {
        let Some(&u) = self.users.by_email.get(user) else {
            return;
        };
        let inboxes: Option<Vec<NameId>> =
            inboxes.map(|i| i.iter().map(|i| self.trace_names.intern(i)).collect());
        let Some(user) = self.users.records.get_mut(u as usize) else {
            return;
        };
        if let Some(seats) = seats {
            user.seats = seats.to_vec();
        }
        if let Some(inboxes) = inboxes {
            user.inboxes = inboxes;
        }
        if let Some(limit) = limit {
            user.limit = limit;
        }
    }

    fn run_rules(&mut self, e: &Event, ci: u32, t: i64, line: Option<usize>, sink: &mut dyn Sink) {
        let mut candidates = std::mem::take(&mut self.candidates);
        let explain = self.explaining(ci);
        if explain {
            // Every rule of the type, each trigger tested: the same rules
            // act, and those whose arguments differ are explained too.
            self.index.all_of_type(e, &mut candidates);
        } else {
            self.index.candidates(e, &mut candidates);
        }
        if candidates.is_empty() {
            self.candidates = candidates;
            return;
        }
        let rules = Rc::clone(&self.rules);
        for &(ri, sure) in &candidates {
            let Some(rule) = rules.get(ri as usize) else {
                continue;
            };
            let mut evaluation = explain.then(|| Evaluation {
                at: to_datetime(t),
                event: line,
                event_type: e.event_type().as_str(),
                rule: rule.name.to_string(),
                workflow: rule.workflow.as_deref().map(str::to_owned),
                triggers_matched: false,
                condition: ConditionOutcome::NotEvaluated,
                gate: None,
                actions: Vec::new(),
            });
            if !sure && !rule.triggered_by(e) {
                self.keep(ci, &mut evaluation);
                continue;
            }
            if let Some(tally) = &self.counters {
                tally.triggered(ri);
            }
            if let Some(ev) = &mut evaluation {
                ev.triggers_matched = true;
                ev.condition = ConditionOutcome::Absent;
            }
            if let Some(cond) = &rule.condition {
                let Some(c) = self.contacts.records.get(ci as usize) else {
                    continue;
                };
                let subject = Subject {
                    props: self.props_of(ci),
                    lists: &c.lists,
                    event: e,
                };
                let held = match &self.counters {
                    Some(tally) => tally.condition(ri, cond, &subject),
                    None => cond.eval(&subject),
                };
                if let Some(ev) = &mut evaluation {
                    ev.condition = if held {
                        ConditionOutcome::Held
                    } else {
                        ConditionOutcome::Failed(cond.failure(&subject))
                    };
                }
                if !held {
                    self.keep(ci, &mut evaluation);
                    continue;
                }
            }
            let cause = Cause {
                rule: Some(rule),
                event: line,
            };
            self.fire(rule, ri, ci, t, cause, evaluation.as_mut(), sink);
            self.keep(ci, &mut evaluation);
        }
        self.candidates = candidates;
    }

    fn explaining(&self, ci: u32) -> bool {
        self.explain_all
            || (!self.explain_for.is_empty()
                && self
                    .contacts
                    .records
                    .get(ci as usize)
                    .is_some_and(|c| self.explain_for.contains(c.id.as_str())))
    }

    /// Stores the evaluation, if there is one. Takes it by reference: most
    /// of the time there is none, and a by-value `None` would still copy
    /// the whole `Option<Evaluation>`.
    #[inline]
    fn keep(&mut self, ci: u32, evaluation: &mut Option<Evaluation>) {
        if let Some(ev) = evaluation.take() {
            let q = self.evaluations.entry(ci).or_default();
            if q.len() >= MAX_PER_CONTACT {
                q.pop_front();
            }
            q.push_back(ev);
        }
    }

    /// Numbers a record and hands it to the sink (step records only with
    /// `set_steps(true)`). Takes `&self` so that the record may borrow from
    /// the engine; the counter is a `Cell`.
    pub(super) fn emit(&self, sink: &mut dyn Sink, mut record: RecordRef<'_>) {
        if record.decision.is_step() && !self.steps {
            return;
        }
        let seq = self.seq.get() + 1;
        self.seq.set(seq);
        record.seq = seq;
        sink.record(&record);
    }

    pub(super) fn seq_name(&self, s: u32) -> &str {
        self.schedule.sequence(s).name.as_str()
    }

    pub(super) fn user_email(&self, u: u32) -> &str {
        self.users.get(u).email.as_str()
    }

    /// Trace name `id`, as records carry it.
    pub(super) fn name(&self, id: NameId) -> Name<'_> {
        Name::interned(self.trace_names.get(id), id)
    }

    /// The names of enrollment `e`'s sequence, sender and send-from
    /// address, as records carry them.
    pub(super) fn enrollment_names(&self, e: &Enrollment) -> [Name<'_>; 3] {
        [
            self.schedule.sequence(e.sequence).name.name(),
            self.users.get(e.sender).email.name(),
            self.name(e.via),
        ]
    }

    pub(super) fn contact_id(&self, c: u32) -> &str {
        self.contacts.get(c).id.as_str()
    }

    /// `t` as a record's time. (Only the JSON writer keeps the last time
    /// it formatted; converting seconds to a `DateTime` is cheap.)
    fn record_time(&self, t: i64) -> DateTime<Utc> {
        to_datetime(t)
    }

    /// A record about contact `ci` with every optional field null.
    pub(super) fn record<'a>(
        &'a self,
        t: i64,
        decision: Decision,
        ci: u32,
        cause: Cause<'a>,
    ) -> RecordRef<'a> {
        RecordRef {
            seq: 0,
            at: self.record_time(t),
            decision,
            contact: Some(self.contact_id(ci)),
            sequence: None,
            sender: None,
            via: None,
            reason: None,
            rule: cause.rule.map(|r| r.name.name()),
            workflow: cause.rule.and_then(|r| Some(r.workflow.as_ref()?.name())),
            event: cause.event,
            step: None,
            until: None,
            contact_index: Some(ci),
        }
    }

    /// Ends contact `ci`'s active enrollment, if any, with an `unenroll`
    /// record. Returns whether there was one.
    pub(super) fn unenroll(
        &mut self,
        ci: u32,
        t: i64,
        reason: Reason,
        cause: Cause<'_>,
        sink: &mut dyn Sink,
    ) -> bool {
        let Some(ei) = self
            .contacts
            .records
            .get(ci as usize)
            .and_then(|c| c.active)
        else {
            return false;
        };
        let Some(e) = self.end_enrollment(ei) else {
            return false;
        };
        let mut r = self.record(t, Decision::Unenroll, ci, cause);
        let [sequence, sender, via] = self.enrollment_names(&e);
        (r.sequence, r.sender, r.via) = (Some(sequence), Some(sender), Some(via));
        r.reason = Some(reason);
        self.emit(sink, r);
        true
    }

    /// Removes an enrollment; its queue entry goes stale.
    pub(super) fn end_enrollment(&mut self, ei: u32) -> Option<Enrollment> {
        let e = self.schedule.enrollments.get_mut(ei as usize)?.take()?;
        if let Some(c) = self.contacts.records.get_mut(e.contact as usize)
            && c.active == Some(ei)
        {
            c.active = None;
        }
        Some(e)
    }
}

/// What the engine's events are checked against: its contacts. A contact
/// found here is remembered, so that processing the event just checked
/// does not look it up again.
impl Known for Engine {
    fn contact_exists(&self, id: &str) -> bool {
        match self.contacts.by_id.get(id) {
            Some(ci) => {
                self.checked.set(Some(ci));
                true
            }
            None => false,
        }
    }

    fn email_taken(&self, email: &str) -> bool {
        self.contacts.emails.contains_key(email)
    }
}

pub(super) fn idx(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

fn add_sorted(v: &mut Vec<u32>, x: u32) {
    if let Err(pos) = v.binary_search(&x) {
        v.insert(pos, x);
    }
}

#[cfg(test)]
mod tests;
