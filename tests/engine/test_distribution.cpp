#include "sim/engine/distribution.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>
#include <numbers>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <vector>

using namespace std::chrono_literals;
using sim::base::Duration;
using sim::base::forever;
using sim::engine::DistKind;
using sim::engine::Distribution;
using sim::engine::RandomStream;

// Statistical checks draw N = 200,000 values from a stream with a fixed seed (not chosen
// because it passes) and allow 5 standard errors: the probability that a correct
// implementation fails one check is P(|Z| > 5) ~= 5.7e-7.
//   mean:     |mean_n - mean| <= 5 * sd / sqrt(N)
//   quantile: the empirical CDF at the true q-quantile x_q is binomial, so
//             |F_n(x_q) - q| <= 5 * sqrt(q (1 - q) / N)
namespace {

constexpr int n_draws = 200'000;
constexpr double n_se = 5.0;
constexpr std::uint64_t test_seed = 20240601;

std::vector<Duration> draw(const Distribution& d, std::string_view stream_name,
                           int n = n_draws) {
  RandomStream rng(test_seed, 0, stream_name);
  std::vector<Duration> xs;
  xs.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) xs.push_back(d.sample(rng));
  return xs;
}

double seconds(Duration d) { return static_cast<double>(d.count()) / 1e9; }

void require_mean_near(const std::vector<Duration>& xs, double mean, double sd) {
  double sum = 0;
  for (Duration x : xs) sum += seconds(x);
  const double n = static_cast<double>(xs.size());
  const double sample_mean = sum / n;
  INFO("sample mean " << sample_mean << " s, true mean " << mean << " s, sd " << sd << " s");
  REQUIRE(std::abs(sample_mean - mean) <= n_se * sd / std::sqrt(n));
}

void require_quantile_near(const std::vector<Duration>& xs, double q, double x_q) {
  const auto below = std::count_if(xs.begin(), xs.end(),
                                   [&](Duration x) { return seconds(x) <= x_q; });
  const double n = static_cast<double>(xs.size());
  const double f = static_cast<double>(below) / n;
  INFO("F_n(" << x_q << " s) = " << f << ", q = " << q);
  REQUIRE(std::abs(f - q) <= n_se * std::sqrt(q * (1 - q) / n));
}

double phi(double x) { return std::exp(-0.5 * x * x) / std::sqrt(2 * std::numbers::pi); }

// Mean and standard deviation of Normal(mu, sigma) truncated below at 0, by Simpson's rule
// (independent of the closed form the library uses).
std::pair<double, double> truncated_normal_moments(double mu, double sigma) {
  const double lo = 0, hi = mu + 12 * sigma;
  constexpr int steps = 200'000;
  const double h = (hi - lo) / steps;
  double m0 = 0, m1 = 0, m2 = 0;
  for (int i = 0; i <= steps; ++i) {
    const double x = lo + i * h;
    const double w = (i == 0 || i == steps) ? 1 : (i % 2 == 1 ? 4 : 2);
    const double p = w * phi((x - mu) / sigma);
    m0 += p;
    m1 += p * x;
    m2 += p * x * x;
  }
  const double mean = m1 / m0;
  return {mean, std::sqrt(m2 / m0 - mean * mean)};
}

} // namespace

TEST_CASE("a constant returns exactly its value and consumes no randomness", "[random]") {
  const auto d = Distribution::constant(1500us);
  RandomStream rng(test_seed, 0, "test/constant");
  RandomStream untouched = rng;
  for (int i = 0; i < 1000; ++i) REQUIRE(d.sample(rng) == 1500us);
  REQUIRE(rng.next() == untouched.next());
  REQUIRE(d.is_constant());
  REQUIRE(d.mean_seconds() == 0.0015);
  REQUIRE(d.quantile_seconds(0.9) == 0.0015);
  REQUIRE(Distribution::constant(forever).sample(rng) == forever);
}

TEST_CASE("a default-constructed distribution is the constant zero", "[random]") {
  const Distribution d;
  RandomStream rng(test_seed, 0, "test/default");
  REQUIRE(d.kind() == DistKind::Constant);
  REQUIRE(d.sample(rng) == 0ns);
}

