//! Comparing two ratings tables: what `scorecard diff` and `rate --check` report.
//!
//! A ratings file (CSV, JSON or Parquet, as [`crate::output`] writes them) is read back into a
//! [`RatingsTable`]: every cell as the text the CSV writer would give it, so that files of
//! different formats compare equal when they hold the same ratings. Rows are keyed by
//! (plan, period, kind, item). [`compare`] lists the items added and removed and, for each item
//! in both, every field that differs. The *rated* fields are `status`, `computed_status`,
//! `dot`, `dot_judgement` and every `vs_<label>`: a change to one of them, or an item added or
//! removed, is a change of rating ([`Diff::has_rating_changes`]); any other field (values,
//! targets, reasons, gaps) is reported but is not one.
//!
//! A column present in one file only reads as empty in the other, so a `vs_<label>` column
//! added or dropped changes the rating of exactly the rows where it holds a judgement.
//!
//! ```
//! use scorecard_core::diff::{compare, RatingsTable};
//!
//! let old = RatingsTable::from_bytes("old.csv", b"plan,period,kind,item,status\np,2013-12,milestone,1.6,Red\n", None).unwrap();
//! let new = RatingsTable::from_bytes("new.csv", b"plan,period,kind,item,status\np,2013-12,milestone,1.6,Amber\n", None).unwrap();
//! let diff = compare(&old, &new);
//! assert!(diff.has_rating_changes());
//! let field = &diff.changes[0].fields[0];
//! assert_eq!((field.column.as_str(), field.old.as_str(), field.new.as_str()), ("status", "Red", "Amber"));
//! ```

use crate::error::{Error, Problem, Problems, Result};
use crate::output::{column_names, csv_record, format_number, Format};
use crate::provenance::{Provenance, PARQUET_KEY};
use crate::rate::Ratings;
use serde_json::Value as Json;
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// The columns that identify a row: (plan, period, kind, item).
pub const KEY_COLUMNS: [&str; 4] = ["plan", "period", "kind", "item"];

/// The rated fields besides the `vs_<label>` columns.
pub const RATED_COLUMNS: [&str; 4] = ["status", "computed_status", "dot", "dot_judgement"];

/// Whether a change to `column` is a change of rating: `status`, `computed_status`, `dot`,
/// `dot_judgement` and every `vs_<label>`.
pub fn is_rated(column: &str) -> bool {
    RATED_COLUMNS.contains(&column) || column.starts_with("vs_")
}

/// Columns holding numbers: compared as numbers written by [`format_number`], so that `18.50`
/// and `18.5` are the same value.
fn is_numeric(column: &str) -> bool {
    matches!(column, "value" | "target" | "amber_threshold") || column.starts_with("gap_")
}

/// A ratings table read back from a file, or made from [`Ratings`].
#[derive(Debug, Clone, PartialEq)]
pub struct RatingsTable {
    /// Where it came from, as the user named it: messages quote it.
    pub source: String,
    /// Column names, lower case, in the file's order.
    pub columns: Vec<String>,
    /// Rows in the file's order, each cell as output text (empty for none).
    pub rows: Vec<Vec<String>>,
    /// The provenance the file carries (JSON and Parquet written by `scorecard`).
    pub provenance: Option<Provenance>,
}

fn problem(source: &str, message: impl Into<String>) -> Error {
    Error::Input(Problems(vec![Problem::file(source, message)]))
}

fn problem_at(source: &str, line: u64, column: Option<(usize, &str)>, message: impl Into<String>) -> Error {
    Error::Input(Problems(vec![Problem::at(source, line, column, message)]))
}

const EXPECTED: &str = "expected ratings as `scorecard rate` writes them in CSV, JSON or Parquet";

/// How a row is named in messages: a CSV line or a row number.
#[derive(Clone, Copy)]
enum Position {
    Line(u64),
    Row(usize),
}

impl RatingsTable {
    /// Reads a ratings file; the format comes from the extension (`.csv`, `.json`,
    /// `.parquet`), else from the content (Parquet's `PAR1`, JSON's `{`).
    pub fn read(path: &Path) -> Result<RatingsTable> {
        let bytes = std::fs::read(path).map_err(|source| Error::Io { path: path.to_path_buf(), source })?;
        RatingsTable::from_bytes(&path.display().to_string(), &bytes, Format::from_path(path))
    }

