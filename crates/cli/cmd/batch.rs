//! `scorecard batch`: every chosen period of many plans into one tidy table, with progress
//! (issue #6). The rating and the streaming live in `scorecard_core::batch`; this file holds
//! the output files and the progress bar.

use crate::args::BatchArgs;
use crate::cleanup::{self, Tracked, What};
use crate::common::{write_file, Created, Inputs};
use anyhow::{bail, Context, Result};
use indicatif::{HumanCount, HumanFloatCount, ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};
use rayon::prelude::*;
use scorecard_core::batch::{
    self, BatchOptions, Chunk, Counters, CsvSink, Input, JsonSink, ParquetSink, PartitionBy, Periods, Shard, Summary,
};
use scorecard_core::model::columns::Picked;
use scorecard_core::write::CsvFormulas;
use scorecard_core::{Format, RateOptions};
use std::collections::{BTreeSet, HashMap};
use std::io::{BufWriter, IsTerminal};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Where the rows go.
enum Target {
    File(PathBuf, Format),
    Dataset(PathBuf, PartitionBy),
}

/// Runs `scorecard batch`.
pub fn run(args: BatchArgs) -> Result<ExitCode> {
    let periods = Periods::parse(&args.periods).map_err(|e| anyhow::anyhow!("--periods {e}"))?;
    let shard = args.shard.as_deref().map(Shard::parse).transpose().map_err(|e| anyhow::anyhow!("--shard {e}"))?;
    let target = target(&args)?;
    if let Target::File(path, _) = &target {
        if path.exists() {
            let mut inputs = Inputs::default();
            for plan in &args.plans {
                inputs.plan(plan);
            }
            inputs.refuse(path)?;
        }
    }
    let all = match batch::inputs(&args.plans) {
        Ok(all) => all,
        Err(scorecard_core::Error::Input(problems)) => {
            eprintln!("{problems}");
            return Ok(ExitCode::from(2));
        }
        Err(e) => return Err(e.into()),
    };
    // Columns from every plan named, before sharding: every shard writes the same columns.
    let labels = scan_labels(&all);
    let picked = Picked::of(args.columns.as_deref(), &labels).map_err(scorecard_core::Error::Usage)?;
    let inputs: Vec<Input> = all.iter().enumerate().filter(|(p, _)| shard.is_none_or(|s| s.keeps(*p))).map(|(_, i)| i.clone()).collect();
    let options = BatchOptions {
        periods,
        // Families whose columns are not written are not computed (`--columns`).
        rate: RateOptions { computed_only: args.computed, rollup: args.rollup, ..RateOptions::default() }.for_columns(&picked),
        keep_going: args.keep_going,
        chunk_ratings: args.chunk_ratings.max(1),
        ..BatchOptions::default()
    };

    let counters = Arc::new(Counters::default());
    let started = Instant::now();
    let progress = Progress::start(inputs.len(), &counters);
    let job = Job {
        inputs: &inputs,
        labels: &labels,
        picked: &picked,
        options: &options,
        counters: &counters,
        csv_formulas: args.csv_formulas.into(),
    };
    let result = write(&target, shard, &job, progress.as_ref());
    if let Some(p) = &progress {
        p.finish();
    }
    let summary = match result {
        Ok(summary) => summary,
        Err(e) => match e.downcast::<Stopped>() {
            Ok(Stopped(input, error)) => {
                eprintln!("{error}");
                eprintln!("scorecard: stopped at {} (bad input); nothing written; --keep-going skips such plans", input.path.display());
                return Ok(ExitCode::from(2));
            }
            Err(e) => return Err(e),
        },
    };
    if progress.is_some() {
        let seconds = started.elapsed().as_secs_f64();
        eprintln!(
            "scorecard: {} plans, {} ratings in {seconds:.1} s ({}/s) into {}",
            summary.plans,
            HumanCount(summary.ratings as u64),
            HumanCount((summary.ratings as f64 / seconds.max(1e-9)) as u64),
            target.path().display()
        );
    }
    if summary.skipped.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    for (input, error) in &summary.skipped {
        eprintln!("{error}");
        eprintln!("scorecard: skipped {} (bad input)", input.path.display());
    }
    eprintln!(
        "scorecard: {} of {} plans skipped for bad input: {}; the others' ratings are written",
        summary.skipped.len(),
        inputs.len(),
        summary.skipped.iter().map(|(i, _)| i.name.as_str()).collect::<Vec<_>>().join(", ")
    );
    Ok(ExitCode::from(2))
}

