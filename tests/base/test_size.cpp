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

TEST_CASE("an operation rate is kept in nano-operations per second", "[base]") {
  REQUIRE(OpRate::per_second(2000).nano_per_second == 2'000'000'000'000ULL);
  REQUIRE(OpRate::per_second(2000).per_second_value() == 2000.0);
  REQUIRE(OpRate{500'000'000}.per_second_value() == 0.5);
}

TEST_CASE("the mean interval of an operation rate is 1e18 / nano-rate rounded up", "[base]") {
  REQUIRE(OpRate::per_second(2000).mean_interval() == 500us);
  REQUIRE(OpRate{500'000'000}.mean_interval() == 2s);
  REQUIRE(OpRate{3}.mean_interval() == Duration{333'333'333'333'333'334});
  REQUIRE(OpRate{1}.mean_interval() == Duration{1'000'000'000'000'000'000});
  REQUIRE(OpRate{0}.mean_interval() == forever);
}

TEST_CASE("sizes and rates stream in a plain parseable form", "[base]") {
  REQUIRE(streamed(Bytes{4096}) == "4096B");
  REQUIRE(streamed(Rate{250'000'000}) == "250000000B/s");
  REQUIRE(streamed(Rate::unlimited()) == "unlimited");
  REQUIRE(streamed(OpRate::per_second(150)) == "150/s");
  REQUIRE(streamed(OpRate{500'000'000}) == "0.5/s");
  REQUIRE(streamed(OpRate{1}) == "0.000000001/s");
  REQUIRE(streamed(OpRate{0}) == "0/s");
}

TEST_CASE("streamed rates parse back to the same value", "[base]") {
  const std::uint64_t nano = GENERATE(0ULL, 1ULL, 500'000'000ULL, 2'000'000'000'000ULL, 123'456'789'012ULL);
  REQUIRE(parse_op_rate(streamed(OpRate{nano}))->nano_per_second == nano);
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
