#include "sim/metrics/pooled.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <ostream>
#include <stdexcept>

namespace sim::metrics {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

struct Percentile {
  unsigned basis_points;
  double Summary::*field;
};

constexpr Percentile percentiles[] = {
    {5000, &Summary::p50}, {9000, &Summary::p90}, {9500, &Summary::p95}, {9900, &Summary::p99}};

/// A value as the summary reports it: nanoseconds in seconds (as DurationSample), doubles as
/// they are.
double reported(std::int64_t ns) { return static_cast<double>(ns) / 1e9; }
double reported(double v) { return v; }

void sort_values(std::vector<std::int64_t>& v) { sort_ns(v); }
void sort_values(std::vector<double>& v) { std::sort(v.begin(), v.end()); }

} // namespace

std::ostream& operator<<(std::ostream& os, PoolTier t) {
  switch (t) {
  case PoolTier::Histogram: return os << "histogram";
  case PoolTier::Exact: return os << "exact";
  case PoolTier::Sketch: return os << "sketch";
  }
  return os << "?";
}

template <class T>
void Pooled<T>::add_sorted(std::span<const T> sorted) {
  if (sorted.empty()) return;
  if constexpr (std::is_same_v<T, double>) {
    if (!std::isfinite(sorted.front()) || !std::isfinite(sorted.back()))
      throw std::invalid_argument("Pooled: NaN or infinite value");
  }
  if (n_ == 0 || sorted.front() < min_) min_ = sorted.front();
  if (n_ == 0 || sorted.back() > max_) max_ = sorted.back();
  const std::uint64_t total = n_ + sorted.size();
  switch (tier_) {
  case PoolTier::Histogram:
    add_to_histogram(sorted);
    break;
  case PoolTier::Exact:
    if (total <= exact_limit) {
      if (values_.capacity() < total)
        values_.reserve(static_cast<std::size_t>(std::min(exact_limit, std::max<std::uint64_t>(total, 2 * values_.capacity()))));
      values_.insert(values_.end(), sorted.begin(), sorted.end());
    } else {
      sketch_all();
      sketch_.add_sorted(sorted);
      moments_add(sorted);
    }
    break;
  case PoolTier::Sketch:
    sketch_.add_sorted(sorted);
    moments_add(sorted);
    break;
  }
  n_ = total;
}

template <>
void Pooled<std::int64_t>::add_tail(const DurationTail& tail) {
  if (tail.n == 0) return;
  if (n_ == 0 || tail.min < min_) min_ = tail.min;
  if (n_ == 0 || tail.max > max_) max_ = tail.max;
  sketch_all();
  sketch_.merge(tail.sketch);
  moments_.merge(tail.moments);
  n_ += tail.n;
}

template <class T>
void Pooled<T>::sketch_all() {
  if (tier_ == PoolTier::Histogram) {
    for (const auto& [v, c] : histogram_) {
      sketch_.add(static_cast<double>(v), c);
      if constexpr (std::is_same_v<T, std::int64_t>) moments_.add(v, c);
      else merge_moments(c, static_cast<double>(c) * v, v, 0.0);
    }
    std::vector<Count>().swap(histogram_);
    std::vector<Count>().swap(scratch_);
  } else if (tier_ == PoolTier::Exact) {
    sort_values(values_);
    sketch_.add_sorted(std::span<const T>(values_));
    moments_add(values_);
    std::vector<T>().swap(values_);
  }
  tier_ = PoolTier::Sketch;
}

namespace {

/// The end of the run of values equal to sorted[j] (galloping: O(log run length)).
template <class T>
std::size_t run_end(std::span<const T> sorted, std::size_t j) {
  const T v = sorted[j];
  std::size_t lo = j + 1, step = 1;
  while (lo < sorted.size() && sorted[lo] == v) {
    const std::size_t probe = std::min(sorted.size(), lo + step);
    if (sorted[probe - 1] != v) {
      return static_cast<std::size_t>(std::upper_bound(sorted.begin() + static_cast<std::ptrdiff_t>(lo),
                                                       sorted.begin() + static_cast<std::ptrdiff_t>(probe), v) -
                                      sorted.begin());
    }
    lo = probe;
    step *= 2;
  }
  return lo;
}

} // namespace

