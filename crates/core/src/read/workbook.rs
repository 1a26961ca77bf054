//! A plan as one Excel workbook (issue #15): `plan.xlsx`, one sheet per plan table, named like
//! the CSV files (`milestones`, `updates`, `measures`, `values`, `targets`, `benchmarks`,
//! `priorities`; `updates.csv` and any case are accepted too). Settings stay in `plan.toml`
//! beside the workbook.
//!
//! Each sheet is turned into the text an officer sees in its cells, the way Excel's "Save as
//! CSV" writes it, and read by the one CSV table reader ([`super::table`]), so a workbook is
//! checked by exactly the rules a folder of CSV files is. What differs is only where a problem
//! points: [`Sheet`] maps the text's lines back to the sheet's rows and columns, and
//! [`Sheet::place`] moves a problem there (`plan.xlsx: sheet updates, cell C14: ...`).
//!
//! Cells read as an officer means them: a date (a cell with a date format) is the ISO date,
//! or its month in a period column; a number with a percentage format, stored as the fraction
//! 0.619, is 61.9 as shown (`61.9%` typed in a CSV file is 61.9 too); a number stored as text
//! is that text, read by the same number rules as CSV; TRUE/FALSE are the flags true/false; an
//! error cell (`#N/A`, `#DIV/0!`) is its text, which no number or date accepts.

#[cfg(test)]
use crate::error::column_letters;
use crate::error::Problem;
use calamine::{Data, Reader as _, Xlsx};
use std::io::Cursor;

/// The plan tables a workbook may hold, by sheet name (the CSV file's name without `.csv`).
const TABLES: [&str; 7] = ["priorities", "milestones", "updates", "measures", "values", "targets", "benchmarks"];

/// One sheet read as a plan table: the text the CSV reader reads, and where its lines are.
#[derive(Debug, Clone)]
pub(crate) struct Sheet {
    /// The CSV file the sheet stands for (`updates.csv`).
    pub file: String,
    /// The sheet's name as the workbook spells it.
    pub name: String,
    /// The sheet's 1-based row of each line of `text` (`rows[line]`; index 0 unused).
    rows: Vec<u64>,
    /// The 0-based sheet column of the text's first field.
    first_column: usize,
}

/// The workbook's plan tables as `(CSV file name, text)`, with the map of each sheet.
pub(crate) struct Tables {
    pub files: Vec<(String, Vec<u8>)>,
    pub sheets: Vec<Sheet>,
}

impl Sheet {
    /// The sheet row of line `line` of the sheet's text.
    pub fn row(&self, line: u64) -> u64 {
        self.rows.get(line as usize).copied().unwrap_or(line)
    }

    /// Moves a problem found in the sheet's text to the workbook: the workbook's file, the
    /// sheet, and the cell's own column (lines are sheet rows already, see
    /// `Reader::sheet_table`).
    pub fn place(&self, problem: &mut Problem, workbook: &str) {
        problem.file = workbook.to_string();
        problem.sheet = Some(self.name.clone());
        if let Some(c) = problem.column.as_mut() {
            *c += self.first_column;
        }
    }
}

/// The workbook of a plan path: the `.xlsx` file itself, or `plan.xlsx` in the folder.
pub fn workbook_of(path: &std::path::Path) -> Option<std::path::PathBuf> {
    if path.is_file() && path.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx")) {
        Some(path.to_path_buf())
    } else {
        Some(path.join("plan.xlsx")).filter(|p| p.is_file())
    }
}

/// One table of the workbook plan at `path` as CSV text (`benchmarks.csv`), for readers that
/// look at one table without reading the plan (`batch`'s label scan); `None` when `path` is
/// not a workbook plan, or the table or the workbook cannot be read (reading the plan then
/// reports why).
pub fn table_text(path: &std::path::Path, file: &str) -> Option<Vec<u8>> {
    let bytes = std::fs::read(workbook_of(path)?).ok()?;
    let tables = read(&bytes, "").ok()?;
    tables.files.into_iter().find(|(f, _)| f == file).map(|(_, text)| text)
}

/// Reads the workbook's plan sheets. `shown_as` names the workbook in problems.
pub(crate) fn read(bytes: &[u8], shown_as: &str) -> Result<Tables, Box<Problem>> {
    let mut book = Xlsx::new(Cursor::new(bytes)).map_err(|e| {
        Box::new(Problem::file(
            shown_as,
            format!("cannot read the workbook: {e}; expected an Excel workbook (.xlsx) saved by Excel or LibreOffice"),
        ))
    })?;
    let mut tables = Tables { files: Vec::new(), sheets: Vec::new() };
    for name in book.sheet_names() {
        let key = name.trim().to_ascii_lowercase();
        let key = key.strip_suffix(".csv").unwrap_or(&key);
        let Some(table) = TABLES.iter().find(|t| **t == key) else { continue };
        let file = format!("{table}.csv");
        if tables.sheets.iter().any(|s| s.file == file) {
            return Err(Box::new(Problem::file(
                shown_as,
                format!("two sheets hold the {table} table (the second is {name:?}); expected one sheet named {table}"),
            )));
        }
        let problem = |e: calamine::XlsxError| Box::new(Problem::file(shown_as, format!("cannot read the sheet {name:?}: {e}")));
        let range = book.worksheet_range(&name).map_err(problem)?;
        let styles = book.worksheet_style(&name).map_err(problem)?;
        let (text, sheet) = sheet_text(&range, &styles, file.clone(), name.clone());
        tables.files.push((file, text));
        tables.sheets.push(sheet);
    }
    Ok(tables)
}

