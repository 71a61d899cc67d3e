// The rules of `lunsim compare` (reports/compare.hpp) on constructed replication sets: exact
// verdicts, the Holm family, the designs, and strict reading of run directories.
#include "reports/compare.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

using namespace sim::reports;

namespace {

struct Metric {
  std::string name;
  std::vector<double> mean;
  std::vector<double> p99 = {};  // defaults to mean
  std::string unit = "s";
  std::string better = "lower";
};

/// A run with one value per replication and metric (n = 1 each), p90 = mean.
RunData make_run(const std::vector<Metric>& metrics, const std::string& seed = "1") {
  RunData r;
  r.meta = {{"csv_schema", "1"}, {"scenario_sha256", "abc"}, {"scenario_name", "s"}, {"lunsim_version", "0.1.0"},
            {"git_revision", "r"}};
  r.seed = seed;
  for (const Metric& m : metrics) {
    SummaryRow s;
    s.unit = m.unit;
    s.better = m.better;
    s.n = m.mean.size();
    s.se = std::nan("");
    r.order.push_back(m.name);
    r.summary[m.name] = s;
    r.replications = std::max<std::uint64_t>(r.replications, m.mean.size());
    for (std::size_t i = 0; i < m.mean.size(); ++i)
      r.replications_of[m.name].push_back(
          ReplicationValue{i, 1, m.mean[i], m.mean[i], m.p99.empty() ? m.mean[i] : m.p99[i]});
  }
  return r;
}

/// n values around `centre`, spread ±5 % without ties.
std::vector<double> around(double centre, int n, double spread = 0.01) {
  std::vector<double> v;
  for (int i = 0; i < n; ++i) v.push_back(centre * (1 + spread * (i - n / 2)));
  return v;
}

/// v scaled by `factor`, plus a small alternating wobble (so the pairs' differences vary).
std::vector<double> scaled(const std::vector<double>& v, double factor, double wobble = 0.001) {
  std::vector<double> out;
  for (std::size_t i = 0; i < v.size(); ++i) out.push_back(v[i] * factor * (1 + (i % 2 ? wobble : -wobble)));
  return out;
}

const SeriesComparison& row(const Comparison& c, const std::string& metric, const std::string& statistic = "mean") {
  for (const auto& s : c.rows)
    if (s.metric == metric && s.statistic == statistic) return s;
  FAIL("no row " << metric << " " << statistic);
  return c.rows.front();
}

CompareOptions with(double threshold, Design design = Design::Auto) {
  CompareOptions o;
  o.threshold = threshold;
  o.design = design;
  return o;
}

} // namespace

TEST_CASE("the same seed and replication count give the paired design, anything else the unpaired one",
          "[reports][compare]") {
  const auto base = make_run({{"m", around(1, 8)}});
  CHECK(compare(base, make_run({{"m", around(1, 8)}})).paired);
  CHECK_FALSE(compare(base, make_run({{"m", around(1, 8)}}, "2")).paired);
  CHECK_FALSE(compare(base, make_run({{"m", around(1, 9)}})).paired);
  CHECK_FALSE(compare(base, make_run({{"m", around(1, 8)}}), with(0.05, Design::Unpaired)).paired);
  CHECK(compare(base, make_run({{"m", around(1, 8)}}, "2"), with(0.05, Design::Paired)).paired);
  CHECK_THROWS_AS(compare(base, make_run({{"m", around(1, 9)}}), with(0.05, Design::Paired)), InputError);
  CHECK(compare(base, make_run({{"m", around(1, 8)}})).design_note.find("paired") == 0);
}

