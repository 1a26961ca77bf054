//! Batch rating: many plans at many periods, streamed to one output (issue #6).
//!
//! # Design
//!
//! ```text
//! reader threads ──plans, in any order──▶ rater thread ──chunks──▶ caller's thread
//! (read + check,       reordered by          (one polars query      (words the rows,
//!  pick periods)       position              per chunk of plans)    writes them)
//! ```
//!
//! Plans are read in parallel and handed on in their given order. The rater gathers
//! consecutive plans into a chunk of at least [`BatchOptions::chunk_ratings`] ratings and rates
//! the whole chunk with one lazy polars query ([`rate_frame`]): every plan's rows go through the
//! same joins together, never a loop over small per-plan frames. The query returns its rows in
//! output order (plan, period, kind, item order, all integer keys), so nothing is sorted by
//! string, and the caller writes each chunk while the next one is being rated. Memory is
//! bounded by the chunk size and the read-ahead, not by the number of plans.
//!
//! Architecture invariant: the ratings are [`rate`](crate::rate)'s, row for row; only the way
//! the rows travel differs.

use crate::engine::{rate_frame, RateOptions, RatedFrame, RowReader, RowScratch, Selection};
use crate::error::{Error, Problem, Problems, Result};
use crate::model::columns::Picked;
use crate::model::period::Period;
use crate::model::rating::{Kind, Rating, Ratings};
use crate::provenance::Provenance;
use crate::read::plan::{folder_name, Plan};
use crate::write::csv::{csv_header_of, write_csv_record_picked};
use crate::write::json::RowSource;
use crate::write::parallel::{in_order, threads};
use crate::write::parquet::{EncodedRowGroup, RowGroupEncoder};
use crate::write::{write_csv_record, write_csv_record_cached, CsvFormulas, CsvScratch, FrameBuilder, ItemCells, JsonRows};
use polars::prelude::*;
use polars_parquet::write::{schema_to_metadata_key, KeyValue};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

/// Which periods `batch` rates each plan at (`--periods`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Periods {
    /// `--periods all`: milestones at every period with an update, measures at every period with
    /// a value.
    All,
    /// Every item at this one period, as `rate --period` does.
    One(String),
    /// Like `All`, limited to the reported periods that lie within `FROM..TO`: starting no
    /// earlier than `FROM` starts and ending no later than `TO` ends.
    Range(String, String),
}

impl Periods {
    /// Parses `all`, a period `P`, or `FROM..TO`. The periods themselves are read per plan, in
    /// its year type, by [`Periods::select`].
    pub fn parse(text: &str) -> std::result::Result<Periods, String> {
        let t = text.trim();
        if t.eq_ignore_ascii_case("all") {
            return Ok(Periods::All);
        }
        if let Some((from, to)) = t.split_once("..") {
            let (from, to) = (from.trim(), to.trim());
            if from.is_empty() || to.is_empty() {
                return Err(format!("{t:?} is not a range; expected FROM..TO, such as 2013/14 Q1..2014/15 Q4"));
            }
            return Ok(Periods::Range(from.to_string(), to.to_string()));
        }
        if t.is_empty() {
            return Err("is empty; expected all, a period such as 2013/14 Q3, or FROM..TO".to_string());
        }
        Ok(Periods::One(t.to_string()))
    }

    /// What to rate in `plan`.
    pub fn select(&self, plan: &Plan) -> Result<Selection> {
        let parse = |text: &str| Period::parse(text, plan.year_type).map_err(|e| Error::Usage(format!("--periods {text}: {e}")));
        match self {
            Periods::All => Ok(Selection::all(plan)),
            Periods::One(p) => Ok(Selection::at(parse(p)?)),
            Periods::Range(from, to) => {
                let (from, to) = (parse(from)?, parse(to)?);
                if to.end() < from.end() {
                    return Err(Error::Usage(format!("--periods {from}..{to}: {to} ends before {from}; expected FROM..TO in time order")));
                }
                let within = |p: &Period| p.start >= from.start && p.end() <= to.end();
                let mut s = Selection::all(plan);
                s.milestone_periods.retain(within);
                s.measure_periods.retain(within);
                Ok(s)
            }
        }
    }
}

/// The I-th of N deterministic slices of the plans (`--shard I/N`): the plans in name order at
/// positions `p` (0-based) with `p % N == I - 1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// 1-based slice number.
    pub index: usize,
    /// Number of slices.
    pub count: usize,
}

impl Shard {
    /// Parses `I/N` with `1 <= I <= N`.
    pub fn parse(text: &str) -> std::result::Result<Shard, String> {
        let expected = "expected I/N with 1 <= I <= N, such as 3/10";
        let (i, n) = text.trim().split_once('/').ok_or_else(|| format!("{text:?} is not a shard; {expected}"))?;
        let (Ok(index), Ok(count)) = (i.trim().parse::<usize>(), n.trim().parse::<usize>()) else {
            return Err(format!("{text:?} is not a shard; {expected}"));
        };
        if count == 0 || index == 0 || index > count {
            return Err(format!("{text:?} is not a shard; {expected}"));
        }
        Ok(Shard { index, count })
    }

