// `lunsim run --replications N` (sim/runner/replications.hpp, ReplicationPool): the pooled summary
// summarizes every replication's values together, and its ci95 is the t interval of the
// per-replication means, not of the pooled values.
#include "sim/runner/outputs.hpp"
#include "sim/runner/replications.hpp"
#include "sim/runner/run.hpp"

#include "sim/metrics/statistics.hpp"
#include "sim/scenario/loader.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

using sim::runner::MetricSample;
using sim::runner::ReplicationPool;
using sim::runner::SummaryRow;

namespace {

MetricSample durations(const std::string& metric, const std::vector<std::int64_t>& ns) {
  MetricSample m;
  m.metric = metric;
  m.unit = "s";
  m.better = "lower";
  m.durations = true;
  m.batch_ci = true;
  for (std::int64_t v : ns) m.ns.add(sim::base::Duration{v});
  return m;
}

MetricSample values(const std::string& metric, const std::vector<double>& vs) {
  MetricSample m;
  m.metric = metric;
  m.unit = "ratio";
  m.better = "none";
  for (double v : vs) m.values.add(v);
  return m;
}

const SummaryRow& row(const std::vector<SummaryRow>& rows, const std::string& metric) {
  for (const SummaryRow& r : rows)
    if (r.metric == metric) return r;
  FAIL("no row " << metric);
  return rows.front();
}

const char* const small_scenario = R"(schema_version: 1
name: small
seed: 11
drive_models:
  m:
    capacity: 1.2TB
    bandwidth: 250MB/s
    latency: {dist: lognormal, median: 4ms, p99: 20ms}
subsystems:
  - name: array-a
    management_latency: {dist: uniform, min: 50ms, max: 200ms}
    enclosures:
      - {name: shelf-1, drives: {model: m, count: 6}}
workload:
  - {at: 0s, op: create_lun, name: data, type: stripe, size: 10GiB, drives: 6}
  - io: {name: load, clients: 4, requests: 200, size: 8KiB, read: 70%,
         think: {dist: exponential, mean: 1ms}, targets: [data]}
metrics:
  interval: 1h
)";

} // namespace

TEST_CASE("pooled n is the sum of the replications' n, and ci95 comes from the replication means") {
  ReplicationPool pool;
  // Means 1, 2 and 6 ms; values chosen so that the pooled mean (20/7 ms) differs from the mean
  // of the means (3 ms).
  pool.add({durations("io.read.response", {1'000'000}), values("drive.utilization", {0.5, 0.7})});
  pool.add({durations("io.read.response", {1'000'000, 3'000'000}), values("drive.utilization", {0.1, 0.3})});
  pool.add({durations("io.read.response", {4'000'000, 5'000'000, 6'000'000, 7'000'000})});
  REQUIRE(pool.replications() == 3);
  const std::vector<SummaryRow> rows = pool.rows();
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].metric == "io.read.response");
  CHECK(rows[1].metric == "drive.utilization");

  const SummaryRow& io = row(rows, "io.read.response");
  CHECK(io.stats.n == 7);
  CHECK(io.stats.mean == Approx(27e-3 / 7));
  CHECK(io.stats.max == Approx(7e-3));
  const std::vector<double> means = {1e-3, 2e-3, 5.5e-3};
  const sim::metrics::Interval expected = sim::metrics::mean_ci95(means);
  CHECK(io.ci95.low == Approx(expected.low));
  CHECK(io.ci95.high == Approx(expected.high));

  // Present in two replications only: n 4, interval of the two means 0.6 and 0.2.
  const SummaryRow& util = row(rows, "drive.utilization");
  CHECK(util.stats.n == 4);
  const std::vector<double> util_means = {0.6, 0.2};
  CHECK(util.ci95.low == Approx(sim::metrics::mean_ci95(util_means).low));
  CHECK(util.ci95.high == Approx(sim::metrics::mean_ci95(util_means).high));
}

TEST_CASE("a metric first seen in a later replication keeps its place after its predecessor") {
  ReplicationPool pool;
  pool.add({values("a", {1}), values("c", {1})});
  pool.add({values("a", {1}), values("b", {1}), values("c", {1})});
  const std::vector<SummaryRow> rows = pool.rows();
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].metric == "a");
  CHECK(rows[1].metric == "b");
  CHECK(rows[2].metric == "c");
  CHECK(rows[1].stats.n == 1);
  CHECK(std::isnan(rows[1].ci95.low));  // one replication: no interval
}

TEST_CASE("pooling real replications: n adds up, ci95 is the interval of the replication means") {
  const sim::scenario::LoadResult loaded = sim::scenario::load_scenario(small_scenario, "small.yaml");
  REQUIRE(loaded.spec);
  ReplicationPool pool;
  std::uint64_t read_n = 0;
  std::vector<double> read_means;
  std::vector<std::uint64_t> fingerprints;
  for (std::uint64_t i = 0; i < 3; ++i) {
    sim::runner::RunOptions options;
    options.replication = i;
    const sim::runner::RunResult result = sim::runner::run_scenario(*loaded.spec, options);
    fingerprints.push_back(result.fingerprint);
    const SummaryRow own = row(sim::runner::summarize(result), "io.read.response");
    read_n += own.stats.n;
    read_means.push_back(own.stats.mean);
    pool.add(sim::runner::collect_metrics(result));
  }
  // Independent replications: different trajectories.
  CHECK(fingerprints[0] != fingerprints[1]);
  CHECK(fingerprints[1] != fingerprints[2]);
  const std::vector<SummaryRow> rows = pool.rows();
  const SummaryRow& pooled = row(rows, "io.read.response");
  CHECK(pooled.stats.n == read_n);
  const sim::metrics::Interval expected = sim::metrics::mean_ci95(read_means);
  CHECK(pooled.ci95.low == expected.low);
  CHECK(pooled.ci95.high == expected.high);
  CHECK(pooled.ci95.low < pooled.ci95.high);
}

TEST_CASE("summarize equals the summaries of collect_metrics' samples") {
  const sim::scenario::LoadResult loaded = sim::scenario::load_scenario(small_scenario, "small.yaml");
  REQUIRE(loaded.spec);
  const sim::runner::RunResult result = sim::runner::run_scenario(*loaded.spec);
  const std::vector<SummaryRow> rows = sim::runner::summarize(result);
  const std::vector<MetricSample> samples = sim::runner::collect_metrics(result);
  REQUIRE(rows.size() == samples.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    CHECK(rows[i].metric == samples[i].metric);
    CHECK(rows[i].stats.n == samples[i].size());
  }
}

TEST_CASE("combine_fingerprints is FNV-1a over the fingerprints' bytes, in order") {
  CHECK(sim::runner::combine_fingerprints({}) == 0xcbf29ce484222325ULL);
  CHECK(sim::runner::combine_fingerprints({1, 2}) != sim::runner::combine_fingerprints({2, 1}));
  // FNV-1a 64 of the 8 bytes 00 .. 00 (one fingerprint 0).
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (int i = 0; i < 8; ++i) h = h * 0x100000001b3ULL;
  CHECK(sim::runner::combine_fingerprints({0}) == h);
}
