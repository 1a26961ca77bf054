//! "Trends": the trend chart of every measure, as figures.

use super::parts::figure;
use super::Page;

pub(super) fn trends(out: &mut String, page: &Page) {
    out.push_str("<section id=\"trends\" aria-labelledby=\"trends-h\">\n<h2 id=\"trends-h\">Trends</h2>\n<p>Each chart shows the measure's values, oldest on the left, with its target (dashed black line), the amber band between the target and the amber threshold, and each benchmark (named at the right-hand end). Each chart is also saved as PNG and SVG beside this page.</p>\n<div class=\"figures\">\n");
    for (i, (files, inline)) in page.charts.iter().enumerate().skip(1).filter(|(_, (f, _))| f.name.starts_with("trend-")) {
        out.push_str(&figure(files, inline, i + 1, &files.title));
    }
    out.push_str("</div>\n</section>\n");
}
