// lunsim explore (sim/runner/explore.hpp): the built-in clients explored clean, each deliberately
// buggy client (buggy_clients.cpp) found within 1,000 seeds and shrunk to at most 2 faults, the
// shrinking's and the reproducer's contracts, determinism across job counts.
#include "sim/com/library.hpp"
#include "sim/runner/check.hpp"
#include "sim/runner/explore.hpp"
#include "sim/scenario/loader.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

using namespace sim;
using runner::Invariant;
using runner::RunVerdict;

namespace {

scenario::ScenarioSpec default_workflow() {
  scenario::LoadResult r = scenario::load_scenario(runner::default_workflow_yaml(), "explore-default.yaml");
  REQUIRE(r.spec);
  return *r.spec;
}

runner::ExploreResult explore_builtin(const scenario::ScenarioSpec& w, const std::string& client, std::uint64_t runs,
                                      unsigned jobs = 1) {
  runner::ExploreOptions o;
  o.workflow = &w;
  o.client.name = client;
  o.runs = runs;
  o.jobs = jobs;
  return runner::explore(o);
}

std::uint64_t failures(const runner::ExploreResult& r) {
  return static_cast<std::uint64_t>(std::count_if(r.cases.begin(), r.cases.end(), [](const runner::ExploreCase& c) {
    return c.judgement.verdict == RunVerdict::Fail;
  }));
}

} // namespace

TEST_CASE("the reference client explores 1,000 seeds of the default workflow without a failure beyond its contract") {
  const scenario::ScenarioSpec w = default_workflow();
  const runner::ExploreResult r = explore_builtin(w, "reference", 1000);
  REQUIRE(r.cases.size() == 1000);
  CHECK(r.contract == runner::Contract::Reference);
  CHECK(failures(r) == 0);
  // The contract cells do occur (never_completes hangs, wrong_output_type leaks): the run sees them.
  CHECK(std::any_of(r.cases.begin(), r.cases.end(), [](const auto& c) { return c.judgement.verdict == RunVerdict::Contract; }));
  // The healthy workflow's length and the bound derived from it.
  CHECK(r.hang_bound == 4 * r.healthy + std::chrono::hours(2));
}

TEST_CASE("the robust client explores 1,000 seeds clean under the strict contract") {
  const scenario::ScenarioSpec w = default_workflow();
  const runner::ExploreResult r = explore_builtin(w, "robust", 1000);
  CHECK(r.contract == runner::Contract::Strict);
  CHECK(failures(r) == 0);
}

TEST_CASE("the naive client fails (crashes, hangs), each failure shrunk to a 1-minimal schedule that replays the same") {
  const scenario::ScenarioSpec w = default_workflow();
  const runner::ExploreResult r = explore_builtin(w, "naive", 200);
  REQUIRE(failures(r) > 0);
  bool crash = false, hang = false;
  for (const runner::ExploreCase& c : r.cases) {
    if (c.judgement.broken == Invariant::Crash) crash = true;
    if (c.judgement.broken == Invariant::Hang) hang = true;
    if (!c.shrunk) continue;
    // 1-minimal: still failing the same way, and no single fault can go.
    CHECK(c.minimal_judgement.verdict == RunVerdict::Fail);
    CHECK(c.minimal_judgement.broken == c.judgement.broken);
    CHECK(c.minimal.size() <= c.schedule.size());
    for (std::size_t i = 0; i < c.minimal.size() && c.minimal.size() > 1; ++i) {
      runner::Schedule less = c.minimal;
      less.erase(less.begin() + static_cast<std::ptrdiff_t>(i));
      const runner::Judgement j = runner::judge_run(w, {"naive", {}, {}}, runner::Contract::Strict, less, c.seed, r.hang_bound);
      CHECK_FALSE((j.verdict == RunVerdict::Fail && j.broken == c.judgement.broken));
    }
    // The reproducer loads back to the same schedule and the same judgement.
    const std::string yaml = runner::reproducer_yaml(w, c.minimal, c.seed, r.hang_bound, false);
    scenario::LoadResult back = scenario::load_scenario(yaml, "repro.yaml");
    REQUIRE(back.spec);
    CHECK(back.spec->faults.size() == c.minimal.size());
    CHECK(back.spec->seed == c.seed);
    const runner::Judgement replay = runner::judge_run(*back.spec, {"naive", {}, {}}, runner::Contract::Strict,
                                                       back.spec->faults, back.spec->seed,
                                                       back.spec->horizon.time_since_epoch());
    CHECK(replay.verdict == c.minimal_judgement.verdict);
    CHECK(replay.broken == c.minimal_judgement.broken);
    CHECK(replay.detail == c.minimal_judgement.detail);
  }
  CHECK(crash);
  CHECK(hang);
}

