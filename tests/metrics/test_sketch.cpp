// The relative-error quantile sketch (sim/metrics/sketch.hpp), exact streaming moments of
// durations (DurationMoments) and the pooled samples built on them (sim/metrics/pooled.hpp).
#include "sim/metrics/pooled.hpp"
#include "sim/metrics/sketch.hpp"
#include "sim/metrics/statistics.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

using sim::metrics::DurationMoments;
using sim::metrics::DurationSample;
using sim::metrics::PooledDurations;
using sim::metrics::PooledValues;
using sim::metrics::PoolTier;
using sim::metrics::QuantileSketch;
using sim::metrics::Summary;
using sim::metrics::ValueSample;

namespace {

constexpr double alpha = QuantileSketch::relative_accuracy;

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }
bool same_summary(const Summary& a, const Summary& b) { return std::memcmp(&a, &b, sizeof a) == 0; }

double uniform(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

/// Log-normal response times in ns around `median_ns` (a heavy right tail, as a drive's).
std::vector<std::int64_t> response_times(std::size_t n, std::uint64_t seed, double median_ns = 4e6) {
  std::mt19937_64 rng(seed);
  std::vector<std::int64_t> out;
  for (std::size_t i = 0; i < n; ++i) {
    const double z = std::sqrt(-2 * std::log(1 - uniform(rng))) * std::cos(6.283185307179586 * uniform(rng));
    out.push_back(static_cast<std::int64_t>(std::llround(median_ns * std::exp(0.7 * z))));
  }
  return out;
}

/// The data sets of the guarantee, by name: zeros, negatives, tiny and huge magnitudes, ties.
std::vector<double> data_set(const std::string& name) {
  std::mt19937_64 rng(std::hash<std::string>{}(name) % 1000 + 1);
  std::vector<double> v;
  if (name == "uniform 0..1") {
    for (int i = 0; i < 20000; ++i) v.push_back(uniform(rng));
  } else if (name == "mixed signs with zeros") {
    for (int i = 0; i < 20000; ++i) {
      const double x = std::exp(20 * uniform(rng) - 10);
      v.push_back(i % 7 == 0 ? 0.0 : i % 3 == 0 ? -x : x);
    }
  } else if (name == "tiny") {
    for (int i = 0; i < 5000; ++i) v.push_back(1e-300 * std::exp(30 * uniform(rng)));
  } else if (name == "huge") {
    for (int i = 0; i < 5000; ++i) v.push_back(-1e290 * std::exp(20 * uniform(rng)));
  } else if (name == "whole range") {
    for (int i = 0; i < 20000; ++i) {
      const double x = std::exp(1300 * uniform(rng) - 650);  // 1e-282 .. 1e282
      v.push_back(i % 2 == 0 ? x : -x);
    }
  } else if (name == "few distinct") {
    for (int i = 0; i < 20000; ++i) v.push_back(static_cast<double>(rng() % 5) - 2);
  }
  std::sort(v.begin(), v.end());
  return v;
}

/// |q - x| <= α |x| up to the rounding of the bucket edges and the representative.
bool within_alpha(double q, double x) { return std::fabs(q - x) <= alpha * std::fabs(x) * (1 + 1e-9); }

/// Today's `run --replications N` pool of one metric: every value kept, summarized at the end.
Summary all_values_summary(const std::vector<std::vector<std::int64_t>>& reps) {
  DurationSample all;
  for (const auto& r : reps) {
    DurationSample one;
    for (const std::int64_t v : r) one.add(sim::base::Duration{v});
    all.append(one);
  }
  return all.summary();
}

Summary all_values_summary(const std::vector<std::vector<double>>& reps) {
  ValueSample all;
  for (const auto& r : reps)
    for (const double v : r) all.add(v);
  return all.summary();
}

template <class T>
std::vector<T> sorted_copy(std::vector<T> v) {
  std::sort(v.begin(), v.end());
  return v;
}

} // namespace

