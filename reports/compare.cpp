#include "reports/compare.hpp"

#include "reports/run_files.hpp"

#include "sim/metrics/csv.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <ostream>
#include <set>
#include <sstream>
#include <tuple>

namespace sim::reports {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr double infinity = std::numeric_limits<double>::infinity();
const char* const statistics[] = {"mean", "p90", "p99"};

// ---- formatting ----

/// The shortest decimal form that reads back to the same double; "" for NaN or infinities.
std::string exact(double v) { return metrics::format_shortest(v); }

std::string json_number(double v) { return std::isfinite(v) ? exact(v) : "null"; }

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

/// Four significant digits, scientific where fixed digits would lose the value (7.1e-12).
std::string human(double v) {
  if (std::isnan(v)) return "";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

std::string percent(double v) {
  if (std::isnan(v)) return "";
  if (std::isinf(v)) return v > 0 ? "+inf" : "-inf";
  char buf[64];
  if (std::abs(v) >= 100) std::snprintf(buf, sizeof buf, "%+.3g%%", 100 * v);
  else std::snprintf(buf, sizeof buf, "%+.2f%%", 100 * v);
  return buf;
}

// ---- reading ----

std::string meta_value(const RunData& r, const char* key) {
  const auto it = r.meta.find(key);
  return it == r.meta.end() ? std::string() : it->second;
}

/// meta.csv's keys and values (the last of a repeated key); `rows` gets each key's data row.
std::map<std::string, std::string> read_meta(const std::filesystem::path& file, std::map<std::string, std::size_t>* rows = nullptr) {
  const auto meta = read_table(file, {"key", "value"});
  std::map<std::string, std::string> out;
  for (std::size_t i = 0; i < meta.rows.size(); ++i) {
    out[meta.at(i, "key")] = meta.at(i, "value");
    if (rows) (*rows)[meta.at(i, "key")] = i;
  }
  if (out.count("csv_schema") == 0) throw InputError(file.string() + ": no csv_schema row (is it a lunsim output?)");
  return out;
}

/// The count in meta.csv's row `key`; InputError naming the row when absent or not a count.
std::uint64_t meta_count(const std::filesystem::path& file, const std::map<std::string, std::string>& meta,
                         const std::map<std::string, std::size_t>& rows, const char* key) {
  const auto it = meta.find(key);
  if (it == meta.end()) throw InputError(file.string() + ": no " + key + " row (is it a lunsim output?)");
  return count(file, rows.at(key), "value", it->second);
}

void check_better(const std::filesystem::path& file, std::size_t row, const std::string& better) {
  if (better != "lower" && better != "higher" && better != "none")
    throw InputError(file.string() + ":" + std::to_string(row + 2) + ": column 'better': '" + better +
                     "' (accepted: lower, higher, none)");
}

bool has_weight_column(const std::filesystem::path& file) {
  if (!std::filesystem::exists(file)) return false;
  const auto t = read_table(file, {});
  return t.column("weight").has_value();
}

// ---- comparing ----

double statistic_of(const ReplicationValue& v, const std::string& s) {
  return s == "mean" ? v.mean : s == "p90" ? v.p90 : v.p99;
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& x : v) out += (out.empty() ? "" : ", ") + x;
  return out;
}

bool all_equal(const std::vector<double>& v) {
  return std::all_of(v.begin(), v.end(), [&](double x) { return x == v.front(); });
}

// A series' data, kept until aliases are found.
struct SeriesData {
  std::vector<double> base, cand;  // paired: aligned pairs
  bool constant = false;
};

struct Builder {
  const CompareOptions& options;
  bool paired;
  std::vector<SeriesComparison> rows;
  std::vector<SeriesData> data;  // parallel to rows

  void add(SeriesComparison row, SeriesData d = {}) {
    rows.push_back(std::move(row));
    data.push_back(std::move(d));
  }

  void one_side(const std::string& metric, const SummaryRow& s, std::size_t n, Verdict v, const std::string& point) {
    SeriesComparison row;
    (v == Verdict::Removed ? row.n_base : row.n_cand) = n;
    row.metric = metric;
    row.statistic = s.per_replication ? "mean" : "estimate";
    row.unit = s.unit;
    row.better = s.better;
    row.point = point;
    row.change = Change{};
    row.change.base = v == Verdict::Removed ? s.mean : nan;
    row.change.cand = v == Verdict::Added ? s.mean : nan;
    row.change.diff = row.change.relative = nan;
    row.change.diff95 = row.change.diff90 = row.change.relative95 = row.change.relative90 = {nan, nan};
    row.verdict = v;
    add(std::move(row));
  }

  /// The series of per-replication values of `statistic`.
  void replication_series(SeriesComparison row, const std::vector<ReplicationValue>& b,
                          const std::vector<ReplicationValue>& c) {
    SeriesData d;
    if (paired) {
      std::size_t i = 0, j = 0;
      while (i < b.size() && j < c.size()) {
        if (b[i].replication < c[j].replication) ++i;
        else if (c[j].replication < b[i].replication) ++j;
        else {
          const double x = statistic_of(b[i], row.statistic), y = statistic_of(c[j], row.statistic);
          if (!std::isnan(x) && !std::isnan(y)) {
            d.base.push_back(x);
            d.cand.push_back(y);
          }
          ++i, ++j;
        }
      }
    } else {
      for (const auto& v : b)
        if (!std::isnan(statistic_of(v, row.statistic))) d.base.push_back(statistic_of(v, row.statistic));
      for (const auto& v : c)
        if (!std::isnan(statistic_of(v, row.statistic))) d.cand.push_back(statistic_of(v, row.statistic));
    }
    row.n_base = d.base.size();
    row.n_cand = d.cand.size();
    if (d.base.empty() || d.cand.empty()) {
      row.change = welch_change(replication_estimate(d.base), replication_estimate(d.cand));
      row.verdict = Verdict::Untested;
      add(std::move(row), std::move(d));
      return;
    }
    d.constant = all_equal(d.base) && all_equal(d.cand);
    if (paired) {
      row.change = paired_change(d.base, d.cand);
      row.method = Method::SignedRank;
      if (!d.constant) {
        std::vector<double> diff(d.base.size());
        for (std::size_t k = 0; k < diff.size(); ++k) diff[k] = d.cand[k] - d.base[k];
        row.test = wilcoxon_signed_rank(diff);
      }
    } else {
      row.change = welch_change(replication_estimate(d.base), replication_estimate(d.cand));
      row.method = Method::MannWhitney;
      if (!d.constant) row.test = mann_whitney_u(d.base, d.cand);
    }
    if (d.constant) row.method = Method::None;
    add(std::move(row), std::move(d));
  }

