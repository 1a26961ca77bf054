//! The members' pack, built once: its title page, its sections in order (each with its rows
//! and facts, already worded for members) and its charts' specifications, all from the
//! engine's ratings. The HTML page, the Word document and the Excel workbook are renderers of
//! a [`Pack`]: none of them derives or words anything the pack does not hold, so the three
//! formats say the same.
//!
//! **Adding a section**: a variant of [`Section`] holding its worded rows, a builder (a file
//! in this folder) pushed into [`Pack::sections`] in [`build`], and one arm in each renderer
//! (`html::render`, `docx::render`, `xlsx::render`). **Adding a chart**: push a
//! [`ChartSpec`](crate::charts::ChartSpec) to [`Pack::charts`] and point at it by index from
//! a section; every renderer draws what `charts` holds.

mod attention;
mod changes;
mod exceptions;
mod milestones;
mod scorecard;
mod spc;
mod text;

pub use attention::{Attention, AttentionRow};
pub use changes::{Changes, Moved, QuarterOnQuarter};
pub use exceptions::{is_exception, Exception, Exceptions};
pub use milestones::{ActionGroup, MilestoneRow, PriorityBlock, NO_UPDATE};
pub use scorecard::{Figure, Recent, Scorecard, ScorecardGroup, ScorecardRow};
pub use spc::{assurance_words, SpcRow, SpcSection};
pub use text::{KeyRow, StatusKey};

use crate::charts::{self, Chart, ChartSpec};
use crate::counts::{self, Counted, MeasureFacts, Overview};
use crate::error::Error;
use crate::format::{date_long, period_long, period_short};
use chrono::NaiveDate;
use scorecard_core::{Kind, Labels, Period, Plan, Rating, Ratings, Status};
use std::collections::HashMap;
use std::fmt::Write;

/// The pack's title page: what it is, of what plan, for what period.
#[derive(Debug, Clone)]
pub struct TitlePage {
    /// `Members' scorecard` (a plan of measures only) or `Progress report`.
    pub kind: &'static str,
    /// The plan's title.
    pub title: String,
    /// The plan's folder name.
    pub plan_name: String,
    /// `financial` or `academic`.
    pub year_type: &'static str,
    /// `December 2013`.
    pub period_long: String,
    /// `Dec 2013`.
    pub period_short: String,
    /// `23 November 2026`.
    pub produced: String,
    /// What the plan holds, the title page's "Covers": `20 delivery milestones in 5 priorities;
    /// 6 measures` (not "Contents", the name of the list of sections below it).
    pub covers: String,
    /// The council the plan belongs to (`plan.toml` `council`, issue #15), or empty.
    pub council: String,
    /// The document's status, such as `Draft` (`plan.toml` `document_status`), or empty.
    pub document_status: String,
}

/// The "Overview" section: the overview table, a sentence of its totals and the overview
/// chart.
#[derive(Debug, Clone)]
pub struct OverviewSection {
    /// The counts per priority or group.
    pub table: Overview,
    /// The totals in a sentence.
    pub summary: String,
    /// The overview chart, an index into [`Pack::charts`].
    pub chart: Option<usize>,
}

/// The "Trends" section: one chart per measure.
#[derive(Debug, Clone)]
pub struct Trends {
    /// What the charts show.
    pub intro: String,
    /// Indexes into [`Pack::charts`].
    pub charts: Vec<usize>,
}

/// One section of the pack, in page order.
#[derive(Debug, Clone)]
pub enum Section {
    /// Every Red item and every item that got worse.
    Exceptions(Exceptions),
    /// What changed since the last report.
    Changes(Changes),
    /// What the statuses mean.
    Key(StatusKey),
    /// The overview table and chart.
    Overview(OverviewSection),
    /// The delivery milestones, one block per priority.
    Priorities(Vec<PriorityBlock>),
    /// The measures scorecard.
    Scorecard(Scorecard),
    /// The measures worse than a benchmark and getting worse (issue #13); only when some are.
    Attention(Attention),
    /// The measures' trend charts.
    Trends(Trends),
    /// Statistical process control: variation, assurance and the XmR charts (issue #13).
    Spc(SpcSection),
    /// Each measure's notes and what the statuses are based on: (term, text).
    Notes(Vec<(String, String)>),
    /// The words of the report: (term, meaning).
    Glossary(Vec<(&'static str, &'static str)>),
}

