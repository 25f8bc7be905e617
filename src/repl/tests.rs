//! Unit tests of the REPL's UI-free parts.

use super::command::{self, Command};
use super::complete::{Names, complete};
use super::highlight::{highlight, strip_ansi};
use super::input::{Completeness, completeness};
use super::session::Session;
use chrono::TimeDelta;

fn names() -> Names {
    Names {
        sequences: vec!["Booking".into(), "Onboarding".into(), "Old promo".into()],
        users: vec!["ana@acme.test".into(), "bob@acme.test".into()],
        inboxes: vec!["ana@acme.test".into(), "sales@acme.test".into()],
        lists: vec!["Do not contact".into()],
        properties: vec!["employees".into(), "email".into(), "tier".into()],
        contacts: vec!["c-1".into(), "c-2".into(), "d-1".into()],
    }
}

#[test]
fn commands_and_items_complete_or_ask_for_more() {
    use Completeness::*;
    assert_eq!(completeness(":trace 3"), Complete);
    assert_eq!(completeness(""), Complete);
    assert_eq!(
        completeness("when form_submitted(\"q\") then unenroll"),
        Complete
    );
    assert_eq!(completeness("when form_submitted(\"q\")"), Incomplete);
    assert_eq!(
        completeness("when form_submitted(\"q\")\n  if contact.employees >= 10"),
        Incomplete
    );
    assert_eq!(completeness("workflow \"W\" {"), Incomplete);
    assert_eq!(
        completeness("workflow \"W\" {\n  when x() then unenroll\n"),
        Incomplete
    );
    assert_eq!(
        completeness("workflow \"W\" {\n  when x() then unenroll\n}"),
        Complete
    );
    assert_eq!(
        completeness("when x() if then unenroll"),
        Complete,
        "error before the end"
    );
    assert_eq!(
        completeness("when x()\n"),
        Complete,
        "a blank line gives up"
    );
    assert_eq!(
        completeness("when x() # if {"),
        Incomplete,
        "brackets in comments do not count"
    );
}

#[test]
fn highlighting_keeps_the_text_and_its_width() {
    for text in [
        "when form_submitted(\"qualify\") if contact.employees >= 10 then enroll in \"Booking\" from owner",
        "workflow \"Zażółć\" {\n  reenroll # ünïcode\n}",
        ":event {\"type\": \"x\"}",
        "  :why c-1",
        "when @ \"open",
        "",
    ] {
        let coloured = highlight(text);
        assert_eq!(strip_ansi(&coloured), text);
        assert_eq!(strip_ansi(&coloured).chars().count(), text.chars().count());
    }
    assert!(highlight("when x() then unenroll").contains("\x1b["));
}

#[test]
fn completes_commands_keywords_and_triggers() {
    let n = names();
    let c = complete(":tr", 3, &n);
    assert_eq!((c.start, c.candidates), (0, vec![":trace".to_owned()]));
    let c = complete("when form_su", 12, &n);
    assert_eq!(
        (c.start, c.candidates),
        (5, vec!["form_submitted".to_owned()])
    );
    let c = complete("wh", 2, &n);
    assert_eq!(c.candidates, vec!["when".to_owned()]);
    let c = complete(":why c-", 7, &n);
    assert_eq!(
        (c.start, c.candidates),
        (5, vec!["c-1".to_owned(), "c-2".to_owned()])
    );
}

#[test]
fn completes_names_in_their_places() {
    let n = names();
    let line = "when x() then enroll in \"Boo";
    let c = complete(line, line.len(), &n);
    assert_eq!(c.candidates, vec!["\"Booking\"".to_owned()]);
    assert_eq!(c.start, line.len() - 4);
    let line = "when x() then enroll in ";
    let c = complete(line, line.len(), &n);
    assert_eq!(c.candidates.len(), 3);
    let line = "when x() then enroll in \"Booking\" from user \"a";
    let c = complete(line, line.len(), &n);
    assert_eq!(c.candidates, vec!["\"ana@acme.test\"".to_owned()]);
    let line = "when x() if contact.em";
    let c = complete(line, line.len(), &n);
    assert_eq!(
        c.candidates,
        vec!["email".to_owned(), "employees".to_owned()]
    );
    let line = "when x() if event.amo";
    let c = complete(line, line.len(), &n);
    assert_eq!(c.candidates, vec!["amount".to_owned()]);
    let line = "when x() # \"Boo";
    let c = complete(line, line.len(), &n);
    assert!(c.candidates.is_empty(), "no names in comments");
}

