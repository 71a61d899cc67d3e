// Summary statistics and confidence intervals for simulation outputs.
//
// Percentiles are nearest-rank: the value of rank ceil(p * n) (1-based) in the sorted sample,
// so every percentile is a value that was actually observed (an exact nanosecond count for
// durations), never an interpolation. The rank is computed in integers, so p90 of 10 values is
// the 9th, whatever the floating-point rounding of 0.9 * 10.
//
// Confidence intervals come from independent replications (mean_ci95) or from batch means within
// one long run (batch_means_ci95), never from the per-request standard error s / sqrt(n):
// successive queue waits and response times are strongly autocorrelated (a request that waited
// behind a burst is followed by others that did too), so treating n requests as n independent
// observations makes the interval far too narrow. Replication means are independent by
// construction; means of long enough contiguous batches are nearly so.
//
// Summaries are computed on sorted values, so they do not depend on the order values were added
// in (DESIGN.md, "Determinism").
#pragma once

#include "sim/base/int128.hpp"
#include "sim/base/time.hpp"
#include "sim/metrics/sketch.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <span>
#include <utility>
#include <vector>

namespace sim::metrics {

/// Descriptive statistics of one sample. For a DurationSample every field but n is in seconds.
/// An empty sample has n = 0 and NaN elsewhere; stddev (the sample deviation, divisor n - 1) is
/// NaN below two values. CsvWriter writes NaN as an empty field.
struct Summary {
  std::uint64_t n = 0;
  double mean = 0;
  double stddev = 0;
  double min = 0;
  double p50 = 0;
  double p90 = 0;
  double p95 = 0;
  double p99 = 0;
  double max = 0;
};

std::ostream& operator<<(std::ostream& os, const Summary& s);

/// 1-based nearest rank of the percentile `basis_points` / 10000 among n sorted values:
/// ceil(basis_points * n / 10000), at least 1. For n = 10: p50 -> 5, p90 -> 9, p95 -> 10.
/// Requires n > 0 and basis_points <= 10000 (throws std::invalid_argument otherwise).
std::size_t nearest_rank(std::size_t n, unsigned basis_points);

/// Sorts nanosecond values ascending: the LSD radix sort DurationSample uses (several times
/// faster than std::sort on millions of values; std::sort below 256 values).
void sort_ns(std::vector<std::int64_t>& values);

/// The summary of values already sorted ascending (nanoseconds in, seconds out): what
/// DurationSample::summary() gives for the same values, bit for bit. Empty: n = 0 and NaN.
Summary summarize_sorted(std::span<const std::int64_t> sorted_ns);
/// What ValueSample::summary() gives for the same values, bit for bit.
Summary summarize_sorted(std::span<const double> sorted);

/// Neumaier's compensated sum: deterministic for a given order of add(), and far less
/// sensitive to magnitude differences than a plain running sum. Adding a zero (of either sign)
/// leaves the sum and its compensation unchanged (neither can become -0, starting from +0), so
/// add() skips it: the same bits, faster for the all-zero samples of idle drives.
class CompensatedSum {
public:
  void add(double x) {
    if (x == 0) return;
    const double t = sum_ + x;
    if ((sum_ < 0 ? -sum_ : sum_) >= (x < 0 ? -x : x))
      compensation_ += (sum_ - t) + x;
    else
      compensation_ += (x - t) + sum_;
    sum_ = t;
  }
  double value() const { return sum_ + compensation_; }

private:
  double sum_ = 0;
  double compensation_ = 0;
};

/// Exact moments of nanosecond values in O(1) memory: n, the sum in 128 bits and the sum of
/// squares in 192 bits (neither overflows for fewer than 2^64 values). mean() and stddev() (in
/// seconds) are the bits DurationSample::summary() gives for the same values, whatever their
/// order or grouping: both reduce to the same integers, the sum S and the sum of squared
/// deviations from the truncated mean w = S / n, here Sum(x^2) - 2 w S + n w^2.
class DurationMoments {
public:
  void add(std::int64_t ns) {
    ++n_;
    sum_ += ns;
    const std::uint64_t d = ns < 0 ? 0 - static_cast<std::uint64_t>(ns) : static_cast<std::uint64_t>(ns);
    const base::UInt128 square = static_cast<base::UInt128>(d) * d;
    low_ += square;
    high_ += low_ < square ? 1 : 0;
  }
  /// `count` copies of `ns`.
  void add(std::int64_t ns, std::uint64_t count);
  void add(std::span<const std::int64_t> ns) {
    for (const std::int64_t v : ns) add(v);
  }
  /// As if `other`'s values had been added here.
  void merge(const DurationMoments& other);
  std::uint64_t n() const { return n_; }
  base::Int128 sum() const { return sum_; }
  /// NaN while empty.
  double mean() const;
  /// The sample deviation (divisor n - 1); NaN below two values.
  double stddev() const;

private:
  std::uint64_t n_ = 0;
  base::Int128 sum_ = 0;
  base::UInt128 low_ = 0;   // sum of squares, low 128 bits
  std::uint64_t high_ = 0;  // and the bits above
};

struct DurationTail;

/// Durations collected one by one as integer nanoseconds (8 bytes each), kept in insertion
/// order. Percentiles, min and max are exact nanosecond values, converted to seconds only in
/// summary(); the mean and the standard deviation come from exact integer moments (a 128-bit
/// sum and a 192-bit sum of squared deviations from the truncated mean), so they are the same
/// bits whatever the order of the values and however they are split in runs.
///
/// The values live in runs shared between samples: copying a sample or append()ing one to
/// another shares its runs instead of copying values, and add() after that starts a new run of
/// this sample's own. Each run's sorted copy is made once, on first use, and shared by every
/// sample holding the run; a large sample of several runs (a pooled metric: every target of a
/// load, every replication) takes its percentiles from its runs' sorted copies by selection
/// (bisection on the value), never from a sorted concatenated copy. So a run's millions of
/// response times are copied and sorted once however many rows and files report them. The sharing is not thread-safe: samples sharing runs must
/// not be read on different threads while a run is sorted for the first time (each
/// replication keeps its own samples until it hands them over).
///
/// Bounded: add() keeps at most exact_limit values (8 MiB). The value that would pass it turns
/// the sample into a sketched one (sketched()): every value so far, in insertion order, and
/// every later one go to a DurationTail of constant size (exact integer moments, exact min and
/// max, a QuantileSketch for the percentiles, batch sums for batch_means_ci95) and the values
/// are freed. So a trace of 10^7 requests or a closed loop of 10^9 is summarised in the same
/// memory. A sketched sample's summary() has the exact n, mean, stddev, min and max and
/// percentiles within QuantileSketch::relative_accuracy (0.5 %) of the exact ones, as a
/// sketched metrics::Pooled; it has no values (values_ns() and sorted_ns() throw
/// std::logic_error, for_each_run() sees none). append() shares runs while both samples are
/// exact, whatever their total (sharing costs no memory); once either is sketched, the result is.
class DurationSample {
public:
  DurationSample() = default;
  // A copy shares the runs: neither it nor the source may add to them any more.
  // A copy shares the tail too; add() to either copies it first.
  DurationSample(const DurationSample& o) : runs_(o.runs_), size_(o.size_), merged_(o.merged_), tail_(o.tail_) {
    o.own_ = nullptr;
  }
  DurationSample(DurationSample&& o) noexcept
      : runs_(std::move(o.runs_)), size_(std::exchange(o.size_, 0)), merged_(std::move(o.merged_)),
        own_(std::exchange(o.own_, nullptr)), tail_(std::move(o.tail_)) {}
  DurationSample& operator=(DurationSample o) noexcept {
    runs_.swap(o.runs_);
    std::swap(size_, o.size_);
    merged_.swap(o.merged_);
    std::swap(own_, o.own_);
    tail_.swap(o.tail_);
    return *this;
  }
  ~DurationSample() = default;

