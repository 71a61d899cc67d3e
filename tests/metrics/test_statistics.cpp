#include "sim/metrics/statistics.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <span>
#include <stdexcept>
#include <vector>

using namespace sim::metrics;
using sim::base::Duration;

namespace {

constexpr std::int64_t ns_per_s = 1'000'000'000;

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

std::vector<double> random_values(std::size_t n, double offset, double scale) {
  std::mt19937_64 bits(12345);
  std::vector<double> out;
  for (std::size_t i = 0; i < n; ++i)
    out.push_back(offset + scale * static_cast<double>(bits() >> 11) * 0x1.0p-53);
  return out;
}

} // namespace

TEST_CASE("nearest rank is ceil(p * n) computed in integers", "[metrics][statistics]") {
  CHECK(nearest_rank(10, 5000) == 5);
  CHECK(nearest_rank(10, 9000) == 9);
  CHECK(nearest_rank(10, 9500) == 10);
  CHECK(nearest_rank(10, 9900) == 10);
  CHECK(nearest_rank(20, 9500) == 19);
  CHECK(nearest_rank(100, 9900) == 99);
  CHECK(nearest_rank(101, 9900) == 100);
  CHECK(nearest_rank(1, 5000) == 1);
  CHECK(nearest_rank(7, 0) == 1);
  CHECK(nearest_rank(7, 10000) == 7);
  CHECK_THROWS_AS(nearest_rank(0, 5000), std::invalid_argument);
  CHECK_THROWS_AS(nearest_rank(5, 10001), std::invalid_argument);
}

TEST_CASE("percentiles of 1..10 seconds are nearest-rank observed values", "[metrics][statistics]") {
  DurationSample sample;
  for (int i = 10; i >= 1; --i)
    sample.add(Duration{i * ns_per_s});
  const Summary s = sample.summary();
  CHECK(s.n == 10);
  CHECK(s.min == 1.0);
  CHECK(s.p50 == 5.0);
  CHECK(s.p90 == 9.0);
  CHECK(s.p95 == 10.0);
  CHECK(s.p99 == 10.0);
  CHECK(s.max == 10.0);
  CHECK(s.mean == 5.5);
  CHECK(s.stddev == Approx(std::sqrt(82.5 / 9.0)).epsilon(1e-14));
}

TEST_CASE("a single value is every percentile and has no sample deviation",
          "[metrics][statistics]") {
  DurationSample sample;
  sample.add(Duration{1'500'000});
  const Summary s = sample.summary();
  CHECK(s.n == 1);
  CHECK(s.mean == 0.0015);
  CHECK(s.min == 0.0015);
  CHECK(s.p50 == 0.0015);
  CHECK(s.p99 == 0.0015);
  CHECK(s.max == 0.0015);
  CHECK(std::isnan(s.stddev));
}

TEST_CASE("an empty sample summarises to n = 0 and NaN", "[metrics][statistics]") {
  const Summary d = DurationSample{}.summary();
  CHECK(d.n == 0);
  CHECK(std::isnan(d.mean));
  CHECK(std::isnan(d.p50));
  CHECK(std::isnan(d.max));
  const Summary v = ValueSample{}.summary();
  CHECK(v.n == 0);
  CHECK(std::isnan(v.min));
}

TEST_CASE("duration percentiles are exact nanoseconds converted to seconds at the end",
          "[metrics][statistics]") {
  DurationSample sample;
  const std::int64_t big = (std::int64_t{1} << 52) + 1;
  sample.add(Duration{1});
  sample.add(Duration{big});
  sample.add(Duration{3});
  const Summary s = sample.summary();
  CHECK(same_bits(s.min, 1e-9));
  CHECK(same_bits(s.p50, 3e-9));
  CHECK(same_bits(s.max, static_cast<double>(big) / 1e9));
}

TEST_CASE("the mean of durations near the int64 limit does not overflow", "[metrics][statistics]") {
  DurationSample sample;
  sample.add(Duration::max());
  sample.add(Duration::max());
  sample.add(Duration::max());
  const Summary s = sample.summary();
  CHECK(s.mean == Approx(static_cast<double>(Duration::max().count()) / 1e9));
  CHECK(s.stddev == 0.0);

  DurationSample negative;
  negative.add(Duration{-3});
  negative.add(Duration{0});
  CHECK(negative.summary().mean == -1.5e-9);
}

