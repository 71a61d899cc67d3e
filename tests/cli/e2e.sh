#!/bin/sh
# End-to-end tests of the built `lunsim` binary (POSIX sh + coreutils; no Python needed).
#
#   tests/cli/e2e.sh TEST LUNSIM SOURCE_DIR [KILL_AFTER_SECONDS]
#
# Runs one test (the names below; tests/cli/CMakeLists.txt registers each as its own ctest
# test) in a fresh temporary directory that is removed afterwards. Exit status 0: passed;
# 1: failed (the reason is on stderr, with the output of the lunsim command concerned).
set -u

if [ $# -lt 3 ]; then
  echo "usage: $0 TEST LUNSIM SOURCE_DIR [KILL_AFTER_SECONDS]" >&2
  exit 2
fi
TEST=$1
LUNSIM=$2
SRC=$3
KILL_AFTER=${4:-0.3}
case $LUNSIM in /*) ;; *) LUNSIM=$(pwd)/$LUNSIM ;; esac
[ -x "$LUNSIM" ] || { echo "e2e: '$LUNSIM' is not an executable" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/lunsim-e2e.XXXXXX") || exit 1
# Captured output of the last command lives apart from the directories the tests inspect.
cap=$tmp/.captured
mkdir "$cap" "$tmp/w" || exit 1
work=$tmp/w
bg_pid=
cleanup() {
  if [ -n "$bg_pid" ]; then
    kill -KILL "$bg_pid" 2>/dev/null
    wait "$bg_pid" 2>/dev/null
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# The files every run directory has (later issues add more: the checks never demand an exact set).
RUN_FILES="ops.csv luns.csv drives.csv io.csv latency.csv timeseries.csv io_timeseries.csv events.csv leaks.csv violations.csv summary.csv meta.csv"

. "$(dirname "$0")/lib.sh"  # fail, show_last, expect_rc

# lun ARGS...: runs lunsim in the current directory (not in $work, as lib.sh's); sets $rc, stdout
# in $cap/stdout, stderr in $cap/stderr.
lun() {
  last_cmd="lunsim $*"
  "$LUNSIM" "$@" >"$cap/stdout" 2>"$cap/stderr"
  rc=$?
}

stdout_has() { # stdout_has FIXED-STRING WHAT
  grep -qF -- "$1" "$cap/stdout" || { show_last; fail "$2: stdout lacks '$1'"; }
}

stderr_matches() { # stderr_matches EXTENDED-REGEX WHAT
  grep -qE -- "$1" "$cap/stderr" || { show_last; fail "$2: stderr does not match /$1/"; }
}

# meta_value DIR KEY: the value of row KEY in DIR/meta.csv (unquoted values only).
meta_value() {
  sed -n "s/^$2,//p" "$1/meta.csv"
}

# The seed of scenarios/quickstart.yaml, which is also the embedded default scenario.
quickstart_seed() {
  s=$(sed -n 's/^seed:[[:space:]]*\([0-9][0-9]*\).*/\1/p' "$SRC/scenarios/quickstart.yaml")
  echo "${s:-1}" # a scenario without seed: has seed 1
}

# listing DIR: every entry of DIR, hidden ones included, one a line, sorted.
listing() {
  ls -A "$1" | LC_ALL=C sort
}

# joined DIR: listing DIR on one line, for messages.
joined() {
  listing "$1" 2>/dev/null | tr '\n' ' ' | sed 's/ $//'
}

# expect_only DIR ENTRY...: DIR holds exactly these entries (hidden ones included).
expect_only() {
  dir=$1
  shift
  want=$(for e in "$@"; do echo "$e"; done | LC_ALL=C sort)
  got=$(listing "$dir")
  [ "$got" = "$want" ] || fail "$dir holds [$(echo "$got" | tr '\n' ' ')], expected [$(echo "$want" | tr '\n' ' ')]"
}

# check_run_dir DIR: DIR is a complete run directory of the embedded quickstart.
check_run_dir() {
  [ -d "$1" ] || fail "run directory $1 was not created"
  for f in $RUN_FILES; do
    [ -f "$1/$f" ] || fail "$1 lacks $f (it holds: $(joined "$1"))"
    [ -s "$1/$f" ] || fail "$1/$f is empty (not even a header)"
  done
  head -n 1 "$1/meta.csv" | grep -qx 'key,value' || fail "$1/meta.csv: unexpected header"
  head -n 1 "$1/summary.csv" | grep -q '^metric,unit,better,n,mean,' || fail "$1/summary.csv: unexpected header"
  [ "$(meta_value "$1" csv_schema)" = 1 ] || fail "$1/meta.csv: csv_schema is not 1"
  [ -n "$(meta_value "$1" fingerprint)" ] || fail "$1/meta.csv has no fingerprint"
  [ -n "$(meta_value "$1" events_processed)" ] || fail "$1/meta.csv has no events_processed"
  [ -n "$(meta_value "$1" wall_time_s)" ] || fail "$1/meta.csv has no wall_time_s"
}

