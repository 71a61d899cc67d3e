#include "reports/svg.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <initializer_list>
#include <stdexcept>
#include <tuple>
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
  bool box = false;  ///< a filled square (timeline category) instead of a line
  std::string dash{}; ///< a stroke-dasharray other than dashed's "6 3"
  std::optional<std::size_t> marker{};
};

/// Point markers: 8 shapes, r = 3.5 px. 0-4 filled (circle, square, triangle, diamond,
/// triangle down) with a white outline, 5-6 stroked (plus, cross), 7 an open circle.
constexpr double marker_r = 3.5;

void marker_shape(std::string& d, std::size_t shape, double x, double y) {
  const double r = marker_r;
  const auto P = [](double v) { return px(v); };
  switch (shape % 8) {
  case 0:
  case 7:
    d += "M" + P(x - r) + " " + P(y) + "a" + P(r) + " " + P(r) + " 0 1 0 " + P(2 * r) + " 0a" + P(r) + " " +
         P(r) + " 0 1 0 " + P(-2 * r) + " 0Z";
    break;
  case 1:
    d += "M" + P(x - 0.9 * r) + " " + P(y - 0.9 * r) + "h" + P(1.8 * r) + "v" + P(1.8 * r) + "h" + P(-1.8 * r) + "Z";
    break;
  case 2:
    d += "M" + P(x) + " " + P(y - 1.15 * r) + "L" + P(x + r) + " " + P(y + 0.75 * r) + "L" + P(x - r) + " " +
         P(y + 0.75 * r) + "Z";
    break;
  case 3:
    d += "M" + P(x) + " " + P(y - 1.2 * r) + "L" + P(x + 1.2 * r) + " " + P(y) + "L" + P(x) + " " + P(y + 1.2 * r) +
         "L" + P(x - 1.2 * r) + " " + P(y) + "Z";
    break;
  case 4:
    d += "M" + P(x) + " " + P(y + 1.15 * r) + "L" + P(x + r) + " " + P(y - 0.75 * r) + "L" + P(x - r) + " " +
         P(y - 0.75 * r) + "Z";
    break;
  case 5:
    d += "M" + P(x - r) + " " + P(y) + "h" + P(2 * r) + "M" + P(x) + " " + P(y - r) + "v" + P(2 * r);
    break;
  default:
    d += "M" + P(x - r) + " " + P(y - r) + "l" + P(2 * r) + " " + P(2 * r) + "M" + P(x - r) + " " + P(y + r) + "l" +
         P(2 * r) + " " + P(-2 * r);
    break;
  }
}

/// Presentation attributes of a marker path of this shape and colour (already escaped).
std::string marker_style(std::size_t shape, const std::string& c) {
  switch (shape % 8) {
  case 5:
  case 6: return " fill=\"none\" stroke=\"" + c + "\" stroke-width=\"1.5\"";
  case 7: return " fill=\"#ffffff\" stroke=\"" + c + "\" stroke-width=\"1.5\"";
  default: return " fill=\"" + c + "\" stroke=\"#ffffff\" stroke-width=\"0.75\"";
  }
}

std::string dash_attr(bool dashed, const std::string& dash) {
  if (!dash.empty()) return " stroke-dasharray=\"" + escape(dash) + "\"";
  return dashed ? " stroke-dasharray=\"6 3\"" : "";
}

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
           "\" stroke-width=\"2\"" + dash_attr(it.dashed, it.dash) + "/>\n";
      if (it.marker) {
        std::string d;
        marker_shape(d, *it.marker, x + 9, y);
        o += "<path d=\"" + d + "\"" + marker_style(*it.marker, c) + "/>\n";
      }
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
  if (a.unit.empty() || a.unit == "s" || !a.categories.empty()) return a.label;
  if (a.label.empty()) return a.unit;
  return a.label + " (" + a.unit + ")";
}

/// Tick labels of an axis: seconds, or plain numbers with enough digits to tell the ticks apart.
/// Category names shortened to fit `room` px each: as they are when they fit, else without
/// the prefix they all share ("…5ms}" and "…6ms}" for two laws that differ in their mean),
/// cut with "…" at the end if still too long.
std::vector<std::string> fit_labels(const std::vector<std::string>& names, double room) {
  const auto most = static_cast<std::size_t>(std::max(4.0, std::floor((room - 8) / char_width)));
  bool fits = true;
  for (const std::string& n : names)
    fits = fits && text_width(n) <= static_cast<double>(most) * char_width;
  if (fits) return names;
  std::size_t common = names.empty() ? 0 : names.front().size();
  for (const std::string& n : names) {
    std::size_t k = 0;
    while (k < common && k < n.size() && n[k] == names.front()[k])
      ++k;
    common = k;
  }
  while (common > 0 && (static_cast<unsigned char>(names.front()[common]) & 0xC0) == 0x80)
    --common; // a UTF-8 boundary
  std::vector<std::string> out;
  for (const std::string& n : names)
    out.push_back(cut(common >= 4 && common < n.size() ? "\u2026" + n.substr(common) : n, most));
  return out;
}

