#include "sim/provider/vds_types.hpp"

#include <algorithm>
#include <array>
#include <ostream>
#include <type_traits>

namespace sim::provider {

namespace {

template <class E> struct Named {
  E value;
  const char* name;
};

template <class E, std::size_t N> const char* find_name(const std::array<Named<E>, N>& table, E v) {
  for (const Named<E>& row : table) {
    if (row.value == v)
      return row.name;
  }
  return nullptr;
}

template <class E>
std::ostream& print(std::ostream& os, E v, const char* known, const char* vds_type) {
  if (known != nullptr)
    return os << known;
  const auto raw = static_cast<long long>(static_cast<std::underlying_type_t<E>>(v));
  return os << vds_type << '(' << raw << ')';
}

constexpr std::array lun_types{
    Named<LunType>{LunType::Unknown, "VDS_LT_UNKNOWN"},
    Named<LunType>{LunType::Default, "VDS_LT_DEFAULT"},
    Named<LunType>{LunType::FaultTolerant, "VDS_LT_FAULT_TOLERANT"},
    Named<LunType>{LunType::NonFaultTolerant, "VDS_LT_NON_FAULT_TOLERANT"},
    Named<LunType>{LunType::Simple, "VDS_LT_SIMPLE"},
    Named<LunType>{LunType::Span, "VDS_LT_SPAN"},
    Named<LunType>{LunType::Stripe, "VDS_LT_STRIPE"},
    Named<LunType>{LunType::Mirror, "VDS_LT_MIRROR"},
    Named<LunType>{LunType::Parity, "VDS_LT_PARITY"},
    Named<LunType>{LunType::Raid2, "VDS_LT_RAID2"},
    Named<LunType>{LunType::Raid3, "VDS_LT_RAID3"},
    Named<LunType>{LunType::Raid4, "VDS_LT_RAID4"},
    Named<LunType>{LunType::Raid5, "VDS_LT_RAID5"},
    Named<LunType>{LunType::Raid6, "VDS_LT_RAID6"},
    Named<LunType>{LunType::Raid01, "VDS_LT_RAID01"},
    Named<LunType>{LunType::Raid03, "VDS_LT_RAID03"},
    Named<LunType>{LunType::Raid05, "VDS_LT_RAID05"},
    Named<LunType>{LunType::Raid10, "VDS_LT_RAID10"},
    Named<LunType>{LunType::Raid15, "VDS_LT_RAID15"},
    Named<LunType>{LunType::Raid30, "VDS_LT_RAID30"},
    Named<LunType>{LunType::Raid50, "VDS_LT_RAID50"},
    Named<LunType>{LunType::Raid51, "VDS_LT_RAID51"},
    Named<LunType>{LunType::Raid53, "VDS_LT_RAID53"},
    Named<LunType>{LunType::Raid60, "VDS_LT_RAID60"},
    Named<LunType>{LunType::Raid61, "VDS_LT_RAID61"},
};

constexpr std::array short_name_table{
    Named<LunType>{LunType::Default, "default"},
    Named<LunType>{LunType::FaultTolerant, "fault_tolerant"},
    Named<LunType>{LunType::NonFaultTolerant, "non_fault_tolerant"},
    Named<LunType>{LunType::Simple, "simple"},
    Named<LunType>{LunType::Span, "span"},
    Named<LunType>{LunType::Stripe, "stripe"},
    Named<LunType>{LunType::Stripe, "raid0"},
    Named<LunType>{LunType::Mirror, "mirror"},
    Named<LunType>{LunType::Mirror, "raid1"},
    Named<LunType>{LunType::Parity, "parity"},
    Named<LunType>{LunType::Raid2, "raid2"},
    Named<LunType>{LunType::Raid3, "raid3"},
    Named<LunType>{LunType::Raid4, "raid4"},
    Named<LunType>{LunType::Raid5, "raid5"},
    Named<LunType>{LunType::Raid6, "raid6"},
    Named<LunType>{LunType::Raid01, "raid01"},
    Named<LunType>{LunType::Raid03, "raid03"},
    Named<LunType>{LunType::Raid05, "raid05"},
    Named<LunType>{LunType::Raid10, "raid10"},
    Named<LunType>{LunType::Raid15, "raid15"},
    Named<LunType>{LunType::Raid30, "raid30"},
    Named<LunType>{LunType::Raid50, "raid50"},
    Named<LunType>{LunType::Raid51, "raid51"},
    Named<LunType>{LunType::Raid53, "raid53"},
    Named<LunType>{LunType::Raid60, "raid60"},
    Named<LunType>{LunType::Raid61, "raid61"},
};

constexpr std::array drive_statuses{
    Named<DriveStatus>{DriveStatus::Unknown, "VDS_DRS_UNKNOWN"},
    Named<DriveStatus>{DriveStatus::Online, "VDS_DRS_ONLINE"},
    Named<DriveStatus>{DriveStatus::NotReady, "VDS_DRS_NOT_READY"},
    Named<DriveStatus>{DriveStatus::Offline, "VDS_DRS_OFFLINE"},
    Named<DriveStatus>{DriveStatus::Failed, "VDS_DRS_FAILED"},
    Named<DriveStatus>{DriveStatus::Removed, "VDS_DRS_REMOVED"},
};

constexpr std::array lun_statuses{
    Named<LunStatus>{LunStatus::Unknown, "VDS_LS_UNKNOWN"},
    Named<LunStatus>{LunStatus::Online, "VDS_LS_ONLINE"},
    Named<LunStatus>{LunStatus::NotReady, "VDS_LS_NOT_READY"},
    Named<LunStatus>{LunStatus::Offline, "VDS_LS_OFFLINE"},
    Named<LunStatus>{LunStatus::Failed, "VDS_LS_FAILED"},
};

constexpr std::array healths{
    Named<Health>{Health::Unknown, "VDS_H_UNKNOWN"},
    Named<Health>{Health::Healthy, "VDS_H_HEALTHY"},
    Named<Health>{Health::Rebuilding, "VDS_H_REBUILDING"},
    Named<Health>{Health::Stale, "VDS_H_STALE"},
    Named<Health>{Health::Failing, "VDS_H_FAILING"},
    Named<Health>{Health::FailingRedundancy, "VDS_H_FAILING_REDUNDANCY"},
    Named<Health>{Health::FailedRedundancy, "VDS_H_FAILED_REDUNDANCY"},
    Named<Health>{Health::FailedRedundancyFailing, "VDS_H_FAILED_REDUNDANCY_FAILING"},
    Named<Health>{Health::Failed, "VDS_H_FAILED"},
    Named<Health>{Health::Replaced, "VDS_H_REPLACED"},
    Named<Health>{Health::PendingFailure, "VDS_H_PENDING_FAILURE"},
    Named<Health>{Health::Degraded, "VDS_H_DEGRADED"},
};

constexpr std::array transition_states{
    Named<TransitionState>{TransitionState::Unknown, "VDS_TS_UNKNOWN"},
    Named<TransitionState>{TransitionState::Stable, "VDS_TS_STABLE"},
    Named<TransitionState>{TransitionState::Extending, "VDS_TS_EXTENDING"},
    Named<TransitionState>{TransitionState::Shrinking, "VDS_TS_SHRINKING"},
    Named<TransitionState>{TransitionState::Reconfiging, "VDS_TS_RECONFIGING"},
    Named<TransitionState>{TransitionState::Restriping, "VDS_TS_RESTRIPING"},
};

constexpr std::array async_output_types{
    Named<AsyncOutputType>{AsyncOutputType::Unknown, "VDS_ASYNCOUT_UNKNOWN"},
    Named<AsyncOutputType>{AsyncOutputType::CreateVolume, "VDS_ASYNCOUT_CREATEVOLUME"},
    Named<AsyncOutputType>{AsyncOutputType::ExtendVolume, "VDS_ASYNCOUT_EXTENDVOLUME"},
    Named<AsyncOutputType>{AsyncOutputType::ShrinkVolume, "VDS_ASYNCOUT_SHRINKVOLUME"},
    Named<AsyncOutputType>{AsyncOutputType::AddVolumePlex, "VDS_ASYNCOUT_ADDVOLUMEPLEX"},
    Named<AsyncOutputType>{AsyncOutputType::BreakVolumePlex, "VDS_ASYNCOUT_BREAKVOLUMEPLEX"},
    Named<AsyncOutputType>{AsyncOutputType::RemoveVolumePlex, "VDS_ASYNCOUT_REMOVEVOLUMEPLEX"},
    Named<AsyncOutputType>{AsyncOutputType::RepairVolumePlex, "VDS_ASYNCOUT_REPAIRVOLUMEPLEX"},
    Named<AsyncOutputType>{AsyncOutputType::RecoverPack, "VDS_ASYNCOUT_RECOVERPACK"},
    Named<AsyncOutputType>{AsyncOutputType::ReplaceDisk, "VDS_ASYNCOUT_REPLACEDISK"},
    Named<AsyncOutputType>{AsyncOutputType::CreatePartition, "VDS_ASYNCOUT_CREATEPARTITION"},
    Named<AsyncOutputType>{AsyncOutputType::Clean, "VDS_ASYNCOUT_CLEAN"},
    Named<AsyncOutputType>{AsyncOutputType::CreateLun, "VDS_ASYNCOUT_CREATELUN"},
    Named<AsyncOutputType>{AsyncOutputType::AddLunPlex, "VDS_ASYNCOUT_ADDLUNPLEX"},
    Named<AsyncOutputType>{AsyncOutputType::RemoveLunPlex, "VDS_ASYNCOUT_REMOVELUNPLEX"},
    Named<AsyncOutputType>{AsyncOutputType::ExtendLun, "VDS_ASYNCOUT_EXTENDLUN"},
    Named<AsyncOutputType>{AsyncOutputType::ShrinkLun, "VDS_ASYNCOUT_SHRINKLUN"},
    Named<AsyncOutputType>{AsyncOutputType::RecoverLun, "VDS_ASYNCOUT_RECOVERLUN"},
    Named<AsyncOutputType>{AsyncOutputType::LoginToTarget, "VDS_ASYNCOUT_LOGINTOTARGET"},
    Named<AsyncOutputType>{AsyncOutputType::LogoutFromTarget, "VDS_ASYNCOUT_LOGOUTFROMTARGET"},
    Named<AsyncOutputType>{AsyncOutputType::CreateTarget, "VDS_ASYNCOUT_CREATETARGET"},
    Named<AsyncOutputType>{AsyncOutputType::CreatePortalGroup, "VDS_ASYNCOUT_CREATEPORTALGROUP"},
    Named<AsyncOutputType>{AsyncOutputType::DeleteTarget, "VDS_ASYNCOUT_DELETETARGET"},
    Named<AsyncOutputType>{AsyncOutputType::AddPortal, "VDS_ASYNCOUT_ADDPORTAL"},
    Named<AsyncOutputType>{AsyncOutputType::RemovePortal, "VDS_ASYNCOUT_REMOVEPORTAL"},
    Named<AsyncOutputType>{AsyncOutputType::DeletePortalGroup, "VDS_ASYNCOUT_DELETEPORTALGROUP"},
    Named<AsyncOutputType>{AsyncOutputType::Format, "VDS_ASYNCOUT_FORMAT"},
    Named<AsyncOutputType>{AsyncOutputType::CreateVDisk, "VDS_ASYNCOUT_CREATE_VDISK"},
    Named<AsyncOutputType>{AsyncOutputType::AttachVDisk, "VDS_ASYNCOUT_ATTACH_VDISK"},
    Named<AsyncOutputType>{AsyncOutputType::CompactVDisk, "VDS_ASYNCOUT_COMPACT_VDISK"},
    Named<AsyncOutputType>{AsyncOutputType::MergeVDisk, "VDS_ASYNCOUT_MERGE_VDISK"},
    Named<AsyncOutputType>{AsyncOutputType::ExpandVDisk, "VDS_ASYNCOUT_EXPAND_VDISK"},
};

constexpr std::array subsystem_statuses{
    Named<SubSystemStatus>{SubSystemStatus::Unknown, "VDS_SSS_UNKNOWN"},
    Named<SubSystemStatus>{SubSystemStatus::Online, "VDS_SSS_ONLINE"},
    Named<SubSystemStatus>{SubSystemStatus::NotReady, "VDS_SSS_NOT_READY"},
    Named<SubSystemStatus>{SubSystemStatus::Offline, "VDS_SSS_OFFLINE"},
    Named<SubSystemStatus>{SubSystemStatus::Failed, "VDS_SSS_FAILED"},
    Named<SubSystemStatus>{SubSystemStatus::PartiallyManaged, "VDS_SSS_PARTIALLY_MANAGED"},
};

constexpr std::array port_statuses{
    Named<PortStatus>{PortStatus::Unknown, "VDS_PRS_UNKNOWN"},
    Named<PortStatus>{PortStatus::Online, "VDS_PRS_ONLINE"},
    Named<PortStatus>{PortStatus::NotReady, "VDS_PRS_NOT_READY"},
    Named<PortStatus>{PortStatus::Offline, "VDS_PRS_OFFLINE"},
    Named<PortStatus>{PortStatus::Failed, "VDS_PRS_FAILED"},
    Named<PortStatus>{PortStatus::Removed, "VDS_PRS_REMOVED"},
};

constexpr std::array path_statuses{
    Named<PathStatus>{PathStatus::Unknown, "VDS_MPS_UNKNOWN"},
    Named<PathStatus>{PathStatus::Online, "VDS_MPS_ONLINE"},
    Named<PathStatus>{PathStatus::Failed, "VDS_MPS_FAILED"},
    Named<PathStatus>{PathStatus::Standby, "VDS_MPS_STANDBY"},
};

constexpr std::array load_balance_policies{
    Named<LoadBalancePolicy>{LoadBalancePolicy::Unknown, "VDS_LBP_UNKNOWN"},
    Named<LoadBalancePolicy>{LoadBalancePolicy::Failover, "VDS_LBP_FAILOVER"},
    Named<LoadBalancePolicy>{LoadBalancePolicy::RoundRobin, "VDS_LBP_ROUND_ROBIN"},
    Named<LoadBalancePolicy>{LoadBalancePolicy::DynLeastQueueDepth, "VDS_LBP_DYN_LEAST_QUEUE_DEPTH"},
};

constexpr std::array controller_statuses{
    Named<ControllerStatus>{ControllerStatus::Unknown, "VDS_CS_UNKNOWN"},
    Named<ControllerStatus>{ControllerStatus::Online, "VDS_CS_ONLINE"},
    Named<ControllerStatus>{ControllerStatus::NotReady, "VDS_CS_NOT_READY"},
    Named<ControllerStatus>{ControllerStatus::Offline, "VDS_CS_OFFLINE"},
    Named<ControllerStatus>{ControllerStatus::Failed, "VDS_CS_FAILED"},
    Named<ControllerStatus>{ControllerStatus::Removed, "VDS_CS_REMOVED"},
};

constexpr std::array object_types{
    Named<ObjectType>{ObjectType::Unknown, "VDS_OT_UNKNOWN"},
    Named<ObjectType>{ObjectType::Provider, "VDS_OT_PROVIDER"},
    Named<ObjectType>{ObjectType::Pack, "VDS_OT_PACK"},
    Named<ObjectType>{ObjectType::Volume, "VDS_OT_VOLUME"},
    Named<ObjectType>{ObjectType::VolumePlex, "VDS_OT_VOLUME_PLEX"},
    Named<ObjectType>{ObjectType::Disk, "VDS_OT_DISK"},
    Named<ObjectType>{ObjectType::SubSystem, "VDS_OT_SUB_SYSTEM"},
    Named<ObjectType>{ObjectType::Controller, "VDS_OT_CONTROLLER"},
    Named<ObjectType>{ObjectType::Drive, "VDS_OT_DRIVE"},
    Named<ObjectType>{ObjectType::Lun, "VDS_OT_LUN"},
    Named<ObjectType>{ObjectType::LunPlex, "VDS_OT_LUN_PLEX"},
    Named<ObjectType>{ObjectType::Port, "VDS_OT_PORT"},
    Named<ObjectType>{ObjectType::Portal, "VDS_OT_PORTAL"},
    Named<ObjectType>{ObjectType::Target, "VDS_OT_TARGET"},
    Named<ObjectType>{ObjectType::PortalGroup, "VDS_OT_PORTAL_GROUP"},
    Named<ObjectType>{ObjectType::StoragePool, "VDS_OT_STORAGE_POOL"},
    Named<ObjectType>{ObjectType::HbaPort, "VDS_OT_HBAPORT"},
    Named<ObjectType>{ObjectType::InitAdapter, "VDS_OT_INIT_ADAPTER"},
    Named<ObjectType>{ObjectType::InitPortal, "VDS_OT_INIT_PORTAL"},
    Named<ObjectType>{ObjectType::Async, "VDS_OT_ASYNC"},
    Named<ObjectType>{ObjectType::Enum, "VDS_OT_ENUM"},
    Named<ObjectType>{ObjectType::VDisk, "VDS_OT_VDISK"},
    Named<ObjectType>{ObjectType::OpenVDisk, "VDS_OT_OPEN_VDISK"},
};

constexpr std::array notification_events{
    Named<NotificationEvent>{NotificationEvent::SubSystemArrive, "VDS_NF_SUB_SYSTEM_ARRIVE"},
    Named<NotificationEvent>{NotificationEvent::SubSystemDepart, "VDS_NF_SUB_SYSTEM_DEPART"},
    Named<NotificationEvent>{NotificationEvent::ControllerArrive, "VDS_NF_CONTROLLER_ARRIVE"},
    Named<NotificationEvent>{NotificationEvent::ControllerDepart, "VDS_NF_CONTROLLER_DEPART"},
    Named<NotificationEvent>{NotificationEvent::DriveArrive, "VDS_NF_DRIVE_ARRIVE"},
    Named<NotificationEvent>{NotificationEvent::DriveDepart, "VDS_NF_DRIVE_DEPART"},
    Named<NotificationEvent>{NotificationEvent::DriveModify, "VDS_NF_DRIVE_MODIFY"},
    Named<NotificationEvent>{NotificationEvent::LunArrive, "VDS_NF_LUN_ARRIVE"},
    Named<NotificationEvent>{NotificationEvent::LunDepart, "VDS_NF_LUN_DEPART"},
    Named<NotificationEvent>{NotificationEvent::LunModify, "VDS_NF_LUN_MODIFY"},
    Named<NotificationEvent>{NotificationEvent::PortArrive, "VDS_NF_PORT_ARRIVE"},
    Named<NotificationEvent>{NotificationEvent::PortDepart, "VDS_NF_PORT_DEPART"},
    Named<NotificationEvent>{NotificationEvent::PortalArrive, "VDS_NF_PORTAL_ARRIVE"},
    Named<NotificationEvent>{NotificationEvent::PortalDepart, "VDS_NF_PORTAL_DEPART"},
    Named<NotificationEvent>{NotificationEvent::PortalModify, "VDS_NF_PORTAL_MODIFY"},
    Named<NotificationEvent>{NotificationEvent::TargetArrive, "VDS_NF_TARGET_ARRIVE"},
    Named<NotificationEvent>{NotificationEvent::TargetDepart, "VDS_NF_TARGET_DEPART"},
    Named<NotificationEvent>{NotificationEvent::TargetModify, "VDS_NF_TARGET_MODIFY"},
    Named<NotificationEvent>{NotificationEvent::PortalGroupArrive, "VDS_NF_PORTAL_GROUP_ARRIVE"},
    Named<NotificationEvent>{NotificationEvent::PortalGroupDepart, "VDS_NF_PORTAL_GROUP_DEPART"},
    Named<NotificationEvent>{NotificationEvent::PortalGroupModify, "VDS_NF_PORTAL_GROUP_MODIFY"},
    Named<NotificationEvent>{NotificationEvent::SubSystemModify, "VDS_NF_SUB_SYSTEM_MODIFY"},
    Named<NotificationEvent>{NotificationEvent::ServiceOutOfSync, "VDS_NF_SERVICE_OUT_OF_SYNC"},
    Named<NotificationEvent>{NotificationEvent::ControllerModify, "VDS_NF_CONTROLLER_MODIFY"},
    Named<NotificationEvent>{NotificationEvent::ControllerRemoved, "VDS_NF_CONTROLLER_REMOVED"},
    Named<NotificationEvent>{NotificationEvent::PortModify, "VDS_NF_PORT_MODIFY"},
    Named<NotificationEvent>{NotificationEvent::PortRemoved, "VDS_NF_PORT_REMOVED"},
    Named<NotificationEvent>{NotificationEvent::DriveRemoved, "VDS_NF_DRIVE_REMOVED"},
    Named<NotificationEvent>{NotificationEvent::ComponentModify, "LUNSIM_NF_COMPONENT_MODIFY"},
    Named<NotificationEvent>{NotificationEvent::PathModify, "LUNSIM_NF_PATH_MODIFY"},
    Named<NotificationEvent>{NotificationEvent::DriveRebuild, "LUNSIM_NF_DRIVE_REBUILD"},
};

} // namespace

bool is_valid_lun_type(std::int32_t value) {
  for (const Named<LunType>& row : lun_types) {
    if (static_cast<std::int32_t>(row.value) == value)
      return true;
  }
  return false;
}

std::optional<LunType> parse_lun_type(std::string_view text) {
  for (const Named<LunType>& row : short_name_table) {
    if (text == row.name)
      return row.value;
  }
  for (const Named<LunType>& row : lun_types) {
    if (text == row.name)
      return row.value;
  }
  return std::nullopt;
}

std::optional<storage::RaidLevel> raid_level(LunType t) {
  switch (t) {
    case LunType::Simple: return storage::RaidLevel::Simple;
    case LunType::Span: return storage::RaidLevel::Span;
    case LunType::Stripe: return storage::RaidLevel::Stripe;
    case LunType::Mirror: return storage::RaidLevel::Mirror;
    case LunType::Parity:
    case LunType::Raid5: return storage::RaidLevel::Raid5;
    case LunType::Raid6: return storage::RaidLevel::Raid6;
    case LunType::Raid10: return storage::RaidLevel::Raid10;
    default: return std::nullopt;
  }
}

std::vector<std::string> lun_type_short_names() {
  std::vector<std::string> out;
  for (const Named<LunType>& row : short_name_table) out.emplace_back(row.name);
  return out;
}

std::string modelled_lun_types() {
  std::string out;
  std::vector<LunType> seen;
  for (const Named<LunType>& row : short_name_table) {
    if (!raid_level(row.value) || std::find(seen.begin(), seen.end(), row.value) != seen.end()) continue;
    seen.push_back(row.value);
    if (!out.empty()) out += ", ";
    out += row.name;
  }
  return out;
}

const char* to_string(LunType v) { return find_name(lun_types, v); }
const char* to_string(DriveStatus v) { return find_name(drive_statuses, v); }
const char* to_string(LunStatus v) { return find_name(lun_statuses, v); }
const char* to_string(Health v) { return find_name(healths, v); }
const char* to_string(TransitionState v) { return find_name(transition_states, v); }
const char* to_string(AsyncOutputType v) { return find_name(async_output_types, v); }
const char* to_string(SubSystemStatus v) { return find_name(subsystem_statuses, v); }
const char* to_string(ControllerStatus v) { return find_name(controller_statuses, v); }
const char* to_string(PortStatus v) { return find_name(port_statuses, v); }
const char* to_string(PathStatus v) { return find_name(path_statuses, v); }
const char* to_string(LoadBalancePolicy v) { return find_name(load_balance_policies, v); }
const char* to_string(ObjectType v) { return find_name(object_types, v); }
const char* to_string(NotificationEvent v) { return find_name(notification_events, v); }

std::ostream& operator<<(std::ostream& os, LunType v) {
  return print(os, v, to_string(v), "VDS_LUN_TYPE");
}
std::ostream& operator<<(std::ostream& os, DriveStatus v) {
  return print(os, v, to_string(v), "VDS_DRIVE_STATUS");
}
std::ostream& operator<<(std::ostream& os, LunStatus v) {
  return print(os, v, to_string(v), "VDS_LUN_STATUS");
}
std::ostream& operator<<(std::ostream& os, Health v) {
  return print(os, v, to_string(v), "VDS_HEALTH");
}
std::ostream& operator<<(std::ostream& os, TransitionState v) {
  return print(os, v, to_string(v), "VDS_TRANSITION_STATE");
}
std::ostream& operator<<(std::ostream& os, AsyncOutputType v) {
  return print(os, v, to_string(v), "VDS_ASYNC_OUTPUT_TYPE");
}
std::ostream& operator<<(std::ostream& os, SubSystemStatus v) {
  return print(os, v, to_string(v), "VDS_SUB_SYSTEM_STATUS");
}
std::ostream& operator<<(std::ostream& os, ControllerStatus v) {
  return print(os, v, to_string(v), "VDS_CONTROLLER_STATUS");
}
std::ostream& operator<<(std::ostream& os, ObjectType v) {
  return print(os, v, to_string(v), "VDS_OBJECT_TYPE");
}
std::ostream& operator<<(std::ostream& os, NotificationEvent v) {
  return print(os, v, to_string(v), "VDS_NF");
}

} // namespace sim::provider
