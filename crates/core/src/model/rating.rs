//! The rating of one item at one period: the one type every writer, `diff` and the report
//! read, owned (a [`Ratings`] table) or borrowing its text (a row streamed from the engine).

use super::period::Period;
use super::values::{Polarity, Status};
use std::borrow::Cow;

/// Milestone or measure; with `rate --rollup`, also action and priority (issue #16).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// A delivery milestone.
    Milestone,
    /// A measure (KPI).
    Measure,
    /// An action: its milestones' statuses rolled up.
    Action,
    /// A priority: its milestones' statuses rolled up.
    Priority,
}

impl Kind {
    /// `milestone` or `measure`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Milestone => "milestone",
            Kind::Measure => "measure",
            Kind::Action => "action",
            Kind::Priority => "priority",
        }
    }

    /// The code the rating engine's columns hold for the kind.
    pub fn code(self) -> i32 {
        self as i32
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
    /// Every judgement, in code order.
    pub const ALL: [DotJudgement; 4] =
        [DotJudgement::Improving, DotJudgement::Worsening, DotJudgement::NoChange, DotJudgement::NotAssessed];

    /// `improving`, `worsening`, `no_change`, `not_assessed`.
    pub fn name(self) -> &'static str {
        match self {
            DotJudgement::Improving => "improving",
            DotJudgement::Worsening => "worsening",
            DotJudgement::NoChange => "no_change",
            DotJudgement::NotAssessed => "not_assessed",
        }
    }

    /// The code the rating engine's columns hold for the judgement.
    pub fn code(self) -> i32 {
        self as i32 + 1
    }

    /// The judgement with the given [`DotJudgement::code`].
    pub fn from_code(code: i32) -> Option<DotJudgement> {
        DotJudgement::ALL.get(usize::try_from(code - 1).ok()?).copied()
    }

    /// The direction of travel from `before` to `after` for a measure of `polarity`: the
    /// rule the engine's `dot` and `dot_judgement` columns apply (`engine/rules/direction.rs`),
    /// for two values the caller already holds (the report's quarter-on-quarter direction of a
    /// monthly measure, issue #15). Up, down or level; not assessed without both values or for
    /// a neutral measure, else improving when it moved the good way.
    pub fn between(polarity: Polarity, before: Option<f64>, after: Option<f64>) -> (Dot, DotJudgement) {
        let (Some(b), Some(a)) = (before, after) else { return (Dot::None, DotJudgement::NotAssessed) };
        let dot = if a > b {
            Dot::Up
        } else if a < b {
            Dot::Down
        } else {
            Dot::Same
        };
        let sign = match polarity {
            Polarity::HighIsGood => 1,
            Polarity::LowIsGood => -1,
            Polarity::Neutral => 0,
        };
        let moved = match dot {
            Dot::Up => 1,
            Dot::Down => -1,
            _ => 0,
        };
        let judgement = if sign == 0 {
            DotJudgement::NotAssessed
        } else if moved == 0 {
            DotJudgement::NoChange
        } else if moved * sign > 0 {
            DotJudgement::Improving
        } else {
            DotJudgement::Worsening
        };
        (dot, judgement)
    }
}

/// A forecast judgement (issue #16): where the least-squares line through the latest values
/// ends against the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(i32)]
pub enum ForecastStatus {
    /// The line reaches the target.
    OnTrack = 1,
    /// The line stops short of the target, within its tolerance.
    AtRisk,
    /// The line stops beyond the tolerance.
    OffTrack,
}

impl ForecastStatus {
    /// `on_track`, `at_risk`, `off_track`.
    pub fn name(self) -> &'static str {
        match self {
            ForecastStatus::OnTrack => "on_track",
            ForecastStatus::AtRisk => "at_risk",
            ForecastStatus::OffTrack => "off_track",
        }
    }

    /// The judgement a `forecast_status` column's code stands for.
    pub fn from_code(code: i32) -> Option<ForecastStatus> {
        [ForecastStatus::OnTrack, ForecastStatus::AtRisk, ForecastStatus::OffTrack].into_iter().find(|s| *s as i32 == code)
    }
}

/// The recent trend over a measure's five most recent consecutive values up to M (issue #13,
/// Fingertips' recent trend).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Trend {
    /// A significant rise.
    Increasing,
    /// A significant fall.
    Decreasing,
    /// No significant change.
    NoSignificantChange,
    /// Not enough values, or not the figures the test needs (the trend's reason says which).
    CannotBeCalculated,
}