TEST_CASE("an exponential draw has the stated mean and 90th percentile", "[random]") {
  const auto d = Distribution::exponential(5ms);
  REQUIRE(d.mean_seconds() == Approx(0.005).epsilon(1e-12));
  REQUIRE(d.quantile_seconds(0.9) == Approx(0.005 * std::log(10.0)).epsilon(1e-12));
  const auto xs = draw(d, "test/exponential");
  REQUIRE(*std::min_element(xs.begin(), xs.end()) >= 0ns);
  require_mean_near(xs, 0.005, 0.005);
  require_quantile_near(xs, 0.9, 0.005 * std::log(10.0));
}

TEST_CASE("a uniform draw stays within min..max with the stated mean and median", "[random]") {
  const auto d = Distribution::uniform(50ms, 200ms);
  REQUIRE(d.mean_seconds() == Approx(0.125).epsilon(1e-12));
  REQUIRE(d.quantile_seconds(0.5) == Approx(0.125).epsilon(1e-12));
  const auto xs = draw(d, "test/uniform");
  REQUIRE(*std::min_element(xs.begin(), xs.end()) >= 50ms);
  REQUIRE(*std::max_element(xs.begin(), xs.end()) <= 200ms);
  require_mean_near(xs, 0.125, 0.150 / std::sqrt(12.0));
  require_quantile_near(xs, 0.5, 0.125);
}

TEST_CASE("a uniform draw includes both ends and min == max is exact", "[random]") {
  const auto xs = draw(Distribution::uniform(0ns, 1ns), "test/uniform-ends", 1000);
  REQUIRE(std::count(xs.begin(), xs.end(), 0ns) > 0);
  REQUIRE(std::count(xs.begin(), xs.end(), 1ns) > 0);
  const auto same = draw(Distribution::uniform(7ms, 7ms), "test/uniform-point", 1000);
  REQUIRE(std::all_of(same.begin(), same.end(), [](Duration x) { return x == 7ms; }));
  const auto wide = draw(Distribution::uniform(0ns, forever), "test/uniform-wide", 1000);
  REQUIRE(std::all_of(wide.begin(), wide.end(), [](Duration x) { return x >= 0ns; }));
}

TEST_CASE("a normal draw far from 0 has the stated mean and 90th percentile", "[random]") {
  const auto d = Distribution::normal(10ms, 2ms);
  const double z90 = 1.2815515655446004;
  // Truncation at 5 sd below the mean still moves the mean by sd * phi(5) / Phi(5) ~= 3 ns.
  const auto [mean, sd] = truncated_normal_moments(0.010, 0.002);
  REQUIRE(d.mean_seconds() == Approx(mean).epsilon(1e-12));
  const double kept = 1 - 2.866515718791939e-7; // 1 - Phi(-5)
  REQUIRE(d.mean_seconds() == Approx(0.010 + 0.002 * phi(5) / kept).epsilon(1e-12));
  // The truncated 90th percentile sits 0.3 ns above the untruncated one.
  REQUIRE(d.quantile_seconds(0.9) == Approx(0.010 + z90 * 0.002).epsilon(1e-7));
  REQUIRE(d.quantile_seconds(0.9) > 0.010 + z90 * 0.002);
  const auto xs = draw(d, "test/normal");
  require_mean_near(xs, mean, sd);
  require_quantile_near(xs, 0.9, 0.010 + z90 * 0.002);
}

TEST_CASE("a normal draw truncated at 0 is never negative and has the truncated mean",
          "[random]") {
  const auto d = Distribution::normal(1ms, 2ms);
  const auto [mean, sd] = truncated_normal_moments(0.001, 0.002);
  REQUIRE(d.mean_seconds() == Approx(mean).epsilon(1e-9));
  const auto xs = draw(d, "test/normal-truncated");
  REQUIRE(*std::min_element(xs.begin(), xs.end()) >= 0ns);
  require_mean_near(xs, mean, sd);
  require_quantile_near(xs, 0.5, d.quantile_seconds(0.5));
  require_quantile_near(xs, 0.99, d.quantile_seconds(0.99));
}

