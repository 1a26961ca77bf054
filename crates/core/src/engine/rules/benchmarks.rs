//! Benchmarks: each label's latest value whose period ends by the end of M (an as-of join per
//! label), and the value against it: similar when equal (or within `similar_within`), or when
//! the benchmark lies inside the value's Wilson score interval where the value has a numerator
//! and denominator; else better or worse given polarity (higher or lower for a neutral
//! measure).

use crate::model::rating::Versus;
use polars::prelude::*;

/// The Wilson score interval of `n / d` at `z`, scaled to the value's units by
/// `value / (n / d)` (×100 for a percentage when the proportion is 0).
pub fn wilson(value: f64, n: f64, d: f64, unit: &str, z: f64) -> (f64, f64) {
    let p = n / d;
    let z2 = z * z;
    let denom = 1.0 + z2 / d;
    let centre = (p + z2 / (2.0 * d)) / denom;
    let half = z * (p * (1.0 - p) / d + z2 / (4.0 * d * d)).max(0.0).sqrt() / denom;
    let scale = if p > 0.0 {
        value / p
    } else if unit.trim() == "%" {
        100.0
    } else {
        1.0
    };
    ((centre - half) * scale, (centre + half) * scale)
}

/// The names of label `i`'s columns in the query: the judgement, the gap, the benchmark value
/// and its period's start and length.
pub(crate) fn column_names(i: usize) -> [String; 5] {
    [format!("b{i}_vs"), format!("b{i}_gap"), format!("b{i}_value"), format!("b{i}_start"), format!("b{i}_len")]
}

fn code(v: Versus) -> Expr {
    lit(v.code())
}

/// Adds label `i`'s columns to `all`: the as-of join of the label's benchmarks (`None` when no
/// plan of the query has one: the columns are then empty), then the judgement and the gap.
pub(crate) fn compare(all: LazyFrame, i: usize, benchmarks: Option<LazyFrame>) -> LazyFrame {
    let [vs, gap, value, start, len] = column_names(i);
    let Some(benchmarks) = benchmarks else {
        let (int, float) = (lit(NULL).cast(DataType::Int32), lit(NULL).cast(DataType::Float64));
        return all.with_columns([
            int.clone().alias(&vs),
            float.clone().alias(&gap),
            float.alias(&value),
            int.clone().alias(&start),
            int.alias(&len),
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
    let similar = when(col("wilson_lo").is_not_null())
        .then(b.clone().gt_eq(col("wilson_lo")).and(b.clone().lt_eq(col("wilson_hi"))))
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
    all.with_columns([versus.alias(&vs), (col("value") - b).alias(&gap)])
}
