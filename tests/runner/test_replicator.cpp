// Replicator (run.hpp): a model reset between replications gives exactly the run directory a
// freshly built one gives. Every shipped scenario (scenarios/*.yaml, bench/*.yaml, with their
// horizons cut where the run would be long) runs replications 0..3 both ways, in a shuffled
// order on the reused model, and every file of the two run directories is compared byte for
// byte (meta.csv is not written by write_tables; wall time stays out).
#include "sim/runner/outputs.hpp"
#include "sim/runner/run.hpp"

#include "sim/metrics/run_directory.hpp"
#include "sim/scenario/loader.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <unistd.h>
#include <string>

namespace fs = std::filesystem;

namespace {

/// Every file of a run directory written by write_tables, by name.
std::map<std::string, std::string> tables(const sim::runner::RunResult& r, const sim::scenario::ScenarioSpec& spec,
                                          const fs::path& dir) {
  fs::remove_all(dir);
  {
    auto out = sim::metrics::RunDirectory::create_exact(dir);
    sim::runner::write_tables(r, spec, sim::runner::summarize(r), out);
    out.commit();
  }
  std::map<std::string, std::string> files;
  for (const auto& e : fs::directory_iterator(dir)) {
    std::ifstream in(e.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    files[e.path().filename().string()] = ss.str();
  }
  fs::remove_all(dir);
  return files;
}

/// The same files with the same bytes.
void check_same_files(const std::map<std::string, std::string>& a, const std::map<std::string, std::string>& b) {
  REQUIRE(a.size() == b.size());
  for (const auto& [name, content] : a) {
    INFO(name);
    REQUIRE(b.contains(name));
    CHECK(b.at(name) == content);
  }
}

} // namespace

TEST_CASE("a reset model gives byte-identical run directories to a fresh one, for every shipped scenario") {
  const fs::path root = LUNSIM_SOURCE_DIR;
  const fs::path tmp = fs::temp_directory_path() / ("lunsim-replicator-" + std::to_string(::getpid()));
  for (const char* file : {"scenarios/quickstart.yaml", "scenarios/provisioning-under-load.yaml",
                           "scenarios/mm1-validation.yaml", "scenarios/errant-provider.yaml",
                           "scenarios/raid-reliability.yaml", "bench/reliability.yaml", "bench/drive-fifo.yaml"}) {
    sim::scenario::LoadOptions lo;
    if (std::string(file) == "bench/drive-fifo.yaml") lo.sets.push_back(sim::scenario::Override{"workload.0.io.requests=20"});
    auto loaded = sim::scenario::load_scenario_file(root / file, lo);
    REQUIRE(loaded.spec);
    const sim::scenario::ScenarioSpec& spec = *loaded.spec;
    sim::runner::Replicator reused(spec);
    for (const std::uint64_t rep : {2, 0, 3, 1}) {
      sim::runner::RunOptions o;
      o.replication = rep;
      const auto a = sim::runner::run_scenario(spec, o);
      const auto b = reused.run(o);
      INFO(file << " replication " << rep);
      CHECK(a.fingerprint == b.fingerprint);
      CHECK(a.events == b.events);
      const auto fa = tables(a, spec, tmp / "a");
      const auto fb = tables(b, spec, tmp / "b");
      check_same_files(fa, fb);
    }
  }
}

TEST_CASE("closed loops on drives: the compact request loop gives the coroutine loop's run, byte for byte") {
  // Two loads on drives only (the compact loop): 12 clients x 20 reads and writes, and 3 clients
  // without a request count, running until the horizon; a drive failure at 50 ms: requests
  // queued on it, in service and submitted after it are rejected, and both loops must record
  // them alike.
  const std::string text = R"(schema_version: 1
name: loops
seed: 7
drive_models:
  m: {capacity: 1TB, bandwidth: 200MB/s, latency: {dist: exponential, mean: 2ms}}
subsystems:
  - name: a
    enclosures:
      - {name: e, drives: {model: m, count: 6}}
workload:
  - io: {name: mixed, clients: 12, requests: 20, size: 64KiB, read: 70%,
         think: {dist: exponential, mean: 1ms}, targets: [e]}
  - io: {name: endless, clients: 3, size: 4KiB, read: 100%,
         think: {dist: uniform, min: 0s, max: 2ms}, targets: [e/1, e/2]}
failures:
  inject:
    - {at: 50ms, drive: e/1}
horizon: 400ms
metrics:
  timeseries: false
)";
  auto loaded = sim::scenario::load_scenario(text, "loops.yaml");
  REQUIRE(loaded.spec);
  const sim::scenario::ScenarioSpec& spec = *loaded.spec;
  const fs::path tmp = fs::temp_directory_path() / ("lunsim-loops-" + std::to_string(::getpid()));
  sim::runner::RunOptions compact, coroutine;
  coroutine.coroutine_clients = true;
  const auto a = sim::runner::run_scenario(spec, compact);
  const auto b = sim::runner::run_scenario(spec, coroutine);
  CHECK(a.fingerprint == b.fingerprint);
  CHECK(a.events == b.events);
  CHECK(a.end == b.end);
  // Every request of the finite load was recorded, and the failure mattered to both loads.
  std::map<std::string, std::uint64_t> requests, errors;
  for (const auto& io : a.io) {
    requests[io.load] += io.responses.size() + io.errors;
    errors[io.load] += io.errors;
  }
  CHECK(requests["mixed"] == 12 * 20);
  CHECK(errors["mixed"] > 0);
  CHECK(errors["endless"] > 0);
  CHECK(a.end == sim::base::Time{} + std::chrono::milliseconds(400));
  const auto fa = tables(a, spec, tmp / "a");
  const auto fb = tables(b, spec, tmp / "b");
  check_same_files(fa, fb);
}
