//! Writing ratings as CSV, JSON or Parquet, byte for byte the same for the same ratings.
//!
//! Columns, in order: `plan, period, kind, item, priority, title, status, computed_status,
//! disagrees, reason, value, target, amber_threshold, polarity, rated_period, dot,
//! dot_judgement`, then `vs_<label>, gap_<label>` for each benchmark label in sorted order.

use crate::error::Result;
use crate::period::{Period, YearType};
use crate::rate::{Rating, RatingRef, Ratings};
use std::collections::HashMap;
use polars::prelude::*;
use serde_json::{Map, Value as Json};

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
    "plan", "period", "kind", "item", "priority", "title", "status", "computed_status", "disagrees", "reason", "value",
    "target", "amber_threshold", "polarity", "rated_period", "dot", "dot_judgement",
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

/// A number in output: at most 6 decimals, no trailing zeros, no `-0`; numbers too large or too
/// small for that (1e15 and above, or below 1e-6) in shortest scientific form, such as `2e-300`.
pub fn format_number(x: f64) -> String {
    if x != 0.0 && (x.abs() >= 1e15 || x.abs() < 1e-6) {
        return format!("{x:e}");
    }
    let r = crate::rate::round_output(x);
    let s = format!("{r:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".to_string() } else { s.to_string() }
}

/// [`format_number`] appended to `out`, without allocating: the same bytes, for writers of
/// many rows. Numbers below 2^32 in size are written from their integer count of millionths;
/// the rest go through [`format_number`].
pub fn write_number(x: f64, out: &mut String) {
    if !x.is_finite() || (x != 0.0 && x.abs() < 1e-6) || x.abs() >= 4_294_967_296.0 {
        out.push_str(&format_number(x));
        return;
    }
    // `round_output` keeps this many millionths; below 2^32 a double is exact to well under
    // half a millionth, so `{:.6}` of the rounded double prints exactly these digits.
    let millionths = (x * 1e6).round() as i64;
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

/// How many decimals [`write_number`] writes for `x` (0 to 6); `None` for the numbers it
/// writes in scientific form or through [`format_number`].
pub fn decimals_written(x: f64) -> Option<usize> {
    if !x.is_finite() || (x != 0.0 && x.abs() < 1e-6) || x.abs() >= 4_294_967_296.0 {
        return None;
    }
    let mut fraction = ((x * 1e6).round() as i64).unsigned_abs() % 1_000_000;
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
    for c in fixed_cells(r) {
        write_csv_cell(c, out, scratch);
        out.push(b',');
    }
    for b in r.benchmarks {
        for c in benchmark_cells(b) {
            write_csv_cell(c, out, scratch);
            out.push(b',');
        }
    }
    // Every row has cells, so there is a last comma to turn into the line's end.
    if let Some(last) = out.last_mut() {
        *last = b'\n';
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
            Cell::Number(n) => n.map(crate::rate::round_output).and_then(serde_json::Number::from_f64).map(Json::Number).unwrap_or(Json::Null),
            Cell::Flag(b) => Json::Bool(b),
        };
        obj.insert(name.clone(), v);
    }
    Json::Object(obj)
}

/// Writes JSON: `{"columns": [...], "ratings": [{...}, ...]}`, one rating per line.
pub fn write_json(ratings: &Ratings, out: &mut dyn std::io::Write) -> Result<()> {
    let names = column_names(&ratings.labels);
    let header = serde_json::to_string(&names).map_err(|e| io(e.into()))?;
    write!(out, "{{\"columns\":{header},\"ratings\":[").map_err(io)?;
    for (i, r) in ratings.rows.iter().enumerate() {
        let sep = if i == 0 { "\n" } else { ",\n" };
        let line = serde_json::to_string(&rating_json(r, &names)).map_err(|e| io(e.into()))?;
        write!(out, "{sep}{line}").map_err(io)?;
    }
    writeln!(out, "\n]}}").map_err(io)?;
    Ok(())
}

/// The ratings as a polars DataFrame with the output's columns and types.
pub fn to_dataframe(ratings: &Ratings) -> Result<DataFrame> {
    let mut frame = FrameBuilder::new(&ratings.labels, ratings.rows.len());
    for r in &ratings.rows {
        frame.push(r.view());
    }
    frame.finish()
}

/// Builds [`to_dataframe`]'s frame one row at a time, from borrowed ratings.
pub struct FrameBuilder {
    names: Vec<String>,
    /// Per column: 0 text, 1 number, 2 flag; and its index among columns of that kind.
    kinds: Vec<(u8, usize)>,
    texts: Vec<Vec<String>>,
    numbers: Vec<Vec<Option<f64>>>,
    flags: Vec<Vec<bool>>,
}

impl FrameBuilder {
    /// A builder for `capacity` rows with these benchmark labels.
    pub fn new(labels: &[String], capacity: usize) -> FrameBuilder {
        let names = column_names(labels);
        let mut counts = [0usize; 3];
        let kinds: Vec<(u8, usize)> = names
            .iter()
            .map(|name| {
                let k = match name.as_str() {
                    "disagrees" => 2,
                    "value" | "target" | "amber_threshold" => 1,
                    s if s.starts_with("gap_") => 1,
                    _ => 0,
                };
                counts[k as usize] += 1;
                (k, counts[k as usize] - 1)
            })
            .collect();
        FrameBuilder {
            names,
            kinds,
            texts: (0..counts[0]).map(|_| Vec::with_capacity(capacity)).collect(),
            numbers: (0..counts[1]).map(|_| Vec::with_capacity(capacity)).collect(),
            flags: (0..counts[2]).map(|_| Vec::with_capacity(capacity)).collect(),
        }
    }

    /// Adds a row.
    pub fn push(&mut self, r: RatingRef<'_>) {
        for (c, &(_, slot)) in cells(r).zip(&self.kinds) {
            match c {
                Cell::Text(t) | Cell::Word(t) => self.texts[slot].push(t.to_string()),
                Cell::Period(p) => self.texts[slot].push(p.to_string()),
                Cell::Number(v) => self.numbers[slot].push(v.map(crate::rate::round_output)),
                Cell::Flag(b) => self.flags[slot].push(b),
            }
        }
    }

    /// The frame.
    pub fn finish(self) -> Result<DataFrame> {
        let n = self.texts.first().map(Vec::len).unwrap_or(0);
        let (mut ti, mut ni, mut fi) = (self.texts.into_iter(), self.numbers.into_iter(), self.flags.into_iter());
        let mut columns = Vec::with_capacity(self.names.len());
        for (name, (k, _)) in self.names.iter().zip(&self.kinds) {
            let name: PlSmallStr = name.as_str().into();
            columns.push(match k {
                0 => Column::new(name, ti.next().unwrap_or_default()),
                1 => Column::new(name, ni.next().unwrap_or_default()),
                _ => Column::new(name, fi.next().unwrap_or_default()),
            });
        }
        Ok(DataFrame::new(n, columns)?)
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
