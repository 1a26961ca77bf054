//! What several sections draw: a status label (the word on its colour), a direction-of-travel
//! arrow, the words for a judgement, and a figure holding a chart with its caption and files.

use crate::charts::ChartFiles;
use crate::format::escape;
use crate::palette;
use scorecard_core::{Dot, DotJudgement, Labels, Status};

/// A status label: the word on its colour, as the plan's `[labels]` name it (issue #16);
/// "Not rated" for `None`.
pub(super) fn status_label(labels: &Labels, status: Option<Status>, small: bool) -> String {
    let class = status.map(|s| s.name().to_ascii_lowercase()).unwrap_or_else(|| "none".into());
    let word = status.map(|s| labels.name(s)).unwrap_or("Not rated");
    let size = if small { " small" } else { "" };
    format!("<span class=\"status{size} s-{class}\">{}</span>", escape(word))
}

/// An inline arrow for a direction of travel, coloured by its judgement; hidden from screen
/// readers because the word beside it says the same.
pub(super) fn arrow(dot: Dot, judgement: DotJudgement) -> String {
    let colour = match judgement {
        DotJudgement::Improving => palette::IMPROVING,
        DotJudgement::Worsening => palette::WORSENING,
        _ => palette::GREY,
    };
    let rotate = match dot {
        Dot::Up => 0,
        Dot::Down => 180,
        Dot::Same => 90,
        Dot::None => return String::new(),
    };
    format!(
        "<svg width=\"16\" height=\"16\" viewBox=\"0 0 16 16\" aria-hidden=\"true\" focusable=\"false\"><path d=\"M8 1L15 8.5H10.5V15H5.5V8.5H1Z\" fill=\"{}\" stroke=\"#0b0c0c\" stroke-width=\"0.6\" transform=\"rotate({rotate} 8 8)\"/></svg>",
        colour.hex()
    )
}

pub(super) fn judgement_word(j: DotJudgement) -> (&'static str, &'static str) {
    match j {
        DotJudgement::Improving => ("Improving", "improving"),
        DotJudgement::Worsening => ("Worsening", "worsening"),
        DotJudgement::NoChange => ("No change", "neutral"),
        DotJudgement::NotAssessed => ("Not assessed", "neutral"),
    }
}

pub(super) fn figure(files: &ChartFiles, inline: &str, number: usize, caption: &str) -> String {
    format!(
        "<figure>\n{inline}\n<figcaption>Figure {number}: {}.<span class=\"files\"> Files: <a href=\"{}\">PNG</a>, <a href=\"{}\">SVG</a>.</span></figcaption>\n</figure>\n",
        escape(caption),
        escape(&files.png_path()),
        escape(&files.svg_path())
    )
}

/// What an item's status was at the previous report, under its status now: `Nov 2013:
/// Amber`; nothing without a previous report.
pub(super) fn was(labels: &Labels, previous: Option<&str>, was: Option<Option<Option<Status>>>) -> String {
    match (previous, was) {
        (Some(p), Some(w)) => {
            let word = match w {
                Some(Some(s)) => labels.name(s),
                Some(None) => "Not rated",
                None => "not reported",
            };
            format!("<span class=\"was\">{}: {}</span>", escape(p), escape(word))
        }
        _ => String::new(),
    }
}