TEST_CASE("a bucket holds the magnitudes between its edges, and the edges decide", "[metrics][sketch]") {
  CHECK(QuantileSketch::gamma() == Approx(1.005 / 0.995).epsilon(1e-15));
  std::mt19937_64 rng(7);
  for (int k = 0; k < 20000; ++k) {
    const double m = std::exp(1400 * uniform(rng) - 700);
    const int i = QuantileSketch::bucket_of(m);
    INFO(m);
    REQUIRE(QuantileSketch::boundary(i - 1) < m);
    REQUIRE(m <= QuantileSketch::boundary(i));
    REQUIRE(within_alpha(QuantileSketch::representative(i), m));
  }
  // An edge itself belongs to the bucket it closes.
  for (const int i : {-5000, -1, 0, 1, 2, 700, 5000}) CHECK(QuantileSketch::bucket_of(QuantileSketch::boundary(i)) == i);
}

TEST_CASE("every quantile of the sketch is within alpha of the exact nearest-rank value", "[metrics][sketch]") {
  const std::string name =
      GENERATE(as<std::string>{}, "uniform 0..1", "mixed signs with zeros", "tiny", "huge", "whole range", "few distinct");
  INFO(name);
  const std::vector<double> values = data_set(name);
  REQUIRE(!values.empty());
  QuantileSketch sorted, one_by_one;
  sorted.add_sorted(values);
  std::vector<double> shuffled = values;
  std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937_64(3));
  for (const double v : shuffled) one_by_one.add(v);
  CHECK(sorted == one_by_one);  // the sorted walk puts every value in its own bucket
  REQUIRE(sorted.count() == values.size());
  for (std::uint64_t k = 1; k <= values.size(); ++k) {
    const double exact = values[k - 1];
    const double q = sorted.at_rank(k);
    INFO("rank " << k << " exact " << exact << " sketch " << q);
    REQUIRE(within_alpha(q, exact));
    if (exact == 0) REQUIRE(q == 0);
  }
  CHECK_THROWS_AS(sorted.at_rank(0), std::out_of_range);
  CHECK_THROWS_AS(sorted.at_rank(values.size() + 1), std::out_of_range);
}

TEST_CASE("the sketch of nanosecond counts: the same buckets as their doubles", "[metrics][sketch]") {
  std::vector<std::int64_t> ns = sorted_copy(response_times(50000, 11));
  ns.insert(ns.begin(), {-7, 0, 0, 1, 2, 3});
  std::sort(ns.begin(), ns.end());
  QuantileSketch from_ns, from_doubles;
  from_ns.add_sorted(ns);
  for (const std::int64_t v : ns) from_doubles.add(static_cast<double>(v));
  CHECK(from_ns == from_doubles);
  for (std::uint64_t k = 1; k <= ns.size(); k += 7) REQUIRE(within_alpha(from_ns.at_rank(k), static_cast<double>(ns[k - 1])));
}

TEST_CASE("merging sketches gives the sketch of the union, whatever the split", "[metrics][sketch]") {
  const std::vector<double> values = data_set("mixed signs with zeros");
  QuantileSketch whole;
  whole.add_sorted(values);
  const int parts = GENERATE(2, 3, 17, 200);
  INFO(parts << " parts");
  std::mt19937_64 rng(static_cast<std::uint64_t>(parts));
  std::vector<std::vector<double>> split(static_cast<std::size_t>(parts));
  for (const double v : values) split[rng() % split.size()].push_back(v);
  // Merged in order, and in reverse order.
  QuantileSketch forward, backward;
  for (const auto& p : split) {
    QuantileSketch s;
    s.add_sorted(p);  // each part is sorted (a subsequence of sorted values)
    forward.merge(s);
  }
  for (auto it = split.rbegin(); it != split.rend(); ++it) {
    QuantileSketch s;
    for (const double v : *it) s.add(v);
    backward.merge(s);
  }
  CHECK(forward == whole);
  CHECK(backward == whole);
  for (std::uint64_t k = 1; k <= values.size(); k += 13) {
    REQUIRE(same_bits(forward.at_rank(k), whole.at_rank(k)));
    REQUIRE(same_bits(backward.at_rank(k), whole.at_rank(k)));
  }
  QuantileSketch empty;
  forward.merge(empty);
  CHECK(forward == whole);
}

