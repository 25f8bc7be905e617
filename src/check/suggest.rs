//! "Did you mean" suggestions (`docs/diagnostics.md`, "Suggestions"): a candidate is close when it
//! differs only in letter case or is at most two edits away (Levenshtein,
//! `strsim`). A case-insensitive match wins; then the smallest distance;
//! ties go to the earlier candidate, so suggestions are deterministic.

/// The candidate closest to `name`, if any is close enough.
pub(crate) fn closest<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        if c == name {
            continue;
        }
        let distance = if c.eq_ignore_ascii_case(name) || c.to_lowercase() == name.to_lowercase() {
            0
        } else if c.chars().count().abs_diff(name.chars().count()) > 2 {
            // At least that many edits: skip the quadratic distance, which
            // a name of a megabyte would make slow.
            continue;
        } else {
            strsim::levenshtein(name, c)
        };
        if distance <= 2 && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, c));
        }
    }
    best.map(|(_, c)| c)
}

/// `did you mean `X`?` for the closest candidate, if any.
pub(crate) fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    closest(name, candidates).map(|c| format!("did you mean `{c}`?"))
}

/// "`a`, `b`, `c`": names in backticks, for help lines that list choices.
pub(crate) fn listing<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    names
        .into_iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