impl Target {
    fn path(&self) -> &Path {
        match self {
            Target::File(p, _) | Target::Dataset(p, _) => p,
        }
    }
}

fn target(args: &BatchArgs) -> Result<Target> {
    let format = args.format.map(Format::from);
    match args.partition_by.map(PartitionBy::from) {
        Some(by) => {
            if format.is_some_and(|f| f != Format::Parquet) {
                bail!("--partition-by writes a Parquet dataset; use --format parquet (or leave --format out)");
            }
            Ok(Target::Dataset(args.output.clone(), by))
        }
        None => {
            let format = format.or_else(|| Format::from_path(&args.output)).unwrap_or(Format::Csv);
            crate::common::check_extension(
                Some(&args.output),
                format,
                Format::parse,
                super::rate::format_name(format),
                ".csv, .json or .parquet",
            )?;
            Ok(Target::File(args.output.clone(), format))
        }
    }
}

/// The union of every plan's benchmark labels, scanned on every core; sorted, as a set is.
fn scan_labels(inputs: &[Input]) -> Vec<String> {
    // A file that cannot be read here is reported when the plan itself is read.
    let labels: BTreeSet<String> = inputs.par_iter().flat_map_iter(|i| batch::scan_labels(&i.path).unwrap_or_default()).collect();
    labels.into_iter().collect()
}

/// What a batch run reads and how: the plans, the columns, the options and the counters it
/// updates.
struct Job<'a> {
    inputs: &'a [Input],
    labels: &'a [String],
    /// The columns written (`--columns`).
    picked: &'a Picked,
    options: &'a BatchOptions,
    counters: &'a Counters,
    csv_formulas: CsvFormulas,
}

impl Job<'_> {
    /// Rates the plans in chunks, handing each to `write` (`scorecard_core::batch::run`).
    fn run(&self, write: &mut dyn FnMut(&Chunk) -> scorecard_core::Result<()>) -> scorecard_core::Result<Summary> {
        batch::run(self.inputs, self.labels, self.options, self.counters, write)
    }
}

/// A plan with bad input stopped the run (no `--keep-going`).
#[derive(Debug)]
struct Stopped(Input, scorecard_core::Error);

impl std::fmt::Display for Stopped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: bad input", self.0.path.display())
    }
}

impl std::error::Error for Stopped {}

/// Rates and writes; an error (or a plan that stops the run) leaves no output behind.
fn write(target: &Target, shard: Option<Shard>, job: &Job, progress: Option<&Progress>) -> Result<Summary> {
    let labels = job.labels;
    let wrote = |chunk: &Chunk| {
        if let Some(p) = progress {
            p.wrote(chunk);
        }
    };
    let finish = |summary: Summary| -> Result<Summary> {
        match summary.stopped {
            Some((input, error)) => Err(Stopped(input, error).into()),
            None => Ok(Summary { stopped: None, ..summary }),
        }
    };
    match target {
        Target::File(path, format) => {
            let mut summary = None;
            write_file(path, |out| {
                let s = match format {
                    Format::Csv => {
                        let mut sink = CsvSink::picked(out, labels, job.picked)?.with_formulas(job.csv_formulas);
                        let s = job.run(&mut |c| {
                            sink.write(c)?;
                            wrote(c);
                            Ok(())
                        })?;
                        sink.finish()?;
                        s
                    }
                    Format::Json => {
                        let mut sink = JsonSink::picked(out, labels, job.picked)?.with_provenance(job.options.rate.computed_only);
                        let s = job.run(&mut |c| {
                            sink.write(c)?;
                            wrote(c);
                            Ok(())
                        })?;
                        sink.finish()?;
                        s
                    }
                    Format::Parquet => {
                        let mut sink = ParquetSink::picked(out, labels, job.picked, None)?.with_provenance(job.options.rate.computed_only);
                        let s = job.run(&mut |c| {
                            sink.write(c)?;
                            wrote(c);
                            Ok(())
                        })?;
                        sink.finish()?;
                        s
                    }
                };
                summary = Some(finish(s)?);
                Ok(())
            })?;
            summary.ok_or_else(|| scorecard_core::Error::Internal("the batch wrote nothing".into()).into())
        }
        Target::Dataset(dir, by) => write_dataset(dir, *by, shard, job, &wrote).and_then(finish),
    }
}

