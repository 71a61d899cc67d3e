#include "reports/svg.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <initializer_list>
#include <stdexcept>
#include <utility>

namespace sim::reports::svg {

namespace {

// ---- number printing ---------------------------------------------------------------------------

double pow10i(int e) {
  static constexpr std::array<double, 23> table{1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                                1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                                1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  if (e >= 0 && e <= 22) return table[static_cast<std::size_t>(e)];
  if (e < 0 && e >= -22) return 1.0 / table[static_cast<std::size_t>(-e)];
  return std::pow(10.0, e);
}

/// k * 10^e, equal to the decimal literal for integral k and |e| <= 22 (one correctly rounded
/// operation on exact operands).
double decimal(double k, int e) {
  if (e >= 0) return k * pow10i(e);
  if (e >= -22) return k / pow10i(-e);
  return k * std::pow(10.0, e);
}

std::string chars(double v, std::chars_format f, int precision) {
  std::array<char, 128> buf{};
  const auto r = std::to_chars(buf.data(), buf.data() + buf.size(), v, f, precision);
  if (r.ec != std::errc{}) return "0"; // callers keep magnitudes far below this
  return std::string(buf.data(), r.ptr);
}

void trim_zeros(std::string& s) {
  if (s.find('.') == std::string::npos) return;
  while (s.back() == '0')
    s.pop_back();
  if (s.back() == '.') s.pop_back();
}

double round_sig(double v, int sig) {
  const std::string s = chars(v, std::chars_format::scientific, sig - 1);
  double r = v;
  std::from_chars(s.data(), s.data() + s.size(), r);
  return r;
}

/// x (already rounded to `sig` digits) in fixed notation with `sig` significant digits.
std::string fixed_sig(double x, int sig) {
  if (x == 0) return "0";
  const int magnitude = static_cast<int>(std::floor(std::log10(std::fabs(x))));
  std::string s = chars(x, std::chars_format::fixed, std::max(0, sig - 1 - magnitude));
  trim_zeros(s);
  return s == "-0" ? "0" : s;
}

/// Pixel coordinate: at most 2 decimals, trailing zeros dropped.
std::string px(double v) {
  if (!std::isfinite(v)) return "0";
  v = std::clamp(v, -1e7, 1e7);
  std::string s = chars(v, std::chars_format::fixed, 2);
  trim_zeros(s);
  return s == "-0" ? "0" : s;
}

// ---- text layout -------------------------------------------------------------------------------

constexpr double char_width = 6.5; // average advance of an 11 px sans-serif glyph, estimated

double text_width(std::string_view s) {
  std::size_t code_points = 0;
  for (const char c : s)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++code_points;
  return static_cast<double>(code_points) * char_width;
}

/// At most max_bytes bytes, cut at a UTF-8 boundary, with "…" when cut.
std::string cut(std::string_view s, std::size_t max_bytes) {
  if (s.size() <= max_bytes) return std::string(s);
  std::size_t n = max_bytes - 1;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80)
    --n;
  return std::string(s.substr(0, n)) + "\u2026";
}

std::string attr(std::string_view name, double v) {
  return std::string(" ") + std::string(name) + "=\"" + px(v) + "\"";
}

void text(std::string& o, double x, double y, std::string_view content,
          std::string_view attrs = {}) {
  o += "<text" + attr("x", x) + attr("y", y);
  o += attrs;
  o += ">" + escape(content) + "</text>\n";
}

// ---- charts ------------------------------------------------------------------------------------

struct Size {
  double w, h;
};

Size clamp_size(int width, int height) {
  return {static_cast<double>(std::max(width, 160)), static_cast<double>(std::max(height, 120))};
}

std::string svg_open(Size s, std::string_view title) {
  const std::string label = escape(title.empty() ? std::string_view("chart") : title);
  std::string o = "<svg xmlns=\"http://www.w3.org/2000/svg\"" + attr("width", s.w) +
                  attr("height", s.h) + " viewBox=\"0 0 " + px(s.w) + " " + px(s.h) +
                  "\" role=\"img\" aria-label=\"" + label +
                  "\" font-family=\"sans-serif\" font-size=\"11\" fill=\"#222222\">\n";
  o += "<title>" + label + "</title>\n";
  o += "<rect" + attr("width", s.w) + attr("height", s.h) + " fill=\"#ffffff\"/>\n";
  if (!title.empty())
    text(o, s.w / 2, 20, title, " text-anchor=\"middle\" font-size=\"14\" font-weight=\"bold\"");
  return o;
}

double top_margin(std::string_view title) { return title.empty() ? 14 : 34; }

struct LegendItem {
  std::string name;
  std::string color;
  bool dashed = false;
  bool band = false;
  bool box = false; ///< a filled square (timeline category) instead of a line
};

constexpr double legend_left = 12, legend_row = 18, note_row = 16;

/// Start x of each item, a new row when the next one would pass the right margin.
std::vector<std::pair<double, int>> legend_layout(const std::vector<LegendItem>& items, double w) {
  std::vector<std::pair<double, int>> at;
  double x = legend_left;
  int row = 0;
  for (const LegendItem& it : items) {
    const double item_w = 24 + text_width(it.name) + 16;
    if (x > legend_left && x + item_w > w - legend_left) {
      x = legend_left;
      ++row;
    }
    at.emplace_back(x, row);
    x += item_w;
  }
  return at;
}

int legend_rows(const std::vector<LegendItem>& items, double w) {
  const auto at = legend_layout(items, w);
  return at.empty() ? 0 : at.back().second + 1;
}

void draw_legend(std::string& o, const std::vector<LegendItem>& items, double w, double y0) {
  const auto at = legend_layout(items, w);
  for (std::size_t i = 0; i < items.size(); ++i) {
    const LegendItem& it = items[i];
    const double x = at[i].first, y = y0 + at[i].second * legend_row;
    const std::string c = escape(it.color);
    if (it.box) {
      o += "<rect" + attr("x", x + 4) + attr("y", y - 5) + " width=\"10\" height=\"10\" fill=\"" +
           c + "\"/>\n";
    } else {
      if (it.band)
        o += "<rect" + attr("x", x) + attr("y", y - 5) + " width=\"18\" height=\"10\" fill=\"" + c +
             "\" fill-opacity=\"0.2\"/>\n";
      o += "<path d=\"M" + px(x) + " " + px(y) + "H" + px(x + 18) + "\" stroke=\"" + c +
           "\" stroke-width=\"2\"" + (it.dashed ? " stroke-dasharray=\"6 3\"" : "") + "/>\n";
    }
    text(o, x + 22, y + 4, it.name);
  }
}

void draw_notes(std::string& o, const std::vector<std::string>& notes, double y0) {
  for (std::size_t i = 0; i < notes.size(); ++i)
    text(o, legend_left, y0 + static_cast<double>(i) * note_row, notes[i],
         " fill=\"#555555\" font-style=\"italic\"");
}

std::string axis_title(const Axis& a) {
  if (a.unit.empty() || a.unit == "s") return a.label;
  if (a.label.empty()) return a.unit;
  return a.label + " (" + a.unit + ")";
}

/// Tick labels of an axis: seconds, or plain numbers with enough digits to tell the ticks apart.
std::vector<std::string> tick_labels(const Axis& a, const std::vector<double>& ticks) {
  std::vector<std::string> out;
  int sig = 1;
  if (!a.log && ticks.size() >= 2) {
    double largest = 0;
    for (const double t : ticks)
      largest = std::max(largest, std::fabs(t));
    const double step = ticks[1] - ticks[0];
    if (largest > 0 && step > 0)
      sig = static_cast<int>(std::floor(std::log10(largest)) - std::floor(std::log10(step))) + 1;
    sig = std::clamp(sig, 1, 15);
  }
  for (const double t : ticks)
    out.push_back(a.unit == "s" ? format_seconds_short(t) : format_number(t, sig));
  return out;
}

/// Maps an axis range to [0, length] pixels.
struct Scale {
  double lo = 0, hi = 1, length = 1;
  bool log = false;
  double operator()(double v) const {
    if (log) return (std::log10(v) - std::log10(lo)) / (std::log10(hi) - std::log10(lo)) * length;
    return (v - lo) / (hi - lo) * length;
  }
};

struct Range {
  double lo = 0, hi = 1;
  std::vector<double> ticks;
};

bool usable(const Axis& a, double v) { return std::isfinite(v) && (!a.log || v > 0); }

/// The drawn range and ticks of an axis from the data range [lo, hi] (lo > hi: no data).
Range resolve(const Axis& a, double lo, double hi, int target) {
  const bool fixed_lo = a.min && usable(a, *a.min), fixed_hi = a.max && usable(a, *a.max);
  if (fixed_lo) lo = *a.min;
  if (fixed_hi) hi = *a.max;
  if (lo > hi) {
    if (fixed_lo && fixed_hi) std::swap(lo, hi);
    else if (fixed_lo) hi = lo;
    else lo = hi;
  }
  if (!a.log && a.include_zero && !fixed_lo && !fixed_hi) {
    lo = std::min(lo, 0.0);
    hi = std::max(hi, 0.0);
  }
  if (lo == hi && !a.log) {
    const double d = lo == 0 ? 1 : std::fabs(lo) / 2;
    if (!fixed_lo) lo -= d;
    if (!fixed_hi || fixed_lo) hi += d;
  }
  std::vector<double> ticks = a.log           ? log_ticks(lo, hi)
                              : a.unit == "s" ? time_ticks(lo, hi, target)
                                              : nice_ticks(lo, hi, target);
  Range r{lo, hi, {}};
  if (!ticks.empty()) {
    if (!fixed_lo) r.lo = std::min(r.lo, ticks.front());
    if (!fixed_hi) r.hi = std::max(r.hi, ticks.back());
  }
  if (r.lo == r.hi) r.hi = a.log ? r.lo * 10 : r.lo + 1;
  const double eps = 1e-9 * (r.hi - r.lo);
  for (const double t : ticks) {
    const bool inside = a.log ? t >= r.lo * (1 - 1e-9) && t <= r.hi * (1 + 1e-9)
                              : t >= r.lo - eps && t <= r.hi + eps;
    if (inside) r.ticks.push_back(t);
  }
  return r;
}

std::string no_data(Size s, std::string_view title, double top,
                    const std::vector<std::string>& notes) {
  std::string o = svg_open(s, title);
  const double bottom = s.h - 8 - static_cast<double>(notes.size()) * note_row;
  text(o, s.w / 2, (top + bottom) / 2, "no data", " text-anchor=\"middle\" fill=\"#555555\"");
  draw_notes(o, notes, bottom + 12);
  o += "</svg>\n";
  return o;
}

/// Grid, axis lines with tick marks, tick labels and axis titles around the plot area.
void draw_axes(std::string& o, double left, double top, double pw, double ph, const Axis& xa,
               const Scale& xs, const std::vector<double>& xt, const Axis& ya, const Scale& ys,
               const std::vector<double>& yt, double y_title_x) {
  const double bottom = top + ph;
  std::string grid, ticks;
  for (const double t : xt) {
    const double x = left + xs(t);
    grid += "M" + px(x) + " " + px(top) + "V" + px(bottom);
    ticks += "M" + px(x) + " " + px(bottom) + "v4";
  }
  for (const double t : yt) {
    const double y = bottom - ys(t);
    grid += "M" + px(left) + " " + px(y) + "H" + px(left + pw);
    ticks += "M" + px(left) + " " + px(y) + "h-4";
  }
  if (!grid.empty()) o += "<path d=\"" + grid + "\" stroke=\"#e3e3e3\" fill=\"none\"/>\n";
  o += "<path d=\"M" + px(left) + " " + px(top) + "V" + px(bottom) + "H" + px(left + pw) + ticks +
       "\" stroke=\"#555555\" fill=\"none\"/>\n";
  const std::vector<std::string> xl = tick_labels(xa, xt), yl = tick_labels(ya, yt);
  for (std::size_t i = 0; i < xt.size(); ++i)
    text(o, left + xs(xt[i]), bottom + 16, xl[i], " text-anchor=\"middle\"");
  for (std::size_t i = 0; i < yt.size(); ++i)
    text(o, left - 7, bottom - ys(yt[i]) + 4, yl[i], " text-anchor=\"end\"");
  const std::string xtitle = axis_title(xa), ytitle = axis_title(ya);
  if (!xtitle.empty()) text(o, left + pw / 2, bottom + 34, xtitle, " text-anchor=\"middle\"");
  if (!ytitle.empty())
    o += "<text transform=\"translate(" + px(y_title_x) + " " + px(top + ph / 2) +
         ") rotate(-90)\" text-anchor=\"middle\">" + escape(ytitle) + "</text>\n";
}

std::string plot_area_open(double left, double top, double pw, double ph) {
  // 3 px of slack around the plot area so that lines along its edges are not cut in half.
  constexpr double pad = 3;
  return "<svg" + attr("x", left - pad) + attr("y", top - pad) + attr("width", pw + 2 * pad) +
         attr("height", ph + 2 * pad) + " viewBox=\"" + px(-pad) + " " + px(-pad) + " " +
         px(pw + 2 * pad) + " " + px(ph + 2 * pad) + "\" overflow=\"hidden\">\n";
}

/// Vertices of a polyline through the points, with the horizontal-then-vertical corners of a
/// step function when `step`.
std::vector<Point> vertices(const std::vector<Point>& p, bool step) {
  if (!step) return p;
  std::vector<Point> v;
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (i > 0) v.push_back({p[i].x, p[i - 1].y});
    v.push_back(p[i]);
  }
  return v;
}

std::string line_path(const std::vector<Point>& p, bool step) {
  std::string d;
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (i == 0) d += "M" + px(p[i].x) + " " + px(p[i].y);
    else if (step) d += "H" + px(p[i].x) + "V" + px(p[i].y);
    else d += "L" + px(p[i].x) + " " + px(p[i].y);
  }
  return d;
}

} // namespace

