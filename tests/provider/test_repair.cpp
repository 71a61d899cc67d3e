// Drive failures and repair (subsystem.hpp, "Failures and repair"): degraded LUNs, spares,
// replacements, rebuild timing in every mode, policies, data loss, restore, Recover, latent
// errors and unrecoverable read errors.
//
// Unless stated otherwise: 6 drives d0..d5 of 1 GiB at 100 MiB/s, 64 MiB chunks (0.64 s each),
// management latency 100 ms, `init: none` (a LUN is online 0.1 s after the call), and a RAID-5
// LUN of 768 MiB on d0..d3, i.e. 256 MiB per member = 4 chunks. Times asserted are exact.
#include "tests/support/provider_fixture.hpp"

#include "sim/provider/async.hpp"
#include "sim/provider/subsystem.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <cmath>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using namespace sim::base::size_literals;
using namespace sim::provider;
using sim::storage::LatentErrorLaw;
using sim::storage::MemberState;
using sim::storage::Placement;
using sim::storage::RebuildMode;
using sim::storage::ReliabilityStats;
using sim::storage::RepairConfig;
using sim::storage::RepairPolicy;
using sim::storage::SpareScope;
using sim::base::Bytes;
using sim::base::Duration;
using sim::base::Time;
using sim::engine::Distribution;
using sim::testing::ProviderFixture;
using sim::testing::RecordingSink;
using sim::testing::WaitCapture;

namespace {

Time at(Duration d) { return Time{d}; }

/// A RAID-5 (or other) LUN created on the given drives with `init: none`; runs 0.1 s.
LunObject& make_lun(ProviderFixture& f, std::initializer_list<std::size_t> drives, LunType type = LunType::Raid5,
                    Bytes size = 768_MiB, std::int16_t rebuild_priority = 0) {
  AsyncHandle* h = nullptr;
  Hints hints;
  hints.rebuild_priority = rebuild_priority;
  REQUIRE(f.subsystem.create_lun(static_cast<std::int32_t>(type), size, f.ids(drives), &hints, &h, f.me) == hr::s_ok);
  f.sim.run_until(f.sim.now() + 100ms);
  REQUIRE(h->finishing());
  LunObject& lun = *f.subsystem.luns().back();
  REQUIRE(lun.status() == LunStatus::Online);
  return lun;
}

void fail_at(ProviderFixture& f, Duration t, std::size_t drive) {
  f.sim.schedule_at(at(t), sim::engine::Action{[](void* s, std::uint64_t i) {
                              auto* fx = static_cast<ProviderFixture*>(s);
                              fx->subsystem.array().fail_drive(fx->drive_object(static_cast<std::size_t>(i)).slot());
                            },
                                               &f, drive});
}

/// Health changes of `lun` in the sink, as "time health" strings.
std::vector<std::string> health_log(const RecordingSink& sink, const LunObject& lun) {
  std::vector<std::string> out;
  for (const auto& n : sink.events)
    if (n.object == lun.name() && n.detail.rfind("status=", 0) == 0)
      out.push_back(sim::base::format_seconds(n.time) + " " + n.detail.substr(n.detail.find("health=") + 7));
  return out;
}

} // namespace

