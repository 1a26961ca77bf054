//! Statistical process control (issue #13): an XmR chart of each measure's own-frequency series
//! up to M, read as NHS England's Making Data Count reads it, the way NHSRplotthedots computes it
//! (`R/ptd_spc_standard.R`, `R/ptd_calculate_point_type.R`, `R/ptd_calculate_assurance_type.R`).
//!
//! - **Limits.** Over the segment's points up to M (the first `spc_baseline` of them when set):
//!   the mean, the moving ranges |xᵢ − xᵢ₋₁| and their mean; moving ranges of 3.267 × that mean
//!   or more are left out and the mean moving range taken again (`spc_screen_outliers`); the
//!   process limits are the mean ± 2.66 × the mean moving range.
//! - **Segments.** A `rebases.csv` row starts a new segment at its period: the points from it
//!   on get their own mean and limits, and no run or trend crosses it. Never automatic.
//! - **The latest point** (the value at M), in NHSRplotthedots' precedence, the first that fires
//!   being the `spc_signal`: `outside_limits` (above the upper or below the lower limit,
//!   strictly); `trend` (the last `spc_run_length` points each strictly higher, or each strictly
//!   lower, than the one before); `two_of_three` (the point beyond two sigma, 2 × 2.66 / 3 mean
//!   moving ranges from the mean, and two of the last three so, all three on one side of the
//!   mean; with `spc_two_sigma = "plotthedots"` a point beyond the limits does not count as
//!   beyond two sigma, with `"mdc"` it does); `shift` (the last `spc_run_length` points all
//!   strictly on one side of the mean). The side is the point's (for a trend, its direction);
//!   with polarity it reads as improvement or concern.
//! - **Assurance.** The target applied at M against the limits: below the lower limit (for a
//!   high-is-good measure) consistently passing, above the upper consistently failing, else hit
//!   and miss.
//! - Fewer than `spc_min_points` points in the segment, or no value at M: the mean and limits are
//!   given, the judgements are empty and `spc_reason` says why.
//!
//! Each measure's series is gathered once per rating run (per plan in a batch) and its limits
//! and judgements computed once per distinct M in plain Rust, in time linear in the segment up
//! to M; the variation and assurance, which need the polarity and the target applied, are
//! polars expressions over those columns ([`variation`], [`assurance`]).

use crate::engine::frames::ItemIndex;
use crate::model::period::{Period, PeriodLabels};
use crate::model::rating::{Spc, SpcAssurance, SpcSignal, SpcVariation};
use crate::read::plan::{ItemRef, Plan};
use crate::rules::{Rules, SpcTwoSigma};
use polars::prelude::*;
use std::fmt::Write as _;

/// The XmR constant: 3 sigma is 2.66 mean moving ranges (3 / 1.128).
pub(crate) const LIMIT: f64 = 2.66;
/// A moving range this many times the mean moving range or more is screened out (3.267 = D4).
pub(crate) const SCREEN: f64 = 3.267;

/// The settings the computation reads from a plan's rules.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Settings {
    pub min_points: usize,
    pub run: usize,
    pub screen: bool,
    pub mdc: bool,
    pub baseline: Option<usize>,
}

impl Settings {
    pub(crate) fn of(rules: &Rules) -> Settings {
        Settings {
            min_points: rules.spc_min_points as usize,
            run: rules.spc_run_length as usize,
            screen: rules.spc_screen_outliers,
            mdc: rules.spc_two_sigma == SpcTwoSigma::Mdc,
            baseline: rules.spc_baseline.map(|n| n as usize),
        }
    }
}

/// A segment's mean and mean moving range, from which its process limits follow.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// The mean.
    pub mean: f64,
    /// The mean moving range (after screening); `None` with a single point.
    pub amr: Option<f64>,
}

impl Limits {
    /// The upper process limit.
    pub fn upper(&self) -> Option<f64> {
        self.amr.map(|a| self.mean + LIMIT * a)
    }
    /// The lower process limit.
    pub fn lower(&self) -> Option<f64> {
        self.amr.map(|a| self.mean - LIMIT * a)
    }
}

/// The mean and limits of a segment `y` (at least one point), from its first `baseline` points
/// when given, as `ptd_spc_standard` computes them.
///
/// Deliberate difference: when every moving range is 0 (a flat series), NHSRplotthedots screens
/// them all out (0 < 3.267 × 0 is false) and its limits are NaN; here the mean moving range is
/// 0 and both limits equal the mean.
pub fn limits(y: &[f64], screen: bool, baseline: Option<usize>) -> Option<Limits> {
    let fixed = &y[..baseline.map_or(y.len(), |n| n.min(y.len()))];
    if fixed.is_empty() {
        return None;
    }
    let mean = fixed.iter().sum::<f64>() / fixed.len() as f64;
    if fixed.len() < 2 {
        return Some(Limits { mean, amr: None });
    }
    let ranges = || fixed.windows(2).map(|w| (w[1] - w[0]).abs());
    let mut amr = ranges().sum::<f64>() / (fixed.len() - 1) as f64;
    if screen && amr > 0.0 {
        let cut = SCREEN * amr;
        let (sum, n) = ranges().filter(|r| *r < cut).fold((0.0, 0usize), |(s, n), r| (s + r, n + 1));
        // At least one range is below the cut (not all can be at or above 3.267 × their mean).
        if n > 0 {
            amr = sum / n as f64;
        }
    }
    Some(Limits { mean, amr: Some(amr) })
}

