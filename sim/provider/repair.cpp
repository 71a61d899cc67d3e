#include "sim/provider/fabric.hpp"
#include "sim/provider/job.hpp"

#include "sim/base/int128.hpp"

#include <algorithm>
#include <cmath>

namespace sim::provider {

namespace {

using Member = LunObject::Member;

std::string slot_name(const std::string& base, std::uint32_t generation) {
  return generation <= 1 ? base : base + "#" + std::to_string(generation);
}

/// A Poisson draw of mean `mean` (inversion by products for small means; above 30, the normal
/// approximation rounded to the nearest integer, never negative).
std::uint64_t poisson(engine::RandomStream& rng, double mean) {
  if (!(mean > 0)) return 0;
  if (mean > 30) {
    const double u1 = rng.uniform01_open_low(), u2 = rng.uniform01();
    const double z = std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * 3.14159265358979323846 * u2);
    const double x = std::floor(mean + std::sqrt(mean) * z + 0.5);
    return x <= 0 ? 0 : static_cast<std::uint64_t>(x);
  }
  const double limit = std::exp(-mean);
  std::uint64_t k = 0;
  double p = rng.uniform01();
  while (p > limit) {
    ++k;
    p *= rng.uniform01();
  }
  return k;
}

/// sim.stream(prefix + name) without building a heap string for names of usual length.
engine::RandomStream stream_of(const engine::Simulation& sim, std::string_view prefix, std::string_view name) {
  char buf[128];
  if (prefix.size() + name.size() > sizeof buf) return sim.stream(std::string(prefix) + std::string(name));
  std::copy(prefix.begin(), prefix.end(), buf);
  std::copy(name.begin(), name.end(), buf + prefix.size());
  return sim.stream(std::string_view(buf, prefix.size() + name.size()));
}

} // namespace

// ---------------------------------------------------------------------------------------------
// Slots, lifetimes and latent errors

engine::EventTag Subsystem::repair_tag(std::uint32_t entity) {
  if (repair_kind_ == UINT32_MAX) repair_kind_ = sim_->register_kind("provider.repair");
  return engine::EventTag{repair_kind_, entity};
}

void Subsystem::set_hot_spare(DriveObject& drive, bool on) {
  const std::uint32_t slot = drive.drive().tag();
  drive.drive().set_hot_spare(on);
  const auto at = std::lower_bound(spares_.begin(), spares_.end(), slot);
  const bool listed = at != spares_.end() && *at == slot;
  if (on && !listed) spares_.insert(at, slot);
  if (!on && listed) spares_.erase(at);
}

void Subsystem::hold(storage::Drive& d, LunObject& lun, std::uint32_t member) {
  slot_of(d).held.emplace_back(&lun, member);
}

void Subsystem::unhold(storage::Drive& d, LunObject& lun, std::uint32_t member) {
  std::erase(slot_of(d).held, std::pair{&lun, member});
}

void Subsystem::unhold_all(LunObject& lun) {
  if (lun.lun_ == nullptr) return;
  const auto& members = lun.lun_->members();
  for (std::uint32_t m = 0; m < members.size(); ++m) unhold(*members[m], lun, m);
}

bool Subsystem::has_orphans(const Slot& slot) const {
  for (const auto& [lun, m] : slot.held)
    if (!lun->lun_->lost() && lun->member_[m] == Member::Failed) return true;
  return false;
}

Subsystem::Slot& Subsystem::slot_of(const storage::Drive& d) { return slots_[d.tag()]; }

const std::string& Subsystem::first_name(const DriveObject& drive) const { return slots_[drive.drive().tag()].base_name; }

void Subsystem::set_lifetime(DriveObject& drive, const Lifetime* lifetime) {
  Slot& slot = slot_of(drive.drive());
  slot.lifetime = lifetime;
  arm_lifetime(slot, true);
  start_latent_errors(drive);
}

void Subsystem::arm_lifetime(Slot& slot, bool first) {
  sim_->cancel(slot.life);
  slot.life = engine::EventId{};
  if (slot.lifetime == nullptr) return;
  const storage::Drive& d = drive_objects_[&slot - slots_.data()]->drive();
  engine::RandomStream rng = stream_of(*sim_, "life/", d.name());
  const base::Duration life = first ? slot.lifetime->law.sample_residual(rng, slot.lifetime->age)
                                    : slot.lifetime->law.sample(rng);
  if (life == base::forever) return;
  slot.life = sim_->schedule_cancellable_at(base::saturating_add(sim_->now(), life),
                                            engine::Action::member<Subsystem, &Subsystem::on_lifetime>(
                                                this, static_cast<std::uint64_t>(&slot - slots_.data())),
                                            repair_tag(d.entity()));
}

