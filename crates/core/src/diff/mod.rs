//! Comparing two ratings tables: what `scorecard diff` and `rate --check` report.
//!
//! A ratings file (CSV, JSON or Parquet, as [`write`](mod@crate::write) writes them) is read back into a
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
use crate::model::columns::{self as table, column_names};
use crate::model::number::format_number;
use crate::model::period::{Period, YearType};
use crate::model::rating::Ratings;
use crate::provenance::{Provenance, PARQUET_KEY};
use crate::write::{csv_record, restore_formula, Format};
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// The columns that identify a row: (plan, period, kind, item).
pub const KEY_COLUMNS: [&str; 4] = ["plan", "period", "kind", "item"];

/// Whether a change to `column` is a change of rating: the column table's rated columns
/// (`status`, `computed_status`, `dot`, `dot_judgement` and every `vs_<label>`).
pub fn is_rated(column: &str) -> bool {
    table::column(column).is_some_and(|c| c.rated)
}

/// Columns holding numbers: compared as numbers written by [`format_number`], so that `18.50`
/// and `18.5` are the same value.
fn is_numeric(column: &str) -> bool {
    table::column(column).is_some_and(|c| c.ty == table::ColumnType::Number)
}

/// One column's cells, end to end in one string: two allocations per column rather than one
/// per cell, so that a batch run's millions of rows fit in memory.
#[derive(Debug, Clone, PartialEq, Default)]
struct Cells {
    text: String,
    /// End of each row's cell in `text`.
    ends: Vec<usize>,
    numeric: bool,
}

impl Cells {
    fn push(&mut self, cell: &str) {
        if self.numeric && !cell.is_empty() {
            if let Ok(x) = cell.trim().parse::<f64>() {
                self.text.push_str(&format_number(x));
                self.ends.push(self.text.len());
                return;
            }
        }
        self.text.push_str(cell);
        self.ends.push(self.text.len());
    }

    fn len(&self) -> usize {
        self.ends.len()
    }

    fn get(&self, row: usize) -> &str {
        // Every reader checks that each column has a cell per row; a missing one reads as
        // empty rather than panicking.
        let start = if row == 0 { 0 } else { self.ends.get(row - 1).copied().unwrap_or(self.text.len()) };
        let end = self.ends.get(row).copied().unwrap_or(start);
        self.text.get(start..end).unwrap_or("")
    }
}

/// A ratings table read back from a file, or made from [`Ratings`]: every cell as the text the
/// CSV writer gives it (empty for none).
#[derive(Debug, Clone, PartialEq)]
pub struct RatingsTable {
    /// Where it came from, as the user named it: messages quote it.
    pub source: String,
    /// Column names, lower case, in the file's order.
    pub columns: Vec<String>,
    /// The provenance the file carries (JSON and Parquet written by `scorecard`).
    pub provenance: Option<Provenance>,
    cells: Vec<Cells>,
    rows: usize,
}

fn problem(source: &str, message: impl Into<String>) -> Error {
    Error::Input(Problems(vec![Problem::file(source, message)]))
}

fn problem_at(source: &str, line: u64, column: Option<(usize, &str)>, message: impl Into<String>) -> Error {
    Error::Input(Problems(vec![Problem::at(source, line, column, message)]))
}

const EXPECTED: &str = "expected ratings as `scorecard rate` writes them in CSV, JSON or Parquet";

/// The largest ratings file read back (`diff`, `rate --check`): the table is held in memory,
/// a little more than the file's size for CSV and JSON.
pub const MAX_RATINGS_BYTES: u64 = 4_000_000_000;

/// The most rows a Parquet ratings file may claim (a batch of a thousand plans at every
/// period is a few million): a damaged footer can claim any number, and reading would
/// allocate for it.
pub const MAX_PARQUET_ROWS: usize = 100_000_000;

/// The largest Parquet page read (polars' writer makes pages of about 1 MB).
const MAX_PAGE_BYTES: usize = 1 << 30;

/// How a row is named in messages: a CSV line or a rating's number.
#[derive(Clone, Copy)]
enum Position {
    Line(u64),
    Row(usize),
}

