#!/usr/bin/env bash
# Times `scorecard batch` with issue #13's statistical columns on and off (issue #13's closing
# note): the same generated plans (`scorecard generate`, the benchmark shape of
# scripts/bench-batch.sh: 400 milestones at 24 quarters and 150 monthly measures over 60
# months per plan) rated at every period into one CSV file, once as generated (recent trend
# and SPC on, the defaults) and once with `[rules] recent_trend = false` and `spc = false` in
# every plan.toml. The two are run interleaved (on, off, on, off, ...) so that both see the
# same machine. Prints one line per run (wall and CPU seconds, peak memory, output size), then
# the best and the median of each. No test asserts a time.
#
#   BIN=target/release/scorecard scripts/bench-columns.sh
#   BIN=target/debug/scorecard PLANS=100 RUNS=2 BENCH_OUT=/dev/shm scripts/bench-columns.sh
#
# Environment: BIN (the scorecard binary; required), PLANS (default 100), RUNS (runs of each,
# default 3), BENCH_DATA (where the plans go, default /tmp/scorecard-bench), BENCH_OUT (where
# outputs go, default BENCH_DATA; /dev/shm keeps the disk's write-back out of the figures),
# OFF (the [rules] lines of the "off" plans, default "recent_trend = false; spc = false"; a
# binary older than the spc setting refuses it: OFF="recent_trend = false" times the trend
# alone).
set -euo pipefail
bin=${BIN:?set BIN to the scorecard binary to time}
n=${PLANS:-100}
runs=${RUNS:-3}
data=${BENCH_DATA:-/tmp/scorecard-bench}
outdir=${BENCH_OUT:-$data}
[ -x /usr/bin/time ] || { echo "bench-columns: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
mkdir -p "$data" "$outdir"

on=$data/plans-$n
if [ ! -f "$on/.complete" ]; then
    rm -rf "$on"
    "$bin" generate -o "$on" --plans "$n" 2>/dev/null
    touch "$on/.complete"
fi
# The same plans with the columns off: the CSV files hard-linked (no copy), plan.toml replaced.
off_rules=${OFF:-recent_trend = false; spc = false}
off=$data/plans-$n-off-$(printf '%s' "$off_rules" | tr -c 'a-z0-9' '_')
if [ ! -f "$off/.complete" ]; then
    rm -rf "$off"
    cp -al "$on" "$off"
    rm -f "$off/.complete"
    for p in "$off"/plan-*; do
        text=$(cat "$p/plan.toml")
        rm "$p/plan.toml"
        printf '%s\n\n[rules]\n%s\n' "$text" "$(printf '%s' "$off_rules" | sed 's/; */\n/g')" > "$p/plan.toml"
    done
    touch "$off/.complete"
fi

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "binary: $bin"
echo "command: scorecard batch PLANS/plan-* -o ratings.csv ($n plans, $runs runs of each, interleaved; off: $off_rules)"
printf '%-4s %4s %10s %10s %10s %10s %9s\n' cols run wall_s cpu_s peak_MB output_MB rows
results=$data/bench-columns.txt
: > "$results"
for i in $(seq "$runs"); do
    for mode in on off; do
        plans=$on
        [ "$mode" = off ] && plans=$off
        out=$outdir/columns-$mode.csv
        rm -f "$out"
        /usr/bin/time -f '%e %U %S %M' -o "$data/time.txt" "$bin" batch "$plans"/plan-* -o "$out"
        read -r wall user sys kb < "$data/time.txt"
        cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.1f", u + s }')
        mb=$(du -sb "$out" | awk '{printf "%.0f", $1/1e6}')
        rows=$(($(wc -l < "$out") - 1))
        printf '%-4s %4d %10.2f %10s %10.0f %10s %9d\n' "$mode" "$i" "$wall" "$cpu" "$(awk -v k="$kb" 'BEGIN { print k / 1024 }')" "$mb" "$rows"
        echo "$mode $wall $cpu" >> "$results"
        rm -f "$out"
    done
done
for mode in on off; do
    awk -v m="$mode" '$1 == m { print $2, $3 }' "$results" | sort -n | awk -v m="$mode" '
        { w[NR] = $1; c[NR] = $2 }
        END { med = (NR % 2) ? w[(NR + 1) / 2] : (w[NR / 2] + w[NR / 2 + 1]) / 2;
              printf "%-4s best %.2f s (cpu %.1f s), median %.2f s over %d runs\n", m, w[1], c[1], med, NR }'
done
