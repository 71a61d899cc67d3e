// Shared builder for provider tests: one Simulation, one Ledger, one DriveModel and one
// Subsystem with N drives named "d0".."dN-1".
//
// Defaults make every job time exact: drives of 1 GiB at 100 MiB/s (a 64 MiB chunk takes
// exactly 0.64 s, 128 MiB exactly 1.28 s), constant foreground latencies, and a constant
// management latency of 100 ms. Override any field with designated initialisers:
//
//   ProviderFixture f{{.drives = 4, .management_latency = 50ms}};
//   AsyncHandle* h = nullptr;
//   REQUIRE(f.subsystem.create_lun(raid5, 256_MiB, f.ids({0, 1, 2}), nullptr, &h, f.me) == hr::s_ok);
//   WaitCapture w;
//   spawn(f.sim, wait_into(f.sim, *h, f.me, &w));
//   f.sim.run();
#pragma once

#include "sim/base/size.hpp"
#include "sim/base/time.hpp"
#include "sim/engine/distribution.hpp"
#include "sim/engine/simulation.hpp"
#include "sim/engine/task.hpp"
#include "sim/provider/async.hpp"
#include "sim/provider/ledger.hpp"
#include "sim/provider/subsystem.hpp"
#include "sim/storage/drive.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

namespace sim::testing {

/// Parameters of a ProviderFixture (an aggregate: use designated initialisers).
struct ProviderSetup {
  std::size_t drives = 6;
  base::Duration management_latency = std::chrono::milliseconds(100);
  base::Bytes capacity{1ULL << 30};                  // 1 GiB per drive
  base::Rate bandwidth{100ULL << 20};                // 100 MiB/s
  base::Duration read_latency = std::chrono::milliseconds(5);
  base::Duration write_latency = std::chrono::milliseconds(5);
  base::Bytes chunk_size{64ULL << 20};               // 64 MiB
  std::uint8_t provisioning_priority = 0;
  bool initialize = true;
  std::string name = "array";
  std::uint64_t replication = 0;  ///< the Simulation's replication index (seed 0)
};

struct ProviderFixture {
  explicit ProviderFixture(ProviderSetup s = {})
      : setup(std::move(s)), sim(0, setup.replication), model(make_model(setup)),
        subsystem(sim, ledger, make_config(setup)) {
    for (std::size_t i = 0; i < setup.drives; ++i) subsystem.add_drive("d" + std::to_string(i), model);
  }

  ProviderFixture(const ProviderFixture&) = delete;
  ProviderFixture& operator=(const ProviderFixture&) = delete;

  ProviderSetup setup;
  engine::Simulation sim;
  provider::Ledger ledger;
  storage::DriveModel model;
  provider::Subsystem subsystem;
  /// The default client holder.
  provider::Holder me = provider::Holder::client("tester");

  provider::DriveObject& drive_object(std::size_t i) { return subsystem.drive(i); }
  storage::Drive& drive(std::size_t i) { return subsystem.drive(i).drive(); }
  provider::ObjectId id(std::size_t i) { return subsystem.drive(i).id(); }
  /// Ids of drives by index, in the order given.
  std::vector<provider::ObjectId> ids(std::initializer_list<std::size_t> indices) {
    std::vector<provider::ObjectId> out;
    for (std::size_t i : indices) out.push_back(id(i));
    return out;
  }
  /// Bytes allocated to LUNs over every drive.
  base::Bytes used_total() {
    base::Bytes total{};
    for (std::size_t i = 0; i < subsystem.drive_count(); ++i) total += drive(i).used_bytes();
    return total;
  }
  /// Member drive names of a LUN in member order ("d3", "d1", ...).
  static std::vector<std::string> member_names(const provider::LunObject& lun) {
    std::vector<std::string> out;
    for (const storage::Drive* d : lun.lun()->members()) out.push_back(d->name());
    return out;
  }
  /// Transfer time of `b` bytes at the fixture's bandwidth.
  base::Duration transfer(base::Bytes b) const { return b / setup.bandwidth; }

  /// Runs until `t` (inclusive).
  void run_until(base::Duration t) { sim.run_until(base::at(t)); }

private:
  static storage::DriveModel make_model(const ProviderSetup& s) {
    storage::DriveModel m;
    m.name = "test-drive";
    m.capacity = s.capacity;
    m.bandwidth = s.bandwidth;
    m.read_latency = engine::Distribution::constant(s.read_latency);
    m.write_latency = engine::Distribution::constant(s.write_latency);
    return m;
  }
  static provider::SubsystemConfig make_config(const ProviderSetup& s) {
    provider::SubsystemConfig c;
    c.name = s.name;
    c.management_latency = engine::Distribution::constant(s.management_latency);
    c.provisioning_priority = s.provisioning_priority;
    c.chunk_size = s.chunk_size;
    c.initialize = s.initialize;
    return c;
  }
};

/// Outcome of a Wait run in a process.
struct WaitCapture {
  bool done = false;
  base::Time at{};
  provider::WaitResult result;
};

/// A process body: waits on `h` for `who`, records the result and the resume time.
inline engine::Task<void> wait_into(engine::Simulation& sim, provider::AsyncHandle& h, provider::Holder who,
                                    WaitCapture* out) {
  out->result = co_await h.wait(std::move(who));
  out->at = sim.now();
  out->done = true;
}

/// query_status as a value pair; the method's own HRESULT is checked by the caller.
struct Status {
  provider::HResult call = provider::hr::s_ok;
  provider::HResult op = provider::hr::s_ok;
  std::uint32_t percent = 0;
};

inline Status status_of(provider::AsyncHandle& h) {
  Status s;
  s.call = h.query_status(&s.op, &s.percent);
  return s;
}

/// NotificationSink test double: keeps every notification in order.
class RecordingSink final : public provider::NotificationSink {
public:
  void notify(const provider::Notification& n) override { events.push_back(n); }
  std::vector<provider::Notification> events;
};

} // namespace sim::testing
