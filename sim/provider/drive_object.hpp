// IVdsDrive: a drive slot of a subsystem as VDS shows it. The drive itself and its failures are
// the subsystem's storage::Array's; this object names it, reports its status and flags, and
// lets a client flag it as a hot spare.
#pragma once

#include "sim/base/size.hpp"
#include "sim/provider/object.hpp"
#include "sim/storage/drive.hpp"

#include <cstdint>
#include <string>

namespace sim::provider {

class Subsystem;

/// VDS_DRIVE_PROP.
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

/// The drive in array slot `slot()`, named "<subsystem>/<drive name>"; when a replacement takes
/// the slot the object becomes the new drive (renew(): new name and VDS id, same ledger entry).
class DriveObject final : public VdsObject {
public:
  DriveObject(Subsystem& owner, storage::Drive& drive, std::int16_t bus, std::int16_t vds_slot);
  bool implements(Interface iid) const override { return iid == Interface::Drive; }

  storage::Drive& drive() const { return *drive_; }
  Subsystem& subsystem() const { return *owner_; }
  /// The drive's slot in its subsystem's storage::Array.
  std::uint32_t slot() const { return drive_->tag(); }
  /// The enclosure index (VDS internal bus number).
  std::int16_t bus() const { return bus_; }
  HResult get_properties(DriveProp* out) const;
  /// IVdsDrive::SetFlags / ClearFlags: only VDS_DRF_HOTSPARE may be set or cleared (DRIVE_MODIFY
  /// "flags=..."); others: VDS_E_NOT_SUPPORTED. A failed drive: VDS_E_OBJECT_STATUS_FAILED; a
  /// drive with LUN extents cannot become a spare: VDS_E_DEVICE_IN_USE.
  HResult set_flags(std::uint32_t flags);
  HResult clear_flags(std::uint32_t flags);
  DriveStatus status() const;
  /// After a replacement: the object becomes the drive now in the slot (name, VDS id).
  void renew();

private:
  Subsystem* owner_;
  storage::Drive* drive_;
  std::int16_t bus_;
  std::int16_t vds_slot_;
};

} // namespace sim::provider
