// `lunsim check` (sim/runner/check.hpp): every errant-provider behaviour against the reference,
// naive and robust clients. One test per behaviour pins, for each client, the verdict, the
// HRESULT the client returned, the LUNs it orphaned and the references it leaked; then the
// contract table, hangs that end, and determinism.
#include "sim/runner/check.hpp"

#include "sim/base/time.hpp"
#include "sim/provider/faults.hpp"
#include "sim/provider/hresult.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using sim::provider::Behavior;
using sim::provider::FaultOp;
using sim::provider::FaultSpec;
using sim::runner::CheckCell;
using sim::runner::CheckOptions;
using sim::runner::Verdict;

namespace {

/// What one client must give for a behaviour.
struct Pin {
  Verdict verdict;
  const char* hresult;  ///< provider::describe() of the client's HRESULT
  std::uint32_t orphans;
  std::uint32_t leaks;
};

std::string show(const CheckCell& c) {
  return std::string(to_string(c.behavior)) + " x " + c.client + ": " + to_string(c.verdict) + ", " +
         sim::provider::describe(c.client_hresult) + ", orphans " + std::to_string(c.orphaned_luns) + ", leaks " +
         std::to_string(c.leaked_refs) + (c.crash.empty() ? "" : ", crash: " + c.crash);
}

/// Runs the behaviour's three cells (the default check: seed 1, built-in topology) and pins them.
void pin(Behavior b, const Pin& reference, const Pin& naive, const Pin& robust) {
  CheckOptions options;
  options.behaviors = {b};
  const std::vector<CheckCell> cells = sim::runner::run_check(options);
  REQUIRE(cells.size() == 3);
  const Pin* pins[] = {&reference, &naive, &robust};
  const char* names[] = {"reference", "naive", "robust"};
  for (std::size_t i = 0; i < 3; ++i) {
    const CheckCell& c = cells[i];
    const Pin& p = *pins[i];
    INFO(show(c));
    CHECK(c.behavior == b);
    CHECK(c.client == names[i]);
    CHECK(c.verdict == p.verdict);
    CHECK(sim::provider::describe(c.client_hresult) == p.hresult);
    CHECK(c.orphaned_luns == p.orphans);
    CHECK(c.leaked_refs == p.leaks);
    // A crash is reported with what the client did, and only then.
    CHECK(c.crash.empty() == (c.verdict != Verdict::Crash));
    // Only a hang leaves the client unfinished.
    CHECK(c.client_finished == (c.verdict != Verdict::Hang));
  }
}

constexpr Verdict ok = Verdict::Ok;
constexpr Verdict detected = Verdict::Detected;
constexpr Verdict undetected = Verdict::Undetected;
constexpr Verdict hang = Verdict::Hang;
constexpr Verdict crash = Verdict::Crash;
constexpr Verdict not_exercised = Verdict::NotExercised;

FaultSpec on_first_create(Behavior b) {
  FaultSpec f;
  f.op = FaultOp::CreateLun;
  f.behavior = b;
  f.nth = 1;
  return f;
}

} // namespace

// -- one test per behaviour ---------------------------------------------------------------------

TEST_CASE("none: a healthy provider gives every client its LUN, nothing orphaned or leaked", "[runner][check]") {
  pin(Behavior::None, {ok, "S_OK", 0, 0}, {ok, "S_OK", 0, 0}, {ok, "S_OK", 0, 0});
}

TEST_CASE("null_handle: reference and robust return E_UNEXPECTED for S_OK without a handle, naive calls Wait "
          "through the null pointer (crash), no LUN is created",
          "[runner][check]") {
  pin(Behavior::NullHandle, {detected, "E_UNEXPECTED", 0, 0}, {crash, "S_OK", 0, 0}, {detected, "E_UNEXPECTED", 0, 0});
}

TEST_CASE("wrong_output_type: the reference client detects it, orphans the LUN and leaks the payload it never "
          "read, naive takes the LUN unawares, robust detects it, orphans the LUN but releases the payload",
          "[runner][check]") {
  pin(Behavior::WrongOutputType, {detected, "E_UNEXPECTED", 1, 1}, {undetected, "S_OK", 0, 0},
      {detected, "E_UNEXPECTED", 1, 0});
}

