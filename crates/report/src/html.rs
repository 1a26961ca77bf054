//! The report page: one self-contained HTML file (inline CSS and SVG, no script, nothing
//! fetched) that reads on screen and prints on A4 landscape.
//!
//! Accessibility (WCAG 2.2 AA): every status is written out beside its colour, arrows carry
//! their word, tables have `<caption>` and `<th scope>` headers, every chart and sparkline has
//! a title and a text description, colours are in [`crate::palette`] with their contrast
//! tested, and the page has a language, headings in order and a contents list.

use crate::canvas::Words;
use crate::charts::{axis_label, TrendChart, TrendPoint};
use crate::format::{append_unit, date_long, date_uk, escape, label_title, months_span, number_like, period_long, period_short, with_unit};
use crate::measures::MeasureFacts;
use crate::overview::{Counted, Overview};
use crate::palette::{self, status_colours};
use crate::ChartFiles;
use chrono::NaiveDate;
use scorecard_core::rules::DotBasis;
use scorecard_core::Plan;
use scorecard_core::{Dot, DotJudgement, Kind, Rating, Ratings, Versus};
use scorecard_core::{Frequency, Period, YearType};
use scorecard_core::{Polarity, Status};
use std::fmt::Write;

/// What the page is made from.
pub(crate) struct Page<'a> {
    pub plan: &'a Plan,
    pub period: Period,
    pub produced: NaiveDate,
    pub labels: &'a [String],
    pub ratings: &'a Ratings,
    pub overview: &'a Overview,
    pub measures: &'a [MeasureFacts],
    /// Each chart's files and its inline SVG: the overview first, then one per measure.
    pub charts: Vec<(&'a ChartFiles, String)>,
}

/// The CSS every page shares: page, tables and the status colours.
pub(crate) fn base_css() -> String {
    let mut css = String::from(
        "body{font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,\"Helvetica Neue\",Arial,\"Liberation Sans\",sans-serif;color:#0b0c0c;background:#fff;margin:0 auto;max-width:1400px;padding:1rem 1.5rem;line-height:1.4}\n\
table{border-collapse:collapse;margin:0.5rem 0 1rem}\n\
caption{text-align:left;font-weight:600;padding:0.25rem 0}\n\
th,td{border:1px solid #b1b4b6;padding:0.3rem 0.45rem;vertical-align:top;text-align:left}\n\
thead th{background:#f3f2f1}\n\
table.overview td,table.overview thead th{text-align:right;min-width:3.5rem}\n\
table.overview td.title,table.overview thead th.title{text-align:left;min-width:0}\n\
table.overview td.total,table.overview th.total{font-weight:700}\n\
table.overview tfoot th,table.overview tfoot td{font-weight:700;background:#f3f2f1}\n",
    );
    for s in [Some(Status::Green), Some(Status::Amber), Some(Status::Red), Some(Status::Blue), None] {
        let (fill, text) = status_colours(s);
        let class = s.map(|s| s.name().to_ascii_lowercase()).unwrap_or_else(|| "none".to_string());
        let _ = writeln!(css, ".s-{class}{{background:{};color:{}}}", fill.hex(), text.hex());
        let _ = writeln!(css, "table.overview tfoot .s-{class}{{background:{};color:{}}}", fill.hex(), text.hex());
    }
    css.push_str("*{-webkit-print-color-adjust:exact;print-color-adjust:exact}\n");
    css
}

