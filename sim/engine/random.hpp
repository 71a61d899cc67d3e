// Random streams: one independent, reproducible generator per consumer.
//
// A stream is derived from (run seed, replication, stable entity name) — e.g. "drive/shelf-1/7"
// or "workload/io-0" — through SplitMix64 over a 64-bit hash of the three, seeding a
// xoshiro256** generator (32 bytes of state, a few ns to seed). Adding an entity therefore
// never changes the draws of another, and the same (seed, replication, name) always gives the
// same sequence on any platform (the generator is integer-only; see Distribution for floats).
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace sim::engine {

/// Stable 64-bit hash of a byte string (FNV-1a folded through SplitMix64's finaliser).
/// Part of the determinism contract: changing it changes every run's results.
std::uint64_t stable_hash(std::string_view text);

class RandomStream {
public:
  using result_type = std::uint64_t;

  /// Stream for `entity` in replication `replication` of a run seeded with `seed`.
  RandomStream(std::uint64_t seed, std::uint64_t replication, std::string_view entity);
  /// Stream seeded directly from one 64-bit value (through SplitMix64).
  explicit RandomStream(std::uint64_t seed64);

  /// Next 64 raw bits (xoshiro256**).
  std::uint64_t next();
  std::uint64_t operator()() { return next(); }
  static constexpr std::uint64_t min() { return 0; }
  static constexpr std::uint64_t max() { return ~std::uint64_t{0}; }

  /// Uniform double in [0, 1) with 53 random bits.
  double uniform01();
  /// Uniform double in (0, 1]: safe as an argument of log().
  double uniform01_open_low();
  /// Uniform integer in [0, n) without modulo bias (Lemire's method); usually one raw draw,
  /// occasionally more. Throws std::invalid_argument when n == 0.
  std::uint64_t below(std::uint64_t n);

private:
  std::array<std::uint64_t, 4> s_{};
};

} // namespace sim::engine
