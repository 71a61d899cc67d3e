#include "sim/base/time.hpp"

#include <catch2/catch.hpp>

#include <limits>
#include <sstream>
#include <type_traits>

using namespace sim::base;
using namespace std::chrono_literals;

namespace {
template <class A, class B>
concept Addable = requires(A a, B b) {
  a + b;
};
template <class A, class B>
concept Subtractable = requires(A a, B b) {
  a - b;
};
} // namespace

TEST_CASE("an instant plus an instant does not compile, but an instant plus a span does", "[base]") {
  static_assert(!Addable<Time, Time>);
  static_assert(Addable<Time, Duration>);
  static_assert(Addable<Duration, Time>);
  static_assert(Addable<Duration, Duration>);
  static_assert(Subtractable<Time, Duration>);
  static_assert(std::is_same_v<decltype(Time{} - Time{}), Duration>);
  static_assert(std::is_same_v<decltype(Time{} + 150us), Time>);
  SUCCEED("checked at compile time");
}

TEST_CASE("time is integer nanoseconds from the start of the run", "[base]") {
  static_assert(std::is_same_v<Duration::rep, std::int64_t>);
  static_assert(std::is_same_v<Duration::period, std::nano>);
  REQUIRE(since_start(at(1500us)) == Duration{1'500'000});
  REQUIRE(time_zero + 2s - at(1s) == Duration{1'000'000'000});
  REQUIRE(never == Time::max());
  REQUIRE(forever == Duration::max());
}

TEST_CASE("saturating additions stop at never and forever instead of overflowing", "[base]") {
  REQUIRE(saturating_add(at(5s), 3s) == at(8s));
  REQUIRE(saturating_add(at(5s), forever) == never);
  REQUIRE(saturating_add(at(Duration::max() - Duration{10}), Duration{10}) == never);
  REQUIRE(saturating_add(at(Duration::max() - Duration{10}), Duration{9}) ==
          at(Duration::max() - Duration{1}));
  REQUIRE(saturating_add(Duration{1}, Duration{2}) == Duration{3});
  REQUIRE(saturating_add(Duration::max() - Duration{1}, Duration{5}) == forever);
}

TEST_CASE("format_seconds prints exact seconds with nine decimals", "[base]") {
  REQUIRE(format_seconds(Duration{0}) == "0.000000000");
  REQUIRE(format_seconds(1500us) == "0.001500000");
  REQUIRE(format_seconds(Duration{1}) == "0.000000001");
  REQUIRE(format_seconds(12s) == "12.000000000");
  REQUIRE(format_seconds(Duration{123'456'789'012}) == "123.456789012");
  REQUIRE(format_seconds(24h) == "86400.000000000");
}

TEST_CASE("format_seconds handles negative values down to the int64 minimum", "[base]") {
  REQUIRE(format_seconds(Duration{-2}) == "-0.000000002");
  REQUIRE(format_seconds(Duration{-1'500'000'000}) == "-1.500000000");
  REQUIRE(format_seconds(Duration::max()) == "9223372036.854775807");
  REQUIRE(format_seconds(Duration{std::numeric_limits<std::int64_t>::min()}) == "-9223372036.854775808");
}

TEST_CASE("an instant formats and streams as seconds since the start", "[base]") {
  REQUIRE(format_seconds(at(12s)) == "12.000000000");
  REQUIRE(format_seconds(time_zero) == "0.000000000");
  std::ostringstream os;
  os << at(12s);
  REQUIRE(os.str() == "12.000000000s");
}

TEST_CASE("format_human picks the largest unit and at most three decimals", "[base]") {
  REQUIRE(format_human(1500us) == "1.5ms");
  REQUIRE(format_human(Duration{999}) == "999ns");
  REQUIRE(format_human(Duration{0}) == "0s");
  REQUIRE(format_human(250us) == "250us");
  REQUIRE(format_human(90s) == "1.5m");
  REQUIRE(format_human(2h) == "2h");
  REQUIRE(format_human(24h) == "1d");
  REQUIRE(format_human(36h) == "1.5d");
  REQUIRE(format_human(Duration{3LL * 31'557'600'000'000'000LL}) == "3y");
  REQUIRE(format_human(-1500us) == "-1.5ms");
  REQUIRE(format_human(Duration{1'000'400'000}) == "1s");
  REQUIRE(format_human(Duration{1'234'567}) == "1.235ms");
}

TEST_CASE("format_human carries a rounded value into the next unit", "[base]") {
  REQUIRE(format_human(Duration{999'999'500}) == "1s");
  REQUIRE(format_human(Duration{999'999}) == "999.999us");
}

TEST_CASE("format_human shows forever as never", "[base]") {
  REQUIRE(format_human(forever) == "never");
  REQUIRE(format_human(Duration{std::numeric_limits<std::int64_t>::min()}) == "-292.271y");
}
