//! The session's runtime side: events, the clock, the trace, contacts and
//! `:why`.

use super::session::Session;
use crate::account::Account;
use crate::source::{FileId, Sources};
use crate::syntax::Program;
use chrono::TimeDelta;
use std::path::Path;

/// The runtime state of a session.
pub struct Replay {}

impl Replay {
    /// A fresh state for an account.
    pub fn new(account: &Account) -> Self {
        let _ = account;
        Replay {}
    }

    /// Replaces the rule set, keeping the state.
    pub fn set_rules(
        &mut self,
        programs: &[(FileId, Program)],
        sources: &Sources,
        account: &Account,
    ) {
        let _ = (programs, sources, account);
    }

    /// Ids of the contacts the runtime knows.
    pub fn contact_ids(&self) -> Vec<String> {
        Vec::new()
    }
}

const UNAVAILABLE: &str = "error: the runtime is not available in this build\n";

impl Session {
    pub(super) fn event(&mut self, json: &str) -> String {
        let _ = json;
        UNAVAILABLE.to_owned()
    }
    pub(super) fn events_file(&mut self, path: &Path) -> String {
        let _ = path;
        UNAVAILABLE.to_owned()
    }
    pub(super) fn advance(&mut self, d: TimeDelta) -> String {
        let _ = d;
        UNAVAILABLE.to_owned()
    }
    pub(super) fn time_text(&self) -> String {
        UNAVAILABLE.to_owned()
    }
    pub(super) fn trace_text(&self, n: Option<usize>) -> String {
        let _ = n;
        UNAVAILABLE.to_owned()
    }
    pub(super) fn contact_text(&self, id: &str) -> String {
        let _ = id;
        UNAVAILABLE.to_owned()
    }
    pub(super) fn why_text(&self, id: &str) -> String {
        let _ = id;
        UNAVAILABLE.to_owned()
    }
    pub(super) fn reset(&mut self) -> String {
        UNAVAILABLE.to_owned()
    }
}
