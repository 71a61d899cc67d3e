#!/bin/sh
# Importance sampling against plain Monte Carlo on a rare loss (issue 20), through the `lunsim
# run` command on one core:
#   1. bench/raid6-rare.yaml (P(loss) = 1.69388e-8) with importance sampling: runs of R
#      replications (-j 1 --summary-only), R starting at 2,000 and then set from the measured
#      relative error to reach a relative 95 % half-width 1.96 se / p of at most 10 %; reports
#      the R reached, the wall time of that run and of all runs together, and the estimate.
#   2. the same scenario under plain Monte Carlo (method monte_carlo) for R_plain replications:
#      its wall time per replication; the plain estimator needs 1.96^2 (1 - p) / (0.1^2 p)
#      replications for the same precision (its variance is p (1 - p)), so its cost is that many
#      times the time per replication.
#
# usage: bench/importance.sh [--smoke]      (LUNSIM_BIN_DIR: the build to use; else build-release)
set -eu
cd "$(dirname "$0")/.."
SMOKE=0
[ "${1:-}" = --smoke ] && SMOKE=1
. bench/lib.sh
SCEN=bench/raid6-rare.yaml
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
now_ns() { date +%s%N; }
# row DIR METRIC COLUMN: a column of a summary.csv row, by header name.
value() {
  awk -F, -v m="$2" -v c="$3" 'NR == 1 { for (i = 1; i <= NF; ++i) if ($i == c) k = i; next } $1 == m { print $k }' "$1/summary.csv"
}

R=2000
PLAIN=100000
if [ $SMOKE = 1 ]; then R=200; PLAIN=500; fi
total=0
run=0
while :; do
  run=$((run + 1))
  t0=$(now_ns)
  "$LUNSIM" run "$SCEN" --replications "$R" -j 1 --summary-only -q -o "$TMP/is$run"
  t1=$(now_ns)
  wall=$(( (t1 - t0) / 1000000 ))
  total=$((total + wall))
  p=$(value "$TMP/is$run" reliability.p_loss mean)
  se=$(value "$TMP/is$run" reliability.p_loss se)
  half=$(awk -v p="$p" -v s="$se" 'BEGIN { printf "%.4f", 1.96 * s / p }')
  echo "importance sampling: R = $R, wall $wall ms, p_loss $p, relative 95 % half-width $half"
  if [ $SMOKE = 1 ] || awk -v h="$half" 'BEGIN { exit !(h <= 0.10) }' || [ $run -ge 6 ]; then break; fi
  # The relative SE falls as 1/sqrt(R): the R that reaches 10 %, with 10 % to spare.
  R=$(awk -v r="$R" -v h="$half" 'BEGIN { printf "%d", r * (h / 0.10) ^ 2 * 1.1 + 1 }')
done
is_final_ms=$wall
is_total_ms=$total
is_R=$R
is_p=$p
is_half=$half

sed 's/^  method: importance_sampling$/  method: monte_carlo/; /^  bias: /d' "$SCEN" >"$TMP/plain.yaml"
t0=$(now_ns)
"$LUNSIM" run "$TMP/plain.yaml" --replications "$PLAIN" -j 1 --summary-only -q -o "$TMP/plain"
t1=$(now_ns)
plain_ms=$(( (t1 - t0) / 1000000 ))
awk -v R="$PLAIN" -v ms="$plain_ms" -v p=1.69388e-8 -v isr="$is_R" -v isf="$is_final_ms" -v ist="$is_total_ms" \
    -v isp="$is_p" -v ish="$is_half" 'BEGIN {
  per = ms / 1000 / R
  need = 1.96 ^ 2 * (1 - p) / (0.1 ^ 2 * p)
  printf "\n%-44s %14s %14s\n", "bench/raid6-rare.yaml, 10 % half-width", "replications", "wall (1 core)"
  printf "%-44s %14d %12.2f s   (all runs to find R: %.2f s)\n", "importance sampling (measured)", isr, isf / 1000, ist / 1000
  printf "%-44s %14.3g %12.3g s   (%.3g s per replication, measured at R = %d)\n", "plain Monte Carlo (from its variance)", need, need * per, per, R
  printf "%-44s %14s %12.3g x\n", "gain", "", need * per / (isf / 1000)
  printf "estimate %.4e, relative 95 %% half-width %.3f (exact 1.69388e-8)\n", isp, ish
}'
