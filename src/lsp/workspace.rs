//! What the server knows beyond one document: the account named by the
//! nearest `wf.toml` (`docs/editors.md`), or why there is none.
//!
//! The account file is watched by its modification time and length: every
//! document event asks [`Knowledge::refresh`], which reloads the file when
//! it changed, whatever the client tells about files. An account that
//! cannot be read or is invalid turns account features off but stays
//! watched, so fixing it turns them on again.

use crate::account::Account;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// The account the server checks against, or the reason there is none.
pub struct Knowledge {
    /// The account file `wf.toml` names, when there is a project that
    /// names one; watched even while it is invalid.
    file: Option<PathBuf>,
    /// The file's modification time and length when it was last read.
    stamp: Option<(SystemTime, u64)>,
    state: State,
}

enum State {
    /// Account features are on.
    On {
        /// Its text, for go-to-definition.
        text: String,
        /// The loaded account.
        account: Box<Account>,
    },
    /// There is no `wf.toml` from the folder upwards.
    NoProject(String),
    /// There is a project, but no usable account; the sentence says why.
    Off(String),
}

impl Knowledge {
    /// Finds the nearest `wf.toml` from `dir` upwards and loads its account.
    pub fn discover(dir: &Path) -> Knowledge {
        let off = |state| Knowledge {
            file: None,
            stamp: None,
            state,
        };
        let Some(root) = crate::project::find_from(dir) else {
            return off(State::NoProject(format!(
                "no wf.toml in `{}` or above: account features (sequence, user, list and \
                 property checks, completion, hover and definitions) are off",
                dir.display()
            )));
        };
        let project = match crate::project::load(&root) {
            Ok(p) => p,
            Err(e) => return off(State::Off(format!("wf.toml cannot be read: {e}"))),
        };
        let Some(path) = project.account else {
            return off(State::Off(
                "wf.toml names no account: account features are off".to_owned(),
            ));
        };
        let mut knowledge = Knowledge {
            file: Some(path),
            stamp: None,
            state: State::Off(String::new()),
        };
        knowledge.reload();
        knowledge
    }

    /// Whether no `wf.toml` was found (so another folder may have one).
    pub fn has_no_project(&self) -> bool {
        matches!(self.state, State::NoProject(_))
    }

    /// Reloads the account when its file changed since it was read;
    /// whether it did.
    pub fn refresh(&mut self) -> bool {
        if self.file.is_some() && stamp_of(self.file.as_deref()) != self.stamp {
            self.reload();
            return true;
        }
        false
    }

    fn reload(&mut self) {
        let Some(path) = &self.file else {
            return;
        };
        self.stamp = stamp_of(Some(path));
        let text = match crate::source::read_text(path, crate::source::FileKind::ACCOUNT) {
            Ok(t) => t,
            Err(e) => {
                self.state = State::Off(format!("the account cannot be read: {e}"));
                return;
            }
        };
        let name = path.display().to_string();
        self.state = match crate::account::from_text(&name, &text, name.ends_with(".toml")) {
            Ok(account) => State::On {
                text,
                account: Box::new(account),
            },
            Err(e) => State::Off(format!("the account is invalid: {e}")),
        };
    }

    /// The account, when features are on.
    pub fn account(&self) -> Option<&Account> {
        match &self.state {
            State::On { account, .. } => Some(account),
            State::NoProject(_) | State::Off(_) => None,
        }
    }

    /// The account file's path and text, when features are on.
    pub fn account_source(&self) -> Option<(&Path, &str)> {
        match (&self.state, &self.file) {
            (State::On { text, .. }, Some(path)) => Some((path, text)),
            _ => None,
        }
    }

    /// Why account features are off, when they are.
    pub fn why_off(&self) -> Option<&str> {
        match &self.state {
            State::On { .. } => None,
            State::NoProject(why) | State::Off(why) => Some(why),
        }
    }
}

/// A file's modification time and length; `None` when it cannot be read.
fn stamp_of(path: Option<&Path>) -> Option<(SystemTime, u64)> {
    let meta = std::fs::metadata(path?).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

/// The local path of a `file://` URI (percent-escapes decoded).
pub fn uri_path(uri: &str) -> Option<PathBuf> {
    let rest = uri.strip_prefix("file://")?;
    let bytes = rest.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%'
            && let Some(hex) = rest.get(i + 1..i + 3)
            && let Ok(v) = u8::from_str_radix(hex, 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b);
        i += 1;
    }
    String::from_utf8(out).ok().map(PathBuf::from)
}

/// The `file://` URI of an absolute path (reserved bytes escaped).
pub fn path_uri(path: &Path) -> String {
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = String::from("file://");
    for b in path.display().to_string().bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
