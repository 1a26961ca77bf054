//! The report's charts, drawn with plotters: statuses per priority, and a trend per measure.
//!
//! Each chart is a [`Drawing`] at 1200 × 675 design units (16:9, a slide; 15.9 cm wide on an
//! A4 page), drawn once as SVG and once as PNG by [`crate::canvas`]. No chart relies on colour
//! alone: bars carry their status letter and count, lines differ in style and are named in
//! the legend and at their ends.

use crate::canvas::Drawing;
use crate::font::{self, FAMILY};
use crate::format::{number, period_axis};
use crate::overview::{Counted, Counts, Overview};
use crate::palette::{self, status_colours, Rgb};
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use scorecard_core::Status;

/// Every chart's size in design units.
pub const SIZE: (u32, u32) = (1200, 675);

fn err<E: std::fmt::Display>(e: E) -> String {
    e.to_string()
}

fn text_style(size: f64, colour: Rgb, h: HPos, v: VPos) -> TextStyle<'static> {
    TextStyle { font: (FAMILY, size).into_font(), color: colour.plotters().to_backend_color(), pos: Pos::new(h, v) }
}

/// Text sizes in design units: legible at half the width of an A4 landscape page (a 1200-unit
/// chart 13 cm wide makes 22 units about 8 pt) and on a Word page at full text width.
const TITLE: f64 = 34.0;
const SUBTITLE: f64 = 23.0;
const TEXT: f64 = 22.0;
const SMALL: f64 = 20.0;
const LEFT: f64 = 24.0;

/// Draws a title (up to two lines) and a subtitle at the top; returns the height used.
fn heading<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, k: f64, title: &str, subtitle: &str) -> Result<u32, String> {
    let (w, _) = area.dim_in_pixel();
    let left = (LEFT * k) as i32;
    let max = w as f32 - 2.0 * (LEFT * k) as f32;
    let mut y = (14.0 * k) as i32;
    for line in font::wrap(title, (TITLE * k) as f32, max, 2) {
        area.draw(&Text::new(line, (left, y), text_style(TITLE * k, palette::INK, HPos::Left, VPos::Top))).map_err(err)?;
        y += (42.0 * k) as i32;
    }
    for line in font::wrap(subtitle, (SUBTITLE * k) as f32, max, 2) {
        area.draw(&Text::new(line, (left, y), text_style(SUBTITLE * k, palette::GREY, HPos::Left, VPos::Top))).map_err(err)?;
        y += (30.0 * k) as i32;
    }
    Ok(y as u32 + (10.0 * k) as u32)
}

/// A legend entry's sample.
enum Sample {
    /// A filled, outlined box.
    Swatch(Rgb),
    /// A line, dashed when `dash` is set, with a dot when `marker` is set.
    Line { colour: Rgb, width: f64, dash: Option<(f64, f64)>, marker: bool },
}

const LEGEND_ROW: f64 = 36.0;

/// Where each legend entry goes: `(row, x)` in design units, wrapping at `width`.
fn legend_layout(entries: &[(Sample, String)], width: f64) -> Vec<(usize, f64)> {
    let mut out = Vec::with_capacity(entries.len());
    let (mut row, mut x) = (0, LEFT);
    for (_, label) in entries {
        let w = 40.0 + 8.0 + font::width(label, TEXT as f32) as f64;
        if x > LEFT && x + w > width - LEFT {
            row += 1;
            x = LEFT;
        }
        out.push((row, x));
        x += w + 30.0;
    }
    out
}

/// The height the legend needs, in design units.
fn legend_height(entries: &[(Sample, String)], width: f64) -> f64 {
    let rows = legend_layout(entries, width).last().map(|(r, _)| r + 1).unwrap_or(0);
    rows as f64 * LEGEND_ROW + 16.0
}

