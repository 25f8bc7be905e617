//! The CRM's own files (`docs/crm.md`): its automation flows (v4 flow
//! JSON) imported as `.wf` scripts.
//!
//! [`import`] reads flow JSON and gives formatted scripts with warnings for
//! what a script cannot say. [`ids`]
//! translates between the CRM's ids and the account's names, and [`json`]
//! reads JSON strictly where it matters and places every error on a line
//! and column. Nothing here writes files except [`write_atomic`].

pub mod ids;
pub mod import;
pub mod json;
mod mapping;

use crate::diagnostic::InputError;
use std::io::Write;
use std::path::Path;

/// Writes `bytes` to `path` so that readers see the old file or the whole
/// new one, never a part: the text goes to a temporary file in the same
/// directory, which is then renamed over `path`.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), InputError> {
    let name = path.display().to_string();
    let fail =
        |e: &dyn std::fmt::Display| InputError::new(&name, None, format!("cannot write: {e}"));
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut file = tempfile::NamedTempFile::new_in(dir).map_err(|e| fail(&e))?;
    file.write_all(bytes).map_err(|e| fail(&e))?;
    file.as_file().sync_all().map_err(|e| fail(&e))?;
    file.persist(path).map_err(|e| fail(&e.error))?;
    Ok(())
}

/// A file name for a flow or script name: lowercase letters, digits and
/// single dashes (`Demo request → SDR` → `demo-request-sdr`); `fallback`
/// when nothing is left.
pub fn file_stem(name: &str, fallback: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out.truncate(80);
    if out.is_empty() {
        fallback.to_owned()
    } else {
        out
    }
}
