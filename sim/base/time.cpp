#include "sim/base/time.hpp"

#include "sim/base/int128.hpp"

#include <ostream>

namespace sim::base {
namespace {

std::uint64_t magnitude(std::int64_t v) {
  return v < 0 ? std::uint64_t{0} - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
}

struct HumanUnit {
  std::uint64_t ns;
  const char* name;
};

constexpr HumanUnit human_units[] = {
    {31'557'600'000'000'000ULL, "y"},
    {86'400'000'000'000ULL, "d"},
    {3'600'000'000'000ULL, "h"},
    {60'000'000'000ULL, "m"},
    {1'000'000'000ULL, "s"},
    {1'000'000ULL, "ms"},
    {1'000ULL, "us"},
    {1ULL, "ns"},
};

UInt128 rounded_thousandths(std::uint64_t mag, std::uint64_t unit) {
  return (static_cast<UInt128>(mag) * 1000U + unit / 2) / unit;
}

} // namespace

std::string format_seconds(Duration d) {
  const std::int64_t ns = d.count();
  const std::uint64_t mag = magnitude(ns);
  std::string out = ns < 0 ? "-" : "";
  out += std::to_string(mag / 1'000'000'000ULL);
  out += '.';
  const std::string frac = std::to_string(mag % 1'000'000'000ULL);
  out.append(9 - frac.size(), '0');
  out += frac;
  return out;
}

std::string format_seconds(Time t) { return format_seconds(since_start(t)); }

std::string format_human(Duration d) {
  if (d == forever)
    return "never";
  const std::uint64_t mag = magnitude(d.count());
  if (mag == 0)
    return "0s";
  std::size_t i = 0;
  while (mag < human_units[i].ns)
    ++i;
  UInt128 thousandths = rounded_thousandths(mag, human_units[i].ns);
  if (i > 0 && thousandths * human_units[i].ns >= static_cast<UInt128>(human_units[i - 1].ns) * 1000U) {
    --i;
    thousandths = rounded_thousandths(mag, human_units[i].ns);
  }
  std::string out = d.count() < 0 ? "-" : "";
  out += std::to_string(static_cast<std::uint64_t>(thousandths / 1000U));
  auto frac = static_cast<unsigned>(thousandths % 1000U);
  if (frac != 0) {
    std::string digits = std::to_string(frac + 1000U).substr(1);
    while (digits.back() == '0')
      digits.pop_back();
    out += '.';
    out += digits;
  }
  out += human_units[i].name;
  return out;
}

std::ostream& operator<<(std::ostream& os, const Time& t) { return os << format_seconds(t) << 's'; }

} // namespace sim::base
