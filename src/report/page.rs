//! The report's HTML: one page, its style sheet and script inline, its
//! charts inline SVG, its contacts' timelines inline JSON.
//!
//! Sections, in order: summary, senders, rules, sequences, contacts
//! (`docs/report.md`). Every count the page shows is also in a table, so
//! the page reads without the charts; tables carry `data-` attributes
//! naming what each count is. Text from the inputs is escaped.

mod rules;
mod senders;

use super::Inputs;
use super::charts;
use super::contacts;
use super::notes::Notes;
use super::tally::{Counts, REASONS, Tally};
use crate::runtime::engine::counters::RuleCounts;
use crate::runtime::{Decision, Reason};
use rustc_hash::FxHashSet;
use std::fmt::Write as _;

const STYLE: &str = include_str!("page/page.css");
const SCRIPT: &str = include_str!("page/page.js");

/// Warnings listed at once; the rest open on request.
const WARNINGS_SHOWN: usize = 10;

/// Renders the page.
pub fn render(
    inputs: &Inputs<'_>,
    tally: &Tally,
    notes: &Notes,
    rule_counts: &[RuleCounts],
    events_run: usize,
) -> String {
    let selection = contacts::select(tally, notes);
    let timelines = contacts::timelines(&selection, tally, notes);
    let data = contacts::data_json(&selection, &timelines, tally, notes);
    let mut page = String::with_capacity(data.len() + 256 * 1024);
    page.push_str(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>wf report</title>\n<style>\n",
    );
    page.push_str(STYLE);
    page.push_str(
        "</style>\n</head>\n<body>\n<a class=\"skip\" href=\"#main\">Skip to the report</a>\n",
    );
    header(&mut page, inputs, notes, events_run);
    page.push_str("<main id=\"main\">\n");
    summary(
        &mut page,
        inputs,
        tally,
        notes,
        events_run,
        selection.ids.len(),
    );
    senders::section(&mut page, inputs, tally, notes);
    rules::section(&mut page, inputs, tally, rule_counts);
    sequences(&mut page, inputs, tally);
    contacts_section(&mut page, &selection);
    page.push_str("</main>\n<script type=\"application/json\" id=\"wf-data\">");
    page.push_str(&data);
    page.push_str("</script>\n<script>\n");
    page.push_str(SCRIPT);
    page.push_str("</script>\n</body>\n</html>\n");
    page
}

/// Text made safe for HTML.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `2026-03-02 08:15:00Z` for seconds since the epoch.
pub fn time(at: i64) -> String {
    chrono::DateTime::from_timestamp(at, 0)
        .map_or_else(String::new, |t| t.format("%Y-%m-%d %H:%M:%SZ").to_string())
}

fn header(page: &mut String, inputs: &Inputs<'_>, notes: &Notes, events_run: usize) {
    let scripts: Vec<String> = inputs
        .sources
        .iter()
        .map(|(_, f)| format!("<code>{}</code>", escape(&f.name)))
        .collect();
    let _ = write!(
        page,
        "<header>\n<h1>wf report</h1>\n<p>Scripts: {}</p>\n<p>Events: <code>{}</code>, {} run",
        scripts.join(", "),
        escape(inputs.events_name),
        events_run
    );
    if let (Some(first), Some(last)) = (notes.events.first(), notes.events.last()) {
        let _ = write!(page, ", from {} to {}", time(first.at), time(last.at));
    }
    if let Some(until) = inputs.until {
        let _ = write!(page, "; replayed until {}", time(until.timestamp()));
    }
    let _ = write!(
        page,
        ".</p>\n<p>Account: {} users, {} sequences, time zone {}.</p>\n",
        inputs.account.users.len(),
        inputs.account.sequences.len(),
        escape(inputs.account.timezone.name())
    );
    page.push_str(
        "<nav aria-label=\"Sections\"><a href=\"#summary\">Summary</a><a href=\"#senders\">Senders</a>\
         <a href=\"#rules\">Rules</a><a href=\"#sequences\">Sequences</a><a href=\"#contacts\">Contacts</a></nav>\n</header>\n",
    );
}

