//! Static checks: name resolution, types and lints of programs against an
//! account. The codes and their rules are in `docs/diagnostics.md`.
//!
//! [`check`] takes the parsed programs (in command-line order) and the
//! account, and gives every diagnostic, sorted by [`Diagnostic::sort_key`].
//! It never stops at the first problem and never panics. The work is split
//! by kind of question:
//!
//! - `resolve`: triggers and their arguments, actions (sequences, senders,
//!   `via`), suppression lists — E0101–E0302, E0404, W0101, W0102, W0201;
//! - `types`: conditions — E0303, E0401–E0404;
//! - `lints`: questions about whole rules and programs — E0501,
//!   W0301–W0303, W0401;
//! - `suggest`: "did you mean" help lines;
//! - `explain`: the paragraph `wf explain` prints for each code.

mod explain;
mod lints;
mod resolve;
mod suggest;
mod types;

pub use explain::explain;

use crate::account::Account;
use crate::diagnostic::Diagnostic;
use crate::source::FileId;
use crate::syntax::Program;

/// Checks programs (in command-line order) against an account and returns
/// every diagnostic, sorted by file, line and column; a warning repeated
/// word for word is one diagnostic listing all its places.
pub fn check(programs: &[(FileId, Program)], account: &Account) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let owner_warning = resolve::owner_warning(account);
    for (file, program) in programs {
        let mut cx = Cx {
            account,
            owner_warning: owner_warning.as_ref(),
            file: *file,
            out: &mut out,
        };
        for item in &program.items {
            if let crate::syntax::ast::Item::Workflow(w) = item {
                resolve::settings(&mut cx, w);
            }
        }
        for (_, rule) in program.rules() {
            let sigs = resolve::triggers(&mut cx, rule);
            types::condition(&mut cx, rule, &sigs);
            resolve::actions(&mut cx, rule);
            lints::rule(&mut cx, rule);
        }
    }
    lints::duplicate_workflows(programs, &mut out);
    lints::competing_enrollments(programs, &mut out);
    out.sort_by_key(Diagnostic::sort_key);
    crate::diagnostic::group_repeated(out)
}

/// What every check needs: the account, the file being checked and where
/// diagnostics go.
struct Cx<'a> {
    account: &'a Account,
    /// W0201 as every `from owner` reports it, if it applies.
    owner_warning: Option<&'a Diagnostic>,
    file: FileId,
    out: &'a mut Vec<Diagnostic>,
}

impl Cx<'_> {
    fn report(&mut self, d: Diagnostic) {
        self.out.push(d);
    }
}

#[cfg(test)]
mod tests;
