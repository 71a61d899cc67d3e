// The built world of a scenario: drive models, subsystems with their drives, the ledger.
//
// Drives are named "<enclosure>/<index>" (0-based) in enclosure order; the last `hot_spares`
// drives of an enclosure are flagged as hot spares. When the scenario has `provider.faults`
// entries, the World owns their FaultPlan and every subsystem consults it. With a `topology:`
// section it owns the topology (sim/scenario/topology.hpp) and its Fabric, with the section's
// scheduled and random changes armed; without one, neither exists (the default topology passes
// everything through). Everything is owned
// here and lives as long as the World; the Simulation must outlive it.
#pragma once

#include "sim/engine/simulation.hpp"
#include "sim/provider/fabric.hpp"
#include "sim/provider/faults.hpp"
#include "sim/provider/ledger.hpp"
#include "sim/provider/subsystem.hpp"
#include "sim/scenario/spec.hpp"
#include "sim/storage/drive.hpp"
#include "sim/storage/topology.hpp"

#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sim::scenario {

/// One drive slot of the scenario. Kept small (a World may hold millions): the names it
/// answers come from the objects and the World, not copies.
struct DriveInfo {
  provider::DriveObject* object = nullptr;  ///< the drive in the slot now
  const std::string* enclosure_name = nullptr;  ///< owned by the World
  bool hot_spare = false;  ///< flagged a hot spare at the start (`hot_spares:`)

  /// The first drive's name ("shelf-1/7"); replacements are "shelf-1/7#2", ...
  const std::string& slot() const { return object->subsystem().first_name(*object); }
  const std::string& subsystem() const { return object->subsystem().config().name; }
  const std::string& enclosure() const { return *enclosure_name; }
  const std::string& model() const { return object->drive().model().name; }
};

class World {
public:
  World(engine::Simulation& sim, const ScenarioSpec& spec);
  World(const World&) = delete;
  /// Back to the start for a new replication, after sim.reset(): LUNs and handles forgotten,
  /// drives new, spares and lifetimes armed again (drawn from the replication's streams). The
  /// spec given to the constructor must still be alive. Not for worlds with a fault plan.
  void reset();
  World& operator=(const World&) = delete;

  provider::Ledger& ledger() { return ledger_; }
  const provider::Ledger& ledger() const { return ledger_; }
  const std::vector<std::unique_ptr<provider::Subsystem>>& subsystems() const { return subsystems_; }
  /// The named subsystem; the only one when `name` is empty. Null if absent.
  provider::Subsystem* subsystem(std::string_view name) const;
  /// Every drive, in scenario order.
  const std::vector<DriveInfo>& drives() const { return drives_; }
  /// The drive slot first named `name` (whatever drive is in it now), or null.
  const DriveInfo* find_slot(std::string_view name) const;
  /// The errant-provider fault plan shared by every subsystem; null when the scenario has no faults.
  provider::FaultPlan* faults() const { return faults_.get(); }
  /// The run-time topology and fabric; null without a `topology:` section.
  provider::Fabric* fabric() const { return fabric_.get(); }

private:
  void arm();  // hot spares, lifetimes, latent errors

  const ScenarioSpec* spec_;
  provider::Ledger ledger_;
  std::unique_ptr<provider::FaultPlan> faults_;  // before the subsystems, which point to it
  std::deque<storage::DriveModel> models_;
  std::vector<std::unique_ptr<provider::Subsystem>> subsystems_;
  std::vector<DriveInfo> drives_;
  std::deque<std::string> enclosure_names_;  // DriveInfo::enclosure_name points here
  // The laws the drives point to: `failures.lifetime` and `failures.latent_errors`, then each
  // model's own (parallel to models_; empty where the model has none).
  std::optional<storage::Lifetime> lifetime_;
  std::optional<storage::LatentErrorLaw> latent_;
  std::deque<std::optional<storage::Lifetime>> model_lifetimes_;
  std::deque<std::optional<storage::LatentErrorLaw>> model_latent_;
  std::vector<std::uint32_t> model_of_;  // per drive: its model's index in models_
  std::unique_ptr<storage::Topology> topology_;
  std::unique_ptr<provider::Fabric> fabric_;     // after the subsystems: it goes first
};

} // namespace sim::scenario
