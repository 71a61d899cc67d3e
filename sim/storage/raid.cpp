#include "sim/storage/raid.hpp"

#include <limits>
#include <ostream>
#include <stdexcept>
#include <string>

namespace sim::storage {
namespace {

struct LevelName {
  std::string_view name;
  RaidLevel level;
};

constexpr LevelName level_names[] = {
    {"simple", RaidLevel::Simple}, {"span", RaidLevel::Span},     {"stripe", RaidLevel::Stripe},
    {"raid0", RaidLevel::Stripe},  {"mirror", RaidLevel::Mirror}, {"raid1", RaidLevel::Mirror},
    {"parity", RaidLevel::Raid5},  {"raid5", RaidLevel::Raid5},   {"raid6", RaidLevel::Raid6},
    {"raid10", RaidLevel::Raid10},
};

std::optional<GeometryError> member_error(RaidLevel level, std::uint32_t members) {
  if (members < min_members(level))
    return GeometryError::TooFewMembers;
  if (level == RaidLevel::Simple && members > 1)
    return GeometryError::TooManyMembers;
  if (level == RaidLevel::Raid10 && members % 2 != 0)
    return GeometryError::OddMembers;
  return std::nullopt;
}

std::optional<Geometry> refuse(GeometryError e, GeometryError* error) {
  if (error != nullptr)
    *error = e;
  return std::nullopt;
}

} // namespace

const char* to_string(RaidLevel level) {
  switch (level) {
  case RaidLevel::Simple: return "simple";
  case RaidLevel::Span: return "span";
  case RaidLevel::Stripe: return "stripe";
  case RaidLevel::Mirror: return "mirror";
  case RaidLevel::Raid5: return "raid5";
  case RaidLevel::Raid6: return "raid6";
  case RaidLevel::Raid10: return "raid10";
  }
  return "unknown";
}

std::optional<RaidLevel> parse_raid_level(std::string_view name) {
  for (const LevelName& n : level_names)
    if (n.name == name)
      return n.level;
  return std::nullopt;
}

std::ostream& operator<<(std::ostream& os, RaidLevel level) { return os << to_string(level); }

const char* to_string(GeometryError e) {
  switch (e) {
  case GeometryError::TooFewMembers: return "too few members";
  case GeometryError::TooManyMembers: return "too many members";
  case GeometryError::OddMembers: return "odd member count";
  case GeometryError::ZeroSize: return "zero size";
  case GeometryError::TooLarge: return "too large";
  }
  return "unknown";
}

std::ostream& operator<<(std::ostream& os, GeometryError e) { return os << to_string(e); }

std::uint32_t min_members(RaidLevel level) {
  switch (level) {
  case RaidLevel::Simple: return 1;
  case RaidLevel::Span:
  case RaidLevel::Stripe:
  case RaidLevel::Mirror: return 2;
  case RaidLevel::Raid5: return 3;
  case RaidLevel::Raid6:
  case RaidLevel::Raid10: return 4;
  }
  return 1;
}

std::uint32_t tolerated_failures(RaidLevel level, std::uint32_t members) {
  switch (level) {
  case RaidLevel::Simple:
  case RaidLevel::Span:
  case RaidLevel::Stripe: return 0;
  case RaidLevel::Mirror: return members > 0 ? members - 1 : 0;
  case RaidLevel::Raid5:
  case RaidLevel::Raid10: return 1;
  case RaidLevel::Raid6: return 2;
  }
  return 0;
}

std::uint32_t data_members(RaidLevel level, std::uint32_t members) {
  switch (level) {
  case RaidLevel::Simple:
  case RaidLevel::Span:
  case RaidLevel::Mirror: return 1;
  case RaidLevel::Stripe: return members;
  case RaidLevel::Raid5: return members > 1 ? members - 1 : 0;
  case RaidLevel::Raid6: return members > 2 ? members - 2 : 0;
  case RaidLevel::Raid10: return members / 2;
  }
  return 1;
}

std::optional<Geometry> plan(RaidLevel level, base::Bytes requested, std::uint32_t members,
                             GeometryError* error) {
  if (const auto e = member_error(level, members))
    return refuse(*e, error);
  if (requested.value == 0)
    return refuse(GeometryError::ZeroSize, error);

  const std::uint32_t d = data_members(level, members);
  const std::uint64_t unit = std::uint64_t{d} * size_alignment.value;
  const std::uint64_t rem = requested.value % unit;
  std::uint64_t size = requested.value;
  if (rem != 0) {
    if (size > std::numeric_limits<std::uint64_t>::max() - (unit - rem))
      return refuse(GeometryError::TooLarge, error);
    size += unit - rem;
  }

  Geometry g;
  g.level = level;
  g.members = members;
  g.data_members = d;
  g.tolerated = tolerated_failures(level, members);
  g.size = base::Bytes{size};
  switch (level) {
  case RaidLevel::Span: g.member_extent = base::Bytes{0}; break;
  case RaidLevel::Mirror: g.member_extent = g.size; break;
  default: g.member_extent = g.size / d; break;
  }
  return g;
}

bool data_lost(RaidLevel level, std::span<const bool> failed) {
  return data_lost_if(level, static_cast<std::uint32_t>(failed.size()), [&](std::uint32_t i) { return failed[i]; });
}

UnitLocation locate_unit(const Geometry& g, std::uint64_t unit) {
  if (const auto e = member_error(g.level, g.members))
    throw std::invalid_argument(std::string("locate_unit: ") + to_string(g.level) + " with " +
                                std::to_string(g.members) + " members: " + to_string(*e));

  const std::uint32_t n = g.members;
  const std::uint32_t d = data_members(g.level, n);
  UnitLocation loc;
  switch (g.level) {
  case RaidLevel::Simple:
  case RaidLevel::Span:
  case RaidLevel::Mirror:
    loc.member = 0;
    loc.stripe = unit;
    break;
  case RaidLevel::Stripe:
    loc.member = static_cast<std::uint32_t>(unit % n);
    loc.stripe = unit / n;
    break;
  case RaidLevel::Raid5:
  case RaidLevel::Raid6: {
    loc.stripe = unit / d;
    const auto k = static_cast<std::uint32_t>(unit % d);
    const auto p = static_cast<std::uint32_t>(n - 1 - loc.stripe % n);
    loc.parity[0] = p;
    loc.parity_count = 1;
    std::uint32_t last_parity = p;
    if (g.level == RaidLevel::Raid6) {
      last_parity = (p + 1) % n;
      loc.parity[1] = last_parity;
      loc.parity_count = 2;
    }
    loc.member = static_cast<std::uint32_t>((std::uint64_t{last_parity} + 1 + k) % n);
    break;
  }
  case RaidLevel::Raid10: {
    const auto pair = static_cast<std::uint32_t>(unit % d);
    loc.stripe = unit / d;
    loc.member = 2 * pair;
    loc.mirror = 2 * pair + 1;
    break;
  }
  }
  return loc;
}

} // namespace sim::storage
