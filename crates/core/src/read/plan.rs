//! The plan model and its reader: a folder of CSV files or an Excel workbook (README "Input: a plan folder").
//!
//! [`Plan::read`] reads a folder; [`Plan::from_files`] reads the same files from memory (the
//! bundled demo plan). Both collect every problem before failing, each with file, line and
//! column.

use crate::error::{Error, Problem, Problems, Result};
use crate::model::period::{Frequency, Period, YearType};
use crate::model::values::{parse_date, parse_flag, parse_number, Aggregation, CiMethod, Polarity, Status};
use crate::read::table::{self, Columns, Field, Row, Table};
use crate::read::workbook::{self, Sheet};
use crate::rules::{DotBasis, Rules};
use chrono::NaiveDate;
// Lookups only, never iterated, so the hasher's seed cannot reach the output.
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use std::path::Path;

/// A priority of the plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Priority {
    /// The priority's id as written (`1`, `5`).
    pub id: String,
    /// Its title, if `priorities.csv` gives one.
    pub title: String,
    /// Its strategic lead(s).
    pub strategic_lead: String,
}

/// A delivery milestone.
#[derive(Debug, Clone, PartialEq)]
pub struct Milestone {
    /// The priority it belongs to.
    pub priority: String,
    /// Unique id (`1.15`).
    pub id: String,
    /// The commitment.
    pub title: String,
    /// The action it sits under.
    pub action: String,
    /// The lead officer or agency.
    pub lead: String,
    /// Due date.
    pub due: Option<NaiveDate>,
    /// Baseline value and the period it was measured in.
    pub baseline: Option<f64>,
    /// The baseline's period.
    pub baseline_period: Option<Period>,
    /// Final target and the period by whose end it is due.
    pub target: Option<f64>,
    /// The target's period.
    pub target_period: Option<Period>,
    /// Polarity as given; see [`Milestone::polarity`] for the one used.
    pub polarity_given: Option<Polarity>,
    /// Amber threshold for the final target.
    pub amber_threshold: Option<f64>,
    /// Unit (`%`).
    pub unit: String,
    /// When work started (issue #16): the expected-progress line runs from here to `due`.
    pub start: Option<NaiveDate>,
}

impl Milestone {
    /// The polarity rated with: as given, else low when the target is below the baseline,
    /// else high.
    pub fn polarity(&self) -> Polarity {
        match (self.polarity_given, self.baseline, self.target) {
            (Some(p), _, _) => p,
            (None, Some(b), Some(t)) if t < b => Polarity::LowIsGood,
            _ => Polarity::HighIsGood,
        }
    }
}

/// What a milestone's lead reported for one period.
#[derive(Debug, Clone, PartialEq)]
pub struct Update {
    /// Index into [`Plan::milestones`].
    pub milestone: usize,
    /// The reporting period.
    pub period: Period,
    /// Reported value.
    pub value: Option<f64>,
    /// Marked complete.
    pub complete: bool,
    /// Issues flagged.
    pub issues: bool,
    /// The officer's status.
    pub status: Option<Status>,
    /// The lead's commentary.
    pub commentary: String,
    /// How much of the milestone is done, in per cent (issue #16): `45` or `45%`.
    pub percent_complete: Option<f64>,
}

impl Update {
    /// An update that says nothing: no value, no flag, no status, no commentary (rule 1).
    pub fn is_empty(&self) -> bool {
        self.value.is_none()
            && !self.complete
            && !self.issues
            && self.status.is_none()
            && self.commentary.trim().is_empty()
            && self.percent_complete.is_none()
    }
}

/// A key performance indicator.
#[derive(Debug, Clone, PartialEq)]
pub struct Measure {
    /// Unique id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Polarity.
    pub polarity: Polarity,
    /// Monthly, quarterly or annual.
    pub frequency: Frequency,
    /// Group (shown as its priority).
    pub group: String,
    /// Unit (`%`).
    pub unit: String,
    /// Target for every period without a `targets.csv` row.
    pub target: Option<f64>,
    /// Amber threshold for that target.
    pub amber_threshold: Option<f64>,
    /// Direction-of-travel basis as given.
    pub dot_basis_given: Option<DotBasis>,
    /// The measure's own year type.
    pub year_type: YearType,
    /// Data note.
    pub notes: String,
    /// How intervals are computed where none is given (`None`: Wilson where the value has a
    /// numerator and denominator, else no interval), issue #13.
    pub ci_method: Option<CiMethod>,
    /// The Fingertips indicator id `scorecard import fingertips` maps to this measure.
    pub fingertips_id: String,
    /// The LG Inform metric id `scorecard import lginform` maps to this measure.
    pub lginform_id: String,
    /// The responsible officer (`lead`; issue #15), blank when not given.
    pub lead: String,
    /// The portfolio (cabinet member's area) it reports to (`portfolio`), blank when not given.
    pub portfolio: String,
    /// `aggregation` as given; see [`Measure::aggregation`] for the one used.
    pub aggregation_given: Option<Aggregation>,
}

impl Measure {
    /// How the measure's values add up over a year to date: as given, else by its unit
    /// ([`Aggregation::default_for_unit`]).
    pub fn aggregation(&self) -> Aggregation {
        self.aggregation_given.unwrap_or_else(|| Aggregation::default_for_unit(&self.unit))
    }
}

/// One measure's value for one period.
#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    /// Index into [`Plan::measures`].
    pub measure: usize,
    /// The measure's period.
    pub period: Period,
    /// The value (`None`: reported missing).
    pub value: Option<f64>,
    /// Numerator, where given.
    pub numerator: Option<f64>,
    /// Denominator, where given.
    pub denominator: Option<f64>,
    /// The officer's commentary on this value (`commentary`; issue #15), blank when not given.
    pub commentary: String,
    /// The published 95% interval, where given (issue #13).
    pub ci: Option<(f64, f64)>,
    /// The published 99.8% interval, where given (issue #13).
    pub ci_998: Option<(f64, f64)>,
}

/// A milestone or a measure: what `targets.csv` and `benchmarks.csv` name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ItemRef {
    /// Index into [`Plan::milestones`].
    Milestone(usize),
    /// Index into [`Plan::measures`].
    Measure(usize),
}

/// A per-period target (a trajectory row).
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// The item.
    pub item: ItemRef,
    /// The period it applies to.
    pub period: Period,
    /// The target.
    pub target: f64,
    /// Its amber threshold.
    pub amber_threshold: Option<f64>,
}

/// A comparator's value.
#[derive(Debug, Clone, PartialEq)]
pub struct Benchmark {
    /// The item.
    pub item: ItemRef,
    /// The period the benchmark is for.
    pub period: Period,
    /// The comparator's label (`national`).
    pub label: String,
    /// Its value.
    pub value: f64,
}

/// A rebase of a measure's SPC (`rebases.csv`, issue #13): from this period on, its points form
/// a new segment with its own mean and limits.
#[derive(Debug, Clone, PartialEq)]
pub struct Rebase {
    /// Index into [`Plan::measures`].
    pub measure: usize,
    /// The first period of the new segment.
    pub period: Period,
    /// Why the process changed.
    pub reason: String,
}