/// What the rules say of the last point of `y` against `l`: its side (+1 above or rising, -1
/// below or falling) and the rule that fired, or `None` for common cause.
pub fn latest(y: &[f64], l: &Limits, run: usize, mdc: bool) -> Option<(i32, SpcSignal)> {
    let last = *y.last()?;
    let amr = l.amr?;
    let (upper, lower) = (l.mean + LIMIT * amr, l.mean - LIMIT * amr);
    let near = 2.0 * (LIMIT / 3.0) * amr;
    let side = |x: f64| (x > l.mean) as i32 - (x < l.mean) as i32;
    let outside = |x: f64| x > upper || x < lower;
    let beyond_two = |x: f64| (mdc || !outside(x)) && (x < l.mean - near || x > l.mean + near);
    if outside(last) {
        return Some((side(last), SpcSignal::OutsideLimits));
    }
    if y.len() >= run {
        let tail = &y[y.len() - run..];
        let rising = tail.windows(2).all(|w| w[1] > w[0]);
        let falling = tail.windows(2).all(|w| w[1] < w[0]);
        if rising || falling {
            return Some((if rising { 1 } else { -1 }, SpcSignal::Trend));
        }
    }
    if y.len() >= 3 && beyond_two(last) {
        let three = &y[y.len() - 3..];
        let sides: i32 = three.iter().map(|&x| side(x)).sum();
        if sides.abs() == 3 && three.iter().filter(|&&x| beyond_two(x)).count() >= 2 {
            return Some((side(last), SpcSignal::TwoOfThree));
        }
    }
    if y.len() >= run {
        let s = side(last);
        if s != 0 && y[y.len() - run..].iter().all(|&x| side(x) == s) {
            return Some((s, SpcSignal::Shift));
        }
    }
    None
}

/// Every point of a segment `y` classified as NHSRplotthedots' `ptd_special_cause_type` does
/// over a whole chart: a point is special cause when it is outside the limits, or part of a
/// trend, of two of three beyond two sigma (itself beyond two sigma), or of a shift, in that
/// precedence; its side is the point's (a trend's: the direction of its next step within the
/// trend, else of its last). What the chart marks. The last point's type is [`latest`]'s.
pub fn point_types(y: &[f64], l: &Limits, run: usize, mdc: bool) -> Vec<Option<(i32, SpcSignal)>> {
    let n = y.len();
    let Some(amr) = l.amr else { return vec![None; n] };
    let (upper, lower) = (l.mean + LIMIT * amr, l.mean - LIMIT * amr);
    let near = 2.0 * (LIMIT / 3.0) * amr;
    let side: Vec<i32> = y.iter().map(|&x| (x > l.mean) as i32 - (x < l.mean) as i32).collect();
    let outside: Vec<bool> = y.iter().map(|&x| x > upper || x < lower).collect();
    let beyond_two: Vec<bool> = y.iter().zip(&outside).map(|(&x, &o)| (mdc || !o) && (x < l.mean - near || x > l.mean + near)).collect();
    // A run ending at i, then every point of it marked (ptd_part_of_seven_trend).
    let mut trend = vec![false; n];
    let mut shift = vec![false; n];
    for i in run.saturating_sub(1)..n {
        let w = &y[i + 1 - run..=i];
        if w.windows(2).all(|p| p[1] > p[0]) || w.windows(2).all(|p| p[1] < p[0]) {
            trend[i + 1 - run..=i].iter_mut().for_each(|t| *t = true);
        }
        let s = side[i];
        if s != 0 && side[i + 1 - run..=i].iter().all(|&x| x == s) {
            shift[i + 1 - run..=i].iter_mut().for_each(|t| *t = true);
        }
    }
    let mut two = vec![false; n];
    for i in 2..n {
        let sides: i32 = side[i - 2..=i].iter().sum();
        if sides.abs() == 3 && beyond_two[i - 2..=i].iter().filter(|b| **b).count() >= 2 {
            (i - 2..=i).filter(|&j| beyond_two[j]).for_each(|j| two[j] = true);
        }
    }
    (0..n)
        .map(|i| {
            if outside[i] {
                Some((side[i], SpcSignal::OutsideLimits))
            } else if trend[i] {
                let step = if i + 1 < n && trend[i + 1] { y[i + 1] - y[i] } else { y[i] - y[i.saturating_sub(1)] };
                Some((if step > 0.0 { 1 } else { -1 }, SpcSignal::Trend))
            } else if two[i] {
                Some((side[i], SpcSignal::TwoOfThree))
            } else if shift[i] {
                Some((side[i], SpcSignal::Shift))
            } else {
                None
            }
        })
        .collect()
}

/// The variation a special-cause side reads as, given the polarity's sign (+1 high is good, -1
/// low is good, 0 neutral): what [`variation`] computes in the query.
pub fn variation_of(side: i32, sign: i32) -> SpcVariation {
    match (side.signum(), sign.signum()) {
        (0, _) => SpcVariation::CommonCause,
        (s, 0) if s > 0 => SpcVariation::SpecialCauseHigh,
        (_, 0) => SpcVariation::SpecialCauseLow,
        (s, p) if s == p => SpcVariation::SpecialCauseImprovement,
        _ => SpcVariation::SpecialCauseConcern,
    }
}

/// One point of an [`XmrChart`].
#[derive(Debug, Clone, PartialEq)]
pub struct XmrPoint {
    /// The measure's period.
    pub period: Period,
    /// Its value.
    pub value: f64,
    /// Its variation as the whole chart reads it ([`point_types`]); `None` in a segment of fewer
    /// than `spc_min_points` points.
    pub variation: Option<SpcVariation>,
    /// The rule that marked it, if any.
    pub signal: Option<SpcSignal>,
}

