#!/bin/sh
# lunsim's benchmarks side by side with the peers (issue 11), one table at the end:
#   workload, tool, median wall time, ratio to the baseline, peak RSS (and lunsim's in-process time)
#
#   drive-fifo  bench/drive-fifo.yaml (the whole framework: scenario, coroutine clients, drive
#               queues, every response time kept, all CSV files) against bench/peers: the
#               hand-written heap loop (the baseline), SimGrid (when libsimgrid-dev is
#               installed) and SimPy 2 (when python3 can import SimPy); at the default size
#               64 x 1024 x 200 and at 64 x 16384 x 1000. N paired runs each, alternating
#               (baseline, lunsim, peers, baseline, ...), medians of whole-process wall time
#               (GNU-time-like, measured here) and peak RSS (from the programs' own reports).
#               Mean response times must agree within 1 % (checked; ~81.0 ms at the default size).
#   hold        bench_hold at 10^3 and 10^6 pending events (engine path): ns/event and the ratio
#   scale       bench_scale: 10^6 drives, 10^5 LUNs: build time, bytes per idle drive, waves;
#               then the same world through the command (issue 24): bench/scale_scenario.py
#               writes it as YAML (100 x 400 x 25 drives, 2.5 MB) and as one enclosure of 10^6
#               drives; `lunsim validate` (also of one enclosure of 10^7 drives) and `lunsim run
#               -o DIR -q` with `metrics: {timeseries: false}` and with the default metrics (1 s
#               samples over the 1 h horizon), one run each under /usr/bin/time (wall s, peak
#               RSS), against bench_scale's build time and idle world (its bytes per idle drive x
#               the drives) for as many drives (ratios; the target is 2x). Smoke: 10^3 drives.
#   reliability bench_reliability (10^4 replications) and topology bench_topology, as before
#   replications  the `lunsim run` command itself on bench/reliability.yaml --summary-only -j 1
#               at R = 10^3, 10^4 and 10^5 (wall time per replication, peak RSS, simulated
#               drive-years per wall-second), each run next to a run of bench_reliability
#               --no-setup at the same R (its inner loop: Replicator::run + collect_metrics),
#               in ABBA order, N runs each, medians (~12 min for N = 3); and
#               scenarios/quickstart.yaml --summary-only -j 2 at R = 100 and 10^4 (peak RSS, one
#               run each: ~3 min at 10^4). The load averages before and after are printed: the
#               ratios only mean something on a quiet machine.
#   importance  bench/importance.sh: bench/raid6-rare.yaml (P(loss) 1.7e-8) with importance
#               sampling until the relative 95 % half-width is 10 %, on one core, against the
#               cost plain Monte Carlo would have for the same precision (from its variance)
#
# usage: bench/run.sh [N]            N paired runs per drive-fifo size (default 3)
#        bench/run.sh --smoke        tiny sizes, one run, no timing claims (ctest bench.run.smoke)
#        bench/run.sh --callgrind    instruction count of the default drive-fifo run (valgrind)
#        bench/run.sh --replications [N]   the replications section only (N runs, default 3)
#        bench/run.sh --scale [N]          the scale section only (N rounds, default 3; ~2 min)
# Builds lunsim in Release (build-release/) and the baseline with g++ -O2 (bench/peers/build/),
# unless LUNSIM_BIN_DIR names a build directory to take lunsim and the benches from (the smoke
# test uses the test build). Prints "SKIP <tool>: <why>" for a peer that is not installed.
set -eu
cd "$(dirname "$0")/.."

N=3
MODE=full
case "${1:-}" in
  --smoke) MODE=smoke; N=1 ;;
  --callgrind) MODE=callgrind ;;
  --replications) MODE=replications; N=${2:-3} ;;
  --scale) MODE=scale; N=${2:-3} ;;
  "") ;;
  *) N=$1 ;;
esac

