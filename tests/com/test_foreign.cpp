// Compiled VDS clients loaded with dlopen, as `lunsim check/run --client-lib` loads them: the
// README's example client against every errant-provider behaviour, leak accounting, and many
// concurrent blocking clients.
#include "sim/com/library.hpp"
#include "sim/runner/check.hpp"
#include "sim/runner/run.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <stdexcept>
#include <string>

using namespace sim;
using namespace std::chrono_literals;
using provider::Behavior;

namespace {

/// The check's 8-drive array (100 GB drives, 100 ms management latency), no operations.
scenario::ScenarioSpec array_spec() { return runner::builtin_topology(); }

} // namespace

TEST_CASE("The example client, unmodified, gets the reference client's verdict for every behaviour") {
  const com::ClientLibrary sub(LUNSIM_EXAMPLE_CLIENT, "vds_create_lun", com::EntryKind::Subsystem);
  const com::ClientLibrary main(LUNSIM_EXAMPLE_CLIENT, "vds_create_lun_main", com::EntryKind::Main);
  runner::CheckOptions options;
  options.clients = {"reference"};
  options.foreign = {sub.entry(), main.entry()};
  const std::vector<runner::CheckCell> cells = runner::run_check(options);
  REQUIRE(cells.size() == 3 * provider::all_behaviors().size());
  CHECK(runner::reference_matches(cells));
  for (std::size_t i = 0; i < cells.size(); i += 3) {
    const runner::CheckCell& ref = cells[i];
    const Behavior b = ref.behavior;
    for (std::size_t k = 1; k <= 2; ++k) {
      const runner::CheckCell& ex = cells[i + k];
      INFO(to_string(b) << " / " << ex.client);
      CHECK(ex.behavior == b);
      CHECK(ex.verdict == ref.verdict);
      CHECK(ex.orphaned_luns == ref.orphaned_luns);
      CHECK(ex.violations == ref.violations);
      // Where the references held at the end differ, and why:
      //  - wrong_output_type: the reference client (like Microsoft's sample) does not read a
      //    payload whose type is wrong, so it leaks it; the example releases whatever a
      //    successful Wait handed over.
      //  - never_completes, main entry: hung in Wait, the whole program still holds the service
      //    and the subsystem besides the handle (the subsystem entry's caller drops its own).
      std::uint32_t leaks = ref.leaked_refs;
      if (b == Behavior::WrongOutputType) leaks = 0;
      if (b == Behavior::NeverCompletes && ex.client == "vds_create_lun_main") leaks = 3;
      CHECK(ex.leaked_refs == leaks);
      // check.csv wait_began_s: when the client called Wait, for every client that did (the
      // subsystem entry calls it at once, the program after the service is ready at 1 s), not
      // only for hung ones. null_handle, sync_error_with_handle, busy and cache_corrupt end
      // before any Wait.
      const bool waits = b != Behavior::NullHandle && b != Behavior::SyncErrorWithHandle && b != Behavior::Busy &&
                         b != Behavior::CacheCorrupt;
      CHECK((ref.wait_began != base::never) == waits);
      CHECK((ex.wait_began != base::never) == waits);
      if (waits && ex.client == "vds_create_lun") CHECK(ex.wait_began == ref.wait_began);
      if (waits && ex.client == "vds_create_lun_main") CHECK(ex.wait_began >= base::at(std::chrono::seconds(1)));
      // The example keeps the protocol in every cell.
      CHECK(ex.client_violations.empty());
    }
  }
}

TEST_CASE("A client that forgets one Release shows in the run's references (leaks.csv) with the object and the count") {
  const com::ClientLibrary lib(LUNSIM_TEST_CLIENTS, "forgetful_create_lun", com::EntryKind::Subsystem);
  const runner::RunResult r = runner::run_compat_client(array_spec(), lib.entry());
  REQUIRE(r.clients.size() == 1);
  CHECK(r.clients[0].outcome.finished);
  CHECK(r.clients[0].outcome.hresult == 0);
  CHECK(r.clients[0].leaked_refs == 1);
  REQUIRE(r.references.size() == 1);
  const auto& leak = r.references.front();
  CHECK(leak.kind == "lun");
  CHECK(leak.name == "array/lun1");
  CHECK(leak.holder == provider::Holder::client("forgetful_create_lun"));
  CHECK(leak.count == 1);
}

