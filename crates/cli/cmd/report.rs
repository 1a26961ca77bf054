//! `scorecard report [PLAN]` (issue #3): the members' report, one self-contained HTML page
//! with every chart beside it as PNG and SVG. With no PLAN, the bundled demo plan. Rendering
//! lives in `scorecard_report`; this file picks the plan, the period and the date, and
//! writes the files.
//!
//! The "produced" date is today's, or the UTC date of `SOURCE_DATE_EPOCH` when that is set
//! (as reproducible-build tools do), so that two runs can give identical bytes.

use crate::args::ReportArgs;
use crate::common::{demo_plan, pick_period, read_plan, write_file};
use anyhow::{bail, Context, Result};
use scorecard_core::{rate, RateOptions};
use scorecard_report::{folder_name, report, ReportOptions};
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

/// Runs `scorecard report`.
pub fn run(args: ReportArgs) -> Result<ExitCode> {
    let plan = match &args.plan {
        Some(path) => read_plan(path)?,
        None => demo_plan()?,
    };
    let period = pick_period(&plan, args.period.as_deref())?;
    let produced = produced()?;
    let ratings = rate(&plan, period, RateOptions { rollup: args.rollup, ..RateOptions::default() }).context("rating failed")?;
    let report = report(&plan, period, &ratings, &ReportOptions { produced }).context("the report failed")?;
    let dir = args.output.clone().unwrap_or_else(|| Path::new("reports").join(folder_name(&plan, period)));
    // Charts first, the page last: a page never points at charts that were not written.
    for chart in &report.charts {
        write_file(&dir.join(chart.svg_path()), |w| Ok(w.write_all(chart.svg.as_bytes())?))?;
        write_file(&dir.join(chart.png_path()), |w| Ok(w.write_all(&chart.png)?))?;
    }
    let page = dir.join("report.html");
    write_file(&page, |w| Ok(w.write_all(report.html.as_bytes())?))?;
    let what = if args.plan.is_none() { "the demo plan" } else { plan.name.as_str() };
    println!("Report of {what} at {period}:");
    println!("  {}", page.display());
    println!("  {} ({} charts, each as PNG and SVG)", dir.join("charts").display(), report.charts.len());
    Ok(ExitCode::SUCCESS)
}
