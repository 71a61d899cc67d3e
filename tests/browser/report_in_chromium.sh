#!/bin/sh
# The HTML report checked in a real browser (issues 9 and 23): Debian's Chromium, headless, as root.
#
#   report_in_chromium.sh LUNSIM SOURCE_DIR OUTPUT_DIR
#
# Writes three reports and loads each in Chromium:
#   run           scenarios/controller-failover.yaml, one run;
#   replications  the same with --replications 3 (bands from the other replications, intervals);
#   sweep         a tiny 2 x 2 sweep (3 replications per point): heat maps and metric-by-axis charts.
# Each is loaded inside a test-only page that frames it and reads its DOM after layout: every
# chart (figure.chart) holds an <svg> with a non-zero rendered size and drawn content, and the
# page has the expected charts; then
#   - run: the latency-over-time and IOPS charts among them;
#   - replications: the summary table has bracketed intervals ("mean [low, high]") and a band
#     (a translucent path) is drawn with a non-zero box;
#   - sweep: the heat maps' cells and the error bars are drawn with non-zero boxes;
# and, with console logging to stderr, the report must log nothing (it has no script, so any
# console message is an error such as a blocked load). Screenshots, 1280 px wide, in OUTPUT_DIR:
# report-first-screen.png (the run's first screen, 800 px), replications-report.png and
# sweep-report.png (2000 px: their tables and first charts).
# Exit 0 when all hold, 1 otherwise, 77 (ctest: skipped) with a message when Chromium is not
# installed (.ci/run installs it when it can).
set -u
lunsim=$1
src=$2
out=$3
chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium" ]; then
  echo "SKIPPED: Chromium is not installed (apt-get install chromium); the report was not checked in a browser"
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$lunsim" run "$src/scenarios/controller-failover.yaml" -o "$work/run" -q || fail "lunsim run"
"$lunsim" report "$work/run" -o "$work/report.html" >/dev/null || fail "lunsim report"
"$lunsim" run "$src/scenarios/controller-failover.yaml" -o "$work/reps" --replications 3 -j 2 -q || fail "lunsim run --replications 3"
"$lunsim" report "$work/reps" -o "$work/replications.html" >/dev/null || fail "lunsim report (replications)"
cp "$src/tests/cli/small.yaml" "$work/s.yaml"
"$lunsim" sweep "$work/s.yaml" -o "$work/sweep" --set 'workload.1.io.requests=400' --grid 'workload.1.io.clients=4,8' \
  --grid 'drive_models.d.latency={dist: exponential, mean: 5ms},{dist: exponential, mean: 6ms}' \
  --replications 3 -j 2 -q || fail "lunsim sweep"
"$lunsim" report "$work/sweep" -o "$work/sweep.html" >/dev/null || fail "lunsim report (sweep)"

# check_page NAME REPORT EXPECTED EXTRA: the checking page check-NAME.html frames REPORT
# (file:// access allowed by a flag), inspects it once loaded (EXPECTED: the chart names it must
# have; EXTRA: more JavaScript, with doc, out and bad), and writes its verdict into its own DOM,
# which --dump-dom prints.
check_page() {
  cat > "$work/check-$1.html" <<HTML
<!DOCTYPE html><html><body><pre id="result">PENDING</pre>
<iframe id="r" src="$2" style="width:1280px;height:800px"></iframe>
<script>
document.getElementById('r').addEventListener('load', () => {
  const out = [];
  try {
    const doc = document.getElementById('r').contentDocument;
    const figures = doc.querySelectorAll('figure.chart');
    const names = [];
    let bad = 0;
    const sized = e => { const b = e.getBoundingClientRect(); return b.width > 0 && b.height > 0; };
    figures.forEach(f => {
      const name = f.getAttribute('data-chart');
      names.push(name);
      const svg = f.querySelector('svg');
      if (!svg) { out.push('no svg in ' + name); bad++; return; }
      const drawn = svg.querySelectorAll('path, rect, line, polyline, polygon').length;
      if (!sized(svg)) { out.push('empty box: ' + name); bad++; }
      if (drawn === 0) { out.push('nothing drawn: ' + name); bad++; }
    });
    for (const want of [$3])
      if (!names.includes(want)) { out.push('missing chart: ' + want); bad++; }
    $4
    out.unshift((bad === 0 ? 'OK' : 'FAIL') + ' charts=' + figures.length + ' [' + [...new Set(names)].join(' ') + ']');
  } catch (e) { out.unshift('FAIL ' + e); }
  document.getElementById('result').textContent = out.join('\n');
});
</script></body></html>
HTML
}