. bench/lib.sh
PEERS=bench/peers/build
mkdir -p "$PEERS"
BASE=$PEERS/drive_fifo_baseline
if [ ! -x "$BASE" ] || [ bench/peers/drive_fifo_baseline.cpp -nt "$BASE" ]; then
  ${CXX:-g++} -std=c++17 -O2 -o "$BASE" bench/peers/drive_fifo_baseline.cpp
fi
SIMGRID=""
if [ -x "$PEERS/drive_fifo_simgrid" ]; then
  SIMGRID=$PEERS/drive_fifo_simgrid
elif ${CXX:-g++} -std=c++17 -O2 -o "$PEERS/drive_fifo_simgrid" bench/peers/drive_fifo_simgrid.cpp -lsimgrid 2>/dev/null; then
  SIMGRID=$PEERS/drive_fifo_simgrid
else
  echo "SKIP simgrid: libsimgrid-dev is not installed (apt-get install libsimgrid-dev)"
fi
SIMPY=""
if ${PYTHON:-python3} -c "import SimPy" 2>/dev/null; then
  SIMPY="${PYTHON:-python3} bench/peers/drive_fifo_simpy.py"
else
  echo "SKIP simpy: python3 cannot import SimPy (SimPy 2; see bench/peers/RESULTS.md)"
fi

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
now_ns() { date +%s%N; }
median() { sort -g | awk '{a[NR]=$1} END{if (NR) print a[int((NR+1)/2)]; else print "-"}'; }
field() { tr ' ' '\n' | sed -n "s/^$1=//p"; }  # key=value from a one-line report

if [ "$MODE" = callgrind ]; then
  command -v valgrind >/dev/null || { echo "valgrind is not installed (apt-get install valgrind)"; exit 2; }
  rm -rf "$TMP/run"
  valgrind --tool=callgrind --callgrind-out-file="$TMP/cg.out" "$LUNSIM" run bench/drive-fifo.yaml -o "$TMP/run" -q \
    2>&1 | sed -n 's/.*Collected : \([0-9]*\).*/drive-fifo 64x1024x200 lunsim instructions: \1/p'
  exit 0
fi

SIZES="1024:200 16384:1000"
[ "$MODE" = smoke ] && SIZES="64:20"
[ "$MODE" = replications ] && SIZES=""
[ "$MODE" = scale ] && SIZES=""
ROWS=$TMP/rows   # workload|tool|wall_med|ratio|rss_med_kb|inproc_med
: > "$ROWS"