    /// Reads a ratings file's bytes in `format`; when `None`, in the format of `source`'s
    /// extension, else the one its content shows, else CSV when `source` is `-` (standard
    /// input); otherwise an error.
    pub fn from_bytes(source: &str, bytes: &[u8], format: Option<Format>) -> Result<RatingsTable> {
        let format = match format.or_else(|| Format::from_path(Path::new(source))).or_else(|| sniff(bytes)) {
            Some(f) => f,
            None if source == "-" => Format::Csv,
            None => {
                return Err(problem(
                    source,
                    "cannot tell the format of this file; expected a .csv, .json or .parquet file name",
                ))
            }
        };
        let table = match format {
            Format::Csv => read_csv(source, bytes)?,
            Format::Json => read_json(source, bytes)?,
            Format::Parquet => read_parquet(source, bytes)?,
        };
        Ok(table)
    }

    /// The table `ratings` would be written as, with `provenance`.
    pub fn from_ratings(source: &str, ratings: &Ratings, provenance: Option<Provenance>) -> RatingsTable {
        let columns = column_names(&ratings.labels);
        let mut record = csv::StringRecord::new();
        let rows = ratings
            .rows
            .iter()
            .map(|r| {
                csv_record(r, &mut record);
                let mut cells: Vec<String> = record.iter().map(str::to_string).collect();
                normalise(&columns, &mut cells);
                cells
            })
            .collect();
        RatingsTable { source: source.to_string(), columns, rows, provenance }
    }

    fn index(&self, column: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == column)
    }

    /// Checks the header and the keys: key columns present, no column twice, keys non-empty
    /// and unique.
    fn check(&self, positions: &dyn Fn(usize) -> Position) -> Result<()> {
        let mut seen = HashSet::new();
        for c in &self.columns {
            if !seen.insert(c.as_str()) {
                return Err(problem(&self.source, format!("column `{c}` appears twice; {EXPECTED}")));
            }
        }
        let missing: Vec<&str> = KEY_COLUMNS.iter().copied().filter(|k| self.index(k).is_none()).collect();
        if !missing.is_empty() {
            let list = missing.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(", ");
            return Err(problem(
                &self.source,
                format!("no {list} column; ratings are keyed by plan, period, kind and item; {EXPECTED}"),
            ));
        }
        let keys: Vec<usize> = KEY_COLUMNS.iter().filter_map(|k| self.index(k)).collect();
        let mut first: HashMap<Vec<&str>, usize> = HashMap::with_capacity(self.rows.len());
        for (i, row) in self.rows.iter().enumerate() {
            for &k in &keys {
                if row[k].is_empty() {
                    let message = format!("the key column `{}` is empty", self.columns[k]);
                    return Err(match positions(i) {
                        Position::Line(line) => problem_at(&self.source, line, Some((k + 1, &self.columns[k])), message),
                        Position::Row(n) => problem(&self.source, format!("rating {n}: {message}")),
                    });
                }
            }
            let key: Vec<&str> = keys.iter().map(|&k| row[k].as_str()).collect();
            if let Some(&j) = first.get(&key) {
                let earlier = match positions(j) {
                    Position::Line(l) => format!("line {l}"),
                    Position::Row(n) => format!("rating {n}"),
                };
                let message = format!(
                    "the rating of {} at {} ({}, plan {}) appears twice, also at {earlier}; each (plan, period, kind, item) is rated once",
                    key[3], key[1], key[2], key[0]
                );
                return Err(match positions(i) {
                    Position::Line(line) => problem_at(&self.source, line, None, message),
                    Position::Row(n) => problem(&self.source, format!("rating {n}: {message}")),
                });
            }
            first.insert(key, i);
        }
        Ok(())
    }
}

/// Parquet files start with `PAR1`; JSON ratings with `{`.
fn sniff(bytes: &[u8]) -> Option<Format> {
    if bytes.starts_with(b"PAR1") {
        return Some(Format::Parquet);
    }
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match text.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') => Some(Format::Json),
        _ => None,
    }
}

