//! Values as people type them in spreadsheets: numbers, dates, flags, statuses, polarities.
//!
//! Each parser returns the value or a sentence saying what was expected; the plan reader adds
//! the file, line and column.

use chrono::NaiveDate;

/// `text.trim()`, with a fast path for text that begins and ends with a visible ASCII
/// character (nearly every field of a plan), which has nothing to trim. `str::trim` checks
/// Unicode whitespace from both ends and was the reader's largest single cost after CSV
/// parsing (callgrind, BENCHMARKS.md).
#[inline]
pub fn trim(text: &str) -> &str {
    let visible = |b: Option<&u8>| b.is_some_and(|b| (0x21..0x7f).contains(b));
    let bytes = text.as_bytes();
    if visible(bytes.first()) && visible(bytes.last()) {
        text
    } else {
        text.trim()
    }
}
use serde::{Deserialize, Serialize};
use std::fmt;

/// How a measure's confidence intervals are computed where `values.csv` gives none (issue #13):
/// `measures.csv`'s optional `ci_method`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CiMethod {
    /// Wilson score interval of numerator / denominator: proportions.
    Wilson,
    /// Byars' approximation (exact Poisson below 10 events) of the count: counts and rates.
    Byars,
    /// No interval: compared by equality (or `similar_within`).
    None,
}

impl CiMethod {
    /// Parses `wilson`, `byars` or `none`, any case.
    pub fn parse(text: &str) -> Result<CiMethod, String> {
        match trim(text).to_ascii_lowercase().as_str() {
            "wilson" => Ok(CiMethod::Wilson),
            "byars" | "byar" | "poisson" => Ok(CiMethod::Byars),
            "none" => Ok(CiMethod::None),
            t => Err(format!("{t:?} is not a confidence interval method; expected wilson, byars or none")),
        }
    }
}

/// A RAG status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Status {
    /// Complete, or meeting or exceeding its target.
    Green,
    /// Ongoing with no issues, or within the tolerance of its target.
    Amber,
    /// At risk, with issues, overdue, or beyond the tolerance of its target.
    Red,
    /// No information available or no update provided.
    Blue,
}

impl Status {
    /// Every status, in report order.
    pub const ALL: [Status; 4] = [Status::Green, Status::Amber, Status::Red, Status::Blue];

    /// Parses Green/Amber/Red/Blue or G/A/R/B, any case.
    pub fn parse(text: &str) -> Result<Status, String> {
        let t = trim(text);
        let is = |full: &str, short: &str| t.eq_ignore_ascii_case(full) || t.eq_ignore_ascii_case(short);
        match () {
            _ if is("green", "g") => Ok(Status::Green),
            _ if is("amber", "a") => Ok(Status::Amber),
            _ if is("red", "r") => Ok(Status::Red),
            _ if is("blue", "b") => Ok(Status::Blue),
            _ => Err(format!("{t:?} is not a status; expected Green, Amber, Red, Blue (or G, A, R, B)")),
        }
    }

    /// The status's name.
    pub fn name(self) -> &'static str {
        match self {
            Status::Green => "Green",
            Status::Amber => "Amber",
            Status::Red => "Red",
            Status::Blue => "Blue",
        }
    }

    /// A small integer code used in the columnar engine.
    pub fn code(self) -> i32 {
        self as i32 + 1
    }

    /// Whether going from `before` to `self` is a worsening (issue #15, the report's
    /// exceptions): Green to Amber or Red, Amber to Red. Blue (no information) is neither
    /// better nor worse than any status, and a status appearing or disappearing is not a move.
    pub fn worse_than(self, before: Status) -> bool {
        let rank = |s: Status| match s {
            Status::Green => Some(0),
            Status::Amber => Some(1),
            Status::Red => Some(2),
            Status::Blue => None,
        };
        matches!((rank(before), rank(self)), (Some(b), Some(a)) if a > b)
    }

    /// The status with the given [`Status::code`].
    pub fn from_code(code: i32) -> Option<Status> {
        Status::ALL.get((code - 1) as usize).copied()
    }
}

/// How reports name the four statuses (`plan.toml` `[labels]`, issue #16): some councils' blue
/// is "Exceeding target", others' "No update". Ratings files always hold the canonical words.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Labels {
    /// Shown for Green.
    #[serde(alias = "green")]
    pub green: Option<String>,
    /// Shown for Amber.
    pub amber: Option<String>,
    /// Shown for Red.
    pub red: Option<String>,
    /// Shown for Blue.
    pub blue: Option<String>,
}

