#include "reports/svg.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

using namespace sim::reports::svg;

namespace {

constexpr double qnan = std::numeric_limits<double>::quiet_NaN();
constexpr double infinity = std::numeric_limits<double>::infinity();
const std::string evil = "<script>alert(1)</script>";
const std::string evil_escaped = "&lt;script&gt;alert(1)&lt;/script&gt;";

std::size_t count(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + needle.size()))
    ++n;
  return n;
}

/// "" when `s` is one well-formed XML element as render() promises: tags nest and close,
/// attribute quotes pair up, every '&' starts one of the five entities escape() writes, no raw
/// '<' or '>' outside tags. Otherwise what is wrong.
std::string xml_problem(const std::string& s) {
  std::vector<std::string> open;
  bool root_closed = false;
  for (std::size_t i = 0; i < s.size();) {
    const char c = s[i];
    if (c == '&') {
      const std::size_t semi = s.find(';', i);
      const std::string entity = semi == std::string::npos ? "" : s.substr(i, semi - i + 1);
      if (entity != "&amp;" && entity != "&lt;" && entity != "&gt;" && entity != "&quot;" &&
          entity != "&#39;")
        return "bad entity at " + std::to_string(i);
      i = semi + 1;
      continue;
    }
    if (c == '>') return "raw > at " + std::to_string(i);
    if (c != '<') {
      if (root_closed && c != '\n') return "text after the root element";
      ++i;
      continue;
    }
    if (root_closed) return "second root element";
    const std::size_t end = s.find('>', i);
    if (end == std::string::npos) return "unterminated tag";
    const std::string tag = s.substr(i + 1, end - i - 1);
    if (tag.find('<') != std::string::npos) return "< inside a tag";
    if (std::count(tag.begin(), tag.end(), '"') % 2 != 0) return "unpaired quote in <" + tag + ">";
    if (tag.front() == '/') {
      if (open.empty() || open.back() != tag.substr(1))
        return "mismatched </" + tag.substr(1) + ">";
      open.pop_back();
      root_closed = open.empty();
    } else {
      const std::string name = tag.substr(0, tag.find_first_of(" /"));
      if (open.empty() && name != "svg") return "root is <" + name + ">";
      if (tag.back() != '/') open.push_back(name);
    }
    i = end + 1;
  }
  if (!open.empty()) return "unclosed <" + open.back() + ">";
  if (!root_closed) return "no root element";
  return "";
}

void check_clean(const std::string& svg) {
  INFO(svg);
  CHECK(xml_problem(svg).empty());
  CHECK(count(svg, "<svg") == count(svg, "</svg>"));
  std::string lower = svg;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  CHECK(lower.find("nan") == std::string::npos);
  CHECK(lower.find("inf") == std::string::npos);
  CHECK(lower.find("<script") == std::string::npos);
}

/// The tiny chart of the golden tests. Plot area: left edge 52 px (y title 16 + 8, the widest
/// tick label "0.5" 3 x 6.5 px, + 8, rounded up), 400 - 52 - 24 = 324 px wide; top 34 (title),
/// 300 - 34 - 80 = 186 px high (80 = tick labels and axis title 40, one legend row 18, one
/// note 16, 6). So x = 162 px per second and y = 186 - 186 * value inside the plot area.
LineChart tiny_chart() {
  LineChart c;
  c.title = "tiny";
  c.x = {.label = "time", .unit = "s", .min = 0.0, .max = 2.0};
  c.y = {.label = "throughput", .unit = "ops/s", .min = 0.0, .max = 1.0};
  c.series.push_back({.name = "base", .points = {{0, 0}, {1, 1}, {2, 0.5}}});
  c.series.push_back({.name = "cand",
                      .points = {{0, 0.25}, {1, 0.5}, {2, 0.75}},
                      .dashed = true,
                      .step = true,
                      .band_lower = {0, 0.25, 0.5},
                      .band_upper = {0.5, 0.75, 1}});
  c.note = "a note";
  return c;
}

/// Two drives over 0..100 s, 400 px wide. Lanes start at x = 33 (12 + "d1" 13 px + 8) and are
/// 343 px wide (3.43 px per second), 20 px apart from y = 34; bars are 14 px high, 3 px below
/// the lane's top.
Timeline tiny_timeline() {
  Timeline t;
  t.title = "drives";
  t.x.min = 0.0;
  t.x.max = 100.0;
  const std::size_t ok = t.category("online", status::ok);
  const std::size_t failed = t.category("failed", status::failed);
  t.rows.push_back({"d1", {{0, 50, ok}, {50, 100, failed, "broke"}}});
  t.rows.push_back({"d2", {{0, 0.001, failed}}});
  return t;
}

} // namespace

TEST_CASE("escape replaces the five XML metacharacters and nothing else", "[reports][svg]") {
  CHECK(escape("&") == "&amp;");
  CHECK(escape("<") == "&lt;");
  CHECK(escape(">") == "&gt;");
  CHECK(escape("\"") == "&quot;");
  CHECK(escape("'") == "&#39;");
  CHECK(escape(evil) == evil_escaped);
  CHECK(escape("a&b<c>d\"e'f") == "a&amp;b&lt;c&gt;d&quot;e&#39;f");
  CHECK(escape("&amp;") == "&amp;amp;"); // no double-unescaping: text stays text
  CHECK(escape("plain text, 42 \u00B5s \u2013 ok") == "plain text, 42 \u00B5s \u2013 ok");
  CHECK(escape("tab\tnl\ncr\r") == "tab\tnl\ncr\r");
  CHECK(escape(std::string("nul\0bel\a", 8)) == "nul\uFFFDbel\uFFFD");
  CHECK(escape("") == "");
}

