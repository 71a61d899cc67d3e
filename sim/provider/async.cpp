#include "sim/provider/async.hpp"

#include <algorithm>

namespace sim::provider {

AsyncHandle::AsyncHandle(engine::Simulation& sim, Ledger& ledger, std::string name, AsyncOutputType type)
    : VdsObject(ledger, ObjectType::Async, "async", std::move(name)), sim_(&sim), type_(type),
      signal_(engine::Op<>::create(sim)), reported_type_(type) {}

void AsyncHandle::attach_fault(FaultPlan& plan, std::size_t index) {
  plan_ = &plan;
  fault_ = index;
}

HResult AsyncHandle::query_status(HResult* op_result, std::uint32_t* percent) {
  if (op_result == nullptr || percent == nullptr) return hr::e_pointer;
  if (plan_ != nullptr && fault_ && plan_->fault(*fault_).behavior == Behavior::PercentRegresses)
    plan_->exercised(*fault_);
  // The operation has ended once complete() ran (finishing_), even if the completion event that
  // wakes waiters at this same instant has not fired yet: report its result from then on, so a
  // running operation never shows 100 % (nor a cancelled one a pending status).
  if (!finishing_) {
    *op_result = hr::vds_e_operation_pending;
    *percent = percent_;
  } else {
    *op_result = result_;
    *percent = percent_;
  }
  return hr::s_ok;
}

void AsyncHandle::complete_again() {
  if (plan_ != nullptr) plan_->violation("double_completion", name(), "the handle completed a second time");
}

HResult AsyncHandle::cancel() {
  if (plan_ != nullptr && fault_) {
    const Behavior b = plan_->fault(*fault_).behavior;
    if (b == Behavior::CancelIgnored || b == Behavior::CancelUnsupported) {
      plan_->exercised(*fault_);
      if (finishing_) return hr::vds_e_cancel_too_late;
      return b == Behavior::CancelIgnored ? hr::s_ok : hr::vds_e_not_supported;
    }
  }
  if (finishing_) return hr::vds_e_cancel_too_late;
  if (!on_cancel) return hr::vds_e_not_supported;
  return on_cancel();
}

void AsyncHandle::set_percent(std::uint32_t percent) {
  if (finishing_) return;
  percent_ = std::max(percent_, std::min<std::uint32_t>(percent, 99));
}

void AsyncHandle::force_percent(std::uint32_t percent) {
  // A running operation's percent only grows (it is reset to 0 only by a failure or a cancel).
  if (percent < percent_ && !finishing_ && plan_ != nullptr)
    plan_->violation("percent_backwards", name(),
                     std::to_string(percent_) + " -> " + std::to_string(percent) + " while running");
  percent_ = percent;
}

void AsyncHandle::report_output_type(AsyncOutputType type) {
  if (type != type_ && plan_ != nullptr)
    plan_->violation("output_type_mismatch", name(),
                     std::string("expected ") + to_string(type_) + ", reported " + to_string(type));
  reported_type_ = type;
}

void AsyncHandle::complete(HResult result, VdsObject* payload) {
  finishing_ = true;
  result_ = result;
  percent_ = result.succeeded() ? 100 : 0;
  payload_ = result.succeeded() ? payload : nullptr;
  signal_.succeed();
}

WaitResult AsyncHandle::wait_result(const Holder& holder) {
  WaitResult r;
  r.op = result_;
  if (wait_failure_.failed()) {
    r.wait = wait_failure_;
    return r;
  }
  if (result_.succeeded()) {
    r.output.type = reported_type_;
    r.output.object = payload_;
    if (payload_ != nullptr) payload_->add_ref(holder);
  }
  return r;
}

} // namespace sim::provider
