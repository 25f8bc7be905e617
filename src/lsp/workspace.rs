//! What the server knows beyond one document: the account found through
//! the nearest `wf.toml` (`docs/editors.md`), and why it is missing when
//! it is.

use crate::account::Account;
use std::path::{Path, PathBuf};

/// The account the server checks against, or the reason there is none.
pub enum Knowledge {
    /// Account features are on.
    Account {
        /// The account file, for go-to-definition and reloads.
        path: PathBuf,
        /// Its text, for go-to-definition.
        text: String,
        /// The loaded account.
        account: Box<Account>,
    },
    /// Account features are off; the sentence says why.
    Off(String),
}

impl Knowledge {
    /// Finds the nearest `wf.toml` from `dir` upwards and loads its account.
    pub fn discover(dir: &Path) -> Knowledge {
        let Some(root) = crate::project::find_from(dir) else {
            return Knowledge::Off(format!(
                "no wf.toml in `{}` or above: account features (sequence, user, list and \
                 property checks, completion, hover and definitions) are off",
                dir.display()
            ));
        };
        let project = match crate::project::load(&root) {
            Ok(p) => p,
            Err(e) => return Knowledge::Off(format!("wf.toml cannot be read: {e}")),
        };
        let Some(path) = project.account else {
            return Knowledge::Off("wf.toml names no account: account features are off".to_owned());
        };
        Knowledge::load(path)
    }

    /// Loads (or reloads) the account file at `path`.
    pub fn load(path: PathBuf) -> Knowledge {
        let text = match crate::source::read_text(&path, crate::source::FileKind::ACCOUNT) {
            Ok(t) => t,
            Err(e) => return Knowledge::Off(format!("the account cannot be read: {e}")),
        };
        let name = path.display().to_string();
        match crate::account::from_text(&name, &text, name.ends_with(".toml")) {
            Ok(account) => Knowledge::Account {
                path,
                text,
                account: Box::new(account),
            },
            Err(e) => Knowledge::Off(format!("the account is invalid: {e}")),
        }
    }

    /// The account, when features are on.
    pub fn account(&self) -> Option<&Account> {
        match self {
            Knowledge::Account { account, .. } => Some(account),
            Knowledge::Off(_) => None,
        }
    }

    /// The account file's path, when there is one.
    pub fn account_path(&self) -> Option<&Path> {
        match self {
            Knowledge::Account { path, .. } => Some(path),
            Knowledge::Off(_) => None,
        }
    }
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