TEST_CASE("a failed member degrades the LUN, a hot spare takes it and the io rebuild takes a + b + (k-1) max(a, b)") {
  // 4 chunks, reads 0.64 s on each of the 3 survivors in parallel, writes 0.64 s on the spare,
  // pipelined: 0.64 + 0.64 + 3 x 0.64 = 3.2 s after the failure at 1 s.
  ProviderFixture f{{.initialize = false}};
  RecordingSink sink;
  f.subsystem.set_sink(&sink);
  LunObject& lun = make_lun(f, {0, 1, 2, 3});
  f.subsystem.array().set_hot_spare(f.drive_object(5).slot(), true);
  fail_at(f, 1s, 1);
  f.sim.run();
  CHECK(f.sim.now() == at(4200ms));
  CHECK(health_log(sink, lun) == std::vector<std::string>{"0.100000000 VDS_H_HEALTHY", "1.000000000 VDS_H_FAILED_REDUNDANCY",
                                                          "1.000000000 VDS_H_REBUILDING", "4.200000000 VDS_H_HEALTHY"});
  CHECK(ProviderFixture::member_names(lun) == std::vector<std::string>{"d0", "d5", "d2", "d3"});
  CHECK_FALSE(f.drive(5).hot_spare());
  CHECK(f.drive(5).owned_by(lun.number()) == 256_MiB);
  CHECK(f.drive(1).state() == sim::storage::DriveState::Failed);
  CHECK(f.drive(1).used_bytes() == Bytes{});  // its extents moved to the spare
  CHECK(lun.degraded_time(f.sim.now()) == 3200ms);
  const ReliabilityStats& st = f.subsystem.reliability();
  CHECK(st.drive_failures == 1);
  CHECK(st.rebuilds_started == 1);
  CHECK(st.rebuilds_completed == 1);
  CHECK(st.losses.empty());
  // Each survivor read the member extent once, the spare wrote it once, all background.
  for (std::size_t d : {0, 2, 3}) CHECK(f.drive(d).stats().bytes[1] == 256_MiB);
  CHECK(f.drive(5).stats().bytes[1] == 256_MiB);
}

TEST_CASE("coarse rebuilds take exactly the time of the io pipeline on idle drives, as one event") {
  for (const RebuildMode mode : {RebuildMode::Io, RebuildMode::Coarse}) {
    for (const Bytes size : {768_MiB, 3_MiB * 100, 96_MiB}) {  // whole chunks, a short last chunk, one short chunk
      ProviderFixture f{{.initialize = false}};
      RepairConfig c;
      c.mode = mode;
      f.subsystem.array().set_repair(c);
      make_lun(f, {0, 1, 2, 3}, LunType::Raid5, size);
      f.subsystem.array().set_hot_spare(f.drive_object(5).slot(), true);
      fail_at(f, 1s, 1);
      const auto events_before = f.sim.events_processed();
      f.sim.run();
      // member = size / 3 in k full chunks (time c each, reads = writes) and a rest (time r):
      // (k + 1) c + r, the rest read while the last full chunk is written; k = 0: r + r.
      const std::uint64_t member = size.value / 3, chunk = 64ULL << 20;
      const std::uint64_t full = member / chunk, rest = member % chunk;
      const Duration ct = Bytes{chunk} / f.setup.bandwidth, r = Bytes{rest} / f.setup.bandwidth;
      const Duration expected = full > 0 ? ct * static_cast<std::int64_t>(full + 1) + r : r + r;
      INFO("mode " << static_cast<int>(mode) << " size " << size.value);
      CHECK(f.sim.now() == at(1s) + expected);
      if (mode == RebuildMode::Coarse) CHECK(f.sim.events_processed() - events_before == 2);  // failure, end
    }
  }
}

TEST_CASE("a rebuild law gives the rebuild time directly, sequential repairs one member at a time, parallel all") {
  for (const RepairPolicy policy : {RepairPolicy::Sequential, RepairPolicy::Parallel}) {
    ProviderFixture f{{.initialize = false}};
    RecordingSink sink;
    f.subsystem.set_sink(&sink);
    RepairConfig c;
    c.mode = RebuildMode::Law;
    c.rebuild_duration = Distribution::constant(100s);
    c.policy = policy;
    f.subsystem.array().set_repair(c);
    LunObject& lun = make_lun(f, {0, 1, 2, 3}, LunType::Raid6, 512_MiB);
    f.subsystem.array().set_hot_spare(f.drive_object(4).slot(), true);
    f.subsystem.array().set_hot_spare(f.drive_object(5).slot(), true);
    fail_at(f, 1s, 0);
    fail_at(f, 1s, 2);
    f.sim.run();
    const Time healthy = policy == RepairPolicy::Sequential ? at(201s) : at(101s);
    CHECK(f.sim.now() == healthy);
    CHECK(lun.health() == Health::Healthy);
    CHECK(f.subsystem.reliability().rebuilds_completed == 2);
    CHECK(f.subsystem.reliability().losses.empty());
  }
}

