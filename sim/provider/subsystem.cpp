#include "sim/provider/subsystem.hpp"

#include "sim/provider/fabric.hpp"
#include "sim/provider/job.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace sim::provider {

namespace {

std::optional<storage::RaidLevel> level_of(LunType t) {
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

HResult geometry_hresult(storage::GeometryError e) {
  switch (e) {
    case storage::GeometryError::TooFewMembers: return hr::vds_e_not_enough_drive;
    case storage::GeometryError::TooManyMembers:
    case storage::GeometryError::OddMembers:
    case storage::GeometryError::ZeroSize: return hr::e_invalidarg;
    case storage::GeometryError::TooLarge: return hr::vds_e_not_enough_space;
  }
  return hr::e_invalidarg;
}

base::Bytes align_up(base::Bytes b) {
  const std::uint64_t a = storage::size_alignment.value;
  return base::Bytes{(b.value + a - 1) / a * a};
}

/// A Span lays out linearly over `drives`, each filled before the next. On success *drives keeps
/// only the drives used (a drive with no free space is skipped), in order, matching *member_bytes.
std::optional<storage::Geometry> plan_span(base::Bytes size, std::vector<storage::Drive*>* drives,
                                           std::vector<base::Bytes>* member_bytes) {
  const base::Bytes total = align_up(size);
  base::Bytes left = total;
  member_bytes->clear();
  std::vector<storage::Drive*> used;
  for (storage::Drive* d : *drives) {
    if (left.value == 0) break;
    const base::Bytes take{std::min(d->free_bytes().value, left.value)};
    if (take.value == 0) continue;
    used.push_back(d);
    member_bytes->push_back(take);
    left -= take;
  }
  if (left.value != 0) return std::nullopt;
  *drives = std::move(used);
  storage::Geometry g;
  g.level = storage::RaidLevel::Span;
  g.members = static_cast<std::uint32_t>(member_bytes->size());
  g.data_members = 1;
  g.tolerated = 0;
  g.size = total;
  return g;
}

/// "shelf-1/2" before "shelf-1/10": digit runs compare as numbers.
bool natural_less(std::string_view a, std::string_view b) {
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (std::isdigit(static_cast<unsigned char>(a[i])) && std::isdigit(static_cast<unsigned char>(b[j]))) {
      std::size_t ie = i, je = j;
      while (ie < a.size() && std::isdigit(static_cast<unsigned char>(a[ie]))) ++ie;
      while (je < b.size() && std::isdigit(static_cast<unsigned char>(b[je]))) ++je;
      const std::string_view na = a.substr(i, ie - i), nb = b.substr(j, je - j);
      const std::string_view ta = na.substr(std::min(na.find_first_not_of('0'), na.size()));
      const std::string_view tb = nb.substr(std::min(nb.find_first_not_of('0'), nb.size()));
      if (ta.size() != tb.size()) return ta.size() < tb.size();
      if (ta != tb) return ta < tb;
      i = ie;
      j = je;
      continue;
    }
    if (a[i] != b[j]) return a[i] < b[j];
    ++i;
    ++j;
  }
  return a.size() - i < b.size() - j;
}


HResult validate_hints(const Hints* hints) {
  if (hints == nullptr) return hr::s_ok;
  if (hints->rebuild_priority < rebuild_priority_min || hints->rebuild_priority > rebuild_priority_max)
    return hr::e_invalidarg;
  const std::uint32_t s = hints->stripe_size;
  if (s != 0 && (s < 4096 || (s & (s - 1)) != 0)) return hr::vds_e_invalid_stripe_size;
  return hr::s_ok;
}

} // namespace

// ---------------------------------------------------------------------------------------------
// DriveObject

DriveObject::DriveObject(Subsystem& owner, storage::Drive& drive, std::int16_t bus, std::int16_t slot)
    : VdsObject(owner.ledger(), ObjectType::Drive, "drive", owner.name() + "/" + drive.name()), owner_(&owner),
      drive_(&drive), bus_(bus), slot_(slot) {}

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
  out->slot = slot_;
  return hr::s_ok;
}

