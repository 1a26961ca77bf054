//! Targets and tolerances: the target applied to a rating, its amber threshold, and Green,
//! Amber or Red against them ("Green when the target is met, Amber within tolerance,
//! Red beyond it").
//!
//! The target applied is the trajectory's (`targets.csv`, the shortest period covering M's last
//! month), else for a milestone with a baseline and a target period the profiled target on the
//! straight line between them at the end of T, else the item's final target. The amber
//! threshold is the one typed beside that target, else the plan's `default_tolerance` (5%) of
//! the target the bad side of it. On a profiled target a typed threshold travels with the line:
//! the gap typed between the final target and its threshold is kept at every point, so the
//! band never lands on the wrong side of the line's target.

use super::{computed_number, decimals_of, typed, Facts, Outcome, Words};
use crate::read::plan::ItemRef;
use polars::prelude::*;

/// Where the target applied came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(i32)]
pub(crate) enum Source {
    /// `targets.csv`, for a period covering M.
    Trajectory = 1,
    /// The straight line from the milestone's baseline to its target.
    Profile,
    /// The item's own (final) target.
    Final,
}

impl Source {
    fn lit(self) -> Expr {
        lit(self as i32)
    }

    /// The source a `target_source` column's code stands for.
    pub(crate) fn from_code(code: i32) -> Option<Source> {
        [Source::Trajectory, Source::Profile, Source::Final].into_iter().find(|s| *s as i32 == code)
    }
}

/// Adds the `target_source`, `target` and `amber` columns, in three steps, each reading the
/// column the one before added.
pub(crate) fn applied(all: LazyFrame) -> LazyFrame {
    let t_end = (col("t_start") + col("t_len")).cast(DataType::Float64);
    let fraction = unit_interval(
        (t_end - col("baseline_end").cast(DataType::Float64)) / (col("target_end") - col("baseline_end")).cast(DataType::Float64),
    );
    let profiled = col("baseline") + (col("final_target") - col("baseline")) * fraction;
    all.with_columns([when(col("tr_target").is_not_null())
        .then(Source::Trajectory.lit())
        .when(col("baseline").is_not_null())
        .then(Source::Profile.lit())
        .when(col("final_target").is_not_null())
        .then(Source::Final.lit())
        .otherwise(lit(NULL).cast(DataType::Int32))
        .alias("target_source")])
        .with_columns([when(col("target_source").eq(Source::Trajectory.lit()))
            .then(col("tr_target"))
            .when(col("target_source").eq(Source::Profile.lit()))
            .then(profiled)
            .otherwise(col("final_target"))
            .alias("target")])
        .with_columns([when(col("target_source").eq(Source::Trajectory.lit()))
            .then(col("tr_amber").fill_null(default_threshold(col("target"))))
            // Issue #16: a typed threshold travels with the profiled line, the typed gap
            // between the final target and its threshold kept at every point.
            .when(col("target_source").eq(Source::Profile.lit()).and(col("final_amber").is_not_null()))
            .then(col("target") + (col("final_amber") - col("final_target")))
            .otherwise(col("final_amber").fill_null(default_threshold(col("target"))))
            .alias("amber")])
}

/// `sign * (value - threshold) >= 0`: the value is at or beyond the threshold the good way.
fn meets(value: Expr, threshold: Expr) -> Expr {
    (col("sign").cast(DataType::Float64) * (value - threshold)).gt_eq(lit(0.0))
}

/// The amber threshold implied by the plan's default tolerance for `target`.
fn default_threshold(target: Expr) -> Expr {
    target.clone() - col("sign").cast(DataType::Float64) * col("tolerance") * super::abs(target)
}

/// `x` limited to `[0, 1]`.
fn unit_interval(x: Expr) -> Expr {
    when(x.clone().lt(lit(0.0))).then(lit(0.0)).when(x.clone().gt(lit(1.0))).then(lit(1.0)).otherwise(x)
}

/// [`Outcome::Met`], [`Outcome::Within`] or [`Outcome::Beyond`] for the `value` against the
/// `target` and `amber` columns.
pub(crate) fn against_target() -> Expr {
    when(meets(col("value"), col("target")))
        .then(Outcome::Met.lit())
        .when(meets(col("value"), col("amber")))
        .then(Outcome::Within.lit())
        .otherwise(Outcome::Beyond.lit())
}

/// "20.4 against a trajectory target of 18.5 for 2013/14 Q2 (low is good, amber threshold
/// 19.4)".
pub(crate) fn reason(f: &Facts, words: &mut Words, out: &mut String) {
    let d = decimals(f, &mut words.number);
    typed(f.value.unwrap_or_default(), out);
    if let ItemRef::Measure(_) = f.item {
        out.push_str(" for ");
        out.push_str(words.labels.spoken(f.m));
    }
    out.push_str(" against ");
    let target = f.target.unwrap_or_default();
    match (f.item, f.target_source) {
        (ItemRef::Milestone(_), Some(Source::Trajectory)) => {
            out.push_str("a trajectory target of ");
            typed(target, out);
            out.push_str(" for ");
            out.push_str(words.labels.spoken(f.trajectory.unwrap_or(f.t)));
        }
        (ItemRef::Milestone(i), Some(Source::Profile)) => {
            let m = &f.plan.milestones[i];
            out.push_str("a profiled target of ");
            computed_number(target, d, out);
            out.push_str(" for ");
            out.push_str(words.labels.spoken(f.t));
            out.push_str(", on the line from ");
            if let Some(b) = m.baseline {
                typed(b, out);
            }
            out.push_str(" in ");
            if let Some(p) = m.baseline_period {
                out.push_str(words.labels.spoken(p));
            }
            out.push_str(" to ");
            if let Some(t) = m.target {
                typed(t, out);
            }
            out.push_str(" in ");
            if let Some(p) = m.target_period {
                out.push_str(words.labels.spoken(p));
            }
        }
        (ItemRef::Measure(_), Some(Source::Trajectory)) => {
            out.push_str("a target of ");
            typed(target, out);
            out.push_str(" for ");
            out.push_str(words.labels.spoken(f.trajectory.unwrap_or(f.m)));
        }
        _ => {
            out.push_str("a target of ");
            typed(target, out);
        }
    }
    out.push_str(" (");
    out.push_str(f.polarity.phrase());
    if let Some(a) = f.amber {
        out.push_str(", amber threshold ");
        if f.amber_typed {
            typed(a, out);
        } else {
            computed_number(a, d, out);
        }
    }
    out.push(')');
}

/// The precision of the numbers typed for this rating: the most decimals among the value and
/// the target applied, or the profile's ends (at most 3).
fn decimals(f: &Facts, buffer: &mut String) -> usize {
    let typed_numbers: [Option<f64>; 3] = match f.item {
        ItemRef::Milestone(i) if f.target_source == Some(Source::Profile) => {
            let m = &f.plan.milestones[i];
            [f.value, m.baseline, m.target]
        }
        _ => [f.value, f.target, None],
    };
    typed_numbers.into_iter().flatten().map(|x| decimals_of(x, buffer)).max().unwrap_or(0).min(3)
}
