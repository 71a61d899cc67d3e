#include "sim/storage/raid.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <bit>
#include <cstdint>
#include <limits>
#include <optional>
#include <set>
#include <span>
#include <sstream>
#include <string>
#include <stdexcept>
#include <vector>

using namespace sim::base::size_literals;
using sim::base::Bytes;
using sim::storage::data_lost;
using sim::storage::data_members;
using sim::storage::Geometry;
using sim::storage::GeometryError;
using sim::storage::locate_unit;
using sim::storage::min_members;
using sim::storage::parse_raid_level;
using sim::storage::plan;
using sim::storage::RaidLevel;
using sim::storage::tolerated_failures;
using sim::storage::UnitLocation;

namespace {

constexpr std::uint64_t u64_max = std::numeric_limits<std::uint64_t>::max();
constexpr Bytes one_tb{1'000'000'000'000};

constexpr std::array all_levels = {RaidLevel::Simple, RaidLevel::Span,  RaidLevel::Stripe,
                                   RaidLevel::Mirror, RaidLevel::Raid5, RaidLevel::Raid6,
                                   RaidLevel::Raid10};

Geometry planned(RaidLevel level, Bytes size, std::uint32_t members) {
  const std::optional<Geometry> g = plan(level, size, members);
  REQUIRE(g.has_value());
  return *g;
}

GeometryError refusal(RaidLevel level, Bytes size, std::uint32_t members) {
  GeometryError e = GeometryError::ZeroSize;
  const std::optional<Geometry> g = plan(level, size, members, &e);
  REQUIRE_FALSE(g.has_value());
  return e;
}

/// data_lost with failed[i] = bit i of mask, for members 0..n-1 (n <= 32).
bool lost(RaidLevel level, std::uint32_t mask, std::uint32_t n) {
  std::array<bool, 32> failed{};
  for (std::uint32_t i = 0; i < n; ++i)
    failed[i] = ((mask >> i) & 1U) != 0;
  return data_lost(level, std::span<const bool>(failed.data(), n));
}

template <class T> std::string streamed(const T& v) {
  std::ostringstream os;
  os << v;
  return os.str();
}

} // namespace

// ---- geometry ------------------------------------------------------------------------------

TEST_CASE("each level has its minimum member count", "[storage][raid]") {
  REQUIRE(min_members(RaidLevel::Simple) == 1);
  REQUIRE(min_members(RaidLevel::Span) == 2);
  REQUIRE(min_members(RaidLevel::Stripe) == 2);
  REQUIRE(min_members(RaidLevel::Mirror) == 2);
  REQUIRE(min_members(RaidLevel::Raid5) == 3);
  REQUIRE(min_members(RaidLevel::Raid6) == 4);
  REQUIRE(min_members(RaidLevel::Raid10) == 4);
}

TEST_CASE("data members and tolerated failures follow the level", "[storage][raid]") {
  REQUIRE(data_members(RaidLevel::Simple, 1) == 1);
  REQUIRE(data_members(RaidLevel::Span, 3) == 1);
  REQUIRE(data_members(RaidLevel::Stripe, 5) == 5);
  REQUIRE(data_members(RaidLevel::Mirror, 3) == 1);
  REQUIRE(data_members(RaidLevel::Raid5, 6) == 5);
  REQUIRE(data_members(RaidLevel::Raid6, 7) == 5);
  REQUIRE(data_members(RaidLevel::Raid10, 8) == 4);

  REQUIRE(tolerated_failures(RaidLevel::Simple, 1) == 0);
  REQUIRE(tolerated_failures(RaidLevel::Span, 3) == 0);
  REQUIRE(tolerated_failures(RaidLevel::Stripe, 5) == 0);
  REQUIRE(tolerated_failures(RaidLevel::Mirror, 2) == 1);
  REQUIRE(tolerated_failures(RaidLevel::Mirror, 4) == 3);
  REQUIRE(tolerated_failures(RaidLevel::Raid5, 6) == 1);
  REQUIRE(tolerated_failures(RaidLevel::Raid6, 7) == 2);
  REQUIRE(tolerated_failures(RaidLevel::Raid10, 8) == 1);
}

