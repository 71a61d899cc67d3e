// Charts as inline SVG for `lunsim report`: line charts (time series, CDFs with confidence
// bands, metric-vs-parameter curves with error bars), status timelines (Gantt) and heat maps,
// plus the pieces they are built from (escaping, number formatting, tick placement, axis
// fitting, downsampling).
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
//     bucket survive, and so does a gap) and a timeline with more rows than Timeline::max_rows
//     is cut; either way the chart's note says so. Series that would hide each other stay
//     visible: with two or more series each gets its own point marker (shape by position,
//     placed at staggered x so that identical lines show both), and a series drawn exactly
//     over an earlier one is named in a note ("B: identical to A"). Short timeline states of a
//     salient category (failed, rebuilding, ...) are drawn on top, at least 2 px wide.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
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

/// format_seconds_short with `significant` digits (clamped to 1..15).
std::string format_seconds(double seconds, int significant);

/// Count with thousands separators: 1000000 -> "1,000,000".
std::string format_count(std::uint64_t n);

/// An estimate with its 95 % interval, "mean [low, high]", rounded to the interval: the three
/// numbers with the same decimals, down to the half-width's first significant digit (and at
/// least 2 significant digits of the mean): 0.03241 [0.03182, 0.03300] -> "0.0324 [0.0318,
/// 0.0330]"; seconds (unit "s") in the mean's unit, "32.4 [31.8, 33.0] ms". Where fixed
/// decimals would lose a value (plain numbers below 0.001 or from 10^6, a bound that would
/// read 0: 1e-6 next to 0.01) each number gets its own notation (format_number or
/// format_seconds) with 3 to 10 significant digits, so 7.1e-12 never reads 0.0000:
/// "1.02e-11 [4.42e-12, 1.61e-11]". An interval of zero width keeps the value's own digits
/// ("3 [3, 3]"). Without a finite interval (low or high NaN) just the value
/// (format_number, 4 digits; seconds: format_seconds_short); a NaN value -> "".
std::string format_estimate(double mean, double low, double high, std::string_view unit);

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
/// survives). Points with NaN y are never picked as a bucket's extreme. With keep_gaps (NaN y
/// marks a gap, Series::gaps), there are (max_points - 2) / 3 buckets and each also keeps its
/// first NaN point, so a gap survives. All indices when points.size() <= max_points;
/// max_points 0 -> none, 1 -> the first.
std::vector<std::size_t> downsample_indices(std::span<const Point> points, std::size_t max_points,
                                            bool keep_gaps = false);

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

/// How a linear axis whose range comes from the data places zero.
enum class Zero {
  fit,       ///< the data's range, widened to the enclosing ticks (x axes: time)
  include,   ///< the data's range extended to 0, then to the ticks
  automatic, ///< the baseline rule (fit_range): 0 when the data are near it, else min-max
};

/// The baseline rule of Zero::automatic for a data range [lo, hi] (lo <= hi), before the range
/// is widened to the enclosing ticks:
///   - data on both sides of 0: [lo, hi] (it holds 0);
///   - data on one side of 0 within a factor of 3 of it (0 <= lo <= hi / 3, or the mirror
///     image for negative data), or constant (lo == hi): extended to 0, so that a bar-like
///     quantity (a count, a queue, a utilisation from 0.001 to 0.02) keeps its zero baseline;
///   - otherwise (0 < hi / 3 < lo: e.g. utilisation between 0.0068 and 0.0092, a latency
///     between 31 and 35 ms): [lo, hi] padded by 5 % of (hi - lo) on each side, never across 0,
///     so the variation fills the plot instead of being a flat line.
/// Returns the range to draw.
std::pair<double, double> fit_range(double lo, double hi);

struct Axis {
  std::string label{};         ///< e.g. "latency"
  std::string unit{};          ///< "s" = seconds (time ticks), else shown as "label (unit)"
  bool log = false;            ///< log10 scale; points <= 0 are skipped
  std::optional<double> min{}; ///< fixed lower bound, else from the data (ignored if unusable)
  std::optional<double> max{}; ///< fixed upper bound, else from the data (ignored if unusable)
  Zero zero = Zero::fit;       ///< a linear range from the data: where 0 goes (no fixed bound)
  /// Limits a range from the data never passes when it is padded or widened to ticks (a
  /// fraction: 0 and 1); values outside are still drawn (clipped).
  std::optional<double> lowest{};
  std::optional<double> highest{};
  /// A categorical axis (x only): point x values are the category indices 0 .. k-1, drawn at
  /// equal spacing in this order and labelled with these names, each in its share of the axis
  /// (every stride-th when 6 characters do not fit): as they are when they fit, else without
  /// the prefix all share ("…5ms}" for "{dist: exponential, mean: 5ms}" next to "…6ms}"), cut
  /// with "…"; a shortened label has the full name as its `<title>`. The range is
  /// [-0.5, k - 0.5]; log, unit and zero are ignored.
  std::vector<std::string> categories{};
};