fn summary(
    page: &mut String,
    inputs: &Inputs<'_>,
    tally: &Tally,
    notes: &Notes,
    events_run: usize,
    contacts_touched: usize,
) {
    let records: u64 = tally.all.decisions.iter().sum();
    let _ = write!(
        page,
        "<section id=\"summary\" aria-labelledby=\"summary-h\">\n<h2 id=\"summary-h\">Summary</h2>\n\
         <ul class=\"cards\"><li><b data-count=\"events\">{events_run}</b>events</li>\
         <li><b data-count=\"contacts\">{contacts_touched}</b>contacts touched</li>\
         <li><b data-count=\"records\">{records}</b>records</li></ul>\n"
    );
    page.push_str("<h3>Records by decision</h3>\n<div class=\"scroll\"><table><tr><th>decision</th><th class=\"n\">records</th></tr>\n");
    for d in Decision::ALL {
        let _ = writeln!(
            page,
            "<tr><td>{}</td><td class=\"n\" data-decision=\"{}\">{}</td></tr>",
            d.as_str(),
            d.as_str(),
            tally.all.of(d)
        );
    }
    page.push_str("</table></div>\n<div class=\"grid\">\n");
    let skip_contacts = contacts_by_reason(tally, Decision::Skip);
    let unenroll_contacts = contacts_by_reason(tally, Decision::Unenroll);
    reason_block(
        page,
        "Skips by reason",
        "skip",
        &tally.all.skips,
        &skip_contacts,
        charts::ORANGE,
    );
    reason_block(
        page,
        "Unenrolls by reason",
        "unenroll",
        &tally.all.unenrolls,
        &unenroll_contacts,
        charts::PURPLE,
    );
    page.push_str("</div>\n");
    warnings(page, inputs);
    let _ = notes;
    page.push_str("</section>\n");
}

/// Distinct contacts per reason of `decision`.
fn contacts_by_reason(tally: &Tally, decision: Decision) -> [u64; REASONS.len()] {
    let mut seen: FxHashSet<(u32, u8)> = FxHashSet::default();
    let mut counts = [0; REASONS.len()];
    for r in &tally.timeline {
        if r.decision != decision {
            continue;
        }
        if let Some(reason) = r.reason
            && seen.insert((r.contact, reason as u8))
            && let Some(n) = counts.get_mut(reason as usize)
        {
            *n += 1;
        }
    }
    counts
}

fn reason_block(
    page: &mut String,
    title: &str,
    kind: &str,
    records: &[u64; REASONS.len()],
    contacts: &[u64; REASONS.len()],
    color: plotters::style::RGBColor,
) {
    let mut rows: Vec<(Reason, u64, u64)> = REASONS
        .iter()
        .zip(records.iter().zip(contacts))
        .filter(|(_, (n, _))| **n > 0)
        .map(|(r, (n, c))| (*r, *n, *c))
        .collect();
    // Most first; equal counts in the trace's order of reasons.
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let _ = writeln!(page, "<div>\n<h3>{title}</h3>");
    if rows.is_empty() {
        let _ = writeln!(page, "<p class=\"note\">No {kind} records.</p>\n</div>");
        return;
    }
    let bars: Vec<(&str, u64)> = rows.iter().map(|(r, n, _)| (r.as_str(), *n)).collect();
    page.push_str(&charts::horizontal_bars(title, &bars, color));
    let _ = writeln!(
        page,
        "<div class=\"scroll\"><table><tr><th>reason</th><th class=\"n\">records</th><th class=\"n\">contacts</th></tr>"
    );
    for (r, n, c) in rows {
        let _ = writeln!(
            page,
            "<tr><td>{0}</td><td class=\"n\" data-{kind}-reason=\"{0}\">{n}</td><td class=\"n\" data-{kind}-contacts=\"{0}\">{c}</td></tr>",
            r.as_str()
        );
    }
    page.push_str("</table></div>\n</div>\n");
}

fn warnings(page: &mut String, inputs: &Inputs<'_>) {
    let _ = writeln!(
        page,
        "<h3>Checker warnings ({})</h3>",
        inputs.warnings.len()
    );
    if inputs.warnings.is_empty() {
        page.push_str("<p class=\"note\">None.</p>\n");
        return;
    }
    page.push_str("<ul class=\"warnings\">\n");
    for (i, w) in inputs.warnings.iter().enumerate() {
        if i == WARNINGS_SHOWN {
            let _ = write!(
                page,
                "</ul>\n<details><summary>{} more warnings</summary>\n<ul class=\"warnings\">\n",
                inputs.warnings.len() - WARNINGS_SHOWN
            );
        }
        let j = w.to_json(inputs.sources);
        let _ = write!(
            page,
            "<li><code>{}:{}:{}</code> <span class=\"warn\">{}</span> {}",
            escape(j.file),
            j.line,
            j.column,
            escape(j.code),
            escape(j.message)
        );
        if let Some(help) = &j.help {
            let _ = write!(page, " <span class=\"note\">({})</span>", escape(help));
        }
        page.push_str("</li>\n");
    }
    page.push_str("</ul>\n");
    if inputs.warnings.len() > WARNINGS_SHOWN {
        page.push_str("</details>\n");
    }
}