for size in $SIZES; do
  C=${size%%:*}; R=${size##*:}
  W="drive-fifo 64x${C}x${R}"
  for t in base lunsim simgrid simpy; do : > "$TMP/$t.wall"; : > "$TMP/$t.rss"; : > "$TMP/$t.ms"; done
  : > "$TMP/lunsim.inproc"
  i=1
  while [ "$i" -le "$N" ]; do
    t0=$(now_ns); $BASE 64 "$C" "$R" 42 > "$TMP/out"; t1=$(now_ns)
    echo "$t0 $t1" | awk '{printf "%.3f\n", ($2-$1)/1e9}' >> "$TMP/base.wall"
    field peak_rss_kb < "$TMP/out" >> "$TMP/base.rss"
    field mean_resp_ms < "$TMP/out" >> "$TMP/base.ms"
    rm -rf "$TMP/run"
    t0=$(now_ns)
    "$LUNSIM" run bench/drive-fifo.yaml -o "$TMP/run" --set "workload.0.io.clients=$C" --set "workload.0.io.requests=$R" \
      > "$TMP/out"
    t1=$(now_ns)
    echo "$t0 $t1" | awk '{printf "%.3f\n", ($2-$1)/1e9}' >> "$TMP/lunsim.wall"
    sed -n 's/.*peak RSS *\([0-9]*\) kB.*/\1/p' "$TMP/out" >> "$TMP/lunsim.rss"
    sed -n 's/.*wall \([0-9.]*\) s.*/\1/p' "$TMP/out" >> "$TMP/lunsim.inproc"
    awk -F, '$1=="io.read.response"{printf "%.4f\n", $5*1000}' "$TMP/run/summary.csv" >> "$TMP/lunsim.ms"
    # The peers at the default size only (SimGrid takes ~57 s and SimPy minutes at the large one).
    if [ "$C" -le 1024 ]; then
      if [ -n "$SIMGRID" ]; then
        t0=$(now_ns); $SIMGRID 64 "$C" "$R" mutex 42 > "$TMP/out" 2>/dev/null; t1=$(now_ns)
        echo "$t0 $t1" | awk '{printf "%.3f\n", ($2-$1)/1e9}' >> "$TMP/simgrid.wall"
        tail -n 1 "$TMP/out" | field peak_rss_kb >> "$TMP/simgrid.rss"
      fi
      if [ -n "$SIMPY" ]; then
        t0=$(now_ns); $SIMPY 64 "$C" "$R" 42 > "$TMP/out" 2>/dev/null; t1=$(now_ns)
        echo "$t0 $t1" | awk '{printf "%.3f\n", ($2-$1)/1e9}' >> "$TMP/simpy.wall"
        tail -n 1 "$TMP/out" | field peak_rss_kb >> "$TMP/simpy.rss"
      fi
    fi
    i=$((i + 1))
  done
  base_ms=$(median < "$TMP/base.ms"); lunsim_ms=$(median < "$TMP/lunsim.ms")
  if [ "$MODE" = full ]; then
    echo "$base_ms $lunsim_ms" | awk '{d=($2-$1)/$1; if (d<0) d=-d; exit !(d < 0.01)}' \
      || { echo "FAIL: $W mean response $lunsim_ms ms differs from the baseline's $base_ms ms by 1 % or more"; exit 1; }
  fi
  bw=$(median < "$TMP/base.wall")
  for t in base lunsim simgrid simpy; do
    [ -s "$TMP/$t.wall" ] || continue
    w=$(median < "$TMP/$t.wall")
    ratio=$(echo "$w $bw" | awk '{printf "%.2f", $1/$2}')
    inproc="-"; [ "$t" = lunsim ] && inproc=$(median < "$TMP/lunsim.inproc")
    name=$t; [ "$t" = base ] && name=baseline
    echo "$W|$name|$w|$ratio|$(median < "$TMP/$t.rss")|$inproc" >> "$ROWS"
  done
  echo "$W: mean response baseline $base_ms ms, lunsim $lunsim_ms ms"
done

# Event cost: the hold model at 10^3 and 10^6 pending events (engine path).
if [ "$MODE" = replications ] || [ "$MODE" = scale ]; then
  :
elif [ "$MODE" = smoke ]; then
  "$BIN/bench/bench_hold" --smoke > "$TMP/hold.out"
else
  "$BIN/bench/bench_hold" --sizes 1000,1000000 --impl engine > "$TMP/hold.out"
fi
# Rows "N ev ev | engine queue heap | ratio ratio ratio": the engine's ns/event and ratio.
[ "$MODE" = replications ] || [ "$MODE" = scale ] || awk '$1 ~ /^[0-9]+$/ && $4 == "|" {printf "hold N=%s|lunsim engine|%s ns/event|%sx N=10^3|-|-\n", $1, $5, $9}' \
  "$TMP/hold.out" >> "$ROWS"

# Model scale: 10^6 drives, 10^5 LUNs, 10^4 failures (smoke: 10^3 drives); then the same world
# through the command (issue 24), against bench_scale's first build in its process (a command
# builds its world once, on memory the process has not touched yet: first touches are most of it,
# a second build in the same process takes a seventh of the time). N rounds, each bench_scale then
# every command once; medians, so that the ratios compare runs of the same minute.
if [ "$MODE" != replications ]; then
  if [ "$MODE" = smoke ]; then
    SCALE_ARGS=--smoke; BENCH_DRIVES=1000; SHAPES="4x10x25 1x1x1000"; HUGE=1x1x10000
  else
    SCALE_ARGS=""; BENCH_DRIVES=1000000; SHAPES="100x400x25 1x1x1000000"; HUGE=1x1x10000000
  fi
  TIMED=yes
  if [ ! -x /usr/bin/time ]; then
    echo "SKIP scale: validate/run: /usr/bin/time is not installed (apt-get install time)"
    TIMED=""
  fi
  # scenario SxExD [off]: bench/scale_scenario.py's file of that shape (off: no time series).
  scenario() {
    f=$TMP/scale-$1${2:+-$2}.yaml
    S=${1%%x*}; rest=${1#*x}; E=${rest%%x*}; D=${rest#*x}
    [ -f "$f" ] || ${PYTHON:-python3} bench/scale_scenario.py --subsystems "$S" --enclosures "$E" --drives "$D" \
      --timeseries "${2:-on}" -o "$f"
    echo "$f"
  }
  # timed KEY COMMAND...: one run under /usr/bin/time, "wall kB" appended to $TMP/scale.KEY.
  timed() {
    k=$1; shift
    rm -rf "$TMP/scale-run"
    /usr/bin/time -f "%e %M" -o "$TMP/time" "$@" < /dev/null > /dev/null 2> "$TMP/err" \
      || { echo "FAIL: scale: $*"; cat "$TMP/err"; exit 1; }
    cat "$TMP/time" >> "$TMP/scale.$k"
  }
  # The commands: key|workload|tool|drives|arguments (the scenario file last but options).
  : > "$TMP/scale.cmds"
  for shape in $SHAPES; do
    drives=$(echo "$shape" | awk -Fx '{print $1 * $2 * $3}')
    on=$(scenario "$shape"); off=$(scenario "$shape" off)
    echo "v$shape|scale: validate $shape|validate|$drives|validate $off" >> "$TMP/scale.cmds"
    echo "r$shape|scale: run $shape|run, timeseries off|$drives|run $off -o $TMP/scale-run -q" >> "$TMP/scale.cmds"
    echo "s$shape|scale: run $shape|run, 1 s series|$drives|run $on -o $TMP/scale-run -q" >> "$TMP/scale.cmds"
  done
  # Its run would need ~8 GB: validate checks the memory budget, which is not what is measured.
  drives=$(echo "$HUGE" | awk -Fx '{print $1 * $2 * $3}')
  echo "v$HUGE|scale: validate $HUGE|validate|$drives|validate $(scenario "$HUGE" off) --max-memory unlimited" >> "$TMP/scale.cmds"

  for f in build_s rss_per_idle_drive_b peak_rss_kb provisioning_s failure_wave_s; do : > "$TMP/scale.$f"; done
  i=1
  while [ "$i" -le "$N" ]; do
    # shellcheck disable=SC2086  # SCALE_ARGS is one option or none
    "$BIN/bench/bench_scale" $SCALE_ARGS > "$TMP/scale.out"
    s=$(tail -n 1 "$TMP/scale.out")
    for f in build_s rss_per_idle_drive_b peak_rss_kb provisioning_s failure_wave_s; do
      echo "$s" | field "$f" >> "$TMP/scale.$f"
    done
    if [ -n "$TIMED" ]; then
      while IFS='|' read -r k w t n args; do
        # shellcheck disable=SC2086  # the arguments are words without blanks
        timed "$k" "$LUNSIM" $args
      done < "$TMP/scale.cmds"
    fi
    i=$((i + 1))
  done
  build_s=$(median < "$TMP/scale.build_s")
  idle_b=$(median < "$TMP/scale.rss_per_idle_drive_b")
  echo "scale: build|lunsim|$build_s s|$idle_b B/idle drive|$(median < "$TMP/scale.peak_rss_kb")|-" >> "$ROWS"
  echo "scale: provisioning|lunsim|$(median < "$TMP/scale.provisioning_s") s|-|-|-" >> "$ROWS"
  echo "scale: failure wave|lunsim|$(median < "$TMP/scale.failure_wave_s") s|-|-|-" >> "$ROWS"
  # One row per command: median wall and peak RSS, the ratios to bench_scale's median build time
  # and idle world (bytes per idle drive x the drives), scaled to as many drives (target: 2x).
  if [ -n "$TIMED" ]; then
    while IFS='|' read -r k w t n args; do
      wall=$(cut -d' ' -f1 < "$TMP/scale.$k" | median)
      kb=$(cut -d' ' -f2 < "$TMP/scale.$k" | median)
      echo "$wall $kb $n $BENCH_DRIVES $build_s $idle_b" | awk -v w="$w" -v t="$t" '{
        build = $5 * $3 / $4; world = $6 * $3
        r = build > 0 ? sprintf("%.2fx build", $1 / build) : "-"
        m = world > 0 ? sprintf(" (%.2fx idle world)", $2 * 1024 / world) : ""
        printf "%s|%s|%s s|%s|%s%s|-\n", w, t, $1, r, $2, m
      }' >> "$ROWS"
    done < "$TMP/scale.cmds"
  fi
  rm -rf "$TMP/scale-run" "$TMP"/scale-*.yaml
fi
if [ "$MODE" != replications ] && [ "$MODE" != scale ]; then
  # Reliability Monte Carlo (issue 7) and the topology graph (issue 8), their own reports.
  if [ "$MODE" = smoke ]; then
    "$BIN/bench/bench_reliability" --smoke --scenario bench/reliability.yaml > /dev/null
    "$BIN/bench/bench_topology" --smoke > /dev/null
  else
    "$BIN/bench/bench_reliability" --reps 10000
    "$BIN/bench/bench_topology"
  fi
fi

print_rows() {
  echo
  printf '%-26s %-22s %16s %18s %14s %12s\n' workload tool median_wall ratio_to_baseline peak_rss_kb lunsim_inproc
  while IFS='|' read -r w t wall ratio rss inproc; do
    printf '%-26s %-22s %16s %18s %14s %12s\n' "$w" "$t" "$wall" "$ratio" "$rss" "$inproc"
  done < "$ROWS"
}
if [ "$MODE" = scale ]; then
  print_rows
  echo "(scale: medians of $N rounds; load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?"))"
  exit 0
