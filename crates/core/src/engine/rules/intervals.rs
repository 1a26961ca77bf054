//! Confidence intervals (issue #13): the interval around a measure's value that benchmarks are
//! compared with (similar when the benchmark lies inside it), at 95% and, with
//! `[rules] benchmark_levels = [95, 99.8]`, at 99.8%.
//!
//! A value's interval is the one `values.csv` publishes (`lower_ci`, `upper_ci`, and
//! `lower_ci_99_8`, `upper_ci_99_8`), else computed by its measure's `ci_method`:
//!
//! - `wilson` (proportions): the Wilson score interval of numerator / denominator, scaled to the
//!   value's units. The default where the value has a numerator and a denominator.
//! - `byars` (counts and rates): Byars' approximation of a Poisson count's interval, and the
//!   exact Poisson interval (from the chi-squared distribution) below 10 events, as
//!   PHEindicatormethods' `phe_rate` does; the count is the numerator (the interval scaled by
//!   value / numerator, or for 0 events by the unit's multiplier / denominator), or the value
//!   itself when there is no numerator.
//! - `none`, or no numerator and denominator by default: no interval; the value is compared by
//!   equality (or `similar_within`).
//!
//! Formulas as PHEindicatormethods' `R/utils.R` (`wilson_lower`, `wilson_upper`,
//! `byars_lower`, `byars_upper`) and `R/Rates.R`; its test figures are ported below.

use crate::model::values::CiMethod;
use crate::read::plan::{Measure, Value};
use crate::rules::{Rules, Z_99_8};
use statrs::distribution::{ChiSquared, ContinuousCDF, Normal};

/// The Wilson score interval of `n / d` at `z`, scaled to the value's units by
/// `value / (n / d)` (×100 for a percentage when the proportion is 0).
pub fn wilson(value: f64, n: f64, d: f64, unit: &str, z: f64) -> (f64, f64) {
    let p = n / d;
    let z2 = z * z;
    let denom = 1.0 + z2 / d;
    let centre = (p + z2 / (2.0 * d)) / denom;
    let half = z * (p * (1.0 - p) / d + z2 / (4.0 * d * d)).max(0.0).sqrt() / denom;
    // Only `%` is scaled at a proportion of 0, as before intervals were a family of their own.
    let scale = if p > 0.0 {
        value / p
    } else if unit.trim() == "%" {
        100.0
    } else {
        1.0
    };
    ((centre - half) * scale, (centre + half) * scale)
}

/// Byars' lower limit of a count `x` at `z` (`None` where it would be negative, as
/// PHEindicatormethods gives `NA`).
pub fn byars_lower(x: f64, z: f64) -> Option<f64> {
    if x <= 0.0 {
        return None;
    }
    let lo = x * (1.0 - 1.0 / (9.0 * x) - z / (3.0 * x.sqrt())).powi(3);
    (lo >= 0.0).then_some(lo)
}

/// Byars' upper limit of a count `x` at `z`.
pub fn byars_upper(x: f64, z: f64) -> f64 {
    let x1 = x + 1.0;
    x1 * (1.0 - 1.0 / (9.0 * x1) + z / (3.0 * x1.sqrt())).powi(3)
}

/// The confidence level a two-sided `z` stands for: 2Φ(z) − 1.
fn confidence(z: f64) -> f64 {
    let normal = Normal::new(0.0, 1.0).expect("the standard normal");
    2.0 * normal.cdf(z) - 1.0
}

fn chi2_quantile(p: f64, freedom: f64) -> f64 {
    ChiSquared::new(freedom).map(|c| c.inverse_cdf(p)).unwrap_or(f64::NAN)
}

/// The exact Poisson interval of a count `x` at `z`: `qchisq(α/2, 2x) / 2` to
/// `qchisq(1 − α/2, 2x + 2) / 2` (0 below for 0 events).
pub fn exact_poisson(x: f64, z: f64) -> (f64, f64) {
    let alpha = 1.0 - confidence(z);
    let lo = if x > 0.0 { chi2_quantile(alpha / 2.0, 2.0 * x) / 2.0 } else { 0.0 };
    (lo, chi2_quantile(1.0 - alpha / 2.0, 2.0 * x + 2.0) / 2.0)
}