impl Trend {
    /// `increasing`, `decreasing`, `no_significant_change`, `cannot_be_calculated`.
    pub fn name(self) -> &'static str {
        match self {
            Trend::Increasing => "increasing",
            Trend::Decreasing => "decreasing",
            Trend::NoSignificantChange => "no_significant_change",
            Trend::CannotBeCalculated => "cannot_be_calculated",
        }
    }
}

/// Whether the recent trend is good news, given polarity (issue #13).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TrendJudgement {
    /// A significant trend the good way.
    GettingBetter,
    /// A significant trend the bad way.
    GettingWorse,
    /// No significant change.
    NoSignificantChange,
    /// No trend could be calculated, or a neutral measure.
    NotAssessed,
}

impl TrendJudgement {
    /// Every judgement, in code order.
    pub const ALL: [TrendJudgement; 4] =
        [TrendJudgement::GettingBetter, TrendJudgement::GettingWorse, TrendJudgement::NoSignificantChange, TrendJudgement::NotAssessed];

    /// `getting_better`, `getting_worse`, `no_significant_change`, `not_assessed`.
    pub fn name(self) -> &'static str {
        match self {
            TrendJudgement::GettingBetter => "getting_better",
            TrendJudgement::GettingWorse => "getting_worse",
            TrendJudgement::NoSignificantChange => "no_significant_change",
            TrendJudgement::NotAssessed => "not_assessed",
        }
    }

    /// The code the rating engine's columns hold for the judgement.
    pub fn code(self) -> i32 {
        self as i32 + 1
    }

    /// The judgement with the given [`TrendJudgement::code`].
    pub fn from_code(code: i32) -> Option<TrendJudgement> {
        TrendJudgement::ALL.get(usize::try_from(code - 1).ok()?).copied()
    }
}

/// The highest confidence level at which a value differs from a benchmark (issue #13).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Level {
    /// Outside the 95% interval, inside the 99.8% one.
    P95,
    /// Outside the 99.8% interval too.
    P99_8,
}

impl Level {
    /// `95` or `99.8`.
    pub fn name(self) -> &'static str {
        match self {
            Level::P95 => "95",
            Level::P99_8 => "99.8",
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
    /// Every judgement, in code order.
    pub const ALL: [Versus; 5] = [Versus::Better, Versus::Similar, Versus::Worse, Versus::Higher, Versus::Lower];

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

    /// The code the rating engine's columns hold for the judgement.
    pub fn code(self) -> i32 {
        self as i32 + 1
    }

    /// The judgement with the given [`Versus::code`].
    pub fn from_code(code: i32) -> Option<Versus> {
        Versus::ALL.get(usize::try_from(code - 1).ok()?).copied()
    }
}

/// What statistical process control says of a measure's latest point (issue #13).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SpcVariation {
    /// No rule fired: the process is behaving as it has.
    CommonCause,
    /// A rule fired on the good side, given polarity.
    SpecialCauseImprovement,
    /// A rule fired on the bad side, given polarity.
    SpecialCauseConcern,
    /// A rule fired above the mean (a neutral measure).
    SpecialCauseHigh,
    /// A rule fired below the mean (a neutral measure).
    SpecialCauseLow,
}

impl SpcVariation {
    /// Every variation, in code order.
    pub const ALL: [SpcVariation; 5] = [
        SpcVariation::CommonCause,
        SpcVariation::SpecialCauseImprovement,
        SpcVariation::SpecialCauseConcern,
        SpcVariation::SpecialCauseHigh,
        SpcVariation::SpecialCauseLow,
    ];

    /// `common_cause`, `special_cause_improvement`, `special_cause_concern`,
    /// `special_cause_high`, `special_cause_low`.
    pub fn name(self) -> &'static str {
        match self {
            SpcVariation::CommonCause => "common_cause",
            SpcVariation::SpecialCauseImprovement => "special_cause_improvement",
            SpcVariation::SpecialCauseConcern => "special_cause_concern",
            SpcVariation::SpecialCauseHigh => "special_cause_high",
            SpcVariation::SpecialCauseLow => "special_cause_low",
        }
    }

    /// The code the rating engine's columns hold for the variation.
    pub fn code(self) -> i32 {
        self as i32 + 1
    }

    /// The variation with the given [`SpcVariation::code`].
    pub fn from_code(code: i32) -> Option<SpcVariation> {
        SpcVariation::ALL.get(usize::try_from(code - 1).ok()?).copied()
    }
}