/// Draws the legend in the bottom `legend_height` of the area, wrapping into rows.
fn legend<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, k: f64, entries: &[(Sample, String)]) -> Result<(), String> {
    let (w, h) = area.dim_in_pixel();
    let width = w as f64 / k;
    let top = h as f64 / k - legend_height(entries, width) + 8.0;
    for ((sample, label), (row, x)) in entries.iter().zip(legend_layout(entries, width)) {
        let y = ((top + LEGEND_ROW * (row as f64 + 0.5)) * k) as i32;
        let x = (x * k) as i32;
        let sw = (40.0 * k) as i32;
        match sample {
            Sample::Swatch(c) => {
                let half = (11.0 * k) as i32;
                area.draw(&Rectangle::new([(x, y - half), (x + sw, y + half)], c.plotters().filled())).map_err(err)?;
                area.draw(&Rectangle::new([(x, y - half), (x + sw, y + half)], palette::INK.plotters().stroke_width(k.max(1.0) as u32)))
                    .map_err(err)?;
            }
            Sample::Line { colour, width, dash, marker } => {
                let style = colour.plotters().stroke_width((width * k).max(1.0) as u32);
                match dash {
                    Some((on, off)) => area
                        .draw(&DashedPathElement::new(vec![(x, y), (x + sw, y)], (on * k) as u32, (off * k) as u32, style))
                        .map_err(err)?,
                    None => area.draw(&PathElement::new(vec![(x, y), (x + sw, y)], style)).map_err(err)?,
                }
                if *marker {
                    area.draw(&Circle::new((x + sw / 2, y), (5.0 * k) as i32, colour.plotters().filled())).map_err(err)?;
                }
            }
        }
        let tx = x + sw + (8.0 * k) as i32;
        area.draw(&Text::new(label.clone(), (tx, y), text_style(TEXT * k, palette::INK, HPos::Left, VPos::Center))).map_err(err)?;
    }
    Ok(())
}

/// A round upper bound for an axis: 1, 2 or 5 × 10ⁿ at or above `x`.
fn nice_ceiling(x: f64) -> f64 {
    if x <= 0.0 {
        return 1.0;
    }
    let p = 10f64.powf(x.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0].iter().map(|m| m * p).find(|v| *v >= x - 1e-9).unwrap_or(10.0 * p)
}

/// Milestone (or measure) statuses per priority: grouped bars with their letter and count.
pub struct OverviewChart {
    /// Title.
    pub title: String,
    /// Subtitle.
    pub subtitle: String,
    /// Group label and counts, in plan order.
    pub groups: Vec<(String, Counts)>,
    /// Show a "Not rated" bar.
    pub not_rated: bool,
    /// The y axis' label.
    pub axis: String,
}

impl OverviewChart {
    /// The chart of an overview table.
    pub fn new(overview: &Overview) -> OverviewChart {
        let (what, axis) = match overview.counted {
            Counted::Milestones => ("Delivery milestones", "Number of milestones"),
            Counted::Measures => ("Measures", "Number of measures"),
        };
        let groups = overview
            .rows
            .iter()
            .map(|r| {
                let label = match overview.counted {
                    Counted::Milestones => format!("Priority {}", r.id),
                    Counted::Measures if r.title.is_empty() => r.id.clone(),
                    Counted::Measures => format!("{} {}", r.id, r.title),
                };
                (label, r.counts)
            })
            .collect();
        let basis = if overview.computed { "engine's status" } else { "reported status" };
        OverviewChart {
            title: format!("{what} by status and {}", overview.counted.heading().to_lowercase()),
            subtitle: format!(
                "{}, {}: {} {} ({basis})",
                overview.plan_title,
                crate::format::period_short(overview.period),
                overview.total.total(),
                overview.counted.name()
            ),
            groups,
            not_rated: overview.shows_not_rated(),
            axis: axis.to_string(),
        }
    }

    fn categories(&self) -> Vec<(Option<Status>, &'static str, &'static str)> {
        let mut c = vec![
            (Some(Status::Green), "G", "Green"),
            (Some(Status::Amber), "A", "Amber"),
            (Some(Status::Red), "R", "Red"),
            (Some(Status::Blue), "B", "Blue"),
        ];
        if self.not_rated {
            c.push((None, "N", "Not rated"));
        }
        c
    }

