#include "reports/stats.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <vector>

using namespace sim::reports;

namespace {

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

std::vector<double> ramp(std::size_t n, double offset) {
  std::vector<double> out;
  for (std::size_t i = 0; i < n; ++i)
    out.push_back(offset + static_cast<double>(i));
  return out;
}

} // namespace

TEST_CASE("U counts the pairs a_i > b_j and the exact p of separated samples "
          "is 2 / C(n, n_a)",
          "[reports][stats]") {
  SECTION("three against three: U = 0, p = 2 / C(6, 3) = 2 / 20") {
    const std::vector<double> a{1, 2, 3}, b{4, 5, 6};
    const RankTest m = mann_whitney_u(a, b);
    CHECK(m.exact);
    CHECK(m.statistic == 0);
    CHECK(m.p_value == Approx(0.1));
  }
  SECTION("five against five: p = 2 / C(10, 5) = 2 / 252") {
    const std::vector<double> a{1, 2, 3, 4, 5}, b{6, 7, 8, 9, 10};
    const RankTest m = mann_whitney_u(a, b);
    CHECK(m.exact);
    CHECK(m.statistic == 0);
    CHECK(m.p_value == Approx(2.0 / 252.0));
  }
  SECTION("a above b gives U = n_a * n_b and the same p") {
    const std::vector<double> a{4, 5, 6}, b{1, 2, 3};
    const RankTest m = mann_whitney_u(a, b);
    CHECK(m.statistic == 9);
    CHECK(m.p_value == Approx(0.1));
  }
}

TEST_CASE("the exact p of overlapping samples sums the null distribution's tail",
          "[reports][stats]") {
  SECTION("3 vs 3, one pair out of order") {
    // a = {1, 2, 4}, b = {3, 5, 6}: only 4 > 3, so U = 1. Of the C(6, 3) = 20
    // equally likely rank sets for a, U = 0 once ({1,2,3}) and U = 1 once
    // ({1,2,4}): P(U <= 1) = 2 / 20, and the two-sided p = 4 / 20 = 0.2.
    const std::vector<double> a{1, 2, 4}, b{3, 5, 6};
    const RankTest m = mann_whitney_u(a, b);
    CHECK(m.exact);
    CHECK(m.statistic == 1);
    CHECK(m.p_value == Approx(0.2));
  }
  SECTION("4 vs 4, one pair out of order") {
    // a = {1, 2, 3, 5}, b = {4, 6, 7, 8}: U = 1; U <= 1 for {1,2,3,4} and
    // {1,2,3,5} only, so p = 2 * 2 / C(8, 4) = 4 / 70.
    const std::vector<double> a{1, 2, 3, 5}, b{4, 6, 7, 8};
    const RankTest m = mann_whitney_u(a, b);
    CHECK(m.exact);
    CHECK(m.statistic == 1);
    CHECK(m.p_value == Approx(4.0 / 70.0));
  }
  SECTION("U at the centre of the distribution gives p = 1") {
    // a = {1, 4, 5, 8}, b = {2, 3, 6, 7}: U = 0 + 2 + 2 + 4 = 8 = n_a * n_b
    // / 2.
    const std::vector<double> a{1, 4, 5, 8}, b{2, 3, 6, 7};
    const RankTest m = mann_whitney_u(a, b);
    CHECK(m.statistic == 8);
    CHECK(m.p_value == 1.0);
  }
}

TEST_CASE("ties are ranked by mid-ranks and the p-value is exact, conditional on the ties",
          "[reports][stats]") {
  // a = {1, 2, 2, 3}, b = {2, 3, 4, 4}. Pooled mid-ranks: 1 -> 1, the three 2s -> 3, the two 3s
  // -> 5.5, the two 4s -> 7.5; doubled (integers): 2, 6, 6, 6, 11, 11, 15, 15 (sum 72). a's
  // doubled rank sum is 2 + 6 + 6 + 11 = 25 (R_a = 12.5), so U = 12.5 - 4 * 5 / 2 = 2.5 (pairs:
  // 2 vs 2 counts 1/2 twice, 3 > 2 once, 3 vs 3 one half).
  // Null: a takes 4 of the 8 positions, C(8, 4) = 70 equally likely. Its doubled sum S has mean
  // 72 / 2 = 36, so the small tail decides. Choosing k1 of {2}, k2 of the three 6s, k3 of the
  // two 11s, k4 of the two 15s (k1 + k2 + k3 + k4 = 4, C(1,k1) C(3,k2) C(2,k3) C(2,k4) ways):
  //   {2, 6, 6, 6}:  S = 20, 1 way;
  //   {2, 6, 6, 11}: S = 25, C(3,2) * C(2,1) = 6 ways;
  //   every other choice has S >= 29 ({2,6,6,15}, {6,6,6,11}) or 30 ({2,6,11,11}).
  // P(S <= 25) = 7 / 70, P(S >= 25) = 69 / 70, p = 2 * 7 / 70 = 0.2 exactly. (The normal
  // approximation with tie correction gave 0.134169: it must not be used here.)
  const std::vector<double> a{1, 2, 2, 3}, b{2, 3, 4, 4};
  const RankTest m = mann_whitney_u(a, b);
  CHECK(m.exact);
  CHECK(m.statistic == 2.5);
  CHECK(m.p_value == Approx(0.2).epsilon(1e-12));
}

TEST_CASE("swapping the samples gives U' = n_a * n_b - U and the same p", "[reports][stats]") {
  const std::vector<double> a{1, 2, 2, 3}, b{2, 3, 4, 4};
  const std::vector<double> c{1.5, 2.5, 9, 10, 11}, d{0.5, 3, 3.5, 4};
  const RankTest ab = mann_whitney_u(a, b), ba = mann_whitney_u(b, a);
  CHECK(ba.statistic == 16 - ab.statistic);
  CHECK(ba.p_value == Approx(ab.p_value));
  const RankTest cd = mann_whitney_u(c, d), dc = mann_whitney_u(d, c);
  CHECK(cd.exact);
  CHECK(dc.statistic == 20 - cd.statistic);
  CHECK(dc.p_value == Approx(cd.p_value));
}

TEST_CASE("identical samples give p = 1", "[reports][stats]") {
  const std::vector<double> a{3, 1, 2}, b{1, 2, 3};
  CHECK(mann_whitney_u(a, b).p_value == 1.0);
  const std::vector<double> same{7, 7, 7, 7};
  const RankTest m = mann_whitney_u(same, same);
  CHECK(m.statistic == 8);
  CHECK(m.p_value == 1.0);
}

