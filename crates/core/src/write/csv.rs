//! Ratings as CSV: a header row, then one line per rating, quoted as the csv crate quotes
//! (only fields holding a comma, a quote or a line break), numbers as [`write_number`] writes
//! them. Written by hand rather than through the csv crate's writer: the batch workload writes
//! millions of lines and these skip the per-field checks for the engine's own words and
//! period labels (BENCHMARKS.md).

use super::io;
use crate::error::Result;
use crate::model::columns::{benchmark_cells, column_names, each_cell, fixed_cells, Cell, FIXED};
use crate::model::number::{format_number, write_number};
use crate::model::period::{Period, PeriodLabels};
use crate::model::rating::{Rating, Ratings};

/// Appends one rating's CSV line to `out`, with no allocation once `scratch` has seen the
/// row's periods: the line [`write_csv`] writes for it.
pub fn write_csv_record(r: &Rating<'_>, out: &mut Vec<u8>, scratch: &mut CsvScratch) {
    // The two arrays of cells in turn, not `cells`' chained iterator: this runs for every row.
    write_csv_cells(&fixed_cells(r), out, scratch);
    end_csv_record(r, out, scratch);
}

/// [`write_csv_record`] for a row of item `key`, taking the item's own cells (kind, item,
/// priority, title: the same on every row of the item) from `items` once they have been
/// written. Same bytes; a batch writes each item's title once per chunk instead of once per
/// period.
pub fn write_csv_record_cached(r: &Rating<'_>, key: usize, items: &mut ItemCells, out: &mut Vec<u8>, scratch: &mut CsvScratch) {
    let cells = fixed_cells(r);
    write_csv_cells(&cells[..ITEM_CELLS.start], out, scratch);
    out.extend_from_slice(items.get(key, &cells[ITEM_CELLS], scratch));
    write_csv_cells(&cells[ITEM_CELLS.end..], out, scratch);
    end_csv_record(r, out, scratch);
}

/// `cells`, each followed by a comma.
/// Writes a rating as one CSV record of the columns `keep` keeps (per column in
/// [`column_names`]' order; `batch --columns`), as [`write_csv_record`] writes those cells.
pub fn write_csv_record_picked(r: &Rating<'_>, keep: &[bool], out: &mut Vec<u8>, scratch: &mut CsvScratch) {
    let start = out.len();
    let mut i = 0;
    each_cell(r, |c| {
        if keep.get(i).copied().unwrap_or(false) {
            write_csv_cell(c, out, scratch);
            out.push(b',');
        }
        i += 1;
    });
    if out.len() > start {
        if let Some(last) = out.last_mut() {
            *last = b'\n';
        }
    } else {
        out.push(b'\n');
    }
}

