#include "reports/stats.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
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
    const MannWhitney m = mann_whitney_u(a, b);
    CHECK(m.exact);
    CHECK(m.u == 0);
    CHECK(m.p_value == Approx(0.1));
  }
  SECTION("five against five: p = 2 / C(10, 5) = 2 / 252") {
    const std::vector<double> a{1, 2, 3, 4, 5}, b{6, 7, 8, 9, 10};
    const MannWhitney m = mann_whitney_u(a, b);
    CHECK(m.exact);
    CHECK(m.u == 0);
    CHECK(m.p_value == Approx(2.0 / 252.0));
  }
  SECTION("a above b gives U = n_a * n_b and the same p") {
    const std::vector<double> a{4, 5, 6}, b{1, 2, 3};
    const MannWhitney m = mann_whitney_u(a, b);
    CHECK(m.u == 9);
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
    const MannWhitney m = mann_whitney_u(a, b);
    CHECK(m.exact);
    CHECK(m.u == 1);
    CHECK(m.p_value == Approx(0.2));
  }
  SECTION("4 vs 4, one pair out of order") {
    // a = {1, 2, 3, 5}, b = {4, 6, 7, 8}: U = 1; U <= 1 for {1,2,3,4} and
    // {1,2,3,5} only, so p = 2 * 2 / C(8, 4) = 4 / 70.
    const std::vector<double> a{1, 2, 3, 5}, b{4, 6, 7, 8};
    const MannWhitney m = mann_whitney_u(a, b);
    CHECK(m.exact);
    CHECK(m.u == 1);
    CHECK(m.p_value == Approx(4.0 / 70.0));
  }
  SECTION("U at the centre of the distribution gives p = 1") {
    // a = {1, 4, 5, 8}, b = {2, 3, 6, 7}: U = 0 + 2 + 2 + 4 = 8 = n_a * n_b
    // / 2.
    const std::vector<double> a{1, 4, 5, 8}, b{2, 3, 6, 7};
    const MannWhitney m = mann_whitney_u(a, b);
    CHECK(m.u == 8);
    CHECK(m.p_value == 1.0);
  }
}

TEST_CASE("ties switch to the normal approximation with tie and continuity "
          "correction",
          "[reports][stats]") {
  // a = {1, 2, 2, 3}, b = {2, 3, 4, 4}. Pooled midranks: 1 -> 1, the three 2s
  // -> 3, the two 3s
  // -> 5.5, the two 4s -> 7.5. R_a = 1 + 3 + 3 + 5.5 = 12.5, U = 12.5 - 4 * 5 /
  // 2 = 2.5 (pairs: 2 vs 2 counts 1/2 twice, 3 > 2 once, 3 vs 3 one half). Mean
  // 8; tie term (27 - 3) + (8 - 2) + (8 - 2) = 36, variance 16 / 12 * (9 - 36 /
  // 56) = 11.142857, sd 3.338092; z = (5.5 - 0.5) / 3.338092 = 1.497862; p =
  // erfc(z / sqrt 2) = 0.134169.
  const std::vector<double> a{1, 2, 2, 3}, b{2, 3, 4, 4};
  const MannWhitney m = mann_whitney_u(a, b);
  CHECK_FALSE(m.exact);
  CHECK(m.u == 2.5);
  CHECK(m.p_value == Approx(0.134169).epsilon(1e-5));
}

TEST_CASE("swapping the samples gives U' = n_a * n_b - U and the same p", "[reports][stats]") {
  const std::vector<double> a{1, 2, 2, 3}, b{2, 3, 4, 4};
  const std::vector<double> c{1.5, 2.5, 9, 10, 11}, d{0.5, 3, 3.5, 4};
  const MannWhitney ab = mann_whitney_u(a, b), ba = mann_whitney_u(b, a);
  CHECK(ba.u == 16 - ab.u);
  CHECK(ba.p_value == Approx(ab.p_value));
  const MannWhitney cd = mann_whitney_u(c, d), dc = mann_whitney_u(d, c);
  CHECK(cd.exact);
  CHECK(dc.u == 20 - cd.u);
  CHECK(dc.p_value == Approx(cd.p_value));
}

TEST_CASE("identical samples give p = 1", "[reports][stats]") {
  const std::vector<double> a{3, 1, 2}, b{1, 2, 3};
  CHECK(mann_whitney_u(a, b).p_value == 1.0);
  const std::vector<double> same{7, 7, 7, 7};
  const MannWhitney m = mann_whitney_u(same, same);
  CHECK(m.u == 8);
  CHECK(m.p_value == 1.0);
}

