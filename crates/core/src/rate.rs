//! The rating engine: SPEC's rules as polars column expressions and joins.
//!
//! Every plan's items are laid out as rows of a few frames (items, updates, values, targets
//! expanded to months, benchmarks), one row per item and period to rate is built as a grid, and
//! one lazy query joins and rates them all: the same code rates one plan at one period or a
//! thousand plans at every period. Rust code here only builds the frames and, after the query,
//! words each rating's reason from the columns the query computed.
//!
//! Architecture invariant: no thresholds here. Every default comes from [`Rules`] (per plan, as
//! columns), and no wall clock: the periods to rate are passed in.

use crate::error::{Error, Result};
use crate::period::{Frequency, Period};
use crate::plan::{ItemRef, Plan};
use crate::reason;
use crate::rules::DotBasis;
use crate::values::{Polarity, Status};
use polars::prelude::*;
use std::collections::{BTreeSet, HashMap};

/// Milestone or measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// A delivery milestone.
    Milestone,
    /// A measure (KPI).
    Measure,
}

impl Kind {
    /// `milestone` or `measure`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Milestone => "milestone",
            Kind::Measure => "measure",
        }
    }
}

/// Direction of travel: how the value moved against its comparator period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dot {
    /// Higher than the comparator.
    Up,
    /// Lower than the comparator.
    Down,
    /// Equal to the comparator.
    Same,
    /// No comparator value (or no value).
    None,
}

impl Dot {
    /// `up`, `down`, `same`, `none`.
    pub fn name(self) -> &'static str {
        match self {
            Dot::Up => "up",
            Dot::Down => "down",
            Dot::Same => "same",
            Dot::None => "none",
        }
    }
}

/// Whether the direction of travel is good news, given polarity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DotJudgement {
    /// Moved the good way.
    Improving,
    /// Moved the bad way.
    Worsening,
    /// Did not move.
    NoChange,
    /// No comparator, or a neutral measure.
    NotAssessed,
}

impl DotJudgement {
    /// `improving`, `worsening`, `no_change`, `not_assessed`.
    pub fn name(self) -> &'static str {
        match self {
            DotJudgement::Improving => "improving",
            DotJudgement::Worsening => "worsening",
            DotJudgement::NoChange => "no_change",
            DotJudgement::NotAssessed => "not_assessed",
        }
    }
}

/// How the value compares with a benchmark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Versus {
    /// Better, given polarity.
    Better,
    /// Not distinguishable (equal, within `similar_within`, or inside the Wilson interval).
    Similar,
    /// Worse, given polarity.
    Worse,
    /// Higher (neutral measure).
    Higher,
    /// Lower (neutral measure).
    Lower,
}

impl Versus {
    /// `better`, `similar`, `worse`, `higher`, `lower`.
    pub fn name(self) -> &'static str {
        match self {
            Versus::Better => "better",
            Versus::Similar => "similar",
            Versus::Worse => "worse",
            Versus::Higher => "higher",
            Versus::Lower => "lower",
        }
    }

    fn from_code(code: i32) -> Option<Versus> {
        [Versus::Better, Versus::Similar, Versus::Worse, Versus::Higher, Versus::Lower].get((code - 1) as usize).copied()
    }
}

/// One item against one benchmark label.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// The judgement; `None` without a value or a benchmark.
    pub versus: Option<Versus>,
    /// Local value minus benchmark.
    pub gap: Option<f64>,
    /// The benchmark value used.
    pub value: Option<f64>,
    /// The benchmark's period.
    pub period: Option<Period>,
}

/// The rating of one item at one period.
#[derive(Debug, Clone, PartialEq)]
pub struct Rating {
    /// The plan's folder name.
    pub plan: String,
    /// The reporting period T.
    pub period: Period,
    /// Milestone or measure.
    pub kind: Kind,
    /// The item's id.
    pub item: String,
    /// The milestone's priority or the measure's group.
    pub priority: String,
    /// The item's title.
    pub title: String,
    /// The reported status: the officer's where given (unless computed-only), else the engine's.
    pub status: Option<Status>,
    /// The engine's status.
    pub computed_status: Option<Status>,
    /// The officer's status differs from the engine's.
    pub disagrees: bool,
    /// Why, in words a member can read.
    pub reason: String,
    /// The value rated.
    pub value: Option<f64>,
    /// The target applied.
    pub target: Option<f64>,
    /// The amber threshold applied.
    pub amber_threshold: Option<f64>,
    /// Polarity rated with.
    pub polarity: Polarity,
    /// The period the value belongs to: T for milestones, the measure's own period M.
    pub rated_period: Period,
    /// Direction of travel.
    pub dot: Dot,
    /// Its judgement.
    pub dot_judgement: DotJudgement,
    /// The comparator period's value.
    pub comparator_value: Option<f64>,
    /// One comparison per label of [`Ratings::labels`].
    pub benchmarks: Vec<Comparison>,
}

/// A table of ratings.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Ratings {
    /// Benchmark labels, sorted: the `vs_<label>` / `gap_<label>` columns.
    pub labels: Vec<String>,
    /// Rows in stable order: plan, period, kind, item order.
    pub rows: Vec<Rating>,
}

/// Options for a rating run.
#[derive(Debug, Clone, Copy, Default)]
pub struct RateOptions {
    /// Report the engine's rating alone, ignoring officers' statuses.
    pub computed_only: bool,
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

