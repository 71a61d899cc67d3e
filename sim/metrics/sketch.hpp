// A relative-error quantile sketch (DDSketch: Masson, Rim and Lee, VLDB 2019) for pooled
// percentiles that no longer fit in memory as exact values.
//
// Values are counted in logarithmic buckets: with relative accuracy α = 0.005 and
// γ = (1 + α) / (1 − α), bucket i holds the magnitudes in (γ^(i−1), γ^i], i.e. i = ⌈log_γ |x|⌉,
// and stands for them all by its representative 2γ^i / (γ + 1), which is within α relative of
// every magnitude in the bucket (up to the rounding of γ^i in doubles, and for magnitudes from
// the smallest normal double, ~2.2e-308, to ~1.78e308: the edges of subnormal buckets round
// together, and the largest bucket's edge overflows). Positive and negative values have a store each (a negative
// value counts in the negative store at the bucket of its magnitude); zeros have their own
// bucket, whose representative is 0. The value of rank k is found by walking the buckets in
// value order, so the returned quantile is within α relative of the exact one of the same rank.
//
// Bucket edges are boundary(i) = exp(i ln γ), and a value's bucket is defined by them (the
// smallest i with |x| <= boundary(i)), not by a rounded logarithm alone, so every way of adding
// a value (one at a time, a sorted span, a merge) puts it in the same bucket, and merging two
// sketches gives exactly the sketch of the union of their values, whatever the split. Buckets
// hold integer counts: nothing depends on the order of the values. Every finite double has a
// bucket (from the smallest subnormal to the largest double: about 145,000 buckets a side), and
// none is ever collapsed, so the bound holds for every rank, at a memory cost of at most one
// 8-byte counter per bucket between the smallest and largest magnitude seen (a few hundred for
// response times spanning four decades).
#pragma once

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <span>
#include <vector>

namespace sim::metrics {

class QuantileSketch {
public:
  /// α: every quantile is within this relative error of the exact value of its rank.
  static constexpr double relative_accuracy = 0.005;
  /// γ = (1 + α) / (1 − α).
  static double gamma();
  /// The upper edge of bucket i, γ^i (exp(i ln γ)); strictly increasing in i.
  static double boundary(int i);
  /// The bucket of a magnitude m > 0: the smallest i with m <= boundary(i).
  static int bucket_of(double magnitude);
  /// 2γ^i / (γ + 1): within α relative of every magnitude in bucket i.
  static double representative(int i);

  /// Adds `count` copies of x. Throws std::invalid_argument for NaN or an infinity.
  void add(double x, std::uint64_t count = 1);
  /// Adds values sorted ascending: one bucket lookup per bucket touched rather than per value,
  /// the same sketch as adding them one by one. Throws as add() (only NaN and infinities are
  /// checked for; an unsorted span is a precondition violation).
  void add_sorted(std::span<const double> sorted);
  /// The same for nanosecond counts (each taken as the double nearest to it).
  void add_sorted(std::span<const std::int64_t> sorted_ns);
  /// Adds every value of `other`: the result equals the sketch of both sets of values.
  void merge(const QuantileSketch& other);

  std::uint64_t count() const { return count_; }
  bool empty() const { return count_ == 0; }
  /// The representative of the bucket that holds the value of 1-based rank k in ascending
  /// order: negative for a negative value, 0 for a zero. Requires 1 <= k <= count() (throws
  /// std::out_of_range otherwise).
  double at_rank(std::uint64_t k) const;
  /// Bytes held (bucket counters at their capacity).
  std::size_t memory_bytes() const;
  /// The same counts in the same buckets (however the stores' capacities differ).
  friend bool operator==(const QuantileSketch& a, const QuantileSketch& b);

private:
  /// Counts of a contiguous range of buckets [lo, lo + counts.size()).
  struct Store {
    int lo = 0;
    std::vector<std::uint64_t> counts;
    void add(int bucket, std::uint64_t count);
    std::uint64_t total() const;
  };
  template <class T>
  void add_sorted_values(std::span<const T> sorted);
  static bool same(const Store& a, const Store& b);

  Store positive_, negative_;
  std::uint64_t zeros_ = 0;
  std::uint64_t count_ = 0;
};

std::ostream& operator<<(std::ostream& os, const QuantileSketch& s);

} // namespace sim::metrics
