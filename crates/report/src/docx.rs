//! The pack as an editable Word document (`report.docx`), with docx-rs: the same sections as
//! the page, in native tables whose status cells are shaded in the status colours, charts
//! embedded as PNG with their text alternative, and headings in Word's "Heading 1" and
//! "Heading 2" styles (outline levels 0 and 1) so that the navigation pane and a table of
//! contents work. A4 landscape, with a footer naming the plan and the period and "Page x of
//! y".
//!
//! Deterministic: docx-rs writes fixed timestamps (1970) in the document's properties and
//! the archive, and the pictures are numbered here in page order rather than by docx-rs's
//! process-wide counter.

use crate::charts::xmr::variation_words;
use crate::charts::{ChartFiles, SIZE};
use crate::error::Error;
use crate::format::escape;
use crate::pack::{assurance_words, Figure, Pack, Section};
use crate::palette::{status_colours, GREY, RULE, SERIES};
use docx_rs::{
    AlignmentType, BookmarkEnd, BookmarkStart, BreakType, DocumentChild, Docx, Footer, Hyperlink, HyperlinkType, NumPages, PageMargin,
    PageNum, PageOrientationType, Paragraph, ParagraphChild, Pic, Run, Shading, ShdType, Style, StyleType, Table, TableCell, TableRow,
    WidthType,
};
use scorecard_core::{Labels, Status};

/// A4 landscape in twentieths of a point.
const PAGE: (u32, u32) = (16838, 11906);
/// The text width between 15 mm margins, in twips.
const TEXT_WIDTH: usize = 16838 - 2 * 850;
/// Body text in half points: 10 pt.
const BODY: usize = 20;
/// Table text: 9 pt.
const SMALL: usize = 18;

fn hex(c: crate::palette::Rgb) -> String {
    c.hex().trim_start_matches('#').to_string()
}

fn text(s: &str) -> Run {
    Run::new().add_text(s).size(SMALL)
}

/// The contents, written out (issue #15): one line per Heading 1 and Heading 2 after `at`, each
/// a link to a bookmark around its heading, inserted at `at`. Word's own table of contents is
/// a field whose entries Word fills in only when asked to update it; LibreOffice showed its
/// field code (`TOC \o "1-2"`) instead of any entry, and neither shows an entry until updated.
/// A list of links reads the same everywhere; the headings keep Word's *Heading 1* and
/// *Heading 2* styles, so the navigation pane lists them and *References › Table of Contents*
/// builds Word's own, with page numbers, in one click.
fn contents(mut doc: Docx, at: usize) -> Docx {
    let mut lines = Vec::new();
    for child in doc.document.children.iter_mut().skip(at) {
        let DocumentChild::Paragraph(p) = child else { continue };
        let level = match p.property.style.as_ref().map(|s| s.val.as_str()) {
            Some("Heading1") => 1,
            Some("Heading2") => 2,
            _ => continue,
        };
        let id = lines.len() + 1;
        // `_Toc` names: Word's own for headings, hidden from its list of bookmarks.
        let name = format!("_Toc{id:08}");
        let words = p.raw_text();
        p.children.insert(0, ParagraphChild::BookmarkStart(BookmarkStart::new(id, name.as_str())));
        p.children.push(ParagraphChild::BookmarkEnd(BookmarkEnd::new(id)));
        let line = Paragraph::new()
            .add_hyperlink(
                Hyperlink::new(name.as_str(), HyperlinkType::Anchor).add_run(text(&words).color(hex(SERIES)).underline("single")),
            )
            .indent(Some(if level == 1 { 0 } else { 360 }), None, None, None);
        lines.push(DocumentChild::Paragraph(Box::new(line)));
    }
    if !lines.is_empty() {
        let mut block = vec![DocumentChild::Paragraph(Box::new(heading(1, "Contents")))];
        block.append(&mut lines);
        doc.document.children.splice(at..at, block);
    }
    doc
}

fn para(s: &str) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(s).size(BODY))
}

