#!/bin/sh
# End-to-end tests of `lunsim sweep` (README, "Sweeps") on tests/cli/sweep/small.yaml: the same
# bytes for any thread count and for MPI ranks, a point equal to `lunsim run` of its values,
# Ctrl-C and --resume, bad input.
#
#   tests/cli/sweep.sh TEST LUNSIM SOURCE_DIR [MPIEXEC]
#
# Runs one test (the names below; tests/cli/CMakeLists.txt registers each as its own ctest test)
# in a fresh temporary directory that is removed afterwards. Exit status 0: passed; 1: failed
# (the reason is on stderr, with the output of the lunsim command concerned). POSIX sh + coreutils.
set -u

if [ $# -lt 3 ]; then
  echo "usage: $0 TEST LUNSIM SOURCE_DIR [MPIEXEC]" >&2
  exit 2
fi
TEST=$1
LUNSIM=$2
SRC=$3
MPIEXEC=${4:-}
case $LUNSIM in /*) ;; *) LUNSIM=$(pwd)/$LUNSIM ;; esac
[ -x "$LUNSIM" ] || { echo "sweep: '$LUNSIM' is not an executable" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/lunsim-sweep.XXXXXX") || exit 1
cap=$tmp/.captured
mkdir "$cap" "$tmp/w" || exit 1
work=$tmp/w
cleanup() { rm -rf "$tmp"; }
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
cp "$SRC/tests/cli/sweep/small.yaml" "$work/s.yaml" || exit 1

. "$(dirname "$0")/lib.sh"  # fail, lun, show_last, expect_rc

stderr_has() { # stderr_has TEXT WHAT
  grep -qF -- "$1" "$cap/stderr" || { show_last; fail "$2: stderr lacks '$1'"; }
}

same_dirs() { # same_dirs A B WHAT
  diff -r "$work/$1" "$work/$2" >"$cap/diff" 2>&1 || { head -c 3000 "$cap/diff" >&2; fail "$3: $1 and $2 differ"; }
}

# The grid of most tests: 2 (section) x 2 (--grid) points, 8 replications each.
GRID="repair.replace_after=30d,7d"

# The value of KEY in the meta.csv of directory $1.
meta_value() { awk -F, -v k="$2" '$1 == k { print $2 }' "$work/$1/meta.csv"; }

# A field of summary.csv (dir $1) for metric $2, column name $3.
summary_field() {
  awk -F, -v m="$2" -v c="$3" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) col = i; next }
    $1 == m { print $col }' "$work/$1/summary.csv"
}

# A field of points.csv (dir $1) for point $2, metric $3, column name $4 (the metric column is found
# from the header; values of the tests' grid hold no quoted commas at the columns read).
point_field() {
  awk -v p="$2" -v m="$3" -v c="$4" '
    function split_csv(line, out,   n, f, q, ch, i) {
      n = 0; f = ""; q = 0
      for (i = 1; i <= length(line); i++) {
        ch = substr(line, i, 1)
        if (q) { if (ch == "\"") { if (substr(line, i + 1, 1) == "\"") { f = f "\""; i++ } else q = 0 } else f = f ch }
        else if (ch == "\"") q = 1
        else if (ch == ",") { out[++n] = f; f = "" }
        else f = f ch
      }
      out[++n] = f
      return n
    }
    NR == 1 { n = split_csv($0, h); for (i = 1; i <= n; i++) { if (h[i] == c) col = i; if (h[i] == "metric") mc = i }; next }
    { split_csv($0, r); if (r[1] == p && r[mc] == m) print r[col] }' "$work/$1/points.csv"
}

test_threads() {
  lun sweep s.yaml --grid "$GRID" -o j1 -j 1
  expect_rc 0 "sweep -j 1"
  [ -s "$cap/stderr" ] && { show_last; fail "sweep wrote on stderr, which is not a terminal"; }
  lun sweep s.yaml --grid "$GRID" -o j2 -j 2 -q
  expect_rc 0 "sweep -j 2"
  [ -s "$cap/stdout" ] && { show_last; fail "sweep -q printed something"; }
  same_dirs j1 j2 "-j 1 and -j 2"
  lun sweep s.yaml --grid "$GRID" -o j3 -j 3 -q --independent
  expect_rc 0 "sweep --independent -j 3"
  lun sweep s.yaml --grid "$GRID" -o j1i -j 1 -q --independent
  same_dirs j1i j3 "--independent -j 1 and -j 3"
  # The layout: meta.csv, points.csv, sweep.csv; one row per point in row-major order.
  ls -A "$work/j1" | tr '\n' ' ' | grep -qx 'meta.csv points.csv sweep.csv ' || fail "unexpected files: $(ls -A "$work/j1")"
  [ "$(meta_value j1 status)" = complete ] || fail "meta.csv status is not complete"
  [ "$(meta_value j1 points)" = 4 ] || fail "meta.csv points is not 4"
  head -n 1 "$work/j1/sweep.csv" | grep -q '^point,point_seed,failures.lifetime,repair.replace_after,op.create_lun.latency.mean,op.create_lun.latency.ci95_low,op.create_lun.latency.ci95_high,' ||
    fail "sweep.csv header: $(head -n 1 "$work/j1/sweep.csv")"
  [ "$(($(wc -l <"$work/j1/sweep.csv") - 1))" -eq 4 ] || fail "sweep.csv does not have 4 rows"
  cut -c1-40 "$work/j1/sweep.csv" | sed -n '2,5p' >"$cap/rows"
  printf '%s\n' '0,7,{afr: 30%},30d,0,0,0,0,0,0,0.875,0.1' '1,7,{afr: 30%},7d,0,0,0,0,0,0,0.375,-0.0' \
    '2,7,"{dist: exponential, mean: 20000h}",' '3,7,"{dist: exponential, mean: 20000h}",' >"$cap/want"
  cmp -s "$cap/rows" "$cap/want" || { diff "$cap/want" "$cap/rows" >&2; fail "sweep.csv rows are not the points in row-major order"; }
  # Common random numbers: every point runs with the scenario seed; independent seeds differ.
  [ "$(awk -F, 'NR > 1 { print $2 }' "$work/j1/sweep.csv" | sort -u)" = 7 ] || fail "common seeds: point_seed is not 7 everywhere"
  [ "$(awk -F, 'NR > 1 { print $2 }' "$work/j1i/sweep.csv" | sort -u | wc -l)" -eq 4 ] || fail "independent seeds are not 4 different seeds"
}

# A point equals `lunsim run` with its values as --set: its run directory (--keep-runs) has the same
# bytes (wall time aside), and its sweep rows have the run's numbers.
test_point_equals_run() {
  lun sweep s.yaml --grid "$GRID" -o sw -j 2 -q --keep-runs
  expect_rc 0 "sweep --keep-runs"
  [ -d "$work/sw/point-004" ] || fail "no point-004 directory"
  lun run s.yaml --set 'failures.lifetime={afr: 30%}' --set repair.replace_after=7d --replications 8 --summary-only -o run1 -q
  expect_rc 0 "run of point 1"
  for f in summary.csv replications.csv reliability.csv; do
    cmp -s "$work/run1/$f" "$work/sw/point-002/$f" || fail "point-002/$f differs from run's"
  done
  grep -v '^wall_time_s,' "$work/run1/meta.csv" >"$cap/a"
  grep -v '^wall_time_s,' "$work/sw/point-002/meta.csv" >"$cap/b"
  cmp -s "$cap/a" "$cap/b" || { diff "$cap/a" "$cap/b" >&2; fail "point-002/meta.csv differs from run's"; }
  # Cross-replication reliability rows: the same numbers, bit for bit.
  for m in reliability.p_loss reliability.p_group_loss reliability.loss_events_per_1000_groups reliability.mttdl \
           reliability.mttdl_lower95; do
    for c in n mean ci95_low ci95_high; do
      a=$(summary_field run1 "$m" "$c")
      b=$(point_field sw 1 "$m" "$c")
      [ -n "$a$b" ] || [ "$m" = reliability.mttdl_lower95 ] || fail "$m: no $c"
      [ "$a" = "$b" ] || fail "$m $c: run $a, sweep $b"
    done
  done
  # One value per replication: the same mean and t interval, bit for bit.
  for m in reliability.losses reliability.drive_failures reliability.rebuilds reliability.nomdl; do
    for c in mean ci95_low ci95_high; do
      a=$(summary_field run1 "$m" "$c")
      b=$(point_field sw 1 "$m" "$c")
      [ "$a" = "$b" ] || fail "$m $c: run $a, sweep $b"
    done
  done
  # Without --keep-runs the sweep's own files are the same.
  lun sweep s.yaml --grid "$GRID" -o plain -j 1 -q
  for f in points.csv sweep.csv; do cmp -s "$work/plain/$f" "$work/sw/$f" || fail "$f differs with --keep-runs"; done
  # Independent seeds: point 3 equals run --seed <its point_seed>.
  lun sweep s.yaml --grid "$GRID" -o ind -j 2 -q --keep-runs --independent
  expect_rc 0 "sweep --independent --keep-runs"
  seed=$(point_field ind 3 reliability.p_loss point_seed)
  [ -n "$seed" ] && [ "$seed" != 7 ] || fail "independent point 3 has seed '$seed'"
  lun run s.yaml --seed "$seed" --set 'failures.lifetime={dist: exponential, mean: 20000h}' --set repair.replace_after=7d \
    --replications 8 --summary-only -o run3 -q
  expect_rc 0 "run of independent point 3"
  cmp -s "$work/run3/summary.csv" "$work/ind/point-004/summary.csv" || fail "independent point 3 differs from run --seed $seed"
}

# --interrupt-after K behaves as Ctrl-C after K points: the finished points are written, the output is
# marked incomplete, and --resume finishes it with the bytes of an uninterrupted sweep.
test_interrupt_resume() {
  lun sweep s.yaml --grid "$GRID" -o whole -j 2 -q --keep-runs
  expect_rc 0 "uninterrupted sweep"
  lun sweep s.yaml --grid "$GRID" -o part -j 2 -q --keep-runs --interrupt-after 1
  expect_rc 130 "interrupted sweep"
  stderr_has "is marked incomplete" "interrupted sweep"
  [ -f "$work/part/INCOMPLETE" ] || fail "no INCOMPLETE marker"
  [ -f "$work/part/sweep.csv" ] && fail "an interrupted sweep wrote sweep.csv"
  [ "$(meta_value part status)" = incomplete ] || fail "meta.csv status is not incomplete"
  [ "$(meta_value part points_done)" = 1 ] || fail "points_done is not 1"
  [ "$(awk -F, 'NR > 1 { print $1 }' "$work/part/points.csv" | sort -u)" = 0 ] || fail "points.csv holds more than point 0"
  [ -d "$work/part/point-001" ] && [ ! -d "$work/part/point-002" ] || fail "the point directories are not point-001 only"
  # Resume once more interrupted, then to the end.
  # (-o with a trailing slash names the same directory: the resumed sweep swaps in beside it.)
  lun sweep s.yaml --grid "$GRID" -o part/ -j 1 -q --keep-runs --resume --interrupt-after 2
  expect_rc 130 "second interrupted sweep"
  [ "$(meta_value part points_done)" = 3 ] || fail "points_done is not 3 after the second part"
  lun sweep s.yaml --grid "$GRID" -o part -j 2 --keep-runs --resume
  expect_rc 0 "resumed sweep"
  grep -q "resumed        1 point(s) run now" "$cap/stdout" || { show_last; fail "the resume did not run exactly the last point"; }
  for d in point-001 point-002 point-003 point-004; do
    grep -v '^wall_time_s,' "$work/part/$d/meta.csv" >"$work/part/$d/meta.tmp" && mv "$work/part/$d/meta.tmp" "$work/part/$d/meta.csv"
    grep -v '^wall_time_s,' "$work/whole/$d/meta.csv" >"$work/whole/$d/meta.tmp" && mv "$work/whole/$d/meta.tmp" "$work/whole/$d/meta.csv"
  done
  same_dirs whole part "resumed and uninterrupted sweeps"
  ls -A "$work" | grep -q '^\.' && fail "temporary directories left behind: $(ls -A "$work")"
  return 0
}

# A real SIGINT: the sweep stops, writes its finished points and is marked incomplete (or it had
# already finished); --resume gives the bytes of an uninterrupted sweep.
test_sigint() {
  lun sweep s.yaml --grid 'repair.replace_after=30d,7d,1d,2d,3d,4d,5d,6d' --replications 200 -o whole -j 1 -q
  expect_rc 0 "uninterrupted sweep"
  (cd "$work" && exec "$LUNSIM" sweep s.yaml --grid 'repair.replace_after=30d,7d,1d,2d,3d,4d,5d,6d' --replications 200 \
     -o part -j 1 -q </dev/null >"$cap/stdout" 2>"$cap/stderr") &
  pid=$!
  i=0
  while [ $i -lt 200 ]; do  # wait (at most 20 s) for the first finished point
    n=$(cat "$work"/.part.partial-*/points.csv 2>/dev/null | wc -l)
    [ "$n" -gt 20 ] && break
    sleep 0.1
    i=$((i + 1))
  done
  kill -INT "$pid" 2>/dev/null
  wait "$pid"
  rc=$?
  last_cmd="lunsim sweep ... -o part (SIGINT)"
  if [ "$rc" -eq 130 ]; then
    [ -f "$work/part/INCOMPLETE" ] || fail "interrupted without the INCOMPLETE marker"
    [ -f "$work/part/sweep.csv" ] && fail "an interrupted sweep wrote sweep.csv"
    lun sweep s.yaml --grid 'repair.replace_after=30d,7d,1d,2d,3d,4d,5d,6d' --replications 200 -o part -j 2 -q --resume
    expect_rc 0 "resumed sweep"
  else
    expect_rc 0 "sweep that finished before the signal"
  fi
  same_dirs whole part "resumed and uninterrupted sweeps"
}

