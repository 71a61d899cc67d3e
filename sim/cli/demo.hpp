// The engine demonstration run by `lunsim run` until scenarios arrive: the drive-fifo closed
// queueing network of bench/peers (D FIFO drives with exponential service, C clients each
// issuing R requests to uniformly random drives with exponential think time), written as
// coroutine processes on the engine.
#pragma once

#include <cstdint>
#include <iosfwd>

namespace sim::cli {

struct DemoOptions {
  std::uint32_t drives = 64;
  std::uint32_t clients = 1024;
  std::uint32_t requests = 200;
  std::uint64_t seed = 42;
};

/// Runs the demo and prints a short summary to `out`. Returns the process exit status.
int run_demo(const DemoOptions& options, std::ostream& out);

} // namespace sim::cli