template <class T>
void Pooled<T>::add_to_histogram(std::span<const T> sorted) {
  if (sorted.size() * 16 < histogram_.size()) {
    // A few values into a large histogram: found by bisection and counted in place.
    std::size_t fresh = 0;
    for (std::size_t j = 0; j < sorted.size(); j = run_end(sorted, j))
      if (!std::binary_search(histogram_.begin(), histogram_.end(), Count{sorted[j], 0},
                              [](const Count& a, const Count& b) { return a.first < b.first; }))
        ++fresh;
    if (histogram_.size() + fresh <= histogram_limit) {
      if (histogram_.capacity() < histogram_.size() + fresh)
        histogram_.reserve(std::min(histogram_limit, std::max(2 * histogram_.capacity(), histogram_.size() + fresh)));
      for (std::size_t j = 0; j < sorted.size();) {
        const std::size_t end = run_end(sorted, j);
        const auto at = std::lower_bound(histogram_.begin(), histogram_.end(), sorted[j],
                                         [](const Count& a, T v) { return a.first < v; });
        if (at != histogram_.end() && at->first == sorted[j]) at->second += end - j;
        else histogram_.insert(at, Count{sorted[j], end - j});
        j = end;
      }
      return;
    }
  }
  // Distinct values of the merge, counted before anything is built.
  std::size_t distinct = 0;
  {
    std::size_t i = 0, j = 0;
    while (i < histogram_.size() || j < sorted.size()) {
      T v;
      if (j == sorted.size() || (i < histogram_.size() && histogram_[i].first < sorted[j])) v = histogram_[i++].first;
      else {
        v = sorted[j];
        if (i < histogram_.size() && histogram_[i].first == v) ++i;
      }
      if (j < sorted.size() && sorted[j] == v) j = run_end(sorted, j);
      ++distinct;
    }
  }
  if (distinct <= histogram_limit) {
    scratch_.clear();
    scratch_.reserve(distinct);
    std::size_t i = 0, j = 0;
    while (i < histogram_.size() || j < sorted.size()) {
      if (j == sorted.size() || (i < histogram_.size() && histogram_[i].first < sorted[j])) {
        scratch_.push_back(histogram_[i++]);
        continue;
      }
      Count c{sorted[j], 0};
      if (i < histogram_.size() && histogram_[i].first == c.first) c.second = histogram_[i++].second;
      const std::size_t end = run_end(sorted, j);
      c.second += end - j;
      j = end;
      scratch_.push_back(c);
    }
    histogram_.swap(scratch_);
    return;
  }
  const std::uint64_t total = n_ + sorted.size();
  if (total <= exact_limit) {
    tier_ = PoolTier::Exact;
    values_.reserve(static_cast<std::size_t>(std::min(exact_limit, 2 * total)));
    for (const auto& [v, c] : histogram_) values_.insert(values_.end(), static_cast<std::size_t>(c), v);
    values_.insert(values_.end(), sorted.begin(), sorted.end());
  } else {
    // Straight to the sketch, value by value with its count (never expanded: the count may be
    // in the billions).
    sketch_all();
    sketch_.add_sorted(sorted);
    moments_add(sorted);
    return;
  }
  std::vector<Count>().swap(histogram_);
  std::vector<Count>().swap(scratch_);
}

template <class T>
void Pooled<T>::moments_add(std::span<const T> sorted) {
  if constexpr (std::is_same_v<T, std::int64_t>) {
    moments_.add(sorted);
  } else {
    if (sorted.empty()) return;
    CompensatedSum chunk;
    for (const double v : sorted) chunk.add(v);
    const auto nb = static_cast<double>(sorted.size());
    const double mean_b = chunk.value() / nb;
    CompensatedSum squares;
    for (const double v : sorted) squares.add((v - mean_b) * (v - mean_b));
    merge_moments(sorted.size(), chunk.value(), mean_b, squares.value());
  }
}

