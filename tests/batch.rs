//! `scorecard batch`: many plans at many periods in one table (issue #6). The ratings must be
//! `rate`'s, plan by plan and period by period; bad plans stop the run or are skipped; shards
//! partition the plans; partitioned Parquet has the Hive layout.

use crate::util::{fixture, scorecard, scorecard_in, TempPlan};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A CSV file's header and rows.
#[derive(Debug, PartialEq)]
struct Table {
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    fn parse(text: &str) -> Table {
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let headers = reader.headers().expect("header").iter().map(String::from).collect();
        let rows = reader.records().map(|r| r.expect("row").iter().map(String::from).collect()).collect();
        Table { headers, rows }
    }

    fn read(path: &Path) -> Table {
        Table::parse(&std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
    }

    fn col(&self, name: &str) -> usize {
        self.headers.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name}"))
    }

    /// Row `r` as column → value.
    fn record(&self, row: &[String]) -> BTreeMap<String, String> {
        self.headers.iter().cloned().zip(row.iter().cloned()).collect()
    }

    /// The plans in the `plan` column, in order of first appearance.
    fn plans(&self) -> Vec<String> {
        let c = self.col("plan");
        let mut seen = Vec::new();
        for r in &self.rows {
            if seen.last() != Some(&r[c]) {
                seen.push(r[c].clone());
            }
        }
        seen
    }
}

fn temp_dir() -> tempfile::TempDir {
    tempfile::Builder::new().prefix("batch").tempdir().expect("temp dir")
}

fn s(p: &Path) -> String {
    p.display().to_string()
}

/// Runs `batch` and returns the CSV written.
/// One (plan, period) and its rows.
type Group<'a> = ((String, String), Vec<&'a Vec<String>>);

/// A batch's rows grouped by (plan, period), in their order; each group's rows must be
/// together.
fn by_plan_and_period(t: &Table) -> Vec<Group<'_>> {
    let (plan_c, period_c) = (t.col("plan"), t.col("period"));
    let mut groups: Vec<Group> = Vec::new();
    for row in &t.rows {
        let key = (row[plan_c].clone(), row[period_c].clone());
        match groups.last_mut() {
            Some((k, rows)) if *k == key => rows.push(row),
            _ => {
                assert!(!groups.iter().any(|(k, _)| *k == key), "rows of {key:?} are not together");
                groups.push((key, vec![row]));
            }
        }
    }
    groups
}

fn batch_csv(args: &[&str]) -> Table {
    let dir = temp_dir();
    let out = dir.path().join("out.csv");
    let mut all = vec!["batch"];
    all.extend_from_slice(args);
    let out_s = s(&out);
    all.extend_from_slice(&["-o", &out_s]);
    let run = scorecard(&all);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "", "batch is quiet when standard error is not a terminal");
    Table::read(&out)
}