TEST_CASE("the standard deviation of durations is exact: squares beyond 128 bits, a mean with a fraction",
          "[metrics][statistics]") {
  // Three values each at -(2^63 - 1) and 2^63 - 1 ns: the mean is 0, the squared deviations sum
  // to 6 (2^63 - 1)^2 = 1.5 * 2^128 - 6 * 2^64 + 6, beyond 128 bits; as a double that is
  // 1.5 * 2^128 (the rest is far below its last bit), so stddev = sqrt(1.5 * 2^128 / 5).
  DurationSample wide;
  for (int i = 0; i < 3; ++i) {
    wide.add(Duration::max());
    wide.add(-Duration::max());
  }
  CHECK(wide.summary().mean == 0.0);
  CHECK(wide.summary().stddev == std::sqrt(std::ldexp(1.5, 128) / 5.0) / 1e9);
  // 0, 1, 3 ns: mean 4/3, squared deviations 16/9 + 1/9 + 25/9 = 42/9 = 14/3, / (n - 1) = 7/3.
  DurationSample third;
  for (const std::int64_t v : {3, 0, 1}) third.add(Duration{v});
  CHECK(third.summary().stddev == Approx(std::sqrt(7.0 / 3.0) / 1e9).epsilon(1e-15));
  // Near the int64 limit with a spread of a few ns: 10^18 + {0, 1, 2}: stddev exactly 1 ns.
  DurationSample high;
  for (const std::int64_t v : {2, 0, 1}) high.add(Duration{1'000'000'000'000'000'000 + v});
  CHECK(high.summary().stddev == 1e-9);
}

TEST_CASE("the sample standard deviation divides by n - 1", "[metrics][statistics]") {
  ValueSample sample;
  for (const double v : {2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0})
    sample.add(v);
  const Summary s = sample.summary();
  CHECK(s.mean == 5.0);
  CHECK(s.stddev == Approx(std::sqrt(32.0 / 7.0)).epsilon(1e-15));
  CHECK(s.p50 == 4.0);
  CHECK(s.p90 == 9.0);
  CHECK(s.min == 2.0);
  CHECK_THROWS_AS(sample.add(std::nan("")), std::invalid_argument);
}

TEST_CASE("a summary does not depend on the order values were added in",
          "[metrics][statistics]") {
  const auto values = random_values(1000, 0.0, 1.0);
  std::vector<double> reversed(values.rbegin(), values.rend());
  ValueSample a;
  ValueSample b;
  for (const double v : values)
    a.add(v);
  for (const double v : reversed)
    b.add(v);
  const Summary sa = a.summary();
  const Summary sb = b.summary();
  CHECK(same_bits(sa.mean, sb.mean));
  CHECK(same_bits(sa.stddev, sb.stddev));
  CHECK(same_bits(sa.p99, sb.p99));
  CHECK(a.values().front() == values.front());
}

