#!/bin/sh
# End-to-end tests of `lunsim explore` (sim/runner/explore.hpp).
# usage: explore.sh TEST LUNSIM SOURCE_DIR [MPIEXEC]
#   reference     explore --client reference --runs 200 -o DIR: exit 0, explore.csv with a header
#                 and 200 rows, meta.csv's contract reference
#   naive         explore --client naive --runs 200: exit 1, prints the smallest failing case,
#                 writes repro-seed-*.yaml; --replay of that file with --client naive exits 1
#                 naming the same invariant
#   threads       explore.csv is byte-identical for -j 1 and -j 2 (reference, 200 runs)
#   bad_input     --client bogus, --contract bogus, --hang-bound 0s and --max-faults 0 each exit 2
#                 with a message naming the option and create no output directory
#   run_client    run --client naive on scenarios/errant-provider.yaml writes client-violations.csv
#                 with naive's violations, and ops.csv's client column says naive
#   sigint        Ctrl-C stops explore with exit 130, the finished runs written in seed order
#   mpi           explore.csv and meta.csv on 2 (built-in client) and 3 (client library) MPI ranks
#                 are the bytes of one process (MPIEXEC, the 4th argument)
set -u
TEST=$1
LUNSIM=$2
SRC=$3
work=$(mktemp -d "${TMPDIR:-/tmp}/lunsim-explore.XXXXXX")
cap=$work/.cap
mkdir "$cap" || exit 1
trap 'rm -rf "$work"' EXIT
. "$(dirname "$0")/lib.sh"

