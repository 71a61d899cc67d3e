// IVdsSubSystem: lunsim's VDS face over one storage::Array.
//
// The subsystem is the facade: VDS objects (DriveObject, LunObject, ControllerObject, each in a
// file of its name), HRESULTs, async handles, notifications; the provisioning jobs run in its
// JobRunner (jobs.hpp) and errant-provider faults act at the named points of FaultPoints
// (fault_points.hpp). Failure and repair are the Array's (sim/storage/array.hpp): the
// subsystem turns what it hears from the array into VDS notifications and statuses, and fails
// the jobs writing to a drive that fails or goes offline.
//
// Synchronous calls take no simulated time. They validate their arguments and return VDS
// HRESULTs with no handle: E_INVALIDARG (invalid values: an unknown LUN type value, size 0,
// a drive twice, RAID-10 with an odd count, Simple with several drives), VDS_E_NOT_SUPPORTED
// (a valid LUN type lunsim does not model, automagic types included), VDS_E_OBJECT_NOT_FOUND
// (an unknown drive id), VDS_E_NOT_ENOUGH_DRIVE (fewer usable drives than the type needs),
// VDS_E_NOT_ENOUGH_SPACE, VDS_E_OBJECT_STATUS_FAILED (a failed drive), VDS_E_DEVICE_IN_USE (a hot
// spare named for normal binding), VDS_E_OBJECT_DELETED (a call on a deleted LUN),
// VDS_E_ANOTHER_CALL_IN_PROGRESS (a configuration job already runs on the LUN).
//
// Asynchronous calls (create_lun, LunObject::extend, shrink, recover) return an AsyncHandle (one
// reference, the caller's); jobs.hpp gives their time model. A LUN being created is NOT_READY
// and becomes ONLINE when its job succeeds; its transition state is EXTENDING/SHRINKING while
// those run.
//
// Drive selection: an explicit list is used in order (as VDS does; Span fills each drive before
// the next); with no list the provider picks hints.maximum_drive_count drives (or the type's
// minimum) under the subsystem's placement policy (storage::DriveIndex).
//
// Statuses from the array's conditions (LUN_MODIFY "status=... health=..."):
//   Healthy ONLINE/HEALTHY, Degraded ONLINE/FAILED_REDUNDANCY, Rebuilding ONLINE/REBUILDING,
//   Unavailable OFFLINE/FAILED_REDUNDANCY, Lost FAILED/FAILED.
// Controllers: each LUN has one active controller, chosen at creation among online controllers
// (fewest LUNs owned, then lowest index); the Fabric moves it on fail-over, AssociateControllers
// by hand.
#pragma once

#include "sim/base/size.hpp"
#include "sim/engine/distribution.hpp"
#include "sim/engine/random.hpp"
#include "sim/engine/simulation.hpp"
#include "sim/provider/async.hpp"
#include "sim/provider/controller_object.hpp"
#include "sim/provider/drive_object.hpp"
#include "sim/provider/fault_points.hpp"
#include "sim/provider/faults.hpp"
#include "sim/provider/jobs.hpp"
#include "sim/provider/ledger.hpp"
#include "sim/provider/lun_object.hpp"
#include "sim/provider/notification.hpp"
#include "sim/provider/object.hpp"
#include "sim/storage/array.hpp"
#include "sim/storage/placement.hpp"

#include <cstdint>
#include <deque>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sim::provider {

class Fabric;  // sim/provider/fabric.hpp

/// The HRESULT of a layout the array cannot make: VDS_E_NOT_ENOUGH_DRIVE (too few members),
/// VDS_E_NOT_ENOUGH_SPACE (too large), E_INVALIDARG otherwise.
HResult to_hresult(storage::GeometryError e);

/// VDS_HINTS, the fields lunsim acts on (hints are requests, never binding).
struct Hints {
  std::uint32_t maximum_drive_count = 0;  ///< 0: no preference (the type's minimum)
  std::uint32_t stripe_size = 0;          ///< bytes; 0: default 64 KiB
  std::int16_t rebuild_priority = 0;      ///< 0..15
  bool most_reads = false;
  bool optimize_sequential_reads = false;
  bool optimize_sequential_writes = false;
};

