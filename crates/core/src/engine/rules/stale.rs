//! Stale updates (issue #16): a milestone or measure whose latest update or value is more than
//! `[rules] stale_after` (2) periods older than the period rated is `stale`. The periods are
//! the item's own: a measure's frequency, or a milestone's reporting period T. A milestone's
//! latest update is its latest one that is not empty; a measure's its latest value. An item
//! never updated by the end of the period is stale.
//!
//! Staleness never changes `status` or `reason` (so the ratings of plans kept up to date read
//! as before); it is carried by the `stale` flag and the `stale_reason` sentence, which the
//! report's exceptions list shows.

use super::Words;
use crate::model::period::{Frequency, Period};
use polars::prelude::*;
use std::fmt::Write as _;

/// The `stale` column: no update by the end of M, or the latest ends more than `stale_after`
/// periods of M's length before M ends.
pub(crate) fn stale() -> Expr {
    let age = col("m_start") + col("m_len") - col("last_start") - col("last_len");
    col("last_start").is_null().or(age.gt(col("stale_after") * col("m_len"))).alias("stale")
}

/// What a stale rating's sentence is worded from.
pub(crate) struct Last {
    /// The period rated (M).
    pub m: Period,
    /// The latest period updated, if any.
    pub last: Option<Period>,
    /// The plan's `stale_after`.
    pub after: u32,
}

fn unit(f: Frequency, n: i64) -> &'static str {
    match (f, n == 1) {
        (Frequency::Monthly, true) => "month",
        (Frequency::Monthly, false) => "months",
        (Frequency::Quarterly, true) => "quarter",
        (Frequency::Quarterly, false) => "quarters",
        (Frequency::Annual, true) => "year",
        (Frequency::Annual, false) => "years",
    }
}

/// "Stale: last updated for September 2013, 3 months before December 2013 (stale after 2 months)", or
/// "Stale: no update by the end of December 2013".
pub(crate) fn reason(l: &Last, words: &mut Words, out: &mut String) {
    out.push_str("Stale: ");
    match l.last {
        None => {
            out.push_str("no update by the end of ");
            out.push_str(words.labels.spoken(l.m));
        }
        Some(last) => {
            let f = l.m.frequency;
            let age = i64::from((l.m.end() - last.end()) / l.m.months().max(1));
            out.push_str("last updated for ");
            out.push_str(words.labels.spoken(last));
            let _ = write!(out, ", {age} {} before ", unit(f, age));
            out.push_str(words.labels.spoken(l.m));
            let _ = write!(out, " (stale after {} {})", l.after, unit(f, i64::from(l.after)));
        }
    }
}