TEST_CASE("pairs detect a 2 % change that the unpaired test misses at the same replications", "[reports][compare]") {
  // 12 replications spread ±6 % between them; the candidate is each replication 2 % slower
  // (with a ±0.1 % wobble), as common random numbers give. Paired: all 12 differences positive,
  // W+ = 78, exact p = 2 / 2^12 = 0.000488, one test: Holm's p is the same. Unpaired, the two
  // samples overlap almost completely: U is far from its extremes.
  const auto values = around(0.010, 12);
  const auto base = make_run({{"io.read.response", values}});
  const auto cand = make_run({{"io.read.response", scaled(values, 1.02)}});
  const Comparison paired = compare(base, cand, with(0.01));
  const SeriesComparison& p = row(paired, "io.read.response");
  CHECK(p.method == Method::SignedRank);
  CHECK(p.test.exact);
  CHECK(p.test.statistic == 78);
  CHECK(p.test.p_value == Approx(2.0 / 4096));
  CHECK(p.change.relative == Approx(0.02).margin(1e-4));  // the wobble moves it by ~5e-6
  CHECK(p.change.relative95.low > 0.015);
  CHECK(p.verdict == Verdict::Slower);

  const Comparison unpaired = compare(base, cand, with(0.01, Design::Unpaired));
  const SeriesComparison& u = row(unpaired, "io.read.response");
  CHECK(u.method == Method::MannWhitney);
  CHECK(u.test.p_value > 0.2);
  CHECK(u.change.relative95.low < 0);
  CHECK(u.verdict == Verdict::Inconclusive);
}

TEST_CASE("a p99-only regression gets its own verdict", "[reports][compare]") {
  // The means are the same to ±0.1 % per pair; the p99s 20 % higher in every replication.
  const auto means = around(0.010, 12);
  const auto p99s = around(0.050, 12);
  const auto base = make_run({{"io.read.response", means, p99s}});
  const auto cand = make_run({{"io.read.response", scaled(means, 1.0), scaled(p99s, 1.2)}});
  const Comparison c = compare(base, cand);
  CHECK(row(c, "io.read.response", "mean").verdict == Verdict::Equivalent);
  CHECK(row(c, "io.read.response", "p99").verdict == Verdict::Slower);
  CHECK(row(c, "io.read.response", "p99").change.relative == Approx(0.2).margin(1e-4));
  // p90 is the mean here (make_run): an alias, not a second test.
  CHECK(row(c, "io.read.response", "p90").alias_of == "io.read.response mean");
  CHECK(c.family == 2);
  CHECK(c.count(Verdict::Slower) == 1);
}

TEST_CASE("slower and faster need significance after Holm and a change beyond the threshold", "[reports][compare]") {
  const auto v = around(100, 12);
  SECTION("a significant change inside the threshold whose 90 % interval is inside too is equivalent") {
    const Comparison c = compare(make_run({{"m", v}}), make_run({{"m", scaled(v, 1.03)}}));
    CHECK(row(c, "m").p_holm <= 0.05);
    CHECK(row(c, "m").change.relative90.high < 0.05);
    CHECK(row(c, "m").verdict == Verdict::Equivalent);
  }
  SECTION("a significant change beyond the threshold is slower; higher-is-better metrics are faster when they rise") {
    const Comparison c = compare(make_run({{"lat", v}, {"tput", v, {}, "ops/s", "higher"}, {"util", v, {}, "ratio", "none"}}),
                                 make_run({{"lat", scaled(v, 1.10)}, {"tput", scaled(v, 1.30), {}, "ops/s", "higher"},
                                           {"util", scaled(v, 0.80), {}, "ratio", "none"}}));
    CHECK(row(c, "lat").verdict == Verdict::Slower);
    CHECK(row(c, "tput").verdict == Verdict::Faster);
    CHECK(row(c, "util").verdict == Verdict::Changed);
  }
  SECTION("a +5.1 % point estimate with an interval across 0 is inconclusive, not slower") {
    // Unpaired (other seed), wide spread: the change is not significant.
    const auto wide = around(100, 12, 0.05);
    const Comparison c = compare(make_run({{"m", wide}}), make_run({{"m", scaled(wide, 1.051)}}, "2"));
    const SeriesComparison& s = row(c, "m");
    CHECK(s.change.relative == Approx(0.051).margin(1e-4));
    CHECK(s.change.relative95.low < 0);
    CHECK(s.p_holm > 0.05);
    CHECK(s.verdict == Verdict::Inconclusive);
  }
}

