//! The "Overview" section: the overview table, a sentence of its totals and the overview
//! chart.

use super::parts::figure;
use super::Charts;
use crate::format::escape;
use crate::pack::OverviewSection;
use std::fmt::Write;

pub(super) fn overview(out: &mut String, o: &OverviewSection, charts: &Charts) {
    let _ = write!(
        out,
        "<section id=\"overview\" aria-labelledby=\"overview-h\">\n<h2 id=\"overview-h\">Overview</h2>\n<div class=\"overview-grid\">\n<div>\n{}",
        o.table.html_table()
    );
    let _ = writeln!(out, "<p>{}</p>\n</div>", escape(&o.summary));
    if let Some((files, inline)) = o.chart.and_then(|i| charts.get(i)) {
        out.push_str(&figure(files, inline, 1, &files.title));
    }
    out.push_str("</div>\n</section>\n");
}
