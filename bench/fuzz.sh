#!/bin/sh
# Fuzzing (issue 24): builds the libFuzzer targets of fuzz/ with clang (build-fuzz/: RelWithDebInfo,
# ASan + UBSan + coverage, -DLUNSIM_FUZZ=ON), generates the seed corpus (fuzz/corpus.sh), runs
# each target for the time given, one after the other, and prints one row per target:
#   runs, execs/s, cov and ft (libFuzzer's coverage counters), corpus size, crash/timeout/oom
#   counts, and the status: ok, or what was found.
#
# Each target runs with -fork=1 and -ignore_crashes/-ignore_timeouts/-ignore_ooms, so a finding
# does not end the run: every input that crashes, takes more than 10 s (-timeout=10) or more than
# 2 GiB (-rss_limit_mb=2048, also the largest single allocation) is kept. Afterwards each one is
# replayed and grouped by what it reproduces (the error kind and the first lunsim frame of its
# stack, or the target's line for a broken contract); the first of each new group is minimized
# (FUZZ_MINIMIZE seconds) and copied to tests/fuzz/<target>/ as <kind>-<where> (e.g.
# uncaught-YAML-InvalidNode-yaml_reader.cpp-511),
# where the replay tests (ctest -L fuzz) run it from then on. When triaging, keep that name as the
# prefix and add what it reproduces (<kind>-<where>--constant-dist-without-value): a finding whose
# name starts like a file there is reported as known, not copied again.
#
# usage: bench/fuzz.sh [MINUTES]   minutes per target (default 10; fractions such as 0.5 work)
# environment:
#   FUZZ_SECONDS=N     seconds per target instead of MINUTES (the CI smoke: 20)
#   FUZZ_TARGETS="..." the targets to run (default: scenario set grid csv rundir decode trace)
#   FUZZ_JOBS=2        run two targets at a time (figures are then per target on a shared machine)
#   FUZZ_MINIMIZE=N    seconds to minimize each distinct finding (default 60; 0: keep it as found)
#   LUNSIM=PATH        the lunsim that writes the seed run directories (default: build-fuzz's,
#                      built here; any build's lunsim will do)
# Outputs: build-fuzz/fuzz-corpus/<target>/ (the corpus, kept and grown from run to run),
# build-fuzz/fuzz-seeds/ (regenerated), build-fuzz/fuzz-logs/<target>.log,
# build-fuzz/fuzz-artifacts/<target>/ (this run's raw findings).
# Exit status: 0 when no target found anything, 1 when one did, 77 when clang or libFuzzer is
# missing (apt-get install clang libclang-rt-14-dev), 2 for bad usage or a failed build.
set -eu
cd "$(dirname "$0")/.."

MINUTES=${1:-10}
case "$MINUTES" in
  ''|*[!0-9.]*|*.*.*) echo "usage: $0 [MINUTES]   (FUZZ_SECONDS=N for seconds)" >&2; exit 2 ;;
esac
SECONDS_PER=${FUZZ_SECONDS:-$(echo "$MINUTES" | awk '{printf "%d", $1 * 60 + 0.5}')}
[ "$SECONDS_PER" -ge 1 ] || { echo "fuzz.sh: the time per target must be at least 1 s" >&2; exit 2; }
TARGETS=${FUZZ_TARGETS:-scenario set grid csv rundir decode trace}
JOBS=${FUZZ_JOBS:-1}
MINIMIZE=${FUZZ_MINIMIZE:-60}
B=build-fuzz
ROOT=$PWD

max_len() {
  case "$1" in
    scenario|set|csv|trace) echo 16384 ;;
    grid|decode) echo 4096 ;;
    rundir) echo 65536 ;;
  esac
}
dict() {
  case "$1" in
    scenario|set|grid) echo "-dict=$ROOT/$B/fuzz-seeds/yaml.dict" ;;
    rundir) echo "-dict=$ROOT/$B/fuzz-seeds/rundir.dict" ;;
  esac
}

# --- toolchain and build ----------------------------------------------------------------------
CHECK=$(mktemp -d)
trap 'rm -rf "$CHECK"' EXIT
printf 'extern "C" int LLVMFuzzerTestOneInput(const unsigned char*, unsigned long) { return 0; }\n' > "$CHECK/t.cpp"
if ! command -v clang++ >/dev/null 2>&1 || ! clang++ -fsanitize=fuzzer "$CHECK/t.cpp" -o "$CHECK/t" 2>/dev/null; then
  echo "SKIP fuzz: clang++ with libFuzzer is not installed (apt-get install clang libclang-rt-14-dev)"
  exit 77