/// Writes numbers the way the CSV writer does, so that formats and hand edits compare equal.
fn normalise(columns: &[String], cells: &mut [String]) {
    for (c, cell) in columns.iter().zip(cells.iter_mut()) {
        if is_numeric(c) && !cell.is_empty() {
            if let Ok(x) = cell.trim().parse::<f64>() {
                *cell = format_number(x);
            }
        }
    }
}

fn read_csv(source: &str, bytes: &[u8]) -> Result<RatingsTable> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(problem(source, format!("the file is empty; {EXPECTED}")));
    }
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(bytes);
    let columns: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_ascii_lowercase()).collect(),
        Err(e) => return Err(csv_problem(source, &e)),
    };
    let mut rows = Vec::new();
    let mut lines = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let mut cells: Vec<String> = record.iter().map(str::to_string).collect();
                normalise(&columns, &mut cells);
                rows.push(cells);
                lines.push(record.position().map(|p| p.line()).unwrap_or(0));
            }
            Err(e) => return Err(csv_problem(source, &e)),
        }
    }
    let table = RatingsTable { source: source.to_string(), columns, rows, provenance: None };
    table.check(&|i| Position::Line(lines[i]))?;
    Ok(table)
}

fn csv_problem(source: &str, e: &csv::Error) -> Error {
    let line = e.position().map(|p| p.line()).unwrap_or(1);
    let message = match e.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            format!("this row has {len} fields but the header has {expected_len}; {EXPECTED}")
        }
        csv::ErrorKind::Utf8 { err, .. } => {
            format!("field {} is not valid UTF-8; {EXPECTED}", err.field() + 1)
        }
        _ => format!("{e}; {EXPECTED}"),
    };
    problem_at(source, line, None, message)
}

/// JSON text of one cell: `null` is empty, numbers as the CSV writer writes them.
fn json_cell(value: &Json) -> Option<String> {
    match value {
        Json::Null => Some(String::new()),
        Json::String(s) => Some(s.clone()),
        Json::Bool(b) => Some(b.to_string()),
        Json::Number(n) => n.as_f64().map(format_number),
        Json::Array(_) | Json::Object(_) => None,
    }
}

fn read_json(source: &str, bytes: &[u8]) -> Result<RatingsTable> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let json: Json = serde_json::from_slice(bytes).map_err(|e| {
        if e.line() == 0 {
            problem(source, format!("not valid JSON: {e}; {EXPECTED}"))
        } else {
            let message = e.to_string();
            let message = message.split(" at line ").next().unwrap_or(&message).to_string();
            let column = e.column();
            Error::Input(Problems(vec![Problem {
                file: source.to_string(),
                line: Some(e.line() as u64),
                column: Some(column),
                column_name: None,
                message: format!("not valid JSON: {message}; {EXPECTED}"),
            }]))
        }
    })?;
    let Some(object) = json.as_object() else {
        return Err(problem(source, format!("the JSON is not an object; {EXPECTED} ({{\"columns\": [...], \"ratings\": [...]}})")));
    };
    let Some(ratings) = object.get("ratings").and_then(Json::as_array) else {
        return Err(problem(source, format!("the JSON object has no \"ratings\" array; {EXPECTED}")));
    };
    let mut columns: Vec<String> = match object.get("columns") {
        None => Vec::new(),
        Some(Json::Array(names)) => names
            .iter()
            .map(|n| n.as_str().map(|s| s.trim().to_ascii_lowercase()))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| problem(source, format!("\"columns\" must be a list of column names; {EXPECTED}")))?,
        Some(_) => return Err(problem(source, format!("\"columns\" must be a list of column names; {EXPECTED}"))),
    };
    // Without "columns", the keys as they come, in first-seen order.
    if columns.is_empty() {
        let mut seen = HashSet::new();
        for r in ratings {
            if let Some(o) = r.as_object() {
                for k in o.keys() {
                    let k = k.trim().to_ascii_lowercase();
                    if seen.insert(k.clone()) {
                        columns.push(k);
                    }
                }
            }
        }
    }
    let mut rows = Vec::with_capacity(ratings.len());
    for (i, r) in ratings.iter().enumerate() {
        let n = i + 1;
        let Some(o) = r.as_object() else {
            return Err(problem(source, format!("rating {n} is not an object; {EXPECTED}")));
        };
        let by_name: HashMap<String, &Json> = o.iter().map(|(k, v)| (k.trim().to_ascii_lowercase(), v)).collect();
        if let Some(k) = by_name.keys().find(|k| !columns.contains(k)) {
            return Err(problem(source, format!("rating {n} has a field `{k}` that \"columns\" does not list; {EXPECTED}")));
        }
        let mut cells = Vec::with_capacity(columns.len());
        for c in &columns {
            let cell = match by_name.get(c) {
                None => String::new(),
                Some(v) => json_cell(v).ok_or_else(|| {
                    problem(source, format!("rating {n}: field `{c}` is a list or an object; expected text, a number, true/false or null"))
                })?,
            };
            cells.push(cell);
        }
        normalise(&columns, &mut cells);
        rows.push(cells);
    }
    let provenance = match object.get("provenance") {
        None => None,
        Some(p) => Some(Provenance::from_json(p).ok_or_else(|| {
            problem(source, "\"provenance\" is not the object `scorecard` writes (engine, computed_only, plans)")
        })?),
    };
    let table = RatingsTable { source: source.to_string(), columns, rows, provenance };
    table.check(&|i| Position::Row(i + 1))?;
    Ok(table)
}

