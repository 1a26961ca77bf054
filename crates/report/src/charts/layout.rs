//! What every chart shares: the text sizes, the title and subtitle at the top, the legend at
//! the bottom (wrapping into rows), and plotters text styles in the embedded font.

use super::font::{self, FAMILY};
use crate::palette::{self, Rgb};
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

pub(super) fn err<E: std::fmt::Display>(e: E) -> String {
    e.to_string()
}

pub(super) fn text_style(size: f64, colour: Rgb, h: HPos, v: VPos) -> TextStyle<'static> {
    TextStyle { font: (FAMILY, size).into_font(), color: colour.plotters().to_backend_color(), pos: Pos::new(h, v) }
}

/// Text sizes in design units: at least 8 pt printed at half the width of an A4 landscape
/// page (a 1200-unit chart 13.4 cm wide makes 26 units 8.2 pt: 26 / 1200 × 134 mm = 2.9 mm),
/// and on a Word page at full text width. `scripts/print-check.py` reads `SMALL` to check it.
pub(super) const TITLE: f64 = 36.0;
pub(super) const SUBTITLE: f64 = 27.0;
pub(super) const TEXT: f64 = 27.0;
pub(super) const SMALL: f64 = 26.0;
pub(super) const LEFT: f64 = 24.0;

/// Whether an area of `w` pixels at `k` pixels per unit is a small chart (the page's small
/// multiples, [`super::SMALL_SIZE`]): it labels fewer periods and, for a trend, leaves the
/// legend to the section's words.
pub(super) fn is_small(w: u32, k: f64) -> bool {
    (w as f64 / k) < 900.0
}

/// Every how many periods an axis is labelled, always including the latest: at most eight
/// labels, or two on a small chart.
pub(super) fn label_every(n: usize, small: bool) -> usize {
    n.div_ceil(if small { 2 } else { 8 }).max(1)
}

/// Draws a title (up to two lines) and a subtitle at the top; returns the height used.
pub(super) fn heading<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, k: f64, title: &str, subtitle: &str) -> Result<u32, String> {
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

/// A point's marker shape (the XmR chart's: shape as well as colour tells special cause).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    /// A circle: common cause.
    Circle,
    /// An upward triangle: improvement, or high.
    Up,
    /// A downward triangle: concern, or low.
    Down,
}

/// Draws a marker of `size` pixels at `(x, y)`, filled with `colour` and outlined in ink.
pub(super) fn draw_marker<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    (x, y): (i32, i32),
    size: i32,
    colour: Rgb,
    marker: Marker,
    k: f64,
) -> Result<(), String> {
    let outline = palette::INK.plotters().stroke_width((1.2 * k).max(1.0) as u32);
    match marker {
        Marker::Circle => {
            area.draw(&Circle::new((x, y), size * 2 / 3, colour.plotters().filled())).map_err(err)?;
        }
        Marker::Up | Marker::Down => {
            let d = if marker == Marker::Up { 1 } else { -1 };
            let pts = vec![(x, y - d * size), (x + size, y + d * size * 3 / 4), (x - size, y + d * size * 3 / 4)];
            area.draw(&Polygon::new(pts.clone(), colour.plotters().filled())).map_err(err)?;
            let mut closed = pts.clone();
            closed.push(pts[0]);
            area.draw(&PathElement::new(closed, outline)).map_err(err)?;
        }
    }
    Ok(())
}

/// A legend entry's sample.
pub(super) enum Sample {
    /// A filled, outlined box.
    Swatch(Rgb),
    /// A line, dashed when `dash` is set, with a dot when `marker` is set.
    Line { colour: Rgb, width: f64, dash: Option<(f64, f64)>, marker: bool },
    /// A point's marker.
    Marker { colour: Rgb, marker: Marker },
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
pub(super) fn legend_height(entries: &[(Sample, String)], width: f64) -> f64 {
    let rows = legend_layout(entries, width).last().map(|(r, _)| r + 1).unwrap_or(0);
    rows as f64 * LEGEND_ROW + 16.0
}

/// Draws the legend in the bottom `legend_height` of the area, wrapping into rows.
pub(super) fn legend<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, k: f64, entries: &[(Sample, String)]) -> Result<(), String> {
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
            Sample::Marker { colour, marker } => draw_marker(area, (x + sw / 2, y), (11.0 * k) as i32, *colour, *marker, k)?,
        }
        let tx = x + sw + (8.0 * k) as i32;
        area.draw(&Text::new(label.clone(), (tx, y), text_style(TEXT * k, palette::INK, HPos::Left, VPos::Center))).map_err(err)?;
    }
    Ok(())
}
