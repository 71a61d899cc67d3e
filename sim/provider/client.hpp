// Reference clients: the synchronous wrappers of the VDS sample (SynchronousCreateLun) and their
// twins for Extend and Shrink, as coroutines against the provider API.
//
// create_lun, written from the sample's logic:
//   1. CreateLun; a failure is returned as is.
//   2. S_OK with no async handle -> E_UNEXPECTED.
//   3. Wait; the result is the operation's HRESULT, except that a failed Wait call wins when
//      the operation looked successful.
//   4. On success: an output type other than CREATELUN -> E_UNEXPECTED (the payload is then
//      not read, so not released: the sample's leak); a null LUN pointer -> E_UNEXPECTED;
//      otherwise QueryInterface(IVdsLun) on the payload, its failure propagated.
//   5. Releases the handle and the payload pointer it read — only those, as the sample does.
// On success the caller owns one reference on the returned LUN (from QueryInterface).
// extend_lun / shrink_lun follow steps 1-3, check the output type (EXTENDLUN / SHRINKLUN) and
// release the handle. ClientRecord keeps every HRESULT seen, for ops.csv.
#pragma once

#include "sim/base/size.hpp"
#include "sim/engine/task.hpp"
#include "sim/provider/subsystem.hpp"

#include <vector>

namespace sim::provider {

struct ClientRecord {
  HResult call = hr::s_ok;     ///< the initiating call's own return
  bool waited = false;         ///< Wait was called (and returned)
  HResult wait = hr::s_ok;     ///< Wait's own return
  HResult op = hr::s_ok;       ///< the operation's HRESULT from Wait
  AsyncOutputType output_type = AsyncOutputType::Unknown;
  HResult result = hr::s_ok;   ///< what the client returns
  LunObject* lun = nullptr;    ///< create_lun on success: the new LUN, one reference the caller owns
};

engine::Task<ClientRecord> synchronous_create_lun(Subsystem& subsystem, std::int32_t type, base::Bytes size,
                                                  std::vector<ObjectId> drives, Hints hints, Holder me);
engine::Task<ClientRecord> synchronous_extend_lun(LunObject& lun, base::Bytes bytes, Holder me);
engine::Task<ClientRecord> synchronous_shrink_lun(LunObject& lun, base::Bytes bytes, Holder me);

} // namespace sim::provider
