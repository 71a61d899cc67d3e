#include "sim/metrics/statistics.hpp"

#include "sim/base/int128.hpp"

#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>

#include <algorithm>
#include <bit>
#include <cmath>
#include <utility>
#include <limits>
#include <numeric>
#include <ostream>
#include <stdexcept>

namespace sim::metrics {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr double ns_per_second = 1e9;

struct Percentile {
  unsigned basis_points;
  double Summary::*field;
};

constexpr Percentile percentiles[] = {
    {5000, &Summary::p50}, {9000, &Summary::p90}, {9500, &Summary::p95}, {9900, &Summary::p99}};

Summary empty_summary() { return Summary{0, nan, nan, nan, nan, nan, nan, nan, nan}; }

double mean_of(std::span<const double> values) {
  CompensatedSum sum;
  for (const double v : values)
    sum.add(v);
  return sum.value() / static_cast<double>(values.size());
}

double sample_stddev(std::span<const double> values, double mean) {
  if (values.size() < 2)
    return nan;
  CompensatedSum squares;
  for (const double v : values)
    squares.add((v - mean) * (v - mean));
  return std::sqrt(squares.value() / static_cast<double>(values.size() - 1));
}

} // namespace

std::ostream& operator<<(std::ostream& os, const Summary& s) {
  return os << "{n=" << s.n << " mean=" << s.mean << " stddev=" << s.stddev << " min=" << s.min
            << " p50=" << s.p50 << " p90=" << s.p90 << " p95=" << s.p95 << " p99=" << s.p99
            << " max=" << s.max << '}';
}

std::ostream& operator<<(std::ostream& os, const Interval& i) {
  return os << '[' << i.low << ", " << i.high << ']';
}

std::size_t nearest_rank(std::size_t n, unsigned basis_points) {
  if (n == 0)
    throw std::invalid_argument("nearest_rank: empty sample");
  if (basis_points > 10000)
    throw std::invalid_argument("nearest_rank: percentile above 100%");
  const auto rank = base::ceil_div(static_cast<base::UInt128>(n) * basis_points, 10000U);
  return std::max<std::size_t>(1, static_cast<std::size_t>(rank));
}

