// An example user client: how to write your own client of the lunsim provider API.
//
// lunsim's provider (sim/provider/subsystem.hpp, async.hpp) is a simulated VDS hardware
// provider. A client is a C++20 coroutine, an `engine::Task<>`, that calls the provider the way
// a VDS application calls IVdsSubSystem / IVdsAsync / IVdsLun, and waits in *simulated* time:
// `co_await sim.delay(500ms)` resumes exactly 500 ms later on the simulation clock, costing no
// wall time. `lunsim check` runs the three built-in clients (sim/provider/client.hpp) against
// every errant-provider behaviour; this file shows the same thing done from outside the library,
// using only the public headers client.hpp, subsystem.hpp and async.hpp.
//
// THE CLIENT. polling_create_lun creates a LUN and, instead of blocking in IVdsAsync::Wait, polls
// IVdsAsync::QueryStatus every `poll_interval` (500 ms) under its own deadline:
//
//   1. subsystem.create_lun(...)  A failure is returned as is. A failed call's out-parameter is
//      not the caller's (COM), so a handle handed out with a failure is never touched.
//      S_OK without a handle is E_UNEXPECTED (a provider bug: nothing to wait on).
//   2. Poll: every poll_interval, handle->query_status(&op, &percent). While op is
//      VDS_E_OPERATION_PENDING the job runs; a percent lower than the last one is noted
//      (percent_went_back: a running operation's percent only grows).
//   3. Deadline: when it passes with the job still pending, handle->cancel(). If Cancel says S_OK
//      the client keeps polling for `cancel_grace` to see the job roll back; if the job never
//      ends (never_completes, cancel ignored or not supported) the client gives up:
//      VDS_E_TIMEOUT, the handle released. The LUN a job finishing later would create is not the
//      client's to know of: that is what the deadline costs.
//   4. Once query_status reports an end, `co_await handle->wait(me)` returns at once with Wait's
//      own HRESULT, the operation's HRESULT and the output. A failed Wait wins over a
//      successful-looking operation; a cancelled job after the deadline is VDS_E_TIMEOUT.
//   5. The output: its type must be VDS_ASYNCOUT_CREATELUN and its pointer non-null (else
//      E_UNEXPECTED); QueryInterface(IVdsLun) on it, its failure returned.
//   6. Verify: IVdsLun::GetProperties; the size must be at least what was asked and the LUN
//      ONLINE. A LUN that is not what was asked for is deleted (so it is not left orphaned on the
//      array) and the client returns E_UNEXPECTED.
//   7. Release: the payload pointer Wait returned and the handle, on every path. On success the
//      caller gets the LUN with exactly one reference (from QueryInterface) and must release it.
//
// REFERENCES are explicit, as in COM, and counted per holder in the subsystem's ledger
// (object.hpp): whatever the provider hands you (an out-parameter, Wait's payload, a
// QueryInterface result) carries one reference for the Holder you passed, to be release()d.
// `lunsim check` counts what a client still holds at the end as leaked.
//
// HOW TO RUN IT. Build a Simulation, a Ledger and a Subsystem with drives (or a scenario World),
// optionally a FaultPlan for an errant provider, spawn the coroutine and run the simulation:
//
//   sim::engine::Simulation sim(seed);
//   sim::provider::FaultPlan plan(sim, {fault});          // faults.hpp; optional
//   subsystem.set_faults(&plan);
//   example::PollingRecord rec;                            // must outlive the coroutine
//   auto p = sim::engine::spawn(sim, example::polling_create_lun(subsystem, request, me, {}, rec));
//   sim.run_until(sim::base::at(std::chrono::hours(24)));  // a hung client never ends by itself
//   if (rec.client.result.succeeded()) rec.client.lun->release(me);
//
// examples/test_polling_client.cpp does exactly that against a healthy provider and a few faults.
#pragma once

#include "sim/provider/async.hpp"
#include "sim/provider/client.hpp"
#include "sim/provider/subsystem.hpp"

#include <chrono>
#include <cstdint>

namespace example {

struct PollingOptions {
  sim::base::Duration poll_interval = std::chrono::milliseconds(500);
  /// From the call: when it passes with the job still pending, the client cancels.
  sim::base::Duration deadline = std::chrono::minutes(10);
  /// After a successful Cancel, how long to keep polling for the job to roll back.
  sim::base::Duration cancel_grace = std::chrono::seconds(5);
};

/// What the client did. `client` is the project's ClientRecord (client.hpp), filled the same way
/// as the built-in clients fill it; the rest is specific to polling.
struct PollingRecord {
  sim::provider::ClientRecord client;  ///< result, lun (on success), wait_began, percent_went_back, ...
  std::uint32_t polls = 0;             ///< query_status calls made
  std::uint32_t last_percent = 0;      ///< the last percent query_status reported
  bool timed_out = false;              ///< the deadline passed with the job still pending
  sim::provider::HResult cancel = sim::provider::hr::s_ok;  ///< Cancel's return, when it was called
  bool cancelled = false;              ///< Cancel was called
  bool deleted_wrong_lun = false;      ///< step 6 deleted a LUN that was not what was asked for
  sim::base::Bytes size{};             ///< the size GetProperties reported (step 6)
  bool finished = false;               ///< the coroutine returned
  sim::base::Time finished_at = sim::base::never;
};

/// The polling client (steps 1-7 above). `rec` must outlive the coroutine: it is filled as the
/// client goes, so a client cut short still shows where it stopped.
sim::engine::Task<> polling_create_lun(sim::provider::Subsystem& subsystem, sim::provider::CreateLunRequest request,
                                       sim::provider::Holder me, PollingOptions options, PollingRecord& rec);

} // namespace example
