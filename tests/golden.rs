//! Golden ratings for every fixture, and byte-identical outputs whatever the run or thread
//! count (issue #4).
//!
//! `tests/golden/` holds `scorecard rate fixtures/<name> [--period P]` as committed files. The
//! test rates again and compares bytes; on a difference it fails with `scorecard diff`'s
//! account of what moved. To accept a change on purpose:
//!
//! ```sh
//! UPDATE_GOLDEN=1 cargo test --test integration golden
//! git diff tests/golden/        # review, then commit with the change that caused it
//! ```
//!
//! CI never sets `UPDATE_GOLDEN`, so it only ever compares.

use crate::util::{fixture, root, scorecard, scorecard_in};
use std::path::{Path, PathBuf};
use std::process::Command;

/// One golden file: a fixture rated at a period (`None`: its default, the latest reported).
struct Golden {
    fixture: &'static str,
    period: Option<&'static str>,
    file: &'static str,
}

const GOLDEN: &[Golden] = &[
    Golden { fixture: "cyp-2013", period: None, file: "cyp-2013.csv" },
    Golden { fixture: "cyp-2013", period: None, file: "cyp-2013.json" },
    // The smoking-at-delivery trajectory: Green against 18.8 in Q1, Red against 18.5 in Q2.
    Golden { fixture: "cyp-2013", period: Some("2013/14 Q1"), file: "cyp-2013@2013-14-Q1.csv" },
    Golden { fixture: "cyp-2013", period: Some("2013/14 Q2"), file: "cyp-2013@2013-14-Q2.csv" },
    Golden { fixture: "members-scorecard-2024", period: None, file: "members-scorecard-2024.csv" },
    Golden { fixture: "members-scorecard-2024", period: None, file: "members-scorecard-2024.json" },
    Golden { fixture: "members-scorecard-2024", period: Some("2023/24 Q2"), file: "members-scorecard-2024@2023-24-Q2.csv" },
    Golden { fixture: "members-scorecard-2024", period: Some("2023/24 Q3"), file: "members-scorecard-2024@2023-24-Q3.csv" },
];

fn golden_dir() -> PathBuf {
    root().join("tests").join("golden")
}

fn rate_args<'a>(g: &'a Golden, plan: &'a str) -> Vec<&'a str> {
    let mut args = vec!["rate", plan];
    if let Some(p) = g.period {
        args.extend(["--period", p]);
    }
    args
}

#[test]
fn every_fixture_has_golden_ratings() {
    let mut fixtures: Vec<String> = std::fs::read_dir(root().join("fixtures"))
        .expect("fixtures folder")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    fixtures.sort();
    for f in fixtures {
        assert!(GOLDEN.iter().any(|g| g.fixture == f), "fixtures/{f} has no golden ratings in tests/golden.rs");
    }
}

#[test]
fn golden_ratings_match_a_fresh_rating() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v != "0" && !v.is_empty());
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut failures = Vec::new();
    for g in GOLDEN {
        let plan = fixture(g.fixture);
        let fresh = tmp.path().join(g.file);
        let mut args = rate_args(g, &plan);
        args.extend(["-o", fresh.to_str().expect("utf-8 path")]);
        let run = scorecard(&args);
        assert_eq!(run.code, 0, "{}: {}", g.file, run.stderr);
        let fresh_bytes = std::fs::read(&fresh).expect("rated file");
        let golden = golden_dir().join(g.file);
        if update {
            std::fs::create_dir_all(golden_dir()).expect("tests/golden");
            std::fs::write(&golden, &fresh_bytes).expect("write golden file");
            continue;
        }
        match std::fs::read(&golden) {
            Ok(bytes) if bytes == fresh_bytes => {}
            Ok(_) => {
                let diff = scorecard(&["diff", "--all-fields", golden.to_str().unwrap(), fresh.to_str().unwrap()]);
                failures.push(format!("{} differs from a fresh rating:\n{}{}", g.file, diff.stdout, diff.stderr));
            }
            Err(e) => failures.push(format!("{}: {e}", golden.display())),
        }
    }
    assert!(
        failures.is_empty(),
        "{}\nIf the change is intended: UPDATE_GOLDEN=1 cargo test --test integration golden, review `git diff tests/golden`, commit.",
        failures.join("\n")
    );
}

#[test]
fn rate_check_against_each_golden_file_exits_0_silently() {
    for g in GOLDEN {
        let plan = fixture(g.fixture);
        let golden = golden_dir().join(g.file);
        let mut args = rate_args(g, &plan);
        args.extend(["--check", golden.to_str().unwrap()]);
        let run = scorecard(&args);
        assert_eq!((run.code, run.stdout.as_str(), run.stderr.as_str()), (0, "", ""), "{}", g.file);
    }
}

