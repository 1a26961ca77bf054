//! The rating engine: SPEC's rules as polars column expressions and joins.
//!
//! Every plan's items are laid out as rows of a few frames (items, updates and values,
//! targets, benchmarks). One row per item and period to rate is built as a grid, which also
//! finds, among each item's own rows, the update or value, comparator and target that rating
//! needs, as row numbers; polars gathers those rows onto the grid and one lazy query rates
//! them all with the rules as column expressions, joining benchmarks as of each period: the
//! same code rates one plan at one period or a thousand plans at every period. Rust code here
//! only builds the frames and, after the query, words each rating's reason from the columns
//! the query computed.
//!
//! Why row numbers rather than joins on keys: a rating's inputs are always its own item's
//! rows, so the lookup is within a few dozen rows, where a hash join on (item, period) keys
//! hashed every input row and probed every rating twice, and matching a target needed the
//! targets expanded to one row per month. For 100 plans that was a quarter of the run.
//!
//! Architecture invariant: no thresholds here. Every default comes from [`Rules`] (per plan, as
//! columns), and no wall clock: the periods to rate are passed in.

use crate::error::{Error, Result};
use crate::period::{Frequency, Period};
use crate::plan::{ItemRef, Plan};
use crate::reason;
use crate::rules::DotBasis;
use crate::values::{Polarity, Status};
use polars::prelude::*;
use std::collections::BTreeSet;

/// Milestone or measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// A delivery milestone.
    Milestone,
    /// A measure (KPI).
    Measure,
}

impl Kind {
    /// `milestone` or `measure`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Milestone => "milestone",
            Kind::Measure => "measure",
        }
    }
}

/// Direction of travel: how the value moved against its comparator period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dot {
    /// Higher than the comparator.
    Up,
    /// Lower than the comparator.
    Down,
    /// Equal to the comparator.
    Same,
    /// No comparator value (or no value).
    None,
}

impl Dot {
    /// `up`, `down`, `same`, `none`.
    pub fn name(self) -> &'static str {
        match self {
            Dot::Up => "up",
            Dot::Down => "down",
            Dot::Same => "same",
            Dot::None => "none",
        }
    }
}

/// Whether the direction of travel is good news, given polarity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DotJudgement {
    /// Moved the good way.
    Improving,
    /// Moved the bad way.
    Worsening,
    /// Did not move.
    NoChange,
    /// No comparator, or a neutral measure.
    NotAssessed,
}

impl DotJudgement {
    /// `improving`, `worsening`, `no_change`, `not_assessed`.
    pub fn name(self) -> &'static str {
        match self {
            DotJudgement::Improving => "improving",
            DotJudgement::Worsening => "worsening",
            DotJudgement::NoChange => "no_change",
            DotJudgement::NotAssessed => "not_assessed",
        }
    }
}

/// How the value compares with a benchmark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Versus {
    /// Better, given polarity.
    Better,
    /// Not distinguishable (equal, within `similar_within`, or inside the Wilson interval).
    Similar,
    /// Worse, given polarity.
    Worse,
    /// Higher (neutral measure).
    Higher,
    /// Lower (neutral measure).
    Lower,
}

impl Versus {
    /// `better`, `similar`, `worse`, `higher`, `lower`.
    pub fn name(self) -> &'static str {
        match self {
            Versus::Better => "better",
            Versus::Similar => "similar",
            Versus::Worse => "worse",
            Versus::Higher => "higher",
            Versus::Lower => "lower",
        }
    }

    fn from_code(code: i32) -> Option<Versus> {
        [Versus::Better, Versus::Similar, Versus::Worse, Versus::Higher, Versus::Lower].get((code - 1) as usize).copied()
    }
}

/// One item against one benchmark label.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// The judgement; `None` without a value or a benchmark.
    pub versus: Option<Versus>,
    /// Local value minus benchmark.
    pub gap: Option<f64>,
    /// The benchmark value used.
    pub value: Option<f64>,
    /// The benchmark's period.
    pub period: Option<Period>,
}

/// The rating of one item at one period.
#[derive(Debug, Clone, PartialEq)]
pub struct Rating {
    /// The plan's folder name.
    pub plan: String,
    /// The reporting period T.
    pub period: Period,
    /// Milestone or measure.
    pub kind: Kind,
    /// The item's id.
    pub item: String,
    /// The milestone's priority or the measure's group.
    pub priority: String,
    /// The item's title.
    pub title: String,
    /// The reported status: the officer's where given (unless computed-only), else the engine's.
    pub status: Option<Status>,
    /// The engine's status.
    pub computed_status: Option<Status>,
    /// The officer's status differs from the engine's.
    pub disagrees: bool,
    /// Why, in words a member can read.
    pub reason: String,
    /// The value rated.
    pub value: Option<f64>,
    /// The target applied.
    pub target: Option<f64>,
    /// The amber threshold applied.
    pub amber_threshold: Option<f64>,
    /// Polarity rated with.
    pub polarity: Polarity,
    /// The period the value belongs to: T for milestones, the measure's own period M.
    pub rated_period: Period,
    /// Direction of travel.
    pub dot: Dot,
    /// Its judgement.
    pub dot_judgement: DotJudgement,
    /// The comparator period's value.
    pub comparator_value: Option<f64>,
    /// One comparison per label of [`Ratings::labels`].
    pub benchmarks: Vec<Comparison>,
}

/// A [`Rating`] whose text is borrowed: what the writers format, so that streaming many rows
/// copies no string per row. [`Rating::view`] borrows a rating; [`RowReader::view`] reads one
/// from the query's result.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RatingRef<'a> {
    /// See [`Rating::plan`].
    pub plan: &'a str,
    /// See [`Rating::period`].
    pub period: Period,
    /// See [`Rating::kind`].
    pub kind: Kind,
    /// See [`Rating::item`].
    pub item: &'a str,
    /// See [`Rating::priority`].
    pub priority: &'a str,
    /// See [`Rating::title`].
    pub title: &'a str,
    /// See [`Rating::status`].
    pub status: Option<Status>,
    /// See [`Rating::computed_status`].
    pub computed_status: Option<Status>,
    /// See [`Rating::disagrees`].
    pub disagrees: bool,
    /// See [`Rating::reason`].
    pub reason: &'a str,
    /// See [`Rating::value`].
    pub value: Option<f64>,
    /// See [`Rating::target`].
    pub target: Option<f64>,
    /// See [`Rating::amber_threshold`].
    pub amber_threshold: Option<f64>,
    /// See [`Rating::polarity`].
    pub polarity: Polarity,
    /// See [`Rating::rated_period`].
    pub rated_period: Period,
    /// See [`Rating::dot`].
    pub dot: Dot,
    /// See [`Rating::dot_judgement`].
    pub dot_judgement: DotJudgement,
    /// See [`Rating::comparator_value`].
    pub comparator_value: Option<f64>,
    /// See [`Rating::benchmarks`].
    pub benchmarks: &'a [Comparison],
}

