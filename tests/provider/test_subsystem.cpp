// Subsystem, LunObject and DriveObject: the synchronous validation of CreateLun, drive
// selection, QueryMaxLunCreateSize, enumerations, Extend/Shrink/Delete, drive flags,
// properties and notifications (VDS-REFERENCE.md sections 0, 4, 5, 6 and 9).
//
// Unless stated otherwise: 6 drives "d0".."d5" of 1 GiB at 100 MiB/s, management latency 100 ms,
// 64 MiB initialisation chunks. Times asserted are exact.
#include "tests/support/provider_fixture.hpp"

#include "sim/provider/async.hpp"
#include "sim/provider/subsystem.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using namespace sim::base::size_literals;
using namespace sim::provider;
using sim::base::Bytes;
using sim::base::Duration;
using sim::base::Time;
using sim::testing::ProviderFixture;
using sim::testing::RecordingSink;
using sim::testing::status_of;
using Names = std::vector<std::string>;

namespace {

constexpr std::int32_t lt(LunType t) { return static_cast<std::int32_t>(t); }
Time at(Duration d) { return Time{d}; }

/// A create_lun that must be refused synchronously: the documented HRESULT, *out reset to
/// null, and nothing allocated, created or referenced.
void expect_refused(ProviderFixture& f, HResult expected, std::int32_t type, Bytes size,
                    const std::vector<ObjectId>& ids, const Hints* hints = nullptr) {
  const Bytes used = f.used_total();
  const auto handles = f.subsystem.handles().size();
  const auto luns = f.subsystem.luns().size();
  const auto outstanding = f.ledger.outstanding().size();
  AsyncHandle sentinel(f.sim, f.ledger, "sentinel", AsyncOutputType::Unknown);
  AsyncHandle* h = &sentinel;
  CHECK(f.subsystem.create_lun(type, size, ids, hints, &h, f.me) == expected);
  CHECK(h == nullptr);
  CHECK(f.used_total() == used);
  CHECK(f.subsystem.handles().size() == handles);
  CHECK(f.subsystem.luns().size() == luns);
  CHECK(f.ledger.outstanding().size() == outstanding);
  CHECK(f.sim.events_pending() == 0);
}

/// Starts a create job; returns its handle.
AsyncHandle& start(ProviderFixture& f, LunType type, Bytes size, const std::vector<ObjectId>& ids,
                   const Hints* hints = nullptr) {
  AsyncHandle* h = nullptr;
  REQUIRE(f.subsystem.create_lun(lt(type), size, ids, hints, &h, f.me) == hr::s_ok);
  REQUIRE(h != nullptr);
  return *h;
}

/// Creates a LUN and runs the simulation until its job succeeded.
LunObject& created(ProviderFixture& f, LunType type, Bytes size, const std::vector<ObjectId>& ids,
                   const Hints* hints = nullptr) {
  AsyncHandle& h = start(f, type, size, ids, hints);
  f.sim.run();
  REQUIRE(status_of(h).op == hr::s_ok);
  return *f.subsystem.luns().back();
}

LunProp props(const LunObject& lun) {
  LunProp p;
  REQUIRE(lun.get_properties(&p) == hr::s_ok);
  return p;
}

} // namespace

// ---------------------------------------------------------------------------------------------
// Synchronous validation of CreateLun

TEST_CASE("create_lun refuses an invalid LUN type value with E_INVALIDARG", "[provider][subsystem]") {
  ProviderFixture f;
  for (std::int32_t v : {4, 5, 9, 31, 9999, -1}) {
    INFO("type value " << v);
    expect_refused(f, hr::e_invalidarg, v, 256_MiB, f.ids({0, 1, 2}));
  }
}

TEST_CASE("create_lun refuses a valid but unmodelled LUN type with VDS_E_NOT_SUPPORTED",
          "[provider][subsystem]") {
  ProviderFixture f;
  for (LunType t : {LunType::Raid3, LunType::Raid50, LunType::Raid2, LunType::Raid61}) {
    INFO(t);
    expect_refused(f, hr::vds_e_not_supported, lt(t), 256_MiB, f.ids({0, 1, 2, 3}));
  }
  // Automagic types, used as documented (no drives, hints given).
  const Hints hints;
  for (LunType t : {LunType::Default, LunType::FaultTolerant, LunType::NonFaultTolerant}) {
    INFO(t);
    expect_refused(f, hr::vds_e_not_supported, lt(t), 256_MiB, {}, &hints);
  }
}

TEST_CASE("create_lun refuses a size of 0 with E_INVALIDARG", "[provider][subsystem]") {
  ProviderFixture f;
  expect_refused(f, hr::e_invalidarg, lt(LunType::Raid5), 0_B, f.ids({0, 1, 2}));
  expect_refused(f, hr::e_invalidarg, lt(LunType::Span), 0_B, f.ids({0, 1}));
  expect_refused(f, hr::e_invalidarg, lt(LunType::Mirror), 0_B, {});
}