impl RatingsTable {
    fn empty(source: &str, columns: Vec<String>) -> RatingsTable {
        let cells = columns.iter().map(|c| Cells { numeric: is_numeric(c), ..Cells::default() }).collect();
        RatingsTable { source: source.to_string(), columns, provenance: None, cells, rows: 0 }
    }

    /// Reads a ratings file; the format comes from the extension (`.csv`, `.json`,
    /// `.parquet`), else from the content (Parquet's `PAR1`, JSON's `{`). Only a regular file
    /// or a pipe (`<(git show ...)`) is read, and at most [`MAX_RATINGS_BYTES`] of it.
    pub fn read(path: &Path) -> Result<RatingsTable> {
        use std::io::Read;
        let source = path.display().to_string();
        let io = |e: std::io::Error| Error::Io { path: path.to_path_buf(), source: e };
        let meta = std::fs::metadata(path).map_err(io)?;
        let t = meta.file_type();
        #[cfg(unix)]
        let pipe = std::os::unix::fs::FileTypeExt::is_fifo(&t);
        #[cfg(not(unix))]
        let pipe = false;
        if !t.is_file() && !pipe {
            let what = if t.is_dir() { "a folder" } else { "a device or socket" };
            return Err(problem(&source, format!("is {what}, not a file; {EXPECTED}")));
        }
        let mut bytes = Vec::new();
        std::fs::File::open(path).map_err(io)?.take(MAX_RATINGS_BYTES + 1).read_to_end(&mut bytes).map_err(io)?;
        if bytes.len() as u64 > MAX_RATINGS_BYTES {
            return Err(problem(
                &source,
                format!("is more than {} MB; a ratings file read back may be at most that", MAX_RATINGS_BYTES / 1_000_000),
            ));
        }
        RatingsTable::from_bytes(&source, &bytes, Format::from_path(path))
    }

    /// Reads a ratings file's bytes in `format`; when `None`, in the format of `source`'s
    /// extension, else the one its content shows, else CSV when `source` is `-` (standard
    /// input); otherwise an error.
    pub fn from_bytes(source: &str, bytes: &[u8], format: Option<Format>) -> Result<RatingsTable> {
        let format = match format.or_else(|| Format::from_path(Path::new(source))).or_else(|| sniff(bytes)) {
            Some(f) => f,
            None if source == "-" => Format::Csv,
            None => return Err(problem(source, "cannot tell the format of this file; expected a .csv, .json or .parquet file name")),
        };
        match format {
            Format::Csv => read_csv(source, bytes),
            Format::Json => read_json(source, bytes),
            Format::Parquet => read_parquet(source, bytes),
        }
    }

    /// The table `ratings` would be written as, with `provenance`.
    pub fn from_ratings(source: &str, ratings: &Ratings, provenance: Option<Provenance>) -> RatingsTable {
        let mut table = RatingsTable::empty(source, column_names(&ratings.labels));
        let mut record = csv::StringRecord::new();
        for r in &ratings.rows {
            csv_record(r, &mut record);
            for (cells, field) in table.cells.iter_mut().zip(record.iter()) {
                cells.push(field);
            }
            table.rows += 1;
        }
        table.provenance = provenance;
        table
    }

    /// The same table with every row's `period` cell set to `period`: so that [`compare`]
    /// matches the items of two reporting periods by (plan, kind, item), as the report's "What
    /// changed since the last report" does ([`compare_periods`]).
    pub fn at_period(mut self, period: &str) -> RatingsTable {
        if let Some(at) = self.index("period") {
            let mut cells = Cells::default();
            for _ in 0..self.rows {
                cells.push(period);
            }
            self.cells[at] = cells;
        }
        self
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.rows
    }

    /// Whether it has no rows.
    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// The cell of `row` in the column named `column` (empty when there is no such column).
    pub fn cell(&self, row: usize, column: &str) -> &str {
        self.index(column).map(|c| self.cells[c].get(row)).unwrap_or("")
    }

