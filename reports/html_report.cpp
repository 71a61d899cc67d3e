#include "reports/html_report.hpp"

#include "reports/run_files.hpp"
#include "reports/svg.hpp"
#include "sim/base/event_detail.hpp"
#include "sim/metrics/intervals.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <map>
#include <ostream>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace sim::reports {

namespace {

namespace fs = std::filesystem;
using svg::escape;

/// A run directory as the report reads it: where the per-run files are (the directory, or its
/// first replication), its meta.csv, and the replication directories its bands read.
struct Run {
  fs::path dir;
  fs::path data;       // dir, or dir/rep-001 for a run with replications
  bool from_replication = false;
  std::map<std::string, std::string> meta;
  std::string label;   // "run" or "other"
  std::uint64_t replications = 1;       // meta.csv's count
  std::vector<fs::path> band_dirs;      // rep-001 .. rep-K (K <= max_band_replications) when replicated
  std::map<std::string, std::string> lun_names;  // provider object name -> scenario name (luns.csv)
};

std::string rep_name(std::uint64_t index) {  // 1-based, as the runner names them
  char name[32];
  std::snprintf(name, sizeof name, "rep-%03llu", static_cast<unsigned long long>(index));
  return name;
}

std::optional<metrics::CsvTable> optional_table(const fs::path& file, const std::vector<std::string>& required) {
  if (!fs::exists(file)) return std::nullopt;
  return read_table(file, required);
}

Run open_run(const fs::path& dir, std::string label, const HtmlReportOptions& o) {
  if (!fs::is_directory(dir)) throw InputError(dir.string() + ": no such run directory");
  Run r;
  r.dir = dir;
  r.data = dir;
  r.label = std::move(label);
  const auto meta = read_table(dir / "meta.csv", {"key", "value"});
  for (const auto& row : meta.rows) r.meta[row[*meta.column("key")]] = row[*meta.column("value")];
  if (!r.meta.contains("csv_schema")) throw InputError((dir / "meta.csv").string() + ": no csv_schema row");
  read_table(dir / "summary.csv", {"metric", "unit", "n", "mean"});  // required, checked here
  if (const auto it = r.meta.find("replications"); it != r.meta.end() && !it->second.empty())
    r.replications = count(dir / "meta.csv", 0, "replications", it->second);
  if (!fs::exists(dir / "ops.csv") && fs::is_directory(dir / rep_name(1))) {
    r.data = dir / rep_name(1);
    r.from_replication = true;
    for (std::uint64_t k = 1; k <= r.replications && r.band_dirs.size() < o.max_band_replications; ++k) {
      if (!fs::is_directory(dir / rep_name(k))) break;
      r.band_dirs.push_back(dir / rep_name(k));
    }
  }
  if (const auto t = optional_table(r.data / "luns.csv", {"lun", "object"}))
    for (std::size_t i = 0; i < t->rows.size(); ++i)
      r.lun_names.emplace(t->at(i, "object"), t->at(i, "lun"));
  return r;
}

std::string meta_or(const Run& r, const std::string& key, const std::string& fallback = "") {
  const auto it = r.meta.find(key);
  return it == r.meta.end() || it->second.empty() ? fallback : it->second;
}

double meta_number(const Run& r, const std::string& key) {
  const auto it = r.meta.find(key);
  if (it == r.meta.end() || it->second.empty()) return std::nan("");
  return number(r.dir / "meta.csv", 0, key, it->second);
}

/// The chart's `<figure>`; `attributes` are more (already escaped) attributes.
std::string figure(const std::string& name, const std::string& chart, const std::string& attributes = "") {
  return "<figure class=\"chart\" data-chart=\"" + escape(name) + "\"" + attributes + ">" + chart + "</figure>\n";
}

std::string data_attribute(const std::string& name, const std::string& value) {
  return " data-" + name + "=\"" + escape(value) + "\"";
}

/// What a chart of per-replication data says about where its data come from.
std::string replication_title(const Run& r) { return r.from_replication ? " (replication 1)" : ""; }

/// "min–max over replications 1–K" (and "of N" when the cap left some out).
std::string band_words(const Run& r) {
  std::string s = "min\u2013max over replications 1\u2013" + std::to_string(r.band_dirs.size());
  if (r.band_dirs.size() < r.replications) s += " (of " + std::to_string(r.replications) + ")";
  return s;
}

bool has_bands(const Run& r) { return r.band_dirs.size() >= 2; }

/// Per series key and x, the smallest and largest value over the replications' files
/// (rep-001 .. rep-K): the bands of per-replication charts. `visit(table, file, row, add)` calls
/// add(key, x, value) for each value of a row; NaN values are ignored.
using Spread = std::map<std::string, std::map<double, std::pair<double, double>>>;
template <class Visit>
Spread spread(const Run& r, const std::string& name, const std::vector<std::string>& required, Visit visit) {
  Spread out;
  if (!has_bands(r)) return out;
  for (const fs::path& dir : r.band_dirs) {
    const auto t = optional_table(dir / name, required);
    if (!t) continue;
    const auto add = [&](const std::string& key, double x, double v) {
      if (std::isnan(v)) return;
      auto [it, fresh] = out[key].try_emplace(x, v, v);
      if (!fresh) {
        it->second.first = std::min(it->second.first, v);
        it->second.second = std::max(it->second.second, v);
      }
    };
    for (std::size_t i = 0; i < t->rows.size(); ++i) visit(*t, dir / name, i, add);
  }
  return out;
}

/// The band of a series from a Spread: lower and upper bound at each point's x (NaN where no
/// replication has a value there).
void set_band(svg::Series& s, const Spread& sp, const std::string& key) {
  const auto it = sp.find(key);
  if (it == sp.end()) return;
  for (const svg::Point& p : s.points) {
    const auto at = it->second.find(p.x);
    s.band_lower.push_back(at == it->second.end() ? std::nan("") : at->second.first);
    s.band_upper.push_back(at == it->second.end() ? std::nan("") : at->second.second);
  }
}

/// A y axis on a log scale when the values span more than two decades (latency: a fail-over
/// stall of seconds over requests of a millisecond), else linear by the baseline rule.
svg::Axis value_axis(std::string label, std::string unit, const std::vector<svg::Series>& series) {
  double lo = INFINITY, hi = -INFINITY;
  for (const svg::Series& s : series)
    for (const svg::Point& p : s.points)
      if (std::isfinite(p.y)) {
        lo = std::min(lo, p.y);
        hi = std::max(hi, p.y);
      }
  svg::Axis a{.label = std::move(label), .unit = std::move(unit), .zero = svg::Zero::automatic};
  a.log = lo > 0 && hi / lo > 100;
  return a;
}

// ---- run header ----------------------------------------------------------------------------

std::string run_table(const Run& r) {
  std::string out = "<table class=\"meta\"><caption>" + escape(r.label) + ": " + escape(r.dir.string()) + "</caption>\n";
  auto row = [&](const char* k, const std::string& v) { out += "<tr><th>" + std::string(k) + "</th><td>" + escape(v) + "</td></tr>\n"; };
  row("scenario", meta_or(r, "scenario_name"));
  row("file", meta_or(r, "scenario_file"));
  row("seed", meta_or(r, "seed"));
  row("replications", meta_or(r, "replications", "1"));
  row("simulated end", svg::format_seconds_short(meta_number(r, "sim_end_s")));
  row("events", meta_or(r, "events_processed"));
  row("lunsim", meta_or(r, "lunsim_version") + " (" + meta_or(r, "git_revision", "unknown revision") + ")");
  if (r.from_replication) {
    row("per-run charts", "replication 1 (rep-001) of " + meta_or(r, "replications"));
    if (has_bands(r)) row("bands", band_words(r) + " at each point");
  }
  return out + "</table>\n";
}

// ---- latency ---------------------------------------------------------------------------------

struct CdfKey {
  std::string group;  // "read", "write", "op"
  std::string name;   // series name
  friend auto operator<=>(const CdfKey&, const CdfKey&) = default;
};

std::map<CdfKey, std::vector<svg::Point>> latency_series(const fs::path& dir) {
  std::map<CdfKey, std::vector<svg::Point>> out;
  const fs::path file = dir / "latency.csv";
  const auto t = optional_table(file, {"source", "load", "target", "kind", "quantile", "latency_s"});
  if (!t) return out;
  for (std::size_t i = 0; i < t->rows.size(); ++i) {
    const auto at = [&](const char* c) -> const std::string& { return t->rows[i][*t->column(c)]; };
    const std::string& source = at("source");
    CdfKey key;
    if (source == "io") {
      key.group = at("kind");
      key.name = at("load") + " \u2192 " + at("target");
    } else {
      key.group = "op";
      key.name = at("kind");
    }
    out[key].push_back({number(file, i, "latency_s", at("latency_s")), number(file, i, "quantile", at("quantile"))});
  }
  return out;
}

/// The x band of each CDF of rep-001: at each quantile, the smallest and largest latency of
/// that quantile over the replications that have the series.
void cdf_bands(const Run& r, std::map<CdfKey, std::vector<svg::Point>>& curves, std::map<CdfKey, svg::Series>& out) {
  for (auto& [k, pts] : curves) out[k].points = pts;
  if (!has_bands(r)) return;
  std::map<CdfKey, std::map<double, std::pair<double, double>>> range;  // quantile -> latency range
  std::map<CdfKey, std::size_t> reps;
  for (const fs::path& dir : r.band_dirs) {
    for (const auto& [k, pts] : latency_series(dir)) {
      ++reps[k];
      for (const svg::Point& p : pts) {
        auto [it, fresh] = range[k].try_emplace(p.y, p.x, p.x);
        if (!fresh) {
          it->second.first = std::min(it->second.first, p.x);
          it->second.second = std::max(it->second.second, p.x);
        }
      }
    }
  }
  for (auto& [k, s] : out) {
    if (reps[k] < 2) continue;
    for (const svg::Point& p : s.points) {
      const auto it = range[k].find(p.y);
      s.xband_lower.push_back(it == range[k].end() ? std::nan("") : it->second.first);
      s.xband_upper.push_back(it == range[k].end() ? std::nan("") : it->second.second);
    }
  }
}

std::string latency_charts(const Run& run, const Run* other, const HtmlReportOptions& o) {
  auto a_curves = latency_series(run.data);
  auto b_curves = other != nullptr ? latency_series(other->data) : std::map<CdfKey, std::vector<svg::Point>>{};
  std::map<CdfKey, svg::Series> a, b;
  cdf_bands(run, a_curves, a);
  if (other != nullptr) cdf_bands(*other, b_curves, b);
  std::set<std::string> groups;
  for (const auto& [k, v] : a) groups.insert(k.group);
  for (const auto& [k, v] : b) groups.insert(k.group);
  std::string out;
  for (const std::string& g : groups) {
    svg::LineChart c;
    c.title = g == "op" ? "Management operations: latency CDF" : "Host I/O " + g + "s: response-time CDF";
    if (run.from_replication || (other != nullptr && other->from_replication)) c.title += " (replication 1)";
    c.x = svg::Axis{.label = g == "op" ? "latency" : "response time", .unit = "s", .log = true};
    c.y = svg::Axis{.label = "fraction completed within", .unit = "", .min = 0.0, .max = 1.0};
    c.max_points = o.max_points;
    std::map<std::string, std::size_t> colour;
    bool banded = false;
    auto add = [&](std::map<CdfKey, svg::Series>& m, bool dashed, const std::string& suffix) {
      for (auto& [k, s] : m) {
        if (k.group != g) continue;
        const std::size_t col = colour.try_emplace(k.name, colour.size()).first->second;
        s.name = k.name + suffix;
        s.dashed = dashed;
        s.step = true;
        s.color = col;
        banded = banded || !s.xband_lower.empty();
        c.series.push_back(std::move(s));
      }
    };
    add(a, false, other != nullptr ? " (" + run.label + ")" : "");
    if (other != nullptr) add(b, true, " (" + other->label + ", dashed)");
    c.note = g == "op" ? "exact nearest-rank quantiles from latency.csv; completed operations, failed ones included"
                       : "exact nearest-rank quantiles from latency.csv";
    if (banded) {
      const Run& r = has_bands(run) ? run : *other;
      c.note += "\nline: replication 1; band: each quantile's " + band_words(r);
    }
    out += figure("latency-" + g, c.render(720, 380));
  }
  if (out.empty()) {
    const bool summary_only = meta_or(run, "replications", "1") != "1" && !run.from_replication;
    out = summary_only ? "<p class=\"none\">No per-replication data: the run was made with --summary-only.</p>\n"
          : fs::exists(run.data / "latency.csv")
              ? "<p class=\"none\">No latencies recorded (no I/O load, no completed operation).</p>\n"
              : "<p class=\"none\">No latency.csv in the run directory (runs of older lunsim versions).</p>\n";
  }
  return out;
}

// ---- numbers with their intervals --------------------------------------------------------------

/// summary.csv, read once: every row with its fields by column name.
struct SummaryTable {
  fs::path file;
  metrics::CsvTable t;
  std::string field(std::size_t i, const char* c) const {
    const auto col = t.column(c);
    return col ? t.rows[i][*col] : std::string();
  }
  double value(std::size_t i, const char* c) const {
    const std::string s = field(i, c);
    return s.empty() ? std::nan("") : number(file, i, c, s);
  }
};

SummaryTable read_summary(const Run& r) {
  const fs::path file = r.dir / "summary.csv";
  return SummaryTable{file, read_table(file, {"metric", "unit", "n", "mean"})};
}

std::string show(double v, const std::string& unit) {
  if (std::isnan(v)) return "";
  return unit == "s" ? svg::format_seconds_short(v) : svg::format_number(v);
}

const char* interval_words =
    "mean [95 % interval of the mean]: with --replications N, Student t over the replications' means; in a single run, "
    "batch means (20 batches) for I/O response times; reliability rows: Clopper\u2013Pearson (probabilities), Poisson "
    "(loss events), chi-square (MTTDL), Student t over the replications (NOMDL); no interval where none can be estimated";

std::string summary_table(const Run& r) {
  const SummaryTable s = read_summary(r);
  std::string out = "<table class=\"numbers\"><caption>summary.csv</caption>\n<tr><th>metric</th><th>unit</th><th>n</th>"
                    "<th>mean [95 % interval]</th><th>p50</th><th>p99</th><th>max</th></tr>\n";
  for (std::size_t i = 0; i < s.t.rows.size(); ++i) {
    const std::string unit = s.field(i, "unit");
    out += "<tr><td>" + escape(s.field(i, "metric")) + "</td><td>" + escape(unit) + "</td><td>" + escape(s.field(i, "n")) +
           "</td><td>" + escape(svg::format_estimate(s.value(i, "mean"), s.value(i, "ci95_low"), s.value(i, "ci95_high"), unit)) +
           "</td><td>" + escape(show(s.value(i, "p50"), unit)) + "</td><td>" + escape(show(s.value(i, "p99"), unit)) +
           "</td><td>" + escape(show(s.value(i, "max"), unit)) + "</td></tr>\n";
  }
  return out + "</table>\n<p class=\"explain\">" + escape(interval_words) + ".</p>\n";
}

/// The reliability.* rows of summary.csv: estimate, interval, standard error (the numbers
/// behind the survival curve; tiny probabilities in scientific notation).
std::string reliability_table(const Run& r) {
  const SummaryTable s = read_summary(r);
  std::string rows;
  for (std::size_t i = 0; i < s.t.rows.size(); ++i) {
    const std::string metric = s.field(i, "metric");
    if (!metric.starts_with("reliability.")) continue;
    const std::string unit = s.field(i, "unit");
    rows += "<tr><td>" + escape(metric) + "</td><td>" + escape(unit) + "</td><td>" + escape(s.field(i, "n")) + "</td><td>" +
            escape(svg::format_estimate(s.value(i, "mean"), s.value(i, "ci95_low"), s.value(i, "ci95_high"), unit)) +
            "</td><td>" + escape(show(s.value(i, "se"), unit)) + "</td><td>" + escape(show(s.value(i, "relative_error"), "")) +
            "</td></tr>\n";
  }
  if (rows.empty()) return "";
  return "<table class=\"numbers\" data-table=\"reliability\"><caption>reliability (summary.csv)</caption>\n<tr><th>metric</th>"
         "<th>unit</th><th>n</th><th>estimate [95 % interval]</th><th>se</th><th>relative error</th></tr>\n" +
         rows + "</table>\n";
}

std::string compare_table(const Comparison& c) {
  std::string out = "<table class=\"numbers\"><caption>comparison (lunsim compare): " + escape(c.design_note) +
                    "; change of the mean of the per-replication statistic with its 95 % interval, Holm-corrected p"
                    "</caption>\n<tr><th>metric</th><th>statistic</th><th>run</th><th>other</th>"
                    "<th>change</th><th>95 % interval</th><th>p (Holm)</th><th>verdict</th></tr>\n";
  auto value = [](const SeriesComparison& m, double v) {
    if (!std::isfinite(v)) return std::string();
    return m.unit == "s" ? svg::format_seconds_short(v) : svg::format_number(v);
  };
  auto pct = [](double v) {
    if (!std::isfinite(v)) return std::string();
    char buf[32];
    std::snprintf(buf, sizeof buf, "%+.1f %%", v * 100);
    return std::string(buf);
  };
  for (const SeriesComparison& m : c.rows) {
    if (!m.alias_of.empty()) continue;
    const bool interval = std::isfinite(m.change.relative95.low);
    out += "<tr><td>" + escape(m.metric) + "</td><td>" + escape(m.statistic) + "</td><td>" + value(m, m.change.base) +
           "</td><td>" + value(m, m.change.cand) + "</td><td>" + pct(m.change.relative) + "</td><td>" +
           (interval ? pct(m.change.relative95.low) + " to " + pct(m.change.relative95.high) : "") + "</td><td>" +
           (m.tested() ? svg::format_number(m.p_holm, 3) : "") + "</td><td class=\"verdict\">" + escape(to_string(m.verdict)) +
           "</td></tr>\n";
  }
  return out + "</table>\n";
}
// ---- jobs ------------------------------------------------------------------------------------

/// Outcome colours, all distinct (Okabe–Ito, plus grey): statuses where no fault fired,
/// verdicts where one did.
const char* outcome_color(const std::string& category) {
  static const std::map<std::string, const char*> colours{
      {"status: ok", "#009E73"},        {"status: failed", "#E69F00"},     {"status: in_flight", "#56B4E9"},
      {"verdict: ok", "#F0E442"},       {"verdict: detected", "#0072B2"},  {"verdict: undetected", "#D55E00"},
      {"verdict: hang", "#CC79A7"},     {"verdict: crash", "#000000"},
  };
  const auto it = colours.find(category);
  return it == colours.end() ? "#999999" : it->second;
}

std::string jobs_chart(const Run& r, const HtmlReportOptions& o) {
  const fs::path file = r.data / "ops.csv";
  const auto t = optional_table(file, {"op", "name", "started_s", "completed_s", "status"});
  if (!t || t->rows.empty()) return "";
  const double end = meta_number(r, "sim_end_s");
  svg::Timeline tl;
  tl.title = "Management operations" + replication_title(r);
  tl.max_rows = o.max_rows;
  const auto col = [&](std::size_t i, const char* c) -> std::string {
    const auto k = t->column(c);
    return k ? t->rows[i][*k] : std::string();
  };
  struct Row {
    svg::TimelineRow row;
    bool notable;  // failed, cut short, or a fault fired
  };
  std::vector<Row> rows;
  std::size_t faulted = 0;
  for (std::size_t i = 0; i < t->rows.size(); ++i) {
    const std::string status = col(i, "status"), verdict = col(i, "verdict"), fault = col(i, "fault");
    const double start = number(file, i, "started_s", col(i, "started_s"));
    double stop = number(file, i, "completed_s", col(i, "completed_s"));
    if (!std::isfinite(start)) continue;  // never started
    if (!std::isfinite(stop)) stop = std::isfinite(end) ? end : start;
    const std::string outcome = verdict.empty() ? "status: " + status : "verdict: " + verdict;
    faulted += verdict.empty() ? 0 : 1;
    std::string tip = col(i, "op") + " " + col(i, "name") + ": " + status;
    if (!col(i, "op_hresult").empty()) tip += ", " + col(i, "op_hresult");
    if (!fault.empty()) tip += ", fault " + fault + ", verdict " + verdict;
    tip += ", " + svg::format_seconds_short(stop - start);
    const bool salient = outcome != "status: ok" && outcome != "verdict: ok" && outcome != "verdict: detected";
    const std::size_t cat = tl.category(outcome, outcome_color(outcome), salient);
    rows.push_back(Row{svg::TimelineRow{.label = col(i, "name") + (fault.empty() ? "" : " [" + fault + "]"),
                                        .bars = {svg::Bar{.start = start, .end = stop, .category = cat, .tooltip = tip}}},
                       status != "ok" || !fault.empty()});
  }
  // Too many to draw: every notable operation first (up to the limit), then evenly spaced
  // others, shown in their original order; the axis spans what is shown.
  std::string note = faulted > 0 ? "coloured by verdict where an errant-provider fault fired, else by status"
                                 : "coloured by status";
  if (rows.size() > o.max_rows) {
    std::vector<bool> keep(rows.size(), false);
    std::size_t kept = 0;
    for (std::size_t i = 0; i < rows.size() && kept < o.max_rows; ++i)
      if (rows[i].notable) keep[i] = true, ++kept;
    std::vector<std::size_t> others;
    for (std::size_t i = 0; i < rows.size(); ++i)
      if (!keep[i]) others.push_back(i);
    const std::size_t room = o.max_rows - kept;
    for (std::size_t k = 0; k < room && k < others.size(); ++k) keep[others[k * others.size() / room]] = true;
    std::size_t notable = 0;
    for (const Row& x : rows) notable += x.notable ? 1 : 0;
    note += "; showing " + svg::format_count(o.max_rows) + " of " + svg::format_count(rows.size()) +
            " operations: the failed or faulted ones first (" + svg::format_count(notable) + "), then evenly spaced others";
    for (std::size_t i = 0; i < rows.size(); ++i)
      if (keep[i]) tl.rows.push_back(std::move(rows[i].row));
  } else {
    for (Row& x : rows) tl.rows.push_back(std::move(x.row));
  }
  tl.note = note;
  return figure("jobs", tl.render(720));
}

// ---- drives ----------------------------------------------------------------------------------

std::string drives_chart(const Run& r, const HtmlReportOptions& o) {
  const fs::path file = r.data / "events.csv";
  const auto t = optional_table(file, {"time_s", "event", "object_type", "object", "detail"});
  if (!t) return "";
  const double end = meta_number(r, "sim_end_s");
  // Spares at the start are set without a notification: drives.csv says which end as spares.
  std::set<std::string> spare_at_end;
  if (const auto d = optional_table(r.data / "drives.csv", {"drive", "subsystem", "hot_spare"}))
    for (const auto& row : d->rows)
      if (row[*d->column("hot_spare")] == "true") spare_at_end.insert(row[*d->column("subsystem")] + "/" + row[*d->column("drive")]);
  // Per slot: the drive's status, its hot-spare flag and the rebuilds writing to it; the state
  // drawn is failed or offline when the status says so, else rebuilding while a rebuild runs,
  // else spare or online. Initial spares get no notification: a slot whose first flag event
  // clears the flag (a spare taken), or that ends a spare without any, started as one.
  struct Slot {
    std::string status = "online";
    bool spare = false;
    int rebuilds = 0;
    std::string shown = "online";
    double since = 0;
    std::vector<svg::Bar> bars;
    bool changed = false;
    bool flag_seen = false;
  };
  std::map<std::string, Slot> slots;  // by slot name (object before '#')
  svg::Timeline tl;
  const std::vector<std::pair<std::string, const char*>> states{{"online", svg::status::ok},
                                                                {"spare", svg::status::inactive},
                                                                {"rebuilding", svg::status::busy},
                                                                {"offline", svg::status::degraded},
                                                                {"failed", svg::status::failed}};
  // Failures, rebuilds and outages last hours in a run of years: salient, so never invisible.
  for (const auto& [name, colour] : states) tl.category(name, colour, name != "online" && name != "spare");
  auto category = [&](const std::string& s) { return tl.category(s); };
  const auto at = [&](std::size_t i, const char* c) -> const std::string& { return t->rows[i][*t->column(c)]; };
  const auto slot_of = [](const std::string& object) { return object.substr(0, object.find('#')); };
  namespace key = base::detail_key;
  namespace value = base::detail_value;
  std::vector<base::EventDetail> details(t->rows.size());
  for (std::size_t i = 0; i < t->rows.size(); ++i)
    if (at(i, "object_type") == "VDS_OT_DRIVE") details[i] = base::EventDetail::parse(at(i, "detail"));
  for (std::size_t i = 0; i < t->rows.size(); ++i) {  // first pass: who started as a spare
    const auto flags = details[i].get(key::flags);
    if (!flags) continue;
    auto [it, fresh] = slots.try_emplace(slot_of(at(i, "object")));
    if (!it->second.flag_seen) it->second.spare = *flags == value::flags_none;
    it->second.flag_seen = true;
  }
  for (const std::string& name : spare_at_end) {
    auto [it, fresh] = slots.try_emplace(name);
    if (!it->second.flag_seen) it->second.spare = true;
  }
  for (auto& [name, s] : slots) s.shown = s.spare ? "spare" : "online";
  auto redraw = [&](Slot& s, double time) {
    const std::string state = s.status != "online" ? s.status : s.rebuilds > 0 ? "rebuilding" : s.spare ? "spare" : "online";
    if (state == s.shown) return;
    if (time > s.since) s.bars.push_back(svg::Bar{.start = s.since, .end = time, .category = category(s.shown)});
    s.shown = state;
    s.since = time;
    s.changed = true;
  };
  for (std::size_t i = 0; i < t->rows.size(); ++i) {
    if (at(i, "object_type") != "VDS_OT_DRIVE") continue;
    Slot& s = slots[slot_of(at(i, "object"))];
    const double time = number(file, i, "time_s", at(i, "time_s"));
    const std::string& event = at(i, "event");
    const base::EventDetail& detail = details[i];
    if (event == "VDS_NF_DRIVE_REMOVED") s.status = "offline";
    else if (event == "VDS_NF_DRIVE_ARRIVE") {
      s.status = "online";
      s.spare = false;
      s.rebuilds = 0;
    } else if (event == "LUNSIM_NF_DRIVE_REBUILD") {
      const auto what = detail.get(key::rebuild);
      if (what == value::rebuild_start) ++s.rebuilds;
      else if (what == value::rebuild_end) s.rebuilds = std::max(0, s.rebuilds - 1);
    } else if (event == "VDS_NF_DRIVE_MODIFY") {
      const auto status = detail.get(key::status), flags = detail.get(key::flags);
      if (status == value::drive_failed) {
        s.status = "failed";
        s.spare = false;
      } else if (status == value::drive_online) s.status = "online";
      else if (flags) s.spare = *flags == value::flags_hot_spare;
    }
    redraw(s, time);
  }
  for (auto& [name, s] : slots) {
    if (!s.changed) continue;
    const double stop = std::isfinite(end) ? std::max(end, s.since) : s.since;
    if (stop > s.since) s.bars.push_back(svg::Bar{.start = s.since, .end = stop, .category = category(s.shown)});
    tl.rows.push_back(svg::TimelineRow{.label = name, .bars = std::move(s.bars)});
  }
  if (tl.rows.empty()) return "";
  tl.title = "Drive status" + replication_title(r);
  tl.max_rows = o.max_rows;
  tl.note = "drives whose state changed; replacements continue their slot's row\n"
            "failed, rebuilding and offline are drawn on top, at least 2 px wide however short (hover for their times)";
  return figure("drives", tl.render(720));
}

// ---- queues ----------------------------------------------------------------------------------

std::string queue_charts(const Run& r, const HtmlReportOptions& o) {
  const fs::path file = r.data / "timeseries.csv";
  const std::vector<std::string> required{"time_s", "subsystem", "mean_queue_depth", "max_queue_depth", "utilization"};
  const auto t = optional_table(file, required);
  if (!t || t->rows.empty()) return "";
  std::map<std::string, std::vector<svg::Point>> mean, max, util;
  for (std::size_t i = 0; i < t->rows.size(); ++i) {
    const auto at = [&](const char* c) -> const std::string& { return t->rows[i][*t->column(c)]; };
    const double time = number(file, i, "time_s", at("time_s"));
    const std::string& sub = at("subsystem");
    mean[sub].push_back({time, number(file, i, "mean_queue_depth", at("mean_queue_depth"))});
    max[sub].push_back({time, number(file, i, "max_queue_depth", at("max_queue_depth"))});
    util[sub].push_back({time, number(file, i, "utilization", at("utilization"))});
  }
  const Spread sp = spread(r, "timeseries.csv", required, [](const metrics::CsvTable& f, const fs::path& name, std::size_t i, auto add) {
    const std::string& sub = f.at(i, "subsystem");
    const double time = number(name, i, "time_s", f.at(i, "time_s"));
    add(sub + "\n/mean", time, number(name, i, "mean_queue_depth", f.at(i, "mean_queue_depth")));
    add(sub + "\n/util", time, number(name, i, "utilization", f.at(i, "utilization")));
  });
  svg::LineChart q;
  q.title = "Drive queue depth per subsystem" + replication_title(r);
  q.x = svg::Axis{.label = "simulated time", .unit = "s"};
  q.y = svg::Axis{.label = "requests queued", .unit = "", .zero = svg::Zero::automatic, .lowest = 0.0};
  q.max_points = o.max_points;
  std::size_t k = 0;
  for (const auto& [sub, pts] : mean) {
    svg::Series s{.name = sub + " mean over drives", .points = pts, .color = k};
    set_band(s, sp, sub + "\n/mean");
    q.series.push_back(std::move(s));
    q.series.push_back(svg::Series{.name = sub + " busiest drive", .points = max[sub], .dashed = true, .color = k});
    ++k;
  }
  q.note = "queue lengths (waiting + in service) at the end of each metrics interval (timeseries.csv)" +
           (sp.empty() ? "" : "\nband: the mean's " + band_words(r) + " at each sample");
  svg::LineChart u;
  u.title = "Drive utilisation per subsystem" + replication_title(r);
  u.x = q.x;
  u.y = svg::Axis{.label = "busy fraction (mean over drives)", .unit = "", .zero = svg::Zero::automatic, .lowest = 0.0, .highest = 1.0};
  u.max_points = o.max_points;
  k = 0;
  for (const auto& [sub, pts] : util) {
    svg::Series s{.name = sub, .points = pts, .color = k++};
    set_band(s, sp, sub + "\n/util");
    u.series.push_back(std::move(s));
  }
  u.note = "busy fraction over each metrics interval, mean over the subsystem's drives (timeseries.csv)" +
           (sp.empty() ? "" : "\nband: " + band_words(r) + " at each sample");
  return figure("queue-depth", q.render(720, 320)) + figure("utilization", u.render(720, 320));
}

// ---- host I/O over time ----------------------------------------------------------------------

std::string io_over_time_charts(const Run& r, const HtmlReportOptions& o) {
  const fs::path file = r.data / "io_timeseries.csv";
  const std::vector<std::string> required{"time_s", "load", "kind", "count", "errors", "iops", "mean_s", "p99_s", "max_s"};
  const auto t = optional_table(file, required);
  if (!t || t->rows.empty()) return "";
  struct Kind {
    std::vector<svg::Point> mean, p99, max, iops, errors;
    double last = 0;  // the previous sample's time: intervals are (last, time]
    bool any_errors = false;
  };
  std::vector<std::string> loads;
  std::map<std::string, std::map<std::string, Kind>> by_load;  // load -> kind (read, write) -> series
  for (std::size_t i = 0; i < t->rows.size(); ++i) {
    const auto at = [&](const char* c) -> const std::string& { return t->rows[i][*t->column(c)]; };
    const std::string& load = at("load");
    if (!by_load.contains(load)) loads.push_back(load);
    Kind& k = by_load[load][at("kind")];
    const double time = number(file, i, "time_s", at("time_s"));
    const std::uint64_t n = count(file, i, "count", at("count")), errors = count(file, i, "errors", at("errors"));
    // Count 0: the latency fields are empty (NaN), a gap; never read as zero latency.
    const auto latency = [&](const char* c) { return n == 0 ? std::nan("") : number(file, i, c, at(c)); };
    k.mean.push_back({time, latency("mean_s")});
    k.p99.push_back({time, latency("p99_s")});
    k.max.push_back({time, latency("max_s")});
    k.iops.push_back({time, number(file, i, "iops", at("iops"))});
    const double dt = time - k.last;
    k.errors.push_back({time, dt > 0 ? static_cast<double>(errors) / dt : std::nan("")});
    k.any_errors = k.any_errors || errors > 0;
    k.last = time;
  }
  const Spread sp = spread(r, "io_timeseries.csv", required, [](const metrics::CsvTable& f, const fs::path& name, std::size_t i, auto add) {
    const std::string key = f.at(i, "load") + "\n" + f.at(i, "kind");
    const double time = number(name, i, "time_s", f.at(i, "time_s"));
    if (!f.at(i, "mean_s").empty()) add(key + "\nmean", time, number(name, i, "mean_s", f.at(i, "mean_s")));
    add(key + "\niops", time, number(name, i, "iops", f.at(i, "iops")));
  });
  std::string out;
  std::size_t shown = 0;
  for (const std::string& load : loads) {
    if (shown++ == o.max_loads) break;
    svg::LineChart lat;
    lat.title = "Response time over time: " + load + replication_title(r);
    lat.x = svg::Axis{.label = "simulated time", .unit = "s"};
    lat.max_points = o.max_points;
    svg::LineChart ops;
    ops.title = "Throughput over time: " + load + replication_title(r);
    ops.x = lat.x;
    ops.max_points = o.max_points;
    std::size_t colour = 0;
    for (const std::string kind : {"read", "write"}) {
      const auto it = by_load[load].find(kind);
      if (it == by_load[load].end()) continue;
      Kind& k = it->second;
      const std::string key = load + "\n" + kind;
      svg::Series mean{.name = kind + " mean", .points = k.mean, .gaps = true, .color = colour};
      set_band(mean, sp, key + "\nmean");
      lat.series.push_back(std::move(mean));
      lat.series.push_back(svg::Series{.name = kind + " p99", .points = k.p99, .dashed = true, .gaps = true, .color = colour});
      lat.series.push_back(svg::Series{.name = kind + " max", .points = k.max, .dash = "2 3", .gaps = true, .color = colour});
      svg::Series iops{.name = kind + " IOPS", .points = k.iops, .color = colour};
      set_band(iops, sp, key + "\niops");
      ops.series.push_back(std::move(iops));
      if (k.any_errors)
        ops.series.push_back(svg::Series{.name = kind + " errors/s", .points = k.errors, .dash = "2 3", .color = colour});
      ++colour;
    }
    lat.y = value_axis("response time", "s", lat.series);
    ops.y = svg::Axis{.label = "requests completed per second", .unit = "ops/s", .zero = svg::Zero::automatic, .lowest = 0.0};
    lat.note = "mean, p99 and max of the requests completed in each interval (io_timeseries.csv)";
    lat.note += lat.y.log ? "; log scale" : "";
    lat.note += "\ngaps: intervals in which no request completed (count 0), not zero latency";
    if (!sp.empty()) lat.note += "\nband: the mean's " + band_words(r) + " in each interval";
    ops.note = "requests completed successfully per second in each interval (io_timeseries.csv)";
    if (!sp.empty()) ops.note += "\nband: " + band_words(r) + " in each interval";
    out += figure("latency-over-time", lat.render(720, 360), data_attribute("load", load));
    out += figure("iops-over-time", ops.render(720, 300), data_attribute("load", load));
  }
  if (loads.size() > o.max_loads)
    out += "<p class=\"none\">Showing the first " + std::to_string(o.max_loads) + " of " + std::to_string(loads.size()) +
           " loads.</p>\n";
  return out;
}

// ---- survival --------------------------------------------------------------------------------

std::string survival_chart(const Run& r) {
  const fs::path file = r.dir / "reliability.csv";
  const auto t = optional_table(file, {"replication", "first_loss_s"});
  if (!t || t->rows.empty()) return "";
  std::vector<double> losses;
  for (std::size_t i = 0; i < t->rows.size(); ++i) {
    const double v = number(file, i, "first_loss_s", t->rows[i][*t->column("first_loss_s")]);
    if (std::isfinite(v)) losses.push_back(v);
  }
  std::sort(losses.begin(), losses.end());
  const std::uint64_t n = t->rows.size();
  double horizon = meta_number(r, "horizon_s");
  if (!std::isfinite(horizon)) horizon = meta_number(r, "sim_end_s");
  if (!std::isfinite(horizon)) horizon = losses.empty() ? 1.0 : losses.back();
  svg::Series s{.name = "P(no data loss by t)", .step = true};
  auto point = [&](double x, std::uint64_t lost) {
    const metrics::Interval ci = metrics::clopper_pearson(n - lost, n);
    s.points.push_back({x, static_cast<double>(n - lost) / static_cast<double>(n)});
    s.band_lower.push_back(ci.low);
    s.band_upper.push_back(ci.high);
  };
  point(0, 0);
  for (std::size_t i = 0; i < losses.size(); ++i)
    if (i + 1 == losses.size() || losses[i + 1] != losses[i]) point(losses[i], i + 1);
  point(std::max(horizon, losses.empty() ? 0.0 : losses.back()), losses.size());
  svg::LineChart c;
  c.title = "Survival: replications without data loss";
  c.x = svg::Axis{.label = "mission time", .unit = "s"};
  c.y = svg::Axis{.label = "fraction of replications", .unit = "", .zero = svg::Zero::automatic, .lowest = 0.0, .highest = 1.0};
  c.series.push_back(std::move(s));
  c.note = svg::format_count(n) + (n == 1 ? " replication (run with --replications N for a curve), " : " replications, ") +
           svg::format_count(losses.size()) + " with a loss; band: 95 % Clopper\u2013Pearson interval at each step";
  const SummaryTable sum = read_summary(r);
  for (std::size_t i = 0; i < sum.t.rows.size(); ++i)
    if (sum.field(i, "metric") == "reliability.p_loss")
      c.note += "\nreliability.p_loss (a loss by the horizon): " +
                svg::format_estimate(sum.value(i, "mean"), sum.value(i, "ci95_low"), sum.value(i, "ci95_high"), "") +
                " (the table below)";
  return figure("survival", c.render(720, 340));
}

// ---- paths -----------------------------------------------------------------------------------

std::string paths_chart(const Run& r, const HtmlReportOptions& o) {
  const fs::path file = r.data / "events.csv";
  const auto t = optional_table(file, {"time_s", "event", "object", "detail"});
  if (!t) return "";
  std::map<std::string, std::vector<svg::Point>> online, usable;
  for (std::size_t i = 0; i < t->rows.size(); ++i) {
    const auto at = [&](const char* c) -> const std::string& { return t->rows[i][*t->column(c)]; };
    if (at("event") != "LUNSIM_NF_PATH_MODIFY") continue;
    const double time = number(file, i, "time_s", at("time_s"));
    const base::EventDetail detail = base::EventDetail::parse(at("detail"));
    const auto on_paths = detail.number(base::detail_key::online), standby_paths = detail.number(base::detail_key::standby);
    if (!on_paths || !standby_paths)
      throw InputError(file.string() + ":" + std::to_string(i + 2) + ": column 'detail': a path row needs the online and "
                       "standby counts, found '" + at("detail") + "'");
    const double on = static_cast<double>(*on_paths), standby = static_cast<double>(*standby_paths);
    online[at("object")].push_back({time, on});
    usable[at("object")].push_back({time, on + standby});
  }
  if (online.empty()) return "";
  const double end = meta_number(r, "sim_end_s");
  svg::LineChart c;
  c.title = "Paths per LUN" + replication_title(r);
  c.x = svg::Axis{.label = "simulated time", .unit = "s"};
  c.y = svg::Axis{.label = "paths", .unit = "", .zero = svg::Zero::include};
  c.max_points = o.max_points;
  std::size_t k = 0;
  for (auto& [object, pts] : online) {
    // The scenario's name of the LUN (luns.csv), as every other chart names it.
    const auto name = r.lun_names.find(object);
    const std::string lun = name == r.lun_names.end() ? object : name->second;
    auto& u = usable[object];
    if (std::isfinite(end) && end > pts.back().x) {
      pts.push_back({end, pts.back().y});
      u.push_back({end, u.back().y});
    }
    c.series.push_back(svg::Series{.name = lun + " online", .points = pts, .step = true, .color = k});
    c.series.push_back(svg::Series{.name = lun + " online + standby", .points = u, .dashed = true, .step = true, .color = k});
    ++k;
  }
  c.note = "VDS path status per LUN from its first LUNSIM_NF_PATH_MODIFY row (topology.report_paths: from when it came online)";
  return figure("paths", c.render(720, 320));
}
// ---- sweeps ----------------------------------------------------------------------------------

/// A grid axis: its values in grid order, numbers when every value is one (else categories).
struct SweepAxis {
  std::string path{};
  std::vector<std::string> values{};
  std::vector<double> numbers{};  // parallel to values when numeric
  bool numeric = true;
  std::size_t index(const std::string& v) const {
    return static_cast<std::size_t>(std::find(values.begin(), values.end(), v) - values.begin());
  }
  double x(const std::string& v) const { return numeric ? numbers[index(v)] : static_cast<double>(index(v)); }
};

bool plain_number(const std::string& s, double& v) {
  const char* end = s.data() + s.size();
  const auto r = std::from_chars(s.data(), end, v);
  return !s.empty() && r.ec == std::errc{} && r.ptr == end && std::isfinite(v);
}

std::vector<SweepAxis> sweep_axes(const SweepData& s) {
  std::vector<SweepAxis> axes;
  for (std::size_t a = 0; a < s.axes.size(); ++a) {
    SweepAxis ax{.path = s.axes[a]};
    for (const SweepData::Point& p : s.points)  // row-major: first appearance is grid order
      if (std::find(ax.values.begin(), ax.values.end(), p.values[a]) == ax.values.end()) ax.values.push_back(p.values[a]);
    for (const std::string& v : ax.values) {
      double d = 0;
      ax.numeric = ax.numeric && plain_number(v, d);
      ax.numbers.push_back(d);
    }
    axes.push_back(std::move(ax));
  }
  return axes;
}

struct SweepMetric {
  std::string name{}, unit{};
  bool varies = false;  // its mean differs between points
};

/// Metrics charted first, when the sweep has them and they vary: the questions sweeps answer.
int metric_priority(const std::string& m) {
  static const std::vector<std::string> first{
      "reliability.p_loss", "reliability.p_group_loss", "reliability.nomdl", "reliability.mttdl",
      "reliability.loss_events_per_1000_groups", "reliability.mttdl_lower95", "io.read.response", "io.write.response",
      "io.throughput", "drive.utilization", "drive.queue_length"};
  const auto it = std::find(first.begin(), first.end(), m);
  return it == first.end() ? static_cast<int>(first.size()) : static_cast<int>(it - first.begin());
}

std::vector<SweepMetric> sweep_metrics(const SweepData& s) {
  std::vector<SweepMetric> out;
  std::map<std::string, std::pair<double, double>> range;  // smallest and largest mean
  for (const SweepData::Point& p : s.points)
    for (const std::string& m : p.order) {
      const SummaryRow& row = p.rows.at(m);
      if (!range.contains(m)) {
        out.push_back(SweepMetric{.name = m, .unit = row.unit});
        range[m] = {INFINITY, -INFINITY};
      }
      if (std::isfinite(row.mean)) range[m] = {std::min(range[m].first, row.mean), std::max(range[m].second, row.mean)};
    }
  for (SweepMetric& m : out) m.varies = range[m.name].first < range[m.name].second;
  return out;
}

std::string point_estimate(const SweepData::Point& p, const std::string& metric) {
  const auto row = p.rows.find(metric);
  if (row == p.rows.end()) return "";
  const auto ci = p.ci95.at(metric);
  return svg::format_estimate(row->second.mean, ci.first, ci.second, row->second.unit);
}

std::string sweep_axis_chart(const SweepData& s, const std::vector<SweepAxis>& axes, std::size_t a, const SweepMetric& m,
                             const HtmlReportOptions& o) {
  std::vector<svg::Series> series;
  std::map<std::string, std::size_t> line_of;  // the other axes' values -> series
  std::size_t lines = 0;
  for (const SweepData::Point& p : s.points) {
    std::string key;
    for (std::size_t b = 0; b < axes.size(); ++b)
      if (b != a) key += (key.empty() ? "" : ", ") + axes[b].path + "=" + p.values[b];
    auto [it, fresh] = line_of.try_emplace(key, lines);
    if (fresh) {
      ++lines;
      if (series.size() < o.max_sweep_lines) series.push_back(svg::Series{.name = key.empty() ? m.name : key, .error_bars = true});
    }
    if (it->second >= series.size()) continue;
    const auto row = p.rows.find(m.name);
    if (row == p.rows.end()) continue;  // this point lacks the metric
    const auto ci = p.ci95.at(m.name);
    svg::Series& se = series[it->second];
    se.points.push_back({axes[a].x(p.values[a]), row->second.mean});
    se.band_lower.push_back(ci.first);
    se.band_upper.push_back(ci.second);
  }
  svg::LineChart c;
  c.title = m.name + " by " + axes[a].path;
  c.x = svg::Axis{.label = axes[a].path};
  if (!axes[a].numeric) c.x.categories = axes[a].values;
  else {  // the grid's range with 5 % on each side: no point (nor error bar) on the plot's edge
    const auto [first, last] = std::minmax_element(axes[a].numbers.begin(), axes[a].numbers.end());
    const double pad = *last > *first ? 0.05 * (*last - *first) : std::max(std::fabs(*first) * 0.1, 1.0);
    c.x.min = *first - pad;
    c.x.max = *last + pad;
  }
  // Log when the means span more than two decades and every bound is positive (a probability
  // from 1e-5 to 1e-2); else linear by the baseline rule.
  double lo = INFINITY, hi = -INFINITY;
  bool positive = true;
  for (const svg::Series& se : series)
    for (std::size_t i = 0; i < se.points.size(); ++i) {
      lo = std::min(lo, se.points[i].y);
      hi = std::max(hi, se.points[i].y);
      positive = positive && se.points[i].y > 0 && !(se.band_lower[i] <= 0);
    }
  c.y = svg::Axis{.label = m.name, .unit = m.unit, .log = positive && lo > 0 && hi / lo > 100, .zero = svg::Zero::automatic};
  c.markers = svg::Markers::always;
  c.dodge = series.size() > 1 ? 5 : 0;
  c.series = std::move(series);
  c.note = "each point: the mean over the replications at that grid point; error bars: its 95 % interval (points.csv)";
  if (c.y.log) c.note += "; log scale";
  if (axes.size() > 1) c.note += "\none line per value of the other axes";
  if (lines > o.max_sweep_lines)
    c.note += " (the first " + std::to_string(o.max_sweep_lines) + " of " + std::to_string(lines) + ")";
  if (!axes[a].numeric) c.note += "\nx: the axis' values in grid order, equally spaced (not all numbers)";
  return figure("sweep-axis", c.render(720, 360), data_attribute("metric", m.name) + data_attribute("axis", axes[a].path));
}

std::string sweep_heatmap(const SweepData& s, const std::vector<SweepAxis>& axes, const SweepMetric& m) {
  svg::HeatMap h;
  h.title = m.name;
  h.y_label = axes[0].path;
  h.x_label = axes[1].path;
  h.rows = axes[0].values;
  h.columns = axes[1].values;
  h.unit = m.unit;
  h.values.assign(h.rows.size() * h.columns.size(), std::nan(""));
  h.tooltips.assign(h.values.size(), "");
  for (const SweepData::Point& p : s.points) {
    const std::size_t cell = axes[0].index(p.values[0]) * h.columns.size() + axes[1].index(p.values[1]);
    const auto row = p.rows.find(m.name);
    std::string tip = axes[0].path + "=" + p.values[0] + ", " + axes[1].path + "=" + p.values[1] + ": ";
    if (row == p.rows.end()) {
      h.tooltips[cell] = tip + "no value";
      continue;
    }
    h.values[cell] = row->second.mean;
    h.tooltips[cell] = tip + point_estimate(p, m.name) + " (n = " + std::to_string(row->second.n) + ")";
  }
  h.note = "each cell: the mean over the replications at that grid point; its tooltip: with the 95 % interval";
  return figure("sweep-heatmap", h.render(720), data_attribute("metric", m.name));
}

void write_page(std::ostream& out, const std::string& title, const std::string& body, const std::string& footer);

void write_sweep_report(std::ostream& out, const fs::path& dir, const HtmlReportOptions& o) {
  const SweepData s = read_sweep(dir);
  const std::vector<SweepAxis> axes = sweep_axes(s);
  std::vector<SweepMetric> metrics = sweep_metrics(s);
  const auto meta = [&](const char* k, const std::string& fallback = "") {
    const auto it = s.meta.find(k);
    return it == s.meta.end() || it->second.empty() ? fallback : it->second;
  };
  const std::string name = meta("scenario_name", "unnamed scenario");
  std::string body = "<h1>lunsim sweep report: " + escape(name) + "</h1>\n";
  body += "<table class=\"meta\"><caption>sweep: " + escape(dir.string()) + "</caption>\n";
  auto row = [&](const std::string& k, const std::string& v) {
    body += "<tr><th>" + escape(k) + "</th><td>" + escape(v) + "</td></tr>\n";
  };
  row("scenario", name);
  row("file", meta("scenario_file"));
  row("seed", meta("seed") + " (" + meta("seeds", "common") + " random numbers)");
  row("replications per point", meta("replications"));
  row("points", std::to_string(s.points.size()));
  for (const SweepAxis& a : axes) {
    std::string values;
    for (const std::string& v : a.values) values += (values.empty() ? "" : ", ") + v;
    row("axis " + a.path, values);
  }
  row("lunsim", meta("lunsim_version") + " (" + meta("git_revision", "unknown revision") + ")");
  body += "</table>\n";

  // Which metrics: the varying ones, the usual questions first, at most max_sweep_metrics.
  std::vector<SweepMetric> varying, constant;
  for (const SweepMetric& m : metrics) (m.varies ? varying : constant).push_back(m);
  std::stable_sort(varying.begin(), varying.end(),
                   [](const SweepMetric& a, const SweepMetric& b) { return metric_priority(a.name) < metric_priority(b.name); });
  const std::size_t charted = std::min(varying.size(), o.max_sweep_metrics);
  const auto names = [](const std::vector<SweepMetric>& v, std::size_t from) {
    std::string list;
    for (std::size_t i = from; i < v.size(); ++i) list += (list.empty() ? "" : ", ") + v[i].name;
    return list;
  };
  body += "<p class=\"explain\">" + std::to_string(metrics.size()) + " metrics; charted: the " + std::to_string(charted) +
          (charted < varying.size() ? " first" : "") + " of the " + std::to_string(varying.size()) +
          " whose mean changes over the grid (reliability and response times first).";
  if (charted < varying.size()) body += " Not charted: " + escape(names(varying, charted)) + ".";
  if (!constant.empty()) body += " The same at every point: " + escape(names(constant, 0)) + ".";
  body += " Points are means of the per-replication means with their 95 % interval (points.csv: Student t over the "
          "replications; reliability rows their own intervals).</p>\n";
  if (axes.size() == 2) body += "<p class=\"explain\">Heat maps: one per metric over both axes.</p>\n";
  for (std::size_t i = 0; i < charted; ++i) {
    const SweepMetric& m = varying[i];
    body += "<h2>" + escape(m.name) + (m.unit.empty() ? "" : " (" + escape(m.unit) + ")") + "</h2>\n<div class=\"side\">";
    if (axes.size() == 2) body += sweep_heatmap(s, axes, m);
    for (std::size_t a = 0; a < axes.size(); ++a) body += sweep_axis_chart(s, axes, a, m, o);
    body += "</div>\n";
  }
  if (charted == 0) body += "<p class=\"none\">No metric changes over the grid: nothing to chart.</p>\n";

  // The points, with the charted metrics' estimates.
  body += "<h2>Points</h2>\n<table class=\"numbers\"><caption>points.csv: mean [95 % interval]";
  const std::size_t rows = std::min(s.points.size(), o.max_sweep_rows);
  if (rows < s.points.size()) body += " (the first " + std::to_string(rows) + " of " + std::to_string(s.points.size()) + " points)";
  body += "</caption>\n<tr><th>point</th>";
  for (const SweepAxis& a : axes) body += "<th>" + escape(a.path) + "</th>";
  for (std::size_t i = 0; i < charted; ++i) body += "<th>" + escape(varying[i].name) + "</th>";
  body += "</tr>\n";
  for (std::size_t p = 0; p < rows; ++p) {
    body += "<tr><td>" + std::to_string(p) + "</td>";
    for (const std::string& v : s.points[p].values) body += "<td>" + escape(v) + "</td>";
    for (std::size_t i = 0; i < charted; ++i) body += "<td>" + escape(point_estimate(s.points[p], varying[i].name)) + "</td>";
    body += "</tr>\n";
  }
  body += "</table>\n";
  write_page(out, "lunsim sweep report: " + name, body, "Written by lunsim report from the sweep " + escape(dir.string()) + ".");
}

constexpr const char* style = R"(
body { font-family: sans-serif; margin: 1.5em auto; max-width: 1500px; color: #222; background: #fff; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; }
h2 { font-size: 1.2em; margin-top: 1.6em; border-bottom: 1px solid #ccc; }
.runs { display: flex; flex-wrap: wrap; gap: 2em; }
.side { display: flex; flex-wrap: wrap; gap: 1.5em; align-items: flex-start; }
figure.chart { margin: 0.5em 0; }
table { border-collapse: collapse; font-size: 0.85em; }
caption { text-align: left; font-weight: bold; padding: 0.3em 0; }
th, td { border: 1px solid #ddd; padding: 0.2em 0.5em; text-align: left; }
table.numbers td { text-align: right; }
table.numbers td:first-child { text-align: left; }
.none { color: #666; font-style: italic; }
.explain { color: #555; font-size: 0.85em; max-width: 60em; }
.warning { color: #D55E00; font-weight: bold; }
footer { margin-top: 2em; color: #666; font-size: 0.8em; }
)";

void write_page(std::ostream& out, const std::string& title, const std::string& body, const std::string& footer) {
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      << "<title>" << escape(title) << "</title>\n<style>" << style << "</style>\n</head>\n<body>\n"
      << body << "<footer>" << footer << " Self-contained: no script, no network access.</footer>\n</body>\n</html>\n";
}

} // namespace

void write_html_report(std::ostream& out, const std::filesystem::path& run_dir, const HtmlReportOptions& o) {
  if (is_sweep_directory(run_dir)) {
    if (o.compare)
      throw InputError(run_dir.string() + ": a sweep directory: --compare takes two runs (compare sweeps with lunsim compare)");
    write_sweep_report(out, run_dir, o);
    return;
  }
  if (o.compare && is_sweep_directory(*o.compare))
    throw InputError(o.compare->string() + ": a sweep directory: --compare takes two runs (compare sweeps with lunsim compare)");
  const Run run = open_run(run_dir, "run", o);
  std::optional<Run> other;
  if (o.compare) other = open_run(*o.compare, "other", o);
  const std::string name = meta_or(run, "scenario_name", "unnamed scenario");

  std::string body;
  body += "<h1>lunsim report: " + escape(name) + "</h1>\n<div class=\"runs\">" + run_table(run) +
          (other ? run_table(*other) : "") + "</div>\n";
  body += "<h2>Latency</h2>\n<div class=\"side\"><div>" + latency_charts(run, other ? &*other : nullptr, o) + "</div><div>";
  if (other) {
    const Comparison c = compare(read_run(run.dir), read_run(other->dir));
    for (const std::string& w : c.warnings) body += "<p class=\"warning\">warning: " + escape(w) + "</p>\n";
    body += compare_table(c);
  }
  else body += summary_table(run);
  body += "</div></div>\n";
  if (const std::string s = io_over_time_charts(run, o); !s.empty()) body += "<h2>Host I/O over time</h2>\n" + s;
  if (const std::string s = jobs_chart(run, o); !s.empty()) body += "<h2>Management operations</h2>\n" + s;
  if (const std::string s = drives_chart(run, o); !s.empty()) body += "<h2>Drives</h2>\n" + s;
  if (const std::string s = queue_charts(run, o); !s.empty()) body += "<h2>Queues and utilisation</h2>\n" + s;
  if (const std::string s = survival_chart(run) + reliability_table(run); !s.empty()) body += "<h2>Reliability</h2>\n" + s;
  if (const std::string s = paths_chart(run, o); !s.empty()) body += "<h2>Paths</h2>\n" + s;
  write_page(out, "lunsim report: " + name, body,
             "Written by lunsim report from " + escape(run.dir.string()) +
                 (other ? " compared with " + escape(other->dir.string()) : std::string()) + ".");
}

} // namespace sim::reports
