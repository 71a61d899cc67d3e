#include "reports/compare.hpp"

#include "reports/run_files.hpp"

#include "sim/metrics/csv.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <ostream>
#include <sstream>

namespace sim::reports {

namespace {

std::string fixed(double v, int decimals) {
  if (std::isnan(v)) return "";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string percent(double v) {
  if (std::isnan(v)) return "";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%+.2f%%", 100 * v);
  return buf;
}

std::string sig(double v) {
  if (std::isnan(v)) return "";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += ch;
    }
  }
  return out + "\"";
}

std::string json_number(double v) { return std::isnan(v) ? "null" : sig(v); }

} // namespace

const char* to_string(Verdict v) {
  switch (v) {
    case Verdict::Slower: return "slower";
    case Verdict::Faster: return "faster";
    case Verdict::Unchanged: return "unchanged";
    case Verdict::TooFewSamples: return "too few samples";
    case Verdict::Added: return "added";
    case Verdict::Removed: return "removed";
  }
  return "unknown";
}

RunData read_run(const std::filesystem::path& dir) {
  if (!std::filesystem::is_directory(dir)) throw InputError(dir.string() + ": no such run directory");
  RunData r;
  r.dir = dir;
  const auto meta_file = dir / "meta.csv";
  const auto meta = read_table(meta_file, {"key", "value"});
  for (const auto& row : meta.rows) r.meta[row[*meta.column("key")]] = row[*meta.column("value")];
  if (r.meta.count("csv_schema") == 0) throw InputError(meta_file.string() + ": no csv_schema row");

  const auto summary_file = dir / "summary.csv";
  const auto summary = read_table(summary_file, {"metric", "unit", "better", "n", "mean", "p50", "p90", "p99"});
  for (std::size_t i = 0; i < summary.rows.size(); ++i) {
    const auto& row = summary.rows[i];
    auto at = [&](const char* c) { return row[*summary.column(c)]; };
    PooledMetric m;
    m.unit = at("unit");
    m.better = at("better");
    if (m.better != "lower" && m.better != "higher" && m.better != "none")
      throw InputError(summary_file.string() + ":" + std::to_string(i + 2) + ": column 'better': '" + m.better +
                       "' (accepted: lower, higher, none)");
    m.n = number(summary_file, i, "n", at("n"));
    m.mean = number(summary_file, i, "mean", at("mean"));
    m.p50 = number(summary_file, i, "p50", at("p50"));
    m.p90 = number(summary_file, i, "p90", at("p90"));
    m.p99 = number(summary_file, i, "p99", at("p99"));
    const std::string name = at("metric");
    if (r.pooled.count(name) == 0) r.order.push_back(name);
    r.pooled[name] = m;
  }

  const auto reps_file = dir / "replications.csv";
  const auto reps = read_table(reps_file, {"replication", "metric", "unit", "mean"});
  for (std::size_t i = 0; i < reps.rows.size(); ++i) {
    const auto& row = reps.rows[i];
    const std::string name = row[*reps.column("metric")];
    const double v = number(reps_file, i, "mean", row[*reps.column("mean")]);
    if (!std::isnan(v)) r.replication_means[name].push_back(v);
  }
  return r;
}

bool Comparison::any_slower() const {
  return std::any_of(rows.begin(), rows.end(), [](const MetricComparison& m) { return m.verdict == Verdict::Slower; });
}

