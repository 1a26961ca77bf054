//! The rating engine: the rules as polars column expressions, one lazy query for every rating.
//!
//! Every plan's items are laid out as rows of a few frames (`frames.rs`: items, updates and
//! values, targets, benchmarks). One row per item and period to rate is built as a grid
//! (`grid.rs`), which also finds, among each item's own rows, the update or value, comparator and
//! target that rating needs, as row numbers; polars gathers those rows onto the grid and one
//! lazy query (`query.rs`) rates them all with each rule family's expressions
//! (`rules/<family>.rs`), joining benchmarks as of each period: the same code rates one plan
//! at one period or a thousand plans at every period. After the query, [`rows`] reads each
//! rating back and words its reason with the wording that sits beside each family's
//! expressions.
//!
//! Architecture invariant: no thresholds here. Every default comes from
//! [`Rules`](crate::rules::Rules) (per plan, as columns), and no wall clock: the periods to rate
//! are passed in.

mod frames;
mod grid;
mod query;
pub mod rows;
pub(crate) mod rules;

pub use rows::{RowReader, RowScratch};
pub use rules::spc::{xmr_chart, XmrChart, XmrPoint, XmrSegment};

use crate::error::Result;
use crate::model::columns::Picked;
use crate::model::period::Period;
use crate::model::rating::Ratings;
use crate::read::plan::Plan;
use frames::Frames;
use polars::prelude::*;

/// Options for a rating run.
#[derive(Debug, Clone, Copy, Default)]
pub struct RateOptions {
    /// Report the engine's rating alone, ignoring officers' statuses.
    pub computed_only: bool,
    /// Add each action's and priority's rolled-up row ([`rate`], and `batch` through its
    /// chunks; [`rate_many`] and [`rate_frame`] ignore it; issue #16).
    pub rollup: bool,
    /// Leave statistical process control uncomputed: its columns empty and its reason
    /// unworded, as for a plan with `[rules] spc = false` (`batch --columns` without any
    /// `spc_` column; the plans' rules, and so the provenance, are untouched).
    pub without_spc: bool,
    /// Leave the recent trend uncomputed, as for `[rules] recent_trend = false` (`batch
    /// --columns` without `trend`, `trend_judgement` or `trend_reason`).
    pub without_trend: bool,
}

impl RateOptions {
    /// These options, leaving uncomputed the families none of whose columns `picked` writes
    /// (SPC, the recent trend).
    pub fn for_columns(self, picked: &Picked) -> RateOptions {
        RateOptions { without_spc: !picked.has_spc(), without_trend: !picked.has_trend(), ..self }
    }
}

/// What to rate in one plan: milestones at these periods, measures at those.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Periods to rate milestones at.
    pub milestone_periods: Vec<Period>,
    /// Periods to rate measures at.
    pub measure_periods: Vec<Period>,
}

impl Selection {
    /// Every item at the one period `t`.
    pub fn at(t: Period) -> Selection {
        Selection { milestone_periods: vec![t], measure_periods: vec![t] }
    }

    /// `batch --periods all`: milestones at every period with an update, measures at every
    /// period with a value.
    pub fn all(plan: &Plan) -> Selection {
        let (milestone_periods, measure_periods) = plan.reported_periods();
        Selection { milestone_periods, measure_periods }
    }
}

/// Rates one plan at one period.
pub fn rate(plan: &Plan, t: Period, options: RateOptions) -> Result<Ratings> {
    let ratings = rate_many(&[(plan, Selection::at(t))], options)?;
    Ok(if options.rollup { rollup(plan, ratings) } else { ratings })
}

/// `ratings` of `plan` (at any periods) with each period's action and priority rows added
/// after its milestones and measures, their statuses rolled up from their milestones' by the
/// plan's `[rules] rollup` (issue #16).
pub fn rollup(plan: &Plan, ratings: Ratings) -> Ratings {
    rules::rollup::add_rows(plan, ratings)
}

/// Rates many plans, each at its own selection of periods, in one query.
pub fn rate_many(jobs: &[(&Plan, Selection)], options: RateOptions) -> Result<Ratings> {
    let frame = rate_frame(jobs, None, options)?;
    let reader = frame.reader(jobs.iter().map(|(p, _)| *p).collect())?;
    let rows = (0..frame.len()).map(|r| reader.rating(r)).collect::<Result<Vec<_>>>()?;
    Ok(Ratings { labels: frame.labels, rows })
}

/// The rating query's result: one row per rating, in output order (plan, period, kind, item
/// order), as columns. [`RatedFrame::reader`] words the rows; `batch` streams them to its
/// writer without holding every [`Rating`](crate::Rating) at once.
#[derive(Debug, Clone)]
pub struct RatedFrame {
    labels: Vec<String>,
    df: Option<DataFrame>,
}

/// Runs the rating query over every job's rows. `labels` fixes the benchmark columns (a
/// superset of the jobs' labels, so that chunks of one batch share their columns); `None`
/// takes the jobs' own labels.
pub fn rate_frame(jobs: &[(&Plan, Selection)], labels: Option<&[String]>, options: RateOptions) -> Result<RatedFrame> {
    let frames = Frames::build(jobs, labels, options)?;
    let labels: Vec<String> = frames.labels.iter().cloned().collect();
    if frames.rows.height() == 0 {
        return Ok(RatedFrame { labels, df: None });
    }
    let height = frames.rows.height();
    let mut df = query::query(frames.rows, options)?.collect()?;
    if df.height() != height {
        return Err(crate::error::Error::Internal(format!("the rating query gave {} rows for {height}", df.height())));
    }
    df.hstack_mut(&frames.benchmarks)?;
    Ok(RatedFrame { labels, df: Some(df) })
}

impl RatedFrame {
    /// The number of ratings.
    pub fn len(&self) -> usize {
        self.df.as_ref().map(|d| d.height()).unwrap_or(0)
    }

    /// Whether there is no rating.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The benchmark labels of the `vs_`/`gap_` columns, sorted.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// Reads rows back as [`Rating`](crate::Rating)s; `plans` must be the jobs' plans the frame was rated
    /// from, in the same order.
    pub fn reader<'a>(&'a self, plans: Vec<&'a Plan>) -> Result<RowReader<'a>> {
        RowReader::new(plans, &self.labels, self.df.as_ref())
    }
}
