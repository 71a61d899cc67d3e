// synchronous_create_lun, the reference client of the VDS sample (VDS-REFERENCE.md section 11),
// against a healthy provider: results, timing and the references it leaves.
#include "tests/support/provider_fixture.hpp"

#include "sim/engine/task.hpp"
#include "sim/provider/client.hpp"
#include "sim/provider/subsystem.hpp"

#include <catch2/catch.hpp>

#include <vector>

using namespace std::chrono_literals;
using namespace sim::base::size_literals;
using namespace sim::provider;
using sim::base::Bytes;
using sim::base::Duration;
using sim::base::Time;
using sim::engine::Simulation;
using sim::engine::spawn;
using sim::engine::Task;
using sim::testing::ProviderFixture;

namespace {

constexpr std::int32_t lt(LunType t) { return static_cast<std::int32_t>(t); }
Time at(Duration d) { return Time{d}; }

struct Outcome {
  bool done = false;
  Time at{};
  ClientRecord result;
};

/// Runs the client as a process and records what it returned and when.
Task<> run_client(Simulation& sim, Subsystem& s, std::int32_t type, Bytes size, std::vector<ObjectId> drives,
                  Holder me, Outcome* out) {
  out->result = co_await synchronous_create_lun(s, type, size, std::move(drives), Hints{}, std::move(me));
  out->at = sim.now();
  out->done = true;
}

struct CancelLog {
  bool done = false;
  AsyncHandle* handle = nullptr;
  HResult cancel{};
};

/// After `delay`, cancels the newest async handle of the subsystem.
Task<> cancel_newest_after(Simulation& sim, Subsystem& s, Duration delay, CancelLog* log) {
  co_await sim.delay(delay);
  log->handle = s.handles().back().get();
  log->cancel = log->handle->cancel();
  log->done = true;
}

} // namespace

TEST_CASE("synchronous_create_lun returns S_OK and the new LUN at the exact completion time, "
          "holding one reference on it and none on the handle",
          "[provider][client]") {
  ProviderFixture f;
  Outcome o;
  spawn(f.sim, run_client(f.sim, f.subsystem, lt(LunType::Raid5), 256_MiB, f.ids({0, 1, 2}), f.me, &o));
  f.sim.run();

  REQUIRE(o.done);
  CHECK(o.result.result == hr::s_ok);
  REQUIRE(f.subsystem.luns().size() == 1);
  LunObject* lun = f.subsystem.luns().front().get();
  CHECK(o.result.lun == lun);
  CHECK(o.at == at(1380ms));  // 100 ms + 128 MiB / (100 MiB/s)

  REQUIRE(f.subsystem.handles().size() == 1);
  const AsyncHandle& h = *f.subsystem.handles().front();
  CHECK(f.ledger.held_by(lun->ledger_id(), f.me) == 1);  // from QueryInterface
  CHECK(f.ledger.held_by(h.ledger_id(), f.me) == 0);
  const auto out = f.ledger.outstanding();
  REQUIRE(out.size() == 1);
  CHECK(out[0].object == lun->ledger_id());
  CHECK(out[0].holder == f.me);
  CHECK(out[0].count == 1);
  CHECK(f.ledger.over_releases().empty());

  LunProp p;
  REQUIRE(lun->get_properties(&p) == hr::s_ok);
  CHECK(p.status == LunStatus::Online);
  CHECK(p.size == 256_MiB);
  CHECK(p.type == LunType::Raid5);

  // The caller releases its reference: nothing is left.
  CHECK(o.result.lun->release(f.me) == hr::s_ok);
  CHECK(f.ledger.outstanding().empty());
}

TEST_CASE("synchronous_create_lun lets the provider pick the drives when given none", "[provider][client]") {
  ProviderFixture f;
  Outcome o;
  spawn(f.sim, run_client(f.sim, f.subsystem, lt(LunType::Mirror), 64_MiB, {}, f.me, &o));
  f.sim.run();
  REQUIRE(o.done);
  CHECK(o.result.result == hr::s_ok);
  REQUIRE(o.result.lun != nullptr);
  CHECK(ProviderFixture::member_names(*o.result.lun) == std::vector<std::string>{"d0", "d1"});
  CHECK(o.at == at(100ms + 640ms));
}

