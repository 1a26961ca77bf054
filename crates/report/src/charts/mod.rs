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
pub mod xmr;

pub use bars::OverviewChart;
pub use canvas::{Drawing, SvgParts, Words};
pub use layout::Marker;
pub use trend::{axis_label, TrendChart, TrendPoint};
pub use xmr::XmrDrawing;

use crate::counts::{MeasureFacts, Overview};
use crate::error::Error;
use crate::format::slug;
use rayon::prelude::*;
use scorecard_core::{sha256_hex, Plan};

/// Every chart's size in design units.
pub const SIZE: (u32, u32) = (1200, 675);

/// The size of a trend or XmR chart drawn small for the report page, in design units: the
/// same text sizes on half the width, so that four charts side by side on an A4 landscape
/// page (66 mm each) still print their smallest text at 8 pt (26 / 600 × 66.5 mm = 2.9 mm).
/// The page's figure caption names the chart, so a small chart leaves its title out.
pub const SMALL_SIZE: (u32, u32) = (600, 330);

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
    /// The chart drawn at [`SMALL_SIZE`] without its title (the page's caption names it),
    /// when asked for: the page's small multiples of trend and XmR charts.
    pub small: Option<SvgParts>,
}

impl Drawn {
    /// The SVG the report page inlines: the small drawing where there is one.
    pub fn inline(&self) -> String {
        self.small.as_ref().unwrap_or(&self.parts).inline()
    }
}

/// What a chart shows, before it is drawn: the pack's chart specification.
pub enum Chart {
    /// Statuses per priority or group.
    Overview(OverviewChart),
    /// One measure's trend.
    Trend(TrendChart),
    /// One measure's XmR chart (issue #13).
    Xmr(XmrDrawing),
}

/// A chart of the pack: its words (file name, title, text alternative) and what it shows.
pub struct ChartSpec {
    /// File name, title and text alternative.
    pub words: Words,
    /// What is drawn.
    pub chart: Chart,
}

fn draw(chart: &impl Drawing, small: Option<&impl Drawing>, words: Words) -> Result<Drawn, Error> {
    let fail = |message: String| Error::Chart { name: words.name.clone(), message };
    let parts = canvas::svg(chart, SIZE, words.clone()).map_err(fail)?;
    let png = canvas::png(chart, SIZE).map_err(fail)?;
    let small = small.map(|s| canvas::svg(s, SMALL_SIZE, words.clone())).transpose().map_err(fail)?;
    Ok(Drawn { files: ChartFiles { name: words.name.clone(), title: words.title.clone(), svg: parts.file(), png }, parts, small })
}

/// The report's charts in page order: the overview, then one trend per measure of `measures`,
/// then one XmR chart per measure with values (`labels` are the plan's benchmark labels).
pub(crate) fn specs(plan: &Plan, overview: &Overview, measures: &[MeasureFacts], labels: &[String]) -> Vec<ChartSpec> {
    let overview_chart = OverviewChart::new(overview);
    let overview_words =
        Words { name: "overview".to_string(), title: overview_chart.title.clone(), description: overview_chart.description() };
    let mut specs = vec![ChartSpec { words: overview_words, chart: Chart::Overview(overview_chart) }];
    let ids: Vec<&str> = measures.iter().map(|m| plan.measures[m.index].id.as_str()).collect();
    let names = trend_names(&ids);
    for (m, name) in measures.iter().zip(&names) {
        let (chart, mut words) = TrendChart::of_measure(plan, m, labels);
        words.name = name.clone();
        specs.push(ChartSpec { words, chart: Chart::Trend(chart) });
    }
    // An XmR chart per measure with values, after the trends, named as its trend is
    // (`xmr-M-1-1a2b3c4d` beside `trend-M-1-1a2b3c4d`), so ids that read alike stay apart.
    for (m, name) in measures.iter().zip(&names) {
        if let Some((chart, mut words)) = XmrDrawing::of_measure(plan, m) {
            words.name = name.replacen("trend-", "xmr-", 1);
            specs.push(ChartSpec { words, chart: Chart::Xmr(chart) });
        }
    }
    specs
}

