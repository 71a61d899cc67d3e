// Running a scenario: build the world, drive its workload, collect what happened.
//
// Management operations run through the reference clients (sim/provider/client.hpp), one
// process each: an operation waits for its `at` time, then for every operation it depends on
// (`after:`, and implicitly the creation of the LUN it targets); if one of those failed it is
// `skipped`. I/O loads start at `start`, after their dependencies and once their target LUNs
// exist; closed loops run `clients` processes issuing `requests` requests each with `think`
// between them; open loops issue Poisson arrivals at `rate` until `stop` or the horizon.
// The run ends at the horizon (operations still running keep status `in_flight`) or, without
// a horizon, when no event is left. With `provider.faults`, the subsystems misbehave as the
// scenario's fault plan says (the reference client still runs every operation); the faults that
// fired and the protocol violations are copied from the plan at the end.
//
// Determinism: every random draw comes from a stream named after its consumer
// ("io/<load>/<client>", "drive/<name>", ...), and everything recorded is kept in a fixed
// order, so the same spec and seed give byte-identical outputs (wall time aside).
#pragma once

#include "sim/base/name_table.hpp"
#include "sim/base/time.hpp"
#include "sim/com/client.hpp"
#include "sim/metrics/statistics.hpp"
#include "sim/provider/client.hpp"
#include "sim/provider/faults.hpp"
#include "sim/provider/ledger.hpp"
#include "sim/provider/vds_types.hpp"
#include "sim/scenario/spec.hpp"

