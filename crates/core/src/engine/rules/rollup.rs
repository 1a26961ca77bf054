//! Roll-up (issue #16): with `scorecard rate --rollup`, each action and each priority gets a
//! row of its own whose status comes from its milestones' at the same period, as ClearPoint,
//! Spider Impact and SAP Strategy Management roll statuses up to the objective. `[rules]
//! rollup` picks the method:
//!
//! - `worst` (the default): the worst status counted (Red, then Amber, then Green).
//! - `majority`: the most common status counted; a tie goes to the worse.
//! - `score`: the mean of the scores Green 100, Amber 50, Red 0; Green at `rollup_green_at`
//!   (80) or more, Amber at `rollup_amber_at` (50) or more, else Red.
//!
//! `rollup_blue` says how Blue milestones count: `exclude` (the default: left out, and the
//! roll-up is Blue when every milestone is), or as `green`, `amber` or `red`. The row's
//! `status` rolls up the milestones' reported statuses and `computed_status` the engine's.
//!
//! The roll-up is a count over a few hundred rows already rated, so it is plain Rust over the
//! ratings rather than a second query. Actions are numbered in order of first appearance
//! within their priority: action `1/2` is priority 1's second action.

use crate::model::period::Period;
use crate::model::rating::{Comparison, Dot, DotJudgement, Kind, Rating, Ratings};
use crate::model::values::{Polarity, Status};
use crate::read::plan::Plan;
use crate::rules::{Rollup, RollupBlue, Rules};
use std::borrow::Cow;
use std::fmt::Write as _;

/// How many milestones had each status, Green, Amber, Red, Blue (as [`Status::ALL`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts(pub [usize; 4]);

impl Counts {
    fn of(statuses: impl Iterator<Item = Option<Status>>) -> Counts {
        let mut c = Counts::default();
        for s in statuses.flatten() {
            c.0[s as usize] += 1;
        }
        c
    }

    fn total(&self) -> usize {
        self.0.iter().sum()
    }
}

/// The rolled-up status of milestones with these counts, and the score for `score`.
pub fn roll(counts: Counts, rules: &Rules) -> (Option<Status>, Option<f64>) {
    let [g, a, r, b] = counts.0;
    let (g, a, r) = match rules.rollup_blue {
        RollupBlue::Exclude => (g, a, r),
        RollupBlue::Green => (g + b, a, r),
        RollupBlue::Amber => (g, a + b, r),
        RollupBlue::Red => (g, a, r + b),
    };
    let counted = g + a + r;
    if counted == 0 {
        return ((b > 0).then_some(Status::Blue), None);
    }
    match rules.rollup {
        Rollup::Worst => (
            Some(if r > 0 {
                Status::Red
            } else if a > 0 {
                Status::Amber
            } else {
                Status::Green
            }),
            None,
        ),
        Rollup::Majority => {
            // Worse first, so that a tie goes to the worse status.
            let best = [(r, Status::Red), (a, Status::Amber), (g, Status::Green)].into_iter().fold((0, Status::Red), |m, x| {
                if x.0 > m.0 {
                    x
                } else {
                    m
                }
            });
            (Some(best.1), None)
        }
        Rollup::Score => {
            let score = (100.0 * g as f64 + 50.0 * a as f64) / counted as f64;
            let status = if score >= rules.rollup_green_at {
                Status::Green
            } else if score >= rules.rollup_amber_at {
                Status::Amber
            } else {
                Status::Red
            };
            (Some(status), Some(score))
        }
    }
}