struct SubSystemProp {
  ObjectId id;
  std::string friendly_name;
  std::string identification;
  std::uint32_t flags = 0;
  std::uint32_t stripe_size_flags = 0;
  SubSystemStatus status = SubSystemStatus::Online;
  Health health = Health::Healthy;
  std::int16_t internal_buses = 0;
  std::int16_t max_slots_each_bus = 0;
  std::int16_t max_controllers = 0;
  std::int16_t rebuild_priority = 0;
};

struct SubsystemConfig {
  std::string name = "subsystem";
  engine::Distribution management_latency;  ///< per asynchronous call
  std::uint8_t provisioning_priority = 0;   ///< background share of initialisation, 0..15
  base::Bytes chunk_size{64ULL << 20};      ///< background transfer unit
  bool initialize = true;                   ///< false: `init: none` (thin, no writing)
  std::int16_t controllers = 2;
  std::int16_t ports_per_controller = 2;    ///< controller ports (one per fabric by default)
  storage::Placement placement = storage::Placement::Balanced;
};

class Subsystem final : public VdsObject, private storage::ArrayEvents {
public:
  /// Drives are added with add_drive() before the run; the subsystem owns them (in its array).
  Subsystem(engine::Simulation& sim, Ledger& ledger, SubsystemConfig config);
  ~Subsystem() override;
  bool implements(Interface iid) const override { return iid == Interface::SubSystem; }

  /// Back to the state right after the drives were added, for a new replication after
  /// Simulation::reset(): every LUN, handle and job forgotten; the array reset (drives new under
  /// their first names, empty, not spares, laws cleared); controllers online; random streams
  /// derived anew. The configuration, repair settings, sink and fault plan stay. (The Ledger is
  /// reset by its owner.)
  void reset();

  /// Adds a drive of `model` (which must outlive the subsystem) named `name` in enclosure `bus`.
  DriveObject& add_drive(std::string name, const storage::DriveModel& model, std::int16_t bus = 0);
  void set_sink(NotificationSink* sink) { sink_ = sink; }
  /// Makes the subsystem errant (not owned; shared with the Provider). Null: a correct provider.
  void set_faults(FaultPlan* plan) { faults_.set_plan(plan); }
  FaultPlan* faults() const { return faults_.plan(); }
  /// Tags LUNs created from now on (and the faults that fire, through the plan) with `caller`,
  /// e.g. the scenario operation whose client is about to call; 0 for none.
  void set_caller(std::uint32_t caller) {
    caller_ = caller;
    faults_.set_caller(caller);
  }

  // -- IVdsSubSystem --
  HResult get_properties(SubSystemProp* out) const;
  /// IVdsSubSystem::Reenumerate: rescans the drives (no simulated effect); the first half of the
  /// recovery from VDS_E_PROVIDER_CACHE_CORRUPT (then Provider::refresh).
  HResult reenumerate();
  /// IVdsSubSystem::CreateLun. `drives` may be empty (the provider picks); see the header.
  HResult create_lun(std::int32_t type, base::Bytes size, std::span<const ObjectId> drives, const Hints* hints,
                     AsyncHandle** out, const Holder& caller);
  HResult query_max_lun_create_size(std::int32_t type, std::span<const ObjectId> drives, const Hints* hints,
                                    base::Bytes* out) const;
  /// Every LUN not deleted, in creation order, each with a reference for `caller`.
  HResult query_luns(std::vector<LunObject*>* out, const Holder& caller);
  /// Every drive, in order of addition, each with a reference for `caller`.
  HResult query_drives(std::vector<DriveObject*>* out, const Holder& caller);
  /// IVdsSubSystem::QueryControllers: each with a reference for `caller`.
  HResult query_controllers(std::vector<ControllerObject*>* out, const Holder& caller);

  // -- model access (not VDS) --
  engine::Simulation& simulation() const { return *sim_; }
  const SubsystemConfig& config() const { return config_; }
  void set_placement(storage::Placement p) { config_.placement = p; }
  /// The drives, LUN layouts, failures and repair under this subsystem.
  storage::Array& array() { return array_; }
  const storage::Array& array() const { return array_; }
  const storage::ReliabilityStats& reliability() const { return array_.stats(); }
  std::size_t drive_count() const { return drive_objects_.size(); }
  DriveObject& drive(std::size_t i) { return *drive_objects_[i]; }
  DriveObject* find_drive(const ObjectId& id);
  DriveObject* find_drive(std::string_view name);
  /// The name of the slot `drive` is in: its first drive's name (replacements are "NAME#k").
  const std::string& first_name(const DriveObject& drive) const { return array_.first_name(drive.slot()); }
  /// Every LUN object ever created (deleted ones too), in creation order.
  const std::deque<std::unique_ptr<LunObject>>& luns() const { return luns_; }
  /// Async handles created so far.
  const std::deque<std::unique_ptr<AsyncHandle>>& handles() const { return handles_; }
  /// Controllers in index order (config().controllers of them).
  const std::vector<std::unique_ptr<ControllerObject>>& controllers() const { return controllers_.all(); }

