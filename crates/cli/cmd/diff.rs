//! `scorecard diff OLD NEW` (issue #4): what moved between two ratings files. Reading and
//! comparing live in `scorecard_core::diff`, the renderings in `crate::diff_report` (shared with
//! `rate --check`).
//!
//! Exit status: 0 when no rating changed, 1 when one did, 2 on bad input, 3 on a bug.

use crate::args::DiffArgs;
use crate::diff_report::{read_table, report};
use anyhow::{bail, Result};
use scorecard_core::diff::compare;
use std::process::ExitCode;

/// Runs `scorecard diff`.
pub fn run(args: DiffArgs) -> Result<ExitCode> {
    if args.old.as_os_str() == "-" && args.new.as_os_str() == "-" {
        bail!("only one of OLD and NEW can be `-` (standard input)");
    }
    let old = read_table(&args.old)?;
    let new = read_table(&args.new)?;
    report(&compare(&old, &new), args.format.into(), args.all_fields)
}
