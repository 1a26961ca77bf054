//! Hostile and careless input (issue #12, the reading side): only regular files inside the plan
//! folder are read, every read is bounded, messages never echo raw bytes, damaged ratings files
//! are refused with exit 2 and their name, and the bounds (labels, field length, years,
//! numbers, wilson_z) are errors with positions. Each test checks the exact message parts and
//! the exit status, so that it fails when the behaviour goes.

use crate::util::{fixture, scorecard, scorecard_in, Run, TempPlan};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const M: &str = "priority,milestone,title\n1,1.1,One\n";
const U: &str = "milestone,period\n1.1,2013-12\n";
const ME: &str = "measure,title,polarity,frequency,target\nK1,Kpi,high,monthly,90\n";

/// `validate .` in `dir`: the exit status and standard error.
fn validate(dir: &Path) -> Run {
    scorecard_in(dir, &["validate", "."])
}

/// Runs `scorecard args` in `dir`, killing it after `limit`: a hang is a failure, not a stuck
/// test run.
fn within(limit: Duration, dir: &Path, args: &[&str]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_scorecard"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the scorecard binary runs");
    let start = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("scorecard {args:?} was still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().expect("output");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[cfg(unix)]
#[test]
fn a_link_out_of_the_folder_is_refused_without_reading_it() {
    // /proc/self/environ through updates.csv used to print the environment in "the header has:".
    let plan = TempPlan::new(&[("milestones.csv", M)]);
    std::os::unix::fs::symlink("/proc/self/environ", plan.dir.path().join("updates.csv")).unwrap();
    let run = validate(plan.dir.path());
    assert_eq!(run.code, 2, "{}", run.stderr);
    let first = run.stderr.lines().next().unwrap();
    assert!(first.starts_with("./updates.csv: is a link to /proc/"), "{first}");
    assert!(
        first.ends_with(", outside the plan folder; scorecard reads only files inside the plan folder: copy the file in instead"),
        "{first}"
    );
    assert!(!run.stderr.contains("PATH="), "the environment leaked: {}", run.stderr);

    // A link to a file elsewhere on disk, too; a link that stays inside the folder is read.
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("u.csv"), U).unwrap();
    let plan = TempPlan::new(&[("milestones.csv", M)]);
    std::os::unix::fs::symlink(outside.path().join("u.csv"), plan.dir.path().join("updates.csv")).unwrap();
    let run = validate(plan.dir.path());
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("outside the plan folder"), "{}", run.stderr);
    let plan = TempPlan::new(&[("milestones.csv", M), ("u-2013.csv", U)]);
    std::os::unix::fs::symlink("u-2013.csv", plan.dir.path().join("updates.csv")).unwrap();
    let run = validate(plan.dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[cfg(unix)]
#[test]
fn a_link_to_dev_zero_is_refused_at_once() {
    let plan = TempPlan::new(&[("milestones.csv", M)]);
    std::os::unix::fs::symlink("/dev/zero", plan.dir.path().join("updates.csv")).unwrap();
    let run = within(Duration::from_secs(30), plan.dir.path(), &["rate", "."]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        run.stderr.trim_end(),
        "scorecard: ./updates.csv: is a link to /dev/zero, outside the plan folder; scorecard reads only files inside the plan folder: copy the file in instead"
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_is_refused_and_nothing_hangs() {
    let plan = TempPlan::new(&[("milestones.csv", M)]);
    let fifo = plan.dir.path().join("updates.csv");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo runs");
    assert!(made.success());
    for args in [&["validate", "."][..], &["rate", "."], &["batch", ".", "-o", "out"]] {
        let run = within(Duration::from_secs(30), plan.dir.path(), args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(
            run.stderr.contains("updates.csv: is a FIFO (named pipe); scorecard reads only regular files: save it as a CSV file"),
            "{args:?}: {}",
            run.stderr
        );
    }
}

#[test]
fn a_folder_where_a_file_should_be_is_refused() {
    let plan = TempPlan::new(&[("milestones.csv", M)]);
    std::fs::create_dir(plan.dir.path().join("updates.csv")).unwrap();
    let run = validate(plan.dir.path());
    assert_eq!(run.code, 2);
    assert_eq!(run.stderr.lines().next().unwrap(), "./updates.csv: is a folder; scorecard reads only regular files: save it as a CSV file");
}

#[test]
fn more_benchmark_labels_than_the_bound_is_an_error_at_the_first_one_over() {
    // 51 labels, each on its own line: the 51st (line 52) is named, once.
    let mut benchmarks = String::from("item,period,benchmark,value\n");
    for i in 0..60 {
        benchmarks.push_str(&format!("K1,2013-12,comparator {i},{i}\n"));
    }
    let plan =
        TempPlan::new(&[("measures.csv", ME), ("values.csv", "measure,period,value\nK1,2013-12,5\n"), ("benchmarks.csv", &benchmarks)]);
    let run = validate(plan.dir.path());
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        run.stderr.lines().collect::<Vec<_>>(),
        [
            "./benchmarks.csv:52:3: column `benchmark`: \"comparator_50\" would be benchmark label number 51; a plan may have at most 50 labels (each adds three columns, vs_, gap_ and sig_, to every rating); keep the comparators members read, or split the plan",
            "scorecard: 1 problem found in .",
        ]
    );
    // 50 labels are read, and rated.
    let mut fifty = String::from("item,period,benchmark,value\n");
    for i in 0..50 {
        fifty.push_str(&format!("K1,2013-12,c{i},{i}\n"));
    }
    let plan = TempPlan::new(&[("measures.csv", ME), ("values.csv", "measure,period,value\nK1,2013-12,5\n"), ("benchmarks.csv", &fifty)]);
    let run = scorecard_in(plan.dir.path(), &["rate", "."]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.lines().next().unwrap().ends_with(",vs_c9,gap_c9,sig_c9"), "{}", run.stdout);
    assert!(run.stdout.contains(",worse,-44,"), "5 against c49's 49 is worse (high is good) by 44: {}", run.stdout);
}

#[test]
fn a_repeated_header_row_is_an_error_not_data() {
    let plan = TempPlan::new(&[
        ("milestones.csv", "priority,milestone,title\n1,1.1,One\nPriority, Milestone ,TITLE\n1,1.2,Two\n"),
        ("updates.csv", U),
    ]);
    let run = validate(plan.dir.path());
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr.lines().next().unwrap(),
        "./milestones.csv:3: this row repeats the header row; remove it (were two files pasted together?)"
    );
}

#[test]
fn a_utf16_file_says_so() {
    let plan = TempPlan::new(&[("updates.csv", U)]);
    // Excel's "Unicode text": UTF-16 little-endian with a byte-order mark.
    let mut bytes = vec![0xFF, 0xFE];
    for unit in M.encode_utf16() {
        bytes.extend(unit.to_le_bytes());
    }
    std::fs::write(plan.dir.path().join("milestones.csv"), &bytes).unwrap();
    let run = validate(plan.dir.path());
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr.lines().next().unwrap(),
        "./milestones.csv: this file is UTF-16 (Excel's \"Unicode text\"); save it as \"CSV UTF-8 (Comma delimited)\" instead"
    );
    assert!(!run.stderr.contains('\0'));
    // Without the byte-order mark too.
    let bytes: Vec<u8> = M.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    std::fs::write(plan.dir.path().join("milestones.csv"), &bytes).unwrap();
    assert!(validate(plan.dir.path()).stderr.starts_with("./milestones.csv: this file is UTF-16"));
}

#[test]
fn a_stray_byte_in_a_utf8_file_is_read_as_windows_1252_with_a_warning() {
    let plan = TempPlan::new(&[("updates.csv", U)]);
    // UTF-8 "Café" on line 2, then "Caf" and a lone Windows-1252 é on line 3.
    std::fs::write(plan.dir.path().join("milestones.csv"), b"priority,milestone,title\n1,1.1,Caf\xc3\xa9\n1,1.2,Caf\xe9\n").unwrap();
    let run = scorecard_in(plan.dir.path(), &["rate", "."]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr.lines().collect::<Vec<_>>(),
        ["scorecard: warning: ./milestones.csv:3:10: the file is not UTF-8 from here on: it is UTF-8 text with a byte that is not UTF-8, so the whole file was read as Windows-1252 and its other accented characters and symbols may now read wrongly; save it as \"CSV UTF-8 (Comma delimited)\" to be sure"]
    );
    // A file that is Windows-1252 throughout gets the plainer warning; validate prints it too.
    std::fs::write(plan.dir.path().join("milestones.csv"), b"priority,milestone,title\n1,1.1,Caf\xe9\n").unwrap();
    let run = validate(plan.dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr.trim_end(),
        "scorecard: warning: ./milestones.csv:2:10: the file is not UTF-8 from here on: it was read as Windows-1252 (Excel's older \"CSV (Comma delimited)\"); save it as \"CSV UTF-8 (Comma delimited)\" to be sure"
    );
}

#[test]
fn cr_only_line_endings_give_true_line_numbers() {
    let plan =
        TempPlan::new(&[("milestones.csv", &M.replace('\n', "\r")), ("updates.csv", "milestone,period\r1.1,2013-12\r1.1,2013-13\r")]);
    let run = validate(plan.dir.path());
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr.lines().next().unwrap(),
        "./updates.csv:3:2: column `period`: month 13 does not exist; expected a period such as 2013-12, Dec 2013, 2013/14 Q3, 2013/14 or 2013"
    );
}

