#!/bin/sh
# Re-approve the golden scenario results:
#
#   tests/golden/approve.sh [BUILD_DIR]
#
# Run this when a change of results is intended; review the diff (git diff tests/golden) before
# committing it.
#
# It builds lunsim in BUILD_DIR (default: build, the "default" preset's directory; relative paths
# are taken from the current directory, and BUILD_DIR may also be the lunsim binary itself, which
# is then used as it is), runs every scenarios/*.yaml the way the golden tests do
# (tests/cli/golden.sh: `lunsim run FILE -o TMP -q`) and rewrites, per scenario FILE.yaml,
#   tests/golden/FILE.summary.csv   its summary.csv, byte for byte
#   tests/golden/FILE.meta          the events_processed and fingerprint rows of its meta.csv
# Expectations of scenarios that no longer exist are deleted. A scenario that fails to run keeps
# its old expectation, and the script exits 1.
set -u

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
golden_sh=$repo/tests/cli/golden.sh
target=${1:-$repo/build}

if [ -f "$target" ] && [ -x "$target" ]; then
  lunsim=$target
else
  [ -d "$target" ] || { echo "approve.sh: no build directory '$target' (configure one first, e.g. cmake --preset default)" >&2; exit 2; }
  echo "approve.sh: building lunsim in $target"
  cmake --build "$target" --target lunsim || { echo "approve.sh: the build failed" >&2; exit 1; }
  lunsim=$target/lunsim
fi
case $lunsim in /*) ;; *) lunsim=$(pwd)/$lunsim ;; esac
[ -x "$lunsim" ] || { echo "approve.sh: no lunsim binary at $lunsim" >&2; exit 2; }
echo "approve.sh: $("$lunsim" --version)"

staged=
trap 'rm -rf "$staged"' EXIT
trap 'exit 1' INT TERM HUP
failed=0
count=0
for scenario in "$repo"/scenarios/*.yaml "$repo"/bench/*.yaml; do
  [ -f "$scenario" ] || continue
  stem=$(basename "$scenario" .yaml)
  # Written aside first, so a scenario that fails to run keeps its old expectation.
  staged=$(mktemp -d "${TMPDIR:-/tmp}/lunsim-approve.XXXXXX") || exit 1
  if sh "$golden_sh" produce "$lunsim" "$scenario" "$staged"; then
    mv "$staged/$stem.summary.csv" "$here/$stem.summary.csv" &&
      mv "$staged/$stem.meta" "$here/$stem.meta" || failed=1
    count=$((count + 1))
    echo "  ${scenario#"$repo"/} -> tests/golden/$stem.summary.csv, $stem.meta"
  else
    echo "approve.sh: ${scenario#"$repo"/} failed to run; its expectation is unchanged" >&2
    failed=1
  fi
  rm -rf "$staged"
done

for f in "$here"/*.summary.csv "$here"/*.meta; do
  [ -e "$f" ] || continue
  name=$(basename "$f")
  stem=${name%.summary.csv}
  stem=${stem%.meta}
  if [ ! -f "$repo/scenarios/$stem.yaml" ] && [ ! -f "$repo/bench/$stem.yaml" ]; then
    rm -f "$f"
    echo "  removed tests/golden/$name (its scenario no longer exists)"
  fi
done

echo "approve.sh: $count scenario(s) approved."
if command -v git >/dev/null 2>&1 && git -C "$repo" rev-parse --git-dir >/dev/null 2>&1; then
  changes=$(git -C "$repo" status --short -- tests/golden)
  if [ -n "$changes" ]; then
    echo "Changed expectations (review with: git diff tests/golden):"
    echo "$changes"
  else
    echo "No expectation changed."
  fi
fi
exit "$failed"