# write_long_scenario FILE REQUESTS: a closed-loop load of 32 clients x REQUESTS requests.
# 30000 requests take about 1.3 s (RelWithDebInfo: ~0.8 s simulating, ~0.5 s writing the run
# directory); 100000 about 4 s.
write_long_scenario() {
  cat >"$1" <<EOF
schema_version: 1
name: long
seed: 7
drive_models:
  m:
    capacity: 1.2TB
    bandwidth: 250MB/s
    latency: {dist: lognormal, median: 4ms, p99: 20ms}
subsystems:
  - name: array-a
    management_latency: 50ms
    enclosures:
      - {name: shelf-1, drives: {model: m, count: 12}}
workload:
  - {at: 0s, op: create_lun, name: data, type: stripe, size: 100GiB, drives: 12}
  - io: {name: load, clients: 32, requests: $2, size: 8KiB, read: 70%,
         think: {dist: exponential, mean: 1ms}, targets: [data]}
metrics:
  interval: 1h
EOF
}

# -----------------------------------------------------------------------------------------------

test_run_directory() {
  mkdir "$work/out" && cd "$work/out" || exit 1
  lun run -o "$work/out/run"
  expect_rc 0 "lunsim run -o DIR"
  stdout_has "scenario quickstart" "the summary"
  stdout_has "simulated" "the summary"
  stdout_has "$work/out/run" "the summary's output line"
  check_run_dir "$work/out/run"
  [ ! -e "$work/out/run/trace.csv" ] || fail "trace.csv written without --trace"
  [ "$(meta_value "$work/out/run" seed)" = "$(quickstart_seed)" ] || fail "meta.csv: seed is not the quickstart's $(quickstart_seed)"
  # Nothing else is left next to it (no hidden .partial directory after a successful run).
  expect_only "$work/out" run

  # --quiet prints nothing on success.
  lun run -q -o "$work/out/quiet"
  expect_rc 0 "lunsim run -q -o DIR"
  [ ! -s "$cap/stdout" ] || { show_last; fail "--quiet printed something on stdout"; }
  check_run_dir "$work/out/quiet"
  expect_only "$work/out" quiet run
}

test_trace() {
  cd "$work" || exit 1
  lun run --trace -q -o "$work/run"
  expect_rc 0 "lunsim run --trace -o DIR"
  check_run_dir "$work/run"
  [ -f "$work/run/trace.csv" ] || fail "--trace wrote no trace.csv"
  head -n 1 "$work/run/trace.csv" | grep -qx 'time_s,kind,entity' || fail "trace.csv: unexpected header"
  # One row per engine event.
  rows=$(($(wc -l <"$work/run/trace.csv") - 1))
  events=$(meta_value "$work/run" events_processed)
  [ "$rows" -eq "$events" ] || fail "trace.csv has $rows rows, meta.csv says $events events were processed"
}

test_existing_empty_output() {
  mkdir -p "$work/empty" && cd "$work" || exit 1
  lun run -q -o "$work/empty"
  expect_rc 0 "lunsim run -o EXISTING_EMPTY_DIR"
  check_run_dir "$work/empty"
  expect_only "$work" empty
  # A missing parent is created.
  lun run -q -o "$work/new/parent/run"
  expect_rc 0 "lunsim run -o DIR_WITH_MISSING_PARENTS"
  check_run_dir "$work/new/parent/run"
}

test_numbered_runs() {
  mkdir "$work/cwd" && cd "$work/cwd" || exit 1
  lun run -q
  expect_rc 0 "lunsim run (no -o), first"
  check_run_dir runs/quickstart-001
  expect_only runs quickstart-001
  cp -R runs/quickstart-001 "$work/first-copy" || exit 1

  lun run
  expect_rc 0 "lunsim run (no -o), second"
  stdout_has "runs/quickstart-002" "the summary's output line"
  check_run_dir runs/quickstart-002
  expect_only runs quickstart-001 quickstart-002
  # The first run is untouched.
  for f in $(listing "$work/first-copy"); do
    cmp -s "$work/first-copy/$f" "runs/quickstart-001/$f" || fail "the second run changed runs/quickstart-001/$f"
  done
  [ "$(listing "$work/first-copy")" = "$(listing runs/quickstart-001)" ] || fail "the second run changed runs/quickstart-001"
  expect_only . runs
}

# compare_runs A B: byte-identical, except meta.csv's wall_time_s row.
compare_runs() {
  [ "$(listing "$1")" = "$(listing "$2")" ] ||
    fail "$1 and $2 hold different files: [$(joined "$1")] vs [$(joined "$2")]"
  for f in $(listing "$1"); do
    [ "$f" = meta.csv ] && continue
    cmp "$1/$f" "$2/$f" >&2 || fail "$f differs between two runs of the same scenario and seed"
  done
  grep -v '^wall_time_s,' "$1/meta.csv" >"$cap/meta-a"
  grep -v '^wall_time_s,' "$2/meta.csv" >"$cap/meta-b"
  if ! cmp -s "$cap/meta-a" "$cap/meta-b"; then
    diff "$cap/meta-a" "$cap/meta-b" >&2
    fail "meta.csv (wall_time_s aside) differs between two runs of the same scenario and seed"
  fi
}

