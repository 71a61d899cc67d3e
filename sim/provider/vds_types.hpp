// VDS enumerations and flag sets used by the provider layer.
//
// Every enumerator carries the exact VDS value (VDS-REFERENCE.md, section given per type), so a
// static_cast to the underlying type yields what the Windows headers define; the compatibility
// layer relies on that. to_string() returns the VDS spelling ("VDS_LT_RAID5", "VDS_H_HEALTHY")
// with static storage duration, or nullptr for a value that is not an enumerator (e.g. a value
// read from outside); operator<< prints the name, or "VDS_LUN_TYPE(4)" for such values.
#pragma once

#include "sim/storage/raid.hpp"

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sim::provider {

/// VDS_LUN_TYPE (section 8). Default, FaultTolerant and NonFaultTolerant are "automagic" request
/// types (input only: the provider picks the layout); Simple..Parity and Raid2..Raid61 are
/// concrete layouts. Stripe is RAID 0, Mirror is RAID 1 (any number of plexes).
enum class LunType : std::int32_t {
  Unknown = 0,
  Default = 1,
  FaultTolerant = 2,
  NonFaultTolerant = 3,
  Simple = 10,
  Span = 11,
  Stripe = 12,
  Mirror = 13,
  Parity = 14,
  Raid2 = 15,
  Raid3 = 16,
  Raid4 = 17,
  Raid5 = 18,
  Raid6 = 19,
  Raid01 = 20,
  Raid03 = 21,
  Raid05 = 22,
  Raid10 = 23,
  Raid15 = 24,
  Raid30 = 25,
  Raid50 = 26,
  Raid51 = 27,
  Raid53 = 28,
  Raid60 = 29,
  Raid61 = 30,
};

/// True only for the values listed in LunType (4..9 and anything above 30 are not LUN types).
/// Per section 0, an invalid value is E_INVALIDARG, a valid but unimplemented one
/// VDS_E_NOT_SUPPORTED; this is the first half of that test.
bool is_valid_lun_type(std::int32_t value);

/// Scenario spelling of a LUN type, case-sensitive: the lowercase short names "simple", "span",
/// "stripe" (alias "raid0"), "mirror" (alias "raid1"), "parity", "raid2", "raid3", "raid4",
/// "raid5", "raid6", "raid01", "raid03", "raid05", "raid10", "raid15", "raid30", "raid50",
/// "raid51", "raid53", "raid60", "raid61", "default", "fault_tolerant", "non_fault_tolerant";
/// or any VDS name ("VDS_LT_RAID6", including "VDS_LT_UNKNOWN", which has no short name).
std::optional<LunType> parse_lun_type(std::string_view text);
/// The storage RAID level lunsim lays a LUN type out with; none for the types it does not model.
std::optional<storage::RaidLevel> raid_level(LunType t);
/// The short names above, in that order (for "did you mean" suggestions).
std::vector<std::string> lun_type_short_names();
/// The short names of the types lunsim models (a storage RAID level: Subsystem::create_lun
/// answers the others VDS_E_NOT_SUPPORTED), without aliases: "simple, span, stripe, mirror,
/// parity, raid5, raid6, raid10".
std::string modelled_lun_types();

/// VDS_DRIVE_STATUS (section 6). Offline = present but taken out of its RAID group/pool
/// (raises VDS_NF_DRIVE_REMOVED); Removed = physically unplugged (raises VDS_NF_DRIVE_DEPART).
/// A drive kicked out for failure is Failed, not Offline.
enum class DriveStatus : std::int32_t {
  Unknown = 0,
  Online = 1,
  NotReady = 2,
  Offline = 4,
  Failed = 5,
  Removed = 8,
};

/// VDS_LUN_STATUS, also VDS_LUN_PLEX_STATUS (section 8). NotReady = busy.
enum class LunStatus : std::int32_t {
  Unknown = 0,
  Online = 1,
  NotReady = 2,
  Offline = 4,
  Failed = 5,
};

/// VDS_HEALTH (section 8). Which values are valid depends on the object: LUNs and plexes use
/// 0,1,2,4..8; drives Unknown/Healthy/Failed/PendingFailure/Replaced; subsystems and controllers
/// Unknown/Healthy/Failed/Degraded. Stale is for volumes only, Replaced is reserved.
enum class Health : std::int32_t {
  Unknown = 0,
  Healthy = 1,
  Rebuilding = 2,
  Stale = 3,
  Failing = 4,
  FailingRedundancy = 5,
  FailedRedundancy = 6,
  FailedRedundancyFailing = 7,
  Failed = 8,
  Replaced = 9,
  PendingFailure = 10,
  Degraded = 11,
};

/// VDS_TRANSITION_STATE of LUNs and LUN plexes (section 8). Reconfiging = automagic
/// reconfiguration in progress.
enum class TransitionState : std::int32_t {
  Unknown = 0,
  Stable = 1,
  Extending = 2,
  Shrinking = 3,
  Reconfiging = 4,
  Restriping = 5,
};

/// VDS_ASYNC_OUTPUT_TYPE (section 3): fixed when an IVdsAsync is created. Only CreateLun
/// (cl.pLunUnk) carries a payload among the hardware-provider LUN operations; 51 is unused.
/// Callers must tolerate values that are not enumerators.
enum class AsyncOutputType : std::int32_t {
  Unknown = 0,
  CreateVolume = 1,
  ExtendVolume = 2,
  ShrinkVolume = 3,
  AddVolumePlex = 4,
  BreakVolumePlex = 5,
  RemoveVolumePlex = 6,
  RepairVolumePlex = 7,
  RecoverPack = 8,
  ReplaceDisk = 9,
  CreatePartition = 10,
  Clean = 11,
  CreateLun = 50,
  AddLunPlex = 52,
  RemoveLunPlex = 53,
  ExtendLun = 54,
  ShrinkLun = 55,
  RecoverLun = 56,
  LoginToTarget = 60,
  LogoutFromTarget = 61,
  CreateTarget = 62,
  CreatePortalGroup = 63,
  DeleteTarget = 64,
  AddPortal = 65,
  RemovePortal = 66,
  DeletePortalGroup = 67,
  Format = 101,
  CreateVDisk = 200,
  AttachVDisk = 201,
  CompactVDisk = 202,
  MergeVDisk = 203,
  ExpandVDisk = 204,
};

/// VDS_SUB_SYSTEM_STATUS (section 4). PartiallyManaged = degraded: some drives or controllers
/// failed.
enum class SubSystemStatus : std::int32_t {
  Unknown = 0,
  Online = 1,
  NotReady = 2,
  Offline = 4,
  Failed = 5,
  PartiallyManaged = 9,
};

/// VDS_CONTROLLER_STATUS (section 7). Offline raises VDS_NF_CONTROLLER_REMOVED, Removed
/// raises VDS_NF_CONTROLLER_DEPART.
enum class ControllerStatus : std::int32_t {
  Unknown = 0,
  Online = 1,
  NotReady = 2,
  Offline = 4,
  Failed = 5,
  Removed = 8,
};

/// VDS_PORT_STATUS (section 7).
enum class PortStatus : std::int32_t {
  Unknown = 0,
  Online = 1,
  NotReady = 2,
  Offline = 4,
  Failed = 5,
  Removed = 8,
};

/// VDS_PATH_STATUS (section 7).
enum class PathStatus : std::int32_t {
  Unknown = 0,
  Online = 1,
  Failed = 5,
  Standby = 7,
};

/// VDS_LOADBALANCE_POLICY_ENUM (section 7), the policies lunsim models.
enum class LoadBalancePolicy : std::int32_t {
  Unknown = 0,
  Failover = 1,
  RoundRobin = 2,
  DynLeastQueueDepth = 4,
};

/// VDS_OBJECT_TYPE (section 1). Async and Enum are reserved values.
enum class ObjectType : std::int32_t {
  Unknown = 0,
  Provider = 1,
  Pack = 10,
  Volume = 11,
  VolumePlex = 12,
  Disk = 13,
  SubSystem = 30,
  Controller = 31,
  Drive = 32,
  Lun = 33,
  LunPlex = 34,
  Port = 35,
  Portal = 36,
  Target = 37,
  PortalGroup = 38,
  StoragePool = 39,
  HbaPort = 90,
  InitAdapter = 91,
  InitPortal = 92,
  Async = 100,
  Enum = 101,
  VDisk = 200,
  OpenVDisk = 201,
};

/// Hardware VDS_NF_* events (section 9), the ulEvent of a VDS_NOTIFICATION (a ULONG).
/// *Removed = still present but offline; *Depart = gone (unplugged or deleted). There is no LUN
/// rebuild-progress event.
enum class NotificationEvent : std::uint32_t {
  SubSystemArrive = 101,
  SubSystemDepart = 102,
  ControllerArrive = 103,
  ControllerDepart = 104,
  DriveArrive = 105,
  DriveDepart = 106,
  DriveModify = 107,
  LunArrive = 108,
  LunDepart = 109,
  LunModify = 110,
  PortArrive = 121,
  PortDepart = 122,
  PortalArrive = 123,
  PortalDepart = 124,
  PortalModify = 125,
  TargetArrive = 126,
  TargetDepart = 127,
  TargetModify = 128,
  PortalGroupArrive = 129,
  PortalGroupDepart = 130,
  PortalGroupModify = 131,
  SubSystemModify = 151,
  ServiceOutOfSync = 301,
  ControllerModify = 350,
  ControllerRemoved = 351,
  PortModify = 352,
  PortRemoved = 353,
  DriveRemoved = 354,
  // lunsim's own rows, with no VDS counterpart (VDS has no notification for them):
  ComponentModify = 0x4C53'0001,  ///< a host port, fabric, enclosure or link went up or down
  PathModify = 0x4C53'0002,       ///< a LUN's path statuses changed (detail: counts and paths)
  DriveRebuild = 0x4C53'0003,     ///< a rebuild onto the drive began or ended (detail: rebuild=start|end lun=NAME)
};

const char* to_string(LunType v);
const char* to_string(DriveStatus v);
const char* to_string(LunStatus v);
const char* to_string(Health v);
const char* to_string(TransitionState v);
const char* to_string(AsyncOutputType v);
const char* to_string(SubSystemStatus v);
const char* to_string(ControllerStatus v);
const char* to_string(PortStatus v);
const char* to_string(PathStatus v);
const char* to_string(LoadBalancePolicy v);
const char* to_string(ObjectType v);
const char* to_string(NotificationEvent v);

std::ostream& operator<<(std::ostream& os, LunType v);
std::ostream& operator<<(std::ostream& os, DriveStatus v);
std::ostream& operator<<(std::ostream& os, LunStatus v);
std::ostream& operator<<(std::ostream& os, Health v);
std::ostream& operator<<(std::ostream& os, TransitionState v);
std::ostream& operator<<(std::ostream& os, AsyncOutputType v);
std::ostream& operator<<(std::ostream& os, SubSystemStatus v);
std::ostream& operator<<(std::ostream& os, ControllerStatus v);
std::ostream& operator<<(std::ostream& os, ObjectType v);
std::ostream& operator<<(std::ostream& os, NotificationEvent v);

/// VDS_DRIVE_FLAG bits of VDS_DRIVE_PROP::ulFlags (section 6). Only `hotspare` may be set or
/// cleared by a caller (IVdsDrive::SetFlags/ClearFlags); the others are provider-maintained.
namespace drive_flag {
inline constexpr std::uint32_t hotspare = 0x1;
inline constexpr std::uint32_t assigned = 0x2; // member of a RAID group/pool
inline constexpr std::uint32_t unassigned = 0x4;
inline constexpr std::uint32_t hotspare_in_use = 0x8;
inline constexpr std::uint32_t hotspare_standby = 0x10;
} // namespace drive_flag

/// VDS_SUB_SYSTEM_FLAG bits of VDS_SUB_SYSTEM_PROP::ulFlags (section 4). 0x100 is unassigned.
/// supports_fault_tolerant_luns together with supports_non_fault_tolerant_luns means the
/// subsystem accepts automagic LUN types.
namespace subsystem_flag {
inline constexpr std::uint32_t lun_masking_capable = 0x1;
inline constexpr std::uint32_t lun_plexing_capable = 0x2;
inline constexpr std::uint32_t lun_remapping_capable = 0x4;
inline constexpr std::uint32_t drive_extent_capable = 0x8; // else LUNs use whole drives only
inline constexpr std::uint32_t hardware_checksum_capable = 0x10;
inline constexpr std::uint32_t radius_capable = 0x20;
inline constexpr std::uint32_t read_back_verify_capable = 0x40;
inline constexpr std::uint32_t write_through_caching_capable = 0x80;
inline constexpr std::uint32_t supports_fault_tolerant_luns = 0x200;
inline constexpr std::uint32_t supports_non_fault_tolerant_luns = 0x400;
inline constexpr std::uint32_t supports_simple_luns = 0x800;
inline constexpr std::uint32_t supports_span_luns = 0x1000;
inline constexpr std::uint32_t supports_stripe_luns = 0x2000;
inline constexpr std::uint32_t supports_mirror_luns = 0x4000;
inline constexpr std::uint32_t supports_parity_luns = 0x8000;
inline constexpr std::uint32_t supports_auth_chap = 0x10000;
inline constexpr std::uint32_t supports_auth_mutual_chap = 0x20000;
inline constexpr std::uint32_t supports_simple_target_config = 0x40000;
inline constexpr std::uint32_t supports_lun_number = 0x80000;
inline constexpr std::uint32_t supports_mirrored_cache = 0x100000;
inline constexpr std::uint32_t read_caching_capable = 0x200000;
inline constexpr std::uint32_t write_caching_capable = 0x400000;
inline constexpr std::uint32_t media_scan_capable = 0x800000;
inline constexpr std::uint32_t consistency_check_capable = 0x1000000;
} // namespace subsystem_flag

/// Bounds of sRebuildPriority (0 = lowest). The docs say 0..15 while the header defines
/// VDS_REBUILD_PRIORITY_MAX as 16 (section 8); lunsim follows the docs.
inline constexpr short rebuild_priority_min = 0;
inline constexpr short rebuild_priority_max = 15;

} // namespace sim::provider
