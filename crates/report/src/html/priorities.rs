//! "Delivery milestones by priority": one section per priority with its counts and a table
//! of its milestones, grouped by action.

use super::parts::{status_label, was};
use crate::counts::Counts;
use crate::format::{escape, svg_number};
use crate::pack::{MilestoneRow, PriorityBlock};
use crate::palette::status_colours;
use scorecard_core::{Labels, Status};
use std::fmt::Write;

/// A table of at most this many rows is kept on one page when printed.
const KEEP_TOGETHER: usize = 3;

pub(super) fn priorities(out: &mut String, labels: &Labels, blocks: &[PriorityBlock]) {
    out.push_str("<div id=\"priorities\">\n");
    for b in blocks {
        let id = &b.anchor;
        // Issue #16: with `--rollup`, the priority's rolled-up status in its heading.
        let rolled = b.rolled_up.map(|s| format!(" {}", status_label(labels, s, false))).unwrap_or_default();
        let _ = writeln!(
            out,
            "<section class=\"priority\" id=\"{id}\" aria-labelledby=\"{id}-h\">\n<h2 id=\"{id}-h\">{}{rolled}</h2>",
            escape(&b.heading)
        );
        if !b.strategic_lead.is_empty() {
            let _ = writeln!(out, "<p>Strategic lead: {}</p>", escape(&b.strategic_lead));
        }
        if let Some(c) = &b.counts {
            let _ = write!(out, "<p class=\"counts\">{} milestones: ", c.total());
            for s in Status::ALL {
                let _ = write!(out, "{} ", status_label(labels, Some(s), false).replace("</span>", &format!(" {}</span>", c.get(s))));
            }
            out.push_str(&status_bar(c));
            out.push_str("</p>\n");
        }
        // One table per action, its column headings and the action in its head, so that both
        // are printed again at the top of a page the table runs onto.
        let columns = "<colgroup><col style=\"width:4.5%\"><col style=\"width:22%\"><col style=\"width:14%\"><col style=\"width:8%\"><col style=\"width:8%\"><col style=\"width:15%\"><col style=\"width:28.5%\"></colgroup>\n";
        for (n, group) in b.actions.iter().enumerate() {
            let keep = if group.rows.len() <= KEEP_TOGETHER { " keep" } else { "" };
            let _ = writeln!(out, "<table class=\"milestones{keep}\">");
            if n == 0 {
                let _ = writeln!(out, "<caption>{}</caption>", escape(&b.caption));
            } else {
                let _ = writeln!(out, "<caption class=\"visually-hidden\">{}, continued</caption>", escape(&b.caption));
            }
            let _ = writeln!(
                out,
                "{columns}<thead><tr><th scope=\"col\">ID</th><th scope=\"col\">Delivery milestone</th><th scope=\"col\">Lead</th><th scope=\"col\">Due</th><th scope=\"col\">Status</th><th scope=\"col\">Why</th><th scope=\"col\">{}</th></tr>",
                escape(&b.update_heading)
            );
            if !group.action.is_empty() {
                let _ =
                    writeln!(out, "<tr class=\"action\"><th colspan=\"7\" scope=\"colgroup\">Action: {}</th></tr>", escape(&group.action));
            }
            out.push_str("</thead>\n<tbody>\n");
            for row in &group.rows {
                milestone_row(out, labels, row, b.previous.as_deref());
            }
            out.push_str("</tbody>\n</table>\n");
        }
        out.push_str("</section>\n");
    }
    out.push_str("</div>\n");
}

/// One milestone's row. A lead the row above already names is shown as "As above" (as the
/// plan's own tables merge the cell) and still read out in full by screen readers.
fn milestone_row(out: &mut String, labels: &Labels, m: &MilestoneRow, previous: Option<&str>) {
    let mut status = status_label(labels, m.status, false);
    status.push_str(&was(labels, previous, m.was));
    if let Some((officer, rules)) = m.disagreement {
        let name = |s: Option<Status>| s.map(|s| labels.name(s)).unwrap_or("none");
        let _ = write!(status, "<span class=\"both\">Officer: {}<br>Calculated: {}</span>", escape(name(officer)), escape(name(rules)));
    }
    let lead = if m.lead_as_above {
        format!(
            "<td><span class=\"muted as-above\" aria-hidden=\"true\">As above</span><span class=\"visually-hidden lead-again\">{}</span></td>",
            escape(&m.lead)
        )
    } else {
        format!("<td>{}</td>", escape(&m.lead))
    };
    let _ = writeln!(
        out,
        "<tr><th scope=\"row\">{}</th><td>{}</td>{lead}<td>{}</td><td>{}</td><td>{}</td><td class=\"commentary\">{}</td></tr>",
        escape(&m.id),
        escape(&m.title),
        m.due,
        status,
        escape(&m.reason),
        m.commentary.as_deref().map(escape).unwrap_or_else(|| format!("<span class=\"muted\">{}</span>", crate::pack::NO_UPDATE))
    );
}

/// A priority's statuses as one bar, in proportion. Decoration only (hidden from screen
/// readers): the labels beside it give every count in words.
fn status_bar(c: &Counts) -> String {
    let total = c.total();
    if total == 0 {
        return String::new();
    }
    let (w, h) = (300.0, 16.0);
    let mut x = 0.0;
    let mut svg =
        format!("<svg class=\"bar\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" aria-hidden=\"true\" focusable=\"false\">");
    for s in Status::ALL {
        let n = c.get(s);
        if n == 0 {
            continue;
        }
        let width = w * n as f64 / total as f64;
        let _ = write!(
            svg,
            "<rect x=\"{}\" y=\"0.5\" width=\"{}\" height=\"{}\" fill=\"{}\" stroke=\"#0b0c0c\" stroke-width=\"1\"/>",
            svg_number(x + 0.5, 2),
            svg_number((width - 1.0).max(1.0), 2),
            h - 1.0,
            status_colours(Some(s)).0.hex()
        );
        x += width;
    }
    svg.push_str("</svg>");
    svg
}