test_determinism() {
  cd "$work" || exit 1
  # The embedded scenario, trace included.
  lun run --trace -q -o "$work/a"
  expect_rc 0 "first run"
  lun run --trace -q -o "$work/b"
  expect_rc 0 "second run"
  check_run_dir "$work/a"
  compare_runs "$work/a" "$work/b"
  # A scenario file with an explicit seed, from another working directory.
  mkdir "$work/elsewhere" || exit 1
  lun run "$SRC/scenarios/quickstart.yaml" --seed 5 -q -o "$work/c"
  expect_rc 0 "run of the scenario file"
  (cd "$work/elsewhere" && "$LUNSIM" run "$SRC/scenarios/quickstart.yaml" --seed 5 -q -o "$work/d") ||
    fail "run of the scenario file from another directory failed"
  compare_runs "$work/c" "$work/d"
  # A faulty scenario replays byte-identically: the same faults fire, with the same verdicts.
  lun run "$SRC/scenarios/errant-provider.yaml" --trace -q -o "$work/e"
  expect_rc 0 "first run of the errant-provider scenario"
  lun run "$SRC/scenarios/errant-provider.yaml" --trace -q -o "$work/f"
  expect_rc 0 "second run of the errant-provider scenario"
  [ -s "$work/e/faults.csv" ] || fail "the errant-provider run wrote no faults.csv"
  compare_runs "$work/e" "$work/f"
}

test_seed() {
  cd "$work" || exit 1
  seed=$(quickstart_seed)
  other=$((seed + 1))
  lun run -q -o "$work/a"
  expect_rc 0 "run with the scenario's seed"
  lun run --seed "$other" -q -o "$work/b"
  expect_rc 0 "run with --seed $other"
  [ "$(meta_value "$work/a" seed)" = "$seed" ] || fail "meta.csv of the default run: seed is not $seed"
  [ "$(meta_value "$work/b" seed)" = "$other" ] || fail "meta.csv of the --seed $other run: seed is not $other"
  ! cmp -s "$work/a/summary.csv" "$work/b/summary.csv" || fail "--seed $other gave the same summary.csv as seed $seed"
  [ "$(meta_value "$work/a" fingerprint)" != "$(meta_value "$work/b" fingerprint)" ] ||
    fail "--seed $other gave the same fingerprint as seed $seed"
  # The scenario itself is the same: only the seed changed.
  [ "$(meta_value "$work/a" scenario_sha256)" = "$(meta_value "$work/b" scenario_sha256)" ] ||
    fail "--seed changed scenario_sha256"
}

test_bad_usage() {
  mkdir "$work/cwd" && cd "$work/cwd" || exit 1
  lun
  expect_rc 2 "no subcommand"
  stderr_matches '.' "no subcommand: a message"
  lun --no-such-option
  expect_rc 2 "unknown option"
  lun run --no-such-option
  expect_rc 2 "unknown option of run"
  stderr_matches 'no-such-option' "unknown option of run: the message names it"
  lun frobnicate
  expect_rc 2 "unknown subcommand"
  lun run --seed notanumber
  expect_rc 2 "run --seed notanumber"
  stderr_matches 'notanumber' "run --seed notanumber: the message names the value"
  lun run --seed -1
  expect_rc 2 "run --seed -1 (no silent wrap to 2^64 - 1)"
  lun run --seed 99999999999999999999999
  expect_rc 2 "run --seed beyond 64 bits"
  lun frobnicate
  stderr_matches "unknown subcommand 'frobnicate'" "unknown subcommand: the message names it"
  lun run --seed
  expect_rc 2 "run --seed without a value"
  # demo checks its numbers like every other command (--drives 0 was an internal error, exit 3).
  lun demo --drives 0
  expect_rc 2 "demo --drives 0"
  stderr_matches 'drives' "demo --drives 0: the message names the option"
  lun demo --seed -5
  expect_rc 2 "demo --seed -5 (refused like run --seed -1)"
  lun demo --clients 0
  expect_rc 2 "demo --clients 0"
  lun run -o
  expect_rc 2 "run -o without a value"
  lun validate
  expect_rc 2 "validate without a file"
  lun help no-such-command
  expect_rc 2 "help no-such-command"
  # None of that wrote anything.
  expect_only .
}

test_scenario_errors() {
  mkdir "$work/cwd" && cd "$work/cwd" || exit 1
  # The quickstart with an unknown key on its last line.
  cp "$SRC/scenarios/quickstart.yaml" "$work/bad.yaml" || exit 1
  printf '\nhorizn: 5m\n' >>"$work/bad.yaml"
  line=$(wc -l <"$work/bad.yaml")

  lun run ../bad.yaml -o out/run
  expect_rc 2 "run of a scenario with an error, -o"
  stderr_matches "^\.\./bad\.yaml:$line:1: error: " "the diagnostic"
  stderr_matches '^1 error$' "the error count"
  # No run directory: neither the final one, nor a partial one, nor its parent.
  expect_only .

  lun run ../bad.yaml
  expect_rc 2 "run of a scenario with an error, numbered"
  stderr_matches "bad\.yaml:[0-9]+:[0-9]+: error: " "the diagnostic"
  expect_only .

  lun validate ../bad.yaml
  expect_rc 2 "validate of a scenario with an error"
  stderr_matches "^\.\./bad\.yaml:$line:1: error: " "the diagnostic"

  # An override that does not validate is a scenario error too.
  lun run --set horizon=banana -o out/run
  expect_rc 2 "run --set horizon=banana"
  stderr_matches '[^ ]+:[0-9]+:[0-9]+: error: ' "the diagnostic"
  expect_only .
}

