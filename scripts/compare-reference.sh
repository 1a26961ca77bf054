#!/usr/bin/env bash
# `scorecard batch` against the Python polars reference (scripts/reference-polars.py, the same
# rules written in polars), side by side and interleaved (scorecard, reference, reference,
# scorecard, ...) so that both see the same minutes of a machine whose speed drifts: Parquet
# and CSV under /dev/shm. Prints each run, then best and median wall seconds of each, and
# scorecard's share of the reference's time (median and best). No test asserts a time.
#
#   scripts/compare-reference.sh SCORECARD_BINARY PLANS_FOLDER [RUNS] [PYTHON]
#
# PYTHON is an interpreter with polars installed (default python3). The plans are
# `scorecard generate -o PLANS_FOLDER --plans 100`.
#
# PICK=reference has `batch` write the reference's 21 columns alone (`--columns`, the
# columns the reference computes: like for like); SCORECARD_ARGS adds other `batch` flags.
set -euo pipefail
bin=$1 plans=$2 runs=${3:-5} python=${4:-python3}
here=$(cd "$(dirname "$0")" && pwd)
out=${BENCH_OUT:-/dev/shm}/scorecard-reference
[ -x /usr/bin/time ] || { echo "compare-reference: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
extra=(${SCORECARD_ARGS:-})
if [ "${PICK:-}" = reference ]; then
    extra+=(--columns "plan,period,kind,item,priority,title,status,computed_status,disagrees,reason,value,target,amber_threshold,polarity,rated_period,dot,dot_judgement,vs_national,gap_national,vs_statistical_neighbours,gap_statistical_neighbours")
fi
log=$(mktemp)
trap 'rm -rf "$log" "$log.t" "$out".*' EXIT
for fmt in parquet csv; do
    for i in $(seq "$runs"); do
        if [ $((i % 2)) -eq 1 ]; then order="scorecard reference"; else order="reference scorecard"; fi
        for which in $order; do
            rm -f "$out.$fmt"
            if [ "$which" = scorecard ]; then
                /usr/bin/time -f "%e %U %M" -o "$log.t" "$bin" batch "$plans"/*/ "${extra[@]}" -o "$out.$fmt" 2>/dev/null
            else
                /usr/bin/time -f "%e %U %M" -o "$log.t" "$python" "$here/reference-polars.py" "$plans" "$out.$fmt"
            fi
            read -r wall user kb < "$log.t"
            echo "$fmt $which $wall $user $kb $(stat -c %s "$out.$fmt")" | tee -a "$log"
        done
    done
done
echo
printf '%-8s %-10s %8s %8s %8s %10s\n' format program best median peak_MB output_MB
for fmt in parquet csv; do
    for which in scorecard reference; do
        awk -v f="$fmt" -v w="$which" '$1 == f && $2 == w { print $3, $5, $6 }' "$log" | sort -n |
            awk -v f="$fmt" -v w="$which" '{ t[NR] = $1; if ($2 > m) m = $2; s = $3 } END { printf "%-8s %-10s %8.2f %8.2f %8.0f %10.1f\n", f, w, t[1], (NR % 2 ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2), m / 1024, s / 1e6 }'
    done
done | tee "$log.summary"
echo
awk '{ best[$1 " " $2] = $3; median[$1 " " $2] = $4 } END { for (f in a) ; split("parquet csv", fs, " "); for (i = 1; i <= 2; i++) { f = fs[i]; printf "%s: scorecard / reference = %.2f (medians), %.2f (bests)\n", f, median[f " scorecard"] / median[f " reference"], best[f " scorecard"] / best[f " reference"] } }' "$log.summary"
rm -f "$log.summary"
