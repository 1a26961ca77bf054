//! Reporting periods: months, quarters and years of a financial, academic or calendar year.
//!
//! A period is a run of whole months, so every period is the pair `(start, months)` where
//! `start` counts months from year 0 (`2013*12 + 11` is December 2013). Matching, ordering and
//! the "latest period ending on or before" arithmetic the rules need are then integer sums,
//! which is what lets the rating run as polars column expressions.

use std::fmt;

/// Which twelve months make a year: the plan's, or a measure's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum YearType {
    /// April to March (the default): "2013/14" is April 2013 to March 2014.
    #[default]
    Financial,
    /// September to August: "2013/14" is September 2013 to August 2014.
    Academic,
    /// January to December: "2013".
    Calendar,
}

impl YearType {
    /// The zero-based month in which this year type's year starts (April = 3).
    pub fn first_month(self) -> i32 {
        match self {
            YearType::Financial => 3,
            YearType::Academic => 8,
            YearType::Calendar => 0,
        }
    }

    /// Parses `financial`, `academic` or `calendar` (any case).
    pub fn parse(text: &str) -> Option<YearType> {
        match text.trim().to_ascii_lowercase().as_str() {
            "financial" | "fy" => Some(YearType::Financial),
            "academic" | "ay" => Some(YearType::Academic),
            "calendar" => Some(YearType::Calendar),
            _ => None,
        }
    }

    /// The lower-case name used in files.
    pub fn name(self) -> &'static str {
        match self {
            YearType::Financial => "financial",
            YearType::Academic => "academic",
            YearType::Calendar => "calendar",
        }
    }
}

/// How long a period is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Frequency {
    /// One month.
    Monthly,
    /// Three months.
    Quarterly,
    /// Twelve months.
    Annual,
}

impl Frequency {
    /// Length in months.
    pub fn months(self) -> i32 {
        match self {
            Frequency::Monthly => 1,
            Frequency::Quarterly => 3,
            Frequency::Annual => 12,
        }
    }

    /// Parses `monthly`, `quarterly`, `annual` (also `month`, `quarter`, `annually`, `yearly`).
    pub fn parse(text: &str) -> Option<Frequency> {
        match text.trim().to_ascii_lowercase().as_str() {
            "monthly" | "month" | "m" => Some(Frequency::Monthly),
            "quarterly" | "quarter" | "q" => Some(Frequency::Quarterly),
            "annual" | "annually" | "yearly" | "year" | "a" | "y" => Some(Frequency::Annual),
            _ => None,
        }
    }

    /// The lower-case name used in files and output.
    pub fn name(self) -> &'static str {
        match self {
            Frequency::Monthly => "monthly",
            Frequency::Quarterly => "quarterly",
            Frequency::Annual => "annual",
        }
    }

    fn from_months(months: i32) -> Frequency {
        match months {
            1 => Frequency::Monthly,
            3 => Frequency::Quarterly,
            _ => Frequency::Annual,
        }
    }
}

/// The earliest year a period or date may fall in: a year before it is a typing mistake, and
/// the bound keeps every span of months between two periods small.
pub const MIN_YEAR: i32 = 1900;

/// The latest year a period or date may fall in.
pub const MAX_YEAR: i32 = 2200;

/// A reporting period: a month, a quarter or a year of a given year type.
///
/// Two periods are equal when they cover the same months; the year type only decides how a
/// quarter or year is written (`2013/14 Q3`, `2013 Q4`).
#[derive(Debug, Clone, Copy)]
pub struct Period {
    /// First month, counted from January of year 0.
    pub start: i32,
    /// Length: 1, 3 or 12 months.
    pub frequency: Frequency,
    /// How the period is named.
    pub year_type: YearType,
}

impl PartialEq for Period {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}
impl Eq for Period {}
impl std::hash::Hash for Period {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.key().hash(state)
    }
}
impl PartialOrd for Period {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Period {
    /// Earlier end first; for the same end, the longer period first (so a month sorts after
    /// the quarter it closes, and "latest" prefers the finer period).
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.end(), -self.months()).cmp(&(other.end(), -other.months()))
    }
}

