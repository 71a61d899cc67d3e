// `lunsim run --replications N` (sim/runner/replications.hpp, ReplicationPool): the pooled summary
// summarizes every replication's values together, and its ci95 is the t interval of the
// per-replication means, not of the pooled values.
#include "sim/runner/outputs.hpp"
#include "sim/runner/replications.hpp"
#include "sim/runner/run.hpp"

#include "sim/metrics/statistics.hpp"
#include "sim/scenario/loader.hpp"

#include <catch2/catch.hpp>

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

using sim::runner::MetricSample;
using sim::runner::Replication;
using sim::runner::ReplicationPool;
using sim::runner::SummaryRow;
namespace fs = std::filesystem;

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


bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

/// Today's pooling (before streaming): every value of every replication kept and summarized
/// at the end, ci95 from the list of replication means; in the pool's row order.
class KeepEverything {
public:
  void add(std::vector<MetricSample> samples) {
    std::size_t next = 0;
    for (MetricSample& m : samples) {
      const double mean = m.durations ? m.ns.summary().mean : m.values.summary().mean;
      std::size_t i = 0;
      while (i < entries_.size() && entries_[i].pooled.metric != m.metric) ++i;
      if (i == entries_.size()) {
        entries_.insert(entries_.begin() + static_cast<std::ptrdiff_t>(next), Entry{std::move(m), {mean}});
        i = next;
      } else {
        if (m.durations) entries_[i].pooled.ns.append(m.ns);
        else
          for (const double v : m.values.values()) entries_[i].pooled.values.add(v);
        entries_[i].means.push_back(mean);
      }
      next = i + 1;
    }
  }
  std::vector<SummaryRow> rows() const {
    std::vector<SummaryRow> out;
    for (const Entry& e : entries_) {
      const MetricSample& m = e.pooled;
      out.push_back(SummaryRow{m.metric, m.unit, m.better, m.durations ? m.ns.summary() : m.values.summary(),
                               sim::metrics::mean_ci95(e.means)});
    }
    return out;
  }

private:
  struct Entry {
    MetricSample pooled;
    std::vector<double> means;
  };
  std::vector<Entry> entries_;
};

void require_same_rows(const std::vector<SummaryRow>& a, const std::vector<SummaryRow>& b) {
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    INFO(a[i].metric);
    CHECK(a[i].metric == b[i].metric);
    CHECK(a[i].unit == b[i].unit);
    CHECK(std::memcmp(&a[i].stats, &b[i].stats, sizeof a[i].stats) == 0);
    CHECK((same_bits(a[i].ci95.low, b[i].ci95.low) || (std::isnan(a[i].ci95.low) && std::isnan(b[i].ci95.low))));
    CHECK((same_bits(a[i].ci95.high, b[i].ci95.high) || (std::isnan(a[i].ci95.high) && std::isnan(b[i].ci95.high))));
    CHECK(a[i].sketched == b[i].sketched);
  }
}

/// Every file under `dir` (relative name -> bytes), meta.csv's wall time removed.
std::map<std::string, std::string> files_under(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    if (e.path().filename() == "meta.csv") {
      const auto at = text.find("wall_time_s,");
      if (at != std::string::npos) text.erase(at);
    }
    out[fs::relative(e.path(), dir).string()] = text;
  }
  return out;
}

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

TEST_CASE("while the pool is exact its rows are today's pooling of every value, bit for bit", "[replications]") {
  const sim::scenario::LoadResult loaded = sim::scenario::load_scenario(small_scenario, "small.yaml");
  REQUIRE(loaded.spec);
  sim::runner::Replicator model(*loaded.spec);
  ReplicationPool pool;
  KeepEverything reference;
  for (std::uint64_t i = 0; i < 8; ++i) {
    sim::runner::RunOptions options;
    options.replication = i;
    const Replication rep = sim::runner::run_replication(model, options, sim::runner::ReplicationOptions{});
    pool.add(rep);
    options.replication = i;
    reference.add(sim::runner::collect_metrics(sim::runner::run_scenario(*loaded.spec, options)));
    // The replication's own rows are summarize()'s (without the batch-means interval).
    std::vector<SummaryRow> own = sim::runner::summarize(sim::runner::run_scenario(*loaded.spec, options));
    for (SummaryRow& r : own) r.ci95 = sim::metrics::Interval{std::nan(""), std::nan("")};
    require_same_rows(rep.summary, own);
  }
  // Both exact tiers: the reads' ~4,500 distinct response times are past the histogram.
  CHECK(pool.tier("io.read.response") == sim::metrics::PoolTier::Exact);
  CHECK(pool.tier("io.write.response") == sim::metrics::PoolTier::Histogram);
  CHECK(pool.tier("op.create_lun.failed") == sim::metrics::PoolTier::Histogram);
  CHECK(!pool.tier("no.such.metric"));
  const std::vector<SummaryRow> rows = pool.rows();
  require_same_rows(rows, reference.rows());
  for (const SummaryRow& r : rows) CHECK(!r.sketched);
}

