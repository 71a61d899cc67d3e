// Streaming CSV output and a small CSV reader.
//
// Writing follows RFC 4180 quoting with LF line ends ("\n", not CRLF), which every CSV reader
// accepts. A field is quoted when it contains a comma, a double quote, CR or LF, or starts or
// ends with a space or tab (some readers trim unquoted whitespace); a double quote inside a
// quoted field is doubled. Empty fields stay empty and unquoted. Bytes are passed through
// unchanged, so UTF-8 text stays UTF-8.
//
// Numbers are written so that outputs are byte-identical across runs (DESIGN.md,
// "Determinism"): integers in decimal, doubles in the shortest form that reads back to the same
// double, times and durations as exact seconds with nine decimals (base::format_seconds).
//
// Readers select columns by header name (CsvTable::column), so adding a column never breaks
// a reader.
#pragma once

#include "sim/base/size.hpp"
#include "sim/base/time.hpp"

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <iosfwd>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace sim::metrics {

/// Integer types accepted by CsvWriter::field; bool and character types are excluded so that
/// `field('a')` or `field(flag)` does not silently print a number.
template <class T>
concept CsvInteger = std::integral<T> && !std::same_as<std::remove_cv_t<T>, bool> &&
                     !std::same_as<std::remove_cv_t<T>, char> &&
                     !std::same_as<std::remove_cv_t<T>, signed char> &&
                     !std::same_as<std::remove_cv_t<T>, unsigned char> &&
                     !std::same_as<std::remove_cv_t<T>, wchar_t> &&
                     !std::same_as<std::remove_cv_t<T>, char8_t> &&
                     !std::same_as<std::remove_cv_t<T>, char16_t> &&
                     !std::same_as<std::remove_cv_t<T>, char32_t>;

/// Writes one CSV table, row by row, to a stream it does not own (the stream must outlive
/// the writer). The fields of a row are buffered and reach the stream at end_row(), so a row
/// rejected by the width check leaves the output untouched.
///
/// Every row must have as many fields as the header; without a header, the first row fixes
/// the width. Not thread-safe.
class CsvWriter {
public:
  explicit CsvWriter(std::ostream& out);

  /// Writes the header row and fixes the column count. Throws std::logic_error when called
  /// twice, after a data row, or in the middle of a row.
  void header(std::initializer_list<std::string_view> columns);
  void header(const std::vector<std::string>& columns);

  /// Appends one text field (quoted when needed, see the file comment).
  CsvWriter& field(std::string_view text);
  CsvWriter& field(const char* text);
  CsvWriter& field(const std::string& text) { return field(std::string_view{text}); }
  /// Appends an integer in decimal.
  template <CsvInteger T>
  CsvWriter& field(T value) {
    if constexpr (std::is_signed_v<T>)
      return signed_field(static_cast<std::int64_t>(value));
    else
      return unsigned_field(static_cast<std::uint64_t>(value));
  }
  /// Appends the shortest decimal form that reads back to the same double ("0.1", "1e+300",
  /// "-0"); NaN and infinities are written as an empty field, never as "nan" or "inf".
  CsvWriter& field(double value);
  /// Appends exact seconds with nine decimals: 1.5 ms -> "0.001500000", -2 ns -> "-0.000000002".
  CsvWriter& field(base::Duration value);
  /// Appends seconds since the start of the run, exactly, as for Duration.
  CsvWriter& field(base::Time value);
  /// Appends a byte count as a plain integer ("4096").
  CsvWriter& field(base::Bytes value);
  CsvWriter& field(bool) = delete;
  /// Appends an empty field (a missing value, e.g. the completion time of an operation still in
  /// flight).
  CsvWriter& empty();

  /// Ends the current row and writes it to the stream. Throws std::logic_error when the row's
  /// field count differs from the header's (nothing is written; the row is discarded), and
  /// std::runtime_error when the stream reports a write failure.
  void end_row();

  /// Appends every value as a field, then ends the row.
  template <class... Values>
  void row(const Values&... values) {
    (field(values), ...);
    end_row();
  }

  /// Data rows written so far (the header row is not counted).
  std::size_t rows() const { return rows_; }
  /// The column count fixed by the header or the first row; 0 before either.
  std::size_t columns() const { return columns_; }

private:
  CsvWriter& signed_field(std::int64_t value);
  CsvWriter& unsigned_field(std::uint64_t value);
  void separate();
  void write_row();

  std::ostream* out_;
  std::string row_;
  std::size_t fields_in_row_ = 0;
  std::size_t columns_ = 0;
  std::size_t rows_ = 0;
  bool header_written_ = false;
};

/// Writing an output failed (a full disk, a file-size limit, an I/O error): what() names the file
/// when the stream carries its name (stream_name_index) and the system's reason ("No space left
/// on device"). The CLI reports it as an error of the run, exit 2, not as an internal error.
class WriteError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// The std::ios_base::pword slot where a stream may carry a pointer to its file's path (a
/// std::string that outlives the stream's use); RunDirectory's streams do. Allocated once.
int stream_name_index();

/// The shortest decimal form that reads back to the same double, as CsvWriter::field(double)
/// writes it; "" for NaN and infinities.
std::string format_shortest(double value);

/// Appends `text` to `out` as one CSV field, quoted and escaped when needed.
void append_csv_field(std::string& out, std::string_view text);

/// Malformed CSV input; what() reads "line N: ..." with N the 1-based physical line.
class CsvParseError : public std::runtime_error {
public:
  CsvParseError(std::size_t line, const std::string& message);
  std::size_t line() const { return line_; }

private:
  std::size_t line_;
};

/// Splits CSV text into rows of fields. Accepts quoted fields with commas, doubled quotes and
/// embedded line breaks; rows end with LF, CRLF or a lone CR; a final line end is optional; a
/// leading UTF-8 byte-order mark is skipped. An empty line is a row with one empty field.
/// Rows may have different lengths here (CsvTable checks widths). Throws CsvParseError on a
/// quote inside an unquoted field, text after a closing quote, or an unterminated quoted field.
std::vector<std::vector<std::string>> parse_csv(std::string_view text);

/// A CSV file as a header and data rows, for readers that select columns by name.
struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;

  /// Index of the first column with this exact (case-sensitive) name, or nullopt.
  std::optional<std::size_t> column(std::string_view name) const;
  /// Field of data row `row` (0-based) in column `name`. Throws std::out_of_range when the
  /// column does not exist or the row is past the end.
  const std::string& at(std::size_t row, std::string_view name) const;
};

/// Parses CSV text whose first row is the header. Throws CsvParseError when the text is empty
/// (no header) or a data row's width differs from the header's, naming the row's line.
CsvTable parse_csv_table(std::string_view text);

/// A file lunsim wrote that cannot be read back as written; what() reads "FILE:LINE: message"
/// (or "FILE: message" when no line applies).
class CsvFileError : public std::runtime_error {
public:
  CsvFileError(const std::filesystem::path& file, std::size_t line, const std::string& message);
  std::size_t line() const { return line_; }

private:
  std::size_t line_;
};

/// The strict reader of lunsim's own CSV outputs (compare, report, sweep --resume): everything
/// parse_csv_table checks, and the text must end with a line end: every row lunsim writes ends
/// with one, so a file without it was cut inside its last row (a killed writer, a full disk, a
/// careless copy) and is refused rather than read short. Reads at most `max_bytes` (larger files
/// are refused: none of lunsim's summaries comes near the default). Throws CsvFileError naming
/// the file and the line; a file that cannot be opened or read is one too (line 0).
CsvTable read_csv_file(const std::filesystem::path& file, std::uintmax_t max_bytes = std::uintmax_t{1} << 30);

} // namespace sim::metrics
