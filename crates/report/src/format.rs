//! How numbers, periods, dates and names are written for members: `Dec 2013`, `31/03/2014`,
//! `62.2`, `Statistical neighbours`; and escaping for HTML and SVG.

use chrono::NaiveDate;
use scorecard_core::{format_number, month_abbreviation, split_month, Frequency, Period, Polarity, YearType, MONTH_NAMES};

/// The full name of month `m` (1 to 12), from the core's one month-name table.
fn month_name(m: u32) -> &'static str {
    MONTH_NAMES[m as usize - 1]
}

/// A number as the data gave it (at most 6 decimals, no trailing zeros), with thousands
/// separators as members write them: `10,952`, `1,234.5` (README, "Numbers on the page").
pub fn number(x: f64) -> String {
    group_thousands(&format_number(x))
}

/// The most decimals a row's figures are written with, however many the data typed.
pub const ROW_DECIMALS: usize = 3;

/// The decimals a row's numbers are all written with (issue #15, "the same decimals
/// throughout a row"): the most that any of the figures typed in the data has (values,
/// target, benchmarks), at most [`ROW_DECIMALS`]. `62.4` and `65` give 1.
pub fn row_decimals(typed: impl IntoIterator<Item = f64>) -> usize {
    typed.into_iter().filter(|x| x.is_finite()).map(|x| decimals(&format_number(x))).max().unwrap_or(0).min(ROW_DECIMALS)
}

/// A number to exactly `decimals` decimals, with thousands separators: `65.0`, `10,952`.
pub fn fixed(x: f64, decimals: usize) -> String {
    let factor = 10f64.powi(decimals as i32);
    let rounded = (x * factor).round() / factor;
    let text = format!("{:.*}", decimals, if rounded == 0.0 { 0.0 } else { rounded });
    group_thousands(&text)
}

/// A value to a row's decimals with its unit: `65.0%`, `10,952 attendances`.
pub fn fixed_unit(x: f64, decimals: usize, unit: &str) -> String {
    append_unit(&fixed(x, decimals), unit)
}

/// Commas between each three digits of the whole part: `-12345.25` is `-12,345.25`; text that
/// is not a plain decimal number (`inf`) is left as it is.
fn group_thousands(text: &str) -> String {
    let (sign, body) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text),
    };
    let (whole, fraction) = match body.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (body, None),
    };
    if whole.len() <= 3 || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + whole.len() / 3);
    out.push_str(sign);
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = fraction {
        out.push('.');
        out.push_str(f);
    }
    out
}

fn decimals(text: &str) -> usize {
    text.split_once('.').map(|(_, d)| d.len()).unwrap_or(0)
}

/// A value with its unit: `62.4%`, `398 children`, `168 per 100,000`.
pub fn with_unit(x: f64, unit: &str) -> String {
    append_unit(&number(x), unit)
}

/// An already written number with its unit.
pub fn append_unit(n: &str, unit: &str) -> String {
    match unit.trim() {
        "" => n.to_string(),
        "%" => format!("{n}%"),
        u => format!("{n} {u}"),
    }
}

/// A number for SVG coordinates: at most `decimals` decimals, trimmed, no `-0`.
pub fn svg_number(x: f64, decimals: usize) -> String {
    let s = format!("{x:.decimals$}");
    let s = if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s };
    if s == "-0" {
        "0".to_string()
    } else {
        s
    }
}

/// A short period name: `Dec 2013`, `2013/14 Q3`, `2013/14`, `2013`.
pub fn period_short(p: Period) -> String {
    match p.frequency {
        Frequency::Monthly => {
            let (y, m) = split_month(p.start);
            format!("{} {y}", month_abbreviation(m))
        }
        _ => p.to_string(),
    }
}

