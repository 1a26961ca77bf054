//! `scorecard import` (issue #13): a Fingertips "all data" download (`fixtures/
//! fingertips-download.csv`, hand-made in the real format) imported into a plan that then rates.

use crate::util::*;

const MEASURES: &str = "measure,title,polarity,frequency,group,unit,target,amber_threshold,year_type,ci_method,fingertips_id
PH01,Adults who smoke (%),low,annual,Public health,%,13,14,calendar,,92443
PH02,Physically active adults (%),high,annual,Public health,%,62,60,financial,wilson,93014
PH03,\"Deaths under 75 from all causes (per 100,000)\",low,annual,Public health,\"per 100,000\",300,320,calendar,byars,40401
";
const PLAN: &str = "name = \"Public health\"\nyear_type = \"calendar\"\n\n[rules]\nbenchmark_levels = [95, 99.8]\n";

fn import(plan: &TempPlan, extra: &[&str]) -> Run {
    let download = root().join("fixtures/fingertips-download.csv").display().to_string();
    let out = plan.path();
    let mut args = vec!["import", "fingertips", download.as_str(), "--area", "E08000018", "-o", out.as_str()];
    args.extend_from_slice(extra);
    scorecard(&args)
}

#[test]
fn a_fingertips_download_imports_into_a_plan_that_rates() {
    let plan = TempPlan::new(&[("measures.csv", MEASURES), ("plan.toml", PLAN)]);
    let run = import(&plan, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("imported 15 values and 30 benchmarks; 1 rows left out by --sex, --age and --category; 3 rows not placed"),
        "{}",
        run.stdout
    );
    // Every row that could not be placed, with its line.
    assert!(
        run.stderr.contains(
            "fingertips-download.csv:63: indicator 90366 (Life expectancy at birth) is no measure's fingertips_id; 1 rows left out"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(":64: time period \"2022\" is not one of measure \"PH02\"'s periods (annual, financial year)"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains(":65: no value for 2017 (suppressed or missing)"), "{}", run.stderr);
    // Rolling periods `2016 - 18` land on their last year; intervals as published.
    let values = std::fs::read_to_string(plan.dir.path().join("values.csv")).unwrap();
    assert!(values.starts_with("measure,period,value,numerator,denominator,lower_ci,upper_ci,lower_ci_99_8,upper_ci_99_8\nPH01,2018,17.6,,,14.8,20.4,13.18,22.02\n"), "{values}");
    assert!(values.contains("\nPH03,2018,313.6,690,660000,291.7,335.6,,\n"), "{values}");

    let rated = scorecard(&["rate", plan.path().as_str(), "--period", "2022"]);
    assert_eq!(rated.code, 0, "{}", rated.stderr);
    let smoking = rated.stdout.lines().find(|l| l.contains(",PH01,")).expect("PH01 rated");
    // Rotherham's smoking falls 17.6 → 12.1 with ±2.8 intervals: significant, and low is good.
    assert!(smoking.contains(",decreasing,getting_better,"), "{smoking}");
    assert!(rated.stdout.lines().next().unwrap().ends_with("vs_national,gap_national,sig_national,vs_region,gap_region,sig_region"));
    let active = rated.stdout.lines().find(|l| l.contains(",PH02,")).expect("PH02 rated");
    // 58.2% of 500 against England's 67.1%: outside the 99.8% interval too.
    assert!(active.contains(",worse,-8.9,99.8,"), "{active}");
}

#[test]
fn existing_files_are_merged_only_when_asked() {
    let values = "measure,period,value\nPH01,2017,18.9\nPH01,2018,99\n";
    let plan = TempPlan::new(&[("measures.csv", MEASURES), ("plan.toml", PLAN), ("values.csv", values)]);
    let run = import(&plan, &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("values.csv exists; give --merge"), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(plan.dir.path().join("values.csv")).unwrap(), values);
    let run = import(&plan, &["--merge"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let merged = std::fs::read_to_string(plan.dir.path().join("values.csv")).unwrap();
    // 2017 kept, 2018 replaced by the download's 17.6.
    assert!(merged.starts_with("measure,period,value,numerator,denominator,lower_ci,upper_ci,lower_ci_99_8,upper_ci_99_8\nPH01,2017,18.9,,,,,,\nPH01,2018,17.6,"), "{merged}");
    assert!(!merged.contains(",99\n"), "{merged}");
}

/// The report (issue #13 item 5): trend words under direction of travel, the level beside a
/// benchmark judgement, and "Significantly worse and getting worse" for a measure falling
/// 30 → 22 (±0.5, high is good) against England's 40.
#[test]
fn the_report_lists_measures_worse_and_getting_worse() {
    let plan = TempPlan::new(&[
        ("plan.toml", PLAN),
        ("measures.csv", "measure,title,polarity,frequency,unit,target,year_type\nA1,Adults active,high,annual,%,35,calendar\nA2,Adults eating well,high,annual,%,35,calendar\n"),
        (
            "values.csv",
            "measure,period,value,lower_ci,upper_ci,lower_ci_99_8,upper_ci_99_8\nA1,2018,30,29.5,30.5,,\nA1,2019,28,27.5,28.5,,\nA1,2020,26,25.5,26.5,,\nA1,2021,24,23.5,24.5,,\nA1,2022,22,21.5,22.5,21.2,22.8\nA2,2022,41,40.5,41.5,,\n",
        ),
        ("benchmarks.csv", "item,period,benchmark,value\nA1,2022,national,40\nA2,2022,national,40\n"),
    ]);
    let out = tempfile::tempdir().unwrap();
    let run = scorecard(&["report", plan.path().as_str(), "--period", "2022", "-o", out.path().to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = std::fs::read_to_string(out.path().join("report.html")).unwrap();
    assert!(
        html.contains("Recent trend: decreasing, getting worse<span class=\"test\"> (weighted regression on the confidence intervals over 2018 to 2022"),
        "{html}"
    );
    assert!(html.contains("<strong>Worse (99.8%)</strong>"), "{html}");
    let section = html.split("<h2 id=\"wgw-h\">Significantly worse and getting worse</h2>").nth(1).expect("the section");
    let section = section.split("</section>").next().unwrap();
    assert!(section.contains("A1") && !section.contains("A2"), "{section}");
    // Beside the exceptions (issue #13 item 5): the section straight after them.
    let (exceptions, wgw) = (html.find("id=\"exceptions\"").expect("exceptions"), html.find("id=\"worse-and-getting-worse\"").unwrap());
    assert!(exceptions < wgw && !html[exceptions..wgw].contains("id=\"overview\""), "the list follows the exceptions");
}

/// `diff` reads the new columns back as rated fields where they judge: a changed
/// `trend_judgement` or `sig_<label>` is a change of rating (exit 1), a changed `trend_reason`
/// is not.
#[test]
fn diff_counts_trend_judgement_and_sig_as_ratings() {
    let header = "plan,period,kind,item,status,trend_judgement,trend_reason,vs_national,sig_national\n";
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, row: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, format!("{header}{row}\n")).unwrap();
        p.display().to_string()
    };
    let old = write("old.csv", "p,2022,measure,A1,Red,no_significant_change,x,worse,95");
    for (row, code) in [
        ("p,2022,measure,A1,Red,getting_worse,x,worse,95", 1),
        ("p,2022,measure,A1,Red,no_significant_change,x,worse,99.8", 1),
        ("p,2022,measure,A1,Red,no_significant_change,y,worse,95", 0),
    ] {
        let new = write("new.csv", row);
        let run = scorecard(&["diff", old.as_str(), new.as_str()]);
        assert_eq!(run.code, code, "{row}: {}{}", run.stdout, run.stderr);
    }
}

// `import lginform`: LG Inform's data download of one metric (`fixtures/lginform-export.csv`:
// the site's title lines, a heading line of period identifiers and one of labels, one row per
// area), Rotherham and six CIPFA nearest neighbours, figures invented.

const WASTE: &str = "measure,title,polarity,frequency,unit,target,amber_threshold,year_type,lginform_id
WR01,Household waste recycled (%),high,annual,%,45,42,financial,337
";
const WASTE_PLAN: &str = "name = \"Waste\"\nyear_type = \"financial\"\n";

fn lginform(plan: &TempPlan, export: &str, extra: &[&str]) -> Run {
    let out = plan.path();
    let mut args = vec!["import", "lginform", export, "--area", "E08000018", "-o", out.as_str()];
    args.extend_from_slice(extra);
    scorecard(&args)
}

#[test]
fn an_lginform_export_imports_into_a_plan_that_rates() {
    let plan = TempPlan::new(&[("measures.csv", WASTE), ("plan.toml", WASTE_PLAN)]);
    let export = root().join("fixtures/lginform-export.csv").display().to_string();
    let run = lginform(&plan, &export, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Rotherham's 5 years; England's 4 (2023/24 is empty); the neighbours' mean for 5 years.
    assert!(run.stdout.contains("imported 5 values and 9 benchmarks; 3 cells or rows not placed"), "{}", run.stdout);
    // Every cell or row it cannot place, with its line (the title lines count: the header is line 4).
    for want in [
        "lginform-export.csv:7: area E92000001: no value for 2023/24 (suppressed or missing)",
        "lginform-export.csv:10: area E08000036: \"Suppressed\" for 2022/23 is not a number (suppressed?)",
        "lginform-export.csv:14: area \"Rotherham_CIPFA_Near_Neighbours\" is not an area code (a group's summary row?)",
    ] {
        assert!(run.stderr.contains(want), "{want}\n{}", run.stderr);
    }
    let values = std::fs::read_to_string(plan.dir.path().join("values.csv")).unwrap();
    // `fin_2019_20` (the identifier line) is 2019/20: the area's row as values.
    assert!(values.contains("\nWR01,2019/20,40.1,,,,,,\n") && values.contains("\nWR01,2023/24,42.6,,,,,,\n"), "{values}");
    let benchmarks = std::fs::read_to_string(plan.dir.path().join("benchmarks.csv")).unwrap();
    // England's row as `national`; the comparators' mean as `cipfa_neighbours`:
    // 2019/20: (42.0 + 44.3 + 40.2 + 38.5 + 45.1 + 37.6) / 6 = 247.7 / 6 = 41.283333;
    // 2022/23 without Wakefield's suppressed cell: (43.1 + 44.0 + 39.4 + 45.6 + 38.9) / 5 = 42.2;
    // 2023/24: (43.5 + 44.8 + 41.9 + 40.0 + 46.1 + 39.5) / 6 = 255.8 / 6 = 42.633333.
    for want in [
        "\nWR01,2022/23,national,41.7,,\n",
        "\nWR01,2019/20,cipfa_neighbours,41.283333,,\n",
        "\nWR01,2022/23,cipfa_neighbours,42.2,,\n",
        "\nWR01,2023/24,cipfa_neighbours,42.633333,,\n",
    ] {
        assert!(benchmarks.contains(want), "{want}\n{benchmarks}");
    }
    assert!(!benchmarks.contains("2023/24,national"), "{benchmarks}");

    let rated = scorecard(&["rate", plan.path().as_str(), "--period", "2023/24"]);
    assert_eq!(rated.code, 0, "{}", rated.stderr);
    let row = rated.stdout.lines().find(|l| l.contains(",WR01,")).expect("WR01 rated");
    // 42.6 against 45, amber threshold 42: Amber. Against the neighbours' 42.633333: worse by
    // 0.033333; against England's latest (2022/23, 41.7): better by 0.9.
    assert!(
        row.contains(",Amber,Amber,false,\"Amber: 42.6 for 2023/24 against a target of 45 (high is good, amber threshold 42)\""),
        "{row}"
    );
    assert!(row.ends_with(",worse,-0.033333,,better,0.9,"), "{row}");
}

#[test]
fn lginform_periods_map_to_the_measures_own_periods() {
    // Quarters (`Q3 2023/24`, `2023/24 Q4`), rolling periods at their last year (`2020 - 22`),
    // and what does not fit the measure, reported at the header line.
    let measures = "measure,title,polarity,frequency,year_type,lginform_id\n\
                    Q1,Quarterly,high,quarterly,financial,100\n\
                    A1,Rolling,low,annual,calendar,200\n";
    let cases: [(&str, &str, &[&str], &[&str]); 3] = [
        (
            "100",
            "area,area label,Q2 2023/24,Q3 2023/24,2023/24 Q4,2023/24\nE08000018,Rotherham,10,11,12,13\nE08000016,Barnsley,20,21,,23\n",
            &["\nQ1,2023/24 Q2,10,", "\nQ1,2023/24 Q3,11,", "\nQ1,2023/24 Q4,12,"],
            &[":1: column 6: period \"2023/24\" is not one of measure \"Q1\"'s periods (quarterly, financial year)", ":3: area E08000016: no value for 2023/24 Q4"],
        ),
        (
            "200",
            "area,area label,area long label,2018 - 20,2019 - 21,2020 - 22,cal_2023,fin_2023_24\nE08000018,Rotherham,Rotherham,5.5,5.25,5.0,4.75,1\n",
            &["\nA1,2020,5.5,", "\nA1,2021,5.25,", "\nA1,2022,5,", "\nA1,2023,4.75,"],
            &[":1: column 8: period \"fin_2023_24\" is a financial year; measure \"A1\"'s periods are of the calendar year"],
        ),
        (
            "200",
            "area,2018/19 (academic),2022\nE08000018,3,4\n",
            &["\nA1,2022,4,"],
            &[":1: column 2: period \"2018/19 (academic)\" is an academic year; measure \"A1\"'s periods are of the calendar year"],
        ),
    ];
    for (metric, export, values, errors) in cases {
        let plan = TempPlan::new(&[("measures.csv", measures)]);
        let file = plan.dir.path().join("export.csv");
        std::fs::write(&file, export).unwrap();
        let run = lginform(&plan, &file.display().to_string(), &["--metric", metric]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let written = std::fs::read_to_string(plan.dir.path().join("values.csv")).unwrap();
        for v in values {
            assert!(written.contains(v), "{v}\n{written}");
        }
        for e in errors {
            assert!(run.stderr.contains(e), "{e}\n{}", run.stderr);
        }
    }
}

#[test]
fn lginform_needs_its_metric_named_when_several_measures_have_one() {
    let measures = "measure,title,polarity,frequency,lginform_id\nA,One,high,annual,1\nB,Two,high,annual,2\n";
    let plan = TempPlan::new(&[("measures.csv", measures)]);
    let file = plan.dir.path().join("export.csv");
    std::fs::write(&file, "area,2022/23\nE08000018,1\n").unwrap();
    let run = lginform(&plan, &file.display().to_string(), &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("more than one measure has an lginform_id; give --metric ID"), "{}", run.stderr);
    let run = lginform(&plan, &file.display().to_string(), &["--metric", "3"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("metric \"3\" is no measure's lginform_id"), "{}", run.stderr);
    assert!(!plan.dir.path().join("values.csv").exists(), "nothing written");
    let run = lginform(&plan, &file.display().to_string(), &["--metric", "2"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(std::fs::read_to_string(plan.dir.path().join("values.csv")).unwrap().contains("\nB,2022/23,1,"));
}