TEST_CASE("user strings appear only escaped in rendered charts", "[reports][svg]") {
  SECTION("line chart: title, axis labels and units, series name, note") {
    LineChart c;
    c.title = evil;
    c.x = {.label = evil, .unit = evil};
    c.y.label = evil;
    c.series.push_back(
        {.name = evil, .points = {{0, 1}, {1, 2}}, .band_lower = {0, 1}, .band_upper = {2, 3}});
    c.note = evil;
    const std::string svg = c.render(600, 400);
    check_clean(svg);
    CHECK(svg.find("<title>" + evil_escaped + "</title>") != std::string::npos);
    CHECK(svg.find("aria-label=\"" + evil_escaped + "\"") != std::string::npos);
    CHECK(count(svg, evil_escaped) >= 6);
  }
  SECTION("timeline: title, row label, category name and colour, tooltip, note") {
    Timeline t;
    t.title = evil;
    t.note = evil;
    t.categories.push_back({evil, "\"/><script>x</script>"});
    t.rows.push_back({evil, {{0, 1, 0, evil}, {1, 2, 0}}});
    const std::string svg = t.render(600);
    check_clean(svg);
    CHECK(svg.find("fill=\"&quot;/&gt;&lt;script&gt;x&lt;/script&gt;\"") != std::string::npos);
    CHECK(svg.find("<title>" + evil_escaped + "</title></rect>") != std::string::npos);
    // Default tooltip of the second bar: row label and category name, escaped.
    CHECK(svg.find("<title>" + evil_escaped + ": " + evil_escaped + ", 1 s \u2013 2 s</title>") !=
          std::string::npos);
  }
  SECTION("the empty chart escapes its title and note too") {
    LineChart c;
    c.title = evil;
    c.note = evil;
    const std::string svg = c.render(300, 200);
    check_clean(svg);
    CHECK(count(svg, evil_escaped) == 4); // aria-label, <title>, heading, note
  }
}

TEST_CASE("the palette is Okabe-Ito and cycles, statuses have fixed colours", "[reports][svg]") {
  CHECK(std::string(color(0)) == "#0072B2");
  CHECK(std::string(color(1)) == "#E69F00");
  CHECK(std::string(color(2)) == "#009E73");
  CHECK(std::string(color(7)) == "#000000");
  CHECK(std::string(color(8)) == color(0));
  CHECK(std::string(color(13)) == color(5));
  CHECK(std::string(status_color("ok")) == status::ok);
  CHECK(std::string(status_color("Online")) == status::ok);
  CHECK(std::string(status_color("REBUILDING")) == status::degraded);
  CHECK(std::string(status_color("failed")) == status::failed);
  CHECK(std::string(status_color("running")) == status::busy);
  CHECK(std::string(status_color("whatever")) == status::inactive);
}

TEST_CASE("format_number is short, locale-free and never prints nan", "[reports][svg]") {
  CHECK(format_number(0) == "0");
  CHECK(format_number(-0.0) == "0");
  CHECK(format_number(1) == "1");
  CHECK(format_number(0.5) == "0.5");
  CHECK(format_number(0.1 + 0.2) == "0.3");
  CHECK(format_number(3.14159) == "3.142");
  CHECK(format_number(-2.5) == "-2.5");
  CHECK(format_number(999.4) == "999.4");
  CHECK(format_number(1000) == "1k");
  CHECK(format_number(1500) == "1.5k");
  CHECK(format_number(999999) == "1M"); // rounds up into the next suffix
  CHECK(format_number(2.5e9) == "2.5G");
  CHECK(format_number(-20e6) == "-20M");
  CHECK(format_number(0.001) == "0.001");
  CHECK(format_number(0.00015) == "1.5e-4");
  CHECK(format_number(3e20) == "3e20");
  CHECK(format_number(1.23456, 2) == "1.2");
  CHECK(format_number(1234.5678, 6) == "1.23457k");
  CHECK(format_number(qnan) == "n/a");
  CHECK(format_number(-infinity) == "n/a");
  CHECK(format_count(0) == "0");
  CHECK(format_count(999) == "999");
  CHECK(format_count(1000) == "1,000");
  CHECK(format_count(1000000) == "1,000,000");
  CHECK(format_count(12345678) == "12,345,678");
}

TEST_CASE("format_seconds_short picks ns, µs, ms, s, min, h or d", "[reports][svg]") {
  CHECK(format_seconds_short(0) == "0 s");
  CHECK(format_seconds_short(5e-10) == "0.5 ns");
  CHECK(format_seconds_short(1e-9) == "1 ns");
  CHECK(format_seconds_short(250e-9) == "250 ns");
  CHECK(format_seconds_short(1e-6) == "1 \u00B5s");
  CHECK(format_seconds_short(12.5e-6) == "12.5 \u00B5s");
  CHECK(format_seconds_short(1e-3) == "1 ms");
  CHECK(format_seconds_short(0.0015) == "1.5 ms");
  CHECK(format_seconds_short(0.0009999) == "1 ms"); // not "1000 µs"
  CHECK(format_seconds_short(0.25) == "250 ms");
  CHECK(format_seconds_short(1) == "1 s");
  CHECK(format_seconds_short(12.345) == "12.3 s");
  CHECK(format_seconds_short(59.99) == "1 min");
  CHECK(format_seconds_short(90) == "1.5 min");
  CHECK(format_seconds_short(900) == "15 min");
  CHECK(format_seconds_short(3600) == "1 h");
  CHECK(format_seconds_short(5400) == "1.5 h");
  CHECK(format_seconds_short(86400) == "1 d");
  CHECK(format_seconds_short(365 * 86400.0) == "365 d");
  CHECK(format_seconds_short(-0.002) == "-2 ms");
  CHECK(format_seconds_short(qnan) == "n/a");
  CHECK(format_seconds_short(infinity) == "n/a");
}

TEST_CASE("nice_ticks covers the range with 1-2-5 steps and exact decimal values",
          "[reports][svg]") {
  using V = std::vector<double>;
  CHECK(nice_ticks(0, 1, 5) == V{0, 0.2, 0.4, 0.6, 0.8, 1});
  CHECK(nice_ticks(0, 100, 5) == V{0, 20, 40, 60, 80, 100});
  CHECK(nice_ticks(3, 97, 4) == V{0, 20, 40, 60, 80, 100});
  CHECK(nice_ticks(-1, 1, 4) == V{-1, -0.5, 0, 0.5, 1});
  CHECK(nice_ticks(0.013, 0.087, 4) == V{0, 0.02, 0.04, 0.06, 0.08, 0.1});
  CHECK(nice_ticks(0, 7, 5) == V{0, 1, 2, 3, 4, 5, 6, 7}); // 1.4 is nearer 1 than 2
  CHECK(nice_ticks(0, 9e6, 4) == V{0, 2e6, 4e6, 6e6, 8e6, 1e7});
  CHECK(nice_ticks(1e-6, 9e-6, 4) == V{0, 2e-6, 4e-6, 6e-6, 8e-6, 1e-5});
  CHECK(nice_ticks(5, 5, 5) == V{5});
  CHECK(nice_ticks(2, 1, 5).empty());
  CHECK(nice_ticks(0, qnan, 5).empty());
  CHECK(nice_ticks(0, infinity, 5).empty());
  CHECK(nice_ticks(0, 10, 0) == V{0, 10}); // target < 1 counts as 1
}

