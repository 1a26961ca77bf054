//! Every rating rule of SPEC, one small plan per case, through the public entry points
//! (`Plan::from_files` and `rate`). Figures come from the seeds where they give them.

use scorecard_core::Plan;
use scorecard_core::Status;
use scorecard_core::{rate, Dot, DotJudgement, RateOptions, Rating, Versus};

fn plan(files: &[(&str, &str)]) -> Plan {
    let files = files.iter().map(|(n, t)| (n.to_string(), t.as_bytes().to_vec())).collect();
    Plan::from_files("test", "test", files).unwrap_or_else(|e| panic!("{e}"))
}

fn rating_with(p: &Plan, period: &str, item: &str, options: RateOptions) -> Rating<'static> {
    let t = p.parse_period(period).expect("period");
    let ratings = rate(p, t, options).expect("rates");
    ratings.rows.into_iter().find(|r| r.item == item).unwrap_or_else(|| panic!("no rating for {item}"))
}

fn rating(p: &Plan, period: &str, item: &str) -> Rating<'static> {
    rating_with(p, period, item, RateOptions::default())
}

/// A milestone plan: `milestones` rows after the header, `updates` rows after theirs.
fn milestones(milestones: &str, updates: &str, extra: &[(&str, &str)]) -> Plan {
    let m = format!("priority,milestone,title,due,baseline,baseline_period,target,target_period,polarity,amber_threshold\n{milestones}");
    let u = format!("milestone,period,value,complete,issues,status,commentary\n{updates}");
    let mut files = vec![("milestones.csv", m.as_str()), ("updates.csv", u.as_str())];
    files.extend_from_slice(extra);
    plan(&files)
}

fn check(r: &Rating, status: Option<Status>, reason: &str) {
    assert_eq!(r.computed_status, status, "{}", r.reason);
    assert_eq!(r.reason, reason);
}

// Rule 1: Blue.
#[test]
fn no_update_is_blue() {
    let p = milestones("1,1.1,Thing,,,,,,,\n1,1.2,Other,,,,,,,\n", "1.2,2013-12,,,,,going well\n", &[]);
    check(&rating(&p, "2013-12", "1.1"), Some(Status::Blue), "Blue: no update for 2013-12");
}

#[test]
fn an_empty_update_is_blue() {
    let p = milestones("1,1.1,Thing,,,,,,,\n", "1.1,2013-12,,no,no,,\n", &[]);
    check(
        &rating(&p, "2013-12", "1.1"),
        Some(Status::Blue),
        "Blue: the update for 2013-12 is empty (no value, flag, status or commentary)",
    );
}

#[test]
fn an_update_for_another_period_is_not_an_update_for_t() {
    let p = milestones("1,1.1,Thing,,,,,,,\n", "1.1,2013-11,,,,,done soon\n", &[]);
    assert_eq!(rating(&p, "2013-12", "1.1").computed_status, Some(Status::Blue));
}

// Rule 2: Green when complete, even with issues flagged or overdue.
#[test]
fn complete_is_green_before_issues_and_overdue() {
    let p = milestones("1,1.1,Thing,01/04/2013,,,,,,\n", "1.1,2013-12,,yes,yes,,\n", &[]);
    check(&rating(&p, "2013-12", "1.1"), Some(Status::Green), "Green: marked complete in the update for 2013-12");
}

// Rule 3: Red for issues, or overdue.
#[test]
fn issues_flagged_is_red() {
    let p = milestones("1,1.1,Thing,,,,,,,\n", "1.1,2013-12,,no,Y,,\n", &[]);
    check(&rating(&p, "2013-12", "1.1"), Some(Status::Red), "Red: issues flagged in the update for 2013-12");
}

#[test]
fn overdue_is_red_and_the_due_day_itself_counts_by_default() {
    let p =
        milestones("1,1.1,Thing,2013-12-31,,,,,,\n1,1.2,Later,2014-01-01,,,,,,\n", "1.1,2013-12,,,,,on it\n1.2,2013-12,,,,,on it\n", &[]);
    check(&rating(&p, "2013-12", "1.1"), Some(Status::Red), "Red: due 31/12/2013, passed by the end of 2013-12, and not complete");
    assert_eq!(rating(&p, "2013-12", "1.2").computed_status, Some(Status::Amber));
    let strict = milestones(
        "1,1.1,Thing,2013-12-31,,,,,,\n",
        "1.1,2013-12,,,,,on it\n",
        &[("plan.toml", "[rules]\ndue_on_last_day_is_overdue = false\n")],
    );
    assert_eq!(rating(&strict, "2013-12", "1.1").computed_status, Some(Status::Amber));
}

