//! "Statistical process control" (issue #13): per measure, its variation and assurance with
//! the reason, then its XmR chart.

use crate::counts::MeasureFacts;
use scorecard_core::{Plan, SpcAssurance, SpcVariation};

/// One measure's row.
#[derive(Debug, Clone)]
pub struct SpcRow {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// What the latest point shows.
    pub variation: Option<SpcVariation>,
    /// Whether the limits put the target in reach.
    pub assurance: Option<SpcAssurance>,
    /// The measure has a target.
    pub has_target: bool,
    /// Why.
    pub reason: String,
}

/// The section.
#[derive(Debug, Clone)]
pub struct SpcSection {
    /// What the section shows.
    pub intro: String,
    /// How to read the XmR charts (after the table, before the charts).
    pub charts_intro: String,
    /// The table's caption.
    pub caption: String,
    /// One row per measure, in scorecard order.
    pub rows: Vec<SpcRow>,
    /// The XmR charts, indexes into [`super::Pack::charts`].
    pub charts: Vec<usize>,
}

/// The words of an assurance, for people.
pub fn assurance_words(a: Option<SpcAssurance>, has_target: bool) -> &'static str {
    match a {
        Some(SpcAssurance::ConsistentlyPassing) => "Consistently passing the target",
        Some(SpcAssurance::ConsistentlyFailing) => "Consistently failing the target",
        Some(SpcAssurance::HitAndMiss) => "Hit and miss: the target is inside the limits",
        None if has_target => "Not assessed",
        None => "No target",
    }
}

pub(super) fn spc(plan: &Plan, measures: &[MeasureFacts], charts: Vec<usize>) -> SpcSection {
    let rows = measures
        .iter()
        .map(|m| {
            let measure = &plan.measures[m.index];
            let r = &m.rating;
            SpcRow {
                id: measure.id.clone(),
                title: measure.title.clone(),
                variation: r.spc.variation,
                assurance: r.spc.assurance,
                has_target: r.target.is_some(),
                reason: r.spc_reason.to_string(),
            }
        })
        .collect();
    SpcSection {
        intro: "Each measure's mean and process limits are worked out from its points since the last rebase. A point beyond a limit, a run of points all rising or all falling, two of three points near a limit, or a run on one side of the mean is special cause variation; anything else is common cause variation. Assurance says whether the limits put the target in reach.".into(),
        charts_intro: "Each XmR chart shows the mean (solid line), the process limits (dashed grey lines) and the target (dashed teal line). Special cause points are triangles: upward where the point is an improvement (blue) or high (purple), downward where it is a concern (orange) or low (purple); other points are grey circles. A dashed purple line marks a rebase, with its reason.".into(),
        caption: "Variation and assurance at the latest period".into(),
        rows,
        charts,
    }
}
