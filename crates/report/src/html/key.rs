//! "What the statuses mean": the status definitions for milestones and measures, and the
//! direction-of-travel arrows.

use super::parts::{arrow, status_label};
use crate::format::escape;
use crate::pack::StatusKey;
use scorecard_core::{Dot, DotJudgement, Labels};
use std::fmt::Write;

pub(super) fn key(out: &mut String, labels: &Labels, k: &StatusKey) {
    out.push_str("<section id=\"statuses\" aria-labelledby=\"statuses-h\">\n<h2 id=\"statuses-h\">What the statuses mean</h2>\n<table class=\"key\">\n<caption>Status definitions</caption>\n<thead><tr><th scope=\"col\">Status</th>");
    if k.milestones {
        out.push_str("<th scope=\"col\">Delivery milestone</th>");
    }
    if k.measures {
        out.push_str("<th scope=\"col\">Measure</th>");
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in &k.rows {
        let _ = write!(out, "<tr><th scope=\"row\">{}</th>", status_label(labels, row.status, false));
        if k.milestones {
            let _ = write!(out, "<td>{}</td>", escape(row.milestone));
        }
        if k.measures {
            let _ = write!(out, "<td>{}</td>", escape(row.measure));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    if let Some(note) = k.officer_note {
        let _ = writeln!(out, "<p>{}</p>", escape(note));
    }
    if k.measures {
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
