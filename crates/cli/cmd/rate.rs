//! `scorecard rate PLAN`: every milestone and measure of a plan rated at one period, as CSV,
//! JSON or Parquet; with `--check GOLDEN`, compared with a committed ratings file instead and
//! reported as `scorecard diff` does.

use crate::args::{FormatArg, RateArgs};
use crate::common::{check_extension, pick_period, read_plan, write_to, Inputs};
use crate::diff_report;
use anyhow::{bail, Context, Result};
use scorecard_core::diff::{compare, RatingsTable};
use scorecard_core::write::{write_with_options, WriteOptions};
use scorecard_core::{rate, Format, Provenance, RateOptions};
use std::path::Path;
use std::process::ExitCode;

/// `--format`, else the format the output file's extension names, else CSV.
fn format_for(format: Option<FormatArg>, output: Option<&Path>) -> Format {
    format.map(Format::from).or_else(|| output.and_then(Format::from_path)).unwrap_or(Format::Csv)
}

/// The format's name in messages.
pub(crate) fn format_name(format: Format) -> &'static str {
    match format {
        Format::Csv => "CSV",
        Format::Json => "JSON",
        Format::Parquet => "Parquet",
    }
}

/// Runs `scorecard rate`.
pub fn run(args: RateArgs) -> Result<ExitCode> {
    if let Some(out) = args.output.as_deref().filter(|o| o.as_os_str() != "-") {
        let mut inputs = Inputs::default();
        inputs.plan(&args.plan);
        if let Some(golden) = &args.check {
            inputs.file(golden);
        }
        inputs.refuse(out)?;
    }
    let plan = read_plan(&args.plan)?;
    let period = pick_period(&plan, args.period.as_deref())?;
    let ratings = rate(&plan, period, RateOptions { computed_only: args.computed, rollup: args.rollup, ..RateOptions::default() })
        .context("rating failed")?;
    let format = format_for(args.format, args.output.as_deref());
    check_extension(args.output.as_deref(), format, Format::parse, format_name(format), ".csv, .json or .parquet")?;
    let provenance = Provenance::new(&[&plan], args.computed);
    let options = WriteOptions { csv_formulas: args.csv_formulas.into() };
    if let Some(golden) = args.check.as_deref() {
        let old = diff_report::read_table(golden).with_context(|| {
            format!("cannot check against the golden file; write it with `scorecard rate {} -o {}`", args.plan.display(), golden.display())
        })?;
        if let Some(out) = args.output.as_deref() {
            write_to(Some(out), |w| Ok(write_with_options(&ratings, format, &provenance, &options, w)?))?;
        }
        let source = format!("{} rated at {period}", args.plan.display());
        let new = RatingsTable::from_ratings(&source, &ratings, Some(provenance));
        let style = args.diff_format.map_or(diff_report::Style::Text, diff_report::Style::from);
        return diff_report::report(&compare(&old, &new), style, args.all_fields);
    }
    if format == Format::Parquet && args.output.is_none() {
        bail!("--format parquet needs an output file: give -o FILE.parquet");
    }
    write_to(args.output.as_deref(), |w| Ok(write_with_options(&ratings, format, &provenance, &options, w)?))?;
    Ok(ExitCode::SUCCESS)
}
