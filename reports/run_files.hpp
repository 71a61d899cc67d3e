// Reading the CSV files of a run or sweep directory (internal to reports/): by header name, with
// errors that name the file, the line and the column (InputError, compare.hpp). Every file goes
// through metrics::read_csv_file, the strict reader: a file cut inside its last row is refused.
#pragma once

#include "sim/metrics/csv.hpp"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace sim::reports {

/// The CSV file `file` with at least the `required` columns. Throws InputError when it cannot
/// be read, is malformed or truncated, or lacks a column.
metrics::CsvTable read_table(const std::filesystem::path& file, const std::vector<std::string>& required);

/// The number in data row `row` (0-based; the file line is row + 2) of `column`; NaN when the
/// field is empty. Throws InputError when it is not a finite number ("inf" and "nan" are
/// refused: lunsim writes a missing value as an empty field).
double number(const std::filesystem::path& file, std::size_t row, const std::string& column, const std::string& text);

/// A count in data row `row` of `column`: a non-negative decimal integer. Throws InputError
/// otherwise (empty, negative, fractional, or above 2^63).
std::uint64_t count(const std::filesystem::path& file, std::size_t row, const std::string& column, const std::string& text);

} // namespace sim::reports