TEST_CASE("explore gives the same cases for 1 and 2 threads") {
  const scenario::ScenarioSpec w = default_workflow();
  const runner::ExploreResult a = explore_builtin(w, "naive", 150, 1);
  const runner::ExploreResult b = explore_builtin(w, "naive", 150, 2);
  REQUIRE(a.cases.size() == b.cases.size());
  for (std::size_t i = 0; i < a.cases.size(); ++i) {
    CHECK(runner::describe(a.cases[i].schedule) == runner::describe(b.cases[i].schedule));
    CHECK(a.cases[i].judgement.detail == b.cases[i].judgement.detail);
    CHECK(runner::describe(a.cases[i].minimal) == runner::describe(b.cases[i].minimal));
  }
}

TEST_CASE("a schedule is drawn from its seed alone: 1 to max_faults faults, triggers within the workflow") {
  const scenario::ScenarioSpec w = default_workflow();
  for (std::uint64_t seed = 1; seed <= 200; ++seed) {
    const runner::Schedule s = runner::draw_schedule(w, false, seed, 3, std::chrono::seconds(12));
    CHECK(runner::describe(s) == runner::describe(runner::draw_schedule(w, false, seed, 3, std::chrono::seconds(12))));
    CHECK(s.size() >= 1);
    CHECK(s.size() <= 3);
    for (const auto& f : s) {
      CHECK(f.behavior != provider::Behavior::None);
      CHECK((f.nth.has_value() != f.from.has_value()));
      if (f.from) CHECK(*f.from <= base::at(std::chrono::seconds(12)));
    }
  }
}

namespace {

struct Bugged {
  const char* entry;
  Invariant broken;
  const char* detail;  ///< in the detail of the shrunk case
};

} // namespace

TEST_CASE("explore finds each deliberately buggy client within 1,000 seeds and shrinks it to at most 2 faults") {
  const scenario::ScenarioSpec w = default_workflow();
  const Bugged cases[] = {
      {"buggy_type_check", Invariant::ClientViolation, "wrong_type_payload"},
      {"buggy_double_release", Invariant::ClientViolation, "over_release"},
      {"buggy_no_deadline", Invariant::Hang, "IVdsAsync::Wait"},
      {"buggy_use_after_release", Invariant::ClientViolation, "use_after_release"},
      {"buggy_ignores_wait", Invariant::ClientViolation, "ignored_wait_failure"},
  };
  for (const Bugged& b : cases) {
    DYNAMIC_SECTION(b.entry) {
      com::ClientLibrary lib(LUNSIM_BUGGY_CLIENTS, b.entry, com::EntryKind::Subsystem);
      runner::ExploreOptions o;
      o.workflow = &w;
      o.client.name = b.entry;
      o.client.foreign = lib.entry();
      o.client.options.stack_bytes = 64 * 1024;
      o.runs = 1000;
      o.max_failures = 1;  // the first failure ends the search
      o.jobs = 2;
      const runner::ExploreResult r = runner::explore(o);
      REQUIRE(failures(r) == 1);
      const runner::ExploreCase& c = r.cases.back();
      INFO(c.judgement.detail);
      CHECK(c.seed < o.seed + 1000);
      CHECK(c.judgement.broken == b.broken);
      REQUIRE(c.shrunk);
      CHECK(c.minimal.size() <= 2);
      CHECK(c.minimal_judgement.broken == b.broken);
      CHECK(c.minimal_judgement.detail.find(b.detail) != std::string::npos);
    }
  }
}

