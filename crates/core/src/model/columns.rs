//! The ratings table's columns, each defined once: its name, its type, whether a change to it
//! is a change of rating (what `diff` and `rate --check` count), how an empty cell reads, what
//! it means, and the cell it takes from a [`Rating`]. The CSV, JSON and Parquet writers, `diff`
//! and the report all take their columns from here.
//!
//! Adding a column is one line in the `columns!` list below, in its output position.

use super::period::Period;
use super::rating::{Comparison, Rating};
use super::values::Status;

/// A cell of the ratings table, borrowed from a rating.
#[derive(Debug, Clone, Copy)]
pub enum Cell<'a> {
    /// Text from the plan or the reason: quoted in CSV where needed, escaped in JSON.
    Text(&'a str),
    /// One of the engine's own words (a status, kind, polarity or direction): never quoted.
    Word(&'static str),
    /// A period, written by its canonical label.
    Period(Period),
    /// A number (empty when `None`), written by [`crate::model::number::write_number`].
    Number(Option<f64>),
    /// `true` or `false`.
    Flag(bool),
}

/// What a column holds, and so its type in Parquet and how `diff` compares it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    /// Text (a string column in Parquet).
    Text,
    /// A period label (a string column in Parquet).
    Period,
    /// A number (`Float64` in Parquet), compared as written by `format_number`.
    Number,
    /// `true`/`false` (`Boolean` in Parquet).
    Flag,
}

/// How an empty cell reads in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Empty {
    /// `null`: an absent status, judgement or number.
    Null,
    /// `""`: text that may be empty in the plan (a title, a priority) or never is (a reason).
    EmptyText,
}

/// One column of the ratings table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// The header: for a benchmark column, the prefix before the label (`vs_`, `gap_`).
    pub name: &'static str,
    /// What it holds.
    pub ty: ColumnType,
    /// Whether a change to it is a change of rating (`diff`'s exit status 1).
    pub rated: bool,
    /// How an empty cell reads in JSON.
    pub empty: Empty,
    /// What it means, for the README's column reference.
    pub doc: &'static str,
}

macro_rules! columns {
    ($($name:ident: $ty:ident, $rated:literal, $empty:ident, $doc:literal, |$r:ident| $cell:expr;)*) => {
        /// The fixed columns, in output order, before the benchmark columns.
        pub const FIXED_COLUMNS: &[Column] = &[$(Column {
            name: stringify!($name),
            ty: ColumnType::$ty,
            rated: $rated,
            empty: Empty::$empty,
            doc: $doc,
        }),*];

        /// The number of fixed columns.
        pub const FIXED: usize = [$(stringify!($name)),*].len();

        /// A rating's cells in the fixed columns, in [`FIXED_COLUMNS`]' order.
        #[inline]
        pub fn fixed_cells<'a>(r: &'a Rating<'_>) -> [Cell<'a>; FIXED] {
            [$({
                let $r = r;
                $cell
            }),*]
        }

        /// Calls `f` with each of [`fixed_cells`], one call per column written out rather than
        /// a loop over the array: each call then knows its cell's kind, which the writers of
        /// every cell of millions of rows (JSON, Parquet) measurably gain from.
        #[inline(always)]
        pub fn each_fixed_cell<'a>(r: &'a Rating<'_>, mut f: impl FnMut(Cell<'a>)) {
            $(f({
                let $r = r;
                $cell
            });)*
        }
    };
}

fn status(s: Option<Status>) -> Cell<'static> {
    Cell::Word(s.map(|s| s.name()).unwrap_or(""))
}