fn read_parquet(source: &str, bytes: &[u8]) -> Result<RatingsTable> {
    use polars::prelude::*;
    let unreadable = |e: PolarsError| problem(source, format!("cannot read it as Parquet: {e}; {EXPECTED}"));
    let mut reader = ParquetReader::new(std::io::Cursor::new(bytes));
    let metadata = reader.get_metadata().map_err(unreadable)?;
    let provenance_text = metadata
        .key_value_metadata
        .as_ref()
        .and_then(|kv| kv.iter().find(|k| k.key == PARQUET_KEY))
        .and_then(|k| k.value.clone());
    let df = reader.finish().map_err(unreadable)?;
    let columns: Vec<String> = df.get_column_names().iter().map(|c| c.trim().to_ascii_lowercase()).collect();
    let n = df.height();
    let mut by_column: Vec<Vec<String>> = Vec::with_capacity(columns.len());
    for column in df.columns() {
        by_column.push(parquet_cells(column, n).map_err(unreadable)?);
    }
    let rows: Vec<Vec<String>> = (0..n)
        .map(|r| {
            let mut cells: Vec<String> = by_column.iter().map(|c| c[r].clone()).collect();
            normalise(&columns, &mut cells);
            cells
        })
        .collect();
    let provenance = match provenance_text {
        None => None,
        Some(text) => {
            let parsed = serde_json::from_str::<Json>(&text).ok().and_then(|j| Provenance::from_json(&j));
            Some(parsed.ok_or_else(|| {
                problem(source, format!("the `{PARQUET_KEY}` metadata is not the provenance `scorecard` writes"))
            })?)
        }
    };
    let table = RatingsTable { source: source.to_string(), columns, rows, provenance };
    table.check(&|i| Position::Row(i + 1))?;
    Ok(table)
}

/// One Parquet column's cells as output text.
fn parquet_cells(column: &polars::prelude::Column, n: usize) -> polars::prelude::PolarsResult<Vec<String>> {
    use polars::prelude::*;
    let dtype = column.dtype();
    let cells = if dtype.is_bool() {
        column.bool()?.iter().map(|b| b.map(|b| b.to_string()).unwrap_or_default()).collect()
    } else if dtype.is_primitive_numeric() {
        let floats = column.cast(&DataType::Float64)?;
        floats.f64()?.iter().map(|x| x.map(format_number).unwrap_or_default()).collect()
    } else if dtype.is_null() {
        vec![String::new(); n]
    } else {
        let text = column.cast(&DataType::String)?;
        text.str()?.iter().map(|s| s.unwrap_or_default().to_string()).collect()
    };
    Ok(cells)
}

/// A row's key.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    /// The plan's folder name.
    pub plan: String,
    /// The canonical period, as written in the file.
    pub period: String,
    /// `milestone` or `measure`.
    pub kind: String,
    /// The item's id.
    pub item: String,
}

/// An item in one file only.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Its key.
    pub key: Key,
    /// Its `status` (empty: not rated).
    pub status: String,
    /// Its `reason`.
    pub reason: String,
}

