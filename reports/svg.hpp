// Charts as inline SVG for `lunsim report`: line charts (time series, CDFs with confidence
// bands) and status timelines (Gantt), plus the pieces they are built from (escaping, number
// formatting, tick placement, downsampling).
//
// Contracts, for every function and render() below:
//   - Escaping: every string that comes from the caller (titles, axis labels and units, series,
//     category and row names, tooltips, notes, colours) is printed through escape(), both in
//     text and in attribute values. A scenario named `<script>alert(1)</script>` renders as
//     that text, never as markup. The output is a self-contained `<svg>` element: no script, no
//     external reference (fonts are the generic `sans-serif` family), presentation attributes
//     instead of CSS, no `id` attributes (so many charts can share one HTML page). Text is
//     UTF-8 (the page must declare it); `µ` appears in time labels.
//   - Determinism: the output is a pure function of the input. Numbers are printed with
//     std::to_chars (locale-independent): pixel coordinates with at most 2 decimals, trailing
//     zeros dropped; labels with the formatters below. NaN or infinity is never printed.
//   - Units: coordinates are in the caller's units; an axis whose unit is "s" holds seconds and
//     gets time ticks labelled by format_seconds_short ("1 ms", "15 min"); any other unit is
//     shown in the axis title ("throughput (ops/s)") and its ticks by format_number.
//   - Robustness: render() never throws on data. Non-finite points, points <= 0 on a log axis
//     and inverted bars are skipped (and counted in the note); an empty chart says "no data".
//     Sizes are clamped to at least 160 x 120 px.
//   - Honesty: a series longer than LineChart::max_points is downsampled (min and max of each
//     bucket survive) and a timeline with more rows than Timeline::max_rows is cut; either
//     way the chart's note says so.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sim::reports::svg {

// ---- text ------------------------------------------------------------------------------------

/// Escapes & < > " ' as &amp; &lt; &gt; &quot; &#39;, valid in text and in attribute values
/// (either quote). Control characters other than tab, LF and CR (C0 and DEL; not allowed in
/// XML) become U+FFFD. Other bytes, including UTF-8 sequences, are copied as they are.
std::string escape(std::string_view s);

// ---- colours ---------------------------------------------------------------------------------

/// Okabe–Ito colour-blind-safe palette as "#RRGGBB", ordered for series: blue, orange, bluish
/// green, vermillion, reddish purple, sky blue, yellow, black; i cycles modulo 8.
const char* color(std::size_t i);

/// Fixed colours for statuses (Okabe–Ito, plus a neutral grey).
namespace status {
inline constexpr const char* ok = "#009E73";       ///< bluish green: ok, online, healthy
inline constexpr const char* degraded = "#E69F00"; ///< orange: degraded, not ready, rebuilding
inline constexpr const char* failed = "#D55E00";   ///< vermillion: failed, offline, lost
inline constexpr const char* busy = "#0072B2";     ///< blue: running, in progress
inline constexpr const char* inactive = "#999999"; ///< grey: unknown, removed, cancelled, idle
} // namespace status

/// Colour for a status word (ASCII case-insensitive): ok/online/healthy/succeeded -> ok;
/// degraded/notready/not_ready/rebuilding/pending/pendingfailure/stale -> degraded;
/// failed/offline/lost/error/timeout -> failed; running/busy/active -> busy; anything else ->
/// inactive.
const char* status_color(std::string_view status);

// ---- numbers ---------------------------------------------------------------------------------

/// Compact general number: `significant` digits (clamped to 1..15), trailing zeros dropped,
/// magnitudes from 1000 with a suffix k, M, G, T ("1.5k", "20M"), below 0.001 or from 1e15 in
/// exponent form ("1.5e-5"). 0 -> "0" (also -0); non-finite -> "n/a".
std::string format_number(double v, int significant = 4);

/// Seconds in the largest unit of ns, µs, ms, s, min, h, d that keeps the value >= 1 (below
/// 1 ns: ns), 3 significant digits: 0.0015 -> "1.5 ms", 90 -> "1.5 min", 0 -> "0 s".
/// A value that rounds up to the next unit moves there (0.0009999 -> "1 ms"). Negative values
/// get a leading '-'; non-finite -> "n/a".
std::string format_seconds_short(double seconds);

/// Count with thousands separators: 1000000 -> "1,000,000".
std::string format_count(std::uint64_t n);

// ---- ticks -----------------------------------------------------------------------------------

/// Linear ticks with a step of 1, 2 or 5 times a power of ten: the one nearest to
/// (hi - lo) / target on a log scale (so roughly `target` intervals), from the largest multiple
/// of the step <= lo to the smallest >= hi (the ticks cover [lo, hi]). Values are k * step
/// computed so that each equals the decimal literal (0.6, not 0.6000000000000001).
/// lo == hi -> {lo}; hi < lo or non-finite -> {}. target < 1 counts as 1.
std::vector<double> nice_ticks(double lo, double hi, int target = 5);

/// Like nice_ticks for an axis in seconds, but steps of one second or more are clock-friendly
/// (nearest on a log scale among 1, 2, 5, 10, 15, 30 s, 1, 2, 5, 10, 15, 30 min, 1, 2, 3, 6,
/// 12 h, 1, 2, 5, 10, 20, 50, ... d).
std::vector<double> time_ticks(double lo, double hi, int target = 5);

