// Exact confidence intervals for counts: Clopper–Pearson for a binomial proportion and Garwood
// for a Poisson mean, with the special functions they rest on (regularized incomplete gamma and
// beta functions and their inverses). Self-contained numerical code, no external dependency.
//
// Method. P(a, x) is a power series for x < a + 1 and Q(a, x) = 1 - P(a, x) a continued fraction
// (modified Lentz) otherwise. I_x(a, b) is computed for the tail on its side of
// x = (a + 1) / (a + b + 2): by the finite binomial sum when that tail's parameter is an integer
// (always the case for Clopper–Pearson), else by the Numerical Recipes continued fraction. The
// prefactors x^a e^-x / Gamma(a + 1) and x^a (1 - x)^b / B(a, b) are formed in the log domain
// with Loader's saddle-point split (Stirling remainder plus the deviance a ln(a / m) + m - a, by
// series near a = m), so they keep their relative accuracy for large parameters instead of
// losing it to the cancellation of log-gamma values of size a ln a. No std::lgamma (not
// required to be thread-safe): the Stirling remainder is a table, a series and exact steps.
//
// Quantiles are found by bisection over the IEEE-754 bit patterns of the non-negative doubles
// (ordered like the values): at most 64 evaluations, deterministic, no tolerance to tune; of the
// two neighbouring doubles where the computed probability crosses the target, the closer one is
// returned. Targets above 1/2 are matched in the upper tail with 1 - p (exact for p >= 1/2), and
// the interval functions pass the small tail probability alpha / 2 directly, so upper bounds
// keep their relative accuracy.
//
// Accuracy (checked against 30 to 40 digit mpmath / decimal references, see the tests):
// - Clopper–Pearson and Poisson bounds: within a few units in the last place of the exact value
//   (n up to 2e9 with k anywhere in [0, n], counts up to 1e9); far inside the 1e-10 target.
// - gamma_quantile / chi_square_quantile / beta_quantile in general: error = error of the CDF
//   divided by the density, typically below 1e-13 relative.
// - P(a, x): relative error about 1e-14 for a up to 1e6, 1e-13 at 1e8, 4e-13 at 3e9; in the
//   far lower tail it also grows like 1e-16 |ln P| (5e-14 at P = 1e-60).
// - I_x(a, b): about 1e-14 relative for integer parameters and for non-integer ones of similar
//   size; a non-integer parameter much smaller than the other costs about log10(ratio) digits
//   (1e-10 relative at a ratio of 1e6).
// - Shapes/parameters below about 1/2 are accepted, but the results are then only accurate in
//   absolute terms (about 1e-13), not relative to a tiny tail.
//
// Cost. An evaluation needs O(1 + sqrt(max parameter)) terms near the centre of the
// distribution and few in the tails; a quantile at most 64 evaluations. A Clopper–Pearson
// interval with few successes or failures takes microseconds for any n; with k and n - k both
// near 5e9 about 0.1 s; a Poisson interval for a count of 1e9 about 50 ms, 1e10 about 0.15 s.
// Counts above 2^53 are rounded to the nearest double. Results depend only on the arguments
// (no state; same binary and libm give the same bits).
//
// Errors. Every function throws std::invalid_argument (its message names the function and the
// offending value) when an argument is outside its domain, NaN included. If an expansion fails
// to converge within its generous iteration bound (a bug, not expected for any valid input),
// std::runtime_error is thrown rather than an inaccurate value returned.
#pragma once

#include "sim/metrics/statistics.hpp"

#include <cstdint>

namespace sim::metrics {

/// Regularized lower incomplete gamma function P(a, x) = gamma(a, x) / Gamma(a), the CDF at x
/// of the Gamma(shape a, scale 1) distribution. Domain: finite a > 0, x >= 0 (x = +inf gives 1).
double regularized_gamma_p(double a, double x);

/// Regularized incomplete beta function I_x(a, b), the CDF at x of the Beta(a, b) distribution.
/// Domain: finite a > 0, finite b > 0, 0 <= x <= 1.
double regularized_beta(double a, double b, double x);

/// The x >= 0 with P(shape, x) = p: the p quantile of Gamma(shape, scale 1). Domain: p in [0, 1)
/// (p = 0 gives 0), finite shape > 0.
double gamma_quantile(double p, double shape);

/// The p quantile of the chi-square distribution with `dof` degrees of freedom,
/// 2 * gamma_quantile(p, dof / 2). Domain: p in [0, 1), finite dof > 0 (dof / 2 must not
/// underflow to 0).
double chi_square_quantile(double p, double dof);

/// The x in [0, 1] with I_x(a, b) = p: the p quantile of Beta(a, b). Domain: p in [0, 1]
/// (0 gives 0, 1 gives 1), finite a > 0, finite b > 0.
double beta_quantile(double p, double a, double b);

/// Exact (Clopper–Pearson) two-sided interval for a binomial proportion after k successes in
/// n trials: low = beta_quantile(alpha / 2, k, n - k + 1) (0 when k == 0), high =
/// beta_quantile(1 - alpha / 2, k + 1, n - k) (1 when k == n), alpha = 1 - confidence. Its
/// coverage is at least `confidence` for every true proportion (it is conservative). Throws
/// std::invalid_argument when n == 0, k > n, or confidence is not strictly between 0 and 1.
Interval clopper_pearson(std::uint64_t k, std::uint64_t n, double confidence = 0.95);

/// Exact (Garwood) two-sided interval for the mean of a Poisson count: low =
/// chi_square_quantile(alpha / 2, 2 count) / 2 (0 when count == 0), high =
/// chi_square_quantile(1 - alpha / 2, 2 count + 2) / 2, alpha = 1 - confidence. For count 0 at
/// 95 %: [0, -ln(0.025)] = [0, 3.689]. Throws std::invalid_argument unless 0 < confidence < 1.
Interval poisson_interval(std::uint64_t count, double confidence = 0.95);

/// Exact one-sided upper bound for a Poisson mean, chi_square_quantile(confidence, 2 count + 2)
/// / 2: with 0 events observed, 95 % confidence bounds the mean by -ln(0.05) = 2.996 (the "rule
/// of three"). Throws std::invalid_argument unless 0 < confidence < 1.
double poisson_upper_one_sided(std::uint64_t count, double confidence = 0.95);

} // namespace sim::metrics