// ---- text ------------------------------------------------------------------------------------

std::string escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (const char c : s) {
    switch (c) {
    case '&': out += "&amp;"; break;
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '"': out += "&quot;"; break;
    case '\'': out += "&#39;"; break;
    case '\t':
    case '\n':
    case '\r': out += c; break;
    default:
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) out += "\uFFFD";
      else out += c;
    }
  }
  return out;
}

// ---- colours ---------------------------------------------------------------------------------

const char* color(std::size_t i) {
  static constexpr std::array<const char*, 8> okabe_ito{"#0072B2", "#E69F00", "#009E73", "#D55E00",
                                                        "#CC79A7", "#56B4E9", "#F0E442", "#000000"};
  return okabe_ito[i % okabe_ito.size()];
}

const char* status_color(std::string_view s) {
  std::string w;
  for (const char c : s)
    w += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  const auto in = [&](std::initializer_list<std::string_view> names) {
    return std::find(names.begin(), names.end(), w) != names.end();
  };
  if (in({"ok", "online", "healthy", "succeeded"})) return status::ok;
  if (in({"degraded", "notready", "not_ready", "rebuilding", "pending", "pendingfailure", "stale"}))
    return status::degraded;
  if (in({"failed", "offline", "lost", "error", "timeout"})) return status::failed;
  if (in({"running", "busy", "active"})) return status::busy;
  return status::inactive;
}