    /// Whether the plan at `position` (0-based, in name order) belongs to this shard.
    pub fn keeps(&self, position: usize) -> bool {
        position % self.count == self.index - 1
    }
}

/// A plan folder to rate, with the name its rows carry.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Input {
    /// The plan's name: its folder's name (sorted on this first).
    pub name: String,
    /// The folder as given.
    pub path: PathBuf,
}

/// The plans to rate: named by folder, in name order, each name once. Two folders with the
/// same name would give rows that cannot be told apart, so that is an error.
pub fn inputs(paths: &[PathBuf]) -> Result<Vec<Input>> {
    let mut inputs: Vec<Input> = paths.iter().map(|p| Input { name: folder_name(p), path: p.clone() }).collect();
    inputs.sort();
    let mut problems = Vec::new();
    for pair in inputs.windows(2) {
        if pair[0].name == pair[1].name {
            problems.push(Problem::file(
                pair[1].path.display().to_string(),
                format!(
                    "has the same folder name as {}; every plan in a batch needs its own name (its rows' `plan` column)",
                    pair[0].path.display()
                ),
            ));
        }
    }
    if problems.is_empty() {
        Ok(inputs)
    } else {
        Err(Error::Input(Problems(problems)))
    }
}

/// The benchmark labels of a plan folder's `benchmarks.csv` (empty without one), normalised
/// as [`Plan::read`] does, read without checking anything else.
///
/// `batch` scans every plan's labels before rating so that the `vs_`/`gap_` columns are known
/// when the first row is written, and are the same in every shard of one collection.
pub fn scan_labels(dir: &Path) -> Result<BTreeSet<String>> {
    if crate::read::workbook::workbook_of(dir).is_some() {
        return Ok(crate::read::workbook::table_text(dir, "benchmarks.csv").map(|t| labels_in(&t)).unwrap_or_default());
    }
    // Read as the plan reader reads it: a regular file in the folder, bounded.
    match crate::read::plan::read_file_in(dir, "benchmarks.csv")? {
        Some(bytes) => Ok(labels_in(&bytes)),
        None => Ok(BTreeSet::new()),
    }
}

/// The labels in a `benchmarks.csv`'s bytes; see [`scan_labels`].
fn labels_in(bytes: &[u8]) -> BTreeSet<String> {
    let text = crate::read::table::decode_borrowed(bytes);
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut records = reader.records();
    let Some(Ok(header)) = records.next() else { return BTreeSet::new() };
    let Some(column) = header.iter().position(|h| h.trim().eq_ignore_ascii_case("benchmark")) else { return BTreeSet::new() };
    let mut labels = BTreeSet::new();
    for record in records.flatten() {
        let label = crate::read::plan::benchmark_label(record.get(column).unwrap_or(""));
        if !label.is_empty() {
            labels.insert(label);
        }
    }
    labels
}