TEST_CASE("equivalence is the 90 % interval inside ±threshold (two one-sided tests at 0.05)", "[reports][compare]") {
  const auto v = around(100, 10, 0.01);
  // Unpaired, +1 %: values spread ±5 % (s = 3 %), Welch's 90 % interval of the relative change is
  // about ±1.73 * sqrt(2) * 3 % / sqrt(10) = ±2.3 % around +1 %.
  const Comparison c = compare(make_run({{"m", v}}), make_run({{"m", scaled(v, 1.01)}}, "2"), with(0.05));
  const SeriesComparison& s = row(c, "m");
  CHECK(s.change.relative90.low > -0.05);
  CHECK(s.change.relative90.high < 0.05);
  CHECK(s.verdict == Verdict::Equivalent);
  // The 90 % interval is inside the 95 % one, both around the estimate.
  CHECK(s.change.relative95.low < s.change.relative90.low);
  CHECK(s.change.relative90.high < s.change.relative95.high);
  // The same data with a 2 % threshold: the 90 % interval reaches beyond +2 %: not equivalent,
  // not significant: inconclusive.
  const Comparison strict = compare(make_run({{"m", v}}), make_run({{"m", scaled(v, 1.01)}}, "2"), with(0.02));
  CHECK(row(strict, "m").change.relative90.high > 0.02);
  CHECK(row(strict, "m").verdict == Verdict::Inconclusive);
}

TEST_CASE("fewer replications than the exact test needs give 'too few samples', never slower", "[reports][compare]") {
  // 5 pairs: the smallest two-sided signed-rank p is 2 / 32 = 0.0625 > 0.05; min_pairs(1) = 6.
  const auto v = around(1, 5, 0.05);
  const Comparison c = compare(make_run({{"m", v}}), make_run({{"m", scaled(v, 1.5)}}));
  CHECK(c.min_samples == 6);
  CHECK(row(c, "m").test.p_value == Approx(0.0625));
  CHECK(row(c, "m").verdict == Verdict::TooFewSamples);
  CHECK(c.count(Verdict::Slower) == 0);
  // Unpaired: 3 per side, 2 / C(6, 3) = 0.1; min_samples_per_side(1) = 4.
  const Comparison u = compare(make_run({{"m", {1, 2, 3}}}), make_run({{"m", {10, 11, 12}}}, "2"));
  CHECK(u.min_samples == 4);
  CHECK(row(u, "m").verdict == Verdict::TooFewSamples);
}

TEST_CASE("Holm's family counts each distinct series once, constant series are not tested", "[reports][compare]") {
  const auto v = around(0.01, 12);
  const auto base = make_run({{"io.read.response", v}, {"io.L.read.response", v}, {"op.latency", std::vector<double>(12, 0.5)},
                              {"op.failed", std::vector<double>(12, 0.0), {}, "ratio"}});
  const auto cand = make_run({{"io.read.response", scaled(v, 1.1)}, {"io.L.read.response", scaled(v, 1.1)},
                              {"op.latency", std::vector<double>(12, 0.6)}, {"op.failed", std::vector<double>(12, 0.0), {}, "ratio"}});
  const Comparison c = compare(base, cand);
  // io.read.response mean (p90 and p99 are its aliases) is the only test.
  CHECK(c.family == 1);
  CHECK(c.min_samples == 6);
  CHECK(row(c, "io.L.read.response").alias_of == "io.read.response mean");
  CHECK(row(c, "io.L.read.response").p_holm == row(c, "io.read.response").p_holm);
  CHECK(row(c, "io.L.read.response").verdict == Verdict::Slower);
  CHECK(row(c, "io.read.response").p_holm == Approx(2.0 / 4096));
  // A constant series: its change is exact; different constants are judged by that change.
  CHECK_FALSE(row(c, "op.latency").tested());
  CHECK(row(c, "op.latency").change.relative == Approx(0.2));
  CHECK(row(c, "op.latency").verdict == Verdict::Slower);
  CHECK(row(c, "op.failed").verdict == Verdict::Constant);
}