Comparison compare(const RunData& base, const RunData& cand, double threshold) {
  Comparison c;
  c.base_dir = base.dir;
  c.cand_dir = cand.dir;
  c.threshold = threshold;
  if (base.meta.at("csv_schema") != cand.meta.at("csv_schema"))
    throw InputError((cand.dir / "meta.csv").string() + ": csv_schema " + cand.meta.at("csv_schema") + " differs from " +
                     (base.dir / "meta.csv").string() + "'s " + base.meta.at("csv_schema"));
  auto meta = [](const RunData& r, const char* key) {
    const auto it = r.meta.find(key);
    return it == r.meta.end() ? std::string() : it->second;
  };
  if (meta(base, "scenario_sha256") != meta(cand, "scenario_sha256"))
    c.warnings.push_back("the scenarios differ (scenario_sha256): " + meta(base, "scenario_name") + " vs " +
                         meta(cand, "scenario_name"));
  if (meta(base, "lunsim_version") != meta(cand, "lunsim_version") || meta(base, "git_revision") != meta(cand, "git_revision"))
    c.warnings.push_back("the runs come from different lunsim builds: " + meta(base, "lunsim_version") + " (" +
                         meta(base, "git_revision") + ") vs " + meta(cand, "lunsim_version") + " (" +
                         meta(cand, "git_revision") + ")");

  std::vector<std::size_t> tested;
  for (const std::string& name : base.order) {
    MetricComparison m;
    m.metric = name;
    m.base = base.pooled.at(name);
    m.unit = m.base.unit;
    m.better = m.base.better;
    const auto it = cand.pooled.find(name);
    if (it == cand.pooled.end()) {
      m.verdict = Verdict::Removed;
      c.rows.push_back(m);
      continue;
    }
    m.cand = it->second;
    if (m.cand.unit != m.base.unit)
      throw InputError((cand.dir / "summary.csv").string() + ": column 'unit': metric '" + name + "' is in '" +
                       m.cand.unit + "' there but in '" + m.base.unit + "' in " + (base.dir / "summary.csv").string());
    static const std::vector<double> none;
    const auto bm = base.replication_means.find(name);
    const auto cm = cand.replication_means.find(name);
    const std::vector<double>& b = bm == base.replication_means.end() ? none : bm->second;
    const std::vector<double>& k = cm == cand.replication_means.end() ? none : cm->second;
    m.n_base = b.size();
    m.n_cand = k.size();
    m.change = bootstrap_relative_change(b, k);
    if (!b.empty() && !k.empty()) {
      m.test = mann_whitney_u(b, k);
      m.tested = true;
      tested.push_back(c.rows.size());
    }
    c.rows.push_back(m);
  }
  for (const std::string& name : cand.order)
    if (base.pooled.count(name) == 0) {
      MetricComparison m;
      m.metric = name;
      m.cand = cand.pooled.at(name);
      m.unit = m.cand.unit;
      m.better = m.cand.better;
      m.verdict = Verdict::Added;
      c.rows.push_back(m);
    }

  std::vector<double> p;
  for (std::size_t i : tested) p.push_back(c.rows[i].test.p_value);
  const std::vector<double> adjusted = holm(p);
  c.min_samples = min_samples_per_side(std::max<std::size_t>(1, tested.size()));
  for (std::size_t k = 0; k < tested.size(); ++k) {
    MetricComparison& m = c.rows[tested[k]];
    m.p_holm = adjusted[k];
    if (std::min(m.n_base, m.n_cand) < c.min_samples) {
      m.verdict = Verdict::TooFewSamples;
      continue;
    }
    const bool significant = m.p_holm <= 0.05;
    const double d = m.change.estimate;
    m.verdict = Verdict::Unchanged;
    if (!significant || std::isnan(d) || m.better == "none") continue;
    const bool worse = m.better == "lower" ? d > threshold : d < -threshold;
    const bool better = m.better == "lower" ? d < -threshold : d > threshold;
    if (worse) m.verdict = Verdict::Slower;
    else if (better) m.verdict = Verdict::Faster;
  }
  for (MetricComparison& m : c.rows)
    if (!m.tested && m.verdict == Verdict::Unchanged) m.verdict = Verdict::TooFewSamples;
  return c;
}