TEST_CASE("the same client without its bug explores clean, each run in its own process") {
  const scenario::ScenarioSpec w = default_workflow();
  com::ClientLibrary lib(LUNSIM_BUGGY_CLIENTS, "careful", com::EntryKind::Subsystem);
  runner::ExploreOptions o;
  o.workflow = &w;
  o.client.name = "careful";
  o.client.foreign = lib.entry();
  o.client.options.stack_bytes = 64 * 1024;
  o.runs = 300;
  o.jobs = 2;
  const runner::ExploreResult r = runner::explore(o);
  CHECK(r.cases.size() == 300);
  CHECK(failures(r) == 0);
}

TEST_CASE("a client that dies of a signal in its process is a crash, and lunsim goes on") {
  const runner::Judgement j = runner::run_isolated([]() -> runner::Judgement {
    volatile int* p = nullptr;
    *p = 1;  // what a client dereferencing a dead pointer does
    return {};
  });
  CHECK(j.verdict == RunVerdict::Fail);
  CHECK(j.broken == Invariant::Crash);
  // A plain build reports the signal; under AddressSanitizer the child reports the SEGV itself
  // and exits 1 before any judgement: a crash either way.
  CHECK((j.detail.find("signal 11") != std::string::npos || j.detail.find("exited with status") != std::string::npos));
}

TEST_CASE("lunsim check runs a client library in its own process: a client that segfaults is a crash cell") {
  com::ClientLibrary lib(LUNSIM_BUGGY_CLIENTS, "segfaults", com::EntryKind::Subsystem);
  runner::CheckOptions options;
  options.clients = {"reference"};
  options.behaviors = {provider::Behavior::None, provider::Behavior::NullHandle};
  options.foreign = {lib.entry()};
  options.isolate = true;
  const std::vector<runner::CheckCell> cells = runner::run_check(options);
  REQUIRE(cells.size() == 4);
  for (const runner::CheckCell& c : cells) {
    INFO(c.client << " " << to_string(c.behavior) << ": " << c.crash);
    if (c.client == "reference") {
      CHECK(c.verdict != runner::Verdict::Crash);
      continue;
    }
    CHECK(c.verdict == runner::Verdict::Crash);
    CHECK(c.crash.find("the client's process") == 0);
  }
  // The careful client's cells are the same in a process of their own as in this one.
  com::ClientLibrary careful(LUNSIM_BUGGY_CLIENTS, "careful", com::EntryKind::Subsystem);
  options.foreign = {careful.entry()};
  options.behaviors.clear();
  const std::vector<runner::CheckCell> isolated = runner::run_check(options);
  options.isolate = false;
  const std::vector<runner::CheckCell> inline_cells = runner::run_check(options);
  REQUIRE(isolated.size() == inline_cells.size());
  for (std::size_t i = 0; i < isolated.size(); ++i) {
    const runner::CheckCell& a = isolated[i];
    const runner::CheckCell& b = inline_cells[i];
    INFO(a.client << " " << to_string(a.behavior));
    CHECK(a.verdict == b.verdict);
    CHECK(a.client_hresult == b.client_hresult);
    CHECK(a.wait_began == b.wait_began);
    CHECK(a.orphaned_luns == b.orphaned_luns);
    CHECK(a.leaked_refs == b.leaked_refs);
    CHECK(a.violations == b.violations);
    CHECK(a.client_violations.size() == b.client_violations.size());
    CHECK(a.crash == b.crash);
  }
}