/// The months' names, January first: the one table every crate names months from (the
/// three-letter abbreviations are their first three letters, [`month_abbreviation`]).
pub const MONTH_NAMES: [&str; 12] =
    ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/// The three-letter abbreviation of month `month` (1 to 12): `Jan`, `Sep`.
pub fn month_abbreviation(month: u32) -> &'static str {
    &MONTH_NAMES[(month.clamp(1, 12) - 1) as usize][..3]
}

/// Why a period could not be read; the caller adds the position.
pub type PeriodError = String;

impl Period {
    /// A month period.
    pub fn month(year: i32, month: u32) -> Period {
        Period { start: year * 12 + month as i32 - 1, frequency: Frequency::Monthly, year_type: YearType::Calendar }
    }

    /// The `quarter`th quarter (1–4) of the year type's year starting in `first_year`.
    pub fn quarter(year_type: YearType, first_year: i32, quarter: u32) -> Period {
        let start = first_year * 12 + year_type.first_month() + (quarter as i32 - 1) * 3;
        Period { start, frequency: Frequency::Quarterly, year_type }
    }

    /// The year of the year type starting in `first_year`.
    pub fn year(year_type: YearType, first_year: i32) -> Period {
        Period { start: first_year * 12 + year_type.first_month(), frequency: Frequency::Annual, year_type }
    }

    /// Builds a period from its first month and length, named by `year_type`.
    pub fn from_start(start: i32, frequency: Frequency, year_type: YearType) -> Period {
        let year_type = if frequency == Frequency::Monthly { YearType::Calendar } else { year_type };
        Period { start, frequency, year_type }
    }

    /// `(start, months)`: the identity used for matching.
    pub fn key(&self) -> (i32, i32) {
        (self.start, self.months())
    }

    /// Length in months.
    pub fn months(&self) -> i32 {
        self.frequency.months()
    }

    /// The month after the last month of the period.
    pub fn end(&self) -> i32 {
        self.start + self.months()
    }

    /// The last day of the period.
    pub fn last_day(&self) -> chrono::NaiveDate {
        let (y, m) = split_month(self.end());
        chrono::NaiveDate::from_ymd_opt(y, m, 1).and_then(|d| d.pred_opt()).unwrap_or(chrono::NaiveDate::MIN)
    }

    /// The period before this one, of the same length.
    pub fn previous(&self) -> Period {
        Period { start: self.start - self.months(), ..*self }
    }

    /// The same period a year earlier.
    pub fn year_ago(&self) -> Period {
        Period { start: self.start - 12, ..*self }
    }

    /// Whether the period starts on a boundary of its year type (a financial quarter starts in
    /// April, July, October or January).
    pub fn is_aligned(&self) -> bool {
        (self.start - self.year_type.first_month()).rem_euclid(self.months()) == 0
    }

    /// The latest period of `frequency` in `year_type` that ends on or before the end of `self`.
    pub fn latest_of(&self, frequency: Frequency, year_type: YearType) -> Period {
        let len = frequency.months();
        let offset = if frequency == Frequency::Monthly { 0 } else { year_type.first_month() };
        let end = self.end() - (self.end() - offset).rem_euclid(len);
        Period::from_start(end - len, frequency, year_type)
    }

    /// Parses every spelling the README lists, naming quarters and `2013/14` years by `year_type`.
    ///
    /// Months: `2013-12`, `Dec 2013`, `December 2013`. Quarters: `2013/14 Q3` (financial or
    /// academic), `2013 Q3` (calendar). Years: `2013/14` (financial or academic), `2013`
    /// (calendar).
    pub fn parse(text: &str, year_type: YearType) -> Result<Period, PeriodError> {
        let t = super::values::trim(text);
        let expected = "expected a period such as 2013-12, Dec 2013, 2013/14 Q3, 2013/14 or 2013";
        if t.is_empty() {
            return Err(format!("the period is empty; {expected}"));
        }
        let p = match Self::parse_canonical(t, year_type) {
            Some(p) => p,
            None => Self::parse_general(t, year_type)?,
        };
        let (first, last) = (p.start.div_euclid(12), (p.end() - 1).div_euclid(12));
        if first < MIN_YEAR || last > MAX_YEAR {
            return Err(format!(
                "{t:?} is outside the years {MIN_YEAR} to {MAX_YEAR}; expected a period in that range (check the year's digits)"
            ));
        }
        Ok(p)
    }

