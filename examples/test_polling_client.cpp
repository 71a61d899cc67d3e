// The example polling client (examples/polling_client.hpp) against a healthy provider and an
// errant one: a tiny Subsystem + FaultPlan + Provider built here the way sim/runner/check.cpp
// builds its cells.
#include "examples/polling_client.hpp"

#include "sim/engine/task.hpp"
#include "sim/provider/faults.hpp"
#include "sim/provider/provider.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

using namespace std::chrono_literals;
namespace hr = sim::provider::hr;
using example::PollingOptions;
using example::PollingRecord;
using sim::base::Bytes;
using sim::provider::Behavior;
using sim::provider::FaultOp;
using sim::provider::FaultSpec;
using sim::provider::Holder;

namespace {

/// One subsystem of 4 drives (4 GiB, 100 MiB/s, 64 MiB initialisation chunks: 0.64 s each, one
/// chunk outstanding per drive) with a 100 ms management latency, an optional fault plan and the
/// provider above it. The client asks for a 1 GiB Simple LUN: one member drive, 16 chunks, so the
/// job ends at 0.1 s + 10.24 s and its percent moves in steps of 6.25 % every 0.64 s.
struct Harness {
  explicit Harness(std::vector<FaultSpec> faults = {})
      : model(make_model()), subsystem(sim, ledger, make_config()), plan(sim, std::move(faults)),
        provider(ledger, "provider", &plan) {
    for (int i = 0; i < 4; ++i) subsystem.add_drive("d" + std::to_string(i), model);
    subsystem.set_faults(&plan);
    provider.add_subsystem(subsystem);
  }

  /// Runs the client to its end (or the 24 h bound, for a client that would hang).
  void run(PollingOptions options = {}) {
    sim::provider::CreateLunRequest request{static_cast<std::int32_t>(sim::provider::LunType::Simple),
                                            Bytes{1ULL << 30}, {}, sim::provider::Hints{}};
    process = sim::engine::spawn(sim, example::polling_create_lun(subsystem, std::move(request), me, options, rec));
    sim.run_until(sim::base::at(24h));
  }

  /// References `me` still holds, on every object.
  std::uint32_t held() const {
    std::uint32_t n = 0;
    for (const auto& o : ledger.outstanding())
      if (o.holder == me) n += o.count;
    return n;
  }

  /// LUNs on the array with storage and not deleted.
  std::uint32_t luns_on_array() const {
    std::uint32_t n = 0;
    for (const auto& l : subsystem.luns())
      if (!l->deleted() && l->lun_model() != nullptr) ++n;
    return n;
  }

  PollingRecord rec;  // outlives the simulation (a client cut short refers to it)
  sim::engine::Simulation sim{1};
  sim::provider::Ledger ledger;
  sim::storage::DriveModel model;
  sim::provider::Subsystem subsystem;
  sim::provider::FaultPlan plan;
  sim::provider::Provider provider;
  Holder me = Holder::client("polling");
  sim::engine::Process process;

private:
  static sim::storage::DriveModel make_model() {
    sim::storage::DriveModel m;
    m.name = "example-4g";
    m.capacity = Bytes{4ULL << 30};
    m.bandwidth = sim::base::Rate{100ULL << 20};
    m.read_latency = m.write_latency = sim::engine::Distribution::constant(5ms);
    return m;
  }
  static sim::provider::SubsystemConfig make_config() {
    sim::provider::SubsystemConfig c;
    c.name = "array";
    c.management_latency = sim::engine::Distribution::constant(100ms);
    return c;
  }
};

FaultSpec first_create(Behavior b) {
  FaultSpec f;
  f.op = FaultOp::CreateLun;
  f.behavior = b;
  f.nth = 1;
  return f;
}

} // namespace

TEST_CASE("healthy provider: the client polls every 500 ms until the job ends, verifies the size and returns the "
          "LUN with the caller's one reference",
          "[example]") {
  Harness h;
  h.run();
  const auto& c = h.rec.client;
  REQUIRE(h.rec.finished);
  CHECK(h.process.done());
  CHECK(c.result == hr::s_ok);
  REQUIRE(c.lun != nullptr);
  CHECK(c.lun->usable());
  CHECK(h.rec.size >= Bytes{1ULL << 30});
  CHECK(c.output_type == sim::provider::AsyncOutputType::CreateLun);
  CHECK(c.wait_began == sim::base::at(0s));
  CHECK_FALSE(h.rec.timed_out);
  CHECK_FALSE(h.rec.cancelled);
  CHECK_FALSE(c.percent_went_back);
  // The job ends at 0.1 s + 16 x 0.64 s = 10.34 s; the client notices at its next poll, 10.5 s
  // (polls at 0, 0.5, ..., 10.5 s).
  CHECK(h.rec.finished_at == sim::base::at(10500ms));
  CHECK(h.rec.polls == 22);
  // Only the LUN's reference is left, and it is the caller's; released, nothing is held.
  CHECK(h.held() == 1);
  CHECK(h.ledger.held_by(c.lun->ledger_id(), h.me) == 1);
  c.lun->release(h.me);
  CHECK(h.held() == 0);
  CHECK(h.ledger.over_releases().empty());
  CHECK(h.plan.violations().empty());
}

