// The VDS-style subsystem: lunsim's IVdsSubSystem, IVdsDrive and IVdsLun over the storage model.
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
// Asynchronous calls (create_lun, LunObject::extend, LunObject::shrink) reserve space at once
// and return an AsyncHandle (one reference, the caller's). Their time model, exact with idle
// drives and constant latencies:
//   management latency (a draw from the subsystem's law), then every new member extent is
//   written (initialised) through its drive's background class in chunks (default 64 MiB, one
//   chunk outstanding per drive per job, priority = the subsystem's provisioning priority), so
//   jobs and foreground I/O contend for the same drives. `init: none` skips the writing (thin).
//   1 TB RAID-5 on 6 drives at 200 MB/s with 100 ms latency: 100 ms + 2e11 B / 2e8 B/s = 1000.1 s.
// Percent follows the bytes written (0 during the management latency). create_lun and extend
// cancel by rolling back (extents freed; VDS_E_OPERATION_CANCELED, percent 0); shrink cannot
// be cancelled (VDS_E_NOT_SUPPORTED). A LUN being created is NOT_READY and becomes ONLINE when
// its job succeeds; its transition state is EXTENDING/SHRINKING while those run.
//
// Failures and repair (sim/provider/repair.cpp; configured by RepairConfig):
//   fail_drive()  the drive fails now (drive: VDS_DRS_FAILED, DRIVE_MODIFY): its queued and
//                 in-service requests complete with DeviceFailed; a provisioning job writing to
//                 it fails with VDS_E_LUN_DISK_FAILED and rolls back, whatever the RAID level
//                 (lunsim never finishes a creation degraded); each LUN with a member on it
//                 becomes FAILED_REDUNDANCY (host reads reconstruct around the member), or, past
//                 what its level tolerates, FAILED with its data lost (a DataLoss of its size).
//   spares        a free hot spare (VDS_DRF_HOTSPARE, online, room for the failed drive's
//                 extents) takes every member the failed drive held: own enclosure first, then
//                 (scope subsystem) any enclosure, lowest index first. A used spare stops being
//                 a spare. Without one the members wait for the replacement.
//   replacement   after a draw from `replace_after`, a new drive takes the failed drive's slot,
//                 named "<slot>#<k>" (k = 2, 3, ...: DRIVE_DEPART of the old, DRIVE_ARRIVE of the
//                 new); it rebuilds the members still waiting for it, or else becomes a hot spare
//                 (and serves members waiting for one, oldest failure first).
//   rebuild       per (LUN, member): mode io reads the surviving members (a mirror: one copy)
//                 and writes the target through the drive queues, chunk by chunk (one read per
//                 survivor and one write outstanding, pipelined), background class at the LUN's
//                 rebuild priority; coarse takes the time that pipeline takes on idle drives, as
//                 one event; law draws the time from `rebuild_duration`. Policy sequential: one
//                 rebuild at a time per LUN, in order of failure; parallel: all at once. A
//                 rebuild whose target or source fails restarts with what is left. While any
//                 member rebuilds the LUN's health is REBUILDING; when none is down, HEALTHY.
//   latent errors a drive accumulates latent sector errors (gaps drawn from `latent_interval`),
//                 each removed by the scrub after a draw from `scrub`. A rebuild that starts
//                 with no redundancy left (the members down equal what the level tolerates)
//                 loses one sector (`sector` bytes) per latent error in the LUN's extent on a
//                 survivor, plus a Poisson number of unrecoverable read errors (mean = bits
//                 read x `ure_per_bit`): a DataLoss of those bytes, the LUN stays online.
//   restore       `restore_after_loss`: a lost LUN is restored at once (failed members' drives
//                 replaced on the spot, every member consistent), so long missions count
//                 repeated losses.
// Controllers and offline drives:
//   ownership     each LUN has one active controller, chosen at creation among online
//                 controllers (fewest LUNs owned, then lowest index); the Fabric moves it on
//                 fail-over, AssociateControllers by hand.
//   offline       set_drive_offline(d, true): the drive goes OFFLINE (DRIVE_REMOVED; its
//                 requests fail, provisioning jobs on it fail and roll back). Its LUN members are
//                 down but not failed: reads reconstruct around them; with more members down
//                 than the level tolerates the LUN is OFFLINE (host I/O fails) but nothing is
//                 lost. Rebuilds reading from or writing to it wait (restart when it returns);
//                 no rebuild starts while a LUN is unavailable. Back online (DRIVE_MODIFY), its
//                 members are up again as they were (lunsim does not model the resync of writes
//                 missed meanwhile). Still offline after RepairConfig::offline_timeout, the drive
//                 is declared FAILED: fail_drive, with its spares, rebuilds and data loss.
// LunObject::recover (IVdsLun::Recover, RECOVERLUN) assigns spares and starts the rebuilds by
// hand (with `automatic: false` nothing else does); its handle completes S_OK when the LUN is
// healthy, VDS_E_LUN_FAILED if it is lost, VDS_E_NOT_ENOUGH_DRIVE if a member has no target.
//
// Drive selection: an explicit list is used in order (as VDS does; Span fills each drive before
// the next); with no list the provider picks hints.maximum_drive_count drives (or the type's
// minimum) among online non-spare drives with room, least used first, ties by name.
#pragma once

