// `lunsim check`: every errant-provider behaviour against every client, each in its own small
// seeded run, judged against what really happened on the simulated array.
//
// A cell is one (behaviour, client) run: a fault plan with one entry {op: create_lun, behavior,
// nth: 1, default parameters; restart_loop finite}, one create_lun by the client, the run until
// no event is left (or a day of simulated time). Its verdict, decided in this order:
//   hang          the client is still waiting at the end (the run ends cleanly; when the wait
//                 began is recorded)
//   crash         the client used a null or dead pointer
//   not_exercised the faulted call was never made (e.g. Cancel for cancel_ignored)
//   then, for behaviours where the provider lies or breaks the protocol (faults.hpp is_lie):
//     detected    the client returned a failure
//     undetected  the client returned success
//   and for the others:
//     ok          the client's result matches the truth: success with a usable LUN of at least
//                 the asked size, or failure when no usable LUN exists
//     undetected  otherwise
// Independent of the verdict: orphaned_luns (LUNs on the array the client does not know),
// leaked_refs (references the client still holds at the end, once the caller has released
// the LUN the client returned), the provider's protocol violations and the client's own
// (client_violations: over-release, use after release, Wait on a released handle, a payload
// of another output type used, a failed Wait ignored; provider/ledger.hpp).
#pragma once

#include "sim/base/name_table.hpp"
#include "sim/provider/client.hpp"

#include "sim/com/client.hpp"
#include "sim/provider/faults.hpp"
#include "sim/provider/hresult.hpp"
#include "sim/scenario/spec.hpp"

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace sim::runner {

enum class Verdict : std::uint8_t { Ok, Detected, Undetected, Hang, Crash, NotExercised };
inline constexpr base::NameTable<Verdict, 6> verdict_names{{{{Verdict::Ok, "ok"},
                                                             {Verdict::Detected, "detected"},
                                                             {Verdict::Undetected, "undetected"},
                                                             {Verdict::Hang, "hang"},
                                                             {Verdict::Crash, "crash"},
                                                             {Verdict::NotExercised, "not_exercised"}}}};
inline const char* to_string(Verdict v) { return verdict_names.c_str(v); }

/// What a verdict is decided from: the client's outcome and the array's truth.
struct Evidence {
  bool finished = true;          ///< the client returned (else: hang)
  bool crashed = false;          ///< it used a null or dead pointer
  bool exercised = true;         ///< the faulted call was made
  bool client_failed = false;    ///< it returned a failure HRESULT
  bool client_success = false;   ///< it returned success (with its LUN, for a create)
  bool truthful_success = false; ///< success, and the result is what was asked for
  bool usable_left = false;      ///< the call left a usable LUN on the array
  bool retried = false;          ///< it called again after the error
};

/// The verdict rules above, in their order. For the transient lies (busy, cache_corrupt), a
/// client that retried and returned the truth noticed them as surely as one that gave up.
Verdict decide(provider::Behavior behavior, const Evidence& e);

struct CheckCell {
  provider::Behavior behavior{};
  std::string client;
  Verdict verdict{};
  provider::HResult client_hresult = provider::hr::s_ok;
  bool client_finished = true;
  base::Time wait_began = base::never;  ///< when the client (last) began to Wait; never: it did not
  std::uint32_t orphaned_luns = 0;
  std::uint32_t leaked_refs = 0;
  std::uint32_t violations = 0;  ///< the provider's (FaultPlan::violations)
  std::vector<provider::ClientViolation> client_violations;  ///< the client's, in time order
  std::string crash;
  /// The run was stopped by its 24 h bound with events still pending (a provider that keeps
  /// working forever, e.g. restart_loop with forever); false: it ran out of events.
  bool stopped_at_bound = false;
};

/// What the reference client must give for each behaviour (the contract of the issue).
struct Expected {
  Verdict verdict{};
  std::uint32_t orphans = 0;
  std::uint32_t leaks = 0;
};
Expected expected_reference(provider::Behavior b);

struct CheckOptions {
  std::vector<std::string> clients = provider::builtin_client_names.names();
  std::vector<provider::Behavior> behaviors;  ///< empty: all
  std::uint64_t seed = 1;
  /// The topology to use (its drive models and first subsystem); null: a built-in 8-drive array.
  const scenario::ScenarioSpec* topology = nullptr;
  /// Foreign clients (sim/com), each a column after `clients`, named by its entry. Each cell
  /// runs the entry on a fiber: a subsystem entry is handed the array's subsystem, a main entry
  /// goes through the loader. Its evidence: the entry's HRESULT (a main entry: exit status 0 is
  /// success), the LUN it was handed by Wait (its "returned" LUN when it succeeds) against the
  /// size its CreateLun asked for, retries (more than one CreateLun), the references its holder
  /// still has once it returned (or hung); `crash` when a C++ exception escaped it (code that
  /// dereferences a null pointer crashes the process, unless `isolate` runs it in its own). An entry may
  /// not be named reference, naive or robust (std::invalid_argument).
  std::vector<com::Entry> foreign;
  /// Stack and arguments of the foreign clients.
  com::ClientOptions foreign_options;
  /// Run each foreign client's cell in its own process (fork, sim/runner/isolate.hpp): a client
  /// that dies of a signal or exits is a `crash` cell (its `crash` says how), one that runs
  /// past two minutes of real time a `hang`; lunsim goes on. `lunsim check` sets it.
  bool isolate = false;
};

/// The array a check runs on without CheckOptions::topology: one subsystem "array" of 8 drives
/// of 100 GB at 200 MB/s (2 ms latency) in one enclosure, 100 ms management latency.
scenario::ScenarioSpec builtin_topology();

/// Runs every cell, in (behaviour, client) order.
std::vector<CheckCell> run_check(const CheckOptions& options);
/// One cell with a fault entry of your own, used as given (its op, trigger and parameters: e.g.
/// restart_loop with `forever = true`, or op_fails at another `at_fraction`); behaviour None:
/// no fault. `options` gives the seed and the topology (its clients and behaviours are not
/// used). run_check runs every cell through this with {op: create_lun, behavior, nth: 1,
/// default parameters}. Throws std::invalid_argument for a client other than reference,
/// naive, robust and the names of `options.foreign`.
CheckCell run_cell(const CheckOptions& options, const provider::FaultSpec& fault, const std::string& client);
/// True when every reference cell matches expected_reference.
bool reference_matches(const std::vector<CheckCell>& cells);

/// The matrix for a terminal: rows behaviours, columns clients, the expected reference cell beside.
void print_matrix(std::ostream& os, const std::vector<CheckCell>& cells, const std::vector<std::string>& clients);

} // namespace sim::runner
