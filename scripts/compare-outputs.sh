#!/usr/bin/env bash
# Compares the outputs of two scorecard binaries byte for byte (for a change meant to keep
# every output as it was): `rate` on every fixture (CSV, JSON, Parquet; officers' and engine's
# statuses), `overview` in every format, and `batch` on a folder of plans in every format and
# partitioning. Prints one line per output and exits 1 if any differs.
#
#   scripts/compare-outputs.sh OLD_BINARY NEW_BINARY [PLANS_FOLDER]
#
# PLANS_FOLDER holds plan folders (`scorecard generate -o DIR --plans 100` makes them); without
# it, batch runs on the fixtures.
set -euo pipefail
cd "$(dirname "$0")/.."
old=$1 new=$2 plans=${3:-fixtures}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0
same() {
    local name=$1
    if cmp -s "$work/old/$name" "$work/new/$name"; then
        echo "same      $name"
    else
        echo "DIFFERENT $name"
        failed=1
    fi
}
run_both() {
    local name=$1
    shift
    mkdir -p "$work/old" "$work/new"
    "$old" "${@//OUT/$work/old/$name}" > /dev/null 2>&1 || true
    "$new" "${@//OUT/$work/new/$name}" > /dev/null 2>&1 || true
    if [ -d "$work/old/$name" ]; then
        if diff -r "$work/old/$name" "$work/new/$name" > /dev/null; then echo "same      $name/"; else echo "DIFFERENT $name/"; failed=1; fi
    else
        same "$name"
    fi
}
for f in fixtures/*/; do
    f=${f%/}
    n=$(basename "$f")
    for fmt in csv json parquet; do
        run_both "rate-$n.$fmt" rate "$f" -o OUT
        run_both "rate-$n-computed.$fmt" rate "$f" --computed -o OUT
    done
    for fmt in md csv json html; do
        run_both "overview-$n.$fmt" overview "$f" --format "$fmt" -o OUT
    done
done
for fmt in csv json parquet; do
    run_both "batch.$fmt" batch "$plans"/*/ -o OUT
done
run_both "batch-by-plan" batch "$plans"/*/ --partition-by plan -o OUT
run_both "batch-by-period" batch "$plans"/*/ --partition-by period -o OUT
exit $failed