#include "sim/base/size.hpp"
#include "sim/engine/distribution.hpp"
#include "sim/engine/simulation.hpp"
#include "sim/provider/async.hpp"
#include "sim/provider/faults.hpp"
#include "sim/provider/ledger.hpp"
#include "sim/provider/object.hpp"
#include "sim/storage/drive.hpp"
#include "sim/storage/lun.hpp"
#include "sim/storage/raid.hpp"

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

namespace sim::provider {

class Subsystem;

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

struct DriveProp {
  ObjectId id;
  base::Bytes size;
  std::string friendly_name;
  std::string identification;
  std::uint32_t flags = 0;
  DriveStatus status = DriveStatus::Online;
  Health health = Health::Healthy;
  std::int16_t bus = 0;
  std::int16_t slot = 0;
};

struct LunProp {
  ObjectId id;
  base::Bytes size;
  std::string friendly_name;
  std::string identification;
  std::string unmasking_list;
  std::uint32_t flags = 0;
  LunType type = LunType::Unknown;
  LunStatus status = LunStatus::NotReady;
  Health health = Health::Healthy;
  TransitionState transition = TransitionState::Stable;
  std::int16_t rebuild_priority = 0;
};

/// VDS_CONTROLLER_PROP.
struct ControllerProp {
  ObjectId id;
  std::string friendly_name;
  std::string identification;
  ControllerStatus status = ControllerStatus::Online;
  Health health = Health::Healthy;
  std::int16_t ports = 0;
};

/// A VDS notification or status change, for events.csv (see Subsystem::set_sink).
struct Notification {
  base::Time time{};
  NotificationEvent event{};
  ObjectType object_type{};
  ObjectId id;
  std::string object;  ///< the object's name
  std::string detail;  ///< "status=VDS_LS_ONLINE" and the like
};

class NotificationSink {
public:
  virtual ~NotificationSink() = default;
  virtual void notify(const Notification& n) = 0;
};

/// How a subsystem repairs (scenario `repair:`); see the header comment.
enum class RebuildMode : std::uint8_t { Io, Coarse, Law };
enum class RepairPolicy : std::uint8_t { Sequential, Parallel };
enum class SpareScope : std::uint8_t { Subsystem, Enclosure };

struct RepairConfig {
  std::optional<engine::Distribution> replace_after;  ///< none: failed drives are never replaced
  RebuildMode mode = RebuildMode::Io;
  engine::Distribution rebuild_duration;              ///< mode Law
  RepairPolicy policy = RepairPolicy::Sequential;
  SpareScope spare_scope = SpareScope::Subsystem;
  bool automatic = true;                              ///< false: rebuilds start only by Recover
  bool restore_after_loss = false;
  double ure_per_bit = 0;                             ///< unrecoverable read errors per bit read
  std::optional<engine::Distribution> latent_interval;  ///< none: no latent sector errors
  engine::Distribution scrub = engine::Distribution::constant(base::forever);
  base::Bytes sector{4096};
  /// An offline drive (its enclosure out) still offline after this long is declared FAILED.
  base::Duration offline_timeout = base::forever;
};

/// A drive lifetime law and the drive's age when the run starts (the first lifetime is drawn
/// conditionally on having survived `age`; replacements start new).
struct Lifetime {
  engine::Distribution law;
  base::Duration age{};
};

/// Data lost: a whole LUN (its size) or sectors read during a rebuild with no redundancy left.
struct DataLoss {
  base::Time time{};
  std::string lun;      ///< the LUN's friendly name (its object name when it has none)
  base::Bytes bytes;
  bool whole_lun = true;
};

/// Counters of the failure and repair processes since the start of the run.
struct ReliabilityStats {
  std::uint64_t drive_failures = 0;
  std::uint64_t replacements = 0;
  std::uint64_t rebuilds_started = 0;
  std::uint64_t rebuilds_completed = 0;
  std::uint64_t latent_errors = 0;
  std::vector<DataLoss> losses;  ///< in time order
};

struct Rebuild;  // internal (job.hpp)
class Fabric;    // sim/provider/fabric.hpp

/// VDS_PORT_PROP.
struct PortProp {
  ObjectId id;
  std::string friendly_name;
  std::string identification;
  PortStatus status = PortStatus::Online;
};

/// A controller port (IVdsControllerPort), named "<controller>/p<index>". Status as for
/// controllers: Subsystem::set_port_status (PORT_MODIFY; Offline: PORT_REMOVED).
class PortObject final : public VdsObject {
public:
  PortObject(Ledger& ledger, std::string name);
  bool implements(Interface) const override { return false; }  // no lunsim interface id yet
  HResult get_properties(PortProp* out) const;
  PortStatus status() const { return status_; }

private:
  friend class Subsystem;
  PortStatus status_ = PortStatus::Online;
};

/// A controller (IVdsController), named "<subsystem>/ctl-<index>". Its status is the model's:
/// Subsystem::set_controller_status changes it (Fabric does, when the topology's controller
/// vertex fails or is repaired).
class ControllerObject final : public VdsObject {
public:
  ControllerObject(Subsystem& owner, std::int16_t index, std::int16_t ports);
  bool implements(Interface iid) const override { return iid == Interface::Controller; }
  HResult get_properties(ControllerProp* out) const;
  std::int16_t index() const { return index_; }
  Subsystem& subsystem() const { return *owner_; }
  ControllerStatus status() const { return status_; }
  /// Its ports, in index order (IVdsController::GetPortProperties(i)).
  const std::vector<std::unique_ptr<PortObject>>& ports() const { return ports_; }

private:
  friend class Subsystem;
  Subsystem* owner_;
  std::int16_t index_;
  std::vector<std::unique_ptr<PortObject>> ports_;
  ControllerStatus status_ = ControllerStatus::Online;
};

class DriveObject final : public VdsObject {
public:
  DriveObject(Subsystem& owner, storage::Drive& drive, std::int16_t bus, std::int16_t slot);
  /// The enclosure index (VDS internal bus number).
  std::int16_t bus() const { return bus_; }
  bool implements(Interface iid) const override { return iid == Interface::Drive; }

