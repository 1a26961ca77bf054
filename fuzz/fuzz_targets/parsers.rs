//! Fuzzes the field parsers: numbers, dates, flags, statuses, polarities and periods of every
//! year type. Each must return a value or a message, never panic; a parsed period must print
//! and parse back to itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use scorecard_core::{Period, YearType};
use scorecard_core::model::values::{parse_date, parse_flag, parse_number};
use scorecard_core::{Polarity, Status};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = parse_number(text);
    let _ = parse_date(text);
    let _ = parse_flag(text);
    let _ = Status::parse(text);
    let _ = Polarity::parse(text);
    for year_type in [YearType::Financial, YearType::Academic, YearType::Calendar] {
        if let Ok(p) = Period::parse(text, year_type) {
            let again = Period::parse(&p.to_string(), p.year_type).expect("a printed period parses");
            assert_eq!(again, p);
            let _ = p.last_day();
        }
    }
});
