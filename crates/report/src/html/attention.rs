//! Issue #13 in the report: the recent trend's words under each measure's direction of travel,
//! and "Significantly worse and getting worse" (Fingertips' red-red): the measures worse than a
//! benchmark whose recent trend is getting worse. Kept to one module so the page's other
//! sections change only by the trend words.

use super::Page;
use crate::format::{escape, label_title, period_short};
use scorecard_core::{Rating, Trend, TrendJudgement, Versus};
use std::fmt::Write;

/// The trend's words for the scorecard's direction-of-travel cell: empty when not computed.
pub(super) fn trend_words(r: &Rating) -> String {
    let (Some(trend), Some(judgement)) = (r.trend, r.trend_judgement) else { return String::new() };
    let word = match trend {
        Trend::Increasing => "increasing",
        Trend::Decreasing => "decreasing",
        Trend::NoSignificantChange => "no significant change",
        Trend::CannotBeCalculated => "cannot be calculated",
    };
    let judged = match judgement {
        TrendJudgement::GettingBetter => ", getting better",
        TrendJudgement::GettingWorse => ", getting worse",
        TrendJudgement::NoSignificantChange | TrendJudgement::NotAssessed => "",
    };
    format!("<span class=\"why\">Recent trend: {word}{judged} ({})</span>", escape(&r.trend_reason))
}

/// The section, only when some measure is both worse than a benchmark and getting worse.
pub(super) fn worse_and_getting_worse(out: &mut String, page: &Page) {
    let mut rows = String::new();
    for m in page.measures {
        let r = &m.rating;
        if r.trend_judgement != Some(TrendJudgement::GettingWorse) {
            continue;
        }
        let worse: Vec<String> = r
            .benchmarks
            .iter()
            .enumerate()
            .filter(|(_, c)| c.versus == Some(Versus::Worse))
            .map(|(i, c)| {
                let level = c.sig.map(|l| format!(", {}%", l.name())).unwrap_or_default();
                format!("{}{level}", label_title(&page.labels[i]))
            })
            .collect();
        if worse.is_empty() {
            continue;
        }
        let measure = &page.plan.measures[m.index];
        let _ = writeln!(
            rows,
            "<tr><th scope=\"row\"><span class=\"id\">{}</span>{}</th><td>{}</td><td>{}</td></tr>",
            escape(&measure.id),
            escape(&measure.title),
            escape(&worse.join("; ")),
            escape(&r.trend_reason)
        );
    }
    if rows.is_empty() {
        return;
    }
    let _ = write!(
        out,
        "<section id=\"worse-and-getting-worse\" aria-labelledby=\"wgw-h\">\n<h2 id=\"wgw-h\">Significantly worse and getting worse</h2>\n<p>Measures worse than a benchmark at {} (beyond the value's confidence interval where it has one) whose recent trend over their last five values is getting worse.</p>\n<table>\n<caption>Worse and getting worse at {}</caption>\n<thead><tr><th scope=\"col\">Measure</th><th scope=\"col\">Worse than</th><th scope=\"col\">Recent trend</th></tr></thead>\n<tbody>\n{rows}</tbody>\n</table>\n</section>\n",
        escape(&period_short(page.period)),
        escape(&period_short(page.period)),
    );
}