  /// The most values add() keeps (8 MiB of them) before the sample is sketched.
  static constexpr std::size_t exact_limit = std::size_t{1} << 20;

  /// Room for n more values in this sample's own last run (never beyond exact_limit; nothing
  /// once sketched).
  void reserve(std::size_t n) {
    if (size_ >= exact_limit) return;
    own_run().reserve(own_run().size() + std::min(n, exact_limit - size_));
  }
  void add(base::Duration d) {
    // (A sketched sample holds more than exact_limit values: one test covers both.)
    if (size_ >= exact_limit) {
      add_to_tail(d.count());
      return;
    }
    if (own_ == nullptr) own_run();
    own_->ns.push_back(d.count());
    if (own_->sorted) own_->sorted.reset();
    if (merged_) forget_merged();
    ++size_;
  }
  /// Appends `other`'s values after this sample's own, sharing its runs (no copy).
  void append(const DurationSample& other);
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  /// True once the values gave way to a DurationTail (see the class comment).
  bool sketched() const { return tail_ != nullptr; }
  /// The tail of a sketched sample; null while exact.
  const DurationTail* tail() const { return tail_.get(); }
  /// The values in insertion order, in nanoseconds, for a sample of at most one run (one that
  /// was only ever add()ed to); throws std::logic_error for several runs (use for_each_run) and
  /// for a sketched sample.
  std::span<const std::int64_t> values_ns() const;
  /// Calls f(std::span<const std::int64_t>) for each run, in insertion order (none once sketched).
  template <class F>
  void for_each_run(F&& f) const {
    for (const auto& r : runs_) f(std::span<const std::int64_t>(r->ns));
  }
  /// From the run's sorted copy (made on first use: O(n) radix sort, n more values of memory);
  /// for several runs, the percentiles from a sorted concatenated copy up to merge_above
  /// values, above that by selection across the runs' sorted copies (no copy of the whole; the
  /// result is the same bits).
  Summary summary() const;
  static constexpr std::size_t merge_above = std::size_t{1} << 20;
  /// The nearest-rank quantile `basis_points` / 10000 in nanoseconds (0: the minimum), exact
  /// (a sketched sample's: as its summary's percentiles). Requires a non-empty sample.
  std::int64_t quantile_ns(unsigned basis_points) const;
  /// Every value, sorted ascending (a copy: of the run's sorted copy when there is one, else
  /// sorted with sort_ns). summarize_sorted(sorted_ns()) is summary(). Throws
  /// std::logic_error for a sketched sample.
  std::vector<std::int64_t> sorted_ns() const;
  /// True when both samples hold the same runs in the same order and the same tail (a copy of
  /// the other, or both empty): they have the same values without comparing them.
  bool same_runs(const DurationSample& other) const;

private:
  struct Sorted {
    std::vector<std::int64_t> values;
    Summary summary;
  };
  struct Data {
    std::vector<std::int64_t> ns;
    std::shared_ptr<const Sorted> sorted;  // made on demand, dropped by add()
  };
  void new_run();
  std::vector<std::int64_t>& own_run();
  void forget_merged();  // the merged summary no longer holds for this sample
  /// Sketches the sample (its values in order, then frees them) unless it is; the tail to add
  /// to (copied first when a copy shares it).
  DurationTail& own_tail();
  void add_to_tail(std::int64_t ns);
  static const Sorted& sorted(const Data& d);
  /// Every non-empty run's sorted copy, in run order.
  std::vector<const std::vector<std::int64_t>*> sorted_runs() const;