/// Log-scale ticks: powers of ten from 10^floor(log10 lo) to 10^ceil(log10 hi) (at least one
/// decade), every k-th decade so that there are at most max(2, max_ticks) ticks (the last one
/// still >= hi). lo <= 0, hi < lo or non-finite -> {}.
std::vector<double> log_ticks(double lo, double hi, int max_ticks = 10);

// ---- data ------------------------------------------------------------------------------------

struct Point {
  double x = 0;
  double y = 0;
  friend bool operator==(const Point&, const Point&) = default;
};

/// Indices of at most max_points points to draw instead of all, increasing: the first and the
/// last point, and, in each of (max_points - 2) / 2 equal-count buckets of the points in
/// between, the one with the smallest and the one with the largest y (a single spike
/// survives). Points with NaN y are never picked from a bucket. All indices when
/// points.size() <= max_points; max_points 0 -> none, 1 -> the first.
std::vector<std::size_t> downsample_indices(std::span<const Point> points, std::size_t max_points);

/// The points at downsample_indices, in the same (input, normally x) order.
std::vector<Point> downsample(std::span<const Point> points, std::size_t max_points);

/// Empirical CDF of ascending samples as a step polyline (draw with Series::step) of at most
/// max(2, max_points) points: (x_0, 0), then (x, fraction of samples <= x) at every distinct x,
/// or, for more distinct values than fit, at the samples of evenly spaced ranks (the vertical
/// error is then below 1 / (max_points - 1)); always ends at (x_last, 1). Empty input -> {}.
/// Throws std::invalid_argument if a sample is NaN or the samples are not ascending.
std::vector<Point> cdf_points(std::span<const double> sorted_samples,
                              std::size_t max_points = 1000);

// ---- charts ----------------------------------------------------------------------------------

struct Axis {
  std::string label{};         ///< e.g. "latency"
  std::string unit{};          ///< "s" = seconds (time ticks), else shown as "label (unit)"
  bool log = false;            ///< log10 scale; points <= 0 are skipped
  std::optional<double> min{}; ///< fixed lower bound, else from the data (ignored if unusable)
  std::optional<double> max{}; ///< fixed upper bound, else from the data (ignored if unusable)
  bool include_zero = false;   ///< linear axis from the data: extend the range to 0
};

struct Series {
  std::string name{};
  std::vector<Point> points{}; ///< drawn in this order (normally ascending x)
  bool dashed = false;
  bool step = false; ///< hold y until the next x, then jump (CDF, survival, counters)
  /// Optional confidence band around the series: empty, or one lower and one upper y per
  /// point (sharing the points' x), drawn as a translucent polygon behind the line.
  std::vector<double> band_lower{};
  std::vector<double> band_upper{};
  std::optional<std::size_t> color{}; ///< palette index; default: the series' position
};

struct LineChart {
  std::string title{};
  Axis x{};
  Axis y{.include_zero = true}; ///< a linear y axis starts at 0 unless its range is fixed
  std::vector<Series> series{};
  std::string note{};            ///< a line under the chart; automatic notes are appended
  std::size_t max_points = 2000; ///< per series, see downsample()

  /// One `<svg>` element: `<title>`, role="img", aria-label (the title, or "chart"), grid,
  /// axes, tick labels, axis titles, one path per series (and its band), a legend, the notes.
  /// An axis range taken from the data is widened to the enclosing ticks. The plot area is a
  /// nested `<svg>` whose coordinates start at its top-left corner, so lines that leave a
  /// fixed range are clipped. A band whose size differs from the points' is ignored; a series
  /// with a single drawable point is a dot.
  std::string render(int width = 720, int height = 360) const;
};

struct Bar {
  double start = 0; ///< in x-axis units; bars with end < start are skipped
  double end = 0;
  std::size_t category = 0; ///< index into Timeline::categories (out of range: grey)
  std::string tooltip{};    ///< `<title>` of the bar; empty: "row: category, start – end"
};

struct TimelineRow {
  std::string label{};
  std::vector<Bar> bars{};
};

struct Category {
  std::string name{};
  std::string color{}; ///< "#RRGGBB"; empty: svg::color(index)
};

struct Timeline {
  std::string title{};
  Axis x{.label = "time", .unit = "s"}; ///< log and include_zero are ignored
  std::vector<Category> categories{};
  std::vector<TimelineRow> rows{};
  std::string note{};
  std::size_t max_rows = 60; ///< rows beyond this are omitted and the note says how many

  /// Index of the category with this name, appended (with this colour) if there is none.
  std::size_t category(std::string_view name, std::string_view color = {});

  /// One `<svg>` element like LineChart::render: one lane per row (label on the left, cut to
  /// 32 bytes with "…" and the full label as its `<title>`), one `<rect>` per bar (at least
  /// 1 px wide, clipped to the x range), a category legend, the notes. The x range is the
  /// fixed one or from the bars, not widened. height <= 0: 20 px per row plus the margins.
  std::string render(int width = 720, int height = 0) const;
};

} // namespace sim::reports::svg
