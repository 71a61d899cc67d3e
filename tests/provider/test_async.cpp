// AsyncHandle (IVdsAsync) through real provider operations: QueryStatus, Wait and Cancel as
// [MS-VDS] 3.4.1.5 describes them (VDS-REFERENCE.md sections 2 and 3).
//
// Unless stated otherwise: 6 drives of 1 GiB at 100 MiB/s, management latency 100 ms, and a
// RAID-5 LUN of 256 MiB on d0, d1, d2 (128 MiB written per member), so the create job
// completes at exactly 100 ms + 128 MiB / (100 MiB/s) = 1.38 s.
#include "tests/support/provider_fixture.hpp"

#include "sim/engine/task.hpp"
#include "sim/provider/async.hpp"
#include "sim/provider/subsystem.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <set>
#include <vector>

using namespace std::chrono_literals;
using namespace sim::base::size_literals;
using namespace sim::provider;
using sim::base::Bytes;
using sim::base::Duration;
using sim::base::Time;
using sim::engine::spawn;
using sim::engine::Task;
using sim::testing::ProviderFixture;
using sim::testing::status_of;
using sim::testing::wait_into;
using sim::testing::WaitCapture;

namespace {

constexpr auto raid5 = static_cast<std::int32_t>(LunType::Raid5);
constexpr Duration create_done = 1380ms;  // 100 ms + 128 MiB / 100 MiB/s

Time at(Duration d) { return Time{d}; }

/// Starts the standard create job at now(); the handle carries one reference for f.me.
AsyncHandle& start_create(ProviderFixture& f, Bytes size = 256_MiB) {
  AsyncHandle* h = nullptr;
  REQUIRE(f.subsystem.create_lun(raid5, size, f.ids({0, 1, 2}), nullptr, &h, f.me) == hr::s_ok);
  REQUIRE(h != nullptr);
  return *h;
}

/// Samples query_status after `delay`: the sampler's event is scheduled when it is spawned.
struct Sample {
  bool done = false;
  HResult call{};
  HResult op{};
  std::uint32_t percent = 0;
  HResult cancel{};
};

Task<> sample_after(sim::engine::Simulation& sim, Duration delay, AsyncHandle& h, Sample* out) {
  co_await sim.delay(delay);
  out->call = h.query_status(&out->op, &out->percent);
  out->done = true;
}

Task<> sample_and_cancel_after(sim::engine::Simulation& sim, Duration delay, AsyncHandle& h, Sample* out) {
  co_await sim.delay(delay);
  out->call = h.query_status(&out->op, &out->percent);
  out->cancel = h.cancel();
  out->done = true;
}

} // namespace

TEST_CASE("query_status reports pending with 0 percent during the management latency",
          "[provider][async]") {
  ProviderFixture f;
  AsyncHandle& h = start_create(f);
  CHECK(h.output_type() == AsyncOutputType::CreateLun);

  for (Duration t : {0ms, 1ms, 50ms, 99ms}) {
    f.run_until(t);
    const auto s = status_of(h);
    INFO("t = " << t.count() << " ns");
    CHECK(s.call == hr::s_ok);
    CHECK(s.op == hr::vds_e_operation_pending);
    CHECK(s.percent == 0);
    CHECK_FALSE(h.signalled());
  }
}

TEST_CASE("percent grows monotonically through 0..99 while the LUN is initialised, then is 100",
          "[provider][async]") {
  // 4 MiB chunks: 32 per member, one every 40 ms, the three members in lock step.
  ProviderFixture f{{.chunk_size = 4_MiB}};
  AsyncHandle& h = start_create(f);

  std::uint32_t last = 0;
  std::set<std::uint32_t> seen;
  for (Duration t = 0ms; t < create_done; t += 10ms) {
    f.run_until(t);
    const auto s = status_of(h);
    INFO("t = " << t.count() << " ns");
    REQUIRE(s.call == hr::s_ok);
    REQUIRE(s.op == hr::vds_e_operation_pending);
    CHECK(s.percent <= 99);
    CHECK(s.percent >= last);
    last = s.percent;
    seen.insert(s.percent);
  }
  CHECK(seen.size() >= 30);  // 0 and one new value per chunk round

  f.run_until(create_done);
  const auto s = status_of(h);
  CHECK(s.call == hr::s_ok);
  CHECK(s.op == hr::s_ok);
  CHECK(s.percent == 100);
  CHECK(h.signalled());
}