  /// Welch over replication values (weighted reliability rows): estimates and standard errors.
  void welch_series(SeriesComparison row, const std::vector<ReplicationValue>& b, const std::vector<ReplicationValue>& c) {
    SeriesData d;
    for (const auto& v : b)
      if (!std::isnan(v.mean)) d.base.push_back(v.mean);
    for (const auto& v : c)
      if (!std::isnan(v.mean)) d.cand.push_back(v.mean);
    row.n_base = d.base.size();
    row.n_cand = d.cand.size();
    const Estimate eb = replication_estimate(d.base), ec = replication_estimate(d.cand);
    row.change = welch_change(eb, ec);
    if (d.base.size() < 2 || d.cand.size() < 2) {
      row.verdict = Verdict::Untested;
    } else if (eb.se == 0 && ec.se == 0) {
      d.constant = true;
    } else {
      row.method = Method::Welch;
      row.test = welch_test(eb, ec);
    }
    add(std::move(row), std::move(d));
  }

  void estimate_series(SeriesComparison row, const SummaryRow& b, const SummaryRow& c) {
    SeriesData d;
    row.n_base = b.n;
    row.n_cand = c.n;
    const Estimate eb{b.mean, b.se, infinity}, ec{c.mean, c.se, infinity};
    row.change = welch_change(eb, ec);
    if (std::isnan(b.se) || std::isnan(c.se) || std::isnan(b.mean) || std::isnan(c.mean)) {
      row.verdict = Verdict::Untested;
    } else if (b.se == 0 && c.se == 0) {
      d.constant = true;
    } else {
      row.method = Method::Z;
      row.test = welch_test(eb, ec);
      d.base = {b.mean, b.se};
      d.cand = {c.mean, c.se};
    }
    add(std::move(row), std::move(d));
  }

  /// Every series of one pair of runs (a run comparison, or one sweep point from kept runs).
  void runs(const RunData& base, const RunData& cand, const std::string& point) {
    const bool weighted = base.weighted || cand.weighted;
    auto series_of = [&](const std::string& name) {
      const SummaryRow& b = base.summary.at(name);
      const SummaryRow& c = cand.summary.at(name);
      if (c.unit != b.unit)
        throw InputError((cand.dir / "summary.csv").string() + ": column 'unit': metric '" + name + "' is in '" + c.unit +
                         "' there but in '" + b.unit + "' in " + (base.dir / "summary.csv").string());
      SeriesComparison row;
      row.metric = name;
      row.unit = b.unit;
      row.better = b.better;
      row.point = point;
      static const std::vector<ReplicationValue> none;
      auto values = [&](const RunData& r) -> const std::vector<ReplicationValue>& {
        const auto it = r.replications_of.find(name);
        return it == r.replications_of.end() ? none : it->second;
      };
      if (!b.per_replication || !c.per_replication) {
        row.statistic = "estimate";
        estimate_series(std::move(row), b, c);
      } else if (weighted && name.rfind("reliability.", 0) == 0) {
        row.statistic = "mean";
        welch_series(std::move(row), values(base), values(cand));
      } else {
        for (const char* s : statistics) {
          SeriesComparison r = row;
          r.statistic = s;
          replication_series(std::move(r), values(base), values(cand));
        }
      }
    };
    for (const std::string& name : base.order) {
      if (cand.summary.count(name) == 0) one_side(name, base.summary.at(name), replications_having(base, name), Verdict::Removed, point);
      else series_of(name);
    }
    for (const std::string& name : cand.order)
      if (base.summary.count(name) == 0) one_side(name, cand.summary.at(name), replications_having(cand, name), Verdict::Added, point);
  }

  static std::size_t replications_having(const RunData& r, const std::string& name) {
    const auto it = r.replications_of.find(name);
    return it == r.replications_of.end() ? static_cast<std::size_t>(r.summary.at(name).n) : it->second.size();
  }

  /// Aliases, Holm over the family, and every verdict.
  void finish(Comparison& c) {
    // Aliases: the same method on the same values (bit for bit) is the same test.
    std::map<std::tuple<int, std::vector<double>, std::vector<double>>, std::size_t> first;
    std::vector<std::size_t> family;
    std::vector<std::size_t> representative(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
      representative[i] = i;
      if (!rows[i].tested() || data[i].constant) continue;
      const auto [it, fresh] = first.emplace(std::tuple{static_cast<int>(rows[i].method), data[i].base, data[i].cand}, i);
      if (fresh) {
        family.push_back(i);
      } else {
        representative[i] = it->second;
        const SeriesComparison& rep = rows[it->second];
        rows[i].alias_of = (rep.point.empty() ? "" : "point " + rep.point + " ") + rep.metric + " " + rep.statistic;
      }
    }
    std::vector<double> p;
    for (const std::size_t i : family) p.push_back(rows[i].test.p_value);
    const std::vector<double> adjusted = holm(p);
    for (std::size_t k = 0; k < family.size(); ++k) rows[family[k]].p_holm = adjusted[k];
    for (std::size_t i = 0; i < rows.size(); ++i) rows[i].p_holm = rows[representative[i]].p_holm;
    c.family = family.size();
    const bool ranks = std::any_of(family.begin(), family.end(), [&](std::size_t i) {
      return rows[i].method == Method::SignedRank || rows[i].method == Method::MannWhitney;
    });
    c.min_samples = !ranks ? 0 : paired ? min_pairs(c.family, options.alpha) : min_samples_per_side(c.family, options.alpha);
    for (std::size_t i = 0; i < rows.size(); ++i) rows[i].verdict = verdict(rows[i], data[i], c.min_samples);
    c.rows = std::move(rows);
  }