  storage::Drive& drive() const { return *drive_; }
  Subsystem& subsystem() const { return *owner_; }
  HResult get_properties(DriveProp* out) const;
  /// Only VDS_DRF_HOTSPARE may be set or cleared; others: VDS_E_NOT_SUPPORTED. A failed drive:
  /// VDS_E_OBJECT_STATUS_FAILED; a drive with LUN extents cannot become a spare: VDS_E_DEVICE_IN_USE.
  HResult set_flags(std::uint32_t flags);
  HResult clear_flags(std::uint32_t flags);
  DriveStatus status() const;
  /// After storage::Drive::replace(): the object becomes the new drive (name, VDS id).
  void renew();

private:
  Subsystem* owner_;
  storage::Drive* drive_;
  std::int16_t bus_;
  std::int16_t slot_;
};

class LunObject final : public VdsObject {
public:
  LunObject(Subsystem& owner, std::string name, LunType type, std::uint32_t number);
  bool implements(Interface iid) const override { return iid == Interface::Lun && !no_interface_; }
  /// A stale object (errant provider) answers QueryInterface with VDS_E_OBJECT_DELETED.
  HResult query_interface(Interface iid, VdsObject** out, const Holder& holder) override;
  /// True when the LUN exists on the array with its storage and can carry I/O.
  bool usable() const { return !deleted_ && lun_ != nullptr && status_ == LunStatus::Online; }