TEST_CASE("an empty side gives p = 1 and NaN is rejected", "[reports][stats]") {
  const std::vector<double> a{1, 2, 3}, none;
  CHECK(mann_whitney_u(a, none).p_value == 1.0);
  CHECK(mann_whitney_u(none, a).p_value == 1.0);
  const std::vector<double> bad{1, std::nan("")};
  CHECK_THROWS_AS(mann_whitney_u(a, bad), std::invalid_argument);
}

TEST_CASE("the exact U distribution is used up to 40 pooled values, the normal approximation above",
          "[reports][stats]") {
  SECTION("20 against 20 is exact and close to the normal approximation") {
    // a = {0, ..., 19}, b = {5.5, ..., 24.5}: a_i > b_j iff j <= i - 6, so U = 1 + ... + 14 = 105.
    // Exact p = 0.00948361 (enumerated independently of the implementation: Python, exact
    // fractions, all subsets). Normal approximation by hand: mean 20 * 20 / 2 = 200, variance
    // 20 * 20 * 41 / 12 = 1366.667 (sd 36.9685), z = (95 - 0.5) / 36.9685 = 2.556233,
    // p = erfc(z / sqrt 2) = 0.0105812: within 12 % of the exact value.
    const RankTest m = mann_whitney_u(ramp(20, 0), ramp(20, 5.5));
    CHECK(m.exact);
    CHECK(m.statistic == 105);
    CHECK(m.p_value == Approx(0.00948361).epsilon(1e-5));
    CHECK(m.p_value == Approx(0.0105812).epsilon(0.12));
  }
  SECTION("21 against 20 is past the limit") {
    // a = {0, ..., 20}, b = {5.5, ..., 24.5}: U = 1 + ... + 15 = 120.
    const RankTest m = mann_whitney_u(ramp(21, 0), ramp(20, 5.5));
    CHECK_FALSE(m.exact);
    CHECK(m.statistic == 120);
  }
  SECTION("the limit counts pooled values, not the sides: 1 against 39 is exact") {
    // a = {100} above all 39 values of b: U = 39 = n_a * n_b; only a = {rank 40} reaches it,
    // P = 1 / C(40, 1), p = 2 / 40 = 0.05.
    const std::vector<double> a{100};
    const RankTest m = mann_whitney_u(a, ramp(39, 0));
    CHECK(m.exact);
    CHECK(m.statistic == 39);
    CHECK(m.p_value == Approx(0.05).epsilon(1e-12));
  }
  SECTION("21 against 21 without ties: the normal p with continuity correction") {
    // a = {0, ..., 20}, b = {5.5, ..., 25.5}: U = 1 + ... + 15 = 120. Mean 21 * 21 / 2 = 220.5,
    // variance 21 * 21 * 43 / 12 = 1580.25 (sd 39.7524), z = (100.5 - 0.5) / 39.7524 =
    // 2.515574, p = erfc(z / sqrt 2) = 0.0118839.
    const RankTest m = mann_whitney_u(ramp(21, 0), ramp(21, 5.5));
    CHECK_FALSE(m.exact);
    CHECK(m.statistic == 120);
    CHECK(m.p_value == Approx(0.0118839).epsilon(1e-5));
  }
  SECTION("21 against 21 with ties: the tie-corrected variance") {
    // a = 11 zeros and 10 ones, b = 5 zeros and 16 ones. U = 10 * 5 (a's ones above b's zeros)
    // + (11 * 5 + 10 * 16) / 2 (ties) = 50 + 27.5 + 80 = 157.5. Pooled: 16 zeros, 26 ones, tie
    // term (16^3 - 16) + (26^3 - 26) = 4080 + 17550 = 21630. Variance 21 * 21 / 12 * (43 -
    // 21630 / (42 * 41)) = 36.75 * 30.43902 = 1118.634 (sd 33.4460); z = (63 - 0.5) / 33.4460 =
    // 1.868684, p = 0.0616667. (Without the tie correction: sd 39.7524, p = 0.116.)
    std::vector<double> a(21, 0.0), b(21, 1.0);
    for (std::size_t i = 11; i < 21; ++i) a[i] = 1;
    for (std::size_t i = 0; i < 5; ++i) b[i] = 0;
    const RankTest m = mann_whitney_u(a, b);
    CHECK_FALSE(m.exact);
    CHECK(m.statistic == 157.5);
    CHECK(m.p_value == Approx(0.0616667).epsilon(1e-5));
  }
  SECTION("every pooled value equal, past the limit: p = 1") {
    // All mid-ranks are 21.5: U = 21 * 21 / 2 = 220.5 and the tie-corrected variance is 0.
    const std::vector<double> same(21, 7.0);
    const RankTest m = mann_whitney_u(same, same);
    CHECK_FALSE(m.exact);
    CHECK(m.statistic == 220.5);
    CHECK(m.p_value == 1.0);
  }
}

TEST_CASE("Holm multiplies the k-th smallest p by m - k and keeps the order monotone",
          "[reports][stats]") {
  // Sorted: 0.005 * 4 = 0.02, 0.01 * 3 = 0.03, 0.03 * 2 = 0.06, 0.04 * 1 = 0.04
  // -> raised to 0.06.
  const std::vector<double> p{0.01, 0.04, 0.03, 0.005};
  const std::vector<double> adjusted = holm(p);
  REQUIRE(adjusted.size() == 4);
  CHECK(adjusted[0] == Approx(0.03));
  CHECK(adjusted[1] == Approx(0.06));
  CHECK(adjusted[2] == Approx(0.06));
  CHECK(adjusted[3] == Approx(0.02));

  SECTION("capped at 1") {
    const std::vector<double> large{0.5, 0.6};
    CHECK(holm(large) == std::vector<double>{1.0, 1.0});
  }
  SECTION("empty in, empty out; out-of-range p is rejected") {
    CHECK(holm({}).empty());
    const std::vector<double> bad{0.1, 1.5};
    CHECK_THROWS_AS(holm(bad), std::invalid_argument);
    const std::vector<double> negative{-0.01, 0.5};
    CHECK_THROWS_AS(holm(negative), std::invalid_argument);
    const std::vector<double> nan{0.1, std::nan("")};
    CHECK_THROWS_AS(holm(nan), std::invalid_argument);
  }
  SECTION("equal raw p-values get equal adjusted values") {
    // Sorted: 0.01 * 3 = 0.03, then 0.01 * 2 = 0.02 raised to 0.03 by the running maximum,
    // 0.04 * 1 = 0.04.
    const std::vector<double> tied{0.04, 0.01, 0.01};
    const std::vector<double> a = holm(tied);
    REQUIRE(a.size() == 3);
    CHECK(a[0] == Approx(0.04));
    CHECK(a[1] == Approx(0.03));
    CHECK(a[2] == Approx(0.03));
  }
}