TEST_CASE("percent is the share of member bytes written, exactly, between chunk completions",
          "[provider][async]") {
  ProviderFixture f{{.chunk_size = 4_MiB}};
  AsyncHandle& h = start_create(f);
  // After k rounds (at 100 ms + k x 40 ms) 3k of the 96 chunks are written.
  for (std::uint32_t k = 0; k < 32; ++k) {
    f.run_until(100ms + k * 40ms + 20ms);
    const auto s = status_of(h);
    INFO("k = " << k);
    CHECK(s.op == hr::vds_e_operation_pending);
    CHECK(s.percent == k * 100 / 32);
  }
}

TEST_CASE("wait resumes exactly at the completion time with S_OK, S_OK, CREATELUN and the LUN",
          "[provider][async]") {
  ProviderFixture f;
  AsyncHandle& h = start_create(f);
  WaitCapture w;
  spawn(f.sim, wait_into(f.sim, h, f.me, &w));
  f.sim.run();

  REQUIRE(w.done);
  CHECK(w.at == at(create_done));
  CHECK(w.result.wait == hr::s_ok);
  CHECK(w.result.op == hr::s_ok);
  CHECK(w.result.output.type == AsyncOutputType::CreateLun);
  REQUIRE(f.subsystem.luns().size() == 1);
  LunObject* lun = f.subsystem.luns().front().get();
  CHECK(w.result.output.object == lun);
  // Wait AddRef'd the payload for the waiter.
  CHECK(f.ledger.held_by(lun->ledger_id(), f.me) == 1);
  CHECK(f.ledger.total(lun->ledger_id()) == 1);
  LunProp p;
  REQUIRE(lun->get_properties(&p) == hr::s_ok);
  CHECK(p.status == LunStatus::Online);
  CHECK(p.size == 256_MiB);
}

TEST_CASE("waiting again on a finished handle returns at once and AddRefs the payload again",
          "[provider][async]") {
  ProviderFixture f;
  AsyncHandle& h = start_create(f);
  WaitCapture first;
  spawn(f.sim, wait_into(f.sim, h, f.me, &first));
  f.sim.run();
  REQUIRE(first.done);

  f.run_until(5s);  // later: the handle has long been signalled
  WaitCapture second;
  spawn(f.sim, wait_into(f.sim, h, f.me, &second));
  f.run_until(5s);  // only the process start, at the same simulated time
  REQUIRE(second.done);
  CHECK(second.at == at(5s));
  CHECK(second.result.wait == hr::s_ok);
  CHECK(second.result.op == hr::s_ok);
  CHECK(second.result.output.type == AsyncOutputType::CreateLun);
  LunObject* lun = f.subsystem.luns().front().get();
  CHECK(second.result.output.object == lun);
  CHECK(f.ledger.held_by(lun->ledger_id(), f.me) == 2);
  // Another holder gets its own reference.
  const Holder other = Holder::client("other");
  WaitCapture third;
  spawn(f.sim, wait_into(f.sim, h, other, &third));
  f.sim.run();
  REQUIRE(third.done);
  CHECK(f.ledger.held_by(lun->ledger_id(), other) == 1);
  CHECK(f.ledger.total(lun->ledger_id()) == 3);
}

