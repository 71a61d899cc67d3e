// Parsing of dimensioned values as written in scenarios: "250us", "4KiB", "250MB/s", "0.5%".
//
// Numbers are exact decimals (digits, optional '.', digits; no sign, no exponent) and are
// never converted through a double: "3.84TB" is 3,840,000,000,000 bytes exactly. A value
// that does not land on a whole unit of the target (a fraction of a nanosecond or of a byte)
// is an error, and so is overflow. An operation rate keeps its number and period as written,
// so it is always exact. Whitespace between number and unit is allowed ("4 KiB");
// leading/trailing whitespace is ignored.
//
// Accepted units (case-sensitive, as written here):
//   durations  ns, us (also µs), ms, s, m (also min), h, d, y   (1 y = 365.25 d)
//   sizes      B; KB MB GB TB PB EB (10^3k; also kB); KiB MiB GiB TiB PiB EiB (2^10k)
//   byte rates <size unit>/s, e.g. 250MB/s, 1.5GiB/s; the word "unlimited"
//   op rates   N/s, N/m (per minute), N/h, N/d, e.g. 2000/s, 0.5/s, 1/m, 1/d; kept as an exact
//              decimal count per period (OpRate), so any count is exact. The significant digits
//              must fit 64 bits (any 19 do): more is "value too large" for a whole number and
//              "too many significant digits for an operation rate (at most 19)" otherwise
//   percent    N%, 0..100 inclusive
// A bare number where a unit is needed is an error that says which units are accepted; a unit of
// another kind ("4KiB" for a duration) says which kind it is. Units are matched exactly; a
// near miss ("sec", "kib") gets a "did you mean" hint. A byte rate or an operation rate of zero is
// an error ("rate must be greater than zero").
#pragma once

#include "sim/base/int128.hpp"
#include "sim/base/result.hpp"
#include "sim/base/size.hpp"
#include "sim/base/time.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace sim::base {

/// Why a value did not parse. `offset` is the 0-based character offset in the input where the
/// problem starts (the scenario layer adds it to the value's column); `message` is a complete
/// sentence fragment such as "missing unit (accepted: ns, us, ms, s, m, h, d, y)".
/// Offsets: the sign, exponent or stray character itself; for a missing unit the end of the
/// number; for an unknown or wrong unit its first character; for "value too large", "'1.5ns' is
/// not a whole number of nanoseconds", a zero rate and an operation rate with too many significant
/// digits the start of the value.
struct UnitError {
  std::size_t offset = 0;
  std::string message;
};

Result<Duration, UnitError> parse_duration(std::string_view text);
Result<Bytes, UnitError> parse_bytes(std::string_view text);
Result<Rate, UnitError> parse_rate(std::string_view text);
Result<OpRate, UnitError> parse_op_rate(std::string_view text);
/// "0.5%" -> 0.005. The double is computed once from the exact decimal (mantissa / 10^k).
Result<double, UnitError> parse_percent(std::string_view text);

/// A plain non-negative decimal without unit, kept exact: value = mantissa / 10^scale.
/// Used by the above and by dimensionless scenario keys. Leading zeros and trailing zeros after
/// the point are dropped ("007" is {7, 0}, "1.50" is {15, 1}). At most 30 significant digits are
/// accepted: more than 30 before the point is "value too large", more in all is "too many
/// significant digits (at most 30)".
struct Decimal {
  UInt128 mantissa = 0;
  int scale = 0;  ///< number of digits after the decimal point, trailing zeros dropped

  /// The nearest double to the exact value (correctly rounded; 0 when it underflows).
  double to_double() const;
};

/// Parses the leading decimal of `text` (no leading whitespace); `consumed` receives its length
/// (0 on error). A sign, a leading or trailing '.', a second '.', a ',' between digits or an
/// exponent right after the digits ("1e3") is an error rather than the end of the number.
Result<Decimal, UnitError> parse_decimal_prefix(std::string_view text, std::size_t& consumed);
/// Parses a whole string as a plain decimal (no unit allowed; surrounding whitespace ignored).
Result<Decimal, UnitError> parse_decimal(std::string_view text);

} // namespace sim::base