TEST_CASE("the minimum replications per side is where 2 / C(2n, n) reaches "
          "alpha / metrics",
          "[reports][stats]") {
  // One metric: 2 / C(6, 3) = 0.1 > 0.05, 2 / C(8, 4) = 2 / 70 = 0.029 <= 0.05.
  CHECK(min_samples_per_side(1) == 4);
  CHECK(min_samples_per_side(0) == 4);
  // 20 metrics, alpha / 20 = 0.0025: 2 / C(10, 5) = 2 / 252 = 0.0079 is too
  // large, 2 / C(12, 6) = 2 / 924 = 0.0022 is enough.
  CHECK(min_samples_per_side(20) == 6);
  // alpha = 0.1 is met exactly by 2 / C(6, 3).
  CHECK(min_samples_per_side(1, 0.1) == 3);
  CHECK_THROWS_AS(min_samples_per_side(1, 0.0), std::invalid_argument);
}

TEST_CASE("the minimum sample size is what the exact test actually needs", "[reports][stats]") {
  const std::size_t n = min_samples_per_side(1);
  CHECK(mann_whitney_u(ramp(n, 0), ramp(n, 100)).p_value <= 0.05);
  CHECK(mann_whitney_u(ramp(n - 1, 0), ramp(n - 1, 100)).p_value > 0.05);
}

// ---------------------------------------------------------------------------------------------
// Wilcoxon signed-rank

TEST_CASE("signed-rank: n positive differences give W+ = n (n + 1) / 2 and p = 2 / 2^n",
          "[reports][stats]") {
  // Of the 2^n equally likely sign assignments only "all positive" reaches W+ = n (n + 1) / 2,
  // and only "all negative" the other end: p = 2 * 1 / 2^n.
  SECTION("n = 5: W+ = 15, p = 2 / 32 = 0.0625") {
    const std::vector<double> d{0.3, 1, 2.5, 4, 8};
    const RankTest w = wilcoxon_signed_rank(d);
    CHECK(w.exact);
    CHECK(w.statistic == 15);
    CHECK(w.p_value == Approx(0.0625).epsilon(1e-12));
  }
  SECTION("n = 6: W+ = 21, p = 2 / 64 = 0.03125") {
    const std::vector<double> d{6, 5, 4, 3, 2, 1};
    const RankTest w = wilcoxon_signed_rank(d);
    CHECK(w.exact);
    CHECK(w.statistic == 21);
    CHECK(w.p_value == Approx(0.03125).epsilon(1e-12));
  }
  SECTION("all negative: W+ = 0, the same p") {
    const std::vector<double> d{-6, -5, -4, -3, -2, -1};
    const RankTest w = wilcoxon_signed_rank(d);
    CHECK(w.statistic == 0);
    CHECK(w.p_value == Approx(0.03125).epsilon(1e-12));
  }
}

TEST_CASE("signed-rank: a mixed sample sums the tail of the 2^n sign assignments", "[reports][stats]") {
  // d = {1, -2, 3, 4, 5}: ranks 1..5, W+ = 1 + 3 + 4 + 5 = 13 of a total 15, i.e. W- = 2. W+ >= 13
  // iff the negative ranks sum to <= 2: {} , {1}, {2}: 3 of 32 assignments. P(W+ <= 13) = 29 / 32
  // is the larger tail, so p = 2 * 3 / 32 = 0.1875.
  const std::vector<double> d{1, -2, 3, 4, 5};
  const RankTest w = wilcoxon_signed_rank(d);
  CHECK(w.exact);
  CHECK(w.statistic == 13);
  CHECK(w.p_value == Approx(0.1875).epsilon(1e-12));

  SECTION("zero differences are dropped before ranking") {
    // The same non-zero differences with two zeros: still ranks 1..5 and 2^5 assignments. (Had
    // the zeros been ranked, as Pratt does, 1 would get rank 3 and W+ would be 3 + 5 + 6 + 7.)
    const std::vector<double> with_zeros{0, 1, -2, 3, 0, 4, 5};
    const RankTest z = wilcoxon_signed_rank(with_zeros);
    CHECK(z.exact);
    CHECK(z.statistic == 13);
    CHECK(z.p_value == Approx(0.1875).epsilon(1e-12));
  }
}

TEST_CASE("signed-rank: tied magnitudes get mid-ranks and the exact p is conditional on them",
          "[reports][stats]") {
  SECTION("{1, -1, 2, 2}") {
    // |d| = 1, 1, 2, 2 -> mid-ranks 1.5, 1.5, 3.5, 3.5 (total 10); W+ = 1.5 + 3.5 + 3.5 = 8.5.
    // Sign assignments, as subsets of the ranks {1.5, 1.5, 3.5, 3.5} (16 in all) by sum:
    // 0 (1), 1.5 (2), 3 (1), 3.5 (2), 5 (4), 6.5 (2), 7 (1), 8.5 (2), 10 (1).
    // P(W+ >= 8.5) = 3 / 16, p = 6 / 16 = 0.375.
    const std::vector<double> d{1, -1, 2, 2};
    const RankTest w = wilcoxon_signed_rank(d);
    CHECK(w.exact);
    CHECK(w.statistic == 8.5);
    CHECK(w.p_value == Approx(0.375).epsilon(1e-12));
  }
  SECTION("{1, 1, -1, 1, 2}") {
    // Four |d| = 1 share ranks 1..4 -> 2.5 each, 2 -> 5 (total 15). W+ = 3 * 2.5 + 5 = 12.5,
    // W- = 2.5. W+ >= 12.5 iff the negative ranks sum to <= 2.5: none (1 way) or one of the
    // four 2.5s (4 ways): P = 5 / 32, p = 10 / 32 = 0.3125.
    const std::vector<double> d{1, 1, -1, 1, 2};
    const RankTest w = wilcoxon_signed_rank(d);
    CHECK(w.exact);
    CHECK(w.statistic == 12.5);
    CHECK(w.p_value == Approx(0.3125).epsilon(1e-12));
  }
}

