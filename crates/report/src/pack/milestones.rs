//! "Delivery milestones by priority": one block per priority with its counts and its
//! milestones grouped by action.

use super::Earlier;
use crate::counts::{Counts, Overview};
use crate::format::{date_uk, period_short};
use scorecard_core::{Kind, Period, Plan, Rating, Ratings, Status};
use std::collections::HashMap;

/// One milestone's row.
#[derive(Debug, Clone)]
pub struct MilestoneRow {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its lead officer.
    pub lead: String,
    /// The row above (in the same action) names the same lead.
    pub lead_as_above: bool,
    /// Its due date (`31/03/2014`), or empty.
    pub due: String,
    /// The reported status.
    pub status: Option<Status>,
    /// When the officer's status differs from the rules': (officer's, rules').
    pub disagreement: Option<(Option<Status>, Option<Status>)>,
    /// Why.
    pub reason: String,
    /// The update's commentary for the period; `None`: no update.
    pub commentary: Option<String>,
    /// The status at the previous report: `None` without one; `Some(None)`: not in it.
    pub was: Option<Option<Option<Status>>>,
}

/// The milestones of one action (`action` empty: none given).
#[derive(Debug, Clone)]
pub struct ActionGroup {
    /// The action's text, or empty.
    pub action: String,
    /// Its milestones, in file order.
    pub rows: Vec<MilestoneRow>,
}

/// One priority's block.
#[derive(Debug, Clone)]
pub struct PriorityBlock {
    /// Anchor: `priority-1`.
    pub anchor: String,
    /// `Priority 1: Keep children safe`.
    pub heading: String,
    /// The priority's id.
    pub id: String,
    /// Its strategic lead, or empty.
    pub strategic_lead: String,
    /// Its counts, from the overview.
    pub counts: Option<Counts>,
    /// Its rolled-up status, when the ratings hold roll-up rows (`--rollup`, issue #16):
    /// `Some(None)` is a roll-up with no status.
    pub rolled_up: Option<Option<Status>>,
    /// The roll-up's reason (`Red: worst of 52 milestones …`), or empty without roll-up rows.
    pub rolled_up_reason: String,
    /// The table's caption.
    pub caption: String,
    /// The update column's heading: `Update (Dec 2013)`.
    pub update_heading: String,
    /// The previous report's period (`Nov 2013`), when the rows show their earlier status.
    pub previous: Option<String>,
    /// Its milestones by action.
    pub actions: Vec<ActionGroup>,
}

/// The text of a missing commentary.
pub const NO_UPDATE: &str = "No update for this period";

pub(super) fn priorities(plan: &Plan, period: Period, ratings: &Ratings, overview: &Overview, earlier: &Earlier) -> Vec<PriorityBlock> {
    // Every lookup below is by a map built once, so the section is linear in the plan's size
    // (issue #12: a search per row took minutes on 100,000 milestones).
    let index: HashMap<&str, usize> = plan.milestones.iter().enumerate().rev().map(|(i, m)| (m.id.as_str(), i)).collect();
    let mut by_priority: HashMap<&str, Vec<(usize, &Rating)>> = HashMap::new();
    for r in ratings.rows.iter().filter(|r| r.kind == Kind::Milestone && r.period == period) {
        if let Some(i) = index.get(&*r.item) {
            by_priority.entry(&*r.priority).or_default().push((*i, r));
        }
    }
    // Each milestone's update note for the period: its commentary, or what an update without
    // one holds ("No commentary; issues flagged").
    let mut said: HashMap<usize, String> = HashMap::new();
    for u in plan.updates.iter().filter(|u| u.period == period) {
        if let Some(note) = u.note() {
            said.entry(u.milestone).or_insert(note);
        }
    }
    let mut rolled_up: HashMap<&str, (Option<Status>, &str)> = HashMap::new();
    for r in ratings.rows.iter().filter(|r| r.kind == Kind::Priority && r.period == period) {
        rolled_up.entry(&*r.item).or_insert((r.status, &*r.reason));
    }
    let counts: HashMap<&str, Counts> = overview.rows.iter().rev().map(|r| (r.id.as_str(), r.counts)).collect();
    let mut out = Vec::new();
    for (n, priority) in plan.priorities.iter().enumerate() {
        let Some(items) = by_priority.get(priority.id.as_str()) else { continue };
        let heading = if priority.title.is_empty() {
            format!("Priority {}", priority.id)
        } else {
            format!("Priority {}: {}", priority.id, priority.title)
        };
        let mut actions = Vec::new();
        let mut start = 0;
        while start < items.len() {
            let action = plan.milestones[items[start].0].action.as_str();
            let end = start + items[start..].iter().take_while(|(i, _)| plan.milestones[*i].action == action).count();
            let rows = (start..end)
                .map(|k| {
                    let (index, r) = items[k];
                    let m = &plan.milestones[index];
                    let same = k > start && !m.lead.is_empty() && plan.milestones[items[k - 1].0].lead == m.lead;
                    let commentary = said.get(&index).filter(|c| !c.is_empty()).cloned();
                    MilestoneRow {
                        id: m.id.clone(),
                        title: m.title.clone(),
                        lead: m.lead.clone(),
                        lead_as_above: same,
                        due: m.due.map(date_uk).unwrap_or_default(),
                        status: r.status,
                        disagreement: r.disagrees.then_some((r.status, r.computed_status)),
                        reason: r.reason.to_string(),
                        commentary,
                        was: earlier.was(r),
                    }
                })
                .collect();
            actions.push(ActionGroup { action: action.to_string(), rows });
            start = end;
        }
        out.push(PriorityBlock {
            anchor: format!("priority-{}", n + 1),
            heading,
            id: priority.id.clone(),
            strategic_lead: priority.strategic_lead.clone(),
            counts: counts.get(priority.id.as_str()).copied(),
            rolled_up: rolled_up.get(priority.id.as_str()).map(|r| r.0),
            rolled_up_reason: rolled_up.get(priority.id.as_str()).map(|r| r.1.to_string()).unwrap_or_default(),
            caption: format!("Delivery milestones of priority {} at {}", priority.id, period_short(period)),
            update_heading: format!("Update ({})", period_short(period)),
            previous: earlier.label.clone(),
            actions,
        });
    }
    out
}
