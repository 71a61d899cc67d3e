#include "sim/base/size.hpp"
#include "sim/base/units.hpp"

#include <catch2/catch.hpp>

#include <limits>
#include <sstream>

using namespace sim::base;
using namespace sim::base::size_literals;
using namespace std::chrono_literals;

namespace {
template <class T> std::string streamed(const T& v) {
  std::ostringstream os;
  os << v;
  return os.str();
}
constexpr std::uint64_t u64_max = std::numeric_limits<std::uint64_t>::max();
} // namespace

TEST_CASE("binary and decimal size literals are distinct", "[base]") {
  STATIC_REQUIRE(4_KiB == Bytes{4096});
  STATIC_REQUIRE(4_KB == Bytes{4000});
  STATIC_REQUIRE(1_MiB == Bytes{1ULL << 20});
  STATIC_REQUIRE(1_MB == Bytes{1'000'000});
  STATIC_REQUIRE(1_GiB == Bytes{1ULL << 30});
  STATIC_REQUIRE(1_GB == Bytes{1'000'000'000});
  STATIC_REQUIRE(8_TiB == Bytes{8ULL << 40});
  STATIC_REQUIRE(3_TB == Bytes{3'000'000'000'000});
  STATIC_REQUIRE(512_B == Bytes{512});
  STATIC_REQUIRE(1_MiB / 4_KiB == 256);
  STATIC_REQUIRE(1_MiB + 1_MiB == 2_MiB);
  STATIC_REQUIRE(2 * 1_MiB == 2_MiB);
}

TEST_CASE("transfer time is size * 1e9 / rate exactly in nanoseconds", "[base]") {
  REQUIRE(transfer_time(8_TiB, Rate{250'000'000}) == Duration{35'184'372'088'832});
  REQUIRE(8_TiB / Rate{250'000'000} == Duration{35'184'372'088'832});
  REQUIRE(transfer_time(64_MiB, Rate{250'000'000}) == Duration{268'435'456});
  REQUIRE(transfer_time(Bytes{0}, Rate{250'000'000}) == Duration{0});
}

TEST_CASE("transfer time rounds up to the next nanosecond so transfers never finish early", "[base]") {
  REQUIRE(transfer_time(Bytes{1}, Rate{3}) == Duration{333'333'334});
  REQUIRE(transfer_time(Bytes{3}, Rate{3}) == 1s);
  REQUIRE(transfer_time(Bytes{1}, Rate{1'000'000'001}) == Duration{1});
}

TEST_CASE("transfer time uses 128-bit products that overflow 64 bits", "[base]") {
  // 20e9 * 1e9 = 2e19 > 2^64 - 1
  REQUIRE(transfer_time(20_GB, Rate{1'000'000'000}) == 20s);
  REQUIRE(transfer_time(Bytes{u64_max}, Rate{u64_max - 1}) == Duration{1'000'000'001});
  REQUIRE(transfer_time(Bytes{u64_max}, Rate{4'000'000'000}) == Duration{4'611'686'018'427'387'904});
}

TEST_CASE("transfer time is zero when unlimited and forever at zero rate or beyond int64", "[base]") {
  REQUIRE(transfer_time(8_TiB, Rate::unlimited()) == Duration{0});
  REQUIRE(Rate::unlimited().is_unlimited());
  REQUIRE_FALSE(Rate{u64_max - 1}.is_unlimited());
  REQUIRE(transfer_time(4_KiB, Rate{0}) == forever);
  REQUIRE(transfer_time(Bytes{u64_max}, Rate{1}) == forever);
  REQUIRE(transfer_time(Bytes{9'223'372'036}, Rate{1}) == Duration{9'223'372'036'000'000'000});
  REQUIRE(transfer_time(Bytes{9'223'372'037}, Rate{1}) == forever);
}

TEST_CASE("an operation rate is an exact decimal count per period", "[base]") {
  STATIC_REQUIRE(OpRate::per_second(2000).mantissa == 2000);
  STATIC_REQUIRE(OpRate::per_second(2000).scale == 0);
  STATIC_REQUIRE(OpRate::per_second(2000).period == 1s);
  REQUIRE(OpRate::per_second(2000).per_second_value() == 2000.0);
  REQUIRE(OpRate{5, 1, 1s}.per_second_value() == 0.5);
  REQUIRE(OpRate{1, 0, 1min}.per_second_value() == 1.0 / 60);
  REQUIRE(OpRate{1, 0, 24h}.per_second_value() == 1.0 / 86'400);
  REQUIRE(OpRate::per_second(u64_max).per_second_value() == static_cast<double>(u64_max));
  REQUIRE(OpRate{}.per_second_value() == 0.0);
  REQUIRE(OpRate{1, 400, 1s}.per_second_value() == 0.0);
}

TEST_CASE("the rate as a double is the nearest double to the exact value", "[base]") {
  // Dividing the nearest double to the count by the period would round twice.
  REQUIRE(OpRate{7, 1, 1min}.per_second_value() == 0.011666666666666667);
  REQUIRE(0.7 / 60 != 0.011666666666666667);
  REQUIRE(OpRate{9, 2, 1h}.per_second_value() == 2.5e-05);
  REQUIRE(OpRate{3, 1, 24h}.per_second_value() == 3.4722222222222224e-06);
  REQUIRE(OpRate{1, 1, 1s}.per_second_value() == 0.1);
  REQUIRE(OpRate{1'234'567'890'123'456'789ULL, 9, 24h}.per_second_value() == 14288.98020976223);
  REQUIRE(OpRate{1, 30, 1s}.per_second_value() == 1e-30);
}

TEST_CASE("the mean interval of an operation rate is period * 10^scale / mantissa, nearest ns", "[base]") {
  REQUIRE(OpRate::per_second(2000).mean_interval() == 500us);
  REQUIRE(OpRate{5, 1, 1s}.mean_interval() == 2s);
  REQUIRE(OpRate{1, 0, 1min}.mean_interval() == 60s);
  REQUIRE(OpRate{3, 0, 1min}.mean_interval() == 20s);
  REQUIRE(OpRate{1, 0, 1h}.mean_interval() == 3600s);
  REQUIRE(OpRate{1, 0, 24h}.mean_interval() == 86'400s);
  REQUIRE(OpRate::per_second(150).mean_interval() == Duration{6'666'667});   // 6666666.67
  REQUIRE(OpRate::per_second(3).mean_interval() == Duration{333'333'333});   // 333333333.33
  REQUIRE(OpRate{7, 0, 1min}.mean_interval() == Duration{8'571'428'571});   // 8571428571.43
  REQUIRE(OpRate{1, 9, 1s}.mean_interval() == Duration{1'000'000'000'000'000'000});
}

TEST_CASE("the mean interval rounds half a nanosecond up", "[base]") {
  REQUIRE(OpRate{2, 0, Duration{1}}.mean_interval() == Duration{1});  // 0.5 ns
  REQUIRE(OpRate{4, 0, Duration{1}}.mean_interval() == Duration{0});  // 0.25 ns
  REQUIRE(OpRate{4, 0, Duration{3}}.mean_interval() == Duration{1});  // 0.75 ns
  REQUIRE(OpRate{4, 0, Duration{6}}.mean_interval() == Duration{2});  // 1.5 ns
  REQUIRE(OpRate::per_second(2'000'000'000).mean_interval() == Duration{1});
  REQUIRE(OpRate::per_second(2'000'000'001).mean_interval() == Duration{0});
  REQUIRE(OpRate::per_second(u64_max).mean_interval() == Duration{0});
}

TEST_CASE("the mean interval is forever at zero rate or beyond int64", "[base]") {
  constexpr std::int64_t i64_max = std::numeric_limits<std::int64_t>::max();
  REQUIRE(OpRate{}.mean_interval() == forever);
  REQUIRE(OpRate{0, 3, 1min}.mean_interval() == forever);
  REQUIRE(OpRate{1, 10, 1s}.mean_interval() == forever);  // 1e19 ns
  REQUIRE(OpRate{1, 0, Duration{i64_max - 1}}.mean_interval() == Duration{i64_max - 1});
  REQUIRE(OpRate{1, 0, Duration{i64_max}}.mean_interval() == forever);
  REQUIRE(OpRate{2, 1, Duration{1'844'674'407'370'955'161}}.mean_interval() ==
          Duration{9'223'372'036'854'775'805});
  REQUIRE(OpRate{2, 1, Duration{1'844'674'407'370'955'162}}.mean_interval() == forever); // 9223372036854775810
  // Huge scales neither overflow nor loop for long.
  REQUIRE(OpRate{u64_max, 1000, 24h}.mean_interval() == forever);
  REQUIRE(OpRate{1, std::numeric_limits<int>::max(), 1s}.mean_interval() == forever);
}

TEST_CASE("operation rates compare by value, not by how they were written", "[base]") {
  STATIC_REQUIRE(OpRate{60, 0, 1min} == OpRate::per_second(1));
  STATIC_REQUIRE(OpRate{5, 1, 1s} == OpRate{30, 0, 1min});
  STATIC_REQUIRE(OpRate{24, 0, 24h} == OpRate{1, 0, 1h});
  STATIC_REQUIRE(OpRate{5, 1, 1s} == OpRate{50, 2, 1s});
  STATIC_REQUIRE(OpRate{1, 0, 1min} < OpRate::per_second(1));
  STATIC_REQUIRE(OpRate{29, 0, 1min} < OpRate{5, 1, 1s});
  STATIC_REQUIRE(OpRate{61, 0, 1min} > OpRate::per_second(1));
  STATIC_REQUIRE(OpRate{1, 0, 1min} != OpRate{1, 0, 1h});
  STATIC_REQUIRE(OpRate{} == OpRate{0, 5, 24h});
  STATIC_REQUIRE(OpRate{} < OpRate{1, 40, 24h});
  STATIC_REQUIRE((OpRate{60, 0, 1min} <=> OpRate::per_second(1)) == std::weak_ordering::equivalent);
}

TEST_CASE("operation rate comparison does not overflow 128 bits", "[base]") {
  // u64_max * 86400e9 * 10^k is far beyond 2^128 for the larger scales.
  STATIC_REQUIRE(OpRate{1, 41, 1s} < OpRate{1, 40, 1s});
  STATIC_REQUIRE(OpRate{u64_max, 30, 1s} > OpRate{1, 12, 24h});
  STATIC_REQUIRE(OpRate{u64_max, 0, 1s} > OpRate{u64_max, 0, 24h});
  STATIC_REQUIRE(OpRate{u64_max, 0, 24h} < OpRate{u64_max, 0, 1s});
  STATIC_REQUIRE(OpRate{u64_max, 5, 24h} < OpRate{u64_max, 0, 24h});
  STATIC_REQUIRE(OpRate{1'000'000'000'000'000'000ULL, 18, 1s} == OpRate::per_second(1));
  STATIC_REQUIRE(OpRate{1'000'000'000'000'000'000ULL, 19, 1s} < OpRate::per_second(1));
  STATIC_REQUIRE(OpRate{8'640'000'000'000'000'000ULL, 18, 24h} == OpRate{1, 4, 1s});
  REQUIRE(OpRate{1, std::numeric_limits<int>::max(), 1s} < OpRate{1, 0, 24h});
  REQUIRE(OpRate{1, std::numeric_limits<int>::max(), 1s} > OpRate{});
}

TEST_CASE("sizes and rates stream in a plain parseable form", "[base]") {
  REQUIRE(streamed(Bytes{4096}) == "4096B");
  REQUIRE(streamed(Rate{250'000'000}) == "250000000B/s");
  REQUIRE(streamed(Rate::unlimited()) == "unlimited");
}

TEST_CASE("an operation rate streams in the unit it was written in", "[base]") {
  REQUIRE(streamed(OpRate::per_second(150)) == "150/s");
  REQUIRE(streamed(OpRate{5, 1, 1s}) == "0.5/s");
  REQUIRE(streamed(OpRate{1, 0, 1min}) == "1/m");
  REQUIRE(streamed(OpRate{60, 0, 1min}) == "60/m");
  REQUIRE(streamed(OpRate{25, 1, 1h}) == "2.5/h");
  REQUIRE(streamed(OpRate{1, 0, 24h}) == "1/d");
  REQUIRE(streamed(OpRate{1, 9, 1s}) == "0.000000001/s");
  REQUIRE(streamed(OpRate{1, 21, 1min}) == "0.000000000000000000001/m");
  REQUIRE(streamed(OpRate{123'456, 3, 1s}) == "123.456/s");
  REQUIRE(streamed(OpRate{1500, 3, 1s}) == "1.5/s"); // trailing zeros dropped
  REQUIRE(streamed(OpRate{2000, 3, 1s}) == "2/s");
  REQUIRE(streamed(OpRate::per_second(u64_max)) == "18446744073709551615/s");
  REQUIRE(streamed(OpRate{}) == "0/s");
}

TEST_CASE("an operation rate with a period the parser does not make streams its period", "[base]") {
  REQUIRE(streamed(OpRate{3, 0, 500ms}) == "3/500ms");
  REQUIRE(streamed(OpRate{3, 0, 2h}) == "3/2h");
  REQUIRE(streamed(OpRate{3, 0, 90s}) == "3/90s");
  REQUIRE(streamed(OpRate{3, 0, 1ms}) == "3/1ms");
  REQUIRE(streamed(OpRate{3, 0, Duration{7}}) == "3/7ns");
}

TEST_CASE("streamed rates parse back to the same value", "[base]") {
  const OpRate rate = GENERATE(OpRate{1, 0, 1s}, OpRate{5, 1, 1s}, OpRate{2000, 0, 1s}, OpRate{1, 0, 1min},
                               OpRate{3, 0, 1min}, OpRate{25, 1, 1h}, OpRate{1, 0, 24h}, OpRate{1, 9, 1s},
                               OpRate{123'456'789'012ULL, 9, 1s}, OpRate{1, 25, 24h}, OpRate{u64_max, 0, 1s},
                               OpRate{u64_max, 19, 1min});
  INFO(streamed(rate));
  const auto parsed = parse_op_rate(streamed(rate));
  REQUIRE(parsed.ok());
  REQUIRE(*parsed == rate);
  REQUIRE(parsed->mantissa == rate.mantissa);
  REQUIRE(parsed->scale == rate.scale);
  REQUIRE(parsed->period == rate.period);
  const std::uint64_t bps = GENERATE(1ULL, 250'000'000ULL, u64_max - 1);
  REQUIRE(*parse_rate(streamed(Rate{bps})) == Rate{bps});
  REQUIRE(*parse_rate(streamed(Rate::unlimited())) == Rate::unlimited());
}

TEST_CASE("format_human prefers an exact binary unit", "[base]") {
  REQUIRE(format_human(8_TiB) == "8TiB");
  REQUIRE(format_human(4_KiB) == "4KiB");
  REQUIRE(format_human(64_MiB) == "64MiB");
  REQUIRE(format_human(Bytes{1536ULL << 20}) == "1536MiB");
  REQUIRE(format_human(Bytes{15ULL << 60}) == "15EiB");
}

TEST_CASE("format_human uses an exact decimal unit with up to three decimals", "[base]") {
  REQUIRE(format_human(Bytes{3'840'000'000'000}) == "3.84TB");
  REQUIRE(format_human(Bytes{4'100'000'000}) == "4.1GB");
  REQUIRE(format_human(1_KB) == "1KB");
  REQUIRE(format_human(Bytes{1'234'000}) == "1.234MB");
}

TEST_CASE("format_human picks the shorter exact form and falls back to bytes", "[base]") {
  // 10^12 is divisible by 1024, but "976562500KiB" helps nobody
  REQUIRE(format_human(1_TB) == "1TB");
  REQUIRE(format_human(Bytes{4097}) == "4097B");
  REQUIRE(format_human(Bytes{1536}) == "1536B");
  REQUIRE(format_human(Bytes{512}) == "512B");
  REQUIRE(format_human(Bytes{0}) == "0B");
  REQUIRE(format_human(Bytes{u64_max}) == "18446744073709551615B");
}

TEST_CASE("format_human of a size parses back to the same number of bytes", "[base]") {
  const std::uint64_t v = GENERATE(0ULL, 1ULL, 512ULL, 1000ULL, 1536ULL, 4096ULL, 4097ULL, 1'024'000ULL,
                                   3'840'000'000'000ULL, 4'100'000'000ULL, 8ULL << 40, 1'234'567ULL, u64_max);
  REQUIRE(parse_bytes(format_human(Bytes{v}))->value == v);
}