TEST_CASE("signed-rank: negating every difference maps W+ to total - W+ and keeps p",
          "[reports][stats]") {
  // |d| ranks: 0.5 -> 1, 1.5 -> 2, 2.5 -> 3, 3 -> 4, 4 -> 5, 6 -> 6, 7 -> 7 (total 28).
  // W+ = 1 + 3 + 4 + 6 + 7 = 21, so the negated sample has W+ = 28 - 21 = 7.
  // p = 19 / 64 = 0.296875 (enumerated independently of the implementation: the sign
  // assignments with W+ >= 21 are 19 of 128; doubled: 38 / 128).
  const std::vector<double> d{0.5, -1.5, 2.5, 3, -4, 6, 7};
  std::vector<double> negated;
  for (const double x : d) negated.push_back(-x);
  const RankTest w = wilcoxon_signed_rank(d), n = wilcoxon_signed_rank(negated);
  CHECK(w.statistic == 21);
  CHECK(n.statistic == 7);
  CHECK(w.p_value == Approx(19.0 / 64.0).epsilon(1e-12));
  CHECK(n.p_value == Approx(w.p_value).epsilon(1e-12));
}

TEST_CASE("signed-rank: no non-zero difference gives p = 1, and NaN is rejected", "[reports][stats]") {
  const std::vector<double> none, zeros{0, 0, -0.0};
  const RankTest e = wilcoxon_signed_rank(none), z = wilcoxon_signed_rank(zeros);
  CHECK(e.statistic == 0);
  CHECK(e.p_value == 1.0);
  CHECK(z.statistic == 0);
  CHECK(z.p_value == 1.0);
  const std::vector<double> bad{1, 2, std::nan("")};
  CHECK_THROWS_AS(wilcoxon_signed_rank(bad), std::invalid_argument);
}

TEST_CASE("signed-rank: exact up to 60 non-zero differences, normal approximation above",
          "[reports][stats]") {
  SECTION("60 differences are exact and close to the normal approximation") {
    // d = -1, ..., -35, 36, ..., 60: W+ = 36 + ... + 60 = 1200. Exact p = 0.0355632 (enumerated
    // independently: Python, exact fractions). Normal by hand: mean 60 * 61 / 4 = 915, variance
    // 60 * 61 * 121 / 24 = 18452.5 (sd 135.840), z = (285 - 0.5) / 135.840 = 2.094376,
    // p = 0.0362265: within 3 % of the exact value.
    std::vector<double> d;
    for (int i = 1; i <= 60; ++i) d.push_back(i <= 35 ? -i : i);
    const RankTest w = wilcoxon_signed_rank(d);
    CHECK(w.exact);
    CHECK(w.statistic == 1200);
    CHECK(w.p_value == Approx(0.0355632).epsilon(1e-5));
    CHECK(w.p_value == Approx(0.0362265).epsilon(0.03));

    SECTION("a zero difference on top does not count towards the limit") {
      d.push_back(0);
      const RankTest z = wilcoxon_signed_rank(d);
      CHECK(z.exact);
      CHECK(z.statistic == 1200);
      CHECK(z.p_value == Approx(w.p_value).epsilon(1e-12));
    }
  }
  SECTION("61 distinct magnitudes: the normal p with continuity correction") {
    // d = -1, ..., -36, 37, ..., 61: W+ = 37 + ... + 61 = 1225. Mean 61 * 62 / 4 = 945.5,
    // variance 61 * 62 * 123 / 24 = 19382.75 (sd 139.2219), z = (279.5 - 0.5) / 139.2219 =
    // 2.003994, p = erfc(z / sqrt 2) = 0.0450707.
    std::vector<double> d;
    for (int i = 1; i <= 61; ++i) d.push_back(i <= 36 ? -i : i);
    const RankTest w = wilcoxon_signed_rank(d);
    CHECK_FALSE(w.exact);
    CHECK(w.statistic == 1225);
    CHECK(w.p_value == Approx(0.0450707).epsilon(1e-5));
  }
  SECTION("61 tied magnitudes: the variance is sum r^2 / 4 of the mid-ranks") {
    // 40 differences of +1, 21 of -1: every mid-rank is 31 (total 1891), W+ = 40 * 31 = 1240.
    // Mean 945.5, variance 61 * 31^2 / 4 = 14655.25 (sd 121.0589; untied it would be 19382.75),
    // z = (294.5 - 0.5) / 121.0589 = 2.428570, p = 0.0151585.
    std::vector<double> d(61, 1.0);
    for (std::size_t i = 0; i < 21; ++i) d[i] = -1;
    const RankTest w = wilcoxon_signed_rank(d);
    CHECK_FALSE(w.exact);
    CHECK(w.statistic == 1240);
    CHECK(w.p_value == Approx(0.0151585).epsilon(1e-5));
  }
}

TEST_CASE("min_pairs is the smallest n with 2 / 2^n <= alpha / tests", "[reports][stats]") {
  // One test: 2 / 2^5 = 0.0625 > 0.05, 2 / 2^6 = 0.03125 <= 0.05.
  CHECK(min_pairs(1) == 6);
  CHECK(min_pairs(0) == 6);
  // 20 tests, 0.0025: 2 / 2^9 = 0.0039 > it, 2 / 2^10 = 0.00195 <= it.
  CHECK(min_pairs(20) == 10);
  // 60 tests, 0.05 / 60 = 0.000833: 2 / 2^11 = 0.000977 > it, 2 / 2^12 = 0.000488 <= it.
  CHECK(min_pairs(60) == 12);
  // alpha = 0.0625 is met exactly by 2 / 2^5 (needed 2 / 0.0625 = 32 = 2^5, no rounding).
  CHECK(min_pairs(1, 0.0625) == 5);
  CHECK_THROWS_AS(min_pairs(1, 0.0), std::invalid_argument);
  CHECK_THROWS_AS(min_pairs(1, -0.05), std::invalid_argument);
  CHECK_THROWS_AS(min_pairs(1, std::nan("")), std::invalid_argument);
}

TEST_CASE("min_pairs is what the exact signed-rank test actually needs", "[reports][stats]") {
  for (const std::size_t tests : {std::size_t{1}, std::size_t{20}, std::size_t{60}}) {
    CAPTURE(tests);
    const double level = 0.05 / static_cast<double>(tests);
    const std::size_t n = min_pairs(tests);
    CHECK(wilcoxon_signed_rank(ramp(n, 1)).p_value <= level);
    CHECK(wilcoxon_signed_rank(ramp(n - 1, 1)).p_value > level);
  }
}

// ---------------------------------------------------------------------------------------------
// Welch test on estimates

