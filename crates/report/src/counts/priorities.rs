//! The priority overview's counts (README, "The overview table and the members' report"):
//! the reported status counted per priority, and a Total row. How the table is written (Markdown, CSV, JSON, HTML) is in
//! [`crate::overview`].
//!
//! A plan with milestones counts its **milestones** per priority (its measures have their own
//! scorecard). A plan with no milestones counts its **measures** per group; a measure that is
//! not rated (neutral, or no target) is counted in a "Not rated" column, outside Green to
//! Blue, the Total and the percentages. Percentages are whole numbers rounded half up, of the
//! Total; blank when the Total is 0.

use scorecard_core::{Kind, Labels, Period, Plan, Ratings, Status};
use std::collections::{HashMap, HashSet};

/// What the overview counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counted {
    /// Delivery milestones, per priority.
    Milestones,
    /// Measures, per group (a plan without milestones).
    Measures,
}

impl Counted {
    /// `milestones` or `measures`.
    pub fn name(self) -> &'static str {
        match self {
            Counted::Milestones => "milestones",
            Counted::Measures => "measures",
        }
    }

    /// The first column's heading: `Priority` or `Group`.
    pub fn heading(self) -> &'static str {
        match self {
            Counted::Milestones => "Priority",
            Counted::Measures => "Group",
        }
    }
}

/// Counts of each status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Green.
    pub green: usize,
    /// Amber.
    pub amber: usize,
    /// Red.
    pub red: usize,
    /// Blue.
    pub blue: usize,
    /// Not rated (measures only): outside the total.
    pub not_rated: usize,
}

impl Counts {
    /// Counts one item's status.
    pub fn add(&mut self, status: Option<Status>) {
        match status {
            Some(Status::Green) => self.green += 1,
            Some(Status::Amber) => self.amber += 1,
            Some(Status::Red) => self.red += 1,
            Some(Status::Blue) => self.blue += 1,
            None => self.not_rated += 1,
        }
    }

    /// The count of `status`.
    pub fn get(&self, status: Status) -> usize {
        match status {
            Status::Green => self.green,
            Status::Amber => self.amber,
            Status::Red => self.red,
            Status::Blue => self.blue,
        }
    }

    /// Green + Amber + Red + Blue.
    pub fn total(&self) -> usize {
        self.green + self.amber + self.red + self.blue
    }

    /// `status` as a whole percentage of the total (half up); `None` when the total is 0.
    pub fn percent(&self, status: Status) -> Option<usize> {
        let total = self.total();
        (total > 0).then(|| (200 * self.get(status) + total) / (2 * total))
    }

    fn plus(mut self, other: &Counts) -> Counts {
        self.green += other.green;
        self.amber += other.amber;
        self.red += other.red;
        self.blue += other.blue;
        self.not_rated += other.not_rated;
        self
    }
}

/// One priority (or group) of the overview.
#[derive(Debug, Clone, PartialEq)]
pub struct OverviewRow {
    /// The priority's id or the group's name.
    pub id: String,
    /// The priority's title (empty for a group without one).
    pub title: String,
    /// Its counts.
    pub counts: Counts,
    /// Its rolled-up status, when the ratings hold roll-up rows (`--rollup`, issue #16).
    pub status: Option<Status>,
}

/// The overview table of one plan at one period.
#[derive(Debug, Clone, PartialEq)]
pub struct Overview {
    /// The plan's folder name.
    pub plan: String,
    /// The plan's title.
    pub plan_title: String,
    /// The reporting period.
    pub period: Period,
    /// Milestones or measures.
    pub counted: Counted,
    /// The counts are of the engine's status alone (`--computed`), not the reported one.
    pub computed: bool,
    /// One row per priority or group, in plan order.
    pub rows: Vec<OverviewRow>,
    /// The Total row.
    pub total: Counts,
    /// The ratings hold roll-up rows: the table has a Status column (issue #16).
    pub rollup: bool,
    /// How the plan names the statuses (`plan.toml` `[labels]`).
    pub labels: Labels,
}

