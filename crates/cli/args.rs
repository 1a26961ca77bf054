//! Command-line arguments (clap) and the dispatch to each command.

use crate::output::write_to;
use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand};
use scorecard_core::Format;
use scorecard_core::Period;
use scorecard_core::Plan;
use scorecard_core::{rate, RateOptions};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Rates council delivery plans and performance scorecards: Green / Amber / Red / Blue for
/// every milestone and measure, direction of travel, benchmarks, and the member reports.
#[derive(Parser, Debug)]
#[command(name = "scorecard", version, about, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check a plan folder and list every problem with file, line and column.
    Validate {
        /// The plan folder.
        plan: PathBuf,
    },
    /// Rate every milestone and measure of a plan at one period.
    Rate(RateArgs),
    /// Rate every chosen period of many plans into one table (CSV, JSON, Parquet or a
    /// partitioned Parquet dataset), with progress.
    Batch(crate::cmd_batch::BatchArgs),
    /// Write synthetic plans for benchmarks.
    #[command(hide = true)]
    Generate(crate::cmd_generate::GenerateArgs),
    /// Compare two ratings files (CSV, JSON or Parquet, any mix): items added and removed,
    /// every rating that moved, with both reasons. Exit 0 when no rating changed, 1 when one
    /// did, 2 on bad input.
    Diff(crate::cmd_diff::DiffArgs),
    /// The priority overview table: Green, Amber, Red, Blue and Total per priority, with a
    /// Total row and a % row, as Markdown, CSV, JSON or HTML.
    Overview(crate::cmd_overview::OverviewArgs),
    /// The members' report: one self-contained HTML page (prints on A4 landscape) with every
    /// chart also as PNG and SVG. With no PLAN, the bundled demo plan.
    Report(crate::cmd_report::ReportArgs),
}

#[derive(Args, Debug)]
struct RateArgs {
    /// The plan folder.
    plan: PathBuf,
    /// The reporting period (2013-12, Dec 2013, 2013/14 Q3, 2013/14, 2013); default: the latest
    /// period with any update or value.
    #[arg(long, short = 'p')]
    period: Option<String>,
    /// Report the engine's rating alone, ignoring officers' statuses.
    #[arg(long)]
    computed: bool,
    /// Output format; default: from the -o file's extension, else csv.
    #[arg(long, short = 'f', value_parser = ["csv", "json", "parquet"])]
    format: Option<String>,
    /// Output file (written whole or not at all); default: standard output.
    #[arg(long, short = 'o')]
    output: Option<PathBuf>,
    /// Compare the ratings with a committed golden ratings file instead of printing them, and
    /// report as `diff` does: exit 0 when no rating changed, 1 when one did. -o still writes
    /// the ratings.
    #[arg(long, value_name = "GOLDEN")]
    check: Option<PathBuf>,
    /// With --check: the report's format (default text).
    #[arg(long, requires = "check", value_parser = ["text", "json", "markdown", "md"])]
    diff_format: Option<String>,
    /// With --check: also show changes to fields that are not ratings.
    #[arg(long, requires = "check")]
    all_fields: bool,
}

/// Parses the command line (exits 2 on a usage error, as clap does).
pub fn parse() -> Cli {
    Cli::parse()
}

/// Runs the command.
pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Validate { plan } => validate(&plan),
        Command::Rate(args) => rate_command(args),
        Command::Batch(args) => crate::cmd_batch::run(args),
        Command::Generate(args) => crate::cmd_generate::run(args),
        Command::Diff(args) => crate::cmd_diff::run(args),
        Command::Overview(args) => crate::cmd_overview::run(args),
        Command::Report(args) => crate::cmd_report::run(args),
    }
}

/// Reads a plan folder, turning input problems into one error listing them all.
pub fn read_plan(path: &Path) -> Result<Plan> {
    Plan::read(path).map_err(|e| anyhow::anyhow!("{e}"))
}

/// The period to rate: `--period`, else the plan's latest reported period.
pub fn pick_period(plan: &Plan, period: Option<&str>) -> Result<Period> {
    match period {
        Some(p) => plan.parse_period(p).map_err(|e| anyhow::anyhow!("{e}")),
        None => match plan.latest_period() {
            Some(p) => Ok(p),
            None => bail!("{}: no update or value in any period; give --period", plan.name),
        },
    }
}

fn validate(path: &Path) -> Result<ExitCode> {
    match Plan::read(path) {
        Ok(plan) => {
            let (m, v) = plan.reported_periods();
            println!(
                "{}: ok: {} priorities, {} milestones with {} updates in {} periods, {} measures with {} values in {} periods, {} targets, {} benchmarks",
                path.display(),
                plan.priorities.len(),
                plan.milestones.len(),
                plan.updates.len(),
                m.len(),
                plan.measures.len(),
                plan.values.len(),
                v.len(),
                plan.targets.len(),
                plan.benchmarks.len()
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(scorecard_core::Error::Input(problems)) => {
            let n = problems.0.len();
            eprintln!("{problems}");
            eprintln!("scorecard: {n} problem{} found in {}", if n == 1 { "" } else { "s" }, path.display());
            Ok(ExitCode::from(2))
        }
        Err(e) => Err(e.into()),
    }
}

fn format_for(format: Option<&str>, output: Option<&Path>) -> Format {
    format.and_then(Format::parse).or_else(|| output.and_then(Format::from_path)).unwrap_or(Format::Csv)
}

fn rate_command(args: RateArgs) -> Result<ExitCode> {
    let plan = read_plan(&args.plan)?;
    let period = pick_period(&plan, args.period.as_deref())?;
    let ratings = rate(&plan, period, RateOptions { computed_only: args.computed }).context("rating failed")?;
    let format = format_for(args.format.as_deref(), args.output.as_deref());
    let provenance = scorecard_core::provenance::Provenance::new(&[&plan], args.computed);
    if let Some(golden) = args.check.as_deref() {
        let old = crate::cmd_diff::read_table(golden).with_context(|| {
            format!("cannot check against the golden file; write it with `scorecard rate {} -o {}`", args.plan.display(), golden.display())
        })?;
        if let Some(out) = args.output.as_deref() {
            write_to(Some(out), |w| Ok(scorecard_core::write_with_provenance(&ratings, format, &provenance, w)?))?;
        }
        let source = format!("{} rated at {period}", args.plan.display());
        let new = scorecard_core::diff::RatingsTable::from_ratings(&source, &ratings, Some(provenance));
        let style = crate::cmd_diff::Style::parse(args.diff_format.as_deref().unwrap_or("text"));
        return crate::cmd_diff::report(&scorecard_core::diff::compare(&old, &new), style, args.all_fields);
    }
    if format == Format::Parquet && args.output.is_none() {
        bail!("--format parquet needs an output file: give -o FILE.parquet");
    }
    write_to(args.output.as_deref(), |w| Ok(scorecard_core::write_with_provenance(&ratings, format, &provenance, w)?))?;
    Ok(ExitCode::SUCCESS)
}
