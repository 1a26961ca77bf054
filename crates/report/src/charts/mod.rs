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

/// What a chart shows, before it is drawn: the pack's chart specification.
pub enum Chart {
    /// Statuses per priority or group.
    Overview(OverviewChart),
    /// One measure's trend.
    Trend(TrendChart),
}

/// A chart of the pack: its words (file name, title, text alternative) and what it shows.
pub struct ChartSpec {
    /// File name, title and text alternative.
    pub words: Words,
    /// What is drawn.
    pub chart: Chart,
}

fn draw(chart: &impl Drawing, words: Words) -> Result<Drawn, Error> {
    let fail = |message: String| Error::Chart { name: words.name.clone(), message };
    let parts = canvas::svg(chart, SIZE, words.clone()).map_err(fail)?;
    let png = canvas::png(chart, SIZE).map_err(fail)?;
    Ok(Drawn { files: ChartFiles { name: words.name.clone(), title: words.title.clone(), svg: parts.file(), png }, parts })
}

/// The report's charts in page order: the overview, then one trend per measure of `measures`
/// (`labels` are the plan's benchmark labels).
pub(crate) fn specs(plan: &Plan, overview: &Overview, measures: &[MeasureFacts], labels: &[String]) -> Vec<ChartSpec> {
    let overview_chart = OverviewChart::new(overview);
    let overview_words =
        Words { name: "overview".to_string(), title: overview_chart.title.clone(), description: overview_chart.description() };
    let mut specs = vec![ChartSpec { words: overview_words, chart: Chart::Overview(overview_chart) }];
    for m in measures {
        let (chart, words) = TrendChart::of_measure(plan, m, labels);
        specs.push(ChartSpec { words, chart: Chart::Trend(chart) });
    }
    specs
}

/// Draws `specs` in their order. The first chart that fails, in that order, is the error.
pub(crate) fn draw_all(specs: &[ChartSpec]) -> Result<Vec<Drawn>, Error> {
    // Charts are independent: draw them on every core; `collect` keeps the specs' order.
    let drawn: Vec<Result<Drawn, Error>> = specs
        .par_iter()
        .enumerate()
        .map(|(i, spec)| {
            // A panic while drawing is a bug in this crate; surface it as one.
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match &spec.chart {
                Chart::Overview(c) => draw(c, spec.words.clone()),
                Chart::Trend(c) => draw(c, spec.words.clone()),
            }))
            .unwrap_or_else(|_| Err(Error::Chart { name: format!("chart {}", i + 1), message: "drawing stopped unexpectedly".into() }))
        })
        .collect();
    drawn.into_iter().collect()
}
