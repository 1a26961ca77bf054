//! Reading one CSV file as people save them from Excel: UTF-8 with or without a BOM, or
//! Windows-1252; CRLF or LF; headers matched case-insensitively, ignoring surrounding spaces.
//!
//! Reading never stops at the first problem: every problem is pushed with its position and the
//! rows that can be read are kept, so `validate` can list everything in one run. What is worth
//! saying but not wrong (a column scorecard does not read, bytes read as Windows-1252) is
//! pushed onto a separate list of warnings, which the CLI prints.
//!
//! Text from the file that a message quotes (a header) is shown by [`shown`]: control
//! characters escaped and long text cut, so a message never carries raw bytes to a terminal.

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

/// The longest field read, in characters: three times what an Excel cell holds (32,767), room
/// for text pasted from elsewhere, while a field of megabytes (a file that is not a plan,
/// or a quote left open) is refused before the reports lay it out.
pub const MAX_FIELD_CHARS: usize = 100_000;

/// How much of a file's own text a message quotes, in characters.
const SHOWN_CHARS: usize = 40;

/// `text` as a message may quote it: control characters (NUL, escape, line breaks...) written
/// as `\u{1b}` escapes, and cut to [`SHOWN_CHARS`] characters with `…`.
pub(crate) fn shown(text: &str) -> String {
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i == SHOWN_CHARS {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether `bytes` look like UTF-16 text (Excel's "Unicode text"): a UTF-16 byte-order mark, or
/// a NUL beside every other byte of the first line.
fn is_utf16(bytes: &[u8]) -> bool {
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return true;
    }
    let head = &bytes[..bytes.len().min(64)];
    head.len() >= 4 && (head.iter().step_by(2).all(|&b| b == 0) || head.iter().skip(1).step_by(2).all(|&b| b == 0))
}

/// The line and column of the first byte that is not UTF-8, and whether the file holds UTF-8
/// text beyond ASCII elsewhere (then it is a UTF-8 file with a stray byte, not a Windows-1252
/// file).
fn first_bad_byte(bytes: &[u8]) -> (u64, usize, bool) {
    let valid = std::str::from_utf8(bytes).err().map(|e| e.valid_up_to()).unwrap_or(bytes.len());
    let before = &bytes[..valid];
    let line = memchr::memchr_iter(b'\n', before).count() as u64 + 1;
    let line_start = memchr::memrchr(b'\n', before).map(|i| i + 1).unwrap_or(0);
    let column = String::from_utf8_lossy(&before[line_start..]).chars().count() + 1;
    let utf8_elsewhere =
        before.iter().any(|&b| b >= 0x80) || bytes[valid..].utf8_chunks().any(|chunk| chunk.valid().bytes().any(|b| b >= 0x80));
    (line, column, utf8_elsewhere)
}

/// Reads `bytes` as the CSV file `file`, pushing every problem found onto `problems` and every
/// warning onto `warnings`. Returns `None` when the file cannot be used at all (empty, UTF-16,
/// or a required column missing).
pub(crate) fn read(file: &str, bytes: &[u8], columns: &Columns, problems: &mut Vec<Problem>, warnings: &mut Vec<Problem>) -> Option<Table> {
    if is_utf16(bytes) {
        problems.push(Problem::file(
            file,
            "this file is UTF-16 (Excel's \"Unicode text\"); save it as \"CSV UTF-8 (Comma delimited)\" instead",
        ));
        return None;
    }
    let mut text = decode_borrowed(bytes);
    if let std::borrow::Cow::Owned(_) = text {
        let unbom = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let (line, column, utf8_elsewhere) = first_bad_byte(unbom);
        let why = if utf8_elsewhere {
            "it is UTF-8 text with a byte that is not UTF-8, so the whole file was read as Windows-1252 and its other accented characters and symbols may now read wrongly"
        } else {
            "it was read as Windows-1252 (Excel's older \"CSV (Comma delimited)\")"
        };
        warnings.push(Problem {
            file: file.to_string(),
            line: Some(line),
            column: Some(column),
            column_name: None,
            message: format!("the file is not UTF-8 from here on: {why}; save it as \"CSV UTF-8 (Comma delimited)\" to be sure"),
            sheet: None,
        });
    }
    // The csv crate's line counter counts only LF: normalise Excel's CRLF, and a file whose
    // lines end in CR alone (old Mac Excel), so that every row gets its true line number.
    if text.contains("\r\n") {
        text = text.replace("\r\n", "\n").into();
    }
    if text.contains('\r') && !text.contains('\n') {
        text = text.replace('\r', "\n").into();
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
    let listed = || {
        let mut list: Vec<String> = found.iter().take(20).map(|h| shown(h)).collect();
        if found.len() > 20 {
            list.push(format!("… ({} columns in all)", found.len()));
        }
        list.join(", ")
    };
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
            let hint = did_you_mean(name, &found, &index)
                .map(|(i, h)| format!(" (did you mean `{}` in column {}?)", shown(h), i + 1))
                .unwrap_or_default();
            problems.push(Problem::at(file, 1, None, format!("missing the required column `{name}`{hint}; the header has: {}", listed())));
        }
    }
    for (i, h) in found.iter().enumerate() {
        if found[..i].contains(h) && !h.is_empty() && index.iter().any(|&(_, j)| found[j] == *h) {
            problems
                .push(Problem::at(file, 1, Some((i + 1, "")), format!("the column `{}` appears twice", shown(h))).without_column_name());
        }
    }
    for (i, h) in found.iter().enumerate() {
        if !h.is_empty() && !index.iter().any(|&(_, j)| j == i) && !found[..i].contains(h) {
            let known = columns.required.iter().chain(columns.optional).copied().collect::<Vec<_>>().join(", ");
            warnings.push(
                Problem::at(
                    file,
                    1,
                    Some((i + 1, "")),
                    format!("the column `{}` is not one scorecard reads, so it is ignored; this file's columns are {known}", shown(h)),
                )
                .without_column_name(),
            );
        }
    }
    if missing {
        return None;
    }
    let width = found.len();
    drop(records);
    let header_bytes: Vec<Vec<u8>> = found.iter().map(|h| h.as_bytes().to_vec()).collect();
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
                if r.iter().map(|f| f.trim_ascii().to_ascii_lowercase()).eq(header_bytes.iter().cloned()) {
                    problems.push(Problem::at(
                        file,
                        line,
                        None,
                        "this row repeats the header row; remove it (were two files pasted together?)",
                    ));
                    continue;
                }
                let mut bad = false;
                for (i, f) in r.iter().enumerate() {
                    let name = found[i].as_str();
                    if memchr::memchr(0, f).is_some() {
                        problems.push(Problem::at(file, line, Some((i + 1, name)), "holds a NUL character (byte 0); expected text"));
                        bad = true;
                    } else if f.len() > MAX_FIELD_CHARS {
                        let chars = std::str::from_utf8(f).map(|s| s.chars().count()).unwrap_or(f.len());
                        if chars > MAX_FIELD_CHARS {
                            problems.push(Problem::at(
                                file,
                                line,
                                Some((i + 1, name)),
                                format!("is {chars} characters long; a field may be at most {MAX_FIELD_CHARS} characters (an Excel cell holds 32,767): check for a quote left open"),
                            ));
                            bad = true;
                        }
                    }
                }
                if bad {
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
        let (t, p, _) = read_all(s);
        (t, p)
    }

    /// The table, the problems and the warnings.
    fn read_all(s: &[u8]) -> (Option<Table>, Vec<String>, Vec<String>) {
        let (mut problems, mut warnings) = (Vec::new(), Vec::new());
        let t = read("u.csv", s, &COLS, &mut problems, &mut warnings);
        (t, problems.iter().map(|p| p.to_string()).collect(), warnings.iter().map(|p| p.to_string()).collect())
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
