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

pub mod canvas;
pub mod charts;
mod font;
pub mod format;
mod html;
pub mod measures;
pub mod overview;
pub mod palette;

use canvas::{SvgParts, Words};
use chrono::NaiveDate;
use scorecard_core::Period;
use scorecard_core::Plan;
use scorecard_core::Ratings;

/// Why a report could not be made.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The engine failed while rating earlier periods.
    #[error("rating the periods the report shows failed: {0}")]
    Rating(#[from] scorecard_core::Error),
    /// A chart could not be drawn.
    #[error("cannot draw the chart `{name}`: {message}")]
    Chart {
        /// The chart's file name stem.
        name: String,
        /// plotters' message.
        message: String,
    },
}

/// How to make a report.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    /// The date shown as "produced" (the caller's today; fixed in tests).
    pub produced: NaiveDate,
}

/// A chart's two files.
#[derive(Debug, Clone)]
pub struct ChartFiles {
    /// File name stem: `overview`, `trend-M02`.
    pub name: String,
    /// The chart's title.
    pub title: String,
    /// A standalone SVG file (160 mm wide, text as outlines).
    pub svg: String,
    /// A PNG file (1200 × 675 pixels at 192 dpi).
    pub png: Vec<u8>,
}

impl ChartFiles {
    /// The SVG's path relative to the report's folder.
    pub fn svg_path(&self) -> String {
        format!("charts/{}.svg", self.name)
    }

    /// The PNG's path relative to the report's folder.
    pub fn png_path(&self) -> String {
        format!("charts/{}.png", self.name)
    }
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

/// A chart drawn both ways.
struct Drawn {
    files: ChartFiles,
    parts: SvgParts,
}

fn draw(chart: &impl canvas::Drawing, words: Words) -> Result<Drawn, Error> {
    let fail = |message: String| Error::Chart { name: words.name.clone(), message };
    let parts = canvas::svg(chart, charts::SIZE, words.clone()).map_err(fail)?;
    let png = canvas::png(chart, charts::SIZE).map_err(fail)?;
    Ok(Drawn { files: ChartFiles { name: words.name.clone(), title: words.title.clone(), svg: parts.file(), png }, parts })
}

/// Makes the report of `plan` at `period` from `ratings` (the plan rated at `period`).
pub fn report(plan: &Plan, period: Period, ratings: &Ratings, options: &ReportOptions) -> Result<Report, Error> {
    let overview = overview::Overview::new(plan, period, ratings);
    let measures = measures::facts(plan, period, ratings)?;

    let overview_chart = charts::OverviewChart::new(&overview);
    let overview_words =
        Words { name: "overview".to_string(), title: overview_chart.title.clone(), description: overview_chart.description() };
    let mut jobs: Vec<(Words, Chart)> = vec![(overview_words, Chart::Overview(overview_chart))];
    for m in &measures {
        let (chart, words) = html::trend_chart(plan, m, &ratings.labels);
        jobs.push((words, Chart::Trend(chart)));
    }
    // Charts are independent: draw them on every core.
    let drawn = draw_all(jobs)?;
    let html = html::render(&html::Page {
        plan,
        period,
        produced: options.produced,
        labels: &ratings.labels,
        ratings,
        overview: &overview,
        measures: &measures,
        charts: drawn.iter().map(|d| (&d.files, d.parts.inline())).collect(),
    });
    Ok(Report { html, charts: drawn.into_iter().map(|d| d.files).collect() })
}

enum Chart {
    Overview(charts::OverviewChart),
    Trend(charts::TrendChart),
}

fn draw_all(jobs: Vec<(Words, Chart)>) -> Result<Vec<Drawn>, Error> {
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).clamp(1, 8);
    let mut slots: Vec<Option<Result<Drawn, Error>>> = (0..jobs.len()).map(|_| None).collect();
    std::thread::scope(|scope| {
        let chunk = jobs.len().div_ceil(threads).max(1);
        let handles: Vec<_> = jobs
            .chunks(chunk)
            .zip(slots.chunks_mut(chunk))
            .map(|(jobs, slots)| {
                scope.spawn(move || {
                    for ((words, chart), slot) in jobs.iter().zip(slots.iter_mut()) {
                        *slot = Some(match chart {
                            Chart::Overview(c) => draw(c, words.clone()),
                            Chart::Trend(c) => draw(c, words.clone()),
                        });
                    }
                })
            })
            .collect();
        for h in handles {
            // A panic while drawing is a bug in this crate; surface it as one.
            if h.join().is_err() {
                return;
            }
        }
    });
    slots
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            s.unwrap_or_else(|| Err(Error::Chart { name: format!("chart {}", i + 1), message: "drawing stopped unexpectedly".into() }))
        })
        .collect()
}
