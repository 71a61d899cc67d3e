// storage::Array (array.hpp, whose header is the contract): failure, hot spares, replacement,
// rebuilds in every mode and policy, data loss and restore, lifetimes, latent errors, offline
// drives, requested recovery, LUN removal, placement and reset — at the storage layer, with
// no provider type.
//
// Unless stated otherwise (tests/support/array_fixture.hpp): 6 drives d0..d5 of 1 GiB at
// 100 MiB/s in enclosure 0, 64 MiB chunks (0.64 s to read or write one), automatic io
// rebuilds; raid5_lun() is "lun1", RAID-5 of 768 MiB on d0..d3: 256 MiB per member = 4 chunks.
// Every ArrayEvents callback is logged as "<seconds> <what> ..."; times asserted are exact.
#include "tests/support/array_fixture.hpp"

#include "sim/engine/distribution.hpp"
#include "sim/engine/simulation.hpp"
#include "sim/storage/array.hpp"
#include "sim/storage/placement.hpp"
#include "sim/storage/repair.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using namespace sim::base::size_literals;
using sim::base::at;
using sim::base::Bytes;
using sim::base::Duration;
using sim::base::since_start;
using sim::engine::Distribution;
using sim::storage::DriveState;
using sim::storage::LatentErrorLaw;
using sim::storage::Lifetime;
using sim::storage::Lun;
using sim::storage::MemberState;
using sim::storage::Placement;
using sim::storage::RaidLevel;
using sim::storage::RebuildMode;
using sim::storage::RepairConfig;
using sim::storage::RepairPolicy;
using sim::storage::SpareScope;
using sim::testing::ArrayFixture;

using Lines = std::vector<std::string>;

namespace {

/// The usual LUN: RAID-5, 768 MiB on d0..d3 (256 MiB = 4 chunks per member).
Lun& raid5_lun(ArrayFixture& f) { return f.make_lun(RaidLevel::Raid5, {0, 1, 2, 3}, 768_MiB); }

/// The default repair configuration, but every rebuild takes exactly `rebuild` (mode law).
RepairConfig law_repair(Duration rebuild) {
  RepairConfig c;
  c.mode = RebuildMode::Law;
  c.rebuild_duration = Distribution::constant(rebuild);
  return c;
}

} // namespace

// ---------------------------------------------------------------------------------------------
// Failure, spares and rebuild timing

TEST_CASE("a failed member degrades its LUN, a hot spare takes it, and an io rebuild ends a + b + (k - 1) max(a, b) "
          "later",
          "[storage][array]") {
  // 4 chunks; each read takes a = 0.64 s on the 3 survivors in parallel, each write b = 0.64 s
  // on the spare, pipelined: 0.64 + 0.64 + 3 x 0.64 = 3.2 s after the failure at 1 s.
  ArrayFixture f;
  Lun& lun = raid5_lun(f);
  f.array.set_hot_spare(5, true);
  f.fail_at(1s, 1);
  CHECK(f.drive(1).state() == DriveState::Failed);
  CHECK(lun.member_down(1));
  CHECK(f.array.member_state(lun, 1) == MemberState::Rebuilding);
  CHECK(f.array.rebuilds_running() == 1);
  // The spare holds the member now: it is no spare any more, the failed drive holds nothing.
  CHECK(lun.members()[1] == &f.drive(5));
  CHECK_FALSE(f.drive(5).hot_spare());
  CHECK(f.drive(5).owned_by(lun.id()) == 256_MiB);
  CHECK(f.drive(1).used_bytes() == Bytes{});
  CHECK(lun.member_base(1) == 0);

  f.sim.run();
  CHECK(f.sim.now() == at(4200ms));
  CHECK(f.events.log == Lines{"1.000000000 drive_failed d1",
                              "1.000000000 condition lun1 degraded",
                              "1.000000000 spare_taken d5 for d1",
                              "1.000000000 rebuild_started lun1 member 1 on d5",
                              "1.000000000 condition lun1 rebuilding",
                              "4.200000000 rebuild_ended lun1 member 1 on d5",
                              "4.200000000 condition lun1 healthy"});
  CHECK(f.events.condition_changes("lun1") ==
        Lines{"1.000000000 degraded", "1.000000000 rebuilding", "4.200000000 healthy"});
  CHECK(f.array.member_state(lun, 1) == MemberState::Ok);
  CHECK_FALSE(lun.member_down(1));
  CHECK(f.array.degraded_time(lun, f.sim.now()) == 3200ms);
  CHECK(f.array.degraded_time(lun, at(100s)) == 3200ms);  // the clock stopped when healthy
  const auto& st = f.array.stats();
  CHECK(st.drive_failures == 1);
  CHECK(st.replacements == 0);
  CHECK(st.rebuilds_started == 1);
  CHECK(st.rebuilds_completed == 1);
  CHECK(st.losses.empty());
  CHECK(f.array.rebuilds_running() == 0);
  // Each survivor read the member extent once and the spare wrote it once, all background.
  for (const std::uint32_t s : {0u, 2u, 3u}) CHECK(f.drive(s).stats().bytes[1] == 256_MiB);
  CHECK(f.drive(5).stats().bytes[1] == 256_MiB);
}

TEST_CASE("a coarse rebuild ends exactly when the io pipeline on idle drives would, as one event", "[storage][array]") {
  // A member of k full chunks (time c each, reads = writes) and a rest (time r) takes
  // (k + 1) c + r, the rest read while the last full chunk is written; k = 0: r + r.
  const Bytes size = GENERATE(768_MiB, 300_MiB, 96_MiB);  // whole chunks, a short last chunk, one short chunk
  const RebuildMode mode = GENERATE(RebuildMode::Io, RebuildMode::Coarse);
  ArrayFixture f;
  RepairConfig c;
  c.mode = mode;
  f.array.set_repair(c);
  f.make_lun(RaidLevel::Raid5, {0, 1, 2, 3}, size);
  f.array.set_hot_spare(5, true);
  f.fail_at(1s, 1);
  const std::uint64_t events = f.sim.run();
  const std::uint64_t member = size.value / 3, chunk = (64_MiB).value;
  const std::uint64_t full = member / chunk;
  const Duration ct = f.transfer(Bytes{chunk}), r = f.transfer(Bytes{member % chunk});
  const Duration expected = full > 0 ? ct * static_cast<std::int64_t>(full + 1) + r : r + r;
  INFO("size " << size << ", mode " << (mode == RebuildMode::Io ? "io" : "coarse"));
  CHECK(f.sim.now() == at(1s + expected));
  CHECK(f.events.matching("rebuild_ended").size() == 1);
  if (mode == RebuildMode::Coarse) {
    CHECK(events == 1);  // the rebuild's end, and nothing on the drives
    CHECK(f.drive(5).stats().bytes[1] == Bytes{});
  }
}