/// A count's interval as `phe_rate` gives it: exact Poisson below 10 events, Byars from 10.
pub fn count_interval(x: f64, z: f64) -> (f64, f64) {
    if x < 10.0 {
        exact_poisson(x, z)
    } else {
        (byars_lower(x, z).unwrap_or(0.0), byars_upper(x, z))
    }
}

/// What a unit's value is per 1 of a proportion or rate: 100 for `%`, 100000 for
/// `per 100,000`, else 1.
fn multiplier(unit: &str) -> f64 {
    let u = unit.trim().to_ascii_lowercase();
    if u == "%" || u == "percent" || u == "percentage" {
        return 100.0;
    }
    let digits: String = u.strip_prefix("per").map(|r| r.chars().filter(|c| c.is_ascii_digit()).collect()).unwrap_or_default();
    digits.parse::<f64>().ok().filter(|m| *m > 0.0).unwrap_or(1.0)
}

/// The interval of `v` at `z` computed by its measure's method (see the module's doc).
fn computed(v: &Value, measure: &Measure, z: f64) -> Option<(f64, f64)> {
    let value = v.value?;
    let has_ratio = v.numerator.is_some() && v.denominator.is_some_and(|d| d > 0.0);
    let method = measure.ci_method.unwrap_or(if has_ratio { CiMethod::Wilson } else { CiMethod::None });
    match method {
        CiMethod::Wilson if has_ratio => Some(wilson(value, v.numerator?, v.denominator?, &measure.unit, z)),
        CiMethod::Byars => match v.numerator {
            Some(n) if n > 0.0 => {
                let (lo, hi) = count_interval(n, z);
                Some((lo * value / n, hi * value / n))
            }
            Some(_) => {
                let (lo, hi) = count_interval(0.0, z);
                let scale = multiplier(&measure.unit) / v.denominator?;
                Some((lo * scale, hi * scale))
            }
            None if value >= 0.0 => Some(count_interval(value, z)),
            None => None,
        },
        _ => None,
    }
}

/// A value's intervals at 95% and (with two benchmark levels) 99.8%: as published, else
/// computed. A published 95% interval without a 99.8% one and without the counts to compute it
/// gives no 99.8% interval.
pub(crate) fn of(v: &Value, measure: &Measure, rules: &Rules) -> [Option<(f64, f64)>; 2] {
    let first = v.ci.or_else(|| computed(v, measure, rules.wilson_z));
    let second = if rules.two_levels() { v.ci_998.or_else(|| computed(v, measure, Z_99_8)) } else { None };
    [first, second]
}

// The peers' figures are kept exactly as their workbooks and tests print them.
#[cfg(test)]
#[allow(clippy::excessive_precision)]
mod tests {
    use super::*;

    const Z95: f64 = 1.959963984540054; // qnorm(0.975), as R gives it

    fn close(got: f64, want: f64) {
        assert!((got - want).abs() <= 1e-9 * want.abs().max(1.0), "got {got}, want {want}");
    }

