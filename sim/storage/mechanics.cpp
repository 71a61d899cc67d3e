#include "sim/storage/mechanics.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iterator>

namespace sim::storage {

namespace {

/// Points of the midpoint rule per axis for the mean over pairs of offsets: the mean of
/// sqrt|r(u) - r(v)| converges as O(n^-1.5) (the kink on the diagonal); 2048 points put it
/// within 10^-4 relative, far below the 5 % the IOPS figures are checked to.
constexpr int quadrature = 2048;

std::string ms_text(double ns) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3f ms", ns * 1e-6);
  return buf;
}

} // namespace

std::pair<std::optional<DiskMechanics>, std::string> DiskMechanics::make(const DiskMechanicsSpec& s) {
  auto fail = [](std::string why) { return std::pair<std::optional<DiskMechanics>, std::string>{std::nullopt, std::move(why)}; };
  if (s.capacity.value == 0) return fail("capacity must be greater than 0");
  if (!(s.rpm >= 1 && s.rpm <= 1e6)) return fail("rpm must be from 1 to 1000000");
  if (s.zones == 0 || s.zones > 1024) return fail("zones must be from 1 to 1024");
  if (s.capacity.value < s.zones) return fail("the capacity must hold at least one byte per zone");
  if (s.curve.size() > 1024) return fail("the seek curve has more than 1024 points");
  if (s.outer.bytes_per_second == 0 || s.inner.bytes_per_second == 0 || s.outer.is_unlimited() || s.inner.is_unlimited())
    return fail("the media rates (outer, inner) must be finite and greater than 0");
  DiskMechanics m;
  m.capacity_ = s.capacity.value;
  m.zone_bytes_ = std::max<std::uint64_t>(1, s.capacity.value / s.zones);
  m.rotation_ = base::Duration(static_cast<std::int64_t>(std::llround(60e9 / s.rpm)));
  // Zone rates, linear in the zone index; radial widths proportional to bytes / rate.
  double total = 0;
  std::vector<double> width;
  for (std::uint32_t z = 0; z < s.zones; ++z) {
    const double f = s.zones == 1 ? 0.0 : static_cast<double>(z) / (s.zones - 1);
    const double rate = static_cast<double>(s.outer.bytes_per_second) +
                        f * (static_cast<double>(s.inner.bytes_per_second) - static_cast<double>(s.outer.bytes_per_second));
    m.rates_.push_back(base::Rate{static_cast<std::uint64_t>(std::llround(rate))});
    const std::uint64_t bytes = z + 1 == s.zones ? s.capacity.value - z * m.zone_bytes_ : m.zone_bytes_;
    width.push_back(static_cast<double>(bytes) / rate);
    total += width.back();
  }
  // total is the sum over zones of bytes / rate: the seconds to read the whole drive.
  m.mean_rate_ = base::Rate{static_cast<std::uint64_t>(std::llround(static_cast<double>(s.capacity.value) / total))};
  double r = 0;
  for (double w : width) {
    m.radius_.push_back(r);
    r += w / total;
  }
  m.radius_.push_back(1.0);
  m.settle_ns_ = static_cast<double>(s.write_settle.count());

  // E[sqrt x] and E[x] over pairs of uniformly random offsets (midpoint rule on both axes).
  std::vector<double> at(quadrature);
  for (int i = 0; i < quadrature; ++i)
    at[static_cast<std::size_t>(i)] =
        m.radius(static_cast<std::uint64_t>((static_cast<double>(i) + 0.5) / quadrature * static_cast<double>(s.capacity.value)));
  auto mean_of = [&](auto f) {
    double sum = 0;
    for (int i = 0; i < quadrature; ++i)
      for (int j = i + 1; j < quadrature; ++j) sum += f(std::fabs(at[static_cast<std::size_t>(i)] - at[static_cast<std::size_t>(j)]));
    return 2 * sum / (static_cast<double>(quadrature) * quadrature);  // the diagonal (x = 0) adds nothing
  };

  if (!s.curve.empty()) {
    double last_x = 0, last_t = 0;
    for (const auto& [x, t] : s.curve) {
      const double ns = static_cast<double>(t.count());
      if (!(x > last_x && x <= 1)) return fail("the seek curve's distances must increase within (0, 1]");
      if (ns < last_t) return fail("the seek curve must not fall (a longer seek cannot be faster)");
      m.curve_.emplace_back(x, ns);
      last_x = x;
      last_t = ns;
    }
    if (m.curve_.back().first < 1) m.curve_.emplace_back(1.0, m.curve_.back().second);  // flat to the end
    const double mean = mean_of([&](double x) { return static_cast<double>(m.seek(x, false).count()); });
    if (s.average_seek) {
      if (!(mean > 0)) return fail("a seek curve of zero times cannot be scaled to an average");
      // Scale the curve so that its mean is the average given.
      const double k = static_cast<double>(s.average_seek->count()) / mean;
      for (auto& p : m.curve_) p.second *= k;
    }
    m.mean_seek_ = base::Duration(static_cast<std::int64_t>(std::llround(
        mean_of([&](double x) { return static_cast<double>(m.seek(x, false).count()); }))));
    return {std::move(m), {}};
  }
  if (!s.average_seek) return fail("give the seek's average (with track_to_track and full_stroke if known) or a curve");
  const double sq = mean_of([](double x) { return std::sqrt(x); });
  const double lin = mean_of([](double x) { return x; });
  const double t0 = static_cast<double>(s.track_to_track.count());
  const double avg = static_cast<double>(s.average_seek->count());
  double b = 0, c = 0;
  if (s.full_stroke) {
    const double full = static_cast<double>(s.full_stroke->count());
    // t0 + b + c = full and t0 + b sq + c lin = avg.
    b = (avg - t0 - (full - t0) * lin) / (sq - lin);
    c = full - t0 - b;
    // Rising everywhere on (0, 1] (seek'(x) = b / (2 sqrt x) + c): b >= 0 and b / 2 + c >= 0.
    const double lo = t0 + (full - t0) * lin;                  // b = 0: the straight line
    const double hi = t0 + (full - t0) * (2 * sq - lin);       // b / 2 + c = 0
    if (!(full > t0)) return fail("full_stroke (" + ms_text(full) + ") must be longer than track_to_track (" + ms_text(t0) + ")");
    if (!(avg >= lo && avg <= hi))
      return fail("average_seek " + ms_text(avg) + " cannot be the mean of a rising seek curve from track_to_track " +
                  ms_text(t0) + " to full_stroke " + ms_text(full) + " on this drive: it must lie from " + ms_text(lo) +
                  " to " + ms_text(hi));
  } else {
    if (!(avg > t0)) return fail("average_seek (" + ms_text(avg) + ") must be longer than track_to_track (" + ms_text(t0) + ")");
    b = (avg - t0) / sq;
  }
  m.t0_ns_ = t0;
  m.b_ns_ = b;
  m.c_ns_ = c;
  m.mean_seek_ = base::Duration(static_cast<std::int64_t>(std::llround(t0 + b * sq + c * lin)));
  return {std::move(m), {}};
}