fn write_csv_cells(cells: &[Cell<'_>], out: &mut Vec<u8>, scratch: &mut CsvScratch) {
    for c in cells {
        write_csv_cell(*c, out, scratch);
        out.push(b',');
    }
}

/// The benchmarks' cells, then the line's end.
fn end_csv_record(r: &Rating<'_>, out: &mut Vec<u8>, scratch: &mut CsvScratch) {
    for b in r.benchmarks.iter() {
        write_csv_cells(&benchmark_cells(b), out, scratch);
    }
    // Every row has cells, so there is a last comma to turn into the line's end.
    if let Some(last) = out.last_mut() {
        *last = b'\n';
    }
}

/// Where the item's own cells (kind, item, priority, title) are among [`fixed_cells`].
const ITEM_CELLS: std::ops::Range<usize> = 2..6;

/// The CSV text of each item's own cells (with their commas), by item key: see
/// [`write_csv_record_cached`]. Keys belong to one [`RowReader`](crate::engine::RowReader), so
/// [`ItemCells::clear`] it for the next.
#[derive(Debug, Default)]
pub struct ItemCells {
    spans: Vec<(u32, u32)>,
    pub(crate) text: Vec<u8>,
}

impl ItemCells {
    /// Forgets every item.
    pub fn clear(&mut self) {
        self.spans.clear();
        self.text.clear();
    }

    fn get(&mut self, key: usize, cells: &[Cell<'_>], scratch: &mut CsvScratch) -> &[u8] {
        if key >= self.spans.len() {
            self.spans.resize(key + 1, (0, 0));
        }
        let (start, end) = self.spans[key];
        if end > start {
            return &self.text[start as usize..end as usize];
        }
        let start = self.text.len();
        write_csv_cells(cells, &mut self.text, scratch);
        self.spans[key] = (start as u32, self.text.len() as u32);
        &self.text[start..]
    }
}

/// One cell of [`write_csv_record`].
#[inline]
fn write_csv_cell(c: Cell<'_>, out: &mut Vec<u8>, scratch: &mut CsvScratch) {
    {
        match c {
            Cell::Text(t) => match scratch.formulas {
                CsvFormulas::Escape => push_csv_field(out, &escape_formula(t)),
                CsvFormulas::Keep => push_csv_field(out, t),
            },
            Cell::Word(w) => out.extend_from_slice(w.as_bytes()),
            // Period labels hold digits, `-`, `/`, `.`, `Q` and spaces only.
            Cell::Period(p) => out.extend_from_slice(scratch.period(p).as_bytes()),
            Cell::Number(None) => {}
            Cell::Number(Some(x)) => {
                scratch.number.clear();
                write_number(x, &mut scratch.number);
                out.extend_from_slice(scratch.number.as_bytes());
            }
            Cell::Flag(b) => out.extend_from_slice(if b { b"true" } else { b"false" }),
        }
    }
}

/// Appends a CSV field as the csv crate writes it: quoted when it holds a comma, a quote or a
/// line break, with quotes doubled.
fn push_csv_field(out: &mut Vec<u8>, field: &str) {
    let bytes = field.as_bytes();
    // `memchr`'s vector search for titles and reasons (measured with callgrind at a third of a
    // byte-by-byte scan's cost); a plain loop for ids and names, shorter than its set-up.
    let special = if bytes.len() < 16 {
        bytes.iter().any(|&b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
    } else {
        memchr::memchr3(b',', b'"', b'\n', bytes).is_some() || memchr::memchr(b'\r', bytes).is_some()
    };
    if !special {
        out.extend_from_slice(bytes);
        return;
    }
    out.push(b'"');
    let mut rest = bytes;
    while let Some(i) = memchr::memchr(b'"', rest) {
        out.extend_from_slice(&rest[..=i]);
        out.push(b'"');
        rest = &rest[i + 1..];
    }
    out.extend_from_slice(rest);
    out.push(b'"');
}

/// Buffers [`write_csv_record`] reuses: a number's digits, and period labels already written;
/// and how text cells that look like formulas are written.
#[derive(Debug, Default)]
pub struct CsvScratch {
    number: String,
    labels: PeriodLabels,
    formulas: CsvFormulas,
}

impl CsvScratch {
    /// Scratch writing text cells that look like formulas as `formulas` says.
    pub fn with_formulas(formulas: CsvFormulas) -> CsvScratch {
        CsvScratch { formulas, ..CsvScratch::default() }
    }

    fn period(&mut self, p: Period) -> &str {
        self.labels.get(p)
    }
}

/// Writes CSV: a header row, then one row per rating; text cells that look like formulas
/// escaped ([`CsvFormulas::Escape`]).
pub fn write_csv(ratings: &Ratings, out: &mut dyn std::io::Write) -> Result<()> {
    write_csv_with(ratings, CsvFormulas::Escape, out)
}

/// [`write_csv`], writing text cells that look like formulas as `formulas` says.
pub fn write_csv_with(ratings: &Ratings, formulas: CsvFormulas, out: &mut dyn std::io::Write) -> Result<()> {
    let (mut line, mut scratch) = (csv_header(&ratings.labels), CsvScratch::with_formulas(formulas));
    for r in &ratings.rows {
        write_csv_record(r, &mut line, &mut scratch);
        if line.len() > 1 << 16 {
            out.write_all(&line).map_err(io)?;
            line.clear();
        }
    }
    out.write_all(&line).map_err(io)?;
    out.flush().map_err(io)?;
    Ok(())
}

/// The CSV header line for these benchmark labels.
pub fn csv_header(labels: &[String]) -> Vec<u8> {
    csv_header_of(&column_names(labels))
}

/// The header line of these column names.
pub fn csv_header_of(names: &[String]) -> Vec<u8> {
    let mut line = Vec::new();
    for (i, name) in names.iter().enumerate() {
        if i > 0 {
            line.push(b',');
        }
        push_csv_field(&mut line, name);
    }
    line.push(b'\n');
    line
}

/// One rating's CSV fields, as [`write_csv`] writes them, into `record` (cleared first).
pub fn csv_record(r: &Rating<'_>, record: &mut csv::StringRecord) {
    record.clear();
    let mut cells = Vec::with_capacity(FIXED + 2 * r.benchmarks.len());
    each_cell(r, |c| cells.push(c));
    for c in cells {
        match c {
            Cell::Text(t) | Cell::Word(t) => record.push_field(t),
            Cell::Period(p) => record.push_field(&p.to_string()),
            Cell::Number(n) => record.push_field(&n.map(format_number).unwrap_or_default()),
            Cell::Flag(b) => record.push_field(if b { "true" } else { "false" }),
        }
    }
}

/// How CSV text cells that a spreadsheet would run as a formula are written (OWASP "CSV
/// injection", issue #12). Excel, LibreOffice and Google Sheets take a cell beginning with
/// `=`, `+`, `-` or `@` (or a tab or carriage return before one) for a formula, so a plan title
/// such as `=HYPERLINK("http://x","click")` would become a live link in the ratings an officer
/// opens. Only text cells (a title, an id, a priority, a reason) are affected: numbers,
/// periods and the engine's own words never are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CsvFormulas {
    /// Prefix such a cell with a single quote, as OWASP advises: `'=HYPERLINK(...)`; the
    /// spreadsheet shows the text, and `diff` reads it back without the quote. The default.
    #[default]
    Escape,
    /// Write every cell as it is (for programs that read the CSV and want the raw text).
    Keep,
}

/// Whether `text` begins with a character that makes a spreadsheet read a formula.
fn starts_like_a_formula(text: &str) -> bool {
    matches!(text.as_bytes().first(), Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r'))
}

/// Whether `text` is a plain number (`-3`, `+2.5`, `-1e-7`): a spreadsheet reads it as that
/// number, not as a formula, so it is left as it is.
fn is_plain_number(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    let mut n = digits(&mut i);
    if i < b.len() && b[i] == b'.' {
        i += 1;
        n += digits(&mut i);
    }
    if n == 0 {
        return false;
    }
    if i < b.len() && matches!(b[i], b'e' | b'E') {
        i += 1;
        if i < b.len() && matches!(b[i], b'+' | b'-') {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// A text cell as [`CsvFormulas::Escape`] writes it: with a `'` in front when it begins like a
/// formula and is not a plain number, or when it is already one or more `'` followed by such a
/// beginning (so that [`restore_formula`] gives back exactly the text written).
pub fn escape_formula(text: &str) -> std::borrow::Cow<'_, str> {
    let after_quotes = text.trim_start_matches('\'');
    let formula = starts_like_a_formula(after_quotes) && !(after_quotes.len() == text.len() && is_plain_number(text));
    if formula {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// A CSV text cell read back: the text [`escape_formula`] was given (the leading `'` it added
/// removed); any other cell as it is.
pub fn restore_formula(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if escape_formula(rest).len() == text.len() => rest,
        _ => text,
    }
}

#[cfg(test)]
mod formula_tests {
    use super::*;

    #[test]
    fn formulas_are_escaped_and_read_back_and_numbers_are_not_touched() {
        for (text, written) in [
            ("=HYPERLINK(\"http://x\",\"click\")", "'=HYPERLINK(\"http://x\",\"click\")"),
            ("@SUM(1+1)", "'@SUM(1+1)"),
            ("+44 20 7946 0000", "'+44 20 7946 0000"),
            ("-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"),
            ("\t=1+1", "'\t=1+1"),
            ("\r=1+1", "'\r=1+1"),
            ("'=already quoted", "''=already quoted"),
            ("-3", "-3"),
            ("+2.5", "+2.5"),
            ("-1e-7", "-1e-7"),
            ("-", "'-"),
            ("-inf", "'-inf"),
            ("'quoted", "'quoted"),
            ("Fall in number of mothers who smoke", "Fall in number of mothers who smoke"),
            ("", ""),
            ("1.15", "1.15"),
        ] {
            assert_eq!(escape_formula(text), written, "{text:?}");
            assert_eq!(restore_formula(&escape_formula(text)), text, "{text:?}");
        }
        // A cell escape_formula never writes is read as it is.
        assert_eq!(restore_formula("'-3"), "'-3");
        assert_eq!(restore_formula("'plain"), "'plain");
    }

    #[test]
    fn plain_numbers() {
        for yes in ["0", "-3", "+3", "3.", ".5", "-0.25", "1e5", "-2E+10"] {
            assert!(is_plain_number(yes), "{yes}");
        }
        for no in ["", "-", "+", ".", "e5", "1e", "1e+", "-3-", "- 3", "1,000", "nan", "-inf", "0x10"] {
            assert!(!is_plain_number(no), "{no}");
        }
    }
}
