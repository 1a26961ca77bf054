//! The rating rules' settings: every default threshold lives here and nowhere else.
//!
//! A plan overrides any of them in the `[rules]` section of its `plan.toml`:
//!
//! ```toml
//! [rules]
//! default_tolerance = 0.10   # amber band 10% of the target where no amber threshold is given
//! similar_within = 0.5       # benchmark gaps of up to 0.5 count as similar
//! ```

use serde::{Deserialize, Serialize};

/// Which earlier period direction of travel compares with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DotBasis {
    /// The period just before, of the same length.
    Previous,
    /// The same period a year earlier.
    YearAgo,
}

impl DotBasis {
    /// Parses `previous` or `year_ago` (also `year ago`, `last year`, `previous year`).
    pub fn parse(text: &str) -> Result<DotBasis, String> {
        match text.trim().to_ascii_lowercase().replace([' ', '-'], "_").as_str() {
            "previous" | "previous_period" | "last_period" => Ok(DotBasis::Previous),
            "year_ago" | "last_year" | "previous_year" | "year_on_year" => Ok(DotBasis::YearAgo),
            _ => Err(format!("{:?} is not a direction-of-travel basis; expected previous or year_ago", text.trim())),
        }
    }

    /// `previous` or `year_ago`.
    pub fn name(self) -> &'static str {
        match self {
            DotBasis::Previous => "previous",
            DotBasis::YearAgo => "year_ago",
        }
    }
}

/// How the SPC "two of three points beyond two sigma" rule counts a point beyond three sigma
/// (issue #13).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SpcTwoSigma {
    /// As NHSRplotthedots counts it: only points between two and three sigma (a point beyond
    /// three sigma is an outside-limits point, and does not count towards two of three).
    Plotthedots,
    /// As NHS England's Making Data Count tools have since November 2023: every point beyond
    /// two sigma counts, three sigma included.
    Mdc,
}

impl SpcTwoSigma {
    /// `plotthedots` or `mdc`.
    pub fn name(self) -> &'static str {
        match self {
            SpcTwoSigma::Plotthedots => "plotthedots",
            SpcTwoSigma::Mdc => "mdc",
        }
    }
}

/// How `scorecard rate --rollup` gives an action or a priority its status from its
/// milestones' (issue #16).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rollup {
    /// The worst status among the milestones: Red, then Amber, then Green.
    Worst,
    /// The most common status; a tie goes to the worse status.
    Majority,
    /// The mean of the milestones' scores (Green 100, Amber 50, Red 0) against
    /// `rollup_green_at` and `rollup_amber_at`.
    Score,
}

/// How a Blue milestone counts in a roll-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RollupBlue {
    /// Left out (the default): a roll-up is Blue only when every milestone is.
    Exclude,
    /// Counts as Green (councils whose blue means "exceeding target" or "complete").
    Green,
    /// Counts as Amber.
    Amber,
    /// Counts as Red (councils whose blue means "no update", judged a failure to report).
    Red,
}