TEST_CASE("without a spare the members wait for the replacement, named slot#2, which rebuilds them") {
  ProviderFixture f{{.initialize = false}};
  RecordingSink sink;
  f.subsystem.set_sink(&sink);
  RepairConfig c;
  c.replace_after = Distribution::constant(10s);
  f.subsystem.array().set_repair(c);
  LunObject& lun = make_lun(f, {0, 1, 2, 3});
  fail_at(f, 1s, 1);
  f.run_until(10s);
  CHECK(lun.health() == Health::FailedRedundancy);
  f.sim.run();
  CHECK(f.sim.now() == at(11s) + 3200ms);
  CHECK(lun.health() == Health::Healthy);
  CHECK(f.drive(1).name() == "d1#2");
  CHECK(f.drive_object(1).name() == "array/d1#2");
  CHECK(f.drive(1).state() == sim::storage::DriveState::Online);
  CHECK(ProviderFixture::member_names(lun) == std::vector<std::string>{"d0", "d1#2", "d2", "d3"});
  std::vector<std::string> drive_events;
  for (const auto& n : sink.events)
    if (n.object_type == ObjectType::Drive) drive_events.push_back(std::string(to_string(n.event)) + " " + n.object);
  CHECK(drive_events == std::vector<std::string>{"VDS_NF_DRIVE_MODIFY array/d1", "VDS_NF_DRIVE_DEPART array/d1",
                                                 "VDS_NF_DRIVE_ARRIVE array/d1#2", "LUNSIM_NF_DRIVE_REBUILD array/d1#2",
                                                 "LUNSIM_NF_DRIVE_REBUILD array/d1#2"});  // rebuild start, end
  CHECK(f.subsystem.reliability().replacements == 1);
}

TEST_CASE("a replacement with nothing to rebuild becomes a hot spare and serves the oldest waiting failure") {
  // No spare at first: d0 fails at 1 s (LUN A), d4 at 2 s (LUN B). d0's replacement comes at
  // 11 s and rebuilds A; d4's comes at 12 s, rebuilds B. A spare appearing meanwhile (d5 made
  // a spare when its own failure is replaced) is used by the oldest waiting failure.
  ProviderFixture f{{.drives = 8, .initialize = false}};
  RepairConfig c;
  c.replace_after = Distribution::constant(10s);
  c.mode = RebuildMode::Law;
  c.rebuild_duration = Distribution::constant(1s);
  f.subsystem.array().set_repair(c);
  LunObject& a = make_lun(f, {0, 1, 2}, LunType::Raid5, 512_MiB);
  LunObject& b = make_lun(f, {3, 4, 5}, LunType::Raid5, 512_MiB);
  fail_at(f, 1s, 0);
  fail_at(f, 2s, 4);
  fail_at(f, 3s, 7);  // an unused drive: its replacement becomes a spare at 13 s
  f.sim.run();
  CHECK(a.health() == Health::Healthy);
  CHECK(b.health() == Health::Healthy);
  CHECK(f.drive(7).name() == "d7#2");
  CHECK(f.drive(7).hot_spare());
  CHECK(f.subsystem.reliability().rebuilds_completed == 2);
}