/// One segment of an [`XmrChart`]: the points from a rebase (or the first) to the next.
#[derive(Debug, Clone, PartialEq)]
pub struct XmrSegment {
    /// The index of its first point in [`XmrChart::points`].
    pub first: usize,
    /// Its number of points.
    pub len: usize,
    /// Its mean.
    pub mean: f64,
    /// Its lower process limit (none with a single point).
    pub lower: Option<f64>,
    /// Its upper process limit.
    pub upper: Option<f64>,
    /// The rebase that starts it: its period and reason.
    pub rebase: Option<(Period, String)>,
}

/// A measure's XmR chart up to M: what the report draws. The last point's variation is the
/// `spc_variation` of the rating at M when M has a value.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct XmrChart {
    /// The measure's values up to M, in period order.
    pub points: Vec<XmrPoint>,
    /// Its segments, in order.
    pub segments: Vec<XmrSegment>,
}

/// The XmR chart of `plan`'s measure `measure` over its values up to the period `m` (of the
/// measure's own frequency), with the plan's SPC settings and rebases; an empty chart (no
/// points, no segments) when the plan has SPC switched off (`[rules] spc = false`).
pub fn xmr_chart(plan: &Plan, measure: usize, m: Period) -> XmrChart {
    if !plan.rules.spc {
        return XmrChart::default();
    }
    let s = Settings::of(&plan.rules);
    let me = &plan.measures[measure];
    let mut values: Vec<(i32, f64)> = plan
        .values
        .iter()
        .filter(|v| v.measure == measure && v.period.start <= m.start)
        .filter_map(|v| v.value.filter(|x| x.is_finite()).map(|x| (v.period.start, x)))
        .collect();
    values.sort_unstable_by_key(|v| v.0);
    let series = Series::of(plan, measure, &values);
    let mut chart = XmrChart::default();
    let mut first = 0;
    while first < values.len() {
        let len = series.segment[first..].iter().take_while(|seg| seg.0 == first).count();
        let y = &series.values[first..first + len];
        let Some(l) = limits(y, s.screen, s.baseline) else { break };
        let types = if len >= s.min_points { point_types(y, &l, s.run, s.mdc) } else { vec![None; len] };
        for (i, t) in types.iter().enumerate() {
            chart.points.push(XmrPoint {
                period: Period::from_start(values[first + i].0, me.frequency, me.year_type),
                value: y[i],
                variation: (len >= s.min_points).then(|| variation_of(t.map_or(0, |t| t.0), me.polarity.sign())),
                signal: t.map(|t| t.1),
            });
        }
        let rebase = series.segment[first].1.and_then(|start| {
            plan.rebases.iter().find(|r| r.measure == measure && r.period.start == start).map(|r| (r.period, r.reason.clone()))
        });
        chart.segments.push(XmrSegment { first, len, mean: l.mean, lower: l.lower(), upper: l.upper(), rebase });
        first += len;
    }
    chart
}

/// Why a measure's SPC judgements are empty, in the `spc_why` column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(i32)]
pub(crate) enum Unjudged {
    /// No value at M: the latest point is not M's.
    NoValue = 1,
    /// Fewer points than `spc_min_points` since the last rebase.
    TooFew,
}

impl Unjudged {
    fn from_code(code: i32) -> Option<Unjudged> {
        [Unjudged::NoValue, Unjudged::TooFew].into_iter().find(|u| *u as i32 == code)
    }
}

/// One grid row's SPC columns, before polarity and the target are applied.
#[derive(Debug, Clone, Copy, Default)]
struct Row {
    mean: Option<f64>,
    upper: Option<f64>,
    lower: Option<f64>,
    points: Option<i32>,
    /// +1, -1, or 0 for common cause; `None` when not judged.
    side: Option<i32>,
    signal: Option<i32>,
    why: Option<i32>,
    /// The start of the segment's rebase period, if it follows one.
    rebase: Option<i32>,
}

/// A measure's series of values in period order, and where each segment starts.
struct Series {
    starts: Vec<i32>,
    values: Vec<f64>,
    /// Per point, the index of its segment's first point and its segment's rebase start.
    segment: Vec<(usize, Option<i32>)>,
}

impl Series {
    fn of(plan: &Plan, measure: usize, values: &[(i32, f64)]) -> Series {
        let mut rebases: Vec<i32> = plan.rebases.iter().filter(|r| r.measure == measure).map(|r| r.period.start).collect();
        rebases.sort_unstable();
        let mut segment = Vec::with_capacity(values.len());
        let (mut first, mut current, mut next) = (0, None, 0);
        for (i, &(start, _)) in values.iter().enumerate() {
            let mut crossed = false;
            while next < rebases.len() && rebases[next] <= start {
                current = Some(rebases[next]);
                next += 1;
                crossed = true;
            }
            if crossed {
                first = i;
            }
            segment.push((first, current));
        }
        Series { starts: values.iter().map(|v| v.0).collect(), values: values.iter().map(|v| v.1).collect(), segment }
    }

    /// The SPC at M (starting at `m_start`): over the points up to M.
    fn at(&self, m_start: i32, s: &Settings) -> Row {
        let end = self.starts.partition_point(|&start| start <= m_start);
        if end == 0 {
            return Row { points: Some(0), why: Some(Unjudged::TooFew as i32), ..Row::default() };
        }
        let (first, rebase) = self.segment[end - 1];
        let y = &self.values[first..end];
        let l = limits(y, s.screen, s.baseline);
        let mut row = Row {
            mean: l.map(|l| l.mean),
            upper: l.and_then(|l| l.upper()),
            lower: l.and_then(|l| l.lower()),
            points: Some(y.len() as i32),
            rebase,
            ..Row::default()
        };
        if self.starts[end - 1] != m_start {
            row.why = Some(Unjudged::NoValue as i32);
        } else if y.len() < s.min_points {
            row.why = Some(Unjudged::TooFew as i32);
        } else if let Some(l) = l {
            match latest(y, &l, s.run, s.mdc) {
                Some((side, signal)) => {
                    row.side = Some(side);
                    row.signal = Some(signal.code());
                }
                None => row.side = Some(0),
            }
        }
        row
    }
}