  Verdict verdict(const SeriesComparison& row, const SeriesData& d, std::size_t min_samples) const {
    if (row.verdict == Verdict::Added || row.verdict == Verdict::Removed || row.verdict == Verdict::Untested)
      return row.verdict;
    const double t = options.threshold;
    const Change& ch = row.change;
    // The relative change; beyond every threshold when the base mean is 0 and the candidate's not.
    double r = ch.relative;
    if (std::isnan(r) && ch.base == 0 && ch.cand != 0) r = ch.cand > 0 ? infinity : -infinity;
    const bool up = r > t, down = r < -t;
    auto direction = [&]() -> std::optional<Verdict> {
      if (row.better == "lower" && up) return Verdict::Slower;
      if (row.better == "lower" && down) return Verdict::Faster;
      if (row.better == "higher" && down) return Verdict::Slower;
      if (row.better == "higher" && up) return Verdict::Faster;
      if (row.better == "none" && (up || down)) return Verdict::Changed;
      return std::nullopt;
    };
    if (d.constant) {
      if (ch.base == ch.cand) return Verdict::Constant;
      if (const auto v = direction()) return *v;
      return Verdict::Equivalent;
    }
    if (row.p_holm <= options.alpha)
      if (const auto v = direction()) return *v;
    if (ch.relative90.low > -t && ch.relative90.high < t) return Verdict::Equivalent;
    const bool rank = row.method == Method::SignedRank || row.method == Method::MannWhitney;
    if (rank && std::min(row.n_base, row.n_cand) < min_samples) return Verdict::TooFewSamples;
    return Verdict::Inconclusive;
  }

};

std::string describe_design(const RunData& base, const RunData& cand, bool paired, Design requested) {
  const std::string seeds = base.seed == cand.seed ? "the same seed " + base.seed : "seeds " + base.seed + " and " + cand.seed;
  const std::string reps = base.replications == cand.replications
                               ? std::to_string(base.replications) + " replications each"
                               : std::to_string(base.replications) + " and " + std::to_string(cand.replications) + " replications";
  std::string why = seeds + ", " + reps;
  if (requested != Design::Auto) why += "; --design " + std::string(to_string(requested));
  return paired ? "paired (" + why + ": replication i of both drew the same random numbers): Wilcoxon signed-rank "
                  "tests on the differences, Student t intervals on the pairs"
                : "unpaired (" + why + "): Mann-Whitney U tests, Welch t intervals";
}

bool pairable(const RunData& base, const RunData& cand) {
  return base.seed == cand.seed && !base.seed.empty() && base.replications == cand.replications;
}

void check_schema(const RunData& base, const RunData& cand) {
  if (base.meta.at("csv_schema") != cand.meta.at("csv_schema"))
    throw InputError((cand.dir / "meta.csv").string() + ": csv_schema " + cand.meta.at("csv_schema") + " differs from " +
                     (base.dir / "meta.csv").string() + "'s " + base.meta.at("csv_schema"));
}

void provenance_warnings(const std::map<std::string, std::string>& b, const std::map<std::string, std::string>& c,
                         std::vector<std::string>& warnings) {
  auto get = [](const std::map<std::string, std::string>& m, const char* key) {
    const auto it = m.find(key);
    return it == m.end() ? std::string() : it->second;
  };
  if (get(b, "scenario_sha256") != get(c, "scenario_sha256")) {
    const std::string bn = get(b, "scenario_name"), cn = get(c, "scenario_name");
    warnings.push_back("the scenarios differ (scenario_sha256 " + get(b, "scenario_sha256").substr(0, 12) + " vs " +
                       get(c, "scenario_sha256").substr(0, 12) + (bn == cn ? ", both named " + bn : ": " + bn + " vs " + cn) +
                       "): a --set or an edit changed it");
  }
  if (get(b, "lunsim_version") != get(c, "lunsim_version") || get(b, "git_revision") != get(c, "git_revision"))
    warnings.push_back("the runs come from different lunsim builds: " + get(b, "lunsim_version") + " (" +
                       get(b, "git_revision") + ") vs " + get(c, "lunsim_version") + " (" + get(c, "git_revision") + ")");
}

} // namespace

const char* to_string(Design d) {
  switch (d) {
    case Design::Auto: return "auto";
    case Design::Paired: return "paired";
    case Design::Unpaired: return "unpaired";
  }
  return "unknown";
}

const char* to_string(Verdict v) {
  switch (v) {
    case Verdict::Slower: return "slower";
    case Verdict::Faster: return "faster";
    case Verdict::Changed: return "changed";
    case Verdict::Equivalent: return "equivalent";
    case Verdict::Inconclusive: return "inconclusive";
    case Verdict::TooFewSamples: return "too few samples";
    case Verdict::Constant: return "constant";
    case Verdict::Untested: return "untested";
    case Verdict::Added: return "added";
    case Verdict::Removed: return "removed";
  }
  return "unknown";
}

const char* to_string(Method m) {
  switch (m) {
    case Method::None: return "none";
    case Method::SignedRank: return "signed-rank";
    case Method::MannWhitney: return "mann-whitney";
    case Method::Welch: return "welch";
    case Method::Z: return "z";
  }
  return "unknown";
}

std::size_t Comparison::count(Verdict v) const {
  return static_cast<std::size_t>(
      std::count_if(rows.begin(), rows.end(), [&](const SeriesComparison& s) { return s.alias_of.empty() && s.verdict == v; }));
}

