//! The rules section: per rule, in program order, its records by decision
//! and reason; its source opens on click (or Enter).

use super::super::Inputs;
use super::super::tally::{Counts, Tally};
use super::{escape, reason_list};
use crate::runtime::Decision;
use crate::runtime::engine::counters::RuleCounts;
use crate::syntax::ast::{Item, Rule};
use std::fmt::Write as _;

/// A rule as the trace names it, with its source.
struct RuleSource<'a> {
    /// `FILE:LINE` (base name).
    name: String,
    workflow: Option<&'a str>,
    text: &'a str,
}

fn rules<'a>(inputs: &'a Inputs<'_>) -> Vec<RuleSource<'a>> {
    let mut out = Vec::new();
    for (file, program) in inputs.programs {
        let Some(source) = inputs.sources.get(*file) else {
            continue;
        };
        let mut add = |rule: &Rule, workflow: Option<&'a str>| {
            let (line, _) = source.line_col(rule.span.start);
            out.push(RuleSource {
                name: format!("{}:{line}", source.base_name()),
                workflow,
                text: source
                    .text
                    .get(rule.span.start..rule.span.end)
                    .unwrap_or(""),
            });
        };
        for item in &program.items {
            match item {
                Item::Rule(rule) => add(rule, None),
                Item::Workflow(w) => {
                    for rule in &w.rules {
                        add(rule, Some(w.name.value.as_str()));
                    }
                }
            }
        }
    }
    out
}

/// Writes the section.
pub fn section(page: &mut String, inputs: &Inputs<'_>, tally: &Tally, matched: &[RuleCounts]) {
    page.push_str(
        "<section id=\"rules\" aria-labelledby=\"rules-h\">\n<h2 id=\"rules-h\">Rules</h2>\n\
         <p class=\"note\">How often each rule's trigger matched an event, how often its condition then held \
         (a rule without a condition holds whenever it matches), and the records it made, by decision and reason. \
         Open a rule to read its source.</p>\n\
         <div class=\"scroll\"><table><tr><th>rule</th><th class=\"n\">matched</th><th class=\"n\">held</th><th class=\"n\">enrolled</th>\
         <th class=\"n\">skipped</th><th>skipped because</th><th class=\"n\">unenrolled</th></tr>\n",
    );
    let empty = Counts::default();
    for rule in rules(inputs) {
        let counts = tally
            .rules
            .id(&rule.name)
            .and_then(|id| tally.rules.values.get(id as usize))
            .unwrap_or(&empty);
        let workflow = rule.workflow.map_or(String::new(), |w| {
            format!(" <span class=\"note\">in workflow “{}”</span>", escape(w))
        });
        let first_line = rule.text.lines().next().unwrap_or("");
        let counted = matched.iter().find(|c| c.rule == rule.name);
        let matched_n = counted.map_or("—".to_owned(), |c| c.triggered.to_string());
        let held_n = counted.map_or("—".to_owned(), |c| {
            c.condition
                .as_ref()
                .map_or(c.triggered, |k| k.held)
                .to_string()
        });
        let _ = writeln!(
            page,
            "<tr data-rule=\"{0}\"><td><details><summary><code>{0}</code>{workflow} <code>{1}</code></summary>\
             <pre><code>{2}</code></pre></details></td><td class=\"n\" data-matched=\"{0}\">{matched_n}</td>\
             <td class=\"n\" data-held=\"{0}\">{held_n}</td><td class=\"n\">{3}</td><td class=\"n\">{4}</td>\
             <td>{5}</td><td class=\"n\">{6}</td></tr>",
            escape(&rule.name),
            escape(first_line.trim()),
            escape(rule.text),
            counts.of(Decision::Enroll),
            counts.of(Decision::Skip),
            reason_list(&counts.skips),
            counts.of(Decision::Unenroll),
        );
    }
    page.push_str("</table></div>\n</section>\n");
}