/// The rules' settings. `Rules::default()` is what a plan without `[rules]` gets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Rules {
    /// Relative amber band where an item has no amber threshold: 0.05 means Amber within 5% of
    /// the target (below it for high-is-good, above it for low-is-good).
    pub default_tolerance: f64,
    /// A benchmark gap no larger than this (in the value's units) counts as similar when the
    /// value has no numerator and denominator. Default 0: similar means equal.
    pub similar_within: f64,
    /// The z value of the Wilson score interval used when numerator and denominator are given
    /// (1.959964 for 95%).
    pub wilson_z: f64,
    /// Direction-of-travel basis for annual measures without a `dot_basis`.
    pub dot_basis_annual: DotBasis,
    /// Direction-of-travel basis for monthly and quarterly measures without a `dot_basis`.
    pub dot_basis_other: DotBasis,
    /// A due date counts as passed at the end of a period when it falls on or before that
    /// period's last day (`true`), or only when strictly before it (`false`).
    pub due_on_last_day_is_overdue: bool,
    /// Issue #13: the confidence levels benchmarks are compared at, `[95]` (one level) or
    /// `[95, 99.8]` (two: each `sig_<label>` then says the highest level the difference holds
    /// at). Left out of the rules' provenance hash at its default, so plans that do not set it
    /// keep their hash.
    #[serde(skip_serializing_if = "is_one_level")]
    pub benchmark_levels: Vec<f64>,
    /// Issue #13: whether the recent trend (`trend`, `trend_judgement`) is computed; `false`
    /// leaves those columns empty. Left out of the provenance hash at its default.
    #[serde(skip_serializing_if = "is_true")]
    pub recent_trend: bool,
    // Issue #16: expected progress, forecast, roll-up, stale updates.
    /// Expected progress: Amber when `percent_complete` is below this share of the progress
    /// expected on the straight line from `start` to `due`.
    #[serde(skip_serializing_if = "unchanged::progress_amber")]
    pub progress_amber: f64,
    /// Expected progress: Red below this share of the expected progress.
    #[serde(skip_serializing_if = "unchanged::progress_red")]
    pub progress_red: f64,
    /// Forecast: the least-squares line is fitted to at most this many latest values.
    #[serde(skip_serializing_if = "unchanged::forecast_points")]
    pub forecast_points: usize,
    /// Forecast: no forecast with fewer values than this.
    #[serde(skip_serializing_if = "unchanged::forecast_min_points")]
    pub forecast_min_points: usize,
    /// Roll-up method for `rate --rollup`.
    #[serde(skip_serializing_if = "unchanged::rollup")]
    pub rollup: Rollup,
    /// How Blue milestones count in a roll-up.
    #[serde(skip_serializing_if = "unchanged::rollup_blue")]
    pub rollup_blue: RollupBlue,
    /// Roll-up by score: Green at a mean score of at least this (Green 100, Amber 50, Red 0).
    #[serde(skip_serializing_if = "unchanged::rollup_green_at")]
    pub rollup_green_at: f64,
    /// Roll-up by score: Amber at a mean score of at least this, Red below.
    #[serde(skip_serializing_if = "unchanged::rollup_amber_at")]
    pub rollup_amber_at: f64,
    /// Stale: an item whose latest update or value is more than this many periods of its
    /// frequency older than the period rated is stale.
    #[serde(skip_serializing_if = "unchanged::stale_after")]
    pub stale_after: u32,
    // Issue #13: statistical process control (XmR). Each is left out of the rules' canonical
    // JSON while it has its default, so that the rules hash of a plan that sets none of them
    // is the one it had before SPC.
    /// Whether statistical process control is computed: `false` leaves every `spc_` column
    /// empty (`spc_reason` too) and skips the work, as `recent_trend = false` does for the
    /// trend columns.
    #[serde(skip_serializing_if = "is_true")]
    pub spc: bool,
    /// The fewest points (since the last rebase) a measure's SPC judgements need: fewer, and
    /// `spc_variation`, `spc_signal` and `spc_assurance` are empty.
    #[serde(skip_serializing_if = "spc_defaults::min_points")]
    pub spc_min_points: u32,
    /// The points in a row a trend (all rising or all falling) or a shift (all on one side of
    /// the mean) takes: 6 or 7.
    #[serde(skip_serializing_if = "spc_defaults::run_length")]
    pub spc_run_length: u32,
    /// Leave moving ranges of 3.267 times the mean moving range or more out of the limits
    /// (`false` reproduces the Making Data Count Excel tool).
    #[serde(skip_serializing_if = "spc_defaults::screen_outliers")]
    pub spc_screen_outliers: bool,
    /// How two of three points beyond two sigma count a point beyond three sigma.
    #[serde(skip_serializing_if = "spc_defaults::two_sigma")]
    pub spc_two_sigma: SpcTwoSigma,
    /// Fix the mean and limits on the first N points of each segment (N at least 12); unset,
    /// they rest on every point up to M.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spc_baseline: Option<u32>,
}

/// Whether an SPC setting has its default (so is left out of the rules hash).
mod spc_defaults {
    use super::SpcTwoSigma;
    pub fn min_points(n: &u32) -> bool {
        *n == 13
    }
    pub fn run_length(n: &u32) -> bool {
        *n == 7
    }
    pub fn screen_outliers(b: &bool) -> bool {
        *b
    }
    pub fn two_sigma(t: &SpcTwoSigma) -> bool {
        *t == SpcTwoSigma::Plotthedots
    }
}

