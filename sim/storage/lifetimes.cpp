#include "sim/storage/lifetimes.hpp"

#include <algorithm>
#include <cmath>
#include <string_view>

namespace sim::storage {

struct FailureProcesses::Latent {
  std::uint64_t offset = 0;  // byte on the drive
  std::uint32_t id = 0;
  engine::EventId scrub;
};

struct FailureProcesses::LatentErrors {
  const LatentErrorLaw* law = nullptr;
  std::vector<Latent> present;  // latent errors present now
  engine::EventId next;         // the next latent sector error
  std::uint32_t next_id = 0;
  engine::RandomStream rng{0};
};

/// A slot's state under failure biasing: its drive's own stream, age and biased window.
struct FailureProcesses::Biased {
  engine::RandomStream rng{0};
  base::Time birth{};         // when the drive in the slot was put in (0 for the first drive)
  base::Duration base_age{};  // its age then
  double rate = 0;            // the biased hazard per second now (0: the law's)
  base::Time since{};         // start of the biased window
  bool alive = false;         // the drive has not failed

  base::Duration age(base::Time now) const { return base::saturating_add(base_age, now - birth); }
};

/// Kept small (an array may hold millions): latent-error and biasing state live out of line,
/// only where a latent-error law or failure biasing needs them.
struct FailureProcesses::Slot {
  const Lifetime* lifetime = nullptr;
  engine::EventId life;                  // the failure of the drive in the slot now
  std::unique_ptr<LatentErrors> latent;  // made when the slot gets a latent-error law
  std::unique_ptr<Biased> biased;        // made when biasing is on and the slot gets a law
};

namespace {

/// sim.stream(prefix + name) without building a heap string for names of usual length.
engine::RandomStream stream_of(const engine::Simulation& sim, std::string_view prefix, std::string_view name) {
  char buf[128];
  if (prefix.size() + name.size() > sizeof buf) return sim.stream(std::string(prefix) + std::string(name));
  std::copy(prefix.begin(), prefix.end(), buf);
  std::copy(name.begin(), name.end(), buf + prefix.size());
  return sim.stream(std::string_view(buf, prefix.size() + name.size()));
}

} // namespace

FailureProcesses::FailureProcesses(engine::Simulation& sim, const DriveIndex& index, Listener& listener,
                                   ReliabilityStats& stats)
    : sim_(&sim), index_(&index), listener_(&listener), stats_(&stats) {}

FailureProcesses::~FailureProcesses() = default;

void FailureProcesses::add_slot() { slots_.emplace_back(); }

void FailureProcesses::set_lifetime(std::uint32_t slot, const Lifetime* law) {
  slots_[slot].lifetime = law;
  arm(slot, true);
}

void FailureProcesses::set_latent_errors(std::uint32_t slot, const LatentErrorLaw* law) {
  Slot& s = slots_[slot];
  if (law == nullptr) {
    if (s.latent) stop(slot);
    s.latent.reset();
    return;
  }
  any_latent_ = true;
  if (!s.latent) s.latent = std::make_unique<LatentErrors>();
  s.latent->law = law;
  start_latent(slot);
}

void FailureProcesses::arm(std::uint32_t index, bool first) {
  Slot& slot = slots_[index];
  sim_->cancel(slot.life);
  slot.life = engine::EventId{};
  if (slot.lifetime == nullptr) return;
  const Drive& d = index_->drive(index);
  base::Duration life;
  if (biasing_) {
    if (!slot.biased) slot.biased = std::make_unique<Biased>();
    Biased& b = *slot.biased;
    b.rng = stream_of(*sim_, "life/", d.name());
    b.birth = sim_->now();
    b.base_age = first ? slot.lifetime->age : base::Duration{};
    b.rate = 0;
    b.alive = true;
    life = slot.lifetime->law.sample_residual(b.rng, b.base_age);
  } else {
    engine::RandomStream rng = stream_of(*sim_, "life/", d.name());
    life = first ? slot.lifetime->law.sample_residual(rng, slot.lifetime->age) : slot.lifetime->law.sample(rng);
  }
  if (life == base::forever) return;
  slot.life = sim_->schedule_cancellable_at(base::saturating_add(sim_->now(), life),
                                            engine::Action::member<FailureProcesses, &FailureProcesses::on_lifetime>(this, index),
                                            listener_->repair_tag(d.entity()));
}

void FailureProcesses::on_lifetime(std::uint64_t slot) {
  slots_[slot].life = engine::EventId{};
  if (slots_[slot].biased) close_window(static_cast<std::uint32_t>(slot), true);
  listener_->lifetime_ended(static_cast<std::uint32_t>(slot));
}

void FailureProcesses::close_window(std::uint32_t index, bool failed) {
  Slot& slot = slots_[index];
  Biased& b = *slot.biased;
  if (b.alive && b.rate > 0) {
    const engine::Distribution& law = slot.lifetime->law;
    const base::Time now = sim_->now();
    const double dt = static_cast<double>((now - b.since).count()) * 1e-9;
    double log_ratio = -(law.cumulative_hazard(b.age(now)) - law.cumulative_hazard(b.age(b.since))) + b.rate * dt;
    if (failed) log_ratio += std::log(law.hazard_per_second(b.age(now))) - std::log(b.rate);
    listener_->weight(index, log_ratio);
  }
  b.since = sim_->now();
  if (failed) b.alive = false;
}

void FailureProcesses::bias(std::uint32_t index, double per_second) {
  Slot& slot = slots_[index];
  if (!slot.biased || !slot.biased->alive || slot.lifetime == nullptr) return;
  Biased& b = *slot.biased;
  if (per_second == b.rate) return;
  close_window(index, false);
  b.rate = per_second;
  sim_->cancel(slot.life);
  slot.life = engine::EventId{};
  base::Duration life;
  if (per_second > 0) {
    const double seconds = -std::log(b.rng.uniform01_open_low()) / per_second;
    life = seconds * 1e9 >= 9.2e18 ? base::forever : base::Duration{static_cast<std::int64_t>(std::llround(seconds * 1e9))};
  } else {
    life = slot.lifetime->law.sample_residual(b.rng, b.age(sim_->now()));
  }
  if (life == base::forever) return;
  slot.life = sim_->schedule_cancellable_at(base::saturating_add(sim_->now(), life),
                                            engine::Action::member<FailureProcesses, &FailureProcesses::on_lifetime>(this, index),
                                            listener_->repair_tag(index_->drive(index).entity()));
}

void FailureProcesses::settle() {
  if (!biasing_) return;
  for (std::uint32_t i = 0; i < slots_.size(); ++i)
    if (slots_[i].biased && slots_[i].biased->alive && slots_[i].biased->rate > 0) close_window(i, false);
}

double FailureProcesses::bias_rate(std::uint32_t slot) const {
  const auto& b = slots_[slot].biased;
  return b && b->alive ? b->rate : 0;
}

void FailureProcesses::start_latent(std::uint32_t index) {
  Slot& slot = slots_[index];
  if (!slot.latent) return;
  slot.latent->rng = stream_of(*sim_, "latent/", index_->drive(index).name());
  schedule_latent(index);
}

void FailureProcesses::schedule_latent(std::uint32_t index) {
  Slot& slot = slots_[index];
  const base::Duration gap = slot.latent->law->interval.sample(slot.latent->rng);
  if (gap == base::forever) return;
  slot.latent->next = sim_->schedule_cancellable_at(
      base::saturating_add(sim_->now(), gap),
      engine::Action::member<FailureProcesses, &FailureProcesses::on_latent>(this, index),
      listener_->repair_tag(index_->drive(index).entity()));
}

void FailureProcesses::on_latent(std::uint64_t index) {
  Slot& slot = slots_[index];
  LatentErrors& le = *slot.latent;
  le.next = engine::EventId{};
  const Drive& d = index_->drive(static_cast<std::uint32_t>(index));
  Latent e;
  e.offset = le.rng.below(std::max<std::uint64_t>(1, d.capacity().value));
  e.id = le.next_id++;
  const base::Duration removal = le.law->scrub.sample(le.rng);
  if (removal != base::forever)
    e.scrub = sim_->schedule_cancellable_at(base::saturating_add(sim_->now(), removal),
                                            engine::Action::member<FailureProcesses, &FailureProcesses::on_scrub>(
                                                this, (index << 32) | e.id),
                                            listener_->repair_tag(d.entity()));
  le.present.push_back(e);
  ++stats_->latent_errors;
  schedule_latent(static_cast<std::uint32_t>(index));
}

void FailureProcesses::on_scrub(std::uint64_t slot_and_id) {
  Slot& slot = slots_[slot_and_id >> 32];
  const auto id = static_cast<std::uint32_t>(slot_and_id & 0xFFFF'FFFFu);
  if (slot.latent) std::erase_if(slot.latent->present, [&](const Latent& e) { return e.id == id; });
}

void FailureProcesses::stop(std::uint32_t index) {
  Slot& slot = slots_[index];
  if (slot.biased && slot.biased->alive) {
    close_window(index, false);
    slot.biased->alive = false;
    slot.biased->rate = 0;
  }
  sim_->cancel(slot.life);
  slot.life = engine::EventId{};
  if (slot.latent) {
    sim_->cancel(slot.latent->next);
    slot.latent->next = engine::EventId{};
    for (Latent& e : slot.latent->present) sim_->cancel(e.scrub);
    slot.latent->present.clear();
  }
}

void FailureProcesses::renew(std::uint32_t slot) {
  arm(slot, false);
  start_latent(slot);
}

std::uint64_t FailureProcesses::latent_errors_in(std::uint32_t slot, std::uint64_t lo, std::uint64_t hi) const {
  const auto& le = slots_[slot].latent;
  if (!le) return 0;
  std::uint64_t n = 0;
  for (const Latent& e : le->present) n += e.offset >= lo && e.offset < hi ? 1 : 0;
  return n;
}

std::size_t FailureProcesses::slot_bytes() { return sizeof(Slot); }

void FailureProcesses::reset() {
  any_latent_ = false;
  for (Slot& slot : slots_) {
    slot.lifetime = nullptr;
    slot.life = engine::EventId{};
    slot.latent.reset();
    slot.biased.reset();
  }
}

} // namespace sim::storage
