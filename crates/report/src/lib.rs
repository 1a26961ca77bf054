/*!
Renders a rated plan for people: the priority overview table, the members' report (one
self-contained HTML file that prints on A4 landscape) and its charts as PNG and SVG.

This crate renders ratings and never decides one. Its inputs are a [`Plan`] (titles, leads,
due dates, commentary, values, notes) and the [`Ratings`] that `scorecard-core` computed for
the report's period; where the report shows earlier periods (the last three, the trends) it
asks the engine for them with [`scorecard_core::rate_many`]. It never prints, never
writes files and never reads the clock: the date the report was produced is passed in.

Charts are drawn with plotters in an embedded font (DejaVu Sans), so they look the same on a
machine with no fonts installed; SVG text is drawn as glyph outlines for the same reason.

# Layout

The modules form layers, each importing only from the layers below it (a test,
`layers::the_modules_import_each_other_without_a_cycle`, checks there is no cycle):

1. [`format`](mod@format), [`palette`], [`error`] and `style` (the shared CSS): helpers
   every layer uses.
2. [`counts`]: what the report counts and looks up (the overview's statuses per priority,
   the facts of each measure), apart from any rendering.
3. [`overview`] (the overview table as Markdown, CSV, JSON, HTML) and [`charts`] (the
   canvas, the font, each chart kind, drawing them in parallel).
4. `html`: the members' report page, one module per section.
5. This root: [`report`] puts them together.

# Example

```
use scorecard_core::{rate, Plan, RateOptions};
use scorecard_report::{overview::Overview, report, ReportOptions};

let files = vec![
    ("milestones.csv".to_string(), b"priority,milestone,title\n1,1.1,Open the family hub\n1,1.2,Recruit foster carers\n".to_vec()),
    ("updates.csv".to_string(), b"milestone,period,complete,commentary\n1.1,2013-12,yes,Opened in November\n".to_vec()),
];
let plan = Plan::from_files("demo", "demo", files).unwrap();
let period = plan.latest_period().unwrap();
let ratings = rate(&plan, period, RateOptions::default()).unwrap();

let overview = Overview::new(&plan, period, &ratings);
assert_eq!(overview.markdown().lines().nth(2).unwrap(), "| 1 | 1 | 0 | 0 | 1 | 2 |");

let produced = chrono::NaiveDate::from_ymd_opt(2014, 1, 15).unwrap();
let report = report(&plan, period, &ratings, &ReportOptions { produced }).unwrap();
assert!(report.html.contains("Opened in November"));
assert_eq!(report.charts[0].name, "overview");
```
*/
#![deny(missing_docs)]

pub mod charts;
pub mod counts;
mod docx;
pub mod error;
pub mod format;
mod html;
#[cfg(test)]
mod layers;
pub mod overview;
pub mod pack;
pub mod palette;
mod style;
mod xlsx;

pub use charts::ChartFiles;
pub use counts::measures;
pub use error::Error;

use chrono::NaiveDate;
use scorecard_core::{rate, Period, Plan, RateOptions, Ratings};

/// How to make a report.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    /// The date shown as "produced" (the caller's today; fixed in tests).
    pub produced: NaiveDate,
}

/// A finished report: the HTML page and its charts.
#[derive(Debug, Clone)]
pub struct Report {
    /// The self-contained HTML page (`report.html`).
    pub html: String,
    /// Every chart, in the order the page shows them.
    pub charts: Vec<ChartFiles>,
}

/// The report's folder name: `<plan>-<period>`, e.g. `cyp-2013-2013-12`.
pub fn folder_name(plan: &Plan, period: Period) -> String {
    format!("{}-{}", format::slug(&plan.name), format::slug(&period.to_string()))
}

/// Builds the pack of `plan` at `period` from `ratings` (the plan rated at `period`): the
/// one model every format renders. The previous period of the same length is rated here, for
/// what changed.
pub fn build_pack(plan: &Plan, period: Period, ratings: &Ratings, options: &ReportOptions) -> Result<pack::Pack, Error> {
    let previous = rate(plan, period.previous(), RateOptions::default())?;
    pack::build(&pack::Inputs { plan, period, ratings, previous: Some(&previous), produced: options.produced })
}

/// Makes the report of `plan` at `period` from `ratings` (the plan rated at `period`).
pub fn report(plan: &Plan, period: Period, ratings: &Ratings, options: &ReportOptions) -> Result<Report, Error> {
    let pack = build_pack(plan, period, ratings, options)?;
    let drawn = charts::draw_all(&pack.charts, true)?;
    let inline: Vec<(&ChartFiles, String)> = drawn.iter().map(|d| (&d.files, d.inline())).collect();
    let html = html::render(&pack, &inline);
    drop(inline);
    Ok(Report { html, charts: drawn.into_iter().map(|d| d.files).collect() })
}

/// The formats a pack is written in besides the HTML page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentFormat {
    /// An editable Word document (`report.docx`).
    Docx,
    /// A scorecard workbook (`report.xlsx`).
    Xlsx,
}

/// Makes the report of `plan` at `period` as one file in `format`: the same pack as the page.
pub fn document(plan: &Plan, period: Period, ratings: &Ratings, options: &ReportOptions, format: DocumentFormat) -> Result<Vec<u8>, Error> {
    let pack = build_pack(plan, period, ratings, options)?;
    match format {
        DocumentFormat::Docx => {
            let drawn = charts::draw_all(&pack.charts, false)?;
            let files: Vec<ChartFiles> = drawn.into_iter().map(|d| d.files).collect();
            docx::render(&pack, &files)
        }
        DocumentFormat::Xlsx => xlsx::render(&pack),
    }
}
