//! Every rating rule the README lists, one small plan per case, through the public entry points
//! (`Plan::from_files` and `rate`). Figures come from the seeds where they give them.

use scorecard_core::Plan;
use scorecard_core::Status;
use scorecard_core::{rate, Dot, DotJudgement, ForecastStatus, Kind, RateOptions, Rating, SpcAssurance, SpcSignal, SpcVariation, Versus};

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
    check(&rating(&p, "2013-12", "1.1"), Some(Status::Blue), "Blue: no update for December 2013");
}

#[test]
fn an_empty_update_is_blue() {
    let p = milestones("1,1.1,Thing,,,,,,,\n", "1.1,2013-12,,no,no,,\n", &[]);
    check(
        &rating(&p, "2013-12", "1.1"),
        Some(Status::Blue),
        "Blue: the update for December 2013 is empty (no value, flag, status or commentary)",
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
    check(&rating(&p, "2013-12", "1.1"), Some(Status::Green), "Green: marked complete in the update for December 2013");
}

// Rule 3: Red for issues, or overdue.
#[test]
fn issues_flagged_is_red() {
    let p = milestones("1,1.1,Thing,,,,,,,\n", "1.1,2013-12,,no,Y,,\n", &[]);
    check(&rating(&p, "2013-12", "1.1"), Some(Status::Red), "Red: issues flagged in the update for December 2013");
}

#[test]
fn overdue_is_red_and_the_due_day_itself_counts_by_default() {
    let p =
        milestones("1,1.1,Thing,2013-12-31,,,,,,\n1,1.2,Later,2014-01-01,,,,,,\n", "1.1,2013-12,,,,,on it\n1.2,2013-12,,,,,on it\n", &[]);
    check(
        &rating(&p, "2013-12", "1.1"),
        Some(Status::Red),
        "Red: due 31 December 2013, passed by the end of December 2013, and not complete",
    );
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
    check(&r, Some(Status::Amber), "Amber: 61.9 against a profiled target of 63.6 for December 2013, on the line from 58 in 2012/13 to 65.5 in 2013/14 (high is good, amber threshold 60.4)");
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
    check(&rating(&p, "2013-12", "1.1"), Some(Status::Amber), "Amber: ongoing, no issues reported for December 2013");
    check(
        &rating(&p, "2013-12", "1.2"),
        Some(Status::Amber),
        "Amber: ongoing, 65 reported for December 2013 with no target to compare with, and no issues",
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
    assert_eq!(r.reason, "Green: the officer's status; the calculated status is Amber: ongoing, no issues reported for December 2013");
    let agrees = rating(&p, "2013-12", "1.2");
    assert_eq!((agrees.status, agrees.disagrees), (Some(Status::Amber), false));
    let computed = rating_with(&p, "2013-12", "1.1", RateOptions { computed_only: true, ..RateOptions::default() });
    assert_eq!((computed.status, computed.disagrees), (Some(Status::Amber), true));
    assert_eq!(computed.reason, "Amber: ongoing, no issues reported for December 2013");
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
    check(&r, Some(Status::Amber), "Amber: 86.2 for December 2013 against a target of 90 (high is good, amber threshold 84)");
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
    check(&rating(&p, "2013-12", "M1"), Some(Status::Blue), "Blue: no value for December 2013");
    let neutral = rating(&p, "2013-12", "M2");
    check(&neutral, None, "Not rated: a neutral measure (neither high nor low is good); 398 for December 2013");
    assert_eq!((neutral.dot, neutral.dot_judgement), (Dot::Up, DotJudgement::NotAssessed));
    check(&rating(&p, "2013-12", "M3"), None, "Not rated: no target for December 2013");
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
    check(&r, Some(Status::Red), "Red: 26.8 for December 2023 against a target of 22 (low is good, amber threshold 24)");
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

// Issue #16: expected progress, forecast, stale updates, roll-up, labels.

/// A milestone plan with `start` and `percent_complete` columns.
fn progress_plan(milestones: &str, updates: &str, toml: &str) -> Plan {
    let m = format!("priority,milestone,title,action,start,due,target,target_period,polarity\n{milestones}");
    let u = format!("milestone,period,value,percent_complete,issues,commentary\n{updates}");
    plan(&[("milestones.csv", m.as_str()), ("updates.csv", u.as_str()), ("plan.toml", toml)])
}

#[test]
fn expected_progress_is_the_straight_line_from_start_to_due_read_at_the_end_of_t() {
    // Start 1 April 2013, due 31 March 2014: 365 days. By the end of 31 December 2013, 275
    // of them have passed (30 + 31 + 30 + 31 + 31 + 30 + 31 + 30 + 31), so 100 * 275 / 365 =
    // 75.342466% is expected.
    let p = progress_plan(
        "1,1.1,A,,2013-04-01,2014-03-31,,,\n1,1.2,B,,2013-04-01,2014-03-31,,,\n1,1.3,C,,2013-04-01,2014-03-31,,,\n",
        "1.1,2013-12,,60,,on it\n1.2,2013-12,,45,,on it\n1.3,2013-12,,70,,on it\n",
        "",
    );
    // 60 / 75.342466 = 0.796364: below 0.9, at least 0.7, Amber.
    let r = rating(&p, "2013-12", "1.1");
    check(
        &r,
        Some(Status::Amber),
        "Amber: 60% complete against 75.3% expected by 31 December 2013 (start 1 April 2013, due 31 March 2014)",
    );
    assert_eq!(r.expected_progress, Some(75.342466));
    assert_eq!(r.progress_ratio, Some(0.796364));
    // 45 / 75.342466 = 0.597273: below 0.7, Red.
    check(
        &rating(&p, "2013-12", "1.2"),
        Some(Status::Red),
        "Red: 45% complete against 75.3% expected by 31 December 2013 (start 1 April 2013, due 31 March 2014)",
    );
    // 70 / 75.342466 = 0.929091: at least 0.9, so the rules after it decide (ongoing).
    let r = rating(&p, "2013-12", "1.3");
    check(&r, Some(Status::Amber), "Amber: ongoing, no issues reported for December 2013");
    assert_eq!(r.progress_ratio, Some(0.929091));
    // [rules] progress_amber = 0.95 makes 0.929 Amber on progress.
    let strict = progress_plan("1,1.3,C,,2013-04-01,2014-03-31,,,\n", "1.3,2013-12,,70,,on it\n", "[rules]\nprogress_amber = 0.95\n");
    assert_eq!(
        rating(&strict, "2013-12", "1.3").reason,
        "Amber: 70% complete against 75.3% expected by 31 December 2013 (start 1 April 2013, due 31 March 2014)"
    );
}

#[test]
fn expected_progress_comes_after_issues_and_before_nothing_expected_yet() {
    // Issues flagged win over progress; before the start nothing is expected, so no ratio.
    let p = progress_plan(
        "1,1.1,A,,2013-04-01,2014-03-31,,,\n1,1.2,B,,2014-01-01,2014-03-31,,,\n",
        "1.1,2013-12,,10,yes,late\n1.2,2013-12,,0,,not started\n",
        "",
    );
    assert_eq!(rating(&p, "2013-12", "1.1").reason, "Red: issues flagged in the update for December 2013");
    let r = rating(&p, "2013-12", "1.2");
    assert_eq!((r.expected_progress, r.progress_ratio), (Some(0.0), None));
    assert_eq!(r.computed_status, Some(Status::Amber));
}

#[test]
fn a_measure_forecast_is_the_least_squares_line_read_at_the_end_of_the_year() {
    // Values for 2013-07 .. 2013-12: 60, 61, 61.5, 62, 63, 63.5, at x = -5 .. 0 months from
    // the end of December. Mean x = -2.5, mean y = 371 / 6 = 61.833333.
    // Sxy = (-2.5)(-1.833333) + (-1.5)(-0.833333) + (-0.5)(-0.333333) + (0.5)(0.166667)
    //     + (1.5)(1.166667) + (2.5)(1.666667) = 12; Sxx = 17.5; slope = 12 / 17.5 = 0.685714.
    // The end of 2013/14 (March 2014) is x = 3: 61.833333 + 0.685714 * (3 + 2.5) = 65.604762.
    let series = |id: &str| {
        [("2013-07", "60"), ("2013-08", "61"), ("2013-09", "61.5"), ("2013-10", "62"), ("2013-11", "63"), ("2013-12", "63.5")]
            .iter()
            .map(|(p, v)| format!("{id},{p},{v},,\n"))
            .collect::<String>()
    };
    let values = format!("{}{}{}", series("M1"), series("M2"), series("M3"));
    let p = measures("M1,Reach,high,monthly,%,65.5,,,\nM2,Reach,high,monthly,%,66,,,\nM3,Reach,high,monthly,%,70,68,,\n", &values, &[]);
    let r = rating(&p, "2013-12", "M1");
    assert_eq!(r.forecast_value, Some(65.604762));
    assert_eq!(r.forecast_status, Some(ForecastStatus::OnTrack));
    assert_eq!(
        r.forecast_reason,
        "On track: the line through the 6 values from July 2013 to December 2013 reaches 65.6 by the end of 2013/14, against a target of 65.5 (high is good)"
    );
    // The forecast never changes the status: 63.5 against 65.5 is Amber (threshold 62.2).
    assert_eq!(r.computed_status, Some(Status::Amber));
    // Target 66, default threshold 66 - 5% = 62.7: 65.6 is short of 66 but above 62.7.
    assert_eq!(rating(&p, "2013-12", "M2").forecast_status, Some(ForecastStatus::AtRisk));
    // Target 70, threshold 68: 65.6 is beyond it.
    let r = rating(&p, "2013-12", "M3");
    assert_eq!(r.forecast_status, Some(ForecastStatus::OffTrack));
    assert!(r.forecast_reason.starts_with("Off track: "), "{}", r.forecast_reason);
    // At 2013-08 there are only two values: no forecast, and the sentence says why.
    let r = rating(&p, "2013-08", "M1");
    assert_eq!((r.forecast_value, r.forecast_status), (None, None));
    assert_eq!(r.forecast_reason, "No forecast: 2 values by August 2013; a forecast needs at least 3");
}

#[test]
fn a_milestone_forecast_is_read_at_the_end_of_its_target_period_against_its_own_target() {
    // Low is good, target 15 for 2014/15 (end of March 2015). Quarterly values 20, 19, 18.5
    // for 2013/14 Q1..Q3 at x = -6, -3, 0 months from the end of December 2013.
    // Mean x = -3, mean y = 19.166667; Sxy = (-3)(0.833333) + 0 + (3)(-0.666667) = -4.5;
    // Sxx = 18; slope = -0.25 a month. March 2015 is x = 15: 19.166667 - 0.25 * 18 = 14.666667,
    // at or below 15: on track.
    let p = progress_plan("1,1.1,Smoking,,,,15,2014/15,low\n", "1.1,2013/14 Q1,20,,,\n1.1,2013/14 Q2,19,,,\n1.1,2013/14 Q3,18.5,,,\n", "");
    let r = rating(&p, "2013/14 Q3", "1.1");
    assert_eq!(r.forecast_value, Some(14.666667));
    assert_eq!(r.forecast_status, Some(ForecastStatus::OnTrack));
    assert_eq!(
        r.forecast_reason,
        "On track: the line through the 3 values from 2013/14 Q1 to 2013/14 Q3 reaches 14.7 by the end of 2014/15, against a target of 15 (low is good)"
    );
}

#[test]
fn an_item_is_stale_when_its_latest_update_is_older_than_stale_after_periods() {
    // Monthly values to 2013-09, rated at 2013-12: (December's end - September's end) = 3
    // months > 2, stale. Values to 2013-10: 2 months, not stale.
    let p = measures(
        "M1,Reach,high,monthly,%,65.5,,,\nM2,Reach,high,monthly,%,65.5,,,\n",
        "M1,2013-08,60,,\nM1,2013-09,61,,\nM2,2013-10,62,,\n",
        &[],
    );
    let r = rating(&p, "2013-12", "M1");
    assert!(r.stale);
    assert_eq!(r.stale_reason, "Stale: last updated for September 2013, 3 months before December 2013 (stale after 2 months)");
    // Staleness never changes the status or its reason.
    assert_eq!(r.reason, "Blue: no value for December 2013");
    assert!(r.is_exception());
    let r = rating(&p, "2013-12", "M2");
    assert!(!r.stale);
    assert_eq!(r.stale_reason, "");
    // A milestone with no update at all by the end of T is stale.
    let p = milestones("1,1.1,Thing,,,,,,,\n1,1.2,Other,,,,,,,\n", "1.2,2013-12,,,,,going well\n", &[]);
    let r = rating(&p, "2013-12", "1.1");
    assert_eq!((r.stale, r.stale_reason.as_ref()), (true, "Stale: no update by the end of December 2013"));
    assert!(!rating(&p, "2013-12", "1.2").stale);
}

#[test]
fn rollup_adds_action_and_priority_rows_only_when_asked() {
    let p = progress_plan(
        "1,1.1,A,Act one,,,,,\n1,1.2,B,Act one,,,,,\n1,1.3,C,Act two,,,,,\n2,2.1,D,Act one,,,,,\n",
        "1.1,2013-12,,,yes,late\n1.2,2013-12,,,,on it\n1.3,2013-12,,,,on it\n",
        "",
    );
    let t = p.parse_period("2013-12").expect("period");
    let plain = rate(&p, t, RateOptions::default()).expect("rates");
    assert!(plain.rows.iter().all(|r| r.kind == Kind::Milestone));
    let rolled = rate(&p, t, RateOptions { rollup: true, ..RateOptions::default() }).expect("rates");
    let rows: Vec<(&str, &str, Option<Status>)> = rolled.rows.iter().map(|r| (r.kind.name(), r.item.as_ref(), r.status)).collect();
    assert_eq!(
        rows,
        [
            ("milestone", "1.1", Some(Status::Red)),
            ("milestone", "1.2", Some(Status::Amber)),
            ("milestone", "1.3", Some(Status::Amber)),
            ("milestone", "2.1", Some(Status::Blue)),
            ("action", "1/1", Some(Status::Red)),
            ("action", "1/2", Some(Status::Amber)),
            ("action", "2/1", Some(Status::Blue)),
            ("priority", "1", Some(Status::Red)),
            ("priority", "2", Some(Status::Blue)),
        ]
    );
    // Worst of 1 Red, 2 Amber: Red.
    assert_eq!(rolled.rows[7].reason, "Red: worst of 3 milestones (1 Red, 2 Amber, 0 Green)");
    assert_eq!(rolled.rows[4].title, "Act one");
    assert_eq!(rolled.rows[8].reason, "Blue: all 1 milestone Blue");
}

#[test]
fn labels_rename_statuses_for_reports_only() {
    let p = plan(&[
        ("milestones.csv", "priority,milestone,title\n1,1.1,A\n"),
        ("updates.csv", "milestone,period,complete\n1.1,2013-12,yes\n"),
        ("plan.toml", "[labels]\nblue = \"Exceeding target\"\ngreen = \"On track\"\n"),
    ]);
    assert_eq!(p.labels.name(Status::Blue), "Exceeding target");
    assert_eq!(p.labels.name(Status::Green), "On track");
    assert_eq!(p.labels.name(Status::Red), "Red");
    // The ratings keep the canonical word.
    assert_eq!(rating(&p, "2013-12", "1.1").reason, "Green: marked complete in the update for December 2013");
}

// Issue #16, decision (a): a typed milestone threshold on a profiled target travels with the
// line.
#[test]
fn a_typed_threshold_travels_with_the_profiled_line() {
    // Baseline 50 in 2012/13 (ends March 2013), target 60 in 2013/14 (ends March 2014),
    // threshold 58: a gap of 60 - 58 = 2. At 2013-06 (ends June 2013) the line is 3 of its 12
    // months along: 50 + (60 - 50) * 3 / 12 = 52.5, so the band runs to 52.5 - 2 = 50.5 and
    // 52 is Amber. (Applied unchanged, 58 put the band above the line's target and 52 read
    // Red.)
    let p = milestones("1,1.1,Thing,,50,2012/13,60,2013/14,high,58\n", "1.1,2013-06,52,,,,\n", &[]);
    let r = rating(&p, "2013-06", "1.1");
    check(
        &r,
        Some(Status::Amber),
        "Amber: 52 against a profiled target of 52.5 for June 2013, on the line from 50 in 2012/13 to 60 in 2013/14 (high is good, amber threshold 50.5)",
    );
    assert_eq!((r.target, r.amber_threshold), (Some(52.5), Some(50.5)));
    // At the end of the line the typed threshold itself applies.
    let p = milestones("1,1.1,Thing,,50,2012/13,60,2013/14,high,58\n", "1.1,2014-03,57,,,,\n", &[]);
    assert_eq!(rating(&p, "2014-03", "1.1").amber_threshold, Some(58.0));
}

#[test]
fn a_milestone_threshold_on_the_wrong_side_of_its_target_is_refused() {
    let files = vec![
        ("milestones.csv".to_string(), b"priority,milestone,title,target,polarity,amber_threshold\n1,1.1,Thing,60,high,62\n".to_vec()),
        ("updates.csv".to_string(), b"milestone,period,value\n1.1,2013-12,61\n".to_vec()),
    ];
    let e = Plan::from_files("test", "test", files).expect_err("refused").to_string();
    assert!(
        e.contains("test/milestones.csv:2:6: column `amber_threshold`: amber threshold 62 is on the wrong side of the target 60; for high is good it must be at or below the target"),
        "{e}"
    );
}

// Issue #13: statistical process control (XmR) through `rate`, with NHSRplotthedots' figures.

/// `set.seed(123); rnorm(20)` in R, NHSRplotthedots' test series (`test-ptd_spc_standard.R`).
const RNORM: [f64; 20] = [
    -0.56047565,
    -0.23017749,
    1.55870831,
    0.07050839,
    0.12928774,
    1.71506499,
    0.46091621,
    -1.26506123,
    -0.68685285,
    -0.44566197,
    1.22408180,
    0.35981383,
    0.40077145,
    0.11068272,
    -0.55584113,
    1.78691314,
    0.49785048,
    -1.96661716,
    0.70135590,
    -0.47279141,
];

/// A monthly measure `M1` from April 2022 with these values, and more files.
fn spc_plan(polarity: &str, target: &str, values: &[f64], extra: &[(&str, &str)]) -> Plan {
    let measures = format!("measure,title,polarity,frequency,target\nM1,Waiting,{polarity},monthly,{target}\n");
    let mut v = String::from("measure,period,value\n");
    for (i, x) in values.iter().enumerate() {
        v.push_str(&format!("M1,{}-{:02},{x}\n", 2022 + (3 + i) / 12, (3 + i) % 12 + 1));
    }
    let mut files = vec![("measures.csv", measures.as_str()), ("values.csv", v.as_str())];
    files.extend_from_slice(extra);
    plan(&files)
}

fn near(x: Option<f64>, want: f64) {
    let x = x.expect("a number");
    assert!((x - want).abs() < 5e-6 * want.abs().max(1.0), "{x} is not {want}");
}

#[test]
fn spc_columns_carry_plotthedots_limits_and_assurance() {
    // `_snaps/ptd_spc_standard.md` r1: mean 0.1416238, limits -3.01138 to 3.294627; every point
    // common cause. Target 4 is above the upper limit of a high-is-good measure:
    // `consistent_fail` (`test-ptd_calculate_assurance_type.R`).
    let p = spc_plan("high", "4", &RNORM, &[]);
    let r = rating(&p, "2023-11", "M1");
    near(r.spc.mean, 0.1416238);
    near(r.spc.lower, -3.01138);
    near(r.spc.upper, 3.294627);
    assert_eq!(r.spc.points, Some(20));
    assert_eq!(r.spc.variation, Some(SpcVariation::CommonCause));
    assert_eq!(r.spc.signal, None);
    assert_eq!(r.spc.assurance, Some(SpcAssurance::ConsistentlyFailing));
    assert_eq!(
        r.spc_reason,
        "Common cause variation: no rule fired on the latest point (mean 0.141624, limits -3.01138 to 3.294627, 20 points). \
         The limits are on the wrong side of the target: it will be missed unless the process changes"
    );
    // Rated at an earlier period, the series stops at M: 12 points, below the 13 needed.
    let r = rating(&p, "2023-03", "M1");
    assert_eq!((r.spc.points, r.spc.variation, r.spc.assurance), (Some(12), None, None));
    assert!(r.spc_reason.starts_with("No SPC judgement: 12 points so far, fewer than the 13 needed (mean "), "{}", r.spc_reason);
}

/// `[rules] spc = false` switches SPC off: the same series as above (20 points, limits -3.01138
/// to 3.294627 when on) leaves every `spc_` column empty, `spc_reason` too, and draws no XmR
/// chart; every other column is as with SPC on.
#[test]
fn spc_switched_off_leaves_its_columns_empty() {
    let on = spc_plan("high", "4", &RNORM, &[]);
    let off = spc_plan("high", "4", &RNORM, &[("plan.toml", "[rules]\nspc = false\n")]);
    let (a, b) = (rating(&on, "2023-11", "M1"), rating(&off, "2023-11", "M1"));
    assert_eq!(a.spc.points, Some(20));
    assert_eq!(b.spc, scorecard_core::model::rating::Spc::default());
    assert_eq!(b.spc_reason, "");
    assert_eq!((a.status, a.reason.clone(), a.trend, a.dot), (b.status, b.reason.clone(), b.trend, b.dot));
    let m = a.rated_period;
    assert_eq!(scorecard_core::xmr_chart(&on, 0, m).points.len(), 20);
    let chart = scorecard_core::xmr_chart(&off, 0, m);
    assert!(chart.points.is_empty() && chart.segments.is_empty());
}

#[test]
fn a_rebase_starts_a_segment_with_its_own_limits() {
    // `_snaps/ptd_spc.md`, summary by facet: the last 10 points have mean 0.209, limits -3.28 to
    // 3.70. A rebase at the 11th month (2023-02) gives them those limits.
    let rebases = ("rebases.csv", "item,period,reason\nM1,2023-02,New triage process\n");
    let p = spc_plan("high", "", &RNORM, &[rebases]);
    let r = rating(&p, "2023-11", "M1");
    assert_eq!(r.spc.points, Some(10));
    assert!((r.spc.mean.unwrap() - 0.209).abs() < 0.0005 && (r.spc.upper.unwrap() - 3.70).abs() < 0.005);
    assert_eq!(r.spc.variation, None);
    assert!(
        r.spc_reason.starts_with("No SPC judgement: 10 points since the rebase at February 2023, fewer than the 13 needed"),
        "{}",
        r.spc_reason
    );
    // With spc_min_points = 10 the segment is judged.
    let p = spc_plan("high", "", &RNORM, &[rebases, ("plan.toml", "[rules]\nspc_min_points = 10\n")]);
    assert_eq!(rating(&p, "2023-11", "M1").spc.variation, Some(SpcVariation::CommonCause));
}

#[test]
fn a_shift_reads_with_the_polarity() {
    // Mean 48/14 = 3.43; moving ranges 12 × 1 and one 4: mean 16/13 = 1.23 (4 < 3.267 × 1.23 =
    // 4.02 stays), limits 3.43 ± 2.66 × 1.23 = 0.15 to 6.70. The last seven points are above the mean and none beyond
    // two sigma (5.61) is the latest: a shift.
    let y = [1., 2., 1., 2., 1., 2., 1., 5., 6., 5., 6., 5., 6., 5.];
    let r = rating(&spc_plan("low", "", &y, &[]), "2023-05", "M1");
    assert_eq!((r.spc.variation, r.spc.signal), (Some(SpcVariation::SpecialCauseConcern), Some(SpcSignal::Shift)));
    assert!(
        r.spc_reason.starts_with("Special cause concern: the latest of 7 points in a row above the mean (mean 3.43, limits 0.15 to 6.7"),
        "{}",
        r.spc_reason
    );
    let r = rating(&spc_plan("high", "", &y, &[]), "2023-05", "M1");
    assert_eq!(r.spc.variation, Some(SpcVariation::SpecialCauseImprovement));
    let r = rating(&spc_plan("neutral", "", &y, &[]), "2023-05", "M1");
    assert_eq!(r.spc.variation, Some(SpcVariation::SpecialCauseHigh));
    // spc_run_length = 6 (NHSRplotthedots issue #202) still fires; the shift needs 7 with 7.
    let r = rating(&spc_plan("high", "", &y[1..], &[("plan.toml", "[rules]\nspc_min_points = 13\nspc_run_length = 6\n")]), "2023-04", "M1");
    assert_eq!(r.spc.signal, Some(SpcSignal::Shift));
}

#[test]
fn milestones_have_no_spc() {
    let p = milestones("1,1.1,Thing,,,,,,,\n", "1.1,2013-12,,,,,going well\n", &[]);
    let r = rating(&p, "2013-12", "1.1");
    assert_eq!(r.spc, scorecard_core::Spc::default());
    assert_eq!(r.spc_reason, "");
}

#[test]
fn rebases_csv_is_checked_with_positions() {
    let files = [
        ("milestones.csv", "priority,milestone,title\n1,1.1,Thing\n"),
        ("updates.csv", "milestone,period\n1.1,2013-12\n"),
        ("measures.csv", "measure,title,polarity,frequency\nM1,Waiting,high,monthly\n"),
        ("values.csv", "measure,period,value\nM1,2013-12,4\n"),
        ("rebases.csv", "item,period,reason\n1.1,2013-12,x\nM9,2013-12,x\nM1,2013/14 Q3,x\nM1,2013-11,\nM1,2013-10,a\nM1,2013-10,b\n"),
    ];
    let files = files.iter().map(|(n, t)| (n.to_string(), t.as_bytes().to_vec())).collect();
    let e = Plan::from_files("test", "test", files).unwrap_err().to_string();
    for want in [
        "test/rebases.csv:2:1: column `item`: \"1.1\" is a milestone; rebases apply to measures' SPC charts",
        "test/rebases.csv:3:1: column `item`: unknown item \"M9\"; expected an id from measures.csv",
        "test/rebases.csv:4:2: column `period`: 2013/14 Q3 is not a monthly period of measure \"M1\"",
        "test/rebases.csv:5:3: column `reason`: is blank; expected why the process changed",
        "test/rebases.csv:7:2: column `period`: measure \"M1\" is already rebased at 2013-10 at line 6",
    ] {
        assert!(e.contains(want), "{want}\nnot in\n{e}");
    }
}

// Issue #16: more worked examples of the look-ahead rules' settings.

#[test]
fn forecast_points_chooses_how_many_latest_values_the_line_goes_through() {
    // Monthly values 2013-05 .. 2013-12: 50, 40, then the six of the forecast test above (60,
    // 61, 61.5, 62, 63, 63.5). Target 70, amber threshold 68, high is good.
    let values = [("2013-05", "50"), ("2013-06", "40"), ("2013-07", "60"), ("2013-08", "61")]
        .iter()
        .chain(&[("2013-09", "61.5"), ("2013-10", "62"), ("2013-11", "63"), ("2013-12", "63.5")])
        .map(|(p, v)| format!("M1,{p},{v},,\n"))
        .collect::<String>();
    let m = "M1,Reach,high,monthly,%,70,68,,\n";
    // The default, the latest 6: as above, 65.604762 by March 2014, below 68: off track.
    let r = rating(&measures(m, &values, &[]), "2013-12", "M1");
    assert_eq!((r.forecast_value, r.forecast_status), (Some(65.604762), Some(ForecastStatus::OffTrack)));
    // forecast_points = 8: x = -7 .. 0, mean x = -3.5, mean y = 461 / 8 = 57.625; Sxy = 108,
    // Sxx = 42, slope = 108 / 42 = 2.571429 a month; at x = 3 (March 2014): 57.625 + 2.571429 *
    // (3 + 3.5) = 74.339286, at least 70: on track.
    let r = rating(&measures(m, &values, &[("plan.toml", "[rules]\nforecast_points = 8\n")]), "2013-12", "M1");
    assert_eq!((r.forecast_value, r.forecast_status), (Some(74.339286), Some(ForecastStatus::OnTrack)));
    assert!(
        r.forecast_reason.starts_with("On track: the line through the 8 values from May 2013 to December 2013 reaches 74.3"),
        "{}",
        r.forecast_reason
    );
    // forecast_min_points = 9 (and forecast_points 9): 8 values are too few.
    let r = rating(&measures(m, &values, &[("plan.toml", "[rules]\nforecast_points = 9\nforecast_min_points = 9\n")]), "2013-12", "M1");
    assert_eq!((r.forecast_value, r.forecast_status), (None, None));
    assert_eq!(r.forecast_reason, "No forecast: 8 values by December 2013; a forecast needs at least 9");
}

#[test]
fn a_quarterly_milestone_is_stale_after_stale_after_quarters() {
    // Rated at 2013/14 Q4 (ends March 2014). 1.1 last updated for Q1 (ends June 2013): 9
    // months = 3 quarters before, more than 2: stale. 1.2 last updated for Q2: 2 quarters, not
    // stale; with stale_after = 1 it is.
    let ms = "1,1.1,Thing,,,,,,,\n1,1.2,Other,,,,,,,\n";
    let ups = "1.1,2013/14 Q1,,,,,going well\n1.2,2013/14 Q2,,,,,going well\n";
    let p = milestones(ms, ups, &[]);
    let r = rating(&p, "2013/14 Q4", "1.1");
    assert!(r.stale);
    assert_eq!(r.stale_reason, "Stale: last updated for 2013/14 Q1, 3 quarters before 2013/14 Q4 (stale after 2 quarters)");
    // Staleness never changes the status: no update for Q4 is Blue.
    assert_eq!(r.computed_status, Some(Status::Blue));
    assert!(!rating(&p, "2013/14 Q4", "1.2").stale);
    let strict = milestones(ms, ups, &[("plan.toml", "[rules]\nstale_after = 1\n")]);
    let r = rating(&strict, "2013/14 Q4", "1.2");
    assert_eq!(r.stale_reason, "Stale: last updated for 2013/14 Q2, 2 quarters before 2013/14 Q4 (stale after 1 quarter)");
}

#[test]
fn rollup_methods_through_rate() {
    // Priority 1's five milestones at 2013-12: 1.1 Red (issues), 1.2 and 1.3 Green (complete),
    // 1.4 Amber (ongoing), 1.5 Blue (no update).
    let ms = "1,1.1,A,,,,,,,\n1,1.2,B,,,,,,,\n1,1.3,C,,,,,,,\n1,1.4,D,,,,,,,\n1,1.5,E,,,,,,,\n";
    let ups = "1.1,2013-12,,,yes,,late\n1.2,2013-12,,yes,,,done\n1.3,2013-12,,yes,,,done\n1.4,2013-12,,,,,on it\n";
    let priority = |toml: &str| {
        let p = milestones(ms, ups, &[("plan.toml", toml)]);
        let t = p.parse_period("2013-12").expect("period");
        let rolled = rate(&p, t, RateOptions { rollup: true, ..RateOptions::default() }).expect("rates");
        let r = rolled.rows.into_iter().find(|r| r.kind == Kind::Priority).expect("a priority row");
        (r.status, r.reason.to_string())
    };
    // worst: one Red makes it Red.
    assert_eq!(priority("").0, Some(Status::Red));
    // majority: 2 Green, 1 Amber, 1 Red (Blue left out): Green.
    assert_eq!(priority("[rules]\nrollup = \"majority\"\n").0, Some(Status::Green));
    // score: (100 * 2 + 50 * 1 + 0 * 1) / 4 = 62.5: below 80, at least 50: Amber.
    let (status, reason) = priority("[rules]\nrollup = \"score\"\n");
    assert_eq!(status, Some(Status::Amber));
    assert!(reason.starts_with("Amber: score 62.5 over 5 milestones"), "{reason}");
    // Blue counted as Red: (200 + 50 + 0 + 0) / 5 = 50: Amber (at 50); with Amber from 60, Red.
    assert_eq!(priority("[rules]\nrollup = \"score\"\nrollup_blue = \"red\"\n").0, Some(Status::Amber));
    assert_eq!(priority("[rules]\nrollup = \"score\"\nrollup_blue = \"red\"\nrollup_amber_at = 60\n").0, Some(Status::Red));
}
