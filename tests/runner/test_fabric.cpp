// Topology at run time (provider/fabric.hpp) through whole scenarios: controller fail-over and
// its I/O stall, a single controller's outage (host I/O fails, management works), dual fabrics
// (4 paths, 2 after a fabric failure), controller queues, load balancing, enclosure outages
// with spread and pack placement (unavailable, then lost after offline_timeout), candidates lost
// during a fail-over stall, and back-end (controller -- enclosure) link failures.
//
// Times are exact: drives have constant latencies and unlimited bandwidth, one closed-loop
// client issues a 4 KiB read, waits for it, thinks 9 ms, and so on, so its requests start at
// 0, 10 ms, 20 ms, ... while nothing stalls. Changes are scheduled 5 ms after a request
// starts (at 20.005 s: the request of 20.000 s is already at the drives and completes at
// 20.001 s), so no two events share a time.
#include "sim/runner/run.hpp"

#include "sim/provider/async.hpp"
#include "sim/provider/fabric.hpp"
#include "sim/scenario/world.hpp"

#include "tests/support/scenario_text.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <string>
#include <vector>

using namespace sim;
using namespace std::chrono_literals;

namespace {

using sim::testing::load_ok;

/// One subsystem "array" of 8 SSDs (1 ms reads) in shelf-1, a RAID-5 LUN "data" on 4 of them,
/// one reader on it; `controllers` controllers; then `topology` (indented under `topology:`).
std::string array_text(int controllers, const std::string& topology, const std::string& extra = "") {
  return "name: t\nseed: 7\nhorizon: 60s\n"
         "drive_models:\n  ssd: {capacity: 1TB, latency: 1ms}\n"
         "subsystems:\n  - name: array\n    management_latency: 0s\n    init: none\n    controllers: " +
         std::to_string(controllers) +
         "\n    enclosures:\n      - {name: shelf-1, drives: {model: ssd, count: 8}}\n"
         "workload:\n  - {at: 0s, op: create_lun, name: data, type: raid5, size: 100GB, drives: 4}\n"
         "  - io: {name: host, clients: 1, think: 9ms, read: 100%, size: 4KiB, targets: [data]}\n" +
         extra + "topology:\n" + topology;
}

const runner::IoRecord& io_of(const runner::RunResult& r, const std::string& target) {
  const auto it = std::find_if(r.io.begin(), r.io.end(), [&](const runner::IoRecord& i) { return i.target == target; });
  REQUIRE(it != r.io.end());
  return *it;
}

std::vector<runner::EventRecord> rows(const runner::RunResult& r, const std::string& event) {
  std::vector<runner::EventRecord> out;
  for (const auto& e : r.events_log)
    if (e.event == event) out.push_back(e);
  return out;
}

double seconds(base::Time t) { return static_cast<double>(t.time_since_epoch().count()) * 1e-9; }

std::int64_t max_ns(const metrics::DurationSample& s) {
  const auto v = s.values_ns();
  return *std::max_element(v.begin(), v.end());
}

} // namespace