TEST_CASE("the sketch refuses NaN and infinities", "[metrics][sketch]") {
  QuantileSketch s;
  CHECK_THROWS_AS(s.add(std::nan("")), std::invalid_argument);
  CHECK_THROWS_AS(s.add(std::numeric_limits<double>::infinity()), std::invalid_argument);
  const std::vector<double> with_inf{1.0, std::numeric_limits<double>::infinity()};
  CHECK_THROWS_AS(s.add_sorted(with_inf), std::invalid_argument);
  CHECK(s.empty());
}

TEST_CASE("streamed duration moments are the exact summary's mean and deviation, bit for bit", "[metrics][sketch]") {
  std::mt19937_64 rng(21);
  const std::int64_t big = std::numeric_limits<std::int64_t>::max();
  for (const int spread : {0, 1, 2, 3}) {
    std::vector<std::int64_t> values;
    for (int i = 0; i < 3000; ++i) {
      std::int64_t v = 0;
      if (spread == 0) v = static_cast<std::int64_t>(rng() % 100);                      // ties
      if (spread == 1) v = response_times(1, rng())[0];                                 // response times
      if (spread == 2) v = static_cast<std::int64_t>(rng());                            // the whole range, both signs
      if (spread == 3) v = i % 2 == 0 ? big - i % 3 : -big + i % 3;                     // squares beyond 128 bits
      values.push_back(v);
    }
    DurationSample sample;
    DurationMoments one_by_one, grouped, merged, part;
    for (std::size_t i = 0; i < values.size(); ++i) {
      sample.add(sim::base::Duration{values[i]});
      one_by_one.add(values[i]);
      part.add(values[i]);
      if (i % 1000 == 999) {
        merged.merge(part);
        part = DurationMoments{};
      }
    }
    const std::vector<std::int64_t> sorted = sorted_copy(values);
    for (std::size_t i = 0; i < sorted.size();) {
      std::size_t j = i;
      while (j < sorted.size() && sorted[j] == sorted[i]) ++j;
      grouped.add(sorted[i], j - i);
      i = j;
    }
    const Summary s = sample.summary();
    INFO("spread " << spread);
    for (const DurationMoments* m : {&one_by_one, &grouped, &merged}) {
      CHECK(m->n() == values.size());
      CHECK(same_bits(m->mean(), s.mean));
      CHECK(same_bits(m->stddev(), s.stddev));
    }
  }
  DurationMoments empty, single;
  CHECK(std::isnan(empty.mean()));
  single.add(5);
  CHECK(single.mean() == 5e-9);
  CHECK(std::isnan(single.stddev()));
}

TEST_CASE("a pool with few distinct values is a histogram and summarises exactly as all its values", "[metrics][pooled]") {
  std::mt19937_64 rng(5);
  std::vector<std::vector<std::int64_t>> ns_reps;
  std::vector<std::vector<double>> value_reps;
  PooledDurations ns;
  PooledValues values;
  for (int r = 0; r < 300; ++r) {
    std::vector<std::int64_t> a;
    std::vector<double> b;
    for (int i = 0; i < 500; ++i) {
      a.push_back(static_cast<std::int64_t>(rng() % 3000) * 1000 - 5000);  // 3,000 distinct values
      b.push_back(0.1 * static_cast<double>(rng() % 40));                   // tenths: sums that round
    }
    ns.add_sorted(sorted_copy(a));
    values.add_sorted(sorted_copy(b));
    ns_reps.push_back(a);
    value_reps.push_back(b);
  }
  REQUIRE(ns.size() == 150000);
  CHECK(ns.tier() == PoolTier::Histogram);
  CHECK(values.tier() == PoolTier::Histogram);
  CHECK(same_summary(ns.summary(), all_values_summary(ns_reps)));
  CHECK(same_summary(values.summary(), all_values_summary(value_reps)));
  CHECK(ns.exact());
}

