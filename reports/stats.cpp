#include "reports/stats.hpp"

#include "sim/metrics/statistics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <ostream>
#include <stdexcept>
#include <string>
#include <utility>

namespace sim::reports {

namespace {

// Exact null distributions up to these sizes (pooled values for U, non-zero pairs for W+); the
// U enumeration costs n_a * n * n (n + 1) additions, 1.3 million at n = 40.
constexpr std::size_t max_exact_u = 40;
constexpr std::size_t max_exact_w = 60;
constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr double infinity = std::numeric_limits<double>::infinity();

void reject_nan(std::span<const double> v, const char* who) {
  if (std::any_of(v.begin(), v.end(), [](double x) { return std::isnan(x); }))
    throw std::invalid_argument(std::string(who) + ": NaN value");
}

// Doubled mid-ranks (integers: 2 * the 1-based mid-rank) of the values, in their order, and the
// tie term sum of t^3 - t over groups of t equal values.
struct Ranks {
  std::vector<std::uint64_t> doubled;
  double tie_term = 0;
};

Ranks doubled_ranks(std::span<const double> values) {
  std::vector<std::size_t> order(values.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t l, std::size_t r) { return values[l] < values[r]; });
  Ranks out;
  out.doubled.resize(values.size());
  std::size_t i = 0;
  while (i < order.size()) {
    std::size_t j = i;
    while (j < order.size() && values[order[j]] == values[order[i]]) ++j;
    // Ranks i + 1 .. j share the mid-rank (i + 1 + j) / 2, doubled: i + 1 + j.
    for (std::size_t k = i; k < j; ++k) out.doubled[order[k]] = i + 1 + j;
    const double t = static_cast<double>(j - i);
    out.tie_term += t * t * t - t;
    i = j;
  }
  return out;
}

// 2 * min(P(X <= x), P(X >= x)) for a distribution given as counts over integer values 0..size-1.
double two_sided_p(const std::vector<std::uint64_t>& counts, std::uint64_t x) {
  std::uint64_t all = 0, below = 0, above = 0;
  for (std::size_t v = 0; v < counts.size(); ++v) {
    all += counts[v];
    if (v <= x) below += counts[v];
    if (v >= x) above += counts[v];
  }
  return std::min(1.0, 2.0 * static_cast<double>(std::min(below, above)) / static_cast<double>(all));
}

double normal_two_sided(double distance, double variance) {
  if (!(variance > 0) || distance <= 0) return 1.0;
  return std::min(1.0, std::erfc(distance / std::sqrt(variance) / std::sqrt(2.0)));
}

double t_quantile_or_nan(double p, double dof) { return dof > 0 ? metrics::t_quantile(p, dof) : nan; }

// est ± q * se, with a zero-width interval for se == 0 whatever q.
metrics::Interval around(double est, double se, double q) {
  if (std::isnan(se) || std::isnan(est)) return {nan, nan};
  if (se == 0) return {est, est};
  return {est - q * se, est + q * se};
}

// Welch–Satterthwaite degrees of freedom of a sum of two variance terms with their own dof.
double satterthwaite(double v1, double dof1, double v2, double dof2) {
  const double sum = v1 + v2;
  if (!(sum > 0)) return nan;
  double denominator = 0;
  if (v1 > 0 && !std::isinf(dof1)) denominator += v1 * v1 / dof1;
  if (v2 > 0 && !std::isinf(dof2)) denominator += v2 * v2 / dof2;
  return denominator == 0 ? infinity : sum * sum / denominator;
}

// The relative change R - 1 and its intervals from the ratio R, the standard error of log R
// (log scale) or of R (linear), and the dof.
void relative_intervals(Change& c, double se_log, double se_ratio, double dof) {
  c.dof = dof;
  if (c.base == 0) {
    c.relative = nan;
    c.relative95 = c.relative90 = {nan, nan};
    return;
  }
  const double ratio = c.cand / c.base;
  c.relative = ratio - 1;
  c.log_scale = c.base > 0 && c.cand > 0;
  const bool zero = c.log_scale ? se_log == 0 : se_ratio == 0;
  for (const auto& [interval, p] : {std::pair{&c.relative95, 0.975}, std::pair{&c.relative90, 0.95}}) {
    const double q = zero ? 0 : t_quantile_or_nan(p, dof);
    if (c.log_scale) {
      const metrics::Interval l = around(std::log(ratio), se_log, q);
      *interval = {std::expm1(l.low), std::expm1(l.high)};
      if (se_log == 0) *interval = {c.relative, c.relative};
    } else {
      const metrics::Interval r = around(ratio, se_ratio, q);
      *interval = {r.low - 1, r.high - 1};
    }
  }
}

// Equal values give that value exactly (a summed mean may round).
double mean_of(std::span<const double> v) {
  if (std::all_of(v.begin(), v.end(), [&](double x) { return x == v.front(); })) return v.front();
  metrics::CompensatedSum s;
  for (const double x : v) s.add(x);
  return s.value() / static_cast<double>(v.size());
}

// Sample standard deviation around a known mean (divisor n - 1).
double deviation(std::span<const double> v, double mean) {
  double m2 = 0;
  for (const double x : v) m2 += (x - mean) * (x - mean);
  return std::sqrt(m2 / static_cast<double>(v.size() - 1));
}

} // namespace