void Subsystem::on_lifetime(std::uint64_t slot) {
  slots_[slot].life = engine::EventId{};
  fail_drive(*drive_objects_[slot]);
}

void Subsystem::start_latent_errors(DriveObject& drive) {
  if (!repair_.latent_interval) return;
  Slot& slot = slot_of(drive.drive());
  if (!slot.latent) slot.latent = std::make_unique<Slot::LatentErrors>();
  slot.latent->rng = stream_of(*sim_, "latent/", drive.drive().name());
  schedule_latent(slot);
}

void Subsystem::schedule_latent(Slot& slot) {
  const std::size_t index = static_cast<std::size_t>(&slot - slots_.data());
  const base::Duration gap = repair_.latent_interval->sample(slot.latent->rng);
  if (gap == base::forever) return;
  slot.latent->next = sim_->schedule_cancellable_at(
      base::saturating_add(sim_->now(), gap), engine::Action::member<Subsystem, &Subsystem::on_latent>(this, index),
      repair_tag(drive_objects_[index]->drive().entity()));
}

void Subsystem::on_latent(std::uint64_t index) {
  Slot& slot = slots_[index];
  Slot::LatentErrors& le = *slot.latent;
  le.next = engine::EventId{};
  const storage::Drive& d = drive_objects_[index]->drive();
  Slot::Latent e;
  e.offset = le.rng.below(std::max<std::uint64_t>(1, d.capacity().value));
  e.id = le.next_id++;
  const base::Duration removal = repair_.scrub.sample(le.rng);
  if (removal != base::forever)
    e.scrub = sim_->schedule_cancellable_at(base::saturating_add(sim_->now(), removal),
                                            engine::Action::member<Subsystem, &Subsystem::on_scrub>(
                                                this, (index << 32) | e.id),
                                            repair_tag(d.entity()));
  le.present.push_back(e);
  ++stats_.latent_errors;
  schedule_latent(slot);
}

void Subsystem::on_scrub(std::uint64_t slot_and_id) {
  Slot& slot = slots_[slot_and_id >> 32];
  const auto id = static_cast<std::uint32_t>(slot_and_id & 0xFFFF'FFFFu);
  if (slot.latent) std::erase_if(slot.latent->present, [&](const Slot::Latent& e) { return e.id == id; });
}

// ---------------------------------------------------------------------------------------------
// A new replication

void Subsystem::reset() {
  usage_paused_ = true;  // the usage index is rebuilt once below, not updated drive by drive
  luns_.clear();
  owned_.assign(controllers_.size(), 0);
  handles_.clear();
  jobs_.clear();
  jobs_running_ = 0;
  caller_ = 0;
  next_lun_ = 1;
  latency_rng_ = sim_->stream("subsystem/" + config_.name + "/management");
  repair_rng_ = sim_->stream("subsystem/" + config_.name + "/rebuild");
  stats_ = ReliabilityStats{};
  waiting_.clear();
  spares_.clear();
  rebuilds_running_ = 0;
  free_rebuilds_.clear();
  for (const auto& r : rebuild_pool_) {
    r->active = false;
    r->outstanding = 0;
    r->timer = engine::EventId{};
    free_rebuilds_.push_back(r.get());
  }
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    Slot& slot = slots_[i];
    const bool renamed = slot.generation != 1;
    slot.generation = 1;
    slot.lifetime = nullptr;
    slot.life = slot.replace = slot.offline_timer = engine::EventId{};
    slot.latent.reset();
    slot.held.clear();
    slot.waiting = false;
    storage::Drive& d = drive_objects_[i]->drive();
    d.reset(slot.base_name);
    if (renamed) drive_objects_[i]->renew();
  }
  for (const auto& c : controllers_) {
    c->status_ = ControllerStatus::Online;
    for (const auto& p : c->ports_) p->status_ = PortStatus::Online;
  }
  usage_paused_ = false;
  reindex_usage();
}

// ---------------------------------------------------------------------------------------------
// Failure

void Subsystem::fail_jobs_on(const storage::Drive& d) {
  if (jobs_running_ == 0) return;
  for (const auto& job : jobs_) {
    if (job->finished) continue;
    if (std::find(job->drives.begin(), job->drives.end(), &d) == job->drives.end()) continue;
    roll_back(*job);
    finish_job(*job, hr::vds_e_lun_disk_failed);
  }
}