TEST_CASE("a law rebuild is one event after a draw from rebuild_duration on the stream subsystem/<name>/rebuild",
          "[storage][array]") {
  ArrayFixture f;
  RepairConfig c;
  c.mode = RebuildMode::Law;
  Duration drawn{};
  SECTION("constant") {
    c.rebuild_duration = Distribution::constant(100s);
    drawn = 100s;
  }
  SECTION("uniform: the first draw of the array's stream \"subsystem/a/rebuild\"") {
    c.rebuild_duration = Distribution::uniform(10s, 20s);
    auto rng = f.sim.stream("subsystem/a/rebuild");
    drawn = c.rebuild_duration.sample(rng);
  }
  f.array.set_repair(c);
  Lun& lun = raid5_lun(f);
  f.array.set_hot_spare(5, true);
  f.fail_at(1s, 1);
  CHECK(f.sim.run() == 1);
  CHECK(f.sim.now() == at(1s + drawn));
  CHECK(f.events.matching("rebuild_ended") ==
        Lines{sim::base::format_seconds(at(1s + drawn)) + " rebuild_ended lun1 member 1 on d5"});
  CHECK(f.array.degraded_time(lun, f.sim.now()) == drawn);
  CHECK(f.drive(5).stats().bytes[1] == Bytes{});  // nothing went through the drives
}

TEST_CASE("policy sequential rebuilds one member at a time in failure order, parallel all at once",
          "[storage][array]") {
  // RAID-6 of 512 MiB on d0..d3, no spare; d2 fails at 1 s, d0 at 2 s; their replacements come
  // 10 s later and each rebuild takes 100 s.
  const RepairPolicy policy = GENERATE(RepairPolicy::Sequential, RepairPolicy::Parallel);
  ArrayFixture f;
  RepairConfig c = law_repair(100s);
  c.policy = policy;
  c.replace_after = Distribution::constant(10s);
  f.array.set_repair(c);
  Lun& lun = f.make_lun(RaidLevel::Raid6, {0, 1, 2, 3}, 512_MiB);
  f.fail_at(1s, 2);
  f.fail_at(2s, 0);
  f.sim.run();
  if (policy == RepairPolicy::Sequential) {
    CHECK(f.events.matching("rebuild_started") == Lines{"11.000000000 rebuild_started lun1 member 2 on d2#2",
                                                        "111.000000000 rebuild_started lun1 member 0 on d0#2"});
    CHECK(f.events.matching("rebuild_ended") == Lines{"111.000000000 rebuild_ended lun1 member 2 on d2#2",
                                                      "211.000000000 rebuild_ended lun1 member 0 on d0#2"});
  } else {
    CHECK(f.events.matching("rebuild_started") == Lines{"11.000000000 rebuild_started lun1 member 2 on d2#2",
                                                        "12.000000000 rebuild_started lun1 member 0 on d0#2"});
    CHECK(f.events.matching("rebuild_ended") == Lines{"111.000000000 rebuild_ended lun1 member 2 on d2#2",
                                                      "112.000000000 rebuild_ended lun1 member 0 on d0#2"});
  }
  CHECK(f.events.condition_changes("lun1").back().find(" healthy") != std::string::npos);
  CHECK(f.array.stats().rebuilds_completed == 2);
  CHECK(f.array.stats().losses.empty());
  CHECK(f.array.degraded_time(lun, f.sim.now()) == since_start(f.sim.now()) - 1s);
}

TEST_CASE("a rebuild whose source fails restarts at once with the sources left, and one whose target fails moves "
          "to another spare",
          "[storage][array]") {
  ArrayFixture f{{.drives = 8}};
  f.array.set_repair(law_repair(100s));
  f.make_lun(RaidLevel::Raid6, {0, 1, 2, 3}, 512_MiB);
  for (const std::uint32_t s : {5u, 6u, 7u}) f.array.set_hot_spare(s, true);
  f.fail_at(1s, 0);   // member 0 onto d5
  f.fail_at(50s, 5);  // the target fails: onto d6
  f.fail_at(60s, 2);  // a source fails: member 0 restarts on d6; member 2 waits (sequential) on d7
  f.sim.run();
  CHECK(f.events.matching("rebuild_started") == Lines{"1.000000000 rebuild_started lun1 member 0 on d5",
                                                      "50.000000000 rebuild_started lun1 member 0 on d6",
                                                      "60.000000000 rebuild_started lun1 member 0 on d6",
                                                      "160.000000000 rebuild_started lun1 member 2 on d7"});
  CHECK(f.events.matching("rebuild_ended") == Lines{"50.000000000 rebuild_ended lun1 member 0 on d5",
                                                    "60.000000000 rebuild_ended lun1 member 0 on d6",
                                                    "160.000000000 rebuild_ended lun1 member 0 on d6",
                                                    "260.000000000 rebuild_ended lun1 member 2 on d7"});
  CHECK(f.sim.now() == at(260s));
  CHECK(f.array.stats().rebuilds_started == 4);
  CHECK(f.array.stats().rebuilds_completed == 2);
  CHECK(f.array.stats().losses.empty());
}

// ---------------------------------------------------------------------------------------------
// Data loss and restore

TEST_CASE("a RAID-5 losing a second member before its rebuild ends is Lost: one whole-LUN DataLoss under its label",
          "[storage][array]") {
  ArrayFixture f;
  Lun& lun = raid5_lun(f);
  lun.set_label("Finance");
  f.array.set_hot_spare(5, true);
  f.fail_at(1s, 0);  // member 0 rebuilds onto d5 until 4.2 s
  f.fail_at(2s, 3);
  CHECK(lun.lost());
  CHECK(f.array.losses(lun) == 1);
  CHECK(f.array.member_state(lun, 0) == MemberState::Failed);  // its rebuild stopped
  CHECK(f.array.member_state(lun, 3) == MemberState::Failed);
  CHECK(f.array.rebuilds_running() == 0);
  f.sim.run();
  CHECK(f.events.matching("rebuild_ended") == Lines{"2.000000000 rebuild_ended lun1 member 0 on d5"});
  CHECK(f.events.condition_changes("lun1") ==
        Lines{"1.000000000 degraded", "1.000000000 rebuilding", "2.000000000 lost"});
  const auto& losses = f.array.stats().losses;
  REQUIRE(losses.size() == 1);
  CHECK(losses[0].time == at(2s));
  CHECK(losses[0].lun == "Finance");
  CHECK(losses[0].bytes == lun.size());
  CHECK(losses[0].bytes == 768_MiB);
  CHECK(losses[0].whole_lun);
  CHECK(f.array.stats().rebuilds_completed == 0);
  // A lost LUN takes no further notice of failures.
  const std::size_t before = f.events.log.size();
  f.array.fail_drive(1);
  CHECK(f.events.log.size() == before + 1);
  CHECK(f.events.log.back() == sim::base::format_seconds(f.sim.now()) + " drive_failed d1");
}

