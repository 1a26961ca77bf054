//! "Exceptions": every Red item and every item whose status got worse since the previous
//! report, first in the pack so that members see them before anything else.

use super::Earlier;
use crate::counts::MeasureFacts;
use crate::format::{date_uk, fixed_unit, row_decimals, with_unit};
use scorecard_core::{Kind, Period, Plan, Rating, Status};
use std::collections::HashMap;

/// Whether an item is an exception: Red or stale now (core's [`Rating::is_exception`], issue
/// #16), or worse than at the previous report. The one predicate every format lists by; a new
/// reason to list an item is one more `||` here.
pub fn is_exception(current: &Rating, previous: Option<&Rating>) -> bool {
    let worse = matches!((current.status, previous.and_then(|p| p.status)), (Some(now), Some(before)) if now.worse_than(before));
    current.is_exception() || worse
}

/// One exception.
#[derive(Debug, Clone)]
pub struct Exception {
    /// Milestone or measure.
    pub kind: Kind,
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its status now.
    pub status: Option<Status>,
    /// Its status at the previous report, when it had one and it differs: `was Amber`.
    pub was: Option<Status>,
    /// Why.
    pub reason: String,
    /// The officer's commentary for the period, or empty.
    pub commentary: String,
    /// The lead officer, or empty.
    pub lead: String,
    /// The due date (`31/03/2014`), or empty.
    pub due: String,
    /// For a measure: the latest value against its target (`61.5% against a target of 65%`).
    pub latest: String,
}

/// The exceptions section.
#[derive(Debug, Clone)]
pub struct Exceptions {
    /// What the section lists.
    pub intro: String,
    /// The exceptions, milestones first, in plan order.
    pub rows: Vec<Exception>,
    /// The line shown when there are none.
    pub none: String,
}

pub(super) fn exceptions(plan: &Plan, current: &[&Rating], earlier: &Earlier, facts: &[MeasureFacts]) -> Exceptions {
    let mut rows = Vec::new();
    // A measure's figures to the decimals of its scorecard row (issue #15), so that the same
    // value reads the same in both sections.
    let decimals: HashMap<usize, usize> = facts.iter().map(|f| (f.index, f.decimals())).collect();
    // Items by id and the period's commentary by milestone, indexed once (issue #12).
    let milestones: HashMap<&str, usize> = plan.milestones.iter().enumerate().rev().map(|(i, m)| (m.id.as_str(), i)).collect();
    let measures: HashMap<&str, usize> = plan.measures.iter().enumerate().rev().map(|(i, m)| (m.id.as_str(), i)).collect();
    let mut said: HashMap<(usize, Period), &str> = HashMap::new();
    for u in &plan.updates {
        said.entry((u.milestone, u.period)).or_insert(u.commentary.trim());
    }
    let mut noted: HashMap<(usize, Period), &str> = HashMap::new();
    for v in &plan.values {
        noted.entry((v.measure, v.period)).or_insert(v.commentary.trim());
    }
    for r in current {
        // Roll-up rows (issue #16) are summaries of milestones listed here in their own right;
        // their status is in each priority's heading.
        if matches!(r.kind, Kind::Action | Kind::Priority) {
            continue;
        }
        let before = earlier.get(r);
        if !is_exception(r, before) {
            continue;
        }
        let was = before.and_then(|b| b.status).filter(|b| Some(*b) != r.status);
        let (commentary, lead, due, latest) = match r.kind {
            Kind::Milestone => {
                let index = milestones.get(&*r.item).copied();
                let m = index.map(|i| &plan.milestones[i]);
                let commentary = index.and_then(|i| said.get(&(i, r.period))).map(|c| c.to_string()).unwrap_or_default();
                (
                    commentary,
                    m.map(|m| m.lead.clone()).unwrap_or_default(),
                    m.and_then(|m| m.due).map(date_uk).unwrap_or_default(),
                    String::new(),
                )
            }
            Kind::Action | Kind::Priority => continue,
            Kind::Measure => {
                let index = measures.get(&*r.item).copied();
                let measure = index.map(|i| &plan.measures[i]);
                let unit = measure.map(|m| m.unit.trim()).unwrap_or("");
                let row_dp = index.and_then(|i| decimals.get(&i).copied());
                let latest = match (r.value, r.target) {
                    (Some(v), Some(t)) => {
                        // The same decimals for both, the scorecard row's (issue #15): 62.4%
                        // against 65.0%; the two's own for a measure the scorecard leaves out.
                        let dp = row_dp.unwrap_or_else(|| row_decimals([v, t]));
                        format!("{} against a target of {}", fixed_unit(v, dp, unit), fixed_unit(t, dp, unit))
                    }
                    (Some(v), None) => row_dp.map(|dp| fixed_unit(v, dp, unit)).unwrap_or_else(|| with_unit(v, unit)),
                    (None, _) => "No value".into(),
                };
                // The measure's commentary for its rated period (values.csv) and its lead
                // (measures.csv), issue #15.
                let commentary = index.and_then(|i| noted.get(&(i, r.rated_period))).map(|c| c.to_string()).unwrap_or_default();
                (commentary, measure.map(|m| m.lead.clone()).unwrap_or_default(), String::new(), latest)
            }
        };
        rows.push(Exception {
            kind: r.kind,
            id: r.item.to_string(),
            title: r.title.to_string(),
            status: r.status,
            was,
            // A stale item says when it was last updated (issue #16).
            reason: if r.stale && !r.stale_reason.is_empty() { format!("{}; {}", r.reason, r.stale_reason) } else { r.reason.to_string() },
            commentary,
            lead,
            due,
            latest,
        });
    }
    let intro = match earlier.label.as_deref() {
        Some(p) => format!(
            "Every item that is Red or whose last update is out of date, or whose status is worse than at the previous report ({p})."
        ),
        None => "Every item that is Red or whose last update is out of date.".to_string(),
    };
    Exceptions { intro, rows, none: "There are no exceptions: no item is Red and none got worse since the previous report.".into() }
}