    fn index(&self, column: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == column)
    }

    fn key_indexes(&self) -> [usize; 4] {
        KEY_COLUMNS.map(|k| self.index(k).unwrap_or(0))
    }

    fn key_of(&self, keys: &[usize; 4], row: usize) -> [&str; 4] {
        keys.map(|k| self.cells[k].get(row))
    }

    /// Checks the columns (named once each) before reading rows.
    fn check_columns(source: &str, columns: &[String]) -> Result<()> {
        let mut seen = HashSet::new();
        for c in columns {
            if !seen.insert(c.as_str()) {
                return Err(problem(source, format!("column `{c}` appears twice; {EXPECTED}")));
            }
        }
        Ok(())
    }

    /// Checks the keys: key columns present, keys non-empty and unique.
    fn check_keys(&self, positions: &dyn Fn(usize) -> Position) -> Result<()> {
        let missing: Vec<&str> = KEY_COLUMNS.iter().copied().filter(|k| self.index(k).is_none()).collect();
        if !missing.is_empty() {
            let list = missing.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(", ");
            return Err(problem(&self.source, format!("no {list} column; ratings are keyed by plan, period, kind and item; {EXPECTED}")));
        }
        let keys = self.key_indexes();
        let mut first: HashMap<[&str; 4], usize> = HashMap::with_capacity(self.rows);
        for i in 0..self.rows {
            let key = self.key_of(&keys, i);
            if let Some(k) = (0..4).find(|&k| key[k].is_empty()) {
                let name = &self.columns[keys[k]];
                let message = format!("the key column `{name}` is empty");
                return Err(match positions(i) {
                    Position::Line(line) => problem_at(&self.source, line, Some((keys[k] + 1, name)), message),
                    Position::Row(n) => problem(&self.source, format!("rating {n}: {message}")),
                });
            }
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

/// The words a column of closed vocabulary may hold (empty is always allowed): what the
/// writers write, taken from the model's types.
fn vocabulary(column: &str) -> Option<Vec<&'static str>> {
    use crate::model::rating::{Dot, DotJudgement, Kind, Versus};
    use crate::model::values::{Polarity, Status};
    let codes = 0..16;
    Some(match column {
        "kind" => vec![Kind::Milestone.name(), Kind::Measure.name(), Kind::Action.name(), Kind::Priority.name()],
        "status" | "computed_status" => codes.filter_map(Status::from_code).map(Status::name).collect(),
        "polarity" => vec![Polarity::HighIsGood.name(), Polarity::LowIsGood.name(), Polarity::Neutral.name()],
        "dot" => vec![Dot::Up.name(), Dot::Down.name(), Dot::Same.name(), Dot::None.name()],
        "dot_judgement" => codes.filter_map(DotJudgement::from_code).map(DotJudgement::name).collect(),
        c if c.starts_with("vs_") => codes.filter_map(Versus::from_code).map(Versus::name).collect(),
        _ => match table::column(column)?.ty {
            table::ColumnType::Flag => vec!["true", "false"],
            _ => return None,
        },
    })
}

impl RatingsTable {
    /// Checks every cell of the columns whose values the writers constrain: words from their
    /// vocabulary, periods that parse, numbers that are finite (a damaged or hand-edited file
    /// would otherwise compare as a change of rating to `Purple`).
    fn check_values(&self, positions: &dyn Fn(usize) -> Position) -> Result<()> {
        for (c, name) in self.columns.iter().enumerate() {
            let cells = &self.cells[c];
            if cells.len() != self.rows {
                return Err(problem(
                    &self.source,
                    format!(
                        "column `{}` has {} cells for {} rows; the file is damaged",
                        crate::read::table::shown(name),
                        cells.len(),
                        self.rows
                    ),
                ));
            }
            let words = vocabulary(name);
            let ty = table::column(name).map(|c| c.ty);
            for i in 0..self.rows {
                let cell = cells.get(i);
                if cell.is_empty() {
                    continue;
                }
                let expected = if let Some(words) = &words {
                    (!words.contains(&cell)).then(|| format!("one of {}", words.join(", ")))
                } else {
                    match ty {
                        Some(table::ColumnType::Period) => {
                            let parses = [YearType::Financial, YearType::Academic, YearType::Calendar]
                                .iter()
                                .any(|&y| Period::parse(cell, y).is_ok());
                            (!parses).then(|| "a period such as 2013-12, 2013/14 Q3 or 2013/14".to_string())
                        }
                        Some(table::ColumnType::Number) => {
                            (!cell.trim().parse::<f64>().is_ok_and(f64::is_finite)).then(|| "a number".to_string())
                        }
                        _ => None,
                    }
                };
                if let Some(expected) = expected {
                    let message =
                        format!("{:?} is not a value scorecard writes here; expected {expected}", crate::read::table::shown(cell));
                    return Err(match positions(i) {
                        Position::Line(line) => problem_at(&self.source, line, Some((c + 1, name)), message),
                        Position::Row(n) => problem(&self.source, format!("rating {n}: column `{name}`: {message}")),
                    });
                }
            }
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
    RatingsTable::check_columns(source, &columns)?;
    // Text cells that `rate` wrote with a `'` before a formula-like start read back as the
    // text itself (`write::csv::CsvFormulas`).
    let text: Vec<bool> = columns.iter().map(|c| table::column(c).is_some_and(|c| c.ty == table::ColumnType::Text)).collect();
    let mut table = RatingsTable::empty(source, columns);
    let mut lines = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                for ((cells, field), text) in table.cells.iter_mut().zip(record.iter()).zip(&text) {
                    cells.push(if *text { restore_formula(field) } else { field });
                }
                table.rows += 1;
                lines.push(record.position().map(|p| p.line()).unwrap_or(0));
            }
            Err(e) => return Err(csv_problem(source, &e)),
        }
    }
    table.check_keys(&|i| Position::Line(lines[i]))?;
    table.check_values(&|i| Position::Line(lines[i]))?;
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

fn read_json(source: &str, bytes: &[u8]) -> Result<RatingsTable> {
    use serde::de::DeserializeSeed;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = json::Reader { table: RatingsTable::empty(source, Vec::new()), given_columns: false, provenance: None };
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let parsed = (&mut reader).deserialize(&mut de).and_then(|()| de.end());
    if let Err(e) = parsed {
        let message = e.to_string();
        let message = message.split(" at line ").next().unwrap_or(&message).to_string();
        let message = match e.classify() {
            serde_json::error::Category::Data => message,
            _ => format!("not valid JSON: {message}"),
        };
        // serde's own messages say what they expected; ours get the general expectation.
        let message = if message.contains("expected") { message } else { format!("{message}; {EXPECTED}") };
        return Err(if e.line() == 0 {
            problem(source, message)
        } else {
            Error::Input(Problems(vec![Problem {
                file: source.to_string(),
                line: Some(e.line() as u64),
                column: Some(e.column()),
                column_name: None,
                message,
                sheet: None,
            }]))
        });
    }
    let mut table = reader.table;
    if let Some(p) = reader.provenance {
        table.provenance = Some(
            Provenance::from_json(&p)
                .ok_or_else(|| problem(source, "\"provenance\" is not the object `scorecard` writes (engine, computed_only, plans)"))?,
        );
    }
    table.check_keys(&|i| Position::Row(i + 1))?;
    table.check_values(&|i| Position::Row(i + 1))?;
    Ok(table)
}

/// Reading JSON ratings as a stream: `{"provenance": {...}, "columns": [...], "ratings":
/// [{...}, ...]}`, each rating straight into the column buffers, so that the file is never
/// held as a tree. Errors raised here get serde_json's line and column.
mod json {
    use super::RatingsTable;
    use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
    use serde_json::Value as Json;
    use std::fmt;

    pub(super) struct Reader {
        pub(super) table: RatingsTable,
        /// Whether `"columns"` came before the ratings (then they must keep to it).
        pub(super) given_columns: bool,
        pub(super) provenance: Option<Json>,
    }

    impl Reader {
        /// The index of column `name`, adding it (empty in earlier rows) when no `"columns"`
        /// list was given.
        fn column<E: de::Error>(&mut self, name: &str) -> Result<usize, E> {
            let name = name.trim().to_ascii_lowercase();
            if let Some(i) = self.table.index(&name) {
                return Ok(i);
            }
            if self.given_columns {
                return Err(E::custom(format!("rating {} has a field `{name}` that \"columns\" does not list", self.table.rows + 1)));
            }
            let mut cells = super::Cells { numeric: super::is_numeric(&name), ..Default::default() };
            for _ in 0..self.table.rows {
                cells.push("");
            }
            self.table.columns.push(name);
            self.table.cells.push(cells);
            Ok(self.table.columns.len() - 1)
        }
    }

    impl<'de> DeserializeSeed<'de> for &mut Reader {
        type Value = ();
        fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_map(self)
        }
    }

    impl<'de> Visitor<'de> for &mut Reader {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            write!(f, "an object {{\"columns\": [...], \"ratings\": [...]}}")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            let mut ratings = false;
            while let Some(key) = map.next_key::<String>()? {
                match key.as_str() {
                    "provenance" => self.provenance = Some(map.next_value()?),
                    "columns" => {
                        let names: Vec<String> = map.next_value()?;
                        if ratings || self.given_columns {
                            continue;
                        }
                        let names: Vec<String> = names.iter().map(|n| n.trim().to_ascii_lowercase()).collect();
                        super::RatingsTable::check_columns("", &names)
                            .map_err(|_| de::Error::custom("\"columns\" names a column twice"))?;
                        self.table = RatingsTable::empty(&self.table.source, names);
                        self.given_columns = true;
                    }
                    "ratings" => {
                        map.next_value_seed(Ratings(&mut *self))?;
                        ratings = true;
                    }
                    _ => {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
            }
            if !ratings {
                return Err(de::Error::custom("the JSON object has no \"ratings\" array"));
            }
            Ok(())
        }
    }

    struct Ratings<'a>(&'a mut Reader);

    impl<'de> DeserializeSeed<'de> for Ratings<'_> {
        type Value = ();
        fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_seq(self)
        }
    }

    impl<'de> Visitor<'de> for Ratings<'_> {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            write!(f, "a list of ratings")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            let mut row: Vec<Option<String>> = Vec::new();
            while seq.next_element_seed(Rating { reader: &mut *self.0, row: &mut row })?.is_some() {}
            Ok(())
        }
    }

    /// One rating object into the table; `row` is a scratch buffer.
    struct Rating<'a> {
        reader: &'a mut Reader,
        row: &'a mut Vec<Option<String>>,
    }

    impl<'de> DeserializeSeed<'de> for Rating<'_> {
        type Value = ();
        fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_map(self)
        }
    }

    impl<'de> Visitor<'de> for Rating<'_> {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            write!(f, "a rating object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            self.row.clear();
            while let Some(key) = map.next_key::<String>()? {
                let c = self.reader.column::<A::Error>(&key)?;
                let value: Json = map.next_value()?;
                let cell = match value {
                    Json::Null => String::new(),
                    Json::String(s) => s,
                    Json::Bool(b) => b.to_string(),
                    Json::Number(n) => n.as_f64().map(super::format_number).unwrap_or_else(|| n.to_string()),
                    Json::Array(_) | Json::Object(_) => {
                        return Err(de::Error::custom(format!(
                            "rating {}: field `{key}` is a list or an object; expected text, a number, true/false or null",
                            self.reader.table.rows + 1
                        )))
                    }
                };
                if self.row.len() <= c {
                    self.row.resize(c + 1, None);
                }
                self.row[c] = Some(cell);
            }
            let table = &mut self.reader.table;
            for (c, cells) in table.cells.iter_mut().enumerate() {
                cells.push(self.row.get(c).and_then(|v| v.as_deref()).unwrap_or(""));
            }
            table.rows += 1;
            Ok(())
        }
    }
}