TEST_CASE("a metric that was zero and is not any more is beyond every threshold", "[reports][compare]") {
  const std::vector<double> zero(12, 0.0);
  std::vector<double> some(12, 0.0);
  some[3] = 0.25, some[7] = 0.5;
  const Comparison c = compare(make_run({{"op.failed", zero, {}, "ratio"}}), make_run({{"op.failed", some, {}, "ratio"}}));
  const SeriesComparison& s = row(c, "op.failed");
  CHECK(std::isnan(s.change.relative));
  CHECK(s.change.diff == Approx(0.0625));
  // Two positive differences out of 12 pairs, zeros dropped: W+ = 1 + 2 = 3, the largest of the
  // 4 sign assignments: p = 2 * 1/4 = 0.5. Not significant, and no interval inside a threshold:
  // inconclusive (12 pairs are enough for the design; these data carry little information).
  CHECK(s.test.statistic == 3);
  CHECK(s.test.p_value == Approx(0.5));
  CHECK(s.verdict == Verdict::Inconclusive);
  // Failures in every replication: all 12 differences positive, p = 2 / 2^12, and an infinite
  // relative change is beyond the threshold: slower.
  const Comparison all = compare(make_run({{"op.failed", zero, {}, "ratio"}}),
                                 make_run({{"op.failed", around(0.1, 12), {}, "ratio"}}));
  CHECK(row(all, "op.failed").test.p_value == Approx(2.0 / 4096));
  CHECK(row(all, "op.failed").verdict == Verdict::Slower);
}

TEST_CASE("metrics on one side only are added or removed", "[reports][compare]") {
  const Comparison c = compare(make_run({{"a", around(1, 6)}, {"b", around(1, 6)}}), make_run({{"b", around(1, 6)}, {"c", around(1, 6)}}));
  CHECK(row(c, "a").verdict == Verdict::Removed);
  CHECK(row(c, "c").verdict == Verdict::Added);
  CHECK(c.any_missing());
}

TEST_CASE("cross-replication estimates are compared by their estimates and standard errors", "[reports][compare]") {
  auto with_estimate = [](double mean, double se) {
    RunData r = make_run({{"m", around(1, 10)}});
    SummaryRow p;
    p.unit = "ratio";
    p.better = "lower";
    p.n = 1000;
    p.mean = mean;
    p.se = se;
    p.per_replication = false;
    r.order.push_back("reliability.p_loss");
    r.summary["reliability.p_loss"] = p;
    return r;
  };
  // z = (0.02 - 0.01) / sqrt(0.002^2 + 0.002^2) = 3.5355: two-sided p = 4.07e-4.
  const Comparison c = compare(with_estimate(0.01, 0.002), with_estimate(0.02, 0.002));
  const SeriesComparison& s = row(c, "reliability.p_loss", "estimate");
  CHECK(s.method == Method::Z);
  CHECK(s.test.statistic == Approx(3.5355339));
  CHECK(s.test.p_value == Approx(4.0695e-4).epsilon(1e-3));
  CHECK(s.verdict == Verdict::Slower);
  // Both standard errors 0 and the same estimate: constant.
  CHECK(row(compare(with_estimate(0, 0), with_estimate(0, 0)), "reliability.p_loss", "estimate").verdict == Verdict::Constant);
  // No standard error: reported, not tested.
  CHECK(row(compare(with_estimate(1, std::nan("")), with_estimate(2, 0.1)), "reliability.p_loss", "estimate").verdict ==
        Verdict::Untested);
}

TEST_CASE("an importance-sampled run's reliability rows are compared by Welch on the weighted contributions",
          "[reports][compare]") {
  // Weighted contributions: mostly zeros, a few tiny weighted losses. Rank tests would test the
  // distributions (dominated by the zeros); Welch tests the mean, which is the estimate.
  std::vector<double> b(20, 0.0), c(20, 0.0);
  for (int i = 0; i < 20; i += 4) b[static_cast<std::size_t>(i)] = 1e-8 * (1 + i % 3);
  for (int i = 0; i < 20; i += 2) c[static_cast<std::size_t>(i)] = 3e-8 * (1 + i % 3);
  RunData base = make_run({{"reliability.losses", b, {}, "count"}, {"io.read.response", around(0.01, 20)}});
  RunData cand = make_run({{"reliability.losses", c, {}, "count"}, {"io.read.response", around(0.01, 20)}});
  base.weighted = cand.weighted = true;
  const Comparison cmp = compare(base, cand);
  CHECK(cmp.weighted);
  const SeriesComparison& s = row(cmp, "reliability.losses");
  CHECK(s.method == Method::Welch);
  const Estimate eb = replication_estimate(b), ec = replication_estimate(c);
  CHECK(s.test.p_value == welch_test(eb, ec).p_value);
  CHECK(s.change.relative == Approx(ec.mean / eb.mean - 1));
  // Only the mean: p90/p99 of weighted contributions are not estimates of anything.
  for (const auto& r : cmp.rows) CHECK_FALSE((r.metric == "reliability.losses" && r.statistic != "mean"));
  // Other metrics keep the replication design (paired here).
  CHECK(row(cmp, "io.read.response").method == Method::SignedRank);
  std::ostringstream csv;
  write_report(csv, cmp, Format::Csv);
  CHECK(csv.str().find("reliability.losses,mean,count,lower,weighted-estimate,welch,") != std::string::npos);
}