/// A Hive partition value as a path segment: the characters Hive escapes (`/`, `=`, `%`, `:`,
/// quotes, `#`, `?`, `*`, `[`, `]`, `{`, `^`, `\`, controls) as `%XX`, so that DuckDB,
/// DataFusion and Spark read the value back unchanged. `2013/14 Q3` → `2013%2F14 Q3`.
pub fn hive_value(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let escape = matches!(c, '"' | '#' | '%' | '\'' | '*' | '/' | ':' | '=' | '?' | '\\' | '{' | '[' | ']' | '^')
            || (c as u32) < 0x20
            || c == '\u{7f}';
        if escape {
            out.push_str(&format!("%{:02X}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// How a partitioned dataset is split.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartitionBy {
    /// One folder per plan: `plan=<name>/`.
    Plan,
    /// One folder per rated period: `period=<label>/`.
    Period,
}

impl PartitionBy {
    /// Parses `plan` or `period`.
    pub fn parse(text: &str) -> Option<PartitionBy> {
        match text.trim().to_ascii_lowercase().as_str() {
            "plan" => Some(PartitionBy::Plan),
            "period" => Some(PartitionBy::Period),
            _ => None,
        }
    }

    /// The partition column: `plan` or `period`.
    pub fn column(self) -> &'static str {
        match self {
            PartitionBy::Plan => "plan",
            PartitionBy::Period => "period",
        }
    }

    /// The folder of the partition holding `value`: `plan=cyp-2013`, `period=2013%2F14 Q3`.
    pub fn folder(self, value: &str) -> String {
        format!("{}={}", self.column(), hive_value(value))
    }
}

/// Settings of a batch run.
#[derive(Debug, Clone)]
pub struct BatchOptions {
    /// Which periods to rate.
    pub periods: Periods,
    /// Officers' statuses or the engine's alone.
    pub rate: RateOptions,
    /// Skip plans with bad input instead of stopping at the first.
    pub keep_going: bool,
    /// Ratings per chunk: consecutive plans are rated together until a chunk has at least this
    /// many. Larger chunks give polars more rows per query; smaller ones bound memory.
    pub chunk_ratings: usize,
    /// Threads reading plans.
    pub readers: usize,
}

impl Default for BatchOptions {
    fn default() -> BatchOptions {
        BatchOptions {
            periods: Periods::All,
            rate: RateOptions::default(),
            keep_going: false,
            chunk_ratings: 200_000,
            readers: std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2),
        }
    }
}

/// Counters a progress display can poll from another thread while a batch runs.
#[derive(Debug, Default)]
pub struct Counters {
    /// Plans read (good or bad).
    pub plans_read: AtomicUsize,
    /// Plans whose ratings are written.
    pub plans_written: AtomicUsize,
    /// Ratings written.
    pub ratings_written: AtomicUsize,
    /// Plans skipped for bad input (`keep_going`).
    pub plans_skipped: AtomicUsize,
}

/// A chunk of consecutive plans, rated together.
pub struct Chunk {
    /// The plans and what was rated in each, in output order.
    pub plans: Vec<(Plan, Selection)>,
    /// The query's result.
    pub frame: RatedFrame,
    /// With [`RateOptions::rollup`]: the action and priority rows (issue #16), each with its
    /// plan's index in [`Chunk::plans`].
    rollup: Vec<(usize, Rating<'static>)>,
    /// The output order when there are roll-up rows (empty: the frame's rows as they are).
    order: Vec<Slot>,
}

/// One output row of a chunk: a row of the query's frame, or a roll-up row.
#[derive(Debug, Clone, Copy)]
enum Slot {
    Frame(usize),
    Rollup(usize),
}

impl Chunk {
    /// Rates `plans` together, with the benchmark columns `labels`. With `options.rollup`,
    /// each plan's action and priority rows follow its milestones and measures at every period
    /// at which its milestones are rated, as `rate --rollup` places them.
    pub fn rate(plans: Vec<(Plan, Selection)>, labels: &[String], options: RateOptions) -> Result<Chunk> {
        let jobs: Vec<(&Plan, Selection)> = plans.iter().map(|(p, s)| (p, s.clone())).collect();
        let frame = rate_frame(&jobs, Some(labels), options)?;
        drop(jobs);
        let mut chunk = Chunk { plans, frame, rollup: Vec::new(), order: Vec::new() };
        if options.rollup {
            chunk.add_rollup()?;
        }
        Ok(chunk)
    }

    /// Adds the roll-up rows: each plan's milestone ratings rolled up period by period (the
    /// engine's [`rollup`](crate::engine::rollup), as `rate --rollup`), each period's rows placed
    /// after the last of that plan's rows at that period.
    fn add_rollup(&mut self) -> Result<()> {
        let reader = self.frame.reader(self.plans.iter().map(|(p, _)| p).collect())?;
        let n = self.frame.len();
        // (position in the frame the rows go before, plan, row).
        let mut extra: Vec<(usize, usize, Rating<'static>)> = Vec::new();
        let mut r = 0;
        while r < n {
            let (p, start) = (reader.plan_index(r)?, r);
            while r < n && reader.plan_index(r)? == p {
                r += 1;
            }
            // Where each period's rows end, and the milestones' ratings.
            let mut ends: Vec<((i32, i32), usize)> = Vec::new();
            let mut milestones = Vec::new();
            for i in start..r {
                let key = reader.period(i)?.key();
                match ends.last_mut() {
                    Some((k, end)) if *k == key => *end = i + 1,
                    _ => ends.push((key, i + 1)),
                }
                let rating = reader.rating(i)?;
                if rating.kind == Kind::Milestone {
                    milestones.push(rating);
                }
            }
            let plan = &self.plans[p].0;
            let rolled = crate::engine::rollup(plan, Ratings { labels: self.frame.labels().to_vec(), rows: milestones });
            for row in rolled.rows.into_iter().filter(|x| matches!(x.kind, Kind::Action | Kind::Priority)) {
                let key = row.period.key();
                let at = ends
                    .iter()
                    .find(|(k, _)| *k == key)
                    .map(|e| e.1)
                    .ok_or_else(|| Error::Internal(format!("a roll-up row for {} has no rows of its period", row.period)))?;
                extra.push((at, p, row));
            }
        }
        if extra.is_empty() {
            return Ok(());
        }
        let mut order = Vec::with_capacity(n + extra.len());
        let mut e = 0;
        for i in 0..=n {
            while e < extra.len() && extra[e].0 == i {
                order.push(Slot::Rollup(e));
                e += 1;
            }
            if i < n {
                order.push(Slot::Frame(i));
            }
        }
        self.order = order;
        self.rollup = extra.into_iter().map(|(_, p, row)| (p, row)).collect();
        Ok(())
    }

    /// Reads the chunk's rows as ratings, in output order.
    pub fn reader(&self) -> Result<ChunkRows<'_>> {
        Ok(ChunkRows { reader: self.frame.reader(self.plans.iter().map(|(p, _)| p).collect())?, chunk: self })
    }

    /// The number of ratings (roll-up rows included).
    pub fn len(&self) -> usize {
        self.frame.len() + self.rollup.len()
    }

    /// Whether the chunk has no rating.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn slot(&self, i: usize) -> Slot {
        if self.order.is_empty() {
            Slot::Frame(i)
        } else {
            self.order[i]
        }
    }
}

/// A chunk's rows in output order (`0..chunk.len()`): the query's rows worded by its
/// [`RowReader`], with the roll-up rows between them.
pub struct ChunkRows<'a> {
    reader: RowReader<'a>,
    chunk: &'a Chunk,
}

