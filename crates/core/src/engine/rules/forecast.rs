//! Forecast to the target (issue #16), as Pentana forecasts year-end values: a least-squares
//! line through the latest `[rules] forecast_points` (6) values of the item's own period
//! length ending by the end of M, read at the end of the target period (a milestone with a
//! value and a target: its `target_period`, else the month of its due date) or at the end of
//! the year that holds M (a measure with a target, in the measure's year type; the target is
//! `targets.csv`'s for that year's last month, else the measure's own). The forecast is
//! `on_track` when it meets that target, `at_risk` within its tolerance (the amber threshold
//! beside the target, else `default_tolerance`) and `off_track` beyond it. With fewer than
//! `forecast_min_points` (3) values there is no forecast, and the sentence says so. The
//! forecast never changes `status`.
//!
//! The grid gathers the points (x in months from the end of M, so sums stay small); the line
//! and the judgement are the expressions below.

use super::{computed_number, decimals_of, typed, Words};
use crate::model::period::Period;
use crate::model::rating::ForecastStatus;
use crate::model::values::Polarity;
use polars::prelude::*;
use std::fmt::Write as _;

/// The sums of the points the grid found for one rating: x is a period's end in months from
/// M's end (0 for M itself), y its value.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Sums {
    pub n: i32,
    pub sx: f64,
    pub sy: f64,
    pub sxx: f64,
    pub sxy: f64,
    /// The first point's period start, for the reason.
    pub first: i32,
}

impl Sums {
    /// The sums over `points` (x, y, first month).
    pub(crate) fn of(points: impl Iterator<Item = (i32, f64, i32)>) -> Sums {
        let mut s = Sums::default();
        for (x, y, start) in points {
            let x = f64::from(x);
            s.n += 1;
            s.sx += x;
            s.sy += y;
            s.sxx += x * x;
            s.sxy += x * y;
            s.first = start;
        }
        s
    }
}

/// `fc_target` and `fc_amber_given`: a milestone's own final target and threshold; a
/// measure's `targets.csv` row for the year's last month, else its own.
pub(crate) fn target() -> [Expr; 2] {
    let milestone = col("kind").eq(lit(crate::model::rating::Kind::Milestone.code()));
    [
        when(milestone.clone()).then(col("final_target")).otherwise(col("fc_tr_target").fill_null(col("final_target"))).alias("fc_target"),
        when(milestone)
            .then(col("final_amber"))
            .when(col("fc_tr_target").is_not_null())
            .then(col("fc_tr_amber"))
            .otherwise(col("final_amber"))
            .alias("fc_amber_given"),
    ]
}

/// The `forecast_value` column: the line read at `fc_at`, null with too few points or no
/// point to read it at.
pub(crate) fn value() -> Expr {
    let n = col("fc_n").cast(DataType::Float64);
    let slope = (n.clone() * col("fc_sxy") - col("fc_sx") * col("fc_sy")) / (n.clone() * col("fc_sxx") - col("fc_sx") * col("fc_sx"));
    let intercept = (col("fc_sy") - slope.clone() * col("fc_sx")) / n;
    when(col("fc_n").gt_eq(col("forecast_min_points")).and(col("fc_at").is_not_null()).and(col("fc_target").is_not_null()))
        .then(intercept + slope * col("fc_at").cast(DataType::Float64))
        .otherwise(lit(NULL).cast(DataType::Float64))
        .alias("forecast_value")
}

/// `fc_amber`: the amber threshold beside the forecast's target, else the default tolerance.
pub(crate) fn amber() -> Expr {
    let default = col("fc_target") - col("sign").cast(DataType::Float64) * col("tolerance") * super::abs(col("fc_target"));
    col("fc_amber_given").fill_null(default).alias("fc_amber")
}

/// The `forecast_status` column's code.
pub(crate) fn status() -> Expr {
    let meets = |threshold: Expr| (col("sign").cast(DataType::Float64) * (col("forecast_value") - threshold)).gt_eq(lit(0.0));
    when(col("forecast_value").is_null().or(col("sign").eq(lit(0))))
        .then(lit(NULL).cast(DataType::Int32))
        .when(meets(col("fc_target")))
        .then(lit(ForecastStatus::OnTrack as i32))
        .when(meets(col("fc_amber")))
        .then(lit(ForecastStatus::AtRisk as i32))
        .otherwise(lit(ForecastStatus::OffTrack as i32))
        .alias("forecast_status")
}

/// What a forecast sentence is worded from.
pub(crate) struct Forecast {
    pub status: Option<ForecastStatus>,
    pub value: Option<f64>,
    pub n: i32,
    pub min_points: usize,
    /// The first and last points' periods.
    pub from: Period,
    pub to: Period,
    /// The period whose end the line is read at.
    pub at: Period,
    pub target: f64,
    pub polarity: Polarity,
    /// The value typed with the most decimals, for the forecast's precision.
    pub typed: f64,
}

/// "On track: the line through the 6 values from July 2013 to December 2013 reaches 66.2 by the end
/// of 2013/14, against a target of 65.5 (high is good)", or "No forecast: 2 values by December 2013;
/// a forecast needs at least 3".
pub(crate) fn reason(f: &Forecast, words: &mut Words, out: &mut String) {
    let Some(status) = f.status else {
        let _ = write!(out, "No forecast: {} value{} by ", f.n, if f.n == 1 { "" } else { "s" });
        out.push_str(words.labels.spoken(f.to));
        let _ = write!(out, "; a forecast needs at least {}", f.min_points);
        return;
    };
    out.push_str(match status {
        ForecastStatus::OnTrack => "On track",
        ForecastStatus::AtRisk => "At risk",
        ForecastStatus::OffTrack => "Off track",
    });
    let _ = write!(out, ": the line through the {} values from ", f.n);
    out.push_str(words.labels.spoken(f.from));
    out.push_str(" to ");
    out.push_str(words.labels.spoken(f.to));
    out.push_str(" reaches ");
    let d = decimals_of(f.typed, &mut words.number).max(decimals_of(f.target, &mut words.number)).min(3);
    computed_number(f.value.unwrap_or_default(), d, out);
    out.push_str(" by the end of ");
    out.push_str(words.labels.spoken(f.at));
    out.push_str(", against a target of ");
    typed(f.target, out);
    out.push_str(" (");
    out.push_str(f.polarity.phrase());
    out.push(')');
}