TEST_CASE("a normal draw consumes exactly two raw values: no spare is cached", "[random]") {
  const auto d = Distribution::normal(10ms, 2ms);
  RandomStream rng(test_seed, 0, "test/normal-consumption");
  RandomStream reference = rng;
  for (int i = 0; i < 10; ++i) (void)d.sample(rng);
  for (int i = 0; i < 20; ++i) (void)reference.next();
  REQUIRE(rng.next() == reference.next());
}

TEST_CASE("a lognormal from median and p99 reproduces both percentiles and its mean",
          "[random]") {
  const auto d = Distribution::lognormal_median_p99(4ms, 20ms);
  const double sigma = std::log(5.0) / 2.3263478740408408;
  const double mu = std::log(0.004);
  const double mean = std::exp(mu + sigma * sigma / 2);
  const double sd = mean * std::sqrt(std::exp(sigma * sigma) - 1);
  REQUIRE(d.quantile_seconds(0.5) == Approx(0.004).epsilon(1e-12));
  REQUIRE(d.quantile_seconds(0.99) == Approx(0.020).epsilon(1e-12));
  REQUIRE(d.mean_seconds() == Approx(mean).epsilon(1e-12));
  const auto xs = draw(d, "test/lognormal-median-p99");
  require_mean_near(xs, mean, sd);
  require_quantile_near(xs, 0.5, 0.004);
  require_quantile_near(xs, 0.99, 0.020);
}

TEST_CASE("lognormal quantiles follow the standard normal quantile to full precision",
          "[random]") {
  const auto d = Distribution::lognormal(0, 1);
  const std::pair<double, double> known[] = {
      {0.5, 0.0},
      {0.9, 1.2815515655446004},
      {0.975, 1.959963984540054},
      {0.99, 2.3263478740408408},
      {0.999, 3.090232306167813},
      {0.01, -2.3263478740408408},
      {1e-6, -4.753424308822899}};
  for (const auto& [q, z] : known) {
    INFO("q = " << q);
    REQUIRE(std::log(d.quantile_seconds(q)) == Approx(z).margin(1e-13));
  }
}

TEST_CASE("a lognormal from mu and sigma has mean exp(mu + sigma^2/2)", "[random]") {
  const double mu = std::log(0.001), sigma = 0.5;
  const auto d = Distribution::lognormal(mu, sigma);
  const double mean = std::exp(mu + sigma * sigma / 2);
  const double sd = mean * std::sqrt(std::exp(sigma * sigma) - 1);
  REQUIRE(d.mean_seconds() == Approx(mean).epsilon(1e-12));
  const auto xs = draw(d, "test/lognormal");
  require_mean_near(xs, mean, sd);
  require_quantile_near(xs, 0.9, d.quantile_seconds(0.9));
}

TEST_CASE("a real-valued draw is rounded to the nearest nanosecond", "[random]") {
  RandomStream rng(test_seed, 0, "test/rounding");
  REQUIRE(Distribution::lognormal(std::log(1.4e-9), 0).sample(rng) == 1ns);
  REQUIRE(Distribution::lognormal(std::log(1.6e-9), 0).sample(rng) == 2ns);
  REQUIRE(Distribution::lognormal(std::log(0.4e-9), 0).sample(rng) == 0ns);
}

TEST_CASE("a Weibull draw has mean scale*Gamma(1+1/k) and the closed-form median",
          "[random]") {
  const double k = GENERATE(0.7, 1.5, 3.0);
  const double scale = 36000; // 10 h in seconds
  const auto d = Distribution::weibull(k, 10h);
  const double mean = scale * std::tgamma(1 + 1 / k);
  const double sd = scale * std::sqrt(std::tgamma(1 + 2 / k) - std::pow(std::tgamma(1 + 1 / k), 2));
  const double median = scale * std::pow(std::log(2.0), 1 / k);
  REQUIRE(d.mean_seconds() == Approx(mean).epsilon(1e-12));
  REQUIRE(d.quantile_seconds(0.5) == Approx(median).epsilon(1e-12));
  const auto xs = draw(d, "test/weibull");
  require_mean_near(xs, mean, sd);
  require_quantile_near(xs, 0.5, median);
}

