//! "Data notes": each measure's notes from the plan, and what the report's statuses are.

use super::Page;
use crate::format::{escape, period_long};
use std::fmt::Write;

pub(super) fn notes(out: &mut String, page: &Page) {
    out.push_str("<section id=\"notes\" aria-labelledby=\"notes-h\">\n<h2 id=\"notes-h\">Data notes</h2>\n<dl class=\"notes\">\n");
    for m in &page.plan.measures {
        if !m.notes.trim().is_empty() {
            let _ = writeln!(out, "<dt>{} {}</dt><dd>{}</dd>", escape(&m.id), escape(&m.title), escape(m.notes.trim()));
        }
    }
    let _ = write!(
        out,
        "<dt>About this report</dt><dd>Statuses are for {}. Milestone statuses are the officer's where the update gives one; otherwise the plan's rules decide. Measures are rated by the rules alone. Benchmarks are the latest available by the end of each measure's period; \"similar\" uses the 95% confidence interval of the measure's numerator and denominator where the data give them.</dd>\n</dl>\n</section>\n",
        escape(&period_long(page.period))
    );
}
