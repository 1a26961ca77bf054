//! Ratings as JSON: `{"columns": [...], "ratings": [{...}, ...]}`, one rating per line, each
//! object keyed by the columns' names with empty cells as the column table says
//! ([`Empty`]). Rows are formatted on every core while one thread writes.

use super::io;
use super::parallel::{in_order, threads};
use crate::engine::{RowReader, RowScratch};
use crate::error::Result;
use crate::model::columns::{self, Cell, Empty, Picked};
use crate::model::number::round_output;
use crate::model::period::PeriodLabels;
use crate::model::rating::{Rating, Ratings};
use serde_json::{Map, Value as Json};

/// One rating as a JSON object with the CSV's columns: the reference [`JsonRecords`] is held
/// to, and what it writes when two columns share a name.
pub fn rating_json(r: &Rating<'_>, names: &[String]) -> Json {
    let mut obj = Map::new();
    let mut cells = Vec::new();
    columns::each_cell(r, |c| cells.push(c));
    for (name, c) in names.iter().zip(cells) {
        let v = match c {
            Cell::Text(t) | Cell::Word(t) if t.is_empty() && empty_of(name) == Empty::Null => Json::Null,
            Cell::Text(t) | Cell::Word(t) => Json::String(t.to_string()),
            Cell::Period(p) => Json::String(p.to_string()),
            Cell::Number(n) => n.map(round_output).and_then(serde_json::Number::from_f64).map(Json::Number).unwrap_or(Json::Null),
            Cell::Flag(b) => Json::Bool(b),
        };
        obj.insert(name.clone(), v);
    }
    Json::Object(obj)
}

/// How an empty cell of the column `name` reads.
fn empty_of(name: &str) -> Empty {
    columns::column(name).map(|c| c.empty).unwrap_or(Empty::Null)
}

/// Writes ratings as [`rating_json`]'s objects, serialised compactly straight into a byte
/// buffer: each key escaped once, no map or string per row. [`write_json`] and the batch JSON
/// sink both write their rows with it, so the two cannot drift apart, and a unit test holds it
/// to `serde_json`'s bytes for [`rating_json`]'s map.
///
/// Written by hand rather than as a serde `Serialize` of the row: that measured about 20% more
/// CPU for `batch` to JSON on 100 plans, interleaved with this writer (BENCHMARKS.md), because
/// serde_json escapes every key of every row again.
#[derive(Debug, Clone)]
pub struct JsonRecords {
    /// Every column's `"name":`, after a `,` for every column but the first, one after another.
    keys: Vec<u8>,
    /// Per column: where its key ends in `keys`, and how an empty text cell reads.
    columns: Vec<(usize, Empty)>,
    /// The names, when two columns share one: the object then has one key for the two (the
    /// first's place, the last's value), which [`rating_json`]'s map gives.
    shared_names: Option<Vec<String>>,
    /// Per cell of a rating: whether its column is written (`None`: every column).
    keep: Option<Vec<bool>>,
}

impl JsonRecords {
    /// A writer of objects with these column names (see [`columns::column_names`]).
    pub fn new(names: &[String]) -> JsonRecords {
        let mut keys = Vec::new();
        let mut columns = Vec::with_capacity(names.len());
        for (i, name) in names.iter().enumerate() {
            if i > 0 {
                keys.push(b',');
            }
            push_json_str(&mut keys, name);
            keys.push(b':');
            columns.push((keys.len(), empty_of(name)));
        }
        let distinct: std::collections::HashSet<&String> = names.iter().collect();
        let shared_names = (distinct.len() != names.len()).then(|| names.to_vec());
        JsonRecords { keys, columns, shared_names, keep: None }
    }

    /// Objects of the columns `keep` keeps (per column in [`columns::column_names`]' order), whose
    /// names are `names` (`batch --columns`).
    pub fn picked(names: &[String], keep: &[bool]) -> JsonRecords {
        JsonRecords { shared_names: None, keep: Some(keep.to_vec()), ..JsonRecords::new(names) }
    }