impl Overview {
    /// Counts `ratings` (the plan rated at `period`) per priority or group.
    ///
    /// Only rows of `period` are counted; the status counted is `status`, which is the
    /// officer's where given unless the ratings were made with `computed_only`.
    pub fn new(plan: &Plan, period: Period, ratings: &Ratings) -> Overview {
        let counted = if plan.milestones.is_empty() { Counted::Measures } else { Counted::Milestones };
        let kind = match counted {
            Counted::Milestones => Kind::Milestone,
            Counted::Measures => Kind::Measure,
        };
        let mut order: Vec<String> = match counted {
            Counted::Milestones => plan.priorities.iter().map(|p| p.id.clone()).collect(),
            Counted::Measures => {
                // Sets and maps rather than searches: linear in the plan's size (issue #12).
                let groups: HashSet<&str> = plan.measures.iter().map(|m| m.group.as_str()).collect();
                let mut order: Vec<String> =
                    plan.priorities.iter().filter(|p| groups.contains(p.id.as_str())).map(|p| p.id.clone()).collect();
                let mut seen: HashSet<String> = order.iter().cloned().collect();
                for m in &plan.measures {
                    if seen.insert(m.group.clone()) {
                        order.push(m.group.clone());
                    }
                }
                order
            }
        };
        let mut at_of: HashMap<String, usize> = HashMap::new();
        for (i, o) in order.iter().enumerate() {
            at_of.entry(o.clone()).or_insert(i);
        }
        let mut counts: Vec<Counts> = vec![Counts::default(); order.len()];
        for r in ratings.rows.iter().filter(|r| r.kind == kind && r.period == period) {
            let priority: &str = &r.priority;
            let at = match at_of.get(priority) {
                Some(i) => *i,
                None => {
                    order.push(priority.to_owned());
                    counts.push(Counts::default());
                    at_of.insert(priority.to_owned(), order.len() - 1);
                    order.len() - 1
                }
            };
            counts[at].add(r.status);
        }
        let mut titles: HashMap<&str, &str> = HashMap::new();
        for p in &plan.priorities {
            titles.entry(p.id.as_str()).or_insert(p.title.as_str());
        }
        // Each priority's roll-up status (`rate --rollup`), found once rather than per priority.
        let mut rolled_up: HashMap<&str, Option<Status>> = HashMap::new();
        for r in ratings.rows.iter().filter(|r| r.kind == Kind::Priority && r.period == period) {
            rolled_up.entry(&r.item).or_insert(r.status);
        }
        let rows: Vec<OverviewRow> = order
            .into_iter()
            .zip(counts)
            .map(|(id, counts)| {
                let title = titles.get(id.as_str()).map(|t| t.to_string()).unwrap_or_default();
                let status = rolled_up.get(id.as_str()).copied().flatten();
                OverviewRow { id, title, counts, status }
            })
            .collect();
        let total = rows.iter().fold(Counts::default(), |acc, r| acc.plus(&r.counts));
        let rollup = counted == Counted::Milestones && ratings.rows.iter().any(|r| r.kind == Kind::Priority && r.period == period);
        Overview {
            plan: plan.name.clone(),
            plan_title: plan.title.clone(),
            period,
            counted,
            computed: false,
            rows,
            total,
            rollup,
            labels: plan.labels.clone(),
        }
    }

    /// Whether the "Not rated" column is shown: only when some measure is not rated.
    pub fn shows_not_rated(&self) -> bool {
        self.total.not_rated > 0
    }

    /// Whether any row has a title (the table then has a Title column).
    pub(crate) fn shows_titles(&self) -> bool {
        self.rows.iter().any(|r| !r.title.is_empty())
    }

    /// `reported` or `computed`.
    pub fn basis(&self) -> &'static str {
        if self.computed {
            "computed"
        } else {
            "reported"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_round_half_up_and_blank_without_a_total() {
        let c = Counts { green: 26, amber: 121, red: 7, blue: 2, not_rated: 3 };
        assert_eq!(c.total(), 156);
        let p: Vec<_> = Status::ALL.iter().map(|s| c.percent(*s)).collect();
        assert_eq!(p, vec![Some(17), Some(78), Some(4), Some(1)]);
        assert_eq!(Counts { green: 1, amber: 1, ..Default::default() }.percent(Status::Green), Some(50));
        assert_eq!(Counts { green: 1, amber: 7, ..Default::default() }.percent(Status::Green), Some(13)); // 12.5
        assert_eq!(Counts::default().percent(Status::Red), None);
    }
}