/// One field of one item that differs.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldChange {
    /// The column.
    pub column: String,
    /// The old cell (empty: none, or no such column).
    pub old: String,
    /// The new cell.
    pub new: String,
    /// Whether the column is a rated field ([`is_rated`]).
    pub rated: bool,
}

/// An item in both files whose fields differ.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// Its key.
    pub key: Key,
    /// Every differing field, in column order (rated and not).
    pub fields: Vec<FieldChange>,
    /// The old `status` (whether or not it changed).
    pub old_status: String,
    /// The new `status`.
    pub new_status: String,
    /// The old `reason`.
    pub old_reason: String,
    /// The new `reason`.
    pub new_reason: String,
}

impl Change {
    /// Whether a rated field changed.
    pub fn is_rated(&self) -> bool {
        self.fields.iter().any(|f| f.rated)
    }
}

/// What differs between two ratings tables.
#[derive(Debug, Clone, PartialEq)]
pub struct Diff {
    /// The old table's source.
    pub old: String,
    /// The new table's source.
    pub new: String,
    /// Items in the new table only, in its order.
    pub added: Vec<Entry>,
    /// Items in the old table only, in its order.
    pub removed: Vec<Entry>,
    /// Items in both with any field changed, in the new table's order.
    pub changes: Vec<Change>,
    /// Items in both.
    pub matched: usize,
    /// Columns in the old table only.
    pub columns_only_old: Vec<String>,
    /// Columns in the new table only.
    pub columns_only_new: Vec<String>,
    /// Differences of provenance ([`Provenance::changes`]) when both tables carry one.
    pub provenance: Vec<String>,
}

impl Diff {
    /// Items in both whose rating changed.
    pub fn rated_changes(&self) -> usize {
        self.changes.iter().filter(|c| c.is_rated()).count()
    }

    /// Items in both whose rating is the same (other fields may differ).
    pub fn unchanged(&self) -> usize {
        self.matched - self.rated_changes()
    }

    /// Items in both whose rating is the same but another field differs.
    pub fn other_changes(&self) -> usize {
        self.changes.len() - self.rated_changes()
    }

    /// SPEC's exit 1: an item added or removed, or a rated field changed.
    pub fn has_rating_changes(&self) -> bool {
        !self.added.is_empty() || !self.removed.is_empty() || self.rated_changes() > 0
    }

    /// The distinct plans named in the changes (to decide whether messages name the plan).
    pub fn plans(&self) -> Vec<&str> {
        let mut plans: Vec<&str> = self
            .added
            .iter()
            .map(|e| e.key.plan.as_str())
            .chain(self.removed.iter().map(|e| e.key.plan.as_str()))
            .chain(self.changes.iter().map(|c| c.key.plan.as_str()))
            .collect();
        plans.sort_unstable();
        plans.dedup();
        plans
    }
}