    /// The text alternative: every count in words.
    pub fn description(&self) -> String {
        let mut parts = Vec::new();
        for (label, c) in &self.groups {
            let mut s = format!("{label}: {} Green, {} Amber, {} Red, {} Blue", c.green, c.amber, c.red, c.blue);
            if self.not_rated {
                s.push_str(&format!(", {} not rated", c.not_rated));
            }
            parts.push(s);
        }
        format!("Bar chart. {}. {}.", self.subtitle, parts.join("; "))
    }
}

impl Drawing for OverviewChart {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>, k: f64) -> Result<(), String> {
        area.fill(&WHITE).map_err(err)?;
        let top = heading(area, k, &self.title, &self.subtitle)?;
        let (w, h) = area.dim_in_pixel();
        let cats = self.categories();
        let entries: Vec<(Sample, String)> =
            cats.iter().map(|(s, l, name)| (Sample::Swatch(status_colours(*s).0), format!("{l} {name}"))).collect();
        let legend_h = (legend_height(&entries, w as f64 / k) * k) as u32;
        let (_, rest) = area.split_vertically(top);
        let (plot, _) = rest.split_vertically(h - top - legend_h);
        let slots = cats.len() + 1;
        let groups = self.groups.len().max(1);
        let max = self
            .groups
            .iter()
            .flat_map(|(_, c)| cats.iter().map(move |(s, _, _)| s.map(|s| c.get(s)).unwrap_or(c.not_rated)))
            .max()
            .unwrap_or(0);
        let y_max = nice_ceiling(max as f64 * 1.12);
        let x_max = (groups * slots) as f64 - 1.5;
        let mut chart = ChartBuilder::on(&plot)
            .margin_left((24.0 * k) as u32)
            .margin_right((24.0 * k) as u32)
            .margin_top((8.0 * k) as u32)
            .x_label_area_size((96.0 * k) as u32)
            .y_label_area_size((90.0 * k) as u32)
            .build_cartesian_2d(-0.7f64..x_max + 0.2, 0f64..y_max)
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(0)
            .y_labels(6)
            .y_label_formatter(&|v| if v.fract().abs() < 1e-9 { format!("{v:.0}") } else { String::new() })
            .y_desc(self.axis.as_str())
            .axis_desc_style(text_style(TEXT * k, palette::INK, HPos::Left, VPos::Top))
            .label_style(text_style(TEXT * k, palette::INK, HPos::Left, VPos::Top))
            .axis_style(palette::GREY.plotters().stroke_width(k.max(1.0) as u32))
            .bold_line_style(palette::RULE.plotters().stroke_width(k.max(1.0) as u32))
            .light_line_style(TRANSPARENT)
            .draw()
            .map_err(err)?;
        let outline = palette::INK.plotters().stroke_width((1.5 * k).max(1.0) as u32);
        for (g, (label, counts)) in self.groups.iter().enumerate() {
            let base = (g * slots) as f64;
            for (i, (status, letter, _)) in cats.iter().enumerate() {
                let x = base + i as f64;
                let n = status.map(|s| counts.get(s)).unwrap_or(counts.not_rated);
                let (fill, _) = status_colours(*status);
                if n > 0 {
                    chart
                        .draw_series(std::iter::once(Rectangle::new([(x - 0.4, 0.0), (x + 0.4, n as f64)], fill.plotters().filled())))
                        .map_err(err)?;
                    chart.draw_series(std::iter::once(Rectangle::new([(x - 0.4, 0.0), (x + 0.4, n as f64)], outline))).map_err(err)?;
                }
                let top = chart.backend_coord(&(x, n as f64));
                area.draw(&Text::new(
                    n.to_string(),
                    (top.0, top.1 - (6.0 * k) as i32),
                    text_style(TEXT * k, palette::INK, HPos::Center, VPos::Bottom),
                ))
                .map_err(err)?;
                let foot = chart.backend_coord(&(x, 0.0));
                area.draw(&Text::new(
                    letter.to_string(),
                    (foot.0, foot.1 + (8.0 * k) as i32),
                    text_style(TEXT * k, palette::INK, HPos::Center, VPos::Top),
                ))
                .map_err(err)?;
            }
            let left = chart.backend_coord(&(base - 0.5, 0.0));
            let right = chart.backend_coord(&(base + cats.len() as f64 - 0.5, 0.0));
            let centre = (left.0 + right.0) / 2;
            let lines = font::wrap(label, (TEXT * k) as f32, (right.0 - left.0) as f32 + 20.0 * k as f32, 2);
            for (j, line) in lines.into_iter().enumerate() {
                let y = left.1 + (42.0 * k) as i32 + j as i32 * (26.0 * k) as i32;
                area.draw(&Text::new(line, (centre, y), text_style(TEXT * k, palette::INK, HPos::Center, VPos::Top))).map_err(err)?;
            }
        }
        legend(area, k, &entries)?;
        Ok(())
    }
}

