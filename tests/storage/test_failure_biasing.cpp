// Failure biasing (storage/array.hpp, "Failure biasing"; FailureProcesses): the likelihood ratio
// of each biased window and failure, and the unbiasedness and efficiency of the weighted
// estimate of P(loss by T) against the exact chain.
#include "tests/support/array_fixture.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <chrono>
#include <cmath>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using namespace sim::base::size_literals;
using sim::base::Duration;
using sim::engine::Distribution;
using sim::storage::FailureBiasing;
using sim::storage::Lifetime;
using sim::storage::RaidLevel;
using sim::storage::RebuildMode;
using sim::storage::RepairConfig;
using sim::testing::ArrayFixture;

namespace {

constexpr double hours = 3600.0;

RepairConfig law_repair(Duration mean, bool exponential) {
  RepairConfig c;
  c.mode = RebuildMode::Law;
  c.rebuild_duration = exponential ? Distribution::exponential(mean) : Distribution::constant(mean);
  c.replace_after = Distribution::constant(Duration{0});
  return c;
}

/// P(state L by t) of a continuous-time chain with generator q (rows sum to 0) from state 0, by
/// uniformisation: sum over k of Poisson(k; Lt) (P^k)[0][L], P = I + q / L.
template <std::size_t N>
double absorbed_by(const std::array<std::array<double, N>, N>& q, std::size_t lost, double t) {
  double rate = 0;
  for (std::size_t i = 0; i < N; ++i) rate = std::max(rate, -q[i][i]);
  std::array<double, N> v{};
  v[0] = 1;
  double weight = std::exp(-rate * t), total = 0, mass = 0;
  for (int k = 0; k < 100000 && mass < 1 - 1e-15; ++k) {
    total += weight * v[lost];
    mass += weight;
    std::array<double, N> next{};
    for (std::size_t i = 0; i < N; ++i)
      for (std::size_t j = 0; j < N; ++j) next[j] += v[i] * ((i == j ? 1.0 : 0.0) + q[i][j] / rate);
    v = next;
    weight *= rate * t / (k + 1);
  }
  return total;
}

struct Estimate {
  double mean = 0, se = 0;
  std::uint64_t hits = 0;
};

/// R replications of a RAID-5 2+1 group (3 drives and 3 spares, each of exponential life MTTF,
/// exponential rebuilds of mean `repair`, replacements at once) run to `horizon`; the estimate
/// of P(loss by the horizon) weights each replication's first loss by the array's likelihood
/// ratio then (1 without biasing).
Estimate p_loss(std::uint64_t replications, Duration mttf, Duration repair, Duration horizon, bool biased) {
  const Lifetime life{Distribution::exponential(mttf), {}};
  double sum = 0, sum2 = 0;
  Estimate e;
  for (std::uint64_t r = 0; r < replications; ++r) {
    ArrayFixture f{{.drives = 6, .seed = 11, .replication = r}};
    f.array.set_repair(law_repair(repair, true));
    if (biased) f.array.set_failure_biasing(FailureBiasing{0.5});
    f.make_lun(RaidLevel::Raid5, {0, 1, 2}, 64_MiB);
    for (std::uint32_t s = 3; s < 6; ++s) f.array.set_hot_spare(s, true);
    for (std::uint32_t s = 0; s < 6; ++s) f.array.set_lifetime(s, &life);
    f.run_until(horizon);
    double y = 0;
    for (const auto& loss : f.array.stats().losses)
      if (loss.whole_lun) {
        y = std::exp(loss.system_log_weight);
        ++e.hits;
        break;
      }
    sum += y;
    sum2 += y * y;
  }
  const auto n = static_cast<double>(replications);
  e.mean = sum / n;
  e.se = std::sqrt(std::max(0.0, sum2 / n - e.mean * e.mean) / (n - 1));
  return e;
}

} // namespace