impl Labels {
    /// The name a report shows for `status`: the plan's label, else the canonical word.
    pub fn name(&self, status: Status) -> &str {
        let given = match status {
            Status::Green => &self.green,
            Status::Amber => &self.amber,
            Status::Red => &self.red,
            Status::Blue => &self.blue,
        };
        given.as_deref().map(str::trim).filter(|l| !l.is_empty()).unwrap_or(status.name())
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Whether good performance is a high or a low number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Polarity {
    /// Higher is better.
    HighIsGood,
    /// Lower is better.
    LowIsGood,
    /// Neither: the item is not rated.
    Neutral,
}

impl Polarity {
    /// Parses high/low/neutral (also "high is good", "higher", "lower", "none").
    pub fn parse(text: &str) -> Result<Polarity, String> {
        let t = text.trim().to_ascii_lowercase();
        let t = t.trim_end_matches(" is good").trim_end_matches(" is better");
        match t {
            "high" | "higher" | "h" | "up" => Ok(Polarity::HighIsGood),
            "low" | "lower" | "l" | "down" => Ok(Polarity::LowIsGood),
            "neutral" | "none" | "n" => Ok(Polarity::Neutral),
            _ => Err(format!("{:?} is not a polarity; expected high, low or neutral", text.trim())),
        }
    }

    /// `high`, `low` or `neutral`.
    pub fn name(self) -> &'static str {
        match self {
            Polarity::HighIsGood => "high",
            Polarity::LowIsGood => "low",
            Polarity::Neutral => "neutral",
        }
    }

    /// +1, -1 or 0: the sign that turns "up" into "better".
    pub fn sign(self) -> i32 {
        match self {
            Polarity::HighIsGood => 1,
            Polarity::LowIsGood => -1,
            Polarity::Neutral => 0,
        }
    }

    /// The polarity with the given [`Polarity::sign`].
    pub fn from_sign(sign: i32) -> Polarity {
        match sign.signum() {
            1 => Polarity::HighIsGood,
            -1 => Polarity::LowIsGood,
            _ => Polarity::Neutral,
        }
    }

    /// "high is good" / "low is good" / "neutral", for reasons.
    pub fn phrase(self) -> &'static str {
        match self {
            Polarity::HighIsGood => "high is good",
            Polarity::LowIsGood => "low is good",
            Polarity::Neutral => "neutral",
        }
    }
}

/// How a measure's values add up over several periods, for its year to date (issue #15):
/// `aggregation` in `measures.csv`, else [`Aggregation::default_for_unit`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Aggregation {
    /// A count: the periods' values added up (attendances, referrals).
    Sum,
    /// The periods' values averaged.
    Mean,
    /// A proportion or rate: every case pooled, Σ numerator ÷ Σ denominator in the value's
    /// units; the mean of the values when a period lacks its numerator or denominator.
    Pooled,
}

impl Aggregation {
    /// Parses `sum`, `mean` or `pooled` (also `total`, `count`, `average`, `avg`, `pool`).
    pub fn parse(text: &str) -> Result<Aggregation, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "sum" | "total" | "count" => Ok(Aggregation::Sum),
            "mean" | "average" | "avg" => Ok(Aggregation::Mean),
            "pooled" | "pool" => Ok(Aggregation::Pooled),
            _ => Err(format!("{:?} is not an aggregation; expected sum, mean or pooled", text.trim())),
        }
    }

    /// `sum`, `mean` or `pooled`.
    pub fn name(self) -> &'static str {
        match self {
            Aggregation::Sum => "sum",
            Aggregation::Mean => "mean",
            Aggregation::Pooled => "pooled",
        }
    }

    /// The aggregation of a measure whose `aggregation` is blank, by its unit: pooled for a
    /// percentage or a rate (`%`, `per 10,000`, `rate`), the mean for a blank unit (nothing
    /// says what the number counts), a sum for any other unit, which names what is counted
    /// (`attendances`, `referrals`, `£`). An average such as days to complete needs
    /// `aggregation = mean` written in the file.
    pub fn default_for_unit(unit: &str) -> Aggregation {
        let u = unit.trim().to_ascii_lowercase();
        if u.is_empty() {
            Aggregation::Mean
        } else if u.starts_with('%') || u.starts_with("per ") || u == "per" || u.contains("rate") || u.contains("percent") {
            Aggregation::Pooled
        } else {
            Aggregation::Sum
        }
    }
}

