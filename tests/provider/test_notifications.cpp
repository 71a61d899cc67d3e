// Notification details (events.csv's `detail` column) follow the one grammar of
// sim/base/event_detail.hpp, and carry the fields readers (the HTML report) look up: a rewording
// on either side fails here.
#include "tests/support/provider_fixture.hpp"

#include "sim/base/event_detail.hpp"
#include "sim/provider/subsystem.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using namespace sim::base::size_literals;
using namespace sim::provider;
using sim::base::EventDetail;
using sim::testing::ProviderFixture;
using sim::testing::RecordingSink;
namespace key = sim::base::detail_key;
namespace value = sim::base::detail_value;

TEST_CASE("the names readers test for are the provider's own VDS names", "[provider][events]") {
  CHECK(std::string(to_string(DriveStatus::Failed)) == value::drive_failed);
  CHECK(std::string(to_string(DriveStatus::Online)) == value::drive_online);
  CHECK(std::string(to_string(DriveStatus::Offline)) == value::drive_offline);
}

TEST_CASE("every detail the subsystem writes parses back to itself and names what happened", "[provider][events]") {
  ProviderFixture f{{.initialize = false}};
  RecordingSink sink;
  f.subsystem.set_sink(&sink);
  sim::storage::RepairConfig repair;
  repair.replace_after = sim::engine::Distribution::constant(10s);
  repair.mode = sim::storage::RebuildMode::Coarse;
  f.subsystem.array().set_repair(repair);
  f.subsystem.array().set_hot_spare(f.drive_object(5).slot(), true);
  AsyncHandle* h = nullptr;
  REQUIRE(f.subsystem.create_lun(static_cast<std::int32_t>(LunType::Raid5), 768_MiB, f.ids({0, 1, 2, 3}), nullptr, &h,
                                 f.me) == hr::s_ok);
  f.run_until(1s);
  LunObject& lun = *f.subsystem.luns().back();
  REQUIRE(lun.set_friendly_name("my db") == hr::s_ok);
  f.subsystem.array().fail_drive(f.drive_object(1).slot());
  f.run_until(60s);
  REQUIRE(f.drive_object(4).clear_flags(drive_flag::hotspare) == hr::s_ok);
  REQUIRE(f.drive_object(4).set_flags(drive_flag::hotspare) == hr::s_ok);
  f.subsystem.set_controller_status(0, ControllerStatus::Failed);
  f.subsystem.array().set_drive_offline(f.drive_object(4).slot(), true);
  f.subsystem.array().set_drive_offline(f.drive_object(4).slot(), false);
  REQUIRE(lun.delete_lun() == hr::s_ok);

  std::vector<std::string> seen;
  for (const Notification& n : sink.events) {
    INFO(to_string(n.event) << " " << n.object << " '" << n.detail << "'");
    const EventDetail d = EventDetail::parse(n.detail);
    CHECK(d.str() == n.detail);
    switch (n.event) {
      case NotificationEvent::DriveModify:
        if (n.object == "array/d1") {
          CHECK(d.get(key::status) == value::drive_failed);
          seen.push_back("failed");
        } else if (d.has(key::flags)) {
          CHECK((d.get(key::flags) == value::flags_hot_spare || d.get(key::flags) == value::flags_none));
          if (n.object == "array/d5") {  // the spare taken for d1, which says so
            CHECK(d.get(key::flags) == value::flags_none);
            CHECK(d.note() == "(hot spare taken for d1)");
            seen.push_back("spare taken");
          }
        } else {
          CHECK(d.get(key::status) == value::drive_online);
          seen.push_back("online");
        }
        break;
      case NotificationEvent::DriveRemoved:
        CHECK(d.get(key::status) == value::drive_offline);
        seen.push_back("offline");
        break;
      case NotificationEvent::DriveRebuild:
        CHECK((d.get(key::rebuild) == value::rebuild_start || d.get(key::rebuild) == value::rebuild_end));
        CHECK(d.get(key::lun) == "my db");  // quoted in the text: the friendly name has a space
        CHECK(n.detail.find("lun=\"my db\"") != std::string::npos);
        seen.push_back(std::string("rebuild ") + std::string(*d.get(key::rebuild)));
        break;
      case NotificationEvent::LunArrive:
        CHECK(d.get(key::type) == "VDS_LT_RAID5");
        CHECK(d.number(key::size) == (768_MiB).value);
        break;
      case NotificationEvent::LunModify:
        CHECK((d.has(key::status) || d.has(key::transition) || d.has(key::active_controller) || !d.note().empty()));
        if (d.has(key::status)) CHECK(d.has(key::health));
        break;
      case NotificationEvent::ControllerModify:
        CHECK(d.get(key::status) == "VDS_CS_FAILED");
        CHECK(d.get(key::health) == "VDS_H_FAILED");
        seen.push_back("controller");
        break;
      case NotificationEvent::DriveDepart:
      case NotificationEvent::DriveArrive:
      case NotificationEvent::LunDepart:
        CHECK(d.fields().empty());
        CHECK_FALSE(d.note().empty());
        break;
      default: break;
    }
  }
  CHECK(seen == std::vector<std::string>{"failed", "spare taken", "rebuild start", "rebuild end", "controller",
                                         "offline", "online"});
}