impl<'a> ChunkRows<'a> {
    fn rolled(&self, k: usize) -> Result<&'a (usize, Rating<'static>)> {
        self.chunk.rollup.get(k).ok_or_else(|| Error::Internal("a roll-up row out of range".into()))
    }

    /// Row `i`, borrowing its text from the plans and `scratch`.
    pub fn view<'s>(&'s self, i: usize, scratch: &'s mut RowScratch) -> Result<Rating<'s>> {
        match self.chunk.slot(i) {
            Slot::Frame(r) => self.reader.view(r, scratch),
            Slot::Rollup(k) => Ok(self.rolled(k)?.1.view()),
        }
    }

    /// The index into [`Chunk::plans`] of row `i`'s plan.
    pub fn plan_index(&self, i: usize) -> Result<usize> {
        match self.chunk.slot(i) {
            Slot::Frame(r) => self.reader.plan_index(r),
            Slot::Rollup(k) => Ok(self.rolled(k)?.0),
        }
    }

    /// Row `i`'s plan.
    pub fn plan(&self, i: usize) -> Result<&'a Plan> {
        let p = self.plan_index(i)?;
        self.chunk.plans.get(p).map(|(plan, _)| plan).ok_or_else(|| Error::Internal("a row's plan out of range".into()))
    }

    /// The reporting period T of row `i`.
    pub fn period(&self, i: usize) -> Result<Period> {
        match self.chunk.slot(i) {
            Slot::Frame(r) => self.reader.period(r),
            Slot::Rollup(k) => Ok(self.rolled(k)?.1.period),
        }
    }

    /// Row `i`'s item key ([`RowReader::item_key`]); `None` for a roll-up row.
    pub fn item_key(&self, i: usize) -> Result<Option<usize>> {
        match self.chunk.slot(i) {
            Slot::Frame(r) => self.reader.item_key(r).map(Some),
            Slot::Rollup(_) => Ok(None),
        }
    }
}

impl RowSource for ChunkRows<'_> {
    fn row<'s>(&'s self, r: usize, scratch: &'s mut RowScratch) -> Result<Rating<'s>> {
        self.view(r, scratch)
    }
}

/// What a batch run did.
#[derive(Debug, Default)]
pub struct Summary {
    /// Plans rated.
    pub plans: usize,
    /// Ratings written.
    pub ratings: usize,
    /// Plans skipped with `keep_going`, in name order, with their errors.
    pub skipped: Vec<(Input, Error)>,
    /// Without `keep_going`: the first plan (in name order) that could not be read, which
    /// stopped the run. Chunks before it were handed to the writer; the caller discards them.
    pub stopped: Option<(Input, Error)>,
}

/// What the rater thread reports: the plans it skipped, or the one that stopped it.
struct Outcome {
    skipped: Vec<(Input, Error)>,
    stopped: Option<(Input, Error)>,
}

/// Rates `inputs` in chunks and hands each chunk, in order, to `write` on the calling thread.
///
/// `labels` fixes the benchmark columns; every plan's labels must be among them (see
/// [`scan_labels`]). A plan that cannot be read stops the run ([`Summary::stopped`]), unless
/// `options.keep_going`, which skips it and lists it in [`Summary::skipped`]. `Err` is for the
/// machine's failures (the engine, the writer).
pub fn run(
    inputs: &[Input],
    labels: &[String],
    options: &BatchOptions,
    counters: &Counters,
    write: &mut dyn FnMut(&Chunk) -> Result<()>,
) -> Result<Summary> {
    let n = inputs.len();
    let window = (options.readers * 4).max(4);
    // The readers: a rayon pool of their own, so that `readers` threads read while polars
    // rates on its pool and this thread writes.
    let readers = rayon::ThreadPoolBuilder::new()
        .num_threads(options.readers.max(1))
        .thread_name(|i| format!("scorecard-read-{i}"))
        .build()
        .map_err(|e| Error::Io { path: PathBuf::from("<reading threads>"), source: std::io::Error::other(e) })?;
    let (plan_tx, plan_rx) = mpsc::channel::<(usize, Result<(Plan, Selection)>)>();
    let (chunk_tx, chunk_rx) = mpsc::sync_channel::<Chunk>(1);
    let label_set: BTreeSet<&str> = labels.iter().map(String::as_str).collect();

    std::thread::scope(|scope| {
        // The rater: takes plans in input order as they are read (at most `window` ahead of
        // the one it waits for), rates them in chunks and hands the chunks to this thread.
        let rater = scope.spawn(move || -> Result<Outcome> {
            readers.in_place_scope(|reading| {
                let read = |i: usize| {
                    let plan_tx = plan_tx.clone();
                    let periods = &options.periods;
                    reading.spawn(move |_| {
                        let read = Plan::read(&inputs[i].path).and_then(|plan| {
                            let selection = periods.select(&plan)?;
                            Ok((plan, selection))
                        });
                        counters.plans_read.fetch_add(1, Ordering::Relaxed);
                        // The rater has stopped when this fails: the plan is not needed.
                        let _ = plan_tx.send((i, read));
                    });
                };
                for i in 0..n.min(window) {
                    read(i);
                }
                rate_in_order(inputs, labels, &label_set, options, counters, &plan_rx, &chunk_tx, |i| {
                    if i + window < n {
                        read(i + window);
                    }
                })
            })
        });

        let mut summary = Summary::default();
        let mut failed = None;
        for chunk in chunk_rx.iter() {
            if let Err(e) = write(&chunk) {
                failed = Some(e);
                break;
            }
            summary.plans += chunk.plans.len();
            summary.ratings += chunk.len();
            counters.plans_written.fetch_add(chunk.plans.len(), Ordering::Relaxed);
            counters.ratings_written.fetch_add(chunk.len(), Ordering::Relaxed);
        }
        // Stops the rater (its next send fails) and, through it, the readers.
        drop(chunk_rx);
        let rated = rater.join().unwrap_or_else(|_| Err(Error::Internal("the rating thread panicked".into())));
        if let Some(e) = failed {
            return Err(e);
        }
        let outcome = rated?;
        (summary.skipped, summary.stopped) = (outcome.skipped, outcome.stopped);
        Ok(summary)
    })
}

