// Controllers, controller ports and LUN ownership (subsystem.hpp "Controllers and offline
// drives"): QueryControllers, the properties, AssociateControllers and its argument checks,
// QueryActiveControllers; and offline drives: a drive whose enclosure is out is OFFLINE
// (DRIVE_REMOVED), its members are down but not failed, the LUN goes OFFLINE past its
// tolerance and comes back when the drive does, rebuilds wait for it, and offline_timeout
// declares it FAILED.
//
// Fixture defaults (tests/support/provider_fixture.hpp): 6 drives of 1 GiB at 100 MiB/s, 5 ms
// reads, management latency 100 ms, two controllers with two ports each.
#include "tests/support/provider_fixture.hpp"

#include "sim/provider/async.hpp"
#include "sim/provider/subsystem.hpp"

#include <catch2/catch.hpp>

#include <chrono>
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
using sim::base::Duration;
using sim::base::Time;
using sim::testing::ProviderFixture;
using sim::testing::RecordingSink;

namespace {

Time at(Duration d) { return Time{d}; }

LunObject& make_lun(ProviderFixture& f, std::initializer_list<std::size_t> drives, LunType type = LunType::Raid5) {
  AsyncHandle* h = nullptr;
  REQUIRE(f.subsystem.create_lun(static_cast<std::int32_t>(type), 768_MiB, f.ids(drives), nullptr, &h, f.me) == hr::s_ok);
  f.sim.run_until(f.sim.now() + 100ms);
  REQUIRE(h->finishing());
  LunObject& lun = *f.subsystem.luns().back();
  REQUIRE(lun.status() == LunStatus::Online);
  return lun;
}

std::vector<ObjectId> ids_of(const Subsystem& s, std::initializer_list<int> indices) {
  std::vector<ObjectId> out;
  for (int i : indices) out.push_back(s.controllers()[static_cast<std::size_t>(i)]->id());
  return out;
}

} // namespace

TEST_CASE("QueryControllers lists every controller with a reference, properties come from the model") {
  ProviderFixture f{{.initialize = false}};
  std::vector<ControllerObject*> cs;
  REQUIRE(f.subsystem.query_controllers(&cs, f.me) == hr::s_ok);
  REQUIRE(cs.size() == 2);
  ControllerProp p;
  REQUIRE(cs[1]->get_properties(&p) == hr::s_ok);
  CHECK(p.friendly_name == "array/ctl-1");
  CHECK(p.status == ControllerStatus::Online);
  CHECK(p.health == Health::Healthy);
  CHECK(p.ports == 2);
  CHECK(cs[0]->get_properties(nullptr) == hr::e_pointer);
  PortProp pp;
  REQUIRE(cs[1]->ports()[0]->get_properties(&pp) == hr::s_ok);
  CHECK(pp.friendly_name == "array/ctl-1/p0");
  CHECK(pp.status == PortStatus::Online);
  for (ControllerObject* c : cs) CHECK(c->release(f.me) == hr::s_ok);
  CHECK(f.subsystem.query_controllers(nullptr, f.me) == hr::e_pointer);

  RecordingSink sink;
  f.subsystem.set_sink(&sink);
  f.subsystem.set_controller_status(1, ControllerStatus::Failed);
  f.subsystem.set_controller_status(1, ControllerStatus::Failed);  // no change, no notification
  f.subsystem.set_port_status(0, 1, PortStatus::Failed);
  REQUIRE(cs[1]->get_properties(&p) == hr::s_ok);
  CHECK(p.status == ControllerStatus::Failed);
  CHECK(p.health == Health::Failed);
  REQUIRE(sink.events.size() == 2);
  CHECK(sink.events[0].event == NotificationEvent::ControllerModify);
  CHECK(sink.events[0].detail == "status=VDS_CS_FAILED health=VDS_H_FAILED");
  CHECK(sink.events[1].event == NotificationEvent::PortModify);
  CHECK(sink.events[1].object == "array/ctl-0/p1");
  CHECK(sink.events[1].detail == "status=VDS_PRS_FAILED");
}