void Subsystem::fail_drive(DriveObject& object) {
  storage::Drive& d = object.drive();
  if (d.state() == storage::DriveState::Failed) return;
  Slot& slot = slot_of(d);
  const std::size_t index = static_cast<std::size_t>(&slot - slots_.data());
  d.fail();
  set_hot_spare(object, false);
  sim_->cancel(slot.life);
  slot.life = engine::EventId{};
  sim_->cancel(slot.offline_timer);
  slot.offline_timer = engine::EventId{};
  if (slot.latent) {
    sim_->cancel(slot.latent->next);
    slot.latent->next = engine::EventId{};
    for (Slot::Latent& e : slot.latent->present) sim_->cancel(e.scrub);
    slot.latent->present.clear();
  }
  ++stats_.drive_failures;
  emit(NotificationEvent::DriveModify, object, "status=VDS_DRS_FAILED health=VDS_H_FAILED");

  fail_jobs_on(d);
  std::vector<LunObject*> lost;  // restored at the end (restore_after_loss), once every LUN saw the failure
  // (LUN, member) on the drive; a LUN has at most one member per drive. Nothing below changes
  // this slot's list (restores wait until the end).
  for (std::size_t h = 0; h < slot.held.size(); ++h) {
    LunObject& lun = *slot.held[h].first;
    if (lun.lun_->lost()) continue;
    degrade(lun, slot.held[h].second);
    // Rebuilds reading from the failed drive restart with the sources left.
    abort_rebuilds(lun, &d);
    if (storage::data_lost_if(lun.lun_->geometry().level, lun.lun_->geometry().members,
                              [&](std::uint32_t m) { return lun.member_[m] != Member::Ok; })) {
      lose(lun);
      lost.push_back(&lun);
      continue;
    }
    update_health(lun);
    start_rebuilds(lun);
  }
  // Members now waiting for a target on this slot: a spare, else the replacement.
  if (has_orphans(slot) && !(repair_.automatic && take_spare(slot))) {
    slot.waiting = true;
    waiting_.push_back(static_cast<std::uint32_t>(index));
  }
  if (repair_.replace_after) {
    engine::RandomStream rng = stream_of(*sim_, "replace/", d.name());
    const base::Duration delay = repair_.replace_after->sample(rng);
    if (delay != base::forever)
      slot.replace = sim_->schedule_cancellable_at(base::saturating_add(sim_->now(), delay),
                                                   engine::Action::member<Subsystem, &Subsystem::on_replace>(this, index),
                                                   repair_tag(d.entity()));
  }
  if (repair_.restore_after_loss)
    for (LunObject* lun : lost) restore(*lun);
}

void Subsystem::degrade(LunObject& lun, std::uint32_t m) {
  switch (lun.member_[m]) {
    case Member::Ok:
      if (lun.degraded_since_ == base::never) lun.degraded_since_ = sim_->now();
      lun.lun_->set_member_down(m, true);
      break;
    case Member::Waiting:
      std::erase(lun.queue_, m);
      break;
    case Member::Rebuilding:
      for (Rebuild* r : lun.rebuilds_)
        if (r->member == m) release(*r);
      std::erase_if(lun.rebuilds_, [&](Rebuild* r) { return !r->active; });
      break;
    case Member::Failed: break;
  }
  lun.member_[m] = Member::Failed;
}

void Subsystem::lose(LunObject& lun) {
  ++lun.losses_;
  stats_.losses.push_back(DataLoss{sim_->now(), lun.friendly_name_.empty() ? lun.name() : lun.friendly_name_,
                                   lun.lun_->size(), true});
  abort_rebuilds(lun, nullptr);
  for (Member& s : lun.member_)
    if (s == Member::Waiting || s == Member::Rebuilding) s = Member::Failed;
  lun.queue_.clear();
  lun.lun_->set_lost(true);
  lun.set_status(LunStatus::Failed, Health::Failed);
  finish_recovers(lun, hr::vds_e_lun_failed);
}

void Subsystem::restore(LunObject& lun) {
  storage::Lun& model = *lun.lun_;
  std::vector<Slot*> replaced;
  for (std::uint32_t m = 0; m < lun.member_.size(); ++m) {
    if (lun.member_[m] == Member::Ok) continue;
    storage::Drive* d = model.members()[m];
    if (d->state() == storage::DriveState::Failed) {
      Slot& s = slot_of(*d);
      replace_now(s);
      replaced.push_back(&s);
    }
    if (d->owned_by(lun.number_) < model.member_bytes()[m]) {
      d->free_owner(lun.number_);
      std::vector<storage::Extent> pieces;
      d->allocate(model.member_bytes()[m], lun.number_, &pieces);
      model.replace_member(m, *d, pieces.empty() ? 0 : pieces.front().offset);  // same drive: held stays
    }
    lun.member_[m] = Member::Ok;
    model.set_member_down(m, model.members()[m]->state() != storage::DriveState::Online);  // offline stays down
  }
  model.set_lost(false);
  emit(NotificationEvent::LunModify, lun, "restored after data loss");
  update_health(lun);
  // The replacements also serve other LUNs' members that waited on those slots.
  for (Slot* s : replaced) {
    const auto index = static_cast<std::size_t>(s - slots_.data());
    if (has_orphans(*s)) move_members(*s, *s, false);
    else if (drive_objects_[index]->drive().used_bytes().value == 0) make_spare(*s);
  }
}

