//! The page's header (kind, title, the plan's facts) and its contents list.

use crate::format::escape;
use crate::pack::TitlePage;
use std::fmt::Write;

pub(super) fn header(out: &mut String, t: &TitlePage) {
    let _ = write!(
        out,
        "<header>\n<p class=\"kicker\">{}</p>\n<h1>{}</h1>\n<dl class=\"facts\">\n<dt>Reporting period</dt><dd>{}</dd>\n<dt>Plan</dt><dd>{} (<code>{}</code>, {} year)</dd>\n<dt>Produced</dt><dd>{}</dd>\n",
        t.kind,
        escape(&t.title),
        escape(&t.period_long),
        escape(&t.title),
        escape(&t.plan_name),
        t.year_type,
        escape(&t.produced)
    );
    // Issue #15: the council and the document's status, when plan.toml gives them.
    if !t.council.is_empty() {
        let _ = writeln!(out, "<dt>Council</dt><dd>{}</dd>", escape(&t.council));
    }
    if !t.document_status.is_empty() {
        let _ = writeln!(out, "<dt>Document status</dt><dd>{}</dd>", escape(&t.document_status));
    }
    let _ = writeln!(out, "<dt>Covers</dt><dd>{}</dd>\n</dl>\n</header>", escape(&t.covers));
}

pub(super) fn contents(out: &mut String, entries: &[(&str, &str)]) {
    out.push_str("<nav aria-label=\"Contents\">\n<h2 id=\"contents\">Contents</h2>\n<ol>\n");
    for (anchor, heading) in entries {
        let _ = writeln!(out, "<li><a href=\"#{anchor}\">{}</a></li>", escape(heading));
    }
    out.push_str("</ol>\n</nav>\n");
}
