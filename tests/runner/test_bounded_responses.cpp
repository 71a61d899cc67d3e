// A run keeps at most metrics::DurationSample::exact_limit (2^20) response times per target and
// direction, then a sketch (README "Bounded response times"): io.csv's counts and moments stay
// exact, summary.csv's row says `sketch`, and replications pool the sketch.
//
// Exact times: a drive of constant latency 1 ms and unlimited bandwidth serves one request at a
// time, so every response of a closed loop of one client is exactly 1 ms, and the sketch's
// percentiles, clamped into [min, max] = [1 ms, 1 ms], are exact too.
#include "sim/runner/outputs.hpp"
#include "sim/runner/replications.hpp"
#include "sim/runner/run.hpp"

#include "tests/support/scenario_text.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace sim;
using sim::testing::load_ok;

TEST_CASE("a target past 2^20 responses is sketched: exact counts and moments, the row says sketch, replications pool it") {
  constexpr std::size_t many = metrics::DurationSample::exact_limit + 51'424;  // 1,100,000
  const auto spec = load_ok("name: bounded\nseed: 1\n"
                            "drive_models:\n  d: {capacity: 1TB, bandwidth: unlimited, latency: 1ms}\n"
                            "subsystems:\n  - name: array\n    enclosures:\n      - {name: shelf, drives: {model: d, count: 2}}\n"
                            "metrics: {timeseries: false}\n"
                            "workload:\n"
                            "  - io: {name: long, clients: 1, requests: " + std::to_string(many) +
                            ", size: 4KiB, read: 100%, targets: [shelf/0]}\n"
                            "  - io: {name: short, clients: 1, requests: 1000, size: 4KiB, read: 100%, targets: [shelf/1]}\n");
  runner::RunResult r = runner::run_scenario(spec);
  REQUIRE(r.io.size() == 2);
  const runner::IoRecord& longer = r.io[0].load == "long" ? r.io[0] : r.io[1];
  const runner::IoRecord& shorter = r.io[0].load == "long" ? r.io[1] : r.io[0];
  REQUIRE(longer.responses.sketched());
  REQUIRE_FALSE(shorter.responses.sketched());
  CHECK(longer.responses.size() == many);
  CHECK(longer.bytes == many * 4096);
  const metrics::Summary s = longer.responses.summary();
  CHECK(s.n == many);
  CHECK(s.mean == 0.001);
  CHECK(s.stddev == 0.0);
  CHECK(s.min == 0.001);
  CHECK(s.p50 == 0.001);
  CHECK(s.p99 == 0.001);
  CHECK(s.max == 0.001);
  CHECK(longer.responses.tail()->sketch.memory_bytes() < 1024);  // one bucket of counts

  // The summary rows: the merged io.read.response holds a sketched target, so it is sketched;
  // its batch-means interval has zero width around 1 ms (every batch mean is 1 ms).
  const std::vector<runner::MetricSample> samples = runner::collect_metrics(r);
  bool seen = false;
  for (const runner::MetricSample& m : samples) {
    if (m.metric != "io.read.response" && m.metric != "io.long.read.response" && m.metric != "io.short.read.response") continue;
    const runner::SummaryRow row = runner::summarize_sample(m);
    INFO(m.metric);
    CHECK(row.sketched == (m.metric != "io.short.read.response"));
    if (m.metric == "io.read.response") {
      seen = true;
      CHECK(row.stats.n == many + 1000);
      CHECK(row.stats.p90 == 0.001);
      CHECK(row.ci95.low == 0.001);
      CHECK(row.ci95.high == 0.001);
    }
  }
  CHECK(seen);

  // Replications: each hands over its tail; the pool sketches and adds the counts exactly.
  runner::ReplicationPool pool;
  pool.add(runner::collect_metrics(r));
  const runner::Replication rep = runner::summarize_replication(std::move(r), runner::ReplicationOptions{}, {});
  pool.add(rep);
  CHECK(pool.tier("io.read.response") == metrics::PoolTier::Sketch);
  CHECK(pool.tier("io.short.read.response") == metrics::PoolTier::Histogram);
  for (const runner::SummaryRow& row : pool.rows()) {
    if (row.metric != "io.read.response") continue;
    CHECK(row.sketched);
    CHECK(row.stats.n == 2 * (many + 1000));
    CHECK(row.stats.mean == 0.001);
    CHECK(row.stats.p99 == 0.001);
  }
  for (const runner::SummaryRow& row : rep.summary)
    if (row.metric == "io.long.read.response") CHECK(row.sketched);
}