# A write error (here a file-size limit, the way a full disk fails with "No space left on
# device"): a clear error naming the file and the reason, exit 2, nothing under the output's name.
test_write_error() {
  mkdir "$work/cwd" && cd "$work/cwd" || exit 1
  last_cmd="lunsim run (ulimit -f 20)"
  (trap '' XFSZ; ulimit -f 20; exec "$LUNSIM" run -o out/run -q) >"$cap/stdout" 2>"$cap/stderr"
  rc=$?
  expect_rc 2 "a run whose output cannot be written"
  stderr_matches 'out/run/[a-z_]*\.csv: write failed: File too large' "the message names the file and the reason"
  [ -e out/run ] && fail "a run directory was left under its final name"
  [ -z "$(ls -A out)" ] || fail "the temporary directory was left behind: $(ls -A out)"
  return 0
}

test_missing_file() {
  mkdir "$work/cwd" && cd "$work/cwd" || exit 1
  lun run no-such-scenario.yaml -o out/run
  expect_rc 2 "run of a nonexistent scenario file"
  stderr_matches 'no-such-scenario\.yaml' "the message names the file"
  lun validate no-such-scenario.yaml
  expect_rc 2 "validate of a nonexistent scenario file"
  stderr_matches 'no-such-scenario\.yaml' "the message names the file"
  lun run "$work"
  expect_rc 2 "run of a directory as scenario file"
  expect_only .
}

test_nonempty_output() {
  mkdir -p "$work/parent/full/sub" && cd "$work" || exit 1
  echo "precious" >"$work/parent/full/keep.txt"
  echo "nested" >"$work/parent/full/sub/n.txt"
  touch -d '2001-02-03 04:05:06' "$work/parent/full/keep.txt" "$work/parent/full/sub/n.txt" "$work/parent/full/sub"
  before=$(cd "$work/parent" && ls -lAR --time-style=full-iso full && cksum full/keep.txt full/sub/n.txt)

  lun run -o "$work/parent/full"
  expect_rc 2 "run -o NON_EMPTY_DIR"
  stderr_matches 'full' "the message names the directory"
  after=$(cd "$work/parent" && ls -lAR --time-style=full-iso full && cksum full/keep.txt full/sub/n.txt)
  [ "$before" = "$after" ] || fail "the non-empty output directory was changed:
$before
---
$after"
  # No partial directory was left next to it.
  expect_only "$work/parent" full

  # -o naming an existing file.
  echo "file" >"$work/parent/afile"
  lun run -o "$work/parent/afile"
  expect_rc 2 "run -o EXISTING_FILE"
  [ "$(cat "$work/parent/afile")" = file ] || fail "the existing file was changed"
  expect_only "$work/parent" afile full
}

test_validate() {
  cd "$work" || exit 1
  lun validate "$SRC/scenarios/quickstart.yaml"
  expect_rc 0 "validate scenarios/quickstart.yaml"
  stdout_has "ok" "validate's verdict"
  # validate runs nothing and writes nothing.
  expect_only "$work"
  # --graph writes the topology as DOT: quickstart has 2 host ports, 2 fabrics, 2 controllers with
  # 2 ports each, 1 enclosure and its 12 drives.
  lun validate "$SRC/scenarios/quickstart.yaml" --graph topo.dot
  expect_rc 0 "validate --graph"
  expect_only "$work" topo.dot
  head -n 1 topo.dot | grep -q '^graph G {$' || fail "topo.dot is not an undirected DOT graph"
  [ "$(grep -c 'kind=drive' topo.dot)" -eq 12 ] || fail "topo.dot: expected 12 drives"
  [ "$(grep -c 'kind=controller_port' topo.dot)" -eq 4 ] || fail "topo.dot: expected 4 controller ports"
  [ "$(grep -c 'kind=host_port' topo.dot)" -eq 2 ] || fail "topo.dot: expected 2 host ports"
  # An unwritable --graph path: exit 2, nothing left behind.
  lun validate "$SRC/scenarios/quickstart.yaml" --graph "$work/no-such-dir/topo.dot"
  expect_rc 2 "validate --graph into a missing directory"
  # The README's annotated scenario (every section, every key) is a valid scenario.
  awk '/^## Scenarios/{f=1} f&&/^```yaml/{g=1;next} g&&/^```/{exit} g' "$SRC/README.md" > readme.yaml
  [ -s readme.yaml ] || fail "no yaml block under the README's '## Scenarios'"
  lun validate readme.yaml
  expect_rc 0 "validate the README's scenario"
}

test_version_help() {
  cd "$work" || exit 1
  lun --version
  expect_rc 0 "lunsim --version"
  grep -qE '^lunsim [0-9]+\.[0-9]+\.[0-9]+' "$cap/stdout" || { show_last; fail "--version: unexpected text"; }
  lun help run
  expect_rc 0 "lunsim help run"
  for opt in --seed --set --trace --output; do stdout_has "$opt" "help run"; done
  lun run --help
  expect_rc 0 "lunsim run --help"
  stdout_has "--seed" "run --help"
  lun help
  expect_rc 0 "lunsim help"
  lun --help
  expect_rc 0 "lunsim --help"
  for sub in run validate; do stdout_has "$sub" "--help lists the subcommands"; done
}