impl Rating {
    /// The rating, borrowed.
    pub fn view(&self) -> RatingRef<'_> {
        RatingRef {
            plan: &self.plan,
            period: self.period,
            kind: self.kind,
            item: &self.item,
            priority: &self.priority,
            title: &self.title,
            status: self.status,
            computed_status: self.computed_status,
            disagrees: self.disagrees,
            reason: &self.reason,
            value: self.value,
            target: self.target,
            amber_threshold: self.amber_threshold,
            polarity: self.polarity,
            rated_period: self.rated_period,
            dot: self.dot,
            dot_judgement: self.dot_judgement,
            comparator_value: self.comparator_value,
            benchmarks: &self.benchmarks,
        }
    }
}

impl RatingRef<'_> {
    /// An owned copy.
    pub fn to_rating(&self) -> Rating {
        Rating {
            plan: self.plan.to_string(),
            period: self.period,
            kind: self.kind,
            item: self.item.to_string(),
            priority: self.priority.to_string(),
            title: self.title.to_string(),
            status: self.status,
            computed_status: self.computed_status,
            disagrees: self.disagrees,
            reason: self.reason.to_string(),
            value: self.value,
            target: self.target,
            amber_threshold: self.amber_threshold,
            polarity: self.polarity,
            rated_period: self.rated_period,
            dot: self.dot,
            dot_judgement: self.dot_judgement,
            comparator_value: self.comparator_value,
            benchmarks: self.benchmarks.to_vec(),
        }
    }
}

/// Room for the parts of a row that are computed rather than borrowed (the reason and the
/// comparisons), reused from row to row by [`RowReader::view`].
#[derive(Debug, Default)]
pub struct RowScratch {
    reason: String,
    benchmarks: Vec<Comparison>,
    words: reason::Words,
}

/// A table of ratings.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Ratings {
    /// Benchmark labels, sorted: the `vs_<label>` / `gap_<label>` columns.
    pub labels: Vec<String>,
    /// Rows in stable order: plan, period, kind, item order.
    pub rows: Vec<Rating>,
}

/// Options for a rating run.
#[derive(Debug, Clone, Copy, Default)]
pub struct RateOptions {
    /// Report the engine's rating alone, ignoring officers' statuses.
    pub computed_only: bool,
}

/// What to rate in one plan: milestones at these periods, measures at those.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Periods to rate milestones at.
    pub milestone_periods: Vec<Period>,
    /// Periods to rate measures at.
    pub measure_periods: Vec<Period>,
}

impl Selection {
    /// Every item at the one period `t`.
    pub fn at(t: Period) -> Selection {
        Selection { milestone_periods: vec![t], measure_periods: vec![t] }
    }

    /// SPEC's `--periods all`: milestones at every period with an update, measures at every
    /// period with a value.
    pub fn all(plan: &Plan) -> Selection {
        let (milestone_periods, measure_periods) = plan.reported_periods();
        Selection { milestone_periods, measure_periods }
    }
}

/// Rates one plan at one period.
pub fn rate(plan: &Plan, t: Period, options: RateOptions) -> Result<Ratings> {
    rate_many(&[(plan, Selection::at(t))], options)
}

/// Rates many plans, each at its own selection of periods, in one query.
pub fn rate_many(jobs: &[(&Plan, Selection)], options: RateOptions) -> Result<Ratings> {
    let frame = rate_frame(jobs, None)?;
    let reader = frame.reader(jobs.iter().map(|(p, _)| *p).collect(), options)?;
    let rows = (0..frame.len()).map(|r| reader.rating(r)).collect::<Result<Vec<_>>>()?;
    Ok(Ratings { labels: frame.labels, rows })
}

/// The rating query's result: one row per rating, in output order (plan, period, kind, item
/// order), as columns. [`RatedFrame::reader`] words the rows; `batch` streams them to its
/// writer without holding every [`Rating`] at once.
#[derive(Debug, Clone)]
pub struct RatedFrame {
    labels: Vec<String>,
    df: Option<DataFrame>,
}

/// Runs the rating query over every job's rows. `labels` fixes the benchmark columns (a
/// superset of the jobs' labels, so that chunks of one batch share their columns); `None`
/// takes the jobs' own labels.
pub fn rate_frame(jobs: &[(&Plan, Selection)], labels: Option<&[String]>) -> Result<RatedFrame> {
    let frames = Frames::build(jobs, labels)?;
    let labels: Vec<String> = frames.labels.iter().cloned().collect();
    if frames.rows.height() == 0 {
        return Ok(RatedFrame { labels, df: None });
    }
    let df = query(frames)?.collect()?;
    Ok(RatedFrame { labels, df: Some(df) })
}

impl RatedFrame {
    /// The number of ratings.
    pub fn len(&self) -> usize {
        self.df.as_ref().map(|d| d.height()).unwrap_or(0)
    }

    /// Whether there is no rating.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The benchmark labels of the `vs_`/`gap_` columns, sorted.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// Reads rows back as [`Rating`]s; `plans` must be the jobs' plans the frame was rated
    /// from, in the same order.
    pub fn reader<'a>(&'a self, plans: Vec<&'a Plan>, options: RateOptions) -> Result<RowReader<'a>> {
        RowReader::new(plans, &self.labels, self.df.as_ref(), options)
    }
}

/// Item keys: the position of an item in the concatenation of every plan's milestones then
/// measures, so that sorting by key is file order within a plan.
struct ItemIndex {
    entries: Vec<(usize, ItemRef)>,
    first: Vec<(i32, i32)>,
}

impl ItemIndex {
    fn new<'p>(plans: impl IntoIterator<Item = &'p Plan>) -> ItemIndex {
        let mut entries = Vec::new();
        let mut first = Vec::new();
        for (p, plan) in plans.into_iter().enumerate() {
            let m0 = entries.len() as i32;
            entries.extend((0..plan.milestones.len()).map(|i| (p, ItemRef::Milestone(i))));
            let v0 = entries.len() as i32;
            entries.extend((0..plan.measures.len()).map(|i| (p, ItemRef::Measure(i))));
            first.push((m0, v0));
        }
        ItemIndex { entries, first }
    }

    fn key(&self, plan: usize, item: ItemRef) -> i32 {
        match item {
            ItemRef::Milestone(i) => self.first[plan].0 + i as i32,
            ItemRef::Measure(i) => self.first[plan].1 + i as i32,
        }
    }
}