#include <atomic>
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sim::runner {

/// Foreign VDS clients run beside a scenario (sim/com/client.hpp): `count` copies of `entry`,
/// each on its own fiber and in its own apartment, all started at time 0 (after the events
/// already due then), holders "<entry>" (one copy) or "<entry>#1".."<entry>#<count>". A
/// subsystem entry is handed `subsystem` (empty: the scenario's first); a main entry finds every
/// subsystem through the loader, under one provider.
struct CompatClients {
  com::Entry entry;
  std::uint32_t count = 1;
  std::string subsystem;
  com::ClientOptions client;
  com::ServiceConfig service;
};

/// One foreign client's run (clients.csv). Its holder is not "reference" (the scenario's own
/// operations' holder): name entries otherwise.
struct ClientResult {
  std::string holder;
  std::string entry;
  com::EntryKind kind{};
  com::Outcome outcome;
  std::uint32_t leaked_refs = 0;  ///< references it still held at the end (leaks.csv has them)
  std::uint32_t violations = 0;   ///< its protocol violations (client-violations.csv has them)
  /// The array's truth at the end, for judging the client (lunsim explore): LUNs it was handed
  /// by Wait, still on the array, that are unusable or smaller than its CreateLun asked;
  /// LUNs on the array it was never handed (meaningful when it is the run's only LUN maker);
  /// whether a usable LUN it was never handed is on the array (its failure left one behind).
  std::uint32_t untrue_luns = 0;
  std::uint32_t unknown_luns = 0;
  bool usable_left = false;
  std::size_t stack_bytes = 0;
  std::size_t memory_bytes = 0;   ///< its fiber and apartment
};

struct TimeseriesRow;
struct IoTimeseriesRow;

/// Receives the rows of timeseries.csv and io_timeseries.csv as the run's sampler makes them,
/// in file order, so a long mission's series go straight to their files and memory does not
/// grow with the horizon. Called on the thread running the simulation, at simulated times that
/// never decrease; an exception it throws ends the run (run_scenario rethrows it).
class SeriesSink {
public:
  virtual ~SeriesSink() = default;
  virtual void add(const TimeseriesRow& row) = 0;
  virtual void add(const IoTimeseriesRow& row) = 0;
};

struct RunOptions {
  std::uint64_t replication = 0;
  bool trace = false;  ///< record every engine event (trace.csv)
  bool events = true;  ///< record VDS notifications (events.csv); off when no table is written
  /// Fill every record for the tables (luns.csv, drives.csv: names, layout, status). Off when
  /// only the summary metrics are needed: drives then carry only their numbers, luns nothing.
  bool tables = true;
  /// Foreign clients to run beside the scenario (not owned; null: none).
  const CompatClients* compat = nullptr;
  /// Run closed loops whose targets are all drives through the general coroutine loop instead
  /// of their compact state machine (the outputs are identical; tests compare the two).
  bool coroutine_clients = false;
  /// The built-in client that makes the scenario's operations (`run --client`): its name is
  /// their holder in the Ledger (leaks.csv, client-violations.csv) and ops.csv's `client`.
  provider::BuiltinClient client = provider::BuiltinClient::Reference;
  /// Where the time series go (not owned): null keeps them in RunResult::timeseries and
  /// RunResult::io_timeseries; set, those stay empty and RunResult::series_streamed is true.
  /// Without `tables`, io_timeseries has no rows and timeseries rows are dropped (nothing
  /// writes them).
  SeriesSink* series = nullptr;
  /// Ctrl-C: when `*interrupt` becomes true the simulation stops within 1024 events and the run
  /// throws Interrupted (sim/runner/interrupt.hpp) instead of returning a partial result.
  /// Null: never.
  const std::atomic<bool>* interrupt = nullptr;
};

/// Where a scenario operation got to: ok and failed (the client's result), crashed (the client
/// would have used a null or dead pointer: the naive client), in_flight (running at the horizon), skipped (an operation it depends on failed), not_started (its time never came);
/// waiting only while the run goes on.
enum class OpStatus : std::uint8_t { NotStarted, Waiting, Skipped, InFlight, Ok, Failed, Crashed };
inline constexpr base::NameTable<OpStatus, 7> op_status_names{{{{OpStatus::NotStarted, "not_started"},
                                                               {OpStatus::Waiting, "waiting"},
                                                               {OpStatus::Skipped, "skipped"},
                                                               {OpStatus::InFlight, "in_flight"},
                                                               {OpStatus::Ok, "ok"},
                                                               {OpStatus::Failed, "failed"},
                                                               {OpStatus::Crashed, "crashed"}}}};
inline const char* to_string(OpStatus s) { return op_status_names.c_str(s); }
std::ostream& operator<<(std::ostream& os, OpStatus s);

struct OpRecord {
  std::uint32_t id = 0;
  scenario::OpKind kind{};
  std::string name;
  std::string target;                 ///< subsystem (create) or LUN
  base::Time submitted = base::never; ///< when it became due (`at`)
  base::Time started = base::never;   ///< when the client called the provider
  base::Time completed = base::never;
  OpStatus status = OpStatus::NotStarted;
  bool called = false;                ///< the client made the provider call
  provider::ClientRecord client;
  std::optional<std::uint64_t> lun_size;  ///< the LUN's size after the operation
  bool usable_after = false;          ///< the target LUN was usable when the client returned
  std::optional<std::uint64_t> size_before;  ///< the target LUN's size when the call was made (not create)
  std::string fault;                  ///< errant-provider behaviour that fired on its call, if any
  std::vector<provider::Behavior> faults_fired;  ///< every behaviour that fired while it ran (first = `fault`)
  /// The client judged against the truth (with a fault): check.hpp's verdicts; or
  /// client_violation when the client broke the protocol during the operation.
  std::string verdict;
  std::uint32_t orphaned_luns = 0;    ///< LUNs its call created that the client does not know
};

struct LunRecord {
  std::string name;       ///< the scenario's name (VDS friendly name)
  std::string object;     ///< the provider's object name, as in events.csv ("array-a/lun1")
  std::string object_id;  ///< VDS_OBJECT_ID
  std::string subsystem;
  std::string type;
  std::uint64_t size = 0;
  std::uint32_t members = 0;
  std::string member_drives;  ///< "shelf-1/0;shelf-1/1;..."
  std::uint64_t stripe_unit = 0;
  std::string status;
  std::string health;
  bool deleted = false;
};

/// A drive slot at the end of the run (drives.csv), in scenario order: record i is the spec's
/// i-th drive (subsystems, their enclosures, indices, in file order), whose subsystem, enclosure
/// and model the spec names and whose drive is named "<enclosure>/<index>" (generation 1) or
/// "<enclosure>/<index>#<generation>" (a replacement). No strings: a world of 10^6 drives keeps
/// 10^6 records, 80 bytes each. Without RunOptions::tables only the two means are filled.
struct DriveRecord {
  std::uint32_t generation = 1;
  provider::DriveStatus status{};
  std::uint32_t max_queue_length = 0;
  bool hot_spare = false;
  std::uint64_t capacity = 0, used = 0;
  double utilization = 0, mean_queue_length = 0;
  std::uint64_t completed[2] = {0, 0};
  std::uint64_t bytes[2] = {0, 0};
};

/// A trace load's requests (replays.csv), each counted once: records = replayed + skipped + cut.
struct ReplayRecord {
  std::string load;
  std::string file;             ///< the trace as the scenario names it
  std::string format;           ///< trace::format_names
  std::string timing;           ///< scenario::trace_timing_names
  std::uint64_t records = 0;    ///< the trace's requests (counted when the scenario was loaded)
  std::uint64_t replayed = 0;   ///< issued and completed (with success or an error) within the run
  std::uint64_t skipped = 0;    ///< not issued: offset + size beyond the target's size
  std::uint64_t cut = 0;        ///< not issued, or not completed, before the horizon or `stop`
  std::uint64_t bytes = 0;      ///< of the replayed requests
};

/// Host I/O response times of one load on one target, one direction.
struct IoRecord {
  std::string load, target, kind;  ///< kind: read or write
  std::uint64_t bytes = 0;
  std::uint64_t errors = 0;
  base::Time first_start = base::never;  ///< earliest submission
  base::Time last_end{};                 ///< latest completion
  metrics::DurationSample responses;  ///< exact up to DurationSample::exact_limit, then sketched
};

struct TimeseriesRow {
  base::Time time{};
  std::string subsystem;
  double mean_queue_depth = 0;
  std::uint32_t max_queue_depth = 0;
  double utilization = 0;          ///< busy fraction of the interval, mean over drives
  double foreground_iops = 0;      ///< drive-level foreground completions per second
  double background_mb_per_s = 0;  ///< background (provisioning) bytes per second / 1e6
  std::uint32_t jobs_running = 0;
};

/// Host I/O of one load in one direction over one sampling interval (io_timeseries.csv),
/// aggregated over the load's targets: the requests that completed at a time t with
/// time - interval < t <= time (the first interval also takes t = 0), whatever the order of
/// events at equal times. One row per sampler tick (the ticks of timeseries.csv), load and
/// direction the load issues (read when its read fraction is above 0, write when below 1).
struct IoTimeseriesRow {
  base::Time time{};  ///< end of the interval
  std::string load;
  std::string kind;   ///< read or write
  std::uint64_t count = 0;   ///< successful completions (as io.csv's count)
  std::uint64_t errors = 0;  ///< failed ones
  std::uint64_t bytes = 0;   ///< of the successful ones
  double iops = 0;           ///< count / interval seconds
  double mb_per_s = 0;       ///< bytes / 1e6 / interval seconds
  /// Response times of the successful completions (nearest-rank percentiles, exact ns; the mean
  /// rounded to the nanosecond, halves up); zero, and meaningless, when count is 0.
  base::Duration mean{}, p50{}, p99{}, max{};
};

struct EventRecord {
  base::Time time{};
  std::string event;        ///< VDS_NF_* name
  std::string object_type;  ///< VDS_OT_* name
  std::string object;
  std::string object_id;
  std::string detail;
};

/// One data-loss event (losses.csv).
struct LossRecord {
  base::Time time{};
  std::string subsystem;
  std::string lun;
  std::uint64_t bytes = 0;
  bool whole_lun = true;  ///< false: sectors unreadable during a rebuild with no redundancy left
};

/// What the failure and repair processes did in one run (reliability.csv); `enabled` when the
/// scenario models failures (ScenarioSpec::reliability()).
struct ReliabilityRecord {
  bool enabled = false;
  std::uint64_t groups = 0;            ///< LUNs that came online (redundancy groups)
  std::uint64_t groups_with_loss = 0;  ///< of which lost data at least once (either kind)
  std::uint64_t losses = 0;            ///< whole-LUN data-loss events
  std::uint64_t sector_losses = 0;     ///< rebuilds that lost sectors
  std::uint64_t drive_failures = 0;
  std::uint64_t replacements = 0;
  std::uint64_t rebuilds_started = 0;
  std::uint64_t rebuilds_completed = 0;
  std::uint64_t latent_errors = 0;
  base::Time first_loss = base::never;  ///< earliest data loss of either kind
  std::uint64_t bytes_lost = 0;
  std::uint64_t usable_bytes = 0;       ///< capacity of the groups (their sizes at the end)
  double group_hours = 0;               ///< sum over groups of hours online (until deletion or the end)
  double degraded_hours = 0;            ///< sum over groups of hours with a member down
  std::vector<LossRecord> log;          ///< every data loss, in time order (subsystem order on ties)
  /// Importance sampling (`reliability: {method: importance_sampling}`): the replication's
  /// likelihood ratios (true process over biased; all 1 without biasing). `weight`: the whole
  /// world's at the end. The weighted contributions: the first loss of either kind counted with
  /// the world's ratio then (the ratios of other subsystems at the end); each group's first loss
  /// with its own ratio then; each whole-LUN loss, and each loss's bytes, with its group's ratio.
  bool weighted = false;
  double weight = 1;
  double weighted_loss = 0;
  double weighted_groups_with_loss = 0;
  double weighted_losses = 0;
  double weighted_bytes_lost = 0;
};

struct TraceRecord {
  base::Time time{};
  std::uint32_t kind = 0;
  std::uint32_t entity = 0;
};

struct RunResult {
  std::uint64_t seed = 0;
  std::uint64_t replication = 0;
  base::Time end{};
  base::Time horizon = base::never;
  std::uint64_t events = 0;
  std::uint64_t fingerprint = 0;
  double wall_seconds = 0;
  std::vector<OpRecord> ops;
  std::vector<LunRecord> luns;
  std::vector<DriveRecord> drives;
  std::vector<IoRecord> io;
  std::vector<ReplayRecord> replays;  ///< one per trace load, in scenario order
  /// Per tick and subsystem; empty when RunOptions::series took the rows or tables is off.
  std::vector<TimeseriesRow> timeseries;
  /// Per tick, load and direction, in (time, load, read before write) order; empty when the
  /// scenario has no time series or no I/O load, or when RunOptions::tables is off (nothing
  /// writes the file then: `--summary-only`), or when RunOptions::series took the rows.
  std::vector<IoTimeseriesRow> io_timeseries;
  /// The rows went to RunOptions::series (write_tables then leaves both files to it).
  bool series_streamed = false;
  std::vector<EventRecord> events_log;
  std::vector<TraceRecord> trace;
  std::vector<std::string> kind_names;  ///< for trace rows
  std::vector<provider::Ledger::Outstanding> references;  ///< still held at the end
  std::vector<provider::FaultEvent> fault_events;  ///< errant-provider faults that fired, in order
  std::vector<provider::Violation> violations;     ///< protocol violations the provider committed
  std::vector<provider::ClientViolation> client_violations;  ///< the clients' (client-violations.csv)
  std::string ops_client = "reference";  ///< the built-in client that made the operations
  ReliabilityRecord reliability;
  /// Counters of the topology at run time (a scenario with a `topology:` section).
  std::optional<provider::FabricStats> fabric;
  /// Foreign clients (RunOptions::compat), in creation order (#1, #2, ...).
  std::vector<ClientResult> clients;
};

/// One run of the scenario (builds its model, runs, collects).
RunResult run_scenario(const scenario::ScenarioSpec& spec, const RunOptions& options = {});

/// run_scenario with the foreign client `entry` beside the scenario (`clients.entry` is set
/// from it): the library form of `lunsim run --client-lib`.
RunResult run_compat_client(const scenario::ScenarioSpec& spec, const com::Entry& entry, CompatClients clients = {});

/// Runs replications of one scenario one after the other, reusing the model: the Simulation and
/// the World are built for the first run and reset, not rebuilt, for the next ones (queues,
/// drive and LUN containers and the event-queue buckets keep their capacity). Each run gives
/// exactly what run_scenario gives for the same options (tests check it). Runs with a trace or
/// foreign clients, and scenarios with `provider.faults`, are built fresh each time. `spec` must outlive the
/// Replicator; one Replicator per thread.
class Replicator {
public:
  explicit Replicator(const scenario::ScenarioSpec& spec);
  ~Replicator();
  Replicator(Replicator&&) noexcept;
  RunResult run(const RunOptions& options);

private:
  struct Model;
  const scenario::ScenarioSpec* spec_;
  std::unique_ptr<Model> model_;
};

} // namespace sim::runner