fn heading(level: usize, s: &str) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(s)).style(&format!("Heading{level}")).keep_next(true)
}

/// A table cell of text with an optional grey note under it.
/// A cell's note under its main text: each line of `note` on a line of its own, in `colour`.
fn note_lines(mut p: Paragraph, note: &str, colour: crate::palette::Rgb) -> Paragraph {
    for line in note.split('\n') {
        p = p.add_run(Run::new().add_break(BreakType::TextWrapping)).add_run(text(line).color(hex(colour)));
    }
    p
}

fn cell(main: &str, note: &str) -> TableCell {
    let mut p = Paragraph::new().add_run(text(main));
    if !note.is_empty() {
        p = note_lines(p, note, GREY);
    }
    TableCell::new().add_paragraph(p)
}

fn bold_cell(main: &str, note: &str) -> TableCell {
    let mut p = Paragraph::new().add_run(text(main).bold());
    if !note.is_empty() {
        p = note_lines(p, note, GREY);
    }
    TableCell::new().add_paragraph(p)
}

fn figure_cell(f: &Figure) -> TableCell {
    match f {
        Figure::Value { main, note } => bold_cell(main, note),
        Figure::Muted(t) => TableCell::new().add_paragraph(Paragraph::new().add_run(text(t).color(hex(GREY)))),
    }
}

/// A status cell: the word on its colour, the note (the reason) under it.
fn status_cell(labels: &Labels, status: Option<Status>, note: &str) -> TableCell {
    let (bg, fg) = status_colours(status);
    let word = status.map(|s| labels.name(s)).unwrap_or("Not rated");
    let mut p = Paragraph::new().add_run(text(word).bold().color(hex(fg)));
    if !note.is_empty() {
        p = note_lines(p, note, fg);
    }
    TableCell::new().add_paragraph(p).shading(Shading::new().shd_type(ShdType::Clear).fill(hex(bg)).color("auto"))
}

/// A header row (repeated on every page: marked here, made a `tblHeader` row in [`finish`]).
fn header_row(headings: &[&str]) -> TableRow {
    TableRow::new(
        headings
            .iter()
            .map(|h| {
                TableCell::new()
                    .add_paragraph(Paragraph::new().add_run(text(h).bold()).keep_next(true))
                    .shading(Shading::new().shd_type(ShdType::Clear).fill(hex(RULE)).color("auto"))
            })
            .collect(),
    )
    .cant_split()
}

/// A row spanning the table: a group or action heading.
fn span_row(columns: usize, s: &str) -> TableRow {
    TableRow::new(vec![TableCell::new().grid_span(columns).add_paragraph(Paragraph::new().add_run(text(s).bold()).keep_next(true))])
}

/// A table over the text width with columns in proportion to `widths`.
fn table(widths: &[usize], rows: Vec<TableRow>) -> Table {
    let total: usize = widths.iter().sum::<usize>().max(1);
    Table::new(rows).set_grid(widths.iter().map(|w| TEXT_WIDTH * w / total).collect()).width(TEXT_WIDTH, WidthType::Dxa)
}

fn picture(files: &ChartFiles, n: usize) -> Paragraph {
    // 24 cm wide, 16:9.
    let width_emu: u32 = 24 * 360_000;
    let height_emu = width_emu / SIZE.0 * SIZE.1;
    let pic = Pic::new_with_dimensions(files.png.clone(), SIZE.0, SIZE.1).size(width_emu, height_emu).id(format!("rIdImage{n}"));
    Paragraph::new().add_run(Run::new().add_image(pic)).keep_next(true)
}

/// Renders `pack` with its drawn `charts` (in [`Pack::charts`] order).
/// The heading of the "worse and getting worse" section (issue #13), which the contents list
/// leaves out.
const ATTENTION: &str = "Significantly worse and getting worse";

