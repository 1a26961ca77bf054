//! Reading the query's result back one rating at a time: each row's columns into a
//! [`Rating`] that borrows its text from the plans, with its reason worded by the rule
//! families (`engine/rules/`). Nothing is decided here: every judgement is a column the query
//! computed.

use super::frames::ItemIndex;
use super::rules::{self, benchmarks, direction, forecast, reported, spc, stale, target, trend, Facts, Outcome, Words};
use crate::error::{Error, Result};
use crate::model::columns::Sentences;
use crate::model::number::round_output;
use crate::model::period::{Frequency, Period};
use crate::model::rating::{
    Comparison, DotJudgement, ForecastStatus, Kind, Level, Rating, Spc, SpcAssurance, SpcSignal, SpcVariation, TrendJudgement, Versus,
};
use crate::model::values::{Polarity, Status};
use crate::read::plan::{ItemRef, Plan};
use polars::prelude::*;
use std::borrow::Cow;

/// Room for the parts of a row that are computed rather than borrowed (the reason and the
/// comparisons), reused from row to row by [`RowReader::view`].
#[derive(Debug, Default)]
pub struct RowScratch {
    reason: String,
    benchmarks: Vec<Comparison>,
    words: Words,
    forecast_reason: String,
    stale_reason: String,
    trend_reason: String,
    spc_reason: String,
    /// Which sentences to word (`batch --columns`); the others are left empty.
    sentences: Sentences,
}

impl RowScratch {
    /// Scratch that words only `sentences`: a row's other sentences are left empty, for a
    /// writer that leaves their columns out.
    pub fn wording(sentences: Sentences) -> RowScratch {
        RowScratch { sentences, ..RowScratch::default() }
    }
}

/// One column of the query's result in one piece, read straight from its arrow buffers: a
/// row is an index into the values and a validity bit, with no chunk lookup or downcast per
/// cell (about 60 cells for each of millions of rows), and nothing is copied.
struct Col<T: PolarsNumericType> {
    values: polars_buffer::Buffer<T::Native>,
    validity: Option<polars_arrow::bitmap::Bitmap>,
}

impl<T: PolarsNumericType> Col<T> {
    fn new(ca: &ChunkedArray<T>) -> Col<T> {
        let ca = ca.rechunk();
        let col = match ca.downcast_iter().next() {
            Some(array) => Col { values: array.values().clone(), validity: array.validity().cloned() },
            None => Col::empty(),
        };
        col
    }

    fn empty() -> Col<T> {
        Col { values: Vec::new().into(), validity: None }
    }

    #[inline]
    fn get(&self, r: usize) -> Option<T::Native> {
        let v = *self.values.get(r)?;
        match &self.validity {
            Some(bits) if !bits.get_bit(r) => None,
            _ => Some(v),
        }
    }
}

/// T named in the plan's year type, or, when it is not a period of that year type but a
/// calendar year or quarter, as that (`2012`, not `2012-01..2012-12`): a calendar year reads
/// the same in `period` as in a calendar measure's `rated_period` (issue #16, decision b).
fn file_label(t: Period) -> Period {
    if t.is_aligned() {
        return t;
    }
    let calendar = Period::from_start(t.start, t.frequency, crate::model::period::YearType::Calendar);
    if calendar.is_aligned() {
        calendar
    } else {
        t
    }
}

/// Reads the query's columns back into [`Rating`]s, one row at a time, and words the reasons.
pub struct RowReader<'a> {
    plans: Vec<&'a Plan>,
    index: ItemIndex,
    plan: Col<Int32Type>,
    key: Col<Int32Type>,
    t_start: Col<Int32Type>,
    t_len: Col<Int32Type>,
    m_start: Col<Int32Type>,
    m_len: Col<Int32Type>,
    sign: Col<Int32Type>,
    rule: Col<Int32Type>,
    status: Col<Int32Type>,
    computed: Col<Int32Type>,
    disagrees: Col<Int32Type>,
    dot: Col<Int32Type>,
    dot_judgement: Col<Int32Type>,
    target_source: Col<Int32Type>,
    tr_start: Col<Int32Type>,
    tr_len: Col<Int32Type>,
    value: Col<Float64Type>,
    target: Col<Float64Type>,
    amber: Col<Float64Type>,
    cmp_value: Col<Float64Type>,
    tr_amber: Col<Float64Type>,
    final_amber: Col<Float64Type>,
    // Issue #16.
    percent_complete: Col<Float64Type>,
    expected_progress: Col<Float64Type>,
    progress_ratio: Col<Float64Type>,
    stale: Col<Int32Type>,
    last_start: Col<Int32Type>,
    last_len: Col<Int32Type>,
    fc_n: Col<Int32Type>,
    fc_first: Col<Int32Type>,
    fc_at: Col<Int32Type>,
    fc_at_start: Col<Int32Type>,
    fc_at_len: Col<Int32Type>,
    fc_target: Col<Float64Type>,
    forecast_value: Col<Float64Type>,
    forecast_status: Col<Int32Type>,
    // Issue #13.
    spc_mean: Col<Float64Type>,
    spc_upper: Col<Float64Type>,
    spc_lower: Col<Float64Type>,
    spc_points: Col<Int32Type>,
    spc_side: Col<Int32Type>,
    spc_signal: Col<Int32Type>,
    spc_why: Col<Int32Type>,
    spc_rebase: Col<Int32Type>,
    spc_variation: Col<Int32Type>,
    spc_assurance: Col<Int32Type>,
    bench: Vec<BenchmarkColumns>,
    trend: Col<Int32Type>,
    trend_why: Col<Int32Type>,
    trend_chi2: Col<Float64Type>,
    trend_n: Col<Int32Type>,
    trend_test: Col<Int32Type>,
    trend_judgement: Col<Int32Type>,
}