void Subsystem::update_health(LunObject& lun) {
  if (lun.lun_->lost()) {
    lun.set_status(LunStatus::Failed, Health::Failed);
    return;
  }
  storage::Lun& model = *lun.lun_;
  bool down = model.members_down() > 0, rebuilding = false;
  for (Member s : lun.member_) {
    down = down || s != Member::Ok;
    rebuilding = rebuilding || s == Member::Rebuilding;
  }
  if (!down && lun.degraded_since_ != base::never) {
    lun.degraded_total_ += sim_->now() - lun.degraded_since_;
    lun.degraded_since_ = base::never;
  }
  // Members down (failed or offline) beyond what the level tolerates: unreachable, not lost.
  const bool unavailable = storage::data_lost_if(model.geometry().level, model.geometry().members,
                                                 [&](std::uint32_t m) { return model.member_down(m); });
  model.set_unavailable(unavailable);
  if (unavailable) {
    lun.set_status(LunStatus::Offline, Health::FailedRedundancy);
    return;
  }
  lun.set_status(LunStatus::Online, !down ? Health::Healthy : rebuilding ? Health::Rebuilding : Health::FailedRedundancy);
}

// ---------------------------------------------------------------------------------------------
// Spares and replacements

void Subsystem::make_spare(Slot& slot) {
  DriveObject& o = *drive_objects_[static_cast<std::size_t>(&slot - slots_.data())];
  set_hot_spare(o, true);
  emit(NotificationEvent::DriveModify, o, "flags=VDS_DRF_HOTSPARE");
  if (repair_.automatic) serve_waiting();
}

bool Subsystem::take_spare(Slot& failed) {
  const std::size_t fi = static_cast<std::size_t>(&failed - slots_.data());
  const storage::Drive& fd = drive_objects_[fi]->drive();
  base::Bytes need{};
  for (const auto& [lun, m] : failed.held)
    if (!lun->lun_->lost() && lun->member_[m] == Member::Failed) need += lun->lun_->member_bytes()[m];
  const std::int16_t bus = drive_objects_[fi]->bus();
  std::size_t pick = SIZE_MAX;
  for (int pass = 0; pass < 2 && pick == SIZE_MAX; ++pass) {
    if (pass == 1 && repair_.spare_scope == SpareScope::Enclosure) break;
    for (const std::uint32_t i : spares_) {
      const storage::Drive& c = drive_objects_[i]->drive();
      if (c.state() != storage::DriveState::Online || c.free_bytes() < need) continue;
      if (pass == 0 && drive_objects_[i]->bus() != bus) continue;
      pick = i;
      break;
    }
  }
  if (pick == SIZE_MAX) return false;
  DriveObject& spare = *drive_objects_[pick];
  set_hot_spare(spare, false);
  emit(NotificationEvent::DriveModify, spare, "flags=0 (hot spare taken for " + fd.name() + ")");
  move_members(failed, slots_[pick], true);
  return true;
}

void Subsystem::move_members(Slot& from, Slot& to, bool to_spare) {
  storage::Drive& fd = drive_objects_[static_cast<std::size_t>(&from - slots_.data())]->drive();
  storage::Drive& td = drive_objects_[static_cast<std::size_t>(&to - slots_.data())]->drive();
  if (from.waiting) {
    from.waiting = false;
    std::erase(waiting_, static_cast<std::uint32_t>(&from - slots_.data()));
  }
  const auto held = from.held;
  for (const auto& [lp, m] : held) {
    LunObject& lun = *lp;
    if (lun.lun_->lost() || lun.member_[m] != Member::Failed) continue;
    const base::Bytes bytes = lun.lun_->member_bytes()[m];
    if (to_spare) {
      fd.free_owner(lun.number_);
      unhold(fd, lun, m);
      hold(td, lun, m);
    }
    std::vector<storage::Extent> pieces;
    td.allocate(bytes, lun.number_, &pieces);
    lun.lun_->replace_member(m, td, pieces.empty() ? 0 : pieces.front().offset);
    enqueue(lun, m);
    start_rebuilds(lun);
  }
}

void Subsystem::serve_waiting() {
  while (!waiting_.empty()) {
    const std::uint32_t front = waiting_.front();
    if (!take_spare(slots_[front])) return;
  }
}

