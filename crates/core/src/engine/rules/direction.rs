//! Direction of travel: the value at M against the value at exactly the comparator period
//! (never an older one), and whether that movement is good news given the polarity.
//!
//! The comparator is the period just before (milestones, and monthly and quarterly measures by
//! default) or the same period a year earlier (annual measures by default); a measure's
//! `dot_basis`, or the plan's `dot_basis_annual` / `dot_basis_other`, choose.

use crate::model::period::Period;
use crate::model::rating::{Dot, DotJudgement};
use crate::read::plan::{Measure, Plan};
use crate::rules::DotBasis;
use polars::prelude::*;

/// A milestone's comparator period: the period before T.
pub(crate) fn milestone_comparator(t: Period) -> Period {
    t.previous()
}

/// A measure's comparator period for its own period `m`.
pub(crate) fn comparator(plan: &Plan, measure: &Measure, m: Period) -> Period {
    match plan.dot_basis(measure) {
        DotBasis::Previous => m.previous(),
        DotBasis::YearAgo => m.year_ago(),
    }
}

/// The code of each movement in the `dot` column.
fn code(dot: Dot) -> Expr {
    match dot {
        Dot::Up => lit(1),
        Dot::Down => lit(-1),
        Dot::Same => lit(0),
        Dot::None => lit(NULL).cast(DataType::Int32),
    }
}

/// The movement a `dot` column's code stands for.
pub(crate) fn from_code(code: Option<i32>) -> Dot {
    match code {
        Some(1) => Dot::Up,
        Some(-1) => Dot::Down,
        Some(_) => Dot::Same,
        None => Dot::None,
    }
}

/// The `dot` column: up, down or the same against `cmp_value`; none without both values.
pub(crate) fn movement() -> Expr {
    when(col("value").is_null().or(col("cmp_value").is_null()))
        .then(code(Dot::None))
        .when(col("value").gt(col("cmp_value")))
        .then(code(Dot::Up))
        .when(col("value").lt(col("cmp_value")))
        .then(code(Dot::Down))
        .otherwise(code(Dot::Same))
}

/// The `dot_judgement` column (as [`DotJudgement::code`]): not assessed without a movement or
/// for a neutral measure; no change; improving when it moved the good way, else worsening.
pub(crate) fn judgement() -> Expr {
    let judged = |j: DotJudgement| lit(j.code());
    when(col("dot").is_null().or(col("sign").eq(lit(0))))
        .then(judged(DotJudgement::NotAssessed))
        .when(col("dot").eq(lit(0)))
        .then(judged(DotJudgement::NoChange))
        .when((col("dot") * col("sign")).gt(lit(0)))
        .then(judged(DotJudgement::Improving))
        .otherwise(judged(DotJudgement::Worsening))
}
