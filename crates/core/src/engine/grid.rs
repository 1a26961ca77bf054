//! The grid: one row per item and period to rate it at, in output order, with the row numbers
//! of the inputs each rating needs (its update or value at M, the one at the comparator
//! period, the target covering M's last month), found among the item's own rows.

use super::frames::{days, frame, row_numbers, ByItem, ItemIndex, Reported, ReportedRow};
use super::rules::direction;
use super::rules::forecast::Sums;
use super::Selection;
use crate::model::period::Period;
use crate::model::rating::Kind;
use crate::read::plan::{ItemRef, Plan};
use polars::prelude::*;

/// The grid's columns and the row numbers to gather its inputs by.
pub(super) struct Grid {
    pub(super) columns: DataFrame,
    /// Each row's item: its key, as a row number of the items frame.
    pub(super) item: IdxCa,
    /// The update or value at M.
    pub(super) observation: IdxCa,
    /// The update or value at the comparator period of direction of travel.
    pub(super) comparator: IdxCa,
    /// The target covering M's last month.
    pub(super) target: IdxCa,
    /// The target covering the last month of the period a forecast is read at (issue #16).
    pub(super) forecast_target: IdxCa,
}

/// Issue #16's per-row lookbacks: the latest update (stale) and the forecast's points.
#[derive(Default)]
struct Lookback {
    last_start: Vec<Option<i32>>,
    last_len: Vec<Option<i32>>,
    n: Vec<i32>,
    sx: Vec<f64>,
    sy: Vec<f64>,
    sxx: Vec<f64>,
    sxy: Vec<f64>,
    first: Vec<Option<i32>>,
    at: Vec<Option<i32>>,
    at_start: Vec<Option<i32>>,
    at_len: Vec<Option<i32>>,
}

impl Lookback {
    /// Item `k` rated on `m`: its latest update that is not empty, and the forecast's points
    /// (the latest `points` values of M's length), read at `at` (a period ending after M).
    fn push(&mut self, rows: &[ReportedRow], m: Period, points: usize, at: Option<Period>) {
        let last = rows.iter().rev().find(|e| e.4);
        self.last_start.push(last.map(|e| e.1));
        self.last_len.push(last.map(|e| e.2));
        let end = m.end();
        let sums = Sums::of(rows.iter().rev().filter(|e| e.2 == m.months()).filter_map(|e| Some((e.0 - end, e.3?, e.1))).take(points));
        self.n.push(sums.n);
        self.sx.push(sums.sx);
        self.sy.push(sums.sy);
        self.sxx.push(sums.sxx);
        self.sxy.push(sums.sxy);
        self.first.push((sums.n > 0).then_some(sums.first));
        self.at.push(at.map(|a| a.end() - end));
        self.at_start.push(at.map(|a| a.start));
        self.at_len.push(at.map(|a| a.months()));
    }

    fn columns(self) -> Vec<Column> {
        let opt = |name: &str, v: Vec<Option<i32>>| {
            let mut ca: Int32Chunked = v.into_iter().collect();
            ca.rename(name.into());
            ca.into_column()
        };
        vec![
            opt("last_start", self.last_start),
            opt("last_len", self.last_len),
            Int32Chunked::from_vec("fc_n".into(), self.n).into_column(),
            Float64Chunked::from_vec("fc_sx".into(), self.sx).into_column(),
            Float64Chunked::from_vec("fc_sy".into(), self.sy).into_column(),
            Float64Chunked::from_vec("fc_sxx".into(), self.sxx).into_column(),
            Float64Chunked::from_vec("fc_sxy".into(), self.sxy).into_column(),
            opt("fc_first", self.first),
            opt("fc_at", self.at),
            opt("fc_at_start", self.at_start),
            opt("fc_at_len", self.at_len),
        ]
    }
}