/// A plan folder, read and checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The folder's name: the `plan` column of every output.
    pub name: String,
    /// `plan.toml`'s `name`, else the folder's name.
    pub title: String,
    /// `plan.toml`'s `council` (issue #15): the council the plan belongs to, for the title page.
    pub council: Option<String>,
    /// `plan.toml`'s `document_status` (issue #15), such as `Draft` or `Final`, for the title
    /// page.
    pub document_status: Option<String>,
    /// The plan's year type.
    pub year_type: YearType,
    /// The effective rules.
    pub rules: Rules,
    /// Priorities, in plan order.
    pub priorities: Vec<Priority>,
    /// Milestones, in file order.
    pub milestones: Vec<Milestone>,
    /// Updates, in file order.
    pub updates: Vec<Update>,
    /// Measures, in file order.
    pub measures: Vec<Measure>,
    /// Values, in file order.
    pub values: Vec<Value>,
    /// Per-period targets.
    pub targets: Vec<Target>,
    /// Benchmarks.
    pub benchmarks: Vec<Benchmark>,
    /// How reports name the statuses (`plan.toml` `[labels]`, issue #16).
    pub labels: crate::model::values::Labels,
    /// SPC rebases, in file order (issue #13).
    pub rebases: Vec<Rebase>,
    /// Each file read, as (file name, SHA-256 of its bytes in hex), in [`PLAN_FILES`] order:
    /// the inputs' part of the outputs' provenance.
    pub sources: Vec<(String, String)>,
    /// What is worth telling the user but does not stop the plan being read (a column
    /// scorecard does not read, a file read as Windows-1252), with positions: the CLI prints
    /// them as warnings.
    pub warnings: Vec<Problem>,
}

/// The largest plan file read: memory use is a few times the plan's size, so this bounds it.
pub const MAX_FILE_BYTES: u64 = 256_000_000;

/// The most benchmark labels a plan may have: each label adds three columns (`vs_<label>`,
/// `gap_<label>`, `sig_<label>`) to every rating, so the output grows with ratings × labels,
/// and a file of a few kilobytes naming thousands of labels would ask for gigabytes of output;
/// 50 is far more comparators than a report to members shows (national, regional, statistical
/// neighbours...). The rating engine itself is linear in ratings × labels beyond the bound
/// (BENCHMARKS.md, "Benchmark labels": 8,000 labels measured).
pub const MAX_LABELS: usize = 50;

/// The files a plan folder may hold.
pub const PLAN_FILES: [&str; 9] = [
    "plan.toml",
    "priorities.csv",
    "milestones.csv",
    "updates.csv",
    "measures.csv",
    "values.csv",
    "targets.csv",
    "benchmarks.csv",
    "rebases.csv",
];

const PRIORITIES: Columns = Columns { required: &["priority"], optional: &["title", "strategic_lead"] };
const MILESTONES: Columns = Columns {
    required: &["priority", "milestone", "title"],
    optional: &[
        "action",
        "lead",
        "due",
        "baseline",
        "baseline_period",
        "target",
        "target_period",
        "polarity",
        "amber_threshold",
        "unit",
        "start",
    ],
};
const UPDATES: Columns =
    Columns { required: &["milestone", "period"], optional: &["value", "complete", "issues", "status", "commentary", "percent_complete"] };
const MEASURES: Columns = Columns {
    required: &["measure", "title", "polarity", "frequency"],
    optional: &[
        "group",
        "unit",
        "target",
        "amber_threshold",
        "dot_basis",
        "year_type",
        "notes",
        "ci_method",
        "fingertips_id",
        "lginform_id",
        "lead",
        "portfolio",
        "aggregation",
    ],
};
const VALUES: Columns = Columns {
    required: &["measure", "period", "value"],
    optional: &["numerator", "denominator", "lower_ci", "upper_ci", "lower_ci_99_8", "upper_ci_99_8", "commentary"],
};
const TARGETS: Columns = Columns { required: &["item", "period", "target"], optional: &["amber_threshold"] };
const BENCHMARKS: Columns = Columns { required: &["item", "period", "benchmark", "value"], optional: &["lower_ci", "upper_ci"] };
const REBASES: Columns = Columns { required: &["item", "period", "reason"], optional: &[] };

#[derive(serde::Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct PlanToml {
    name: Option<String>,
    year_type: Option<toml::Spanned<String>>,
    council: Option<String>,
    document_status: Option<String>,
    #[serde(default)]
    rules: Rules,
    #[serde(default)]
    labels: crate::model::values::Labels,
}

impl Plan {
    /// Reads the plan folder `dir`: its CSV files, or its `plan.xlsx` workbook; `dir` may also
    /// be a workbook (`.xlsx`) itself ([`Plan::from_workbook`]).
    pub fn read(dir: &Path) -> Result<Plan> {
        if let Some(plan) = Plan::read_workbook(dir)? {
            return Ok(plan);
        }
        if !dir.is_dir() {
            return Err(Error::Input(Problems(vec![Problem::file(
                dir.display().to_string(),
                "not a plan folder; expected a folder holding milestones.csv and updates.csv, or measures.csv and values.csv",
            )])));
        }
        let folder = dir.canonicalize().map_err(|source| Error::Io { path: dir.to_path_buf(), source })?;
        let mut files = Vec::new();
        let mut refused = Vec::new();
        for name in PLAN_FILES {
            let path = dir.join(name);
            match read_plan_file(&folder, &path) {
                Ok(Some(bytes)) => files.push((name.to_string(), bytes)),
                Ok(None) => {}
                Err(Refused::Problem(message)) => refused.push(Problem::file(path.display().to_string(), message)),
                Err(Refused::Io(source)) => return Err(Error::Io { path, source }),
            }
        }
        if !refused.is_empty() {
            return Err(Error::Input(Problems(refused)));
        }
        let name = folder_name(dir);
        Plan::from_files(&name, &dir.display().to_string(), files)
    }

    /// Reads a plan from `(file name, bytes)` pairs; `shown_as` prefixes file names in messages.
    pub fn from_files(name: &str, shown_as: &str, files: Vec<(String, Vec<u8>)>) -> Result<Plan> {
        let sources = super::hash::file_hashes(&files);
        Plan::from_tables(name, shown_as, files, None, sources)
    }

