#include "sim/provider/hresult.hpp"
#include "sim/provider/vds_types.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <iterator>
#include <set>
#include <sstream>
#include <string>

using namespace sim::provider;

namespace {
template <class T> std::string streamed(const T& v) {
  std::ostringstream os;
  os << v;
  return os.str();
}

struct Expected {
  HResult constant;
  std::uint32_t value;
  const char* name;
};

// Independent transcription of VDS-REFERENCE.md section 10 (plus the codes of sections 2, 7
// and 11), checked against the constants and the name table.
const Expected every_code[] = {
    {hr::s_ok, 0x00000000, "S_OK"},
    {hr::s_false, 0x00000001, "S_FALSE"},
    {hr::e_notimpl, 0x80004001, "E_NOTIMPL"},
    {hr::e_nointerface, 0x80004002, "E_NOINTERFACE"},
    {hr::e_pointer, 0x80004003, "E_POINTER"},
    {hr::e_unexpected, 0x8000FFFF, "E_UNEXPECTED"},
    {hr::e_invalidarg, 0x80070057, "E_INVALIDARG"},
    {hr::e_outofmemory, 0x8007000E, "E_OUTOFMEMORY"},
    {hr::e_accessdenied, 0x80070005, "E_ACCESSDENIED"},
    {hr::vds_e_not_supported, 0x80042400, "VDS_E_NOT_SUPPORTED"},
    {hr::vds_e_initialized_failed, 0x80042401, "VDS_E_INITIALIZED_FAILED"},
    {hr::vds_e_initialize_not_called, 0x80042402, "VDS_E_INITIALIZE_NOT_CALLED"},
    {hr::vds_e_another_call_in_progress, 0x80042404, "VDS_E_ANOTHER_CALL_IN_PROGRESS"},
    {hr::vds_e_object_not_found, 0x80042405, "VDS_E_OBJECT_NOT_FOUND"},
    {hr::vds_e_operation_pending, 0x80042409, "VDS_E_OPERATION_PENDING"},
    {hr::vds_e_object_deleted, 0x8004240B, "VDS_E_OBJECT_DELETED"},
    {hr::vds_e_cancel_too_late, 0x8004240C, "VDS_E_CANCEL_TOO_LATE"},
    {hr::vds_e_operation_canceled, 0x8004240D, "VDS_E_OPERATION_CANCELED"},
    {hr::vds_e_not_enough_space, 0x8004240F, "VDS_E_NOT_ENOUGH_SPACE"},
    {hr::vds_e_not_enough_drive, 0x80042410, "VDS_E_NOT_ENOUGH_DRIVE"},
    {hr::vds_e_device_in_use, 0x80042413, "VDS_E_DEVICE_IN_USE"},
    {hr::vds_e_invalid_operation, 0x80042415, "VDS_E_INVALID_OPERATION"},
    {hr::vds_e_unrecoverable_error, 0x80042419, "VDS_E_UNRECOVERABLE_ERROR"},
    {hr::vds_e_provider_initialization_failed, 0x8004241C, "VDS_E_PROVIDER_INITIALIZATION_FAILED"},
    {hr::vds_e_object_exists, 0x8004241D, "VDS_E_OBJECT_EXISTS"},
    {hr::vds_e_provider_cache_corrupt, 0x8004241F, "VDS_E_PROVIDER_CACHE_CORRUPT"},
    {hr::vds_e_incompatible_file_system, 0x80042425, "VDS_E_INCOMPATIBLE_FILE_SYSTEM"},
    {hr::vds_e_incompatible_media, 0x80042426, "VDS_E_INCOMPATIBLE_MEDIA"},
    {hr::vds_e_access_denied, 0x80042427, "VDS_E_ACCESS_DENIED"},
    {hr::vds_e_object_status_failed, 0x80042431, "VDS_E_OBJECT_STATUS_FAILED"},
    {hr::vds_e_bad_provider_data, 0x80042441, "VDS_E_BAD_PROVIDER_DATA"},
    {hr::vds_e_provider_failure, 0x80042442, "VDS_E_PROVIDER_FAILURE"},
    {hr::vds_e_internal_error, 0x80042448, "VDS_E_INTERNAL_ERROR"},
    {hr::vds_s_in_progress, 0x0004244D, "VDS_S_IN_PROGRESS"},
    {hr::vds_e_async_object_failure, 0x8004244E, "VDS_E_ASYNC_OBJECT_FAILURE"},
    {hr::vds_e_object_out_of_sync, 0x80042453, "VDS_E_OBJECT_OUT_OF_SYNC"},
    {hr::vds_e_timeout, 0x8004245F, "VDS_E_TIMEOUT"},
    {hr::vds_e_retry, 0x80042463, "VDS_E_RETRY"},
    {hr::vds_e_provider_exiting, 0x80042514, "VDS_E_PROVIDER_EXITING"},
    {hr::vds_e_invalid_stripe_size, 0x80042525, "VDS_E_INVALID_STRIPE_SIZE"},
    {hr::vds_e_invalid_disk_count, 0x80042526, "VDS_E_INVALID_DISK_COUNT"},
    {hr::vds_e_provider_internal_error, 0x80042572, "VDS_E_PROVIDER_INTERNAL_ERROR"},
    {hr::vds_e_unrecoverable_provider_error, 0x80042575, "VDS_E_UNRECOVERABLE_PROVIDER_ERROR"},
    {hr::vds_e_name_not_unique, 0x80042701, "VDS_E_NAME_NOT_UNIQUE"},
    {hr::vds_s_name_truncated, 0x00042700, "VDS_S_NAME_TRUNCATED"},
    {hr::vds_s_statuses_incompletely_set, 0x00042702, "VDS_S_STATUSES_INCOMPLETELY_SET"},
    {hr::vds_e_provider_cache_outofsync, 0x80042712, "VDS_E_PROVIDER_CACHE_OUTOFSYNC"},
    {hr::vds_s_already_exists, 0x00042714, "VDS_S_ALREADY_EXISTS"},
    {hr::vds_s_properties_incomplete, 0x00042715, "VDS_S_PROPERTIES_INCOMPLETE"},
    {hr::vds_e_shrink_over_data, 0x80042816, "VDS_E_SHRINK_OVER_DATA"},
    {hr::vds_e_invalid_shrink_size, 0x80042817, "VDS_E_INVALID_SHRINK_SIZE"},
    {hr::vds_e_lun_disk_missing, 0x80042818, "VDS_E_LUN_DISK_MISSING"},
    {hr::vds_e_lun_disk_failed, 0x80042819, "VDS_E_LUN_DISK_FAILED"},
    {hr::vds_e_lun_disk_not_ready, 0x8004281A, "VDS_E_LUN_DISK_NOT_READY"},
    {hr::vds_e_lun_disk_no_media, 0x8004281B, "VDS_E_LUN_DISK_NO_MEDIA"},
    {hr::vds_e_lun_not_ready, 0x8004281C, "VDS_E_LUN_NOT_READY"},
    {hr::vds_e_lun_offline, 0x8004281D, "VDS_E_LUN_OFFLINE"},
    {hr::vds_e_lun_failed, 0x8004281E, "VDS_E_LUN_FAILED"},
    {hr::vds_e_initiator_adapter_not_found, 0x80042900, "VDS_E_INITIATOR_ADAPTER_NOT_FOUND"},
    {hr::vds_e_target_portal_not_found, 0x80042901, "VDS_E_TARGET_PORTAL_NOT_FOUND"},
    {hr::vds_e_invalid_port_path, 0x80042902, "VDS_E_INVALID_PORT_PATH"},
    {hr::vds_e_invalid_iscsi_target_name, 0x80042903, "VDS_E_INVALID_ISCSI_TARGET_NAME"},
    {hr::vds_e_subsystem_id_is_null, 0x80042907, "VDS_E_SUBSYSTEM_ID_IS_NULL"},
    {hr::vds_e_reboot_required, 0x8004290C, "VDS_E_REBOOT_REQUIRED"},
    {hr::vds_e_invalid_path, 0x8004291B, "VDS_E_INVALID_PATH"},
    {hr::vds_e_invalid_iscsi_path, 0x8004291C, "VDS_E_INVALID_ISCSI_PATH"},
    {hr::vds_e_shrink_lun_not_unmasked, 0x8004291D, "VDS_E_SHRINK_LUN_NOT_UNMASKED"},
    {hr::vds_e_lun_update_disk, 0x8004291F, "VDS_E_LUN_UPDATE_DISK"},
    {hr::vds_e_invalid_state, 0x80042A05, "VDS_E_INVALID_STATE"},
    {hr::vds_e_shrink_extend_unaligned, 0x80042B00, "VDS_E_SHRINK_EXTEND_UNALIGNED"},
};
} // namespace