/// One benchmark label's columns: the judgement, the gap, the benchmark value and its period.
struct BenchmarkColumns {
    versus: Col<Int32Type>,
    gap: Col<Float64Type>,
    value: Col<Float64Type>,
    start: Col<Int32Type>,
    len: Col<Int32Type>,
    sig: Col<Int32Type>,
}

fn missing(what: &str) -> Error {
    Error::Internal(format!("the rating query lost the {what} column"))
}

impl<'a> RowReader<'a> {
    pub(super) fn new(plans: Vec<&'a Plan>, labels: &[String], df: Option<&DataFrame>) -> Result<RowReader<'a>> {
        let i32c = |name: &str| -> Result<Col<Int32Type>> {
            match df {
                Some(df) => Ok(Col::new(df.column(name)?.cast(&DataType::Int32)?.i32()?)),
                None => Ok(Col::empty()),
            }
        };
        let f64c = |name: &str| -> Result<Col<Float64Type>> {
            match df {
                Some(df) => Ok(Col::new(df.column(name)?.f64()?)),
                None => Ok(Col::empty()),
            }
        };
        let mut bench = Vec::new();
        for i in 0..labels.len() {
            let [versus, gap, value, start, len, sig] = benchmarks::column_names(i);
            bench.push(BenchmarkColumns {
                versus: i32c(&versus)?,
                gap: f64c(&gap)?,
                value: f64c(&value)?,
                start: i32c(&start)?,
                len: i32c(&len)?,
                sig: i32c(&sig)?,
            });
        }
        Ok(RowReader {
            index: ItemIndex::new(plans.iter().copied()),
            plans,
            plan: i32c("plan")?,
            key: i32c("key")?,
            t_start: i32c("t_start")?,
            t_len: i32c("t_len")?,
            m_start: i32c("m_start")?,
            m_len: i32c("m_len")?,
            sign: i32c("sign")?,
            rule: i32c("rule")?,
            status: i32c("status")?,
            computed: i32c("computed")?,
            disagrees: i32c("disagrees")?,
            dot: i32c("dot")?,
            dot_judgement: i32c("dot_judgement")?,
            target_source: i32c("target_source")?,
            tr_start: i32c("tr_start")?,
            tr_len: i32c("tr_len")?,
            value: f64c("value")?,
            target: f64c("target")?,
            amber: f64c("amber")?,
            cmp_value: f64c("cmp_value")?,
            tr_amber: f64c("tr_amber")?,
            final_amber: f64c("final_amber")?,
            percent_complete: f64c("percent_complete")?,
            expected_progress: f64c("expected_progress")?,
            progress_ratio: f64c("progress_ratio")?,
            stale: i32c("stale")?,
            last_start: i32c("last_start")?,
            last_len: i32c("last_len")?,
            fc_n: i32c("fc_n")?,
            fc_first: i32c("fc_first")?,
            fc_at: i32c("fc_at")?,
            fc_at_start: i32c("fc_at_start")?,
            fc_at_len: i32c("fc_at_len")?,
            fc_target: f64c("fc_target")?,
            forecast_value: f64c("forecast_value")?,
            forecast_status: i32c("forecast_status")?,
            spc_mean: f64c("spc_mean")?,
            spc_upper: f64c("spc_upper")?,
            spc_lower: f64c("spc_lower")?,
            spc_points: i32c("spc_points")?,
            spc_side: i32c("spc_side")?,
            spc_signal: i32c("spc_signal")?,
            spc_why: i32c("spc_why")?,
            spc_rebase: i32c("spc_rebase")?,
            spc_variation: i32c("spc_variation")?,
            spc_assurance: i32c("spc_assurance")?,
            bench,
            trend: i32c("trend")?,
            trend_why: i32c("trend_why")?,
            trend_chi2: f64c("trend_chi2")?,
            trend_n: i32c("trend_n")?,
            trend_test: i32c("trend_test")?,
            trend_judgement: i32c("trend_judgement")?,
        })
    }

    /// The index into the jobs of row `r`'s plan.
    pub fn plan_index(&self, r: usize) -> Result<usize> {
        Ok(self.plan.get(r).ok_or_else(|| missing("plan"))? as usize)
    }

    /// Row `r`'s plan.
    pub fn plan(&self, r: usize) -> Result<&'a Plan> {
        let i = self.plan_index(r)?;
        self.plans.get(i).copied().ok_or_else(|| missing("plan"))
    }

