//! The pack's fixed words: what the statuses mean, the data notes and the glossary.

use crate::format::period_long;
use scorecard_core::{Period, Plan, Status};

/// One row of the status key: the status (`None`: not rated) and what it means for a
/// milestone and for a measure.
#[derive(Debug, Clone)]
pub struct KeyRow {
    /// The status; `None` is "Not rated".
    pub status: Option<Status>,
    /// For a delivery milestone (shown only when the plan has milestones).
    pub milestone: &'static str,
    /// For a measure (shown only when the plan has measures).
    pub measure: &'static str,
}

/// "What the statuses mean".
#[derive(Debug, Clone)]
pub struct StatusKey {
    /// Whether the plan has milestones (the milestone column and the officer's note).
    pub milestones: bool,
    /// Whether the plan has measures (the measure column and the arrows).
    pub measures: bool,
    /// The rows shown, in order.
    pub rows: Vec<KeyRow>,
    /// The note under the table on the officer's and the rules' statuses.
    pub officer_note: Option<&'static str>,
}

pub(super) fn key(milestones: bool, measures: bool) -> StatusKey {
    let rows = [
        KeyRow { status: Some(Status::Green), milestone: "The delivery milestone is complete and/or is exceeding the identified target.", measure: "At or better than the target." },
        KeyRow { status: Some(Status::Amber), milestone: "The delivery milestone is ongoing and/or there are no issues with the project.", measure: "Short of the target but within its tolerance (between the amber threshold and the target)." },
        KeyRow { status: Some(Status::Red), milestone: "The delivery milestone is at risk of not being delivered within the timescales identified and/or there are issues with the project.", measure: "Beyond the tolerance: worse than the amber threshold." },
        KeyRow { status: Some(Status::Blue), milestone: "No information available or no update provided.", measure: "No value for the period." },
        KeyRow { status: None, milestone: "Not used for milestones.", measure: "A contextual measure (neutral: neither high nor low is good) or one without a target: values, direction of travel and benchmarks are shown, but no status." },
    ];
    StatusKey {
        milestones,
        measures,
        rows: rows.into_iter().filter(|r| r.status.is_some() || measures).collect(),
        officer_note: milestones.then_some("Where the officer's status differs from the status calculated from the plan's figures and dates, the report shows the officer's status and, beside it, the calculated status and why."),
    }
}

pub(super) fn notes(plan: &Plan, period: Period) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = plan
        .measures
        .iter()
        .filter(|m| !m.notes.trim().is_empty())
        .map(|m| (format!("{} {}", m.id, m.title), m.notes.trim().to_string()))
        .collect();
    out.push((
        "About this report".into(),
        format!("Statuses are for {}. Milestone statuses are the officer's where the update gives one; otherwise the status is calculated from the milestone's dates, figures and update. A measure's status is calculated from its value, target and amber threshold alone. Benchmarks are the latest available by the end of each measure's period; \"similar\" uses the 95% confidence interval of the measure's numerator and denominator where the data give them.", period_long(period)),
    ));
    out
}

/// Which plans a glossary term is for.
#[derive(Clone, Copy, PartialEq)]
enum For {
    Milestones,
    Measures,
    Both,
}

/// The glossary of a plan with milestones and/or measures: the terms of what it holds (a
/// members' scorecard of measures has no "Officer status").
pub(super) fn glossary(milestones: bool, measures: bool) -> Vec<(&'static str, &'static str)> {
    let terms = [
        (For::Both, "RAG", "Red, Amber, Green: the status of a milestone or measure. Blue means no information for the period."),
        (For::Milestones, "Delivery milestone", "A commitment in the action plan, under a priority and an action, with a lead and sometimes a due date or a target."),
        (For::Measures, "Measure (KPI)", "A key performance indicator: a number reported monthly, quarterly or annually, with a target, a tolerance and benchmarks."),
        (For::Measures, "Good is high / good is low", "Whether a higher number is better (for example, assessments on time) or a lower one (for example, re-referrals). A neutral measure is contextual and not rated."),
        (For::Both, "Target", "The level the plan aims for in the period. At or better than the target is Green."),
        (For::Both, "Tolerance and amber threshold", "How far short of the target still counts as Amber. The amber threshold is the edge of the tolerance: beyond it is Red. Where a plan gives no threshold, the tolerance is a share of the target set in the plan's settings (5% unless the plan says otherwise)."),
        (For::Measures, "Trajectory", "A target for each period on the way to a final target, for example smoking at time of delivery 18.8% in Q1, 18.5% in Q2."),
        (For::Milestones, "Profiled target", "Where a milestone has a baseline and a final target but no trajectory, the target for a period is read off a straight line from the baseline to the final target."),
        (For::Measures, "Direction of travel", "Whether the number went up, down or stayed level compared with the previous period or with the same period a year earlier, and whether that is improving or worsening given whether good is high or low."),
        (For::Measures, "Benchmark", "Another area's value for the same measure: the national (England) average, the regional average or the statistical neighbours' average. The report uses the latest one available for the period."),
        (For::Measures, "Statistical neighbours", "The group of councils most similar to this one in their population and circumstances; their average is a fairer comparison than the national average."),
        (For::Measures, "Better, similar, worse", "How the measure compares with a benchmark, given whether good is high or low. Where the data give a numerator and a denominator, \"similar\" means the benchmark lies within the 95% confidence interval of the measure, so that chance variation is not called a difference. Higher and lower are used for neutral measures."),
        (For::Measures, "Year to date", "The measure over the plan's year so far: the total for counts, all cases pooled where the data give numerators and denominators, otherwise the average of the months or quarters (the note under each figure says which)."),
        (For::Both, "Financial year", "April to March: 2013/14 Q1 is April to June 2013."),
        (For::Both, "Academic year", "September to August, used for school measures."),
        (For::Both, "Reporting period", "The month, quarter or year the report is for. A measure is rated on its own latest period that ended by then."),
        (For::Milestones, "Officer status", "The status the lead officer gave a milestone in the update. Where it differs from the status calculated from the plan's figures and dates (the calculated status), both are shown."),
        (For::Both, "Blue", "No update was provided for the period, or the update said nothing, or the measure has no value for the period."),
        (For::Measures, "Not rated", "A neutral (contextual) measure, or a measure with no target for the period."),
    ];
    terms
        .into_iter()
        .filter(|(f, _, _)| match f {
            For::Milestones => milestones,
            For::Measures => measures,
            For::Both => true,
        })
        .map(|(_, term, meaning)| (term, meaning))
        .collect()
}