fn report_css() -> String {
    let mut css = base_css();
    css.push_str(
        "h1{font-size:1.9rem;margin:0.2rem 0 0.6rem}\n\
h2{font-size:1.45rem;margin:1.6rem 0 0.5rem;border-bottom:3px solid #0b0c0c;padding-bottom:0.2rem}\n\
h3{font-size:1.15rem;margin:1.2rem 0 0.4rem}\n\
.kicker{text-transform:uppercase;letter-spacing:0.06em;color:#505a5f;margin:0;font-weight:600}\n\
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:0.15rem 1rem;margin:0.5rem 0 1rem}\n\
dl.facts dt{font-weight:600}\ndl.facts dd{margin:0}\n\
nav ol{columns:2;margin:0.3rem 0 1rem}\n\
a{color:#1d3f8c}\n\
.status{display:inline-block;border-radius:0.25rem;padding:0.05rem 0.45rem;font-weight:700;white-space:nowrap;border:1px solid #0b0c0c}\n\
.status.small{font-size:0.8em;padding:0 0.3rem}\n\
.why{display:block;font-size:0.85em;color:#0b0c0c;margin-top:0.2rem}\n\
.muted{color:#505a5f}\n\
.visually-hidden{position:absolute!important;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);clip-path:inset(50%);white-space:nowrap}\n\
.both{display:block;font-size:0.85em;margin-top:0.2rem}\n\
table.key td,table.key th{vertical-align:middle}\n\
table.milestones{width:100%;font-size:0.9rem;table-layout:fixed}\n\
table.milestones tr.action th{background:#f3f2f1;font-weight:600}\n\
table.milestones th[scope=row]{white-space:nowrap}\n\
table.scorecard{width:100%;font-size:0.85rem;table-layout:fixed}\n\
svg.spark{width:100%;max-width:120px;height:auto}\n\
table td,table th{overflow-wrap:break-word}\n\
table.scorecard tr.group th{background:#f3f2f1;font-size:1rem}\n\
table.scorecard th[scope=row] .id{display:block;color:#505a5f;font-weight:400}\n\
ol.recent{list-style:none;margin:0;padding:0}\nol.recent li{margin-bottom:0.15rem}\n\
.about{display:block;font-weight:400;font-size:0.9em;color:#505a5f;margin-top:0.2rem}\n\
.dot{white-space:nowrap;font-weight:700}\n.dot svg{vertical-align:-0.15em}\n\
.improving{color:#007037}.worsening{color:#b42318}.neutral{color:#505a5f}\n\
figure{margin:0.8rem 0;break-inside:avoid}\nfigcaption{font-size:0.9rem;color:#0b0c0c}\n\
svg.chart{width:100%;height:auto;display:block;border:1px solid #d8dcde}\n\
.figures{display:grid;grid-template-columns:repeat(auto-fill,minmax(520px,1fr));gap:1rem}\n\
.overview-grid{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1.2fr);gap:1.5rem;align-items:start}\n\
dl.glossary dt,dl.notes dt{font-weight:700;margin-top:0.5rem}\ndl.glossary dd,dl.notes dd{margin-left:1.2rem}\n\
.counts .status{margin-right:0.3rem}\n\
.counts svg.bar{vertical-align:middle;margin-left:0.5rem;max-width:40%}\n\
.overview-grid table.overview{width:100%}\n\
footer{margin-top:2rem;border-top:1px solid #b1b4b6;padding-top:0.5rem;color:#505a5f;font-size:0.85rem}\n\
@page{size:A4 landscape;margin:11mm 11mm 13mm}\n\
@media print{body{max-width:none;padding:0;font-size:9.5pt}h1{font-size:18pt}h2{font-size:14pt;break-after:avoid}h3{break-after:avoid}\
section.priority,#scorecard,#trends,#notes{break-before:page}thead{display:table-header-group}tr{break-inside:avoid}\
nav ol{columns:3}table.milestones{font-size:7.5pt}table.scorecard{font-size:7.5pt}.figures{grid-template-columns:1fr 1fr;gap:3mm 6mm}.figures figure{margin:0 0 2mm}figcaption{font-size:8pt}\
a{color:inherit;text-decoration:none}svg.chart{border:none}.overview-grid{grid-template-columns:minmax(0,1.15fr) minmax(0,1fr);gap:0.8rem}table.overview td,table.overview thead th{min-width:2.4rem}}\n\
@media screen and (max-width:900px){.overview-grid{grid-template-columns:1fr}}\n",
    );
    css
}

/// A status label: the word on its colour; "Not rated" for `None`.
fn status_label(status: Option<Status>, small: bool) -> String {
    let class = status.map(|s| s.name().to_ascii_lowercase()).unwrap_or_else(|| "none".into());
    let word = status.map(|s| s.name()).unwrap_or("Not rated");
    let size = if small { " small" } else { "" };
    format!("<span class=\"status{size} s-{class}\">{word}</span>")
}

/// An inline arrow for a direction of travel, coloured by its judgement; hidden from screen
/// readers because the word beside it says the same.
fn arrow(dot: Dot, judgement: DotJudgement) -> String {
    let colour = match judgement {
        DotJudgement::Improving => palette::IMPROVING,
        DotJudgement::Worsening => palette::WORSENING,
        _ => palette::GREY,
    };
    let rotate = match dot {
        Dot::Up => 0,
        Dot::Down => 180,
        Dot::Same => 90,
        Dot::None => return String::new(),
    };
    format!(
        "<svg width=\"16\" height=\"16\" viewBox=\"0 0 16 16\" aria-hidden=\"true\" focusable=\"false\"><path d=\"M8 1L15 8.5H10.5V15H5.5V8.5H1Z\" fill=\"{}\" stroke=\"#0b0c0c\" stroke-width=\"0.6\" transform=\"rotate({rotate} 8 8)\"/></svg>",
        colour.hex()
    )
}

