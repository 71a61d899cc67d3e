// Errant-provider fault plans: seeded, deterministic misbehaviour of the provider.
//
// A FaultPlan holds the scenario's `provider.faults` entries. Every provider call that can be
// faulted asks the plan (on_call) whether a fault fires for it: an entry fires when its operation
// matches (or is `any`), its target matches (when given), the call falls in its time window
// (when given), the call is its `nth` matching call (when given) and a draw from the entry's own
// random stream ("fault/<index>") is below its probability (when given; drawn only for calls
// that matched everything else, so adding an entry never changes another's draws). Every entry
// counts every call it matches, whether or not another entry fires on it (`nth: 3` is the third
// matching call); the first entry that fires wins. Behaviours (VDS-REFERENCE.md section 11) and where they act:
//   null_handle            the call returns S_OK and no handle; nothing starts
//   wrong_output_type      Wait succeeds with another output type; the payload is filled (the
//                          waiter owns a reference)
//   null_payload           success, type right, null LUN pointer (the LUN exists on the array)
//   no_interface           the payload does not answer for IVdsLun (E_NOINTERFACE)
//   wait_fails             Wait returns a failure (default VDS_E_TIMEOUT); the operation succeeded
//   op_fails               the operation fails with `hresult` at `at_fraction` of its work
//                          (rolled back, percent 0)
//   never_completes        nothing starts or is created; the handle is never signalled
//   completes_twice        a second completion arrives `after` later (a protocol violation)
//   percent_regresses      percent drops by 20 points at `at_fraction` and stays 20 points low
//                          (exercised when the client calls query_status)
//   restart_loop           when its work is done it falls back to 0 % and starts over, `restarts`
//                          times (`forever: true`: it never ends)
//   instant_no_effect      100 % and success at once; the LUN reports size 0 and is unusable
//   size_rounded_down      the LUN is `by` bytes (default 1 MiB) smaller than asked
//   hints_ignored          stripe size and rebuild priority hints are ignored
//   cancel_ignored         Cancel says S_OK; the job completes anyway
//   cancel_unsupported     Cancel returns VDS_E_NOT_SUPPORTED
//   sync_error_with_handle the call fails with `hresult` yet hands out a handle, already
//                          signalled with that failure (COM: a failed call's out-parameter is not
//                          the caller's, so its reference is the provider's)
//   leaked_reference       the provider keeps an extra reference on the object it returns
//   cache_corrupt          this call and every later hardware call fail with
//                          VDS_E_PROVIDER_CACHE_CORRUPT until the client calls the subsystem's
//                          reenumerate() and then the provider's refresh()
//   busy                   the call fails with VDS_E_ANOTHER_CALL_IN_PROGRESS
//   stale_object           the LUN is deleted right after creation; the payload answers every
//                          call, QueryInterface included, with VDS_E_OBJECT_DELETED
//   slow                   the management latency is multiplied by `factor`
// The plan also keeps the protocol record: which faults fired and were exercised (their
// faulted call made), and violations (double completion, percent going backwards, output type
// mismatch) whatever the client does.
#pragma once

#include "sim/base/time.hpp"
#include "sim/engine/random.hpp"
#include "sim/engine/simulation.hpp"
#include "sim/provider/hresult.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sim::provider {

enum class Behavior : std::uint8_t {
  None,
  NullHandle,
  WrongOutputType,
  NullPayload,
  NoInterface,
  WaitFails,
  OpFails,
  NeverCompletes,
  CompletesTwice,
  PercentRegresses,
  RestartLoop,
  InstantNoEffect,
  SizeRoundedDown,
  HintsIgnored,
  CancelIgnored,
  CancelUnsupported,
  SyncErrorWithHandle,
  LeakedReference,
  CacheCorrupt,
  Busy,
  StaleObject,
  Slow,
};

