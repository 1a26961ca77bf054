//! The command line's shape: clap structs, one per command, and nothing else. Help text comes
//! from the doc comments. The commands (`cmd`) read these; this module reads no other module
//! of the CLI.

use clap::{Args, Parser, Subcommand, ValueEnum};
use scorecard_core::batch::{BatchOptions, PartitionBy};
use scorecard_core::write::CsvFormulas;
use scorecard_core::Format;
use scorecard_gen::Shape;
use scorecard_report::overview::OverviewFormat;
use std::path::PathBuf;

/// Rates council delivery plans and performance scorecards: Green / Amber / Red / Blue for
/// every milestone and measure, direction of travel, benchmarks, and the member reports.
#[derive(Parser, Debug)]
#[command(name = "scorecard", version, about, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check a plan folder and list every problem with file, line and column.
    Validate {
        /// The plan folder.
        plan: PathBuf,
    },
    /// Rate every milestone and measure of a plan at one period.
    Rate(RateArgs),
    /// Rate every chosen period of many plans into one table (CSV, JSON, Parquet or a
    /// partitioned Parquet dataset), with progress.
    Batch(BatchArgs),
    /// Write synthetic plans for benchmarks.
    #[command(hide = true)]
    Generate(GenerateArgs),
    /// Compare two ratings files (CSV, JSON or Parquet, any mix): items added and removed,
    /// every rating that moved, with both reasons. Exit 0 when no rating changed, 1 when one
    /// did, 2 on bad input.
    Diff(DiffArgs),
    /// The priority overview table: Green, Amber, Red, Blue and Total per priority, with a
    /// Total row and a % row, as Markdown, CSV, JSON or HTML.
    Overview(OverviewArgs),
    /// The members' report: one self-contained HTML page (prints on A4 landscape) with every
    /// chart also as PNG and SVG. With no PLAN, the bundled demo plan.
    Report(ReportArgs),
    /// Import published data into a plan's values.csv and benchmarks.csv: a Fingertips "all
    /// data" CSV download, or an LG Inform CSV export.
    #[command(subcommand)]
    Import(ImportCommand),
}

/// `scorecard import`'s sources (issue #13).
#[derive(Subcommand, Debug)]
pub enum ImportCommand {
    /// A Fingertips "all data" CSV download: the area's rows become values of the measures whose
    /// fingertips_id is their Indicator ID, England's and the parent area's become benchmarks.
    Fingertips(FingertipsArgs),
    /// An LG Inform CSV data download of one metric (one area per row, one column per period):
    /// the area's row becomes values of the measure whose lginform_id is the metric, England's
    /// row the national benchmark, the other areas' mean a labelled benchmark.
    Lginform(LginformArgs),
}

/// What `import` writes into, and how.
#[derive(Args, Debug)]
pub struct ImportTarget {
    /// The plan folder: its measures.csv maps the data to measures; values.csv and
    /// benchmarks.csv are written there.
    #[arg(long, short = 'o', value_name = "PLAN")]
    pub output: PathBuf,
    /// Merge into an existing values.csv / benchmarks.csv (a row for the same measure, period
    /// and label is replaced; the others are kept). Without it, existing files are never
    /// overwritten.
    #[arg(long)]
    pub merge: bool,
}

/// Arguments of `scorecard import fingertips`.
#[derive(Args, Debug)]
pub struct FingertipsArgs {
    /// The downloaded CSV file.
    pub download: PathBuf,
    /// The area's code (Area Code), such as E08000018.
    #[arg(long)]
    pub area: String,
    /// The Sex kept.
    #[arg(long, default_value = "Persons")]
    pub sex: String,
    /// The Age kept; default: All ages, or an indicator's only age.
    #[arg(long)]
    pub age: Option<String>,
    /// The Category kept; default: rows without a category.
    #[arg(long)]
    pub category: Option<String>,
    /// The benchmark label of England's rows.
    #[arg(long, default_value = "national")]
    pub national_label: String,
    /// The benchmark label of the parent area's rows.
    #[arg(long, default_value = "region")]
    pub parent_label: String,
    #[command(flatten)]
    pub target: ImportTarget,
}

