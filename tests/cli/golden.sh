#!/bin/sh
# Golden scenario tests: the results of every scenarios/*.yaml against tests/golden/.
#
#   golden.sh produce LUNSIM SCENARIO DIR        writes DIR/<scenario>.summary.csv and DIR/<scenario>.meta
#   golden.sh check LUNSIM SCENARIO GOLDEN_DIR   fails unless they equal GOLDEN_DIR's, byte for byte
#   golden.sh orphans SCENARIOS_DIR GOLDEN_DIR   fails when GOLDEN_DIR holds expectations of no scenario
#
# <scenario> is the file name without ".yaml". The scenario is run as `lunsim run SCENARIO -o TMP -q`;
# <scenario>.summary.csv is its summary.csv, <scenario>.meta the events_processed and fingerprint rows
# of its meta.csv (key,value, in meta.csv's order). tests/golden/approve.sh uses `produce`, so the
# expectations and the check are made the same way.
set -u

usage() {
  sed -n '2,6p' "$0" >&2
  exit 2
}

# run_scenario LUNSIM SCENARIO DIR: lunsim's run directory goes to DIR/run, its output to DIR/stdout, DIR/stderr.
run_scenario() {
  "$1" run "$2" -o "$3/run" -q >"$3/stdout" 2>"$3/stderr"
  rc=$?
  if [ "$rc" -ne 0 ]; then
    echo "lunsim run $2 -o $3/run -q: exit status $rc" >&2
    head -c 4000 "$3/stdout" >&2
    head -c 4000 "$3/stderr" >&2
    return 1
  fi
}

# produce LUNSIM SCENARIO OUT_DIR (the run itself goes to OUT_DIR/.work, removed afterwards)
produce() {
  stem=$(basename "$2" .yaml)
  work=$3/.work
  rm -rf "$work" && mkdir "$work" || return 1
  if ! run_scenario "$1" "$2" "$work"; then
    rm -rf "$work"
    return 1
  fi
  cp "$work/run/summary.csv" "$3/$stem.summary.csv" &&
    grep -E '^(events_processed|fingerprint),' "$work/run/meta.csv" >"$3/$stem.meta"
  ok=$?
  if [ "$ok" -eq 0 ] && [ "$(wc -l <"$3/$stem.meta")" -ne 2 ]; then
    echo "$work/run/meta.csv lacks the events_processed or fingerprint row" >&2
    ok=1
  fi
  rm -rf "$work"
  return "$ok"
}

check() {
  lunsim=$1
  scenario=$2
  golden=$3
  stem=$(basename "$scenario" .yaml)
  hint="If this change of results is intended, run tests/golden/approve.sh [BUILD_DIR] and review the diff (git diff tests/golden)."
  for f in "$stem.summary.csv" "$stem.meta"; do
    if [ ! -f "$golden/$f" ]; then
      echo "FAIL: no expectation $golden/$f for $scenario." >&2
      echo "A new scenario? Run tests/golden/approve.sh [BUILD_DIR] and review the new files." >&2
      exit 1
    fi
  done
  got=$(mktemp -d "${TMPDIR:-/tmp}/lunsim-golden-got.XXXXXX") || exit 1
  trap 'rm -rf "$got"' EXIT
  trap 'exit 1' INT TERM HUP
  produce "$lunsim" "$scenario" "$got" || { echo "FAIL: $scenario did not run" >&2; exit 1; }
  failed=0
  for f in "$stem.meta" "$stem.summary.csv"; do
    if ! cmp -s "$golden/$f" "$got/$f"; then
      echo "FAIL: $f differs from the expectation (--- expected, +++ this build):" >&2
      diff -u "$golden/$f" "$got/$f" >&2
      failed=1
    fi
  done
  if [ "$failed" -ne 0 ]; then
    echo "$hint" >&2
    exit 1
  fi
  echo "PASS: $scenario matches $golden/$stem.{summary.csv,meta}"
}

orphans() {
  scenarios=$1
  golden=$2
  failed=0
  for f in "$golden"/*.summary.csv "$golden"/*.meta; do
    [ -e "$f" ] || continue
    name=$(basename "$f")
    stem=${name%.summary.csv}
    stem=${stem%.meta}
    if [ ! -f "$scenarios/$stem.yaml" ] && [ ! -f "$scenarios/../bench/$stem.yaml" ]; then
      echo "FAIL: $f expects results of $scenarios/$stem.yaml (or bench/), which does not exist" >&2
      failed=1
    fi
  done
  if [ "$failed" -ne 0 ]; then
    echo "Run tests/golden/approve.sh [BUILD_DIR]: it deletes the expectations of removed scenarios." >&2
    exit 1
  fi
  echo "PASS: every expectation in $golden belongs to a scenario in $scenarios"
}

[ $# -ge 1 ] || usage
mode=$1
shift
case $mode in
  produce) [ $# -eq 3 ] || usage; produce "$@" ;;
  check) [ $# -eq 3 ] || usage; check "$@" ;;
  orphans) [ $# -eq 2 ] || usage; orphans "$@" ;;
  *) usage ;;
esac
