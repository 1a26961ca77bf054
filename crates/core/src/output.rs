//! Writing ratings as CSV, JSON or Parquet, byte for byte the same for the same ratings.
//!
//! Columns, in order: `plan, period, kind, item, priority, title, status, computed_status,
//! disagrees, reason, value, target, amber_threshold, polarity, rated_period, dot,
//! dot_judgement`, then `vs_<label>, gap_<label>` for each benchmark label in sorted order.

use crate::error::Result;
use crate::period::{Period, YearType};
use crate::rate::{Rating, RatingRef, Ratings, RowReader, RowScratch};
use polars::prelude::*;
use serde_json::{Map, Value as Json};
use std::collections::HashMap;

/// An output format for ratings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Comma-separated values with a header row.
    Csv,
    /// A JSON object `{"ratings": [...]}`, one object per row.
    Json,
    /// Apache Parquet.
    Parquet,
}

impl Format {
    /// Parses `csv`, `json` or `parquet`.
    pub fn parse(text: &str) -> Option<Format> {
        match text.to_ascii_lowercase().as_str() {
            "csv" => Some(Format::Csv),
            "json" => Some(Format::Json),
            "parquet" | "pq" => Some(Format::Parquet),
            _ => None,
        }
    }

    /// Guesses the format from a file name's extension.
    pub fn from_path(path: &std::path::Path) -> Option<Format> {
        path.extension().and_then(|e| e.to_str()).and_then(Format::parse)
    }
}

/// The fixed columns, before the benchmark columns.
pub const FIXED_COLUMNS: [&str; 17] = [
    "plan",
    "period",
    "kind",
    "item",
    "priority",
    "title",
    "status",
    "computed_status",
    "disagrees",
    "reason",
    "value",
    "target",
    "amber_threshold",
    "polarity",
    "rated_period",
    "dot",
    "dot_judgement",
];

/// Every column name of a ratings table with these benchmark labels.
pub fn column_names(labels: &[String]) -> Vec<String> {
    let mut names: Vec<String> = FIXED_COLUMNS.iter().map(|s| s.to_string()).collect();
    for l in labels {
        names.push(format!("vs_{l}"));
        names.push(format!("gap_{l}"));
    }
    names
}

/// A cell of the ratings table.
#[derive(Debug, Clone, Copy)]
enum Cell<'a> {
    Text(&'a str),
    /// One of the engine's own words (a status, kind, polarity or direction): never quoted.
    Word(&'static str),
    /// A period, written by its canonical label.
    Period(Period),
    Number(Option<f64>),
    Flag(bool),
}

/// A row's cells in column order, borrowed (no allocation).
fn cells<'a>(r: RatingRef<'a>) -> impl Iterator<Item = Cell<'a>> {
    fixed_cells(r).into_iter().chain(r.benchmarks.iter().flat_map(benchmark_cells))
}

/// The cells of one benchmark label: `vs_<label>`, `gap_<label>`.
fn benchmark_cells<'a>(c: &crate::rate::Comparison) -> [Cell<'a>; 2] {
    [Cell::Word(c.versus.map(|v| v.name()).unwrap_or("")), Cell::Number(c.gap)]
}

/// The cells before the benchmarks' ([`cells`] is these, then [`benchmark_cells`] per label).
fn fixed_cells(r: RatingRef<'_>) -> [Cell<'_>; 17] {
    let status = |s: Option<crate::values::Status>| Cell::Word(s.map(|s| s.name()).unwrap_or(""));
    [
        Cell::Text(r.plan),
        Cell::Period(r.period),
        Cell::Word(r.kind.name()),
        Cell::Text(r.item),
        Cell::Text(r.priority),
        Cell::Text(r.title),
        status(r.status),
        status(r.computed_status),
        Cell::Flag(r.disagrees),
        Cell::Text(r.reason),
        Cell::Number(r.value),
        Cell::Number(r.target),
        Cell::Number(r.amber_threshold),
        Cell::Word(r.polarity.name()),
        Cell::Period(r.rated_period),
        Cell::Word(r.dot.name()),
        Cell::Word(r.dot_judgement.name()),
    ]
}

/// Calls `f` with a row's cells in column order: [`cells`]' cells, without a list of them to
/// move through, for the writers that handle every cell of every row (JSON and Parquet).
#[inline(always)]
fn each_cell<'a>(r: RatingRef<'a>, mut f: impl FnMut(Cell<'a>)) {
    let status = |s: Option<crate::values::Status>| Cell::Word(s.map(|s| s.name()).unwrap_or(""));
    f(Cell::Text(r.plan));
    f(Cell::Period(r.period));
    f(Cell::Word(r.kind.name()));
    f(Cell::Text(r.item));
    f(Cell::Text(r.priority));
    f(Cell::Text(r.title));
    f(status(r.status));
    f(status(r.computed_status));
    f(Cell::Flag(r.disagrees));
    f(Cell::Text(r.reason));
    f(Cell::Number(r.value));
    f(Cell::Number(r.target));
    f(Cell::Number(r.amber_threshold));
    f(Cell::Word(r.polarity.name()));
    f(Cell::Period(r.rated_period));
    f(Cell::Word(r.dot.name()));
    f(Cell::Word(r.dot_judgement.name()));
    for c in r.benchmarks {
        f(Cell::Word(c.versus.map(|v| v.name()).unwrap_or("")));
        f(Cell::Number(c.gap));
    }
}

