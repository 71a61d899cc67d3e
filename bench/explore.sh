#!/bin/sh
# lunsim explore's figures (issue 21): on one core (-j 1), the time each deliberately buggy client
# of tests/explore/buggy_clients.cpp takes to be found (explore stops at its first failure,
# --max-failures 1) and shrunk, which must be within 1,000 seeds and 60 s; and the reference and
# robust clients over 10,000 seeds of the default workflow, which must be clean (exit 0).
# usage: bench/explore.sh      (LUNSIM_BIN_DIR: the build to use; else build-release, bench/lib.sh)
set -eu
cd "$(dirname "$0")/.."
SRC=$(pwd)
. bench/lib.sh
LUNSIM=$SRC/$LUNSIM
case $BIN in /*) LUNSIM=$BIN/lunsim ;; esac
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
CXX=${CXX:-g++}
"$CXX" -std=c++17 -O2 -shared -fPIC -I "$SRC/sim/compat" "$SRC/tests/explore/buggy_clients.cpp" -o "$WORK/libbuggy.so"
now() { date +%s.%N; }
status=0
printf '%-26s %8s %8s %8s  %s\n' client seed shrunk seconds invariant
for e in buggy_type_check buggy_double_release buggy_no_deadline buggy_use_after_release buggy_ignores_wait; do
  t0=$(now)
  "$LUNSIM" explore --client-lib "$WORK/libbuggy.so" --entry "$e" --runs 1000 --max-failures 1 -j 1 -o "$WORK/$e" \
    > "$WORK/$e.txt" || true
  t1=$(now)
  # "smallest failing case: seed 108, client_violation, 1 fault(s): ..."
  line=$(grep '^smallest failing case' "$WORK/$e.txt" || true)
  seed=$(echo "$line" | sed -n 's/^smallest failing case: seed \([0-9]*\),.*/\1/p')
  inv=$(echo "$line" | sed -n 's/^smallest failing case: seed [0-9]*, \([a-z_]*\),.*/\1/p')
  size=$(echo "$line" | sed -n 's/^smallest failing case: seed [0-9]*, [a-z_]*, \([0-9]*\) fault.*/\1/p')
  secs=$(echo "$t1 - $t0" | bc)
  printf '%-26s %8s %8s %8.2f  %s\n' "$e" "${seed:-none}" "${size:-?}" "$secs" "${inv:-none}"
  if [ -z "$seed" ] || [ "$(echo "$secs > 60" | bc)" = 1 ]; then status=1; fi
done
for c in reference robust; do
  t0=$(now)
  if "$LUNSIM" explore --client "$c" --runs 10000 -j 1 -q -o "$WORK/$c"; then verdict=clean; else verdict=FAILED; status=1; fi
  t1=$(now)
  printf '%-26s %8s %8s %8.2f  %s\n' "$c" 10000 - "$(echo "$t1 - $t0" | bc)" "$verdict"
done
exit $status
