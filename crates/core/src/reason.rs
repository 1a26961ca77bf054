//! Reasons: each rating worded so a member can read why it is what it is.
//!
//! "Red: 20.4 against a trajectory target of 18.5 for 2013/14 Q2 (low is good, amber threshold
//! 19.4)". Numbers are shown to the precision they were typed with.

use crate::period::Period;
use crate::plan::{ItemRef, Plan};
use crate::rate::rule;
use crate::values::{Polarity, Status};
use std::fmt::Write as _;

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

/// The start of the reason when the officer's status is reported and the engine's differs;
/// the engine's own reason ([`computed_into`]) follows.
pub(crate) fn officer_disagrees(officer: Status, out: &mut String) {
    let _ = write!(out, "{officer}: the officer's status; the engine rates it ");
}

/// Period labels and a number buffer reused from reason to reason: wording a million reasons
/// then formats each period once and allocates nothing per reason.
#[derive(Debug, Default)]
pub(crate) struct Words {
    labels: crate::output::PeriodLabels,
    number: String,
}

/// The engine's reason for its own rating, appended to `out`.
pub(crate) fn computed_into(f: &Facts, words: &mut Words, out: &mut String) {
    let status = f.computed.map(Status::name).unwrap_or("Not rated");
    out.push_str(status);
    out.push_str(": ");
    let t = f.t;
    match f.rule {
        rule::NO_UPDATE => {
            out.push_str("no update for ");
            out.push_str(words.labels.get(t));
        }
        rule::EMPTY_UPDATE => {
            out.push_str("the update for ");
            out.push_str(words.labels.get(t));
            out.push_str(" is empty (no value, flag, status or commentary)");
        }
        rule::COMPLETE => {
            out.push_str("marked complete in the update for ");
            out.push_str(words.labels.get(t));
        }
        rule::ISSUES => {
            out.push_str("issues flagged in the update for ");
            out.push_str(words.labels.get(t));
        }
        rule::OVERDUE => {
            out.push_str("due ");
            if let ItemRef::Milestone(i) = f.item {
                if let Some(d) = f.plan.milestones[i].due {
                    let _ = write!(out, "{}", d.format("%d/%m/%Y"));
                }
            }
            out.push_str(", passed by the end of ");
            out.push_str(words.labels.get(t));
            out.push_str(", and not complete");
        }
        rule::MET | rule::WITHIN | rule::BEYOND => against_target(f, words, out),
        rule::NO_VALUE => {
            out.push_str("no value for ");
            out.push_str(words.labels.get(f.m));
        }
        rule::NEUTRAL => {
            out.push_str("a neutral measure (neither high nor low is good)");
            if let Some(v) = f.value {
                out.push_str("; ");
                typed(v, out);
                out.push_str(" for ");
                out.push_str(words.labels.get(f.m));
            }
        }
        rule::NO_TARGET => {
            out.push_str("no target for ");
            out.push_str(words.labels.get(f.m));
        }
        _ => match f.value {
            Some(v) if f.target.is_none() => {
                out.push_str("ongoing, ");
                typed(v, out);
                out.push_str(" reported for ");
                out.push_str(words.labels.get(t));
                out.push_str(" with no target to compare with, and no issues");
            }
            _ => {
                out.push_str("ongoing, no issues reported for ");
                out.push_str(words.labels.get(t));
            }
        },
    }
}

fn against_target(f: &Facts, words: &mut Words, out: &mut String) {
    let d = decimals(f, &mut words.number);
    typed(f.value.unwrap_or_default(), out);
    if let ItemRef::Measure(_) = f.item {
        out.push_str(" for ");
        out.push_str(words.labels.get(f.m));
    }
    out.push_str(" against ");
    let target = f.target.unwrap_or_default();
    match (f.item, f.target_source) {
        (ItemRef::Milestone(_), Some(rule::FROM_TRAJECTORY)) => {
            out.push_str("a trajectory target of ");
            typed(target, out);
            out.push_str(" for ");
            out.push_str(words.labels.get(f.trajectory.unwrap_or(f.t)));
        }
        (ItemRef::Milestone(i), Some(rule::FROM_PROFILE)) => {
            let m = &f.plan.milestones[i];
            out.push_str("a profiled target of ");
            computed_number(target, d, out);
            out.push_str(" for ");
            out.push_str(words.labels.get(f.t));
            out.push_str(", on the line from ");
            if let Some(b) = m.baseline {
                typed(b, out);
            }
            out.push_str(" in ");
            if let Some(p) = m.baseline_period {
                out.push_str(words.labels.get(p));
            }
            out.push_str(" to ");
            if let Some(t) = m.target {
                typed(t, out);
            }
            out.push_str(" in ");
            if let Some(p) = m.target_period {
                out.push_str(words.labels.get(p));
            }
        }
        (ItemRef::Measure(_), Some(rule::FROM_TRAJECTORY)) => {
            out.push_str("a target of ");
            typed(target, out);
            out.push_str(" for ");
            out.push_str(words.labels.get(f.trajectory.unwrap_or(f.m)));
        }
        _ => {
            out.push_str("a target of ");
            typed(target, out);
        }
    }
    out.push_str(" (");
    out.push_str(f.polarity.phrase());
    if let Some(a) = f.amber {
        out.push_str(", amber threshold ");
        if f.amber_typed {
            typed(a, out);
        } else {
            computed_number(a, d, out);
        }
    }
    out.push(')');
}

/// The precision of the numbers typed for this rating: the most decimals among the value and
/// the target applied, or the profile's ends (at most 3).
fn decimals(f: &Facts, buffer: &mut String) -> usize {
    let typed_numbers: [Option<f64>; 3] = match f.item {
        ItemRef::Milestone(i) if f.target_source == Some(rule::FROM_PROFILE) => {
            let m = &f.plan.milestones[i];
            [f.value, m.baseline, m.target]
        }
        _ => [f.value, f.target, None],
    };
    typed_numbers.into_iter().flatten().map(|x| decimals_of(x, buffer)).max().unwrap_or(0).min(3)
}

fn decimals_of(x: f64, buffer: &mut String) -> usize {
    if let Some(places) = crate::output::decimals_written(x) {
        return places;
    }
    buffer.clear();
    typed(x, buffer);
    buffer.split_once('.').map(|(_, f)| f.len()).unwrap_or(0)
}

/// A number as it was typed: shortest form, at most 6 decimals.
fn typed(x: f64, out: &mut String) {
    crate::output::write_number(x, out)
}

/// A number the engine computed (a profiled target, a default threshold): to the precision of
/// the typed numbers, at least one decimal, trailing zeros dropped.
fn computed_number(x: f64, decimals: usize, out: &mut String) {
    if x != 0.0 && (x.abs() >= 1e15 || x.abs() < 1e-6) {
        let _ = write!(out, "{:e}", crate::output::format_number(x).parse::<f64>().unwrap_or(x));
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