fn read_parquet(source: &str, bytes: &[u8]) -> Result<RatingsTable> {
    // The polars Parquet reader trusts the file's footer and pages: a damaged file can make it
    // panic (an index out of bounds) deep inside. Its panics are contained here, quietly, and
    // reported as a damaged file; what the footer claims is checked before anything is
    // allocated for it.
    match contained(|| read_parquet_inner(source, bytes)) {
        Ok(result) => result,
        Err(detail) => Err(problem(
            source,
            format!(
                "cannot read it as Parquet: the file is damaged (the Parquet reader stopped: {}); {EXPECTED}",
                crate::read::table::shown(&detail)
            ),
        )),
    }
}

/// Runs `f`, turning a panic into its message, with no panic message printed meanwhile (on any
/// thread: polars decodes on its own threads).
fn contained<T>(f: impl FnOnce() -> T) -> std::result::Result<T, String> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static QUIET: AtomicUsize = AtomicUsize::new(0);
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if QUIET.load(Ordering::SeqCst) == 0 {
                previous(info);
            }
        }));
    });
    QUIET.fetch_add(1, Ordering::SeqCst);
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    QUIET.fetch_sub(1, Ordering::SeqCst);
    result.map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic".to_string())
    })
}

fn read_parquet_inner(source: &str, bytes: &[u8]) -> Result<RatingsTable> {
    use polars::prelude::*;
    let unreadable = |e: PolarsError| problem(source, format!("cannot read it as Parquet: {e}; {EXPECTED}"));
    let damaged = |what: String| problem(source, format!("cannot read it as Parquet: the file is damaged ({what}); {EXPECTED}"));
    let mut reader = ParquetReader::new(std::io::Cursor::new(bytes));
    let metadata = reader.get_metadata().map_err(unreadable)?.clone();
    if metadata.num_rows > MAX_PARQUET_ROWS {
        return Err(damaged(format!("it claims {} rows; at most {MAX_PARQUET_ROWS} are read", metadata.num_rows)));
    }
    let mut rows = 0usize;
    let len = bytes.len() as u64;
    for group in &metadata.row_groups {
        rows = rows.saturating_add(group.num_rows());
        for chunk in group.parquet_columns() {
            let range = chunk.byte_range();
            if chunk.compressed_size() < 0 || chunk.uncompressed_size() < 0 || range.end > len || range.start > range.end {
                return Err(damaged("a column chunk lies outside the file".into()));
            }
            if chunk.num_values() < 0 || chunk.num_values() as u64 > group.num_rows() as u64 {
                return Err(damaged("a column chunk claims more values than its rows".into()));
            }
        }
    }
    if rows != metadata.num_rows {
        return Err(damaged(format!("its row groups hold {rows} rows but it claims {}", metadata.num_rows)));
    }
    // Every data page's header: a negative count there reads as a vast one, and the decoder
    // reserves memory for it before reading a value (a 2.3 EB allocation aborts the process).
    let file = polars_buffer::Buffer::from(bytes.to_vec());
    for group in &metadata.row_groups {
        for chunk in group.parquet_columns() {
            let pages =
                polars_parquet::parquet::read::get_page_iterator(chunk, std::io::Cursor::new(file.clone()), Vec::new(), MAX_PAGE_BYTES)
                    .map_err(|e| damaged(e.to_string()))?;
            for page in pages {
                let page = page.map_err(|e| damaged(e.to_string()))?;
                if let polars_parquet::parquet::page::CompressedPage::Data(page) = page {
                    let n = group.num_rows();
                    if page.num_values() > n
                        || page.num_rows().is_some_and(|r| r > n)
                        || page.null_count().is_some_and(|c| c > n)
                        || page.uncompressed_size() > MAX_PAGE_BYTES
                    {
                        return Err(damaged("a page header claims more values or bytes than its row group holds".into()));
                    }
                }
            }
        }
    }
    let provenance_text =
        metadata.key_value_metadata.as_ref().and_then(|kv| kv.iter().find(|k| k.key == PARQUET_KEY)).and_then(|k| k.value.clone());
    let df = reader.finish().map_err(unreadable)?;
    let columns: Vec<String> = df.get_column_names().iter().map(|c| c.trim().to_ascii_lowercase()).collect();
    RatingsTable::check_columns(source, &columns)?;
    let mut table = RatingsTable::empty(source, columns);
    table.rows = df.height();
    // Column by column, each dropped once copied; each must have a cell per row.
    for (cells, column) in table.cells.iter_mut().zip(df.into_columns()) {
        if column.len() != table.rows {
            return Err(damaged(format!(
                "column `{}` has {} values for {} rows",
                crate::read::table::shown(column.name()),
                column.len(),
                table.rows
            )));
        }
        parquet_cells(&column, table.rows, cells).map_err(unreadable)?;
    }
    if let Some(text) = provenance_text {
        let parsed = serde_json::from_str::<serde_json::Value>(&text).ok().and_then(|j| Provenance::from_json(&j));
        table.provenance =
            Some(parsed.ok_or_else(|| problem(source, format!("the `{PARQUET_KEY}` metadata is not the provenance `scorecard` writes")))?);
    }
    table.check_keys(&|i| Position::Row(i + 1))?;
    table.check_values(&|i| Position::Row(i + 1))?;
    Ok(table)
}

