#include "reports/compare.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

using namespace sim::reports;

namespace {

RunData run(std::map<std::string, std::vector<double>> reps, std::map<std::string, std::string> units = {},
            std::map<std::string, std::string> better = {}) {
  RunData r;
  r.meta = {{"csv_schema", "1"}, {"scenario_sha256", "abc"}, {"scenario_name", "s"}, {"lunsim_version", "0.1.0"},
            {"git_revision", "r"}};
  for (auto& [name, values] : reps) {
    PooledMetric m;
    m.unit = units.count(name) ? units[name] : "s";
    m.better = better.count(name) ? better[name] : "lower";
    m.n = static_cast<double>(values.size());
    double sum = 0;
    for (double v : values) sum += v;
    m.mean = values.empty() ? 0 : sum / static_cast<double>(values.size());
    r.order.push_back(name);
    r.pooled[name] = m;
    r.replication_means[name] = values;
  }
  return r;
}

/// Ten values centre, centre + step, ...: two such series with different centres do not overlap.
std::vector<double> ladder(double centre, double step) {
  std::vector<double> v;
  for (int i = 0; i < 10; ++i) v.push_back(centre + step * i);
  return v;
}

std::vector<double> around(double centre, int n) {
  std::vector<double> v;
  for (int i = 0; i < n; ++i) v.push_back(centre * (1 + 0.01 * (i - n / 2)));  // ±5 % spread, no ties
  return v;
}

const MetricComparison& row(const Comparison& c, const std::string& name) {
  for (const auto& m : c.rows)
    if (m.metric == name) return m;
  FAIL("no row " << name);
  return c.rows.front();
}

} // namespace

TEST_CASE("a clearly larger latency with enough replications is slower, a higher throughput is faster",
          "[reports][compare]") {
  const RunData base = run({{"io.read.response", around(0.010, 10)}, {"io.throughput", around(100, 10)}}, {{"io.throughput", "ops/s"}},
                           {{"io.throughput", "higher"}});
  const RunData cand = run({{"io.read.response", around(0.012, 10)}, {"io.throughput", around(130, 10)}}, {{"io.throughput", "ops/s"}},
                           {{"io.throughput", "higher"}});
  const Comparison c = compare(base, cand, 0.05);
  CHECK(row(c, "io.read.response").verdict == Verdict::Slower);
  CHECK(row(c, "io.read.response").change.estimate == Approx(0.2));
  CHECK(row(c, "io.throughput").verdict == Verdict::Faster);
  CHECK(c.any_slower());
  // Two tested metrics: Holm's strictest step is 0.05 / 2 = 0.025; the exact two-sided U test
  // reaches 2 / C(10, 5) = 0.0079 with 5 per side but only 2 / C(8, 4) = 0.029 with 4.
  CHECK(c.min_samples == 5);
}

TEST_CASE("a significant change below the threshold is unchanged, a 'none' metric is never slower",
          "[reports][compare]") {
  const RunData base = run({{"drive.queue_length", ladder(1.00, 0.001)}, {"drive.utilization", around(0.5, 10)}},
                           {{"drive.queue_length", "count"}, {"drive.utilization", "ratio"}}, {{"drive.utilization", "none"}});
  const RunData cand = run({{"drive.queue_length", ladder(1.03, 0.001)}, {"drive.utilization", around(0.9, 10)}},
                           {{"drive.queue_length", "count"}, {"drive.utilization", "ratio"}}, {{"drive.utilization", "none"}});
  const Comparison c = compare(base, cand, 0.05);
  CHECK(row(c, "drive.queue_length").p_holm < 0.05);
  CHECK(row(c, "drive.queue_length").verdict == Verdict::Unchanged);
  CHECK(row(c, "drive.utilization").verdict == Verdict::Unchanged);
  CHECK_FALSE(c.any_slower());
}

TEST_CASE("too few replications give 'too few samples', never slower", "[reports][compare]") {
  const Comparison c = compare(run({{"m", {1, 2, 3}}}), run({{"m", {10, 11, 12}}}), 0.05);
  CHECK(c.min_samples == 4);
  CHECK(row(c, "m").verdict == Verdict::TooFewSamples);
  CHECK_FALSE(c.any_slower());
}

TEST_CASE("metrics on one side only are added or removed", "[reports][compare]") {
  const Comparison c = compare(run({{"a", around(1, 6)}, {"b", around(1, 6)}}), run({{"b", around(1, 6)}, {"c", around(1, 6)}}));
  CHECK(row(c, "a").verdict == Verdict::Removed);
  CHECK(row(c, "c").verdict == Verdict::Added);
  CHECK(row(c, "b").verdict == Verdict::Unchanged);
}

TEST_CASE("a unit mismatch or another csv_schema is an input error, other differences are warnings",
          "[reports][compare]") {
  CHECK_THROWS_AS(compare(run({{"m", {1, 2}}}, {{"m", "s"}}), run({{"m", {1, 2}}}, {{"m", "ms"}})), InputError);
  RunData other = run({{"m", {1, 2}}});
  other.meta["csv_schema"] = "2";
  CHECK_THROWS_WITH(compare(run({{"m", {1, 2}}}), other), Catch::Contains("csv_schema"));
  other.meta["csv_schema"] = "1";
  other.meta["scenario_sha256"] = "def";
  other.meta["git_revision"] = "q";
  CHECK(compare(run({{"m", {1, 2}}}), other).warnings.size() == 2);
}

TEST_CASE("the report is deterministic and every format names the verdicts", "[reports][compare]") {
  const RunData base = run({{"io.read.response", around(0.010, 8)}});
  const RunData cand = run({{"io.read.response", around(0.013, 8)}});
  for (Format f : {Format::Table, Format::Csv, Format::Markdown, Format::Json}) {
    std::ostringstream a, b;
    write_report(a, compare(base, cand), f);
    write_report(b, compare(base, cand), f);
    CHECK(a.str() == b.str());
    CHECK(a.str().find("slower") != std::string::npos);
  }
}

TEST_CASE("reading a run directory names the file and the column that is wrong", "[reports][compare]") {
  const auto dir = std::filesystem::temp_directory_path() / ("lunsim-compare-test-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto write = [&](const char* name, const char* text) { std::ofstream(dir / name) << text; };
  CHECK_THROWS_WITH(read_run(dir / "absent"), Catch::Contains("no such run directory"));
  write("meta.csv", "key,value\ncsv_schema,1\n");
  write("summary.csv", "metric,unit,better,n,mean,p50,p90\nm,s,lower,1,2,2,2\n");
  write("replications.csv", "replication,seed,metric,unit,better,n,mean\n0,1,m,s,lower,1,2\n");
  CHECK_THROWS_WITH(read_run(dir), Catch::Contains("summary.csv: missing column 'p99'"));
  write("summary.csv", "metric,unit,better,n,mean,p50,p90,p99\nm,s,lower,1,x,2,2,2\n");
  CHECK_THROWS_WITH(read_run(dir), Catch::Contains("summary.csv:2: column 'mean'"));
  write("summary.csv", "metric,unit,better,n,mean,p50,p90,p99\nm,s,lower,1,2,2,2,2\n");
  const RunData r = read_run(dir);
  CHECK(r.replication_means.at("m") == std::vector<double>{2});
  std::filesystem::remove_all(dir);
}