    /// Reads a plan from an Excel workbook's bytes (issue #15), one sheet per plan table named
    /// like the CSV files (`milestones`, `updates`, ...), with its `plan.toml` beside it if
    /// any. `shown_as` names the workbook in messages (`plans/cyp/plan.xlsx`); problems name
    /// the sheet and cell. The sheets are checked by the same rules as CSV files
    /// ([`crate::read::workbook`]), so a workbook rates exactly as its CSV twin.
    pub fn from_workbook(name: &str, shown_as: &str, workbook: Vec<u8>, plan_toml: Option<Vec<u8>>) -> Result<Plan> {
        let workbook_name = Path::new(shown_as).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "plan.xlsx".into());
        let mut inputs = vec![(workbook_name, workbook)];
        if let Some(toml) = plan_toml {
            inputs.push(("plan.toml".to_string(), toml));
        }
        let sources = super::hash::file_hashes(&inputs);
        let tables = workbook::read(&inputs[0].1, shown_as).map_err(|p| Error::Input(Problems(vec![*p])))?;
        let mut files = tables.files;
        files.extend(inputs.into_iter().skip(1));
        let dir = Path::new(shown_as).parent().map(|d| d.display().to_string()).unwrap_or_default();
        Plan::from_tables(name, &dir, files, Some((shown_as.to_string(), tables.sheets)), sources)
    }

    /// `path` read as a workbook plan when it is one: a `.xlsx` file, or a folder holding
    /// `plan.xlsx` (and no CSV plan files). The settings are the `plan.toml` beside it.
    fn read_workbook(path: &Path) -> Result<Option<Plan>> {
        let is_xlsx = |p: &Path| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
        let (file, dir) = if path.is_file() && is_xlsx(path) {
            let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
            (path.to_path_buf(), if dir.as_os_str().is_empty() { Path::new(".").to_path_buf() } else { dir })
        } else if path.is_dir() && path.join("plan.xlsx").is_file() {
            let csv: Vec<&str> = PLAN_FILES.iter().copied().filter(|f| f.ends_with(".csv") && path.join(f).exists()).collect();
            if !csv.is_empty() {
                return Err(Error::Input(Problems(vec![Problem::file(
                    path.display().to_string(),
                    format!(
                        "holds both plan.xlsx and CSV plan files ({}); expected one or the other: move the CSV files or the workbook to a folder of its own",
                        csv.join(", ")
                    ),
                )])));
            }
            (path.join("plan.xlsx"), path.to_path_buf())
        } else {
            return Ok(None);
        };
        let read = |p: &Path| -> Result<Option<Vec<u8>>> {
            match std::fs::metadata(p) {
                Ok(meta) if meta.len() > MAX_FILE_BYTES => Err(Error::Input(Problems(vec![Problem::file(
                    p.display().to_string(),
                    format!("is {} MB; a plan file may be at most {} MB", meta.len() / 1_000_000, MAX_FILE_BYTES / 1_000_000),
                )]))),
                _ => match std::fs::read(p) {
                    Ok(bytes) => Ok(Some(bytes)),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                    Err(source) => Err(Error::Io { path: p.to_path_buf(), source }),
                },
            }
        };
        let bytes = read(&file)?.unwrap_or_default();
        let toml = read(&dir.join("plan.toml"))?;
        Plan::from_workbook(&folder_name(path), &file.display().to_string(), bytes, toml).map(Some)
    }

    /// The reader behind [`Plan::from_files`] and [`Plan::from_workbook`]: `files` are CSV
    /// tables by file name, `workbook` the workbook's name and sheets when they came from one.
    fn from_tables(
        name: &str,
        shown_as: &str,
        files: Vec<(String, Vec<u8>)>,
        workbook: Option<(String, Vec<Sheet>)>,
        sources: Vec<(String, String)>,
    ) -> Result<Plan> {
        let files: HashMap<String, Vec<u8>> = files.into_iter().collect();
        let mut r = Reader {
            dir: shown_as.trim_end_matches('/').to_string(),
            problems: Vec::new(),
            warnings: Vec::new(),
            milestones_clean: true,
            measures_clean: true,
            items: HashMap::new(),
            sheets: workbook.as_ref().map(|w| w.1.clone()).unwrap_or_default(),
        };
        let plan = r.plan(name, &files);
        if r.problems.is_empty() {
            let mut warnings = r.warnings;
            warnings.dedup();
            Ok(Plan { sources, warnings, ..plan })
        } else {
            let mut problems = std::mem::take(&mut r.problems);
            problems.sort_by(|a, b| {
                let order = |p: &Problem| PLAN_FILES.iter().position(|f| p.file.ends_with(f)).unwrap_or(99);
                (order(a), a.line, a.column).cmp(&(order(b), b.line, b.column))
            });
            problems.dedup();
            if let Some((shown, _)) = &workbook {
                for p in &mut problems {
                    r.to_workbook(p, shown);
                }
            }
            Err(Error::Input(Problems(problems)))
        }
    }

    /// The index of the milestone or measure with this id.
    pub fn find_item(&self, id: &str) -> Option<ItemRef> {
        self.milestones
            .iter()
            .position(|m| m.id == id)
            .map(ItemRef::Milestone)
            .or_else(|| self.measures.iter().position(|m| m.id == id).map(ItemRef::Measure))
    }

    /// The measure's direction-of-travel basis: as given, else the rules' default.
    pub fn dot_basis(&self, measure: &Measure) -> DotBasis {
        measure.dot_basis_given.unwrap_or(match measure.frequency {
            Frequency::Annual => self.rules.dot_basis_annual,
            _ => self.rules.dot_basis_other,
        })
    }

    /// The officer's commentary on `item` at `period` (issue #15): for a milestone, its
    /// update's `commentary` for that period; for a measure, its value's `commentary` in
    /// `values.csv` for that period, its own period M (a rating's `rated_period`). Blank when
    /// there is none. One scan of the updates or values: callers wording many items index them.
    pub fn commentary(&self, item: ItemRef, period: Period) -> &str {
        match item {
            ItemRef::Milestone(i) => {
                self.updates.iter().find(|u| u.milestone == i && u.period == period).map(|u| u.commentary.as_str()).unwrap_or("")
            }
            ItemRef::Measure(i) => {
                self.values.iter().find(|v| v.measure == i && v.period == period).map(|v| v.commentary.as_str()).unwrap_or("")
            }
        }
    }

    /// The commentary behind a rating: [`Plan::commentary`] of its item at its rated period,
    /// the way a milestone's comes from `updates.csv` and a measure's from `values.csv`.
    pub fn rating_commentary(&self, rating: &crate::model::rating::Rating<'_>) -> &str {
        let item = match rating.kind {
            crate::model::rating::Kind::Milestone => self.milestones.iter().position(|m| m.id == *rating.item).map(ItemRef::Milestone),
            crate::model::rating::Kind::Measure => self.measures.iter().position(|m| m.id == *rating.item).map(ItemRef::Measure),
            // Roll-up rows (issue #16) have no commentary of their own.
            crate::model::rating::Kind::Action | crate::model::rating::Kind::Priority => None,
        };
        item.map(|i| self.commentary(i, rating.rated_period)).unwrap_or("")
    }

    /// What a milestone's update for `period` says, for the report's update column (issue
    /// #15): its commentary; for an update with no commentary, what it does hold ("No
    /// commentary; marked complete, issues flagged"), never "no update"; `None` when there
    /// is no update for the period, or an empty one.
    pub fn update_note(&self, milestone: usize, period: Period) -> Option<String> {
        self.updates.iter().find(|u| u.milestone == milestone && u.period == period && !u.is_empty())?.note()
    }
}

impl Update {
    /// [`Plan::update_note`] of this update: its commentary, else what it holds; `None` for
    /// an empty update.
    pub fn note(&self) -> Option<String> {
        if self.is_empty() {
            return None;
        }
        let u = self;
        let commentary = u.commentary.trim();
        if !commentary.is_empty() {
            return Some(commentary.to_string());
        }
        let mut held = Vec::new();
        if u.complete {
            held.push("marked complete".to_string());
        }
        if u.issues {
            held.push("issues flagged".to_string());
        }
        if let Some(v) = u.value {
            held.push(format!("{} reported", crate::model::number::format_number(v)));
        }
        if let Some(s) = u.status {
            held.push(format!("status {} given", s.name()));
        }
        Some(format!("No commentary; {}", held.join(", ")))
    }
}

impl Plan {
    /// The default period of the members' report (issue #15): [`Plan::latest_period`],
    /// unless that leaves every milestone Blue with no update (monthly measures, quarterly
    /// updates), when it is the latest period at which the milestones were updated. The
    /// second value is that latest period when it was moved, so the caller can say so.
    pub fn report_period(&self) -> Option<(Period, Option<Period>)> {
        let latest = self.latest_period()?;
        if self.milestones.is_empty() || self.updates.iter().any(|u| u.period == latest && !u.is_empty()) {
            return Some((latest, None));
        }
        match self.updates.iter().filter(|u| !u.is_empty()).map(|u| u.period).max() {
            Some(updated) => Some((updated, Some(latest))),
            None => Some((latest, None)),
        }
    }