struct Series {
  std::string name{};
  std::vector<Point> points{}; ///< drawn in this order (normally ascending x)
  bool dashed = false;         ///< stroke-dasharray "6 3"
  std::string dash{};          ///< another stroke-dasharray ("2 2", "8 3 2 3"); overrides dashed
  bool step = false; ///< hold y until the next x, then jump (CDF, survival, counters)
  /// A point with a finite x and a NaN y is a gap (an interval without data): the line stops
  /// at the point before and starts again at the point after, and the gap is not counted as
  /// a point not shown. Without `gaps` such a point is skipped (and counted) and the line joins
  /// its neighbours.
  bool gaps = false;
  /// Optional confidence band around the series: empty, or one lower and one upper y per
  /// point (sharing the points' x), drawn as a translucent polygon behind the line (broken
  /// where a bound is not finite), or, with error_bars, as a whisker with caps at each point.
  std::vector<double> band_lower{};
  std::vector<double> band_upper{};
  bool error_bars = false;
  /// Optional band in x: empty, or one lower and one upper x per point (at the point's y),
  /// drawn as a translucent polygon behind the line: the spread of a CDF's quantiles, each
  /// point (latency, fraction) spanning the range of that quantile's latency.
  std::vector<double> xband_lower{};
  std::vector<double> xband_upper{};
  std::optional<std::size_t> color{};  ///< palette index; default: the series' position
  std::optional<std::size_t> marker{}; ///< marker shape (0..7, cycles); default: the position
};

/// When a line chart draws point markers.
enum class Markers {
  automatic, ///< with two or more drawn series
  always,
  never,
};

struct LineChart {
  std::string title{};
  Axis x{};
  Axis y{.zero = Zero::automatic}; ///< a linear y axis follows the baseline rule (fit_range)
  std::vector<Series> series{};
  std::string note{};            ///< lines under the chart (one per '\n'); automatic notes follow
  std::size_t max_points = 2000; ///< per series, see downsample()
  Markers markers = Markers::automatic;
  /// Horizontal offset between series, in px (series s is moved by (s - (n - 1) / 2) * dodge):
  /// error bars of several series at the same x stay apart. The note says so when non-zero.
  double dodge = 0;

  /// One `<svg>` element: `<title>`, role="img", aria-label (the title, or "chart"), grid,
  /// axes, tick labels, axis titles, one path per series (and its band), its markers, a
  /// legend (line, marker, band), the notes. An axis range taken from the data is fitted (Axis
  /// zero, lowest and highest) and widened to the enclosing ticks. The plot area is a nested
  /// `<svg>` whose coordinates start at its top-left corner, so lines that leave a fixed range
  /// are clipped. A band whose size differs from the points' is ignored; a series with a
  /// single drawable point is a dot.
  ///
  /// Markers: a series of at most 12 drawn points has one on each point; a longer one, or a
  /// step series, has 8, at x = (j + (s + 1) / (n + 1)) / 8 of the plot width (j = 0..7,
  /// series s of n), on the series' line there (not inside a gap), so two identical series
  /// show both. Dashed series after the first shift their dash pattern by 3 px each
  /// (stroke-dashoffset 3, 6, 0, ...), so dashed lines drawn over each other show both.
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
  /// A state that must stay visible however short (failed, rebuilding, offline): its bars
  /// are drawn after the others, at least Timeline::salient_px wide, and a salient bar that
  /// the widening of the one before would cover starts where that one ends.
  bool salient = false;
};

struct Timeline {
  std::string title{};
  Axis x{.label = "time", .unit = "s"}; ///< log, zero and categories are ignored
  std::vector<Category> categories{};
  std::vector<TimelineRow> rows{};
  std::string note{}; ///< lines under the chart, one per '\n'
  std::size_t max_rows = 60; ///< rows beyond this are omitted and the note says how many
  double salient_px = 2;     ///< minimum width of a salient category's bar

  /// Index of the category with this name, appended (with this colour and salience) if there
  /// is none.
  std::size_t category(std::string_view name, std::string_view color = {}, bool salient = false);

  /// One `<svg>` element like LineChart::render: one lane per row (label on the left, cut to
  /// 32 bytes with "…" and the full label as its `<title>`), one `<rect>` per bar (at least
  /// 1 px wide, salient ones salient_px; clipped to the x range), a category legend, the
  /// notes. The x range is the fixed one or from the bars, not widened. height <= 0: 20 px per
  /// row plus the margins.
  std::string render(int width = 720, int height = 0) const;
};

/// Colour of t in [0, 1] on the viridis scale (perceptually uniform, colour-blind safe,
/// readable in grey), interpolated between 9 stops; t outside is clamped, NaN -> grey.
std::string viridis(double t);

/// A grid of coloured cells: one metric over a 2-axis grid.
struct HeatMap {
  std::string title{};
  std::string x_label{};                    ///< the columns' axis
  std::string y_label{};                    ///< the rows' axis
  std::vector<std::string> columns{};       ///< x categories, left to right
  std::vector<std::string> rows{};          ///< y categories, top to bottom
  std::vector<double> values{};             ///< row-major, rows x columns; NaN: no value
  std::vector<std::string> tooltips{};      ///< per cell (same order); empty: "row, column: value"
  std::string unit{};                       ///< "s": values shown as times; else in the legend
  std::string note{}; ///< lines under the chart, one per '\n'

  /// One `<svg>` element: a `<rect>` per cell coloured on the viridis scale from the smallest
  /// to the largest finite value (log10 when all are > 0 and they span 100 times or more; the
  /// legend says which), its value written in the cell when the cell is wide enough, its
  /// tooltip as `<title>`; cells without a value are light grey, marked "n/a". A stepped
  /// colour legend (10 boxes) with the smallest, middle and largest value, the notes. Row and
  /// column labels shortened as a categorical axis' (rows to 20 characters, columns to their
  /// cell, every k-th column when a cell is narrower than 4 characters) with the full name as
  /// `<title>`. height <= 0: 30 px per
  /// row (at least 24 px per row otherwise). values.size() != rows x columns -> "no data".
  std::string render(int width = 720, int height = 0) const;
};

} // namespace sim::reports::svg