case $TEST in
  reference)
    lun explore --client reference --runs 200 -o e
    expect_rc 0 "explore --client reference"
    [ "$(wc -l < "$work/e/explore.csv")" -eq 201 ] || fail "expected a header and 200 rows in explore.csv, got $(wc -l < "$work/e/explore.csv") lines"
    head -n 1 "$work/e/explore.csv" | grep -q '^seed,faults,schedule,verdict,invariant,' || fail "explore.csv header: $(head -n 1 "$work/e/explore.csv")"
    grep -qx 'contract,reference' "$work/e/meta.csv" || fail "meta.csv has no 'contract,reference' row: $(cat "$work/e/meta.csv")"
    grep -qx 'runs_finished,200' "$work/e/meta.csv" || fail "meta.csv has no 'runs_finished,200' row"
    ! ls "$work/e" | grep -q '^repro-' || fail "a clean exploration wrote reproducers: $(ls "$work/e")"
    ;;
  naive)
    lun explore --client naive --runs 200 -o e
    expect_rc 1 "explore --client naive"
    grep -q '^smallest failing case: seed [0-9]*, [a-z_]*, ' "$cap/stdout" || { show_last; fail "no 'smallest failing case' line"; }
    invariant=$(sed -n 's/^smallest failing case: seed [0-9]*, \([a-z_]*\), .*/\1/p' "$cap/stdout")
    seed=$(sed -n 's/^smallest failing case: seed \([0-9]*\), .*/\1/p' "$cap/stdout")
    repro=$work/e/repro-seed-$seed.yaml
    [ -f "$repro" ] || fail "the smallest failing case's reproducer is missing: $(ls "$work/e")"
    grep -q "^$seed,.*,fail,$invariant,.*,repro-seed-$seed.yaml\$" "$work/e/explore.csv" || fail "explore.csv does not name the reproducer of seed $seed"
    lun explore --replay "$repro" --client naive
    expect_rc 1 "explore --replay $repro --client naive"
    grep -q ": fail, $invariant: " "$cap/stdout" || { show_last; fail "the replay does not report $invariant"; }
    ;;
  threads)
    lun explore --client reference --runs 200 -j 1 -o j1 -q
    expect_rc 0 "explore -j 1"
    lun explore --client reference --runs 200 -j 2 -o j2 -q
    expect_rc 0 "explore -j 2"
    cmp -s "$work/j1/explore.csv" "$work/j2/explore.csv" || fail "explore.csv differs between -j 1 and -j 2"
    cmp -s "$work/j1/meta.csv" "$work/j2/meta.csv" || fail "meta.csv differs between -j 1 and -j 2"
    ;;
  bad_input)
    # each case: the arguments, then the text the message must contain
    for c in "--client bogus|--client" "--contract bogus|--contract" "--hang-bound 0s|--hang-bound" "--max-faults 0|--max-faults"; do
      args=${c%%|*}
      what=${c#*|}
      # shellcheck disable=SC2086
      lun explore $args --runs 5 -o out
      expect_rc 2 "explore $args"
      grep -q -- "$what" "$cap/stderr" || { show_last; fail "explore $args: the message does not name $what"; }
      [ ! -e "$work/out" ] || fail "explore $args created its output directory"
    done
    ;;
  run_client)
    lun run "$SRC/scenarios/errant-provider.yaml" --client naive -o r -q
    expect_rc 0 "run --client naive"
    [ -f "$work/r/client-violations.csv" ] || fail "no client-violations.csv"
    head -n 1 "$work/r/client-violations.csv" | grep -qx 'time_s,client,object,kind,detail' || fail "client-violations.csv header: $(head -n 1 "$work/r/client-violations.csv")"
    [ "$(grep -c ',naive,' "$work/r/client-violations.csv")" -ge 1 ] || fail "client-violations.csv has no row of naive: $(cat "$work/r/client-violations.csv")"
    col=$(column_of "$work/r/ops.csv" client)
    [ -n "$col" ] || fail "ops.csv has no client column"
    others=$(tail -n +2 "$work/r/ops.csv" | cut -d, -f"$col" | grep -vx naive | wc -l)
    [ "$others" -eq 0 ] || fail "ops.csv rows whose client is not naive: $others"
    lun run "$SRC/scenarios/errant-provider.yaml" --client bogus -o r2 -q
    expect_rc 2 "run --client bogus"
    ;;
  sigint)
    # Ctrl-C: no new run starts, the finished runs are written (seed order, no gap), exit 130.
    (cd "$work" && exec "$LUNSIM" explore --client naive --runs 1000000 -o part -q </dev/null \
       >"$cap/stdout" 2>"$cap/stderr") &
    pid=$!
    # Interrupt once it has done real work: two seconds of its own CPU time (not wall time: on a
    # loaded machine or under ASan a fixed sleep may end before the first run finishes).
    ticks=$(getconf CLK_TCK)
    for _ in $(seq 1 600); do
      cpu=$(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo 0)
      [ "${cpu:-0}" -ge $((2 * ticks)) ] && break
      sleep 0.2
    done
    kill -INT "$pid" 2>/dev/null
    wait "$pid"
    rc=$?
    last_cmd="lunsim explore --runs 1000000 (SIGINT)"
    expect_rc 130 "an interrupted explore"
    grep -qx 'interrupted,true' "$work/part/meta.csv" || fail "meta.csv: $(cat "$work/part/meta.csv")"
    rows=$(($(wc -l < "$work/part/explore.csv") - 1))
    grep -qx "runs_finished,$rows" "$work/part/meta.csv" || fail "runs_finished is not the $rows rows written"
    [ "$rows" -gt 0 ] && [ "$rows" -lt 1000000 ] || fail "$rows runs written"
    last=$(tail -n 1 "$work/part/explore.csv" | cut -d, -f1)
    [ "$last" -eq "$rows" ] || fail "the last seed written is $last, not $rows: a gap"
    ;;
  mpi)
    # Over MPI ranks (a build with MPI): the bytes of one process, for a built-in client on 2
    # ranks and for a client library (a process per run) on 3.
    MPIEXEC=$4
    [ -n "$MPIEXEC" ] || fail "no mpiexec given"
    lun explore --client naive --runs 150 -q -o single
    expect_rc 1 "explore --client naive"
    last_cmd="mpiexec -np 2 lunsim explore --client naive"
    (cd "$work" && "$MPIEXEC" --allow-run-as-root --oversubscribe -np 2 "$LUNSIM" explore --client naive --runs 150 -q \
       -o ranks2 </dev/null >"$cap/stdout" 2>"$cap/stderr")
    cmp -s "$work/single/explore.csv" "$work/ranks2/explore.csv" || fail "explore.csv differs on 2 MPI ranks"
    cmp -s "$work/single/meta.csv" "$work/ranks2/meta.csv" || fail "meta.csv differs on 2 MPI ranks"
    CXX=${CXX:-g++}
    "$CXX" -std=c++17 -shared -fPIC -I "$SRC/sim/compat" "$SRC/tests/explore/buggy_clients.cpp" -o "$work/libbuggy.so" \
      || fail "cannot build the buggy clients"
    lun explore --client-lib "$work/libbuggy.so" --entry buggy_double_release --runs 60 -q -o fsingle
    expect_rc 1 "explore --client-lib (one process)"
    (cd "$work" && "$MPIEXEC" --allow-run-as-root --oversubscribe -np 3 "$LUNSIM" explore --client-lib "$work/libbuggy.so" \
       --entry buggy_double_release --runs 60 -q -o franks3 </dev/null >"$cap/stdout" 2>"$cap/stderr")
    cmp -s "$work/fsingle/explore.csv" "$work/franks3/explore.csv" || fail "a client library's explore.csv differs on 3 MPI ranks"
    ;;
  *)
    fail "unknown test '$TEST'"
    ;;
esac
exit 0
