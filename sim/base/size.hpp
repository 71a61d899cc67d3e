// Sizes and rates as strong types.
//
// Bytes is an unsigned byte count. Rate is a byte bandwidth in whole bytes per second, or
// `unlimited` (transfers then take no time). OpRate is an operation frequency (requests or
// arrivals per second) kept in units of 10^-9 per second so that fractional rates such as
// 0.5/s are exact. Bytes / Rate is the only bridge to time: computed in 128-bit integers and
// rounded up to the next nanosecond, so a transfer never finishes early.
#pragma once

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

/// Operations per second, stored exactly as nano-operations per second.
struct OpRate {
  std::uint64_t nano_per_second = 0;

  static constexpr OpRate per_second(std::uint64_t n) { return OpRate{n * 1000'000'000ULL}; }
  /// Mean time between operations: ceil(1e18 / nano_per_second) ns (`forever` when zero).
  Duration mean_interval() const;
  /// Operations per second as a double, correctly rounded for rates up to 2^53 nano-ops/s.
  double per_second_value() const { return static_cast<double>(nano_per_second) / 1e9; }
  friend constexpr auto operator<=>(OpRate, OpRate) = default;
};

std::ostream& operator<<(std::ostream& os, Bytes b);     // "4096B"
std::ostream& operator<<(std::ostream& os, Rate r);      // "250000000B/s" or "unlimited"
std::ostream& operator<<(std::ostream& os, OpRate r);    // "150/s", "0.5/s"

/// Human form, always exact and parseable back: the shorter of an exact binary unit ("8TiB") and
/// an exact decimal unit with at most three decimals ("3.84TB"), preferring binary on a tie;
/// plain bytes ("4097B") when that is shortest.
std::string format_human(Bytes b);

} // namespace sim::base