TEST_CASE("1,000 concurrent blocking clients run deterministically, with the stack size asked and their memory reported") {
  const com::ClientLibrary lib(LUNSIM_TEST_CLIENTS, "small_lun", com::EntryKind::Subsystem);
  runner::CompatClients clients;
  clients.count = 1000;
  clients.client.stack_bytes = 64 * 1024;
  const scenario::ScenarioSpec spec = array_spec();
  const runner::RunResult a = runner::run_compat_client(spec, lib.entry(), clients);
  const runner::RunResult b = runner::run_compat_client(spec, lib.entry(), clients);
  REQUIRE(a.clients.size() == 1000);
  std::map<base::Time, int> finish_times;
  for (std::size_t i = 0; i < a.clients.size(); ++i) {
    const runner::ClientResult& c = a.clients[i];
    INFO(c.holder);
    REQUIRE(c.outcome.finished);
    CHECK(c.outcome.hresult == 0);
    CHECK(c.leaked_refs == 0);
    CHECK(c.stack_bytes == 64 * 1024);
    // The stack plus a few KiB of context and apartment.
    CHECK(c.memory_bytes >= 64 * 1024);
    CHECK(c.memory_bytes < 80 * 1024);
    // The run again: the same client ends at the same simulated time.
    CHECK(b.clients[i].holder == c.holder);
    CHECK(b.clients[i].outcome.finished_at == c.outcome.finished_at);
    ++finish_times[c.outcome.finished_at];
  }
  CHECK(a.clients.front().holder == "small_lun#1");
  CHECK(a.clients.back().holder == "small_lun#1000");
  // They really ran at once: 1,000 LUNs initialised side by side finish at many times.
  CHECK(finish_times.size() > 100);
  CHECK(a.fingerprint == b.fingerprint);
  CHECK(a.events == b.events);
  CHECK(a.luns.size() == 1000);
  CHECK(a.references.empty());
}

TEST_CASE("A program entry of C++ linkage (a sample's main renamed with -Dmain=NAME) is found by its mangled name") {
  CHECK(com::ClientLibrary::mangled_name("sample_loading_vds", com::EntryKind::VoidMain) == "_Z18sample_loading_vdsv");
  CHECK(com::ClientLibrary::mangled_name("cpp_main", com::EntryKind::Main) == "_Z8cpp_mainiPPc");
  CHECK(com::ClientLibrary::mangled_name("f", com::EntryKind::Subsystem) == "_Z1fP13IVdsSubSystem");
  CHECK(com::ClientLibrary::mangled_name("ns::f", com::EntryKind::VoidMain).empty());
  CHECK(com::ClientLibrary::mangled_name("", com::EntryKind::VoidMain).empty());

  const com::ClientLibrary void_main(LUNSIM_TEST_CLIENTS, "cpp_void_main", com::EntryKind::VoidMain);
  CHECK(void_main.entry().kind() == com::EntryKind::VoidMain);
  const runner::RunResult r = runner::run_compat_client(array_spec(), void_main.entry());
  REQUIRE(r.clients.size() == 1);
  CHECK(r.clients[0].kind == com::EntryKind::VoidMain);
  CHECK(r.clients[0].outcome.finished);
  CHECK(r.clients[0].outcome.hresult == 0);
  CHECK(r.clients[0].outcome.finished_at == base::at(1s));  // after WaitForServiceReady
  CHECK(r.clients[0].leaked_refs == 0);

  const com::ClientLibrary main(LUNSIM_TEST_CLIENTS, "cpp_main", com::EntryKind::Main);
  const runner::RunResult m = runner::run_compat_client(array_spec(), main.entry());
  REQUIRE(m.clients.size() == 1);
  CHECK(m.clients[0].outcome.exit_code == 0);

  // The mangled name holds the parameters: the wrong kind finds nothing, and says what it tried.
  CHECK_THROWS_WITH(com::ClientLibrary(LUNSIM_TEST_CLIENTS, "cpp_void_main", com::EntryKind::Main),
                    Catch::Contains("no symbol 'cpp_void_main' (declare it extern \"C\"), nor a C++ int "
                                    "cpp_void_main(int, char**) ('_Z13cpp_void_mainiPPc', entry kind main)"));
}

TEST_CASE("Loading a client library: a missing file or entry point is an error naming the file") {
  CHECK_THROWS_WITH(com::ClientLibrary("/nonexistent/libclient.so", "x", com::EntryKind::Subsystem),
                    Catch::Contains("/nonexistent/libclient.so") && Catch::Contains("cannot load"));
  CHECK_THROWS_WITH(com::ClientLibrary(LUNSIM_TEST_CLIENTS, "no_such_entry", com::EntryKind::Main),
                    Catch::Contains("no symbol 'no_such_entry'"));
}
