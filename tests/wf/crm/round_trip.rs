//! The round trip as a property: for generated scripts in the exportable
//! subset, written in the form the importer writes (one workflow block,
//! `reenroll` before `suppress list`, event triggers before list triggers,
//! a condition that is an `or` of `and`s without parentheses, `in` lists
//! of two or more values), importing what export wrote gives back the
//! script as `wf fmt` prints it (`docs/crm.md`, "The round trip").

use proptest::prelude::*;
use wf::crm::{export, import, json::Doc};
use wf::source::FileId;

/// Trigger texts that have a flow form, event triggers first.
const EVENT_TRIGGERS: &[&str] = &[
    "form_submitted()",
    "form_submitted(\"qualify\")",
    "form_submitted(\"stop\")",
    "property_changed(\"tier\")",
    "property_changed(\"lifecycle_stage\", to: \"customer\")",
    "property_changed(\"employees\", to: 50)",
    "property_changed(\"trial\", to: true)",
    "property_changed(\"owner\", to: \"bob@acme.test\")",
    "meeting_booked()",
    "contact_created()",
    "email_replied()",
];

const LIST_TRIGGERS: &[&str] = &[
    "list_added(\"March import\")",
    "list_added(\"Do not contact\")",
];

/// Tests that have a filter, as the importer writes them.
const TESTS: &[&str] = &[
    "contact.tier == \"gold\"",
    "contact.tier != \"silver\"",
    "contact.employees > 5",
    "contact.employees <= 500",
    "contact.employees == 12.5",
    "contact.trial == false",
    "contact.trial != true",
    "contact.owner == \"ana@acme.test\"",
    "contact.owner in [\"ana@acme.test\", \"csm@acme.test\"]",
    "contact.company contains \"Acme\"",
    "not contact.jobtitle contains \"intern\"",
    "contact.country in [\"PL\", \"DE\"]",
    "contact.country not in [\"US\", \"UK\", \"FR\"]",
    "contact.employees in [10, 20]",
    "contact.firstname is set",
    "contact.lastname is not set",
    "contact in list \"March import\"",
    "not contact in list \"Do not contact\"",
    "contact.city == \"Kraków \\\"Old\\\" Town\"",
];

const ACTIONS: &[&str] = &[
    "unenroll",
    "unenroll from \"Booking\"",
    "enroll in \"Booking\" from owner",
    "enroll in \"Onboarding\" from user \"csm@acme.test\"",
    "enroll in \"Reschedule\" from user \"ana@acme.test\" via \"ana@acme.test\"",
];

fn pick(
    menu: &'static [&'static str],
    min: usize,
    max: usize,
) -> impl Strategy<Value = Vec<&'static str>> {
    prop::collection::vec(prop::sample::select(menu), min..=max)
}

/// One workflow block in the importer's form.
fn script() -> impl Strategy<Value = String> {
    (
        "[A-Za-z][A-Za-z0-9 →-]{0,20}",
        any::<bool>(),
        prop::sample::subsequence(vec!["Do not contact", "March import"], 0..=2),
        pick(EVENT_TRIGGERS, 0, 3),
        pick(LIST_TRIGGERS, 0, 2),
        prop::collection::vec(pick(TESTS, 1, 3), 0..=3),
        pick(ACTIONS, 1, 3),
    )
        .prop_filter("a rule has a trigger", |(_, _, _, e, l, _, _)| {
            !e.is_empty() || !l.is_empty()
        })
        .prop_map(|(name, reenroll, suppress, events, lists, ors, actions)| {
            let mut s = format!("workflow \"{name}\" {{\n");
            if reenroll {
                s.push_str("reenroll\n");
            }
            for l in suppress {
                s.push_str(&format!("suppress list \"{l}\"\n"));
            }
            let triggers: Vec<&str> = events.into_iter().chain(lists).collect();
            s.push_str(&format!("when {}", triggers.join(" or ")));
            if !ors.is_empty() {
                let ands: Vec<String> = ors.iter().map(|a| a.join(" and ")).collect();
                s.push_str(&format!(" if {}", ands.join(" or ")));
            }
            s.push_str(&format!(" then {}\n}}\n", actions.join(", ")));
            s
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn import_of_export_is_the_formatted_script(text in script()) {
        let account = wf::account::load(std::path::Path::new("tests/fixtures/crm/export/account.json")).unwrap();
        let formatted = wf::format::format_source(FileId::default(), &text).unwrap();
        let program = wf::syntax::parse(FileId::default(), &formatted).unwrap();
        let flows = export::program(&program, "script", &account)
            .map_err(|p| TestCaseError::fail(format!("{p:?}\n{formatted}")))?;
        prop_assert_eq!(flows.len(), 1);
        let flow = &flows[0].json;
        prop_assert!(wf::crm::shape::problems(flow).is_empty());
        let doc = Doc::parse("flow.json", serde_json::to_string_pretty(flow).unwrap()).unwrap();
        let root = doc.root();
        let nodes = import::flows(&root).unwrap();
        let mut importer = import::Importer::new(&account);
        let script = importer.flow(&nodes[0]).unwrap().unwrap();
        prop_assert!(importer.warnings.is_empty(), "{:?}", importer.warnings);
        prop_assert_eq!(script.body, formatted);
    }
}
