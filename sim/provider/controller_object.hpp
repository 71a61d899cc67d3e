// IVdsController and IVdsControllerPort, and which controller owns which LUN.
//
// Controllers are "<subsystem>/ctl-<index>", their ports "<controller>/p<index>". Their status is
// the model's: the Fabric changes it when the topology's controller or port vertex fails or is
// repaired (Subsystem::set_controller_status, set_port_status). Each LUN with storage has one
// active (owning) controller, chosen at creation among online controllers: fewest LUNs owned,
// then lowest index (ControllerSet::pick, O(controllers)).
#pragma once

#include "sim/provider/object.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace sim::provider {

class Subsystem;
class LunObject;

/// VDS_CONTROLLER_PROP.
struct ControllerProp {
  ObjectId id;
  std::string friendly_name;
  std::string identification;
  ControllerStatus status = ControllerStatus::Online;
  Health health = Health::Healthy;
  std::int16_t ports = 0;
};

/// VDS_PORT_PROP.
struct PortProp {
  ObjectId id;
  std::string friendly_name;
  std::string identification;
  PortStatus status = PortStatus::Online;
};

class PortObject final : public VdsObject {
public:
  PortObject(Ledger& ledger, std::string name);
  bool implements(Interface) const override { return false; }  // no lunsim interface id yet
  HResult get_properties(PortProp* out) const;
  PortStatus status() const { return status_; }

private:
  friend class Subsystem;
  friend class ControllerSet;
  PortStatus status_ = PortStatus::Online;
};

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
  friend class ControllerSet;
  Subsystem* owner_;
  std::int16_t index_;
  std::vector<std::unique_ptr<PortObject>> ports_;
  ControllerStatus status_ = ControllerStatus::Online;
};

/// A subsystem's controllers and the count of LUNs each owns.
class ControllerSet {
public:
  ControllerSet(Subsystem& owner, std::int16_t controllers, std::int16_t ports_each);
  const std::vector<std::unique_ptr<ControllerObject>>& all() const { return controllers_; }
  /// The controller a new LUN gets: online, fewest LUNs owned, lowest index (the first when none
  /// is online: the LUN has no path until one is repaired).
  std::int16_t pick() const;
  /// Makes `index` the LUN's active controller (the counts follow, for a LUN not deleted).
  void own(LunObject& lun, std::int16_t index);
  /// The LUN is being deleted (call before it is marked deleted).
  void disown(LunObject& lun);
  /// Every controller and port online, no LUN owned.
  void reset();

private:
  std::vector<std::unique_ptr<ControllerObject>> controllers_;
  std::vector<std::uint32_t> owned_;  // LUNs not deleted per controller
};

} // namespace sim::provider