pub(crate) fn render(pack: &Pack, charts: &[ChartFiles]) -> Result<Vec<u8>, Error> {
    let t = &pack.title;
    let labels = &pack.labels;
    let footer = Footer::new().add_paragraph(
        Paragraph::new()
            .add_run(Run::new().add_text(format!("{} – {}, {} – Page ", t.title, t.kind, t.period_short)).size(16))
            .add_page_num(PageNum::new())
            .add_run(Run::new().add_text(" of ").size(16))
            .add_num_pages(NumPages::new())
            .align(AlignmentType::Right),
    );
    let mut doc = Docx::new()
        .page_size(PAGE.0, PAGE.1)
        .page_orient(PageOrientationType::Landscape)
        .page_margin(PageMargin { top: 850, left: 850, bottom: 850, right: 850, header: 400, footer: 400, gutter: 0 })
        .default_size(BODY)
        .default_fonts(docx_rs::RunFonts::new().ascii("Arial").hi_ansi("Arial").cs("Arial"))
        .add_style(Style::new("Heading1", StyleType::Paragraph).name("Heading 1").size(36).bold().outline_lvl(0))
        .add_style(Style::new("Heading2", StyleType::Paragraph).name("Heading 2").size(28).bold().outline_lvl(1))
        .add_style(Style::new("Title", StyleType::Paragraph).name("Title").size(44).bold())
        .footer(footer)
        .created_at("1970-01-01T00:00:00Z")
        .updated_at("1970-01-01T00:00:00Z");
    doc = doc.add_paragraph(Paragraph::new().add_run(Run::new().add_text(t.kind).size(BODY).color(hex(GREY))));
    doc = doc.add_paragraph(Paragraph::new().add_run(Run::new().add_text(&t.title)).style("Title"));
    let facts = [
        ("Reporting period", t.period_long.clone()),
        ("Plan", format!("{} ({} year)", t.title, t.year_type)),
        ("Produced", t.produced.clone()),
        // Issue #15, when plan.toml gives them.
        ("Council", t.council.clone()),
        ("Document status", t.document_status.clone()),
        ("Covers", t.covers.clone()),
    ];
    let optional = ["Council", "Document status"];
    let rows = facts
        .iter()
        .filter(|(k, v)| !(v.is_empty() && optional.contains(k)))
        .map(|(k, v)| TableRow::new(vec![bold_cell(k, ""), cell(v, "")]))
        .collect();
    doc = doc.add_table(table(&[1, 4], rows));
    // The contents list goes here once every heading is written (`contents`).
    let contents_at = doc.document.children.len();
    let mut pictures = 0;
    for section in &pack.sections {
        let (_, name) = match section {
            Section::Attention(_) => ("", ATTENTION),
            _ => section.contents_entry().unwrap_or(("", "")),
        };
        let page_break = matches!(section, Section::Priorities(_) | Section::Scorecard(_) | Section::Trends(_) | Section::Spc(_));
        if !matches!(section, Section::Priorities(_)) {
            doc = doc.add_paragraph(heading(1, name).page_break_before(page_break));
        }
        match section {
            Section::Exceptions(e) => {
                if e.rows.is_empty() {
                    doc = doc.add_paragraph(para(&e.none));
                } else {
                    doc = doc.add_paragraph(para(&e.intro));
                    let mut rows = vec![header_row(&["Item", "Status", "Why", "Commentary", "Lead", "Due", "Latest against target"])];
                    for x in &e.rows {
                        let was = x.was.map(|w| format!("was {}", labels.name(w))).unwrap_or_default();
                        rows.push(TableRow::new(vec![
                            bold_cell(&format!("{} {}", x.id, x.title), ""),
                            status_cell(labels, x.status, &was),
                            cell(&x.reason, ""),
                            cell(&x.commentary, ""),
                            cell(&x.lead, ""),
                            cell(&x.due, ""),
                            cell(&x.latest, ""),
                        ]));
                    }
                    doc = doc.add_table(table(&[16, 8, 20, 24, 10, 7, 15], rows));
                }
            }
            Section::Changes(c) => {
                if c.moved.is_empty() {
                    doc = doc.add_paragraph(para(&c.none));
                } else {
                    doc = doc.add_paragraph(para(&c.intro));
                    let mut rows = vec![header_row(&[
                        "Item",
                        &format!("Was ({})", c.previous),
                        &format!("Now ({})", c.current),
                        "Why now",
                        "Why before",
                    ])];
                    for m in &c.moved {
                        rows.push(TableRow::new(vec![
                            bold_cell(&format!("{} {}", m.id, m.title), ""),
                            status_cell(labels, Status::parse(&m.from).ok(), if m.from == "Not rated" { "Not rated" } else { "" }),
                            status_cell(labels, Status::parse(&m.to).ok(), ""),
                            cell(&m.reason_now, ""),
                            cell(&m.reason_before, ""),
                        ]));
                    }
                    doc = doc.add_table(table(&[20, 9, 9, 31, 31], rows));
                }
                if !c.quarter_on_quarter.is_empty() {
                    doc = doc.add_paragraph(heading(2, "Monthly measures quarter on quarter"));
                    let mut rows = vec![header_row(&["Measure", "Previous quarter", "This quarter", "Direction of travel"])];
                    for q in &c.quarter_on_quarter {
                        rows.push(TableRow::new(vec![
                            bold_cell(&format!("{} {}", q.id, q.title), ""),
                            cell(&q.before, ""),
                            cell(&q.now, ""),
                            cell(q.word, ""),
                        ]));
                    }
                    doc = doc.add_table(table(&[40, 20, 20, 20], rows));
                }
            }
            Section::Key(k) => {
                let mut headings = vec!["Status"];
                if k.milestones {
                    headings.push("Delivery milestone");
                }
                if k.measures {
                    headings.push("Measure");
                }
                let mut rows = vec![header_row(&headings)];
                for r in &k.rows {
                    let mut cells = vec![status_cell(labels, r.status, "")];
                    if k.milestones {
                        cells.push(cell(r.milestone, ""));
                    }
                    if k.measures {
                        cells.push(cell(r.measure, ""));
                    }
                    rows.push(TableRow::new(cells));
                }
                let widths: Vec<usize> = std::iter::once(1).chain(std::iter::repeat_n(4, headings.len() - 1)).collect();
                doc = doc.add_table(table(&widths, rows));
                if let Some(note) = k.officer_note {
                    doc = doc.add_paragraph(para(note));
                }
            }
            Section::Overview(o) => {
                let cells = o.table.cells(o.table.shows_titles(), true);
                let mut rows = Vec::new();
                for (i, row) in cells.iter().enumerate() {
                    if i == 0 {
                        let h: Vec<&str> = row.iter().map(String::as_str).collect();
                        rows.push(header_row(&h));
                    } else {
                        rows.push(TableRow::new(row.iter().map(|c| cell(c, "")).collect()));
                    }
                }
                let widths: Vec<usize> = cells
                    .first()
                    .map(|r| r.iter().enumerate().map(|(i, _)| if i == 1 && o.table.shows_titles() { 6 } else { 1 }).collect())
                    .unwrap_or_default();
                doc = doc.add_table(table(&widths, rows));
                doc = doc.add_paragraph(para(&o.summary));
                if let Some(files) = o.chart.and_then(|i| charts.get(i)) {
                    pictures += 1;
                    doc = doc.add_paragraph(picture(files, pictures));
                    doc = doc.add_paragraph(para(&format!("Figure 1: {}.", files.title)));
                }
            }
            Section::Priorities(blocks) => {
                for b in blocks {
                    // Issue #16: with `--rollup`, the priority's rolled-up status in its heading,
                    // as the page shows it, and the roll-up's reason under it.
                    let rolled = b.rolled_up.map(|s| format!(": {}", s.map(|s| labels.name(s)).unwrap_or("Not rated"))).unwrap_or_default();
                    doc = doc.add_paragraph(heading(1, &format!("{}{rolled}", b.heading)).page_break_before(true));
                    if !b.rolled_up_reason.is_empty() {
                        doc = doc.add_paragraph(para(&format!("Rolled up: {}", b.rolled_up_reason)));
                    }
                    if !b.strategic_lead.is_empty() {
                        doc = doc.add_paragraph(para(&format!("Strategic lead: {}", b.strategic_lead)));
                    }
                    if let Some(c) = &b.counts {
                        doc = doc.add_paragraph(para(&format!(
                            "{} milestones: Green {}, Amber {}, Red {}, Blue {}",
                            c.total(),
                            c.green,
                            c.amber,
                            c.red,
                            c.blue
                        )));
                    }
                    let mut rows = vec![header_row(&["ID", "Delivery milestone", "Lead", "Due", "Status", "Why", &b.update_heading])];
                    for g in &b.actions {
                        if !g.action.is_empty() {
                            rows.push(span_row(7, &format!("Action: {}", g.action)));
                        }
                        for m in &g.rows {
                            let name = |s: Option<Status>| s.map(|s| labels.name(s)).unwrap_or("none");
                            let both =
                                m.disagreement.map(|(o, r)| format!("Officer: {}, calculated: {}", name(o), name(r))).unwrap_or_default();
                            rows.push(TableRow::new(vec![
                                bold_cell(&m.id, ""),
                                cell(&m.title, ""),
                                cell(&m.lead, ""),
                                cell(&m.due, ""),
                                status_cell(labels, m.status, &both),
                                cell(&m.reason, ""),
                                cell(m.commentary.as_deref().unwrap_or(crate::pack::NO_UPDATE), ""),
                            ]));
                        }
                    }
                    doc = doc.add_table(table(&[45, 220, 140, 70, 80, 150, 295], rows));
                }
            }
            Section::Scorecard(s) => {
                doc = doc.add_paragraph(para(&s.intro));
                let mut headings: Vec<&str> =
                    vec!["Measure", "Last three periods", "Year to date", "Target", "Status", "Direction of travel"];
                headings.extend(s.benchmark_headings.iter().map(String::as_str));
                let columns = headings.len();
                let mut rows = vec![header_row(&headings)];
                for g in &s.groups {
                    rows.push(span_row(columns, &g.heading));
                    for r in &g.rows {
                        let recent: Vec<String> = r
                            .recent
                            .iter()
                            .map(|p| match p.status {
                                Some(s) => format!("{}: {} ({})", p.period, p.value, s.map(|s| labels.name(s)).unwrap_or("not rated")),
                                None => format!("{}: {}", p.period, p.value),
                            })
                            .collect();
                        // Issue #15: the lead and portfolio under the measure, the period's
                        // commentary under the reason, as the page shows them.
                        let who = r.who();
                        let about = if who.is_empty() { r.about.clone() } else { format!("{}\n{who}", r.about) };
                        let mut why = r.reason.clone();
                        // Issue #16: the forecast beside the status, in the page's words.
                        if !r.forecast_reason.is_empty() {
                            why = format!("{why}\nForecast: {}", r.forecast_reason);
                        }
                        if !r.commentary.is_empty() {
                            why = format!("{why}\nCommentary: {}", r.commentary);
                        }
                        let mut cells = vec![
                            bold_cell(&format!("{} {}", r.id, r.title), &about),
                            cell(&recent.join("; "), ""),
                            figure_cell(&r.year_to_date),
                            figure_cell(&r.target),
                            status_cell(labels, r.status, &why),
                            bold_cell(r.dot_word, &r.dot_detail),
                        ];
                        cells.extend(r.benchmarks.iter().map(figure_cell));
                        rows.push(TableRow::new(cells));
                    }
                }
                let widths: Vec<usize> =
                    [20, 15, 10, 9, 14, 11].into_iter().chain(std::iter::repeat_n(8, s.benchmark_headings.len())).collect();
                doc = doc.add_table(table(&widths, rows));
            }
            Section::Trends(tr) => {
                doc = doc.add_paragraph(para(&tr.intro));
                for &i in &tr.charts {
                    if let Some(files) = charts.get(i) {
                        pictures += 1;
                        doc = doc.add_paragraph(picture(files, pictures));
                        doc = doc.add_paragraph(para(&format!("Figure {}: {}.", i + 1, files.title)));
                    }
                }
            }
            Section::Spc(x) => {
                doc = doc.add_paragraph(para(&x.intro));
                let mut rows = vec![header_row(&["Measure", "Variation", "Assurance", "Why"])];
                for r in &x.rows {
                    rows.push(TableRow::new(vec![
                        bold_cell(&format!("{} {}", r.id, r.title), ""),
                        cell(variation_words(r.variation), ""),
                        cell(assurance_words(r.assurance, r.has_target), ""),
                        cell(&r.reason, ""),
                    ]));
                }
                doc = doc.add_table(table(&[30, 20, 20, 30], rows));
                if !x.charts.is_empty() {
                    doc = doc.add_paragraph(para(&x.charts_intro));
                }
                for &i in &x.charts {
                    if let Some(files) = charts.get(i) {
                        pictures += 1;
                        doc = doc.add_paragraph(picture(files, pictures));
                        doc = doc.add_paragraph(para(&format!("Figure {}: {}.", i + 1, files.title)));
                    }
                }
            }
            Section::Attention(a) => {
                doc = doc.add_paragraph(para(&a.intro));
                let mut rows = vec![header_row(&["Measure", "Worse than", "Recent trend"])];
                for r in &a.rows {
                    rows.push(TableRow::new(vec![
                        bold_cell(&format!("{} {}", r.id, r.title), ""),
                        cell(&r.worse_than, ""),
                        cell(&r.trend, ""),
                    ]));
                }
                doc = doc.add_table(table(&[35, 25, 40], rows));
            }
            Section::Notes(n) => {
                for (term, t) in n {
                    doc = doc.add_paragraph(Paragraph::new().add_run(Run::new().add_text(term).bold().size(BODY)).keep_next(true));
                    doc = doc.add_paragraph(para(t));
                }
            }
            Section::Glossary(g) => {
                for (term, t) in g {
                    doc = doc.add_paragraph(Paragraph::new().add_run(Run::new().add_text(*term).bold().size(BODY)).keep_next(true));
                    doc = doc.add_paragraph(para(t));
                }
            }
        }
    }
    doc = doc.add_paragraph(para(&pack.footer));
    finish(contents(doc, contents_at), pack, charts)
}