/// Arguments of `scorecard import lginform`.
#[derive(Args, Debug)]
pub struct LginformArgs {
    /// The exported CSV file.
    pub export: PathBuf,
    /// The plan's own area's code; England's row (E92000001) is the national benchmark, every
    /// other area a comparator.
    #[arg(long)]
    pub area: String,
    /// The LG Inform metric type id the export holds (its metricType), matched to measures.csv's
    /// lginform_id; default: the plan's one measure with an lginform_id.
    #[arg(long)]
    pub metric: Option<String>,
    /// The benchmark label of the comparators' mean.
    #[arg(long, default_value = "cipfa_neighbours")]
    pub label: String,
    /// The benchmark label of England's row.
    #[arg(long, default_value = "national")]
    pub national_label: String,
    #[command(flatten)]
    pub target: ImportTarget,
}

/// Arguments of `scorecard rate`.
#[derive(Args, Debug)]
pub struct RateArgs {
    /// The plan folder.
    pub plan: PathBuf,
    /// The reporting period (2013-12, Dec 2013, 2013/14 Q3, 2013/14, 2013); default: the latest
    /// period with any update or value.
    #[arg(long, short = 'p')]
    pub period: Option<String>,
    /// Report the engine's rating alone, ignoring officers' statuses.
    #[arg(long)]
    pub computed: bool,
    /// Also write a row per action and per priority, its status rolled up from its
    /// milestones' by the plan's `[rules] rollup` (worst, majority or score).
    #[arg(long)]
    pub rollup: bool,
    /// Output format; default: from the -o file's extension, else csv.
    #[arg(long, short = 'f', value_enum)]
    pub format: Option<FormatArg>,
    /// Output file (written whole or not at all); default: standard output.
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    /// Compare the ratings with a committed golden ratings file instead of printing them, and
    /// report as `diff` does: exit 0 when no rating changed, 1 when one did. -o still writes
    /// the ratings.
    #[arg(long, value_name = "GOLDEN")]
    pub check: Option<PathBuf>,
    /// With --check: the report's format (default text).
    #[arg(long, requires = "check", value_enum)]
    pub diff_format: Option<DiffFormatArg>,
    /// With --check: also show changes to fields that are not ratings.
    #[arg(long, requires = "check")]
    pub all_fields: bool,
    /// CSV text cells beginning with =, +, -, @, tab or carriage return (which a spreadsheet
    /// would run as a formula): `escape` writes them with a ' in front (the default; `diff`
    /// reads them back without it), `keep` writes them as they are.
    #[arg(long, value_enum, default_value_t = CsvFormulasArg::Escape)]
    pub csv_formulas: CsvFormulasArg,
}