TEST_CASE("time_ticks uses clock-friendly steps from one second up", "[reports][svg]") {
  using V = std::vector<double>;
  CHECK(time_ticks(0, 100, 4) == V{0, 30, 60, 90, 120});
  CHECK(time_ticks(0, 3600, 4) == V{0, 900, 1800, 2700, 3600});
  CHECK(time_ticks(0, 86400, 4) == V{0, 21600, 43200, 64800, 86400});
  CHECK(time_ticks(0, 30 * 86400.0, 3) == V{0, 864000, 1728000, 2592000});
  CHECK(time_ticks(0, 0.002, 4) == V{0, 0.0005, 0.001, 0.0015, 0.002}); // sub-second: 1-2-5
}

TEST_CASE("log_ticks are powers of ten covering the range", "[reports][svg]") {
  using V = std::vector<double>;
  CHECK(log_ticks(0.001, 1) == V{0.001, 0.01, 0.1, 1});
  CHECK(log_ticks(2e-4, 0.3) == V{1e-4, 1e-3, 1e-2, 0.1, 1});
  CHECK(log_ticks(2, 8) == V{1, 10}); // at least one decade
  CHECK(log_ticks(100, 100) == V{100, 1000});
  CHECK(log_ticks(1e-9, 1e9, 4) == V{1e-9, 1e-3, 1e3, 1e9});       // every 6th decade
  CHECK(log_ticks(1e-9, 1e9, 5) == V{1e-9, 1e-4, 1e1, 1e6, 1e11}); // the last one still >= hi
  CHECK(log_ticks(0, 1).empty());
  CHECK(log_ticks(-1, 1).empty());
  CHECK(log_ticks(1, qnan).empty());
}

