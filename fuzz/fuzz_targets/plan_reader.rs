//! Fuzzes the plan reader: the input is split into the plan's files at 0xFF bytes (plan.toml,
//! priorities, milestones, updates, measures, values, targets, benchmarks). Reading must return
//! a plan or a list of problems, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use scorecard_core::read::plan::PLAN_FILES;
use scorecard_core::Plan;

fuzz_target!(|data: &[u8]| {
    let files: Vec<(String, Vec<u8>)> = data
        .split(|&b| b == 0xFF)
        .zip(PLAN_FILES)
        .filter(|(bytes, _)| !bytes.is_empty())
        .map(|(bytes, name)| (name.to_string(), bytes.to_vec()))
        .collect();
    if let Ok(plan) = Plan::from_files("fuzz", "fuzz", files) {
        let _ = plan.latest_period();
        let _ = plan.reported_periods();
    }
});
