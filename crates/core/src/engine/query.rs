//! The rating query: each rule family's expressions applied in turn to the grid, whose rows
//! already hold what was reported at M and at the comparator period and the target for M's
//! last month (gathered by [`Frames::build`]).

use super::rules::{self, direction, forecast, milestone, progress, reported, spc, stale, target, trend};
use super::RateOptions;
use crate::error::Result;
use polars::prelude::*;

/// The columns [`super::rows::RowReader`] reads, before each benchmark label's
/// ([`benchmarks::column_names`], added to the query's result by [`super::rate_frame`]).
pub(super) const OUTPUT: [&str; 52] = [
    "plan",
    "key",
    "t_start",
    "t_len",
    "m_start",
    "m_len",
    "sign",
    "rule",
    "status",
    "computed",
    "disagrees",
    "dot",
    "dot_judgement",
    "target_source",
    "tr_start",
    "tr_len",
    "value",
    "target",
    "amber",
    "cmp_value",
    "tr_amber",
    "final_amber",
    // Issue #16.
    "percent_complete",
    "expected_progress",
    "progress_ratio",
    "stale",
    "last_start",
    "last_len",
    "fc_n",
    "fc_first",
    "fc_at",
    "fc_at_start",
    "fc_at_len",
    "fc_target",
    "forecast_value",
    "forecast_status",
    // Issue #13: the recent trend.
    "trend",
    "trend_why",
    "trend_chi2",
    "trend_n",
    "trend_test",
    "trend_judgement",
    // Issue #13.
    "spc_mean",
    "spc_upper",
    "spc_lower",
    "spc_points",
    "spc_side",
    "spc_signal",
    "spc_why",
    "spc_rebase",
    "spc_variation",
    "spc_assurance",
];

/// The query over `f`'s rows.
pub(super) fn query(rows: DataFrame, options: RateOptions) -> Result<LazyFrame> {
    let all = rows.lazy().with_columns([col("has_obs").fill_null(lit(false))]);
    let all = target::applied(all).with_columns([milestone::overdue(), progress::expected()]);
    // Issue #16: expected progress (read by the milestone rule), staleness and the forecast.
    let all = all.with_columns([progress::ratio(), stale::stale()]).with_columns(forecast::target());
    let all = all.with_columns([forecast::amber(), forecast::value()]).with_columns([forecast::status()]);
    let all = all.with_columns([rules::rule().alias("rule")]);
    let all = all.with_columns([
        rules::computed_status().alias("computed"),
        direction::movement().alias("dot"),
        (col("m_start") + col("m_len")).alias("m_end"),
    ]);
    let all =
        all.with_columns([reported::status(options.computed_only), reported::disagrees(), direction::judgement().alias("dot_judgement")]);
    let mut all = all.with_columns([trend::judgement().alias("trend_judgement")]);
    all = all.with_columns(spc::judgements());

    Ok(all.select(OUTPUT.iter().map(|c| col(*c)).collect::<Vec<_>>()))
}