TEST_CASE("a biased window weighs -(H(a1) - H(a0)) + c dt per survivor, a biased failure ln h - ln c more",
          "[storage][biasing]") {
  // RAID-5 2+1 on d0..d2, a spare d3, exponential lives of MTTF 1000 h (h = 1/1000 per hour),
  // constant 10 h rebuilds. d0 is failed by hand at 1 h: the LUN is exposed for 10 h and its
  // two survivors are biased at c = -ln(1 - p) / (2 x 10 h). Whatever happens in the window,
  // the array's log weight is what the algebra says of the observed path.
  ArrayFixture f{{.drives = 4, .seed = 3}};
  f.array.set_repair(law_repair(10h, false));
  const double p = 0.3;
  f.array.set_failure_biasing(FailureBiasing{p});
  const Lifetime life{Distribution::exponential(1000h), {}};
  f.make_lun(RaidLevel::Raid5, {0, 1, 2}, 64_MiB);
  f.array.set_hot_spare(3, true);
  for (std::uint32_t s = 0; s < 4; ++s) f.array.set_lifetime(s, &life);
  f.fail_at(1h, 0);
  f.run_until(20h);
  f.array.settle_weights();
  const double c = -std::log1p(-p) / (2 * 10 * hours), h = 1.0 / (1000 * hours);
  const auto failures = f.events.matching("drive_failed");
  INFO(f.events.text());
  if (failures.size() == 1) {
    // No biased failure: both survivors weigh (c - h) x 10 h, the rest of the path nothing.
    CHECK(f.array.stats().log_weight == Approx(2 * (c - h) * 10 * hours).epsilon(1e-9));
    CHECK(f.array.stats().losses.empty());
  } else {
    // A survivor failed at t (the loss): the window of both survivors lasted t - 1 h, and the
    // failure adds ln h - ln c.
    REQUIRE(f.array.stats().losses.size() == 1);
    const double t = 1e-9 * static_cast<double>(f.array.stats().losses[0].time.time_since_epoch().count());
    CHECK(f.array.stats().losses[0].system_log_weight ==
          Approx(2 * (c - h) * (t - hours) + std::log(h) - std::log(c)).epsilon(1e-9));
  }
}

TEST_CASE("weighted by their likelihood ratios, biased losses estimate P(loss by T) of the true chain, with far "
          "less variance than plain Monte Carlo",
          "[storage][biasing]") {
  // RAID-5 2+1, MTTF 2000 h, exponential rebuilds of mean 20 h, replacements at once and spares
  // enough: the exact chain is 0 -(3 lambda)-> 1 -(mu)-> 0, 1 -(2 lambda)-> lost (a failure of
  // the rebuild target restarts the memoryless rebuild: the chain is unchanged). Over T = 200 h,
  // P(loss) = exact below. Both estimators run R = 1500 replications; each must lie within 4 of
  // its standard errors of the exact value (a false failure has probability ~6e-5 per check for
  // a normal estimate), and biasing must shrink the standard error at least 3-fold (about 4.5 x
  // measured: the plain estimate sees ~10 losses, the biased one ~250).
  const double lambda = 1.0 / 2000, mu = 1.0 / 20;
  const std::array<std::array<double, 3>, 3> q{{{-3 * lambda, 3 * lambda, 0},
                                                {mu, -(mu + 2 * lambda), 2 * lambda},
                                                {0, 0, 0}}};
  const double exact = absorbed_by(q, 2, 200.0);
  const Estimate plain = p_loss(1500, 2000h, 20h, 200h, false);
  const Estimate is = p_loss(1500, 2000h, 20h, 200h, true);
  INFO("exact " << exact << " plain " << plain.mean << " +- " << plain.se << " (" << plain.hits << " losses), IS "
                << is.mean << " +- " << is.se << " (" << is.hits << " losses)");
  CHECK(std::abs(plain.mean - exact) <= 4 * plain.se);
  CHECK(std::abs(is.mean - exact) <= 4 * is.se);
  CHECK(is.se * 3 <= plain.se);
  CHECK(is.hits > 10 * plain.hits);
}
