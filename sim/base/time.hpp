// Simulated time: integer nanoseconds, never floating point.
//
// Duration is a span, Time an instant on the simulated clock (t = 0 at the start of a run).
// Both are std::chrono types, so `t + 150us` compiles and `t1 + t2` does not. The int64
// range covers about 292 years; values that would overflow saturate to `never` / `forever`
// in the helpers below (a random lifetime beyond the range means "does not happen").
#pragma once

#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <string>

namespace sim::base {

using Duration = std::chrono::duration<std::int64_t, std::nano>;

/// The simulated clock. It has no now(): the Simulation object owns the current time.
struct SimClock {
  using rep = std::int64_t;
  using period = std::nano;
  using duration = Duration;
  using time_point = std::chrono::time_point<SimClock, Duration>;
  static constexpr bool is_steady = true;
};

using Time = SimClock::time_point;

/// An instant that never comes (an event scheduled there never fires).
inline constexpr Time never = Time::max();
/// A span longer than any run.
inline constexpr Duration forever = Duration::max();
inline constexpr Time time_zero = Time{};

constexpr Time at(Duration since_start) { return Time{since_start}; }
constexpr Duration since_start(Time t) { return t.time_since_epoch(); }

/// t + d, saturating to `never` instead of overflowing. d must be >= 0.
constexpr Time saturating_add(Time t, Duration d) {
  if (d >= Time::max() - t) return never;
  return t + d;
}

/// a + b, saturating to `forever`. Both must be >= 0.
constexpr Duration saturating_add(Duration a, Duration b) {
  if (b >= Duration::max() - a) return forever;
  return a + b;
}

/// Exact decimal seconds with nine decimals: 1.5 ms -> "0.001500000", -2 ns -> "-0.000000002".
std::string format_seconds(Duration d);
std::string format_seconds(Time t);

/// Human form for logs and messages: the largest unit (ns, us, ms, s, m, h, d, y) not above the
/// value, at most three decimals, rounded: "1.5ms", "2h", "1.5d"; `forever` is "never".
/// Not parseable back in general.
std::string format_human(Duration d);

/// Prints an instant as seconds since the start of the run ("12.000000000s"); found by ADL
/// through SimClock, so Catch2 shows Time values in failed assertions.
std::ostream& operator<<(std::ostream& os, const Time& t);

} // namespace sim::base