TEST_CASE("create_lun refuses an unknown drive id with VDS_E_OBJECT_NOT_FOUND", "[provider][subsystem]") {
  ProviderFixture f;
  std::vector<ObjectId> ids = f.ids({0, 1});
  ids.push_back(ObjectId::derive("drive", "array/d99"));
  expect_refused(f, hr::vds_e_object_not_found, lt(LunType::Raid5), 256_MiB, ids);
  // A LUN's id is not a drive id either.
  ProviderFixture g;
  std::vector<ObjectId> with_subsystem = g.ids({0, 1});
  with_subsystem.push_back(g.subsystem.id());
  expect_refused(g, hr::vds_e_object_not_found, lt(LunType::Raid5), 256_MiB, with_subsystem);
}

TEST_CASE("create_lun refuses a drive listed twice with E_INVALIDARG", "[provider][subsystem]") {
  ProviderFixture f;
  expect_refused(f, hr::e_invalidarg, lt(LunType::Raid5), 256_MiB, f.ids({0, 1, 0}));
  expect_refused(f, hr::e_invalidarg, lt(LunType::Mirror), 256_MiB, f.ids({2, 2}));
}

TEST_CASE("create_lun refuses a drive count below the type's minimum with VDS_E_NOT_ENOUGH_DRIVE",
          "[provider][subsystem]") {
  ProviderFixture f;
  expect_refused(f, hr::vds_e_not_enough_drive, lt(LunType::Raid5), 256_MiB, f.ids({0, 1}));
  expect_refused(f, hr::vds_e_not_enough_drive, lt(LunType::Raid6), 256_MiB, f.ids({0, 1, 2}));
  expect_refused(f, hr::vds_e_not_enough_drive, lt(LunType::Mirror), 256_MiB, f.ids({0}));
  expect_refused(f, hr::vds_e_not_enough_drive, lt(LunType::Span), 256_MiB, f.ids({0}));
}

TEST_CASE("create_lun refuses an impossible member count (RAID-10 odd, Simple several) with E_INVALIDARG",
          "[provider][subsystem]") {
  ProviderFixture f;
  expect_refused(f, hr::e_invalidarg, lt(LunType::Raid10), 256_MiB, f.ids({0, 1, 2, 3, 4}));
  expect_refused(f, hr::e_invalidarg, lt(LunType::Simple), 256_MiB, f.ids({0, 1}));
}

TEST_CASE("create_lun refuses a LUN larger than the free space with VDS_E_NOT_ENOUGH_SPACE",
          "[provider][subsystem]") {
  ProviderFixture f;
  // RAID-5 on 3 drives of 1 GiB holds at most 2 GiB.
  expect_refused(f, hr::vds_e_not_enough_space, lt(LunType::Raid5), 2_GiB + 4_KiB, f.ids({0, 1, 2}));
  expect_refused(f, hr::vds_e_not_enough_space, lt(LunType::Simple), 1_GiB + 1_B, f.ids({3}));
  expect_refused(f, hr::vds_e_not_enough_space, lt(LunType::Span), 2_GiB + 4_KiB, f.ids({0, 1}));
  // Automatic selection: no 3 drives have 1.5 GiB each.
  expect_refused(f, hr::vds_e_not_enough_space, lt(LunType::Raid5), 3_GiB, {});
}

TEST_CASE("create_lun refuses a hot spare named for normal binding with VDS_E_DEVICE_IN_USE",
          "[provider][subsystem]") {
  ProviderFixture f;
  REQUIRE(f.drive_object(1).set_flags(drive_flag::hotspare) == hr::s_ok);
  expect_refused(f, hr::vds_e_device_in_use, lt(LunType::Raid5), 256_MiB, f.ids({0, 1, 2}));
}

TEST_CASE("create_lun refuses a failed drive with VDS_E_OBJECT_STATUS_FAILED", "[provider][subsystem]") {
  ProviderFixture f;
  f.drive_object(2).drive().set_state(sim::storage::DriveState::Failed);
  CHECK(f.drive_object(2).status() == DriveStatus::Failed);
  expect_refused(f, hr::vds_e_object_status_failed, lt(LunType::Raid5), 256_MiB, f.ids({0, 1, 2}));
}

TEST_CASE("create_lun refuses a stripe size hint that is not a power of two of at least 4 KiB "
          "with VDS_E_INVALID_STRIPE_SIZE",
          "[provider][subsystem]") {
  ProviderFixture f;
  for (std::uint32_t stripe : {1000u, 2048u, 12288u, 65537u}) {
    INFO("stripe " << stripe);
    Hints hints;
    hints.stripe_size = stripe;
    expect_refused(f, hr::vds_e_invalid_stripe_size, lt(LunType::Raid5), 256_MiB, f.ids({0, 1, 2}), &hints);
  }
  Hints good;
  good.stripe_size = 128 * 1024;
  AsyncHandle& h = start(f, LunType::Raid5, 256_MiB, f.ids({0, 1, 2}), &good);
  f.sim.run();
  CHECK(status_of(h).op == hr::s_ok);
  CHECK(f.subsystem.luns().back()->lun()->stripe_unit() == 128_KiB);
}

TEST_CASE("create_lun with a null out-pointer is E_POINTER", "[provider][subsystem]") {
  ProviderFixture f;
  const auto ids = f.ids({0, 1, 2});
  CHECK(f.subsystem.create_lun(lt(LunType::Raid5), 256_MiB, ids, nullptr, nullptr, f.me) == hr::e_pointer);
  CHECK(f.used_total() == 0_B);
  CHECK(f.subsystem.handles().empty());
}