#[test]
fn durations() {
    assert_eq!(command::parse_duration("3d").unwrap(), TimeDelta::days(3));
    assert_eq!(
        command::parse_duration("1d12h").unwrap(),
        TimeDelta::hours(36)
    );
    assert_eq!(
        command::parse_duration("30m").unwrap(),
        TimeDelta::minutes(30)
    );
    for bad in ["", "3", "d", "3x", "-1d", "1.5h", "99999999999999999d"] {
        assert!(command::parse_duration(bad).is_err(), "{bad}");
    }
    assert_eq!(command::show_duration(TimeDelta::hours(36)), "1d 12h");
}

#[test]
fn unknown_commands_get_a_suggestion() {
    let e = command::parse(":trce").unwrap_err();
    assert_eq!(e.message, "unknown command `:trce`");
    assert_eq!(e.help.as_deref(), Some("did you mean `:trace`?"));
    let e = command::parse(":frobnicate").unwrap_err();
    assert_eq!(
        e.help.as_deref(),
        Some("type `:help` for the list of commands")
    );
    assert_eq!(command::parse(":drop 2"), Ok(Command::Drop(2)));
    assert!(command::parse(":drop x").is_err());
    assert!(command::parse(":rules now").is_err());
}

#[test]
fn multi_line_items_accumulate_until_complete() {
    let (mut s, _) = Session::new(None, &[]).unwrap();
    assert!(s.handle("when form_submitted(\"q\")").more);
    assert!(s.handle("  if contact.firstname == \"Jan\"").more);
    let out = s.handle("  then unenroll");
    assert!(!out.more);
    assert_eq!(out.text, "added rule 1\n");
    assert_eq!(s.items().len(), 1);
    let out = s.handle(":quit");
    assert!(out.quit);
}

#[test]
fn a_command_ends_an_unfinished_item() {
    let (mut s, _) = Session::new(None, &[]).unwrap();
    assert!(s.handle("when form_submitted(\"q\")").more);
    let out = s.handle(":rules");
    assert!(out.text.contains("E0001"), "{}", out.text);
    assert!(out.text.ends_with("no rules loaded\n"), "{}", out.text);
    assert!(!s.is_pending());
}

/// A word after a character of several bytes starts on that character's
/// end, so the front end can cut the line there.
#[test]
fn completion_after_a_wide_character_starts_on_its_boundary() {
    let c = complete("\u{e9}e", 3, &names());
    assert_eq!(c.start, 2);
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn account() -> crate::account::Account {
        crate::account::load(std::path::Path::new("examples/account.json")).unwrap()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        #[test]
        fn no_input_panics(lines in proptest::collection::vec(
            prop_oneof![
                any::<String>(),
                "[:a-z ]{0,12}[0-9dhms]{0,6}",
                Just(":event {\"type\": \"form_submitted\", \"contact\": \"c-1\", \"form\": \"qualify\"}".to_owned()),
                Just(":advance 3d".to_owned()),
                Just("when form_submitted(\"qualify\") then enroll in \"Booking\" from owner".to_owned()),
                Just("workflow \"W\" {".to_owned()),
                Just(":why c-1".to_owned()),
                Just(":contact c-1".to_owned()),
                Just(":drop 1".to_owned()),
                Just(":reset".to_owned()),
            ],
            0..12,
        )) {
            let (mut s, _) = Session::new(Some(account()), &[]).unwrap();
            // `:save` would write files; everything else only reads.
            for line in lines.iter().filter(|l| !l.contains("save")) {
                let _ = s.handle(line);
            }
            let _ = s.finish();
        }

        #[test]
        fn highlighting_never_changes_the_text(text in "[^\x1b]*") {
            prop_assert_eq!(strip_ansi(&highlight(&text)), text);
        }

        #[test]
        fn completion_replaces_text_before_the_cursor_with_sorted_names(
            text in any::<String>(),
            pos in 0usize..64,
        ) {
            let c = complete(&text, pos, &names());
            prop_assert!(c.start <= pos.min(text.len()));
            prop_assert!(text.is_char_boundary(c.start));
            let mut sorted = c.candidates.clone();
            sorted.sort();
            sorted.dedup();
            prop_assert_eq!(sorted, c.candidates);
        }
    }
}

mod why {
    use crate::runtime::engine::explain::{ConditionOutcome, Evaluation, GateFailure};
    use crate::runtime::engine::record::Reason;
    use crate::runtime::engine::why::{MAX_EVENTS, explain};
    use chrono::{TimeZone, Utc};

    fn evaluation(minute: u32, line: usize) -> Evaluation {
        Evaluation {
            at: Utc.with_ymd_and_hms(2026, 3, 2, 8, minute, 0).unwrap(),
            event: Some(line),
            event_type: "form_submitted",
            rule: "a.wf:1".to_owned(),
            workflow: None,
            triggers_matched: true,
            condition: ConditionOutcome::Absent,
            gate: None,
            actions: Vec::new(),
        }
    }

