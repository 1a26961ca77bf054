//! `scorecard diff OLD NEW` and `rate --check` through the binary (issue #4): exit 0 when no
//! rating changed, 1 when one did, 2 on bad input; text, JSON and Markdown reports.

use crate::util::{assert_text_shape, fixture, scorecard, scorecard_in, Run};
use std::path::Path;

const MILESTONES: &str = "priority,milestone,title,target,polarity\n\
    1,1.15,Fall in number of mothers who smoke at delivery,18.5,low\n\
    1,1.16,Reduce teenage conceptions,30,low\n";

fn updates(smoking: &str) -> String {
    format!("milestone,period,value,commentary\n1.15,2013-12,{smoking},\n1.16,2013-12,,On track\n")
}

/// Writes a plan of `files` into `dir/src-<tag>/plan`: every version of it is the plan `plan`.
fn write_plan(dir: &Path, tag: &str, files: &[(&str, &str)]) -> String {
    let folder = dir.join(format!("src-{tag}")).join("plan");
    std::fs::create_dir_all(&folder).unwrap();
    for (name, text) in files {
        std::fs::write(folder.join(name), text).unwrap();
    }
    folder.display().to_string()
}

/// Rates a plan of `files` into `dir/name` (format from the extension).
fn rate_into(dir: &Path, name: &str, files: &[(&str, &str)]) {
    let plan = write_plan(dir, name, files);
    let run = scorecard(&["rate", &plan, "-o", dir.join(name).to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

/// The smoking plan rated with value `old` into old.EXT and `new` into new.EXT, in a temp dir.
fn two_ratings(old: &str, new: &str, ext: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    rate_into(dir.path(), &format!("old.{ext}"), &[("milestones.csv", MILESTONES), ("updates.csv", &updates(old))]);
    rate_into(dir.path(), &format!("new.{ext}"), &[("milestones.csv", MILESTONES), ("updates.csv", &updates(new))]);
    dir
}

fn diff_in(dir: &Path, args: &[&str]) -> Run {
    let mut all = vec!["diff"];
    all.extend(args);
    scorecard_in(dir, &all)
}

#[test]
fn identical_files_exit_0_silently_in_every_format_and_mix() {
    let dir = tempfile::tempdir().expect("temp dir");
    let plan = fixture("members-scorecard-2024");
    for ext in ["csv", "json", "parquet"] {
        let out = dir.path().join(format!("r.{ext}"));
        assert_eq!(scorecard(&["rate", &plan, "-o", out.to_str().unwrap()]).code, 0);
    }
    for old in ["r.csv", "r.json", "r.parquet"] {
        for new in ["r.csv", "r.json", "r.parquet"] {
            for format in ["text", "markdown"] {
                let run = diff_in(dir.path(), &[old, new, "--all-fields", "-f", format]);
                assert_eq!((run.code, run.stdout.as_str(), run.stderr.as_str()), (0, "", ""), "{old} vs {new} ({format})");
            }
        }
    }
}

#[test]
fn a_one_value_change_exits_1_naming_the_item_and_the_move() {
    let dir = two_ratings("18.4", "20.4", "csv");
    let run = diff_in(dir.path(), &["old.csv", "new.csv"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "1.15 Dec 2013: Green -> Red\n\
         \x20   was: Green: 18.4 against a target of 18.5 (low is good, amber threshold 19.4)\n\
         \x20   now: Red: 20.4 against a target of 18.5 (low is good, amber threshold 19.4)\n\
         summary: 1 rating changed, 0 added, 0 removed, 1 unchanged\n"
    );
}

#[test]
fn a_value_change_that_keeps_the_rating_exits_0_and_shows_with_all_fields() {
    let dir = two_ratings("18.4", "18.2", "json");
    let run = diff_in(dir.path(), &["old.json", "new.json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("1 with other fields changed; --all-fields shows them"), "{}", run.stdout);
    assert!(!run.stdout.contains("1.15"), "{}", run.stdout);
    let run = diff_in(dir.path(), &["old.json", "new.json", "--all-fields"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("1.15 Dec 2013: still Green; value 18.4 -> 18.2\n"), "{}", run.stdout);
    // The input file changed and the rules did not: provenance says so.
    assert!(run.stdout.contains("note: plan"), "{}", run.stdout);
    assert!(run.stdout.contains(": input files changed: updates.csv\n"), "{}", run.stdout);
    assert!(!run.stdout.contains("rules changed"), "{}", run.stdout);
}

#[test]
fn a_rule_change_is_told_apart_from_a_data_change() {
    let dir = tempfile::tempdir().expect("temp dir");
    let files = [("milestones.csv", MILESTONES), ("updates.csv", &updates("19.2") as &str)];
    rate_into(dir.path(), "old.parquet", &files);
    let wider = [files[0], files[1], ("plan.toml", "[rules]\ndefault_tolerance = 0.01\n")];
    rate_into(dir.path(), "new.parquet", &wider);
    let run = diff_in(dir.path(), &["old.parquet", "new.parquet"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.starts_with("1.15 Dec 2013: Amber -> Red\n"), "{}", run.stdout);
    assert!(run.stdout.contains(": rules changed (sha256 "), "{}", run.stdout);
    assert!(run.stdout.contains(": input files changed: plan.toml (added)\n"), "{}", run.stdout);
}

#[test]
fn items_added_and_removed_are_changes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let one = "priority,milestone,title\n1,1.1,Old commitment\n";
    let other = "priority,milestone,title\n1,1.2,New commitment\n";
    rate_into(dir.path(), "old.csv", &[("milestones.csv", one), ("updates.csv", "milestone,period,complete\n1.1,2013-12,yes\n")]);
    rate_into(dir.path(), "new.json", &[("milestones.csv", other), ("updates.csv", "milestone,period,issues\n1.2,2013-12,yes\n")]);
    let run = diff_in(dir.path(), &["old.csv", "new.json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stdout.contains("added 1.2 Dec 2013: Red\n    reason: Red: issues flagged in the update for December 2013\n"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("removed 1.1 Dec 2013: Green\n"), "{}", run.stdout);
    assert!(run.stdout.ends_with("summary: 0 ratings changed, 1 added, 1 removed, 0 unchanged\n"), "{}", run.stdout);
}

#[test]
fn a_benchmark_column_in_one_file_only_changes_the_rows_it_judges() {
    let dir = tempfile::tempdir().expect("temp dir");
    let measures = "measure,title,polarity,frequency,target\nM1,Visits,high,monthly,10\nM2,Calls,high,monthly,10\n";
    let values = "measure,period,value\nM1,2013-12,12\nM2,2013-12,12\n";
    rate_into(dir.path(), "old.csv", &[("measures.csv", measures), ("values.csv", values)]);
    let benchmarks = "item,period,benchmark,value\nM1,2013-12,national,11\n";
    rate_into(dir.path(), "new.csv", &[("measures.csv", measures), ("values.csv", values), ("benchmarks.csv", benchmarks)]);
    let run = diff_in(dir.path(), &["old.csv", "new.csv"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.starts_with("M1 Dec 2013: still Green; vs_national (none) -> better\n"), "{}", run.stdout);
    assert!(!run.stdout.contains("M2"), "M2 has no national benchmark: {}", run.stdout);
    assert!(run.stdout.contains("note: column `vs_national` only in new.csv\n"), "{}", run.stdout);
    assert!(run.stdout.ends_with("summary: 1 rating changed, 0 added, 0 removed, 1 unchanged\n"), "{}", run.stdout);
}

#[test]
fn markdown_report_for_a_pull_request() {
    let dir = two_ratings("18.4", "20.4", "csv");
    let run = diff_in(dir.path(), &["old.csv", "new.csv", "--format", "markdown"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_text_shape("diff --format markdown", &run.stdout);
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn json_report_for_programs() {
    let dir = two_ratings("18.4", "20.4", "csv");
    let run = diff_in(dir.path(), &["old.csv", "new.csv", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_text_shape("diff --format json", &run.stdout);
    insta::assert_snapshot!(run.stdout);
    // Identical files still give the object, with "changed": false.
    let run = diff_in(dir.path(), &["old.csv", "old.csv", "--format", "json"]);
    assert_eq!(run.code, 0);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    assert_eq!(report["changed"], false);
    assert_eq!(report["summary"]["unchanged"], 2);
}

#[test]
fn standard_input_is_a_file() {
    let dir = two_ratings("18.4", "20.4", "csv");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_scorecard"))
        .args(["diff", "old.csv", "-"])
        .current_dir(dir.path())
        .stdin(std::fs::File::open(dir.path().join("new.csv")).unwrap())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("1.15 Dec 2013: Green -> Red\n"));
}

#[test]
fn rate_check_reports_as_diff_and_still_writes_the_output() {
    let dir = two_ratings("18.4", "20.4", "json");
    let plan = write_plan(dir.path(), "now", &[("milestones.csv", MILESTONES), ("updates.csv", &updates("20.4"))]);
    let out = dir.path().join("fresh.csv");
    let check =
        |golden: &str| scorecard(&["rate", &plan, "--check", dir.path().join(golden).to_str().unwrap(), "-o", out.to_str().unwrap()]);
    let run = check("new.json");
    assert_eq!((run.code, run.stdout.as_str()), (0, ""), "{}", run.stderr);
    let run = check("old.json");
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.starts_with("1.15 Dec 2013: Green -> Red\n"), "{}", run.stdout);
    assert!(out.exists(), "-o is written with --check");
    let run = scorecard(&["rate", &plan, "--check", dir.path().join("old.json").to_str().unwrap(), "--diff-format", "md"]);
    assert!(run.stdout.starts_with("### Ratings: 1 rating changed"), "{}", run.stdout);
    let run = check("missing.csv");
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("cannot check against the golden file"), "{}", run.stderr);
}

/// Runs `diff` on a bad OLD file named `name` holding `bytes`, against a good NEW.
fn bad(name: &str, bytes: &[u8]) -> Run {
    let dir = two_ratings("18.4", "18.4", "csv");
    std::fs::write(dir.path().join(name), bytes).unwrap();
    let run = diff_in(dir.path(), &[name, "new.csv"]);
    assert_eq!(run.code, 2, "{name}: {}", run.stderr);
    assert_eq!(run.stdout, "", "{name}");
    run
}

#[test]
fn bad_input_exits_2_naming_the_file_and_position() {
    let cases: [(&str, &[u8], &str); 11] = [
        (
            "ratings.txt",
            b"plan,period,kind,item\n",
            "ratings.txt: cannot tell the format of this file; expected a .csv, .json or .parquet file name",
        ),
        ("empty.csv", b"", "empty.csv: the file is empty"),
        ("nokey.csv", b"plan,period,kind,status\np,2013-12,milestone,Red\n", "nokey.csv: no `item` column"),
        ("short.csv", b"plan,period,kind,item\np,2013-12,milestone\n", "short.csv:2: this row has 3 fields but the header has 4"),
        (
            "twice.csv",
            b"plan,period,kind,item\np,2013-12,milestone,1.1\np,2013-12,milestone,1.1\n",
            "twice.csv:3: the rating of 1.1 at 2013-12 (milestone, plan p) appears twice, also at line 2",
        ),
        ("blank.csv", b"plan,period,kind,item\np,,milestone,1.1\n", "blank.csv:2:2: column `period`: the key column `period` is empty"),
        ("broken.json", b"{\"ratings\": [\n{\"plan\": \"p\",}\n]}", "broken.json:2:14: not valid JSON: trailing comma"),
        ("list.json", b"{\"columns\": [\"plan\"], \"rows\": []}", "list.json:1:33: the JSON object has no \"ratings\" array"),
        ("bad.parquet", b"PAR1 not really", "bad.parquet: cannot read it as Parquet"),
        (
            "nested.json",
            b"{\"ratings\": [\n{\"plan\": \"p\", \"period\": [2013]}\n]}",
            "nested.json:2:31: rating 1: field `period` is a list or an object",
        ),
        (
            "extra.json",
            b"{\"columns\": [\"plan\", \"period\", \"kind\", \"item\"], \"ratings\": [\n{\"plan\": \"p\", \"state\": \"Red\"}\n]}",
            "extra.json:2:21: rating 1 has a field `state` that \"columns\" does not list",
        ),
    ];
    for (name, bytes, expected) in cases {
        let run = bad(name, bytes);
        assert!(run.stderr.starts_with(&format!("scorecard: {expected}")), "{name}: {}", run.stderr);
    }
    let run = scorecard(&["diff", "no-such-file.csv", "other.csv"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no-such-file.csv"), "{}", run.stderr);
}

#[test]
fn json_without_a_columns_list_and_in_any_key_order_reads_the_same() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("a.csv"), "plan,period,kind,item,status,value\np,2013-12,milestone,1.1,Red,18.50\n").unwrap();
    std::fs::write(
        dir.path().join("b.json"),
        r#"{"ratings": [{"value": 18.5, "item": "1.1", "status": "Red", "plan": "p", "kind": "milestone", "period": "2013-12"}]}"#,
    )
    .unwrap();
    let run = diff_in(dir.path(), &["a.csv", "b.json", "--all-fields"]);
    assert_eq!((run.code, run.stdout.as_str(), run.stderr.as_str()), (0, "", ""));
}

/// Issue #16: roll-up rows (`rate --rollup`, kinds `action` and `priority`) read back, and a
/// rolled-up status that moves is a change of rating: 1.15 going from 18.4 (Green against 18.5,
/// low is good) to 20.4 (Red) takes priority 1, the worst of its two milestones (1.16 Amber,
/// ongoing), from Amber to Red.
#[test]
fn rollup_rows_read_back_and_their_statuses_are_rated_fields() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, value) in [("old.csv", "18.4"), ("new.json", "20.4")] {
        let plan = write_plan(dir.path(), name, &[("milestones.csv", MILESTONES), ("updates.csv", &updates(value))]);
        let run = scorecard(&["rate", &plan, "--rollup", "-o", dir.path().join(name).to_str().unwrap()]);
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    let run = diff_in(dir.path(), &["old.csv", "new.json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stdout.contains(
            "priority 1 Dec 2013: Amber -> Red\n\
             \x20   was: Amber: worst of 2 milestones (0 Red, 1 Amber, 1 Green)\n\
             \x20   now: Red: worst of 2 milestones (1 Red, 1 Amber, 0 Green)\n"
        ),
        "{}",
        run.stdout
    );
    assert!(run.stdout.ends_with("summary: 2 ratings changed, 0 added, 0 removed, 1 unchanged\n"), "{}", run.stdout);
    // The same ratings, with and without roll-up rows: the roll-up rows are added.
    let plan = write_plan(dir.path(), "plain", &[("milestones.csv", MILESTONES), ("updates.csv", &updates("18.4"))]);
    assert_eq!(scorecard(&["rate", &plan, "-o", dir.path().join("plain.csv").to_str().unwrap()]).code, 0);
    let run = diff_in(dir.path(), &["plain.csv", "old.csv"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("added priority 1 Dec 2013: Amber"), "{}", run.stdout);
}

/// Issue #16: `forecast_status` and `stale` are rated fields (columns.rs marks them so): a
/// change to either is a change of rating (exit 1); a change to their reasons alone is not.
#[test]
fn forecast_status_and_stale_are_rated_fields() {
    let header = "plan,period,kind,item,status,forecast_status,forecast_reason,stale,stale_reason\n";
    let dir = tempfile::tempdir().expect("temp dir");
    let write = |name: &str, row: &str| {
        std::fs::write(dir.path().join(name), format!("{header}{row}\n")).unwrap();
    };
    write("old.csv", "p,2013-12,measure,M1,Amber,on_track,x,false,");
    for (row, code) in [
        ("p,2013-12,measure,M1,Amber,at_risk,x,false,", 1),
        ("p,2013-12,measure,M1,Amber,on_track,x,true,Stale: last updated for 2013-09", 1),
        ("p,2013-12,measure,M1,Amber,on_track,y,false,", 0),
    ] {
        write("new.csv", row);
        let run = diff_in(dir.path(), &["old.csv", "new.csv"]);
        assert_eq!(run.code, code, "{row}: {}{}", run.stdout, run.stderr);
    }
}
