//! `scorecard overview` (issue #3): the priority overview table reproduces the seed's table
//! for the CYP Action Plan, December 2013 (26 / 121 / 7 / 2 / 156; 17% / 78% / 4% / 1%),
//! in every format; every fixture's overview in every format is an insta snapshot in
//! `tests/snapshots/`.

use crate::util::{assert_text_shape, fixture, fixtures, scorecard, TempPlan};

fn overview(args: &[&str]) -> String {
    let mut all = vec!["overview"];
    all.extend_from_slice(args);
    let run = scorecard(&all);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "");
    run.stdout
}

/// The CSV overview as rows of cells.
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(text.as_bytes());
    reader.records().map(|r| r.expect("csv row").iter().map(str::to_string).collect()).collect()
}

#[test]
fn cyp_2013_reproduces_the_seed_table_exactly() {
    let rows = csv_rows(&overview(&[&fixture("cyp-2013"), "--format", "csv"]));
    let counts: Vec<Vec<&str>> =
        rows.iter().map(|r| r.iter().enumerate().filter(|(i, _)| *i != 1).map(|(_, s)| s.as_str()).collect()).collect();
    let seed: [[&str; 6]; 8] = [
        ["priority", "green", "amber", "red", "blue", "total"],
        ["1", "9", "38", "4", "1", "52"],
        ["2", "3", "13", "0", "0", "16"],
        ["3", "6", "12", "0", "1", "19"],
        ["5", "3", "24", "2", "0", "29"],
        ["6", "5", "34", "1", "0", "40"],
        ["Total", "26", "121", "7", "2", "156"],
        ["%", "17%", "78%", "4%", "1%", ""],
    ];
    assert_eq!(counts, seed.iter().map(|r| r.to_vec()).collect::<Vec<_>>());
    assert_eq!(rows[1][1], "We will ensure children have the best start in life");
}

#[test]
fn the_seed_numbers_in_markdown_json_and_html() {
    let plan = fixture("cyp-2013");
    let md = overview(&[&plan]);
    assert!(md.contains("| Total |  | 26 | 121 | 7 | 2 | 156 |"), "{md}");
    assert!(md.contains("| % |  | 17% | 78% | 4% | 1% |  |"), "{md}");

    let json: serde_json::Value = serde_json::from_str(&overview(&[&plan, "-f", "json"])).expect("json");
    assert_eq!(json["total"]["green"], 26);
    assert_eq!(json["total"]["amber"], 121);
    assert_eq!(json["total"]["red"], 7);
    assert_eq!(json["total"]["blue"], 2);
    assert_eq!(json["total"]["total"], 156);
    assert_eq!(json["percent"], serde_json::json!({"green": 17, "amber": 78, "red": 4, "blue": 1}));
    assert_eq!(json["rows"].as_array().map(|r| r.len()), Some(5));
    assert_eq!(json["rows"][3]["priority"], "5");
    assert_eq!(json["rows"][3]["red"], 2);

    let html = overview(&[&plan, "-f", "html"]);
    for cell in [
        "<td class=\"s-green\">26</td>",
        "<td class=\"s-amber\">121</td>",
        "<td class=\"s-red\">7</td>",
        "<td class=\"s-blue\">2</td>",
        "<td class=\"total\">156</td>",
        "<td class=\"s-green\">17%</td>",
        "<td class=\"s-blue\">1%</td>",
    ] {
        assert!(html.contains(cell), "no {cell} in the HTML overview");
    }
    // Every status colour has its word as the column's header.
    assert!(html.contains("<th scope=\"col\" class=\"s-green\">Green</th>"));
    assert!(!html.contains("<script") && !html.contains("http://") && !html.contains("https://"));
}

/// Every format of every fixture's overview at its default period, as text snapshots
/// `integration__overview__overview-<fixture>-<format>.snap`; the bytes a text snapshot does
/// not compare (the end, carriage returns) are checked by `assert_text_shape`.
#[test]
fn every_fixtures_overview_in_every_format_matches_its_snapshot() {
    for name in fixtures() {
        for format in ["markdown", "csv", "json", "html"] {
            let text = overview(&[&fixture(&name), "--format", format]);
            assert_text_shape(&format!("overview {name} --format {format}"), &text);
            insta::with_settings!({ omit_expression => true, description => format!("scorecard overview fixtures/{name} --format {format}") }, {
                insta::assert_snapshot!(format!("overview-{name}-{format}"), text);
            });
        }
    }
}

#[test]
fn computed_counts_the_engines_statuses() {
    // fixtures/README.md: with --computed 19 / 127 / 8 / 2 (5.7 is Red by the rules, seven
    // officer Greens are Amber).
    let json: serde_json::Value = serde_json::from_str(&overview(&[&fixture("cyp-2013"), "--computed", "-f", "json"])).expect("json");
    assert_eq!(json["status"], "computed");
    let t = &json["total"];
    assert_eq!((t["green"].as_u64(), t["amber"].as_u64(), t["red"].as_u64(), t["blue"].as_u64()), (Some(19), Some(127), Some(8), Some(2)));
}

