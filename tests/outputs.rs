//! Issue #12, the writing side: outputs never clobber what they should not (a device, a FIFO,
//! an input file), an interrupted or failed run leaves nothing behind, a report folder keeps
//! only what its page links, CSV cells cannot run as spreadsheet formulas, and the report
//! stays bounded on hostile titles, colliding ids and huge values.

use crate::util::{fixture, scorecard, scorecard_in, TempPlan};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn s(p: &Path) -> String {
    p.display().to_string()
}

/// Every entry under `dir`, recursively, relative to it, sorted.
fn tree(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().map(|e| e.unwrap()) {
            let p = e.path();
            out.push(p.strip_prefix(dir).unwrap().display().to_string());
            if p.is_dir() {
                stack.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Copies a fixture plan into a fresh folder (so a test may try to overwrite its files).
fn copy_fixture(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join(name);
    std::fs::create_dir(&plan).unwrap();
    for e in std::fs::read_dir(fixture(name)).unwrap().map(|e| e.unwrap()) {
        if e.path().is_file() {
            std::fs::copy(e.path(), plan.join(e.file_name())).unwrap();
        }
    }
    (dir, plan)
}

/// Waits for `child`, killing it (and failing) if it runs on for minutes: a hang is the bug
/// these tests look for, and a test must end. No time is asserted otherwise.
fn wait_or_kill(mut child: Child, what: &str) -> std::process::ExitStatus {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if start.elapsed() > Duration::from_secs(600) {
            let _ = child.kill();
            panic!("{what}: still running after ten minutes (a hang)");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn report_in(dir: &Path, plan: &str, out: &Path) -> (i32, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_scorecard"))
        .args(["report", plan, "-o", &s(out)])
        .env("SOURCE_DATE_EPOCH", "1795392000")
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut pipe = child.stderr.take().unwrap();
    let stderr = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = std::io::Read::read_to_string(&mut pipe, &mut text);
        text
    });
    let status = wait_or_kill(child, "report");
    (status.code().unwrap_or(-1), stderr.join().unwrap())
}

#[cfg(target_os = "linux")]
#[test]
fn a_write_that_fails_is_reported_with_the_file_and_the_systems_reason() {
    // A target that is not a regular file is written into directly: its error names it, with
    // the system's reason, and the run does not succeed. /dev/full refuses every write with
    // ENOSPC.
    for args in [["batch", "-o", "/dev/full"], ["rate", "-o", "/dev/full"]] {
        let run = scorecard(&[args[0], &fixture("cyp-2013"), args[1], args[2]]);
        assert_ne!(run.code, 0, "{args:?}: {}", run.stderr);
        assert!(
            run.stderr.contains("cannot write /dev/full") && run.stderr.contains("No space left on device"),
            "{args:?}: {}",
            run.stderr
        );
    }
}

#[cfg(unix)]
#[test]
fn a_device_target_is_written_into_not_replaced() {
    use std::os::unix::fs::FileTypeExt;
    let run = scorecard(&["rate", &fixture("cyp-2013"), "-o", "/dev/null"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(std::fs::metadata("/dev/null").unwrap().file_type().is_char_device(), "/dev/null was replaced by a file");

    // A FIFO: the ratings arrive through it, and it is still a FIFO afterwards.
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("ratings.fifo");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read(fifo).unwrap())
    };
    let run = scorecard(&["rate", &fixture("cyp-2013"), "-o", &s(&fifo)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let received = reader.join().unwrap();
    assert!(received.starts_with(b"plan,period,kind,item"), "{:?}", String::from_utf8_lossy(&received[..received.len().min(80)]));
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo(), "the FIFO was replaced by a file");
    assert_eq!(tree(dir.path()), ["ratings.fifo"], "no temporary file beside it");
}

#[test]
fn an_output_that_is_an_input_is_refused() {
    let (dir, plan) = copy_fixture("cyp-2013");
    let updates = plan.join("updates.csv");
    let before = std::fs::read(&updates).unwrap();
    let dotted = plan.join("..").join("cyp-2013").join(".").join("updates.csv");
    for args in [
        vec!["rate".to_string(), s(&plan), "-o".into(), s(&updates)],
        vec!["rate".to_string(), s(&plan), "-o".into(), s(&dotted)],
        vec!["overview".to_string(), s(&plan), "-o".into(), s(&plan.join("milestones.csv"))],
        vec!["batch".to_string(), s(&plan), "-o".into(), s(&plan.join("values.csv"))],
    ] {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = scorecard(&args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains("is one of the input files"), "{}", run.stderr);
    }
    // The golden file of --check is an input too.
    let golden = dir.path().join("golden.csv");
    assert_eq!(scorecard(&["rate", &s(&plan), "-o", &s(&golden)]).code, 0);
    let run = scorecard(&["rate", &s(&plan), "--check", &s(&golden), "-o", &s(&golden)]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    // A link that leads to an input is refused as well.
    #[cfg(unix)]
    {
        let link = dir.path().join("link.csv");
        std::os::unix::fs::symlink(&updates, &link).unwrap();
        assert_eq!(scorecard(&["rate", &s(&plan), "-o", &s(&link)]).code, 2);
    }
    assert_eq!(std::fs::read(&updates).unwrap(), before, "the plan's own file was overwritten");
    // Writing beside the inputs, under another name, is fine.
    assert_eq!(scorecard(&["rate", &s(&plan), "-o", &s(&plan.join("ratings.csv"))]).code, 0);
}

#[test]
fn a_failed_run_leaves_no_folder_or_empty_partition_behind() {
    let bad = TempPlan::new(&[
        ("milestones.csv", "priority,milestone,title\n1,1.1,Do the thing\n"),
        ("updates.csv", "milestone,period,status\n1.1,2013-12,Gren\n"),
    ]);
    let out = tempfile::tempdir().unwrap();
    let cyp = fixture("cyp-2013");
    // The plans are read once the output is open: the folders made for it must go again.
    let run = scorecard(&["batch", &cyp, &bad.path(), "-o", &s(&out.path().join("new/deeper/ratings.csv"))]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(tree(out.path()), Vec::<String>::new());
    // A shared (sharded) dataset: the good plan's partition folder is made, then the bad plan
    // stops the run; neither the partition nor the dataset folder stays.
    let run = scorecard(&["batch", &cyp, &bad.path(), "--partition-by", "plan", "--shard", "1/1", "-o", &s(&out.path().join("ds"))]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(tree(out.path()), Vec::<String>::new());
    // Without --shard the dataset is staged beside its folder: nothing stays either.
    let run = scorecard(&["batch", &cyp, &bad.path(), "--partition-by", "period", "-o", &s(&out.path().join("ds"))]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(tree(out.path()), Vec::<String>::new());
}

/// Sends `signal` to a running `scorecard batch` once its output has started (a temporary
/// file or a staging folder is there), and checks it exits 128 + signal leaving nothing.
#[cfg(unix)]
fn interrupt_batch(signal: &str, code: i32, partitioned: bool) {
    let plans = tempfile::tempdir().unwrap();
    let generate = scorecard(&["generate", "-o", &s(plans.path()), "--plans", "8"]);
    assert_eq!(generate.code, 0, "{}", generate.stderr);
    let mut args: Vec<String> = vec!["batch".into()];
    args.extend(tree(plans.path()).iter().filter(|p| !p.contains('/')).map(|p| s(&plans.path().join(p))));
    let out = tempfile::tempdir().unwrap();
    if partitioned {
        args.extend(["--partition-by".into(), "period".into(), "-o".into(), s(&out.path().join("new/ds"))]);
    } else {
        args.extend(["-o".into(), s(&out.path().join("new/ratings.csv"))]);
    }
    let child = Command::new(env!("CARGO_BIN_EXE_scorecard")).args(&args).stdout(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap();
    // Mid-run: the temporary output exists (it is made before the first plan is rated).
    let started = Instant::now();
    while !tree(out.path()).iter().any(|p| p.contains("/.")) {
        assert!(started.elapsed() < Duration::from_secs(600), "the batch never started writing");
        std::thread::sleep(Duration::from_millis(5));
    }
    let kill = Command::new("kill").args([signal, &child.id().to_string()]).status().unwrap();
    assert!(kill.success());
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(code), "the run finished before the signal, or ignored it: {stderr}");
    assert!(stderr.contains("temporary files"), "{stderr}");
    assert_eq!(tree(out.path()), Vec::<String>::new(), "left behind after {signal}");
}

#[cfg(unix)]
#[test]
fn sigint_mid_batch_removes_the_temporary_file_and_exits_130() {
    interrupt_batch("-INT", 130, false);
}

#[cfg(unix)]
#[test]
fn sigterm_mid_batch_removes_the_staging_folder_and_exits_143() {
    interrupt_batch("-TERM", 143, true);
}

const MEASURES: &str = "measure,title,polarity,frequency,unit,target\n";

fn measures_plan(rows: &[(&str, &str, &str)]) -> TempPlan {
    let mut measures = MEASURES.to_string();
    let mut values = "measure,period,value\n".to_string();
    for (id, title, target) in rows {
        measures.push_str(&format!("\"{id}\",\"{title}\",high,monthly,,{target}\n"));
        values.push_str(&format!("\"{id}\",2013-04,4\n\"{id}\",2013-05,5\n"));
    }
    TempPlan::new(&[("measures.csv", &measures), ("values.csv", &values)])
}

#[test]
fn a_report_into_an_old_folder_removes_the_charts_it_no_longer_writes() {
    let out = tempfile::tempdir().unwrap();
    let report = out.path().join("report");
    let two = measures_plan(&[("K1", "One", "5"), ("K2", "Two", "5")]);
    assert_eq!(report_in(out.path(), &two.path(), &report).0, 0);
    assert!(report.join("charts/trend-K2.svg").exists());
    // Something of the user's own in the folder: never removed.
    std::fs::write(report.join("charts/mine.png"), "mine").unwrap();
    std::fs::write(report.join("notes.txt"), "mine").unwrap();
    let one = measures_plan(&[("K1", "One", "5")]);
    assert_eq!(report_in(out.path(), &one.path(), &report).0, 0);
    assert_eq!(
        tree(&report),
        [
            ".scorecard-report-files",
            "charts",
            "charts/mine.png",
            "charts/overview.png",
            "charts/overview.svg",
            "charts/trend-K1.png",
            "charts/trend-K1.svg",
            "charts/xmr-K1.png",
            "charts/xmr-K1.svg",
            "notes.txt",
            "report.html"
        ]
    );
    // A manifest naming something else (by hand, or damaged) removes nothing outside charts.
    std::fs::write(report.join(".scorecard-report-files"), "notes.txt\n../outside\ncharts/../notes.txt\ncharts/mine.png.txt\n").unwrap();
    assert_eq!(report_in(out.path(), &one.path(), &report).0, 0);
    assert!(report.join("notes.txt").exists() && report.join("charts/mine.png").exists());
}

#[test]
fn formula_cells_are_escaped_and_read_back_unchanged() {
    let plan = TempPlan::new(&[
        ("priorities.csv", "priority,title\n1,\"=HYPERLINK(\"\"http://x\"\",\"\"click\"\")\"\n"),
        ("milestones.csv", "priority,milestone,title\n1,1.1,@SUM(1+1)\n1,1.2,-3\n1,1.3,'=already quoted\n1,1.4,+44 20 7946 0000\n"),
        ("updates.csv", "milestone,period,complete\n1.1,2013-12,yes\n1.2,2013-12,no\n1.3,2013-12,no\n1.4,2013-12,no\n"),
    ]);
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("r.csv");
    let json = dir.path().join("r.json");
    assert_eq!(scorecard(&["rate", &plan.path(), "-o", &s(&csv)]).code, 0);
    assert_eq!(scorecard(&["rate", &plan.path(), "-o", &s(&json)]).code, 0);
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.contains(",'@SUM(1+1),"), "{text}");
    assert!(text.contains(",-3,"), "a number stays as it is: {text}");
    assert!(text.contains(",''=already quoted,"), "{text}");
    assert!(text.contains(",'+44 20 7946 0000,"), "{text}");
    assert!(!text.contains(",@SUM") && !text.contains(",=") && !text.contains(",+44"), "{text}");
    // JSON holds the text itself.
    let json_text = std::fs::read_to_string(&json).unwrap();
    assert!(json_text.contains("\"@SUM(1+1)\"") && json_text.contains("\"'=already quoted\""), "{json_text}");
    // diff reads the CSV back to the text: the same ratings, nothing reported.
    let run = scorecard(&["diff", &s(&csv), &s(&json), "--all-fields"]);
    assert_eq!((run.code, run.stdout.as_str()), (0, ""), "{}", run.stderr);
    let run = scorecard(&["rate", &plan.path(), "--check", &s(&csv), "--all-fields"]);
    assert_eq!((run.code, run.stdout.as_str()), (0, ""), "{}", run.stderr);
    // batch writes the same cells as rate.
    let batch = dir.path().join("b.csv");
    assert_eq!(scorecard(&["batch", &plan.path(), "--periods", "2013-12", "-o", &s(&batch)]).code, 0);
    assert_eq!(std::fs::read_to_string(&batch).unwrap(), text);
    // The overview CSV too.
    let run = scorecard(&["overview", &plan.path(), "-f", "csv"]);
    assert!(run.stdout.contains("1,\"'=HYPERLINK(\"\"http://x\"\",\"\"click\"\")\","), "{}", run.stdout);
    // The opt-out writes the text as it is.
    let kept = dir.path().join("kept.csv");
    assert_eq!(scorecard(&["rate", &plan.path(), "--csv-formulas", "keep", "-o", &s(&kept)]).code, 0);
    assert!(std::fs::read_to_string(&kept).unwrap().contains(",@SUM(1+1),"));
    let run = scorecard(&["overview", &plan.path(), "-f", "csv", "--csv-formulas", "keep"]);
    assert!(run.stdout.contains("1,\"=HYPERLINK("), "{}", run.stdout);
}

#[test]
fn a_title_of_huge_words_is_cut_to_the_chart() {
    let word = "W".repeat(20_000);
    let title = [word.as_str(); 4].join(" ");
    let plan = measures_plan(&[("K1", &title, "5")]);
    let out = tempfile::tempdir().unwrap();
    let (code, stderr) = report_in(out.path(), &plan.path(), &out.path().join("r"));
    assert_eq!(code, 0, "{stderr}");
    // Each line of the chart's title is cut to its width: a few dozen glyphs, not 20,000.
    let svg = std::fs::read_to_string(out.path().join("r/charts/trend-K1.svg")).unwrap();
    let uses = svg.matches("<use ").count();
    assert!(uses < 2_000, "{uses} glyphs drawn");
}

#[test]
fn ids_that_read_alike_get_their_own_chart_files_and_page_ids() {
    let plan =
        measures_plan(&[("M/1", "Slash", "5"), ("M-1", "Dash", "5"), ("M 1", "Space", "5"), ("k1", "Lower", "5"), ("K1", "Upper", "5")]);
    let out = tempfile::tempdir().unwrap();
    let report = out.path().join("r");
    let (code, stderr) = report_in(out.path(), &plan.path(), &report);
    assert_eq!(code, 0, "{stderr}");
    let charts: Vec<String> = tree(&report.join("charts")).into_iter().filter(|n| n.ends_with(".svg")).collect();
    assert_eq!(charts.len(), 11, "{charts:?}");
    let folded: HashSet<String> = charts.iter().map(|c| c.to_lowercase()).collect();
    assert_eq!(folded.len(), 11, "names that differ only in case: {charts:?}");
    let html = std::fs::read_to_string(report.join("report.html")).unwrap();
    let mut seen = HashSet::new();
    for id in html.split(" id=\"").skip(1).filter_map(|s| s.split('"').next()) {
        assert!(seen.insert(id.to_string()), "the page repeats the element id {id}");
    }
    // The same plan gives the same names.
    let again = out.path().join("again");
    assert_eq!(report_in(out.path(), &plan.path(), &again).0, 0);
    assert_eq!(tree(&again.join("charts")), tree(&report.join("charts")));
}

#[test]
fn a_target_beyond_the_plottable_range_is_refused_by_the_reader() {
    let plan = measures_plan(&[("K1", "Huge", "1e305"), ("K2", "Fine", "5")]);
    let out = tempfile::tempdir().unwrap();
    // The plan reader refuses numbers beyond ±1e15 (issue #12's reading side), so such a
    // target never reaches the charts: the report stops with the reader's message, and the
    // charts' own range check stays as a second line of defence.
    let (code, stderr) = report_in(out.path(), &plan.path(), &out.path().join("r"));
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("\"1e305\" is too large; expected a number between -1e15 and 1e15"), "{stderr}");
    assert!(!out.path().join("r/report.html").exists());
}

#[test]
fn the_demo_report_runs_anywhere() {
    let dir = tempfile::tempdir().unwrap();
    let run = scorecard_in(dir.path(), &["report", "-o", "r"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(dir.path().join("r/.scorecard-report-files").exists());
}