// ---------------------------------------------------------------------------------------------
// Drive selection

TEST_CASE("an explicit drive list is used in order", "[provider][subsystem]") {
  ProviderFixture f;
  LunObject& lun = created(f, LunType::Raid5, 256_MiB, f.ids({4, 1, 3}));
  CHECK(ProviderFixture::member_names(lun) == Names{"d4", "d1", "d3"});
  for (std::size_t i : {1, 3, 4}) CHECK(f.drive(i).used_bytes() == 128_MiB);
  for (std::size_t i : {0, 2, 5}) CHECK(f.drive(i).used_bytes() == 0_B);
  CHECK(f.drive(4).owned_by(lun.number()) == 128_MiB);
}

TEST_CASE("automatic selection picks the least used drives, ties by name", "[provider][subsystem]") {
  ProviderFixture f;
  LunObject& first = created(f, LunType::Raid5, 256_MiB, {});  // 128 MiB per member
  CHECK(ProviderFixture::member_names(first) == Names{"d0", "d1", "d2"});
  LunObject& second = created(f, LunType::Raid5, 128_MiB, {});  // 64 MiB per member
  CHECK(ProviderFixture::member_names(second) == Names{"d3", "d4", "d5"});
  LunObject& third = created(f, LunType::Mirror, 64_MiB, {});
  CHECK(ProviderFixture::member_names(third) == Names{"d3", "d4"});
  // hints.maximum_drive_count widens the selection: d5 (64 MiB used) first, then three of the
  // drives with 128 MiB used, by name: d0, d1, d2 (before d3, d4).
  Hints hints;
  hints.maximum_drive_count = 4;
  LunObject& fourth = created(f, LunType::Raid5, 96_MiB, {}, &hints);
  CHECK(ProviderFixture::member_names(fourth) == Names{"d5", "d0", "d1", "d2"});
}

TEST_CASE("automatic selection skips hot spares and failed drives", "[provider][subsystem]") {
  ProviderFixture f;
  REQUIRE(f.drive_object(0).set_flags(drive_flag::hotspare) == hr::s_ok);
  f.drive(2).set_state(sim::storage::DriveState::Failed);
  LunObject& lun = created(f, LunType::Raid5, 256_MiB, {});
  CHECK(ProviderFixture::member_names(lun) == Names{"d1", "d3", "d4"});
}

TEST_CASE("a Span fills the first listed drive before the next", "[provider][subsystem]") {
  ProviderFixture f;
  LunObject& lun = created(f, LunType::Span, 1536_MiB, f.ids({2, 0, 1}));
  CHECK(props(lun).size == 1536_MiB);
  CHECK(ProviderFixture::member_names(lun) == Names{"d2", "d0"});
  CHECK(f.drive(2).used_bytes() == 1_GiB);
  CHECK(f.drive(0).used_bytes() == 512_MiB);
  CHECK(f.drive(1).used_bytes() == 0_B);
}

TEST_CASE("a Span skips a listed drive that has no free space", "[provider][subsystem]") {
  ProviderFixture f;
  LunObject& full = created(f, LunType::Simple, 1_GiB, f.ids({0}));
  REQUIRE(f.drive(0).free_bytes() == 0_B);
  LunObject& span = created(f, LunType::Span, 1536_MiB, f.ids({0, 1, 2}));
  CHECK(props(span).size == 1536_MiB);
  CHECK(ProviderFixture::member_names(span) == Names{"d1", "d2"});
  CHECK(f.drive(0).owned_by(full.number()) == 1_GiB);
  CHECK(f.drive(0).owned_by(span.number()) == 0_B);
  CHECK(f.drive(1).owned_by(span.number()) == 1_GiB);
  CHECK(f.drive(2).owned_by(span.number()) == 512_MiB);
  CHECK(f.used_total() == 1_GiB + 1536_MiB);
}

// ---------------------------------------------------------------------------------------------
// QueryMaxLunCreateSize

TEST_CASE("query_max_lun_create_size for RAID-5 over 4 drives is 3 x the smallest aligned free space, "
          "and that size fits exactly",
          "[provider][subsystem]") {
  ProviderFixture f;
  // d2 loses 300 MiB + 4 KiB (a Simple LUN of 300 MiB + 1 byte, rounded up to 4 KiB).
  created(f, LunType::Simple, 300_MiB + 1_B, f.ids({2}));
  REQUIRE(f.drive(2).free_bytes() == 724_MiB - 4_KiB);

  const Hints hints;
  const auto ids = f.ids({0, 1, 2, 3});
  Bytes max{};
  REQUIRE(f.subsystem.query_max_lun_create_size(lt(LunType::Raid5), ids, &hints, &max) == hr::s_ok);
  CHECK(max == 3 * (724_MiB - 4_KiB));

  // One 4 KiB more does not fit ...
  expect_refused(f, hr::vds_e_not_enough_space, lt(LunType::Raid5), max + 4_KiB, ids);
  // ... exactly that size does, and fills d2.
  LunObject& lun = created(f, LunType::Raid5, max, ids);
  CHECK(props(lun).size == max);
  CHECK(f.drive(2).free_bytes() == 0_B);
  CHECK(f.drive(0).free_bytes() == 300_MiB + 4_KiB);
}

