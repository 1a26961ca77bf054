//! Rates a plan folder whose `benchmarks.csv` may name more benchmark labels than the reader
//! accepts (`MAX_LABELS`), to measure the rating engine's cost per label beyond that bound
//! (`scripts/bench-labels.sh`; BENCHMARKS.md, "Benchmark labels").
//!
//! Every plan file but `benchmarks.csv` goes through the reader as usual; `benchmarks.csv`
//! (`item,period,benchmark,value`, well formed: the script writes it) is read here, into the
//! same `Benchmark` rows the reader makes, without the bound. The plan is then rated as
//! `scorecard rate` does (at its latest period; `--all-periods`: at every period, as `batch`
//! does) and written as CSV. Times go to standard error.
//!
//! ```sh
//! cargo run --release --example bench_labels -- PLAN_DIR OUT.csv [--all-periods]
//! ```

use scorecard_core::read::plan::{Benchmark, ItemRef, PLAN_FILES};
use scorecard_core::{rate_many, Format, Period, Plan, RateOptions, Selection};
use std::path::PathBuf;
use std::time::Instant;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let all_periods = args.iter().any(|a| a == "--all-periods");
    let paths: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let [dir, out] = paths.as_slice() else {
        anyhow::bail!("usage: bench_labels PLAN_DIR OUT.csv [--all-periods]");
    };
    let dir = PathBuf::from(dir);

    let started = Instant::now();
    let files = PLAN_FILES
        .iter()
        .filter(|f| **f != "benchmarks.csv")
        .filter_map(|f| std::fs::read(dir.join(f)).ok().map(|bytes| (f.to_string(), bytes)))
        .collect();
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut plan = Plan::from_files(&name, &dir.display().to_string(), files)?;
    let mut reader = csv::Reader::from_path(dir.join("benchmarks.csv"))?;
    for record in reader.records() {
        let record = record?;
        let id = &record[0];
        let item = match plan.measures.iter().position(|m| m.id == id) {
            Some(i) => ItemRef::Measure(i),
            None => ItemRef::Milestone(
                plan.milestones.iter().position(|m| m.id == id).ok_or_else(|| anyhow::anyhow!("benchmarks.csv: no item {id:?}"))?,
            ),
        };
        let year_type = match item {
            ItemRef::Measure(i) => plan.measures[i].year_type,
            ItemRef::Milestone(_) => plan.year_type,
        };
        let period = Period::parse(&record[1], year_type).map_err(|e| anyhow::anyhow!("benchmarks.csv: {e}"))?;
        plan.benchmarks.push(Benchmark { item, period, label: record[2].to_string(), value: record[3].parse()? });
    }
    let read = started.elapsed();

    let started = Instant::now();
    let selection = if all_periods {
        Selection::all(&plan)
    } else {
        Selection::at(plan.latest_period().ok_or_else(|| anyhow::anyhow!("no reported period"))?)
    };
    let ratings = rate_many(&[(&plan, selection)], RateOptions::default())?;
    let rated = started.elapsed();

    let started = Instant::now();
    let mut file = std::io::BufWriter::new(std::fs::File::create(out)?);
    scorecard_core::write(&ratings, Format::Csv, &mut file)?;
    std::io::Write::flush(&mut file)?;
    let written = started.elapsed();
    let labels = ratings.labels.len();
    eprintln!(
        "{labels} labels, {} ratings: read {:.3} s, rated {:.3} s, written {:.3} s",
        ratings.rows.len(),
        read.as_secs_f64(),
        rated.as_secs_f64(),
        written.as_secs_f64()
    );
    Ok(())
}