TEST_CASE("null_payload: reference and robust return E_UNEXPECTED and orphan the LUN, naive calls "
          "QueryInterface through the null pointer (crash), leaking the handle",
          "[runner][check]") {
  pin(Behavior::NullPayload, {detected, "E_UNEXPECTED", 1, 0}, {crash, "S_OK", 1, 1}, {detected, "E_UNEXPECTED", 1, 0});
}

TEST_CASE("no_interface: reference and robust return QueryInterface's E_NOINTERFACE and orphan the LUN, naive "
          "uses the pointer QueryInterface did not return (crash), leaking payload and handle",
          "[runner][check]") {
  pin(Behavior::NoInterface, {detected, "E_NOINTERFACE", 1, 0}, {crash, "S_OK", 1, 2},
      {detected, "E_NOINTERFACE", 1, 0});
}

TEST_CASE("wait_fails: reference and robust return Wait's VDS_E_TIMEOUT and orphan the LUN that was created, naive "
          "ignores Wait's failure and calls through the empty payload (crash), leaking the handle",
          "[runner][check]") {
  pin(Behavior::WaitFails, {detected, "VDS_E_TIMEOUT", 1, 0}, {crash, "S_OK", 1, 1}, {detected, "VDS_E_TIMEOUT", 1, 0});
}

TEST_CASE("op_fails: every client returns the operation's VDS_E_PROVIDER_FAILURE, the truth (rolled back), naive "
          "leaks the handle it releases only on success",
          "[runner][check]") {
  pin(Behavior::OpFails, {ok, "VDS_E_PROVIDER_FAILURE", 0, 0}, {ok, "VDS_E_PROVIDER_FAILURE", 0, 1},
      {ok, "VDS_E_PROVIDER_FAILURE", 0, 0});
}

TEST_CASE("never_completes: reference and naive wait forever on the handle they hold (hang), robust gives up at its "
          "deadline with VDS_E_TIMEOUT and releases the handle",
          "[runner][check]") {
  pin(Behavior::NeverCompletes, {hang, "S_OK", 0, 1}, {hang, "S_OK", 0, 1}, {detected, "VDS_E_TIMEOUT", 0, 0});
}

TEST_CASE("completes_twice: the second completion is a protocol violation, but every client already has a good "
          "LUN",
          "[runner][check]") {
  pin(Behavior::CompletesTwice, {ok, "S_OK", 0, 0}, {ok, "S_OK", 0, 0}, {ok, "S_OK", 0, 0});
}

TEST_CASE("percent_regresses: only robust polls query_status, so only it exercises the fault, it gets its LUN",
          "[runner][check]") {
  pin(Behavior::PercentRegresses, {not_exercised, "S_OK", 0, 0}, {not_exercised, "S_OK", 0, 0}, {ok, "S_OK", 0, 0});
}

TEST_CASE("restart_loop: a finite restart only delays the job, every client gets its LUN", "[runner][check]") {
  pin(Behavior::RestartLoop, {ok, "S_OK", 0, 0}, {ok, "S_OK", 0, 0}, {ok, "S_OK", 0, 0});
}

TEST_CASE("instant_no_effect: reference and naive accept the size-0 LUN (undetected), robust's size check "
          "returns E_UNEXPECTED and deletes it",
          "[runner][check]") {
  pin(Behavior::InstantNoEffect, {undetected, "S_OK", 0, 0}, {undetected, "S_OK", 0, 0},
      {detected, "E_UNEXPECTED", 0, 0});
}

TEST_CASE("size_rounded_down: reference and naive accept the smaller LUN (undetected), robust's size check "
          "returns E_UNEXPECTED and deletes it",
          "[runner][check]") {
  pin(Behavior::SizeRoundedDown, {undetected, "S_OK", 0, 0}, {undetected, "S_OK", 0, 0},
      {detected, "E_UNEXPECTED", 0, 0});
}

TEST_CASE("hints_ignored: hints are requests, never binding, every client gets a good LUN", "[runner][check]") {
  pin(Behavior::HintsIgnored, {ok, "S_OK", 0, 0}, {ok, "S_OK", 0, 0}, {ok, "S_OK", 0, 0});
}

TEST_CASE("cancel_ignored: no client cancels a job that ends well before robust's deadline: not exercised",
          "[runner][check]") {
  pin(Behavior::CancelIgnored, {not_exercised, "S_OK", 0, 0}, {not_exercised, "S_OK", 0, 0},
      {not_exercised, "S_OK", 0, 0});
}

