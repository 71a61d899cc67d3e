// DurationSample past exact_limit (sim/metrics/statistics.hpp): the values give way to a
// DurationTail of constant size, whose summary keeps the exact n, mean, stddev, min and max and
// the sketch's percentiles, and whose batch means follow the documented doubling rule.
#include "sim/metrics/pooled.hpp"
#include "sim/metrics/statistics.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <span>
#include <stdexcept>
#include <vector>

namespace {

namespace metrics = sim::metrics;
using sim::base::Duration;
constexpr std::size_t limit = metrics::DurationSample::exact_limit;

/// Response-time-like values: log-uniform from 50 us to 2 s, whole nanoseconds.
std::vector<std::int64_t> responses(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(std::log(50e3), std::log(2e9));
  std::vector<std::int64_t> v(n);
  for (auto& x : v) x = static_cast<std::int64_t>(std::exp(u(rng)));
  return v;
}

metrics::DurationSample sample_of(std::span<const std::int64_t> values) {
  metrics::DurationSample s;
  for (const std::int64_t v : values) s.add(Duration{v});
  return s;
}

/// The sketch's promise: within relative_accuracy of the exact value of the same rank (plus half
/// a nanosecond of rounding), and the ranks 1 and n exact.
void check_percentiles(const metrics::DurationSample& s, std::vector<std::int64_t> all) {
  std::sort(all.begin(), all.end());
  for (unsigned bp = 0; bp <= 10000; bp += 50) {
    INFO("basis points " << bp);
    const std::size_t rank = bp == 0 ? 1 : metrics::nearest_rank(all.size(), bp);
    const auto exact = static_cast<double>(all[rank - 1]);
    const auto got = static_cast<double>(s.quantile_ns(bp));
    CHECK(std::abs(got - exact) <= metrics::QuantileSketch::relative_accuracy * exact + 0.5);
  }
  CHECK(s.quantile_ns(0) == all.front());
  CHECK(s.quantile_ns(10000) == all.back());
}

/// n, mean, stddev, min and max: a sketch keeps the exact summary's bits (integer moments).
void check_exact_moments(const metrics::Summary& got, const metrics::Summary& exact) {
  CHECK(got.n == exact.n);
  CHECK(got.mean == exact.mean);
  CHECK(got.stddev == exact.stddev);
  CHECK(got.min == exact.min);
  CHECK(got.max == exact.max);
}

} // namespace

TEST_CASE("a duration sample keeps exact_limit values, then sketches them in constant memory", "[metrics]") {
  const std::vector<std::int64_t> values = responses(3 * limit + 12345, 7);
  metrics::DurationSample s;
  for (std::size_t i = 0; i < limit; ++i) s.add(Duration{values[i]});
  REQUIRE_FALSE(s.sketched());  // exact_limit values are still kept
  s.add(Duration{values[limit]});
  REQUIRE(s.sketched());
  for (std::size_t i = limit + 1; i < values.size(); ++i) s.add(Duration{values[i]});
  CHECK(s.size() == values.size());
  CHECK(s.tail()->n == values.size());

  // n, mean, stddev, min and max are the exact summary's bits; the percentiles are the
  // sketch's, within 0.5 %.
  std::vector<std::int64_t> sorted = values;
  std::sort(sorted.begin(), sorted.end());
  const metrics::Summary exact = metrics::summarize_sorted(std::span<const std::int64_t>(sorted));
  const metrics::Summary got = s.summary();
  check_exact_moments(got, exact);
  for (const double metrics::Summary::*p : {&metrics::Summary::p50, &metrics::Summary::p90, &metrics::Summary::p95,
                                            &metrics::Summary::p99})
    CHECK(std::abs(got.*p - exact.*p) <= metrics::QuantileSketch::relative_accuracy * exact.*p + 1e-9);
  check_percentiles(s, values);

  // Constant memory: the sketch's counters over four and a half decades (log-uniform 50 us-2 s:
  // ln(4e4) / ln(1.01) ~ 1,065 buckets) and fewer than 40 batch sums, whatever n.
  CHECK(s.tail()->sketch.memory_bytes() < 32 * 1024);
  CHECK(s.tail()->sums.size() < 2 * metrics::DurationTail::batches);
  CHECK_THROWS_AS(s.sorted_ns(), std::logic_error);
  CHECK_THROWS_AS(s.values_ns(), std::logic_error);
  std::size_t runs = 0;
  s.for_each_run([&](std::span<const std::int64_t>) { ++runs; });
  CHECK(runs == 0);
  // reserve() stays within the bound: 2^40 values (8 TiB) would throw std::length_error or
  // std::bad_alloc; it reserves at most exact_limit, and nothing once sketched.
  metrics::DurationSample r;
  CHECK_NOTHROW(r.reserve(std::size_t{1} << 40));
  CHECK_NOTHROW(s.reserve(std::size_t{1} << 40));
  r.add(Duration{1});
  CHECK(r.size() == 1);
  CHECK(s.size() == values.size());
}