void Subsystem::replace_now(Slot& slot) {
  const std::size_t index = static_cast<std::size_t>(&slot - slots_.data());
  DriveObject& o = *drive_objects_[index];
  sim_->cancel(slot.replace);
  slot.replace = engine::EventId{};
  emit(NotificationEvent::DriveDepart, o, "replaced");
  ++slot.generation;
  o.drive().replace(slot_name(slot.base_name, slot.generation));
  o.renew();
  ++stats_.replacements;
  emit(NotificationEvent::DriveArrive, o, "replacement of " + slot_name(slot.base_name, slot.generation - 1));
  arm_lifetime(slot, false);
  if (repair_.latent_interval) start_latent_errors(o);
  // Into an enclosure that is out: the new drive is offline with the others, without the
  // timeout (it was never online to time out from).
  if (fabric_ != nullptr && !fabric_->enclosure_reachable(*this, o.bus())) {
    set_drive_offline(o, true);
    sim_->cancel(slot.offline_timer);
    slot.offline_timer = engine::EventId{};
  }
}

void Subsystem::on_replace(std::uint64_t index) {
  Slot& slot = slots_[index];
  slot.replace = engine::EventId{};
  replace_now(slot);
  if (has_orphans(slot)) move_members(slot, slot, false);
  else make_spare(slot);
}

// ---------------------------------------------------------------------------------------------
// Rebuilds

void Subsystem::enqueue(LunObject& lun, std::uint32_t m) {
  lun.member_[m] = Member::Waiting;
  lun.queue_.push_back(m);
}

void Subsystem::start_rebuilds(LunObject& lun) {
  if (!repair_.automatic && lun.recovers_.empty()) return;
  while (!lun.queue_.empty() && !lun.lun_->lost() && !lun.lun_->unavailable()) {
    if (repair_.policy == RepairPolicy::Sequential && !lun.rebuilds_.empty()) return;
    // The first member in order whose target is online; one whose target is offline keeps its
    // place and waits for its enclosure.
    const auto it = std::find_if(lun.queue_.begin(), lun.queue_.end(), [&](std::uint32_t m) {
      return lun.lun_->members()[m]->state() == storage::DriveState::Online;
    });
    if (it == lun.queue_.end()) return;
    const std::uint32_t m = *it;
    lun.queue_.erase(it);
    start_rebuild(lun, m);
  }
}

void Subsystem::start_rebuild(LunObject& lun, std::uint32_t m) {
  storage::Lun& model = *lun.lun_;
  sector_losses(lun, m);
  Rebuild* rp;
  if (!free_rebuilds_.empty()) {
    rp = free_rebuilds_.back();
    free_rebuilds_.pop_back();
  } else {
    rebuild_pool_.push_back(std::make_unique<Rebuild>());
    rp = rebuild_pool_.back().get();
    rp->owner = this;
  }
  Rebuild& r = *rp;
  r.lun = &lun;
  r.member = m;
  r.target = model.members()[m];
  r.base = model.member_base(m);
  r.total = model.member_bytes()[m].value;
  r.read_issued = r.written = r.reading = r.ready = 0;
  r.reads_pending = 0;
  r.writing = false;
  r.active = true;
  r.sources.clear();
  r.source_base.clear();
  const storage::RaidLevel level = model.geometry().level;
  for (std::uint32_t i = 0; i < model.members().size(); ++i) {
    if (i == m || lun.member_[i] != Member::Ok || model.member_down(i)) continue;  // failed or offline
    if (level == storage::RaidLevel::Raid10 && (i & ~1u) != (m & ~1u)) continue;
    r.sources.push_back(model.members()[i]);
    r.source_base.push_back(model.member_base(i));
    if (level == storage::RaidLevel::Mirror) break;  // one copy is enough
  }
  lun.member_[m] = Member::Rebuilding;
  emit(NotificationEvent::DriveRebuild, *drive_objects_[r.target->tag()],
       "rebuild=start lun=" + (lun.friendly_name_.empty() ? lun.name() : lun.friendly_name_));
  lun.rebuilds_.push_back(&r);
  ++rebuilds_running_;
  ++stats_.rebuilds_started;
  update_health(lun);
  const engine::EventTag tag = repair_tag(r.target->entity());
  switch (repair_.mode) {
    case RebuildMode::Law: {
      const base::Duration t = repair_.rebuild_duration.sample(repair_rng_);
      r.timer = sim_->schedule_cancellable_at(base::saturating_add(sim_->now(), t), engine::Action{&Rebuild::on_timer, &r, 0}, tag);
      return;
    }
    case RebuildMode::Coarse: {
      // The io pipeline on idle drives: chunk k+1 is read while chunk k is written. For k equal
      // chunks of read time a and write time b, writing of the last one starts at
      // a + (k - 1) max(a, b) and ends b later; a shorter last chunk follows the same rule.
      const std::uint64_t chunk = config_.chunk_size.value;
      auto times = [&](base::Bytes c) {
        base::Duration rd{};
        for (const storage::Drive* src : r.sources) rd = std::max(rd, base::transfer_time(c, src->model().bandwidth));
        return std::pair{rd, base::transfer_time(c, r.target->model().bandwidth)};
      };
      auto add = [](base::Time t, base::Duration d, std::uint64_t times_d) {
        const base::Int128 v = static_cast<base::Int128>(t.time_since_epoch().count()) +
                           static_cast<base::Int128>(d.count()) * static_cast<base::Int128>(times_d);
        return v >= static_cast<base::Int128>(base::never.time_since_epoch().count()) ? base::never
                                                                                   : base::Time{base::Duration{static_cast<std::int64_t>(v)}};
      };
      const std::uint64_t full = r.total / chunk, rest = r.total % chunk;
      base::Time write_start = sim_->now(), write_done = sim_->now();
      if (full > 0) {
        const auto [a, b] = times(base::Bytes{chunk});
        write_start = add(add(sim_->now(), a, 1), std::max(a, b), full - 1);
        write_done = add(write_start, b, 1);
      }
      if (rest > 0) {
        const auto [a, b] = times(base::Bytes{rest});
        write_start = std::max(add(write_start, a, 1), write_done);
        write_done = add(write_start, b, 1);
      }
      r.timer = sim_->schedule_cancellable_at(write_done, engine::Action{&Rebuild::on_timer, &r, 0}, tag);
      return;
    }
    case RebuildMode::Io:
      r.reads.resize(r.sources.size());
      rebuild_step(r);
      return;
  }
}

