//! Recent trend (issue #13), as OHID Fingertips computes it (`TrendMarkerCalculator.cs`): over
//! a measure's five most recent consecutive values up to M, is there a significant rise or
//! fall?
//!
//! - **Proportions** (a numerator and denominator in each of the five, and the measure's
//!   intervals are Wilson's): the χ² test for trend in proportions,
//!   χ² = N (N·Σ t·r − R·Σ t·n)² / (R (N − R) (N·Σ t²·n − (Σ t·n)²)), with r the numerators, n
//!   the denominators, R = Σ r, N = Σ n and t = 1..5.
//! - **Values with confidence intervals** (published, or Byars'): the weighted regression of
//!   the values on t, each weighted by 1 / se², se = (upper − lower) / 3.92; χ² = (slope / its
//!   standard error)².
//!
//! Significant when χ² exceeds 9.5495 (the 99.8% point of χ² on one degree of freedom,
//! Fingertips' `ChiSquareConfidence`) and the slope keeps its sign when each of the five values
//! is left out in turn (Fingertips' "no outliers" check; for proportions, the slope of the log
//! odds ln(r / (n − r))). `increasing` or `decreasing` then, by the slope's sign, else
//! `no_significant_change`; `cannot_be_calculated` with fewer than five consecutive values up to
//! M, a value without the figures its test needs, or figures the test cannot use.
//!
//! Deliberate differences from Fingertips, each for a reason given in the README:
//! - for proportions, the direction comes from the log-odds slope. Fingertips'
//!   `IsSignificantForProportions` never sets the slope it reads, so a significant proportion is
//!   always marked decreasing there;
//! - a numerator of 0 is refused as a numerator equal to its denominator is (the log odds are
//!   infinite either way; Fingertips refuses only the latter);
//! - any frequency is assessed (Fingertips assesses single years only): five consecutive months
//!   or quarters are five consecutive values.

use crate::model::period::{Period, PeriodLabels};
use crate::model::rating::{Trend, TrendJudgement};
use crate::rules::{TREND_CHI2, TREND_POINTS};
use polars::prelude::*;
use std::fmt::Write as _;

/// One value as the trend reads it.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Point {
    pub(crate) value: f64,
    pub(crate) counts: Option<(f64, f64)>,
    pub(crate) ci: Option<(f64, f64)>,
}

/// Why a trend came out as it did: the `trend_why` column's codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(i32)]
pub(crate) enum Why {
    /// Significant: χ² above the threshold, the slope's sign kept.
    Significant = 1,
    /// χ² at or below the threshold.
    NotSignificant,
    /// χ² above the threshold, but leaving a value out changes the slope's sign.
    SignChanges,
    /// No value at M.
    NoValue,
    /// Fewer than five consecutive values up to M (`trend_n` says how many).
    TooFew,
    /// A value without a numerator and denominator or an interval.
    NoFigures,
    /// A numerator of 0 or equal to its denominator: log odds not finite.
    Degenerate,
    /// An interval of no width: infinite weight.
    ZeroWidth,
}

impl Why {
    const ALL: [Why; 8] = [
        Why::Significant,
        Why::NotSignificant,
        Why::SignChanges,
        Why::NoValue,
        Why::TooFew,
        Why::NoFigures,
        Why::Degenerate,
        Why::ZeroWidth,
    ];

    pub(crate) fn code(self) -> i32 {
        self as i32
    }

    pub(crate) fn from_code(code: i32) -> Option<Why> {
        Why::ALL.get(usize::try_from(code - 1).ok()?).copied()
    }
}

/// The outcome of the test over five points: direction (+1, −1, or 0 for no significant
/// change), χ², and why.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Outcome {
    pub(crate) direction: i32,
    pub(crate) chi2: f64,
    pub(crate) why: Why,
    /// Which test: `true` for the χ² test for trend in proportions.
    pub(crate) proportions: bool,
}

fn sign(slope: f64) -> i32 {
    // Fingertips counts a slope of exactly 0 as positive.
    if slope < 0.0 {
        -1
    } else {
        1
    }
}

