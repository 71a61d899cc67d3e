#include "sim/com/client.hpp"

#include "sim/provider/provider.hpp"
#include "sim/provider/subsystem.hpp"

#include <cstdio>
#include <exception>
#include <string>

#include "sim/com/adapters.hpp"

namespace sim::com {

const char* to_string(EntryKind k) { return entry_kind_names.c_str(k); }

struct Client::Impl {
  Impl(engine::Simulation& s, provider::Provider& p, provider::Subsystem* sub, Entry e, provider::Holder h,
       ServiceConfig service, ClientOptions o)
      : sim(&s), subsystem(sub), entry(std::move(e)), options(std::move(o)),
        apartment(s, p, std::move(h), service, outcome),
        fiber(s, [this](engine::Fiber&) { body(); }, options.stack_bytes) {
    apartment.set_fiber(&fiber);
    argv_storage.push_back(entry.name);
    for (const std::string& a : options.args) argv_storage.push_back(a);
    for (std::string& a : argv_storage) argv.push_back(a.data());
    argv.push_back(nullptr);
  }

  void body() {
    outcome.started_at = sim->now();
    if (entry.kind() == EntryKind::Subsystem && subsystem != nullptr) passed = hold_subsystem(apartment, *subsystem);
    Apartment::set_current(&apartment);
    try {
      switch (entry.kind()) {
        case EntryKind::Main:
          outcome.exit_code = entry.main(static_cast<int>(argv_storage.size()), argv.data());
          outcome.hresult = outcome.exit_code == 0 ? S_OK : E_FAIL;
          break;
        case EntryKind::VoidMain:
          entry.void_main();
          outcome.hresult = S_OK;
          break;
        case EntryKind::Subsystem: outcome.hresult = entry.subsystem(passed); break;
      }
    } catch (const std::exception& e) {
      outcome.crashed = true;
      outcome.crash = std::string("exception escaped the entry point: ") + e.what();
      outcome.hresult = E_UNEXPECTED;
    } catch (...) {
      outcome.crashed = true;
      outcome.crash = "exception escaped the entry point";
      outcome.hresult = E_UNEXPECTED;
    }
    Apartment::set_current(nullptr);
    if (!outcome.crashed && SUCCEEDED(outcome.hresult))
      for (const FailedWait& w : outcome.failed_waits) {
        char hr[16];
        std::snprintf(hr, sizeof hr, "0x%08X", static_cast<unsigned>(w.hresult));
        apartment.ledger().violation(apartment.holder(), provider::ClientViolationKind::IgnoredWaitFailure, w.handle,
                                     std::string("Wait returned ") + hr + ", the entry returned success");
      }
    drop_passed();
    outcome.finished = true;
    outcome.finished_at = sim->now();
  }

  /// The caller's reference on the subsystem it passed.
  void drop_passed() {
    if (passed == nullptr) return;
    let_go(passed);
    passed = nullptr;
  }

  engine::Simulation* sim;
  provider::Subsystem* subsystem;
  Entry entry;
  ClientOptions options;
  Outcome outcome;
  Apartment apartment;  // after outcome (it refers to it); before fiber (destroyed after it)
  engine::Fiber fiber;
  std::vector<std::string> argv_storage;
  std::vector<char*> argv;
  IVdsSubSystem* passed = nullptr;
  bool ended = false;
};

Client::Client(engine::Simulation& sim, provider::Provider& provider, provider::Subsystem* subsystem, Entry entry,
               provider::Holder holder, ServiceConfig service, ClientOptions options)
    : impl_(std::make_unique<Impl>(sim, provider, subsystem, std::move(entry), std::move(holder), service,
                                   std::move(options))) {}

Client::~Client() = default;

void Client::start() { impl_->fiber.start(); }

void Client::end() {
  if (impl_->ended) return;
  impl_->ended = true;
  impl_->drop_passed();
}

bool Client::finished() const { return impl_->outcome.finished; }
const Outcome& Client::outcome() const { return impl_->outcome; }
const Entry& Client::entry() const { return impl_->entry; }
const provider::Holder& Client::holder() const { return impl_->apartment.holder(); }
std::size_t Client::stack_bytes() const { return impl_->fiber.stack_bytes(); }
std::size_t Client::memory_bytes() const { return impl_->fiber.memory_bytes() + sizeof(Impl); }
std::size_t Client::live_adapters() const { return impl_->apartment.live_count(); }

} // namespace sim::com

// ---------------------------------------------------------------------------------------------
// The COM functions client code calls (declared in sim/compat/windows.h, exported from the
// executable). They act on the apartment of the client running now.

extern "C" HRESULT CoInitializeEx(LPVOID /*reserved*/, DWORD coinit) {
  sim::com::Apartment* a = sim::com::Apartment::current();
  if (a == nullptr) return E_UNEXPECTED;
  const DWORD model = coinit & COINIT_APARTMENTTHREADED;
  if (a->com_inits > 0 && model != a->com_model) return RPC_E_CHANGED_MODE;
  a->com_model = model;
  // Each successful call, S_FALSE included, is undone by one CoUninitialize.
  return a->com_inits++ == 0 ? S_OK : S_FALSE;
}

extern "C" HRESULT CoInitialize(LPVOID reserved) { return CoInitializeEx(reserved, COINIT_APARTMENTTHREADED); }

extern "C" void CoUninitialize(void) {
  sim::com::Apartment* a = sim::com::Apartment::current();
  if (a != nullptr && a->com_inits > 0) --a->com_inits;
}

extern "C" HRESULT CoCreateInstance(REFCLSID rclsid, LPUNKNOWN outer, DWORD /*context*/, REFIID riid, LPVOID* ppv) {
  if (ppv != nullptr) *ppv = nullptr;
  sim::com::Apartment* a = sim::com::Apartment::current();
  if (a == nullptr || a->com_inits == 0) return CO_E_NOTINITIALIZED;
  if (outer != nullptr) return CLASS_E_NOAGGREGATION;
  if (rclsid != CLSID_VdsLoader) return REGDB_E_CLASSNOTREG;
  return sim::com::create_loader(*a, riid, ppv);
}

extern "C" void Sleep(DWORD ms) {
  sim::com::Apartment* a = sim::com::Apartment::current();
  if (a == nullptr) return;
  (void)a->sleep_until(sim::base::saturating_add(a->simulation().now(), std::chrono::milliseconds(ms)), "Sleep");
}
