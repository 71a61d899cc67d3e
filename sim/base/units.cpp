#include "sim/base/units.hpp"

#include <algorithm>
#include <charconv>
#include <limits>
#include <optional>
#include <span>
#include <utility>

namespace sim::base {
namespace {

constexpr std::string_view whitespace = " \t\r\n";
constexpr int max_significant_digits = 30;
constexpr UInt128 nano = 1'000'000'000U;
constexpr std::uint64_t u64_max = std::numeric_limits<std::uint64_t>::max();
constexpr std::uint64_t i64_max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());

bool is_digit(char c) { return c >= '0' && c <= '9'; }

UInt128 gcd(UInt128 a, UInt128 b) {
  while (b != 0) {
    const UInt128 r = a % b;
    a = b;
    b = r;
  }
  return a;
}

/// A unit is the exact rational factor num/den from the written number to the stored integer.
struct Unit {
  std::string_view name;
  UInt128 num;
  UInt128 den = 1;
};

constexpr Unit duration_units[] = {
    {"ns", 1},
    {"us", 1'000},
    {"\xC2\xB5s", 1'000}, // U+00B5 micro sign
    {"\xCE\xBCs", 1'000}, // U+03BC greek small mu
    {"ms", 1'000'000},
    {"s", nano},
    {"m", 60 * nano},
    {"min", 60 * nano},
    {"h", 3'600 * nano},
    {"d", 86'400 * nano},
    {"y", 31'557'600 * nano},
};

constexpr Unit size_units[] = {
    {"B", 1},
    {"KB", 1'000ULL},
    {"kB", 1'000ULL},
    {"MB", 1'000'000ULL},
    {"GB", 1'000'000'000ULL},
    {"TB", 1'000'000'000'000ULL},
    {"PB", 1'000'000'000'000'000ULL},
    {"EB", 1'000'000'000'000'000'000ULL},
    {"KiB", 1ULL << 10},
    {"MiB", 1ULL << 20},
    {"GiB", 1ULL << 30},
    {"TiB", 1ULL << 40},
    {"PiB", 1ULL << 50},
    {"EiB", 1ULL << 60},
};

/// For an operation rate `num` is the period in nanoseconds; the number is kept as written.
constexpr Unit op_rate_units[] = {
    {"/s", nano},
    {"/m", 60 * nano},
    {"/h", 3'600 * nano},
    {"/d", 86'400 * nano},
};

constexpr Unit percent_units[] = {{"%", 1}};

enum class Kind { Duration, Size, ByteRate, OpRate, Percent };
constexpr Kind all_kinds[] = {Kind::Duration, Kind::Size, Kind::ByteRate, Kind::OpRate, Kind::Percent};

struct KindInfo {
  std::string_view noun;     // with its article, as in "unit 'KiB' is a size"
  std::string_view accepted; // the units, as listed in messages
  std::string_view example;
  std::string_view whole_of; // what the stored integer counts
  UInt128 limit;             // largest storable value (for an operation rate, of its mantissa)
};

KindInfo info(Kind kind) {
  switch (kind) {
  case Kind::Duration:
    return {"a duration", "ns, us, ms, s, m, h, d, y", "250us", "nanoseconds", i64_max};
  case Kind::Size:
    return {"a size", "B, KB, MB, GB, TB, PB, EB, KiB, MiB, GiB, TiB, PiB, EiB", "4KiB", "bytes", u64_max};
  case Kind::ByteRate:
    return {"a byte rate",
            "B/s, KB/s, MB/s, GB/s, TB/s, PB/s, EB/s, KiB/s, MiB/s, GiB/s, TiB/s, PiB/s, EiB/s, unlimited",
            "250MB/s", "bytes per second", u64_max - 1};
  case Kind::OpRate:
    return {"an operation rate", "/s, /m, /h, /d", "2000/s", "operations", u64_max};
  case Kind::Percent:
    return {"a percentage", "%", "0.5%", "percent", u64_max};
  }
  return {};
}

std::span<const Unit> table(Kind kind) {
  switch (kind) {
  case Kind::Duration:
    return duration_units;
  case Kind::Size:
  case Kind::ByteRate:
    return size_units;
  case Kind::OpRate:
    return op_rate_units;
  case Kind::Percent:
    return percent_units;
  }
  return {};
}

std::optional<Unit> find_unit(Kind kind, std::string_view name) {
  if (kind == Kind::ByteRate) {
    if (name.size() < 3 || !name.ends_with("/s"))
      return std::nullopt;
    name.remove_suffix(2);
  }
  for (const Unit& u : table(kind)) {
    if (u.name == name)
      return u;
  }
  return std::nullopt;
}

std::optional<Kind> classify(std::string_view name) {
  for (Kind k : all_kinds) {
    if (find_unit(k, name))
      return k;
  }
  return std::nullopt;
}

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size())
    return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i]))
      return false;
  }
  return true;
}

std::string_view spelled_out(Kind kind, std::string_view name) {
  struct Alias {
    std::string_view written;
    std::string_view unit;
  };
  static constexpr Alias duration_aliases[] = {
      {"nsec", "ns"},  {"usec", "us"},   {"msec", "ms"}, {"sec", "s"},    {"secs", "s"},
      {"second", "s"}, {"seconds", "s"}, {"mins", "m"},  {"minute", "m"}, {"minutes", "m"},
      {"hr", "h"},     {"hrs", "h"},     {"hour", "h"},  {"hours", "h"},  {"day", "d"},
      {"days", "d"},   {"yr", "y"},      {"yrs", "y"},   {"year", "y"},   {"years", "y"},
  };
  static constexpr Alias op_rate_aliases[] = {
      {"/sec", "/s"}, {"/min", "/m"}, {"/hr", "/h"}, {"/hour", "/h"}, {"/day", "/d"},
  };
  std::span<const Alias> aliases;
  if (kind == Kind::Duration)
    aliases = duration_aliases;
  if (kind == Kind::OpRate)
    aliases = op_rate_aliases;
  for (const Alias& a : aliases) {
    if (equal_ignoring_case(a.written, name))
      return a.unit;
  }
  return {};
}

std::string suggestion(Kind kind, std::string_view name) {
  if (std::string_view alias = spelled_out(kind, name); !alias.empty())
    return std::string(alias);
  const std::string suffix = kind == Kind::ByteRate ? "/s" : "";
  for (const Unit& u : table(kind)) {
    const std::string candidate = std::string(u.name) + suffix;
    if (equal_ignoring_case(candidate, name))
      return candidate;
    if (kind == Kind::Size && equal_ignoring_case(candidate, std::string(name) + "B"))
      return candidate;
  }
  if (kind == Kind::ByteRate && equal_ignoring_case(name, "unlimited"))
    return "unlimited";
  return {};
}

std::string quoted(std::string_view s) {
  std::string out(1, '\'');
  out += s;
  out += '\'';
  return out;
}

UnitError error_at(std::size_t offset, std::string message) { return UnitError{offset, std::move(message)}; }

enum class Conversion { Ok, NotWhole, TooLarge };

/// value * num / den exactly, where value = mantissa / 10^scale.
Conversion convert(const Decimal& value, Unit unit, UInt128 limit, UInt128& out) {
  UInt128 m = value.mantissa;
  UInt128 num = unit.num;
  UInt128 den = unit.den;
  if (m == 0 || num == 0) {
    out = 0;
    return Conversion::Ok;
  }
  int twos = value.scale;
  int fives = value.scale;
  while (twos > 0 && m % 2U == 0) {
    m /= 2U;
    --twos;
  }
  while (fives > 0 && m % 5U == 0) {
    m /= 5U;
    --fives;
  }
  while (twos > 0 && num % 2U == 0) {
    num /= 2U;
    --twos;
  }
  while (fives > 0 && num % 5U == 0) {
    num /= 5U;
    --fives;
  }
  UInt128 g = gcd(num, den);
  num /= g;
  den /= g;
  g = gcd(m, den);
  m /= g;
  den /= g;
  if (twos > 0 || fives > 0 || den != 1)
    return Conversion::NotWhole;
  if (m > limit / num)
    return Conversion::TooLarge;
  out = m * num;
  return Conversion::Ok;
}

struct Split {
  std::string_view text; // trimmed input
  std::size_t lead = 0;  // offset of `text` in the input
  Decimal number;
  Unit unit;
};

std::optional<std::pair<std::size_t, std::size_t>> trim(std::string_view text) {
  const std::size_t first = text.find_first_not_of(whitespace);
  if (first == std::string_view::npos)
    return std::nullopt;
  return std::pair{first, text.find_last_not_of(whitespace) + 1 - first};
}

bool starts_like_number(char c) { return is_digit(c) || c == '.' || c == '-' || c == '+'; }

Result<Split, UnitError> split(std::string_view input, Kind kind) {
  const KindInfo k = info(kind);
  const auto bounds = trim(input);
  if (!bounds)
    return error_at(0, "empty value (expected " + std::string(k.noun) + " such as " + std::string(k.example) +
                           ")");
  const auto [lead, length] = *bounds;
  const std::string_view text = input.substr(lead, length);
  if (!starts_like_number(text.front())) {
    return error_at(lead, "expected " + std::string(k.noun) + " such as " + std::string(k.example) +
                              ", got " + quoted(text));
  }
  std::size_t consumed = 0;
  auto number = parse_decimal_prefix(text, consumed);
  if (!number)
    return error_at(lead + number.error().offset, number.error().message);

  const std::size_t unit_begin = text.find_first_not_of(whitespace, consumed);
  if (unit_begin == std::string_view::npos) {
    return error_at(lead + consumed, "missing unit (accepted: " + std::string(k.accepted) + ")");
  }
  const std::size_t unit_end = std::min(text.find_first_of(whitespace, unit_begin), text.size());
  const std::string_view name = text.substr(unit_begin, unit_end - unit_begin);
  if (unit_end != text.size()) {
    const std::size_t extra = text.find_first_not_of(whitespace, unit_end);
    return error_at(lead + extra, "unexpected " + quoted(text.substr(extra)) + " after unit " + quoted(name));
  }
  if (auto unit = find_unit(kind, name))
    return Split{text, lead, *number, *unit};

  if (auto other = classify(name)) {
    return error_at(lead + unit_begin, "unit " + quoted(name) + " is " + std::string(info(*other).noun) +
                                           ", expected " + std::string(k.noun) +
                                           " (accepted: " + std::string(k.accepted) + ")");
  }
  std::string message = "unknown unit " + quoted(name) + " (accepted: " + std::string(k.accepted);
  if (std::string hint = suggestion(kind, name); !hint.empty())
    message += "; did you mean " + quoted(hint) + "?";
  return error_at(lead + unit_begin, message + ")");
}

Result<UInt128, UnitError> parse_integral(std::string_view input, Kind kind) {
  auto parts = split(input, kind);
  if (!parts)
    return parts.error();
  const KindInfo k = info(kind);
  UInt128 out = 0;
  switch (convert(parts->number, parts->unit, k.limit, out)) {
  case Conversion::Ok:
    return out;
  case Conversion::NotWhole:
    return error_at(parts->lead,
                    quoted(parts->text) + " is not a whole number of " + std::string(k.whole_of));
  case Conversion::TooLarge:
    break;
  }
  return error_at(parts->lead, "value too large");
}

} // namespace

double Decimal::to_double() const {
  if (mantissa == 0)
    return 0.0;
  const std::string text = to_decimal_string(mantissa) + "e-" + std::to_string(scale);
  double value = 0.0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  static_cast<void>(ptr);
  if (ec == std::errc::result_out_of_range)
    return 0.0;
  return value;
}

Result<Decimal, UnitError> parse_decimal_prefix(std::string_view text, std::size_t& consumed) {
  consumed = 0;
  if (text.empty())
    return error_at(0, "expected a number");
  const char first = text.front();
  if (first == '-')
    return error_at(0, "negative values are not allowed");
  if (first == '+')
    return error_at(0, "unexpected '+' (numbers take no sign)");
  if (first == '.')
    return error_at(0, "missing digit before '.'");
  if (!is_digit(first))
    return error_at(0, "expected a number");

  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n && is_digit(text[i]))
    ++i;
  const std::size_t int_end = i;
  std::size_t frac_begin = i;
  std::size_t frac_end = i;
  if (i < n && text[i] == '.') {
    ++i;
    if (i == n || !is_digit(text[i]))
      return error_at(i, "missing digit after '.'");
    frac_begin = i;
    while (i < n && is_digit(text[i]))
      ++i;
    frac_end = i;
  }
  if (i < n && text[i] == '.')
    return error_at(i, "unexpected second '.'");
  if (i < n && text[i] == ',' && i + 1 < n && is_digit(text[i + 1])) {
    return error_at(i, "unexpected ',' (the decimal point is '.', and digits take no separators)");
  }
  if (i + 1 < n && (text[i] == 'e' || text[i] == 'E') &&
      (is_digit(text[i + 1]) || text[i + 1] == '+' || text[i + 1] == '-')) {
    return error_at(i, "exponents are not allowed");
  }

  while (frac_end > frac_begin && text[frac_end - 1] == '0')
    --frac_end;
  std::size_t sig_begin = 0;
  while (sig_begin < int_end && text[sig_begin] == '0')
    ++sig_begin;
  const std::size_t int_digits = int_end - sig_begin;
  if (int_digits > max_significant_digits)
    return error_at(0, "value too large");
  if (int_digits == 0) {
    sig_begin = frac_begin;
    while (sig_begin < frac_end && text[sig_begin] == '0')
      ++sig_begin;
  }
  const std::size_t frac_digits = frac_end - std::max(frac_begin, sig_begin);
  if (int_digits + frac_digits > max_significant_digits) {
    const std::size_t too_many = int_digits > 0 ? frac_begin + (max_significant_digits - int_digits)
                                                : sig_begin + max_significant_digits;
    return error_at(too_many, "too many significant digits (at most 30)");
  }

  Decimal value;
  for (std::size_t j = sig_begin; j < int_end; ++j)
    value.mantissa = value.mantissa * 10U + static_cast<unsigned>(text[j] - '0');
  for (std::size_t j = frac_begin; j < frac_end; ++j)
    value.mantissa = value.mantissa * 10U + static_cast<unsigned>(text[j] - '0');
  value.scale = static_cast<int>(frac_end - frac_begin);
  consumed = i;
  return value;
}

Result<Decimal, UnitError> parse_decimal(std::string_view input) {
  const auto bounds = trim(input);
  if (!bounds)
    return error_at(0, "empty value (expected a number)");
  const auto [lead, length] = *bounds;
  const std::string_view text = input.substr(lead, length);
  if (!starts_like_number(text.front()))
    return error_at(lead, "expected a number, got " + quoted(text));
  std::size_t consumed = 0;
  auto value = parse_decimal_prefix(text, consumed);
  if (!value)
    return error_at(lead + value.error().offset, value.error().message);
  if (consumed != text.size()) {
    const std::size_t extra = text.find_first_not_of(whitespace, consumed);
    return error_at(lead + extra, "unexpected " + quoted(text.substr(extra)) +
                                      " after the number (expected a plain number)");
  }
  return value;
}

Result<Duration, UnitError> parse_duration(std::string_view text) {
  auto ns = parse_integral(text, Kind::Duration);
  if (!ns)
    return ns.error();
  return Duration{static_cast<std::int64_t>(*ns)};
}

Result<Bytes, UnitError> parse_bytes(std::string_view text) {
  auto bytes = parse_integral(text, Kind::Size);
  if (!bytes)
    return bytes.error();
  return Bytes{static_cast<std::uint64_t>(*bytes)};
}

Result<Rate, UnitError> parse_rate(std::string_view text) {
  if (const auto bounds = trim(text); bounds && text.substr(bounds->first, bounds->second) == "unlimited") {
    return Rate::unlimited();
  }
  auto rate = parse_integral(text, Kind::ByteRate);
  if (!rate)
    return rate.error();
  if (*rate == 0) {
    return error_at(trim(text)->first, "rate must be greater than zero (write 'unlimited' for no limit)");
  }
  return Rate{static_cast<std::uint64_t>(*rate)};
}

Result<OpRate, UnitError> parse_op_rate(std::string_view text) {
  auto parts = split(text, Kind::OpRate);
  if (!parts)
    return parts.error();
  const Decimal& count = parts->number;
  if (count.mantissa > info(Kind::OpRate).limit) {
    if (count.scale == 0)
      return error_at(parts->lead, "value too large");
    return error_at(parts->lead, "too many significant digits for an operation rate (at most 19)");
  }
  if (count.mantissa == 0)
    return error_at(parts->lead, "rate must be greater than zero");
  return OpRate{static_cast<std::uint64_t>(count.mantissa), count.scale,
                Duration{static_cast<std::int64_t>(parts->unit.num)}};
}

Result<double, UnitError> parse_percent(std::string_view text) {
  auto parts = split(text, Kind::Percent);
  if (!parts)
    return parts.error();
  const Decimal& d = parts->number;
  bool in_range = true;
  if (d.scale < max_significant_digits) {
    UInt128 hundred = 100;
    for (int i = 0; i < d.scale; ++i)
      hundred *= 10U;
    in_range = d.mantissa <= hundred;
  }
  if (!in_range)
    return error_at(parts->lead, "percentage must be between 0% and 100%");
  return Decimal{d.mantissa, d.scale + 2}.to_double();
}

} // namespace sim::base