TEST_CASE("welch_test: t = (cand - base) / sqrt(se_b^2 + se_c^2) with Welch-Satterthwaite dof",
          "[reports][stats]") {
  constexpr double inf = std::numeric_limits<double>::infinity();
  SECTION("a side with se 0 adds nothing to the dof: t(0.975, 9) = 2.262157 gives p = 0.05") {
    // se = sqrt(0 + 2^2) = 2; dof = 4^2 / (4^2 / 9) = 9. t = 2 * 2.262157 / 2 = 2.262157, the
    // 0.975 quantile of t(9) (table): two-sided p = 2 * 0.025.
    const RankTest w = welch_test({10, 0, inf}, {10 + 2 * 2.262157, 2, 9});
    CHECK_FALSE(w.exact);
    CHECK(w.statistic == Approx(2.262157).epsilon(1e-12));
    CHECK(w.p_value == Approx(0.05).margin(1e-6));
  }
  SECTION("equal se, 9 dof each: dof (1 + 1)^2 / (1 / 9 + 1 / 9) = 18") {
    // t(0.975, 18) = 2.100922 (table); with dof 9 p would be 0.0650, with 17 0.0509 (mpmath).
    const RankTest w = welch_test({0, 1, 9}, {2.100922 * std::sqrt(2.0), 1, 9});
    CHECK(w.statistic == Approx(2.100922).epsilon(1e-12));
    CHECK(w.p_value == Approx(0.05).margin(1e-6));
  }
  SECTION("unequal se and dof") {
    // base se 1 (dof 4), cand se 2 (dof 9): t = 3 / sqrt 5 = 1.341641; dof = 5^2 / (1 / 4 +
    // 16 / 9) = 25 / 2.027778 = 12.328767. p = 2 P(T > t) = 0.2039022 (mpmath's regularised
    // incomplete beta), so between 2 P(T_12 > t) and 2 P(T_13 > t).
    const double t = 3 / std::sqrt(5.0);
    const RankTest w = welch_test({0, 1, 4}, {3, 2, 9});
    CHECK(w.statistic == Approx(t).epsilon(1e-12));
    CHECK(w.p_value == Approx(0.2039022).epsilon(1e-6));
    CHECK(w.p_value == Approx(2 * sim::metrics::t_upper_tail(t, 25 / (0.25 + 16.0 / 9))).epsilon(1e-9));
    CHECK(w.p_value < 2 * sim::metrics::t_upper_tail(t, 12));
    CHECK(w.p_value > 2 * sim::metrics::t_upper_tail(t, 13));
  }
  SECTION("one infinite dof: only the finite side's term is in the denominator") {
    // base se 3 (dof inf), cand se 4 (dof 10): se 5, dof = 25^2 / (16^2 / 10) = 24.4140625;
    // t = 12.5 / 5 = 2.5, p = 0.0195221 (mpmath).
    const RankTest w = welch_test({0, 3, inf}, {12.5, 4, 10});
    CHECK(w.statistic == 2.5);
    CHECK(w.p_value == Approx(0.0195221).epsilon(1e-5));
  }
  SECTION("both dof infinite: a z test") {
    // se = sqrt(9 + 16) = 5; z = 1.959964 (normal 0.975 quantile) gives p = 0.05.
    const RankTest w = welch_test({0, 3, inf}, {5 * 1.959964, 4, inf});
    CHECK(w.statistic == Approx(1.959964).epsilon(1e-12));
    CHECK(w.p_value == Approx(0.05).margin(1e-6));
    SECTION("a decrease: negative t, the same p") {
      const RankTest d = welch_test({5 * 1.959964, 4, inf}, {0, 3, inf});
      CHECK(d.statistic == Approx(-1.959964).epsilon(1e-12));
      CHECK(d.p_value == Approx(w.p_value).epsilon(1e-12));
    }
  }
  SECTION("equal means: t = 0, p = 1") {
    const RankTest w = welch_test({3, 1, 4}, {3, 2, 9});
    CHECK(w.statistic == 0);
    CHECK(w.p_value == Approx(1.0).epsilon(1e-12));
  }
  SECTION("both se 0: p = 1 for equal means, 0 otherwise") {
    CHECK(welch_test({3, 0, 4}, {3, 0, 4}).p_value == 1.0);
    CHECK(welch_test({3, 0, 4}, {3.5, 0, 4}).p_value == 0.0);
    CHECK(welch_test({3, 0, inf}, {2.5, 0, inf}).p_value == 0.0);
  }
  SECTION("one replication has no standard error: nothing to test, an error rather than p = 0") {
    CHECK_THROWS_AS(welch_test(replication_estimate(std::vector<double>{10}), replication_estimate(std::vector<double>{11, 12, 13})),
                    std::invalid_argument);
    CHECK_THROWS_AS(welch_test({3, 1, 0}, {3, 1, 4}), std::invalid_argument);
    CHECK_THROWS_AS(welch_test({3, -1, 4}, {3, 1, 4}), std::invalid_argument);
  }
}

// ---------------------------------------------------------------------------------------------
// Estimates and changes

TEST_CASE("replication_estimate: mean, s / sqrt(n) and n - 1", "[reports][stats]") {
  // {1, ..., 5}: mean 3, s^2 = (4 + 1 + 0 + 1 + 4) / 4 = 2.5, se = sqrt(2.5 / 5) = 0.7071068.
  const std::vector<double> v{1, 2, 3, 4, 5};
  const Estimate e = replication_estimate(v);
  CHECK(e.mean == 3);
  CHECK(e.se == Approx(std::sqrt(0.5)).epsilon(1e-14));
  CHECK(e.dof == 4);

  SECTION("constant values: se 0") {
    const std::vector<double> c{2.5, 2.5, 2.5};
    const Estimate k = replication_estimate(c);
    CHECK(k.mean == 2.5);
    CHECK(k.se == 0);
    CHECK(k.dof == 2);
  }
  SECTION("one value: the mean, NaN se and dof; none: all NaN") {
    const std::vector<double> one{7};
    const Estimate o = replication_estimate(one);
    CHECK(o.mean == 7);
    CHECK(std::isnan(o.se));
    CHECK(std::isnan(o.dof));
    const Estimate z = replication_estimate({});
    CHECK(std::isnan(z.mean));
    CHECK(std::isnan(z.se));
    CHECK(std::isnan(z.dof));
  }
  SECTION("NaN is rejected") {
    const std::vector<double> bad{1, std::nan("")};
    CHECK_THROWS_AS(replication_estimate(bad), std::invalid_argument);
  }
}