/// One Parquet column's cells as output text.
fn parquet_cells(column: &polars::prelude::Column, n: usize, cells: &mut Cells) -> polars::prelude::PolarsResult<()> {
    use polars::prelude::*;
    let dtype = column.dtype();
    if dtype.is_bool() {
        for b in column.bool()?.iter() {
            cells.push(match b {
                Some(true) => "true",
                Some(false) => "false",
                None => "",
            });
        }
    } else if dtype.is_primitive_numeric() {
        let floats = column.cast(&DataType::Float64)?;
        for x in floats.f64()?.iter() {
            cells.push(&x.map(format_number).unwrap_or_default());
        }
    } else if dtype.is_null() {
        for _ in 0..n {
            cells.push("");
        }
    } else {
        let text = column.cast(&DataType::String)?;
        for s in text.str()?.iter() {
            cells.push(s.unwrap_or(""));
        }
    }
    Ok(())
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

    /// Exit status 1: an item added or removed, or a rated field changed.
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

/// Compares the ratings of a plan at an earlier period (`previous`) with those at a later one
/// (`current`), item by item: [`compare`] of the two tables, the earlier one's period written
/// as the later one's. What `diff` reports for two files, for two periods.
pub fn compare_periods(previous: &Ratings, current: &Ratings) -> Diff {
    let new = RatingsTable::from_ratings("current", current, None);
    let period = if new.is_empty() { String::new() } else { new.cell(0, "period").to_string() };
    let old = RatingsTable::from_ratings("previous", previous, None).at_period(&period);
    compare(&old, &new)
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
    // A column in one file only reads as empty in the other; a flag (`stale`, issue #16) as
    // `false`, so that a golden file written before the column existed changes only where the
    // new file raises the flag.
    let absent: Vec<&str> =
        columns.iter().map(|c| if table::column(c).is_some_and(|c| c.ty == table::ColumnType::Flag) { "false" } else { "" }).collect();

    let key = |k: [&str; 4]| Key { plan: k[0].into(), period: k[1].into(), kind: k[2].into(), item: k[3].into() };
    let entry = |t: &RatingsTable, keys: &[usize; 4], row: usize| Entry {
        key: key(t.key_of(keys, row)),
        status: t.cell(row, "status").to_string(),
        reason: t.cell(row, "reason").to_string(),
    };

    let (old_keys, new_keys) = (old.key_indexes(), new.key_indexes());
    let old_rows: HashMap<[&str; 4], usize> = (0..old.rows).map(|i| (old.key_of(&old_keys, i), i)).collect();
    let mut seen = vec![false; old.rows];
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
    for n in 0..new.rows {
        let k = new.key_of(&new_keys, n);
        let Some(&o) = old_rows.get(&k) else {
            diff.added.push(entry(new, &new_keys, n));
            continue;
        };
        seen[o] = true;
        diff.matched += 1;
        let mut fields = Vec::new();
        for (c, name) in columns.iter().enumerate() {
            let a = old_at[c].map(|j| old.cells[j].get(o)).unwrap_or(absent[c]);
            let b = new_at[c].map(|j| new.cells[j].get(n)).unwrap_or(absent[c]);
            if a != b {
                fields.push(FieldChange { column: name.to_string(), old: a.to_string(), new: b.to_string(), rated: rated[c] });
            }
        }
        if !fields.is_empty() {
            diff.changes.push(Change {
                key: key(k),
                fields,
                old_status: old.cell(o, "status").to_string(),
                new_status: new.cell(n, "status").to_string(),
                old_reason: old.cell(o, "reason").to_string(),
                new_reason: new.cell(n, "reason").to_string(),
            });
        }
    }
    for (o, seen) in seen.iter().enumerate() {
        if !seen {
            diff.removed.push(entry(old, &old_keys, o));
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
        let e =
            RatingsTable::from_bytes("r.csv", b"plan,period,kind,item\np,2013-12,measure,M1\np,2013-12,measure,M1\n", Some(Format::Csv))
                .unwrap_err()
                .to_string();
        assert!(e.starts_with("r.csv:3: the rating of M1 at 2013-12"), "{e}");
        assert!(e.contains("also at line 2"), "{e}");
    }

    #[test]
    fn two_periods_compare_item_by_item() {
        let old = table("plan,period,kind,item,status,reason\np,2013-11,milestone,1.6,Amber,ongoing\np,2013-11,milestone,1.7,Green,done\n");
        let new = table("plan,period,kind,item,status,reason\np,2013-12,milestone,1.6,Red,overdue\np,2013-12,milestone,1.7,Green,done\n");
        // As compare_periods does: the earlier table's period written as the later one's.
        let diff = compare(&old.at_period("2013-12"), &new);
        assert_eq!((diff.matched, diff.added.len(), diff.removed.len()), (2, 0, 0));
        assert_eq!(diff.changes.len(), 1);
        let c = &diff.changes[0];
        assert_eq!((c.key.item.as_str(), c.old_status.as_str(), c.new_status.as_str()), ("1.6", "Amber", "Red"));
        assert_eq!((c.old_reason.as_str(), c.new_reason.as_str()), ("ongoing", "overdue"));
    }

    /// A small plan's ratings, with two benchmark labels, written as Parquet.
    fn parquet_bytes() -> Vec<u8> {
        let files = vec![
            (
                "measures.csv".to_string(),
                b"measure,title,polarity,frequency,target\nK1,One,high,monthly,90\nK2,Two,low,monthly,10\n".to_vec(),
            ),
            ("values.csv".to_string(), b"measure,period,value\nK1,2013-11,80\nK1,2013-12,91\nK2,2013-12,12\n".to_vec()),
            ("benchmarks.csv".to_string(), b"item,period,benchmark,value\nK1,2013-12,national,85\nK2,2013-12,region,11\n".to_vec()),
        ];
        let plan = crate::Plan::from_files("p", "p", files).unwrap_or_else(|e| panic!("{e}"));
        let ratings = crate::rate(&plan, plan.latest_period().unwrap(), crate::RateOptions::default()).unwrap();
        let mut out = Vec::new();
        crate::write::write(&ratings, Format::Parquet, &mut out).unwrap();
        out
    }

    #[test]
    fn damaged_parquet_is_an_error_naming_the_file_never_a_panic() {
        let good = parquet_bytes();
        let whole = RatingsTable::from_bytes("r.parquet", &good, None).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(whole.len(), 2);
        let n = good.len();
        // Bytes flipped (one of three ways), lengths cut short, and the footer's length word
        // made huge: each reads as a table or as an error naming the file. Byte 39 of this file
        // (a page header's count) once made the reader ask for 2.3 EB and abort.
        let mut tried = 0;
        let mut refused = 0;
        let mut check = |bytes: &[u8]| {
            tried += 1;
            match RatingsTable::from_bytes("r.parquet", bytes, Some(Format::Parquet)) {
                Ok(t) => assert!(t.len() <= 2),
                Err(e) => {
                    refused += 1;
                    assert!(e.to_string().starts_with("r.parquet: "), "{e}");
                    assert!(e.is_input(), "{e}");
                }
            }
        };
        // Every byte of the first pages' headers and of the footer, one in 16 between.
        let positions: Vec<usize> = (0..n).filter(|&at| at < 256 || at + 384 >= n || at % 16 == 0).collect();
        for &at in &positions {
            let mut bytes = good.clone();
            bytes[at] ^= [0x01u8, 0x80, 0xFF][at % 3];
            check(&bytes);
        }
        for len in (0..n).step_by(50) {
            check(&good[..len]);
        }
        let mut huge = good.clone();
        huge[n - 8..n - 4].copy_from_slice(&u32::MAX.to_le_bytes());
        check(&huge);
        assert_eq!(tried, positions.len() + n.div_ceil(50) + 1);
        assert!(refused > positions.len() / 2, "{refused} of {tried} refused");
    }

    #[test]
    fn a_contained_panic_becomes_its_message() {
        assert_eq!(contained(|| 1), Ok(1));
        let caught = contained(|| -> u8 { panic!("deep inside") });
        assert_eq!(caught, Err("deep inside".to_string()));
    }
}