  // The summary of several runs, computed on demand and shared by the copies of this sample
  // that have the same runs (a mutation gives the mutated sample a fresh, empty cache).
  struct MergedCache {
    std::shared_ptr<const Summary> summary;
  };
  std::vector<std::shared_ptr<Data>> runs_;
  std::size_t size_ = 0;
  std::shared_ptr<MergedCache> merged_;  // set once there are several runs
  // The last run while this sample alone holds it (add() appends there); null once a copy or
  // an append() elsewhere shares it, or before the first run.
  mutable Data* own_ = nullptr;
  std::shared_ptr<DurationTail> tail_;  // set once sketched (runs_ is empty then)
};

/// Dimensionless or already-converted values (utilisations, per-replication means, counts).
class ValueSample {
public:
  void reserve(std::size_t n) { values_.reserve(n); }
  /// Throws std::invalid_argument for NaN (it has no place in a sorted order).
  void add(double v);
  std::size_t size() const { return values_.size(); }
  bool empty() const { return values_.empty(); }
  /// The values in insertion order.
  std::span<const double> values() const { return values_; }
  /// Sorts a copy, as DurationSample::summary().
  Summary summary() const;
  /// The values sorted ascending (a copy). summarize_sorted(sorted()) is summary().
  std::vector<double> sorted() const;

private:
  std::vector<double> values_;
};

/// Streaming mean and variance in O(1) memory (Welford's update), for streams too long to keep.
/// mean/min/max are NaN while empty; variance and stddev (sample, divisor n - 1) below two
/// values. Unlike the samples above, results depend (in the last bits) on the order of add().
class RunningStats {
public:
  /// Throws std::invalid_argument for NaN.
  void add(double x);
  /// Combines another stream's statistics into this one (Chan et al.), as if its values had
  /// been added here after this stream's own; merge in a fixed order to stay deterministic.
  void merge(const RunningStats& other);