/// The input of the query: the grid with every input row it needs gathered onto it (one row
/// per rating, in output order), and the benchmarks for the as-of joins.
struct Frames {
    rows: DataFrame,
    benchmarks: DataFrame,
    /// The benchmark columns.
    labels: BTreeSet<String>,
    /// The labels with any benchmark among these jobs (the others' columns are empty).
    present: BTreeSet<String>,
}

fn frame(columns: Vec<Column>) -> DataFrame {
    let height = columns.first().map(|c| c.len()).unwrap_or(0);
    DataFrame::new(height, columns).expect("columns built with equal lengths")
}

/// A numeric column with missing values, built straight into one arrow array (not cell by cell
/// through a builder, which cost more than the joins it feeds).
fn optional<T: PolarsNumericType>(name: &str, values: Vec<Option<T::Native>>) -> Column {
    let mut ca: ChunkedArray<T> = values.into_iter().collect();
    ca.rename(name.into());
    ca.into_column()
}

/// Row numbers for [`DataFrame::take`]; a missing one gathers a row of nulls.
fn row_numbers(rows: Vec<Option<IdxSize>>) -> IdxCa {
    rows.into_iter().collect()
}

fn days(date: chrono::NaiveDate) -> i32 {
    (date - chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid")).num_days() as i32
}

/// The rows of one input grouped by item key: item `k`'s rows are
/// `entries[starts[k]..starts[k + 1]]`, each `(period start, period months, row number)`.
///
/// This is how the grid finds, for each rating, the input rows it needs (the update or value
/// at M, the one at the comparator period, the target for M's last month) before polars
/// gathers them: every lookup is within one item's few rows, so no join key is hashed and no
/// input row is copied to fit a join (targets used to be expanded to one row per month).
struct ByItem {
    starts: Vec<u32>,
    entries: Vec<(i32, i32, IdxSize)>,
}

impl ByItem {
    /// Groups `rows` (item key, period) by key in two passes, keeping their order within each
    /// key: row `i` of the input is row number `i`.
    fn group(items: usize, rows: &[(i32, Period)]) -> ByItem {
        let mut starts = vec![0u32; items + 1];
        for (key, _) in rows {
            starts[*key as usize + 1] += 1;
        }
        for k in 0..items {
            starts[k + 1] += starts[k];
        }
        let mut next = starts.clone();
        let mut entries = vec![(0, 0, 0); rows.len()];
        for (i, (key, period)) in rows.iter().enumerate() {
            let slot = &mut next[*key as usize];
            entries[*slot as usize] = (period.start, period.months(), i as IdxSize);
            *slot += 1;
        }
        ByItem { starts, entries }
    }

    /// Sorts each item's rows by period, for [`ByItem::find_near`].
    fn sorted(mut self) -> ByItem {
        for k in 0..self.starts.len() - 1 {
            let rows = &mut self.entries[self.starts[k] as usize..self.starts[k + 1] as usize];
            if !rows.is_sorted() {
                rows.sort_unstable();
            }
        }
        self
    }

    fn of(&self, key: i32) -> &[(i32, i32, IdxSize)] {
        let k = key as usize;
        &self.entries[self.starts[k] as usize..self.starts[k + 1] as usize]
    }

    /// The row for item `key` at exactly `period` (the reader refuses two rows for one item
    /// and period, so there is at most one), trying first the row at `hint` and the one after
    /// it (where the last lookup for this item ended): the grid asks for each item's periods
    /// in time order, so the comparator period is usually the row found last and M the next.
    fn find_near(&self, key: i32, period: Period, hint: &mut u32) -> Option<IdxSize> {
        let rows = self.of(key);
        let want = (period.start, period.months());
        let h = *hint as usize;
        let found = [h, h + 1]
            .into_iter()
            .find(|&i| rows.get(i).is_some_and(|e| (e.0, e.1) == want))
            .or_else(|| rows.binary_search_by(|e| (e.0, e.1).cmp(&want)).ok())?;
        *hint = found as u32;
        Some(rows[found].2)
    }

    /// The target row for item `key` that covers `month`: the one with the shortest period
    /// (a quarterly target wins over the annual one), the first in file order among equals.
    fn covering(&self, key: i32, month: i32) -> Option<IdxSize> {
        let mut best: Option<(i32, IdxSize)> = None;
        for &(start, months, row) in self.of(key) {
            if start <= month && month < start + months && best.is_none_or(|b| months < b.0) {
                best = Some((months, row));
            }
        }
        best.map(|b| b.1)
    }
}

impl Frames {
    fn build(jobs: &[(&Plan, Selection)], labels: Option<&[String]>) -> Result<Frames> {
        let index = ItemIndex::new(jobs.iter().map(|(p, _)| *p));
        let present: BTreeSet<String> = jobs.iter().flat_map(|(p, _)| p.benchmarks.iter().map(|b| b.label.clone())).collect();
        let (observations, by_period) = observations_frame(jobs, &index);
        let (targets, by_month) = targets_frame(jobs, &index);
        let grid = grid(jobs, &index, &by_period, &by_month);

        // Polars gathers each input's rows onto the grid: items by key, the rest by the row
        // numbers the grid found (none: a row of nulls, as a left join gives).
        let mut columns = grid.columns.into_columns();
        let items = items_frame(jobs, &index).take(&grid.item)?;
        columns.extend(items.into_columns().into_iter().filter(|c| c.name().as_str() != "key"));
        let cmp_value = observations.column("value")?.as_materialized_series().take(&grid.comparator)?.with_name("cmp_value".into());
        columns.extend(observations.take(&grid.observation)?.into_columns());
        columns.push(cmp_value.into_column());
        columns.extend(targets.take(&grid.target)?.into_columns());
        Ok(Frames {
            rows: frame(columns),
            benchmarks: benchmarks_frame(jobs, &index),
            labels: match labels {
                Some(given) => given.iter().cloned().collect(),
                None => present.clone(),
            },
            present,
        })
    }
}

/// One row per item: its polarity and its plan's rules, and for milestones the final target,
/// the profile's ends and the due date.
fn items_frame(jobs: &[(&Plan, Selection)], index: &ItemIndex) -> DataFrame {
    let n = index.entries.len();
    let (mut key, mut sign, mut final_target, mut final_amber) =
        (Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n));
    let (mut baseline, mut baseline_end, mut target_end, mut due) =
        (Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n));
    let (mut tolerance, mut similar, mut due_inclusive) = (Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n));
    for (k, &(p, item)) in index.entries.iter().enumerate() {
        let plan = jobs[p].0;
        key.push(k as i32);
        tolerance.push(plan.rules.default_tolerance);
        similar.push(plan.rules.similar_within);
        due_inclusive.push(plan.rules.due_on_last_day_is_overdue);
        match item {
            ItemRef::Milestone(i) => {
                let m = &plan.milestones[i];
                sign.push(m.polarity().sign());
                final_target.push(m.target);
                final_amber.push(m.amber_threshold);
                let profiled = m.baseline.is_some() && m.baseline_period.is_some() && m.target.is_some() && m.target_period.is_some();
                baseline.push(if profiled { m.baseline } else { None });
                baseline_end.push(if profiled { m.baseline_period.map(|b| b.end()) } else { None });
                target_end.push(if profiled { m.target_period.map(|t| t.end()) } else { None });
                due.push(m.due.map(days));
            }
            ItemRef::Measure(i) => {
                let m = &plan.measures[i];
                sign.push(m.polarity.sign());
                final_target.push(m.target);
                final_amber.push(m.amber_threshold);
                baseline.push(None);
                baseline_end.push(None);
                target_end.push(None);
                due.push(None);
            }
        }
    }
    frame(vec![
        Column::new("key".into(), key),
        Column::new("sign".into(), sign),
        optional::<Float64Type>("final_target", final_target),
        optional::<Float64Type>("final_amber", final_amber),
        optional::<Float64Type>("baseline", baseline),
        optional::<Int32Type>("baseline_end", baseline_end),
        optional::<Int32Type>("target_end", target_end),
        optional::<Int32Type>("due", due),
        Column::new("tolerance".into(), tolerance),
        Column::new("similar_within".into(), similar),
        Column::new("due_inclusive".into(), due_inclusive),
    ])
}