/// The sheet's cells as CSV text, the header first, and the map of its lines.
fn sheet_text(range: &calamine::Range<Data>, styles: &calamine::StyleRange, file: String, name: String) -> (Vec<u8>, Sheet) {
    let mut sheet = Sheet { file, name, rows: vec![0], first_column: 0 };
    let (Some(start), Some(end)) = (range.start(), range.end()) else { return (Vec::new(), sheet) };
    sheet.first_column = start.1 as usize;
    let mut out = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
    let mut header: Vec<String> = Vec::new();
    let mut line = 1u64;
    let mut record: Vec<String> = Vec::new();
    for row in start.0..=end.0 {
        record.clear();
        for col in start.1..=end.1 {
            let under = header.get((col - start.1) as usize).map(String::as_str).unwrap_or("");
            let cell = range.get_value((row, col)).unwrap_or(&Data::Empty);
            record.push(cell_text(cell, percent_format(styles, (row, col)), is_period_column(under)));
        }
        if header.is_empty() {
            if record.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            header = record.iter().map(|h| h.trim().to_ascii_lowercase()).collect();
        }
        // Lines of the text are counted as the CSV reader counts them: a cell holding a line
        // break (Alt+Enter) spans several.
        let breaks: u64 = record.iter().map(|c| c.matches('\n').count() as u64).sum();
        sheet.rows.resize(line as usize + 1 + breaks as usize, u64::from(row) + 1);
        line += 1 + breaks;
        if out.write_record(&record).is_err() {
            break;
        }
    }
    (out.into_inner().unwrap_or_default(), sheet)
}

/// Whether the column holds periods (`period`, `baseline_period`, `target_period`), where a
/// date means its month.
fn is_period_column(header: &str) -> bool {
    header == "period" || header.ends_with("_period")
}

/// Whether the cell's number format shows a percentage (`0%`, `0.0%`): a `%` outside quotes.
fn percent_format(styles: &calamine::StyleRange, at: (u32, u32)) -> bool {
    let Some(format) = styles.get(at).and_then(|s| s.number_format.as_ref()) else { return false };
    let mut quoted = false;
    let mut escaped = false;
    for c in format.format_code.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => quoted = !quoted,
            '%' if !quoted => return true,
            _ => {}
        }
    }
    false
}

/// The text of one cell, as the officer reads it in Excel.
fn cell_text(cell: &Data, percent: bool, period: bool) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) if percent => shift_point(&i.to_string()),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if percent => shift_point(&f.to_string()),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) if d.is_duration() => d.as_f64().to_string(),
        Data::DateTime(d) => {
            let (y, m, day, ..) = d.to_ymd_hms_milli();
            if period {
                format!("{y:04}-{m:02}")
            } else {
                format!("{y:04}-{m:02}-{day:02}")
            }
        }
        Data::DateTimeIso(s) => {
            let date = s.split('T').next().unwrap_or(s);
            if period && date.len() >= 7 {
                date[..7].to_string()
            } else {
                date.to_string()
            }
        }
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
    }
}

/// A number's shortest decimal text with the point moved two places right: the fraction
/// 0.619 stored behind a `%` format is 61.9, exactly as shown, with no floating-point
/// multiplication to add a 61.900000000000006.
fn shift_point(text: &str) -> String {
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let frac = format!("{frac:0<2}");
    let whole = format!("{int}{}", &frac[..2]);
    let whole = whole.trim_start_matches('0');
    let rest = frac[2..].trim_end_matches('0');
    let whole = if whole.is_empty() { "0" } else { whole };
    if rest.is_empty() {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{rest}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_move_the_point_two_places() {
        // 0.619 shown as 61.9%; 0.05 as 5%; 1 as 100%; 0.00125 as 0.125%.
        assert_eq!(shift_point("0.619"), "61.9");
        assert_eq!(shift_point("0.05"), "5");
        assert_eq!(shift_point("1"), "100");
        assert_eq!(shift_point("0.00125"), "0.125");
        assert_eq!(shift_point("-0.2"), "-20");
        assert_eq!(shift_point("12.5"), "1250");
    }

    #[test]
    fn columns_are_lettered_as_excel_letters_them() {
        assert_eq!(column_letters(1), "A");
        assert_eq!(column_letters(3), "C");
        assert_eq!(column_letters(26), "Z");
        assert_eq!(column_letters(27), "AA");
        assert_eq!(column_letters(703), "AAA");
    }

    #[test]
    fn cells_read_as_shown() {
        assert_eq!(cell_text(&Data::Float(0.619), true, false), "61.9");
        assert_eq!(cell_text(&Data::Float(61.9), false, false), "61.9");
        assert_eq!(cell_text(&Data::Int(1380), false, false), "1380");
        assert_eq!(cell_text(&Data::String("1,380".into()), false, false), "1,380");
        assert_eq!(cell_text(&Data::Bool(true), false, false), "true");
        assert_eq!(cell_text(&Data::Error(calamine::CellErrorType::NA), false, false), "#N/A");
        // 41729 is 31 March 2014 in Excel's 1900 date system.
        let date = Data::DateTime(calamine::ExcelDateTime::new(41729.0, calamine::ExcelDateTimeType::DateTime, false));
        assert_eq!(cell_text(&date, false, false), "2014-03-31");
        assert_eq!(cell_text(&date, false, true), "2014-03");
    }
}