/// The least-squares slope of `(t, y, w)` points leaving out `skip` (0: none, else 1..=5).
fn slope(points: &[(f64, f64, f64)], skip: usize) -> (f64, f64, f64) {
    let (mut s1, mut s2, mut s3, mut s4, mut s5) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for (i, &(t, y, w)) in points.iter().enumerate() {
        if i + 1 == skip {
            continue;
        }
        s1 += w;
        s2 += w * y * t;
        s3 += w * t;
        s4 += w * y;
        s5 += w * t * t;
    }
    let det = s1 * s5 - s3 * s3;
    ((s1 * s2 - s3 * s4) / det, s1, det)
}

/// Whether the slope keeps the full series' sign with each point left out in turn.
fn sign_kept(points: &[(f64, f64, f64)]) -> bool {
    let total: i32 = (0..=points.len()).map(|skip| sign(slope(points, skip).0)).sum();
    total.unsigned_abs() as usize == points.len() + 1
}

fn decide(chi2: f64, full_slope: f64, kept: bool, proportions: bool) -> Outcome {
    let significant = chi2 > TREND_CHI2; // false for NaN too
    let (direction, why) = if !significant {
        (0, Why::NotSignificant)
    } else if !kept {
        (0, Why::SignChanges)
    } else {
        (sign(full_slope), Why::Significant)
    };
    Outcome { direction, chi2, why, proportions }
}

/// The χ² test for trend in proportions over `(numerator, denominator)` in time order.
pub(crate) fn proportions(counts: &[(f64, f64)]) -> Result<Outcome, Why> {
    if counts.iter().any(|&(r, n)| r <= 0.0 || r >= n) {
        return Err(Why::Degenerate);
    }
    let (mut big_n, mut big_r, mut tr, mut tn, mut ttn) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for (i, &(r, n)) in counts.iter().enumerate() {
        let t = (i + 1) as f64;
        big_n += n;
        big_r += r;
        tr += t * r;
        tn += t * n;
        ttn += t * t * n;
    }
    let chi2 = big_n * (big_n * tr - big_r * tn).powi(2) / (big_r * (big_n - big_r) * (big_n * ttn - tn * tn));
    let log_odds: Vec<(f64, f64, f64)> = counts.iter().enumerate().map(|(i, &(r, n))| ((i + 1) as f64, (r / (n - r)).ln(), 1.0)).collect();
    Ok(decide(chi2, slope(&log_odds, 0).0, sign_kept(&log_odds), true))
}

/// The weighted regression of values with 95% intervals `(value, lower, upper)` in time order.
pub(crate) fn intervals(points: &[(f64, f64, f64)]) -> Result<Outcome, Why> {
    let mut weighted = Vec::with_capacity(points.len());
    for (i, &(v, lo, hi)) in points.iter().enumerate() {
        let se = (hi - lo) / 3.92;
        if se.is_nan() || se <= 0.0 {
            return Err(Why::ZeroWidth);
        }
        weighted.push(((i + 1) as f64, v, 1.0 / (se * se)));
    }
    let (b, s1, det) = slope(&weighted, 0);
    let beta = (s1 / det).sqrt();
    Ok(decide((b / beta).powi(2), b, sign_kept(&weighted), false))
}

/// The trend over `points` (the five values up to M, oldest first): the χ² test for
/// proportions where every point has counts and `wilson` (the measure's intervals are Wilson's),
/// else the weighted regression where every point has an interval.
pub(crate) fn recent(points: &[Point], wilson: bool) -> Result<Outcome, Why> {
    if wilson && points.iter().all(|p| p.counts.is_some()) {
        let counts: Vec<(f64, f64)> = points.iter().filter_map(|p| p.counts).collect();
        return proportions(&counts);
    }
    if points.iter().all(|p| p.ci.is_some()) {
        let values: Vec<(f64, f64, f64)> = points.iter().filter_map(|p| p.ci.map(|(lo, hi)| (p.value, lo, hi))).collect();
        return intervals(&values);
    }
    Err(Why::NoFigures)
}

/// The number of points the trend is computed over.
pub(crate) const POINTS: usize = TREND_POINTS;

/// The `trend` column's code: +1 increasing, −1 decreasing, 0 no significant change, null
/// cannot be calculated.
pub(crate) fn from_code(code: Option<i32>) -> Trend {
    match code {
        Some(1) => Trend::Increasing,
        Some(-1) => Trend::Decreasing,
        Some(_) => Trend::NoSignificantChange,
        None => Trend::CannotBeCalculated,
    }
}