TEST_CASE("a sketched sample's batch means: batches of the least power of two that makes fewer than 40", "[metrics]") {
  // Values added one by one complete batches of b values (b = 1, 2, 4, ...; adjacent batches are
  // summed in pairs when 40 are complete), so after n values there are floor(n / b) batches of
  // the least power of two b with floor(n / b) < 40, read in order, the rest waiting in the
  // incomplete batch. The interval is mean_ci95 of those batch means: computed here from the
  // definition, bit for bit.
  const std::size_t n = GENERATE(limit + 1, 3 * limit + 777, 5 * limit);
  const std::vector<std::int64_t> values = responses(n, n);
  const metrics::DurationSample s = sample_of(values);
  REQUIRE(s.sketched());
  std::uint64_t b = 1;
  while (n / b >= 2 * metrics::DurationTail::batches) b *= 2;
  const std::size_t k = n / b;
  CHECK(s.tail()->batch_size == b);
  CHECK(s.tail()->sums.size() == k);
  std::vector<double> means;
  for (std::size_t i = 0; i < k; ++i) {
    sim::base::Int128 sum = 0;
    for (std::size_t j = i * b; j < (i + 1) * b; ++j) sum += values[j];
    means.push_back(static_cast<double>(sum) / static_cast<double>(b) * 1e-9);
  }
  const metrics::Interval want = metrics::mean_ci95(means), got = metrics::batch_means_ci95(s);
  CHECK(std::memcmp(&want, &got, sizeof want) == 0);
  CHECK(got.low < got.high);
}

TEST_CASE("appending sketched samples merges every value, and a copy of a sketched sample is copied on add", "[metrics]") {
  const std::vector<std::int64_t> a = responses(limit + 5000, 1), b = responses(2 * limit + 3, 2), c = responses(1000, 3);
  metrics::DurationSample sa = sample_of(a), sb = sample_of(b), sc = sample_of(c);
  REQUIRE(sa.sketched());
  REQUIRE(sb.sketched());
  REQUIRE_FALSE(sc.sketched());

  // Sketched + exact + sketched, in that order: the union of the values.
  metrics::DurationSample all = sa;
  all.append(sc);
  all.append(sb);
  std::vector<std::int64_t> union_values = a;
  union_values.insert(union_values.end(), c.begin(), c.end());
  union_values.insert(union_values.end(), b.begin(), b.end());
  REQUIRE(all.size() == union_values.size());
  std::vector<std::int64_t> sorted = union_values;
  std::sort(sorted.begin(), sorted.end());
  const metrics::Summary exact = metrics::summarize_sorted(std::span<const std::int64_t>(sorted));
  CHECK(all.summary().mean == exact.mean);
  CHECK(all.summary().stddev == exact.stddev);
  check_percentiles(all, union_values);
  // The batches after appending: both brought to the larger batch size, then fewer than 40.
  CHECK(all.tail()->sums.size() >= metrics::DurationTail::batches);
  CHECK(all.tail()->sums.size() < 2 * metrics::DurationTail::batches);
  CHECK(std::has_single_bit(all.tail()->batch_size));

  // An exact sample appending a sketched one becomes sketched, its own values first.
  metrics::DurationSample small = sample_of(c);
  small.append(sa);
  CHECK(small.sketched());
  CHECK(small.size() == c.size() + a.size());
  CHECK(small.quantile_ns(0) == std::min(*std::min_element(a.begin(), a.end()), *std::min_element(c.begin(), c.end())));

  // The copy `all` shares sa's tail until it changed it: sa is untouched.
  CHECK(sa.size() == a.size());
  CHECK(sa.tail()->n == a.size());
  metrics::DurationSample copy = sa;
  CHECK(copy.same_runs(sa));
  copy.add(Duration{1});
  CHECK_FALSE(copy.same_runs(sa));
  CHECK(sa.size() == a.size());
  CHECK(sa.tail()->n == a.size());
  CHECK(copy.quantile_ns(0) == 1);
}