fn judgement_word(j: DotJudgement) -> (&'static str, &'static str) {
    match j {
        DotJudgement::Improving => ("Improving", "improving"),
        DotJudgement::Worsening => ("Worsening", "worsening"),
        DotJudgement::NoChange => ("No change", "neutral"),
        DotJudgement::NotAssessed => ("Not assessed", "neutral"),
    }
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

fn good_is(p: Polarity) -> &'static str {
    match p {
        Polarity::HighIsGood => "High",
        Polarity::LowIsGood => "Low",
        Polarity::Neutral => "Neutral (not rated)",
    }
}

fn frequency_text(f: Frequency, y: YearType) -> String {
    match f {
        Frequency::Monthly => "Monthly".into(),
        Frequency::Quarterly => format!("Quarterly ({} year)", y.name()),
        Frequency::Annual => format!("Annual ({} year)", y.name()),
    }
}

/// A small hand-drawn trend line for the scorecard table.
fn sparkline(m: &MeasureFacts, unit: &str) -> String {
    let points: Vec<(usize, f64, Period)> =
        m.history.iter().enumerate().filter_map(|(i, p)| p.rating.as_ref().and_then(|r| r.value).map(|v| (i, v, p.period))).collect();
    if points.len() < 2 {
        return "<span class=\"muted\">Too few values for a trend</span>".into();
    }
    let (w, h, pad) = (120.0, 34.0, 4.0);
    let n = m.history.len().max(2) as f64 - 1.0;
    let target = m.rating.target;
    let (lo, hi) = points.iter().map(|p| p.1).chain(target).fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)));
    let span = if hi > lo { hi - lo } else { 1.0 };
    let x = |i: usize| pad + (w - 2.0 * pad) * i as f64 / n;
    let y = |v: f64| h - pad - (h - 2.0 * pad) * (v - lo) / span;
    let n2 = |v: f64| crate::format::svg_number(v, 1);
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

/// The trend chart of one measure, and its words.
pub(crate) fn trend_chart(plan: &Plan, m: &MeasureFacts, labels: &[String]) -> (TrendChart, Words) {
    let measure = &plan.measures[m.index];
    let used: Vec<usize> = (0..labels.len())
        .filter(|b| m.history.iter().any(|p| p.rating.as_ref().and_then(|r| r.benchmarks.get(*b)).and_then(|c| c.value).is_some()))
        .collect();
    let points: Vec<TrendPoint> = m
        .history
        .iter()
        .map(|p| {
            let r = p.rating.as_ref();
            TrendPoint {
                label: axis_label(p.period),
                value: r.and_then(|r| r.value),
                target: r.and_then(|r| r.target),
                amber: r.and_then(|r| r.amber_threshold),
                benchmarks: used.iter().map(|b| r.and_then(|r| r.benchmarks.get(*b)).and_then(|c| c.value)).collect(),
            }
        })
        .collect();
    let r = &m.rating;
    let status = r.status.map(|s| s.name().to_string()).unwrap_or_else(|| "not rated".into());
    let latest = match r.value {
        Some(v) => format!("{}: {} ({status})", period_short(r.rated_period), with_unit(v, &measure.unit)),
        None => format!("{}: no value ({status})", period_short(r.rated_period)),
    };
    let mut subtitle = vec![
        format!("Good is {}", good_is(measure.polarity).to_lowercase()),
        frequency_text(measure.frequency, measure.year_type).to_lowercase(),
        latest,
    ];
    if let Some(t) = r.target {
        let mut s = format!("target {}", with_unit(t, &measure.unit));
        if let Some(a) = r.amber_threshold {
            s.push_str(&format!(", amber from {}", append_unit(&number_like(a, Some(t)), &measure.unit)));
        }
        subtitle.push(s);
    }
    let title = format!("{} {}", measure.id, measure.title);
    let chart = TrendChart {
        title: title.clone(),
        subtitle: subtitle.join(" · "),
        unit: measure.unit.clone(),
        points,
        labels: used.iter().map(|b| label_title(&labels[*b])).collect(),
    };
    // The text alternative: every value, the target and the benchmarks, in words.
    let values: Vec<String> = m
        .history
        .iter()
        .map(|p| {
            let v = p.rating.as_ref().and_then(|r| r.value);
            format!("{} {}", period_short(p.period), v.map(|v| with_unit(v, &measure.unit)).unwrap_or_else(|| "no value".into()))
        })
        .collect();
    let mut description = format!(
        "Line chart of {title}, {} to {}. Values: {}.",
        period_short(m.history[0].period),
        period_short(m.history[m.history.len() - 1].period),
        values.join(", ")
    );
    if let Some(t) = r.target {
        let _ = write!(description, " Target at the latest period {}", with_unit(t, &measure.unit));
        if let Some(a) = r.amber_threshold {
            let _ = write!(description, ", amber band from {}", number_like(a, Some(t)));
        }
        description.push('.');
    }
    for (i, b) in used.iter().enumerate() {
        if let Some(c) = r.benchmarks.get(*b) {
            if let Some(v) = c.value {
                let _ = write!(description, " {}: {}.", chart.labels[i], with_unit(v, &measure.unit));
            }
        }
    }
    let words = Words { name: format!("trend-{}", crate::format::slug(&measure.id)), title: format!("Trend: {title}"), description };
    (chart, words)
}

