// Fuzz target "csv": CSV text, as the run-directory readers (compare, report, sweep --resume)
// and the empirical samples of a scenario (`latency: {dist: empirical, file: ...}`) read it.
//
// Feeds metrics::parse_csv and metrics::parse_csv_table (CsvParseError is their documented
// answer to malformed text; CsvTable::at's std::out_of_range is not expected here). The files
// themselves go through metrics::read_csv_file in fuzz_rundir.
//
// Findings, beyond those of fuzz_target.hpp:
//   - a CsvParseError whose line is not a line of the text (1 .. line ends + 1);
//   - parse_csv and append_csv_field disagreeing: the rows parse_csv returns, written back with
//     append_csv_field (',' between fields, '\n' after each row), must parse to the same rows
//     (except when the first field starts with a UTF-8 byte-order mark, which the reader skips
//     at the start of a text and the writer does not quote: lunsim's files start with a header
//     name);
//   - parse_csv_table disagreeing with parse_csv (header, rows, widths) or CsvTable::column and
//     at() missing a header name.
#include "fuzz/fuzz_target.hpp"

#include "sim/metrics/csv.hpp"

#include <string>

namespace {

namespace metrics = sim::metrics;
using Rows = std::vector<std::vector<std::string>>;

void check_line(const metrics::CsvParseError& e, std::string_view text) {
  std::size_t ends = 0;
  for (std::size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n'))) ++ends;
  if (e.line() < 1 || e.line() > ends + 1)
    sim::fuzz::finding("CsvParseError names line " + std::to_string(e.line()) + " of a text of " + std::to_string(ends + 1) +
                       " line(s): " + e.what());
}

std::string write_rows(const Rows& rows) {
  std::string out;
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (i > 0) out += ',';
      metrics::append_csv_field(out, row[i]);
    }
    out += '\n';
  }
  return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = sim::fuzz::as_text(data, size);
  Rows rows;
  try {
    rows = metrics::parse_csv(text);
  } catch (const metrics::CsvParseError& e) {
    check_line(e, text);
    try {
      (void)metrics::parse_csv_table(text);
    } catch (const metrics::CsvParseError&) {
      return 0;
    }
    sim::fuzz::finding(std::string("parse_csv refuses the text, parse_csv_table reads it: ") + e.what());
  }

  const bool leading_bom = !rows.empty() && !rows[0].empty() && rows[0][0].starts_with("\xEF\xBB\xBF");
  if (!leading_bom) {
    const std::string written = write_rows(rows);
    Rows again;
    try {
      again = metrics::parse_csv(written);
    } catch (const metrics::CsvParseError& e) {
      sim::fuzz::finding(std::string("parse_csv refuses what append_csv_field wrote: ") + e.what() + "\n" + written);
    }
    if (again != rows) sim::fuzz::finding("written back and parsed again, the rows differ:\n" + written);
  }

  metrics::CsvTable table;
  try {
    table = metrics::parse_csv_table(text);
  } catch (const metrics::CsvParseError& e) {
    check_line(e, text);
    bool ragged = false;
    for (const auto& row : rows) ragged = ragged || row.size() != rows.front().size();
    if (!rows.empty() && !ragged) sim::fuzz::finding(std::string("parse_csv_table refuses rows of one width: ") + e.what());
    return 0;
  }
  if (rows.empty() || table.header != rows.front() || table.rows.size() + 1 != rows.size())
    sim::fuzz::finding("parse_csv_table and parse_csv read different rows");
  for (std::size_t c = 0; c < table.header.size(); ++c) {
    const auto index = table.column(table.header[c]);
    if (!index || *index > c || table.header[*index] != table.header[c])
      sim::fuzz::finding("CsvTable::column misses header '" + table.header[c] + "'");
    for (std::size_t r = 0; r < table.rows.size(); ++r)
      if (table.at(r, table.header[c]) != table.rows[r][*index]) sim::fuzz::finding("CsvTable::at disagrees with rows");
  }
  return 0;
}
