#!/bin/sh
# End-to-end tests of `lunsim compare` through the binary.
# usage: compare.sh TEST LUNSIM
#   same_scenario   two runs with different seeds, 10 replications each: every verdict
#                   unchanged (or too few samples / added-removed: none here), exit 0
#   slower_drive    the same with the drives' latency 20 % slower: the response-time metrics are
#                   `slower` and the exit status is 1; the management-latency metric, which the
#                   drives do not affect, stays `unchanged`
#   bad_input       a missing directory, a truncated CSV, a missing column and a different
#                   csv_schema each exit 2 with a message naming the file (and the column)
set -u
TEST=$1
LUNSIM=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/lunsim-compare.XXXXXX")
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL [$TEST]: $*" >&2; exit 1; }

# Small and quick: 4 drives, a closed-loop load, one management operation of constant latency.
cat >"$work/s.yaml" <<'YAML'
name: compare-e2e
seed: 1
drive_models:
  d: {capacity: 100GB, bandwidth: unlimited, latency: {dist: exponential, mean: 5ms}}
subsystems:
  - name: a
    management_latency: 100ms
    init: none
    enclosures: [{name: e, drives: {model: d, count: 4}}]
workload:
  - {op: create_lun, name: l, type: stripe, size: 1GiB, drives: 2}
  - io: {name: load, clients: 8, requests: 1000, size: 4KiB, read: 100%,
         think: {dist: exponential, mean: 2ms}, targets: [e]}
metrics: {timeseries: false}
YAML

run() { "$LUNSIM" run "$work/s.yaml" -q --replications 10 "$@" || fail "lunsim run $* failed"; }
verdict_of() { awk -F, -v m="$2" 'NR > 1 && $1 == m { print $NF }' "$1"; }

case $TEST in
  same_scenario)
    run -o "$work/base"
    run -o "$work/cand" --seed 2
    "$LUNSIM" compare "$work/base" "$work/cand" --format csv >"$work/report.csv" 2>"$work/err"
    rc=$?
    cat "$work/report.csv"
    [ "$rc" -eq 0 ] || fail "exit status $rc, expected 0"
    bad=$(awk -F, 'NR > 1 && $NF != "unchanged" { print $1 ": " $NF }' "$work/report.csv")
    [ -z "$bad" ] || fail "verdicts other than unchanged: $bad"
    ;;
  slower_drive)
    run -o "$work/base"
    run -o "$work/cand" --set 'drive_models.d.latency={dist: exponential, mean: 6ms}'
    "$LUNSIM" compare "$work/base" "$work/cand" --format csv >"$work/report.csv" 2>"$work/err"
    rc=$?
    cat "$work/report.csv"
    [ "$rc" -eq 1 ] || fail "exit status $rc, expected 1 (a metric is slower)"
    for m in io.read.response io.load.read.response; do
      [ "$(verdict_of "$work/report.csv" "$m")" = slower ] || fail "$m is not slower"
    done
    [ "$(verdict_of "$work/report.csv" op.create_lun.latency)" = unchanged ] ||
      fail "op.create_lun.latency (not affected by the drives) is not unchanged"
    [ "$(verdict_of "$work/report.csv" drive.utilization)" = unchanged ] ||
      fail "drive.utilization (better: none) is not unchanged"
    # The other formats carry the same verdicts.
    "$LUNSIM" compare "$work/base" "$work/cand" --format markdown | grep -q '\*\*slower\*\*' || fail "markdown"
    "$LUNSIM" compare "$work/base" "$work/cand" --format json | grep -q '"verdict": "slower"' || fail "json"
    "$LUNSIM" compare "$work/base" "$work/cand" -o "$work/report.txt"
    [ $? -eq 1 ] && grep -q slower "$work/report.txt" || fail "-o FILE"
    ;;
  bad_input)
    "$LUNSIM" run "$work/s.yaml" -q -o "$work/good" || fail "run"
    expect2() {
      "$LUNSIM" compare "$1" "$2" >/dev/null 2>"$work/err"
      rc=$?
      [ "$rc" -eq 2 ] || fail "$3: exit status $rc, expected 2"
      grep -q "$4" "$work/err" || { cat "$work/err" >&2; fail "$3: the message does not name '$4'"; }
    }
    expect2 "$work/good" "$work/nowhere" "missing directory" "nowhere"
    cp -r "$work/good" "$work/trunc"
    printf 'metric,unit,better,n,mean,p50\nio.read.response,s,lower,5,"0.1\n' >"$work/trunc/summary.csv"
    expect2 "$work/good" "$work/trunc" "truncated CSV" "summary.csv"
    cp -r "$work/good" "$work/nocol"
    sed 's/^metric,unit,better/metric,units,better/' "$work/good/summary.csv" >"$work/nocol/summary.csv"
    expect2 "$work/good" "$work/nocol" "missing column" "missing column 'unit'"
    cp -r "$work/good" "$work/schema"
    sed 's/^csv_schema,1$/csv_schema,2/' "$work/good/meta.csv" >"$work/schema/meta.csv"
    expect2 "$work/good" "$work/schema" "different csv_schema" "csv_schema"
    cp -r "$work/good" "$work/unit"
    sed 's/^io.read.response,s,/io.read.response,ms,/' "$work/good/summary.csv" >"$work/unit/summary.csv"
    expect2 "$work/good" "$work/unit" "unit mismatch" "column 'unit'"
    ;;
  *) echo "compare.sh: unknown test '$TEST'" >&2; exit 2 ;;
esac
echo "PASS [$TEST]"