/// A number in output: at most 6 decimals, no trailing zeros, no `-0`; numbers too large or too
/// small for that (1e15 and above, or below 1e-6) in shortest scientific form, such as `2e-300`.
pub fn format_number(x: f64) -> String {
    if x != 0.0 && (x.abs() >= 1e15 || x.abs() < 1e-6) {
        return format!("{x:e}");
    }
    let r = crate::rate::round_output(x);
    let s = format!("{r:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// [`format_number`] appended to `out`, without allocating: the same bytes, for writers of
/// many rows. Numbers below 2^32 in size are written from their integer count of millionths;
/// the rest go through [`format_number`].
pub fn write_number(x: f64, out: &mut String) {
    let Some(millionths) = millionths(x) else {
        out.push_str(&format_number(x));
        return;
    };
    if millionths < 0 {
        out.push('-');
    }
    let m = millionths.unsigned_abs();
    // Digits written by hand: this runs for several numbers of every row.
    let mut int = [0u8; 20];
    let mut at = int.len();
    let mut whole = m / 1_000_000;
    loop {
        at -= 1;
        int[at] = (whole % 10) as u8;
        whole /= 10;
        if whole == 0 {
            break;
        }
    }
    for &d in &int[at..] {
        out.push(char::from(b'0' + d));
    }
    let mut fraction = (m % 1_000_000) as u32;
    if fraction != 0 {
        out.push('.');
        let mut scale = 100_000;
        while fraction != 0 {
            out.push(char::from(b'0' + (fraction / scale) as u8));
            fraction %= scale;
            scale /= 10;
        }
    }
}

/// The number of millionths [`write_number`] writes `x` from; `None` for the numbers it
/// leaves to [`format_number`] (not finite, scientific form, or 2^32 and above).
///
/// `round_output` keeps this many millionths; below 2^32 a double is exact to well under half
/// a millionth, so `{:.6}` of the rounded double prints exactly these digits.
fn millionths(x: f64) -> Option<i64> {
    if !x.is_finite() || (x != 0.0 && x.abs() < 1e-6) || x.abs() >= 4_294_967_296.0 {
        return None;
    }
    Some((x * 1e6).round() as i64)
}

/// How many decimals [`write_number`] writes for `x` (0 to 6); `None` for the numbers it
/// writes in scientific form or through [`format_number`].
pub fn decimals_written(x: f64) -> Option<usize> {
    let mut fraction = millionths(x)?.unsigned_abs() % 1_000_000;
    if fraction == 0 {
        return Some(0);
    }
    let mut places = 6;
    while fraction % 10 == 0 {
        fraction /= 10;
        places -= 1;
    }
    Some(places)
}

/// Appends one rating's CSV line to `out`, with no allocation once `scratch` has seen the
/// row's periods: the line [`write_csv`] writes for it.
pub fn write_csv_record(r: RatingRef<'_>, out: &mut Vec<u8>, scratch: &mut CsvScratch) {
    // The two arrays of cells in turn, not `cells`' chained iterator: this runs for every row.
    write_csv_cells(&fixed_cells(r), out, scratch);
    end_csv_record(r, out, scratch);
}

/// [`write_csv_record`] for a row of item `key`, taking the item's own cells (kind, item,
/// priority, title: the same on every row of the item) from `items` once they have been
/// written. Same bytes; a batch writes each item's title once per chunk instead of once per
/// period.
pub fn write_csv_record_cached(r: RatingRef<'_>, key: usize, items: &mut ItemCells, out: &mut Vec<u8>, scratch: &mut CsvScratch) {
    let cells = fixed_cells(r);
    write_csv_cells(&cells[..ITEM_CELLS.start], out, scratch);
    out.extend_from_slice(items.get(key, &cells[ITEM_CELLS], scratch));
    write_csv_cells(&cells[ITEM_CELLS.end..], out, scratch);
    end_csv_record(r, out, scratch);
}

/// `cells`, each followed by a comma.
fn write_csv_cells(cells: &[Cell<'_>], out: &mut Vec<u8>, scratch: &mut CsvScratch) {
    for c in cells {
        write_csv_cell(*c, out, scratch);
        out.push(b',');
    }
}

/// The benchmarks' cells, then the line's end.
fn end_csv_record(r: RatingRef<'_>, out: &mut Vec<u8>, scratch: &mut CsvScratch) {
    for b in r.benchmarks {
        write_csv_cells(&benchmark_cells(b), out, scratch);
    }
    // Every row has cells, so there is a last comma to turn into the line's end.
    if let Some(last) = out.last_mut() {
        *last = b'\n';
    }
}

/// Where the item's own cells are among [`fixed_cells`].
const ITEM_CELLS: std::ops::Range<usize> = 2..6;

/// The CSV text of each item's own cells (with their commas), by item key: see
/// [`write_csv_record_cached`]. Keys belong to one [`RowReader`](crate::rate::RowReader), so
/// [`ItemCells::clear`] it for the next.
#[derive(Debug, Default)]
pub struct ItemCells {
    spans: Vec<(u32, u32)>,
    text: Vec<u8>,
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
            Cell::Text(t) => push_csv_field(out, t),
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

/// Buffers [`write_csv_record`] reuses: a number's digits, and period labels already written.
#[derive(Debug, Default)]
pub struct CsvScratch {
    number: String,
    labels: PeriodLabels,
}

impl CsvScratch {
    fn period(&mut self, p: Period) -> &str {
        self.labels.get(p)
    }
}

/// Period labels already written, so that writing many rows formats each period once.
#[derive(Debug, Default)]
pub struct PeriodLabels(HashMap<u64, String, std::hash::BuildHasherDefault<IntHasher>>);

impl PeriodLabels {
    /// The canonical label of `p` (its `Display`).
    pub fn get(&mut self, p: Period) -> &str {
        let year_type = match p.year_type {
            YearType::Financial => 0,
            YearType::Academic => 1,
            YearType::Calendar => 2,
        };
        let key = (p.start as u32 as u64) << 8 | (p.months() as u64) << 2 | year_type;
        self.0.entry(key).or_insert_with(|| p.to_string())
    }
}

/// A hasher for integer keys: one multiplication, high bits folded down.
#[derive(Debug, Default)]
pub struct IntHasher(u64);

impl std::hash::Hasher for IntHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(b as u64);
        }
    }

    fn write_u64(&mut self, n: u64) {
        let h = (self.0 ^ n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        self.0 = h ^ (h >> 29);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Writes ratings in `format`.
pub fn write(ratings: &Ratings, format: Format, out: &mut dyn std::io::Write) -> Result<()> {
    match format {
        Format::Csv => write_csv(ratings, out),
        Format::Json => write_json(ratings, out),
        Format::Parquet => write_parquet(ratings, out),
    }
}

fn io(e: std::io::Error) -> crate::error::Error {
    crate::error::Error::Io { path: "<output>".into(), source: e }
}

/// Writes CSV: a header row, then one row per rating.
pub fn write_csv(ratings: &Ratings, out: &mut dyn std::io::Write) -> Result<()> {
    let (mut line, mut scratch) = (csv_header(&ratings.labels), CsvScratch::default());
    for r in &ratings.rows {
        write_csv_record(r.view(), &mut line, &mut scratch);
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
    let mut line = Vec::new();
    for (i, name) in column_names(labels).iter().enumerate() {
        if i > 0 {
            line.push(b',');
        }
        push_csv_field(&mut line, name);
    }
    line.push(b'\n');
    line
}

/// One rating's CSV fields, as [`write_csv`] writes them, into `record` (cleared first).
pub fn csv_record(r: &Rating, record: &mut csv::StringRecord) {
    record.clear();
    for c in cells(r.view()) {
        match c {
            Cell::Text(t) | Cell::Word(t) => record.push_field(t),
            Cell::Period(p) => record.push_field(&p.to_string()),
            Cell::Number(n) => record.push_field(&n.map(format_number).unwrap_or_default()),
            Cell::Flag(b) => record.push_field(if b { "true" } else { "false" }),
        }
    }
}

/// One rating as a JSON object with the CSV's columns.
pub fn rating_json(r: &Rating, names: &[String]) -> Json {
    rating_ref_json(r.view(), names)
}

/// [`rating_json`] of a borrowed rating.
pub fn rating_ref_json(r: RatingRef<'_>, names: &[String]) -> Json {
    let mut obj = Map::new();
    for (name, c) in names.iter().zip(cells(r)) {
        let v = match c {
            Cell::Text(t) | Cell::Word(t) if t.is_empty() && name != "reason" && name != "title" && name != "priority" => Json::Null,
            Cell::Text(t) | Cell::Word(t) => Json::String(t.to_string()),
            Cell::Period(p) => Json::String(p.to_string()),
            Cell::Number(n) => {
                n.map(crate::rate::round_output).and_then(serde_json::Number::from_f64).map(Json::Number).unwrap_or(Json::Null)
            }
            Cell::Flag(b) => Json::Bool(b),
        };
        obj.insert(name.clone(), v);
    }
    Json::Object(obj)
}

/// Writes JSON: `{"columns": [...], "ratings": [{...}, ...]}`, one rating per line.
pub fn write_json(ratings: &Ratings, out: &mut dyn std::io::Write) -> Result<()> {
    let mut rows = JsonRows::start(&ratings.labels, out)?;
    rows.write(ratings.rows.as_slice(), ratings.rows.len(), out)?;
    rows.finish(out)
}

/// Rows that can be viewed as ratings from several threads at once: a table's, or a rated
/// chunk's.
pub trait RowSource: Sync {
    /// Row `r`, with `scratch` for whatever the view computes.
    fn row<'s>(&'s self, r: usize, scratch: &'s mut RowScratch) -> Result<RatingRef<'s>>;
}

impl RowSource for [Rating] {
    fn row<'s>(&'s self, r: usize, _: &'s mut RowScratch) -> Result<RatingRef<'s>> {
        Ok(self[r].view())
    }
}

impl RowSource for RowReader<'_> {
    fn row<'s>(&'s self, r: usize, scratch: &'s mut RowScratch) -> Result<RatingRef<'s>> {
        self.view(r, scratch)
    }
}

/// Writes ratings as [`rating_ref_json`]'s objects, serialised compactly, straight into a byte
/// buffer: the keys escaped once, no map or string per row. [`write_json`] and the batch JSON
/// sink both write their rows with it, so the two cannot drift apart.
#[derive(Debug, Clone)]
pub struct JsonRecords {
    /// Every column's `"name":`, after a `,` for every column but the first, one after another.
    keys: Vec<u8>,
    /// Per column: where its key ends in `keys`, and whether an empty text is written as
    /// `null` (all but reason, title and priority).
    columns: Vec<(usize, bool)>,
    /// The names, when two columns share one: the object then has one key for the two (the
    /// first's place, the last's value), which [`rating_ref_json`]'s map gives.
    shared_names: Option<Vec<String>>,
}

impl JsonRecords {
    /// A writer of objects with these column names (see [`column_names`]).
    pub fn new(names: &[String]) -> JsonRecords {
        let mut keys = Vec::new();
        let mut columns = Vec::with_capacity(names.len());
        for (i, name) in names.iter().enumerate() {
            if i > 0 {
                keys.push(b',');
            }
            push_json_str(&mut keys, name);
            keys.push(b':');
            columns.push((keys.len(), !matches!(name.as_str(), "reason" | "title" | "priority")));
        }
        let distinct: std::collections::HashSet<&String> = names.iter().collect();
        let shared_names = (distinct.len() != names.len()).then(|| names.to_vec());
        JsonRecords { keys, columns, shared_names }
    }

    /// Appends one rating's object (no line break) to `out`: the bytes of
    /// `serde_json::to_string(&rating_ref_json(r, names))`.
    pub fn write(&self, r: RatingRef<'_>, out: &mut Vec<u8>, periods: &mut PeriodLabels) {
        if let Some(names) = &self.shared_names {
            // Cannot fail: the value is plain JSON and the writer a Vec.
            let _ = serde_json::to_writer(&mut *out, &rating_ref_json(r, names));
            return;
        }
        out.push(b'{');
        let (mut i, mut key_start) = (0, 0);
        each_cell(r, |c| {
            // As `zip` in `rating_ref_json`: cells beyond the names are left out.
            let Some(&(key_end, empty_is_null)) = self.columns.get(i) else { return };
            out.extend_from_slice(&self.keys[key_start..key_end]);
            (i, key_start) = (i + 1, key_end);
            match c {
                Cell::Text(t) | Cell::Word(t) if t.is_empty() && empty_is_null => out.extend_from_slice(b"null"),
                Cell::Text(t) => push_json_str(out, t),
                // Engine words and period labels (digits, `-`, `/`, `.`, `Q`, spaces) need no
                // escaping.
                Cell::Word(w) => push_json_plain(out, w),
                Cell::Period(p) => push_json_plain(out, periods.get(p)),
                Cell::Number(n) => match n.map(crate::rate::round_output).filter(|x| x.is_finite()) {
                    // serde_json's own float form, as a `Number::from_f64` serialises.
                    Some(x) => {
                        let _ = serde_json::to_writer(&mut *out, &x);
                    }
                    None => out.extend_from_slice(b"null"),
                },
                Cell::Flag(b) => out.extend_from_slice(if b { b"true" } else { b"false" }),
            }
        });
        out.push(b'}');
    }
}

/// Appends `s` as a JSON string, escaped as serde_json escapes it (quotes, backslashes and
/// control characters; nothing else).
fn push_json_str(out: &mut Vec<u8>, s: &str) {
    if needs_json_escape(s.as_bytes()) {
        // Cannot fail: the writer is a Vec.
        let _ = serde_json::to_writer(&mut *out, s);
    } else {
        push_json_plain(out, s);
    }
}

/// Appends `s` in quotes, as it is: for text known to need no escaping.
#[inline]
fn push_json_plain(out: &mut Vec<u8>, s: &str) {
    debug_assert!(!needs_json_escape(s.as_bytes()), "{s:?}");
    out.reserve(s.len() + 2);
    out.push(b'"');
    out.extend_from_slice(s.as_bytes());
    out.push(b'"');
}

/// Whether a JSON string of these bytes has any escape: a quote, a backslash or a control
/// character. Checked 16 bytes at a time without branching, which vectorises.
#[inline]
fn needs_json_escape(bytes: &[u8]) -> bool {
    let special = |b: u8| (b < 0x20) | (b == b'"') | (b == b'\\');
    let mut blocks = bytes.chunks_exact(16);
    for block in &mut blocks {
        if block.iter().fold(false, |hit, &b| hit | special(b)) {
            return true;
        }
    }
    blocks.remainder().iter().fold(false, |hit, &b| hit | special(b))
}

/// Rows formatted at a time by one thread: bounds the text held before it is written.
const JSON_ROWS_PER_PIECE: usize = 8_192;

/// The body of a JSON output, `{"columns":[...],"ratings":[` then one rating per line, its
/// rows formatted on every core while this thread writes: what [`write_json`] and the batch
/// JSON sink write.
pub struct JsonRows {
    records: JsonRecords,
    /// Whether no row is written yet (the first has no `,` before it).
    first: bool,
    /// One per thread, reused from call to call.
    parts: Vec<JsonPart>,
    /// Buffers written and free for the next pieces.
    free: std::sync::Mutex<Vec<Vec<u8>>>,
}

/// What one thread needs to format rows.
#[derive(Default)]
struct JsonPart {
    row: RowScratch,
    periods: PeriodLabels,
}

impl JsonRows {
    /// Writes the opening, with the column names for these benchmark labels.
    pub fn start(labels: &[String], out: &mut dyn std::io::Write) -> Result<JsonRows> {
        JsonRows::start_on(labels, out, threads())
    }

    /// [`JsonRows::start`], formatting on `threads` threads.
    fn start_on(labels: &[String], out: &mut dyn std::io::Write, threads: usize) -> Result<JsonRows> {
        let names = column_names(labels);
        let header = serde_json::to_string(&names).map_err(|e| io(e.into()))?;
        write!(out, "{{\"columns\":{header},\"ratings\":[").map_err(io)?;
        Ok(JsonRows {
            records: JsonRecords::new(&names),
            first: true,
            parts: (0..threads.max(1)).map(|_| JsonPart::default()).collect(),
            free: Default::default(),
        })
    }

    /// Writes rows `0..n` of `rows`, each on a line of its own after a `,` (the first after
    /// the opening alone).
    pub fn write<S: RowSource + ?Sized>(&mut self, rows: &S, n: usize, out: &mut dyn std::io::Write) -> Result<()> {
        let (records, free, first) = (&self.records, &self.free, &mut self.first);
        let pieces = n.div_ceil(JSON_ROWS_PER_PIECE);
        in_order(
            pieces,
            &mut self.parts,
            |i, part| {
                let mut lines = free.lock().ok().and_then(|mut f| f.pop()).unwrap_or_default();
                lines.clear();
                for r in i * JSON_ROWS_PER_PIECE..((i + 1) * JSON_ROWS_PER_PIECE).min(n) {
                    lines.extend_from_slice(b",\n");
                    records.write(rows.row(r, &mut part.row)?, &mut lines, &mut part.periods);
                }
                Ok(lines)
            },
            |lines| {
                let mut text = lines.as_slice();
                if *first && !text.is_empty() {
                    text = &text[1..];
                    *first = false;
                }
                out.write_all(text).map_err(io)?;
                if let Ok(mut f) = free.lock() {
                    f.push(lines);
                }
                Ok(())
            },
        )
    }

    /// Writes the closing.
    pub fn finish(self, out: &mut dyn std::io::Write) -> Result<()> {
        writeln!(out, "\n]}}").map_err(io)?;
        out.flush().map_err(io)?;
        Ok(())
    }
}

/// The threads to format on: the machine's cores.
pub(crate) fn threads() -> usize {
    std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).max(1)
}

/// Makes items `0..n` with `make` on as many threads as there are `states` (each thread with
/// its own), and hands them to `take` on this thread in order: `take` writes item `i` while
/// later items are being made. At most one item per thread, and one more, is made ahead of
/// the one `take` waits for. What each item holds depends on `i` alone, never on which thread
/// made it. Stops at the first error.
pub(crate) fn in_order<S: Send, T: Send>(
    n: usize,
    states: &mut [S],
    make: impl Fn(usize, &mut S) -> Result<T> + Sync,
    mut take: impl FnMut(T) -> Result<()>,
) -> Result<()> {
    use std::sync::{Condvar, Mutex};
    let threads = states.len().min(n);
    if threads <= 1 {
        let Some(state) = states.first_mut() else { return Ok(()) };
        for i in 0..n {
            take(make(i, state)?)?;
        }
        return Ok(());
    }
    struct Progress {
        /// The next item to start.
        next: usize,
        /// Items taken so far.
        taken: usize,
        stop: bool,
    }
    let progress = Mutex::new(Progress { next: 0, taken: 0, stop: false });
    let moved = Condvar::new();
    let lead = threads + 1;
    let (tx, rx) = std::sync::mpsc::channel::<(usize, Result<T>)>();
    let (make, progress, moved) = (&make, &progress, &moved);
    std::thread::scope(|scope| {
        for state in &mut states[..threads] {
            let tx = tx.clone();
            scope.spawn(move || loop {
                let i = {
                    let Ok(mut p) = progress.lock() else { return };
                    while !p.stop && p.next < n && p.next >= p.taken + lead {
                        p = match moved.wait(p) {
                            Ok(p) => p,
                            Err(_) => return,
                        };
                    }
                    if p.stop || p.next >= n {
                        return;
                    }
                    p.next += 1;
                    p.next - 1
                };
                // A panic becomes an error, so that the items after it are not waited for.
                let item = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| make(i, &mut *state)))
                    .unwrap_or_else(|_| Err(crate::error::Error::Usage("internal: a formatting thread panicked".into())));
                let failed = item.is_err();
                if tx.send((i, item)).is_err() || failed {
                    return;
                }
            });
        }
        drop(tx);
        let mut pending = std::collections::BTreeMap::new();
        let mut taken = 0;
        let mut result = Ok(());
        while taken < n {
            let Ok((i, item)) = rx.recv() else {
                result = Err(crate::error::Error::Usage("internal: a formatting thread stopped".into()));
                break;
            };
            pending.insert(i, item);
            while let Some(item) = pending.remove(&taken) {
                taken += 1;
                result = item.and_then(&mut take);
                if result.is_err() {
                    break;
                }
                if let Ok(mut p) = progress.lock() {
                    p.taken = taken;
                }
                moved.notify_all();
            }
            if result.is_err() {
                break;
            }
        }
        if let Ok(mut p) = progress.lock() {
            p.stop = true;
        }
        moved.notify_all();
        drop(rx);
        result
    })
}

/// The ratings as a polars DataFrame with the output's columns and types.
pub fn to_dataframe(ratings: &Ratings) -> Result<DataFrame> {
    let mut frame = FrameBuilder::new(&ratings.labels, ratings.rows.len());
    for r in &ratings.rows {
        frame.push(r.view());
    }
    frame.finish()
}

/// Builds [`to_dataframe`]'s frame one row at a time, from borrowed ratings: text and numbers
/// straight into polars' column builders, with no `String` per cell.
pub struct FrameBuilder {
    names: Vec<String>,
    /// Per column: 0 text, 1 number, 2 flag; and its index among columns of that kind.
    kinds: Vec<(u8, usize)>,
    texts: Vec<StringChunkedBuilder>,
    /// The builder `Column::new` uses for a `Vec<Option<f64>>`, so the same array.
    numbers: Vec<PrimitiveChunkedBuilder<Float64Type>>,
    flags: Vec<Vec<bool>>,
    periods: PeriodLabels,
    rows: usize,
}

impl FrameBuilder {
    /// A builder for `capacity` rows with these benchmark labels.
    pub fn new(labels: &[String], capacity: usize) -> FrameBuilder {
        let names = column_names(labels);
        let mut counts = [0usize; 3];
        let (mut texts, mut numbers) = (Vec::new(), Vec::new());
        let kinds: Vec<(u8, usize)> = names
            .iter()
            .map(|name| {
                let k = match name.as_str() {
                    "disagrees" => 2,
                    "value" | "target" | "amber_threshold" => 1,
                    s if s.starts_with("gap_") => 1,
                    _ => 0,
                };
                match k {
                    0 => texts.push(StringChunkedBuilder::new(name.as_str().into(), capacity)),
                    1 => numbers.push(PrimitiveChunkedBuilder::new(name.as_str().into(), capacity)),
                    _ => {}
                }
                counts[k as usize] += 1;
                (k, counts[k as usize] - 1)
            })
            .collect();
        FrameBuilder {
            names,
            kinds,
            texts,
            numbers,
            flags: (0..counts[2]).map(|_| Vec::with_capacity(capacity)).collect(),
            periods: PeriodLabels::default(),
            rows: 0,
        }
    }

    /// Adds a row.
    pub fn push(&mut self, r: RatingRef<'_>) {
        let mut i = 0;
        each_cell(r, |c| {
            // Cells beyond the columns are left out, as `zip` would.
            let Some(&(_, slot)) = self.kinds.get(i) else { return };
            i += 1;
            match c {
                Cell::Text(t) | Cell::Word(t) => self.texts[slot].append_value(t),
                Cell::Period(p) => self.texts[slot].append_value(self.periods.get(p)),
                Cell::Number(v) => self.numbers[slot].append_option(v.map(crate::rate::round_output)),
                Cell::Flag(b) => self.flags[slot].push(b),
            }
        });
        self.rows += 1;
    }

    /// The frame.
    pub fn finish(self) -> Result<DataFrame> {
        let (mut ti, mut ni, mut fi) = (self.texts.into_iter(), self.numbers.into_iter(), self.flags.into_iter());
        let mut columns = Vec::with_capacity(self.names.len());
        for (name, (k, _)) in self.names.iter().zip(&self.kinds) {
            let name: PlSmallStr = name.as_str().into();
            // `Column::new` of the Series, as for a Vec: a series column even of one row.
            columns.push(match k {
                0 => match ti.next() {
                    Some(text) => Column::new(name, &text.finish().into_series()),
                    None => Column::new(name, Vec::<String>::new()),
                },
                1 => match ni.next() {
                    Some(number) => Column::new(name, &number.finish().into_series()),
                    None => Column::new(name, Vec::<Option<f64>>::new()),
                },
                _ => Column::new(name, fi.next().unwrap_or_default()),
            });
        }
        Ok(DataFrame::new(self.rows, columns)?)
    }
}

/// Writes Parquet (zstd, one thread-independent file layout).
pub fn write_parquet(ratings: &Ratings, out: &mut dyn std::io::Write) -> Result<()> {
    let mut df = to_dataframe(ratings)?;
    let mut buffer = Vec::new();
    ParquetWriter::new(&mut buffer).set_parallel(false).finish(&mut df)?;
    out.write_all(&buffer).map_err(io)?;
    Ok(())
}

/// Writes ratings in `format` with their [`Provenance`](crate::provenance::Provenance): a
/// leading `"provenance"` key in JSON, key-value metadata in Parquet; CSV stays plain.
pub fn write_with_provenance(
    ratings: &Ratings,
    format: Format,
    provenance: &crate::provenance::Provenance,
    out: &mut dyn std::io::Write,
) -> Result<()> {
    match format {
        Format::Csv => write_csv(ratings, out),
        Format::Json => write_json_with_provenance(ratings, provenance, out),
        Format::Parquet => write_parquet_with_provenance(ratings, provenance, out),
    }
}

/// Writes [`write_json`]'s object with `"provenance": {...}` as its first key, on a line of
/// its own.
pub fn write_json_with_provenance(
    ratings: &Ratings,
    provenance: &crate::provenance::Provenance,
    out: &mut dyn std::io::Write,
) -> Result<()> {
    let mut body = Vec::new();
    write_json(ratings, &mut body)?;
    let rest = body.strip_prefix(b"{").ok_or_else(|| io(std::io::Error::other("the JSON writer did not open an object")))?;
    writeln!(out, "{{\"provenance\":{},", provenance.to_json()).map_err(io)?;
    out.write_all(rest).map_err(io)?;
    Ok(())
}

/// Writes [`write_parquet`]'s file with the provenance in its key-value metadata under
/// [`PARQUET_KEY`](crate::provenance::PARQUET_KEY).
pub fn write_parquet_with_provenance(
    ratings: &Ratings,
    provenance: &crate::provenance::Provenance,
    out: &mut dyn std::io::Write,
) -> Result<()> {
    let mut df = to_dataframe(ratings)?;
    let mut buffer = Vec::new();
    ParquetWriter::new(&mut buffer)
        .set_parallel(false)
        .with_key_value_metadata(Some(KeyValueMetadata::from_static(provenance.key_value())))
        .finish(&mut df)?;
    out.write_all(&buffer).map_err(io)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::period::Frequency;
    use crate::rate::{Comparison, Dot, DotJudgement, Kind, Versus};
    use crate::values::{Polarity, Status};

    /// Ratings with every kind of awkward cell: text needing escapes, empty text, numbers
    /// rounding to 0, beyond 2^32, not finite, and benchmarks with and without values.
    fn ratings(rows: usize) -> Ratings {
        let texts = [
            "",
            "plain",
            "a \"quoted\" word",
            "back\\slash",
            "tab\there",
            "line\nbreak",
            "nul\u{0}\u{1f}",
            "del\u{7f}",
            "é ü 中文 🎉",
            "exactly sixteen!",
            "sixteen+\"quote\"+more text here",
        ];
        let numbers = [
            None,
            Some(0.0),
            Some(-0.0),
            Some(1.0),
            Some(-2.5),
            Some(1e-7),
            Some(-4e-7),
            Some(0.1 + 0.2),
            Some(123456.1234567),
            Some(4294967296.5),
            Some(1e15),
            Some(2e-300),
            Some(f64::NAN),
            Some(f64::INFINITY),
            Some(f64::NEG_INFINITY),
        ];
        let statuses = [None, Some(Status::Green), Some(Status::Amber), Some(Status::Red), Some(Status::Blue)];
        let versus = [None, Some(Versus::Better), Some(Versus::Similar), Some(Versus::Worse), Some(Versus::Higher), Some(Versus::Lower)];
        let periods = [
            Period::from_start(2013 * 12 + 3, Frequency::Quarterly, YearType::Financial),
            Period::from_start(2013 * 12 + 11, Frequency::Monthly, YearType::Financial),
            Period::from_start(2023 * 12 + 8, Frequency::Annual, YearType::Academic),
            Period::from_start(2024 * 12, Frequency::Quarterly, YearType::Calendar),
        ];
        let pick = |i: usize, salt: usize, n: usize| (i.wrapping_mul(2654435761) ^ salt.wrapping_mul(40503)) % n;
        let rows = (0..rows)
            .map(|i| Rating {
                plan: format!("plan-{}", i % 3),
                period: periods[pick(i, 1, periods.len())],
                kind: if i % 2 == 0 { Kind::Milestone } else { Kind::Measure },
                item: texts[pick(i, 2, texts.len())].to_string(),
                priority: texts[pick(i, 3, texts.len())].to_string(),
                title: texts[pick(i, 4, texts.len())].to_string(),
                status: statuses[pick(i, 5, statuses.len())],
                computed_status: statuses[pick(i, 6, statuses.len())],
                disagrees: i % 5 == 0,
                reason: texts[pick(i, 7, texts.len())].repeat(1 + i % 4),
                value: numbers[pick(i, 8, numbers.len())],
                target: numbers[pick(i, 9, numbers.len())],
                amber_threshold: numbers[pick(i, 10, numbers.len())],
                polarity: [Polarity::HighIsGood, Polarity::LowIsGood, Polarity::Neutral][i % 3],
                rated_period: periods[pick(i, 11, periods.len())],
                dot: [Dot::Up, Dot::Down, Dot::Same, Dot::None][i % 4],
                dot_judgement: [DotJudgement::Improving, DotJudgement::Worsening, DotJudgement::NoChange, DotJudgement::NotAssessed][i % 4],
                comparator_value: None,
                benchmarks: (0..2)
                    .map(|b| Comparison {
                        versus: versus[pick(i, 12 + b, versus.len())],
                        gap: numbers[pick(i, 14 + b, numbers.len())],
                        value: None,
                        period: None,
                    })
                    .collect(),
            })
            .collect();
        Ratings { labels: vec!["national".into(), "statistical_neighbours".into()], rows }
    }

    /// `write_json` as it was: a serde_json map per row.
    fn json_by_map(ratings: &Ratings) -> Vec<u8> {
        let names = column_names(&ratings.labels);
        let mut out = format!("{{\"columns\":{},\"ratings\":[", serde_json::to_string(&names).unwrap());
        for (i, r) in ratings.rows.iter().enumerate() {
            out.push_str(if i == 0 { "\n" } else { ",\n" });
            out.push_str(&serde_json::to_string(&rating_json(r, &names)).unwrap());
        }
        out.push_str("\n]}\n");
        out.into_bytes()
    }

    #[test]
    fn each_cell_gives_cells_cells() {
        for r in &ratings(200).rows {
            let mut each = Vec::new();
            each_cell(r.view(), |c| each.push(format!("{c:?}")));
            let listed: Vec<String> = cells(r.view()).map(|c| format!("{c:?}")).collect();
            assert_eq!(each, listed);
        }
    }

    #[test]
    fn csv_records_with_cached_item_cells_are_the_same_bytes() {
        // Rows of one item share its kind, id, priority and title; key them by those cells, so
        // the cache is filled once per item and then read back on its later rows (every row
        // twice, as a batch writes an item at each period).
        let ratings = ratings(2_000);
        let mut keys: Vec<(Kind, String, String, String)> = Vec::new();
        let (mut items, mut plain_scratch, mut cached_scratch) = (ItemCells::default(), CsvScratch::default(), CsvScratch::default());
        let (mut plain, mut cached) = (Vec::new(), Vec::new());
        let mut encoded = Vec::new();
        for _ in 0..2 {
            for r in &ratings.rows {
                let id = (r.kind, r.item.clone(), r.priority.clone(), r.title.clone());
                let key = keys.iter().position(|k| *k == id).unwrap_or_else(|| {
                    keys.push(id);
                    keys.len() - 1
                });
                write_csv_record(r.view(), &mut plain, &mut plain_scratch);
                write_csv_record_cached(r.view(), key, &mut items, &mut cached, &mut cached_scratch);
            }
            encoded.push(items.text.len());
        }
        assert_eq!(encoded[0], encoded[1], "the second pass encodes no item again: it reads the cache");
        assert_eq!(String::from_utf8(cached).unwrap(), String::from_utf8(plain).unwrap());
        items.clear();
        let (mut again, mut once) = (Vec::new(), Vec::new());
        write_csv_record_cached(ratings.rows[1].view(), 0, &mut items, &mut again, &mut cached_scratch);
        write_csv_record(ratings.rows[1].view(), &mut once, &mut plain_scratch);
        assert_eq!(again, once, "a cleared cache forgets the previous reader's items");
    }

    #[test]
    fn json_records_write_serde_jsons_bytes() {
        let ratings = ratings(2_000);
        let names = column_names(&ratings.labels);
        let records = JsonRecords::new(&names);
        let mut periods = PeriodLabels::default();
        let mut line = Vec::new();
        for r in &ratings.rows {
            line.clear();
            records.write(r.view(), &mut line, &mut periods);
            assert_eq!(String::from_utf8(line.clone()).unwrap(), serde_json::to_string(&rating_json(r, &names)).unwrap());
        }
        // Names shared by two columns, and fewer names than cells: as the map has them.
        for names in [vec!["plan".to_string(), "title".into(), "plan".into()], names[..5].to_vec()] {
            let records = JsonRecords::new(&names);
            for r in &ratings.rows[..50] {
                line.clear();
                records.write(r.view(), &mut line, &mut periods);
                assert_eq!(String::from_utf8(line.clone()).unwrap(), serde_json::to_string(&rating_json(r, &names)).unwrap());
            }
        }
    }

    #[test]
    fn escapes_are_found_in_every_position() {
        for len in 0..40 {
            for at in 0..len {
                for special in [b'"', b'\\', 0, 0x1f] {
                    let mut bytes = vec![b'a'; len];
                    bytes[at] = special;
                    assert!(needs_json_escape(&bytes), "{len} {at} {special}");
                }
            }
            assert!(!needs_json_escape(&vec![b'a'; len]));
            assert!(!needs_json_escape("é€🎉\u{7f} ".repeat(len).as_bytes()));
        }
    }

    #[test]
    fn json_is_the_same_on_any_number_of_threads_and_as_by_map() {
        // Over two pieces per thread, with a piece cut part-way.
        let ratings = ratings(3 * JSON_ROWS_PER_PIECE + 123);
        let expected = json_by_map(&ratings);
        let mut written = Vec::new();
        write_json(&ratings, &mut written).unwrap();
        assert!(written == expected, "write_json differs from the map's JSON");
        for threads in [1, 2, 3, 7] {
            let mut out = Vec::new();
            let mut rows = JsonRows::start_on(&ratings.labels, &mut out, threads).unwrap();
            // In two calls, as a batch writes chunks.
            let (first, second) = ratings.rows.split_at(JSON_ROWS_PER_PIECE + 5);
            rows.write(first, first.len(), &mut out).unwrap();
            rows.write(second, second.len(), &mut out).unwrap();
            rows.finish(&mut out).unwrap();
            assert!(out == expected, "{threads} threads");
        }
        let empty = Ratings { labels: vec![], rows: vec![] };
        let mut out = Vec::new();
        write_json(&empty, &mut out).unwrap();
        assert_eq!(out, json_by_map(&empty));
    }

    #[test]
    fn in_order_hands_items_over_in_order_and_stops_at_the_first_error() {
        for threads in [1, 2, 3, 8] {
            let mut states = vec![0usize; threads];
            let mut seen = Vec::new();
            in_order(
                100,
                &mut states,
                |i, made| {
                    *made += 1;
                    Ok(i)
                },
                |i| {
                    seen.push(i);
                    Ok(())
                },
            )
            .unwrap();
            assert_eq!(seen, (0..100).collect::<Vec<_>>());
            assert_eq!(states.iter().sum::<usize>(), 100);

            let mut seen = Vec::new();
            let made = in_order(
                100,
                &mut states,
                |i, _| if i == 40 { Err(crate::error::Error::Usage("no".into())) } else { Ok(i) },
                |i| {
                    seen.push(i);
                    Ok(())
                },
            );
            assert!(made.is_err());
            assert_eq!(seen, (0..40).collect::<Vec<_>>());

            let mut seen = Vec::new();
            let taken = in_order(
                100,
                &mut states,
                |i, _| Ok(i),
                |i| {
                    seen.push(i);
                    if i == 10 {
                        Err(crate::error::Error::Usage("full".into()))
                    } else {
                        Ok(())
                    }
                },
            );
            assert!(taken.is_err());
            assert_eq!(seen, (0..11).collect::<Vec<_>>());
        }
        let mut states = vec![(); 2];
        let panicked = in_order(10, &mut states, |i, _| if i == 3 { panic!("a formatting bug") } else { Ok(i) }, |_| Ok(()));
        assert!(panicked.is_err());
    }

    /// The frame as `FrameBuilder` built it before: a `String` per text cell.
    fn frame_from_strings(ratings: &Ratings) -> DataFrame {
        let names = column_names(&ratings.labels);
        let mut columns: Vec<Vec<String>> = vec![Vec::new(); names.len()];
        let mut numbers: Vec<Vec<Option<f64>>> = vec![Vec::new(); names.len()];
        let mut flags: Vec<Vec<bool>> = vec![Vec::new(); names.len()];
        for r in &ratings.rows {
            for (i, c) in cells(r.view()).enumerate() {
                match c {
                    Cell::Text(t) | Cell::Word(t) => columns[i].push(t.to_string()),
                    Cell::Period(p) => columns[i].push(p.to_string()),
                    Cell::Number(v) => numbers[i].push(v.map(crate::rate::round_output)),
                    Cell::Flag(b) => flags[i].push(b),
                }
            }
        }
        let columns = names
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let name: PlSmallStr = name.as_str().into();
                if name == "disagrees" {
                    Column::new(name, std::mem::take(&mut flags[i]))
                } else if !numbers[i].is_empty()
                    || matches!(name.as_str(), "value" | "target" | "amber_threshold")
                    || name.starts_with("gap_")
                {
                    Column::new(name, std::mem::take(&mut numbers[i]))
                } else {
                    Column::new(name, std::mem::take(&mut columns[i]))
                }
            })
            .collect();
        DataFrame::new(ratings.rows.len(), columns).unwrap()
    }

    #[test]
    fn parquet_is_the_same_as_from_a_string_per_cell() {
        for n in [0, 1, 300, 70_000] {
            let ratings = ratings(n);
            let mut written = Vec::new();
            write_parquet(&ratings, &mut written).unwrap();
            let mut expected = Vec::new();
            ParquetWriter::new(&mut expected).set_parallel(false).finish(&mut frame_from_strings(&ratings)).unwrap();
            assert!(written == expected, "{n} rows");
        }
    }
}
