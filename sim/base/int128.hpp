// 128-bit integer arithmetic for exact unit conversions.
//
// GCC's __int128 is an extension: naming it plainly is an error under -Wpedantic -Werror,
// so the types are introduced once here behind __extension__.
#pragma once

#include <cstdint>
#include <string>

namespace sim::base {

__extension__ typedef __int128 Int128;
__extension__ typedef unsigned __int128 UInt128;

/// ceil(a / b) for b > 0.
constexpr UInt128 ceil_div(UInt128 a, UInt128 b) { return a / b + (a % b != 0 ? 1 : 0); }

/// Decimal digits of v ("0" for zero): iostreams cannot print 128-bit integers.
inline std::string to_decimal_string(UInt128 v) {
  std::string digits;
  do {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(v % 10U)));
    v /= 10U;
  } while (v != 0);
  return digits;
}

} // namespace sim::base
