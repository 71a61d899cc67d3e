#include "sim/provider/controller_object.hpp"

#include "sim/provider/lun_object.hpp"
#include "sim/provider/subsystem.hpp"

namespace sim::provider {

PortObject::PortObject(Ledger& ledger, std::string name) : VdsObject(ledger, ObjectType::Port, "port", std::move(name)) {}

HResult PortObject::get_properties(PortProp* out) const {
  if (out == nullptr) return hr::e_pointer;
  out->id = id();
  out->friendly_name = name();
  out->identification = "lunsim:" + name();
  out->status = status_;
  return hr::s_ok;
}

ControllerObject::ControllerObject(Subsystem& owner, std::int16_t index, std::int16_t ports)
    : VdsObject(owner.ledger(), ObjectType::Controller, "controller", owner.name() + "/ctl-" + std::to_string(index)),
      owner_(&owner), index_(index) {
  for (std::int16_t p = 0; p < ports; ++p)
    ports_.push_back(std::make_unique<PortObject>(owner.ledger(), name() + "/p" + std::to_string(p)));
}

HResult ControllerObject::get_properties(ControllerProp* out) const {
  if (out == nullptr) return hr::e_pointer;
  out->id = id();
  out->friendly_name = name();
  out->identification = "lunsim:" + name();
  out->status = status_;
  out->health = status_ == ControllerStatus::Failed ? Health::Failed : Health::Healthy;
  out->ports = static_cast<std::int16_t>(ports_.size());
  return hr::s_ok;
}

ControllerSet::ControllerSet(Subsystem& owner, std::int16_t controllers, std::int16_t ports_each) {
  for (std::int16_t c = 0; c < controllers; ++c)
    controllers_.push_back(std::make_unique<ControllerObject>(owner, c, ports_each));
  owned_.assign(controllers_.size(), 0);
}

std::int16_t ControllerSet::pick() const {
  std::int16_t best = -1;
  for (std::size_t c = 0; c < controllers_.size(); ++c) {
    if (controllers_[c]->status_ != ControllerStatus::Online) continue;
    if (best < 0 || owned_[c] < owned_[static_cast<std::size_t>(best)]) best = static_cast<std::int16_t>(c);
  }
  return best < 0 && !controllers_.empty() ? 0 : best;
}

void ControllerSet::own(LunObject& lun, std::int16_t index) {
  if (!lun.deleted_) {
    if (lun.active_controller_ >= 0) --owned_[static_cast<std::size_t>(lun.active_controller_)];
    if (index >= 0) ++owned_[static_cast<std::size_t>(index)];
  }
  lun.active_controller_ = index;
}

void ControllerSet::disown(LunObject& lun) {
  if (!lun.deleted_ && lun.active_controller_ >= 0) --owned_[static_cast<std::size_t>(lun.active_controller_)];
}

void ControllerSet::reset() {
  owned_.assign(controllers_.size(), 0);
  for (const auto& c : controllers_) {
    c->status_ = ControllerStatus::Online;
    for (const auto& p : c->ports_) p->status_ = PortStatus::Online;
  }
}

} // namespace sim::provider
