#include "sim/provider/subsystem.hpp"

#include "sim/provider/fabric.hpp"

#include <algorithm>
#include <stdexcept>

namespace sim::provider {

namespace {

using base::EventDetail;
namespace key = base::detail_key;

/// A Span lays out linearly over `drives`, each filled before the next. On success *drives keeps
/// only the drives used (a drive with no free space is skipped), in order, matching *member_bytes.
std::optional<storage::Geometry> plan_span(base::Bytes size, std::vector<storage::Drive*>* drives,
                                           std::vector<base::Bytes>* member_bytes) {
  const std::uint64_t a = storage::size_alignment.value;
  const base::Bytes total{(size.value + a - 1) / a * a};
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

HResult validate_hints(const Hints* hints) {
  if (hints == nullptr) return hr::s_ok;
  if (hints->rebuild_priority < rebuild_priority_min || hints->rebuild_priority > rebuild_priority_max)
    return hr::e_invalidarg;
  const std::uint32_t s = hints->stripe_size;
  if (s != 0 && (s < 4096 || (s & (s - 1)) != 0)) return hr::vds_e_invalid_stripe_size;
  return hr::s_ok;
}

} // namespace

HResult to_hresult(storage::GeometryError e) {
  switch (e) {
    case storage::GeometryError::TooFewMembers: return hr::vds_e_not_enough_drive;
    case storage::GeometryError::TooManyMembers:
    case storage::GeometryError::OddMembers:
    case storage::GeometryError::ZeroSize: return hr::e_invalidarg;
    case storage::GeometryError::TooLarge: return hr::vds_e_not_enough_space;
  }
  return hr::e_invalidarg;
}

Subsystem::Subsystem(engine::Simulation& sim, Ledger& ledger, SubsystemConfig config)
    : VdsObject(ledger, ObjectType::SubSystem, "subsystem", config.name), sim_(&sim), config_(std::move(config)),
      array_(sim, config_.name, config_.chunk_size),
      controllers_(*this, config_.controllers, config_.ports_per_controller),
      latency_rng_(sim.stream("subsystem/" + config_.name + "/management")), jobs_(*this), faults_(*this) {
  if (config_.provisioning_priority > 15) throw std::invalid_argument("subsystem: provisioning priority above 15");
  if (config_.chunk_size.value == 0) throw std::invalid_argument("subsystem: chunk size of 0 bytes");
  array_.set_events(this);
}

Subsystem::~Subsystem() = default;

void Subsystem::reset() {
  luns_.clear();
  handles_.clear();
  jobs_.reset();
  caller_ = 0;
  latency_rng_ = sim_->stream("subsystem/" + config_.name + "/management");
  array_.reset();
  for (const auto& d : drive_objects_) {
    // A slot that held a replacement has its first drive again: the object takes its name back.
    const std::string_view object = d->name(), drive = d->drive().name();
    if (object.size() != name().size() + 1 + drive.size() || !object.ends_with(drive)) d->renew();
  }
  controllers_.reset();
}

DriveObject& Subsystem::add_drive(std::string name, const storage::DriveModel& model, std::int16_t bus) {
  storage::Drive& d = array_.add_drive(std::move(name), model, bus);
  const auto slot = static_cast<std::int16_t>(drive_objects_.size());
  drive_objects_.push_back(std::make_unique<DriveObject>(*this, d, bus, slot));
  return *drive_objects_.back();
}

void Subsystem::notify(NotificationEvent e, const VdsObject& o, const EventDetail& detail) {
  if (sink_ == nullptr) return;
  sink_->notify(Notification{sim_->now(), e, o.type(), o.id(), o.name(), detail.str()});
}

void Subsystem::notify_flags(const DriveObject& drive, const storage::Drive* taken_for) {
  if (sink_ == nullptr) return;
  EventDetail d;
  d.field(key::flags, drive.drive().hot_spare() ? base::detail_value::flags_hot_spare : base::detail_value::flags_none);
  if (taken_for != nullptr) d.note("(hot spare taken for " + taken_for->name() + ")");
  notify(NotificationEvent::DriveModify, drive, d);
}

AsyncHandle& Subsystem::new_handle(AsyncOutputType type, std::string what, const Holder& caller) {
  handles_.push_back(std::make_unique<AsyncHandle>(*sim_, ledger(), std::to_string(handles_.size() + 1) + ":" + what, type));
  AsyncHandle& h = *handles_.back();
  h.add_ref(caller);
  return h;
}

LunObject& Subsystem::new_lun_object(LunType type) {
  const auto number = static_cast<std::uint32_t>(luns_.size() + 1);
  luns_.push_back(std::make_unique<LunObject>(*this, "lun" + std::to_string(number), type, number));
  luns_.back()->creator_ = caller_;
  return *luns_.back();
}

HResult Subsystem::reenumerate() {
  if (FaultPlan* plan = faults_.plan()) plan->on_reenumerate();
  return hr::s_ok;
}

HResult Subsystem::get_properties(SubSystemProp* out) const {
  if (out == nullptr) return hr::e_pointer;
  if (faults_.cache_corrupt()) return hr::vds_e_provider_cache_corrupt;
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
  if (config_.placement == storage::Placement::Explicit) return hr::e_invalidarg;  // the drives must be named
  if (count == 0) count = storage::min_members(level);
  std::vector<storage::Drive*> eligible = array_.index().usable(base::Bytes{}, count);
  if (eligible.size() < count) return hr::vds_e_not_enough_drive;
  *out = std::move(eligible);
  return hr::s_ok;
}

HResult Subsystem::create_lun(std::int32_t type, base::Bytes size, std::span<const ObjectId> drive_ids,
                              const Hints* hints, AsyncHandle** out, const Holder& caller) {
  if (out == nullptr) return hr::e_pointer;
  *out = nullptr;
  const auto call = faults_.at_call(FaultOp::CreateLun, config_.name, AsyncOutputType::CreateLun, out, caller);
  if (call.ended) return *call.ended;
  if (!is_valid_lun_type(type)) return hr::e_invalidarg;
  const auto lun_type = static_cast<LunType>(type);
  const auto level = raid_level(lun_type);
  if (!level) return hr::vds_e_not_supported;
  if (size.value == 0) return hr::e_invalidarg;
  if (const HResult h = validate_hints(hints); h.failed()) return h;
  Hints replaced;
  faults_.at_arguments(call.fault, &size, &hints, &replaced);
  if (faults_.at_create(call.fault, lun_type, out, caller)) return hr::s_ok;

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
    if (!planned) return to_hresult(err);
    g = *planned;
    member_bytes.assign(g.members, g.member_extent);
    if (drive_ids.empty()) {
      // The provider picks drives with room, under its placement policy.
      std::vector<storage::Drive*> roomy = array_.index().place(config_.placement, g.members, g.member_extent, &placement_note);
      if (roomy.size() < g.members) return hr::vds_e_not_enough_space;
      members = std::move(roomy);
    }
    for (storage::Drive* d : members)
      if (d->free_bytes() < g.member_extent) return hr::vds_e_not_enough_space;
  }