// Rule 4: value against the trajectory (seed: smoking at delivery).
fn smoking() -> Plan {
    milestones(
        "1,1.15,Fall in number of mothers who smoke at delivery,,,,16.74,2014/15,low,\n",
        "1.15,2013/14 Q1,18.7,,,,\n1.15,2013/14 Q2,20.4,,,,\n1.15,2013/14 Q3,18.6,,,,\n",
        &[("targets.csv", "item,period,target,amber_threshold\n1.15,2013/14 Q1,18.8,\n1.15,2013/14 Q2,18.5,\n1.15,2013/14 Q3,18.2,\n1.15,2013/14 Q4,17.9,\n")],
    )
}

#[test]
fn smoking_18_7_against_18_8_is_green() {
    check(
        &rating(&smoking(), "2013/14 Q1", "1.15"),
        Some(Status::Green),
        "Green: 18.7 against a trajectory target of 18.8 for 2013/14 Q1 (low is good, amber threshold 19.7)",
    );
}

#[test]
fn smoking_20_4_against_18_5_is_red() {
    let r = rating(&smoking(), "2013/14 Q2", "1.15");
    check(&r, Some(Status::Red), "Red: 20.4 against a trajectory target of 18.5 for 2013/14 Q2 (low is good, amber threshold 19.4)");
    assert_eq!((r.dot, r.dot_judgement), (Dot::Up, DotJudgement::Worsening));
}

#[test]
fn within_the_default_five_percent_tolerance_is_amber() {
    // 18.2 × 1.05 = 19.11: 18.6 is within it.
    check(
        &rating(&smoking(), "2013/14 Q3", "1.15"),
        Some(Status::Amber),
        "Amber: 18.6 against a trajectory target of 18.2 for 2013/14 Q3 (low is good, amber threshold 19.1)",
    );
}

#[test]
fn the_tolerance_comes_from_the_rules_file() {
    let p = smoking();
    let wide = milestones(
        "1,1.15,Smoking,,,,16.74,2014/15,low,\n",
        "1.15,2013/14 Q2,20.4,,,,\n",
        &[("targets.csv", "item,period,target\n1.15,2013/14 Q2,18.5\n"), ("plan.toml", "[rules]\ndefault_tolerance = 0.15\n")],
    );
    assert_eq!(rating(&p, "2013/14 Q2", "1.15").computed_status, Some(Status::Red));
    check(
        &rating(&wide, "2013/14 Q2", "1.15"),
        Some(Status::Amber),
        "Amber: 20.4 against a trajectory target of 18.5 for 2013/14 Q2 (low is good, amber threshold 21.3)",
    );
}

#[test]
fn a_quarterly_trajectory_applies_to_the_month_that_closes_the_quarter() {
    let p = milestones(
        "1,1.15,Smoking,,,,,,low,\n",
        "1.15,2013-12,18.3,,,,\n",
        &[("targets.csv", "item,period,target,amber_threshold\n1.15,2013/14 Q3,18.2,18.4\n")],
    );
    check(
        &rating(&p, "Dec 2013", "1.15"),
        Some(Status::Amber),
        "Amber: 18.3 against a trajectory target of 18.2 for 2013/14 Q3 (low is good, amber threshold 18.4)",
    );
}

#[test]
fn where_a_quarterly_and_an_annual_trajectory_both_apply_the_quarterly_one_wins() {
    // The annual row comes first in the file; the quarter's still wins inside the quarter, and
    // the year's applies in the months no quarter covers.
    let p = milestones(
        "1,1.15,Smoking,,,,,,low,\n",
        "1.15,2014-03,18.9,,,,\n1.15,2013-12,18.3,,,,\n",
        &[("targets.csv", "item,period,target,amber_threshold\n1.15,2013/14,19,19.5\n1.15,2013/14 Q3,18.2,18.4\n")],
    );
    check(
        &rating(&p, "2013-12", "1.15"),
        Some(Status::Amber),
        "Amber: 18.3 against a trajectory target of 18.2 for 2013/14 Q3 (low is good, amber threshold 18.4)",
    );
    check(
        &rating(&p, "2014-03", "1.15"),
        Some(Status::Green),
        "Green: 18.9 against a trajectory target of 19 for 2013/14 (low is good, amber threshold 19.5)",
    );
}