#[test]
fn unknown_columns_are_warned_and_control_characters_in_headers_escaped() {
    let plan =
        TempPlan::new(&[("measures.csv", ME), ("values.csv", "measure,period,value,remarks,\x1b[31mred\n K1,2013-12,5,typed here,x\n")]);
    let run = validate(plan.dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(
        lines,
        [
            "scorecard: warning: ./values.csv:1:4: the column `remarks` is not one scorecard reads, so it is ignored; this file's columns are measure, period, value, numerator, denominator, lower_ci, upper_ci, lower_ci_99_8, upper_ci_99_8, commentary",
            "scorecard: warning: ./values.csv:1:5: the column `\\u{1b}[31mred` is not one scorecard reads, so it is ignored; this file's columns are measure, period, value, numerator, denominator, lower_ci, upper_ci, lower_ci_99_8, upper_ci_99_8, commentary",
        ]
    );
    assert!(!run.stderr.contains('\x1b'));
    // In an error's "the header has:" list as well.
    let plan = TempPlan::new(&[("milestones.csv", "priority,\x07bell,title\n1,1.1,One\n"), ("updates.csv", U)]);
    let run = validate(plan.dir.path());
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr.lines().next().unwrap(),
        "./milestones.csv:1: missing the required column `milestone`; the header has: priority, \\u{7}bell, title"
    );
}