    /// The latest period with any update or value: the default `--period`.
    pub fn latest_period(&self) -> Option<Period> {
        self.updates.iter().map(|u| u.period).chain(self.values.iter().map(|v| v.period)).max()
    }

    /// The distinct periods with an update (milestones) or a value (measures), in order.
    pub fn reported_periods(&self) -> (Vec<Period>, Vec<Period>) {
        let mut m: Vec<Period> = self.updates.iter().map(|u| u.period).collect();
        let mut v: Vec<Period> = self.values.iter().map(|v| v.period).collect();
        for list in [&mut m, &mut v] {
            list.sort();
            list.dedup();
        }
        (m, v)
    }

    /// Parses a period named on the command line in the plan's year type.
    pub fn parse_period(&self, text: &str) -> Result<Period> {
        Period::parse(text, self.year_type).map_err(|e| Error::Usage(format!("--period {text}: {e}")))
    }
}

/// Why a plan file was not read.
enum Refused {
    /// Not a file scorecard reads: the message says why.
    Problem(String),
    /// The operating system's error.
    Io(std::io::Error),
}

/// What a file is, for a message: "a folder", "a FIFO (named pipe)"...
fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    "not a regular file"
}

/// Reads the plan file `path` of the plan folder `folder` (canonical), if there is one: only a
/// regular file inside the folder (itself or through a link that stays inside), and at most
/// [`MAX_FILE_BYTES`]. The file's type is checked before it is opened (a FIFO would block the
/// open until a writer came) and again on the open file (it may have been swapped), and it is
/// opened non-blocking, so nothing can make reading wait; the read itself stops past the
/// bound, whatever size the file claimed.
fn read_plan_file(folder: &Path, path: &Path) -> std::result::Result<Option<Vec<u8>>, Refused> {
    use std::io::Read;
    let link = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Refused::Io(e)),
    };
    if link.file_type().is_symlink() {
        let target = match path.canonicalize() {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Refused::Problem("is a link to a file that does not exist; expected a CSV file in the plan folder".into()))
            }
            Err(e) => return Err(Refused::Io(e)),
        };
        if !target.starts_with(folder) {
            return Err(Refused::Problem(format!(
                "is a link to {}, outside the plan folder; scorecard reads only files inside the plan folder: copy the file in instead",
                table::shown(&target.display().to_string())
            )));
        }
    }
    let meta = std::fs::metadata(path).map_err(Refused::Io)?;
    if !meta.is_file() {
        return Err(Refused::Problem(format!("is {}; scorecard reads only regular files: save it as a CSV file", kind_of(&meta))));
    }
    let too_big = |len: u64| {
        Refused::Problem(format!(
            "is {} MB; a plan file may be at most {} MB (a plan is read whole into memory): split the plan, for example one folder per year, and rate them together with `scorecard batch`",
            len / 1_000_000,
            MAX_FILE_BYTES / 1_000_000
        ))
    };
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_big(meta.len()));
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(Refused::Io)?;
    let meta = file.metadata().map_err(Refused::Io)?;
    if !meta.is_file() {
        return Err(Refused::Problem(format!("is {}; scorecard reads only regular files: save it as a CSV file", kind_of(&meta))));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(Refused::Io)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_big(bytes.len() as u64));
    }
    Ok(Some(bytes))
}

/// [`read_plan_file`] of the file `name` in the plan folder `dir`, for readers outside the
/// plan reader (`batch`'s scan of the labels): refusals as input errors.
#[cfg(feature = "engine")]
pub(crate) fn read_file_in(dir: &Path, name: &str) -> Result<Option<Vec<u8>>> {
    let folder = dir.canonicalize().map_err(|source| Error::Io { path: dir.to_path_buf(), source })?;
    let path = dir.join(name);
    match read_plan_file(&folder, &path) {
        Ok(bytes) => Ok(bytes),
        Err(Refused::Problem(message)) => Err(Error::Input(Problems(vec![Problem::file(path.display().to_string(), message)]))),
        Err(Refused::Io(source)) => Err(Error::Io { path, source }),
    }
}

/// The last component of a path, as the plan's name; for a workbook `NAME.xlsx`, `NAME`, and
/// for `plan.xlsx` its folder's name.
pub fn folder_name(dir: &Path) -> String {
    let canonical = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    if canonical.is_file() && canonical.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx")) {
        let stem = canonical.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        if !stem.eq_ignore_ascii_case("plan") {
            return stem;
        }
        return canonical.parent().map(folder_name).unwrap_or(stem);
    }
    canonical.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "plan".to_string())
}

struct Reader {
    dir: String,
    problems: Vec<Problem>,
    warnings: Vec<Problem>,
    /// milestones.csv / measures.csv read with no row dropped: only then is an id missing from
    /// them worth reporting (otherwise the dropped row's own problem already explains it).
    milestones_clean: bool,
    measures_clean: bool,
    /// Every milestone's and measure's id, for the rows that name one: a lookup per row of
    /// updates.csv or values.csv, where a scan of the items made big plans slow to read.
    items: HashMap<String, ItemRef>,
    /// The sheets, when the plan is a workbook: where each table's lines are.
    sheets: Vec<Sheet>,
}

impl Reader {
    fn path(&self, name: &str) -> String {
        if self.dir.is_empty() {
            name.to_string()
        } else {
            format!("{}/{name}", self.dir)
        }
    }

    fn table(&mut self, files: &HashMap<String, Vec<u8>>, name: &str, columns: &Columns) -> Option<Table> {
        let bytes = files.get(name)?;
        let path = self.path(name);
        let before = self.problems.len();
        let mut table = table::read(&path, bytes, columns, &mut self.problems, &mut self.warnings);
        // A sheet's lines are its rows from here on: in the rows read and the problems found.
        if let Some(sheet) = self.sheets.iter().find(|s| s.file == name) {
            for p in &mut self.problems[before..] {
                p.line = p.line.map(|l| sheet.row(l));
            }
            for row in table.iter_mut().flat_map(|t| t.rows.iter_mut()) {
                row.line = sheet.row(row.line);
            }
        }
        table
    }

    /// Where a row is, for a message that points back at it: `file:line`, or the sheet and
    /// row in a workbook.
    fn row_at(&self, file: &str, line: u64) -> String {
        match self.sheets.iter().find(|s| self.path(&s.file) == file) {
            Some(s) => format!("sheet {}, row {line}", s.name),
            None => format!("{file}:{line}"),
        }
    }

    /// A problem of a workbook's plan moved to the workbook: its sheet and cell, and messages
    /// naming the sheets where they name the CSV files.
    fn to_workbook(&self, p: &mut Problem, workbook: &str) {
        match self.sheets.iter().find(|s| self.path(&s.file) == p.file) {
            Some(sheet) => sheet.place(p, workbook),
            None if p.file != self.path("plan.toml") => p.file = workbook.to_string(),
            None => {}
        }
        for f in PLAN_FILES.iter().filter(|f| f.ends_with(".csv")) {
            let sheet = format!("the {} sheet", f.trim_end_matches(".csv"));
            p.message = p.message.replace(f, &sheet);
        }
        p.message = p.message.replace("the file is empty", "the sheet is empty").replace("files come in pairs", "sheets come in pairs");
    }

    fn push(&mut self, field: Field, message: impl Into<String>, file: &str) {
        self.problems.push(field.problem(file, message));
    }