RunData read_run(const std::filesystem::path& dir) {
  if (!std::filesystem::is_directory(dir)) throw InputError(dir.string() + ": no such run directory");
  RunData r;
  r.dir = dir;
  const auto meta_file = dir / "meta.csv";
  std::map<std::string, std::size_t> meta_rows;
  r.meta = read_meta(meta_file, &meta_rows);
  r.seed = meta_value(r, "seed");
  r.replications = meta_count(meta_file, r.meta, meta_rows, "replications");
  if (r.replications == 0)
    throw InputError(meta_file.string() + ":" + std::to_string(meta_rows.at("replications") + 2) + ": replications is 0");
  r.weighted = has_weight_column(dir / "reliability.csv");

  const auto summary_file = dir / "summary.csv";
  const auto summary = read_table(summary_file, {"metric", "unit", "better", "n", "mean", "p50", "p90", "p99"});
  const auto se_column = summary.column("se");
  const auto percentiles_column = summary.column("percentiles");
  std::map<std::string, std::size_t> summary_row;
  for (std::size_t i = 0; i < summary.rows.size(); ++i) {
    auto at = [&](const char* c) { return summary.at(i, c); };
    SummaryRow m;
    m.unit = at("unit");
    m.better = at("better");
    check_better(summary_file, i, m.better);
    m.n = count(summary_file, i, "n", at("n"));
    m.mean = number(summary_file, i, "mean", at("mean"));
    m.p50 = number(summary_file, i, "p50", at("p50"));
    m.p90 = number(summary_file, i, "p90", at("p90"));
    m.p99 = number(summary_file, i, "p99", at("p99"));
    m.se = se_column ? number(summary_file, i, "se", summary.rows[i][*se_column]) : nan;
    if (m.se < 0) throw InputError(summary_file.string() + ":" + std::to_string(i + 2) + ": column 'se': negative");
    // Cross-replication rows (reliability estimates) have no percentiles and no replication rows.
    m.per_replication = !percentiles_column || !summary.rows[i][*percentiles_column].empty();
    const std::string name = at("metric");
    if (!summary_row.emplace(name, i).second)
      throw InputError(summary_file.string() + ":" + std::to_string(i + 2) + ": metric '" + name + "' appears twice");
    r.order.push_back(name);
    r.summary[name] = m;
  }

  const auto reps_file = dir / "replications.csv";
  const auto reps = read_table(reps_file, {"replication", "seed", "metric", "unit", "n", "mean", "p90", "p99"});
  std::vector<bool> seen(r.replications, false);
  std::map<std::string, std::uint64_t> n_sum;
  for (std::size_t i = 0; i < reps.rows.size(); ++i) {
    auto at = [&](const char* c) { return reps.at(i, c); };
    const auto line = [&] { return reps_file.string() + ":" + std::to_string(i + 2) + ": "; };
    ReplicationValue v;
    v.replication = count(reps_file, i, "replication", at("replication"));
    if (v.replication >= r.replications)
      throw InputError(line() + "replication " + std::to_string(v.replication) + ", but " + meta_file.string() + " says " +
                       std::to_string(r.replications) + " replication(s)");
    seen[v.replication] = true;
    const std::string name = at("metric");
    const auto s = r.summary.find(name);
    if (s == r.summary.end())
      throw InputError(line() + "metric '" + name + "' is not in " + summary_file.string() + " (was it cut short?)");
    if (at("unit") != s->second.unit)
      throw InputError(line() + "metric '" + name + "' is in '" + at("unit") + "' here but in '" + s->second.unit + "' in " +
                       summary_file.string());
    v.n = count(reps_file, i, "n", at("n"));
    v.mean = number(reps_file, i, "mean", at("mean"));
    v.p90 = number(reps_file, i, "p90", at("p90"));
    v.p99 = number(reps_file, i, "p99", at("p99"));
    auto& values = r.replications_of[name];
    if (!values.empty() && values.back().replication >= v.replication)
      throw InputError(line() + "metric '" + name + "' of replication " + std::to_string(v.replication) +
                       (values.back().replication == v.replication ? " appears twice" : " is out of replication order"));
    values.push_back(v);
    n_sum[name] += v.n;
  }
  for (std::uint64_t k = 0; k < r.replications; ++k)
    if (!seen[k])
      throw InputError(reps_file.string() + ": no row of replication " + std::to_string(k) + ", but " + meta_file.string() +
                       " says " + std::to_string(r.replications) + " replication(s) (was the file cut short?)");
  for (const auto& name : r.order) {
    const SummaryRow& s = r.summary.at(name);
    if (!s.per_replication) continue;
    const std::uint64_t sum = n_sum.count(name) ? n_sum.at(name) : 0;
    if (sum != s.n)
      throw InputError(summary_file.string() + ":" + std::to_string(summary_row.at(name) + 2) + ": metric '" + name +
                       "' has n = " + std::to_string(s.n) + ", but its rows in " + reps_file.string() + " sum to " +
                       std::to_string(sum) + " (one of the files was cut short or edited)");
  }
  return r;
}

Comparison compare(const RunData& base, const RunData& cand, const CompareOptions& options) {
  Comparison c;
  c.base_dir = base.dir;
  c.cand_dir = cand.dir;
  c.options = options;
  check_schema(base, cand);
  provenance_warnings(base.meta, cand.meta, c.warnings);
  if (options.design == Design::Paired && base.replications != cand.replications)
    throw InputError("--design paired: " + base.dir.string() + " has " + std::to_string(base.replications) + " replications, " +
                     cand.dir.string() + " " + std::to_string(cand.replications) + " (pairs need the same count)");
  c.paired = options.design == Design::Paired || (options.design == Design::Auto && pairable(base, cand));
  c.design_note = describe_design(base, cand, c.paired, options.design);
  c.weighted = base.weighted || cand.weighted;
  if (c.paired && base.seed != cand.seed)
    c.warnings.push_back("--design paired with different seeds: the pairs share no random numbers (valid, but no gain)");
  Builder b{options, c.paired, {}, {}};
  b.runs(base, cand, "");
  b.finish(c);
  return c;
}

// ---- sweeps ----