/// What was reported: milestones' updates and measures' values, one row per item and period,
/// with the rows grouped by item and sorted by period for the grid's lookups; a value's Wilson
/// score interval of numerator/denominator is scaled to the value's units.
fn observations_frame(jobs: &[(&Plan, Selection)], index: &ItemIndex) -> (DataFrame, ByItem) {
    let n: usize = jobs.iter().map(|(p, _)| p.updates.len() + p.values.len()).sum();
    let (mut at, mut value, mut complete, mut issues) =
        (Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n));
    let (mut officer, mut empty, mut lo, mut hi) =
        (Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n));
    for (p, (plan, _)) in jobs.iter().enumerate() {
        for u in &plan.updates {
            at.push((index.key(p, ItemRef::Milestone(u.milestone)), u.period));
            value.push(u.value);
            complete.push(u.complete);
            issues.push(u.issues);
            officer.push(u.status.map(Status::code));
            empty.push(u.is_empty());
            lo.push(None);
            hi.push(None);
        }
        for v in &plan.values {
            at.push((index.key(p, ItemRef::Measure(v.measure)), v.period));
            value.push(v.value);
            complete.push(false);
            issues.push(false);
            officer.push(None);
            empty.push(false);
            let unit = &plan.measures[v.measure].unit;
            let interval = match (v.value, v.numerator, v.denominator) {
                (Some(value), Some(n), Some(d)) if d > 0.0 => Some(wilson(value, n, d, unit, plan.rules.wilson_z)),
                _ => None,
            };
            lo.push(interval.map(|i| i.0));
            hi.push(interval.map(|i| i.1));
        }
    }
    let has = vec![true; at.len()];
    let df = frame(vec![
        optional::<Float64Type>("value", value),
        Column::new("complete".into(), complete),
        Column::new("issues".into(), issues),
        optional::<Int32Type>("officer", officer),
        Column::new("empty".into(), empty),
        Column::new("has_obs".into(), has),
        optional::<Float64Type>("wilson_lo", lo),
        optional::<Float64Type>("wilson_hi", hi),
    ]);
    (df, ByItem::group(index.entries.len(), &at).sorted())
}

/// The Wilson score interval of `n / d` at `z`, scaled to the value's units by
/// `value / (n / d)` (×100 for a percentage when the proportion is 0).
pub fn wilson(value: f64, n: f64, d: f64, unit: &str, z: f64) -> (f64, f64) {
    let p = n / d;
    let z2 = z * z;
    let denom = 1.0 + z2 / d;
    let centre = (p + z2 / (2.0 * d)) / denom;
    let half = z * (p * (1.0 - p) / d + z2 / (4.0 * d * d)).max(0.0).sqrt() / denom;
    let scale = if p > 0.0 {
        value / p
    } else if unit.trim() == "%" {
        100.0
    } else {
        1.0
    };
    ((centre - half) * scale, (centre + half) * scale)
}

/// Targets from `targets.csv`, one row per target, grouped by item in file order; the grid
/// picks, for each rating, the one covering M's last month (see [`ByItem::covering`]).
fn targets_frame(jobs: &[(&Plan, Selection)], index: &ItemIndex) -> (DataFrame, ByItem) {
    let n: usize = jobs.iter().map(|(p, _)| p.targets.len()).sum();
    let (mut at, mut len, mut start, mut target, mut amber) =
        (Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n));
    for (p, (plan, _)) in jobs.iter().enumerate() {
        for t in &plan.targets {
            at.push((index.key(p, t.item), t.period));
            len.push(t.period.months());
            start.push(t.period.start);
            target.push(t.target);
            amber.push(t.amber_threshold);
        }
    }
    let df = frame(vec![
        Column::new("tr_len".into(), len),
        Column::new("tr_start".into(), start),
        Column::new("tr_target".into(), target),
        optional::<Float64Type>("tr_amber", amber),
    ]);
    (df, ByItem::group(index.entries.len(), &at))
}

fn benchmarks_frame(jobs: &[(&Plan, Selection)], index: &ItemIndex) -> DataFrame {
    let mut rows = Vec::new();
    for (p, (plan, _)) in jobs.iter().enumerate() {
        for b in &plan.benchmarks {
            rows.push((b.period.end(), index.key(p, b.item), b.label.as_str(), b.value, b.period.start, b.period.months()));
        }
    }
    // As-of joins need the right side sorted by the "on" column.
    rows.sort_by(|a, b| (a.0, a.1, a.2).cmp(&(b.0, b.1, b.2)));
    frame(vec![
        Column::new("b_end".into(), rows.iter().map(|r| r.0).collect::<Vec<i32>>()),
        Column::new("key".into(), rows.iter().map(|r| r.1).collect::<Vec<i32>>()),
        Column::new("label".into(), rows.iter().map(|r| r.2).collect::<Vec<&str>>()),
        Column::new("b_value".into(), rows.iter().map(|r| r.3).collect::<Vec<f64>>()),
        Column::new("b_start".into(), rows.iter().map(|r| r.4).collect::<Vec<i32>>()),
        Column::new("b_len".into(), rows.iter().map(|r| r.5).collect::<Vec<i32>>()),
    ])
}

