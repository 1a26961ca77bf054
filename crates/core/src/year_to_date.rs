//! A measure's year to date (issue #15): its values in the plan's year up to a period, added
//! up the way its `aggregation` says ([`crate::Aggregation`]): a total for counts, the mean,
//! or every case pooled for a proportion. A summary of the values for the report, not a
//! rating.

use crate::model::number::round_output;
use crate::model::period::{Frequency, Period};
use crate::model::values::Aggregation;
use crate::read::plan::{Plan, Value};

/// A measure's year to date.
#[derive(Debug, Clone, PartialEq)]
pub struct YearToDate {
    /// The figure, in the value's units, rounded to 6 decimals.
    pub value: f64,
    /// How many of the measure's periods went into it.
    pub periods: usize,
    /// The first and last month covered (month counts, as [`Period::start`]).
    pub months: (i32, i32),
    /// How it was added up: [`Aggregation::Pooled`] only when every period had a numerator
    /// and denominator; a pooled measure without them falls back to [`Aggregation::Mean`].
    pub aggregation: Aggregation,
}

/// The year to date of measure `index` at its period `m`: its values in the plan's year (of
/// the plan's year type) that holds the last month of `m`, up to the end of `m`, missing
/// values left out. Annual measures, and a year with no value, have none.
pub fn year_to_date(plan: &Plan, index: usize, m: Period) -> Option<YearToDate> {
    let values: Vec<&Value> = plan.values.iter().filter(|v| v.measure == index).collect();
    year_to_date_of(plan, index, &values, m)
}

/// [`year_to_date`] from the measure's own values, for callers that grouped the plan's values
/// by measure once (the report), rather than a scan of every value per measure.
pub fn year_to_date_of(plan: &Plan, index: usize, values: &[&Value], m: Period) -> Option<YearToDate> {
    let measure = plan.measures.get(index)?;
    if measure.frequency == Frequency::Annual {
        return None;
    }
    let last = m.end() - 1;
    let first_month = plan.year_type.first_month();
    let year_start = last - (last - first_month).rem_euclid(12);
    let mut values: Vec<&Value> = values
        .iter()
        .copied()
        .filter(|v| v.measure == index && v.period.start >= year_start && v.period.end() <= m.end() && v.value.is_some())
        .collect();
    if values.is_empty() {
        return None;
    }
    values.sort_by_key(|v| v.period.start);
    let months = (values[0].period.start, values[values.len() - 1].period.end() - 1);
    let counted = values.iter().all(|v| v.numerator.is_some() && v.denominator.is_some_and(|d| d > 0.0));
    let aggregation = match measure.aggregation() {
        Aggregation::Pooled if !counted => Aggregation::Mean,
        a => a,
    };
    let sum: f64 = values.iter().filter_map(|v| v.value).sum();
    let value = match aggregation {
        Aggregation::Sum => sum,
        Aggregation::Mean => sum / values.len() as f64,
        Aggregation::Pooled => {
            let (n, d) = values.iter().fold((0.0, 0.0), |(n, d), v| (n + v.numerator.unwrap_or(0.0), d + v.denominator.unwrap_or(0.0)));
            // The value's units, as the benchmarks' Wilson intervals scale them: value ÷
            // (numerator ÷ denominator), from the latest period where that is defined.
            let scale = values
                .iter()
                .rev()
                .find_map(|v| {
                    let p = v.numerator? / v.denominator?;
                    (p > 0.0).then(|| v.value.unwrap_or(0.0) / p)
                })
                .unwrap_or(if measure.unit.trim() == "%" { 100.0 } else { 1.0 });
            n / d * scale
        }
    };
    Some(YearToDate { value: round_output(value), periods: values.len(), months, aggregation })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(unit: &str, aggregation: &str, values: &str) -> Plan {
        let measures = format!("measure,title,polarity,frequency,unit,target,aggregation\nK1,K,high,monthly,{unit},60,{aggregation}\n");
        let files = vec![("measures.csv".to_string(), measures.into_bytes()), ("values.csv".to_string(), values.as_bytes().to_vec())];
        Plan::from_files("t", "t", files).expect("valid plan")
    }

    #[test]
    fn a_count_adds_up_over_the_year() {
        // Attendances: 340 + 355 + 298 = 993 for April to June; March is last year's.
        let p = plan("attendances", "", "measure,period,value\nK1,2013-03,999\nK1,2013-04,340\nK1,2013-05,355\nK1,2013-06,298\n");
        let ytd = year_to_date(&p, 0, Period::month(2013, 6)).expect("ytd");
        assert_eq!((ytd.value, ytd.periods, ytd.aggregation), (993.0, 3, Aggregation::Sum));
    }

    #[test]
    fn a_percentage_pools_its_cases_else_takes_the_mean() {
        // (5 + 21) / (10 + 30) = 65%, not the mean of 50% and 70% (60%).
        let p = plan("%", "", "measure,period,value,numerator,denominator\nK1,2013-04,50,5,10\nK1,2013-05,70,21,30\n");
        let ytd = year_to_date(&p, 0, Period::month(2013, 5)).expect("ytd");
        assert_eq!((ytd.value, ytd.aggregation), (65.0, Aggregation::Pooled));
        let p = plan("%", "", "measure,period,value\nK1,2013-04,50\nK1,2013-05,70\nK1,2013-06,n/a\n");
        let ytd = year_to_date(&p, 0, Period::month(2013, 6)).expect("ytd");
        assert_eq!((ytd.value, ytd.periods, ytd.aggregation), (60.0, 2, Aggregation::Mean));
    }

    #[test]
    fn the_aggregation_given_wins_over_the_unit() {
        // Days to complete, an average: (18 + 22) / 2 = 20, not the 40 a sum would give.
        let p = plan("days", "mean", "measure,period,value\nK1,2013-04,18\nK1,2013-05,22\n");
        let ytd = year_to_date(&p, 0, Period::month(2013, 5)).expect("ytd");
        assert_eq!((ytd.value, ytd.aggregation), (20.0, Aggregation::Mean));
    }
}