bool is_sweep_directory(const std::filesystem::path& dir) {
  const auto meta_file = dir / "meta.csv";
  if (!std::filesystem::is_regular_file(meta_file)) return false;
  return read_meta(meta_file).count("points") > 0;
}

namespace {

/// sweep.csv (written from points.csv when the sweep completed) must hold points.csv's means:
/// a row deleted from points.csv, or a value edited, is caught here.
void check_wide(const std::filesystem::path& file, const SweepData& s, const std::filesystem::path& points_file) {
  const auto t = read_table(file, {"point"});
  if (t.rows.size() != s.points.size())
    throw InputError(file.string() + ": " + std::to_string(t.rows.size()) + " point row(s), but " + points_file.string() +
                     " has " + std::to_string(s.points.size()));
  const std::size_t first = 2 + s.axes.size();
  for (std::size_t p = 0; p < t.rows.size(); ++p) {
    const SweepData::Point& pt = s.points[p];
    std::size_t seen = 0;
    for (std::size_t c = first; c < t.header.size(); ++c) {
      const std::string& h = t.header[c];
      if (h.size() < 5 || h.compare(h.size() - 5, 5, ".mean") != 0) continue;
      const std::string metric = h.substr(0, h.size() - 5);
      const std::string& text = t.rows[p][c];
      const auto it = pt.rows.find(metric);
      if (text.empty() && it == pt.rows.end()) continue;
      if (it == pt.rows.end())
        throw InputError(points_file.string() + ": point " + std::to_string(p) + " has no row of metric '" + metric + "', but " +
                         file.string() + " has its mean (was points.csv cut short or edited?)");
      const double mean = number(file, p, h, text);
      if (!(mean == it->second.mean || (std::isnan(mean) && std::isnan(it->second.mean))))
        throw InputError(file.string() + ":" + std::to_string(p + 2) + ": column '" + h + "': " + text + ", but " +
                         points_file.string() + " has another mean for point " + std::to_string(p) + " (edited?)");
      ++seen;
    }
    if (seen != pt.rows.size())
      throw InputError(file.string() + ":" + std::to_string(p + 2) + ": " + std::to_string(seen) + " metric(s) of point " +
                       std::to_string(p) + ", but " + points_file.string() + " has " + std::to_string(pt.rows.size()));
  }
}

} // namespace

SweepData read_sweep(const std::filesystem::path& dir) {
  if (!std::filesystem::is_directory(dir)) throw InputError(dir.string() + ": no such sweep directory");
  SweepData s;
  s.dir = dir;
  const auto meta_file = dir / "meta.csv";
  std::map<std::string, std::size_t> meta_rows;
  s.meta = read_meta(meta_file, &meta_rows);
  const std::uint64_t points = meta_count(meta_file, s.meta, meta_rows, "points");
  if (s.meta["status"] != "complete" || meta_count(meta_file, s.meta, meta_rows, "points_done") != points)
    throw InputError(meta_file.string() + ": the sweep is not complete (status " + s.meta["status"] + ", points_done " +
                     s.meta["points_done"] + " of " + std::to_string(points) + "): finish it with --resume before comparing");
  const auto file = dir / "points.csv";
  const auto t = read_table(file, {"point", "point_seed", "metric", "unit", "better", "n", "mean", "ci95_low", "ci95_high"});
  const std::size_t metric_col = *t.column("metric");
  if (*t.column("point_seed") != 1) throw InputError(file.string() + ":1: the grid axes must stand between point_seed and metric");
  s.axes.assign(t.header.begin() + 2, t.header.begin() + static_cast<std::ptrdiff_t>(metric_col));
  const auto se_column = t.column("se");
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    const auto line = [&] { return file.string() + ":" + std::to_string(i + 2) + ": "; };
    const std::uint64_t p = count(file, i, "point", t.at(i, "point"));
    if (p != s.points.size() && p + 1 != s.points.size())
      throw InputError(line() + "point " + std::to_string(p) + " out of order (points are written 0, 1, 2, ...)");
    if (p == s.points.size()) {
      SweepData::Point pt;
      for (std::size_t a = 0; a < s.axes.size(); ++a) pt.values.push_back(t.rows[i][2 + a]);
      s.points.push_back(std::move(pt));
    }
    SweepData::Point& pt = s.points.back();
    SummaryRow m;
    m.unit = t.at(i, "unit");
    m.better = t.at(i, "better");
    check_better(file, i, m.better);
    m.n = count(file, i, "n", t.at(i, "n"));
    m.mean = number(file, i, "mean", t.at(i, "mean"));
    const double low = number(file, i, "ci95_low", t.at(i, "ci95_low"));
    const double high = number(file, i, "ci95_high", t.at(i, "ci95_high"));
    // Cross-replication estimates have their standard error in the `se` column; a replication
    // mean's follows from its Student interval, (high - low) / 2 / t(0.975, n - 1).
    const std::string se_text = se_column ? t.rows[i][*se_column] : std::string();
    m.per_replication = se_text.empty();
    if (!m.per_replication) m.se = number(file, i, "se", se_text);
    else
      m.se = m.n >= 2 && !std::isnan(low) && !std::isnan(high)
                 ? (high - low) / 2 / metrics::t_quantile(0.975, static_cast<double>(m.n - 1))
                 : nan;
    const std::string name = t.at(i, "metric");
    if (!pt.rows.emplace(name, m).second) throw InputError(line() + "metric '" + name + "' appears twice in this point");
    pt.order.push_back(name);
    pt.ci95[name] = {low, high};
  }
  if (s.points.size() != points)
    throw InputError(file.string() + ": " + std::to_string(s.points.size()) + " point(s), but " + meta_file.string() +
                     " says " + std::to_string(points) + " (was the file cut short?)");
  check_wide(dir / "sweep.csv", s, file);
  s.kept_runs = s.meta["keep_runs"] == "true" && points > 0;
  for (std::size_t p = 0; s.kept_runs && p < s.points.size(); ++p) {
    char name[32];
    std::snprintf(name, sizeof name, "point-%03zu", p + 1);
    if (!std::filesystem::is_directory(dir / name))
      throw InputError((dir / name).string() + ": missing, but " + meta_file.string() + " says keep_runs,true");
  }
  return s;
}