HResult DriveObject::set_flags(std::uint32_t flags) {
  if ((flags & ~drive_flag::hotspare) != 0) return hr::vds_e_not_supported;
  if (drive_->state() == storage::DriveState::Failed) return hr::vds_e_object_status_failed;
  if ((flags & drive_flag::hotspare) != 0 && !drive_->hot_spare()) {
    if (drive_->used_bytes().value > 0) return hr::vds_e_device_in_use;
    owner_->set_hot_spare(*this, true);
    owner_->emit(NotificationEvent::DriveModify, *this, "flags=VDS_DRF_HOTSPARE");
  }
  return hr::s_ok;
}

HResult DriveObject::clear_flags(std::uint32_t flags) {
  if ((flags & ~drive_flag::hotspare) != 0) return hr::vds_e_not_supported;
  if (drive_->state() == storage::DriveState::Failed) return hr::vds_e_object_status_failed;
  if ((flags & drive_flag::hotspare) != 0 && drive_->hot_spare()) {
    owner_->set_hot_spare(*this, false);
    owner_->emit(NotificationEvent::DriveModify, *this, "flags=0");
  }
  return hr::s_ok;
}

// ---------------------------------------------------------------------------------------------
// LunObject

LunObject::LunObject(Subsystem& owner, std::string name, LunType type, std::uint32_t number)
    : VdsObject(owner.ledger(), ObjectType::Lun, "lun", owner.name() + "/" + name), owner_(&owner), type_(type),
      number_(number) {}

void LunObject::set_status(LunStatus s, Health h) {
  if (s == status_ && h == health_) return;
  status_ = s;
  health_ = h;
  owner_->emit(NotificationEvent::LunModify, *this,
               std::string("status=") + to_string(s) + " health=" + to_string(h));
  if (s == LunStatus::Online && fabric_slot_ == UINT32_MAX && owner_->fabric_ != nullptr) owner_->fabric_->lun_online(*this);
}

void LunObject::set_transition(TransitionState t) {
  if (t == transition_) return;
  transition_ = t;
  owner_->emit(NotificationEvent::LunModify, *this, std::string("transition=") + to_string(t));
}

HResult LunObject::get_properties(LunProp* out) const {
  if (out == nullptr) return hr::e_pointer;
  if (deleted_) return hr::vds_e_object_deleted;
  if (owner_->faults_ != nullptr && owner_->faults_->cache_corrupt()) return hr::vds_e_provider_cache_corrupt;
  out->id = id();
  out->size = lun_ ? lun_->size() : base::Bytes{};
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
  return hr::s_ok;
}

HResult LunObject::extend(base::Bytes bytes, AsyncHandle** out, const Holder& caller) {
  if (out == nullptr) return hr::e_pointer;
  *out = nullptr;
  if (deleted_) return hr::vds_e_object_deleted;
  std::optional<std::size_t> fault;
  if (const auto h = owner_->early_fault(FaultOp::ExtendLun, friendly_name_, AsyncOutputType::ExtendLun, &fault, out, caller))
    return *h;
  if (busy_) return hr::vds_e_another_call_in_progress;
  if (status_ == LunStatus::Failed) return hr::vds_e_object_status_failed;
  if (bytes.value == 0) return hr::e_invalidarg;
  const storage::Geometry& g = lun_->geometry();
  std::vector<base::Bytes> member_bytes = lun_->member_bytes();
  std::vector<base::Bytes> added(g.members);
  storage::Geometry ng;
  if (g.level == storage::RaidLevel::Span) {
    // A span grows on its last member first, then the others in order.
    ng = g;
    ng.size = align_up(g.size + bytes);
    base::Bytes left = ng.size - g.size;
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
    if (!planned) return geometry_hresult(err);
    ng = *planned;
    for (std::uint32_t m = 0; m < g.members; ++m) {
      added[m] = ng.member_extent - g.member_extent;
      if (lun_->members()[m]->free_bytes() < added[m]) return hr::vds_e_not_enough_space;
    }
  }
  Subsystem::Job& job = owner_->new_job();
  job.kind = Subsystem::Job::Kind::Extend;
  job.lun = this;
  job.geometry = ng;
  job.drives = lun_->members();
  for (std::uint32_t m = 0; m < g.members; ++m) {
    std::vector<storage::Extent> pieces;
    job.drives[m]->allocate(added[m], number_, &pieces);
    member_bytes[m] += added[m];
    job.next_offset.push_back(pieces.empty() ? 0 : pieces.front().offset);
  }
  job.added = added;
  job.remaining = added;
  job.member_bytes = std::move(member_bytes);
  AsyncHandle& h = owner_->new_handle(AsyncOutputType::ExtendLun, name() + ":extend", caller);
  job.handle = &h;
  job.first_offset = job.next_offset;
  job.fault = fault;
  if (fault) h.attach_fault(*owner_->faults_, *fault);
  h.on_cancel = [&job, this] { return owner_->cancel_job(job); };
  busy_ = true;
  set_transition(TransitionState::Extending);
  owner_->begin_job(job);
  *out = &h;
  return hr::s_ok;
}

