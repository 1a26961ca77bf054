//! Ratings as JSON: `{"columns": [...], "ratings": [{...}, ...]}`, one rating per line, each
//! object keyed by the columns' names with empty cells as the column table says
//! ([`Empty`]). Rows are serialised with serde ([`JsonRow`]'s `Serialize`), formatted on every
//! core while one thread writes.

use super::io;
use super::parallel::{in_order, threads};
use crate::engine::{RowReader, RowScratch};
use crate::error::Result;
use crate::model::columns::{self, benchmark_cells, column_names, fixed_cells, Cell, Empty};
use crate::model::number::round_output;
use crate::model::period::PeriodLabels;
use crate::model::rating::{Rating, Ratings};
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Map, Value as Json};

/// One rating as a JSON object with the CSV's columns.
pub fn rating_json(r: &Rating<'_>, names: &[String]) -> Json {
    let mut obj = Map::new();
    let mut cells = Vec::new();
    columns::each_cell(r, |c| cells.push(c));
    for (name, c) in names.iter().zip(cells) {
        let label = match c {
            Cell::Period(p) => p.to_string(),
            _ => String::new(),
        };
        let v = match JsonCell::of(c, empty_of(name), &label) {
            JsonCell::Null => Json::Null,
            JsonCell::Text(t) => Json::String(t.to_string()),
            JsonCell::Number(x) => serde_json::Number::from_f64(x).map(Json::Number).unwrap_or(Json::Null),
            JsonCell::Flag(b) => Json::Bool(b),
        };
        obj.insert(name.clone(), v);
    }
    Json::Object(obj)
}

/// How an empty cell of the column `name` reads.
fn empty_of(name: &str) -> Empty {
    columns::column(name).map(|c| c.empty).unwrap_or(Empty::Null)
}

/// A cell as JSON: text, a finite number, a flag or `null`.
#[derive(Debug, Clone, Copy)]
enum JsonCell<'a> {
    Null,
    Text(&'a str),
    Number(f64),
    Flag(bool),
}

impl<'a> JsonCell<'a> {
    /// The JSON of a cell of a column whose empty cells read as `empty`; a period reads as
    /// `label`.
    fn of(c: Cell<'a>, empty: Empty, label: &'a str) -> JsonCell<'a> {
        match c {
            Cell::Text(t) if t.is_empty() && empty == Empty::Null => JsonCell::Null,
            Cell::Word(t) if t.is_empty() && empty == Empty::Null => JsonCell::Null,
            Cell::Text(t) => JsonCell::Text(t),
            Cell::Word(w) => JsonCell::Text(w),
            Cell::Period(_) => JsonCell::Text(label),
            Cell::Number(n) => match n.map(round_output).filter(|x| x.is_finite()) {
                Some(x) => JsonCell::Number(x),
                None => JsonCell::Null,
            },
            Cell::Flag(b) => JsonCell::Flag(b),
        }
    }
}

impl Serialize for JsonCell<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match *self {
            JsonCell::Null => s.serialize_unit(),
            JsonCell::Text(t) => s.serialize_str(t),
            JsonCell::Number(x) => s.serialize_f64(x),
            JsonCell::Flag(b) => s.serialize_bool(b),
        }
    }
}

/// One rating as a JSON object: what `serde_json` writes for it is a line of the output.
pub struct JsonRow<'a> {
    rating: &'a Rating<'a>,
    columns: &'a [(String, Empty)],
    /// The labels of the rating's period and rated period, looked up before serialising.
    period: &'a str,
    rated_period: &'a str,
}

impl Serialize for JsonRow<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.columns.len()))?;
        let mut columns = self.columns.iter();
        let mut periods = [self.period, self.rated_period].into_iter();
        let fixed = fixed_cells(self.rating);
        let benchmarks = self.rating.benchmarks.iter().flat_map(benchmark_cells);
        // As a `zip`: cells beyond the columns are left out.
        for c in fixed.into_iter().chain(benchmarks) {
            let Some((name, empty)) = columns.next() else { break };
            let label = match c {
                Cell::Period(_) => periods.next().unwrap_or_default(),
                _ => "",
            };
            let cell = JsonCell::of(c, *empty, label);
            map.serialize_entry(name, &cell)?;
        }
        map.end()
    }
}

/// Writes ratings as [`rating_json`]'s objects, serialised compactly with serde into a byte
/// buffer. [`write_json`] and the batch JSON sink both write their rows with it, so the two
/// cannot drift apart.
#[derive(Debug, Clone)]
pub struct JsonRecords {
    columns: Vec<(String, Empty)>,
    /// The names, when two columns share one: the object then has one key for the two (the
    /// first's place, the last's value), which [`rating_json`]'s map gives.
    shared_names: Option<Vec<String>>,
}

impl JsonRecords {
    /// A writer of objects with these column names (see [`column_names`]).
    pub fn new(names: &[String]) -> JsonRecords {
        let columns = names.iter().map(|n| (n.clone(), empty_of(n))).collect();
        let distinct: std::collections::HashSet<&String> = names.iter().collect();
        let shared_names = (distinct.len() != names.len()).then(|| names.to_vec());
        JsonRecords { columns, shared_names }
    }

    /// Appends one rating's object (no line break) to `out`.
    pub fn write(&self, r: &Rating<'_>, out: &mut Vec<u8>, periods: &mut JsonPeriods) {
        // Neither can fail: the values are plain JSON and the writer a Vec.
        if let Some(names) = &self.shared_names {
            let _ = serde_json::to_writer(&mut *out, &rating_json(r, names));
            return;
        }
        periods.period.clear();
        periods.period.push_str(periods.labels.get(r.period));
        let rated_period = periods.labels.get(r.rated_period);
        let row = JsonRow { rating: r, columns: &self.columns, period: &periods.period, rated_period };
        let _ = serde_json::to_writer(&mut *out, &row);
    }
}

/// Period labels for [`JsonRecords::write`], reused from row to row.
#[derive(Debug, Default)]
pub struct JsonPeriods {
    labels: PeriodLabels,
    period: String,
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
    fn row<'s>(&'s self, r: usize, scratch: &'s mut RowScratch) -> Result<Rating<'s>>;
}

impl RowSource for [Rating<'static>] {
    fn row<'s>(&'s self, r: usize, _: &'s mut RowScratch) -> Result<Rating<'s>> {
        Ok(self[r].view())
    }
}

impl RowSource for RowReader<'_> {
    fn row<'s>(&'s self, r: usize, scratch: &'s mut RowScratch) -> Result<Rating<'s>> {
        self.view(r, scratch)
    }
}

/// Rows formatted at a time by one thread: bounds the text held before it is written.
pub(crate) const JSON_ROWS_PER_PIECE: usize = 8_192;

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
    periods: JsonPeriods,
}

impl JsonRows {
    /// Writes the opening, with the column names for these benchmark labels.
    pub fn start(labels: &[String], out: &mut dyn std::io::Write) -> Result<JsonRows> {
        JsonRows::start_on(labels, out, threads())
    }

    /// [`JsonRows::start`], formatting on `threads` threads.
    pub(crate) fn start_on(labels: &[String], out: &mut dyn std::io::Write, threads: usize) -> Result<JsonRows> {
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
                    records.write(&rows.row(r, &mut part.row)?, &mut lines, &mut part.periods);
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