TEST_CASE("a spare serves its own enclosure first, and with scope enclosure only its own") {
  for (const SpareScope scope : {SpareScope::Subsystem, SpareScope::Enclosure}) {
    ProviderFixture f{{.drives = 0, .initialize = false}};
    for (int i = 0; i < 4; ++i) f.subsystem.add_drive("e0/" + std::to_string(i), f.model, 0);
    for (int i = 0; i < 2; ++i) f.subsystem.add_drive("e1/" + std::to_string(i), f.model, 1);
    RepairConfig c;
    c.spare_scope = scope;
    f.subsystem.array().set_repair(c);
    LunObject& lun = make_lun(f, {0, 1, 2}, LunType::Raid5, 512_MiB);
    f.subsystem.array().set_hot_spare(f.drive_object(4).slot(), true);  // e1/0: another enclosure
    fail_at(f, 1s, 1);
    f.sim.run();
    if (scope == SpareScope::Subsystem) {
      CHECK(lun.health() == Health::Healthy);
      CHECK(ProviderFixture::member_names(lun)[1] == "e1/0");
    } else {
      CHECK(lun.health() == Health::FailedRedundancy);
      CHECK(f.drive(4).hot_spare());
    }
  }
}

TEST_CASE("more failures than the level tolerates lose the LUN: FAILED, its size in bytes, host I/O fails") {
  ProviderFixture f{{.initialize = false}};
  RecordingSink sink;
  f.subsystem.set_sink(&sink);
  LunObject& lun = make_lun(f, {0, 1, 2, 3});
  fail_at(f, 1s, 0);
  fail_at(f, 2s, 3);
  f.sim.run();
  CHECK(lun.status() == LunStatus::Failed);
  CHECK(lun.health() == Health::Failed);
  CHECK(lun.losses() == 1);
  const auto& losses = f.subsystem.reliability().losses;
  REQUIRE(losses.size() == 1);
  CHECK(losses[0].time == at(2s));
  CHECK(losses[0].bytes == lun.lun_model()->size());
  CHECK(losses[0].whole_lun);
  CHECK(lun.lun_model()->lost());
  // Host I/O to a lost LUN fails at once.
  sim::storage::LunIoResult r;
  sim::engine::spawn(f.sim, [](sim::storage::Lun& l, sim::storage::LunIoResult* out) -> sim::engine::Task<> {
    *out = co_await l.io(sim::storage::IoKind::Read, 0, 4_KiB);
  }(*lun.lun_model(), &r));
  f.sim.run();
  CHECK(r.status == sim::storage::IoStatus::DeviceFailed);
  CHECK(r.member_reads == 0);
  LunProp p;
  REQUIRE(lun.get_properties(&p) == hr::s_ok);
  CHECK(p.status == LunStatus::Failed);
  AsyncHandle* h = nullptr;
  CHECK(lun.recover(&h, f.me) == hr::vds_e_object_status_failed);
}

TEST_CASE("restore_after_loss instant puts the LUN back at once on replaced drives and counts the loss") {
  ProviderFixture f{{.initialize = false}};
  RepairConfig c;
  c.restore_after_loss = true;
  f.subsystem.array().set_repair(c);
  LunObject& lun = make_lun(f, {0, 1, 2, 3});
  fail_at(f, 1s, 0);
  fail_at(f, 2s, 3);
  f.run_until(2s);
  CHECK(lun.status() == LunStatus::Online);
  CHECK(lun.health() == Health::Healthy);
  CHECK(lun.losses() == 1);
  CHECK(ProviderFixture::member_names(lun) == std::vector<std::string>{"d0#2", "d1", "d2", "d3#2"});
  CHECK(f.drive(0).owned_by(lun.number()) == 256_MiB);
  CHECK_FALSE(lun.lun_model()->lost());
  CHECK(lun.lun_model()->members_down() == 0);
}

TEST_CASE("a provisioning job writing to a drive that fails fails with VDS_E_LUN_DISK_FAILED and rolls back") {
  ProviderFixture f;  // initialised: a 768 MiB RAID-5 takes 0.1 + 2.56 s
  AsyncHandle* h = nullptr;
  REQUIRE(f.subsystem.create_lun(static_cast<std::int32_t>(LunType::Raid5), 768_MiB, f.ids({0, 1, 2, 3}), nullptr, &h,
                                 f.me) == hr::s_ok);
  WaitCapture w;
  sim::engine::spawn(f.sim, sim::testing::wait_into(f.sim, *h, f.me, &w));
  fail_at(f, 1s, 2);
  f.sim.run();
  CHECK(w.done);
  CHECK(w.at == at(1s));
  CHECK(w.result.op == hr::vds_e_lun_disk_failed);
  CHECK(f.used_total() == Bytes{});
  CHECK(f.subsystem.luns().back()->deleted());
  CHECK(f.subsystem.reliability().losses.empty());
}

