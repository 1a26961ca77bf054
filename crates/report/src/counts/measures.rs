//! The measures scorecard's facts: for each measure its rating at the report's period, its
//! last three periods, its year to date and its history for the trend chart.
//!
//! Statuses, targets, thresholds and benchmarks at earlier periods come from the engine
//! ([`rate_many`] over the periods the report shows), never from rules re-done here. The one
//! figure computed here is the year to date, which is a summary of the values, not a rating.

use crate::error::Error;
use scorecard_core::{rate_many, Aggregation, Kind, Measure, Period, Plan, RateOptions, Rating, Ratings, Selection, Value};
use std::collections::{BTreeSet, HashMap};

/// A rating the facts keep: a copy of one of the engine's rows. The one place that names the
/// core's `Rating` in a type, so that when `Rating` gains a lifetime (`Rating<'static>` in
/// `Ratings`) only this line changes.
pub type Rated = Rating<'static>;

/// The most periods a trend shows.
pub const HISTORY: usize = 24;

/// One period of a measure, as the engine rated it.
#[derive(Debug, Clone)]
pub struct Point {
    /// The measure's own period.
    pub period: Period,
    /// The engine's rating of the measure at that period (absent only if the engine gave no
    /// row, which it always does).
    pub rating: Option<Rated>,
}

/// Year to date: the plan's year (its year type) up to the end of the measure's period.
#[derive(Debug, Clone, PartialEq)]
pub struct YearToDate {
    /// The figure.
    pub value: f64,
    /// How many of the measure's periods went into it.
    pub periods: usize,
    /// The first and last month covered (month counts).
    pub months: (i32, i32),
    /// Pooled from numerators and denominators (true), or not.
    pub pooled: bool,
    /// How it was added up: a total, the mean, or pooled (issue #15).
    pub aggregation: Aggregation,
}

/// Everything the scorecard row and the trend chart of one measure show.
#[derive(Debug, Clone)]
pub struct MeasureFacts {
    /// Index into `plan.measures`.
    pub index: usize,
    /// The rating at the report's period.
    pub rating: Rated,
    /// The last three periods ending with the rated one, oldest first.
    pub recent: Vec<Point>,
    /// The year to date; `None` for annual measures or without values.
    pub year_to_date: Option<YearToDate>,
    /// The trend: up to [`HISTORY`] periods ending with the rated one, from the first value.
    pub history: Vec<Point>,
}

impl MeasureFacts {
    /// The decimals every figure of the measure's row is written with (issue #15, "the same
    /// decimals throughout a row"): the most that any figure typed in the data has (its values
    /// over the trend, which ends with the last three periods; its target, the compared value
    /// and its benchmarks), at most [`crate::format::ROW_DECIMALS`].
    pub fn decimals(&self) -> usize {
        let r = &self.rating;
        crate::format::row_decimals(
            self.history
                .iter()
                .filter_map(|p| p.rating.as_ref().and_then(|r| r.value))
                .chain(r.target)
                .chain(r.comparator_value)
                .chain(r.benchmarks.iter().filter_map(|b| b.value)),
        )
    }
}

/// The periods of a measure's trend, oldest first: back from `m` to its first value, at most
/// [`HISTORY`] of them (always at least the last three).
fn trend_periods(values: &[&Value], m: Period) -> Vec<Period> {
    let first = values.iter().filter(|v| v.period.end() <= m.end()).map(|v| v.period.start).min();
    let mut periods = vec![m];
    let mut p = m;
    while periods.len() < HISTORY {
        p = p.previous();
        let before_first = first.is_none_or(|f| p.start < f);
        if before_first && periods.len() >= 3 {
            break;
        }
        periods.push(p);
    }
    periods.reverse();
    periods
}