/// The grid's columns and the row numbers to gather its inputs by.
struct Grid {
    columns: DataFrame,
    /// Each row's item: its key, as a row number of the items frame.
    item: IdxCa,
    /// The update or value at M.
    observation: IdxCa,
    /// The update or value at the comparator period of direction of travel.
    comparator: IdxCa,
    /// The target covering M's last month.
    target: IdxCa,
}

/// One row per item and period T to rate it at, in output order: per plan, per period T
/// (earlier end first; for the same end, the longer period first), milestones then measures,
/// each in file order. The query keeps this order, so nothing is sorted after it.
///
/// Each row carries M (the period its value belongs to: T for a milestone, the measure's own
/// latest period ending by the end of T) and the rows of the inputs that belong to it.
fn grid(jobs: &[(&Plan, Selection)], index: &ItemIndex, observations: &ByItem, targets: &ByItem) -> Grid {
    let n: usize =
        jobs.iter().map(|(p, s)| p.milestones.len() * s.milestone_periods.len() + p.measures.len() * s.measure_periods.len()).sum();
    let (mut plan_col, mut key, mut kind, mut t_start, mut t_len) =
        (Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n));
    let (mut m_start, mut m_len, mut last_day) = (Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n));
    let (mut observation, mut comparator, mut target) = (Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n));
    let mut hints = vec![0u32; index.entries.len()];
    for (p, (plan, selection)) in jobs.iter().enumerate() {
        let mut periods: Vec<(Period, Kind)> = selection
            .milestone_periods
            .iter()
            .map(|t| (*t, Kind::Milestone))
            .chain(selection.measure_periods.iter().map(|t| (*t, Kind::Measure)))
            .collect();
        periods.sort_by_key(|(t, k)| (*t, *k));
        periods.dedup_by_key(|(t, k)| (*t, *k));
        for (t, k) in periods {
            let last = days(t.last_day());
            let mut push = |k: i32, m: Period, cmp: Period| {
                plan_col.push(p as i32);
                key.push(k);
                t_start.push(t.start);
                t_len.push(t.months());
                m_start.push(m.start);
                m_len.push(m.months());
                last_day.push(last);
                let hint = &mut hints[k as usize];
                comparator.push(observations.find_near(k, cmp, hint));
                observation.push(observations.find_near(k, m, hint));
                target.push(targets.covering(k, m.end() - 1));
            };
            match k {
                Kind::Milestone => {
                    for i in 0..plan.milestones.len() {
                        push(index.key(p, ItemRef::Milestone(i)), t, t.previous());
                        kind.push(0);
                    }
                }
                Kind::Measure => {
                    for (i, measure) in plan.measures.iter().enumerate() {
                        let m = t.latest_of(measure.frequency, measure.year_type);
                        let cmp = match plan.dot_basis(measure) {
                            DotBasis::Previous => m.previous(),
                            DotBasis::YearAgo => m.year_ago(),
                        };
                        push(index.key(p, ItemRef::Measure(i)), m, cmp);
                        kind.push(1);
                    }
                }
            }
        }
    }
    // The items frame is in key order, so a row's key is its item's row number.
    let item = key.iter().map(|&k| k as IdxSize).collect();
    Grid {
        columns: frame(vec![
            Int32Chunked::from_vec("plan".into(), plan_col).into_column(),
            Int32Chunked::from_vec("key".into(), key).into_column(),
            Int32Chunked::from_vec("kind".into(), kind).into_column(),
            Int32Chunked::from_vec("t_start".into(), t_start).into_column(),
            Int32Chunked::from_vec("t_len".into(), t_len).into_column(),
            Int32Chunked::from_vec("m_start".into(), m_start).into_column(),
            Int32Chunked::from_vec("m_len".into(), m_len).into_column(),
            Int32Chunked::from_vec("t_last_day".into(), last_day).into_column(),
        ]),
        item: IdxCa::from_vec("item".into(), item),
        observation: row_numbers(observation),
        comparator: row_numbers(comparator),
        target: row_numbers(target),
    }
}

/// Rule codes: which rule decided, so the reason can be worded after the query.
pub(crate) mod rule {
    pub const NO_UPDATE: i32 = 1;
    pub const EMPTY_UPDATE: i32 = 2;
    pub const COMPLETE: i32 = 3;
    pub const ISSUES: i32 = 4;
    pub const OVERDUE: i32 = 5;
    pub const MET: i32 = 6;
    pub const WITHIN: i32 = 7;
    pub const BEYOND: i32 = 8;
    pub const ONGOING: i32 = 9;
    pub const NO_VALUE: i32 = 10;
    pub const NEUTRAL: i32 = 11;
    pub const NO_TARGET: i32 = 12;

    /// Where the target came from.
    pub const FROM_TRAJECTORY: i32 = 1;
    pub const FROM_PROFILE: i32 = 2;
    pub const FROM_FINAL: i32 = 3;
}

/// `sign * (value - threshold) >= 0`: the value is at or beyond the threshold the good way.
fn meets(value: Expr, threshold: Expr) -> Expr {
    (col("sign").cast(DataType::Float64) * (value - threshold)).gt_eq(lit(0.0))
}

/// The amber threshold implied by the plan's default tolerance for `target`.
fn default_threshold(target: Expr) -> Expr {
    target.clone() - col("sign").cast(DataType::Float64) * col("tolerance") * abs(target)
}

/// Green/Amber/Red (as rule codes) for `value` against `target` and `amber`.
fn against_target(value: Expr, target: Expr, amber: Expr) -> Expr {
    when(meets(value.clone(), target)).then(lit(rule::MET)).when(meets(value, amber)).then(lit(rule::WITHIN)).otherwise(lit(rule::BEYOND))
}

/// `|x|`, without pulling in polars' `abs` feature for one use.
fn abs(x: Expr) -> Expr {
    when(x.clone().lt(lit(0.0))).then(lit(0.0) - x.clone()).otherwise(x)
}

/// `x` limited to `[0, 1]`.
fn unit_interval(x: Expr) -> Expr {
    when(x.clone().lt(lit(0.0))).then(lit(0.0)).when(x.clone().gt(lit(1.0))).then(lit(1.0)).otherwise(x)
}

/// `expr` equals one of `codes`.
fn one_of(expr: Expr, codes: &[i32]) -> Expr {
    codes.iter().map(|c| expr.clone().eq(lit(*c))).reduce(|a, b| a.or(b)).unwrap_or(lit(false))
}

