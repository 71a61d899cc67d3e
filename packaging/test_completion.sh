#!/usr/bin/env bash
# The generated bash completion (argument: the lunsim.bash the build wrote): completions of
# typical command lines, without bash-completion's helpers (they are optional), then again with
# them when the package bash-completion is installed.
set -u
if [ "${2:-}" = with-helpers ]; then
  source /usr/share/bash-completion/bash_completion || exit 1
  declare -F _init_completion >/dev/null || { echo "no _init_completion"; exit 1; }
fi
source "$1" || { echo "cannot source $1"; exit 1; }

fail=0
# expect "<command line, cursor at the end>" "<words that must be offered>" ["<words that must not be>"]
expect() {
  local line=$1 want=$2 unwanted=${3:-}
  read -r -a COMP_WORDS <<<"$line"
  [[ $line == *" " ]] && COMP_WORDS+=("")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMP_LINE=$line
  COMP_POINT=${#line}
  COMPREPLY=()
  _lunsim
  local got=" ${COMPREPLY[*]} " w
  for w in $want; do
    [[ $got == *" $w "* ]] || { echo "FAIL: '$line' does not offer $w (offered:$got)"; fail=1; }
  done
  for w in $unwanted; do
    [[ $got == *" $w "* ]] && { echo "FAIL: '$line' offers $w (offered:$got)"; fail=1; }
  done
  return 0
}

expect "lunsim " "run sweep validate check explore compare report demo help --version"
expect "lunsim s" "sweep" "run"
expect "lunsim run --" "--output --seed --set --replications --threads --summary-only --trace --quiet" "--grid --resume"
expect "lunsim run --re" "--replications" "--resume"
expect "lunsim sweep --" "--grid --resume --keep-runs --independent --output" "--trace"
expect "lunsim compare --" "--threshold --design --fail-on --allow-missing --format"
expect "lunsim --version run --" "--trace"
expect "lunsim help " "run sweep compare"
expect "lunsim help c" "check compare" "run explore"
# The value of an option that takes one, and positionals, are left to file-name completion.
expect "lunsim run -o " "" "--trace run"
expect "lunsim run --trace " "" "--trace run"
[ $fail -eq 0 ] && echo "bash completion${2:+ ($2)}: all cases pass"
if [ $fail -eq 0 ] && [ -z "${2:-}" ] && [ -r /usr/share/bash-completion/bash_completion ]; then
  exec bash "$0" "$1" with-helpers
fi
exit $fail