void Subsystem::rebuild_step(Rebuild& r) {
  if (r.total == 0) {
    finish_rebuild(r);
    return;
  }
  const auto priority = static_cast<std::uint8_t>(std::clamp<int>(r.lun->rebuild_priority_, 0, 15));
  // Write the chunk read, if the target is free.
  if (r.ready > 0 && !r.writing) {
    r.write = storage::IoRequest{};
    r.write.kind = storage::IoKind::Write;
    r.write.io_class = storage::IoClass::Background;
    r.write.priority = priority;
    r.write.size = base::Bytes{r.ready};
    r.write.offset = r.base + r.written;
    r.write.on_complete = engine::Action{&Rebuild::on_write, &r, 0};
    r.writing = true;
    r.ready = 0;
    ++r.outstanding;
    r.target->submit(r.write);
  }
  // Read the next chunk, if the buffer is free and nothing is being read.
  if (r.ready == 0 && r.reads_pending == 0 && r.read_issued < r.total) {
    r.reading = std::min(config_.chunk_size.value, r.total - r.read_issued);
    if (r.sources.empty()) {
      r.ready = r.reading;
      r.read_issued += r.reading;
      rebuild_step(r);
      return;
    }
    r.reads_pending = static_cast<std::uint32_t>(r.sources.size());
    for (std::size_t i = 0; i < r.sources.size(); ++i) {
      storage::IoRequest& q = r.reads[i];
      q = storage::IoRequest{};
      q.kind = storage::IoKind::Read;
      q.io_class = storage::IoClass::Background;
      q.priority = priority;
      q.size = base::Bytes{r.reading};
      q.offset = r.source_base[i] + r.read_issued;
      q.on_complete = engine::Action{&Rebuild::on_read, &r, 0};
      ++r.outstanding;
    }
    r.read_issued += r.reading;
    for (std::size_t i = 0; i < r.sources.size(); ++i) r.sources[i]->submit(r.reads[i]);
  }
}

void Subsystem::rebuild_read_done(Rebuild& r) {
  --r.outstanding;
  if (!r.active) {
    if (r.outstanding == 0) free_rebuilds_.push_back(&r);
    return;
  }
  if (--r.reads_pending > 0) return;
  r.ready = r.reading;
  rebuild_step(r);
}

void Subsystem::rebuild_write_done(Rebuild& r) {
  --r.outstanding;
  if (!r.active) {
    if (r.outstanding == 0) free_rebuilds_.push_back(&r);
    return;
  }
  r.writing = false;
  r.written += r.write.size.value;
  if (r.written >= r.total) {
    finish_rebuild(r);
    return;
  }
  rebuild_step(r);
}

void Subsystem::finish_rebuild(Rebuild& r) {
  LunObject& lun = *r.lun;
  const std::uint32_t m = r.member;
  r.timer = engine::EventId{};
  release(r);
  std::erase(lun.rebuilds_, &r);
  ++stats_.rebuilds_completed;
  lun.member_[m] = Member::Ok;
  lun.lun_->set_member_down(m, false);
  update_health(lun);
  start_rebuilds(lun);
  bool healthy = true;
  for (Member s : lun.member_) healthy = healthy && s == Member::Ok;
  if (healthy) finish_recovers(lun, hr::s_ok);
}