/// Which SPC rule fired on the latest point, in NHSRplotthedots' precedence (the first that
/// fires is the one named).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SpcSignal {
    /// Beyond the upper or lower process limit.
    OutsideLimits,
    /// The last of a run of points each higher (or each lower) than the one before.
    Trend,
    /// Two of the last three points beyond two sigma, all three on one side of the mean.
    TwoOfThree,
    /// The last of a run of points all on one side of the mean.
    Shift,
}

impl SpcSignal {
    /// Every signal, in precedence and code order.
    pub const ALL: [SpcSignal; 4] = [SpcSignal::OutsideLimits, SpcSignal::Trend, SpcSignal::TwoOfThree, SpcSignal::Shift];

    /// `outside_limits`, `trend`, `two_of_three`, `shift`.
    pub fn name(self) -> &'static str {
        match self {
            SpcSignal::OutsideLimits => "outside_limits",
            SpcSignal::Trend => "trend",
            SpcSignal::TwoOfThree => "two_of_three",
            SpcSignal::Shift => "shift",
        }
    }

    /// The code the rating engine's columns hold for the signal.
    pub fn code(self) -> i32 {
        self as i32 + 1
    }

    /// The signal with the given [`SpcSignal::code`].
    pub fn from_code(code: i32) -> Option<SpcSignal> {
        SpcSignal::ALL.get(usize::try_from(code - 1).ok()?).copied()
    }
}

/// Whether the process limits put the target within reach (issue #13).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SpcAssurance {
    /// Both limits on the good side of the target: it will be met unless the process changes.
    ConsistentlyPassing,
    /// Both limits on the bad side of the target: it will be missed unless the process changes.
    ConsistentlyFailing,
    /// The target lies between the limits: it will be met some periods and missed others.
    HitAndMiss,
}

impl SpcAssurance {
    /// Every assurance, in code order.
    pub const ALL: [SpcAssurance; 3] = [SpcAssurance::ConsistentlyPassing, SpcAssurance::ConsistentlyFailing, SpcAssurance::HitAndMiss];

    /// `consistently_passing`, `consistently_failing`, `hit_and_miss`.
    pub fn name(self) -> &'static str {
        match self {
            SpcAssurance::ConsistentlyPassing => "consistently_passing",
            SpcAssurance::ConsistentlyFailing => "consistently_failing",
            SpcAssurance::HitAndMiss => "hit_and_miss",
        }
    }

    /// The code the rating engine's columns hold for the assurance.
    pub fn code(self) -> i32 {
        self as i32 + 1
    }

    /// The assurance with the given [`SpcAssurance::code`].
    pub fn from_code(code: i32) -> Option<SpcAssurance> {
        SpcAssurance::ALL.get(usize::try_from(code - 1).ok()?).copied()
    }
}

/// A measure's XmR chart at M: its segment's mean and process limits, and what they say of
/// the latest point. All empty for a milestone.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Spc {
    /// The mean of the segment's points (of its first N with a baseline).
    pub mean: Option<f64>,
    /// The upper process limit: mean + 2.66 × mean moving range.
    pub upper: Option<f64>,
    /// The lower process limit: mean − 2.66 × mean moving range.
    pub lower: Option<f64>,
    /// The points of the segment up to M.
    pub points: Option<u32>,
    /// The latest point's variation; `None` below the minimum points or without a value at M.
    pub variation: Option<SpcVariation>,
    /// The rule that fired on the latest point, if any.
    pub signal: Option<SpcSignal>,
    /// The target against the limits; `None` without a target or a variation.
    pub assurance: Option<SpcAssurance>,
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
    /// With two benchmark levels, the highest level at which the difference holds.
    pub sig: Option<Level>,
}

