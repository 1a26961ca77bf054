//! "Trends": the trend chart of every measure, as figures.

use super::parts::figure;
use super::Charts;
use crate::format::escape;
use crate::pack::Trends;
use std::fmt::Write;

pub(super) fn trends(out: &mut String, t: &Trends, charts: &Charts) {
    let _ = write!(
        out,
        "<section id=\"trends\" aria-labelledby=\"trends-h\">\n<h2 id=\"trends-h\">Trends</h2>\n<p>{}<span class=\"files\"> Each chart is also saved as PNG and SVG beside this page.</span></p>\n<div class=\"figures small\">\n",
        escape(&t.intro)
    );
    for &i in &t.charts {
        if let Some((files, inline)) = charts.get(i) {
            out.push_str(&figure(files, inline, i + 1, &files.title));
        }
    }
    out.push_str("</div>\n</section>\n");
}
