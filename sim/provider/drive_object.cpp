#include "sim/provider/drive_object.hpp"

#include "sim/provider/subsystem.hpp"

namespace sim::provider {

DriveObject::DriveObject(Subsystem& owner, storage::Drive& drive, std::int16_t bus, std::int16_t vds_slot)
    : VdsObject(owner.ledger(), ObjectType::Drive, "drive", owner.name() + "/" + drive.name()), owner_(&owner),
      drive_(&drive), bus_(bus), vds_slot_(vds_slot) {}

void DriveObject::renew() { reidentify("drive", owner_->name() + "/" + drive_->name()); }

DriveStatus DriveObject::status() const {
  switch (drive_->state()) {
    case storage::DriveState::Online: return DriveStatus::Online;
    case storage::DriveState::NotReady: return DriveStatus::NotReady;
    case storage::DriveState::Offline: return DriveStatus::Offline;
    case storage::DriveState::Failed: return DriveStatus::Failed;
    case storage::DriveState::Removed: return DriveStatus::Removed;
  }
  return DriveStatus::Unknown;
}

HResult DriveObject::get_properties(DriveProp* out) const {
  if (out == nullptr) return hr::e_pointer;
  out->id = id();
  out->size = drive_->capacity();
  out->friendly_name = drive_->name();
  out->identification = owner_->name() + ":" + drive_->name();
  out->flags = (drive_->hot_spare() ? drive_flag::hotspare : 0u) |
               (drive_->used_bytes().value > 0 ? drive_flag::assigned : drive_flag::unassigned);
  out->status = status();
  out->health = drive_->state() == storage::DriveState::Failed ? Health::Failed : Health::Healthy;
  out->bus = bus_;
  out->slot = vds_slot_;
  return hr::s_ok;
}

HResult DriveObject::set_flags(std::uint32_t flags) {
  if ((flags & ~drive_flag::hotspare) != 0) return hr::vds_e_not_supported;
  if (drive_->state() == storage::DriveState::Failed) return hr::vds_e_object_status_failed;
  if ((flags & drive_flag::hotspare) != 0 && !drive_->hot_spare()) {
    if (drive_->used_bytes().value > 0) return hr::vds_e_device_in_use;
    owner_->array().set_hot_spare(slot(), true);
    owner_->notify_flags(*this, nullptr);
  }
  return hr::s_ok;
}

HResult DriveObject::clear_flags(std::uint32_t flags) {
  if ((flags & ~drive_flag::hotspare) != 0) return hr::vds_e_not_supported;
  if (drive_->state() == storage::DriveState::Failed) return hr::vds_e_object_status_failed;
  if ((flags & drive_flag::hotspare) != 0 && drive_->hot_spare()) {
    owner_->array().set_hot_spare(slot(), false);
    owner_->notify_flags(*this, nullptr);
  }
  return hr::s_ok;
}

} // namespace sim::provider