/// A period for an axis: `Dec 13`, `13/14 Q3`, `2013/14`.
pub fn period_axis(p: Period) -> String {
    match p.frequency {
        Frequency::Monthly => {
            let (y, m) = split_month(p.start);
            format!("{} {:02}", month_abbreviation(m), y.rem_euclid(100))
        }
        Frequency::Quarterly => p.to_string().chars().skip(2).collect(),
        Frequency::Annual => p.to_string(),
    }
}

/// A period in full: `December 2013`, `2013/14 Q3 (October to December 2013)`.
pub fn period_long(p: Period) -> String {
    match p.frequency {
        Frequency::Monthly => {
            let (y, m) = split_month(p.start);
            format!("{} {y}", month_name(m))
        }
        _ => format!("{p} ({})", months_span(p.start, p.end() - 1)),
    }
}

/// `April to December 2013`, `September 2012 to August 2013`.
pub fn months_span(first: i32, last: i32) -> String {
    let (y1, m1) = split_month(first);
    let (y2, m2) = split_month(last);
    let (a, b) = (month_name(m1), month_name(m2));
    if first == last {
        format!("{a} {y1}")
    } else if y1 == y2 {
        format!("{a} to {b} {y2}")
    } else {
        format!("{a} {y1} to {b} {y2}")
    }
}

/// Which way is good, for people: `High`, `Low`, `Neutral (not rated)`.
pub fn good_is(p: Polarity) -> &'static str {
    match p {
        Polarity::HighIsGood => "High",
        Polarity::LowIsGood => "Low",
        Polarity::Neutral => "Neutral (not rated)",
    }
}

/// The amber band beside a target, as members read it (issue #15): `amber from 84%` where
/// high is good (Amber from the threshold up to the target), `amber up to 24%` where low is
/// good (Amber above the target up to the threshold). Written to the row's `decimals`, the
/// threshold rounds toward the Amber side: to the smallest figure of those decimals that is
/// still Amber where high is good (84.5 is `85` beside whole numbers), the largest where low
/// is good (24.5 is `24`), so the band names exactly the figures of the row that are Amber.
pub fn amber_band(p: Polarity, threshold: f64, decimals: usize, unit: &str) -> String {
    let factor = 10f64.powi(decimals as i32);
    // A hair of slack so that 84.0000000001 from arithmetic is still 84.
    let scaled = threshold * factor;
    let (word, at) =
        if p == Polarity::LowIsGood { ("up to", (scaled + 1e-9).floor() / factor) } else { ("from", (scaled - 1e-9).ceil() / factor) };
    format!("amber {word} {}", fixed_unit(at, decimals, unit))
}

/// How often a measure is reported: `Monthly`, `Quarterly (financial year)`.
pub fn frequency_text(f: Frequency, y: YearType) -> String {
    match f {
        Frequency::Monthly => "Monthly".into(),
        Frequency::Quarterly => format!("Quarterly ({} year)", y.name()),
        Frequency::Annual => format!("Annual ({} year)", y.name()),
    }
}