/// The rater's loop: plans from `plans` in input order (`taken(i)` once plan `i` is taken, to
/// start reading a later one), checked, gathered into chunks of at least
/// `options.chunk_ratings` ratings, rated and sent to `chunks`.
#[allow(clippy::too_many_arguments)]
fn rate_in_order(
    inputs: &[Input],
    labels: &[String],
    label_set: &BTreeSet<&str>,
    options: &BatchOptions,
    counters: &Counters,
    plans: &mpsc::Receiver<(usize, Result<(Plan, Selection)>)>,
    chunks: &mpsc::SyncSender<Chunk>,
    mut taken: impl FnMut(usize),
) -> Result<Outcome> {
    let n = inputs.len();
    let mut skipped = Vec::new();
    let mut pending: BTreeMap<usize, Result<(Plan, Selection)>> = BTreeMap::new();
    let mut chunk: Vec<(Plan, Selection)> = Vec::new();
    let mut chunk_size = 0usize;
    let mut next = 0usize;
    let flush = |chunk: &mut Vec<(Plan, Selection)>| -> Result<bool> {
        let rated = Chunk::rate(std::mem::take(chunk), labels, options.rate)?;
        Ok(chunks.send(rated).is_ok())
    };
    while next < n {
        let Ok((i, read)) = plans.recv() else { break };
        pending.insert(i, read);
        while let Some(read) = pending.remove(&next) {
            taken(next);
            let input = &inputs[next];
            next += 1;
            match read {
                Ok((plan, selection)) => {
                    if let Some(label) = plan.benchmarks.iter().find(|b| !label_set.contains(b.label.as_str())) {
                        return Err(Error::Internal(format!(
                            "{} has the benchmark label {:?}, not found when its labels were scanned",
                            input.path.display(),
                            label.label
                        )));
                    }
                    chunk_size +=
                        plan.milestones.len() * selection.milestone_periods.len() + plan.measures.len() * selection.measure_periods.len();
                    chunk.push((plan, selection));
                    if chunk_size >= options.chunk_ratings {
                        chunk_size = 0;
                        if !flush(&mut chunk)? {
                            return Ok(Outcome { skipped, stopped: None });
                        }
                    }
                }
                Err(e) if options.keep_going => {
                    counters.plans_skipped.fetch_add(1, Ordering::Relaxed);
                    skipped.push((input.clone(), e));
                }
                Err(e) => return Ok(Outcome { skipped, stopped: Some((input.clone(), e)) }),
            }
        }
    }
    if !chunk.is_empty() {
        flush(&mut chunk)?;
    }
    Ok(Outcome { skipped, stopped: None })
}

/// Streams ratings as CSV: the header, then each chunk's rows, formatted on every core.
pub struct CsvSink<W: Write> {
    out: W,
    /// One buffer per thread, reused from chunk to chunk.
    parts: Vec<CsvPart>,
}

/// What one thread formats a slice of a chunk's rows into.
#[derive(Default)]
struct CsvPart {
    lines: Vec<u8>,
    row: RowScratch,
    csv: CsvScratch,
    items: ItemCells,
    /// The columns written (`batch --columns`; `None`: every column).
    keep: Option<std::sync::Arc<[bool]>>,
}

impl<W: Write> CsvSink<W> {
    /// Writes the header for these labels.
    pub fn new(out: W, labels: &[String]) -> Result<CsvSink<W>> {
        CsvSink::picked(out, labels, &Picked::all(labels))
    }

    /// Writes the header of the columns `picked` keeps (`batch --columns`), whose rows follow.
    pub fn picked(mut out: W, labels: &[String], picked: &Picked) -> Result<CsvSink<W>> {
        out.write_all(&csv_header_of(&picked.names(labels))).map_err(io)?;
        let keep: Option<std::sync::Arc<[bool]>> = picked.subset().map(Into::into);
        let part = || CsvPart { row: RowScratch::wording(picked.sentences()), keep: keep.clone(), ..CsvPart::default() };
        Ok(CsvSink { out, parts: (0..threads()).map(|_| part()).collect() })
    }

