//! `scorecard rate`: the seeds' own figures, through the binary (issue #2).

use crate::util::{fixture, scorecard, TempPlan};

/// The CSV row of `item` in `scorecard rate PLAN --period P`, as column → value.
fn row(plan: &str, period: &str, item: &str) -> std::collections::HashMap<String, String> {
    let run = scorecard(&["rate", plan, "--period", period]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut reader = csv::Reader::from_reader(run.stdout.as_bytes());
    let headers = reader.headers().expect("header").clone();
    for record in reader.records() {
        let record = record.expect("row");
        if &record[3] == item {
            return headers.iter().zip(record.iter()).map(|(h, v)| (h.to_string(), v.to_string())).collect();
        }
    }
    panic!("no row for {item} at {period}");
}

#[test]
fn smoking_at_delivery_q1_meets_its_trajectory() {
    let r = row(&fixture("cyp-2013"), "2013/14 Q1", "1.15");
    assert_eq!(r["computed_status"], "Green");
    assert_eq!(r["reason"], "Green: 18.7 against a trajectory target of 18.8 for 2013/14 Q1 (low is good, amber threshold 19.7)");
}

#[test]
fn smoking_at_delivery_q2_is_red_against_18_5() {
    let r = row(&fixture("cyp-2013"), "2013/14 Q2", "1.15");
    assert_eq!(r["status"], "Red");
    assert_eq!(r["reason"], "Red: 20.4 against a trajectory target of 18.5 for 2013/14 Q2 (low is good, amber threshold 19.4)");
    assert_eq!((r["target"].as_str(), r["amber_threshold"].as_str()), ("18.5", "19.425"));
    assert_eq!((r["dot"].as_str(), r["dot_judgement"].as_str()), ("up", "worsening"));
}

#[test]
fn example_one_high_is_good_in_amber_tolerance_down_on_last_year() {
    let r = row(&fixture("members-scorecard-2024"), "2023/24 Q3", "SC01");
    assert_eq!(r["status"], "Amber");
    assert_eq!(r["rated_period"], "2023-12");
    assert_eq!((r["dot"].as_str(), r["dot_judgement"].as_str()), ("down", "worsening"));
    assert_eq!(r["vs_national"], "similar");
    assert_eq!(r["vs_statistical_neighbours"], "similar");
}

#[test]
fn example_two_low_is_good_red_but_improving_on_last_month() {
    let r = row(&fixture("members-scorecard-2024"), "2023/24 Q3", "SC02");
    assert_eq!(r["status"], "Red");
    assert_eq!((r["dot"].as_str(), r["dot_judgement"].as_str()), ("down", "improving"));
    assert_eq!(r["vs_national"], "worse");
    assert_eq!(r["vs_statistical_neighbours"], "worse");
}

#[test]
fn typo_in_a_csv_names_file_line_column_and_writes_nothing() {
    let plan = TempPlan::new(&[
        ("milestones.csv", "priority,milestone,title\n1,1.1,Do the thing\n"),
        ("updates.csv", "milestone,period,status\n1.1,2013-12,Gren\n"),
    ]);
    let out = plan.dir.path().join("out.csv");
    let run = scorecard(&["rate", &plan.path(), "-o", out.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("updates.csv:2:3: column `status`: \"Gren\" is not a status"), "{}", run.stderr);
    assert!(!out.exists());
}

// Issue #16, decision (b): one label per period throughout a file.
#[test]
fn a_calendar_year_asked_of_a_financial_plan_is_labelled_as_a_calendar_year() {
    // Before: `period` read 2012-01..2012-12 while a calendar measure's rated_period read 2012.
    let r = row(&fixture("cyp-2013"), "2012", "M04");
    assert_eq!((r["period"].as_str(), r["rated_period"].as_str()), ("2012", "2012"));
    let r = row(&fixture("cyp-2013"), "2012", "1.1");
    assert_eq!((r["period"].as_str(), r["rated_period"].as_str()), ("2012", "2012"));
}

#[test]
fn every_period_batch_labels_can_be_asked_of_rate() {
    // An academic year in a financial plan is labelled by its months, and reads back.
    let r = row(&fixture("cyp-2013"), "2012-09..2013-08", "M05");
    assert_eq!((r["period"].as_str(), r["rated_period"].as_str()), ("2012-09..2013-08", "2012/13"));
    assert_eq!(r["computed_status"], "Amber");
}

// Issue #16: roll-up only when asked.
#[test]
fn rollup_rows_follow_the_milestones_and_measures() {
    let plain = scorecard(&["rate", &fixture("cyp-2013")]);
    let rolled = scorecard(&["rate", &fixture("cyp-2013"), "--rollup"]);
    assert_eq!(rolled.code, 0, "{}", rolled.stderr);
    assert!(rolled.stdout.starts_with(&plain.stdout), "the rows without --rollup come first, unchanged");
    let extra: Vec<&str> = rolled.stdout[plain.stdout.len()..].lines().collect();
    assert!(extra.iter().all(|l| l.starts_with("cyp-2013,2013-12,action,") || l.starts_with("cyp-2013,2013-12,priority,")));
    let priority_1 = extra.iter().find(|l| l.starts_with("cyp-2013,2013-12,priority,1,")).expect("priority 1");
    assert!(priority_1.contains(",Red,Red,false,\"Red: worst of 52 milestones ("), "{priority_1}");
}