    /// Whether `period` is one of `measure`'s own periods (its frequency, aligned to its year
    /// type), as `values.csv` and `rebases.csv` rows must be; if not, the problem at `field`.
    fn measure_period(&mut self, field: Field, period: Period, measure: &Measure, file: &str) -> bool {
        if period.frequency == measure.frequency && Period::from_start(period.start, period.frequency, measure.year_type).is_aligned() {
            return true;
        }
        self.push(
            field,
            format!(
                "{period} is not a {} period of measure {:?} ({} year); expected a {}",
                measure.frequency.name(),
                measure.id,
                measure.year_type.name(),
                example_period(measure)
            ),
            file,
        );
        false
    }

    fn plan(&mut self, name: &str, files: &HashMap<String, Vec<u8>>) -> Plan {
        let (toml, toml_text) = self.plan_toml(files);
        let year_type = match &toml.year_type {
            None => YearType::default(),
            Some(y) => YearType::parse(y.get_ref()).unwrap_or_else(|| {
                let (line, column) = line_column(&toml_text, y.span().start);
                self.problems.push(Problem {
                    file: self.path("plan.toml"),
                    line: Some(line),
                    column: Some(column),
                    column_name: None,
                    sheet: None,
                    message: format!("year_type = {:?} is not a year type; expected financial, academic or calendar", y.get_ref()),
                });
                YearType::default()
            }),
        };
        if let Err((key, e)) = toml.rules.check() {
            let line = toml_text.lines().position(|l| l.trim_start().starts_with(key)).map(|i| i as u64 + 1);
            self.problems.push(Problem {
                file: self.path("plan.toml"),
                line,
                column: line.map(|_| 1),
                column_name: None,
                sheet: None,
                message: format!("[rules] {e}"),
            });
        }
        let has = |f: &str| files.contains_key(f);
        for (a, b) in [("milestones.csv", "updates.csv"), ("measures.csv", "values.csv")] {
            if has(a) != has(b) {
                let (present, absent) = if has(a) { (a, b) } else { (b, a) };
                self.problems.push(Problem::file(
                    self.path(absent),
                    format!("{present} is present but {absent} is missing; files come in pairs (milestones.csv with updates.csv, measures.csv with values.csv)"),
                ));
            }
        }
        if !has("milestones.csv") && !has("measures.csv") && !has("updates.csv") && !has("values.csv") {
            self.problems.push(Problem::file(
                self.dir.clone(),
                "no plan files found; expected milestones.csv with updates.csv, and/or measures.csv with values.csv",
            ));
        }

        let mut plan = Plan {
            name: name.to_string(),
            title: toml.name.clone().unwrap_or_else(|| name.to_string()),
            council: toml.council.clone().map(|c| c.trim().to_string()).filter(|c| !c.is_empty()),
            document_status: toml.document_status.clone().map(|c| c.trim().to_string()).filter(|c| !c.is_empty()),
            year_type,
            rules: toml.rules,
            labels: toml.labels.clone(),
            priorities: Vec::new(),
            milestones: Vec::new(),
            updates: Vec::new(),
            measures: Vec::new(),
            values: Vec::new(),
            targets: Vec::new(),
            benchmarks: Vec::new(),
            rebases: Vec::new(),
            sources: Vec::new(),
            warnings: Vec::new(),
        };
        let priorities = self.table(files, "priorities.csv", &PRIORITIES);
        let before = self.problems.len();
        let milestones = self.table(files, "milestones.csv", &MILESTONES);
        let milestone_rows_dropped = self.problems.len() > before;
        let before = self.problems.len();
        let measures = self.table(files, "measures.csv", &MEASURES);
        let measure_rows_dropped = self.problems.len() > before;
        if let Some(t) = &priorities {
            self.priorities(t, &mut plan);
        }
        let mut ids: HashMap<String, (String, u64)> = HashMap::new();
        if let Some(t) = &milestones {
            self.milestones(t, &mut plan, &mut ids, priorities.is_some(), milestone_rows_dropped);
        }
        self.milestones_clean = !milestone_rows_dropped && (milestones.is_some() || !has("milestones.csv"));
        if let Some(t) = &measures {
            self.measures(t, &mut plan, &mut ids, measure_rows_dropped);
        }
        self.measures_clean = !measure_rows_dropped && (measures.is_some() || !has("measures.csv"));
        // First wins, as Plan::find_item finds it.
        for (i, m) in plan.milestones.iter().enumerate() {
            self.items.entry(m.id.clone()).or_insert(ItemRef::Milestone(i));
        }
        for (i, m) in plan.measures.iter().enumerate() {
            self.items.entry(m.id.clone()).or_insert(ItemRef::Measure(i));
        }
        if let Some(t) = self.table(files, "updates.csv", &UPDATES) {
            self.updates(&t, &mut plan);
        }
        if let Some(t) = self.table(files, "values.csv", &VALUES) {
            self.values(&t, &mut plan);
        }
        if let Some(t) = self.table(files, "targets.csv", &TARGETS) {
            self.targets(&t, &mut plan);
        }
        if let Some(t) = self.table(files, "benchmarks.csv", &BENCHMARKS) {
            self.benchmarks(&t, &mut plan);
        }
        if let Some(t) = self.table(files, "rebases.csv", &REBASES) {
            self.rebases(&t, &mut plan);
        }
        plan
    }

    fn plan_toml(&mut self, files: &HashMap<String, Vec<u8>>) -> (PlanToml, String) {
        let Some(bytes) = files.get("plan.toml") else { return (PlanToml::default(), String::new()) };
        let text = table::decode(bytes);
        let parsed = match toml::from_str::<PlanToml>(&text) {
            Ok(t) => t,
            Err(e) => {
                let (line, column) = e.span().map(|s| line_column(&text, s.start)).unwrap_or((1, 1));
                let msg = e.message().to_string();
                self.problems.push(Problem {
                    file: self.path("plan.toml"),
                    line: Some(line),
                    column: Some(column),
                    column_name: None,
                    sheet: None,
                    message: format!("{msg}; expected name, year_type, council, document_status, a [rules] and a [labels] section (see the README for their names)"),
                });
                PlanToml::default()
            }
        };
        (parsed, text)
    }

    fn priorities(&mut self, t: &Table, plan: &mut Plan) {
        let mut seen = HashSet::new();
        for row in &t.rows {
            let id = t.text(row, "priority");
            if id.is_empty() {
                self.push(t.field(row, "priority").expect("required"), "is blank; expected the priority's id", &t.file);
                continue;
            }
            if !seen.insert(id.to_string()) {
                self.push(t.field(row, "priority").expect("required"), format!("priority {id:?} appears twice"), &t.file);
                continue;
            }
            plan.priorities.push(Priority {
                id: id.to_string(),
                title: t.text(row, "title").to_string(),
                strategic_lead: t.text(row, "strategic_lead").to_string(),
            });
        }
    }

    fn unique_id(&mut self, field: Field, file: &str, ids: &mut HashMap<String, (String, u64)>) -> bool {
        let id = crate::model::values::trim(field.text);
        if id.is_empty() {
            self.push(field, "is blank; expected the item's unique id", file);
            return false;
        }
        if let Some((first_file, first_line)) = ids.get(id) {
            let first = self.row_at(first_file, *first_line);
            self.push(field, format!("id {id:?} is already used at {first}; ids must be unique across milestones and measures"), file);
            return false;
        }
        ids.insert(id.to_string(), (file.to_string(), field.line));
        true
    }

    fn number(&mut self, t: &Table, row: &Row, column: &'static str) -> Option<f64> {
        let f = t.field(row, column)?;
        parse_number(f.text).unwrap_or_else(|e| {
            self.push(f, e, &t.file);
            None
        })
    }