void write_report(std::ostream& os, const Comparison& c, Format format, bool colour) {
  const std::vector<std::string> header = {"metric", "unit", "better", "n_base", "n_cand", "base_mean", "cand_mean",
                                           "base_p50", "cand_p50", "base_p90", "cand_p90", "base_p99", "cand_p99",
                                           "change", "change_ci95_low", "change_ci95_high", "p_value", "p_holm", "verdict"};
  auto cells = [&](const MetricComparison& m) {
    return std::vector<std::string>{m.metric, m.unit, m.better, std::to_string(m.n_base), std::to_string(m.n_cand),
                                    sig(m.base.mean), sig(m.cand.mean), sig(m.base.p50), sig(m.cand.p50),
                                    sig(m.base.p90), sig(m.cand.p90), sig(m.base.p99), sig(m.cand.p99),
                                    percent(m.change.estimate), percent(m.change.low), percent(m.change.high),
                                    m.tested ? sig(m.test.p_value) : "", m.tested ? sig(m.p_holm) : "",
                                    to_string(m.verdict)};
  };
  switch (format) {
    case Format::Csv: {
      metrics::CsvWriter w(os);
      w.header(header);
      for (const auto& m : c.rows) {
        for (const auto& cell : cells(m)) w.field(cell);
        w.end_row();
      }
      return;
    }
    case Format::Json: {
      os << "{\n  \"base\": " << json_string(c.base_dir.string()) << ",\n  \"candidate\": " << json_string(c.cand_dir.string())
         << ",\n  \"threshold\": " << json_number(c.threshold) << ",\n  \"min_samples_per_side\": " << c.min_samples
         << ",\n  \"warnings\": [";
      for (std::size_t i = 0; i < c.warnings.size(); ++i) os << (i ? ", " : "") << json_string(c.warnings[i]);
      os << "],\n  \"metrics\": [\n";
      for (std::size_t i = 0; i < c.rows.size(); ++i) {
        const auto& m = c.rows[i];
        os << "    {\"metric\": " << json_string(m.metric) << ", \"unit\": " << json_string(m.unit)
           << ", \"better\": " << json_string(m.better) << ", \"n_base\": " << m.n_base << ", \"n_cand\": " << m.n_cand
           << ", \"base_mean\": " << json_number(m.base.mean) << ", \"cand_mean\": " << json_number(m.cand.mean)
           << ", \"change\": " << json_number(m.change.estimate) << ", \"change_ci95\": [" << json_number(m.change.low)
           << ", " << json_number(m.change.high) << "], \"p_value\": " << (m.tested ? json_number(m.test.p_value) : "null")
           << ", \"p_holm\": " << (m.tested ? json_number(m.p_holm) : "null")
           << ", \"verdict\": " << json_string(to_string(m.verdict)) << "}" << (i + 1 < c.rows.size() ? "," : "") << "\n";
      }
      os << "  ]\n}\n";
      return;
    }
    case Format::Markdown: {
      os << "**lunsim compare** `" << c.base_dir.string() << "` → `" << c.cand_dir.string() << "` (threshold "
         << fixed(100 * c.threshold, 1) << " %, " << c.min_samples << " replications per side needed)\n\n";
      for (const auto& w : c.warnings) os << "> warning: " << w << "\n";
      if (!c.warnings.empty()) os << "\n";
      os << "| metric | unit | n | base mean | cand mean | change (95 % CI) | p (Holm) | verdict |\n";
      os << "|---|---|---|---|---|---|---|---|\n";
      for (const auto& m : c.rows)
        os << "| `" << m.metric << "` | " << m.unit << " | " << m.n_base << " / " << m.n_cand << " | " << sig(m.base.mean)
           << " | " << sig(m.cand.mean) << " | " << percent(m.change.estimate)
           << (std::isnan(m.change.low) ? "" : " [" + percent(m.change.low) + ", " + percent(m.change.high) + "]")
           << " | " << (m.tested ? sig(m.p_holm) : "") << " | "
           << (m.verdict == Verdict::Slower ? "**slower**" : to_string(m.verdict)) << " |\n";
      return;
    }
    case Format::Table: break;
  }
  os << "base      " << c.base_dir.string() << "\ncandidate " << c.cand_dir.string() << "\n";
  for (const auto& w : c.warnings) os << "warning: " << w << "\n";
  os << "threshold " << fixed(100 * c.threshold, 1) << " %; significance after Holm needs at least " << c.min_samples
     << " replications per side\n\n";
  char line[512];
  std::snprintf(line, sizeof line, "%-34s %-6s %7s %12s %12s %9s %21s %9s  %s\n", "metric", "unit", "n", "base mean",
                "cand mean", "change", "95% CI", "p (Holm)", "verdict");
  os << line;
  for (const auto& m : c.rows) {
    const std::string n = std::to_string(m.n_base) + "/" + std::to_string(m.n_cand);
    const std::string ci =
        std::isnan(m.change.low) ? "" : "[" + percent(m.change.low) + ", " + percent(m.change.high) + "]";
    const char* start = "";
    const char* end = "";
    if (colour && m.verdict == Verdict::Slower) start = "\x1b[31m", end = "\x1b[0m";
    if (colour && m.verdict == Verdict::Faster) start = "\x1b[32m", end = "\x1b[0m";
    std::snprintf(line, sizeof line, "%-34s %-6s %7s %12s %12s %9s %21s %9s  %s%s%s\n", m.metric.c_str(), m.unit.c_str(),
                  n.c_str(), sig(m.base.mean).c_str(), sig(m.cand.mean).c_str(), percent(m.change.estimate).c_str(),
                  ci.c_str(), m.tested ? sig(m.p_holm).c_str() : "", start, to_string(m.verdict), end);
    os << line;
  }
}

} // namespace sim::reports