    /// SPEC's `--periods all`: milestones at every period with an update, measures at every
    /// period with a value.
    pub fn all(plan: &Plan) -> Selection {
        let (milestone_periods, measure_periods) = plan.reported_periods();
        Selection { milestone_periods, measure_periods }
    }
}

/// Rates one plan at one period.
pub fn rate(plan: &Plan, t: Period, options: RateOptions) -> Result<Ratings> {
    rate_many(&[(plan, Selection::at(t))], options)
}

/// Rates many plans, each at its own selection of periods, in one query.
pub fn rate_many(jobs: &[(&Plan, Selection)], options: RateOptions) -> Result<Ratings> {
    let frame = rate_frame(jobs, None)?;
    let reader = frame.reader(jobs.iter().map(|(p, _)| *p).collect(), options)?;
    let rows = (0..frame.len()).map(|r| reader.rating(r)).collect::<Result<Vec<_>>>()?;
    Ok(Ratings { labels: frame.labels, rows })
}

/// The rating query's result: one row per rating, in output order (plan, period, kind, item
/// order), as columns. [`RatedFrame::reader`] words the rows; `batch` streams them to its
/// writer without holding every [`Rating`] at once.
#[derive(Debug, Clone)]
pub struct RatedFrame {
    labels: Vec<String>,
    df: Option<DataFrame>,
}

/// Runs the rating query over every job's rows. `labels` fixes the benchmark columns (a
/// superset of the jobs' labels, so that chunks of one batch share their columns); `None`
/// takes the jobs' own labels.
pub fn rate_frame(jobs: &[(&Plan, Selection)], labels: Option<&[String]>) -> Result<RatedFrame> {
    let frames = Frames::build(jobs, labels);
    let labels: Vec<String> = frames.labels.iter().cloned().collect();
    if frames.milestone_grid_len + frames.measure_grid_len == 0 {
        return Ok(RatedFrame { labels, df: None });
    }
    let df = query(frames)?.collect()?;
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

    /// Reads rows back as [`Rating`]s; `plans` must be the jobs' plans the frame was rated
    /// from, in the same order.
    pub fn reader<'a>(&'a self, plans: Vec<&'a Plan>, options: RateOptions) -> Result<RowReader<'a>> {
        RowReader::new(plans, &self.labels, self.df.as_ref(), options)
    }
}

/// Item keys: the position of an item in the concatenation of every plan's milestones then
/// measures, so that sorting by key is file order within a plan.
struct ItemIndex {
    entries: Vec<(usize, ItemRef)>,
    first: Vec<(i32, i32)>,
}

impl ItemIndex {
    fn new<'p>(plans: impl IntoIterator<Item = &'p Plan>) -> ItemIndex {
        let mut entries = Vec::new();
        let mut first = Vec::new();
        for (p, plan) in plans.into_iter().enumerate() {
            let m0 = entries.len() as i32;
            entries.extend((0..plan.milestones.len()).map(|i| (p, ItemRef::Milestone(i))));
            let v0 = entries.len() as i32;
            entries.extend((0..plan.measures.len()).map(|i| (p, ItemRef::Measure(i))));
            first.push((m0, v0));
        }
        ItemIndex { entries, first }
    }

    fn key(&self, plan: usize, item: ItemRef) -> i32 {
        match item {
            ItemRef::Milestone(i) => self.first[plan].0 + i as i32,
            ItemRef::Measure(i) => self.first[plan].1 + i as i32,
        }
    }
}

/// The input frames of the query, built column by column.
struct Frames {
    items: DataFrame,
    updates: DataFrame,
    values: DataFrame,
    targets: DataFrame,
    benchmarks: DataFrame,
    milestone_grid: DataFrame,
    measure_grid: DataFrame,
    milestone_grid_len: usize,
    measure_grid_len: usize,
    labels: BTreeSet<String>,
}

fn frame(columns: Vec<Column>) -> DataFrame {
    let height = columns.first().map(|c| c.len()).unwrap_or(0);
    DataFrame::new(height, columns).expect("columns built with equal lengths")
}

