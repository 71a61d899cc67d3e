#include "sim/engine/distribution.hpp"

#include "sim/base/int128.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <cstdio>
#include <numbers>
#include <ostream>
#include <stdexcept>

namespace sim::engine {
namespace {

using base::Duration;

constexpr double ns_per_second = 1e9;
constexpr double two_pi = 2 * std::numbers::pi;
constexpr double z_0_99 = 2.3263478740408408;
constexpr double two_pow_63 = 9223372036854775808.0;
constexpr int normal_max_tries = 1000;

double to_ns(Duration d) { return static_cast<double>(d.count()); }
double to_seconds(Duration d) { return static_cast<double>(d.count()) / ns_per_second; }

// Round to the nearest ns; negative and NaN give 0, anything at or beyond 2^63 ns gives forever.
Duration from_ns(double ns) {
  if (!(ns > 0.0)) return Duration::zero();
  const double rounded = std::round(ns);
  if (rounded >= two_pow_63) return base::forever;
  return Duration{static_cast<std::int64_t>(rounded)};
}

Duration from_seconds(double s) { return from_ns(s * ns_per_second); }

// Box-Muller, both uniforms drawn fresh on every call, in a fixed order.
double standard_normal(RandomStream& rng) {
  const double u1 = rng.uniform01_open_low();
  const double u2 = rng.uniform01();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(two_pi * u2);
}

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }
double normal_pdf(double x) { return std::exp(-0.5 * x * x) / std::sqrt(two_pi); }

// Acklam's rational approximation refined by one Halley step (full double precision).
double normal_quantile(double p) {
  static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                                 -2.759285104469687e+02, 1.383577518672690e+02,
                                 -3.066479806614716e+01, 2.506628277459239e+00};
  static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                                 -1.556989798598866e+02, 6.680131188771972e+01,
                                 -1.328068155288572e+01};
  static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                                 -2.400758277161838e+00, -2.549732539343734e+00,
                                 4.374664141464968e+00,  2.938163982698783e+00};
  static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
                                 2.445134137142996e+00, 3.754408661907416e+00};
  constexpr double p_low = 0.02425;
  double x = 0;
  if (p < p_low) {
    const double q = std::sqrt(-2.0 * std::log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
  } else if (p <= 1.0 - p_low) {
    const double q = p - 0.5;
    const double r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1.0);
  } else {
    const double q = std::sqrt(-2.0 * std::log1p(-p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
  }
  const double e = normal_cdf(x) - p;
  const double u = e * std::sqrt(two_pi) * std::exp(0.5 * x * x);
  return x - u / (1.0 + 0.5 * x * u);
}

std::string format_number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

// Largest unit in which the value has at most three decimals: 1.5ms, 461386h, 1234.567us.
std::string format_duration(Duration d) {
  if (d == base::forever) return "forever";
  if (d == Duration::min()) return std::to_string(d.count()) + "ns";
  if (d < Duration::zero()) return "-" + format_duration(-d);
  struct Unit {
    std::int64_t ns;
    const char* name;
  };
  static constexpr Unit units[] = {{86'400'000'000'000, "d"}, {3'600'000'000'000, "h"},
                                   {60'000'000'000, "m"},     {1'000'000'000, "s"},
                                   {1'000'000, "ms"},         {1'000, "us"}};
  const std::int64_t v = d.count();
  for (const Unit& u : units) {
    if (v < u.ns || v % (u.ns / 1000) != 0) continue;
    std::string text = std::to_string(v / u.ns);
    std::int64_t milli = (v % u.ns) / (u.ns / 1000);
    if (milli != 0) {
      char frac[8];
      std::snprintf(frac, sizeof frac, ".%03d", static_cast<int>(milli));
      std::string f = frac;
      while (f.back() == '0') f.pop_back();
      text += f;
    }
    return text + u.name;
  }
  return std::to_string(v) + "ns";
}

[[noreturn]] void invalid(const char* factory, const std::string& what) {
  throw std::invalid_argument(std::string("Distribution::") + factory + ": " + what);
}

void require_non_negative(const char* factory, const char* name, Duration d) {
  if (d < Duration::zero())
    invalid(factory, std::string(name) + " must be >= 0 (got " + format_duration(d) + ")");
}

void require_positive(const char* factory, const char* name, Duration d) {
  if (d <= Duration::zero())
    invalid(factory, std::string(name) + " must be > 0 (got " + format_duration(d) + ")");
}

} // namespace

const char* to_string(DistKind k) {
  switch (k) {
  case DistKind::Constant: return "constant";
  case DistKind::Uniform: return "uniform";
  case DistKind::Exponential: return "exponential";
  case DistKind::Normal: return "normal";
  case DistKind::Lognormal: return "lognormal";
  case DistKind::Weibull: return "weibull";
  case DistKind::Empirical: return "empirical";
  }
  return "unknown";
}

Distribution Distribution::constant(Duration value) {
  require_non_negative("constant", "value", value);
  Distribution d;
  d.d0_ = value;
  return d;
}

Distribution Distribution::uniform(Duration min, Duration max) {
  require_non_negative("uniform", "min", min);
  if (max < min)
    invalid("uniform", "max must be >= min (got min=" + format_duration(min) +
                           ", max=" + format_duration(max) + ")");
  Distribution d;
  d.kind_ = DistKind::Uniform;
  d.d0_ = min;
  d.d1_ = max;
  return d;
}

Distribution Distribution::exponential_seconds(double mean_seconds) {
  if (!(mean_seconds > 0) || !std::isfinite(mean_seconds))
    throw std::invalid_argument("exponential_seconds: the mean must be positive and finite");
  Distribution d;
  d.kind_ = DistKind::Exponential;
  d.a_ = mean_seconds * 1e9;
  d.d0_ = from_ns(d.a_);
  return d;
}

Distribution Distribution::exponential(Duration mean) {
  require_positive("exponential", "mean", mean);
  Distribution d;
  d.kind_ = DistKind::Exponential;
  d.a_ = to_ns(mean);
  d.d0_ = mean;
  return d;
}

Distribution Distribution::normal(Duration mean, Duration stddev) {
  require_non_negative("normal", "mean", mean);
  require_non_negative("normal", "stddev", stddev);
  Distribution d;
  d.kind_ = DistKind::Normal;
  d.a_ = to_ns(mean);
  d.b_ = to_ns(stddev);
  d.d0_ = mean;
  d.d1_ = stddev;
  return d;
}

Distribution Distribution::lognormal(double mu, double sigma) {
  if (!std::isfinite(mu)) invalid("lognormal", "mu must be finite (got " + format_number(mu) + ")");
  if (!std::isfinite(sigma) || sigma < 0)
    invalid("lognormal", "sigma must be finite and >= 0 (got " + format_number(sigma) + ")");
  Distribution d;
  d.kind_ = DistKind::Lognormal;
  d.a_ = mu;
  d.b_ = sigma;
  return d;
}

Distribution Distribution::lognormal_median_p99(Duration median, Duration p99) {
  require_positive("lognormal", "median", median);
  if (p99 <= median)
    invalid("lognormal", "p99 must be > median (got median=" + format_duration(median) +
                             ", p99=" + format_duration(p99) + ")");
  Distribution d;
  d.kind_ = DistKind::Lognormal;
  d.a_ = std::log(to_seconds(median));
  d.b_ = std::log(to_ns(p99) / to_ns(median)) / z_0_99;
  d.d0_ = median;
  d.d1_ = p99;
  return d;
}

Distribution Distribution::weibull(double shape, Duration scale, Duration location) {
  if (!std::isfinite(shape) || shape <= 0)
    invalid("weibull", "shape must be finite and > 0 (got " + format_number(shape) + ")");
  require_positive("weibull", "scale", scale);
  require_non_negative("weibull", "location", location);
  Distribution d;
  d.kind_ = DistKind::Weibull;
  d.a_ = shape;
  d.b_ = to_ns(scale);
  d.d0_ = location;
  d.d1_ = scale;
  return d;
}

Distribution Distribution::empirical(std::vector<Duration> samples) {
  if (samples.empty()) invalid("empirical", "needs at least one sample");
  base::Int128 sum = 0;
  for (Duration s : samples) {
    require_non_negative("empirical", "every sample", s);
    sum += s.count();
  }
  std::sort(samples.begin(), samples.end());
  Distribution d;
  d.kind_ = DistKind::Empirical;
  const auto n = static_cast<base::Int128>(samples.size());
  const base::Int128 whole = sum / n;
  const base::Int128 rest = sum % n;
  d.a_ = (static_cast<double>(whole) +
          static_cast<double>(rest) / static_cast<double>(samples.size())) /
         ns_per_second;
  d.samples_ = std::make_shared<const std::vector<Duration>>(std::move(samples));
  return d;
}

Duration Distribution::sample(RandomStream& rng) const {
  switch (kind_) {
  case DistKind::Constant: return d0_;
  case DistKind::Uniform: {
    const auto span = static_cast<std::uint64_t>((d1_ - d0_).count()) + 1;
    return d0_ + Duration{static_cast<std::int64_t>(rng.below(span))};
  }
  case DistKind::Exponential: return from_ns(-a_ * std::log(rng.uniform01_open_low()));
  case DistKind::Normal:
    for (int i = 0; i < normal_max_tries; ++i) {
      const double x = a_ + b_ * standard_normal(rng);
      if (x >= 0) return from_ns(x);
    }
    return Duration::zero();
  case DistKind::Lognormal: return from_seconds(std::exp(a_ + b_ * standard_normal(rng)));
  case DistKind::Weibull: {
    const double e = -std::log(rng.uniform01_open_low());
    return base::saturating_add(d0_, from_ns(b_ * std::pow(e, 1.0 / a_)));
  }
  case DistKind::Empirical: return (*samples_)[rng.below(samples_->size())];
  }
  return Duration::zero();
}

Duration Distribution::sample_residual(RandomStream& rng, Duration age) const {
  if (age <= Duration::zero()) return sample(rng);
  switch (kind_) {
  case DistKind::Constant: return d0_ > age ? d0_ - age : Duration::zero();
  case DistKind::Uniform: {
    if (age >= d1_) return Duration::zero();
    const Duration lo = std::max(d0_, age + Duration{1});
    const auto span = static_cast<std::uint64_t>((d1_ - lo).count()) + 1;
    return lo + Duration{static_cast<std::int64_t>(rng.below(span))} - age;
  }
  case DistKind::Exponential: return sample(rng);
  case DistKind::Weibull: {
    // S(t) = exp(-((t - loc) / scale)^k): given survival to t0 = age - loc > 0, the residual
    // is scale * ((t0 / scale)^k + E)^(1/k) - t0 with E ~ Exp(1).
    const double e = -std::log(rng.uniform01_open_low());
    const double t0 = static_cast<double>((age - d0_).count());
    if (t0 <= 0) return base::saturating_add(d0_ - age, from_ns(b_ * std::pow(e, 1.0 / a_)));
    const double x = b_ * std::pow(std::pow(t0 / b_, a_) + e, 1.0 / a_);
    return from_ns(x - t0);
  }
  case DistKind::Empirical: {
    const auto first = std::upper_bound(samples_->begin(), samples_->end(), age);
    const auto n = static_cast<std::uint64_t>(samples_->end() - first);
    if (n == 0) return Duration::zero();
    return *(first + static_cast<std::ptrdiff_t>(rng.below(n))) - age;
  }
  case DistKind::Normal:
  case DistKind::Lognormal:
    for (int i = 0; i < 10'000; ++i) {
      const Duration x = sample(rng);
      if (x > age) return x - age;
    }
    return Duration::zero();
  }
  return Duration::zero();
}

double Distribution::mean_seconds() const {
  switch (kind_) {
  case DistKind::Constant: return to_seconds(d0_);
  case DistKind::Uniform: return (to_seconds(d0_) + to_seconds(d1_)) / 2;
  case DistKind::Exponential: return a_ / ns_per_second;
  case DistKind::Normal: {
    if (b_ == 0) return a_ / ns_per_second;
    const double alpha = -a_ / b_;
    const double kept = 0.5 * std::erfc(alpha / std::sqrt(2.0));
    return (a_ + b_ * normal_pdf(alpha) / kept) / ns_per_second;
  }
  case DistKind::Lognormal: return std::exp(a_ + 0.5 * b_ * b_);
  case DistKind::Weibull: return to_seconds(d0_) + b_ * std::tgamma(1.0 + 1.0 / a_) / ns_per_second;
  case DistKind::Empirical: return a_;
  }
  return 0;
}

bool Distribution::has_hazard() const {
  switch (kind_) {
  case DistKind::Exponential:
  case DistKind::Weibull: return true;
  case DistKind::Uniform: return d1_ > d0_;
  case DistKind::Normal:
  case DistKind::Lognormal: return b_ > 0;
  case DistKind::Constant:
  case DistKind::Empirical: return false;
  }
  return false;
}

double Distribution::cumulative_hazard(Duration age) const {
  const double x = static_cast<double>(age.count());  // ns
  const double inf = std::numeric_limits<double>::infinity();
  switch (kind_) {
  case DistKind::Exponential: return x <= 0 ? 0 : x / a_;
  case DistKind::Weibull: {
    const double t = x - static_cast<double>(d0_.count());
    return t <= 0 ? 0 : std::pow(t / b_, a_);
  }
  case DistKind::Uniform: {
    const double lo = static_cast<double>(d0_.count()), hi = static_cast<double>(d1_.count());
    if (x < lo) return 0;
    if (x >= hi) return inf;
    return -std::log((hi - x) / (hi - lo));
  }
  case DistKind::Normal: {
    if (x <= 0) return 0;
    if (b_ == 0) return x < a_ ? 0 : inf;
    const double kept = 0.5 * std::erfc(-a_ / b_ / std::sqrt(2.0));
    const double survive = 0.5 * std::erfc((x - a_) / b_ / std::sqrt(2.0));
    return survive <= 0 ? inf : -std::log(survive / kept);
  }
  case DistKind::Lognormal: {
    if (x <= 0) return 0;
    const double survive = 0.5 * std::erfc((std::log(x / ns_per_second) - a_) / (b_ * std::sqrt(2.0)));
    return survive <= 0 ? inf : -std::log(survive);
  }
  case DistKind::Constant:
  case DistKind::Empirical: break;
  }
  throw std::logic_error("Distribution::cumulative_hazard: " + std::string(to_string(kind_)) + " has no density");
}

double Distribution::hazard_per_second(Duration age) const {
  const double x = static_cast<double>(age.count());  // ns
  const double inf = std::numeric_limits<double>::infinity();
  switch (kind_) {
  case DistKind::Exponential: return ns_per_second / a_;
  case DistKind::Weibull: {
    const double t = x - static_cast<double>(d0_.count());
    if (t <= 0) return a_ < 1 ? inf : a_ == 1 ? ns_per_second / b_ : 0;
    return a_ / b_ * std::pow(t / b_, a_ - 1) * ns_per_second;
  }
  case DistKind::Uniform: {
    const double lo = static_cast<double>(d0_.count()), hi = static_cast<double>(d1_.count());
    if (x < lo) return 0;
    if (x >= hi) return inf;
    return ns_per_second / (hi - x);
  }
  case DistKind::Normal: {
    if (x < 0) return 0;
    if (b_ == 0) return x < a_ ? 0 : inf;
    const double z = (x - a_) / b_;
    const double survive = 0.5 * std::erfc(z / std::sqrt(2.0));
    return survive <= 0 ? inf : normal_pdf(z) / b_ / survive * ns_per_second;
  }
  case DistKind::Lognormal: {
    if (x <= 0) return 0;
    const double s = x / ns_per_second;
    const double z = (std::log(s) - a_) / b_;
    const double survive = 0.5 * std::erfc(z / std::sqrt(2.0));
    return survive <= 0 ? inf : normal_pdf(z) / (b_ * s) / survive;
  }
  case DistKind::Constant:
  case DistKind::Empirical: break;
  }
  throw std::logic_error("Distribution::hazard_per_second: " + std::string(to_string(kind_)) + " has no density");
}

double Distribution::quantile_seconds(double q) const {
  if (!(q > 0 && q < 1))
    throw std::invalid_argument("Distribution::quantile_seconds: q must be in (0, 1) (got " +
                                format_number(q) + ")");
  switch (kind_) {
  case DistKind::Constant: return to_seconds(d0_);
  case DistKind::Uniform: return to_seconds(d0_) + q * (to_seconds(d1_) - to_seconds(d0_));
  case DistKind::Exponential: return -a_ * std::log1p(-q) / ns_per_second;
  case DistKind::Normal: {
    if (b_ == 0) return a_ / ns_per_second;
    const double alpha = -a_ / b_;
    const double kept = 0.5 * std::erfc(alpha / std::sqrt(2.0));
    const double z = q < 0.5 ? normal_quantile(normal_cdf(alpha) + q * kept)
                             : -normal_quantile((1 - q) * kept);
    return std::max(0.0, a_ + b_ * z) / ns_per_second;
  }
  case DistKind::Lognormal: return std::exp(a_ + b_ * normal_quantile(q));
  case DistKind::Weibull:
    return to_seconds(d0_) + b_ * std::pow(-std::log1p(-q), 1.0 / a_) / ns_per_second;
  case DistKind::Empirical: {
    const std::size_t n = samples_->size();
    auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(n)));
    rank = std::clamp<std::size_t>(rank, 1, n);
    return to_seconds((*samples_)[rank - 1]);
  }
  }
  return 0;
}