// ---- numbers ---------------------------------------------------------------------------------

std::string format_number(double v, int significant) {
  if (!std::isfinite(v)) return "n/a";
  if (v == 0) return "0";
  const int sig = std::clamp(significant, 1, 15);
  const double r = round_sig(v, sig);
  const double a = std::fabs(r);
  if (a < 1e-3 || a >= 1e15) {
    std::string s = chars(r, std::chars_format::scientific, sig - 1);
    const std::size_t e = s.find('e');
    std::string mantissa = s.substr(0, e), exponent = s.substr(e + 1);
    trim_zeros(mantissa);
    const bool negative = exponent[0] == '-';
    exponent.erase(0, exponent.find_first_not_of("+-0"));
    return mantissa + "e" + (negative ? "-" : "") + exponent;
  }
  static constexpr std::array<std::pair<double, const char*>, 4> suffixes{
      {{1e12, "T"}, {1e9, "G"}, {1e6, "M"}, {1e3, "k"}}};
  for (const auto& [factor, suffix] : suffixes)
    if (a >= factor) return fixed_sig(round_sig(r / factor, sig), sig) + suffix;
  return fixed_sig(r, sig);
}

std::string format_seconds_short(double seconds) {
  if (!std::isfinite(seconds)) return "n/a";
  if (seconds == 0) return "0 s";
  if (seconds < 0) return "-" + format_seconds_short(-seconds);
  struct Unit {
    double scale;
    double next; ///< this many make one of the next unit
    const char* name;
  };
  static constexpr std::array<Unit, 7> units{{{1e-9, 1000, "ns"},
                                              {1e-6, 1000, "\u00B5s"},
                                              {1e-3, 1000, "ms"},
                                              {1, 60, "s"},
                                              {60, 60, "min"},
                                              {3600, 24, "h"},
                                              {86400, 0, "d"}}};
  std::size_t u = 0;
  while (u + 1 < units.size() && seconds >= units[u + 1].scale)
    ++u;
  double r = round_sig(seconds / units[u].scale, 3);
  // 999.9 µs rounds to 1000 µs: say 1 ms instead (likewise 59.99 s -> 1 min).
  if (u + 1 < units.size() && r >= units[u].next) {
    ++u;
    r = round_sig(seconds / units[u].scale, 3);
  }
  return fixed_sig(r, 3) + " " + units[u].name;
}

