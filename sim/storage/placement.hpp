// Drive placement: which drives an array offers for a new LUN when the caller names none.
//
// DriveIndex is the array's directory of drive slots: slot k holds the k-th drive added, keeps
// the name of that first drive (replacements are renamed "NAME#2", ... but sort where NAME did),
// its enclosure, and two orders over the slots kept current as drives fill and empty:
//   natural name order  "shelf-1/2" before "shelf-1/10" (digit runs compare as numbers)
//   usage order         (used bytes, natural rank): least used first, ties by name
// so the provider's automatic choice walks the slots in order instead of sorting them per call.
//
// Policies (scenario `placement:`), over the drives that are online, not hot spares and have
// room:
//   balanced  the least used drives (ties in natural name order): the default
//   spread    the same order, but members in distinct enclosures while enclosures with room
//             remain; the rest (sharing enclosures) in that order, and the note says so
//   pack      enclosure by enclosure in enclosure order, least used first within each
//   explicit  the caller must name the drives (place() then behaves as balanced)
#pragma once

#include "sim/base/name_table.hpp"
#include "sim/base/size.hpp"
#include "sim/storage/drive.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sim::storage {

enum class Placement : std::uint8_t { Balanced, Spread, Pack, Explicit };
inline constexpr base::NameTable<Placement, 4> placement_names{{{{Placement::Balanced, "balanced"},
                                                                 {Placement::Spread, "spread"},
                                                                 {Placement::Pack, "pack"},
                                                                 {Placement::Explicit, "explicit"}}}};
inline const char* to_string(Placement p) { return placement_names.c_str(p); }

/// True when `a` sorts before `b` in natural order ("d2" < "d10"; leading zeros ignored).
bool natural_less(std::string_view a, std::string_view b);

class DriveIndex {
public:
  DriveIndex() = default;
  DriveIndex(const DriveIndex&) = delete;
  DriveIndex& operator=(const DriveIndex&) = delete;

  /// Adds `drive` as the next slot (its number is returned and set as the drive's tag) in
  /// `enclosure`; its name now is the slot's first name. The drive must outlive the index and
  /// tell it of usage changes: add() installs the drive's on_usage_change callback.
  std::uint32_t add(Drive& drive, std::int16_t enclosure);
  std::size_t size() const { return drives_.size(); }
  Drive& drive(std::uint32_t slot) const { return *drives_[slot]; }
  const std::string& first_name(std::uint32_t slot) const { return first_names_[slot]; }
  std::int16_t enclosure(std::uint32_t slot) const { return enclosures_[slot]; }

  /// Stops following usage changes (many drives are about to change: a new replication), then
  /// rebuilds the usage order once.
  void pause() { paused_ = true; }
  void resume();

  /// Position of the slot in natural name order.
  std::uint32_t rank(std::uint32_t slot) const;
  /// Online drives that are not hot spares and have `min_free` free, least used first (ties in
  /// natural name order); at most `limit` of them.
  std::vector<Drive*> usable(base::Bytes min_free, std::size_t limit = SIZE_MAX) const;
  /// `count` drives with `min_free` free each under policy `p` (fewer when too few qualify);
  /// `note` (may be null) receives what the policy could not meet (empty: nothing).
  std::vector<Drive*> place(Placement p, std::size_t count, base::Bytes min_free, std::string* note) const;
  /// Bytes kept per slot in the index's own vectors and usage-order node (not the first name's
  /// heap, not vector slack).
  static std::size_t slot_bytes();

private:
  void on_usage(std::uint64_t slot);
  void index_names() const;    // natural order and usage order after drives were added
  void reindex_usage() const;  // usage order from the drives' usage now

  std::vector<Drive*> drives_;
  std::vector<std::string> first_names_;
  std::vector<std::int16_t> enclosures_;
  mutable std::vector<std::uint32_t> rank_;   // per slot; rebuilt when drives are added
  mutable std::vector<Drive*> by_name_;       // drives in natural name order
  mutable std::set<std::pair<std::uint64_t, std::uint32_t>> by_usage_;  // (used bytes, rank)
  mutable std::vector<std::uint64_t> usage_key_;  // per slot: its used bytes in by_usage_
  bool paused_ = false;
};

} // namespace sim::storage