# Starts lunsim in the background on a long scenario writing $work/out/run.
# Extra arguments after the request count go to lunsim.
start_long_run() {
  write_long_scenario "$work/long.yaml" "$1"
  shift
  mkdir "$work/out" && cd "$work" || exit 1
  last_cmd="lunsim run long.yaml -o $work/out/run -q $*"
  "$LUNSIM" run long.yaml -o "$work/out/run" -q "$@" >"$cap/stdout" 2>"$cap/stderr" &
  bg_pid=$!
}

# Kills the background lunsim; fails when it had already finished (nothing was tested then).
kill_long_run() {
  kill -KILL "$bg_pid" 2>/dev/null
  wait "$bg_pid" 2>/dev/null
  status=$?
  bg_pid=
  if [ "$status" -ne 137 ]; then
    cat "$cap/stderr" >&2
    fail "lunsim exited with status $status before it was killed: make the scenario in $0 bigger"
  fi
}

# After the kill, only hidden .run.partial-PID directories may be left: nothing looks complete.
expect_nothing_complete() {
  [ ! -e "$work/out/run" ] || fail "$work/out/run exists after lunsim was killed (holds: $(joined "$work/out/run"))"
  for e in $(listing "$work/out"); do
    case $e in
      .run.partial-*) echo "left behind (as allowed): $e, holding [$(joined "$work/out/$e")]" ;;
      *) fail "unexpected entry '$e' next to the killed run's directory" ;;
    esac
  done
  # The leftover does not stand in the way of the next run to the same directory.
  lun run -q -o "$work/out/run"
  expect_rc 0 "a run to the directory of the killed run"
  check_run_dir "$work/out/run"
}

test_kill_running() {
  start_long_run 100000
  sleep "$KILL_AFTER"
  kill_long_run
  expect_nothing_complete
}

# Ctrl-C (SIGINT) mid-simulation, one run and then replications: exit 130, a message, and
# nothing at all left in the output's parent (not even the hidden .partial directory).
test_sigint() {
  for extra in "" "--replications 1000 -j 2"; do
    rm -rf "$work/out" "$work/long.yaml"
    # shellcheck disable=SC2086  # extra is a list of options
    start_long_run 100000 $extra
    # Interrupt once it has done real work: a second of its own CPU time (not wall time: on a
    # loaded machine or under ASan a fixed sleep may end before the simulation starts).
    ticks=$(getconf CLK_TCK)
    for _ in $(seq 1 600); do
      cpu=$(awk '{ print $14 + $15 }' "/proc/$bg_pid/stat" 2>/dev/null || echo 0)
      [ "${cpu:-0}" -ge "$ticks" ] && break
      sleep 0.1
    done
    kill -INT "$bg_pid" 2>/dev/null
    wait "$bg_pid"
    rc=$?
    bg_pid=
    last_cmd="lunsim run long.yaml $extra (SIGINT)"
    expect_rc 130 "an interrupted run"
    grep -qx 'lunsim: interrupted: nothing was written (the unfinished output was removed)' "$cap/stderr" ||
      fail "stderr: $(cat "$cap/stderr")"
    [ -z "$(listing "$work/out")" ] || fail "left in the output's parent: $(listing "$work/out")"
  done
}

# The memory budget: a scenario whose estimate exceeds --max-memory is refused by validate, run
# and sweep before anything is built, at the enclosure that makes it large, exit 2, no output.
test_memory_budget() {
  mkdir "$work/out" && cd "$work" || exit 1
  cat >big.yaml <<'YAML'
name: big
horizon: 1h
drive_models:
  hdd: {capacity: 16TB, bandwidth: 250MB/s, latency: 4ms}
subsystems:
  - name: array
    enclosures:
      - {name: shelf, drives: {model: hdd, count: 10000000}}
YAML
  msg="big.yaml:8:9: error: the run needs about 8.11 GB (10000000 drives (enclosure 'shelf'): 8.1 GB), over the memory budget of 4 GB (--max-memory 4GB); make it smaller, or raise --max-memory"
  for cmd in "validate big.yaml" "run big.yaml -o out/run"; do
    # shellcheck disable=SC2086  # cmd is a list of words
    lun $cmd --max-memory 4GB
    expect_rc 2 "$cmd over the memory budget"
    grep -qxF "$msg" "$cap/stderr" || fail "$cmd: stderr: $(cat "$cap/stderr")"
  done
  # A sweep keeps no per-run tables: less per drive, still over.
  lun sweep big.yaml --grid horizon=1h,2h -o out/sweep -j 1 --max-memory 4GB
  expect_rc 2 "a sweep over the memory budget"
  grep -qF "big.yaml:8:9: error: the run needs about 4.81 GB (10000000 drives (enclosure 'shelf'): 4.8 GB)" "$cap/stderr" ||
    fail "sweep: stderr: $(cat "$cap/stderr")"
  [ -z "$(listing "$work/out")" ] || fail "output left: $(listing "$work/out")"
  lun validate big.yaml --max-memory lots
  expect_rc 2 "a bad --max-memory"
  grep -qF "lunsim: error: --max-memory 'lots': expected a size such as 512MiB or 6GB, or 'unlimited'" "$cap/stderr" ||
    fail "stderr: $(cat "$cap/stderr")"
  # Within the budget (or unlimited) it validates, and says what a run needs.
  lun validate big.yaml --max-memory unlimited
  expect_rc 0 "validate --max-memory unlimited"
  grep -q "; a run needs about 8.11 GB$" "$cap/stdout" || fail "stdout: $(cat "$cap/stdout")"
}