/// Issue #16's settings are left out of the rules' canonical JSON while at their defaults, so
/// that the rules hash of a plan that does not use them is the one it had before they existed.
mod unchanged {
    use super::*;
    pub(super) fn progress_amber(v: &f64) -> bool {
        *v == 0.9
    }
    pub(super) fn progress_red(v: &f64) -> bool {
        *v == 0.7
    }
    pub(super) fn forecast_points(v: &usize) -> bool {
        *v == 6
    }
    pub(super) fn forecast_min_points(v: &usize) -> bool {
        *v == 3
    }
    pub(super) fn rollup(v: &Rollup) -> bool {
        *v == Rollup::Worst
    }
    pub(super) fn rollup_blue(v: &RollupBlue) -> bool {
        *v == RollupBlue::Exclude
    }
    pub(super) fn rollup_green_at(v: &f64) -> bool {
        *v == 80.0
    }
    pub(super) fn rollup_amber_at(v: &f64) -> bool {
        *v == 50.0
    }
    pub(super) fn stale_after(v: &u32) -> bool {
        *v == 2
    }
}

fn is_one_level(levels: &[f64]) -> bool {
    levels == [95.0]
}

fn is_true(b: &bool) -> bool {
    *b
}

/// The recent trend's number of consecutive values (Fingertips' `PointsToUse`).
pub const TREND_POINTS: usize = 5;

/// The recent trend's significance threshold: χ² on one degree of freedom at 99.8%, 3.0902²
/// (Fingertips' `ChiSquareConfidence`).
pub const TREND_CHI2: f64 = 9.54953570608324;

/// The z of the 99.8% level: the standard normal's 0.999 quantile, as Fingertips' 99.8% limits.
pub const Z_99_8: f64 = 3.090232306167813;

impl Default for Rules {
    fn default() -> Rules {
        Rules {
            default_tolerance: 0.05,
            similar_within: 0.0,
            wilson_z: 1.959964,
            dot_basis_annual: DotBasis::YearAgo,
            dot_basis_other: DotBasis::Previous,
            due_on_last_day_is_overdue: true,
            progress_amber: 0.9,
            progress_red: 0.7,
            forecast_points: 6,
            forecast_min_points: 3,
            rollup: Rollup::Worst,
            rollup_blue: RollupBlue::Exclude,
            rollup_green_at: 80.0,
            rollup_amber_at: 50.0,
            stale_after: 2,
            benchmark_levels: vec![95.0],
            recent_trend: true,
            spc: true,
            spc_min_points: 13,
            spc_run_length: 7,
            spc_screen_outliers: true,
            spc_two_sigma: SpcTwoSigma::Plotthedots,
            spc_baseline: None,
        }
    }
}

impl Rules {
    /// Checks the settings make sense; on failure, the setting's name and what is wrong.
    pub fn check(&self) -> Result<(), (&'static str, String)> {
        if !(self.default_tolerance >= 0.0 && self.default_tolerance < 1.0) {
            return Err(("default_tolerance", format!("default_tolerance = {} must be at least 0 and below 1", self.default_tolerance)));
        }
        if !(self.similar_within >= 0.0 && self.similar_within.is_finite()) {
            return Err(("similar_within", format!("similar_within = {} must be a number of at least 0", self.similar_within)));
        }
        if !(self.wilson_z > 0.0 && self.wilson_z <= 10.0) {
            return Err((
                "wilson_z",
                format!(
                    "wilson_z = {} must be above 0 and at most 10 (1.96 is a 95% interval; 10 is beyond any confidence level in use)",
                    self.wilson_z
                ),
            ));
        }
        if self.similar_within > crate::model::values::MAX_NUMBER {
            return Err(("similar_within", format!("similar_within = {} must be at most 1e15", self.similar_within)));
        }
        if !(self.progress_red >= 0.0 && self.progress_red <= self.progress_amber && self.progress_amber <= 1.0) {
            let key = if self.progress_red >= 0.0 && self.progress_red <= self.progress_amber { "progress_amber" } else { "progress_red" };
            return Err((
                key,
                format!(
                    "progress_red = {} and progress_amber = {} must satisfy 0 <= progress_red <= progress_amber <= 1",
                    self.progress_red, self.progress_amber
                ),
            ));
        }
        if self.forecast_min_points < 2 {
            return Err((
                "forecast_min_points",
                format!("forecast_min_points = {} must be at least 2 (a line needs two points)", self.forecast_min_points),
            ));
        }
        if self.forecast_points < self.forecast_min_points {
            return Err((
                "forecast_points",
                format!("forecast_points = {} must be at least forecast_min_points ({})", self.forecast_points, self.forecast_min_points),
            ));
        }
        if !(self.rollup_amber_at >= 0.0 && self.rollup_amber_at <= self.rollup_green_at && self.rollup_green_at <= 100.0) {
            return Err((
                "rollup_green_at",
                format!(
                    "rollup_amber_at = {} and rollup_green_at = {} must satisfy 0 <= rollup_amber_at <= rollup_green_at <= 100",
                    self.rollup_amber_at, self.rollup_green_at
                ),
            ));
        }
        if !(is_one_level(&self.benchmark_levels) || self.benchmark_levels == [95.0, 99.8]) {
            return Err((
                "benchmark_levels",
                format!("benchmark_levels = {:?} is not a choice; expected [95] or [95, 99.8]", self.benchmark_levels),
            ));
        }
        if !(2..=1000).contains(&self.spc_min_points) {
            return Err(("spc_min_points", format!("spc_min_points = {} must be between 2 and 1000", self.spc_min_points)));
        }
        if !(6..=7).contains(&self.spc_run_length) {
            return Err(("spc_run_length", format!("spc_run_length = {} must be 6 or 7", self.spc_run_length)));
        }
        if let Some(n) = self.spc_baseline.filter(|n| !(12..=1000).contains(n)) {
            return Err(("spc_baseline", format!("spc_baseline = {n} must be between 12 and 1000 points")));
        }
        Ok(())
    }