columns! {
    plan: Text, false, Null, "the plan's folder name", |r| Cell::Text(&r.plan);
    period: Period, false, Null, "the reporting period T", |r| Cell::Period(r.period);
    kind: Text, false, Null, "`milestone` or `measure`; with roll-up, `action` or `priority`", |r| Cell::Word(r.kind.name());
    item: Text, false, Null, "the milestone's or measure's id", |r| Cell::Text(&r.item);
    priority: Text, false, EmptyText, "the milestone's priority or the measure's group", |r| Cell::Text(&r.priority);
    title: Text, false, EmptyText, "the item's title", |r| Cell::Text(&r.title);
    status: Text, true, Null, "the reported status: the officer's where given (unless `--computed`), else the engine's", |r| status(r.status);
    computed_status: Text, true, Null, "the engine's status", |r| status(r.computed_status);
    disagrees: Flag, false, Null, "whether the officer's status differs from the engine's", |r| Cell::Flag(r.disagrees);
    reason: Text, false, EmptyText, "why, in words a member can read", |r| Cell::Text(&r.reason);
    value: Number, false, Null, "the value rated", |r| Cell::Number(r.value);
    target: Number, false, Null, "the target applied", |r| Cell::Number(r.target);
    amber_threshold: Number, false, Null, "the amber threshold applied", |r| Cell::Number(r.amber_threshold);
    polarity: Text, false, Null, "`high`, `low` or `neutral`", |r| Cell::Word(r.polarity.name());
    rated_period: Period, false, Null, "the period the value belongs to: T for milestones, the measure's own period M", |r| Cell::Period(r.rated_period);
    dot: Text, true, Null, "direction of travel: `up`, `down`, `same` or `none`", |r| Cell::Word(r.dot.name());
    dot_judgement: Text, true, Null, "`improving`, `worsening`, `no_change` or `not_assessed`", |r| Cell::Word(r.dot_judgement.name());
    // Issue #16: expected progress, forecast to the target, stale updates.
    expected_progress: Number, false, Null, "the per cent complete expected by the end of T, on the straight line from `start` to `due`", |r| Cell::Number(r.expected_progress);
    progress_ratio: Number, false, Null, "`percent_complete` divided by `expected_progress`", |r| Cell::Number(r.progress_ratio);
    forecast_value: Number, false, Null, "the least-squares line through the latest values, read at the end of the target period (milestones) or year (measures)", |r| Cell::Number(r.forecast_value);
    forecast_status: Text, true, Null, "`on_track`, `at_risk` (within tolerance) or `off_track`: the forecast against the target", |r| Cell::Word(r.forecast_status.map(|s| s.name()).unwrap_or(""));
    forecast_reason: Text, false, EmptyText, "the forecast in words, or why there is none", |r| Cell::Text(&r.forecast_reason);
    stale: Flag, true, Null, "`true` when the latest update or value is more than `stale_after` periods old", |r| Cell::Flag(r.stale);
    stale_reason: Text, false, EmptyText, "when a stale item was last updated", |r| Cell::Text(&r.stale_reason);
    // Issue #13 (recent trend, engineer 13b): appended as one block.
    trend: Text, false, Null, "the recent trend over the five most recent consecutive values up to M: `increasing`, `decreasing`, `no_significant_change` or `cannot_be_calculated`; empty for milestones", |r| Cell::Word(r.trend.map(|t| t.name()).unwrap_or(""));
    trend_judgement: Text, true, Null, "the recent trend given polarity: `getting_better`, `getting_worse`, `no_significant_change` or `not_assessed`", |r| Cell::Word(r.trend_judgement.map(|t| t.name()).unwrap_or(""));
    trend_reason: Text, false, EmptyText, "why the recent trend is what it is: the test, its χ² and the threshold, or why it cannot be calculated", |r| Cell::Text(&r.trend_reason);
    // Issue #13: statistical process control (XmR chart) of a measure's own-frequency series up to M.
    spc_mean: Number, false, Null, "SPC: the mean of the measure's points since its last rebase, up to M (of the first N with `spc_baseline`)", |r| Cell::Number(r.spc.mean);
    spc_upper: Number, false, Null, "SPC: the upper process limit, the mean + 2.66 × the mean moving range", |r| Cell::Number(r.spc.upper);
    spc_lower: Number, false, Null, "SPC: the lower process limit, the mean − 2.66 × the mean moving range", |r| Cell::Number(r.spc.lower);
    spc_points: Number, false, Null, "SPC: the points since the last rebase, up to M", |r| Cell::Number(r.spc.points.map(f64::from));
    spc_variation: Text, true, Null, "SPC: the latest point's `common_cause`, `special_cause_improvement`, `special_cause_concern` (`special_cause_high`, `special_cause_low` for a neutral measure); empty below `spc_min_points`", |r| Cell::Word(r.spc.variation.map(|v| v.name()).unwrap_or(""));
    spc_signal: Text, false, Null, "SPC: the rule that fired on the latest point: `outside_limits`, `trend`, `two_of_three` or `shift`", |r| Cell::Word(r.spc.signal.map(|s| s.name()).unwrap_or(""));
    spc_assurance: Text, true, Null, "SPC: `consistently_passing`, `consistently_failing` or `hit_and_miss`, the target against the limits; empty without a target", |r| Cell::Word(r.spc.assurance.map(|a| a.name()).unwrap_or(""));
    spc_reason: Text, false, EmptyText, "SPC: why, in words", |r| Cell::Text(&r.spc_reason);
}

/// The columns of each benchmark label, after the fixed columns: their names are the prefix and
/// the label (`vs_national`, `gap_national`, `sig_national`).
pub const BENCHMARK_COLUMNS: [Column; 3] = [
    Column {
        name: "vs_",
        ty: ColumnType::Text,
        rated: true,
        empty: Empty::Null,
        doc: "`better`, `similar`, `worse` (or `higher`, `lower` for a neutral measure) against the benchmark",
    },
    Column { name: "gap_", ty: ColumnType::Number, rated: false, empty: Empty::Null, doc: "the value minus the benchmark" },
    // Issue #13 (two-level significance, engineer 13b).
    Column {
        name: "sig_",
        ty: ColumnType::Text,
        rated: true,
        empty: Empty::Null,
        doc: "with `benchmark_levels = [95, 99.8]`: the highest confidence level at which the value differs from the benchmark, `95` or `99.8`; empty when similar, without an interval, or at one level",
    },
];