TEST_CASE("with restore_after_loss a lost LUN is restored at once on replaced drives, and the loss counts",
          "[storage][array]") {
  ArrayFixture f;
  RepairConfig c;
  c.restore_after_loss = true;
  f.array.set_repair(c);
  Lun& lun = raid5_lun(f);
  f.fail_at(1s, 0);  // no spare: member 0 waits
  f.fail_at(2s, 1);
  CHECK(f.events.log == Lines{"1.000000000 drive_failed d0",
                              "1.000000000 condition lun1 degraded",
                              "2.000000000 drive_failed d1",
                              "2.000000000 condition lun1 lost",
                              "2.000000000 drive_leaving d0",
                              "2.000000000 drive_replaced d0#2 was d0",
                              "2.000000000 drive_leaving d1",
                              "2.000000000 drive_replaced d1#2 was d1",
                              "2.000000000 restored lun1",
                              "2.000000000 condition lun1 healthy"});
  CHECK_FALSE(lun.lost());
  CHECK(lun.members_down() == 0);
  CHECK(ArrayFixture::member_names(lun) == Lines{"d0#2", "d1#2", "d2", "d3"});
  for (std::uint32_t m = 0; m < 4; ++m) {
    CHECK(f.array.member_state(lun, m) == MemberState::Ok);
    CHECK(lun.members()[m]->owned_by(lun.id()) == 256_MiB);
  }
  CHECK(f.array.losses(lun) == 1);
  REQUIRE(f.array.stats().losses.size() == 1);
  CHECK(f.array.stats().losses[0].whole_lun);
  CHECK(f.array.stats().replacements == 2);
  CHECK(f.array.degraded_time(lun, at(10s)) == 1s);
  CHECK(f.array.first_name(0) == "d0");
}

// ---------------------------------------------------------------------------------------------
// Replacement

TEST_CASE("without a spare a failed member waits, Failed and down, for the replacement '<first>#2', which rebuilds it",
          "[storage][array]") {
  ArrayFixture f;
  RepairConfig c;
  c.replace_after = Distribution::constant(10s);
  f.array.set_repair(c);
  Lun& lun = raid5_lun(f);
  f.fail_at(1s, 1);
  f.run_until(10s);
  CHECK(f.array.member_state(lun, 1) == MemberState::Failed);
  CHECK(lun.member_down(1));
  CHECK(f.events.condition_changes("lun1") == Lines{"1.000000000 degraded"});
  CHECK(f.array.rebuilds_running() == 0);

  f.run_until(20s);
  CHECK(f.events.log == Lines{"1.000000000 drive_failed d1",
                              "1.000000000 condition lun1 degraded",
                              "11.000000000 drive_leaving d1",
                              "11.000000000 drive_replaced d1#2 was d1",
                              "11.000000000 rebuild_started lun1 member 1 on d1#2",
                              "11.000000000 condition lun1 rebuilding",
                              "14.200000000 rebuild_ended lun1 member 1 on d1#2",
                              "14.200000000 condition lun1 healthy"});
  CHECK(f.drive(1).name() == "d1#2");
  CHECK(f.array.first_name(1) == "d1");
  CHECK(f.drive(1).state() == DriveState::Online);
  CHECK(ArrayFixture::member_names(lun) == Lines{"d0", "d1#2", "d2", "d3"});
  CHECK(f.drive(1).owned_by(lun.id()) == 256_MiB);
  CHECK(f.array.stats().replacements == 1);

  SECTION("a second failure of the slot gives '#3'") {
    f.fail_at(20s, 1);
    f.sim.run();
    CHECK(f.events.matching("drive_replaced") ==
          Lines{"11.000000000 drive_replaced d1#2 was d1", "30.000000000 drive_replaced d1#3 was d1#2"});
    CHECK(f.events.matching("drive_failed").back() == "20.000000000 drive_failed d1#2");
    CHECK(f.events.log.back() == "33.200000000 condition lun1 healthy");
    CHECK(f.array.first_name(1) == "d1");
    CHECK(f.array.stats().replacements == 2);
  }
}

TEST_CASE("a replacement with nothing to rebuild becomes a hot spare", "[storage][array]") {
  ArrayFixture f;
  RepairConfig c;
  c.replace_after = Distribution::constant(10s);
  f.array.set_repair(c);
  Lun& lun = raid5_lun(f);
  SECTION("a drive holding no member") {
    f.fail_at(1s, 4);
    f.sim.run();
    CHECK(f.events.log == Lines{"1.000000000 drive_failed d4", "11.000000000 drive_leaving d4",
                                "11.000000000 drive_replaced d4#2 was d4", "11.000000000 spare_added d4#2"});
    CHECK(f.drive(4).hot_spare());
  }
  SECTION("a drive whose members a spare took") {
    f.array.set_hot_spare(5, true);
    f.fail_at(1s, 1);
    f.sim.run();
    CHECK(f.events.matching("spare_added") == Lines{"11.000000000 spare_added d1#2"});
    CHECK(f.drive(1).hot_spare());
    CHECK(f.drive(1).used_bytes() == Bytes{});
    CHECK(ArrayFixture::member_names(lun) == Lines{"d0", "d5", "d2", "d3"});
  }
}

// ---------------------------------------------------------------------------------------------
// Spares