test_kill_writing() {
  # Waits until the temporary directory holds a file (the simulation is over and the outputs
  # are being written), then kills. --trace makes the writing phase long (trace.csv has a row
  # per engine event), so the kill lands while files are being written.
  start_long_run 30000 --trace
  deadline=$(($(date +%s) + 600))
  while :; do
    caught=
    for d in "$work/out"/.run.partial-*; do
      [ -d "$d" ] && [ -n "$(ls -A "$d" 2>/dev/null)" ] && caught=$d
    done
    [ -n "$caught" ] && break
    if [ -e "$work/out/run" ] || ! kill -0 "$bg_pid" 2>/dev/null; then
      wait "$bg_pid"
      status=$?
      bg_pid=
      cat "$cap/stderr" >&2
      fail "lunsim finished (status $status) before it was seen writing: make the scenario in $0 bigger"
    fi
    [ "$(date +%s)" -lt "$deadline" ] || fail "lunsim wrote no file within 600 s"
    sleep 0.005
  done
  kill_long_run
  echo "killed while $caught held [$(joined "$caught")]"
  expect_nothing_complete
}

# -----------------------------------------------------------------------------------------------
# lunsim check

CHECK_HEADER='behavior,client,verdict,client_hresult_hex,client_hresult,orphaned_luns,leaked_refs,expected_verdict'

test_check_csv() {
  mkdir "$work/cwd" && cd "$work/cwd" || exit 1
  lun check -o "$work/check"
  expect_rc 0 "lunsim check -o DIR (every reference cell matches the table)"
  stdout_has "every cell matches" "the verdict line"
  stdout_has "$work/check" "the output line"
  [ -f "$work/check/check.csv" ] || fail "check wrote no check.csv (the directory holds: $(joined "$work/check"))"
  head -n 1 "$work/check/check.csv" | grep -q "^$CHECK_HEADER" ||
    fail "check.csv: the header does not start with $CHECK_HEADER: $(head -n 1 "$work/check/check.csv")"
  rows=$(($(wc -l <"$work/check/check.csv") - 1))
  [ "$rows" -eq 66 ] || fail "check.csv has $rows data rows, expected 66 (22 behaviours x 3 clients)"
  # Every reference row carries its expected verdict, and it is the verdict found.
  ref=$(grep -c '^[a-z_]*,reference,' "$work/check/check.csv")
  [ "$ref" -eq 22 ] || fail "check.csv has $ref reference rows, expected 22"
  awk -F, 'NR > 1 && $2 == "reference" && $3 != $8 { bad = bad " " $1 } END { if (bad != "") { print bad; exit 1 } }' \
    "$work/check/check.csv" >"$cap/mismatch" || fail "reference rows whose verdict is not the expected one:$(cat "$cap/mismatch")"
  grep -q '^null_handle,reference,detected,0x8000FFFF,E_UNEXPECTED,0,0,detected,' "$work/check/check.csv" ||
    fail "check.csv: the null_handle x reference row is not as expected"
  grep -q '^never_completes,reference,hang,0x00000000,S_OK,0,1,hang,' "$work/check/check.csv" ||
    fail "check.csv: the never_completes x reference row is not as expected"
  # A second check is byte-identical (replay of faulty runs is deterministic).
  lun check -q -o "$work/again"
  expect_rc 0 "second lunsim check"
  [ ! -s "$cap/stdout" ] || { show_last; fail "check --quiet printed something on stdout"; }
  cmp "$work/check/check.csv" "$work/again/check.csv" >&2 || fail "check.csv differs between two identical checks"
  # Nothing was left in the working directory (-o was given).
  expect_only .
}

test_check_unknown_fault() {
  mkdir "$work/cwd" && cd "$work/cwd" || exit 1
  lun check --faults null_handle,no_such_behaviour -o "$work/cwd/out"
  expect_rc 2 "check --faults with an unknown behaviour"
  stderr_matches "no_such_behaviour" "the message names the behaviour"
  stderr_matches "null_handle" "the message lists the accepted behaviours"
  lun check --clients reference,optimist -o "$work/cwd/out"
  expect_rc 2 "check --clients with an unknown client"
  stderr_matches "optimist" "the message names the client"
  # No output directory was created.
  expect_only .
}

test_check_naive_only() {
  mkdir "$work/cwd" && cd "$work/cwd" || exit 1
  # The naive client crashes on null_handle; with no reference cell nothing is judged: exit 0.
  lun check --clients naive --faults null_handle -o "$work/naive"
  expect_rc 0 "check --clients naive --faults null_handle"
  rows=$(($(wc -l <"$work/naive/check.csv") - 1))
  [ "$rows" -eq 1 ] || fail "check.csv has $rows data rows, expected 1"
  grep -q '^null_handle,naive,crash,0x00000000,S_OK,0,0,,' "$work/naive/check.csv" ||
    fail "check.csv: unexpected row: $(sed -n 2p "$work/naive/check.csv")"
}

