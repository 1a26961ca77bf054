//! "Statistical process control" (issue #13): per measure, its variation and assurance icons
//! with their words and the reason, then its XmR chart. The icons are our own design: the
//! variation icon is a disc whose colour *and* triangle (up, down, none) say what the latest
//! point shows; the assurance icon is a rounded square with a tick, a cross or a wave across a
//! line. Both are hidden from screen readers, since the words beside them say the same.

use super::parts::figure;
use crate::charts::xmr::variation_words;
use crate::format::escape;
use crate::pack::{assurance_words, SpcSection};
use crate::palette;
use scorecard_core::{SpcAssurance, SpcVariation};
use std::fmt::Write;

/// The variation icon: a disc with a zigzag (the process) and, for special cause, a triangle
/// pointing the way the point went.
pub(super) fn variation_icon(v: Option<SpcVariation>) -> String {
    let (colour, triangle) = match v {
        Some(SpcVariation::SpecialCauseImprovement) => (palette::SPC_IMPROVEMENT, Some(true)),
        Some(SpcVariation::SpecialCauseConcern) => (palette::SPC_CONCERN, Some(false)),
        Some(SpcVariation::SpecialCauseHigh) => (palette::SPC_NEUTRAL, Some(true)),
        Some(SpcVariation::SpecialCauseLow) => (palette::SPC_NEUTRAL, Some(false)),
        Some(SpcVariation::CommonCause) => (palette::GREY, None),
        None => {
            return "<svg class=\"spc-icon\" width=\"36\" height=\"36\" viewBox=\"0 0 36 36\" aria-hidden=\"true\" focusable=\"false\"><circle cx=\"18\" cy=\"18\" r=\"16\" fill=\"#ffffff\" stroke=\"#505a5f\" stroke-width=\"2\" stroke-dasharray=\"4 3\"/><path d=\"M9 18H27\" stroke=\"#505a5f\" stroke-width=\"2.5\"/></svg>".to_string();
        }
    };
    let mark = match triangle {
        Some(true) => "<path d=\"M18 6L25 15H11Z\" fill=\"#ffffff\"/>",
        Some(false) => "<path d=\"M18 30L25 21H11Z\" fill=\"#ffffff\"/>",
        None => "",
    };
    let zigzag = match triangle {
        Some(true) => "M7 26L12 21L16 24L21 19L29 23",
        Some(false) => "M7 10L12 15L16 12L21 17L29 13",
        None => "M7 19L11 14L15 22L19 14L23 22L29 17",
    };
    format!(
        "<svg class=\"spc-icon\" width=\"36\" height=\"36\" viewBox=\"0 0 36 36\" aria-hidden=\"true\" focusable=\"false\"><circle cx=\"18\" cy=\"18\" r=\"17\" fill=\"{}\" stroke=\"#0b0c0c\" stroke-width=\"1\"/><path d=\"{zigzag}\" fill=\"none\" stroke=\"#ffffff\" stroke-width=\"2.2\" stroke-linejoin=\"round\"/>{mark}</svg>",
        colour.hex()
    )
}

