#!/bin/sh
# End-to-end tests of `lunsim run` on a reliability scenario (failures: and repair: sections):
# reliability.csv, losses.csv and the reliability.* summary rows; replications giving the same
# bytes for any thread count; --summary-only; -j validation; no progress bar in a pipe.
#
#   tests/cli/reliability.sh TEST LUNSIM
#
# Runs one test (the names below; tests/cli/CMakeLists.txt registers each as its own ctest test)
# in a fresh temporary directory that is removed afterwards. Exit status 0: passed; 1: failed
# (the reason is on stderr, with the output of the lunsim command concerned). POSIX sh + coreutils.
set -u

if [ $# -lt 2 ]; then
  echo "usage: $0 TEST LUNSIM" >&2
  exit 2
fi
TEST=$1
LUNSIM=$2
case $LUNSIM in /*) ;; *) LUNSIM=$(pwd)/$LUNSIM ;; esac
[ -x "$LUNSIM" ] || { echo "reliability: '$LUNSIM' is not an executable" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/lunsim-rel.XXXXXX") || exit 1
cap=$tmp/.captured
mkdir "$cap" "$tmp/w" || exit 1
work=$tmp/w
cleanup() { rm -rf "$tmp"; }
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

. "$(dirname "$0")/lib.sh"  # fail, lun, show_last, expect_rc

# A small reliability scenario: two RAID-5 groups of 8 drives and 2 hot spares in one shelf, drives
# failing at AFR 50% for 10 years, replaced after 72 h, rebuilds timed as one event (coarse), a lost
# group restored at once so that a replication can count several losses.
scenario=$work/reliability.yaml
cat >"$scenario" <<'EOF'
schema_version: 1
name: rel-e2e
seed: 7
horizon: 10y

drive_models:
  nl-1t:
    capacity: 1TB
    bandwidth: 50MB/s
    latency: 8ms

subsystems:
  - name: array
    management_latency: 0s
    init: none
    enclosures:
      - {name: shelf, drives: {model: nl-1t, count: 18}, hot_spares: 2}

workload:
  - {at: 0s, every: 0s, count: 2, op: create_lun, name: group, type: raid5, size: 7TB, drives: 8}

failures:
  lifetime: {afr: 50%}

repair:
  replace_after: 72h
  rebuild: {mode: coarse}
  restore_after_loss: instant

metrics:
  timeseries: false
  io: false
EOF

RELIABILITY_HEADER="replication,seed,groups,losses,sector_losses,first_loss_s,drive_failures,replacements,rebuilds_started,rebuilds_completed,latent_errors,bytes_lost,usable_bytes,group_hours,degraded_hours"
LOSSES_HEADER="time_s,subsystem,lun,kind,bytes"
SUMMARY_ROWS="reliability.p_loss reliability.p_group_loss reliability.loss_events_per_1000_groups reliability.mttdl_lower95 reliability.nomdl"

# has_file DIR FILE: DIR/FILE exists and is not empty.
has_file() {
  [ -s "$1/$2" ] || fail "$1 lacks $2 (it holds: $(ls -A "$1" | tr '\n' ' '))"
}

# header_is FILE HEADER
header_is() {
  got=$(head -n 1 "$1")
  [ "$got" = "$2" ] || fail "$1: header is '$got', expected '$2'"
}

# summary_has DIR: DIR/summary.csv has every reliability row of a reliability run.
summary_has() {
  for m in $SUMMARY_ROWS; do
    grep -q "^$m," "$1/summary.csv" || fail "$1/summary.csv has no row $m (rows: $(cut -d, -f1 "$1/summary.csv" | tr '\n' ' '))"
  done
}

# strip_wall DIR: removes the wall_time_s row from every meta.csv under DIR (the only value that
# may differ between two runs of one scenario and seed).
strip_wall() {
  find "$1" -name meta.csv | while IFS= read -r f; do
    grep -v '^wall_time_s,' "$f" >"$f.tmp" && mv "$f.tmp" "$f"
  done
}

# same_dirs A B WHAT: A and B hold the same files with the same bytes.
same_dirs() {
  if ! diff -r "$1" "$2" >"$cap/diff" 2>&1; then
    head -c 4000 "$cap/diff" >&2
    fail "$3: $1 and $2 differ"
  fi
}

case $TEST in

outputs)
  lun run "$scenario" -o single
  expect_rc 0 "run of the reliability scenario"
  d=$work/single
  has_file "$d" reliability.csv
  has_file "$d" losses.csv
  has_file "$d" summary.csv
  header_is "$d/reliability.csv" "$RELIABILITY_HEADER"
  header_is "$d/losses.csv" "$LOSSES_HEADER"
  # One row for the one replication: replication 0, the scenario's seed, two groups.
  [ "$(wc -l <"$d/reliability.csv")" -eq 2 ] || fail "$d/reliability.csv: expected a header and one row"
  row=$(sed -n 2p "$d/reliability.csv")
  case $row in 0,7,2,*) ;; *) fail "$d/reliability.csv: row '$row' does not start with 0,7,2," ;; esac
  # At AFR 50% 18 drives fail several times in 10 years.
  failures=$(echo "$row" | cut -d, -f7)
  [ "$failures" -gt 10 ] || fail "$d/reliability.csv: only '$failures' drive failures in 10 years at AFR 50%"
  # losses.csv holds one row per loss counted in reliability.csv (whole LUNs plus sector losses).
  losses=$(echo "$row" | cut -d, -f4)
  sectors=$(echo "$row" | cut -d, -f5)
  rows=$(($(wc -l <"$d/losses.csv") - 1))
  [ "$rows" -eq $((losses + sectors)) ] ||
    fail "$d/losses.csv has $rows rows, reliability.csv counts $losses losses and $sectors sector losses"
  summary_has "$d"
  ;;

threads)
  lun run "$scenario" --replications 20 -j 1 -o j1
  expect_rc 0 "--replications 20 -j 1"
  lun run "$scenario" --replications 20 -j 2 -o j2
  expect_rc 0 "--replications 20 -j 2"
  for d in "$work/j1" "$work/j2"; do
    has_file "$d" reliability.csv
    has_file "$d" replications.csv
    header_is "$d/reliability.csv" "$RELIABILITY_HEADER"
    [ "$(wc -l <"$d/reliability.csv")" -eq 21 ] || fail "$d/reliability.csv: expected a header and 20 rows"
    [ -d "$d/rep-001" ] && [ -d "$d/rep-020" ] || fail "$d lacks rep-001 or rep-020"
    has_file "$d/rep-020" losses.csv
    summary_has "$d"
  done
  # Rows in replication order, whatever the thread count.
  [ "$(cut -d, -f1 "$work/j2/reliability.csv" | sed 1d | tr '\n' ' ')" = "0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 " ] ||
    fail "$work/j2/reliability.csv: rows are not in replication order"
  strip_wall "$work/j1"
  strip_wall "$work/j2"
  same_dirs "$work/j1" "$work/j2" "-j 1 and -j 2"
  ;;

summary_only)
  lun run "$scenario" --replications 6 -j 2 -o full
  expect_rc 0 "--replications 6"
  lun run "$scenario" --replications 6 -j 2 --summary-only -o brief
  expect_rc 0 "--replications 6 --summary-only"
  for f in summary.csv replications.csv reliability.csv meta.csv; do
    has_file "$work/brief" "$f"
  done
  if ls -d "$work/brief"/rep-* >/dev/null 2>&1; then
    fail "--summary-only wrote rep-NNN directories: $(ls -d "$work/brief"/rep-* | tr '\n' ' ')"
  fi
  [ -d "$work/full/rep-006" ] || fail "without --summary-only there is no rep-006"
  for f in summary.csv replications.csv reliability.csv; do
    cmp -s "$work/full/$f" "$work/brief/$f" || {
      diff "$work/full/$f" "$work/brief/$f" | head -40 >&2
      fail "$f differs with --summary-only"
    }
  done
  ;;

bad_threads)
  for j in 0 abc -1 1025; do
    lun run "$scenario" --replications 2 -j "$j" -o "bad$j"
    expect_rc 2 "-j $j"
    [ -e "$work/bad$j" ] && fail "-j $j created $work/bad$j"
    [ -s "$cap/stderr" ] || { show_last; fail "-j $j: nothing on stderr"; }
  done
  lun run "$scenario" --replications 2 --threads 0 -o bad-long
  expect_rc 2 "--threads 0"
  ;;

quiet_stderr)
  # stderr is a file, not a terminal: no progress bar, nothing at all on success.
  lun run "$scenario" --replications 12 -j 2 -o piped
  expect_rc 0 "--replications 12 -j 2"
  if [ -s "$cap/stderr" ]; then
    show_last
    fail "stderr is not empty when it is not a terminal"
  fi
  [ -s "$cap/stdout" ] || fail "stdout is empty (the summary is expected there)"
  # Through a pipe too.
  (cd "$work" && "$LUNSIM" run "$scenario" --replications 12 -j 2 -o piped2 2>&1 >/dev/null </dev/null | cat >"$cap/piped")
  [ -s "$cap/piped" ] && fail "stderr through a pipe is not empty: $(head -c 300 "$cap/piped")"
  [ -d "$work/piped2" ] || fail "the piped run wrote no directory"
  ;;

importance_sampling)
  # The same scenario estimated with importance sampling: reliability.csv's weight columns, the
  # weighted rows with se, relative_error and ess, byte-identical for -j 1 and -j 2 and through a
  # sweep on 1 and 2 threads; compare reads two such runs.
  is=$work/is.yaml
  sed 's/^metrics:$/reliability: {method: importance_sampling, bias: 0.3}\nmetrics:/' "$scenario" >"$is"
  lun run "$is" --replications 40 -j 1 --summary-only -o is1
  expect_rc 0 "importance-sampled run -j 1"
  lun run "$is" --replications 40 -j 2 --summary-only -o is2
  expect_rc 0 "importance-sampled run -j 2"
  header_is "$work/is1/reliability.csv" "$RELIABILITY_HEADER,weight,weighted_loss,weighted_groups_with_loss,weighted_losses,weighted_bytes_lost"
  summary_has "$work/is1"
  se=$(column_of "$work/is1/summary.csv" se)
  ess=$(column_of "$work/is1/summary.csv" ess)
  row=$(awk -F, '$1 == "reliability.p_group_loss"' "$work/is1/summary.csv")
  [ -n "$(echo "$row" | cut -d, -f"$se")" ] && [ -n "$(echo "$row" | cut -d, -f"$ess")" ] ||
    fail "reliability.p_group_loss has no se or ess: $row"
  strip_wall "$work/is1"
  strip_wall "$work/is2"
  same_dirs "$work/is1" "$work/is2" "importance sampling -j 1 vs -j 2"
  # A sweep over the bias on 1 and 2 threads: the same bytes.
  lun sweep "$is" --grid reliability.bias=0.2,0.4 --replications 10 -j 1 -q -o sw1
  expect_rc 0 "importance-sampled sweep -j 1"
  lun sweep "$is" --grid reliability.bias=0.2,0.4 --replications 10 -j 2 -q -o sw2
  expect_rc 0 "importance-sampled sweep -j 2"
  same_dirs "$work/sw1" "$work/sw2" "importance-sampled sweep -j 1 vs -j 2"
  head -n 1 "$work/sw1/sweep.csv" | grep -q 'reliability.bias' || fail "sweep.csv does not name the bias axis"
  # compare reads the weighted rows like any other.
  lun run "$is" --replications 40 -j 1 --summary-only --seed 8 -o is3
  expect_rc 0 "importance-sampled run, another seed"
  lun compare "$work/is1" "$work/is3" --format csv -o "$work/cmp.csv"
  case $rc in 0 | 1) ;; *) show_last; fail "compare of two importance-sampled runs exited $rc" ;; esac
  grep -q 'reliability.p_group_loss' "$work/cmp.csv" || fail "compare.csv has no reliability.p_group_loss row"
  ;;

*)
  echo "reliability: unknown test '$TEST'" >&2
  exit 2
  ;;
esac
exit 0
