// Scenario specs: the validated, positioned form of a scenario file, before anything is built.
//
// Every value keeps where it came from (`SourceLoc`), so later checks (unknown references,
// dependency cycles) and runtime messages can point at the line and column. Specs hold plain
// data only; sim/scenario/loader.hpp fills them from YAML, sim/scenario/world.hpp builds the model.
#pragma once

#include "sim/base/diagnostic.hpp"
#include "sim/base/name_table.hpp"
#include "sim/base/size.hpp"
#include "sim/base/time.hpp"
#include "sim/engine/distribution.hpp"
#include "sim/provider/fabric.hpp"
#include "sim/provider/faults.hpp"
#include "sim/storage/mechanics.hpp"
#include "sim/storage/placement.hpp"
#include "sim/storage/repair.hpp"
#include "sim/trace/trace.hpp"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sim::scenario {

using base::SourceLoc;

template <class T>
struct Located {
  T value{};
  SourceLoc loc;
};

struct DriveModelSpec {
  std::string name;
  SourceLoc loc;
  base::Bytes capacity;
  base::Rate bandwidth = base::Rate::unlimited();
  engine::Distribution read_latency;   ///< with mechanics: the command overhead before positioning
  engine::Distribution write_latency;
  /// A hard disk's positioning (`rpm`, `media_rate`, `zones`, `seek`); null: latency + bandwidth.
  std::shared_ptr<const storage::DiskMechanics> mechanics;
  std::optional<base::Rate> write_bandwidth;        ///< `write_bandwidth`
  std::optional<storage::WriteBuffer> write_buffer; ///< `write_buffer: {size, sustained}`
  std::string preset;                               ///< `preset:` (or `model: preset/NAME`): the preset it starts from
  /// The model's own lifetime law (`lifetime:`, same forms as failures.lifetime) and the age of
  /// the scenario's drives of this model at the start (`age:`); none: failures.lifetime applies.
  std::optional<engine::Distribution> lifetime;
  base::Duration age{};
  /// The model's own latent sector errors (`latent_errors: {interval, scrub}`); none:
  /// failures.latent_errors applies.
  std::optional<storage::LatentErrorLaw> latent_errors;
  SourceLoc random_loc;  ///< its `lifetime` (else `latent_errors`) key, for errors about random failures
};

struct EnclosureSpec {
  std::string name;
  SourceLoc loc;
  Located<std::string> model;  ///< a drive_models key
  std::uint32_t count = 0;
  std::uint32_t hot_spares = 0;  ///< the last `hot_spares` drives of the enclosure
};

struct SubsystemSpec {
  std::string name;
  SourceLoc loc;
  engine::Distribution management_latency;
  std::uint8_t provisioning_priority = 0;
  base::Bytes chunk_size{64ULL << 20};
  bool initialize = true;
  std::uint32_t controllers = 2;
  storage::Placement placement = storage::Placement::Balanced;  ///< how the provider picks drives
  SourceLoc placement_loc;
  std::vector<EnclosureSpec> enclosures;
};

enum class OpKind : std::uint8_t { CreateLun, ExtendLun, ShrinkLun, DeleteLun, RecoverLun };
inline constexpr base::NameTable<OpKind, 5> op_kind_names{{{{OpKind::CreateLun, "create_lun"},
                                                            {OpKind::ExtendLun, "extend_lun"},
                                                            {OpKind::ShrinkLun, "shrink_lun"},
                                                            {OpKind::DeleteLun, "delete_lun"},
                                                            {OpKind::RecoverLun, "recover_lun"}}}};
inline const char* to_string(OpKind k) { return op_kind_names.c_str(k); }

/// One management operation (an `every:` entry expands into `count` of them, named NAME-1..N).
struct OpSpec {
  std::string name;   ///< unique among operations; for create_lun also the LUN's name
  SourceLoc loc;
  OpKind kind = OpKind::CreateLun;
  std::optional<base::Time> at;             ///< absent: as soon as `after` allows (or 0)
  std::vector<Located<std::string>> after;  ///< operations that must complete first
  std::string subsystem;                    ///< empty: the only subsystem
  SourceLoc subsystem_loc;
  // create_lun
  std::int32_t lun_type = 0;                ///< VDS_LUN_TYPE value
  base::Bytes size;
  std::uint32_t drive_count = 0;            ///< `drives: N` (the provider picks)
  std::vector<Located<std::string>> drives; ///< `drives: [names]` (used in order)
  std::uint32_t stripe_size = 0;
  std::int16_t rebuild_priority = 0;
  // extend / shrink / delete / recover
  Located<std::string> lun;                 ///< target LUN (a create_lun's name)
  base::Bytes by;
};