/// "Red: worst of 27 milestones (3 Red, 20 Amber, 2 Green; 2 Blue left out)".
pub fn reason(status: Option<Status>, score: Option<f64>, counts: Counts, rules: &Rules, out: &mut String) {
    let [g, a, r, b] = counts.0;
    let n = counts.total();
    out.push_str(status.map(Status::name).unwrap_or("Not rated"));
    out.push_str(": ");
    if n == 0 {
        out.push_str("no milestone rated");
        return;
    }
    let plural = if n == 1 { "" } else { "s" };
    if status == Some(Status::Blue) {
        let _ = write!(out, "all {n} milestone{plural} Blue");
        return;
    }
    match (rules.rollup, score) {
        (Rollup::Worst, _) => {
            let _ = write!(out, "worst of {n} milestone{plural}");
        }
        (Rollup::Majority, _) => {
            let _ = write!(out, "most of {n} milestone{plural}");
        }
        (Rollup::Score, s) => {
            let _ = write!(
                out,
                "score {:.1} over {n} milestone{plural} (Green 100, Amber 50, Red 0; Green from {}, Amber from {})",
                s.unwrap_or_default(),
                rules.rollup_green_at,
                rules.rollup_amber_at
            );
        }
    }
    let _ = write!(out, " ({r} Red, {a} Amber, {g} Green");
    if b > 0 {
        match rules.rollup_blue {
            RollupBlue::Exclude => {
                let _ = write!(out, "; {b} Blue left out)");
            }
            counted => {
                let as_ = match counted {
                    RollupBlue::Green => "Green",
                    RollupBlue::Amber => "Amber",
                    _ => "Red",
                };
                let _ = write!(out, ", {b} Blue counted as {as_})");
            }
        }
    } else {
        out.push(')');
    }
}

/// An action's item id (`1/2`), priority and text.
type Action = (String, String, String);

/// The actions of a plan's milestones: per milestone, the item id of its action (`1/2`), or
/// `None` without one; and each action's (id, priority, text) in order.
fn actions(plan: &Plan) -> (Vec<Option<usize>>, Vec<Action>) {
    let mut list: Vec<Action> = Vec::new();
    let mut of = Vec::with_capacity(plan.milestones.len());
    for m in &plan.milestones {
        let text = m.action.trim();
        if text.is_empty() {
            of.push(None);
            continue;
        }
        let found = list.iter().position(|(_, p, t)| *p == m.priority && t == text);
        let i = found.unwrap_or_else(|| {
            let n = list.iter().filter(|(_, p, _)| *p == m.priority).count() + 1;
            list.push((format!("{}/{n}", m.priority), m.priority.clone(), text.to_string()));
            list.len() - 1
        });
        of.push(Some(i));
    }
    (of, list)
}

fn row(plan: &Plan, period: Period, kind: Kind, item: String, priority: String, title: String, labels: usize) -> Rating<'static> {
    Rating {
        plan: Cow::Owned(plan.name.clone()),
        period,
        kind,
        item: Cow::Owned(item),
        priority: Cow::Owned(priority),
        title: Cow::Owned(title),
        status: None,
        computed_status: None,
        disagrees: false,
        reason: Cow::Owned(String::new()),
        value: None,
        target: None,
        amber_threshold: None,
        polarity: Polarity::Neutral,
        rated_period: period,
        dot: Dot::None,
        dot_judgement: DotJudgement::NotAssessed,
        comparator_value: None,
        benchmarks: Cow::Owned(vec![Comparison { versus: None, gap: None, value: None, period: None, sig: None }; labels]),
        expected_progress: None,
        progress_ratio: None,
        forecast_value: None,
        forecast_status: None,
        forecast_reason: Cow::Owned(String::new()),
        stale: false,
        stale_reason: Cow::Owned(String::new()),
        trend: None,
        trend_judgement: None,
        trend_reason: Cow::Owned(String::new()),
        spc: Default::default(),
        spc_reason: Cow::Owned(String::new()),
    }
}

