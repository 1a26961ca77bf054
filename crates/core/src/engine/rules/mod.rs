//! The rules, one file per family: each holds its polars expressions (what the query computes)
//! and its reason wording (how a member reads the outcome) side by side, so that a rule and its
//! words cannot drift apart.
//!
//! - [`milestone`]: a milestone's status at T from its update (the README's rules 1 to 5).
//! - [`measure`]: a measure's status at M, where it has no value, target or polarity.
//! - [`target`]: the target applied (trajectory, profile, final), the amber threshold and the
//!   tolerance, and Green/Amber/Red against them, for milestones and measures alike.
//! - [`direction`]: direction of travel against the comparator period, and its judgement.
//! - [`benchmarks`]: each benchmark label as of the period, better/similar/worse (Wilson).
//! - [`intervals`]: each value's confidence intervals, published or computed (Wilson, Byars,
//!   exact Poisson), issue #13.
//! - [`trend`]: the recent trend over the five most recent consecutive values (Fingertips),
//!   issue #13.
//! - [`reported`]: the reported status, the officer's or the engine's, and their disagreement.
//! - [`spc`]: statistical process control (XmR) of a measure's series up to M: mean, limits,
//!   variation and assurance (issue #13).
//!
//! Every family's outcome is an [`Outcome`], which says the status it gives; the reason of a
//! rating is its outcome's wording ([`reason`]).

pub(crate) mod benchmarks;
pub(crate) mod direction;
pub(crate) mod forecast;
pub(crate) mod intervals;
pub(crate) mod measure;
pub(crate) mod milestone;
pub(crate) mod progress;
pub(crate) mod reported;
pub(crate) mod rollup;
pub(crate) mod spc;
pub(crate) mod stale;
pub(crate) mod target;
pub(crate) mod trend;

use crate::model::number::{decimals_written, format_number, write_number};
use crate::model::period::{Period, PeriodLabels};
use crate::model::values::{Polarity, Status};
use crate::read::plan::{ItemRef, Plan};
use polars::prelude::*;
use std::fmt::Write as _;

/// Which rule decided a rating: what the query's `rule` column holds, and what the reason is
/// worded from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(i32)]
pub(crate) enum Outcome {
    /// [`milestone`]: no update for T.
    NoUpdate = 1,
    /// [`milestone`]: an update with nothing in it.
    EmptyUpdate,
    /// [`milestone`]: marked complete.
    Complete,
    /// [`milestone`]: issues flagged.
    Issues,
    /// [`milestone`]: due date passed, not complete.
    Overdue,
    /// [`target`]: the target met.
    Met,
    /// [`target`]: short of the target, within the amber threshold.
    Within,
    /// [`target`]: beyond the amber threshold.
    Beyond,
    /// [`milestone`]: none of the above.
    Ongoing,
    /// [`measure`]: no value for M.
    NoValue,
    /// [`measure`]: a neutral measure.
    Neutral,
    /// [`measure`]: no target for M.
    NoTarget,
    /// [`progress`]: below `progress_red` of the expected progress.
    ProgressRed,
    /// [`progress`]: below `progress_amber` of the expected progress.
    ProgressAmber,
}

impl Outcome {
    const ALL: [Outcome; 14] = [
        Outcome::NoUpdate,
        Outcome::EmptyUpdate,
        Outcome::Complete,
        Outcome::Issues,
        Outcome::Overdue,
        Outcome::Met,
        Outcome::Within,
        Outcome::Beyond,
        Outcome::Ongoing,
        Outcome::NoValue,
        Outcome::Neutral,
        Outcome::NoTarget,
        Outcome::ProgressRed,
        Outcome::ProgressAmber,
    ];

    /// The outcome as a literal of the query.
    pub(crate) fn lit(self) -> Expr {
        lit(self as i32)
    }

    /// The outcome a `rule` column's code stands for.
    pub(crate) fn from_code(code: i32) -> Option<Outcome> {
        // Codes run from 1 in `ALL`'s order (a unit test holds them to it).
        let outcome = *Outcome::ALL.get(usize::try_from(code - 1).ok()?)?;
        (outcome as i32 == code).then_some(outcome)
    }

    /// The status each outcome gives (none for a measure that cannot be rated against a
    /// target): the one place outcomes meet statuses.
    fn status(self) -> Option<Status> {
        match self {
            Outcome::NoUpdate | Outcome::EmptyUpdate | Outcome::NoValue => Some(Status::Blue),
            Outcome::Complete | Outcome::Met => Some(Status::Green),
            Outcome::Issues | Outcome::Overdue | Outcome::Beyond | Outcome::ProgressRed => Some(Status::Red),
            Outcome::Within | Outcome::Ongoing | Outcome::ProgressAmber => Some(Status::Amber),
            Outcome::Neutral | Outcome::NoTarget => None,
        }
    }
}

/// The query's `rule` column: the milestone rules for milestones, the measure rules for
/// measures.
pub(crate) fn rule() -> Expr {
    when(col("kind").eq(lit(crate::model::rating::Kind::Milestone.code()))).then(milestone::rule()).otherwise(measure::rule())
}