void Subsystem::release(Rebuild& r) {
  if (!r.active) return;
  r.active = false;
  emit(NotificationEvent::DriveRebuild, *drive_objects_[r.target->tag()],
       "rebuild=end lun=" + (r.lun->friendly_name_.empty() ? r.lun->name() : r.lun->friendly_name_));
  --rebuilds_running_;
  sim_->cancel(r.timer);
  r.timer = engine::EventId{};
  // Requests still queued are withdrawn; one in service completes later and frees the slot.
  for (std::size_t i = 0; i < r.reads.size() && i < r.sources.size(); ++i)
    if (r.reads[i].status == storage::IoStatus::Pending && r.sources[i]->withdraw(r.reads[i])) --r.outstanding;
  if (r.writing && r.write.status == storage::IoStatus::Pending && r.target->withdraw(r.write)) --r.outstanding;
  if (r.outstanding == 0) free_rebuilds_.push_back(&r);
}

void Subsystem::abort_rebuilds(LunObject& lun, const storage::Drive* involving) {
  std::vector<std::uint32_t> restart;
  for (Rebuild* r : lun.rebuilds_) {
    if (involving != nullptr) {
      const bool source = std::find(r->sources.begin(), r->sources.end(), involving) != r->sources.end();
      if (!source || r->target == involving) continue;
    }
    release(*r);
    if (involving != nullptr) restart.push_back(r->member);
    else lun.member_[r->member] = Member::Failed;
  }
  std::erase_if(lun.rebuilds_, [](Rebuild* r) { return !r->active; });
  // Restarted rebuilds go first, in their order.
  for (auto it = restart.rbegin(); it != restart.rend(); ++it) {
    lun.member_[*it] = Member::Waiting;
    lun.queue_.insert(lun.queue_.begin(), *it);
  }
}

void Subsystem::sector_losses(LunObject& lun, std::uint32_t m) {
  storage::Lun& model = *lun.lun_;
  const storage::Geometry& g = model.geometry();
  std::uint32_t up = 0;
  for (std::uint32_t i = 0; i < lun.member_.size(); ++i) up += lun.member_[i] == Member::Ok && !model.member_down(i) ? 1 : 0;
  bool exposed = false;
  switch (g.level) {
    case storage::RaidLevel::Raid5: exposed = g.members - up >= 1; break;
    case storage::RaidLevel::Raid6: exposed = g.members - up >= 2; break;
    case storage::RaidLevel::Mirror: exposed = up <= 1; break;
    case storage::RaidLevel::Raid10: exposed = true; break;
    default: break;
  }
  if (!exposed || (repair_.ure_per_bit <= 0 && !repair_.latent_interval)) return;
  std::uint64_t sectors = 0;
  double bits = 0;
  for (std::uint32_t i = 0; i < g.members; ++i) {
    if (i == m || lun.member_[i] != Member::Ok || model.member_down(i)) continue;  // failed or offline
    if (g.level == storage::RaidLevel::Raid10 && (i & ~1u) != (m & ~1u)) continue;
    const storage::Drive& d = *model.members()[i];
    const std::uint64_t lo = model.member_base(i), hi = lo + model.member_bytes()[i].value;
    if (const auto& le = slot_of(d).latent)
      for (const Slot::Latent& e : le->present) sectors += e.offset >= lo && e.offset < hi ? 1 : 0;
    bits += 8.0 * static_cast<double>(model.member_bytes()[i].value);
    if (g.level == storage::RaidLevel::Mirror) break;
  }
  if (repair_.ure_per_bit > 0) sectors += poisson(repair_rng_, bits * repair_.ure_per_bit);
  if (sectors == 0) return;
  const base::Bytes bytes{sectors * repair_.sector.value};
  stats_.losses.push_back(DataLoss{sim_->now(), lun.friendly_name_.empty() ? lun.name() : lun.friendly_name_, bytes, false});
  emit(NotificationEvent::LunModify, lun, "data loss: " + std::to_string(sectors) + " sector(s) unreadable during rebuild");
}

// ---------------------------------------------------------------------------------------------
// IVdsLun::Recover

void Subsystem::finish_recovers(LunObject& lun, HResult result) {
  std::vector<AsyncHandle*> handles;
  handles.swap(lun.recovers_);
  for (AsyncHandle* h : handles) {
    h->set_percent(result.succeeded() ? 100 : 0);
    h->complete(result, nullptr);
  }
}

