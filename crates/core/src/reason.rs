//! Reasons: each rating worded so a member can read why it is what it is.
//!
//! "Red: 20.4 against a trajectory target of 18.5 for 2013/14 Q2 (low is good, amber threshold
//! 19.4)". Numbers are shown to the precision they were typed with.

use crate::period::Period;
use crate::plan::{ItemRef, Plan};
use crate::rate::rule;
use crate::values::{Polarity, Status};

/// What the query decided about one item at one period.
pub(crate) struct Facts<'a> {
    pub plan: &'a Plan,
    pub item: ItemRef,
    pub t: Period,
    pub m: Period,
    pub rule: i32,
    pub computed: Option<Status>,
    pub value: Option<f64>,
    pub target: Option<f64>,
    pub amber: Option<f64>,
    pub polarity: Polarity,
    pub target_source: Option<i32>,
    pub trajectory: Option<Period>,
    /// The amber threshold was typed in a file, not implied by the default tolerance.
    pub amber_typed: bool,
}

/// The engine's reason for its own rating.
pub(crate) fn computed(f: &Facts) -> String {
    let t = f.t;
    let status = f.computed.map(Status::name).unwrap_or("Not rated");
    let body = match f.rule {
        rule::NO_UPDATE => format!("no update for {t}"),
        rule::EMPTY_UPDATE => format!("the update for {t} is empty (no value, flag, status or commentary)"),
        rule::COMPLETE => format!("marked complete in the update for {t}"),
        rule::ISSUES => format!("issues flagged in the update for {t}"),
        rule::OVERDUE => {
            let due = match f.item {
                ItemRef::Milestone(i) => f.plan.milestones[i].due.map(|d| d.format("%d/%m/%Y").to_string()),
                ItemRef::Measure(_) => None,
            };
            format!("due {}, passed by the end of {t}, and not complete", due.unwrap_or_default())
        }
        rule::MET | rule::WITHIN | rule::BEYOND => against_target(f),
        rule::NO_VALUE => format!("no value for {}", f.m),
        rule::NEUTRAL => match f.value {
            Some(v) => format!("a neutral measure (neither high nor low is good); {} for {}", typed(v), f.m),
            None => "a neutral measure (neither high nor low is good)".to_string(),
        },
        rule::NO_TARGET => format!("no target for {}", f.m),
        _ => match f.value {
            Some(v) if f.target.is_none() => format!("ongoing, {} reported for {t} with no target to compare with, and no issues", typed(v)),
            _ => format!("ongoing, no issues reported for {t}"),
        },
    };
    format!("{status}: {body}")
}

/// The reason when the officer's status is reported and the engine's differs.
pub(crate) fn officer_disagrees(officer: Status, computed: &str) -> String {
    format!("{officer}: the officer's status; the engine rates it {computed}")
}

fn against_target(f: &Facts) -> String {
    let d = decimals(f);
    let value = typed(f.value.unwrap_or_default());
    let target = f.target.unwrap_or_default();
    let what = match (f.item, f.target_source) {
        (ItemRef::Milestone(_), Some(rule::FROM_TRAJECTORY)) => {
            format!("a trajectory target of {} for {}", typed(target), f.trajectory.map(|p| p.to_string()).unwrap_or_else(|| f.t.to_string()))
        }
        (ItemRef::Milestone(i), Some(rule::FROM_PROFILE)) => {
            let m = &f.plan.milestones[i];
            let from = m.baseline.map(typed).unwrap_or_default();
            let to = m.target.map(typed).unwrap_or_default();
            let bp = m.baseline_period.map(|p| p.to_string()).unwrap_or_default();
            let tp = m.target_period.map(|p| p.to_string()).unwrap_or_default();
            format!("a profiled target of {} for {}, on the line from {from} in {bp} to {to} in {tp}", computed_number(target, d), f.t)
        }
        (ItemRef::Measure(_), Some(rule::FROM_TRAJECTORY)) => {
            format!("a target of {} for {}", typed(target), f.trajectory.map(|p| p.to_string()).unwrap_or_else(|| f.m.to_string()))
        }
        _ => format!("a target of {}", typed(target)),
    };
    let when = match f.item {
        ItemRef::Measure(_) => format!(" for {}", f.m),
        ItemRef::Milestone(_) => String::new(),
    };
    let amber = f
        .amber
        .map(|a| {
            let shown = if f.amber_typed { typed(a) } else { computed_number(a, d) };
            format!(", amber threshold {shown}")
        })
        .unwrap_or_default();
    format!("{value}{when} against {what} ({}{amber})", f.polarity.phrase())
}

/// The precision of the numbers typed for this rating: the most decimals among the value and
/// the target applied, or the profile's ends (at most 3).
fn decimals(f: &Facts) -> usize {
    let typed: Vec<f64> = match f.item {
        ItemRef::Milestone(i) if f.target_source == Some(rule::FROM_PROFILE) => {
            let m = &f.plan.milestones[i];
            [f.value, m.baseline, m.target].into_iter().flatten().collect()
        }
        _ => [f.value, f.target].into_iter().flatten().collect(),
    };
    typed.iter().map(|x| decimals_of(*x)).max().unwrap_or(0).min(3)
}

fn decimals_of(x: f64) -> usize {
    let s = typed(x);
    s.split_once('.').map(|(_, f)| f.len()).unwrap_or(0)
}

/// A number as it was typed: shortest form, at most 6 decimals.
fn typed(x: f64) -> String {
    crate::output::format_number(x)
}

/// A number the engine computed (a profiled target, a default threshold): to the precision of
/// the typed numbers, at least one decimal, trailing zeros dropped.
fn computed_number(x: f64, decimals: usize) -> String {
    if x != 0.0 && (x.abs() >= 1e15 || x.abs() < 1e-6) {
        return format!("{:e}", crate::output::format_number(x).parse::<f64>().unwrap_or(x));
    }
    let places = decimals.max(1);
    let s = format!("{x:.places$}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".to_string() } else { s.to_string() }
}