/// Compares `old` with `new`.
pub fn compare(old: &RatingsTable, new: &RatingsTable) -> Diff {
    // Every column of either table other than the key, old's order first.
    let mut columns: Vec<&str> = old.columns.iter().map(String::as_str).collect();
    for c in &new.columns {
        if !columns.contains(&c.as_str()) {
            columns.push(c);
        }
    }
    columns.retain(|c| !KEY_COLUMNS.contains(c));
    let old_at: Vec<Option<usize>> = columns.iter().map(|c| old.index(c)).collect();
    let new_at: Vec<Option<usize>> = columns.iter().map(|c| new.index(c)).collect();
    let rated: Vec<bool> = columns.iter().map(|c| is_rated(c)).collect();

    let key = |t: &RatingsTable, row: &[String]| -> Key {
        let cell = |name: &str| t.index(name).map(|i| row[i].clone()).unwrap_or_default();
        Key { plan: cell("plan"), period: cell("period"), kind: cell("kind"), item: cell("item") }
    };
    let cell = |t: &RatingsTable, row: &[String], name: &str| t.index(name).map(|i| row[i].clone()).unwrap_or_default();
    let entry = |t: &RatingsTable, row: &[String]| Entry {
        key: key(t, row),
        status: cell(t, row, "status"),
        reason: cell(t, row, "reason"),
    };

    let old_rows: HashMap<Key, usize> = old.rows.iter().enumerate().map(|(i, r)| (key(old, r), i)).collect();
    let mut seen = HashSet::with_capacity(new.rows.len());
    let mut diff = Diff {
        old: old.source.clone(),
        new: new.source.clone(),
        added: Vec::new(),
        removed: Vec::new(),
        changes: Vec::new(),
        matched: 0,
        columns_only_old: old.columns.iter().filter(|c| new.index(c).is_none()).cloned().collect(),
        columns_only_new: new.columns.iter().filter(|c| old.index(c).is_none()).cloned().collect(),
        provenance: match (&old.provenance, &new.provenance) {
            (Some(a), Some(b)) => a.changes(b),
            _ => Vec::new(),
        },
    };
    for new_row in &new.rows {
        let k = key(new, new_row);
        let Some(&i) = old_rows.get(&k) else {
            diff.added.push(entry(new, new_row));
            continue;
        };
        seen.insert(i);
        diff.matched += 1;
        let old_row = &old.rows[i];
        let mut fields = Vec::new();
        for (c, name) in columns.iter().enumerate() {
            let a = old_at[c].map(|j| old_row[j].as_str()).unwrap_or("");
            let b = new_at[c].map(|j| new_row[j].as_str()).unwrap_or("");
            if a != b {
                fields.push(FieldChange { column: name.to_string(), old: a.to_string(), new: b.to_string(), rated: rated[c] });
            }
        }
        if !fields.is_empty() {
            diff.changes.push(Change {
                key: k,
                fields,
                old_status: cell(old, old_row, "status"),
                new_status: cell(new, new_row, "status"),
                old_reason: cell(old, old_row, "reason"),
                new_reason: cell(new, new_row, "reason"),
            });
        }
    }
    for (i, row) in old.rows.iter().enumerate() {
        if !seen.contains(&i) {
            diff.removed.push(entry(old, row));
        }
    }
    diff
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> RatingsTable {
        RatingsTable::from_bytes("t.csv", text.as_bytes(), Some(Format::Csv)).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn a_vs_column_in_one_file_only_changes_the_rows_where_it_judges() {
        let old = table("plan,period,kind,item,status\np,2013-12,measure,M1,Green\np,2013-12,measure,M2,Green\n");
        let new = table("plan,period,kind,item,status,vs_national\np,2013-12,measure,M1,Green,\np,2013-12,measure,M2,Green,worse\n");
        let diff = compare(&old, &new);
        assert_eq!(diff.columns_only_new, vec!["vs_national".to_string()]);
        assert_eq!(diff.changes.len(), 1);
        assert_eq!(diff.changes[0].key.item, "M2");
        assert!(diff.has_rating_changes());
    }

    #[test]
    fn other_fields_are_reported_but_do_not_change_the_rating() {
        let old = table("plan,period,kind,item,status,value\np,2013-12,measure,M1,Green,18.50\n");
        let new = table("plan,period,kind,item,status,value,reason\np,2013-12,measure,M1,Green,18.5,\n");
        assert!(compare(&old, &new).changes.is_empty(), "18.50 and 18.5 are the same number");
        let new = table("plan,period,kind,item,status,value\np,2013-12,measure,M1,Green,18.6\n");
        let diff = compare(&old, &new);
        assert_eq!(diff.other_changes(), 1);
        assert!(!diff.has_rating_changes());
    }

    #[test]
    fn added_and_removed_items_are_rating_changes() {
        let old = table("plan,period,kind,item,status\np,2013-12,measure,M1,Green\n");
        let new = table("plan,period,kind,item,status\np,2013-12,measure,M2,Green\n");
        let diff = compare(&old, &new);
        assert_eq!((diff.added.len(), diff.removed.len(), diff.matched), (1, 1, 0));
        assert!(diff.has_rating_changes());
    }

    #[test]
    fn a_repeated_key_names_both_lines() {
        let e = RatingsTable::from_bytes("r.txt", b"plan,period,kind,item\np,2013-12,measure,M1\n", None);
        assert!(e.is_err(), "no format from the name or the content, and not stdin");
        let e = RatingsTable::from_bytes("r.csv", b"plan,period,kind,item\np,2013-12,measure,M1\np,2013-12,measure,M1\n", Some(Format::Csv))
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("r.csv:3: the rating of M1 at 2013-12"), "{e}");
        assert!(e.contains("also at line 2"), "{e}");
    }
}