    fn period(&mut self, t: &Table, row: &Row, column: &'static str, year_type: YearType) -> Option<Period> {
        let f = t.field(row, column)?;
        if f.is_blank() {
            return None;
        }
        Period::parse(f.text, year_type).map(Some).unwrap_or_else(|e| {
            self.push(f, e, &t.file);
            None
        })
    }

    fn parsed<T>(
        &mut self,
        t: &Table,
        row: &Row,
        column: &'static str,
        parse: impl Fn(&str) -> std::result::Result<T, String>,
    ) -> Option<T> {
        let f = t.field(row, column)?;
        if f.is_blank() {
            return None;
        }
        parse(f.text).map(Some).unwrap_or_else(|e| {
            self.push(f, e, &t.file);
            None
        })
    }

    fn milestones(&mut self, t: &Table, plan: &mut Plan, ids: &mut HashMap<String, (String, u64)>, listed: bool, rows_dropped: bool) {
        if t.rows.is_empty() && !rows_dropped {
            self.problems.push(Problem::file(t.file.clone(), "has a header but no milestones; expected one row per milestone"));
        }
        for row in &t.rows {
            let id_field = t.field(row, "milestone").expect("required");
            let priority = t.text(row, "priority").to_string();
            if priority.is_empty() {
                self.push(t.field(row, "priority").expect("required"), "is blank; expected the milestone's priority", &t.file);
            } else if listed && !plan.priorities.iter().any(|p| p.id == priority) {
                self.push(
                    t.field(row, "priority").expect("required"),
                    format!(
                        "priority {priority:?} is not in priorities.csv; expected one of {}",
                        plan.priorities.iter().map(|p| p.id.as_str()).collect::<Vec<_>>().join(", ")
                    ),
                    &t.file,
                );
            } else if !listed && !plan.priorities.iter().any(|p| p.id == priority) {
                plan.priorities.push(Priority { id: priority.clone(), title: String::new(), strategic_lead: String::new() });
            }
            let title = t.text(row, "title").to_string();
            if title.is_empty() {
                self.push(t.field(row, "title").expect("required"), "is blank; expected the milestone's commitment", &t.file);
            }
            let unique = self.unique_id(id_field, &t.file, ids);
            let due = self.parsed(t, row, "due", parse_date).flatten();
            let baseline = self.number(t, row, "baseline");
            let baseline_period = self.period(t, row, "baseline_period", plan.year_type);
            let target = self.number(t, row, "target");
            let target_period = self.period(t, row, "target_period", plan.year_type);
            let polarity_given = self.parsed(t, row, "polarity", Polarity::parse);
            let amber_threshold = self.number(t, row, "amber_threshold");
            let start = self.parsed(t, row, "start", parse_date).flatten();
            // Issue #16: a milestone's threshold goes on the bad side of its target, as a
            // measure's does (the polarity as rated: given, else from baseline and target).
            if let (Some(tg), Some(a)) = (target, amber_threshold) {
                let polarity = match (polarity_given, baseline) {
                    (Some(p), _) => p,
                    (None, Some(b)) if tg < b => Polarity::LowIsGood,
                    _ => Polarity::HighIsGood,
                };
                check_threshold(self, t.field(row, "amber_threshold").expect("parsed"), &t.file, polarity, tg, a);
            }
            if let (Some(s), Some(d)) = (start, due) {
                if s >= d {
                    self.push(
                        t.field(row, "start").expect("parsed"),
                        format!(
                            "the start {} is not before the due date {}; expected an earlier start",
                            s.format("%d/%m/%Y"),
                            d.format("%d/%m/%Y")
                        ),
                        &t.file,
                    );
                }
            }
            if let (Some(b), Some(tp)) = (baseline_period, target_period) {
                if b.end() >= tp.end() {
                    self.push(
                        t.field(row, "target_period").expect("parsed"),
                        format!("the target period {tp} does not end after the baseline period {b}; expected a later target period"),
                        &t.file,
                    );
                }
            }
            if !unique {
                continue;
            }
            plan.milestones.push(Milestone {
                priority,
                id: crate::model::values::trim(id_field.text).to_string(),
                title,
                action: t.text(row, "action").to_string(),
                lead: t.text(row, "lead").to_string(),
                due,
                baseline,
                baseline_period,
                target,
                target_period,
                polarity_given,
                amber_threshold,
                unit: t.text(row, "unit").to_string(),
                start,
            });
        }
    }

    fn measures(&mut self, t: &Table, plan: &mut Plan, ids: &mut HashMap<String, (String, u64)>, rows_dropped: bool) {
        if t.rows.is_empty() && !rows_dropped {
            self.problems.push(Problem::file(t.file.clone(), "has a header but no measures; expected one row per measure"));
        }
        for row in &t.rows {
            let id_field = t.field(row, "measure").expect("required");
            let unique = self.unique_id(id_field, &t.file, ids);
            let title = t.text(row, "title").to_string();
            if title.is_empty() {
                self.push(t.field(row, "title").expect("required"), "is blank; expected the measure's title", &t.file);
            }
            let polarity = self.required(t, row, "polarity", Polarity::parse, "high, low or neutral");
            let frequency = self.required(
                t,
                row,
                "frequency",
                |s| Frequency::parse(s).ok_or_else(|| format!("{s:?} is not a frequency; expected monthly, quarterly or annual")),
                "monthly, quarterly or annual",
            );
            let year_type = self
                .parsed(t, row, "year_type", |s| {
                    YearType::parse(s).ok_or_else(|| format!("{s:?} is not a year type; expected financial, academic or calendar"))
                })
                .unwrap_or(plan.year_type);
            let target = self.number(t, row, "target");
            let amber_threshold = self.number(t, row, "amber_threshold");
            let dot_basis_given = self.parsed(t, row, "dot_basis", DotBasis::parse);
            let aggregation_given = self.parsed(t, row, "aggregation", Aggregation::parse);
            let ci_method = self.parsed(t, row, "ci_method", CiMethod::parse);
            if polarity == Some(Polarity::Neutral) && target.is_some() {
                self.push(
                    t.field(row, "target").expect("parsed"),
                    "a neutral measure is not rated, so it cannot have a target; expected a blank target or a polarity of high or low",
                    &t.file,
                );
            }
            if let (Some(p), Some(tg), Some(a)) = (polarity, target, amber_threshold) {
                check_threshold(self, t.field(row, "amber_threshold").expect("parsed"), &t.file, p, tg, a);
            }
            let (Some(polarity), Some(frequency), true) = (polarity, frequency, unique) else { continue };
            plan.measures.push(Measure {
                id: crate::model::values::trim(id_field.text).to_string(),
                title,
                polarity,
                frequency,
                group: t.text(row, "group").to_string(),
                unit: t.text(row, "unit").to_string(),
                target,
                amber_threshold,
                dot_basis_given,
                year_type,
                notes: t.text(row, "notes").to_string(),
                lead: t.text(row, "lead").to_string(),
                portfolio: t.text(row, "portfolio").to_string(),
                aggregation_given,
                ci_method,
                fingertips_id: crate::model::values::trim(t.text(row, "fingertips_id")).to_string(),
                lginform_id: crate::model::values::trim(t.text(row, "lginform_id")).to_string(),
            });
        }
    }

    fn required<T>(
        &mut self,
        t: &Table,
        row: &Row,
        column: &'static str,
        parse: impl Fn(&str) -> std::result::Result<T, String>,
        expected: &str,
    ) -> Option<T> {
        let f = t.field(row, column).expect("required column");
        if f.is_blank() {
            self.push(f, format!("is blank; expected {expected}"), &t.file);
            return None;
        }
        self.parsed(t, row, column, parse)
    }