TEST_CASE("LUNs are owned by the online controller with the fewest LUNs, AssociateControllers moves one") {
  ProviderFixture f{{.initialize = false}};
  LunObject& a = make_lun(f, {0, 1, 2});
  LunObject& b = make_lun(f, {3, 4, 5});
  CHECK(a.active_controller() == 0);
  CHECK(b.active_controller() == 1);
  f.subsystem.set_controller_status(0, ControllerStatus::Failed);
  LunObject& c = make_lun(f, {0, 1, 2});
  CHECK(c.active_controller() == 1);  // the only one online

  RecordingSink sink;
  f.subsystem.set_sink(&sink);
  f.subsystem.set_controller_status(0, ControllerStatus::Online);
  const auto c0 = ids_of(f.subsystem, {0}), c1 = ids_of(f.subsystem, {1}), both = ids_of(f.subsystem, {0, 1});
  REQUIRE(b.associate_controllers(c0, c1) == hr::s_ok);
  CHECK(b.active_controller() == 0);
  REQUIRE(sink.events.size() == 2);
  CHECK(sink.events[1].event == NotificationEvent::LunModify);
  CHECK(sink.events[1].detail == "active_controller=array/ctl-0");
  std::vector<ControllerObject*> active;
  REQUIRE(b.query_active_controllers(&active, f.me) == hr::s_ok);
  REQUIRE(active.size() == 1);
  CHECK(active[0]->index() == 0);
  CHECK(active[0]->release(f.me) == hr::s_ok);

  // Every controller in exactly one list; one active; a failed one cannot take the LUN.
  CHECK(b.associate_controllers(c0, {}) == hr::e_invalidarg);         // ctl-1 in no list
  CHECK(b.associate_controllers(c0, both) == hr::e_invalidarg);       // ctl-0 twice
  CHECK(b.associate_controllers({}, both) == hr::e_invalidarg);       // none active
  CHECK(b.associate_controllers(both, {}) == hr::vds_e_not_supported);  // lunsim: one owner
  const std::vector<ObjectId> unknown{f.id(0)};
  CHECK(b.associate_controllers(unknown, both) == hr::vds_e_object_not_found);
  f.subsystem.set_controller_status(1, ControllerStatus::Failed);
  CHECK(b.associate_controllers(c1, c0) == hr::vds_e_object_status_failed);
  CHECK(b.active_controller() == 0);
  REQUIRE(b.delete_lun() == hr::s_ok);
  CHECK(b.associate_controllers(c0, c1) == hr::vds_e_object_deleted);
  CHECK(b.query_active_controllers(&active, f.me) == hr::vds_e_object_deleted);
}

TEST_CASE("an offline drive: DRIVE_REMOVED, its member down but not failed, reads reconstruct, back online, all is as before") {
  ProviderFixture f{{.initialize = false}};
  RecordingSink sink;
  f.subsystem.set_sink(&sink);
  LunObject& lun = make_lun(f, {0, 1, 2, 3});
  f.subsystem.array().set_drive_offline(f.drive_object(1).slot(), true);
  CHECK(f.drive_object(1).status() == DriveStatus::Offline);
  CHECK(lun.status() == LunStatus::Online);
  CHECK(lun.health() == Health::FailedRedundancy);
  CHECK(lun.member_state(1) == MemberState::Ok);  // consistent, only unreachable
  CHECK(lun.lun_model()->member_down(1));
  CHECK(f.subsystem.reliability().drive_failures == 0);
  // A read of data on member 1 reads the other three members instead.
  sim::storage::LunIoResult io;
  sim::engine::spawn(f.sim, [](LunObject& l, sim::storage::LunIoResult* out) -> sim::engine::Task<> {
    *out = co_await l.lun()->io(sim::storage::IoKind::Read, 64 * 1024, sim::base::Bytes{4096});
  }(lun, &io));
  f.sim.run();
  CHECK(io.status == sim::storage::IoStatus::Ok);
  CHECK(io.member_reads == 3);
  f.subsystem.array().set_drive_offline(f.drive_object(1).slot(), false);
  CHECK(f.drive_object(1).status() == DriveStatus::Online);
  CHECK(lun.health() == Health::Healthy);
  CHECK(!lun.lun_model()->member_down(1));
  std::vector<std::string> log;
  for (const auto& n : sink.events)
    if (n.object == "array/d1") log.push_back(std::string(to_string(n.event)) + " " + n.detail);
  CHECK(log == std::vector<std::string>{"VDS_NF_DRIVE_REMOVED status=VDS_DRS_OFFLINE", "VDS_NF_DRIVE_MODIFY status=VDS_DRS_ONLINE"});
}

TEST_CASE("past its tolerance a LUN is OFFLINE (host I/O fails), not lost, offline_timeout declares the drives FAILED: lost") {
  ProviderFixture f{{.initialize = false}};
  RepairConfig repair;
  repair.offline_timeout = 30s;
  f.subsystem.array().set_repair(repair);
  LunObject& lun = make_lun(f, {0, 1, 2, 3});
  f.subsystem.array().set_drive_offline(f.drive_object(0).slot(), true);
  f.subsystem.array().set_drive_offline(f.drive_object(1).slot(), true);
  CHECK(lun.status() == LunStatus::Offline);
  CHECK(lun.lun_model()->unavailable());
  CHECK(!lun.lun_model()->lost());
  sim::storage::LunIoResult io;
  sim::engine::spawn(f.sim, [](LunObject& l, sim::storage::LunIoResult* out) -> sim::engine::Task<> {
    *out = co_await l.lun()->io(sim::storage::IoKind::Read, 0, sim::base::Bytes{4096});
  }(lun, &io));
  f.sim.run_until(at(10s));
  CHECK(io.status == sim::storage::IoStatus::DeviceFailed);
  CHECK(f.subsystem.reliability().losses.empty());
  f.sim.run();
  // Both timeouts fire 30 s after the outage (at 0.1 s): two members FAILED, RAID-5 loses data.
  CHECK(f.drive_object(0).status() == DriveStatus::Failed);
  CHECK(f.drive_object(1).status() == DriveStatus::Failed);
  REQUIRE(f.subsystem.reliability().losses.size() == 1);
  CHECK(f.subsystem.reliability().losses[0].time == at(30100ms));
  CHECK(lun.status() == LunStatus::Failed);
}

