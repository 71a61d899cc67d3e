#!/bin/sh
# End-to-end tests of `lunsim report` through the binary.
# usage: report.sh TEST LUNSIM SOURCE_DIR
#   writes        a run of the quickstart and its report: exit 0, one HTML file under the name
#                 given, nothing else left beside it, the expected charts (latency over time
#                 from io_timeseries.csv among them); --compare with a run of another seed adds
#                 the comparison table; the same input gives the same bytes; then the sweep
#                 checks below
#   sweep         a real `lunsim sweep` (a tiny scenario, a 2 x 2 grid, 3 replications): `lunsim
#                 report SWEEP` exits 0 and writes the sweep charts (a heat map and a chart per
#                 axis for each varying metric, error bars, the points table); --compare with a
#                 sweep exits 2
#   bad_input     a missing directory, a directory without meta.csv, a malformed CSV and a
#                 missing column each exit 2 with a message naming the file (and column), and
#                 leave no file under the output name
set -u
TEST=$1
LUNSIM=$2
SRC=$3
work=$(mktemp -d "${TMPDIR:-/tmp}/lunsim-report.XXXXXX")
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL [$TEST]: $*" >&2; exit 1; }
cd "$work" || exit 1

# sweep_checks: the sweep part of `writes` (also the test `sweep` alone).
sweep_checks() {
  cp "$SRC/tests/cli/small.yaml" s.yaml
  "$LUNSIM" sweep s.yaml -o sw --set 'workload.1.io.requests=400' --grid 'workload.1.io.clients=4,8' \
    --grid 'drive_models.d.latency={dist: exponential, mean: 5ms},{dist: exponential, mean: 6ms}' \
    --replications 3 -j 2 -q || fail "lunsim sweep"
  mkdir -p out
  "$LUNSIM" report sw -o out/sweep.html > stdout.txt 2> stderr.txt || fail "report of a sweep exited $?: $(cat stderr.txt)"
  grep -q "report: out/sweep.html" stdout.txt || fail "report of a sweep: $(cat stdout.txt)"
  grep -q "<h1>lunsim sweep report: small</h1>" out/sweep.html || fail "no sweep report title"
  for c in sweep-heatmap sweep-axis; do
    grep -q "data-chart=\"$c\"" out/sweep.html || fail "chart $c missing from the sweep report"
  done
  grep -q 'data-chart="sweep-heatmap" data-metric="io.read.response"' out/sweep.html || fail "no heat map of io.read.response"
  grep -q 'data-axis="workload.1.io.clients"' out/sweep.html || fail "no chart by workload.1.io.clients"
  grep -q 'data-axis="drive_models.d.latency"' out/sweep.html || fail "no chart by drive_models.d.latency"
  grep -q 'error bars: its 95 % interval (points.csv)' out/sweep.html || fail "no error bars said"
  grep -q '<caption>points.csv: mean \[95 % interval\]</caption>' out/sweep.html || fail "no points table"
  grep -q '<script' out/sweep.html && fail "a script in the sweep report"
  "$LUNSIM" report sw -o out/sweep2.html > /dev/null || fail "second report of the sweep"
  cmp -s out/sweep.html out/sweep2.html || fail "two reports of the same sweep differ"
  "$LUNSIM" report sw --compare sw -o out/bad.html > /dev/null 2> err.txt
  rc=$?
  [ "$rc" -eq 2 ] || fail "report SWEEP --compare: exit $rc, expected 2"
  grep -q "a sweep directory: --compare takes two runs" err.txt || fail "report SWEEP --compare: $(cat err.txt)"
  [ ! -e out/bad.html ] || fail "report SWEEP --compare wrote its output"
}

case $TEST in
  sweep)
    sweep_checks
    ;;
  writes)
    "$LUNSIM" run "$SRC/scenarios/quickstart.yaml" -o a -q || fail "run a"
    "$LUNSIM" run "$SRC/scenarios/quickstart.yaml" --seed 5 -o b -q || fail "run b"
    mkdir out
    "$LUNSIM" report a -o out/r.html > stdout.txt 2> stderr.txt || fail "report exited $?: $(cat stderr.txt)"
    [ "$(ls out)" = "r.html" ] || fail "expected only out/r.html, found: $(ls out)"
    for c in latency-read latency-write latency-op latency-over-time iops-over-time jobs queue-depth utilization; do
      grep -q "data-chart=\"$c\"" out/r.html || fail "chart $c missing"
    done
    "$LUNSIM" report a -o out/r2.html > /dev/null || fail "second report"
    cmp -s out/r.html out/r2.html || fail "two reports of the same run differ"
    "$LUNSIM" report a --compare b -o out/c.html > /dev/null || fail "report --compare"
    grep -q "comparison (lunsim compare)" out/c.html || fail "no comparison table"
    grep -q "<caption>other: " out/c.html || fail "no header of the other run"
    rm -rf out
    sweep_checks
    ;;
  bad_input)
    expect2() {  # expect2 WHAT PATTERN ARGS...: exit 2, PATTERN on stderr, no output file
      what=$1 pattern=$2
      shift 2
      "$LUNSIM" report "$@" -o bad.html > /dev/null 2> err.txt
      rc=$?
      [ "$rc" -eq 2 ] || fail "$what: exit $rc, expected 2"
      grep -q "$pattern" err.txt || fail "$what: stderr lacks '$pattern': $(cat err.txt)"
      [ ! -e bad.html ] || fail "$what: bad.html was written"
      [ -z "$(ls | grep partial)" ] || fail "$what: a partial file was left"
    }
    expect2 "missing directory" "no-such-run: no such run directory" no-such-run
    mkdir empty
    expect2 "no meta.csv" "empty/meta.csv: cannot read" empty
    "$LUNSIM" run "$SRC/scenarios/quickstart.yaml" -o r -q || fail "run"
    cp -r r trunc
    printf 'op,name,started_s,completed_s,status\ncreate_lun,"db,0,1,ok\n' > trunc/ops.csv
    expect2 "malformed CSV" "trunc/ops.csv:2: unterminated quoted field" trunc
    cp -r r nocol
    printf 'time_s,subsystem\n1,a\n' > nocol/timeseries.csv
    expect2 "missing column" "nocol/timeseries.csv:1: missing column 'mean_queue_depth'" nocol
    expect2 "bad --compare" "nowhere: no such run directory" r --compare nowhere
    mkdir adir
    "$LUNSIM" report r -o adir > /dev/null 2> err.txt
    rc=$?
    [ "$rc" -eq 2 ] || fail "-o naming a directory: exit $rc, expected 2"
    grep -q "adir: exists and is not a regular file (a directory)" err.txt || fail "-o naming a directory: $(cat err.txt)"
    [ -z "$(ls -A adir)$(ls -A | grep -e partial -e '^\.lunsim-')" ] || fail "-o naming a directory: something was left behind"
    # Only a regular file is created or replaced: a device or a symbolic link is refused and kept.
    ln -s r/meta.csv alink
    for target in /dev/null alink; do
      "$LUNSIM" report r -o "$target" > /dev/null 2> err.txt
      rc=$?
      [ "$rc" -eq 2 ] || fail "-o $target: exit $rc, expected 2"
      grep -q "is not a regular file" err.txt || fail "-o $target: $(cat err.txt)"
    done
    [ -c /dev/null ] && [ -L alink ] || fail "a device or a symbolic link was replaced"
    ;;
  *) fail "unknown test $TEST" ;;
esac
echo "PASS [$TEST]"