std::ostream& operator<<(std::ostream& os, const RankTest& t) {
  return os << "{statistic=" << t.statistic << ", p=" << t.p_value << (t.exact ? ", exact}" : ", normal}");
}

std::ostream& operator<<(std::ostream& os, const Change& c) {
  return os << c.relative << " [" << c.relative95.low << ", " << c.relative95.high << "] (diff " << c.diff << ")";
}

RankTest mann_whitney_u(std::span<const double> a, std::span<const double> b) {
  reject_nan(a, "mann_whitney_u");
  reject_nan(b, "mann_whitney_u");
  if (a.empty() || b.empty()) return {};
  std::vector<double> pooled(a.begin(), a.end());
  pooled.insert(pooled.end(), b.begin(), b.end());
  const Ranks r = doubled_ranks(pooled);
  std::uint64_t doubled_sum_a = 0;
  for (std::size_t i = 0; i < a.size(); ++i) doubled_sum_a += r.doubled[i];
  const std::uint64_t n_a = a.size(), n = pooled.size();
  // 2U = 2 * rank sum of a - n_a (n_a + 1).
  const std::uint64_t doubled_u = doubled_sum_a - n_a * (n_a + 1);
  RankTest out;
  out.statistic = static_cast<double>(doubled_u) / 2;
  if (n <= max_exact_u) {
    // ways[j][s]: subsets of j of the pooled ranks whose doubled rank sum is s.
    std::uint64_t max_sum = 0;
    for (const auto d : r.doubled) max_sum += d;
    std::vector<std::vector<std::uint64_t>> ways(n_a + 1, std::vector<std::uint64_t>(max_sum + 1, 0));
    ways[0][0] = 1;
    std::uint64_t reach = 0;
    std::size_t seen = 0;
    for (const auto d : r.doubled) {
      reach += d;
      ++seen;
      for (std::size_t j = std::min<std::size_t>(seen, n_a); j >= 1; --j)
        for (std::uint64_t s = reach; s >= d; --s) ways[j][s] += ways[j - 1][s - d];
    }
    out.exact = true;
    out.p_value = two_sided_p(ways[n_a], doubled_sum_a);
    return out;
  }
  const double na = static_cast<double>(n_a), nb = static_cast<double>(b.size()), nn = na + nb;
  const double variance = na * nb / 12.0 * ((nn + 1.0) - r.tie_term / (nn * (nn - 1.0)));
  out.p_value = normal_two_sided(std::abs(out.statistic - na * nb / 2.0) - 0.5, variance);
  return out;
}

