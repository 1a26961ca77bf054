//! Writing ratings as CSV, JSON or Parquet, byte for byte the same for the same ratings.
//!
//! Columns, in order: `plan, period, kind, item, priority, title, status, computed_status,
//! disagrees, reason, value, target, amber_threshold, polarity, rated_period, dot,
//! dot_judgement`, then `vs_<label>, gap_<label>` for each benchmark label in sorted order.

use crate::error::Result;
use crate::rate::{Rating, Ratings};
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
    Text(std::borrow::Cow<'a, str>),
    Number(Option<f64>),
    Flag(bool),
}

fn cells(r: &Rating) -> Vec<Cell<'_>> {
    use std::borrow::Cow::{Borrowed, Owned};
    let status = |s: Option<crate::values::Status>| Cell::Text(Borrowed(s.map(|s| s.name()).unwrap_or("")));
    let mut cells = vec![
        Cell::Text(Borrowed(&r.plan)),
        Cell::Text(Owned(r.period.to_string())),
        Cell::Text(Borrowed(r.kind.name())),
        Cell::Text(Borrowed(&r.item)),
        Cell::Text(Borrowed(&r.priority)),
        Cell::Text(Borrowed(&r.title)),
        status(r.status),
        status(r.computed_status),
        Cell::Flag(r.disagrees),
        Cell::Text(Borrowed(&r.reason)),
        Cell::Number(r.value),
        Cell::Number(r.target),
        Cell::Number(r.amber_threshold),
        Cell::Text(Borrowed(r.polarity.name())),
        Cell::Text(Owned(r.rated_period.to_string())),
        Cell::Text(Borrowed(r.dot.name())),
        Cell::Text(Borrowed(r.dot_judgement.name())),
    ];
    for c in &r.benchmarks {
        cells.push(Cell::Text(Borrowed(c.versus.map(|v| v.name()).unwrap_or(""))));
        cells.push(Cell::Number(c.gap));
    }
    cells
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
    let mut w = csv::Writer::from_writer(out);
    let map_err = |e: csv::Error| io(std::io::Error::other(e.to_string()));
    w.write_record(column_names(&ratings.labels)).map_err(map_err)?;
    let mut record = csv::StringRecord::new();
    for r in &ratings.rows {
        csv_record(r, &mut record);
        w.write_record(&record).map_err(map_err)?;
    }
    w.flush().map_err(io)?;
    Ok(())
}

/// One rating's CSV fields, as [`write_csv`] writes them, into `record` (cleared first).
pub fn csv_record(r: &Rating, record: &mut csv::StringRecord) {
    record.clear();
    for c in cells(r) {
        match c {
            Cell::Text(t) => record.push_field(&t),
            Cell::Number(n) => record.push_field(&n.map(format_number).unwrap_or_default()),
            Cell::Flag(b) => record.push_field(if b { "true" } else { "false" }),
        }
    }
}

/// One rating as a JSON object with the CSV's columns.
pub fn rating_json(r: &Rating, names: &[String]) -> Json {
    let mut obj = Map::new();
    for (name, c) in names.iter().zip(cells(r)) {
        let v = match c {
            Cell::Text(t) if t.is_empty() && name != "reason" && name != "title" && name != "priority" => Json::Null,
            Cell::Text(t) => Json::String(t.into_owned()),
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
    let names = column_names(&ratings.labels);
    let n = ratings.rows.len();
    let mut texts: Vec<Vec<String>> = Vec::new();
    let mut numbers: Vec<Vec<Option<f64>>> = Vec::new();
    let mut flags: Vec<Vec<bool>> = Vec::new();
    let mut kinds: Vec<u8> = Vec::new();
    if let Some(first) = ratings.rows.first() {
        for c in cells(first) {
            kinds.push(match c {
                Cell::Text(_) => 0,
                Cell::Number(_) => 1,
                Cell::Flag(_) => 2,
            });
        }
    } else {
        for name in &names {
            kinds.push(match name.as_str() {
                "disagrees" => 2,
                "value" | "target" | "amber_threshold" => 1,
                s if s.starts_with("gap_") => 1,
                _ => 0,
            });
        }
    }
    let slot: Vec<usize> = {
        let mut counts = [0usize; 3];
        kinds.iter().map(|&k| { counts[k as usize] += 1; counts[k as usize] - 1 }).collect()
    };
    for &k in &kinds {
        match k {
            0 => texts.push(Vec::with_capacity(n)),
            1 => numbers.push(Vec::with_capacity(n)),
            _ => flags.push(Vec::with_capacity(n)),
        }
    }
    for r in &ratings.rows {
        for (i, c) in cells(r).into_iter().enumerate() {
            match c {
                Cell::Text(t) => texts[slot[i]].push(t.into_owned()),
                Cell::Number(v) => numbers[slot[i]].push(v.map(crate::rate::round_output)),
                Cell::Flag(b) => flags[slot[i]].push(b),
            }
        }
    }
    let mut columns = Vec::with_capacity(names.len());
    let (mut ti, mut ni, mut fi) = (texts.into_iter(), numbers.into_iter(), flags.into_iter());
    for (name, k) in names.iter().zip(&kinds) {
        let name: PlSmallStr = name.as_str().into();
        columns.push(match k {
            0 => Column::new(name, ti.next().unwrap_or_default()),
            1 => Column::new(name, ni.next().unwrap_or_default()),
            _ => Column::new(name, fi.next().unwrap_or_default()),
        });
    }
    Ok(DataFrame::new(n, columns)?)
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
