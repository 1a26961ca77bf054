//! The pack as a scorecard workbook (`report.xlsx`), with rust_xlsxwriter: an Overview,
//! Exceptions, Changes, Scorecard and Milestones sheet, each with a frozen header row and a
//! filter, status cells filled in the status colours, and values, targets and counts written
//! as numbers (shown with the decimals the data were typed with).
//!
//! Deterministic: the workbook's creation date is fixed (1 January 1970), and the archive's
//! timestamps are rust_xlsxwriter's fixed ones.

use crate::error::Error;
use crate::format::number;
use crate::pack::{Figure, Pack, Section};
use crate::palette::{status_colours, Rgb, RULE};
use rust_xlsxwriter::{Color, DocProperties, ExcelDateTime, Format, FormatAlign, Workbook, Worksheet, XlsxError};
use scorecard_core::{Labels, Status};

fn colour(c: Rgb) -> Color {
    Color::RGB(u32::from_str_radix(c.hex().trim_start_matches('#'), 16).unwrap_or(0))
}

fn fail(e: XlsxError) -> Error {
    Error::Document(e.to_string())
}

/// A sheet being written: its header row, then rows from row 1.
struct Sheet<'a> {
    ws: &'a mut Worksheet,
    row: u32,
    columns: u16,
    wrap: Format,
    /// How the plan names the statuses (`[labels]`).
    labels: Labels,
    /// Each column's width, in characters.
    widths: Vec<f64>,
    /// The most lines a wrapped cell of the current row takes.
    lines: usize,
}

/// The widest sheet, in characters, printed on one page's width: an A4 landscape page holds
/// about 150 at full size, so this keeps the print at 60% or more.
const FIT_WIDTH: f64 = 250.0;

/// The default row height, in points (Calibri 11).
const ROW_POINTS: f64 = 15.0;

/// Excel's tallest row, in points: a longer text is shown in part, as Excel itself would.
const MAX_ROW_POINTS: f64 = 409.0;

/// The height, in points, of a row whose tallest cell wraps to `lines` lines.
fn row_points(lines: usize) -> f64 {
    (ROW_POINTS * lines as f64).min(MAX_ROW_POINTS)
}

/// How many lines `text` wraps to in a column `width` characters wide: words laid greedily
/// on lines of about that many characters (a column's width is counted in the widths of a
/// "0", which ordinary text is a little narrower than; a margin is kept so that it never
/// falls short). Excel fits a row's height to its wrapped text when it opens the workbook;
/// LibreOffice's converter does not, so the height is written (issue #15, "open cleanly").
fn wrapped_lines(text: &str, width: f64) -> usize {
    let per_line = (width * 1.05 - 1.0).max(4.0) as usize;
    text.split('\n')
        .map(|paragraph| {
            let (mut lines, mut used) = (1, 0usize);
            for word in paragraph.split_whitespace() {
                let n = word.chars().count();
                if n > per_line {
                    // A word longer than a line starts one and runs over as many as it needs.
                    if used > 0 {
                        lines += 1;
                    }
                    lines += (n - 1) / per_line;
                    used = (n - 1) % per_line + 1;
                } else if used == 0 {
                    used = n;
                } else if used + 1 + n <= per_line {
                    used += 1 + n;
                } else {
                    lines += 1;
                    used = n;
                }
            }
            lines
        })
        .sum()
}

