//! Structure-aware inputs for the fuzz targets: fuzzer bytes drive the
//! choice of scripts, accounts and event streams that get past the parser
//! and the loaders, so that the checker and the runtime see real programs.
//!
//! Every generator reads choices from an [`Unstructured`]; when the bytes
//! run out, `arbitrary` answers with the first choice, so every input gives
//! a finished text.

use libfuzzer_sys::arbitrary::Unstructured;
use std::fmt::Write;

/// Names the fixed accounts know (and a few they do not).
const SEQUENCES: &[&str] = &[
    "Booking",
    "Onboarding",
    "Old promo",
    "Reschedule",
    "Nope",
    "",
];
const USERS: &[&str] = &[
    "ana@acme.test",
    "bob@acme.test",
    "csm@acme.test",
    "nobody@acme.test",
];
const INBOXES: &[&str] = &[
    "ana@acme.test",
    "sales@acme.test",
    "success@acme.test",
    "x@y",
];
const LISTS: &[&str] = &["Do not contact", "March import", "Missing"];
const PROPERTIES: &[&str] = &[
    "lifecycle_stage",
    "employees",
    "tier",
    "trial",
    "firstname",
    "owner",
    "email",
    "country",
    "unknown",
];
const FIELDS: &[&str] = &[
    "form", "to", "from", "deal", "amount", "outcome", "property", "value", "list", "source",
    "bogus",
];
const STRINGS: &[&str] = &[
    "qualify",
    "stop",
    "closedwon",
    "no_show",
    "customer",
    "salesqualifiedlead",
    "gold",
    "import",
    "Booking",
    "",
    "é\u{1F600}",
    "a\\\"b",
    "\\\\",
];
const NUMBERS: &[&str] = &["0", "-1", "10", "0.5", "1000000000000000000000", "-0.0"];
const TRIGGERS: &[&str] = &[
    "form_submitted",
    "deal_stage_changed",
    "meeting_outcome",
    "meeting_booked",
    "email_replied",
    "email_bounced",
    "unsubscribed",
    "task_completed",
    "property_changed",
    "list_added",
    "list_removed",
    "contact_created",
    "bogus_trigger",
];
const ARG_NAMES: &[&str] = &["to", "from", "source", "form", "x"];
const OPS: &[&str] = &["==", "!=", "<", "<=", ">", ">="];