TEST_CASE("in-flight foreground requests on a failing drive fail at the failure time") {
  ProviderFixture f{{.read_latency = 10s}};
  sim::storage::IoRequest r;
  sim::engine::spawn(f.sim, [](sim::storage::Drive& d, sim::storage::IoRequest* out) -> sim::engine::Task<> {
    *out = co_await d.io(sim::storage::IoKind::Read, 4_KiB);
  }(f.drive(0), &r));
  fail_at(f, 1s, 0);
  f.sim.run();
  CHECK(r.status == sim::storage::IoStatus::DeviceFailed);
  CHECK(r.completed == at(1s));
  CHECK(f.sim.now() == at(10s) + (4_KiB / f.setup.bandwidth));  // the void completion event still pops
}

TEST_CASE("IVdsLun::Recover starts repairs by hand when automatic repair is off") {
  ProviderFixture f{{.initialize = false}};
  RepairConfig c;
  c.automatic = false;
  c.mode = RebuildMode::Law;
  c.rebuild_duration = Distribution::constant(50s);
  f.subsystem.array().set_repair(c);
  LunObject& lun = make_lun(f, {0, 1, 2, 3});
  f.subsystem.array().set_hot_spare(f.drive_object(5).slot(), true);
  fail_at(f, 1s, 1);
  f.run_until(100s);
  CHECK(lun.health() == Health::FailedRedundancy);
  CHECK(f.drive(5).hot_spare());
  AsyncHandle* h = nullptr;
  REQUIRE(lun.recover(&h, f.me) == hr::s_ok);
  REQUIRE(h != nullptr);
  CHECK(h->output_type() == AsyncOutputType::RecoverLun);
  WaitCapture w;
  sim::engine::spawn(f.sim, sim::testing::wait_into(f.sim, *h, f.me, &w));
  f.sim.run();
  CHECK(w.at == at(100s + 100ms + 50s));
  CHECK(w.result.op == hr::s_ok);
  CHECK(lun.health() == Health::Healthy);

  SECTION("no redundancy, no recovery") {
    LunObject& stripe = make_lun(f, {2, 3}, LunType::Stripe, 128_MiB);
    AsyncHandle* h2 = nullptr;
    CHECK(stripe.recover(&h2, f.me) == hr::vds_e_invalid_operation);
    CHECK(h2 == nullptr);
  }
  SECTION("no spare: VDS_E_NOT_ENOUGH_DRIVE") {
    fail_at(f, 200s, 0);
    f.run_until(201s);
    AsyncHandle* h3 = nullptr;
    REQUIRE(lun.recover(&h3, f.me) == hr::s_ok);
    WaitCapture w3;
    sim::engine::spawn(f.sim, sim::testing::wait_into(f.sim, *h3, f.me, &w3));
    f.sim.run();
    CHECK(w3.result.op == hr::vds_e_not_enough_drive);
  }
}

TEST_CASE("a rebuild whose source fails restarts with the sources left, one whose target fails takes another spare") {
  ProviderFixture f{{.drives = 8, .initialize = false}};
  RepairConfig c;
  c.mode = RebuildMode::Law;
  c.rebuild_duration = Distribution::constant(100s);
  f.subsystem.array().set_repair(c);
  LunObject& lun = make_lun(f, {0, 1, 2, 3}, LunType::Raid6, 512_MiB);
  f.subsystem.array().set_hot_spare(f.drive_object(5).slot(), true);
  f.subsystem.array().set_hot_spare(f.drive_object(6).slot(), true);
  f.subsystem.array().set_hot_spare(f.drive_object(7).slot(), true);
  fail_at(f, 1s, 0);    // rebuild onto d5 from 1 s
  fail_at(f, 50s, 5);   // the target fails: onto d6 from 50 s
  fail_at(f, 60s, 2);   // a source fails: d6's rebuild restarts at 60 s... (sequential: d2's waits)
  f.sim.run();
  CHECK(lun.health() == Health::Healthy);
  CHECK(f.subsystem.reliability().losses.empty());
  // 60 + 100 (first member) + 100 (second member) = 260 s.
  CHECK(f.sim.now() == at(260s));
  CHECK(f.subsystem.reliability().rebuilds_completed == 2);
}

