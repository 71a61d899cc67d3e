// Distributions of durations (latencies, think times, lifetimes, management latency).
//
// A Distribution is a small value type (no allocation except the empirical sample table, which
// is shared and immutable). sample() draws a Duration from a RandomStream; draws are truncated
// at 0 and values beyond the int64 nanosecond range saturate to `forever` ("never happens").
// Floating point is used only inside a draw (log/exp/pow/sqrt/cos from the C library; uniform
// and empirical draws are integer-only), with the project's reproducible-FP build flags, so a
// draw is a pure function of the stream state.
//
// Parameters (all durations in ns through base::Duration):
//   constant     value                   (>= 0)
//   uniform      min, max                (0 <= min <= max; integer ns, both ends included)
//   exponential  mean                    (> 0)
//   normal       mean, stddev            (both >= 0) truncated at 0 by rejection (resampled
//                                        until >= 0; after 1000 rejections the draw is 0)
//   lognormal    mu, sigma of ln(seconds) (finite, sigma >= 0); or built from median and p99
//                                        (0 < median < p99)
//   weibull      shape k > 0, scale λ > 0, location (shift) >= 0
//   empirical    a non-empty list of sample durations (each >= 0); a draw picks one uniformly
//
// Factories throw std::invalid_argument on parameters outside these ranges: that is a
// programming error, since the scenario layer validates user input first.
//
// Part of the determinism contract: how many raw values a draw consumes and in which order
// (normal and lognormal use Box-Muller with two fresh uniforms per attempt, nothing cached),
// and the conversion of a real number of ns to Duration (round to nearest; negative or NaN
// -> 0; >= 2^63 ns -> forever).
#pragma once

#include "sim/base/time.hpp"
#include "sim/engine/random.hpp"

#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

namespace sim::engine {

enum class DistKind { Constant, Uniform, Exponential, Normal, Lognormal, Weibull, Empirical };

const char* to_string(DistKind k);

class Distribution {
public:
  /// Constant zero.
  Distribution() = default;

  static Distribution constant(base::Duration value);
  static Distribution uniform(base::Duration min, base::Duration max);
  static Distribution exponential(base::Duration mean);
  /// Exponential with a mean given in seconds (> 0, finite), which may exceed the int64 ns range
  /// (a drive with AFR 0.1 % lives 1,000 years on average): draws beyond it saturate to `forever`.
  static Distribution exponential_seconds(double mean_seconds);
  static Distribution normal(base::Duration mean, base::Duration stddev);
  /// ln(X / 1 s) ~ Normal(mu, sigma).
  static Distribution lognormal(double mu, double sigma);
  /// Lognormal with the given median and 99th percentile (sigma = ln(p99/median) / z_0.99).
  static Distribution lognormal_median_p99(base::Duration median, base::Duration p99);
  static Distribution weibull(double shape, base::Duration scale, base::Duration location = {});
  static Distribution empirical(std::vector<base::Duration> samples);

  base::Duration sample(RandomStream& rng) const;
  /// Residual life: a draw of X - age given X > age (a lifetime of something that has already
  /// survived `age`). Exponential: sample() (memoryless). Weibull: exact inversion of the
  /// conditional survival function, one raw value. Constant and uniform: exact. Empirical: a
  /// uniform pick among the samples above `age` (zero when there is none). Normal and
  /// lognormal: rejection, at most 10,000 draws, then zero. age <= 0: sample().
  base::Duration sample_residual(RandomStream& rng, base::Duration age) const;

  DistKind kind() const { return kind_; }
  /// Exact mean where defined in closed form (empirical: the sample mean), in seconds.
  /// Normal: the mean of the distribution truncated at 0. Saturation to `forever` is ignored.
  double mean_seconds() const;
  /// Quantile q in (0,1) in seconds (closed form; normal: of the truncated distribution;
  /// empirical: nearest rank). Throws std::invalid_argument for q outside (0,1).
  double quantile_seconds(double q) const;
  /// True when every draw returns the same value (constant).
  bool is_constant() const { return kind_ == DistKind::Constant; }

  /// True for laws with a density, whose hazard is defined: exponential, weibull, and uniform,
  /// normal and lognormal of non-zero spread (not constant, not empirical).
  bool has_hazard() const;
  /// The cumulative hazard H(x) = -ln S(x) at `age` x (dimensionless; +infinity where the
  /// survival S is 0), and the hazard rate h(x) = H'(x) in events per second (+infinity at the
  /// end of a bounded support). Normal: of the law truncated at 0. Requires has_hazard().
  double cumulative_hazard(base::Duration age) const;
  double hazard_per_second(base::Duration age) const;

  /// "exponential(mean=5ms)" style text for logs and summaries.
  std::string describe() const;

private:
  // Per kind: a_, b_ as doubles used by draws; d0_, d1_ as the exact parameters.
  //   constant     d0_ value
  //   uniform      d0_ min, d1_ max
  //   exponential  a_ mean (ns), d0_ mean
  //   normal       a_ mean (ns), b_ stddev (ns), d0_ mean, d1_ stddev
  //   lognormal    a_ mu, b_ sigma; d0_ median, d1_ p99 when built from them (else zero)
  //   weibull      a_ shape, b_ scale (ns), d0_ location, d1_ scale
  //   empirical    a_ sample mean (s), samples_ sorted ascending (a draw depends on the
  //                multiset of samples, not on their order)
  DistKind kind_ = DistKind::Constant;
  double a_ = 0;
  double b_ = 0;
  base::Duration d0_{};
  base::Duration d1_{};
  std::shared_ptr<const std::vector<base::Duration>> samples_;
};

std::ostream& operator<<(std::ostream& os, const Distribution& d);

} // namespace sim::engine
