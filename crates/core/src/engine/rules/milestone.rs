//! A milestone's status at T from its update for T (the README's rules 1 to 5, in this order): Blue
//! with no update or an empty one; Green when marked complete; Red when issues are flagged or
//! the due date has passed; against its target where it has a value, a target and a polarity
//! ([`super::target`]); else Amber, ongoing.

use super::{progress, target, typed, Facts, Outcome, Words};
use crate::read::plan::ItemRef;
use polars::prelude::*;
use std::fmt::Write as _;

/// The `overdue` column: a due date on or before T's last day (strictly before it when the
/// plan sets `due_on_last_day_is_overdue = false`).
pub(crate) fn overdue() -> Expr {
    col("due")
        .is_not_null()
        .and(col("due").lt(col("t_last_day")).or(col("due").eq(col("t_last_day")).and(col("due_inclusive"))))
        .alias("overdue")
}

/// The milestone rules' [`Outcome`], first match wins.
pub(crate) fn rule() -> Expr {
    when(col("has_obs").not())
        .then(Outcome::NoUpdate.lit())
        .when(col("empty"))
        .then(Outcome::EmptyUpdate.lit())
        .when(col("complete"))
        .then(Outcome::Complete.lit())
        .when(col("issues"))
        .then(Outcome::Issues.lit())
        .when(col("overdue"))
        .then(Outcome::Overdue.lit())
        .when(progress::applies())
        .then(progress::outcome())
        .when(col("value").is_not_null().and(col("target").is_not_null()).and(col("sign").neq(lit(0))))
        .then(target::against_target())
        .otherwise(Outcome::Ongoing.lit())
}

/// The reason's words after the status, for the milestone outcomes.
pub(crate) fn reason(f: &Facts, words: &mut Words, out: &mut String) {
    let t = f.t;
    match f.rule {
        Outcome::NoUpdate => {
            out.push_str("no update for ");
            out.push_str(words.labels.spoken(t));
        }
        Outcome::EmptyUpdate => {
            out.push_str("the update for ");
            out.push_str(words.labels.spoken(t));
            out.push_str(" is empty (no value, flag, status or commentary)");
        }
        Outcome::Complete => {
            out.push_str("marked complete in the update for ");
            out.push_str(words.labels.spoken(t));
        }
        Outcome::Issues => {
            out.push_str("issues flagged in the update for ");
            out.push_str(words.labels.spoken(t));
        }
        Outcome::Overdue => {
            out.push_str("due ");
            if let ItemRef::Milestone(i) = f.item {
                if let Some(d) = f.plan.milestones[i].due {
                    let _ = write!(out, "{}", d.format("%-d %B %Y"));
                }
            }
            out.push_str(", passed by the end of ");
            out.push_str(words.labels.spoken(t));
            out.push_str(", and not complete");
        }
        _ => match f.value {
            Some(v) if f.target.is_none() => {
                out.push_str("ongoing, ");
                typed(v, out);
                out.push_str(" reported for ");
                out.push_str(words.labels.spoken(t));
                out.push_str(" with no target to compare with, and no issues");
            }
            _ => {
                out.push_str("ongoing, no issues reported for ");
                out.push_str(words.labels.spoken(t));
            }
        },
    }
}