std::string format_count(std::uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// ---- ticks -----------------------------------------------------------------------------------

namespace {

/// Ticks k * mult * 10^e covering [lo, hi].
std::vector<double> ticks_with_step(double lo, double hi, double mult, int e) {
  const double step = decimal(mult, e);
  const double k_lo = std::floor(lo / step + 1e-9), k_hi = std::ceil(hi / step - 1e-9);
  if (!(k_hi - k_lo <= 10000)) return {lo, hi}; // the range is below the doubles' resolution
  std::vector<double> out;
  for (double k = k_lo; k <= k_hi; ++k) {
    const double v = decimal(k * mult, e);
    out.push_back(v == 0 ? 0.0 : v); // no -0
  }
  return out;
}

} // namespace

std::vector<double> nice_ticks(double lo, double hi, int target) {
  if (!std::isfinite(lo) || !std::isfinite(hi) || hi < lo) return {};
  if (lo == hi) return {lo};
  const double raw = (hi - lo) / std::max(target, 1);
  int e = static_cast<int>(std::floor(std::log10(raw)));
  const double m = raw / pow10i(e); // in [1, 10)
  // The step nearest to raw on a log scale: the boundaries are the geometric means.
  double mult = m < std::sqrt(2.0) ? 1 : m < std::sqrt(10.0) ? 2 : m < std::sqrt(50.0) ? 5 : 10;
  if (mult == 10) {
    mult = 1;
    ++e;
  }
  return ticks_with_step(lo, hi, mult, e);
}

std::vector<double> time_ticks(double lo, double hi, int target) {
  if (!std::isfinite(lo) || !std::isfinite(hi) || hi < lo) return {};
  if (lo == hi) return {lo};
  const double raw = (hi - lo) / std::max(target, 1);
  if (raw < 1) return nice_ticks(lo, hi, target);
  std::vector<double> steps{1,   2,   5,    10,   15,   30,    60,    120,  300,
                            600, 900, 1800, 3600, 7200, 10800, 21600, 43200};
  for (double days = 1; steps.back() < raw; days *= 10) // 1, 2, 5, 10, 20, 50, ... days
    for (const double m : {1.0, 2.0, 5.0})
      steps.push_back(m * days * 86400);
  double best = steps.front();
  for (const double step : steps) // nearest to raw on a log scale, the larger on a tie
    if (std::fabs(std::log(step / raw)) <= std::fabs(std::log(best / raw))) best = step;
  return ticks_with_step(lo, hi, best, 0);
}

std::vector<double> log_ticks(double lo, double hi, int max_ticks) {
  if (!std::isfinite(lo) || !std::isfinite(hi) || lo <= 0 || hi < lo) return {};
  const int e0 = static_cast<int>(std::floor(std::log10(lo) + 1e-12));
  int e1 = static_cast<int>(std::ceil(std::log10(hi) - 1e-12));
  if (e1 <= e0) e1 = e0 + 1;
  const int decades = e1 - e0, most = std::max(max_ticks, 2);
  const int stride = std::max(1, (decades + most - 2) / (most - 1));
  std::vector<double> out;
  for (int e = e0;; e += stride) {
    out.push_back(decimal(1, e));
    if (e >= e1) break;
  }
  return out;
}

// ---- data ------------------------------------------------------------------------------------

std::vector<std::size_t> downsample_indices(std::span<const Point> points, std::size_t max_points) {
  const std::size_t n = points.size();
  std::vector<std::size_t> out;
  if (n <= max_points) {
    for (std::size_t i = 0; i < n; ++i)
      out.push_back(i);
    return out;
  }
  if (max_points == 0) return out;
  out.push_back(0);
  if (max_points == 1) return out;
  const std::size_t buckets = (max_points - 2) / 2, inner = n - 2;
  for (std::size_t b = 0; b < buckets; ++b) {
    const std::size_t begin = 1 + inner * b / buckets, end = 1 + inner * (b + 1) / buckets;
    std::size_t lo = end, hi = end;
    for (std::size_t i = begin; i < end; ++i) {
      const double y = points[i].y;
      if (std::isnan(y)) continue;
      if (lo == end || y < points[lo].y) lo = i;
      if (hi == end || y > points[hi].y) hi = i;
    }
    if (lo == end) continue;
    out.push_back(std::min(lo, hi));
    if (lo != hi) out.push_back(std::max(lo, hi));
  }
  out.push_back(n - 1);
  return out;
}

std::vector<Point> downsample(std::span<const Point> points, std::size_t max_points) {
  std::vector<Point> out;
  for (const std::size_t i : downsample_indices(points, max_points))
    out.push_back(points[i]);
  return out;
}

std::vector<Point> cdf_points(std::span<const double> s, std::size_t max_points) {
  for (std::size_t i = 0; i < s.size(); ++i)
    if (std::isnan(s[i]) || (i > 0 && s[i] < s[i - 1]))
      throw std::invalid_argument("cdf_points: samples must be ascending and not NaN");
  if (s.empty()) return {};
  const std::size_t n = s.size(), m = std::max<std::size_t>(max_points, 2) - 1;
  const double total = static_cast<double>(n);
  std::vector<Point> out{{s[0], 0}};
  // Fraction of samples <= s[i], placed at s[i]; equal x keep the larger fraction.
  const auto add = [&](std::size_t i) {
    const auto upto = std::upper_bound(s.begin(), s.end(), s[i]) - s.begin();
    const Point p{s[i], static_cast<double>(upto) / total};
    if (out.size() > 1 && out.back().x == p.x) out.back().y = std::max(out.back().y, p.y);
    else out.push_back(p);
  };
  std::size_t distinct = 1;
  for (std::size_t i = 1; i < n && distinct <= m; ++i)
    if (s[i] != s[i - 1]) ++distinct;
  if (distinct <= m) {
    for (std::size_t i = 0; i < n; ++i)
      if (i + 1 == n || s[i + 1] != s[i]) add(i);
  } else {
    for (std::size_t k = 1; k <= m; ++k)
      add((k * n + m - 1) / m - 1); // rank ceil(k n / m)
  }
  return out;
}

// ---- LineChart -------------------------------------------------------------------------------

std::string LineChart::render(int width, int height) const {
  const Size size = clamp_size(width, height);
  std::vector<std::string> notes;
  if (!note.empty()) notes.push_back(note);

  // What to draw of each series: usable points (pixel-independent), downsampled.
  struct Drawn {
    std::vector<Point> points;
    std::vector<std::pair<double, double>> band; // parallel to points when has_band
    bool has_band = false;
  };
  std::vector<Drawn> drawn(series.size());
  std::uint64_t total = 0, skipped = 0, shown = 0;
  bool thinned = false;
  double x_lo = INFINITY, x_hi = -INFINITY, y_lo = INFINITY, y_hi = -INFINITY;
  for (std::size_t s = 0; s < series.size(); ++s) {
    const Series& se = series[s];
    const bool band = se.band_lower.size() == se.points.size() &&
                      se.band_upper.size() == se.points.size() && !se.points.empty();
    std::vector<Point> ok;
    std::vector<std::size_t> from;
    for (std::size_t i = 0; i < se.points.size(); ++i) {
      const Point& p = se.points[i];
      ++total;
      if (!usable(x, p.x) || !usable(y, p.y)) {
        ++skipped;
        continue;
      }
      ok.push_back(p);
      from.push_back(i);
    }
    const std::vector<std::size_t> keep =
        downsample_indices(ok, std::max<std::size_t>(max_points, 2));
    thinned = thinned || keep.size() < ok.size();
    Drawn& d = drawn[s];
    d.has_band = band;
    for (const std::size_t k : keep) {
      d.points.push_back(ok[k]);
      if (band) d.band.emplace_back(se.band_lower[from[k]], se.band_upper[from[k]]);
    }
    shown += d.points.size();
    for (const Point& p : ok) {
      x_lo = std::min(x_lo, p.x);
      x_hi = std::max(x_hi, p.x);
      y_lo = std::min(y_lo, p.y);
      y_hi = std::max(y_hi, p.y);
    }
    if (band)
      for (const std::size_t i : from)
        for (const double v : {se.band_lower[i], se.band_upper[i]})
          if (usable(y, v)) {
            y_lo = std::min(y_lo, v);
            y_hi = std::max(y_hi, v);
          }
  }
  if (thinned)
    notes.push_back("downsampled: " + format_count(shown) + " of " + format_count(total - skipped) +
                    " points shown");
  if (skipped > 0)
    notes.push_back(format_count(skipped) + (skipped == 1 ? " point" : " points") +
                    " not shown (not finite" +
                    (x.log || y.log ? ", or \u2264 0 on a log axis)" : ")"));
  if (shown == 0) return no_data(size, title, top_margin(title), notes);

  // Legend and notes below the x axis fix the plot height, the y tick labels its left edge.
  std::vector<LegendItem> legend;
  for (std::size_t s = 0; s < series.size(); ++s)
    legend.push_back({series[s].name, color(series[s].color.value_or(s)), series[s].dashed,
                      drawn[s].has_band, false});
  const double top = top_margin(title);
  const double bottom_margin = 40 + legend_rows(legend, size.w) * legend_row +
                               static_cast<double>(notes.size()) * note_row + 6;
  const double ph = std::max(20.0, size.h - top - bottom_margin);
  const Range yr = resolve(y, y_lo, y_hi, std::clamp(static_cast<int>(ph / 50), 2, 8));
  double label_w = 0;
  for (const std::string& l : tick_labels(y, yr.ticks))
    label_w = std::max(label_w, text_width(l));
  const double y_title_x = 16, left = std::ceil(y_title_x + 8 + label_w + 8), right = 24;
  const double pw = std::max(20.0, size.w - left - right);
  const Range xr = resolve(x, x_lo, x_hi, std::clamp(static_cast<int>(pw / 100), 2, 10));
  const Scale xs{xr.lo, xr.hi, pw, x.log}, ys{yr.lo, yr.hi, ph, y.log};

  std::string o = svg_open(size, title);
  draw_axes(o, left, top, pw, ph, x, xs, xr.ticks, y, ys, yr.ticks, y_title_x);
  o += plot_area_open(left, top, pw, ph);
  const auto to_px = [&](double vx, double vy) { return Point{xs(vx), ph - ys(vy)}; };
  for (std::size_t s = 0; s < series.size(); ++s) {
    const Drawn& d = drawn[s];
    if (!d.has_band) continue;
    std::vector<Point> upper, lower;
    for (std::size_t i = 0; i < d.points.size(); ++i) {
      const auto [lo, hi] = d.band[i];
      if (!usable(y, lo) || !usable(y, hi)) continue;
      upper.push_back(to_px(d.points[i].x, hi));
      lower.push_back(to_px(d.points[i].x, lo));
    }
    if (upper.size() < 2) continue;
    upper = vertices(upper, series[s].step);
    lower = vertices(lower, series[s].step);
    upper.insert(upper.end(), lower.rbegin(), lower.rend());
    o += "<path d=\"" + line_path(upper, false) + "Z\" fill=\"" +
         escape(color(series[s].color.value_or(s))) + "\" fill-opacity=\"0.2\" stroke=\"none\"/>\n";
  }
  for (std::size_t s = 0; s < series.size(); ++s) {
    const Drawn& d = drawn[s];
    if (d.points.empty()) continue;
    const std::string c = color(series[s].color.value_or(s));
    const std::string tip = "<title>" + escape(series[s].name) + "</title>";
    std::vector<Point> p;
    for (const Point& q : d.points)
      p.push_back(to_px(q.x, q.y));
    if (p.size() == 1) {
      o += "<circle" + attr("cx", p[0].x) + attr("cy", p[0].y) + " r=\"3\" fill=\"" + c + "\">" +
           tip + "</circle>\n";
      continue;
    }
    o += "<path d=\"" + line_path(p, series[s].step) + "\" fill=\"none\" stroke=\"" + c +
         "\" stroke-width=\"1.5\" stroke-linejoin=\"round\"" +
         (series[s].dashed ? " stroke-dasharray=\"6 3\"" : "") + ">" + tip + "</path>\n";
  }
  o += "</svg>\n";
  const double legend_y = top + ph + 40 + 12;
  draw_legend(o, legend, size.w, legend_y);
  draw_notes(o, notes, legend_y + legend_rows(legend, size.w) * legend_row + 4);
  o += "</svg>\n";
  return o;
}

// ---- Timeline --------------------------------------------------------------------------------

std::size_t Timeline::category(std::string_view name, std::string_view colour) {
  for (std::size_t i = 0; i < categories.size(); ++i)
    if (categories[i].name == name) return i;
  categories.push_back({std::string(name), std::string(colour)});
  return categories.size() - 1;
}

std::string Timeline::render(int width, int height) const {
  constexpr std::size_t label_bytes = 32;
  constexpr double auto_pitch = 20;
  const std::size_t n_rows = std::min(rows.size(), max_rows);
  std::vector<std::string> notes;
  if (!note.empty()) notes.push_back(note);
  if (n_rows < rows.size())
    notes.push_back("showing " + format_count(n_rows) + " of " + format_count(rows.size()) +
                    " rows (" + format_count(rows.size() - n_rows) + " omitted)");

  Axis xa = x;
  xa.log = false;
  const auto valid = [](const Bar& b) {
    return std::isfinite(b.start) && std::isfinite(b.end) && b.end >= b.start;
  };
  double lo = INFINITY, hi = -INFINITY;
  std::uint64_t invalid = 0;
  for (std::size_t r = 0; r < rows.size(); ++r)
    for (const Bar& b : rows[r].bars) {
      if (!valid(b)) {
        invalid += r < n_rows;
        continue;
      }
      lo = std::min(lo, b.start);
      hi = std::max(hi, b.end);
    }
  if (invalid > 0)
    notes.push_back(format_count(invalid) + (invalid == 1 ? " bar" : " bars") +
                    " not shown (not finite, or ending before it starts)");
  const double top = top_margin(title);
  if (n_rows == 0 || lo > hi)
    return no_data(clamp_size(width, height > 0 ? height : 160), title, top, notes);

  const auto colour_of = [&](std::size_t c) -> std::string {
    if (c >= categories.size()) return status::inactive;
    return categories[c].color.empty() ? color(c) : categories[c].color;
  };
  std::vector<LegendItem> legend;
  for (std::size_t c = 0; c < categories.size(); ++c)
    legend.push_back({categories[c].name, colour_of(c), false, false, true});
  const double w = clamp_size(width, 0).w;
  const double bottom_margin =
      40 + legend_rows(legend, w) * legend_row + static_cast<double>(notes.size()) * note_row + 6;
  const double rows_d = static_cast<double>(n_rows);
  const Size size = clamp_size(
      width,
      height > 0 ? height : static_cast<int>(std::ceil(top + rows_d * auto_pitch + bottom_margin)));
  const double ph = std::max(20.0, size.h - top - bottom_margin), pitch = ph / rows_d;

  double label_w = 0;
  for (std::size_t r = 0; r < n_rows; ++r)
    label_w = std::max(label_w, text_width(cut(rows[r].label, label_bytes)));
  const double left = std::ceil(std::min(12 + label_w + 8, size.w / 2)), right = 24;
  const double pw = std::max(20.0, size.w - left - right);
  // Unlike a line chart, a timeline keeps its range (fixed, or the bars'), ticks inside it.
  double x_lo = xa.min && std::isfinite(*xa.min) ? *xa.min : lo;
  double x_hi = xa.max && std::isfinite(*xa.max) ? *xa.max : hi;
  if (x_hi < x_lo) std::swap(x_lo, x_hi);
  if (x_hi == x_lo) x_hi = x_lo + 1;
  const int target = std::clamp(static_cast<int>(pw / 100), 2, 10);
  std::vector<double> ticks;
  for (const double t :
       xa.unit == "s" ? time_ticks(x_lo, x_hi, target) : nice_ticks(x_lo, x_hi, target))
    if (t >= x_lo - 1e-9 * (x_hi - x_lo) && t <= x_hi + 1e-9 * (x_hi - x_lo)) ticks.push_back(t);
  const Scale xs{x_lo, x_hi, pw, false};

  std::string o = svg_open(size, title);
  std::string stripes;
  for (std::size_t r = 1; r < n_rows; r += 2)
    stripes += "M" + px(left) + " " + px(top + static_cast<double>(r) * pitch) + "h" + px(pw) +
               "v" + px(pitch) + "h" + px(-pw) + "Z";
  if (!stripes.empty()) o += "<path d=\"" + stripes + "\" fill=\"#f4f4f4\"/>\n";
  Axis no_y;
  draw_axes(o, left, top, pw, ph, xa, xs, ticks, no_y, Scale{}, {}, 16);
  const auto time_text = [&](double v) {
    return xa.unit == "s" ? format_seconds_short(v) : format_number(v, 6);
  };
  for (std::size_t r = 0; r < n_rows; ++r) {
    const TimelineRow& row = rows[r];
    const double row_top = top + static_cast<double>(r) * pitch;
    const std::string shown = cut(row.label, label_bytes);
    o += "<text" + attr("x", left - 6) + attr("y", row_top + pitch / 2 + 4) +
         " text-anchor=\"end\">" + escape(shown);
    if (shown != row.label) o += "<title>" + escape(row.label) + "</title>";
    o += "</text>\n";
    for (const Bar& b : row.bars) {
      if (!valid(b) || b.end < x_lo || b.start > x_hi) continue;
      double x0 = xs(std::max(b.start, x_lo));
      const double x1 = xs(std::min(b.end, x_hi));
      const double bw = std::max(1.0, x1 - x0);
      x0 = std::min(x0, pw - bw);
      const std::string cat =
          b.category < categories.size() ? categories[b.category].name : std::string("?");
      const std::string tip =
          !b.tooltip.empty()
              ? b.tooltip
              : row.label + ": " + cat + ", " + time_text(b.start) + " \u2013 " + time_text(b.end);
      o += "<rect" + attr("x", left + x0) + attr("y", row_top + pitch * 0.15) + attr("width", bw) +
           attr("height", std::max(1.0, pitch * 0.7)) + " fill=\"" + escape(colour_of(b.category)) +
           "\"><title>" + escape(tip) + "</title></rect>\n";
    }
  }
  const double legend_y = top + ph + 40 + 12;
  draw_legend(o, legend, size.w, legend_y);
  draw_notes(o, notes, legend_y + legend_rows(legend, size.w) * legend_row + 4);
  o += "</svg>\n";
  return o;
}

} // namespace sim::reports::svg