HResult LunObject::shrink(base::Bytes bytes, AsyncHandle** out, const Holder& caller) {
  if (out == nullptr) return hr::e_pointer;
  *out = nullptr;
  if (deleted_) return hr::vds_e_object_deleted;
  std::optional<std::size_t> fault;
  if (const auto h = owner_->early_fault(FaultOp::ShrinkLun, friendly_name_, AsyncOutputType::ShrinkLun, &fault, out, caller))
    return *h;
  if (busy_) return hr::vds_e_another_call_in_progress;
  if (status_ == LunStatus::Failed) return hr::vds_e_object_status_failed;
  const storage::Geometry& g = lun_->geometry();
  if (bytes.value == 0 || bytes >= g.size) return hr::vds_e_invalid_shrink_size;
  std::vector<base::Bytes> member_bytes = lun_->member_bytes();
  storage::Geometry ng;
  if (g.level == storage::RaidLevel::Span) {
    ng = g;
    ng.size = align_up(g.size - bytes);
    if (ng.size >= g.size) return hr::vds_e_invalid_shrink_size;
    base::Bytes cut = g.size - ng.size;
    for (std::uint32_t k = 0; k < g.members && cut.value > 0; ++k) {
      const std::uint32_t m = g.members - 1 - k;
      const base::Bytes take{std::min(member_bytes[m].value, cut.value)};
      member_bytes[m] -= take;
      cut -= take;
    }
  } else {
    const auto planned = storage::plan(g.level, g.size - bytes, g.members);
    if (!planned || planned->size >= g.size) return hr::vds_e_invalid_shrink_size;
    ng = *planned;
    for (auto& b : member_bytes) b = ng.member_extent;
  }
  Subsystem::Job& job = owner_->new_job();
  job.kind = Subsystem::Job::Kind::Shrink;
  job.lun = this;
  job.geometry = ng;
  job.drives = lun_->members();
  job.member_bytes = std::move(member_bytes);
  job.remaining.assign(g.members, base::Bytes{});
  job.next_offset.assign(g.members, 0);
  AsyncHandle& h = owner_->new_handle(AsyncOutputType::ShrinkLun, name() + ":shrink", caller);
  job.handle = &h;
  job.fault = fault;
  if (fault) h.attach_fault(*owner_->faults_, *fault);
  busy_ = true;
  set_transition(TransitionState::Shrinking);
  owner_->begin_job(job);
  *out = &h;
  return hr::s_ok;
}

HResult LunObject::delete_lun() {
  if (deleted_) return hr::vds_e_object_deleted;
  std::optional<std::size_t> fault;
  if (const auto h = owner_->early_fault(FaultOp::DeleteLun, friendly_name_, AsyncOutputType::Unknown, &fault, nullptr, Holder::provider()))
    if (h->failed()) return *h;
  if (busy_) return hr::vds_e_another_call_in_progress;
  if (lun_ != nullptr) {
    owner_->abort_rebuilds(*this, nullptr);
    queue_.clear();
    if (degraded_since_ != base::never) {
      degraded_total_ += owner_->sim_->now() - degraded_since_;
      degraded_since_ = base::never;
    }
    for (storage::Drive* d : lun_->members()) d->free_owner(number_);
    owner_->unhold_all(*this);
    owner_->finish_recovers(*this, hr::vds_e_object_deleted);
  }
  owner_->disown(*this);
  deleted_ = true;
  deleted_at_ = owner_->sim_->now();
  status_ = LunStatus::Offline;
  owner_->emit(NotificationEvent::LunDepart, *this, "deleted");
  return hr::s_ok;
}