/// `31/03/2014`: UK order, as the plans are written.
pub fn date_uk(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// `23 November 2026`.
pub fn date_long(d: NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

/// A benchmark label for people: `statistical_neighbours` → `Statistical neighbours`.
pub fn label_title(label: &str) -> String {
    let words = label.replace('_', " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A name safe in a file or folder name: letters, digits, `-` and `.`; `2013/14 Q3` →
/// `2013-14-Q3`.
pub fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '.' {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-').to_string();
    if out.is_empty() {
        "plan".to_string()
    } else {
        out
    }
}

/// A Markdown table cell: no line breaks, pipes or raw HTML. The one Markdown escaper: the
/// overview table and `scorecard diff --format markdown` both write cells through it.
pub fn markdown_cell(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('|', "\\|").replace(['\r', '\n'], " ")
}

/// Escapes text for HTML and SVG content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_amber_band_reads_the_way_good_is() {
        // Issue #15 item 5. Members' scorecard SC01: good is high, target 90%, Amber from 84%
        // (84 up to 90). SC02: good is low, target 22%, Amber above 22% up to 24%, Red beyond.
        assert_eq!(amber_band(Polarity::HighIsGood, 84.0, 0, "%"), "amber from 84%");
        assert_eq!(amber_band(Polarity::LowIsGood, 24.0, 0, "%"), "amber up to 24%");
        // Rounded toward Amber at the row's decimals: beside whole numbers, 85 is the first
        // whole figure at or above 84.5, and 24 the last at or below 24.5.
        assert_eq!(amber_band(Polarity::HighIsGood, 84.5, 0, "%"), "amber from 85%");
        assert_eq!(amber_band(Polarity::LowIsGood, 24.5, 0, "%"), "amber up to 24%");
        assert_eq!(amber_band(Polarity::HighIsGood, 62.225, 1, "%"), "amber from 62.3%");
        assert_eq!(amber_band(Polarity::HighIsGood, 84.0, 1, "%"), "amber from 84.0%");
    }

    #[test]
    fn thousands_are_separated_as_members_write_them() {
        assert_eq!(number(10952.0), "10,952");
        assert_eq!(number(-1234567.25), "-1,234,567.25");
        assert_eq!(number(999.5), "999.5");
        assert_eq!(with_unit(10952.0, "attendances"), "10,952 attendances");
        assert_eq!(fixed(1000.0, 1), "1,000.0");
        assert_eq!(fixed(-0.04, 1), "0.0");
    }

    #[test]
    fn a_row_takes_the_most_decimals_typed() {
        // Members' scorecard: 62.4% against a target of 65%: both written to one decimal.
        let d = row_decimals([62.4, 65.0]);
        assert_eq!(d, 1);
        assert_eq!(fixed_unit(65.0, d, "%"), "65.0%");
        assert_eq!(row_decimals([398.0, 400.0]), 0);
        assert_eq!(row_decimals([1.123456]), ROW_DECIMALS);
        assert_eq!(row_decimals([]), 0);
    }

    #[test]
    fn periods_read_as_members_write_them() {
        let dec = Period::month(2013, 12);
        assert_eq!(period_short(dec), "Dec 2013");
        assert_eq!(period_axis(dec), "Dec 13");
        assert_eq!(period_long(dec), "December 2013");
        let q3 = Period::quarter(YearType::Financial, 2013, 3);
        assert_eq!(period_axis(q3), "13/14 Q3");
        assert_eq!(period_long(q3), "2013/14 Q3 (October to December 2013)");
        let ay = Period::year(YearType::Academic, 2012);
        assert_eq!(period_long(ay), "2012/13 (September 2012 to August 2013)");
    }

    #[test]
    fn every_month_is_named_from_the_core_table() {
        let short: Vec<String> = (1..=12).map(|m| period_short(Period::month(2020, m))).collect();
        assert_eq!(
            short.join(","),
            "Jan 2020,Feb 2020,Mar 2020,Apr 2020,May 2020,Jun 2020,Jul 2020,Aug 2020,Sep 2020,Oct 2020,Nov 2020,Dec 2020"
        );
        assert_eq!(period_axis(Period::month(2009, 9)), "Sep 09");
        assert_eq!(period_long(Period::month(2020, 5)), "May 2020");
        assert_eq!(months_span(2020 * 12, 2020 * 12 + 11), "January to December 2020");
    }

    #[test]
    fn names_and_escapes() {
        assert_eq!(slug("2013/14 Q3"), "2013-14-Q3");
        assert_eq!(slug("cyp-2013"), "cyp-2013");
        assert_eq!(label_title("statistical_neighbours"), "Statistical neighbours");
        assert_eq!(escape("<a href=\"x\">R&D</a>"), "&lt;a href=&quot;x&quot;&gt;R&amp;D&lt;/a&gt;");
        assert_eq!(svg_number(-0.0001, 2), "0");
        assert_eq!(svg_number(12.50, 2), "12.5");
        assert_eq!(date_long(NaiveDate::from_ymd_opt(2026, 11, 3).unwrap()), "3 November 2026");
    }
}