fi

# Replications (issue 19): the `lunsim run` command itself. bench/reliability.yaml: 1,000 data
# drives x 10 y = 10^4 drive-years per replication.
if [ "$MODE" = smoke ]; then
  REPS="20 40"; QUICK="4 8"
else
  REPS="1000 10000 100000"; QUICK="100 10000"
fi
load_before=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")
for R in $REPS; do : > "$TMP/rep$R.wall"; : > "$TMP/rep$R.rss"; : > "$TMP/inner$R.dys"; done
# cmd R: one `lunsim run --replications R --summary-only -j 1`: its wall seconds and peak RSS.
cmd() {
  rm -rf "$TMP/rep"
  t0=$(now_ns)
  "$LUNSIM" run bench/reliability.yaml --replications "$1" --summary-only -j 1 -o "$TMP/rep" > "$TMP/out"
  t1=$(now_ns)
  echo "$t0 $t1" | awk '{printf "%.3f\n", ($2-$1)/1e9}' >> "$TMP/rep$1.wall"
  sed -n 's/.*peak RSS *\([0-9]*\) kB.*/\1/p' "$TMP/out" >> "$TMP/rep$1.rss"
}
# inner R: bench_reliability's inner loop at R replications, its figure filed under R.
inner() {
  "$BIN/bench/bench_reliability" --reps "$1" --no-setup --scenario bench/reliability.yaml > "$TMP/out"
  tail -n 1 "$TMP/out" | field drive_years_per_s_per_core >> "$TMP/inner$1.dys"
}
i=1
while [ "$i" -le "$N" ]; do
  # Each command run next to an inner-loop run (the machine is shared: its speed drifts), ABBA.
  for R in $REPS; do
    if [ $((i % 2)) -eq 1 ]; then inner "$R"; cmd "$R"; else cmd "$R"; inner "$R"; fi
  done
  i=$((i + 1))