test_mpi() {
  [ -n "$MPIEXEC" ] || fail "no mpiexec given"
  lun sweep s.yaml --grid "$GRID" -o single -j 1 -q
  expect_rc 0 "single-process sweep"
  last_cmd="mpiexec -np 2 lunsim sweep"
  (cd "$work" && "$MPIEXEC" --allow-run-as-root --oversubscribe -np 2 "$LUNSIM" sweep s.yaml --grid "$GRID" -o ranks2 -q \
     </dev/null >"$cap/stdout" 2>"$cap/stderr")
  rc=$?
  expect_rc 0 "mpiexec -np 2 lunsim sweep"
  same_dirs single ranks2 "one process and 2 MPI ranks"
  (cd "$work" && "$MPIEXEC" --allow-run-as-root --oversubscribe -np 3 "$LUNSIM" sweep s.yaml --grid "$GRID" -o ranks3 -q -j 2 \
     --independent </dev/null >"$cap/stdout" 2>"$cap/stderr")
  rc=$?
  expect_rc 0 "mpiexec -np 3 lunsim sweep -j 2 --independent"
  lun sweep s.yaml --grid "$GRID" -o single_ind -j 1 -q --independent
  same_dirs single_ind ranks3 "one process and 3 MPI ranks of 2 threads"
  # Importance-sampled replications carry their weights from the worker ranks: the same bytes.
  { cat "$work/s.yaml"; echo "reliability: {method: importance_sampling, bias: 0.4}"; } >"$work/is.yaml"
  lun sweep is.yaml --grid "$GRID" -o is_single -j 1 -q
  expect_rc 0 "single-process importance-sampled sweep"
  last_cmd="mpiexec -np 2 lunsim sweep is.yaml"
  (cd "$work" && "$MPIEXEC" --allow-run-as-root --oversubscribe -np 2 "$LUNSIM" sweep is.yaml --grid "$GRID" -o is_ranks2 \
     -q </dev/null >"$cap/stdout" 2>"$cap/stderr")
  rc=$?
  expect_rc 0 "mpiexec -np 2 lunsim sweep is.yaml"
  same_dirs is_single is_ranks2 "an importance-sampled sweep in one process and on 2 MPI ranks"
  # Other commands never start MPI: run under mpiexec runs once per rank, on its own.
  (cd "$work" && "$MPIEXEC" --allow-run-as-root --oversubscribe -np 1 "$LUNSIM" validate s.yaml \
     </dev/null >"$cap/stdout" 2>"$cap/stderr")
  rc=$?
  expect_rc 0 "mpiexec lunsim validate"
}

