//! "Delivery milestones by priority": one block per priority with its counts and its
//! milestones grouped by action.

use super::Earlier;
use crate::counts::{Counts, Overview};
use crate::format::{date_uk, period_short};
use scorecard_core::{Kind, Period, Plan, Rating, Ratings, Status};

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
    pub disagreement: Option<(&'static str, &'static str)>,
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
    let mut out = Vec::new();
    for (n, priority) in plan.priorities.iter().enumerate() {
        let rows: Vec<&Rating> =
            ratings.rows.iter().filter(|r| r.kind == Kind::Milestone && r.period == period && r.priority == priority.id).collect();
        if rows.is_empty() {
            continue;
        }
        let heading = if priority.title.is_empty() {
            format!("Priority {}", priority.id)
        } else {
            format!("Priority {}: {}", priority.id, priority.title)
        };
        let items: Vec<(usize, &Rating)> =
            rows.into_iter().filter_map(|r| plan.milestones.iter().position(|m| m.id == r.item).map(|i| (i, r))).collect();
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
                    let commentary = plan
                        .updates
                        .iter()
                        .find(|u| u.milestone == index && u.period == period)
                        .map(|u| u.commentary.trim())
                        .filter(|c| !c.is_empty())
                        .map(str::to_string);
                    MilestoneRow {
                        id: m.id.clone(),
                        title: m.title.clone(),
                        lead: m.lead.clone(),
                        lead_as_above: same,
                        due: m.due.map(date_uk).unwrap_or_default(),
                        status: r.status,
                        disagreement: r
                            .disagrees
                            .then(|| (r.status.map(|s| s.name()).unwrap_or("none"), r.computed_status.map(|s| s.name()).unwrap_or("none"))),
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
            counts: overview.rows.iter().find(|r| r.id == priority.id).map(|r| r.counts),
            caption: format!("Delivery milestones of priority {} at {}", priority.id, period_short(period)),
            update_heading: format!("Update ({})", period_short(period)),
            previous: earlier.label.clone(),
            actions,
        });
    }
    out
}