/// Packs the document, adding what docx-rs does not write: each picture's text alternative
/// (`descr`) and a unique id, and the repeated table header rows.
fn finish(doc: Docx, pack: &Pack, charts: &[ChartFiles]) -> Result<Vec<u8>, Error> {
    let mut xml = doc.build();
    let mut document = String::from_utf8(std::mem::take(&mut xml.document)).map_err(|e| Error::Document(e.to_string()))?;
    // Pictures appear in page order: the overview chart, then the trends.
    let mut alts = pack
        .sections
        .iter()
        .flat_map(|s| match s {
            Section::Overview(o) => o.chart.into_iter().collect::<Vec<_>>(),
            Section::Trends(t) => t.charts.clone(),
            Section::Spc(x) => x.charts.clone(),
            _ => Vec::new(),
        })
        .filter(|i| charts.get(*i).is_some())
        .map(|i| (pack.charts[i].words.title.clone(), pack.charts[i].words.description.clone()));
    let marker = "<wp:docPr id=\"1\" name=\"Figure\" />";
    let mut out = String::with_capacity(document.len() + 64 * 1024);
    let mut n = 0;
    while let Some(at) = document.find(marker) {
        out.push_str(&document[..at]);
        n += 1;
        let (title, descr) = alts.next().unwrap_or_default();
        out.push_str(&format!("<wp:docPr id=\"{n}\" name=\"{}\" descr=\"{}\" />", escape(&title), escape(&descr)));
        document = document[at + marker.len()..].to_string();
    }
    out.push_str(&document);
    let out = out.replace("<w:cantSplit />", "<w:cantSplit /><w:tblHeader />");
    xml.document = out.into_bytes();
    let mut bytes = std::io::Cursor::new(Vec::new());
    xml.pack(&mut bytes).map_err(|e| Error::Document(e.to_string()))?;
    Ok(bytes.into_inner())
}