#[test]
fn batch_rates_every_plan_and_period_as_rate_does() {
    let (cyp, members) = (fixture("cyp-2013"), fixture("members-scorecard-2024"));
    let batch = batch_csv(&[&members, &cyp]);
    assert_eq!(batch.plans(), ["cyp-2013", "members-scorecard-2024"], "plans in name order");
    let kind_c = batch.col("kind");

    let groups = by_plan_and_period(&batch);
    let mut compared = 0;
    let mut periods_by_kind: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    for ((plan, period), rows) in &groups {
        for row in rows {
            periods_by_kind.entry((plan.clone(), row[kind_c].clone())).or_default().insert(period.clone());
        }
        if period.contains("..") {
            // A measure's own period that is not a period of the plan's year type (an academic
            // year in a financial plan): `rate --period` has no spelling for it.
            continue;
        }
        let run = scorecard(&["rate", &fixture(plan), "--period", period]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let rate = Table::parse(&run.stdout);
        let kinds: BTreeSet<&str> = rows.iter().map(|r| r[kind_c].as_str()).collect();
        let expected: Vec<BTreeMap<String, String>> =
            rate.rows.iter().filter(|r| kinds.contains(r[rate.col("kind")].as_str())).map(|r| rate.record(r)).collect();
        let got: Vec<BTreeMap<String, String>> = rows
            .iter()
            .map(|r| {
                let mut record = batch.record(r);
                // Columns of other plans' benchmark labels are empty; the rest are rate's.
                record.retain(|name, value| {
                    rate.headers.contains(name) || {
                        assert_eq!(value, "", "{name} of {plan}");
                        false
                    }
                });
                record
            })
            .collect();
        assert_eq!(got, expected, "{plan} at {period}");
        compared += 1;
    }
    assert!(compared >= 50, "only {compared} plan periods compared");
    // SPEC's `--periods all`: milestones at every period with an update (cyp-2013: 3), measures
    // at every period with a value (35 and 32, as `validate` counts them).
    let count = |plan: &str, kind: &str| periods_by_kind.get(&(plan.to_string(), kind.to_string())).map(|s| s.len()).unwrap_or(0);
    assert_eq!(count("cyp-2013", "milestone"), 3);
    assert_eq!(count("cyp-2013", "measure"), 35);
    assert_eq!(count("members-scorecard-2024", "measure"), 32);
}

#[test]
fn one_plan_at_one_period_is_rates_output_byte_for_byte() {
    let cyp = fixture("cyp-2013");
    let dir = temp_dir();
    let out = dir.path().join("dec.csv");
    let run = scorecard(&["batch", &cyp, "--periods", "Dec 2013", "-o", &s(&out)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rate = scorecard(&["rate", &cyp, "--period", "2013-12"]);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), rate.stdout);

    // JSON: the same columns and ratings.
    let json = dir.path().join("dec.json");
    let run = scorecard(&["batch", &cyp, "--periods", "2013-12", "-o", &s(&json)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rate = scorecard(&["rate", &cyp, "--period", "2013-12", "--format", "json"]);
    let (a, b): (serde_json::Value, serde_json::Value) =
        (serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap(), serde_json::from_str(&rate.stdout).unwrap());
    assert_eq!(a["columns"], b["columns"]);
    assert_eq!(a["ratings"], b["ratings"]);
    assert_eq!(a["ratings"].as_array().map(|r| r.len()), Some(162));
}

#[test]
fn a_range_keeps_the_reported_periods_within_it() {
    let cyp = fixture("cyp-2013");
    let all = batch_csv(&[&cyp]);
    let range = batch_csv(&[&cyp, "--periods", "2013/14 Q1..Dec 2013"]);
    let p = all.col("period");
    let within =
        ["2013-04", "2013-05", "2013-06", "2013/14 Q1", "2013-07", "2013-08", "2013-09", "2013/14 Q2", "2013-10", "2013-11", "2013-12"];
    let expected: Vec<Vec<String>> = all.rows.iter().filter(|r| within.contains(&r[p].as_str())).cloned().collect();
    assert!(!expected.is_empty());
    assert_eq!(range.rows, expected);
    let backwards = scorecard(&["batch", &cyp, "--periods", "2014-01..2013-12", "-o", "/dev/null"]);
    assert_eq!(backwards.code, 2);
    assert!(backwards.stderr.contains("ends before"), "{}", backwards.stderr);
}

/// A plan whose updates.csv has a typo at line 3, column 3.
fn bad_plan() -> TempPlan {
    TempPlan::new(&[
        ("milestones.csv", "priority,milestone,title\n1,1.1,Do the thing\n1,1.2,Do the other thing\n"),
        ("updates.csv", "milestone,period,status\n1.1,2013-12,Green\n1.2,2013-12,Gren\n"),
    ])
}

#[test]
fn a_bad_plan_stops_the_run_and_nothing_is_written() {
    let bad = bad_plan();
    let dir = temp_dir();
    let out = dir.path().join("out.csv");
    let run = scorecard(&["batch", &fixture("cyp-2013"), &bad.path(), "-o", &s(&out)]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("updates.csv:3:3: column `status`: \"Gren\" is not a status"), "{}", run.stderr);
    assert!(run.stderr.contains("--keep-going"), "{}", run.stderr);
    assert!(!out.exists());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "no temporary file left behind");
}

#[test]
fn keep_going_skips_bad_plans_writes_the_others_and_lists_every_skipped_plan() {
    let (bad1, bad2) = (bad_plan(), TempPlan::new(&[("milestones.csv", "priority,milestone,title\n1,1.1,Alone\n")]));
    let dir = temp_dir();
    let out = dir.path().join("out.csv");
    let cyp = fixture("cyp-2013");
    let run = scorecard(&["batch", &bad1.path(), &cyp, &bad2.path(), "--keep-going", "-o", &s(&out)]);
    assert_eq!(run.code, 2, "skipped plans make the exit status 2");
    assert!(run.stderr.contains("updates.csv:3:3"), "{}", run.stderr);
    assert!(run.stderr.contains("updates.csv: milestones.csv is present but updates.csv is missing"), "{}", run.stderr);
    assert!(run.stderr.contains(&format!("skipped {} (bad input)", bad1.path())), "{}", run.stderr);
    assert!(run.stderr.contains(&format!("skipped {} (bad input)", bad2.path())), "{}", run.stderr);
    assert!(run.stderr.contains("2 of 3 plans skipped"), "{}", run.stderr);
    let written = Table::read(&out);
    assert_eq!(written.plans(), ["cyp-2013"]);
    assert_eq!(written, batch_csv(&[&cyp]));
}

/// `count` small generated plans in a temporary folder.
fn generated(count: usize) -> (tempfile::TempDir, Vec<String>) {
    let dir = temp_dir();
    let run = scorecard(&[
        "generate",
        "-o",
        &s(dir.path()),
        "--plans",
        &count.to_string(),
        "--milestones",
        "12",
        "--update-periods",
        "4",
        "--measures",
        "5",
        "--months",
        "9",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut plans: Vec<String> = std::fs::read_dir(dir.path()).unwrap().map(|e| s(&e.unwrap().path())).collect();
    plans.sort();
    assert_eq!(plans.len(), count);
    (dir, plans)
}

#[test]
fn shards_partition_the_plans_and_together_are_the_whole_batch() {
    let (_dir, mut plans) = generated(7);
    plans.push(fixture("cyp-2013"));
    let args: Vec<&str> = plans.iter().map(String::as_str).collect();
    let whole = batch_csv(&args);
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut rows = Vec::new();
    for i in 1..=3 {
        let shard = format!("{i}/3");
        let mut with = args.clone();
        with.extend_from_slice(&["--shard", &shard]);
        let part = batch_csv(&with);
        assert_eq!(part.headers, whole.headers, "every shard has the whole batch's columns");
        for plan in part.plans() {
            *seen.entry(plan).or_default() += 1;
        }
        rows.extend(part.rows);
    }
    assert_eq!(seen.len(), 8);
    assert!(seen.values().all(|&n| n == 1), "each plan in exactly one shard: {seen:?}");
    // Shard I takes the plans at positions I-1, I-1+N, ... in name order.
    let shard2 = batch_csv(&[args.as_slice(), &["--shard", "2/3"]].concat());
    assert_eq!(shard2.plans(), ["plan-0001", "plan-0004", "plan-0007"], "positions 1, 4, 7 after cyp-2013");
    let plan_c = whole.col("plan");
    rows.sort_by(|a, b| a[plan_c].cmp(&b[plan_c]));
    // The sort is stable, so rows keep their order within each plan.
    assert_eq!(rows, whole.rows);
}

#[test]
fn plans_with_the_same_folder_name_are_refused() {
    let dir = temp_dir();
    for sub in ["a/cyp-2013", "b/cyp-2013"] {
        let d = dir.path().join(sub);
        std::fs::create_dir_all(&d).unwrap();
        for f in ["milestones.csv", "updates.csv"] {
            std::fs::copy(Path::new(&fixture("cyp-2013")).join(f), d.join(f)).unwrap();
        }
    }
    let run = scorecard_in(dir.path(), &["batch", "a/cyp-2013", "b/cyp-2013", "-o", "out.csv"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("same folder name"), "{}", run.stderr);
    assert!(!dir.path().join("out.csv").exists());
}

/// Every `.parquet` file under `dir`, relative to it.
fn parquet_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p.strip_prefix(dir).unwrap().to_path_buf());
            }
        }
    }
    out.sort();
    out
}