TEST_CASE("a unit mismatch or another csv_schema is an input error, other differences are warnings", "[reports][compare]") {
  CHECK_THROWS_AS(compare(make_run({{"m", {1, 2}}}), make_run({{"m", {1, 2}, {}, "ms"}})), InputError);
  RunData other = make_run({{"m", {1, 2}}});
  other.meta["csv_schema"] = "2";
  CHECK_THROWS_WITH(compare(make_run({{"m", {1, 2}}}), other), Catch::Contains("csv_schema"));
  other.meta["csv_schema"] = "1";
  other.meta["scenario_sha256"] = "def";
  other.meta["git_revision"] = "q";
  CHECK(compare(make_run({{"m", {1, 2}}}), other).warnings.size() == 2);
}

TEST_CASE("machine-readable formats carry numbers at full precision and the table fits its columns", "[reports][compare]") {
  const auto v = around(0.010, 8);
  const Comparison c = compare(make_run({{"io.read.response", v}}), make_run({{"io.read.response", scaled(v, 1.3)}}));
  const SeriesComparison& s = row(c, "io.read.response");
  auto text = [&](Format f) {
    std::ostringstream os;
    write_report(os, c, f);
    return os.str();
  };
  char shortest[64];
  std::snprintf(shortest, sizeof shortest, "%.17g", s.change.relative);
  // The change as a fraction that reads back to the same double, in CSV and JSON.
  for (const Format f : {Format::Csv, Format::Json}) {
    const std::string t = text(f);
    const auto at = t.find(f == Format::Csv ? ",0.3" : "\"change\": 0.3");
    REQUIRE(at != std::string::npos);
    const std::size_t start = t.find("0.3", at);
    CHECK(std::strtod(t.c_str() + start, nullptr) == s.change.relative);
    CHECK(t.find('%') == std::string::npos);
  }
  // Every line of the table's header and rows puts the verdict column at the same offset.
  std::istringstream table(text(Format::Table));
  std::string line;
  std::size_t verdict_at = std::string::npos;
  while (std::getline(table, line)) {
    if (line.rfind("metric", 0) == 0) verdict_at = line.find("verdict");
    else if (verdict_at != std::string::npos && line.rfind("io.read.response", 0) == 0)
      CHECK(line.find("slower") == verdict_at);
  }
  CHECK(verdict_at != std::string::npos);
  // The report is deterministic.
  CHECK(text(Format::Json) == text(Format::Json));
}