fi
lap=$(date +%s)
failed() { tail -n 40 "$CHECK/build.log" >&2; echo "fuzz.sh: $1 failed" >&2; exit 2; }
CC=clang CXX=clang++ cmake -S . -B "$B" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLUNSIM_FUZZ=ON \
  -DLUNSIM_TESTS=OFF -DLUNSIM_BENCH=OFF -DLUNSIM_INSTALL=OFF -DLUNSIM_MPI=OFF > "$CHECK/build.log" 2>&1 ||
  failed "configuring $B"
BUILD="fuzz_all"
[ -n "${LUNSIM:-}" ] || { BUILD="$BUILD lunsim"; LUNSIM=$B/lunsim; }
# shellcheck disable=SC2086  # BUILD is a list of targets
ninja -C "$B" -j 2 $BUILD > "$CHECK/build.log" 2>&1 || failed "building $BUILD in $B"
echo "build: $(($(date +%s) - lap)) s"
lap=$(date +%s)
fuzz/corpus.sh "$B/fuzz-seeds" "$LUNSIM" | sed 's/^/seeds: /'
for t in $TARGETS; do  # the committed seeds too (not the findings: they are known to fail)
  for f in tests/fuzz/"$t"/seed-*; do [ ! -f "$f" ] || cp "$f" "$B/fuzz-seeds/$t/"; done
done
echo "seed corpus: $(($(date +%s) - lap)) s"