/// The columns [`RowReader`] reads.
const OUTPUT: [&str; 20] = [
    "plan",
    "key",
    "t_start",
    "t_len",
    "m_start",
    "m_len",
    "sign",
    "rule",
    "officer",
    "computed",
    "dot",
    "target_source",
    "tr_start",
    "tr_len",
    "value",
    "target",
    "amber",
    "cmp_value",
    "tr_amber",
    "final_amber",
];

fn query(f: Frames) -> Result<LazyFrame> {
    // Each row already holds what was reported at M and at the comparator period, and the
    // target for M's last month (gathered by [`Frames::build`]).
    let all = f.rows.lazy();

    // The target applied: the trajectory's, else (milestones) the profile's, else the final one.
    let t_end = (col("t_start") + col("t_len")).cast(DataType::Float64);
    let fraction = unit_interval(
        (t_end - col("baseline_end").cast(DataType::Float64)) / (col("target_end") - col("baseline_end")).cast(DataType::Float64),
    );
    let profiled = col("baseline") + (col("final_target") - col("baseline")) * fraction;
    let all = all
        .with_columns([
            col("has_obs").fill_null(lit(false)),
            when(col("tr_target").is_not_null())
                .then(lit(rule::FROM_TRAJECTORY))
                .when(col("baseline").is_not_null())
                .then(lit(rule::FROM_PROFILE))
                .when(col("final_target").is_not_null())
                .then(lit(rule::FROM_FINAL))
                .otherwise(lit(NULL).cast(DataType::Int32))
                .alias("target_source"),
        ])
        .with_columns([when(col("target_source").eq(lit(rule::FROM_TRAJECTORY)))
            .then(col("tr_target"))
            .when(col("target_source").eq(lit(rule::FROM_PROFILE)))
            .then(profiled)
            .otherwise(col("final_target"))
            .alias("target")])
        .with_columns([when(col("target_source").eq(lit(rule::FROM_TRAJECTORY)))
            .then(col("tr_amber").fill_null(default_threshold(col("target"))))
            .otherwise(col("final_amber").fill_null(default_threshold(col("target"))))
            .alias("amber")])
        .with_columns([col("due")
            .is_not_null()
            .and(col("due").lt(col("t_last_day")).or(col("due").eq(col("t_last_day")).and(col("due_inclusive"))))
            .alias("overdue")]);

    // Milestones at T (SPEC rules 1-5); measures at M.
    let milestone_rule = when(col("has_obs").not())
        .then(lit(rule::NO_UPDATE))
        .when(col("empty"))
        .then(lit(rule::EMPTY_UPDATE))
        .when(col("complete"))
        .then(lit(rule::COMPLETE))
        .when(col("issues"))
        .then(lit(rule::ISSUES))
        .when(col("overdue"))
        .then(lit(rule::OVERDUE))
        .when(col("value").is_not_null().and(col("target").is_not_null()).and(col("sign").neq(lit(0))))
        .then(against_target(col("value"), col("target"), col("amber")))
        .otherwise(lit(rule::ONGOING));
    let measure_rule = when(col("value").is_null())
        .then(lit(rule::NO_VALUE))
        .when(col("sign").eq(lit(0)))
        .then(lit(rule::NEUTRAL))
        .when(col("target").is_null())
        .then(lit(rule::NO_TARGET))
        .otherwise(against_target(col("value"), col("target"), col("amber")));
    let all = all.with_columns([when(col("kind").eq(lit(0))).then(milestone_rule).otherwise(measure_rule).alias("rule")]);

    // Status from rule, direction of travel from the comparator value.
    let status = when(one_of(col("rule"), &[rule::NO_UPDATE, rule::EMPTY_UPDATE, rule::NO_VALUE]))
        .then(lit(Status::Blue.code()))
        .when(one_of(col("rule"), &[rule::COMPLETE, rule::MET]))
        .then(lit(Status::Green.code()))
        .when(one_of(col("rule"), &[rule::ISSUES, rule::OVERDUE, rule::BEYOND]))
        .then(lit(Status::Red.code()))
        .when(one_of(col("rule"), &[rule::WITHIN, rule::ONGOING]))
        .then(lit(Status::Amber.code()))
        .otherwise(lit(NULL).cast(DataType::Int32));
    let movement = when(col("value").is_null().or(col("cmp_value").is_null()))
        .then(lit(NULL).cast(DataType::Int32))
        .when(col("value").gt(col("cmp_value")))
        .then(lit(1))
        .when(col("value").lt(col("cmp_value")))
        .then(lit(-1))
        .otherwise(lit(0));
    let mut all = all.with_columns([status.alias("computed"), movement.alias("dot"), (col("m_start") + col("m_len")).alias("m_end")]);

    // Benchmarks: per label, the latest value whose period ends by the end of M. The grid is in
    // period order within each item, and benchmarks in period order, as the as-of join needs.
    let benchmarks = f.benchmarks.lazy();
    let mut output: Vec<Expr> = OUTPUT.iter().map(|c| col(*c)).collect();
    for (i, label) in f.labels.iter().enumerate() {
        let (vs, gap, value, start, len) =
            (format!("b{i}_vs"), format!("b{i}_gap"), format!("b{i}_value"), format!("b{i}_start"), format!("b{i}_len"));
        output.extend([&vs, &gap, &value, &start, &len].map(|c| col(c.as_str())));
        if !f.present.contains(label) {
            let (int, float) = (lit(NULL).cast(DataType::Int32), lit(NULL).cast(DataType::Float64));
            all = all.with_columns([
                int.clone().alias(&vs),
                float.clone().alias(&gap),
                float.alias(&value),
                int.clone().alias(&start),
                int.alias(&len),
            ]);
            continue;
        }
        let right = benchmarks.clone().filter(col("label").eq(lit(label.as_str()))).select([
            col("key"),
            col("b_end").alias("m_end"),
            col("b_value").alias(&value),
            col("b_start").alias(&start),
            col("b_len").alias(&len),
        ]);
        let options = AsOfOptions {
            strategy: AsofStrategy::Backward,
            left_by: Some(vec!["key".into()]),
            right_by: Some(vec!["key".into()]),
            allow_eq: true,
            check_sortedness: false, // sorted within each item, which polars cannot check
            ..Default::default()
        };
        let args = JoinArgs::new(JoinType::AsOf(Box::new(options))).with_coalesce(JoinCoalesce::CoalesceColumns);
        all = all.join(right, [col("m_end")], [col("m_end")], args);
        let b = col(value.as_str());
        let similar = when(col("wilson_lo").is_not_null())
            .then(b.clone().gt_eq(col("wilson_lo")).and(b.clone().lt_eq(col("wilson_hi"))))
            .otherwise(abs(col("value") - b.clone()).lt_eq(col("similar_within")));
        let direction =
            when(col("value").gt(b.clone())).then(lit(1.0)).when(col("value").lt(b.clone())).then(lit(-1.0)).otherwise(lit(0.0));
        let versus = when(col("value").is_null().or(b.clone().is_null()))
            .then(lit(NULL).cast(DataType::Int32))
            .when(similar)
            .then(lit(2))
            .when(col("sign").eq(lit(0)))
            .then(when(direction.clone().gt(lit(0.0))).then(lit(4)).otherwise(lit(5)))
            .when((direction * col("sign").cast(DataType::Float64)).gt(lit(0.0)))
            .then(lit(1))
            .otherwise(lit(3));
        all = all.with_columns([versus.alias(&vs), (col("value") - b).alias(&gap)]);
    }
    Ok(all.select(output))
}