#[cfg(test)]
pub(crate) mod tests {
    use crate::charts::{draw_all, ChartFiles};
    use crate::pack::{build, Inputs, Pack};
    use scorecard_core::{rate, Period, Plan, RateOptions};
    use std::io::Read;

    pub(crate) fn plan() -> Plan {
        let files = vec![
            ("milestones.csv".to_string(), b"priority,milestone,title,lead\n1,1.1,Open the family hub,Ann Lee\n1,1.2,Recruit foster carers,Ann Lee\n".to_vec()),
            (
                "updates.csv".to_string(),
                b"milestone,period,complete,issues,commentary\n1.1,2013-11,no,no,On track\n1.1,2013-12,no,yes,Building delayed\n1.2,2013-12,yes,no,Done\n".to_vec(),
            ),
            (
                "measures.csv".to_string(),
                b"measure,group,title,polarity,frequency,unit,target,lead,portfolio\nK1,1,Assessments on time,high,monthly,%,60,Bo Ray,Children\n".to_vec(),
            ),
            (
                "values.csv".to_string(),
                b"measure,period,value,commentary\nK1,2013-10,61.5,\nK1,2013-11,62,\nK1,2013-12,48.25,Two staff on leave\n".to_vec(),
            ),
        ];
        Plan::from_files("t", "Test plan", files).expect("a valid plan")
    }