/// The dataset's file name in each partition folder.
fn part_name(by: PartitionBy, shard: Option<Shard>) -> String {
    match (by, shard) {
        (PartitionBy::Period, Some(s)) => format!("part-{}-of-{}.parquet", s.index, s.count),
        _ => "part-0.parquet".to_string(),
    }
}

/// One open Parquet file of a dataset, renamed into place when the run succeeds.
struct PartFile {
    sink: ParquetSink<BufWriter<std::fs::File>>,
    temp: Temp,
    path: PathBuf,
}

/// A temporary file, removed when dropped and registered for removal on a signal meanwhile.
type Temp = (tempfile::TempPath, Tracked);

impl PartFile {
    /// Creates the file in `folder`, creating the folder (remembered in `created`) if needed.
    fn create(
        folder: &Path,
        name: &str,
        labels: &[String],
        picked: &Picked,
        by: PartitionBy,
        created: &mut Created,
        computed_only: bool,
    ) -> Result<PartFile> {
        created.dirs(folder)?;
        let (temp, tracked) = cleanup::track(What::File, || {
            let temp = tempfile::NamedTempFile::new_in(folder)?;
            let path = temp.path().to_path_buf();
            Ok((temp, path))
        })
        .with_context(|| format!("cannot write in {}", folder.display()))?;
        let file = temp.as_file().try_clone()?;
        let sink = ParquetSink::picked(BufWriter::new(file), labels, picked, Some(by.column()))?.with_provenance(computed_only);
        Ok(PartFile { sink, temp: (temp.into_temp_path(), tracked), path: folder.join(name) })
    }

    /// Writes the footer and closes the file; the result is renamed into place later.
    fn close(self) -> Result<(Temp, PathBuf)> {
        self.sink.finish()?;
        Ok((self.temp, self.path))
    }
}

/// Writes a Hive-partitioned dataset. Without --shard the folder must be new or empty and is
/// built beside it, then renamed into place; with --shard other jobs write into the same folder,
/// so this job's files are written under temporary names and renamed when all are complete.
fn write_dataset(dir: &Path, by: PartitionBy, shard: Option<Shard>, job: &Job, wrote: &dyn Fn(&Chunk)) -> Result<Summary> {
    let labels = job.labels;
    // Folders this run makes (partitions of a shared dataset, the dataset's parents): removed
    // again, when empty, unless the run completes.
    let mut created = Created::default();
    let computed = job.options.rate.computed_only;
    let staging = match shard {
        Some(_) => None,
        None => {
            if dir.exists() && std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))?.next().is_some() {
                bail!(
                    "{} exists and is not empty; a partitioned dataset is written into a new or empty folder (with --shard, into the folder the other shards share)",
                    dir.display()
                );
            }
            let parent = dir.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
            created.dirs(parent)?;
            let prefix = format!(".{}.", dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default());
            Some(
                cleanup::track(What::Staging, || {
                    let staging = tempfile::Builder::new().prefix(&prefix).tempdir_in(parent)?;
                    let path = staging.path().to_path_buf();
                    Ok((staging, path))
                })
                .with_context(|| format!("cannot write in {}", parent.display()))?,
            )
        }
    };
    let root = staging.as_ref().map(|t| t.0.path().to_path_buf()).unwrap_or_else(|| dir.to_path_buf());
    let name = part_name(by, shard);
    let mut done: Vec<(Temp, PathBuf)> = Vec::new();
    let mut open: HashMap<String, PartFile> = HashMap::new();
    let summary = job.run(&mut |chunk: &Chunk| {
        let reader = chunk.reader()?;
        for (value, rows) in batch::partitions(chunk, by)? {
            let folder = root.join(by.folder(&value));
            match by {
                // A plan's rows are all in one chunk: its file is complete at once.
                PartitionBy::Plan => {
                    let mut file = PartFile::create(&folder, &name, labels, job.picked, by, &mut created, computed).map_err(to_core)?;
                    file.sink.write_rows(&reader, &rows)?;
                    done.push(file.close().map_err(to_core)?);
                }
                PartitionBy::Period => {
                    if !open.contains_key(&value) {
                        open.insert(
                            value.clone(),
                            PartFile::create(&folder, &name, labels, job.picked, by, &mut created, computed).map_err(to_core)?,
                        );
                    }
                    if let Some(file) = open.get_mut(&value) {
                        file.sink.write_rows(&reader, &rows)?;
                    }
                }
            }
        }
        wrote(chunk);
        Ok(())
    })?;
    if summary.stopped.is_some() {
        // The temporary files go when `done` and `open` drop, then the folders made for them.
        drop(done);
        drop(open);
        return Ok(summary);
    }
    let mut open: Vec<(String, PartFile)> = open.into_iter().collect();
    open.sort_by(|a, b| a.0.cmp(&b.0));
    for (_, file) in open {
        done.push(file.close()?);
    }
    for ((temp, _tracked), path) in done {
        temp.persist(&path).map_err(|e| e.error).with_context(|| format!("cannot write {}", path.display()))?;
    }
    if let Some((staging, _tracked)) = staging {
        let built = staging.keep();
        if dir.exists() {
            std::fs::remove_dir(dir).with_context(|| format!("cannot replace the empty folder {}", dir.display()))?;
        }
        std::fs::rename(&built, dir).with_context(|| format!("cannot move the dataset into {}", dir.display()))?;
    }
    created.keep();
    Ok(summary)
}

