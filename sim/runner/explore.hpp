// `lunsim explore`: random errant-provider fault schedules against one client over a workflow,
// invariants checked on every run, and every failure shrunk to a 1-minimal reproducer.
//
// A workflow is a scenario: its topology, and for a built-in client its `workload` operations
// (creates, extends, shrinks, deletes, recovers), which that client makes; a foreign client
// (sim/com) is its own workflow, run alone on the topology (the scenario's operations dropped).
// Run k of an exploration uses seed `seed + k`: the schedule is drawn from it (draw_schedule)
// and the scenario runs with that seed, its `provider.faults` replaced by the schedule and its
// horizon set to the hang bound. The run is then judged (judge_run), its invariants in order:
//   crash             the client crashed: a built-in one would have used a null or dead
//                     pointer; a foreign one let an exception escape or its process died of a
//                     signal (each foreign run has its own process: fork)
//   hang              an operation (a built-in client) or the client (foreign) was still
//                     waiting at the hang bound
//   undetected_lie    the client's result is not the array's truth: it reported success where
//                     a fault lied (check.hpp's `undetected`), or a LUN it made is unusable or
//                     smaller than asked
//   orphaned_lun      a LUN is on the array that the client does not know
//   leaked_reference  the client still holds references at the end (leaks.csv)
//   client_violation  the client broke the COM/VDS protocol (provider/ledger.hpp's kinds)
// The first broken one in this order names the run's failure. What a contract documents is not
// a failure: under the `reference` contract (the reference client's default) each fault's cell
// of `lunsim check`'s table allows its verdict, orphans and leaks (never_completes: hang l1,
// wrong_output_type: o1 l1, null_payload/no_interface/wait_fails: o1, instant_no_effect and
// size_rounded_down: undetected); under `strict` (every other client's default) only the one
// orphan a provider hides behind wrong_output_type, null_payload, no_interface or wait_fails.
// A run that broke only what its contract allows is `contract`, not `fail`.
//
// Shrinking (shrink_schedule): faults are removed one at a time while the run still fails with
// the same invariant until no single removal keeps it failing (1-minimal), then each fault's
// trigger and parameters are simplified the same way (probability and window dropped, nth
// lowered, parameters back to their defaults, target dropped). The result is a scenario YAML
// (reproducer_yaml) that `lunsim explore --replay FILE` with the same client judges the same.
//
// Determinism: a run depends only on the workflow, the client and its seed; results are
// collected in seed order, so any thread count (built-in clients: threads; foreign: that many
// processes) and any number of MPI ranks gives the same outcome.
#pragma once

