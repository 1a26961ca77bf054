//! "What changed since the last report": the items whose status moved, and for a quarterly
//! pack the monthly measures quarter on quarter.

use super::parts::{arrow, judgement_word, status_label};
use crate::format::escape;
use crate::pack::Changes;
use scorecard_core::{Labels, Status};
use std::fmt::Write;

fn label(labels: &Labels, text: &str) -> String {
    status_label(labels, Status::parse(text).ok(), true)
}

pub(super) fn changes(out: &mut String, labels: &Labels, c: &Changes) {
    out.push_str("<section id=\"changes\" aria-labelledby=\"changes-h\">\n<h2 id=\"changes-h\">What changed since the last report</h2>\n");
    if c.moved.is_empty() {
        let _ = writeln!(out, "<p>{}</p>", escape(&c.none));
    } else {
        let _ = write!(
            out,
            "<p>{}</p>\n<table class=\"changes{}\">\n<caption>Status moved from {} to {}</caption>\n<colgroup><col style=\"width:24%\"><col style=\"width:9%\"><col style=\"width:9%\"><col style=\"width:29%\"><col style=\"width:29%\"></colgroup>\n<thead><tr><th scope=\"col\">Item</th><th scope=\"col\">Was ({})</th><th scope=\"col\">Now ({})</th><th scope=\"col\">Why now</th><th scope=\"col\">Why before</th></tr></thead>\n<tbody>\n",
            escape(&c.intro),
            // A short table is printed on one page, never its headings alone at a page's foot.
            if c.moved.len() <= 3 { " keep" } else { "" },
            escape(&c.previous),
            escape(&c.current),
            escape(&c.previous),
            escape(&c.current)
        );
        for m in &c.moved {
            let _ = writeln!(
                out,
                "<tr><th scope=\"row\"><span class=\"id\">{}</span>{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&m.id),
                escape(&m.title),
                label(labels, &m.from),
                label(labels, &m.to),
                escape(&m.reason_now),
                escape(&m.reason_before)
            );
        }
        out.push_str("</tbody>\n</table>\n");
    }
    if !c.quarter_on_quarter.is_empty() {
        out.push_str("<h3>Monthly measures quarter on quarter</h3>\n<table class=\"changes\">\n<caption>Each monthly measure's last month of the quarter against the previous quarter's</caption>\n<thead><tr><th scope=\"col\">Measure</th><th scope=\"col\">Previous quarter</th><th scope=\"col\">This quarter</th><th scope=\"col\">Direction of travel</th></tr></thead>\n<tbody>\n");
        for q in &c.quarter_on_quarter {
            let (_, class) = judgement_word(q.judgement);
            let _ = writeln!(
                out,
                "<tr><th scope=\"row\"><span class=\"id\">{}</span>{}</th><td>{}</td><td>{}</td><td><span class=\"dot {class}\">{} {}</span></td></tr>",
                escape(&q.id),
                escape(&q.title),
                escape(&q.before),
                escape(&q.now),
                arrow(q.dot, q.judgement),
                q.word
            );
        }
        out.push_str("</tbody>\n</table>\n");
    }
    out.push_str("</section>\n");
}