/// A comparison's cells in [`BENCHMARK_COLUMNS`]' order.
#[inline]
pub fn benchmark_cells<'a>(c: &Comparison) -> [Cell<'a>; 3] {
    [Cell::Word(c.versus.map(|v| v.name()).unwrap_or("")), Cell::Number(c.gap), Cell::Word(c.sig.map(|l| l.name()).unwrap_or(""))]
}

/// Calls `f` with a rating's cells in column order: the fixed columns', then each benchmark
/// label's.
#[inline(always)]
pub fn each_cell<'a>(r: &'a Rating<'_>, mut f: impl FnMut(Cell<'a>)) {
    each_fixed_cell(r, &mut f);
    for b in r.benchmarks.iter() {
        for c in benchmark_cells(b) {
            f(c);
        }
    }
}

/// Every column name of a ratings table with these benchmark labels.
pub fn column_names(labels: &[String]) -> Vec<String> {
    let mut names: Vec<String> = FIXED_COLUMNS.iter().map(|c| c.name.to_string()).collect();
    for l in labels {
        for c in &BENCHMARK_COLUMNS {
            names.push(format!("{}{l}", c.name));
        }
    }
    names
}

/// The column a header names: a fixed column, or a benchmark column by its prefix.
pub fn column(name: &str) -> Option<&'static Column> {
    FIXED_COLUMNS.iter().find(|c| c.name == name).or_else(|| BENCHMARK_COLUMNS.iter().find(|c| name.starts_with(c.name)))
}

/// A choice of the table's columns to write (`batch --columns`): a subset, always written in
/// the table's order whatever order it was named in, so that a file of picked columns reads
/// as the whole table with columns left out. Whether a reason sentence is picked also decides
/// whether it is worded at all ([`Picked::sentences`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picked {
    /// Per column of [`column_names`] for the table's labels: whether it is written.
    keep: Vec<bool>,
}

/// Which of a row's sentences to word: a sentence whose column is not written is left empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentences {
    /// `reason`.
    pub reason: bool,
    /// `forecast_reason`.
    pub forecast: bool,
    /// `stale_reason`.
    pub stale: bool,
    /// `trend_reason`.
    pub trend: bool,
    /// `spc_reason`.
    pub spc: bool,
}

impl Default for Sentences {
    fn default() -> Sentences {
        Sentences { reason: true, forecast: true, stale: true, trend: true, spc: true }
    }
}

impl Picked {
    /// Every column of a table with these labels.
    pub fn all(labels: &[String]) -> Picked {
        Picked { keep: vec![true; FIXED + BENCHMARK_COLUMNS.len() * labels.len()] }
    }

    /// The columns `names` names, among those of a table with these labels: each a column's
    /// full name (`status`, `vs_national`). An unknown or repeated name, or none at all, is an
    /// error that says which and lists the columns there are.
    pub fn parse(names: &[String], labels: &[String]) -> std::result::Result<Picked, String> {
        let all = column_names(labels);
        let mut keep = vec![false; all.len()];
        if names.iter().all(|n| n.trim().is_empty()) {
            return Err(format!("--columns names no column; the columns are: {}", all.join(", ")));
        }
        for name in names {
            let name = name.trim();
            match all.iter().position(|c| c == name) {
                Some(i) if keep[i] => return Err(format!("--columns names `{name}` twice")),
                Some(i) => keep[i] = true,
                None => {
                    let near = all
                        .iter()
                        .map(|c| (strsim::damerau_levenshtein(name, c), c))
                        .filter(|(d, c)| *d <= 2.max(c.len() / 4))
                        .min_by_key(|(d, _)| *d)
                        .map(|(_, c)| format!(" (did you mean `{c}`?)"))
                        .unwrap_or_default();
                    let hint = match column(name) {
                        // A benchmark column whose label no plan has.
                        Some(c) if !FIXED_COLUMNS.contains(c) => {
                            format!("; no plan has the benchmark label `{}`", &name[c.name.len()..])
                        }
                        _ => String::new(),
                    };
                    return Err(format!("--columns: no column `{name}`{near}{hint}; the columns are: {}", all.join(", ")));
                }
            }
        }
        Ok(Picked { keep })
    }

    /// `names` parsed as [`Picked::parse`] does; `None` (no `--columns`): every column.
    pub fn of(names: Option<&[String]>, labels: &[String]) -> std::result::Result<Picked, String> {
        match names {
            Some(names) => Picked::parse(names, labels),
            None => Ok(Picked::all(labels)),
        }
    }