TEST_CASE("a rebuild reading from a drive that goes offline waits for it, then restarts from the start") {
  // RAID-5 on d0..d3, d1 fails at 0.1 s, the spare d5 rebuilds it: 256 MiB, 4 chunks of 0.64 s,
  // pipelined: 3.2 s. d2 (a source) goes offline at 1 s and returns at 5 s: the rebuild
  // restarts at 5 s and ends at 8.2 s.
  ProviderFixture f{{.initialize = false}};
  LunObject& lun = make_lun(f, {0, 1, 2, 3});
  f.subsystem.array().set_hot_spare(f.drive_object(5).slot(), true);
  f.subsystem.array().fail_drive(f.drive_object(1).slot());
  CHECK(lun.health() == Health::Rebuilding);
  auto offline = [](void* s, std::uint64_t on) {
    auto* fx = static_cast<ProviderFixture*>(s);
    fx->subsystem.array().set_drive_offline(fx->drive_object(2).slot(), on != 0);
  };
  f.sim.schedule_at(at(1s), sim::engine::Action{offline, &f, 1});
  f.sim.schedule_at(at(5s), sim::engine::Action{offline, &f, 0});
  f.sim.run_until(at(4s));
  CHECK(lun.status() == LunStatus::Offline);  // d1 failed and d2 offline: past RAID-5's tolerance
  CHECK(lun.member_state(1) == MemberState::Waiting);
  CHECK(f.subsystem.array().rebuilds_running() == 0);
  f.sim.run();
  CHECK(f.sim.now() == at(8200ms));
  CHECK(lun.health() == Health::Healthy);
  CHECK(f.subsystem.reliability().rebuilds_completed == 1);
  CHECK(f.subsystem.reliability().losses.empty());
}

TEST_CASE("reset brings controllers and their ports back online, silently") {
  ProviderFixture f{{.initialize = false}};
  f.subsystem.set_controller_status(0, ControllerStatus::Failed);
  f.subsystem.set_port_status(1, 0, PortStatus::Failed);
  RecordingSink sink;
  f.subsystem.set_sink(&sink);
  f.sim.reset(0, 1);
  f.subsystem.reset();
  CHECK(f.subsystem.controllers()[0]->status() == ControllerStatus::Online);
  CHECK(f.subsystem.controllers()[1]->ports()[0]->status() == PortStatus::Online);
  CHECK(sink.events.empty());
}

TEST_CASE("a hot spare whose enclosure comes back serves the members that waited for a spare meanwhile") {
  ProviderFixture f{{.initialize = false}};
  LunObject& lun = make_lun(f, {0, 1, 2, 3});
  f.subsystem.array().set_hot_spare(f.drive_object(5).slot(), true);
  f.subsystem.array().set_drive_offline(f.drive_object(5).slot(), true);  // the only spare is out
  f.subsystem.array().fail_drive(f.drive_object(1).slot());
  CHECK(lun.member_state(1) == MemberState::Failed);  // no spare to take
  CHECK(f.subsystem.array().rebuilds_running() == 0);
  f.subsystem.array().set_drive_offline(f.drive_object(5).slot(), false);
  CHECK(f.subsystem.array().rebuilds_running() == 1);
  CHECK(lun.health() == Health::Rebuilding);
  CHECK(lun.lun_model()->members()[1] == &f.drive(5));
}

TEST_CASE("a creation whose drive goes offline before it writes fails with VDS_E_LUN_DISK_FAILED and rolls back, an offline drive cannot be named") {
  ProviderFixture f;  // init: full, 100 ms management latency
  AsyncHandle* h = nullptr;
  REQUIRE(f.subsystem.create_lun(static_cast<std::int32_t>(LunType::Raid5), 768_MiB, f.ids({0, 1, 2, 3}), nullptr, &h,
                                 f.me) == hr::s_ok);
  f.sim.schedule_at(at(50ms), sim::engine::Action{[](void* s, std::uint64_t) {
                                auto* fx = static_cast<ProviderFixture*>(s);
                                fx->subsystem.array().set_drive_offline(fx->drive_object(2).slot(), true);
                              },
                                                  &f, 0});
  f.sim.run();
  REQUIRE(h->finishing());
  HResult op = hr::s_ok;
  std::uint32_t percent = 0;
  REQUIRE(h->query_status(&op, &percent) == hr::s_ok);
  CHECK(op == hr::vds_e_lun_disk_failed);
  CHECK(f.used_total() == sim::base::Bytes{});
  CHECK(h->release(f.me) == hr::s_ok);
  // Named explicitly while offline: not usable, like a failed drive short of drives.
  AsyncHandle* h2 = nullptr;
  CHECK(f.subsystem.create_lun(static_cast<std::int32_t>(LunType::Raid5), 768_MiB, f.ids({0, 1, 2, 3}), nullptr, &h2,
                               f.me) == hr::vds_e_not_enough_drive);
}
