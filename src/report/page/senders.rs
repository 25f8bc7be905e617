//! The senders section: for each sender, emails sent per local day
//! against the daily limit, with deferrals and `daily_send_limit` skips
//! marked; first, the days on which a sender was at the limit.

use super::super::Inputs;
use super::super::charts::{self, SenderDays};
use super::super::notes::Notes;
use super::super::tally::{SenderDay, Tally};
use super::escape;
use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Longer stretches show only the days with activity.
const MAX_CONTINUOUS_DAYS: i32 = 92;

/// One day of one sender, with the limit in effect at its end.
struct Day {
    day: i32,
    counts: SenderDay,
    limit: Option<u32>,
}

impl Day {
    fn at_limit(&self) -> bool {
        self.limit.is_some_and(|l| self.counts.sent >= l)
            || self.counts.deferred > 0
            || self.counts.limit_skips > 0
    }
}

fn date(day: i32) -> String {
    NaiveDate::from_num_days_from_ce_opt(day).map_or_else(String::new, |d| d.to_string())
}

/// The days of one sender: every day from the first to the last with
/// activity (only the active ones for long stretches).
fn days_of(
    sender: &str,
    active: &BTreeMap<i32, SenderDay>,
    inputs: &Inputs<'_>,
    tally: &Tally,
    notes: &Notes,
) -> Vec<Day> {
    let initial = inputs.account.user(sender).map(|u| u.daily_send_limit);
    let changes: Vec<(i32, u32)> = notes
        .limits
        .iter()
        .filter(|c| c.user == sender)
        .filter_map(|c| {
            chrono::DateTime::from_timestamp(c.at, 0).map(|t| (tally.day_of(t), c.limit))
        })
        .collect();
    let limit_on = |day: i32| {
        changes
            .iter()
            .take_while(|(d, _)| *d <= day)
            .last()
            .map(|(_, l)| *l)
            .or(initial)
    };
    let (Some(&first), Some(&last)) = (active.keys().next(), active.keys().next_back()) else {
        return Vec::new();
    };
    let days: Vec<i32> = if last - first < MAX_CONTINUOUS_DAYS {
        (first..=last).collect()
    } else {
        active.keys().copied().collect()
    };
    days.into_iter()
        .map(|day| Day {
            day,
            counts: active.get(&day).copied().unwrap_or_default(),
            limit: limit_on(day),
        })
        .collect()
}

/// Writes the section.
pub fn section(page: &mut String, inputs: &Inputs<'_>, tally: &Tally, notes: &Notes) {
    page.push_str(
        "<section id=\"senders\" aria-labelledby=\"senders-h\">\n<h2 id=\"senders-h\">Senders</h2>\n",
    );
    let mut senders: Vec<(&str, Vec<Day>)> = tally
        .senders
        .iter()
        .filter(|(_, days)| !days.is_empty())
        .map(|(name, active)| (name, days_of(name, active, inputs, tally, notes)))
        .collect();
    senders.sort_by(|a, b| a.0.cmp(b.0));
    if senders.is_empty() {
        page.push_str("<p class=\"note\">No sequence emails were sent.</p>\n</section>\n");
        return;
    }
    page.push_str("<h3>Days at the limit</h3>\n");
    let hits: Vec<(&str, &Day)> = senders
        .iter()
        .flat_map(|(s, days)| days.iter().filter(|d| d.at_limit()).map(move |d| (*s, d)))
        .collect();
    if hits.is_empty() {
        page.push_str("<p class=\"note\">No sender reached the daily limit.</p>\n");
    } else {
        page.push_str(
            "<div class=\"scroll\"><table id=\"limit-days\"><tr><th>sender</th><th>day</th><th class=\"n\">sent</th>\
             <th class=\"n\">limit</th><th class=\"n\">deferred</th><th class=\"n\">limit skips</th></tr>\n",
        );
        for (sender, d) in hits {
            let _ = writeln!(
                page,
                "<tr class=\"hit\" data-limit-day=\"{0} {1}\"><td><a href=\"#sender-{0}\">{0}</a></td><td>{1}</td>\
                 <td class=\"n\">{2}</td><td class=\"n\">{3}</td><td class=\"n\">{4}</td><td class=\"n\">{5}</td></tr>",
                escape(sender),
                date(d.day),
                d.counts.sent,
                d.limit.map_or("—".to_owned(), |l| l.to_string()),
                d.counts.deferred,
                d.counts.limit_skips
            );
        }
        page.push_str("</table></div>\n");
    }
    let _ = writeln!(
        page,
        "<p class=\"legend\"><span><i class=\"key\" style=\"background:#2b6cb0\"></i>emails sent per day \
         ({} time)</span><span><i class=\"key\" style=\"background:#c53030;height:3px\"></i>daily limit</span>\
         <span>▲ emails deferred</span><span>✕ enrollments skipped at the limit</span></p>",
        escape(inputs.account.timezone.name())
    );
    for (sender, days) in &senders {
        one_sender(page, sender, days);
    }
    page.push_str("</section>\n");
}

fn one_sender(page: &mut String, sender: &str, days: &[Day]) {
    let sent: u64 = days.iter().map(|d| u64::from(d.counts.sent)).sum();
    let deferred: u64 = days.iter().map(|d| u64::from(d.counts.deferred)).sum();
    let skips: u64 = days.iter().map(|d| u64::from(d.counts.limit_skips)).sum();
    let _ = writeln!(
        page,
        "<div class=\"sender\" id=\"sender-{0}\" data-sender=\"{0}\">\n<h3>{0}</h3>\n\
         <p>Sent <b data-sent=\"{0}\">{sent}</b> · deferred <b data-deferred=\"{0}\">{deferred}</b> · \
         skipped at the limit <b data-limit-skips=\"{0}\">{skips}</b> · daily limit {limit}</p>",
        escape(sender),
        limit = days
            .last()
            .and_then(|d| d.limit)
            .map_or("unknown".to_owned(), |l| l.to_string())
    );
    let labels: Vec<String> = days
        .iter()
        .map(|d| {
            NaiveDate::from_num_days_from_ce_opt(d.day)
                .map_or_else(String::new, |x| x.format("%m-%d").to_string())
        })
        .collect();
    let sent_per_day: Vec<u64> = days.iter().map(|d| u64::from(d.counts.sent)).collect();
    let limit: Vec<Option<u64>> = days.iter().map(|d| d.limit.map(u64::from)).collect();
    let deferred_days: Vec<bool> = days.iter().map(|d| d.counts.deferred > 0).collect();
    let skip_days: Vec<bool> = days.iter().map(|d| d.counts.limit_skips > 0).collect();
    page.push_str(&charts::sender_days(
        &format!("emails sent per day by {sender}"),
        &SenderDays {
            labels: &labels,
            sent: &sent_per_day,
            limit: &limit,
            deferred: &deferred_days,
            limit_skips: &skip_days,
        },
    ));
    page.push_str(
        "\n<details><summary>Every day</summary><div class=\"scroll\"><table><tr><th>day</th><th class=\"n\">sent</th>\
         <th class=\"n\">limit</th><th class=\"n\">deferred</th><th class=\"n\">limit skips</th></tr>\n",
    );
    for d in days {
        let _ = writeln!(
            page,
            "<tr{}><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            if d.at_limit() { " class=\"hit\"" } else { "" },
            date(d.day),
            d.counts.sent,
            d.limit.map_or("—".to_owned(), |l| l.to_string()),
            d.counts.deferred,
            d.counts.limit_skips
        );
    }
    page.push_str("</table></div></details>\n</div>\n");
}