  HResult get_properties(LunProp* out) const;
  /// IVdsLun::Extend: adds `bytes` (rounded up to the alignment), on the LUN's own drives.
  HResult extend(base::Bytes bytes, AsyncHandle** out, const Holder& caller);
  /// IVdsLun::Shrink: removes `bytes` from the end (rounded up); not below one alignment unit.
  HResult shrink(base::Bytes bytes, AsyncHandle** out, const Holder& caller);
  /// IVdsLun::Delete (synchronous): frees the extents; later calls return VDS_E_OBJECT_DELETED.
  HResult delete_lun();
  /// IVdsLun::Recover (RECOVERLUN): see the header comment. VDS_E_INVALID_OPERATION for a LUN
  /// with no redundancy, VDS_E_OBJECT_STATUS_FAILED for a lost one.
  HResult recover(AsyncHandle** out, const Holder& caller);

  /// IVdsLun::AssociateControllers: every controller of the subsystem in exactly one list
  /// (else E_INVALIDARG; an unknown id: VDS_E_OBJECT_NOT_FOUND). lunsim models one active
  /// (owning) controller per LUN: more than one active is VDS_E_NOT_SUPPORTED, none E_INVALIDARG,
  /// a failed one VDS_E_OBJECT_STATUS_FAILED. The move is immediate (LUN_MODIFY
  /// "active_controller=..."), with no fail-over stall: it is a planned trespass; but a
  /// controller that is online with no host path left starts a fail-over at once (Fabric).
  HResult associate_controllers(std::span<const ObjectId> active, std::span<const ObjectId> inactive);
  /// IVdsLun::QueryActiveControllers: the owning controller, with a reference for `caller`.
  HResult query_active_controllers(std::vector<ControllerObject*>* out, const Holder& caller);
  /// The owning controller's index (model access; -1 for a LUN that never had storage).
  std::int16_t active_controller() const { return active_controller_; }
  /// Index of this LUN's connectivity state in the Fabric (set by the Fabric; UINT32_MAX: none).
  std::uint32_t fabric_slot() const { return fabric_slot_; }
  void set_fabric_slot(std::uint32_t s) { fabric_slot_ = s; }

  /// Simulated time this LUN spent with a member down, up to `now`.
  base::Duration degraded_time(base::Time now) const;
  /// When the LUN came online (never: it did not), and when it was deleted (never: it was not).
  base::Time online_since() const { return online_since_; }
  base::Time deleted_at() const { return deleted_at_; }
  /// Data-loss events of this LUN so far (whole-LUN losses).
  std::uint32_t losses() const { return losses_; }
  /// Repair state of a RAID member: consistent, failed (no target yet), waiting to rebuild onto
  /// its target, rebuilding.
  enum class Member : std::uint8_t { Ok, Failed, Waiting, Rebuilding };
  Member member_state(std::uint32_t m) const { return member_[m]; }

  std::uint32_t number() const { return number_; }
  Subsystem& subsystem() const { return *owner_; }
  bool deleted() const { return deleted_; }
  bool busy() const { return busy_; }
  LunType lun_type() const { return type_; }
  LunStatus status() const { return status_; }
  Health health() const { return health_; }
  /// IVdsLunNaming::SetFriendlyName.
  HResult set_friendly_name(std::string name);
  const std::string& friendly_name() const { return friendly_name_; }
  /// The storage model even after deletion (for reports); null after a rolled-back creation.
  storage::Lun* lun_model() const { return lun_.get(); }
  /// The caller tag current when the LUN was created (0: none), to attribute orphans.
  std::uint32_t creator() const { return creator_; }
  /// The storage model of the LUN (null once deleted or after a rolled-back creation; the model
  /// itself stays alive with the subsystem, so I/O already in flight completes safely).
  storage::Lun* lun() const { return deleted_ ? nullptr : lun_.get(); }

private:
  friend class Subsystem;
  void set_status(LunStatus s, Health h);
  void set_transition(TransitionState t);

