//! `scorecard generate` (hidden): writes synthetic plan folders for benchmarks
//! (`scripts/bench-batch.sh`) with `scorecard-gen`. Same arguments, same bytes.

use anyhow::{Context, Result};
use clap::Args;
use scorecard_gen::Shape;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `scorecard generate`.
#[derive(Args, Debug)]
pub struct GenerateArgs {
    /// Folder to write the plans into (as plan-0001, plan-0002, ...).
    #[arg(long, short = 'o')]
    output: PathBuf,
    /// Number of plans.
    #[arg(long, default_value_t = 100)]
    plans: usize,
    /// Milestones per plan.
    #[arg(long, default_value_t = Shape::BENCHMARK.milestones)]
    milestones: usize,
    /// Quarterly update periods per plan, from 2019/20 Q1.
    #[arg(long, default_value_t = Shape::BENCHMARK.update_periods)]
    update_periods: usize,
    /// Monthly measures per plan.
    #[arg(long, default_value_t = Shape::BENCHMARK.measures)]
    measures: usize,
    /// Months of values per measure, from April 2019.
    #[arg(long, default_value_t = Shape::BENCHMARK.months)]
    months: usize,
    /// Seed: plan i is generated from seed + i.
    #[arg(long, default_value_t = 0)]
    seed: u64,
}

/// Writes the plans and says what was written on standard error.
pub fn run(args: GenerateArgs) -> Result<ExitCode> {
    let shape = Shape { milestones: args.milestones, update_periods: args.update_periods, measures: args.measures, months: args.months };
    scorecard_gen::write_plans(&args.output, args.plans, &shape, args.seed)
        .with_context(|| format!("cannot write plans into {}", args.output.display()))?;
    eprintln!("scorecard: wrote {} into {}", scorecard_gen::describe(args.plans, &shape), args.output.display());
    Ok(ExitCode::SUCCESS)
}
