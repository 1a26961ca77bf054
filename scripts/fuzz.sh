#!/usr/bin/env bash
# Runs each fuzz target for a bounded time (default 600 s each) with a seed corpus built from
# the fixtures, then prints one line per target: executions, seconds, corpus size. Needs
# cargo-fuzz (`cargo install cargo-fuzz --locked`); on a stable toolchain the sanitizer flags
# are enabled with RUSTC_BOOTSTRAP=1 (or use `cargo +nightly`: FUZZ_CARGO="cargo +nightly").
#   scripts/fuzz.sh [SECONDS] [TARGET...]
# Targets: plan_reader, parsers (the core without polars: quick to build, with AddressSanitizer)
# and diff_csv, diff_json, diff_parquet (the ratings readers of `diff`: built with polars,
# `--features diff`, without a sanitizer, since polars under ASAN takes over an hour to build;
# debug assertions and overflow checks stay on). Each target is built optimised (-O) with
# debug assertions (-a), under $FUZZ_TARGET_DIR (default fuzz/target) in one folder per
# sanitizer. PARALLEL=2 runs two targets at a time. FUZZ_DEV=1 builds the diff targets
# unoptimised instead (cargo's dev profile: debug assertions and overflow checks), which on two
# cores takes minutes where the optimised build of polars with coverage instrumentation took
# over an hour; each execution is slower. FUZZ_DIFF_TARGET_DIR names their build folder.
# The ratings seeds are the fixtures rated by `scorecard rate` ($SCORECARD, else `cargo run`).
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
seconds=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(plan_reader parsers diff_csv diff_json diff_parquet)
export RUSTC_BOOTSTRAP=1
cargo_fuzz=${FUZZ_CARGO:-cargo}
target_dir=${FUZZ_TARGET_DIR:-$PWD/target}
parallel=${PARALLEL:-1}

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

flags() { # TARGET: the build flags of its kind
  case "$1" in
    diff_*)
      if [ -n "${FUZZ_DEV:-}" ]; then
        echo "--features diff --dev -s none --target-dir ${FUZZ_DIFF_TARGET_DIR:-$target_dir/none-dev}"
      else
        echo "--features diff -O -a -s none --target-dir ${FUZZ_DIFF_TARGET_DIR:-$target_dir/none}"
      fi ;;
    *) echo "-O -a -s address --target-dir $target_dir/address" ;;
  esac
}

run() { # TARGET
  local t=$1
  # shellcheck disable=SC2046
  $cargo_fuzz fuzz run $(flags "$t") "$t" "corpus/$t" -- -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
    -max_len=65536 -print_final_stats=1 > "logs/$t.log" 2>&1 || true
}

for t in "${targets[@]}"; do
  # shellcheck disable=SC2046
  $cargo_fuzz fuzz build $(flags "$t") "$t"
done
running=0
for t in "${targets[@]}"; do
  echo "fuzzing $t for ${seconds}s"
  run "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$parallel" ]; then
    wait -n || true
    running=$((running - 1))
  fi
done
wait || true

status=0
for t in "${targets[@]}"; do
  log=logs/$t.log
  runs=$(grep -oE 'Done [0-9]+ runs in [0-9]+ second' "$log" | tail -n 1)
  if grep -qE '^(==[0-9]+==ERROR|SUMMARY: libFuzzer|thread .* panicked)' "$log"; then
    echo "$t: FINDING, see fuzz/$log and fuzz/artifacts/$t" >&2
    status=1
  elif [ -z "$runs" ]; then
    echo "$t: no final report; see fuzz/$log" >&2
    status=1
  else
    echo "$t: ${runs#Done }s, corpus $(find "corpus/$t" -type f | wc -l) inputs"
  fi
done
exit "$status"
