//! Issue #13: recent trend, confidence intervals and two-level significance through the public
//! entry points (`Plan::from_files` and `rate`), with the peers' figures where they give them.

use scorecard_core::{rate, Level, Plan, RateOptions, Rating, Trend, TrendJudgement, Versus};

fn plan(files: &[(&str, &str)]) -> Plan {
    let files = files.iter().map(|(n, t)| (n.to_string(), t.as_bytes().to_vec())).collect();
    Plan::from_files("test", "test", files).unwrap_or_else(|e| panic!("{e}"))
}

fn rating(p: &Plan, period: &str, item: &str) -> Rating<'static> {
    let t = p.parse_period(period).expect("period");
    let ratings = rate(p, t, RateOptions::default()).expect("rates");
    ratings.rows.into_iter().find(|r| r.item == item).unwrap_or_else(|| panic!("no rating for {item}"))
}

const TWO_LEVELS: &str = "[rules]\nbenchmark_levels = [95, 99.8]\n";

/// fingertips-open `SingleOverlappingCIsForTwoCILevelsComparerTest`: a value of 2.6 with 95%
/// limits 2.5 to 2.7 and 99.8% limits 2.3 to 2.9, against benchmarks 3.0, 2.8, 2.6, 2.4, 2.2.
/// Fingertips' Best/Worst are `sig` 99.8, its Better/Worse `sig` 95, its Same `similar`.
#[test]
fn two_levels_match_fingertips_overlapping_intervals() {
    let benchmarks =
        "item,period,benchmark,value\nM,2018,a_3_0,3.0\nM,2018,b_2_8,2.8\nM,2018,c_2_6,2.6\nM,2018,d_2_4,2.4\nM,2018,e_2_2,2.2\n";
    for (polarity, want) in [
        ("low", [Versus::Better, Versus::Better, Versus::Similar, Versus::Worse, Versus::Worse]),
        ("high", [Versus::Worse, Versus::Worse, Versus::Similar, Versus::Better, Versus::Better]),
    ] {
        let p = plan(&[
            ("plan.toml", TWO_LEVELS),
            ("measures.csv", &format!("measure,title,polarity,frequency,year_type\nM,Rate,{polarity},annual,calendar\n")),
            ("values.csv", "measure,period,value,lower_ci,upper_ci,lower_ci_99_8,upper_ci_99_8\nM,2018,2.6,2.5,2.7,2.3,2.9\n"),
            ("benchmarks.csv", benchmarks),
        ]);
        let r = rating(&p, "2018", "M");
        let vs: Vec<Versus> = r.benchmarks.iter().map(|b| b.versus.expect("judged")).collect();
        assert_eq!(vs, want, "{polarity}");
        let sig: Vec<Option<Level>> = r.benchmarks.iter().map(|b| b.sig).collect();
        assert_eq!(sig, [Some(Level::P99_8), Some(Level::P95), None, Some(Level::P95), Some(Level::P99_8)]);
    }
}

/// At the default single level, `sig` stays empty and `vs` is what it always was.
#[test]
fn one_level_leaves_sig_empty() {
    let p = plan(&[
        ("measures.csv", "measure,title,polarity,frequency,year_type\nM,Rate,low,annual,calendar\n"),
        ("values.csv", "measure,period,value,lower_ci,upper_ci\nM,2018,2.6,2.5,2.7\n"),
        ("benchmarks.csv", "item,period,benchmark,value\nM,2018,national,3.0\n"),
    ]);
    let r = rating(&p, "2018", "M");
    assert_eq!((r.benchmarks[0].versus, r.benchmarks[0].sig), (Some(Versus::Better), None));
}

