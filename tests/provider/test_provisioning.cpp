// Exact provisioning times (the time model of sim/provider/subsystem.hpp): with idle drives and
// constant latencies a job takes management latency + member extent bytes / drive bandwidth.
#include "sim/provider/subsystem.hpp"

#include <catch2/catch.hpp>

#include <memory>
#include <vector>

using namespace std::chrono_literals;
using sim::base::Bytes;
using sim::base::Duration;
using sim::base::Time;
using namespace sim::provider;

namespace {

constexpr Bytes tb{1'000'000'000'000ULL};

struct Array {
  sim::engine::Simulation sim{1};
  Ledger ledger;
  sim::storage::DriveModel model;
  std::unique_ptr<Subsystem> subsystem;
  Holder me = Holder::client("test");

  Array(std::size_t drives, Bytes capacity, std::uint64_t bandwidth, Duration latency, bool initialize = true) {
    model.name = "test-model";
    model.capacity = capacity;
    model.bandwidth = sim::base::Rate{bandwidth};
    model.read_latency = sim::engine::Distribution::constant(1ms);
    model.write_latency = sim::engine::Distribution::constant(1ms);
    SubsystemConfig c;
    c.name = "array";
    c.management_latency = sim::engine::Distribution::constant(latency);
    c.initialize = initialize;
    subsystem = std::make_unique<Subsystem>(sim, ledger, c);
    for (std::size_t i = 0; i < drives; ++i) subsystem->add_drive("d" + std::to_string(i), model);
  }

  std::vector<ObjectId> ids(std::size_t first, std::size_t count) {
    std::vector<ObjectId> v;
    for (std::size_t i = first; i < first + count; ++i) v.push_back(subsystem->drive(i).id());
    return v;
  }

  AsyncHandle* create(LunType type, Bytes size, const std::vector<ObjectId>& drives) {
    AsyncHandle* h = nullptr;
    Hints hints;
    REQUIRE(subsystem->create_lun(static_cast<std::int32_t>(type), size, drives, &hints, &h, me) == hr::s_ok);
    REQUIRE(h != nullptr);
    return h;
  }

  /// Runs until the handle is signalled; returns the time of its completion.
  Time run_until_done(AsyncHandle* h) {
    while (!h->signalled() && sim.events_pending() > 0) sim.run_until(sim.now() + 1s);
    REQUIRE(h->signalled());
    HResult result;
    std::uint32_t percent = 0;
    REQUIRE(h->query_status(&result, &percent) == hr::s_ok);
    CHECK(result == hr::s_ok);
    CHECK(percent == 100);
    return h->completion_time();
  }
};

Time seconds(double s) { return Time{Duration{static_cast<std::int64_t>(s * 1e9 + 0.5)}}; }

} // namespace

TEST_CASE("1 TB RAID-5 on 6 drives at 200 MB/s with 100 ms latency completes at exactly 1000.1 s",
          "[provider][provisioning]") {
  Array a(6, Bytes{300'000'000'000ULL}, 200'000'000, 100ms);
  AsyncHandle* h = a.create(LunType::Raid5, tb, a.ids(0, 6));
  CHECK(a.run_until_done(h) == seconds(1000.1));
  for (std::size_t i = 0; i < 6; ++i) CHECK(a.subsystem->drive(i).drive().used_bytes() == Bytes{200'000'000'000ULL});
}

TEST_CASE("1 TB RAID-6 on 7 drives completes at exactly 1000.1 s", "[provider][provisioning]") {
  Array a(7, Bytes{300'000'000'000ULL}, 200'000'000, 100ms);
  AsyncHandle* h = a.create(LunType::Raid6, tb, a.ids(0, 7));
  CHECK(a.run_until_done(h) == seconds(1000.1));
}

TEST_CASE("1 TB mirror on 2 drives completes at exactly 5000.1 s", "[provider][provisioning]") {
  Array a(2, Bytes{2 * tb.value}, 200'000'000, 100ms);
  AsyncHandle* h = a.create(LunType::Mirror, tb, a.ids(0, 2));
  CHECK(a.run_until_done(h) == seconds(5000.1));
}

TEST_CASE("with init: none a LUN is ready after the management latency alone", "[provider][provisioning]") {
  Array a(6, Bytes{300'000'000'000ULL}, 200'000'000, 100ms, /*initialize=*/false);
  AsyncHandle* h = a.create(LunType::Raid5, tb, a.ids(0, 6));
  CHECK(a.run_until_done(h) == seconds(0.1));
}

TEST_CASE("two jobs on the same drives interleave chunk by chunk", "[provider][provisioning]") {
  // Both jobs start initialising at 0.1 s; each drive serves their 64 MiB chunks alternately
  // (A, B, A, B, ...: each finished chunk's successor queues behind the other job's chunk).
  // Per member 2e11 B = 2980 chunks of 67108864 B + a last chunk of 15585280 B (77.9264 ms).
  // The drives stay busy until both are done, so B ends at 0.1 s + 2 x 2e11 B / 2e8 B/s =
  // 2000.1 s exactly, and A one B-last-chunk earlier: 2000.1 s - 77.9264 ms = 2000.0220736 s.
  Array a(6, Bytes{500'000'000'000ULL}, 200'000'000, 100ms);
  AsyncHandle* first = a.create(LunType::Raid5, tb, a.ids(0, 6));
  AsyncHandle* second = a.create(LunType::Raid5, tb, a.ids(0, 6));
  while (!(first->signalled() && second->signalled())) a.sim.run_until(a.sim.now() + 1s);
  CHECK(first->completion_time() == seconds(2000.0220736));
  CHECK(second->completion_time() == seconds(2000.1));
}

TEST_CASE("cancelling a create half-way rolls it back", "[provider][provisioning]") {
  Array a(6, Bytes{300'000'000'000ULL}, 200'000'000, 100ms);
  AsyncHandle* h = a.create(LunType::Raid5, tb, a.ids(0, 6));
  a.sim.run_until(seconds(500.1));
  HResult result;
  std::uint32_t percent = 0;
  REQUIRE(h->query_status(&result, &percent) == hr::s_ok);
  CHECK(result == hr::vds_e_operation_pending);
  // 1490 chunks of 64 MiB per member are written by 0.1 s + 1490 x 0.33554432 s = 500.06 s:
  // 1490 x 67108864 / 2e11 = 49.99 %, reported as 49.
  CHECK(percent == 49);
  REQUIRE(h->cancel() == hr::s_ok);
  a.sim.run_until(seconds(500.1));  // the cancellation completes at the time of the cancel
  REQUIRE(h->signalled());
  CHECK(h->completion_time() == seconds(500.1));
  REQUIRE(h->query_status(&result, &percent) == hr::s_ok);
  CHECK(result == hr::vds_e_operation_canceled);
  CHECK(percent == 0);
  for (std::size_t i = 0; i < 6; ++i) CHECK(a.subsystem->drive(i).drive().used_bytes() == Bytes{});
  CHECK(h->cancel() == hr::vds_e_cancel_too_late);
  std::vector<LunObject*> luns;
  REQUIRE(a.subsystem->query_luns(&luns, a.me) == hr::s_ok);
  CHECK(luns.empty());
  // The chunk that was in service finishes; nothing else runs on the drives afterwards.
  a.sim.run();
  CHECK(a.sim.now() < seconds(500.1 + 0.34));
}
