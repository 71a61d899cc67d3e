// Sweeps (sim/runner/sweep.hpp): the grid, seeds, the streaming statistics of a point against
// `lunsim run --replications N`'s, the task encoding for MPI, and the `sweep:` section of the loader.
#include "sim/runner/sweep.hpp"

#include "sim/engine/distribution.hpp"

#include <catch2/catch.hpp>

#include <bit>
#include <cmath>
#include <fstream>
#include <sstream>

using namespace sim::runner;

namespace {

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const std::string small_path = std::string(LUNSIM_SOURCE_DIR) + "/tests/cli/sweep/small.yaml";

bool same_bits(double a, double b) { return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b); }

} // namespace

TEST_CASE("grid options split values at commas outside brackets, braces and quotes", "[sweep]") {
  const auto a = parse_grid_option("failures.lifetime={dist: exponential, mean: 2ms}, {afr: 2%},'a,b',[1, 2]");
  REQUIRE(a);
  CHECK(a->path == "failures.lifetime");
  CHECK(a->values == std::vector<std::string>{"{dist: exponential, mean: 2ms}", "{afr: 2%}", "'a,b'", "[1, 2]"});
  CHECK_FALSE(a->from_section);
  const auto b = parse_grid_option(" repair.replace_after = 8h ,24h");
  REQUIRE(b);
  CHECK(b->path == "repair.replace_after");
  CHECK(b->values == std::vector<std::string>{"8h", "24h"});
}

TEST_CASE("grid options refuse what it cannot split into a path and distinct values", "[sweep]") {
  CHECK(parse_grid_option("repair.replace_after").error() == "expected path=v1,v2,... (e.g. repair.replace_after=8h,24h)");
  CHECK(parse_grid_option("=1,2").error() == "empty path before '='");
  CHECK(parse_grid_option("a..b=1").error() == "path 'a..b': empty path element (separate keys with single dots)");
  // A quoted key may hold dots and '=': only the '=' after the path splits it from the values.
  const auto dotted = parse_grid_option(R"(drive_models."sas-1.2t".latency=5ms,6ms)");
  REQUIRE(dotted);
  CHECK(dotted->path == R"(drive_models."sas-1.2t".latency)");
  CHECK(dotted->values == std::vector<std::string>{"5ms", "6ms"});
  CHECK(parse_grid_option(R"(drive_models."sas-1.2t.latency=5ms)").error() == "expected path=v1,v2,... (e.g. repair.replace_after=8h,24h)");
  CHECK(parse_grid_option("a=1,,2").error() == "empty value (values are separated by commas: path=v1,v2)");
  CHECK(parse_grid_option("a=").error() == "empty value (values are separated by commas: path=v1,v2)");
  CHECK(parse_grid_option("a=1, 2 ,1").error() == "value '1' listed twice");
  CHECK(parse_grid_option("a={x: 1").error() == "a '{' or '[' is never closed in the values");
  CHECK(parse_grid_option("a=x}").error() == "unbalanced '}' in the values");
  CHECK(parse_grid_option("a='x").error() == "a quoted value never ends");
}

TEST_CASE("grid points are numbered row-major: the first axis slowest, the last fastest", "[sweep]") {
  SweepPlan plan;
  plan.axes = {GridAxis{"a", {"1", "2"}, true}, GridAxis{"b", {"x", "y", "z"}, false}};
  plan.section_axes = 1;
  CHECK(plan.points() == 6);
  CHECK(plan.coordinates(0) == std::vector<std::size_t>{0, 0});
  CHECK(plan.coordinates(2) == std::vector<std::size_t>{0, 2});
  CHECK(plan.coordinates(3) == std::vector<std::size_t>{1, 0});
  CHECK(plan.coordinates(5) == std::vector<std::size_t>{1, 2});
  plan.base.sets.push_back(sim::scenario::Override{"seed=3"});
  const sim::scenario::LoadOptions o = plan.point_options(4);
  CHECK(o.sweep_point == std::vector<std::size_t>{1});  // the section's axis, by index
  REQUIRE(o.sets.size() == 2);
  CHECK(o.sets[0].text == "seed=3");
  CHECK(o.sets[1].text == "b=y");
  CHECK(o.sets[1].origin == "--grid");
}

TEST_CASE("independent seeds are the first draw of stream sweep/point in replication p", "[sweep]") {
  CHECK(independent_seed(42, 3) == sim::engine::RandomStream(42, 3, "sweep/point").next());
  CHECK(independent_seed(42, 0) != independent_seed(42, 1));
  CHECK(independent_seed(42, 0) != independent_seed(43, 0));
}

TEST_CASE("MeanCi: the mean and t interval in one pass, the bits of mean_ci95", "[sweep]") {
  sim::metrics::MeanCi m;
  CHECK(std::isnan(m.mean()));
  const std::vector<double> values{1, 2, 3, 4, 5};
  for (double v : values) m.add(v);
  CHECK(m.n() == 5);
  CHECK(m.mean() == 3.0);
  const sim::metrics::Interval ci = m.ci95(), span = sim::metrics::mean_ci95(values);
  CHECK(ci.low == Approx(3 - sim::metrics::t_quantile_975(4) * std::sqrt(2.5 / 5)).epsilon(1e-15));
  CHECK(same_bits(ci.low, span.low));
  CHECK(same_bits(ci.high, span.high));
  sim::metrics::MeanCi one, constant;
  one.add(7);
  CHECK(one.mean() == 7);
  CHECK(std::isnan(one.ci95().low));
  for (int i = 0; i < 4; ++i) constant.add(0.1);
  CHECK(constant.ci95().low == constant.mean());
  CHECK(constant.ci95().high == constant.mean());
  CHECK_THROWS_AS(m.add(std::nan("")), std::invalid_argument);
}

TEST_CASE("a point's statistics are those of run --replications N, bit for bit", "[sweep]") {
  // Six replications of the sweep scenario's first point, aggregated as a sweep does and as
  // `lunsim run --replications 6` does (ReplicationPool, ReliabilitySummary).
  const sim::scenario::LoadResult r = sim::scenario::load_scenario_file(small_path);
  REQUIRE(r.spec);
  Replicator model(*r.spec);
  PointAccumulator acc;
  ReplicationPool pool;
  ReliabilitySummary rel;
  for (std::uint64_t i = 0; i < 6; ++i) {
    TaskResult t = run_task(model, i, true);
    acc.add(t);
    rel.add(t.reliability);
    REQUIRE(t.kept);
    pool.add(*t.kept);
  }
  std::vector<SummaryRow> run_rows = pool.rows();
  for (SummaryRow& row : rel.rows()) run_rows.push_back(std::move(row));
  const std::vector<PointRow> rows = acc.rows();
  REQUIRE(rows.size() == run_rows.size());
  bool losses_seen = false;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const PointRow& p = rows[i];
    const SummaryRow& s = run_rows[i];
    INFO(p.metric);
    CHECK(p.metric == s.metric);
    CHECK(p.unit == s.unit);
    CHECK(p.better == s.better);
    const bool cross = p.metric == "reliability.p_loss" || p.metric == "reliability.p_group_loss" ||
                       p.metric == "reliability.loss_events_per_1000_groups" || p.metric == "reliability.mttdl" ||
                       p.metric == "reliability.mttdl_lower95" || p.metric == "reliability.nomdl";
    CHECK((same_bits(p.ci95.low, s.ci95.low) || (std::isnan(p.ci95.low) && std::isnan(s.ci95.low))));
    CHECK((same_bits(p.ci95.high, s.ci95.high) || (std::isnan(p.ci95.high) && std::isnan(s.ci95.high))));
    if (cross) {
      CHECK(p.n == s.stats.n);
      CHECK(same_bits(p.mean, s.stats.mean));
    } else {
      CHECK(p.n == 6);  // every replication has every metric here
      if (s.unit == "count" || s.unit == "bytes") CHECK(same_bits(p.mean, s.stats.mean));  // one whole value per replication
    }
    losses_seen = losses_seen || (p.metric == "reliability.mttdl");
  }
  CHECK(losses_seen);  // the scenario loses data, so every reliability row is exercised
}

