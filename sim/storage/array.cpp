#include "sim/storage/array.hpp"

#include "sim/storage/array_impl.hpp"

#include <algorithm>
#include <cmath>

namespace sim::storage {

namespace {

std::string slot_name(const std::string& first, std::uint32_t generation) {
  return generation <= 1 ? first : first + "#" + std::to_string(generation);
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

} // namespace

const char* to_string(LunCondition c) {
  switch (c) {
    case LunCondition::Healthy: return "healthy";
    case LunCondition::Degraded: return "degraded";
    case LunCondition::Rebuilding: return "rebuilding";
    case LunCondition::Unavailable: return "unavailable";
    case LunCondition::Lost: return "lost";
  }
  return "unknown";
}

// ---------------------------------------------------------------------------------------------
// Array: the public face

Array::Array(engine::Simulation& sim, std::string name, base::Bytes chunk_size)
    : impl_(std::make_unique<ArrayImpl>(sim, std::move(name), chunk_size)) {}
Array::~Array() = default;

Drive& Array::add_drive(std::string name, const DriveModel& model, std::int16_t enclosure) {
  return impl_->add_drive(std::move(name), model, enclosure);
}
std::size_t Array::drive_count() const { return impl_->index().size(); }
Drive& Array::drive(std::uint32_t slot) const { return impl_->index().drive(slot); }
const std::string& Array::first_name(std::uint32_t slot) const { return impl_->index().first_name(slot); }
std::int16_t Array::enclosure(std::uint32_t slot) const { return impl_->index().enclosure(slot); }
std::uint32_t Array::generation(std::uint32_t slot) const { return impl_->generation(slot); }
const DriveTotals& Array::drive_totals() const { return impl_->drive_totals(); }
const DriveIndex& Array::index() const { return impl_->index(); }
std::size_t Array::slot_bytes() { return ArrayImpl::slot_bytes(); }
Lun& Array::create_lun(std::uint32_t id, std::string name, const Geometry& g, std::vector<Drive*> members,
                       std::vector<base::Bytes> member_bytes, base::Bytes stripe_unit, std::uint8_t rebuild_priority) {
  return impl_->create_lun(id, std::move(name), g, std::move(members), std::move(member_bytes), stripe_unit,
                           rebuild_priority);
}
void Array::remove_lun(Lun& lun) { impl_->remove_lun(lun); }
MemberState Array::member_state(const Lun& lun, std::uint32_t m) const { return impl_->member_state(lun, m); }
base::Duration Array::degraded_time(const Lun& lun, base::Time now) const { return impl_->degraded_time(lun, now); }
std::uint32_t Array::losses(const Lun& lun) const { return impl_->losses(lun); }
void Array::set_events(ArrayEvents* events) { impl_->set_events(events); }
void Array::set_repair(RepairConfig config) { impl_->set_repair(std::move(config)); }
const RepairConfig& Array::repair() const { return impl_->repair(); }
void Array::set_hot_spare(std::uint32_t slot, bool on) { impl_->set_hot_spare(slot, on); }
void Array::set_lifetime(std::uint32_t slot, const Lifetime* law) { impl_->set_lifetime(slot, law); }
void Array::set_latent_errors(std::uint32_t slot, const LatentErrorLaw* law) { impl_->set_latent_errors(slot, law); }
void Array::fail_drive(std::uint32_t slot) { impl_->fail_drive(slot); }
void Array::set_drive_offline(std::uint32_t slot, bool offline) { impl_->set_drive_offline(slot, offline); }
void Array::request_recovery(Lun& lun) { impl_->request_recovery(lun); }
void Array::recover(Lun& lun) { impl_->recover(lun); }
void Array::set_failure_biasing(FailureBiasing biasing) { impl_->set_failure_biasing(biasing); }
void Array::settle_weights() { impl_->settle_weights(); }
const ReliabilityStats& Array::stats() const { return impl_->stats(); }
std::uint32_t Array::rebuilds_running() const { return impl_->rebuilds_running(); }
engine::EventTag Array::repair_tag(std::uint32_t entity) { return impl_->repair_tag(entity); }
void Array::reset() { impl_->reset(); }

// ---------------------------------------------------------------------------------------------
// Drives and LUNs

ArrayImpl::ArrayImpl(engine::Simulation& sim, std::string name, base::Bytes chunk_size)
    : sim_(&sim), name_(std::move(name)), repair_rng_(sim.stream("subsystem/" + name_ + "/rebuild")),
      processes_(sim, index_, *this, stats_), rebuilds_(sim, repair_, chunk_size, repair_rng_, *this) {}

engine::EventTag ArrayImpl::repair_tag(std::uint32_t entity) {
  if (repair_kind_ == UINT32_MAX) repair_kind_ = sim_->register_kind("provider.repair");
  return engine::EventTag{repair_kind_, entity};
}

Drive& ArrayImpl::add_drive(std::string name, const DriveModel& model, std::int16_t enclosure) {
  const std::uint32_t entity = sim_->new_entity();
  drives_.emplace_back(*sim_, std::move(name), model, entity);
  drives_.back().join(totals_);
  index_.add(drives_.back(), enclosure);
  slots_.emplace_back();
  processes_.add_slot();
  return drives_.back();
}

Lun& ArrayImpl::create_lun(std::uint32_t id, std::string name, const Geometry& geometry, std::vector<Drive*> members,
                           std::vector<base::Bytes> member_bytes, base::Bytes stripe_unit, std::uint8_t priority) {
  std::vector<std::uint64_t> bases;
  bases.reserve(members.size());
  for (std::size_t m = 0; m < members.size(); ++m) {
    std::vector<Extent> pieces;
    members[m]->allocate(member_bytes[m], id, &pieces);
    bases.push_back(pieces.empty() ? 0 : pieces.front().offset);
  }
  Group& g = groups_.emplace_back(id, std::move(name), geometry, std::move(members), std::move(member_bytes),
                                  std::move(bases), stripe_unit);
  g.lun.set_tag(static_cast<std::uint32_t>(groups_.size() - 1));
  g.priority = priority;
  g.member.assign(g.lun.members().size(), MemberState::Ok);
  g.read_exposed.assign(g.lun.members().size(), false);
  for (std::uint32_t m = 0; m < g.lun.members().size(); ++m) hold(g.lun.members()[m]->tag(), g, m);
  return g.lun;
}

void ArrayImpl::remove_lun(Lun& lun) {
  Group& g = group(lun);
  abort_rebuilds(g, nullptr);
  g.queue.clear();
  if (g.degraded_since != base::never) {
    g.degraded_total += sim_->now() - g.degraded_since;
    g.degraded_since = base::never;
  }
  for (Drive* d : lun.members()) d->free_owner(lun.id());
  unhold_all(g);
  g.recoveries = 0;
  if (biasing_) {
    g.bias_rate = 0;
    const std::vector<std::uint32_t> was = std::move(g.biased);
    g.biased.clear();
    for (const std::uint32_t s : was) processes_.bias(s, slot_bias(s));
  }
}

base::Duration ArrayImpl::degraded_time(const Lun& lun, base::Time now) const {
  const Group& g = group(lun);
  base::Duration d = g.degraded_total;
  if (g.degraded_since != base::never && now > g.degraded_since) d += now - g.degraded_since;
  return d;
}

void ArrayImpl::unhold_all(Group& g) {
  const auto& members = g.lun.members();
  for (std::uint32_t m = 0; m < members.size(); ++m) unhold(members[m]->tag(), g, m);
}

bool ArrayImpl::has_orphans(const Slot& slot) const {
  for (const auto& [g, m] : slot.held)
    if (!g->lun.lost() && g->member[m] == MemberState::Failed) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------
// A new replication

void ArrayImpl::reset() {
  index_.pause();  // the usage order is rebuilt once below, not updated drive by drive
  groups_.clear();
  stats_ = ReliabilityStats{};
  repair_rng_ = sim_->stream("subsystem/" + name_ + "/rebuild");
  spares_.clear();
  rebuilds_.reset();
  processes_.reset();
  for (std::uint32_t i = 0; i < slots_.size(); ++i) {
    Slot& slot = slots_[i];
    slot.generation = 1;
    slot.replace = slot.offline_timer = engine::EventId{};
    slot.held.clear();
    slot.waiting = false;
    index_.drive(i).reset(index_.first_name(i));
  }
  index_.resume();
}

// ---------------------------------------------------------------------------------------------
// Failure

void ArrayImpl::fail_drive(std::uint32_t index) {
  Drive& d = index_.drive(index);
  if (d.state() == DriveState::Failed) return;
  Slot& slot = slots_[index];
  d.fail();
  spares_.set(index_, index, false);
  processes_.stop(index);
  sim_->cancel(slot.offline_timer);
  slot.offline_timer = engine::EventId{};
  ++stats_.drive_failures;
  events_->drive_failed(index);

  std::vector<Group*> lost;  // restored at the end (restore_after_loss), once every LUN saw the failure
  // (group, member) on the drive; a LUN has at most one member per drive. Nothing below changes
  // this slot's list (restores wait until the end).
  for (std::size_t h = 0; h < slot.held.size(); ++h) {
    Group& g = *slot.held[h].first;
    if (g.lun.lost()) continue;
    degrade(g, slot.held[h].second);
    // Rebuilds reading from the failed drive restart with the sources left.
    abort_rebuilds(g, &d);
    if (data_lost_if(g.lun.geometry().level, g.lun.geometry().members,
                     [&](std::uint32_t m) { return g.member[m] != MemberState::Ok; })) {
      lose(g);
      lost.push_back(&g);
      continue;
    }
    update_condition(g);
    start_rebuilds(g);
  }
  // Members now waiting for a target on this slot: a spare, else the replacement.
  if (has_orphans(slot) && !(repair_.automatic && take_spare(index))) {
    slot.waiting = true;
    spares_.wait(index);
  }
  if (repair_.replace_after) {
    engine::RandomStream rng = sim_->stream("replace/" + d.name());
    const base::Duration delay = repair_.replace_after->sample(rng);
    if (delay != base::forever)
      slot.replace = sim_->schedule_cancellable_at(base::saturating_add(sim_->now(), delay),
                                                   engine::Action::member<ArrayImpl, &ArrayImpl::on_replace>(this, index),
                                                   repair_tag(d.entity()));
  }
  if (repair_.restore_after_loss)
    for (Group* g : lost) restore(*g);
}

void ArrayImpl::degrade(Group& g, std::uint32_t m) {
  switch (g.member[m]) {
    case MemberState::Ok:
      if (g.degraded_since == base::never) g.degraded_since = sim_->now();
      g.lun.set_member_down(m, true);
      break;
    case MemberState::Waiting: std::erase(g.queue, m); break;
    case MemberState::Rebuilding:
      for (Rebuild* r : g.rebuilds)
        if (r->member == m) stop(*r);
      std::erase_if(g.rebuilds, [&](Rebuild* r) { return !r->active(); });
      break;
    case MemberState::Failed: break;
  }
  g.member[m] = MemberState::Failed;
  g.read_exposed[m] = false;
}

void ArrayImpl::lose(Group& g) {
  ++g.losses;
  processes_.settle();  // the weights as of now: every biased window so far counts
  stats_.losses.push_back(DataLoss{sim_->now(), g.lun.label(), g.lun.size(), true, g.log_weight, stats_.log_weight});
  abort_rebuilds(g, nullptr);
  for (MemberState& s : g.member)
    if (s == MemberState::Waiting || s == MemberState::Rebuilding) s = MemberState::Failed;
  g.queue.clear();
  g.lun.set_lost(true);
  rebias(g);
  events_->condition(g.lun, LunCondition::Lost);
  finish_recovery(g, RecoveryResult::Lost);
}

void ArrayImpl::restore(Group& g) {
  Lun& lun = g.lun;
  std::vector<std::uint32_t> replaced;
  for (std::uint32_t m = 0; m < g.member.size(); ++m) {
    if (g.member[m] == MemberState::Ok) continue;
    Drive* d = lun.members()[m];
    if (d->state() == DriveState::Failed) {
      replace_now(d->tag());
      replaced.push_back(d->tag());
    }
    if (d->owned_by(lun.id()) < lun.member_bytes()[m]) {
      d->free_owner(lun.id());
      std::vector<Extent> pieces;
      d->allocate(lun.member_bytes()[m], lun.id(), &pieces);
      lun.replace_member(m, *d, pieces.empty() ? 0 : pieces.front().offset);  // same drive: held stays
    }
    g.member[m] = MemberState::Ok;
    g.read_exposed[m] = false;
    lun.set_member_down(m, lun.members()[m]->state() != DriveState::Online);  // offline stays down
  }
  lun.set_lost(false);
  events_->restored(lun);
  update_condition(g);
  // The replacements also serve other LUNs' members that waited on those slots.
  for (const std::uint32_t s : replaced) {
    if (has_orphans(slots_[s])) move_members(s, s, false);
    else if (index_.drive(s).used_bytes().value == 0) make_spare(s);
  }
}

void ArrayImpl::update_condition(Group& g) {
  Lun& lun = g.lun;
  rebias(g);
  if (lun.lost()) {
    events_->condition(lun, LunCondition::Lost);
    return;
  }
  bool down = lun.members_down() > 0, rebuilding = false;
  for (const MemberState s : g.member) {
    down = down || s != MemberState::Ok;
    rebuilding = rebuilding || s == MemberState::Rebuilding;
  }
  if (!down && g.degraded_since != base::never) {
    g.degraded_total += sim_->now() - g.degraded_since;
    g.degraded_since = base::never;
  }
  // Members down (failed or offline) beyond what the level tolerates: unreachable, not lost.
  const bool unavailable = data_lost_if(lun.geometry().level, lun.geometry().members,
                                        [&](std::uint32_t m) { return lun.member_down(m); });
  lun.set_unavailable(unavailable);
  if (unavailable) {
    events_->condition(lun, LunCondition::Unavailable);
    return;
  }
  events_->condition(lun, !down ? LunCondition::Healthy : rebuilding ? LunCondition::Rebuilding : LunCondition::Degraded);
}

// ---------------------------------------------------------------------------------------------
// Spares and replacements

void ArrayImpl::make_spare(std::uint32_t slot) {
  spares_.set(index_, slot, true);
  events_->spare_added(slot);
  if (repair_.automatic) serve_waiting();
}

bool ArrayImpl::take_spare(std::uint32_t failed) {
  Slot& slot = slots_[failed];
  if (!has_orphans(slot)) {
    // Its members need no target any more (their LUN was lost, restored or removed meanwhile).
    if (slot.waiting) {
      slot.waiting = false;
      spares_.stop_waiting(failed);
    }
    return true;
  }
  base::Bytes need{};
  for (const auto& [g, m] : slot.held)
    if (!g->lun.lost() && g->member[m] == MemberState::Failed) need += g->lun.member_bytes()[m];
  const auto pick = spares_.choose(index_, need, index_.enclosure(failed), repair_.spare_scope);
  if (!pick) return false;
  spares_.set(index_, *pick, false);
  events_->spare_taken(*pick, failed);
  move_members(failed, *pick, true);
  return true;
}

void ArrayImpl::move_members(std::uint32_t from_slot, std::uint32_t to_slot, bool to_spare) {
  Slot& from = slots_[from_slot];
  Drive& fd = index_.drive(from_slot);
  Drive& td = index_.drive(to_slot);
  if (from.waiting) {
    from.waiting = false;
    spares_.stop_waiting(from_slot);
  }
  const auto held = from.held;
  for (const auto& [gp, m] : held) {
    Group& g = *gp;
    if (g.lun.lost() || g.member[m] != MemberState::Failed) continue;
    const base::Bytes bytes = g.lun.member_bytes()[m];
    if (to_spare) {
      fd.free_owner(g.lun.id());
      unhold(from_slot, g, m);
      hold(to_slot, g, m);
    }
    std::vector<Extent> pieces;
    td.allocate(bytes, g.lun.id(), &pieces);
    g.lun.replace_member(m, td, pieces.empty() ? 0 : pieces.front().offset);
    enqueue(g, m);
    start_rebuilds(g);
  }
}

void ArrayImpl::serve_waiting() {
  while (!spares_.waiting().empty())
    if (!take_spare(spares_.waiting().front())) return;
}

void ArrayImpl::replace_now(std::uint32_t index) {
  Slot& slot = slots_[index];
  Drive& d = index_.drive(index);
  sim_->cancel(slot.replace);
  slot.replace = engine::EventId{};
  events_->drive_leaving(index);
  const std::string predecessor = d.name();
  ++slot.generation;
  d.replace(slot_name(index_.first_name(index), slot.generation));
  ++stats_.replacements;
  events_->drive_replaced(index, predecessor);
  processes_.renew(index);
  // Into an enclosure that is out: the new drive is offline with the others, without the
  // timeout (it was never online to time out from).
  if (!events_->enclosure_reachable(index_.enclosure(index))) {
    set_drive_offline(index, true);
    sim_->cancel(slot.offline_timer);
    slot.offline_timer = engine::EventId{};
  }
}

void ArrayImpl::on_replace(std::uint64_t index) {
  const auto s = static_cast<std::uint32_t>(index);
  slots_[s].replace = engine::EventId{};
  replace_now(s);
  if (has_orphans(slots_[s])) move_members(s, s, false);
  else make_spare(s);
}

// ---------------------------------------------------------------------------------------------
// Rebuilds

void ArrayImpl::enqueue(Group& g, std::uint32_t m) {
  g.member[m] = MemberState::Waiting;
  g.queue.push_back(m);
}

void ArrayImpl::start_rebuilds(Group& g) {
  if (!repair_.automatic && g.recoveries == 0) return;
  while (!g.queue.empty() && !g.lun.lost() && !g.lun.unavailable()) {
    if (repair_.policy == RepairPolicy::Sequential && !g.rebuilds.empty()) return;
    // The first member in order whose target is online; one whose target is offline keeps its
    // place and waits for its enclosure.
    const auto it = std::find_if(g.queue.begin(), g.queue.end(), [&](std::uint32_t m) {
      return g.lun.members()[m]->state() == DriveState::Online;
    });
    if (it == g.queue.end()) return;
    const std::uint32_t m = *it;
    g.queue.erase(it);
    start_rebuild(g, m);
  }
}

void ArrayImpl::start_rebuild(Group& g, std::uint32_t m) {
  Lun& lun = g.lun;
  sector_losses(g, m);
  Rebuild& r = rebuilds_.acquire();
  r.group = &g;
  r.member = m;
  r.target = lun.members()[m];
  r.base = lun.member_base(m);
  r.total = lun.member_bytes()[m].value;
  r.priority = static_cast<std::uint8_t>(std::clamp<int>(g.priority, 0, 15));
  const RaidLevel level = lun.geometry().level;
  for (std::uint32_t i = 0; i < lun.members().size(); ++i) {
    if (i == m || g.member[i] != MemberState::Ok || lun.member_down(i)) continue;  // failed or offline
    if (level == RaidLevel::Raid10 && (i & ~1u) != (m & ~1u)) continue;
    r.sources.push_back(lun.members()[i]);
    r.source_base.push_back(lun.member_base(i));
    if (level == RaidLevel::Mirror) break;  // one copy is enough
  }
  g.member[m] = MemberState::Rebuilding;
  events_->rebuild_started(lun, m, *r.target);
  g.rebuilds.push_back(&r);
  ++stats_.rebuilds_started;
  update_condition(g);
  rebuilds_.begin(r, repair_tag(r.target->entity()));
}

void ArrayImpl::rebuild_done(Rebuild& r) {
  Group& g = *static_cast<Group*>(r.group);
  const std::uint32_t m = r.member;
  stop(r);
  std::erase(g.rebuilds, &r);
  ++stats_.rebuilds_completed;
  g.member[m] = MemberState::Ok;
  g.read_exposed[m] = false;
  g.lun.set_member_down(m, false);
  update_condition(g);
  start_rebuilds(g);
  if (std::all_of(g.member.begin(), g.member.end(), [](MemberState s) { return s == MemberState::Ok; }))
    finish_recovery(g, RecoveryResult::Healthy);
}

void ArrayImpl::stop(Rebuild& r) {
  if (!r.active()) return;
  events_->rebuild_ended(static_cast<Group*>(r.group)->lun, r.member, *r.target);
  rebuilds_.release(r);
}

void ArrayImpl::abort_rebuilds(Group& g, const Drive* involving) {
  std::vector<std::uint32_t> restart;
  for (Rebuild* r : g.rebuilds) {
    if (involving != nullptr) {
      const bool source = std::find(r->sources.begin(), r->sources.end(), involving) != r->sources.end();
      if (!source || r->target == involving) continue;
    }
    stop(*r);
    if (involving != nullptr) restart.push_back(r->member);
    else g.member[r->member] = MemberState::Failed;
  }
  std::erase_if(g.rebuilds, [](Rebuild* r) { return !r->active(); });
  // Restarted rebuilds go first, in their order.
  for (auto it = restart.rbegin(); it != restart.rend(); ++it) {
    g.member[*it] = MemberState::Waiting;
    g.queue.insert(g.queue.begin(), *it);
  }
}

void ArrayImpl::sector_losses(Group& g, std::uint32_t m) {
  // A rebuild restarted (a source failed, a drive went offline) reads the same survivors again:
  // the sectors found unreadable the first time were lost then, and are not lost twice.
  if (g.read_exposed[m]) return;
  const Lun& lun = g.lun;
  const Geometry& geo = lun.geometry();
  std::uint32_t up = 0;
  for (std::uint32_t i = 0; i < g.member.size(); ++i)
    up += g.member[i] == MemberState::Ok && !lun.member_down(i) ? 1 : 0;
  bool exposed = false;
  switch (geo.level) {
    case RaidLevel::Raid5: exposed = geo.members - up >= 1; break;
    case RaidLevel::Raid6: exposed = geo.members - up >= 2; break;
    case RaidLevel::Mirror: exposed = up <= 1; break;
    case RaidLevel::Raid10: exposed = true; break;
    default: break;
  }
  if (!exposed || (repair_.ure_per_bit <= 0 && !processes_.any_latent_errors())) return;
  g.read_exposed[m] = true;
  std::uint64_t sectors = 0;
  double bits = 0;
  for (std::uint32_t i = 0; i < geo.members; ++i) {
    if (i == m || g.member[i] != MemberState::Ok || lun.member_down(i)) continue;  // failed or offline
    if (geo.level == RaidLevel::Raid10 && (i & ~1u) != (m & ~1u)) continue;
    const Drive& d = *lun.members()[i];
    const std::uint64_t lo = lun.member_base(i), hi = lo + lun.member_bytes()[i].value;
    sectors += processes_.latent_errors_in(d.tag(), lo, hi);
    bits += 8.0 * static_cast<double>(lun.member_bytes()[i].value);
    if (geo.level == RaidLevel::Mirror) break;
  }
  if (repair_.ure_per_bit > 0) sectors += poisson(repair_rng_, bits * repair_.ure_per_bit);
  if (sectors == 0) return;
  processes_.settle();
  stats_.losses.push_back(DataLoss{sim_->now(), lun.label(), base::Bytes{sectors * repair_.sector.value}, false,
                                   g.log_weight, stats_.log_weight});
  events_->sectors_lost(g.lun, sectors);
}

// ---------------------------------------------------------------------------------------------
// Requested recovery

void ArrayImpl::finish_recovery(Group& g, RecoveryResult r) {
  if (g.recoveries == 0) return;
  g.recoveries = 0;
  events_->recovery_finished(g.lun, r);
}

void ArrayImpl::recover(Lun& lun) {
  Group& g = group(lun);
  if (g.recoveries == 0) return;  // finished meanwhile (lost, removed)
  // Spares for the members that have no target yet, then the rebuilds.
  for (std::uint32_t m = 0; m < g.member.size(); ++m)
    if (g.member[m] == MemberState::Failed) take_spare(lun.members()[m]->tag());
  start_rebuilds(g);
  bool healthy = true, stuck = false;
  for (const MemberState s : g.member) {
    healthy = healthy && s == MemberState::Ok;
    stuck = stuck || s == MemberState::Failed;
  }
  if (healthy) finish_recovery(g, RecoveryResult::Healthy);
  else if (stuck) finish_recovery(g, RecoveryResult::NoTarget);
}

// ---------------------------------------------------------------------------------------------
// Offline drives (an enclosure outage)

void ArrayImpl::pause_rebuilds(Group& g, const Drive& d) {
  std::vector<std::uint32_t> paused;
  for (Rebuild* r : g.rebuilds) {
    const bool source = std::find(r->sources.begin(), r->sources.end(), &d) != r->sources.end();
    if (!source && r->target != &d) continue;
    stop(*r);
    paused.push_back(r->member);
  }
  std::erase_if(g.rebuilds, [](Rebuild* r) { return !r->active(); });
  for (auto it = paused.rbegin(); it != paused.rend(); ++it) {
    g.member[*it] = MemberState::Waiting;
    g.queue.insert(g.queue.begin(), *it);
  }
}

void ArrayImpl::set_drive_offline(std::uint32_t index, bool offline) {
  Drive& d = index_.drive(index);
  Slot& slot = slots_[index];
  if (offline) {
    if (d.state() != DriveState::Online) return;
    d.go_offline();
    events_->drive_offline(index);
    for (const auto& [g, m] : slot.held) {
      if (g->lun.lost()) continue;
      if (g->member[m] == MemberState::Ok) {
        if (g->degraded_since == base::never) g->degraded_since = sim_->now();
        g->lun.set_member_down(m, true);
      }
      pause_rebuilds(*g, d);
      update_condition(*g);
    }
    if (repair_.offline_timeout != base::forever)
      slot.offline_timer = sim_->schedule_cancellable_at(
          base::saturating_add(sim_->now(), repair_.offline_timeout),
          engine::Action::member<ArrayImpl, &ArrayImpl::on_offline_timeout>(this, index), repair_tag(d.entity()));
    return;
  }
  if (d.state() != DriveState::Offline) return;
  d.come_online();
  sim_->cancel(slot.offline_timer);
  slot.offline_timer = engine::EventId{};
  events_->drive_online(index);
  for (const auto& [g, m] : slot.held) {
    if (g->lun.lost()) continue;
    if (g->member[m] == MemberState::Ok) g->lun.set_member_down(m, false);
  }
  for (const auto& [g, m] : slot.held) {
    if (g->lun.lost()) continue;
    update_condition(*g);
    start_rebuilds(*g);
  }
  // A hot spare back: members that waited for one (its enclosure being out) take it now.
  if (d.hot_spare() && repair_.automatic) serve_waiting();
}

void ArrayImpl::on_offline_timeout(std::uint64_t index) {
  slots_[index].offline_timer = engine::EventId{};
  fail_drive(static_cast<std::uint32_t>(index));
}

} // namespace sim::storage