TEST_CASE("one value at a time into a large histogram, then past it: still every value's summary", "[metrics][pooled]") {
  // 9,000 replications of a single value among 6,000: counted in place while at most 4,096 are
  // distinct, then the exact tier.
  std::mt19937_64 rng(8);
  PooledDurations ns;
  PooledValues values;
  std::vector<std::vector<std::int64_t>> ns_reps;
  std::vector<std::vector<double>> value_reps;
  bool was_histogram_late = false;
  for (int r = 0; r < 9000; ++r) {
    const auto v = static_cast<std::int64_t>(rng() % 6000);
    ns.add_sorted(std::vector<std::int64_t>{v});
    values.add_sorted(std::vector<double>{static_cast<double>(v) / 7});
    ns_reps.push_back({v});
    value_reps.push_back({static_cast<double>(v) / 7});
    if (r == 2000) {
      was_histogram_late = ns.tier() == PoolTier::Histogram;
      CHECK(same_summary(ns.summary(), all_values_summary(ns_reps)));
      CHECK(same_summary(values.summary(), all_values_summary(value_reps)));
    }
  }
  CHECK(was_histogram_late);
  CHECK(ns.tier() == PoolTier::Exact);
  CHECK(same_summary(ns.summary(), all_values_summary(ns_reps)));
  CHECK(same_summary(values.summary(), all_values_summary(value_reps)));
}

TEST_CASE("past the histogram, a pool keeps exact values: the summary of all its values, bit for bit", "[metrics][pooled]") {
  std::vector<std::vector<std::int64_t>> ns_reps;
  std::vector<std::vector<double>> value_reps;
  PooledDurations ns;
  PooledValues values;
  std::mt19937_64 rng(9);
  std::uint64_t n = 0;
  // Replications of 1,000 distinct values each, up to the exact bound.
  while (n + 1000 <= PooledDurations::exact_limit) {
    const std::vector<std::int64_t> a = response_times(1000, rng());
    std::vector<double> b;
    for (const std::int64_t v : a) b.push_back(static_cast<double>(v) * 1e-9 / 3);
    ns.add_sorted(sorted_copy(a));
    values.add_sorted(sorted_copy(b));
    ns_reps.push_back(a);
    value_reps.push_back(b);
    n += 1000;
  }
  CHECK(ns.tier() == PoolTier::Exact);
  CHECK(values.tier() == PoolTier::Exact);
  CHECK(same_summary(ns.summary(), all_values_summary(ns_reps)));
  CHECK(same_summary(values.summary(), all_values_summary(value_reps)));
}

TEST_CASE("past the exact bound a pool sketches its percentiles, durations keep every other statistic exact", "[metrics][pooled]") {
  std::vector<std::vector<std::int64_t>> ns_reps;
  std::vector<std::vector<double>> value_reps;
  PooledDurations ns;
  PooledValues values;
  std::mt19937_64 rng(13);
  for (int r = 0; r < 1100; ++r) {  // 1,100,000 values
    std::vector<std::int64_t> a = response_times(1000, rng());
    if (r == 17) a.push_back(-3);  // a negative, and tiny ones: rounding to whole ns
    if (r == 18) a.insert(a.end(), {0, 1, 2, 5});
    std::vector<double> b;
    for (const std::int64_t v : a) b.push_back(static_cast<double>(v) * 1e-9 / 3);
    ns.add_sorted(sorted_copy(a));
    values.add_sorted(sorted_copy(b));
    ns_reps.push_back(a);
    value_reps.push_back(b);
  }
  REQUIRE(ns.tier() == PoolTier::Sketch);
  REQUIRE(values.tier() == PoolTier::Sketch);
  CHECK(!ns.exact());
  const Summary exact_ns = all_values_summary(ns_reps), sketched_ns = ns.summary();
  CHECK(sketched_ns.n == exact_ns.n);
  CHECK(same_bits(sketched_ns.mean, exact_ns.mean));
  CHECK(same_bits(sketched_ns.stddev, exact_ns.stddev));
  CHECK(same_bits(sketched_ns.min, exact_ns.min));
  CHECK(same_bits(sketched_ns.max, exact_ns.max));
  // Percentiles within alpha (plus half a nanosecond of rounding, in seconds here).
  for (const auto field : {&Summary::p50, &Summary::p90, &Summary::p95, &Summary::p99}) {
    const double q = sketched_ns.*field, x = exact_ns.*field;
    INFO(q << " vs " << x);
    CHECK(std::fabs(q - x) <= alpha * std::fabs(x) + 0.5e-9);
    CHECK(std::fabs(q * 1e9 - std::round(q * 1e9)) < 1e-6);  // whole nanoseconds
  }
  const Summary exact_v = all_values_summary(value_reps), sketched_v = values.summary();
  CHECK(sketched_v.n == exact_v.n);
  CHECK(sketched_v.mean == Approx(exact_v.mean).epsilon(1e-13));
  CHECK(sketched_v.stddev == Approx(exact_v.stddev).epsilon(1e-10));
  CHECK(same_bits(sketched_v.min, exact_v.min));
  CHECK(same_bits(sketched_v.max, exact_v.max));
  for (const auto field : {&Summary::p50, &Summary::p90, &Summary::p95, &Summary::p99})
    CHECK(within_alpha(sketched_v.*field, exact_v.*field));
}

