#include "sim/engine/random.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <vector>

using sim::engine::RandomStream;
using sim::engine::stable_hash;

namespace {

std::vector<std::uint64_t> first_values(RandomStream rng, int n = 1000) {
  std::vector<std::uint64_t> out;
  out.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) out.push_back(rng.next());
  return out;
}

int equal_positions(const std::vector<std::uint64_t>& a, const std::vector<std::uint64_t>& b) {
  int same = 0;
  for (std::size_t i = 0; i < a.size(); ++i) same += a[i] == b[i] ? 1 : 0;
  return same;
}

} // namespace

TEST_CASE("the same seed, replication and entity name give the same sequence", "[random]") {
  const auto a = first_values(RandomStream(7, 3, "drive/shelf-1/7"));
  const auto b = first_values(RandomStream(7, 3, "drive/shelf-1/7"));
  REQUIRE(a == b);
}

TEST_CASE("a different name, replication or seed gives a different sequence", "[random]") {
  const auto base = first_values(RandomStream(7, 3, "drive/shelf-1/7"));
  SECTION("name") {
    REQUIRE(equal_positions(base, first_values(RandomStream(7, 3, "drive/shelf-1/8"))) == 0);
  }
  SECTION("replication") {
    REQUIRE(equal_positions(base, first_values(RandomStream(7, 4, "drive/shelf-1/7"))) == 0);
  }
  SECTION("seed") {
    REQUIRE(equal_positions(base, first_values(RandomStream(8, 3, "drive/shelf-1/7"))) == 0);
  }
  SECTION("seed and replication are not interchangeable") {
    REQUIRE(equal_positions(first_values(RandomStream(3, 7, "drive/shelf-1/7")),
                            first_values(RandomStream(7, 3, "drive/shelf-1/7"))) == 0);
  }
}

TEST_CASE("creating another entity's stream does not change an entity's draws", "[random]") {
  RandomStream a_alone(42, 0, "drive/d0");
  const auto before = first_values(a_alone);

  RandomStream b(42, 0, "drive/d1");
  for (int i = 0; i < 500; ++i) (void)b.next();
  RandomStream a_after(42, 0, "drive/d0");
  std::vector<std::uint64_t> interleaved;
  for (int i = 0; i < 1000; ++i) {
    interleaved.push_back(a_after.next());
    (void)b.next();
  }
  REQUIRE(interleaved == before);
}

TEST_CASE("streams of neighbouring names are uncorrelated", "[random]") {
  // Pearson correlation of N uniforms has standard error 1/sqrt(N); 5 SE is the bound.
  constexpr int n = 100'000;
  RandomStream x(1, 0, "drive/d0");
  RandomStream y(1, 0, "drive/d1");
  double sxy = 0, sx = 0, sy = 0, sxx = 0, syy = 0;
  for (int i = 0; i < n; ++i) {
    const double u = x.uniform01();
    const double v = y.uniform01();
    sx += u;
    sy += v;
    sxy += u * v;
    sxx += u * u;
    syy += v * v;
  }
  const double cov = sxy / n - (sx / n) * (sy / n);
  const double var_x = sxx / n - (sx / n) * (sx / n);
  const double var_y = syy / n - (sy / n) * (sy / n);
  const double r = cov / std::sqrt(var_x * var_y);
  REQUIRE(std::abs(r) <= 5.0 / std::sqrt(n));
}

TEST_CASE("the first raw outputs of a named stream are pinned across builds", "[random]") {
  // Determinism contract: these constants fix stable_hash, the key mixing, the SplitMix64
  // seeding and xoshiro256**. Changing any of them changes every run's results. They were
  // computed once and cross-checked with an independent implementation of the reference
  // algorithms (xoshiro256** from state {1,2,3,4} gives 11520, 0, 1509978240, ...).
  RandomStream rng(42, 0, "drive/d0");
  CHECK(rng.next() == 0x8967c7f7f7fb7e7bULL);
  CHECK(rng.next() == 0x56e7c2b5bd50828dULL);
  CHECK(rng.next() == 0x8aed63a727270732ULL);
  CHECK(rng.next() == 0x2791d8c35945bcc6ULL);
  CHECK(stable_hash("") == 0xf52a15e9a9b5e89bULL);
  CHECK(stable_hash("drive/d0") == 0x37abc4893473bbdbULL);
}

TEST_CASE("uniform01 lies in 0 <= u < 1 and uniform01_open_low in 0 < u <= 1", "[random]") {
  RandomStream rng(5, 0, "test/uniform01");
  double sum = 0;
  constexpr int n = 100'000;
  for (int i = 0; i < n; ++i) {
    const double u = rng.uniform01();
    REQUIRE(u >= 0.0);
    REQUIRE(u < 1.0);
    const double v = rng.uniform01_open_low();
    REQUIRE(v > 0.0);
    REQUIRE(v <= 1.0);
    sum += u;
  }
  // Mean of U(0,1) has standard error sqrt(1/12)/sqrt(n); allow 5 SE.
  REQUIRE(std::abs(sum / n - 0.5) <= 5 * std::sqrt(1.0 / 12.0) / std::sqrt(n));
}

TEST_CASE("below(n) stays in 0 <= x < n", "[random]") {
  RandomStream rng(5, 0, "test/below-range");
  const std::uint64_t bounds[] = {1, 2, 3, 7, 1000, (std::uint64_t{1} << 63) + 1,
                                  ~std::uint64_t{0}};
  for (std::uint64_t n : bounds) {
    for (int i = 0; i < 10'000; ++i) REQUIRE(rng.below(n) < n);
  }
  REQUIRE(rng.below(1) == 0);
}

TEST_CASE("below(n) is unbiased: chi-square over 10 cells passes at the 0.1% level", "[random]") {
  // N = 100000 draws of below(10): expected 10000 per cell. Pearson's statistic has 9 degrees
  // of freedom; its 0.999 quantile is 27.877. The seed is fixed, not chosen to pass.
  constexpr int n = 100'000;
  constexpr int cells = 10;
  std::array<int, cells> counts{};
  RandomStream rng(5, 0, "test/below-chi2");
  for (int i = 0; i < n; ++i) ++counts[rng.below(cells)];
  const double expected = static_cast<double>(n) / cells;
  double chi2 = 0;
  for (int c : counts) chi2 += (c - expected) * (c - expected) / expected;
  REQUIRE(chi2 < 27.877);
}

TEST_CASE("below(0) is a programming error", "[random]") {
  RandomStream rng(5, 0, "test/below-zero");
  REQUIRE_THROWS_AS(rng.below(0), std::invalid_argument);
}