TEST_CASE("FAILED and SUCCEEDED follow the severity bit", "[provider][hresult]") {
  STATIC_REQUIRE(hr::s_ok.succeeded());
  STATIC_REQUIRE(hr::s_false.succeeded());
  STATIC_REQUIRE(hr::e_unexpected.failed());
  STATIC_REQUIRE(HResult{}.succeeded());
  // The pending code is a failure HRESULT (0x80042409, not the 0x00042409 misprint of [MS-VDS]).
  STATIC_REQUIRE(HResult{0x80042409}.failed());
  STATIC_REQUIRE(!HResult{0x80042409}.succeeded());
  STATIC_REQUIRE(hr::vds_e_operation_pending.failed());
  // Success-with-information codes succeed.
  STATIC_REQUIRE(hr::vds_s_in_progress.succeeded());
  STATIC_REQUIRE(!hr::vds_s_in_progress.failed());
  STATIC_REQUIRE(hr::vds_s_already_exists.succeeded());
  STATIC_REQUIRE(HResult{0x80000000}.failed());
  STATIC_REQUIRE(HResult{0x7FFFFFFF}.succeeded());
}

TEST_CASE("HResult compares by value", "[provider][hresult]") {
  STATIC_REQUIRE(hr::s_ok == HResult{0});
  STATIC_REQUIRE(hr::vds_e_timeout != hr::vds_e_retry);
  STATIC_REQUIRE(hr::s_ok < hr::s_false);
  STATIC_REQUIRE(hr::vds_e_not_supported < hr::vds_e_operation_pending);
}