done
first=${REPS%% *}
first_per=$(median < "$TMP/rep$first.wall" | awk -v r="$first" '{print $1 / r}')
first_rss=$(median < "$TMP/rep$first.rss")
REPROWS=$TMP/reprows   # what|command|wall|drive-years/s (ratio to the inner loop)|per-rep ratio|peak RSS kB (ratio)
: > "$REPROWS"
for R in $REPS; do
  w=$(median < "$TMP/rep$R.wall")
  per=$(echo "$w $R" | awk '{printf "%.4f", 1e3 * $1 / $2}')
  dys=$(echo "$w $R" | awk '{printf "%.4g", $2 * 1e4 / $1}')
  inner_dys=$(median < "$TMP/inner$R.dys")
  rss=$(median < "$TMP/rep$R.rss")
  echo "inner loop R=$R|bench_reliability --no-setup|-|$(echo "$inner_dys" | awk '{printf "%.4g", $1}')|-|-" >> "$REPROWS"
  echo "reliability R=$R|run -j 1 --summary-only|$w s ($per ms/rep)|$dys ($(echo "$dys $inner_dys" | awk '{printf "%.3f", $1 / $2}'))|$(echo "$per $first_per" | awk '{printf "%.3f", $1 / (1e3 * $2)}')|$rss ($(echo "$rss $first_rss" | awk '{printf "%.3f", $1 / $2}'))" >> "$REPROWS"
