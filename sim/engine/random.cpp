#include "sim/engine/random.hpp"

#include "sim/base/int128.hpp"

#include <stdexcept>

namespace sim::engine {
namespace {

constexpr std::uint64_t golden_gamma = 0x9e3779b97f4a7c15ULL;

constexpr std::uint64_t mix64(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

constexpr std::uint64_t splitmix64(std::uint64_t& state) {
  state += golden_gamma;
  return mix64(state);
}

constexpr std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

// Each step is a bijection of the previous key for a fixed next input, so streams differing in
// any one of the three inputs start from different keys.
std::uint64_t stream_key(std::uint64_t seed, std::uint64_t replication, std::string_view entity) {
  std::uint64_t key = mix64(seed + golden_gamma);
  key = mix64(key + replication + 2 * golden_gamma);
  key = mix64(key ^ stable_hash(entity));
  return key;
}

} // namespace

std::uint64_t stable_hash(std::string_view text) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : text) {
    h ^= static_cast<std::uint64_t>(static_cast<unsigned char>(c));
    h *= 0x100000001b3ULL;
  }
  return mix64(h);
}

RandomStream::RandomStream(std::uint64_t seed, std::uint64_t replication, std::string_view entity)
    : RandomStream(stream_key(seed, replication, entity)) {}

RandomStream::RandomStream(std::uint64_t seed64) {
  std::uint64_t state = seed64;
  for (auto& word : s_) word = splitmix64(state);
}

std::uint64_t RandomStream::next() {
  const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
  const std::uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

double RandomStream::uniform01() {
  return static_cast<double>(next() >> 11) * 0x1.0p-53;
}

double RandomStream::uniform01_open_low() {
  return static_cast<double>((next() >> 11) + 1) * 0x1.0p-53;
}

std::uint64_t RandomStream::below(std::uint64_t n) {
  if (n == 0) throw std::invalid_argument("RandomStream::below: n must be > 0");
  base::UInt128 m = static_cast<base::UInt128>(next()) * n;
  auto low = static_cast<std::uint64_t>(m);
  if (low < n) {
    const std::uint64_t threshold = (0 - n) % n;
    while (low < threshold) {
      m = static_cast<base::UInt128>(next()) * n;
      low = static_cast<std::uint64_t>(m);
    }
  }
  return static_cast<std::uint64_t>(m >> 64);
}

} // namespace sim::engine