impl<'a> Sheet<'a> {
    fn new(ws: &'a mut Worksheet, name: &str, headings: &[(&str, f64)]) -> Result<Sheet<'a>, Error> {
        ws.set_name(name).map_err(fail)?;
        let head = Format::new().set_bold().set_background_color(colour(RULE)).set_text_wrap().set_align(FormatAlign::Top);
        for (c, (h, width)) in headings.iter().enumerate() {
            let c = c as u16;
            ws.write_string_with_format(0, c, *h, &head).map_err(fail)?;
            ws.set_column_width(c, *width).map_err(fail)?;
        }
        ws.set_freeze_panes(1, 0).map_err(fail)?;
        // Printed, as the HTML pack is: A4 landscape, the header row again at the top of each
        // page, and a sheet up to [`FIT_WIDTH`] characters wide on one page's width (a wider
        // one, such as a scorecard with many benchmarks, would shrink past reading; it runs on
        // across pages instead).
        ws.set_paper_size(9).set_landscape();
        if headings.iter().map(|(_, w)| w).sum::<f64>() <= FIT_WIDTH {
            ws.set_print_fit_to_pages(1, 0);
        }
        ws.set_repeat_rows(0, 0).map_err(fail)?;
        let lines = headings.iter().map(|(h, width)| wrapped_lines(h, *width)).max().unwrap_or(1);
        if lines > 1 {
            ws.set_row_height(0, row_points(lines)).map_err(fail)?;
        }
        let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
        let widths = headings.iter().map(|(_, w)| *w).collect();
        Ok(Sheet { ws, row: 1, columns: headings.len() as u16, wrap, labels: Labels::default(), widths, lines: 1 })
    }

    fn text(&mut self, c: u16, s: &str) -> Result<(), Error> {
        if !s.is_empty() {
            self.ws.write_string_with_format(self.row, c, s, &self.wrap).map_err(fail)?;
            let width = self.widths.get(c as usize).copied().unwrap_or(8.43);
            self.lines = self.lines.max(wrapped_lines(s, width));
        }
        Ok(())
    }

    /// A number, shown with the decimals it was typed with.
    fn number(&mut self, c: u16, x: Option<f64>) -> Result<(), Error> {
        if let Some(x) = x {
            let decimals = number(x).split_once('.').map(|(_, d)| d.len()).unwrap_or(0);
            let pattern = if decimals == 0 { "#,##0".to_string() } else { format!("#,##0.{}", "0".repeat(decimals)) };
            let f = Format::new().set_num_format(pattern).set_align(FormatAlign::Top);
            self.ws.write_number_with_format(self.row, c, x, &f).map_err(fail)?;
        }
        Ok(())
    }

    fn status(&mut self, c: u16, s: Option<Status>) -> Result<(), Error> {
        let (bg, fg) = status_colours(s);
        let f = Format::new().set_bold().set_background_color(colour(bg)).set_font_color(colour(fg)).set_align(FormatAlign::Top);
        self.ws.write_string_with_format(self.row, c, s.map(|s| self.labels.name(s)).unwrap_or("Not rated"), &f).map_err(fail)?;
        Ok(())
    }

    fn next(&mut self) -> Result<(), Error> {
        if self.lines > 1 {
            self.ws.set_row_height(self.row, row_points(self.lines)).map_err(fail)?;
        }
        self.lines = 1;
        self.row += 1;
        Ok(())
    }

    fn finish(self) -> Result<(), Error> {
        let last = self.row.saturating_sub(1).max(1);
        self.ws.autofilter(0, 0, last, self.columns - 1).map_err(fail)?;
        Ok(())
    }
}

fn figure_text(f: &Figure) -> String {
    match f {
        Figure::Value { main, note } if note.is_empty() => main.clone(),
        Figure::Value { main, note } => format!("{main} ({note})"),
        Figure::Muted(t) => t.clone(),
    }
}

/// Renders `pack` as a workbook.
pub(crate) fn render(pack: &Pack) -> Result<Vec<u8>, Error> {
    let mut wb = Workbook::new();
    let t = &pack.title;
    let created = ExcelDateTime::from_ymd(1970, 1, 1).map_err(fail)?;
    let mut properties =
        DocProperties::new().set_title(format!("{} – {}, {}", t.title, t.kind, t.period_short)).set_creation_datetime(&created);
    // Issue #15: the council and the document's status, when plan.toml gives them, as the
    // workbook's Company and Status properties.
    if !t.council.is_empty() {
        properties = properties.set_company(&t.council);
    }
    if !t.document_status.is_empty() {
        properties = properties.set_status(&t.document_status);
    }
    wb.set_properties(&properties);
    for section in &pack.sections {
        match section {
            Section::Overview(o) => {
                let cells = o.table.cells(o.table.shows_titles(), true);
                let headings: Vec<(&str, f64)> = cells[0]
                    .iter()
                    .enumerate()
                    .map(|(i, h)| (h.as_str(), if i == 1 && o.table.shows_titles() { 50.0 } else { 12.0 }))
                    .collect();
                let mut s = Sheet::new(wb.add_worksheet(), "Overview", &headings)?;
                s.labels = pack.labels.clone();
                for row in &cells[1..] {
                    for (c, v) in row.iter().enumerate() {
                        match v.parse::<f64>() {
                            Ok(x) if !v.ends_with('%') => s.number(c as u16, Some(x))?,
                            _ => s.text(c as u16, v)?,
                        }
                    }
                    s.next()?;
                }
                s.finish()?;
            }
            Section::Exceptions(e) => {
                let mut s = Sheet::new(
                    wb.add_worksheet(),
                    "Exceptions",
                    &[
                        ("Kind", 11.0),
                        ("ID", 8.0),
                        ("Title", 40.0),
                        ("Status", 10.0),
                        ("Was", 10.0),
                        ("Why", 50.0),
                        ("Commentary", 50.0),
                        ("Lead", 20.0),
                        ("Due", 11.0),
                        ("Latest against target", 30.0),
                    ],
                )?;
                s.labels = pack.labels.clone();
                for x in &e.rows {
                    s.text(0, x.kind.name())?;
                    s.text(1, &x.id)?;
                    s.text(2, &x.title)?;
                    s.status(3, x.status)?;
                    if let Some(w) = x.was {
                        s.status(4, Some(w))?;
                    }
                    s.text(5, &x.reason)?;
                    s.text(6, &x.commentary)?;
                    s.text(7, &x.lead)?;
                    s.text(8, &x.due)?;
                    s.text(9, &x.latest)?;
                    s.next()?;
                }
                if e.rows.is_empty() {
                    s.text(0, &e.none)?;
                    s.next()?;
                }
                s.finish()?;
            }
            Section::Spc(x) => {
                let mut s = Sheet::new(
                    wb.add_worksheet(),
                    "SPC",
                    &[("ID", 8.0), ("Title", 40.0), ("Variation", 30.0), ("Assurance", 40.0), ("Why", 60.0)],
                )?;
                for r in &x.rows {
                    s.text(0, &r.id)?;
                    s.text(1, &r.title)?;
                    s.text(2, crate::charts::xmr::variation_words(r.variation))?;
                    s.text(3, crate::pack::assurance_words(r.assurance, r.has_target))?;
                    s.text(4, &r.reason)?;
                    s.next()?;
                }
                s.finish()?;
            }
            Section::Attention(a) => {
                let mut s = Sheet::new(
                    wb.add_worksheet(),
                    "Worse and getting worse",
                    &[("ID", 8.0), ("Title", 40.0), ("Worse than", 30.0), ("Recent trend", 60.0)],
                )?;
                for r in &a.rows {
                    s.text(0, &r.id)?;
                    s.text(1, &r.title)?;
                    s.text(2, &r.worse_than)?;
                    s.text(3, &r.trend)?;
                    s.next()?;
                }
                s.finish()?;
            }
            Section::Changes(c) => {
                let was = format!("Was ({})", c.previous);
                let now = format!("Now ({})", c.current);
                let mut s = Sheet::new(
                    wb.add_worksheet(),
                    "Changes",
                    &[("Kind", 11.0), ("ID", 8.0), ("Title", 40.0), (&was, 12.0), (&now, 12.0), ("Why now", 50.0), ("Why before", 50.0)],
                )?;
                s.labels = pack.labels.clone();
                for m in &c.moved {
                    s.text(0, m.kind.name())?;
                    s.text(1, &m.id)?;
                    s.text(2, &m.title)?;
                    s.status(3, Status::parse(&m.from).ok())?;
                    s.status(4, Status::parse(&m.to).ok())?;
                    s.text(5, &m.reason_now)?;
                    s.text(6, &m.reason_before)?;
                    s.next()?;
                }
                if c.moved.is_empty() {
                    s.text(0, &c.none)?;
                    s.next()?;
                }
                s.finish()?;
            }
            Section::Scorecard(sc) => {
                let mut headings: Vec<(&str, f64)> = vec![
                    ("Group", 24.0),
                    ("ID", 8.0),
                    ("Measure", 40.0),
                    ("Unit", 10.0),
                    ("Period", 12.0),
                    ("Value", 10.0),
                    ("Target", 10.0),
                    ("Status", 10.0),
                    ("Why", 50.0),
                    ("Year to date", 10.0),
                    ("Year to date covers", 30.0),
                    ("Direction of travel", 14.0),
                    ("Compared with", 30.0),
                ];
                headings.extend(sc.benchmark_headings.iter().map(|h| (h.as_str(), 24.0)));
                // Issue #15: the measure's lead and portfolio and the period's commentary.
                let after = headings.len() as u16;
                headings.extend([("Lead", 20.0), ("Portfolio", 20.0), ("Commentary", 50.0), ("Forecast", 16.0), ("Forecast reason", 50.0)]);
                let mut s = Sheet::new(wb.add_worksheet(), "Scorecard", &headings)?;
                s.labels = pack.labels.clone();
                for g in &sc.groups {
                    for r in &g.rows {
                        s.text(0, &g.heading)?;
                        s.text(1, &r.id)?;
                        s.text(2, &r.title)?;
                        s.text(3, &r.unit)?;
                        s.text(4, r.recent.last().map(|p| p.period.as_str()).unwrap_or(""))?;
                        s.number(5, r.value)?;
                        s.number(6, r.target_value)?;
                        s.status(7, r.status)?;
                        s.text(8, &r.reason)?;
                        s.number(9, r.year_to_date_value)?;
                        if let Figure::Value { note, .. } = &r.year_to_date {
                            s.text(10, note)?;
                        }
                        s.text(11, r.dot_word)?;
                        s.text(12, &r.dot_detail)?;
                        for (i, b) in r.benchmarks.iter().enumerate() {
                            s.text(13 + i as u16, &figure_text(b))?;
                        }
                        s.text(after, &r.lead)?;
                        s.text(after + 1, &r.portfolio)?;
                        s.text(after + 2, &r.commentary)?;
                        // Issue #16: the forecast beside the status.
                        s.text(after + 3, &r.forecast)?;
                        s.text(after + 4, &r.forecast_reason)?;
                        s.next()?;
                    }
                }
                s.finish()?;
            }
            Section::Priorities(blocks) => {
                let mut headings = vec![
                    ("Priority", 30.0),
                    ("Action", 30.0),
                    ("ID", 8.0),
                    ("Delivery milestone", 40.0),
                    ("Lead", 20.0),
                    ("Due", 11.0),
                    ("Status", 10.0),
                    ("Calculated status", 12.0),
                    ("Why", 50.0),
                    ("Update", 60.0),
                ];
                // Issue #16: with `--rollup`, each priority's rolled-up status beside its name.
                let rollup = blocks.iter().any(|b| b.rolled_up.is_some());
                if rollup {
                    headings.push(("Priority status (rolled up)", 14.0));
                }
                let mut s = Sheet::new(wb.add_worksheet(), "Milestones", &headings)?;
                s.labels = pack.labels.clone();
                for b in blocks {
                    for g in &b.actions {
                        for m in &g.rows {
                            s.text(0, &b.heading)?;
                            s.text(1, &g.action)?;
                            s.text(2, &m.id)?;
                            s.text(3, &m.title)?;
                            s.text(4, &m.lead)?;
                            s.text(5, &m.due)?;
                            s.status(6, m.status)?;
                            if let Some((_, rules)) = m.disagreement {
                                s.status(7, rules)?;
                            }
                            s.text(8, &m.reason)?;
                            s.text(9, m.commentary.as_deref().unwrap_or(crate::pack::NO_UPDATE))?;
                            if let Some(status) = b.rolled_up.filter(|_| rollup) {
                                s.status(10, status)?;
                            }
                            s.next()?;
                        }
                    }
                }
                s.finish()?;
            }
            _ => {}
        }
    }
    wb.save_to_buffer().map_err(fail)
}

#[cfg(test)]
mod tests {
    use crate::docx::tests::pack;
    use calamine::{Data, Reader, Xlsx};