namespace {

struct TempDir {
  std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("lunsim-compare-test-" + std::to_string(::getpid()));
  TempDir() {
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  void write(const char* name, const std::string& text) const { std::ofstream(path / name, std::ios::binary) << text; }
};

const char* const good_meta = "key,value\ncsv_schema,1\nseed,1\nreplications,2\n";
const char* const good_summary =
    "metric,unit,better,n,mean,p50,p90,p99,percentiles,se\nm,s,lower,6,2,2,2,2,exact,\nreliability.p_loss,ratio,lower,2,0.5,,,,,0.35\n";
const char* const good_reps = "replication,seed,metric,unit,better,n,mean,p50,p90,p99\n0,1,m,s,lower,3,2,2,2,2\n1,1,m,s,lower,3,2,2,2,2\n";

} // namespace

TEST_CASE("reading a run directory checks the files against each other and names the file and row", "[reports][compare]") {
  const TempDir dir;
  const auto& d = dir.path;
  dir.write("meta.csv", good_meta);
  dir.write("summary.csv", good_summary);
  dir.write("replications.csv", good_reps);
  SECTION("a consistent directory reads") {
    const RunData r = read_run(d);
    CHECK(r.replications == 2);
    CHECK(r.replications_of.at("m").size() == 2);
    CHECK_FALSE(r.summary.at("reliability.p_loss").per_replication);
    CHECK(r.summary.at("reliability.p_loss").se == 0.35);
  }
  SECTION("no such directory") { CHECK_THROWS_WITH(read_run(d / "absent"), Catch::Contains("no such run directory")); }
  SECTION("a file cut inside its last row (no final line end)") {
    dir.write("summary.csv", std::string(good_summary).substr(0, std::string(good_summary).size() - 3));
    CHECK_THROWS_WITH(read_run(d), Catch::Contains("summary.csv:3: the last row has no line end"));
  }
  SECTION("replications.csv cut at a row boundary: replication 1 is missing") {
    dir.write("replications.csv", "replication,seed,metric,unit,better,n,mean,p50,p90,p99\n0,1,m,s,lower,3,2,2,2,2\n");
    CHECK_THROWS_WITH(read_run(d), Catch::Contains("replications.csv: no row of replication 1"));
  }
  SECTION("replication rows that do not add up to summary.csv's n") {
    dir.write("replications.csv", std::string(good_reps) + "2,1,m,s,lower,3,2,2,2,2\n");
    dir.write("meta.csv", "key,value\ncsv_schema,1\nseed,1\nreplications,3\n");
    CHECK_THROWS_WITH(read_run(d), Catch::Contains("summary.csv:2: metric 'm' has n = 6, but its rows in"));
  }
  SECTION("summary.csv cut at a row boundary: a metric of replications.csv is missing") {
    dir.write("summary.csv", "metric,unit,better,n,mean,p50,p90,p99,percentiles,se\nreliability.p_loss,ratio,lower,2,0.5,,,,,0.35\n");
    CHECK_THROWS_WITH(read_run(d), Catch::Contains("replications.csv:2: metric 'm' is not in"));
  }
  SECTION("a replication beyond meta.csv's count") {
    dir.write("meta.csv", "key,value\ncsv_schema,1\nseed,1\nreplications,1\n");
    CHECK_THROWS_WITH(read_run(d), Catch::Contains("replications.csv:3: replication 1, but"));
  }
  SECTION("a repeated row") {
    dir.write("replications.csv", std::string(good_reps) + "1,1,m,s,lower,3,2,2,2,2\n");
    CHECK_THROWS_WITH(read_run(d), Catch::Contains("replications.csv:4: metric 'm' of replication 1 appears twice"));
  }
  SECTION("inf, nan and negative counts are refused") {
    dir.write("replications.csv", "replication,seed,metric,unit,better,n,mean,p50,p90,p99\n0,1,m,s,lower,3,inf,2,2,2\n1,1,m,s,lower,3,2,2,2,2\n");
    CHECK_THROWS_WITH(read_run(d), Catch::Contains("replications.csv:2: column 'mean': 'inf' is not a finite number"));
    dir.write("replications.csv", "replication,seed,metric,unit,better,n,mean,p50,p90,p99\n0,1,m,s,lower,-3,2,2,2,2\n1,1,m,s,lower,3,2,2,2,2\n");
    CHECK_THROWS_WITH(read_run(d), Catch::Contains("replications.csv:2: column 'n': '-3' is not a count"));
  }
  SECTION("a missing column and a wrong field count") {
    dir.write("summary.csv", "metric,unit,better,n,mean,p50,p90\nm,s,lower,6,2,2,2\n");
    CHECK_THROWS_WITH(read_run(d), Catch::Contains("summary.csv:1: missing column 'p99'"));
    dir.write("summary.csv", "metric,unit,better,n,mean,p50,p90,p99\nm,s,lower,6,2,2,2\n");
    CHECK_THROWS_WITH(read_run(d), Catch::Contains("summary.csv:2: row has 7 fields, the header has 8"));
  }
  SECTION("a unit that differs between the files") {
    dir.write("replications.csv", "replication,seed,metric,unit,better,n,mean,p50,p90,p99\n0,1,m,ms,lower,3,2,2,2,2\n1,1,m,s,lower,3,2,2,2,2\n");
    CHECK_THROWS_WITH(read_run(d), Catch::Contains("replications.csv:2: metric 'm' is in 'ms' here"));
  }
}
