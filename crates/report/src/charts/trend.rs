//! A measure's trend chart: its values over time with the target (a dashed step line), the
//! amber band and each benchmark, every line named in the legend and at its end. Also the
//! chart's words (title, subtitle, text alternative) from the measure's facts.

use super::canvas::{Drawing, Words};
use super::font;
use super::layout::{err, heading, is_small, label_every, legend, legend_height, text_style, Sample, LEFT, SMALL, TEXT};
use crate::counts::MeasureFacts;
use crate::format::{amber_band, fixed_unit, frequency_text, good_is, label_title, number, period_axis, period_short, slug, svg_number};
use crate::palette::{self, Rgb};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use scorecard_core::{Period, Plan};
use std::fmt::Write;

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
#[derive(Clone)]
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

/// The largest magnitude a trend chart draws: values, targets, thresholds and benchmarks must
/// lie strictly between -1e15 and 1e15. Beyond it a double no longer holds the axis labels'
/// two decimals (it carries 15 to 16 significant digits), numbers are written in scientific
/// form everywhere else, and plotters' axis code loops forever near 1e305 (issue #12). No
/// council measure comes near it; a chart with such a value says it cannot be drawn.
pub const PLOTTABLE: f64 = 1e15;

impl TrendChart {
    /// Every number the chart would plot.
    fn plotted(&self) -> impl Iterator<Item = f64> + '_ {
        self.points.iter().flat_map(|p| [p.value, p.target, p.amber].into_iter().chain(p.benchmarks.iter().copied())).flatten()
    }

    /// Whether every number lies within [`PLOTTABLE`].
    pub fn is_plottable(&self) -> bool {
        self.plotted().all(|v| v.is_finite() && v.abs() < PLOTTABLE)
    }

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
        if !self.is_plottable() {
            let at = ((w / 2) as i32, ((top + h) / 2) as i32);
            let text = "This trend cannot be drawn: a value lies beyond ±1e15 (see the scorecard table)";
            area.draw(&Text::new(text, at, text_style(TEXT * k, palette::INK, HPos::Center, VPos::Center))).map_err(err)?;
            return Ok(());
        }
        // A small chart has no legend: the Trends section's words name its lines, and the end
        // labels name the target and each benchmark.
        let small = is_small(w, k);
        let entries = if small { Vec::new() } else { self.legend_entries() };
        let legend_h = if small { (8.0 * k) as u32 } else { (legend_height(&entries, w as f64 / k) * k) as u32 };
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
        // At most eight period labels (two on a small chart), always including the latest.
        let every = label_every(n, small);
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
            let s = svg_number(*y, 2);
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
        if !small {
            legend(area, k, &entries)?;
        }
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
pub fn axis_label(p: Period) -> String {
    period_axis(p)
}

impl TrendChart {
    /// The trend chart of one measure (of `plan`), and its words; `labels` are the plan's
    /// benchmark labels.
    pub fn of_measure(plan: &Plan, m: &MeasureFacts, labels: &[String]) -> (TrendChart, Words) {
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
        // The row's decimals, as in the scorecard (issue #15).
        let dp = m.decimals();
        let latest = match r.value {
            Some(v) => format!("{}: {} ({status})", period_short(r.rated_period), fixed_unit(v, dp, &measure.unit)),
            None => format!("{}: no value ({status})", period_short(r.rated_period)),
        };
        let mut subtitle = vec![
            format!("Good is {}", good_is(measure.polarity).to_lowercase()),
            frequency_text(measure.frequency, measure.year_type).to_lowercase(),
            latest,
        ];
        if let Some(t) = r.target {
            let mut s = format!("target {}", fixed_unit(t, dp, &measure.unit));
            if let Some(a) = r.amber_threshold {
                s.push_str(&format!(", {}", amber_band(measure.polarity, a, dp, &measure.unit)));
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
                format!("{} {}", period_short(p.period), v.map(|v| fixed_unit(v, dp, &measure.unit)).unwrap_or_else(|| "no value".into()))
            })
            .collect();
        let mut description = format!(
            "Line chart of {title}, {} to {}. Values: {}.",
            period_short(m.history[0].period),
            period_short(m.history[m.history.len() - 1].period),
            values.join(", ")
        );
        if !chart.is_plottable() {
            description.push_str(" The chart cannot be drawn: a value lies beyond ±1e15.");
        }
        if let Some(t) = r.target {
            let _ = write!(description, " Target at the latest period {}", fixed_unit(t, dp, &measure.unit));
            if let Some(a) = r.amber_threshold {
                let _ = write!(description, ", {}", amber_band(measure.polarity, a, dp, &measure.unit));
            }
            description.push('.');
        }
        for (i, b) in used.iter().enumerate() {
            if let Some(c) = r.benchmarks.get(*b) {
                if let Some(v) = c.value {
                    let _ = write!(description, " {}: {}.", chart.labels[i], fixed_unit(v, dp, &measure.unit));
                }
            }
        }
        let words = Words { name: format!("trend-{}", slug(&measure.id)), title: format!("Trend: {title}"), description };
        (chart, words)
    }
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
}