fn figure(files: &ChartFiles, inline: &str, number: usize, caption: &str) -> String {
    format!(
        "<figure>\n{inline}\n<figcaption>Figure {number}: {}. Files: <a href=\"{}\">PNG</a>, <a href=\"{}\">SVG</a>.</figcaption>\n</figure>\n",
        escape(caption),
        escape(&files.png_path()),
        escape(&files.svg_path())
    )
}

/// Renders the whole page.
pub(crate) fn render(page: &Page) -> String {
    let plan = page.plan;
    let scorecard_only = page.overview.counted == Counted::Measures;
    let kind = if scorecard_only { "Members' scorecard" } else { "Progress report" };
    let mut out = String::with_capacity(256 * 1024);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"scorecard {}\">\n<title>{} – {}, {}</title>\n<style>\n{}</style>\n</head>\n<body>\n",
        env!("CARGO_PKG_VERSION"),
        escape(&plan.title),
        kind,
        escape(&period_short(page.period)),
        report_css()
    );
    let has_milestones = !plan.milestones.is_empty();
    let has_measures = !page.measures.is_empty();
    header(&mut out, page, kind);
    contents(&mut out, has_milestones, has_measures);
    key(&mut out, has_milestones, has_measures);
    overview(&mut out, page);
    if has_milestones {
        priorities(&mut out, page);
    }
    if has_measures {
        scorecard(&mut out, page);
        trends(&mut out, page);
    }
    notes(&mut out, page);
    glossary(&mut out);
    let _ = write!(
        out,
        "<footer><p>Produced on {} by scorecard {} from the plan files of <code>{}</code>. Ratings follow the rules in the plan's <code>plan.toml</code> and the scorecard defaults; every status has its reason.</p></footer>\n</body>\n</html>\n",
        escape(&date_long(page.produced)),
        env!("CARGO_PKG_VERSION"),
        escape(&plan.name)
    );
    out
}

fn header(out: &mut String, page: &Page, kind: &str) {
    let plan = page.plan;
    let _ = write!(
        out,
        "<header>\n<p class=\"kicker\">{kind}</p>\n<h1>{}</h1>\n<dl class=\"facts\">\n<dt>Reporting period</dt><dd>{}</dd>\n<dt>Plan</dt><dd>{} (<code>{}</code>, {} year)</dd>\n<dt>Produced</dt><dd>{}</dd>\n",
        escape(&plan.title),
        escape(&period_long(page.period)),
        escape(&plan.title),
        escape(&plan.name),
        plan.year_type.name(),
        escape(&date_long(page.produced))
    );
    let mut contains = Vec::new();
    if !plan.milestones.is_empty() {
        contains.push(format!("{} delivery milestones in {} priorities", plan.milestones.len(), plan.priorities.len()));
    }
    if !plan.measures.is_empty() {
        contains.push(format!("{} measures", plan.measures.len()));
    }
    let _ = writeln!(out, "<dt>Contents</dt><dd>{}</dd>\n</dl>\n</header>", escape(&contains.join("; ")));
}

