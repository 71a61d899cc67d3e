// Ledger: who holds which reference, alone and through the provider's objects.
#include "tests/support/provider_fixture.hpp"

#include "sim/engine/task.hpp"
#include "sim/provider/ledger.hpp"
#include "sim/provider/subsystem.hpp"

#include <catch2/catch.hpp>

#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using namespace sim::base::size_literals;
using namespace sim::provider;
using sim::base::Bytes;
using sim::engine::spawn;
using sim::engine::Task;
using sim::testing::ProviderFixture;

namespace {

constexpr auto raid5 = static_cast<std::int32_t>(LunType::Raid5);

struct ClientLog {
  bool done = false;
  HResult create{};
  HResult qi{};
  AsyncHandle* handle = nullptr;
  LunObject* lun = nullptr;
  HResult first_release{};
  HResult second_release{};
};

enum class Behaviour { Correct, ForgetsHandle, ReleasesHandleTwice };

/// A client that creates a LUN, waits, QueryInterfaces the payload to IVdsLun and releases
/// what it got — or not, depending on `behaviour`.
Task<> client(Subsystem& s, std::vector<ObjectId> drives, Holder me, Behaviour behaviour, ClientLog* log) {
  AsyncHandle* h = nullptr;
  log->create = s.create_lun(raid5, Bytes{256ULL << 20}, drives, nullptr, &h, me);
  if (log->create.failed()) co_return;
  log->handle = h;
  const WaitResult w = co_await h->wait(me);
  if (w.wait.succeeded() && w.op.succeeded() && w.output.object != nullptr) {
    VdsObject* lun = nullptr;
    log->qi = w.output.object->query_interface(Interface::Lun, &lun, me);
    log->lun = static_cast<LunObject*>(lun);
    w.output.object->release(me);  // the Wait payload
    if (lun != nullptr) lun->release(me);  // the QueryInterface reference
  }
  switch (behaviour) {
    case Behaviour::Correct: log->first_release = h->release(me); break;
    case Behaviour::ForgetsHandle: break;
    case Behaviour::ReleasesHandleTwice:
      log->first_release = h->release(me);
      log->second_release = h->release(me);
      break;
  }
  log->done = true;
}

} // namespace

// ---------------------------------------------------------------------------------------------
// The ledger alone

TEST_CASE("ledger objects are numbered 1, 2, ... in registration order", "[provider][ledger]") {
  Ledger l;
  CHECK(l.add_object("lun", "array/lun1") == 1);
  CHECK(l.add_object("async", "1:lun1:create") == 2);
  CHECK(l.object(1).kind == "lun");
  CHECK(l.object(1).name == "array/lun1");
  CHECK(l.object(2).kind == "async");
  CHECK_THROWS_AS(l.object(3), std::out_of_range);
}

TEST_CASE("add_ref and release count references per holder, total sums every holder", "[provider][ledger]") {
  Ledger l;
  const auto lun = l.add_object("lun", "lun");
  const auto other = l.add_object("drive", "d0");
  const Holder a = Holder::client("a");
  const Holder b = Holder::client("b");
  const Holder p = Holder::provider();

  CHECK(l.held_by(lun, a) == 0);
  CHECK(l.total(lun) == 0);
  l.add_ref(lun, a);
  l.add_ref(lun, a);
  l.add_ref(lun, b);
  l.add_ref(lun, p);
  l.add_ref(other, b);
  CHECK(l.held_by(lun, a) == 2);
  CHECK(l.held_by(lun, b) == 1);
  CHECK(l.held_by(lun, p) == 1);
  CHECK(l.held_by(other, a) == 0);
  CHECK(l.total(lun) == 4);
  CHECK(l.total(other) == 1);

  CHECK(l.release(lun, a));
  CHECK(l.held_by(lun, a) == 1);
  CHECK(l.total(lun) == 3);
  CHECK(l.release(lun, a));
  CHECK(l.held_by(lun, a) == 0);
  CHECK(l.total(lun) == 2);
  CHECK(l.over_releases().empty());
  CHECK_THROWS_AS(l.add_ref(0, a), std::out_of_range);
  CHECK_THROWS_AS(l.add_ref(3, a), std::out_of_range);
}

TEST_CASE("outstanding lists every reference held, ordered by object then holder", "[provider][ledger]") {
  Ledger l;
  const auto first = l.add_object("lun", "lun1");
  const auto second = l.add_object("async", "h1");
  const Holder zed = Holder::client("zed");
  const Holder alice = Holder::client("alice");
  l.add_ref(second, zed);
  l.add_ref(first, Holder::provider());
  l.add_ref(first, zed);
  l.add_ref(first, zed);
  l.add_ref(first, alice);
  l.add_ref(second, alice);
  REQUIRE(l.release(second, alice));

  const auto out = l.outstanding();
  REQUIRE(out.size() == 4);
  CHECK(out[0].object == first);
  CHECK(out[0].holder == alice);
  CHECK(out[0].count == 1);
  CHECK(out[0].kind == "lun");
  CHECK(out[0].name == "lun1");
  CHECK(out[1].object == first);
  CHECK(out[1].holder == zed);
  CHECK(out[1].count == 2);
  CHECK(out[2].object == first);
  CHECK(out[2].holder == Holder::provider());  // clients before the provider
  CHECK(out[3].object == second);
  CHECK(out[3].holder == zed);
  CHECK(out[3].kind == "async");
  CHECK(out[3].name == "h1");
}

