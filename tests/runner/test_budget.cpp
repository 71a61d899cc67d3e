// The memory budget (sim/runner/budget.hpp): the estimate grows with what the scenario makes,
// names the largest item and its position, and a scenario over the budget is refused with a
// message naming the sizes. How close the estimate comes to the measured peak RSS is a
// benchmark (bench/run.sh, "memory estimate"), not a unit test: RSS depends on the build.
#include "sim/runner/budget.hpp"

#include "tests/support/scenario_text.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace sim;
using sim::testing::load_ok;

namespace {

std::string text_with(const std::string& drives, const std::string& extra = "") {
  return "name: b\nhorizon: 1h\ndrive_models: {d: {capacity: 1TB, latency: 4ms}}\n"
         "subsystems:\n  - name: a\n    enclosures:\n      - {name: small, drives: {model: d, count: 10}}\n"
         "      - {name: big, drives: {model: d, count: " + drives + "}}\n" + extra;
}

} // namespace

TEST_CASE("estimate_memory: drives dominate a large idle array, located at their enclosure") {
  const auto spec = load_ok(text_with("1000000"));
  const runner::MemoryEstimate e = runner::estimate_memory(spec);
  REQUIRE(!e.parts.empty());
  CHECK(e.parts.front().what == "1000000 drives (enclosure 'big')");
  CHECK(e.parts.front().loc.line == 8);
  // Per drive between 200 B and 2 kB (the model and its table record), plus the floor.
  CHECK(e.parts.front().bytes > 2e8);
  CHECK(e.parts.front().bytes < 2e9);
  CHECK(e.bytes > e.parts.front().bytes);
  // Ten times the drives, ten times their part; summary-only runs hold no table records.
  const auto ten = runner::estimate_memory(load_ok(text_with("10000000")));
  CHECK(ten.parts.front().bytes == Approx(10 * e.parts.front().bytes));
  CHECK(runner::estimate_memory(spec, {1, 1, false}).bytes < e.bytes);
  // Replications on 4 threads: a model per thread.
  CHECK(runner::estimate_memory(spec, {100, 4, true}).parts.front().bytes == Approx(4 * e.parts.front().bytes));
  CHECK(runner::estimate_memory(spec, {100, 200, true}).parts.front().bytes == Approx(100 * e.parts.front().bytes));
}

TEST_CASE("estimate_memory: responses follow the rate and the horizon, clients their count") {
  const std::string open = "workload:\n  - io: {name: o, rate: 1000/s, targets: [small]}\n";
  const auto one_hour = runner::estimate_memory(load_ok(text_with("10", open)));
  REQUIRE(one_hour.parts.front().what == "io load 'o' (3600000 responses)");
  CHECK(one_hour.parts.front().loc.line == 10);
  std::string longer = text_with("10", open);
  longer.replace(longer.find("horizon: 1h"), 11, "horizon: 2h");
  CHECK(runner::estimate_memory(load_ok(longer)).parts.front().bytes == Approx(2 * one_hour.parts.front().bytes));
  // Each of the enclosure's 10 drives keeps at most 2^20 response times per direction it is sent
  // (then a sketch; reads only here): 10 h of 1000/s (3.6 x 10^7) is counted as 10 x 2^20, like
  // 100 h; with writes too, as 20 x 2^20.
  longer.replace(longer.find("horizon: 2h"), 11, "horizon: 10h");
  const auto ten_hours = runner::estimate_memory(load_ok(longer));
  CHECK(ten_hours.parts.front().what == "io load 'o' (36000000 responses)");
  CHECK(ten_hours.parts.front().bytes == Approx(one_hour.parts.front().bytes / 3.6e6 * 10 * (1 << 20)));
  longer.replace(longer.find("horizon: 10h"), 12, "horizon: 100h");
  CHECK(runner::estimate_memory(load_ok(longer)).parts.front().bytes == Approx(ten_hours.parts.front().bytes));
  longer.replace(longer.find("rate: 1000/s,"), 13, "rate: 1000/s, read: 50%,");
  CHECK(runner::estimate_memory(load_ok(longer)).parts.front().bytes == Approx(2 * ten_hours.parts.front().bytes));
  // A closed loop of 10^5 clients with 10 requests each: 10^6 responses at most.
  const auto closed = runner::estimate_memory(
      load_ok(text_with("10", "workload:\n  - io: {name: c, clients: 100000, requests: 10, targets: [small]}\n")));
  CHECK(closed.parts.front().what == "io load 'c' (1000000 responses, 100000 clients)");
}

TEST_CASE("check_memory: over the budget is an error at the largest item, naming the sizes") {
  const auto spec = load_ok(text_with("10000000"));
  const runner::MemoryEstimate e = runner::estimate_memory(spec);
  CHECK_FALSE(runner::check_memory(e, static_cast<std::uint64_t>(e.bytes) + 1, "test"));
  const auto over = runner::check_memory(e, 1'000'000'000, "--max-memory 1GB");
  REQUIRE(over);
  const std::string m = over->format();
  INFO(m);
  CHECK(m.rfind("s.yaml:8:", 0) == 0);
  CHECK(m.find("error: the run needs about ") != std::string::npos);
  CHECK(m.find("(10000000 drives (enclosure 'big'): ") != std::string::npos);
  CHECK(m.find("over the memory budget of 1 GB (--max-memory 1GB); make it smaller, or raise --max-memory") !=
        std::string::npos);
}

TEST_CASE("parse_mem_available and format_bytes") {
  CHECK(runner::parse_mem_available("MemTotal:       24000000 kB\nMemFree: 1 kB\nMemAvailable:   2048 kB\n") == 2048u * 1024);
  CHECK_FALSE(runner::parse_mem_available("MemTotal: 1 kB\n"));
  CHECK(runner::format_bytes(999) == "999 B");
  CHECK(runner::format_bytes(4.6e9) == "4.6 GB");
  std::string source;
  const auto budget = runner::default_memory_budget(source);
  if (budget) CHECK(source.rfind("80 % of the ", 0) == 0);
}
