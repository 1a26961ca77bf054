//! The one font every chart is drawn with: DejaVu Sans, compiled in.
//!
//! Charts must look the same on a machine with no fonts installed (a CI runner, a server
//! container), so the font is embedded (`fonts/DejaVuSans.ttf`, Bitstream Vera licence in
//! `fonts/DejaVuSans-LICENSE.txt`) and registered with plotters' `ab_glyph` font table as
//! `sans-serif`. The same glyph outlines draw the PNG pixels and the SVG paths, so the two
//! files of a chart match.

use crate::format::svg_number;
use ab_glyph::{Font, FontRef, GlyphId, PxScale, ScaleFont};
use std::sync::OnceLock;

/// DejaVu Sans 2.37 (Debian `fonts-dejavu-core`).
static FONT_BYTES: &[u8] = include_bytes!("../../fonts/DejaVuSans.ttf");

/// The family name charts ask plotters for.
pub(crate) const FAMILY: &str = "sans-serif";

/// The parsed font, registered with plotters on first use.
pub(crate) fn font() -> &'static FontRef<'static> {
    static FONT: OnceLock<FontRef<'static>> = OnceLock::new();
    FONT.get_or_init(|| {
        // The bytes are compiled in and tested (`font_parses`), so this cannot fail at run time.
        let font = FontRef::try_from_slice(FONT_BYTES).expect("the embedded font parses");
        let _ = plotters::style::register_font(FAMILY, plotters::style::FontStyle::Normal, FONT_BYTES);
        font
    })
}

/// A glyph placed on a line of text: its id and its pen position (pixels from the start).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Placed {
    pub id: GlyphId,
    pub x: f32,
}

/// Lays `text` out on one line at `size` pixels, as plotters measures it (advance + kerning).
pub(crate) fn layout(text: &str, size: f32) -> Vec<Placed> {
    let scaled = font().as_scaled(PxScale::from(size));
    let mut x = 0.0f32;
    let mut previous: Option<GlyphId> = None;
    let mut placed = Vec::with_capacity(text.len());
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(p) = previous {
            x += scaled.kern(p, id);
        }
        placed.push(Placed { id, x });
        x += scaled.h_advance(id);
        previous = Some(id);
    }
    placed
}

/// The width of `text` at `size` pixels.
pub(crate) fn width(text: &str, size: f32) -> f32 {
    let scaled = font().as_scaled(PxScale::from(size));
    layout(text, size).last().map(|p| p.x + scaled.h_advance(p.id)).unwrap_or(0.0)
}

/// The height of a capital letter at `size` pixels: used to centre text on its anchor.
pub(crate) fn cap_height(size: f32) -> f32 {
    let f = font();
    let scale = size / f.height_unscaled();
    f.outline(f.glyph_id('H')).map(|o| o.bounds.max.y * scale).unwrap_or(size * 0.63)
}

/// Font units to pixels at `size`.
pub(crate) fn units_to_px(size: f32) -> f32 {
    size / font().height_unscaled()
}

/// Breaks `text` into lines no wider than `max_width` pixels at `size`, at spaces. At most
/// `max_lines` lines: the last ends in "…" if text was left out, and so does a line holding a
/// single word too wide for it.
///
/// Bounded for any text (issue #12): words stop being read once `max_lines` lines are full,
/// and a line is cut by a binary search over its length (a logarithmic number of width
/// measurements), not by removing one character at a time.
pub(crate) fn wrap(text: &str, size: f32, max_width: f32, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut cut = false;
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
        if line.is_empty() || width(&candidate, size) <= max_width {
            line = candidate;
        } else {
            lines.push(std::mem::replace(&mut line, word.to_string()));
            if lines.len() >= max_lines {
                cut = true;
                break;
            }
        }
    }
    if !line.is_empty() && !cut {
        lines.push(line);
    }
    for (i, l) in lines.iter_mut().enumerate() {
        let last = i + 1 == max_lines;
        if (last && cut) || width(l, size) > max_width {
            *l = fit_with_ellipsis(l, size, max_width);
        }
    }
    lines
}