RankTest wilcoxon_signed_rank(std::span<const double> differences) {
  reject_nan(differences, "wilcoxon_signed_rank");
  std::vector<double> magnitudes;
  std::vector<bool> positive;
  for (const double d : differences)
    if (d != 0) {
      magnitudes.push_back(std::abs(d));
      positive.push_back(d > 0);
    }
  if (magnitudes.empty()) return {};
  const Ranks r = doubled_ranks(magnitudes);
  std::uint64_t doubled_w = 0, doubled_total = 0;
  double square_sum = 0;
  for (std::size_t i = 0; i < magnitudes.size(); ++i) {
    doubled_total += r.doubled[i];
    square_sum += static_cast<double>(r.doubled[i]) * static_cast<double>(r.doubled[i]);
    if (positive[i]) doubled_w += r.doubled[i];
  }
  RankTest out;
  out.statistic = static_cast<double>(doubled_w) / 2;
  if (magnitudes.size() <= max_exact_w) {
    std::vector<std::uint64_t> ways(doubled_total + 1, 0);
    ways[0] = 1;
    std::uint64_t reach = 0;
    for (const auto d : r.doubled) {
      reach += d;
      for (std::uint64_t s = reach; s >= d; --s) ways[s] += ways[s - d];
    }
    out.exact = true;
    out.p_value = two_sided_p(ways, doubled_w);
    return out;
  }
  // In doubled units: mean total / 2, variance sum r^2 / 4, continuity correction 1.
  out.p_value = normal_two_sided(std::abs(static_cast<double>(doubled_w) - static_cast<double>(doubled_total) / 2) - 1,
                                 square_sum / 4);
  return out;
}

RankTest welch_test(const Estimate& base, const Estimate& cand) {
  if (std::isnan(base.mean) || std::isnan(cand.mean) || !(base.se >= 0) || !(cand.se >= 0) || !(base.dof > 0) ||
      !(cand.dof > 0))
    throw std::invalid_argument("welch_test: NaN mean, standard error or degrees of freedom, or a negative one");
  const double vb = base.se * base.se, vc = cand.se * cand.se;
  RankTest out;
  const double se = std::sqrt(vb + vc);
  if (!(se > 0)) {
    out.p_value = base.mean == cand.mean ? 1 : 0;
    return out;
  }
  out.statistic = (cand.mean - base.mean) / se;
  out.p_value = std::min(1.0, 2 * metrics::t_upper_tail(std::abs(out.statistic), satterthwaite(vb, base.dof, vc, cand.dof)));
  return out;
}

std::vector<double> holm(std::span<const double> p_values) {
  for (double p : p_values)
    if (!(p >= 0 && p <= 1)) throw std::invalid_argument("holm: p-value outside [0, 1]");
  std::vector<std::size_t> order(p_values.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t l, std::size_t r) { return p_values[l] < p_values[r]; });
  std::vector<double> adjusted(p_values.size());
  double running = 0;
  for (std::size_t k = 0; k < order.size(); ++k) {
    const double factor = static_cast<double>(order.size() - k);
    running = std::max(running, std::min(1.0, factor * p_values[order[k]]));
    adjusted[order[k]] = running;
  }
  return adjusted;
}

Estimate replication_estimate(std::span<const double> values) {
  reject_nan(values, "replication_estimate");
  if (values.empty()) return {nan, nan, nan};
  const double m = mean_of(values);
  if (values.size() < 2) return {m, nan, nan};
  const double n = static_cast<double>(values.size());
  return {m, deviation(values, m) / std::sqrt(n), n - 1};
}

