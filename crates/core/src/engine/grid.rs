//! The grid: one row per item and period to rate it at, in output order, with the row numbers
//! of the inputs each rating needs (its update or value at M, the one at the comparator
//! period, the target covering M's last month), found among the item's own rows.

use super::frames::{days, frame, row_numbers, ByItem, ItemIndex};
use super::rules::direction;
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
}

/// One row per item and period T to rate it at, in output order: per plan, per period T
/// (earlier end first; for the same end, the longer period first), milestones then measures,
/// each in file order. The query keeps this order, so nothing is sorted after it.
///
/// Each row carries M (the period its value belongs to: T for a milestone, the measure's own
/// latest period ending by the end of T) and the rows of the inputs that belong to it.
pub(super) fn grid(jobs: &[(&Plan, Selection)], index: &ItemIndex, observations: &ByItem, targets: &ByItem) -> Grid {
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
                        push(index.key(p, ItemRef::Milestone(i)), t, direction::milestone_comparator(t));
                        kind.push(Kind::Milestone.code());
                    }
                }
                Kind::Measure => {
                    for (i, measure) in plan.measures.iter().enumerate() {
                        let m = t.latest_of(measure.frequency, measure.year_type);
                        push(index.key(p, ItemRef::Measure(i)), m, direction::comparator(plan, measure, m));
                        kind.push(Kind::Measure.code());
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