namespace {

/// Sorts int64 values: LSD radix sort of the offsets from the minimum, on 11-bit digits (2048
/// counters: 16 KiB, in L1), as many stable passes as the range needs (three for the ~2^31 ns
/// range of response times up to a couple of seconds), all histograms from one read of the
/// data. Several times faster than std::sort for the millions of response times of a large run.
void radix_sort(std::vector<std::int64_t>& v) {
  if (v.size() < 256) {
    std::sort(v.begin(), v.end());
    return;
  }
  const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
  const std::int64_t base = *lo;
  // The range as unsigned (hi - lo can exceed INT64_MAX).
  const std::uint64_t range = static_cast<std::uint64_t>(*hi) - static_cast<std::uint64_t>(base);
  if (range == 0) return;
  constexpr int digit_bits = 11;
  constexpr std::size_t radix = std::size_t{1} << digit_bits;
  const int passes = (std::bit_width(range) + digit_bits - 1) / digit_bits;
  std::vector<std::size_t> count(static_cast<std::size_t>(passes) * radix, 0);
  auto key = [base](std::int64_t x) { return static_cast<std::uint64_t>(x) - static_cast<std::uint64_t>(base); };
  for (const std::int64_t x : v) {
    const std::uint64_t k = key(x);
    for (int p = 0; p < passes; ++p) ++count[static_cast<std::size_t>(p) * radix + (k >> (p * digit_bits) & (radix - 1))];
  }
  std::vector<std::int64_t> tmp(v.size());
  for (int p = 0; p < passes; ++p) {
    std::size_t* c = count.data() + static_cast<std::size_t>(p) * radix;
    if (std::find(c, c + radix, v.size()) != c + radix) continue;  // one digit for every value
    std::size_t sum = 0;
    for (std::size_t d = 0; d < radix; ++d) sum += std::exchange(c[d], sum);
    for (const std::int64_t x : v) tmp[c[key(x) >> (p * digit_bits) & (radix - 1)]++] = x;
    v.swap(tmp);
  }
}

double seconds(std::int64_t ns) { return static_cast<double>(ns) / ns_per_second; }

/// The exact sum of (v - w)^2 over int64 values, in 192 bits: each square is below 2^128 and
/// there are fewer than 2^64 of them, so it never overflows and never rounds.
class SquareSum {
public:
  SquareSum() = default;
  SquareSum(base::UInt128 low, std::uint64_t high) : low_(low), high_(high) {}
  void add(std::span<const std::int64_t> values, std::int64_t w) {
    for (const std::int64_t v : values) {
      const std::uint64_t d = v >= w ? static_cast<std::uint64_t>(v) - static_cast<std::uint64_t>(w)
                                     : static_cast<std::uint64_t>(w) - static_cast<std::uint64_t>(v);
      const base::UInt128 square = static_cast<base::UInt128>(d) * d;
      low_ += square;
      high_ += low_ < square ? 1 : 0;
    }
  }
  /// (this sum - x) as a double; requires x <= the sum.
  double minus(base::UInt128 x) const {
    const base::UInt128 low = low_ - x;
    const std::uint64_t high = high_ - (low_ < x ? 1 : 0);
    return std::ldexp(static_cast<double>(high), 128) + static_cast<double>(low);
  }

private:
  base::UInt128 low_ = 0;
  std::uint64_t high_ = 0;
};

/// Summary of n > 0 nanosecond values from their exact moments: `total` (the sum) and
/// `squares` (the sum of (v - w)^2 with w = total / n truncated), min and max; the rest (the
/// percentiles) is the caller's. With r = total - n w: mean = w + r / n and the sum of squared
/// deviations from it is squares - r^2 / n, both exact integers but for that last fraction, so
/// the result does not depend on the order of the values or on how they were split in runs.
Summary summary_of(std::size_t n, base::Int128 total, const SquareSum& squares, std::int64_t min, std::int64_t max) {
  const auto count = static_cast<base::Int128>(n);
  const base::Int128 whole = total / count;
  const base::Int128 rest = total % count;
  Summary s;
  s.n = n;
  s.mean = (static_cast<double>(whole) + static_cast<double>(rest) / static_cast<double>(n)) / ns_per_second;
  if (n >= 2) {
    const base::UInt128 r = static_cast<base::UInt128>(rest < 0 ? -rest : rest);
    const base::UInt128 r2 = r * r;  // |r| < n < 2^64
    const double deviations = squares.minus(r2 / n) - static_cast<double>(r2 % n) / static_cast<double>(n);
    s.stddev = std::sqrt(deviations / static_cast<double>(n - 1)) / ns_per_second;
  } else {
    s.stddev = nan;
  }
  s.min = seconds(min);
  s.max = seconds(max);
  return s;
}

/// The truncated mean w of the summary above.
std::int64_t whole_mean(std::size_t n, base::Int128 total) {
  return static_cast<std::int64_t>(total / static_cast<base::Int128>(n));
}

base::Int128 total_of(std::span<const std::int64_t> values) {
  base::Int128 total = 0;
  for (const std::int64_t v : values) total += v;
  return total;
}

/// The summary of sorted nanosecond values (n > 0).
Summary summarize_sorted_ns(std::span<const std::int64_t> sorted) {
  const std::size_t n = sorted.size();
  const base::Int128 total = total_of(sorted);
  SquareSum squares;
  squares.add(sorted, whole_mean(n, total));
  Summary s = summary_of(n, total, squares, sorted.front(), sorted.back());
  for (const auto& p : percentiles) s.*p.field = seconds(sorted[nearest_rank(n, p.basis_points) - 1]);
  return s;
}

/// The value of 1-based rank `rank` among the values of several sorted runs (min and max: the
/// smallest and largest of them all): the smallest x with at least `rank` values <= x, by
/// bisection on the value (at most 64 steps of one binary search per run).
std::int64_t select_rank(std::span<const std::vector<std::int64_t>* const> runs, std::size_t rank, std::int64_t min,
                         std::int64_t max) {
  auto at_most = [&](std::int64_t x) {
    std::size_t c = 0;
    for (const auto* r : runs) c += static_cast<std::size_t>(std::upper_bound(r->begin(), r->end(), x) - r->begin());
    return c;
  };
  std::int64_t lo = min, hi = max;  // the answer is in [lo, hi]
  while (lo < hi) {
    const std::int64_t mid = std::midpoint(lo, hi);  // rounds towards lo: lo <= mid < hi
    if (at_most(mid) >= rank) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/// The smallest and largest value of non-empty sorted runs (at least one).
std::pair<std::int64_t, std::int64_t> range_of(std::span<const std::vector<std::int64_t>* const> runs) {
  std::int64_t min = runs.front()->front(), max = runs.front()->back();
  for (const auto* r : runs) {
    min = std::min(min, r->front());
    max = std::max(max, r->back());
  }
  return {min, max};
}

/// Batch means of `n` values that for_each(f) visits in order (f(double), in seconds).
template <class ForEach>
Interval batch_means(std::size_t n, std::size_t batches, ForEach&& for_each) {
  if (batches < 2)
    throw std::invalid_argument("batch_means_ci95: fewer than 2 batches");
  if (n / 2 < batches)
    return Interval{nan, nan};
  const std::size_t batch_size = n / batches;
  std::vector<double> means;
  means.reserve(batches);
  CompensatedSum sum;
  std::size_t in_batch = 0;
  // Contiguous batches in order; the last n mod batches values are dropped.
  for_each([&](double x) {
    sum.add(x);
    if (++in_batch == batch_size) {
      if (means.size() < batches) means.push_back(sum.value() / static_cast<double>(batch_size));
      sum = CompensatedSum{};
      in_batch = 0;
    }
  });
  return mean_ci95(means);
}

} // namespace

void sort_ns(std::vector<std::int64_t>& values) { radix_sort(values); }

Summary summarize_sorted(std::span<const std::int64_t> sorted_ns) {
  return sorted_ns.empty() ? empty_summary() : summarize_sorted_ns(sorted_ns);
}

Summary summarize_sorted(std::span<const double> sorted) {
  if (sorted.empty()) return empty_summary();
  const std::size_t n = sorted.size();
  Summary s;
  s.n = n;
  s.mean = mean_of(sorted);
  s.stddev = sample_stddev(sorted, s.mean);
  s.min = sorted.front();
  s.max = sorted.back();
  for (const auto& p : percentiles) s.*p.field = sorted[nearest_rank(n, p.basis_points) - 1];
  return s;
}

void DurationMoments::add(std::int64_t ns, std::uint64_t count) {
  if (count == 0) return;
  n_ += count;
  sum_ += static_cast<base::Int128>(ns) * count;
  const std::uint64_t d = ns < 0 ? 0 - static_cast<std::uint64_t>(ns) : static_cast<std::uint64_t>(ns);
  const base::UInt128 square = static_cast<base::UInt128>(d) * d;  // below 2^128
  // square * count in 192 bits: (h 2^64 + l) c = h c 2^64 + l c.
  const base::UInt128 lc = static_cast<base::UInt128>(static_cast<std::uint64_t>(square)) * count;
  const base::UInt128 hc = static_cast<base::UInt128>(static_cast<std::uint64_t>(square >> 64)) * count;
  const base::UInt128 low = lc + (hc << 64);
  std::uint64_t high = static_cast<std::uint64_t>(hc >> 64) + (low < lc ? 1 : 0);
  low_ += low;
  high += low_ < low ? 1 : 0;
  high_ += high;
}

void DurationMoments::merge(const DurationMoments& other) {
  n_ += other.n_;
  sum_ += other.sum_;
  low_ += other.low_;
  high_ += other.high_ + (low_ < other.low_ ? 1 : 0);
}

namespace {

/// Numbers modulo 2^192 as three 64-bit limbs, least significant first: two's complement, so
/// signed products and sums come out right whenever the true result fits.
struct Limbs192 {
  std::uint64_t l[3] = {0, 0, 0};
};

Limbs192 limbs(base::Int128 v) {
  const auto u = static_cast<base::UInt128>(v);
  return Limbs192{{static_cast<std::uint64_t>(u), static_cast<std::uint64_t>(u >> 64), v < 0 ? ~std::uint64_t{0} : 0}};
}

Limbs192 plus(const Limbs192& a, const Limbs192& b) {
  Limbs192 r;
  unsigned carry = 0;
  for (int i = 0; i < 3; ++i) {
    const base::UInt128 t = static_cast<base::UInt128>(a.l[i]) + b.l[i] + carry;
    r.l[i] = static_cast<std::uint64_t>(t);
    carry = static_cast<unsigned>(t >> 64);
  }
  return r;
}

Limbs192 negated(const Limbs192& a) {
  return plus(Limbs192{{~a.l[0], ~a.l[1], ~a.l[2]}}, Limbs192{{1, 0, 0}});
}

Limbs192 times(const Limbs192& a, const Limbs192& b) {
  Limbs192 r;
  for (int i = 0; i < 3; ++i) {
    std::uint64_t carry = 0;
    for (int j = 0; i + j < 3; ++j) {
      const base::UInt128 t = static_cast<base::UInt128>(a.l[i]) * b.l[j] + r.l[i + j] + carry;
      r.l[i + j] = static_cast<std::uint64_t>(t);
      carry = static_cast<std::uint64_t>(t >> 64);
    }
  }
  return r;
}

} // namespace

double DurationMoments::mean() const {
  if (n_ == 0) return nan;
  const auto count = static_cast<base::Int128>(n_);
  const base::Int128 whole = sum_ / count, rest = sum_ % count;
  return (static_cast<double>(whole) + static_cast<double>(rest) / static_cast<double>(n_)) / ns_per_second;
}

double DurationMoments::stddev() const {
  if (n_ < 2) return nan;
  // Sum((x - w)^2) = Sum(x^2) - 2 w S + n w^2, exact modulo 2^192 and below 2^191 in truth.
  const base::Int128 w = sum_ / static_cast<base::Int128>(n_);
  const Limbs192 squares{{static_cast<std::uint64_t>(low_), static_cast<std::uint64_t>(low_ >> 64), high_}};
  const Limbs192 w_limbs = limbs(w);
  const Limbs192 two_w_s = times(times(w_limbs, limbs(sum_)), limbs(2));
  const Limbs192 n_w2 = times(times(w_limbs, w_limbs), limbs(static_cast<base::Int128>(n_)));
  const Limbs192 d = plus(plus(squares, negated(two_w_s)), n_w2);
  const SquareSum deviations(static_cast<base::UInt128>(d.l[0]) | static_cast<base::UInt128>(d.l[1]) << 64, d.l[2]);
  return summary_of(n_, sum_, deviations, 0, 0).stddev;
}

void DurationSample::new_run() {
  runs_.push_back(std::make_shared<Data>());
  own_ = runs_.back().get();
  if (runs_.size() > 1) forget_merged();
}

void DurationSample::forget_merged() {
  // Alone with the cache: empty it; shared with copies (which keep their runs): a new one.
  if (merged_ && merged_.use_count() == 1) merged_->summary.reset();
  else merged_ = std::make_shared<MergedCache>();
}

std::vector<std::int64_t>& DurationSample::own_run() {
  if (runs_.empty() || runs_.back().use_count() != 1) new_run();
  own_ = runs_.back().get();
  return own_->ns;
}

DurationTail& DurationSample::own_tail() {
  if (!tail_) {
    auto tail = std::make_shared<DurationTail>();
    for (const auto& r : runs_)
      for (const std::int64_t v : r->ns) tail->add(v);
    runs_.clear();
    merged_.reset();
    own_ = nullptr;
    tail_ = std::move(tail);
  } else if (tail_.use_count() != 1) {
    tail_ = std::make_shared<DurationTail>(*tail_);
  }
  return *tail_;
}

void DurationSample::add_to_tail(std::int64_t ns) {
  own_tail().add(ns);
  ++size_;
}

void DurationSample::append(const DurationSample& other) {
  if (other.empty()) return;
  if (&other == this) {
    const DurationSample copy = other;  // shares the runs and the tail
    append(copy);
    return;
  }
  if (tail_ || other.tail_) {
    DurationTail& t = own_tail();
    if (other.tail_) t.append(*other.tail_);
    else
      for (const auto& r : other.runs_)
        for (const std::int64_t v : r->ns) t.add(v);
    size_ += other.size_;
    return;
  }
  own_ = other.own_ = nullptr;  // both now hold shared runs
  for (const auto& r : other.runs_)
    if (!r->ns.empty()) runs_.push_back(r);
  size_ += other.size_;
  if (runs_.size() > 1) forget_merged();
}

std::span<const std::int64_t> DurationSample::values_ns() const {
  if (tail_) throw std::logic_error("DurationSample::values_ns: a sketched sample keeps no values");
  if (runs_.empty()) return {};
  if (runs_.size() > 1) throw std::logic_error("DurationSample::values_ns: a sample of several runs");
  return runs_.front()->ns;
}

const DurationSample::Sorted& DurationSample::sorted(const Data& d) {
  if (d.sorted) return *d.sorted;
  auto out = std::make_shared<Sorted>();
  out->values = d.ns;
  radix_sort(out->values);
  out->summary = summarize_sorted_ns(out->values);
  // The cache is part of the shared run, whoever asks first (not thread-safe: see the header).
  const_cast<Data&>(d).sorted = std::move(out);
  return *d.sorted;
}

std::vector<const std::vector<std::int64_t>*> DurationSample::sorted_runs() const {
  std::vector<const std::vector<std::int64_t>*> out;
  out.reserve(runs_.size());
  for (const auto& r : runs_)
    if (!r->ns.empty()) out.push_back(&sorted(*r).values);
  return out;
}

Summary DurationSample::summary() const {
  if (empty())
    return empty_summary();
  if (tail_) return tail_->summary();
  if (runs_.size() == 1) return sorted(*runs_.front()).summary;
  if (merged_->summary) return *merged_->summary;
  base::Int128 total = 0;
  for (const auto& r : runs_) total += total_of(r->ns);
  SquareSum squares;
  const std::int64_t whole = whole_mean(size_, total);
  for (const auto& r : runs_) squares.add(r->ns, whole);
  Summary s;
  if (size_ <= merge_above) {
    // Small: the percentiles from a sorted concatenated copy (cheaper than selecting across
    // many small runs).
    std::vector<std::int64_t> all;
    all.reserve(size_);
    for (const auto& r : runs_) all.insert(all.end(), r->ns.begin(), r->ns.end());
    radix_sort(all);
    s = summary_of(size_, total, squares, all.front(), all.back());
    for (const auto& p : percentiles) s.*p.field = seconds(all[nearest_rank(size_, p.basis_points) - 1]);
  } else {
    const auto runs = sorted_runs();
    const auto [min, max] = range_of(runs);
    s = summary_of(size_, total, squares, min, max);
    for (const auto& p : percentiles)
      s.*p.field = seconds(select_rank(runs, nearest_rank(size_, p.basis_points), min, max));
  }
  merged_->summary = std::make_shared<const Summary>(s);
  return s;
}

std::vector<std::int64_t> DurationSample::sorted_ns() const {
  if (tail_) throw std::logic_error("DurationSample::sorted_ns: a sketched sample keeps no values");
  if (empty()) return {};
  if (runs_.size() == 1) return sorted(*runs_.front()).values;
  std::vector<std::int64_t> all;
  all.reserve(size_);
  for (const auto& r : runs_) all.insert(all.end(), r->ns.begin(), r->ns.end());
  radix_sort(all);
  return all;
}

bool DurationSample::same_runs(const DurationSample& other) const {
  return runs_ == other.runs_ && tail_ == other.tail_;
}

std::int64_t DurationSample::quantile_ns(unsigned basis_points) const {
  if (empty()) throw std::invalid_argument("DurationSample::quantile_ns: empty sample");
  if (tail_) return tail_->quantile_ns(basis_points);
  const std::size_t want = nearest_rank(size_, basis_points);
  if (runs_.size() == 1) return sorted(*runs_.front()).values[want - 1];
  const auto runs = sorted_runs();
  const auto [min, max] = range_of(runs);
  return select_rank(runs, want, min, max);
}

void ValueSample::add(double v) {
  if (std::isnan(v))
    throw std::invalid_argument("ValueSample: NaN value");
  values_.push_back(v);
}

Summary ValueSample::summary() const { return summarize_sorted(std::span<const double>(sorted())); }

std::vector<double> ValueSample::sorted() const {
  std::vector<double> out = values_;
  // Often already in order (a count per replication, every drive idle): one pass then.
  if (!std::is_sorted(out.begin(), out.end())) std::sort(out.begin(), out.end());
  return out;
}

void RunningStats::add(double x) {
  if (std::isnan(x))
    throw std::invalid_argument("RunningStats: NaN value");
  if (n_ == 0) {
    min_ = x;
    max_ = x;
  } else {
    min_ = std::min(min_, x);
    max_ = std::max(max_, x);
  }
  ++n_;
  const double delta = x - mean_;
  mean_ += delta / static_cast<double>(n_);
  m2_ += delta * (x - mean_);
}

void RunningStats::merge(const RunningStats& other) {
  if (other.n_ == 0)
    return;
  if (n_ == 0) {
    *this = other;
    return;
  }
  const double na = static_cast<double>(n_);
  const double nb = static_cast<double>(other.n_);
  const double total = na + nb;
  const double delta = other.mean_ - mean_;
  mean_ += delta * (nb / total);
  m2_ += other.m2_ + delta * delta * (na * nb / total);
  n_ += other.n_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
}

double RunningStats::mean() const { return n_ == 0 ? nan : mean_; }
double RunningStats::variance() const {
  return n_ < 2 ? nan : m2_ / static_cast<double>(n_ - 1);
}
double RunningStats::stddev() const { return std::sqrt(variance()); }
double RunningStats::min() const { return n_ == 0 ? nan : min_; }
double RunningStats::max() const { return n_ == 0 ? nan : max_; }

double t_quantile_975(std::size_t dof) {
  if (dof == 0)
    throw std::invalid_argument("t_quantile_975: zero degrees of freedom");
  const boost::math::students_t distribution(static_cast<double>(dof));
  return boost::math::quantile(distribution, 0.975);
}

double t_quantile(double p, double dof) {
  if (!(p > 0 && p < 1)) throw std::invalid_argument("t_quantile: p outside (0, 1)");
  if (!(dof > 0)) throw std::invalid_argument("t_quantile: degrees of freedom not positive");
  if (std::isinf(dof)) return boost::math::quantile(boost::math::normal_distribution<double>(), p);
  return boost::math::quantile(boost::math::students_t_distribution<double>(dof), p);
}

double t_upper_tail(double t, double dof) {
  if (std::isnan(t) || !(dof > 0)) throw std::invalid_argument("t_upper_tail: NaN or degrees of freedom not positive");
  if (std::isinf(dof)) return boost::math::cdf(boost::math::complement(boost::math::normal_distribution<double>(), t));
  return boost::math::cdf(boost::math::complement(boost::math::students_t_distribution<double>(dof), t));
}

void MeanCi::add(double x) {
  if (std::isnan(x)) throw std::invalid_argument("MeanCi: NaN value");
  ++n_;
  // Neumaier's compensated sum for the mean.
  const double t = sum_ + x;
  if (std::fabs(sum_) >= std::fabs(x)) compensation_ += (sum_ - t) + x;
  else compensation_ += (x - t) + sum_;
  sum_ = t;
  // Welford's update for the squared deviations.
  const double d = x - running_;
  running_ += d / static_cast<double>(n_);
  m2_ += d * (x - running_);
}

double MeanCi::mean() const { return n_ == 0 ? nan : (sum_ + compensation_) / static_cast<double>(n_); }

Interval MeanCi::ci95() const {
  if (n_ < 2) return Interval{nan, nan};
  const double m = mean();
  const double s = std::sqrt(m2_ / static_cast<double>(n_ - 1));
  const double half = t_quantile_975(n_ - 1) * s / std::sqrt(static_cast<double>(n_));
  return Interval{m - half, m + half};
}

double MeanCi::se() const {
  if (n_ < 2) return nan;
  return std::sqrt(m2_ / static_cast<double>(n_ - 1)) / std::sqrt(static_cast<double>(n_));
}

Interval mean_ci95(std::span<const double> replication_values) {
  MeanCi m;
  for (const double v : replication_values) m.add(v);
  return m.ci95();
}

Interval batch_means_ci95(const DurationSample& series, std::size_t batches) {
  if (const DurationTail* tail = series.tail()) return tail->batch_ci95();
  return batch_means(series.size(), batches, [&](auto&& f) {
    series.for_each_run([&](std::span<const std::int64_t> run) {
      for (const std::int64_t v : run) f(static_cast<double>(v) * 1e-9);
    });
  });
}

Interval batch_means_ci95(std::span<const double> series, std::size_t batches) {
  return batch_means(series.size(), batches, [&](auto&& f) {
    for (const double x : series) f(x);
  });
}

// --- DurationTail ------------------------------------------------------------------------------

namespace {

/// Sums adjacent batches in pairs (batch size doubles); an odd last batch joins the incomplete
/// one, which stays shorter than the new size.
void coarsen(std::vector<base::Int128>& sums, std::uint64_t& size, base::Int128& partial, std::uint64_t& in_partial) {
  const std::size_t pairs = sums.size() / 2;
  if (sums.size() % 2 == 1) {
    partial += sums.back();
    in_partial += size;
  }
  for (std::size_t i = 0; i < pairs; ++i) sums[i] = sums[2 * i] + sums[2 * i + 1];
  sums.resize(pairs);
  size *= 2;
}

} // namespace

void DurationTail::add(std::int64_t ns) {
  if (n == 0 || ns < min) min = ns;
  if (n == 0 || ns > max) max = ns;
  ++n;
  moments.add(ns);
  sketch.add(static_cast<double>(ns));
  partial += ns;
  if (++in_partial == batch_size) {
    sums.push_back(partial);
    partial = 0;
    in_partial = 0;
    if (sums.size() == 2 * batches) coarsen(sums, batch_size, partial, in_partial);
  }
}

void DurationTail::append(const DurationTail& other) {
  if (other.n == 0) return;
  if (n == 0 || other.min < min) min = other.min;
  if (n == 0 || other.max > max) max = other.max;
  n += other.n;
  moments.merge(other.moments);
  sketch.merge(other.sketch);
  // The other's batches follow this tail's complete ones at a common batch size, coarsened side
  // by side so that no batch spans the seam: this tail's incomplete batch and a batch of it left
  // without a partner are dropped from the batches; the other's join its incomplete one.
  std::vector<base::Int128> theirs = other.sums;
  base::Int128 their_partial = other.partial;
  std::uint64_t their_size = other.batch_size, their_in_partial = other.in_partial;
  auto coarsen_mine = [&] {
    coarsen(sums, batch_size, partial, in_partial);
    partial = 0;
    in_partial = 0;
  };
  partial = 0;
  in_partial = 0;
  while (batch_size < their_size) coarsen_mine();
  while (their_size < batch_size) coarsen(theirs, their_size, their_partial, their_in_partial);
  while (sums.size() + theirs.size() >= 2 * batches) {
    coarsen_mine();
    coarsen(theirs, their_size, their_partial, their_in_partial);
  }
  sums.insert(sums.end(), theirs.begin(), theirs.end());
  partial = their_partial;
  in_partial = their_in_partial;
}

std::int64_t sketched_rank_ns(const QuantileSketch& sketch, std::uint64_t n, std::uint64_t rank, std::int64_t min,
                              std::int64_t max) {
  if (rank <= 1) return min;
  if (rank >= n) return max;
  const double q = sketch.at_rank(rank);
  // Whole nanoseconds within [min, max] (the double bounds may round outwards).
  if (q >= static_cast<double>(max)) return max;
  if (q <= static_cast<double>(min)) return min;
  return std::clamp(static_cast<std::int64_t>(std::llround(q)), min, max);
}

std::int64_t DurationTail::quantile_ns(unsigned basis_points) const {
  return sketched_rank_ns(sketch, n, nearest_rank(static_cast<std::size_t>(n), basis_points), min, max);
}

Summary DurationTail::summary() const {
  if (n == 0) return empty_summary();
  Summary s;
  s.n = static_cast<std::size_t>(n);
  s.mean = moments.mean();
  s.stddev = moments.stddev();
  s.min = seconds(min);
  s.max = seconds(max);
  for (const auto& p : percentiles) s.*p.field = seconds(quantile_ns(p.basis_points));
  return s;
}

Interval DurationTail::batch_ci95() const {
  MeanCi ci;
  for (const base::Int128 sum : sums) ci.add(static_cast<double>(sum) / static_cast<double>(batch_size) * 1e-9);
  return ci.ci95();
}

} // namespace sim::metrics