/// One period of a measure's trend.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendPoint {
    /// Axis label.
    pub label: String,
    /// The measure's value.
    pub value: Option<f64>,
    /// The target the engine applied.
    pub target: Option<f64>,
    /// The amber threshold the engine applied.
    pub amber: Option<f64>,
    /// Each benchmark label's value used at this period.
    pub benchmarks: Vec<Option<f64>>,
}

/// A measure's values over time with its target, amber band and benchmarks.
pub struct TrendChart {
    /// Title.
    pub title: String,
    /// Subtitle.
    pub subtitle: String,
    /// The unit (`%`), for the axis.
    pub unit: String,
    /// The periods, oldest first.
    pub points: Vec<TrendPoint>,
    /// The benchmark labels, for people.
    pub labels: Vec<String>,
}

impl TrendChart {
    fn y_range(&self) -> (f64, f64) {
        let all: Vec<f64> = self
            .points
            .iter()
            .flat_map(|p| [p.value, p.target, p.amber].into_iter().chain(p.benchmarks.iter().copied()))
            .flatten()
            .collect();
        let (lo, hi) = all.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(*v), b.max(*v)));
        if !lo.is_finite() {
            return (0.0, 1.0);
        }
        let span = if hi > lo { hi - lo } else { hi.abs().max(1.0) };
        let (mut lo, hi) = (lo - span * 0.15, hi + span * 0.15);
        if lo < 0.0 && all.iter().all(|v| *v >= 0.0) {
            lo = 0.0;
        }
        (lo, hi)
    }

    fn has_band(&self) -> bool {
        self.points.iter().any(|p| p.target.is_some() && p.amber.is_some())
    }

    fn has_target(&self) -> bool {
        self.points.iter().any(|p| p.target.is_some())
    }
}

/// Runs of consecutive `Some` values as `(x, y)` lines.
fn runs(values: impl Iterator<Item = Option<f64>>) -> Vec<Vec<(f64, f64)>> {
    let mut out: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
    for (i, v) in values.enumerate() {
        match v {
            Some(v) => out.last_mut().expect("one run").push((i as f64, v)),
            None if out.last().is_some_and(|r| !r.is_empty()) => out.push(Vec::new()),
            None => {}
        }
    }
    out.retain(|r| !r.is_empty());
    out
}

/// A step line: a level across each period's cell, joined where levels change.
fn steps(values: impl Iterator<Item = Option<f64>>) -> Vec<Vec<(f64, f64)>> {
    runs(values).into_iter().map(|run| run.iter().flat_map(|(x, y)| [(x - 0.5, *y), (x + 0.5, *y)]).collect()).collect()
}

const BENCHMARK_DASHES: [(f64, f64); 4] = [(3.0, 5.0), (12.0, 6.0), (2.0, 3.0), (18.0, 4.0)];

impl TrendChart {
    fn legend_entries(&self) -> Vec<(Sample, String)> {
        let mut entries = vec![(Sample::Line { colour: palette::SERIES, width: 3.0, dash: None, marker: true }, "Value".to_string())];
        if self.has_target() {
            entries.push((Sample::Line { colour: palette::INK, width: 2.5, dash: Some((14.0, 7.0)), marker: false }, "Target".to_string()));
        }
        if self.has_band() {
            entries.push((Sample::Swatch(palette::AMBER_BAND), "Amber band (target to amber threshold)".to_string()));
        }
        for (b, label) in self.labels.iter().enumerate() {
            let colour = palette::BENCHMARKS[b % palette::BENCHMARKS.len()];
            entries.push((
                Sample::Line { colour, width: 2.5, dash: Some(BENCHMARK_DASHES[b % BENCHMARK_DASHES.len()]), marker: false },
                label.clone(),
            ));
        }
        entries
    }