/// The SPC columns of every grid row (`keys`, `kinds`, `m_starts` are the grid's columns):
/// `spc_mean`, `spc_upper`, `spc_lower`, `spc_points`, `spc_side`, `spc_signal`, `spc_why`,
/// `spc_rebase`; null for milestones and for every row of a plan with `spc = false` (whose
/// series are not even gathered). Each measure's series is gathered once, and each M
/// computed once (the grid asks for an item's periods in time order, so a repeated M is the
/// last one asked).
pub(in crate::engine) fn columns(jobs: &[&Plan], index: &ItemIndex, keys: &[i32], m_starts: &[i32], without: bool) -> Vec<Column> {
    // Each measure's values (those given), in period order, gathered in one pass per plan.
    let mut series: Vec<Option<Series>> = Vec::with_capacity(index.entries.len());
    let mut settings = Vec::with_capacity(jobs.len());
    for plan in jobs {
        settings.push(Settings::of(&plan.rules));
        if !plan.rules.spc || without {
            // SPC switched off (or left out: `RateOptions::without_spc`): no series, so every
            // row of the plan gets empty columns.
            series.extend((0..plan.milestones.len() + plan.measures.len()).map(|_| None));
            continue;
        }
        let mut values: Vec<Vec<(i32, f64)>> = vec![Vec::new(); plan.measures.len()];
        for v in &plan.values {
            if let Some(x) = v.value.filter(|x| x.is_finite()) {
                values[v.measure].push((v.period.start, x));
            }
        }
        for v in values.iter_mut() {
            if !v.is_sorted_by_key(|p| p.0) {
                v.sort_unstable_by_key(|p| p.0);
            }
        }
        // Keys run plan by plan, milestones then measures (ItemIndex).
        series.extend((0..plan.milestones.len()).map(|_| None));
        series.extend(values.iter().enumerate().map(|(i, v)| Some(Series::of(plan, i, v))));
    }
    let n = keys.len();
    let mut rows: Vec<Row> = Vec::with_capacity(n);
    let mut last: Vec<Option<(i32, Row)>> = vec![None; index.entries.len()];
    for (&key, &m_start) in keys.iter().zip(m_starts) {
        let k = key as usize;
        let (p, item) = index.entries[k];
        let Some(s) = series.get(k).and_then(|s| s.as_ref()).filter(|_| matches!(item, ItemRef::Measure(_))) else {
            rows.push(Row::default());
            continue;
        };
        let row = match last[k] {
            Some((m, row)) if m == m_start => row,
            _ => {
                let row = s.at(m_start, &settings[p]);
                last[k] = Some((m_start, row));
                row
            }
        };
        rows.push(row);
    }
    let f = |name: &str, get: fn(&Row) -> Option<f64>| -> Column {
        let ca: Float64Chunked = rows.iter().map(get).collect();
        ca.with_name(name.into()).into_column()
    };
    let i = |name: &str, get: fn(&Row) -> Option<i32>| -> Column {
        let ca: Int32Chunked = rows.iter().map(get).collect();
        ca.with_name(name.into()).into_column()
    };
    vec![
        f("spc_mean", |r| r.mean),
        f("spc_upper", |r| r.upper),
        f("spc_lower", |r| r.lower),
        i("spc_points", |r| r.points),
        i("spc_side", |r| r.side),
        i("spc_signal", |r| r.signal),
        i("spc_why", |r| r.why),
        i("spc_rebase", |r| r.rebase),
    ]
}

/// The `spc_variation` column (as [`SpcVariation::code`]) from the latest point's side and the
/// polarity: empty when not judged.
pub(crate) fn variation() -> Expr {
    let v = |x: SpcVariation| lit(x.code());
    when(col("spc_side").is_null())
        .then(lit(NULL).cast(DataType::Int32))
        .when(col("spc_side").eq(lit(0)))
        .then(v(SpcVariation::CommonCause))
        .when(col("sign").eq(lit(0)).and(col("spc_side").gt(lit(0))))
        .then(v(SpcVariation::SpecialCauseHigh))
        .when(col("sign").eq(lit(0)))
        .then(v(SpcVariation::SpecialCauseLow))
        .when((col("spc_side") * col("sign")).gt(lit(0)))
        .then(v(SpcVariation::SpecialCauseImprovement))
        .otherwise(v(SpcVariation::SpecialCauseConcern))
}

/// The `spc_assurance` column (as [`SpcAssurance::code`]): the target applied at M against the
/// limits, as `ptd_calculate_assurance_type` does (strictly beyond a limit); empty without a
/// target, for a neutral measure, or when the latest point is not judged.
pub(crate) fn assurance() -> Expr {
    let a = |x: SpcAssurance| lit(x.code());
    let unjudged = col("spc_side").is_null().or(col("target").is_null()).or(col("sign").eq(lit(0))).or(col("spc_upper").is_null());
    let high = col("sign").gt(lit(0));
    when(unjudged)
        .then(lit(NULL).cast(DataType::Int32))
        .when(col("target").gt(col("spc_upper")))
        .then(when(high.clone()).then(a(SpcAssurance::ConsistentlyFailing)).otherwise(a(SpcAssurance::ConsistentlyPassing)))
        .when(col("target").lt(col("spc_lower")))
        .then(when(high).then(a(SpcAssurance::ConsistentlyPassing)).otherwise(a(SpcAssurance::ConsistentlyFailing)))
        .otherwise(a(SpcAssurance::HitAndMiss))
}

