#include "reports/stats.hpp"

#include "sim/metrics/statistics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <ostream>
#include <stdexcept>
#include <utility>

namespace sim::reports {

namespace {

constexpr std::size_t max_exact_total = 60;
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

struct Ranked {
  double rank_sum_a = 0;
  double tie_term = 0; // sum of t^3 - t over groups of t equal values
  bool ties = false;
};

Ranked rank_pooled(std::span<const double> a, std::span<const double> b) {
  std::vector<std::pair<double, bool>> pooled;
  pooled.reserve(a.size() + b.size());
  for (double x : a)
    pooled.emplace_back(x, true);
  for (double x : b)
    pooled.emplace_back(x, false);
  if (std::any_of(pooled.begin(), pooled.end(), [](const auto& p) { return std::isnan(p.first); }))
    throw std::invalid_argument("mann_whitney_u: NaN value");
  std::sort(pooled.begin(), pooled.end(),
            [](const auto& l, const auto& r) { return l.first < r.first; });

  Ranked out;
  std::size_t i = 0;
  while (i < pooled.size()) {
    std::size_t j = i;
    while (j < pooled.size() && pooled[j].first == pooled[i].first)
      ++j;
    const double t = static_cast<double>(j - i);
    const double mid_rank = static_cast<double>(i + j + 1) / 2.0;
    for (std::size_t k = i; k < j; ++k)
      if (pooled[k].second)
        out.rank_sum_a += mid_rank;
    if (j - i > 1) {
      out.ties = true;
      out.tie_term += t * t * t - t;
    }
    i = j;
  }
  return out;
}

// counts[u] = number of ways to pick n_a of the ranks 1..n_a+n_b whose U equals
// u.
std::vector<std::uint64_t> exact_u_counts(std::size_t n_a, std::size_t n_b) {
  const std::size_t total = n_a + n_b;
  const std::size_t max_sum = total * (total + 1) / 2;
  std::vector<std::vector<std::uint64_t>> ways(n_a + 1, std::vector<std::uint64_t>(max_sum + 1, 0));
  ways[0][0] = 1;
  for (std::size_t rank = 1; rank <= total; ++rank)
    for (std::size_t j = std::min(rank, n_a); j >= 1; --j)
      for (std::size_t s = max_sum; s >= rank; --s)
        ways[j][s] += ways[j - 1][s - rank];
  const std::size_t offset = n_a * (n_a + 1) / 2;
  return {ways[n_a].begin() + static_cast<std::ptrdiff_t>(offset),
          ways[n_a].begin() + static_cast<std::ptrdiff_t>(offset + n_a * n_b + 1)};
}

double exact_p(std::size_t n_a, std::size_t n_b, std::size_t u) {
  const auto counts = exact_u_counts(n_a, n_b);
  const std::uint64_t all = std::accumulate(counts.begin(), counts.end(), std::uint64_t{0});
  const auto at_or_below = std::accumulate(
      counts.begin(), counts.begin() + static_cast<std::ptrdiff_t>(u) + 1, std::uint64_t{0});
  const auto at_or_above = std::accumulate(counts.begin() + static_cast<std::ptrdiff_t>(u),
                                           counts.end(), std::uint64_t{0});
  const double tail =
      static_cast<double>(std::min(at_or_below, at_or_above)) / static_cast<double>(all);
  return std::min(1.0, 2.0 * tail);
}

double normal_p(double n_a, double n_b, double u, double tie_term) {
  const double n = n_a + n_b;
  const double variance = n_a * n_b / 12.0 * ((n + 1.0) - tie_term / (n * (n - 1.0)));
  const double distance = std::abs(u - n_a * n_b / 2.0) - 0.5;
  if (!(variance > 0) || distance <= 0)
    return 1.0;
  const double z = distance / std::sqrt(variance);
  return std::min(1.0, std::erfc(z / std::sqrt(2.0)));
}

std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

class Xoshiro256StarStar {
public:
  explicit Xoshiro256StarStar(std::uint64_t seed) {
    for (auto& word : s_)
      word = splitmix64(seed);
  }

