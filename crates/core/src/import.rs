//! Data in from the public sources councils benchmark with (issue #13): an OHID Fingertips
//! "all data" CSV download, and an LG Inform CSV export, turned into `values.csv` and
//! `benchmarks.csv` rows of a plan whose `measures.csv` names each measure's source indicator
//! (`fingertips_id`, `lginform_id`).
//!
//! Nothing here touches the file system: [`fingertips`] and [`lginform`] read the download's
//! bytes against the plan, and [`merge`] merges the rows into an existing file's text; the CLI
//! (`scorecard import`) reads and writes the files.
//!
//! Periods are placed in the measure's own periods: `2022/23` (a financial or academic year),
//! `2022` (a calendar year), `Q3 2023/24` or `2023/24 Q3` (a quarter), `Dec 2023` (a month);
//! a rolling period `2020 - 22` or `2018/19 - 20/21` is placed at its last year (2022,
//! 2020/21). A row whose period is not one of the measure's frequency is reported with its
//! line, as is every other row for the area or its benchmarks that cannot be placed.

use crate::error::{Error, Problem, Problems, Result};
use crate::model::period::Period;
use crate::model::values::parse_number;
use crate::read::plan::{Measure, Plan};
use std::collections::{BTreeMap, BTreeSet};

/// A row of `values.csv` to write.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueRow {
    /// The measure's id.
    pub measure: String,
    /// The measure's period.
    pub period: Period,
    /// The value.
    pub value: f64,
    /// Count and denominator, where both are given and usable.
    pub counts: Option<(f64, f64)>,
    /// The published 95% interval.
    pub ci: Option<(f64, f64)>,
    /// The published 99.8% interval.
    pub ci_998: Option<(f64, f64)>,
}

/// A row of `benchmarks.csv` to write.
#[derive(Debug, Clone, PartialEq)]
pub struct BenchmarkRow {
    /// The measure's id.
    pub item: String,
    /// The period.
    pub period: Period,
    /// The label (`national`, `region`, `cipfa_nearest_neighbours`).
    pub label: String,
    /// The benchmark's value.
    pub value: f64,
    /// Its published 95% interval.
    pub ci: Option<(f64, f64)>,
}

/// A row of the download that could not be placed, with why.
#[derive(Debug, Clone, PartialEq)]
pub struct Unplaced {
    /// Its line in the download (the header is line 1).
    pub line: u64,
    /// Why.
    pub message: String,
}

/// What an import found.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Imported {
    /// The area's values, in download order.
    pub values: Vec<ValueRow>,
    /// The benchmarks, in download order.
    pub benchmarks: Vec<BenchmarkRow>,
    /// Rows for the area or its benchmarks that could not be placed.
    pub unplaced: Vec<Unplaced>,
    /// Rows left out by the sex, age and category filters.
    pub filtered: usize,
}

/// Which rows of a Fingertips download to keep.
#[derive(Debug, Clone, PartialEq)]
pub struct FingertipsOptions {
    /// The area's code (`E08000018`).
    pub area: String,
    /// The `Sex` kept (default `Persons`).
    pub sex: String,
    /// The `Age` kept; `None`: `All ages`, or an indicator's only age when it has one.
    pub age: Option<String>,
    /// The `Category` kept; `None`: rows without a category only.
    pub category: Option<String>,
    /// The label of England's rows.
    pub national_label: String,
    /// The label of the parent area's rows.
    pub parent_label: String,
}

impl FingertipsOptions {
    /// Persons, all ages, no category; England as `national`, the parent as `region`.
    pub fn new(area: &str) -> FingertipsOptions {
        FingertipsOptions {
            area: area.to_string(),
            sex: "Persons".into(),
            age: None,
            category: None,
            national_label: "national".into(),
            parent_label: "region".into(),
        }
    }
}

/// England's area code in Fingertips.
pub const ENGLAND: &str = "E92000001";

/// The columns of a Fingertips download this reads (others are ignored).
const FINGERTIPS_COLUMNS: [&str; 15] = [
    "indicator id",
    "indicator name",
    "parent code",
    "area code",
    "area type",
    "sex",
    "age",
    "category type",
    "category",
    "time period",
    "value",
    "lower ci 95.0 limit",
    "upper ci 95.0 limit",
    "count",
    "denominator",
];