/// One column of the query's result in one piece, read straight from its arrow array: a row
/// is an index and a validity bit, not a chunked array's lookup (about 30 cells for each of
/// millions of rows), and nothing is copied.
struct Col<T: PolarsNumericType> {
    ca: ChunkedArray<T>,
}

impl<T: PolarsNumericType> Col<T> {
    fn new(ca: &ChunkedArray<T>) -> Col<T> {
        Col { ca: ca.rechunk().into_owned() }
    }

    fn empty() -> Col<T> {
        Col { ca: ChunkedArray::from_vec("".into(), Vec::new()) }
    }

    #[inline]
    fn get(&self, r: usize) -> Option<T::Native> {
        let array = self.ca.downcast_get(0)?;
        let v = *array.values().get(r)?;
        match array.validity() {
            Some(bits) if !bits.get_bit(r) => None,
            _ => Some(v),
        }
    }
}

/// Reads the query's columns back into [`Rating`]s, one row at a time, and words the reasons.
pub struct RowReader<'a> {
    plans: Vec<&'a Plan>,
    index: ItemIndex,
    options: RateOptions,
    plan: Col<Int32Type>,
    key: Col<Int32Type>,
    t_start: Col<Int32Type>,
    t_len: Col<Int32Type>,
    m_start: Col<Int32Type>,
    m_len: Col<Int32Type>,
    sign: Col<Int32Type>,
    rule: Col<Int32Type>,
    officer: Col<Int32Type>,
    computed: Col<Int32Type>,
    dot: Col<Int32Type>,
    target_source: Col<Int32Type>,
    tr_start: Col<Int32Type>,
    tr_len: Col<Int32Type>,
    value: Col<Float64Type>,
    target: Col<Float64Type>,
    amber: Col<Float64Type>,
    cmp_value: Col<Float64Type>,
    tr_amber: Col<Float64Type>,
    final_amber: Col<Float64Type>,
    bench: Vec<BenchmarkColumns>,
}

/// One benchmark label's columns: the judgement, the gap, the benchmark value and its period.
struct BenchmarkColumns {
    versus: Col<Int32Type>,
    gap: Col<Float64Type>,
    value: Col<Float64Type>,
    start: Col<Int32Type>,
    len: Col<Int32Type>,
}

fn missing(what: &str) -> Error {
    Error::Usage(format!("internal: the rating query lost the {what} column"))
}

