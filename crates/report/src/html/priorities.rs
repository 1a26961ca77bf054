//! "Delivery milestones by priority": one section per priority with its counts and a table
//! of its milestones, grouped by action.

use super::parts::status_label;
use super::Page;
use crate::counts::Counts;
use crate::format::{date_uk, escape, period_short, svg_number};
use crate::palette::status_colours;
use scorecard_core::{Kind, Rating, Status};
use std::collections::HashMap;
use std::fmt::Write;

pub(super) fn priorities(out: &mut String, page: &Page) {
    let plan = page.plan;
    // Every lookup below is by a map built once, so the section is linear in the plan's size
    // (issue #12: a search per row took minutes on 100,000 milestones).
    let index: HashMap<&str, usize> = plan.milestones.iter().enumerate().rev().map(|(i, m)| (m.id.as_str(), i)).collect();
    let mut by_priority: HashMap<&str, Vec<(usize, &Rating)>> = HashMap::new();
    for r in page.ratings.rows.iter().filter(|r| r.kind == Kind::Milestone && r.period == page.period) {
        if let Some(i) = index.get(&*r.item) {
            by_priority.entry(&*r.priority).or_default().push((*i, r));
        }
    }
    // Each milestone's update note for the period: its commentary, or what an update without
    // one holds ("No commentary; issues flagged").
    let mut commentary: HashMap<usize, String> = HashMap::new();
    for u in plan.updates.iter().filter(|u| u.period == page.period) {
        if let Some(note) = u.note() {
            commentary.entry(u.milestone).or_insert(note);
        }
    }
    let mut rolled_up: HashMap<&str, &Rating> = HashMap::new();
    for r in page.ratings.rows.iter().filter(|r| r.kind == Kind::Priority && r.period == page.period) {
        rolled_up.entry(&*r.item).or_insert(r);
    }
    let counts: HashMap<&str, &Counts> = page.overview.rows.iter().rev().map(|r| (r.id.as_str(), &r.counts)).collect();
    out.push_str("<div id=\"priorities\">\n");
    for (n, priority) in plan.priorities.iter().enumerate() {
        let Some(items) = by_priority.get(priority.id.as_str()) else { continue };
        let id = format!("priority-{}", n + 1);
        let title = if priority.title.is_empty() {
            format!("Priority {}", priority.id)
        } else {
            format!("Priority {}: {}", priority.id, priority.title)
        };
        // Issue #16: with `--rollup`, the priority's rolled-up status in its heading.
        let rolled =
            rolled_up.get(priority.id.as_str()).map(|r| format!(" {}", status_label(&plan.labels, r.status, false))).unwrap_or_default();
        let _ = writeln!(
            out,
            "<section class=\"priority\" id=\"{id}\" aria-labelledby=\"{id}-h\">\n<h2 id=\"{id}-h\">{}{rolled}</h2>",
            escape(&title)
        );
        if !priority.strategic_lead.is_empty() {
            let _ = writeln!(out, "<p>Strategic lead: {}</p>", escape(&priority.strategic_lead));
        }
        if let Some(c) = counts.get(priority.id.as_str()) {
            let _ = write!(out, "<p class=\"counts\">{} milestones: ", c.total());
            for s in Status::ALL {
                let _ = write!(out, "{} ", status_label(&plan.labels, Some(s), false).replace("</span>", &format!(" {}</span>", c.get(s))));
            }
            out.push_str(&status_bar(c));
            out.push_str("</p>\n");
        }
        let _ = write!(
            out,
            "<table class=\"milestones\">\n<caption>Delivery milestones of priority {} at {}</caption>\n<colgroup><col style=\"width:4.5%\"><col style=\"width:22%\"><col style=\"width:14%\"><col style=\"width:7%\"><col style=\"width:8%\"><col style=\"width:15%\"><col style=\"width:29.5%\"></colgroup>\n<thead><tr><th scope=\"col\">ID</th><th scope=\"col\">Delivery milestone</th><th scope=\"col\">Lead</th><th scope=\"col\">Due</th><th scope=\"col\">Status</th><th scope=\"col\">Why</th><th scope=\"col\">Update ({})</th></tr></thead>\n",
            escape(&priority.id),
            escape(&period_short(page.period)),
            escape(&period_short(page.period))
        );
        // One row group per action, headed by the action.
        let mut start = 0;
        while start < items.len() {
            let action = plan.milestones[items[start].0].action.as_str();
            let end = start + items[start..].iter().take_while(|(i, _)| plan.milestones[*i].action == action).count();
            out.push_str("<tbody>\n");
            if !action.is_empty() {
                let _ = writeln!(out, "<tr class=\"action\"><th colspan=\"7\" scope=\"rowgroup\">Action: {}</th></tr>", escape(action));
            }
            for k in start..end {
                let (index, r) = items[k];
                let lead = plan.milestones[index].lead.as_str();
                let same = k > start && !lead.is_empty() && plan.milestones[items[k - 1].0].lead == lead;
                milestone_row(out, page, index, r, commentary.get(&index).map(String::as_str), same);
            }
            out.push_str("</tbody>\n");
            start = end;
        }
        out.push_str("</table>\n</section>\n");
    }
    out.push_str("</div>\n");
}

/// One milestone's row. A lead the row above already names is shown as "As above" (as the
/// plan's own tables merge the cell) and still read out in full by screen readers.
/// `commentary` is the milestone's update's for the page's period (the first such update).
fn milestone_row(out: &mut String, page: &Page, index: usize, r: &Rating, commentary: Option<&str>, same_lead_as_above: bool) {
    let plan = page.plan;
    let m = &plan.milestones[index];
    let commentary = commentary.filter(|c| !c.is_empty());
    let mut status = status_label(&plan.labels, r.status, false);
    if r.disagrees {
        let _ = write!(
            status,
            "<span class=\"both\">Officer: {}<br>Rules: {}</span>",
            r.status.map(|s| plan.labels.name(s)).unwrap_or("none"),
            r.computed_status.map(|s| plan.labels.name(s)).unwrap_or("none")
        );
    }
    let lead = if same_lead_as_above {
        format!(
            "<td><span class=\"muted\" aria-hidden=\"true\">As above</span><span class=\"visually-hidden\">{}</span></td>",
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
        m.due.map(date_uk).unwrap_or_default(),
        status,
        escape(&r.reason),
        commentary.map(escape).unwrap_or_else(|| "<span class=\"muted\">No update for this period</span>".into())
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
