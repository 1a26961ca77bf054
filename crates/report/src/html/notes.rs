//! "Data notes": each measure's notes from the plan, and what the report's statuses are.

use crate::format::escape;
use std::fmt::Write;

pub(super) fn notes(out: &mut String, notes: &[(String, String)]) {
    out.push_str("<section id=\"notes\" aria-labelledby=\"notes-h\">\n<h2 id=\"notes-h\">Data notes</h2>\n<dl class=\"notes\">\n");
    for (term, text) in notes {
        let _ = writeln!(out, "<dt>{}</dt><dd>{}</dd>", escape(term), escape(text));
    }
    out.push_str("</dl>\n</section>\n");
}
