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

/// The rules' settings. `Rules::default()` is what a plan without `[rules]` gets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Rules {
    /// Relative amber band where an item has no amber threshold: 0.05 means Amber within 5% of
    /// the target (below it for high-is-good, above it for low-is-good).
    pub default_tolerance: f64,
    /// A benchmark gap no larger than this (in the value's units) counts as similar when the
    /// value has no numerator and denominator. SPEC: default 0, similar means equal.
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
}

impl Default for Rules {
    fn default() -> Rules {
        Rules {
            default_tolerance: 0.05,
            similar_within: 0.0,
            wilson_z: 1.959964,
            dot_basis_annual: DotBasis::YearAgo,
            dot_basis_other: DotBasis::Previous,
            due_on_last_day_is_overdue: true,
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
        if !(self.wilson_z > 0.0 && self.wilson_z.is_finite()) {
            return Err(("wilson_z", format!("wilson_z = {} must be above 0", self.wilson_z)));
        }
        Ok(())
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
    }
}