    /// `FROM..TO` as months (`2011-09..2012-08`): a month, a quarter or a year of 12 months.
    fn parse_months(from: &str, to: &str, year_type: YearType) -> Option<Period> {
        let month = |s: &str| -> Option<i32> {
            let (y, m) = s.split_once('-')?;
            if !is_digits(y, 4) || !is_digits(m, 2) {
                return None;
            }
            let (y, m): (i32, i32) = (y.parse().ok()?, m.parse().ok()?);
            (1..=12).contains(&m).then_some(y * 12 + m - 1)
        };
        let (a, b) = (month(from)?, month(to)?);
        let frequency = match b - a + 1 {
            1 => Frequency::Monthly,
            3 => Frequency::Quarterly,
            12 => Frequency::Annual,
            _ => return None,
        };
        Some(Period::from_start(a, frequency, year_type))
    }

    /// [`Period::parse`] for any spelling; `t` is trimmed and not empty.
    fn parse_general(t: &str, year_type: YearType) -> Result<Period, PeriodError> {
        let expected = "expected a period such as 2013-12, Dec 2013, 2013/14 Q3, 2013/14 or 2013";
        let lower = t.to_ascii_lowercase();
        let parts: Vec<&str> = lower.split_whitespace().collect();
        match parts.as_slice() {
            [single] => {
                // Issue #16: the months form written for a period that is not on a boundary
                // of its year type (`2011-09..2012-08`), so that every label written reads back.
                if let Some((from, to)) = single.split_once("..") {
                    return Self::parse_months(from, to, year_type)
                        .ok_or_else(|| format!("{t:?} is not a run of 1, 3 or 12 months such as 2011-09..2012-08; {expected}"));
                }
                if let Some((y, m)) = single.split_once('-') {
                    if is_digits(y, 4) && (is_digits(m, 2) || is_digits(m, 1)) {
                        let month: u32 = m.parse().unwrap_or(0);
                        if !(1..=12).contains(&month) {
                            return Err(format!("month {month} does not exist; {expected}"));
                        }
                        return Ok(Period::month(y.parse().unwrap_or(0), month));
                    }
                }
                if let Some((first, second)) = single.split_once('/') {
                    let first_year = parse_split_year(first, second).ok_or_else(|| {
                        format!("{t:?} is not a year such as 2013/14 (the second year must follow the first); {expected}")
                    })?;
                    if year_type == YearType::Calendar {
                        return Err(format!(
                            "{t:?} names a financial or academic year but this item uses calendar years; expected a year such as 2013"
                        ));
                    }
                    return Ok(Period::year(year_type, first_year));
                }
                if is_digits(single, 4) {
                    return Ok(Period::year(YearType::Calendar, single.parse().unwrap_or(0)));
                }
                Err(format!("{t:?} is not a period; {expected}"))
            }
            [month, year] if is_digits(year, 4) && month_number(month).is_some() => {
                Ok(Period::month(year.parse().unwrap_or(0), month_number(month).unwrap_or(1)))
            }
            [year, quarter] if quarter.starts_with('q') => {
                let q: u32 = quarter[1..].parse().map_err(|_| format!("{quarter:?} is not a quarter; expected Q1 to Q4"))?;
                if !(1..=4).contains(&q) {
                    return Err(format!("quarter {q} does not exist; expected Q1 to Q4"));
                }
                if let Some((first, second)) = year.split_once('/') {
                    let first_year = parse_split_year(first, second).ok_or_else(|| {
                        format!("{year:?} is not a year such as 2013/14 (the second year must follow the first); {expected}")
                    })?;
                    if year_type == YearType::Calendar {
                        return Err(format!(
                            "{t:?} names a financial or academic quarter but this item uses calendar years; expected a quarter such as 2013 Q3"
                        ));
                    }
                    Ok(Period::quarter(year_type, first_year, q))
                } else if is_digits(year, 4) {
                    Ok(Period::quarter(YearType::Calendar, year.parse().unwrap_or(0), q))
                } else {
                    Err(format!("{t:?} is not a quarter; {expected}"))
                }
            }
            _ => Err(format!("{t:?} is not a period; {expected}")),
        }
    }
}

