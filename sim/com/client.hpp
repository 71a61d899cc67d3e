// Foreign VDS client code, run unchanged against lunsim's provider model (issue 10).
//
// Client code written for the Virtual Disk Service API includes sim/compat's <windows.h> and
// "vds.h" and enters through one of three pinned entry points:
//   extern "C" HRESULT NAME(IVdsSubSystem* subsystem)   handed a subsystem; the caller holds
//                                                       the reference it passes (COM in-param)
//   extern "C" int NAME(int argc, char** argv)           a whole program: CoInitializeEx,
//                                                       CoCreateInstance(CLSID_VdsLoader), ...;
//                                                       exit status 0 is success
//   extern "C" void NAME(void)                           a whole program with no status (a
//                                                       documentation sample's `void main(void)`
//                                                       built with -Dmain=NAME): success is
//                                                       returning; its HRESULT is then S_OK
// Any of them may have C++ linkage instead (a renamed main has): sim/com/library.hpp finds it.
// A Client runs one such entry on its own fiber (sim/engine/fiber.hpp), in its own COM
// apartment, as holder `holder` in the provider's Ledger:
//   - Every interface pointer it gets is an adapter (sim/com/adapters.hpp) over a provider
//     object. Reference counts are real: each AddRef/Release is recorded in the Ledger for the
//     client's holder, and the last Release frees the adapter (the provider object lives on;
//     the next pointer to it is a new adapter). References the compat layer keeps for the
//     client (the caller's on a passed subsystem, an enumerator's on its objects) are recorded
//     under "<holder>/com"; a Release the client does not own is an over-release, not a free. QueryInterface answers by IID through the
//     provider object, so errant-provider faults (no_interface, stale_object) reach the client.
//   - Blocking calls suspend the fiber and let the simulation run: IVdsAsync::Wait until the
//     handle is signalled, IVdsService::WaitForServiceReady until the service is ready
//     (ServiceConfig::ready_after from time 0). The fiber resumes at that simulated time,
//     inside the completion's event, like a coroutine; clients and coroutines mix freely and
//     the run stays deterministic.
//   - Strings in property structs are CoTaskMemAlloc'd wide strings (CoTaskMemFree frees them);
//     arrays likewise.
// Lifetime: start() schedules the entry at now(). end() is called once the run is over: a
// client still blocked is hung (outcome().blocked_in says where); the caller's reference on the
// subsystem it passed is dropped. A C++ exception escaping the entry ends the client as
// crashed (outcome().crash); a signal (a null dereference) ends the process, as on Windows. The Ledger then tells what the client leaked. Destroying the
// Client tears a hung fiber down without running client code and frees every adapter still
// alive (no Ledger calls); what the client code itself allocated on a hung fiber is lost.
// Not thread-safe: a Client belongs to its Simulation's thread.
#pragma once

#include "sim/base/name_table.hpp"
#include "sim/base/size.hpp"
#include "sim/base/time.hpp"
#include "sim/engine/fiber.hpp"
#include "sim/provider/ledger.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

struct IVdsSubSystem;  // sim/compat/vds.h

namespace sim::provider {
class LunObject;
class Provider;
class Subsystem;
} // namespace sim::provider

namespace sim::com {

/// `extern "C" HRESULT NAME(IVdsSubSystem*)` (HRESULT is int32_t).
using SubsystemEntry = std::int32_t (*)(IVdsSubSystem*);
/// `extern "C" int NAME(int argc, char** argv)`.
using MainEntry = int (*)(int, char**);
/// `extern "C" void NAME(void)`: a sample's `void main(void)` renamed with -Dmain=NAME.
using VoidMainEntry = void (*)(void);

enum class EntryKind : std::uint8_t { Subsystem, Main, VoidMain };
/// Their names in `--entry-kind` and clients.csv.
inline constexpr base::NameTable<EntryKind, 3> entry_kind_names{
    {{{EntryKind::Subsystem, "subsystem"}, {EntryKind::Main, "main"}, {EntryKind::VoidMain, "void_main"}}}};
const char* to_string(EntryKind k);  ///< entry_kind_names' name

/// One of the three pointers is set (none in a default-constructed Entry, whose kind() is Subsystem).
struct Entry {
  std::string name;
  SubsystemEntry subsystem = nullptr;  ///< set for EntryKind::Subsystem
  MainEntry main = nullptr;            ///< set for EntryKind::Main
  VoidMainEntry void_main = nullptr;   ///< set for EntryKind::VoidMain