impl Section {
    /// The section's anchor and heading, as the contents list names it; `None` for a section
    /// the contents list leaves out.
    pub fn contents_entry(&self) -> Option<(&'static str, &'static str)> {
        Some(match self {
            Section::Exceptions(_) => ("exceptions", "Exceptions"),
            Section::Changes(_) => ("changes", "What changed since the last report"),
            Section::Key(_) => ("statuses", "What the statuses mean"),
            Section::Overview(_) => ("overview", "Overview"),
            Section::Priorities(_) => ("priorities", "Delivery milestones by priority"),
            Section::Scorecard(_) => ("scorecard", "Measures scorecard"),
            // Not in the contents list, as before the pack (it is there only on some reports).
            Section::Attention(_) => return None,
            Section::Trends(_) => ("trends", "Trends"),
            Section::Spc(_) => ("spc", "Statistical process control"),
            Section::Notes(_) => ("notes", "Data notes"),
            Section::Glossary(_) => ("glossary", "Glossary"),
        })
    }
}

/// The whole pack.
pub struct Pack {
    /// The title page.
    pub title: TitlePage,
    /// The sections, in page order.
    pub sections: Vec<Section>,
    /// Every chart, in page order: the overview first, then one trend per measure.
    pub charts: Vec<ChartSpec>,
    /// The closing line: when and by what the pack was produced.
    pub footer: String,
    /// How the plan names the statuses (`plan.toml` `[labels]`, issue #16).
    pub labels: Labels,
}

impl Pack {
    /// The sections the contents list names, in order.
    pub fn contents(&self) -> Vec<(&'static str, &'static str)> {
        self.sections.iter().filter_map(Section::contents_entry).collect()
    }
}

/// What a pack is built from.
pub struct Inputs<'a> {
    /// The plan.
    pub plan: &'a Plan,
    /// The reporting period.
    pub period: Period,
    /// The plan rated at `period`.
    pub ratings: &'a Ratings,
    /// The plan rated at the previous period of the same length (for what changed).
    pub previous: Option<&'a Ratings>,
    /// The date shown as produced.
    pub produced: NaiveDate,
}

/// Builds the pack of `inputs`.
pub fn build(inputs: &Inputs) -> Result<Pack, Error> {
    let (plan, period, ratings) = (inputs.plan, inputs.period, inputs.ratings);
    let overview = Overview::new(plan, period, ratings);
    let measures: Vec<MeasureFacts> = counts::measures::facts(plan, period, ratings)?;
    let charts = charts::specs(plan, &overview, &measures, &ratings.labels);
    let kind = if overview.counted == Counted::Measures { "Members' scorecard" } else { "Progress report" };
    let title = title_page(plan, period, inputs.produced, kind);
    let has_milestones = !plan.milestones.is_empty();
    let has_measures = !measures.is_empty();
    let previous_period = period.previous();
    let earlier = Earlier::new(plan, inputs.previous, previous_period);
    let priorities = has_milestones.then(|| milestones::priorities(plan, period, ratings, &overview, &earlier));
    let mut sections = Vec::new();
    let current: Vec<&Rating> = ratings.rows.iter().filter(|r| r.period == period).collect();
    sections.push(Section::Exceptions(exceptions::exceptions(plan, &current, &earlier, &measures)));
    // Issue #13: Fingertips' red-red list beside the exceptions, when some measure qualifies.
    if has_measures {
        if let Some(a) = attention::attention(plan, period, &ratings.labels, &measures) {
            sections.push(Section::Attention(a));
        }
    }
    if let Some(previous) = inputs.previous {
        sections.push(Section::Changes(changes::changes(plan, period, previous_period, ratings, previous, &earlier)));
    }
    sections.push(Section::Key(text::key(has_milestones, has_measures)));
    let summary = overview_summary(&overview, ratings, period);
    sections.push(Section::Overview(OverviewSection { table: overview, summary, chart: (!charts.is_empty()).then_some(0) }));
    if let Some(blocks) = priorities {
        sections.push(Section::Priorities(blocks));
    }
    if has_measures {
        sections.push(Section::Scorecard(scorecard::scorecard(plan, period, &ratings.labels, &measures, &earlier)));
        sections.push(Section::Trends(Trends {
            intro: "Each chart shows the measure's values, oldest on the left, with its target (dashed black line), the amber band between the target and the amber threshold, and each benchmark (named at the right-hand end).".into(),
            charts: (1..charts.len()).filter(|&i| matches!(charts[i].chart, Chart::Trend(_))).collect(),
        }));
        let xmr = (1..charts.len()).filter(|&i| matches!(charts[i].chart, Chart::Xmr(_))).collect();
        sections.push(Section::Spc(spc::spc(plan, &measures, xmr)));
    }
    sections.push(Section::Notes(text::notes(plan, period)));
    sections.push(Section::Glossary(text::glossary(has_milestones, has_measures)));
    let footer = format!(
        "Produced on {} by scorecard {} from the plan {}. Statuses follow the plan's settings and the scorecard's defaults; every status has its reason.",
        date_long(inputs.produced),
        env!("CARGO_PKG_VERSION"),
        plan.name
    );
    Ok(Pack { title, sections, charts, footer, labels: plan.labels.clone() })
}

