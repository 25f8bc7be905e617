//! The workload of the `check` and `lsp` benches: a 1,000-contact account
//! (50 users, some without an Enterprise seat; some contacts without an
//! owner, so every `from owner` gets W0201) and N generated rules, the
//! replay bench's mix of triggers, conditions and senders (`mix.rs`). The
//! same seed gives the same text on every run.

use std::fmt::Write as _;

#[path = "mix.rs"]
mod mix;

use mix::{LISTS, SEQUENCES, USERS, owner_field, seat};
pub use mix::{Rng, rules};

const CONTACTS: usize = 1000;

pub fn account(rng: &mut Rng) -> String {
    let mut s = String::from("{\"timezone\": \"Europe/Warsaw\", \"users\": [");
    for u in 0..USERS {
        let seat = seat(u);
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
        let owner = owner_field(rng);
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
