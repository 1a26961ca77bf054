//! `scorecard validate PLAN`: reads a plan folder and says what it holds, or lists every
//! problem with file, line and column (exit status 2).

use anyhow::Result;
use scorecard_core::Plan;
use std::path::Path;
use std::process::ExitCode;

/// Runs `scorecard validate`.
pub fn run(path: &Path) -> Result<ExitCode> {
    match Plan::read(path) {
        Ok(plan) => {
            crate::common::print_warnings(&plan);
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