TEST_CASE("a task result crosses MPI as bytes with the same bits", "[sweep]") {
  TaskResult t;
  t.means = {MetricMean{"io.read.response", "s", "lower", 0.1 + 0.2}, MetricMean{"drive.utilization", "ratio", "none", -0.0}};
  t.reliability.enabled = true;
  t.reliability.groups = 3;
  t.reliability.losses = 2;
  t.reliability.bytes_lost = 1ULL << 60;
  t.reliability.group_hours = 1.0 / 3.0;
  t.reliability.first_loss = sim::base::at(sim::base::Duration{123456789});
  t.seed = ~0ULL;
  t.meta.events = 99;
  t.meta.fingerprint = 0x0123456789abcdefULL;
  const std::string bytes = encode(t);
  const TaskResult u = decode(bytes);
  REQUIRE(u.means.size() == 2);
  CHECK(u.means[0].metric == "io.read.response");
  CHECK(u.means[0].unit == "s");
  CHECK(same_bits(u.means[0].mean, 0.1 + 0.2));
  CHECK(same_bits(u.means[1].mean, -0.0));
  CHECK(u.reliability.enabled);
  CHECK(u.reliability.groups == 3);
  CHECK(u.reliability.losses == 2);
  CHECK(u.reliability.bytes_lost == 1ULL << 60);
  CHECK(same_bits(u.reliability.group_hours, 1.0 / 3.0));
  CHECK(u.reliability.first_loss == t.reliability.first_loss);
  CHECK(u.seed == ~0ULL);
  CHECK(u.meta.fingerprint == 0x0123456789abcdefULL);
  CHECK(encode(u) == bytes);
  CHECK_THROWS_AS(decode(bytes.substr(0, bytes.size() - 1)), std::runtime_error);
  CHECK_THROWS_AS(decode(bytes + "x"), std::runtime_error);
}

