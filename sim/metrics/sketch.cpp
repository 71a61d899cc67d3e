#include "sim/metrics/sketch.hpp"

#include <algorithm>
#include <cmath>
#include <ostream>
#include <stdexcept>
#include <type_traits>

namespace sim::metrics {
namespace {

double ln_gamma() {
  static const double value = std::log1p(QuantileSketch::relative_accuracy) - std::log1p(-QuantileSketch::relative_accuracy);
  return value;
}

void check_finite(double x) {
  if (!std::isfinite(x)) throw std::invalid_argument("QuantileSketch: NaN or infinite value");
}

/// The first index in [from, size) whose value satisfies `past` (a predicate false on a prefix
/// and true on the rest), by galloping from `from`: O(log d) for a run of length d.
template <class T, class Past>
std::size_t gallop(std::span<const T> v, std::size_t from, Past past) {
  std::size_t lo = from, probe = from, step = 1;  // no index below lo is past
  while (probe < v.size() && !past(v[probe])) {
    lo = probe + 1;
    probe = lo + step;
    step *= 2;
  }
  const auto first = v.begin() + static_cast<std::ptrdiff_t>(lo);
  const auto last = v.begin() + static_cast<std::ptrdiff_t>(std::min(probe, v.size()));
  return static_cast<std::size_t>(std::partition_point(first, last, [&](const T& x) { return !past(x); }) - v.begin());
}

} // namespace

double QuantileSketch::gamma() { return (1 + relative_accuracy) / (1 - relative_accuracy); }

double QuantileSketch::boundary(int i) { return std::exp(static_cast<double>(i) * ln_gamma()); }

int QuantileSketch::bucket_of(double magnitude) {
  int i = static_cast<int>(std::ceil(std::log(magnitude) / ln_gamma()));
  // The logarithm's rounding may be off by one near an edge: the edges decide.
  while (magnitude > boundary(i)) ++i;
  while (magnitude <= boundary(i - 1)) --i;
  return i;
}

double QuantileSketch::representative(int i) { return 2 * boundary(i) / (gamma() + 1); }

void QuantileSketch::Store::add(int bucket, std::uint64_t count) {
  if (counts.empty()) {
    lo = bucket;
    counts.assign(1, 0);
  } else if (bucket < lo) {
    const int more = std::max(lo - bucket, static_cast<int>(counts.size() / 2));
    counts.insert(counts.begin(), static_cast<std::size_t>(more), 0);
    lo -= more;
  } else if (bucket - lo >= static_cast<int>(counts.size())) {
    const int need = bucket - lo + 1;
    counts.resize(static_cast<std::size_t>(std::max(need, static_cast<int>(counts.size() + counts.size() / 2))), 0);
  }
  counts[static_cast<std::size_t>(bucket - lo)] += count;
}

std::uint64_t QuantileSketch::Store::total() const {
  std::uint64_t t = 0;
  for (const std::uint64_t c : counts) t += c;
  return t;
}

void QuantileSketch::add(double x, std::uint64_t count) {
  check_finite(x);
  if (count == 0) return;
  if (x > 0) positive_.add(bucket_of(x), count);
  else if (x < 0) negative_.add(bucket_of(-x), count);
  else zeros_ += count;
  count_ += count;
}

template <class T>
void QuantileSketch::add_sorted_values(std::span<const T> v) {
  auto real = [](T x) { return static_cast<double>(x); };
  if (!v.empty()) {  // sorted: an infinity would be at an end
    check_finite(real(v.front()));
    check_finite(real(v.back()));
  }
  std::size_t p = 0;
  const std::size_t n = v.size();
  // Negative values, most negative first: the bucket of the magnitude m = -x holds the values
  // with -boundary(i) <= x < -boundary(i - 1).
  while (p < n && real(v[p]) < 0) {
    const int i = bucket_of(-real(v[p]));
    const double lower = boundary(i - 1);
    const std::size_t e = gallop(v, p + 1, [&](T x) { return !(real(x) < -lower); });
    negative_.add(i, e - p);
    p = e;
  }
  const std::size_t z = gallop(v, p, [&](T x) { return real(x) > 0; });
  zeros_ += z - p;
  p = z;
  while (p < n) {
    const int i = bucket_of(real(v[p]));
    const double upper = boundary(i);
    const std::size_t e = gallop(v, p + 1, [&](T x) { return real(x) > upper; });
    positive_.add(i, e - p);
    p = e;
  }
  count_ += n;
}

void QuantileSketch::add_sorted(std::span<const double> sorted) { add_sorted_values(sorted); }
void QuantileSketch::add_sorted(std::span<const std::int64_t> sorted_ns) { add_sorted_values(sorted_ns); }

void QuantileSketch::merge(const QuantileSketch& other) {
  for (const auto& [mine, theirs] : {std::pair{&positive_, &other.positive_}, std::pair{&negative_, &other.negative_}}) {
    if (theirs->counts.empty()) continue;
    // Make room for the whole range once, then add counter by counter.
    mine->add(theirs->lo, 0);
    mine->add(theirs->lo + static_cast<int>(theirs->counts.size()) - 1, 0);
    for (std::size_t j = 0; j < theirs->counts.size(); ++j)
      mine->counts[static_cast<std::size_t>(theirs->lo + static_cast<int>(j) - mine->lo)] += theirs->counts[j];
  }
  zeros_ += other.zeros_;
  count_ += other.count_;
}

double QuantileSketch::at_rank(std::uint64_t k) const {
  if (k == 0 || k > count_) throw std::out_of_range("QuantileSketch::at_rank: rank outside 1..count");
  std::uint64_t seen = 0;
  for (std::size_t j = negative_.counts.size(); j-- > 0;) {
    seen += negative_.counts[j];
    if (seen >= k) return -representative(negative_.lo + static_cast<int>(j));
  }
  seen += zeros_;
  if (seen >= k) return 0.0;
  for (std::size_t j = 0; j < positive_.counts.size(); ++j) {
    seen += positive_.counts[j];
    if (seen >= k) return representative(positive_.lo + static_cast<int>(j));
  }
  throw std::logic_error("QuantileSketch: counts do not add up");
}

std::size_t QuantileSketch::memory_bytes() const {
  return sizeof(*this) + (positive_.counts.capacity() + negative_.counts.capacity()) * sizeof(std::uint64_t);
}

bool QuantileSketch::same(const Store& a, const Store& b) {
  auto at = [](const Store& s, int i) -> std::uint64_t {
    const long j = static_cast<long>(i) - s.lo;
    return j >= 0 && j < static_cast<long>(s.counts.size()) ? s.counts[static_cast<std::size_t>(j)] : 0;
  };
  if (a.counts.empty() || b.counts.empty()) return a.total() == 0 && b.total() == 0;
  const int lo = std::min(a.lo, b.lo);
  const int hi = std::max(a.lo + static_cast<int>(a.counts.size()), b.lo + static_cast<int>(b.counts.size()));
  for (int i = lo; i < hi; ++i)
    if (at(a, i) != at(b, i)) return false;
  return true;
}

bool operator==(const QuantileSketch& a, const QuantileSketch& b) {
  return a.count_ == b.count_ && a.zeros_ == b.zeros_ && QuantileSketch::same(a.positive_, b.positive_) &&
         QuantileSketch::same(a.negative_, b.negative_);
}

std::ostream& operator<<(std::ostream& os, const QuantileSketch& s) {
  return os << "{QuantileSketch count=" << s.count() << " bytes=" << s.memory_bytes() << '}';
}

} // namespace sim::metrics