TEST_CASE("a pool takes a sketched sample's tail: exact moments and extremes, the sketch merged", "[metrics]") {
  const std::vector<std::int64_t> first = responses(3000, 11), big = responses(limit + 100, 12);
  metrics::PooledDurations pool;
  std::vector<std::int64_t> s1 = first;
  std::sort(s1.begin(), s1.end());
  pool.add_sorted(s1);
  REQUIRE(pool.tier() == metrics::PoolTier::Histogram);
  const metrics::DurationSample sketched = sample_of(big);
  pool.add_tail(*sketched.tail());
  CHECK(pool.tier() == metrics::PoolTier::Sketch);
  CHECK(pool.size() == first.size() + big.size());
  std::vector<std::int64_t> all = first;
  all.insert(all.end(), big.begin(), big.end());
  std::sort(all.begin(), all.end());
  const metrics::Summary exact = metrics::summarize_sorted(std::span<const std::int64_t>(all));
  const metrics::Summary got = pool.summary();
  check_exact_moments(got, exact);
  CHECK(std::abs(got.p99 - exact.p99) <= metrics::QuantileSketch::relative_accuracy * exact.p99 + 1e-9);
}

TEST_CASE("appending a sketched sample: both sides coarsened alike, no batch across the seam", "[metrics]") {
  // A: limit + 1 values, batches of 32,768 (32 of them, 1 value waiting). B: 3 x limit values,
  // batches of 131,072 (24). A is coarsened to B's size: 16, then 8 batches, its incomplete ones
  // dropped; 8 + 24 < 40, so the result is A's first 8 x 131,072 values in 8 batches, then B's 24
  // batches, then B's incomplete batch (none: 3 x 2^20 = 24 x 131,072). The interval from the
  // definition, bit for bit.
  const std::vector<std::int64_t> a = responses(limit + 1, 21), b = responses(3 * limit, 22);
  metrics::DurationSample sa = sample_of(a);
  const metrics::DurationSample sb = sample_of(b);
  REQUIRE(sa.tail()->batch_size == 32768);
  REQUIRE(sa.tail()->sums.size() == 32);
  REQUIRE(sb.tail()->batch_size == 131072);
  REQUIRE(sb.tail()->sums.size() == 24);
  sa.append(sb);
  const metrics::DurationTail& t = *sa.tail();
  CHECK(t.batch_size == 131072);
  REQUIRE(t.sums.size() == 32);
  CHECK(t.in_partial == 0);
  auto batch_mean = [](const std::vector<std::int64_t>& v, std::size_t from, std::size_t size) {
    sim::base::Int128 sum = 0;
    for (std::size_t j = from; j < from + size; ++j) sum += v[j];
    return static_cast<double>(sum) / static_cast<double>(size) * 1e-9;
  };
  std::vector<double> means;
  for (std::size_t i = 0; i < 8; ++i) means.push_back(batch_mean(a, i * 131072, 131072));
  for (std::size_t i = 0; i < 24; ++i) means.push_back(batch_mean(b, i * 131072, 131072));
  const metrics::Interval want = metrics::mean_ci95(means), got = metrics::batch_means_ci95(sa);
  CHECK(std::memcmp(&want, &got, sizeof want) == 0);

  // Equal sizes whose union reaches 40: each side halves on its own. A (32) + A (32) = 64 ->
  // 16 + 16 batches of 65,536; the second copy's waiting value stays waiting.
  metrics::DurationSample twice = sample_of(a);
  twice.append(sample_of(a));
  CHECK(twice.tail()->batch_size == 65536);
  CHECK(twice.tail()->sums.size() == 32);
  CHECK(twice.tail()->in_partial == 1);
  CHECK(twice.size() == 2 * a.size());
  // A sample appended to itself: the same as appending a copy.
  metrics::DurationSample self = sample_of(a);
  self.append(self);
  CHECK(self.size() == 2 * a.size());
  CHECK(self.tail()->sums == twice.tail()->sums);
  CHECK(self.summary().mean == twice.summary().mean);
  metrics::DurationSample exact_self = sample_of(std::span<const std::int64_t>(a).first(1000));
  exact_self.append(exact_self);
  CHECK(exact_self.size() == 2000);
  CHECK_FALSE(exact_self.sketched());
}