  std::uint64_t next() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, bound) without modulo bias.
  std::size_t below(std::size_t bound) {
    const std::uint64_t n = bound;
    const std::uint64_t threshold = (0 - n) % n;
    for (;;) {
      const std::uint64_t r = next();
      if (r >= threshold)
        return static_cast<std::size_t>(r % n);
    }
  }

private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4]{};
};

double mean(std::span<const double> v) {
  return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

double resampled_mean(std::span<const double> v, Xoshiro256StarStar& rng) {
  double sum = 0;
  for (std::size_t i = 0; i < v.size(); ++i)
    sum += v[rng.below(v.size())];
  return sum / static_cast<double>(v.size());
}

} // namespace

std::ostream& operator<<(std::ostream& os, const MannWhitney& m) {
  return os << "{u=" << m.u << ", p=" << m.p_value << (m.exact ? ", exact}" : ", normal}");
}

std::ostream& operator<<(std::ostream& os, const ChangeCI& c) {
  return os << c.estimate << " [" << c.low << ", " << c.high << "]";
}

MannWhitney mann_whitney_u(std::span<const double> a, std::span<const double> b) {
  const Ranked r = rank_pooled(a, b);
  if (a.empty() || b.empty())
    return {};
  const double n_a = static_cast<double>(a.size());
  const double n_b = static_cast<double>(b.size());
  MannWhitney out;
  out.u = r.rank_sum_a - n_a * (n_a + 1.0) / 2.0;
  out.exact = !r.ties && a.size() + b.size() <= max_exact_total;
  out.p_value = out.exact ? exact_p(a.size(), b.size(), static_cast<std::size_t>(out.u))
                          : normal_p(n_a, n_b, out.u, r.tie_term);
  return out;
}

std::vector<double> holm(std::span<const double> p_values) {
  for (double p : p_values)
    if (!(p >= 0 && p <= 1))
      throw std::invalid_argument("holm: p-value outside [0, 1]");
  std::vector<std::size_t> order(p_values.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t l, std::size_t r) { return p_values[l] < p_values[r]; });
  std::vector<double> adjusted(p_values.size());
  double running = 0;
  for (std::size_t k = 0; k < order.size(); ++k) {
    const double factor = static_cast<double>(order.size() - k);
    running = std::max(running, std::min(1.0, factor * p_values[order[k]]));
    adjusted[order[k]] = running;
  }
  return adjusted;
}

ChangeCI bootstrap_relative_change(std::span<const double> base, std::span<const double> cand,
                                   std::uint64_t seed, std::size_t resamples) {
  if (resamples == 0)
    throw std::invalid_argument("bootstrap_relative_change: resamples must be positive");
  if (base.empty() || cand.empty())
    return {nan, nan, nan};
  const double base_mean = mean(base);
  if (base_mean == 0)
    return {nan, nan, nan};

  ChangeCI out{(mean(cand) - base_mean) / base_mean, nan, nan};
  Xoshiro256StarStar rng(seed);
  std::vector<double> changes;
  changes.reserve(resamples);
  for (std::size_t i = 0; i < resamples; ++i) {
    const double b = resampled_mean(base, rng);
    const double c = resampled_mean(cand, rng);
    if (b != 0)
      changes.push_back((c - b) / b);
  }
  if (changes.empty())
    return out;
  std::sort(changes.begin(), changes.end());
  out.low = changes[metrics::nearest_rank(changes.size(), 250) - 1];
  out.high = changes[metrics::nearest_rank(changes.size(), 9750) - 1];
  return out;
}

std::size_t min_samples_per_side(std::size_t metrics, double alpha) {
  if (!(alpha > 0))
    throw std::invalid_argument("min_samples_per_side: alpha must be positive");
  const double needed = 2.0 * static_cast<double>(std::max<std::size_t>(metrics, 1)) / alpha;
  double central = 2; // C(2n, n) for n = 1
  std::size_t n = 1;
  while (central < needed) {
    ++n;
    const double nd = static_cast<double>(n);
    central = central * (2 * nd) * (2 * nd - 1) / (nd * nd);
  }
  return n;
}

} // namespace sim::reports
