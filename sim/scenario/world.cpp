#include "sim/scenario/world.hpp"

#include <stdexcept>

namespace sim::scenario {

World::World(engine::Simulation& sim, const ScenarioSpec& spec) : spec_(&spec) {
  if (!spec.faults.empty()) faults_ = std::make_unique<provider::FaultPlan>(sim, spec.faults);
  for (const DriveModelSpec& m : spec.drive_models) {
    storage::DriveModel model;
    model.name = m.name;
    model.capacity = m.capacity;
    model.bandwidth = m.bandwidth;
    model.read_latency = m.read_latency;
    model.write_latency = m.write_latency;
    models_.push_back(std::move(model));
  }
  auto model_of = [&](const std::string& name) -> const storage::DriveModel& {
    for (const auto& m : models_)
      if (m.name == name) return m;
    throw std::logic_error("world: unknown drive model " + name);
  };
  for (const SubsystemSpec& s : spec.subsystems) {
    provider::SubsystemConfig c;
    c.name = s.name;
    c.management_latency = s.management_latency;
    c.provisioning_priority = s.provisioning_priority;
    c.chunk_size = s.chunk_size;
    c.initialize = s.initialize;
    c.controllers = static_cast<std::int16_t>(s.controllers);
    c.placement = s.placement;
    subsystems_.push_back(std::make_unique<provider::Subsystem>(sim, ledger_, c));
    provider::Subsystem& sub = *subsystems_.back();
    if (faults_) sub.set_faults(faults_.get());
    sub.set_repair(spec.repair);
    std::int16_t bus = 0;
    for (const EnclosureSpec& e : s.enclosures) {
      const storage::DriveModel& model = model_of(e.model.value);
      for (std::uint32_t i = 0; i < e.count; ++i) {
        provider::DriveObject& d = sub.add_drive(e.name + "/" + std::to_string(i), model, bus);
        drives_.push_back(DriveInfo{s.name, e.name, model.name, d.drive().name(), &d, i >= e.count - e.hot_spares});
      }
      ++bus;
    }
  }
  if (spec.failures.lifetime) lifetime_ = provider::Lifetime{*spec.failures.lifetime, spec.failures.age};
  ledger_.mark();
  arm();
}

void World::reset() {
  ledger_.reset();
  for (const auto& s : subsystems_) s->reset();
  arm();
}

void World::arm() {
  // Hot spares, then lifetimes (and latent errors), from time 0.
  for (const DriveInfo& d : drives_)
    if (d.hot_spare) subsystem(d.subsystem)->set_hot_spare(*d.object, true);
  const FailuresSpec& f = spec_->failures;
  for (const DriveInfo& d : drives_) {
    bool mortal = f.lifetime.has_value();
    if (mortal && !f.drives.empty()) {
      mortal = false;
      for (const auto& n : f.drives) mortal = mortal || n.value == d.slot || n.value == d.enclosure;
    }
    provider::Subsystem& sub = *subsystem(d.subsystem);
    if (mortal) sub.set_lifetime(*d.object, &*lifetime_);
    else sub.start_latent_errors(*d.object);
  }
}

const DriveInfo* World::find_slot(std::string_view name) const {
  for (const auto& d : drives_)
    if (d.slot == name) return &d;
  return nullptr;
}

provider::Subsystem* World::subsystem(std::string_view name) const {
  if (name.empty()) return subsystems_.size() == 1 ? subsystems_.front().get() : nullptr;
  for (const auto& s : subsystems_)
    if (s->config().name == name) return s.get();
  return nullptr;
}

} // namespace sim::scenario