/// One row per item and period T to rate it at, in output order: per plan, per period T
/// (earlier end first; for the same end, the longer period first), milestones then measures,
/// each in file order. The query keeps this order, so nothing is sorted after it.
///
/// Each row carries M (the period its value belongs to: T for a milestone, the measure's own
/// latest period ending by the end of T) and the rows of the inputs that belong to it.
pub(super) fn grid(jobs: &[(&Plan, Selection)], index: &ItemIndex, observations: &ByItem, targets: &ByItem, reported: &Reported) -> Grid {
    let n: usize =
        jobs.iter().map(|(p, s)| p.milestones.len() * s.milestone_periods.len() + p.measures.len() * s.measure_periods.len()).sum();
    let (mut plan_col, mut key, mut kind, mut t_start, mut t_len) =
        (Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n));
    let (mut m_start, mut m_len, mut last_day) = (Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n));
    let (mut observation, mut comparator, mut target) = (Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n));
    let mut hints = vec![0u32; index.entries.len()];
    let mut look = Lookback::default();
    let mut forecast_target = Vec::with_capacity(n);
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
            let points = plan.rules.forecast_points;
            let mut push = |k: i32, m: Period, cmp: Period, at: Option<Period>| {
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
                look.push(reported.by(k, m.end()), m, points, at);
                forecast_target.push(at.and_then(|a| targets.covering(k, a.end() - 1)));
            };
            match k {
                Kind::Milestone => {
                    for (i, ms) in plan.milestones.iter().enumerate() {
                        // Issue #16: a milestone's forecast is read at the end of its target
                        // period, else of its due date's month; its target is its own.
                        let at = ms
                            .target_period
                            .or_else(|| ms.due.map(|d| Period::month(chrono::Datelike::year(&d), chrono::Datelike::month(&d))));
                        push(
                            index.key(p, ItemRef::Milestone(i)),
                            t,
                            direction::milestone_comparator(t),
                            at.filter(|_| ms.target.is_some()),
                        );
                        kind.push(Kind::Milestone.code());
                    }
                }
                Kind::Measure => {
                    for (i, measure) in plan.measures.iter().enumerate() {
                        let m = t.latest_of(measure.frequency, measure.year_type);
                        // Issue #16: a measure's forecast is read at the end of its year (its own
                        // year type) holding M's last month.
                        let year = Period::from_start(m.end() - 1, crate::model::period::Frequency::Monthly, measure.year_type)
                            .latest_of(crate::model::period::Frequency::Annual, measure.year_type);
                        let year = if year.end() < m.end() { Period { start: year.start + 12, ..year } } else { year };
                        push(index.key(p, ItemRef::Measure(i)), m, direction::comparator(plan, measure, m), Some(year));
                        kind.push(Kind::Measure.code());
                    }
                }
                // Roll-up rows are added after rating (`rules::rollup`), never in the grid.
                Kind::Action | Kind::Priority => {}
            }
        }
    }
    // The items frame is in key order, so a row's key is its item's row number.
    let item = key.iter().map(|&k| k as IdxSize).collect();
    let mut columns = vec![
        Int32Chunked::from_vec("plan".into(), plan_col).into_column(),
        Int32Chunked::from_vec("key".into(), key).into_column(),
        Int32Chunked::from_vec("kind".into(), kind).into_column(),
        Int32Chunked::from_vec("t_start".into(), t_start).into_column(),
        Int32Chunked::from_vec("t_len".into(), t_len).into_column(),
        Int32Chunked::from_vec("m_start".into(), m_start).into_column(),
        Int32Chunked::from_vec("m_len".into(), m_len).into_column(),
        Int32Chunked::from_vec("t_last_day".into(), last_day).into_column(),
    ];
    columns.extend(look.columns());
    Grid {
        columns: frame(columns),
        item: IdxCa::from_vec("item".into(), item),
        observation: row_numbers(observation),
        comparator: row_numbers(comparator),
        target: row_numbers(target),
        forecast_target: row_numbers(forecast_target),
    }
}
