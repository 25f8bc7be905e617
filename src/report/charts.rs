//! Bar charts as inline SVG, drawn by `plotters` with its SVG backend (no
//! fonts are read: the browser sets the text).
//!
//! Each chart is a string holding one `<svg>` element with a `viewBox`, so
//! the page's style sheet can scale it to the window. The same data gives
//! the same bytes. A chart that cannot be drawn (which plotters reports as
//! an error, never for the data given here) becomes a short note instead.

use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

const WIDTH: u32 = 720;
const BARS_WIDTH: u32 = 560;
const TEXT: RGBColor = RGBColor(0x22, 0x22, 0x22);
/// Bars of counts.
pub const BLUE: RGBColor = RGBColor(0x2b, 0x6c, 0xb0);
/// Bars of skips.
pub const ORANGE: RGBColor = RGBColor(0xc0, 0x56, 0x21);
/// Bars of unenrolls.
pub const PURPLE: RGBColor = RGBColor(0x6b, 0x46, 0xc1);
const LIMIT: RGBColor = RGBColor(0xc5, 0x30, 0x30);
const DEFERRED: RGBColor = RGBColor(0xd6, 0x9e, 0x2e);

/// A horizontal bar chart: one bar per `(label, count)`, the count written
/// beside it. `title` names the chart for screen readers.
pub fn horizontal_bars(title: &str, bars: &[(&str, u64)], color: RGBColor) -> String {
    let mut svg = String::new();
    let drawn = draw_horizontal(&mut svg, bars, color);
    finish(svg, drawn, title)
}

fn draw_horizontal(
    svg: &mut String,
    bars: &[(&str, u64)],
    color: RGBColor,
) -> Result<(), Box<dyn std::error::Error>> {
    let n = bars.len().max(1);
    let height = 36 + 28 * u32::try_from(n).unwrap_or(1);
    let root = SVGBackend::with_string(svg, (BARS_WIDTH, height)).into_drawing_area();
    root.fill(&WHITE)?;
    let max = bars.iter().map(|b| b.1).max().unwrap_or(0).max(1);
    let label_width = bars.iter().map(|b| b.0.len()).max().unwrap_or(4);
    let label_area = u32::try_from(label_width * 9 + 14).unwrap_or(200).min(240);
    let mut chart = ChartBuilder::on(&root)
        .margin(8)
        .x_label_area_size(22)
        .y_label_area_size(label_area)
        .build_cartesian_2d(0..max + max / 8 + 1, segments(n))?;
    // The first bar on top: slot `n - 1 - i` holds bar `i`.
    let slot = |i: usize| n.saturating_sub(1 + i);
    let label_of = |v: &SegmentValue<usize>| match v {
        SegmentValue::CenterOf(i) => bars.get(slot(*i)).map_or(String::new(), |b| b.0.to_owned()),
        _ => String::new(),
    };
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(n)
        .y_label_formatter(&label_of)
        .x_labels(6)
        .x_label_formatter(&|v| format!("{v}"))
        .label_style(("sans-serif", 15).into_font().color(&TEXT))
        .light_line_style(RGBColor(0xee, 0xee, 0xee))
        .draw()?;
    chart.draw_series(bars.iter().enumerate().map(|(i, b)| {
        let mut bar = Rectangle::new(
            [
                (0, SegmentValue::Exact(slot(i))),
                (b.1, SegmentValue::Exact(slot(i) + 1)),
            ],
            color.filled(),
        );
        bar.set_margin(4, 4, 0, 0);
        bar
    }))?;
    chart.draw_series(bars.iter().enumerate().map(|(i, b)| {
        Text::new(
            format!(" {}", b.1),
            (b.1, SegmentValue::CenterOf(slot(i))),
            // Beside the bar's end, centred on it.
            ("sans-serif", 15)
                .into_font()
                .color(&TEXT)
                .pos(Pos::new(HPos::Left, VPos::Center)),
        )
    }))?;
    root.present()?;
    Ok(())
}

/// One sender's days.
pub struct SenderDays<'a> {
    /// Day labels (`MM-DD`).
    pub labels: &'a [String],
    /// Emails sent per day.
    pub sent: &'a [u64],
    /// The daily limit in effect that day, when known.
    pub limit: &'a [Option<u64>],
    /// Days with deferred emails.
    pub deferred: &'a [bool],
    /// Days with `daily_send_limit` skips.
    pub limit_skips: &'a [bool],
}