    /// PHEindicatormethods `tests/testthat/testByars.R`, "byars_lower calculate correctly",
    /// figures from `testdata_Byars_Wilson.xlsx` rows 1 to 6: e.g. 65 events at 95%,
    /// 65 × (1 − 1/585 − 1.96/(3√65))³ = 50.163188, and 66 × (1 − 1/594 + 1.96/(3√66))³ =
    /// 82.849139.
    #[test]
    fn byars_matches_phe_indicator_methods() {
        for (x, z, lo, hi) in [
            (65.0, Z95, 50.163187710459454, 82.849138545939837),
            (1045.0, Z95, 982.59320180733255, 1110.3312129856499),
            (1.0, Z95, 1.3072132901504351e-2, 5.5637555824752605),
            (65.0, Z_99_8, 42.880261471480203, 94.000290844318016),
            (1045.0, Z_99_8, 947.94070356103737, 1148.8061609880331),
            (10.0, Z_99_8, 2.916318374695686, 24.193724927880535),
        ] {
            close(byars_lower(x, z).expect("positive"), lo);
            close(byars_upper(x, z), hi);
        }
        // Row 13: 1 event at 99.8% has no lower limit (negative: NA), upper 9.362180.
        assert_eq!(byars_lower(1.0, Z_99_8), None);
        close(byars_upper(1.0, Z_99_8), 9.362180217908362);
    }

    /// PHEindicatormethods `tests/testthat/testWilson.R`, "wilson_lower calculate correctly",
    /// rows 7 to 12 of `testdata_Byars_Wilson.xlsx`: 65 of 100 at 95% is 0.552544 to 0.736358.
    #[test]
    fn wilson_matches_phe_indicator_methods() {
        for (x, n, z, lo, hi) in [
            (65.0, 100.0, Z95, 0.55254443296887967, 0.73635751756902468),
            (1045.0, 5000.0, Z95, 0.19795549880013297, 0.22049130373189027),
            (0.445, 1.0, Z95, 4.3817447720588223e-2, 0.93346212769791559),
            (65.0, 100.0, Z_99_8, 0.49549465740704313, 0.77835406140896968),
            (1045.0, 5000.0, Z_99_8, 0.19179381799015244, 0.22731562902525818),
            (0.445, 1.0, Z_99_8, 1.9347006132900975e-2, 0.97022599470195414),
        ] {
            // In proportion units: the value is the proportion itself.
            let (l, h) = wilson(x / n, x, n, "", z);
            close(l, lo);
            close(h, hi);
        }
    }

    /// PHEindicatormethods `tests/testthat/testRates.R` against `testdata_Rate.xlsx`
    /// (sheet `testdata_Rate`, rate per 100): exact Poisson below 10 events (Area1, Area2),
    /// Byars from 10 (Area3, Area5), at 95% and 99.8%. The figures agree to 1e-6 relative:
    /// statrs' chi-squared quantile is not R's `qchisq` to the last digit.
    #[test]
    fn rates_match_phe_rate() {
        let rel = |got: f64, want: f64| assert!((got - want).abs() <= 1e-6 * want.abs(), "got {got}, want {want}");
        for (x, n, lo95, hi95, lo998, hi998) in [
            (1.0, 100.0, 2.5317807984289897e-2, 5.571643390938898, 1.0005003335835344e-3, 9.2334134764515845),
            (5.0, 100.0, 1.62348639011842, 11.668332079322669, 0.739371731917839, 16.454745203680105),
            (20.0, 100.0, 12.211428834875937, 30.889880369197066, 8.922802365144193, 38.085035625041911),
            (9856.0, 12345.0, 78.269490589767571, 81.430016542721404, 77.375905432710525, 82.354472770954303),
        ] {
            let per100 = 100.0 / n;
            let (l, h) = count_interval(x, Z95);
            rel(l * per100, lo95);
            rel(h * per100, hi95);
            let (l, h) = count_interval(x, Z_99_8);
            rel(l * per100, lo998);
            rel(h * per100, hi998);
        }
        // 0 events: exact, lower 0, upper qchisq(0.975, 2) / 2 = −ln(0.025) = 3.688879.
        let (l, h) = count_interval(0.0, Z95);
        assert_eq!(l, 0.0);
        rel(h, -(0.025f64.ln()));
    }

    #[test]
    fn units_give_their_multiplier() {
        assert_eq!(multiplier("%"), 100.0);
        assert_eq!(multiplier("per 100,000"), 100000.0);
        assert_eq!(multiplier("per 1000"), 1000.0);
        assert_eq!(multiplier("days"), 1.0);
    }
}