    /// Whether every column is written.
    pub fn is_all(&self) -> bool {
        self.keep.iter().all(|k| *k)
    }

    /// Per column in [`column_names`]' order, whether it is written, when some column is left
    /// out; `None` when every column is written (what the writers' whole-table paths take).
    pub fn subset(&self) -> Option<&[bool]> {
        (!self.is_all()).then_some(self.keep.as_slice())
    }

    /// Whether column `i` (in [`column_names`]' order) is written.
    #[inline]
    pub fn keeps(&self, i: usize) -> bool {
        self.keep.get(i).copied().unwrap_or(false)
    }

    /// The names of the columns written, in the table's order.
    pub fn names(&self, labels: &[String]) -> Vec<String> {
        column_names(labels).into_iter().zip(&self.keep).filter(|(_, k)| **k).map(|(n, _)| n).collect()
    }

    /// Whether any statistical process control column (`spc_…`) is written: without one, SPC
    /// need not be computed at all.
    pub fn has_spc(&self) -> bool {
        self.any_fixed(|name| name.starts_with("spc_"))
    }

    /// Whether any recent-trend column (`trend`, `trend_judgement`, `trend_reason`) is
    /// written.
    pub fn has_trend(&self) -> bool {
        self.any_fixed(|name| name.starts_with("trend"))
    }

    fn any_fixed(&self, f: impl Fn(&str) -> bool) -> bool {
        FIXED_COLUMNS.iter().enumerate().any(|(i, c)| self.keeps(i) && f(c.name))
    }

    /// Which sentences a row needs worded.
    pub fn sentences(&self) -> Sentences {
        let kept = |name: &str| FIXED_COLUMNS.iter().position(|c| c.name == name).is_some_and(|i| self.keeps(i));
        Sentences {
            reason: kept("reason"),
            forecast: kept("forecast_reason"),
            stale: kept("stale_reason"),
            trend: kept("trend_reason"),
            spc: kept("spc_reason"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_column_has_a_distinct_name() {
        let mut names: Vec<&str> = FIXED_COLUMNS.iter().map(|c| c.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), FIXED);
    }

    #[test]
    fn benchmark_columns_are_found_by_prefix() {
        assert!(column("vs_national").is_some_and(|c| c.rated));
        assert_eq!(column("gap_national").map(|c| c.ty), Some(ColumnType::Number));
        assert_eq!(column("target").map(|c| c.ty), Some(ColumnType::Number));
        assert!(column("nonsense").is_none());
        assert_eq!(column_names(&["national".into()])[FIXED..], ["vs_national", "gap_national", "sig_national"]);
        assert!(column("sig_national").is_some_and(|c| c.rated));
        assert!(column("trend_judgement").is_some_and(|c| c.rated));
    }

    #[test]
    fn picked_columns_keep_the_tables_order_and_name_what_is_wrong() {
        let labels = vec!["national".to_string(), "statistical_neighbours".to_string()];
        let names = |l: &[&str]| l.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let p = Picked::parse(&names(&["vs_national", "status", " item"]), &labels).unwrap();
        assert_eq!(p.names(&labels), ["item", "status", "vs_national"]);
        assert!(!p.is_all() && p.keeps(3) && !p.keeps(0));
        assert_eq!(p.sentences(), Sentences { reason: false, forecast: false, stale: false, trend: false, spc: false });
        let p = Picked::parse(&names(&["spc_reason", "reason"]), &labels).unwrap();
        assert_eq!(p.sentences(), Sentences { reason: true, forecast: false, stale: false, trend: false, spc: true });
        assert!(p.has_spc() && !p.has_trend());
        let p = Picked::parse(&names(&["trend_judgement"]), &labels).unwrap();
        assert!(!p.has_spc() && p.has_trend());
        assert!(Picked::all(&labels).has_spc() && Picked::all(&labels).has_trend());
        assert!(Picked::all(&labels).is_all());
        assert_eq!(Picked::all(&labels).sentences(), Sentences::default());
        assert_eq!(Picked::all(&labels).names(&labels), column_names(&labels));
        let e = Picked::parse(&names(&["stauts"]), &labels).unwrap_err();
        assert!(e.starts_with("--columns: no column `stauts` (did you mean `status`?); the columns are: plan, period,"), "{e}");
        let e = Picked::parse(&names(&["vs_england"]), &labels).unwrap_err();
        assert!(e.contains("no plan has the benchmark label `england`"), "{e}");
        assert_eq!(Picked::parse(&names(&["item", "item"]), &labels).unwrap_err(), "--columns names `item` twice");
        assert!(Picked::parse(&names(&[""]), &labels).unwrap_err().starts_with("--columns names no column"));
    }
}