std::vector<std::string> tick_labels(const Axis& a, const std::vector<double>& ticks) {
  std::vector<std::string> out;
  if (!a.categories.empty()) { // what resolve() did not label (no room given): 16 bytes
    for (const double t : ticks) {
      const auto i = static_cast<std::size_t>(std::llround(std::max(0.0, t)));
      out.push_back(i < a.categories.size() ? cut(a.categories[i], 16) : "");
    }
    return out;
  }
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
  std::vector<std::string> labels; ///< a categorical axis' tick labels
};

bool usable(const Axis& a, double v) { return std::isfinite(v) && (!a.log || v > 0); }

/// The drawn range and ticks of an axis from the data range [lo, hi] (lo > hi: no data);
/// `length` is the axis length in px (categorical axes label as many categories as fit).
Range resolve(const Axis& a, double lo, double hi, int target, double length = 0) {
  if (!a.categories.empty()) {
    // Every category labelled when a label of 6 characters fits its share of the axis, else
    // every stride-th; the labels get the room of stride categories.
    const std::size_t k = a.categories.size();
    const double share = length > 0 ? length / static_cast<double>(k) : 16 * char_width + 8;
    const auto stride = static_cast<std::size_t>(std::max(1.0, std::ceil((6 * char_width + 8) / std::max(share, 1.0))));
    Range r{-0.5, static_cast<double>(k) - 0.5, {}, {}};
    const std::vector<std::string> labels = fit_labels(a.categories, share * static_cast<double>(stride));
    for (std::size_t i = 0; i < k; i += stride) {
      r.ticks.push_back(static_cast<double>(i));
      r.labels.push_back(labels[i]);
    }
    return r;
  }
  const bool fixed_lo = a.min && usable(a, *a.min), fixed_hi = a.max && usable(a, *a.max);
  if (fixed_lo) lo = *a.min;
  if (fixed_hi) hi = *a.max;
  if (lo > hi) {
    if (fixed_lo && fixed_hi) std::swap(lo, hi);
    else if (fixed_lo) hi = lo;
    else lo = hi;
  }
  const double data_lo = lo, data_hi = hi;
  if (!a.log && !fixed_lo && !fixed_hi) {
    if (a.zero == Zero::include) {
      lo = std::min(lo, 0.0);
      hi = std::max(hi, 0.0);
    } else if (a.zero == Zero::automatic) {
      std::tie(lo, hi) = fit_range(lo, hi);
    }
    if (a.zero != Zero::fit && lo == 0 && hi == 0) hi = 1; // all zero: 0 at the bottom
  }
  if (lo == hi && !a.log) {
    const double d = lo == 0 ? 1 : std::fabs(lo) / 2;
    if (!fixed_lo) lo -= d;
    if (!fixed_hi || fixed_lo) hi += d;
  }
  std::vector<double> ticks = a.log           ? log_ticks(lo, hi)
                              : a.unit == "s" ? time_ticks(lo, hi, target)
                                              : nice_ticks(lo, hi, target);
  Range r{lo, hi, {}, {}};
  if (!ticks.empty()) {
    if (!fixed_lo) r.lo = std::min(r.lo, ticks.front());
    if (!fixed_hi) r.hi = std::max(r.hi, ticks.back());
  }
  // Hard limits (a fraction's 0 and 1) stop the padding and the widening, not the data.
  if (!fixed_lo && a.lowest && usable(a, *a.lowest)) r.lo = std::max(r.lo, std::min(*a.lowest, data_lo));
  if (!fixed_hi && a.highest && usable(a, *a.highest)) r.hi = std::min(r.hi, std::max(*a.highest, data_hi));
  if (r.lo == r.hi) r.hi = a.log ? r.lo * 10 : r.lo + 1;
  const double eps = 1e-9 * (r.hi - r.lo);
  for (const double t : ticks) {
    const bool inside = a.log ? t >= r.lo * (1 - 1e-9) && t <= r.hi * (1 + 1e-9)
                              : t >= r.lo - eps && t <= r.hi + eps;
    if (inside) r.ticks.push_back(t);
  }
  return r;
}

