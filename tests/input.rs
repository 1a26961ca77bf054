//! The plan's optional input columns of issue #15: `commentary` in `values.csv`, `lead`,
//! `portfolio` and `aggregation` in `measures.csv`, `council` and `document_status` in
//! `plan.toml`; read through the public reader, and absent columns changing nothing.

use scorecard_core::{rate, Aggregation, Plan, RateOptions};

fn plan(files: &[(&str, &str)]) -> Plan {
    let files = files.iter().map(|(n, t)| (n.to_string(), t.as_bytes().to_vec())).collect();
    Plan::from_files("p", "p", files).unwrap_or_else(|e| panic!("{e}"))
}

fn problems(files: &[(&str, &str)]) -> String {
    let files = files.iter().map(|(n, t)| (n.to_string(), t.as_bytes().to_vec())).collect();
    Plan::from_files("p", "p", files).expect_err("an input error").to_string()
}

const MEASURES: &str = "measure,title,polarity,frequency,unit,target,lead,portfolio,aggregation\n\
    K1,Assessments on time,high,monthly,%,90,Jo Bloggs (Head of Early Help),Children and Young People,\n\
    K2,Youth sessions attended,high,monthly,attendances,,,,\n\
    K3,Days to complete,low,monthly,days,20,,,mean\n";
const VALUES: &str = "measure,period,value,numerator,denominator,commentary\n\
    K1,2013-11,88.6,101,114,Two staff vacancies filled in October\n\
    K1,2013-12,90.8,108,119,\n\
    K2,2013-12,340,,,\n\
    K3,2013-12,18,,,\n";

#[test]
fn measure_lead_portfolio_and_value_commentary_are_read() {
    let p = plan(&[("measures.csv", MEASURES), ("values.csv", VALUES)]);
    assert_eq!(p.measures[0].lead, "Jo Bloggs (Head of Early Help)");
    assert_eq!(p.measures[0].portfolio, "Children and Young People");
    assert_eq!(p.measures[1].lead, "");
    assert_eq!(p.values[0].commentary, "Two staff vacancies filled in October");
    assert_eq!(p.values[1].commentary, "");
    // The commentary of a rating is its value's at the rated period M: at 2013/14 Q3 the
    // monthly K1 is rated on 2013-12, which has none; at 2013-11 it has one.
    let nov = p.parse_period("2013-11").unwrap();
    let ratings = rate(&p, nov, RateOptions::default()).unwrap();
    assert_eq!(p.rating_commentary(&ratings.rows[0]), "Two staff vacancies filled in October");
    let q3 = p.parse_period("2013/14 Q3").unwrap();
    let ratings = rate(&p, q3, RateOptions::default()).unwrap();
    assert_eq!(ratings.rows[0].rated_period.to_string(), "2013-12");
    assert_eq!(p.rating_commentary(&ratings.rows[0]), "");
}

#[test]
fn aggregation_is_as_given_else_by_unit() {
    let p = plan(&[("measures.csv", MEASURES), ("values.csv", VALUES)]);
    // K1 is a percentage with no aggregation given: pooled; K2 counts attendances: a sum;
    // K3 says mean.
    let got: Vec<Aggregation> = p.measures.iter().map(|m| m.aggregation()).collect();
    assert_eq!(got, [Aggregation::Pooled, Aggregation::Sum, Aggregation::Mean]);
    assert_eq!(Aggregation::default_for_unit("per 10,000"), Aggregation::Pooled);
    assert_eq!(Aggregation::default_for_unit(""), Aggregation::Mean);
    let bad = MEASURES.replace("days,20,,,mean", "days,20,,,median");
    assert_eq!(
        problems(&[("measures.csv", &bad), ("values.csv", VALUES)]),
        "p/measures.csv:4:9: column `aggregation`: \"median\" is not an aggregation; expected sum, mean or pooled"
    );
}

#[test]
fn council_and_document_status_come_from_plan_toml() {
    let toml =
        "name = \"Children's Plan\"\ncouncil = \"Rotherham Metropolitan Borough Council\"\ndocument_status = \"Draft for Cabinet\"\n";
    let p = plan(&[("plan.toml", toml), ("measures.csv", MEASURES), ("values.csv", VALUES)]);
    assert_eq!(p.council.as_deref(), Some("Rotherham Metropolitan Borough Council"));
    assert_eq!(p.document_status.as_deref(), Some("Draft for Cabinet"));
    let p = plan(&[("measures.csv", MEASURES), ("values.csv", VALUES)]);
    assert_eq!((p.council, p.document_status), (None, None));
}

