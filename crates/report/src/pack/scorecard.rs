//! "Measures scorecard": one row per measure with its last three periods, year to date,
//! target, status, direction of travel, benchmarks and its trend.

use super::Earlier;
use crate::charts::trend::PLOTTABLE;
use crate::counts::MeasureFacts;
use crate::format::{amber_band, fixed_unit, frequency_text, good_is, label_title, months_span, period_long, period_short};
use scorecard_core::{
    Aggregation, Dot, DotBasis, DotJudgement, ForecastStatus, Frequency, Period, Plan, Polarity, Rating, Status, Trend, TrendJudgement,
    Versus,
};

/// A figure cell: a main text and a note under it, or a muted text alone.
#[derive(Debug, Clone, PartialEq)]
pub enum Figure {
    /// The figure (`62.4%`) and its note (`April to December 2013; 9 months, average`).
    Value {
        /// The main text.
        main: String,
        /// The note under it (may be empty).
        note: String,
    },
    /// Nothing to show, and why (`No benchmark`).
    Muted(String),
}

/// One of the last three periods.
#[derive(Debug, Clone)]
pub struct Recent {
    /// `Dec 2013`.
    pub period: String,
    /// `62.4%` or `no value`.
    pub value: String,
    /// The status at that period; `None`: the engine gave no row.
    pub status: Option<Option<Status>>,
}

/// One measure's row.
#[derive(Debug, Clone)]
pub struct ScorecardRow {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// `Good is high · monthly · unit: %`.
    pub about: String,
    /// The measure's unit.
    pub unit: String,
    /// The last three periods, oldest first.
    pub recent: Vec<Recent>,
    /// Year to date.
    pub year_to_date: Figure,
    /// Year to date as a number, for a spreadsheet.
    pub year_to_date_value: Option<f64>,
    /// Target, with the amber threshold as its note.
    pub target: Figure,
    /// The rated period's value, as a number.
    pub value: Option<f64>,
    /// The target, as a number.
    pub target_value: Option<f64>,
    /// The status (`None`: not rated).
    pub status: Option<Status>,
    /// Why.
    pub reason: String,
    /// Direction of travel: which way, and whether good news.
    pub dot: Dot,
    /// Its judgement.
    pub judgement: DotJudgement,
    /// `Improving`.
    pub dot_word: &'static str,
    /// `up from 58.1% (previous period)`.
    pub dot_detail: String,
    /// One figure per shown benchmark column.
    pub benchmarks: Vec<Figure>,
    /// The trend's values (`None`: no value at that period), oldest first.
    pub trend: Vec<Option<f64>>,
    /// The trend's text alternative; `None` when there are too few values for a trend.
    pub trend_label: Option<String>,
    /// The status at the previous report: `None` without one; `Some(None)`: not in it.
    pub was: Option<Option<Option<Status>>>,
    /// The recent trend in words (`Recent trend: increasing, getting better`), or empty when
    /// it was not computed (issue #13).
    pub recent_trend: String,
    /// The test behind the recent trend, as the ratings word it (`χ² test for trend in
    /// proportions over …`), or empty.
    pub recent_trend_test: String,
    /// Whether the trend's numbers are drawable: every one within ±1e15 (issue #12).
    pub plottable: bool,
    /// The measure's lead officer, or empty (measures.csv `lead`).
    pub lead: String,
    /// The measure's portfolio, or empty (measures.csv `portfolio`).
    pub portfolio: String,
    /// The period's commentary from values.csv, or empty.
    pub commentary: String,
    /// The forecast beside the status (`Forecast: at risk`), or empty where the measure has
    /// none (issue #16): it never changes the status.
    pub forecast: String,
    /// The forecast's sentence, as the ratings word it (`At risk: the line through the 6
    /// values …`), or empty.
    pub forecast_reason: String,
}

impl ScorecardRow {
    /// The measure's lead and portfolio in words (`Lead: Jo Bloggs · Portfolio: Children`),
    /// or empty when measures.csv gives neither: the one wording every format shows.
    pub fn who(&self) -> String {
        [("Lead", &self.lead), ("Portfolio", &self.portfolio)]
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}: {v}"))
            .collect::<Vec<_>>()
            .join(" · ")
    }
}

/// Measures of one group (a priority, or the group named in the data).
#[derive(Debug, Clone)]
pub struct ScorecardGroup {
    /// `Priority 1: Keep children safe`, the group's name, or `Measures`.
    pub heading: String,
    /// Its measures.
    pub rows: Vec<ScorecardRow>,
}

/// The measures scorecard.
#[derive(Debug, Clone)]
pub struct Scorecard {
    /// What the table shows.
    pub intro: String,
    /// The table's caption.
    pub caption: String,
    /// The benchmark columns' headings.
    pub benchmark_headings: Vec<String>,
    /// The groups, in order.
    pub groups: Vec<ScorecardGroup>,
    /// The previous report's period (`Nov 2013`), when the rows show their earlier status.
    pub previous: Option<String>,
}