TEST_CASE("cancel_unsupported: no client cancels a job that ends well before robust's deadline: not exercised",
          "[runner][check]") {
  pin(Behavior::CancelUnsupported, {not_exercised, "S_OK", 0, 0}, {not_exercised, "S_OK", 0, 0},
      {not_exercised, "S_OK", 0, 0});
}

TEST_CASE("sync_error_with_handle: every client returns the call's VDS_E_PROVIDER_FAILURE and leaves the handle "
          "alone (a failed call's out-parameter is the provider's)",
          "[runner][check]") {
  pin(Behavior::SyncErrorWithHandle, {detected, "VDS_E_PROVIDER_FAILURE", 0, 0},
      {detected, "VDS_E_PROVIDER_FAILURE", 0, 0}, {detected, "VDS_E_PROVIDER_FAILURE", 0, 0});
}

TEST_CASE("leaked_reference: the provider's own extra reference is not the client's leak, every client is ok",
          "[runner][check]") {
  pin(Behavior::LeakedReference, {ok, "S_OK", 0, 0}, {ok, "S_OK", 0, 0}, {ok, "S_OK", 0, 0});
}

TEST_CASE("cache_corrupt: reference and naive return VDS_E_PROVIDER_CACHE_CORRUPT, robust reenumerates, "
          "refreshes, retries and gets its LUN (detected by recovering)",
          "[runner][check]") {
  pin(Behavior::CacheCorrupt, {detected, "VDS_E_PROVIDER_CACHE_CORRUPT", 0, 0},
      {detected, "VDS_E_PROVIDER_CACHE_CORRUPT", 0, 0}, {detected, "S_OK", 0, 0});
}

TEST_CASE("busy: reference and naive return VDS_E_ANOTHER_CALL_IN_PROGRESS, robust retries and gets its LUN "
          "(detected by recovering)",
          "[runner][check]") {
  pin(Behavior::Busy, {detected, "VDS_E_ANOTHER_CALL_IN_PROGRESS", 0, 0},
      {detected, "VDS_E_ANOTHER_CALL_IN_PROGRESS", 0, 0}, {detected, "S_OK", 0, 0});
}

TEST_CASE("stale_object: reference and robust return QueryInterface's VDS_E_OBJECT_DELETED, naive uses the pointer "
          "QueryInterface did not return (crash), leaking payload and handle",
          "[runner][check]") {
  pin(Behavior::StaleObject, {detected, "VDS_E_OBJECT_DELETED", 0, 0}, {crash, "S_OK", 0, 2},
      {detected, "VDS_E_OBJECT_DELETED", 0, 0});
}

TEST_CASE("slow: a slower management latency changes nothing but time, every client is ok", "[runner][check]") {
  pin(Behavior::Slow, {ok, "S_OK", 0, 0}, {ok, "S_OK", 0, 0}, {ok, "S_OK", 0, 0});
}

// -- the matrix as a whole ----------------------------------------------------------------------

TEST_CASE("the full matrix has every behaviour x client cell and the reference column matches the contract table",
          "[runner][check]") {
  const std::vector<CheckCell> cells = sim::runner::run_check(CheckOptions{});
  const auto& behaviors = sim::provider::all_behaviors();
  REQUIRE(behaviors.size() == 22);
  REQUIRE(cells.size() == behaviors.size() * 3);
  for (std::size_t i = 0; i < cells.size(); ++i) {
    CHECK(cells[i].behavior == behaviors[i / 3]);
    CHECK(cells[i].client == std::vector<std::string>{"reference", "naive", "robust"}[i % 3]);
  }
  for (const CheckCell& c : cells) {
    if (c.client != "reference") continue;
    const sim::runner::Expected e = sim::runner::expected_reference(c.behavior);
    INFO(show(c));
    CHECK(c.verdict == e.verdict);
    CHECK(c.orphaned_luns == e.orphans);
    CHECK(c.leaked_refs == e.leaks);
  }
  CHECK(sim::runner::reference_matches(cells));
}