TEST_CASE("pinned values of the async-related codes", "[provider][hresult]") {
  STATIC_REQUIRE(hr::vds_e_operation_pending.value == 0x80042409);
  STATIC_REQUIRE(hr::vds_e_object_deleted.value == 0x8004240B);
  STATIC_REQUIRE(hr::vds_e_cancel_too_late.value == 0x8004240C);
  STATIC_REQUIRE(hr::vds_e_operation_canceled.value == 0x8004240D);
  STATIC_REQUIRE(hr::vds_e_timeout.value == 0x8004245F);
  STATIC_REQUIRE(hr::e_nointerface.value == 0x80004002);
  STATIC_REQUIRE(hr::vds_s_in_progress.value == 0x0004244D);
  STATIC_REQUIRE(hr::vds_e_async_object_failure.value == 0x8004244E);
}

TEST_CASE("every code of the reference has its value and Windows name", "[provider][hresult]") {
  for (const Expected& e : every_code) {
    CAPTURE(e.name);
    CHECK(e.constant.value == e.value);
    REQUIRE(name(e.constant) != nullptr);
    CHECK(std::string{name(e.constant)} == e.name);
    // 0x8xxxxxxx is a failure; every other code here is a success code.
    CHECK(e.constant.failed() == ((e.value & 0x80000000U) != 0));
  }
  CHECK(all_hresults().size() == std::size(every_code));
}

TEST_CASE("the name table round-trips through name, hex, describe and parse",
          "[provider][hresult]") {
  std::set<std::string> names;
  std::set<std::uint32_t> values;
  for (const HResultName& row : all_hresults()) {
    CAPTURE(row.name);
    REQUIRE(row.name != nullptr);
    CHECK(names.insert(row.name).second);
    CHECK(values.insert(row.value.value).second);

    REQUIRE(name(row.value) != nullptr);
    CHECK(std::string{name(row.value)} == row.name);
    CHECK(describe(row.value) == row.name);
    CHECK(streamed(row.value) == row.name);
    CHECK(parse_hresult(row.name) == row.value);
    CHECK(parse_hresult(hex(row.value)) == row.value);
  }
}

TEST_CASE("hex prints 0x and eight uppercase digits", "[provider][hresult]") {
  CHECK(hex(hr::vds_e_operation_pending) == "0x80042409");
  CHECK(hex(hr::vds_e_timeout) == "0x8004245F");
  CHECK(hex(hr::s_ok) == "0x00000000");
  CHECK(hex(hr::vds_s_in_progress) == "0x0004244D");
  CHECK(hex(HResult{0xFFFFFFFF}) == "0xFFFFFFFF");
  CHECK(hex(HResult{0xabcdef}) == "0x00ABCDEF");
}