TEST_CASE("query_max_lun_create_size validates its arguments like create_lun", "[provider][subsystem]") {
  ProviderFixture f;
  const Hints hints;
  Bytes max{7};
  CHECK(f.subsystem.query_max_lun_create_size(lt(LunType::Raid5), f.ids({0, 1, 2}), nullptr, &max) ==
        hr::e_pointer);
  CHECK(f.subsystem.query_max_lun_create_size(lt(LunType::Raid5), f.ids({0, 1, 2}), &hints, nullptr) ==
        hr::e_pointer);
  CHECK(f.subsystem.query_max_lun_create_size(4, f.ids({0, 1, 2}), &hints, &max) == hr::e_invalidarg);
  CHECK(f.subsystem.query_max_lun_create_size(lt(LunType::Raid3), f.ids({0, 1, 2}), &hints, &max) ==
        hr::vds_e_not_supported);
  CHECK(f.subsystem.query_max_lun_create_size(lt(LunType::Raid5), f.ids({0, 1}), &hints, &max) ==
        hr::vds_e_not_enough_drive);
  CHECK(f.subsystem.query_max_lun_create_size(lt(LunType::Raid10), f.ids({0, 1, 2, 3, 4}), &hints, &max) ==
        hr::e_invalidarg);
  CHECK(f.subsystem.query_max_lun_create_size(lt(LunType::Mirror), f.ids({0, 0}), &hints, &max) ==
        hr::e_invalidarg);
  // Provider's choice: the whole of 2 drives for a mirror is 1 GiB.
  REQUIRE(f.subsystem.query_max_lun_create_size(lt(LunType::Mirror), {}, &hints, &max) == hr::s_ok);
  CHECK(max == 1_GiB);
  REQUIRE(f.subsystem.query_max_lun_create_size(lt(LunType::Span), f.ids({0, 1, 2}), &hints, &max) == hr::s_ok);
  CHECK(max == 3_GiB);
}

// ---------------------------------------------------------------------------------------------
// Enumerations

TEST_CASE("query_luns returns referenced LUNs in creation order, deleted ones excluded",
          "[provider][subsystem]") {
  ProviderFixture f;
  LunObject& a = created(f, LunType::Mirror, 64_MiB, f.ids({0, 1}));
  LunObject& b = created(f, LunType::Mirror, 64_MiB, f.ids({2, 3}));
  LunObject& c = created(f, LunType::Simple, 64_MiB, f.ids({4}));
  REQUIRE(b.delete_lun() == hr::s_ok);

  const Holder lister = Holder::client("lister");
  std::vector<LunObject*> luns{&b};  // stale content is replaced
  REQUIRE(f.subsystem.query_luns(&luns, lister) == hr::s_ok);
  CHECK(luns == std::vector<LunObject*>{&a, &c});
  CHECK(f.ledger.held_by(a.ledger_id(), lister) == 1);
  CHECK(f.ledger.held_by(b.ledger_id(), lister) == 0);
  CHECK(f.ledger.held_by(c.ledger_id(), lister) == 1);
  for (LunObject* l : luns) CHECK(l->release(lister) == hr::s_ok);
  CHECK(f.subsystem.query_luns(nullptr, lister) == hr::e_pointer);
}

TEST_CASE("query_drives returns referenced drives in order of addition", "[provider][subsystem]") {
  ProviderFixture f;
  const Holder lister = Holder::client("lister");
  std::vector<DriveObject*> drives;
  REQUIRE(f.subsystem.query_drives(&drives, lister) == hr::s_ok);
  REQUIRE(drives.size() == 6);
  for (std::size_t i = 0; i < drives.size(); ++i) {
    CHECK(drives[i] == &f.drive_object(i));
    CHECK(drives[i]->drive().name() == "d" + std::to_string(i));
    CHECK(f.ledger.held_by(drives[i]->ledger_id(), lister) == 1);
  }
  REQUIRE(f.subsystem.query_drives(&drives, lister) == hr::s_ok);  // a second enumeration: a second reference
  CHECK(f.ledger.held_by(drives[0]->ledger_id(), lister) == 2);
  CHECK(f.ledger.outstanding().size() == 6);
}

// ---------------------------------------------------------------------------------------------
// Busy and deleted LUNs