TEST_CASE("a release by a holder that holds nothing is refused and recorded as an over-release",
          "[provider][ledger]") {
  Ledger l;
  const auto lun = l.add_object("lun", "array/lun1");
  const Holder a = Holder::client("a");
  const Holder b = Holder::client("b");
  l.add_ref(lun, a);

  CHECK_FALSE(l.release(lun, b));  // b holds nothing, even though a does
  CHECK(l.held_by(lun, a) == 1);   // a's reference is untouched
  CHECK(l.total(lun) == 1);
  REQUIRE(l.over_releases().size() == 1);
  CHECK(l.over_releases()[0].object == lun);
  CHECK(l.over_releases()[0].name == "array/lun1");
  CHECK(l.over_releases()[0].holder == b);

  CHECK(l.release(lun, a));
  CHECK_FALSE(l.release(lun, a));  // one too many
  CHECK(l.total(lun) == 0);
  CHECK(l.outstanding().empty());
  REQUIRE(l.over_releases().size() == 2);
  CHECK(l.over_releases()[1].holder == a);
}

TEST_CASE("holders print as client:name or provider", "[provider][ledger]") {
  std::ostringstream os;
  os << Holder::client("naive") << ' ' << Holder::provider();
  CHECK(os.str() == "client:naive provider");
}

// ---------------------------------------------------------------------------------------------
// Through the provider

TEST_CASE("a correct client leaves nothing outstanding", "[provider][ledger]") {
  ProviderFixture f;
  ClientLog log;
  spawn(f.sim, client(f.subsystem, f.ids({0, 1, 2}), Holder::client("reference"), Behaviour::Correct, &log));
  f.sim.run();
  REQUIRE(log.done);
  CHECK(log.create == hr::s_ok);
  CHECK(log.qi == hr::s_ok);
  CHECK(log.lun == f.subsystem.luns().front().get());
  CHECK(log.first_release == hr::s_ok);
  CHECK(f.ledger.outstanding().empty());
  CHECK(f.ledger.over_releases().empty());
}

TEST_CASE("a client that forgets to release the handle leaves exactly that reference outstanding",
          "[provider][ledger]") {
  ProviderFixture f;
  ClientLog log;
  const Holder forgetful = Holder::client("forgetful");
  spawn(f.sim, client(f.subsystem, f.ids({0, 1, 2}), forgetful, Behaviour::ForgetsHandle, &log));
  f.sim.run();
  REQUIRE(log.done);
  REQUIRE(log.handle != nullptr);

  const auto out = f.ledger.outstanding();
  REQUIRE(out.size() == 1);
  CHECK(out[0].object == log.handle->ledger_id());
  CHECK(out[0].kind == "async");
  CHECK(out[0].name == log.handle->name());
  CHECK(out[0].holder == forgetful);
  CHECK(out[0].holder.kind == HolderKind::Client);
  CHECK(out[0].count == 1);
  CHECK(f.ledger.over_releases().empty());
}

TEST_CASE("releasing a handle twice: the second release is E_UNEXPECTED and an over-release is recorded",
          "[provider][ledger]") {
  ProviderFixture f;
  ClientLog log;
  const Holder sloppy = Holder::client("sloppy");
  spawn(f.sim, client(f.subsystem, f.ids({0, 1, 2}), sloppy, Behaviour::ReleasesHandleTwice, &log));
  f.sim.run();
  REQUIRE(log.done);
  CHECK(log.first_release == hr::s_ok);
  CHECK(log.second_release == hr::e_unexpected);
  CHECK(f.ledger.outstanding().empty());
  REQUIRE(f.ledger.over_releases().size() == 1);
  const auto& o = f.ledger.over_releases()[0];
  CHECK(o.object == log.handle->ledger_id());
  CHECK(o.name == log.handle->name());
  CHECK(o.holder == sloppy);
}

TEST_CASE("query_interface adds a reference for the holder, or refuses with E_NOINTERFACE",
          "[provider][ledger]") {
  ProviderFixture f;
  VdsObject* out = &f.subsystem;
  CHECK(f.drive_object(0).query_interface(Interface::Lun, &out, f.me) == hr::e_nointerface);
  CHECK(out == nullptr);
  CHECK(f.ledger.outstanding().empty());
  CHECK(f.drive_object(0).query_interface(Interface::Drive, &out, f.me) == hr::s_ok);
  CHECK(out == &f.drive_object(0));
  CHECK(f.drive_object(0).query_interface(Interface::Unknown, &out, f.me) == hr::s_ok);
  CHECK(f.ledger.held_by(f.drive_object(0).ledger_id(), f.me) == 2);
  CHECK(f.drive_object(0).query_interface(Interface::Drive, nullptr, f.me) == hr::e_pointer);
  CHECK(f.subsystem.query_interface(Interface::SubSystem, &out, f.me) == hr::s_ok);
  CHECK(f.ledger.outstanding().size() == 2);
}
