//! Whole runs of each command, in the manner of uv's `uv_snapshot!`: the command line, exit
//! status, stdout and stderr in one snapshot (`tests/snapshots/integration__cli__*.snap`), for
//! each command's main success and failure paths. Temporary folders read `[TMP]`, the
//! repository `[ROOT]` and the version `[VERSION]` (see `run_filters` in `tests/util.rs`).

use crate::util::{cli_dir, root};
use std::path::{Path, PathBuf};

/// Writes a plan of `files` into `dir/name` and returns the folder.
fn plan_in(dir: &Path, name: &str, files: &[(&str, &str)]) -> PathBuf {
    let folder = dir.join(name);
    std::fs::create_dir_all(&folder).expect("plan folder");
    for (file, text) in files {
        std::fs::write(folder.join(file), text).expect("write plan file");
    }
    folder
}

fn s(p: &Path) -> String {
    p.display().to_string()
}

/// Two milestones, one rated against a target from its value `smoking`.
fn smoking_plan(dir: &Path, name: &str, smoking: &str) -> PathBuf {
    let updates = format!("milestone,period,value,commentary\n1.15,2013-12,{smoking},\n1.16,2013-12,,On track\n");
    plan_in(
        dir,
        name,
        &[
            (
                "milestones.csv",
                "priority,milestone,title,target,polarity\n\
                 1,1.15,Fall in number of mothers who smoke at delivery,18.5,low\n\
                 1,1.16,Reduce teenage conceptions,30,low\n",
            ),
            ("updates.csv", &updates),
        ],
    )
}

/// A plan whose updates.csv has a typo at line 3, column 3.
fn bad_plan(dir: &Path) -> PathBuf {
    plan_in(
        dir,
        "bad-plan",
        &[
            ("milestones.csv", "priority,milestone,title\n1,1.1,Do the thing\n1,1.2,Do the other thing\n"),
            ("updates.csv", "milestone,period,status\n1.1,2013-12,Green\n1.2,2013-12,Gren\n"),
        ],
    )
}

#[test]
fn help_and_version() {
    scorecard_snapshot!("help", &root(), &["--help"]);
    scorecard_snapshot!("version", &root(), &["--version"]);
}

#[test]
fn validate() {
    scorecard_snapshot!("validate-good-plan", &root(), &["validate", "fixtures/cyp-2013"]);
    let dir = cli_dir();
    let bad = plan_in(
        dir.path(),
        "plan",
        &[
            ("milestones.csv", "priority,milestone,title,due\n1,1.1,One,07/25/2013\n1,1.1,Again,\n"),
            ("updates.csv", "milestone,period,value\n1.1,2013-13,6l.9\n9.9,2013-12,1\n"),
        ],
    );
    scorecard_snapshot!("validate-bad-plan", &root(), &["validate", &s(&bad)]);
}

#[test]
fn rate() {
    let dir = cli_dir();
    let plan = smoking_plan(dir.path(), "smoking", "20.4");
    scorecard_snapshot!("rate-to-stdout", &root(), &["rate", &s(&plan)]);
    scorecard_snapshot!("rate-bad-period", &root(), &["rate", "fixtures/cyp-2013", "--period", "2013/14 Q5"]);
    scorecard_snapshot!("rate-missing-plan-folder", &root(), &["rate", "fixtures/no-such-plan"]);
}

#[test]
fn batch() {
    let dir = cli_dir();
    let out = dir.path().join("out.csv");
    // The summary line (plans, ratings, time, rate) is written only when stderr is a terminal:
    // here stderr is a pipe, so a success is silent. Its timings would be filtered.
    let timings = [(r"in \d+(\.\d+)? s \([\d,]+/s\)", "in [TIME] s ([RATE]/s)"), (r"\b\d+ threads?\b", "[N] threads")];
    scorecard_snapshot!(
        "batch-success",
        &root(),
        &["batch", "fixtures/cyp-2013", "fixtures/members-scorecard-2024", "-o", &s(&out)],
        filters = [(timings[0].0, timings[0].1), (timings[1].0, timings[1].1)],
    );
    assert!(out.is_file());
    let bad = bad_plan(dir.path());
    let out = dir.path().join("stopped.csv");
    scorecard_snapshot!("batch-bad-plan", &root(), &["batch", "fixtures/cyp-2013", &s(&bad), "-o", &s(&out)]);
    assert!(!out.exists());
    let out = dir.path().join("kept.csv");
    scorecard_snapshot!(
        "batch-bad-plan-keep-going",
        &root(),
        &["batch", "fixtures/cyp-2013", &s(&bad), "--keep-going", "-o", &s(&out)],
        filters = [(timings[0].0, timings[0].1), (timings[1].0, timings[1].1)],
    );
    assert!(out.is_file());
}

#[test]
fn diff() {
    let dir = cli_dir();
    for (name, smoking) in [("old", "18.4"), ("same", "18.2"), ("new", "20.4")] {
        let plan = smoking_plan(dir.path(), &format!("src-{name}/plan"), smoking);
        let run = crate::util::scorecard(&["rate", &s(&plan), "-o", &s(&dir.path().join(format!("{name}.csv")))]);
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    std::fs::write(dir.path().join("broken.csv"), "not,a,ratings\nfile\n").expect("write");
    scorecard_snapshot!("diff-no-change", dir.path(), &["diff", "old.csv", "same.csv"]);
    scorecard_snapshot!("diff-changes", dir.path(), &["diff", "old.csv", "new.csv"]);
    scorecard_snapshot!("diff-bad-file", dir.path(), &["diff", "old.csv", "broken.csv"]);
}

#[test]
fn overview() {
    scorecard_snapshot!("overview-success", &root(), &["overview", "fixtures/cyp-2013"]);
    // The message for a bad flag value is clap's; it may change with the CLI's arguments.
    scorecard_snapshot!("overview-bad-format", &root(), &["overview", "fixtures/cyp-2013", "--format", "pdf"]);
}

#[test]
fn report() {
    let dir = cli_dir();
    let out = dir.path().join("report");
    scorecard_snapshot!("report-success", &root(), &["report", "fixtures/cyp-2013", "-o", &s(&out)]);
    assert!(out.join("report.html").is_file());
    let out = dir.path().join("no-report");
    scorecard_snapshot!("report-bad-plan", &root(), &["report", "fixtures/no-such-plan", "-o", &s(&out)]);
    assert!(!out.exists());
}