/// The largest magnitude a number read may have: a thousand million million (10^15). Up to
/// here every whole number is exact in a double and is written back digit for digit in every
/// format; far beyond it sums and gaps overflow (1.7976931348623157e308 minus a negative
/// benchmark is infinity, which CSV would write `inf` and JSON `null`), and no council figure
/// comes near it.
pub const MAX_NUMBER: f64 = 1e15;

/// Parses a number as typed: `61.9%` is 61.9, `1,380` is 1380, `£1,200` is 1200; `n/a`, `-`
/// and blank are missing (`Ok(None)`). A number beyond ±[`MAX_NUMBER`] is an error.
pub fn parse_number(text: &str) -> Result<Option<f64>, String> {
    let t = trim(text);
    let v = parse_number_unbounded(t)?;
    match v {
        Some(x) if x.abs() > MAX_NUMBER => Err(format!(
            "{t:?} is too large; expected a number between -1e15 and 1e15 (a thousand million million), beyond which figures lose digits when written"
        )),
        _ => Ok(v),
    }
}

fn parse_number_unbounded(t: &str) -> Result<Option<f64>, String> {
    if let Some(v) = plain_number(t) {
        return Ok(Some(v));
    }
    if is_missing(t) {
        return Ok(None);
    }
    let mut s = trim(t.trim_end_matches('%'));
    s = s.strip_prefix('£').unwrap_or(s).trim();
    let (negative, body) = match s.strip_prefix('-') {
        Some(rest) => (true, rest.trim_start()),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let valid_commas = body.contains(',') && valid_thousands(body);
    if body.contains(',') && !valid_commas {
        return Err(format!("{t:?} is not a number; expected a number such as 61.9, 61.9% or 1,380"));
    }
    let cleaned: String = body.chars().filter(|c| *c != ',').collect();
    let ok_chars = !cleaned.is_empty()
        && cleaned.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'))
        && cleaned.chars().next().is_some_and(|c| c.is_ascii_digit() || c == '.');
    let number = if ok_chars { cleaned.parse::<f64>().ok() } else { None };
    match number {
        Some(v) if v.is_finite() => Ok(Some(if negative { -v } else { v })),
        Some(_) => Err(format!("{t:?} is too large; expected a finite number")),
        None => Err(format!("{t:?} is not a number; expected a number such as 61.9, 61.9% or 1,380")),
    }
}

/// The common case, without allocating: optional `-`, digits, at most one `.` with digits on
/// both sides (`61.9`, `-0.4`, `1380`). Anything else goes through the general rules.
fn plain_number(t: &str) -> Option<f64> {
    let b = t.as_bytes();
    let digits = b.strip_prefix(b"-").unwrap_or(b);
    if digits.is_empty() || digits.len() > 17 {
        return None;
    }
    let mut dot = None;
    for (i, &c) in digits.iter().enumerate() {
        match c {
            b'0'..=b'9' => {}
            b'.' if dot.is_none() => dot = Some(i),
            _ => return None,
        }
    }
    if dot.is_some_and(|i| i == 0 || i + 1 == digits.len()) {
        return None;
    }
    t.parse::<f64>().ok()
}

fn valid_thousands(body: &str) -> bool {
    let int_part = body.split('.').next().unwrap_or("");
    let groups: Vec<&str> = int_part.split(',').collect();
    groups.len() > 1
        && (1..=3).contains(&groups[0].len())
        && groups[1..].iter().all(|g| g.len() == 3)
        && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()))
        && !body.split('.').nth(1).is_some_and(|f| f.contains(','))
}

/// Whether a field counts as missing: blank, `n/a`, `na`, `-`, `–`.
pub fn is_missing(text: &str) -> bool {
    let t = trim(text);
    // Every missing marker is at most three bytes: no lower-casing copy for the rest.
    t.len() <= 3 && ["", "n/a", "na", "-", "–", "—"].iter().any(|m| t.eq_ignore_ascii_case(m))
}

/// Parses a date: ISO `2014-03-31` or UK `31/03/2014` (never US order); blank is `None`.
pub fn parse_date(text: &str) -> Result<Option<NaiveDate>, String> {
    let t = trim(text);
    let date = parse_date_unbounded(t)?;
    use chrono::Datelike;
    let (min, max) = (super::period::MIN_YEAR, super::period::MAX_YEAR);
    match date {
        Some(d) if d.year() < min || d.year() > max => {
            Err(format!("{t:?} is outside the years {min} to {max}; expected a date in that range (check the year's digits)"))
        }
        _ => Ok(date),
    }
}