fn input_error(source: &str, line: Option<u64>, message: impl Into<String>) -> Error {
    let problem = match line {
        Some(l) => Problem::at(source, l, None, message),
        None => Problem::file(source, message),
    };
    Error::Input(Problems(vec![problem]))
}

/// A CSV download read whole: its lower-cased header and its records with their lines.
struct Download {
    header: Vec<String>,
    rows: Vec<(u64, csv::StringRecord)>,
}

impl Download {
    fn read(source: &str, bytes: &[u8]) -> Result<Download> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
        let header = reader
            .headers()
            .map_err(|e| input_error(source, Some(1), format!("cannot read the header: {e}")))?
            .iter()
            .map(|h| h.trim().to_ascii_lowercase())
            .collect();
        let mut rows = Vec::new();
        for record in reader.records() {
            let record = record.map_err(|e| {
                let line = e.position().map(|p| p.line());
                input_error(source, line, format!("not a CSV row: {e}"))
            })?;
            let line = record.position().map(|p| p.line()).unwrap_or(0);
            rows.push((line, record));
        }
        Ok(Download { header, rows })
    }

    fn index(&self, source: &str, names: &[&str]) -> Result<Vec<usize>> {
        let mut found = Vec::with_capacity(names.len());
        let mut missing = Vec::new();
        for n in names {
            match self.header.iter().position(|h| h == n) {
                Some(i) => found.push(i),
                None => missing.push(format!("`{n}`")),
            }
        }
        if missing.is_empty() {
            Ok(found)
        } else {
            Err(input_error(source, Some(1), format!("no {} column; expected the download's own header", missing.join(", "))))
        }
    }
}

/// `period` placed in `measure`'s periods, or why not.
pub fn place(period: &str, measure: &Measure) -> std::result::Result<Period, String> {
    let text = period.trim();
    let mut normal = text.to_string();
    // `Q3 2023/24` → `2023/24 Q3`.
    if let Some((q, rest)) = text.split_once(' ') {
        if q.len() == 2 && q.starts_with(['Q', 'q']) && q[1..].chars().all(|c| c.is_ascii_digit()) {
            normal = format!("{} {}", rest.trim(), q.to_ascii_uppercase());
        }
    }
    // A rolling period `2020 - 22` or `2018/19 - 20/21`: its last year.
    if let Some((from, to)) = normal.split_once(" - ") {
        let (from, to) = (from.trim(), to.trim());
        normal = match (from.split_once('/'), to.split_once('/')) {
            (Some((fy, _)), Some((ty, te))) if fy.len() == 4 && ty.len() == 2 => format!("{}{ty}/{te}", &fy[..2]),
            (None, None) if from.len() == 4 && to.len() == 2 => format!("{}{to}", &from[..2]),
            _ => normal.clone(),
        };
    }
    let p = Period::parse(&normal, measure.year_type).map_err(|e| format!("time period {text:?}: {e}"))?;
    let p = Period::from_start(p.start, p.frequency, measure.year_type);
    if p.frequency != measure.frequency || !p.is_aligned() {
        return Err(format!(
            "time period {text:?} is not one of measure {:?}'s periods ({}, {} year)",
            measure.id,
            measure.frequency.name(),
            measure.year_type.name()
        ));
    }
    Ok(p)
}

fn number(record: &csv::StringRecord, i: usize) -> Option<f64> {
    parse_number(record.get(i).unwrap_or("")).ok().flatten()
}

fn pair(a: Option<f64>, b: Option<f64>) -> Option<(f64, f64)> {
    a.zip(b)
}