    fn item_ref(&mut self, t: &Table, row: &Row, column: &'static str, want: Option<&str>) -> Option<ItemRef> {
        let f = t.field(row, column).expect("required column");
        let id = crate::model::values::trim(f.text);
        if id.is_empty() {
            self.push(f, "is blank; expected an item id", &t.file);
            return None;
        }
        let found = self.items.get(id).copied();
        match (found, want) {
            (Some(ItemRef::Milestone(i)), Some("measure")) => {
                let _ = i;
                self.push(
                    f,
                    format!("{id:?} is a milestone, not a measure; values.csv holds measures' values (milestones report in updates.csv)"),
                    &t.file,
                );
                None
            }
            (Some(ItemRef::Measure(_)), Some("milestone")) => {
                self.push(
                    f,
                    format!("{id:?} is a measure, not a milestone; updates.csv holds milestones' updates (measures report in values.csv)"),
                    &t.file,
                );
                None
            }
            (Some(r), _) => Some(r),
            (None, _) => {
                let explained = match want {
                    Some("milestone") => !self.milestones_clean,
                    Some("measure") => !self.measures_clean,
                    _ => !self.milestones_clean || !self.measures_clean,
                };
                if explained {
                    return None;
                }
                let what = match want {
                    Some("milestone") => "milestones.csv",
                    Some("measure") => "measures.csv",
                    _ => "milestones.csv or measures.csv",
                };
                self.push(f, format!("unknown item {id:?}; expected an id from {what}"), &t.file);
                None
            }
        }
    }

    fn item_year_type(plan: &Plan, item: ItemRef) -> YearType {
        match item {
            ItemRef::Milestone(_) => plan.year_type,
            ItemRef::Measure(i) => plan.measures[i].year_type,
        }
    }

    fn updates(&mut self, t: &Table, plan: &mut Plan) {
        plan.updates.reserve(t.rows.len());
        let mut seen: HashMap<(usize, (i32, i32)), u64> = HashMap::with_capacity(t.rows.len());
        for row in &t.rows {
            let item = self.item_ref(t, row, "milestone", Some("milestone"));
            let period_field = t.field(row, "period").expect("required");
            let period = if period_field.is_blank() {
                self.push(period_field, "is blank; expected the reporting period, such as 2013-12 or 2013/14 Q3", &t.file);
                None
            } else {
                self.period(t, row, "period", plan.year_type)
            };
            let value = self.number(t, row, "value");
            let complete = self.parsed(t, row, "complete", parse_flag).unwrap_or(false);
            let issues = self.parsed(t, row, "issues", parse_flag).unwrap_or(false);
            let status = self.parsed(t, row, "status", Status::parse);
            let percent_complete = self.number(t, row, "percent_complete");
            if let Some(p) = percent_complete.filter(|p| !(0.0..=100.0).contains(p)) {
                self.push(
                    t.field(row, "percent_complete").expect("parsed"),
                    format!("{p} is not a percentage; expected 0 to 100"),
                    &t.file,
                );
            }
            let (Some(ItemRef::Milestone(m)), Some(period)) = (item, period) else { continue };
            if let Some(first) = seen.insert((m, period.key()), row.line) {
                self.push(
                    period_field,
                    format!(
                        "milestone {:?} already has an update for {period} at line {first}; expected one update per milestone and period",
                        plan.milestones[m].id
                    ),
                    &t.file,
                );
                continue;
            }
            plan.updates.push(Update {
                milestone: m,
                period,
                value,
                complete,
                issues,
                status,
                commentary: t.text(row, "commentary").to_string(),
                percent_complete,
            });
        }
    }

    fn values(&mut self, t: &Table, plan: &mut Plan) {
        plan.values.reserve(t.rows.len());
        let mut seen: HashMap<(usize, (i32, i32)), u64> = HashMap::with_capacity(t.rows.len());
        for row in &t.rows {
            let item = self.item_ref(t, row, "measure", Some("measure"));
            let year_type = item.map(|i| Self::item_year_type(plan, i)).unwrap_or(plan.year_type);
            let period_field = t.field(row, "period").expect("required");
            let period = if period_field.is_blank() {
                self.push(period_field, "is blank; expected the value's period", &t.file);
                None
            } else {
                self.period(t, row, "period", year_type)
            };
            let value = self.number(t, row, "value");
            let numerator = self.number(t, row, "numerator");
            let denominator = self.number(t, row, "denominator");
            let ci = self.interval(t, row, value, ["lower_ci", "upper_ci"]);
            let ci_998 = self.interval(t, row, value, ["lower_ci_99_8", "upper_ci_99_8"]);
            if let Some(d) = denominator {
                if d <= 0.0 {
                    self.push(
                        t.field(row, "denominator").expect("parsed"),
                        format!("{d} is not a usable denominator; expected a count above 0"),
                        &t.file,
                    );
                }
                if let Some(n) = numerator.filter(|_| d > 0.0) {
                    if n < 0.0 || n > d {
                        self.push(
                            t.field(row, "numerator").expect("parsed"),
                            format!("numerator {n} is not between 0 and the denominator {d}; expected a count of the denominator's cases"),
                            &t.file,
                        );
                    }
                }
            }
            if numerator.is_some() != denominator.is_some() {
                let f = if numerator.is_some() { t.field(row, "denominator") } else { t.field(row, "numerator") };
                if let Some(f) = f {
                    self.push(f, "is blank but its partner is given; expected both numerator and denominator, or neither", &t.file);
                } else {
                    self.problems.push(Problem::at(
                        &t.file,
                        row.line,
                        None,
                        "numerator and denominator come together; expected both columns, or neither",
                    ));
                }
            }
            let (Some(ItemRef::Measure(m)), Some(period)) = (item, period) else { continue };
            let measure = &plan.measures[m];
            if !self.measure_period(period_field, period, measure, &t.file) {
                continue;
            }
            if let Some(first) = seen.insert((m, period.key()), row.line) {
                self.push(
                    period_field,
                    format!(
                        "measure {:?} already has a value for {period} at line {first}; expected one value per measure and period",
                        measure.id
                    ),
                    &t.file,
                );
                continue;
            }
            let period = Period::from_start(period.start, period.frequency, measure.year_type);
            plan.values.push(Value {
                measure: m,
                period,
                value,
                numerator,
                denominator,
                ci,
                ci_998,
                commentary: t.text(row, "commentary").to_string(),
            });
        }
    }

