#!/usr/bin/env bash
# Runs each fuzz target for a bounded time (default 600 s each) with a seed corpus built from
# the fixtures, then prints one line per target: executions, corpus size, seconds. Needs
# cargo-fuzz (`cargo install cargo-fuzz`); on a stable toolchain the sanitizer flags are
# enabled with RUSTC_BOOTSTRAP=1.
#   scripts/fuzz.sh [SECONDS] [TARGET...]
# Targets: plan_reader, parsers (the core without polars: quick to build) and diff_csv,
# diff_json, diff_parquet (the ratings readers of `diff`: built with polars, `--features diff`).
# The ratings seeds are the fixtures rated by `scorecard rate` ($SCORECARD, else `cargo run`).
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
seconds=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(plan_reader parsers diff_csv diff_json diff_parquet)
export RUSTC_BOOTSTRAP=1

# Seed corpora: each fixture plan as one input (files joined by 0xFF in PLAN_FILES order), and
# every field of every fixture CSV for the parsers.
mkdir -p corpus/plan_reader corpus/parsers corpus/diff_csv corpus/diff_json corpus/diff_parquet logs
for plan in ../fixtures/*/; do
  name=$(basename "$plan")
  : > "corpus/plan_reader/$name"
  for f in plan.toml priorities.csv milestones.csv updates.csv measures.csv values.csv targets.csv benchmarks.csv; do
    [ -f "$plan/$f" ] && cat "$plan/$f" >> "corpus/plan_reader/$name"
    printf '\xff' >> "corpus/plan_reader/$name"
  done
done
python3 - <<'PY'
import csv, glob, hashlib, os
seen = set()
for path in glob.glob('../fixtures/*/*.csv'):
    with open(path, newline='', encoding='utf-8') as f:
        for row in csv.reader(f):
            for field in row:
                if len(field) < 40 and field not in seen:
                    seen.add(field)
                    name = hashlib.sha1(field.encode()).hexdigest()[:16]
                    with open(os.path.join('corpus/parsers', name), 'w', encoding='utf-8') as out:
                        out.write(field)
PY
# Ratings seeds: every fixture rated at its latest period, and with --computed, in each format.
scorecard() {
  if [ -n "${SCORECARD:-}" ]; then "$SCORECARD" "$@"; else (cd .. && cargo run --quiet --locked -- "$@"); fi
}
for plan in ../fixtures/*/; do
  name=$(basename "$plan")
  for ext in csv json parquet; do
    scorecard rate "$(realpath "$plan")" -o "$PWD/corpus/diff_$ext/$name.$ext"
    scorecard rate "$(realpath "$plan")" --computed -o "$PWD/corpus/diff_$ext/$name-computed.$ext"
  done
done

for t in "${targets[@]}"; do
  features=()
  case "$t" in diff_*) features=(--features diff) ;; esac
  echo "fuzzing $t for ${seconds}s"
  cargo fuzz run "${features[@]}" "$t" "corpus/$t" -- -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
    -max_len=65536 -print_final_stats=1 2>&1 | tee "logs/$t.log" | grep -E '^(INFO: Seed|#[0-9]+ +(pulse|REDUCE|NEW))' | tail -n 3 || true
  runs=$(grep -oE 'Done [0-9]+ runs in [0-9]+ second' "logs/$t.log" | tail -n 1)
  [ -n "$runs" ] || { echo "$t: no final report; see fuzz/logs/$t.log" >&2; exit 1; }
  echo "$t: ${runs#Done }s, corpus $(ls "corpus/$t" | wc -l) inputs"
done