/// Turns a Fingertips "all data" download into the area's values and its England and parent
/// benchmarks, for the plan's measures with a `fingertips_id`.
pub fn fingertips(plan: &Plan, source: &str, bytes: &[u8], options: &FingertipsOptions) -> Result<Imported> {
    let download = Download::read(source, bytes)?;
    let cols = download.index(source, &FINGERTIPS_COLUMNS)?;
    let [id, name, parent, area, _area_type, sex, age, _ctype, category, period, value, lo, hi, count, denominator] =
        <[usize; 15]>::try_from(cols).expect("15 columns");
    let optional = |n: &str| download.header.iter().position(|h| h == n);
    let (lo2, hi2) = (optional("lower ci 99.8 limit"), optional("upper ci 99.8 limit"));
    let measures: BTreeMap<&str, &Measure> =
        plan.measures.iter().filter(|m| !m.fingertips_id.is_empty()).map(|m| (m.fingertips_id.as_str(), m)).collect();
    if measures.is_empty() {
        return Err(input_error(
            source,
            None,
            "no measure of the plan has a fingertips_id; expected measures.csv to name each measure's Fingertips indicator id",
        ));
    }
    let cell = |r: &csv::StringRecord, i: usize| r.get(i).unwrap_or("").trim().to_string();
    let is = |a: &str, b: &str| a.eq_ignore_ascii_case(b);

    // The area's parent, from its own rows.
    let parent_code = download
        .rows
        .iter()
        .find(|(_, r)| is(&cell(r, area), &options.area))
        .map(|(_, r)| cell(r, parent))
        .ok_or_else(|| input_error(source, None, format!("no row for the area {:?}; expected its Area Code", options.area)))?;

    // Ages per indicator among the kept areas' rows, to pick `All ages` or the only age.
    let wanted_area = |code: &str| is(code, &options.area) || is(code, ENGLAND) || (!parent_code.is_empty() && is(code, &parent_code));
    let mut ages: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (_, r) in &download.rows {
        if wanted_area(&cell(r, area)) {
            ages.entry(cell(r, id)).or_default().insert(cell(r, age));
        }
    }
    let age_of = |indicator: &str| -> Option<String> {
        if let Some(a) = &options.age {
            return Some(a.clone());
        }
        let set = ages.get(indicator)?;
        if set.iter().any(|a| is(a, "All ages")) {
            Some("All ages".into())
        } else if set.len() == 1 {
            set.iter().next().cloned()
        } else {
            None
        }
    };

    let mut out = Imported::default();
    let mut unmapped: BTreeMap<String, (String, u64, usize)> = BTreeMap::new();
    let mut seen: BTreeMap<(String, (i32, i32), String), u64> = BTreeMap::new();
    for (line, r) in &download.rows {
        let code = cell(r, area);
        if !wanted_area(&code) {
            continue;
        }
        let indicator = cell(r, id);
        let Some(measure) = measures.get(indicator.as_str()) else {
            let e = unmapped.entry(indicator).or_insert((cell(r, name), *line, 0));
            e.2 += 1;
            continue;
        };
        let category_ok = match &options.category {
            Some(c) => is(&cell(r, category), c),
            None => cell(r, category).is_empty(),
        };
        if !is(&cell(r, sex), &options.sex) || !category_ok {
            out.filtered += 1;
            continue;
        }
        match age_of(&indicator) {
            Some(a) if is(&cell(r, age), &a) => {}
            Some(_) => {
                out.filtered += 1;
                continue;
            }
            None => {
                out.unplaced.push(Unplaced {
                    line: *line,
                    message: format!("indicator {indicator} has several ages and none is `All ages`; choose one with --age"),
                });
                continue;
            }
        }
        let p = match place(&cell(r, period), measure) {
            Ok(p) => p,
            Err(m) => {
                out.unplaced.push(Unplaced { line: *line, message: m });
                continue;
            }
        };
        let Some(v) = number(r, value) else {
            out.unplaced.push(Unplaced { line: *line, message: format!("no value for {p} (suppressed or missing)") });
            continue;
        };
        let label = if is(&code, &options.area) {
            String::new()
        } else if is(&code, ENGLAND) {
            options.national_label.clone()
        } else {
            options.parent_label.clone()
        };
        if let Some(first) = seen.insert((measure.id.clone(), p.key(), label.clone()), *line) {
            out.unplaced.push(Unplaced {
                line: *line,
                message: format!(
                    "a second row for measure {:?} at {p} (the first at line {first}); narrow it with --sex, --age or --category",
                    measure.id
                ),
            });
            continue;
        }
        let ci = pair(number(r, lo), number(r, hi)).filter(|(l, h)| l <= &v && &v <= h);
        if label.is_empty() {
            let counts = pair(number(r, count), number(r, denominator)).filter(|(n, d)| *d > 0.0 && *n >= 0.0 && n <= d);
            let ci_998 = pair(lo2.and_then(|i| number(r, i)), hi2.and_then(|i| number(r, i))).filter(|(l, h)| l <= &v && &v <= h);
            out.values.push(ValueRow { measure: measure.id.clone(), period: p, value: v, counts, ci, ci_998 });
        } else {
            out.benchmarks.push(BenchmarkRow { item: measure.id.clone(), period: p, label, value: v, ci });
        }
    }
    for (indicator, (name, line, n)) in unmapped {
        out.unplaced
            .push(Unplaced { line, message: format!("indicator {indicator} ({name}) is no measure's fingertips_id; {n} rows left out") });
    }
    out.unplaced.sort_by_key(|u| u.line);
    Ok(out)
}

