//! "What the statuses mean": the status definitions for milestones and measures, and the
//! direction-of-travel arrows.

use super::parts::{arrow, status_label};
use crate::format::escape;
use scorecard_core::{Dot, DotJudgement, Labels, Status};
use std::fmt::Write;

pub(super) fn key(out: &mut String, labels: &Labels, milestones: bool, measures: bool) {
    out.push_str("<section id=\"statuses\" aria-labelledby=\"statuses-h\">\n<h2 id=\"statuses-h\">What the statuses mean</h2>\n<table class=\"key\">\n<caption>Status definitions</caption>\n<thead><tr><th scope=\"col\">Status</th>");
    if milestones {
        out.push_str("<th scope=\"col\">Delivery milestone</th>");
    }
    if measures {
        out.push_str("<th scope=\"col\">Measure</th>");
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    let rows: [(Option<Status>, &str, &str); 5] = [
        (Some(Status::Green), "The delivery milestone is complete and/or is exceeding the identified target.", "At or better than the target."),
        (Some(Status::Amber), "The delivery milestone is ongoing and/or there are no issues with the project.", "Short of the target but within its tolerance (between the amber threshold and the target)."),
        (Some(Status::Red), "The delivery milestone is at risk of not being delivered within the timescales identified and/or there are issues with the project.", "Beyond the tolerance: worse than the amber threshold."),
        (Some(Status::Blue), "No information available or no update provided.", "No value for the period."),
        (None, "", "A contextual measure (neutral: neither high nor low is good) or one without a target: values, direction of travel and benchmarks are shown, but no status."),
    ];
    for (status, milestone, measure) in rows {
        if status.is_none() && !measures {
            continue;
        }
        let _ = write!(out, "<tr><th scope=\"row\">{}</th>", status_label(labels, status, false));
        if milestones {
            let _ = write!(out, "<td>{}</td>", escape(if milestone.is_empty() { "Not used for milestones." } else { milestone }));
        }
        if measures {
            let _ = write!(out, "<td>{}</td>", escape(measure));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    if milestones {
        out.push_str("<p>Where the officer's status differs from the status the rules give, the report shows the officer's status and, beside it, the rules' (\"engine\") status and why.</p>\n");
    }
    if measures {
        out.push_str("<p>Direction of travel: <span class=\"dot improving\">");
        out.push_str(&arrow(Dot::Up, DotJudgement::Improving));
        out.push_str(" Improving</span>, <span class=\"dot worsening\">");
        out.push_str(&arrow(Dot::Down, DotJudgement::Worsening));
        out.push_str(" Worsening</span>, <span class=\"dot neutral\">");
        out.push_str(&arrow(Dot::Same, DotJudgement::NoChange));
        out.push_str(" No change or not assessed</span>. The arrow points the way the number moved; its colour and word say whether that is good news.</p>\n");
    }
    out.push_str("</section>\n");
}