TEST_CASE("a cancelled operation reports percent 0 and VDS_E_OPERATION_CANCELED", "[provider][async]") {
  ProviderFixture f;
  AsyncHandle& h = start_create(f);
  WaitCapture w;
  spawn(f.sim, wait_into(f.sim, h, f.me, &w));

  f.run_until(800ms);  // the first 64 MiB chunks ended at 740 ms: half-way
  const auto before = status_of(h);
  REQUIRE(before.op == hr::vds_e_operation_pending);
  REQUIRE(before.percent == 50);
  CHECK(h.cancel() == hr::s_ok);
  f.sim.run();

  REQUIRE(w.done);
  CHECK(w.at == at(800ms));
  CHECK(w.result.wait == hr::s_ok);
  CHECK(w.result.op == hr::vds_e_operation_canceled);
  CHECK(w.result.output.object == nullptr);
  const auto s = status_of(h);
  CHECK(s.call == hr::s_ok);
  CHECK(s.op == hr::vds_e_operation_canceled);
  CHECK(s.percent == 0);
  CHECK(h.signalled());
  // The waiter received nothing to release; the caller still holds its handle reference only.
  CHECK(f.ledger.outstanding().size() == 1);
  CHECK(f.ledger.held_by(h.ledger_id(), f.me) == 1);
}

TEST_CASE("a failed operation reports percent 0 and its HRESULT, and Wait hands out no payload",
          "[provider][async]") {
  // The provider side of a failure (a job that dies with a provider error), driven directly.
  ProviderFixture f;
  AsyncHandle h(f.sim, f.ledger, "manual", AsyncOutputType::CreateLun);
  h.set_percent(40);
  CHECK(status_of(h).percent == 40);
  h.set_percent(30);  // never decreases while running
  CHECK(status_of(h).percent == 40);
  h.set_percent(250);  // capped below 100 while running
  CHECK(status_of(h).percent == 99);

  WaitCapture w;
  spawn(f.sim, wait_into(f.sim, h, f.me, &w));
  f.run_until(1s);
  h.complete(hr::vds_e_provider_failure, &f.subsystem);  // a payload is dropped on failure
  f.sim.run();
  REQUIRE(w.done);
  CHECK(w.at == at(1s));
  CHECK(w.result.wait == hr::s_ok);
  CHECK(w.result.op == hr::vds_e_provider_failure);
  CHECK(w.result.output.object == nullptr);
  CHECK(f.ledger.total(f.subsystem.ledger_id()) == 0);
  const auto s = status_of(h);
  CHECK(s.op == hr::vds_e_provider_failure);
  CHECK(s.percent == 0);
  CHECK(h.cancel() == hr::vds_e_cancel_too_late);
}

TEST_CASE("cancel after completion is VDS_E_CANCEL_TOO_LATE and changes nothing", "[provider][async]") {
  ProviderFixture f;
  AsyncHandle& h = start_create(f);
  f.sim.run();
  REQUIRE(h.signalled());

  CHECK(h.cancel() == hr::vds_e_cancel_too_late);
  const auto s = status_of(h);
  CHECK(s.op == hr::s_ok);
  CHECK(s.percent == 100);
  CHECK(h.signalled());
  LunProp p;
  REQUIRE(f.subsystem.luns().front()->get_properties(&p) == hr::s_ok);
  CHECK(p.status == LunStatus::Online);
  CHECK(f.drive(0).used_bytes() == 128_MiB);
}

TEST_CASE("cancel of a finished cancelled operation is refused and leaves it cancelled", "[provider][async]") {
  ProviderFixture f;
  AsyncHandle& h = start_create(f);
  f.run_until(50ms);
  REQUIRE(h.cancel() == hr::s_ok);
  f.sim.run();
  const HResult again = h.cancel();
  CHECK((again == hr::vds_e_cancel_too_late || again == hr::vds_e_operation_canceled));
  const auto s = status_of(h);
  CHECK(s.op == hr::vds_e_operation_canceled);
  CHECK(s.percent == 0);
}

