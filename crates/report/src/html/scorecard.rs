//! The "Measures scorecard": one row per measure with its last three periods, year to date,
//! target, status, direction of travel, benchmarks and a sparkline.

use super::parts::{arrow, judgement_word, status_label};
use super::Page;
use crate::charts::trend::PLOTTABLE;
use crate::counts::MeasureFacts;
use crate::format::{
    append_unit, escape, frequency_text, good_is, label_title, months_span, number_like, period_long, period_short, svg_number, with_unit,
};
use crate::palette;
use scorecard_core::{Aggregation, Dot, DotBasis, Frequency, Period, Polarity, Versus};
use std::collections::HashMap;
use std::fmt::Write;

pub(super) fn scorecard(out: &mut String, page: &Page) {
    let plan = page.plan;
    let labels: Vec<usize> = (0..page.labels.len())
        .filter(|b| page.measures.iter().any(|m| m.rating.benchmarks.get(*b).is_some_and(|c| c.value.is_some())))
        .collect();
    let _ = write!(
        out,
        "<section id=\"scorecard\" aria-labelledby=\"scorecard-h\">\n<h2 id=\"scorecard-h\">Measures scorecard</h2>\n<p>Each measure is rated on its own latest period that ended by the end of {}: the month for monthly measures, the quarter for quarterly ones, the last complete year for annual ones. The last three periods run oldest to latest. Year to date covers the plan's {} year up to the latest period.</p>\n<table class=\"scorecard\">\n<caption>Measures at {}</caption>\n{}<thead><tr><th scope=\"col\">Measure</th><th scope=\"col\">Last three periods</th><th scope=\"col\">Year to date</th><th scope=\"col\">Target (amber threshold)</th><th scope=\"col\">Status</th><th scope=\"col\">Direction of travel</th>",
        escape(&period_long(page.period)),
        plan.year_type.name(),
        escape(&period_short(page.period)),
        scorecard_columns(labels.len())
    );
    for b in &labels {
        let _ = write!(out, "<th scope=\"col\">{}</th>", escape(&label_title(&page.labels[*b])));
    }
    out.push_str("<th scope=\"col\">Trend</th></tr></thead>\n");
    let columns = 7 + labels.len();
    let mut group: Option<&str> = None;
    let mut priorities: HashMap<&str, &scorecard_core::Priority> = HashMap::new();
    for p in &plan.priorities {
        priorities.entry(p.id.as_str()).or_insert(p);
    }
    for m in page.measures {
        let measure = &plan.measures[m.index];
        if group != Some(measure.group.as_str()) {
            if group.is_some() {
                out.push_str("</tbody>\n");
            }
            let name = match priorities.get(measure.group.as_str()) {
                Some(p) if !p.title.is_empty() => format!("Priority {}: {}", p.id, p.title),
                Some(p) => format!("Priority {}", p.id),
                None if measure.group.is_empty() => "Measures".to_string(),
                None => measure.group.clone(),
            };
            let _ = writeln!(out, "<tbody>\n<tr class=\"group\"><th colspan=\"{columns}\" scope=\"rowgroup\">{}</th></tr>", escape(&name));
            group = Some(measure.group.as_str());
        }
        let r = &m.rating;
        let unit = measure.unit.trim();
        let unit_note = if unit.is_empty() { String::new() } else { format!(" · unit: {}", escape(unit)) };
        let _ = write!(
            out,
            "<tr><th scope=\"row\"><span class=\"id\">{}</span>{}<span class=\"about\">{} · {}{}</span></th>",
            escape(&measure.id),
            escape(&measure.title),
            match measure.polarity {
                Polarity::Neutral => "Neutral (contextual, not rated)".to_string(),
                p => format!("Good is {}", good_is(p).to_lowercase()),
            },
            escape(&frequency_text(measure.frequency, measure.year_type).to_lowercase()),
            unit_note
        );
        // Last three periods.
        out.push_str("<td><ol class=\"recent\">");
        for p in &m.recent {
            let rating = p.rating.as_ref();
            let value = rating.and_then(|r| r.value).map(|v| with_unit(v, unit)).unwrap_or_else(|| "no value".into());
            let status = rating.map(|r| status_label(&page.plan.labels, r.status, true)).unwrap_or_default();
            let _ = write!(out, "<li>{}: <strong>{}</strong> {}</li>", escape(&period_short(p.period)), escape(&value), status);
        }
        out.push_str("</ol></td>");
        // Year to date.
        match &m.year_to_date {
            Some(y) => {
                let what = match y.aggregation {
                    Aggregation::Pooled => "all cases pooled",
                    Aggregation::Mean => "average",
                    Aggregation::Sum => "total",
                };
                let per = match measure.frequency {
                    Frequency::Monthly => "month",
                    _ => "quarter",
                };
                let like = m.history.iter().rev().find_map(|p| p.rating.as_ref().and_then(|r| r.value));
                let _ = write!(
                    out,
                    "<td><strong>{}</strong><span class=\"why\">{}; {} {}{}, {what}</span></td>",
                    escape(&append_unit(&number_like(y.value, like), unit)),
                    escape(&months_span(y.months.0, y.months.1)),
                    y.periods,
                    per,
                    if y.periods == 1 { "" } else { "s" }
                );
            }
            None if measure.frequency == Frequency::Annual => out.push_str("<td><span class=\"muted\">Annual measure</span></td>"),
            None => out.push_str("<td><span class=\"muted\">No values this year</span></td>"),
        }
        // Target and tolerance.
        match r.target {
            Some(t) => {
                let amber = r
                    .amber_threshold
                    .map(|a| format!(" <span class=\"why\">amber from {}</span>", escape(&append_unit(&number_like(a, Some(t)), unit))))
                    .unwrap_or_default();
                let _ = write!(out, "<td><strong>{}</strong>{amber}</td>", escape(&with_unit(t, unit)));
            }
            None => out.push_str("<td><span class=\"muted\">None</span></td>"),
        }
        let _ =
            write!(out, "<td>{}<span class=\"why\">{}</span></td>", status_label(&page.plan.labels, r.status, false), escape(&r.reason));
        // Direction of travel.
        let (word, class) = judgement_word(r.dot_judgement);
        let basis = match plan.dot_basis(measure) {
            DotBasis::Previous => "previous period",
            DotBasis::YearAgo => "same period last year",
        };
        let detail = match (r.dot, r.comparator_value) {
            (Dot::None, _) | (_, None) => format!("no value to compare ({basis})"),
            (d, Some(c)) => format!("{} from {} ({basis})", dot_word(d), with_unit(c, unit)),
        };
        let _ = write!(
            out,
            "<td><span class=\"dot {class}\">{} {word}</span><span class=\"why\">{}</span>{}</td>",
            arrow(r.dot, r.dot_judgement),
            escape(&detail),
            super::attention::trend_words(r)
        );
        for b in &labels {
            match r.benchmarks.get(*b) {
                Some(c) if c.value.is_some() => {
                    let v = c.value.map(|v| with_unit(v, unit)).unwrap_or_default();
                    let when = c.period.map(|p| format!(" ({})", period_short(p))).unwrap_or_default();
                    let verdict = c.versus.map(versus_word).unwrap_or("Not compared");
                    // Issue #13: the level a difference holds at, with two benchmark levels.
                    let verdict = match c.sig {
                        Some(l) => format!("{verdict} ({}%)", l.name()),
                        None => verdict.to_string(),
                    };
                    let _ = write!(out, "<td><strong>{verdict}</strong><span class=\"why\">{}{}</span></td>", escape(&v), escape(&when));
                }
                _ => out.push_str("<td><span class=\"muted\">No benchmark</span></td>"),
            }
        }
        let _ = writeln!(out, "<td>{}</td></tr>", sparkline(m, unit));
    }
    if group.is_some() {
        out.push_str("</tbody>\n");
    }
    out.push_str("</table>\n</section>\n");
}