  EntryKind kind() const {
    return main != nullptr ? EntryKind::Main : void_main != nullptr ? EntryKind::VoidMain : EntryKind::Subsystem;
  }
  static Entry of(std::string name, SubsystemEntry f) { return Entry{std::move(name), f, nullptr, nullptr}; }
  static Entry of(std::string name, MainEntry f) { return Entry{std::move(name), nullptr, f, nullptr}; }
  static Entry of(std::string name, VoidMainEntry f) { return Entry{std::move(name), nullptr, nullptr, f}; }
};

/// The VDS service every client of a run shares.
struct ServiceConfig {
  /// The service is ready (providers loaded) at this simulated time; WaitForServiceReady blocks
  /// until then and IsServiceReady says S_FALSE before.
  base::Duration ready_after = std::chrono::seconds(1);
};

struct ClientOptions {
  std::size_t stack_bytes = engine::Fiber::default_stack_bytes;  ///< fiber stack (min 16 KiB)
  std::vector<std::string> args;  ///< argv[1..] of a main entry (argv[0] is the entry's name)
};

/// A Wait whose own HRESULT was a failure.
struct FailedWait {
  std::uint32_t handle = 0;  ///< the handle's Ledger number
  std::int32_t hresult = 0;  ///< what Wait returned
};

/// What a client did, filled as it goes (a hung client shows where it stopped).
struct Outcome {
  bool finished = false;
  bool crashed = false;      ///< a C++ exception escaped the entry point (finished too)
  std::string crash;         ///< what escaped
  std::int32_t hresult = 0;  ///< the entry's HRESULT; a main entry: S_OK for exit 0, else E_FAIL;
                             ///< a void main entry: S_OK once it returned
  int exit_code = 0;         ///< a main entry's return (0 for the other kinds)
  base::Time started_at = base::never;
  base::Time finished_at = base::never;
  base::Time blocked_since = base::never;  ///< while (or since, if hung) blocked in a call
  std::string blocked_in;                  ///< "IVdsAsync::Wait", ...; empty when not blocked
  base::Time wait_began = base::never;     ///< when it last called IVdsAsync::Wait (never: it did not)
  /// Waits that failed themselves. An entry that then returns success ignored them: each is
  /// recorded in the Ledger as an ignored_wait_failure violation when the entry returns.
  std::vector<FailedWait> failed_waits;
  std::uint32_t create_lun_calls = 0;      ///< IVdsSubSystem::CreateLun calls made
  base::Bytes create_lun_size;             ///< the size the last CreateLun asked for
  /// LUNs handed to the client as Wait payloads (what its CreateLun calls made), first first.
  std::vector<const provider::LunObject*> luns;
  std::vector<base::Bytes> luns_asked;  ///< parallel to `luns`: the size its CreateLun asked for
  /// Each CreateLun that handed out a handle: the handle's Ledger number and the size asked.
  std::vector<std::pair<std::uint32_t, base::Bytes>> create_asked;
  std::uint64_t com_calls = 0;             ///< interface methods the client called (AddRef/Release too)
};

class Client {
public:
  /// `subsystem` is what a subsystem entry is handed (ignored by the two program kinds, which find
  /// the provider's subsystems through the loader); neither it nor `provider` is owned.
  Client(engine::Simulation& sim, provider::Provider& provider, provider::Subsystem* subsystem, Entry entry,
         provider::Holder holder, ServiceConfig service = {}, ClientOptions options = {});
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  void start();
  /// The run is over (see the header comment). Idempotent.
  void end();
  bool finished() const;
  const Outcome& outcome() const;
  const Entry& entry() const;
  const provider::Holder& holder() const;
  /// Its fiber's stack, in bytes (the options' size, at least engine::Fiber::min_stack_bytes).
  std::size_t stack_bytes() const;
  /// What one client costs: its fiber (stack and context) and its apartment, in bytes.
  std::size_t memory_bytes() const;
  /// Adapters alive now (interface pointers the client still holds, by object).
  std::size_t live_adapters() const;

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

} // namespace sim::com
