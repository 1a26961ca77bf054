//! The query's input frames: every plan's items, updates and values, targets and benchmarks
//! laid out as polars columns, and each input's rows grouped by item ([`ByItem`]) for the
//! grid's lookups.
//!
//! Why row numbers rather than joins on keys: a rating's inputs are always its own item's
//! rows, so the lookup is within a few dozen rows, where a hash join on (item, period) keys
//! hashed every input row and probed every rating twice, and matching a target needed the
//! targets expanded to one row per month. For 100 plans that was a quarter of the run.

use super::grid::grid;
use super::rules::spc;
use super::rules::{benchmarks, intervals, trend};
use super::{RateOptions, Selection};
use crate::error::Result;
use crate::model::period::Period;
use crate::model::values::{CiMethod, Status};
use crate::read::plan::{ItemRef, Plan};
use polars::prelude::*;
use std::collections::BTreeSet;

/// Item keys: the position of an item in the concatenation of every plan's milestones then
/// measures, so that sorting by key is file order within a plan.
pub(super) struct ItemIndex {
    pub(super) entries: Vec<(usize, ItemRef)>,
    first: Vec<(i32, i32)>,
}

impl ItemIndex {
    pub(super) fn new<'p>(plans: impl IntoIterator<Item = &'p Plan>) -> ItemIndex {
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

    pub(super) fn key(&self, plan: usize, item: ItemRef) -> i32 {
        match item {
            ItemRef::Milestone(i) => self.first[plan].0 + i as i32,
            ItemRef::Measure(i) => self.first[plan].1 + i as i32,
        }
    }
}

/// The input of the query: the grid with every input row it needs gathered onto it (one row
/// per rating, in output order), and each benchmark label's columns for those rows.
pub(super) struct Frames {
    pub(super) rows: DataFrame,
    /// The benchmark labels, in order: label `i`'s columns are [`benchmarks::column_names`]`(i)`.
    pub(super) labels: BTreeSet<String>,
    /// Every label's columns, one row per row of `rows` ([`benchmarks::columns`]).
    pub(super) benchmarks: Vec<Column>,
}

