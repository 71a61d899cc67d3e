#!/bin/sh
# The README's command examples, run as written (issue 23): every ```sh block's commands.
#
#   readme.sh LUNSIM SOURCE_DIR
#
# Each command (continuation lines joined) runs from a scratch directory that holds the
# repository's scenarios/, examples/, sim/compat/ and tests/compat/ (as a clone's top level does),
# with `lunsim` and `build/lunsim` meaning LUNSIM. A trailing comment `# exit N` states the
# expected exit status (else 0). Replication counts above 50 are cut to 20 to keep CI quick (the
# statistics change, not the command). Not run here, and why:
#   ./dev.sh ...           the README's two set-up commands: CI runs `./dev.sh test` itself;
#   cmake ...              the packaging workflow: CI runs it in its packaging step;
#   mpirun / srun ...      need a launcher and a cluster (the MPI sweep has its own ctest);
# g++ lines need g++ (always there: it builds lunsim). Exit 0 when every command behaves.
set -u
LUNSIM=$1
SRC=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/lunsim-readme.XXXXXX")
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

mkdir -p "$work/sim" "$work/tests" "$work/build"
ln -s "$SRC/scenarios" "$work/scenarios"
ln -s "$SRC/examples" "$work/examples"
ln -s "$SRC/sim/compat" "$work/sim/compat"
ln -s "$SRC/tests/compat" "$work/tests/compat"
ln -s "$LUNSIM" "$work/build/lunsim"
mkdir -p "$work/bin"
ln -s "$LUNSIM" "$work/bin/lunsim"

# Every command of the ```sh blocks, one per line: "README_LINE<TAB>COMMAND".
awk '
  /^```sh[[:space:]]*$/ { inside = 1; next }
  /^```/ { inside = 0; next }
  inside {
    if (cmd == "") start = NR
    line = $0
    if (sub(/\\[[:space:]]*$/, "", line)) { cmd = cmd line; next }
    cmd = cmd line
    if (cmd ~ /[^[:space:]]/) printf "%d\t%s\n", start, cmd
    cmd = ""
  }' "$SRC/README.md" >"$work/commands"
[ -s "$work/commands" ] || fail "no \`\`\`sh block in the README"

ran=0
skipped=0
while IFS="$(printf '\t')" read -r line cmd; do
  case $cmd in
    ./dev.sh* | cmake* | mpirun* | srun*) skipped=$((skipped + 1)); continue ;;
  esac
  expect=0
  case $cmd in
    *"# exit "[0-9]*) expect=$(printf '%s\n' "$cmd" | sed 's/.*# exit \([0-9]*\).*/\1/') ;;
  esac
  # Strip the comment, reduce large replication counts, keep /tmp outputs inside the scratch dir.
  run=$(printf '%s\n' "$cmd" | sed -e 's/[[:space:]]#.*$//' \
    -e 's/--replications \([0-9][0-9][0-9][0-9]*\)/--replications 20/' \
    -e 's/--replications \([5-9][0-9]\)/--replications 20/' \
    -e "s|/tmp/|$work/tmp-|g")
  (cd "$work" && PATH="$work/bin:$PATH" sh -c "$run") >"$work/out" 2>&1
  rc=$?
  if [ "$rc" -ne "$expect" ]; then
    cat "$work/out" >&2
    fail "README.md:$line: exit status $rc, expected $expect: $run"
  fi
  echo "ok README.md:$line (exit $rc): $run"
  ran=$((ran + 1))
done <"$work/commands"
[ "$ran" -gt 0 ] || fail "no README command was run"
echo "PASS: $ran README commands run, $skipped not run here (dev.sh, cmake, MPI launchers)"