#[test]
fn value_range_errors_name_file_line_and_column() {
    let plan = TempPlan::new(&[
        ("plan.toml", "[rules]\nwilson_z = 11\n"),
        ("milestones.csv", "priority,milestone,title,due\n1,1.1,One,31/03/2301\n"),
        (
            "updates.csv",
            "milestone,period,value,commentary\n1.1,1899-12,1.7976931348623157e308,ok\n1.1,2201-01,5,ok\n1.1,2013-12,5,\"a\0b\"\n",
        ),
    ]);
    let run = validate(plan.dir.path());
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr.lines().collect::<Vec<_>>(),
        [
            "./plan.toml:2:1: [rules] wilson_z = 11 must be above 0 and at most 10 (1.96 is a 95% interval; 10 is beyond any confidence level in use)",
            "./milestones.csv:2:4: column `due`: \"31/03/2301\" is outside the years 1900 to 2200; expected a date in that range (check the year's digits)",
            "./updates.csv:2:2: column `period`: \"1899-12\" is outside the years 1900 to 2200; expected a period in that range (check the year's digits)",
            "./updates.csv:2:3: column `value`: \"1.7976931348623157e308\" is too large; expected a number between -1e15 and 1e15 (a thousand million million), beyond which figures lose digits when written",
            "./updates.csv:3:2: column `period`: \"2201-01\" is outside the years 1900 to 2200; expected a period in that range (check the year's digits)",
            "./updates.csv:4:4: column `commentary`: holds a NUL character (byte 0); expected text",
            "scorecard: 6 problems found in .",
        ]
    );
}

#[test]
fn a_field_over_the_length_bound_is_an_error() {
    let long = "x".repeat(100_001);
    let plan = TempPlan::new(&[("milestones.csv", &format!("priority,milestone,title\n1,1.1,{long}\n")), ("updates.csv", U)]);
    let run = validate(plan.dir.path());
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr.lines().next().unwrap(),
        "./milestones.csv:2:3: column `title`: is 100001 characters long; a field may be at most 100000 characters (an Excel cell holds 32,767): check for a quote left open"
    );
}