TEST_CASE("a sketched duration pool does not depend on how its values are split in replications", "[metrics][pooled]") {
  const std::vector<std::int64_t> all = response_times(1200000, 77);
  PooledDurations a, b;
  for (std::size_t i = 0; i < all.size(); i += 1000)
    a.add_sorted(sorted_copy(std::vector<std::int64_t>(all.begin() + static_cast<std::ptrdiff_t>(i), all.begin() + static_cast<std::ptrdiff_t>(i + 1000))));
  for (std::size_t i = 0; i < all.size(); i += 400000)
    b.add_sorted(sorted_copy(std::vector<std::int64_t>(all.begin() + static_cast<std::ptrdiff_t>(i), all.begin() + static_cast<std::ptrdiff_t>(i + 400000))));
  REQUIRE(a.tier() == PoolTier::Sketch);
  REQUIRE(b.tier() == PoolTier::Sketch);
  CHECK(same_summary(a.summary(), b.summary()));
}

TEST_CASE("a histogram pool of a hundred million copies goes to the sketch without expanding them", "[metrics][pooled]") {
  // 100,000 replications of 1,000 zeros, then values of which 5,000 distinct: straight to the sketch.
  PooledValues pool;
  const std::vector<double> zeros(1000, 0.0);
  for (int r = 0; r < 100000; ++r) pool.add_sorted(zeros);
  CHECK(pool.tier() == PoolTier::Histogram);
  CHECK(pool.summary().mean == 0.0);
  std::vector<double> distinct;
  for (int i = 1; i <= 5000; ++i) distinct.push_back(i * 1e-3);
  pool.add_sorted(distinct);
  CHECK(pool.tier() == PoolTier::Sketch);
  CHECK(pool.memory_bytes() < 64 * 1024);
  const Summary s = pool.summary();
  CHECK(s.n == 100005000);
  CHECK(s.min == 0.0);
  CHECK(s.max == 5.0);
  CHECK(s.p99 == 0.0);
  CHECK(s.mean == Approx(12502.5 / 100005000.0).epsilon(1e-12));
}

TEST_CASE("a pool's memory stays bounded however many replications it takes", "[metrics][pooled]") {
  PooledDurations pool;
  std::size_t most = 0, after_sketch = 0;
  std::mt19937_64 rng(1);
  for (int r = 0; r < 3000; ++r) {  // 3,000,000 values
    pool.add_sorted(sorted_copy(response_times(1000, rng())));
    most = std::max(most, pool.memory_bytes());
    if (r == 1999) after_sketch = pool.memory_bytes();
  }
  CHECK(pool.tier() == PoolTier::Sketch);
  CHECK(pool.size() == 3000000);
  // The exact tier's 2^20 values at most, then far less: a few thousand bucket counters.
  CHECK(most <= PooledDurations::exact_limit * sizeof(std::int64_t) + 64 * 1024);
  CHECK(pool.memory_bytes() < 64 * 1024);
  CHECK(pool.memory_bytes() <= after_sketch + 4096);
}

TEST_CASE("an empty pool summarises as an empty sample, plain values must be finite", "[metrics][pooled]") {
  PooledValues v;
  const Summary s = v.summary();
  CHECK(s.n == 0);
  CHECK(std::isnan(s.mean));
  const std::vector<double> bad{1.0, std::numeric_limits<double>::infinity()};
  CHECK_THROWS_AS(v.add_sorted(bad), std::invalid_argument);
  PooledDurations d;
  d.add_sorted(std::vector<std::int64_t>{});
  CHECK(d.size() == 0);
}