/// A Parquet file's rows as the CSV writes them (numbers in their shortest form).
fn parquet_table(path: &Path) -> Table {
    use polars::prelude::*;
    let file = std::fs::File::open(path).unwrap();
    let df = ParquetReader::new(file).finish().unwrap();
    let headers: Vec<String> = df.get_column_names().iter().map(|n| n.to_string()).collect();
    let mut rows = vec![Vec::new(); df.height()];
    for column in df.columns() {
        let series = column.as_materialized_series();
        for (i, row) in rows.iter_mut().enumerate() {
            row.push(match series.get(i).unwrap() {
                AnyValue::Null => String::new(),
                AnyValue::String(s) => s.to_string(),
                AnyValue::StringOwned(s) => s.to_string(),
                AnyValue::Float64(x) => format!("{x}"),
                AnyValue::Boolean(b) => b.to_string(),
                other => panic!("unexpected {other:?} in {}", column.name()),
            });
        }
    }
    Table { headers, rows }
}

#[test]
fn partition_by_plan_writes_one_hive_folder_per_plan() {
    let (cyp, members) = (fixture("cyp-2013"), fixture("members-scorecard-2024"));
    let dir = temp_dir();
    let out = dir.path().join("ratings");
    let run = scorecard(&["batch", &cyp, &members, "--partition-by", "plan", "-o", &s(&out)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        parquet_files(&out),
        [PathBuf::from("plan=cyp-2013/part-0.parquet"), PathBuf::from("plan=members-scorecard-2024/part-0.parquet")]
    );
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no staging folder left behind");
    let csv = batch_csv(&[&cyp, &members]);
    let part = parquet_table(&out.join("plan=cyp-2013/part-0.parquet"));
    let mut expected = Table { headers: csv.headers.clone(), rows: csv.rows.iter().filter(|r| r[0] == "cyp-2013").cloned().collect() };
    expected.headers.remove(0);
    expected.rows.iter_mut().for_each(|r| {
        r.remove(0);
    });
    assert_eq!(part, expected, "the CSV's rows, less the partition column (it is in the path)");

    // A second run into the same, now non-empty, folder is refused rather than mixed in.
    let again = scorecard(&["batch", &cyp, "--partition-by", "plan", "-o", &s(&out)]);
    assert_eq!(again.code, 2);
    assert!(again.stderr.contains("not empty"), "{}", again.stderr);
}

#[test]
fn partition_by_period_escapes_values_and_shards_write_their_own_files() {
    let cyp = fixture("cyp-2013");
    let dir = temp_dir();
    let out = dir.path().join("by-period");
    let run = scorecard(&["batch", &cyp, "--partition-by", "period", "-o", &s(&out)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let files = parquet_files(&out);
    assert!(
        files.contains(&PathBuf::from("period=2013%2F14 Q3/part-0.parquet"))
            || files.contains(&PathBuf::from("period=2013%2F14 Q2/part-0.parquet")),
        "{files:?}"
    );
    assert!(files.contains(&PathBuf::from("period=2013-12/part-0.parquet")), "{files:?}");
    let csv = batch_csv(&[&cyp]);
    let periods: BTreeSet<&str> = csv.rows.iter().map(|r| r[csv.col("period")].as_str()).collect();
    assert_eq!(files.len(), periods.len());
    let dec = parquet_table(&out.join("period=2013-12/part-0.parquet"));
    assert!(!dec.headers.contains(&"period".to_string()));
    assert_eq!(dec.rows.len(), csv.rows.iter().filter(|r| r[csv.col("period")] == "2013-12").count());
    let total: usize = files.iter().map(|f| parquet_table(&out.join(f)).rows.len()).sum();
    assert_eq!(total, csv.rows.len());

    // Shards share one folder; each writes part-I-of-N files.
    let shared = dir.path().join("shared");
    let members = fixture("members-scorecard-2024");
    for i in ["1/2", "2/2"] {
        let run = scorecard(&["batch", &cyp, &members, "--shard", i, "--partition-by", "period", "-o", &s(&shared)]);
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    let files = parquet_files(&shared);
    assert!(files.contains(&PathBuf::from("period=2023-12/part-2-of-2.parquet")), "{files:?}");
    assert!(files.contains(&PathBuf::from("period=2013-12/part-1-of-2.parquet")), "{files:?}");
}

/// A copy of fixture `name` in a temporary folder of the same name, with `rules` appended to
/// its `plan.toml` as a `[rules]` section.
fn fixture_with_rules(name: &str, rules: &str) -> (tempfile::TempDir, String) {
    let dir = temp_dir();
    let plan = dir.path().join(name);
    std::fs::create_dir(&plan).unwrap();
    for entry in std::fs::read_dir(fixture(name)).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), plan.join(entry.file_name())).unwrap();
    }
    let toml = plan.join("plan.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, format!("{text}\n[rules]\n{rules}\n")).unwrap();
    let path = s(&plan);
    (dir, path)
}

/// Issue #13: `[rules] spc = false` leaves every `spc_` column of every row empty and every other
/// column as it is with SPC on (both fixtures, every period `batch` rates).
#[test]
fn spc_switched_off_empties_its_columns_and_nothing_else() {
    for name in ["cyp-2013", "members-scorecard-2024"] {
        let on = batch_csv(&[&fixture(name)]);
        let (_dir, off_plan) = fixture_with_rules(name, "spc = false");
        let off = batch_csv(&[&off_plan]);
        assert_eq!(on.headers, off.headers);
        assert_eq!(on.rows.len(), off.rows.len());
        let mut judged = 0;
        for (a, b) in on.rows.iter().zip(&off.rows) {
            for ((h, x), y) in on.headers.iter().zip(a).zip(b) {
                if h.starts_with("spc_") {
                    assert_eq!(y, "", "{name}: {h} with spc = false");
                    judged += usize::from(h == "spc_variation" && !x.is_empty());
                } else {
                    assert_eq!(x, y, "{name}: {h}");
                }
            }
        }
        if name == "members-scorecard-2024" {
            assert!(judged > 0, "SPC judges some rows when on");
        }
    }
}

/// Issue #16: `batch --rollup` gives, at every period at which a plan's milestones are rated,
/// the action and priority rows `rate --rollup` gives there, after that period's milestones
/// and measures; every other row is as without `--rollup`.
#[test]
fn batch_rollup_rows_are_rate_rollups_rows() {
    let (cyp, members) = (fixture("cyp-2013"), fixture("members-scorecard-2024"));
    let plain = batch_csv(&[&members, &cyp]);
    let rolled = batch_csv(&[&members, &cyp, "--rollup"]);
    assert_eq!(plain.headers, rolled.headers);
    let (plan_c, kind_c) = (rolled.col("plan"), rolled.col("kind"));
    let is_rollup = |r: &Vec<String>| matches!(r[kind_c].as_str(), "action" | "priority");
    // Without the roll-up rows, exactly the rows without --rollup.
    let others: Vec<&Vec<String>> = rolled.rows.iter().filter(|r| !is_rollup(r)).collect();
    assert_eq!(others, plain.rows.iter().collect::<Vec<_>>());
    // Each (plan, period) of the batch with milestones against rate --rollup at that period:
    // the milestone, action and priority rows, in order.
    let groups = by_plan_and_period(&rolled);
    let mut compared = 0;
    for ((plan, period), rows) in &groups {
        let has_milestones = rows.iter().any(|r| r[kind_c] == "milestone");
        let rollups: Vec<&&Vec<String>> = rows.iter().filter(|r| is_rollup(r)).collect();
        assert_eq!(has_milestones, !rollups.is_empty(), "{plan} at {period}: roll-up rows where milestones are rated, only there");
        if !has_milestones {
            continue;
        }
        // The roll-up rows come last in their period's group.
        assert!(rows.iter().skip_while(|r| !is_rollup(r)).all(|r| is_rollup(r)), "{plan} at {period}");
        let run = scorecard(&["rate", &fixture(plan), "--period", period, "--rollup"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let rate = Table::parse(&run.stdout);
        let kind = rate.col("kind");
        let expected: Vec<BTreeMap<String, String>> = rate.rows.iter().filter(|r| r[kind] != "measure").map(|r| rate.record(r)).collect();
        let got: Vec<BTreeMap<String, String>> = rows
            .iter()
            .filter(|r| r[kind_c] != "measure")
            .map(|r| {
                let mut record = rolled.record(r);
                record.retain(|name, _| rate.headers.contains(name));
                record
            })
            .collect();
        assert_eq!(got, expected, "{plan} at {period}");
        compared += 1;
    }
    // cyp-2013's milestones are rated at its 3 periods with updates; the members' scorecard
    // has no milestones, so no roll-up rows.
    assert_eq!(compared, 3);
    assert!(rolled.rows.iter().filter(|r| is_rollup(r)).all(|r| r[plan_c] == "cyp-2013"));

    // One plan at one period: `rate --rollup`'s bytes, in CSV and JSON.
    let dir = temp_dir();
    for (name, format) in [("dec.csv", "csv"), ("dec.json", "json")] {
        let out = dir.path().join(name);
        let run = scorecard(&["batch", &cyp, "--periods", "2013-12", "--rollup", "-o", &s(&out)]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let rate = scorecard(&["rate", &cyp, "--period", "2013-12", "--rollup", "--format", format]);
        let written = std::fs::read_to_string(&out).unwrap();
        if format == "csv" {
            assert_eq!(written, rate.stdout);
        } else {
            let (a, b): (serde_json::Value, serde_json::Value) =
                (serde_json::from_str(&written).unwrap(), serde_json::from_str(&rate.stdout).unwrap());
            assert_eq!(a["ratings"], b["ratings"]);
            // 156 milestones and 6 measures, then 36 actions and 5 priorities.
            assert_eq!(a["ratings"].as_array().map(|r| r.len()), Some(162 + 41));
        }
    }
    // Parquet, whole and partitioned by period: read back by `diff`, the same ratings as
    // `rate --rollup` (exit 0: nothing changed).
    let golden = dir.path().join("dec.csv");
    let out = dir.path().join("dec.parquet");
    let run = scorecard(&["batch", &cyp, "--periods", "2013-12", "--rollup", "-o", &s(&out)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let diff = scorecard(&["diff", &s(&golden), &s(&out)]);
    assert_eq!(diff.code, 0, "{}{}", diff.stdout, diff.stderr);
    let set = dir.path().join("by-period");
    let run = scorecard(&["batch", &cyp, "--periods", "2013-12", "--rollup", "--partition-by", "period", "-o", &s(&set)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let part = parquet_files(&set);
    assert_eq!(part.len(), 1);
    assert_eq!(parquet_table(&set.join(&part[0])).rows.len(), 162 + 41);
}

/// The whole table's rows, keeping the columns `names` names, in the table's order.
fn keep_columns(t: &Table, names: &[&str]) -> Table {
    let keep: Vec<usize> = (0..t.headers.len()).filter(|&c| names.contains(&t.headers[c].as_str())).collect();
    Table {
        headers: keep.iter().map(|&c| t.headers[c].clone()).collect(),
        rows: t.rows.iter().map(|r| keep.iter().map(|&c| r[c].clone()).collect()).collect(),
    }
}

#[test]
fn columns_writes_the_picked_columns_of_the_whole_table_in_every_format() {
    let (cyp, members) = (fixture("cyp-2013"), fixture("members-scorecard-2024"));
    let full = batch_csv(&[&cyp, &members]);
    // Named out of order, with every sentence column that is worded left out but `reason`.
    let picked = ["status", "item", "plan", "reason", "vs_national", "spc_variation", "gap_statistical_neighbours", "forecast_status"];
    let list = picked.join(",");
    let expected = keep_columns(&full, &picked);
    assert_eq!(
        expected.headers,
        ["plan", "item", "status", "reason", "forecast_status", "spc_variation", "vs_national", "gap_statistical_neighbours"],
        "in the table's order"
    );
    assert!(expected.rows.len() > 1000 && expected.rows.iter().all(|r| !r[3].is_empty()), "every row has its reason");
    assert_eq!(batch_csv(&[&cyp, &members, "--columns", &list]), expected, "CSV");

    let dir = temp_dir();
    let parquet = dir.path().join("r.parquet");
    let run = scorecard(&["batch", &cyp, &members, "--columns", &list, "-o", &s(&parquet)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(parquet_table(&parquet), keep_columns(&parquet_table(&dir_full_parquet(&cyp, &members, &dir)), &picked), "Parquet");

    let (json, full_json) = (dir.path().join("r.json"), dir.path().join("full.json"));
    for (args, path) in [(vec!["--columns", &list], &json), (vec![], &full_json)] {
        let mut all = vec!["batch", &cyp, &members, "-o"];
        let p = s(path);
        all.push(&p);
        all.extend(args);
        let run = scorecard(&all);
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    let read = |p: &Path| -> serde_json::Value { serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap() };
    let (part, whole) = (read(&json), read(&full_json));
    assert_eq!(part["columns"], serde_json::json!(expected.headers), "JSON columns");
    let (a, b) = (part["ratings"].as_array().unwrap(), whole["ratings"].as_array().unwrap());
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(b) {
        let y: serde_json::Map<String, serde_json::Value> =
            y.as_object().unwrap().iter().filter(|(k, _)| picked.contains(&k.as_str())).map(|(k, v)| (k.clone(), v.clone())).collect();
        assert_eq!(x.as_object().unwrap(), &y, "JSON row");
    }
    assert_eq!(part["provenance"], whole["provenance"], "the same provenance");

    // A dataset partitioned by a column that is not picked: the picked columns in every part.
    let dataset = dir.path().join("ds");
    let run = scorecard(&["batch", &cyp, &members, "--columns", "item,status", "--partition-by", "plan", "-o", &s(&dataset)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let part = parquet_table(&dataset.join("plan=cyp-2013/part-0.parquet"));
    assert_eq!(part.headers, ["item", "status"]);
    let cyp_rows = Table { headers: full.headers.clone(), rows: full.rows.iter().filter(|r| r[0] == "cyp-2013").cloned().collect() };
    assert_eq!(part, keep_columns(&cyp_rows, &["item", "status"]));
}

/// `batch` of both fixtures to Parquet, every column.
fn dir_full_parquet(cyp: &str, members: &str, dir: &tempfile::TempDir) -> PathBuf {
    let path = dir.path().join("full.parquet");
    let run = scorecard(&["batch", cyp, members, "-o", &s(&path)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    path
}

#[test]
fn columns_that_do_not_exist_are_refused_with_exit_2_and_nothing_written() {
    let cyp = fixture("cyp-2013");
    let dir = temp_dir();
    let out = dir.path().join("r.csv");
    for (list, says) in [
        ("item,stauts", "no column `stauts` (did you mean `status`?)"),
        ("item,vs_england", "no plan has the benchmark label `england`"),
        ("item,item", "names `item` twice"),
    ] {
        let run = scorecard(&["batch", &cyp, "--columns", list, "-o", &s(&out)]);
        assert_eq!(run.code, 2, "{list}: {}", run.stderr);
        assert!(run.stderr.contains(says), "{list}: {}", run.stderr);
        if !list.ends_with("item") {
            assert!(run.stderr.contains("the columns are: plan, period, kind"), "{}", run.stderr);
        }
        assert!(!out.exists(), "nothing written for {list}");
    }
}
