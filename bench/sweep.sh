#!/bin/sh
# Sweep benchmark (bench/README.md, "bench/sweep.sh"): tasks/s and parallel efficiency of `lunsim sweep` on 1 and 2
# threads and on 1 and 2 MPI ranks, and the MPI path's overhead per task, on a reliability grid
# whose tasks take about a millisecond each (bench/reliability.yaml: 1,000 drives, 10 years).
#
#   bench/sweep.sh [LUNSIM] [REPLICATIONS]
#
# LUNSIM defaults to build-release/lunsim (./dev.sh bench builds it; a Release build with MPI).
# The grid is 2 AFRs x 2 replacement delays, REPLICATIONS (default 1000: 4,000 tasks, a few seconds
# per configuration, long enough to measure on a noisy machine) per point. Each
# configuration runs 3 times; the median wall time counts. A configuration's "compute" time is
# its wall time minus that of the same command with one task (start-up: loading and checking
# the grid, and for MPI the launch, MPI_Init and MPI_Finalize), so the MPI overhead compares
# the task farm with the threads, not mpirun's start-up. Every run's sweep.csv must be
# byte-identical (the script fails otherwise).
set -eu
cd "$(dirname "$0")/.."
LUNSIM=${1:-build-release/lunsim}
REPS=${2:-1000}
[ -x "$LUNSIM" ] || { echo "sweep.sh: '$LUNSIM' is not an executable (run ./dev.sh bench first)" >&2; exit 2; }
command -v mpirun >/dev/null 2>&1 || { echo "sweep.sh: mpirun not found (apt-get install openmpi-bin)" >&2; exit 2; }
MPIRUN="mpirun --allow-run-as-root --oversubscribe"
SCENARIO=bench/reliability.yaml
GRID1='failures.lifetime={afr: 1%},{afr: 2%}'
GRID2='repair.replace_after=24h,72h'
TASKS=$((4 * REPS))

tmp=$(mktemp -d "${TMPDIR:-/tmp}/lunsim-sweep-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# wall PREFIX... -- ARGS...: median of 3 wall times (seconds) of PREFIX lunsim sweep ARGS -o NEW
wall() {
  prefix=""
  while [ "$1" != "--" ]; do prefix="$prefix $1"; shift; done
  shift
  for i in 1 2 3; do
    out=$(mktemp -d -u "$tmp/out.XXXXXX")
    t0=$(date +%s.%N)
    $prefix "$LUNSIM" sweep "$SCENARIO" -q -o "$out" "$@" >/dev/null
    t1=$(date +%s.%N)
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f\n", b - a }'
  done | sort -n | sed -n 2p
}

full() { wall "$@" --grid "$GRID1" --grid "$GRID2" --replications "$REPS"; }
one() { wall "$@" --grid 'repair.replace_after=72h' --replications 1; }

j1=$(full -- -j 1);               j1b=$(one -- -j 1)
j2=$(full -- -j 2);               j2b=$(one -- -j 2)
m1=$(full $MPIRUN -np 1 -- -j 1); m1b=$(one $MPIRUN -np 1 -- -j 1)
m2=$(full $MPIRUN -np 2 -- -j 1); m2b=$(one $MPIRUN -np 2 -- -j 1)

# Every full run wrote the same sweep.csv.
first=""
for d in "$tmp"/out*; do
  [ "$(wc -l <"$d/sweep.csv")" -eq 5 ] || continue
  if [ -z "$first" ]; then first=$d/sweep.csv; continue; fi
  cmp -s "$first" "$d/sweep.csv" || { echo "sweep.sh: $d/sweep.csv differs from $first" >&2; exit 1; }
done

echo "lunsim sweep $SCENARIO: 4 points x $REPS replications = $TASKS tasks ($(nproc) cores)"
printf '%-22s %9s %9s %9s %10s %11s\n' configuration wall_s startup_s compute_s tasks/s efficiency
row() { # row NAME WALL BASE WORKERS
  awk -v name="$1" -v w="$2" -v b="$3" -v k="$4" -v tasks="$TASKS" -v ref="$j1" -v refb="$j1b" 'BEGIN {
    c = w - b; r = tasks / c; r1 = tasks / (ref - refb)
    printf "%-22s %9.3f %9.3f %9.3f %10.1f %10.1f%%\n", name, w, b, c, r, 100 * r / (k * r1) }'
}
row "threads -j 1" "$j1" "$j1b" 1
row "threads -j 2" "$j2" "$j2b" 2
row "mpirun -np 1 (-j 1)" "$m1" "$m1b" 1
row "mpirun -np 2 (-j 1)" "$m2" "$m2b" 2
awk -v j1="$j1" -v j1b="$j1b" -v j2="$j2" -v j2b="$j2b" -v m1="$m1" -v m1b="$m1b" -v m2="$m2" -v m2b="$m2b" \
    -v tasks="$TASKS" 'BEGIN {
  task = (j1 - j1b) / tasks
  printf "task time (one thread): %.3f ms\n", 1000 * task
  t = j1 - j1b; m = m1 - m1b
  printf "MPI path overhead at 1 worker:  %+.1f%% of the threads time (%+.1f us per task of worker time)\n",
         100 * (m / t - 1), 1e6 * (m - t) / tasks
  t = j2 - j2b; m = m2 - m2b
  printf "MPI path overhead at 2 workers: %+.1f%% of the threads time (%+.1f us per task of worker time)\n",
         100 * (m / t - 1), 1e6 * 2 * (m - t) / tasks }'
