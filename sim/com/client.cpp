#include "sim/com/client.hpp"

#include "sim/provider/provider.hpp"
#include "sim/provider/subsystem.hpp"

#include <optional>

#include "sim/com/adapters.hpp"

namespace sim::com {

const char* to_string(EntryKind k) { return k == EntryKind::Main ? "main" : "subsystem"; }

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
    Apartment::set_current(&apartment);
    if (entry.kind() == EntryKind::Main) {
      outcome.exit_code = entry.main(static_cast<int>(argv_storage.size()), argv.data());
      outcome.hresult = outcome.exit_code == 0 ? S_OK : E_FAIL;
    } else {
      passed = subsystem != nullptr ? adopt_subsystem(apartment, *subsystem) : nullptr;
      outcome.hresult = entry.subsystem(passed);
      drop_passed();
    }
    Apartment::set_current(nullptr);
    outcome.finished = true;
    outcome.finished_at = sim->now();
  }

  /// The caller's reference on the subsystem it passed (through the apartment: the client may
  /// have released the adapter already, wrongly).
  void drop_passed() {
    if (passed == nullptr) return;
    passed = nullptr;
    apartment.release(*subsystem);
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
  // Outside any fiber: the Release below runs on the caller's stack (no blocking possible).
  Apartment* const was = Apartment::current();
  Apartment::set_current(&impl_->apartment);
  impl_->drop_passed();
  Apartment::set_current(was);
}

bool Client::finished() const { return impl_->outcome.finished; }
const Outcome& Client::outcome() const { return impl_->outcome; }
const Entry& Client::entry() const { return impl_->entry; }
const provider::Holder& Client::holder() const { return impl_->apartment.holder(); }
std::size_t Client::memory_bytes() const { return impl_->fiber.memory_bytes() + sizeof(Impl); }
std::size_t Client::live_adapters() const { return impl_->apartment.live_count(); }

} // namespace sim::com

// ---------------------------------------------------------------------------------------------
// The COM functions client code calls (declared in sim/compat/windows.h, exported from the
// executable). They act on the apartment of the client running now.

extern "C" HRESULT CoInitializeEx(LPVOID /*reserved*/, DWORD /*coinit*/) {
  sim::com::Apartment* a = sim::com::Apartment::current();
  if (a == nullptr) return E_UNEXPECTED;
  if (a->initialized) return S_FALSE;  // already initialised on this thread
  a->initialized = true;
  return S_OK;
}

extern "C" HRESULT CoInitialize(LPVOID reserved) { return CoInitializeEx(reserved, COINIT_APARTMENTTHREADED); }

extern "C" void CoUninitialize(void) {
  if (sim::com::Apartment* a = sim::com::Apartment::current()) a->initialized = false;
}

extern "C" HRESULT CoCreateInstance(REFCLSID rclsid, LPUNKNOWN outer, DWORD /*context*/, REFIID riid, LPVOID* ppv) {
  if (ppv != nullptr) *ppv = nullptr;
  sim::com::Apartment* a = sim::com::Apartment::current();
  if (a == nullptr || !a->initialized) return CO_E_NOTINITIALIZED;
  if (outer != nullptr) return CLASS_E_NOAGGREGATION;
  if (rclsid != CLSID_VdsLoader) return REGDB_E_CLASSNOTREG;
  return sim::com::create_loader(*a, riid, ppv);
}