/// Draws `specs` in their order; with `small`, trend and XmR charts are also drawn at
/// [`SMALL_SIZE`] for the page. The first chart that fails, in that order, is the error.
pub(crate) fn draw_all(specs: &[ChartSpec], small: bool) -> Result<Vec<Drawn>, Error> {
    // Charts are independent: draw them on every core; `collect` keeps the specs' order.
    let drawn: Vec<Result<Drawn, Error>> = specs
        .par_iter()
        .enumerate()
        .map(|(i, spec)| {
            // A panic while drawing is a bug in this crate; surface it as one.
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match &spec.chart {
                Chart::Overview(c) => draw(c, None::<&OverviewChart>, spec.words.clone()),
                Chart::Trend(c) => {
                    let untitled = small.then(|| TrendChart { title: String::new(), ..c.clone() });
                    draw(c, untitled.as_ref(), spec.words.clone())
                }
                Chart::Xmr(c) => {
                    let untitled = small.then(|| XmrDrawing { title: String::new(), ..c.clone() });
                    draw(c, untitled.as_ref(), spec.words.clone())
                }
            }))
            .unwrap_or_else(|_| Err(Error::Chart { name: format!("chart {}", i + 1), message: "drawing stopped unexpectedly".into() }))
        })
        .collect();
    drawn.into_iter().collect()
}

/// The longest slug a chart's file name keeps of an id (file names stay well within the 255
/// bytes file systems allow).
const MAX_SLUG: usize = 60;

/// Each trend chart's file stem (`trend-M02`), distinct for distinct ids, also where file names
/// ignore case (Windows, macOS), and so are the page's element ids made from it (issue #12).
/// A measure's stem is `trend-` and its id made safe for a file name ([`slug`]: letters,
/// digits, `-` and `.`, at most [`MAX_SLUG`] characters); when that lost something (`M/1` and
/// `M 1` both read `M-1`) or two ids differ only in case, the first 8 hex digits of the
/// SHA-256 of the exact id follow (`trend-M-1-1a2b3c4d`). The same ids give the same names on
/// every run; an id already safe and unique keeps its plain name.
pub(crate) fn trend_names(ids: &[&str]) -> Vec<String> {
    use std::collections::{HashMap, HashSet};
    let slugs: Vec<String> = ids.iter().map(|id| slug(id).chars().take(MAX_SLUG).collect()).collect();
    let mut folded: HashMap<String, usize> = HashMap::new();
    for s in &slugs {
        *folded.entry(s.to_lowercase()).or_default() += 1;
    }
    let mut taken: HashSet<String> = HashSet::new();
    let mut names = Vec::with_capacity(ids.len());
    for (id, s) in ids.iter().zip(&slugs) {
        let mut name = if s == id && folded[&s.to_lowercase()] == 1 {
            format!("trend-{s}")
        } else {
            format!("trend-{s}-{}", &sha256_hex(id.as_bytes())[..8])
        };
        // The same id twice (or a hash that happens to match another's name): number the later
        // ones, in page order.
        let stem = name.clone();
        let mut n = 1;
        while !taken.insert(name.to_lowercase()) {
            n += 1;
            name = format!("{stem}-{n}");
        }
        names.push(name);
    }
    names
}

#[cfg(test)]
mod tests {
    use super::trend_names;

    #[test]
    fn ids_that_read_alike_get_their_own_files() {
        // Issue #12: `M/1`, `M-1` and `M 1` all wrote charts/trend-M-1.*, and `k1`/`K1` are one
        // file on Windows and macOS.
        let names = trend_names(&["M02", "M/1", "M-1", "M 1", "k1", "K1"]);
        assert_eq!(names[0], "trend-M02");
        let folded: std::collections::HashSet<String> = names.iter().map(|n| n.to_lowercase()).collect();
        assert_eq!(folded.len(), names.len(), "{names:?}");
        for (n, stem) in names[1..].iter().zip(["trend-M-1-", "trend-M-1-", "trend-M-1-", "trend-k1-", "trend-K1-"]) {
            assert!(n.starts_with(stem) && n.len() == stem.len() + 8, "{n}");
            assert!(n[stem.len()..].chars().all(|c| c.is_ascii_hexdigit()), "{n}");
        }
        // The same id twice (which a plan refuses) still gives two files.
        assert_eq!(trend_names(&["A", "A"]).len(), 2);
        assert_ne!(trend_names(&["A", "A"])[0], trend_names(&["A", "A"])[1]);
        // Stable: the same ids give the same names.
        assert_eq!(trend_names(&["M/1"]), trend_names(&["M/1"]));
        assert_eq!(trend_names(&["M/1"])[0], names[1]);
        // A very long id keeps a short file name.
        let long = "x".repeat(10_000);
        assert!(trend_names(&[long.as_str()])[0].len() < 80);
    }
}
