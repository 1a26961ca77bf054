//! Benchmarks of the rating core (issue #6), on plans from `scorecard-gen` built in memory, so
//! that disk and process start-up are left out (`scripts/bench-batch.sh` times the whole CLI).
//!
//! ```sh
//! CARGO_TARGET_DIR=/work/target-release cargo bench --bench rating
//! ```
//!
//! - `read`: one benchmark-shaped plan from its CSV bytes to a checked `Plan`.
//! - `query`: the polars rating query over 10 such plans at every period (186,000 ratings).
//! - `rows`: every row of those ratings worded and written as CSV to a sink: what `batch` does
//!   with each chunk, less the file system.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use scorecard_core::batch::{BatchOptions, Chunk, CsvSink};
use scorecard_core::Plan;
use scorecard_core::{rate_frame, RateOptions, Selection};
use scorecard_gen::Shape;
use std::hint::black_box;

const PLANS: usize = 10;

fn plans() -> Vec<Plan> {
    (0..PLANS)
        .map(|i| {
            let name = format!("plan-{i:04}");
            Plan::from_files(&name, &name, scorecard_gen::plan_files(&Shape::BENCHMARK, i as u64)).expect("generated plans are valid")
        })
        .collect()
}

fn labels(plans: &[Plan]) -> Vec<String> {
    let set: std::collections::BTreeSet<String> = plans.iter().flat_map(|p| p.benchmarks.iter().map(|b| b.label.clone())).collect();
    set.into_iter().collect()
}

fn rating(c: &mut Criterion) {
    let files = scorecard_gen::plan_files(&Shape::BENCHMARK, 0);
    let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
    let mut group = c.benchmark_group("read");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("one plan", |b| b.iter(|| Plan::from_files("p", "p", black_box(files.clone())).expect("valid")));
    group.finish();

    let plans = plans();
    let labels = labels(&plans);
    let jobs: Vec<(&Plan, Selection)> = plans.iter().map(|p| (p, Selection::all(p))).collect();
    let ratings = (PLANS * Shape::BENCHMARK.ratings()) as u64;

    let mut group = c.benchmark_group("query");
    group.sample_size(10).throughput(Throughput::Elements(ratings));
    group.bench_function("10 plans, every period", |b| {
        b.iter(|| rate_frame(black_box(&jobs), Some(&labels), RateOptions::default()).expect("rated").len())
    });
    group.finish();

    let mut group = c.benchmark_group("rows");
    group.sample_size(10).throughput(Throughput::Elements(ratings));
    let chunk =
        Chunk::rate(plans.iter().map(|p| (p.clone(), Selection::all(p))).collect(), &labels, BatchOptions::default().rate).expect("rated");
    group.bench_function("10 plans worded to CSV", |b| {
        b.iter(|| {
            let mut sink = CsvSink::new(std::io::sink(), &labels).expect("header");
            sink.write(black_box(&chunk)).expect("written");
            sink.finish().expect("flushed");
        })
    });
    group.finish();
}

criterion_group!(benches, rating);
criterion_main!(benches);