TEST_CASE("unknown codes have no name and describe as hex", "[provider][hresult]") {
  const HResult unknown{0x80042403}; // VDS_E_ALREADY_REGISTERED, not in lunsim's table
  CHECK(name(unknown) == nullptr);
  CHECK(describe(unknown) == "0x80042403");
  CHECK(streamed(unknown) == "0x80042403");
  CHECK(describe(hr::vds_e_operation_pending) == "VDS_E_OPERATION_PENDING");
  CHECK(streamed(hr::e_unexpected) == "E_UNEXPECTED");
}

TEST_CASE("parse_hresult accepts names and hex literals", "[provider][hresult]") {
  SECTION("names are exact and case-sensitive") {
    CHECK(parse_hresult("VDS_E_TIMEOUT") == hr::vds_e_timeout);
    CHECK(parse_hresult("S_OK") == hr::s_ok);
    CHECK(parse_hresult("E_NOINTERFACE") == hr::e_nointerface);
    CHECK(parse_hresult("vds_e_timeout") == std::nullopt);
    CHECK(parse_hresult("VDS_E_TIMEOUT ") == std::nullopt);
    CHECK(parse_hresult("VDS_E_NO_SUCH_CODE") == std::nullopt);
  }
  SECTION("hex digits in either case") {
    CHECK(parse_hresult("0x8004245F") == hr::vds_e_timeout);
    CHECK(parse_hresult("0x8004245f") == hr::vds_e_timeout);
    CHECK(parse_hresult("0X8004245f") == hr::vds_e_timeout);
    CHECK(parse_hresult("0x0004244d") == hr::vds_s_in_progress);
    CHECK(parse_hresult("0x1") == hr::s_false);
    CHECK(parse_hresult("0x0") == hr::s_ok);
  }
  SECTION("well-formed hex without a name still parses") {
    CHECK(parse_hresult("0x80042403") == HResult{0x80042403});
  }
  SECTION("malformed input is rejected") {
    CHECK(parse_hresult("") == std::nullopt);
    CHECK(parse_hresult("0x") == std::nullopt);
    CHECK(parse_hresult("0x123456789") == std::nullopt);
    CHECK(parse_hresult("0x8004245G") == std::nullopt);
    CHECK(parse_hresult("8004245F") == std::nullopt);
    CHECK(parse_hresult("0x-1") == std::nullopt);
    CHECK(parse_hresult(" 0x1") == std::nullopt);
  }
}