namespace {
// Quantiles from tables (and mpmath to 10 digits): t(0.975, ·), t(0.95, ·).
constexpr double t975_1 = 12.70620474, t975_3 = 3.182446305, t975_4 = 2.776445105;
constexpr double t95_3 = 2.353363435, t95_4 = 2.131846786;
constexpr double t975_17 = 2.109815578, t975_18 = 2.100922040, t95_18 = 1.734063607;
constexpr double z975 = 1.959963985, z95 = 1.644853627;

void check_interval(const sim::metrics::Interval& i, double low, double high, double margin = 1e-6) {
  CHECK(i.low == Approx(low).margin(margin));
  CHECK(i.high == Approx(high).margin(margin));
}
bool is_nan(const sim::metrics::Interval& i) { return std::isnan(i.low) && std::isnan(i.high); }
} // namespace

TEST_CASE("paired_change: cand = 1.1 * base exactly gives relative 0.1 with zero-width intervals",
          "[reports][stats]") {
  // Means 25 and 27.5; z_i = cand_i / 27.5 - base_i / 25 = 0 (both quotients are the same
  // correctly rounded 0.4, 0.8, 1.2, 1.6), so se_log = 0 and both relative intervals collapse
  // onto the estimate. The differences {1, 2, 3, 4} still vary: mean 2.5, s = sqrt(5 / 3),
  // se = 0.6454972; diff95 = 2.5 -+ 3.182446 * se = [0.4457397, 4.5542603], diff90 = 2.5 -+
  // 2.353363 * se = [0.9809104, 4.0190896].
  const std::vector<double> base{10, 20, 30, 40}, cand{11, 22, 33, 44};
  const Change c = paired_change(base, cand);
  CHECK(c.base == 25);
  CHECK(c.cand == 27.5);
  CHECK(c.diff == 2.5);
  CHECK(c.relative == Approx(0.1).epsilon(1e-12));
  CHECK(c.log_scale);
  CHECK(c.dof == 3);
  CHECK(same_bits(c.relative95.low, c.relative));
  CHECK(same_bits(c.relative95.high, c.relative));
  CHECK(same_bits(c.relative90.low, c.relative));
  CHECK(same_bits(c.relative90.high, c.relative));
  check_interval(c.diff95, 2.5 - t975_3 * std::sqrt(5.0 / 3) / 2, 2.5 + t975_3 * std::sqrt(5.0 / 3) / 2);
  check_interval(c.diff95, 0.4457397, 4.5542603);
  check_interval(c.diff90, 0.9809104, 4.0190896);
  CHECK(t95_3 * std::sqrt(5.0 / 3) / 2 == Approx(1.5190896).margin(1e-6)); // the 90 % half width
}

TEST_CASE("paired_change: Student interval of the differences, log-scale relative interval",
          "[reports][stats]") {
  SECTION("constant base: only cand's term in z") {
    // base = 10 x 5, cand = {9, ..., 13} (mean 11). d = {-1, 0, 1, 2, 3}: mean 1, s^2 = 2.5,
    // se = sqrt(0.5) = 0.7071068; diff95 = 1 -+ 2.776445 * 0.7071068 = 1 -+ 1.9632432,
    // diff90 = 1 -+ 2.131847 * 0.7071068 = 1 -+ 1.5074433.
    // R = 1.1; z_i = cand_i / 11 - 1 = {-2, -1, 0, 1, 2} / 11, s_z = sqrt(2.5) / 11,
    // se_log = sqrt(0.5) / 11 = 0.06428243. relative95 = exp(log 1.1 -+ 2.776445 * se_log) - 1
    // = exp(0.0953102 -+ 0.1784771) - 1 = [-0.0798021, 0.3149345]; relative90 = exp(0.0953102
    // -+ 2.131847 * se_log) - 1 = [-0.0408714, 0.2615618].
    const std::vector<double> base(5, 10.0), cand{9, 10, 11, 12, 13};
    const Change c = paired_change(base, cand);
    CHECK(c.base == 10);
    CHECK(c.cand == 11);
    CHECK(c.diff == 1);
    CHECK(c.relative == Approx(0.1).epsilon(1e-12));
    CHECK(c.dof == 4);
    CHECK(c.log_scale);
    check_interval(c.diff95, -0.9632432, 2.9632432);
    check_interval(c.diff90, -0.5074433, 2.5074433);
    const double se_log = std::sqrt(0.5) / 11;
    check_interval(c.relative95, std::expm1(std::log(1.1) - t975_4 * se_log),
                   std::expm1(std::log(1.1) + t975_4 * se_log));
    check_interval(c.relative95, -0.0798021, 0.3149345);
    check_interval(c.relative90, -0.0408714, 0.2615618);
  }
  SECTION("cand = base + 1: zero-width diff interval, base's term in z") {
    // base = {8, ..., 12} (mean 10), cand = base + 1 (mean 11): d = 1 each, se 0, diff95 =
    // diff90 = [1, 1]. z_i = (b_i + 1) / 11 - b_i / 10 = 1 / 11 - b_i / 110: s_z = sqrt(2.5) /
    // 110, se_log = sqrt(0.5) / 110 = 0.006428243. relative95 = exp(0.0953102 -+ 2.776445 *
    // se_log) - 1 = [0.0805417, 0.1198087]; relative90 = [0.0850284, 0.1151782].
    const std::vector<double> base{8, 9, 10, 11, 12}, cand{9, 10, 11, 12, 13};
    const Change c = paired_change(base, cand);
    CHECK(c.diff == 1);
    CHECK(c.diff95.low == 1);
    CHECK(c.diff95.high == 1);
    CHECK(c.diff90.low == 1);
    CHECK(c.diff90.high == 1);
    CHECK(c.log_scale);
    check_interval(c.relative95, 0.0805417, 0.1198087);
    check_interval(c.relative90, 0.0850284, 0.1151782);
  }
}

