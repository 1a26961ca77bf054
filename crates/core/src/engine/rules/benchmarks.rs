//! Benchmarks: each label's latest value whose period ends by the end of M ([`latest`]), and
//! the value against it ([`versus`]): similar when equal (or within `similar_within`), or when
//! the benchmark lies inside the value's 95% confidence interval where it has one (Wilson for a
//! numerator and denominator by default; see [`super::intervals`]); else better or worse given
//! polarity (higher or lower for a neutral measure).
//!
//! With two benchmark levels (issue #13, `[rules] benchmark_levels = [95, 99.8]`), `sig` says the
//! highest level at which a difference holds, as Fingertips'
//! `SingleOverlappingCIsForTwoCILevelsComparer` does: 99.8 when the benchmark lies outside the
//! value's 99.8% interval too, else 95; empty when similar, without an interval, or at one
//! level ([`significance`]).
//!
//! Computed per rating and label before the query and added to its result ([`columns`]), not
//! as polars expressions: each label's expressions cost the query's planner as much as a rule
//! family's (about 0.5 s per 100 labels in a debug build, however few the ratings), and an
//! as-of join per label grew with labels² (2,000 labels took 41 s and 5.2 GB, issue #12).
//! Work and memory are linear in ratings × labels, the size of the output (BENCHMARKS.md,
//! "Benchmark labels").

use crate::error::Result;
use crate::model::rating::Versus;
use polars::prelude::*;

/// The names of label `i`'s columns in the rated frame: the judgement, the gap, the benchmark
/// value and its period's start and length, and the level of significance.
pub(crate) fn column_names(i: usize) -> [String; 6] {
    [format!("b{i}_vs"), format!("b{i}_gap"), format!("b{i}_value"), format!("b{i}_start"), format!("b{i}_len"), format!("b{i}_sig")]
}

/// The `sig` column's code of the 99.8% level (95 is 95).
pub(crate) const SIG_99_8: i32 = 998;

/// Among one item's benchmarks of one label, in period order (by the end of the period, file
/// order among periods ending together), the one a rating at M reads: the latest whose period
/// ends by the end of M (`m_end`, months), and of several ending then, the last in the file.
/// A binary search: each rating costs the log of its item's benchmarks per label.
pub(crate) fn latest<T>(rows: &[T], end: impl Fn(&T) -> i32, m_end: i32) -> Option<usize> {
    rows.partition_point(|r| end(r) <= m_end).checked_sub(1)
}

/// What a rating brings to the comparison: its value and the value's 95% (`ci`) and 99.8%
/// (`ci2`) intervals where it has them, its polarity's sign (+1 high is good, −1 low, 0
/// neutral) and its plan's `similar_within` and `benchmark_levels` (`two_levels`).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Rated {
    pub(crate) value: Option<f64>,
    pub(crate) ci: (Option<f64>, Option<f64>),
    pub(crate) ci2: (Option<f64>, Option<f64>),
    pub(crate) sign: Option<i32>,
    pub(crate) similar_within: Option<f64>,
    pub(crate) two_levels: bool,
}

/// The value against benchmark `b`: none without both; similar inside the 95% interval where
/// there is one (bounds included), else within `similar_within`; else higher or lower for a
/// neutral measure, better or worse given polarity.
pub(crate) fn versus(r: &Rated, b: Option<f64>) -> Option<Versus> {
    let (value, b) = (r.value?, b?);
    let similar = match r.ci.0 {
        Some(lo) => b >= lo && r.ci.1.is_some_and(|hi| b <= hi),
        None => r.similar_within.is_some_and(|within| abs(value - b) <= within),
    };
    if similar {
        return Some(Versus::Similar);
    }
    let direction = if value > b {
        1.0
    } else if value < b {
        -1.0
    } else {
        0.0
    };
    Some(match r.sign {
        Some(0) if direction > 0.0 => Versus::Higher,
        Some(0) => Versus::Lower,
        Some(sign) if direction * f64::from(sign) > 0.0 => Versus::Better,
        _ => Versus::Worse,
    })
}

/// `|x|` as the rule has always taken it (negated below zero, so −0 stays −0).
fn abs(x: f64) -> f64 {
    if x < 0.0 {
        0.0 - x
    } else {
        x
    }
}