Comparison compare_sweeps(const SweepData& base, const SweepData& cand, const CompareOptions& options) {
  Comparison c;
  c.base_dir = base.dir;
  c.cand_dir = cand.dir;
  c.options = options;
  c.sweep = true;
  if (base.meta.at("csv_schema") != cand.meta.at("csv_schema"))
    throw InputError((cand.dir / "meta.csv").string() + ": csv_schema " + cand.meta.at("csv_schema") + " differs from " +
                     (base.dir / "meta.csv").string() + "'s " + base.meta.at("csv_schema"));
  if (base.axes != cand.axes)
    throw InputError(cand.dir.string() + ": its grid's axes (" + join(cand.axes) + ") are not " + base.dir.string() + "'s (" +
                     join(base.axes) + "): sweeps are compared point by point over the same grid");
  for (std::size_t p = 0; p < std::min(base.points.size(), cand.points.size()); ++p)
    for (std::size_t a = 0; a < base.axes.size(); ++a)
      if (base.points[p].values[a] != cand.points[p].values[a])
        throw InputError((cand.dir / "points.csv").string() + ": point " + std::to_string(p) + " has " + base.axes[a] + "=" +
                         cand.points[p].values[a] + ", but " + base.axes[a] + "=" + base.points[p].values[a] + " in " +
                         (base.dir / "points.csv").string() + ": sweeps are compared point by point over the same grid");
  if (base.points.size() != cand.points.size())
    throw InputError(cand.dir.string() + " has " + std::to_string(cand.points.size()) + " points, " + base.dir.string() + " " +
                     std::to_string(base.points.size()) + ": sweeps are compared point by point over the same grid");
  provenance_warnings(base.meta, cand.meta, c.warnings);
  auto label = [](std::size_t p) { return std::to_string(p); };
  c.axes = base.axes;
  for (const auto& pt : base.points) c.point_values.push_back(pt.values);
  if (base.kept_runs && cand.kept_runs) {
    c.sweep_source = "replications";
    std::vector<RunData> b_runs, c_runs;
    bool all_pairable = true;
    for (std::size_t p = 0; p < base.points.size(); ++p) {
      char name[32];
      std::snprintf(name, sizeof name, "point-%03zu", p + 1);
      b_runs.push_back(read_run(base.dir / name));
      c_runs.push_back(read_run(cand.dir / name));
      all_pairable = all_pairable && pairable(b_runs.back(), c_runs.back());
      c.weighted = c.weighted || b_runs.back().weighted || c_runs.back().weighted;
    }
    if (options.design == Design::Paired && !b_runs.empty() && b_runs[0].replications != c_runs[0].replications)
      throw InputError("--design paired: the sweeps' points have different replication counts");
    c.paired = options.design == Design::Paired || (options.design == Design::Auto && all_pairable);
    c.design_note = "from the kept runs (point-NNN/replications.csv); " +
                    (b_runs.empty() ? std::string() : describe_design(b_runs[0], c_runs[0], c.paired, options.design));
    Builder b{options, c.paired, {}, {}};
    for (std::size_t p = 0; p < b_runs.size(); ++p) b.runs(b_runs[p], c_runs[p], label(p));
    b.finish(c);
  } else {
    c.sweep_source = "summaries";
    c.paired = false;
    c.design_note = "from points.csv (n, mean and standard error per point; the sweeps kept no runs): Welch t tests "
                    "and intervals on the means of the replication means; p90/p99 need --keep-runs";
    Builder b{options, false, {}, {}};
    for (std::size_t p = 0; p < base.points.size(); ++p) {
      const auto& bp = base.points[p];
      const auto& cp = cand.points[p];
      auto series = [&](const std::string& name) {
        const SummaryRow& x = bp.rows.at(name);
        const SummaryRow& y = cp.rows.at(name);
        if (x.unit != y.unit)
          throw InputError((cand.dir / "points.csv").string() + ": metric '" + name + "' of point " + std::to_string(p) +
                           " is in '" + y.unit + "' there but in '" + x.unit + "' in " + (base.dir / "points.csv").string());
        SeriesComparison row;
        row.metric = name;
        row.statistic = "mean";
        row.unit = x.unit;
        row.better = x.better;
        row.point = label(p);
        row.n_base = x.n;
        row.n_cand = y.n;
        // Replication means: Student's dof n - 1; cross-replication estimates (a standard error
        // of their own) are large-sample.
        const bool estimate = !x.per_replication || !y.per_replication;
        const Estimate ex{x.mean, x.se, x.per_replication ? static_cast<double>(x.n) - 1 : infinity};
        const Estimate ey{y.mean, y.se, y.per_replication ? static_cast<double>(y.n) - 1 : infinity};
        SeriesData d;
        row.change = welch_change(ex, ey);
        if (estimate) row.statistic = "estimate";
        if (std::isnan(x.se) || std::isnan(y.se) || (!estimate && (x.n < 2 || y.n < 2))) {
          row.verdict = Verdict::Untested;
        } else if (x.se == 0 && y.se == 0) {
          d.constant = true;
        } else {
          row.method = estimate ? Method::Z : Method::Welch;
          row.test = welch_test(ex, ey);
          d.base = {x.mean, x.se};
          d.cand = {y.mean, y.se};
        }
        b.add(std::move(row), std::move(d));
      };
      for (const auto& name : bp.order) {
        if (cp.rows.count(name) == 0) b.one_side(name, bp.rows.at(name), bp.rows.at(name).n, Verdict::Removed, label(p));
        else series(name);
      }
      for (const auto& name : cp.order)
        if (bp.rows.count(name) == 0) b.one_side(name, cp.rows.at(name), cp.rows.at(name).n, Verdict::Added, label(p));
    }
    b.finish(c);
  }
  return c;
}

