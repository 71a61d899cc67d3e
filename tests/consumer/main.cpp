// A program that uses lunsim as a library, built by tests/consumer/find_package (against an
// installed lunsim) and tests/consumer/add_subdirectory (lunsim's source tree inside the
// project). It is compiled with the consumer's flags only: -Wall -Wextra -Werror, and not lunsim's
// -Wold-style-cast, which the C-style cast below would trip if lunsim's warning flags leaked
// into its consumers.
#include "sim/base/time.hpp"
#include "sim/engine/simulation.hpp"
#include "sim/runner/run.hpp"
#include "sim/scenario/loader.hpp"

#include <vds.h>  // lunsim::compat: VDS client code includes it as on Windows

#include <chrono>
#include <cstdint>
#include <iostream>

namespace {

// One 8-drive subsystem provisions a RAID-5 LUN while a reader runs on it for a minute.
constexpr const char* scenario_text = R"(name: consumer
seed: 7
horizon: 60s
drive_models:
  ssd: {capacity: 1TB, latency: 1ms}
subsystems:
  - name: array
    management_latency: 0s
    init: none
    enclosures:
      - {name: shelf-1, drives: {model: ssd, count: 8}}
workload:
  - {at: 0s, op: create_lun, name: data, type: raid5, size: 100GB, drives: 4}
  - io: {name: host, clients: 1, think: 9ms, read: 100%, size: 4KiB, targets: [data]}
)";

} // namespace

int main() {
  const int cast = (int)3.75;  // a C-style cast: fine here, an error under lunsim's own flags

  // The engine on its own: three events on the simulated clock.
  sim::engine::Simulation simulation(42);
  std::uint64_t fired = 0;
  const sim::engine::Action count{[](void* ctx, std::uint64_t arg) { *static_cast<std::uint64_t*>(ctx) += arg; },
                                  &fired, 1};
  for (int ms = 1; ms <= 3; ++ms) simulation.schedule_in(std::chrono::milliseconds(ms), count);
  const std::uint64_t events = simulation.run();
  std::cout << "engine: " << events << " events, " << fired << " fired, clock at "
            << sim::base::format_seconds(simulation.now()) << " s\n";

  // A scenario, loaded and run in-process.
  sim::scenario::LoadResult loaded = sim::scenario::load_scenario(scenario_text, "consumer.yaml");
  for (const auto& d : loaded.diagnostics) std::cerr << d.format() << '\n';
  if (!loaded.spec) return 1;
  const sim::runner::RunResult result = sim::runner::run_scenario(*loaded.spec);
  std::uint64_t reads = 0;
  for (const auto& io : result.io) reads += io.responses.size();
  std::cout << "scenario: " << result.events << " events, " << result.ops.size() << " operation(s) "
            << (result.ops.empty() ? "none" : sim::runner::to_string(result.ops.front().status)) << ", "
            << result.luns.size() << " LUN(s), " << reads << " reads\n";

  const VDS_OBJECT_ID no_object{};
  std::cout << "compat: sizeof(VDS_OBJECT_ID) = " << sizeof no_object << ", cast = " << cast << '\n';

  const bool ok = events == 3 && fired == 3 && result.ops.size() == 1 &&
                  result.ops.front().status == sim::runner::OpStatus::Ok && reads > 0 && cast == 3;
  std::cout << (ok ? "consumer: ok" : "consumer: FAILED") << '\n';
  return ok ? 0 : 1;
}