impl Period {
    /// The spellings `scorecard` itself writes, `2013-12` and `2013/14 Q3`, read without
    /// allocating (a big plan has one per row). `None` sends the text through the general rules,
    /// which give the same period for these and word the errors.
    fn parse_canonical(t: &str, year_type: YearType) -> Option<Period> {
        let b = t.as_bytes();
        let num = |s: &[u8]| s.iter().try_fold(0i32, |n, &c| c.is_ascii_digit().then(|| n * 10 + (c - b'0') as i32));
        match b {
            [y @ .., b'-', m1, m2] if y.len() == 4 => {
                let (year, month) = (num(y)?, num(&[*m1, *m2])?);
                (1..=12).contains(&month).then(|| Period::month(year, month as u32))
            }
            [y @ .., b'/', s1, s2, b' ', q, n] if y.len() == 4 && matches!(q, b'Q' | b'q') && year_type != YearType::Calendar => {
                let (first, second, quarter) = (num(y)?, num(&[*s1, *s2])?, num(&[*n])?);
                (second == (first + 1).rem_euclid(100) && (1..=4).contains(&quarter))
                    .then(|| Period::quarter(year_type, first, quarter as u32))
            }
            _ => None,
        }
    }
}

impl fmt::Display for Period {
    /// The canonical spelling: `2013-12`, `2013/14 Q3`, `2013 Q3`, `2013/14`, `2013`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.frequency {
            Frequency::Monthly => {
                let (y, m) = split_month(self.start);
                write!(f, "{y:04}-{m:02}")
            }
            Frequency::Quarterly | Frequency::Annual => {
                let offset = self.start - self.year_type.first_month();
                let first_year = offset.div_euclid(12);
                let within = offset.rem_euclid(12);
                let year = match self.year_type {
                    YearType::Calendar => format!("{first_year:04}"),
                    _ => format!("{first_year:04}/{:02}", (first_year + 1).rem_euclid(100)),
                };
                if self.frequency == Frequency::Annual && within == 0 {
                    write!(f, "{year}")
                } else if self.frequency == Frequency::Quarterly && within % 3 == 0 {
                    write!(f, "{year} Q{}", within / 3 + 1)
                } else {
                    // Not on a boundary of its year type: name it by its months.
                    let (y1, m1) = split_month(self.start);
                    let (y2, m2) = split_month(self.end() - 1);
                    write!(f, "{y1:04}-{m1:02}..{y2:04}-{m2:02}")
                }
            }
        }
    }
}

/// A month count from year 0 as `(year, month 1–12)`.
pub fn split_month(months: i32) -> (i32, u32) {
    (months.div_euclid(12), months.rem_euclid(12) as u32 + 1)
}

fn is_digits(s: &str, n: usize) -> bool {
    s.len() == n && s.bytes().all(|b| b.is_ascii_digit())
}

fn parse_split_year(first: &str, second: &str) -> Option<i32> {
    if !is_digits(first, 4) {
        return None;
    }
    let y: i32 = first.parse().ok()?;
    let ok = match second.len() {
        2 if is_digits(second, 2) => second.parse::<i32>().ok()? == (y + 1).rem_euclid(100),
        4 if is_digits(second, 4) => second.parse::<i32>().ok()? == y + 1,
        _ => false,
    };
    ok.then_some(y)
}

fn month_number(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.');
    if w.len() < 3 {
        return None;
    }
    if w == "sept" {
        return Some(9);
    }
    MONTH_NAMES.iter().position(|m| m.eq_ignore_ascii_case(w) || (w.len() == 3 && m[..3].eq_ignore_ascii_case(w))).map(|i| i as u32 + 1)
}

impl Frequency {
    /// The frequency of a period `months` long.
    pub fn of_months(months: i32) -> Frequency {
        Frequency::from_months(months)
    }
}

/// Period labels already written, so that writing many rows (or wording many reasons)
/// formats each period once.
#[derive(Debug, Default)]
pub struct PeriodLabels(foldhash::HashMap<u64, String>);