# --- one target ---------------------------------------------------------------------------------
# Prints "<kind> <where>" for the finding that input $2 of target $1 reproduces.
signature() {
  log=$ROOT/$B/fuzz-logs/replay.$1.$$
  "$ROOT/$B/fuzz/fuzz_$1" -runs=1 -timeout=10 -rss_limit_mb=2048 "$2" > "$log" 2>&1 || true
  kind=$(awk '
    /terminate called after throwing an instance of/ { s = $0; sub(/.*instance of ./, "", s); sub(/.$/, "", s); print "uncaught-" s; exit }
    /lunsim fuzz finding:/ { print "broken-contract"; exit }
    /ERROR: libFuzzer: timeout/ { print "timeout"; exit }
    /ERROR: libFuzzer: out-of-memory \(malloc/ { print "oom-allocation"; exit }
    /ERROR: libFuzzer: out-of-memory/ { print "oom-rss"; exit }
    /ERROR: LeakSanitizer/ { print "leak"; exit }
    /ERROR: AddressSanitizer: / { s = $0; sub(/.*AddressSanitizer: /, "", s); sub(/ .*/, "", s); print "asan-" s; exit }
    /runtime error: / { s = $0; sub(/.*runtime error: /, "", s); split(s, w, " "); print "ubsan-" w[1] "-" w[2]; exit }
    /ERROR: libFuzzer: deadly signal/ { print "crash"; exit }' "$log" | sed 's/::/-/g' | tr -c 'A-Za-z0-9_.\n-' '-')
  where=$({ grep -oE '/(sim|reports)/[^ :]+\.(cpp|hpp):[0-9]+' "$log"; grep -oE '/fuzz/fuzz_[a-z]+\.cpp:[0-9]+' "$log"; } |
          head -n 1 | sed 's|.*/||; s|:|-|')
  rm -f "$log"
  echo "${kind:-unknown} ${where:-nowhere}"
}

# Copies finding $2 of target $1 to tests/fuzz/$1/$3 unless a file there starts with $3 (known).
keep() {
  as=$(find "tests/fuzz/$1" -name "$3*" | head -n 1)
  if [ -n "$as" ]; then
    echo "$1: ${2##*/} reproduces $3, known as $as"
    return 1
  fi
  mkdir -p "tests/fuzz/$1"
  cp "$2" "tests/fuzz/$1/$3"
  echo "$1: NEW finding $3: tests/fuzz/$1/$3"
}

run_target() {
  t=$1
  bin=$ROOT/$B/fuzz/fuzz_$t
  corpus=$ROOT/$B/fuzz-corpus/$t
  art=$ROOT/$B/fuzz-artifacts/$t
  work=$ROOT/$B/fuzz-work/$t
  log=$ROOT/$B/fuzz-logs/$t.log
  rm -rf "$art" "$work"
  mkdir -p "$corpus" "$art" "$work"
  # With -fork, libFuzzer exits with the code of the last failing job (77 crash, 70 timeout,
  # 71 OOM) even though it went on: the artifacts tell what was found.
  rc=0
  # shellcheck disable=SC2046  # dict is one option or none
  (cd "$work" && TMPDIR=$work "$bin" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
     -max_total_time="$SECONDS_PER" -rss_limit_mb=2048 -timeout=10 -max_len="$(max_len "$t")" -print_funcs=0 \
     $(dict "$t") -artifact_prefix="$art/" "$corpus" "$ROOT/$B/fuzz-seeds/$t") > "$log" 2>&1 || rc=$?
  echo "$rc" > "$art/.status"
}

# --- run ------------------------------------------------------------------------------------------
mkdir -p "$B/fuzz-logs"
echo "fuzzing $SECONDS_PER s per target ($JOBS at a time): $TARGETS"
running=0
for t in $TARGETS; do
  [ -f "fuzz/fuzz_$t.cpp" ] || { echo "fuzz.sh: no target $t" >&2; exit 2; }
  run_target "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$JOBS" ]; then wait; running=0; fi
done
wait

found=0
ROWS=$CHECK/rows
printf '%-9s %7s %10s %8s %7s %7s %7s %17s  %s\n' target seconds runs exec/s cov ft corpus crash/timeout/oom status > "$ROWS"
for t in $TARGETS; do
  art=$B/fuzz-artifacts/$t
  stats=$(grep -E '^#[0-9]+: cov: ' "$B/fuzz-logs/$t.log" | tail -n 1)
  # "#RUNS: cov: C ft: F corp: K exec/s E oom/timeout/crash: O/T/C time: Ss job: J dft_time: 0"
  # (its exec/s is the last job's; the figure here is runs / time over the whole run)
  status=ok
  [ -n "$stats" ] || { stats="#-: - - - - - - - - - - - -s"; status="no statistics (see $B/fuzz-logs/$t.log)"; }
  case $(cat "$art/.status") in
    0|70|71|77) ;;
    *) status="libFuzzer exited $(cat "$art/.status") (see $B/fuzz-logs/$t.log)"; found=1 ;;
  esac
  # shellcheck disable=SC2086  # split the line into fields
  set -- $stats
  runs=${1#\#}; runs=${runs%:}
  rate=$(echo "$runs ${13}" | awk '{t = $2 + 0; if (t > 0) printf "%d", $1 / t; else print "-"}')
  kept=""
  new=""
  known=""
  for path in "$art"/crash-* "$art"/timeout-* "$art"/oom-* "$art"/leak-*; do
    [ -f "$path" ] || continue
    sig=$(signature "$t" "$path")
    name=$(echo "$sig" | tr ' ' '-')
    case " $kept " in *" $name "*) continue ;; esac
    kept="$kept $name"
    if ! keep "$t" "$path" "$name"; then known="$known $name"; continue; fi
    new="$new $name"
    # libFuzzer's minimizer takes any failure it meets on the way: the result replaces the input
    # only when it reproduces the same finding, and is kept on its own when it is another one.
    out=tests/fuzz/$t/$name
    if [ "$MINIMIZE" -gt 0 ]; then
      timeout "$MINIMIZE" "$ROOT/$B/fuzz/fuzz_$t" -minimize_crash=1 -max_total_time="$MINIMIZE" -timeout=10 \
        -rss_limit_mb=2048 -exact_artifact_path="$CHECK/min" "$out" > "$B/fuzz-logs/minimize.$t.log" 2>&1 || true
      if [ -s "$CHECK/min" ]; then
        sig2=$(signature "$t" "$CHECK/min")
        name2=$(echo "$sig2" | tr ' ' '-')
        if [ "$sig2" = "$sig" ]; then
          mv "$CHECK/min" "$out"
        elif [ "${sig2%% *}" != unknown ] && ! case " $kept " in *" $name2 "*) true ;; *) false ;; esac; then
          kept="$kept $name2"
          if keep "$t" "$CHECK/min" "$name2"; then
            new="$new $name2"
            echo "$t: (found while minimizing $name)"
          else
            known="$known $name2"
          fi
        fi
        rm -f "$CHECK/min"
      fi
    fi
    echo "$t: $name is $(wc -c < "$out") bytes"
  done
  [ -z "$kept" ] || { status="FOUND"; found=1; }
  [ -z "$new" ] || status="$status new:$new"
  [ -z "$known" ] || status="$status known:$known"
  printf '%-9s %7s %10s %8s %7s %7s %7s %17s  %s\n' "$t" "$SECONDS_PER" "$runs" "$rate" "$3" "$5" "$7" "${11}" "$status" >> "$ROWS"
done
echo
cat "$ROWS"
exit "$found"