#[test]
fn rate_check_against_another_period_exits_1_and_names_the_move() {
    // The Q1 golden file against a Q2 rating: every key differs (the period is in the key).
    let golden = golden_dir().join("cyp-2013@2013-14-Q1.csv");
    let run = scorecard(&["rate", &fixture("cyp-2013"), "--period", "2013/14 Q2", "--check", golden.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.contains("added 1.15 2013/14 Q2: Red"), "{}", run.stdout);
    assert!(run.stdout.contains("removed 1.15 2013/14 Q1: Green"), "{}", run.stdout);
}

/// Runs `scorecard rate` with both thread pools at `threads`.
fn rate_with_threads(plan: &str, threads: &str, out: &Path) -> Vec<u8> {
    let status = Command::new(env!("CARGO_BIN_EXE_scorecard"))
        .args(["rate", plan, "-o", out.to_str().unwrap()])
        .env("POLARS_MAX_THREADS", threads)
        .env("RAYON_NUM_THREADS", threads)
        .status()
        .expect("the scorecard binary runs");
    assert!(status.success(), "rate {plan} with {threads} threads");
    std::fs::read(out).expect("rated file")
}

#[test]
fn outputs_are_byte_identical_across_runs_and_thread_counts() {
    let tmp = tempfile::tempdir().expect("temp dir");
    for name in ["cyp-2013", "members-scorecard-2024"] {
        let plan = fixture(name);
        for ext in ["csv", "json", "parquet"] {
            let mut outputs = Vec::new();
            for (run, threads) in [(1, "1"), (2, "1"), (1, "2"), (2, "2")] {
                let out = tmp.path().join(format!("{name}-{threads}-{run}.{ext}"));
                outputs.push((threads, run, rate_with_threads(&plan, threads, &out)));
            }
            let (_, _, first) = &outputs[0];
            assert!(!first.is_empty());
            for (threads, run, bytes) in &outputs[1..] {
                assert!(bytes == first, "{name}.{ext}: run {run} with {threads} threads differs from run 1 with 1 thread");
            }
        }
    }
}

#[test]
fn json_and_parquet_carry_provenance_and_csv_stays_plain() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let plan = fixture("cyp-2013");
    let csv = scorecard(&["rate", &plan]);
    assert!(csv.stdout.starts_with("plan,period,kind,item,"), "{}", &csv.stdout[..80]);
    let json: serde_json::Value = serde_json::from_str(&scorecard(&["rate", &plan, "-f", "json"]).stdout).expect("json");
    let p = &json["provenance"];
    assert_eq!(p["engine"], format!("scorecard {}", env!("CARGO_PKG_VERSION")));
    assert_eq!(p["plans"][0]["plan"], "cyp-2013");
    assert_eq!(p["plans"][0]["rules_sha256"].as_str().map(str::len), Some(64));
    let updates = std::fs::read(root().join("fixtures/cyp-2013/updates.csv")).expect("fixture");
    let files = p["plans"][0]["files_sha256"].as_object().expect("files");
    assert_eq!(files.len(), 8, "every file of the plan");
    assert_eq!(files["updates.csv"], scorecard_core::provenance::sha256_hex(&updates));
    // The keys keep their order: provenance, then columns and ratings.
    let keys: Vec<&String> = json.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["provenance", "columns", "ratings"]);

    let pq = tmp.path().join("r.parquet");
    assert_eq!(scorecard(&["rate", &plan, "-o", pq.to_str().unwrap()]).code, 0);
    use polars::prelude::SerReader;
    let mut reader = polars::prelude::ParquetReader::new(std::fs::File::open(&pq).expect("parquet"));
    let metadata = reader.get_metadata().expect("metadata");
    let kv = metadata.key_value_metadata.as_ref().expect("key-value metadata");
    let value = kv.iter().find(|k| k.key == "scorecard.provenance").and_then(|k| k.value.clone()).expect("provenance key");
    let from_parquet: serde_json::Value = serde_json::from_str(&value).expect("provenance json");
    assert_eq!(&from_parquet, p, "Parquet and JSON carry the same provenance");

    // A CSV, a JSON and a Parquet file of the same ratings hold the same ratings.
    let dir = tmp.path();
    std::fs::write(dir.join("r.csv"), &csv.stdout).unwrap();
    std::fs::write(dir.join("r.json"), serde_json::to_string(&json).unwrap()).unwrap();
    for (a, b) in [("r.csv", "r.json"), ("r.json", "r.parquet"), ("r.parquet", "r.csv")] {
        let run = scorecard_in(dir, &["diff", "--all-fields", a, b]);
        assert_eq!((run.code, run.stdout.as_str(), run.stderr.as_str()), (0, "", ""), "{a} vs {b}");
    }
}