#[test]
fn a_plan_without_milestones_counts_measures_per_group_with_not_rated_apart() {
    // fixtures/README.md: Green 3, Amber 3, Red 2, Blue 1 and 2 not rated at 2023/24 Q3.
    let plan = fixture("members-scorecard-2024");
    let md = overview(&[&plan, "--period", "2023/24 Q3"]);
    assert_text_shape("overview --period 2023/24 Q3", &md);
    insta::assert_snapshot!(md);
    let rows = csv_rows(&overview(&[&plan, "--period", "2023/24 Q3", "-f", "csv"]));
    assert_eq!(rows[0], ["group", "title", "green", "amber", "red", "blue", "total", "not_rated"]);
    assert_eq!(rows.iter().map(|r| r[0].as_str()).collect::<Vec<_>>(), ["group", "Early Help", "Social Care", "Education", "Total", "%"]);
    assert_eq!(rows[4][2..], ["3", "3", "2", "1", "9", "2"]);
    assert_eq!(rows[5][2..6], ["33%", "33%", "22%", "11%"]);
}

#[test]
fn format_follows_the_output_files_extension_and_the_file_is_whole() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("overview.json");
    let run = scorecard(&["overview", &fixture("cyp-2013"), "-o", &out.display().to_string()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "");
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&out).expect("written")).expect("json");
    assert_eq!(json["total"]["total"], 156);
}

#[test]
fn a_priority_with_no_milestones_has_a_blank_percentage_row() {
    let plan = TempPlan::new(&[
        ("priorities.csv", "priority,title\n1,Early years\n2,Not started\n"),
        ("milestones.csv", "priority,milestone,title\n1,1.1,Open the hub\n1,1.2,Train staff\n1,1.3,Audit\n"),
        ("updates.csv", "milestone,period,complete,issues\n1.1,2013-12,yes,\n1.2,2013-12,,yes\n"),
    ]);
    let md = overview(&[&plan.path()]);
    assert_eq!(
        md,
        "| Priority | Title | Green | Amber | Red | Blue | Total |\n|---|---|---:|---:|---:|---:|---:|\n\
         | 1 | Early years | 1 | 0 | 1 | 1 | 3 |\n\
         | 2 | Not started | 0 | 0 | 0 | 0 | 0 |\n\
         | Total |  | 1 | 0 | 1 | 1 | 3 |\n\
         | % |  | 33% | 0% | 33% | 33% |  |\n"
    );
}

#[test]
fn bad_input_exits_2_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("overview.md");
    let plan = TempPlan::new(&[
        ("milestones.csv", "priority,milestone,title\n1,1.1,Do the thing\n"),
        ("updates.csv", "milestone,period,status\n1.1,2013-12,Gren\n"),
    ]);
    let run = scorecard(&["overview", &plan.path(), "-o", &out.display().to_string()]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("updates.csv:2:"), "{}", run.stderr);
    assert!(!out.exists());
    let run = scorecard(&["overview", &fixture("cyp-2013"), "--format", "pdf"]);
    assert_eq!(run.code, 2);
}

// Issue #16: the overview's roll-up status per priority, and the plan's own status labels.
#[test]
fn rollup_adds_a_status_per_priority_and_labels_rename_the_headings() {
    let rows = csv_rows(&overview(&[&fixture("cyp-2013"), "--format", "csv", "--rollup"]));
    assert_eq!(rows[0].last().map(String::as_str), Some("status"));
    // Priority 1 has 4 Red milestones: worst is Red.
    assert_eq!((rows[1][0].as_str(), rows[1].last().map(String::as_str)), ("1", Some("Red")));
    let plan = TempPlan::new(&[
        ("plan.toml", "[labels]\ngreen = \"On track\"\nblue = \"No update\"\n"),
        ("milestones.csv", "priority,milestone,title\n1,1.1,A\n1,1.2,B\n"),
        ("updates.csv", "milestone,period,complete\n1.1,2013-12,yes\n"),
    ]);
    let md = overview(&[&plan.path(), "--rollup"]);
    assert!(md.starts_with("| Priority | On track | Amber | Red | No update | Total | Status |\n"), "{md}");
    // 1 Green, 1 Blue left out: Green, shown as the plan names it.
    assert!(md.contains("| 1 | 1 | 0 | 0 | 1 | 2 | On track |"), "{md}");
    // CSV keeps the canonical words.
    let csv = overview(&[&plan.path(), "--rollup", "--format", "csv"]);
    assert!(csv.starts_with("priority,title,green,amber,red,blue,total,status\n1,,1,0,0,1,2,Green\n"), "{csv}");
}
