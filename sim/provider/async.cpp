#include "sim/provider/async.hpp"

#include <algorithm>

namespace sim::provider {

AsyncHandle::AsyncHandle(engine::Simulation& sim, Ledger& ledger, std::string name, AsyncOutputType type)
    : VdsObject(ledger, ObjectType::Async, "async", std::move(name)), sim_(&sim), type_(type),
      signal_(engine::Op<>::create(sim)) {}

HResult AsyncHandle::query_status(HResult* op_result, std::uint32_t* percent) const {
  if (op_result == nullptr || percent == nullptr) return hr::e_pointer;
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

HResult AsyncHandle::cancel() {
  if (finishing_) return hr::vds_e_cancel_too_late;
  if (!on_cancel) return hr::vds_e_not_supported;
  return on_cancel();
}

void AsyncHandle::set_percent(std::uint32_t percent) {
  if (finishing_) return;
  percent_ = std::max(percent_, std::min<std::uint32_t>(percent, 99));
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
  if (result_.succeeded()) {
    r.output.type = type_;
    r.output.object = payload_;
    if (payload_ != nullptr) payload_->add_ref(holder);
  }
  return r;
}

} // namespace sim::provider