TEST_CASE("1 TB RAID-5 on 6 drives puts exactly 200 GB on each member", "[storage][raid]") {
  const Geometry g = planned(RaidLevel::Raid5, one_tb, 6);
  REQUIRE(g.level == RaidLevel::Raid5);
  REQUIRE(g.members == 6);
  REQUIRE(g.data_members == 5);
  REQUIRE(g.tolerated == 1);
  REQUIRE(g.size == one_tb);
  REQUIRE(g.member_extent == Bytes{200'000'000'000});
}

TEST_CASE("1 TB RAID-6 on 7 drives puts exactly 200 GB on each member", "[storage][raid]") {
  const Geometry g = planned(RaidLevel::Raid6, one_tb, 7);
  REQUIRE(g.data_members == 5);
  REQUIRE(g.tolerated == 2);
  REQUIRE(g.size == one_tb);
  REQUIRE(g.member_extent == Bytes{200'000'000'000});
}

TEST_CASE("a mirror puts the whole LUN on every plex", "[storage][raid]") {
  const Geometry two = planned(RaidLevel::Mirror, one_tb, 2);
  REQUIRE(two.data_members == 1);
  REQUIRE(two.tolerated == 1);
  REQUIRE(two.size == one_tb);
  REQUIRE(two.member_extent == one_tb);

  const Geometry three = planned(RaidLevel::Mirror, one_tb, 3);
  REQUIRE(three.tolerated == 2);
  REQUIRE(three.member_extent == one_tb);
}

TEST_CASE("simple, stripe and RAID-10 extents divide the size by the data members",
          "[storage][raid]") {
  const Geometry simple = planned(RaidLevel::Simple, 1_GiB, 1);
  REQUIRE(simple.data_members == 1);
  REQUIRE(simple.tolerated == 0);
  REQUIRE(simple.size == 1_GiB);
  REQUIRE(simple.member_extent == 1_GiB);

  const Geometry stripe = planned(RaidLevel::Stripe, 1_TiB, 4);
  REQUIRE(stripe.data_members == 4);
  REQUIRE(stripe.tolerated == 0);
  REQUIRE(stripe.size == 1_TiB);
  REQUIRE(stripe.member_extent == 256_GiB);

  const Geometry raid10 = planned(RaidLevel::Raid10, 2_TiB, 8);
  REQUIRE(raid10.data_members == 4);
  REQUIRE(raid10.tolerated == 1);
  REQUIRE(raid10.size == 2_TiB);
  REQUIRE(raid10.member_extent == 512_GiB);
}

TEST_CASE("a span leaves member extents to placement", "[storage][raid]") {
  const Geometry g = planned(RaidLevel::Span, 10_GiB, 3);
  REQUIRE(g.members == 3);
  REQUIRE(g.data_members == 1);
  REQUIRE(g.tolerated == 0);
  REQUIRE(g.size == 10_GiB);
  REQUIRE(g.member_extent == Bytes{0});
}

TEST_CASE("an unaligned size rounds up to the next multiple of data members x 4 KiB",
          "[storage][raid]") {
  SECTION("1 TB + 1 B on RAID-5 with 6 drives gains one 5 x 4 KiB row") {
    const Geometry g = planned(RaidLevel::Raid5, one_tb + Bytes{1}, 6);
    REQUIRE(g.size == one_tb + Bytes{5 * 4096});
    REQUIRE(g.size % Bytes{5 * 4096} == Bytes{0});
    REQUIRE(g.member_extent == Bytes{200'000'000'000 + 4096});
  }
  SECTION("1 TiB on RAID-10 with 6 drives rounds to a multiple of 3 x 4 KiB") {
    const Geometry g = planned(RaidLevel::Raid10, 1_TiB, 6);
    REQUIRE(g.size == Bytes{1'099'511'635'968});
    REQUIRE(g.member_extent == Bytes{366'503'878'656});
    REQUIRE(g.member_extent * 3 == g.size);
  }
  SECTION("a single byte on a mirror becomes 4 KiB on every plex") {
    const Geometry g = planned(RaidLevel::Mirror, Bytes{1}, 2);
    REQUIRE(g.size == 4_KiB);
    REQUIRE(g.member_extent == 4_KiB);
  }
  SECTION("an aligned size is kept as requested") {
    const Geometry g = planned(RaidLevel::Stripe, Bytes{3 * 4096 * 7}, 3);
    REQUIRE(g.size == Bytes{3 * 4096 * 7});
    REQUIRE(g.member_extent == Bytes{4096 * 7});
  }
  SECTION("a span aligns to 4 KiB") {
    const Geometry g = planned(RaidLevel::Span, Bytes{4097}, 2);
    REQUIRE(g.size == 8_KiB);
  }
}

TEST_CASE("every planned size is the smallest aligned size at least the request",
          "[storage][raid]") {
  const RaidLevel level = GENERATE(from_range(all_levels));
  const std::uint32_t extra = GENERATE(0U, 1U, 2U, 4U);
  std::uint32_t members = min_members(level) + extra;
  if (level == RaidLevel::Simple)
    members = 1;
  if (level == RaidLevel::Raid10 && members % 2 != 0)
    ++members;
  const std::uint64_t requested = GENERATE(1ULL, 4095ULL, 4096ULL, 123'456'789ULL, 1ULL << 40);
  CAPTURE(level, members, requested);

  const Geometry g = planned(level, Bytes{requested}, members);
  const std::uint64_t unit = std::uint64_t{data_members(level, members)} * 4096;
  REQUIRE(g.size.value % unit == 0);
  REQUIRE(g.size.value >= requested);
  REQUIRE(g.size.value - requested < unit);
  REQUIRE(g.data_members == data_members(level, members));
  REQUIRE(g.tolerated == tolerated_failures(level, members));
  if (level == RaidLevel::Span)
    REQUIRE(g.member_extent == Bytes{0});
  else
    REQUIRE(g.member_extent * g.data_members == g.size);
}

TEST_CASE("too few members are refused for every level", "[storage][raid]") {
  const RaidLevel level = GENERATE(from_range(all_levels));
  CAPTURE(level);
  for (std::uint32_t n = 0; n < min_members(level); ++n)
    REQUIRE(refusal(level, 1_GiB, n) == GeometryError::TooFewMembers);
  REQUIRE(plan(level, 1_GiB, min_members(level)).has_value());
}

TEST_CASE("a simple LUN takes exactly one member", "[storage][raid]") {
  REQUIRE(refusal(RaidLevel::Simple, 1_GiB, 2) == GeometryError::TooManyMembers);
  REQUIRE(refusal(RaidLevel::Simple, 1_GiB, 5) == GeometryError::TooManyMembers);
}

TEST_CASE("RAID-10 refuses an odd member count", "[storage][raid]") {
  REQUIRE(refusal(RaidLevel::Raid10, 1_GiB, 5) == GeometryError::OddMembers);
  REQUIRE(refusal(RaidLevel::Raid10, 1_GiB, 7) == GeometryError::OddMembers);
  REQUIRE(refusal(RaidLevel::Raid10, 1_GiB, 3) == GeometryError::TooFewMembers);
  REQUIRE(plan(RaidLevel::Raid10, 1_GiB, 6).has_value());
}

TEST_CASE("a LUN of zero bytes is refused", "[storage][raid]") {
  const RaidLevel level = GENERATE(from_range(all_levels));
  CAPTURE(level);
  const std::uint32_t members = level == RaidLevel::Simple ? 1 : 4;
  REQUIRE(refusal(level, Bytes{0}, members) == GeometryError::ZeroSize);
}

TEST_CASE("member errors are reported before size errors", "[storage][raid]") {
  REQUIRE(refusal(RaidLevel::Raid5, Bytes{0}, 2) == GeometryError::TooFewMembers);
  REQUIRE(refusal(RaidLevel::Raid10, Bytes{u64_max}, 5) == GeometryError::OddMembers);
}

TEST_CASE("a size whose rounding passes 2^64 is too large", "[storage][raid]") {
  SECTION("simple: 2^64 - 1 would round to 2^64") {
    REQUIRE(refusal(RaidLevel::Simple, Bytes{u64_max}, 1) == GeometryError::TooLarge);
    REQUIRE(refusal(RaidLevel::Simple, Bytes{u64_max - 4094}, 1) == GeometryError::TooLarge);
    const Geometry g = planned(RaidLevel::Simple, Bytes{u64_max - 4095}, 1);
    REQUIRE(g.size == Bytes{u64_max - 4095});
    REQUIRE(g.member_extent == g.size);
  }
  SECTION("RAID-5 on 6 drives: the largest multiple of 5 x 4 KiB fits, one byte more does not") {
    const std::uint64_t largest = 18'446'744'073'709'547'520ULL;
    REQUIRE(largest % (5 * 4096) == 0);
    const Geometry g = planned(RaidLevel::Raid5, Bytes{largest - 1}, 6);
    REQUIRE(g.size == Bytes{largest});
    REQUIRE(g.member_extent == Bytes{3'689'348'814'741'909'504ULL});
    REQUIRE(refusal(RaidLevel::Raid5, Bytes{largest + 1}, 6) == GeometryError::TooLarge);
  }
}

TEST_CASE("plan may be called without an error out-parameter", "[storage][raid]") {
  REQUIRE_FALSE(plan(RaidLevel::Raid5, 1_GiB, 2).has_value());
  REQUIRE_FALSE(plan(RaidLevel::Raid5, Bytes{0}, 3).has_value());
  REQUIRE_FALSE(plan(RaidLevel::Simple, Bytes{u64_max}, 1, nullptr).has_value());
}

// ---- data loss -----------------------------------------------------------------------------

TEST_CASE("simple, span and stripe lose data with any failed member", "[storage][raid]") {
  const RaidLevel level = GENERATE(RaidLevel::Simple, RaidLevel::Span, RaidLevel::Stripe);
  const std::uint32_t n = level == RaidLevel::Simple ? 1 : 4;
  CAPTURE(level, n);
  for (std::uint32_t mask = 0; mask < (1U << n); ++mask)
    REQUIRE(lost(level, mask, n) == (mask != 0));
}

TEST_CASE("a mirror loses data only when every plex has failed", "[storage][raid]") {
  const std::uint32_t n = GENERATE(2U, 3U, 4U);
  CAPTURE(n);
  for (std::uint32_t mask = 0; mask < (1U << n); ++mask)
    REQUIRE(lost(RaidLevel::Mirror, mask, n) == (mask == (1U << n) - 1));
}

TEST_CASE("RAID-5 survives any one failure and loses with any two", "[storage][raid]") {
  const std::uint32_t n = GENERATE(3U, 5U, 6U);
  CAPTURE(n);
  for (std::uint32_t mask = 0; mask < (1U << n); ++mask) {
    CAPTURE(mask);
    REQUIRE(lost(RaidLevel::Raid5, mask, n) == (std::popcount(mask) >= 2));
  }
}

TEST_CASE("RAID-6 on 6 drives survives any two failures and loses with any three",
          "[storage][raid]") {
  constexpr std::uint32_t n = 6;
  int survived_pairs = 0;
  int lost_triples = 0;
  for (std::uint32_t mask = 0; mask < (1U << n); ++mask) {
    CAPTURE(mask);
    const int count = std::popcount(mask);
    REQUIRE(lost(RaidLevel::Raid6, mask, n) == (count >= 3));
    survived_pairs += count == 2 && !lost(RaidLevel::Raid6, mask, n) ? 1 : 0;
    lost_triples += count == 3 && lost(RaidLevel::Raid6, mask, n) ? 1 : 0;
  }
  REQUIRE(survived_pairs == 15);
  REQUIRE(lost_triples == 20);
}

TEST_CASE("RAID-10 on 6 drives loses data iff both members of some pair failed",
          "[storage][raid]") {
  constexpr std::uint32_t n = 6;
  int lost_count = 0;
  for (std::uint32_t mask = 0; mask < (1U << n); ++mask) {
    CAPTURE(mask);
    const bool pair_down = (mask & 0b000011U) == 0b000011U || (mask & 0b001100U) == 0b001100U ||
                           (mask & 0b110000U) == 0b110000U;
    REQUIRE(lost(RaidLevel::Raid10, mask, n) == pair_down);
    lost_count += pair_down ? 1 : 0;
  }
  // Survivors pick, per pair, none or one of its two members: 3^3 = 27 of 64.
  REQUIRE(lost_count == 64 - 27);
  // Three failures, one in each pair, are survived; two in one pair are not.
  REQUIRE_FALSE(lost(RaidLevel::Raid10, 0b010101U, n));
  REQUIRE_FALSE(lost(RaidLevel::Raid10, 0b101010U, n));
  REQUIRE(lost(RaidLevel::Raid10, 0b001100U, n));
  REQUIRE_FALSE(lost(RaidLevel::Raid10, 0b000110U, n));
}

TEST_CASE("no level loses data with at most its tolerated failures", "[storage][raid]") {
  const RaidLevel level = GENERATE(from_range(all_levels));
  for (std::uint32_t n = min_members(level); n <= 8; ++n) {
    if (!plan(level, 1_GiB, n).has_value())
      continue;
    CAPTURE(level, n);
    const std::uint32_t tolerated = tolerated_failures(level, n);
    bool some_loss_at_tolerated_plus_one = false;
    for (std::uint32_t mask = 0; mask < (1U << n); ++mask) {
      const auto count = static_cast<std::uint32_t>(std::popcount(mask));
      if (count <= tolerated)
        REQUIRE_FALSE(lost(level, mask, n));
      if (count == tolerated + 1 && lost(level, mask, n))
        some_loss_at_tolerated_plus_one = true;
    }
    // The bound is tight: one more failure can lose data.
    REQUIRE(some_loss_at_tolerated_plus_one);
  }
}

// ---- unit location -------------------------------------------------------------------------

TEST_CASE("a stripe puts unit k on member k mod n in stripe k / n", "[storage][raid]") {
  const Geometry g = planned(RaidLevel::Stripe, 1_GiB, 3);
  for (std::uint64_t unit = 0; unit < 12; ++unit) {
    const UnitLocation loc = locate_unit(g, unit);
    REQUIRE(loc.member == unit % 3);
    REQUIRE(loc.stripe == unit / 3);
    REQUIRE(loc.parity_count == 0);
  }
}

TEST_CASE("simple, span and mirror units sit on member 0 at their own row",
          "[storage][raid]") {
  const Geometry simple = planned(RaidLevel::Simple, 1_GiB, 1);
  const Geometry span = planned(RaidLevel::Span, 1_GiB, 3);
  const Geometry mirror = planned(RaidLevel::Mirror, 1_GiB, 2);
  for (const Geometry* g : {&simple, &span, &mirror}) {
    CAPTURE(g->level);
    for (std::uint64_t unit : {0ULL, 1ULL, 7ULL, 1ULL << 40}) {
      const UnitLocation loc = locate_unit(*g, unit);
      REQUIRE(loc.member == 0);
      REQUIRE(loc.stripe == unit);
      REQUIRE(loc.parity_count == 0);
    }
  }
}

TEST_CASE("RAID-5 on 4 members rotates parity left-symmetrically", "[storage][raid]") {
  const Geometry g = planned(RaidLevel::Raid5, 1_GiB, 4);

  SECTION("pinned layout of the first four stripes") {
    // unit -> {member, stripe, parity}
    struct Row {
      std::uint64_t unit;
      std::uint32_t member;
      std::uint64_t stripe;
      std::uint32_t parity;
    };
    constexpr Row table[] = {
        {0, 0, 0, 3},  {1, 1, 0, 3},  {2, 2, 0, 3},   // stripe 0: D0 D1 D2 P
        {3, 3, 1, 2},  {4, 0, 1, 2},  {5, 1, 1, 2},   // stripe 1: D1 D2 P  D0
        {6, 2, 2, 1},  {7, 3, 2, 1},  {8, 0, 2, 1},   // stripe 2: D2 P  D0 D1
        {9, 1, 3, 0},  {10, 2, 3, 0}, {11, 3, 3, 0},  // stripe 3: P  D0 D1 D2
        {12, 0, 4, 3},                                // stripe 4 repeats stripe 0
    };
    for (const Row& row : table) {
      CAPTURE(row.unit);
      const UnitLocation loc = locate_unit(g, row.unit);
      REQUIRE(loc.member == row.member);
      REQUIRE(loc.stripe == row.stripe);
      REQUIRE(loc.parity_count == 1);
      REQUIRE(loc.parity[0] == row.parity);
    }
  }

  SECTION("each stripe has one parity member and distinct data members") {
    std::set<std::uint32_t> parity_members;
    for (std::uint64_t stripe = 0; stripe < 4; ++stripe) {
      CAPTURE(stripe);
      std::set<std::uint32_t> data;
      std::set<std::uint32_t> parity;
      for (std::uint64_t unit = stripe * 3; unit < stripe * 3 + 3; ++unit) {
        const UnitLocation loc = locate_unit(g, unit);
        REQUIRE(loc.stripe == stripe);
        REQUIRE(loc.parity_count == 1);
        REQUIRE(loc.member < 4);
        REQUIRE(loc.member != loc.parity[0]);
        data.insert(loc.member);
        parity.insert(loc.parity[0]);
      }
      REQUIRE(data.size() == 3);
      REQUIRE(parity.size() == 1);
      REQUIRE(data.count(*parity.begin()) == 0);
      parity_members.insert(*parity.begin());
    }
    REQUIRE(parity_members == std::set<std::uint32_t>{0, 1, 2, 3});
  }
}

TEST_CASE("RAID-5 layouts of any width cover every member once per stripe", "[storage][raid]") {
  const std::uint32_t n = GENERATE(3U, 5U, 8U);
  CAPTURE(n);
  const Geometry g = planned(RaidLevel::Raid5, 1_GiB, n);
  const std::uint32_t d = n - 1;
  std::vector<int> times_parity(n, 0);
  for (std::uint64_t stripe = 0; stripe < 2 * n; ++stripe) {
    std::set<std::uint32_t> used;
    std::uint32_t parity = n;
    for (std::uint64_t unit = stripe * d; unit < (stripe + 1) * d; ++unit) {
      const UnitLocation loc = locate_unit(g, unit);
      REQUIRE(loc.stripe == stripe);
      REQUIRE(loc.parity[0] == n - 1 - stripe % n);
      parity = loc.parity[0];
      used.insert(loc.member);
    }
    used.insert(parity);
    REQUIRE(used.size() == n);
    ++times_parity[parity];
  }
  for (int t : times_parity)
    REQUIRE(t == 2);
}

TEST_CASE("RAID-6 places P and Q on distinct members that rotate", "[storage][raid]") {
  SECTION("pinned layout on 4 members") {
    const Geometry g = planned(RaidLevel::Raid6, 1_GiB, 4);
    struct Row {
      std::uint64_t unit;
      std::uint32_t member;
      std::uint64_t stripe;
      std::uint32_t p;
      std::uint32_t q;
    };
    constexpr Row table[] = {
        {0, 1, 0, 3, 0}, {1, 2, 0, 3, 0},  // stripe 0: Q  D0 D1 P
        {2, 0, 1, 2, 3}, {3, 1, 1, 2, 3},  // stripe 1: D0 D1 P  Q
        {4, 3, 2, 1, 2}, {5, 0, 2, 1, 2},  // stripe 2: D1 P  Q  D0
        {6, 2, 3, 0, 1}, {7, 3, 3, 0, 1},  // stripe 3: P  Q  D0 D1
    };
    for (const Row& row : table) {
      CAPTURE(row.unit);
      const UnitLocation loc = locate_unit(g, row.unit);
      REQUIRE(loc.member == row.member);
      REQUIRE(loc.stripe == row.stripe);
      REQUIRE(loc.parity_count == 2);
      REQUIRE(loc.parity[0] == row.p);
      REQUIRE(loc.parity[1] == row.q);
    }
  }

  SECTION("pinned first stripes on 5 members") {
    const Geometry g = planned(RaidLevel::Raid6, 1_GiB, 5);
    // stripe 0: P=4 Q=0, data on 1 2 3; stripe 1: P=3 Q=4, data on 0 1 2.
    constexpr std::uint32_t members[] = {1, 2, 3, 0, 1, 2};
    for (std::uint64_t unit = 0; unit < 6; ++unit) {
      const UnitLocation loc = locate_unit(g, unit);
      REQUIRE(loc.member == members[unit]);
      REQUIRE(loc.parity[0] == (unit < 3 ? 4U : 3U));
      REQUIRE(loc.parity[1] == (unit < 3 ? 0U : 4U));
    }
  }

  SECTION("every stripe of any width has P != Q and distinct data elsewhere") {
    const std::uint32_t n = GENERATE(4U, 5U, 6U, 9U);
    CAPTURE(n);
    const Geometry g = planned(RaidLevel::Raid6, 1_GiB, n);
    const std::uint32_t d = n - 2;
    std::set<std::uint32_t> p_members;
    std::set<std::uint32_t> q_members;
    for (std::uint64_t stripe = 0; stripe < n; ++stripe) {
      CAPTURE(stripe);
      std::set<std::uint32_t> used;
      UnitLocation first = locate_unit(g, stripe * d);
      REQUIRE(first.parity_count == 2);
      REQUIRE(first.parity[0] != first.parity[1]);
      REQUIRE(first.parity[1] == (first.parity[0] + 1) % n);
      for (std::uint64_t unit = stripe * d; unit < (stripe + 1) * d; ++unit) {
        const UnitLocation loc = locate_unit(g, unit);
        REQUIRE(loc.stripe == stripe);
        REQUIRE(loc.parity[0] == first.parity[0]);
        REQUIRE(loc.parity[1] == first.parity[1]);
        REQUIRE(loc.member != loc.parity[0]);
        REQUIRE(loc.member != loc.parity[1]);
        used.insert(loc.member);
      }
      REQUIRE(used.size() == d);
      p_members.insert(first.parity[0]);
      q_members.insert(first.parity[1]);
    }
    REQUIRE(p_members.size() == n);
    REQUIRE(q_members.size() == n);
  }
}

TEST_CASE("RAID-10 stripes units over pairs and names the mirror copy", "[storage][raid]") {
  const Geometry g = planned(RaidLevel::Raid10, 1_GiB, 6);
  for (std::uint64_t unit = 0; unit < 9; ++unit) {
    CAPTURE(unit);
    const UnitLocation loc = locate_unit(g, unit);
    REQUIRE(loc.member == 2 * (unit % 3));
    REQUIRE(loc.mirror == loc.member + 1);
    REQUIRE(loc.stripe == unit / 3);
    REQUIRE(loc.parity_count == 0);
  }
}

TEST_CASE("locating a unit in a geometry plan() would refuse throws", "[storage][raid]") {
  REQUIRE_THROWS_AS(locate_unit(Geometry{}, 0), std::invalid_argument);
  Geometry odd;
  odd.level = RaidLevel::Raid10;
  odd.members = 5;
  REQUIRE_THROWS_AS(locate_unit(odd, 0), std::invalid_argument);
  Geometry narrow;
  narrow.level = RaidLevel::Raid5;
  narrow.members = 2;
  REQUIRE_THROWS_AS(locate_unit(narrow, 0), std::invalid_argument);
}

// ---- names ---------------------------------------------------------------------------------

TEST_CASE("level names round-trip through parse_raid_level", "[storage][raid]") {
  const RaidLevel level = GENERATE(from_range(all_levels));
  CAPTURE(level);
  REQUIRE(parse_raid_level(to_string(level)) == level);
  REQUIRE(streamed(level) == to_string(level));
}

TEST_CASE("level names are the lowercase VDS and RAID spellings", "[storage][raid]") {
  REQUIRE(std::string(to_string(RaidLevel::Simple)) == "simple");
  REQUIRE(std::string(to_string(RaidLevel::Span)) == "span");
  REQUIRE(std::string(to_string(RaidLevel::Stripe)) == "stripe");
  REQUIRE(std::string(to_string(RaidLevel::Mirror)) == "mirror");
  REQUIRE(std::string(to_string(RaidLevel::Raid5)) == "raid5");
  REQUIRE(std::string(to_string(RaidLevel::Raid6)) == "raid6");
  REQUIRE(std::string(to_string(RaidLevel::Raid10)) == "raid10");

  REQUIRE(parse_raid_level("raid0") == RaidLevel::Stripe);
  REQUIRE(parse_raid_level("raid1") == RaidLevel::Mirror);
  REQUIRE(parse_raid_level("parity") == RaidLevel::Raid5);

  REQUIRE_FALSE(parse_raid_level("").has_value());
  REQUIRE_FALSE(parse_raid_level("RAID5").has_value());
  REQUIRE_FALSE(parse_raid_level("raid 5").has_value());
  REQUIRE_FALSE(parse_raid_level("raid50").has_value());
  REQUIRE_FALSE(parse_raid_level("raid").has_value());
}

TEST_CASE("geometry errors have distinct names", "[storage][raid]") {
  const std::set<std::string> names = {
      to_string(GeometryError::TooFewMembers), to_string(GeometryError::TooManyMembers),
      to_string(GeometryError::OddMembers),    to_string(GeometryError::ZeroSize),
      to_string(GeometryError::TooLarge)};
  REQUIRE(names.size() == 5);
  REQUIRE(streamed(GeometryError::OddMembers) == "odd member count");
}