/// The gap: the value less the benchmark.
pub(crate) fn gap(r: &Rated, b: Option<f64>) -> Option<f64> {
    Some(r.value? - b?)
}

/// The level at which the value differs from benchmark `b` (judged `versus`), with two levels
/// and a 95% interval: 99.8 ([`SIG_99_8`]) when `b` lies outside the 99.8% interval too, else
/// 95; none when similar or not judged.
pub(crate) fn significance(r: &Rated, b: Option<f64>, versus: Option<Versus>) -> Option<i32> {
    let differs = versus.is_some_and(|v| v != Versus::Similar);
    if !(r.two_levels && differs && r.ci.0.is_some()) {
        return None;
    }
    let b = b?;
    let beyond = r.ci2.0.is_some_and(|lo| b < lo || r.ci2.1.is_some_and(|hi| b > hi));
    Some(if beyond { SIG_99_8 } else { 95 })
}

/// Every label's columns ([`column_names`]) for the rated rows: `rated` each row's side,
/// `found[i]` label `i`'s benchmark for each row as an index into `benchmarks` (value, period
/// start, months), or `None` for a label none of these plans has (its columns are empty).
pub(in crate::engine) fn columns(
    rated: &[Rated],
    found: Vec<Option<Vec<Option<u32>>>>,
    benchmarks: &[(f64, i32, i32)],
) -> Result<Vec<Column>> {
    let n = rated.len();
    let mut columns = Vec::with_capacity(6 * found.len());
    for (i, rows) in found.into_iter().enumerate() {
        let [vs_name, gap_name, value_name, start_name, len_name, sig_name] = column_names(i);
        let Some(rows) = rows else {
            for (name, dtype) in [
                (vs_name, DataType::Int32),
                (gap_name, DataType::Float64),
                (value_name, DataType::Float64),
                (start_name, DataType::Int32),
                (len_name, DataType::Int32),
                (sig_name, DataType::Int32),
            ] {
                columns.push(Column::full_null(name.as_str().into(), n, &dtype));
            }
            continue;
        };
        let (mut vs, mut gaps, mut values) = (Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n));
        let (mut starts, mut lens, mut sigs) = (Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n));
        for (r, row) in rated.iter().zip(rows) {
            let bench = row.map(|b| benchmarks[b as usize]);
            let b = bench.map(|b| b.0);
            let v = versus(r, b);
            vs.push(v.map(Versus::code));
            gaps.push(gap(r, b));
            values.push(b);
            starts.push(bench.map(|b| b.1));
            lens.push(bench.map(|b| b.2));
            sigs.push(significance(r, b, v));
        }
        let int = |name: String, v: Vec<Option<i32>>| -> Column {
            let mut ca: Int32Chunked = v.into_iter().collect();
            ca.rename(name.as_str().into());
            ca.into_column()
        };
        let float = |name: String, v: Vec<Option<f64>>| -> Column {
            let mut ca: Float64Chunked = v.into_iter().collect();
            ca.rename(name.as_str().into());
            ca.into_column()
        };
        columns.extend([
            int(vs_name, vs),
            float(gap_name, gaps),
            float(value_name, values),
            int(start_name, starts),
            int(len_name, lens),
            int(sig_name, sigs),
        ]);
    }
    Ok(columns)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::period::{Period, YearType};

    fn end(text: &str) -> i32 {
        Period::parse(text, YearType::Financial).expect("period").end()
    }

    #[test]
    fn the_latest_benchmark_ending_by_the_end_of_m_is_read() {
        // One item's benchmarks of one label in period order, as (end, row number): 2022/23
        // (April 2022 to March 2023), then 2023/24 Q3 (row 3) and 2023-12 (row 1, later in
        // the file), both ending with December 2023, then 2023/24 (to March 2024).
        let rows = [(end("2022/23"), 0), (end("2023/24 Q3"), 3), (end("2023-12"), 1), (end("2023/24"), 2)];
        let at = |m: &str| latest(&rows, |r: &(i32, u32)| r.0, end(m)).map(|i| rows[i].1);
        // M ending before the first benchmark's period ends: none.
        assert_eq!(at("2023-02"), None);
        // M ending with it, and after it: 2022/23.
        assert_eq!(at("2023-03"), Some(0));
        assert_eq!(at("2023/24 Q1"), Some(0));
        assert_eq!(at("2023-11"), Some(0));
        // Two ending with December 2023: the later in the file, at December and after it.
        assert_eq!(at("2023-12"), Some(1));
        assert_eq!(at("2023/24 Q3"), Some(1));
        assert_eq!(at("2024-02"), Some(1));
        assert_eq!(at("2024-03"), Some(2));
        assert_eq!(at("2025/26"), Some(2));
        assert_eq!(latest(&rows[..0], |r: &(i32, u32)| r.0, end("2025/26")), None);
    }

    fn rated(value: f64, sign: i32) -> Rated {
        Rated { value: Some(value), sign: Some(sign), similar_within: Some(0.0), ..Rated::default() }
    }

    #[test]
    fn without_an_interval_the_value_is_similar_only_within_similar_within() {
        // High is good: 62 against 60 is 2 above, better; against 64, 2 below, worse.
        let high = rated(62.0, 1);
        assert_eq!(versus(&high, Some(60.0)), Some(Versus::Better));
        assert_eq!(versus(&high, Some(64.0)), Some(Versus::Worse));
        assert_eq!(versus(&high, Some(62.0)), Some(Versus::Similar));
        // Low is good: the same figures the other way round.
        let low = rated(62.0, -1);
        assert_eq!(versus(&low, Some(60.0)), Some(Versus::Worse));
        assert_eq!(versus(&low, Some(64.0)), Some(Versus::Better));
        // Neutral: higher or lower.
        let neutral = rated(62.0, 0);
        assert_eq!(versus(&neutral, Some(60.0)), Some(Versus::Higher));
        assert_eq!(versus(&neutral, Some(64.0)), Some(Versus::Lower));
        // similar_within 2.5: |62 - 60| = 2 is within it, |62 - 65| = 3 is not.
        let within = Rated { similar_within: Some(2.5), ..high };
        assert_eq!(versus(&within, Some(60.0)), Some(Versus::Similar));
        assert_eq!(versus(&within, Some(65.0)), Some(Versus::Worse));
        // No value or no benchmark: no judgement and no gap.
        assert_eq!(versus(&high, None), None);
        assert_eq!(versus(&Rated { value: None, ..high }, Some(60.0)), None);
        assert_eq!(gap(&high, Some(60.0)), Some(2.0));
        assert_eq!(gap(&high, None), None);
    }

    #[test]
    fn with_an_interval_the_value_is_similar_inside_it_and_the_level_says_how_far() {
        // 62% with a 95% interval of 58.1 to 65.7 and a 99.8% interval of 55.5 to 68.1, high
        // is good, two levels.
        let r = Rated { ci: (Some(58.1), Some(65.7)), ci2: (Some(55.5), Some(68.1)), two_levels: true, ..rated(62.0, 1) };
        // Inside the 95% interval (bounds included): similar, however far from 62.
        for b in [58.1, 60.0, 65.7] {
            assert_eq!(versus(&r, Some(b)), Some(Versus::Similar), "{b}");
            assert_eq!(significance(&r, Some(b), versus(&r, Some(b))), None);
        }
        // 57 lies outside the 95% interval but inside the 99.8%: better at 95.
        assert_eq!(versus(&r, Some(57.0)), Some(Versus::Better));
        assert_eq!(significance(&r, Some(57.0), Some(Versus::Better)), Some(95));
        // 55 and 70 lie outside both: better and worse at 99.8.
        assert_eq!(significance(&r, Some(55.0), versus(&r, Some(55.0))), Some(SIG_99_8));
        assert_eq!(versus(&r, Some(70.0)), Some(Versus::Worse));
        assert_eq!(significance(&r, Some(70.0), Some(Versus::Worse)), Some(SIG_99_8));
        // One level: no level is said.
        let one = Rated { two_levels: false, ..r };
        assert_eq!(significance(&one, Some(55.0), versus(&one, Some(55.0))), None);
        // No interval: judged within similar_within, and no level.
        let bare = Rated { ci: (None, None), ci2: (None, None), ..r };
        assert_eq!(versus(&bare, Some(55.0)), Some(Versus::Better));
        assert_eq!(significance(&bare, Some(55.0), Some(Versus::Better)), None);
    }
}
