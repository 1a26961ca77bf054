//! The "Overview" section: the overview table, a sentence of its totals and the overview
//! chart.

use super::parts::figure;
use super::Page;
use crate::counts::Counted;
use crate::format::escape;
use scorecard_core::{Kind, Status};
use std::fmt::Write;

pub(super) fn overview(out: &mut String, page: &Page) {
    let o = page.overview;
    let _ = write!(out, "<section id=\"overview\" aria-labelledby=\"overview-h\">\n<h2 id=\"overview-h\">Overview</h2>\n<div class=\"overview-grid\">\n<div>\n{}", o.html_table());
    let t = &o.total;
    let mut summary = format!(
        "Of {} {}, {} ({}) are Green, {} ({}) Amber, {} ({}) Red and {} ({}) Blue.",
        t.total(),
        o.counted.name(),
        t.green,
        pct(t.percent(Status::Green)),
        t.amber,
        pct(t.percent(Status::Amber)),
        t.red,
        pct(t.percent(Status::Red)),
        t.blue,
        pct(t.percent(Status::Blue))
    );
    if t.not_rated > 0 {
        let _ = write!(summary, " {} more are not rated.", t.not_rated);
    }
    if o.counted == Counted::Milestones {
        let disagree = page.ratings.rows.iter().filter(|r| r.kind == Kind::Milestone && r.period == page.period && r.disagrees).count();
        if disagree > 0 {
            let _ =
                write!(summary, " For {disagree} milestones the officer's status differs from the rules' status; both are shown below.");
        }
    }
    let _ = writeln!(out, "<p>{}</p>\n</div>", escape(&summary));
    if let Some((files, inline)) = page.charts.first() {
        out.push_str(&figure(files, inline, 1, &files.title));
    }
    out.push_str("</div>\n</section>\n");
}

fn pct(p: Option<usize>) -> String {
    p.map(|p| format!("{p}%")).unwrap_or_else(|| "–".into())
}
