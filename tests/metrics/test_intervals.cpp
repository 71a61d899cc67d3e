#include "sim/metrics/intervals.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <stdexcept>

using namespace sim::metrics;
using Catch::Matchers::Contains;

// Every reference value below is independent of the code under test: a closed form evaluated
// here with <cmath>, or a constant computed offline in Python:
//   [math]    with the math module from a closed form (e.g. -2 ln(0.025), 1 - 0.025^(1/10));
//   [decimal] with the decimal module at 60 digits, by 400 bisection steps on an exact finite
//             sum: P(Bin(n, x) >= k) = 1 - sum_{j<k} C(n, j) x^j (1 - x)^(n - j) for the
//             binomial, Q(k, y) = e^-y sum_{j<k} y^j / j! for integer gamma shapes (the chi-square
//             dof-1 value by bisection on a decimal erf series); all of these were also
//             confirmed to 40 digits with mpmath (gammainc / betainc / findroot).
// Tolerances are relative, 1e-12 (the contract promises 1e-10; the code is typically within a
// few units in the last place), with margin for libm differences between platforms.

namespace {

constexpr double tol = 1e-12;
constexpr double inf = std::numeric_limits<double>::infinity();
constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();

Approx rel(double expected) { return Approx(expected).epsilon(tol).margin(0); }

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

// P(Bin(n, x) >= k) summed directly in long double, for small n.
double binomial_at_least(int k, int n, double x) {
  long double sum = 0;
  long double choose = 1; // C(n, j)
  for (int j = 0; j <= n; ++j) {
    if (j >= k)
      sum += choose * std::pow(static_cast<long double>(x), j) *
             std::pow(1.0L - static_cast<long double>(x), n - j);
    choose = choose * (n - j) / (j + 1);
  }
  return static_cast<double>(sum);
}

} // namespace

TEST_CASE("intervals: P(a, x) matches closed forms", "[metrics][intervals]") {
  // P(1, x) = 1 - e^-x.
  for (const double x : {1e-10, 0.1, 1.0, 2.5, 10.0, 50.0})
    CHECK(regularized_gamma_p(1, x) == rel(-std::expm1(-x)));
  // P(1/2, x) = erf(sqrt(x)).
  for (const double x : {1e-6, 0.3, 1.0, 4.0, 20.0})
    CHECK(regularized_gamma_p(0.5, x) == rel(std::erf(std::sqrt(x))));
  // P(3, x) = 1 - e^-x (1 + x + x^2 / 2), away from the cancellation at small x ...
  for (const double x : {2.5, 7.0, 30.0})
    CHECK(regularized_gamma_p(3, x) == rel(1 - std::exp(-x) * (1 + x + x * x / 2)));
  // ... and there = e^-x sum_{j >= 3} x^j / j!.
  for (const double x : {1e-5, 0.01, 0.5}) {
    double term = x * x * x / 6;
    double sum = 0;
    for (int j = 3; j < 40; ++j) {
      sum += term;
      term *= x / (j + 1);
    }
    CHECK(regularized_gamma_p(3, x) == rel(std::exp(-x) * sum));
  }
  CHECK(regularized_gamma_p(3, 2.5) == rel(0.45618688411667048)); // [decimal]
  // Either side of the series / continued-fraction switch at x = a + 1 [decimal].
  CHECK(regularized_gamma_p(100, 90) == rel(0.15822098918643017));
  CHECK(regularized_gamma_p(100, 120) == rel(0.97213626010947934));
  CHECK(regularized_gamma_p(4.5, 0) == 0);
  CHECK(regularized_gamma_p(4.5, inf) == 1);
}