TEST_CASE("a rebuild with no redundancy left loses one sector per latent error on a survivor in the LUN's extent") {
  ProviderFixture f{{.initialize = false}};
  RepairConfig c;
  c.mode = RebuildMode::Law;
  c.rebuild_duration = Distribution::constant(10s);
  LatentErrorLaw latent;
  latent.interval = Distribution::constant(1s);  // one latent error per drive per second
  latent.scrub = Distribution::constant(Duration{2500ms});  // each stays 2.5 s: 2 or 3 present at a time
  f.subsystem.array().set_repair(c);
  LunObject& lun = make_lun(f, {0, 1, 2, 3}, LunType::Raid5, 3_GiB);  // members fill the 1 GiB drives
  for (std::size_t i = 0; i < 4; ++i) f.subsystem.array().set_latent_errors(f.drive_object(i).slot(), &latent);
  f.subsystem.array().set_hot_spare(f.drive_object(5).slot(), true);
  fail_at(f, Duration{10500ms}, 1);
  f.run_until(Duration{10500ms});
  // At 10.5 s the errors of 8, 9 and 10 s are present on each survivor (8 + 2.5 > 10.5), every
  // one inside the LUN's extent (the LUN fills the drive): 3 survivors x 3 = 9 sectors.
  const auto& losses = f.subsystem.reliability().losses;
  REQUIRE(losses.size() == 1);
  CHECK_FALSE(losses[0].whole_lun);
  CHECK(losses[0].bytes == Bytes{9 * 4096});
  CHECK(lun.status() == LunStatus::Online);

  SECTION("RAID-6 with one member down still has redundancy: nothing is lost") {
    ProviderFixture g{{.initialize = false}};
    g.subsystem.array().set_repair(c);
    make_lun(g, {0, 1, 2, 3}, LunType::Raid6, 2_GiB);
    for (std::size_t i = 0; i < 4; ++i) g.subsystem.array().set_latent_errors(g.drive_object(i).slot(), &latent);
    g.subsystem.array().set_hot_spare(g.drive_object(5).slot(), true);
    fail_at(g, Duration{10500ms}, 1);
    g.run_until(30s);
    CHECK(g.subsystem.reliability().losses.empty());
  }
}

TEST_CASE("unrecoverable read errors during an exposed rebuild: a Poisson number, mean = bits read x rate") {
  // Mean 50 errors: bits read = 3 survivors x 256 MiB x 8; the rate is set to give 50. Over 400
  // independent rebuilds (400 fixtures, each its own replication) the mean count is within 4
  // standard errors of 50 (SE = sqrt(50 / 400) = 0.354; false-failure probability 6e-5).
  const double bits = 3.0 * 256.0 * 1048576.0 * 8.0;
  double sum = 0;
  const int runs = 400;
  for (int i = 0; i < runs; ++i) {
    ProviderFixture f{{.initialize = false, .replication = static_cast<std::uint64_t>(i)}};
    RepairConfig c;
    c.ure_per_bit = 50.0 / bits;
    f.subsystem.array().set_repair(c);
    make_lun(f, {0, 1, 2, 3});
    f.subsystem.array().set_hot_spare(f.drive_object(5).slot(), true);
    fail_at(f, 1s, 1);
    f.run_until(1s);
    const auto& losses = f.subsystem.reliability().losses;
    const double sectors = losses.empty() ? 0.0 : static_cast<double>(losses[0].bytes.value) / 4096.0;
    sum += sectors;
  }
  CHECK(std::abs(sum / runs - 50.0) <= 4 * std::sqrt(50.0 / runs));
}