  const base::Bytes stripe{hints != nullptr && hints->stripe_size != 0 ? hints->stripe_size
                                                                      : storage::default_stripe_unit.value};
  const std::int16_t priority = hints != nullptr ? hints->rebuild_priority : 0;
  LunObject& lun = new_lun_object(lun_type);
  controllers_.own(lun, controllers_.pick());
  storage::Lun& model = array_.create_lun(lun.number(), "lun" + std::to_string(lun.number()), g, members, member_bytes,
                                          stripe, static_cast<std::uint8_t>(std::clamp<int>(priority, 0, 15)));
  lun.attach(model, priority);
  lun.busy_ = true;
  EventDetail arrive;
  arrive.field(key::type, to_string(lun_type)).field(key::size, g.size.value);
  if (!placement_note.empty()) arrive.note(placement_note);
  notify(NotificationEvent::LunArrive, lun, arrive);

  JobRunner::Plan plan;
  plan.kind = JobRunner::Kind::Create;
  plan.lun = &lun;
  plan.geometry = g;
  plan.drives = members;
  plan.added = member_bytes;
  plan.first_offset.reserve(members.size());
  for (std::uint32_t m = 0; m < members.size(); ++m) plan.first_offset.push_back(model.member_base(m));
  plan.member_bytes = std::move(member_bytes);
  AsyncHandle& h = new_handle(AsyncOutputType::CreateLun, lun.name() + ":create", caller);
  jobs_.start(std::move(plan), h, call.fault);
  *out = &h;
  return hr::s_ok;
}

HResult Subsystem::query_max_lun_create_size(std::int32_t type, std::span<const ObjectId> drive_ids, const Hints* hints,
                                             base::Bytes* out) const {
  if (out == nullptr || hints == nullptr) return hr::e_pointer;
  if (!is_valid_lun_type(type)) return hr::e_invalidarg;
  const auto level = raid_level(static_cast<LunType>(type));
  if (!level) return hr::vds_e_not_supported;
  std::vector<storage::Drive*> members;
  if (!drive_ids.empty()) {
    if (const HResult h = select_drives(*level, 0, drive_ids, &members); h.failed()) return h;
  } else {
    std::uint32_t count = hints->maximum_drive_count != 0 ? hints->maximum_drive_count : storage::min_members(*level);
    members = array_.index().usable(base::Bytes{});
    if (members.size() < count) return hr::vds_e_not_enough_drive;
    std::stable_sort(members.begin(), members.end(), [this](const storage::Drive* a, const storage::Drive* b) {
      if (a->free_bytes() != b->free_bytes()) return a->free_bytes() > b->free_bytes();
      return array_.index().rank(a->tag()) < array_.index().rank(b->tag());
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
  if (faults_.cache_corrupt()) return hr::vds_e_provider_cache_corrupt;
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
  if (faults_.cache_corrupt()) return hr::vds_e_provider_cache_corrupt;
  out->clear();
  for (auto& d : drive_objects_) {
    d->add_ref(caller);
    out->push_back(d.get());
  }
  return hr::s_ok;
}

HResult Subsystem::query_controllers(std::vector<ControllerObject*>* out, const Holder& caller) {
  if (out == nullptr) return hr::e_pointer;
  if (faults_.cache_corrupt()) return hr::vds_e_provider_cache_corrupt;
  out->clear();
  for (auto& c : controllers_.all()) {
    c->add_ref(caller);
    out->push_back(c.get());
  }
  return hr::s_ok;
}

// ---------------------------------------------------------------------------------------------
// Controllers

void Subsystem::set_controller_status(std::int16_t index, ControllerStatus status) {
  ControllerObject& c = *controllers_.all().at(static_cast<std::size_t>(index));
  if (c.status_ == status) return;
  c.status_ = status;
  const Health h = status == ControllerStatus::Failed ? Health::Failed : Health::Healthy;
  notify(status == ControllerStatus::Offline ? NotificationEvent::ControllerRemoved : NotificationEvent::ControllerModify, c,
         EventDetail{}.field(key::status, to_string(status)).field(key::health, to_string(h)));
}

void Subsystem::set_port_status(std::int16_t controller, std::int16_t port, PortStatus status) {
  PortObject& p = *controllers_.all().at(static_cast<std::size_t>(controller))->ports_.at(static_cast<std::size_t>(port));
  if (p.status_ == status) return;
  p.status_ = status;
  notify(status == PortStatus::Offline ? NotificationEvent::PortRemoved : NotificationEvent::PortModify, p,
         EventDetail{}.field(key::status, to_string(status)));
}

void Subsystem::set_active_controller(LunObject& lun, std::int16_t index) {
  if (lun.active_controller_ == index) return;
  controllers_.own(lun, index);
  notify(NotificationEvent::LunModify, lun,
         EventDetail{}.field(key::active_controller, controllers_.all().at(static_cast<std::size_t>(index))->name()));
  if (fabric_ != nullptr) fabric_->ownership_changed(lun);
}

// ---------------------------------------------------------------------------------------------
// What the array tells

void Subsystem::drive_failed(std::uint32_t slot) {
  notify(NotificationEvent::DriveModify, *drive_objects_[slot],
         EventDetail{}.field(key::status, base::detail_value::drive_failed).field(key::health, to_string(Health::Failed)));
  jobs_.fail_jobs_on(array_.drive(slot));
}

void Subsystem::drive_offline(std::uint32_t slot) {
  notify(NotificationEvent::DriveRemoved, *drive_objects_[slot],
         EventDetail{}.field(key::status, base::detail_value::drive_offline));
  jobs_.fail_jobs_on(array_.drive(slot));
}

void Subsystem::drive_online(std::uint32_t slot) {
  notify(NotificationEvent::DriveModify, *drive_objects_[slot], EventDetail{}.field(key::status, base::detail_value::drive_online));
}

void Subsystem::spare_added(std::uint32_t slot) { notify_flags(*drive_objects_[slot], nullptr); }

void Subsystem::spare_taken(std::uint32_t slot, std::uint32_t failed) {
  notify_flags(*drive_objects_[slot], &array_.drive(failed));
}

void Subsystem::drive_leaving(std::uint32_t slot) {
  notify(NotificationEvent::DriveDepart, *drive_objects_[slot], EventDetail{}.note("replaced"));
}

void Subsystem::drive_replaced(std::uint32_t slot, const std::string& predecessor) {
  DriveObject& o = *drive_objects_[slot];
  o.renew();
  notify(NotificationEvent::DriveArrive, o, EventDetail{}.note("replacement of " + predecessor));
}

void Subsystem::rebuild_started(storage::Lun& lun, std::uint32_t, storage::Drive& target) {
  notify(NotificationEvent::DriveRebuild, *drive_objects_[target.tag()],
         EventDetail{}.field(key::rebuild, base::detail_value::rebuild_start).field(key::lun, lun.label()));
}

void Subsystem::rebuild_ended(storage::Lun& lun, std::uint32_t, storage::Drive& target) {
  notify(NotificationEvent::DriveRebuild, *drive_objects_[target.tag()],
         EventDetail{}.field(key::rebuild, base::detail_value::rebuild_end).field(key::lun, lun.label()));
}

void Subsystem::condition(storage::Lun& lun, storage::LunCondition c) {
  LunObject& o = lun_of(lun);
  switch (c) {
    case storage::LunCondition::Healthy: o.set_status(LunStatus::Online, Health::Healthy); break;
    case storage::LunCondition::Degraded: o.set_status(LunStatus::Online, Health::FailedRedundancy); break;
    case storage::LunCondition::Rebuilding: o.set_status(LunStatus::Online, Health::Rebuilding); break;
    case storage::LunCondition::Unavailable: o.set_status(LunStatus::Offline, Health::FailedRedundancy); break;
    case storage::LunCondition::Lost: o.set_status(LunStatus::Failed, Health::Failed); break;
  }
  if (fabric_ != nullptr) fabric_->members_changed(o);  // a member may have moved to another enclosure
}

void Subsystem::sectors_lost(storage::Lun& lun, std::uint64_t sectors) {
  notify(NotificationEvent::LunModify, lun_of(lun),
         EventDetail{}.note("data loss: " + std::to_string(sectors) + " sector(s) unreadable during rebuild"));
}

void Subsystem::restored(storage::Lun& lun) {
  notify(NotificationEvent::LunModify, lun_of(lun), EventDetail{}.note("restored after data loss"));
}

void Subsystem::recovery_finished(storage::Lun& lun, storage::RecoveryResult r) {
  switch (r) {
    case storage::RecoveryResult::Healthy: lun_of(lun).finish_recovers(hr::s_ok); break;
    case storage::RecoveryResult::Lost: lun_of(lun).finish_recovers(hr::vds_e_lun_failed); break;
    case storage::RecoveryResult::NoTarget: lun_of(lun).finish_recovers(hr::vds_e_not_enough_drive); break;
  }
}

bool Subsystem::enclosure_reachable(std::int16_t enclosure) const {
  return fabric_ == nullptr || fabric_->enclosure_reachable(*this, enclosure);
}

} // namespace sim::provider
