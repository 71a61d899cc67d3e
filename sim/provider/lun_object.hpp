// IVdsLun: a LUN as VDS shows it — status, health, friendly name, configuration calls — over
// its layout in the subsystem's storage::Array (a storage::Lun, which it points to; the array
// owns it, and keeps it after deletion so that I/O in flight completes safely).
#pragma once

#include "sim/base/size.hpp"
#include "sim/base/time.hpp"
#include "sim/provider/async.hpp"
#include "sim/provider/object.hpp"
#include "sim/storage/lun.hpp"
#include "sim/storage/repair.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace sim::provider {

class Subsystem;
class ControllerObject;
class ControllerSet;
class JobRunner;
class FaultPoints;

/// VDS_LUN_PROP.
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

/// A LUN named "<subsystem>/lun<number>" (number 1, 2, ... in creation order).
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
  /// Extend and Shrink of a LUN without extents (instant_no_effect) give VDS_E_OBJECT_STATUS_FAILED.
  HResult extend(base::Bytes bytes, AsyncHandle** out, const Holder& caller);
  /// IVdsLun::Shrink: removes `bytes` from the end (rounded up); not below one alignment unit.
  HResult shrink(base::Bytes bytes, AsyncHandle** out, const Holder& caller);
  /// IVdsLun::Delete (synchronous): frees the extents; later calls return VDS_E_OBJECT_DELETED.
  HResult delete_lun();
  /// IVdsLun::Recover (RECOVERLUN): after the management latency, spares are assigned to the
  /// members that have none and their rebuilds start (with `automatic: false` nothing else
  /// starts them); the handle completes S_OK when the LUN is healthy, VDS_E_LUN_FAILED if it is
  /// lost, VDS_E_NOT_ENOUGH_DRIVE if a member has no target. VDS_E_INVALID_OPERATION for a LUN
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
  /// Whole-LUN data-loss events of this LUN so far.
  std::uint32_t losses() const;
  /// Repair state of RAID member `m` (the array's).
  storage::MemberState member_state(std::uint32_t m) const;

  std::uint32_t number() const { return number_; }
  Subsystem& subsystem() const { return *owner_; }
  /// Someone asked to delete it and the provider refused (a fault, busy): it is known to them.
  bool delete_refused() const { return delete_refused_; }
  bool deleted() const { return deleted_; }
  bool busy() const { return busy_; }
  LunType lun_type() const { return type_; }
  LunStatus status() const { return status_; }
  Health health() const { return health_; }
  std::int16_t rebuild_priority() const { return rebuild_priority_; }
  /// IVdsLunNaming::SetFriendlyName.
  HResult set_friendly_name(std::string name);
  const std::string& friendly_name() const { return friendly_name_; }
  /// The storage model even after deletion (for reports); null for a LUN that never had storage.
  storage::Lun* lun_model() const { return lun_; }
  /// The caller tag current when the LUN was created (0: none), to attribute orphans.
  std::uint32_t creator() const { return creator_; }
  /// The storage model of the LUN (null once deleted, or when it never had storage).
  storage::Lun* lun() const { return deleted_ ? nullptr : lun_; }

private:
  friend class Subsystem;
  friend class ControllerSet;
  friend class JobRunner;
  friend class FaultPoints;
  void set_status(LunStatus s, Health h);
  void set_transition(TransitionState t);
  /// Takes its storage (a new LUN, created in the array), labelled with this object's name.
  void attach(storage::Lun& lun, std::int16_t rebuild_priority);
  /// Leaves the array (deleted, rolled back, deleted behind the client's back): its storage is
  /// freed and its controller no longer owns it. The caller marks it deleted and says so.
  void leave_array();
  void finish_recovers(HResult result);
  void start_recovery();

  Subsystem* owner_;
  LunType type_;
  std::uint32_t number_;
  storage::Lun* lun_ = nullptr;
  LunStatus status_ = LunStatus::NotReady;
  Health health_ = Health::Healthy;
  TransitionState transition_ = TransitionState::Stable;
  std::int16_t rebuild_priority_ = 0;
  std::string friendly_name_;
  bool deleted_ = false;
  bool delete_refused_ = false;
  std::uint32_t creator_ = 0;  // the caller tag current when it was created (Subsystem::set_caller)
  std::vector<AsyncHandle*> recovers_;
  base::Time online_since_ = base::never;
  base::Time deleted_at_ = base::never;
  std::int16_t active_controller_ = -1;
  std::uint32_t fabric_slot_ = UINT32_MAX;
  bool no_interface_ = false;  // errant provider: does not answer for IVdsLun
  bool stale_ = false;         // errant provider: deleted behind the client's back
  bool busy_ = false;
};

} // namespace sim::provider
