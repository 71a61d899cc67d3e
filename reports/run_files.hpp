// Reading the CSV files of a run directory (internal to reports/): by header name, with errors
// that name the file, the line and the column (InputError, compare.hpp).
#pragma once

#include "sim/metrics/csv.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace sim::reports {

/// The CSV file `file` with at least the `required` columns. Throws InputError when it cannot
/// be read, is malformed, or lacks a column.
metrics::CsvTable read_table(const std::filesystem::path& file, const std::vector<std::string>& required);

/// The number in data row `row` (0-based; the file line is row + 2) of `column`; NaN when the
/// field is empty. Throws InputError when it is not a number.
double number(const std::filesystem::path& file, std::size_t row, const std::string& column, const std::string& text);

} // namespace sim::reports