void Subsystem::start_recovery(LunObject& lun) {
  if (lun.recovers_.empty()) return;  // finished meanwhile (lost, deleted)
  // Spares for the members that have no target yet, then the rebuilds.
  for (std::uint32_t m = 0; m < lun.member_.size(); ++m)
    if (lun.member_[m] == Member::Failed) take_spare(slot_of(*lun.lun_->members()[m]));
  start_rebuilds(lun);
  bool healthy = true, stuck = false;
  for (const Member st : lun.member_) {
    healthy = healthy && st == Member::Ok;
    stuck = stuck || st == Member::Failed;
  }
  if (healthy) finish_recovers(lun, hr::s_ok);
  else if (stuck) finish_recovers(lun, hr::vds_e_not_enough_drive);
}

HResult LunObject::recover(AsyncHandle** out, const Holder& caller) {
  if (out == nullptr) return hr::e_pointer;
  *out = nullptr;
  if (deleted_) return hr::vds_e_object_deleted;
  if (lun_ == nullptr) return hr::vds_e_object_status_failed;
  if (lun_->lost()) return hr::vds_e_object_status_failed;
  if (lun_->geometry().tolerated == 0) return hr::vds_e_invalid_operation;
  Subsystem& s = *owner_;
  AsyncHandle& h = s.new_handle(AsyncOutputType::RecoverLun, name() + ":recover", caller);
  recovers_.push_back(&h);
  const base::Duration latency = s.config_.management_latency.sample(s.latency_rng_);
  s.sim_->schedule_in(latency,
                      engine::Action{[](void* self, std::uint64_t) {
                                       auto* lun = static_cast<LunObject*>(self);
                                       lun->owner_->start_recovery(*lun);
                                     },
                                     this, 0},
                      s.repair_tag(s.ledger_id()));
  *out = &h;
  return hr::s_ok;
}

base::Duration LunObject::degraded_time(base::Time now) const {
  base::Duration d = degraded_total_;
  if (degraded_since_ != base::never && now > degraded_since_) d += now - degraded_since_;
  return d;
}

// ---------------------------------------------------------------------------------------------
// Offline drives (an enclosure outage)

void Subsystem::pause_rebuilds(LunObject& lun, const storage::Drive& d) {
  std::vector<std::uint32_t> paused;
  for (Rebuild* r : lun.rebuilds_) {
    const bool source = std::find(r->sources.begin(), r->sources.end(), &d) != r->sources.end();
    if (!source && r->target != &d) continue;
    release(*r);
    paused.push_back(r->member);
  }
  std::erase_if(lun.rebuilds_, [](Rebuild* r) { return !r->active; });
  for (auto it = paused.rbegin(); it != paused.rend(); ++it) {
    lun.member_[*it] = Member::Waiting;
    lun.queue_.insert(lun.queue_.begin(), *it);
  }
}

void Subsystem::set_drive_offline(DriveObject& object, bool offline) {
  storage::Drive& d = object.drive();
  Slot& slot = slot_of(d);
  const std::size_t index = static_cast<std::size_t>(&slot - slots_.data());
  if (offline) {
    if (d.state() != storage::DriveState::Online) return;
    d.go_offline();
    emit(NotificationEvent::DriveRemoved, object, "status=VDS_DRS_OFFLINE");
    fail_jobs_on(d);
    for (const auto& [lun, m] : slot.held) {
      if (lun->lun_->lost()) continue;
      if (lun->member_[m] == Member::Ok) {
        if (lun->degraded_since_ == base::never) lun->degraded_since_ = sim_->now();
        lun->lun_->set_member_down(m, true);
      }
      pause_rebuilds(*lun, d);
      update_health(*lun);
    }
    if (repair_.offline_timeout != base::forever)
      slot.offline_timer = sim_->schedule_cancellable_at(
          base::saturating_add(sim_->now(), repair_.offline_timeout),
          engine::Action::member<Subsystem, &Subsystem::on_offline_timeout>(this, index), repair_tag(d.entity()));
    return;
  }
  if (d.state() != storage::DriveState::Offline) return;
  d.come_online();
  sim_->cancel(slot.offline_timer);
  slot.offline_timer = engine::EventId{};
  emit(NotificationEvent::DriveModify, object, "status=VDS_DRS_ONLINE");
  for (const auto& [lun, m] : slot.held) {
    if (lun->lun_->lost()) continue;
    if (lun->member_[m] == Member::Ok) lun->lun_->set_member_down(m, false);
  }
  for (const auto& [lun, m] : slot.held) {
    if (lun->lun_->lost()) continue;
    update_health(*lun);
    start_rebuilds(*lun);
  }
  // A hot spare back: members that waited for one (its enclosure being out) take it now.
  if (d.hot_spare() && repair_.automatic) serve_waiting();
}

void Subsystem::on_offline_timeout(std::uint64_t index) {
  slots_[index].offline_timer = engine::EventId{};
  fail_drive(*drive_objects_[index]);
}

} // namespace sim::provider