pub(super) fn frame(columns: Vec<Column>) -> DataFrame {
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
pub(super) fn row_numbers(rows: Vec<Option<IdxSize>>) -> IdxCa {
    rows.into_iter().collect()
}

pub(super) fn days(date: chrono::NaiveDate) -> i32 {
    (date - chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid")).num_days() as i32
}

/// The rows of one input grouped by item key: item `k`'s rows are
/// `entries[starts[k]..starts[k + 1]]`, each `(period start, period months, row number)`.
///
/// This is how the grid finds, for each rating, the input rows it needs (the update or value
/// at M, the one at the comparator period, the target for M's last month) before polars
/// gathers them: every lookup is within one item's few rows, so no join key is hashed and no
/// input row is copied to fit a join (targets used to be expanded to one row per month).
pub(super) struct ByItem {
    starts: Vec<u32>,
    entries: Vec<(i32, i32, IdxSize)>,
}

impl ByItem {
    /// Groups `rows` (item key, period) by key in two passes, keeping their order within each
    /// key: row `i` of the input is row number `i`.
    pub(super) fn group(items: usize, rows: &[(i32, Period)]) -> ByItem {
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
    pub(super) fn sorted(mut self) -> ByItem {
        for k in 0..self.starts.len() - 1 {
            let rows = &mut self.entries[self.starts[k] as usize..self.starts[k + 1] as usize];
            if !rows.is_sorted() {
                rows.sort_unstable();
            }
        }
        self
    }

    /// The number of items.
    fn items(&self) -> usize {
        self.starts.len() - 1
    }

    fn of(&self, key: i32) -> &[(i32, i32, IdxSize)] {
        let k = key as usize;
        &self.entries[self.starts[k] as usize..self.starts[k + 1] as usize]
    }

    /// The row for item `key` at exactly `period` (the reader refuses two rows for one item
    /// and period, so there is at most one), trying first the row at `hint` and the one after
    /// it (where the last lookup for this item ended): the grid asks for each item's periods
    /// in time order, so the comparator period is usually the row found last and M the next.
    pub(super) fn find_near(&self, key: i32, period: Period, hint: &mut u32) -> Option<IdxSize> {
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
    pub(super) fn covering(&self, key: i32, month: i32) -> Option<IdxSize> {
        let mut best: Option<(i32, IdxSize)> = None;
        for &(start, months, row) in self.of(key) {
            if start <= month && month < start + months && best.is_none_or(|b| months < b.0) {
                best = Some((months, row));
            }
        }
        best.map(|b| b.1)
    }
}

/// Each item's updates and values in period order (by end, the longer period first), as
/// `(end, start, months, value, not empty)`: what the stale and forecast families look back
/// through (issue #16).
pub(super) struct Reported {
    starts: Vec<u32>,
    entries: Vec<ReportedRow>,
}

/// `(end, start, months, value, not empty)` of one update or value.
pub(super) type ReportedRow = (i32, i32, i32, Option<f64>, bool);

impl Reported {
    fn new(jobs: &[(&Plan, Selection)], index: &ItemIndex) -> Reported {
        let mut rows: Vec<(i32, ReportedRow)> = Vec::new();
        for (p, (plan, _)) in jobs.iter().enumerate() {
            for u in &plan.updates {
                let k = index.key(p, ItemRef::Milestone(u.milestone));
                rows.push((k, (u.period.end(), u.period.start, u.period.months(), u.value, !u.is_empty())));
            }
            for v in &plan.values {
                let k = index.key(p, ItemRef::Measure(v.measure));
                rows.push((k, (v.period.end(), v.period.start, v.period.months(), v.value, v.value.is_some())));
            }
        }
        rows.sort_by_key(|(k, e)| (*k, e.0, -e.2));
        let mut starts = vec![0u32; index.entries.len() + 1];
        for (k, _) in &rows {
            starts[*k as usize + 1] += 1;
        }
        for k in 0..index.entries.len() {
            starts[k + 1] += starts[k];
        }
        Reported { starts, entries: rows.into_iter().map(|(_, e)| e).collect() }
    }

    /// Item `key`'s rows ending by `end`, latest last.
    pub(super) fn by(&self, key: i32, end: i32) -> &[ReportedRow] {
        let k = key as usize;
        let rows = &self.entries[self.starts[k] as usize..self.starts[k + 1] as usize];
        &rows[..rows.partition_point(|e| e.0 <= end)]
    }
}

impl Frames {
    pub(super) fn build(jobs: &[(&Plan, Selection)], labels: Option<&[String]>, options: RateOptions) -> Result<Frames> {
        let index = ItemIndex::new(jobs.iter().map(|(p, _)| *p));
        let labels: BTreeSet<String> = match labels {
            Some(given) => given.iter().cloned().collect(),
            None => jobs.iter().flat_map(|(p, _)| p.benchmarks.iter().map(|b| b.label.clone())).collect(),
        };
        let (observations, by_period) = observations_frame(jobs, &index, options.without_trend);
        let (targets, by_month) = targets_frame(jobs, &index);
        let reported = Reported::new(jobs, &index);
        let grid = grid(jobs, &index, &by_period, &by_month, &reported);
        let plans: Vec<&Plan> = jobs.iter().map(|(p, _)| *p).collect();
        let spc_columns = {
            let slice = |name: &str| -> Result<Vec<i32>> { Ok(grid.columns.column(name)?.i32()?.into_no_null_iter().collect()) };
            spc::columns(&plans, &index, &slice("key")?, &slice("m_start")?, options.without_spc)
        };

        // Polars gathers each input's rows onto the grid: items by key, the rest by the row
        // numbers the grid found (none: a row of nulls, as a left join gives).
        let mut columns = grid.columns.into_columns();
        let items = items_frame(jobs, &index).take(&grid.item)?;
        columns.extend(items.into_columns().into_iter().filter(|c| c.name().as_str() != "key"));
        let cmp_value = observations.column("value")?.as_materialized_series().take(&grid.comparator)?.with_name("cmp_value".into());
        columns.extend(observations.take(&grid.observation)?.into_columns());
        columns.push(cmp_value.into_column());
        columns.extend(targets.take(&grid.target)?.into_columns());
        // Issue #16: the target a measure's forecast is read against (the year's last month).
        for c in targets.take(&grid.forecast_target)?.into_columns() {
            if matches!(c.name().as_str(), "tr_target" | "tr_amber") {
                let name = format!("fc_{}", c.name());
                columns.push(c.with_name(name.as_str().into()));
            }
        }
        // Issue #13: each measure's SPC at M.
        columns.extend(spc_columns);
        let rows = frame(columns);
        // Each benchmark label's columns, added to the query's result (which keeps these rows
        // in this order): the query's planner never sees them.
        let benchmarks = benchmark_columns(jobs, &index, &labels, &rows)?;
        Ok(Frames { rows, labels, benchmarks })
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
    let (mut start, mut progress_amber, mut progress_red) = (Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n));
    let (mut stale_after, mut min_points) = (Vec::with_capacity(n), Vec::with_capacity(n));
    let mut two_levels = Vec::with_capacity(n);
    for (k, &(p, item)) in index.entries.iter().enumerate() {
        let plan = jobs[p].0;
        key.push(k as i32);
        tolerance.push(plan.rules.default_tolerance);
        similar.push(plan.rules.similar_within);
        due_inclusive.push(plan.rules.due_on_last_day_is_overdue);
        progress_amber.push(plan.rules.progress_amber);
        progress_red.push(plan.rules.progress_red);
        stale_after.push(plan.rules.stale_after as i32);
        min_points.push(plan.rules.forecast_min_points.min(i32::MAX as usize) as i32);
        two_levels.push(plan.rules.two_levels());
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
                start.push(m.start.map(days));
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
                start.push(None);
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
        optional::<Int32Type>("start", start),
        Column::new("progress_amber".into(), progress_amber),
        Column::new("progress_red".into(), progress_red),
        Column::new("stale_after".into(), stale_after),
        Column::new("forecast_min_points".into(), min_points),
        Column::new("two_levels".into(), two_levels),
    ])
}

/// What was reported: milestones' updates and measures' values, one row per item and period,
/// with the rows grouped by item and sorted by period for the grid's lookups; a value's
/// confidence intervals ([`intervals`]) and its recent trend ([`trend`]: over the five values
/// ending at its period, so the grid gathers M's with M's value).
/// `without_trend`: no recent trend computed for any plan (as `recent_trend = false`).
fn observations_frame(jobs: &[(&Plan, Selection)], index: &ItemIndex, without_trend: bool) -> (DataFrame, ByItem) {
    let n: usize = jobs.iter().map(|(p, _)| p.updates.len() + p.values.len()).sum();
    let (mut at, mut value, mut complete, mut issues) =
        (Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n));
    let (mut officer, mut empty, mut lo, mut hi) =
        (Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n));
    let mut percent = Vec::with_capacity(n);
    let (mut lo2, mut hi2) = (Vec::with_capacity(n), Vec::with_capacity(n));
    // Issue #13: each value as the recent trend reads it (`None`: an update, a missing value, or
    // a plan with `recent_trend = false`), and whether its measure's intervals are Wilson's.
    let mut points: Vec<Option<(trend::Point, bool)>> = Vec::with_capacity(n);
    for (p, (plan, _)) in jobs.iter().enumerate() {
        for u in &plan.updates {
            at.push((index.key(p, ItemRef::Milestone(u.milestone)), u.period));
            value.push(u.value);
            complete.push(u.complete);
            issues.push(u.issues);
            officer.push(u.status.map(Status::code));
            empty.push(u.is_empty());
            percent.push(u.percent_complete);
            lo.push(None);
            hi.push(None);
            lo2.push(None);
            hi2.push(None);
            points.push(None);
        }
        for v in &plan.values {
            at.push((index.key(p, ItemRef::Measure(v.measure)), v.period));
            value.push(v.value);
            complete.push(false);
            issues.push(false);
            officer.push(None);
            empty.push(false);
            percent.push(None);
            let measure = &plan.measures[v.measure];
            let [first, second] = intervals::of(v, measure, &plan.rules);
            lo.push(first.map(|i| i.0));
            hi.push(first.map(|i| i.1));
            lo2.push(second.map(|i| i.0));
            hi2.push(second.map(|i| i.1));
            let counts = v.numerator.zip(v.denominator);
            let wilson = matches!(measure.ci_method, None | Some(CiMethod::Wilson));
            points.push(
                v.value
                    .filter(|_| plan.rules.recent_trend && !without_trend)
                    .map(|value| (trend::Point { value, counts, ci: first }, wilson)),
            );
        }
    }
    let by = ByItem::group(index.entries.len(), &at).sorted();
    let trends = recent_trends(&by, &points, jobs, index, without_trend);
    let has = vec![true; at.len()];
    let mut columns = vec![
        optional::<Float64Type>("value", value),
        Column::new("complete".into(), complete),
        Column::new("issues".into(), issues),
        optional::<Int32Type>("officer", officer),
        Column::new("empty".into(), empty),
        Column::new("has_obs".into(), has),
        optional::<Float64Type>("ci_lo", lo),
        optional::<Float64Type>("ci_hi", hi),
        optional::<Float64Type>("ci2_lo", lo2),
        optional::<Float64Type>("ci2_hi", hi2),
        optional::<Float64Type>("percent_complete", percent),
    ];
    columns.extend(trends);
    (frame(columns), by)
}

/// Issue #13: each observation row's recent trend over the five consecutive values ending at
/// its period: `trend` (+1, −1, 0, null), `trend_why` ([`trend::Why`]), `trend_chi2`,
/// `trend_n` (consecutive values found, at most five) and `trend_test` (1 for proportions).
fn recent_trends(
    by: &ByItem,
    points: &[Option<(trend::Point, bool)>],
    jobs: &[(&Plan, Selection)],
    index: &ItemIndex,
    without_trend: bool,
) -> Vec<Column> {
    let n = points.len();
    let (mut direction, mut why, mut chi2, mut found, mut test) =
        (vec![None; n], vec![None; n], vec![None; n], vec![None; n], vec![None; n]);
    let mut window: Vec<trend::Point> = Vec::with_capacity(trend::POINTS);
    for key in 0..by.items() {
        let (p, item) = index.entries[key];
        if without_trend || !matches!(item, ItemRef::Measure(_)) || !jobs[p].0.rules.recent_trend {
            continue;
        }
        let rows = by.of(key as i32);
        let mut run = 0usize;
        for (j, &(start, months, row)) in rows.iter().enumerate() {
            let row = row as usize;
            let follows = j > 0 && {
                let (s0, m0, _) = rows[j - 1];
                s0 + m0 == start && m0 == months
            };
            let Some((_, wilson)) = points[row] else {
                run = 0;
                why[row] = Some(trend::Why::NoValue.code());
                continue;
            };
            run = if follows && run > 0 { run + 1 } else { 1 };
            found[row] = Some(run.min(trend::POINTS) as i32);
            if run < trend::POINTS {
                why[row] = Some(trend::Why::TooFew.code());
                continue;
            }
            window.clear();
            window.extend(rows[j + 1 - trend::POINTS..=j].iter().filter_map(|e| points[e.2 as usize].map(|p| p.0)));
            match trend::recent(&window, wilson) {
                Ok(o) => {
                    direction[row] = Some(o.direction);
                    why[row] = Some(o.why.code());
                    chi2[row] = Some(o.chi2);
                    test[row] = Some(o.proportions as i32);
                }
                Err(w) => why[row] = Some(w.code()),
            }
        }
    }
    vec![
        optional::<Int32Type>("trend", direction),
        optional::<Int32Type>("trend_why", why),
        optional::<Float64Type>("trend_chi2", chi2),
        optional::<Int32Type>("trend_n", found),
        optional::<Int32Type>("trend_test", test),
    ]
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

/// Every plan's benchmarks grouped by item and, within an item, by label: item `k`'s runs are
/// `runs[starts[k]..starts[k + 1]]`, each `(label, rows)` with the label's benchmarks
/// `entries[rows]` in period order (by the end of the period, file order among equal ends),
/// each `(end, row number)`; what [`benchmarks::latest`] searches.
struct ByItemLabel {
    starts: Vec<u32>,
    runs: Vec<(u32, std::ops::Range<u32>)>,
    entries: Vec<(i32, u32)>,
}

impl ByItemLabel {
    /// Groups `rows` (item key, label number, period end), row `i` of the input being row
    /// number `i`.
    fn group(items: usize, rows: &[(i32, u32, i32)]) -> ByItemLabel {
        let mut order: Vec<(i32, u32, i32, u32)> = rows.iter().enumerate().map(|(i, &(k, l, e))| (k, l, e, i as u32)).collect();
        order.sort_unstable();
        let mut starts = vec![0u32; items + 1];
        let mut runs: Vec<(u32, std::ops::Range<u32>)> = Vec::new();
        let mut from = 0;
        while from < order.len() {
            let (key, label) = (order[from].0, order[from].1);
            let to = from + order[from..].iter().take_while(|r| (r.0, r.1) == (key, label)).count();
            runs.push((label, from as u32..to as u32));
            starts[key as usize + 1] += 1;
            from = to;
        }
        for k in 0..items {
            starts[k + 1] += starts[k];
        }
        ByItemLabel { starts, runs, entries: order.into_iter().map(|r| (r.2, r.3)).collect() }
    }

    /// Item `key`'s labels, each with its benchmarks in period order.
    fn of(&self, key: i32) -> impl Iterator<Item = (u32, &[(i32, u32)])> {
        let k = key as usize;
        self.runs[self.starts[k] as usize..self.starts[k + 1] as usize]
            .iter()
            .map(|(label, rows)| (*label, &self.entries[rows.start as usize..rows.end as usize]))
    }
}

/// Each label's columns ([`benchmarks::columns`]) for the rows of `rows` (whose `key`,
/// `m_start`, `m_len`, value, intervals, `sign`, `similar_within` and `two_levels` are the
/// grid's and the inputs' gathered onto it): per row and label of its item, the latest
/// benchmark whose period ends by the end of M ([`benchmarks::latest`]). Work and memory are
/// linear in ratings × labels, the size of the output.
fn benchmark_columns(jobs: &[(&Plan, Selection)], index: &ItemIndex, labels: &BTreeSet<String>, rows: &DataFrame) -> Result<Vec<Column>> {
    let number: std::collections::HashMap<&str, u32> = labels.iter().enumerate().map(|(i, l)| (l.as_str(), i as u32)).collect();
    let (mut at, mut bench) = (Vec::new(), Vec::new());
    for (p, (plan, _)) in jobs.iter().enumerate() {
        for b in &plan.benchmarks {
            // A label outside `labels` (given labels are a superset of the jobs') has no column.
            let Some(&label) = number.get(b.label.as_str()) else { continue };
            at.push((index.key(p, b.item), label, b.period.end()));
            bench.push((b.value, b.period.start, b.period.months()));
        }
    }
    let n = rows.height();
    let mut found: Vec<Option<Vec<Option<u32>>>> = vec![None; labels.len()];
    for &(_, label, _) in &at {
        found[label as usize].get_or_insert_with(|| vec![None; n]);
    }
    let by = ByItemLabel::group(index.entries.len(), &at);
    let int = |name: &str| -> Result<Vec<Option<i32>>> {
        Ok(rows.column(name)?.i32()?.downcast_iter().flat_map(|a| a.iter().map(|v| v.copied())).collect())
    };
    let float = |name: &str| -> Result<Vec<Option<f64>>> {
        Ok(rows.column(name)?.f64()?.downcast_iter().flat_map(|a| a.iter().map(|v| v.copied())).collect())
    };
    let (keys, m_start, m_len, sign) = (int("key")?, int("m_start")?, int("m_len")?, int("sign")?);
    let (value, ci_lo, ci_hi, ci2_lo, ci2_hi, similar) =
        (float("value")?, float("ci_lo")?, float("ci_hi")?, float("ci2_lo")?, float("ci2_hi")?, float("similar_within")?);
    let two_levels: Vec<bool> =
        rows.column("two_levels")?.bool()?.downcast_iter().flat_map(|a| a.iter().map(|b| b.unwrap_or(false))).collect();
    let mut rated = Vec::with_capacity(n);
    for r in 0..n {
        rated.push(benchmarks::Rated {
            value: value[r],
            ci: (ci_lo[r], ci_hi[r]),
            ci2: (ci2_lo[r], ci2_hi[r]),
            sign: sign[r],
            similar_within: similar[r],
            two_levels: two_levels[r],
        });
        let (Some(key), Some(start), Some(len)) = (keys[r], m_start[r], m_len[r]) else { continue };
        for (label, runs) in by.of(key) {
            if let Some(column) = found[label as usize].as_mut() {
                column[r] = benchmarks::latest(runs, |e| e.0, start + len).map(|i| runs[i].1);
            }
        }
    }
    benchmarks::columns(&rated, found, &bench)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::period::YearType;

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
    fn benchmarks_are_grouped_by_item_and_label_in_period_order_file_order_among_equal_ends() {
        // (item, label, end) in file order: item 1 label 0 ending 30 then 20, item 0 label 1,
        // item 1 label 1, item 1 label 0 ending 30 again (a second period ending then).
        let rows = [(1, 0, 30), (1, 0, 20), (0, 1, 25), (1, 1, 10), (1, 0, 30)];
        let by = ByItemLabel::group(3, &rows);
        let of = |k: i32| by.of(k).map(|(l, e)| (l, e.to_vec())).collect::<Vec<_>>();
        assert_eq!(of(0), [(1, vec![(25, 2)])]);
        assert_eq!(of(1), [(0, vec![(20, 1), (30, 0), (30, 4)]), (1, vec![(10, 3)])]);
        assert_eq!(of(2), []);
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