/// `ratings` (one plan's, at any periods) with each period's action rows and then priority
/// rows after its milestones and measures.
pub fn add_rows(plan: &Plan, ratings: Ratings) -> Ratings {
    let (action_of, actions) = actions(plan);
    let labels = ratings.labels.len();
    let mut rows = Vec::with_capacity(ratings.rows.len());
    let mut it = ratings.rows.into_iter().peekable();
    while let Some(first) = it.next() {
        let period = first.period;
        let mut group = vec![first];
        while it.peek().is_some_and(|r| r.period == period && r.plan == group[0].plan) {
            group.extend(it.next());
        }
        let milestones: Vec<(usize, &Rating)> = group
            .iter()
            .filter(|r| r.kind == Kind::Milestone)
            .filter_map(|r| plan.milestones.iter().position(|m| *m.id == *r.item).map(|i| (i, r)))
            .collect();
        let mut extra = Vec::new();
        let mut push = |kind: Kind, item: String, priority: String, title: String, members: Vec<&Rating>| {
            let reported = Counts::of(members.iter().map(|r| r.status));
            let computed = Counts::of(members.iter().map(|r| r.computed_status));
            let (status, score) = roll(reported, &plan.rules);
            let (computed_status, _) = roll(computed, &plan.rules);
            let mut r = row(plan, period, kind, item, priority, title, labels);
            let mut reason = String::new();
            super::rollup::reason(status, score, reported, &plan.rules, &mut reason);
            r.status = status;
            r.computed_status = computed_status;
            r.disagrees = status != computed_status;
            r.reason = Cow::Owned(reason);
            extra.push(r);
        };
        for (a, (id, priority, text)) in actions.iter().enumerate() {
            let members = milestones.iter().filter(|(i, _)| action_of[*i] == Some(a)).map(|(_, r)| *r).collect();
            push(Kind::Action, id.clone(), priority.clone(), text.clone(), members);
        }
        for p in &plan.priorities {
            let members = milestones.iter().filter(|(i, _)| plan.milestones[*i].priority == p.id).map(|(_, r)| *r).collect();
            push(Kind::Priority, p.id.clone(), p.id.clone(), p.title.clone(), members);
        }
        rows.extend(group);
        rows.extend(extra);
    }
    Ratings { labels: ratings.labels, rows }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(g: usize, a: usize, r: usize, b: usize) -> Counts {
        Counts([g, a, r, b])
    }

    #[test]
    fn worst_takes_the_worst_counted_status() {
        let rules = Rules::default();
        // 5 Green, 2 Amber, 1 Red: one Red makes the action Red.
        assert_eq!(roll(counts(5, 2, 1, 0), &rules).0, Some(Status::Red));
        assert_eq!(roll(counts(5, 2, 0, 3), &rules).0, Some(Status::Amber));
        // Blue left out by default; all Blue is Blue; nothing is not rated.
        assert_eq!(roll(counts(0, 0, 0, 3), &rules).0, Some(Status::Blue));
        assert_eq!(roll(counts(0, 0, 0, 0), &rules).0, None);
        let blue_red = Rules { rollup_blue: RollupBlue::Red, ..Rules::default() };
        assert_eq!(roll(counts(4, 0, 0, 1), &blue_red).0, Some(Status::Red));
    }

    #[test]
    fn majority_takes_the_most_common_and_ties_go_to_the_worse() {
        let rules = Rules { rollup: Rollup::Majority, ..Rules::default() };
        assert_eq!(roll(counts(5, 2, 1, 0), &rules).0, Some(Status::Green));
        // 3 Green, 3 Amber: a tie, Amber.
        assert_eq!(roll(counts(3, 3, 0, 0), &rules).0, Some(Status::Amber));
        // Blue counted as Green: 2 + 2 = 4 Green against 3 Red.
        let blue_green = Rules { rollup_blue: RollupBlue::Green, ..rules };
        assert_eq!(roll(counts(2, 0, 3, 2), &blue_green).0, Some(Status::Green));
    }

    #[test]
    fn score_is_the_mean_of_green_100_amber_50_red_0() {
        let rules = Rules { rollup: Rollup::Score, ..Rules::default() };
        // (100 * 6 + 50 * 3 + 0 * 1) / 10 = 75: below 80, at least 50, so Amber.
        assert_eq!(roll(counts(6, 3, 1, 0), &rules), (Some(Status::Amber), Some(75.0)));
        // (100 * 8 + 50 * 2) / 10 = 90: Green.
        assert_eq!(roll(counts(8, 2, 0, 0), &rules), (Some(Status::Green), Some(90.0)));
        // (100 * 1 + 50 * 1 + 0 * 2) / 4 = 37.5: Red.
        assert_eq!(roll(counts(1, 1, 2, 0), &rules), (Some(Status::Red), Some(37.5)));
        let mut out = String::new();
        reason(Some(Status::Amber), Some(75.0), counts(6, 3, 1, 2), &rules, &mut out);
        assert_eq!(
            out,
            "Amber: score 75.0 over 12 milestones (Green 100, Amber 50, Red 0; Green from 80, Amber from 50) (1 Red, 3 Amber, 6 Green; 2 Blue left out)"
        );
    }
}