/// Which rows of an LG Inform export to keep, and how to label its benchmarks.
#[derive(Debug, Clone, PartialEq)]
pub struct LginformOptions {
    /// The plan's own area's code (`E08000018`): its row becomes `values.csv` rows.
    pub area: String,
    /// The LG Inform metric type id the export holds (its `metricType`), matched to a measure's
    /// `lginform_id`; `None`: the plan's one measure with an `lginform_id`.
    pub metric: Option<String>,
    /// The label of the comparators' mean (default `cipfa_neighbours`).
    pub label: String,
    /// The label of England's row (default `national`).
    pub national_label: String,
}

impl LginformOptions {
    /// The area's values, the comparators' mean as `cipfa_neighbours`, England as `national`.
    pub fn new(area: &str) -> LginformOptions {
        LginformOptions { area: area.to_string(), metric: None, label: "cipfa_neighbours".into(), national_label: "national".into() }
    }
}

/// Whether `code` reads as a GSS area code: a capital letter and eight digits (`E08000018`).
fn is_area_code(code: &str) -> bool {
    code.len() == 9 && code.as_bytes()[0].is_ascii_uppercase() && code.as_bytes()[1..].iter().all(u8::is_ascii_digit)
}

/// An LG Inform period heading made a period `place` reads, and the year type it names when it
/// names one: the identifiers `fin_2022_23` (a financial year) and `cal_2022` (a calendar
/// year), and the labels' `(academic)` suffix (`2018/19 (academic)`).
fn lginform_period(heading: &str) -> (String, Option<crate::model::period::YearType>) {
    use crate::model::period::YearType;
    let h = heading.trim();
    let lower = h.to_ascii_lowercase();
    if let Some(rest) = lower.strip_prefix("fin_") {
        if let Some((a, b)) = rest.split_once('_') {
            if a.len() == 4 && b.len() == 2 && a.bytes().chain(b.bytes()).all(|c| c.is_ascii_digit()) {
                return (format!("{a}/{b}"), Some(YearType::Financial));
            }
        }
    }
    if let Some(rest) = lower.strip_prefix("cal_") {
        if rest.len() == 4 && rest.bytes().all(|c| c.is_ascii_digit()) {
            return (rest.to_string(), Some(YearType::Calendar));
        }
    }
    if let Some(rest) = lower.strip_suffix("(academic)") {
        return (h[..rest.trim_end().len()].to_string(), Some(YearType::Academic));
    }
    (h.to_string(), None)
}

/// `heading` placed in `measure`'s periods as [`place`] does, also reading LG Inform's own
/// period spellings ([`lginform_period`]).
fn place_lginform(heading: &str, measure: &Measure) -> std::result::Result<Period, String> {
    let (text, year_type) = lginform_period(heading);
    if let Some(y) = year_type.filter(|y| *y != measure.year_type) {
        return Err(format!(
            "period {:?} is {} {} year; measure {:?}'s periods are of the {} year",
            heading.trim(),
            if y == crate::model::period::YearType::Academic { "an" } else { "a" },
            y.name(),
            measure.id,
            measure.year_type.name()
        ));
    }
    place(&text, measure).map_err(|e| e.replacen("time period", "period", 1))
}

