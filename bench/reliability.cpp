// Reliability Monte Carlo benchmark (issue 7): bench/reliability.yaml — 1,000 drives as 125
// RAID-5 7+1 groups (plus 20 hot spares), AFR 2 %, 24 h coarse rebuilds, 72 h replacement,
// 10 simulated years — run as independent replications on ONE thread, the way
// `lunsim run --replications N --summary-only -j 1` runs them (run_scenario without the event
// log, on one runner::Replicator that builds the world once and resets it between
// replications, then the summary metrics and the reliability record), timed with steady_clock.
//
// Reports, for R replications:
//   drive-years/s/core  replications x 1,000 drives x 10 y / wall seconds (the target is 10^7)
//   setup ms/rep        the same scenario with a 1 ns horizon (reset the world, create the
//                       125 LUNs, arm 1,020 lifetimes, collect): the per-replication set-up
//   mission ms/rep      the rest
// and the mean numbers of drive failures and losses per replication (sanity: AFR 2 % of 1,020
// drives over 10 y is ~204 failures).
//
// Usage: bench_reliability [--reps R] [--scenario FILE] [--no-setup] [--smoke]   (default R = 10000)
// --no-setup skips the set-up pass (setup_ms_per_rep and mission_ms_per_rep are then "-"): the
// inner loop alone, as bench/run.sh compares it with the `lunsim run` command.
#include "sim/runner/outputs.hpp"
#include "sim/runner/run.hpp"
#include "sim/scenario/loader.hpp"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

struct Timing {
  double seconds = 0;
  double failures = 0;
  double losses = 0;
};

Timing run(const sim::scenario::ScenarioSpec& spec, std::uint64_t reps) {
  Timing t;
  const auto t0 = std::chrono::steady_clock::now();
  sim::runner::Replicator model(spec);  // built once, reset between replications
  for (std::uint64_t i = 0; i < reps; ++i) {
    sim::runner::RunOptions o;
    o.replication = i;
    o.events = false;
    o.tables = false;
    const sim::runner::RunResult r = model.run(o);
    const auto samples = sim::runner::collect_metrics(r);  // what --replications does with it
    t.failures += static_cast<double>(r.reliability.drive_failures);
    t.losses += static_cast<double>(r.reliability.losses);
    if (samples.empty()) std::abort();
  }
  t.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return t;
}

} // namespace

int main(int argc, char** argv) {
  std::uint64_t reps = 10000;
  std::string file = "bench/reliability.yaml";
  bool setup_pass = true;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--smoke") == 0) reps = 20;
    else if (std::strcmp(argv[i], "--reps") == 0 && i + 1 < argc) reps = std::strtoull(argv[++i], nullptr, 10);
    else if (std::strcmp(argv[i], "--scenario") == 0 && i + 1 < argc) file = argv[++i];
    else if (std::strcmp(argv[i], "--no-setup") == 0) setup_pass = false;
    else {
      std::fprintf(stderr, "usage: bench_reliability [--reps R] [--scenario FILE] [--no-setup] [--smoke]\n");
      return 2;
    }
  }
  auto loaded = sim::scenario::load_scenario_file(file);
  if (!loaded.spec) {
    for (const auto& d : loaded.diagnostics) std::fprintf(stderr, "%s\n", d.format().c_str());
    return 2;
  }
  const sim::scenario::ScenarioSpec& spec = *loaded.spec;
  sim::scenario::ScenarioSpec setup_only = spec;
  setup_only.horizon = sim::base::Time{sim::base::Duration{1}};

  std::uint64_t drives = 0;
  for (const auto& s : spec.subsystems)
    for (const auto& e : s.enclosures) drives += e.count - e.hot_spares;
  const double years = static_cast<double>(spec.horizon.time_since_epoch().count()) / (365.25 * 86400e9);

  const Timing setup = setup_pass ? run(setup_only, reps) : Timing{};
  const Timing full = run(spec, reps);
  const double drive_years = static_cast<double>(reps) * static_cast<double>(drives) * years;
  std::printf("scenario %s: %llu replications, %llu drives (spares excluded), %.3g years each\n", file.c_str(),
              static_cast<unsigned long long>(reps), static_cast<unsigned long long>(drives), years);
  char setup_ms[32] = "-", mission_ms[32] = "-";
  if (setup_pass) {
    std::snprintf(setup_ms, sizeof setup_ms, "%.4f", 1e3 * setup.seconds / static_cast<double>(reps));
    std::snprintf(mission_ms, sizeof mission_ms, "%.4f", 1e3 * (full.seconds - setup.seconds) / static_cast<double>(reps));
  }
  std::printf("wall_s=%.3f drive_years_per_s_per_core=%.4g setup_ms_per_rep=%s mission_ms_per_rep=%s "
              "failures_per_rep=%.2f losses_per_rep=%.4f\n",
              full.seconds, drive_years / full.seconds, setup_ms, mission_ms, full.failures / static_cast<double>(reps),
              full.losses / static_cast<double>(reps));
  return 0;
}
