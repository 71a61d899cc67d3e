#include "sim/base/size.hpp"

#include "sim/base/int128.hpp"

#include <ostream>

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
  if (nano_per_second == 0)
    return forever;
  return Duration{static_cast<std::int64_t>(ceil_div(1'000'000'000'000'000'000ULL, nano_per_second))};
}

std::ostream& operator<<(std::ostream& os, Bytes b) { return os << b.value << 'B'; }

std::ostream& operator<<(std::ostream& os, Rate r) {
  if (r.is_unlimited())
    return os << "unlimited";
  return os << r.bytes_per_second << "B/s";
}

std::ostream& operator<<(std::ostream& os, OpRate r) {
  return os << with_decimals(r.nano_per_second / 1'000'000'000ULL, r.nano_per_second % 1'000'000'000ULL,
                             1'000'000'000ULL)
            << "/s";
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