/// The query's columns this family adds, applied after the target.
pub(crate) fn judgements() -> [Expr; 2] {
    [variation().alias("spc_variation"), assurance().alias("spc_assurance")]
}

/// What the query computed for one measure's SPC, for [`reason`].
pub(crate) struct Facts {
    pub spc: Spc,
    pub why: Option<i32>,
    pub rebase: Option<Period>,
    /// The latest point's side: above the mean (or rising, for a trend).
    pub high: bool,
    /// The decimals the value at M was typed with: the mean and limits are worded to two more.
    pub decimals: usize,
    pub m: Period,
    pub min_points: u32,
    pub run: u32,
}

/// SPC's reason, appended to `out`: "Special cause concern: 31 is above the upper process
/// limit 28.4 (mean 21.2, 24 points since April 2013; rebased April 2012)." and the assurance.
pub(crate) fn reason(f: &Facts, labels: &mut PeriodLabels, out: &mut String) {
    let points = f.spc.points.unwrap_or(0);
    let Some(variation) = f.spc.variation else {
        match f.why.and_then(Unjudged::from_code) {
            Some(Unjudged::NoValue) => {
                let _ = write!(out, "No SPC judgement: no value for {}", labels.spoken(f.m));
            }
            _ => {
                let _ = write!(out, "No SPC judgement: {points} point{} ", if points == 1 { "" } else { "s" });
                match f.rebase {
                    Some(r) => {
                        let _ = write!(out, "since the rebase at {}", labels.spoken(r));
                    }
                    None => out.push_str("so far"),
                }
                let _ = write!(out, ", fewer than the {} needed", f.min_points);
            }
        }
        limits_words(f, labels, out);
        return;
    };
    out.push_str(match variation {
        SpcVariation::CommonCause => "Common cause variation",
        SpcVariation::SpecialCauseImprovement => "Special cause improvement",
        SpcVariation::SpecialCauseConcern => "Special cause concern",
        SpcVariation::SpecialCauseHigh => "Special cause variation, high",
        SpcVariation::SpecialCauseLow => "Special cause variation, low",
    });
    out.push_str(": ");
    let high = f.high;
    match f.spc.signal {
        None => out.push_str("no rule fired on the latest point"),
        Some(SpcSignal::OutsideLimits) => out.push_str(if high {
            "the latest point is above the upper process limit"
        } else {
            "the latest point is below the lower process limit"
        }),
        Some(SpcSignal::Trend) => {
            let _ =
                write!(out, "the latest of {} points in a row each {} than the one before", f.run, if high { "higher" } else { "lower" });
        }
        Some(SpcSignal::TwoOfThree) => {
            let _ = write!(out, "two of the last three points beyond two sigma {} the mean", if high { "above" } else { "below" });
        }
        Some(SpcSignal::Shift) => {
            let _ = write!(out, "the latest of {} points in a row {} the mean", f.run, if high { "above" } else { "below" });
        }
    }
    limits_words(f, labels, out);
    match f.spc.assurance {
        Some(SpcAssurance::ConsistentlyPassing) => {
            out.push_str(". The limits are on the good side of the target: it will be met unless the process changes")
        }
        Some(SpcAssurance::ConsistentlyFailing) => {
            out.push_str(". The limits are on the wrong side of the target: it will be missed unless the process changes")
        }
        Some(SpcAssurance::HitAndMiss) => {
            out.push_str(". The target lies between the limits: it will be met in some periods and missed in others")
        }
        None => {}
    }
}