#[test]
fn updates_out_of_period_order_are_found_with_their_comparator() {
    let p = milestones("1,1.15,Smoking,,,,,,low,\n", "1.15,2014-01,18,,,,\n1.15,2013-11,19,,,,\n1.15,2013-12,18.3,,,,\n", &[]);
    let r = rating(&p, "2014-01", "1.15");
    assert_eq!((r.value, r.comparator_value), (Some(18.0), Some(18.3)));
    assert_eq!((r.dot, r.dot_judgement), (Dot::Down, DotJudgement::Improving));
    let r = rating(&p, "2013-12", "1.15");
    assert_eq!((r.value, r.comparator_value), (Some(18.3), Some(19.0)));
}

// Rule 4: the final target profiled from the baseline (seed: breastfeeding initiation 58% →
// 65.5%, 61.9% in December 2013).
fn breastfeeding(value: &str, period: &str) -> Plan {
    milestones(
        "1,1.6,Increase in breastfeeding initiation rates,,58,2012/13,65.5,2013/14,high,\n",
        &format!("1.6,{period},{value},,,,Current accumulative figure\n"),
        &[],
    )
}

#[test]
fn profiled_target_is_read_at_the_end_of_t() {
    // Nine of twelve months along the line: 58 + 7.5 × 9/12 = 63.625; 5% below is 60.44.
    let r = rating(&breastfeeding("61.9%", "2013-12"), "2013-12", "1.6");
    check(&r, Some(Status::Amber), "Amber: 61.9 against a profiled target of 63.6 for 2013-12, on the line from 58 in 2012/13 to 65.5 in 2013/14 (high is good, amber threshold 60.4)");
    assert_eq!(r.target, Some(63.625));
}

#[test]
fn before_the_line_starts_the_baseline_applies_and_after_it_ends_the_target() {
    let before = rating(&breastfeeding("58", "2013-02"), "2013-02", "1.6");
    assert_eq!((before.target, before.computed_status), (Some(58.0), Some(Status::Green)));
    let after = rating(&breastfeeding("64", "2014-06"), "2014-06", "1.6");
    assert_eq!((after.target, after.computed_status), (Some(65.5), Some(Status::Amber)));
}

#[test]
fn a_final_target_without_periods_applies_flat_and_polarity_is_inferred() {
    // Breastfeeding-friendly places: 61 → 71, 81 in December 2013.
    let p = milestones("1,1.7,Places,,61,,71,,,\n1,6.22,NEET,,8,,7,,,\n", "1.7,2013-12,81,,,,\n6.22,2013-12,6.4%,,,,\n", &[]);
    check(&rating(&p, "2013-12", "1.7"), Some(Status::Green), "Green: 81 against a target of 71 (high is good, amber threshold 67.5)");
    check(&rating(&p, "2013-12", "6.22"), Some(Status::Green), "Green: 6.4 against a target of 7 (low is good, amber threshold 7.3)");
}

// Rule 5: Amber.
#[test]
fn otherwise_amber() {
    let p = milestones("1,1.1,Thing,,,,,,,\n1,1.2,Count,,,,,,,\n", "1.1,2013-12,,,,,Work continues\n1.2,2013-12,65,,,,\n", &[]);
    check(&rating(&p, "2013-12", "1.1"), Some(Status::Amber), "Amber: ongoing, no issues reported for 2013-12");
    check(
        &rating(&p, "2013-12", "1.2"),
        Some(Status::Amber),
        "Amber: ongoing, 65 reported for 2013-12 with no target to compare with, and no issues",
    );
}

// Officer status.
#[test]
fn officer_status_is_reported_and_disagreement_marked() {
    let p = milestones(
        "1,1.1,Thing,,,,,,,\n1,1.2,Other,,,,,,,\n",
        "1.1,2013-12,,,,G,Work continues\n1.2,2013-12,,,,amber,Work continues\n",
        &[],
    );
    let r = rating(&p, "2013-12", "1.1");
    assert_eq!((r.status, r.computed_status, r.disagrees), (Some(Status::Green), Some(Status::Amber), true));
    assert_eq!(r.reason, "Green: the officer's status; the engine rates it Amber: ongoing, no issues reported for 2013-12");
    let agrees = rating(&p, "2013-12", "1.2");
    assert_eq!((agrees.status, agrees.disagrees), (Some(Status::Amber), false));
    let computed = rating_with(&p, "2013-12", "1.1", RateOptions { computed_only: true });
    assert_eq!((computed.status, computed.disagrees), (Some(Status::Amber), true));
    assert_eq!(computed.reason, "Amber: ongoing, no issues reported for 2013-12");
}