    /// Row `r`'s item, as a number unique among this frame's items (plan by plan, milestones
    /// then measures): what writers key per-item caches by.
    pub fn item_key(&self, r: usize) -> Result<usize> {
        Ok(self.key.get(r).ok_or_else(|| missing("key"))? as usize)
    }

    /// The reporting period T of row `r`, named in its plan's year type.
    pub fn period(&self, r: usize) -> Result<Period> {
        let plan = self.plans[self.plan_index(r)?];
        let start = self.t_start.get(r).ok_or_else(|| missing("t_start"))?;
        let len = self.t_len.get(r).ok_or_else(|| missing("t_len"))?;
        Ok(file_label(Period::from_start(start, Frequency::of_months(len), plan.year_type)))
    }

    /// The rating in row `r`.
    pub fn rating(&self, r: usize) -> Result<Rating<'static>> {
        let mut scratch = RowScratch::default();
        Ok(self.view(r, &mut scratch)?.into_owned())
    }

    /// The rating in row `r`, borrowing its text from the plans and `scratch`.
    pub fn view<'s>(&'s self, r: usize, scratch: &'s mut RowScratch) -> Result<Rating<'s>> {
        let at = |c: &Col<Int32Type>| c.get(r);
        let atf = |c: &Col<Float64Type>| c.get(r);
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
        let t = file_label(Period::from_start(t.start, t.frequency, plan.year_type));
        // A milestone's own period is T, labelled as T is.
        let m = match item {
            ItemRef::Milestone(_) => t,
            ItemRef::Measure(_) => period_of(at(&self.m_start), at(&self.m_len)).unwrap_or(t),
        };
        let polarity = Polarity::from_sign(at(&self.sign).unwrap_or(1));
        let computed_status = at(&self.computed).and_then(Status::from_code);
        let status = at(&self.status).and_then(Status::from_code);
        let disagrees = at(&self.disagrees).is_some_and(|d| d != 0);
        scratch.benchmarks.clear();
        scratch.benchmarks.extend(self.bench.iter().map(|b| Comparison {
            versus: at(&b.versus).and_then(Versus::from_code),
            gap: atf(&b.gap).map(round_output),
            value: atf(&b.value),
            period: period_of(at(&b.start), at(&b.len)),
            sig: match at(&b.sig) {
                Some(benchmarks::SIG_99_8) => Some(Level::P99_8),
                Some(_) => Some(Level::P95),
                None => None,
            },
        }));
        let target_source = at(&self.target_source).and_then(target::Source::from_code);
        let facts = Facts {
            plan,
            item,
            t,
            m,
            rule: at(&self.rule).and_then(Outcome::from_code).unwrap_or(Outcome::Ongoing),
            computed: computed_status,
            value: atf(&self.value),
            target: atf(&self.target),
            amber: atf(&self.amber),
            polarity,
            target_source,
            trajectory: period_of(at(&self.tr_start), at(&self.tr_len)),
            amber_typed: match target_source {
                Some(target::Source::Trajectory) => atf(&self.tr_amber).is_some(),
                // A threshold travelling with the profiled line is computed.
                Some(target::Source::Profile) => false,
                _ => atf(&self.final_amber).is_some(),
            },
            percent_complete: atf(&self.percent_complete),
            expected_progress: atf(&self.expected_progress),
        };
        let wanted = scratch.sentences;
        scratch.reason.clear();
        if wanted.reason {
            // The officer's status is reported where it differs from the engine's: say both.
            if let Some(officer) = status.filter(|s| disagrees && Some(*s) != computed_status) {
                reported::officer_disagrees(officer, &mut scratch.reason);
            }
            rules::reason(&facts, &mut scratch.words, &mut scratch.reason);
        }
        // Issue #16: the forecast's and the staleness's sentences.
        let forecast_status = at(&self.forecast_status).and_then(ForecastStatus::from_code);
        let forecast_value = atf(&self.forecast_value);
        scratch.forecast_reason.clear();
        let fc_n = at(&self.fc_n).unwrap_or(0);
        let fc_target = atf(&self.fc_target);
        let applies = wanted.forecast
            && polarity != Polarity::Neutral
            && at(&self.fc_at).is_some()
            && fc_target.is_some()
            && (matches!(item, ItemRef::Measure(_)) || fc_n > 0);
        if applies {
            let f = forecast::Forecast {
                status: forecast_status,
                value: forecast_value,
                n: fc_n,
                min_points: plan.rules.forecast_min_points,
                from: period_of(at(&self.fc_first), Some(m.months())).unwrap_or(m),
                to: m,
                at: period_of(at(&self.fc_at_start), at(&self.fc_at_len)).unwrap_or(m),
                target: fc_target.unwrap_or_default(),
                polarity,
                typed: atf(&self.value).or(fc_target).unwrap_or_default(),
            };
            forecast::reason(&f, &mut scratch.words, &mut scratch.forecast_reason);
        }
        let is_stale = at(&self.stale).is_some_and(|s| s != 0);
        scratch.stale_reason.clear();
        if is_stale && wanted.stale {
            let last = stale::Last { m, last: period_of(at(&self.last_start), at(&self.last_len)), after: plan.rules.stale_after };
            stale::reason(&last, &mut scratch.words, &mut scratch.stale_reason);
        }
        // Issue #13: the recent trend, for measures of plans that compute it.
        scratch.trend_reason.clear();
        let (trend, trend_judgement) = if matches!(item, ItemRef::Measure(_)) && plan.rules.recent_trend {
            if wanted.trend {
                let why = at(&self.trend_why).and_then(trend::Why::from_code);
                let proportions = at(&self.trend_test) == Some(1);
                trend::reason(
                    why,
                    atf(&self.trend_chi2),
                    proportions,
                    at(&self.trend_n),
                    m,
                    &mut scratch.words.labels,
                    &mut scratch.trend_reason,
                );
            }
            (
                Some(trend::from_code(at(&self.trend))),
                Some(at(&self.trend_judgement).and_then(TrendJudgement::from_code).unwrap_or(TrendJudgement::NotAssessed)),
            )
        } else {
            (None, None)
        };
        let spc = Spc {
            mean: atf(&self.spc_mean).map(round_output),
            upper: atf(&self.spc_upper).map(round_output),
            lower: atf(&self.spc_lower).map(round_output),
            points: at(&self.spc_points).and_then(|n| u32::try_from(n).ok()),
            variation: at(&self.spc_variation).and_then(SpcVariation::from_code),
            signal: at(&self.spc_signal).and_then(SpcSignal::from_code),
            assurance: at(&self.spc_assurance).and_then(SpcAssurance::from_code),
        };
        scratch.spc_reason.clear();
        // Issue #13: SPC's reason, for measures of plans that compute it (`spc = false`: empty).
        if let (ItemRef::Measure(i), true) = (item, plan.rules.spc && wanted.spc) {
            let measure = &plan.measures[i];
            let facts = spc::Facts {
                spc,
                why: at(&self.spc_why),
                rebase: at(&self.spc_rebase).map(|start| Period::from_start(start, measure.frequency, measure.year_type)),
                high: at(&self.spc_side).is_some_and(|s| s > 0),
                decimals: atf(&self.value).map(|v| rules::decimals_of(v, &mut scratch.words.number)).unwrap_or(1),
                m,
                min_points: plan.rules.spc_min_points,
                run: plan.rules.spc_run_length,
            };
            spc::reason(&facts, &mut scratch.words.labels, &mut scratch.spc_reason);
        }
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
            plan: Cow::Borrowed(&plan.name),
            period: t,
            kind,
            item: Cow::Borrowed(id),
            priority: Cow::Borrowed(priority),
            title: Cow::Borrowed(title),
            status,
            computed_status,
            disagrees,
            reason: Cow::Borrowed(&scratch.reason),
            value: atf(&self.value),
            target: atf(&self.target).map(round_output),
            amber_threshold: atf(&self.amber).map(round_output),
            polarity,
            rated_period: m,
            dot: direction::from_code(at(&self.dot)),
            dot_judgement: at(&self.dot_judgement).and_then(DotJudgement::from_code).unwrap_or(DotJudgement::NotAssessed),
            comparator_value: atf(&self.cmp_value),
            benchmarks: Cow::Borrowed(&scratch.benchmarks),
            expected_progress: atf(&self.expected_progress).map(round_output),
            progress_ratio: atf(&self.progress_ratio).map(round_output),
            forecast_value: forecast_value.map(round_output),
            forecast_status,
            forecast_reason: Cow::Borrowed(&scratch.forecast_reason),
            stale: is_stale,
            stale_reason: Cow::Borrowed(&scratch.stale_reason),
            trend,
            trend_judgement,
            trend_reason: Cow::Borrowed(&scratch.trend_reason),
            spc,
            spc_reason: Cow::Borrowed(&scratch.spc_reason),
        })
    }
}