TEST_CASE("two controllers: a controller failure stalls host I/O for the fail-over delay, then it resumes on the survivor") {
  const auto spec = load_ok(array_text(2, R"(  failover_delay: 5s
  events:
    - {at: 20.005s, fail: array/ctl-0}
    - {at: 40.005s, repair: array/ctl-0}
)"));
  const runner::RunResult r = runner::run_scenario(spec);
  const runner::IoRecord& io = io_of(r, "data");
  CHECK(io.errors == 0);
  // The request due at 20.010 s waits for the fail-over (until 25.005 s), then takes 1 ms.
  CHECK(max_ns(io.responses) == (25'006'000'000 - 20'010'000'000));
  // Every other request took its 1 ms: the stall is the only outlier.
  const auto v = io.responses.values_ns();
  CHECK(std::count(v.begin(), v.end(), 1'000'000) == static_cast<std::ptrdiff_t>(v.size()) - 1);

  const auto controllers = rows(r, "VDS_NF_CONTROLLER_MODIFY");
  REQUIRE(controllers.size() == 2);
  CHECK(seconds(controllers[0].time) == Approx(20.005));
  CHECK(controllers[0].detail == "status=VDS_CS_FAILED health=VDS_H_FAILED");
  CHECK(controllers[1].detail == "status=VDS_CS_ONLINE health=VDS_H_HEALTHY");
  const auto paths = rows(r, "LUNSIM_NF_PATH_MODIFY");
  REQUIRE(paths.size() == 3);
  CHECK(paths[0].detail.starts_with("online=0 standby=2 failed=2 "));  // 20.005 s: fail-over running
  CHECK(seconds(paths[1].time) == Approx(25.005));
  CHECK(paths[1].detail.starts_with("online=2 standby=0 failed=2 "));  // on ctl-1
  CHECK(paths[2].detail.starts_with("online=2 standby=2 failed=0 "));  // ctl-0 back, standby (no fail-back)
  bool moved = false;
  for (const auto& e : rows(r, "VDS_NF_LUN_MODIFY")) moved = moved || e.detail == "active_controller=array/ctl-1";
  CHECK(moved);
}

TEST_CASE("one controller: host I/O fails at once until the repair, the LUN stays online and management calls work") {
  const auto spec = load_ok(array_text(1, R"(  failover_delay: 5s
  events:
    - {at: 20.005s, fail: array/ctl-0}
    - {at: 40.005s, repair: array/ctl-0}
)", "  - {at: 30s, op: create_lun, name: more, type: mirror, size: 10GB, drives: 2}\n"));
  // (the extra operation lands after the load in the workload list: it is appended to it)
  const runner::RunResult r = runner::run_scenario(spec);
  const runner::IoRecord& io = io_of(r, "data");
  // Failed requests take no time: attempts at 20.010 s + 9 ms k while before 40.005 s.
  const std::uint64_t failed = (40'005'000 - 20'010'000) / 9'000 + 1;
  CHECK(io.errors == failed);
  CHECK(max_ns(io.responses) == 1'000'000);  // no stall: nothing to fail over to
  std::vector<runner::EventRecord> paths;
  for (const auto& e : rows(r, "LUNSIM_NF_PATH_MODIFY"))
    if (e.object == "array/lun1") paths.push_back(e);  // (the LUN created meanwhile has its rows too)
  REQUIRE(paths.size() == 2);
  CHECK(paths[0].detail.starts_with("online=0 standby=0 failed=2 "));
  CHECK(paths[1].detail.starts_with("online=2 standby=0 failed=0 "));
  // The LUN never left ONLINE; the management call during the outage succeeded.
  for (const auto& e : rows(r, "VDS_NF_LUN_MODIFY"))
    if (e.object == "array/lun1") CHECK(e.detail.find("OFFLINE") == std::string::npos);
  const auto op = std::find_if(r.ops.begin(), r.ops.end(), [](const runner::OpRecord& o) { return o.name == "more"; });
  REQUIRE(op != r.ops.end());
  CHECK(op->status == runner::OpStatus::Ok);
  CHECK(seconds(op->completed) == Approx(30.0));
}

TEST_CASE("dual fabric: every LUN has 4 paths (2 online on its controller, 2 standby), a fabric failure leaves 2") {
  const auto spec = load_ok(array_text(2, R"(  report_paths: true
  events:
    - {at: 10.005s, fail: fabric-0}
    - {at: 30.005s, repair: fabric-0}
)"));
  const runner::RunResult r = runner::run_scenario(spec);
  const auto paths = rows(r, "LUNSIM_NF_PATH_MODIFY");
  REQUIRE(paths.size() == 3);
  CHECK(seconds(paths[0].time) == 0.0);  // report_paths: the first statuses when the LUN comes online
  CHECK(paths[0].detail ==
        "online=2 standby=2 failed=0 paths=host/p0>array/ctl-0/p0:VDS_MPS_ONLINE;host/p0>array/ctl-1/p0:VDS_MPS_STANDBY;"
        "host/p1>array/ctl-0/p1:VDS_MPS_ONLINE;host/p1>array/ctl-1/p1:VDS_MPS_STANDBY");
  CHECK(paths[1].detail ==
        "online=1 standby=1 failed=2 paths=host/p0>array/ctl-0/p0:VDS_MPS_FAILED;host/p0>array/ctl-1/p0:VDS_MPS_FAILED;"
        "host/p1>array/ctl-0/p1:VDS_MPS_ONLINE;host/p1>array/ctl-1/p1:VDS_MPS_STANDBY");
  CHECK(paths[2].detail == paths[0].detail);
  const auto components = rows(r, "LUNSIM_NF_COMPONENT_MODIFY");
  REQUIRE(components.size() == 2);
  CHECK(components[0].object == "fabric-0");
  CHECK(components[0].detail == "kind=fabric state=down");
  // The controller kept its paths on fabric-1: no fail-over, no error, no stall.
  const runner::IoRecord& io = io_of(r, "data");
  CHECK(io.errors == 0);
  CHECK(max_ns(io.responses) == 1'000'000);
  CHECK(rows(r, "VDS_NF_CONTROLLER_MODIFY").empty());
}

TEST_CASE("a controller link to the fabric down fails over like the controller itself, the controller stays online") {
  const auto spec = load_ok(array_text(2, R"(  failover_delay: 2s
  events:
    - {at: 10.005s, fail: array/ctl-0/p0 -- fabric-0}
    - {at: 10.005s, fail: array/ctl-0/p1 -- fabric-1}
)"));
  const runner::RunResult r = runner::run_scenario(spec);
  CHECK(rows(r, "VDS_NF_CONTROLLER_MODIFY").empty());
  const runner::IoRecord& io = io_of(r, "data");
  CHECK(io.errors == 0);
  CHECK(max_ns(io.responses) == 12'006'000'000 - 10'010'000'000);
}

TEST_CASE("controller servers: a request waits for the controller's latency, and for the requests ahead of it") {
  // Two clients issue together at 0: both pass the controller (2 ms each, FIFO), then the drives.
  std::string text = array_text(2, R"(  controller: {latency: 2ms}
)");
  text.replace(text.find("clients: 1"), 10, "clients: 2");
  text.replace(text.find("horizon: 60s"), 12, "horizon: 10ms");
  const runner::RunResult r = runner::run_scenario(load_ok(text));
  const auto v = io_of(r, "data").responses.values_ns();
  REQUIRE(v.size() >= 2);
  // First: 2 ms at the controller + 1 ms at a drive; second: 2 ms more in the controller queue.
  // (Random reads may hit the same drive: then the second also waits there, but it reaches the
  // drive 2 ms after the first, when the first is done.)
  CHECK(v[0] == 3'000'000);
  CHECK(v[1] == 5'000'000);
}

TEST_CASE("load balance: round robin alternates the online paths, failover keeps the first, least queue depth spreads") {
  for (const char* policy : {"failover", "round_robin", "least_queue_depth"}) {
    DYNAMIC_SECTION(policy) {
      std::string text = array_text(2, std::string("  load_balance: ") + policy + "\n  controller_port: {latency: 1ms}\n");
      text.replace(text.find("clients: 1"), 10, "clients: 2");
      text.replace(text.find("horizon: 60s"), 12, "horizon: 10ms");
      // A mirror: two reads arriving together go to different copies (the shorter queue).
      text.replace(text.find("type: raid5, size: 100GB, drives: 4"), 35, "type: mirror, size: 100GB, drives: 2");
      const runner::RunResult r = runner::run_scenario(load_ok(text));
      const auto v = io_of(r, "data").responses.values_ns();
      REQUIRE(v.size() >= 2);
      // Both requests leave at 0. On one port they queue (1 + 1 ms); on two they do not.
      const bool same_port = std::string(policy) == "failover";
      CHECK(v[0] == 2'000'000);
      CHECK(v[1] == (same_port ? 3'000'000 : 2'000'000));
    }
  }
}

namespace {

/// Two subsystems, `spread` and `pack` placement, each with 6 enclosures of 6 SSDs and a
/// RAID-6 LUN on 6 drives with a reader; enclosures sshelf-1..6 and pshelf-1..6 (enclosure names
/// are global). sshelf-1 and pshelf-1 go out at 10.005 s.
std::string outage(const std::string& timeout) {
  std::string subs;
  for (const char* p : {"spread", "pack"}) {
    subs += std::string("  - name: ") + p + "\n    placement: " + p +
            "\n    management_latency: 0s\n    init: none\n    enclosures:\n";
    for (int e = 1; e <= 6; ++e)
      subs += std::string("      - {name: ") + p[0] + "shelf-" + std::to_string(e) + ", drives: {model: ssd, count: 6}}\n";
  }
  return "name: t\nseed: 7\nhorizon: 60s\ndrive_models:\n  ssd: {capacity: 1TB, latency: 1ms}\nsubsystems:\n" + subs +
         "workload:\n"
         "  - {op: create_lun, subsystem: spread, name: s, type: raid6, size: 100GB, drives: 6}\n"
         "  - {op: create_lun, subsystem: pack, name: p, type: raid6, size: 100GB, drives: 6}\n"
         "  - io: {name: host, clients: 1, think: 9ms, read: 100%, size: 4KiB, targets: [s]}\n"
         "  - io: {name: host2, clients: 1, think: 9ms, read: 100%, size: 4KiB, targets: [p]}\n"
         "repair: {}\n"
         "topology:\n" + timeout +
         "  events:\n"
         "    - {at: 10.005s, fail: spread/sshelf-1}\n"
         "    - {at: 10.005s, fail: pack/pshelf-1}\n";
}

} // namespace

TEST_CASE("enclosure outage: RAID-6 spread over 6 enclosures stays available, packed in one it is unavailable, then lost after offline_timeout") {
  const runner::RunResult r = runner::run_scenario(load_ok(outage("  offline_timeout: 30s\n")));
  // Spread: one member per enclosure, so the outage takes one member: degraded, never an error.
  const runner::IoRecord& s = io_of(r, "s");
  CHECK(s.errors == 0);
  // Packed: every member in shelf-1. From 10.005 s on host I/O fails (attempts every 9 ms).
  const runner::IoRecord& p = io_of(r, "p");
  CHECK(p.errors == (60'000'000 - 10'010'000 - 1) / 9'000 + 1);
  // Six DRIVE_REMOVED per subsystem at the outage; at 40.005 s the packed drives are declared
  // FAILED and the LUN is lost; nothing of the spread LUN is.
  const auto removed = rows(r, "VDS_NF_DRIVE_REMOVED");
  CHECK(removed.size() == 12);
  for (const auto& e : removed) CHECK(seconds(e.time) == Approx(10.005));
  REQUIRE(r.reliability.log.size() == 1);
  CHECK(r.reliability.log[0].subsystem == "pack");
  CHECK(r.reliability.log[0].lun == "p");
  CHECK(seconds(r.reliability.log[0].time) == Approx(40.005));
  for (const auto& l : r.luns) {
    if (l.name == "s") CHECK(l.status == "VDS_LS_ONLINE");
    if (l.name == "p") CHECK(l.status == "VDS_LS_FAILED");
  }
}

TEST_CASE("enclosure outage shorter than offline_timeout: unavailable, not lost, back online when the enclosure returns") {
  std::string text = outage("  offline_timeout: 1h\n");
  text += "    - {at: 20.005s, repair: pack/pshelf-1}\n";
  const runner::RunResult r = runner::run_scenario(load_ok(text));
  CHECK(r.reliability.log.empty());
  const runner::IoRecord& p = io_of(r, "p");
  // Failures from 10.010 s while before 20.005 s, then reads work again.
  CHECK(p.errors == (20'005'000 - 10'010'000) / 9'000 + 1);
  bool offline = false, online_again = false;
  for (const auto& e : rows(r, "VDS_NF_LUN_MODIFY")) {
    if (e.object != "pack/lun1") continue;
    offline = offline || e.detail.starts_with("status=VDS_LS_OFFLINE");
    online_again = online_again || (offline && e.detail == "status=VDS_LS_ONLINE health=VDS_H_HEALTHY");
  }
  CHECK(offline);
  CHECK(online_again);
}

TEST_CASE("random component failures: an alternating renewal process with the given laws, from its own stream") {
  // fabric-0 fails after Exp(mean 1 h) and is repaired after exactly 6 min, again and again, for
  // 1000 h. Cycles have mean mu = 1.1 h and variance s2 = 1 h^2 (the exponential part), so the
  // number of failures N has mean ~ T / mu = 909.1 and variance ~ T s2 / mu^3 = 751.3 (renewal
  // CLT): sd 27.4. Five sd either side: [772, 1046]; a correct model fails this with
  // probability below 1e-6.
  const auto spec = load_ok(R"(name: t
seed: 3
horizon: 1000h
drive_models:
  ssd: {capacity: 1TB}
subsystems:
  - name: array
    enclosures:
      - {name: shelf-1, drives: {model: ssd, count: 4}}
topology:
  random:
    - {component: fabric-0, time_to_failure: {dist: exponential, mean: 1h}, time_to_repair: 6min}
)");
  const runner::RunResult r = runner::run_scenario(spec);
  const auto changes = rows(r, "LUNSIM_NF_COMPONENT_MODIFY");
  std::size_t failures = 0;
  for (std::size_t i = 0; i < changes.size(); ++i) {
    CHECK(changes[i].object == "fabric-0");
    CHECK(changes[i].detail == (i % 2 == 0 ? "kind=fabric state=down" : "kind=fabric state=up"));
    if (i % 2 == 1) CHECK(changes[i].time - changes[i - 1].time == 6min);
    failures += i % 2 == 0 ? 1 : 0;
  }
  CHECK(failures >= 772);
  CHECK(failures <= 1046);
  REQUIRE(r.fabric.has_value());
  CHECK(r.fabric->component_failures == failures);
  // Another replication draws other times (its own stream), the same one the same times.
  runner::RunOptions o;
  o.replication = 1;
  const runner::RunResult other = runner::run_scenario(spec, o);
  CHECK(rows(other, "LUNSIM_NF_COMPONENT_MODIFY").front().time != changes.front().time);
  CHECK(rows(runner::run_scenario(spec), "LUNSIM_NF_COMPONENT_MODIFY").front().time == changes.front().time);
}

TEST_CASE("host port servers: a request also queues at its host port, per-LUN load-balance policy and path info") {
  std::string text = array_text(2, "  host_port: {latency: 2ms}\n  load_balance: round_robin\n");
  text.replace(text.find("clients: 1"), 10, "clients: 2");
  text.replace(text.find("horizon: 60s"), 12, "horizon: 10ms");
  text.replace(text.find("type: raid5, size: 100GB, drives: 4"), 35, "type: mirror, size: 100GB, drives: 2");
  const runner::RunResult r = runner::run_scenario(load_ok(text));
  const auto v = io_of(r, "data").responses.values_ns();
  REQUIRE(v.size() >= 2);
  CHECK(v[0] == 3'000'000);  // round robin: host/p0 and host/p1, 2 ms each in parallel, then 1 ms
  CHECK(v[1] == 3'000'000);

  // The model's face: GetPathInfo and Get/SetLoadBalancePolicy.
  const auto spec = load_ok(array_text(2, "  load_balance: least_queue_depth\n"));
  engine::Simulation sim(spec.seed, 0);
  scenario::World world(sim, spec);
  provider::Subsystem& sub = *world.subsystem("array");
  provider::AsyncHandle* h = nullptr;
  const provider::Holder me = provider::Holder::client("t");
  REQUIRE(sub.create_lun(static_cast<std::int32_t>(provider::LunType::Mirror), base::Bytes{1 << 30}, {}, nullptr, &h, me) ==
          provider::hr::s_ok);
  sim.run_until(base::Time{1s});
  provider::LunObject& lun = *sub.luns().back();
  REQUIRE(lun.status() == provider::LunStatus::Online);
  provider::Fabric& f = *world.fabric();
  const auto paths = f.paths(lun);
  REQUIRE(paths.size() == 4);
  CHECK(world.fabric()->topology().name(paths[1].controller_port) == "array/ctl-1/p0");
  CHECK(paths[0].status == provider::PathStatus::Online);
  CHECK(paths[1].status == provider::PathStatus::Standby);
  CHECK(f.load_balance(lun) == provider::LoadBalancePolicy::DynLeastQueueDepth);
  CHECK(f.set_load_balance(lun, provider::LoadBalancePolicy::RoundRobin));
  CHECK(f.load_balance(lun) == provider::LoadBalancePolicy::RoundRobin);
  CHECK(!f.set_load_balance(lun, provider::LoadBalancePolicy::Unknown));
  CHECK(h->release(me) == provider::hr::s_ok);
}

TEST_CASE("a replacement put into an enclosure that is still out starts offline, the rebuild waits for the enclosure") {
  // RAID-5 spread over 4 enclosures (one member each). e1 goes out at 10.005 s; its drive is
  // declared FAILED at 15.005 s (offline_timeout 5 s) and replaced at 25.005 s, while e1 is
  // still out: the replacement is offline (and never times out: it was never online). e1
  // returns at 40.005 s: the rebuild starts then.
  const auto spec = load_ok(R"(name: t
seed: 1
horizon: 60s
drive_models:
  ssd: {capacity: 1TB, bandwidth: 1GB/s, latency: 1ms}
subsystems:
  - name: array
    management_latency: 0s
    init: none
    placement: spread
    enclosures:
      - {name: e1, drives: {model: ssd, count: 1}}
      - {name: e2, drives: {model: ssd, count: 1}}
      - {name: e3, drives: {model: ssd, count: 1}}
      - {name: e4, drives: {model: ssd, count: 1}}
workload:
  - {op: create_lun, name: data, type: raid5, size: 3GB, drives: 4}
repair:
  replace_after: 10s
topology:
  offline_timeout: 5s
  events:
    - {at: 10.005s, fail: array/e1}
    - {at: 40.005s, repair: array/e1}
)");
  const runner::RunResult r = runner::run_scenario(spec);
  std::vector<std::string> log;
  for (const auto& e : r.events_log)
    if (e.object.starts_with("array/e1/0") || (e.object == "array/lun1" && e.detail.starts_with("status=")))
      log.push_back(base::format_seconds(e.time) + " " + e.event + " " + e.object + " " + e.detail);
  REQUIRE(log.size() >= 10);
  CHECK(log[0] == "0.000000000 VDS_NF_LUN_MODIFY array/lun1 status=VDS_LS_ONLINE health=VDS_H_HEALTHY");
  CHECK(log[1] == "10.005000000 VDS_NF_DRIVE_REMOVED array/e1/0 status=VDS_DRS_OFFLINE");
  CHECK(log[2] == "10.005000000 VDS_NF_LUN_MODIFY array/lun1 status=VDS_LS_ONLINE health=VDS_H_FAILED_REDUNDANCY");
  CHECK(log[3] == "15.005000000 VDS_NF_DRIVE_MODIFY array/e1/0 status=VDS_DRS_FAILED health=VDS_H_FAILED");
  CHECK(log[4] == "25.005000000 VDS_NF_DRIVE_DEPART array/e1/0 replaced");
  CHECK(log[5] == "25.005000000 VDS_NF_DRIVE_ARRIVE array/e1/0#2 replacement of e1/0");
  CHECK(log[6] == "25.005000000 VDS_NF_DRIVE_REMOVED array/e1/0#2 status=VDS_DRS_OFFLINE");
  CHECK(log[7] == "40.005000000 VDS_NF_DRIVE_MODIFY array/e1/0#2 status=VDS_DRS_ONLINE");
  CHECK(log[8] == "40.005000000 LUNSIM_NF_DRIVE_REBUILD array/e1/0#2 rebuild=start lun=data");
  CHECK(log[9] == "40.005000000 VDS_NF_LUN_MODIFY array/lun1 status=VDS_LS_ONLINE health=VDS_H_REBUILDING");
  CHECK(log.back().ends_with("health=VDS_H_HEALTHY"));
  CHECK(r.reliability.log.empty());
}

TEST_CASE("a request waiting at a controller port when its controller fails stalls for the fail-over (a zero-cost controller stage included)") {
  // Port latency 10 ms, controller a pass-through. Requests start every 20 ms (10 ms port, 1 ms
  // drive, 9 ms think). ctl-0 fails at 20.005 s while the request of 20.000 s is at its port;
  // when the port is done (20.010 s) its path is gone: it stalls until 25.005 s, then takes
  // ctl-1's port (10 ms) and a drive (1 ms): done at 25.016 s.
  const auto spec = load_ok(array_text(2, R"(  failover_delay: 5s
  controller_port: {latency: 10ms}
  events:
    - {at: 20.005s, fail: array/ctl-0}
)"));
  const runner::RunResult r = runner::run_scenario(spec);
  const runner::IoRecord& io = io_of(r, "data");
  CHECK(io.errors == 0);
  CHECK(max_ns(io.responses) == 25'016'000'000 - 20'000'000'000);
  REQUIRE(r.fabric.has_value());
  CHECK(r.fabric->retried == 1);
  CHECK(r.fabric->stalled == 1);
  CHECK(r.fabric->failovers == 1);
}

TEST_CASE("an enclosure that goes out while every controller is down still takes its drives offline") {
  std::string text = outage("  offline_timeout: 1h\n");
  text += "    - {at: 5s, fail: pack/ctl-0}\n    - {at: 5s, fail: pack/ctl-1}\n";
  const runner::RunResult r = runner::run_scenario(load_ok(text));
  std::size_t pack_removed = 0;
  for (const auto& e : rows(r, "VDS_NF_DRIVE_REMOVED")) pack_removed += e.object.starts_with("pack/") ? 1 : 0;
  CHECK(pack_removed == 6);
}

namespace {

/// The LUN's LUNSIM_NF_PATH_MODIFY rows as "TIME online=N standby=N failed=N" (without the list).
std::vector<std::string> path_counts(const runner::RunResult& r, const std::string& lun = "array/lun1") {
  std::vector<std::string> out;
  for (const auto& e : rows(r, "LUNSIM_NF_PATH_MODIFY"))
    if (e.object == lun) out.push_back(base::format_seconds(e.time) + " " + e.detail.substr(0, e.detail.find(" paths=")));
  return out;
}

/// The times and values of the fail-over rows (LUN_MODIFY active_controller=).
std::vector<std::string> moves(const runner::RunResult& r) {
  std::vector<std::string> out;
  for (const auto& e : rows(r, "VDS_NF_LUN_MODIFY"))
    if (e.detail.starts_with("active_controller=")) out.push_back(base::format_seconds(e.time) + " " + e.object + " " + e.detail);
  return out;
}

/// Collects what a World-level test's model notifies.
struct Log final : provider::NotificationSink {
  std::vector<provider::Notification> rows;
  void notify(const provider::Notification& n) override { rows.push_back(n); }
};

struct Outcome {
  base::Time end = base::never;
  storage::IoStatus status = storage::IoStatus::Pending;
};

/// A 4 KiB read of `lun` through the fabric issued at `at`; when it ends and how, in `out`.
engine::Task<> read_at(engine::Simulation& sim, provider::Fabric* fabric, provider::LunObject* lun, base::Time at,
                       Outcome* out) {
  co_await sim.delay(at - sim.now());
  const storage::IoStatus status = co_await fabric->io(*lun, storage::IoKind::Read, 0, base::Bytes{4096});
  *out = Outcome{sim.now(), status};
}

} // namespace

TEST_CASE("a fail-over whose only target fails mid-stall: the path row is at that instant, host I/O fails until the owner returns") {
  // Issue 24, item 15: ctl-0 fails at 20.005 s (fail-over to ctl-1 due at 25.005 s), ctl-1 at
  // 22.005 s. The request of 20.010 s stalls, then fails at 22.005 s; the client's next ones
  // (22.014 s, then every 9 ms) fail at once until ctl-0 returns at 40 s: 1 + 1999 errors.
  const auto spec = load_ok(array_text(2, R"(  failover_delay: 5s
  events:
    - {at: 20.005s, fail: array/ctl-0}
    - {at: 22.005s, fail: array/ctl-1}
    - {at: 40s, repair: array/ctl-0}
)"));
  const runner::RunResult r = runner::run_scenario(spec);
  CHECK(path_counts(r) == std::vector<std::string>{"20.005000000 online=0 standby=2 failed=2",
                                                   "22.005000000 online=0 standby=0 failed=4",
                                                   "40.000000000 online=2 standby=0 failed=2"});
  CHECK(moves(r).empty());
  const runner::IoRecord& io = io_of(r, "data");
  CHECK(io.errors == 1 + (40'000'000 - 22'014'000 - 1) / 9'000 + 1);
  CHECK(max_ns(io.responses) == 1'000'000);  // no request waited out a fail-over
  REQUIRE(r.fabric.has_value());
  CHECK(r.fabric->stalled == 1);
  CHECK(r.fabric->no_path == io.errors);
  CHECK(r.fabric->failovers == 0);
}

TEST_CASE("requests stalled for a fail-over that can no longer happen fail at that instant with DeviceFailed, new ones at once") {
  const auto spec = load_ok(array_text(2, R"(  failover_delay: 5s
  events:
    - {at: 20.005s, fail: array/ctl-0}
    - {at: 22.005s, fail: array/ctl-1}
    - {at: 40s, repair: array/ctl-0}
)"));
  engine::Simulation sim(spec.seed, 0);
  scenario::World world(sim, spec);
  provider::Subsystem& sub = *world.subsystem("array");
  provider::Fabric& f = *world.fabric();
  Log log;
  f.set_sink(&log);
  provider::AsyncHandle* h = nullptr;
  const provider::Holder me = provider::Holder::client("t");
  REQUIRE(sub.create_lun(static_cast<std::int32_t>(provider::LunType::Mirror), base::Bytes{1 << 30}, {}, nullptr, &h, me) ==
          provider::hr::s_ok);
  sim.run_until(base::Time{1s});
  provider::LunObject& lun = *sub.luns().back();
  REQUIRE(lun.status() == provider::LunStatus::Online);

  const std::array<base::Time, 5> issued{base::Time{20'010ms}, base::Time{21s}, base::Time{23s}, base::Time{39s},
                                         base::Time{40'500ms}};
  std::array<Outcome, 5> out{};
  std::vector<engine::Process> running;
  for (std::size_t i = 0; i < issued.size(); ++i) running.push_back(engine::spawn(sim, read_at(sim, &f, &lun, issued[i], &out[i])));
  sim.run_until(base::Time{21'500ms});
  CHECK(f.failing_over(lun));
  sim.run_until(base::Time{60s});
  CHECK(!f.failing_over(lun));

  // Both stalled requests fail when ctl-1 goes (22.005 s), as a request with no path does.
  for (std::size_t i = 0; i < 2; ++i) {
    CHECK(base::format_seconds(out[i].end) == "22.005000000");
    CHECK(out[i].status == storage::IoStatus::DeviceFailed);
  }
  // Then no controller can take the LUN: requests fail at once, until its owner returns.
  CHECK(base::format_seconds(out[2].end) == "23.000000000");
  CHECK(out[2].status == storage::IoStatus::DeviceFailed);
  CHECK(base::format_seconds(out[3].end) == "39.000000000");
  CHECK(out[3].status == storage::IoStatus::DeviceFailed);
  CHECK(base::format_seconds(out[4].end) == "40.501000000");  // on ctl-0 again: no fail-over
  CHECK(out[4].status == storage::IoStatus::Ok);
  CHECK(f.stats().stalled == 2);
  CHECK(f.stats().no_path == 4);
  CHECK(f.stats().failovers == 0);
  CHECK(lun.active_controller() == 0);

  std::vector<std::string> paths;
  for (const auto& n : log.rows)
    if (n.event == provider::NotificationEvent::PathModify)
      paths.push_back(base::format_seconds(n.time) + " " + n.detail.substr(0, n.detail.find(" paths=")));
  CHECK(paths == std::vector<std::string>{"20.005000000 online=0 standby=2 failed=2", "22.005000000 online=0 standby=0 failed=4",
                                          "40.000000000 online=2 standby=0 failed=2"});
  CHECK(h->release(me) == provider::hr::s_ok);
}

TEST_CASE("three controllers: losing the fail-over's first candidate mid-stall keeps the delay, the LUN moves to the next at the original time") {
  const auto spec = load_ok(array_text(3, R"(  failover_delay: 5s
  events:
    - {at: 20.005s, fail: array/ctl-0}
    - {at: 22.005s, fail: array/ctl-1}
)"));
  const runner::RunResult r = runner::run_scenario(spec);
  CHECK(path_counts(r) == std::vector<std::string>{"20.005000000 online=0 standby=4 failed=2",
                                                   "22.005000000 online=0 standby=2 failed=4",
                                                   "25.005000000 online=2 standby=0 failed=4"});
  CHECK(moves(r) == std::vector<std::string>{"25.005000000 array/lun1 active_controller=array/ctl-2"});
  const runner::IoRecord& io = io_of(r, "data");
  CHECK(io.errors == 0);
  CHECK(max_ns(io.responses) == 25'006'000'000 - 20'010'000'000);  // the request of 20.010 s, stalled
  REQUIRE(r.fabric.has_value());
  CHECK(r.fabric->stalled == 1);
  CHECK(r.fabric->failovers == 1);
  CHECK(r.fabric->no_path == 0);
}

TEST_CASE("the owner's back-end link to an enclosure fails: its LUN there fails over to the partner that still reaches it") {
  // Issue 24, item 16. The drives stay online (ctl-1 reaches shelf-1), the controller stays
  // online; the LUN's paths through ctl-0 fail and it moves after the 5 s delay. The link's
  // repair makes them standby again (no fail-back).
  const auto spec = load_ok(array_text(2, R"(  failover_delay: 5s
  events:
    - {at: 20.005s, fail: array/ctl-0 -- array/shelf-1}
    - {at: 40.005s, repair: array/ctl-0 -- array/shelf-1}
)"));
  const runner::RunResult r = runner::run_scenario(spec);
  const auto components = rows(r, "LUNSIM_NF_COMPONENT_MODIFY");
  REQUIRE(components.size() == 2);
  CHECK(base::format_seconds(components[0].time) == "20.005000000");
  CHECK(components[0].object == "array/ctl-0 -- array/shelf-1");
  CHECK(components[0].detail == "kind=link state=down");
  CHECK(components[1].detail == "kind=link state=up");
  CHECK(rows(r, "VDS_NF_CONTROLLER_MODIFY").empty());
  CHECK(rows(r, "VDS_NF_DRIVE_REMOVED").empty());

  const auto paths = rows(r, "LUNSIM_NF_PATH_MODIFY");
  REQUIRE(paths.size() == 3);
  CHECK(base::format_seconds(paths[0].time) == "20.005000000");
  CHECK(paths[0].detail ==
        "online=0 standby=2 failed=2 paths=host/p0>array/ctl-0/p0:VDS_MPS_FAILED;host/p0>array/ctl-1/p0:VDS_MPS_STANDBY;"
        "host/p1>array/ctl-0/p1:VDS_MPS_FAILED;host/p1>array/ctl-1/p1:VDS_MPS_STANDBY");
  CHECK(path_counts(r) == std::vector<std::string>{"20.005000000 online=0 standby=2 failed=2",
                                                   "25.005000000 online=2 standby=0 failed=2",
                                                   "40.005000000 online=2 standby=2 failed=0"});
  CHECK(moves(r) == std::vector<std::string>{"25.005000000 array/lun1 active_controller=array/ctl-1"});
  const runner::IoRecord& io = io_of(r, "data");
  CHECK(io.errors == 0);
  CHECK(max_ns(io.responses) == 25'006'000'000 - 20'010'000'000);
  REQUIRE(r.fabric.has_value());
  CHECK(r.fabric->failovers == 1);
  CHECK(r.fabric->stalled == 1);
  CHECK(r.fabric->component_failures == 1);
}

namespace {

/// A dual-controller array with two enclosures of 2 SSDs (1 ms reads); `luns` (workload lines),
/// one reader on "data", then `events` (lines under `topology.events`), failover_delay 5 s.
std::string two_shelves(const std::string& luns, const std::string& events) {
  return "name: t\nseed: 7\nhorizon: 60s\n"
         "drive_models:\n  ssd: {capacity: 1TB, latency: 1ms}\n"
         "subsystems:\n  - name: array\n    management_latency: 0s\n    init: none\n    controllers: 2\n"
         "    enclosures:\n      - {name: shelf-1, drives: {model: ssd, count: 2}}\n"
         "      - {name: shelf-2, drives: {model: ssd, count: 2}}\n"
         "workload:\n" +
         luns + "  - io: {name: host, clients: 1, think: 9ms, read: 100%, size: 4KiB, targets: [data]}\n" +
         "topology:\n  failover_delay: 5s\n  events:\n" + events;
}

} // namespace

TEST_CASE("a back-end link to an enclosure fails: only the LUNs with members there lose the paths through that controller") {
  // "other" (shelf-1) is owned by ctl-0, "data" (shelf-2) by ctl-1 (fewest LUNs at creation).
  // ctl-0 loses shelf-2: data's standby paths through ctl-0 fail, nothing moves, nothing stalls.
  const auto spec = load_ok(two_shelves("  - {op: create_lun, name: other, type: mirror, size: 10GB, drives: [shelf-1/0, shelf-1/1]}\n"
                                        "  - {op: create_lun, name: data, type: mirror, size: 10GB, drives: [shelf-2/0, shelf-2/1]}\n",
                                        "    - {at: 20.005s, fail: array/ctl-0 -- array/shelf-2}\n"));
  const runner::RunResult r = runner::run_scenario(spec);
  CHECK(moves(r).empty());
  CHECK(path_counts(r, "array/lun1").empty());
  CHECK(path_counts(r, "array/lun2") == std::vector<std::string>{"20.005000000 online=2 standby=0 failed=2"});
  const runner::IoRecord& io = io_of(r, "data");
  CHECK(io.errors == 0);
  CHECK(max_ns(io.responses) == 1'000'000);
  REQUIRE(r.fabric.has_value());
  CHECK(r.fabric->stalled == 0);
  CHECK(r.fabric->failovers == 0);
}

TEST_CASE("split back end: with no controller reaching every member, the LUN's paths all fail and host I/O fails at once, the drives stay online") {
  // A mirror over shelf-1/0 and shelf-2/0. ctl-0 (the owner) loses shelf-1 at 20.005 s: a
  // fail-over to ctl-1 starts. ctl-1 loses shelf-2 at 22.005 s: no controller reaches both, the
  // fail-over ends, the stalled request fails. ctl-0 gets shelf-1 back at 40 s: I/O resumes on it.
  const auto spec = load_ok(two_shelves("  - {op: create_lun, name: data, type: mirror, size: 10GB, drives: [shelf-1/0, shelf-2/0]}\n",
                                        "    - {at: 20.005s, fail: array/ctl-0 -- array/shelf-1}\n"
                                        "    - {at: 22.005s, fail: array/ctl-1 -- array/shelf-2}\n"
                                        "    - {at: 40s, repair: array/ctl-0 -- array/shelf-1}\n"));
  const runner::RunResult r = runner::run_scenario(spec);
  CHECK(path_counts(r) == std::vector<std::string>{"20.005000000 online=0 standby=2 failed=2",
                                                   "22.005000000 online=0 standby=0 failed=4",
                                                   "40.000000000 online=2 standby=0 failed=2"});
  CHECK(moves(r).empty());
  CHECK(rows(r, "VDS_NF_DRIVE_REMOVED").empty());
  for (const auto& e : rows(r, "VDS_NF_LUN_MODIFY")) CHECK(e.detail.find("OFFLINE") == std::string::npos);
  const runner::IoRecord& io = io_of(r, "data");
  CHECK(io.errors == 1 + (40'000'000 - 22'014'000 - 1) / 9'000 + 1);
  CHECK(max_ns(io.responses) == 1'000'000);
  REQUIRE(r.fabric.has_value());
  CHECK(r.fabric->stalled == 1);
  CHECK(r.fabric->no_path == io.errors);
  CHECK(r.fabric->failovers == 0);
}

TEST_CASE("both controllers' links to an enclosure down is an enclosure outage: drives offline, the LUN unavailable, no fail-over") {
  // ctl-1 (not the owner) loses shelf-1 at 20.005 s: the standby paths fail. ctl-0 loses it at
  // 30.005 s: no controller reaches shelf-1, its drives go offline (the LUN, all of whose
  // members are there, is unavailable) and the paths are judged without it. ctl-0's link
  // returns at 40.005 s.
  const auto spec = load_ok(array_text(2, R"(  failover_delay: 5s
  events:
    - {at: 20.005s, fail: array/ctl-1 -- array/shelf-1}
    - {at: 30.005s, fail: array/ctl-0 -- array/shelf-1}
    - {at: 40.005s, repair: array/ctl-0 -- array/shelf-1}
)"));
  const runner::RunResult r = runner::run_scenario(spec);
  CHECK(path_counts(r) == std::vector<std::string>{"20.005000000 online=2 standby=0 failed=2",
                                                   "30.005000000 online=2 standby=2 failed=0",
                                                   "40.005000000 online=2 standby=0 failed=2"});
  const auto removed = rows(r, "VDS_NF_DRIVE_REMOVED");
  CHECK(removed.size() == 8);
  for (const auto& e : removed) CHECK(base::format_seconds(e.time) == "30.005000000");
  const runner::IoRecord& io = io_of(r, "data");
  CHECK(io.errors == (40'005'000 - 30'010'000 - 1) / 9'000 + 1);  // the LUN is unavailable
  CHECK(max_ns(io.responses) == 1'000'000);
  REQUIRE(r.fabric.has_value());
  CHECK(r.fabric->stalled == 0);
  CHECK(r.fabric->failovers == 0);
  CHECK(r.fabric->no_path == 0);
}