TEST_CASE("a failed drive's members take a spare in their own enclosure first, and with scope enclosure only there",
          "[storage][array]") {
  // e0/0..e0/3 in enclosure 0 (slots 0-3), e1/0, e1/1 in enclosure 1 (slots 4, 5).
  ArrayFixture f{{.drives = 0}};
  for (int i = 0; i < 4; ++i) f.add_drive("e0/" + std::to_string(i), 0);
  for (int i = 0; i < 2; ++i) f.add_drive("e1/" + std::to_string(i), 1);
  RepairConfig c;
  SECTION("own enclosure before a lower slot elsewhere") {
    f.array.set_repair(c);
    Lun& lun = f.make_lun(RaidLevel::Raid5, {0, 1, 4}, 512_MiB);
    f.array.set_hot_spare(3, true);  // e0/3
    f.array.set_hot_spare(5, true);  // e1/1
    f.fail_at(1s, 4);
    CHECK(f.events.matching("spare_taken") == Lines{"1.000000000 spare_taken e1/1 for e1/0"});
    CHECK(lun.members()[2] == &f.drive(5));
    CHECK(f.drive(3).hot_spare());
  }
  SECTION("scope subsystem: another enclosure's spare when its own has none") {
    c.spare_scope = SpareScope::Subsystem;
    f.array.set_repair(c);
    Lun& lun = f.make_lun(RaidLevel::Raid5, {0, 1, 2}, 512_MiB);
    f.array.set_hot_spare(4, true);  // e1/0
    f.fail_at(1s, 1);
    CHECK(f.events.matching("spare_taken") == Lines{"1.000000000 spare_taken e1/0 for e0/1"});
    CHECK(lun.members()[1] == &f.drive(4));
    CHECK(f.array.member_state(lun, 1) == MemberState::Rebuilding);
  }
  SECTION("scope enclosure: none") {
    c.spare_scope = SpareScope::Enclosure;
    f.array.set_repair(c);
    Lun& lun = f.make_lun(RaidLevel::Raid5, {0, 1, 2}, 512_MiB);
    f.array.set_hot_spare(4, true);
    f.fail_at(1s, 1);
    CHECK(f.events.matching("spare_taken").empty());
    CHECK(f.array.member_state(lun, 1) == MemberState::Failed);
    CHECK(f.drive(4).hot_spare());
  }
}

TEST_CASE("failed drives waiting for a spare are served in failure order as spares appear", "[storage][array]") {
  // lun1 on d0..d2, lun2 on d3..d5; the spares d6 and d7 are offline (their enclosure out) when
  // d3 fails at 1 s, then d0 at 2 s; d6 returns at 3 s, d7 at 4 s.
  ArrayFixture f{{.drives = 8}};
  f.array.set_repair(law_repair(100s));
  Lun& a = f.make_lun(RaidLevel::Raid5, {0, 1, 2}, 512_MiB);
  Lun& b = f.make_lun(RaidLevel::Raid5, {3, 4, 5}, 512_MiB);
  for (const std::uint32_t s : {6u, 7u}) {
    f.array.set_hot_spare(s, true);
    f.array.set_drive_offline(s, true);
  }
  f.fail_at(1s, 3);
  f.fail_at(2s, 0);
  CHECK(f.array.member_state(a, 0) == MemberState::Failed);
  CHECK(f.array.member_state(b, 0) == MemberState::Failed);
  f.offline_at(3s, 6, false);
  CHECK(f.array.member_state(b, 0) == MemberState::Rebuilding);  // the older failure, though a higher slot
  CHECK(f.array.member_state(a, 0) == MemberState::Failed);
  f.offline_at(4s, 7, false);
  CHECK(f.array.member_state(a, 0) == MemberState::Rebuilding);
  CHECK(f.events.matching("spare_taken") ==
        Lines{"3.000000000 spare_taken d6 for d3", "4.000000000 spare_taken d7 for d0"});
  CHECK(ArrayFixture::member_names(a) == Lines{"d7", "d1", "d2"});
  CHECK(ArrayFixture::member_names(b) == Lines{"d6", "d4", "d5"});
}

TEST_CASE("a failed drive whose members no longer need a target does not take the next spare",
          "[storage][array]") {
  // A failed slot waits for a spare while its members need a target; once its LUN was lost,
  // restored or removed they need none, and the next spare to appear stays a spare (found by
  // this test: take_spare handed out a spare for 0 bytes, to the lost LUN's own replacement).
  ArrayFixture f;
  RepairConfig c;
  c.replace_after = Distribution::constant(10s);
  c.mode = RebuildMode::Law;
  c.rebuild_duration = Distribution::constant(1s);
  SECTION("the LUN was lost") {
    f.array.set_repair(c);
    raid5_lun(f);
    f.fail_at(1s, 0);  // no spare: slot 0 waits for one
    f.fail_at(2s, 3);  // lost
  }
  SECTION("the LUN was restored") {
    c.restore_after_loss = true;
    f.array.set_repair(c);
    raid5_lun(f);
    f.fail_at(1s, 0);
    f.fail_at(2s, 3);  // lost and restored at once on d0#2 and d3#2
    f.fail_at(3s, 4);  // an unused drive: its replacement becomes a spare at 13 s
  }
  SECTION("the LUN was removed") {
    f.array.set_repair(c);
    Lun& lun = raid5_lun(f);
    f.fail_at(1s, 0);
    f.run_until(2s);
    f.array.remove_lun(lun);
  }
  f.sim.run();
  INFO("log:\n" << f.events.text());
  CHECK(f.events.matching("spare_taken").empty());
  // Every drive that became a spare still is one (nothing was rebuilt onto it).
  for (const std::string& line : f.events.matching("spare_added")) {
    const std::string name = line.substr(line.rfind(' ') + 1);
    for (std::uint32_t s = 0; s < f.array.drive_count(); ++s)
      if (f.drive(s).name() == name) CHECK(f.drive(s).hot_spare());
  }
}

// ---------------------------------------------------------------------------------------------
// Lifetimes

TEST_CASE("a constant lifetime fails the drive exactly then, less the age for the first drive only, and the "
          "replacement lives anew",
          "[storage][array]") {
  ArrayFixture f;
  RepairConfig c;
  c.replace_after = Distribution::constant(10s);
  f.array.set_repair(c);
  const Lifetime fresh{Distribution::constant(100s), {}};
  const Lifetime aged{Distribution::constant(100s), 30s};  // constant residual: exactly 100 - 30 s
  f.array.set_lifetime(1, &fresh);
  f.array.set_lifetime(2, &aged);
  f.run_until(300s);
  CHECK(f.events.matching("drive_failed") ==
        Lines{"70.000000000 drive_failed d2", "100.000000000 drive_failed d1", "180.000000000 drive_failed d2#2",
              "210.000000000 drive_failed d1#2", "290.000000000 drive_failed d2#3"});
  CHECK(f.array.stats().drive_failures == 5);
}