/// Arguments of `scorecard batch`.
#[derive(Args, Debug)]
pub struct BatchArgs {
    /// Plan folders; each plan's rows carry its folder's name, which must be unique.
    #[arg(required = true)]
    pub plans: Vec<PathBuf>,
    /// Periods to rate: `all` (milestones at every period with an update, measures at every
    /// period with a value), one period P (every item, as `rate --period P`), or FROM..TO
    /// (the reported periods lying within FROM's start and TO's end).
    #[arg(long, default_value = "all")]
    pub periods: String,
    /// Report the engine's rating alone, ignoring officers' statuses.
    #[arg(long)]
    pub computed: bool,
    /// Add each action's and priority's row after each period's milestones and measures, at
    /// every period at which milestones are rated: their statuses rolled up from their
    /// milestones' by each plan's `[rules] rollup`, as `rate --rollup` does.
    #[arg(long)]
    pub rollup: bool,
    /// Output format; default: from the -o file's extension, else csv (parquet with
    /// --partition-by).
    #[arg(long, short = 'f', value_enum)]
    pub format: Option<FormatArg>,
    /// Output file, written whole or not at all; with --partition-by, the dataset's folder.
    #[arg(long, short = 'o')]
    pub output: PathBuf,
    /// Write a Hive-partitioned Parquet dataset: OUTPUT/plan=<name>/part-0.parquet, or
    /// OUTPUT/period=<period>/part-0.parquet (part-I-of-N.parquet with --shard I/N).
    #[arg(long, value_enum)]
    pub partition_by: Option<PartitionByArg>,
    /// Rate only the I-th of N slices of the plans: in folder-name order, the plans at
    /// positions p (from 0) with p mod N = I - 1.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<String>,
    /// Skip plans with bad input, report them all at the end (exit status 2 all the same).
    #[arg(long)]
    pub keep_going: bool,
    /// CSV text cells beginning with =, +, -, @, tab or carriage return (which a spreadsheet
    /// would run as a formula): `escape` writes them with a ' in front (the default; `diff`
    /// reads them back without it), `keep` writes them as they are.
    #[arg(long, value_enum, default_value_t = CsvFormulasArg::Escape)]
    pub csv_formulas: CsvFormulasArg,
    /// Write only these columns, comma-separated (`--columns plan,period,item,status`): the
    /// columns' full names as the header has them (`vs_national` for a benchmark label's), in
    /// the table's order whatever order they are named in. Sentences whose columns are left
    /// out (`reason`, `forecast_reason`, `stale_reason`, `trend_reason`, `spc_reason`) are not
    /// worded at all. Default: every column.
    #[arg(long, value_delimiter = ',', value_name = "COLUMN,...")]
    pub columns: Option<Vec<String>>,
    /// Ratings rated together in one polars query (memory grows with it).
    #[arg(long, hide = true, default_value_t = BatchOptions::default().chunk_ratings)]
    pub chunk_ratings: usize,
}

/// Arguments of `scorecard diff`.
#[derive(Args, Debug)]
pub struct DiffArgs {
    /// The old ratings file: CSV, JSON or Parquet as `scorecard rate` writes them (`-`:
    /// standard input).
    pub old: PathBuf,
    /// The new ratings file, in any of those formats.
    pub new: PathBuf,
    /// Report format: text, json, or markdown (a pull-request comment or CI job summary).
    #[arg(long, short = 'f', value_enum, default_value_t = DiffFormatArg::Text)]
    pub format: DiffFormatArg,
    /// Also show changes to fields that are not ratings (value, target, amber_threshold,
    /// reason, gaps, ...); they never change the exit status.
    #[arg(long)]
    pub all_fields: bool,
}

/// Arguments of `scorecard overview`.
#[derive(Args, Debug)]
pub struct OverviewArgs {
    /// The plan folder.
    pub plan: PathBuf,
    /// The reporting period (2013-12, Dec 2013, 2013/14 Q3, 2013/14, 2013); default: the latest
    /// period with any update or value.
    #[arg(long, short = 'p')]
    pub period: Option<String>,
    /// Count the engine's statuses alone, ignoring officers' statuses.
    #[arg(long)]
    pub computed: bool,
    /// Add a Status column: each priority's status rolled up from its milestones' by the
    /// plan's `[rules] rollup`.
    #[arg(long)]
    pub rollup: bool,
    /// Output format; default: from the -o file's extension, else md.
    #[arg(long, short = 'f', value_enum)]
    pub format: Option<OverviewFormatArg>,
    /// Output file (written whole or not at all); default: standard output.
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    /// CSV text cells beginning with =, +, -, @, tab or carriage return (which a spreadsheet
    /// would run as a formula): `escape` writes them with a ' in front (the default; `diff`
    /// reads them back without it), `keep` writes them as they are.
    #[arg(long, value_enum, default_value_t = CsvFormulasArg::Escape)]
    pub csv_formulas: CsvFormulasArg,
}