TEST_CASE("the sweep: section lists axes in file order with their values as text", "[sweep][scenario]") {
  const sim::scenario::LoadResult r = sim::scenario::load_scenario_file(small_path);
  REQUIRE(r.spec);
  REQUIRE(r.spec->sweep);
  const sim::scenario::SweepSpec& s = *r.spec->sweep;
  REQUIRE(s.axes.size() == 1);
  CHECK(s.axes[0].path == "failures.lifetime");
  CHECK(s.axes[0].values == std::vector<std::string>{"{afr: 30%}", "{dist: exponential, mean: 20000h}"});
  CHECK(s.axes[0].loc.line == 38);
  CHECK(s.axes[0].value_locs[1].line == 38);
  CHECK(s.axes[0].value_locs[1].column == 37);
  CHECK(s.replications == 8u);
  CHECK_FALSE(s.independent.has_value());
}

TEST_CASE("a sweep point loads as the scenario with --set of its values", "[sweep][scenario]") {
  const std::string text = read(small_path);
  sim::scenario::LoadOptions point;
  point.sweep_point = {1};
  const sim::scenario::LoadResult a = sim::scenario::load_scenario(text, "s.yaml", point);
  sim::scenario::LoadOptions set;
  set.sets.push_back(sim::scenario::Override{"failures.lifetime={dist: exponential, mean: 20000h}"});
  const sim::scenario::LoadResult b = sim::scenario::load_scenario(text, "s.yaml", set);
  REQUIRE(a.spec);
  REQUIRE(b.spec);
  CHECK(a.spec->failures.lifetime->mean_seconds() == 20000.0 * 3600);
  CHECK(a.spec->failures.lifetime->mean_seconds() == b.spec->failures.lifetime->mean_seconds());
  // Same spec, same results: replication 0 of both is the same run.
  CHECK(run_scenario(*a.spec).fingerprint == run_scenario(*b.spec).fingerprint);
  sim::scenario::LoadOptions wrong;
  wrong.sweep_point = {0, 0};
  CHECK_THROWS_AS(sim::scenario::load_scenario(text, "s.yaml", wrong), std::invalid_argument);
  wrong.sweep_point = {2};
  CHECK_THROWS_AS(sim::scenario::load_scenario(text, "s.yaml", wrong), std::invalid_argument);
}

TEST_CASE("a bad value in the sweep: section is reported at its position when its point loads", "[sweep][scenario]") {
  std::string text = read(small_path);
  const std::string from = "{dist: exponential, mean: 20000h}";
  text.replace(text.find(from), from.size(), "{dist: exponential, mean: 20000}");
  const sim::scenario::LoadResult base = sim::scenario::load_scenario(text, "s.yaml");
  CHECK(base.spec);  // only the point that uses the value fails
  sim::scenario::LoadOptions point;
  point.sweep_point = {1};
  const sim::scenario::LoadResult r = sim::scenario::load_scenario(text, "s.yaml", point);
  CHECK_FALSE(r.spec);
  REQUIRE(r.diagnostics.size() == 1);
  CHECK(r.diagnostics[0].format() == "s.yaml:38:68: error: key 'mean': missing unit (accepted: ns, us, ms, s, m, h, d, y)");
}

TEST_CASE("sweep: section errors name the key and what is accepted", "[sweep][scenario]") {
  const std::string head = read(small_path).substr(0, read(small_path).find("sweep:"));
  auto errors = [&](const std::string& section) {
    const sim::scenario::LoadResult r = sim::scenario::load_scenario(head + section, "s.yaml");
    std::vector<std::string> out;
    for (const auto& d : r.diagnostics) out.push_back(d.format());
    return out;
  };
  CHECK(errors("sweep: {grid: {a.b: []}}\n") ==
        std::vector<std::string>{"s.yaml:36:21: error: grid path 'a.b': expected a non-empty list of values, found an empty list"});
  CHECK(errors("sweep: {grid: {}}\n") ==
        std::vector<std::string>{"s.yaml:36:15: error: key 'grid': expected a map of scenario paths to lists of values (e.g. "
                                 "repair.replace_after: [8h, 24h]), found an empty map"});
  CHECK(errors("sweep: {grid: {a.b: [1], a.b: [2]}}\n") ==
        std::vector<std::string>{"s.yaml:36:26: error: key 'grid': duplicate path 'a.b' (first at line 36)"});
  CHECK(errors("sweep: {grid: {a..b: [1]}}\n") ==
        std::vector<std::string>{"s.yaml:36:16: error: key 'grid': path 'a..b': empty path element (separate keys with single dots)"});
  CHECK(errors("sweep: {grid: {a: 1}, replications: 0}\n") ==
        std::vector<std::string>{"s.yaml:36:19: error: grid path 'a': expected a non-empty list of values, found '1'",
                                 "s.yaml:36:37: error: key 'replications': 0 is out of range (accepted: from 1 to 100000)"});
  CHECK(errors("sweep: {replications: 2}\n") ==
        std::vector<std::string>{"s.yaml:36:8: error: sweep: missing required key 'grid'"});
}