impl PeriodLabels {
    /// The canonical label of `p` (its `Display`).
    pub fn get(&mut self, p: Period) -> &str {
        self.0.entry(Self::key(p, false)).or_insert_with(|| p.to_string())
    }

    /// The label members read, [`Period::spoken`]: `December 2013` for a month.
    pub fn spoken(&mut self, p: Period) -> &str {
        self.0.entry(Self::key(p, true)).or_insert_with(|| p.spoken())
    }

    fn key(p: Period, spoken: bool) -> u64 {
        let year_type = match p.year_type {
            YearType::Financial => 0,
            YearType::Academic => 1,
            YearType::Calendar => 2,
        };
        // months() is at most 12, so bits 2 to 5; bit 7 tells the spoken label apart.
        (p.start as u32 as u64) << 8 | u64::from(spoken) << 7 | (p.months() as u64) << 2 | year_type
    }
}

impl Period {
    /// The period as members read it in reasons and reports (issue #15): a month by its name,
    /// `December 2013`, not the ISO `2013-12`; a quarter or a year by its label (`2013/14 Q3`,
    /// `2013/14`, `2013`); a span off its year type's boundaries by its months, `September
    /// 2011 to August 2012`.
    pub fn spoken(&self) -> String {
        let month = |m: i32| {
            let (y, m) = split_month(m);
            format!("{} {y:04}", MONTH_NAMES[(m - 1) as usize])
        };
        match self.frequency {
            Frequency::Monthly => month(self.start),
            _ => {
                let label = self.to_string();
                if label.contains("..") {
                    format!("{} to {}", month(self.start), month(self.end() - 1))
                } else {
                    label
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use YearType::*;

    #[test]
    fn the_months_form_reads_back_every_label_it_writes() {
        // Issue #16: an academic year in a financial plan is written by its months.
        let academic = Period::year(YearType::Academic, 2011);
        let label = Period::from_start(academic.start, Frequency::Annual, YearType::Financial).to_string();
        assert_eq!(label, "2011-09..2012-08");
        let back = Period::parse(&label, YearType::Financial).expect("reads back");
        assert_eq!((back.key(), back.to_string()), (academic.key(), label));
        // Aligned runs read as the canonical period.
        assert_eq!(Period::parse("2013-10..2013-12", YearType::Financial).map(|p| p.to_string()), Ok("2013/14 Q3".into()));
        assert_eq!(Period::parse("2013-12..2013-12", YearType::Financial).map(|p| p.to_string()), Ok("2013-12".into()));
        assert!(Period::parse("2013-01..2013-06", YearType::Financial).is_err());
        assert!(Period::parse("2013-1..2013-12", YearType::Financial).is_err());
        assert!(Period::parse("2013-12..2013-01", YearType::Financial).is_err());
    }

    #[test]
    fn members_read_months_by_name() {
        // Issue #15: "December 2013", not 2013-12; quarters and years keep their labels.
        assert_eq!(Period::month(2013, 12).spoken(), "December 2013");
        assert_eq!(Period::quarter(Financial, 2013, 3).spoken(), "2013/14 Q3");
        assert_eq!(Period::year(Academic, 2011).spoken(), "2011/12");
        // An academic year in a financial plan: September 2011 to August 2012.
        assert_eq!(
            Period::from_start(Period::year(Academic, 2011).start, Frequency::Annual, Financial).spoken(),
            "September 2011 to August 2012"
        );
        let mut labels = PeriodLabels::default();
        assert_eq!(labels.spoken(Period::month(2013, 12)), "December 2013");
        assert_eq!(labels.get(Period::month(2013, 12)), "2013-12");
    }

    #[test]
    fn the_fast_path_agrees_with_the_general_rules() {
        let mut texts = Vec::new();
        for y in [0i32, 999, 1999, 2013, 2099, 9999] {
            for m in 0..=13 {
                texts.push(format!("{y:04}-{m:02}"));
            }
            for second in [y + 1, y + 2, y] {
                for q in 0..=5 {
                    texts.push(format!("{y:04}/{:02} Q{q}", second.rem_euclid(100)));
                    texts.push(format!("{y:04}/{:02} q{q}", second.rem_euclid(100)));
                }
            }
        }
        texts.extend(["2013-1x", "201a-12", "2013/1a Q1", "2013/14 Qx", "2013/14  Q1"].map(String::from));
        let mut fast = 0;
        for t in &texts {
            for yt in [Financial, Academic, Calendar] {
                let general = Period::parse_general(t, yt);
                if let Some(p) = Period::parse_canonical(t, yt) {
                    fast += 1;
                    let g = general.unwrap_or_else(|e| panic!("{t} {yt:?}: fast path read {p}, general rules say {e}"));
                    assert_eq!((p.key(), p.year_type), (g.key(), g.year_type), "{t} {yt:?}");
                }
            }
        }
        assert!(fast > 100, "the fast path read only {fast} texts");
    }

    fn p(s: &str) -> String {
        Period::parse(s, Financial).map(|p| p.to_string()).unwrap_or_else(|e| format!("error: {e}"))
    }

    #[test]
    fn spellings_are_canonicalised() {
        assert_eq!(p("2013-12"), "2013-12");
        assert_eq!(p("Dec 2013"), "2013-12");
        assert_eq!(p("december 2013"), "2013-12");
        assert_eq!(p("Sept 2013"), "2013-09");
        assert_eq!(p("2013/14 Q3"), "2013/14 Q3");
        assert_eq!(p("2013/2014 q1"), "2013/14 Q1");
        assert_eq!(p("2013/14"), "2013/14");
        assert_eq!(p("2013"), "2013");
        assert_eq!(p("2013 Q4"), "2013 Q4");
        assert_eq!(p(" 1999/00 "), "1999/00");
    }

    #[test]
    fn impossible_periods_are_errors() {
        assert!(p("2013-13").starts_with("error: month 13"));
        assert!(p("2013/14 Q5").starts_with("error: quarter 5"));
        assert!(p("2013/14 Q0").starts_with("error: quarter 0"));
        assert!(p("2013/15").starts_with("error"));
        assert!(p("13/14").starts_with("error"));
        assert!(p("").starts_with("error"));
        assert!(Period::parse("2013/14", Calendar).is_err());
    }

    #[test]
    fn financial_quarters_are_april_to_june_first() {
        let q1 = Period::parse("2013/14 Q1", Financial).unwrap();
        assert_eq!(q1.start, 2013 * 12 + 3);
        assert_eq!(q1.last_day().to_string(), "2013-06-30");
        let q3 = Period::parse("2013/14 Q3", Academic).unwrap();
        assert_eq!(q3.last_day().to_string(), "2014-05-31");
        assert_eq!(Period::parse("2013/14", Financial).unwrap().last_day().to_string(), "2014-03-31");
    }

    #[test]
    fn measure_period_is_the_latest_ending_by_the_end_of_t() {
        let t = Period::parse("2013/14 Q3", Financial).unwrap();
        assert_eq!(t.latest_of(Frequency::Monthly, Financial).to_string(), "2013-12");
        assert_eq!(t.latest_of(Frequency::Quarterly, Financial).to_string(), "2013/14 Q3");
        assert_eq!(t.latest_of(Frequency::Annual, Financial).to_string(), "2012/13");
        assert_eq!(t.latest_of(Frequency::Annual, Academic).to_string(), "2012/13");
        assert_eq!(t.latest_of(Frequency::Annual, Calendar).to_string(), "2013");
        let m = Period::parse("2014-03", Financial).unwrap();
        assert_eq!(m.latest_of(Frequency::Annual, Financial).to_string(), "2013/14");
        assert_eq!(m.latest_of(Frequency::Quarterly, Academic).to_string(), "2013/14 Q2");
    }

    #[test]
    fn ordering_prefers_later_end_then_finer_period() {
        let month = Period::parse("2013-12", Financial).unwrap();
        let quarter = Period::parse("2013/14 Q3", Financial).unwrap();
        assert!(month > quarter);
        assert_eq!(month.previous().to_string(), "2013-11");
        assert_eq!(quarter.year_ago().to_string(), "2012/13 Q3");
    }
}
