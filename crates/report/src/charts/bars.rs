//! The overview chart: milestone (or measure) statuses per priority as grouped bars, each
//! with its status letter and count, so that no bar relies on its colour.

use super::canvas::Drawing;
use super::font;
use super::layout::{err, heading, legend, legend_height, text_style, Sample, TEXT};
use crate::counts::{Counted, Counts, Overview};
use crate::format::period_short;
use crate::palette::{self, status_colours};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use scorecard_core::Status;

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
                period_short(overview.period),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_ceilings() {
        assert_eq!(nice_ceiling(42.56), 50.0);
        assert_eq!(nice_ceiling(0.0), 1.0);
        assert_eq!(nice_ceiling(9.0), 10.0);
        assert_eq!(nice_ceiling(2.2), 2.5);
    }
}
