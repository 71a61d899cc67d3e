# Helpers shared by the end-to-end test scripts of tests/cli (sourced: `. "$(dirname "$0")/lib.sh"`).
# The script sets TEST (the test's name), LUNSIM (the binary), cap (a directory for the captured
# output of the last command) and work (the directory commands run in) before calling them.

fail() {
  echo "FAIL [$TEST]: $*" >&2
  exit 1
}

# lun ARGS...: runs lunsim in $work; sets $rc, stdout in $cap/stdout, stderr in $cap/stderr.
# stdin is /dev/null and stdout/stderr are files: never a terminal.
lun() {
  last_cmd="lunsim $*"
  (cd "$work" && "$LUNSIM" "$@" </dev/null >"$cap/stdout" 2>"$cap/stderr")
  rc=$?
}

# show_last: the last command, its exit status and the start of its output, on stderr.
show_last() {
  echo "--- command: $last_cmd (exit $rc)" >&2
  echo "--- stdout:" >&2
  head -c 4000 "$cap/stdout" >&2
  echo "--- stderr:" >&2
  head -c 4000 "$cap/stderr" >&2
}

expect_rc() { # expect_rc N WHAT
  if [ "$rc" -ne "$1" ]; then
    show_last
    fail "$2: expected exit status $1, got $rc"
  fi
}

# column_of FILE NAME: the 1-based position of column NAME in FILE's CSV header (empty if none).
column_of() {
  head -n 1 "$1" | tr ',' '\n' | grep -nx "$2" | cut -d: -f1
}