fn limits_words(f: &Facts, labels: &mut PeriodLabels, out: &mut String) {
    let (Some(mean), Some(upper), Some(lower)) = (f.spc.mean, f.spc.upper, f.spc.lower) else { return };
    let places = f.decimals + 2;
    out.push_str(" (mean ");
    super::computed_number(mean, places, out);
    out.push_str(", limits ");
    super::computed_number(lower, places, out);
    out.push_str(" to ");
    super::computed_number(upper, places, out);
    let _ = write!(out, ", {} points", f.spc.points.unwrap_or(0));
    if let Some(r) = f.rebase {
        let _ = write!(out, " since the rebase at {}", labels.spoken(r));
    }
    out.push(')');
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `set.seed(123); rnorm(20)` in R: the series of NHSRplotthedots'
    /// `tests/testthat/test-ptd_spc_standard.R` and `test-ptd_spc.R`.
    const RNORM: [f64; 20] = [
        -0.56047565,
        -0.23017749,
        1.55870831,
        0.07050839,
        0.12928774,
        1.71506499,
        0.46091621,
        -1.26506123,
        -0.68685285,
        -0.44566197,
        1.22408180,
        0.35981383,
        0.40077145,
        0.11068272,
        -0.55584113,
        1.78691314,
        0.49785048,
        -1.96661716,
        0.70135590,
        -0.47279141,
    ];

    /// The peer's snapshots print 7 significant digits.
    fn close(a: f64, b: f64) {
        assert!((a - b).abs() <= 5e-6 * b.abs().max(1.0), "{a} is not {b}");
    }

    fn check(y: &[f64], screen: bool, mean: f64, lower: f64, upper: f64) {
        let l = limits(y, screen, None).unwrap();
        close(l.mean, mean);
        close(l.lower().unwrap(), lower);
        close(l.upper().unwrap(), upper);
    }

    /// `test-ptd_spc_standard.R`, "it returns expected values" (`_snaps/ptd_spc_standard.md`):
    /// r1 screened, r2 with y[15] = 10 screened, r3 the same unscreened.
    #[test]
    fn limits_match_plotthedots_standard_snapshots() {
        // r1: mean = 2.832476 / 20 = 0.1416238; 19 moving ranges, mean 1.185... after none
        // screened out; limits 0.1416238 ± 2.66 × amr.
        check(&RNORM, true, 0.1416238, -3.01138, 3.294627);
        let mut y = RNORM;
        y[14] = 10.0;
        // r2: mean = (2.832476 + 0.55584113 + 10) / 20 = 0.6694159; the two ranges around the
        // 10 (10.4458 and 8.2131) are at least 3.267 × the mean range and are screened out.
        check(&y, true, 0.6694159, -2.383666, 3.722497);
        // r3: unscreened, the range is wider.
        check(&y, false, 0.6694159, -4.596625, 5.935457);
        // relative_to_mean of r1, as the snapshot lists it.
        let l = limits(&RNORM, true, None).unwrap();
        let sides: Vec<i32> = RNORM.iter().map(|&x| (x > l.mean) as i32 - (x < l.mean) as i32).collect();
        assert_eq!(sides[..14], [-1, -1, 1, -1, -1, 1, 1, -1, -1, -1, 1, 1, 1, -1]);
        // No point of r1 is special cause ("common_cause 20" in `_snaps/ptd_spc.md`).
        assert!(point_types(&RNORM, &l, 7, false).iter().all(|t| t.is_none()));
    }

    /// `test-ptd_spc.R`, `summary()` with `facet_field` (`_snaps/ptd_spc.md`): two groups of 10,
    /// which is what a rebase at the 11th point gives here.
    #[test]
    fn rebased_segments_match_plotthedots_facets() {
        let (a, b) = RNORM.split_at(10);
        let (la, lb) = (limits(a, true, None).unwrap(), limits(b, true, None).unwrap());
        // The summary prints 3 significant digits: 0.0746 -2.60 2.75 and 0.209 -3.28 3.70.
        let near = |x: f64, want: f64, places: i32| assert!((x - want).abs() < 0.5 * 10f64.powi(-places), "{x} vs {want}");
        near(la.mean, 0.0746, 4);
        near(la.lower().unwrap(), -2.60, 2);
        near(la.upper().unwrap(), 2.75, 2);
        near(lb.mean, 0.209, 3);
        near(lb.lower().unwrap(), -3.28, 2);
        near(lb.upper().unwrap(), 3.70, 2);
    }

    /// `test-ptd_spc_standard.R`, "setting fix_after_n_points changes the calculations": a
    /// baseline of 12 gives other limits than all 20 points.
    #[test]
    fn a_baseline_fixes_the_limits_on_the_first_points() {
        let all = limits(&RNORM, true, None).unwrap();
        let fixed = limits(&RNORM, true, Some(12)).unwrap();
        assert_ne!(all.lower(), fixed.lower());
        assert_eq!(fixed, limits(&RNORM[..12], true, None).unwrap());
    }

    /// `test-ptd_spc_standard.R`, "it only reports special cause for 2of3 points close to limits
    /// when they are on the same side of the mean".
    #[test]
    fn two_of_three_needs_one_side_of_the_mean() {
        let mut y: Vec<f64> = (0..16).map(|i| if i % 2 == 0 { 1.0 } else { -1.0 }).collect();
        y[14] = 5.5;
        y[15] = -5.5;
        // Mean 0; ranges 13 × 2, 6.5, 11: mean 2.9, 11 ≥ 3.267 × 2.9 = 9.47 screened out, so
        // amr = 32.5 / 14 = 2.3214, limits ±6.175, two sigma ±4.117: both beyond it, on
        // opposite sides, so both common cause.
        let l = limits(&y, true, None).unwrap();
        close(l.upper().unwrap(), 2.66 * 32.5 / 14.0);
        let types = point_types(&y, &l, 7, false);
        assert_eq!(types[14..], [None, None]);
        assert_eq!(latest(&y, &l, 7, false), None);
    }

    /// Limits wide enough that only the runs matter.
    fn wide() -> Limits {
        Limits { mean: 4.0, amr: Some(100.0) }
    }

    /// Which points a rule marks, over a whole chart and at each prefix's latest point.
    fn marks(y: &[f64], l: &Limits, signal: SpcSignal) -> Vec<u8> {
        point_types(y, l, 7, false).iter().map(|t| t.is_some_and(|t| t.1 == signal) as u8).collect()
    }

    /// `test-ptd_calculate_point_type.R`, `ptd_seven_point_trend` and `ptd_part_of_seven_trend`:
    /// seven points each strictly above the last (or below) are a trend, and all seven are
    /// marked; a tie breaks it.
    #[test]
    fn trends_as_plotthedots_finds_them() {
        let l = wide();
        let seq = |v: &[f64]| v.to_vec();
        assert_eq!(marks(&seq(&[1., 2., 3., 4., 5., 6.]), &l, SpcSignal::Trend), [0; 6]);
        assert_eq!(marks(&seq(&[1., 2., 3., 3., 4., 5., 6.]), &l, SpcSignal::Trend), [0; 7]);
        assert_eq!(marks(&seq(&[1., 2., 3., 4., 5., 6., 7.]), &l, SpcSignal::Trend), [1; 7]);
        // c(2, 1:7, 3): the trend ends at the 8th point.
        let y = seq(&[2., 1., 2., 3., 4., 5., 6., 7., 3.]);
        assert_eq!(marks(&y, &l, SpcSignal::Trend), [0, 1, 1, 1, 1, 1, 1, 1, 0]);
        assert_eq!(latest(&y[..8], &l, 7, false), Some((1, SpcSignal::Trend)));
        assert_eq!(latest(&y, &l, 7, false), None);
        let y = seq(&[2., 7., 6., 5., 4., 3., 2., 1., 3.]);
        assert_eq!(latest(&y[..8], &l, 7, false), Some((-1, SpcSignal::Trend)));
        // With spc_run_length = 6 (NHSRplotthedots issue #202), six points are enough.
        assert_eq!(latest(&[1., 2., 3., 4., 5., 6.], &l, 6, false), Some((1, SpcSignal::Trend)));
    }

    /// `ptd_seven_point_one_side_mean`: seven points on one side of the mean; a point on the
    /// mean breaks the run.
    #[test]
    fn shifts_as_plotthedots_finds_them() {
        let l = Limits { mean: 0.0, amr: Some(100.0) };
        // Alternating small steps so that no trend hides the shift.
        let ones = |n: usize| (0..n).map(|i| 1.0 + (i % 2) as f64).collect::<Vec<f64>>();
        assert_eq!(marks(&ones(6), &l, SpcSignal::Shift), [0; 6]);
        let mut y = ones(6);
        y.push(-1.0);
        assert_eq!(marks(&y, &l, SpcSignal::Shift), [0; 7]);
        let mut y = ones(8);
        y.push(-1.0);
        assert_eq!(marks(&y, &l, SpcSignal::Shift), [1, 1, 1, 1, 1, 1, 1, 1, 0]);
        // ptd flags the 7th and 8th points as completing a run: so does the latest point.
        assert_eq!(latest(&y[..7], &l, 7, false), Some((1, SpcSignal::Shift)));
        assert_eq!(latest(&y[..8], &l, 7, false), Some((1, SpcSignal::Shift)));
        assert_eq!(latest(&y[..6], &l, 7, false), None);
        let below: Vec<f64> = y.iter().map(|x| -x).collect();
        assert_eq!(latest(&below[..8], &l, 7, false), Some((-1, SpcSignal::Shift)));
        let mut on = ones(8);
        on[3] = 0.0;
        assert_eq!(latest(&on, &l, 7, false), None);
    }

    /// `ptd_two_in_three` and `ptd_part_of_two_in_three`: of three points in a row on one side,
    /// two beyond two sigma mark those two. Limits mean 0, amr 1: two sigma at 1.7733, three
    /// at 2.66.
    #[test]
    fn two_of_three_as_plotthedots_finds_it() {
        let l = Limits { mean: 0.0, amr: Some(1.0) };
        let at = |close: &[u8]| close.iter().map(|&c| if c == 1 { 2.0 } else { 0.5 }).collect::<Vec<f64>>();
        let two = |y: &[f64]| marks(y, &l, SpcSignal::TwoOfThree);
        assert_eq!(two(&at(&[1, 0, 1])), [1, 0, 1]);
        assert_eq!(two(&at(&[0, 1, 1])), [0, 1, 1]);
        assert_eq!(two(&at(&[1, 1, 0])), [1, 1, 0]);
        assert_eq!(two(&at(&[0, 0, 1, 0, 1, 0, 0])), [0, 0, 1, 0, 1, 0, 0]);
        assert_eq!(two(&at(&[1, 0, 0, 1])), [0, 0, 0, 0]);
        assert_eq!(two(&at(&[1, 0, 0, 1, 1])), [0, 0, 0, 1, 1]);
        // Opposite sides of the mean: nothing.
        assert_eq!(two(&[2.0, -0.5, 2.0]), [0, 0, 0]);
        // The latest point of [1, 0, 1] fires; of [1, 1, 0] it does not (it is not beyond two
        // sigma itself).
        assert_eq!(latest(&at(&[1, 0, 1]), &l, 7, false), Some((1, SpcSignal::TwoOfThree)));
        assert_eq!(latest(&at(&[1, 1, 0]), &l, 7, false), None);
    }

    /// NHSRplotthedots issues #153 and #194: a point beyond three sigma does not count towards
    /// two of three as the package counts it; Making Data Count has counted it since November
    /// 2023 (`spc_two_sigma = "mdc"`).
    #[test]
    fn a_point_beyond_three_sigma_counts_towards_two_of_three_only_as_mdc_counts() {
        let l = Limits { mean: 0.0, amr: Some(1.0) };
        // 3.0 is beyond the upper limit 2.66; 2.0 is between two and three sigma.
        let y = [0.5, 3.0, 2.0];
        assert_eq!(latest(&y, &l, 7, false), None);
        assert_eq!(latest(&y, &l, 7, true), Some((1, SpcSignal::TwoOfThree)));
        assert_eq!(point_types(&y, &l, 7, true)[1], Some((1, SpcSignal::OutsideLimits)));
    }

    /// `ptd_special_cause_type`'s precedence: outside the limits, then a trend, then two of
    /// three, then a shift.
    #[test]
    fn the_first_rule_in_precedence_names_the_signal() {
        let l = Limits { mean: 0.0, amr: Some(1.0) };
        // Seven rising points above the mean, the last beyond the limit: outside_limits.
        let y = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 2.7];
        assert_eq!(latest(&y, &l, 7, false), Some((1, SpcSignal::OutsideLimits)));
        // The same ending at 2.0 (beyond two sigma, like 1.8 before it): trend before two of three.
        let y = [0.1, 0.2, 0.3, 0.4, 0.5, 1.8, 2.0];
        assert_eq!(latest(&y, &l, 7, false), Some((1, SpcSignal::Trend)));
        // Break the trend: two of three before the shift that also holds.
        let y = [0.1, 0.2, 0.3, 0.4, 1.8, 0.5, 2.0];
        assert_eq!(latest(&y, &l, 7, false), Some((1, SpcSignal::TwoOfThree)));
        let y = [0.1, 0.2, 0.3, 0.4, 0.3, 0.5, 0.4];
        assert_eq!(latest(&y, &l, 7, false), Some((1, SpcSignal::Shift)));
        // Below the mean, falling: the side is low.
        assert_eq!(latest(&[-0.1, -0.2, -0.3, -0.4, -0.5, -0.6, -2.7], &l, 7, false), Some((-1, SpcSignal::OutsideLimits)));
    }

    /// The latest point's type is the last of the whole chart's, whatever the series.
    #[test]
    fn latest_agrees_with_the_whole_chart() {
        let mut x = 12345u64;
        for _ in 0..2000 {
            let n = 1 + (x % 25) as usize;
            let y: Vec<f64> = (0..n)
                .map(|_| {
                    x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    ((x >> 33) % 9) as f64
                })
                .collect();
            for mdc in [false, true] {
                for run in [6, 7] {
                    let l = limits(&y, true, None).unwrap();
                    assert_eq!(latest(&y, &l, run, mdc), *point_types(&y, &l, run, mdc).last().unwrap(), "{y:?}");
                }
            }
        }
    }

    /// A flat series: limits equal to the mean (NHSRplotthedots gives NaN; see [`limits`]).
    #[test]
    fn a_flat_series_has_limits_at_its_mean() {
        let l = limits(&[4.0; 15], true, None).unwrap();
        assert_eq!((l.lower(), l.upper()), (Some(4.0), Some(4.0)));
        assert_eq!(limits(&[4.0], true, None).unwrap().upper(), None);
    }

    fn judge(expr: Expr, side: &[Option<i32>], sign: &[i32], target: &[Option<f64>], lower: &[f64], upper: &[f64]) -> Vec<Option<i32>> {
        let df = df!(
            "spc_side" => side,
            "sign" => sign,
            "target" => target,
            "spc_lower" => lower,
            "spc_upper" => upper,
        )
        .unwrap();
        let out = df.lazy().select([expr.alias("x")]).collect().unwrap();
        let ca = out.column("x").unwrap().i32().unwrap().clone();
        (0..ca.len()).map(|i| ca.get(i)).collect()
    }

    /// `test-ptd_calculate_assurance_type.R`: lpl (1, 5, 1), upl (3, 7, 5), target 4.
    #[test]
    fn assurance_as_plotthedots_gives_it() {
        let side = [Some(0); 3];
        let target = [Some(4.0); 3];
        let (lower, upper) = ([1.0, 5.0, 1.0], [3.0, 7.0, 5.0]);
        let code = |a: SpcAssurance| Some(a.code());
        use SpcAssurance::*;
        // improvement_direction = "increase": consistent_fail, consistent_pass, inconsistent.
        assert_eq!(
            judge(assurance(), &side, &[1; 3], &target, &lower, &upper),
            [code(ConsistentlyFailing), code(ConsistentlyPassing), code(HitAndMiss)]
        );
        // "decrease": consistent_pass, consistent_fail, inconsistent.
        assert_eq!(
            judge(assurance(), &side, &[-1; 3], &target, &lower, &upper),
            [code(ConsistentlyPassing), code(ConsistentlyFailing), code(HitAndMiss)]
        );
        // "neutral", or no target ("it returns a column of NA's if there is no target"): empty.
        assert_eq!(judge(assurance(), &side, &[0; 3], &target, &lower, &upper), [None; 3]);
        assert_eq!(judge(assurance(), &side, &[1; 3], &[None; 3], &lower, &upper), [None; 3]);
        // Not judged (too few points): empty too.
        assert_eq!(judge(assurance(), &[None; 3], &[1; 3], &target, &lower, &upper), [None; 3]);
    }

    /// `ptd_point_type`: the side oriented by the improvement direction; high and low for a
    /// neutral measure. The query's expression and the chart's function agree.
    #[test]
    fn variation_reads_the_side_with_the_polarity() {
        let sides = [Some(1), Some(-1), Some(1), Some(-1), Some(1), Some(-1), Some(0), None];
        let signs = [1, 1, -1, -1, 0, 0, 1, 1];
        let expr = judge(variation(), &sides, &signs, &[None; 8], &[0.0; 8], &[0.0; 8]);
        for i in 0..7 {
            assert_eq!(expr[i], Some(variation_of(sides[i].unwrap(), signs[i]).code()));
        }
        use SpcVariation::*;
        let got = judge(
            variation(),
            &[Some(1), Some(-1), Some(1), Some(-1), Some(1), Some(-1), Some(0), None],
            &[1, 1, -1, -1, 0, 0, 1, 1],
            &[None; 8],
            &[0.0; 8],
            &[0.0; 8],
        );
        let want = [
            SpecialCauseImprovement,
            SpecialCauseConcern,
            SpecialCauseConcern,
            SpecialCauseImprovement,
            SpecialCauseHigh,
            SpecialCauseLow,
            CommonCause,
        ];
        assert_eq!(got[..7], want.map(|v| Some(v.code())));
        assert_eq!(got[7], None);
    }
}