/// Arguments of `scorecard report`.
#[derive(Args, Debug)]
pub struct ReportArgs {
    /// The plan folder; default: the bundled demo plan (the CYP Action Plan 2013-16 at
    /// December 2013).
    pub plan: Option<PathBuf>,
    /// The reporting period (2013-12, Dec 2013, 2013/14 Q3, 2013/14, 2013); default: the latest
    /// period with any update or value.
    #[arg(long, short = 'p')]
    pub period: Option<String>,
    /// Output folder; default: reports/<plan>-<period>/ under the current folder.
    #[arg(long, short = 'o', value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// What to write into the folder: the page and its charts (html: report.html and
    /// charts/), an editable Word document (docx: report.docx) or a scorecard workbook (xlsx:
    /// report.xlsx). All three hold the same pack.
    #[arg(long, short = 'f', value_enum, default_value_t = ReportFormat::Html)]
    pub format: ReportFormat,
    /// Show each priority's rolled-up status in its heading.
    #[arg(long)]
    pub rollup: bool,
}

/// `scorecard report --format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// report.html and its charts as PNG and SVG.
    Html,
    /// report.docx.
    Docx,
    /// report.xlsx.
    Xlsx,
}

/// Arguments of `scorecard generate`.
#[derive(Args, Debug)]
pub struct GenerateArgs {
    /// Folder to write the plans into (as plan-0001, plan-0002, ...).
    #[arg(long, short = 'o')]
    pub output: PathBuf,
    /// Number of plans.
    #[arg(long, default_value_t = 100)]
    pub plans: usize,
    /// Milestones per plan.
    #[arg(long, default_value_t = Shape::BENCHMARK.milestones)]
    pub milestones: usize,
    /// Quarterly update periods per plan, from 2019/20 Q1.
    #[arg(long, default_value_t = Shape::BENCHMARK.update_periods)]
    pub update_periods: usize,
    /// Monthly measures per plan.
    #[arg(long, default_value_t = Shape::BENCHMARK.measures)]
    pub measures: usize,
    /// Months of values per measure, from April 2019.
    #[arg(long, default_value_t = Shape::BENCHMARK.months)]
    pub months: usize,
    /// Seed: plan i is generated from seed + i.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
}

// The values of the format flags. Each is the core's or the report crate's enum as clap sees it
// (those crates do not depend on clap), converted with `From`. The variants carry no doc
// comments: clap would list them in `--help`, which shows the accepted values on one line.
// Where two spellings are accepted (`md` and `markdown`), both are variants rather than a
// name and a hidden alias, so that `--help` and clap's message for a bad value list both, as
// they always have.

/// `rate --format` and `batch --format`: `csv`, `json` or `parquet` (exactly so spelled).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Csv,
    Json,
    Parquet,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Csv => Format::Csv,
            FormatArg::Json => Format::Json,
            FormatArg::Parquet => Format::Parquet,
        }
    }
}

/// `diff --format` and `rate --diff-format`: `text`, `json`, `markdown` or `md`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DiffFormatArg {
    Text,
    Json,
    Markdown,
    Md,
}

/// `overview --format`: `md` or `markdown`, `csv`, `json`, `html`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OverviewFormatArg {
    Md,
    Markdown,
    Csv,
    Json,
    Html,
}

impl From<OverviewFormatArg> for OverviewFormat {
    fn from(f: OverviewFormatArg) -> OverviewFormat {
        match f {
            OverviewFormatArg::Md | OverviewFormatArg::Markdown => OverviewFormat::Markdown,
            OverviewFormatArg::Csv => OverviewFormat::Csv,
            OverviewFormatArg::Json => OverviewFormat::Json,
            OverviewFormatArg::Html => OverviewFormat::Html,
        }
    }
}

/// `batch --partition-by`: `plan` or `period`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum PartitionByArg {
    Plan,
    Period,
}

impl From<PartitionByArg> for PartitionBy {
    fn from(p: PartitionByArg) -> PartitionBy {
        match p {
            PartitionByArg::Plan => PartitionBy::Plan,
            PartitionByArg::Period => PartitionBy::Period,
        }
    }
}

/// `--csv-formulas`: `escape` or `keep`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CsvFormulasArg {
    Escape,
    Keep,
}

impl From<CsvFormulasArg> for CsvFormulas {
    fn from(f: CsvFormulasArg) -> CsvFormulas {
        match f {
            CsvFormulasArg::Escape => CsvFormulas::Escape,
            CsvFormulasArg::Keep => CsvFormulas::Keep,
        }
    }
}
