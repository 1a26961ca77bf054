//! Issue #13 in the page: "Significantly worse and getting worse" (Fingertips' red-red), from
//! the pack's [`Attention`] section. The recent trend's words under each measure's direction
//! of travel are the pack's `ScorecardRow::recent_trend`, drawn by the scorecard.

use crate::format::escape;
use crate::pack::Attention;
use std::fmt::Write;

/// The section; the pack holds it only when some measure is both worse than a benchmark and
/// getting worse.
pub(super) fn worse_and_getting_worse(out: &mut String, a: &Attention) {
    let mut rows = String::new();
    for r in &a.rows {
        let _ = writeln!(
            rows,
            "<tr><th scope=\"row\"><span class=\"id\">{}</span>{}</th><td>{}</td><td>{}</td></tr>",
            escape(&r.id),
            escape(&r.title),
            escape(&r.worse_than),
            escape(&r.trend)
        );
    }
    let _ = write!(
        out,
        "<section id=\"worse-and-getting-worse\" aria-labelledby=\"wgw-h\">\n<h2 id=\"wgw-h\">Significantly worse and getting worse</h2>\n<p>{}</p>\n<table>\n<caption>{}</caption>\n<thead><tr><th scope=\"col\">Measure</th><th scope=\"col\">Worse than</th><th scope=\"col\">Recent trend</th></tr></thead>\n<tbody>\n{rows}</tbody>\n</table>\n</section>\n",
        escape(&a.intro),
        escape(&a.caption),
    );
}