# -----------------------------------------------------------------------------------------------
# lunsim run --replications N

REPS_HEADER='replication,seed,metric,unit,better,n,mean,p50,p90,p99'

# metric_n FILE METRIC: column n of METRIC's row in a summary.csv.
metric_n() {
  awk -F, -v m="$2" 'NR > 1 && $1 == m { print $4 }' "$1"
}

test_replications() {
  mkdir "$work/cwd" && cd "$work/cwd" || exit 1
  lun run --replications 3 -o "$work/reps"
  expect_rc 0 "lunsim run --replications 3"
  stdout_has "replications   3" "the summary names the replications"
  stdout_has "io.read.response" "the summary's pooled rows"
  stdout_has "in total" "the summary's total events"
  top=$work/reps
  expect_only "$top" meta.csv summary.csv replications.csv rep-001 rep-002 rep-003
  for r in rep-001 rep-002 rep-003; do
    for f in $RUN_FILES; do
      [ "$f" = meta.csv ] && continue
      [ -s "$top/$r/$f" ] || fail "$top/$r lacks $f (it holds: $(joined "$top/$r"))"
    done
    [ ! -e "$top/$r/meta.csv" ] || fail "$top/$r has its own meta.csv (only the top level has one)"
  done
  [ "$(meta_value "$top" replications)" = 3 ] || fail "meta.csv: replications is not 3"
  [ -n "$(meta_value "$top" fingerprint)" ] || fail "meta.csv has no fingerprint"
  head -n 1 "$top/summary.csv" | grep -q '^metric,unit,better,n,mean,' || fail "summary.csv: unexpected header"
  # Few values pooled (3 x ~22,000 reads): every percentile is exact; rows without percentiles
  # (the cross-replication reliability rows) leave the column empty.
  head -n 1 "$top/summary.csv" | grep -q ',ci95_low,ci95_high,percentiles,se,relative_error,ess$' ||
    fail "summary.csv: no percentiles, se, relative_error and ess columns"
  pc=$(column_of "$top/summary.csv" percentiles)
  awk -F, -v c="$pc" 'NR > 1 && $c != "exact"' "$top/summary.csv" | grep -q . && fail "summary.csv: a pooled row is not exact"
  head -n 1 "$top/replications.csv" | grep -qx "$REPS_HEADER" ||
    fail "replications.csv: unexpected header $(head -n 1 "$top/replications.csv")"
  # One row per replication and metric, in (replication, metric) order.
  for i in 0 1 2; do
    r=rep-00$((i + 1))
    metrics=$(($(wc -l <"$top/$r/summary.csv") - 1))
    rows=$(awk -F, -v i="$i" 'NR > 1 && $1 == i' "$top/replications.csv" | wc -l)
    [ "$rows" -eq "$metrics" ] || fail "replications.csv has $rows rows of replication $i, $r/summary.csv $metrics metrics"
    awk -F, -v i="$i" 'NR > 1 && $1 == i { print $3 }' "$top/replications.csv" >"$cap/rep-metrics"
    sed 1d "$top/$r/summary.csv" | cut -d, -f1 >"$cap/sum-metrics"
    cmp -s "$cap/rep-metrics" "$cap/sum-metrics" || fail "replications.csv: the metrics of replication $i are not those of $r/summary.csv"
  done
  total=$(($(wc -l <"$top/replications.csv") - 1))
  sum=$(for r in rep-001 rep-002 rep-003; do sed 1d "$top/$r/summary.csv"; done | wc -l)
  [ "$total" -eq "$sum" ] || fail "replications.csv has $total rows, the replications $sum metrics"
  awk -F, 'NR > 1 { print $1 }' "$top/replications.csv" | LC_ALL=C sort -c -n 2>/dev/null ||
    fail "replications.csv is not in replication order"
  # The pooled n of io.read.response is the sum of the replications' n.
  pooled=$(metric_n "$top/summary.csv" io.read.response)
  [ -n "$pooled" ] || fail "summary.csv has no io.read.response row"
  parts=0
  for r in rep-001 rep-002 rep-003; do
    n=$(metric_n "$top/$r/summary.csv" io.read.response)
    parts=$((parts + n))
  done
  [ "$pooled" -eq "$parts" ] || fail "pooled io.read.response n is $pooled, the replications' sum $parts"
  # events_processed is the sum of the replications'.
  # Independent replications: different results.
  ! cmp -s "$top/rep-001/summary.csv" "$top/rep-002/summary.csv" || fail "replications 0 and 1 gave the same summary.csv"
  # Deterministic: a second run gives the same files (meta.csv's wall time aside).
  lun run --replications 3 -q -o "$work/again"
  expect_rc 0 "second lunsim run --replications 3"
  for f in summary.csv replications.csv rep-002/events.csv rep-003/summary.csv; do
    cmp "$top/$f" "$work/again/$f" >&2 || fail "$f differs between two identical multi-replication runs"
  done
  [ "$(meta_value "$top" fingerprint)" = "$(meta_value "$work/again" fingerprint)" ] || fail "the fingerprint is not reproducible"
  # A single run also writes replications.csv, with replication 0 only.
  lun run -q -o "$work/single"
  expect_rc 0 "lunsim run (one replication)"
  head -n 1 "$work/single/replications.csv" | grep -qx "$REPS_HEADER" || fail "single run: replications.csv header"
  rows=$(($(wc -l <"$work/single/replications.csv") - 1))
  metrics=$(($(wc -l <"$work/single/summary.csv") - 1))
  [ "$rows" -eq "$metrics" ] || fail "single run: replications.csv has $rows rows for $metrics metrics"
  [ "$(meta_value "$work/single" replications)" = 1 ] || fail "single run: meta.csv replications is not 1"
}

