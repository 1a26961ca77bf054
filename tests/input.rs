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