    /// Labels for the right-hand end of the lines: value, colour, text.
    fn end_labels(&self) -> Vec<(f64, Rgb, String)> {
        let mut ends = Vec::new();
        let last = self.points.len().saturating_sub(1);
        if let Some((i, v)) = self.points.iter().enumerate().rev().find_map(|(i, p)| p.value.map(|v| (i, v))) {
            let text = if i == last {
                with_unit_short(v, &self.unit)
            } else {
                format!("{} in {}", with_unit_short(v, &self.unit), self.points[i].label)
            };
            ends.push((v, palette::SERIES, text));
        }
        if let Some(t) = self.points.last().and_then(|p| p.target) {
            ends.push((t, palette::INK, format!("Target {}", with_unit_short(t, &self.unit))));
        }
        for (b, label) in self.labels.iter().enumerate() {
            if let Some(v) = self.points.last().and_then(|p| p.benchmarks.get(b).copied().flatten()) {
                ends.push((v, palette::BENCHMARKS[b % palette::BENCHMARKS.len()], format!("{label} {}", with_unit_short(v, &self.unit))));
            }
        }
        ends.sort_by(|a, b| b.0.total_cmp(&a.0));
        ends
    }
}

/// Room on the right of a trend for the end-of-line labels, in design units.
const END_LABELS: f64 = 230.0;