double DiskMechanics::radius(std::uint64_t offset) const {
  const std::uint32_t z = zone(offset);
  const std::uint64_t start = static_cast<std::uint64_t>(z) * zone_bytes_;
  const std::uint64_t bytes = z + 1 == zones() ? capacity_ - start : zone_bytes_;
  const double within = bytes == 0 ? 0 : static_cast<double>(std::min(offset - start, bytes)) / static_cast<double>(bytes);
  return radius_[z] + within * (radius_[z + 1] - radius_[z]);
}

std::uint32_t DiskMechanics::zone(std::uint64_t offset) const {
  return static_cast<std::uint32_t>(std::min<std::uint64_t>(offset / zone_bytes_, rates_.size() - 1));
}

base::Duration DiskMechanics::seek(double x, bool write) const {
  if (!(x > 0)) return base::Duration::zero();
  x = std::min(x, 1.0);
  double ns;
  if (curve_.empty()) {
    ns = t0_ns_ + b_ns_ * std::sqrt(x) + c_ns_ * x;
  } else {
    // The first point at or beyond x (the last point is at 1), and the one before it (or (0, 0)).
    const auto hi = std::lower_bound(curve_.begin(), curve_.end(), x,
                                     [](const std::pair<double, double>& p, double v) { return p.first < v; });
    const double x1 = hi->first, t1 = hi->second;
    const double x0 = hi == curve_.begin() ? 0 : std::prev(hi)->first;
    const double t0 = hi == curve_.begin() ? 0 : std::prev(hi)->second;
    ns = t0 + (t1 - t0) * (x - x0) / (x1 - x0);
  }
  if (write) ns += settle_ns_;
  return base::Duration(static_cast<std::int64_t>(std::llround(ns)));
}

base::Duration DiskMechanics::rotational_wait(std::uint64_t offset, base::Time at) const {
  const std::uint32_t z = zone(offset);
  const std::uint64_t start = static_cast<std::uint64_t>(z) * zone_bytes_;
  // Bytes per track: the zone's rate over one rotation.
  const double track = static_cast<double>(rates_[z].bytes_per_second) * static_cast<double>(rotation_.count()) * 1e-9;
  const double sector = std::fmod(static_cast<double>(offset - start) / track, 1.0);  // angle, in turns
  const std::int64_t period = rotation_.count();
  const double head = static_cast<double>(base::since_start(at).count() % period) / static_cast<double>(period);
  double turns = sector - head;
  if (turns < 0) turns += 1;
  return base::Duration(static_cast<std::int64_t>(std::llround(turns * static_cast<double>(period))));
}

base::Duration DiskMechanics::transfer(std::uint64_t offset, base::Bytes size) const {
  base::Duration total{};
  std::uint64_t left = size.value;
  while (left > 0) {
    const std::uint32_t z = zone(offset);
    const std::uint64_t end = z + 1 == zones() ? std::max(capacity_, offset + left) : (static_cast<std::uint64_t>(z) + 1) * zone_bytes_;
    const std::uint64_t n = std::min(left, end - offset);
    total = base::saturating_add(total, base::Bytes{n} / rates_[z]);
    offset += n;
    left -= n;
  }
  return total;
}

} // namespace sim::storage