Change paired_change(std::span<const double> base, std::span<const double> cand) {
  if (base.size() != cand.size()) throw std::invalid_argument("paired_change: the sides differ in size");
  reject_nan(base, "paired_change");
  reject_nan(cand, "paired_change");
  Change c;
  if (base.empty()) {
    c.base = c.cand = c.diff = c.relative = c.dof = nan;
    c.diff95 = c.diff90 = c.relative95 = c.relative90 = {nan, nan};
    return c;
  }
  c.base = mean_of(base);
  c.cand = mean_of(cand);
  c.diff = c.cand - c.base;
  const std::size_t n = base.size();
  double se_diff = nan, se_log = nan, se_ratio = nan, dof = nan;
  if (n >= 2) {
    dof = static_cast<double>(n - 1);
    std::vector<double> d(n), z(n);
    for (std::size_t i = 0; i < n; ++i) d[i] = cand[i] - base[i];
    se_diff = deviation(d, c.diff) / std::sqrt(static_cast<double>(n));
    if (c.base != 0 && c.cand != 0) {
      for (std::size_t i = 0; i < n; ++i) z[i] = cand[i] / c.cand - base[i] / c.base;
      se_log = deviation(z, mean_of(z)) / std::sqrt(static_cast<double>(n));
      se_ratio = std::abs(c.cand / c.base) * se_log;
    } else if (c.base != 0) {
      // cand's mean is 0: R = 0 and its linearisation is (cand_i - R base_i) / base = cand_i / base.
      for (std::size_t i = 0; i < n; ++i) z[i] = cand[i] / c.base;
      se_ratio = deviation(z, 0.0) / std::sqrt(static_cast<double>(n));
    }
  }
  const double q95 = se_diff == 0 ? 0 : t_quantile_or_nan(0.975, dof);
  const double q90 = se_diff == 0 ? 0 : t_quantile_or_nan(0.95, dof);
  c.diff95 = around(c.diff, se_diff, q95);
  c.diff90 = around(c.diff, se_diff, q90);
  relative_intervals(c, se_log, se_ratio, dof);
  return c;
}

Change welch_change(const Estimate& base, const Estimate& cand) {
  Change c;
  c.base = base.mean;
  c.cand = cand.mean;
  c.diff = cand.mean - base.mean;
  const double vb = base.se * base.se, vc = cand.se * cand.se;
  const double dof_diff = satterthwaite(vb, base.dof, vc, cand.dof);
  const double se_diff = std::sqrt(vb + vc);
  const double q95 = se_diff == 0 ? 0 : t_quantile_or_nan(0.975, dof_diff);
  const double q90 = se_diff == 0 ? 0 : t_quantile_or_nan(0.95, dof_diff);
  c.diff95 = around(c.diff, se_diff, q95);
  c.diff90 = around(c.diff, se_diff, q90);
  double se_log = nan, se_ratio = nan, dof = nan;
  if (c.base != 0) {
    const double ratio = c.cand / c.base;
    if (c.base > 0 && c.cand > 0) {
      const double wb = vb / (c.base * c.base), wc = vc / (c.cand * c.cand);
      se_log = std::sqrt(wb + wc);
      dof = satterthwaite(wb, base.dof, wc, cand.dof);
    } else {
      const double wb = ratio * ratio * vb / (c.base * c.base), wc = vc / (c.base * c.base);
      se_ratio = std::sqrt(wb + wc);
      dof = satterthwaite(wb, base.dof, wc, cand.dof);
    }
  }
  if (se_log == 0 || se_ratio == 0) dof = infinity;
  relative_intervals(c, se_log, se_ratio, dof);
  return c;
}

std::size_t min_samples_per_side(std::size_t tests, double alpha) {
  if (!(alpha > 0)) throw std::invalid_argument("min_samples_per_side: alpha must be positive");
  const double needed = 2.0 * static_cast<double>(std::max<std::size_t>(tests, 1)) / alpha;
  double central = 2;  // C(2n, n) for n = 1
  std::size_t n = 1;
  while (central < needed) {
    ++n;
    const double nd = static_cast<double>(n);
    central = central * (2 * nd) * (2 * nd - 1) / (nd * nd);
  }
  return n;
}

std::size_t min_pairs(std::size_t tests, double alpha) {
  if (!(alpha > 0)) throw std::invalid_argument("min_pairs: alpha must be positive");
  const double needed = 2.0 * static_cast<double>(std::max<std::size_t>(tests, 1)) / alpha;
  double power = 2;  // 2^n for n = 1
  std::size_t n = 1;
  while (power < needed) {
    ++n;
    power *= 2;
  }
  return n;
}

} // namespace sim::reports