    /// Writes text cells that look like spreadsheet formulas as `formulas` says (escaped by
    /// default, as `rate` writes them).
    pub fn with_formulas(mut self, formulas: CsvFormulas) -> CsvSink<W> {
        for part in &mut self.parts {
            part.csv = CsvScratch::with_formulas(formulas);
        }
        self
    }

    /// Writes a chunk's rows, formatted on every core.
    pub fn write(&mut self, chunk: &Chunk) -> Result<()> {
        let reader = chunk.reader()?;
        let n = chunk.len();
        let used = self.parts.len().min(n.div_ceil(10_000)).max(1);
        let step = n.div_ceil(used);
        let reader = &reader;
        let done: Vec<Result<()>> =
            self.parts[..used].par_iter_mut().enumerate().map(|(p, part)| part.format(reader, p * step..((p + 1) * step).min(n))).collect();
        for (result, part) in done.into_iter().zip(&self.parts) {
            result?;
            self.out.write_all(&part.lines).map_err(io)?;
        }
        Ok(())
    }

    /// Flushes and returns the writer.
    pub fn finish(mut self) -> Result<W> {
        self.out.flush().map_err(io)?;
        Ok(self.out)
    }
}

impl CsvPart {
    /// Formats rows `range` as `rate` writes them.
    fn format(&mut self, reader: &ChunkRows, range: std::ops::Range<usize>) -> Result<()> {
        self.lines.clear();
        self.items.clear();
        if let Some(keep) = &self.keep {
            for r in range {
                write_csv_record_picked(&reader.view(r, &mut self.row)?, keep, &mut self.lines, &mut self.csv);
            }
            return Ok(());
        }
        for r in range {
            match reader.item_key(r)? {
                Some(key) => write_csv_record_cached(&reader.view(r, &mut self.row)?, key, &mut self.items, &mut self.lines, &mut self.csv),
                None => write_csv_record(&reader.view(r, &mut self.row)?, &mut self.lines, &mut self.csv),
            }
        }
        Ok(())
    }
}

/// Streams ratings as JSON in `rate`'s layout: `{"columns": [...], "ratings": [...]}`, one
/// rating per line, formatted on every core by `rate`'s own writer ([`JsonRows`]). With
/// [`JsonSink::with_provenance`], a last key `"provenance"` follows the ratings (`rate` writes
/// it first; a stream knows its plans only at the end), on a line of its own.
pub struct JsonSink<W: Write> {
    out: W,
    rows: JsonRows,
    provenance: Option<Provenance>,
}

impl<W: Write> JsonSink<W> {
    /// Writes the opening with the column names.
    pub fn new(out: W, labels: &[String]) -> Result<JsonSink<W>> {
        JsonSink::picked(out, labels, &Picked::all(labels))
    }

    /// Writes the opening with the names of the columns `picked` keeps (`batch --columns`).
    pub fn picked(mut out: W, labels: &[String], picked: &Picked) -> Result<JsonSink<W>> {
        let rows = JsonRows::start_picked(labels, picked, &mut out, threads())?;
        Ok(JsonSink { out, rows, provenance: None })
    }

    /// Ends the object with the provenance of the plans written (`computed_only`: officers'
    /// statuses ignored).
    pub fn with_provenance(mut self, computed_only: bool) -> JsonSink<W> {
        self.provenance = Some(Provenance::new(&[], computed_only));
        self
    }

    /// Writes a chunk's rows.
    pub fn write(&mut self, chunk: &Chunk) -> Result<()> {
        if let Some(provenance) = &mut self.provenance {
            let plans: Vec<&Plan> = chunk.plans.iter().map(|(p, _)| p).collect();
            provenance.plans.extend(Provenance::new(&plans, provenance.computed_only).plans);
        }
        let reader = chunk.reader()?;
        self.rows.write(&reader, chunk.len(), &mut self.out)
    }

    /// Writes the closing and returns the writer.
    pub fn finish(mut self) -> Result<W> {
        match &self.provenance {
            None => self.rows.finish(&mut self.out)?,
            Some(p) => self.rows.finish_with(&mut self.out, &format!(",\n\"provenance\":{}", p.to_json()))?,
        }
        Ok(self.out)
    }
}

/// The most rows in a Parquet row group: bounds the rows held as columns of text, and is the
/// unit of work the sink's threads build, encode and compress. A chunk's rows are split into
/// row groups of equal size (a chunk of 204,600 ratings: two of 102,300), not into full groups
/// and a small remainder: each row group repeats its columns' dictionaries and page headers,
/// so small groups made the small text columns up to twice the size polars' writer gives them
/// (issue #14; `scripts/parquet-sizes.py`, BENCHMARKS.md).
const PARQUET_BATCH: usize = 131_072;