#[test]
fn the_optional_columns_change_no_rating() {
    // The same plan without the new columns rates to the same bytes.
    let bare_measures = "measure,title,polarity,frequency,unit,target\n\
        K1,Assessments on time,high,monthly,%,90\nK2,Youth sessions attended,high,monthly,attendances,\n\
        K3,Days to complete,low,monthly,days,20\n";
    let bare_values = "measure,period,value,numerator,denominator\nK1,2013-11,88.6,101,114\nK1,2013-12,90.8,108,119\n\
        K2,2013-12,340,,\nK3,2013-12,18,,\n";
    let csv = |p: &Plan| {
        let t = p.parse_period("2013-12").unwrap();
        let r = rate(p, t, RateOptions::default()).unwrap();
        let mut out = Vec::new();
        scorecard_core::write(&r, scorecard_core::Format::Csv, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    };
    let with = plan(&[("measures.csv", MEASURES), ("values.csv", VALUES)]);
    let without = plan(&[("measures.csv", bare_measures), ("values.csv", bare_values)]);
    assert_eq!(csv(&with), csv(&without));
}

const QUARTERLY_MILESTONES: &str = "priority,milestone,title\n1,1.1,Open the centre\n1,1.2,Train the staff\n";
const QUARTERLY_UPDATES: &str = "milestone,period,value,complete,issues,status,commentary\n\
    1.1,2013/14 Q2,,yes,,,\n1.2,2013/14 Q2,12,,yes,,\n1.1,2013/14 Q3,,,yes,,\n1.2,2013/14 Q3,,,,,Recruited two trainers\n";
const MONTHLY_MEASURES: &str = "measure,title,polarity,frequency,unit,target\nK1,Assessments on time,high,monthly,%,90\n";
const MONTHLY_VALUES: &str = "measure,period,value\nK1,2013-12,88\nK1,2014-01,91\n";

#[test]
fn an_update_with_flags_but_no_commentary_says_what_it_holds() {
    let p = plan(&[("milestones.csv", QUARTERLY_MILESTONES), ("updates.csv", QUARTERLY_UPDATES)]);
    let q2 = p.parse_period("2013/14 Q2").unwrap();
    let q3 = p.parse_period("2013/14 Q3").unwrap();
    let q4 = p.parse_period("2013/14 Q4").unwrap();
    assert_eq!(p.update_note(0, q2).as_deref(), Some("No commentary; marked complete"));
    assert_eq!(p.update_note(1, q2).as_deref(), Some("No commentary; issues flagged, 12 reported"));
    assert_eq!(p.update_note(1, q3).as_deref(), Some("Recruited two trainers"));
    assert_eq!(p.update_note(0, q4), None);
}

#[test]
fn the_report_period_is_the_latest_with_milestone_updates_when_the_months_run_on() {
    // Values run to January 2014; the milestones were last updated for 2013/14 Q3. At
    // 2014-01 every milestone would be Blue, so the report takes 2013/14 Q3.
    let files = [
        ("milestones.csv", QUARTERLY_MILESTONES),
        ("updates.csv", QUARTERLY_UPDATES),
        ("measures.csv", MONTHLY_MEASURES),
        ("values.csv", MONTHLY_VALUES),
    ];
    let p = plan(&files);
    let (period, moved_from) = p.report_period().unwrap();
    assert_eq!((period.to_string(), moved_from.map(|m| m.to_string())), ("2013/14 Q3".into(), Some("2014-01".into())));
    // Without the January value the latest period is December 2013, a month: no update for
    // it either, so again 2013/14 Q3.
    let files = [
        ("milestones.csv", QUARTERLY_MILESTONES),
        ("updates.csv", QUARTERLY_UPDATES),
        ("measures.csv", MONTHLY_MEASURES),
        ("values.csv", "measure,period,value\nK1,2013-12,88\n"),
    ];
    let (period, _) = plan(&files).report_period().unwrap();
    assert_eq!(period.to_string(), "2013/14 Q3");
    // A plan of measures alone keeps its latest period.
    let (period, moved) = plan(&[("measures.csv", MONTHLY_MEASURES), ("values.csv", MONTHLY_VALUES)]).report_period().unwrap();
    assert_eq!((period.to_string(), moved), ("2014-01".into(), None));
}

#[test]
fn report_says_when_it_moves_the_default_period() {
    let plan = crate::util::TempPlan::new(&[
        ("milestones.csv", QUARTERLY_MILESTONES),
        ("updates.csv", QUARTERLY_UPDATES),
        ("measures.csv", MONTHLY_MEASURES),
        ("values.csv", MONTHLY_VALUES),
    ]);
    let out = plan.dir.path().join("out");
    let run = crate::util::scorecard(&["report", &plan.path(), "-o", &out.display().to_string()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "note: no milestone has an update for January 2014, the latest period with values; reporting at 2013/14 Q3, the latest with updates (give --period to choose)\n"
    );
    assert!(run.stdout.contains("at 2013/14 Q3"), "{}", run.stdout);
}

#[test]
fn outputs_named_for_another_format_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let cyp = crate::util::fixture("cyp-2013");
    let out = |name: &str| tmp.path().join(name).display().to_string();
    // `rate -o r.xlsx` wrote CSV into a file Excel then refused to open.
    let run = crate::util::scorecard(&["rate", &cyp, "-o", &out("r.xlsx")]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        format!(
            "scorecard: {}: .xlsx is not a format this command writes; expected a file named .csv, .json or .parquet (or one with no extension, written as CSV)\n",
            out("r.xlsx")
        )
    );
    assert!(!tmp.path().join("r.xlsx").exists());
    let run = crate::util::scorecard(&["rate", &cyp, "--format", "json", "-o", &out("r.csv")]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("the extension .csv names another format than JSON"), "{}", run.stderr);
    let run = crate::util::scorecard(&["overview", &cyp, "-o", &out("o.docx")]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains(".docx is not a format this command writes; expected a file named .md, .csv, .json or .html"),
        "{}",
        run.stderr
    );
    let run = crate::util::scorecard(&["batch", &cyp, "-o", &out("b.txt")]);
    assert_eq!(run.code, 2);
    // Matching names, and names without an extension, are written.
    for (args, file) in
        [(&["rate", &cyp, "-o"][..], "r.json"), (&["rate", &cyp, "-o"][..], "ratings"), (&["overview", &cyp, "-o"][..], "o.htm")]
    {
        let mut a = args.to_vec();
        let path = out(file);
        a.push(&path);
        let run = crate::util::scorecard(&a);
        assert_eq!(run.code, 0, "{file}: {}", run.stderr);
        assert!(tmp.path().join(file).exists());
    }
}
