//! "Exceptions": every Red item and every item that got worse, straight after the title.

use super::parts::status_label;
use crate::format::{escape, svg_number};
use crate::pack::{Exception, Exceptions};
use scorecard_core::Labels;
use std::fmt::Write;

pub(super) fn exceptions(out: &mut String, labels: &Labels, e: &Exceptions) {
    out.push_str("<section id=\"exceptions\" aria-labelledby=\"exceptions-h\">\n<h2 id=\"exceptions-h\">Exceptions</h2>\n");
    if e.rows.is_empty() {
        let _ = writeln!(out, "<p>{}</p>\n</section>", escape(&e.none));
        return;
    }
    // The columns, with their widths; commentary, lead and due date only when some row has
    // one (a members' scorecard's measures have no due date), the others widened to fill.
    let shown = |f: fn(&Exception) -> &str| e.rows.iter().any(|x| !f(x).is_empty());
    let columns: [(&str, f64, bool); 7] = [
        ("Item", 18.0, true),
        ("Status", 9.0, true),
        ("Why", 20.0, true),
        ("Commentary", 25.0, shown(|x| &x.commentary)),
        ("Lead", 11.0, shown(|x| &x.lead)),
        ("Due", 8.0, shown(|x| &x.due)),
        ("Latest against target", 10.0, true),
    ];
    let total: f64 = columns.iter().filter(|c| c.2).map(|c| c.1).sum();
    let _ = write!(out, "<p>{}</p>\n<table class=\"exceptions\">\n<caption>Exceptions</caption>\n<colgroup>", escape(&e.intro));
    for (_, width, _) in columns.iter().filter(|c| c.2) {
        let _ = write!(out, "<col style=\"width:{}%\">", svg_number(width * 100.0 / total, 2));
    }
    out.push_str("</colgroup>\n<thead><tr>");
    for (name, _, _) in columns.iter().filter(|c| c.2) {
        let _ = write!(out, "<th scope=\"col\">{name}</th>");
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for x in &e.rows {
        let was = x.was.map(|w| format!("<span class=\"why\">was {}</span>", escape(labels.name(w)))).unwrap_or_default();
        let _ = write!(
            out,
            "<tr><th scope=\"row\"><span class=\"id\">{}</span>{}</th><td>{}{was}</td><td>{}</td>",
            escape(&x.id),
            escape(&x.title),
            status_label(labels, x.status, false),
            escape(&x.reason)
        );
        if columns[3].2 {
            let _ = write!(out, "<td class=\"comment\">{}</td>", escape(&x.commentary));
        }
        if columns[4].2 {
            let _ = write!(out, "<td>{}</td>", escape(&x.lead));
        }
        if columns[5].2 {
            let _ = write!(out, "<td class=\"due\">{}</td>", escape(&x.due));
        }
        let _ = writeln!(out, "<td>{}</td></tr>", escape(&x.latest));
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}