/// Column widths of the scorecard table: the benchmark columns share what the others leave.
fn scorecard_columns(benchmarks: usize) -> String {
    let fixed = [20.0, 15.0, 9.0, 8.0, 13.0, 10.0];
    let trend = 9.0;
    let each =
        if benchmarks == 0 { 0.0 } else { (100.0 - fixed.iter().sum::<f64>() - trend).max(6.0 * benchmarks as f64) / benchmarks as f64 };
    let mut s = String::from("<colgroup>");
    for w in fixed.iter().copied().chain(std::iter::repeat_n(each, benchmarks)).chain([trend]) {
        let _ = write!(s, "<col style=\"width:{}%\">", svg_number(w, 2));
    }
    s.push_str("</colgroup>\n");
    s
}

fn dot_word(d: Dot) -> &'static str {
    match d {
        Dot::Up => "up",
        Dot::Down => "down",
        Dot::Same => "level",
        Dot::None => "",
    }
}

fn versus_word(v: Versus) -> &'static str {
    match v {
        Versus::Better => "Better",
        Versus::Similar => "Similar",
        Versus::Worse => "Worse",
        Versus::Higher => "Higher",
        Versus::Lower => "Lower",
    }
}

/// A small hand-drawn trend line for the scorecard table.
fn sparkline(m: &MeasureFacts, unit: &str) -> String {
    let points: Vec<(usize, f64, Period)> =
        m.history.iter().enumerate().filter_map(|(i, p)| p.rating.as_ref().and_then(|r| r.value).map(|v| (i, v, p.period))).collect();
    if points.len() < 2 {
        return "<span class=\"muted\">Too few values for a trend</span>".into();
    }
    // The trend charts' plottable range (issue #12): beyond it the line's coordinates overflow.
    if points.iter().map(|p| p.1).chain(m.rating.target).any(|v| !(v.is_finite() && v.abs() < PLOTTABLE)) {
        return "<span class=\"muted\">A value beyond ±1e15: no trend drawn</span>".into();
    }
    let (w, h, pad) = (120.0, 34.0, 4.0);
    let n = m.history.len().max(2) as f64 - 1.0;
    let target = m.rating.target;
    let (lo, hi) = points.iter().map(|p| p.1).chain(target).fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)));
    let span = if hi > lo { hi - lo } else { 1.0 };
    let x = |i: usize| pad + (w - 2.0 * pad) * i as f64 / n;
    let y = |v: f64| h - pad - (h - 2.0 * pad) * (v - lo) / span;
    let n2 = |v: f64| svg_number(v, 1);
    let mut svg = String::new();
    let (first, last) = (points[0], points[points.len() - 1]);
    let (min, max) =
        points.iter().fold((points[0], points[0]), |(a, b), p| (if p.1 < a.1 { *p } else { a }, if p.1 > b.1 { *p } else { b }));
    let label = format!(
        "Trend from {} to {}: {} to {}; lowest {} ({}), highest {} ({})",
        period_short(first.2),
        period_short(last.2),
        with_unit(first.1, unit),
        with_unit(last.1, unit),
        with_unit(min.1, unit),
        period_short(min.2),
        with_unit(max.1, unit),
        period_short(max.2)
    );
    let _ = write!(
        svg,
        "<svg class=\"spark\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{}\"><title>{}</title>",
        escape(&label),
        escape(&label)
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
    for (i, v, _) in &points {
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
