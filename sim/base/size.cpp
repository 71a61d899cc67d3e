#include "sim/base/size.hpp"

#include "sim/base/int128.hpp"

#include <charconv>
#include <limits>
#include <ostream>
#include <string_view>

namespace sim::base {
namespace {

std::string with_decimals(std::uint64_t whole, std::uint64_t frac, std::uint64_t frac_scale) {
  std::string out = std::to_string(whole);
  if (frac == 0)
    return out;
  std::string digits = std::to_string(frac + frac_scale).substr(1);
  while (digits.back() == '0')
    digits.pop_back();
  return out + '.' + digits;
}

struct SizeUnit {
  std::uint64_t bytes;
  const char* name;
};

constexpr SizeUnit binary_units[] = {
    {1ULL << 60, "EiB"}, {1ULL << 50, "PiB"}, {1ULL << 40, "TiB"},
    {1ULL << 30, "GiB"}, {1ULL << 20, "MiB"}, {1ULL << 10, "KiB"},
};

constexpr SizeUnit decimal_units[] = {
    {1'000'000'000'000'000'000ULL, "EB"},
    {1'000'000'000'000'000ULL, "PB"},
    {1'000'000'000'000ULL, "TB"},
    {1'000'000'000ULL, "GB"},
    {1'000'000ULL, "MB"},
    {1'000ULL, "KB"},
};

std::string binary_form(std::uint64_t v) {
  for (const auto& u : binary_units) {
    if (v % u.bytes == 0)
      return std::to_string(v / u.bytes) + u.name;
  }
  return {};
}

std::string decimal_form(std::uint64_t v) {
  for (const auto& u : decimal_units) {
    const std::uint64_t thousandth = u.bytes / 1000;
    if (v >= u.bytes && v % thousandth == 0) {
      return with_decimals(v / u.bytes, (v % u.bytes) / thousandth, 1000) + u.name;
    }
  }
  return {};
}

/// The unit of an operation rate: "s", "m", "h", "d" for the parser's periods; any other period
/// (only built directly) in the largest unit that divides it, with its count: "500ms", "2h".
std::string period_name(Duration period) {
  struct PeriodUnit {
    std::int64_t ns;
    std::string_view name;
    bool bare; // written without a count when the period is exactly one unit
  };
  static constexpr PeriodUnit units[] = {
      {86'400'000'000'000, "d", true}, {3'600'000'000'000, "h", true}, {60'000'000'000, "m", true},
      {1'000'000'000, "s", true},      {1'000'000, "ms", false},       {1'000, "us", false},
      {1, "ns", false},
  };
  const std::int64_t ns = period.count();
  for (const auto& u : units) {
    if (ns > 0 && ns % u.ns == 0) {
      if (ns == u.ns && u.bare)
        return std::string(u.name);
      return std::to_string(ns / u.ns) + std::string(u.name);
    }
  }
  return std::to_string(ns) + "ns";
}

} // namespace

Duration transfer_time(Bytes size, Rate rate) {
  if (rate.is_unlimited())
    return Duration::zero();
  if (rate.bytes_per_second == 0)
    return forever;
  const UInt128 ns = ceil_div(static_cast<UInt128>(size.value) * 1'000'000'000U, rate.bytes_per_second);
  if (ns >= static_cast<UInt128>(forever.count()))
    return forever;
  return Duration{static_cast<std::int64_t>(ns)};
}

Duration OpRate::mean_interval() const {
  if (mantissa == 0)
    return forever;
  // Long division of period * 10^scale by the mantissa, one decimal digit at a time, so the
  // dividend never has to exist: q stays below 10 * 2^63 and r below 10 * 2^64.
  const UInt128 m = mantissa;
  const UInt128 limit = static_cast<UInt128>(std::numeric_limits<std::int64_t>::max());
  const UInt128 p = static_cast<UInt128>(period.count());
  UInt128 q = p / m;
  UInt128 r = p % m;
  for (int i = 0; i < scale; ++i) {
    if (q > limit)
      return forever;
    r *= 10U;
    q = q * 10U + r / m;
    r %= m;
  }
  if (2U * r >= m) // nearest, ties up
    ++q;
  if (q > limit)
    return forever;
  return Duration{static_cast<std::int64_t>(q)};
}

double OpRate::per_second_value() const {
  // Below 2^64 * 1e9 * 10^-360 the value rounds to zero.
  if (mantissa == 0 || scale > 360)
    return 0.0;
  // The exact value is v = q * 10^-scale with q = mantissa * 1e9 / period_ns. Write q as decimal
  // digits and let from_chars round. A q that does not terminate is cut after scale + 48 fraction
  // digits and a sticky '1' is appended; the cut moves v by less than 10^-(2 * scale + 48). A
  // midpoint between two doubles near v is a multiple of 2^e with 2^-e < 2^88 * 10^scale (as
  // v >= 1e9 / (2^63 * 10^scale)); it either equals v, and then q terminates, or differs from v
  // by at least 1 / (period_ns * 10^scale * 2^-e) > 2^-151 * 10^-(2 * scale), which is more than
  // the cut. So no midpoint lies between the written and the exact value.
  const UInt128 p = static_cast<UInt128>(period.count());
  const UInt128 x = static_cast<UInt128>(mantissa) * 1'000'000'000U;
  std::string text = to_decimal_string(x / p);
  UInt128 r = x % p;
  if (r != 0) {
    text += '.';
    for (int i = 0; i < scale + 48 && r != 0; ++i) {
      r *= 10U;
      text += static_cast<char>('0' + static_cast<int>(r / p));
      r %= p;
    }
    if (r != 0)
      text += '1';
  }
  text += "e-" + std::to_string(scale);
  double value = 0.0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  static_cast<void>(ptr);
  if (ec != std::errc{})
    return 0.0; // underflow
  return value;
}

std::ostream& operator<<(std::ostream& os, Bytes b) { return os << b.value << 'B'; }

std::ostream& operator<<(std::ostream& os, Rate r) {
  if (r.is_unlimited())
    return os << "unlimited";
  return os << r.bytes_per_second << "B/s";
}

std::ostream& operator<<(std::ostream& os, OpRate r) {
  std::string digits = std::to_string(r.mantissa);
  if (r.scale > 0) {
    const std::size_t scale = static_cast<std::size_t>(r.scale);
    if (digits.size() <= scale)
      digits.insert(0, scale + 1 - digits.size(), '0');
    digits.insert(digits.size() - scale, 1, '.');
    while (digits.back() == '0')
      digits.pop_back();
    if (digits.back() == '.')
      digits.pop_back();
  }
  return os << digits << '/' << period_name(r.period);
}

std::string format_human(Bytes b) {
  if (b.value == 0)
    return "0B";
  std::string best = std::to_string(b.value) + "B";
  for (std::string candidate : {decimal_form(b.value), binary_form(b.value)}) {
    if (!candidate.empty() && candidate.size() <= best.size())
      best = std::move(candidate);
  }
  return best;
}

} // namespace sim::base
