// Sizes and rates as strong types.
//
// Bytes is an unsigned byte count. Rate is a byte bandwidth in whole bytes per second, or
// `unlimited` (transfers then take no time). OpRate is an operation frequency (requests or
// arrivals) kept exactly as written: a decimal count per period, mantissa / 10^scale
// operations per `period` (1 s, 1 m, 1 h or 1 d from the parser), so 0.5/s, 1/m and 1/d are all
// exact. Two OpRates compare by value (60/m == 1/s). Bytes / Rate is the only bridge to time:
// computed in 128-bit integers and rounded up to the next nanosecond, so a transfer never
// finishes early; an OpRate's mean interval is rounded to the nearest nanosecond.
#pragma once

#include "sim/base/int128.hpp"
#include "sim/base/time.hpp"

#include <compare>
#include <cstdint>
#include <iosfwd>
#include <limits>
#include <string>

namespace sim::base {

struct Bytes {
  std::uint64_t value = 0;

  constexpr Bytes() = default;
  constexpr explicit Bytes(std::uint64_t v) : value(v) {}

  friend constexpr auto operator<=>(Bytes, Bytes) = default;
  friend constexpr Bytes operator+(Bytes a, Bytes b) { return Bytes{a.value + b.value}; }
  friend constexpr Bytes operator-(Bytes a, Bytes b) { return Bytes{a.value - b.value}; }
  friend constexpr Bytes operator*(Bytes a, std::uint64_t k) { return Bytes{a.value * k}; }
  friend constexpr Bytes operator*(std::uint64_t k, Bytes a) { return Bytes{a.value * k}; }
  friend constexpr std::uint64_t operator/(Bytes a, Bytes b) { return a.value / b.value; }
  friend constexpr Bytes operator/(Bytes a, std::uint64_t k) { return Bytes{a.value / k}; }
  friend constexpr Bytes operator%(Bytes a, Bytes b) { return Bytes{a.value % b.value}; }
  constexpr Bytes& operator+=(Bytes b) { value += b.value; return *this; }
  constexpr Bytes& operator-=(Bytes b) { value -= b.value; return *this; }
};

namespace size_literals {
constexpr Bytes operator""_B(unsigned long long v) { return Bytes{v}; }
constexpr Bytes operator""_KiB(unsigned long long v) { return Bytes{v << 10}; }
constexpr Bytes operator""_MiB(unsigned long long v) { return Bytes{v << 20}; }
constexpr Bytes operator""_GiB(unsigned long long v) { return Bytes{v << 30}; }
constexpr Bytes operator""_TiB(unsigned long long v) { return Bytes{v << 40}; }
constexpr Bytes operator""_KB(unsigned long long v) { return Bytes{v * 1000ULL}; }
constexpr Bytes operator""_MB(unsigned long long v) { return Bytes{v * 1000'000ULL}; }
constexpr Bytes operator""_GB(unsigned long long v) { return Bytes{v * 1000'000'000ULL}; }
constexpr Bytes operator""_TB(unsigned long long v) { return Bytes{v * 1000'000'000'000ULL}; }
} // namespace size_literals

/// Byte bandwidth: whole bytes per second, or unlimited. A zero rate is not representable
/// by the parser (it is an error in scenarios); Rate{0} behaves as "never finishes".
struct Rate {
  std::uint64_t bytes_per_second = 0;

  static constexpr Rate unlimited() { return Rate{std::numeric_limits<std::uint64_t>::max()}; }
  constexpr bool is_unlimited() const { return bytes_per_second == unlimited().bytes_per_second; }
  friend constexpr auto operator<=>(Rate, Rate) = default;
};

/// Time to move `size` at `rate`: ceil(size * 1e9 / rate) ns; zero for an unlimited rate;
/// `forever` for a zero rate or a result beyond the int64 range.
Duration transfer_time(Bytes size, Rate rate);
inline Duration operator/(Bytes size, Rate rate) { return transfer_time(size, rate); }

namespace detail {
/// x * 10^k <=> y for x, y < 2^127 and k >= 0, without overflow: once x exceeds y / 10, any
/// further factor of ten puts it above y.
constexpr std::weak_ordering compare_scaled(UInt128 x, UInt128 y, int k) {
  for (; k > 0 && x != 0; --k) {
    if (x > y / 10U)
      return std::weak_ordering::greater;
    x *= 10U;
  }
  if (x < y)
    return std::weak_ordering::less;
  return x == y ? std::weak_ordering::equivalent : std::weak_ordering::greater;
}
} // namespace detail

/// Operation frequency, exact: mantissa / 10^scale operations per `period`.
/// The parser keeps the number and unit as written ("1.5/m" is {15, 1, 60s}, trailing zeros after
/// the point dropped); OpRates built directly need scale >= 0 and period > 0. Comparisons are by
/// value, not by representation: 60/m == 1/s and 0.5/s > 29/m.
struct OpRate {
  std::uint64_t mantissa = 0;
  int scale = 0;
  Duration period = Duration{1'000'000'000};

  static constexpr OpRate per_second(std::uint64_t n) { return OpRate{n, 0, Duration{1'000'000'000}}; }
  /// Mean time between operations: period * 10^scale / mantissa rounded to the nearest ns, ties
  /// up, computed exactly in 128-bit integers. `forever` when the count is zero or the result is
  /// beyond the int64 range; 0 ns for rates above 2e9/s.
  Duration mean_interval() const;
  /// Operations per second as the nearest double to the exact value (1/m is 1.0 / 60).
  double per_second_value() const;

  friend constexpr std::weak_ordering operator<=>(const OpRate& a, const OpRate& b) {
    // a ? b  <=>  a.mantissa * 10^b.scale * b.period ? b.mantissa * 10^a.scale * a.period
    const UInt128 x = static_cast<UInt128>(a.mantissa) * static_cast<UInt128>(b.period.count());
    const UInt128 y = static_cast<UInt128>(b.mantissa) * static_cast<UInt128>(a.period.count());
    // Both products are below 2^127 (a 64-bit mantissa times a positive int64 period).
    if (a.scale >= b.scale)
      return 0 <=> detail::compare_scaled(y, x, a.scale - b.scale); // x <=> y * 10^(a.scale - b.scale)
    return detail::compare_scaled(x, y, b.scale - a.scale);
  }
  friend constexpr bool operator==(const OpRate& a, const OpRate& b) { return (a <=> b) == 0; }
};

std::ostream& operator<<(std::ostream& os, Bytes b);     // "4096B"
std::ostream& operator<<(std::ostream& os, Rate r);      // "250000000B/s" or "unlimited"
std::ostream& operator<<(std::ostream& os, OpRate r);    // as written: "150/s", "0.5/s", "1/m"

/// Human form, always exact and parseable back: the shorter of an exact binary unit ("8TiB") and
/// an exact decimal unit with at most three decimals ("3.84TB"), preferring binary on a tie;
/// plain bytes ("4097B") when that is shortest.
std::string format_human(Bytes b);

} // namespace sim::base