fn days(date: chrono::NaiveDate) -> i32 {
    (date - chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid")).num_days() as i32
}

impl Frames {
    fn build(jobs: &[(&Plan, Selection)], labels: Option<&[String]>) -> Frames {
        let index = ItemIndex::new(jobs.iter().map(|(p, _)| *p));
        Frames {
            items: items_frame(jobs, &index),
            updates: updates_frame(jobs, &index),
            values: values_frame(jobs, &index),
            targets: targets_frame(jobs, &index),
            benchmarks: benchmarks_frame(jobs, &index),
            milestone_grid: milestone_grid(jobs, &index),
            measure_grid: measure_grid(jobs, &index),
            milestone_grid_len: 0,
            measure_grid_len: 0,
            labels: match labels {
                Some(given) => given.iter().cloned().collect(),
                None => jobs.iter().flat_map(|(p, _)| p.benchmarks.iter().map(|b| b.label.clone())).collect(),
            },
        }
        .with_lengths()
    }

    fn with_lengths(mut self) -> Frames {
        self.milestone_grid_len = self.milestone_grid.height();
        self.measure_grid_len = self.measure_grid.height();
        self
    }
}

/// One row per item: its polarity and its plan's rules, and for milestones the final target,
/// the profile's ends and the due date.
fn items_frame(jobs: &[(&Plan, Selection)], index: &ItemIndex) -> DataFrame {
    let n = index.entries.len();
    let (mut key, mut sign, mut final_target, mut final_amber) = (Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n));
    let (mut baseline, mut baseline_end, mut target_end, mut due) = (Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n));
    let (mut tolerance, mut similar, mut due_inclusive) = (Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n));
    for (k, &(p, item)) in index.entries.iter().enumerate() {
        let plan = jobs[p].0;
        key.push(k as i32);
        tolerance.push(plan.rules.default_tolerance);
        similar.push(plan.rules.similar_within);
        due_inclusive.push(plan.rules.due_on_last_day_is_overdue);
        match item {
            ItemRef::Milestone(i) => {
                let m = &plan.milestones[i];
                sign.push(m.polarity().sign());
                final_target.push(m.target);
                final_amber.push(m.amber_threshold);
                let profiled = m.baseline.is_some() && m.baseline_period.is_some() && m.target.is_some() && m.target_period.is_some();
                baseline.push(if profiled { m.baseline } else { None });
                baseline_end.push(if profiled { m.baseline_period.map(|b| b.end()) } else { None });
                target_end.push(if profiled { m.target_period.map(|t| t.end()) } else { None });
                due.push(m.due.map(days));
            }
            ItemRef::Measure(i) => {
                let m = &plan.measures[i];
                sign.push(m.polarity.sign());
                final_target.push(m.target);
                final_amber.push(m.amber_threshold);
                baseline.push(None);
                baseline_end.push(None);
                target_end.push(None);
                due.push(None);
            }
        }
    }
    frame(vec![
        Column::new("key".into(), key),
        Column::new("sign".into(), sign),
        Column::new("final_target".into(), final_target),
        Column::new("final_amber".into(), final_amber),
        Column::new("baseline".into(), baseline),
        Column::new("baseline_end".into(), baseline_end),
        Column::new("target_end".into(), target_end),
        Column::new("due".into(), due),
        Column::new("tolerance".into(), tolerance),
        Column::new("similar_within".into(), similar),
        Column::new("due_inclusive".into(), due_inclusive),
    ])
}

fn updates_frame(jobs: &[(&Plan, Selection)], index: &ItemIndex) -> DataFrame {
    let (mut key, mut start, mut len, mut value) = (vec![], vec![], vec![], vec![]);
    let (mut complete, mut issues, mut officer, mut empty) = (vec![], vec![], vec![], vec![]);
    for (p, (plan, _)) in jobs.iter().enumerate() {
        for u in &plan.updates {
            key.push(index.key(p, ItemRef::Milestone(u.milestone)));
            start.push(u.period.start);
            len.push(u.period.months());
            value.push(u.value);
            complete.push(u.complete);
            issues.push(u.issues);
            officer.push(u.status.map(Status::code));
            empty.push(u.is_empty());
        }
    }
    let has = vec![true; key.len()];
    frame(vec![
        Column::new("key".into(), key),
        Column::new("start".into(), start),
        Column::new("len".into(), len),
        Column::new("value".into(), value),
        Column::new("complete".into(), complete),
        Column::new("issues".into(), issues),
        Column::new("officer".into(), officer),
        Column::new("empty".into(), empty),
        Column::new("has_update".into(), has),
    ])
}

/// Values with the Wilson score interval of numerator/denominator, scaled to the value's units.
fn values_frame(jobs: &[(&Plan, Selection)], index: &ItemIndex) -> DataFrame {
    let (mut key, mut start, mut value, mut lo, mut hi) = (vec![], vec![], vec![], vec![], vec![]);
    for (p, (plan, _)) in jobs.iter().enumerate() {
        for v in &plan.values {
            key.push(index.key(p, ItemRef::Measure(v.measure)));
            start.push(v.period.start);
            value.push(v.value);
            let unit = &plan.measures[v.measure].unit;
            let interval = match (v.value, v.numerator, v.denominator) {
                (Some(value), Some(n), Some(d)) if d > 0.0 => Some(wilson(value, n, d, unit, plan.rules.wilson_z)),
                _ => None,
            };
            lo.push(interval.map(|i| i.0));
            hi.push(interval.map(|i| i.1));
        }
    }
    let has = vec![true; key.len()];
    frame(vec![
        Column::new("key".into(), key),
        Column::new("start".into(), start),
        Column::new("value".into(), value),
        Column::new("wilson_lo".into(), lo),
        Column::new("wilson_hi".into(), hi),
        Column::new("has_value".into(), has),
    ])
}

/// The Wilson score interval of `n / d` at `z`, scaled to the value's units by
/// `value / (n / d)` (×100 for a percentage when the proportion is 0).
pub fn wilson(value: f64, n: f64, d: f64, unit: &str, z: f64) -> (f64, f64) {
    let p = n / d;
    let z2 = z * z;
    let denom = 1.0 + z2 / d;
    let centre = (p + z2 / (2.0 * d)) / denom;
    let half = z * (p * (1.0 - p) / d + z2 / (4.0 * d * d)).max(0.0).sqrt() / denom;
    let scale = if p > 0.0 { value / p } else if unit.trim() == "%" { 100.0 } else { 1.0 };
    ((centre - half) * scale, (centre + half) * scale)
}

