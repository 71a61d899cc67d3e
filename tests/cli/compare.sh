#!/bin/sh
# End-to-end tests of `lunsim compare` through the binary.
# usage: compare.sh TEST LUNSIM
#   same_scenario   two runs with different seeds, 10 replications each (the unpaired design, named
#                   in the table): no series slower, faster or changed, exit 0
#   slower_drive    the same seed with the drives' latency 20 % slower: io.read.response (every
#                   statistic) is `slower` and the exit status is 1; the management latency, which
#                   the drives do not affect, is `constant`; drive.utilization (better: none) is
#                   never slower or faster; markdown, json (changes as plain fractions) and -o FILE
#                   carry the verdicts
#   paired_power    the same seed, 12 replications, drives 2 % slower, --threshold 1 %: the paired
#                   design (auto) finds io.read.response's mean slower (exit 1), --design unpaired
#                   on the same directories does not (exit 0); --design paired with different
#                   replication counts exits 2
#   missing_metric  a candidate with an extra load: its metric is `added` (`removed` the other way
#                   round), exit 1 with a message naming it; --allow-missing: exit 0
#   fail_on         3 replications each: series with too few samples; exit 0, but 1 with --fail-on
#                   inconclusive; --fail-on bogus, --design bogus and --threshold 0% exit 2
#   bad_input       a missing directory, a malformed CSV, a missing column, a different csv_schema,
#                   a unit mismatch (within a run and between runs), summary.csv cut inside its last
#                   row or without its final line end, replications.csv or summary.csv cut at a row
#                   boundary, inf or nan in replications.csv, a negative count, and meta.csv claiming
#                   more replications each exit 2 with a message naming the file (and the line)
#   sweep           two sweeps over the same 2-point grid, the candidate's drives 20 % slower: a
#                   `point` column, rows for both points, io.read.response slower at both (exit 1);
#                   from points.csv ("summaries") without --keep-runs, from the kept runs
#                   ("replications") with --keep-runs on both, summaries when only one kept them;
#                   a sweep against itself exits 0; another grid, or a run directory, exits 2
set -u
TEST=$1
LUNSIM=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/lunsim-compare.XXXXXX")
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL [$TEST]: $*" >&2; exit 1; }

# The shared small scenario (tests/cli/small.yaml).
cp "$(dirname "$0")/small.yaml" "$work/s.yaml"
slower_drives='drive_models.d.latency={dist: exponential, mean: 6ms}'

run() { "$LUNSIM" run "$work/s.yaml" -q "$@" || fail "lunsim run $* failed"; }
# compare BASE CAND [OPTIONS]: the report on $work/out, the messages on $work/err, the status in $rc.
compare() {
  "$LUNSIM" compare "$@" >"$work/out" 2>"$work/err"
  rc=$?
}
show() { cat "$work/out" "$work/err"; }
# verdict_of REPORT.csv METRIC STATISTIC: a run comparison's verdict of one series.
verdict_of() { awk -F, -v m="$2" -v s="$3" 'NR > 1 && $1 == m && $2 == s { print $NF }' "$1"; }
# point_verdict_of REPORT.csv POINT METRIC STATISTIC: a sweep comparison's.
point_verdict_of() { awk -F, -v p="$2" -v m="$3" -v s="$4" 'NR > 1 && $1 == p && $2 == m && $3 == s { print $NF }' "$1"; }
# drop_bytes N FILE: FILE without its last N bytes.
drop_bytes() { head -c $(($(wc -c <"$2") - $1)) "$2"; }
column_of() { head -n 1 "$1" | tr ',' '\n' | grep -n -x "$2" | cut -d: -f1; }

