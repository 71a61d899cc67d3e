// Two-sample statistics for `lunsim compare`: is a candidate run's metric different from the
// baseline's, by how much, and how many replications it takes to be able to tell.
//
// The inputs are per-replication values (one mean or percentile per replication), independent
// by construction; within-run samples are autocorrelated and do not belong here (see
// sim/metrics/statistics.hpp). Two designs:
//   - paired: replication i of both runs used the same seed and index, hence the same random
//     numbers (common random numbers); the pairs (x_i, y_i) are independent across i, and the
//     differences y_i - x_i carry far less noise than either side. Wilcoxon's signed-rank test
//     on the differences; a t interval on the paired differences.
//   - unpaired: independent samples. Mann–Whitney's U test; Welch's t interval.
// The rank tests decide significance: they assume no normality, and their exact null
// distributions (conditional on ties) are used whenever they are small enough to enumerate, so
// small-sample p-values are not an approximation. The size of a change is measured by t-based
// intervals (Student for pairs, Welch–Satterthwaite otherwise, on the log of the ratio of means
// when both means are positive): at 5–30 replications their coverage is close to nominal where
// percentile bootstraps cover 90–92 % (tests/reports/test_coverage.cpp measures it).
//
// Everything here is deterministic: no random numbers at all.
#pragma once

#include "sim/metrics/statistics.hpp"

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <span>
#include <vector>