/// Targets from `targets.csv`, one row per month they cover; where two rows cover a month (an
/// annual and a quarterly target), the shorter period's wins.
fn targets_frame(jobs: &[(&Plan, Selection)], index: &ItemIndex) -> DataFrame {
    let mut best: HashMap<(i32, i32), (i32, i32, f64, Option<f64>)> = HashMap::new();
    for (p, (plan, _)) in jobs.iter().enumerate() {
        for t in &plan.targets {
            let key = index.key(p, t.item);
            for month in t.period.start..t.period.end() {
                let candidate = (t.period.months(), t.period.start, t.target, t.amber_threshold);
                best.entry((key, month))
                    .and_modify(|e| {
                        if candidate.0 < e.0 {
                            *e = candidate
                        }
                    })
                    .or_insert(candidate);
            }
        }
    }
    let mut rows: Vec<_> = best.into_iter().collect();
    rows.sort_by_key(|r| r.0);
    frame(vec![
        Column::new("key".into(), rows.iter().map(|r| r.0 .0).collect::<Vec<i32>>()),
        Column::new("month".into(), rows.iter().map(|r| r.0 .1).collect::<Vec<i32>>()),
        Column::new("tr_len".into(), rows.iter().map(|r| r.1 .0).collect::<Vec<i32>>()),
        Column::new("tr_start".into(), rows.iter().map(|r| r.1 .1).collect::<Vec<i32>>()),
        Column::new("tr_target".into(), rows.iter().map(|r| r.1 .2).collect::<Vec<f64>>()),
        Column::new("tr_amber".into(), rows.iter().map(|r| r.1 .3).collect::<Vec<Option<f64>>>()),
    ])
}

fn benchmarks_frame(jobs: &[(&Plan, Selection)], index: &ItemIndex) -> DataFrame {
    let mut rows = Vec::new();
    for (p, (plan, _)) in jobs.iter().enumerate() {
        for b in &plan.benchmarks {
            rows.push((b.period.end(), index.key(p, b.item), b.label.clone(), b.value, b.period.start, b.period.months()));
        }
    }
    // As-of joins need the right side sorted by the "on" column.
    rows.sort_by(|a, b| (a.0, a.1, &a.2).cmp(&(b.0, b.1, &b.2)));
    frame(vec![
        Column::new("b_end".into(), rows.iter().map(|r| r.0).collect::<Vec<i32>>()),
        Column::new("key".into(), rows.iter().map(|r| r.1).collect::<Vec<i32>>()),
        Column::new("label".into(), rows.iter().map(|r| r.2.as_str()).collect::<Vec<&str>>()),
        Column::new("b_value".into(), rows.iter().map(|r| r.3).collect::<Vec<f64>>()),
        Column::new("b_start".into(), rows.iter().map(|r| r.4).collect::<Vec<i32>>()),
        Column::new("b_len".into(), rows.iter().map(|r| r.5).collect::<Vec<i32>>()),
    ])
}

/// One row per milestone and period T to rate it at.
fn milestone_grid(jobs: &[(&Plan, Selection)], index: &ItemIndex) -> DataFrame {
    let (mut plan_col, mut key, mut t_start, mut t_len, mut last_day) = (vec![], vec![], vec![], vec![], vec![]);
    for (p, (plan, selection)) in jobs.iter().enumerate() {
        for t in &selection.milestone_periods {
            let last = days(t.last_day());
            for i in 0..plan.milestones.len() {
                plan_col.push(p as i32);
                key.push(index.key(p, ItemRef::Milestone(i)));
                t_start.push(t.start);
                t_len.push(t.months());
                last_day.push(last);
            }
        }
    }
    frame(vec![
        Column::new("plan".into(), plan_col),
        Column::new("key".into(), key),
        Column::new("t_start".into(), t_start),
        Column::new("t_len".into(), t_len),
        Column::new("t_last_day".into(), last_day),
    ])
}

/// One row per measure and period T, with the measure's own period M and the start of its
/// direction-of-travel comparator.
fn measure_grid(jobs: &[(&Plan, Selection)], index: &ItemIndex) -> DataFrame {
    let (mut plan_col, mut key, mut t_start, mut t_len) = (vec![], vec![], vec![], vec![]);
    let (mut m_start, mut m_len, mut cmp_start) = (vec![], vec![], vec![]);
    for (p, (plan, selection)) in jobs.iter().enumerate() {
        for t in &selection.measure_periods {
            for (i, measure) in plan.measures.iter().enumerate() {
                let m = t.latest_of(measure.frequency, measure.year_type);
                let cmp = match plan.dot_basis(measure) {
                    DotBasis::Previous => m.previous(),
                    DotBasis::YearAgo => m.year_ago(),
                };
                plan_col.push(p as i32);
                key.push(index.key(p, ItemRef::Measure(i)));
                t_start.push(t.start);
                t_len.push(t.months());
                m_start.push(m.start);
                m_len.push(m.months());
                cmp_start.push(cmp.start);
            }
        }
    }
    frame(vec![
        Column::new("plan".into(), plan_col),
        Column::new("key".into(), key),
        Column::new("t_start".into(), t_start),
        Column::new("t_len".into(), t_len),
        Column::new("m_start".into(), m_start),
        Column::new("m_len".into(), m_len),
        Column::new("cmp_start".into(), cmp_start),
    ])
}