// ---- writing ----

void write_report(std::ostream& os, const Comparison& c, Format format, bool colour) {
  std::vector<std::string> header;
  if (c.sweep) header.push_back("point");
  for (const char* h : {"metric", "statistic", "unit", "better", "design", "method", "n_base", "n_cand", "base", "cand",
                        "diff", "diff_ci95_low", "diff_ci95_high", "change", "change_ci95_low", "change_ci95_high",
                        "change_ci90_low", "change_ci90_high", "p_value", "p_holm", "exact", "alias_of", "verdict"})
    header.emplace_back(h);
  auto design_of = [&](const SeriesComparison& s) -> std::string {
    const bool weighted = c.weighted && s.metric.rfind("reliability.", 0) == 0;
    if (s.statistic == "estimate" || s.method == Method::Z) return weighted ? "weighted-estimate" : "estimate";
    if (c.sweep && c.sweep_source == "summaries") return "summary";
    if (s.method == Method::Welch) return weighted ? "weighted-estimate" : "estimate";
    return c.paired ? "paired" : "unpaired";
  };
  switch (format) {
    case Format::Csv: {
      metrics::CsvWriter w(os);
      w.header(header);
      for (const auto& s : c.rows) {
        if (c.sweep) w.field(s.point);
        w.field(s.metric).field(s.statistic).field(s.unit).field(s.better).field(design_of(s)).field(to_string(s.method));
        w.field(s.n_base).field(s.n_cand);
        for (const double v : {s.change.base, s.change.cand, s.change.diff, s.change.diff95.low, s.change.diff95.high,
                               s.change.relative, s.change.relative95.low, s.change.relative95.high,
                               s.change.relative90.low, s.change.relative90.high})
          w.field(v);
        if (s.tested()) w.field(s.test.p_value).field(s.p_holm).field(s.test.exact ? "true" : "false");
        else w.empty().empty().empty();
        w.field(s.alias_of).field(to_string(s.verdict));
        w.end_row();
      }
      return;
    }
    case Format::Json: {
      os << "{\n  \"base\": " << json_string(c.base_dir.string()) << ",\n  \"candidate\": " << json_string(c.cand_dir.string())
         << ",\n  \"sweep\": " << (c.sweep ? "true" : "false");
      if (c.sweep) os << ",\n  \"sweep_source\": " << json_string(c.sweep_source);
      os << ",\n  \"design\": " << json_string(c.paired ? "paired" : "unpaired")
         << ",\n  \"design_note\": " << json_string(c.design_note)
         << ",\n  \"weighted\": " << (c.weighted ? "true" : "false")
         << ",\n  \"threshold\": " << json_number(c.options.threshold) << ",\n  \"alpha\": " << json_number(c.options.alpha)
         << ",\n  \"family\": " << c.family << ",\n  \"min_samples_per_side\": " << c.min_samples << ",\n  \"warnings\": [";
      for (std::size_t i = 0; i < c.warnings.size(); ++i) os << (i ? ", " : "") << json_string(c.warnings[i]);
      os << "],\n  \"series\": [\n";
      for (std::size_t i = 0; i < c.rows.size(); ++i) {
        const auto& s = c.rows[i];
        os << "    {";
        if (c.sweep) os << "\"point\": " << s.point << ", ";
        os << "\"metric\": " << json_string(s.metric) << ", \"statistic\": " << json_string(s.statistic)
           << ", \"unit\": " << json_string(s.unit) << ", \"better\": " << json_string(s.better)
           << ", \"design\": " << json_string(design_of(s)) << ", \"method\": " << json_string(to_string(s.method))
           << ", \"n_base\": " << s.n_base << ", \"n_cand\": " << s.n_cand << ", \"base\": " << json_number(s.change.base)
           << ", \"cand\": " << json_number(s.change.cand) << ", \"diff\": " << json_number(s.change.diff)
           << ", \"diff_ci95\": [" << json_number(s.change.diff95.low) << ", " << json_number(s.change.diff95.high)
           << "], \"change\": " << json_number(s.change.relative) << ", \"change_ci95\": ["
           << json_number(s.change.relative95.low) << ", " << json_number(s.change.relative95.high)
           << "], \"change_ci90\": [" << json_number(s.change.relative90.low) << ", "
           << json_number(s.change.relative90.high) << "], \"p_value\": " << (s.tested() ? json_number(s.test.p_value) : "null")
           << ", \"p_holm\": " << (s.tested() ? json_number(s.p_holm) : "null")
           << ", \"exact\": " << (s.tested() ? (s.test.exact ? "true" : "false") : "null")
           << ", \"alias_of\": " << (s.alias_of.empty() ? "null" : json_string(s.alias_of))
           << ", \"verdict\": " << json_string(to_string(s.verdict)) << "}" << (i + 1 < c.rows.size() ? "," : "") << "\n";
      }
      os << "  ]\n}\n";
      return;
    }
    case Format::Markdown:
    case Format::Table: break;
  }

  // Human formats: aliases are listed after the table, not repeated in it.
  auto verdict_text = [](const SeriesComparison& s) { return std::string(to_string(s.verdict)); };
  auto point_text = [&](const SeriesComparison& s) { return s.point; };
  std::vector<std::string> cols{"metric", "stat", "unit", "n", "base", "cand", "change", "95% CI", "p (Holm)", "verdict"};
  if (c.sweep) cols.insert(cols.begin(), "point");
  std::vector<std::vector<std::string>> cells;
  std::vector<const SeriesComparison*> shown;
  std::vector<std::string> aliases;
  for (const auto& s : c.rows) {
    if (!s.alias_of.empty()) {
      aliases.push_back((s.point.empty() ? "" : "point " + s.point + " ") + s.metric + " " + s.statistic + " = " + s.alias_of);
      continue;
    }
    std::vector<std::string> row;
    if (c.sweep) row.push_back(point_text(s));
    const std::string n = std::to_string(s.n_base) + "/" + std::to_string(s.n_cand);
    const std::string ci = std::isnan(s.change.relative95.low)
                               ? ""
                               : "[" + percent(s.change.relative95.low) + ", " + percent(s.change.relative95.high) + "]";
    std::string change = percent(s.change.relative);
    if (std::isnan(s.change.relative) && s.change.diff == 0) change = "0";
    else if (std::isnan(s.change.relative) && !std::isnan(s.change.diff))
      change = (s.change.diff > 0 ? "+" : "") + human(s.change.diff) + " " + s.unit;
    row.insert(row.end(), {s.metric, s.statistic, s.unit, n, human(s.change.base), human(s.change.cand), change, ci,
                           s.tested() ? human(s.p_holm) : "", verdict_text(s)});
    cells.push_back(std::move(row));
    shown.push_back(&s);
  }
  const std::string threshold = human(100 * c.options.threshold) + " %";
  const std::string needs = c.min_samples == 0
                                ? std::string("no rank tests, so no minimum replication count")
                                : "significance needs at least " + std::to_string(c.min_samples) +
                                      (c.paired ? " pairs" : " replications per side");
  if (format == Format::Markdown) {
    os << "**lunsim compare** `" << c.base_dir.string() << "` → `" << c.cand_dir.string() << "`\n\n";
    os << "- design: " << c.design_note << "\n- threshold " << threshold << ", alpha " << human(c.options.alpha) << "; "
       << c.family << " test(s) in Holm's family; " << needs << "\n";
    if (c.weighted) os << "- importance-sampled: reliability rows compared by their weighted estimates and standard errors\n";
    for (const auto& w : c.warnings) os << "- warning: " << w << "\n";
    os << "\n|";
    for (const auto& h : cols) os << " " << h << " |";
    os << "\n|";
    for (std::size_t i = 0; i < cols.size(); ++i) os << "---|";
    os << "\n";
    for (std::size_t r = 0; r < cells.size(); ++r) {
      os << "|";
      for (std::size_t i = 0; i < cells[r].size(); ++i) {
        const bool bold = i + 1 == cells[r].size() && shown[r]->verdict == Verdict::Slower;
        const bool code = cols[i] == "metric";
        os << " " << (bold ? "**" : "") << (code ? "`" : "") << cells[r][i] << (code ? "`" : "") << (bold ? "**" : "") << " |";
      }
      os << "\n";
    }
    if (!aliases.empty()) {
      os << "\nAliases (the same values, tested once):";
      for (const auto& a : aliases) os << " `" << a << "`;";
      os << "\n";
    }
    return;
  }
  os << "base      " << c.base_dir.string() << "\ncandidate " << c.cand_dir.string() << "\n";
  os << "design    " << c.design_note << "\n";
  if (c.weighted) os << "weighted  importance-sampled: reliability rows compared by their weighted estimates and standard errors\n";
  for (const auto& w : c.warnings) os << "warning: " << w << "\n";
  for (std::size_t p = 0; p < c.point_values.size(); ++p) {
    os << (p == 0 ? "points    " : "          ") << p << ":";
    for (std::size_t a = 0; a < c.axes.size() && a < c.point_values[p].size(); ++a)
      os << (a == 0 ? " " : ", ") << c.axes[a] << "=" << c.point_values[p][a];
    os << "\n";
  }
  os << "threshold " << threshold << ", alpha " << human(c.options.alpha) << "; " << c.family
     << " test(s) in Holm's family; " << needs << "\n\n";
  std::vector<std::size_t> width(cols.size());
  for (std::size_t i = 0; i < cols.size(); ++i) width[i] = cols[i].size();
  for (const auto& row : cells)
    for (std::size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  // Text columns left-aligned, numbers right-aligned.
  auto left = [&](std::size_t i) { return cols[i] == "metric" || cols[i] == "stat" || cols[i] == "unit" || cols[i] == "verdict"; };
  auto line = [&](const std::vector<std::string>& row, const SeriesComparison* s) {
    std::string out;
    for (std::size_t i = 0; i < row.size(); ++i) {
      const std::string pad(width[i] - row[i].size(), ' ');
      const bool last = i + 1 == row.size();
      std::string cell = row[i];
      if (last && colour && s && s->verdict == Verdict::Slower) cell = "\x1b[31m" + cell + "\x1b[0m";
      if (last && colour && s && s->verdict == Verdict::Faster) cell = "\x1b[32m" + cell + "\x1b[0m";
      out += left(i) ? cell + (last ? "" : pad) : pad + cell;
      if (!last) out += "  ";
    }
    os << out << "\n";
  };
  line(cols, nullptr);
  for (std::size_t r = 0; r < cells.size(); ++r) line(cells[r], shown[r]);
  if (!aliases.empty()) {
    os << "\naliases (the same values, tested once): ";
    for (std::size_t i = 0; i < aliases.size(); ++i) os << (i ? "; " : "") << aliases[i];
    os << "\n";
  }
  os << "\n";
  bool first = true;
  for (const Verdict v : {Verdict::Slower, Verdict::Faster, Verdict::Changed, Verdict::Equivalent, Verdict::Inconclusive,
                          Verdict::TooFewSamples, Verdict::Constant, Verdict::Untested, Verdict::Added, Verdict::Removed}) {
    std::size_t n = 0;
    for (const auto* s : shown) n += s->verdict == v ? 1 : 0;
    if (n == 0) continue;
    os << (first ? "" : ", ") << n << " " << to_string(v);
    first = false;
  }
  os << (first ? "no series" : "") << " (of " << shown.size() << " distinct series)\n";
  for (const Verdict v : {Verdict::Slower, Verdict::Faster, Verdict::Changed}) {
    std::string names;
    for (const auto* s : shown)
      if (s->verdict == v)
        names += (names.empty() ? "" : ", ") + (s->point.empty() ? "" : "point " + s->point + " ") + s->metric + " " + s->statistic;
    if (!names.empty()) os << to_string(v) << ": " << names << "\n";
  }
}

} // namespace sim::reports