TEST_CASE("a second configuration job on a busy LUN is VDS_E_ANOTHER_CALL_IN_PROGRESS",
          "[provider][subsystem]") {
  ProviderFixture f;
  AsyncHandle& create = start(f, LunType::Raid5, 256_MiB, f.ids({0, 1, 2}));
  LunObject& lun = *f.subsystem.luns().back();
  f.run_until(500ms);
  CHECK(lun.busy());

  AsyncHandle sentinel(f.sim, f.ledger, "sentinel", AsyncOutputType::Unknown);
  AsyncHandle* h = &sentinel;
  CHECK(lun.extend(64_MiB, &h, f.me) == hr::vds_e_another_call_in_progress);
  CHECK(h == nullptr);
  h = &sentinel;
  CHECK(lun.shrink(64_MiB, &h, f.me) == hr::vds_e_another_call_in_progress);
  CHECK(h == nullptr);
  CHECK(lun.delete_lun() == hr::vds_e_another_call_in_progress);
  CHECK(f.drive(0).used_bytes() == 128_MiB);

  f.sim.run();
  REQUIRE(status_of(create).op == hr::s_ok);
  REQUIRE(lun.extend(128_MiB, &h, f.me) == hr::s_ok);
  REQUIRE(h != nullptr);
  AsyncHandle* second = &sentinel;
  CHECK(lun.extend(64_MiB, &second, f.me) == hr::vds_e_another_call_in_progress);
  CHECK(second == nullptr);
  second = &sentinel;
  CHECK(lun.shrink(64_MiB, &second, f.me) == hr::vds_e_another_call_in_progress);
  CHECK(second == nullptr);
  CHECK(f.drive(0).used_bytes() == 192_MiB);  // only the first extend reserved space
  f.sim.run();
  CHECK(status_of(*h).op == hr::s_ok);
  CHECK(props(lun).size == 384_MiB);
  CHECK_FALSE(lun.busy());
}

TEST_CASE("calls on a deleted LUN return VDS_E_OBJECT_DELETED and its extents are freed",
          "[provider][subsystem]") {
  ProviderFixture f;
  LunObject& lun = created(f, LunType::Raid5, 256_MiB, f.ids({0, 1, 2}));
  REQUIRE(f.used_total() == 384_MiB);
  REQUIRE(lun.delete_lun() == hr::s_ok);
  CHECK(f.used_total() == 0_B);
  CHECK(f.drive(0).extents().empty());
  CHECK(lun.deleted());

  LunProp p;
  CHECK(lun.get_properties(&p) == hr::vds_e_object_deleted);
  AsyncHandle sentinel(f.sim, f.ledger, "sentinel", AsyncOutputType::Unknown);
  AsyncHandle* h = &sentinel;
  CHECK(lun.extend(64_MiB, &h, f.me) == hr::vds_e_object_deleted);
  CHECK(h == nullptr);
  h = &sentinel;
  CHECK(lun.shrink(64_MiB, &h, f.me) == hr::vds_e_object_deleted);
  CHECK(h == nullptr);
  CHECK(lun.delete_lun() == hr::vds_e_object_deleted);
  CHECK(f.used_total() == 0_B);
  CHECK(f.subsystem.handles().size() == 1);  // only the create's
  // The space is reusable.
  LunObject& again = created(f, LunType::Raid5, 2_GiB, f.ids({0, 1, 2}));
  CHECK(props(again).size == 2_GiB);
}

TEST_CASE("a LUN whose creation was cancelled behaves as deleted", "[provider][subsystem]") {
  ProviderFixture f;
  AsyncHandle& h = start(f, LunType::Raid5, 256_MiB, f.ids({0, 1, 2}));
  LunObject& lun = *f.subsystem.luns().back();
  f.run_until(700ms);
  REQUIRE(h.cancel() == hr::s_ok);
  f.sim.run();
  CHECK(f.used_total() == 0_B);
  LunProp p;
  CHECK(lun.get_properties(&p) == hr::vds_e_object_deleted);
  AsyncHandle* e = nullptr;
  CHECK(lun.extend(64_MiB, &e, f.me) == hr::vds_e_object_deleted);
  std::vector<LunObject*> luns;
  REQUIRE(f.subsystem.query_luns(&luns, f.me) == hr::s_ok);
  CHECK(luns.empty());
}

// ---------------------------------------------------------------------------------------------
// Extend and shrink