test_replication_zero() {
  cd "$work" || exit 1
  lun run --seed 9 --replications 2 -q -o "$work/reps"
  expect_rc 0 "lunsim run --seed 9 --replications 2"
  lun run --seed 9 -q -o "$work/single"
  expect_rc 0 "lunsim run --seed 9"
  # Replication 0 runs Simulation(seed, 0), as a plain run does: every file is the same.
  cmp "$work/reps/rep-001/summary.csv" "$work/single/summary.csv" >&2 ||
    fail "rep-001/summary.csv differs from the plain run's summary.csv"
  for f in $(listing "$work/reps/rep-001"); do
    cmp "$work/reps/rep-001/$f" "$work/single/$f" >&2 || fail "rep-001/$f differs from the plain run's $f"
  done
  ! cmp -s "$work/reps/rep-002/summary.csv" "$work/single/summary.csv" || fail "replication 1 equals replication 0"
  # With --replications 1 the layout is the plain one.
  lun run --seed 9 --replications 1 -q -o "$work/one"
  expect_rc 0 "lunsim run --seed 9 --replications 1"
  [ ! -e "$work/one/rep-001" ] || fail "--replications 1 wrote rep-001"
  cmp "$work/one/summary.csv" "$work/single/summary.csv" >&2 || fail "--replications 1 differs from the plain run"
}

# Past the exact bound (2^20 pooled values per metric) the pooled percentiles come from the
# sketch and say so; the output is the same bytes whatever the thread count.
test_replications_sketch() {
  cd "$work" || exit 1
  # bench/drive-fifo.yaml: 204,800 reads per replication, 6 replications: 1,228,800 > 2^20.
  for j in 1 2 3; do
    lun run "$SRC/bench/drive-fifo.yaml" --replications 6 --summary-only -j "$j" -q -o "$work/j$j"
    expect_rc 0 "lunsim run drive-fifo --replications 6 -j $j"
  done
  row=$(awk -F, '$1 == "io.read.response"' "$work/j1/summary.csv")
  pc=$(column_of "$work/j1/summary.csv" percentiles)
  [ "$(echo "$row" | cut -d, -f4)" = 1228800 ] || fail "io.read.response n: $row"
  [ "$(echo "$row" | cut -d, -f"$pc")" = sketch ] || fail "io.read.response is not marked sketch: $row"
  awk -F, -v c="$pc" '$1 == "io.throughput" { print $c }' "$work/j1/summary.csv" | grep -qx exact ||
    fail "io.throughput (6 values) is not exact"
  for j in 2 3; do
    for f in summary.csv replications.csv; do
      cmp "$work/j1/$f" "$work/j$j/$f" >&2 || fail "$f differs between -j 1 and -j $j"
    done
    sed '/^wall_time_s,/d' "$work/j1/meta.csv" >"$cap/m1"
    sed '/^wall_time_s,/d' "$work/j$j/meta.csv" >"$cap/mj"
    cmp "$cap/m1" "$cap/mj" >&2 || fail "meta.csv differs between -j 1 and -j $j"
  done
}

test_replications_bad() {
  mkdir "$work/cwd" && cd "$work/cwd" || exit 1
  for bad in 0 -1 abc 1.5 0x3 100001 99999999999999999999999 ""; do
    lun run --replications "$bad" -o out
    expect_rc 2 "run --replications '$bad'"
    stderr_matches 'replications' "run --replications '$bad': the message names the option"
  done
  lun run --replications
  expect_rc 2 "run --replications without a value"
  # None of that wrote anything.
  expect_only .
}

case $TEST in
  run_directory) test_run_directory ;;
  trace) test_trace ;;
  existing_empty_output) test_existing_empty_output ;;
  numbered_runs) test_numbered_runs ;;
  determinism) test_determinism ;;
  seed) test_seed ;;
  bad_usage) test_bad_usage ;;
  scenario_errors) test_scenario_errors ;;
  missing_file) test_missing_file ;;
  write_error) test_write_error ;;
  nonempty_output) test_nonempty_output ;;
  validate) test_validate ;;
  version_help) test_version_help ;;
  kill_running) test_kill_running ;;
  sigint) test_sigint ;;
  memory_budget) test_memory_budget ;;
  kill_writing) test_kill_writing ;;
  check_csv) test_check_csv ;;
  check_unknown_fault) test_check_unknown_fault ;;
  check_naive_only) test_check_naive_only ;;
  replications) test_replications ;;
  replication_zero) test_replication_zero ;;
  replications_sketch) test_replications_sketch ;;
  replications_bad) test_replications_bad ;;
  *) echo "e2e: unknown test '$TEST'" >&2; exit 2 ;;
esac
echo "PASS [$TEST]"
exit 0
