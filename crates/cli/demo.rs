//! The bundled demo plan: the CYP Action Plan 2013–16 at December 2013 (`fixtures/cyp-2013`),
//! compiled into the binary so `scorecard report` works from any folder.

use scorecard_core::Plan;

macro_rules! plan_file {
    ($name:literal) => {
        ($name, include_bytes!(concat!("../../fixtures/cyp-2013/", $name)).as_slice())
    };
}

const FILES: [(&str, &[u8]); 8] = [
    plan_file!("plan.toml"),
    plan_file!("priorities.csv"),
    plan_file!("milestones.csv"),
    plan_file!("updates.csv"),
    plan_file!("measures.csv"),
    plan_file!("values.csv"),
    plan_file!("targets.csv"),
    plan_file!("benchmarks.csv"),
];

/// The demo plan, read from the bytes compiled in.
pub fn plan() -> scorecard_core::Result<Plan> {
    let files = FILES.iter().map(|(n, b)| (n.to_string(), b.to_vec())).collect();
    Plan::from_files("cyp-2013", "(demo) cyp-2013", files)
}
