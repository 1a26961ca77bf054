//! The page's header (kind, title, the plan's facts) and its contents list.

use super::Page;
use crate::format::{date_long, escape, period_long};
use std::fmt::Write;

pub(super) fn header(out: &mut String, page: &Page, kind: &str) {
    let plan = page.plan;
    let _ = write!(
        out,
        "<header>\n<p class=\"kicker\">{kind}</p>\n<h1>{}</h1>\n<dl class=\"facts\">\n<dt>Reporting period</dt><dd>{}</dd>\n<dt>Plan</dt><dd>{} (<code>{}</code>, {} year)</dd>\n<dt>Produced</dt><dd>{}</dd>\n",
        escape(&plan.title),
        escape(&period_long(page.period)),
        escape(&plan.title),
        escape(&plan.name),
        plan.year_type.name(),
        escape(&date_long(page.produced))
    );
    let mut contains = Vec::new();
    if !plan.milestones.is_empty() {
        contains.push(format!("{} delivery milestones in {} priorities", plan.milestones.len(), plan.priorities.len()));
    }
    if !plan.measures.is_empty() {
        contains.push(format!("{} measures", plan.measures.len()));
    }
    let _ = writeln!(out, "<dt>Contents</dt><dd>{}</dd>\n</dl>\n</header>", escape(&contains.join("; ")));
}

pub(super) fn contents(out: &mut String, milestones: bool, measures: bool) {
    out.push_str("<nav aria-label=\"Contents\">\n<h2 id=\"contents\">Contents</h2>\n<ol>\n<li><a href=\"#statuses\">What the statuses mean</a></li>\n<li><a href=\"#overview\">Overview</a></li>\n");
    if milestones {
        out.push_str("<li><a href=\"#priorities\">Delivery milestones by priority</a></li>\n");
    }
    if measures {
        out.push_str("<li><a href=\"#scorecard\">Measures scorecard</a></li>\n<li><a href=\"#trends\">Trends</a></li>\n<li><a href=\"#spc\">Statistical process control</a></li>\n");
    }
    out.push_str("<li><a href=\"#notes\">Data notes</a></li>\n<li><a href=\"#glossary\">Glossary</a></li>\n</ol>\n</nav>\n");
}
