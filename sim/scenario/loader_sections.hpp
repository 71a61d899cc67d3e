// The scenario loader's section readers and cross-checks (internal to sim/scenario, like
// yaml_reader.hpp): Loader fills a ScenarioSpec section by section (sections.cpp,
// faults_section.cpp), then checks references across sections (checks.cpp).
#pragma once

#include "sim/scenario/loader.hpp"
#include "sim/scenario/presets.hpp"
#include "sim/scenario/spec.hpp"
#include "sim/scenario/yaml_reader.hpp"

#include "sim/base/name_table.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sim::storage {
class Topology;
}

namespace sim::scenario::detail {

/// The component a `topology:` name denotes: a vertex other than a drive, or a link "A -- B".
std::optional<provider::Component> resolve_component(const storage::Topology& t, std::string_view name);

/// " (did you mean 'x'?)" when a candidate is close to `word`, else empty.
inline std::string hint_for(std::string_view word, const std::vector<std::string>& candidates) {
  const std::string hint = did_you_mean(word, candidates);
  return hint.empty() ? std::string() : " (did you mean " + q(hint) + "?)";
}

inline std::string first_at(const base::SourceLoc& loc) { return "first at line " + std::to_string(loc.line); }

/// A scalar naming one of `names`' values: "key 'K': unknown WHAT 'x' (did you mean 'y'?);
/// accepted: a, b, c" otherwise (the list from the table, in its order).
template <class E, std::size_t N>
std::optional<E> get_choice(Reader& r, const YAML::Node& v, std::string_view key, const base::NameTable<E, N>& names,
                            std::string_view what = "value") {
  const auto s = get_string(r, v, key);
  if (!s) return std::nullopt;
  if (const auto e = names.parse(*s)) return e;
  r.error(v, "key " + q(key) + ": unknown " + std::string(what) + " " + q(*s) + hint_for(*s, names.names()) +
                 "; accepted: " + names.accepted());
  return std::nullopt;
}

/// The scenario's drive names, "<enclosure>/<index>" for each index below the enclosure's drive
/// count, answered from the enclosures alone: a scenario may have 10^7 drives, and no name is
/// listed (lookups and hints cost O(enclosures), not O(drives)).
class DriveNames {
public:
  /// An enclosure of `count` drives (a name given twice keeps the larger count).
  void add(const std::string& enclosure, std::uint32_t count);
  /// `name` is "<enclosure>/<index>" with the index written as std::to_string writes it.
  bool contains(std::string_view name) const;
  /// The first drive name in string order; empty when there is no drive.
  std::string first() const;
  /// did_you_mean(word, D + `then`) where D is every drive name in string order.
  std::string did_you_mean(std::string_view word, const std::vector<std::string>& then = {}) const;

private:
  std::map<std::string, std::uint32_t, std::less<>> enclosures_;  // name -> drive count
};

/// The edit distance did_you_mean uses (insertions, deletions, substitutions and swaps of two
/// adjacent characters), and the largest distance it accepts for `word`.
std::size_t edit_distance(std::string_view a, std::string_view b);
std::size_t hint_limit(std::string_view word);

/// The index a drive name ends with ("<enclosure>/<index>"): `digits` as std::to_string writes
/// an index (no sign, no leading zero), if it is below `count`.
std::optional<std::uint32_t> drive_index(std::string_view digits, std::uint32_t count);

struct Loader {
  Loader(Reader& reader, ScenarioSpec& s) : r(reader), spec(s) {}

  Reader& r;
  ScenarioSpec& spec;
  bool horizon_given = false;  // the scenario has a `horizon` key (even an invalid one)
  bool models_ok = true;  // false when 'drive_models' is not a map: model references are not checked
  DriveNames drive_names;                                  // every drive of every subsystem
  std::map<std::string, base::SourceLoc> enclosure_names;  // every enclosure
  std::map<std::string, base::SourceLoc> op_names;
  std::map<std::string, std::vector<std::string>> groups;  // `every:` name -> expanded names
  std::vector<SourceLoc> fault_targets;  // per fault: where its `target:` is (unset: none)

  // sections.cpp
  void drive_models(const YAML::Node& n);
  /// One model (`preset:` merged first); appends it to spec.drive_models, valid or not.
  void drive_model(const std::string& name, base::SourceLoc loc, YAML::Node body);
  /// A disk model's keys (rpm, zones, media_rate, seek) into d.mechanics.
  void disk_mechanics(const MapReader& m, DriveModelSpec& d);
  const DriveModelSpec* model(std::string_view name) const;
  void subsystems(const YAML::Node& n);
  void add_op(OpSpec op, const YAML::Node& at_node);
  void op_item(const MapReader& m, int index);
  void io_item(const YAML::Node& n, int index);
  /// The keys of a closed- or open-loop load (sections.cpp).
  void synthetic_load(const MapReader& m, IoSpec& io);
  /// The keys of a load with `trace:` (trace_section.cpp); reads the whole trace to check it.
  void trace_load(const MapReader& m, IoSpec& io);
  void workload(const YAML::Node& n);
  void metrics(const YAML::Node& n);

  // faults_section.cpp
  void provider_section(const YAML::Node& n);
  void fault_item(const YAML::Node& n, std::size_t index);
  /// A fault's `target:` names a subsystem (create_lun calls are made on one) or a LUN created by
  /// the workload (extend_lun, shrink_lun and delete_lun calls are made on one).
  void check_fault_targets(const std::vector<std::string>& subsystem_names, const std::vector<std::string>& creates);

  // failures_section.cpp
  /// `lifetime:` — {afr: 2%}, {mttf: 1000000h} or a distribution map (`failures` and models).
  std::optional<engine::Distribution> lifetime_law(const YAML::Node& v);
  /// `latent_errors:` — {interval: LAW, scrub: LAW} (`failures` and models).
  std::optional<storage::LatentErrorLaw> latent_error_law(const YAML::Node& v);
  void failures_section(const YAML::Node& n);
  void repair_section(const YAML::Node& n);
  /// `reliability:` — {method: monte_carlo | importance_sampling, bias: P}.
  void reliability_section(const YAML::Node& n);
  /// Drive and enclosure names of `failures:` exist; coarse rebuilds only without I/O loads;
  /// importance sampling has lifetime laws with a hazard to bias.
  void check_failures();

  // topology_section.cpp
  void topology_section(const YAML::Node& n);
  /// Component and link names of `topology.events` and `topology.random` exist.
  void check_topology();

  // sweep_section.cpp
  void sweep_section(const YAML::Node& n);

  // checks.cpp
  std::vector<std::string> names_of_creates() const;
  void cross_check();
  std::vector<std::string> expand(const std::string& name) const;
  void check_cycles();
  void expand_after();
};

} // namespace sim::scenario::detail