/// The words for a judgement: `Improving`.
pub fn judgement_word(j: DotJudgement) -> &'static str {
    match j {
        DotJudgement::Improving => "Improving",
        DotJudgement::Worsening => "Worsening",
        DotJudgement::NoChange => "No change",
        DotJudgement::NotAssessed => "Not assessed",
    }
}

fn dot_word(d: Dot) -> &'static str {
    match d {
        Dot::Up => "up",
        Dot::Down => "down",
        Dot::Same => "level",
        Dot::None => "",
    }
}

/// The word for a benchmark comparison: `Better`.
pub fn versus_word(v: Versus) -> &'static str {
    match v {
        Versus::Better => "Better",
        Versus::Similar => "Similar",
        Versus::Worse => "Worse",
        Versus::Higher => "Higher",
        Versus::Lower => "Lower",
    }
}

pub(super) fn scorecard(plan: &Plan, period: Period, labels: &[String], measures: &[MeasureFacts], earlier: &Earlier) -> Scorecard {
    let shown: Vec<usize> =
        (0..labels.len()).filter(|b| measures.iter().any(|m| m.rating.benchmarks.get(*b).is_some_and(|c| c.value.is_some()))).collect();
    let mut groups: Vec<ScorecardGroup> = Vec::new();
    let mut group: Option<&str> = None;
    // A map rather than a search per group: linear in the plan's size (issue #12).
    let mut priorities: std::collections::HashMap<&str, &scorecard_core::Priority> = std::collections::HashMap::new();
    for p in &plan.priorities {
        priorities.entry(p.id.as_str()).or_insert(p);
    }
    // Each value's commentary by measure and period, indexed once (values.csv, issue #15).
    let mut commentary: std::collections::HashMap<(usize, Period), &str> = std::collections::HashMap::new();
    for v in &plan.values {
        commentary.entry((v.measure, v.period)).or_insert(v.commentary.trim());
    }
    for m in measures {
        let measure = &plan.measures[m.index];
        if group != Some(measure.group.as_str()) {
            let heading = match priorities.get(measure.group.as_str()) {
                Some(p) if !p.title.is_empty() => format!("Priority {}: {}", p.id, p.title),
                Some(p) => format!("Priority {}", p.id),
                None if measure.group.is_empty() => "Measures".to_string(),
                None => measure.group.clone(),
            };
            groups.push(ScorecardGroup { heading, rows: Vec::new() });
            group = Some(measure.group.as_str());
        }
        let said = commentary.get(&(m.index, m.rating.rated_period)).copied().unwrap_or("");
        let row = row(plan, m, &shown, earlier, said);
        if let Some(g) = groups.last_mut() {
            g.rows.push(row);
        }
    }
    Scorecard {
        intro: format!("Each measure is rated on its own latest period that ended by the end of {}: the month for monthly measures, the quarter for quarterly ones, the last complete year for annual ones. The last three periods run oldest to latest. Year to date covers the plan's {} year up to the latest period.", period_long(period), plan.year_type.name()),
        caption: format!("Measures at {}", period_short(period)),
        benchmark_headings: shown.iter().map(|b| label_title(&labels[*b])).collect(),
        groups,
        previous: earlier.label.clone(),
    }
}