TEST_CASE("paired_change: a mean that is not positive gives the linear interval R - 1 -+ t |R| se",
          "[reports][stats]") {
  SECTION("both means negative") {
    // base = -10 x 5, cand = {-9, ..., -13} (mean -11): R = 1.1, relative 0.1, not on the log
    // scale. z_i = cand_i / -11 - 1 = {-2, ..., 2} / 11, s_z = sqrt(2.5) / 11; se_ratio =
    // |R| s_z / sqrt 5 = 1.1 * sqrt(0.5) / 11 = 0.07071068. relative95 = 0.1 -+ 2.776445 *
    // 0.07071068 = 0.1 -+ 0.1963243; relative90 = 0.1 -+ 0.1507443.
    const std::vector<double> base(5, -10.0), cand{-9, -10, -11, -12, -13};
    const Change c = paired_change(base, cand);
    CHECK(c.diff == -1);
    CHECK(c.relative == Approx(0.1).epsilon(1e-12));
    CHECK_FALSE(c.log_scale);
    check_interval(c.relative95, -0.0963243, 0.2963243);
    check_interval(c.relative90, -0.0507443, 0.2507443);
  }
  SECTION("the sign flips: R < 0") {
    // base = 10 x 5, cand = {-9, ..., -13}: R = -1.1, relative = -2.1; the same s_z as above and
    // se_ratio = |R| s_z / sqrt 5 = 0.07071068 (positive: the interval is not reversed).
    const std::vector<double> base(5, 10.0), cand{-9, -10, -11, -12, -13};
    const Change c = paired_change(base, cand);
    CHECK(c.relative == Approx(-2.1).epsilon(1e-12));
    CHECK_FALSE(c.log_scale);
    check_interval(c.relative95, -2.2963243, -1.9036757);
  }
  SECTION("cand's mean 0: R = 0, z_i = cand_i / base") {
    // base = 10 x 5, cand = {-2, ..., 2}: relative -1; z = {-0.2, ..., 0.2}, s_z = sqrt(0.025),
    // se_ratio = sqrt(0.025 / 5) = 0.07071068; relative95 = -1 -+ 0.1963243.
    const std::vector<double> base(5, 10.0), cand{-2, -1, 0, 1, 2};
    const Change c = paired_change(base, cand);
    CHECK(c.cand == 0);
    CHECK(c.relative == -1);
    CHECK_FALSE(c.log_scale);
    check_interval(c.relative95, -1.1963243, -0.8036757);
  }
  SECTION("base's mean 0: no relative change, the difference still has its interval") {
    // base = {-1, 1}, cand = {1, 2}: d = {2, 1}, mean 1.5, s = sqrt(0.5), se = 0.5;
    // diff95 = 1.5 -+ 12.706205 * 0.5 = [-4.8531024, 7.8531024].
    const std::vector<double> base{-1, 1}, cand{1, 2};
    const Change c = paired_change(base, cand);
    CHECK(c.diff == 1.5);
    CHECK(std::isnan(c.relative));
    CHECK(is_nan(c.relative95));
    CHECK(is_nan(c.relative90));
    CHECK_FALSE(c.log_scale);
    check_interval(c.diff95, 1.5 - t975_1 * 0.5, 1.5 + t975_1 * 0.5);
  }
}

TEST_CASE("paired_change: sizes, single pairs and NaN", "[reports][stats]") {
  SECTION("different sizes are rejected") {
    const std::vector<double> base{1, 2, 3}, cand{1, 2};
    CHECK_THROWS_AS(paired_change(base, cand), std::invalid_argument);
  }
  SECTION("NaN is rejected on either side") {
    const std::vector<double> good{1, 2}, bad{1, std::nan("")};
    CHECK_THROWS_AS(paired_change(good, bad), std::invalid_argument);
    CHECK_THROWS_AS(paired_change(bad, good), std::invalid_argument);
  }
  SECTION("one pair: the estimates, NaN intervals") {
    const std::vector<double> base{10}, cand{11};
    const Change c = paired_change(base, cand);
    CHECK(c.base == 10);
    CHECK(c.cand == 11);
    CHECK(c.diff == 1);
    CHECK(c.relative == Approx(0.1).epsilon(1e-12));
    CHECK(is_nan(c.diff95));
    CHECK(is_nan(c.diff90));
    CHECK(is_nan(c.relative95));
    CHECK(is_nan(c.relative90));
  }
  SECTION("no pairs: everything NaN") {
    const Change c = paired_change({}, {});
    CHECK(std::isnan(c.base));
    CHECK(std::isnan(c.cand));
    CHECK(std::isnan(c.diff));
    CHECK(std::isnan(c.relative));
    CHECK(is_nan(c.diff95));
    CHECK(is_nan(c.relative95));
  }
}

