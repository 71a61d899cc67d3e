#!/bin/sh
# The HTML report checked in a real browser (issue 9): Debian's Chromium, headless, as root.
#
#   report_in_chromium.sh LUNSIM SOURCE_DIR OUTPUT_DIR
#
# Runs scenarios/controller-failover.yaml, writes its report, then loads it in Chromium:
#   - inside a test-only page that frames it and reads its DOM after layout: every chart
#     (figure.chart) holds an <svg> with a non-zero rendered size and drawn content, and the
#     page has the expected charts;
#   - with console logging to stderr: the report must log nothing (it has no script, so any
#     console message is an error such as a blocked load);
#   - a PNG screenshot of the first screen: OUTPUT_DIR/report-first-screen.png.
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

# The checking page: frames the report (file:// access allowed by a flag), inspects it once
# loaded, and writes its verdict into its own DOM, which --dump-dom prints.
cat > "$work/check.html" <<'HTML'
<!DOCTYPE html><html><body><pre id="result">PENDING</pre>
<iframe id="r" src="report.html" style="width:1280px;height:800px"></iframe>
<script>
document.getElementById('r').addEventListener('load', () => {
  const out = [];
  try {
    const doc = document.getElementById('r').contentDocument;
    const figures = doc.querySelectorAll('figure.chart');
    const names = [];
    let bad = 0;
    figures.forEach(f => {
      const name = f.getAttribute('data-chart');
      names.push(name);
      const svg = f.querySelector('svg');
      if (!svg) { out.push('no svg in ' + name); bad++; return; }
      const box = svg.getBoundingClientRect();
      const drawn = svg.querySelectorAll('path, rect, line, polyline, polygon').length;
      if (!(box.width > 0 && box.height > 0)) { out.push('empty box: ' + name); bad++; }
      if (drawn === 0) { out.push('nothing drawn: ' + name); bad++; }
    });
    for (const want of ['latency-read', 'latency-write', 'latency-op', 'jobs', 'drives', 'queue-depth', 'utilization', 'paths'])
      if (!names.includes(want)) { out.push('missing chart: ' + want); bad++; }
    out.unshift((bad === 0 ? 'OK' : 'FAIL') + ' charts=' + figures.length + ' [' + names.join(' ') + ']');
  } catch (e) { out.unshift('FAIL ' + e); }
  document.getElementById('result').textContent = out.join('\n');
});
</script></body></html>
HTML

flags="--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync --hide-scrollbars"
timeout 120 "$chromium" $flags --user-data-dir="$work/profile" --allow-file-access-from-files --enable-logging=stderr --v=0 \
  --virtual-time-budget=10000 --dump-dom "file://$work/check.html" > "$work/dom.html" 2> "$work/console.log"
result=$(awk '/<pre id="result">/ { on = 1 } on { print } on && /<\/pre>/ { exit }' "$work/dom.html")
echo "$result" | sed 's/<[^>]*>//g'
echo "$result" | grep -q '>OK charts=' || fail "the report's charts did not render (see above)"
if grep 'CONSOLE' "$work/console.log" | grep -q 'report.html'; then
  grep 'CONSOLE' "$work/console.log" | grep 'report.html'
  fail "the report logged to the console"
fi

mkdir -p "$out"
timeout 120 "$chromium" $flags --user-data-dir="$work/profile2" --window-size=1280,800 \
  --screenshot="$out/report-first-screen.png" "file://$work/report.html" > /dev/null 2>&1
[ -s "$out/report-first-screen.png" ] || fail "no screenshot written"
echo "screenshot: $out/report-first-screen.png"
echo "PASS"
