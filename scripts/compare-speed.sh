#!/usr/bin/env bash
# Times two scorecard binaries side by side on the same plans, interleaved (old, new, new, old,
# ...) so that both see the same minutes of a machine whose speed drifts: `batch` to CSV, JSON
# and Parquet under /dev/shm. Prints each run, then best and median wall seconds per binary and
# format, and the new/old ratio of the medians. No test asserts a time.
#
#   scripts/compare-speed.sh OLD_BINARY NEW_BINARY PLANS_FOLDER [RUNS]
set -euo pipefail
old=$1 new=$2 plans=$3 runs=${4:-5}
out=${BENCH_OUT:-/dev/shm}/scorecard-speed
[ -x /usr/bin/time ] || { echo "compare-speed: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
log=$(mktemp)
trap 'rm -rf "$log" "$out".*' EXIT
for fmt in csv json parquet; do
    for i in $(seq "$runs"); do
        if [ $((i % 2)) -eq 1 ]; then order="old new"; else order="new old"; fi
        for which in $order; do
            bin=$old
            [ "$which" = new ] && bin=$new
            rm -f "$out.$fmt"
            /usr/bin/time -f "%e %U %M" -o "$log.t" "$bin" batch "$plans"/*/ -o "$out.$fmt" 2>/dev/null
            read -r wall user kb < "$log.t"
            echo "$fmt $which $wall $user $kb" | tee -a "$log"
        done
    done
done
echo
printf '%-8s %-4s %8s %8s %8s\n' format bin best median peak_MB
for fmt in csv json parquet; do
    for which in old new; do
        awk -v f="$fmt" -v w="$which" '$1 == f && $2 == w { print $3, $5 }' "$log" | sort -n |
            awk -v f="$fmt" -v w="$which" '{ t[NR] = $1; if ($2 > m) m = $2 } END { printf "%-8s %-4s %8.2f %8.2f %8.0f\n", f, w, t[1], (NR % 2 ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2), m / 1024 }'
    done
done