impl Drawing for TrendChart {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>, k: f64) -> Result<(), String> {
        area.fill(&WHITE).map_err(err)?;
        let top = heading(area, k, &self.title, &self.subtitle)?;
        let (w, h) = area.dim_in_pixel();
        let entries = self.legend_entries();
        let legend_h = (legend_height(&entries, w as f64 / k) * k) as u32;
        let (_, rest) = area.split_vertically(top);
        let (plot, _) = rest.split_vertically(h - top - legend_h);
        let n = self.points.len().max(1);
        let (lo, hi) = self.y_range();
        let mut chart = ChartBuilder::on(&plot)
            .margin_left((LEFT * k) as u32)
            .margin_right((END_LABELS * k) as u32)
            .margin_top((8.0 * k) as u32)
            .x_label_area_size((50.0 * k) as u32)
            .y_label_area_size((100.0 * k) as u32)
            .build_cartesian_2d(-0.5f64..n as f64 - 0.5, lo..hi)
            .map_err(err)?;
        let labels: Vec<String> = self.points.iter().map(|p| p.label.clone()).collect();
        // At most eight period labels, always including the latest.
        let every = n.div_ceil(8).max(1);
        let unit = self.unit.trim().to_string();
        let x_fmt = move |x: &f64| -> String {
            let i = x.round();
            if (x - i).abs() > 1e-6 || i < 0.0 || i as usize >= labels.len() {
                return String::new();
            }
            let i = i as usize;
            if (labels.len() - 1 - i) % every != 0 {
                return String::new();
            }
            labels[i].clone()
        };
        let y_fmt = move |y: &f64| -> String {
            let s = crate::format::svg_number(*y, 2);
            if unit == "%" {
                format!("{s}%")
            } else {
                s
            }
        };
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(n.min(60))
            .x_label_formatter(&x_fmt)
            .y_labels(6)
            .y_label_formatter(&y_fmt)
            .label_style(text_style(SMALL * k, palette::INK, HPos::Left, VPos::Top))
            .axis_style(palette::GREY.plotters().stroke_width(k.max(1.0) as u32))
            .bold_line_style(palette::RULE.plotters().stroke_width(k.max(1.0) as u32))
            .light_line_style(TRANSPARENT)
            .draw()
            .map_err(err)?;
        if self.points.iter().all(|p| p.value.is_none()) {
            let (x0, y0) = chart.backend_coord(&((n as f64 - 1.0) / 2.0, (lo + hi) / 2.0));
            area.draw(&Text::new("No values reported yet", (x0, y0), text_style(TEXT * k, palette::GREY, HPos::Center, VPos::Center)))
                .map_err(err)?;
        }
        // The amber band: between the target and the amber threshold, period by period.
        let band = palette::AMBER_BAND.plotters().filled();
        for (i, p) in self.points.iter().enumerate() {
            if let (Some(t), Some(a)) = (p.target, p.amber) {
                let x = i as f64;
                chart.draw_series(std::iter::once(Rectangle::new([(x - 0.5, t.min(a)), (x + 0.5, t.max(a))], band))).map_err(err)?;
            }
        }
        let target_style = palette::INK.plotters().stroke_width((2.5 * k) as u32);
        for run in steps(self.points.iter().map(|p| p.target)) {
            chart.draw_series(DashedLineSeries::new(run, (14.0 * k) as u32, (7.0 * k) as u32, target_style)).map_err(err)?;
        }
        for (b, _) in self.labels.iter().enumerate() {
            let colour = palette::BENCHMARKS[b % palette::BENCHMARKS.len()];
            let (on, off) = BENCHMARK_DASHES[b % BENCHMARK_DASHES.len()];
            let style = colour.plotters().stroke_width((2.5 * k) as u32);
            for run in steps(self.points.iter().map(|p| p.benchmarks.get(b).copied().flatten())) {
                chart.draw_series(DashedLineSeries::new(run, (on * k) as u32, (off * k) as u32, style)).map_err(err)?;
            }
        }
        let series = palette::SERIES.plotters();
        for run in runs(self.points.iter().map(|p| p.value)) {
            chart.draw_series(LineSeries::new(run.clone(), series.stroke_width((3.0 * k) as u32))).map_err(err)?;
            chart.draw_series(run.iter().map(|pt| Circle::new(*pt, (4.5 * k) as i32, series.filled()))).map_err(err)?;
        }
        if let Some((i, v)) = self.points.iter().enumerate().rev().find_map(|(i, p)| p.value.map(|v| (i, v))) {
            let (px, py) = chart.backend_coord(&(i as f64, v));
            area.draw(&Circle::new((px, py), (9.0 * k) as i32, series.stroke_width((2.0 * k) as u32))).map_err(err)?;
        }
        // End labels, highest first, pushed down where they would overlap.
        let x_end = chart.backend_coord(&(n as f64 - 0.5, lo)).0 + (10.0 * k) as i32;
        let max = (w as f64 - x_end as f64 - 6.0 * k) as f32;
        let line = (SMALL * 1.2 * k) as i32;
        let mut next_free = i32::MIN;
        for (v, colour, label) in self.end_labels() {
            let lines = font::wrap(&label, (SMALL * k) as f32, max, 2);
            let height = line * lines.len() as i32;
            let mut y = chart.backend_coord(&(0.0, v)).1 - height / 2;
            y = y.max(next_free);
            next_free = y + height + (4.0 * k) as i32;
            for (j, text) in lines.into_iter().enumerate() {
                let at = (x_end, y + j as i32 * line + line / 2);
                area.draw(&Text::new(text, at, text_style(SMALL * k, colour, HPos::Left, VPos::Center))).map_err(err)?;
            }
        }
        legend(area, k, &entries)?;
        Ok(())
    }
}

fn with_unit_short(v: f64, unit: &str) -> String {
    if unit.trim() == "%" {
        format!("{}%", number(v))
    } else {
        number(v)
    }
}

/// Axis labels for periods.
pub fn axis_label(p: scorecard_core::Period) -> String {
    period_axis(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_and_steps_break_at_missing_values() {
        let r = runs([Some(1.0), Some(2.0), None, Some(4.0)].into_iter());
        assert_eq!(r, vec![vec![(0.0, 1.0), (1.0, 2.0)], vec![(3.0, 4.0)]]);
        let s = steps([Some(5.0), Some(6.0)].into_iter());
        assert_eq!(s, vec![vec![(-0.5, 5.0), (0.5, 5.0), (0.5, 6.0), (1.5, 6.0)]]);
    }

    #[test]
    fn nice_ceilings() {
        assert_eq!(nice_ceiling(42.56), 50.0);
        assert_eq!(nice_ceiling(0.0), 1.0);
        assert_eq!(nice_ceiling(9.0), 10.0);
        assert_eq!(nice_ceiling(2.2), 2.5);
    }
}