/// Streams ratings into one Parquet file, a row group per batch of rows, with `rate`'s
/// columns and types (less the partition column in a partitioned dataset).
///
/// Each row group is built, encoded and compressed by one thread
/// ([`RowGroupEncoder`](crate::write::parquet::RowGroupEncoder)), so the file is the same
/// whatever the number of threads; row groups are made on every core while earlier ones are
/// written, in order. With [`ParquetSink::with_provenance`], the footer carries the
/// provenance of every plan written, as `rate`'s Parquet does.
pub struct ParquetSink<W: Write> {
    writer: polars::io::parquet::write::BatchedWriter<W>,
    encoder: RowGroupEncoder,
    labels: Vec<String>,
    /// The columns written (`batch --columns`; `None`: every column).
    keep: Option<Vec<bool>>,
    drop_column: Option<&'static str>,
    /// One row scratch per thread, reused from batch to batch.
    scratch: Vec<RowScratch>,
    provenance: Option<Provenance>,
}

impl<W: Write> ParquetSink<W> {
    /// Starts a file; `drop_column` leaves out a partition column (its value is in the path).
    pub fn new(out: W, labels: &[String], drop_column: Option<&'static str>) -> Result<ParquetSink<W>> {
        ParquetSink::picked(out, labels, &Picked::all(labels), drop_column)
    }

    /// Starts a file of the columns `picked` keeps (`batch --columns`), less `drop_column`.
    pub fn picked(out: W, labels: &[String], picked: &Picked, drop_column: Option<&'static str>) -> Result<ParquetSink<W>> {
        let keep = picked.subset().map(<[bool]>::to_vec);
        let empty = Self::frame(FrameBuilder::picked(labels, keep.as_deref(), 0), drop_column)?;
        let mut writer = ParquetWriter::new(out).batched(empty.schema())?;
        let encoder = RowGroupEncoder::new(writer.parquet_schema().fields().to_vec(), empty.schema())?;
        Ok(ParquetSink {
            writer,
            encoder,
            labels: labels.to_vec(),
            keep,
            drop_column,
            scratch: (0..threads()).map(|_| RowScratch::wording(picked.sentences())).collect(),
            provenance: None,
        })
    }

    /// Writes the provenance of the plans written (`computed_only`: officers' statuses
    /// ignored) into the footer, under [`PARQUET_KEY`](crate::provenance::PARQUET_KEY).
    pub fn with_provenance(mut self, computed_only: bool) -> ParquetSink<W> {
        self.provenance = Some(Provenance::new(&[], computed_only));
        self
    }

    fn frame(builder: FrameBuilder, drop_column: Option<&str>) -> Result<DataFrame> {
        let df = builder.finish()?;
        Ok(match drop_column {
            // A partition column left out by `--columns` is not there to drop.
            Some(c) if df.schema().contains(c) => df.drop(c)?,
            _ => df,
        })
    }

    /// One batch's row group, encoded and compressed.
    fn build(
        labels: &[String],
        keep: Option<&[bool]>,
        drop_column: Option<&str>,
        encoder: &RowGroupEncoder,
        reader: &ChunkRows,
        batch: &[usize],
        scratch: &mut RowScratch,
    ) -> Result<Vec<EncodedRowGroup>> {
        let mut builder = FrameBuilder::picked(labels, keep, batch.len());
        for &r in batch {
            builder.push(&reader.view(r, scratch)?);
        }
        encoder.encode(&Self::frame(builder, drop_column)?)
    }

    /// Writes rows `rows` of a chunk.
    pub fn write_rows(&mut self, reader: &ChunkRows, rows: &[usize]) -> Result<()> {
        if let Some(provenance) = &mut self.provenance {
            note_plans(provenance, reader, rows)?;
        }
        let groups = rows.len().div_ceil(PARQUET_BATCH).max(1);
        let batches: Vec<&[usize]> = rows.chunks(rows.len().div_ceil(groups).max(1)).collect();
        let (labels, keep, drop_column, encoder, writer) =
            (self.labels.as_slice(), self.keep.as_deref(), self.drop_column, &self.encoder, &mut self.writer);
        in_order(
            batches.len(),
            &mut self.scratch,
            |i, scratch| Self::build(labels, keep, drop_column, encoder, reader, batches[i], scratch),
            |groups| {
                for g in groups {
                    writer.write_row_group(g.rows, &g.columns)?;
                }
                Ok(())
            },
        )
    }

    /// Writes a chunk's rows.
    pub fn write(&mut self, chunk: &Chunk) -> Result<()> {
        let rows: Vec<usize> = (0..chunk.len()).collect();
        self.write_rows(&chunk.reader()?, &rows)
    }

    /// Writes the footer.
    pub fn finish(self) -> Result<()> {
        match self.provenance {
            None => {
                self.writer.finish()?;
            }
            Some(provenance) => {
                let mut file = self.writer.get_writer().lock().map_err(|_| Error::Internal("the Parquet writer was poisoned".into()))?;
                let schema = schema_to_metadata_key(file.schema());
                let [(key, value)] = <[(String, String); 1]>::try_from(provenance.key_value())
                    .map_err(|_| Error::Internal("provenance is one key".into()))?;
                file.end(Some(vec![schema, KeyValue { key, value: Some(value) }]))?;
            }
        }
        Ok(())
    }
}

