//! Reading one CSV file as people save them from Excel: UTF-8 with or without a BOM, or
//! Windows-1252; CRLF or LF; headers matched case-insensitively, ignoring surrounding spaces.
//!
//! Reading never stops at the first problem: every problem is pushed with its position and the
//! rows that can be read are kept, so `validate` can list everything in one run.

use crate::error::Problem;
use std::cell::Cell;

/// Which columns a file must and may have.
pub(crate) struct Columns {
    pub required: &'static [&'static str],
    pub optional: &'static [&'static str],
}

/// A CSV file's rows with their line numbers.
pub(crate) struct Table {
    pub file: String,
    /// The columns found, by name: a short list, searched faster than it could be hashed.
    index: Vec<(&'static str, usize)>,
    pub rows: Vec<Row>,
    /// Every row's fields, one after another: a big plan's tables are a few allocations, not
    /// one per field.
    text: String,
    /// Where each field ends in `text`; a row's fields are `width` consecutive entries.
    ends: Vec<u32>,
    width: usize,
    /// [`Table::column_index`]'s answers, by the name's address and length.
    memo: [Cell<Memo>; MEMO],
}

/// A remembered lookup: the name's (address, length), and the column found.
type Memo = ((usize, usize), Option<usize>);

const MEMO: usize = 16;

/// One data row.
pub(crate) struct Row {
    /// Line number of the row's first line (the header is line 1).
    pub line: u64,
    /// The index in `Table::ends` of the row's first field.
    first: usize,
}

/// A field with its position, ready to be parsed or blamed.
#[derive(Clone, Copy)]
pub(crate) struct Field<'a> {
    pub text: &'a str,
    pub line: u64,
    pub column: usize,
    pub name: &'static str,
}

impl Field<'_> {
    /// A problem pointing at this field.
    pub fn problem(&self, file: &str, message: impl Into<String>) -> Problem {
        Problem::at(file, self.line, Some((self.column, self.name)), message)
    }

    /// Whether the field is blank.
    pub fn is_blank(&self) -> bool {
        crate::model::values::trim(self.text).is_empty()
    }
}

impl Table {
    /// The field of `row` under `column`, if the file has that column.
    pub fn field<'a>(&'a self, row: &Row, column: &'static str) -> Option<Field<'a>> {
        let i = self.column_index(column)?;
        Some(Field { text: self.cell(row, i), line: row.line, column: i + 1, name: column })
    }

    /// Where `column` is. This runs for every field of every row, always with a literal for the
    /// name, so the answer is remembered by the literal's address and length: after its first
    /// row, a call site costs a compare instead of a search of the header.
    fn column_index(&self, column: &'static str) -> Option<usize> {
        let key = (column.as_ptr() as usize, column.len());
        let slot = &self.memo[(key.0 ^ key.0 >> 7 ^ key.1) % MEMO];
        let (k, i) = slot.get();
        if k == key {
            return i;
        }
        let i = self.index.iter().find(|(name, _)| *name == column).map(|&(_, i)| i);
        slot.set((key, i));
        i
    }

    /// The trimmed text under `column`, or "" when the column is absent.
    pub fn text<'a>(&'a self, row: &Row, column: &'static str) -> &'a str {
        self.field(row, column).map(|f| crate::model::values::trim(f.text)).unwrap_or("")
    }

    fn cell(&self, row: &Row, i: usize) -> &str {
        if i >= self.width {
            return "";
        }
        let at = row.first + i;
        let start = if at == 0 { 0 } else { self.ends[at - 1] as usize };
        &self.text[start..self.ends[at] as usize]
    }
}

/// Decodes a file's bytes: UTF-8 (a BOM is dropped), else Windows-1252 as Excel writes it.
pub(crate) fn decode(bytes: &[u8]) -> String {
    decode_borrowed(bytes).into_owned()
}

/// [`decode`], borrowing the bytes when they are UTF-8 already.
pub(crate) fn decode_borrowed(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.into(),
        Err(_) => bytes.iter().map(|&b| windows_1252(b)).collect::<String>().into(),
    }
}

fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž', '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•',
        '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}', 'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9f => HIGH[(b - 0x80) as usize],
        _ => b as char,
    }
}