TEST_CASE("extend grows the LUN by the aligned amount in management latency + added member bytes / bandwidth",
          "[provider][subsystem]") {
  ProviderFixture f;
  RecordingSink sink;
  f.subsystem.set_sink(&sink);
  LunObject& lun = created(f, LunType::Raid5, 256_MiB, f.ids({0, 1, 2}));
  REQUIRE(f.sim.now() == at(1380ms));
  const Time t0 = f.sim.now();
  sink.events.clear();

  // 128 MiB + 1 byte on RAID-5 of 3 rounds up to a multiple of 2 x 4 KiB: 128 MiB + 8 KiB,
  // i.e. 64 MiB + 4 KiB more on each member.
  AsyncHandle* h = nullptr;
  REQUIRE(lun.extend(128_MiB + 1_B, &h, f.me) == hr::s_ok);
  REQUIRE(h != nullptr);
  CHECK(h->output_type() == AsyncOutputType::ExtendLun);
  const Bytes added = 64_MiB + 4_KiB;
  for (std::size_t i : {0, 1, 2}) CHECK(f.drive(i).used_bytes() == 128_MiB + added);  // reserved at once
  LunProp during = props(lun);
  CHECK(during.transition == TransitionState::Extending);
  CHECK(during.size == 256_MiB);  // the new size shows when the job succeeds
  CHECK(during.status == LunStatus::Online);
  CHECK(lun.busy());

  sim::testing::WaitCapture w;
  sim::engine::spawn(f.sim, sim::testing::wait_into(f.sim, *h, f.me, &w));
  f.run_until(since_start(t0) + 100ms + 320ms);
  const auto mid = status_of(*h);
  CHECK(mid.op == hr::vds_e_operation_pending);
  CHECK(mid.percent == 0);  // the first 64 MiB chunks end at 100 ms + 640 ms
  f.run_until(since_start(t0) + 100ms + 640ms + 10us);
  const auto last = status_of(*h);
  CHECK(last.op == hr::vds_e_operation_pending);
  CHECK(last.percent == 99);  // 192 MiB of 192 MiB + 12 KiB: the 4 KiB chunks are still running
  f.sim.run();

  REQUIRE(w.done);
  const Time done = t0 + 100ms + f.transfer(added);
  CHECK(f.transfer(added) == Duration{640'039'063});  // ceil(67112960 B x 1e9 / 104857600 B/s)
  CHECK(w.at == done);
  CHECK(w.result.op == hr::s_ok);
  CHECK(w.result.output.type == AsyncOutputType::ExtendLun);
  CHECK(w.result.output.object == nullptr);
  const LunProp after = props(lun);
  CHECK(after.size == 384_MiB + 8_KiB);
  CHECK(after.transition == TransitionState::Stable);
  CHECK_FALSE(lun.busy());
  CHECK(lun.lun()->geometry().member_extent == 192_MiB + 4_KiB);

  REQUIRE(sink.events.size() == 2);
  CHECK(sink.events[0].event == NotificationEvent::LunModify);
  CHECK(sink.events[0].time == t0);
  CHECK(sink.events[0].detail == "transition=VDS_TS_EXTENDING");
  CHECK(sink.events[1].event == NotificationEvent::LunModify);
  CHECK(sink.events[1].time == done);
  CHECK(sink.events[1].detail == "transition=VDS_TS_STABLE");
}

TEST_CASE("extend beyond the free space is VDS_E_NOT_ENOUGH_SPACE and leaves the LUN unchanged",
          "[provider][subsystem]") {
  ProviderFixture f;
  LunObject& lun = created(f, LunType::Raid5, 256_MiB, f.ids({0, 1, 2}));
  AsyncHandle* h = nullptr;
  CHECK(lun.extend(2_GiB, &h, f.me) == hr::vds_e_not_enough_space);
  CHECK(h == nullptr);
  CHECK(lun.extend(0_B, &h, f.me) == hr::e_invalidarg);
  CHECK(props(lun).size == 256_MiB);
  CHECK(f.used_total() == 384_MiB);
  CHECK(f.subsystem.handles().size() == 1);
  CHECK_FALSE(lun.busy());
}

TEST_CASE("shrink reduces the size and frees the tail extents when it completes", "[provider][subsystem]") {
  ProviderFixture f;
  LunObject& lun = created(f, LunType::Raid5, 384_MiB, f.ids({0, 1, 2}));
  const Time t0 = f.sim.now();
  AsyncHandle* h = nullptr;
  REQUIRE(lun.shrink(128_MiB, &h, f.me) == hr::s_ok);
  REQUIRE(h != nullptr);
  CHECK(props(lun).transition == TransitionState::Shrinking);
  CHECK(f.drive(0).used_bytes() == 192_MiB);  // freed only at completion
  f.sim.run();
  CHECK(f.sim.now() == t0 + 100ms);
  CHECK(status_of(*h).op == hr::s_ok);
  const LunProp p = props(lun);
  CHECK(p.size == 256_MiB);
  CHECK(p.transition == TransitionState::Stable);
  for (std::size_t i : {0, 1, 2}) {
    CHECK(f.drive(i).used_bytes() == 128_MiB);
    REQUIRE(f.drive(i).extents().size() == 1);
    CHECK(f.drive(i).extents()[0].offset == 0);
    CHECK(f.drive(i).extents()[0].size == 128_MiB);
  }
  // Not to nothing.
  CHECK(lun.shrink(256_MiB, &h, f.me) == hr::vds_e_invalid_shrink_size);
  CHECK(h == nullptr);
}

TEST_CASE("cancelling an extend restores the size and frees the added extents", "[provider][subsystem]") {
  ProviderFixture f;
  LunObject& lun = created(f, LunType::Raid5, 256_MiB, f.ids({0, 1, 2}));
  const Time t0 = f.sim.now();

  SECTION("during the management latency") {
    AsyncHandle* h = nullptr;
    REQUIRE(lun.extend(256_MiB, &h, f.me) == hr::s_ok);
    f.run_until(since_start(t0) + 50ms);
    CHECK(h->cancel() == hr::s_ok);
    f.sim.run();
    CHECK(status_of(*h).op == hr::vds_e_operation_canceled);
    CHECK(status_of(*h).percent == 0);
  }
  SECTION("during the initialisation") {
    AsyncHandle* h = nullptr;
    REQUIRE(lun.extend(256_MiB, &h, f.me) == hr::s_ok);
    f.run_until(since_start(t0) + 100ms + 900ms);  // 128 MiB per member: 1.28 s of writing
    REQUIRE(status_of(*h).percent > 0);
    CHECK(h->cancel() == hr::s_ok);
    f.sim.run();
    CHECK(status_of(*h).op == hr::vds_e_operation_canceled);
    CHECK(status_of(*h).percent == 0);
  }
  const LunProp p = props(lun);
  CHECK(p.size == 256_MiB);
  CHECK(p.transition == TransitionState::Stable);
  CHECK(p.status == LunStatus::Online);
  CHECK_FALSE(lun.busy());
  for (std::size_t i : {0, 1, 2}) CHECK(f.drive(i).used_bytes() == 128_MiB);
  CHECK(lun.lun()->member_bytes() == std::vector<Bytes>(3, 128_MiB));
  // The LUN can be extended again.
  AsyncHandle* again = nullptr;
  CHECK(lun.extend(64_MiB, &again, f.me) == hr::s_ok);
  f.sim.run();
  CHECK(props(lun).size == 320_MiB);
}

