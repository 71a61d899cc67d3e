#include "examples/polling_client.hpp"

namespace example {

namespace hr = sim::provider::hr;
using sim::provider::AsyncHandle;
using sim::provider::AsyncOutputType;
using sim::provider::HResult;
using sim::provider::Interface;
using sim::provider::LunObject;
using sim::provider::LunProp;
using sim::provider::LunStatus;
using sim::provider::VdsObject;
using sim::provider::WaitResult;

namespace {

/// One QueryStatus: true when the job has ended (or QueryStatus itself failed: *call says so).
bool poll(AsyncHandle& async, PollingRecord& rec, HResult* call) {
  HResult op = hr::s_ok;
  std::uint32_t percent = 0;
  *call = async.query_status(&op, &percent);
  ++rec.polls;
  if (call->failed()) return true;
  if (op != hr::vds_e_operation_pending) return true;
  if (percent < rec.last_percent) rec.client.percent_went_back = true;
  rec.last_percent = percent;
  return false;
}

void finish(sim::engine::Simulation& sim, PollingRecord& rec) {
  rec.finished = true;
  rec.finished_at = sim.now();
}

} // namespace

sim::engine::Task<> polling_create_lun(sim::provider::Subsystem& subsystem, sim::provider::CreateLunRequest request,
                                       sim::provider::Holder me, PollingOptions options, PollingRecord& rec) {
  sim::engine::Simulation& sim = subsystem.simulation();
  sim::provider::ClientRecord& c = rec.client;

  // 1. The call.
  AsyncHandle* async = nullptr;
  c.call = subsystem.create_lun(request.type, request.size, request.drives, &request.hints, &async, me);
  c.result = c.call;
  c.attempts = 1;
  if (c.call.failed()) {  // the out-parameter of a failed call is not ours: leave it alone
    finish(sim, rec);
    co_return;
  }
  if (async == nullptr) {
    c.result = hr::e_unexpected;
    finish(sim, rec);
    co_return;
  }

  // 2-3. Poll under the deadline; cancel when it passes.
  c.wait_began = sim.now();
  const sim::base::Time deadline = sim::base::saturating_add(sim.now(), options.deadline);
  HResult status_call = hr::s_ok;
  bool ended = poll(*async, rec, &status_call);
  while (!ended && sim.now() < deadline) {
    co_await sim.delay(options.poll_interval);
    ended = poll(*async, rec, &status_call);
  }
  if (!ended) {
    rec.timed_out = true;
    rec.cancelled = true;
    rec.cancel = async->cancel();
    if (rec.cancel.succeeded()) {
      const sim::base::Time grace = sim::base::saturating_add(sim.now(), options.cancel_grace);
      ended = poll(*async, rec, &status_call);
      while (!ended && sim.now() < grace) {
        co_await sim.delay(options.poll_interval);
        ended = poll(*async, rec, &status_call);
      }
    } else {
      // VDS_E_CANCEL_TOO_LATE: it has just ended after all; anything else: it will not stop.
      ended = poll(*async, rec, &status_call);
    }
    if (!ended) {
      c.result = hr::vds_e_timeout;
      async->release(me);
      finish(sim, rec);
      co_return;
    }
  }
  if (status_call.failed()) {
    c.result = status_call;
    async->release(me);
    finish(sim, rec);
    co_return;
  }

  // 4. The job has ended: Wait returns at once (at the latest when the completion event fires
  // at this same instant).
  const WaitResult w = co_await async->wait(me);
  c.waited = true;
  c.wait = w.wait;
  c.op = w.op;
  c.output_type = w.output.type;
  c.result = w.op;
  if (c.result.succeeded() && w.wait.failed()) c.result = w.wait;
  if (rec.timed_out && c.result == hr::vds_e_operation_canceled) c.result = hr::vds_e_timeout;

  // 5. The output.
  VdsObject* unknown = c.result.succeeded() ? w.output.object : nullptr;
  if (c.result.succeeded() && w.output.type != AsyncOutputType::CreateLun) c.result = hr::e_unexpected;
  else if (c.result.succeeded() && unknown == nullptr) c.result = hr::e_unexpected;
  if (c.result.succeeded()) {
    VdsObject* obj = nullptr;
    c.result = unknown->query_interface(Interface::Lun, &obj, me);
    if (c.result.succeeded()) {
      // 6. Verify.
      auto* lun = static_cast<LunObject*>(obj);
      LunProp prop;
      const HResult p = lun->get_properties(&prop);
      if (p.succeeded()) rec.size = prop.size;
      if (p.failed()) {
        c.result = p;
        lun->release(me);
      } else if (prop.size < request.size || prop.status != LunStatus::Online) {
        c.result = hr::e_unexpected;
        rec.deleted_wrong_lun = lun->delete_lun().succeeded();
        lun->release(me);
      } else {
        c.lun = lun;  // the caller's reference
      }
    }
  }

  // 7. Release what Wait gave us (whatever its type) and the handle.
  if (w.output.object != nullptr) w.output.object->release(me);
  async->release(me);
  finish(sim, rec);
}

} // namespace example
