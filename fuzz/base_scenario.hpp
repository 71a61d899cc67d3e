// The base scenario of the option targets (fuzz_set, fuzz_grid) when an input brings none: small,
// valid, and touching the sections options usually reach (drive models, subsystems, a workload
// with a LUN, a load and a dependency, failures, repair, metrics, a sweep grid), so that paths
// such as `workload.1.io.clients`, `drive_models.d.latency` or `repair.replace_after` exist.
#pragma once

#include <string_view>

namespace sim::fuzz {

inline constexpr std::string_view base_scenario = R"(schema_version: 1
name: fuzz-base
seed: 7
horizon: 5y
drive_models:
  d:
    capacity: 4TB
    bandwidth: 200MB/s
    latency: {dist: exponential, mean: 5ms}
subsystems:
  - name: a
    management_latency: {dist: uniform, min: 50ms, max: 200ms}
    init: none
    controllers: 2
    enclosures:
      - {name: e, drives: {model: d, count: 6}, hot_spares: 1}
workload:
  - {at: 0s, op: create_lun, name: l, type: raid5, size: 1TB, drives: 5}
  - io: {name: load, clients: 2, requests: 10, size: 4KiB, read: 70%,
         think: {dist: exponential, mean: 2ms}, targets: [l]}
  - {after: l, op: extend_lun, lun: l, by: 1GiB}
failures:
  lifetime: {afr: 30%}
repair:
  replace_after: 30d
metrics:
  timeseries: false
sweep:
  grid:
    repair.replace_after: [1d, 7d]
  replications: 2
)";

} // namespace sim::fuzz