# bad CASE TEXT ARGS...: lunsim sweep ARGS exits 2, says TEXT on stderr, and leaves no output.
bad() {
  what=$1
  text=$2
  shift 2
  lun sweep "$@"
  expect_rc 2 "$what"
  stderr_has "$text" "$what"
  [ -e "$work/out" ] && fail "$what: created the output directory"
  ls -A "$work" | grep -q '^\.' && fail "$what: left a temporary directory: $(ls -A "$work")"
  return 0
}

test_bad_input() {
  bad "no '=' in --grid" "--grid 'repair.replace_after': expected path=v1,v2" s.yaml --grid repair.replace_after -o out --replications 2
  bad "empty value" "empty value" s.yaml --grid 'repair.replace_after=1d,,2d' -o out --replications 2
  bad "value twice" "value '1d' listed twice" s.yaml --grid 'repair.replace_after=1d,2d,1d' -o out --replications 2
  bad "unbalanced braces" "never closed" s.yaml --grid 'failures.lifetime={afr: 1%' -o out --replications 2
  bad "unknown path element" "no key 'nothing' in the scenario" s.yaml --grid 'nothing.replace_after=1d' -o out --replications 2
  bad "unknown last key" "unknown key 'replace_aftr' (did you mean 'replace_after'?)" s.yaml --grid 'repair.replace_aftr=1d' -o out --replications 2
  bad "bad value" "--grid repair.replace_after=24x:1:" s.yaml --grid 'repair.replace_after=1d,24x' -o out --replications 2
  stderr_has "grid point 1 (failures.lifetime={afr: 30%}, repair.replace_after=24x) does not load" "bad value"
  bad "duplicate grid path" "path 'repair.replace_after' is already a grid axis (given twice)" s.yaml \
    --grid 'repair.replace_after=1d' --grid 'repair.replace_after=2d' -o out --replications 2
  bad "grid path of the section" "(in the scenario's sweep: section)" s.yaml --grid 'failures.lifetime={afr: 1%}' -o out --replications 2
  bad "--set of a grid path" "--set 'repair.replace_after=1d': path 'repair.replace_after' is a grid axis" s.yaml \
    --grid "$GRID" --set repair.replace_after=1d -o out --replications 2
  bad "replications 0" "--replications" s.yaml --grid "$GRID" -o out --replications 0
  sed '/^sweep:/,$d' "$work/s.yaml" >"$work/nosweep.yaml"
  bad "no replications" "needs --replications N" nosweep.yaml --grid "$GRID" -o out
  bad "no grid" "no grid" nosweep.yaml -o out --replications 2
  bad "missing -o" "--output is required" s.yaml --grid "$GRID"
  # The scenario file is read as run reads it: a device is refused (it was read without end), a
  # file with classic Mac OS line ends loads.
  bad "a device as the scenario" "/dev/zero: error: cannot read the scenario file: is not a regular file" /dev/zero -o out
  tr '\n' '\r' <"$work/s.yaml" >"$work/mac.yaml"
  lun sweep mac.yaml -o mac -q
  expect_rc 0 "classic Mac OS line ends"
  # The sweep: section, positioned like every scenario error.
  sed 's/    failures.lifetime: \[{afr: 30%}, {dist: exponential, mean: 20000h}\]/    failures.lifetime: [{afr: 30%}, {afr: 30%}]/' "$work/s.yaml" >"$work/twice.yaml"
  bad "section value twice" "twice.yaml:38:37: error: grid path 'failures.lifetime': value '{afr: 30%}' listed twice (first at line 38)" twice.yaml -o out
  sed 's/  replications: 8/  replications: 8\n  seeds: random/' "$work/s.yaml" >"$work/seeds.yaml"
  bad "section seeds" "seeds.yaml:40:10: error: key 'seeds': expected common or independent, found 'random'" seeds.yaml -o out
  sed 's/{dist: exponential, mean: 20000h}/{dist: exponential, mean: 20000}/' "$work/s.yaml" >"$work/unit.yaml"
  bad "section bad value" "unit.yaml:38:68: error: key 'mean': missing unit" unit.yaml -o out
  sed 's/^  grid:$/  gird:/' "$work/s.yaml" >"$work/gird.yaml"
  bad "section unknown key" "unknown key 'gird' (did you mean 'grid'?)" gird.yaml -o out
  # -o and --resume.
  mkdir "$work/full" && echo x >"$work/full/f"
  lun sweep s.yaml --grid "$GRID" -o full
  expect_rc 2 "non-empty -o"
  stderr_has "full" "non-empty -o"
  lun run s.yaml -o arun -q
  bad "resume of a run directory" "is not a sweep directory" s.yaml --grid "$GRID" -o arun --resume
  bad "resume of a missing directory" "is not a directory" s.yaml --grid "$GRID" -o nothere --resume
  lun sweep s.yaml --grid "$GRID" -o done -q
  bad "resume of a complete sweep" "holds a complete sweep" s.yaml --grid "$GRID" -o done --resume
  lun sweep s.yaml --grid "$GRID" -o part -q --interrupt-after 1
  expect_rc 130 "interrupted sweep"
  bad "resume with another grid" "differs from the interrupted one in grid" s.yaml --grid 'repair.replace_after=30d,8d' -o part --resume
  bad "resume with other replications" "differs from the interrupted one in replications" s.yaml --grid "$GRID" --replications 9 -o part --resume
  bad "resume with other seeds" "differs from the interrupted one in seeds" s.yaml --grid "$GRID" --independent -o part --resume
  [ -f "$work/part/INCOMPLETE" ] || fail "a refused resume touched the interrupted sweep"
  # points.csv edited after the interruption (a row deleted, a value changed): refused, not trusted.
  cp -r "$work/part" "$work/edited"
  sed -i '$d' "$work/edited/points.csv"
  bad "resume of a points.csv with a row deleted" "points.csv was changed after the sweep was interrupted" \
    s.yaml --grid "$GRID" -o edited --resume
  cp "$work/part/points.csv" "$work/edited/points.csv"
  sed -i '2s/,[0-9.e+-]*$/,0/' "$work/edited/points.csv"
  bad "resume of a points.csv with a value changed" "its SHA-256 is not meta.csv's points_sha256" \
    s.yaml --grid "$GRID" -o edited --resume
  cp "$work/part/points.csv" "$work/edited/points.csv"
  sed -i '/^points_sha256,/d' "$work/edited/meta.csv"
  bad "resume without points_sha256" "has no points_sha256" s.yaml --grid "$GRID" -o edited --resume
}

case $TEST in
  threads) test_threads ;;
  point_equals_run) test_point_equals_run ;;
  interrupt_resume) test_interrupt_resume ;;
  sigint) test_sigint ;;
  mpi) test_mpi ;;
  bad_input) test_bad_input ;;
  *) echo "sweep: unknown test '$TEST'" >&2; exit 2 ;;
esac
