//! The "Measures scorecard": one row per measure with its last three periods, year to date,
//! target, status, direction of travel, benchmarks and a sparkline.

use super::parts::{arrow, judgement_word, status_label, was};
use crate::format::{escape, svg_number};
use crate::pack::{Figure, Scorecard, ScorecardRow};
use crate::palette;
use scorecard_core::Labels;
use std::fmt::Write;

pub(super) fn scorecard(out: &mut String, labels: &Labels, s: &Scorecard) {
    let _ = write!(
        out,
        "<section id=\"scorecard\" aria-labelledby=\"scorecard-h\">\n<h2 id=\"scorecard-h\">Measures scorecard</h2>\n<p>{}</p>\n",
        escape(&s.intro)
    );
    let mut head = String::from("<tr><th scope=\"col\">Measure</th><th scope=\"col\">Last three periods</th><th scope=\"col\">Year to date</th><th scope=\"col\">Target</th><th scope=\"col\">Status</th><th scope=\"col\">Direction of travel</th>");
    for h in &s.benchmark_headings {
        let _ = write!(head, "<th scope=\"col\">{}</th>", escape(h));
    }
    head.push_str("<th scope=\"col\" class=\"spark-cell\">Trend</th></tr>\n");
    let columns = 7 + s.benchmark_headings.len();
    // One table per group, its column headings and the group in its head, so that both are
    // printed again at the top of a page the table runs onto.
    for (n, g) in s.groups.iter().enumerate() {
        let keep = if g.rows.len() <= KEEP_TOGETHER { " keep" } else { "" };
        let _ = writeln!(out, "<table class=\"scorecard{keep}\">");
        if n == 0 {
            let _ = writeln!(out, "<caption>{}</caption>", escape(&s.caption));
        } else {
            let _ = writeln!(out, "<caption class=\"visually-hidden\">{}, continued</caption>", escape(&s.caption));
        }
        let _ = writeln!(
            out,
            "{}<thead>{head}<tr class=\"group\"><th colspan=\"{columns}\" scope=\"colgroup\">{}</th></tr>",
            scorecard_columns(s.benchmark_headings.len()),
            escape(&g.heading)
        );
        out.push_str("</thead>\n");
        for r in &g.rows {
            out.push_str("<tbody class=\"measure\">\n");
            row(out, labels, r, s.previous.as_deref(), columns);
            out.push_str("</tbody>\n");
        }
        out.push_str("</table>\n");
    }
    out.push_str("</section>\n");
}

/// The period's commentary from values.csv under the status's reason (issue #15).
fn commentary(text: &str) -> String {
    if text.is_empty() {
        return String::new();
    }
    format!("<span class=\"why comment\"><strong>Commentary:</strong> {}</span>", escape(text))
}

/// The recent trend's words under the direction of travel (issue #13); nothing when the
/// trend was not computed.
fn recent_trend(words: &str, test: &str) -> String {
    if words.is_empty() {
        return String::new();
    }
    // The test's figures are for the screen and the Word and Excel files; the printed pack
    // keeps the words (print CSS hides `.test`).
    let test = if test.is_empty() { String::new() } else { format!("<span class=\"test\"> ({})</span>", escape(test)) };
    format!("<span class=\"why\">{}{test}</span>", escape(words))
}

/// The forecast beside the status (issue #16); its sentence is the element's title on screen
/// and follows the reason under the row.
fn forecast(r: &ScorecardRow) -> String {
    if r.forecast.is_empty() {
        return String::new();
    }
    format!("<span class=\"why forecast\" title=\"{}\">{}</span>", escape(&r.forecast_reason), escape(&r.forecast))
}

/// A table of at most this many rows is kept on one page when printed.
const KEEP_TOGETHER: usize = 2;

fn muted(text: &str) -> String {
    format!("<td><span class=\"muted\">{}</span></td>", escape(text))
}