TEST_CASE("a lifetime is drawn from the stream life/<drive name>: the first conditioned on the age, a replacement's "
          "not",
          "[storage][array]") {
  // Weibull with shape 2 (an increasing hazard): the residual life after the age, from the same
  // raw value E, is scale((t0/scale)^2 + E)^(1/2) - t0 <= scale E^(1/2) (the square root is
  // subadditive): an aged drive dies no later than a new one would from the same draw.
  ArrayFixture f;
  RepairConfig c;
  c.replace_after = Distribution::constant(10s);
  f.array.set_repair(c);
  const Lifetime life{Distribution::weibull(2.0, 1000s), 500s};
  auto first_rng = f.sim.stream("life/d0");
  const Duration first = life.law.sample_residual(first_rng, life.age);
  auto new_rng = f.sim.stream("life/d0");
  const Duration unconditioned = life.law.sample(new_rng);
  auto second_rng = f.sim.stream("life/d0#2");
  const Duration second = life.law.sample(second_rng);
  CHECK(first < unconditioned);
  f.array.set_lifetime(0, &life);
  f.run_until(first + 10s + second);
  CHECK(f.events.matching("drive_failed") ==
        Lines{sim::base::format_seconds(at(first)) + " drive_failed d0",
              sim::base::format_seconds(at(first + 10s + second)) + " drive_failed d0#2"});
}

TEST_CASE("a uniform lifetime is exact under conditioning: the residual stays within the law's range, and an age "
          "past its end fails the drive at once",
          "[storage][array]") {
  // sample_residual of uniform(min, max) given age: uniform over (age, max] - age, and zero
  // when age >= max (distribution.hpp).
  ArrayFixture f;
  const Lifetime outlived{Distribution::uniform(50s, 150s), 200s};
  const Lifetime midway{Distribution::uniform(50s, 150s), 100s};
  f.array.set_lifetime(0, &outlived);
  f.array.set_lifetime(1, &midway);
  f.sim.run();
  const Lines failed = f.events.matching("drive_failed");
  REQUIRE(failed.size() == 2);
  CHECK(failed[0] == "0.000000000 drive_failed d0");
  const Duration t1 = since_start(f.sim.now());
  CHECK(failed[1] == sim::base::format_seconds(f.sim.now()) + " drive_failed d1");
  CHECK(t1 > 0s);
  CHECK(t1 <= 50s);
}

// ---------------------------------------------------------------------------------------------
// Latent errors and unrecoverable read errors

TEST_CASE("a rebuild with no redundancy left loses one sector per latent error on each survivor, and RAID-6 with "
          "one member down loses nothing",
          "[storage][array]") {
  // One latent error per drive per second (1 s, 2 s, ...), each scrubbed 2.5 s after it
  // appears. At 10.25 s the errors of 8, 9 and 10 s are present on each drive; the LUN fills
  // the drives, so every one is in its extent.
  ArrayFixture f;
  f.array.set_repair(law_repair(10s));
  LatentErrorLaw latent;
  latent.interval = Distribution::constant(1s);
  latent.scrub = Distribution::constant(2500ms);
  SECTION("RAID-5: 3 survivors x 3 sectors") {
    Lun& lun = f.make_lun(RaidLevel::Raid5, {0, 1, 2, 3}, 3_GiB);
    lun.set_label("Archive");
    for (std::uint32_t s = 0; s < 4; ++s) f.array.set_latent_errors(s, &latent);
    f.array.set_hot_spare(5, true);
    f.fail_at(10250ms, 1);
    CHECK(f.events.log == Lines{"10.250000000 drive_failed d1", "10.250000000 condition lun1 degraded",
                                "10.250000000 spare_taken d5 for d1", "10.250000000 sectors_lost lun1 9",
                                "10.250000000 rebuild_started lun1 member 1 on d5",
                                "10.250000000 condition lun1 rebuilding"});
    CHECK(f.array.stats().latent_errors == 40);  // 4 drives x 10 errors by then
    const auto& losses = f.array.stats().losses;
    REQUIRE(losses.size() == 1);
    CHECK(losses[0].time == at(10250ms));
    CHECK(losses[0].lun == "Archive");
    CHECK(losses[0].bytes == Bytes{9 * 4096});
    CHECK_FALSE(losses[0].whole_lun);
    CHECK_FALSE(lun.lost());
    CHECK(f.array.losses(lun) == 0);
  }
  SECTION("a rebuild restarted in the same exposure loses no sector twice") {
    // RAID-5 exposed at 10.25 s (9 sectors, as above); a source goes offline at 12 s (the
    // rebuild pauses, the LUN is unavailable) and comes back at 13 s: the rebuild restarts and
    // reads the same survivors, whose unreadable sectors were lost at 10.25 s already.
    Lun& lun = f.make_lun(RaidLevel::Raid5, {0, 1, 2, 3}, 3_GiB);
    for (std::uint32_t s = 0; s < 4; ++s) f.array.set_latent_errors(s, &latent);
    f.array.set_hot_spare(5, true);
    f.fail_at(10250ms, 1);
    f.sim.run_until(at(12s));
    f.array.set_drive_offline(0, true);
    f.sim.run_until(at(13s));
    f.array.set_drive_offline(0, false);
    CHECK(f.events.matching("rebuild_started").size() == 2);
    CHECK(f.events.matching("sectors_lost") == Lines{"10.250000000 sectors_lost lun1 9"});
    CHECK(f.array.stats().losses.size() == 1);
    CHECK_FALSE(lun.lost());
  }
  SECTION("RAID-6: nothing with one member down; with two, the two survivors' errors") {
    Lun& lun = f.make_lun(RaidLevel::Raid6, {0, 1, 2, 3}, 2_GiB);
    for (std::uint32_t s = 0; s < 4; ++s) f.array.set_latent_errors(s, &latent);
    f.array.set_hot_spare(5, true);
    f.fail_at(10250ms, 1);
    CHECK(f.events.matching("sectors_lost").empty());
    CHECK(f.array.stats().losses.empty());
    // d2, a source, fails at 15.25 s: member 1's rebuild restarts from d0 and d3 alone, whose
    // errors of 13, 14 and 15 s are present: 2 x 3 sectors.
    f.fail_at(15250ms, 2);
    CHECK(f.events.matching("sectors_lost") == Lines{"15.250000000 sectors_lost lun1 6"});
    REQUIRE(f.array.stats().losses.size() == 1);
    CHECK(f.array.stats().losses[0].bytes == Bytes{6 * 4096});
    CHECK_FALSE(lun.lost());
  }
}

TEST_CASE("unrecoverable read errors during an exposed rebuild: a Poisson number of sectors, mean = bits read x rate",
          "[storage][array]") {
  // The rate gives a mean of 50 sectors (3 survivors x 256 MiB x 8 bits read). Over 400
  // replications the mean count is within 4 standard errors of 50: SE = sqrt(50 / 400) = 0.354
  // (a Poisson variance equals its mean; the normal approximation used above a mean of 30 has
  // the same mean and variance), so a false failure has probability about 6e-5.
  const double bits = 3.0 * 256.0 * 1048576.0 * 8.0;
  const int runs = 400;
  double sum = 0;
  for (int i = 0; i < runs; ++i) {
    ArrayFixture f{{.replication = static_cast<std::uint64_t>(i)}};
    RepairConfig c = law_repair(1s);
    c.ure_per_bit = 50.0 / bits;
    f.array.set_repair(c);
    raid5_lun(f);
    f.array.set_hot_spare(5, true);
    f.fail_at(1s, 1);
    const auto& losses = f.array.stats().losses;
    if (!losses.empty()) {
      CHECK_FALSE(losses[0].whole_lun);
      sum += static_cast<double>(losses[0].bytes.value) / 4096.0;
    }
  }
  CHECK(std::abs(sum / runs - 50.0) <= 4 * std::sqrt(50.0 / runs));
}