/// Rule codes: which rule decided, so the reason can be worded after the query.
pub(crate) mod rule {
    pub const NO_UPDATE: i32 = 1;
    pub const EMPTY_UPDATE: i32 = 2;
    pub const COMPLETE: i32 = 3;
    pub const ISSUES: i32 = 4;
    pub const OVERDUE: i32 = 5;
    pub const MET: i32 = 6;
    pub const WITHIN: i32 = 7;
    pub const BEYOND: i32 = 8;
    pub const ONGOING: i32 = 9;
    pub const NO_VALUE: i32 = 10;
    pub const NEUTRAL: i32 = 11;
    pub const NO_TARGET: i32 = 12;

    /// Where the target came from.
    pub const FROM_TRAJECTORY: i32 = 1;
    pub const FROM_PROFILE: i32 = 2;
    pub const FROM_FINAL: i32 = 3;
}

fn left(keys: &[&str]) -> Vec<Expr> {
    keys.iter().map(|k| col(*k)).collect()
}

fn left_join(l: LazyFrame, r: LazyFrame, on_left: &[&str], on_right: &[&str]) -> LazyFrame {
    let args = JoinArgs::new(JoinType::Left).with_coalesce(JoinCoalesce::CoalesceColumns);
    l.join(r, left(on_left), left(on_right), JoinArgs { maintain_order: MaintainOrderJoin::Left, ..args })
}

/// `sign * (value - threshold) >= 0`: the value is at or beyond the threshold the good way.
fn meets(value: Expr, threshold: Expr) -> Expr {
    (col("sign").cast(DataType::Float64) * (value - threshold)).gt_eq(lit(0.0))
}

/// The amber threshold implied by the plan's default tolerance for `target`.
fn default_threshold(target: Expr) -> Expr {
    target.clone() - col("sign").cast(DataType::Float64) * col("tolerance") * abs(target)
}

/// Green/Amber/Red (as rule codes) for `value` against `target` and `amber`.
fn against_target(value: Expr, target: Expr, amber: Expr) -> Expr {
    when(meets(value.clone(), target))
        .then(lit(rule::MET))
        .when(meets(value, amber))
        .then(lit(rule::WITHIN))
        .otherwise(lit(rule::BEYOND))
}

/// `|x|`, without pulling in polars' `abs` feature for one use.
fn abs(x: Expr) -> Expr {
    when(x.clone().lt(lit(0.0))).then(lit(0.0) - x.clone()).otherwise(x)
}

/// `x` limited to `[0, 1]`.
fn unit_interval(x: Expr) -> Expr {
    when(x.clone().lt(lit(0.0))).then(lit(0.0)).when(x.clone().gt(lit(1.0))).then(lit(1.0)).otherwise(x)
}

/// `expr` equals one of `codes`.
fn one_of(expr: Expr, codes: &[i32]) -> Expr {
    codes.iter().map(|c| expr.clone().eq(lit(*c))).reduce(|a, b| a.or(b)).unwrap_or(lit(false))
}

