#include "sim/provider/client.hpp"

namespace sim::provider {

engine::Task<ClientRecord> synchronous_create_lun(Subsystem& subsystem, std::int32_t type, base::Bytes size,
                                                  std::vector<ObjectId> drives, Hints hints, Holder me) {
  ClientRecord rec;
  AsyncHandle* async = nullptr;
  HResult hr = subsystem.create_lun(type, size, drives, &hints, &async, me);
  rec.call = hr;
  if (hr.failed()) {
    rec.result = hr;
    co_return rec;
  }
  if (async == nullptr) {
    rec.result = hr::e_unexpected;
    co_return rec;
  }
  const WaitResult w = co_await async->wait(me);
  rec.waited = true;
  rec.wait = w.wait;
  rec.op = w.op;
  rec.output_type = w.output.type;
  hr = w.op;
  if (hr.succeeded() && w.wait.failed()) hr = w.wait;
  VdsObject* unknown = nullptr;
  if (hr.succeeded()) {
    if (w.output.type != AsyncOutputType::CreateLun) {
      hr = hr::e_unexpected;
    } else {
      unknown = w.output.object;
      if (unknown == nullptr) hr = hr::e_unexpected;
    }
  }
  if (hr.succeeded()) {
    VdsObject* lun = nullptr;
    hr = unknown->query_interface(Interface::Lun, &lun, me);
    if (hr.succeeded()) rec.lun = static_cast<LunObject*>(lun);
  }
  if (unknown != nullptr) unknown->release(me);
  async->release(me);
  rec.result = hr;
  co_return rec;
}

namespace {

engine::Task<ClientRecord> finish_reconfiguration(HResult call, AsyncHandle* async, AsyncOutputType expected, Holder me) {
  ClientRecord rec;
  rec.call = call;
  if (call.failed()) {
    rec.result = call;
    co_return rec;
  }
  if (async == nullptr) {
    rec.result = hr::e_unexpected;
    co_return rec;
  }
  const WaitResult w = co_await async->wait(me);
  rec.waited = true;
  rec.wait = w.wait;
  rec.op = w.op;
  rec.output_type = w.output.type;
  HResult hr = w.op;
  if (hr.succeeded() && w.wait.failed()) hr = w.wait;
  if (hr.succeeded() && w.output.type != expected) hr = hr::e_unexpected;
  async->release(me);
  rec.result = hr;
  co_return rec;
}

} // namespace

engine::Task<ClientRecord> synchronous_extend_lun(LunObject& lun, base::Bytes bytes, Holder me) {
  AsyncHandle* async = nullptr;
  const HResult call = lun.extend(bytes, &async, me);
  co_return co_await finish_reconfiguration(call, async, AsyncOutputType::ExtendLun, me);
}

engine::Task<ClientRecord> synchronous_shrink_lun(LunObject& lun, base::Bytes bytes, Holder me) {
  AsyncHandle* async = nullptr;
  const HResult call = lun.shrink(bytes, &async, me);
  co_return co_await finish_reconfiguration(call, async, AsyncOutputType::ShrinkLun, me);
}

} // namespace sim::provider