TEST_CASE("extend of a Span grows it on its drives and keeps the span linear", "[provider][subsystem]") {
  ProviderFixture f;
  LunObject& lun = created(f, LunType::Span, 1536_MiB, f.ids({0, 1}));
  AsyncHandle* h = nullptr;
  REQUIRE(lun.extend(256_MiB, &h, f.me) == hr::s_ok);
  f.sim.run();
  CHECK(status_of(*h).op == hr::s_ok);
  CHECK(props(lun).size == 1792_MiB);
  CHECK(f.drive(0).used_bytes() == 1_GiB);
  CHECK(f.drive(1).used_bytes() == 768_MiB);
}

// ---------------------------------------------------------------------------------------------
// Drive flags

TEST_CASE("set_flags makes an unused drive a hot spare, a used drive is VDS_E_DEVICE_IN_USE, other flags "
          "are VDS_E_NOT_SUPPORTED",
          "[provider][subsystem]") {
  ProviderFixture f;
  created(f, LunType::Mirror, 64_MiB, f.ids({0, 1}));

  CHECK(f.drive_object(5).set_flags(drive_flag::hotspare) == hr::s_ok);
  CHECK(f.drive(5).hot_spare());
  DriveProp p;
  REQUIRE(f.drive_object(5).get_properties(&p) == hr::s_ok);
  CHECK((p.flags & drive_flag::hotspare) != 0);

  CHECK(f.drive_object(0).set_flags(drive_flag::hotspare) == hr::vds_e_device_in_use);
  CHECK_FALSE(f.drive(0).hot_spare());

  for (std::uint32_t flag : {drive_flag::assigned, drive_flag::unassigned, drive_flag::hotspare_in_use,
                             drive_flag::hotspare_standby, drive_flag::hotspare | drive_flag::assigned}) {
    INFO("flags " << flag);
    CHECK(f.drive_object(3).set_flags(flag) == hr::vds_e_not_supported);
    CHECK(f.drive_object(3).clear_flags(flag) == hr::vds_e_not_supported);
  }
  CHECK_FALSE(f.drive(3).hot_spare());

  f.drive(4).set_state(sim::storage::DriveState::Failed);
  CHECK(f.drive_object(4).set_flags(drive_flag::hotspare) == hr::vds_e_object_status_failed);

  CHECK(f.drive_object(5).clear_flags(drive_flag::hotspare) == hr::s_ok);
  CHECK_FALSE(f.drive(5).hot_spare());
}

// ---------------------------------------------------------------------------------------------
// Properties

TEST_CASE("subsystem properties describe the array", "[provider][subsystem]") {
  ProviderFixture f;
  SubSystemProp p;
  REQUIRE(f.subsystem.get_properties(&p) == hr::s_ok);
  CHECK(p.id == f.subsystem.id());
  CHECK_FALSE(p.id.is_null());
  CHECK(p.friendly_name == "array");
  CHECK(p.status == SubSystemStatus::Online);
  CHECK(p.health == Health::Healthy);
  CHECK(p.max_slots_each_bus == 6);
  CHECK((p.flags & subsystem_flag::supports_parity_luns) != 0);
  CHECK((p.flags & subsystem_flag::supports_mirror_luns) != 0);
  CHECK((p.flags & subsystem_flag::drive_extent_capable) != 0);
  // Not automagic: both FT and non-FT flags together would advertise it.
  CHECK((p.flags & subsystem_flag::supports_fault_tolerant_luns) == 0);
  CHECK((p.stripe_size_flags & (1u << 16)) != 0);  // 64 KiB
  CHECK(f.subsystem.get_properties(nullptr) == hr::e_pointer);
}