TEST_CASE("reference_matches is false as soon as one reference cell differs from the table", "[runner][check]") {
  CheckOptions options;
  options.clients = {"reference"};
  std::vector<CheckCell> cells = sim::runner::run_check(options);
  REQUIRE(sim::runner::reference_matches(cells));
  cells[1].leaked_refs += 1;
  CHECK_FALSE(sim::runner::reference_matches(cells));
  // Cells of other clients are not judged against the table.
  CheckOptions naive;
  naive.clients = {"naive"};
  CHECK(sim::runner::reference_matches(sim::runner::run_check(naive)));
}

TEST_CASE("never_completes: the run ends by itself (nothing is scheduled) and reports the hang with when the "
          "wait began",
          "[runner][check]") {
  const CheckCell c = sim::runner::run_cell(CheckOptions{}, on_first_create(Behavior::NeverCompletes), "reference");
  CHECK(c.verdict == hang);
  CHECK_FALSE(c.client_finished);
  CHECK(c.wait_began == sim::base::at(0s));
  CHECK_FALSE(c.stopped_at_bound);
  CHECK(c.leaked_refs == 1);  // the handle it is still waiting on
}

TEST_CASE("restart_loop forever against the reference client: the run stops at its 24 h bound and reports the "
          "hang with when the wait began",
          "[runner][check]") {
  FaultSpec f = on_first_create(Behavior::RestartLoop);
  f.forever = true;
  const CheckCell c = sim::runner::run_cell(CheckOptions{}, f, "reference");
  INFO(show(c));
  CHECK(c.verdict == hang);
  CHECK_FALSE(c.client_finished);
  CHECK(c.stopped_at_bound);
  CHECK(c.wait_began == sim::base::at(0s));
  CHECK(c.client_hresult == sim::provider::hr::s_ok);  // nothing returned yet
  CHECK(c.leaked_refs == 1);    // the handle it waits on
  CHECK(c.orphaned_luns == 1);  // the LUN being created, which the client has not been given
  CHECK(c.crash.empty());
}

TEST_CASE("restart_loop forever against the robust client: it cancels at its deadline and returns "
          "VDS_E_OPERATION_CANCELED, the truth (the creation was rolled back)",
          "[runner][check]") {
  FaultSpec f = on_first_create(Behavior::RestartLoop);
  f.forever = true;
  const CheckCell c = sim::runner::run_cell(CheckOptions{}, f, "robust");
  INFO(show(c));
  CHECK(c.verdict == ok);
  CHECK(c.client_finished);
  CHECK_FALSE(c.stopped_at_bound);
  CHECK(c.client_hresult == sim::provider::hr::vds_e_operation_canceled);
  CHECK(c.orphaned_luns == 0);
  CHECK(c.leaked_refs == 0);
}

TEST_CASE("run_cell with the default fault entry gives the cell run_check gives, unknown clients are refused",
          "[runner][check]") {
  CheckOptions options;
  options.behaviors = {Behavior::WrongOutputType};
  const std::vector<CheckCell> cells = sim::runner::run_check(options);
  const CheckCell one = sim::runner::run_cell(options, on_first_create(Behavior::WrongOutputType), "reference");
  CHECK(one.verdict == cells[0].verdict);
  CHECK(one.client_hresult == cells[0].client_hresult);
  CHECK(one.orphaned_luns == cells[0].orphaned_luns);
  CHECK(one.leaked_refs == cells[0].leaked_refs);
  CHECK(one.violations == cells[0].violations);
  CHECK_THROWS_AS(sim::runner::run_cell(options, on_first_create(Behavior::None), "optimist"), std::invalid_argument);
}

TEST_CASE("running the same check twice gives identical cells", "[runner][check][determinism]") {
  const std::vector<CheckCell> a = sim::runner::run_check(CheckOptions{});
  const std::vector<CheckCell> b = sim::runner::run_check(CheckOptions{});
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    INFO(show(a[i]));
    CHECK(a[i].behavior == b[i].behavior);
    CHECK(a[i].client == b[i].client);
    CHECK(a[i].verdict == b[i].verdict);
    CHECK(a[i].client_hresult == b[i].client_hresult);
    CHECK(a[i].client_finished == b[i].client_finished);
    CHECK(a[i].wait_began == b[i].wait_began);
    CHECK(a[i].orphaned_luns == b[i].orphaned_luns);
    CHECK(a[i].leaked_refs == b[i].leaked_refs);
    CHECK(a[i].violations == b[i].violations);
    CHECK(a[i].crash == b[i].crash);
    CHECK(a[i].stopped_at_bound == b[i].stopped_at_bound);
  }
}