namespace sim::reports {

/// Result of a two-sided rank test. `statistic` is U (Mann–Whitney) or W+ (signed-rank); `exact`
/// says whether p_value comes from the exact null distribution (true) or from the normal
/// approximation (false).
struct RankTest {
  double statistic = 0;
  double p_value = 1;
  bool exact = false;
};

std::ostream& operator<<(std::ostream& os, const RankTest& t);

/// Two-sided Mann–Whitney U test of two independent samples. U = the number of pairs a_i > b_j,
/// ties counting 1/2, so U ranges over [0, n_a * n_b] and swapping the samples gives
/// n_a * n_b - U with the same p-value. Exact p-value, 2 * min(P(U' <= U), P(U' >= U)) capped at
/// 1, from the permutation distribution of the pooled sample's mid-ranks (conditional on its
/// ties: every choice of n_a of the n_a + n_b ranks is equally likely), enumerated by dynamic
/// programming when n_a + n_b <= 40. Otherwise the normal approximation with tie and continuity
/// corrections; when every pooled value is equal, p = 1. Either side empty -> U = 0, p = 1.
/// Throws std::invalid_argument if a value is NaN.
RankTest mann_whitney_u(std::span<const double> a, std::span<const double> b);

/// Two-sided Wilcoxon signed-rank test of paired differences d_i = cand_i - base_i against a
/// distribution symmetric about 0. Zero differences are dropped (Wilcoxon's convention); the
/// others are ranked by |d_i| with mid-ranks for ties; W+ is the rank sum of the positive ones.
/// Exact p-value, 2 * min(P(W' <= W+), P(W' >= W+)) capped at 1, from the distribution of W+
/// over the 2^m equally likely sign assignments of the m non-zero ranks (conditional on ties),
/// enumerated when m <= 60; above, the normal approximation (variance sum r_i^2 / 4, exact with
/// ties) with continuity correction. No non-zero difference -> W+ = 0, p = 1. The smallest
/// p-value m pairs can give is 2 / 2^m. Throws std::invalid_argument if a value is NaN.
RankTest wilcoxon_signed_rank(std::span<const double> differences);

/// One side's estimate: its mean, the standard error of that mean and the degrees of freedom of
/// the standard error (n - 1 for a mean of n replications; infinity for a large-sample estimate
/// whose standard error is taken as known).
struct Estimate {
  double mean = 0;
  double se = 0;
  double dof = 0;
};

/// Two-sided Welch test of the difference of two independent estimates: t = (cand - base) /
/// sqrt(se_b^2 + se_c^2) against Student's t with the Welch–Satterthwaite degrees of freedom
/// (the normal distribution when both are infinite: a z test). Both standard errors 0: p = 1
/// when the means are equal, 0 otherwise. `exact` is false. Throws std::invalid_argument for a
/// NaN mean, a NaN or negative standard error, or degrees of freedom not above 0 (one
/// replication has no standard error: nothing to test).
RankTest welch_test(const Estimate& base, const Estimate& cand);

/// Holm–Bonferroni adjusted p-values, same order as given: the k-th smallest (0-based) of m
/// becomes max over j <= k of (m - j) * p_(j), capped at 1, so the result is monotone in the raw
/// p-values. Compare each against alpha to control the family-wise error rate. Equal raw p-values
/// get equal adjusted values. Throws std::invalid_argument for a value outside [0, 1] or NaN.
std::vector<double> holm(std::span<const double> p_values);

/// The mean of the values with se = s / sqrt(n) and dof = n - 1 (se and dof NaN below 2 values;
/// equal values give that value and se = 0 exactly).
Estimate replication_estimate(std::span<const double> values);

/// How much the candidate differs from the base, with two-sided 95 % and 90 % intervals. A NaN
/// field could not be computed; an interval is NaN when its standard error is (fewer than two
/// values a side, or pairs), and has zero width when the standard error is 0.
struct Change {
  double base = 0, cand = 0;  ///< the two means
  double diff = 0;            ///< cand - base, in the metric's unit
  metrics::Interval diff95, diff90;
  double relative = 0;        ///< cand / base - 1 (0.2 = 20 % higher); NaN when base == 0
  metrics::Interval relative95, relative90;
  double dof = 0;             ///< of the t quantiles of the relative intervals
  bool log_scale = false;     ///< relative intervals from log(cand / base) (both means > 0)
};

std::ostream& operator<<(std::ostream& os, const Change& c);

/// Paired design: base[i] and cand[i] come from the same replication (same seed and index).
/// diff's interval is Student's on the differences (n - 1 degrees of freedom). The relative
/// change's interval linearises the ratio of means R = mean(cand) / mean(base) over the pairs:
/// with z_i = cand_i / mean(cand) - base_i / mean(base) and s_z their deviation, log R ±
/// t(n - 1) s_z / sqrt(n) when both means are positive (transformed back: exp(.) - 1), else
/// R - 1 ± t(n - 1) |R| s_z / sqrt(n). Requires equal sizes (std::invalid_argument otherwise).
Change paired_change(std::span<const double> base, std::span<const double> cand);

/// Independent estimates (Welch): diff ± t(v) sqrt(se_b^2 + se_c^2), and for the relative
/// change log R ± t(v') sqrt(se_b^2 / b^2 + se_c^2 / c^2) when both means are positive, else
/// R - 1 ± t(v') sqrt(se_c^2 + R^2 se_b^2) / |b|; v and v' are the Welch–Satterthwaite degrees
/// of freedom of the respective variance sums (infinite dof terms contribute nothing to the
/// denominator; both infinite -> the normal quantile).
Change welch_change(const Estimate& base, const Estimate& cand);

/// Smallest n (equal per side) for which the exact two-sided U test can reach p <= alpha / tests
/// (Holm's strictest step) at all: the smallest n with 2 / C(2n, n) <= alpha / tests. With fewer
/// replications no difference can be significant, however large. 4 for one test at alpha = 0.05,
/// 6 for 20. tests = 0 counts as 1. Throws std::invalid_argument unless alpha > 0.
std::size_t min_samples_per_side(std::size_t tests, double alpha = 0.05);

/// The same for the exact signed-rank test of n pairs: the smallest n with 2 / 2^n <= alpha /
/// tests. 6 for one test at alpha = 0.05, 10 for 20, 12 for 60.
std::size_t min_pairs(std::size_t tests, double alpha = 0.05);

} // namespace sim::reports
