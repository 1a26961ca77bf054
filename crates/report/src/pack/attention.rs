//! "Significantly worse and getting worse" (issue #13, Fingertips' red-red): the measures
//! worse than a benchmark whose recent trend is getting worse. Left out of the pack when no
//! measure qualifies.

use crate::counts::MeasureFacts;
use crate::format::{label_title, period_short};
use scorecard_core::{Period, Plan, TrendJudgement, Versus};

/// One measure worse and getting worse.
#[derive(Debug, Clone)]
pub struct AttentionRow {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// The benchmarks it is worse than, with the level: `England, 99.8%; Region`.
    pub worse_than: String,
    /// The recent trend's reason.
    pub trend: String,
}

/// The section.
#[derive(Debug, Clone)]
pub struct Attention {
    /// What the section lists.
    pub intro: String,
    /// The table's caption.
    pub caption: String,
    /// The measures, in scorecard order.
    pub rows: Vec<AttentionRow>,
}

/// The section, `None` when no measure qualifies.
pub(super) fn attention(plan: &Plan, period: Period, labels: &[String], measures: &[MeasureFacts]) -> Option<Attention> {
    let mut rows = Vec::new();
    for m in measures {
        let r = &m.rating;
        if r.trend_judgement != Some(TrendJudgement::GettingWorse) {
            continue;
        }
        let worse: Vec<String> = r
            .benchmarks
            .iter()
            .enumerate()
            .filter(|(_, c)| c.versus == Some(Versus::Worse))
            .map(|(i, c)| {
                let level = c.sig.map(|l| format!(", {}%", l.name())).unwrap_or_default();
                let name = labels.get(i).map(|l| label_title(l.as_str())).unwrap_or_default();
                format!("{name}{level}")
            })
            .collect();
        if worse.is_empty() {
            continue;
        }
        let measure = &plan.measures[m.index];
        rows.push(AttentionRow {
            id: measure.id.clone(),
            title: measure.title.clone(),
            worse_than: worse.join("; "),
            trend: r.trend_reason.to_string(),
        });
    }
    if rows.is_empty() {
        return None;
    }
    Some(Attention {
        intro: format!("Measures worse than a benchmark at {} (beyond the value's confidence interval where it has one) whose recent trend over their last five values is getting worse.", period_short(period)),
        caption: format!("Worse and getting worse at {}", period_short(period)),
        rows,
    })
}