  /// The model changes a controller's status (CONTROLLER_MODIFY; Offline: CONTROLLER_REMOVED).
  /// Moving LUNs off a failed controller is the Fabric's (it knows the paths and the delay).
  void set_controller_status(std::int16_t index, ControllerStatus status);
  void set_port_status(std::int16_t controller, std::int16_t port, PortStatus status);
  /// Makes controller `index` the LUN's owner now (fail-over, AssociateControllers).
  void set_active_controller(LunObject& lun, std::int16_t index);
  /// The Fabric told of ownership changes and new LUNs (not owned; null: none).
  void set_fabric(Fabric* f) { fabric_ = f; }

  // -- for the provider's own objects (LunObject, DriveObject, the JobRunner, FaultPoints) --
  /// Sends a notification about `o` now (no effect without a sink).
  void notify(NotificationEvent e, const VdsObject& o, const base::EventDetail& detail);
  /// DRIVE_MODIFY "flags=..." for the drive's hot-spare flag now; `taken_for`: the failed drive
  /// whose members a spare was taken for.
  void notify_flags(const DriveObject& drive, const storage::Drive* taken_for);
  /// A new handle named "<n>:<what>" with one reference for `caller`.
  AsyncHandle& new_handle(AsyncOutputType type, std::string what, const Holder& caller);
  /// A draw from the management-latency law.
  base::Duration management_latency() { return config_.management_latency.sample(latency_rng_); }
  /// A new LUN object number (1, 2, ...) and object, tagged with the current caller.
  LunObject& new_lun_object(LunType type);
  ControllerSet& controller_set() { return controllers_; }
  JobRunner& jobs() { return jobs_; }
  FaultPoints& fault_points() { return faults_; }
  Fabric* fabric() const { return fabric_; }
  /// The LUN object of an array LUN.
  LunObject& lun_of(const storage::Lun& lun) const { return *luns_[lun.id() - 1]; }

private:
  HResult select_drives(storage::RaidLevel level, std::uint32_t count, std::span<const ObjectId> ids,
                        std::vector<storage::Drive*>* out) const;

  // storage::ArrayEvents
  void drive_failed(std::uint32_t slot) override;
  void drive_offline(std::uint32_t slot) override;
  void drive_online(std::uint32_t slot) override;
  void spare_added(std::uint32_t slot) override;
  void spare_taken(std::uint32_t slot, std::uint32_t failed) override;
  void drive_leaving(std::uint32_t slot) override;
  void drive_replaced(std::uint32_t slot, const std::string& predecessor) override;
  void rebuild_started(storage::Lun& lun, std::uint32_t member, storage::Drive& target) override;
  void rebuild_ended(storage::Lun& lun, std::uint32_t member, storage::Drive& target) override;
  void condition(storage::Lun& lun, storage::LunCondition c) override;
  void sectors_lost(storage::Lun& lun, std::uint64_t sectors) override;
  void restored(storage::Lun& lun) override;
  void recovery_finished(storage::Lun& lun, storage::RecoveryResult r) override;
  bool enclosure_reachable(std::int16_t enclosure) const override;

  engine::Simulation* sim_;
  SubsystemConfig config_;
  storage::Array array_;
  ControllerSet controllers_;
  Fabric* fabric_ = nullptr;
  engine::RandomStream latency_rng_;
  std::vector<std::unique_ptr<DriveObject>> drive_objects_;
  std::deque<std::unique_ptr<LunObject>> luns_;
  std::deque<std::unique_ptr<AsyncHandle>> handles_;
  JobRunner jobs_;
  FaultPoints faults_;
  NotificationSink* sink_ = nullptr;
  std::uint32_t caller_ = 0;
};

} // namespace sim::provider