TEST_CASE("Welford's running statistics agree with the two-pass computation",
          "[metrics][statistics]") {
  const auto values = random_values(100'000, 1e6, 10.0);
  RunningStats running;
  ValueSample sample;
  for (const double v : values) {
    running.add(v);
    sample.add(v);
  }
  const Summary s = sample.summary();
  CHECK(running.n() == values.size());
  CHECK(running.mean() == Approx(s.mean).epsilon(1e-13));
  CHECK(running.stddev() == Approx(s.stddev).epsilon(1e-8));
  CHECK(running.variance() == Approx(s.stddev * s.stddev).epsilon(1e-8));
  CHECK(running.min() == s.min);
  CHECK(running.max() == s.max);

  SECTION("merging two halves gives the statistics of the whole") {
    RunningStats first;
    RunningStats second;
    for (std::size_t i = 0; i < values.size(); ++i)
      (i < 30'000 ? first : second).add(values[i]);
    first.merge(second);
    CHECK(first.n() == values.size());
    CHECK(first.mean() == Approx(s.mean).epsilon(1e-13));
    CHECK(first.stddev() == Approx(s.stddev).epsilon(1e-8));
    CHECK(first.min() == s.min);
    CHECK(first.max() == s.max);
  }
}

TEST_CASE("running statistics are NaN until they have enough values", "[metrics][statistics]") {
  RunningStats r;
  CHECK(std::isnan(r.mean()));
  CHECK(std::isnan(r.min()));
  r.add(4.0);
  CHECK(r.mean() == 4.0);
  CHECK(std::isnan(r.variance()));
  r.add(6.0);
  CHECK(r.variance() == 2.0);
  CHECK_THROWS_AS(r.add(std::nan("")), std::invalid_argument);
}

TEST_CASE("t quantiles match the 95 % two-sided table", "[metrics][statistics]") {
  CHECK(t_quantile_975(1) == Approx(12.706).margin(5e-4));
  CHECK(t_quantile_975(4) == Approx(2.776).margin(5e-4));
  CHECK(t_quantile_975(9) == Approx(2.262).margin(5e-4));
  CHECK(t_quantile_975(29) == Approx(2.045).margin(5e-4));
  CHECK(t_quantile_975(1'000'000) == Approx(1.960).margin(5e-4));
  CHECK(t_quantile_975(std::size_t{1} << 62) == Approx(1.959964).margin(1e-6));
  CHECK_THROWS_AS(t_quantile_975(0), std::invalid_argument);
}

TEST_CASE("t_quantile: any p, fractional and infinite degrees of freedom", "[metrics][statistics]") {
  // Table values (and mpmath's regularised incomplete beta, to 9 digits).
  CHECK(t_quantile(0.975, 9) == Approx(2.262157).margin(1e-6));
  CHECK(t_quantile(0.95, 9) == Approx(1.833113).margin(1e-6));
  CHECK(t_quantile(0.975, 4) == Approx(2.776445).margin(1e-6));
  CHECK(t_quantile(0.95, 4) == Approx(2.131847).margin(1e-6));
  // It agrees with the integer-dof function.
  CHECK(t_quantile(0.975, 29) == Approx(t_quantile_975(29)).epsilon(1e-12));
  // Symmetric about 0: the lower quantile is the negated upper one, the median is 0.
  CHECK(t_quantile(0.025, 9) == Approx(-2.262157).margin(1e-6));
  CHECK(t_quantile(0.5, 3.5) == Approx(0.0).margin(1e-12));
  // dof 2 has the closed form (2p - 1) sqrt(2 / (4 p (1 - p))): 0.95 * sqrt(2 / 0.0975) =
  // 4.302653 at p = 0.975.
  CHECK(t_quantile(0.975, 2) == Approx(0.95 * std::sqrt(2 / 0.0975)).epsilon(1e-10));
  // Fractional dof lies between its integer neighbours, t(0.975, 7) = 2.364624 and
  // t(0.975, 8) = 2.306004 (mpmath: 2.333040 at 7.5).
  const double q = t_quantile(0.975, 7.5);
  CHECK(q < 2.364624);
  CHECK(q > 2.306004);
  CHECK(q == Approx(2.333040).margin(1e-6));
  // Infinite dof: the standard normal, 1.959964 and 1.644854.
  constexpr double inf = std::numeric_limits<double>::infinity();
  CHECK(t_quantile(0.975, inf) == Approx(1.959964).margin(1e-6));
  CHECK(t_quantile(0.95, inf) == Approx(1.644854).margin(1e-6));
}

TEST_CASE("t_upper_tail inverts t_quantile and keeps tiny tails", "[metrics][statistics]") {
  constexpr double inf = std::numeric_limits<double>::infinity();
  for (const double dof : {1.0, 2.5, 9.0, 30.0, 1e6, inf}) {
    CAPTURE(dof);
    CHECK(t_upper_tail(t_quantile(0.975, dof), dof) == Approx(0.025).epsilon(1e-9));
    CHECK(t_upper_tail(t_quantile(0.1, dof), dof) == Approx(0.9).epsilon(1e-9));
    CHECK(t_upper_tail(0, dof) == Approx(0.5).epsilon(1e-12));
  }
  // dof 1 is the Cauchy distribution: P(T > t) = 1 / 2 - atan(t) / pi, 0.25 at t = 1 and
  // 1 / (pi t) = 3.183099e-11 far out (1 - cdf would have lost every digit).
  CHECK(t_upper_tail(1, 1) == Approx(0.25).epsilon(1e-12));
  CHECK(t_upper_tail(1e10, 1) == Approx(3.183099e-11).epsilon(1e-6));
  // dof 2: P(T > t) = (1 - t / sqrt(t^2 + 2)) / 2, 0.0477330 at t = 3.
  CHECK(t_upper_tail(3, 2) == Approx((1 - 3 / std::sqrt(11.0)) / 2).epsilon(1e-10));
  // Fractional dof (mpmath): P(T_2.5 > 3) = 0.0362880.
  CHECK(t_upper_tail(3, 2.5) == Approx(0.0362880).epsilon(1e-5));
  // Normal: P(Z > 10) = erfc(10 / sqrt 2) / 2 = 7.619853e-24.
  CHECK(t_upper_tail(10, inf) == Approx(7.619853e-24).epsilon(1e-6));
  // Negative t: the complement.
  CHECK(t_upper_tail(-2.262157, 9) == Approx(0.975).margin(1e-7));
}

TEST_CASE("t_quantile and t_upper_tail reject invalid arguments", "[metrics][statistics]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_AS(t_quantile(0.0, 9), std::invalid_argument);
  CHECK_THROWS_AS(t_quantile(1.0, 9), std::invalid_argument);
  CHECK_THROWS_AS(t_quantile(-0.5, 9), std::invalid_argument);
  CHECK_THROWS_AS(t_quantile(nan, 9), std::invalid_argument);
  CHECK_THROWS_AS(t_quantile(0.975, 0), std::invalid_argument);
  CHECK_THROWS_AS(t_quantile(0.975, -3), std::invalid_argument);
  CHECK_THROWS_AS(t_quantile(0.975, nan), std::invalid_argument);
  CHECK_THROWS_AS(t_upper_tail(nan, 9), std::invalid_argument);
  CHECK_THROWS_AS(t_upper_tail(2, 0), std::invalid_argument);
  CHECK_THROWS_AS(t_upper_tail(2, -1), std::invalid_argument);
  CHECK_THROWS_AS(t_upper_tail(2, nan), std::invalid_argument);
}

TEST_CASE("mean_ci95 of 1..5 is 3 +- t(4) * sqrt(2.5 / 5)", "[metrics][statistics]") {
  const std::vector<double> values = {1, 2, 3, 4, 5};
  const Interval ci = mean_ci95(values);
  const double half = 2.7764451051977987 * std::sqrt(0.5);
  CHECK(ci.low == Approx(3 - half).epsilon(1e-12));
  CHECK(ci.high == Approx(3 + half).epsilon(1e-12));
  CHECK(ci.low == Approx(1.036757).margin(1e-6));
}

TEST_CASE("mean_ci95 needs two values and is empty for a constant series",
          "[metrics][statistics]") {
  const std::vector<double> one = {7.0};
  CHECK(std::isnan(mean_ci95(one).low));
  CHECK(std::isnan(mean_ci95(one).high));
  CHECK(std::isnan(mean_ci95({}).low));
  const std::vector<double> constant = {2.5, 2.5, 2.5};
  const Interval ci = mean_ci95(constant);
  CHECK(ci.low == 2.5);
  CHECK(ci.high == 2.5);
}

TEST_CASE("batch means cut the series in order and drop the remainder at the end",
          "[metrics][statistics]") {
  // Batch b of size 3 holds b - 1, b, b + 1: its mean is b.
  std::vector<double> series;
  std::vector<double> means;
  for (int b = 0; b < 20; ++b) {
    for (const int d : {-1, 0, 1})
      series.push_back(b + d);
    means.push_back(b);
  }
  const Interval expected = mean_ci95(means);
  const Interval ci = batch_means_ci95(series);
  CHECK(ci.low == Approx(expected.low).epsilon(1e-14));
  CHECK(ci.high == Approx(expected.high).epsilon(1e-14));

  SECTION("values past the last full batch are ignored") {
    series.push_back(1e9);
    series.push_back(-1e9);
    const Interval with_tail = batch_means_ci95(series);
    CHECK(with_tail.low == Approx(expected.low).epsilon(1e-14));
    CHECK(with_tail.high == Approx(expected.high).epsilon(1e-14));
  }
  SECTION("the batch count is a parameter") {
    const Interval four = batch_means_ci95(series, 4);
    // Four batches of 15: means 2, 7, 12, 17.
    const std::vector<double> four_means = {2, 7, 12, 17};
    CHECK(four.low == Approx(mean_ci95(four_means).low).epsilon(1e-14));
  }
}

TEST_CASE("batch means need two values per batch and at least two batches",
          "[metrics][statistics]") {
  const std::vector<double> short_series(39, 1.0);
  CHECK(std::isnan(batch_means_ci95(short_series).low));
  const std::vector<double> enough(40, 1.0);
  CHECK(batch_means_ci95(enough).low == 1.0);
  CHECK_THROWS_AS(batch_means_ci95(enough, 1), std::invalid_argument);
}

TEST_CASE("large samples sort by radix and give the same exact percentiles as a comparison sort", "[metrics]") {
  std::mt19937_64 rng(11);
  sim::metrics::DurationSample sample;
  std::vector<std::int64_t> reference;
  for (int i = 0; i < 100000; ++i) {
    // Spread over many digits, with negatives and ties.
    const auto v = static_cast<std::int64_t>(rng() % 5'000'000'000ULL) - 1'000'000'000 + (i % 7 == 0 ? 0 : 0);
    sample.add(sim::base::Duration{v});
    reference.push_back(v);
  }
  std::sort(reference.begin(), reference.end());
  const auto s = sample.summary();
  auto at = [&](unsigned bp) { return static_cast<double>(reference[sim::metrics::nearest_rank(reference.size(), bp) - 1]) / 1e9; };
  CHECK(s.min == static_cast<double>(reference.front()) / 1e9);
  CHECK(s.max == static_cast<double>(reference.back()) / 1e9);
  CHECK(s.p50 == at(5000));
  CHECK(s.p90 == at(9000));
  CHECK(s.p99 == at(9900));
}

TEST_CASE("radix sorting covers the whole int64 range: every quantile equals the comparison sort's", "[metrics]") {
  std::mt19937_64 rng(5);
  for (const std::uint64_t spread : {std::uint64_t{1000}, std::uint64_t{1} << 40, ~std::uint64_t{0}}) {
    sim::metrics::DurationSample sample;
    std::vector<std::int64_t> reference;
    for (int i = 0; i < 20000; ++i) {
      auto v = static_cast<std::int64_t>(rng() % spread);
      if (spread == ~std::uint64_t{0}) v = static_cast<std::int64_t>(rng());  // negatives, both limits' regions
      if (i == 7) v = std::numeric_limits<std::int64_t>::min();
      if (i == 9) v = std::numeric_limits<std::int64_t>::max();
      sample.add(sim::base::Duration{v});
      reference.push_back(v);
    }
    std::sort(reference.begin(), reference.end());
    INFO("spread " << spread);
    for (unsigned bp = 0; bp <= 10000; bp += 50)
      REQUIRE(sample.quantile_ns(bp) == reference[sim::metrics::nearest_rank(reference.size(), bp) - 1]);
  }
}

TEST_CASE("duration samples share their runs: copies and append copy no values, add starts a run of its own", "[metrics]") {
  sim::metrics::DurationSample a;
  for (int i = 1; i <= 1000; ++i) a.add(sim::base::Duration{i});
  const sim::metrics::DurationSample b = a;  // shares
  CHECK(b.values_ns().data() == a.values_ns().data());
  CHECK(a.summary().p50 == b.summary().p50);
  sim::metrics::DurationSample c = a;
  c.add(sim::base::Duration{5000});  // a second run, c's own; a and b are untouched
  int runs = 0;
  c.for_each_run([&](std::span<const std::int64_t>) { ++runs; });
  CHECK(runs == 2);
  CHECK_THROWS_AS(c.values_ns(), std::logic_error);
  CHECK(a.size() == 1000);
  CHECK(c.size() == 1001);
  CHECK(a.summary().max == 1000e-9);
  CHECK(c.summary().max == 5000e-9);
  CHECK(c.quantile_ns(10000) == 5000);
  CHECK(a.quantile_ns(0) == 1);
  a.add(sim::base::Duration{0});  // a adds too: b still sees the original values
  CHECK(a.quantile_ns(0) == 0);
  CHECK(b.quantile_ns(0) == 1);
  CHECK(b.size() == 1000);
  // Appending d to e shares d's run: adding to either afterwards leaves the other untouched.
  sim::metrics::DurationSample d, e;
  d.add(sim::base::Duration{7});
  e.append(d);
  d.add(sim::base::Duration{8});
  e.add(sim::base::Duration{9});
  CHECK(d.size() == 2);
  CHECK(d.quantile_ns(10000) == 8);
  CHECK(e.size() == 2);
  CHECK(e.quantile_ns(10000) == 9);
  // A moved-to sample adds to its run; the moved-from one starts afresh; an assigned copy shares.
  sim::metrics::DurationSample f = std::move(d);
  f.add(sim::base::Duration{10});
  CHECK(f.size() == 3);
  d = f;
  d.add(sim::base::Duration{1});
  CHECK(f.size() == 3);
  CHECK(f.quantile_ns(0) == 7);
  CHECK(d.quantile_ns(0) == 1);
  CHECK_THROWS_AS(sim::metrics::DurationSample{}.quantile_ns(5000), std::invalid_argument);
}

TEST_CASE("a sample of several runs summarises exactly as the concatenation of its values", "[metrics]") {
  // Below merge_above the runs are concatenated and sorted; above, the percentiles are selected
  // across the runs' sorted copies: both paths.
  const int per_part = GENERATE(5000, 80000);
  INFO("up to " << per_part << " values per run, 37 runs");
  std::mt19937_64 rng(3);
  sim::metrics::DurationSample pooled;
  std::vector<std::int64_t> flat;  // every value in order (more than one sample keeps by add())
  std::vector<sim::metrics::DurationSample> parts(37);
  for (std::size_t p = 0; p < parts.size(); ++p) {
    const int n = static_cast<int>(rng() % static_cast<unsigned>(per_part));  // some empty, most radix sorted
    for (int i = 0; i < n; ++i) {
      const auto v = sim::base::Duration{static_cast<std::int64_t>(rng() % 3'000'000'000ULL) - 1000};
      parts[p].add(v);
      flat.push_back(v.count());
    }
    pooled.append(parts[p]);
  }
  REQUIRE(pooled.size() == flat.size());
  CHECK((pooled.size() > sim::metrics::DurationSample::merge_above) == (per_part == 80000));
  CHECK_FALSE(pooled.sketched());  // appending exact samples shares their runs, whatever the total
  std::vector<double> series;
  for (const std::int64_t v : flat) series.push_back(static_cast<double>(v) * 1e-9);
  std::vector<std::int64_t> sorted = flat;
  std::sort(sorted.begin(), sorted.end());
  const auto a = pooled.summary(), b = sim::metrics::summarize_sorted(std::span<const std::int64_t>(sorted));
  // Bit for bit: the same exact total and sum of squares, the same order statistics.
  CHECK(std::memcmp(&a, &b, sizeof a) == 0);
  for (unsigned bp : {1u, 5000u, 9999u, 10000u})
    CHECK(pooled.quantile_ns(bp) == sorted[sim::metrics::nearest_rank(sorted.size(), bp) - 1]);
  CHECK(pooled.quantile_ns(0) == sorted.front());
  // Batch means read the runs in order, as the flat series.
  const auto ca = sim::metrics::batch_means_ci95(pooled), cb = sim::metrics::batch_means_ci95(series);
  CHECK(std::memcmp(&ca, &cb, sizeof ca) == 0);
}
