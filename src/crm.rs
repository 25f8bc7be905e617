//! The CRM's own files (`docs/crm.md`): its automation flows (v4 flow
//! JSON) imported as `.wf` scripts, and scripts exported as flows.
//!
//! [`import`] reads flow JSON and gives formatted scripts with warnings for
//! what a script cannot say; [`export`] gives flow JSON for scripts, and
//! [`shape`] checks a flow has what the CRM needs to create it. [`ids`]
//! translates between the CRM's ids and the account's names, and [`json`]
//! reads JSON strictly where it matters and places every error on a line
//! and column. [`account`] builds an account file from the CRM's exports.
//! Nothing here writes files.

pub mod account;
pub mod export;
pub mod ids;
pub mod import;
pub mod json;
mod mapping;
pub mod shape;

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
