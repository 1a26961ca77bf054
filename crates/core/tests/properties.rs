//! Property tests of invariants: periods print and parse back; parsers never panic; every item
//! gets exactly one rating; ratings do not depend on the order of rows in the files.

use proptest::prelude::*;
use scorecard_core::model::values::{parse_date, parse_flag, parse_number};
use scorecard_core::Plan;
use scorecard_core::{rate, RateOptions};
use scorecard_core::{Frequency, Period, YearType};

fn year_type() -> impl Strategy<Value = YearType> {
    prop_oneof![Just(YearType::Financial), Just(YearType::Academic), Just(YearType::Calendar)]
}

fn frequency() -> impl Strategy<Value = Frequency> {
    prop_oneof![Just(Frequency::Monthly), Just(Frequency::Quarterly), Just(Frequency::Annual)]
}

proptest! {
    #[test]
    fn a_printed_period_parses_back_to_itself(year in 1902i32..2200, month in 0i32..12, freq in frequency(), yt in year_type()) {
        // An aligned period of this frequency and year type, around `year` (from 1902: the latest
        // financial year by January 1901 is 1899/00, before the years the reader accepts).
        let p = Period::from_start(year * 12 + month, Frequency::Monthly, yt).latest_of(freq, yt);
        let text = p.to_string();
        let again = Period::parse(&text, yt).unwrap();
        prop_assert_eq!(again, p);
        prop_assert_eq!(again.to_string(), text);
    }

    #[test]
    fn the_measure_period_ends_by_the_end_of_t(start in 20000i32..30000, freq in frequency(), mfreq in frequency(), yt in year_type()) {
        let t = Period::from_start(start, Frequency::Monthly, yt).latest_of(freq, yt);
        let m = t.latest_of(mfreq, yt);
        prop_assert!(m.end() <= t.end());
        prop_assert!(t.end() - m.end() < m.months());
        prop_assert!(m.is_aligned());
    }

    #[test]
    fn parsers_never_panic(text in "\\PC{0,40}") {
        let _ = parse_number(&text);
        let _ = parse_date(&text);
        let _ = parse_flag(&text);
        for yt in [YearType::Financial, YearType::Academic, YearType::Calendar] {
            let _ = Period::parse(&text, yt);
        }
    }

    #[test]
    fn numbers_print_and_parse_back(x in -1.0e9f64..1.0e9) {
        let printed = scorecard_core::format_number(x);
        let back = parse_number(&printed).unwrap().unwrap();
        prop_assert!((back - x).abs() <= 1e-6 + 1e-12 * x.abs(), "{} -> {}", x, printed);
    }
}

/// A plan of `n` milestones with assorted updates, targets and due dates, its rows in `order`.
fn milestone_plan(n: usize, seeds: &[u8], order: &[usize]) -> Plan {
    let mut milestones = Vec::new();
    let mut updates = Vec::new();
    let mut targets = Vec::new();
    for i in 0..n {
        let s = seeds[i % seeds.len()];
        let due = if s % 5 == 0 { "2013-11-30" } else { "" };
        let polarity = if s % 2 == 0 { "high" } else { "low" };
        milestones.push(format!("1,1.{i},Milestone {i},{due},50,2012/13,60,2014/15,{polarity}"));
        match s % 7 {
            0 => {}
            1 => updates.push(format!("1.{i},2013-12,,yes,,,done")),
            2 => updates.push(format!("1.{i},2013-12,,,yes,,stuck")),
            3 => updates.push(format!("1.{i},2013-12,{},,,,", 40 + s % 30)),
            4 => updates.push(format!("1.{i},2013-12,,,,{},", ["G", "A", "R", "B"][(s % 4) as usize])),
            5 => {
                updates.push(format!("1.{i},2013-12,{},,,,", 50 + s % 20));
                updates.push(format!("1.{i},2013-11,{},,,,", 50 + s % 13));
                targets.push(format!("1.{i},2013/14 Q3,{},", 55 + s % 5));
            }
            _ => updates.push(format!("1.{i},2013-12,,,,,commentary only")),
        }
    }
    let reorder = |rows: &[String]| -> String {
        let mut idx: Vec<usize> = (0..rows.len()).collect();
        idx.sort_by_key(|&j| order[j % order.len()].wrapping_mul(31).wrapping_add(j));
        idx.iter().map(|&j| format!("{}\n", rows[j])).collect()
    };
    let files = vec![
        (
            "milestones.csv".to_string(),
            format!("priority,milestone,title,due,baseline,baseline_period,target,target_period,polarity\n{}", reorder(&milestones))
                .into_bytes(),
        ),
        (
            "updates.csv".to_string(),
            format!("milestone,period,value,complete,issues,status,commentary\n{}", reorder(&updates)).into_bytes(),
        ),
        ("targets.csv".to_string(), format!("item,period,target,amber_threshold\n{}", reorder(&targets)).into_bytes()),
    ];
    Plan::from_files("p", "p", files).expect("generated plan is valid")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn ratings_do_not_depend_on_row_order(n in 1usize..40, seeds in proptest::collection::vec(any::<u8>(), 1..40), order in proptest::collection::vec(any::<usize>(), 1..40)) {
        let plain = milestone_plan(n, &seeds, &[0]);
        let shuffled = milestone_plan(n, &seeds, &order);
        let t = Period::parse("2013-12", YearType::Financial).unwrap();
        let by_item = |plan: &Plan| {
            let mut rows: Vec<_> = rate(plan, t, RateOptions::default()).unwrap().rows.into_iter()
                .map(|r| (r.item, r.status, r.computed_status, r.reason, r.dot, r.target))
                .collect();
            rows.sort_by(|a, b| a.0.cmp(&b.0));
            rows
        };
        let a = by_item(&plain);
        prop_assert_eq!(a.len(), n, "every item gets exactly one rating");
        prop_assert_eq!(a, by_item(&shuffled));
    }
}