/// The ratings at the previous report, looked up by item.
pub(crate) struct Earlier<'a> {
    by_item: HashMap<(Kind, &'a str), &'a Rating<'static>>,
    /// Whether the plan has milestone updates at the previous period: without any, the
    /// milestones had no previous report to compare with (all would read Blue).
    pub(crate) milestones: bool,
    /// The previous period, `Nov 2013`; `None` without earlier ratings.
    pub(crate) label: Option<String>,
}

impl<'a> Earlier<'a> {
    fn new(plan: &Plan, previous: Option<&'a Ratings>, period: Period) -> Earlier<'a> {
        let by_item = previous.map(|p| p.rows.iter().map(|r| ((r.kind, &*r.item), r)).collect()).unwrap_or_default();
        let milestones = plan.updates.iter().any(|u| u.period == period);
        Earlier { by_item, milestones, label: previous.map(|_| period_short(period)) }
    }

    /// Whether items of `kind` are compared with the previous report.
    pub(crate) fn compares(&self, kind: Kind) -> bool {
        self.label.is_some() && (kind == Kind::Measure || self.milestones)
    }

    /// The item's rating at the previous report.
    pub(crate) fn get(&self, r: &Rating) -> Option<&'a Rating<'static>> {
        if !self.compares(r.kind) {
            return None;
        }
        self.by_item.get(&(r.kind, &*r.item)).copied()
    }

    /// What the item's status was, for a table: `None` without earlier ratings; `Some(None)`
    /// when the item was not in them.
    pub(crate) fn was(&self, r: &Rating) -> Option<Option<Option<Status>>> {
        if !self.compares(r.kind) {
            return None;
        }
        Some(self.get(r).map(|p| p.status))
    }
}

fn title_page(plan: &Plan, period: Period, produced: NaiveDate, kind: &'static str) -> TitlePage {
    let mut contains = Vec::new();
    if !plan.milestones.is_empty() {
        contains.push(format!("{} delivery milestones in {} priorities", plan.milestones.len(), plan.priorities.len()));
    }
    if !plan.measures.is_empty() {
        contains.push(format!("{} measures", plan.measures.len()));
    }
    TitlePage {
        kind,
        title: plan.title.clone(),
        plan_name: plan.name.clone(),
        year_type: plan.year_type.name(),
        period_long: period_long(period),
        period_short: period_short(period),
        produced: date_long(produced),
        covers: contains.join("; "),
        council: plan.council.as_deref().unwrap_or("").trim().to_string(),
        document_status: plan.document_status.as_deref().unwrap_or("").trim().to_string(),
    }
}

fn overview_summary(o: &Overview, ratings: &Ratings, period: Period) -> String {
    let t = &o.total;
    let mut summary = format!(
        "Of {} {}, {} ({}) are Green, {} ({}) Amber, {} ({}) Red and {} ({}) Blue.",
        t.total(),
        o.counted.name(),
        t.green,
        pct(t.percent(Status::Green)),
        t.amber,
        pct(t.percent(Status::Amber)),
        t.red,
        pct(t.percent(Status::Red)),
        t.blue,
        pct(t.percent(Status::Blue))
    );
    if t.not_rated > 0 {
        let _ = write!(summary, " {} more are not rated.", t.not_rated);
    }
    if o.counted == Counted::Milestones {
        let disagree = ratings.rows.iter().filter(|r| r.kind == Kind::Milestone && r.period == period && r.disagrees).count();
        if disagree > 0 {
            let _ = write!(
                summary,
                " For {disagree} milestones the officer's status differs from the calculated status; both are shown below."
            );
        }
    }
    summary
}

fn pct(p: Option<usize>) -> String {
    p.map(|p| format!("{p}%")).unwrap_or_else(|| "–".into())
}