fn contents(out: &mut String, milestones: bool, measures: bool) {
    out.push_str("<nav aria-label=\"Contents\">\n<h2 id=\"contents\">Contents</h2>\n<ol>\n<li><a href=\"#statuses\">What the statuses mean</a></li>\n<li><a href=\"#overview\">Overview</a></li>\n");
    if milestones {
        out.push_str("<li><a href=\"#priorities\">Delivery milestones by priority</a></li>\n");
    }
    if measures {
        out.push_str("<li><a href=\"#scorecard\">Measures scorecard</a></li>\n<li><a href=\"#trends\">Trends</a></li>\n");
    }
    out.push_str("<li><a href=\"#notes\">Data notes</a></li>\n<li><a href=\"#glossary\">Glossary</a></li>\n</ol>\n</nav>\n");
}

fn key(out: &mut String, milestones: bool, measures: bool) {
    out.push_str("<section id=\"statuses\" aria-labelledby=\"statuses-h\">\n<h2 id=\"statuses-h\">What the statuses mean</h2>\n<table class=\"key\">\n<caption>Status definitions</caption>\n<thead><tr><th scope=\"col\">Status</th>");
    if milestones {
        out.push_str("<th scope=\"col\">Delivery milestone</th>");
    }
    if measures {
        out.push_str("<th scope=\"col\">Measure</th>");
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    let rows: [(Option<Status>, &str, &str); 5] = [
        (Some(Status::Green), "The delivery milestone is complete and/or is exceeding the identified target.", "At or better than the target."),
        (Some(Status::Amber), "The delivery milestone is ongoing and/or there are no issues with the project.", "Short of the target but within its tolerance (between the amber threshold and the target)."),
        (Some(Status::Red), "The delivery milestone is at risk of not being delivered within the timescales identified and/or there are issues with the project.", "Beyond the tolerance: worse than the amber threshold."),
        (Some(Status::Blue), "No information available or no update provided.", "No value for the period."),
        (None, "", "A contextual measure (neutral: neither high nor low is good) or one without a target: values, direction of travel and benchmarks are shown, but no status."),
    ];
    for (status, milestone, measure) in rows {
        if status.is_none() && !measures {
            continue;
        }
        let _ = write!(out, "<tr><th scope=\"row\">{}</th>", status_label(status, false));
        if milestones {
            let _ = write!(out, "<td>{}</td>", escape(if milestone.is_empty() { "Not used for milestones." } else { milestone }));
        }
        if measures {
            let _ = write!(out, "<td>{}</td>", escape(measure));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    if milestones {
        out.push_str("<p>Where the officer's status differs from the status the rules give, the report shows the officer's status and, beside it, the rules' (\"engine\") status and why.</p>\n");
    }
    if measures {
        out.push_str("<p>Direction of travel: <span class=\"dot improving\">");
        out.push_str(&arrow(Dot::Up, DotJudgement::Improving));
        out.push_str(" Improving</span>, <span class=\"dot worsening\">");
        out.push_str(&arrow(Dot::Down, DotJudgement::Worsening));
        out.push_str(" Worsening</span>, <span class=\"dot neutral\">");
        out.push_str(&arrow(Dot::Same, DotJudgement::NoChange));
        out.push_str(" No change or not assessed</span>. The arrow points the way the number moved; its colour and word say whether that is good news.</p>\n");
    }
    out.push_str("</section>\n");
}

fn overview(out: &mut String, page: &Page) {
    let o = page.overview;
    let _ = write!(out, "<section id=\"overview\" aria-labelledby=\"overview-h\">\n<h2 id=\"overview-h\">Overview</h2>\n<div class=\"overview-grid\">\n<div>\n{}", o.html_table());
    let t = &o.total;
    let mut summary = format!(
        "Of {} {}, {} ({}) are Green, {} ({}) Amber, {} ({}) Red and {} ({}) Blue.",
        t.total(),
        o.counted.name(),
        t.green,
        pct(t.percent(Status::Green)),
        t.amber,
        pct(t.percent(Status::Amber)),
        t.red,
        pct(t.percent(Status::Red)),
        t.blue,
        pct(t.percent(Status::Blue))
    );
    if t.not_rated > 0 {
        let _ = write!(summary, " {} more are not rated.", t.not_rated);
    }
    if o.counted == Counted::Milestones {
        let disagree = page.ratings.rows.iter().filter(|r| r.kind == Kind::Milestone && r.period == page.period && r.disagrees).count();
        if disagree > 0 {
            let _ =
                write!(summary, " For {disagree} milestones the officer's status differs from the rules' status; both are shown below.");
        }
    }
    let _ = writeln!(out, "<p>{}</p>\n</div>", escape(&summary));
    if let Some((files, inline)) = page.charts.first() {
        out.push_str(&figure(files, inline, 1, &files.title));
    }
    out.push_str("</div>\n</section>\n");
}

/// A priority's statuses as one bar, in proportion. Decoration only (hidden from screen
/// readers): the labels beside it give every count in words.
fn status_bar(c: &crate::overview::Counts) -> String {
    let total = c.total();
    if total == 0 {
        return String::new();
    }
    let (w, h) = (300.0, 16.0);
    let mut x = 0.0;
    let mut svg =
        format!("<svg class=\"bar\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" aria-hidden=\"true\" focusable=\"false\">");
    for s in Status::ALL {
        let n = c.get(s);
        if n == 0 {
            continue;
        }
        let width = w * n as f64 / total as f64;
        let _ = write!(
            svg,
            "<rect x=\"{}\" y=\"0.5\" width=\"{}\" height=\"{}\" fill=\"{}\" stroke=\"#0b0c0c\" stroke-width=\"1\"/>",
            crate::format::svg_number(x + 0.5, 2),
            crate::format::svg_number((width - 1.0).max(1.0), 2),
            h - 1.0,
            status_colours(Some(s)).0.hex()
        );
        x += width;
    }
    svg.push_str("</svg>");
    svg
}

fn pct(p: Option<usize>) -> String {
    p.map(|p| format!("{p}%")).unwrap_or_else(|| "–".into())
}

fn priorities(out: &mut String, page: &Page) {
    let plan = page.plan;
    out.push_str("<div id=\"priorities\">\n");
    for (n, priority) in plan.priorities.iter().enumerate() {
        let rows: Vec<&Rating> = page
            .ratings
            .rows
            .iter()
            .filter(|r| r.kind == Kind::Milestone && r.period == page.period && r.priority == priority.id)
            .collect();
        if rows.is_empty() {
            continue;
        }
        let id = format!("priority-{}", n + 1);
        let title = if priority.title.is_empty() {
            format!("Priority {}", priority.id)
        } else {
            format!("Priority {}: {}", priority.id, priority.title)
        };
        let _ =
            writeln!(out, "<section class=\"priority\" id=\"{id}\" aria-labelledby=\"{id}-h\">\n<h2 id=\"{id}-h\">{}</h2>", escape(&title));
        if !priority.strategic_lead.is_empty() {
            let _ = writeln!(out, "<p>Strategic lead: {}</p>", escape(&priority.strategic_lead));
        }
        if let Some(row) = page.overview.rows.iter().find(|r| r.id == priority.id) {
            let c = &row.counts;
            let _ = write!(out, "<p class=\"counts\">{} milestones: ", c.total());
            for s in Status::ALL {
                let _ = write!(out, "{} ", status_label(Some(s), false).replace("</span>", &format!(" {}</span>", c.get(s))));
            }
            out.push_str(&status_bar(c));
            out.push_str("</p>\n");
        }
        let _ = write!(
            out,
            "<table class=\"milestones\">\n<caption>Delivery milestones of priority {} at {}</caption>\n<colgroup><col style=\"width:4.5%\"><col style=\"width:22%\"><col style=\"width:14%\"><col style=\"width:7%\"><col style=\"width:8%\"><col style=\"width:15%\"><col style=\"width:29.5%\"></colgroup>\n<thead><tr><th scope=\"col\">ID</th><th scope=\"col\">Delivery milestone</th><th scope=\"col\">Lead</th><th scope=\"col\">Due</th><th scope=\"col\">Status</th><th scope=\"col\">Why</th><th scope=\"col\">Update ({})</th></tr></thead>\n",
            escape(&priority.id),
            escape(&period_short(page.period)),
            escape(&period_short(page.period))
        );
        let items: Vec<(usize, &Rating)> =
            rows.into_iter().filter_map(|r| plan.milestones.iter().position(|m| m.id == r.item).map(|i| (i, r))).collect();
        // One row group per action, headed by the action.
        let mut start = 0;
        while start < items.len() {
            let action = plan.milestones[items[start].0].action.as_str();
            let end = start + items[start..].iter().take_while(|(i, _)| plan.milestones[*i].action == action).count();
            out.push_str("<tbody>\n");
            if !action.is_empty() {
                let _ = writeln!(out, "<tr class=\"action\"><th colspan=\"7\" scope=\"rowgroup\">Action: {}</th></tr>", escape(action));
            }
            for k in start..end {
                let (index, r) = items[k];
                let lead = plan.milestones[index].lead.as_str();
                let same = k > start && !lead.is_empty() && plan.milestones[items[k - 1].0].lead == lead;
                milestone_row(out, page, index, r, same);
            }
            out.push_str("</tbody>\n");
            start = end;
        }
        out.push_str("</table>\n</section>\n");
    }
    out.push_str("</div>\n");
}

/// One milestone's row. A lead the row above already names is shown as "As above" (as the
/// plan's own tables merge the cell) and still read out in full by screen readers.
fn milestone_row(out: &mut String, page: &Page, index: usize, r: &Rating, same_lead_as_above: bool) {
    let plan = page.plan;
    let m = &plan.milestones[index];
    let commentary = plan
        .updates
        .iter()
        .find(|u| u.milestone == index && u.period == page.period)
        .map(|u| u.commentary.trim())
        .filter(|c| !c.is_empty());
    let mut status = status_label(r.status, false);
    if r.disagrees {
        let _ = write!(
            status,
            "<span class=\"both\">Officer: {}<br>Rules: {}</span>",
            r.status.map(|s| s.name()).unwrap_or("none"),
            r.computed_status.map(|s| s.name()).unwrap_or("none")
        );
    }
    let lead = if same_lead_as_above {
        format!(
            "<td><span class=\"muted\" aria-hidden=\"true\">As above</span><span class=\"visually-hidden\">{}</span></td>",
            escape(&m.lead)
        )
    } else {
        format!("<td>{}</td>", escape(&m.lead))
    };
    let _ = writeln!(
        out,
        "<tr><th scope=\"row\">{}</th><td>{}</td>{lead}<td>{}</td><td>{}</td><td>{}</td><td class=\"commentary\">{}</td></tr>",
        escape(&m.id),
        escape(&m.title),
        m.due.map(date_uk).unwrap_or_default(),
        status,
        escape(&r.reason),
        commentary.map(escape).unwrap_or_else(|| "<span class=\"muted\">No update for this period</span>".into())
    );
}

fn scorecard(out: &mut String, page: &Page) {
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
    for m in page.measures {
        let measure = &plan.measures[m.index];
        if group != Some(measure.group.as_str()) {
            if group.is_some() {
                out.push_str("</tbody>\n");
            }
            let name = match plan.priorities.iter().find(|p| p.id == measure.group) {
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
            let status = rating.map(|r| status_label(r.status, true)).unwrap_or_default();
            let _ = write!(out, "<li>{}: <strong>{}</strong> {}</li>", escape(&period_short(p.period)), escape(&value), status);
        }
        out.push_str("</ol></td>");
        // Year to date.
        match &m.year_to_date {
            Some(y) => {
                let what = if y.pooled { "all cases pooled" } else { "average" };
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
        let _ = write!(out, "<td>{}<span class=\"why\">{}</span></td>", status_label(r.status, false), escape(&r.reason));
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
            "<td><span class=\"dot {class}\">{} {word}</span><span class=\"why\">{}</span></td>",
            arrow(r.dot, r.dot_judgement),
            escape(&detail)
        );
        for b in &labels {
            match r.benchmarks.get(*b) {
                Some(c) if c.value.is_some() => {
                    let v = c.value.map(|v| with_unit(v, unit)).unwrap_or_default();
                    let when = c.period.map(|p| format!(" ({})", period_short(p))).unwrap_or_default();
                    let verdict = c.versus.map(versus_word).unwrap_or("Not compared");
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
        let _ = write!(s, "<col style=\"width:{}%\">", crate::format::svg_number(w, 2));
    }
    s.push_str("</colgroup>\n");
    s
}

fn trends(out: &mut String, page: &Page) {
    out.push_str("<section id=\"trends\" aria-labelledby=\"trends-h\">\n<h2 id=\"trends-h\">Trends</h2>\n<p>Each chart shows the measure's values, oldest on the left, with its target (dashed black line), the amber band between the target and the amber threshold, and each benchmark (named at the right-hand end). Each chart is also saved as PNG and SVG beside this page.</p>\n<div class=\"figures\">\n");
    for (i, (files, inline)) in page.charts.iter().enumerate().skip(1) {
        out.push_str(&figure(files, inline, i + 1, &files.title));
    }
    out.push_str("</div>\n</section>\n");
}

fn notes(out: &mut String, page: &Page) {
    out.push_str("<section id=\"notes\" aria-labelledby=\"notes-h\">\n<h2 id=\"notes-h\">Data notes</h2>\n<dl class=\"notes\">\n");
    for m in &page.plan.measures {
        if !m.notes.trim().is_empty() {
            let _ = writeln!(out, "<dt>{} {}</dt><dd>{}</dd>", escape(&m.id), escape(&m.title), escape(m.notes.trim()));
        }
    }
    let _ = write!(
        out,
        "<dt>About this report</dt><dd>Statuses are for {}. Milestone statuses are the officer's where the update gives one; otherwise the plan's rules decide. Measures are rated by the rules alone. Benchmarks are the latest available by the end of each measure's period; \"similar\" uses the 95% confidence interval of the measure's numerator and denominator where the data give them.</dd>\n</dl>\n</section>\n",
        escape(&period_long(page.period))
    );
}

fn glossary(out: &mut String) {
    let terms: [(&str, &str); 20] = [
        ("RAG", "Red, Amber, Green: the status of a milestone or measure. Blue means no information for the period."),
        ("Delivery milestone", "A commitment in the action plan, under a priority and an action, with a lead and sometimes a due date or a target."),
        ("Measure (KPI)", "A key performance indicator: a number reported monthly, quarterly or annually, with a target, a tolerance and benchmarks."),
        ("Good is high / good is low", "Whether a higher number is better (for example, assessments on time) or a lower one (for example, re-referrals). A neutral measure is contextual and not rated."),
        ("Target", "The level the plan aims for in the period. At or better than the target is Green."),
        ("Tolerance and amber threshold", "How far short of the target still counts as Amber. The amber threshold is the edge of the tolerance: beyond it is Red. Where a plan gives no threshold, the tolerance is a share of the target set in the plan's rules (5% unless the plan says otherwise)."),
        ("Trajectory", "A target for each period on the way to a final target, for example smoking at time of delivery 18.8% in Q1, 18.5% in Q2."),
        ("Profiled target", "Where a milestone has a baseline and a final target but no trajectory, the target for a period is read off a straight line from the baseline to the final target."),
        ("Direction of travel", "Whether the number went up, down or stayed level compared with the previous period or with the same period a year earlier, and whether that is improving or worsening given whether good is high or low."),
        ("Benchmark", "Another area's value for the same measure: the national (England) average, the regional average or the statistical neighbours' average. The report uses the latest one available for the period."),
        ("Statistical neighbours", "The group of councils most similar to this one in their population and circumstances; their average is a fairer comparison than the national average."),
        ("Better, similar, worse", "How the measure compares with a benchmark, given whether good is high or low. Where the data give a numerator and a denominator, \"similar\" means the benchmark lies within the 95% confidence interval of the measure, so that chance variation is not called a difference. Higher and lower are used for neutral measures."),
        ("Year to date", "The measure over the plan's year so far: all cases pooled where the data give numerators and denominators, otherwise the average of the months or quarters."),
        ("Financial year", "April to March: 2013/14 Q1 is April to June 2013."),
        ("Academic year", "September to August, used for school measures."),
        ("Reporting period", "The month, quarter or year the report is for. A measure is rated on its own latest period that ended by then."),
        ("Officer status", "The status the lead officer gave a milestone in the update. Where it differs from the status the plan's rules give (the engine's status), both are shown."),
        ("Blue", "No update was provided for the period, or the update said nothing, or the measure has no value for the period."),
        ("Not rated", "A neutral (contextual) measure, or a measure with no target for the period."),
        ("Trend line", "The small line in the scorecard: the measure's values over up to two years, with the current target dashed. The full charts are in the Trends section."),
    ];
    out.push_str(
        "<section id=\"glossary\" aria-labelledby=\"glossary-h\">\n<h2 id=\"glossary-h\">Glossary</h2>\n<dl class=\"glossary\">\n",
    );
    for (term, meaning) in terms {
        let _ = writeln!(out, "<dt>{}</dt><dd>{}</dd>", escape(term), escape(meaning));
    }
    out.push_str("</dl>\n</section>\n");
}
