//! The catalogue of input problems (issue #5): each names file, line and column, says what was
//! expected, and exits 2; output files are never left half-written.

use crate::util::{scorecard, scorecard_in, TempPlan};

const M: &str = "priority,milestone,title\n1,1.1,One\n";
const U: &str = "milestone,period\n1.1,2013-12\n";
const ME: &str = "measure,title,polarity,frequency,target\nK1,Kpi,high,monthly,90\n";

/// Runs `validate .` inside a plan made of `files` and checks every problem line.
fn check(files: &[(&str, &str)], expected: &[&str]) {
    let plan = TempPlan::new(files);
    let run = scorecard_in(plan.dir.path(), &["validate", "."]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let lines: Vec<&str> = run.stderr.lines().collect();
    let (problems, summary) = lines.split_at(lines.len() - 1);
    assert_eq!(problems, expected);
    let n = expected.len();
    assert_eq!(summary[0], format!("scorecard: {n} problem{} found in .", if n == 1 { "" } else { "s" }));
}

#[test]
fn missing_file_of_a_pair() {
    check(&[("milestones.csv", M)], &["./updates.csv: milestones.csv is present but updates.csv is missing; files come in pairs (milestones.csv with updates.csv, measures.csv with values.csv)"]);
}

#[test]
fn no_plan_files() {
    check(
        &[("plan.toml", "name = 'x'\n")],
        &[".: no plan files found; expected milestones.csv with updates.csv, and/or measures.csv with values.csv"],
    );
}

#[test]
fn missing_column_with_did_you_mean_and_no_cascade() {
    check(
        &[("milestones.csv", "priority,milestne,title\n1,1.1,One\n"), ("updates.csv", U)],
        &["./milestones.csv:1: missing the required column `milestone` (did you mean `milestne` in column 2?); the header has: priority, milestne, title"],
    );
}

#[test]
fn empty_file_and_header_only() {
    check(
        &[("milestones.csv", M), ("updates.csv", "")],
        &["./updates.csv: the file is empty; expected a header row with the columns milestone, period"],
    );
    check(
        &[("milestones.csv", "priority,milestone,title\n"), ("updates.csv", "milestone,period\n")],
        &["./milestones.csv: has a header but no milestones; expected one row per milestone"],
    );
}

#[test]
fn duplicate_ids_across_milestones_and_measures() {
    check(
        &[("milestones.csv", M), ("updates.csv", U), ("measures.csv", "measure,title,polarity,frequency\n1.1,Kpi,high,monthly\n"), ("values.csv", "measure,period,value\n")],
        &["./measures.csv:2:1: column `measure`: id \"1.1\" is already used at ./milestones.csv:2; ids must be unique across milestones and measures"],
    );
}

#[test]
fn unknown_items_in_every_file() {
    check(
        &[("milestones.csv", M), ("updates.csv", "milestone,period\n1.2,2013-12\n")],
        &["./updates.csv:2:1: column `milestone`: unknown item \"1.2\"; expected an id from milestones.csv"],
    );
    check(
        &[("measures.csv", ME), ("values.csv", "measure,period,value\nK2,2013-12,1\n")],
        &["./values.csv:2:1: column `measure`: unknown item \"K2\"; expected an id from measures.csv"],
    );
    check(
        &[
            ("measures.csv", ME),
            ("values.csv", "measure,period,value\n"),
            ("targets.csv", "item,period,target\nK9,2013-12,1\n"),
            ("benchmarks.csv", "item,period,benchmark,value\nK8,2013-12,national,1\n"),
        ],
        &[
            "./targets.csv:2:1: column `item`: unknown item \"K9\"; expected an id from milestones.csv or measures.csv",
            "./benchmarks.csv:2:1: column `item`: unknown item \"K8\"; expected an id from milestones.csv or measures.csv",
        ],
    );
}

#[test]
fn bad_numbers_nan_and_infinity() {
    check(
        &[
            ("measures.csv", ME),
            ("values.csv", "measure,period,value\nK1,2013-12,12..5\nK1,2013-11,NaN\nK1,2013-10,1e400\nK1,2013-09,inf\n"),
        ],
        &[
            "./values.csv:2:3: column `value`: \"12..5\" is not a number; expected a number such as 61.9, 61.9% or 1,380",
            "./values.csv:3:3: column `value`: \"NaN\" is not a number; expected a number such as 61.9, 61.9% or 1,380",
            "./values.csv:4:3: column `value`: \"1e400\" is too large; expected a finite number",
            "./values.csv:5:3: column `value`: \"inf\" is not a number; expected a number such as 61.9, 61.9% or 1,380",
        ],
    );
}

#[test]
fn us_order_dates_are_errors_not_guesses() {
    check(
        &[("milestones.csv", "priority,milestone,title,due\n1,1.1,One,07/25/2013\n1,1.2,Two,31/02/2014\n"), ("updates.csv", U)],
        &[
            "./milestones.csv:2:4: column `due`: \"07/25/2013\" reads as month 25: dates are day/month/year, not US month/day/year; expected a date such as 2014-03-31 or 31/03/2014 (day/month/year)",
            "./milestones.csv:3:4: column `due`: \"31/02/2014\" is not a real date; expected a date such as 2014-03-31 or 31/03/2014 (day/month/year)",
        ],
    );
}

#[test]
fn impossible_periods() {
    check(
        &[("milestones.csv", M), ("updates.csv", "milestone,period\n1.1,2013/14 Q0\n1.1,2013/14 Q5\n1.1,2013-13\n1.1,2013/15\n")],
        &[
            "./updates.csv:2:2: column `period`: quarter 0 does not exist; expected Q1 to Q4",
            "./updates.csv:3:2: column `period`: quarter 5 does not exist; expected Q1 to Q4",
            "./updates.csv:4:2: column `period`: month 13 does not exist; expected a period such as 2013-12, Dec 2013, 2013/14 Q3, 2013/14 or 2013",
            "./updates.csv:5:2: column `period`: \"2013/15\" is not a year such as 2013/14 (the second year must follow the first); expected a period such as 2013-12, Dec 2013, 2013/14 Q3, 2013/14 or 2013",
        ],
    );
}

#[test]
fn flags_statuses_polarities_frequencies() {
    check(
        &[("milestones.csv", M), ("updates.csv", "milestone,period,complete,status\n1.1,2013-12,done,Purple\n")],
        &[
            "./updates.csv:2:3: column `complete`: \"done\" is not a yes/no flag; expected yes/no, y/n, true/false or 1/0",
            "./updates.csv:2:4: column `status`: \"Purple\" is not a status; expected Green, Amber, Red, Blue (or G, A, R, B)",
        ],
    );
    check(
        &[
            ("measures.csv", "measure,title,polarity,frequency\nK1,Kpi,upwards,monthly\nK2,Kpi,high,fortnightly\n"),
            ("values.csv", "measure,period,value\n"),
        ],
        &[
            "./measures.csv:2:3: column `polarity`: \"upwards\" is not a polarity; expected high, low or neutral",
            "./measures.csv:3:4: column `frequency`: \"fortnightly\" is not a frequency; expected monthly, quarterly or annual",
        ],
    );
}

#[test]
fn ragged_rows_without_cascades() {
    check(
        &[("milestones.csv", "priority,milestone,title\n1,1.1,One,extra\n"), ("updates.csv", U)],
        &["./milestones.csv:2: this row has 4 fields but the header has 3; check for a stray or missing comma or quote"],
    );
}

#[test]
fn denominators_and_numerators() {
    check(
        &[("measures.csv", ME), ("values.csv", "measure,period,value,numerator,denominator\nK1,2013-12,0,0,0\nK1,2013-11,50,1,-2\nK1,2013-10,120,12,10\nK1,2013-09,50,5,\n")],
        &[
            "./values.csv:2:5: column `denominator`: 0 is not a usable denominator; expected a count above 0",
            "./values.csv:3:5: column `denominator`: -2 is not a usable denominator; expected a count above 0",
            "./values.csv:4:4: column `numerator`: numerator 12 is not between 0 and the denominator 10; expected a count of the denominator's cases",
            "./values.csv:5:5: column `denominator`: is blank but its partner is given; expected both numerator and denominator, or neither",
        ],
    );
}

#[test]
fn targets_on_neutral_measures_and_thresholds_on_the_wrong_side() {
    check(
        &[("measures.csv", "measure,title,polarity,frequency,target,amber_threshold\nK1,Kpi,neutral,monthly,5,\nK2,Kpi,high,monthly,90,95\n"), ("values.csv", "measure,period,value\n")],
        &[
            "./measures.csv:2:5: column `target`: a neutral measure is not rated, so it cannot have a target; expected a blank target or a polarity of high or low",
            "./measures.csv:3:6: column `amber_threshold`: amber threshold 95 is on the wrong side of the target 90; for high is good it must be at or below the target",
        ],
    );
}

#[test]
fn values_must_be_for_the_measures_own_periods_once() {
    check(
        &[("measures.csv", ME), ("values.csv", "measure,period,value\nK1,2013/14 Q3,80\nK1,2013-12,80\nK1,Dec 2013,81\n")],
        &[
            "./values.csv:2:2: column `period`: 2013/14 Q3 is not a monthly period of measure \"K1\" (financial year); expected a month such as 2013-12",
            "./values.csv:4:2: column `period`: measure \"K1\" already has a value for 2013-12 at line 3; expected one value per measure and period",
        ],
    );
}

#[test]
fn plan_toml_problems_have_positions() {
    check(
        &[("plan.toml", "name = 'x'\nyear_type = 'finacial'\n"), ("milestones.csv", M), ("updates.csv", U)],
        &["./plan.toml:2:13: year_type = \"finacial\" is not a year type; expected financial, academic or calendar"],
    );
    check(
        &[("plan.toml", "[rules]\ntolerance = 0.1\n"), ("milestones.csv", M), ("updates.csv", U)],
        &["./plan.toml:2:1: unknown field `tolerance`, expected one of `default_tolerance`, `similar_within`, `wilson_z`, `dot_basis_annual`, `dot_basis_other`, `due_on_last_day_is_overdue`, `benchmark_levels`, `recent_trend`, `progress_amber`, `progress_red`, `forecast_points`, `forecast_min_points`, `rollup`, `rollup_blue`, `rollup_green_at`, `rollup_amber_at`, `stale_after`, `spc`, `spc_min_points`, `spc_run_length`, `spc_screen_outliers`, `spc_two_sigma`, `spc_baseline`; expected name, year_type, council, document_status, a [rules] and a [labels] section (see the README for their names)"],
    );
    check(
        &[("plan.toml", "[rules]\ndefault_tolerance = 2\n"), ("milestones.csv", M), ("updates.csv", U)],
        &["./plan.toml:2:1: [rules] default_tolerance = 2 must be at least 0 and below 1"],
    );
}

#[test]
fn windows_1252_text_comes_through_as_utf8() {
    // Excel's "CSV" on Windows: £ is 0xA3, curly quotes 0x93/0x94.
    let plan = TempPlan::new(&[("updates.csv", U)]);
    std::fs::write(plan.dir.path().join("milestones.csv"), b"priority,milestone,title\r\n1,1.1,\x93Save \xa3100\x94 for families\r\n")
        .unwrap();
    let run = scorecard(&["rate", &plan.path()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains(",“Save £100” for families,"), "{}", run.stdout);
}

#[test]
fn long_fields_and_extreme_numbers_are_rated() {
    let title = "x".repeat(100_000);
    let milestones = format!("priority,milestone,title,target,polarity\n1,1.1,{title},1e-300,high\n1,1.2,Big,1e15,low\n");
    let plan = TempPlan::new(&[
        ("milestones.csv", &milestones),
        ("updates.csv", "milestone,period,value\n1.1,2013-12,2e-300\n1.2,2013-12,\"1,000,000\"\n"),
    ]);
    let run = scorecard(&["rate", &plan.path()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains(&title));
    assert!(
        run.stdout.contains("Green: 2e-300 against a target of 1e-300 (high is good, amber threshold 9.5e-301)"),
        "{}",
        &run.stdout[run.stdout.len() - 600..]
    );
    assert!(
        run.stdout.contains("Green: 1000000 against a target of 1e15 (low is good, amber threshold 1.05e15)"),
        "{}",
        &run.stdout[run.stdout.len() - 600..]
    );
}

#[test]
fn a_failed_rate_leaves_no_output_and_keeps_an_existing_file() {
    let plan = TempPlan::new(&[("milestones.csv", M), ("updates.csv", "milestone,period,status\n1.1,2013-12,Gren\n")]);
    let out = plan.dir.path().join("ratings.csv");
    std::fs::write(&out, "yesterday's ratings\n").unwrap();
    let run = scorecard(&["rate", &plan.path(), "-o", out.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "yesterday's ratings\n");
    let leftovers: Vec<_> = std::fs::read_dir(plan.dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(leftovers.len(), 3, "{leftovers:?}");
}

#[test]
fn a_write_that_fails_leaves_nothing_behind() {
    // The output's folder cannot be made: a file stands where it should be.
    let plan = TempPlan::new(&[("milestones.csv", M), ("updates.csv", U), ("blocker", "")]);
    let out = plan.dir.path().join("blocker").join("ratings.csv");
    let run = scorecard(&["rate", &plan.path(), "-o", out.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("cannot create the folder"), "{}", run.stderr);
    let names: Vec<_> = std::fs::read_dir(plan.dir.path()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    let mut names = names;
    names.sort();
    assert_eq!(names, vec!["blocker", "milestones.csv", "updates.csv"]);
}

#[test]
fn an_oversized_plan_file_is_refused_with_a_clear_message() {
    let plan = TempPlan::new(&[("milestones.csv", M)]);
    // A sparse 1 GB file: refused from its size, before any of it is read.
    let big = std::fs::File::create(plan.dir.path().join("updates.csv")).unwrap();
    big.set_len(1_000_000_000).unwrap();
    let run = scorecard_in(plan.dir.path(), &["validate", "."]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stderr.lines().next().unwrap(), "./updates.csv: is 1000 MB; a plan file may be at most 256 MB (a plan is read whole into memory): split the plan, for example one folder per year, and rate them together with `scorecard batch`");
}

#[cfg(unix)]
#[test]
fn output_files_are_readable_by_others_like_any_saved_file() {
    use std::os::unix::fs::PermissionsExt;
    let plan = TempPlan::new(&[("milestones.csv", M), ("updates.csv", U)]);
    let out = plan.dir.path().join("ratings.csv");
    let run = scorecard(&["rate", &plan.path(), "-o", out.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(std::fs::metadata(&out).unwrap().permissions().mode() & 0o777, 0o644);
}