fn parse_date_unbounded(t: &str) -> Result<Option<NaiveDate>, String> {
    if is_missing(t) {
        return Ok(None);
    }
    let expected = "expected a date such as 2014-03-31 or 31/03/2014 (day/month/year)";
    if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return Ok(Some(d));
    }
    let parts: Vec<&str> = t.split('/').collect();
    if parts.len() == 3 && parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())) && parts[2].len() == 4 {
        let (d, m, y) = (parts[0].parse::<u32>(), parts[1].parse::<u32>(), parts[2].parse::<i32>());
        if let (Ok(d), Ok(m), Ok(y)) = (d, m, y) {
            if m > 12 && d <= 12 {
                return Err(format!("{t:?} reads as month {m}: dates are day/month/year, not US month/day/year; {expected}"));
            }
            return NaiveDate::from_ymd_opt(y, m, d).map(Some).ok_or_else(|| format!("{t:?} is not a real date; {expected}"));
        }
    }
    Err(format!("{t:?} is not a date; {expected}"))
}

/// Parses a yes/no flag: yes/no, y/n, true/false, 1/0, any case; blank is `false`.
pub fn parse_flag(text: &str) -> Result<bool, String> {
    let t = trim(text);
    let is = |words: &[&str]| words.iter().any(|w| t.eq_ignore_ascii_case(w));
    if is(&["yes", "y", "true", "1"]) {
        Ok(true)
    } else if is(&["no", "n", "false", "0", ""]) {
        Ok(false)
    } else {
        Err(format!("{t:?} is not a yes/no flag; expected yes/no, y/n, true/false or 1/0"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worse_is_down_the_green_amber_red_scale_and_blue_is_neither() {
        use Status::*;
        assert!(Amber.worse_than(Green) && Red.worse_than(Green) && Red.worse_than(Amber));
        assert!(!Green.worse_than(Amber) && !Amber.worse_than(Amber) && !Amber.worse_than(Red));
        assert!(!Blue.worse_than(Green) && !Red.worse_than(Blue), "no information is not a move");
    }

    #[test]
    fn numbers_as_typed() {
        assert_eq!(parse_number("61.9%"), Ok(Some(61.9)));
        assert_eq!(parse_number("1,380"), Ok(Some(1380.0)));
        assert_eq!(parse_number(" 12,345.5 "), Ok(Some(12345.5)));
        assert_eq!(parse_number("-0.4"), Ok(Some(-0.4)));
        assert_eq!(parse_number("£1,200"), Ok(Some(1200.0)));
        assert_eq!(parse_number("n/a"), Ok(None));
        assert_eq!(parse_number("-"), Ok(None));
        assert_eq!(parse_number(""), Ok(None));
        assert!(parse_number("6l.9").is_err());
        assert!(parse_number("1,38").is_err());
        assert!(parse_number("NaN").is_err());
        assert!(parse_number("inf").is_err());
        assert!(parse_number("1e999").is_err());
    }

    #[test]
    fn dates_iso_and_uk_never_us() {
        assert_eq!(parse_date("2014-03-31").unwrap().unwrap().to_string(), "2014-03-31");
        assert_eq!(parse_date("31/03/2014").unwrap().unwrap().to_string(), "2014-03-31");
        assert_eq!(parse_date("").unwrap(), None);
        let us = parse_date("07/25/2013").unwrap_err();
        assert!(us.contains("not US"), "{us}");
        assert!(parse_date("31/02/2014").is_err());
        assert!(parse_date("March 2014").is_err());
    }

    #[test]
    fn flags_statuses_polarities() {
        for yes in ["yes", "Y", "TRUE", "1"] {
            assert_eq!(parse_flag(yes), Ok(true));
        }
        for no in ["no", "n", "False", "0", ""] {
            assert_eq!(parse_flag(no), Ok(false));
        }
        assert!(parse_flag("maybe").is_err());
        assert_eq!(Status::parse("g"), Ok(Status::Green));
        assert_eq!(Status::parse(" AMBER "), Ok(Status::Amber));
        assert!(Status::parse("Gren").is_err());
        assert_eq!(Polarity::parse("Low"), Ok(Polarity::LowIsGood));
        assert_eq!(Polarity::parse("high is good"), Ok(Polarity::HighIsGood));
        assert!(Polarity::parse("up-ish").is_err());
        for s in Status::ALL {
            assert_eq!(Status::from_code(s.code()), Some(s));
        }
    }
}