// ---------------------------------------------------------------------------------------------
// Offline drives

TEST_CASE("an offline drive puts its members down but not failed, and back online the LUN is healthy again",
          "[storage][array]") {
  ArrayFixture f;
  Lun& lun = raid5_lun(f);
  f.array.set_hot_spare(5, true);
  f.offline_at(1s, 1, true);
  CHECK(f.drive(1).state() == DriveState::Offline);
  CHECK(lun.member_down(1));
  CHECK(f.array.member_state(lun, 1) == MemberState::Ok);
  CHECK_FALSE(lun.unavailable());
  CHECK(f.array.rebuilds_running() == 0);  // nothing to rebuild: the member is consistent
  CHECK(f.drive(5).hot_spare());
  f.offline_at(5s, 1, false);
  CHECK(f.events.log == Lines{"1.000000000 drive_offline d1", "1.000000000 condition lun1 degraded",
                              "5.000000000 drive_online d1", "5.000000000 condition lun1 healthy"});
  CHECK_FALSE(lun.member_down(1));
  CHECK(f.array.degraded_time(lun, at(10s)) == 4s);
  CHECK(f.array.stats().drive_failures == 0);
  CHECK(f.array.stats().rebuilds_started == 0);
}

TEST_CASE("past its tolerance an offline LUN is Unavailable with nothing lost, until offline_timeout declares the "
          "drives failed",
          "[storage][array]") {
  ArrayFixture f;
  RepairConfig c;
  c.offline_timeout = 30s;
  f.array.set_repair(c);
  Lun& lun = raid5_lun(f);
  f.offline_at(1s, 0, true);
  f.offline_at(1s, 1, true);
  CHECK(lun.unavailable());
  CHECK_FALSE(lun.lost());
  CHECK(f.events.condition_changes("lun1") == Lines{"1.000000000 degraded", "1.000000000 unavailable"});
  SECTION("the drives stay out: failed 30 s later, and the LUN lost") {
    f.sim.run();
    CHECK(f.events.matching("drive_failed") == Lines{"31.000000000 drive_failed d0", "31.000000000 drive_failed d1"});
    CHECK(f.events.condition_changes("lun1").back() == "31.000000000 lost");
    REQUIRE(f.array.stats().losses.size() == 1);
    CHECK(f.array.stats().losses[0].time == at(31s));
    CHECK(f.array.stats().losses[0].whole_lun);
    CHECK(lun.lost());
  }
  SECTION("one returns in time: its timer is cancelled, the other fails") {
    f.offline_at(10s, 0, false);
    CHECK(f.events.condition_changes("lun1").back() == "10.000000000 degraded");
    f.sim.run();
    CHECK(f.events.matching("drive_failed") == Lines{"31.000000000 drive_failed d1"});
    CHECK(f.array.stats().losses.empty());
    CHECK(f.array.member_state(lun, 1) == MemberState::Failed);
  }
}

TEST_CASE("a rebuild reading from a drive that goes offline stops, and restarts from the start when it returns",
          "[storage][array]") {
  // d1 fails at 0 s; d5 rebuilds it until 3.2 s. d2 (a source) is out from 1 s to 5 s: the
  // rebuild restarts at 5 s and ends 3.2 s later.
  ArrayFixture f;
  Lun& lun = raid5_lun(f);
  f.array.set_hot_spare(5, true);
  f.array.fail_drive(1);
  f.offline_at(1s, 2, true);
  f.run_until(4s);
  CHECK(lun.unavailable());  // d1 rebuilding and d2 out: past RAID-5's tolerance
  CHECK(f.array.member_state(lun, 1) == MemberState::Waiting);
  CHECK(f.array.rebuilds_running() == 0);
  f.offline_at(5s, 2, false);
  f.sim.run();
  CHECK(f.sim.now() == at(8200ms));
  CHECK(f.events.matching("rebuild_started") ==
        Lines{"0.000000000 rebuild_started lun1 member 1 on d5", "5.000000000 rebuild_started lun1 member 1 on d5"});
  CHECK(f.events.matching("rebuild_ended") ==
        Lines{"1.000000000 rebuild_ended lun1 member 1 on d5", "8.200000000 rebuild_ended lun1 member 1 on d5"});
  CHECK(f.events.log.back() == "8.200000000 condition lun1 healthy");
  CHECK(f.array.stats().rebuilds_completed == 1);
  CHECK(f.array.stats().losses.empty());
}

TEST_CASE("a replacement put into an unreachable enclosure starts offline, without the offline timeout",
          "[storage][array]") {
  // d1 alone in enclosure 1; it fails at 1 s, enclosure 1 is out from 5 s, the replacement
  // arrives at 11 s, the enclosure returns at 30 s.
  ArrayFixture f{{.drives = 0}};
  for (std::int16_t i = 0; i < 6; ++i) f.add_drive("d" + std::to_string(i), static_cast<std::int16_t>(i == 1 ? 1 : 0));
  RepairConfig c;
  c.replace_after = Distribution::constant(10s);
  c.offline_timeout = 5s;
  f.array.set_repair(c);
  Lun& lun = raid5_lun(f);
  f.fail_at(1s, 1);
  f.run_until(5s);
  f.events.unreachable.insert(1);
  f.run_until(30s);
  CHECK(f.drive(1).name() == "d1#2");
  CHECK(f.drive(1).state() == DriveState::Offline);
  CHECK(f.array.stats().drive_failures == 1);  // no timeout for a drive never online
  CHECK(f.array.member_state(lun, 1) == MemberState::Waiting);
  CHECK(f.array.rebuilds_running() == 0);
  f.events.unreachable.clear();
  f.offline_at(30s, 1, false);
  f.sim.run();
  CHECK(f.events.log == Lines{"1.000000000 drive_failed d1",
                              "1.000000000 condition lun1 degraded",
                              "11.000000000 drive_leaving d1",
                              "11.000000000 drive_replaced d1#2 was d1",
                              "11.000000000 drive_offline d1#2",
                              "11.000000000 condition lun1 degraded",
                              "30.000000000 drive_online d1#2",
                              "30.000000000 condition lun1 degraded",
                              "30.000000000 rebuild_started lun1 member 1 on d1#2",
                              "30.000000000 condition lun1 rebuilding",
                              "33.200000000 rebuild_ended lun1 member 1 on d1#2",
                              "33.200000000 condition lun1 healthy"});
}

