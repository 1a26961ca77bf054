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
    let _ = writeln!(out, "<dt>Contents</dt><dd>{}</dd>\n</dl>\n</header>", escape(&t.contents));
}

pub(super) fn contents(out: &mut String, entries: &[(&str, &str)]) {
    out.push_str("<nav aria-label=\"Contents\">\n<h2 id=\"contents\">Contents</h2>\n<ol>\n");
    for (anchor, heading) in entries {
        let _ = writeln!(out, "<li><a href=\"#{anchor}\">{}</a></li>", escape(heading));
    }
    out.push_str("</ol>\n</nav>\n");
}
