#include "reports/html_report.hpp"

#include "reports/run_files.hpp"
#include "reports/svg.hpp"
#include "sim/base/event_detail.hpp"
#include "sim/metrics/intervals.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <ostream>
#include <set>
#include <string>
#include <vector>

namespace sim::reports {

namespace {

namespace fs = std::filesystem;
using svg::escape;

/// A run directory as the report reads it: where the per-run files are (the directory, or its
/// first replication), and its meta.csv.
struct Run {
  fs::path dir;
  fs::path data;       // dir, or dir/rep-001 for a run with replications
  bool from_replication = false;
  std::map<std::string, std::string> meta;
  std::string label;   // "run" or "other"
};

Run open_run(const fs::path& dir, std::string label) {
  if (!fs::is_directory(dir)) throw InputError(dir.string() + ": no such run directory");
  Run r;
  r.dir = dir;
  r.data = dir;
  r.label = std::move(label);
  const auto meta = read_table(dir / "meta.csv", {"key", "value"});
  for (const auto& row : meta.rows) r.meta[row[*meta.column("key")]] = row[*meta.column("value")];
  if (!r.meta.contains("csv_schema")) throw InputError((dir / "meta.csv").string() + ": no csv_schema row");
  read_table(dir / "summary.csv", {"metric", "unit", "n", "mean"});  // required, checked here
  if (!fs::exists(dir / "ops.csv") && fs::is_directory(dir / "rep-001")) {
    r.data = dir / "rep-001";
    r.from_replication = true;
  }
  return r;
}

std::optional<metrics::CsvTable> optional_table(const fs::path& file, const std::vector<std::string>& required) {
  if (!fs::exists(file)) return std::nullopt;
  return read_table(file, required);
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

std::string figure(const std::string& name, const std::string& chart) {
  return "<figure class=\"chart\" data-chart=\"" + escape(name) + "\">" + chart + "</figure>\n";
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
  if (r.from_replication) row("per-run charts", "replication 1 (rep-001) of " + meta_or(r, "replications"));
  return out + "</table>\n";
}

// ---- latency ---------------------------------------------------------------------------------

struct CdfKey {
  std::string group;  // "read", "write", "op"
  std::string name;   // series name
  friend auto operator<=>(const CdfKey&, const CdfKey&) = default;
};

std::map<CdfKey, std::vector<svg::Point>> latency_series(const Run& r) {
  std::map<CdfKey, std::vector<svg::Point>> out;
  const fs::path file = r.data / "latency.csv";
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

std::string latency_charts(const Run& run, const Run* other, const HtmlReportOptions& o) {
  const auto a = latency_series(run);
  const auto b = other != nullptr ? latency_series(*other) : std::map<CdfKey, std::vector<svg::Point>>{};
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
    auto add = [&](const std::map<CdfKey, std::vector<svg::Point>>& m, bool dashed, const std::string& suffix) {
      for (const auto& [k, pts] : m) {
        if (k.group != g) continue;
        const std::size_t col = colour.try_emplace(k.name, colour.size()).first->second;
        c.series.push_back(svg::Series{.name = k.name + suffix, .points = pts, .dashed = dashed, .step = true, .color = col});
      }
    };
    add(a, false, other != nullptr ? " (" + run.label + ")" : "");
    if (other != nullptr) add(b, true, " (" + other->label + ", dashed)");
    c.note = g == "op" ? "exact nearest-rank quantiles from latency.csv; completed operations, failed ones included"
                       : "exact nearest-rank quantiles from latency.csv";
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

std::string summary_table(const Run& r) {
  const fs::path file = r.dir / "summary.csv";
  const auto t = read_table(file, {"metric", "unit", "n", "mean"});
  std::string out = "<table class=\"numbers\"><caption>summary.csv</caption>\n<tr><th>metric</th><th>unit</th><th>n</th>"
                    "<th>mean</th><th>p50</th><th>p99</th><th>max</th></tr>\n";
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    const auto cell = [&](const char* c) -> std::string {
      const auto col = t.column(c);
      if (!col) return "";
      const std::string& s = t.rows[i][*col];
      if (s.empty()) return "";
      const double v = number(file, i, c, s);
      return t.rows[i][*t.column("unit")] == "s" ? svg::format_seconds_short(v) : svg::format_number(v);
    };
    out += "<tr><td>" + escape(t.rows[i][*t.column("metric")]) + "</td><td>" + escape(t.rows[i][*t.column("unit")]) +
           "</td><td>" + escape(t.rows[i][*t.column("n")]) + "</td><td>" + cell("mean") + "</td><td>" + cell("p50") +
           "</td><td>" + cell("p99") + "</td><td>" + cell("max") + "</td></tr>\n";
  }
  return out + "</table>\n";
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
  tl.title = "Management operations" + std::string(r.from_replication ? " (replication 1)" : "");
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
    const std::size_t cat = tl.category(outcome, outcome_color(outcome));
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
  for (const auto& [name, colour] : states) tl.category(name, colour);
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
  tl.title = "Drive status" + std::string(r.from_replication ? " (replication 1)" : "");
  tl.max_rows = o.max_rows;
  tl.note = "drives whose state changed; replacements continue their slot's row";
  return figure("drives", tl.render(720));
}

// ---- queues ----------------------------------------------------------------------------------

std::string queue_charts(const Run& r, const HtmlReportOptions& o) {
  const fs::path file = r.data / "timeseries.csv";
  const auto t = optional_table(file, {"time_s", "subsystem", "mean_queue_depth", "max_queue_depth", "utilization"});
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
  svg::LineChart q;
  q.title = "Drive queue depth per subsystem" + std::string(r.from_replication ? " (replication 1)" : "");
  q.x = svg::Axis{.label = "simulated time", .unit = "s"};
  q.y = svg::Axis{.label = "requests queued", .unit = "", .min = 0.0, .include_zero = true};
  q.max_points = o.max_points;
  std::size_t k = 0;
  for (const auto& [sub, pts] : mean) {
    q.series.push_back(svg::Series{.name = sub + " mean over drives", .points = pts, .color = k});
    q.series.push_back(svg::Series{.name = sub + " busiest drive", .points = max[sub], .dashed = true, .color = k});
    ++k;
  }
  q.note = "queue lengths (waiting + in service) at the end of each metrics interval (timeseries.csv)";
  svg::LineChart u;
  u.title = "Drive utilisation per subsystem" + std::string(r.from_replication ? " (replication 1)" : "");
  u.x = q.x;
  u.y = svg::Axis{.label = "busy fraction (mean over drives)", .unit = "", .min = 0.0, .max = 1.0};
  u.max_points = o.max_points;
  k = 0;
  for (const auto& [sub, pts] : util) u.series.push_back(svg::Series{.name = sub, .points = pts, .color = k++});
  u.note = "busy fraction over each metrics interval, mean over the subsystem's drives (timeseries.csv)";
  return figure("queue-depth", q.render(720, 320)) + figure("utilization", u.render(720, 320));
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
  c.y = svg::Axis{.label = "fraction of replications", .unit = "", .include_zero = true};
  c.series.push_back(std::move(s));
  c.note = svg::format_count(n) + (n == 1 ? " replication (run with --replications N for a curve), " : " replications, ") +
           svg::format_count(losses.size()) + " with a loss; band: 95 % Clopper\u2013Pearson interval at each step";
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
  c.title = "Paths per LUN" + std::string(r.from_replication ? " (replication 1)" : "");
  c.x = svg::Axis{.label = "simulated time", .unit = "s"};
  c.y = svg::Axis{.label = "paths", .unit = "", .include_zero = true};
  c.max_points = o.max_points;
  std::size_t k = 0;
  for (auto& [lun, pts] : online) {
    auto& u = usable[lun];
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
.warning { color: #D55E00; font-weight: bold; }
footer { margin-top: 2em; color: #666; font-size: 0.8em; }
)";

} // namespace

void write_html_report(std::ostream& out, const std::filesystem::path& run_dir, const HtmlReportOptions& o) {
  const Run run = open_run(run_dir, "run");
  std::optional<Run> other;
  if (o.compare) other = open_run(*o.compare, "other");
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
  if (const std::string s = jobs_chart(run, o); !s.empty()) body += "<h2>Management operations</h2>\n" + s;
  if (const std::string s = drives_chart(run, o); !s.empty()) body += "<h2>Drives</h2>\n" + s;
  if (const std::string s = queue_charts(run, o); !s.empty()) body += "<h2>Queues and utilisation</h2>\n" + s;
  if (const std::string s = survival_chart(run); !s.empty()) body += "<h2>Reliability</h2>\n" + s;
  if (const std::string s = paths_chart(run, o); !s.empty()) body += "<h2>Paths</h2>\n" + s;

  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      << "<title>lunsim report: " << escape(name) << "</title>\n<style>" << style << "</style>\n</head>\n<body>\n"
      << body << "<footer>Written by lunsim report from " << escape(run.dir.string())
      << (other ? " compared with " + escape(other->dir.string()) : std::string()) << ". Self-contained: no script, no "
      << "network access.</footer>\n</body>\n</html>\n";
}

} // namespace sim::reports
