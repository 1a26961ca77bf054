//! Expected progress (issue #16): a milestone with a `start`, a `due` date and a
//! `percent_complete` in its update is compared with the straight line from 0% at the start
//! of its start day to 100% at the end of its due day, read at the end of T, as Camms'
//! project plans do. Placed after "issues or overdue" and before the target rule: Red below
//! `progress_red` (0.7) of the expected progress, Amber below `progress_amber` (0.9); at or
//! above that the rules after it decide.
//!
//! Days are counted whole: at the end of 31 December 2013, a milestone started on 1 April
//! 2013 and due on 31 March 2014 has had 275 of its 365 days, so 75.3% is expected.

use super::{computed_number, typed, Facts, Outcome, Words};
use crate::read::plan::ItemRef;
use polars::prelude::*;

/// The `expected_progress` column: per cent of the way from the start to the due date at the
/// end of T, limited to 0..100; null without a start, a due date or a percentage.
pub(crate) fn expected() -> Expr {
    let elapsed = (col("t_last_day") + lit(1) - col("start")).cast(DataType::Float64);
    let span = (col("due") + lit(1) - col("start")).cast(DataType::Float64);
    let share = elapsed / span;
    let share = when(share.clone().lt(lit(0.0))).then(lit(0.0)).when(share.clone().gt(lit(1.0))).then(lit(1.0)).otherwise(share);
    when(col("start").is_not_null().and(col("due").is_not_null()).and(col("percent_complete").is_not_null()))
        .then(lit(100.0) * share)
        .otherwise(lit(NULL).cast(DataType::Float64))
        .alias("expected_progress")
}

/// The `progress_ratio` column: `percent_complete / expected_progress`; null before the start
/// (nothing is expected yet).
pub(crate) fn ratio() -> Expr {
    when(col("expected_progress").gt(lit(0.0)))
        .then(col("percent_complete") / col("expected_progress"))
        .otherwise(lit(NULL).cast(DataType::Float64))
        .alias("progress_ratio")
}

/// Whether the rule applies: behind the line by more than the plan allows.
pub(crate) fn applies() -> Expr {
    col("progress_ratio").is_not_null().and(col("progress_ratio").lt(col("progress_amber")))
}

/// [`Outcome::ProgressRed`] or [`Outcome::ProgressAmber`], where [`applies`].
pub(crate) fn outcome() -> Expr {
    when(col("progress_ratio").lt(col("progress_red"))).then(Outcome::ProgressRed.lit()).otherwise(Outcome::ProgressAmber.lit())
}

/// A date as members read it: "31 December 2013".
pub(crate) fn date(d: chrono::NaiveDate, out: &mut String) {
    use std::fmt::Write as _;
    let _ = write!(out, "{}", d.format("%-d %B %Y"));
}

/// "45% complete against 60% expected by 31 December 2013 (start 1 April 2013, due 31 March
/// 2014)".
pub(crate) fn reason(f: &Facts, _words: &mut Words, out: &mut String) {
    typed(f.percent_complete.unwrap_or_default(), out);
    out.push_str("% complete against ");
    computed_number(f.expected_progress.unwrap_or_default(), 0, out);
    out.push_str("% expected by ");
    date(f.t.last_day(), out);
    if let ItemRef::Milestone(i) = f.item {
        let m = &f.plan.milestones[i];
        if let (Some(s), Some(d)) = (m.start, m.due) {
            out.push_str(" (start ");
            date(s, out);
            out.push_str(", due ");
            date(d, out);
            out.push(')');
        }
    }
}