    /// Whether benchmarks are compared at two levels, 95% and 99.8%.
    pub fn two_levels(&self) -> bool {
        self.benchmark_levels.len() == 2
    }

    /// The amber threshold implied by the default tolerance for `target` under `sign` (+1
    /// high is good, -1 low is good).
    pub fn default_threshold(&self, target: f64, sign: i32) -> f64 {
        target - sign as f64 * self.default_tolerance * target.abs()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_tolerance_is_five_percent_of_the_target() {
        let r = Rules::default();
        assert!((r.default_threshold(18.5, -1) - 19.425).abs() < 1e-9);
        assert!((r.default_threshold(90.0, 1) - 85.5).abs() < 1e-9);
    }

    #[test]
    fn overrides_from_toml() {
        let r: Rules = toml::from_str("default_tolerance = 0.1\ndot_basis_other = \"year_ago\"").unwrap();
        assert_eq!(r.default_tolerance, 0.1);
        assert_eq!(r.dot_basis_other, DotBasis::YearAgo);
        assert_eq!(r.similar_within, 0.0);
        assert!(toml::from_str::<Rules>("tolerence = 0.1").is_err());
        let two: Rules = toml::from_str("benchmark_levels = [95, 99.8]").unwrap();
        assert!(two.two_levels() && two.check().is_ok());
        let odd: Rules = toml::from_str("benchmark_levels = [90]").unwrap();
        assert_eq!(odd.check().map_err(|e| e.0), Err("benchmark_levels"));
    }

    #[test]
    fn new_settings_at_their_defaults_leave_the_provenance_json_as_it_was() {
        let json = serde_json::to_string(&Rules::default()).unwrap();
        assert!(!json.contains("benchmark_levels") && !json.contains("recent_trend"), "{json}");
    }

    #[test]
    fn spc_settings_read_from_toml_and_are_checked() {
        let r: Rules =
            toml::from_str("spc_run_length = 6\nspc_two_sigma = \"mdc\"\nspc_baseline = 12\nspc_screen_outliers = false").unwrap();
        assert_eq!((r.spc_run_length, r.spc_two_sigma, r.spc_baseline, r.spc_screen_outliers), (6, SpcTwoSigma::Mdc, Some(12), false));
        assert!(r.check().is_ok());
        let bad = |text: &str| toml::from_str::<Rules>(text).unwrap().check().err().map(|e| e.0);
        assert_eq!(bad("spc_run_length = 8"), Some("spc_run_length"));
        assert_eq!(bad("spc_baseline = 11"), Some("spc_baseline"));
        assert_eq!(bad("spc_min_points = 1"), Some("spc_min_points"));
        assert!(toml::from_str::<Rules>("spc_two_sigma = \"both\"").is_err());
    }

    #[test]
    fn default_spc_settings_leave_the_rules_json_as_it_was() {
        // The canonical JSON before SPC: a plan that sets no SPC setting keeps its rules hash.
        let json = serde_json::to_string(&Rules::default()).unwrap();
        assert!(!json.contains("spc"), "{json}");
        let r = Rules { spc_run_length: 6, ..Rules::default() };
        assert!(serde_json::to_string(&r).unwrap().contains("\"spc_run_length\":6"));
        let off: Rules = toml::from_str("spc = false").unwrap();
        assert!(!off.spc && off.check().is_ok());
        assert!(serde_json::to_string(&off).unwrap().contains("\"spc\":false"));
    }
}