/// Ratings of the members' scorecard fixture in `dir` as r.csv, r.json and r.parquet.
fn fixture_ratings(dir: &Path) {
    for ext in ["csv", "json", "parquet"] {
        let out = dir.join(format!("r.{ext}"));
        let run = scorecard(&["rate", &fixture("members-scorecard-2024"), "-o", out.to_str().unwrap()]);
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
}

#[test]
fn damaged_parquet_ratings_exit_2_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    fixture_ratings(dir.path());
    let good = std::fs::read(dir.path().join("r.parquet")).unwrap();
    let n = good.len();
    // Cut short, the footer's length made huge, the data pages overwritten, the footer's
    // row count and column chunks flipped.
    let mut mutations: Vec<(&str, Vec<u8>)> = vec![("truncated", good[..n / 2].to_vec())];
    let mut huge_footer = good.clone();
    huge_footer[n - 8..n - 4].copy_from_slice(&u32::MAX.to_le_bytes());
    mutations.push(("footer length", huge_footer));
    let mut pages = good.clone();
    pages[8..n / 3].iter_mut().for_each(|b| *b = 0xFF);
    mutations.push(("pages", pages));
    for at in [n - 9, n - 20, n - 40, n - 100, n / 2] {
        let mut flipped = good.clone();
        flipped[at] ^= 0x7F;
        mutations.push(("flipped", flipped));
    }
    for (i, (what, bytes)) in mutations.iter().enumerate() {
        let name = format!("bad{i}.parquet");
        std::fs::write(dir.path().join(&name), bytes).unwrap();
        for args in [["diff", "r.parquet", name.as_str()], ["diff", name.as_str(), "r.csv"]] {
            let run = scorecard_in(dir.path(), &args);
            // A flip may land where it changes only a value: then it is a change, or none.
            assert!(matches!(run.code, 0..=2), "{what}: {args:?} exited {}: {}", run.code, run.stderr);
            assert!(!run.stderr.contains("panicked"), "{what}: {}", run.stderr);
            if run.code == 2 {
                assert!(run.stderr.starts_with(&format!("scorecard: {name}: ")), "{what}: {}", run.stderr);
            }
        }
    }
    // The cut file is certainly refused.
    let run = scorecard_in(dir.path(), &["diff", "r.parquet", "bad0.parquet"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.starts_with("scorecard: bad0.parquet: cannot read it as Parquet: "), "{}", run.stderr);
    assert!(
        run.stderr.trim_end().ends_with("; expected ratings as `scorecard rate` writes them in CSV, JSON or Parquet"),
        "{}",
        run.stderr
    );
    let run = scorecard_in(dir.path(), &["rate", &fixture("members-scorecard-2024"), "--check", "bad0.parquet"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("bad0.parquet: cannot read it as Parquet: "), "{}", run.stderr);
}

#[test]
fn ratings_read_back_are_checked_field_by_field() {
    let dir = tempfile::tempdir().unwrap();
    fixture_ratings(dir.path());
    let csv = std::fs::read_to_string(dir.path().join("r.csv")).unwrap();
    let mut lines: Vec<String> = csv.lines().map(str::to_string).collect();
    let header: Vec<&str> = lines[0].split(',').collect();
    let status = header.iter().position(|h| *h == "status").unwrap() + 1;
    let period = header.iter().position(|h| *h == "period").unwrap() + 1;
    // Line 2's period, line 3's status (the fixture's first rows have no quoted fields before).
    lines[1] = lines[1].replacen(",2023-12,", ",bogus,", 1);
    let purple = lines[2].replacen(",Green,", ",Purple,", 1).replacen(",Red,", ",Purple,", 1).replacen(",Amber,", ",Purple,", 1);
    lines[2] = purple;
    std::fs::write(dir.path().join("bad.csv"), lines[..2].join("\n") + "\n").unwrap();
    let run = scorecard_in(dir.path(), &["diff", "r.csv", "bad.csv"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        run.stderr.trim_end(),
        format!("scorecard: bad.csv:2:{period}: column `period`: \"bogus\" is not a value scorecard writes here; expected a period such as 2013-12, 2013/14 Q3 or 2013/14")
    );
    let fixed = [lines[0].clone(), lines[2].clone()].join("\n") + "\n";
    std::fs::write(dir.path().join("bad.csv"), fixed).unwrap();
    let run = scorecard_in(dir.path(), &["diff", "bad.csv", "r.csv"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        run.stderr.trim_end(),
        format!("scorecard: bad.csv:2:{status}: column `status`: \"Purple\" is not a value scorecard writes here; expected one of Green, Amber, Red, Blue")
    );
}