TEST_CASE("a Weibull location shifts every draw by exactly the location", "[random]") {
  const auto plain = Distribution::weibull(1.5, 10h);
  const auto shifted = Distribution::weibull(1.5, 10h, 2h);
  const auto xs = draw(plain, "test/weibull-location", 10'000);
  const auto ys = draw(shifted, "test/weibull-location", 10'000);
  for (std::size_t i = 0; i < xs.size(); ++i) REQUIRE(ys[i] == xs[i] + 2h);
  REQUIRE(shifted.mean_seconds() == Approx(plain.mean_seconds() + 7200).epsilon(1e-12));
  REQUIRE(shifted.quantile_seconds(0.9) ==
          Approx(plain.quantile_seconds(0.9) + 7200).epsilon(1e-12));
  REQUIRE(*std::min_element(ys.begin(), ys.end()) >= 2h);
}

TEST_CASE("an exponential lifetime beyond the int64 range saturates to forever", "[random]") {
  // Mean 250 years (of 365.25 d): P(draw >= 2^63 ns ~= 292.3 y) = exp(-2^63 ns / mean) ~= 0.31.
  const Duration mean{std::int64_t{250} * 31'557'600 * 1'000'000'000};
  const auto d = Distribution::exponential(mean);
  const auto xs = draw(d, "test/exponential-huge");
  const double p = std::exp(-9223372036854775808.0 / static_cast<double>(mean.count()));
  const auto saturated = std::count(xs.begin(), xs.end(), forever);
  const double f = static_cast<double>(saturated) / n_draws;
  REQUIRE(std::abs(f - p) <= n_se * std::sqrt(p * (1 - p) / n_draws));
  REQUIRE(std::all_of(xs.begin(), xs.end(), [](Duration x) { return x >= 0ns; }));
}

TEST_CASE("draws too large for int64 saturate to forever for every real-valued kind",
          "[random]") {
  RandomStream rng(test_seed, 0, "test/saturation");
  REQUIRE(Distribution::lognormal(100.0, 1.0).sample(rng) == forever);
  REQUIRE(Distribution::weibull(0.01, forever, forever).sample(rng) == forever);
  const auto huge_normal = draw(Distribution::normal(forever, forever), "test/normal-huge", 1000);
  REQUIRE(std::count(huge_normal.begin(), huge_normal.end(), forever) > 0);
}

TEST_CASE("an empirical draw returns only given samples, with equal frequencies", "[random]") {
  // Chi-square with 3 degrees of freedom; its 0.999 quantile is 16.266.
  const auto d = Distribution::empirical({1ms, 2ms, 3ms, 5ms});
  const auto xs = draw(d, "test/empirical");
  std::map<Duration, int> counts;
  for (Duration x : xs) ++counts[x];
  REQUIRE(counts.size() == 4);
  REQUIRE(counts.count(1ms) + counts.count(2ms) + counts.count(3ms) + counts.count(5ms) == 4);
  const double expected = n_draws / 4.0;
  double chi2 = 0;
  for (const auto& [value, c] : counts) chi2 += (c - expected) * (c - expected) / expected;
  REQUIRE(chi2 < 16.266);
  const double mean = 0.00275;
  const double sd = std::sqrt((1.75 * 1.75 + 0.75 * 0.75 + 0.25 * 0.25 + 2.25 * 2.25) / 4) * 1e-3;
  REQUIRE(d.mean_seconds() == Approx(mean).epsilon(1e-12));
  require_mean_near(xs, mean, sd);
}

TEST_CASE("an empirical quantile is the nearest-rank sample", "[random]") {
  const auto d = Distribution::empirical({5ms, 1ms, 3ms, 2ms});
  REQUIRE(d.quantile_seconds(0.25) == 0.001);
  REQUIRE(d.quantile_seconds(0.26) == 0.002);
  REQUIRE(d.quantile_seconds(0.5) == 0.002);
  REQUIRE(d.quantile_seconds(0.51) == 0.003);
  REQUIRE(d.quantile_seconds(0.99) == 0.005);
  REQUIRE(d.quantile_seconds(1e-9) == 0.001);
}

TEST_CASE("an empirical draw depends on the samples, not on their order", "[random]") {
  const auto a = draw(Distribution::empirical({5ms, 1ms, 3ms, 2ms}), "test/empirical-order", 1000);
  const auto b = draw(Distribution::empirical({1ms, 2ms, 3ms, 5ms}), "test/empirical-order", 1000);
  REQUIRE(a == b);
}

TEST_CASE("the same stream state gives the same draws for every kind", "[random]") {
  const Distribution kinds[] = {
      Distribution::uniform(1ms, 2ms),      Distribution::exponential(1ms),
      Distribution::normal(1ms, 1ms),       Distribution::lognormal_median_p99(1ms, 5ms),
      Distribution::weibull(1.2, 1h, 1ms),  Distribution::empirical({1ms, 2ms})};
  for (const auto& d : kinds) {
    INFO(d);
    REQUIRE(draw(d, "test/repeat", 1000) == draw(d, "test/repeat", 1000));
  }
}

TEST_CASE("invalid parameters throw std::invalid_argument", "[random]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  using Catch::Matchers::Contains;
  REQUIRE_THROWS_WITH(Distribution::constant(-1500us), Contains("value must be >= 0 (got -1.5ms)"));
  REQUIRE_THROWS_AS(Distribution::constant(Duration::min()), std::invalid_argument);
  REQUIRE_THROWS_AS(Distribution::uniform(-1ns, 1ns), std::invalid_argument);
  REQUIRE_THROWS_WITH(Distribution::uniform(2ms, 1ms),
                      Contains("max must be >= min (got min=2ms, max=1ms)"));
  REQUIRE_THROWS_WITH(Distribution::exponential(0ns), Contains("mean must be > 0"));
  REQUIRE_THROWS_AS(Distribution::exponential(-5ms), std::invalid_argument);
  REQUIRE_THROWS_AS(Distribution::normal(-1ms, 1ms), std::invalid_argument);
  REQUIRE_THROWS_AS(Distribution::normal(1ms, -1ns), std::invalid_argument);
  REQUIRE_THROWS_AS(Distribution::lognormal(nan, 1), std::invalid_argument);
  REQUIRE_THROWS_AS(Distribution::lognormal(0, -1), std::invalid_argument);
  REQUIRE_THROWS_AS(Distribution::lognormal(0, inf), std::invalid_argument);
  REQUIRE_THROWS_AS(Distribution::lognormal_median_p99(0ns, 1ms), std::invalid_argument);
  REQUIRE_THROWS_WITH(Distribution::lognormal_median_p99(4ms, 4ms),
                      Contains("p99 must be > median"));
  REQUIRE_THROWS_AS(Distribution::lognormal_median_p99(4ms, 3ms), std::invalid_argument);
  REQUIRE_THROWS_AS(Distribution::weibull(0, 1h), std::invalid_argument);
  REQUIRE_THROWS_AS(Distribution::weibull(-1, 1h), std::invalid_argument);
  REQUIRE_THROWS_AS(Distribution::weibull(nan, 1h), std::invalid_argument);
  REQUIRE_THROWS_AS(Distribution::weibull(1, 0ns), std::invalid_argument);
  REQUIRE_THROWS_AS(Distribution::weibull(1, 1h, -1ns), std::invalid_argument);
  REQUIRE_THROWS_WITH(Distribution::empirical({}), Contains("at least one sample"));
  REQUIRE_THROWS_AS(Distribution::empirical({1ms, -1ns}), std::invalid_argument);
  const auto d = Distribution::exponential(1ms);
  REQUIRE_THROWS_AS(d.quantile_seconds(0), std::invalid_argument);
  REQUIRE_THROWS_AS(d.quantile_seconds(1), std::invalid_argument);
  REQUIRE_THROWS_AS(d.quantile_seconds(nan), std::invalid_argument);
}

TEST_CASE("describe names the kind and its parameters with units", "[random]") {
  CHECK(Distribution::constant(1500us).describe() == "constant(value=1.5ms)");
  CHECK(Distribution::uniform(50ms, 200ms).describe() == "uniform(min=50ms, max=200ms)");
  CHECK(Distribution::exponential(5ms).describe() == "exponential(mean=5ms)");
  CHECK(Distribution::normal(10ms, 2ms).describe() == "normal(mean=10ms, stddev=2ms)");
  CHECK(Distribution::lognormal_median_p99(4ms, 20ms).describe() ==
        "lognormal(median=4ms, p99=20ms)");
  CHECK(Distribution::lognormal(-5.5, 0.25).describe() == "lognormal(mu=-5.5, sigma=0.25)");
  CHECK(Distribution::weibull(1.12, 461386h).describe() == "weibull(shape=1.12, scale=461386h)");
  CHECK(Distribution::weibull(2, 12h, 30min).describe() ==
        "weibull(shape=2, scale=12h, location=30m)");
  CHECK(Distribution::empirical({1ms, 2ms, 3ms, 5ms}).describe() ==
        "empirical(n=4, mean=2.75ms)");
  CHECK(Distribution::constant(forever).describe() == "constant(value=forever)");
  CHECK(Distribution::constant(1234567ns).describe() == "constant(value=1234.567us)");
  CHECK(Distribution::constant(999ns).describe() == "constant(value=999ns)");
  CHECK(Distribution().describe() == "constant(value=0ns)");
  std::ostringstream os;
  os << Distribution::exponential(5ms);
  CHECK(os.str() == "exponential(mean=5ms)");
  CHECK(std::string(sim::engine::to_string(DistKind::Weibull)) == "weibull");
}

TEST_CASE("the cumulative hazard is -ln S at the law's own quantiles, and the hazard is its derivative", "[engine][distribution]") {
  using sim::engine::Distribution;
  using sim::base::Duration;
  const std::vector<Distribution> laws = {
      Distribution::exponential(std::chrono::hours(1000)),
      Distribution::weibull(1.5, std::chrono::hours(1000), std::chrono::hours(100)),
      Distribution::weibull(0.7, std::chrono::hours(1000)),
      Distribution::uniform(std::chrono::hours(10), std::chrono::hours(20)),
      Distribution::normal(std::chrono::hours(100), std::chrono::hours(30)),
      Distribution::lognormal(std::log(3600.0 * 100), 0.8),
  };
  for (const Distribution& law : laws) {
    INFO(law.describe());
    REQUIRE(law.has_hazard());
    for (const double q : {0.05, 0.3, 0.5, 0.9, 0.99}) {
      const double x_s = law.quantile_seconds(q);
      const Duration x{static_cast<std::int64_t>(std::llround(x_s * 1e9))};
      // H(F^-1(q)) = -ln(1 - q), to the rounding of x to whole nanoseconds.
      CHECK(law.cumulative_hazard(x) == Approx(-std::log1p(-q)).epsilon(1e-6));
      // h = dH/dx: a central difference over +-1 s (H is smooth there; error O(1 s^2)).
      const Duration dt = std::chrono::seconds(1);
      const double slope = (law.cumulative_hazard(x + dt) - law.cumulative_hazard(x - dt)) / 2.0;
      CHECK(law.hazard_per_second(x) == Approx(slope).epsilon(1e-5));
    }
  }
  // Closed forms: exponential h = 1/mean; Weibull before its location has no hazard.
  CHECK(Distribution::exponential(std::chrono::seconds(4)).hazard_per_second(Duration{}) == 0.25);
  CHECK(Distribution::weibull(2, std::chrono::hours(1), std::chrono::hours(1)).cumulative_hazard(std::chrono::minutes(30)) == 0);
  CHECK(std::isinf(Distribution::uniform(std::chrono::hours(10), std::chrono::hours(20)).cumulative_hazard(std::chrono::hours(20))));
  CHECK_FALSE(Distribution::constant(std::chrono::hours(1)).has_hazard());
  CHECK_FALSE(Distribution::empirical({std::chrono::hours(1), std::chrono::hours(2)}).has_hazard());
  CHECK_FALSE(Distribution::lognormal(1.0, 0.0).has_hazard());
  CHECK_THROWS_AS(Distribution::constant(std::chrono::hours(1)).cumulative_hazard(std::chrono::hours(2)), std::logic_error);
}
