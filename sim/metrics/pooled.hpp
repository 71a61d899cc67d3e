// Pooled samples: the values of one summary metric over many replications, in memory that stops
// growing with their number (`lunsim run --replications N`, README "Replications").
//
// A pool is fed one replication's values at a time, sorted, and holds what it has seen in one of
// three tiers, moving down only:
//   Histogram  at most histogram_limit distinct values: each with its count. That is the sorted
//              sample itself, so every statistic is the one DurationSample / ValueSample would
//              give for all the values, bit for bit (the mean and deviation of plain values are
//              summed value by value in sorted order, as there).
//   Exact      more distinct values, but at most exact_limit values: the values themselves;
//              again the same bits.
//   Sketch     more than exact_limit values: the exact values are freed; a QuantileSketch gives
//              p50..p99, within QuantileSketch::relative_accuracy (0.5 %) relative of the exact
//              value of the same nearest rank (durations: plus at most half a nanosecond, as
//              they are rounded to whole nanoseconds), clamped into [min, max]. Durations keep
//              exact integer moments (DurationMoments), so n, mean, stddev, min and max are still
//              exactly the exact summary's bits; plain values keep a compensated sum and Chan's
//              merge of each replication's squared deviations, deterministic for a given order
//              of add_sorted() calls but possibly different from the exact values in the last
//              bits.
// Min and max are always exact. Percentile ranks are nearest-rank, ceil(p n) as for exact
// samples; the ranks 1 and n are the exact minimum and maximum in every tier.
//
// Memory (memory_bytes()): at most 2 x histogram_limit (value, count) pairs (128 KiB), then at
// most exact_limit values (8 MiB), then the sketch's counters: 8 bytes per bucket between the
// smallest and the largest magnitude seen, with up to half as much again of spare capacity
// (about 1,400 buckets for nanosecond response times from 1 us to 1 s; never more than the
// 145,000 buckets of a sign's whole double range). No tier keeps anything per replication.
//
// Determinism: results depend on the values and, for sketched plain values' mean and stddev,
// on the order of the add_sorted() calls; feed replications in replication order.
#pragma once

#include "sim/metrics/sketch.hpp"
#include "sim/metrics/statistics.hpp"

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <span>
#include <type_traits>
#include <utility>
#include <vector>

namespace sim::metrics {

enum class PoolTier { Histogram, Exact, Sketch };

std::ostream& operator<<(std::ostream& os, PoolTier t);

/// T is std::int64_t (nanoseconds: the summary is in seconds, as DurationSample's) or double.
/// Not thread-safe; owns everything it holds.
template <class T>
class Pooled {
  static_assert(std::is_same_v<T, std::int64_t> || std::is_same_v<T, double>);

public:
  static constexpr std::size_t histogram_limit = 4096;
  static constexpr std::uint64_t exact_limit = std::uint64_t{1} << 20;

  /// Adds one replication's values, sorted ascending (nanoseconds for durations). Plain values
  /// must be finite (NaN and infinities throw std::invalid_argument).
  void add_sorted(std::span<const T> sorted);

  /// Adds a sketched DurationSample's values: the pool moves to the Sketch tier, as it would on
  /// passing exact_limit, and merges the tail's sketch, moments and extremes. Defined for
  /// PooledDurations only (a pool of plain values does not link with it).
  void add_tail(const DurationTail& tail);

  std::uint64_t size() const { return n_; }
  PoolTier tier() const { return tier_; }
  /// False once the percentiles come from the sketch.
  bool exact() const { return tier_ != PoolTier::Sketch; }
  /// n = 0 and NaN while empty, as the exact samples' summaries.
  Summary summary() const;
  /// Bytes held, at the vectors' capacities.
  std::size_t memory_bytes() const;

private:
  /// Sketch-tier moments of plain values: a compensated sum in add order, and Chan's merge of
  /// each added span's squared deviations from its own mean.
  struct ValueMoments {
    CompensatedSum sum;
    double m2 = 0;
    std::uint64_t n = 0;
  };
  using Moments = std::conditional_t<std::is_same_v<T, std::int64_t>, DurationMoments, ValueMoments>;
  using Count = std::pair<T, std::uint64_t>;

  void add_to_histogram(std::span<const T> sorted);
  /// Moves the Histogram or Exact tier's values to the sketch.
  void sketch_all();
  void moments_add(std::span<const T> sorted);
  /// Plain values: merges a group of nb values with sum sum_b, mean mean_b and squared
  /// deviations m2_b into the sketch-tier moments.
  void merge_moments(std::uint64_t nb, double sum_b, double mean_b, double m2_b);
  Summary histogram_summary() const;
  Summary sketch_summary() const;

  PoolTier tier_ = PoolTier::Histogram;
  std::uint64_t n_ = 0;
  T min_{}, max_{};
  std::vector<Count> histogram_, scratch_;  // (value, count), ascending
  std::vector<T> values_;                   // the exact tier, in add order
  QuantileSketch sketch_;
  Moments moments_{};
};

template <>
void Pooled<std::int64_t>::add_tail(const DurationTail& tail);

extern template class Pooled<std::int64_t>;
extern template class Pooled<double>;

using PooledDurations = Pooled<std::int64_t>;
using PooledValues = Pooled<double>;

} // namespace sim::metrics
