#include "sim/provider/lun_object.hpp"

#include "sim/provider/fabric.hpp"
#include "sim/provider/subsystem.hpp"

#include <algorithm>

namespace sim::provider {

namespace {

using base::EventDetail;
namespace key = base::detail_key;

base::Bytes align_up(base::Bytes b) {
  const std::uint64_t a = storage::size_alignment.value;
  return base::Bytes{(b.value + a - 1) / a * a};
}

} // namespace

LunObject::LunObject(Subsystem& owner, std::string name, LunType type, std::uint32_t number)
    : VdsObject(owner.ledger(), ObjectType::Lun, "lun", owner.name() + "/" + name), owner_(&owner), type_(type),
      number_(number) {}

void LunObject::attach(storage::Lun& lun, std::int16_t rebuild_priority) {
  lun_ = &lun;
  lun_->set_label(friendly_name_.empty() ? name() : friendly_name_);
  rebuild_priority_ = rebuild_priority;
}

void LunObject::leave_array() {
  if (lun_ != nullptr) owner_->array().remove_lun(*lun_);
  owner_->controller_set().disown(*this);
}

void LunObject::set_status(LunStatus s, Health h) {
  if (s == status_ && h == health_) return;
  status_ = s;
  health_ = h;
  owner_->notify(NotificationEvent::LunModify, *this, EventDetail{}.field(key::status, to_string(s)).field(key::health, to_string(h)));
  if (s == LunStatus::Online && fabric_slot_ == UINT32_MAX && owner_->fabric() != nullptr)
    owner_->fabric()->lun_online(*this);
}

void LunObject::set_transition(TransitionState t) {
  if (t == transition_) return;
  transition_ = t;
  owner_->notify(NotificationEvent::LunModify, *this, EventDetail{}.field(key::transition, to_string(t)));
}

HResult LunObject::get_properties(LunProp* out) const {
  if (out == nullptr) return hr::e_pointer;
  if (deleted_) return hr::vds_e_object_deleted;
  if (owner_->fault_points().cache_corrupt()) return hr::vds_e_provider_cache_corrupt;
  out->id = id();
  out->size = lun_ != nullptr ? lun_->size() : base::Bytes{};
  out->friendly_name = friendly_name_;
  out->identification = owner_->name() + ":lun" + std::to_string(number_);
  out->unmasking_list = "*";
  out->flags = 0;
  out->type = type_;
  out->status = status_;
  out->health = health_;
  out->transition = transition_;
  out->rebuild_priority = rebuild_priority_;
  return hr::s_ok;
}

HResult LunObject::query_interface(Interface iid, VdsObject** out, const Holder& holder) {
  if (out == nullptr) return hr::e_pointer;
  if (stale_) {
    *out = nullptr;
    return hr::vds_e_object_deleted;
  }
  return VdsObject::query_interface(iid, out, holder);
}

HResult LunObject::set_friendly_name(std::string name) {
  if (deleted_) return hr::vds_e_object_deleted;
  friendly_name_ = std::move(name);
  if (lun_ != nullptr) lun_->set_label(friendly_name_.empty() ? this->name() : friendly_name_);
  return hr::s_ok;
}

HResult LunObject::extend(base::Bytes bytes, AsyncHandle** out, const Holder& caller) {
  if (out == nullptr) return hr::e_pointer;
  *out = nullptr;
  if (deleted_) return hr::vds_e_object_deleted;
  const auto call = owner_->fault_points().at_call(FaultOp::ExtendLun, friendly_name_, AsyncOutputType::ExtendLun, out, caller);
  if (call.ended) return *call.ended;
  if (busy_) return hr::vds_e_another_call_in_progress;
  // A LUN with no extents (instant_no_effect's) is as good as failed.
  if (status_ == LunStatus::Failed || lun_ == nullptr) return hr::vds_e_object_status_failed;
  if (bytes.value == 0) return hr::e_invalidarg;
  const storage::Geometry& g = lun_->geometry();
  JobRunner::Plan plan;
  plan.kind = JobRunner::Kind::Extend;
  plan.lun = this;
  plan.member_bytes = lun_->member_bytes();
  std::vector<base::Bytes> added(g.members);
  if (g.level == storage::RaidLevel::Span) {
    // A span grows on its last member first, then the others in order.
    plan.geometry = g;
    plan.geometry.size = align_up(g.size + bytes);
    base::Bytes left = plan.geometry.size - g.size;
    for (std::uint32_t k = 0; k < g.members && left.value > 0; ++k) {
      const std::uint32_t m = g.members - 1 - k;
      const base::Bytes take{std::min(lun_->members()[m]->free_bytes().value, left.value)};
      added[m] = take;
      left -= take;
    }
    if (left.value > 0) return hr::vds_e_not_enough_space;
  } else {
    storage::GeometryError err{};
    const auto planned = storage::plan(g.level, g.size + bytes, g.members, &err);
    if (!planned) return to_hresult(err);
    plan.geometry = *planned;
    for (std::uint32_t m = 0; m < g.members; ++m) {
      added[m] = plan.geometry.member_extent - g.member_extent;
      if (lun_->members()[m]->free_bytes() < added[m]) return hr::vds_e_not_enough_space;
    }
  }
  plan.drives = lun_->members();
  for (std::uint32_t m = 0; m < g.members; ++m) {
    std::vector<storage::Extent> pieces;
    plan.drives[m]->allocate(added[m], number_, &pieces);
    plan.member_bytes[m] += added[m];
    plan.first_offset.push_back(pieces.empty() ? 0 : pieces.front().offset);
  }
  plan.added = std::move(added);
  AsyncHandle& h = owner_->new_handle(AsyncOutputType::ExtendLun, name() + ":extend", caller);
  busy_ = true;
  set_transition(TransitionState::Extending);
  owner_->jobs().start(std::move(plan), h, call.fault);
  *out = &h;
  return hr::s_ok;
}

HResult LunObject::shrink(base::Bytes bytes, AsyncHandle** out, const Holder& caller) {
  if (out == nullptr) return hr::e_pointer;
  *out = nullptr;
  if (deleted_) return hr::vds_e_object_deleted;
  const auto call = owner_->fault_points().at_call(FaultOp::ShrinkLun, friendly_name_, AsyncOutputType::ShrinkLun, out, caller);
  if (call.ended) return *call.ended;
  if (busy_) return hr::vds_e_another_call_in_progress;
  if (status_ == LunStatus::Failed || lun_ == nullptr) return hr::vds_e_object_status_failed;
  const storage::Geometry& g = lun_->geometry();
  if (bytes.value == 0 || bytes >= g.size) return hr::vds_e_invalid_shrink_size;
  JobRunner::Plan plan;
  plan.kind = JobRunner::Kind::Shrink;
  plan.lun = this;
  plan.member_bytes = lun_->member_bytes();
  if (g.level == storage::RaidLevel::Span) {
    plan.geometry = g;
    plan.geometry.size = align_up(g.size - bytes);
    if (plan.geometry.size >= g.size) return hr::vds_e_invalid_shrink_size;
    base::Bytes cut = g.size - plan.geometry.size;
    for (std::uint32_t k = 0; k < g.members && cut.value > 0; ++k) {
      const std::uint32_t m = g.members - 1 - k;
      const base::Bytes take{std::min(plan.member_bytes[m].value, cut.value)};
      plan.member_bytes[m] -= take;
      cut -= take;
    }
  } else {
    const auto planned = storage::plan(g.level, g.size - bytes, g.members);
    if (!planned || planned->size >= g.size) return hr::vds_e_invalid_shrink_size;
    plan.geometry = *planned;
    for (auto& b : plan.member_bytes) b = plan.geometry.member_extent;
  }
  plan.drives = lun_->members();
  plan.added.assign(g.members, base::Bytes{});
  plan.first_offset.assign(g.members, 0);
  AsyncHandle& h = owner_->new_handle(AsyncOutputType::ShrinkLun, name() + ":shrink", caller);
  busy_ = true;
  set_transition(TransitionState::Shrinking);
  owner_->jobs().start(std::move(plan), h, call.fault);
  *out = &h;
  return hr::s_ok;
}

HResult LunObject::delete_lun() {
  if (deleted_) return hr::vds_e_object_deleted;
  const auto call = owner_->fault_points().at_call(FaultOp::DeleteLun, friendly_name_, AsyncOutputType::Unknown, nullptr,
                                                   Holder::provider());
  if (call.ended && call.ended->failed()) {
    delete_refused_ = true;
    return *call.ended;
  }
  if (busy_) {
    delete_refused_ = true;
    return hr::vds_e_another_call_in_progress;
  }
  if (lun_ != nullptr) {
    owner_->array().remove_lun(*lun_);
    finish_recovers(hr::vds_e_object_deleted);
  }
  owner_->controller_set().disown(*this);
  deleted_ = true;
  deleted_at_ = owner_->simulation().now();
  status_ = LunStatus::Offline;
  owner_->notify(NotificationEvent::LunDepart, *this, EventDetail{}.note("deleted"));
  return hr::s_ok;
}

// IVdsLun::Recover

HResult LunObject::recover(AsyncHandle** out, const Holder& caller) {
  if (out == nullptr) return hr::e_pointer;
  *out = nullptr;
  if (deleted_) return hr::vds_e_object_deleted;
  if (lun_ == nullptr) return hr::vds_e_object_status_failed;
  if (lun_->lost()) return hr::vds_e_object_status_failed;
  if (lun_->geometry().tolerated == 0) return hr::vds_e_invalid_operation;
  AsyncHandle& h = owner_->new_handle(AsyncOutputType::RecoverLun, name() + ":recover", caller);
  recovers_.push_back(&h);
  owner_->array().request_recovery(*lun_);
  const base::Duration latency = owner_->management_latency();
  owner_->simulation().schedule_in(latency,
                                   engine::Action{[](void* self, std::uint64_t) {
                                                    static_cast<LunObject*>(self)->start_recovery();
                                                  },
                                                  this, 0},
                                   owner_->array().repair_tag(owner_->ledger_id()));
  *out = &h;
  return hr::s_ok;
}

void LunObject::start_recovery() {
  if (recovers_.empty()) return;  // finished meanwhile (lost, deleted)
  owner_->array().recover(*lun_);
}

void LunObject::finish_recovers(HResult result) {
  std::vector<AsyncHandle*> handles;
  handles.swap(recovers_);
  for (AsyncHandle* h : handles) {
    h->set_percent(result.succeeded() ? 100 : 0);
    h->complete(result, nullptr);
  }
}

base::Duration LunObject::degraded_time(base::Time now) const {
  return lun_ != nullptr ? owner_->array().degraded_time(*lun_, now) : base::Duration{};
}

std::uint32_t LunObject::losses() const { return lun_ != nullptr ? owner_->array().losses(*lun_) : 0; }

storage::MemberState LunObject::member_state(std::uint32_t m) const { return owner_->array().member_state(*lun_, m); }

// Controllers

HResult LunObject::associate_controllers(std::span<const ObjectId> active, std::span<const ObjectId> inactive) {
  if (deleted_) return hr::vds_e_object_deleted;
  const auto& all = owner_->controllers();
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
  ControllerObject* c = owner_->controllers()[static_cast<std::size_t>(active_controller_)].get();
  c->add_ref(caller);
  out->push_back(c);
  return hr::s_ok;
}

} // namespace sim::provider
