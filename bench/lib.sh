# Sourced by the benchmark scripts (from the repository root): LUNSIM_BIN_DIR names the build to
# measure; without it the Release preset is configured and built (cmake --workflow) and
# build-release is used. Sets BIN (the build directory) and LUNSIM (its lunsim).
if [ -n "${LUNSIM_BIN_DIR:-}" ]; then
  BIN=$LUNSIM_BIN_DIR
else
  cmake --workflow --preset release >/dev/null
  BIN=build-release
fi
LUNSIM=$BIN/lunsim