TEST_CASE("an empty side gives p = 1 and NaN is rejected", "[reports][stats]") {
  const std::vector<double> a{1, 2, 3}, none;
  CHECK(mann_whitney_u(a, none).p_value == 1.0);
  CHECK(mann_whitney_u(none, a).p_value == 1.0);
  const std::vector<double> bad{1, std::nan("")};
  CHECK_THROWS_AS(mann_whitney_u(a, bad), std::invalid_argument);
}

TEST_CASE("large samples use the normal approximation, which agrees roughly "
          "with the exact p",
          "[reports][stats]") {
  // a = {0, ..., 29}, b = {5.5, ..., 34.5}: a_i > b_j iff j <= i - 6, so U = 1
  // + ... + 24 = 300 against a null mean of 450 (sd sqrt(30 * 30 * 61 / 12)
  // = 67.6), z ~ 2.2, p ~ 0.03.
  std::vector<double> a = ramp(30, 0);
  const std::vector<double> b = ramp(30, 5.5);
  const MannWhitney exact = mann_whitney_u(a, b);
  REQUIRE(exact.exact); // n_a + n_b = 60 is still enumerated
  CHECK(exact.u == 300);

  SECTION("a tie that leaves U unchanged forces the approximation") {
    a[1] = a[0];
    const MannWhitney approx = mann_whitney_u(a, b);
    CHECK_FALSE(approx.exact);
    CHECK(approx.u == 300);
    CHECK(approx.p_value == Approx(exact.p_value).epsilon(0.05));
  }
  SECTION("31 against 31 values without ties is past the exact limit") {
    const MannWhitney approx = mann_whitney_u(ramp(31, 0), ramp(31, 5.5));
    CHECK_FALSE(approx.exact);
    CHECK(approx.u == 325); // 1 + ... + 25
    CHECK(approx.p_value == Approx(exact.p_value).epsilon(0.3));
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
  }
}

TEST_CASE("the bootstrap of the relative change is deterministic and brackets "
          "the estimate",
          "[reports][stats]") {
  const std::vector<double> base{10, 11, 9, 10.5, 9.5, 10.2, 9.8, 10.1};
  const std::vector<double> cand{12, 11.5, 12.5, 11.8, 12.2, 12.1, 11.9, 12.4};
  const ChangeCI c = bootstrap_relative_change(base, cand);

  SECTION("same inputs and seed give identical bits") {
    const ChangeCI again = bootstrap_relative_change(base, cand);
    CHECK(same_bits(c.estimate, again.estimate));
    CHECK(same_bits(c.low, again.low));
    CHECK(same_bits(c.high, again.high));
  }
  SECTION("the estimate is the plain ratio of means and lies inside the interval") {
    // mean(base) = 80.1 / 8, mean(cand) = 96.4 / 8.
    CHECK(c.estimate == Approx((96.4 - 80.1) / 80.1));
    CHECK(c.low < c.estimate);
    CHECK(c.estimate < c.high);
  }
  SECTION("another seed moves the bounds only slightly") {
    const ChangeCI other = bootstrap_relative_change(base, cand, 2);
    CHECK(other.estimate == c.estimate);
    CHECK(other.low == Approx(c.low).epsilon(0.02));
    CHECK(other.high == Approx(c.high).epsilon(0.02));
  }
  SECTION("four times the data gives a narrower interval") {
    std::vector<double> base4, cand4;
    for (int k = 0; k < 4; ++k) {
      base4.insert(base4.end(), base.begin(), base.end());
      cand4.insert(cand4.end(), cand.begin(), cand.end());
    }
    const ChangeCI c4 = bootstrap_relative_change(base4, cand4);
    CHECK(c4.estimate == Approx(c.estimate));
    CHECK(c4.high - c4.low < 0.7 * (c.high - c.low));
  }
}

TEST_CASE("a constant offset has a zero-width bootstrap interval", "[reports][stats]") {
  const std::vector<double> base(5, 10.0), cand(5, 12.0);
  const ChangeCI c = bootstrap_relative_change(base, cand);
  CHECK(c.estimate == 0.2);
  CHECK(c.low == 0.2);
  CHECK(c.high == 0.2);
}

TEST_CASE("the relative change is NaN for a zero base mean or an empty side", "[reports][stats]") {
  const std::vector<double> zero{-1, 1}, some{1, 2}, none;
  for (const ChangeCI& c :
       {bootstrap_relative_change(zero, some), bootstrap_relative_change(none, some),
        bootstrap_relative_change(some, none)}) {
    CHECK(std::isnan(c.estimate));
    CHECK(std::isnan(c.low));
    CHECK(std::isnan(c.high));
  }
  CHECK_THROWS_AS(bootstrap_relative_change(some, some, 1, 0), std::invalid_argument);
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
