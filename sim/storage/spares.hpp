// The hot-spare pool of an array and the failed slots waiting for a spare.
//
// A spare is a slot whose drive carries the hot-spare flag: it takes no member of a new LUN
// (DriveIndex skips it) and stands by for a failed drive's members. The pool keeps the spares
// in slot order and chooses, for a failed drive needing `need` bytes, the first online spare
// with that much free: in the failed drive's own enclosure first, then (scope Subsystem) in any
// enclosure. Failed slots whose members found no spare wait in failure order; the next spare
// that appears serves the oldest first.
#pragma once

#include "sim/base/size.hpp"
#include "sim/storage/placement.hpp"
#include "sim/storage/repair.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

namespace sim::storage {

class SparePool {
public:
  /// Flags (or unflags) the drive of `slot` as a hot spare and indexes it.
  void set(const DriveIndex& index, std::uint32_t slot, bool on) {
    index.drive(slot).set_hot_spare(on);
    const auto at = std::lower_bound(spares_.begin(), spares_.end(), slot);
    const bool listed = at != spares_.end() && *at == slot;
    if (on && !listed) spares_.insert(at, slot);
    if (!on && listed) spares_.erase(at);
  }
  /// The spare that takes the members of a failed drive in `enclosure` needing `need` bytes, if any.
  std::optional<std::uint32_t> choose(const DriveIndex& index, base::Bytes need, std::int16_t enclosure,
                                      SpareScope scope) const {
    for (int pass = 0; pass < 2; ++pass) {
      if (pass == 1 && scope == SpareScope::Enclosure) break;
      for (const std::uint32_t s : spares_) {
        const Drive& c = index.drive(s);
        if (c.state() != DriveState::Online || c.free_bytes() < need) continue;
        if (pass == 0 && index.enclosure(s) != enclosure) continue;
        return s;
      }
    }
    return std::nullopt;
  }

  /// Failed slots whose members wait for a spare, oldest failure first.
  const std::vector<std::uint32_t>& waiting() const { return waiting_; }
  void wait(std::uint32_t slot) { waiting_.push_back(slot); }
  void stop_waiting(std::uint32_t slot) { std::erase(waiting_, slot); }

  void clear() {
    spares_.clear();
    waiting_.clear();
  }

private:
  std::vector<std::uint32_t> spares_;   // ascending
  std::vector<std::uint32_t> waiting_;  // in failure order
};

} // namespace sim::storage