    #[test]
    fn near_misses_gates_and_the_latest_events() {
        let mut missed = evaluation(0, 1);
        missed.triggers_matched = false;
        missed.condition = ConditionOutcome::NotEvaluated;
        let mut gated = evaluation(0, 1);
        gated.rule = "a.wf:5".to_owned();
        gated.workflow = Some("W".to_owned());
        gated.gate = Some(GateFailure {
            reason: Reason::Suppressed,
            facts: "in the suppression list \"L\"".to_owned(),
        });
        let text = explain("c-1", &[&missed, &gated]);
        assert_eq!(
            text,
            "why `c-1`:\n\
             2026-03-02T08:00:00Z form_submitted (event 1)\n  \
             rule a.wf:1: trigger arguments did not match the event\n  \
             rule a.wf:5 (workflow \"W\"): no condition; stopped by gate suppressed: in the suppression list \"L\"\n"
        );

        let many: Vec<Evaluation> = (0..8).map(|i| evaluation(i, i as usize + 1)).collect();
        let refs: Vec<&Evaluation> = many.iter().collect();
        let text = explain("c-1", &refs);
        assert!(text.starts_with(&format!(
            "why `c-1`: the latest {MAX_EVENTS} events (3 earlier not shown)\n"
        )));
        assert!(
            !text.contains("(event 3)") && text.contains("(event 4)") && text.contains("(event 8)")
        );
        assert!(explain("c-2", &[]).starts_with("nothing to explain for `c-2`"));
    }
}

#[test]
fn an_open_string_is_coloured_as_a_string() {
    assert_eq!(
        highlight("in \"Boo"),
        "\x1b[1;35min\x1b[0m \x1b[32m\"Boo\x1b[0m"
    );
    assert!(highlight("@").contains("\x1b[4;31m@"));
}

#[test]
fn piped_sessions_survive_bad_bytes_and_stop_at_quit() {
    let (mut s, _) = Session::new(None, &[]).unwrap();
    let input: &[u8] = b":time\n\xff\xfe\n:trce\n:quit\n:time\n";
    let mut out = Vec::new();
    super::run_piped(&mut s, input, &mut out).unwrap();
    let out = String::from_utf8(out).unwrap();
    assert_eq!(out.matches("2026-01-05T09:00:00Z").count(), 1, "{out}");
    assert!(out.contains("did you mean `:trace`?"), "{out}");
}

#[test]
fn continuation_lines_get_a_hint() {
    use super::input::continuation_hint;
    let rule = "when x()\n";
    assert!(
        continuation_hint(rule, rule.len())
            .unwrap()
            .contains("rule continues")
    );
    let block = "workflow \"W\" {\n  reenroll\n";
    assert!(
        continuation_hint(block, block.len())
            .unwrap()
            .contains("block")
    );
    assert_eq!(
        continuation_hint("when x()", 8),
        None,
        "first line has the prompt"
    );
    assert_eq!(
        continuation_hint("when x()\n  if", 13),
        None,
        "not on a typed line"
    );
    assert_eq!(continuation_hint(rule, 3), None, "cursor elsewhere");
}

#[test]
fn completes_trigger_arguments_that_name_things() {
    let n = names();
    let line = "when property_changed(\"em";
    let c = complete(line, line.len(), &n);
    assert_eq!(
        c.candidates,
        vec!["\"email\"".to_owned(), "\"employees\"".to_owned()]
    );
    let line = "when list_added(";
    let c = complete(line, line.len(), &n);
    assert_eq!(c.candidates, vec!["\"Do not contact\"".to_owned()]);
}

#[test]
fn brackets_counted_line_by_line_match_the_whole_text() {
    use super::input::{Pending, completeness, open_brackets};
    let lines = [
        "workflow \"w\" {",
        "  # a comment with { and (",
        "  when form_submitted(\"a { b\") then unenroll",
        "  when list_added(\"x\")",
        "",
        "    then unenroll }",
        ") ] } extra closers",
        "when form_submitted(\"(\")",
        "  then unenroll",
    ];
    let mut pending = Pending::default();
    let mut text = String::new();
    for line in lines {
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(line);
        assert_eq!(
            pending.push_line(line),
            completeness(&text),
            "after {line:?}"
        );
        if completeness(&text) == super::input::Completeness::Complete {
            assert_eq!(pending.take(), text);
            text.clear();
        }
    }
    assert_eq!(open_brackets("{ \"}\" # }\n("), 2);
}
