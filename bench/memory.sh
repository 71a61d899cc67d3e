#!/usr/bin/env bash
# The memory budget's estimate (sim/runner/budget.hpp) against the measured peak RSS of the
# command users run: for every shipped scenario and benchmark scenario, `lunsim validate` prints
# the estimate ("a run needs about X") and `lunsim run FILE -o DIR -q` is timed by GNU time
# (%M, peak RSS). One row per scenario: estimate, measured, ratio; the target is 0.5-2x. Also
# the 10^6-drive world of bench_scale as YAML (100 subsystems x 400 enclosures x 25 drives), and
# a long open loop (10^7 responses).
# usage: bench/memory.sh [--smoke]   (--smoke: the shipped scenarios only)
# Exit status 1 when a ratio falls outside 0.5-2.
set -eu
cd "$(dirname "$0")/.."
SMOKE=${1:-}
. bench/lib.sh
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "SKIP memory: GNU time (/usr/bin/time) is not installed"; exit 0; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/lunsim-memory.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

files="scenarios/*.yaml bench/drive-fifo.yaml bench/reliability.yaml bench/raid6-rare.yaml"
if [ "$SMOKE" != --smoke ]; then
  python3 - "$TMP/scale-1m.yaml" <<'PY'
import sys
lines = ["name: scale-1m", "seed: 1", "horizon: 1h", "metrics: {timeseries: false}",
         "drive_models:", "  hdd: {capacity: 16TB, bandwidth: 250MB/s, read_latency: 4ms, write_latency: 4ms}",
         "subsystems:"]
for s in range(100):
    lines += [f"  - name: array-{s}", "    management_latency: 100ms", "    controllers: 2", "    enclosures:"]
    lines += [f"      - {{name: a{s}-shelf-{e}, drives: {{model: hdd, count: 25}}}}" for e in range(400)]
open(sys.argv[1], "w").write("\n".join(lines) + "\n")
PY
  cat >"$TMP/open-loop-1e7.yaml" <<'YAML'
name: open-loop-1e7
horizon: 10000s
drive_models:
  ssd: {capacity: 4TB, bandwidth: unlimited, latency: 100us}
subsystems:
  - name: a
    enclosures: [{name: e, drives: {model: ssd, count: 8}}]
workload:
  - io: {name: fast, rate: 1000/s, size: 4KiB, targets: [e]}
YAML
  files="$files $TMP/scale-1m.yaml $TMP/open-loop-1e7.yaml"
fi

to_bytes() {  # "14.2 MB" -> bytes
  awk -v v="$1" -v u="$2" 'BEGIN { m = (u == "kB") ? 1e3 : (u == "MB") ? 1e6 : (u == "GB") ? 1e9 : (u == "TB") ? 1e12 : 1; printf "%.0f", v * m }'
}

bad=0
printf '%-34s %12s %12s %7s\n' "scenario" "estimate" "peak RSS" "ratio"
for f in $files; do
  est_text=$("$LUNSIM" validate "$f" 2>/dev/null | sed -n 's/.*a run needs about \([0-9.e+]*\) \([kMGT]*B\)$/\1 \2/p')
  [ -n "$est_text" ] || { echo "memory: no estimate for $f" >&2; bad=1; continue; }
  # shellcheck disable=SC2086  # "value unit"
  est=$(to_bytes $est_text)
  rm -rf "$TMP/out"
  "$TIME" -f '%M' -o "$TMP/rss" "$LUNSIM" run "$f" -o "$TMP/out" -q --max-memory unlimited >/dev/null 2>&1 || true
  rss=$(( $(tail -n 1 "$TMP/rss") * 1024 ))
  ratio=$(awk -v e="$est" -v r="$rss" 'BEGIN { printf "%.2f", e / r }')
  ok=$(awk -v x="$ratio" 'BEGIN { print (x >= 0.5 && x <= 2) ? "" : "  OUTSIDE 0.5-2" }')
  [ -z "$ok" ] || bad=1
  printf '%-34s %9.1f MB %9.1f MB %7s%s\n' "$(basename "$f")" "$(awk -v b="$est" 'BEGIN { print b / 1e6 }')" \
    "$(awk -v b="$rss" 'BEGIN { print b / 1e6 }')" "$ratio" "$ok"
done
exit $bad