// Placement (storage/placement.hpp): 3 enclosures of 4 drives (bus 0, 1, 2), a 6-member
// RAID-6 picked by the provider.
namespace {
std::vector<int> buses_of(ProviderFixture& f, const LunObject& lun) {
  std::vector<int> out;
  for (const sim::storage::Drive* d : lun.lun()->members()) out.push_back(f.drive_object(d->tag()).bus());
  return out;
}
} // namespace

TEST_CASE("placement spread keeps members in distinct enclosures while it can and says when it cannot, pack fills one first") {
  for (const Placement policy : {Placement::Balanced, Placement::Spread, Placement::Pack}) {
    ProviderFixture f{{.drives = 0, .initialize = false}};
    for (int e = 0; e < 3; ++e)
      for (int i = 0; i < 4; ++i)
        f.subsystem.add_drive("e" + std::to_string(e) + "/" + std::to_string(i), f.model, static_cast<std::int16_t>(e));
    RecordingSink sink;
    f.subsystem.set_sink(&sink);
    f.subsystem.set_placement(policy);
    Hints hints;
    hints.maximum_drive_count = 3;
    AsyncHandle* h = nullptr;
    REQUIRE(f.subsystem.create_lun(static_cast<std::int32_t>(LunType::Raid5), 256_MiB, {}, &hints, &h, f.me) == hr::s_ok);
    hints.maximum_drive_count = 6;
    REQUIRE(f.subsystem.create_lun(static_cast<std::int32_t>(LunType::Raid6), 256_MiB, {}, &hints, &h, f.me) == hr::s_ok);
    f.sim.run();
    const LunObject& small = *f.subsystem.luns()[0];
    const LunObject& wide = *f.subsystem.luns()[1];
    INFO(to_string(policy));
    switch (policy) {
      case Placement::Balanced:  // least used, then name order: e0/0, e0/1, e0/2 then the 6 next
        CHECK(buses_of(f, small) == std::vector<int>{0, 0, 0});
        CHECK(buses_of(f, wide) == std::vector<int>{0, 1, 1, 1, 1, 2});
        break;
      case Placement::Spread:
        CHECK(buses_of(f, small) == std::vector<int>{0, 1, 2});
        // One per enclosure (e0/1, e1/1, e2/1), then the least used left (e0/2, e0/3, e1/2); in
        // usage order.
        CHECK(buses_of(f, wide) == std::vector<int>{0, 0, 0, 1, 1, 2});
        {
          bool said = false;
          for (const auto& n : sink.events)
            if (n.object == wide.name() && n.detail.find("placement spread: 6 members over 3 enclosures") != std::string::npos)
              said = true;
          CHECK(said);
        }
        break;
      case Placement::Pack:
        CHECK(buses_of(f, small) == std::vector<int>{0, 0, 0});
        // Enclosure e0 first (its 3 unused drives, then e0/0), then e1.
        CHECK(buses_of(f, wide) == std::vector<int>{0, 0, 0, 0, 1, 1});
        break;
      default: break;
    }
  }
}

TEST_CASE("placement explicit refuses a CreateLun without a drive list") {
  ProviderFixture f{{.initialize = false}};
  f.subsystem.set_placement(Placement::Explicit);
  AsyncHandle* h = nullptr;
  CHECK(f.subsystem.create_lun(static_cast<std::int32_t>(LunType::Raid5), 256_MiB, {}, nullptr, &h, f.me) == hr::e_invalidarg);
  CHECK(f.subsystem.create_lun(static_cast<std::int32_t>(LunType::Raid5), 256_MiB, f.ids({0, 1, 2}), nullptr, &h, f.me) ==
        hr::s_ok);
}