// ---------------------------------------------------------------------------------------------
// Subsystem

Subsystem::Subsystem(engine::Simulation& sim, Ledger& ledger, SubsystemConfig config)
    : VdsObject(ledger, ObjectType::SubSystem, "subsystem", config.name), sim_(&sim), config_(std::move(config)),
      latency_rng_(sim.stream("subsystem/" + config_.name + "/management")),
      job_kind_(sim.register_kind("provider.job")),
      repair_rng_(sim.stream("subsystem/" + config_.name + "/rebuild")) {
  if (config_.provisioning_priority > 15) throw std::invalid_argument("subsystem: provisioning priority above 15");
  if (config_.chunk_size.value == 0) throw std::invalid_argument("subsystem: chunk size of 0 bytes");
  for (std::int16_t c = 0; c < config_.controllers; ++c)
    controllers_.push_back(std::make_unique<ControllerObject>(*this, c, config_.ports_per_controller));
  owned_.assign(controllers_.size(), 0);
}

Subsystem::~Subsystem() = default;

DriveObject& Subsystem::add_drive(std::string name, const storage::DriveModel& model, std::int16_t bus) {
  const std::uint32_t entity = sim_->new_entity();
  drives_.emplace_back(*sim_, std::move(name), model, entity);
  drives_.back().set_tag(static_cast<std::uint32_t>(drive_objects_.size()));
  drives_.back().on_usage_change(engine::Action::member<Subsystem, &Subsystem::on_usage>(this, drive_objects_.size()));
  slots_.emplace_back();
  slots_.back().base_name = drives_.back().name();
  const auto slot = static_cast<std::int16_t>(drive_objects_.size());
  drive_objects_.push_back(std::make_unique<DriveObject>(*this, drives_.back(), bus, slot));
  return *drive_objects_.back();
}

void Subsystem::emit(NotificationEvent e, const VdsObject& o, std::string detail) {
  if (sink_ == nullptr) return;
  sink_->notify(Notification{sim_->now(), e, o.type(), o.id(), o.name(), std::move(detail)});
}

HResult Subsystem::reenumerate() {
  if (faults_ != nullptr) faults_->on_reenumerate();
  return hr::s_ok;
}

std::optional<HResult> Subsystem::early_fault(FaultOp op, std::string_view target, AsyncOutputType type,
                                              std::optional<std::size_t>* fault, AsyncHandle** out,
                                              const Holder& caller) {
  if (faults_ == nullptr) return std::nullopt;
  if (faults_->cache_corrupt()) return hr::vds_e_provider_cache_corrupt;
  *fault = faults_->on_call(op, target);
  if (!*fault) return std::nullopt;
  const FaultSpec& f = faults_->fault(**fault);
  switch (f.behavior) {
    case Behavior::CacheCorrupt:
      faults_->corrupt();
      return hr::vds_e_provider_cache_corrupt;
    case Behavior::Busy: return hr::vds_e_another_call_in_progress;
    case Behavior::NullHandle:
      if (out != nullptr) *out = nullptr;
      return hr::s_ok;
    case Behavior::SyncErrorWithHandle: {
      if (out == nullptr) return f.hresult.value_or(default_hresult(f.behavior));
      const HResult h = f.hresult.value_or(default_hresult(f.behavior));
      // A failed call's out-parameter is not the caller's (COM): the reference is the provider's.
      AsyncHandle& a = new_handle(type, std::string(to_string(op)) + ":sync-error", Holder::provider());
      a.attach_fault(*faults_, **fault);
      a.complete(h, nullptr);
      *out = &a;
      return h;
    }
    case Behavior::NeverCompletes: {
      if (out == nullptr) return std::nullopt;
      AsyncHandle& a = new_handle(type, std::string(to_string(op)) + ":never", caller);
      a.attach_fault(*faults_, **fault);
      *out = &a;
      return hr::s_ok;
    }
    default: return std::nullopt;
  }
}

