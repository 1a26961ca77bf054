//! A measure's status at M (its own latest period ending by the end of T): Blue with no value
//! for M; not rated for a neutral measure or one with no target; else against its target
//! ([`super::target`]).

use super::{target, typed, Facts, Outcome, Words};
use polars::prelude::*;

/// The measure rules' [`Outcome`], first match wins.
pub(crate) fn rule() -> Expr {
    when(col("value").is_null())
        .then(Outcome::NoValue.lit())
        .when(col("sign").eq(lit(0)))
        .then(Outcome::Neutral.lit())
        .when(col("target").is_null())
        .then(Outcome::NoTarget.lit())
        .otherwise(target::against_target())
}

/// The reason's words after the status, for the measure outcomes.
pub(crate) fn reason(f: &Facts, words: &mut Words, out: &mut String) {
    match f.rule {
        Outcome::NoValue => {
            out.push_str("no value for ");
            out.push_str(words.labels.spoken(f.m));
        }
        Outcome::Neutral => {
            out.push_str("a neutral measure (neither high nor low is good)");
            if let Some(v) = f.value {
                out.push_str("; ");
                typed(v, out);
                out.push_str(" for ");
                out.push_str(words.labels.spoken(f.m));
            }
        }
        _ => {
            out.push_str("no target for ");
            out.push_str(words.labels.spoken(f.m));
        }
    }
}
