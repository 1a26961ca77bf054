//! The report page: one self-contained HTML file (inline CSS and SVG, no script, nothing
//! fetched) that reads on screen and prints on A4 landscape. One module per section of the
//! page, in page order: [`header`] (title, facts, contents), [`key`] (what the statuses mean),
//! [`overview`], [`priorities`] (the milestones), [`scorecard`] (the measures), [`trends`], [`spc`] (XmR charts),
//! [`notes`] and [`glossary`]; [`parts`] holds what several sections draw (status labels,
//! arrows, figures). The CSS is `report.css` after the shared [`crate::style`].
//!
//! Accessibility (WCAG 2.2 AA): every status is written out beside its colour, arrows carry
//! their word, tables have `<caption>` and `<th scope>` headers, every chart and sparkline has
//! a title and a text description, colours are in [`crate::palette`] with their contrast
//! tested, and the page has a language, headings in order and a contents list.

mod attention;
mod glossary;
mod header;
mod key;
mod notes;
mod overview;
mod parts;
mod priorities;
mod scorecard;
mod spc;
mod trends;

use crate::charts::ChartFiles;
use crate::counts::{Counted, MeasureFacts, Overview};
use crate::format::{date_long, escape, period_short};
use crate::style::BASE_CSS;
use chrono::NaiveDate;
use scorecard_core::{Period, Plan, Ratings};
use std::fmt::Write;

/// The report's own CSS, after [`BASE_CSS`]: headings, the sections' tables, figures, print.
const REPORT_CSS: &str = include_str!("report.css");

/// What the page is made from.
pub(crate) struct Page<'a> {
    pub(crate) plan: &'a Plan,
    pub(crate) period: Period,
    pub(crate) produced: NaiveDate,
    pub(crate) labels: &'a [String],
    pub(crate) ratings: &'a Ratings,
    pub(crate) overview: &'a Overview,
    pub(crate) measures: &'a [MeasureFacts],
    /// Each chart's files and its inline SVG: the overview first, then a trend per measure, then
    /// an XmR chart per measure with values (`xmr-*`).
    pub(crate) charts: Vec<(&'a ChartFiles, String)>,
}

/// The page's CSS: the shared rules, then the report's.
fn css() -> String {
    let mut css = String::with_capacity(BASE_CSS.len() + REPORT_CSS.len());
    css.push_str(BASE_CSS);
    css.push_str(REPORT_CSS);
    css
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
        css()
    );
    let has_milestones = !plan.milestones.is_empty();
    let has_measures = !page.measures.is_empty();
    header::header(&mut out, page, kind);
    header::contents(&mut out, has_milestones, has_measures);
    key::key(&mut out, &page.plan.labels, has_milestones, has_measures);
    overview::overview(&mut out, page);
    if has_milestones {
        priorities::priorities(&mut out, page);
    }
    if has_measures {
        scorecard::scorecard(&mut out, page);
        attention::worse_and_getting_worse(&mut out, page);
        trends::trends(&mut out, page);
        spc::spc(&mut out, page);
    }
    notes::notes(&mut out, page);
    glossary::glossary(&mut out);
    let _ = write!(
        out,
        "<footer><p>Produced on {} by scorecard {} from the plan files of <code>{}</code>. Ratings follow the rules in the plan's <code>plan.toml</code> and the scorecard defaults; every status has its reason.</p></footer>\n</body>\n</html>\n",
        escape(&date_long(page.produced)),
        env!("CARGO_PKG_VERSION"),
        escape(&plan.name)
    );
    out
}