// Measures.
fn measures(measures: &str, values: &str, extra: &[(&str, &str)]) -> Plan {
    let m = format!("measure,title,polarity,frequency,unit,target,amber_threshold,dot_basis,year_type\n{measures}");
    let v = format!("measure,period,value,numerator,denominator\n{values}");
    let mut files = vec![("measures.csv", m.as_str()), ("values.csv", v.as_str())];
    files.extend_from_slice(extra);
    plan(&files)
}

#[test]
fn a_monthly_measure_in_a_quarter_is_rated_on_the_quarters_last_month() {
    let p = measures("M1,Assessments in time,high,monthly,%,90,84,,\n", "M1,2013-10,95,,\nM1,2013-11,91,,\nM1,2013-12,86.2,,\n", &[]);
    let r = rating(&p, "2013/14 Q3", "M1");
    assert_eq!(r.rated_period.to_string(), "2013-12");
    check(&r, Some(Status::Amber), "Amber: 86.2 for 2013-12 against a target of 90 (high is good, amber threshold 84)");
    assert_eq!((r.dot, r.dot_judgement), (Dot::Down, DotJudgement::Worsening));
}

#[test]
fn an_annual_measure_in_a_quarter_is_rated_on_the_last_year_ended() {
    let p = measures(
        "K1,KS2-KS4 progress in maths,high,annual,%,70.7,,,academic\n",
        "K1,2011/12,66.0,,\nK1,2012/13,70.3,,\n",
        &[("benchmarks.csv", "item,period,benchmark,value\nK1,2012/13,National,70.7\nK1,2013/14,National,99\n")],
    );
    let r = rating(&p, "2013/14 Q3", "K1");
    assert_eq!(r.rated_period.to_string(), "2012/13");
    assert_eq!(r.computed_status, Some(Status::Amber));
    // year_ago basis by default for annual measures.
    assert_eq!((r.dot, r.dot_judgement), (Dot::Up, DotJudgement::Improving));
    // KS2-KS4 maths 70.3 against national 70.7; the later 2013/14 benchmark is not yet available.
    assert_eq!(r.benchmarks[0].versus, Some(Versus::Worse));
    assert_eq!(r.benchmarks[0].gap, Some(-0.4));
}

#[test]
fn no_value_is_blue_neutral_and_no_target_are_not_rated() {
    let p = measures(
        "M1,Re-referrals,low,monthly,%,20,,,\nM2,Children looked after,neutral,monthly,,,,,\nM3,Contacts,high,monthly,,,,,\n",
        "M1,2013-11,21,,\nM1,2013-12,n/a,,\nM2,2013-11,390,,\nM2,2013-12,398,,\nM3,2013-12,\"1,380\",,\n",
        &[],
    );
    check(&rating(&p, "2013-12", "M1"), Some(Status::Blue), "Blue: no value for 2013-12");
    let neutral = rating(&p, "2013-12", "M2");
    check(&neutral, None, "Not rated: a neutral measure (neither high nor low is good); 398 for 2013-12");
    assert_eq!((neutral.dot, neutral.dot_judgement), (Dot::Up, DotJudgement::NotAssessed));
    check(&rating(&p, "2013-12", "M3"), None, "Not rated: no target for 2013-12");
}

#[test]
fn a_targets_csv_target_for_m_overrides_the_measures_target() {
    let p = measures(
        "M1,Closed with outcomes,high,quarterly,%,70,65,,\n",
        "M1,2013/14 Q2,72,,\nM1,2013/14 Q3,73.5,,\n",
        &[("targets.csv", "item,period,target,amber_threshold\nM1,2013/14,75,70\n")],
    );
    check(
        &rating(&p, "2013/14 Q3", "M1"),
        Some(Status::Amber),
        "Amber: 73.5 for 2013/14 Q3 against a target of 75 for 2013/14 (high is good, amber threshold 70)",
    );
}

