#!/bin/sh
# Seed corpus of the fuzz targets, generated from what the repository ships and from run
# directories that lunsim writes (nothing is copied by hand):
#
#   scenario  scenarios/*.yaml, tests/cli/*.yaml, tests/cli/sweep/*.yaml, bench/*.yaml, the README's
#             ```yaml blocks and the inline YAML (R"(...)" literals) of tests/scenario/*.cpp
#   set       every --set value in tests/cli/*.sh, bench/*.sh and the README, one per input,
#             alone (the target's base scenario) and before "%%" and tests/cli/small.yaml; and
#             the first 8 in one input
#   grid      every --grid value there, alone and before "%%" and tests/cli/small.yaml; and the
#             first 4 in one input
#   csv       every CSV file of the run and sweep directories below
#   rundir    those directories as fuzz_rundir inputs ("@@ NAME" lines; each CSV file cut to
#             60 lines): a run, a run with 2 replications (rep-NNN/), a reliability run, two runs
#             side by side (cand/), a sweep with --keep-runs
#   decode    a task-result message (one metric, reliability fields zero) written with printf
#   trace     the traces under tests/trace/ and scenarios/traces/, each with its format byte
#             (0 fio, 1 blkparse, 2 msr; the committed tests/fuzz/trace/seed-* too)
# and two libFuzzer dictionaries, OUT/yaml.dict and OUT/rundir.dict (see the end).
#
# The run and sweep directories come from LUNSIM (any build's lunsim) on tests/cli/small.yaml
# and tests/cli/sweep/small.yaml at tiny sizes (a few seconds in a sanitizer build).
#
# usage: fuzz/corpus.sh OUT LUNSIM     writes OUT/<target>/ (OUT is emptied first)
set -eu
[ $# -eq 2 ] || { echo "usage: $0 OUT LUNSIM" >&2; exit 2; }
OUT=$1
LUNSIM=$2
cd "$(dirname "$0")/.."
rm -rf "$OUT"
for t in scenario set grid csv rundir decode trace; do mkdir -p "$OUT/$t"; done

# --- scenario ----------------------------------------------------------------------------------
for f in scenarios/*.yaml tests/cli/*.yaml tests/cli/sweep/*.yaml bench/*.yaml; do
  cp "$f" "$OUT/scenario/$(echo "$f" | tr '/' '_')"
done
awk -v out="$OUT/scenario/readme" '
  /^```yaml/ { n++; file = out "-" n ".yaml"; inside = 1; next }
  /^```/     { inside = 0; next }
  inside     { print > file }' README.md
# Raw string literals of the loader tests: from R"( to )" (the newline after R"( dropped).
for f in tests/scenario/*.cpp; do
  awk -v out="$OUT/scenario/$(basename "$f" .cpp)" '
    {
      line = $0
      while (line != "") {
        if (!inside) {
          i = index(line, "R\"(")
          if (i == 0) break
          n++; file = out "-" n ".yaml"; printf "" > file; inside = 1
          line = substr(line, i + 3)
          if (line == "") break
        }
        j = index(line, ")\"")
        if (j > 0) { printf "%s", substr(line, 1, j - 1) > file; close(file); inside = 0; line = substr(line, j + 2) }
        else { print line > file; line = "" }
      }
    }' "$f"
done

# --- set, grid: option values from the command-line tests and docs --------------------------
options() {  # $1: the option name; prints its values, one per line
  grep -ohE -- "$1[ =]('[^']*'|[^ '\"\$]+)" tests/cli/*.sh bench/*.sh README.md 2>/dev/null |
    sed -E "s/^$1[ =]//; s/^'(.*)'\$/\\1/" | grep -v '^\$' | grep '=' | sort -u
}
options --set | { n=0; while IFS= read -r v; do
  n=$((n + 1))
  printf '%s\n' "$v" > "$OUT/set/set-$n"
  { printf '%s\n%%%%\n' "$v"; cat tests/cli/small.yaml; } > "$OUT/set/set-small-$n"
done; }
options --grid | { n=0; while IFS= read -r v; do
  n=$((n + 1))
  printf '%s\n' "$v" > "$OUT/grid/grid-$n"
  { printf '%s\n%%%%\n' "$v"; cat tests/cli/small.yaml; } > "$OUT/grid/grid-small-$n"
done; }

# Several options in one input: the first 8 --set values and the first 4 --grid values.
options --set | head -n 8 > "$OUT/set/set-several"
options --grid | head -n 4 > "$OUT/grid/grid-several"

# --- csv, rundir: run and sweep directories ---------------------------------------------------
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
tiny="--set workload.1.io.requests=5 --set workload.1.io.clients=2"
# shellcheck disable=SC2086  # $tiny is a list of options
{
  "$LUNSIM" run tests/cli/small.yaml -q -o "$W/run" $tiny
  "$LUNSIM" run tests/cli/small.yaml -q -o "$W/run-seed2" --seed 2 $tiny
  "$LUNSIM" run tests/cli/small.yaml -q -o "$W/replications" --replications 2 $tiny
  "$LUNSIM" run tests/cli/sweep/small.yaml -q -o "$W/reliability" --replications 3 --summary-only
  "$LUNSIM" sweep tests/cli/sweep/small.yaml -q -o "$W/sweep" --replications 2 --keep-runs
} > "$W/log" 2>&1 || { cat "$W/log" >&2; echo "corpus.sh: $LUNSIM failed" >&2; exit 1; }

for d in run replications reliability sweep; do
  (cd "$W/$d" && find . -name '*.csv' -type f | sort) | while IFS= read -r f; do
    cp "$W/$d/$f" "$OUT/csv/$d-$(echo "${f#./}" | tr '/' '_')"
  done
done

bundle() {  # $1: directory, $2: prefix of the names ("" or "cand/"); prints the fuzz_rundir text
  (cd "$1" && find . -type f | sort) | while IFS= read -r f; do
    printf '@@ %s%s\n' "$2" "${f#./}"
    head -n 60 "$1/$f"
  done
}
bundle "$W/run" "" > "$OUT/rundir/run"
bundle "$W/replications" "" > "$OUT/rundir/replications"
bundle "$W/reliability" "" > "$OUT/rundir/reliability"
bundle "$W/sweep" "" > "$OUT/rundir/sweep"
{ bundle "$W/run" ""; bundle "$W/run-seed2" "cand/"; } > "$OUT/rundir/run-and-cand"

# --- decode: one metric, then the reliability record, seed, events, fingerprint, skipped -----
u64() {  # $1 < 256, as 8 bytes little-endian
  # shellcheck disable=SC2059  # the format is the octal escape of the byte
  printf "\\$(printf '%03o' "$1")"; printf '\000\000\000\000\000\000\000'
}
str() { u64 ${#1}; printf '%s' "$1"; }
{
  u64 1; str io.read.response; str s; str lower; u64 0
  i=0; while [ $i -lt 25 ]; do u64 0; i=$((i + 1)); done
} > "$OUT/decode/one-metric"

# --- trace: the shipped traces, each after its format byte (fio 0, blkparse 1, msr 2) ----------
for f in scenarios/traces/*; do
  [ -f "$f" ] || continue
  case "$f" in
    *.csv) byte='\002' ;;
    *.blkparse|*.blk) byte='\001' ;;
    *) byte='\000' ;;
  esac
  { printf "$byte"; head -c 16000 "$f"; } > "$OUT/trace/$(basename "$f")"
done

# --- dictionaries (libFuzzer -dict) ------------------------------------------------------------
# yaml.dict (scenario, set, grid): the loader's keys and names (its string literals), YAML
# syntax and units. rundir.dict: the readers' file and column names, and the bundle's marker.
words() {  # the string literals of [a-z0-9_./-] in the files given, as dictionary lines
  grep -ohE '"[a-z][a-z0-9_./-]{1,40}"' "$@" | sort -u
}
{
  words sim/scenario/*.cpp sim/base/units.cpp sim/base/size.cpp sim/base/time.cpp
  for t in ': ' '- ' '{' '}' '[' ']' ', ' '&a ' '*a' '<<: ' '---' '...' '!!str ' '|' '>' '#' '"' "'" \
           ms us ns s m h d y KiB MiB GiB TiB KB MB GB TB B/s MB/s % 1e309 -1 0x10 .inf .nan null true; do
    printf '"%s"\n' "$(printf '%s' "$t" | sed 's/\\/\\\\/g; s/"/\\"/g')"
  done
} > "$OUT/yaml.dict"
{
  words reports/*.cpp sim/metrics/*.cpp
  for t in '@@ meta.csv' '@@ summary.csv' '@@ replications.csv' '@@ points.csv' '@@ sweep.csv' \
           '@@ reliability.csv' '@@ cand/' '@@ rep-001/' '@@ point-001/' ',' '""' 1e308 -0 nan inf; do
    printf '"%s"\n' "$(printf '%s' "$t" | sed 's/"/\\"/g')"
  done
  printf '%s\n' '"\x0d\x0a"'
} > "$OUT/rundir.dict"

for t in scenario set grid csv rundir decode trace; do
  printf '%-9s %4d seeds\n' "$t" "$(find "$OUT/$t" -type f | wc -l)"
done