/// Every behaviour, in the order above (`none` first).
const std::vector<Behavior>& all_behaviors();
const char* to_string(Behavior b);  ///< "null_handle", ...
std::optional<Behavior> parse_behavior(std::string_view name);
/// Behaviours where the provider lies or breaks the protocol: a client that returns failure
/// has detected them. For the others the question is whether the client's result is true.
bool is_lie(Behavior b);

enum class FaultOp : std::uint8_t { Any, CreateLun, ExtendLun, ShrinkLun, DeleteLun, QueryStatus, Wait, Cancel, QueryLuns };
const char* to_string(FaultOp op);
std::optional<FaultOp> parse_fault_op(std::string_view name);
/// The call that must be made for a behaviour to be exercised: Cancel for cancel_*,
/// QueryStatus for percent_regresses, else the faulted operation itself.
FaultOp exercising_call(Behavior b, FaultOp op);

struct FaultSpec {
  FaultOp op = FaultOp::Any;
  Behavior behavior = Behavior::None;
  // trigger
  std::optional<double> probability;
  std::optional<std::uint64_t> nth;  ///< 1-based among matching calls
  std::optional<base::Time> from, to;
  std::string target;                ///< subsystem or LUN name; empty: any
  // parameters
  std::optional<HResult> hresult;    ///< op_fails, wait_fails, sync_error_with_handle
  double at_fraction = 0.5;          ///< op_fails, percent_regresses
  double factor = 4.0;               ///< slow
  std::uint32_t restarts = 1;        ///< restart_loop
  bool forever = false;              ///< restart_loop
  base::Duration after = std::chrono::seconds(1);  ///< completes_twice
  std::uint64_t by = 1ULL << 20;     ///< size_rounded_down, bytes
};

/// The HRESULT a behaviour uses when `hresult` is not given.
HResult default_hresult(Behavior b);

struct FaultEvent {
  base::Time time{};
  std::size_t fault = 0;  ///< index in the plan
  FaultOp op{};
  std::string target;
  bool exercised = false;
  std::uint32_t caller = 0;  ///< the tag set by set_caller() when the fault fired (0: none)
};

struct Violation {
  base::Time time{};
  std::string kind;    ///< double_completion, percent_backwards, output_type_mismatch
  std::string object;
  std::string detail;
};

class FaultPlan {
public:
  FaultPlan(engine::Simulation& sim, std::vector<FaultSpec> faults);

  /// The fault that fires for a call of `op` on `target` now, if any (recorded in events()).
  /// Returns its index in faults().
  std::optional<std::size_t> on_call(FaultOp op, std::string_view target);
  const std::vector<FaultSpec>& faults() const { return faults_; }
  const FaultSpec& fault(std::size_t i) const { return faults_.at(i); }

  /// Marks the latest event of fault `i` as exercised (its faulted call was made).
  void exercised(std::size_t i);
  const std::vector<FaultEvent>& events() const { return events_; }
  bool any_fired() const { return !events_.empty(); }
  bool any_exercised() const;

  /// Tags the faults that fire from now on with `caller` (e.g. the scenario operation whose
  /// client is about to call the provider; 0 for none).
  void set_caller(std::uint32_t caller) { caller_ = caller; }

  void violation(std::string kind, std::string object, std::string detail);
  const std::vector<Violation>& violations() const { return violations_; }

  // cache_corrupt: sticky until reenumerate (subsystem) and then refresh (provider)
  bool cache_corrupt() const { return corrupt_; }
  void corrupt() { corrupt_ = true; reenumerated_ = false; }
  void on_reenumerate() { if (corrupt_) reenumerated_ = true; }
  void on_refresh() { if (corrupt_ && reenumerated_) corrupt_ = reenumerated_ = false; }

private:
  engine::Simulation* sim_;
  std::vector<FaultSpec> faults_;
  std::vector<engine::RandomStream> streams_;
  std::vector<std::uint64_t> calls_;
  std::vector<FaultEvent> events_;
  std::vector<Violation> violations_;
  bool corrupt_ = false;
  bool reenumerated_ = false;
  std::uint32_t caller_ = 0;
};

} // namespace sim::provider
