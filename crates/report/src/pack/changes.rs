//! "What changed since the last report": the items whose status moved between the previous
//! reporting period of the same length and this one, as the ratings comparison of
//! `scorecard diff` finds them ([`compare_periods`]), and for a quarterly pack the direction
//! of travel of monthly measures quarter on quarter.

use super::Earlier;
use crate::format::{period_short, with_unit};
use crate::pack::scorecard::judgement_word;
use scorecard_core::{compare_periods, Dot, DotJudgement, Frequency, Kind, Period, Plan, Ratings};

/// An item whose status moved.
#[derive(Debug, Clone)]
pub struct Moved {
    /// Milestone or measure.
    pub kind: Kind,
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// The status it had (`Not rated` for none).
    pub from: String,
    /// The status it has.
    pub to: String,
    /// Why it had it.
    pub reason_before: String,
    /// Why it has it.
    pub reason_now: String,
}

/// A monthly measure's quarter on quarter direction: the quarter's last month against the
/// previous quarter's.
#[derive(Debug, Clone)]
pub struct QuarterOnQuarter {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// `Sep 2023: 61.5%`.
    pub before: String,
    /// `Dec 2023: 63%`.
    pub now: String,
    /// Which way.
    pub dot: Dot,
    /// Whether good news.
    pub judgement: DotJudgement,
    /// `Improving`.
    pub word: &'static str,
}

/// The section.
#[derive(Debug, Clone)]
pub struct Changes {
    /// The previous period: `Nov 2013`.
    pub previous: String,
    /// This period: `Dec 2013`.
    pub current: String,
    /// What the section shows.
    pub intro: String,
    /// The items whose status moved, in plan order.
    pub moved: Vec<Moved>,
    /// The line shown when none moved.
    pub none: String,
    /// For a quarterly pack, its monthly measures quarter on quarter.
    pub quarter_on_quarter: Vec<QuarterOnQuarter>,
}

fn status_word(text: &str) -> String {
    if text.is_empty() {
        "Not rated".into()
    } else {
        text.to_string()
    }
}

pub(super) fn changes(
    plan: &Plan,
    period: Period,
    previous_period: Period,
    current: &Ratings,
    previous: &Ratings,
    earlier: &Earlier,
) -> Changes {
    let diff = compare_periods(previous, current);
    let title = |kind: &str, item: &str| {
        current.rows.iter().find(|r| r.kind.name() == kind && r.item == item).map(|r| r.title.to_string()).unwrap_or_default()
    };
    let moved = diff
        .changes
        .iter()
        .filter(|c| c.old_status != c.new_status)
        .filter(|c| earlier.compares(if c.key.kind == Kind::Milestone.name() { Kind::Milestone } else { Kind::Measure }))
        .map(|c| Moved {
            kind: if c.key.kind == Kind::Milestone.name() { Kind::Milestone } else { Kind::Measure },
            id: c.key.item.clone(),
            title: title(&c.key.kind, &c.key.item),
            from: status_word(&c.old_status),
            to: status_word(&c.new_status),
            reason_before: c.old_reason.clone(),
            reason_now: c.new_reason.clone(),
        })
        .collect();
    let mut quarter_on_quarter = Vec::new();
    if period.frequency == Frequency::Quarterly {
        for r in current.rows.iter().filter(|r| r.kind == Kind::Measure && r.period == period) {
            let Some(measure) = plan.measures.iter().find(|m| m.id == r.item) else { continue };
            if measure.frequency != Frequency::Monthly {
                continue;
            }
            let Some(before) = previous.rows.iter().find(|p| p.kind == Kind::Measure && p.item == r.item) else { continue };
            let (dot, judgement) = DotJudgement::between(measure.polarity, before.value, r.value);
            let unit = measure.unit.trim();
            let at = |p: Period, v: Option<f64>| {
                format!("{}: {}", period_short(p), v.map(|v| with_unit(v, unit)).unwrap_or_else(|| "no value".into()))
            };
            quarter_on_quarter.push(QuarterOnQuarter {
                id: measure.id.clone(),
                title: measure.title.clone(),
                before: at(before.rated_period, before.value),
                now: at(r.rated_period, r.value),
                dot,
                judgement,
                word: judgement_word(judgement),
            });
        }
    }
    let before = if !earlier.milestones && !plan.milestones.is_empty() {
        format!(
            "The plan has no milestone updates for {}, so its milestones are not compared with the previous report. ",
            period_short(previous_period)
        )
    } else {
        String::new()
    };
    let intro = format!(
        "{before}Each item's status at the previous report ({}) is shown under its status now ({}) in the tables below. These items' status moved:",
        period_short(previous_period),
        period_short(period)
    );
    Changes {
        previous: period_short(previous_period),
        current: period_short(period),
        intro,
        moved,
        none: format!("{before}No item's status moved since the previous report ({}).", period_short(previous_period)),
        quarter_on_quarter,
    }
}
