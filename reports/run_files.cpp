#include "reports/run_files.hpp"

#include "reports/compare.hpp"

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace sim::reports {

metrics::CsvTable read_table(const std::filesystem::path& file, const std::vector<std::string>& required) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError(file.string() + ": cannot read (is it a lunsim run directory?)");
  std::stringstream ss;
  ss << in.rdbuf();
  metrics::CsvTable t;
  try {
    t = metrics::parse_csv_table(ss.str());
  } catch (const std::exception& e) {
    throw InputError(file.string() + ": malformed CSV: " + e.what());
  }
  for (const auto& c : required)
    if (!t.column(c)) throw InputError(file.string() + ": missing column '" + c + "'");
  return t;
}

double number(const std::filesystem::path& file, std::size_t row, const std::string& column, const std::string& text) {
  if (text.empty()) return std::nan("");
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || *end != '\0')
    throw InputError(file.string() + ":" + std::to_string(row + 2) + ": column '" + column + "': '" + text +
                     "' is not a number");
  return v;
}

} // namespace sim::reports