check_page run report.html \
  "'latency-read', 'latency-write', 'latency-op', 'latency-over-time', 'iops-over-time', 'jobs', 'drives', 'queue-depth', 'utilization', 'paths'" \
  "const loads = doc.querySelectorAll('figure[data-chart=\"latency-over-time\"]').length;
    if (loads < 2) { out.push('latency over time: ' + loads + ' load(s), expected 2'); bad++; }"
check_page replications replications.html \
  "'latency-read', 'latency-write', 'latency-over-time', 'iops-over-time', 'queue-depth', 'utilization'" \
  "const intervals = [...doc.querySelectorAll('table.numbers td')].filter(td => /^-?[0-9.]+(e-?[0-9]+)? \\[-?[0-9.]+(e-?[0-9]+)?, -?[0-9.]+(e-?[0-9]+)?\\]/.test(td.textContent)).length;
    if (intervals < 5) { out.push('summary intervals: ' + intervals); bad++; } else out.push('summary cells with an interval: ' + intervals);
    const bands = [...doc.querySelectorAll('figure.chart path[fill-opacity=\"0.2\"]')].filter(sized).length;
    if (bands < 3) { out.push('bands drawn: ' + bands); bad++; } else out.push('bands drawn: ' + bands);
    if (!doc.body.textContent.includes('min\u2013max over replications 1\u20133')) { out.push('no band caption'); bad++; }"
check_page sweep sweep.html \
  "'sweep-heatmap', 'sweep-axis'" \
  "const cells = [...doc.querySelectorAll('figure[data-chart=\"sweep-heatmap\"] rect')].filter(r => r.querySelector('title') && sized(r)).length;
    if (cells < 4) { out.push('heat map cells drawn: ' + cells); bad++; } else out.push('heat map cells drawn: ' + cells);
    const whiskers = [...doc.querySelectorAll('figure[data-chart=\"sweep-axis\"] path[stroke-width=\"1.2\"]')].filter(sized).length;
    if (whiskers < 2) { out.push('error bars drawn: ' + whiskers); bad++; } else out.push('error bars drawn: ' + whiskers);"

flags="--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync --hide-scrollbars"
for name in run replications sweep; do
  echo "== $name"
  timeout 120 "$chromium" $flags --user-data-dir="$work/profile-$name" --allow-file-access-from-files --enable-logging=stderr --v=0 \
    --virtual-time-budget=10000 --dump-dom "file://$work/check-$name.html" > "$work/dom-$name.html" 2> "$work/console-$name.log"
  result=$(awk '/<pre id="result">/ { on = 1 } on { print } on && /<\/pre>/ { exit }' "$work/dom-$name.html")
  echo "$result" | sed 's/<[^>]*>//g'
  echo "$result" | grep -q '>OK charts=' || fail "the $name report's charts did not render (see above)"
  if grep 'CONSOLE' "$work/console-$name.log" | grep -q '\.html'; then
    grep 'CONSOLE' "$work/console-$name.log" | grep '\.html'
    fail "the $name report logged to the console"
  fi
done

mkdir -p "$out"
# The run's first screen; the replicated run and the sweep taller (their tables and first charts).
for shot in report.html:report-first-screen.png:800 replications.html:replications-report.png:2000 sweep.html:sweep-report.png:2000; do
  page=${shot%%:*}
  rest=${shot#*:}
  png=${rest%%:*}
  height=${rest#*:}
  rm -f "$out/$png"
  timeout 120 "$chromium" $flags --user-data-dir="$work/profile-shot" --window-size=1280,$height \
    --screenshot="$out/$png" "file://$work/$page" > /dev/null 2>&1
  [ -s "$out/$png" ] || fail "no screenshot written: $png"
  echo "screenshot: $out/$png"
done
echo "PASS"
