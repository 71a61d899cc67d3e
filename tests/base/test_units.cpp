#include "sim/base/units.hpp"

#include <catch2/catch.hpp>

#include <limits>
#include <string>

using namespace sim::base;
using namespace std::chrono_literals;

namespace {

constexpr std::int64_t sec = 1'000'000'000;
constexpr std::uint64_t u64_max = std::numeric_limits<std::uint64_t>::max();
const std::string duration_units = "ns, us, ms, s, m, h, d, y";
const std::string size_units = "B, KB, MB, GB, TB, PB, EB, KiB, MiB, GiB, TiB, PiB, EiB";
const std::string rate_units =
    "B/s, KB/s, MB/s, GB/s, TB/s, PB/s, EB/s, KiB/s, MiB/s, GiB/s, TiB/s, PiB/s, EiB/s, unlimited";
const std::string op_rate_units = "/s, /m, /h, /d";

template <class T> UnitError error_of(const Result<T, UnitError>& r) {
  REQUIRE_FALSE(r.ok());
  return r.error();
}

template <class T>
void require_error(const Result<T, UnitError>& r, std::size_t offset, const std::string& message) {
  const UnitError e = error_of(r);
  CHECK(e.message == message);
  CHECK(e.offset == offset);
}

std::int64_t ns_of(std::string_view text) {
  auto r = parse_duration(text);
  INFO(text);
  if (!r)
    FAIL(r.error().message);
  return r->count();
}

std::uint64_t bytes_of(std::string_view text) {
  auto r = parse_bytes(text);
  INFO(text);
  if (!r)
    FAIL(r.error().message);
  return r->value;
}

std::uint64_t bps_of(std::string_view text) {
  auto r = parse_rate(text);
  INFO(text);
  if (!r)
    FAIL(r.error().message);
  return r->bytes_per_second;
}

OpRate op_rate_of(std::string_view text) {
  auto r = parse_op_rate(text);
  INFO(text);
  if (!r)
    FAIL(r.error().message);
  return *r;
}

/// The representation exactly (OpRate's == compares values).
bool same(const OpRate& a, const OpRate& b) {
  return a.mantissa == b.mantissa && a.scale == b.scale && a.period == b.period;
}

Duration interval_of(std::string_view text) { return op_rate_of(text).mean_interval(); }

} // namespace

// ---- durations ----

