//! `scorecard generate` (hidden): writes synthetic plan folders for benchmarks
//! (`scripts/bench-batch.sh`) with `scorecard-gen`. Same arguments, same bytes.

use crate::args::GenerateArgs;
use anyhow::{Context, Result};
use scorecard_gen::Shape;
use std::process::ExitCode;

/// Writes the plans and says what was written on standard error.
pub fn run(args: GenerateArgs) -> Result<ExitCode> {
    let shape = Shape { milestones: args.milestones, update_periods: args.update_periods, measures: args.measures, months: args.months };
    scorecard_gen::write_plans(&args.output, args.plans, &shape, args.seed)
        .with_context(|| format!("cannot write plans into {}", args.output.display()))?;
    eprintln!("scorecard: wrote {} into {}", scorecard_gen::describe(args.plans, &shape), args.output.display());
    Ok(ExitCode::SUCCESS)
}
