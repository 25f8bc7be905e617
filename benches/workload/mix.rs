//! The replay bench's mix of rules: form, deal-stage, meeting, score and
//! list triggers with conditions, enrolling in or unenrolling from one of
//! the account's sequences from the owner or a fixed user; and what the
//! benches' accounts agree on for it (which users hold an Enterprise seat,
//! which contacts have an owner). The `replay` bench runs it on its own
//! account and events; the `check` and `lsp` benches (`rules.rs`) on a
//! smaller account.

#[path = "rng.rs"]
mod rng;

pub use rng::Rng;

pub const USERS: usize = 50;
pub const SEQUENCES: usize = 20;
pub const LISTS: usize = 10;
pub const FORMS: u64 = 600;
pub const STAGES: u64 = 40;
pub const TIERS: [&str; 3] = ["gold", "silver", "bronze"];
pub const OUTCOMES: [&str; 5] = [
    "scheduled",
    "completed",
    "rescheduled",
    "no_show",
    "canceled",
];

/// Whether user `u` holds an Enterprise seat: every tenth does not.
pub fn enterprise(u: u64) -> bool {
    u % 10 != 9
}

/// User `u`'s seat in an account.
pub fn seat(u: usize) -> &'static str {
    if enterprise(u as u64) {
        "sales_enterprise"
    } else {
        "sales_professional"
    }
}

/// A contact's owner field (`"owner": "u…@acme.test", `): one of the
/// users, or none for about one contact in eleven.
pub fn owner_field(rng: &mut Rng) -> String {
    let owner = rng.below(USERS as u64 + 5);
    if owner < USERS as u64 {
        format!("\"owner\": \"u{owner}@acme.test\", ")
    } else {
        String::new()
    }
}

/// N rules; users `u0`…, sequences `S0`…, lists `L0`…, forms `f0`… and
/// stages `st0`… as the accounts and events of the benches name them.
pub fn rules(rng: &mut Rng, n: usize) -> String {
    let mut s = String::new();
    for r in 0..n {
        let seq = rng.below(SEQUENCES as u64);
        let sender = if rng.below(4) == 0 {
            // A fixed sender must hold an Enterprise seat (E0202): take
            // the user before one who does not.
            let u = rng.below(USERS as u64);
            format!(
                "user \"u{}@acme.test\"",
                if enterprise(u) { u } else { u - 1 }
            )
        } else {
            "owner".to_owned()
        };
        let rule = match r % 20 {
            0..=11 => format!(
                "when form_submitted(\"f{}\")\n  if contact.employees >= {} and contact.tier in [\"{}\", \"{}\"]\n  then enroll in \"S{seq}\" from {sender}\n",
                rng.below(FORMS),
                rng.below(1000),
                TIERS[rng.below(3) as usize],
                TIERS[rng.below(3) as usize]
            ),
            12 | 13 => format!(
                "when deal_stage_changed(to: \"st{}\")\n  if event.amount > {}\n  then unenroll, enroll in \"S{seq}\" from {sender}\n",
                rng.below(STAGES),
                rng.below(5000)
            ),
            14 => format!(
                "when meeting_outcome(\"{}\") or form_submitted(\"f{}\")\n  if contact.score is not set or contact.score < {}\n  then enroll in \"S{seq}\" from {sender}\n",
                OUTCOMES[rng.below(5) as usize],
                rng.below(FORMS),
                rng.below(100)
            ),
            15 => format!(
                "workflow \"W{r}\" {{\n  reenroll\n  suppress list \"L{}\"\n  when property_changed(\"score\", to: {}) then enroll in \"S{seq}\" from {sender}\n}}\n",
                rng.below(LISTS as u64),
                rng.below(100)
            ),
            16 => format!(
                "when list_added(\"L{}\") if contact.email contains \"@client\" then enroll in \"S{seq}\" from {sender}\n",
                rng.below(LISTS as u64)
            ),
            _ => format!(
                "when form_submitted(\"f{}\") then unenroll from \"S{seq}\"\n",
                rng.below(FORMS)
            ),
        };
        s.push_str(&rule);
    }
    s
}