TEST_CASE("synchronous_create_lun returns a synchronous failure as is, leaking nothing", "[provider][client]") {
  ProviderFixture f;

  SECTION("not enough drives") {
    Outcome o;
    spawn(f.sim, run_client(f.sim, f.subsystem, lt(LunType::Raid5), 256_MiB, f.ids({0, 1}), f.me, &o));
    f.sim.run();
    REQUIRE(o.done);
    CHECK(o.result.result == hr::vds_e_not_enough_drive);
    CHECK(o.at == at(0ms));
  }
  SECTION("not enough space") {
    Outcome o;
    spawn(f.sim, run_client(f.sim, f.subsystem, lt(LunType::Raid5), 4_GiB, f.ids({0, 1, 2}), f.me, &o));
    f.sim.run();
    REQUIRE(o.done);
    CHECK(o.result.result == hr::vds_e_not_enough_space);
  }
  SECTION("an unsupported type") {
    Outcome o;
    spawn(f.sim, run_client(f.sim, f.subsystem, lt(LunType::Raid50), 256_MiB, {}, f.me, &o));
    f.sim.run();
    REQUIRE(o.done);
    CHECK(o.result.result == hr::vds_e_not_supported);
  }
  CHECK(f.subsystem.handles().empty());
  CHECK(f.subsystem.luns().empty());
  CHECK(f.used_total() == 0_B);
  CHECK(f.ledger.outstanding().empty());
  CHECK(f.ledger.over_releases().empty());
}

TEST_CASE("synchronous_create_lun returns VDS_E_OPERATION_CANCELED when the job is cancelled, leaking nothing",
          "[provider][client]") {
  ProviderFixture f;
  Outcome o;
  CancelLog c;
  spawn(f.sim, run_client(f.sim, f.subsystem, lt(LunType::Raid5), 256_MiB, f.ids({0, 1, 2}), f.me, &o));
  spawn(f.sim, cancel_newest_after(f.sim, f.subsystem, 500ms, &c));
  f.sim.run();

  REQUIRE(c.done);
  CHECK(c.cancel == hr::s_ok);
  REQUIRE(o.done);
  CHECK(o.result.result == hr::vds_e_operation_canceled);
  CHECK(o.result.lun == nullptr);
  CHECK(o.at == at(500ms));
  REQUIRE(f.subsystem.handles().size() == 1);
  CHECK(c.handle == f.subsystem.handles().front().get());
  CHECK(f.ledger.outstanding().empty());
  CHECK(f.ledger.over_releases().empty());
  CHECK(f.used_total() == 0_B);
  REQUIRE(f.subsystem.luns().size() == 1);
  CHECK(f.subsystem.luns().front()->deleted());
}

TEST_CASE("two clients creating at once each get their own LUN and reference", "[provider][client]") {
  ProviderFixture f;
  Outcome a;
  Outcome b;
  const Holder alice = Holder::client("alice");
  const Holder bob = Holder::client("bob");
  spawn(f.sim, run_client(f.sim, f.subsystem, lt(LunType::Raid5), 256_MiB, f.ids({0, 1, 2}), alice, &a));
  spawn(f.sim, run_client(f.sim, f.subsystem, lt(LunType::Mirror), 64_MiB, f.ids({3, 4}), bob, &b));
  f.sim.run();
  REQUIRE(a.done);
  REQUIRE(b.done);
  CHECK(a.result.result == hr::s_ok);
  CHECK(b.result.result == hr::s_ok);
  REQUIRE(a.result.lun != nullptr);
  REQUIRE(b.result.lun != nullptr);
  CHECK(a.result.lun != b.result.lun);
  CHECK(a.at == at(1380ms));
  CHECK(b.at == at(740ms));
  CHECK(f.ledger.held_by(a.result.lun->ledger_id(), alice) == 1);
  CHECK(f.ledger.held_by(b.result.lun->ledger_id(), bob) == 1);
  CHECK(f.ledger.held_by(a.result.lun->ledger_id(), bob) == 0);
  CHECK(f.ledger.outstanding().size() == 2);
}
