#!/usr/bin/env bash
# Trace replay through the command (issue 25): MSR Cambridge traces of 10^5 to 10^7 lines
# (written here: 4 KiB to 64 KiB requests, 70 % reads, uniform offsets over 1 GiB, one request
# per 100 us on one device) replayed onto one flash drive by `lunsim run -q` (recorded timing),
# and the same trace only checked by `lunsim validate`. One row per size: wall time and peak RSS
# (GNU time), ns per trace line, and the RSS against the smallest size's. Reading the trace is
# constant memory (a 64 KiB buffer); the run keeps each response time (8 bytes, and a sorted copy
# for the outputs) up to metrics::DurationSample::exact_limit (2^20) per target and direction,
# then a sketch of constant size: its RSS grows to that bound (about 10^6 lines here: 70 % reads)
# and stays there (3 x 10^6 and 10^7 lines).
# usage: bench/trace.sh [--smoke]   (--smoke: 10^3 and 10^4 lines)
set -eu
cd "$(dirname "$0")/.."
. bench/lib.sh
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "SKIP trace: GNU time (/usr/bin/time) is not installed"; exit 0; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/lunsim-trace-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
SIZES="100000 1000000 3000000 10000000"
[ "${1:-}" = --smoke ] && SIZES="1000 10000"

printf '%-10s %-9s %9s %12s %10s %8s\n' lines command wall_s peak_rss_kb ns_per_line rss_ratio
first_rss=""
for n in $SIZES; do
  # FILETIME stamps of 18 digits as the MSR files have (128166372003061629, ...), one per 100 us,
  # written as a fixed prefix and 11 digits (mawk's %d stops at 2^31 - 1; %.0f is exact here).
  awk -v n="$n" 'BEGIN {
    srand(1)
    for (i = 0; i < n; i++) {
      size = 4096 * (1 + int(rand() * 16)); off = int(rand() * 262128) * 4096
      printf "1281663%011.0f,hm,1,%s,%.0f,%d,100\n", 72003061629 + i * 1000, (rand() < 0.7 ? "Read" : "Write"), off, size
    }
  }' > "$TMP/hm_1.csv"
  horizon=$(awk -v n="$n" 'BEGIN { printf "%ds", n / 10000 + 10 }')
  cat > "$TMP/s.yaml" <<EOF
name: trace-bench
horizon: $horizon
metrics: {timeseries: false}
subsystems:
  - name: a
    enclosures:
      - {name: e, drives: {model: preset/ssd-nvme, count: 1}}
workload:
  - io: {name: msr, trace: hm_1.csv, format: msr, map: {hm_1: e/0}}
EOF
  for cmd in validate run; do
    rm -rf "$TMP/out"
    if [ $cmd = run ]; then
      $TIME -f "%e %M" -o "$TMP/time" "$LUNSIM" run "$TMP/s.yaml" -o "$TMP/out" -q
      replayed=$(sed -n 2p "$TMP/out/replays.csv" | cut -d, -f6)
      [ "$replayed" = "$n" ] || { echo "FAIL: $n lines, $replayed replayed"; exit 1; }
    else
      $TIME -f "%e %M" -o "$TMP/time" "$LUNSIM" validate "$TMP/s.yaml" > /dev/null
    fi
    read -r wall kb < "$TMP/time"
    [ $cmd = run ] && [ -z "$first_rss" ] && first_rss=$kb
    ratio=$([ $cmd = run ] && echo "$kb $first_rss" | awk '{printf "%.2f", $1 / $2}' || echo "-")
    printf '%-10s %-9s %9s %12s %10s %8s\n' "$n" "$cmd" "$wall" "$kb" \
      "$(echo "$wall $n" | awk '{printf "%.0f", $1 * 1e9 / $2}')" "$ratio"
  done
done
