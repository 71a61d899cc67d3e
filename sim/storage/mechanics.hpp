// Position-aware service times: a hard disk's mechanics and a flash drive's write buffer.
//
// Hard disk (DiskMechanics). Byte offsets map to a radial position: the drive is cut into
// `zones` of equal bytes from offset 0 (outermost) inward; zone z transfers at its media rate,
// from `outer` (z = 0) to `inner` (the last zone) linearly in z, and holds rate x rotation bytes
// per track, so a zone's radial width is proportional to its bytes / rate (zoned bit recording:
// the outer tracks hold more). A request's service time is
//   seek(|r - r_head|) + rotational wait + transfer
// with r the radial position (0 outer .. 1 inner) of its first byte and r_head the head's:
//   seek(0) = 0; seek(x) = track_to_track + b sqrt(x) + c x for 0 < x <= 1 (x in fractions of
//   the stroke), b and c chosen so that seek(1) = full_stroke and the mean of seek over pairs of
//   uniformly random byte offsets equals average_seek (the mean is computed by quadrature over
//   the zone layout when the model is made; without full_stroke, c = 0). A write seeks
//   write_settle longer (a datasheet's write seek minus its read seek).
//   Or a curve: seek(x) linear between the given points (x, t), from (0, 0) to the last point.
// The platter turns at rpm from angle 0 at time 0; a byte's angle is its offset within its
// zone modulo the track's bytes, over the track's bytes: the wait is the time until the
// request's first byte comes under the head after the seek (0 to one rotation; half of one on
// average for random offsets). Transfer: the request's bytes at the rates of the zones they lie
// in. Sequential detection: a request starting where the previous one on the drive ended is a
// stream (read-ahead and write-back keep it going): no seek, no wait, media rate only.
//
// Flash (WriteBuffer). Writes go at the model's write bandwidth while they fit in a write buffer
// (an SLC cache) of `size` bytes; the buffer drains at the `sustained` rate at all times, and the
// bytes of a write that do not fit go at `sustained` (a sustained write settles at it once the
// buffer is full). Reads are not affected.
#pragma once

#include "sim/base/size.hpp"
#include "sim/base/time.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sim::storage {

/// What DiskMechanics::make needs (scenario keys of the same names).
struct DiskMechanicsSpec {
  base::Bytes capacity;
  double rpm = 7200;
  std::uint32_t zones = 16;
  base::Rate outer;  ///< media rate of the outermost zone
  base::Rate inner;  ///< media rate of the innermost zone
  // seek: the datasheet points ...
  std::optional<base::Duration> average_seek;
  base::Duration track_to_track{};
  std::optional<base::Duration> full_stroke;
  base::Duration write_settle{};
  // ... or a curve of (fraction of the stroke, seek time), fractions increasing in (0, 1].
  std::vector<std::pair<double, base::Duration>> curve;
};

class DiskMechanics {
public:
  /// The model, or why the figures cannot make one (a message naming the figure): rpm, zones,
  /// rates and capacity must be positive, the capacity at least a byte per zone, a curve at most
  /// 1024 points with a mean above 0; the average seek must lie strictly between what the
  /// track-to-track and full-stroke times allow (a curve that rises from the track-to-track time
  /// at 0 and never falls).
  static std::pair<std::optional<DiskMechanics>, std::string> make(const DiskMechanicsSpec& spec);

  base::Duration rotation() const { return rotation_; }
  /// Radial position (0 outermost .. 1 innermost) of byte `offset`.
  double radius(std::uint64_t offset) const;
  /// Seek time over `distance` (a fraction of the stroke, 0..1); `write`: plus write_settle.
  base::Duration seek(double distance, bool write) const;
  /// The mean seek (reads) over pairs of uniformly random offsets, by the same quadrature as the
  /// calibration: the average seek given (or the curve's own mean).
  base::Duration mean_seek() const { return mean_seek_; }
  /// Time until byte `offset` comes under the head when the head arrives at `at` (0 .. rotation).
  base::Duration rotational_wait(std::uint64_t offset, base::Time at) const;
  /// Time to transfer `size` bytes from `offset` (ceil to the ns per zone crossed).
  base::Duration transfer(std::uint64_t offset, base::Bytes size) const;
  /// The zone of `offset` and its media rate.
  std::uint32_t zone(std::uint64_t offset) const;
  base::Rate zone_rate(std::uint32_t z) const { return rates_[z]; }
  std::uint32_t zones() const { return static_cast<std::uint32_t>(rates_.size()); }
  /// Bytes per zone (the last takes the remainder).
  std::uint64_t zone_bytes() const { return zone_bytes_; }
  /// The drive read end to end: capacity over the sum of the zones' transfer times.
  base::Rate mean_rate() const { return mean_rate_; }

private:
  DiskMechanics() = default;
  std::uint64_t capacity_ = 0;
  std::uint64_t zone_bytes_ = 0;
  base::Duration rotation_{};
  std::vector<base::Rate> rates_;
  std::vector<double> radius_;  // at the start of each zone, and 1 at the end
  // seek
  double t0_ns_ = 0, b_ns_ = 0, c_ns_ = 0;
  std::vector<std::pair<double, double>> curve_;  // (fraction, ns); empty: the formula
  double settle_ns_ = 0;
  base::Duration mean_seek_{};
  base::Rate mean_rate_{};
};

/// A flash drive's fast write buffer (see the file comment).
struct WriteBuffer {
  base::Bytes size;
  base::Rate sustained;
};

} // namespace sim::storage