fn query(f: Frames) -> Result<LazyFrame> {
    let items = f.items.lazy();
    let targets = f.targets.lazy();

    // Milestones at T (SPEC rules 1-5).
    let updates = f.updates.lazy();
    let previous_updates = updates.clone().select([col("key"), col("start"), col("len"), col("value").alias("cmp_value")]);
    let ms = f
        .milestone_grid
        .lazy()
        .with_columns([
            (col("t_start") + col("t_len") - lit(1)).alias("month"),
            (col("t_start") - col("t_len")).alias("cmp_start"),
            col("t_start").alias("m_start"),
            col("t_len").alias("m_len"),
        ]);
    let ms = left_join(ms, items.clone(), &["key"], &["key"]);
    let ms = left_join(ms, updates, &["key", "t_start", "t_len"], &["key", "start", "len"]);
    let ms = left_join(ms, targets.clone(), &["key", "month"], &["key", "month"]);
    let ms = left_join(ms, previous_updates, &["key", "cmp_start", "t_len"], &["key", "start", "len"]);
    let t_end = (col("t_start") + col("t_len")).cast(DataType::Float64);
    let fraction = unit_interval(
        (t_end - col("baseline_end").cast(DataType::Float64)) / (col("target_end") - col("baseline_end")).cast(DataType::Float64),
    );
    let profiled = col("baseline") + (col("final_target") - col("baseline")) * fraction;
    let ms = ms
        .with_columns([
            col("has_update").fill_null(lit(false)),
            when(col("tr_target").is_not_null())
                .then(lit(rule::FROM_TRAJECTORY))
                .when(col("baseline").is_not_null())
                .then(lit(rule::FROM_PROFILE))
                .when(col("final_target").is_not_null())
                .then(lit(rule::FROM_FINAL))
                .otherwise(lit(NULL).cast(DataType::Int32))
                .alias("target_source"),
        ])
        .with_columns([when(col("target_source").eq(lit(rule::FROM_TRAJECTORY)))
            .then(col("tr_target"))
            .when(col("target_source").eq(lit(rule::FROM_PROFILE)))
            .then(profiled)
            .otherwise(col("final_target"))
            .alias("target")])
        .with_columns([when(col("target_source").eq(lit(rule::FROM_TRAJECTORY)))
            .then(col("tr_amber").fill_null(default_threshold(col("target"))))
            .otherwise(col("final_amber").fill_null(default_threshold(col("target"))))
            .alias("amber")])
        .with_columns([
            col("due")
                .is_not_null()
                .and(col("due").lt(col("t_last_day")).or(col("due").eq(col("t_last_day")).and(col("due_inclusive"))))
            .alias("overdue"),
        ])
        .with_columns([when(col("has_update").not())
            .then(lit(rule::NO_UPDATE))
            .when(col("empty"))
            .then(lit(rule::EMPTY_UPDATE))
            .when(col("complete"))
            .then(lit(rule::COMPLETE))
            .when(col("issues"))
            .then(lit(rule::ISSUES))
            .when(col("overdue"))
            .then(lit(rule::OVERDUE))
            .when(col("value").is_not_null().and(col("target").is_not_null()).and(col("sign").neq(lit(0))))
            .then(against_target(col("value"), col("target"), col("amber")))
            .otherwise(lit(rule::ONGOING))
            .alias("rule")])
        .with_columns([lit(0).alias("kind"), lit(NULL).cast(DataType::Float64).alias("wilson_lo"), lit(NULL).cast(DataType::Float64).alias("wilson_hi")]);

    // Measures at their own period M.
    let values = f.values.lazy();
    let previous_values = values.clone().select([col("key"), col("start"), col("value").alias("cmp_value")]);
    let me = f.measure_grid.lazy().with_columns([(col("m_start") + col("m_len") - lit(1)).alias("month")]);
    let me = left_join(me, items, &["key"], &["key"]);
    let me = left_join(me, values, &["key", "m_start"], &["key", "start"]);
    let me = left_join(me, targets, &["key", "month"], &["key", "month"]);
    let me = left_join(me, previous_values, &["key", "cmp_start"], &["key", "start"]);
    let me = me
        .with_columns([
            when(col("tr_target").is_not_null())
                .then(lit(rule::FROM_TRAJECTORY))
                .when(col("final_target").is_not_null())
                .then(lit(rule::FROM_FINAL))
                .otherwise(lit(NULL).cast(DataType::Int32))
                .alias("target_source"),
            col("tr_target").fill_null(col("final_target")).alias("target"),
        ])
        .with_columns([when(col("tr_target").is_not_null())
            .then(col("tr_amber").fill_null(default_threshold(col("target"))))
            .otherwise(col("final_amber").fill_null(default_threshold(col("target"))))
            .alias("amber")])
        .with_columns([when(col("value").is_null())
            .then(lit(rule::NO_VALUE))
            .when(col("sign").eq(lit(0)))
            .then(lit(rule::NEUTRAL))
            .when(col("target").is_null())
            .then(lit(rule::NO_TARGET))
            .otherwise(against_target(col("value"), col("target"), col("amber")))
            .alias("rule")])
        .with_columns([
            lit(1).alias("kind"),
            lit(NULL).cast(DataType::Int32).alias("officer"),
            lit(NULL).cast(DataType::Int32).alias("t_last_day"),
        ]);

    let common = [
        "plan", "key", "kind", "t_start", "t_len", "m_start", "m_len", "sign", "rule", "officer", "value", "target",
        "amber", "target_source", "tr_start", "tr_len", "tr_amber", "final_amber", "cmp_value", "wilson_lo", "wilson_hi", "similar_within",
    ];
    let pick = |lf: LazyFrame| lf.select(common.iter().map(|c| col(*c)).collect::<Vec<_>>());
    let all = concat([pick(ms), pick(me)], UnionArgs::default())?;

    // Status from rule, direction of travel from the comparator value.
    let status = when(one_of(col("rule"), &[rule::NO_UPDATE, rule::EMPTY_UPDATE, rule::NO_VALUE]))
        .then(lit(Status::Blue.code()))
        .when(one_of(col("rule"), &[rule::COMPLETE, rule::MET]))
        .then(lit(Status::Green.code()))
        .when(one_of(col("rule"), &[rule::ISSUES, rule::OVERDUE, rule::BEYOND]))
        .then(lit(Status::Red.code()))
        .when(one_of(col("rule"), &[rule::WITHIN, rule::ONGOING]))
        .then(lit(Status::Amber.code()))
        .otherwise(lit(NULL).cast(DataType::Int32));
    let movement = when(col("value").is_null().or(col("cmp_value").is_null()))
        .then(lit(NULL).cast(DataType::Int32))
        .when(col("value").gt(col("cmp_value")))
        .then(lit(1))
        .when(col("value").lt(col("cmp_value")))
        .then(lit(-1))
        .otherwise(lit(0));
    let mut all = all.with_columns([
        status.alias("computed"),
        movement.alias("dot"),
        (col("t_start") + col("t_len")).alias("t_end"),
        (col("m_start") + col("m_len")).alias("m_end"),
        lit(0).alias("zero"),
    ]);

    // Benchmarks: per label, the latest value whose period ends by the end of M (as-of join).
    let labels: Vec<String> = f.labels.iter().cloned().collect();
    if !labels.is_empty() {
        all = all.sort(["m_end"], SortMultipleOptions::default().with_maintain_order(true));
        let benchmarks = f.benchmarks.lazy();
        for (i, label) in labels.iter().enumerate() {
            let right = benchmarks
                .clone()
                .filter(col("label").eq(lit(label.as_str())))
                .select([
                    col("key"),
                    col("b_end").alias("m_end"),
                    col("b_value").alias(format!("b{i}_value")),
                    col("b_start").alias(format!("b{i}_start")),
                    col("b_len").alias(format!("b{i}_len")),
                ]);
            let options = AsOfOptions {
                strategy: AsofStrategy::Backward,
                left_by: Some(vec!["key".into()]),
                right_by: Some(vec!["key".into()]),
                allow_eq: true,
                check_sortedness: false, // sorted above; polars cannot check within `by` groups
                ..Default::default()
            };
            let args = JoinArgs::new(JoinType::AsOf(Box::new(options))).with_coalesce(JoinCoalesce::CoalesceColumns);
            all = all.join(right, [col("m_end")], [col("m_end")], args);
            let b = col(format!("b{i}_value").as_str());
            let similar = when(col("wilson_lo").is_not_null())
                .then(b.clone().gt_eq(col("wilson_lo")).and(b.clone().lt_eq(col("wilson_hi"))))
                .otherwise(abs(col("value") - b.clone()).lt_eq(col("similar_within")));
            let direction = when(col("value").gt(b.clone())).then(lit(1.0)).when(col("value").lt(b.clone())).then(lit(-1.0)).otherwise(lit(0.0));
            let versus = when(col("value").is_null().or(b.clone().is_null()))
                .then(lit(NULL).cast(DataType::Int32))
                .when(similar)
                .then(lit(2))
                .when(col("sign").eq(lit(0)))
                .then(when(direction.clone().gt(lit(0.0))).then(lit(4)).otherwise(lit(5)))
                .when((direction * col("sign").cast(DataType::Float64)).gt(lit(0.0)))
                .then(lit(1))
                .otherwise(lit(3));
            all = all.with_columns([versus.alias(format!("b{i}_vs")), (col("value") - b).alias(format!("b{i}_gap"))]);
        }
    }
    let order = ["plan", "t_end", "t_len", "kind", "key"];
    let descending = vec![false, false, true, false, false];
    Ok(all.sort(order, SortMultipleOptions::default().with_order_descending_multi(descending).with_maintain_order(true)))
}