#[test]
fn direction_of_travel_compares_with_that_period_only() {
    // The comparator is the period itself: a gap gives no comparator, not an older value.
    let p = measures(
        "M1,Re-referrals,low,monthly,%,20,,previous,\nM2,Re-referrals last year,low,monthly,%,20,,year_ago,\n",
        "M1,2013-10,30,,\nM1,2013-12,25,,\nM2,2012-12,25,,\nM2,2013-11,10,,\nM2,2013-12,25,,\n",
        &[],
    );
    assert_eq!(rating(&p, "2013-12", "M1").dot, Dot::None);
    assert_eq!(rating(&p, "2013-12", "M1").dot_judgement, DotJudgement::NotAssessed);
    let m2 = rating(&p, "2013-12", "M2");
    assert_eq!((m2.dot, m2.dot_judgement), (Dot::Same, DotJudgement::NoChange));
}

#[test]
fn seed_example_two_low_is_good_red_but_improving() {
    let p = measures(
        "SC02,Children subject to a child protection plan per 10k,low,monthly,,22,24,,\n",
        "SC02,2023-11,28.1,,\nSC02,2023-12,26.8,,\n",
        &[("benchmarks.csv", "item,period,benchmark,value\nSC02,2022/23,national,21.5\nSC02,2022/23,statistical neighbours,22.4\n")],
    );
    let r = rating(&p, "2023/24 Q3", "SC02");
    check(&r, Some(Status::Red), "Red: 26.8 for 2023-12 against a target of 22 (low is good, amber threshold 24)");
    assert_eq!((r.dot, r.dot_judgement), (Dot::Down, DotJudgement::Improving));
    let vs: Vec<_> = r.benchmarks.iter().map(|b| b.versus).collect();
    assert_eq!(vs, vec![Some(Versus::Worse), Some(Versus::Worse)]);
}

#[test]
fn wilson_interval_calls_noise_similar() {
    // 162 of 188 = 86.2%: the 95% Wilson interval is about 80.5 to 90.4.
    let p = measures(
        "SC01,Assessments in 45 days,high,monthly,%,90,84,,\n",
        "SC01,2023-12,86.2,162,188\n",
        &[("benchmarks.csv", "item,period,benchmark,value\nSC01,2022/23,national,82.9\nSC01,2022/23,london,91.0\nSC01,2022/23,sn,80.4\n")],
    );
    let r = rating(&p, "2023-12", "SC01");
    let vs: Vec<_> = r.benchmarks.iter().map(|b| b.versus).collect();
    // labels sorted: london, national, sn
    assert_eq!(vs, vec![Some(Versus::Worse), Some(Versus::Similar), Some(Versus::Better)]);
}

#[test]
fn without_counts_similar_means_equal_unless_the_rules_widen_it() {
    let files = |rules: &'static str| {
        measures(
            "M1,NEET,low,monthly,%,7,,,\n",
            "M1,2013-11,6.4,,\n",
            &[("benchmarks.csv", "item,period,benchmark,value\nM1,2013-11,national,6.6\n"), ("plan.toml", rules)],
        )
    };
    let strict = rating(&files(""), "2013-11", "M1");
    assert_eq!(strict.benchmarks[0].versus, Some(Versus::Better));
    let wide = rating(&files("[rules]\nsimilar_within = 0.25\n"), "2013-11", "M1");
    assert_eq!(wide.benchmarks[0].versus, Some(Versus::Similar));
}

#[test]
fn neutral_measures_compare_higher_or_lower() {
    let p = measures(
        "M2,Children looked after per 10k,neutral,monthly,,,,,\n",
        "M2,2013-12,71,,\n",
        &[("benchmarks.csv", "item,period,benchmark,value\nM2,2013-06,national,60\n")],
    );
    let r = rating(&p, "2013-12", "M2");
    assert_eq!(r.benchmarks[0].versus, Some(Versus::Higher));
    assert_eq!(r.benchmarks[0].gap, Some(11.0));
}

#[test]
fn every_item_gets_exactly_one_rating_per_period() {
    let p = smoking();
    let t = p.parse_period("2013/14 Q2").unwrap();
    let ratings = rate(&p, t, RateOptions::default()).unwrap();
    assert_eq!(ratings.rows.len(), p.milestones.len() + p.measures.len());
}