/// Builds the facts of every measure rated in `ratings` (the plan at `period`).
pub fn facts(plan: &Plan, period: Period, ratings: &Ratings) -> Result<Vec<MeasureFacts>, Error> {
    let rated: Vec<&Rating> = ratings.rows.iter().filter(|r| r.kind == Kind::Measure && r.period == period).collect();
    // Measures by id and values by measure, once: every lookup below is then linear in the
    // plan's size (issue #12).
    let by_id: HashMap<&str, usize> = plan.measures.iter().enumerate().rev().map(|(i, m)| (m.id.as_str(), i)).collect();
    let mut values_of: Vec<Vec<&Value>> = vec![Vec::new(); plan.measures.len()];
    for v in &plan.values {
        if let Some(list) = values_of.get_mut(v.measure) {
            list.push(v);
        }
    }
    let mut wanted: Vec<(usize, &Rating, Vec<Period>)> = Vec::new();
    for r in rated {
        let Some(&index) = by_id.get(&*r.item) else { continue };
        wanted.push((index, r, trend_periods(&values_of[index], r.rated_period)));
    }
    // One engine run rates every measure at every period any trend shows.
    let periods: BTreeSet<Period> = wanted.iter().flat_map(|(_, _, ps)| ps.iter().copied()).collect();
    let selection = Selection { milestone_periods: Vec::new(), measure_periods: periods.into_iter().collect() };
    let history =
        if selection.measure_periods.is_empty() { Ratings::default() } else { rate_many(&[(plan, selection)], RateOptions::default())? };
    let mut by_period: HashMap<(&str, (i32, i32)), &Rating> = HashMap::new();
    for h in history.rows.iter().filter(|h| h.kind == Kind::Measure) {
        let item: &str = &h.item;
        by_period.entry((item, h.rated_period.key())).or_insert(h);
    }
    let mut out = Vec::with_capacity(wanted.len());
    for (index, rating, periods) in wanted {
        let measure = &plan.measures[index];
        let points: Vec<Point> = periods
            .iter()
            .map(|p| Point { period: *p, rating: by_period.get(&(measure.id.as_str(), p.key())).map(|r| (*r).clone()) })
            .collect();
        let recent = points[points.len().saturating_sub(3)..].to_vec();
        out.push(MeasureFacts {
            index,
            rating: rating.clone(),
            recent,
            year_to_date: year_to_date_of(plan, index, &values_of[index], rating.rated_period),
            history: points,
        });
    }
    // Scorecard order: by priority (plan order) or group (first appearance), then file order.
    let mut rank: HashMap<&str, usize> = HashMap::new();
    for (i, m) in plan.measures.iter().enumerate().rev() {
        rank.insert(m.group.as_str(), plan.priorities.len() + i);
    }
    for (i, p) in plan.priorities.iter().enumerate().rev() {
        rank.insert(p.id.as_str(), i);
    }
    out.sort_by_key(|m| (rank.get(plan.measures[m.index].group.as_str()).copied().unwrap_or(0), m.index));
    Ok(out)
}

/// The year to date at `m`, as the core adds it up ([`scorecard_core::year_to_date`]): the
/// measure's values in the plan's year up to `m`, by its `aggregation` (a total for counts,
/// the mean, or every case pooled). Annual measures have none.
pub fn year_to_date(plan: &Plan, index: usize, _measure: &Measure, m: Period) -> Option<YearToDate> {
    let values: Vec<&Value> = plan.values.iter().filter(|v| v.measure == index).collect();
    year_to_date_of(plan, index, &values, m)
}

/// [`year_to_date`] from the measure's own values.
fn year_to_date_of(plan: &Plan, index: usize, values: &[&Value], m: Period) -> Option<YearToDate> {
    let y = scorecard_core::year_to_date_of(plan, index, values, m)?;
    Some(YearToDate {
        value: y.value,
        periods: y.periods,
        months: y.months,
        pooled: y.aggregation == Aggregation::Pooled,
        aggregation: y.aggregation,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(values: &str) -> Plan {
        let files = vec![
            ("measures.csv".to_string(), b"measure,title,polarity,frequency,unit,target\nK1,Rate,high,monthly,%,60\n".to_vec()),
            ("values.csv".to_string(), values.as_bytes().to_vec()),
        ];
        Plan::from_files("t", "t", files).expect("valid plan")
    }

    #[test]
    fn year_to_date_pools_counts_from_the_start_of_the_financial_year() {
        let p = plan("measure,period,value,numerator,denominator\nK1,2013-03,10,1,10\nK1,2013-04,50,5,10\nK1,2013-05,70,21,30\n");
        let ytd = year_to_date(&p, 0, &p.measures[0], Period::month(2013, 5)).expect("ytd");
        // March belongs to the previous financial year: (5 + 21) / (10 + 30) = 65%.
        assert_eq!((ytd.value, ytd.periods, ytd.pooled), (65.0, 2, true));
    }

    #[test]
    fn year_to_date_is_the_mean_without_counts() {
        let p = plan("measure,period,value\nK1,2013-04,50\nK1,2013-05,70\nK1,2013-06,n/a\n");
        let ytd = year_to_date(&p, 0, &p.measures[0], Period::month(2013, 6)).expect("ytd");
        assert_eq!((ytd.value, ytd.periods, ytd.pooled), (60.0, 2, false));
    }

    #[test]
    fn trend_runs_from_the_first_value_and_keeps_three_periods() {
        let p = plan("measure,period,value\nK1,2013-04,50\nK1,2013-05,70\n");
        let values: Vec<&Value> = p.values.iter().collect();
        let t = trend_periods(&values, Period::month(2013, 5));
        assert_eq!(t.iter().map(|p| p.to_string()).collect::<Vec<_>>(), ["2013-03", "2013-04", "2013-05"]);
        let t = trend_periods(&values, Period::month(2014, 12));
        assert_eq!(t.len(), 21);
        assert_eq!(t[0].to_string(), "2013-04");
    }
}
