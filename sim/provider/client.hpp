// Clients of the provider API, written as coroutines: the reference client (the VDS sample's
// SynchronousCreateLun) and its extend/shrink twins, a naive one and a robust one. `lunsim check`
// runs them against every errant-provider behaviour; users can write their own the same way
// (see examples/polling_client.hpp and tests/provider/test_client.cpp).
//
// reference create: 1. CreateLun; a failure is returned as is. 2. S_OK with no async handle ->
//   E_UNEXPECTED. 3. Wait; the result is the operation's HRESULT, except that a failed Wait call
//   wins when the operation looked successful. 4. On success: an output type other than
//   CREATELUN -> E_UNEXPECTED (the payload is then not read, so not released: the sample's
//   leak); a null LUN pointer -> E_UNEXPECTED; otherwise QueryInterface(IVdsLun) on the payload,
//   its failure propagated. 5. Releases the handle and the payload pointer it read — only those.
// naive create: trusts S_OK and the output: no handle, type or pointer checks, ignores Wait's
//   own HRESULT, releases the handle and payload only on success. Where it would use a null or
//   dead pointer it stops and records a crash instead of crashing. Its protocol violations go
//   to the Ledger: going on after a failed Wait (ignored_wait_failure), QueryInterface on a
//   payload of another output type (wrong_type_payload).
// robust create: the reference's checks, plus bounded retries (busy, VDS_E_RETRY, cache corrupt
//   -> subsystem reenumerate + provider refresh), polling with query_status under a deadline
//   (percent going backwards is noted), cancel when the deadline passes, size verification of
//   the new LUN (one that is not what was asked for is deleted), and every reference released
//   on every path.
// On success a client returns the new LUN with one reference owned by the caller.
#pragma once

#include "sim/base/size.hpp"
#include "sim/engine/task.hpp"
#include "sim/provider/provider.hpp"
#include "sim/base/name_table.hpp"
#include "sim/provider/subsystem.hpp"

#include <functional>
#include <string>
#include <vector>

namespace sim::provider {

struct ClientRecord {
  HResult call = hr::s_ok;     ///< the initiating call's own return (the last one, after retries)
  bool waited = false;         ///< Wait was called and returned
  base::Time wait_began = base::never;  ///< when the client started waiting (hang reports)
  HResult wait = hr::s_ok;     ///< Wait's own return
  HResult op = hr::s_ok;       ///< the operation's HRESULT from Wait
  AsyncOutputType output_type = AsyncOutputType::Unknown;
  HResult result = hr::s_ok;   ///< what the client returns
  LunObject* lun = nullptr;    ///< on success: the new LUN, one reference the caller owns
  bool crashed = false;        ///< the client used a null or dead pointer (naive client)
  std::string crash;           ///< what it did
  bool percent_went_back = false;  ///< the robust client saw percent decrease while polling
  std::uint32_t attempts = 0;  ///< calls made (robust retries)
};

/// The clients lunsim brings (`lunsim check --clients`): reference (waits, checks the output
/// type, releases what it got), naive (trusts everything), robust (retries, deadline, cancel).
enum class BuiltinClient : std::uint8_t { Reference, Naive, Robust };
inline constexpr base::NameTable<BuiltinClient, 3> builtin_client_names{
    {{{BuiltinClient::Reference, "reference"}, {BuiltinClient::Naive, "naive"}, {BuiltinClient::Robust, "robust"}}}};

struct CreateLunRequest {
  std::int32_t type = 0;
  base::Bytes size;
  std::vector<ObjectId> drives;
  Hints hints;
};

/// The reference client; `rec` must outlive the coroutine (it is filled as it goes, so a client
/// that hangs still shows where it stopped).
engine::Task<> reference_create_lun(Subsystem& subsystem, CreateLunRequest request, Holder me, ClientRecord& rec);
engine::Task<> naive_create_lun(Subsystem& subsystem, CreateLunRequest request, Holder me, ClientRecord& rec);

struct RobustOptions {
  std::uint32_t max_attempts = 5;
  base::Duration retry_delay = std::chrono::seconds(1);  ///< grows linearly per attempt
  base::Duration poll_interval = std::chrono::seconds(1);
  base::Duration deadline = std::chrono::hours(1);       ///< then cancel
  /// Called before each provider call the client makes after its first suspension (retries,
  /// polls, cancels, checks, clean-up): the caller tags what those calls make and fire, as it
  /// does before the first call (Subsystem::set_caller). Empty: nothing.
  std::function<void()> before_call;
};
engine::Task<> robust_create_lun(Provider& provider, Subsystem& subsystem, CreateLunRequest request, Holder me,
                                 RobustOptions options, ClientRecord& rec);

/// A call on an existing LUN a workflow makes.
enum class LunCall : std::uint8_t { Extend, Shrink, Recover, Delete };

/// A scenario operation through built-in client `client` (`run --client`, `lunsim explore`):
/// reference as above; naive (trusts S_OK, Wait's output and its type, releases only on success,
/// records a crash where it would use a null pointer and its protocol violations in the Ledger);
/// robust (retries a busy, retry or corrupt-cache call — reenumerate, then `provider`'s refresh
/// when given —, polls under its deadline and cancels past it, checks the output type, verifies
/// the result: a created LUN's size and status, an extended LUN at least `bytes` larger, a shrunk
/// one at least `bytes` smaller; and releases every reference on every path). A successful
/// create returns the new LUN with one reference the caller owns; a successful delete has
/// released the caller's reference `me` held on the LUN. `provider` may be null except for robust.
engine::Task<ClientRecord> client_create_lun(BuiltinClient client, Provider* provider, Subsystem& subsystem,
                                             CreateLunRequest request, Holder me, RobustOptions robust = {});
engine::Task<ClientRecord> client_change_lun(BuiltinClient client, Provider* provider, Subsystem& subsystem,
                                             LunObject& lun, LunCall call, base::Bytes bytes, Holder me,
                                             RobustOptions robust = {});

/// The reference client returning its record (for scenario operations).
engine::Task<ClientRecord> synchronous_create_lun(Subsystem& subsystem, std::int32_t type, base::Bytes size,
                                                  std::vector<ObjectId> drives, Hints hints, Holder me);
engine::Task<ClientRecord> synchronous_extend_lun(LunObject& lun, base::Bytes bytes, Holder me);
/// IVdsLun::Recover the same way (RECOVERLUN; no payload).
engine::Task<ClientRecord> synchronous_recover_lun(LunObject& lun, Holder me);
engine::Task<ClientRecord> synchronous_shrink_lun(LunObject& lun, base::Bytes bytes, Holder me);

} // namespace sim::provider