fn sequences(page: &mut String, inputs: &Inputs<'_>, tally: &Tally) {
    page.push_str(
        "<section id=\"sequences\" aria-labelledby=\"sequences-h\">\n<h2 id=\"sequences-h\">Sequences</h2>\n\
         <div class=\"scroll\"><table><tr><th>sequence</th><th class=\"n\">steps</th><th class=\"n\">enrolled</th>\
         <th class=\"n\">finished</th><th class=\"n\">unenrolled</th><th>unenrolled by</th>\
         <th class=\"n\">skipped</th><th class=\"n\">emails sent</th><th class=\"n\">tasks</th></tr>\n",
    );
    let empty = Counts::default();
    let mut names: Vec<(&str, Option<&crate::account::Sequence>)> = inputs
        .account
        .sequences
        .iter()
        .map(|s| (s.name.as_str(), Some(s)))
        .collect();
    for (name, _) in tally.sequences.iter() {
        if inputs.account.sequence(name).is_none() {
            names.push((name, None));
        }
    }
    for (name, sequence) in names {
        let counts = tally
            .sequences
            .id(name)
            .and_then(|id| tally.sequences.values.get(id as usize))
            .unwrap_or(&empty);
        let steps = sequence.map_or("—".to_owned(), |s| s.steps.len().to_string());
        let mark = match sequence {
            Some(s) if s.deleted => " <span class=\"note\">(deleted)</span>",
            Some(_) => "",
            None => " <span class=\"note\">(not in the account)</span>",
        };
        let _ = writeln!(
            page,
            "<tr data-sequence=\"{0}\"><td>{0}{mark}</td><td class=\"n\">{steps}</td><td class=\"n\">{1}</td>\
             <td class=\"n\">{2}</td><td class=\"n\">{3}</td><td>{4}</td><td class=\"n\">{5}</td>\
             <td class=\"n\">{6}</td><td class=\"n\">{7}</td></tr>",
            escape(name),
            counts.of(Decision::Enroll),
            counts.of(Decision::Finish),
            counts.of(Decision::Unenroll),
            reason_list(&counts.unenrolls),
            counts.of(Decision::Skip),
            counts.of(Decision::EmailSent),
            counts.of(Decision::TaskCreated),
        );
    }
    page.push_str("</table></div>\n</section>\n");
}

/// `replied 3, workflow 1`: the reasons with a count, most first.
pub fn reason_list(counts: &[u64; REASONS.len()]) -> String {
    let mut rows: Vec<(Reason, u64)> = REASONS
        .iter()
        .zip(counts)
        .filter(|(_, n)| **n > 0)
        .map(|(r, n)| (*r, *n))
        .collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    rows.iter()
        .map(|(r, n)| format!("{} {n}", r.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn contacts_section(page: &mut String, selection: &contacts::Selection) {
    page.push_str(
        "<section id=\"contacts\" aria-labelledby=\"contacts-h\">\n<h2 id=\"contacts-h\">Contacts</h2>\n",
    );
    let total = selection.flagged_total + selection.others_total;
    if selection.partial() {
        let _ = writeln!(
            page,
            "<p id=\"contacts-shown\">This page holds the timelines of {} of {} contacts: \
             {} of the {} with a skip or an unenroll, and a sample of {} of the {} others \
             (one in {}, as far as the page's room allows). Left out: {} with a skip or an \
             unenroll and {} others; <code>wf run --explain CONTACT</code> tells about any contact.</p>",
            selection.shown.len(),
            total,
            selection.flagged_shown,
            selection.flagged_total,
            selection.others_shown,
            selection.others_total,
            selection.sample_every,
            selection.flagged_total - selection.flagged_shown,
            selection.others_total - selection.others_shown,
        );
    } else {
        let _ = writeln!(
            page,
            "<p id=\"contacts-shown\">All {total} contacts are here, {} of them with a skip or an unenroll (marked ●).</p>",
            selection.flagged_total
        );
    }
    page.push_str(
        "<div class=\"search\"><label for=\"contact-search\">Search contacts</label>\
         <input id=\"contact-search\" type=\"search\" placeholder=\"contact id\" autocomplete=\"off\">\
         <label><input type=\"checkbox\" id=\"only-flagged\"> only with a skip or unenroll</label></div>\n\
         <p id=\"contact-status\" aria-live=\"polite\"></p>\n<ul id=\"contact-list\"></ul>\n\
         <div id=\"timeline\" tabindex=\"-1\"><p class=\"note\">Choose a contact to see its timeline.</p></div>\n\
         <noscript><p>The contact list and timelines are drawn by the page's script, which is turned off.</p></noscript>\n\
         </section>\n",
    );
}