case $TEST in
  same_scenario)
    run -o "$work/base" --replications 10
    run -o "$work/cand" --replications 10 --seed 2
    compare "$work/base" "$work/cand" --format csv
    cp "$work/out" "$work/report.csv"
    show
    [ "$rc" -eq 0 ] || fail "exit status $rc, expected 0"
    [ "$(column_of "$work/report.csv" verdict)" = 23 ] || fail "the CSV has no verdict in column 23"
    bad=$(awk -F, 'NR > 1 && ($NF == "slower" || $NF == "faster" || $NF == "changed") { print $1 " " $2 ": " $NF }' "$work/report.csv")
    [ -z "$bad" ] || fail "an A/A comparison found differences: $bad"
    designs=$(awk -F, 'NR > 1 && $6 != "none" { print $5 }' "$work/report.csv" | sort -u)
    [ "$designs" = unpaired ] || fail "tested series' design is '$designs', expected unpaired (different seeds)"
    [ "$(verdict_of "$work/report.csv" op.create_lun.latency mean)" = constant ] || fail "op.create_lun.latency is not constant"
    # The table names the design and why.
    compare "$work/base" "$work/cand"
    show
    [ "$rc" -eq 0 ] || fail "table: exit status $rc, expected 0"
    grep -q '^design  *unpaired (seeds 1 and 2' "$work/out" || fail "the table does not name the unpaired design"
    ;;
  slower_drive)
    run -o "$work/base" --replications 10
    run -o "$work/cand" --replications 10 --set "$slower_drives"
    compare "$work/base" "$work/cand" --format csv
    cp "$work/out" "$work/report.csv"
    show
    [ "$rc" -eq 1 ] || fail "exit status $rc, expected 1 (a metric is slower)"
    for s in mean p90 p99; do
      for m in io.read.response io.load.read.response; do
        [ "$(verdict_of "$work/report.csv" $m $s)" = slower ] || fail "$m $s is not slower"
      done
      [ "$(verdict_of "$work/report.csv" op.create_lun.latency $s)" = constant ] ||
        fail "op.create_lun.latency $s (not affected by the drives) is not constant"
      case $(verdict_of "$work/report.csv" drive.utilization $s) in
        slower|faster|'') fail "drive.utilization $s (better: none) is '$(verdict_of "$work/report.csv" drive.utilization $s)'" ;;
      esac
    done
    # The same seed and replication count: paired.
    grep -q '^io\.read\.response,mean,s,lower,paired,signed-rank,10,10,' "$work/report.csv" ||
      fail "io.read.response mean is not a paired signed-rank test over 10 pairs"
    # The other formats carry the same verdicts (markdown: metric names in backticks).
    compare "$work/base" "$work/cand" --format markdown
    [ "$rc" -eq 1 ] || fail "markdown: exit status $rc, expected 1"
    # shellcheck disable=SC2016
    grep -q '^| `io\.read\.response` | mean | .*| \*\*slower\*\* |$' "$work/out" || { show; fail "markdown"; }
    # shellcheck disable=SC2016
    grep -q '^| `op\.create_lun\.latency` | mean | .*| constant |$' "$work/out" || { show; fail "markdown: constant"; }
    compare "$work/base" "$work/cand" --format json
    [ "$rc" -eq 1 ] || fail "json: exit status $rc, expected 1"
    line=$(grep '"metric": "io.read.response", "statistic": "mean"' "$work/out")
    echo "$line" | grep -q '"verdict": "slower"' || { show; fail "json: io.read.response mean is not slower"; }
    # The change is a plain number, a fraction (0.2 for 20 %), not a string with a percent sign.
    change=$(echo "$line" | sed -n 's/.*"change": \([-0-9.eE+]*\), .*/\1/p')
    [ -n "$change" ] || fail "json: \"change\" is not a plain number: $line"
    awk -v c="$change" 'BEGIN { exit !(c > 0.1 && c < 0.35) }' || fail "json: change $change is not a fraction near 0.2"
    echo "$line" | grep -q '"change_ci95": \[0\.[0-9]*, 0\.[0-9]*\]' || fail "json: change_ci95 is not two fractions: $line"
    grep -q '"design": "paired"' "$work/out" || fail "json: the design is not paired"
    # -o FILE: the report there, nothing on stdout, the same exit status.
    compare "$work/base" "$work/cand" -o "$work/report.txt"
    [ "$rc" -eq 1 ] || fail "-o FILE: exit status $rc, expected 1"
    [ ! -s "$work/out" ] || fail "-o FILE: something on stdout"
    grep -q '^io\.read\.response  *mean .* slower$' "$work/report.txt" || fail "-o FILE: no slower io.read.response"
    for f in "$work"/report.txt.partial-*; do [ -e "$f" ] && fail "-o FILE left $f"; done
    ;;
  paired_power)
    # 2 % slower drives, 12 replications each: only common random numbers (the same seed, paired
    # differences) see it.
    run -o "$work/base" --replications 12
    run -o "$work/cand" --replications 12 --set 'drive_models.d.latency={dist: exponential, mean: 5.1ms}'
    compare "$work/base" "$work/cand" --threshold 1% --format csv
    cp "$work/out" "$work/paired.csv"
    show
    [ "$rc" -eq 1 ] || fail "paired: exit status $rc, expected 1"
    [ "$(verdict_of "$work/paired.csv" io.read.response mean)" = slower ] || fail "paired: io.read.response mean is not slower"
    grep -q '^io\.read\.response,mean,s,lower,paired,signed-rank,12,12,' "$work/paired.csv" || fail "paired: not a signed-rank test over 12 pairs"
    compare "$work/base" "$work/cand" --threshold 1% --format csv --design unpaired
    cp "$work/out" "$work/unpaired.csv"
    show
    [ "$rc" -eq 0 ] || fail "unpaired: exit status $rc, expected 0"
    grep -q ',slower$' "$work/unpaired.csv" && fail "unpaired: a series is slower"
    grep -q '^io\.read\.response,mean,s,lower,unpaired,mann-whitney,12,12,' "$work/unpaired.csv" || fail "unpaired: not a Mann-Whitney test over 12 + 12"
    [ "$(verdict_of "$work/unpaired.csv" io.read.response mean)" = inconclusive ] || fail "unpaired: io.read.response mean is not inconclusive"
    # --design paired needs the same replication count.
    run -o "$work/ten" --replications 10
    compare "$work/base" "$work/ten" --design paired
    show
    [ "$rc" -eq 2 ] || fail "--design paired with 12 and 10 replications: exit status $rc, expected 2"
    [ -s "$work/err" ] || fail "--design paired with 12 and 10 replications: no message"
    ;;
  missing_metric)
    run -o "$work/base" --replications 10
    awk '/^metrics:/ { print "  - io: {name: extra, clients: 1, requests: 50, size: 4KiB, read: 100%, targets: [e]}" } { print }' \
      "$work/s.yaml" >"$work/extra.yaml"
    grep -q 'name: extra' "$work/extra.yaml" || fail "could not write the candidate scenario"
    "$LUNSIM" run "$work/extra.yaml" -q --replications 10 -o "$work/cand" || fail "lunsim run extra.yaml failed"
    compare "$work/base" "$work/cand" --format csv
    cp "$work/out" "$work/report.csv"
    show
    [ "$rc" -eq 1 ] || fail "exit status $rc, expected 1 (a metric on one side only)"
    [ "$(verdict_of "$work/report.csv" io.extra.read.response mean)" = added ] || fail "io.extra.read.response is not added"
    grep -q ',slower$' "$work/report.csv" && fail "a series is slower (the extra load is too heavy for this test)"
    grep -q 'io\.extra\.read\.response' "$work/err" || fail "the message does not name io.extra.read.response"
    compare "$work/cand" "$work/base" --format csv
    show
    [ "$rc" -eq 1 ] || fail "reversed: exit status $rc, expected 1"
    [ "$(verdict_of "$work/out" io.extra.read.response mean)" = removed ] || fail "reversed: io.extra.read.response is not removed"
    grep -q 'io\.extra\.read\.response' "$work/err" || fail "reversed: the message does not name io.extra.read.response"
    compare "$work/base" "$work/cand" --allow-missing
    show
    [ "$rc" -eq 0 ] || fail "--allow-missing: exit status $rc, expected 0"
    grep -q 'io\.extra\.read\.response .* added$' "$work/out" || fail "--allow-missing: the table has no added io.extra.read.response"
    ;;
  fail_on)
    run -o "$work/base" --replications 3
    run -o "$work/cand" --replications 3 --seed 2
    compare "$work/base" "$work/cand" --format csv
    cp "$work/out" "$work/report.csv"
    show
    [ "$rc" -eq 0 ] || fail "exit status $rc, expected 0"
    awk -F, 'NR > 1 && ($NF == "inconclusive" || $NF == "too few samples") { found = 1 } END { exit !found }' "$work/report.csv" ||
      fail "no series inconclusive or with too few samples at 3 replications"
    grep -q ',slower$' "$work/report.csv" && fail "a series is slower"
    compare "$work/base" "$work/cand" --fail-on inconclusive
    show
    [ "$rc" -eq 1 ] || fail "--fail-on inconclusive: exit status $rc, expected 1"
    grep -q 'fail-on inconclusive' "$work/err" || fail "--fail-on inconclusive: no message saying why"
    compare "$work/base" "$work/cand" --fail-on slower,inconclusive
    [ "$rc" -eq 1 ] || fail "--fail-on slower,inconclusive: exit status $rc, expected 1"
    compare "$work/base" "$work/cand" --fail-on slower
    [ "$rc" -eq 0 ] || fail "--fail-on slower: exit status $rc, expected 0"
    # Bad option values exit 2 with a message naming the option.
    for opt in "--fail-on bogus" "--design bogus" "--threshold 0%" "--threshold 0" "--threshold -5%" "--format bogus"; do
      # shellcheck disable=SC2086
      compare "$work/base" "$work/cand" $opt
      [ "$rc" -eq 2 ] || fail "$opt: exit status $rc, expected 2"
      grep -q -e "${opt%% *}" "$work/err" || { show; fail "$opt: the message does not name ${opt%% *}"; }
    done
    ;;
  bad_input)
    run -o "$work/good" --replications 2
    expect2() {
      compare "$1" "$2"
      [ "$rc" -eq 2 ] || { show; fail "$3: exit status $rc, expected 2"; }
      grep -q "$4" "$work/err" || { cat "$work/err" >&2; fail "$3: the message does not name '$4'"; }
      echo "$3: $(cat "$work/err")"
    }
    bad() { rm -rf "${work:?}/$1"; cp -r "$work/good" "$work/$1"; }
    expect2 "$work/good" "$work/nowhere" "missing directory" "nowhere"
    bad trunc
    printf 'metric,unit,better,n,mean,p50\nio.read.response,s,lower,5,"0.1\n' >"$work/trunc/summary.csv"
    expect2 "$work/good" "$work/trunc" "malformed CSV" "trunc/summary.csv:2"
    bad nocol
    sed 's/^metric,unit,better/metric,units,better/' "$work/good/summary.csv" >"$work/nocol/summary.csv"
    expect2 "$work/good" "$work/nocol" "missing column" "nocol/summary.csv:1: missing column 'unit'"
    bad schema
    sed 's/^csv_schema,1$/csv_schema,2/' "$work/good/meta.csv" >"$work/schema/meta.csv"
    grep -q '^csv_schema,2$' "$work/schema/meta.csv" || fail "could not edit csv_schema"
    expect2 "$work/good" "$work/schema" "different csv_schema" "schema/meta.csv.*csv_schema"
    # A unit changed in summary.csv only: the run disagrees with itself.
    bad unit
    sed 's/^io.read.response,s,/io.read.response,ms,/' "$work/good/summary.csv" >"$work/unit/summary.csv"
    expect2 "$work/good" "$work/unit" "unit mismatch within a run" "unit/replications.csv:[0-9]*: .*io.read.response"
    # A unit changed in both files: the runs disagree.
    bad unit2
    sed 's/^io.read.response,s,/io.read.response,ms,/' "$work/good/summary.csv" >"$work/unit2/summary.csv"
    sed 's/^\([0-9]*,[0-9]*,io.read.response\),s,/\1,ms,/' "$work/good/replications.csv" >"$work/unit2/replications.csv"
    expect2 "$work/good" "$work/unit2" "unit mismatch between runs" "unit2/summary.csv: column 'unit'"
    # summary.csv cut inside its last row, and only its final line end missing.
    bad cut
    drop_bytes 15 "$work/good/summary.csv" >"$work/cut/summary.csv"
    expect2 "$work/good" "$work/cut" "summary.csv cut inside its last field" "cut/summary.csv:[0-9][0-9]*:"
    bad nonl
    drop_bytes 1 "$work/good/summary.csv" >"$work/nonl/summary.csv"
    expect2 "$work/good" "$work/nonl" "summary.csv without its final line end" "nonl/summary.csv:[0-9][0-9]*:"
    bad repnonl
    drop_bytes 1 "$work/good/replications.csv" >"$work/repnonl/replications.csv"
    expect2 "$work/good" "$work/repnonl" "replications.csv without its final line end" "repnonl/replications.csv:[0-9][0-9]*:"
    # Cut at a row boundary: every remaining row is well formed, the files disagree.
    bad replast
    sed '$d' "$work/good/replications.csv" >"$work/replast/replications.csv"
    expect2 "$work/good" "$work/replast" "replications.csv without its last row" "replast/replications.csv"
    bad sumlast
    sed '$d' "$work/good/summary.csv" >"$work/sumlast/summary.csv"
    expect2 "$work/good" "$work/sumlast" "summary.csv without its last row" "sumlast/summary.csv"
    # Values lunsim never writes.
    bad inf
    sed '3s/^\(0,[0-9]*,[^,]*,[^,]*,[^,]*,[0-9]*\),[^,]*,/\1,inf,/' "$work/good/replications.csv" >"$work/inf/replications.csv"
    grep -q ',inf,' "$work/inf/replications.csv" || fail "could not write inf"
    expect2 "$work/good" "$work/inf" "inf in replications.csv" "inf/replications.csv:3"
    bad nan
    sed '3s/^\(0,[0-9]*,[^,]*,[^,]*,[^,]*,[0-9]*\),[^,]*,/\1,nan,/' "$work/good/replications.csv" >"$work/nan/replications.csv"
    expect2 "$work/good" "$work/nan" "nan in replications.csv" "nan/replications.csv:3"
    bad neg
    sed '3s/^\(0,[0-9]*,[^,]*,[^,]*,[^,]*\),[0-9]*,/\1,-1,/' "$work/good/replications.csv" >"$work/neg/replications.csv"
    grep -q ',-1,' "$work/neg/replications.csv" || fail "could not write a negative count"
    expect2 "$work/good" "$work/neg" "negative count in replications.csv" "neg/replications.csv:3"
    # meta.csv claims more replications than replications.csv holds.
    bad more
    sed 's/^replications,2$/replications,3/' "$work/good/meta.csv" >"$work/more/meta.csv"
    grep -q '^replications,3$' "$work/more/meta.csv" || fail "could not edit meta.csv's replications"
    expect2 "$work/good" "$work/more" "meta.csv with more replications" "more/replications.csv"
    # The base side is read as strictly.
    expect2 "$work/cut" "$work/good" "a bad base" "cut/summary.csv:[0-9][0-9]*:"
    # -o creates or replaces only a regular file: a device, a directory, a symbolic link or an
    # empty name is refused (exit 2) and left as it was, with no temporary file beside it.
    mkdir "$work/outdir"
    ln -s "$work/good/meta.csv" "$work/outdir/link"
    for target in /dev/null "$work/outdir" "$work/outdir/link" ""; do
      "$LUNSIM" compare "$work/good" "$work/good" -o "$target" >/dev/null 2>"$work/err"
      rc=$?
      [ "$rc" -eq 2 ] || fail "-o '$target': exit status $rc, expected 2"
      grep -q "lunsim: error: -o " "$work/err" || fail "-o '$target': no message: $(cat "$work/err")"
    done
    [ -c /dev/null ] || fail "/dev/null is no longer a character device"
    [ -L "$work/outdir/link" ] || fail "the symbolic link was replaced"
    [ -z "$(ls -A "$work/outdir" | grep -v '^link$')" ] || fail "a temporary file was left: $(ls -A "$work/outdir")"
    ;;
  sweep)
    grid='workload.1.io.clients=4,8'
    sweep() { "$LUNSIM" sweep "$work/s.yaml" -q --replications 10 "$@" || fail "lunsim sweep $* failed"; }
    sweep -o "$work/base" --grid "$grid"
    sweep -o "$work/cand" --grid "$grid" --set "$slower_drives"
    sweep -o "$work/basek" --grid "$grid" --keep-runs
    sweep -o "$work/candk" --grid "$grid" --set "$slower_drives" --keep-runs
    # From points.csv: Welch on the means.
    compare "$work/base" "$work/cand" --format csv
    cp "$work/out" "$work/summaries.csv"
    show
    [ "$rc" -eq 1 ] || fail "summaries: exit status $rc, expected 1 (slower drives)"
    [ "$(column_of "$work/summaries.csv" point)" = 1 ] || fail "summaries: no leading point column"
    for p in 0 1; do
      [ "$(point_verdict_of "$work/summaries.csv" $p io.read.response mean)" = slower ] || fail "summaries: point $p io.read.response is not slower"
      [ "$(point_verdict_of "$work/summaries.csv" $p op.create_lun.latency mean)" = constant ] || fail "summaries: point $p op.create_lun.latency is not constant"
    done
    grep -q '^[01],io\.read\.response,p90,' "$work/summaries.csv" && fail "summaries: a p90 row without kept runs"
    compare "$work/base" "$work/cand" --format json
    grep -q '"sweep_source": "summaries"' "$work/out" || { show; fail "summaries: json sweep_source"; }
    grep -q '"point": 1, "metric": "io.read.response", "statistic": "mean"' "$work/out" || fail "summaries: json has no point 1 row"
    compare "$work/base" "$work/cand"
    grep -q '^design  *from points\.csv' "$work/out" || { show; fail "summaries: the table's design line"; }
    # From the kept runs: replication values, paired (the same seed and count).
    compare "$work/basek" "$work/candk" --format csv
    cp "$work/out" "$work/replications.csv"
    show
    [ "$rc" -eq 1 ] || fail "replications: exit status $rc, expected 1 (slower drives)"
    for p in 0 1; do
      for s in mean p90; do
        [ "$(point_verdict_of "$work/replications.csv" $p io.read.response $s)" = slower ] || fail "replications: point $p io.read.response $s is not slower"
      done
    done
    grep -q '^1,io\.read\.response,mean,s,lower,paired,signed-rank,10,10,' "$work/replications.csv" ||
      fail "replications: point 1 io.read.response mean is not a paired signed-rank test over 10 pairs"
    compare "$work/basek" "$work/candk" --format json
    grep -q '"sweep_source": "replications"' "$work/out" || { show; fail "replications: json sweep_source"; }
    compare "$work/basek" "$work/candk"
    grep -q '^design  *from the kept runs' "$work/out" || { show; fail "replications: the table's design line"; }
    # Only one side kept its runs: the summaries.
    compare "$work/base" "$work/candk" --format json
    [ "$rc" -eq 1 ] || fail "one side kept runs: exit status $rc, expected 1"
    grep -q '"sweep_source": "summaries"' "$work/out" || { show; fail "one side kept runs: not from the summaries"; }
    # A sweep against itself.
    for d in base basek; do
      compare "$work/$d" "$work/$d" --format csv
      [ "$rc" -eq 0 ] || { show; fail "$d against itself: exit status $rc, expected 0"; }
      awk -F, 'NR > 1 && ($NF == "slower" || $NF == "faster" || $NF == "changed") { bad = 1 } END { exit bad }' "$work/out" ||
        { show; fail "$d against itself: differences found"; }
    done
    # Another grid: other values, another path, more points.
    "$LUNSIM" sweep "$work/s.yaml" -q --replications 3 -o "$work/values" --grid 'workload.1.io.clients=4,6' || fail "sweep values"
    "$LUNSIM" sweep "$work/s.yaml" -q --replications 3 -o "$work/path" --grid 'workload.1.io.requests=500,1000' || fail "sweep path"
    "$LUNSIM" sweep "$work/s.yaml" -q --replications 3 -o "$work/three" --grid 'workload.1.io.clients=4,8,16' || fail "sweep three"
    for d in values path three; do
      compare "$work/base" "$work/$d"
      [ "$rc" -eq 2 ] || { show; fail "another grid ($d): exit status $rc, expected 2"; }
      grep -q "$d" "$work/err" || { show; fail "another grid ($d): the message does not name the sweep"; }
    done
    # A sweep against a run directory, either way round.
    run -o "$work/run" --replications 10
    compare "$work/base" "$work/run"
    [ "$rc" -eq 2 ] || { show; fail "sweep against a run: exit status $rc, expected 2"; }
    grep -q 'sweep directory' "$work/err" || { show; fail "sweep against a run: the message"; }
    compare "$work/run" "$work/basek"
    [ "$rc" -eq 2 ] || { show; fail "run against a sweep: exit status $rc, expected 2"; }
    # A kept run inside a sweep is a run directory of its own.
    compare "$work/basek/point-002" "$work/candk/point-002" --format csv
    [ "$rc" -eq 1 ] || { show; fail "point-002 as runs: exit status $rc, expected 1"; }
    ;;
  *) echo "compare.sh: unknown test '$TEST'" >&2; exit 2 ;;
esac
echo "PASS [$TEST]"
