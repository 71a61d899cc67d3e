#!/bin/sh
# drive-fifo side by side: lunsim (bench/drive-fifo.yaml, the whole framework: processes,
# async I/O, metrics, CSV output) against the hand-written heap loop of bench/peers, at the
# default size (64 drives x 1024 clients x 200 requests) and at 64 x 16384 x 1000.
#
# usage: bench/run.sh [N]        N paired runs per size (default 3): baseline, lunsim, baseline, ...
#        bench/run.sh --smoke    one tiny pair, no timing claims (CI)
#
# Prints, per size: each pair's whole-process wall times, the median lunsim/baseline ratio,
# lunsim's in-process wall time, peak RSS (kB) of both, and both mean response times (which
# must agree within 1 %; ~81.0 ms at the default size, see bench/peers/RESULTS.md).
# Builds lunsim in Release (build-release/) and the baseline with g++ -O2 (bench/peers/build/).
set -eu
cd "$(dirname "$0")/.."

N=3
SIZES="1024:200 16384:1000"
if [ "${1:-}" = "--smoke" ]; then N=1; SIZES="64:20"; elif [ $# -gt 0 ]; then N=$1; fi

cmake --workflow --preset release >/dev/null
mkdir -p bench/peers/build
if [ ! -x bench/peers/build/drive_fifo_baseline ] || [ bench/peers/drive_fifo_baseline.cpp -nt bench/peers/build/drive_fifo_baseline ]; then
  g++ -std=c++17 -O2 -o bench/peers/build/drive_fifo_baseline bench/peers/drive_fifo_baseline.cpp
fi
LUNSIM=build-release/lunsim
BASE=bench/peers/build/drive_fifo_baseline
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

now_ns() { date +%s%N; }
median() { sort -g | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
field() { tr ' ' '\n' | sed -n "s/^$1=//p"; }   # key=value from a one-line report

printf '%-22s %-5s %12s %12s %8s %12s %12s %12s %10s %10s\n' workload pair base_wall_s lunsim_wall_s ratio \
  lunsim_inproc base_rss_kb lunsim_rss_kb base_ms lunsim_ms
for size in $SIZES; do
  C=${size%%:*}; R=${size##*:}
  : > "$TMP/ratios"
  i=1
  while [ "$i" -le "$N" ]; do
    t0=$(now_ns); $BASE 64 "$C" "$R" 42 > "$TMP/base.out"; t1=$(now_ns)
    rm -rf "$TMP/run"
    t2=$(now_ns)
    $LUNSIM run bench/drive-fifo.yaml -o "$TMP/run" --set "workload.0.io.clients=$C" --set "workload.0.io.requests=$R" \
      > "$TMP/lunsim.out"
    t3=$(now_ns)
    bw=$(echo "$t0 $t1" | awk '{printf "%.3f", ($2-$1)/1e9}')
    lw=$(echo "$t2 $t3" | awk '{printf "%.3f", ($2-$1)/1e9}')
    ratio=$(echo "$bw $lw" | awk '{printf "%.2f", $2/$1}')
    echo "$ratio" >> "$TMP/ratios"
    base_ms=$(field mean_resp_ms < "$TMP/base.out")
    base_rss=$(field peak_rss_kb < "$TMP/base.out")
    lunsim_ms=$(awk -F, '$1=="io.read.response"{printf "%.4f", $5*1000}' "$TMP/run/summary.csv")
    inproc=$(sed -n 's/.*wall \([0-9.]*\) s.*/\1/p' "$TMP/lunsim.out")
    rss=$(sed -n 's/.*peak RSS *\([0-9]*\) kB.*/\1/p' "$TMP/lunsim.out")
    printf '%-22s %-5s %12s %12s %8s %12s %12s %12s %10s %10s\n' "drive-fifo 64x${C}x${R}" "$i" "$bw" "$lw" "$ratio" \
      "$inproc" "$base_rss" "$rss" "$base_ms" "$lunsim_ms"
    i=$((i + 1))
  done
  printf '%-22s median lunsim/baseline wall ratio: %s\n' "drive-fifo 64x${C}x${R}" "$(median < "$TMP/ratios")"
done

# Reliability Monte Carlo (issue 7): 10^4 replications of bench/reliability.yaml on one thread.
if [ "${1:-}" = "--smoke" ]; then
  build-release/bench/bench_reliability --smoke
else
  build-release/bench/bench_reliability --reps 10000
fi

# Topology graph (issue 8): 10^5 drives in 4,000 enclosures, graph build and path queries after a change.
if [ "${1:-}" = "--smoke" ]; then
  build-release/bench/bench_topology --smoke
else
  build-release/bench/bench_topology
fi