/// Byars for a count (PHEindicatormethods `testdata_Byars_Wilson.xlsx` row 1): 65 events have
/// the 95% interval 50.163 to 82.849, so a benchmark of 50 is different and 51 similar; at
/// 99.8% (42.880 to 94.000) 50 lies inside, so the difference holds at 95 only.
#[test]
fn byars_counts_compare_with_their_interval() {
    let p = plan(&[
        ("plan.toml", TWO_LEVELS),
        ("measures.csv", "measure,title,polarity,frequency,year_type,ci_method\nM,Deaths,low,annual,calendar,byars\n"),
        ("values.csv", "measure,period,value\nM,2018,65\n"),
        ("benchmarks.csv", "item,period,benchmark,value\nM,2018,a,50\nM,2018,b,51\nM,2018,c,40\n"),
    ]);
    let r = rating(&p, "2018", "M");
    let got: Vec<(Option<Versus>, Option<Level>)> = r.benchmarks.iter().map(|b| (b.versus, b.sig)).collect();
    assert_eq!(got, [(Some(Versus::Worse), Some(Level::P95)), (Some(Versus::Similar), None), (Some(Versus::Worse), Some(Level::P99_8))]);
}

/// fingertips-open `TrendMarkerCalculatorTest` GetTrendData_Set1, 2014 to 2018: with counts,
/// the χ² test for trend (47.9); with the published intervals alone, the weighted regression
/// (46.77). Both rising: getting better when high is good, getting worse when low is good.
#[test]
fn fingertips_set1_trends_through_a_plan() {
    let counts = "measure,period,value,numerator,denominator\nM,2014,2.4666,994,40299\nM,2015,2.4635,1023,41527\nM,2016,2.8007,1199,42811\nM,2017,3.0229,1332,44064\nM,2018,3.0582,1367,44701\n";
    let cis = "measure,period,value,lower_ci,upper_ci\nM,2014,24.67,23.16,26.25\nM,2015,24.6,23.15,26.19\nM,2016,28,26.44,29.64\nM,2017,30.2,28.63,31.9\nM,2018,30.6,28.98,32.25\n";
    for (values, chi2) in [(counts, "47.90"), (cis, "46.77")] {
        for (polarity, judged) in [("high", TrendJudgement::GettingBetter), ("low", TrendJudgement::GettingWorse)] {
            let p = plan(&[
                ("measures.csv", &format!("measure,title,polarity,frequency,unit,year_type\nM,Smoking,{polarity},annual,%,calendar\n")),
                ("values.csv", values),
            ]);
            let r = rating(&p, "2018", "M");
            assert_eq!((r.trend, r.trend_judgement), (Some(Trend::Increasing), Some(judged)), "{}", r.trend_reason);
            assert!(r.trend_reason.contains(&format!("χ² {chi2} above 9.55")), "{}", r.trend_reason);
            assert!(r.trend_reason.contains("over 2014 to 2018"), "{}", r.trend_reason);
        }
    }
}

/// Fewer than five consecutive values up to M, or a gap among them: cannot be calculated, with
/// the reason; a milestone has no trend at all.
#[test]
fn too_few_values_cannot_be_calculated() {
    let p = plan(&[
        ("measures.csv", "measure,title,polarity,frequency,year_type\nM,Rate,high,annual,calendar\n"),
        (
            "values.csv",
            "measure,period,value,lower_ci,upper_ci\nM,2013,20,19,21\nM,2014,21,20,22\nM,2016,22,21,23\nM,2017,23,22,24\nM,2018,24,23,25\n",
        ),
    ]);
    let r = rating(&p, "2018", "M");
    assert_eq!((r.trend, r.trend_judgement), (Some(Trend::CannotBeCalculated), Some(TrendJudgement::NotAssessed)));
    assert_eq!(r.trend_reason, "3 consecutive values up to 2018; the recent trend needs 5");
    let off = plan(&[
        ("plan.toml", "[rules]\nrecent_trend = false\n"),
        ("measures.csv", "measure,title,polarity,frequency,year_type\nM,Rate,high,annual,calendar\n"),
        ("values.csv", "measure,period,value\nM,2018,24\n"),
    ]);
    let r = rating(&off, "2018", "M");
    assert_eq!((r.trend, r.trend_judgement, r.trend_reason.as_ref()), (None, None, ""));
}
