//! Snapshots of every fixture's ratings, and byte-identical outputs whatever the run or thread
//! count (issue #4).
//!
//! `scorecard rate fixtures/<name> [--period P] -f csv|json` is kept as insta *binary*
//! snapshots: `tests/snapshots/integration__ratings__rate-<name>[-<period>]-<format>.snap`
//! holds the metadata and `....snap.csv` / `....snap.json` the output's exact bytes (a text snapshot
//! would trim trailing whitespace and CRLF before comparing; a binary one compares every
//! byte). The `.snap.csv` files are real ratings files: the `rate --check` tests use them.
//! On a difference the test prints `scorecard diff`'s account of what moved, then fails. To
//! accept a change on purpose, see the README ("Snapshots"):
//!
//! ```sh
//! cargo insta review            # or: INSTA_UPDATE=always cargo test --test integration
//! git diff tests/snapshots/     # review every moved rating, then commit with its cause
//! ```
//!
//! CI sets `INSTA_UPDATE=no`, so it only ever compares.

use crate::util::{fixture, fixtures, root, scorecard, scorecard_in, snapshots_dir};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Periods rated besides each fixture's default (the latest reported).
const PERIODS: &[(&str, &[&str])] = &[
    // The smoking-at-delivery trajectory: Green against 18.8 in Q1, Red against 18.5 in Q2.
    ("cyp-2013", &["2013/14 Q1", "2013/14 Q2"]),
    ("members-scorecard-2024", &["2023/24 Q2", "2023/24 Q3"]),
];

const FORMATS: &[&str] = &["csv", "json"];

/// One rating snapshot: a fixture at a period (`None`: its default), in a format.
struct Rating {
    fixture: String,
    period: Option<&'static str>,
    format: &'static str,
}

impl Rating {
    /// The snapshot's name: `rate-<fixture>[-<period>]-<format>` (`2013/14 Q1` reads
    /// `2013-14-q1`). The format is in the name as well as in the extension: insta keeps one
    /// `.snap` metadata file per name.
    fn name(&self) -> String {
        match self.period {
            None => format!("rate-{}-{}", self.fixture, self.format),
            Some(p) => format!("rate-{}-{}-{}", self.fixture, p.replace(['/', ' '], "-").to_lowercase(), self.format),
        }
    }

    /// The committed file with the snapshot's bytes.
    fn committed(&self) -> PathBuf {
        snapshots_dir().join(format!("integration__ratings__{}.snap.{}", self.name(), self.format))
    }

    /// The command, as one would type it at the repository's root.
    fn command(&self) -> String {
        let period = self.period.map(|p| format!(" --period '{p}'")).unwrap_or_default();
        format!("scorecard rate fixtures/{}{period} -f {}", self.fixture, self.format)
    }

    fn args<'a>(&'a self, plan: &'a str) -> Vec<&'a str> {
        let mut args = vec!["rate", plan, "-f", self.format];
        if let Some(p) = self.period {
            args.extend(["--period", p]);
        }
        args
    }
}

/// Every rating snapshot: each fixture at its default period and at its `PERIODS`, in CSV and
/// JSON.
fn ratings() -> Vec<Rating> {
    let mut all = Vec::new();
    for name in fixtures() {
        let extra = PERIODS.iter().find(|(f, _)| *f == name).map(|(_, p)| *p).unwrap_or(&[]);
        for period in std::iter::once(None).chain(extra.iter().copied().map(Some)) {
            for format in FORMATS {
                all.push(Rating { fixture: name.clone(), period, format });
            }
        }
    }
    all
}

/// The JSON's `"engine": "scorecard <version>"` with the version as `[VERSION]`, so that a
/// release does not rewrite every snapshot; every other byte is kept.
fn without_version(json: Vec<u8>) -> Vec<u8> {
    let text = String::from_utf8(json).expect("JSON is UTF-8");
    let engine = format!("\"engine\":\"scorecard {}\"", env!("CARGO_PKG_VERSION"));
    assert_eq!(text.matches(&engine).count(), 1, "one {engine} in the JSON");
    text.replace(&engine, "\"engine\":\"scorecard [VERSION]\"").into_bytes()
}