  Subsystem* owner_;
  LunType type_;
  std::uint32_t number_;
  std::unique_ptr<storage::Lun> lun_;
  LunStatus status_ = LunStatus::NotReady;
  Health health_ = Health::Healthy;
  TransitionState transition_ = TransitionState::Stable;
  std::int16_t rebuild_priority_ = 0;
  std::string friendly_name_;
  bool deleted_ = false;
  std::uint32_t creator_ = 0;  // the caller tag current when it was created (Subsystem::set_caller)
  std::vector<Member> member_;        // per RAID member
  std::vector<std::uint32_t> queue_;  // Waiting members in order (policy sequential)
  std::vector<AsyncHandle*> recovers_;
  std::vector<Rebuild*> rebuilds_;    // running
  base::Time degraded_since_ = base::never;
  base::Duration degraded_total_{};
  base::Time online_since_ = base::never;
  base::Time deleted_at_ = base::never;
  std::uint32_t losses_ = 0;
  std::int16_t active_controller_ = -1;
  std::uint32_t fabric_slot_ = UINT32_MAX;
  bool no_interface_ = false;  // errant provider: does not answer for IVdsLun
  bool stale_ = false;         // errant provider: deleted behind the client's back
  bool busy_ = false;
};

/// How the provider picks member drives when the caller gives none (scenario `placement:`):
///   balanced  the least used drives (ties in natural name order): the default
///   spread    the same order, but members in distinct enclosures while enclosures with room
///             remain; the rest (sharing enclosures) in that order, and LUN_ARRIVE says so
///   pack      enclosure by enclosure in enclosure order, least used first within each
///   explicit  the caller must name the drives (CreateLun without a list: E_INVALIDARG)
enum class Placement : std::uint8_t { Balanced, Spread, Pack, Explicit };
const char* to_string(Placement p);

struct SubsystemConfig {
  std::string name = "subsystem";
  engine::Distribution management_latency;  ///< per asynchronous call
  std::uint8_t provisioning_priority = 0;   ///< background share of initialisation, 0..15
  base::Bytes chunk_size{64ULL << 20};      ///< background transfer unit
  bool initialize = true;                   ///< false: `init: none` (thin, no writing)
  std::int16_t controllers = 2;
  std::int16_t ports_per_controller = 2;    ///< controller ports (one per fabric by default)
  Placement placement = Placement::Balanced;
};

class Subsystem final : public VdsObject {
public:
  /// Drives are added with add_drive() before the run; the subsystem owns them.
  Subsystem(engine::Simulation& sim, Ledger& ledger, SubsystemConfig config);
  ~Subsystem() override;
  bool implements(Interface iid) const override { return iid == Interface::SubSystem; }

  /// Back to the state right after the drives were added, for a new replication after
  /// Simulation::reset(): every LUN, handle and job forgotten; drives new under their first
  /// names, empty, not spares; failure and repair state cleared; random streams derived anew.
  /// The configuration, repair settings, sink and fault plan stay. (The Ledger is reset by its
  /// owner.) Allocated capacity is kept where it can be.
  void reset();

