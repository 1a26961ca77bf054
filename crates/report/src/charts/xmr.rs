//! A measure's XmR (statistical process control) chart, issue #13: its values up to the rated
//! period with each segment's mean and process limits, the target, rebases as dashed vertical
//! lines with their reason, and every point marked by colour *and* shape: an upward triangle
//! for special cause improvement (or high, for a neutral measure), a downward triangle for
//! concern (or low), a grey circle for common cause. The core computes the chart
//! ([`scorecard_core::xmr_chart`]); this only draws it.

use super::canvas::{Drawing, Words};
use super::font;
use super::layout::{draw_marker, err, heading, is_small, label_every, legend, legend_height, text_style, Marker, Sample, LEFT, SMALL};
use crate::counts::MeasureFacts;
use crate::format::{good_is, number, period_short, slug, svg_number, with_unit};
use crate::palette::{self, Rgb};
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use scorecard_core::{xmr_chart, Plan, SpcVariation, XmrChart};
use std::fmt::Write;

/// The colour and marker of a point's variation.
pub fn variation_mark(v: Option<SpcVariation>) -> (Rgb, Marker) {
    match v {
        Some(SpcVariation::SpecialCauseImprovement) => (palette::SPC_IMPROVEMENT, Marker::Up),
        Some(SpcVariation::SpecialCauseConcern) => (palette::SPC_CONCERN, Marker::Down),
        Some(SpcVariation::SpecialCauseHigh) => (palette::SPC_NEUTRAL, Marker::Up),
        Some(SpcVariation::SpecialCauseLow) => (palette::SPC_NEUTRAL, Marker::Down),
        Some(SpcVariation::CommonCause) | None => (palette::GREY, Marker::Circle),
    }
}

/// The words of a variation, for people.
pub fn variation_words(v: Option<SpcVariation>) -> &'static str {
    match v {
        Some(SpcVariation::CommonCause) => "Common cause variation",
        Some(SpcVariation::SpecialCauseImprovement) => "Special cause improvement",
        Some(SpcVariation::SpecialCauseConcern) => "Special cause concern",
        Some(SpcVariation::SpecialCauseHigh) => "Special cause, high",
        Some(SpcVariation::SpecialCauseLow) => "Special cause, low",
        None => "Not judged",
    }
}

/// One measure's XmR chart, ready to draw.
#[derive(Clone)]
pub struct XmrDrawing {
    /// Title.
    pub title: String,
    /// Subtitle.
    pub subtitle: String,
    /// The unit (`%`), for the axis.
    pub unit: String,
    /// Axis labels, one per point.
    pub labels: Vec<String>,
    /// The chart the core computed.
    pub chart: XmrChart,
    /// The target applied at the rated period.
    pub target: Option<f64>,
}

impl XmrDrawing {
    /// The XmR chart of one measure (of `plan`) up to its rated period, and its words; `None`
    /// when it has no value up to then.
    pub fn of_measure(plan: &Plan, m: &MeasureFacts) -> Option<(XmrDrawing, Words)> {
        let measure = &plan.measures[m.index];
        let r = &m.rating;
        let chart = xmr_chart(plan, m.index, r.rated_period);
        if chart.points.is_empty() {
            return None;
        }
        // As the trend chart: numbers beyond what plotters can scale are not drawn (a mesh over
        // 1e300 never finishes).
        let plottable = |x: f64| x.is_finite() && x.abs() < super::trend::PLOTTABLE;
        let numbers = chart
            .points
            .iter()
            .map(|p| p.value)
            .chain(chart.segments.iter().flat_map(|s| [Some(s.mean), s.lower, s.upper].into_iter().flatten()));
        if !numbers.chain(r.target).all(plottable) {
            return None;
        }
        let title = format!("{} {}", measure.id, measure.title);
        let last = chart.segments.last()?;
        let mut subtitle = vec![format!(
            "Good is {} · mean {}, process limits {} to {} over {} point{}",
            good_is(measure.polarity).to_lowercase(),
            number(round_like(last.mean)),
            last.lower.map(|x| number(round_like(x))).unwrap_or_else(|| "–".into()),
            last.upper.map(|x| number(round_like(x))).unwrap_or_else(|| "–".into()),
            last.len,
            if last.len == 1 { "" } else { "s" }
        )];
        subtitle.push(variation_words(r.spc.variation).to_string());
        if let Some(t) = r.target {
            subtitle.push(format!("target {}", with_unit(t, &measure.unit)));
        }
        let mut description = format!("XmR chart of {title}, {} points. ", chart.points.len());
        for (i, s) in chart.segments.iter().enumerate() {
            if let Some((p, why)) = &s.rebase {
                let _ = write!(description, "Rebased at {} ({why}). ", period_short(*p));
            }
            let _ = write!(
                description,
                "{} {} to {}: mean {}",
                if i == 0 { "From" } else { "Then from" },
                period_short(chart.points[s.first].period),
                period_short(chart.points[s.first + s.len - 1].period),
                number(round_like(s.mean))
            );
            if let (Some(lo), Some(hi)) = (s.lower, s.upper) {
                let _ = write!(description, ", limits {} to {}", number(round_like(lo)), number(round_like(hi)));
            }
            description.push_str(". ");
        }
        let marked: Vec<String> = chart
            .points
            .iter()
            .filter(|p| p.signal.is_some())
            .map(|p| format!("{} {} ({})", period_short(p.period), number(p.value), variation_words(p.variation).to_lowercase()))
            .collect();
        if marked.is_empty() {
            description.push_str("No point shows special cause variation.");
        } else {
            let _ = write!(description, "Special cause points: {}.", marked.join(", "));
        }
        let drawing = XmrDrawing {
            title: title.clone(),
            subtitle: subtitle.join(" · "),
            unit: measure.unit.clone(),
            labels: chart.points.iter().map(|p| super::axis_label(p.period)).collect(),
            chart,
            target: r.target,
        };
        let words = Words { name: format!("xmr-{}", slug(&measure.id)), title: format!("XmR chart: {title}"), description };
        Some((drawing, words))
    }