/// Adds the plans of `rows` not yet in `provenance`, in the order first met.
fn note_plans(provenance: &mut Provenance, reader: &ChunkRows, rows: &[usize]) -> Result<()> {
    let mut last: Option<usize> = None;
    for &r in rows {
        let p = reader.plan_index(r)?;
        if last == Some(p) {
            continue;
        }
        last = Some(p);
        let plan = reader.plan(r)?;
        if !provenance.plans.iter().any(|s| s.plan == plan.name) {
            provenance.plans.extend(Provenance::new(&[plan], provenance.computed_only).plans);
        }
    }
    Ok(())
}

/// A chunk's rows grouped by partition value, in order of first appearance; rows keep their
/// order within a group.
pub fn partitions(chunk: &Chunk, by: PartitionBy) -> Result<Vec<(String, Vec<usize>)>> {
    let reader = chunk.reader()?;
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut last: Option<(usize, (i32, i32))> = None;
    let mut current = 0usize;
    for r in 0..chunk.len() {
        let p = reader.plan_index(r)?;
        let key = match by {
            PartitionBy::Plan => (p, (0, 0)),
            PartitionBy::Period => (p, reader.period(r)?.key()),
        };
        if last != Some(key) {
            last = Some(key);
            let value = match by {
                PartitionBy::Plan => chunk.plans[p].0.name.clone(),
                PartitionBy::Period => reader.period(r)?.to_string(),
            };
            current = *index.entry(value.clone()).or_insert_with(|| {
                groups.push((value, Vec::new()));
                groups.len() - 1
            });
        }
        groups[current].1.push(r);
    }
    Ok(groups)
}

fn io(e: std::io::Error) -> Error {
    Error::Io { path: "<output>".into(), source: e }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_parse_all_one_and_ranges() {
        assert_eq!(Periods::parse("all"), Ok(Periods::All));
        assert_eq!(Periods::parse("ALL"), Ok(Periods::All));
        assert_eq!(Periods::parse("2013/14 Q3"), Ok(Periods::One("2013/14 Q3".into())));
        assert_eq!(Periods::parse("2013-04 .. 2014-03"), Ok(Periods::Range("2013-04".into(), "2014-03".into())));
        assert!(Periods::parse("2013-04..").is_err());
        assert!(Periods::parse(" ").is_err());
    }

    #[test]
    fn shards_partition_positions() {
        assert_eq!(Shard::parse("2/3"), Ok(Shard { index: 2, count: 3 }));
        for bad in ["0/3", "4/3", "1/0", "3", "a/b", ""] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
        let shards: Vec<Shard> = (1..=3).map(|i| Shard { index: i, count: 3 }).collect();
        for p in 0..20 {
            assert_eq!(shards.iter().filter(|s| s.keeps(p)).count(), 1);
        }
        assert!(shards[0].keeps(0) && shards[1].keeps(1) && shards[2].keeps(2) && shards[0].keeps(3));
    }

    #[test]
    fn hive_values_escape_what_hive_escapes() {
        assert_eq!(hive_value("2013/14 Q3"), "2013%2F14 Q3");
        assert_eq!(hive_value("2013-12"), "2013-12");
        assert_eq!(hive_value("a=b%c:d"), "a%3Db%25c%3Ad");
        assert_eq!(PartitionBy::Period.folder("2013/14"), "period=2013%2F14");
        assert_eq!(PartitionBy::Plan.folder("cyp-2013"), "plan=cyp-2013");
    }

    #[test]
    fn write_number_writes_format_numbers_bytes() {
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let mut values = vec![
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.5,
            1e-6,
            -1e-6,
            9.99e-7,
            19.425,
            62.225,
            1e15,
            4.2e9,
            4294967295.999999,
            4294967296.5,
            1e300,
            f64::NAN,
            f64::INFINITY,
        ];
        for _ in 0..200_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let mantissa = (seed >> 11) as f64 / (1u64 << 53) as f64;
            let exponent = (seed % 24) as i32 - 8;
            let sign = if seed & (1 << 5) == 0 { 1.0 } else { -1.0 };
            values.push(sign * mantissa * 10f64.powi(exponent));
            values.push(((seed % 100_000) as f64) / 1000.0);
        }
        let mut out = String::new();
        for x in values {
            out.clear();
            crate::model::number::write_number(x, &mut out);
            assert_eq!(out, crate::model::number::format_number(x), "{x:e}");
            if let Some(places) = crate::model::number::decimals_written(x) {
                assert_eq!(places, out.split_once('.').map(|(_, f)| f.len()).unwrap_or(0), "{x:e}: {out}");
            }
        }
    }

    #[test]
    fn labels_are_normalised_as_the_reader_does() {
        let text = "\u{feff}Item,Period, Benchmark ,Value\nM1,2013,National,1\nM1,2014,\" Statistical Neighbours \",2\nM1,2015,,3\n";
        let labels: Vec<String> = labels_in(text.as_bytes()).into_iter().collect();
        assert_eq!(labels, ["national", "statistical_neighbours"]);
    }
}
