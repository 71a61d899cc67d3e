// The COM side of sim/com: one client's apartment and the interface adapters it hands out.
// Internal to sim/com (it includes sim/compat's <windows.h>, whose macros must not leak into
// the rest of lunsim); sim/com/client.hpp is the public face.
//
// Apartment: the client's COM state: its holder, its fiber, whether CoInitializeEx was called,
// and the adapters alive now. adopt(object) turns a provider object that already carries one
// Ledger reference for the holder (an out-parameter, a Wait payload) into an interface pointer:
// the object's adapter if one is alive (COM identity: one IUnknown per object), else a new
// one; either way the adapter's count grows by that one reference. block()/sleep_until() are
// the blocking calls: they suspend the client's fiber.
//
// Adapters: ComBase keeps the count, mirrored in the Ledger: AddRef records a reference for
// the holder, Release drops one and frees the adapter at zero. Loader, service and enumerators
// are not provider objects; they are registered in the Ledger under kinds "loader", "service"
// and "enum" so their leaks show too. An enumerator holds one reference on each of its
// objects and drops them when it is freed; Next hands out a new one per object.
// Methods outside lunsim's model return VDS_E_NOT_SUPPORTED.
#pragma once

#include "sim/com/client.hpp"
#include "sim/engine/completion.hpp"
#include "sim/provider/object.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "sim/compat/vds.h"

namespace sim::provider {
class Provider;
class Subsystem;
} // namespace sim::provider

namespace sim::com {

class Apartment;

/// The bookkeeping behind one COM object handed to a client.
class ComBase {
public:
  ComBase(const ComBase&) = delete;
  ComBase& operator=(const ComBase&) = delete;
  virtual ~ComBase() = default;

  /// The object's IUnknown (the same pointer for every interface of the object).
  virtual IUnknown* unknown() = 0;
  provider::VdsObject* object() const { return object_; }
  /// A reference the Ledger already holds for the client (handed out by the provider).
  void adopt_one() { ++refs_; }
  ULONG add_ref();
  ULONG release();
  HRESULT query_interface(REFIID riid, void** ppv);
  /// Called once, at the last Release, before the adapter is freed (enumerators let go here).
  virtual void on_final_release() {}

protected:
  /// An adapter over a provider object (references go through the object).
  ComBase(Apartment& apartment, provider::VdsObject& object);
  /// A COM object of the compat layer itself, registered in the Ledger as (kind, name).
  ComBase(Apartment& apartment, std::string kind, std::string name);
  /// The pointer for interface `iid` (null: not implemented). Enum values beyond the provider's
  /// Interface are the compat layer's own.
  virtual void* as(const IID& iid) = 0;
  Apartment& apartment() const { return *apartment_; }
  /// Counts a method call; every interface method starts with it.
  void call() const;

private:
  Apartment* apartment_;
  provider::VdsObject* object_ = nullptr;
  std::uint32_t ledger_id_ = 0;
  ULONG refs_ = 0;
};

class Apartment {
public:
  Apartment(engine::Simulation& sim, provider::Provider& provider, provider::Holder holder, ServiceConfig service,
            Outcome& outcome);
  ~Apartment();  ///< frees every adapter still alive (no Ledger calls)
  Apartment(const Apartment&) = delete;
  Apartment& operator=(const Apartment&) = delete;

  engine::Simulation& simulation() const { return *sim_; }
  provider::Provider& provider() const { return *provider_; }
  provider::Ledger& ledger() const;
  const provider::Holder& holder() const { return holder_; }
  const ServiceConfig& service() const { return service_; }
  Outcome& outcome() const { return *outcome_; }
  void set_fiber(engine::Fiber* fiber) { fiber_ = fiber; }

  /// The adapter for `object`, counting one reference the Ledger already has for the holder.
  ComBase* adopt(provider::VdsObject& object);
  /// The object's adapter (alive, or new with no reference counted): for a pointer handed on
  /// without a reference of the client's.
  ComBase* adapter_for(provider::VdsObject& object);
  /// Drops one of the holder's references on `object` through its adapter (an over-release,
  /// recorded in the Ledger, when no adapter is alive: the client released it already).
  void release(provider::VdsObject& object);
  std::size_t live_count() const { return live_.size(); }
  /// A new compat-layer object (loader, service, enumerator) with one reference for the holder.
  template <class T, class... Args>
  T* make(Args&&... args);
  /// The service object while one is alive (LoadService hands out the same one).
  ComBase* service_object() const { return service_object_; }
  void set_service_object(ComBase* s) { service_object_ = s; }

  /// Blocks the client's fiber until `state` is done. RPC_E_WRONG_THREAD when not called from
  /// the client's own fiber (a client must block on its own fiber only).
  HRESULT block(engine::CompletionState& state, const char* where);
  /// Blocks until simulated time `t` (returns at once when it has passed).
  HRESULT sleep_until(base::Time t, const char* where);

  bool initialized = false;  ///< CoInitializeEx called (and not undone by CoUninitialize)

  // for ComBase
  void registered(ComBase* c);
  void destroy(ComBase* c);

  /// The apartment of the client running now (on this thread), or null. Set on the client's
  /// fiber while client code runs; COM keeps its apartment per thread, lunsim per fiber.
  static Apartment* current();
  static void set_current(Apartment* a);

private:
  engine::Simulation* sim_;
  provider::Provider* provider_;
  provider::Holder holder_;
  ServiceConfig service_;
  Outcome* outcome_;
  engine::Fiber* fiber_ = nullptr;
  ComBase* service_object_ = nullptr;
  std::unordered_map<const provider::VdsObject*, ComBase*> by_object_;
  std::map<std::uint64_t, ComBase*> live_;            // creation order: deterministic teardown
  std::unordered_map<const ComBase*, std::uint64_t> serial_;
  std::uint64_t next_serial_ = 1;
};

template <class T, class... Args>
T* Apartment::make(Args&&... args) {
  auto* t = new T(*this, std::forward<Args>(args)...);
  t->add_ref();
  return t;
}

/// GUID <-> VDS object id ("{8-4-4-4-12}": hi is Data1..Data3, lo is Data4 big-endian).
GUID to_guid(const provider::ObjectId& id);
provider::ObjectId to_object_id(const GUID& g);
/// A CoTaskMemAlloc'd copy of `s` as a wide string (the caller frees it with CoTaskMemFree).
LPWSTR co_string(const std::string& s);

/// The subsystem entry's argument: `subsystem` adopted (one reference for the holder).
IVdsSubSystem* adopt_subsystem(Apartment& apartment, provider::Subsystem& subsystem);
/// CoCreateInstance(CLSID_VdsLoader, ..., riid, ppv) in `apartment`.
HRESULT create_loader(Apartment& apartment, REFIID riid, void** ppv);

} // namespace sim::com