    /// Appends one rating's object (no line break) to `out`: the bytes of
    /// `serde_json::to_string(&rating_json(r, names))`.
    pub fn write(&self, r: &Rating<'_>, out: &mut Vec<u8>, periods: &mut PeriodLabels) {
        if let Some(names) = &self.shared_names {
            // Cannot fail: the value is plain JSON and the writer a Vec.
            let _ = serde_json::to_writer(&mut *out, &rating_json(r, names));
            return;
        }
        out.push(b'{');
        let (mut i, mut key_start, mut cell) = (0, 0, 0);
        columns::each_cell(r, |c| {
            if let Some(keep) = &self.keep {
                cell += 1;
                if !keep.get(cell - 1).copied().unwrap_or(false) {
                    return;
                }
            }
            // As `zip` in `rating_json`: cells beyond the names are left out.
            let Some(&(key_end, empty)) = self.columns.get(i) else { return };
            out.extend_from_slice(&self.keys[key_start..key_end]);
            (i, key_start) = (i + 1, key_end);
            match c {
                Cell::Text(t) | Cell::Word(t) if t.is_empty() && empty == Empty::Null => out.extend_from_slice(b"null"),
                Cell::Text(t) => push_json_str(out, t),
                // Engine words and period labels (digits, `-`, `/`, `.`, `Q`, spaces) need no
                // escaping.
                Cell::Word(w) => push_json_plain(out, w),
                Cell::Period(p) => push_json_plain(out, periods.get(p)),
                Cell::Number(n) => match n.map(round_output).filter(|x| x.is_finite()) {
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
pub(crate) fn needs_json_escape(bytes: &[u8]) -> bool {
    let special = |b: u8| (b < 0x20) | (b == b'"') | (b == b'\\');
    let mut blocks = bytes.chunks_exact(16);
    for block in &mut blocks {
        if block.iter().fold(false, |hit, &b| hit | special(b)) {
            return true;
        }
    }
    blocks.remainder().iter().fold(false, |hit, &b| hit | special(b))
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
    periods: PeriodLabels,
}

impl JsonRows {
    /// Writes the opening, with the column names for these benchmark labels.
    pub fn start(labels: &[String], out: &mut dyn std::io::Write) -> Result<JsonRows> {
        JsonRows::start_on(labels, out, threads())
    }

    /// [`JsonRows::start`], formatting on `threads` threads.
    pub(crate) fn start_on(labels: &[String], out: &mut dyn std::io::Write, threads: usize) -> Result<JsonRows> {
        JsonRows::start_picked(labels, &Picked::all(labels), out, threads)
    }

    /// [`JsonRows::start`] for the columns `picked` keeps (`batch --columns`), formatting on
    /// `threads` threads.
    pub fn start_picked(labels: &[String], picked: &Picked, out: &mut dyn std::io::Write, threads: usize) -> Result<JsonRows> {
        let names = picked.names(labels);
        let header = serde_json::to_string(&names).map_err(|e| io(e.into()))?;
        write!(out, "{{\"columns\":{header},\"ratings\":[").map_err(io)?;
        let records = match picked.subset() {
            None => JsonRecords::new(&names),
            Some(keep) => JsonRecords::picked(&names, keep),
        };
        let part = || JsonPart { row: RowScratch::wording(picked.sentences()), periods: PeriodLabels::default() };
        Ok(JsonRows { records, first: true, parts: (0..threads.max(1)).map(|_| part()).collect(), free: Default::default() })
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
        self.finish_with(out, "")
    }

    /// Writes the closing with `tail` (more keys, each after a `,`) before the object's `}`.
    pub fn finish_with(self, out: &mut dyn std::io::Write, tail: &str) -> Result<()> {
        writeln!(out, "\n]{tail}}}").map_err(io)?;
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