/// Emails sent per day as bars, the daily limit as a red line, days with
/// deferrals marked by a yellow triangle and days with limit skips by a red
/// cross above the bar.
pub fn sender_days(title: &str, days: &SenderDays<'_>) -> String {
    let mut svg = String::new();
    let drawn = draw_sender(&mut svg, days);
    finish(svg, drawn, title)
}

fn draw_sender(svg: &mut String, d: &SenderDays<'_>) -> Result<(), Box<dyn std::error::Error>> {
    let n = d.labels.len().max(1);
    let root = SVGBackend::with_string(svg, (WIDTH, 240)).into_drawing_area();
    root.fill(&WHITE)?;
    let most = d.sent.iter().copied().max().unwrap_or(0).max(1);
    // The limit is drawn when it is near the sends; far above, the bars
    // would be too flat to read (the page says the limit in words).
    let top = d
        .limit
        .iter()
        .flatten()
        .copied()
        .filter(|&l| l <= most.saturating_mul(3))
        .max()
        .unwrap_or(0)
        .max(most);
    let top = top + top / 5 + 1;
    let mut chart = ChartBuilder::on(&root)
        .margin(8)
        .x_label_area_size(24)
        .y_label_area_size(48)
        .build_cartesian_2d(segments(n), 0..top)?;
    let label_of = |v: &SegmentValue<usize>| match v {
        SegmentValue::CenterOf(i) => d.labels.get(*i).cloned().unwrap_or_default(),
        _ => String::new(),
    };
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(n.min(12))
        .x_label_formatter(&label_of)
        .y_labels(5)
        .label_style(("sans-serif", 15).into_font().color(&TEXT))
        .light_line_style(RGBColor(0xee, 0xee, 0xee))
        .draw()?;
    chart.draw_series(d.sent.iter().enumerate().map(|(i, &v)| {
        let mut bar = Rectangle::new(
            [(SegmentValue::Exact(i), 0), (SegmentValue::Exact(i + 1), v)],
            BLUE.filled(),
        );
        bar.set_margin(0, 0, 2, 2);
        bar
    }))?;
    for (i, limit) in d.limit.iter().enumerate() {
        if let Some(limit) = limit.filter(|&l| l < top) {
            chart.draw_series(std::iter::once(PathElement::new(
                vec![
                    (SegmentValue::Exact(i), limit),
                    (SegmentValue::Exact(i + 1), limit),
                ],
                LIMIT.stroke_width(2),
            )))?;
        }
    }
    let mark_at = |i: usize| {
        let sent = d.sent.get(i).copied().unwrap_or(0);
        (SegmentValue::CenterOf(i), sent + top / 14 + 1)
    };
    chart.draw_series(
        d.deferred
            .iter()
            .enumerate()
            .filter(|(_, m)| **m)
            .map(|(i, _)| TriangleMarker::new(mark_at(i), 6, DEFERRED.filled())),
    )?;
    chart.draw_series(
        d.limit_skips
            .iter()
            .enumerate()
            .filter(|(_, m)| **m)
            .map(|(i, _)| {
                let (x, y) = mark_at(i);
                Cross::new((x, y + top / 14 + 1), 5, LIMIT.stroke_width(2))
            }),
    )?;
    root.present()?;
    Ok(())
}

/// `n` slots `0..n` (an integer range's segments include its end).
fn segments(
    n: usize,
) -> plotters::coord::ranged1d::SegmentedCoord<plotters::coord::types::RangedCoordusize> {
    (0..n.saturating_sub(1)).into_segmented()
}

/// The drawn chart with a title for screen readers, or a note when
/// plotters failed.
fn finish(svg: String, drawn: Result<(), Box<dyn std::error::Error>>, title: &str) -> String {
    match drawn {
        // In a box that scrolls sideways: in a narrow window the chart
        // keeps a width at which its labels stay readable.
        Ok(()) => format!(
            "<div class=\"chart-box\">{}</div>",
            svg.replacen(
                "<svg ",
                &format!(
                    "<svg role=\"img\" aria-label=\"{}\" class=\"chart\" ",
                    super::page::escape(title)
                ),
                1,
            )
        ),
        Err(e) => format!(
            "<p class=\"note\">the chart could not be drawn: {}</p>",
            super::page::escape(&e.to_string())
        ),
    }
}
