#include "sim/metrics/csv.hpp"

#include <catch2/catch.hpp>

#include <charconv>
#include <cmath>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

using namespace sim::metrics;
using namespace std::chrono_literals;
using sim::base::Bytes;
using sim::base::Duration;

namespace {

std::string one_field(std::string_view text) {
  std::string out;
  append_csv_field(out, text);
  return out;
}

template <class T>
std::string written(const T& value) {
  std::ostringstream out;
  CsvWriter csv(out);
  csv.row(value);
  std::string text = out.str();
  REQUIRE(text.back() == '\n');
  text.pop_back();
  return text;
}

} // namespace

TEST_CASE("a field is quoted only when it holds a separator, a quote, a line break or edge blanks",
          "[metrics][csv]") {
  CHECK(one_field("plain") == "plain");
  CHECK(one_field("a,b") == "\"a,b\"");
  CHECK(one_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(one_field("two\nlines") == "\"two\nlines\"");
  CHECK(one_field("cr\rhere") == "\"cr\rhere\"");
  CHECK(one_field(" leading") == "\" leading\"");
  CHECK(one_field("trailing\t") == "\"trailing\t\"");
  CHECK(one_field("inner space") == "inner space");
  CHECK(one_field("") == "");
  CHECK(one_field("drive/shelf-1/7") == "drive/shelf-1/7");
  CHECK(one_field("Größe µs ✓") == "Größe µs ✓");
}

TEST_CASE("rows end with LF and carry the header's column count", "[metrics][csv]") {
  std::ostringstream out;
  CsvWriter csv(out);
  csv.header({"name", "size", "note"});
  csv.field("db").field(Bytes{4096}).empty().end_row();
  csv.row("log", 12, "x, y");
  CHECK(csv.rows() == 2);
  CHECK(csv.columns() == 3);
  CHECK(out.str() == "name,size,note\ndb,4096,\nlog,12,\"x, y\"\n");
}

TEST_CASE("a row with the wrong field count is rejected and not written", "[metrics][csv]") {
  std::ostringstream out;
  CsvWriter csv(out);
  csv.header(std::vector<std::string>{"a", "b"});
  csv.field("1");
  REQUIRE_THROWS_AS(csv.end_row(), std::logic_error);
  csv.field("1").field("2").field("3");
  REQUIRE_THROWS_AS(csv.end_row(), std::logic_error);
  csv.row(1, 2);
  CHECK(out.str() == "a,b\n1,2\n");
  CHECK(csv.rows() == 1);

  SECTION("a second header is an error") {
    REQUIRE_THROWS_AS(csv.header({"a", "b"}), std::logic_error);
  }
}

TEST_CASE("without a header, the first row fixes the width", "[metrics][csv]") {
  std::ostringstream out;
  CsvWriter csv(out);
  csv.row("x", "y");
  REQUIRE_THROWS_AS(csv.row("x"), std::logic_error);
  CHECK(out.str() == "x,y\n");
}

TEST_CASE("doubles are written in the shortest form that reads back exactly", "[metrics][csv]") {
  const double values[] = {0.1, 1.0 / 3.0, -2.5, 1e300, 5e-324, 123456789.125, 0.0,
                           std::numeric_limits<double>::max()};
  for (const double v : values) {
    const std::string text = written(v);
    double back = 0;
    const auto result = std::from_chars(text.data(), text.data() + text.size(), back);
    REQUIRE(result.ec == std::errc{});
    REQUIRE(result.ptr == text.data() + text.size());
    CHECK(back == v);
  }
  CHECK(written(0.1) == "0.1");
  CHECK(written(2.0) == "2");
  CHECK(written(0.25) == "0.25");
}

TEST_CASE("NaN and infinities are written as empty fields", "[metrics][csv]") {
  CHECK(written(std::numeric_limits<double>::quiet_NaN()).empty());
  CHECK(written(std::numeric_limits<double>::infinity()).empty());
  CHECK(written(-std::numeric_limits<double>::infinity()).empty());
}

TEST_CASE("integers, byte counts, durations and instants are written exactly", "[metrics][csv]") {
  CHECK(written(std::int64_t{-42}) == "-42");
  CHECK(written(std::numeric_limits<std::uint64_t>::max()) == "18446744073709551615");
  CHECK(written(std::numeric_limits<std::int64_t>::min()) == "-9223372036854775808");
  CHECK(written(Bytes{8ULL << 40}) == "8796093022208");
  CHECK(written(Duration{1'500'000}) == "0.001500000");
  CHECK(written(1500us) == "0.001500000");
  CHECK(written(Duration{-2}) == "-0.000000002");
  CHECK(written(Duration{0}) == "0.000000000");
  CHECK(written(Duration::max()) == "9223372036.854775807");
  CHECK(written(Duration{-1'234'567'890'123}) == "-1234.567890123");
  CHECK(written(sim::base::at(12s)) == "12.000000000");
}

TEST_CASE("parse_csv reads back tricky rows written by CsvWriter", "[metrics][csv]") {
  const std::vector<std::vector<std::string>> rows = {
      {"id", "text", "note"},
      {"1", "a,b", "\"quoted\""},
      {"2", "multi\nline\r\nfield", ""},
      {"3", " padded ", "Größe"},
      {"", "", ""},
      {"5", "end\"", ","},
  };
  std::ostringstream out;
  CsvWriter csv(out);
  for (const auto& row : rows) {
    for (const auto& f : row)
      csv.field(f);
    csv.end_row();
  }
  CHECK(parse_csv(out.str()) == rows);
}

TEST_CASE("parse_csv accepts CRLF and LF, an optional final line end and a BOM",
          "[metrics][csv]") {
  const std::vector<std::vector<std::string>> expected = {{"a", "b"}, {"1", "2"}};
  CHECK(parse_csv("a,b\r\n1,2\r\n") == expected);
  CHECK(parse_csv("a,b\n1,2") == expected);
  CHECK(parse_csv("\xEF\xBB\xBF" "a,b\n1,2\n") == expected);
  CHECK(parse_csv("a,b\r1,2") == expected);
  CHECK(parse_csv("").empty());
  CHECK(parse_csv("x\n\ny\n") == std::vector<std::vector<std::string>>{{"x"}, {""}, {"y"}});
  CHECK(parse_csv("\"a\r\nb\",c\r\n") == std::vector<std::vector<std::string>>{{"a\r\nb", "c"}});
  CHECK(parse_csv(",\n") == std::vector<std::vector<std::string>>{{"", ""}});
}

TEST_CASE("malformed CSV is reported with its line", "[metrics][csv]") {
  const auto line_of = [](std::string_view text) {
    try {
      parse_csv(text);
    } catch (const CsvParseError& e) {
      return e.line();
    }
    return std::size_t{0};
  };
  CHECK(line_of("a,b\nx\"y,z\n") == 2);
  CHECK(line_of("a\n\"ok\"junk\n") == 2);
  CHECK(line_of("a\nb\n\"never\nclosed") == 3);
  REQUIRE_THROWS_WITH(parse_csv("a\n\"x\"y"), "line 2: text after the closing quote of a field");
}

TEST_CASE("a CsvTable selects columns by header name", "[metrics][csv]") {
  const CsvTable table = parse_csv_table("metric,unit,mean\n"
                                         "op.create_lun.latency,s,0.150000000\n"
                                         "drive.utilization,,0.5\n");
  REQUIRE(table.rows.size() == 2);
  CHECK(table.column("metric") == std::optional<std::size_t>{0});
  CHECK(table.column("mean") == std::optional<std::size_t>{2});
  CHECK_FALSE(table.column("Mean").has_value());
  CHECK_FALSE(table.column("p99").has_value());
  CHECK(table.at(0, "mean") == "0.150000000");
  CHECK(table.at(1, "unit").empty());
  CHECK_THROWS_AS(table.at(0, "p99"), std::out_of_range);
  CHECK_THROWS_AS(table.at(2, "mean"), std::out_of_range);
}

TEST_CASE("a CsvTable rejects a ragged row and a missing header", "[metrics][csv]") {
  REQUIRE_THROWS_WITH(parse_csv_table("a,b\n1,2\n3\n"), "line 3: row has 1 fields, the header has 2");
  REQUIRE_THROWS_AS(parse_csv_table(""), CsvParseError);
}