TEST_CASE("VDS enums carry the header values and names", "[provider][hresult][vds_types]") {
  SECTION("VDS_LUN_TYPE") {
    STATIC_REQUIRE(static_cast<std::int32_t>(LunType::Raid6) == 19);
    STATIC_REQUIRE(static_cast<std::int32_t>(LunType::Stripe) == 12);
    STATIC_REQUIRE(static_cast<std::int32_t>(LunType::Raid61) == 30);
    CHECK(std::string{to_string(LunType::Raid6)} == "VDS_LT_RAID6");
    CHECK(std::string{to_string(LunType::Raid5)} == "VDS_LT_RAID5");
    CHECK(std::string{to_string(LunType::NonFaultTolerant)} == "VDS_LT_NON_FAULT_TOLERANT");
    CHECK(streamed(LunType::Mirror) == "VDS_LT_MIRROR");
  }
  SECTION("VDS_ASYNC_OUTPUT_TYPE") {
    STATIC_REQUIRE(static_cast<std::int32_t>(AsyncOutputType::CreateLun) == 50);
    STATIC_REQUIRE(static_cast<std::int32_t>(AsyncOutputType::AddLunPlex) == 52);
    STATIC_REQUIRE(static_cast<std::int32_t>(AsyncOutputType::RecoverLun) == 56);
    CHECK(std::string{to_string(AsyncOutputType::CreateLun)} == "VDS_ASYNCOUT_CREATELUN");
    CHECK(std::string{to_string(AsyncOutputType::RemoveLunPlex)} == "VDS_ASYNCOUT_REMOVELUNPLEX");
    CHECK(std::string{to_string(AsyncOutputType::CreateVDisk)} == "VDS_ASYNCOUT_CREATE_VDISK");
    CHECK(to_string(static_cast<AsyncOutputType>(51)) == nullptr);
  }
  SECTION("VDS_HEALTH") {
    STATIC_REQUIRE(static_cast<std::int32_t>(Health::FailedRedundancy) == 6);
    STATIC_REQUIRE(static_cast<std::int32_t>(Health::Degraded) == 11);
    CHECK(std::string{to_string(Health::FailedRedundancy)} == "VDS_H_FAILED_REDUNDANCY");
    CHECK(std::string{to_string(Health::Healthy)} == "VDS_H_HEALTHY");
    CHECK(streamed(Health::PendingFailure) == "VDS_H_PENDING_FAILURE");
  }
  SECTION("VDS_DRIVE_STATUS") {
    STATIC_REQUIRE(static_cast<std::int32_t>(DriveStatus::Removed) == 8);
    STATIC_REQUIRE(static_cast<std::int32_t>(DriveStatus::Offline) == 4);
    CHECK(std::string{to_string(DriveStatus::Removed)} == "VDS_DRS_REMOVED");
    CHECK(std::string{to_string(DriveStatus::Online)} == "VDS_DRS_ONLINE");
  }
  SECTION("VDS_LUN_STATUS") {
    STATIC_REQUIRE(static_cast<std::int32_t>(LunStatus::Failed) == 5);
    CHECK(std::string{to_string(LunStatus::Unknown)} == "VDS_LS_UNKNOWN");
    CHECK(std::string{to_string(LunStatus::NotReady)} == "VDS_LS_NOT_READY");
  }
  SECTION("VDS_TRANSITION_STATE") {
    STATIC_REQUIRE(static_cast<std::int32_t>(TransitionState::Restriping) == 5);
    CHECK(std::string{to_string(TransitionState::Stable)} == "VDS_TS_STABLE");
    CHECK(std::string{to_string(TransitionState::Reconfiging)} == "VDS_TS_RECONFIGING");
  }
  SECTION("VDS_SUB_SYSTEM_STATUS") {
    STATIC_REQUIRE(static_cast<std::int32_t>(SubSystemStatus::PartiallyManaged) == 9);
    CHECK(std::string{to_string(SubSystemStatus::PartiallyManaged)} ==
          "VDS_SSS_PARTIALLY_MANAGED");
  }
  SECTION("VDS_CONTROLLER_STATUS") {
    STATIC_REQUIRE(static_cast<std::int32_t>(ControllerStatus::Removed) == 8);
    CHECK(std::string{to_string(ControllerStatus::Offline)} == "VDS_CS_OFFLINE");
  }
  SECTION("VDS_OBJECT_TYPE") {
    STATIC_REQUIRE(static_cast<std::int32_t>(ObjectType::Lun) == 33);
    STATIC_REQUIRE(static_cast<std::int32_t>(ObjectType::OpenVDisk) == 201);
    CHECK(std::string{to_string(ObjectType::SubSystem)} == "VDS_OT_SUB_SYSTEM");
    CHECK(std::string{to_string(ObjectType::LunPlex)} == "VDS_OT_LUN_PLEX");
    CHECK(std::string{to_string(ObjectType::HbaPort)} == "VDS_OT_HBAPORT");
  }
  SECTION("hardware VDS_NF_* events") {
    STATIC_REQUIRE(static_cast<std::uint32_t>(NotificationEvent::LunArrive) == 108);
    STATIC_REQUIRE(static_cast<std::uint32_t>(NotificationEvent::DriveRemoved) == 354);
    STATIC_REQUIRE(static_cast<std::uint32_t>(NotificationEvent::SubSystemModify) == 151);
    CHECK(std::string{to_string(NotificationEvent::LunArrive)} == "VDS_NF_LUN_ARRIVE");
    CHECK(std::string{to_string(NotificationEvent::ServiceOutOfSync)} ==
          "VDS_NF_SERVICE_OUT_OF_SYNC");
    CHECK(streamed(NotificationEvent::DriveDepart) == "VDS_NF_DRIVE_DEPART");
  }
}

TEST_CASE("values outside an enum have no name and stream with their number",
          "[provider][hresult][vds_types]") {
  CHECK(to_string(static_cast<LunType>(4)) == nullptr);
  CHECK(streamed(static_cast<LunType>(4)) == "VDS_LUN_TYPE(4)");
  CHECK(streamed(static_cast<DriveStatus>(3)) == "VDS_DRIVE_STATUS(3)");
  CHECK(streamed(static_cast<Health>(-1)) == "VDS_HEALTH(-1)");
  CHECK(streamed(static_cast<NotificationEvent>(7)) == "VDS_NF(7)");
}