/// The `trend_judgement` column (as [`TrendJudgement::code`]): not assessed without a trend or
/// for a neutral measure; no significant change; getting better when the trend goes the good
/// way, else getting worse.
pub(crate) fn judgement() -> Expr {
    let judged = |j: TrendJudgement| lit(j.code());
    when(col("trend").is_null().or(col("sign").eq(lit(0))))
        .then(judged(TrendJudgement::NotAssessed))
        .when(col("trend").eq(lit(0)))
        .then(judged(TrendJudgement::NoSignificantChange))
        .when((col("trend") * col("sign")).gt(lit(0)))
        .then(judged(TrendJudgement::GettingBetter))
        .otherwise(judged(TrendJudgement::GettingWorse))
}

/// Words the trend's reason into `out`: over which periods, which test, χ² against the
/// threshold, or why it cannot be calculated. `m` is the measure's period M, `found` the number
/// of consecutive values up to it.
pub(crate) fn reason(
    why: Option<Why>,
    chi2: Option<f64>,
    proportions: bool,
    found: Option<i32>,
    m: Period,
    labels: &mut PeriodLabels,
    out: &mut String,
) {
    // Periods as members read them ("August 2023 to December 2023"), as in every other reason.
    let first = labels.spoken((1..POINTS).fold(m, |p, _| p.previous())).to_owned();
    let m = labels.spoken(m);
    let test = if proportions { "χ² test for trend in proportions" } else { "weighted regression on the confidence intervals" };
    let chi2 = chi2.map(|c| format!("{:.2}", c)).unwrap_or_default();
    let threshold = format!("{:.2}", TREND_CHI2);
    let _ = match why.unwrap_or(Why::NoValue) {
        Why::Significant => {
            write!(out, "{test} over {first} to {m}: χ² {chi2} above {threshold} (99.8%), the slope's sign kept leaving out each value")
        }
        Why::NotSignificant => write!(out, "{test} over {first} to {m}: χ² {chi2}, not above {threshold} (99.8%)"),
        Why::SignChanges => {
            write!(out, "{test} over {first} to {m}: χ² {chi2} above {threshold}, but leaving out one value changes the slope's sign")
        }
        Why::NoValue => write!(out, "no value for {m}"),
        Why::TooFew => {
            let n = found.unwrap_or(0);
            write!(out, "{n} consecutive value{} up to {m}; the recent trend needs {POINTS}", if n == 1 { "" } else { "s" })
        }
        Why::NoFigures => write!(out, "a value from {first} to {m} has neither a numerator and denominator nor a confidence interval"),
        Why::Degenerate => {
            write!(out, "a numerator from {first} to {m} is 0 or equals its denominator, so the χ² test for trend cannot be calculated")
        }
        Why::ZeroWidth => {
            write!(out, "a confidence interval from {first} to {m} has no width, so the weighted regression cannot be calculated")
        }
    };
}

// The peers' figures are kept exactly as their workbooks and tests print them.
#[cfg(test)]
#[allow(clippy::excessive_precision)]
mod tests {
    use super::*;

    fn round2(x: f64) -> f64 {
        (x * 100.0).round() / 100.0
    }

    // fingertips-open PholioVisualisationWS/AnalysisTest/TrendMarkerCalculatorTest.cs, data
    // sets in year order (2014 to 2018).
    const SET1: [(f64, f64, f64, f64, f64); 5] = [
        (994.0, 40299.0, 24.67, 23.16, 26.25),
        (1023.0, 41527.0, 24.6, 23.15, 26.19),
        (1199.0, 42811.0, 28.0, 26.44, 29.64),
        (1332.0, 44064.0, 30.2, 28.63, 31.9),
        (1367.0, 44701.0, 30.6, 28.98, 32.25),
    ];

    /// `TestIsSignificantReturnsTrue`: the weighted regression over GetTrendData_Set1 is
    /// significant with χ² 46.77 (rounded to 2 places): here increasing, 24.67 → 30.6.
    #[test]
    fn fingertips_set1_by_intervals_is_significant_with_chi2_46_77() {
        let points: Vec<(f64, f64, f64)> = SET1.iter().map(|s| (s.2, s.3, s.4)).collect();
        let o = intervals(&points).expect("calculated");
        assert_eq!(round2(o.chi2), 46.77);
        assert_eq!((o.why, o.direction), (Why::Significant, 1));
    }

