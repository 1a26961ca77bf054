//! Benchmarks: each label's latest value whose period ends by the end of M (an as-of join per
//! label), and the value against it: similar when equal (or within `similar_within`), or when
//! the benchmark lies inside the value's 95% confidence interval where it has one (Wilson for a
//! numerator and denominator by default; see [`super::intervals`]); else better or worse given
//! polarity (higher or lower for a neutral measure).
//!
//! With two benchmark levels (issue #13, `[rules] benchmark_levels = [95, 99.8]`), `sig` says the
//! highest level at which a difference holds, as Fingertips'
//! `SingleOverlappingCIsForTwoCILevelsComparer` does: 99.8 when the benchmark lies outside the
//! value's 99.8% interval too, else 95; empty when similar, without an interval, or at one
//! level.

use crate::model::rating::Versus;
use polars::prelude::*;

/// The names of label `i`'s columns in the query: the judgement, the gap, the benchmark value
/// and its period's start and length, and the level of significance.
pub(crate) fn column_names(i: usize) -> [String; 6] {
    [format!("b{i}_vs"), format!("b{i}_gap"), format!("b{i}_value"), format!("b{i}_start"), format!("b{i}_len"), format!("b{i}_sig")]
}

/// The `sig` column's code of the 99.8% level (95 is 95).
pub(crate) const SIG_99_8: i32 = 998;

fn code(v: Versus) -> Expr {
    lit(v.code())
}

/// Adds label `i`'s columns to `all`: the as-of join of the label's benchmarks (`None` when no
/// plan of the query has one: the columns are then empty), then the judgement and the gap.
pub(crate) fn compare(all: LazyFrame, i: usize, benchmarks: Option<LazyFrame>) -> LazyFrame {
    let [vs, gap, value, start, len, sig] = column_names(i);
    let Some(benchmarks) = benchmarks else {
        let (int, float) = (lit(NULL).cast(DataType::Int32), lit(NULL).cast(DataType::Float64));
        return all.with_columns([
            int.clone().alias(&vs),
            float.clone().alias(&gap),
            float.alias(&value),
            int.clone().alias(&start),
            int.clone().alias(&len),
            int.alias(&sig),
        ]);
    };
    let right = benchmarks.select([
        col("key"),
        col("b_end").alias("m_end"),
        col("b_value").alias(&value),
        col("b_start").alias(&start),
        col("b_len").alias(&len),
    ]);
    let options = AsOfOptions {
        strategy: AsofStrategy::Backward,
        left_by: Some(vec!["key".into()]),
        right_by: Some(vec!["key".into()]),
        allow_eq: true,
        check_sortedness: false, // sorted within each item, which polars cannot check
        ..Default::default()
    };
    let args = JoinArgs::new(JoinType::AsOf(Box::new(options))).with_coalesce(JoinCoalesce::CoalesceColumns);
    let all = all.join(right, [col("m_end")], [col("m_end")], args);
    let b = col(value.as_str());
    let similar = when(col("ci_lo").is_not_null())
        .then(b.clone().gt_eq(col("ci_lo")).and(b.clone().lt_eq(col("ci_hi"))))
        .otherwise(super::abs(col("value") - b.clone()).lt_eq(col("similar_within")));
    let direction = when(col("value").gt(b.clone())).then(lit(1.0)).when(col("value").lt(b.clone())).then(lit(-1.0)).otherwise(lit(0.0));
    let versus = when(col("value").is_null().or(b.clone().is_null()))
        .then(lit(NULL).cast(DataType::Int32))
        .when(similar)
        .then(code(Versus::Similar))
        .when(col("sign").eq(lit(0)))
        .then(when(direction.clone().gt(lit(0.0))).then(code(Versus::Higher)).otherwise(code(Versus::Lower)))
        .when((direction * col("sign").cast(DataType::Float64)).gt(lit(0.0)))
        .then(code(Versus::Better))
        .otherwise(code(Versus::Worse));
    let all = all.with_columns([versus.alias(&vs), (col("value") - b.clone()).alias(&gap)]);
    let differs = col(vs.as_str()).is_not_null().and(col(vs.as_str()).neq(code(Versus::Similar)));
    let beyond_998 = col("ci2_lo").is_not_null().and(b.clone().lt(col("ci2_lo")).or(b.gt(col("ci2_hi"))));
    let level = when(col("two_levels").and(differs).and(col("ci_lo").is_not_null()))
        .then(when(beyond_998).then(lit(SIG_99_8)).otherwise(lit(95)))
        .otherwise(lit(NULL).cast(DataType::Int32));
    all.with_columns([level.alias(&sig)])
}