enum class IoPattern : std::uint8_t { Random, Sequential };
inline constexpr base::NameTable<IoPattern, 2> io_pattern_names{
    {{{IoPattern::Random, "random"}, {IoPattern::Sequential, "sequential"}}}};

enum class TraceTiming : std::uint8_t { Recorded, Closed };
inline constexpr base::NameTable<TraceTiming, 2> trace_timing_names{
    {{{TraceTiming::Recorded, "recorded"}, {TraceTiming::Closed, "closed"}}}};

/// A trace load's source (`io: {trace: FILE, format: ..., map: {...}}`): requests read from a
/// block trace while the run goes (sim/trace/trace.hpp), one at a time.
///   recorded  a record stamped t is issued at the load's start + t / speed (open loop: the
///             trace's own arrivals, whatever the responses); `stop` ends it early
///   closed    each device's requests in file order, `depth` of them in flight per device, the
///             next issued when one completes (each device reads the file through its own reader)
/// A request that does not fit its target (offset + size beyond the target's size) is skipped.
struct TraceSpec {
  std::string file;            ///< as written in the scenario
  std::filesystem::path path;  ///< resolved against the scenario's folder
  SourceLoc loc;               ///< the `trace` value
  trace::Format format = trace::Format::Fio;
  /// Trace device -> index into the load's targets (IoSpec::luns, each target once).
  std::vector<std::pair<std::string, std::uint32_t>> map;
  std::optional<std::uint32_t> rest;  ///< `"*": TARGET`: every device `map` does not list
  TraceTiming timing = TraceTiming::Recorded;
  double speed = 1.0;
  std::uint32_t depth = 1;
  // What reading the whole trace at load time found (the scenario is checked before it runs):
  std::uint64_t records = 0;         ///< requests
  std::uint64_t reads = 0;           ///< of them, reads (IoSpec::read_fraction is reads / records)
  std::vector<std::string> devices;  ///< in order of first appearance

  /// The target index of `device`; nullopt when the map has none (not after a successful load).
  std::optional<std::uint32_t> target_of(std::string_view device) const {
    for (const auto& [d, t] : map)
      if (d == device) return t;
    return rest;
  }
};

/// A foreground load: closed loop (clients x requests, think time), open loop (Poisson rate), or
/// a trace's requests (`trace`: then clients, requests, think, rate, size, read and pattern do
/// not apply, and `luns` are the map's targets).
struct IoSpec {
  std::string name;  ///< "io-1", ... unless given
  SourceLoc loc;
  bool open_loop = false;
  std::uint32_t clients = 1;
  std::uint64_t requests = 0;         ///< per client (closed loop); 0: until the horizon
  engine::Distribution think;         ///< closed loop
  base::OpRate rate;                  ///< open loop
  base::Bytes size{4096};
  double read_fraction = 1.0;
  IoPattern pattern = IoPattern::Random;
  /// Targets, picked uniformly per request: LUN names (a create_lun's name), drive names
  /// ("shelf-1/3"), or enclosure names (every drive of the enclosure).
  std::vector<Located<std::string>> luns;
  base::Time start{};
  std::vector<Located<std::string>> after;   ///< start once these operations completed
  std::optional<base::Time> stop;            ///< open loop: stop issuing (default: horizon)
  std::optional<TraceSpec> trace;
};

/// A drive failure at a fixed time: the drive in the named slot at that time fails.
struct InjectionSpec {
  base::Time at{};
  SourceLoc at_loc;
  Located<std::string> drive;
};

/// `failures:` — what makes drives fail (repair settings are RepairConfig). Which lifetime law a
/// drive has, first match wins: failures.lifetime if `drives` names the drive or its enclosure;
/// its model's `lifetime`; failures.lifetime if `drives` is empty; none (it never fails at
/// random). Latent errors: the model's `latent_errors`, else failures.latent_errors.
struct FailuresSpec {
  bool present = false;
  SourceLoc loc;
  std::optional<engine::Distribution> lifetime;  ///< the default law; none: only models' laws
  base::Duration age{};                          ///< age of the original drives at the start
  std::vector<Located<std::string>> drives;      ///< drive or enclosure names with the lifetime; empty: all
  std::vector<InjectionSpec> inject;
  std::optional<storage::LatentErrorLaw> latent_errors;  ///< the default latent-error law
  SourceLoc random_loc;  ///< the `lifetime` (else `latent_errors`) key, for errors about random failures
};

/// A topology change at a fixed time: `{at: T, fail: NAME}` or `{at: T, repair: NAME}`.
struct TopologyEventSpec {
  base::Time at{};
  SourceLoc at_loc;
  Located<std::string> component;  ///< a vertex name, or a link "A -- B"
  bool up = false;                 ///< repair: true
};