TEST_CASE("intervals: I_x(a, b) matches closed forms", "[metrics][intervals]") {
  // I_x(1, 1) = x.
  for (const double x : {0.0, 1e-300, 0.25, 0.5, 0.999, 1.0})
    CHECK(regularized_beta(1, 1, x) == rel(x));
  // I_x(a, 1) = x^a.
  for (const double a : {0.5, 2.0, 7.5, 300.0})
    for (const double x : {0.01, 0.3, 0.9, 0.9999})
      CHECK(regularized_beta(a, 1, x) == rel(std::pow(x, a)));
  // I_x(1, b) = 1 - (1 - x)^b.
  for (const double b : {0.5, 3.0, 1e6})
    for (const double x : {1e-9, 0.2, 0.7})
      CHECK(regularized_beta(1, b, x) == rel(-std::expm1(b * std::log1p(-x))));
  // Integer a, b: I_x(a, b) = P(Bin(a + b - 1, x) >= a).
  for (const double x : {0.05, 0.4, 0.46153846153846156, 0.8})
    CHECK(regularized_beta(5, 6, x) == rel(binomial_at_least(5, 10, x)));
  // Reflection I_x(a, b) = 1 - I_{1-x}(b, a), at a point where 1 - x is exact.
  CHECK(regularized_beta(2.5, 4, 0.75) == rel(1 - regularized_beta(4, 2.5, 0.25)));
  CHECK(regularized_beta(2.5, 4, 0) == 0);
  CHECK(regularized_beta(2.5, 4, 1) == 1);
}

TEST_CASE("intervals: chi-square quantiles match tabulated values", "[metrics][intervals]") {
  CHECK(chi_square_quantile(0.95, 1) == rel(3.841458820694124));    // [decimal] = z(0.975)^2
  CHECK(chi_square_quantile(0.975, 2) == rel(7.377758908227871));   // [math] -2 ln(0.025)
  CHECK(chi_square_quantile(0.025, 2) == rel(0.05063561596857975)); // [math] -2 ln(0.975)
  CHECK(chi_square_quantile(0.95, 10) == rel(18.307038053275146));  // [decimal]
  CHECK(chi_square_quantile(0.5, 2) == rel(2 * std::log(2.0)));
  CHECK(chi_square_quantile(0, 3) == 0);
}

TEST_CASE("intervals: gamma quantiles invert closed-form CDFs", "[metrics][intervals]") {
  // Shape 1 is the unit exponential: the quantile is -ln(1 - p).
  for (const double p : {1e-12, 0.025, 0.5, 0.975, 1 - 1e-9})
    CHECK(gamma_quantile(p, 1) == rel(-std::log1p(-p)));
  CHECK(gamma_quantile(0, 2.5) == 0);
  // Round trips through P, lower and upper targets, small to large shapes.
  for (const double shape : {0.5, 3.7, 1e4})
    for (const double p : {0.01, 0.5, 0.99})
      CHECK(regularized_gamma_p(shape, gamma_quantile(p, shape)) == rel(p));
}

TEST_CASE("intervals: beta quantiles invert closed-form CDFs", "[metrics][intervals]") {
  for (const double p : {1e-9, 0.025, 0.5, 0.975}) {
    CHECK(beta_quantile(p, 1, 1) == rel(p));
    CHECK(beta_quantile(p, 4, 1) == rel(std::pow(p, 0.25)));             // x^4 = p
    CHECK(beta_quantile(p, 1, 7) == rel(-std::expm1(std::log1p(-p) / 7))); // 1 - (1-x)^7 = p
  }
  // Arcsine law: I_x(1/2, 1/2) = (2 / pi) asin(sqrt(x)), so the quantile is sin(pi p / 2)^2.
  const double pi = std::acos(-1.0);
  for (const double p : {1e-150, 1e-6, 0.3, 0.5}) {
    const double s = std::sin(pi * p / 2);
    CHECK(beta_quantile(p, 0.5, 0.5) == rel(s * s));
  }
  CHECK(beta_quantile(0, 2, 3) == 0);
  CHECK(beta_quantile(1, 2, 3) == 1);
}