/// The assurance icon: a rounded square with a tick (passing), a cross (failing) or a wave
/// across the target line (hit and miss).
pub(super) fn assurance_icon(a: Option<SpcAssurance>) -> String {
    let (colour, mark) = match a {
        Some(SpcAssurance::ConsistentlyPassing) => (palette::SPC_IMPROVEMENT, "<path d=\"M9 19L15 25L27 11\" fill=\"none\" stroke=\"#ffffff\" stroke-width=\"3.5\" stroke-linecap=\"round\" stroke-linejoin=\"round\"/>"),
        Some(SpcAssurance::ConsistentlyFailing) => (palette::SPC_CONCERN, "<path d=\"M11 11L25 25M25 11L11 25\" stroke=\"#ffffff\" stroke-width=\"3.5\" stroke-linecap=\"round\"/>"),
        Some(SpcAssurance::HitAndMiss) => (palette::GREY, "<path d=\"M6 18H30\" stroke=\"#ffffff\" stroke-width=\"1.6\" stroke-dasharray=\"3 2\"/><path d=\"M6 18C10 6 14 6 18 18S26 30 30 18\" fill=\"none\" stroke=\"#ffffff\" stroke-width=\"2.6\"/>"),
        None => return "<svg class=\"spc-icon\" width=\"36\" height=\"36\" viewBox=\"0 0 36 36\" aria-hidden=\"true\" focusable=\"false\"><rect x=\"2\" y=\"2\" width=\"32\" height=\"32\" rx=\"7\" fill=\"#ffffff\" stroke=\"#505a5f\" stroke-width=\"2\" stroke-dasharray=\"4 3\"/><path d=\"M9 18H27\" stroke=\"#505a5f\" stroke-width=\"2.5\"/></svg>".to_string(),
    };
    format!(
        "<svg class=\"spc-icon\" width=\"36\" height=\"36\" viewBox=\"0 0 36 36\" aria-hidden=\"true\" focusable=\"false\"><rect x=\"1\" y=\"1\" width=\"34\" height=\"34\" rx=\"7\" fill=\"{}\" stroke=\"#0b0c0c\" stroke-width=\"1\"/>{mark}</svg>",
        colour.hex()
    )
}

pub(super) fn spc(out: &mut String, s: &SpcSection, charts: &super::Charts) {
    let _ = write!(out, "<section id=\"spc\" aria-labelledby=\"spc-h\">\n<h2 id=\"spc-h\">Statistical process control</h2>\n<p>{}</p>\n<table class=\"spc\">\n<caption>{}</caption>\n<colgroup><col style=\"width:25%\"><col style=\"width:15%\"><col style=\"width:17%\"><col style=\"width:43%\"></colgroup>\n<thead><tr><th scope=\"col\">Measure</th><th scope=\"col\">Variation</th><th scope=\"col\">Assurance</th><th scope=\"col\">Why</th></tr></thead>\n<tbody>\n", escape(&s.intro), escape(&s.caption));
    for r in &s.rows {
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\"><span class=\"id\">{}</span> {}</th><td><span class=\"spc-mark\">{}<span>{}</span></span></td><td><span class=\"spc-mark\">{}<span>{}</span></span></td><td>{}</td></tr>",
            escape(&r.id),
            escape(&r.title),
            variation_icon(r.variation),
            variation_words(r.variation),
            assurance_icon(r.assurance),
            assurance_words(r.assurance, r.has_target),
            escape(&r.reason)
        );
    }
    out.push_str("</tbody>\n</table>\n");
    if !s.charts.is_empty() {
        out.push_str("<p class=\"print-only\">The XmR charts are left out of the printed pack (the table above says what each shows); they are in the report on screen.</p>\n");
    }
    let _ = writeln!(out, "<p class=\"xmr\">{}</p>", escape(&s.charts_intro));
    out.push_str("<div class=\"figures small xmr\">\n");
    for &i in &s.charts {
        if let Some((files, inline)) = charts.get(i) {
            out.push_str(&figure(files, inline, i + 1, &files.title));
        }
    }
    out.push_str("</div>\n</section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_icon_differs_in_shape_not_only_colour() {
        let v: Vec<String> =
            [Some(SpcVariation::CommonCause), Some(SpcVariation::SpecialCauseImprovement), Some(SpcVariation::SpecialCauseConcern), None]
                .into_iter()
                .map(variation_icon)
                .collect();
        // Drop the colours: the shapes alone still tell each apart.
        let shapes: Vec<String> = v.iter().map(|s| s.split("fill=\"#").map(|p| p.get(6..).unwrap_or("")).collect()).collect();
        for i in 0..shapes.len() {
            for j in i + 1..shapes.len() {
                assert_ne!(shapes[i], shapes[j]);
            }
        }
        let a: Vec<String> =
            [Some(SpcAssurance::ConsistentlyPassing), Some(SpcAssurance::ConsistentlyFailing), Some(SpcAssurance::HitAndMiss), None]
                .into_iter()
                .map(assurance_icon)
                .collect();
        assert!(a.iter().all(|s| s.contains("aria-hidden=\"true\"")));
        assert_eq!(assurance_words(None, false), "No target");
    }
}