#[test]
fn every_fixture_has_rating_snapshots() {
    let names = fixtures();
    assert!(names.len() >= 2, "{names:?}");
    for name in &names {
        assert!(PERIODS.iter().any(|(f, _)| f == name), "fixtures/{name}: add its other periods to PERIODS in tests/ratings.rs");
    }
    let all = ratings();
    for r in &all {
        assert!(r.committed().is_file(), "no {} (run the tests with INSTA_UPDATE=always, review, commit)", r.committed().display());
    }
    // And no snapshot is left of a fixture or period that is gone.
    let expected: Vec<PathBuf> =
        all.iter().flat_map(|r| [r.committed(), snapshots_dir().join(format!("integration__ratings__{}.snap", r.name()))]).collect();
    for entry in std::fs::read_dir(snapshots_dir()).expect("tests/snapshots") {
        let path = entry.expect("entry").path();
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        if file.starts_with("integration__ratings__rate-") {
            assert!(expected.contains(&path), "{file} is not a rating snapshot any more: remove it");
        }
    }
}

#[test]
fn ratings_match_their_snapshots_byte_for_byte() {
    let tmp = tempfile::tempdir().expect("temp dir");
    for r in ratings() {
        let plan = fixture(&r.fixture);
        let fresh = tmp.path().join(format!("{}.{}", r.name(), r.format));
        let mut args = r.args(&plan);
        args.extend(["-o", fresh.to_str().expect("utf-8 path")]);
        let run = scorecard(&args);
        assert_eq!((run.code, run.stderr.as_str()), (0, ""), "{}", r.name());
        let mut bytes = std::fs::read(&fresh).expect("rated file");
        assert!(bytes.ends_with(b"\n") && !bytes.ends_with(b"\n\n"), "{}: one newline at the end", r.name());
        if r.format == "json" {
            bytes = without_version(bytes);
            std::fs::write(&fresh, &bytes).expect("rewrite");
        }
        // Before insta's verdict, what moved, in the words of `scorecard diff`.
        if std::fs::read(r.committed()).is_ok_and(|old| old != bytes) {
            let diff = scorecard(&["diff", "--all-fields", r.committed().to_str().unwrap(), fresh.to_str().unwrap()]);
            eprintln!("`{}` differs from {}:\n{}{}", r.command(), r.committed().display(), diff.stdout, diff.stderr);
        }
        insta::with_settings!({ omit_expression => true, description => r.command() }, {
            insta::assert_binary_snapshot!(&format!("{}.{}", r.name(), r.format), bytes);
        });
    }
}

#[test]
fn rate_check_against_each_committed_csv_snapshot_exits_0_silently() {
    for r in ratings().iter().filter(|r| r.format == "csv") {
        let plan = fixture(&r.fixture);
        let mut args = r.args(&plan);
        let committed = r.committed();
        args.extend(["--check", committed.to_str().unwrap()]);
        let run = scorecard(&args);
        assert_eq!((run.code, run.stdout.as_str(), run.stderr.as_str()), (0, "", ""), "{}", r.name());
    }
}

#[test]
fn rate_check_against_a_json_file_written_in_a_temp_dir_exits_0_silently() {
    let tmp = tempfile::tempdir().expect("temp dir");
    for name in fixtures() {
        let plan = fixture(&name);
        let golden = tmp.path().join(format!("{name}.json"));
        assert_eq!(scorecard(&["rate", &plan, "-o", golden.to_str().unwrap()]).code, 0);
        let run = scorecard(&["rate", &plan, "--check", golden.to_str().unwrap(), "--all-fields"]);
        assert_eq!((run.code, run.stdout.as_str(), run.stderr.as_str()), (0, "", ""), "{name}");
    }
}

#[test]
fn rate_check_against_another_period_exits_1_and_names_the_move() {
    // The Q1 snapshot against a Q2 rating: every key differs (the period is in the key).
    let q1 = Rating { fixture: "cyp-2013".into(), period: Some("2013/14 Q1"), format: "csv" }.committed();
    let run = scorecard(&["rate", &fixture("cyp-2013"), "--period", "2013/14 Q2", "--check", q1.to_str().unwrap()]);
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
    for name in fixtures() {
        let plan = fixture(&name);
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
