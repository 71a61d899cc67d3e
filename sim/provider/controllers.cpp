#include "sim/provider/fabric.hpp"
#include "sim/provider/subsystem.hpp"

#include <algorithm>

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

HResult Subsystem::query_controllers(std::vector<ControllerObject*>* out, const Holder& caller) {
  if (out == nullptr) return hr::e_pointer;
  if (faults_ != nullptr && faults_->cache_corrupt()) return hr::vds_e_provider_cache_corrupt;
  out->clear();
  for (auto& c : controllers_) {
    c->add_ref(caller);
    out->push_back(c.get());
  }
  return hr::s_ok;
}

void Subsystem::set_controller_status(std::int16_t index, ControllerStatus status) {
  ControllerObject& c = *controllers_.at(static_cast<std::size_t>(index));
  if (c.status_ == status) return;
  c.status_ = status;
  const Health h = status == ControllerStatus::Failed ? Health::Failed : Health::Healthy;
  emit(status == ControllerStatus::Offline ? NotificationEvent::ControllerRemoved : NotificationEvent::ControllerModify, c,
       std::string("status=") + to_string(status) + " health=" + to_string(h));
}

void Subsystem::set_port_status(std::int16_t controller, std::int16_t port, PortStatus status) {
  PortObject& p = *controllers_.at(static_cast<std::size_t>(controller))->ports_.at(static_cast<std::size_t>(port));
  if (p.status_ == status) return;
  p.status_ = status;
  emit(status == PortStatus::Offline ? NotificationEvent::PortRemoved : NotificationEvent::PortModify, p,
       std::string("status=") + to_string(status));
}

std::int16_t Subsystem::pick_controller() const {
  std::int16_t best = -1;
  for (std::size_t c = 0; c < controllers_.size(); ++c) {
    if (controllers_[c]->status_ != ControllerStatus::Online) continue;
    if (best < 0 || owned_[c] < owned_[static_cast<std::size_t>(best)]) best = static_cast<std::int16_t>(c);
  }
  return best < 0 && !controllers_.empty() ? 0 : best;  // none online: the first (no path until repaired)
}

void Subsystem::own(LunObject& lun, std::int16_t index) {
  if (!lun.deleted_) {
    if (lun.active_controller_ >= 0) --owned_[static_cast<std::size_t>(lun.active_controller_)];
    if (index >= 0) ++owned_[static_cast<std::size_t>(index)];
  }
  lun.active_controller_ = index;
}

void Subsystem::disown(LunObject& lun) {
  if (!lun.deleted_ && lun.active_controller_ >= 0) --owned_[static_cast<std::size_t>(lun.active_controller_)];
}

void Subsystem::set_active_controller(LunObject& lun, std::int16_t index) {
  if (lun.active_controller_ == index) return;
  own(lun, index);
  emit(NotificationEvent::LunModify, lun, "active_controller=" + controllers_.at(static_cast<std::size_t>(index))->name());
  if (fabric_ != nullptr) fabric_->ownership_changed(lun);
}

HResult LunObject::associate_controllers(std::span<const ObjectId> active, std::span<const ObjectId> inactive) {
  if (deleted_) return hr::vds_e_object_deleted;
  const auto& all = owner_->controllers_;
  std::vector<int> seen(all.size(), 0);
  std::int16_t chosen = -1;
  std::size_t actives = 0;
  for (const bool is_active : {true, false})
    for (const ObjectId& id : is_active ? active : inactive) {
      const auto it = std::find_if(all.begin(), all.end(), [&](const auto& c) { return c->id() == id; });
      if (it == all.end()) return hr::vds_e_object_not_found;
      ++seen[static_cast<std::size_t>(it - all.begin())];
      if (is_active) {
        ++actives;
        chosen = (*it)->index();
      }
    }
  for (const int n : seen)
    if (n != 1) return hr::e_invalidarg;
  if (actives == 0) return hr::e_invalidarg;
  if (actives > 1) return hr::vds_e_not_supported;
  if (all[static_cast<std::size_t>(chosen)]->status() == ControllerStatus::Failed) return hr::vds_e_object_status_failed;
  owner_->set_active_controller(*this, chosen);
  return hr::s_ok;
}

HResult LunObject::query_active_controllers(std::vector<ControllerObject*>* out, const Holder& caller) {
  if (out == nullptr) return hr::e_pointer;
  if (deleted_) return hr::vds_e_object_deleted;
  out->clear();
  if (active_controller_ < 0) return hr::s_ok;
  ControllerObject* c = owner_->controllers_[static_cast<std::size_t>(active_controller_)].get();
  c->add_ref(caller);
  out->push_back(c);
  return hr::s_ok;
}

} // namespace sim::provider
