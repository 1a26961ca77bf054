//! "Exceptions": every Red item and every item that got worse, straight after the title.

use super::parts::status_label;
use crate::format::escape;
use crate::pack::Exceptions;
use scorecard_core::Labels;
use std::fmt::Write;

pub(super) fn exceptions(out: &mut String, labels: &Labels, e: &Exceptions) {
    out.push_str("<section id=\"exceptions\" aria-labelledby=\"exceptions-h\">\n<h2 id=\"exceptions-h\">Exceptions</h2>\n");
    if e.rows.is_empty() {
        let _ = writeln!(out, "<p>{}</p>\n</section>", escape(&e.none));
        return;
    }
    let _ = write!(
        out,
        "<p>{}</p>\n<table class=\"exceptions\">\n<caption>Exceptions</caption>\n<colgroup><col style=\"width:18%\"><col style=\"width:9%\"><col style=\"width:20%\"><col style=\"width:25%\"><col style=\"width:11%\"><col style=\"width:7%\"><col style=\"width:10%\"></colgroup>\n<thead><tr><th scope=\"col\">Item</th><th scope=\"col\">Status</th><th scope=\"col\">Why</th><th scope=\"col\">Commentary</th><th scope=\"col\">Lead</th><th scope=\"col\">Due</th><th scope=\"col\">Latest against target</th></tr></thead>\n<tbody>\n",
        escape(&e.intro)
    );
    for x in &e.rows {
        let was = x.was.map(|w| format!("<span class=\"why\">was {}</span>", escape(labels.name(w)))).unwrap_or_default();
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\"><span class=\"id\">{}</span>{}</th><td>{}{was}</td><td>{}</td><td class=\"comment\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&x.id),
            escape(&x.title),
            status_label(labels, x.status, false),
            escape(&x.reason),
            escape(&x.commentary),
            escape(&x.lead),
            escape(&x.due),
            escape(&x.latest)
        );
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}