  std::uint64_t n() const { return n_; }
  double mean() const;
  double variance() const;
  double stddev() const;
  double min() const;
  double max() const;

private:
  std::uint64_t n_ = 0;
  double mean_ = 0;
  double m2_ = 0;
  double min_ = 0;
  double max_ = 0;
};

/// A two-sided confidence interval; both bounds are NaN when it cannot be computed.
struct Interval {
  double low = 0;
  double high = 0;
};

std::ostream& operator<<(std::ostream& os, const Interval& i);

/// The 0.975 quantile of Student's t distribution with `dof` degrees of freedom (12.706 for 1,
/// 2.262 for 9, tending to 1.960), i.e. the two-sided 95 % critical value. Throws
/// std::invalid_argument for dof == 0.
double t_quantile_975(std::size_t dof);

/// The p quantile of Student's t distribution with `dof` degrees of freedom, which may be
/// fractional (Welch–Satterthwaite) or infinite (the standard normal). Throws
/// std::invalid_argument unless 0 < p < 1 and dof > 0 (NaN included).
double t_quantile(double p, double dof);

/// P(T > t) for Student's t with `dof` degrees of freedom (fractional or infinite, as
/// t_quantile), computed as a complement so that tiny tails keep their precision.
double t_upper_tail(double t, double dof);

/// The mean of independent observations (typically one value per replication, or batch means)
/// and its 95 % Student-t interval, mean ± t(0.975, n - 1) · s / sqrt(n), in one pass and O(1)
/// memory: the mean from a compensated (Neumaier) sum, s from Welford's update, both in the
/// order the values are added. mean_ci95 is this over a span, so a sweep that streams its
/// replications gets the bits of `lunsim run --replications N`.
class MeanCi {
public:
  /// Throws std::invalid_argument for NaN.
  void add(double x);
  std::uint64_t n() const { return n_; }
  double mean() const;   ///< NaN while empty
  Interval ci95() const; ///< {NaN, NaN} below two values; zero width when all values are equal
  double se() const;     ///< standard error of the mean, s / sqrt(n); NaN below two values

private:
  std::uint64_t n_ = 0;
  double sum_ = 0, compensation_ = 0;
  double running_ = 0, m2_ = 0;
};

/// 95 % interval for the mean of independent observations: MeanCi over the values in order.
/// {NaN, NaN} when n < 2; zero width when all values are equal.
Interval mean_ci95(std::span<const double> replication_values);

/// 95 % interval for the steady-state mean of one long, autocorrelated series (in time order,
/// warm-up already removed by the caller): the series is cut in order into `batches` contiguous
/// batches of floor(n / batches) values each, the last n mod batches values are dropped (the
/// start of the series is where the caller chose to begin), and mean_ci95 is applied to the
/// batch means. {NaN, NaN} when n < 2 * batches. Throws std::invalid_argument when batches < 2.
/// 20 batches of at least a few hundred values each is the usual rule of thumb; fewer, longer
/// batches if the batch means still look correlated.
Interval batch_means_ci95(std::span<const double> series, std::size_t batches = 20);
/// The same for the series of a DurationSample's values in insertion order, in seconds (each
/// value converted as `ns * 1e-9`, exactly as a caller building the double series would),
/// read in place across its runs. A sketched sample's interval is its tail's (batch_ci95: the
/// `batches` argument is not used).
Interval batch_means_ci95(const DurationSample& series, std::size_t batches = 20);

/// The value of 1-based `rank` among `n` nanosecond values of which `sketch` counts all and
/// `min` and `max` are the exact extremes: rank 1 and n exactly, others the sketch's value of
/// that rank rounded to whole nanoseconds and clamped into [min, max] (DurationTail and a
/// sketched metrics::Pooled of durations). Requires 1 <= rank <= n.
std::int64_t sketched_rank_ns(const QuantileSketch& sketch, std::uint64_t n, std::uint64_t rank, std::int64_t min,
                              std::int64_t max);

/// What a sketched DurationSample holds of its values, in constant memory (about 12 KiB for
/// response times spanning four decades: the sketch's counters and 40 batch sums):
///   - n, the exact min and max, and DurationMoments (so mean and stddev are the exact bits);
///   - a QuantileSketch of every value: percentiles of nearest rank, within 0.5 % relative of
///     the exact value of the same rank, clamped into [min, max], rank 1 and n exact;
///   - batch means for the steady-state interval, in insertion order: contiguous batches of
///     batch_size values, a power of two that doubles (adjacent batches summed in pairs) each
///     time 2 x batches of them are complete, so the interval rests on batches to 2 x batches - 1
///     batch means (the values of the last, incomplete batch wait for it to fill). Sums are
///     exact integers, so the interval depends on the values and their order only.
/// Appending another tail merges n, extremes, moments and sketch exactly; its batches follow
/// these at a common batch size, both sides coarsened alike until fewer than 2 x batches remain,
/// so that no batch spans the seam: this tail's incomplete batch, and a batch of it left without
/// a partner, are left out of the interval's batches (the interval is of contiguous stretches,
/// the summary of every value); the other's incomplete batch stays incomplete.
struct DurationTail {
  static constexpr std::size_t batches = 20;

  DurationTail() { sums.reserve(2 * batches); }
  void add(std::int64_t ns);
  void append(const DurationTail& other);
  Summary summary() const;
  /// As DurationSample::quantile_ns.
  std::int64_t quantile_ns(unsigned basis_points) const;
  /// mean_ci95 of the complete batches' means, in seconds; {NaN, NaN} below two batches.
  Interval batch_ci95() const;

  std::uint64_t n = 0;
  std::int64_t min = 0, max = 0;
  DurationMoments moments;
  QuantileSketch sketch;
  std::uint64_t batch_size = 1;        ///< values per batch (a power of two)
  std::vector<base::Int128> sums;      ///< complete batches' sums (ns), fewer than 2 x batches
  base::Int128 partial = 0;            ///< the incomplete batch's sum and count
  std::uint64_t in_partial = 0;
};

} // namespace sim::metrics