/// The rating of one item at one period. Its text is a [`Cow`]: a [`Ratings`] table owns it
/// (`Rating<'static>`), while a row streamed from the engine borrows it from the plan and the
/// reader's scratch, so that writing millions of rows copies no string per row.
#[derive(Debug, Clone, PartialEq)]
pub struct Rating<'a> {
    /// The plan's folder name.
    pub plan: Cow<'a, str>,
    /// The reporting period T.
    pub period: Period,
    /// Milestone or measure.
    pub kind: Kind,
    /// The item's id.
    pub item: Cow<'a, str>,
    /// The milestone's priority or the measure's group.
    pub priority: Cow<'a, str>,
    /// The item's title.
    pub title: Cow<'a, str>,
    /// The reported status: the officer's where given (unless computed-only), else the engine's.
    pub status: Option<Status>,
    /// The engine's status.
    pub computed_status: Option<Status>,
    /// The officer's status differs from the engine's.
    pub disagrees: bool,
    /// Why, in words a member can read.
    pub reason: Cow<'a, str>,
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
    pub benchmarks: Cow<'a, [Comparison]>,
    // Issue #16.
    /// Expected progress at the end of T, in per cent, on the line from start to due.
    pub expected_progress: Option<f64>,
    /// `percent_complete` over `expected_progress`.
    pub progress_ratio: Option<f64>,
    /// The least-squares line's value at the end of the target period or year.
    pub forecast_value: Option<f64>,
    /// The forecast against the target.
    pub forecast_status: Option<ForecastStatus>,
    /// The forecast in words (empty where no forecast applies).
    pub forecast_reason: Cow<'a, str>,
    /// The latest update or value is older than `stale_after` periods.
    pub stale: bool,
    /// When it was last updated, for a stale rating (else empty).
    pub stale_reason: Cow<'a, str>,
    /// Issue #13: the recent trend (`None` for milestones, or when `recent_trend` is off).
    pub trend: Option<Trend>,
    /// Issue #13: its judgement given polarity.
    pub trend_judgement: Option<TrendJudgement>,
    /// Issue #13: why the trend is what it is (empty without a trend).
    pub trend_reason: Cow<'a, str>,
    // Issue #13.
    /// Statistical process control at M.
    pub spc: Spc,
    /// SPC's reason, in words (empty for a milestone).
    pub spc_reason: Cow<'a, str>,
}

impl Rating<'_> {
    /// Whether the rating belongs in a report's exceptions: Red, or stale (issue #16).
    pub fn is_exception(&self) -> bool {
        self.status == Some(Status::Red) || self.stale
    }

    /// The rating, borrowing this one's text.
    pub fn view(&self) -> Rating<'_> {
        Rating {
            plan: Cow::Borrowed(&self.plan),
            item: Cow::Borrowed(&self.item),
            priority: Cow::Borrowed(&self.priority),
            title: Cow::Borrowed(&self.title),
            reason: Cow::Borrowed(&self.reason),
            benchmarks: Cow::Borrowed(&self.benchmarks),
            forecast_reason: Cow::Borrowed(&self.forecast_reason),
            stale_reason: Cow::Borrowed(&self.stale_reason),
            trend_reason: Cow::Borrowed(&self.trend_reason),
            spc_reason: Cow::Borrowed(&self.spc_reason),
            ..*self
        }
    }

    /// An owned copy.
    pub fn into_owned(self) -> Rating<'static> {
        Rating {
            plan: Cow::Owned(self.plan.into_owned()),
            item: Cow::Owned(self.item.into_owned()),
            priority: Cow::Owned(self.priority.into_owned()),
            title: Cow::Owned(self.title.into_owned()),
            reason: Cow::Owned(self.reason.into_owned()),
            benchmarks: Cow::Owned(self.benchmarks.into_owned()),
            forecast_reason: Cow::Owned(self.forecast_reason.into_owned()),
            stale_reason: Cow::Owned(self.stale_reason.into_owned()),
            trend_reason: Cow::Owned(self.trend_reason.into_owned()),
            spc_reason: Cow::Owned(self.spc_reason.into_owned()),
            ..self
        }
    }
}

/// A table of ratings.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Ratings {
    /// Benchmark labels, sorted: the `vs_<label>` / `gap_<label>` columns.
    pub labels: Vec<String>,
    /// Rows in stable order: plan, period, kind, item order.
    pub rows: Vec<Rating<'static>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn direction_between_two_values_follows_the_polarity() {
        // 61.5 -> 63: up; good news when high is good, bad news when low is good.
        assert_eq!(DotJudgement::between(Polarity::HighIsGood, Some(61.5), Some(63.0)), (Dot::Up, DotJudgement::Improving));
        assert_eq!(DotJudgement::between(Polarity::LowIsGood, Some(61.5), Some(63.0)), (Dot::Up, DotJudgement::Worsening));
        assert_eq!(DotJudgement::between(Polarity::LowIsGood, Some(20.0), Some(18.0)), (Dot::Down, DotJudgement::Improving));
        assert_eq!(DotJudgement::between(Polarity::HighIsGood, Some(5.0), Some(5.0)), (Dot::Same, DotJudgement::NoChange));
        assert_eq!(DotJudgement::between(Polarity::Neutral, Some(5.0), Some(6.0)), (Dot::Up, DotJudgement::NotAssessed));
        assert_eq!(DotJudgement::between(Polarity::HighIsGood, None, Some(6.0)), (Dot::None, DotJudgement::NotAssessed));
    }
}
