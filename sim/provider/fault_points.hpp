// Errant-provider faults (faults.hpp) applied at the named points of a call's life. The healthy
// code of a call asks each point in turn; a point where the call's fault does nothing gives the
// healthy answer, so no behaviour is a branch of the healthy path:
//   call       whether a fault fires (FaultPlan::on_call), and the behaviours that end the call
//              there: cache_corrupt, busy, null_handle, sync_error_with_handle, never_completes
//   arguments  what the provider acts on: size_rounded_down, hints_ignored; instant_no_effect
//              answers a create at once with a LUN that has no storage
//   job start  the management latency: slow
//   progress   as bytes are written: op_fails at its fraction (also a job with nothing to
//              write), percent_regresses
//   completion when the work is done: restart_loop
//   output     what the handle delivers: wrong_output_type, null_payload, no_interface,
//              wait_fails, leaked_reference, stale_object; then completes_twice
// Cancel (cancel_ignored, cancel_unsupported) and query_status (percent_regresses exercised)
// are the handle's points (async.hpp), tied by attach_fault.
#pragma once

#include "sim/base/size.hpp"
#include "sim/base/time.hpp"
#include "sim/provider/async.hpp"
#include "sim/provider/faults.hpp"
#include "sim/provider/hresult.hpp"

#include <cstdint>
#include <optional>
#include <string_view>

namespace sim::provider {

class Subsystem;
class LunObject;
struct Hints;

/// The fault one call carries (none, for most calls): a plan entry that fired on it.
class CallFault {
public:
  CallFault() = default;
  explicit operator bool() const { return plan_ != nullptr; }
  Behavior behavior() const { return plan_ != nullptr ? spec().behavior : Behavior::None; }
  const FaultSpec& spec() const { return plan_->fault(index_); }
  /// Ties `h` to the fault (no effect without one): its cancel and query_status are its points.
  void attach(AsyncHandle& h) const {
    if (plan_ != nullptr) h.attach_fault(*plan_, index_);
  }
  /// The fault's HRESULT (its `hresult`, else the behaviour's default).
  HResult hresult() const { return spec().hresult.value_or(default_hresult(spec().behavior)); }

private:
  friend class FaultPoints;
  FaultPlan* plan_ = nullptr;
  std::size_t index_ = 0;
};

class FaultPoints {
public:
  explicit FaultPoints(Subsystem& owner) : owner_(&owner) {}
  void set_plan(FaultPlan* plan) { plan_ = plan; }
  FaultPlan* plan() const { return plan_; }
  void set_caller(std::uint32_t caller) {
    if (plan_ != nullptr) plan_->set_caller(caller);
  }
  /// True while a cache_corrupt fault holds: every hardware call fails with
  /// VDS_E_PROVIDER_CACHE_CORRUPT until reenumerate() and the provider's refresh().
  bool cache_corrupt() const { return plan_ != nullptr && plan_->cache_corrupt(); }

  /// The call point. `ended` holds the call's HRESULT when the fault ends it here (and *out,
  /// when `out` is given, the handle it hands out: none, one never signalled, or one already
  /// signalled with the failure).
  struct Call {
    CallFault fault;
    std::optional<HResult> ended;
  };
  Call at_call(FaultOp op, std::string_view target, AsyncOutputType type, AsyncHandle** out, const Holder& caller);
  /// The arguments point of CreateLun: the size and hints the provider acts on (`scratch`
  /// holds replaced hints).
  void at_arguments(const CallFault& f, base::Bytes* size, const Hints** hints, Hints* scratch) const;
  /// instant_no_effect at the arguments point of CreateLun: the call succeeds at once with a
  /// LUN of no storage (size 0, unusable) and a handle already signalled S_OK. True if it did.
  bool at_create(const CallFault& f, LunType type, AsyncHandle** out, const Holder& caller);
  /// The job start point: the management latency as the fault has it.
  base::Duration at_job_start(const CallFault& f, base::Duration latency) const;
  /// The progress point of a job with nothing to write: the failure it ends with, if any.
  std::optional<HResult> at_no_work(const CallFault& f) const;
  /// The progress point: `percent` of the work is done (`done` of `total` bytes). Reports the
  /// percent to `h` as the fault has it, and returns the failure the job ends with, if any.
  std::optional<HResult> at_progress(const CallFault& f, base::Bytes done, base::Bytes total, std::uint32_t percent,
                                     AsyncHandle& h, bool* regressed) const;
  /// The completion point: true when the finished work falls back to 0 % and starts over
  /// (after `restarts` restarts already).
  bool at_completion(const CallFault& f, std::uint32_t restarts) const;
  /// The output point of a successful create (`lun`, with `payload` the LUN) or of an extend or
  /// shrink (`lun` null): sets up the handle and returns the payload to deliver.
  VdsObject* at_output(const CallFault& f, AsyncHandle& h, LunObject* lun, AsyncOutputType kind) const;
  /// After the handle was signalled: a second completion (completes_twice), for creates.
  void after_output(const CallFault& f, AsyncHandle& h, std::uint32_t job_kind) const;

private:
  Subsystem* owner_;
  FaultPlan* plan_ = nullptr;
};

} // namespace sim::provider