HResult Subsystem::get_properties(SubSystemProp* out) const {
  if (out == nullptr) return hr::e_pointer;
  if (faults_ != nullptr && faults_->cache_corrupt()) return hr::vds_e_provider_cache_corrupt;
  out->id = id();
  out->friendly_name = config_.name;
  out->identification = "lunsim:" + config_.name;
  out->flags = subsystem_flag::lun_masking_capable | subsystem_flag::drive_extent_capable |
               subsystem_flag::supports_simple_luns | subsystem_flag::supports_span_luns |
               subsystem_flag::supports_stripe_luns | subsystem_flag::supports_mirror_luns |
               subsystem_flag::supports_parity_luns;
  out->stripe_size_flags = 0;
  for (int bit = 12; bit <= 20; ++bit) out->stripe_size_flags |= 1u << bit;  // 4 KiB .. 1 MiB
  out->status = SubSystemStatus::Online;
  out->health = Health::Healthy;
  out->internal_buses = 1;
  out->max_slots_each_bus = static_cast<std::int16_t>(drive_objects_.size());
  out->max_controllers = config_.controllers;
  out->rebuild_priority = 0;
  return hr::s_ok;
}

DriveObject* Subsystem::find_drive(const ObjectId& id) {
  for (auto& d : drive_objects_)
    if (d->id() == id) return d.get();
  return nullptr;
}

DriveObject* Subsystem::find_drive(std::string_view name) {
  for (auto& d : drive_objects_)
    if (d->drive().name() == name) return d.get();
  return nullptr;
}

LunObject* Subsystem::find_lun(std::string_view name) {
  for (auto& l : luns_)
    if (!l->deleted() && l->lun() != nullptr && l->lun()->name() == name) return l.get();
  return nullptr;
}

HResult Subsystem::select_drives(storage::RaidLevel level, std::uint32_t count, std::span<const ObjectId> ids,
                                 std::vector<storage::Drive*>* out) const {
  out->clear();
  if (!ids.empty()) {
    for (std::size_t i = 0; i < ids.size(); ++i) {
      for (std::size_t j = 0; j < i; ++j)
        if (ids[j] == ids[i]) return hr::e_invalidarg;
      const auto it = std::find_if(drive_objects_.begin(), drive_objects_.end(),
                                   [&](const auto& d) { return d->id() == ids[i]; });
      if (it == drive_objects_.end()) return hr::vds_e_object_not_found;
      storage::Drive& d = (*it)->drive();
      if (d.state() == storage::DriveState::Failed) return hr::vds_e_object_status_failed;
      if (d.state() != storage::DriveState::Online) return hr::vds_e_not_enough_drive;
      if (d.hot_spare()) return hr::vds_e_device_in_use;
      out->push_back(&d);
    }
    return hr::s_ok;
  }
  if (config_.placement == Placement::Explicit) return hr::e_invalidarg;  // the drives must be named
  if (count == 0) count = storage::min_members(level);
  std::vector<storage::Drive*> eligible = usable_drives(base::Bytes{}, count);
  if (eligible.size() < count) return hr::vds_e_not_enough_drive;
  *out = std::move(eligible);
  return hr::s_ok;
}

const char* to_string(Placement p) {
  switch (p) {
    case Placement::Balanced: return "balanced";
    case Placement::Spread: return "spread";
    case Placement::Pack: return "pack";
    case Placement::Explicit: return "explicit";
  }
  return "unknown";
}

std::vector<storage::Drive*> Subsystem::place(std::size_t count, base::Bytes min_free, std::string* note) const {
  if (config_.placement == Placement::Balanced || config_.placement == Placement::Explicit)
    return usable_drives(min_free, count);
  std::vector<storage::Drive*> all = usable_drives(min_free);
  auto bus_of = [&](const storage::Drive* d) { return drive_objects_[d->tag()]->bus(); };
  if (config_.placement == Placement::Pack) {
    std::stable_sort(all.begin(), all.end(), [&](const storage::Drive* a, const storage::Drive* b) {
      return bus_of(a) < bus_of(b);
    });
    if (all.size() > count) all.resize(count);
    return all;
  }
  // Spread: one member per enclosure while enclosures with room remain, then the rest; members
  // keep the usage order (positions in `all`).
  std::vector<std::size_t> chosen;
  std::vector<std::int16_t> used;
  for (std::size_t i = 0; i < all.size() && chosen.size() < count; ++i)
    if (std::find(used.begin(), used.end(), bus_of(all[i])) == used.end()) {
      used.push_back(bus_of(all[i]));
      chosen.push_back(i);
    }
  const std::size_t distinct = chosen.size();
  for (std::size_t i = 0; i < all.size() && chosen.size() < count; ++i)
    if (std::find(chosen.begin(), chosen.end(), i) == chosen.end()) chosen.push_back(i);
  if (chosen.size() > distinct && note != nullptr)
    *note = "placement spread: " + std::to_string(chosen.size()) + " members over " + std::to_string(distinct) +
            " enclosures (only " + std::to_string(distinct) + " have room), so members share enclosures";
  std::sort(chosen.begin(), chosen.end());
  std::vector<storage::Drive*> out;
  for (std::size_t i : chosen) out.push_back(all[i]);
  return out;
}

