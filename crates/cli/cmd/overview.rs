//! `scorecard overview PLAN` (issue #3): the priority overview table (README "The overview
//! table") as Markdown, CSV, JSON or HTML. Counting and rendering live in
//! `scorecard_report::overview`; this file picks the format and writes the table.

use crate::args::OverviewArgs;
use crate::common::{check_extension, pick_period, read_plan, write_to, Inputs};
use anyhow::{Context, Result};
use scorecard_core::{rate, RateOptions};
use scorecard_report::overview::{Overview, OverviewFormat};
use std::process::ExitCode;

/// Runs `scorecard overview`.
pub fn run(args: OverviewArgs) -> Result<ExitCode> {
    if let Some(out) = args.output.as_deref().filter(|o| o.as_os_str() != "-") {
        Inputs::default().plan(&args.plan).refuse(out)?;
    }
    let plan = read_plan(&args.plan)?;
    let period = pick_period(&plan, args.period.as_deref())?;
    let ratings = rate(&plan, period, RateOptions { computed_only: args.computed, rollup: args.rollup, ..RateOptions::default() })
        .context("rating failed")?;
    let mut overview = Overview::new(&plan, period, &ratings);
    overview.computed = args.computed;
    let format = args
        .format
        .map(OverviewFormat::from)
        .or_else(|| args.output.as_deref().and_then(OverviewFormat::from_path))
        .unwrap_or(OverviewFormat::Markdown);
    check_extension(
        args.output.as_deref(),
        format,
        OverviewFormat::parse,
        match format {
            OverviewFormat::Markdown => "Markdown",
            OverviewFormat::Csv => "CSV",
            OverviewFormat::Json => "JSON",
            OverviewFormat::Html => "HTML",
        },
        ".md, .csv, .json or .html",
    )?;
    write_to(args.output.as_deref(), |w| Ok(overview.write_with(format, args.csv_formulas.into(), w)?))?;
    Ok(ExitCode::SUCCESS)
}