fn row(plan: &Plan, m: &MeasureFacts, shown: &[usize], earlier: &Earlier, commentary: &str) -> ScorecardRow {
    let measure = &plan.measures[m.index];
    let r = &m.rating;
    let unit = measure.unit.trim();
    let unit_note = if unit.is_empty() { String::new() } else { format!(" · unit: {unit}") };
    let about = format!(
        "{} · {}{}",
        match measure.polarity {
            Polarity::Neutral => "Neutral (contextual, not rated)".to_string(),
            p => format!("Good is {}", good_is(p).to_lowercase()),
        },
        frequency_text(measure.frequency, measure.year_type).to_lowercase(),
        unit_note
    );
    // Every figure of the row to the same decimals (issue #15).
    let dp = m.decimals();
    let recent = m
        .recent
        .iter()
        .map(|p| {
            let rating = p.rating.as_ref();
            Recent {
                period: period_short(p.period),
                value: rating.and_then(|r| r.value).map(|v| fixed_unit(v, dp, unit)).unwrap_or_else(|| "no value".into()),
                status: rating.map(|r| r.status),
            }
        })
        .collect();
    let year_to_date = match &m.year_to_date {
        Some(y) => {
            let what = match y.aggregation {
                Aggregation::Pooled => "all cases pooled",
                Aggregation::Mean => "average",
                Aggregation::Sum => "total",
            };
            let per = match measure.frequency {
                Frequency::Monthly => "month",
                _ => "quarter",
            };
            Figure::Value {
                main: fixed_unit(y.value, dp, unit),
                note: format!(
                    "{}; {} {}{}, {what}",
                    months_span(y.months.0, y.months.1),
                    y.periods,
                    per,
                    if y.periods == 1 { "" } else { "s" }
                ),
            }
        }
        None if measure.frequency == Frequency::Annual => Figure::Muted("Annual measure".into()),
        None => Figure::Muted("No values this year".into()),
    };
    let target = match r.target {
        Some(t) => Figure::Value {
            main: fixed_unit(t, dp, unit),
            note: r.amber_threshold.map(|a| amber_band(measure.polarity, a, dp, unit)).unwrap_or_default(),
        },
        None => Figure::Muted("None".into()),
    };
    let basis = match plan.dot_basis(measure) {
        DotBasis::Previous => "previous period",
        DotBasis::YearAgo => "same period last year",
    };
    let dot_detail = match (r.dot, r.comparator_value) {
        (Dot::None, _) | (_, None) => format!("no value to compare ({basis})"),
        (d, Some(c)) => format!("{} from {} ({basis})", dot_word(d), fixed_unit(c, dp, unit)),
    };
    let benchmarks = shown
        .iter()
        .map(|b| match r.benchmarks.get(*b) {
            Some(c) if c.value.is_some() => {
                let v = c.value.map(|v| fixed_unit(v, dp, unit)).unwrap_or_default();
                let when = c.period.map(|p| format!(" ({})", period_short(p))).unwrap_or_default();
                let verdict = c.versus.map(versus_word).unwrap_or("Not compared");
                // Issue #13: the level a difference holds at, with two benchmark levels.
                let main = match c.sig {
                    Some(l) => format!("{verdict} ({}%)", l.name()),
                    None => verdict.to_string(),
                };
                Figure::Value { main, note: format!("{v}{when}") }
            }
            _ => Figure::Muted("No benchmark".into()),
        })
        .collect();
    let trend: Vec<Option<f64>> = m.history.iter().map(|p| p.rating.as_ref().and_then(|r| r.value)).collect();
    let plottable = trend.iter().flatten().copied().chain(r.target).all(|v| v.is_finite() && v.abs() < PLOTTABLE);
    ScorecardRow {
        id: measure.id.clone(),
        title: measure.title.clone(),
        about,
        unit: unit.to_string(),
        recent,
        year_to_date,
        year_to_date_value: m.year_to_date.as_ref().map(|y| y.value),
        target,
        value: r.value,
        target_value: r.target,
        status: r.status,
        reason: r.reason.to_string(),
        dot: r.dot,
        judgement: r.dot_judgement,
        dot_word: judgement_word(r.dot_judgement),
        dot_detail,
        benchmarks,
        trend_label: trend_label(m, unit, dp),
        trend,
        was: earlier.was(r),
        recent_trend: recent_trend(r),
        recent_trend_test: if r.trend.is_some() { r.trend_reason.to_string() } else { String::new() },
        plottable,
        lead: measure.lead.clone(),
        portfolio: measure.portfolio.clone(),
        commentary: commentary.to_string(),
        forecast: forecast_words(r.forecast_status),
        forecast_reason: if r.forecast_status.is_some() { r.forecast_reason.to_string() } else { String::new() },
    }
}

/// The forecast in two words beside the status (issue #16): `Forecast: on track`; empty
/// without a forecast (too few values, or no target), whose reason the ratings keep.
pub fn forecast_words(f: Option<ForecastStatus>) -> String {
    let word = match f {
        None => return String::new(),
        Some(ForecastStatus::OnTrack) => "on track",
        Some(ForecastStatus::AtRisk) => "at risk",
        Some(ForecastStatus::OffTrack) => "off track",
    };
    format!("Forecast: {word}")
}

/// The recent trend's words: empty when not computed. The test behind it is
/// [`ScorecardRow::recent_trend_test`].
fn recent_trend(r: &Rating) -> String {
    let (Some(trend), Some(judgement)) = (r.trend, r.trend_judgement) else { return String::new() };
    let word = match trend {
        Trend::Increasing => "increasing",
        Trend::Decreasing => "decreasing",
        Trend::NoSignificantChange => "no significant change",
        Trend::CannotBeCalculated => "cannot be calculated",
    };
    let judged = match judgement {
        TrendJudgement::GettingBetter => ", getting better",
        TrendJudgement::GettingWorse => ", getting worse",
        TrendJudgement::NoSignificantChange | TrendJudgement::NotAssessed => "",
    };
    format!("Recent trend: {word}{judged}")
}

/// The trend's text alternative: first and last, lowest and highest; `None` with fewer than
/// two values.
fn trend_label(m: &MeasureFacts, unit: &str, dp: usize) -> Option<String> {
    let points: Vec<(f64, Period)> =
        m.history.iter().filter_map(|p| p.rating.as_ref().and_then(|r| r.value).map(|v| (v, p.period))).collect();
    if points.len() < 2 {
        return None;
    }
    let (first, last) = (points[0], points[points.len() - 1]);
    let (min, max) =
        points.iter().fold((points[0], points[0]), |(a, b), p| (if p.0 < a.0 { *p } else { a }, if p.0 > b.0 { *p } else { b }));
    Some(format!(
        "Trend from {} to {}: {} to {}; lowest {} ({}), highest {} ({})",
        period_short(first.1),
        period_short(last.1),
        fixed_unit(first.0, dp, unit),
        fixed_unit(last.0, dp, unit),
        fixed_unit(min.0, dp, unit),
        period_short(min.1),
        fixed_unit(max.0, dp, unit),
        period_short(max.1)
    ))
}