void Subsystem::index_names() const {
  if (by_name_.size() == drives_.size()) return;
  // Natural order of the slots' first names; a replacement ("d1#2") sorts where "d1" did.
  std::vector<std::uint32_t> order(slots_.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    return natural_less(slots_[a].base_name, slots_[b].base_name);
  });
  name_rank_.assign(order.size(), 0);
  by_name_.clear();
  for (std::uint32_t r = 0; r < order.size(); ++r) {
    name_rank_[order[r]] = r;
    by_name_.push_back(&drive_objects_[order[r]]->drive());
  }
  reindex_usage();
}

void Subsystem::reindex_usage() const {
  if (by_name_.size() != drives_.size()) return;  // index_names() will
  by_usage_.clear();
  usage_key_.assign(by_name_.size(), 0);
  for (std::uint32_t r = 0; r < by_name_.size(); ++r) {
    const std::uint32_t slot = by_name_[r]->tag();
    usage_key_[slot] = by_name_[r]->used_bytes().value;
    by_usage_.emplace(usage_key_[slot], r);
  }
}

void Subsystem::on_usage(std::uint64_t slot) {
  if (usage_paused_ || by_name_.size() != drives_.size()) return;  // (re)indexed later
  const std::uint64_t now = drive_objects_[slot]->drive().used_bytes().value;
  if (now == usage_key_[slot]) return;
  auto node = by_usage_.extract({usage_key_[slot], name_rank_[slot]});
  node.value().first = now;
  by_usage_.insert(std::move(node));
  usage_key_[slot] = now;
}

std::uint32_t Subsystem::name_rank(const storage::Drive& d) const {
  index_names();
  return name_rank_[d.tag()];
}

std::vector<storage::Drive*> Subsystem::usable_drives(base::Bytes min_free, std::size_t limit) const {
  // Least used first, ties in natural name order: the (used, rank) index in order, skipping
  // drives that are not online, are spares or lack room.
  index_names();
  std::vector<storage::Drive*> out;
  for (const auto& [used, rank] : by_usage_) {
    if (out.size() == limit) break;
    storage::Drive* d = by_name_[rank];
    if (d->state() != storage::DriveState::Online || d->hot_spare() || d->free_bytes() < min_free) continue;
    out.push_back(d);
  }
  return out;
}

AsyncHandle& Subsystem::new_handle(AsyncOutputType type, std::string what, const Holder& caller) {
  handles_.push_back(std::make_unique<AsyncHandle>(*sim_, ledger(),
                                                   std::to_string(handles_.size() + 1) + ":" + what, type));
  AsyncHandle& h = *handles_.back();
  h.add_ref(caller);
  return h;
}

Subsystem::Job& Subsystem::new_job() {
  jobs_.push_back(std::make_unique<Job>());
  jobs_.back()->owner = this;
  ++jobs_running_;
  return *jobs_.back();
}