    /// `TestIsSignificantForProportionsReturnsTrue`: the χ² test for trend over the same counts
    /// gives 47.9. Fingertips would mark it decreasing (its slope is never set on this path);
    /// the counts rise from 2.47% to 3.06%, so here it is increasing.
    #[test]
    fn fingertips_set1_by_proportions_is_significant_with_chi2_47_9() {
        let counts: Vec<(f64, f64)> = SET1.iter().map(|s| (s.0, s.1)).collect();
        let o = proportions(&counts).expect("calculated");
        assert_eq!(round2(o.chi2), 47.9);
        assert_eq!((o.why, o.direction), (Why::Significant, 1));
    }

    /// `TestIsSignificantReturnsFalse`: GetTrendData_Set2 (20.55, 19.60, 19.03, 21.40, 18.44)
    /// is not significant.
    #[test]
    fn fingertips_set2_is_not_significant() {
        let points = [
            (20.5506, 18.1803, 23.1427),
            (19.5952, 17.3444, 22.0602),
            (19.0349, 16.8421, 21.4394),
            (21.3966, 19.0918, 23.8975),
            (18.4372, 16.2925, 20.7941),
        ];
        let o = intervals(&points).expect("calculated");
        assert_eq!(o.direction, 0);
        assert!(o.chi2 < TREND_CHI2, "{}", o.chi2);
    }

    /// `TestIsSignificantForProportionsCannotBeCalculated`: GetTrendDataForProportion_Set2
    /// starts with 5 of 5, a count equal to its denominator.
    #[test]
    fn fingertips_count_equal_to_denominator_cannot_be_calculated() {
        let counts = [(5.0, 5.0), (3.0, 5.0), (1.0, 5.0), (1.0, 4.0), (2.0, 4.0)];
        assert_eq!(proportions(&counts), Err(Why::Degenerate));
        // And a count of 0 (a deliberate difference: log odds of 0 are not finite either).
        assert_eq!(proportions(&[(0.0, 5.0), (3.0, 5.0), (1.0, 5.0), (1.0, 4.0), (2.0, 4.0)]), Err(Why::Degenerate));
    }

    /// Worked by hand: equal weights (intervals ±1.96, se 1), values 1, 2, 3, 4, 5 at t = 1..5:
    /// S1 = 5, S3 = 15, S5 = 55, det = 5·55 − 15² = 50, slope = (5·55 − 15·15) / 50 = 1,
    /// β = √(5 / 50) = 0.316228, χ² = (1 / 0.316228)² = 10 > 9.55: increasing. Values
    /// 1, 2, 3, 4, 4.4: Σ(t − 3)(v − 2.88) = 8.8 over Σ(t − 3)² = 10, slope 0.88,
    /// χ² = (0.88 / 0.316228)² = 7.744: no significant change.
    #[test]
    fn a_worked_regression() {
        let pts = |v: [f64; 5]| v.map(|v| (v, v - 1.96, v + 1.96));
        let o = intervals(&pts([1.0, 2.0, 3.0, 4.0, 5.0])).expect("calculated");
        assert!((o.chi2 - 10.0).abs() < 1e-9);
        assert_eq!(o.direction, 1);
        let o = intervals(&pts([1.0, 2.0, 3.0, 4.0, 4.4])).expect("calculated");
        assert!((o.chi2 - 7.744).abs() < 1e-9, "{}", o.chi2);
        assert_eq!((o.direction, o.why), (0, Why::NotSignificant));
        // Falling: 5 to 1 is decreasing.
        assert_eq!(intervals(&pts([5.0, 4.0, 3.0, 2.0, 1.0])).expect("calculated").direction, -1);
    }

    /// The leave-one-out check: a steep overall rise (χ² well above 9.55) whose rise rests on
    /// the last value alone (left out, the slope is negative) is not significant.
    #[test]
    fn one_value_carrying_the_slope_fails_the_sign_check() {
        let pts = [10.0, 9.0, 8.9, 8.8, 30.0].map(|v| (v, v - 0.196, v + 0.196));
        let o = intervals(&pts).expect("calculated");
        assert!(o.chi2 > TREND_CHI2, "{}", o.chi2);
        assert_eq!((o.direction, o.why), (0, Why::SignChanges));
    }
}