// ---------------------------------------------------------------------------------------------
// Requested recovery

TEST_CASE("with automatic repair off nothing rebuilds until recovery is requested and carried out",
          "[storage][array]") {
  ArrayFixture f;
  RepairConfig c = law_repair(50s);
  c.automatic = false;
  f.array.set_repair(c);
  Lun& lun = raid5_lun(f);
  f.array.set_hot_spare(5, true);
  f.fail_at(1s, 1);
  f.run_until(100s);
  CHECK(f.array.member_state(lun, 1) == MemberState::Failed);
  CHECK(f.drive(5).hot_spare());
  CHECK(f.array.rebuilds_running() == 0);
  f.array.recover(lun);  // nothing requested: no effect
  CHECK(f.drive(5).hot_spare());
  f.array.request_recovery(lun);
  f.array.recover(lun);
  f.sim.run();
  CHECK(f.events.log == Lines{"1.000000000 drive_failed d1",
                              "1.000000000 condition lun1 degraded",
                              "100.000000000 spare_taken d5 for d1",
                              "100.000000000 rebuild_started lun1 member 1 on d5",
                              "100.000000000 condition lun1 rebuilding",
                              "150.000000000 rebuild_ended lun1 member 1 on d5",
                              "150.000000000 condition lun1 healthy",
                              "150.000000000 recovery_finished lun1 healthy"});
}

TEST_CASE("a requested recovery ends Healthy at once on a healthy LUN, NoTarget without a spare, Lost when the LUN "
          "is lost meanwhile, and is forgotten by remove_lun",
          "[storage][array]") {
  ArrayFixture f;
  RepairConfig c = law_repair(50s);
  c.automatic = false;
  f.array.set_repair(c);
  Lun& lun = raid5_lun(f);
  SECTION("healthy") {
    f.array.request_recovery(lun);
    f.array.recover(lun);
    CHECK(f.events.log == Lines{"0.000000000 recovery_finished lun1 healthy"});
  }
  SECTION("no spare") {
    f.fail_at(1s, 1);
    f.array.request_recovery(lun);
    f.array.recover(lun);
    CHECK(f.events.matching("recovery_finished") == Lines{"1.000000000 recovery_finished lun1 no_target"});
    CHECK(f.array.member_state(lun, 1) == MemberState::Failed);
  }
  SECTION("lost meanwhile") {
    f.array.set_hot_spare(5, true);
    f.fail_at(1s, 1);
    f.array.request_recovery(lun);
    f.array.recover(lun);
    f.fail_at(20s, 2);
    CHECK(f.events.matching("recovery_finished") == Lines{"20.000000000 recovery_finished lun1 lost"});
    f.sim.run();
    CHECK(f.events.matching("recovery_finished").size() == 1);
  }
  SECTION("removed meanwhile") {
    f.array.set_hot_spare(5, true);
    f.fail_at(1s, 1);
    f.array.request_recovery(lun);
    f.array.recover(lun);
    f.run_until(20s);
    f.array.remove_lun(lun);
    f.sim.run();
    CHECK(f.events.matching("recovery_finished").empty());
    CHECK(f.events.log.back() == "20.000000000 rebuild_ended lun1 member 1 on d5");
  }
}

// ---------------------------------------------------------------------------------------------
// LUN removal and placement

namespace {

/// Drive names, in order.
std::vector<std::string> names(const std::vector<sim::storage::Drive*>& drives) {
  std::vector<std::string> out;
  for (const sim::storage::Drive* d : drives) out.push_back(d->name());
  return out;
}

} // namespace

TEST_CASE("remove_lun stops the LUN's rebuilds, frees its extents and stops its degraded clock", "[storage][array]") {
  ArrayFixture f;
  Lun& lun = raid5_lun(f);
  f.array.set_hot_spare(5, true);
  f.fail_at(1s, 1);
  f.run_until(2s);
  f.array.remove_lun(lun);
  CHECK(f.array.rebuilds_running() == 0);
  CHECK(f.events.log.back() == "2.000000000 rebuild_ended lun1 member 1 on d5");
  for (std::uint32_t s = 0; s < 6; ++s) CHECK(f.drive(s).owned_by(lun.id()) == Bytes{});
  CHECK(names(f.array.index().usable(1_GiB)) == Lines{"d0", "d2", "d3", "d4", "d5"});
  f.sim.run();
  CHECK(f.array.degraded_time(lun, at(100s)) == 1s);
  CHECK(f.array.stats().rebuilds_completed == 0);
  // Its failures no longer concern it.
  const std::size_t before = f.events.log.size();
  f.array.fail_drive(0);
  CHECK(f.events.log.size() == before + 1);
}

TEST_CASE("usable drives are online, not spares, with room: least used first, ties in natural name order",
          "[storage][array]") {
  ArrayFixture f{{.drives = 0}};
  for (const char* n : {"d10", "d2", "d1", "d3", "d20"}) f.add_drive(n, 0);  // slots 0..4
  CHECK(names(f.array.index().usable(1_MiB)) == Lines{"d1", "d2", "d3", "d10", "d20"});
  CHECK(f.array.index().rank(0) == 3);  // d10 after d1, d2, d3
  f.make_lun(RaidLevel::Simple, {2}, 256_MiB);  // d1
  f.make_lun(RaidLevel::Simple, {4}, 128_MiB);  // d20
  CHECK(names(f.array.index().usable(1_MiB)) == Lines{"d2", "d3", "d10", "d20", "d1"});
  CHECK(names(f.array.index().usable(1_MiB, 2)) == Lines{"d2", "d3"});
  f.array.set_hot_spare(3, true);             // d3
  f.array.fail_drive(1);                      // d2
  f.array.set_drive_offline(0, true);         // d10
  CHECK(names(f.array.index().usable(1_MiB)) == Lines{"d20", "d1"});
  CHECK(names(f.array.index().usable(800_MiB)) == Lines{"d20"});  // d1 has 768 MiB free
  f.array.set_drive_offline(0, false);
  f.array.set_hot_spare(3, false);
  CHECK(names(f.array.index().usable(1_MiB)) == Lines{"d3", "d10", "d20", "d1"});
}