done
for R in $QUICK; do
  rm -rf "$TMP/rep"
  t0=$(now_ns)
  "$LUNSIM" run scenarios/quickstart.yaml --replications "$R" --summary-only -j 2 -o "$TMP/rep" > "$TMP/out"
  t1=$(now_ns)
  echo "$R $(echo "$t0 $t1" | awk '{printf "%.1f", ($2-$1)/1e9}') $(sed -n 's/.*peak RSS *\([0-9]*\) kB.*/\1/p' "$TMP/out")" >> "$TMP/quick"
done
q0=$(head -n 1 "$TMP/quick" | cut -d' ' -f3)
while read -r R w rss; do
  echo "quickstart R=$R|run -j 2 --summary-only|$w s|-|-|$rss ($(echo "$rss $q0" | awk '{printf "%.3f", $1 / $2}'))" >> "$REPROWS"
done < "$TMP/quick"

print_rows
echo
echo "replications (issue 19): medians of $N runs; in brackets the ratio to the inner loop run next to it (drive-years/s), to R=$first (time per replication, peak RSS); load average before $load_before, after $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")"
printf '%-22s %-26s %-26s %-26s %-10s %s\n' what command wall drive_years_per_s per_rep peak_rss_kb
while IFS='|' read -r a b c d e f; do
  printf '%-22s %-26s %-26s %-26s %-10s %s\n' "$a" "$b" "$c" "$d" "$e" "$f"
done < "$REPROWS"
echo
echo "importance sampling (issue 20): bench/importance.sh"
if [ "$MODE" = smoke ]; then
  LUNSIM_BIN_DIR=$BIN sh bench/importance.sh --smoke
else
  LUNSIM_BIN_DIR=$BIN sh bench/importance.sh
fi
[ "$MODE" = smoke ] && echo "(smoke: tiny sizes, one run; no timing claims)"
exit 0
