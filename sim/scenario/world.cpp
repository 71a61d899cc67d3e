#include "sim/scenario/world.hpp"

#include "sim/scenario/loader_sections.hpp"
#include "sim/scenario/topology.hpp"

#include <stdexcept>

namespace sim::scenario {

World::World(engine::Simulation& sim, const ScenarioSpec& spec) : spec_(&spec) {
  ledger_.set_clock(&sim);
  if (!spec.faults.empty()) faults_ = std::make_unique<provider::FaultPlan>(sim, spec.faults);
  for (const DriveModelSpec& m : spec.drive_models) {
    storage::DriveModel model;
    model.name = m.name;
    model.capacity = m.capacity;
    model.bandwidth = m.bandwidth;
    model.read_latency = m.read_latency;
    model.write_latency = m.write_latency;
    model.mechanics = m.mechanics;
    model.write_bandwidth = m.write_bandwidth;
    model.write_buffer = m.write_buffer;
    models_.push_back(std::move(model));
    if (m.lifetime) model_lifetimes_.emplace_back(storage::Lifetime{*m.lifetime, m.age});
    else model_lifetimes_.emplace_back();
    model_latent_.push_back(m.latent_errors);
  }
  auto model_index = [&](const std::string& name) -> std::uint32_t {
    for (std::uint32_t i = 0; i < models_.size(); ++i)
      if (models_[i].name == name) return i;
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
    c.ports_per_controller = static_cast<std::int16_t>(spec.topology.controller_ports);
    c.placement = s.placement;
    subsystems_.push_back(std::make_unique<provider::Subsystem>(sim, ledger_, c));
    provider::Subsystem& sub = *subsystems_.back();
    if (faults_) sub.set_faults(faults_.get());
    sub.array().set_repair(spec.repair);
    if (spec.estimator.importance_sampling()) sub.array().set_failure_biasing(spec.estimator.biasing);
    std::int16_t bus = 0;
    for (const EnclosureSpec& e : s.enclosures) {
      const std::uint32_t model = model_index(e.model.value);
      const std::string& enclosure = enclosure_names_.emplace_back(e.name);
      for (std::uint32_t i = 0; i < e.count; ++i) {
        provider::DriveObject& d = sub.add_drive(e.name + "/" + std::to_string(i), models_[model], bus);
        drives_.push_back(DriveInfo{&d, &enclosure, i >= e.count - e.hot_spares});
        model_of_.push_back(model);
      }
      ++bus;
    }
  }
  if (spec.topology.present) {
    topology_ = std::make_unique<storage::Topology>();
    build_topology(spec, *topology_);
    fabric_ = std::make_unique<provider::Fabric>(sim, *topology_, spec.topology.fabric);
    std::size_t first_drive = 0;
    for (std::size_t si = 0; si < spec.subsystems.size(); ++si) {
      const SubsystemSpec& s = spec.subsystems[si];
      std::vector<storage::Topology::Vertex> controllers, enclosures;
      std::vector<std::vector<storage::Topology::Vertex>> ports;
      std::vector<std::vector<provider::DriveObject*>> drives;
      for (std::uint32_t c = 0; c < s.controllers; ++c) {
        const std::string name = s.name + "/ctl-" + std::to_string(c);
        controllers.push_back(topology_->find(name));
        ports.emplace_back();
        for (std::uint32_t p = 0; p < spec.topology.controller_ports; ++p)
          ports.back().push_back(topology_->find(name + "/p" + std::to_string(p)));
      }
      for (const EnclosureSpec& e : s.enclosures) {
        enclosures.push_back(topology_->find(s.name + "/" + e.name));
        drives.emplace_back();
        // The enclosure's drives are contiguous in drives_ (added in enclosure order).
        for (std::size_t i = 0; i < e.count; ++i) drives.back().push_back(drives_[first_drive++].object);
      }
      fabric_->attach(*subsystems_[si], std::move(controllers), std::move(ports), std::move(enclosures), std::move(drives));
    }
  }
  if (spec.failures.lifetime) lifetime_ = storage::Lifetime{*spec.failures.lifetime, spec.failures.age};
  latent_ = spec.failures.latent_errors;
  ledger_.mark();
  arm();
}

void World::reset() {
  ledger_.reset();
  if (fabric_) fabric_->reset();
  for (const auto& s : subsystems_) s->reset();
  arm();
}

void World::arm() {
  // Hot spares, then each drive's lifetime and latent errors, from time 0.
  for (const DriveInfo& d : drives_)
    if (d.hot_spare) d.object->subsystem().array().set_hot_spare(d.object->slot(), true);
  const FailuresSpec& f = spec_->failures;
  for (std::size_t i = 0; i < drives_.size(); ++i) {
    const DriveInfo& d = drives_[i];
    // The law: failures.lifetime for the drives `drives` names, else the model's, else
    // failures.lifetime when `drives` names none (FailuresSpec).
    const storage::Lifetime* life = nullptr;
    bool named = false;
    for (const auto& n : f.drives) named = named || n.value == d.slot() || n.value == d.enclosure();
    if (lifetime_ && named) life = &*lifetime_;
    else if (const auto& own = model_lifetimes_[model_of_[i]]) life = &*own;
    else if (lifetime_ && f.drives.empty()) life = &*lifetime_;
    const auto& own_latent = model_latent_[model_of_[i]];
    const storage::LatentErrorLaw* latent = own_latent ? &*own_latent : latent_ ? &*latent_ : nullptr;
    storage::Array& array = d.object->subsystem().array();
    if (life != nullptr) array.set_lifetime(d.object->slot(), life);
    if (latent != nullptr) array.set_latent_errors(d.object->slot(), latent);
  }
  // Topology changes: scheduled, then random (names were checked by the loader).
  if (fabric_) {
    for (const TopologyEventSpec& e : spec_->topology.events)
      fabric_->schedule(*detail::resolve_component(*topology_, e.component.value), e.at, e.up);
    for (const TopologyRandomSpec& r : spec_->topology.random)
      fabric_->add_random(*detail::resolve_component(*topology_, r.component.value), r.time_to_failure, r.time_to_repair);
  }
}

const DriveInfo* World::find_slot(std::string_view name) const {
  for (const auto& d : drives_)
    if (d.slot() == name) return &d;
  return nullptr;
}

provider::Subsystem* World::subsystem(std::string_view name) const {
  if (name.empty()) return subsystems_.size() == 1 ? subsystems_.front().get() : nullptr;
  for (const auto& s : subsystems_)
    if (s->config().name == name) return s.get();
  return nullptr;
}

} // namespace sim::scenario
