#!/usr/bin/env bash
# Times the rating of a plan with N benchmark labels, with its peak memory, for each N given
# (default 50 500 2000 8000): BENCHMARKS.md, "Benchmark labels".
#   scripts/bench-labels.sh [N...]
# Each plan is fixtures/members-scorecard-2024 (11 measures) with benchmark_levels = [95, 99.8]
# (so every label has its sig_ column too) and a generated benchmarks.csv: label j benchmarks
# measure j mod 11 at one of its reported periods, every third label at a second period as
# well, and every tenth a monthly measure at a month and at the quarter ending that month (the
# latest of two benchmarks ending together is the one later in the file).
#
# The reader refuses more than MAX_LABELS (50) labels, so the plans are rated by the example
# `bench_labels` (examples/bench_labels.rs), which reads benchmarks.csv without the bound and
# then rates and writes CSV as `scorecard rate` does: at the plan's latest period, and with
# --all-periods at every period (as `batch` does). Within the bound the CLI's `rate` is timed
# too. Wall seconds and peak resident memory from /usr/bin/time -v; output bytes.
#
# BENCH_PROFILE=release (default) or dev; BENCH_OUT: where plans and outputs go (/dev/shm).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(50 500 2000 8000)
profile=${BENCH_PROFILE:-release}
out=${BENCH_OUT:-/dev/shm}/bench-labels
target=${CARGO_TARGET_DIR:-target}
cargo build --locked --workspace --profile "$profile" --example bench_labels --bin scorecard
dir=$target/$([ "$profile" = dev ] && echo debug || echo "$profile")
example=$dir/examples/bench_labels
cli=$dir/scorecard
mkdir -p "$out"

generate() { # N DIR
  rm -rf "$2"
  mkdir -p "$2"
  cp fixtures/members-scorecard-2024/{plan.toml,measures.csv,values.csv,targets.csv} "$2"/
  printf '\n[rules]\nbenchmark_levels = [95, 99.8]\n' >> "$2/plan.toml"
  python3 - "$1" "$2" <<'PY'
import csv, sys
n, out = int(sys.argv[1]), sys.argv[2]
periods = {}
with open('fixtures/members-scorecard-2024/values.csv', newline='', encoding='utf-8') as f:
    for row in csv.DictReader(f):
        periods.setdefault(row['measure'], []).append(row['period'])
items = list(periods)
with open(f'{out}/benchmarks.csv', 'w', newline='', encoding='utf-8') as f:
    w = csv.writer(f, lineterminator='\n')
    w.writerow(['item', 'period', 'benchmark', 'value'])
    for j in range(n):
        item = items[j % len(items)]
        ps = periods[item]
        label = f'b{j:05d}'
        first = ps[(j * 7) % len(ps)]
        w.writerow([item, first, label, round(40 + (j * 37 % 500) / 10, 1)])
        second = ps[(j * 13 + 3) % len(ps)]
        if j % 3 == 0 and second != first:
            w.writerow([item, second, label, round(45 + (j * 53 % 400) / 10, 1)])
        if j % 10 == 0 and item != 'EH01':
            w.writerow(['EH01', '2023/24 Q3', label, round(80 + (j % 200) / 10, 1)])
            w.writerow(['EH01', '2023-12', label, round(85 + (j % 100) / 10, 1)])
PY
}

measure() { # LABEL COMMAND...
  local label=$1 log=$out/time.log
  shift
  /usr/bin/time -v "$@" 2> "$log" > /dev/null || { cat "$log" >&2; exit 1; }
  local wall rss
  wall=$(grep 'Elapsed (wall clock)' "$log" | awk '{print $NF}')
  rss=$(grep 'Maximum resident set size' "$log" | awk '{print $NF}')
  printf '%-34s wall %8s  peak %7d MB  %s\n' "$label" "$wall" $((rss / 1024)) "$(grep -h 'labels,' "$log" || true)"
}

echo "profile $profile; plans and outputs in $out"
for n in "${sizes[@]}"; do
  plan=$out/plan-$n
  generate "$n" "$plan"
  echo "$n labels: benchmarks.csv $(wc -c < "$plan/benchmarks.csv") bytes, $(($(wc -l < "$plan/benchmarks.csv") - 1)) rows"
  measure "  bench_labels (latest period)" "$example" "$plan" "$out/ratings-$n.csv"
  echo "    output $(wc -c < "$out/ratings-$n.csv") bytes"
  measure "  bench_labels --all-periods" "$example" "$plan" "$out/ratings-$n-all.csv" --all-periods
  echo "    output $(wc -c < "$out/ratings-$n-all.csv") bytes"
  if [ "$n" -le 50 ]; then
    measure "  scorecard rate" "$cli" rate "$plan" -o "$out/cli-$n.csv"
  fi
done