TEST_CASE("null_handle: S_OK without a handle is E_UNEXPECTED, nothing is polled or held", "[example]") {
  Harness h({first_create(Behavior::NullHandle)});
  h.run();
  const auto& c = h.rec.client;
  REQUIRE(h.rec.finished);
  CHECK(c.call == hr::s_ok);
  CHECK(c.result == hr::e_unexpected);
  CHECK(c.lun == nullptr);
  CHECK(h.rec.polls == 0);
  CHECK(c.wait_began == sim::base::never);
  CHECK(h.held() == 0);
  CHECK(h.luns_on_array() == 0);
  CHECK(h.plan.any_exercised());
}

TEST_CASE("never_completes: the client's own deadline ends the wait: Cancel is refused, the client returns "
          "VDS_E_TIMEOUT and releases the handle",
          "[example]") {
  Harness h({first_create(Behavior::NeverCompletes)});
  PollingOptions options;
  options.deadline = 1min;
  h.run(options);
  const auto& c = h.rec.client;
  REQUIRE(h.rec.finished);  // no hang: the run ended by itself
  CHECK(h.process.done());
  CHECK(h.rec.timed_out);
  CHECK(h.rec.cancelled);
  CHECK(h.rec.cancel == hr::vds_e_not_supported);
  CHECK(c.result == hr::vds_e_timeout);
  CHECK_FALSE(c.waited);
  CHECK(c.wait_began == sim::base::at(0s));
  CHECK(h.rec.finished_at == sim::base::at(1min));
  CHECK(h.rec.polls == 122);  // 0, 0.5, ..., 60 s, and one after the refused Cancel
  CHECK(h.held() == 0);
  CHECK(h.luns_on_array() == 0);
}

TEST_CASE("percent_regresses: the client notices percent going backwards while it polls, and still gets its LUN",
          "[example]") {
  Harness h({first_create(Behavior::PercentRegresses)});
  h.run();
  const auto& c = h.rec.client;
  REQUIRE(h.rec.finished);
  CHECK(c.percent_went_back);
  CHECK(c.result == hr::s_ok);
  REQUIRE(c.lun != nullptr);
  CHECK(h.plan.any_exercised());  // the faulted call is QueryStatus
  REQUIRE(h.plan.violations().size() == 1);
  CHECK(h.plan.violations()[0].kind == "percent_backwards");
  c.lun->release(h.me);
  CHECK(h.held() == 0);
}

TEST_CASE("size_rounded_down: the size check catches the smaller LUN, deletes it and returns E_UNEXPECTED",
          "[example]") {
  Harness h({first_create(Behavior::SizeRoundedDown)});
  h.run();
  const auto& c = h.rec.client;
  REQUIRE(h.rec.finished);
  CHECK(c.result == hr::e_unexpected);
  CHECK(c.lun == nullptr);
  CHECK(h.rec.size < Bytes{1ULL << 30});
  CHECK(h.rec.deleted_wrong_lun);
  CHECK(h.luns_on_array() == 0);
  CHECK(h.held() == 0);
}

TEST_CASE("wrong_output_type: E_UNEXPECTED, and the payload Wait handed out is released all the same", "[example]") {
  Harness h({first_create(Behavior::WrongOutputType)});
  h.run();
  const auto& c = h.rec.client;
  REQUIRE(h.rec.finished);
  CHECK(c.result == hr::e_unexpected);
  CHECK(c.output_type == sim::provider::AsyncOutputType::ExtendLun);
  CHECK(h.held() == 0);
}

TEST_CASE("a healthy job slower than the deadline is cancelled and rolled back: VDS_E_TIMEOUT, no LUN left",
          "[example]") {
  Harness h;
  PollingOptions options;
  options.deadline = 3s;
  h.run(options);
  const auto& c = h.rec.client;
  REQUIRE(h.rec.finished);
  CHECK(h.rec.timed_out);
  CHECK(h.rec.cancel == hr::s_ok);
  CHECK(c.waited);
  CHECK(c.op == hr::vds_e_operation_canceled);
  CHECK(c.result == hr::vds_e_timeout);
  CHECK(h.rec.finished_at == sim::base::at(3s));
  CHECK(h.luns_on_array() == 0);
  CHECK(h.held() == 0);
}

TEST_CASE("the same run twice is identical", "[example][determinism]") {
  auto once = [] {
    Harness h({first_create(Behavior::PercentRegresses)});
    h.run();
    if (h.rec.client.lun != nullptr) h.rec.client.lun->release(h.me);
    return std::vector<std::uint64_t>{h.rec.polls, h.rec.last_percent, h.rec.client.result.value,
                                      static_cast<std::uint64_t>(h.rec.finished_at.time_since_epoch().count()),
                                      h.sim.fingerprint(), h.sim.events_processed()};
  };
  CHECK(once() == once());
}