/// Turns an LG Inform CSV export of one metric into the area's values and two benchmarks: the
/// layout of LG Inform's data download (`data.csv` of its web services with
/// `rowGrouping=area&columnGrouping=period`, and the site's "Download data" CSV):
///
/// - lines before the header (the site's download begins with the report's title) are passed
///   over: the header is the first line whose first cell is `area`;
/// - the header: `area` (the area's code), optionally `area label` and `area long label` (its
///   names), then one column per period, headed by its label (`2022/23`, `2018/19
///   (academic)`, `2020 - 22`, `Q3 2023/24`, `Dec 2023`) or by LG Inform's identifier
///   (`fin_2022_23`, `cal_2022`); a second heading line right below, also beginning `area`
///   (labels under identifiers, or the other way round), is read too, a column being placed by
///   whichever of its headings places;
/// - one row per area: the plan's area (`options.area`) gives values, England (`E92000001`)
///   the benchmark `options.national_label`, every other area code is a comparator (a CIPFA
///   nearest-neighbours group), whose mean for each period is the benchmark `options.label`.
///
/// The metric is `options.metric` (the export's `metricType`), matched to `measures.csv`'s
/// `lginform_id`. Every period heading that cannot be placed, every cell that is not a number
/// (`Suppressed`) or is empty, and every row that is not an area (a group's summary row) is
/// reported with its line.
pub fn lginform(plan: &Plan, source: &str, bytes: &[u8], options: &LginformOptions) -> Result<Imported> {
    let with_id: Vec<&Measure> = plan.measures.iter().filter(|m| !m.lginform_id.is_empty()).collect();
    let measure = match &options.metric {
        Some(id) => *with_id
            .iter()
            .find(|m| m.lginform_id.trim().eq_ignore_ascii_case(id.trim()))
            .ok_or_else(|| input_error(source, None, format!("metric {:?} is no measure's lginform_id in measures.csv", id.trim())))?,
        None => match with_id.as_slice() {
            [one] => *one,
            [] => {
                return Err(input_error(
                    source,
                    None,
                    "no measure in measures.csv has an lginform_id; give each measure its LG Inform metric id",
                ))
            }
            _ => {
                return Err(input_error(
                    source,
                    None,
                    "more than one measure has an lginform_id; give --metric ID, the metric type this export holds",
                ))
            }
        },
    };
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new().flexible(true).has_headers(false).from_reader(bytes);
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| input_error(source, e.position().map(|p| p.line()), format!("not a CSV row: {e}")))?;
        rows.push((record.position().map(|p| p.line()).unwrap_or(0), record));
    }
    let first = |r: &csv::StringRecord| r.get(0).unwrap_or("").trim().to_ascii_lowercase();
    let Some(h) = rows.iter().position(|(_, r)| first(r) == "area") else {
        return Err(input_error(
            source,
            None,
            "no header line beginning `area`; expected LG Inform's data download: area, area label, area long label, then one column per period",
        ));
    };
    let mut headings = vec![h];
    if rows.get(h + 1).is_some_and(|(_, r)| first(r) == "area") {
        headings.push(h + 1);
    }
    let header_line = rows[h].0;
    let named = |c: usize| {
        headings
            .iter()
            .any(|&i| matches!(rows[i].1.get(c).unwrap_or("").trim().to_ascii_lowercase().as_str(), "area label" | "area long label"))
    };
    let width = headings.iter().map(|&i| rows[i].1.len()).max().unwrap_or(0);
    let mut out = Imported::default();
    // Each period column: its period, or why none of its headings places.
    let mut periods: Vec<(usize, Period)> = Vec::new();
    for c in 1..width {
        if named(c) {
            continue;
        }
        let texts: Vec<&str> = headings.iter().map(|&i| rows[i].1.get(c).unwrap_or("").trim()).filter(|t| !t.is_empty()).collect();
        let (mut placed, mut why) = (None, None);
        for t in &texts {
            match place_lginform(t, measure) {
                Ok(p) => {
                    placed = Some(p);
                    break;
                }
                Err(e) => {
                    why.get_or_insert(e);
                }
            }
        }
        match placed {
            Some(p) => periods.push((c, p)),
            None => out.unplaced.push(Unplaced {
                line: header_line,
                message: match why {
                    Some(w) => format!("column {}: {w}; its values are left out", c + 1),
                    None => format!("column {} has no period heading; its values are left out", c + 1),
                },
            }),
        }
    }
    // (period key) → (period, sum, count) of the comparators' values.
    let mut sums: BTreeMap<(i32, i32), (Period, f64, usize)> = BTreeMap::new();
    let mut seen = BTreeSet::new();
    for (line, r) in &rows[h + headings.len()..] {
        let code = r.get(0).unwrap_or("").trim();
        if code.is_empty() && r.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let own = code.eq_ignore_ascii_case(options.area.trim());
        let england = code.eq_ignore_ascii_case(ENGLAND);
        if !seen.insert(code.to_ascii_uppercase()) {
            out.unplaced.push(Unplaced { line: *line, message: format!("a second row for area {code}; only the first is read") });
            continue;
        }
        if !own && !is_area_code(code) {
            out.unplaced.push(Unplaced {
                line: *line,
                message: format!(
                    "area {code:?} is not an area code (a group's summary row?); the comparators' mean is taken over the areas' own rows"
                ),
            });
            continue;
        }
        for &(c, p) in &periods {
            let cell = r.get(c).unwrap_or("").trim();
            let v = match parse_number(cell) {
                Ok(Some(v)) => v,
                Ok(None) => {
                    out.unplaced.push(Unplaced { line: *line, message: format!("area {code}: no value for {p} (suppressed or missing)") });
                    continue;
                }
                Err(_) => {
                    out.unplaced
                        .push(Unplaced { line: *line, message: format!("area {code}: {cell:?} for {p} is not a number (suppressed?)") });
                    continue;
                }
            };
            if own {
                out.values.push(ValueRow { measure: measure.id.clone(), period: p, value: v, counts: None, ci: None, ci_998: None });
            } else if england {
                out.benchmarks.push(BenchmarkRow {
                    item: measure.id.clone(),
                    period: p,
                    label: options.national_label.clone(),
                    value: v,
                    ci: None,
                });
            } else {
                let e = sums.entry(p.key()).or_insert((p, 0.0, 0));
                e.1 += v;
                e.2 += 1;
            }
        }
    }
    for (p, sum, n) in sums.into_values() {
        out.benchmarks.push(BenchmarkRow {
            item: measure.id.clone(),
            period: p,
            label: options.label.clone(),
            value: sum / n as f64,
            ci: None,
        });
    }
    out.unplaced.sort_by_key(|u| u.line);
    Ok(out)
}

