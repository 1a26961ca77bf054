//! "Exceptions": every Red item and every item whose status got worse since the previous
//! report, first in the pack so that members see them before anything else.

use super::Earlier;
use crate::format::{append_unit, date_uk, number_like, with_unit};
use scorecard_core::{Kind, Plan, Rating, Status};

/// Whether an item is an exception: Red now, or worse than at the previous report. The one
/// predicate every format lists by; a new reason to list an item (a stale value, say) is one
/// more `||` here.
pub fn is_exception(current: &Rating, previous: Option<&Rating>) -> bool {
    let worse = matches!((current.status, previous.and_then(|p| p.status)), (Some(now), Some(before)) if now.worse_than(before));
    current.status == Some(Status::Red) || worse
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

pub(super) fn exceptions(plan: &Plan, current: &[&Rating], earlier: &Earlier) -> Exceptions {
    let mut rows = Vec::new();
    for r in current {
        let before = earlier.get(r);
        if !is_exception(r, before) {
            continue;
        }
        let was = before.and_then(|b| b.status).filter(|b| Some(*b) != r.status);
        let (commentary, lead, due, latest) = match r.kind {
            Kind::Milestone => {
                let index = plan.milestones.iter().position(|m| m.id == r.item);
                let m = index.map(|i| &plan.milestones[i]);
                let commentary = index
                    .and_then(|i| plan.updates.iter().find(|u| u.milestone == i && u.period == r.period))
                    .map(|u| u.commentary.trim().to_string())
                    .unwrap_or_default();
                (
                    commentary,
                    m.map(|m| m.lead.clone()).unwrap_or_default(),
                    m.and_then(|m| m.due).map(date_uk).unwrap_or_default(),
                    String::new(),
                )
            }
            Kind::Measure => {
                let unit = plan.measures.iter().find(|m| m.id == r.item).map(|m| m.unit.trim()).unwrap_or("");
                let latest = match (r.value, r.target) {
                    (Some(v), Some(t)) => {
                        format!("{} against a target of {}", with_unit(v, unit), append_unit(&number_like(t, Some(v)), unit))
                    }
                    (Some(v), None) => with_unit(v, unit),
                    (None, _) => "No value".into(),
                };
                (String::new(), String::new(), String::new(), latest)
            }
        };
        rows.push(Exception {
            kind: r.kind,
            id: r.item.to_string(),
            title: r.title.to_string(),
            status: r.status,
            was,
            reason: r.reason.to_string(),
            commentary,
            lead,
            due,
            latest,
        });
    }
    let intro = match earlier.label.as_deref() {
        Some(p) => format!("Every item that is Red, or whose status is worse than at the previous report ({p})."),
        None => "Every item that is Red.".to_string(),
    };
    Exceptions { intro, rows, none: "There are no exceptions: no item is Red and none got worse since the previous report.".into() }
}