    fn y_range(&self) -> (f64, f64) {
        let mut all: Vec<f64> = self.chart.points.iter().map(|p| p.value).collect();
        for s in &self.chart.segments {
            all.extend([Some(s.mean), s.lower, s.upper].into_iter().flatten());
        }
        all.extend(self.target);
        let (lo, hi) = all.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(*v), b.max(*v)));
        if !lo.is_finite() {
            return (0.0, 1.0);
        }
        let span = if hi > lo { hi - lo } else { hi.abs().max(1.0) };
        (lo - span * 0.1, hi + span * 0.12)
    }

    fn legend_entries(&self) -> Vec<(Sample, String)> {
        let mut entries = vec![
            (Sample::Line { colour: palette::INK, width: 2.5, dash: None, marker: false }, "Mean".to_string()),
            (Sample::Line { colour: palette::GREY, width: 2.0, dash: Some((6.0, 5.0)), marker: false }, "Process limits".to_string()),
        ];
        if self.target.is_some() {
            entries
                .push((Sample::Line { colour: palette::SPC_TARGET, width: 2.5, dash: Some((16.0, 6.0)), marker: false }, "Target".into()));
        }
        let mut seen: Vec<(Rgb, Marker)> = Vec::new();
        for p in &self.chart.points {
            let mark = variation_mark(p.variation.filter(|_| p.signal.is_some()));
            if !seen.contains(&mark) {
                seen.push(mark);
            }
        }
        for v in [
            SpcVariation::CommonCause,
            SpcVariation::SpecialCauseImprovement,
            SpcVariation::SpecialCauseConcern,
            SpcVariation::SpecialCauseHigh,
            SpcVariation::SpecialCauseLow,
        ] {
            let (colour, marker) = variation_mark(Some(v));
            if seen.contains(&(colour, marker)) {
                entries.push((Sample::Marker { colour, marker }, variation_words(Some(v)).to_string()));
            }
        }
        entries
    }
}

/// A limit or mean to the precision of a chart label.
fn round_like(x: f64) -> f64 {
    let digits = if x.abs() >= 100.0 {
        1
    } else if x.abs() >= 1.0 {
        2
    } else {
        4
    };
    let f = 10f64.powi(digits);
    (x * f).round() / f
}

