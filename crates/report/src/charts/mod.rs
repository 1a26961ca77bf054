//! The report's charts, drawn with plotters: statuses per priority ([`bars`]), and a trend
//! per measure ([`trend`]).
//!
//! Each chart is a [`Drawing`] at 1200 × 675 design units (16:9, a slide; 15.9 cm wide on an
//! A4 page), drawn once as SVG and once as PNG by [`canvas`], in the embedded font
//! (`font`). No chart relies on colour alone: bars carry their status letter and count,
//! lines differ in style and are named in the legend and at their ends. The charts of a
//! report are independent, so they are drawn in parallel (rayon), and kept in page order.

pub mod bars;
pub mod canvas;
mod font;
mod layout;
pub mod trend;

pub use bars::OverviewChart;
pub use canvas::{Drawing, SvgParts, Words};
pub use trend::{axis_label, TrendChart, TrendPoint};

use crate::counts::{MeasureFacts, Overview};
use crate::error::Error;
use rayon::prelude::*;
use scorecard_core::Plan;

/// Every chart's size in design units.
pub const SIZE: (u32, u32) = (1200, 675);

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

/// A chart drawn both ways: its files, and its SVG parts for inlining in the page.
pub(crate) struct Drawn {
    pub files: ChartFiles,
    pub parts: SvgParts,
}

/// One chart to draw.
enum Chart {
    Overview(OverviewChart),
    Trend(TrendChart),
}

fn draw(chart: &impl Drawing, words: Words) -> Result<Drawn, Error> {
    let fail = |message: String| Error::Chart { name: words.name.clone(), message };
    let parts = canvas::svg(chart, SIZE, words.clone()).map_err(fail)?;
    let png = canvas::png(chart, SIZE).map_err(fail)?;
    Ok(Drawn { files: ChartFiles { name: words.name.clone(), title: words.title.clone(), svg: parts.file(), png }, parts })
}

/// Draws the report's charts in page order: the overview, then one trend per measure of
/// `measures` (`labels` are the plan's benchmark labels). The first chart that fails, in that
/// order, is the error.
pub(crate) fn draw_report(plan: &Plan, overview: &Overview, measures: &[MeasureFacts], labels: &[String]) -> Result<Vec<Drawn>, Error> {
    let overview_chart = OverviewChart::new(overview);
    let overview_words =
        Words { name: "overview".to_string(), title: overview_chart.title.clone(), description: overview_chart.description() };
    let mut jobs: Vec<(Words, Chart)> = vec![(overview_words, Chart::Overview(overview_chart))];
    for m in measures {
        let (chart, words) = TrendChart::of_measure(plan, m, labels);
        jobs.push((words, Chart::Trend(chart)));
    }
    // Charts are independent: draw them on every core; `collect` keeps the jobs' order.
    let drawn: Vec<Result<Drawn, Error>> = jobs
        .par_iter()
        .enumerate()
        .map(|(i, (words, chart))| {
            // A panic while drawing is a bug in this crate; surface it as one.
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match chart {
                Chart::Overview(c) => draw(c, words.clone()),
                Chart::Trend(c) => draw(c, words.clone()),
            }))
            .unwrap_or_else(|_| Err(Error::Chart { name: format!("chart {}", i + 1), message: "drawing stopped unexpectedly".into() }))
        })
        .collect();
    drawn.into_iter().collect()
}
