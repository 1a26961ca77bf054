#!/usr/bin/env bash
# Times `scorecard batch` end to end (issue #6): generated plans of the benchmark shape (400
# milestones at 24 quarters, 150 monthly measures over 60 months: 18,600 ratings and about
# 730 KB of CSV per plan), rated at every period into one CSV file. Prints, per size, the
# wall time, ratings per second and peak memory (maximum resident set size) measured by
# /usr/bin/time -v, best of RUNS runs (warm file cache). No test asserts a time.
#
#   scripts/bench-batch.sh                 # 10, 100 and 1000 plans
#   SIZES="100" RUNS=5 scripts/bench-batch.sh
#   EXTRA="--format parquet" OUT=ratings.parquet scripts/bench-batch.sh
#
# Environment: CARGO_TARGET_DIR (default target), BENCH_BIN (a scorecard binary to time instead
# of building one), BENCH_DATA (default /tmp/scorecard-bench,
# where plans go; 1000 plans take 730 MB), BENCH_OUT (where outputs go, default BENCH_DATA;
# /dev/shm times the work without the disk's write-back, which varies from run to run), SIZES,
# RUNS (default 3), EXTRA (more batch arguments), OUT (output file name, default ratings.csv).
set -euo pipefail
cd "$(dirname "$0")/.."
target=${CARGO_TARGET_DIR:-target}
data=${BENCH_DATA:-/tmp/scorecard-bench}
sizes=${SIZES:-10 100 1000}
runs=${RUNS:-3}
out_name=${OUT:-ratings.csv}
if [ -n "${BENCH_BIN:-}" ]; then
    bin=$BENCH_BIN
else
    cargo build --release --quiet
    bin=$target/release/scorecard
fi
[ -x /usr/bin/time ] || { echo "bench-batch: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
mkdir -p "$data"

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
echo "command: scorecard batch PLANS/plan-* -o $out_name ${EXTRA:-}"
printf '%8s %12s %10s %10s %14s %10s %10s\n' plans ratings input_MB seconds ratings/s peak_MB output_MB
for n in $sizes; do
    plans=$data/plans-$n
    if [ ! -f "$plans/.complete" ]; then
        rm -rf "$plans"
        "$bin" generate -o "$plans" --plans "$n" 2>/dev/null
        touch "$plans/.complete"
    fi
    input_mb=$(du -sb "$plans" | awk '{printf "%.1f", $1/1e6}')
    out=${BENCH_OUT:-$data}/$n-$out_name
    best_s="" best_kb=""
    for _ in $(seq "$runs"); do
        rm -rf "$out"
        # shellcheck disable=SC2086
        /usr/bin/time -v "$bin" batch "$plans"/plan-* -o "$out" ${EXTRA:-} 2> "$data/time.txt" || { cat "$data/time.txt" >&2; exit 1; }
        s=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$data/time.txt")
        kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$data/time.txt")
        if [ -z "$best_s" ] || awk -v a="$s" -v b="$best_s" 'BEGIN { exit !(a < b) }'; then best_s=$s; fi
        if [ -z "$best_kb" ] || [ "$kb" -lt "$best_kb" ]; then best_kb=$kb; fi
    done
    ratings=$((n * 18600))
    case "$out" in *.csv) ratings=$(($(wc -l < "$out") - 1)) ;; esac
    output_mb=$(du -sb "$out" | awk '{printf "%.0f", $1/1e6}')
    printf '%8d %12d %10s %10.2f %14.0f %10.0f %10s\n' "$n" "$ratings" "$input_mb" "$best_s" "$(awk -v r="$ratings" -v s="$best_s" 'BEGIN { print r / s }')" "$(awk -v k="$best_kb" 'BEGIN { print k / 1024 }')" "$output_mb"
    rm -rf "$out"
done