fn pick<'a>(u: &mut Unstructured<'_>, xs: &[&'a str]) -> &'a str {
    u.choose(xs).copied().unwrap_or("")
}

fn int(u: &mut Unstructured<'_>, lo: u32, hi: u32) -> u32 {
    u.int_in_range(lo..=hi).unwrap_or(lo)
}

fn flip(u: &mut Unstructured<'_>) -> bool {
    u.arbitrary().unwrap_or(false)
}

fn string(u: &mut Unstructured<'_>, vocab: &[&str]) -> String {
    format!("\"{}\"", pick(u, vocab))
}

fn literal(u: &mut Unstructured<'_>) -> String {
    match int(u, 0, 3) {
        0 => string(u, STRINGS),
        1 => pick(u, NUMBERS).to_owned(),
        2 => "true".to_owned(),
        _ => "false".to_owned(),
    }
}

fn operand(u: &mut Unstructured<'_>) -> String {
    match int(u, 0, 2) {
        0 => format!("contact.{}", pick(u, PROPERTIES)),
        1 => format!("event.{}", pick(u, FIELDS)),
        _ => literal(u),
    }
}

fn test(u: &mut Unstructured<'_>) -> String {
    match int(u, 0, 4) {
        0 => format!("{} {} {}", operand(u), pick(u, OPS), operand(u)),
        1 => {
            let n = int(u, 1, 3);
            let values: Vec<String> = (0..n).map(|_| literal(u)).collect();
            let not = if flip(u) { "not " } else { "" };
            format!("{} {not}in [{}]", operand(u), values.join(", "))
        }
        2 => format!("{} contains {}", operand(u), string(u, STRINGS)),
        3 => {
            let not = if flip(u) { "not " } else { "" };
            format!("{} is {not}set", operand(u))
        }
        _ => format!("contact in list {}", string(u, LISTS)),
    }
}

fn condition(u: &mut Unstructured<'_>, depth: u32) -> String {
    if depth == 0 {
        return test(u);
    }
    match int(u, 0, 4) {
        0 => format!("{} or {}", condition(u, depth - 1), condition(u, depth - 1)),
        1 => format!(
            "{} and {}",
            condition(u, depth - 1),
            condition(u, depth - 1)
        ),
        2 => format!("not {}", condition(u, depth - 1)),
        3 => format!("({})", condition(u, depth - 1)),
        _ => test(u),
    }
}

fn trigger(u: &mut Unstructured<'_>) -> String {
    let name = pick(u, TRIGGERS);
    let mut args = Vec::new();
    if flip(u) {
        args.push(match name {
            "property_changed" => string(u, PROPERTIES),
            "list_added" | "list_removed" => string(u, LISTS),
            _ => literal(u),
        });
    }
    for _ in 0..int(u, 0, 2) {
        args.push(format!("{}: {}", pick(u, ARG_NAMES), literal(u)));
    }
    format!("{name}({})", args.join(", "))
}

fn action(u: &mut Unstructured<'_>) -> String {
    match int(u, 0, 3) {
        0 => format!("enroll in {} from owner", string(u, SEQUENCES)),
        1 => {
            let mut a = format!(
                "enroll in {} from user {}",
                string(u, SEQUENCES),
                string(u, USERS)
            );
            if flip(u) {
                let _ = write!(a, " via {}", string(u, INBOXES));
            }
            a
        }
        2 => "unenroll".to_owned(),
        _ => format!("unenroll from {}", string(u, SEQUENCES)),
    }
}

fn rule(u: &mut Unstructured<'_>, out: &mut String, indent: &str) {
    let _ = write!(out, "{indent}when {}", trigger(u));
    for _ in 0..int(u, 0, 2) {
        let _ = write!(out, " or {}", trigger(u));
    }
    if flip(u) {
        let depth = int(u, 0, 4);
        let _ = write!(out, "\n{indent}  if {}", condition(u, depth));
    }
    let _ = write!(out, "\n{indent}  then {}", action(u));
    for _ in 0..int(u, 0, 2) {
        let _ = write!(out, ", {}", action(u));
    }
    out.push('\n');
}

/// The script a `check` or `fmt` input stands for: its first byte chooses
/// between the rest as raw text (odd; `None` if not UTF-8) and a script
/// generated from it (even, see [`script`]).
pub fn script_input(data: &[u8]) -> Option<String> {
    let (&mode, rest) = data.split_first()?;
    if mode & 1 == 1 {
        std::str::from_utf8(rest).ok().map(str::to_owned)
    } else {
        Some(script(&mut Unstructured::new(rest)))
    }
}

/// A script that parses: rules and workflow blocks over the names of the
/// fixed accounts (and some unknown names, for the checker).
pub fn script(u: &mut Unstructured<'_>) -> String {
    let mut out = String::new();
    for _ in 0..int(u, 1, 6) {
        if flip(u) {
            let _ = writeln!(out, "workflow \"w{}\" {{", int(u, 0, 3));
            if flip(u) {
                out.push_str("  reenroll\n");
            }
            if flip(u) {
                let _ = writeln!(out, "  suppress list {}", string(u, LISTS));
            }
            for _ in 0..int(u, 1, 3) {
                rule(u, &mut out, "  ");
            }
            out.push_str("}\n");
        } else {
            rule(u, &mut out, "");
        }
        if flip(u) {
            out.push_str("# a comment\n");
        }
    }
    out
}

/// Time zones with weekends, DST gaps and odd offsets.
const ZONES: &[&str] = &[
    "UTC",
    "Europe/Warsaw",
    "America/New_York",
    "Pacific/Apia",
    "Australia/Lord_Howe",
    "Asia/Kathmandu",
];
const LIMITS: &[u32] = &[1, 2, 3, 1000, u32::MAX];
const DELAYS: &[u32] = &[0, 0, 1, 2, 5, 36_500, u32::MAX];

/// An account that loads: the names of [`script`], with knobs (time zone,
/// send limits, step delays, weekday rule, deletion, pausing tasks) set by
/// the bytes.
pub fn account(u: &mut Unstructured<'_>) -> String {
    let zone = pick(u, ZONES);
    let mut limit = || u.choose(LIMITS).copied().unwrap_or(1);
    let (l1, l2) = (limit(), limit());
    let mut out = format!(
        r#"{{"timezone": "{zone}",
"users": [
 {{"email": "ana@acme.test", "seats": ["sales_enterprise"], "inboxes": ["ana@acme.test", "sales@acme.test"], "daily_send_limit": {l1}}},
 {{"email": "csm@acme.test", "seats": ["service_enterprise"], "inboxes": ["csm@acme.test", "success@acme.test"], "daily_send_limit": {l2}}},
 {{"email": "bob@acme.test", "seats": ["sales_professional"], "inboxes": ["bob@acme.test"]}}
],
"sequences": ["#
    );
    for (i, name) in ["Booking", "Onboarding", "Old promo", "Reschedule"]
        .iter()
        .enumerate()
    {
        if i > 0 {
            out.push(',');
        }
        let deleted = name == &"Old promo" || int(u, 0, 7) == 0;
        let weekdays = flip(u);
        let _ = write!(
            out,
            "\n {{\"name\": \"{name}\", \"deleted\": {deleted}, \"weekdays_only\": {weekdays}, \"steps\": ["
        );
        for k in 0..int(u, 0, 3) {
            if k > 0 {
                out.push(',');
            }
            let delay = u.choose(DELAYS).copied().unwrap_or(0);
            if flip(u) {
                let _ = write!(
                    out,
                    "{{\"type\": \"email\", \"delay_days\": {delay}, \"body\": \"Hi {{{{contact.firstname}}}}\"}}"
                );
            } else {
                let pause = flip(u);
                let _ = write!(
                    out,
                    "{{\"type\": \"task\", \"delay_days\": {delay}, \"title\": \"Call\", \"pause\": {pause}}}"
                );
            }
        }
        out.push_str("]}");
    }
    out.push_str(
        r#"],
"properties": {"employees": {"type": "number"}, "tier": {"type": "enum", "values": ["gold", "silver"]}, "trial": {"type": "bool"}},
"lists": [{"name": "Do not contact", "source": "manual", "members": ["c-3"]}, {"name": "March import", "source": "import", "members": ["c-2"]}],
"contacts": [
 {"id": "c-1", "email": "jan@client.test", "owner": "ana@acme.test", "properties": {"firstname": "Jan", "lifecycle_stage": "salesqualifiedlead", "employees": 40}},
 {"id": "c-2", "owner": "csm@acme.test", "properties": {"tier": "gold", "trial": true}},
 {"id": "c-3", "owner": "bob@acme.test"},
 {"id": "c-4"}
]}"#,
    );
    out
}

const CONTACTS: &[&str] = &["c-1", "c-2", "c-3", "c-4", "c-9"];
const OUTCOMES: &[&str] = &["scheduled", "completed", "no_show", "canceled", "lost"];
const VALUES: &[&str] = &[
    "null",
    "\"customer\"",
    "\"lead\"",
    "\"gold\"",
    "12",
    "1e400",
    "-0",
    "true",
    "\"ana@acme.test\"",
    "[1]",
];

/// An event stream: mostly valid lines in time order, with the occasional
/// wrong field, unknown name, reordering or garbage, as JSON Lines.
pub fn events(u: &mut Unstructured<'_>) -> String {
    // 2026-03-02T08:15:00Z, a Monday.
    let mut t: i64 = 1_772_439_300;
    let mut out = String::new();
    let mut created = 0;
    for _ in 0..int(u, 0, 40) {
        t += i64::from(match int(u, 0, 5) {
            0 => 0,
            1 => int(u, 0, 3600),
            2 => int(u, 0, 86_400),
            3 => int(u, 0, 4 * 86_400),
            4 => int(u, 0, 40 * 86_400),
            _ => 1,
        });
        if int(u, 0, 30) == 0 {
            t -= 3600;
        }
        let at = chrono::DateTime::from_timestamp(t, 0)
            .map(|d| d.format("%Y-%m-%dT%H:%M:%SZ").to_string())
            .unwrap_or_default();
        let contact = if int(u, 0, 3) == 0 && created > 0 {
            format!("n-{}", int(u, 1, created))
        } else {
            pick(u, CONTACTS).to_owned()
        };
        let c = format!("\"at\": \"{at}\", \"contact\": \"{contact}\"");
        let line = match int(u, 0, 16) {
            0 => format!("{{{c}, \"type\": \"form_submitted\", \"form\": {}}}", string(u, STRINGS)),
            1 => format!(
                "{{{c}, \"type\": \"deal_stage_changed\", \"to\": {}, \"amount\": {}}}",
                string(u, STRINGS),
                pick(u, NUMBERS)
            ),
            2 => format!("{{{c}, \"type\": \"meeting_outcome\", \"outcome\": {}}}", string(u, OUTCOMES)),
            3 => format!("{{{c}, \"type\": \"meeting_booked\"}}"),
            4 => format!("{{{c}, \"type\": \"email_replied\"}}"),
            5 => format!("{{{c}, \"type\": \"email_bounced\"}}"),
            6 => format!("{{{c}, \"type\": \"unsubscribed\"}}"),
            7 | 8 => format!("{{{c}, \"type\": \"task_completed\"}}"),
            9 => format!(
                "{{{c}, \"type\": \"property_changed\", \"property\": {}, \"value\": {}}}",
                string(u, PROPERTIES),
                pick(u, VALUES)
            ),
            10 => format!("{{{c}, \"type\": \"list_added\", \"list\": {}}}", string(u, LISTS)),
            11 => format!("{{{c}, \"type\": \"list_removed\", \"list\": {}}}", string(u, LISTS)),
            12 => {
                created += 1;
                format!(
                    "{{\"at\": \"{at}\", \"type\": \"contact_created\", \"contact\": \"n-{created}\", \"owner\": {}, \"source\": {}}}",
                    string(u, USERS),
                    string(u, STRINGS)
                )
            }
            13 => format!(
                "{{\"at\": \"{at}\", \"type\": \"sequence_deleted\", \"sequence\": {}}}",
                string(u, SEQUENCES)
            ),
            14 => format!(
                "{{\"at\": \"{at}\", \"type\": \"user_updated\", \"user\": {}, {}, \"daily_send_limit\": {}}}",
                string(u, USERS),
                // Seats lost, or kept with new send-from addresses (a new
                // default address, none, or one another user has).
                pick(
                    u,
                    &[
                        "\"seats\": []",
                        "\"seats\": [\"sales_enterprise\"], \"inboxes\": [\"new@acme.test\", \"ana@acme.test\"]",
                        "\"inboxes\": []",
                        "\"inboxes\": [\"sales@acme.test\"]",
                    ]
                ),
                u.choose(LIMITS).copied().unwrap_or(1)
            ),
            15 => String::new(),
            _ => pick(u, &["{", "[]", "{\"type\": 1}", "\u{0}", "{\"at\": \"99999-01-01T00:00:00Z\", \"type\": \"meeting_booked\", \"contact\": \"c-1\"}"]).to_owned(),
        };
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// Writes a generated input to `$WF_FUZZ_DUMP/NAME` when that variable is
/// set, so that a crash found on generated input can be kept as text
/// (`tests/fixtures/robustness/crashes/`): run the target on the crash
/// file with the variable set.
pub fn dump(name: &str, text: &str) {
    if let Some(dir) = std::env::var_os("WF_FUZZ_DUMP") {
        let dir = std::path::Path::new(&dir);
        let _ = std::fs::create_dir_all(dir);
        let _ = std::fs::write(dir.join(name), text);
    }
}