TEST_CASE("downsample keeps first, last and each bucket's extremes within the budget",
          "[reports][svg]") {
  SECTION("a no-op at or below the limit") {
    const std::vector<Point> p{{0, 1}, {1, 5}, {2, 3}};
    CHECK(downsample(p, 3) == p);
    CHECK(downsample(p, 100) == p);
    CHECK(downsample(std::vector<Point>{}, 10).empty());
  }
  SECTION("tiny budgets") {
    const std::vector<Point> p{{0, 1}, {1, 5}, {2, 3}, {3, 0}};
    CHECK(downsample(p, 0).empty());
    CHECK(downsample(p, 1) == std::vector<Point>{{0, 1}});
    CHECK(downsample(p, 2) == std::vector<Point>{{0, 1}, {3, 0}});
    CHECK(downsample(p, 3) == std::vector<Point>{{0, 1}, {3, 0}});
  }
  SECTION("a million points: size bound, endpoints, one spike and one dip survive, x ascending") {
    const std::size_t n = 1'000'000;
    std::vector<Point> p(n);
    for (std::size_t i = 0; i < n; ++i)
      p[i] = {static_cast<double>(i), std::sin(static_cast<double>(i) * 1e-3)};
    p[654'321].y = 1000;
    p[123'457].y = -1000;
    for (const std::size_t budget : {4u, 5u, 500u, 1000u, 1001u}) {
      const std::vector<Point> d = downsample(p, budget);
      INFO("budget " << budget);
      CHECK(d.size() <= budget);
      CHECK(d.size() >= budget - 1);
      CHECK(d.front() == p.front());
      CHECK(d.back() == p.back());
      CHECK(std::is_sorted(d.begin(), d.end(),
                           [](const Point& a, const Point& b) { return a.x <= b.x; }));
      CHECK(std::find(d.begin(), d.end(), p[654'321]) != d.end());
      CHECK(std::find(d.begin(), d.end(), p[123'457]) != d.end());
    }
  }
  SECTION("NaN y is never picked as a bucket's extreme") {
    std::vector<Point> p(100);
    for (std::size_t i = 0; i < p.size(); ++i)
      p[i] = {static_cast<double>(i), i % 2 ? qnan : static_cast<double>(i)};
    for (const Point& q : downsample(std::vector<Point>(p.begin(), p.end() - 1), 10))
      CHECK(!std::isnan(q.y));
  }
}

TEST_CASE("cdf_points is the empirical CDF as a bounded step polyline", "[reports][svg]") {
  SECTION("every distinct value when they fit, ties merged") {
    const std::vector<double> s{1, 2, 2, 4};
    CHECK(cdf_points(s, 10) == std::vector<Point>{{1, 0}, {1, 0.25}, {2, 0.75}, {4, 1}});
  }
  SECTION("evenly spaced ranks when they do not") {
    std::vector<double> s;
    for (int i = 1; i <= 1000; ++i)
      s.push_back(i);
    const std::vector<Point> c = cdf_points(s, 5); // 4 ranks: 250, 500, 750, 1000
    CHECK(c == std::vector<Point>{{1, 0}, {250, 0.25}, {500, 0.5}, {750, 0.75}, {1000, 1}});
    const std::vector<Point> big = cdf_points(s, 101);
    CHECK(big.size() == 101);
    CHECK(big.back() == Point{1000, 1});
  }
  SECTION("empty, unsorted, NaN") {
    CHECK(cdf_points(std::vector<double>{}, 10).empty());
    CHECK_THROWS_AS(cdf_points(std::vector<double>{2, 1}, 10), std::invalid_argument);
    CHECK_THROWS_AS(cdf_points(std::vector<double>{1, qnan}, 10), std::invalid_argument);
  }
}

TEST_CASE("LineChart golden fragments", "[reports][svg]") {
  const std::string svg = tiny_chart().render(400, 300);
  INFO(svg);
  check_clean(svg);
  CHECK(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"400\" height=\"300\" "
                  "viewBox=\"0 0 400 300\" role=\"img\" aria-label=\"tiny\"",
                  0) == 0);
  CHECK(svg.find("<title>tiny</title>") != std::string::npos);
  // The plot area, with 3 px of slack on each side, in plot coordinates.
  CHECK(svg.find("<svg x=\"49\" y=\"31\" width=\"330\" height=\"192\" viewBox=\"-3 -3 330 192\" "
                 "overflow=\"hidden\">") != std::string::npos);
  // (0, 0), (1, 1), (2, 0.5) as a polyline.
  CHECK(svg.find("<path d=\"M0 186L162 0L324 93\" fill=\"none\" stroke=\"#0072B2\" "
                 "stroke-width=\"1.5\" stroke-linejoin=\"round\"><title>base</title></path>") !=
        std::string::npos);
  // (0, 0.25), (1, 0.5), (2, 0.75) as a dashed step function in the second colour.
  CHECK(svg.find("<path d=\"M0 139.5H162V93H324V46.5\" fill=\"none\" stroke=\"#E69F00\" "
                 "stroke-width=\"1.5\" stroke-linejoin=\"round\" stroke-dasharray=\"6 3\">"
                 "<title>cand</title></path>") != std::string::npos);
  // Its band: the upper steps forward, the lower steps back.
  CHECK(svg.find("<path d=\"M0 93L162 93L162 46.5L324 46.5L324 0L324 93L324 139.5L162 139.5L162 "
                 "186L0 186Z\" fill=\"#E69F00\" fill-opacity=\"0.2\" stroke=\"none\"/>") !=
        std::string::npos);
  // Ticks every 0.5 s and 0.5 ops/s, labels with units, axis titles.
  CHECK(svg.find("<text x=\"52\" y=\"236\" text-anchor=\"middle\">0 s</text>") !=
        std::string::npos);
  CHECK(svg.find("<text x=\"133\" y=\"236\" text-anchor=\"middle\">500 ms</text>") !=
        std::string::npos);
  CHECK(svg.find("<text x=\"376\" y=\"236\" text-anchor=\"middle\">2 s</text>") !=
        std::string::npos);
  CHECK(svg.find("<text x=\"45\" y=\"131\" text-anchor=\"end\">0.5</text>") != std::string::npos);
  CHECK(svg.find(">time</text>") != std::string::npos);
  CHECK(svg.find("rotate(-90)\" text-anchor=\"middle\">throughput (ops/s)</text>") !=
        std::string::npos);
  // Two series: each has its marker (a circle, a square) on its points, the step series at
  // staggered x (1/3 of each eighth of the plot: 324 / 8 = 40.5 px apart from 13.5 px).
  CHECK(svg.find("<path d=\"M-3.5 186a3.5 3.5 0 1 0 7 0a3.5 3.5 0 1 0 -7 0ZM158.5 0a3.5 3.5 0 1 0 7 0a3.5 3.5 0 1 "
                 "0 -7 0ZM320.5 93a3.5 3.5 0 1 0 7 0a3.5 3.5 0 1 0 -7 0Z\" fill=\"#0072B2\" stroke=\"#ffffff\" "
                 "stroke-width=\"0.75\"><title>base</title></path>") != std::string::npos);
  CHECK(svg.find("<path d=\"M23.85 136.35h6.3v6.3h-6.3ZM64.35 136.35h6.3v6.3h-6.3Z") != std::string::npos);
  // Legend: a swatch with the series' marker and the name per series; the banded one has a
  // translucent box.
  CHECK(svg.find("<path d=\"M12 272H30\" stroke=\"#0072B2\" stroke-width=\"2\"/>\n"
                 "<path d=\"M17.5 272a3.5 3.5 0 1 0 7 0a3.5 3.5 0 1 0 -7 0Z\" fill=\"#0072B2\" "
                 "stroke=\"#ffffff\" stroke-width=\"0.75\"/>\n"
                 "<text x=\"34\" y=\"276\">base</text>") != std::string::npos);
  CHECK(svg.find("<rect x=\"78\" y=\"267\" width=\"18\" height=\"10\" fill=\"#E69F00\" "
                 "fill-opacity=\"0.2\"/>") != std::string::npos);
  CHECK(svg.find("<text x=\"100\" y=\"276\">cand</text>") != std::string::npos);
  CHECK(svg.find("<text x=\"12\" y=\"294\" fill=\"#555555\" font-style=\"italic\">a note</text>") !=
        std::string::npos);
  // Deterministic.
  CHECK(tiny_chart().render(400, 300) == svg);
}

TEST_CASE("LineChart log axes, skipped points and a single point", "[reports][svg]") {
  LineChart c;
  c.x = {.label = "latency", .unit = "s", .log = true};
  c.y = {.label = "fraction", .min = 0.0, .max = 1.0};
  c.series.push_back(
      {.name = "cdf",
       .points =
           {{0, 0}, {-1, 0.1}, {qnan, 0.2}, {1e-4, 0.3}, {2e-3, 0.9}, {0.5, 1}, {1, infinity}},
       .step = true});
  c.series.push_back({.name = "one", .points = {{1e-3, 0.5}}});
  const std::string svg = c.render(600, 300);
  INFO(svg);
  check_clean(svg);
  for (const char* label :
       {">100 \u00B5s</text>", ">1 ms</text>", ">10 ms</text>", ">100 ms</text>", ">1 s</text>"})
    CHECK(svg.find(label) != std::string::npos);
  CHECK(svg.find(">latency</text>") != std::string::npos); // seconds: the unit is on the ticks
  CHECK(svg.find("4 points not shown (not finite, or \u2264 0 on a log axis)") !=
        std::string::npos);
  // With two series the single point is its marker (a square), not a dot.
  CHECK(count(svg, "<circle") == 0);
  CHECK(svg.find("<path d=\"M127.85 99.85h6.3v6.3h-6.3Z\" fill=\"#E69F00\" stroke=\"#ffffff\" "
                 "stroke-width=\"0.75\"><title>one</title></path>") != std::string::npos);
  c.series.pop_back();
  c.series.push_back({.name = "one", .points = {{1e-3, 0.5}}});
  c.markers = Markers::never;
  const std::string dot = c.render(600, 300);
  CHECK(count(dot, "<circle") == 1);
  CHECK(dot.find("<title>one</title></circle>") != std::string::npos);
}

TEST_CASE("LineChart downsamples long series and says so", "[reports][svg]") {
  LineChart c;
  c.x.label = "time";
  c.x.unit = "s";
  c.max_points = 500;
  Series s{.name = "latency"};
  for (int i = 0; i < 100'000; ++i)
    s.points.push_back({i * 0.01, i == 4321 ? 50.0 : 1 + (i % 7) * 0.1});
  c.series.push_back(s);
  c.note = "replication 1";
  const std::string svg = c.render(720, 360);
  INFO(svg.substr(0, 4000));
  check_clean(svg);
  CHECK(svg.find(">replication 1</text>") != std::string::npos);
  CHECK(svg.find(">downsampled: 500 of 100,000 points shown</text>") != std::string::npos);
  const std::size_t path = svg.find("<path d=\"M0 ");
  REQUIRE(path != std::string::npos);
  const std::string d = svg.substr(path, svg.find('"', path + 9) - path);
  CHECK(count(d, "L") == 499);
  CHECK(svg.find(" 0L") != std::string::npos); // the spike reaches the top of the plot
}

TEST_CASE("the legend wraps onto more rows and the plot gets shorter", "[reports][svg]") {
  LineChart c;
  for (int i = 0; i < 10; ++i)
    c.series.push_back({.name = "replication number " + std::to_string(i),
                        .points = {{0, 1.0 * i}, {1, 2.0 * i}}});
  const std::string svg = c.render(400, 400);
  INFO(svg);
  check_clean(svg);
  // 400 px leave room for two items of 24 + 20 x 6.5 + 16 = 170 px per row: five rows, so
  // the plot is 400 - 14 - (40 + 5 x 18 + 6) = 250 px high and the first legend row's text
  // sits at 14 + 250 + 52 + 4 = 320, 18 px per row.
  for (const char* y : {"y=\"320\">replication number 0<", "y=\"320\">replication number 1<",
                        "y=\"338\">replication number 2<", "y=\"392\">replication number 9<"})
    CHECK(svg.find(y) != std::string::npos);
  // Colours cycle after eight series.
  CHECK(count(svg, "stroke=\"#0072B2\"") == 4); // series 0 and 8, line and legend swatch
}

TEST_CASE("charts without data say so and are still valid SVG", "[reports][svg]") {
  SECTION("no series") {
    LineChart c;
    c.title = "empty";
    const std::string svg = c.render(300, 200);
    check_clean(svg);
    CHECK(svg.find("<title>empty</title>") != std::string::npos);
    CHECK(svg.find(">no data</text>") != std::string::npos);
    CHECK(svg.find("<path") == std::string::npos);
  }
  SECTION("only unusable points") {
    LineChart c;
    c.series.push_back({.name = "bad", .points = {{qnan, 1}, {1, infinity}, {-infinity, qnan}}});
    const std::string svg = c.render(300, 200);
    check_clean(svg);
    CHECK(svg.find(">no data</text>") != std::string::npos);
    CHECK(svg.find(">3 points not shown (not finite)</text>") != std::string::npos);
    CHECK(svg.find("aria-label=\"chart\"") != std::string::npos);
  }
  SECTION("a timeline without rows or bars") {
    Timeline t;
    t.title = "nothing";
    CHECK(t.render(400).find(">no data</text>") != std::string::npos);
    t.rows.push_back({"d1", {}});
    const std::string svg = t.render(400);
    check_clean(svg);
    CHECK(svg.find(">no data</text>") != std::string::npos);
  }
  SECTION("tiny sizes are clamped") {
    const std::string svg = tiny_chart().render(10, 10);
    check_clean(svg);
    CHECK(svg.find("width=\"160\" height=\"120\"") != std::string::npos);
  }
}

TEST_CASE("Timeline golden fragments", "[reports][svg]") {
  const std::string svg = tiny_timeline().render(400);
  INFO(svg);
  check_clean(svg);
  CHECK(svg.find("width=\"400\" height=\"138\"") != std::string::npos); // 34 + 2 x 20 + 64
  CHECK(svg.find("<text x=\"27\" y=\"48\" text-anchor=\"end\">d1</text>") != std::string::npos);
  // 0..50 s and 50..100 s of row d1: 171.5 px each.
  CHECK(svg.find("<rect x=\"33\" y=\"37\" width=\"171.5\" height=\"14\" fill=\"#009E73\">"
                 "<title>d1: online, 0 s \u2013 50 s</title></rect>") != std::string::npos);
  CHECK(svg.find("<rect x=\"204.5\" y=\"37\" width=\"171.5\" height=\"14\" fill=\"#D55E00\">"
                 "<title>broke</title></rect>") != std::string::npos);
  // 1 ms of row d2 is 0.00343 px: drawn 1 px wide.
  CHECK(svg.find("<rect x=\"33\" y=\"57\" width=\"1\" height=\"14\" fill=\"#D55E00\">"
                 "<title>d2: failed, 0 s \u2013 1 ms</title></rect>") != std::string::npos);
  // Every other lane is shaded; ticks at 30 s steps inside 0..100 s.
  CHECK(svg.find("<path d=\"M33 54h343v20h-343Z\" fill=\"#f4f4f4\"/>") != std::string::npos);
  for (const char* tick : {">0 s</text>", ">30 s</text>", ">1 min</text>", ">1.5 min</text>"})
    CHECK(svg.find(tick) != std::string::npos);
  CHECK(svg.find(">2 min</text>") == std::string::npos);
  // Category legend.
  CHECK(svg.find("<rect x=\"16\" y=\"121\" width=\"10\" height=\"10\" fill=\"#009E73\"/>\n"
                 "<text x=\"34\" y=\"130\">online</text>") != std::string::npos);
  CHECK(svg.find(">failed</text>") != std::string::npos);
  CHECK(tiny_timeline().render(400) == svg);
}

TEST_CASE("Timeline categories, clipping, long labels and invalid bars", "[reports][svg]") {
  Timeline t;
  CHECK(t.category("ok") == 0);
  CHECK(t.category("failed", status::failed) == 1);
  CHECK(t.category("ok", "#123456") == 0); // found, colour unchanged
  REQUIRE(t.categories.size() == 2);
  CHECK(t.categories[0].color.empty());
  const std::string long_label(40, 'x');
  t.x.max = 10.0;
  t.rows.push_back({long_label, {{-5, 20, 0}, {3, 2, 1}, {qnan, 1, 1}, {1, 2, 7}}});
  const std::string svg = t.render(500);
  INFO(svg);
  check_clean(svg);
  CHECK(svg.find(">" + std::string(31, 'x') + "\u2026<title>" + long_label + "</title></text>") !=
        std::string::npos);
  CHECK(svg.find(">2 bars not shown (not finite, or ending before it starts)</text>") !=
        std::string::npos);
  CHECK(count(svg, "<rect") == 1 + 2 + 2); // background, two bars, two legend boxes
  CHECK(svg.find("fill=\"#999999\"><title>") != std::string::npos); // unknown category: grey
  CHECK(svg.find("fill=\"#0072B2\"><title>" + long_label + ": ok, -5 s \u2013 20 s</title>") !=
        std::string::npos);
}

TEST_CASE("Timeline caps the rows drawn and reports the omitted count", "[reports][svg]") {
  Timeline t;
  const std::size_t up = t.category("up", status::ok);
  for (int i = 0; i < 75; ++i)
    t.rows.push_back({"row" + std::to_string(i), {{0, 10.0 + i, up}}});
  const std::string svg = t.render(720);
  check_clean(svg);
  CHECK(svg.find(">showing 60 of 75 rows (15 omitted)</text>") != std::string::npos);
  CHECK(count(svg, "text-anchor=\"end\">row") == 60);
  CHECK(svg.find(">row59</text>") != std::string::npos);
  CHECK(svg.find(">row60</text>") == std::string::npos);
  t.max_rows = 100;
  const std::string all = t.render(720);
  CHECK(count(all, "text-anchor=\"end\">row") == 75);
  CHECK(all.find("omitted") == std::string::npos);
}

TEST_CASE("the well-formedness check itself rejects broken markup", "[reports][svg]") {
  CHECK(xml_problem("<svg><g></g></svg>\n").empty());
  CHECK(!xml_problem("<svg><g></svg>").empty());
  CHECK(!xml_problem("<svg>a & b</svg>").empty());
  CHECK(!xml_problem("<svg>a > b</svg>").empty());
  CHECK(!xml_problem("<svg a=\"x></svg>").empty());
  CHECK(!xml_problem("<svg></svg><svg></svg>").empty());
  CHECK(!xml_problem("<svg>").empty());
}

// ---- issue 23: fitted axes, gaps, markers, intervals, categories, heat maps -------------------

TEST_CASE("format_estimate prints an estimate with its interval, with the digits the interval needs",
          "[reports][svg]") {
  CHECK(format_estimate(0.03241, 0.03182, 0.03300, "") == "0.0324 [0.0318, 0.0330]");
  CHECK(format_estimate(0.03241, 0.03182, 0.03300, "s") == "32.4 [31.8, 33.0] ms");
  // A narrow interval gets more decimals, a wide one fewer (but 2 significant digits).
  CHECK(format_estimate(0.007941, 0.007897, 0.007984, "ratio") == "0.00794 [0.00790, 0.00798]");
  CHECK(format_estimate(0.55, 0.3153, 0.7694, "ratio") == "0.55 [0.32, 0.77]");
  CHECK(format_estimate(11.96, 9.48, 14.44, "h") == "12 [9, 14]");
  CHECK(format_estimate(250.2, 248.8, 251.6, "ops/s") == "250 [249, 252]");
  CHECK(format_estimate(0.348, -0.379, 1.076, "s") == "348 [-379, 1076] ms");
  CHECK(format_estimate(0, 0, 0, "ratio") == "0 [0, 0]");
  CHECK(format_estimate(-0.00001, -0.0004, 0.0004, "s") == "-10 [-400, 400] \u00B5s");
  // A bound that fixed decimals would print as 0 gets its own notation.
  CHECK(format_estimate(0.002, 1e-6, 0.01, "ratio") == "0.002 [1e-6, 0.01]");
  CHECK(format_estimate(0.024, 1e-6, 0.03, "s") == "24 ms [1 \u00B5s, 30 ms]");
  // Tiny values stay visible in scientific notation (never 0.0000).
  CHECK(format_estimate(1.024e-11, 4.42e-12, 1.61e-11, "ratio") == "1.02e-11 [4.42e-12, 1.61e-11]");
  CHECK(format_estimate(7.1e-12, qnan, qnan, "ratio") == "7.1e-12");
  CHECK(format_estimate(0.3, 0.21, 0.4, "ratio") == "0.30 [0.21, 0.40]");
  CHECK(format_estimate(0.5, 0.5, 0.5, "s") == "500 [500, 500] ms");
  CHECK(format_estimate(3, 3, 3, "count") == "3 [3, 3]");       // no width: the value's own digits
  CHECK(format_estimate(0.125, 0.125, 0.125, "ratio") == "0.125 [0.125, 0.125]");
  CHECK(format_estimate(0.002, qnan, qnan, "s") == "2 ms");
  CHECK(format_estimate(qnan, 1, 2, "s").empty());
  CHECK(format_seconds(0.0324123, 5) == "32.412 ms");
  CHECK(format_seconds(0.0009999, 5) == "999.9 \u00B5s");
}

TEST_CASE("fit_range: zero when the data are within a factor of 3 of it, else min-max padded by 5 %",
          "[reports][svg]") {
  CHECK(fit_range(0.001, 0.02) == std::pair{0.0, 0.02});       // 0.001 <= 0.02 / 3
  CHECK(fit_range(2, 6) == std::pair{0.0, 6.0});               // exactly a factor of 3
  const auto [lo, hi] = fit_range(0.0068, 0.0092);             // utilisation near 0.008
  CHECK(lo == Approx(0.00668));
  CHECK(hi == Approx(0.00932));
  CHECK(fit_range(-5, 3) == std::pair{-5.0, 3.0});             // holds 0 already
  CHECK(fit_range(-6, -2) == std::pair{-6.0, 0.0});            // the mirror image
  const auto [nlo, nhi] = fit_range(-10, -9);
  CHECK(nlo == Approx(-10.05));
  CHECK(nhi == Approx(-8.95));
  CHECK(fit_range(0.008, 0.008) == std::pair{0.0, 0.008});     // constant: from 0
  CHECK(fit_range(100, 101).first == Approx(99.95));           // padding never crosses 0
  CHECK(fit_range(1e-9, 1e-9 * 1.0001).first > 0);
}

TEST_CASE("a y axis from the data follows the baseline rule: a flat utilisation near 0.008 fills the plot",
          "[reports][svg]") {
  LineChart c;
  c.x = {.label = "time", .unit = "s"};
  c.y = {.label = "busy", .zero = Zero::automatic, .lowest = 0.0, .highest = 1.0};
  c.series.push_back({.name = "u", .points = {{0, 0.0075}, {10, 0.0078}, {20, 0.0092}, {30, 0.0068}}});
  const std::string fitted = c.render(400, 300);
  INFO(fitted);
  check_clean(fitted);
  // Ticks every 0.0005 from 0.0065 to 0.0095: no 0 and no 1.
  CHECK(fitted.find(">0.0065</text>") != std::string::npos);
  CHECK(fitted.find(">0.0095</text>") != std::string::npos);
  CHECK(fitted.find("text-anchor=\"end\">0</text>") == std::string::npos);
  // The same data from 0.001: 0 is the baseline.
  c.series[0].points[3].y = 0.001;
  const std::string zero = c.render(400, 300);
  CHECK(zero.find("text-anchor=\"end\">0</text>") != std::string::npos);
  // Zero::include always extends to 0; a hard limit stops the widening at 1 (data 0.3 .. 0.97
  // would widen to 1.2 with 0.2 ticks).
  c.y.zero = Zero::include;
  c.series[0].points = {{0, 0.3}, {10, 0.97}};
  const std::string limited = c.render(400, 300);
  CHECK(limited.find(">1</text>") != std::string::npos);
  CHECK(limited.find(">1.2</text>") == std::string::npos);
}

TEST_CASE("a series with gaps stops at a NaN y and starts again after it, and keeps its gaps when downsampled",
          "[reports][svg]") {
  LineChart c;
  c.x = {.label = "t", .min = 0.0, .max = 4.0};
  c.y = {.label = "v", .min = 0.0, .max = 1.0};
  c.series.push_back({.name = "latency", .points = {{0, 0.5}, {1, 0.5}, {2, qnan}, {3, 1}, {4, 0}}, .gaps = true});
  const std::string svg = c.render(400, 300);
  INFO(svg);
  check_clean(svg);
  // 81 px per unit of x, 222 px per unit of y (no title): two pieces in one path, nothing
  // across the gap at x = 2.
  CHECK(svg.find("<path d=\"M0 111L81 111M243 0L324 222\" fill=\"none\" stroke=\"#0072B2\"") != std::string::npos);
  CHECK(svg.find("not shown") == std::string::npos); // a gap is not a point left out
  // Without gaps the NaN point is skipped, counted, and the line joins its neighbours.
  c.series[0].gaps = false;
  const std::string joined = c.render(400, 300);
  CHECK(joined.find("<path d=\"M0 103L81 103L243 0L324 206\"") != std::string::npos); // one note more: 206 px
  CHECK(joined.find(">1 point not shown (not finite)</text>") != std::string::npos);
  // A lone point between two gaps is a dot.
  c.series[0].gaps = true;
  c.series[0].points = {{0, 0.5}, {1, 0.5}, {2, qnan}, {3, 1}, {4, qnan}};
  CHECK(c.render(400, 300).find("<circle cx=\"243\" cy=\"0\" r=\"1.5\"") != std::string::npos);
  // Downsampling keeps a gap: 10,000 points with one NaN, 300 kept.
  std::vector<Point> many;
  for (int i = 0; i < 10'000; ++i)
    many.push_back({static_cast<double>(i), i == 5'000 ? qnan : 1.0 + i % 3});
  const std::vector<std::size_t> kept = downsample_indices(many, 300, true);
  CHECK(kept.size() <= 300);
  CHECK(std::find(kept.begin(), kept.end(), std::size_t{5'000}) != kept.end());
  const std::vector<std::size_t> plain = downsample_indices(many, 300);
  CHECK(std::find(plain.begin(), plain.end(), std::size_t{5'000}) == plain.end());
}

TEST_CASE("overlapping series stay visible: staggered markers, dash offsets, and a note for identical ones",
          "[reports][svg]") {
  LineChart c;
  c.x = {.label = "t", .unit = "s", .min = 0.0, .max = 20.0};
  c.y = {.label = "paths", .min = 0.0, .max = 4.0};
  const std::vector<Point> same{{0, 2}, {10, 2}, {20, 2}};
  c.series.push_back({.name = "db online", .points = same, .step = true});
  c.series.push_back({.name = "logs online", .points = same, .step = true});
  c.series.push_back({.name = "db standby", .points = {{0, 4}, {20, 4}}, .dashed = true, .step = true});
  c.series.push_back({.name = "logs standby", .points = {{0, 4}, {20, 4}}, .dashed = true, .step = true});
  const std::string svg = c.render(400, 300);
  INFO(svg);
  check_clean(svg);
  CHECK(svg.find(">logs online: identical to db online (drawn over it)</text>") != std::string::npos);
  CHECK(svg.find(">logs standby: identical to db standby (drawn over it)</text>") != std::string::npos);
  // The second dashed line starts its dashes 3 px later.
  CHECK(count(svg, "stroke-dasharray=\"6 3\" stroke-dashoffset=\"3\"") == 1);
  // Markers: a circle and a square per eighth of the 337 px plot, at different x (series 0 at
  // 1/5 of each eighth: 8.43 px, series 1 at 2/5: 16.85 px), on the same line (y = 2 paths).
  const std::size_t circle = svg.find("<path d=\"M4.93 86a3.5 3.5 0 1 0 7 0a3.5 3.5 0 1 0 -7 0ZM47.05 86a");
  const std::size_t square = svg.find("<path d=\"M13.7 82.85h6.3v6.3h-6.3ZM55.82 82.85h");
  CHECK(circle != std::string::npos);
  CHECK(square != std::string::npos);
  CHECK(count(svg, "<title>db online</title></path>") == 2);   // its line and its markers
  CHECK(count(svg, "<title>logs online</title></path>") == 2);
}

TEST_CASE("a categorical x axis, error bars and dodged series (a sweep's metric by a grid axis)",
          "[reports][svg]") {
  LineChart c;
  c.title = "p99 by law";
  c.x = {.label = "drive_models.d.latency",
         .categories = {"{dist: exponential, mean: 5ms}", "{dist: exponential, mean: 6ms}", "<b>"}};
  c.y = {.label = "response", .unit = "s", .min = 0.0, .max = 0.04};
  c.markers = Markers::always;
  c.dodge = 4;
  c.series.push_back({.name = "clients=4", .points = {{0, 0.01}, {1, 0.02}, {2, 0.03}},
                      .band_lower = {0.009, 0.018, 0.02}, .band_upper = {0.011, 0.022, 0.04}, .error_bars = true});
  c.series.push_back({.name = "clients=8", .points = {{0, 0.015}, {1, 0.025}}, .band_lower = {0.014, 0.02},
                      .band_upper = {0.016, 0.03}, .error_bars = true});
  const std::string svg = c.render(400, 300);
  INFO(svg);
  check_clean(svg);
  // 3 categories over the 311 px plot: 103.67 px each, centred at 51.83, 155.5 and 259.17: the
  // names do not fit, and they share no prefix ("<b>" has none), so they are cut at the end and
  // keep their full name as a tooltip.
  CHECK(svg.find("<title>{dist: exponential, mean: 5ms}</title></text>") != std::string::npos);
  CHECK(svg.find(">&lt;b&gt;</text>") != std::string::npos);
  // Error bars: a whisker with caps per point, series 0 moved 2 px left and series 1 2 px right.
  // Series 0 at category 0 (x 51.83 - 2): from 0.009 to 0.011 s (186 px per 0.04 s).
  CHECK(svg.find(">{dist: expone\u2026<title>{dist: exponential, mean: 5ms}</title></text>") != std::string::npos);
  CHECK(svg.find("<path d=\"M49.83 144.15V134.85M45.83 134.85h8M45.83 144.15h8M153.5 102.3V83.7") != std::string::npos);
  CHECK(svg.find("<path d=\"M53.83 120.9V111.6M49.83 111.6h8M49.83 120.9h8") != std::string::npos);
  CHECK(svg.find(">series moved sideways by 4 px each so that their intervals do not hide each other</text>") !=
        std::string::npos);
  // With a shared prefix the distinct tails are shown.
  c.x.categories = {"{dist: exponential, mean: 5ms}", "{dist: exponential, mean: 6ms}", "{dist: exponential, mean: 7ms}"};
  c.series[0].band_lower.clear();
  c.series[0].band_upper.clear();
  c.series[1].band_lower.clear();
  c.series[1].band_upper.clear();
  const std::string tails = c.render(300, 300);
  CHECK(tails.find(">\u20265ms}<title>") != std::string::npos);
  CHECK(tails.find(">\u20267ms}<title>") != std::string::npos);
}

TEST_CASE("a band in x around a CDF: each quantile's range over replications", "[reports][svg]") {
  LineChart c;
  c.x = {.label = "latency", .min = 0.0, .max = 4.0};
  c.y = {.label = "fraction", .min = 0.0, .max = 1.0};
  c.series.push_back({.name = "rep 1", .points = {{1, 0}, {2, 0.5}, {3, 1}}, .step = true,
                      .xband_lower = {0.5, 1.5, 2.5}, .xband_upper = {1.5, 3, 4}});
  const std::string svg = c.render(400, 300);
  INFO(svg);
  check_clean(svg);
  // 81 px per unit, 222 px per unit of y: the left edge steps forward through (0.5, 0),
  // (1.5, 0.5), (2.5, 1), the right edge back through (4, 1), (3, 0.5), (1.5, 0).
  CHECK(svg.find("<path d=\"M40.5 222L121.5 222L121.5 111L202.5 111L202.5 0L324 0L324 111L243 111L243 222L121.5 222Z\" "
                 "fill=\"#0072B2\" fill-opacity=\"0.2\" stroke=\"none\"/>") != std::string::npos);
  // The legend shows the band.
  CHECK(svg.find("width=\"18\" height=\"10\" fill=\"#0072B2\" fill-opacity=\"0.2\"/>") != std::string::npos);
}

TEST_CASE("Timeline: salient states are on top and at least 2 px wide, however short", "[reports][svg]") {
  Timeline t;
  t.x.min = 0.0;
  t.x.max = 5 * 365 * 86400.0; // five years over 343 px: a day is 0.0019 px
  const std::size_t ok = t.category("online", status::ok);
  const std::size_t failed = t.category("failed", status::failed, true);
  const std::size_t rebuilding = t.category("rebuilding", status::busy, true);
  const double day = 86400;
  t.rows.push_back({"d1", {{0, 100 * day, ok}, {100 * day, 101 * day, failed}, {101 * day, 101.5 * day, rebuilding},
                           {101.5 * day, 5 * 365 * day, ok}}});
  const std::string svg = t.render(400);
  INFO(svg);
  check_clean(svg);
  // Lanes from x = 33, 343 px (one lane, 42 px high: the chart's minimum height): day 100 is at
  // 33 + 18.79 px. Failed: 2 px from there; the rebuild (half a day later) starts where the
  // failed bar ends, 2 px wide too; both after the online bars.
  const std::size_t f = svg.find("<rect x=\"51.79\" y=\"20.3\" width=\"2\" height=\"29.4\" fill=\"#D55E00\">");
  const std::size_t r = svg.find("<rect x=\"53.79\" y=\"20.3\" width=\"2\" height=\"29.4\" fill=\"#0072B2\">");
  const std::size_t last_online = svg.rfind("fill=\"#009E73\"><title>d1: online");
  REQUIRE(f != std::string::npos);
  REQUIRE(r != std::string::npos);
  CHECK(last_online < f);
  CHECK(f < r);
  // Not salient: 1 px, drawn in order.
  t.categories[failed].salient = false;
  t.categories[rebuilding].salient = false;
  CHECK(t.render(400).find("<rect x=\"51.79\" y=\"20.3\" width=\"1\" height=\"29.4\" fill=\"#D55E00\">") != std::string::npos);
}

TEST_CASE("HeatMap: a cell per grid point on the viridis scale, tooltips, no-value cells, a legend",
          "[reports][svg]") {
  CHECK(viridis(0) == "#440154");
  CHECK(viridis(1) == "#FDE725");
  CHECK(viridis(0.5) == "#21908D");
  CHECK(viridis(-3) == viridis(0));
  CHECK(viridis(qnan) == status::inactive);
  HeatMap h;
  h.title = "p_loss";
  h.y_label = "repair.replace_after";
  h.x_label = "failures.lifetime";
  h.rows = {"8h", "24h"};
  h.columns = {"{afr: 1%}", "{afr: 2%}", evil};
  h.values = {0.1, 0.2, 0.3, 0.4, qnan, 0.5};
  h.tooltips = {"a", "b", "c", "d", "", "f"};
  const std::string svg = h.render(600);
  INFO(svg);
  check_clean(svg);
  CHECK(count(svg, "stroke=\"#ffffff\"><title>") == 6);
  CHECK(svg.find("fill=\"#440154\" stroke=\"#ffffff\"><title>a</title>") != std::string::npos); // smallest
  CHECK(svg.find("fill=\"#FDE725\" stroke=\"#ffffff\"><title>f</title>") != std::string::npos); // largest
  CHECK(svg.find("fill=\"#eeeeee\" stroke=\"#ffffff\"><title>24h, {afr: 2%}: n/a</title>") != std::string::npos);
  CHECK(svg.find(evil_escaped) != std::string::npos);
  CHECK(svg.find(">colour: linear scale</text>") != std::string::npos);
  CHECK(svg.find(">no value</text>") != std::string::npos);
  CHECK(svg.find(">0.1</text>") != std::string::npos); // smallest, in its cell and in the legend
  CHECK(svg.find(">0.3</text>") != std::string::npos); // middle of the scale
  // Values spanning 100 times or more: a log scale, said in the legend.
  h.values = {1e-5, 1e-4, 1e-3, 1e-2, qnan, 1e-3};
  const std::string log = h.render(600);
  CHECK(log.find(">colour: log scale</text>") != std::string::npos);
  CHECK(log.find(">3.16e-4</text>") != std::string::npos); // the middle of the scale: 10^-3.5
  CHECK(log.find(">1e-5</text>") != std::string::npos);
  // A size mismatch is "no data".
  h.values.pop_back();
  CHECK(h.render(600).find(">no data</text>") != std::string::npos);
}
