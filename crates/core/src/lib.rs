/*!
Reads council action plans and performance scorecards and rates them.

A plan is a folder of CSV files (the README describes them): priorities, delivery milestones and their
updates, measures (KPIs) and their values, per-period targets and benchmarks. This crate reads
and checks them ([`Plan::read`]), rates every item at a period with the rules as polars column
expressions, one file per rule family ([`rate`], [`rate_many`]; see `engine`), and writes the
ratings as CSV, JSON or Parquet through one column table (`write`, [`model::columns`]). It
never prints and never reads the clock.

Layers, each using only those below it: [`model`] (periods, values, the rating type, the
column table, numbers) and [`rules`] (settings); [`read`] (the plan reader); `engine`; `write`;
`diff` and `batch` on top. The items callers need are re-exported here at the root.

# Example

```
use scorecard_core::{rate, Plan, RateOptions};

let files = vec![
    ("milestones.csv".to_string(), b"priority,milestone,title,target,polarity\n1,1.15,Fall in smoking at delivery,16.74,low\n".to_vec()),
    ("updates.csv".to_string(), b"milestone,period,value\n1.15,2013/14 Q2,20.4\n".to_vec()),
    ("targets.csv".to_string(), b"item,period,target\n1.15,2013/14 Q2,18.5\n".to_vec()),
];
let plan = Plan::from_files("demo", "demo", files).unwrap();
let t = plan.latest_period().unwrap();
let ratings = rate(&plan, t, RateOptions::default()).unwrap();
assert_eq!(
    ratings.rows[0].reason,
    "Red: 20.4 against a trajectory target of 18.5 for 2013/14 Q2 (low is good, amber threshold 19.4)"
);
```
*/
#![deny(missing_docs)]

#[cfg(feature = "engine")]
pub mod batch;
#[cfg(feature = "engine")]
pub mod diff;
#[cfg(feature = "engine")]
pub mod engine;
pub mod error;
pub mod import;
pub mod model;
pub mod provenance;
pub mod read;
pub mod rules;
#[cfg(feature = "engine")]
pub mod write;
pub mod year_to_date;

pub use error::{Error, Problem, Problems, Result};

// The crate's facade: what the report crate, the CLI and users name, whichever module it
// lives in.
#[cfg(feature = "engine")]
pub use diff::compare_periods;
#[cfg(feature = "engine")]
pub use engine::{rate, rate_frame, rate_many, rollup, xmr_chart, RateOptions, RatedFrame, Selection, XmrChart, XmrPoint, XmrSegment};
pub use model::columns::{column_names, Column, ColumnType, FIXED_COLUMNS};
pub use model::number::{format_number, round_output};
pub use model::period::{month_abbreviation, split_month, Frequency, Period, YearType, MONTH_NAMES};
pub use model::rating::{
    Comparison, Dot, DotJudgement, ForecastStatus, Kind, Level, Rating, Ratings, Spc, SpcAssurance, SpcSignal, SpcVariation, Trend,
    TrendJudgement, Versus,
};
pub use model::values::{Aggregation, CiMethod, Labels, Polarity, Status};
pub use provenance::Provenance;
pub use read::hash::sha256_hex;
pub use read::plan::{Measure, Milestone, Plan, Priority, Value};
pub use rules::{DotBasis, Rollup, RollupBlue, Rules};
#[cfg(feature = "engine")]
pub use write::{escape_formula, restore_formula, write, write_with_provenance, CsvFormulas, Format};
pub use year_to_date::{year_to_date, year_to_date_of, YearToDate};