#include "sim/base/name_table.hpp"
#include "sim/base/time.hpp"
#include "sim/com/client.hpp"
#include "sim/provider/client.hpp"
#include "sim/provider/faults.hpp"
#include "sim/scenario/spec.hpp"

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace sim::runner {

class MpiSession;

enum class Invariant : std::uint8_t { None, Crash, Hang, UndetectedLie, OrphanedLun, LeakedReference, ClientViolation };
inline constexpr base::NameTable<Invariant, 7> invariant_names{{{{Invariant::None, "none"},
                                                                 {Invariant::Crash, "crash"},
                                                                 {Invariant::Hang, "hang"},
                                                                 {Invariant::UndetectedLie, "undetected_lie"},
                                                                 {Invariant::OrphanedLun, "orphaned_lun"},
                                                                 {Invariant::LeakedReference, "leaked_reference"},
                                                                 {Invariant::ClientViolation, "client_violation"}}}};
inline const char* to_string(Invariant i) { return invariant_names.c_str(i); }

enum class Contract : std::uint8_t { Reference, Strict };
inline constexpr base::NameTable<Contract, 2> contract_names{
    {{{Contract::Reference, "reference"}, {Contract::Strict, "strict"}}}};

/// A run's outcome: clean, contract (only what the contract allows broke) or fail.
enum class RunVerdict : std::uint8_t { Clean, Contract, Fail };
inline constexpr base::NameTable<RunVerdict, 3> run_verdict_names{
    {{{RunVerdict::Clean, "clean"}, {RunVerdict::Contract, "contract"}, {RunVerdict::Fail, "fail"}}}};

struct Judgement {
  RunVerdict verdict = RunVerdict::Clean;
  Invariant broken = Invariant::None;  ///< the first invariant broken beyond the contract (Fail)
  std::string detail;                  ///< where and how ("op db-extend: undetected under wait_fails")
};

using Schedule = std::vector<provider::FaultSpec>;

/// The client explored: a built-in one by name, or a foreign entry (`foreign` set).
struct ExploreClient {
  std::string name = "reference";
  std::optional<com::Entry> foreign;
  com::ClientOptions options;  ///< a foreign client's stack and arguments
};

struct ExploreOptions {
  /// The workflow (its `provider.faults` and horizon are replaced in each run).
  const scenario::ScenarioSpec* workflow = nullptr;
  ExploreClient client;
  std::uint64_t seed = 1;          ///< run k uses seed + k
  std::uint64_t runs = 1000;
  std::uint32_t max_faults = 3;    ///< faults per schedule: 1..max_faults
  /// Runs that still wait at this simulated time hang. Unset: 4 x the healthy duration + 2 h
  /// (room for a client's own deadline, the robust client's is 1 h).
  std::optional<base::Duration> hang_bound;
  std::optional<Contract> contract;  ///< unset: reference for the reference client, else strict
  unsigned jobs = 1;                 ///< threads (built-in) or processes (foreign)
  std::uint32_t shrink_limit = 10;   ///< failures shrunk (the first of each invariant first)
  /// Stop once this many runs failed (0: run them all); the runs after the last kept are not made.
  std::uint64_t max_failures = 0;
  /// Called on the calling thread after each run, in seed order: runs done, runs failed.
  std::function<void(std::uint64_t, std::uint64_t)> progress;
  /// Set (e.g. by SIGINT): no new run starts; what finished is kept.
  const std::atomic<bool>* stop = nullptr;
  /// Over MPI ranks (sweep_mpi.hpp's task farm; collective, every rank calls explore with the
  /// same options): the runs are spread over the ranks, each rank's `jobs` threads (a foreign
  /// client: one process at a time per rank), and rank 0 collects them in seed order and shrinks;
  /// the other ranks return no case. Null or one rank: this process alone. `stop` is not
  /// looked at under MPI.
  MpiSession* mpi = nullptr;
};

struct ExploreCase {
  std::uint64_t seed = 0;
  Schedule schedule;
  Judgement judgement;
  bool shrunk = false;
  Schedule minimal;               ///< when shrunk
  Judgement minimal_judgement;
  std::uint32_t shrink_runs = 0;  ///< runs the shrinking took
};

struct ExploreResult {
  base::Duration healthy{};     ///< the workflow without faults: when its last operation ended
  base::Duration hang_bound{};
  Contract contract{};
  std::vector<ExploreCase> cases;  ///< one per run that finished, in seed order
  bool interrupted = false;
};

/// The workflow lunsim explores when none is given: the built-in 8-drive array, and a RAID-5
/// LUN created, extended and recovered; a mirror created, shrunk and deleted; a simple LUN
/// created and deleted (scenario YAML text, so that reproducers can be written from it).
const char* default_workflow_yaml();

/// Draws the schedule of `seed`: 1..max_faults faults, each a behaviour (any but none), an
/// operation of the workflow (or `any`), a trigger (the nth call, or a window starting within
/// `healthy`, sometimes with a probability) and parameters. `foreign`: the operations are the
/// client's own, so the workflow's are not counted (nth up to 3).
Schedule draw_schedule(const scenario::ScenarioSpec& workflow, bool foreign, std::uint64_t seed,
                       std::uint32_t max_faults, base::Duration healthy);

/// Runs the workflow once with `schedule` and `seed` up to `bound` in this process and judges
/// it (a foreign client that crashes the process takes this process with it: see run_isolated).
Judgement judge_run(const scenario::ScenarioSpec& workflow, const ExploreClient& client, Contract contract,
                    const Schedule& schedule, std::uint64_t seed, base::Duration bound);
/// judge_run in a child process (fork): a signal or an exit without a judgement is a crash; a
/// child still running after `wall_limit_s` seconds of real time is killed and reported hang.
Judgement run_isolated(const std::function<Judgement()>& run, double wall_limit_s = 120);

/// The 1-minimal schedule (see the header comment) that still fails with `failing.broken`;
/// `runs` counts the runs it took.
Schedule shrink_schedule(const std::function<Judgement(const Schedule&)>& judge, Schedule schedule,
                         const Judgement& failing, std::uint32_t& runs);

/// The healthy duration of the workflow for `client` (no fault, seed `seed`).
base::Duration healthy_duration(const scenario::ScenarioSpec& workflow, const ExploreClient& client,
                                std::uint64_t seed);

/// Explores (see the header comment).
ExploreResult explore(const ExploreOptions& options);

/// A schedule on one line: "create_lun:null_handle@nth=2; any:slow@window=10s..,factor=4".
std::string describe(const Schedule& schedule);
/// A fault as a `provider.faults` item in YAML flow style.
std::string fault_yaml(const provider::FaultSpec& f);
/// The workflow's text with `schedule` as its `provider.faults`, `seed` and `bound` as its seed
/// and horizon (and no operations for a foreign client): the reproducer file.
std::string reproducer_yaml(const scenario::ScenarioSpec& workflow, const Schedule& schedule, std::uint64_t seed,
                            base::Duration bound, bool foreign);

} // namespace sim::runner