    /// A published interval (issue #13): both limits or neither, lower ≤ value ≤ upper.
    fn interval(&mut self, t: &Table, row: &Row, value: Option<f64>, [lo, hi]: [&'static str; 2]) -> Option<(f64, f64)> {
        let (l, h) = (self.number(t, row, lo), self.number(t, row, hi));
        match (l, h) {
            (Some(l), Some(h)) => {
                if l > h || value.is_some_and(|v| v < l || v > h) {
                    let f = t.field(row, lo).expect("parsed");
                    let v = value.map(|v| format!(" and the value {v}")).unwrap_or_default();
                    self.push(
                        f,
                        format!("{l} to {h} is not an interval around the value; expected {lo} at most {hi}{v} between them"),
                        &t.file,
                    );
                    return None;
                }
                Some((l, h))
            }
            (None, None) => None,
            _ => {
                let (blank, given) = if l.is_none() { (lo, hi) } else { (hi, lo) };
                if let Some(f) = t.field(row, blank) {
                    self.push(f, format!("is blank but {given} is given; expected both limits of the interval, or neither"), &t.file);
                } else {
                    self.problems.push(Problem::at(
                        &t.file,
                        row.line,
                        None,
                        format!("{lo} and {hi} come together; expected both columns, or neither"),
                    ));
                }
                None
            }
        }
    }

    fn targets(&mut self, t: &Table, plan: &mut Plan) {
        plan.targets.reserve(t.rows.len());
        let mut seen: HashMap<(ItemRef, (i32, i32)), u64> = HashMap::with_capacity(t.rows.len());
        for row in &t.rows {
            let item = self.item_ref(t, row, "item", None);
            let year_type = item.map(|i| Self::item_year_type(plan, i)).unwrap_or(plan.year_type);
            let period = self.required(t, row, "period", |s| Period::parse(s, year_type), "the period the target is for");
            let target_field = t.field(row, "target").expect("required");
            let target = if target_field.is_blank() {
                self.push(target_field, "is blank; expected the target for the period", &t.file);
                None
            } else {
                self.number(t, row, "target")
            };
            let amber_threshold = self.number(t, row, "amber_threshold");
            let (Some(item), Some(period), Some(target)) = (item, period, target) else { continue };
            let polarity = match item {
                ItemRef::Milestone(i) => plan.milestones[i].polarity(),
                ItemRef::Measure(i) => plan.measures[i].polarity,
            };
            if polarity == Polarity::Neutral {
                self.push(
                    target_field,
                    "the item is neutral (not rated), so it cannot have a target; expected a polarity of high or low",
                    &t.file,
                );
                continue;
            }
            if let Some(a) = amber_threshold {
                check_threshold(self, t.field(row, "amber_threshold").expect("parsed"), &t.file, polarity, target, a);
            }
            if let Some(first) = seen.insert((item, period.key()), row.line) {
                self.push(
                    t.field(row, "period").expect("required"),
                    format!("this item already has a target for {period} at line {first}"),
                    &t.file,
                );
                continue;
            }
            plan.targets.push(Target { item, period, target, amber_threshold });
        }
    }

    fn benchmarks(&mut self, t: &Table, plan: &mut Plan) {
        plan.benchmarks.reserve(t.rows.len());
        let mut seen: HashMap<(ItemRef, (i32, i32), String), u64> = HashMap::with_capacity(t.rows.len());
        let mut labels: HashSet<String> = HashSet::new();
        let mut told = false;
        for row in &t.rows {
            let item = self.item_ref(t, row, "item", None);
            let year_type = item.map(|i| Self::item_year_type(plan, i)).unwrap_or(plan.year_type);
            let period = self.required(t, row, "period", |s| Period::parse(s, year_type), "the period the benchmark is for");
            let label_field = t.field(row, "benchmark").expect("required");
            let label = benchmark_label(label_field.text);
            if label.is_empty() {
                self.push(label_field, "is blank; expected the comparator's label, such as national or statistical_neighbours", &t.file);
            }
            let value_field = t.field(row, "value").expect("required");
            let value = if value_field.is_blank() { None } else { self.number(t, row, "value") };
            if !label.is_empty() && !labels.contains(&label) {
                if labels.len() >= MAX_LABELS {
                    // Said once: the rows of further new labels are dropped without a word.
                    if !told {
                        told = true;
                        self.push(
                            label_field,
                            format!(
                                "{label:?} would be benchmark label number {}; a plan may have at most {MAX_LABELS} labels (each adds three columns, vs_, gap_ and sig_, to every rating); keep the comparators members read, or split the plan",
                                MAX_LABELS + 1
                            ),
                            &t.file,
                        );
                    }
                    continue;
                }
                labels.insert(label.clone());
            }
            let (Some(item), Some(period), Some(value), false) = (item, period, value, label.is_empty()) else { continue };
            if let Some(first) = seen.insert((item, period.key(), label.clone()), row.line) {
                self.push(label_field, format!("this item already has a {label} benchmark for {period} at line {first}"), &t.file);
                continue;
            }
            plan.benchmarks.push(Benchmark { item, period, label, value });
        }
    }
}

impl Reader {
    /// `rebases.csv`: each row a measure, a period of its own frequency, and why.
    fn rebases(&mut self, t: &Table, plan: &mut Plan) {
        let mut seen: HashMap<(usize, (i32, i32)), u64> = HashMap::new();
        for row in &t.rows {
            let item_field = t.field(row, "item").expect("required column");
            let item = match self.items.get(crate::model::values::trim(item_field.text)).copied() {
                Some(ItemRef::Milestone(_)) => {
                    let id = crate::model::values::trim(item_field.text).to_string();
                    self.push(
                        item_field,
                        format!("{id:?} is a milestone; rebases apply to measures' SPC charts, so expected a measure id"),
                        &t.file,
                    );
                    None
                }
                _ => self.item_ref(t, row, "item", Some("measure")),
            };
            let year_type = item.map(|i| Self::item_year_type(plan, i)).unwrap_or(plan.year_type);
            let period = self.required(t, row, "period", |s| Period::parse(s, year_type), "the first period of the new segment");
            let reason_field = t.field(row, "reason").expect("required column");
            let reason = crate::model::values::trim(reason_field.text).to_string();
            if reason.is_empty() {
                self.push(reason_field, "is blank; expected why the process changed (the chart shows it)", &t.file);
            }
            let (Some(ItemRef::Measure(m)), Some(period), false) = (item, period, reason.is_empty()) else { continue };
            let measure = &plan.measures[m];
            let period_field = t.field(row, "period").expect("required column");
            if !self.measure_period(period_field, period, measure, &t.file) {
                continue;
            }
            if let Some(first) = seen.insert((m, period.key()), row.line) {
                self.push(period_field, format!("measure {:?} is already rebased at {period} at line {first}", measure.id), &t.file);
                continue;
            }
            let period = Period::from_start(period.start, period.frequency, measure.year_type);
            plan.rebases.push(Rebase { measure: m, period, reason });
        }
    }
}

/// A benchmark label as plans store it (and `vs_`/`gap_` columns name it): trimmed, lower
/// case, every character that is not an ASCII letter or digit replaced by `_`.
pub(crate) fn benchmark_label(text: &str) -> String {
    text.trim().to_ascii_lowercase().replace(|c: char| !c.is_ascii_alphanumeric(), "_")
}

/// The 1-based line and column of byte `offset` in `text`.
fn line_column(text: &str, offset: usize) -> (u64, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() as u64 + 1;
    let column = before.rsplit('\n').next().map(|l| l.chars().count() + 1).unwrap_or(1);
    (line, column)
}

fn check_threshold(r: &mut Reader, field: Field, file: &str, polarity: Polarity, target: f64, amber: f64) {
    let wrong = match polarity {
        Polarity::HighIsGood => amber > target,
        Polarity::LowIsGood => amber < target,
        Polarity::Neutral => false,
    };
    if wrong {
        let side = if polarity == Polarity::HighIsGood { "at or below" } else { "at or above" };
        r.push(
            field,
            format!(
                "amber threshold {amber} is on the wrong side of the target {target}; for {} it must be {side} the target",
                polarity.phrase()
            ),
            file,
        );
    }
}

fn example_period(m: &Measure) -> &'static str {
    match (m.frequency, m.year_type) {
        (Frequency::Monthly, _) => "month such as 2013-12",
        (Frequency::Quarterly, YearType::Calendar) => "quarter such as 2013 Q4",
        (Frequency::Quarterly, _) => "quarter such as 2013/14 Q3",
        (Frequency::Annual, YearType::Calendar) => "year such as 2013",
        (Frequency::Annual, _) => "year such as 2013/14",
    }
}