    /// The test plan's pack at December 2013, with November as the previous report.
    pub(crate) fn pack() -> Pack {
        pack_with(RateOptions::default())
    }

    /// The same, rated with `options` (`rollup`: the priority's rolled-up status, issue #16).
    pub(crate) fn pack_with(options: RateOptions) -> Pack {
        let plan = plan();
        let period = Period::month(2013, 12);
        let ratings = rate(&plan, period, options).expect("rated");
        let previous = rate(&plan, period.previous(), options).expect("rated");
        let produced = chrono::NaiveDate::from_ymd_opt(2014, 1, 15).expect("a date");
        build(&Inputs { plan: &plan, period, ratings: &ratings, previous: Some(&previous), produced }).expect("a pack")
    }

    fn made() -> Vec<u8> {
        let pack = pack();
        let files: Vec<ChartFiles> = draw_all(&pack.charts, false).expect("drawn").into_iter().map(|d| d.files).collect();
        super::render(&pack, &files).expect("written")
    }

    fn part(bytes: &[u8], name: &str) -> String {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
        let mut text = String::new();
        zip.by_name(name).expect("the part").read_to_string(&mut text).expect("UTF-8");
        text
    }

    #[test]
    fn the_word_document_has_the_sections_as_headings_and_charts_with_their_text() {
        // (docx-rs numbers some parts with process-wide counters, so two documents made in
        // one process differ; two runs of `scorecard report` give the same bytes, which the
        // integration tests check.)
        let bytes = made();
        let doc = part(&bytes, "word/document.xml");
        for heading in ["Exceptions", "What changed since the last report", "Overview", "Measures scorecard", "Trends", "Glossary"] {
            // The last: the table of contents names each heading first.
            let at = doc.rfind(&format!("<w:t xml:space=\"preserve\">{heading}</w:t>")).unwrap_or_else(|| panic!("no {heading}"));
            let before = &doc[..at];
            let style = before.rfind("<w:pStyle w:val=\"").map(|i| &before[i + 17..i + 26]);
            assert_eq!(style, Some("Heading1\""), "{heading} is a Heading 1");
        }
        // The contents: a link per heading to a bookmark around it, readable in LibreOffice
        // as in Word (no TOC field, whose code LibreOffice printed instead of its entries).
        assert!(!doc.contains("instrText"), "no field in the body");
        let first = doc.find("<w:bookmarkStart w:id=\"1\" w:name=\"_Toc00000001\" />").expect("a bookmark at the first heading");
        let link = doc.find("<w:hyperlink w:anchor=\"_Toc00000001\"").expect("a link to it");
        assert!(link < first, "the contents come before the headings");
        assert!(doc[first..].starts_with("<w:bookmarkStart w:id=\"1\" w:name=\"_Toc00000001\" /><w:r>"), "the bookmark opens the heading");
        assert!(doc[first..first + 400].contains(">Exceptions</w:t>"), "the first heading is the exceptions");
        // Issue #15: the scorecard row names the measure's lead and portfolio and carries the
        // period's commentary, as the page does.
        assert!(doc.contains("<w:t xml:space=\"preserve\">Lead: Bo Ray · Portfolio: Children</w:t>"), "{doc}");
        assert!(doc.contains("<w:t xml:space=\"preserve\">Commentary: Two staff on leave</w:t>"), "{doc}");
        // Issue #16: the forecast under the status. K1's line through Oct-Dec 61.5, 62, 48.25
        // (x = 0, 1, 2): slope ((-1)(4.25) + (1)(-9)) / 2 = -6.625 through the mean 57.25 at
        // x = 1; at March 2014 (x = 5): 57.25 - 4 × 6.625 = 30.75, far below the target of 60.
        assert!(
            doc.contains("<w:t xml:space=\"preserve\">Forecast: Off track: the line through the 3 values from October 2013 to December 2013 reaches 30.75 by the end of 2013/14, against a target of 60 (high is good)</w:t>"),
            "{doc}"
        );
        // Without --rollup, the priority heading carries no status.
        assert!(!doc.contains("Rolled up:"), "no roll-up without --rollup");
        // Every chart carries its text alternative; the first is the overview chart.
        assert_eq!(doc.matches(" descr=\"").count(), 3, "the overview, one trend and its XmR chart");
        assert!(doc.contains("descr=\"Bar chart."), "the overview chart's text");
        // Status cells are shaded: Red is the palette's red.
        assert!(doc.contains("w:fill=\"b42318\""), "a Red cell");
        assert!(doc.contains("<w:tblHeader />"), "header rows repeat on each page");
        assert!(doc.contains("Building delayed"), "the commentary of the Red milestone");
        let styles = part(&bytes, "word/styles.xml");
        assert!(styles.contains("<w:name w:val=\"Heading 1\" />") && styles.contains("<w:outlineLvl w:val=\"0\" />"), "{styles}");
        let core = part(&bytes, "docProps/core.xml");
        assert!(core.contains("1970-01-01T00:00:00Z"), "fixed timestamps: {core}");
    }

    #[test]
    fn with_rollup_the_priority_heading_carries_its_rolled_up_status_and_reason() {
        // Issue #16: milestone 1.1 is Red (issues flagged), 1.2 Blue (complete); the worst of
        // them is Red, Blue left out by default.
        let pack = pack_with(RateOptions { rollup: true, ..RateOptions::default() });
        let files: Vec<ChartFiles> = draw_all(&pack.charts, false).expect("drawn").into_iter().map(|d| d.files).collect();
        let doc = part(&super::render(&pack, &files).expect("written"), "word/document.xml");
        let heading = doc.find(": Red</w:t>").map(|at| &doc[doc[..at].rfind("<w:t").expect("a run")..at]);
        assert!(heading.is_some_and(|h| h.contains("Priority 1")), "{heading:?}");
        assert!(doc.contains("<w:t xml:space=\"preserve\">Rolled up: Red: worst of "), "{doc}");
    }
}