impl<'a> RowReader<'a> {
    fn new(plans: Vec<&'a Plan>, labels: &[String], df: Option<&DataFrame>, options: RateOptions) -> Result<RowReader<'a>> {
        let i32c = |name: &str| -> Result<Col<Int32Type>> {
            match df {
                Some(df) => Ok(Col::new(df.column(name)?.cast(&DataType::Int32)?.i32()?)),
                None => Ok(Col::empty()),
            }
        };
        let f64c = |name: &str| -> Result<Col<Float64Type>> {
            match df {
                Some(df) => Ok(Col::new(df.column(name)?.f64()?)),
                None => Ok(Col::empty()),
            }
        };
        let mut bench = Vec::new();
        for i in 0..labels.len() {
            bench.push(BenchmarkColumns {
                versus: i32c(&format!("b{i}_vs"))?,
                gap: f64c(&format!("b{i}_gap"))?,
                value: f64c(&format!("b{i}_value"))?,
                start: i32c(&format!("b{i}_start"))?,
                len: i32c(&format!("b{i}_len"))?,
            });
        }
        Ok(RowReader {
            index: ItemIndex::new(plans.iter().copied()),
            plans,
            options,
            plan: i32c("plan")?,
            key: i32c("key")?,
            t_start: i32c("t_start")?,
            t_len: i32c("t_len")?,
            m_start: i32c("m_start")?,
            m_len: i32c("m_len")?,
            sign: i32c("sign")?,
            rule: i32c("rule")?,
            officer: i32c("officer")?,
            computed: i32c("computed")?,
            dot: i32c("dot")?,
            target_source: i32c("target_source")?,
            tr_start: i32c("tr_start")?,
            tr_len: i32c("tr_len")?,
            value: f64c("value")?,
            target: f64c("target")?,
            amber: f64c("amber")?,
            cmp_value: f64c("cmp_value")?,
            tr_amber: f64c("tr_amber")?,
            final_amber: f64c("final_amber")?,
            bench,
        })
    }

    /// The index into the jobs of row `r`'s plan.
    pub fn plan_index(&self, r: usize) -> Result<usize> {
        Ok(self.plan.get(r).ok_or_else(|| missing("plan"))? as usize)
    }

    /// Row `r`'s item, as a number unique among this frame's items (plan by plan, milestones
    /// then measures): what writers key per-item caches by.
    pub fn item_key(&self, r: usize) -> Result<usize> {
        Ok(self.key.get(r).ok_or_else(|| missing("key"))? as usize)
    }

    /// The reporting period T of row `r`, named in its plan's year type.
    pub fn period(&self, r: usize) -> Result<Period> {
        let plan = self.plans[self.plan_index(r)?];
        let start = self.t_start.get(r).ok_or_else(|| missing("t_start"))?;
        let len = self.t_len.get(r).ok_or_else(|| missing("t_len"))?;
        Ok(Period::from_start(start, Frequency::of_months(len), plan.year_type))
    }

    /// The rating in row `r`.
    pub fn rating(&self, r: usize) -> Result<Rating> {
        let mut scratch = RowScratch::default();
        Ok(self.view(r, &mut scratch)?.to_rating())
    }

    /// The rating in row `r`, borrowing its text from the plans and `scratch`.
    pub fn view<'s>(&'s self, r: usize, scratch: &'s mut RowScratch) -> Result<RatingRef<'s>> {
        let at = |c: &Col<Int32Type>| c.get(r);
        let atf = |c: &Col<Float64Type>| c.get(r);
        let plan = self.plans[self.plan_index(r)?];
        let (_, item) = self.index.entries[at(&self.key).ok_or_else(|| missing("key"))? as usize];
        let year_type = match item {
            ItemRef::Milestone(_) => plan.year_type,
            ItemRef::Measure(i) => plan.measures[i].year_type,
        };
        let period_of = |start: Option<i32>, len: Option<i32>| -> Option<Period> {
            Some(Period::from_start(start?, Frequency::of_months(len?), year_type))
        };
        let t = period_of(at(&self.t_start), at(&self.t_len)).ok_or_else(|| missing("period"))?;
        let t = Period::from_start(t.start, t.frequency, plan.year_type);
        let m = period_of(at(&self.m_start), at(&self.m_len)).unwrap_or(t);
        let polarity = Polarity::from_sign(at(&self.sign).unwrap_or(1));
        let computed_status = at(&self.computed).and_then(Status::from_code);
        let officer_status = at(&self.officer).and_then(Status::from_code);
        let dot_value = match at(&self.dot) {
            Some(1) => Dot::Up,
            Some(-1) => Dot::Down,
            Some(_) => Dot::Same,
            None => Dot::None,
        };
        let dot_judgement = match (dot_value, polarity) {
            (Dot::None, _) | (_, Polarity::Neutral) => DotJudgement::NotAssessed,
            (Dot::Same, _) => DotJudgement::NoChange,
            (Dot::Up, Polarity::HighIsGood) | (Dot::Down, Polarity::LowIsGood) => DotJudgement::Improving,
            _ => DotJudgement::Worsening,
        };
        scratch.benchmarks.clear();
        scratch.benchmarks.extend(self.bench.iter().map(|b| Comparison {
            versus: at(&b.versus).and_then(Versus::from_code),
            gap: atf(&b.gap).map(round_output),
            value: atf(&b.value),
            period: period_of(at(&b.start), at(&b.len)),
        }));
        let target_source = at(&self.target_source);
        let facts = reason::Facts {
            plan,
            item,
            t,
            m,
            rule: at(&self.rule).unwrap_or(rule::ONGOING),
            computed: computed_status,
            value: atf(&self.value),
            target: atf(&self.target),
            amber: atf(&self.amber),
            polarity,
            target_source,
            trajectory: period_of(at(&self.tr_start), at(&self.tr_len)),
            amber_typed: if target_source == Some(rule::FROM_TRAJECTORY) {
                atf(&self.tr_amber).is_some()
            } else {
                atf(&self.final_amber).is_some()
            },
        };
        let use_officer = officer_status.filter(|_| !self.options.computed_only);
        let status = use_officer.or(computed_status);
        let disagrees = officer_status.is_some() && officer_status != computed_status;
        scratch.reason.clear();
        if let Some(o) = use_officer.filter(|_| disagrees) {
            reason::officer_disagrees(o, &mut scratch.reason);
        }
        reason::computed_into(&facts, &mut scratch.words, &mut scratch.reason);
        let (kind, id, priority, title) = match item {
            ItemRef::Milestone(i) => {
                let ms = &plan.milestones[i];
                (Kind::Milestone, &ms.id, &ms.priority, &ms.title)
            }
            ItemRef::Measure(i) => {
                let me = &plan.measures[i];
                (Kind::Measure, &me.id, &me.group, &me.title)
            }
        };
        Ok(RatingRef {
            plan: &plan.name,
            period: t,
            kind,
            item: id,
            priority,
            title,
            status,
            computed_status,
            disagrees,
            reason: &scratch.reason,
            value: atf(&self.value),
            target: atf(&self.target).map(round_output),
            amber_threshold: atf(&self.amber).map(round_output),
            polarity,
            rated_period: m,
            dot: dot_value,
            dot_judgement,
            comparator_value: atf(&self.cmp_value),
            benchmarks: &scratch.benchmarks,
        })
    }
}

/// Rounds a computed number to 6 decimals so that output bytes do not depend on the last bit
/// of floating-point arithmetic.
pub fn round_output(x: f64) -> f64 {
    let r = (x * 1e6).round() / 1e6;
    if r == 0.0 {
        0.0
    } else {
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::period::YearType;

    fn period(text: &str) -> Period {
        Period::parse(text, YearType::Financial).expect("period")
    }

    #[test]
    fn rows_are_found_per_item_whatever_their_file_order() {
        let rows = [(1, period("2013-12")), (0, period("2013-12")), (1, period("2013-11")), (1, period("2013/14 Q3"))];
        let by = ByItem::group(3, &rows).sorted();
        assert_eq!(by.find_near(1, period("2013-11"), &mut 0), Some(2));
        assert_eq!(by.find_near(1, period("2013-12"), &mut 0), Some(0));
        assert_eq!(by.find_near(1, period("2013/14 Q3"), &mut 0), Some(3));
        assert_eq!(by.find_near(0, period("2013-12"), &mut 0), Some(1));
        assert_eq!(by.find_near(0, period("2013-11"), &mut 0), None);
        assert_eq!(by.find_near(2, period("2013-12"), &mut 0), None);
        // A hint is only where to look first: a wrong or stale one still finds the row.
        // Item 1's rows in period order: 2013/14 Q3 (from October), 2013-11, 2013-12.
        let mut hint = 2;
        assert_eq!(by.find_near(1, period("2013-11"), &mut hint), Some(2));
        assert_eq!(hint, 1);
        assert_eq!(by.find_near(1, period("2013-12"), &mut hint), Some(0));
        assert_eq!(hint, 2);
        assert_eq!(by.find_near(1, period("2013-11"), &mut 99), Some(2));
    }

    #[test]
    fn the_shortest_target_covering_a_month_wins_and_the_first_among_equals() {
        // Two quarters of the same length cannot share a month in one year type, so the tie
        // is between a financial and a calendar year covering December.
        let calendar = Period::parse("2013", YearType::Calendar).expect("period");
        let rows = [(0, period("2013/14")), (0, calendar), (0, period("2013/14 Q3")), (0, period("2013-12"))];
        let by = ByItem::group(1, &rows);
        let december = period("2013-12").start;
        assert_eq!(by.covering(0, december), Some(3));
        assert_eq!(by.covering(0, december - 1), Some(2));
        assert_eq!(by.covering(0, december + 1), Some(0));
        let by = ByItem::group(1, &rows[..2]);
        assert_eq!(by.covering(0, december), Some(0));
        assert_eq!(by.covering(0, december + 1), Some(0));
        assert_eq!(by.covering(0, period("2014/15").start), None);
    }
}