TEST_CASE("intervals: Clopper-Pearson bounds match exact binomial references",
          "[metrics][intervals]") {
  SECTION("k = 0 of 10: upper bound 1 - 0.025^(1/10)") {
    const Interval i = clopper_pearson(0, 10);
    CHECK(i.low == 0);
    CHECK(i.high == rel(0.30849710781876083)); // [math]
    CHECK(i.high == rel(1 - std::pow(0.025, 0.1)));
  }
  SECTION("k = 5 of 10: symmetric about 1/2") {
    const Interval i = clopper_pearson(5, 10);
    // [decimal] 0.18708602844739853164...; the commonly quoted 0.18708602844739495 is off in
    // the 14th digit (relative 1.9e-14), inside the tolerance either way.
    CHECK(i.low == rel(0.18708602844739853));
    CHECK(i.high == rel(0.81291397155260147));
    CHECK(i.low + i.high == Approx(1).epsilon(tol));
  }
  SECTION("k = 10 of 10: lower bound 0.025^(1/10)") {
    const Interval i = clopper_pearson(10, 10);
    CHECK(i.low == rel(0.6915028921812392)); // [math]
    CHECK(i.low == rel(std::pow(0.025, 0.1)));
    CHECK(i.high == 1);
  }
  SECTION("few successes in many trials") {
    const Interval i = clopper_pearson(3, 1'000'000);
    CHECK(i.low == rel(6.1867255019063986e-07));  // [decimal]
    CHECK(i.high == rel(8.7672477881452235e-06)); // [decimal]
    CHECK(clopper_pearson(0, 1'000'000'000).high ==
          rel(-std::expm1(std::log(0.025) / 1e9))); // 1 - 0.025^(1/n)
    CHECK(clopper_pearson(1, 1'000'000'000).high == rel(5.5716433782031153e-09)); // [decimal]
  }
  SECTION("the interval holds k / n and widens with the confidence") {
    for (const std::uint64_t k : {1u, 17u, 50u, 99u}) {
      const Interval i95 = clopper_pearson(k, 100);
      const Interval i99 = clopper_pearson(k, 100, 0.99);
      CHECK(i95.low < k / 100.0);
      CHECK(i95.high > k / 100.0);
      CHECK(i99.low < i95.low);
      CHECK(i99.high > i95.high);
    }
  }
}

TEST_CASE("intervals: Garwood Poisson bounds match exact references", "[metrics][intervals]") {
  const Interval zero = poisson_interval(0);
  CHECK(zero.low == 0);
  CHECK(zero.high == rel(3.6888794541139363)); // [math] -ln(0.025)
  const Interval five = poisson_interval(5);
  // [decimal] 1.62348639011842054 and 11.6683320793226696 (also mpmath). Values sometimes quoted
  // as 1.6235221 and 11.6683649 differ from these by about 3e-5 and are not used.
  CHECK(five.low == rel(1.6234863901184205));
  CHECK(five.high == rel(11.668332079322670));
  const Interval thousand = poisson_interval(1000);
  CHECK(thousand.low == rel(938.97301840769522));  // [decimal]
  CHECK(thousand.high == rel(1063.9521360163020)); // [decimal]
  // One-sided: 0 events bound the mean by -ln(0.05) at 95 %.
  CHECK(poisson_upper_one_sided(0) == rel(2.995732273553991)); // [math]
  CHECK(poisson_upper_one_sided(0, 0.9) == rel(-std::log(0.1)));
  CHECK(poisson_upper_one_sided(3, 0.9) == rel(6.6807830682558636)); // [decimal]
  // The two-sided interval holds the count; the one-sided bound is below the two-sided one.
  for (const std::uint64_t k : {1u, 10u, 250u}) {
    const Interval i = poisson_interval(k);
    CHECK(i.low < static_cast<double>(k));
    CHECK(i.high > static_cast<double>(k));
    CHECK(poisson_upper_one_sided(k) < i.high);
  }
}

TEST_CASE("intervals: extreme arguments finish with finite, repeatable results",
          "[metrics][intervals]") {
  const double tiny_shape = gamma_quantile(0.5, 1e-3);
  CHECK(tiny_shape >= 0);
  CHECK(same_bits(tiny_shape, gamma_quantile(0.5, 1e-3)));
  const double near_one = gamma_quantile(1 - 0x1p-53, 2);
  CHECK(std::isfinite(near_one));
  CHECK(near_one > 30);
  const double huge_shape = gamma_quantile(0.975, 1e9);
  CHECK(huge_shape > 1e9);
  CHECK(huge_shape < 1e9 + 1e5);
  CHECK(beta_quantile(1e-300, 0.5, 0.5) == 0); // the exact 2.5e-600 underflows
  CHECK(beta_quantile(1e-300, 2, 3) > 0);
  const Interval wide = clopper_pearson(123456, 1'000'000'000);
  CHECK(wide.low < 123456e-9);
  CHECK(wide.high > 123456e-9);
  CHECK(same_bits(wide.high, clopper_pearson(123456, 1'000'000'000).high));
}

TEST_CASE("intervals: invalid arguments throw std::invalid_argument", "[metrics][intervals]") {
  CHECK_THROWS_AS(regularized_gamma_p(0, 1), std::invalid_argument);
  CHECK_THROWS_AS(regularized_gamma_p(-1, 1), std::invalid_argument);
  CHECK_THROWS_AS(regularized_gamma_p(inf, 1), std::invalid_argument);
  CHECK_THROWS_AS(regularized_gamma_p(not_a_number, 1), std::invalid_argument);
  CHECK_THROWS_AS(regularized_gamma_p(1, -0.5), std::invalid_argument);
  CHECK_THROWS_AS(regularized_gamma_p(1, not_a_number), std::invalid_argument);

  CHECK_THROWS_AS(regularized_beta(0, 1, 0.5), std::invalid_argument);
  CHECK_THROWS_AS(regularized_beta(1, -2, 0.5), std::invalid_argument);
  CHECK_THROWS_AS(regularized_beta(1, 1, -0.1), std::invalid_argument);
  CHECK_THROWS_AS(regularized_beta(1, 1, 1.1), std::invalid_argument);
  CHECK_THROWS_AS(regularized_beta(1, 1, not_a_number), std::invalid_argument);

  CHECK_THROWS_AS(gamma_quantile(-0.1, 1), std::invalid_argument);
  CHECK_THROWS_AS(gamma_quantile(1, 1), std::invalid_argument);
  CHECK_THROWS_AS(gamma_quantile(not_a_number, 1), std::invalid_argument);
  CHECK_THROWS_AS(gamma_quantile(0.5, 0), std::invalid_argument);
  CHECK_THROWS_AS(chi_square_quantile(1, 3), std::invalid_argument);
  CHECK_THROWS_AS(chi_square_quantile(0.5, 0), std::invalid_argument);
  CHECK_THROWS_AS(chi_square_quantile(0.5, -4), std::invalid_argument);
  CHECK_THROWS_AS(beta_quantile(1.5, 1, 1), std::invalid_argument);
  CHECK_THROWS_AS(beta_quantile(-0.5, 1, 1), std::invalid_argument);
  CHECK_THROWS_AS(beta_quantile(0.5, 0, 1), std::invalid_argument);
  CHECK_THROWS_AS(beta_quantile(0.5, 1, not_a_number), std::invalid_argument);

  CHECK_THROWS_WITH(clopper_pearson(0, 0), Contains("n must be > 0"));
  CHECK_THROWS_AS(clopper_pearson(0, 0), std::invalid_argument);
  CHECK_THROWS_WITH(clopper_pearson(11, 10), Contains("exceed"));
  CHECK_THROWS_AS(clopper_pearson(11, 10), std::invalid_argument);
  for (const double confidence : {0.0, 1.0, -0.5, 1.5, not_a_number}) {
    CHECK_THROWS_AS(clopper_pearson(1, 10, confidence), std::invalid_argument);
    CHECK_THROWS_AS(poisson_interval(3, confidence), std::invalid_argument);
    CHECK_THROWS_AS(poisson_upper_one_sided(3, confidence), std::invalid_argument);
  }
  CHECK_THROWS_WITH(poisson_interval(3, 1.0), Contains("confidence"));
}