  /// Adds a drive of `model` (which must outlive the subsystem) named `name`.
  DriveObject& add_drive(std::string name, const storage::DriveModel& model, std::int16_t bus = 0);
  void set_sink(NotificationSink* sink) { sink_ = sink; }
  /// Makes the subsystem errant (not owned; shared with the Provider). Null: a correct provider.
  void set_faults(FaultPlan* plan) { faults_ = plan; }
  FaultPlan* faults() const { return faults_; }
  /// Tags LUNs created from now on (and the faults that fire, through the plan) with `caller`,
  /// e.g. the scenario operation whose client is about to call; 0 for none.
  void set_caller(std::uint32_t caller) {
    caller_ = caller;
    if (faults_ != nullptr) faults_->set_caller(caller);
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

  // -- model access (not VDS) --
  engine::Simulation& simulation() const { return *sim_; }
  const SubsystemConfig& config() const { return config_; }
  std::size_t drive_count() const { return drive_objects_.size(); }
  DriveObject& drive(std::size_t i) { return *drive_objects_[i]; }
  DriveObject* find_drive(const ObjectId& id);
  DriveObject* find_drive(std::string_view name);
  /// The name of the slot `drive` is in: its first drive's name (replacements are "NAME#k").
  const std::string& first_name(const DriveObject& drive) const;
  /// Every LUN object ever created (deleted ones too), in creation order.
  const std::deque<std::unique_ptr<LunObject>>& luns() const { return luns_; }
  LunObject* find_lun(std::string_view name);
  /// Async handles created so far.
  const std::deque<std::unique_ptr<AsyncHandle>>& handles() const { return handles_; }

  // -- controllers (see "Controllers and offline drives" in the header comment) --
  /// Controllers in index order (config().controllers of them).
  const std::vector<std::unique_ptr<ControllerObject>>& controllers() const { return controllers_; }
  /// IVdsSubSystem::QueryControllers: each with a reference for `caller`.
  HResult query_controllers(std::vector<ControllerObject*>* out, const Holder& caller);
  /// The model changes a controller's status (CONTROLLER_MODIFY; Offline: CONTROLLER_REMOVED).
  /// Moving LUNs off a failed controller is the Fabric's (it knows the paths and the delay).
  void set_controller_status(std::int16_t index, ControllerStatus status);
  void set_port_status(std::int16_t controller, std::int16_t port, PortStatus status);
  /// Makes controller `index` the LUN's owner now (fail-over, AssociateControllers).
  void set_active_controller(LunObject& lun, std::int16_t index);
  /// The Fabric told of ownership changes and new LUNs (not owned; null: none).
  void set_fabric(Fabric* f) { fabric_ = f; }
  /// The drive's enclosure went out (`offline`) or came back: see the header comment.
  void set_drive_offline(DriveObject& drive, bool offline);

  // -- failures and repair (see the header comment) --
  /// Flags the drive as a hot spare (VDS_DRF_HOTSPARE) or clears the flag, without checks or
  /// notification (scenario set-up; IVdsDrive::SetFlags is DriveObject::set_flags). The spare
  /// pool is indexed: set spares through here, never through storage::Drive directly.
  void set_hot_spare(DriveObject& drive, bool on);
  void set_repair(RepairConfig config) { repair_ = std::move(config); }
  void set_placement(Placement p) { config_.placement = p; }
  const RepairConfig& repair() const { return repair_; }
  /// Gives the drive a lifetime law (not owned; must outlive the subsystem) and draws its
  /// failure time now; replacements of the drive inherit the law. Also starts its latent errors.
  void set_lifetime(DriveObject& drive, const Lifetime* lifetime);
  /// Starts latent sector errors on a drive without a lifetime (no-op without latent_interval).
  void start_latent_errors(DriveObject& drive);
  /// The drive fails now (see the header comment); no-op if it already failed.
  void fail_drive(DriveObject& drive);
  const ReliabilityStats& reliability() const { return stats_; }
  /// Rebuilds running now.
  std::uint32_t rebuilds_running() const { return rebuilds_running_; }

private:
  friend class DriveObject;
  friend class LunObject;
  friend struct Rebuild;
  struct Job;
  struct Slot;

  void emit(NotificationEvent e, const VdsObject& o, std::string detail);
  HResult select_drives(storage::RaidLevel level, std::uint32_t count, std::span<const ObjectId> ids,
                        std::vector<storage::Drive*>* out) const;
  /// Online drives that are not hot spares and have `min_free` free, least used first (ties in
  /// natural name order): what the provider may pick for normal binding.
  /// At most `limit` of them (the first in that order).
  std::vector<storage::Drive*> usable_drives(base::Bytes min_free, std::size_t limit = SIZE_MAX) const;
  /// `count` members with `min_free` free each under the placement policy (fewer when too few
  /// drives qualify); `note` receives what the policy could not meet (empty: nothing).
  std::vector<storage::Drive*> place(std::size_t count, base::Bytes min_free, std::string* note) const;
  /// Position of the drive's slot in natural name order ("shelf-1/2" before "shelf-1/10").
  std::uint32_t name_rank(const storage::Drive& d) const;
  void index_names() const;  // (re)builds name_rank_ and by_name_ after drives were added
  AsyncHandle& new_handle(AsyncOutputType type, std::string what, const Holder& caller);
  void begin_job(Job& job);  // draws the management latency
  void start_job(Job& job);  // then initialises the new extents
  void job_chunk_done(Job& job, std::size_t member);
  void finish_job(Job& job, HResult result);
  HResult cancel_job(Job& job);
  void roll_back(Job& job);
  bool fault_is(const Job& job, Behavior b) const;
  /// Errant behaviours that end a call before it starts anything (nullopt: none fired).
  std::optional<HResult> early_fault(FaultOp op, std::string_view target, AsyncOutputType type,
                                     std::optional<std::size_t>* fault, AsyncHandle** out, const Holder& caller);
  Job& new_job();
  // repair.cpp
  engine::EventTag repair_tag(std::uint32_t entity);
  void hold(storage::Drive& d, LunObject& lun, std::uint32_t member);
  void unhold(storage::Drive& d, LunObject& lun, std::uint32_t member);
  void unhold_all(LunObject& lun);
  /// LUN members on the drive of `slot` that have no target yet (state Failed).
  bool has_orphans(const Slot& slot) const;
  Slot& slot_of(const storage::Drive& d);
  void arm_lifetime(Slot& slot, bool first);
  void on_lifetime(std::uint64_t slot);
  void on_replace(std::uint64_t slot);
  void on_latent(std::uint64_t slot);
  void on_scrub(std::uint64_t slot_and_id);
  void schedule_latent(Slot& slot);
  void replace_now(Slot& slot);
  void fail_jobs_on(const storage::Drive& d);
  void degrade(LunObject& lun, std::uint32_t member);
  void lose(LunObject& lun);
  void restore(LunObject& lun);
  void update_health(LunObject& lun);
  bool take_spare(Slot& failed);
  void move_members(Slot& failed, Slot& target, bool to_spare);
  void serve_waiting();
  void enqueue(LunObject& lun, std::uint32_t member);
  void start_rebuilds(LunObject& lun);
  void start_rebuild(LunObject& lun, std::uint32_t member);
  void abort_rebuilds(LunObject& lun, const storage::Drive* involving);
  void rebuild_step(Rebuild& r);
  void rebuild_read_done(Rebuild& r);
  void rebuild_write_done(Rebuild& r);
  void finish_rebuild(Rebuild& r);
  void release(Rebuild& r);
  void sector_losses(LunObject& lun, std::uint32_t member);
  void finish_recovers(LunObject& lun, HResult result);
  void start_recovery(LunObject& lun);  // IVdsLun::Recover after its management latency
  void make_spare(Slot& slot);

  std::int16_t pick_controller() const;  // online, fewest LUNs owned, lowest index
  /// The ownership counts behind pick_controller(): own() makes `index` the LUN's active
  /// controller; disown() is called when a LUN is deleted, before deleted_ is set.
  void own(LunObject& lun, std::int16_t index);
  void disown(LunObject& lun);
  void on_offline_timeout(std::uint64_t slot);
  void pause_rebuilds(LunObject& lun, const storage::Drive& d);

  engine::Simulation* sim_;
  SubsystemConfig config_;
  std::vector<std::unique_ptr<ControllerObject>> controllers_;
  std::vector<std::uint32_t> owned_;  // LUNs not deleted per active controller (O(1) pick_controller)
  Fabric* fabric_ = nullptr;
  engine::RandomStream latency_rng_;
  std::deque<storage::Drive> drives_;
  std::vector<std::unique_ptr<DriveObject>> drive_objects_;
  std::deque<std::unique_ptr<LunObject>> luns_;
  std::deque<std::unique_ptr<AsyncHandle>> handles_;
  std::deque<std::unique_ptr<Job>> jobs_;
  std::uint32_t jobs_running_ = 0;  // jobs not finished
  NotificationSink* sink_ = nullptr;
  FaultPlan* faults_ = nullptr;
  std::uint32_t caller_ = 0;
  std::uint32_t job_kind_;
  std::uint32_t next_lun_ = 1;
  // failures and repair
  RepairConfig repair_;
  ReliabilityStats stats_;
  std::vector<Slot> slots_;                   // parallel to drive_objects_
  mutable std::vector<std::uint32_t> name_rank_;  // per slot; rebuilt when drives are added
  mutable std::vector<storage::Drive*> by_name_;  // drives in natural name order
  /// (used bytes, name rank) of every drive: the provider's automatic choice walks it in order.
  /// Built with by_name_, kept current by the drives' usage callbacks.
  mutable std::set<std::pair<std::uint64_t, std::uint32_t>> by_usage_;
  mutable std::vector<std::uint64_t> usage_key_;  // per slot: its used bytes in by_usage_
  void on_usage(std::uint64_t slot);
  void reindex_usage() const;  // by_usage_ from the drives' usage now
  bool usage_paused_ = false;   // during reset()
  std::vector<std::uint32_t> waiting_;        // failed slots whose members wait for a target
  std::vector<std::uint32_t> spares_;         // slots flagged hot spare, ascending
  std::deque<std::unique_ptr<Rebuild>> rebuild_pool_;  // reused: a rebuild allocates nothing
  std::vector<Rebuild*> free_rebuilds_;
  std::uint32_t rebuilds_running_ = 0;
  std::uint32_t repair_kind_ = UINT32_MAX;    // registered on first use (trace kinds stay put)
  engine::RandomStream repair_rng_;           // rebuild-duration draws
};

} // namespace sim::provider