/// The longest start of `line` that, followed by "…", fits in `max_width`: found by binary
/// search over its character boundaries (a width is measured about log2(length) times).
fn fit_with_ellipsis(line: &str, size: f32, max_width: f32) -> String {
    let ends: Vec<usize> = line.char_indices().map(|(i, _)| i).skip(1).chain(std::iter::once(line.len())).collect();
    let fits = |k: usize| {
        let head = if k == 0 { "" } else { &line[..ends[k - 1]] };
        width(&format!("{head}…"), size) <= max_width
    };
    // The largest k in 0..=ends.len() with `fits(k)`; k = 0 (the ellipsis alone) is the floor.
    let (mut lo, mut hi) = (0usize, ends.len());
    while lo < hi {
        let mid = lo + (hi - lo).div_ceil(2);
        if fits(mid) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    let head = if lo == 0 { "" } else { &line[..ends[lo - 1]] };
    format!("{}…", head.trim_end())
}

/// An SVG path (`d`) of a glyph's outline in font units, y up, as the font draws it.
pub(crate) fn glyph_path(id: GlyphId) -> String {
    use ab_glyph::OutlineCurve::{Cubic, Line, Quad};
    let Some(outline) = font().outline(id) else { return String::new() };
    let mut d = String::new();
    let mut pen: Option<ab_glyph::Point> = None;
    let mut start: Option<ab_glyph::Point> = None;
    let n = |v: f32| svg_number(v as f64, 1);
    for curve in &outline.curves {
        let (from, to) = match curve {
            Line(a, b) | Quad(a, _, b) | Cubic(a, _, _, b) => (*a, *b),
        };
        if pen != Some(from) {
            if start.is_some() {
                d.push('Z');
            }
            d.push_str(&format!("M{} {}", n(from.x), n(from.y)));
            start = Some(from);
        }
        match curve {
            Line(_, b) => d.push_str(&format!("L{} {}", n(b.x), n(b.y))),
            Quad(_, c, b) => d.push_str(&format!("Q{} {} {} {}", n(c.x), n(c.y), n(b.x), n(b.y))),
            Cubic(_, c1, c2, b) => d.push_str(&format!("C{} {} {} {} {} {}", n(c1.x), n(c1.y), n(c2.x), n(c2.y), n(b.x), n(b.y))),
        }
        pen = Some(to);
    }
    if start.is_some() {
        d.push('Z');
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn font_parses_and_has_the_characters_reports_use() {
        let f = font();
        for c in "Green Amber Red Blue 0123456789 %–…£ ↑↓→ Apr–Jun 2013/14 Q3".chars() {
            assert_ne!(f.glyph_id(c).0, 0, "no glyph for {c:?}");
        }
    }

    #[test]
    fn wrap_keeps_lines_within_the_width_and_marks_a_cut() {
        let text = "Percentage of young people aged 16-18 (academic age) not in education, employment or training";
        let lines = wrap(text, 20.0, 300.0, 2);
        assert_eq!(lines.len(), 2);
        assert!(lines.iter().all(|l| width(l, 20.0) <= 300.0), "{lines:?}");
        assert!(lines[1].ends_with('…'));
        assert_eq!(wrap("Short", 20.0, 300.0, 2), vec!["Short"]);
    }

    #[test]
    fn a_line_is_cut_where_removing_characters_one_by_one_would_cut_it() {
        // The search must give the cut the old character-by-character loop gave.
        let one_by_one = |line: &str, size: f32, max: f32| {
            let mut last = line.to_string();
            while !last.is_empty() && width(&format!("{last}…"), size) > max {
                last.pop();
            }
            format!("{}…", last.trim_end())
        };
        let line = "Percentage of young people aged 16-18 not in education, employment or training (NEET) – £ é 中文";
        for max in [0.0, 5.0, 40.0, 123.0, 300.0, 611.0, 2000.0] {
            assert_eq!(fit_with_ellipsis(line, 20.0, max), one_by_one(line, 20.0, max), "at {max}");
        }
    }

    #[test]
    fn long_words_are_cut_to_the_width_and_reading_stops_at_the_last_line() {
        // Issue #12: four 20,000-character words took 19 s (one character removed at a time).
        let word = "W".repeat(20_000);
        let title = [word.as_str(); 4].join(" ");
        let lines = wrap(&title, 34.0, 1100.0, 2);
        assert_eq!(lines.len(), 2);
        for l in &lines {
            assert!(l.ends_with('…') && width(l, 34.0) <= 1100.0, "{} characters", l.chars().count());
            assert!(l.chars().count() < 100, "{} characters", l.chars().count());
        }
        // A single word wider than the line is cut too, not left to run off the chart.
        assert_eq!(wrap(&"x".repeat(500), 20.0, 100.0, 2).len(), 1);
        assert!(wrap(&"x".repeat(500), 20.0, 100.0, 2)[0].ends_with('…'));
    }

    #[test]
    fn glyph_paths_are_closed_outlines() {
        let d = glyph_path(font().glyph_id('O'));
        assert!(d.starts_with('M') && d.ends_with('Z'), "{d}");
        assert_eq!(d.matches('M').count(), 2, "O has an outer and an inner contour: {d}");
    }
}