    fn made() -> Vec<u8> {
        super::render(&pack()).expect("written")
    }

    #[test]
    fn wrapped_text_is_counted_in_lines_of_the_column_width() {
        use super::wrapped_lines;
        // A 12-character column holds about 11 characters a line.
        assert_eq!(wrapped_lines("Red", 12.0), 1);
        assert_eq!(wrapped_lines("Was (Nov 2023)", 12.0), 2);
        assert_eq!(wrapped_lines("one two three four five six", 12.0), 3);
        // Lines of the text's own, and a word longer than the column.
        assert_eq!(wrapped_lines("a\nb", 40.0), 2);
        assert_eq!(wrapped_lines("x https://example.org/a-very-long-address", 12.0), 5);
        assert_eq!(wrapped_lines("", 12.0), 1);
        // A commentary of thousands of words stops at Excel's tallest row (409 points).
        let long = "word ".repeat(5_000);
        assert_eq!(super::row_points(wrapped_lines(&long, 12.0)), 409.0);
        assert_eq!(super::row_points(2), 30.0);
    }

    #[test]
    fn rows_of_wrapped_text_are_written_tall_enough_to_show_it() {
        // LibreOffice's converter keeps a row's written height, so a row whose text wraps over
        // two lines says so (30 points), and rows of one line keep the default (no height).
        let bytes = made();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("xl/worksheets/sheet1.xml").expect("the first sheet"), &mut xml).expect("text");
        let rows: Vec<&str> = xml.split("<row ").skip(1).map(|r| &r[..r.find('>').unwrap_or(r.len())]).collect();
        assert_eq!(rows.len(), 3, "the header and two exceptions: {rows:?}");
        assert!(!rows[0].contains("ht="), "the headings fit their columns: {rows:?}");
        assert!(!rows[1].contains("ht="), "the first exception fits one line: {rows:?}");
        assert!(rows[2].contains("ht=\"30\" customHeight=\"1\""), "the second takes two lines: {rows:?}");
    }