fn to_core(e: anyhow::Error) -> scorecard_core::Error {
    scorecard_core::Error::Io { path: "<output>".into(), source: std::io::Error::other(format!("{e:#}")) }
}

/// The progress bar: on standard error, only when it is a terminal. indicatif redraws it ten
/// times a second on its own thread; the counts shown come from the batch's counters.
struct Progress {
    bar: ProgressBar,
    counters: Arc<Counters>,
}

/// Plans done of all, plans read, ratings written and their rate, and indicatif's estimate of
/// the time left. The bar takes the width the text leaves, so that the line fits the terminal.
const TEMPLATE: &str = "{wide_bar:.cyan/blue} {human_pos}/{human_len} plans ({read} read) · {ratings} ratings · {rate}/s · {eta} left";

impl Progress {
    fn start(plans: usize, counters: &Arc<Counters>) -> Option<Progress> {
        if !std::io::stderr().is_terminal() {
            return None;
        }
        let bar = ProgressBar::with_draw_target(Some(plans as u64), ProgressDrawTarget::stderr());
        let (read, written, rate) = (Arc::clone(counters), Arc::clone(counters), Arc::clone(counters));
        let style = ProgressStyle::with_template(TEMPLATE)
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .with_key("read", move |_: &ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{}", HumanCount(read.plans_read.load(Ordering::Relaxed) as u64));
            })
            .with_key("ratings", move |_: &ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{}", HumanCount(written.ratings_written.load(Ordering::Relaxed) as u64));
            })
            .with_key("rate", move |state: &ProgressState, w: &mut dyn std::fmt::Write| {
                let ratings = rate.ratings_written.load(Ordering::Relaxed) as f64;
                let _ = write!(w, "{:.0}", HumanFloatCount(ratings / state.elapsed().as_secs_f64().max(1e-9)));
            })
            .progress_chars("=> ");
        bar.set_style(style);
        bar.enable_steady_tick(Duration::from_millis(100));
        Some(Progress { bar, counters: Arc::clone(counters) })
    }

    /// A chunk is written: its plans are done (the batch counts them once `write` returns), and
    /// so are the plans skipped so far.
    fn wrote(&self, chunk: &Chunk) {
        let c = &self.counters;
        let done = c.plans_written.load(Ordering::Relaxed) + c.plans_skipped.load(Ordering::Relaxed) + chunk.plans.len();
        self.bar.set_position(done as u64);
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
