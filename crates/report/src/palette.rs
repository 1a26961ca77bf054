//! The report's colours, in one place, with the WCAG 2.2 contrast each pairing needs.
//!
//! Status colours are strong fills with text on them (the overview cells, the status labels):
//! each fill/text pair passes AA for normal text (4.5:1). Arrows and chart lines on white pass
//! the 3:1 that graphics need (WCAG 1.4.11). Amber is too light for 3:1 on white, so amber
//! bars and swatches always have a dark outline. Colour is never the only signal: every status
//! is also written out, and every arrow has its word.

use scorecard_core::Status;

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// `#rrggbb`.
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    /// WCAG relative luminance.
    pub fn luminance(self) -> f64 {
        let channel = |c: u8| {
            let c = c as f64 / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(self.0) + 0.7152 * channel(self.1) + 0.0722 * channel(self.2)
    }

    /// WCAG contrast ratio with `other` (1 to 21).
    pub fn contrast(self, other: Rgb) -> f64 {
        let (a, b) = (self.luminance(), other.luminance());
        let (hi, lo) = if a > b { (a, b) } else { (b, a) };
        (hi + 0.05) / (lo + 0.05)
    }

    pub(crate) fn plotters(self) -> plotters::style::RGBColor {
        plotters::style::RGBColor(self.0, self.1, self.2)
    }
}

/// Page text.
pub const INK: Rgb = Rgb(0x0b, 0x0c, 0x0c);
/// Page background.
pub const PAPER: Rgb = Rgb(0xff, 0xff, 0xff);
/// Secondary text, axes and "no change" arrows.
pub const GREY: Rgb = Rgb(0x50, 0x5a, 0x5f);
/// Light rules and grid lines (decoration only).
pub const RULE: Rgb = Rgb(0xd8, 0xdc, 0xde);
/// The measure's own line in trend charts.
pub const SERIES: Rgb = Rgb(0x1d, 0x3f, 0x8c);
/// The amber band in trend charts (decoration: the band is also named in the legend).
pub const AMBER_BAND: Rgb = Rgb(0xff, 0xe2, 0x9a);
/// Benchmark lines, in label order.
pub const BENCHMARKS: [Rgb; 4] = [Rgb(0x6a, 0x3d, 0x9a), Rgb(0x00, 0x6d, 0x75), Rgb(0x8a, 0x4b, 0x08), Rgb(0x4d, 0x4d, 0x4d)];
/// Improving direction of travel.
pub const IMPROVING: Rgb = Rgb(0x00, 0x70, 0x3c);
/// Worsening direction of travel.
pub const WORSENING: Rgb = Rgb(0xb4, 0x23, 0x18);

// Issue #13: statistical process control. Each passes 3:1 against white as a graphic, and
// every marker also differs by shape.
/// Special cause improvement (and its icon).
pub const SPC_IMPROVEMENT: Rgb = Rgb(0x00, 0x5e, 0xb8);
/// Special cause concern (and its icon).
pub const SPC_CONCERN: Rgb = Rgb(0xc2, 0x4e, 0x00);
/// Special cause of a neutral measure, and rebases.
pub const SPC_NEUTRAL: Rgb = Rgb(0x6a, 0x3d, 0x9a);
/// The target line on an XmR chart.
pub const SPC_TARGET: Rgb = Rgb(0x00, 0x6d, 0x75);

/// Fill and text colours of a status label or cell; `None` is "not rated".
pub fn status_colours(status: Option<Status>) -> (Rgb, Rgb) {
    match status {
        Some(Status::Green) => (Rgb(0x00, 0x70, 0x3c), PAPER),
        Some(Status::Amber) => (Rgb(0xff, 0xbf, 0x47), INK),
        Some(Status::Red) => (Rgb(0xb4, 0x23, 0x18), PAPER),
        Some(Status::Blue) => (Rgb(0x1d, 0x70, 0xb8), PAPER),
        None => (Rgb(0xe6, 0xe8, 0xea), INK),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_labels_pass_aa_for_normal_text() {
        for s in [Some(Status::Green), Some(Status::Amber), Some(Status::Red), Some(Status::Blue), None] {
            let (fill, text) = status_colours(s);
            assert!(fill.contrast(text) >= 4.5, "{s:?}: {:.2}", fill.contrast(text));
        }
    }

    #[test]
    fn text_and_arrows_on_white_pass_aa() {
        for (name, c) in [("ink", INK), ("grey", GREY), ("improving", IMPROVING), ("worsening", WORSENING), ("series", SERIES)] {
            assert!(c.contrast(PAPER) >= 4.5, "{name}: {:.2}", c.contrast(PAPER));
        }
        for c in BENCHMARKS {
            assert!(c.contrast(PAPER) >= 4.5, "{}: {:.2}", c.hex(), c.contrast(PAPER));
        }
        for c in [SPC_IMPROVEMENT, SPC_CONCERN, SPC_NEUTRAL, SPC_TARGET] {
            assert!(c.contrast(PAPER) >= 4.5, "{}: {:.2}", c.hex(), c.contrast(PAPER));
        }
    }

    #[test]
    fn outlines_make_light_fills_visible() {
        // Amber bars rely on their INK outline (3:1 for graphics); the outline itself passes.
        let (amber, _) = status_colours(Some(Status::Amber));
        assert!(amber.contrast(PAPER) < 3.0);
        assert!(INK.contrast(amber) >= 3.0 && INK.contrast(PAPER) >= 3.0);
    }

    #[test]
    fn contrast_matches_known_values() {
        // Black on white is 21:1; #767676 on white is the well-known 4.54:1 edge of AA.
        assert!((Rgb(0, 0, 0).contrast(PAPER) - 21.0).abs() < 1e-9);
        assert!((Rgb(0x76, 0x76, 0x76).contrast(PAPER) - 4.54).abs() < 0.01);
        assert!((PAPER.contrast(PAPER) - 1.0).abs() < 1e-9);
    }
}