TEST_CASE("welch_change: diff -+ t(v) sqrt(se_b^2 + se_c^2) and the log-scale relative interval",
          "[reports][stats]") {
  constexpr double inf = std::numeric_limits<double>::infinity();
  SECTION("base known exactly (se 0): cand's 4 dof alone") {
    // base {10, 0}, cand {11, 0.5, 4}: se 0.5, dof 4. diff95 = 1 -+ 2.776445 * 0.5 =
    // [-0.3882226, 2.3882226], diff90 = 1 -+ 2.131847 * 0.5 = [-0.0659234, 2.0659234].
    // se_log = sqrt(0 + 0.5^2 / 11^2) = 0.5 / 11, dof 4: relative95 = exp(log 1.1 -+ 2.776445 *
    // 0.0454545) - 1 = [-0.0304196, 0.2479625]; relative90 = [-0.0015907, 0.2119278].
    const Change c = welch_change({10, 0, inf}, {11, 0.5, 4});
    CHECK(c.base == 10);
    CHECK(c.cand == 11);
    CHECK(c.diff == 1);
    CHECK(c.relative == Approx(0.1).epsilon(1e-12));
    CHECK(c.log_scale);
    CHECK(c.dof == Approx(4).epsilon(1e-12));
    check_interval(c.diff95, -0.3882226, 2.3882226);
    check_interval(c.diff90, -0.0659234, 2.0659234);
    check_interval(c.relative95, std::expm1(std::log(1.1) - t975_4 * 0.5 / 11),
                   std::expm1(std::log(1.1) + t975_4 * 0.5 / 11));
    check_interval(c.relative95, -0.0304196, 0.2479625);
    check_interval(c.relative90, -0.0015907, 0.2119278);
  }
  SECTION("equal se, 9 dof each: 18 dof for diff, Satterthwaite of the relative terms for R") {
    // base {10, 1, 9}, cand {11, 1, 9}: diff dof (1 + 1)^2 / (2 / 9) = 18, diff95 = 1 -+
    // 2.100922 * sqrt 2 = [-1.9711524, 3.9711524], diff90 = 1 -+ 1.734064 * sqrt 2.
    // Relative terms wb = 1 / 10^2 = 0.01, wc = 1 / 11^2 = 0.00826446: se_log = sqrt(wb + wc) =
    // 0.1351461, dof = (wb + wc)^2 / (wb^2 / 9 + wc^2 / 9) = 17.838927, so relative95 lies
    // between exp(log 1.1 -+ t(17 or 18) se_log) - 1: low in [-0.1728946, -0.1718999], high in
    // [0.4611760, 0.4629332].
    const Change c = welch_change({10, 1, 9}, {11, 1, 9});
    check_interval(c.diff95, 1 - t975_18 * std::sqrt(2.0), 1 + t975_18 * std::sqrt(2.0));
    check_interval(c.diff95, -1.9711524, 3.9711524);
    check_interval(c.diff90, 1 - t95_18 * std::sqrt(2.0), 1 + t95_18 * std::sqrt(2.0));
    CHECK(c.dof == Approx(17.838927).epsilon(1e-7));
    CHECK(c.log_scale);
    const double se_log = std::sqrt(0.01 + 1.0 / 121);
    CHECK(c.relative95.low < std::expm1(std::log(1.1) - t975_18 * se_log));
    CHECK(c.relative95.low > std::expm1(std::log(1.1) - t975_17 * se_log));
    CHECK(c.relative95.high > std::expm1(std::log(1.1) + t975_18 * se_log));
    CHECK(c.relative95.high < std::expm1(std::log(1.1) + t975_17 * se_log));
    check_interval(c.relative95, std::expm1(std::log(1.1) - sim::metrics::t_quantile(0.975, 17.838927) * se_log),
                   std::expm1(std::log(1.1) + sim::metrics::t_quantile(0.975, 17.838927) * se_log));
  }
  SECTION("both dof infinite: normal quantiles") {
    // se = sqrt(0.09 + 0.16) = 0.5: diff95 = 1 -+ 1.959964 * 0.5 = [0.0200180, 1.9799820],
    // diff90 = 1 -+ 1.644854 * 0.5 = [0.1775732, 1.8224268]. se_log = sqrt(0.09 / 100 +
    // 0.16 / 121) = 0.04714143: relative95 = exp(log 1.1 -+ 1.959964 se_log) - 1 =
    // [0.0029189, 0.2064784].
    const Change c = welch_change({10, 0.3, inf}, {11, 0.4, inf});
    CHECK(std::isinf(c.dof));
    check_interval(c.diff95, 0.0200180, 1.9799820);
    check_interval(c.diff90, 1 - z95 * 0.5, 1 + z95 * 0.5);
    check_interval(c.diff90, 0.1775732, 1.8224268);
    check_interval(c.relative95, 0.0029189, 0.2064784);
    CHECK(z975 * 0.5 == Approx(0.979982).margin(1e-6)); // the 95 % diff half width above
  }
  SECTION("negative means: linear interval R - 1 -+ t sqrt(se_c^2 + R^2 se_b^2) / |b|") {
    // cand's se only: base {-10, 0}, cand {-11, 0.5, 4}: R = 1.1, se_ratio = 0.5 / 10 = 0.05,
    // dof 4: relative95 = 0.1 -+ 2.776445 * 0.05 = [-0.0388223, 0.2388223].
    const Change c = welch_change({-10, 0, inf}, {-11, 0.5, 4});
    CHECK(c.relative == Approx(0.1).epsilon(1e-12));
    CHECK_FALSE(c.log_scale);
    CHECK(c.dof == Approx(4).epsilon(1e-12));
    check_interval(c.relative95, -0.0388223, 0.2388223);
    // base's se only: base {-10, 0.5, 4}, cand {-11, 0}: se_ratio = sqrt(1.1^2 * 0.25) / 10 =
    // 0.055, relative95 = 0.1 -+ 2.776445 * 0.055 = [-0.0527045, 0.2527045].
    const Change b = welch_change({-10, 0.5, 4}, {-11, 0, inf});
    CHECK_FALSE(b.log_scale);
    check_interval(b.relative95, -0.0527045, 0.2527045);
  }
  SECTION("both se 0: zero-width intervals") {
    // No estimated variance at all: the relative intervals' dof is infinite (a known ratio).
    const Change c = welch_change({10, 0, inf}, {12, 0, inf});
    CHECK(std::isinf(c.dof));
    CHECK(c.log_scale);
    CHECK(c.diff95.low == 2);
    CHECK(c.diff95.high == 2);
    CHECK(c.diff90.low == 2);
    CHECK(c.diff90.high == 2);
    CHECK(c.relative == Approx(0.2).epsilon(1e-12));
    CHECK(same_bits(c.relative95.low, c.relative));
    CHECK(same_bits(c.relative95.high, c.relative));
    CHECK(same_bits(c.relative90.low, c.relative));
    CHECK(same_bits(c.relative90.high, c.relative));
  }
  SECTION("base mean 0: no relative change") {
    const Change c = welch_change({0, 1, 9}, {1, 1, 9});
    CHECK(c.diff == 1);
    CHECK(std::isnan(c.relative));
    CHECK(is_nan(c.relative95));
    CHECK(is_nan(c.relative90));
    check_interval(c.diff95, 1 - t975_18 * std::sqrt(2.0), 1 + t975_18 * std::sqrt(2.0));
  }
  SECTION("an unknown se (one replication) gives NaN intervals") {
    const std::vector<double> one{10};
    const Change c = welch_change(replication_estimate(one), {11, 0.5, 4});
    CHECK(c.diff == 1);
    CHECK(c.relative == Approx(0.1).epsilon(1e-12));
    CHECK(is_nan(c.diff95));
    CHECK(is_nan(c.diff90));
    CHECK(is_nan(c.relative95));
    CHECK(is_nan(c.relative90));
  }
}

TEST_CASE("welch_change of replication estimates agrees with a hand-computed Welch interval",
          "[reports][stats]") {
  // base {1, ..., 5}: mean 3, se sqrt(0.5), dof 4; cand {2, 4, 6, 8, 10}: mean 6, s^2 = 10,
  // se sqrt(2), dof 4. Variance sum 0.5 + 2 = 2.5, dof 2.5^2 / (0.25 / 4 + 4 / 4) = 6.25 /
  // 1.0625 = 5.882353; diff95 = 3 -+ t(0.975, 5.882353) sqrt 2.5, which lies between the
  // intervals with t(5) = 2.570582 and t(6) = 2.446912.
  const std::vector<double> base{1, 2, 3, 4, 5}, cand{2, 4, 6, 8, 10};
  const Change c = welch_change(replication_estimate(base), replication_estimate(cand));
  CHECK(c.diff == 3);
  const double half = c.diff95.high - 3;
  CHECK(3 - c.diff95.low == Approx(half).epsilon(1e-12));
  CHECK(half > 2.446912 * std::sqrt(2.5));
  CHECK(half < 2.570582 * std::sqrt(2.5));
  CHECK(half == Approx(sim::metrics::t_quantile(0.975, 6.25 / 1.0625) * std::sqrt(2.5)).epsilon(1e-9));
  // The relative change: wb = 0.5 / 9, wc = 2 / 36 (equal), dof (2 wb)^2 / (2 wb^2 / 4) = 8.
  CHECK(c.dof == Approx(8).epsilon(1e-12));
  CHECK(c.relative == Approx(1.0).epsilon(1e-12));
}