TEST_CASE("a replication pool's memory stays bounded as replications are added", "[replications]") {
  // Each replication: 5,000 response times and 1,000 utilisations (in whole percent); 400 of
  // them pool 2,000,000 response times (sketched from the 210th) and 400,000 utilisations (a
  // histogram of 100 values).
  ReplicationPool pool;
  std::mt19937_64 rng(4);
  std::size_t most = 0, at_300 = 0;
  for (std::uint64_t r = 0; r < 400; ++r) {
    Replication rep;
    rep.index = r;
    sim::runner::SortedValues ns, util;
    ns.durations = true;
    for (int i = 0; i < 5000; ++i) ns.ns.push_back(static_cast<std::int64_t>(1'000'000 + rng() % 50'000'000));
    for (int i = 0; i < 1000; ++i) util.values.push_back(static_cast<double>(rng() % 100) * 0.01);
    std::sort(ns.ns.begin(), ns.ns.end());
    std::sort(util.values.begin(), util.values.end());
    rep.summary.push_back(SummaryRow{"io.read.response", "s", "lower", sim::metrics::summarize_sorted(std::span<const std::int64_t>(ns.ns)), {}});
    rep.summary.push_back(SummaryRow{"drive.utilization", "ratio", "none", sim::metrics::summarize_sorted(std::span<const double>(util.values)), {}});
    rep.values.push_back(std::move(ns));
    rep.values.push_back(std::move(util));
    pool.add(rep);
    most = std::max(most, pool.memory_bytes());
    if (r == 299) at_300 = pool.memory_bytes();
  }
  // At most the exact tier's 2^20 values (8 MiB), then a few thousand bucket counters.
  CHECK(most <= sim::metrics::PooledDurations::exact_limit * sizeof(std::int64_t) + 256 * 1024);
  // Once both are sketched, a few thousand bucket counters whatever comes next.
  CHECK(pool.memory_bytes() < 256 * 1024);
  CHECK(pool.memory_bytes() == at_300);
  const std::vector<SummaryRow> rows = pool.rows();
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].stats.n == 2'000'000);
  CHECK(rows[0].sketched);
  CHECK(rows[1].stats.n == 400'000);
  CHECK(!rows[1].sketched);  // 100 distinct values: exact however many
}

TEST_CASE("a replicated run directory is the same bytes for any thread count, past the exact bound too", "[replications]") {
  // 8 drives, 512 clients x 256 reads: 131,072 reads per replication, 9 replications: 1,179,648
  // pooled reads (sketched) and as many in the per-load row.
  const char* const text = R"(schema_version: 1
name: many-reads
seed: 5
drive_models:
  fifo: {capacity: 1TB, bandwidth: unlimited, latency: {dist: exponential, mean: 5ms}}
subsystems:
  - name: array
    enclosures:
      - {name: shelf, drives: {model: fifo, count: 8}}
workload:
  - io: {name: reads, clients: 512, requests: 256, size: 4KiB, read: 100%,
         think: {dist: exponential, mean: 1ms}, targets: [shelf]}
metrics:
  timeseries: false
)";
  const sim::scenario::LoadResult loaded = sim::scenario::load_scenario(text, "many-reads.yaml");
  REQUIRE(loaded.spec);
  const fs::path tmp = fs::temp_directory_path() / ("lunsim-replications-" + std::to_string(::getpid()));
  fs::remove_all(tmp);
  std::map<std::string, std::string> first;
  for (const unsigned threads : {1u, 2u, 3u}) {
    INFO(threads << " threads");
    sim::metrics::RunDirectory dir = sim::metrics::RunDirectory::create_exact(tmp / std::to_string(threads));
    sim::runner::ReplicatedRunOptions options;
    options.replications = 9;
    options.threads = threads;
    options.summary_only = threads != 2;  // rep-NNN directories in one run: the top level is unchanged
    const sim::runner::RunOutcome out = sim::runner::run_replications(*loaded.spec, options, {"test", "test"}, dir);
    dir.commit();
    CHECK(!out.single);
    bool sketched = false;
    for (const SummaryRow& r : out.rows) sketched = sketched || (r.metric == "io.read.response" && r.sketched);
    CHECK(sketched);
    std::map<std::string, std::string> files = files_under(tmp / std::to_string(threads));
    std::erase_if(files, [](const auto& f) { return f.first.starts_with("rep-"); });
    if (threads == 1) first = files;
    else {
      REQUIRE(files.size() == first.size());
      for (const auto& [name, bytes] : first) {
        INFO(name);
        CHECK(files.at(name) == bytes);
      }
    }
  }
  CHECK(first.at("summary.csv").find(",sketch,") != std::string::npos);
  fs::remove_all(tmp);
}

TEST_CASE("the aggregate takes replications in order only", "[replications]") {
  const sim::scenario::LoadResult loaded = sim::scenario::load_scenario(small_scenario, "small.yaml");
  REQUIRE(loaded.spec);
  const fs::path tmp = fs::temp_directory_path() / ("lunsim-aggregate-" + std::to_string(::getpid()));
  fs::remove_all(tmp);
  sim::metrics::RunDirectory dir = sim::metrics::RunDirectory::create_exact(tmp);
  sim::runner::ReplicationAggregate aggregate(dir, *loaded.spec, 3);
  sim::runner::Replicator model(*loaded.spec);
  sim::runner::RunOptions options;
  options.replication = 1;
  CHECK_THROWS_AS(aggregate.add(sim::runner::run_replication(model, options, {})), std::logic_error);
  options.replication = 0;
  aggregate.add(sim::runner::run_replication(model, options, {}));
  CHECK(aggregate.added() == 1);
  CHECK(aggregate.meta().replications == 3);
  CHECK(aggregate.meta().fingerprint == sim::runner::combine_fingerprints({model.run(options).fingerprint}));
}
