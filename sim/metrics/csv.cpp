#include "sim/metrics/csv.hpp"

#include "sim/metrics/run_directory.hpp"

#include <array>
#include <cerrno>
#include <cstring>
#include <charconv>
#include <cmath>
#include <fstream>
#include <ostream>
#include <sstream>
#include <system_error>

namespace sim::metrics {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t'; }

bool needs_quotes(std::string_view text) {
  if (text.empty())
    return false;
  if (is_blank(text.front()) || is_blank(text.back()))
    return true;
  return text.find_first_of(",\"\r\n") != std::string_view::npos;
}

template <class T>
void append_number(std::string& out, T value) {
  std::array<char, 64> buffer{};
  const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  out.append(buffer.data(), result.ptr);
}

} // namespace

std::string format_shortest(double value) {
  std::string out;
  if (std::isfinite(value)) append_number(out, value);
  return out;
}

void append_csv_field(std::string& out, std::string_view text) {
  if (!needs_quotes(text)) {
    out.append(text);
    return;
  }
  out += '"';
  for (const char c : text) {
    if (c == '"')
      out += '"';
    out += c;
  }
  out += '"';
}

CsvWriter::CsvWriter(std::ostream& out) : out_(&out) {}

void CsvWriter::header(std::initializer_list<std::string_view> columns) {
  header(std::vector<std::string>(columns.begin(), columns.end()));
}

void CsvWriter::header(const std::vector<std::string>& columns) {
  if (header_written_)
    throw std::logic_error("csv: header written twice");
  if (rows_ != 0 || fields_in_row_ != 0)
    throw std::logic_error("csv: header after data");
  for (const auto& name : columns)
    field(std::string_view{name});
  if (columns.empty())
    throw std::logic_error("csv: header without columns");
  columns_ = columns.size();
  header_written_ = true;
  write_row();
}

void CsvWriter::separate() {
  if (fields_in_row_ != 0)
    row_ += ',';
  ++fields_in_row_;
}

CsvWriter& CsvWriter::field(std::string_view text) {
  separate();
  append_csv_field(row_, text);
  return *this;
}

CsvWriter& CsvWriter::field(const char* text) {
  return field(text == nullptr ? std::string_view{} : std::string_view{text});
}

CsvWriter& CsvWriter::signed_field(std::int64_t value) {
  separate();
  append_number(row_, value);
  return *this;
}

CsvWriter& CsvWriter::unsigned_field(std::uint64_t value) {
  separate();
  append_number(row_, value);
  return *this;
}

CsvWriter& CsvWriter::field(double value) {
  separate();
  if (std::isfinite(value))
    append_number(row_, value);
  return *this;
}

CsvWriter& CsvWriter::field(base::Duration value) {
  separate();
  row_ += base::format_seconds(value);
  return *this;
}

CsvWriter& CsvWriter::field(base::Time value) {
  separate();
  row_ += base::format_seconds(value);
  return *this;
}

CsvWriter& CsvWriter::field(base::Bytes value) { return unsigned_field(value.value); }

CsvWriter& CsvWriter::empty() {
  separate();
  return *this;
}

void CsvWriter::end_row() {
  if (columns_ == 0)
    columns_ = fields_in_row_;
  if (fields_in_row_ != columns_) {
    const std::string message = "csv: row " + std::to_string(rows_ + 1) + " has " +
                                std::to_string(fields_in_row_) + " fields, expected " +
                                std::to_string(columns_);
    row_.clear();
    fields_in_row_ = 0;
    throw std::logic_error(message);
  }
  write_row();
  ++rows_;
}

int stream_name_index() {
  static const int index = std::ios_base::xalloc();
  return index;
}

void CsvWriter::write_row() {
  row_ += '\n';
  errno = 0;  // the failing write(2), if any, happens inside this call
  out_->write(row_.data(), static_cast<std::streamsize>(row_.size()));
  row_.clear();
  fields_in_row_ = 0;
  if (!*out_) {
    const int e = errno;
    const auto* name = static_cast<const std::string*>(out_->pword(stream_name_index()));
    throw WriteError((name ? *name + ": " : std::string("csv: ")) + "write failed: " +
                     (e != 0 ? std::strerror(e) : "the stream reported an error"));
  }
}

CsvParseError::CsvParseError(std::size_t line, const std::string& message)
    : std::runtime_error("line " + std::to_string(line) + ": " + message), line_(line) {}