/// A note's lines (split at '\n'; empty lines dropped).
std::vector<std::string> note_lines(const std::string& note) {
  std::vector<std::string> out;
  std::size_t from = 0;
  while (from <= note.size()) {
    const std::size_t nl = std::min(note.find('\n', from), note.size());
    if (nl > from) out.push_back(note.substr(from, nl - from));
    from = nl + 1;
  }
  return out;
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
               const std::vector<double>& yt, double y_title_x,
               const std::vector<std::string>* x_labels = nullptr) {
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
  const std::vector<std::string> xl = x_labels != nullptr && x_labels->size() == xt.size() ? *x_labels : tick_labels(xa, xt);
  const std::vector<std::string> yl = tick_labels(ya, yt);
  for (std::size_t i = 0; i < xt.size(); ++i) {
    const auto k = static_cast<std::size_t>(std::llround(std::max(0.0, xt[i])));
    if (!xa.categories.empty() && k < xa.categories.size() && xl[i] != xa.categories[k])
      o += "<text" + attr("x", left + xs(xt[i])) + attr("y", bottom + 16) + " text-anchor=\"middle\">" +
           escape(xl[i]) + "<title>" + escape(xa.categories[k]) + "</title></text>\n";
    else text(o, left + xs(xt[i]), bottom + 16, xl[i], " text-anchor=\"middle\"");
  }
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

std::string format_seconds_short(double seconds) { return format_seconds(seconds, 3); }

std::string format_seconds(double seconds, int significant) {
  if (!std::isfinite(seconds)) return "n/a";
  if (seconds == 0) return "0 s";
  if (seconds < 0) return "-" + format_seconds(-seconds, significant);
  const int sig = std::clamp(significant, 1, 15);
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
  double r = round_sig(seconds / units[u].scale, sig);
  // 999.9 µs rounds to 1000 µs: say 1 ms instead (likewise 59.99 s -> 1 min).
  if (u + 1 < units.size() && r >= units[u].next) {
    ++u;
    r = round_sig(seconds / units[u].scale, sig);
  }
  return fixed_sig(r, sig) + " " + units[u].name;
}

std::string format_estimate(double mean, double low, double high, std::string_view unit) {
  if (std::isnan(mean)) return "";
  const bool seconds = unit == "s";
  if (!std::isfinite(low) || !std::isfinite(high)) return seconds ? format_seconds(mean, 3) : format_number(mean, 4);
  const double half = (high - low) / 2;
  const double big = std::max({std::fabs(mean), std::fabs(low), std::fabs(high)});
  // Each number in its own notation, to the half-width's first significant digit (3 to 10
  // significant digits): for tiny or huge values, and where fixed decimals would lose one.
  const auto each = [&] {
    const auto sig = [&](double v) {
      if (!(half > 0) || v == 0) return 3;
      const double d = std::floor(std::log10(std::fabs(v))) - std::floor(std::log10(half)) + 1;
      return static_cast<int>(std::clamp(d, 3.0, 10.0));
    };
    const auto one = [&](double v) { return seconds ? format_seconds(v, sig(v)) : format_number(v, sig(v)); };
    return one(mean) + " [" + one(low) + ", " + one(high) + "]";
  };
  if (!seconds && big != 0 && (big < 1e-3 || big >= 1e6)) return each();
  // Fixed: the same decimals for the three, to the half-width's first significant digit and
  // at least 2 significant digits of the mean; seconds in the mean's unit (ns .. d).
  double scale = 1;
  std::string suffix;
  if (seconds) {
    static constexpr std::array<std::pair<double, const char*>, 7> units{
        {{86400, "d"}, {3600, "h"}, {60, "min"}, {1, "s"}, {1e-3, "ms"}, {1e-6, "\u00B5s"}, {1e-9, "ns"}}};
    const double ref = mean != 0 ? std::fabs(mean) : big;
    scale = 1e-9;
    suffix = " ns";
    for (const auto& [factor, name] : units)
      if (ref >= factor * (1 - 1e-12)) {
        scale = factor;
        suffix = std::string(" ") + name;
        break;
      }
    if (ref == 0) {
      scale = 1;
      suffix = " s";
    }
  }
  const double m = mean / scale, h = half / scale;
  double decimals = 0;
  if (h > 0) decimals = std::max(decimals, -std::floor(std::log10(h)));
  if (m != 0) decimals = std::max(decimals, 1 - std::floor(std::log10(std::fabs(m))));
  if (!(h > 0) && m != 0) { // no width (a constant): the mean's own digits, as format_number's 4
    const std::string own = fixed_sig(round_sig(m, 4), 4);
    const std::size_t dot = own.find('.');
    decimals = dot == std::string::npos ? 0 : static_cast<double>(own.size() - dot - 1);
  }
  const int places = static_cast<int>(std::clamp(decimals, 0.0, 12.0));
  for (const double v : {low, high})  // a bound that would read 0 (1e-6 next to 0.01)
    if (v != 0 && std::fabs(v / scale) < 0.5 * std::pow(10.0, -places)) return each();
  const auto fixed = [&](double v) {
    std::string t = chars(v / scale, std::chars_format::fixed, places);
    if (t.front() == '-' && t.find_first_not_of("-0.") == std::string::npos) t.erase(0, 1); // no -0.00
    return t;
  };
  return fixed(mean) + " [" + fixed(low) + ", " + fixed(high) + "]" + suffix;
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

// ---- axis fitting ----------------------------------------------------------------------------

std::pair<double, double> fit_range(double lo, double hi) {
  if (!std::isfinite(lo) || !std::isfinite(hi) || lo > hi) return {lo, hi};
  if (lo <= 0 && hi >= 0) return {lo, hi};            // holds 0 already
  if (lo == hi) return lo > 0 ? std::pair{0.0, hi} : std::pair{lo, 0.0}; // constant: from 0
  if (lo > 0 && lo <= hi / 3) return {0.0, hi};       // near 0: keep the baseline
  if (hi < 0 && hi >= lo / 3) return {lo, 0.0};
  const double pad = 0.05 * (hi - lo);                // far from 0: fit, padded
  return {lo > 0 ? std::max(0.0, lo - pad) : lo - pad, hi < 0 ? std::min(0.0, hi + pad) : hi + pad};
}

// ---- data ------------------------------------------------------------------------------------

std::vector<std::size_t> downsample_indices(std::span<const Point> points, std::size_t max_points,
                                            bool keep_gaps) {
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
  const std::size_t buckets = (max_points - 2) / (keep_gaps ? 3 : 2), inner = n - 2;
  for (std::size_t b = 0; b < buckets; ++b) {
    const std::size_t begin = 1 + inner * b / buckets, end = 1 + inner * (b + 1) / buckets;
    std::size_t lo = end, hi = end, gap = end;
    for (std::size_t i = begin; i < end; ++i) {
      const double y = points[i].y;
      if (std::isnan(y)) {
        if (gap == end) gap = i;
        continue;
      }
      if (lo == end || y < points[lo].y) lo = i;
      if (hi == end || y > points[hi].y) hi = i;
    }
    std::array<std::size_t, 3> picked{lo, hi, keep_gaps ? gap : end};
    std::sort(picked.begin(), picked.end());
    for (std::size_t k = 0; k < picked.size(); ++k)
      if (picked[k] != end && (k == 0 || picked[k] != picked[k - 1])) out.push_back(picked[k]);
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

namespace {

bool same_points(const std::vector<Point>& a, const std::vector<Point>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const bool ny = std::isnan(a[i].y) && std::isnan(b[i].y);
    if (a[i].x != b[i].x || (!ny && a[i].y != b[i].y)) return false;
  }
  return true;
}

/// Runs of consecutive indices in [0, n) for which ok(i) holds.
template <class Ok>
std::vector<std::pair<std::size_t, std::size_t>> runs(std::size_t n, Ok ok) {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  for (std::size_t i = 0; i < n;) {
    if (!ok(i)) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < n && ok(j))
      ++j;
    out.emplace_back(i, j);
    i = j;
  }
  return out;
}

/// The y (px) of a drawn line at pixel x, or NaN where it has none (outside its x range, in a
/// gap): linear between neighbours, or the left neighbour's for a step line.
double line_y_at(const std::vector<Point>& p, double x, bool step) {
  if (p.empty() || x < p.front().x || x > p.back().x) return std::nan("");
  const auto it = std::upper_bound(p.begin(), p.end(), x, [](double v, const Point& q) { return v < q.x; });
  const auto right = static_cast<std::size_t>(it - p.begin()); // >= 1: x >= p.front().x
  const Point& a = p[right - 1];
  if (std::isnan(a.y) || right == p.size()) return a.y; // in a gap, or at the last point
  const Point& b = p[right];
  if (std::isnan(b.y)) return std::nan(""); // the line stops at a
  if (step || b.x == a.x) return a.y;
  return a.y + (b.y - a.y) * (x - a.x) / (b.x - a.x);
}

} // namespace

std::string LineChart::render(int width, int height) const {
  const Size size = clamp_size(width, height);
  std::vector<std::string> notes = note_lines(note);
  Axis xa = x;
  if (!xa.categories.empty()) {
    xa.log = false;
    xa.unit.clear();
    xa.zero = Zero::fit;
  }

  // What to draw of each series: usable points (pixel-independent), downsampled. A NaN y in a
  // series with gaps stays, as a gap.
  struct Drawn {
    std::vector<Point> points;
    std::vector<std::pair<double, double>> band;  // parallel to points when has_band
    std::vector<std::pair<double, double>> xband; // parallel to points when has_xband
    bool has_band = false, has_xband = false;
    std::size_t values = 0; // points that are not gaps
  };
  std::vector<Drawn> drawn(series.size());
  std::uint64_t total = 0, skipped = 0, shown = 0, gaps = 0;
  bool thinned = false;
  double x_lo = INFINITY, x_hi = -INFINITY, y_lo = INFINITY, y_hi = -INFINITY;
  const auto grow_x = [&](double v) {
    x_lo = std::min(x_lo, v);
    x_hi = std::max(x_hi, v);
  };
  const auto grow_y = [&](double v) {
    y_lo = std::min(y_lo, v);
    y_hi = std::max(y_hi, v);
  };
  for (std::size_t s = 0; s < series.size(); ++s) {
    const Series& se = series[s];
    const std::size_t n = se.points.size();
    const bool band = n > 0 && se.band_lower.size() == n && se.band_upper.size() == n;
    const bool xband = n > 0 && se.xband_lower.size() == n && se.xband_upper.size() == n;
    std::vector<Point> ok;
    std::vector<std::size_t> from;
    for (std::size_t i = 0; i < n; ++i) {
      const Point& p = se.points[i];
      ++total;
      const bool gap = se.gaps && std::isnan(p.y) && usable(xa, p.x);
      if (!gap && (!usable(xa, p.x) || !usable(y, p.y))) {
        ++skipped;
        continue;
      }
      gaps += gap ? 1 : 0;
      ok.push_back(p);
      from.push_back(i);
    }
    const std::vector<std::size_t> keep =
        downsample_indices(ok, std::max<std::size_t>(max_points, 2), se.gaps);
    thinned = thinned || keep.size() < ok.size();
    Drawn& d = drawn[s];
    d.has_band = band;
    d.has_xband = xband;
    for (const std::size_t k : keep) {
      d.points.push_back(ok[k]);
      if (band) d.band.emplace_back(se.band_lower[from[k]], se.band_upper[from[k]]);
      if (xband) d.xband.emplace_back(se.xband_lower[from[k]], se.xband_upper[from[k]]);
      d.values += std::isnan(ok[k].y) ? 0 : 1;
    }
    shown += d.values;
    for (std::size_t k = 0; k < ok.size(); ++k) {
      grow_x(ok[k].x);
      if (!std::isnan(ok[k].y)) grow_y(ok[k].y);
      if (std::isnan(ok[k].y)) continue;
      if (band)
        for (const double v : {se.band_lower[from[k]], se.band_upper[from[k]]})
          if (usable(y, v)) grow_y(v);
      if (xband)
        for (const double v : {se.xband_lower[from[k]], se.xband_upper[from[k]]})
          if (usable(xa, v)) grow_x(v);
    }
  }
  if (thinned)
    notes.push_back("downsampled: " + format_count(shown) + " of " +
                    format_count(total - skipped - gaps) + " points shown");
  if (skipped > 0)
    notes.push_back(format_count(skipped) + (skipped == 1 ? " point" : " points") +
                    " not shown (not finite" +
                    (xa.log || y.log ? ", or \u2264 0 on a log axis)" : ")"));
  if (shown == 0) return no_data(size, title, top_margin(title), notes);

  // A series drawn exactly over an earlier one is named (its markers tell them apart).
  std::size_t identical = 0;
  for (std::size_t s = 1; s < series.size(); ++s)
    for (std::size_t t = 0; t < s; ++t)
      if (drawn[s].values > 0 && series[s].step == series[t].step &&
          same_points(drawn[s].points, drawn[t].points)) {
        if (++identical <= 4)
          notes.push_back(series[s].name + ": identical to " + series[t].name + " (drawn over it)");
        break;
      }
  if (identical > 4) notes.push_back("and " + format_count(identical - 4) + " more identical series");
  if (dodge != 0 && series.size() > 1)
    notes.push_back("series moved sideways by " + px(std::fabs(dodge)) +
                    " px each so that their intervals do not hide each other");

  std::size_t with_values = 0;
  for (const Drawn& d : drawn)
    with_values += d.values > 0 ? 1 : 0;
  const bool marked = markers == Markers::always || (markers == Markers::automatic && with_values >= 2);
  const auto shape = [&](std::size_t s) { return series[s].marker.value_or(s); };

  // Legend and notes below the x axis fix the plot height, the y tick labels its left edge.
  std::vector<LegendItem> legend;
  for (std::size_t s = 0; s < series.size(); ++s) {
    LegendItem item{series[s].name, color(series[s].color.value_or(s)), series[s].dashed,
                    drawn[s].has_band || drawn[s].has_xband, false, series[s].dash, std::nullopt};
    if (marked) item.marker = shape(s);
    legend.push_back(std::move(item));
  }
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
  const Range xr = resolve(xa, x_lo, x_hi, std::clamp(static_cast<int>(pw / 100), 2, 10), pw);
  const Scale xs{xr.lo, xr.hi, pw, xa.log}, ys{yr.lo, yr.hi, ph, y.log};

  std::string o = svg_open(size, title);
  draw_axes(o, left, top, pw, ph, xa, xs, xr.ticks, y, ys, yr.ticks, y_title_x, &xr.labels);
  o += plot_area_open(left, top, pw, ph);
  const double n_series = static_cast<double>(series.size());
  const auto shift = [&](std::size_t s) { return (static_cast<double>(s) - (n_series - 1) / 2) * dodge; };
  // Pixel points of series s (a gap keeps its NaN y).
  const auto pixels = [&](std::size_t s) {
    std::vector<Point> p;
    for (const Point& q : drawn[s].points)
      p.push_back({xs(q.x) + shift(s), std::isnan(q.y) ? q.y : ph - ys(q.y)});
    return p;
  };
  const auto polygon = [&](std::vector<Point> upper, std::vector<Point> lower, bool step, const std::string& c) {
    upper = vertices(upper, step);
    lower = vertices(lower, step);
    upper.insert(upper.end(), lower.rbegin(), lower.rend());
    o += "<path d=\"" + line_path(upper, false) + "Z\" fill=\"" + escape(c) +
         "\" fill-opacity=\"0.2\" stroke=\"none\"/>\n";
  };
  for (std::size_t s = 0; s < series.size(); ++s) {
    const Drawn& d = drawn[s];
    const std::string c = color(series[s].color.value_or(s));
    const std::vector<Point> p = pixels(s);
    if (d.has_band) {
      const auto ok = [&](std::size_t i) {
        return !std::isnan(d.points[i].y) && usable(y, d.band[i].first) && usable(y, d.band[i].second);
      };
      if (series[s].error_bars) {
        std::string w;
        for (std::size_t i = 0; i < p.size(); ++i) {
          if (!ok(i)) continue;
          const double lo = ph - ys(d.band[i].first), hi = ph - ys(d.band[i].second);
          w += "M" + px(p[i].x) + " " + px(lo) + "V" + px(hi) + "M" + px(p[i].x - 4) + " " + px(hi) + "h8M" +
               px(p[i].x - 4) + " " + px(lo) + "h8";
        }
        if (!w.empty())
          o += "<path d=\"" + w + "\" fill=\"none\" stroke=\"" + escape(c) + "\" stroke-width=\"1.2\"/>\n";
      } else {
        for (const auto& [b, e] : runs(p.size(), ok)) {
          if (e - b < 2) continue;
          std::vector<Point> upper, lower;
          for (std::size_t i = b; i < e; ++i) {
            upper.push_back({p[i].x, ph - ys(d.band[i].second)});
            lower.push_back({p[i].x, ph - ys(d.band[i].first)});
          }
          polygon(upper, lower, series[s].step, c);
        }
      }
    }
    if (d.has_xband) {
      const auto ok = [&](std::size_t i) {
        return !std::isnan(d.points[i].y) && usable(xa, d.xband[i].first) && usable(xa, d.xband[i].second);
      };
      for (const auto& [b, e] : runs(p.size(), ok)) {
        if (e - b < 2) continue;
        std::vector<Point> right_edge, left_edge;
        for (std::size_t i = b; i < e; ++i) {
          left_edge.push_back({xs(d.xband[i].first) + shift(s), p[i].y});
          right_edge.push_back({xs(d.xband[i].second) + shift(s), p[i].y});
        }
        polygon(left_edge, right_edge, series[s].step, c);
      }
    }
  }
  std::size_t dashed_seen = 0;
  for (std::size_t s = 0; s < series.size(); ++s) {
    const Drawn& d = drawn[s];
    if (d.values == 0) continue;
    const std::string c = color(series[s].color.value_or(s));
    const std::string tip = "<title>" + escape(series[s].name) + "</title>";
    // Dashed series after the first start their pattern 3 px later each: two dashed lines
    // drawn over each other show both colours.
    const bool dashy = series[s].dashed || !series[s].dash.empty();
    const std::string offset = dashy && dashed_seen % 3 != 0
                                   ? " stroke-dashoffset=\"" + px(3.0 * static_cast<double>(dashed_seen % 3)) + "\""
                                   : "";
    dashed_seen += dashy ? 1 : 0;
    const std::vector<Point> p = pixels(s);
    if (d.values == 1 && p.size() == 1) {
      if (!marked)
        o += "<circle" + attr("cx", p[0].x) + attr("cy", p[0].y) + " r=\"3\" fill=\"" + c + "\">" +
             tip + "</circle>\n";
    } else {
      std::string path, dots;
      for (const auto& [b, e] : runs(p.size(), [&](std::size_t i) { return !std::isnan(p[i].y); })) {
        if (e - b == 1) { // a lone point between gaps
          dots += "<circle" + attr("cx", p[b].x) + attr("cy", p[b].y) + " r=\"1.5\" fill=\"" + c + "\"/>\n";
          continue;
        }
        path += line_path(std::vector<Point>(p.begin() + static_cast<std::ptrdiff_t>(b),
                                             p.begin() + static_cast<std::ptrdiff_t>(e)),
                          series[s].step);
      }
      if (!path.empty())
        o += "<path d=\"" + path + "\" fill=\"none\" stroke=\"" + c +
             "\" stroke-width=\"1.5\" stroke-linejoin=\"round\"" + dash_attr(series[s].dashed, series[s].dash) +
             offset + ">" + tip + "</path>\n";
      o += dots;
    }
    if (!marked) continue;
    std::string m;
    if (d.values <= 12 && !series[s].step) {
      for (const Point& q : p)
        if (!std::isnan(q.y)) marker_shape(m, shape(s), q.x, q.y);
    } else {
      for (int j = 0; j < 8; ++j) {
        const double at = pw * (j + (static_cast<double>(s) + 1) / (n_series + 1)) / 8;
        const double my = line_y_at(p, at, series[s].step);
        if (!std::isnan(my)) marker_shape(m, shape(s), at, my);
      }
    }
    if (!m.empty()) o += "<path d=\"" + m + "\"" + marker_style(shape(s), escape(c)) + ">" + tip + "</path>\n";
  }
  o += "</svg>\n";
  const double legend_y = top + ph + 40 + 12;
  draw_legend(o, legend, size.w, legend_y);
  draw_notes(o, notes, legend_y + legend_rows(legend, size.w) * legend_row + 4);
  o += "</svg>\n";
  return o;
}

// ---- Timeline --------------------------------------------------------------------------------

std::size_t Timeline::category(std::string_view name, std::string_view colour, bool salient) {
  for (std::size_t i = 0; i < categories.size(); ++i)
    if (categories[i].name == name) return i;
  categories.push_back({std::string(name), std::string(colour), salient});
  return categories.size() - 1;
}

std::string Timeline::render(int width, int height) const {
  constexpr std::size_t label_bytes = 32;
  constexpr double auto_pitch = 20;
  const std::size_t n_rows = std::min(rows.size(), max_rows);
  std::vector<std::string> notes = note_lines(note);
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
    // Ordinary bars first, then the salient ones on top, each at least salient_px wide and
    // starting after the previous salient bar's drawn end when its widening would cover it.
    const auto salient = [&](const Bar& b) {
      return b.category < categories.size() && categories[b.category].salient;
    };
    double salient_end = -INFINITY;
    for (const bool pass : {false, true})
      for (const Bar& b : row.bars) {
        if (!valid(b) || b.end < x_lo || b.start > x_hi || salient(b) != pass) continue;
        double x0 = xs(std::max(b.start, x_lo));
        const double x1 = xs(std::min(b.end, x_hi));
        const double bw = std::max(pass ? std::max(1.0, salient_px) : 1.0, x1 - x0);
        if (pass) x0 = std::max(x0, salient_end);
        x0 = std::min(x0, pw - bw);
        if (pass) salient_end = x0 + bw;
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

// ---- HeatMap ---------------------------------------------------------------------------------

std::string viridis(double t) {
  if (std::isnan(t)) return status::inactive;
  // viridis at t = 0, 1/8, ..., 1 (matplotlib's table).
  static constexpr std::array<std::array<double, 3>, 9> stops{{{68, 1, 84},
                                                               {71, 44, 122},
                                                               {59, 81, 139},
                                                               {44, 113, 142},
                                                               {33, 144, 141},
                                                               {39, 173, 129},
                                                               {92, 200, 99},
                                                               {170, 220, 50},
                                                               {253, 231, 37}}};
  t = std::clamp(t, 0.0, 1.0) * 8;
  const auto i = static_cast<std::size_t>(std::min(7.0, std::floor(t)));
  const double f = t - static_cast<double>(i);
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out = "#";
  for (std::size_t k = 0; k < 3; ++k) {
    const auto v = static_cast<int>(std::lround(stops[i][k] + (stops[i + 1][k] - stops[i][k]) * f));
    out += hex[v / 16];
    out += hex[v % 16];
  }
  return out;
}

std::string HeatMap::render(int width, int height) const {
  constexpr std::size_t label_bytes = 20;
  std::vector<std::string> notes = note_lines(note);
  const std::size_t nc = columns.size(), nr = rows.size();
  const double top = top_margin(title);
  if (nc == 0 || nr == 0 || values.size() != nc * nr)
    return no_data(clamp_size(width, height > 0 ? height : 160), title, top, notes);
  double lo = INFINITY, hi = -INFINITY;
  for (const double v : values)
    if (std::isfinite(v)) {
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
  const bool any = lo <= hi;
  const bool log = any && lo > 0 && hi / lo >= 100;
  const auto fraction = [&](double v) {
    if (!std::isfinite(v) || !any) return std::nan("");
    if (hi == lo) return 0.5;
    return log ? (std::log10(v) - std::log10(lo)) / (std::log10(hi) - std::log10(lo)) : (v - lo) / (hi - lo);
  };
  const auto value_text = [&](double v) {
    return !std::isfinite(v) ? std::string("n/a") : unit == "s" ? format_seconds_short(v) : format_number(v, 3);
  };
  const auto scale_value = [&](double f) { // the value at fraction f of the colour scale
    return log ? std::pow(10.0, std::log10(lo) + f * (std::log10(hi) - std::log10(lo))) : lo + f * (hi - lo);
  };

  // Layout: row labels on the left, column labels under the cells, the x title, the colour
  // legend (a row of boxes, its labels under them), the notes.
  const std::vector<std::string> row_labels = fit_labels(rows, static_cast<double>(label_bytes) * char_width + 8);
  double row_w = text_width(y_label);
  for (const std::string& r : row_labels)
    row_w = std::max(row_w, text_width(r));
  const double w = clamp_size(width, 0).w;
  const double left = std::ceil(std::min(12 + row_w + 8, w / 2)), right = 24;
  const double pw = std::max(20.0, w - left - right), cw = pw / static_cast<double>(nc);
  const double legend_h = 14 + 16 + 8;
  const double bottom = 20 + 18 + legend_h + static_cast<double>(notes.size()) * note_row + 6;
  const Size size = clamp_size(
      width, height > 0 ? height : static_cast<int>(std::ceil(top + 16 + static_cast<double>(nr) * 30 + bottom)));
  const double ph = std::max(20.0, size.h - top - 16 - bottom), ch = ph / static_cast<double>(nr);
  const double grid_top = top + 16; // the y title's line

  std::string o = svg_open(size, title);
  if (!y_label.empty()) text(o, left - 6, top + 10, y_label, " text-anchor=\"end\" font-weight=\"bold\"");
  for (std::size_t r = 0; r < nr; ++r) {
    const double y0 = grid_top + static_cast<double>(r) * ch;
    const std::string& shown = row_labels[r];
    o += "<text" + attr("x", left - 6) + attr("y", y0 + ch / 2 + 4) + " text-anchor=\"end\">" + escape(shown);
    if (shown != rows[r]) o += "<title>" + escape(rows[r]) + "</title>";
    o += "</text>\n";
    for (std::size_t c = 0; c < nc; ++c) {
      const double v = values[r * nc + c];
      const double x0 = left + static_cast<double>(c) * cw;
      const double f = fraction(v);
      const std::string fill = std::isnan(f) ? "#eeeeee" : viridis(f);
      const std::string tip = r * nc + c < tooltips.size() && !tooltips[r * nc + c].empty()
                                  ? tooltips[r * nc + c]
                                  : rows[r] + ", " + columns[c] + ": " + value_text(v);
      o += "<rect" + attr("x", x0) + attr("y", y0) + attr("width", cw) + attr("height", ch) + " fill=\"" +
           escape(fill) + "\" stroke=\"#ffffff\"><title>" + escape(tip) + "</title></rect>\n";
      const std::string label = value_text(v);
      if (text_width(label) + 6 <= cw && ch >= 14) {
        const bool dark = !std::isnan(f) && f < 0.6; // viridis is dark below ~0.6
        o += "<text" + attr("x", x0 + cw / 2) + attr("y", y0 + ch / 2 + 4) + " text-anchor=\"middle\" fill=\"" +
             (dark ? "#ffffff" : "#222222") + "\" pointer-events=\"none\">" + escape(label) + "</text>\n";
      }
    }
  }
  const double below = grid_top + ph;
  const auto column_stride = static_cast<std::size_t>(std::max(1.0, std::ceil((4 * char_width + 8) / cw)));
  const std::vector<std::string> column_labels = fit_labels(columns, cw * static_cast<double>(column_stride));
  for (std::size_t c = 0; c < nc; c += column_stride) {
    const std::string& shown = column_labels[c];
    o += "<text" + attr("x", left + (static_cast<double>(c) + 0.5) * cw) + attr("y", below + 14) +
         " text-anchor=\"middle\">" + escape(shown);
    if (shown != columns[c]) o += "<title>" + escape(columns[c]) + "</title>";
    o += "</text>\n";
  }
  if (!x_label.empty()) text(o, left + pw / 2, below + 32, x_label, " text-anchor=\"middle\" font-weight=\"bold\"");
  // The colour legend: 10 boxes from the smallest to the largest value.
  const double ly = below + 20 + 18, box = std::min(24.0, (w - 2 * legend_left) / 14);
  std::string scale_name = log ? "colour: log scale" : "colour: linear scale";
  if (unit != "s" && !unit.empty()) scale_name += " (" + unit + ")";
  text(o, legend_left, ly + 11, scale_name);
  const double lx = legend_left + text_width(scale_name) + 10;
  for (int k = 0; k < 10; ++k)
    o += "<rect" + attr("x", lx + k * box) + attr("y", ly) + attr("width", box) + " height=\"14\" fill=\"" +
         viridis((k + 0.5) / 10) + "\"/>\n";
  if (any) {
    text(o, lx, ly + 14 + 12, value_text(lo), " text-anchor=\"start\"");
    text(o, lx + 5 * box, ly + 14 + 12, value_text(scale_value(0.5)), " text-anchor=\"middle\"");
    text(o, lx + 10 * box, ly + 14 + 12, value_text(hi), " text-anchor=\"end\"");
  }
  const double nx = lx + 10 * box + 16;
  o += "<rect" + attr("x", nx) + attr("y", ly) + " width=\"14\" height=\"14\" fill=\"#eeeeee\" stroke=\"#cccccc\"/>\n";
  text(o, nx + 18, ly + 11, "no value");
  draw_notes(o, notes, ly + legend_h + 4);
  o += "</svg>\n";
  return o;
}

} // namespace sim::reports::svg
