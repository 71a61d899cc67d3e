// RAID geometry: how a LUN of a given level and size lays out over its member drives.
//
// Levels are those lunsim models (the provider maps VDS LUN types onto them):
//   Simple  exactly 1 member; extent = size
//   Span    >= 2 members filled linearly, one after the other (extents differ per member;
//           the provider decides them from free space) — member_extent is 0 here
//   Stripe  RAID-0, >= 2 members; extent = size / n
//   Mirror  RAID-1, >= 2 members (plexes), each holds the whole LUN; extent = size
//   Raid5   single parity (VDS PARITY and RAID5), >= 3 members; extent = size / (n - 1)
//   Raid6   double parity, >= 4 members; extent = size / (n - 2)
//   Raid10  striped mirror pairs, >= 4 members, even count; extent = size / (n / 2);
//           members (0,1), (2,3), ... are the mirror pairs
// The requested size is rounded up to a multiple of (data members x 4 KiB) — VDS allows the
// provider to round — and the actual size is reported in Geometry::size.
//
// Data loss: Simple/Span/Stripe lose data with any failed member; Mirror when every member has
// failed; Raid5 with 2 failed; Raid6 with 3; Raid10 when both members of any one pair failed.
#pragma once

#include "sim/base/size.hpp"

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <span>
#include <string_view>

namespace sim::storage {

enum class RaidLevel : std::uint8_t { Simple, Span, Stripe, Mirror, Raid5, Raid6, Raid10 };

const char* to_string(RaidLevel level);
std::optional<RaidLevel> parse_raid_level(std::string_view name);  // "raid5", "mirror", ...
std::ostream& operator<<(std::ostream& os, RaidLevel level);

/// The alignment unit of LUN sizes, per data member.
inline constexpr base::Bytes size_alignment{4096};

struct Geometry {
  RaidLevel level = RaidLevel::Simple;
  std::uint32_t members = 0;       ///< member drives
  std::uint32_t data_members = 0;  ///< members' worth of user data in each stripe (Mirror: 1)
  std::uint32_t tolerated = 0;     ///< member failures always survived (Raid10: 1)
  base::Bytes size;                ///< actual LUN size, rounded up
  base::Bytes member_extent;       ///< bytes on each member (0 for Span: decided by placement)
};

enum class GeometryError : std::uint8_t {
  TooFewMembers,   ///< below min_members(level)
  TooManyMembers,  ///< Simple with more than one member
  OddMembers,      ///< Raid10 needs an even count
  ZeroSize,        ///< a LUN of 0 bytes
  TooLarge,        ///< rounding or per-member arithmetic overflows 64 bits
};

const char* to_string(GeometryError e);
std::ostream& operator<<(std::ostream& os, GeometryError e);

std::uint32_t min_members(RaidLevel level);
/// Failures a LUN of this level always survives (Mirror: members - 1).
std::uint32_t tolerated_failures(RaidLevel level, std::uint32_t members);
/// Number of members holding user data per stripe (Mirror 1, Raid5 n-1, Raid6 n-2, Raid10 n/2,
/// Stripe n, Simple/Span 1).
std::uint32_t data_members(RaidLevel level, std::uint32_t members);

/// Lays out a LUN of `requested` bytes over `members` drives, or says why it cannot.
std::optional<Geometry> plan(RaidLevel level, base::Bytes requested, std::uint32_t members,
                             GeometryError* error = nullptr);

/// True when the failed members (failed[i] for member i) lose the LUN's data.
bool data_lost(RaidLevel level, std::span<const bool> failed);

/// The same rule with member i failed when `failed(i)` is true, for `members` members (no
/// array needed).
template <class Failed>
bool data_lost_if(RaidLevel level, std::uint32_t members, Failed failed) {
  std::uint32_t count = 0;
  for (std::uint32_t i = 0; i < members; ++i) count += failed(i) ? 1 : 0;
  switch (level) {
    case RaidLevel::Simple:
    case RaidLevel::Span:
    case RaidLevel::Stripe: return count > 0;
    case RaidLevel::Mirror: return members > 0 && count == members;
    case RaidLevel::Raid5: return count >= 2;
    case RaidLevel::Raid6: return count >= 3;
    case RaidLevel::Raid10:
      for (std::uint32_t i = 0; i < members; i += 2)
        if (failed(i) && (i + 1 >= members || failed(i + 1))) return true;
      return false;
  }
  return count > 0;
}

/// Where one stripe unit of user data lives. Units are numbered from the start of the LUN;
/// stripe s holds data units s*d .. s*d+d-1 (d = data members). Parity rotates left-symmetric:
/// Raid5 parity of stripe s is on member (n - 1 - s mod n) and data unit k of the stripe on
/// member (parity + 1 + k) mod n; Raid6 puts P there and Q on (P + 1) mod n, data after Q.
/// Mirror: unit on member 0 (a read may use any member); Raid10: pair (k mod pairs), member
/// 2*(k mod pairs) holds the primary copy. Span: member 0 and stripe = unit (the LUN maps span
/// offsets to members itself). Throws std::invalid_argument when g's member count is one plan()
/// refuses for g.level.
struct UnitLocation {
  std::uint32_t member = 0;         ///< member holding the data (primary copy)
  std::uint64_t stripe = 0;         ///< stripe number = unit row on every member
  std::uint32_t parity[2] = {0, 0}; ///< parity members (Raid5: parity[0]; Raid6: P, Q)
  std::uint32_t parity_count = 0;
  std::uint32_t mirror = 0;         ///< Raid10: the other member of the pair
};

UnitLocation locate_unit(const Geometry& g, std::uint64_t unit);

} // namespace sim::storage