/// A component that fails and is repaired at random, again and again.
struct TopologyRandomSpec {
  Located<std::string> component;
  engine::Distribution time_to_failure;
  engine::Distribution time_to_repair;
};

/// `topology:` — host ports, fabrics, controller ports, their servers, fail-over, outages.
/// Absent, the default topology (sim/scenario/topology.hpp) passes everything through and is
/// not simulated.
struct TopologySpec {
  bool present = false;
  SourceLoc loc;
  std::uint32_t host_ports = 2;
  std::uint32_t fabrics = 2;           ///< 0: host ports cabled straight to every controller port
  std::uint32_t controller_ports = 2;  ///< per controller; port p on fabric p mod fabrics
  provider::FabricConfig fabric;
  std::vector<TopologyEventSpec> events;
  std::vector<TopologyRandomSpec> random;
};

struct MetricsSpec {
  SourceLoc loc;                                      ///< the `metrics` key (unset: no section)
  base::Duration interval = std::chrono::seconds(1);  ///< timeseries.csv sampling interval
  bool timeseries = true;
  bool io = true;
};

/// One axis of a `sweep:` grid: a scenario path (walked as `--set` walks it: map keys, list items
/// by `name:` or 0-based index) and the values it takes, in file order.
struct SweepAxis {
  std::string path;
  SourceLoc loc;                    ///< the path key in the file
  std::vector<std::string> values;  ///< each value as YAML text (a scalar as written, else flow style)
  std::vector<SourceLoc> value_locs;
};

/// The `sweep:` section (used by `lunsim sweep`; `run` and `validate` only check it):
/// `grid` (axes in file order), optional `replications` (1..100000) and `seeds`
/// (`common`, the default, or `independent`).
struct SweepSpec {
  SourceLoc loc;
  std::vector<SweepAxis> axes;
  std::optional<std::uint64_t> replications;
  SourceLoc replications_loc;
  std::optional<bool> independent;  ///< `seeds: independent`
};

/// How reliability is estimated (`reliability:`): plain Monte Carlo, or importance sampling with
/// failure biasing (storage::FailureBiasing) and likelihood-ratio weights.
enum class EstimatorMethod : std::uint8_t { MonteCarlo, ImportanceSampling };
inline constexpr base::NameTable<EstimatorMethod, 2> estimator_method_names{
    {{{EstimatorMethod::MonteCarlo, "monte_carlo"}, {EstimatorMethod::ImportanceSampling, "importance_sampling"}}}};

struct EstimatorSpec {
  bool present = false;
  SourceLoc loc;
  EstimatorMethod method = EstimatorMethod::MonteCarlo;
  SourceLoc method_loc;
  storage::FailureBiasing biasing;  ///< `bias`: importance_sampling only
  bool importance_sampling() const { return method == EstimatorMethod::ImportanceSampling; }
};

struct ScenarioSpec {
  std::string file;  ///< as given on the command line ("<embedded>" for the default scenario)
  std::string text;  ///< the YAML text (hashed into meta.csv)
  std::string name;
  std::uint64_t seed = 1;
  base::Time horizon = base::never;  ///< `never`: run until no event is left
  SourceLoc horizon_loc;             ///< the `horizon` value (unset: none given)
  std::vector<DriveModelSpec> drive_models;
  std::vector<SubsystemSpec> subsystems;
  std::vector<OpSpec> ops;
  std::vector<IoSpec> io;
  MetricsSpec metrics;
  /// `provider.faults`, in file order (index i draws from the stream "fault/<i>").
  std::vector<provider::FaultSpec> faults;
  std::vector<SourceLoc> fault_locs;  ///< where each entry starts, parallel to `faults`
  bool faults_section = false;        ///< the scenario has a `provider.faults` list (even empty)
  FailuresSpec failures;
  TopologySpec topology;
  /// `repair:` plus the URE setting of `failures:`, for every subsystem.
  storage::RepairConfig repair;
  bool repair_section = false;
  /// `reliability:` — the estimator of the reliability metrics.
  EstimatorSpec estimator;
  /// The `sweep:` section, when the scenario has one.
  std::optional<SweepSpec> sweep;
  /// True when the run models failures (a `failures:` or `repair:` section, or a drive model
  /// with a lifetime or latent errors): reliability.csv, losses.csv and the reliability.*
  /// metrics are written.
  bool reliability() const {
    if (failures.present || repair_section) return true;
    for (const DriveModelSpec& m : drive_models)
      if (m.lifetime || m.latent_errors) return true;
    return false;
  }
};

} // namespace sim::scenario