template <class T>
void Pooled<T>::merge_moments(std::uint64_t nb, double sum_b, double mean_b, double m2_b) {
  if constexpr (std::is_same_v<T, double>) {
    if (moments_.n == 0) {
      moments_.m2 = m2_b;
    } else {
      const auto na = static_cast<double>(moments_.n);
      const auto b = static_cast<double>(nb);
      const double delta = mean_b - moments_.sum.value() / na;
      moments_.m2 += m2_b + delta * delta * (na * b / (na + b));
    }
    moments_.sum.add(sum_b);
    moments_.n += nb;
  }
}

template <class T>
Summary Pooled<T>::summary() const {
  if (n_ == 0) return summarize_sorted(std::span<const T>());
  switch (tier_) {
  case PoolTier::Histogram: return histogram_summary();
  case PoolTier::Exact: {
    std::vector<T> sorted = values_;
    sort_values(sorted);
    return summarize_sorted(std::span<const T>(sorted));
  }
  case PoolTier::Sketch: break;
  }
  return sketch_summary();
}

template <class T>
Summary Pooled<T>::histogram_summary() const {
  Summary s;
  s.n = n_;
  if constexpr (std::is_same_v<T, std::int64_t>) {
    DurationMoments m;
    for (const auto& [v, c] : histogram_) m.add(v, c);
    s.mean = m.mean();
    s.stddev = m.stddev();
  } else {
    // As summarize_sorted over the sorted values: every copy of a value in turn.
    // (A zero adds nothing to a compensated sum: its copies are skipped.)
    CompensatedSum sum;
    for (const auto& [v, c] : histogram_)
      if (v != 0)
        for (std::uint64_t k = 0; k < c; ++k) sum.add(v);
    s.mean = sum.value() / static_cast<double>(n_);
    if (n_ < 2) {
      s.stddev = nan;
    } else {
      CompensatedSum squares;
      for (const auto& [v, c] : histogram_) {
        const double d = (v - s.mean) * (v - s.mean);
        if (d != 0)
          for (std::uint64_t k = 0; k < c; ++k) squares.add(d);
      }
      s.stddev = std::sqrt(squares.value() / static_cast<double>(n_ - 1));
    }
  }
  s.min = reported(histogram_.front().first);
  s.max = reported(histogram_.back().first);
  for (const auto& p : percentiles) {
    const std::uint64_t rank = nearest_rank(static_cast<std::size_t>(n_), p.basis_points);
    std::uint64_t seen = 0;
    for (const auto& [v, c] : histogram_) {
      seen += c;
      if (seen >= rank) {
        s.*p.field = reported(v);
        break;
      }
    }
  }
  return s;
}

template <class T>
Summary Pooled<T>::sketch_summary() const {
  Summary s;
  s.n = n_;
  if constexpr (std::is_same_v<T, std::int64_t>) {
    s.mean = moments_.mean();
    s.stddev = moments_.stddev();
  } else {
    s.mean = moments_.sum.value() / static_cast<double>(moments_.n);
    s.stddev = moments_.n < 2 ? nan : std::sqrt(moments_.m2 / static_cast<double>(moments_.n - 1));
  }
  s.min = reported(min_);
  s.max = reported(max_);
  for (const auto& p : percentiles) {
    const std::uint64_t rank = nearest_rank(static_cast<std::size_t>(n_), p.basis_points);
    T value;
    if constexpr (std::is_same_v<T, std::int64_t>) value = sketched_rank_ns(sketch_, n_, rank, min_, max_);
    else if (rank == 1) value = min_;
    else if (rank == n_) value = max_;
    else value = std::clamp(sketch_.at_rank(rank), min_, max_);
    s.*p.field = reported(value);
  }
  return s;
}

template <class T>
std::size_t Pooled<T>::memory_bytes() const {
  return sizeof(*this) + (histogram_.capacity() + scratch_.capacity()) * sizeof(Count) + values_.capacity() * sizeof(T) +
         (sketch_.memory_bytes() - sizeof(QuantileSketch));
}

template class Pooled<std::int64_t>;
template class Pooled<double>;

} // namespace sim::metrics