/// The engine's status (as [`Status::code`]) from the `rule` column, by [`Outcome::status`].
pub(crate) fn computed_status() -> Expr {
    let gives = |status: Status| {
        let codes: Vec<i32> = Outcome::ALL.into_iter().filter(|o| o.status() == Some(status)).map(|o| o as i32).collect();
        one_of(col("rule"), &codes)
    };
    let code = |status: Status| lit(status.code());
    when(gives(Status::Blue))
        .then(code(Status::Blue))
        .when(gives(Status::Green))
        .then(code(Status::Green))
        .when(gives(Status::Red))
        .then(code(Status::Red))
        .when(gives(Status::Amber))
        .then(code(Status::Amber))
        .otherwise(lit(NULL).cast(DataType::Int32))
}

/// `expr` equals one of `codes`.
pub(crate) fn one_of(expr: Expr, codes: &[i32]) -> Expr {
    codes.iter().map(|c| expr.clone().eq(lit(*c))).reduce(|a, b| a.or(b)).unwrap_or(lit(false))
}

/// `|x|`, without pulling in polars' `abs` feature for one use.
pub(crate) fn abs(x: Expr) -> Expr {
    when(x.clone().lt(lit(0.0))).then(lit(0.0) - x.clone()).otherwise(x)
}

/// What the query decided about one item at one period: what a reason is worded from.
pub(crate) struct Facts<'a> {
    pub plan: &'a Plan,
    pub item: ItemRef,
    pub t: Period,
    pub m: Period,
    pub rule: Outcome,
    pub computed: Option<Status>,
    pub value: Option<f64>,
    pub target: Option<f64>,
    pub amber: Option<f64>,
    pub polarity: Polarity,
    pub target_source: Option<target::Source>,
    pub trajectory: Option<Period>,
    /// The amber threshold was typed in a file, not implied by the default tolerance.
    pub amber_typed: bool,
    /// The update's `percent_complete` (issue #16).
    pub percent_complete: Option<f64>,
    /// The expected progress at the end of T (issue #16).
    pub expected_progress: Option<f64>,
}

/// Period labels and a number buffer reused from reason to reason: wording a million reasons
/// then formats each period once and allocates nothing per reason.
#[derive(Debug, Default)]
pub(crate) struct Words {
    pub labels: PeriodLabels,
    pub number: String,
}

/// The engine's reason for its own rating, appended to `out`: "Red: 20.4 against a
/// trajectory target of 18.5 for 2013/14 Q2 (low is good, amber threshold 19.4)". Numbers are
/// shown to the precision they were typed with.
pub(crate) fn reason(f: &Facts, words: &mut Words, out: &mut String) {
    let status = f.computed.map(Status::name).unwrap_or("Not rated");
    out.push_str(status);
    out.push_str(": ");
    match f.rule {
        Outcome::NoUpdate | Outcome::EmptyUpdate | Outcome::Complete | Outcome::Issues | Outcome::Overdue | Outcome::Ongoing => {
            milestone::reason(f, words, out)
        }
        Outcome::Met | Outcome::Within | Outcome::Beyond => target::reason(f, words, out),
        Outcome::NoValue | Outcome::Neutral | Outcome::NoTarget => measure::reason(f, words, out),
        Outcome::ProgressRed | Outcome::ProgressAmber => progress::reason(f, words, out),
    }
}

/// A number as it was typed: shortest form, at most 6 decimals.
pub(crate) fn typed(x: f64, out: &mut String) {
    write_number(x, out)
}

/// How many decimals `x` was typed with.
pub(crate) fn decimals_of(x: f64, buffer: &mut String) -> usize {
    if let Some(places) = decimals_written(x) {
        return places;
    }
    buffer.clear();
    typed(x, buffer);
    buffer.split_once('.').map(|(_, f)| f.len()).unwrap_or(0)
}

/// A number the engine computed (a profiled target, a default threshold): to the precision of
/// the typed numbers, at least one decimal, trailing zeros dropped.
pub(crate) fn computed_number(x: f64, decimals: usize, out: &mut String) {
    if x != 0.0 && (x.abs() >= 1e15 || x.abs() < 1e-6) {
        let _ = write!(out, "{:e}", format_number(x).parse::<f64>().unwrap_or(x));
        return;
    }
    let places = decimals.max(1);
    let start = out.len();
    let _ = write!(out, "{x:.places$}");
    // There is always a decimal point, so this stops at it at the latest.
    let kept = out[start..].trim_end_matches('0').trim_end_matches('.').len();
    out.truncate(start + kept);
    if &out[start..] == "-0" {
        out.truncate(start);
        out.push('0');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_outcome_reads_back_from_its_code() {
        for o in Outcome::ALL {
            assert_eq!(Outcome::from_code(o as i32), Some(o));
        }
        assert_eq!(Outcome::from_code(0), None);
        assert_eq!(Outcome::from_code(15), None);
    }

    #[test]
    fn neutral_and_untargeted_measures_are_not_rated() {
        assert_eq!(Outcome::Neutral.status(), None);
        assert_eq!(Outcome::NoTarget.status(), None);
        assert_eq!(Outcome::NoValue.status(), Some(Status::Blue));
        assert_eq!(Outcome::Within.status(), Some(Status::Amber));
    }
}