fn num(x: f64) -> String {
    crate::model::number::format_number(x)
}

/// The text of `values.csv` with `rows` merged into `existing` (its text, when the file exists):
/// a row for the same measure and period is replaced, every other existing row kept as it was,
/// new rows appended; the header gains the interval and count columns it lacks.
pub fn merge_values(plan: &Plan, existing: Option<&str>, rows: &[ValueRow]) -> Result<String> {
    let new: Vec<(String, String, BTreeMap<&str, String>)> = rows
        .iter()
        .map(|r| {
            let mut cells = BTreeMap::new();
            cells.insert("value", num(r.value));
            if let Some((n, d)) = r.counts {
                cells.insert("numerator", num(n));
                cells.insert("denominator", num(d));
            }
            if let Some((l, h)) = r.ci {
                cells.insert("lower_ci", num(l));
                cells.insert("upper_ci", num(h));
            }
            if let Some((l, h)) = r.ci_998 {
                cells.insert("lower_ci_99_8", num(l));
                cells.insert("upper_ci_99_8", num(h));
            }
            (r.measure.clone(), r.period.to_string(), cells)
        })
        .collect();
    let columns = ["measure", "period", "value", "numerator", "denominator", "lower_ci", "upper_ci", "lower_ci_99_8", "upper_ci_99_8"];
    merge(plan, existing, &columns, "measure", new)
}

