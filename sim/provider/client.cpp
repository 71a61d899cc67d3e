#include "sim/provider/client.hpp"

#include "sim/engine/combinators.hpp"

namespace sim::provider {

namespace {

/// Records what Wait returned; the client's result is the operation's HRESULT until it decides.
void note_wait(ClientRecord& rec, const WaitResult& w) {
  rec.waited = true;
  rec.wait = w.wait;
  rec.op = w.op;
  rec.output_type = w.output.type;
  rec.result = w.op;
}

/// Steps shared by the checking clients: the initiating call's result, the handle check (S_OK
/// with no handle is E_UNEXPECTED) and Wait, whose failure wins only when the operation looked
/// successful. Fills `rec`; returns Wait's output (empty when the client did not get that far).
/// The handle is released by the caller once it is done.
engine::Task<AsyncOutput> call_and_wait(HResult call, AsyncHandle* async, Holder me, ClientRecord& rec) {
  rec.call = call;
  rec.result = call;
  ++rec.attempts;
  if (call.failed()) co_return AsyncOutput{};
  if (async == nullptr) {
    rec.result = hr::e_unexpected;
    co_return AsyncOutput{};
  }
  rec.wait_began = async->signal().state()->simulation().now();
  const WaitResult w = co_await async->wait(me);
  note_wait(rec, w);
  if (rec.result.succeeded() && w.wait.failed()) rec.result = w.wait;
  co_return w.output;
}

/// Steps 4-5 of the reference client: output type, null pointer, QueryInterface, releases.
void take_lun(AsyncHandle* async, const AsyncOutput& out, Holder me, ClientRecord& rec) {
  VdsObject* unknown = nullptr;
  if (rec.result.succeeded()) {
    if (out.type != AsyncOutputType::CreateLun) {
      rec.result = hr::e_unexpected;  // the payload is not read: the sample leaks it
    } else {
      unknown = out.object;
      if (unknown == nullptr) rec.result = hr::e_unexpected;
    }
  }
  if (rec.result.succeeded()) {
    VdsObject* lun = nullptr;
    rec.result = unknown->query_interface(Interface::Lun, &lun, me);
    if (rec.result.succeeded()) rec.lun = static_cast<LunObject*>(lun);
  }
  if (unknown != nullptr) unknown->release(me);
  async->release(me);
}

engine::Task<ClientRecord> reconfigure(HResult call, AsyncHandle* async, AsyncOutputType expected, Holder me) {
  ClientRecord rec;
  const AsyncOutput out = co_await call_and_wait(call, async, me, rec);
  if (rec.waited) {
    if (rec.result.succeeded() && out.type != expected) rec.result = hr::e_unexpected;
    async->release(me);
  }
  co_return rec;
}

bool retryable(HResult h) {
  return h == hr::vds_e_another_call_in_progress || h == hr::vds_e_retry || h == hr::vds_e_provider_cache_corrupt;
}

/// The robust client's wait: polls QueryStatus every poll_interval (noting percent going back)
/// until the handle is signalled; past the deadline it cancels and gives the cancel one more
/// interval. False: still not signalled (timed out).
engine::Task<bool> robust_poll(engine::Simulation& sim, AsyncHandle& async, const RobustOptions& options,
                               ClientRecord& rec) {
  rec.wait_began = sim.now();
  const base::Time deadline = base::saturating_add(sim.now(), options.deadline);
  std::uint32_t last = 0;
  while (!async.signalled()) {
    const bool done = co_await engine::wait_for(sim, async.signal(), options.poll_interval);
    HResult status;
    std::uint32_t percent = 0;
    if (options.before_call) options.before_call();
    if (async.query_status(&status, &percent).succeeded() && status == hr::vds_e_operation_pending) {
      if (percent < last) rec.percent_went_back = true;
      last = percent;
    }
    if (!done && sim.now() >= deadline) {
      if (options.before_call) options.before_call();
      if (async.cancel().succeeded()) (void)co_await engine::wait_for(sim, async.signal(), options.poll_interval);
      break;
    }
  }
  co_return async.signalled();
}

/// The robust client's call with retries: `attempt` makes the call (filling `*async`).
template <class Call>
engine::Task<HResult> robust_call(engine::Simulation& sim, Provider* provider, Subsystem& subsystem,
                                  const RobustOptions& options, ClientRecord& rec, AsyncHandle** async, Call attempt) {
  HResult call = hr::s_ok;
  for (std::uint32_t n = 1;; ++n) {
    *async = nullptr;
    if (options.before_call) options.before_call();
    call = attempt(async);
    rec.call = call;
    rec.attempts = n;
    if (!retryable(call) || n >= options.max_attempts) break;
    if (call == hr::vds_e_provider_cache_corrupt) {
      (void)subsystem.reenumerate();
      if (provider != nullptr) (void)provider->refresh();
    }
    co_await sim.delay(options.retry_delay * static_cast<std::int64_t>(n));
  }
  co_return call;
}

AsyncOutputType output_of(LunCall c) {
  switch (c) {
    case LunCall::Extend: return AsyncOutputType::ExtendLun;
    case LunCall::Shrink: return AsyncOutputType::ShrinkLun;
    case LunCall::Recover: return AsyncOutputType::RecoverLun;
    case LunCall::Delete: break;
  }
  return AsyncOutputType::Unknown;
}

HResult start_change(LunObject& lun, LunCall c, base::Bytes bytes, AsyncHandle** async, const Holder& me) {
  switch (c) {
    case LunCall::Extend: return lun.extend(bytes, async, me);
    case LunCall::Shrink: return lun.shrink(bytes, async, me);
    case LunCall::Recover: return lun.recover(async, me);
    case LunCall::Delete: break;
  }
  return lun.delete_lun();
}

engine::Task<ClientRecord> naive_change(Subsystem& subsystem, LunObject& lun, LunCall c, base::Bytes bytes, Holder me) {
  ClientRecord rec;
  AsyncHandle* async = nullptr;
  rec.call = rec.result = start_change(lun, c, bytes, &async, me);
  rec.attempts = 1;
  if (c == LunCall::Delete) {
    if (rec.result.succeeded()) lun.release(me);
    co_return rec;
  }
  if (rec.call.failed()) co_return rec;
  if (async == nullptr) {
    rec.crashed = true;
    rec.crash = "called IVdsAsync::Wait through a null pointer";
    co_return rec;
  }
  rec.wait_began = subsystem.simulation().now();
  const WaitResult w = co_await async->wait(me);
  note_wait(rec, w);  // Wait's own HRESULT and the output type are not looked at
  if (w.wait.failed() && w.op.succeeded())
    async->ledger().violation(me, ClientViolationKind::IgnoredWaitFailure, async->ledger_id(),
                              "Wait returned " + hex(w.wait) + ", the client went on");
  if (rec.result.failed()) co_return rec;  // releases nothing on failure
  if (w.output.object != nullptr) w.output.object->release(me);
  async->release(me);
  co_return rec;
}

engine::Task<ClientRecord> robust_change(Provider* provider, Subsystem& subsystem, LunObject& lun, LunCall c,
                                         base::Bytes bytes, Holder me, RobustOptions options) {
  ClientRecord rec;
  engine::Simulation& sim = subsystem.simulation();
  LunProp before;
  const bool known = lun.get_properties(&before).succeeded();
  AsyncHandle* async = nullptr;
  const HResult call = co_await robust_call(sim, provider, subsystem, options, rec, &async,
                                            [&](AsyncHandle** a) { return start_change(lun, c, bytes, a, me); });
  rec.result = call;
  if (c == LunCall::Delete) {
    if (call.succeeded()) lun.release(me);
    co_return rec;
  }
  if (call.failed()) co_return rec;  // a failed call's out-parameter is not ours (COM)
  if (async == nullptr) {
    rec.result = hr::e_unexpected;
    co_return rec;
  }
  if (!co_await robust_poll(sim, *async, options, rec)) {
    rec.result = hr::vds_e_timeout;
    async->release(me);
    co_return rec;
  }
  const WaitResult w = co_await async->wait(me);
  note_wait(rec, w);
  if (rec.result.succeeded() && w.wait.failed()) rec.result = w.wait;
  if (rec.result.succeeded() && w.output.type != output_of(c)) rec.result = hr::e_unexpected;
  if (rec.result.succeeded() && c != LunCall::Recover) {
    // Verify: the size moved by at least what was asked.
    LunProp after;
    ClientRecord scratch;  // retries of the check are not the call's attempts
    AsyncHandle* none = nullptr;
    const HResult p = co_await robust_call(sim, provider, subsystem, options, scratch, &none,
                                           [&](AsyncHandle**) { return lun.get_properties(&after); });
    if (p.failed()) rec.result = p;
    else if (known && c == LunCall::Extend && after.size.value < before.size.value + bytes.value) rec.result = hr::e_unexpected;
    else if (known && c == LunCall::Shrink && after.size.value + bytes.value > before.size.value) rec.result = hr::e_unexpected;
  }
  if (w.output.object != nullptr) w.output.object->release(me);  // whatever its type: no leak
  async->release(me);
  co_return rec;
}

} // namespace

engine::Task<> reference_create_lun(Subsystem& subsystem, CreateLunRequest req, Holder me, ClientRecord& rec) {
  AsyncHandle* async = nullptr;
  const HResult call = subsystem.create_lun(req.type, req.size, req.drives, &req.hints, &async, me);
  const AsyncOutput out = co_await call_and_wait(call, async, me, rec);
  if (rec.waited) take_lun(async, out, me, rec);
}

engine::Task<> naive_create_lun(Subsystem& subsystem, CreateLunRequest req, Holder me, ClientRecord& rec) {
  AsyncHandle* async = nullptr;
  rec.call = rec.result = subsystem.create_lun(req.type, req.size, req.drives, &req.hints, &async, me);
  rec.attempts = 1;
  if (rec.call.failed()) co_return;
  if (async == nullptr) {
    rec.crashed = true;
    rec.crash = "called IVdsAsync::Wait through a null pointer";
    co_return;
  }
  rec.wait_began = subsystem.simulation().now();
  const WaitResult w = co_await async->wait(me);
  note_wait(rec, w);  // Wait's own HRESULT is not looked at
  if (w.wait.failed() && w.op.succeeded())
    async->ledger().violation(me, ClientViolationKind::IgnoredWaitFailure, async->ledger_id(),
                              "Wait returned " + hex(w.wait) + ", the client went on");
  if (rec.result.failed()) co_return;  // releases nothing on failure
  VdsObject* unknown = w.output.object;  // the output type is not looked at either
  if (unknown != nullptr && w.output.type != AsyncOutputType::CreateLun)
    unknown->ledger().violation(me, ClientViolationKind::WrongTypePayload, unknown->ledger_id(),
                                "QueryInterface on a Wait payload of another output type");
  if (unknown == nullptr) {
    rec.crashed = true;
    rec.crash = "called QueryInterface through a null LUN pointer";
    co_return;
  }
  VdsObject* lun = nullptr;
  (void)unknown->query_interface(Interface::Lun, &lun, me);  // its HRESULT is not looked at
  if (lun == nullptr) {
    rec.crashed = true;
    rec.crash = "used the IVdsLun pointer QueryInterface did not return";
    co_return;
  }
  rec.lun = static_cast<LunObject*>(lun);
  unknown->release(me);
  async->release(me);
}

engine::Task<> robust_create_lun(Provider& provider, Subsystem& subsystem, CreateLunRequest req, Holder me,
                                 RobustOptions options, ClientRecord& rec) {
  engine::Simulation& sim = subsystem.simulation();
  AsyncHandle* async = nullptr;
  const HResult call = co_await robust_call(sim, &provider, subsystem, options, rec, &async, [&](AsyncHandle** a) {
    return subsystem.create_lun(req.type, req.size, req.drives, &req.hints, a, me);
  });
  rec.result = call;
  if (call.failed()) co_return;  // a failed call's out-parameter is not ours (COM)
  if (async == nullptr) {
    rec.result = hr::e_unexpected;
    co_return;
  }
  if (!co_await robust_poll(sim, *async, options, rec)) {
    rec.result = hr::vds_e_timeout;
    async->release(me);
    co_return;
  }
  const WaitResult w = co_await async->wait(me);
  note_wait(rec, w);
  if (rec.result.succeeded() && w.wait.failed()) rec.result = w.wait;
  VdsObject* unknown = rec.result.succeeded() ? w.output.object : nullptr;
  if (rec.result.succeeded() && w.output.type != AsyncOutputType::CreateLun) rec.result = hr::e_unexpected;
  else if (rec.result.succeeded() && unknown == nullptr) rec.result = hr::e_unexpected;
  if (rec.result.succeeded()) {
    VdsObject* lun = nullptr;
    rec.result = unknown->query_interface(Interface::Lun, &lun, me);
    if (rec.result.succeeded()) {
      auto* l = static_cast<LunObject*>(lun);
      LunProp prop;
      ClientRecord scratch;  // the retries of the checks are not the create's attempts
      AsyncHandle* none = nullptr;
      const HResult p = co_await robust_call(sim, &provider, subsystem, options, scratch, &none,
                                             [&](AsyncHandle**) { return l->get_properties(&prop); });
      if (p.failed() || prop.size < req.size || prop.status != LunStatus::Online) {
        // Not what was asked for: delete it (so it is not left orphaned on the array), let go.
        // A deletion refused for a passing reason (busy, a corrupt cache) is tried again.
        rec.result = p.failed() ? p : hr::e_unexpected;
        if (p.succeeded() || p == hr::vds_e_provider_cache_corrupt || p == hr::vds_e_another_call_in_progress)
          (void)co_await robust_call(sim, &provider, subsystem, options, scratch, &none,
                                     [&](AsyncHandle**) { return l->delete_lun(); });
        l->release(me);
      } else {
        rec.lun = l;
      }
    }
  }
  if (w.output.object != nullptr) w.output.object->release(me);  // whatever its type: no leak
  async->release(me);
}

engine::Task<ClientRecord> client_create_lun(BuiltinClient client, Provider* provider, Subsystem& subsystem,
                                             CreateLunRequest request, Holder me, RobustOptions robust) {
  ClientRecord rec;
  switch (client) {
    case BuiltinClient::Reference: co_await reference_create_lun(subsystem, std::move(request), me, rec); break;
    case BuiltinClient::Naive: co_await naive_create_lun(subsystem, std::move(request), me, rec); break;
    case BuiltinClient::Robust: co_await robust_create_lun(*provider, subsystem, std::move(request), me, robust, rec); break;
  }
  co_return rec;
}

engine::Task<ClientRecord> client_change_lun(BuiltinClient client, Provider* provider, Subsystem& subsystem,
                                             LunObject& lun, LunCall call, base::Bytes bytes, Holder me,
                                             RobustOptions robust) {
  switch (client) {
    case BuiltinClient::Reference:
      switch (call) {
        case LunCall::Extend: co_return co_await synchronous_extend_lun(lun, bytes, me);
        case LunCall::Shrink: co_return co_await synchronous_shrink_lun(lun, bytes, me);
        case LunCall::Recover: co_return co_await synchronous_recover_lun(lun, me);
        case LunCall::Delete: {
          ClientRecord rec;
          rec.call = rec.result = lun.delete_lun();
          rec.attempts = 1;
          if (rec.result.succeeded()) lun.release(me);
          co_return rec;
        }
      }
      break;
    case BuiltinClient::Naive: co_return co_await naive_change(subsystem, lun, call, bytes, me);
    case BuiltinClient::Robust: co_return co_await robust_change(provider, subsystem, lun, call, bytes, me, robust);
  }
  co_return ClientRecord{};
}

engine::Task<ClientRecord> synchronous_create_lun(Subsystem& subsystem, std::int32_t type, base::Bytes size,
                                                  std::vector<ObjectId> drives, Hints hints, Holder me) {
  ClientRecord rec;
  // A named request: GCC 12 destroys a temporary aggregate argument of a co_await twice.
  CreateLunRequest request{type, size, std::move(drives), hints};
  co_await reference_create_lun(subsystem, std::move(request), me, rec);
  co_return rec;
}

engine::Task<ClientRecord> synchronous_extend_lun(LunObject& lun, base::Bytes bytes, Holder me) {
  AsyncHandle* async = nullptr;
  const HResult call = lun.extend(bytes, &async, me);
  co_return co_await reconfigure(call, async, AsyncOutputType::ExtendLun, me);
}

engine::Task<ClientRecord> synchronous_shrink_lun(LunObject& lun, base::Bytes bytes, Holder me) {
  AsyncHandle* async = nullptr;
  const HResult call = lun.shrink(bytes, &async, me);
  co_return co_await reconfigure(call, async, AsyncOutputType::ShrinkLun, me);
}

engine::Task<ClientRecord> synchronous_recover_lun(LunObject& lun, Holder me) {
  AsyncHandle* async = nullptr;
  const HResult call = lun.recover(&async, me);
  co_return co_await reconfigure(call, async, AsyncOutputType::RecoverLun, me);
}

} // namespace sim::provider
