//! The reported status: the officer's status from the update where one is given (unless the
//! run is `--computed`), else the engine's; and whether the two disagree. Where the officer's
//! status is reported and the engine's differs, the reason says both: "Green: the officer's
//! status; the calculated status is Red: ...".

use crate::model::values::Status;
use polars::prelude::*;
use std::fmt::Write as _;

/// The `status` column (as [`Status::code`]), from `officer` and `computed`.
pub(crate) fn status(computed_only: bool) -> Expr {
    when(col("officer").is_not_null().and(lit(!computed_only))).then(col("officer")).otherwise(col("computed")).alias("status")
}

/// The `disagrees` column: an officer's status that differs from the engine's.
pub(crate) fn disagrees() -> Expr {
    col("officer").is_not_null().and(col("computed").is_null().or(col("officer").neq(col("computed")))).alias("disagrees")
}

/// The start of the reason when the officer's status is reported and the engine's differs;
/// the engine's own reason follows.
pub(crate) fn officer_disagrees(officer: Status, out: &mut String) {
    let _ = write!(out, "{officer}: the officer's status; the calculated status is ");
}
