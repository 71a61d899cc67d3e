// The async handle: lunsim's IVdsAsync.
//
// Created by an asynchronous provider call (CreateLun, Extend, Shrink...) with one reference
// owned by the caller. Its state follows [MS-VDS] 3.4.1.5 (VDS-REFERENCE.md section 2):
//   output type   fixed at creation
//   percent       0 at creation; only grows while running (0..99); 100 on success; 0 after a
//                 failure or a cancel
//   signalled     false until the operation succeeds, fails or is cancelled
//   result        the operation's final HRESULT (VDS_E_OPERATION_CANCELED after a cancel)
// Completion is a scheduled event at the completion time: wait() resumes exactly then.
//
//   query_status(&hr, &pct)  never blocks: hr = VDS_E_OPERATION_PENDING while running, else the
//                            result; the method itself returns S_OK
//   co_await wait(holder)    suspends until signalled, then yields {wait HRESULT, operation
//                            HRESULT, output}; on success an object in the output has been
//                            AddRef'd for `holder`, who must release it; waiting on a signalled
//                            handle returns at once
//   cancel()                 asks the operation to stop: S_OK and the handle signals with
//                            VDS_E_OPERATION_CANCELED (percent 0) when it rolled back;
//                            VDS_E_CANCEL_TOO_LATE once signalled; VDS_E_NOT_SUPPORTED for
//                            operations that cannot be cancelled
#pragma once

#include "sim/engine/completion.hpp"
#include "sim/provider/faults.hpp"
#include "sim/provider/object.hpp"

#include <coroutine>
#include <cstdint>
#include <functional>
#include <optional>

namespace sim::provider {

/// VDS_ASYNC_OUTPUT: the output type and, for CREATELUN, the new LUN (cl.pLunUnk).
struct AsyncOutput {
  AsyncOutputType type = AsyncOutputType::Unknown;
  VdsObject* object = nullptr;  ///< IUnknown* payload (owned by the waiter after a successful wait)
};

struct WaitResult {
  HResult wait = hr::s_ok;  ///< the Wait call's own HRESULT
  HResult op = hr::s_ok;    ///< the operation's HRESULT (*pHrResult)
  AsyncOutput output;       ///< filled only when both succeeded
};

class AsyncHandle final : public VdsObject {
public:
  AsyncHandle(engine::Simulation& sim, Ledger& ledger, std::string name, AsyncOutputType type);

  AsyncOutputType output_type() const { return type_; }
  bool implements(Interface iid) const override { return iid == Interface::Async; }

  // -- IVdsAsync --
  HResult query_status(HResult* op_result, std::uint32_t* percent);
  HResult cancel();

  class WaitAwaiter {
  public:
    WaitAwaiter(AsyncHandle& h, Holder holder) : h_(&h), holder_(std::move(holder)), inner_(h.signal_.operator co_await()) {}
    bool await_ready() const noexcept { return inner_.await_ready(); }
    void await_suspend(std::coroutine_handle<> c) { inner_.await_suspend(c); }
    WaitResult await_resume() {
      inner_.await_resume();
      return h_->wait_result(holder_);
    }

  private:
    AsyncHandle* h_;
    Holder holder_;
    engine::StateAwaiter<engine::OpState<void>, void> inner_;
  };
  /// IVdsAsync::Wait for `holder`.
  WaitAwaiter wait(Holder holder) { return WaitAwaiter(*this, std::move(holder)); }
  /// What Wait returns to `holder` once the handle is signalled, for a caller that blocked on
  /// signal() itself (a fiber, sim/com): the same result and the same reference on the payload
  /// as `co_await wait(holder)`. Call it once per Wait, only after signalled().
  WaitResult wait_result(const Holder& holder);

  // -- provider side --
  bool signalled() const { return signal_.done(); }
  /// The completion clients can wait on with a deadline (engine::wait_for).
  const engine::Op<>& signal() const { return signal_; }
  /// When the handle was signalled (`never` before).
  base::Time completion_time() const { return signal_.state()->completed_at(); }
  /// Signalled or about to be (completion scheduled).
  bool finishing() const { return finishing_; }
  /// Raises the progress (ignored if lower: percent only grows while running; capped at 99).
  void set_percent(std::uint32_t percent);
  /// Finishes the operation at now(): percent 100 on success, 0 on failure; `payload` (may be
  /// null) is handed to waiters with a reference each.
  void complete(HResult result, VdsObject* payload = nullptr);

  // -- errant-provider hooks (sim/provider/faults.hpp) --
  /// Ties the handle to fault `index` of `plan`: query_status/cancel mark it exercised and
  /// report protocol violations to the plan.
  void attach_fault(FaultPlan& plan, std::size_t index);
  /// Sets the progress even downwards (percent_regresses, restart_loop); a drop while running is
  /// recorded as a percent_backwards violation, whether or not a client looks.
  void force_percent(std::uint32_t percent);
  /// Wait will report this output type instead of the handle's own (wrong_output_type); recorded
  /// as an output_type_mismatch violation.
  void report_output_type(AsyncOutputType type);
  /// Wait's own return will be this failure; the output stays empty (wait_fails).
  void fail_wait(HResult h) { wait_failure_ = h; }
  /// A second completion (completes_twice): recorded as a violation; waiters already woke.
  void complete_again();
  /// Finishes at once with `result` and no effect, the handle's reference belonging to the
  /// provider (sync_error_with_handle).
  FaultPlan* fault_plan() const { return plan_; }
  std::optional<std::size_t> fault_index() const { return fault_; }
  /// Called by cancel(); returns S_OK if the operation rolled back (and completed the handle),
  /// or an HRESULT refusing. Unset: VDS_E_NOT_SUPPORTED.
  std::function<HResult()> on_cancel;

private:
  engine::Simulation* sim_;
  AsyncOutputType type_;
  engine::Op<> signal_;
  std::uint32_t percent_ = 0;
  HResult result_ = hr::vds_e_operation_pending;
  VdsObject* payload_ = nullptr;
  bool finishing_ = false;
  FaultPlan* plan_ = nullptr;
  std::optional<std::size_t> fault_;
  AsyncOutputType reported_type_;
  HResult wait_failure_ = hr::s_ok;
};

} // namespace sim::provider
