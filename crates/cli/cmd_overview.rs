//! `scorecard overview PLAN` (issue #3): the priority overview table (SPEC "Overview
//! table") as Markdown, CSV, JSON or HTML. Counting and rendering live in
//! `scorecard_report::overview`; this file holds the arguments.

use crate::args::{pick_period, read_plan};
use crate::output::write_to;
use anyhow::{Context, Result};
use clap::Args;
use scorecard_core::{rate, RateOptions};
use scorecard_report::overview::{Overview, OverviewFormat};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `scorecard overview`.
#[derive(Args, Debug)]
pub struct OverviewArgs {
    /// The plan folder.
    plan: PathBuf,
    /// The reporting period (2013-12, Dec 2013, 2013/14 Q3, 2013/14, 2013); default: the latest
    /// period with any update or value.
    #[arg(long, short = 'p')]
    period: Option<String>,
    /// Count the engine's statuses alone, ignoring officers' statuses.
    #[arg(long)]
    computed: bool,
    /// Output format; default: from the -o file's extension, else md.
    #[arg(long, short = 'f', value_parser = ["md", "markdown", "csv", "json", "html"])]
    format: Option<String>,
    /// Output file (written whole or not at all); default: standard output.
    #[arg(long, short = 'o')]
    output: Option<PathBuf>,
}

/// Runs `scorecard overview`.
pub fn run(args: OverviewArgs) -> Result<ExitCode> {
    let plan = read_plan(&args.plan)?;
    let period = pick_period(&plan, args.period.as_deref())?;
    let ratings = rate(&plan, period, RateOptions { computed_only: args.computed }).context("rating failed")?;
    let mut overview = Overview::new(&plan, period, &ratings);
    overview.computed = args.computed;
    let format = args
        .format
        .as_deref()
        .and_then(OverviewFormat::parse)
        .or_else(|| args.output.as_deref().and_then(OverviewFormat::from_path))
        .unwrap_or(OverviewFormat::Markdown);
    write_to(args.output.as_deref(), |w| Ok(overview.write(format, w)?))?;
    Ok(ExitCode::SUCCESS)
}