/// The text of `benchmarks.csv` with `rows` merged into `existing`, as [`merge_values`] does,
/// keyed by item, period and label.
pub fn merge_benchmarks(plan: &Plan, existing: Option<&str>, rows: &[BenchmarkRow]) -> Result<String> {
    let new: Vec<(String, String, BTreeMap<&str, String>)> = rows
        .iter()
        .map(|r| {
            let mut cells = BTreeMap::new();
            cells.insert("benchmark", r.label.clone());
            cells.insert("value", num(r.value));
            if let Some((l, h)) = r.ci {
                cells.insert("lower_ci", num(l));
                cells.insert("upper_ci", num(h));
            }
            (r.item.clone(), r.period.to_string(), cells)
        })
        .collect();
    merge(plan, existing, &["item", "period", "benchmark", "value", "lower_ci", "upper_ci"], "item", new)
}

/// Merges keyed rows into a CSV file's text. A row's key is its id, its period (read in the
/// measure's year type, so `Q3 2023/24` and `2023/24 Q3` are one) and, for benchmarks, its label.
fn merge(
    plan: &Plan,
    existing: Option<&str>,
    columns: &[&str],
    id_column: &str,
    new: Vec<(String, String, BTreeMap<&str, String>)>,
) -> Result<String> {
    let key_of = |id: &str, period: &str, label: &str| -> (String, String, String) {
        let canonical = plan
            .measures
            .iter()
            .find(|m| m.id == id)
            .and_then(|m| Period::parse(period, m.year_type).ok())
            .map(|p| p.to_string())
            .unwrap_or_else(|| period.trim().to_string());
        (id.trim().to_string(), canonical, label.trim().to_ascii_lowercase())
    };
    let mut header: Vec<String> = Vec::new();
    let mut old: Vec<csv::StringRecord> = Vec::new();
    if let Some(text) = existing {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
        header = reader
            .headers()
            .map_err(|e| Error::Internal(format!("re-reading a plan file: {e}")))?
            .iter()
            .map(|h| h.trim().to_string())
            .collect();
        for r in reader.records() {
            old.push(r.map_err(|e| Error::Internal(format!("re-reading a plan file: {e}")))?);
        }
    }
    let lower: Vec<String> = header.iter().map(|h| h.to_ascii_lowercase()).collect();
    for c in columns {
        if !lower.iter().any(|h| h == c) {
            header.push(c.to_string());
        }
    }
    let lower: Vec<String> = header.iter().map(|h| h.to_ascii_lowercase()).collect();
    let at = |name: &str| lower.iter().position(|h| h == name);
    let replaced: BTreeSet<(String, String, String)> =
        new.iter().map(|(id, p, cells)| key_of(id, p, cells.get("benchmark").map(String::as_str).unwrap_or(""))).collect();
    let mut writer = csv::WriterBuilder::new().from_writer(Vec::new());
    let fail = |e: csv::Error| Error::Internal(format!("writing CSV to memory: {e}"));
    writer.write_record(&header).map_err(fail)?;
    for r in &old {
        let cell = |name: &str| at(name).and_then(|i| r.get(i)).unwrap_or("");
        if replaced.contains(&key_of(cell(id_column), cell("period"), cell("benchmark"))) {
            continue;
        }
        let row: Vec<&str> = (0..header.len()).map(|i| r.get(i).unwrap_or("")).collect();
        writer.write_record(&row).map_err(fail)?;
    }
    for (id, period, cells) in &new {
        let row: Vec<&str> = lower
            .iter()
            .map(|h| match h.as_str() {
                h if h == id_column => id.as_str(),
                "period" => period.as_str(),
                h => cells.get(h).map(String::as_str).unwrap_or(""),
            })
            .collect();
        writer.write_record(&row).map_err(fail)?;
    }
    let bytes = writer.into_inner().map_err(|e| Error::Internal(format!("writing CSV to memory: {e}")))?;
    String::from_utf8(bytes).map_err(|e| Error::Internal(format!("CSV not UTF-8: {e}")))
}