std::string Distribution::describe() const {
  const std::string name = to_string(kind_);
  switch (kind_) {
  case DistKind::Constant: return name + "(value=" + format_duration(d0_) + ")";
  case DistKind::Uniform:
    return name + "(min=" + format_duration(d0_) + ", max=" + format_duration(d1_) + ")";
  case DistKind::Exponential:
    if (d0_ == base::forever) return name + "(mean=" + format_number(a_ / 3.6e12) + "h)";
    return name + "(mean=" + format_duration(d0_) + ")";
  case DistKind::Normal:
    return name + "(mean=" + format_duration(d0_) + ", stddev=" + format_duration(d1_) + ")";
  case DistKind::Lognormal:
    if (d0_ > Duration::zero())
      return name + "(median=" + format_duration(d0_) + ", p99=" + format_duration(d1_) + ")";
    return name + "(mu=" + format_number(a_) + ", sigma=" + format_number(b_) + ")";
  case DistKind::Weibull: {
    std::string text = name + "(shape=" + format_number(a_) + ", scale=" + format_duration(d1_);
    if (d0_ > Duration::zero()) text += ", location=" + format_duration(d0_);
    return text + ")";
  }
  case DistKind::Empirical:
    return name + "(n=" + std::to_string(samples_->size()) +
           ", mean=" + format_duration(from_seconds(a_)) + ")";
  }
  return name;
}

std::ostream& operator<<(std::ostream& os, const Distribution& d) { return os << d.describe(); }

} // namespace sim::engine