TEST_CASE("is_valid_lun_type accepts exactly the VDS_LUN_TYPE values",
          "[provider][hresult][vds_types]") {
  CHECK_FALSE(is_valid_lun_type(4));
  CHECK(is_valid_lun_type(19));
  CHECK(is_valid_lun_type(0));
  CHECK(is_valid_lun_type(3));
  CHECK_FALSE(is_valid_lun_type(9));
  CHECK(is_valid_lun_type(10));
  CHECK(is_valid_lun_type(30));
  CHECK_FALSE(is_valid_lun_type(31));
  CHECK_FALSE(is_valid_lun_type(-1));
  int count = 0;
  for (std::int32_t v = -5; v <= 300; ++v) {
    if (!is_valid_lun_type(v))
      continue;
    ++count;
    // Every valid value has a VDS name that parses back to it.
    const char* n = to_string(static_cast<LunType>(v));
    REQUIRE(n != nullptr);
    CHECK(parse_lun_type(n) == static_cast<LunType>(v));
  }
  CHECK(count == 25);
}

TEST_CASE("parse_lun_type reads scenario spellings", "[provider][hresult][vds_types]") {
  CHECK(parse_lun_type("simple") == LunType::Simple);
  CHECK(parse_lun_type("span") == LunType::Span);
  CHECK(parse_lun_type("stripe") == LunType::Stripe);
  CHECK(parse_lun_type("raid0") == LunType::Stripe);
  CHECK(parse_lun_type("mirror") == LunType::Mirror);
  CHECK(parse_lun_type("raid1") == LunType::Mirror);
  CHECK(parse_lun_type("parity") == LunType::Parity);
  CHECK(parse_lun_type("raid2") == LunType::Raid2);
  CHECK(parse_lun_type("raid5") == LunType::Raid5);
  CHECK(parse_lun_type("raid6") == LunType::Raid6);
  CHECK(parse_lun_type("raid01") == LunType::Raid01);
  CHECK(parse_lun_type("raid10") == LunType::Raid10);
  CHECK(parse_lun_type("raid53") == LunType::Raid53);
  CHECK(parse_lun_type("raid61") == LunType::Raid61);
  CHECK(parse_lun_type("default") == LunType::Default);
  CHECK(parse_lun_type("fault_tolerant") == LunType::FaultTolerant);
  CHECK(parse_lun_type("non_fault_tolerant") == LunType::NonFaultTolerant);
  CHECK(parse_lun_type("VDS_LT_RAID6") == LunType::Raid6);
  CHECK(parse_lun_type("VDS_LT_UNKNOWN") == LunType::Unknown);

  CHECK(parse_lun_type("RAID6") == std::nullopt);
  CHECK(parse_lun_type("Raid6") == std::nullopt);
  CHECK(parse_lun_type("vds_lt_raid6") == std::nullopt);
  CHECK(parse_lun_type("raid7") == std::nullopt);
  CHECK(parse_lun_type("raid") == std::nullopt);
  CHECK(parse_lun_type("unknown") == std::nullopt);
  CHECK(parse_lun_type("") == std::nullopt);
}

TEST_CASE("drive and sub-system flags and rebuild priority bounds",
          "[provider][hresult][vds_types]") {
  STATIC_REQUIRE(drive_flag::hotspare == 0x1);
  STATIC_REQUIRE(drive_flag::assigned == 0x2);
  STATIC_REQUIRE(drive_flag::unassigned == 0x4);
  STATIC_REQUIRE(drive_flag::hotspare_in_use == 0x8);
  STATIC_REQUIRE(drive_flag::hotspare_standby == 0x10);
  STATIC_REQUIRE(subsystem_flag::lun_masking_capable == 0x1);
  STATIC_REQUIRE(subsystem_flag::drive_extent_capable == 0x8);
  STATIC_REQUIRE(subsystem_flag::supports_fault_tolerant_luns == 0x200);
  STATIC_REQUIRE(subsystem_flag::supports_parity_luns == 0x8000);
  STATIC_REQUIRE(subsystem_flag::consistency_check_capable == 0x1000000);
  STATIC_REQUIRE(rebuild_priority_min == 0);
  STATIC_REQUIRE(rebuild_priority_max == 15);
}