/// Reads `bytes` as the CSV file `file`, pushing every problem found onto `problems`.
/// Returns `None` when the file cannot be used at all (empty, or a required column missing).
pub(crate) fn read(file: &str, bytes: &[u8], columns: &Columns, problems: &mut Vec<Problem>) -> Option<Table> {
    // The csv crate's line counter misses CRLF endings; Excel writes them, so normalise.
    let mut text = decode_borrowed(bytes);
    if text.contains("\r\n") {
        text = text.replace("\r\n", "\n").into();
    }
    if text.trim().is_empty() {
        problems.push(Problem::file(
            file,
            format!("the file is empty; expected a header row with the columns {}", columns.required.join(", ")),
        ));
        return None;
    }
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => {
            problems.push(Problem::at(file, 1, None, format!("cannot read the header row: {e}")));
            return None;
        }
        None => return None,
    };
    let found: Vec<String> = header.iter().map(|h| h.trim().to_ascii_lowercase()).collect();
    let mut index = Vec::new();
    for name in columns.required.iter().chain(columns.optional) {
        if let Some(i) = found.iter().position(|h| h == name) {
            index.push((*name, i));
        }
    }
    let mut missing = false;
    for name in columns.required {
        if !index.iter().any(|(n, _)| n == name) {
            missing = true;
            let hint =
                did_you_mean(name, &found, &index).map(|(i, h)| format!(" (did you mean `{h}` in column {}?)", i + 1)).unwrap_or_default();
            problems.push(Problem::at(
                file,
                1,
                None,
                format!("missing the required column `{name}`{hint}; the header has: {}", found.join(", ")),
            ));
        }
    }
    for (i, h) in found.iter().enumerate() {
        if found[..i].contains(h) && !h.is_empty() && index.iter().any(|&(_, j)| found[j] == *h) {
            problems.push(Problem::at(file, 1, Some((i + 1, "")), format!("the column `{h}` appears twice")).without_column_name());
        }
    }
    if missing {
        return None;
    }
    let width = found.len();
    drop(records);
    let lines = text.bytes().filter(|&b| b == b'\n').count();
    let mut table = Table {
        file: file.to_string(),
        index,
        rows: Vec::with_capacity(lines),
        text: String::new(),
        ends: Vec::with_capacity(lines * width),
        width,
        memo: std::array::from_fn(|_| Cell::new(((0, 0), None))),
    };
    // Fields as bytes: the whole text is UTF-8 already, so checking every record again (as a
    // `StringRecord` does) is wasted on a big plan; the fields are checked once, together, below.
    let mut fields: Vec<u8> = Vec::with_capacity(text.len());
    let blank = |f: &[u8]| f.trim_ascii().is_empty() || std::str::from_utf8(f).is_ok_and(|s| s.trim().is_empty());
    let mut r = csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut r) {
            Ok(false) => break,
            Ok(true) => {
                let line = r.position().map(|p| p.line()).unwrap_or(0);
                if r.iter().all(blank) {
                    continue;
                }
                if r.len() != width {
                    problems.push(Problem::at(
                        file,
                        line,
                        None,
                        format!("this row has {} fields but the header has {width}; check for a stray or missing comma or quote", r.len()),
                    ));
                    continue;
                }
                table.rows.push(Row { line, first: table.ends.len() });
                for f in r.iter() {
                    fields.extend_from_slice(f);
                    table.ends.push(fields.len() as u32);
                }
            }
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                problems.push(Problem::at(file, line, None, format!("cannot read this row: {e}")));
            }
        }
    }
    // The fields are pieces of UTF-8 text cut at ASCII commas, quotes and line breaks, so they
    // are UTF-8 too; this cannot fail, but if it did the file would be reported, not misread.
    match String::from_utf8(fields) {
        Ok(text) => table.text = text,
        Err(_) => {
            problems.push(Problem::file(file, "internal: the fields read are not UTF-8 text"));
            return None;
        }
    }
    Some(table)
}

/// The unused header closest to `name`, if one is close enough to be a typo.
fn did_you_mean<'a>(name: &str, found: &'a [String], used: &[(&str, usize)]) -> Option<(usize, &'a str)> {
    found
        .iter()
        .enumerate()
        .filter(|(i, _)| !used.iter().any(|(_, j)| j == i))
        .map(|(i, h)| (i, h.as_str(), strsim::damerau_levenshtein(name, h)))
        .filter(|(_, h, d)| *d <= 2.max(name.len() / 4) && !h.is_empty())
        .min_by_key(|(i, _, d)| (*d, *i))
        .map(|(i, h, _)| (i, h))
}

impl Problem {
    fn without_column_name(mut self) -> Problem {
        self.column_name = None;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLS: Columns = Columns { required: &["milestone", "period"], optional: &["value"] };

    fn read_str(s: &[u8]) -> (Option<Table>, Vec<String>) {
        let mut problems = Vec::new();
        let t = read("u.csv", s, &COLS, &mut problems);
        (t, problems.iter().map(|p| p.to_string()).collect())
    }

    #[test]
    fn bom_crlf_and_header_case_are_accepted() {
        let (t, p) = read_str(b"\xEF\xBB\xBF Milestone ,PERIOD,Value,extra\r\n1.1,2013-12,5,x\r\n");
        assert!(p.is_empty(), "{p:?}");
        let t = t.unwrap();
        assert_eq!(t.rows.len(), 1);
        assert_eq!(t.text(&t.rows[0], "value"), "5");
        assert_eq!(t.rows[0].line, 2);
    }

    #[test]
    fn missing_column_suggests_near_miss() {
        let (t, p) = read_str(b"milestone,perod\n1.1,2013-12\n");
        assert!(t.is_none());
        assert_eq!(
            p,
            vec!["u.csv:1: missing the required column `period` (did you mean `perod` in column 2?); the header has: milestone, perod"]
        );
    }

    #[test]
    fn ragged_rows_and_empty_files() {
        let (_, p) = read_str(b"milestone,period\n1.1,2013-12\n1.2\n");
        assert_eq!(p, vec!["u.csv:3: this row has 1 fields but the header has 2; check for a stray or missing comma or quote"]);
        let (_, p) = read_str(b"");
        assert!(p[0].starts_with("u.csv: the file is empty"));
    }

    #[test]
    fn windows_1252_is_decoded() {
        assert_eq!(decode(b"\xa3100 \x93quoted\x94"), "£100 “quoted”");
    }
}
