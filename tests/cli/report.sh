#!/bin/sh
# End-to-end tests of `lunsim report` through the binary.
# usage: report.sh TEST LUNSIM SOURCE_DIR
#   writes        a run of the quickstart and its report: exit 0, one HTML file under the name
#                 given, nothing else left beside it, the expected charts; --compare with a run
#                 of another seed adds the comparison table; the same input gives the same bytes
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

case $TEST in
  writes)
    "$LUNSIM" run "$SRC/scenarios/quickstart.yaml" -o a -q || fail "run a"
    "$LUNSIM" run "$SRC/scenarios/quickstart.yaml" --seed 5 -o b -q || fail "run b"
    mkdir out
    "$LUNSIM" report a -o out/r.html > stdout.txt 2> stderr.txt || fail "report exited $?: $(cat stderr.txt)"
    [ "$(ls out)" = "r.html" ] || fail "expected only out/r.html, found: $(ls out)"
    for c in latency-read latency-write latency-op jobs queue-depth utilization; do
      grep -q "data-chart=\"$c\"" out/r.html || fail "chart $c missing"
    done
    "$LUNSIM" report a -o out/r2.html > /dev/null || fail "second report"
    cmp -s out/r.html out/r2.html || fail "two reports of the same run differ"
    "$LUNSIM" report a --compare b -o out/c.html > /dev/null || fail "report --compare"
    grep -q "comparison (lunsim compare)" out/c.html || fail "no comparison table"
    grep -q "<caption>other: " out/c.html || fail "no header of the other run"
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
    grep -q "cannot write adir" err.txt || fail "-o naming a directory: $(cat err.txt)"
    [ -z "$(ls -A adir)$(ls | grep partial)" ] || fail "-o naming a directory: something was left behind"
    ;;
  *) fail "unknown test $TEST" ;;
esac
echo "PASS [$TEST]"
