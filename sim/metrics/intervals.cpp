#include "sim/metrics/intervals.hpp"

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>

namespace sim::metrics {
namespace {

constexpr double eps = std::numeric_limits<double>::epsilon();
// Floor for the Lentz recurrences: keeps a zero denominator from dividing by zero.
constexpr double lentz_floor = std::numeric_limits<double>::min() / eps;
constexpr double half_log_two_pi = 0.918938533204672741780329736406; // ln sqrt(2 pi)

[[noreturn]] void invalid(const char* function, const std::string& what, double value) {
  std::ostringstream message;
  message.precision(17);
  message << "sim::metrics::" << function << ": " << what << " (got " << value << ")";
  throw std::invalid_argument(message.str());
}

void require_positive_finite(const char* function, const char* name, double value) {
  if (!(value > 0) || !std::isfinite(value))
    invalid(function, std::string(name) + " must be a finite number > 0", value);
}

void require_confidence(const char* function, double confidence) {
  if (!(confidence > 0 && confidence < 1))
    invalid(function, "confidence must be strictly between 0 and 1", confidence);
}

// Iteration bound for the series and continued fractions. They need O(sqrt(max parameter))
// terms near the centre of the distribution (about 9 sqrt(a) for the gamma series, fewer for
// the continued fractions); the bound leaves a wide margin and only guards against a bug.
std::uint64_t iteration_limit(double largest_parameter) {
  return 1000 + static_cast<std::uint64_t>(64 * std::ceil(std::sqrt(largest_parameter)));
}

[[noreturn]] void not_converged(const char* what) {
  throw std::runtime_error(std::string("sim::metrics: ") + what +
                           " did not converge (this is a bug)");
}

// stirling_remainder(u) - stirling_remainder(u + 1) = (u + 1/2) ln(1 + 1/u) - 1 for u > 0. With
// t = 1 / (2u + 1) this is atanh(t) / t - 1 = t^2/3 + t^4/5 + ..., summed without cancellation
// for u >= 1/4 (t <= 2/3); below, the direct form is >= 0.2 and loses only a few bits (written
// with ln(1 + 1/u) = ln(1 + u) - ln u so that it stays finite when 1/u overflows).
double stirling_step(double u) {
  if (u < 0.25)
    return (u + 0.5) * (std::log1p(u) - std::log(u)) - 1;
  const double t = 1 / (2 * u + 1);
  const double t2 = t * t;
  double power = t2;
  double sum = 0;
  for (int k = 1; k < 200; ++k) {
    const double next = sum + power / (2 * k + 1);
    if (next == sum)
      break;
    sum = next;
    power *= t2;
  }
  return sum;
}

// Stirling remainder ln Gamma(z + 1) - (z + 1/2) ln z + z - ln sqrt(2 pi), for z > 0 (Loader's
// stirlerr). Exact table for the half-integers up to 15 (the usual shapes), the asymptotic
// series above 15 (truncation error below 3e-16 absolute), and below 15 the series at
// w = z + n >= 15 plus the n positive steps from z to w: a sum of positive terms, so the result
// keeps nearly full relative precision (no cancellation of log-gamma sized terms).
double stirling_remainder(double z) {
  static constexpr double halves[] = {
      0.153426409720027345291,   // 0.5
      0.0810614667953272582197,  // 1.0
      0.0548141210519176538961,  // 1.5
      0.0413406959554092940938,  // 2.0
      0.0331628735199362874851,  // 2.5
      0.0276779256849983391488,  // 3.0
      0.0237461636562974959713,  // 3.5
      0.0207906721037650931115,  // 4.0
      0.0184884505326731852308,  // 4.5
      0.0166446911898211921632,  // 5.0
      0.0151349732219173788735,  // 5.5
      0.0138761288230707479987,  // 6.0
      0.0128104652429202269243,  // 6.5
      0.0118967099458917700951,  // 7.0
      0.0111045597582069173266,  // 7.5
      0.0104112652619720964975,  // 8.0
      0.00979941612615880329839, // 8.5
      0.00925546218271273291773, // 9.0
      0.00876870013413938546296, // 9.5
      0.00833056343336287125647, // 10.0
      0.00793411456431402054725, // 10.5
      0.00757367548795184079497, // 11.0
      0.00724455430132038317955, // 11.5
      0.00694284010720952986566, // 12.0
      0.00666524703270768244236, // 12.5
      0.00640899418800420706844, // 13.0
      0.00617171226303945764753, // 13.5
      0.00595137011275884773562, // 14.0
      0.00574621651301011568203, // 14.5
      0.00555473355196280137104, // 15.0
  };
  const auto series = [](double w) {
    const double w2 = w * w;
    return (1.0 / 12 - (1.0 / 360 - (1.0 / 1260 - (1.0 / 1680 - (1.0 / 1188) / w2) / w2) / w2) /
                           w2) /
           w;
  };
  if (z > 15)
    return series(z);
  const double twice = 2 * z;
  if (twice == std::floor(twice) && twice >= 1)
    return halves[static_cast<int>(twice) - 1];
  // Steps from z up to w = z + n in (15, 16), summed from the smallest term (largest u) down.
  const double n = 16 - std::floor(z);
  double sum = series(z + n);
  for (double j = n - 1; j >= 0; --j)
    sum += stirling_step(z + j);
  return sum;
}

// Deviance term x ln(x / m) + m - x >= 0 for x > 0, m >= 0 (Loader's bd0), by its series in
// v = (x - m) / (x + m) when x and m are close, where the direct form would cancel.
double deviance(double x, double m) {
  if (std::fabs(x - m) < 0.1 * (x + m)) {
    double v = (x - m) / (x + m);
    double sum = (x - m) * v;
    double term = 2 * x * v;
    v *= v; // < 0.01, so a handful of terms reach full precision
    for (int j = 1; j < 100; ++j) {
      term *= v;
      const double next = sum + term / (2 * j + 1);
      if (next == sum)
        return next;
      sum = next;
    }
    return sum;
  }
  const double ratio = x / m;
  const double log_ratio =
      (ratio > 0 && std::isfinite(ratio)) ? std::log(ratio) : std::log(x) - std::log(m);
  return x * log_ratio + m - x;
}

// ln(x^a e^-x / Gamma(a + 1)) for a > 0, x > 0.
double log_gamma_prefactor(double a, double x) {
  return -stirling_remainder(a) - deviance(a, x) - half_log_two_pi - 0.5 * std::log(a);
}

// ln(Gamma(a + b + 1) / (Gamma(a + 1) Gamma(b + 1)) x^a y^b) for a, b > 0, 0 < x < 1 and
// y = 1 - x (rounded; the form is insensitive to that rounding near the bulk).
double log_binomial_prefactor(double a, double b, double x, double y) {
  const double n = a + b;
  return stirling_remainder(n) - stirling_remainder(a) - stirling_remainder(b) -
         deviance(a, n * x) - deviance(b, n * y) +
         0.5 * (std::log(n) - std::log(a) - std::log(b)) - half_log_two_pi;
}

// Both tails of a distribution at one point: the one computed directly is accurate relative
// to its own size, the other is 1 minus it.
struct Tails {
  double lower; // CDF
  double upper; // 1 - CDF
};

// Tails from the one computed directly, kept inside [0, 1]: with parameters far below 1 the
// "smaller" tail chosen by position can be the one near 1 and round a few ulps above it.
Tails from_lower(double lower) {
  lower = std::fmin(std::fmax(lower, 0.0), 1.0);
  return {lower, 1 - lower};
}
Tails from_upper(double upper) {
  upper = std::fmin(std::fmax(upper, 0.0), 1.0);
  return {1 - upper, upper};
}

Tails gamma_tails(double a, double x) {
  if (x == 0)
    return {0, 1};
  if (std::isinf(x))
    return {1, 0};
  const double log_prefactor = log_gamma_prefactor(a, x);
  const std::uint64_t limit = iteration_limit(a);
  if (x < a + 1) {
    // P(a, x) = x^a e^-x / Gamma(a + 1) * sum_n x^n / ((a + 1) ... (a + n)).
    const double prefactor = std::exp(log_prefactor);
    if (prefactor == 0)
      return {0, 1};
    double sum = 1;
    double term = 1;
    for (std::uint64_t n = 1;; ++n) {
      if (n > limit)
        not_converged("incomplete gamma series");
      term *= x / (a + static_cast<double>(n));
      sum += term;
      // The ratios x / (a + n) decrease, so the rest is below term * r / (1 - r).
      const double r = x / (a + static_cast<double>(n + 1));
      if (term * r <= 0.5 * eps * sum * (1 - r))
        break;
    }
    const double lower = prefactor * sum;
    return from_lower(lower);
  }
  // Q(a, x) = x^a e^-x / Gamma(a) * 1 / (x + 1 - a - 1 (1 - a) / (x + 3 - a - ...)).
  const double prefactor = std::exp(log_prefactor + std::log(a));
  if (prefactor == 0)
    return {1, 0};
  const double b0 = x + 1 - a;
  double c = 1 / lentz_floor;
  double d = 1 / b0;
  double h = d;
  for (std::uint64_t i = 1;; ++i) {
    if (i > limit)
      not_converged("incomplete gamma continued fraction");
    const double di = static_cast<double>(i);
    const double an = -di * (di - a);
    const double bn = b0 + 2 * di;
    d = an * d + bn;
    if (std::fabs(d) < lentz_floor)
      d = lentz_floor;
    c = bn + an / c;
    if (std::fabs(c) < lentz_floor)
      c = lentz_floor;
    d = 1 / d;
    const double delta = d * c;
    h *= delta;
    if (std::fabs(delta - 1) <= eps)
      break;
  }
  const double upper = prefactor * h;
  return from_upper(upper);
}

// Continued fraction for I_x(a, b) / (x^a (1 - x)^b / (a B(a, b))), converging fast for
// x < (a + 1) / (a + b + 2) (Numerical Recipes' betacf, modified Lentz).
double beta_continued_fraction(double a, double b, double x) {
  const std::uint64_t limit = iteration_limit(a > b ? a : b);
  const double sum = a + b;
  double c = 1;
  double d = 1 - sum * x / (a + 1);
  if (std::fabs(d) < lentz_floor)
    d = lentz_floor;
  d = 1 / d;
  double h = d;
  for (std::uint64_t m = 1;; ++m) {
    if (m > limit)
      not_converged("incomplete beta continued fraction");
    const double dm = static_cast<double>(m);
    const double m2 = 2 * dm;
    // Even step.
    double coefficient = dm * (b - dm) * x / ((a - 1 + m2) * (a + m2));
    d = 1 + coefficient * d;
    if (std::fabs(d) < lentz_floor)
      d = lentz_floor;
    c = 1 + coefficient / c;
    if (std::fabs(c) < lentz_floor)
      c = lentz_floor;
    d = 1 / d;
    h *= d * c;
    // Odd step.
    coefficient = -(a + dm) * (sum + dm) * x / ((a + m2) * (a + 1 + m2));
    d = 1 + coefficient * d;
    if (std::fabs(d) < lentz_floor)
      d = lentz_floor;
    c = 1 + coefficient / c;
    if (std::fabs(c) < lentz_floor)
      c = lentz_floor;
    d = 1 / d;
    const double delta = d * c;
    h *= delta;
    if (std::fabs(delta - 1) <= eps)
      break;
  }
  return h;
}

// I_q(other, m) for an integer m >= 1 as the finite binomial sum
// sum_{j < m} C(N, j) p^j q^(N - j), N = m + other - 1, p + q = 1 (valid for real other > 0):
// positive terms, so no cancellation. Summed from j = m - 1 down; the term ratios
// j q / ((N - j + 1) p) shrink as j decreases, so once one is below 1 the rest is bounded by a
// geometric series and the loop stops there. Callers use it where the ratio is below 1 from the
// start (the tail on its own side of the mode), which takes O(sqrt(m)) terms at most.
double binomial_sum_tail(double m, double other, double p, double q) {
  // The first term C(N, m - 1) p^(m-1) q^other. For m = 1 it is q^other, taken from whichever
  // of p and q is exact (the caller's x, or 1 - x when that is exact): with `other` large, the
  // rounding of the other one would be amplified `other` times.
  double term = m >= 2     ? std::exp(log_binomial_prefactor(m - 1, other, p, q))
                : p <= 0.5 ? std::exp(other * std::log1p(-p))
                           : std::pow(q, other);
  if (term == 0)
    return 0;
  const double n = m + other - 1;
  double sum = term;
  for (double j = m - 1; j >= 1; --j) {
    const double r = j * q / ((n - j + 1) * p);
    term *= r;
    sum += term;
    if (r < 1 && term * r <= 0.5 * eps * sum * (1 - r))
      break;
  }
  return sum;
}

bool is_integer(double v) { return v == std::floor(v); }

// The smaller tail is computed directly, on its side of x = (a + 1) / (a + b + 2). When that
// tail's own parameter (b for the lower tail, a for the upper one) is an integer, by the finite
// binomial sum; otherwise by the continued fraction with the other parameter first. The sum is
// what makes Clopper–Pearson bounds exact to a few ulps: the continued fraction evaluated near
// x = 1 with a first parameter much larger than the second has nearly cancelling partial
// numerators and loses about log10(first / second) digits (1e-10 relative at a ratio of 1e6),
// which is the accuracy left for non-integer parameters of very different sizes.
Tails beta_tails(double a, double b, double x) {
  if (x == 0)
    return {0, 1};
  if (x == 1)
    return {1, 0};
  const double y = 1 - x; // exact for x >= 1/2
  const double n = a + b;
  if (x < (a + 1) / (n + 2)) {
    double lower = 0;
    if (is_integer(b)) {
      lower = binomial_sum_tail(b, a, y, x);
    } else {
      // x^a y^b / (a B(a, b)) = binomial prefactor * b / n.
      const double scale = std::exp(log_binomial_prefactor(a, b, x, y) + std::log(b / n));
      lower = scale == 0 ? 0 : scale * beta_continued_fraction(a, b, x);
    }
    return from_lower(lower);
  }
  double upper = 0;
  if (is_integer(a)) {
    upper = binomial_sum_tail(a, b, x, y);
  } else {
    const double scale = std::exp(log_binomial_prefactor(a, b, x, y) + std::log(a / n));
    upper = scale == 0 ? 0 : scale * beta_continued_fraction(b, a, y);
  }
  return from_upper(upper);
}

// The quantile of a continuous distribution on [0, top] given by its tails: the target is
// p = CDF(x) when p <= q, else q = 1 - CDF(x) (so that the smaller tail is matched and
// an upper quantile keeps its precision). Bisection over the bit patterns of the doubles in
// [0, top] (non-negative doubles order like their patterns as integers): at most 64 steps,
// ending on two neighbours that straddle the target, of which the one with the closer computed
// tail is returned (the upper one on a tie).
template <class TailsAt>
double quantile_by_bisection(double p, double q, double top, TailsAt tails_at) {
  const bool use_lower = p <= q;
  const double target = use_lower ? p : q;
  const auto tail = [use_lower](const Tails& t) { return use_lower ? t.lower : t.upper; };
  // below(t): the point is still left of the quantile.
  const auto below = [&](const Tails& t) {
    return use_lower ? t.lower < target : t.upper > target;
  };

  std::uint64_t lo = 0; // x = 0: CDF 0, left of the quantile for a target strictly inside (0, 1)
  std::uint64_t hi = std::bit_cast<std::uint64_t>(top);
  Tails at_lo{0, 1};
  Tails at_hi{1, 0};
  while (hi - lo > 1) {
    const std::uint64_t mid = lo + (hi - lo) / 2;
    const Tails t = tails_at(std::bit_cast<double>(mid));
    if (below(t)) {
      lo = mid;
      at_lo = t;
    } else {
      hi = mid;
      at_hi = t;
    }
  }
  const double miss_lo = std::fabs(tail(at_lo) - target);
  const double miss_hi = std::fabs(tail(at_hi) - target);
  return std::bit_cast<double>(miss_lo < miss_hi ? lo : hi);
}

double gamma_quantile_tails(double p, double q, double shape) {
  if (p == 0)
    return 0;
  return quantile_by_bisection(p, q, std::numeric_limits<double>::infinity(),
                               [shape](double x) { return gamma_tails(shape, x); });
}

double beta_quantile_tails(double p, double q, double a, double b) {
  if (p == 0)
    return 0;
  if (q == 0)
    return 1;
  return quantile_by_bisection(p, q, 1.0, [a, b](double x) { return beta_tails(a, b, x); });
}

} // namespace

double regularized_gamma_p(double a, double x) {
  require_positive_finite("regularized_gamma_p", "a", a);
  if (!(x >= 0))
    invalid("regularized_gamma_p", "x must be >= 0", x);
  return gamma_tails(a, x).lower;
}

double regularized_beta(double a, double b, double x) {
  require_positive_finite("regularized_beta", "a", a);
  require_positive_finite("regularized_beta", "b", b);
  if (!(x >= 0 && x <= 1))
    invalid("regularized_beta", "x must be in [0, 1]", x);
  return beta_tails(a, b, x).lower;
}

double gamma_quantile(double p, double shape) {
  if (!(p >= 0 && p < 1))
    invalid("gamma_quantile", "p must be in [0, 1)", p);
  require_positive_finite("gamma_quantile", "shape", shape);
  return gamma_quantile_tails(p, 1 - p, shape);
}

double chi_square_quantile(double p, double dof) {
  if (!(p >= 0 && p < 1))
    invalid("chi_square_quantile", "p must be in [0, 1)", p);
  require_positive_finite("chi_square_quantile", "dof", dof);
  if (!(dof / 2 > 0))
    invalid("chi_square_quantile", "dof must not underflow when halved", dof);
  return 2 * gamma_quantile_tails(p, 1 - p, dof / 2);
}

double beta_quantile(double p, double a, double b) {
  if (!(p >= 0 && p <= 1))
    invalid("beta_quantile", "p must be in [0, 1]", p);
  require_positive_finite("beta_quantile", "a", a);
  require_positive_finite("beta_quantile", "b", b);
  return beta_quantile_tails(p, 1 - p, a, b);
}

Interval clopper_pearson(std::uint64_t k, std::uint64_t n, double confidence) {
  if (n == 0)
    throw std::invalid_argument("sim::metrics::clopper_pearson: n must be > 0 (no trials)");
  if (k > n)
    throw std::invalid_argument("sim::metrics::clopper_pearson: k = " + std::to_string(k) +
                                " successes exceed n = " + std::to_string(n) + " trials");
  require_confidence("clopper_pearson", confidence);
  const double half_alpha = (1 - confidence) / 2;
  const double successes = static_cast<double>(k);
  const double failures = static_cast<double>(n - k);
  Interval interval{0, 1};
  if (k > 0)
    interval.low = beta_quantile_tails(half_alpha, 1 - half_alpha, successes, failures + 1);
  if (k < n)
    interval.high = beta_quantile_tails(1 - half_alpha, half_alpha, successes + 1, failures);
  return interval;
}

Interval poisson_interval(std::uint64_t count, double confidence) {
  require_confidence("poisson_interval", confidence);
  const double half_alpha = (1 - confidence) / 2;
  const double k = static_cast<double>(count);
  Interval interval{0, 0};
  if (count > 0)
    interval.low = gamma_quantile_tails(half_alpha, 1 - half_alpha, k);
  interval.high = gamma_quantile_tails(1 - half_alpha, half_alpha, k + 1);
  return interval;
}

double poisson_upper_one_sided(std::uint64_t count, double confidence) {
  require_confidence("poisson_upper_one_sided", confidence);
  return gamma_quantile_tails(confidence, 1 - confidence, static_cast<double>(count) + 1);
}

} // namespace sim::metrics
