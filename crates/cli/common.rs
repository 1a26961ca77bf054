//! What the commands share: reading a plan (or the bundled demo plan), picking the period to
//! rate, and writing output files whole or not at all (`crate::output`).
//!
//! Core errors become messages here, once: an input or I/O error as its own text, a bug
//! (`scorecard_core::Error::is_internal`) keeping its type so that `main` gives it exit
//! status 3.

use anyhow::{bail, Result};
use scorecard_core::{Period, Plan};
use std::path::Path;

pub use crate::output::{check_extension, write_file, write_to, Created, Inputs};

/// A core error for the user: its message (which already holds an I/O error's cause), or, for
/// a bug, the error itself.
pub fn user_error(e: scorecard_core::Error) -> anyhow::Error {
    if e.is_internal() {
        e.into()
    } else {
        anyhow::anyhow!("{e}")
    }
}

/// Reads a plan folder, turning input problems into one error listing them all; the plan's
/// warnings go to standard error.
pub fn read_plan(path: &Path) -> Result<Plan> {
    let plan = Plan::read(path).map_err(user_error)?;
    print_warnings(&plan);
    Ok(plan)
}

/// Prints the plan's warnings (a column it does not read, a file read as Windows-1252) to
/// standard error, one a line: `scorecard: warning: FILE:LINE:COLUMN: ...`.
pub fn print_warnings(plan: &Plan) {
    use std::io::Write;
    let mut err = std::io::stderr().lock();
    for w in &plan.warnings {
        let _ = writeln!(err, "scorecard: warning: {w}");
    }
}

/// The bundled demo plan (`scorecard report` with no PLAN).
pub fn demo_plan() -> Result<Plan> {
    crate::demo::plan().map_err(|e| user_error(e).context("the bundled demo plan"))
}

/// The period to rate: `--period`, else the plan's latest reported period.
pub fn pick_period(plan: &Plan, period: Option<&str>) -> Result<Period> {
    match period {
        Some(p) => plan.parse_period(p).map_err(user_error),
        None => match plan.latest_period() {
            Some(p) => Ok(p),
            None => bail!("{}: no update or value in any period; give --period", plan.name),
        },
    }
}

/// The period of `report`: `--period`, else the plan's report period
/// ([`Plan::report_period`]): the latest reported period, unless no milestone has an update
/// for it, when the latest period with updates, said on standard error.
pub fn pick_report_period(plan: &Plan, period: Option<&str>) -> Result<Period> {
    if period.is_some() {
        return pick_period(plan, period);
    }
    match plan.report_period() {
        Some((p, Some(latest))) => {
            eprintln!(
                "note: no milestone has an update for {}, the latest period with values; reporting at {}, the latest with updates (give --period to choose)",
                latest.spoken(),
                p.spoken()
            );
            Ok(p)
        }
        Some((p, None)) => Ok(p),
        None => pick_period(plan, None),
    }
}