    #[test]
    fn the_workbook_reads_back_with_numbers_as_numbers() {
        let bytes = made();
        assert_eq!(bytes, made(), "the same inputs give the same bytes");
        let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).expect("a workbook");
        assert_eq!(book.sheet_names(), ["Exceptions", "Changes", "Overview", "Milestones", "Scorecard", "SPC"]);
        let scorecard = book.worksheet_range("Scorecard").expect("the scorecard");
        let header: Vec<String> = scorecard.rows().next().expect("a header").iter().map(|c| c.to_string()).collect();
        assert_eq!(&header[..9], ["Group", "ID", "Measure", "Unit", "Period", "Value", "Target", "Status", "Why"]);
        let row: Vec<&Data> = scorecard.rows().nth(1).expect("K1").iter().collect();
        assert_eq!(row[1], &Data::String("K1".into()));
        assert_eq!(row[5], &Data::Float(48.25), "the value as a number");
        assert_eq!(row[6], &Data::Float(60.0), "the target as a number");
        assert_eq!(row[7], &Data::String("Red".into()));
        // Issue #15: the lead, the portfolio and the period's commentary, last.
        assert_eq!(&header[header.len() - 5..], ["Lead", "Portfolio", "Commentary", "Forecast", "Forecast reason"]);
        let last: Vec<String> = row[row.len() - 5..].iter().map(|c| c.to_string()).collect();
        // Issue #16: the forecast (worked in the Word test: 30.75 by March 2014 against 60).
        assert_eq!(
            last,
            [
                "Bo Ray",
                "Children",
                "Two staff on leave",
                "Forecast: off track",
                "Off track: the line through the 3 values from October 2013 to December 2013 reaches 30.75 by the end of 2013/14, against a target of 60 (high is good)"
            ]
        );
        let milestones = book.worksheet_range("Milestones").expect("the milestones");
        let header: Vec<String> = milestones.rows().next().expect("a header").iter().map(|c| c.to_string()).collect();
        assert!(!header.iter().any(|h| h.contains("rolled up")), "no roll-up column without --rollup: {header:?}");
        let exceptions = book.worksheet_range("Exceptions").expect("the exceptions");
        let ids: Vec<String> = exceptions.rows().skip(1).map(|r| r[1].to_string()).collect();
        assert_eq!(ids, ["1.1", "K1"], "the Red milestone and the Red measure");
        let overview = book.worksheet_range("Overview").expect("the overview");
        assert_eq!(overview.get((1, 1)), Some(&Data::Float(1.0)), "counts as numbers: one Green");
    }

    #[test]
    fn with_rollup_each_milestone_row_carries_its_priority_s_status() {
        // Issue #16: priority 1 rolls up to Red (1.1 Red, 1.2 Blue left out).
        let pack = crate::docx::tests::pack_with(scorecard_core::RateOptions { rollup: true, ..Default::default() });
        let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(super::render(&pack).expect("written"))).expect("a workbook");
        let milestones = book.worksheet_range("Milestones").expect("the milestones");
        let rows: Vec<Vec<String>> = milestones.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
        assert_eq!(rows[0].last().map(String::as_str), Some("Priority status (rolled up)"));
        assert_eq!(rows.len(), 3, "two milestones: {rows:?}");
        assert!(rows[1..].iter().all(|r| r.last().map(String::as_str) == Some("Red")), "{rows:?}");
    }
}
