//! `scorecard report [PLAN]` (issue #3): the members' report, one self-contained HTML page
//! with every chart beside it as PNG and SVG. With no PLAN, the bundled demo plan. Rendering
//! lives in `scorecard_report`; this file picks the plan, the period and the date, and
//! writes the files.
//!
//! The "produced" date is today's, or the UTC date of `SOURCE_DATE_EPOCH` when that is set
//! (as reproducible-build tools do), so that two runs can give identical bytes.

use crate::args::{ReportArgs, ReportFormat};
use crate::common::{demo_plan, pick_report_period, read_plan, write_file, Created, Inputs};
use anyhow::{bail, Context, Result};
use scorecard_core::{rate, RateOptions};
use scorecard_report::{document, folder_name, report, DocumentFormat, ReportOptions};
use std::collections::HashSet;
use std::path::Path;
use std::process::ExitCode;

/// The date the report says it was produced: `SOURCE_DATE_EPOCH` (seconds since 1970, UTC)
/// when set, else today.
fn produced() -> Result<chrono::NaiveDate> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(text) => {
            let seconds: i64 =
                text.trim().parse().with_context(|| format!("SOURCE_DATE_EPOCH={text:?} is not a number of seconds since 1970-01-01"))?;
            match chrono::DateTime::from_timestamp(seconds, 0) {
                Some(t) => Ok(t.date_naive()),
                None => bail!("SOURCE_DATE_EPOCH={text:?} is out of range"),
            }
        }
        Err(_) => Ok(chrono::Local::now().date_naive()),
    }
}

/// The list of the files a report wrote into its folder (relative paths, one a line), so that
/// the next report into the same folder removes the charts it no longer writes, and nothing
/// else (issue #12).
const MANIFEST: &str = ".scorecard-report-files";

/// The charts an earlier report listed in `dir`'s manifest. Only names a report writes are
/// taken (`charts/` and a name of letters, digits, `-` and `.`, ending `.png` or `.svg`), so a
/// damaged or hand-made manifest can never remove anything else.
fn written_before(dir: &Path) -> Vec<String> {
    // A `charts` that is a link to another folder is not the report's own: nothing there is
    // removed.
    if !std::fs::symlink_metadata(dir.join("charts")).is_ok_and(|m| m.is_dir()) {
        return Vec::new();
    }
    let Ok(text) = std::fs::read_to_string(dir.join(MANIFEST)) else { return Vec::new() };
    text.lines()
        .filter(|line| {
            let Some(name) = line.strip_prefix("charts/") else { return false };
            let stem = name.strip_suffix(".png").or_else(|| name.strip_suffix(".svg")).unwrap_or("");
            !stem.is_empty() && !stem.starts_with('.') && stem.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
        })
        .map(str::to_string)
        .collect()
}

/// Writes `files` into `dir` and, with `manifest`, the manifest after them. When one fails,
/// the files this run added and the folders it created are removed again (files it replaced
/// stay replaced).
fn write_all(dir: &Path, files: &[(String, &[u8])], manifest: bool) -> Result<()> {
    let mut created = Created::default();
    if files.iter().any(|(name, _)| name.starts_with("charts/")) {
        created.dirs(&dir.join("charts"))?;
    } else {
        created.dirs(dir)?;
    }
    let mut added: Vec<std::path::PathBuf> = Vec::new();
    let list: String = files.iter().map(|(name, _)| format!("{name}\n")).collect();
    let listed = manifest.then_some((MANIFEST, list.as_bytes()));
    let result = (|| -> Result<()> {
        for (name, bytes) in files.iter().map(|(n, b)| (n.as_str(), *b)).chain(listed) {
            let path = dir.join(name);
            let existed = std::fs::symlink_metadata(&path).is_ok();
            write_file(&path, |w| Ok(w.write_all(bytes)?))?;
            if !existed {
                added.push(path);
            }
        }
        Ok(())
    })();
    if result.is_err() {
        for path in &added {
            let _ = std::fs::remove_file(path);
        }
        return result;
    }
    created.keep();
    Ok(())
}

/// Runs `scorecard report`.
pub fn run(args: ReportArgs) -> Result<ExitCode> {
    let plan = match &args.plan {
        Some(path) => read_plan(path)?,
        None => demo_plan()?,
    };
    let period = pick_report_period(&plan, args.period.as_deref())?;
    let produced = produced()?;
    let ratings = rate(&plan, period, RateOptions { rollup: args.rollup, ..RateOptions::default() }).context("rating failed")?;
    let options = ReportOptions { produced };
    let dir = args.output.clone().unwrap_or_else(|| Path::new("reports").join(folder_name(&plan, period)));
    let what = if args.plan.is_none() { "the demo plan" } else { plan.name.as_str() };
    let (format, name) = match args.format {
        ReportFormat::Html => (None, "report.html"),
        ReportFormat::Docx => (Some(DocumentFormat::Docx), "report.docx"),
        ReportFormat::Xlsx => (Some(DocumentFormat::Xlsx), "report.xlsx"),
    };
    if let Some(format) = format {
        let bytes = document(&plan, period, &ratings, &options, format).context("the report failed")?;
        let file = dir.join(name);
        if let Some(plan_dir) = &args.plan {
            let mut inputs = Inputs::default();
            inputs.plan(plan_dir);
            inputs.refuse(&file)?;
        }
        // No manifest: the one an HTML report left in this folder keeps listing its charts.
        write_all(&dir, &[(name.to_string(), &bytes)], false)?;
        println!("Report of {what} at {period}:");
        println!("  {}", file.display());
        return Ok(ExitCode::SUCCESS);
    }
    let report = report(&plan, period, &ratings, &options).context("the report failed")?;
    // Charts first, the page last: a page never points at charts that were not written.
    let mut files: Vec<(String, &[u8])> = Vec::new();
    for chart in &report.charts {
        files.push((chart.svg_path(), chart.svg.as_bytes()));
        files.push((chart.png_path(), &chart.png));
    }
    files.push(("report.html".to_string(), report.html.as_bytes()));
    if let Some(plan_dir) = &args.plan {
        let mut inputs = Inputs::default();
        inputs.plan(plan_dir);
        for (name, _) in &files {
            inputs.refuse(&dir.join(name))?;
        }
        inputs.refuse(&dir.join(MANIFEST))?;
    }
    let before = written_before(&dir);
    write_all(&dir, &files, true)?;
    // Charts an earlier report into this folder wrote and this one does not (a measure
    // renamed or dropped): removed, so the folder holds only what the page links.
    let now: HashSet<&str> = files.iter().map(|(name, _)| name.as_str()).collect();
    for stale in before.iter().filter(|name| !now.contains(name.as_str())) {
        let path = dir.join(stale);
        if let Err(e) = std::fs::remove_file(&path) {
            if e.kind() != std::io::ErrorKind::NotFound {
                return Err(e).with_context(|| format!("cannot remove the old chart {}", path.display()));
            }
        }
    }
    let page = dir.join("report.html");
    println!("Report of {what} at {period}:");
    println!("  {}", page.display());
    println!("  {} ({} charts, each as PNG and SVG)", dir.join("charts").display(), report.charts.len());
    Ok(ExitCode::SUCCESS)
}
