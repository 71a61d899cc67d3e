#include "sim/provider/client.hpp"

namespace sim::provider {

namespace {

/// Steps shared by every reference client: the initiating call's result, the handle check
/// (S_OK with no handle is E_UNEXPECTED) and Wait, whose failure wins only when the operation
/// looked successful. Fills `rec` (which outlives the wait); returns Wait's output, empty when
/// the client did not get that far. The handle is released by the caller once it is done.
engine::Task<AsyncOutput> call_and_wait(HResult call, AsyncHandle* async, Holder me, ClientRecord& rec) {
  rec.call = call;
  rec.result = call;
  if (call.failed()) co_return AsyncOutput{};
  if (async == nullptr) {
    rec.result = hr::e_unexpected;
    co_return AsyncOutput{};
  }
  const WaitResult w = co_await async->wait(me);
  rec.waited = true;
  rec.wait = w.wait;
  rec.op = w.op;
  rec.output_type = w.output.type;
  rec.result = w.op;
  if (rec.result.succeeded() && w.wait.failed()) rec.result = w.wait;
  co_return w.output;
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

} // namespace

engine::Task<ClientRecord> synchronous_create_lun(Subsystem& subsystem, std::int32_t type, base::Bytes size,
                                                  std::vector<ObjectId> drives, Hints hints, Holder me) {
  ClientRecord rec;
  AsyncHandle* async = nullptr;
  const HResult call = subsystem.create_lun(type, size, drives, &hints, &async, me);
  const AsyncOutput out = co_await call_and_wait(call, async, me, rec);
  if (!rec.waited) co_return rec;
  // The sample reads the payload only when the output type is CREATELUN: with another type the
  // reference it was given is never released.
  VdsObject* unknown = nullptr;
  if (rec.result.succeeded()) {
    if (out.type != AsyncOutputType::CreateLun) {
      rec.result = hr::e_unexpected;
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

} // namespace sim::provider