HResult Subsystem::create_lun(std::int32_t type, base::Bytes size, std::span<const ObjectId> drive_ids,
                              const Hints* given_hints, AsyncHandle** out, const Holder& caller) {
  if (out == nullptr) return hr::e_pointer;
  *out = nullptr;
  std::optional<std::size_t> fault;
  if (const auto h = early_fault(FaultOp::CreateLun, config_.name, AsyncOutputType::CreateLun, &fault, out, caller))
    return *h;
  const Behavior behavior = fault ? faults_->fault(*fault).behavior : Behavior::None;
  if (!is_valid_lun_type(type)) return hr::e_invalidarg;
  const auto lun_type = static_cast<LunType>(type);
  const auto level = level_of(lun_type);
  if (!level) return hr::vds_e_not_supported;
  if (size.value == 0) return hr::e_invalidarg;
  if (const HResult h = validate_hints(given_hints); h.failed()) return h;
  Hints ignored;
  if (given_hints != nullptr) ignored.maximum_drive_count = given_hints->maximum_drive_count;
  const Hints* hints = behavior == Behavior::HintsIgnored ? &ignored : given_hints;
  if (behavior == Behavior::SizeRoundedDown) {
    const std::uint64_t by = faults_->fault(*fault).by;
    size = base::Bytes{size.value > by + storage::size_alignment.value ? size.value - by : storage::size_alignment.value};
  }
  if (behavior == Behavior::InstantNoEffect) {
    // 100 % and success at once; the LUN has no storage, reports size 0 and is not usable.
    const std::uint32_t number = next_lun_++;
    luns_.push_back(std::make_unique<LunObject>(*this, "lun" + std::to_string(number), lun_type, number));
    LunObject& lun = *luns_.back();
    lun.creator_ = caller_;
    own(lun, pick_controller());
    lun.status_ = LunStatus::Offline;
    emit(NotificationEvent::LunArrive, lun, "type=" + std::string(to_string(lun_type)) + " size=0");
    AsyncHandle& h = new_handle(AsyncOutputType::CreateLun, lun.name() + ":create", caller);
    h.attach_fault(*faults_, *fault);
    h.complete(hr::s_ok, &lun);
    *out = &h;
    return hr::s_ok;
  }

  std::vector<storage::Drive*> members;
  std::string placement_note;
  const std::uint32_t count = hints != nullptr ? hints->maximum_drive_count : 0;
  if (const HResult h = select_drives(*level, count, drive_ids, &members); h.failed()) return h;

  storage::Geometry g;
  std::vector<base::Bytes> member_bytes;
  if (*level == storage::RaidLevel::Span) {
    if (members.size() < storage::min_members(*level)) return hr::vds_e_not_enough_drive;
    const auto planned = plan_span(size, &members, &member_bytes);
    if (!planned) return hr::vds_e_not_enough_space;
    g = *planned;
  } else {
    storage::GeometryError err{};
    const auto planned = storage::plan(*level, size, static_cast<std::uint32_t>(members.size()), &err);
    if (!planned) return geometry_hresult(err);
    g = *planned;
    member_bytes.assign(g.members, g.member_extent);
    if (drive_ids.empty()) {
      // The provider picks drives with room, under its placement policy.
      std::vector<storage::Drive*> roomy = place(g.members, g.member_extent, &placement_note);
      if (roomy.size() < g.members) return hr::vds_e_not_enough_space;
      members = std::move(roomy);
    }
    for (storage::Drive* d : members)
      if (d->free_bytes() < g.member_extent) return hr::vds_e_not_enough_space;
  }

  const std::uint32_t number = next_lun_++;
  const std::string name = "lun" + std::to_string(number);
  std::vector<std::uint64_t> bases;
  Job& job = new_job();
  for (std::size_t m = 0; m < members.size(); ++m) {
    std::vector<storage::Extent> pieces;
    members[m]->allocate(member_bytes[m], number, &pieces);
    bases.push_back(pieces.empty() ? 0 : pieces.front().offset);
  }
  const base::Bytes stripe{hints != nullptr && hints->stripe_size != 0 ? hints->stripe_size
                                                                      : storage::default_stripe_unit.value};
  luns_.push_back(std::make_unique<LunObject>(*this, name, lun_type, number));
  LunObject& lun = *luns_.back();
  lun.creator_ = caller_;
  own(lun, pick_controller());
  lun.lun_ = std::make_unique<storage::Lun>(number, name, g, members, member_bytes, bases, stripe);
  lun.rebuild_priority_ = hints != nullptr ? hints->rebuild_priority : 0;
  lun.member_.assign(members.size(), LunObject::Member::Ok);
  for (std::uint32_t m = 0; m < members.size(); ++m) hold(*members[m], lun, m);
  lun.busy_ = true;
  emit(NotificationEvent::LunArrive, lun, std::string("type=") + to_string(lun_type) + " size=" +
                                              std::to_string(g.size.value) +
                                              (placement_note.empty() ? "" : "; " + placement_note));

  job.kind = Job::Kind::Create;
  job.lun = &lun;
  job.geometry = g;
  job.drives = members;
  job.added = member_bytes;
  job.remaining = member_bytes;
  job.next_offset = bases;
  job.member_bytes = member_bytes;
  AsyncHandle& h = new_handle(AsyncOutputType::CreateLun, name + ":create", caller);
  job.handle = &h;
  job.first_offset = bases;
  job.fault = fault;
  if (fault) h.attach_fault(*faults_, *fault);
  h.on_cancel = [this, &job] { return cancel_job(job); };
  begin_job(job);
  *out = &h;
  return hr::s_ok;
}

