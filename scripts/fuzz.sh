#!/usr/bin/env bash
# Runs each fuzz target for a bounded time (default 600 s each) with a seed corpus built from
# the fixtures. Needs cargo-fuzz (`cargo install cargo-fuzz`); on a stable toolchain the
# sanitizer flags are enabled with RUSTC_BOOTSTRAP=1.
#   scripts/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
seconds=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(plan_reader parsers)
export RUSTC_BOOTSTRAP=1

# Seed corpora: each fixture plan as one input (files joined by 0xFF in PLAN_FILES order), and
# every field of every fixture CSV for the parsers.
mkdir -p corpus/plan_reader corpus/parsers
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

for t in "${targets[@]}"; do
  echo "fuzzing $t for ${seconds}s"
  cargo fuzz run "$t" "corpus/$t" -- -max_total_time="$seconds" -max_len=65536 -timeout=10
done
