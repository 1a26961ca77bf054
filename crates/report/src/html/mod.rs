//! The report page: one self-contained HTML file (inline CSS and SVG, no script, nothing
//! fetched) that reads on screen and prints on A4 landscape, rendered from the [`Pack`]. One
//! module per section of the page: [`header`] (title, facts, contents), [`key`] (what the
//! statuses mean), [`overview`], [`priorities`] (the milestones), [`scorecard`] (the
//! measures), [`trends`], [`notes`] and [`glossary`]; [`parts`] holds what several sections
//! draw (status labels, arrows, figures). The CSS is `report.css` after the shared
//! [`crate::style`].
//!
//! Accessibility (WCAG 2.2 AA): every status is written out beside its colour, arrows carry
//! their word, tables have `<caption>` and `<th scope>` headers, every chart and sparkline has
//! a title and a text description, colours are in [`crate::palette`] with their contrast
//! tested, and the page has a language, headings in order and a contents list.

mod attention;
mod changes;
mod exceptions;
mod glossary;
mod header;
mod key;
mod notes;
mod overview;
mod parts;
mod priorities;
mod scorecard;
mod spc;
mod trends;

use crate::charts::ChartFiles;
use crate::format::escape;
use crate::pack::{Pack, Section};
use crate::style::BASE_CSS;
use std::fmt::Write;

/// The report's own CSS, after [`BASE_CSS`]: headings, the sections' tables, figures, print.
const REPORT_CSS: &str = include_str!("report.css");

/// Each chart of the pack drawn: its files and its inline SVG, in [`Pack::charts`] order.
pub(crate) type Charts<'a> = [(&'a ChartFiles, String)];

/// The page's CSS: the shared rules, then the report's.
fn css() -> String {
    let mut css = String::with_capacity(BASE_CSS.len() + REPORT_CSS.len());
    css.push_str(BASE_CSS);
    css.push_str(REPORT_CSS);
    css
}

/// Renders the whole page.
pub(crate) fn render(pack: &Pack, charts: &Charts) -> String {
    let t = &pack.title;
    let mut out = String::with_capacity(256 * 1024);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"scorecard {}\">\n<title>{} – {}, {}</title>\n<style>\n{}{}</style>\n</head>\n<body>\n",
        env!("CARGO_PKG_VERSION"),
        escape(&t.title),
        t.kind,
        escape(&t.period_short),
        css(),
        running_footer(&format!("{} – {}, {}", t.title, t.kind, t.period_short))
    );
    header::header(&mut out, t);
    header::contents(&mut out, &pack.contents());
    for section in &pack.sections {
        match section {
            Section::Exceptions(e) => exceptions::exceptions(&mut out, &pack.labels, e),
            Section::Changes(c) => changes::changes(&mut out, &pack.labels, c),
            Section::Key(k) => key::key(&mut out, &pack.labels, k),
            Section::Overview(o) => overview::overview(&mut out, o, charts),
            Section::Priorities(blocks) => priorities::priorities(&mut out, &pack.labels, blocks),
            Section::Scorecard(s) => scorecard::scorecard(&mut out, &pack.labels, s),
            Section::Attention(a) => attention::worse_and_getting_worse(&mut out, a),
            Section::Trends(t) => trends::trends(&mut out, t, charts),
            Section::Spc(x) => spc::spc(&mut out, x, charts),
            Section::Notes(n) => notes::notes(&mut out, n),
            Section::Glossary(g) => glossary::glossary(&mut out, g),
        }
    }
    let _ = write!(out, "<footer><p>{}</p></footer>\n</body>\n</html>\n", footer(pack));
    out
}

/// The running footer's type: the page's own, at 9 pt.
const BOX: &str =
    "font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,Arial,\"Liberation Sans\",sans-serif;font-size:9pt;color:#505a5f";

/// The printed pages' running footer: the title and period at the left, "Page x of y" at the
/// right (CSS page margin boxes, which Chromium prints).
fn running_footer(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                quoted.push('\\');
                quoted.push(c);
            }
            '<' => quoted.push_str("\\3c "),
            '\n' | '\r' => quoted.push(' '),
            c => quoted.push(c),
        }
    }
    format!(
        "@page{{@bottom-left{{content:\"{quoted}\";{BOX}}}@bottom-right{{content:\"Page \" counter(page) \" of \" counter(pages);{BOX}}}}}\n"
    )
}

/// The closing line, with the plan's folder name as code.
fn footer(pack: &Pack) -> String {
    let name = &pack.title.plan_name;
    escape(&pack.footer).replacen(&format!("the plan {}.", escape(name)), &format!("the plan <code>{}</code>.", escape(name)), 1)
}
