// Two-sample statistics for `lunsim compare`: is a candidate run's metric
// different from the baseline's, by how much, and how many replications it
// takes to be able to tell.
//
// The inputs are per-replication values (one mean or percentile per
// replication), which are independent by construction; within-run samples are
// autocorrelated and do not belong here (see sim/metrics/statistics.hpp). With
// the handful of replications a comparison usually has, the rank test below
// makes no normality assumption, and its exact null distribution is used
// whenever it is valid, so small-sample p-values are not an approximation.
//
// Everything here is deterministic: the bootstrap draws from its own seeded
// generator, never from std:: distributions (whose output differs between
// standard libraries).
#pragma once

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <span>
#include <vector>

namespace sim::reports {

/// Result of a two-sided Mann–Whitney U test. `exact` says whether p_value
/// comes from the exact null distribution (true) or from the normal
/// approximation (false).
struct MannWhitney {
  double u = 0;
  double p_value = 1;
  bool exact = false;
};

std::ostream& operator<<(std::ostream& os, const MannWhitney& m);

/// Two-sided Mann–Whitney U test of the two samples (replication values). U = U
/// of sample a (number of pairs a_i > b_j, ties counting 1/2), so U ranges over
/// [0, n_a * n_b] and swapping the samples gives n_a * n_b - U with the same
/// p-value. Exact p-value, 2 * min(P(U' <= U), P(U' >= U)) capped at 1, by
/// enumerating the null distribution of U (dynamic programming over rank sums)
/// when no value occurs twice in the pooled sample and n_a + n_b <= 60.
/// Otherwise the normal approximation with tie correction and continuity
/// correction (|U - mean| reduced by 1/2); when every pooled value is equal the
/// variance is zero and p = 1. Either side empty -> U = 0, p = 1.
/// Throws std::invalid_argument if a value is NaN.
MannWhitney mann_whitney_u(std::span<const double> a, std::span<const double> b);

/// Holm–Bonferroni adjusted p-values, same order as given: the k-th smallest
/// (0-based) of m becomes max over j <= k of (m - j) * p_(j), capped at 1, so
/// the result is monotone in the raw p-values. Compare each against alpha to
/// control the family-wise error rate. Equal raw p-values get equal adjusted
/// values. Throws std::invalid_argument for a value outside [0, 1] or NaN.
std::vector<double> holm(std::span<const double> p_values);

/// A point estimate with a 95 % interval; all NaN when undefined.
struct ChangeCI {
  double estimate = 0;
  double low = 0;
  double high = 0;
};

std::ostream& operator<<(std::ostream& os, const ChangeCI& c);

/// Relative change of the mean, (mean(cand) - mean(base)) / mean(base) (0.2 =
/// 20 % higher), with a 95 % percentile bootstrap interval: `resamples`
/// resamplings of each side independently (with replacement) from a
/// xoshiro256** generator seeded through SplitMix64 from `seed`, so the same
/// inputs, seed and resamples always give the same bits. The bounds are the
/// nearest-rank 2.5th and 97.5th percentiles (sim::metrics::nearest_rank) of
/// the resampled changes; resamples whose base mean is 0 are left out (all left
/// out -> NaN bounds). The estimate is computed from the samples themselves,
/// not from the resamples. All fields NaN when mean(base) == 0 or a side is
/// empty. Cost: O(resamples * (n_base + n_cand)). Throws std::invalid_argument
/// if resamples == 0.
ChangeCI bootstrap_relative_change(std::span<const double> base, std::span<const double> cand,
                                   std::uint64_t seed = 1, std::size_t resamples = 10000);

/// Smallest n (equal per side) for which the exact two-sided U test can reach
/// p <= alpha / metrics (Holm's strictest step) at all: the smallest n with
/// 2 / C(2n, n) <= alpha / metrics. With fewer replications no difference can
/// be significant, however large. 4 for one metric at alpha = 0.05, 6 for 20
/// metrics. metrics = 0 counts as 1. Throws std::invalid_argument unless alpha
/// > 0 (and not NaN).
std::size_t min_samples_per_side(std::size_t metrics, double alpha = 0.05);

} // namespace sim::reports