/// One column of the query's result, as a plain vector (cheap to index row by row).
type Col<T> = Vec<Option<T>>;

/// Reads the query's columns back into [`Rating`]s, one row at a time, and words the reasons.
pub struct RowReader<'a> {
    plans: Vec<&'a Plan>,
    index: ItemIndex,
    options: RateOptions,
    plan: Col<i32>,
    key: Col<i32>,
    t_start: Col<i32>,
    t_len: Col<i32>,
    m_start: Col<i32>,
    m_len: Col<i32>,
    sign: Col<i32>,
    rule: Col<i32>,
    officer: Col<i32>,
    computed: Col<i32>,
    dot: Col<i32>,
    target_source: Col<i32>,
    tr_start: Col<i32>,
    tr_len: Col<i32>,
    value: Col<f64>,
    target: Col<f64>,
    amber: Col<f64>,
    cmp_value: Col<f64>,
    tr_amber: Col<f64>,
    final_amber: Col<f64>,
    /// Per label: versus, gap, benchmark value, its period's start and length.
    bench: Vec<(Col<i32>, Col<f64>, Col<f64>, Col<i32>, Col<i32>)>,
}

fn missing(what: &str) -> Error {
    Error::Usage(format!("internal: the rating query lost the {what} column"))
}

impl<'a> RowReader<'a> {
    fn new(plans: Vec<&'a Plan>, labels: &[String], df: Option<&DataFrame>, options: RateOptions) -> Result<RowReader<'a>> {
        let i32c = |name: &str| -> Result<Col<i32>> {
            match df {
                Some(df) => Ok(df.column(name)?.cast(&DataType::Int32)?.i32()?.iter().collect()),
                None => Ok(Vec::new()),
            }
        };
        let f64c = |name: &str| -> Result<Col<f64>> {
            match df {
                Some(df) => Ok(df.column(name)?.f64()?.iter().collect()),
                None => Ok(Vec::new()),
            }
        };
        let mut bench = Vec::new();
        for i in 0..labels.len() {
            bench.push((
                i32c(&format!("b{i}_vs"))?,
                f64c(&format!("b{i}_gap"))?,
                f64c(&format!("b{i}_value"))?,
                i32c(&format!("b{i}_start"))?,
                i32c(&format!("b{i}_len"))?,
            ));
        }
        Ok(RowReader {
            index: ItemIndex::new(plans.iter().copied()),
            plans,
            options,
            plan: i32c("plan")?,
            key: i32c("key")?,
            t_start: i32c("t_start")?,
            t_len: i32c("t_len")?,
            m_start: i32c("m_start")?,
            m_len: i32c("m_len")?,
            sign: i32c("sign")?,
            rule: i32c("rule")?,
            officer: i32c("officer")?,
            computed: i32c("computed")?,
            dot: i32c("dot")?,
            target_source: i32c("target_source")?,
            tr_start: i32c("tr_start")?,
            tr_len: i32c("tr_len")?,
            value: f64c("value")?,
            target: f64c("target")?,
            amber: f64c("amber")?,
            cmp_value: f64c("cmp_value")?,
            tr_amber: f64c("tr_amber")?,
            final_amber: f64c("final_amber")?,
            bench,
        })
    }

    /// The index into the jobs of row `r`'s plan.
    pub fn plan_index(&self, r: usize) -> Result<usize> {
        Ok(self.plan.get(r).copied().flatten().ok_or_else(|| missing("plan"))? as usize)
    }

    /// The reporting period T of row `r`, named in its plan's year type.
    pub fn period(&self, r: usize) -> Result<Period> {
        let plan = self.plans[self.plan_index(r)?];
        let start = self.t_start.get(r).copied().flatten().ok_or_else(|| missing("t_start"))?;
        let len = self.t_len.get(r).copied().flatten().ok_or_else(|| missing("t_len"))?;
        Ok(Period::from_start(start, Frequency::of_months(len), plan.year_type))
    }

    /// The rating in row `r`.
    pub fn rating(&self, r: usize) -> Result<Rating> {
        let at = |c: &Col<i32>| c.get(r).copied().flatten();
        let atf = |c: &Col<f64>| c.get(r).copied().flatten();
        let plan = self.plans[self.plan_index(r)?];
        let (_, item) = self.index.entries[at(&self.key).ok_or_else(|| missing("key"))? as usize];
        let year_type = match item {
            ItemRef::Milestone(_) => plan.year_type,
            ItemRef::Measure(i) => plan.measures[i].year_type,
        };
        let period_of = |start: Option<i32>, len: Option<i32>| -> Option<Period> {
            Some(Period::from_start(start?, Frequency::of_months(len?), year_type))
        };
        let t = period_of(at(&self.t_start), at(&self.t_len)).ok_or_else(|| missing("period"))?;
        let t = Period::from_start(t.start, t.frequency, plan.year_type);
        let m = period_of(at(&self.m_start), at(&self.m_len)).unwrap_or(t);
        let polarity = Polarity::from_sign(at(&self.sign).unwrap_or(1));
        let computed_status = at(&self.computed).and_then(Status::from_code);
        let officer_status = at(&self.officer).and_then(Status::from_code);
        let dot_value = match at(&self.dot) {
            Some(1) => Dot::Up,
            Some(-1) => Dot::Down,
            Some(_) => Dot::Same,
            None => Dot::None,
        };
        let dot_judgement = match (dot_value, polarity) {
            (Dot::None, _) | (_, Polarity::Neutral) => DotJudgement::NotAssessed,
            (Dot::Same, _) => DotJudgement::NoChange,
            (Dot::Up, Polarity::HighIsGood) | (Dot::Down, Polarity::LowIsGood) => DotJudgement::Improving,
            _ => DotJudgement::Worsening,
        };
        let benchmarks = self
            .bench
            .iter()
            .map(|(vs, gap, bv, bs, bl)| Comparison {
                versus: at(vs).and_then(Versus::from_code),
                gap: atf(gap).map(round_output),
                value: atf(bv),
                period: period_of(at(bs), at(bl)),
            })
            .collect();
        let target_source = at(&self.target_source);
        let facts = reason::Facts {
            plan,
            item,
            t,
            m,
            rule: at(&self.rule).unwrap_or(rule::ONGOING),
            computed: computed_status,
            value: atf(&self.value),
            target: atf(&self.target),
            amber: atf(&self.amber),
            polarity,
            target_source,
            trajectory: period_of(at(&self.tr_start), at(&self.tr_len)),
            amber_typed: if target_source == Some(rule::FROM_TRAJECTORY) {
                atf(&self.tr_amber).is_some()
            } else {
                atf(&self.final_amber).is_some()
            },
        };
        let computed_reason = reason::computed(&facts);
        let use_officer = officer_status.filter(|_| !self.options.computed_only);
        let status = use_officer.or(computed_status);
        let disagrees = officer_status.is_some() && officer_status != computed_status;
        let reason = match use_officer {
            Some(o) if disagrees => reason::officer_disagrees(o, &computed_reason),
            _ => computed_reason,
        };
        let (kind, id, priority, title) = match item {
            ItemRef::Milestone(i) => {
                let ms = &plan.milestones[i];
                (Kind::Milestone, &ms.id, &ms.priority, &ms.title)
            }
            ItemRef::Measure(i) => {
                let me = &plan.measures[i];
                (Kind::Measure, &me.id, &me.group, &me.title)
            }
        };
        Ok(Rating {
            plan: plan.name.clone(),
            period: t,
            kind,
            item: id.clone(),
            priority: priority.clone(),
            title: title.clone(),
            status,
            computed_status,
            disagrees,
            reason,
            value: atf(&self.value),
            target: atf(&self.target).map(round_output),
            amber_threshold: atf(&self.amber).map(round_output),
            polarity,
            rated_period: m,
            dot: dot_value,
            dot_judgement,
            comparator_value: atf(&self.cmp_value),
            benchmarks,
        })
    }
}

/// Rounds a computed number to 6 decimals so that output bytes do not depend on the last bit
/// of floating-point arithmetic.
pub fn round_output(x: f64) -> f64 {
    let r = (x * 1e6).round() / 1e6;
    if r == 0.0 {
        0.0
    } else {
        r
    }
}