fn row(out: &mut String, labels: &Labels, r: &ScorecardRow, previous: Option<&str>, columns: usize) {
    let _ = write!(
        out,
        "<tr><th scope=\"row\"><span class=\"id\">{}</span>{}<span class=\"about\">{}</span>",
        escape(&r.id),
        escape(&r.title),
        escape(&r.about)
    );
    // Issue #15: the measure's lead and portfolio (measures.csv), when given.
    let who = r.who();
    if !who.is_empty() {
        let _ = write!(out, "<span class=\"about\">{}</span>", escape(&who));
    }
    out.push_str("</th>");
    // Last three periods.
    out.push_str("<td><ol class=\"recent\">");
    for p in &r.recent {
        // A period's status, when it had one: a measure not rated (neutral, or without a
        // target) says so once, in the status column, not three times here.
        let status = p.status.flatten().map(|s| status_label(labels, Some(s), true)).unwrap_or_default();
        let _ = write!(out, "<li>{}: <strong>{}</strong> {}</li>", escape(&p.period), escape(&p.value), status);
    }
    out.push_str("</ol></td>");
    match &r.year_to_date {
        Figure::Value { main, note } => {
            let _ = write!(out, "<td><strong>{}</strong><span class=\"why\">{}</span></td>", escape(main), escape(note));
        }
        Figure::Muted(text) => out.push_str(&muted(text)),
    }
    match &r.target {
        Figure::Value { main, note } => {
            let amber = if note.is_empty() { String::new() } else { format!(" <span class=\"why\">{}</span>", escape(note)) };
            let _ = write!(out, "<td><strong>{}</strong>{amber}</td>", escape(main));
        }
        Figure::Muted(text) => out.push_str(&muted(text)),
    }
    let _ = write!(out, "<td>{}{}{}</td>", status_label(labels, r.status, false), was(labels, previous, r.was), forecast(r));
    let (word, class) = judgement_word(r.judgement);
    let _ = write!(
        out,
        "<td><span class=\"dot {class}\">{} {word}</span><span class=\"why\">{}</span></td>",
        arrow(r.dot, r.judgement),
        escape(&r.dot_detail)
    );
    for b in &r.benchmarks {
        match b {
            Figure::Value { main, note } => {
                let _ = write!(out, "<td><strong>{}</strong><span class=\"why\">{}</span></td>", escape(main), escape(note));
            }
            Figure::Muted(text) => out.push_str(&muted(text)),
        }
    }
    let _ = writeln!(out, "<td class=\"spark-cell\">{}</td></tr>", sparkline(r));
    // The reason, the recent trend and the commentary across the row under the figures: read
    // at the table's full width they take two or three lines where a narrow status column
    // took a dozen (the printed pack's page budget, issue #15).
    let _ = writeln!(
        out,
        "<tr class=\"detail\"><td colspan=\"{columns}\"><span class=\"why\"><strong>Why:</strong> {}</span>{}{}{}</td></tr>",
        escape(&r.reason),
        if r.forecast_reason.is_empty() {
            String::new()
        } else {
            // The printed pack keeps the forecast's words beside the status; its sentence is for
            // the screen (print CSS hides `.test`), within the page budget.
            format!("<span class=\"why test\"><strong>Forecast:</strong> {}</span>", escape(&r.forecast_reason))
        },
        recent_trend(&r.recent_trend, &r.recent_trend_test),
        commentary(&r.commentary)
    );
}

/// Column widths of the scorecard table: the benchmark columns share what the others leave.
fn scorecard_columns(benchmarks: usize) -> String {
    // Printed, the trend column is left out and the others widen by 100/92: the last three
    // periods then hold "Oct 2023: 92.9% Green" on a line, and a benchmark column "neighbours".
    let fixed = [20.0, 18.0, 10.0, 7.0, 10.0, 11.0];
    let trend = 8.0;
    let each =
        if benchmarks == 0 { 0.0 } else { (100.0 - fixed.iter().sum::<f64>() - trend).max(8.0 * benchmarks as f64) / benchmarks as f64 };
    let mut s = String::from("<colgroup>");
    for w in fixed.iter().copied().chain(std::iter::repeat_n(each, benchmarks)) {
        let _ = write!(s, "<col style=\"width:{}%\">", svg_number(w, 2));
    }
    let _ = write!(s, "<col class=\"spark\" style=\"width:{}%\">", svg_number(trend, 2));
    s.push_str("</colgroup>\n");
    s
}

/// A small hand-drawn trend line for the scorecard table.
fn sparkline(r: &ScorecardRow) -> String {
    let points: Vec<(usize, f64)> = r.trend.iter().enumerate().filter_map(|(i, v)| v.map(|v| (i, v))).collect();
    let Some(label) = r.trend_label.as_deref().filter(|_| points.len() >= 2) else {
        return "<span class=\"muted\">Too few values for a trend</span>".into();
    };
    // The trend charts' plottable range (issue #12): beyond it the line's coordinates overflow.
    if !r.plottable {
        return "<span class=\"muted\">A value beyond ±1e15: no trend drawn</span>".into();
    }
    let (w, h, pad) = (120.0, 34.0, 4.0);
    let n = r.trend.len().max(2) as f64 - 1.0;
    let target = r.target_value;
    let (lo, hi) = points.iter().map(|p| p.1).chain(target).fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)));
    let span = if hi > lo { hi - lo } else { 1.0 };
    let x = |i: usize| pad + (w - 2.0 * pad) * i as f64 / n;
    let y = |v: f64| h - pad - (h - 2.0 * pad) * (v - lo) / span;
    let n2 = |v: f64| svg_number(v, 1);
    let mut svg = String::new();
    let last = points[points.len() - 1];
    let _ = write!(
        svg,
        "<svg class=\"spark\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{}\"><title>{}</title>",
        escape(label),
        escape(label)
    );
    if let Some(t) = target {
        let _ = write!(
            svg,
            "<line x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\" stroke=\"#0b0c0c\" stroke-width=\"1\" stroke-dasharray=\"3 2\"/>",
            n2(pad),
            n2(w - pad),
            n2(y(t)),
            n2(y(t))
        );
    }
    // Runs of consecutive values, broken where a period has none.
    let mut run: Vec<String> = Vec::new();
    let mut previous: Option<usize> = None;
    let flush = |run: &mut Vec<String>, svg: &mut String| {
        if run.len() > 1 {
            let _ = write!(
                svg,
                "<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"1.8\"/>",
                run.join(" "),
                palette::SERIES.hex()
            );
        }
        run.clear();
    };
    for (i, v) in &points {
        if previous.is_some_and(|p| p + 1 != *i) {
            flush(&mut run, &mut svg);
        }
        run.push(format!("{},{}", n2(x(*i)), n2(y(*v))));
        previous = Some(*i);
    }
    flush(&mut run, &mut svg);
    let _ = write!(svg, "<circle cx=\"{}\" cy=\"{}\" r=\"2.8\" fill=\"{}\"/></svg>", n2(x(last.0)), n2(y(last.1)), palette::SERIES.hex());
    svg
}