impl Drawing for XmrDrawing {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>, k: f64) -> Result<(), String> {
        area.fill(&WHITE).map_err(err)?;
        let top = heading(area, k, &self.title, &self.subtitle)?;
        let (w, h) = area.dim_in_pixel();
        let entries = self.legend_entries();
        let legend_h = (legend_height(&entries, w as f64 / k) * k) as u32;
        let (_, rest) = area.split_vertically(top);
        let (plot, _) = rest.split_vertically(h - top - legend_h);
        let n = self.chart.points.len().max(1);
        let (lo, hi) = self.y_range();
        let mut chart = ChartBuilder::on(&plot)
            .margin_left((LEFT * k) as u32)
            .margin_right((40.0 * k) as u32)
            .margin_top((8.0 * k) as u32)
            .x_label_area_size((50.0 * k) as u32)
            .y_label_area_size((100.0 * k) as u32)
            .build_cartesian_2d(-0.5f64..n as f64 - 0.5, lo..hi)
            .map_err(err)?;
        let labels = self.labels.clone();
        let every = label_every(n, is_small(w, k));
        let unit = self.unit.trim().to_string();
        let x_fmt = move |x: &f64| -> String {
            let i = x.round();
            if (x - i).abs() > 1e-6 || i < 0.0 || i as usize >= labels.len() || (labels.len() - 1 - i as usize) % every != 0 {
                return String::new();
            }
            labels[i as usize].clone()
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
        let mean_style = palette::INK.plotters().stroke_width((2.5 * k) as u32);
        let limit_style = palette::GREY.plotters().stroke_width((2.0 * k) as u32);
        for s in &self.chart.segments {
            let (x0, x1) = (s.first as f64 - 0.4, (s.first + s.len) as f64 - 0.6);
            chart.draw_series(LineSeries::new([(x0, s.mean), (x1, s.mean)], mean_style)).map_err(err)?;
            for limit in [s.lower, s.upper].into_iter().flatten() {
                chart
                    .draw_series(DashedLineSeries::new([(x0, limit), (x1, limit)], (6.0 * k) as u32, (5.0 * k) as u32, limit_style))
                    .map_err(err)?;
            }
        }
        if let Some(t) = self.target {
            let style = palette::SPC_TARGET.plotters().stroke_width((2.5 * k) as u32);
            chart
                .draw_series(DashedLineSeries::new([(-0.5, t), (n as f64 - 0.5, t)], (16.0 * k) as u32, (6.0 * k) as u32, style))
                .map_err(err)?;
        }
        // Rebases: a dashed vertical line before the segment's first point, with its reason.
        let rebase_style = palette::SPC_NEUTRAL.plotters().stroke_width((2.0 * k) as u32);
        for s in self.chart.segments.iter().filter(|s| s.rebase.is_some()) {
            let x = s.first as f64 - 0.5;
            let (px, py_top) = chart.backend_coord(&(x, hi));
            let (_, py_bottom) = chart.backend_coord(&(x, lo));
            area.draw(&DashedPathElement::new(vec![(px, py_top), (px, py_bottom)], (5.0 * k) as u32, (4.0 * k) as u32, rebase_style))
                .map_err(err)?;
            let why = s.rebase.as_ref().map(|r| format!("Rebased {}: {}", period_short(r.0), r.1)).unwrap_or_default();
            let max = (w as f32 - px as f32 - 50.0 * k as f32).max(120.0 * k as f32);
            for (j, line) in font::wrap(&why, (SMALL * k) as f32, max, 2).into_iter().enumerate() {
                let at = (px + (6.0 * k) as i32, py_top + (4.0 * k) as i32 + j as i32 * (SMALL * 1.2 * k) as i32);
                area.draw(&Text::new(line, at, text_style(SMALL * k, palette::SPC_NEUTRAL, HPos::Left, VPos::Top))).map_err(err)?;
            }
        }
        // The values, joined within each segment, then every point's marker on top.
        let series = palette::SERIES.plotters().stroke_width((2.0 * k) as u32);
        for s in &self.chart.segments {
            let run: Vec<(f64, f64)> = (s.first..s.first + s.len).map(|i| (i as f64, self.chart.points[i].value)).collect();
            chart.draw_series(LineSeries::new(run, series)).map_err(err)?;
        }
        for (i, p) in self.chart.points.iter().enumerate() {
            let (colour, marker) = variation_mark(p.variation.filter(|_| p.signal.is_some()));
            let at = chart.backend_coord(&(i as f64, p.value));
            let size = if marker == Marker::Circle { (9.0 * k) as i32 } else { (11.0 * k) as i32 };
            draw_marker(area, at, size, colour, marker, k)?;
        }
        legend(area, k, &entries)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_variation_differs_by_shape_as_well_as_colour() {
        let improvement = variation_mark(Some(SpcVariation::SpecialCauseImprovement));
        let concern = variation_mark(Some(SpcVariation::SpecialCauseConcern));
        let common = variation_mark(Some(SpcVariation::CommonCause));
        assert_ne!(improvement.1, concern.1);
        assert_ne!(improvement.1, common.1);
        assert_ne!(concern.1, common.1);
        assert_ne!(improvement.0, concern.0);
        assert_eq!(variation_mark(None), common);
    }

    #[test]
    fn labels_round_to_a_readable_precision() {
        assert_eq!(round_like(91.219048), 91.22);
        assert_eq!(round_like(1206.142857), 1206.1);
        assert_eq!(round_like(0.14162380), 0.1416);
    }
}
