#include "reports/run_files.hpp"

#include "reports/compare.hpp"

#include <charconv>
#include <cmath>
#include <limits>

namespace sim::reports {

namespace {

std::string where(const std::filesystem::path& file, std::size_t row, const std::string& column) {
  return file.string() + ":" + std::to_string(row + 2) + ": column '" + column + "': ";
}

} // namespace

metrics::CsvTable read_table(const std::filesystem::path& file, const std::vector<std::string>& required) {
  metrics::CsvTable t;
  try {
    t = metrics::read_csv_file(file);
  } catch (const metrics::CsvFileError& e) {
    throw InputError(e.what());
  }
  for (const auto& c : required)
    if (!t.column(c)) throw InputError(file.string() + ":1: missing column '" + c + "'");
  return t;
}

double number(const std::filesystem::path& file, std::size_t row, const std::string& column, const std::string& text) {
  if (text.empty()) return std::nan("");
  // Decimal or scientific notation as lunsim writes it: no spaces, no hexadecimal, no '+'.
  double v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v, std::chars_format::general);
  if (ec == std::errc::result_out_of_range)
    throw InputError(where(file, row, column) + "'" + text + "' is out of the range of a double");
  if (ec != std::errc() || end != text.data() + text.size())
    throw InputError(where(file, row, column) + "'" + text + "' is not a number");
  if (!std::isfinite(v))
    throw InputError(where(file, row, column) + "'" + text + "' is not a finite number (lunsim writes no inf or nan)");
  return v;
}

std::uint64_t count(const std::filesystem::path& file, std::size_t row, const std::string& column, const std::string& text) {
  std::uint64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() ||
      v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
    throw InputError(where(file, row, column) + "'" + text + "' is not a count (a non-negative integer)");
  return v;
}

} // namespace sim::reports