TEST_CASE("every duration unit is accepted with its exact length", "[base]") {
  CHECK(ns_of("7ns") == 7);
  CHECK(ns_of("250us") == 250'000);
  CHECK(ns_of("250\xC2\xB5s") == 250'000); // micro sign
  CHECK(ns_of("250\xCE\xBCs") == 250'000); // greek mu
  CHECK(ns_of("5ms") == 5'000'000);
  CHECK(ns_of("2s") == 2 * sec);
  CHECK(ns_of("10m") == 600 * sec);
  CHECK(ns_of("10min") == 600 * sec);
  CHECK(ns_of("24h") == 86'400 * sec);
  CHECK(ns_of("7d") == 7 * 86'400 * sec);
  CHECK(ns_of("1y") == 31'557'600 * sec);
}

TEST_CASE("a year is 365.25 days exactly", "[base]") {
  CHECK(ns_of("3y") == 94'672'800'000'000'000);
  CHECK(ns_of("1y") == ns_of("365.25d"));
  CHECK(ns_of("4y") == ns_of("1461d"));
}

TEST_CASE("fractional durations parse exactly, never through a double", "[base]") {
  CHECK(ns_of("1.5s") == 1'500'000'000);
  CHECK(ns_of("0.1s") == 100'000'000);
  CHECK(ns_of("1.000000001s") == 1'000'000'001);
  CHECK(ns_of("1.5us") == 1'500);
  CHECK(ns_of("1.0ns") == 1);
  CHECK(ns_of("0.5m") == 30 * sec);
  CHECK(ns_of("0.001y") == 31'557'600'000'000);
  CHECK(ns_of("0s") == 0);
  CHECK(ns_of("007ms") == 7'000'000);
  CHECK(ns_of("9223372036.854775807s") == std::numeric_limits<std::int64_t>::max());
}

TEST_CASE("whitespace around a duration and before its unit is allowed", "[base]") {
  CHECK(ns_of("  5 ms ") == 5'000'000);
  CHECK(ns_of("\t1.5\ts\n") == 1'500'000'000);
}

TEST_CASE("a fraction of a nanosecond is an error", "[base]") {
  require_error(parse_duration("1.5ns"), 0, "'1.5ns' is not a whole number of nanoseconds");
  require_error(parse_duration("  0.0001us"), 2, "'0.0001us' is not a whole number of nanoseconds");
  require_error(parse_duration("1.0000000001s"), 0, "'1.0000000001s' is not a whole number of nanoseconds");
}

TEST_CASE("a duration beyond the int64 range is an error, not a wrap", "[base]") {
  require_error(parse_duration("300y"), 0, "value too large");
  require_error(parse_duration("293y"), 0, "value too large");
  CHECK(ns_of("292y") == 292LL * 31'557'600 * sec);
  require_error(parse_duration("9223372036854775808ns"), 0, "value too large");
  require_error(parse_duration(" 106752d"), 1, "value too large");
  require_error(parse_duration("1" + std::string(40, '0') + "ns"), 0, "value too large");
}

TEST_CASE("a bare number where a duration is needed names the accepted units", "[base]") {
  require_error(parse_duration("150"), 3, "missing unit (accepted: " + duration_units + ")");
  require_error(parse_duration(" 1.5  "), 4, "missing unit (accepted: " + duration_units + ")");
}

TEST_CASE("an unknown duration unit is named with the accepted units", "[base]") {
  require_error(parse_duration("5 sec"), 2,
                "unknown unit 'sec' (accepted: " + duration_units + "; did you mean 's'?)");
  require_error(parse_duration("5MS"), 1,
                "unknown unit 'MS' (accepted: " + duration_units + "; did you mean 'ms'?)");
  require_error(parse_duration("5hours"), 1,
                "unknown unit 'hours' (accepted: " + duration_units + "; did you mean 'h'?)");
  require_error(parse_duration("5 ps"), 2, "unknown unit 'ps' (accepted: " + duration_units + ")");
  require_error(parse_duration("5#"), 1, "unknown unit '#' (accepted: " + duration_units + ")");
}

TEST_CASE("a unit of another kind given for a duration says which kind it is", "[base]") {
  require_error(parse_duration("4KiB"), 1,
                "unit 'KiB' is a size, expected a duration (accepted: " + duration_units + ")");
  require_error(parse_duration("250MB/s"), 3,
                "unit 'MB/s' is a byte rate, expected a duration (accepted: " + duration_units + ")");
  require_error(parse_duration("5%"), 1,
                "unit '%' is a percentage, expected a duration (accepted: " + duration_units + ")");
  require_error(parse_duration("2000/s"), 4,
                "unit '/s' is an operation rate, expected a duration (accepted: " + duration_units + ")");
}

TEST_CASE("malformed durations are errors pointing at the offending character", "[base]") {
  require_error(parse_duration(""), 0, "empty value (expected a duration such as 250us)");
  require_error(parse_duration("   "), 0, "empty value (expected a duration such as 250us)");
  require_error(parse_duration("-5ms"), 0, "negative values are not allowed");
  require_error(parse_duration("  -5ms"), 2, "negative values are not allowed");
  require_error(parse_duration("+5ms"), 0, "unexpected '+' (numbers take no sign)");
  require_error(parse_duration("1e3ms"), 1, "exponents are not allowed");
  require_error(parse_duration("1.5E3s"), 3, "exponents are not allowed");
  require_error(parse_duration("1e-3s"), 1, "exponents are not allowed");
  require_error(parse_duration("1.2.3s"), 3, "unexpected second '.'");
  require_error(parse_duration("5.ms"), 2, "missing digit after '.'");
  require_error(parse_duration("5."), 2, "missing digit after '.'");
  require_error(parse_duration(".5s"), 0, "missing digit before '.'");
  require_error(parse_duration("1,000ms"), 1,
                "unexpected ',' (the decimal point is '.', and digits take no separators)");
  require_error(parse_duration("fast"), 0, "expected a duration such as 250us, got 'fast'");
  require_error(parse_duration(" ms"), 1, "expected a duration such as 250us, got 'ms'");
  require_error(parse_duration("5ms later"), 4, "unexpected 'later' after unit 'ms'");
}

// ---- sizes ----

TEST_CASE("every size unit is accepted, decimal and binary kept distinct", "[base]") {
  CHECK(bytes_of("512B") == 512);
  CHECK(bytes_of("4KB") == 4'000);
  CHECK(bytes_of("4kB") == 4'000);
  CHECK(bytes_of("4MB") == 4'000'000);
  CHECK(bytes_of("4GB") == 4'000'000'000);
  CHECK(bytes_of("4TB") == 4'000'000'000'000);
  CHECK(bytes_of("4PB") == 4'000'000'000'000'000);
  CHECK(bytes_of("4EB") == 4'000'000'000'000'000'000);
  CHECK(bytes_of("4KiB") == 4ULL << 10);
  CHECK(bytes_of("4MiB") == 4ULL << 20);
  CHECK(bytes_of("4GiB") == 4ULL << 30);
  CHECK(bytes_of("8TiB") == 8ULL << 40);
  CHECK(bytes_of("4PiB") == 4ULL << 50);
  CHECK(bytes_of("4EiB") == 4ULL << 60);
  CHECK(bytes_of("4 KiB") == 4096);
}

TEST_CASE("decimal sizes parse exactly", "[base]") {
  CHECK(bytes_of("3.84TB") == 3'840'000'000'000);
  CHECK(bytes_of("4.1GB") == 4'100'000'000);
  CHECK(bytes_of("1.5GiB") == 1'610'612'736);
  CHECK(bytes_of("0.5KiB") == 512);
  CHECK(bytes_of("1.001KB") == 1'001);
  CHECK(bytes_of("18446744073709551615B") == u64_max);
  CHECK(bytes_of("15EiB") == 15ULL << 60);
}

TEST_CASE("a decimal that is exact only after reduction still parses", "[base]") {
  // 2^-40 EiB = 1 MiB
  CHECK(bytes_of("0.0000000000009094947017729282379150390625EiB") == 1ULL << 20);
  CHECK(bytes_of("0.0009765625KiB") == 1);
}

TEST_CASE("a fraction of a byte is an error", "[base]") {
  require_error(parse_bytes("0.5B"), 0, "'0.5B' is not a whole number of bytes");
  require_error(parse_bytes("1.0001KB"), 0, "'1.0001KB' is not a whole number of bytes");
  require_error(parse_bytes("0.3KiB"), 0, "'0.3KiB' is not a whole number of bytes");
}

TEST_CASE("a size beyond 2^64 - 1 bytes is an error, not a wrap", "[base]") {
  require_error(parse_bytes("20EiB"), 0, "value too large");
  require_error(parse_bytes("16EiB"), 0, "value too large");
  require_error(parse_bytes("18446744073709551616B"), 0, "value too large");
  require_error(parse_bytes("18.5EB"), 0, "value too large");
  require_error(parse_bytes(std::string(31, '9') + "B"), 0, "value too large");
}

TEST_CASE("a bare, unknown or wrong size unit is an error naming the accepted units", "[base]") {
  require_error(parse_bytes("4096"), 4, "missing unit (accepted: " + size_units + ")");
  require_error(parse_bytes("4kib"), 1,
                "unknown unit 'kib' (accepted: " + size_units + "; did you mean 'KiB'?)");
  require_error(parse_bytes("4G"), 1, "unknown unit 'G' (accepted: " + size_units + "; did you mean 'GB'?)");
  require_error(parse_bytes("4Gi"), 1,
                "unknown unit 'Gi' (accepted: " + size_units + "; did you mean 'GiB'?)");
  require_error(parse_bytes("4 bytes"), 2, "unknown unit 'bytes' (accepted: " + size_units + ")");
  require_error(parse_bytes("4ms"), 1,
                "unit 'ms' is a duration, expected a size (accepted: " + size_units + ")");
  require_error(parse_bytes("250MB/s"), 3,
                "unit 'MB/s' is a byte rate, expected a size (accepted: " + size_units + ")");
  require_error(parse_bytes(""), 0, "empty value (expected a size such as 4KiB)");
  require_error(parse_bytes("-4KiB"), 0, "negative values are not allowed");
  require_error(parse_bytes("big"), 0, "expected a size such as 4KiB, got 'big'");
}

// ---- byte rates ----

TEST_CASE("every size unit per second is a byte rate", "[base]") {
  CHECK(bps_of("250MB/s") == 250'000'000);
  CHECK(bps_of("100B/s") == 100);
  CHECK(bps_of("1KB/s") == 1'000);
  CHECK(bps_of("1kB/s") == 1'000);
  CHECK(bps_of("1GB/s") == 1'000'000'000);
  CHECK(bps_of("1TB/s") == 1'000'000'000'000);
  CHECK(bps_of("1PB/s") == 1'000'000'000'000'000);
  CHECK(bps_of("1EB/s") == 1'000'000'000'000'000'000);
  CHECK(bps_of("1KiB/s") == 1ULL << 10);
  CHECK(bps_of("1MiB/s") == 1ULL << 20);
  CHECK(bps_of("1.5GiB/s") == 1'610'612'736);
  CHECK(bps_of("1TiB/s") == 1ULL << 40);
  CHECK(bps_of("1PiB/s") == 1ULL << 50);
  CHECK(bps_of("1EiB/s") == 1ULL << 60);
  CHECK(bps_of("12.5 MB/s") == 12'500'000);
}

TEST_CASE("the word unlimited is a rate that transfers in no time", "[base]") {
  REQUIRE(parse_rate("unlimited")->is_unlimited());
  REQUIRE(parse_rate("  unlimited ")->is_unlimited());
  require_error(parse_rate("Unlimited"), 0, "expected a byte rate such as 250MB/s, got 'Unlimited'");
}

TEST_CASE("a zero, fractional, too large or unitless byte rate is an error", "[base]") {
  require_error(parse_rate("0MB/s"), 0, "rate must be greater than zero (write 'unlimited' for no limit)");
  require_error(parse_rate(" 0.5B/s"), 1, "'0.5B/s' is not a whole number of bytes per second");
  require_error(parse_rate("16EiB/s"), 0, "value too large");
  require_error(parse_rate("18446744073709551615B/s"), 0, "value too large");
  CHECK(bps_of("18446744073709551614B/s") == u64_max - 1);
  require_error(parse_rate("250"), 3, "missing unit (accepted: " + rate_units + ")");
  require_error(parse_rate("250MB/sec"), 3, "unknown unit 'MB/sec' (accepted: " + rate_units + ")");
  require_error(parse_rate("250mb/s"), 3,
                "unknown unit 'mb/s' (accepted: " + rate_units + "; did you mean 'MB/s'?)");
}

TEST_CASE("a size or an operation rate given for a byte rate is an error saying so", "[base]") {
  require_error(parse_rate("250MB"), 3,
                "unit 'MB' is a size, expected a byte rate (accepted: " + rate_units + ")");
  require_error(parse_rate("2000/s"), 4,
                "unit '/s' is an operation rate, expected a byte rate (accepted: " + rate_units + ")");
}

// ---- operation rates ----

TEST_CASE("operation rates per second, minute, hour and day are kept as written", "[base]") {
  CHECK(same(op_rate_of("2000/s"), OpRate{2000, 0, 1s}));
  CHECK(same(op_rate_of("0.5/s"), OpRate{5, 1, 1s}));
  CHECK(same(op_rate_of("0.000000001/s"), OpRate{1, 9, 1s}));
  CHECK(same(op_rate_of("1/m"), OpRate{1, 0, 1min}));
  CHECK(same(op_rate_of("3/m"), OpRate{3, 0, 1min}));
  CHECK(same(op_rate_of("9/h"), OpRate{9, 0, 1h}));
  CHECK(same(op_rate_of("27/d"), OpRate{27, 0, 24h}));
  CHECK(same(op_rate_of("120 /m"), OpRate{120, 0, 1min}));
  CHECK(same(op_rate_of("1.50/h"), OpRate{15, 1, 1h}));
  CHECK(same(op_rate_of(" 007.250/d "), OpRate{725, 2, 24h}));
  CHECK(same(op_rate_of("18446744073709551615/s"), OpRate{u64_max, 0, 1s}));
  CHECK(same(op_rate_of("1.8446744073709551615/s"), OpRate{u64_max, 19, 1s}));
}

TEST_CASE("rates that are not a whole number of nano-operations per second are exact", "[base]") {
  CHECK(interval_of("1/m") == 60s);
  CHECK(interval_of("1/h") == 3600s);
  CHECK(interval_of("1/d") == 86'400s);
  CHECK(interval_of("0.5/s") == 2s);
  CHECK(interval_of("150/s") == Duration{6'666'667}); // 6666666.67 ns, rounded
  CHECK(interval_of("2000/s") == 500us);
  CHECK(interval_of("3/m") == 20s);
  CHECK(interval_of("7/h") == Duration{514'285'714'286}); // 514285714285.71 ns
  CHECK(interval_of("0.0000000001/s") == forever);        // 1e19 ns is beyond int64
  CHECK(interval_of("0.000000000000000000000000000001/d") == forever);
  CHECK(op_rate_of("1/m").per_second_value() == 1.0 / 60);
  CHECK(op_rate_of("0.7/m").per_second_value() == 0.011666666666666667);
}

TEST_CASE("parsed operation rates compare by value", "[base]") {
  CHECK(op_rate_of("60/m") == op_rate_of("1/s"));
  CHECK(op_rate_of("60/m") == OpRate::per_second(1));
  CHECK(op_rate_of("0.5/s") == op_rate_of("30/m"));
  CHECK(op_rate_of("1/h") == op_rate_of("24/d"));
  CHECK(op_rate_of("1/s") == op_rate_of("1.000/s"));
  CHECK(op_rate_of("1/m") < op_rate_of("1/s"));
  CHECK(op_rate_of("1/d") < op_rate_of("1/h"));
  CHECK(op_rate_of("61/m") > op_rate_of("1/s"));
  CHECK(op_rate_of("1/m") != op_rate_of("1/s"));
}

TEST_CASE("a zero operation rate is an error", "[base]") {
  require_error(parse_op_rate("0/s"), 0, "rate must be greater than zero");
  require_error(parse_op_rate("  0.000/m"), 2, "rate must be greater than zero");
  require_error(parse_op_rate("0 /d"), 0, "rate must be greater than zero");
}

TEST_CASE("a bare, unknown, wrong or too large operation rate is an error", "[base]") {
  require_error(parse_op_rate("2000"), 4, "missing unit (accepted: " + op_rate_units + ")");
  require_error(parse_op_rate("5/sec"), 1,
                "unknown unit '/sec' (accepted: " + op_rate_units + "; did you mean '/s'?)");
  require_error(parse_op_rate("5/min"), 1,
                "unknown unit '/min' (accepted: " + op_rate_units + "; did you mean '/m'?)");
  require_error(parse_op_rate("5MB/s"), 1,
                "unit 'MB/s' is a byte rate, expected an operation rate (accepted: " + op_rate_units + ")");
  require_error(parse_op_rate("-1/s"), 0, "negative values are not allowed");
}

TEST_CASE("an operation rate whose digits do not fit 64 bits is an error", "[base]") {
  require_error(parse_op_rate("18446744073709551616/s"), 0, "value too large");
  require_error(parse_op_rate(" 100000000000000000000000/m"), 1, "value too large");
  require_error(parse_op_rate("1000000000000000000000000000000/s"), 0, "value too large"); // 31 digits
  require_error(parse_op_rate("1.8446744073709551616/s"), 0,
                "too many significant digits for an operation rate (at most 19)");
  require_error(parse_op_rate("0.12345678901234567890123/h"), 0,
                "too many significant digits for an operation rate (at most 19)");
  CHECK(same(op_rate_of("0.1234567890123456789/h"), OpRate{1'234'567'890'123'456'789ULL, 19, 1h}));
}

// ---- percent ----

TEST_CASE("a percentage becomes a fraction computed once from the exact decimal", "[base]") {
  CHECK(*parse_percent("0.5%") == 0.005);
  CHECK(*parse_percent("70%") == 0.7);
  CHECK(*parse_percent("100%") == 1.0);
  CHECK(*parse_percent("0%") == 0.0);
  CHECK(*parse_percent("33.3 %") == 0.333);
  CHECK(*parse_percent("100.000%") == 1.0);
}

TEST_CASE("a percentage must lie within 0% and 100% and carry the % unit", "[base]") {
  require_error(parse_percent("150%"), 0, "percentage must be between 0% and 100%");
  require_error(parse_percent("100.0000001%"), 0, "percentage must be between 0% and 100%");
  require_error(parse_percent("-1%"), 0, "negative values are not allowed");
  require_error(parse_percent("0.5"), 3, "missing unit (accepted: %)");
  require_error(parse_percent("5ms"), 1, "unit 'ms' is a duration, expected a percentage (accepted: %)");
}

// ---- plain decimals ----

TEST_CASE("a plain decimal keeps its mantissa and scale exactly", "[base]") {
  auto d = parse_decimal("3.84");
  REQUIRE(d);
  CHECK(d->mantissa == 384);
  CHECK(d->scale == 2);
  d = parse_decimal("0.0001");
  CHECK(d->mantissa == 1);
  CHECK(d->scale == 4);
  d = parse_decimal(" 007 ");
  CHECK(d->mantissa == 7);
  CHECK(d->scale == 0);
  d = parse_decimal("1.50");
  CHECK(d->mantissa == 15);
  CHECK(d->scale == 1);
  d = parse_decimal("123456789012345678901234567890");
  REQUIRE(d);
  CHECK(d->mantissa == static_cast<UInt128>(123456789012345678ULL) * 1'000'000'000'000ULL + 901234567890ULL);
}

TEST_CASE("a plain decimal converts to the nearest double", "[base]") {
  CHECK(parse_decimal("0.1")->to_double() == 0.1);
  CHECK(parse_decimal("0.3")->to_double() == 0.3);
  CHECK(parse_decimal("1.12")->to_double() == 1.12);
  CHECK(parse_decimal("461386")->to_double() == 461386.0);
  CHECK(parse_decimal("0")->to_double() == 0.0);
  CHECK(parse_decimal("0." + std::string(400, '0') + "1")->to_double() == 0.0);
}

TEST_CASE("a plain decimal has at most 30 significant digits", "[base]") {
  CHECK(parse_decimal("0.000" + std::string(30, '7')));
  CHECK(parse_decimal("1." + std::string(29, '1') + "000000"));
  require_error(parse_decimal(std::string(31, '9')), 0, "value too large");
  require_error(parse_decimal("0." + std::string(31, '7')), 32, "too many significant digits (at most 30)");
  require_error(parse_decimal("12." + std::string(29, '7')), 31, "too many significant digits (at most 30)");
}

TEST_CASE("a plain decimal rejects units, signs, exponents and garbage", "[base]") {
  require_error(parse_decimal("5s"), 1, "unexpected 's' after the number (expected a plain number)");
  require_error(parse_decimal("0.5 %"), 4, "unexpected '%' after the number (expected a plain number)");
  require_error(parse_decimal(""), 0, "empty value (expected a number)");
  require_error(parse_decimal("abc"), 0, "expected a number, got 'abc'");
  require_error(parse_decimal("-1"), 0, "negative values are not allowed");
  require_error(parse_decimal(" 2e5"), 2, "exponents are not allowed");
}

TEST_CASE("parse_decimal_prefix reports how much of the text is the number", "[base]") {
  std::size_t consumed = 99;
  auto d = parse_decimal_prefix("12.5ms", consumed);
  REQUIRE(d);
  CHECK(consumed == 4);
  CHECK(d->mantissa == 125);
  CHECK(d->scale == 1);
  d = parse_decimal_prefix("3.000 KiB", consumed);
  CHECK(consumed == 5);
  CHECK(d->mantissa == 3);
  CHECK(d->scale == 0);
  d = parse_decimal_prefix("5EB", consumed);
  CHECK(consumed == 1);
  require_error(parse_decimal_prefix("x1", consumed), 0, "expected a number");
  CHECK(consumed == 0);
}