TEST_CASE("drive properties give size, status, flags, bus and slot", "[provider][subsystem]") {
  ProviderFixture f;
  created(f, LunType::Mirror, 64_MiB, f.ids({0, 1}));
  DriveProp p;
  REQUIRE(f.drive_object(1).get_properties(&p) == hr::s_ok);
  CHECK(p.id == f.id(1));
  CHECK(p.size == 1_GiB);
  CHECK(p.friendly_name == "d1");
  CHECK(p.status == DriveStatus::Online);
  CHECK(p.health == Health::Healthy);
  CHECK(p.slot == 1);
  CHECK((p.flags & drive_flag::assigned) != 0);
  REQUIRE(f.drive_object(4).get_properties(&p) == hr::s_ok);
  CHECK((p.flags & drive_flag::unassigned) != 0);
  CHECK(p.slot == 4);
  f.drive(4).set_state(sim::storage::DriveState::Failed);
  REQUIRE(f.drive_object(4).get_properties(&p) == hr::s_ok);
  CHECK(p.status == DriveStatus::Failed);
  CHECK(p.health == Health::Failed);
  CHECK(f.drive_object(4).get_properties(nullptr) == hr::e_pointer);
  // Ids are distinct and stable.
  CHECK(f.id(0) != f.id(1));
  ProviderFixture g;
  CHECK(g.id(3) == f.id(3));
}

TEST_CASE("LUN properties: NOT_READY while created, ONLINE after, the requested type kept",
          "[provider][subsystem]") {
  ProviderFixture f;
  start(f, LunType::Parity, 256_MiB, f.ids({0, 1, 2}));
  LunObject& parity = *f.subsystem.luns().back();
  LunProp p = props(parity);
  CHECK(p.status == LunStatus::NotReady);
  CHECK(p.type == LunType::Parity);
  CHECK(p.size == 256_MiB);
  CHECK(p.id == parity.id());
  CHECK(p.transition == TransitionState::Stable);
  f.sim.run();
  p = props(parity);
  CHECK(p.status == LunStatus::Online);
  CHECK(p.health == Health::Healthy);
  CHECK(p.type == LunType::Parity);

  Hints hints;
  hints.rebuild_priority = 7;
  LunObject& raid5 = created(f, LunType::Raid5, 256_MiB, f.ids({3, 4, 5}), &hints);
  const LunProp q = props(raid5);
  CHECK(q.type == LunType::Raid5);
  CHECK(q.rebuild_priority == 7);
  CHECK(q.id != p.id);
  CHECK(q.size == 256_MiB);
  // Rounded up to the alignment: RAID-5 of 3 to 8 KiB.
  LunObject& odd = created(f, LunType::Raid5, 1_B, f.ids({0, 1, 2}));
  CHECK(props(odd).size == 8_KiB);
  CHECK(parity.get_properties(nullptr) == hr::e_pointer);
}

// ---------------------------------------------------------------------------------------------
// Notifications

TEST_CASE("notifications: LUN_ARRIVE at creation, LUN_MODIFY ONLINE at completion, LUN_DEPART at delete",
          "[provider][subsystem]") {
  ProviderFixture f;
  RecordingSink sink;
  f.subsystem.set_sink(&sink);
  start(f, LunType::Raid5, 256_MiB, f.ids({0, 1, 2}));
  LunObject& lun = *f.subsystem.luns().back();
  f.sim.run();
  f.run_until(2s);
  REQUIRE(lun.delete_lun() == hr::s_ok);

  REQUIRE(sink.events.size() == 3);
  const auto& arrive = sink.events[0];
  CHECK(arrive.event == NotificationEvent::LunArrive);
  CHECK(arrive.time == at(0ms));
  CHECK(arrive.object_type == ObjectType::Lun);
  CHECK(arrive.id == lun.id());
  CHECK(arrive.object == lun.name());
  const auto& modify = sink.events[1];
  CHECK(modify.event == NotificationEvent::LunModify);
  CHECK(modify.time == at(1380ms));
  CHECK(modify.id == lun.id());
  CHECK(modify.detail.find("status=VDS_LS_ONLINE") != std::string::npos);
  const auto& depart = sink.events[2];
  CHECK(depart.event == NotificationEvent::LunDepart);
  CHECK(depart.time == at(2s));
  CHECK(depart.id == lun.id());
}

TEST_CASE("notifications: a cancelled creation departs at the cancel time, with no ONLINE",
          "[provider][subsystem]") {
  ProviderFixture f;
  RecordingSink sink;
  f.subsystem.set_sink(&sink);
  AsyncHandle& h = start(f, LunType::Mirror, 256_MiB, f.ids({0, 1}));
  f.run_until(300ms);
  REQUIRE(h.cancel() == hr::s_ok);
  f.sim.run();
  REQUIRE(sink.events.size() == 2);
  CHECK(sink.events[0].event == NotificationEvent::LunArrive);
  CHECK(sink.events[1].event == NotificationEvent::LunDepart);
  CHECK(sink.events[1].time == at(300ms));
}

TEST_CASE("notifications: hot-spare changes raise DRIVE_MODIFY", "[provider][subsystem]") {
  ProviderFixture f;
  RecordingSink sink;
  f.subsystem.set_sink(&sink);
  f.run_until(1s);
  REQUIRE(f.drive_object(2).set_flags(drive_flag::hotspare) == hr::s_ok);
  REQUIRE(f.drive_object(2).set_flags(drive_flag::hotspare) == hr::s_ok);  // already: no event
  REQUIRE(sink.events.size() == 1);
  CHECK(sink.events[0].event == NotificationEvent::DriveModify);
  CHECK(sink.events[0].object_type == ObjectType::Drive);
  CHECK(sink.events[0].id == f.id(2));
  CHECK(sink.events[0].time == at(1s));
}
