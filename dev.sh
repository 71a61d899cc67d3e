#!/bin/sh
# lunsim developer entry point: installs what is missing, configures, builds, then runs or tests.
#   ./dev.sh run [lunsim arguments...]   build and run the main job
#   ./dev.sh test                        build and run every test (warnings are errors when CI is set)
#   ./dev.sh asan                        build and run every test under ASan + UBSan (-O1)
#   ./dev.sh bench [bench/run.sh args]   Release build, then the benchmarks
set -eu
cd "$(dirname "$0")"

# openmpi-bin + libopenmpi-dev: `lunsim sweep` over MPI ranks and its ctest (mpiexec -np 2).
# help2man: the man pages (generated from the built lunsim's help); bash-completion and pkg-config:
# where the completion is installed (and its test); dpkg-dev and file: `cpack -G DEB` computes the
# package's Depends with dpkg-shlibdeps.
PKGS="g++ cmake ninja-build libboost-graph-dev libyaml-cpp-dev libcli11-dev catch2 openmpi-bin libopenmpi-dev
      help2man bash-completion pkg-config dpkg-dev file"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q ' installed$' || missing="$missing $p"
done
if [ -n "$missing" ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "dev.sh: installing:$missing" >&2
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
fi

mode="${1:-run}"
[ $# -gt 0 ] && shift
case "$mode" in
  run)
    cmake --workflow --preset default >&2
    exec ./build/lunsim run "$@"
    ;;
  test)
    if [ -n "${CI:-}" ]; then cmake --workflow --preset ci; else cmake --workflow --preset test; fi
    ;;
  asan)
    cmake --workflow --preset asan
    ;;
  bench)
    exec ./bench/run.sh "$@"
    ;;
  *)
    echo "usage: $0 run [args...] | test | asan | bench [args...]" >&2
    exit 2
    ;;
esac