TEST_CASE("shrink cannot be cancelled: VDS_E_NOT_SUPPORTED, and the shrink still completes",
          "[provider][async]") {
  ProviderFixture f;
  start_create(f, 384_MiB);  // 192 MiB per member
  f.sim.run();
  const Time t0 = f.sim.now();
  LunObject& lun = *f.subsystem.luns().front();

  AsyncHandle* h = nullptr;
  REQUIRE(lun.shrink(128_MiB, &h, f.me) == hr::s_ok);
  REQUIRE(h != nullptr);
  CHECK(h->output_type() == AsyncOutputType::ShrinkLun);
  f.run_until(since_start(t0) + 10ms);
  CHECK(h->cancel() == hr::vds_e_not_supported);
  const auto during = status_of(*h);
  CHECK(during.op == hr::vds_e_operation_pending);
  CHECK(during.percent == 0);
  CHECK_FALSE(h->signalled());

  WaitCapture w;
  spawn(f.sim, wait_into(f.sim, *h, f.me, &w));
  f.sim.run();
  REQUIRE(w.done);
  CHECK(w.at == t0 + 100ms);  // nothing to write: the management latency only
  CHECK(w.result.op == hr::s_ok);
  CHECK(w.result.output.type == AsyncOutputType::ShrinkLun);
  CHECK(w.result.output.object == nullptr);
  const auto after = status_of(*h);
  CHECK(after.op == hr::s_ok);
  CHECK(after.percent == 100);
  LunProp p;
  REQUIRE(lun.get_properties(&p) == hr::s_ok);
  CHECK(p.size == 256_MiB);
  CHECK(f.drive(0).used_bytes() == 128_MiB);
}

TEST_CASE("query_status with a null out-pointer is E_POINTER", "[provider][async]") {
  ProviderFixture f;
  AsyncHandle& h = start_create(f);
  HResult op = hr::s_false;
  std::uint32_t percent = 77;
  CHECK(h.query_status(nullptr, &percent) == hr::e_pointer);
  CHECK(h.query_status(&op, nullptr) == hr::e_pointer);
  CHECK(h.query_status(nullptr, nullptr) == hr::e_pointer);
  CHECK(op == hr::s_false);
  CHECK(percent == 77);
}

TEST_CASE("at the instant an operation finishes, query_status never shows a running 100 percent",
          "[provider][async]") {
  // Thin provisioning: the job ends when the management latency does (at 100 ms). The sampler's
  // timer is scheduled after the job's, so it runs after the job finished but before the
  // handle's completion event wakes waiters at that same instant.
  ProviderFixture f{{.initialize = false}};
  AsyncHandle& h = start_create(f);
  Sample s;
  spawn(f.sim, sample_and_cancel_after(f.sim, 100ms, h, &s));
  f.sim.run();
  REQUIRE(s.done);
  CHECK(s.call == hr::s_ok);
  // Running means 0..99; finished means the result. Cancel already says it is too late.
  CHECK_FALSE((s.op == hr::vds_e_operation_pending && s.percent == 100));
  CHECK(s.op == hr::s_ok);
  CHECK(s.percent == 100);
  CHECK(s.cancel == hr::vds_e_cancel_too_late);
  CHECK(f.sim.now() == at(100ms));
}

TEST_CASE("query_status right after a cancel reports the cancellation", "[provider][async]") {
  ProviderFixture f;
  AsyncHandle& h = start_create(f);
  f.run_until(500ms);
  REQUIRE(h.cancel() == hr::s_ok);
  const auto s = status_of(h);  // same instant, before any event runs
  CHECK(s.op == hr::vds_e_operation_canceled);
  CHECK(s.percent == 0);
  // A sampler at the same time sees the same.
  Sample later;
  spawn(f.sim, sample_after(f.sim, 0ms, h, &later));
  f.sim.run();
  REQUIRE(later.done);
  CHECK(later.op == hr::vds_e_operation_canceled);
  CHECK(later.percent == 0);
}