HResult Subsystem::query_max_lun_create_size(std::int32_t type, std::span<const ObjectId> drive_ids, const Hints* hints,
                                             base::Bytes* out) const {
  if (out == nullptr || hints == nullptr) return hr::e_pointer;
  if (!is_valid_lun_type(type)) return hr::e_invalidarg;
  const auto level = level_of(static_cast<LunType>(type));
  if (!level) return hr::vds_e_not_supported;
  std::vector<storage::Drive*> members;
  if (!drive_ids.empty()) {
    if (const HResult h = select_drives(*level, 0, drive_ids, &members); h.failed()) return h;
  } else {
    std::uint32_t count = hints->maximum_drive_count != 0 ? hints->maximum_drive_count : storage::min_members(*level);
    members = usable_drives(base::Bytes{});
    if (members.size() < count) return hr::vds_e_not_enough_drive;
    std::stable_sort(members.begin(), members.end(), [this](const storage::Drive* a, const storage::Drive* b) {
      if (a->free_bytes() != b->free_bytes()) return a->free_bytes() > b->free_bytes();
      return name_rank(*a) < name_rank(*b);
    });
    if (*level != storage::RaidLevel::Span) members.resize(count);
  }
  const auto n = static_cast<std::uint32_t>(members.size());
  if (n < storage::min_members(*level)) return hr::vds_e_not_enough_drive;
  if (*level == storage::RaidLevel::Simple && n != 1) return hr::e_invalidarg;
  if (*level == storage::RaidLevel::Raid10 && n % 2 != 0) return hr::e_invalidarg;
  std::uint64_t result = 0;
  const std::uint64_t align = storage::size_alignment.value;
  if (*level == storage::RaidLevel::Span) {
    for (const storage::Drive* d : members) result += d->free_bytes().value;
    result = result / align * align;
  } else {
    std::uint64_t min_free = UINT64_MAX;
    for (const storage::Drive* d : members) min_free = std::min(min_free, d->free_bytes().value);
    const std::uint64_t per_member = min_free / align * align;
    const std::uint64_t d = storage::data_members(*level, n);
    result = per_member > UINT64_MAX / d ? UINT64_MAX / (d * align) * (d * align) : per_member * d;
  }
  *out = base::Bytes{result};
  return hr::s_ok;
}

HResult Subsystem::query_luns(std::vector<LunObject*>* out, const Holder& caller) {
  if (out == nullptr) return hr::e_pointer;
  if (faults_ != nullptr && faults_->cache_corrupt()) return hr::vds_e_provider_cache_corrupt;
  out->clear();
  for (auto& l : luns_) {
    if (l->deleted()) continue;
    l->add_ref(caller);
    out->push_back(l.get());
  }
  return hr::s_ok;
}

HResult Subsystem::query_drives(std::vector<DriveObject*>* out, const Holder& caller) {
  if (out == nullptr) return hr::e_pointer;
  if (faults_ != nullptr && faults_->cache_corrupt()) return hr::vds_e_provider_cache_corrupt;
  out->clear();
  for (auto& d : drive_objects_) {
    d->add_ref(caller);
    out->push_back(d.get());
  }
  return hr::s_ok;
}

} // namespace sim::provider