TEST_CASE("placement: balanced takes the least used, spread one drive per enclosure first, pack enclosure by "
          "enclosure",
          "[storage][array]") {
  // e0/0..e0/3, e1/0..e1/3, e2/0..e2/3 in enclosures 0, 1, 2; e0/0 holds 256 MiB.
  ArrayFixture f{{.drives = 0}};
  for (std::int16_t e = 0; e < 3; ++e)
    for (int i = 0; i < 4; ++i) f.add_drive("e" + std::to_string(e) + "/" + std::to_string(i), e);
  f.make_lun(RaidLevel::Simple, {0}, 256_MiB);
  const auto& index = f.array.index();
  std::string note;
  CHECK(names(index.place(Placement::Balanced, 6, 256_MiB, &note)) ==
        Lines{"e0/1", "e0/2", "e0/3", "e1/0", "e1/1", "e1/2"});
  CHECK(note.empty());
  CHECK(names(index.place(Placement::Explicit, 3, 256_MiB, &note)) == Lines{"e0/1", "e0/2", "e0/3"});
  CHECK(names(index.place(Placement::Spread, 3, 256_MiB, &note)) == Lines{"e0/1", "e1/0", "e2/0"});
  CHECK(note.empty());
  // One per enclosure (e0/1, e1/0, e2/0), then the least used left (e0/2, e0/3, e1/1); listed in
  // usage order.
  CHECK(names(index.place(Placement::Spread, 6, 256_MiB, &note)) ==
        Lines{"e0/1", "e0/2", "e0/3", "e1/0", "e1/1", "e2/0"});
  CHECK(note == "placement spread: 6 members over 3 enclosures (only 3 have room), so members share enclosures");
  CHECK(names(index.place(Placement::Pack, 6, 256_MiB, nullptr)) ==
        Lines{"e0/1", "e0/2", "e0/3", "e0/0", "e1/0", "e1/1"});
  CHECK(index.place(Placement::Balanced, 20, 256_MiB, nullptr).size() == 12);  // fewer when too few qualify
}

// ---------------------------------------------------------------------------------------------
// Events and replications

TEST_CASE("every event the array schedules is a provider.repair event about a drive", "[storage][array]") {
  struct Trace final : sim::engine::TraceSink {
    std::vector<sim::engine::EventTag> tags;
    void on_event(sim::base::Time, sim::engine::EventTag tag) override { tags.push_back(tag); }
  } trace;
  ArrayFixture f;
  f.sim.set_trace(&trace);
  RepairConfig c = law_repair(5s);
  c.replace_after = Distribution::constant(10s);
  c.offline_timeout = 20s;
  f.array.set_repair(c);
  raid5_lun(f);
  const Lifetime life{Distribution::constant(10s), {}};
  LatentErrorLaw latent;
  latent.interval = Distribution::constant(7s);
  latent.scrub = Distribution::constant(3s);
  f.array.set_lifetime(1, &life);
  f.array.set_latent_errors(0, &latent);
  f.array.set_drive_offline(4, true);  // failed by the timeout at 20 s
  f.run_until(60s);
  REQUIRE_FALSE(trace.tags.empty());
  std::vector<std::uint32_t> entities;
  for (std::uint32_t s = 0; s < 6; ++s) entities.push_back(f.drive(s).entity());
  for (const auto& tag : trace.tags) {
    CHECK(f.sim.kind_name(tag.kind) == "provider.repair");
    CHECK(std::find(entities.begin(), entities.end(), tag.entity) != entities.end());
  }
}

namespace {

/// A long run with random lifetimes, replacements, latent errors, io rebuilds and restores.
struct RandomRun {
  Lifetime life{Distribution::exponential(300s), 100s};
  LatentErrorLaw latent{Distribution::exponential(40s), Distribution::constant(60s)};

  void arm(ArrayFixture& f) const {
    RepairConfig c;
    c.replace_after = Distribution::exponential(30s);
    c.restore_after_loss = true;
    c.ure_per_bit = 1e-10;
    f.array.set_repair(c);
    f.make_lun(RaidLevel::Raid6, {0, 1, 2, 3, 4, 5}, 512_MiB);
    f.make_lun(RaidLevel::Raid5, {0, 2, 4}, 128_MiB);
    f.array.set_hot_spare(6, true);
    f.array.set_hot_spare(7, true);
    for (std::uint32_t s = 0; s < 8; ++s) {
      f.array.set_lifetime(s, &life);
      f.array.set_latent_errors(s, &latent);
    }
  }
};

} // namespace

TEST_CASE("reset gives the drives back under their first names, empty, not spares, and a second run repeats the "
          "first exactly",
          "[storage][array]") {
  const RandomRun scenario;
  ArrayFixture f{{.drives = 8, .seed = 42}};
  scenario.arm(f);
  f.run_until(3000s);
  const Lines first = f.events.log;
  const std::uint64_t fingerprint = f.sim.fingerprint();
  // The comparison is not vacuous: the run failed, replaced and rebuilt drives.
  REQUIRE(f.array.stats().drive_failures >= 3);
  REQUIRE(f.array.stats().replacements >= 3);
  REQUIRE(f.array.stats().rebuilds_completed >= 1);
  REQUIRE(!f.events.matching("drive_replaced").empty());

  f.reset();
  for (std::uint32_t s = 0; s < 8; ++s) {
    INFO("slot " << s);
    CHECK(f.drive(s).name() == "d" + std::to_string(s));
    CHECK(f.array.first_name(s) == f.drive(s).name());
    CHECK(f.drive(s).state() == DriveState::Online);
    CHECK(f.drive(s).used_bytes() == Bytes{});
    CHECK_FALSE(f.drive(s).hot_spare());
  }
  const auto& st = f.array.stats();
  CHECK(st.drive_failures == 0);
  CHECK(st.replacements == 0);
  CHECK(st.rebuilds_started == 0);
  CHECK(st.rebuilds_completed == 0);
  CHECK(st.latent_errors == 0);
  CHECK(st.losses.empty());
  CHECK(f.array.rebuilds_running() == 0);
  CHECK(f.array.index().usable(1_GiB).size() == 8);
  CHECK(f.array.repair().restore_after_loss);  // the configuration stays
  f.run_until(3000s);
  CHECK(f.events.log.empty());  // laws were cleared

  f.reset();
  scenario.arm(f);
  f.run_until(3000s);
  CHECK(f.events.log == first);
  CHECK(f.sim.fingerprint() == fingerprint);

  ArrayFixture fresh{{.drives = 8, .seed = 42}};
  scenario.arm(fresh);
  fresh.run_until(3000s);
  CHECK(fresh.events.log == first);
  CHECK(fresh.sim.fingerprint() == fingerprint);
}
