//! The workload of the `check` and `lsp` benches: a 1,000-contact account
//! (50 users, some without an Enterprise seat; some contacts without an
//! owner, so every `from owner` gets W0201) and N generated rules, the
//! replay bench's mix of triggers, conditions and senders. The same seed
//! gives the same text on every run.

use std::fmt::Write as _;

/// A small xorshift generator: the workload is the same on every run.
pub struct Rng(pub u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

const USERS: usize = 50;
const SEQUENCES: usize = 20;
const LISTS: usize = 10;
const FORMS: u64 = 600;
const STAGES: u64 = 40;
const CONTACTS: usize = 1000;
const TIERS: [&str; 3] = ["gold", "silver", "bronze"];
const OUTCOMES: [&str; 5] = [
    "scheduled",
    "completed",
    "rescheduled",
    "no_show",
    "canceled",
];

pub fn account(rng: &mut Rng) -> String {
    let mut s = String::from("{\"timezone\": \"Europe/Warsaw\", \"users\": [");
    for u in 0..USERS {
        let seat = if u % 10 == 9 {
            "sales_professional"
        } else {
            "sales_enterprise"
        };
        if u > 0 {
            s.push(',');
        }
        write!(
            s,
            "{{\"email\": \"u{u}@acme.test\", \"seats\": [\"{seat}\"], \"inboxes\": [\"u{u}@acme.test\"], \"daily_send_limit\": 500}}"
        )
        .unwrap();
    }
    s.push_str("], \"sequences\": [");
    for q in 0..SEQUENCES {
        if q > 0 {
            s.push(',');
        }
        write!(
            s,
            "{{\"name\": \"S{q}\", \"steps\": [{{\"type\": \"email\", \"delay_days\": 0, \"body\": \"Hi\"}}]}}"
        )
        .unwrap();
    }
    s.push_str("], \"properties\": {\"employees\": {\"type\": \"number\"}, \"score\": {\"type\": \"number\"}, \"tier\": {\"type\": \"enum\", \"values\": [\"gold\", \"silver\", \"bronze\"]}}, \"lists\": [");
    for l in 0..LISTS {
        if l > 0 {
            s.push(',');
        }
        write!(s, "{{\"name\": \"L{l}\", \"members\": [\"c{l}\"]}}").unwrap();
    }
    s.push_str("], \"contacts\": [");
    for c in 0..CONTACTS {
        if c > 0 {
            s.push(',');
        }
        let owner = rng.below(USERS as u64 + 5);
        let owner = if owner < USERS as u64 {
            format!("\"owner\": \"u{owner}@acme.test\", ")
        } else {
            String::new()
        };
        write!(
            s,
            "{{\"id\": \"c{c}\", \"email\": \"c{c}@client.test\", {owner}\"properties\": {{\"employees\": {}}}}}",
            rng.below(2000)
        )
        .unwrap();
    }
    s.push_str("]}");
    s
}

/// The replay bench's mix of rules.
pub fn rules(rng: &mut Rng, n: usize) -> String {
    let mut s = String::new();
    for r in 0..n {
        let seq = rng.below(SEQUENCES as u64);
        let sender = if rng.below(4) == 0 {
            let u = rng.below(USERS as u64);
            format!(
                "user \"u{}@acme.test\"",
                if u % 10 == 9 { u - 1 } else { u }
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