namespace {

struct ParsedRow {
  std::size_t line;
  std::vector<std::string> fields;
};

std::vector<ParsedRow> parse_rows(std::string_view text) {
  constexpr std::string_view bom = "\xEF\xBB\xBF";
  if (text.substr(0, bom.size()) == bom)
    text.remove_prefix(bom.size());

  std::vector<ParsedRow> rows;
  std::size_t line = 1;
  std::size_t i = 0;
  const std::size_t n = text.size();
  // Consumes a line end at i (LF, CRLF or lone CR); returns false when there is none.
  auto line_end = [&]() {
    if (i < n && text[i] == '\n') {
      ++i;
    } else if (i < n && text[i] == '\r') {
      ++i;
      if (i < n && text[i] == '\n')
        ++i;
    } else {
      return false;
    }
    ++line;
    return true;
  };

  while (i < n) {
    ParsedRow row{line, {}};
    for (;;) {
      std::string field;
      if (i < n && text[i] == '"') {
        const std::size_t opened_on = line;
        ++i;
        for (;;) {
          if (i >= n)
            throw CsvParseError(opened_on, "unterminated quoted field");
          const char c = text[i];
          if (c == '"') {
            if (i + 1 < n && text[i + 1] == '"') {
              field += '"';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          if (c == '\n' || (c == '\r' && !(i + 1 < n && text[i + 1] == '\n')))
            ++line;
          field += c;
          ++i;
        }
        if (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r')
          throw CsvParseError(line, "text after the closing quote of a field");
      } else {
        const std::size_t start = i;
        while (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
          if (text[i] == '"')
            throw CsvParseError(line, "quote inside an unquoted field");
          ++i;
        }
        field.assign(text.substr(start, i - start));
      }
      row.fields.push_back(std::move(field));
      if (i < n && text[i] == ',') {
        ++i;
        continue;
      }
      line_end();
      break;
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

} // namespace

std::vector<std::vector<std::string>> parse_csv(std::string_view text) {
  std::vector<std::vector<std::string>> out;
  for (auto& row : parse_rows(text))
    out.push_back(std::move(row.fields));
  return out;
}

std::optional<std::size_t> CsvTable::column(std::string_view name) const {
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (header[i] == name)
      return i;
  }
  return std::nullopt;
}

const std::string& CsvTable::at(std::size_t row, std::string_view name) const {
  const auto index = column(name);
  if (!index)
    throw std::out_of_range("csv: no column '" + std::string(name) + "'");
  if (row >= rows.size())
    throw std::out_of_range("csv: row " + std::to_string(row) + " past the end (" +
                            std::to_string(rows.size()) + " rows)");
  return rows[row].at(*index);
}

CsvTable parse_csv_table(std::string_view text) {
  auto parsed = parse_rows(text);
  if (parsed.empty())
    throw CsvParseError(1, "no header row");
  CsvTable table;
  table.header = std::move(parsed.front().fields);
  for (std::size_t r = 1; r < parsed.size(); ++r) {
    if (parsed[r].fields.size() != table.header.size())
      throw CsvParseError(parsed[r].line, "row has " + std::to_string(parsed[r].fields.size()) +
                                              " fields, the header has " +
                                              std::to_string(table.header.size()));
    table.rows.push_back(std::move(parsed[r].fields));
  }
  return table;
}

CsvFileError::CsvFileError(const std::filesystem::path& file, std::size_t line, const std::string& message)
    : std::runtime_error(file.string() + (line > 0 ? ":" + std::to_string(line) : std::string()) + ": " + message),
      line_(line) {}

CsvTable read_csv_file(const std::filesystem::path& file, std::uintmax_t max_bytes) {
  auto read = read_regular_file(file, max_bytes);
  if (!read) throw CsvFileError(file, 0, "cannot read: " + read.error().reason);
  const std::string& text = *read;
  CsvTable table;
  try {
    table = parse_csv_table(text);
  } catch (const CsvParseError& e) {
    const std::string what = e.what();
    const std::size_t colon = what.find(": ");
    throw CsvFileError(file, e.line(), colon == std::string::npos ? what : what.substr(colon + 2));
  }
  if (text.back() != '\n' && text.back() != '\r') {
    std::size_t line = 1;
    for (const char c : text) line += c == '\n' ? 1 : 0;
    throw CsvFileError(file, line, "the last row has no line end: the file was cut short (truncated), refusing to read it");
  }
  return table;
}

} // namespace sim::metrics
