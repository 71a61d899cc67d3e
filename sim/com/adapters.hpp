// The COM side of sim/com: one client's apartment and the interface adapters it hands out.
// Internal to sim/com (it includes sim/compat's <windows.h>, whose macros must not leak into
// the rest of lunsim); sim/com/client.hpp is the public face.
//
// Apartment: the client's COM state: its holders, its fiber, its CoInitializeEx count,
// and the adapters alive now. adopt(object) turns a provider object that already carries one
// Ledger reference for the holder (an out-parameter, a Wait payload) into an interface pointer:
// the object's adapter if one is alive (COM identity: one IUnknown per object), else a new
// one; either way the adapter's count grows by that one reference. block()/sleep_until() are
// the blocking calls: they suspend the client's fiber.
//
// Adapters: ComBase keeps two counts, each mirrored in the Ledger under its own holder:
//   client references  the client's (AddRef, out-parameters, Next, QueryInterface), holder
//                      Apartment::holder(); a Release when it has none is recorded as an
//                      over-release and frees nothing
//   held references    the compat layer's own on the client's behalf (the reference the caller
//                      passes to a subsystem entry, the objects an enumerator holds), holder
//                      Apartment::internal_holder() ("<client>/com")
// When both reach zero the adapter is released: the client holds no reference any more. It is
// kept (a zombie) until the apartment ends, the latest Apartment::zombie_limit of them, so that
// a client still calling through the pointer is recorded as a protocol violation in the Ledger
// (use_after_release; wait_on_released for IVdsAsync::Wait and QueryStatus) and answered
// RPC_E_DISCONNECTED, instead of touching freed memory; a Release is an over-release. A Wait
// payload whose output type is not the operation's is marked: the client's first call on it
// other than AddRef/Release is recorded as wrong_type_payload. So a client that releases what it does not own
// gets an over-release record, never a freed adapter under lunsim's feet. Loader, service,
// enumerators and plexes are not provider objects; they are registered in the Ledger under
// kinds "loader", "service", "enum" and "plex" so their leaks show too. An enumerator holds its
// objects and lets go of them when it is freed; Next hands out a new client reference per
// object. Methods outside lunsim's model return VDS_E_NOT_SUPPORTED. Out-parameters are null
// after a failure.
#pragma once

#include "sim/com/client.hpp"
#include "sim/engine/completion.hpp"
#include "sim/provider/object.hpp"

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <unordered_map>
#include <utility>
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
  std::uint32_t ledger_id() const { return ledger_id_; }

  /// A client reference the Ledger already has (handed out by the provider).
  void adopt_one() { ++client_refs_; }
  /// A held reference the Ledger already has (the provider handed it to the internal holder).
  void adopt_held() { ++held_refs_; }
  /// A new client reference (IUnknown::AddRef, or handing the object out).
  ULONG add_ref();
  /// IUnknown::Release on behalf of the client.
  ULONG release();
  /// A held reference, taken and dropped by the compat layer.
  void hold();
  void let_go();
  /// IUnknown::QueryInterface (a new client reference on success).
  HRESULT query_interface(REFIID riid, void** ppv);
  /// Called once, when the adapter is about to be freed (enumerators let go of their objects).
  virtual void on_free() {}

protected:
  /// An adapter over a provider object (references go through the object).
  ComBase(Apartment& apartment, provider::VdsObject& object);
  /// A COM object of the compat layer itself, registered in the Ledger as (kind, name).
  ComBase(Apartment& apartment, std::string kind, std::string name);
  /// The pointer for interface `iid` (null: not implemented).
  virtual void* as(const IID& iid) = 0;
  Apartment& apartment() const { return *apartment_; }
  /// Counts a method call the client made; every interface method starts with it. False when
  /// the adapter is released (the violation is recorded): the method returns at once.
  bool call(const char* method);
  /// The same for IUnknown::Release, which goes on (the Ledger records the over-release).
  void call_release() const;

private:
  friend class Apartment;
  void free_if_unused();
  /// Marks a Wait payload whose output type differs from the operation's.
  void mark_mistyped() { mistyped_ = true; }
  Apartment* apartment_;
  std::uint64_t serial_ = 0;  // the apartment's creation number (its key in Apartment::live_)
  provider::VdsObject* object_ = nullptr;
  std::uint32_t ledger_id_ = 0;
  ULONG client_refs_ = 0;
  ULONG held_refs_ = 0;
  bool released_ = false;
  bool mistyped_ = false;
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
  /// The holder of the compat layer's own references for this client ("<client>/com").
  const provider::Holder& internal_holder() const { return internal_holder_; }
  const ServiceConfig& service() const { return service_; }
  Outcome& outcome() const { return *outcome_; }
  void set_fiber(engine::Fiber* fiber) { fiber_ = fiber; }

  /// The adapter for `object`, counting one reference the Ledger already has for the holder.
  ComBase* adopt(provider::VdsObject& object);
  /// The same for a reference the Ledger has for the internal holder.
  ComBase* adopt_held(provider::VdsObject& object);
  /// The object's adapter (alive, or new with no reference counted): for a pointer handed on
  /// without a reference of the client's.
  ComBase* adapter_for(provider::VdsObject& object);
  std::size_t live_count() const { return live_.size(); }
  /// Released adapters kept to catch a later call through a dead pointer (oldest freed first).
  static constexpr std::size_t zombie_limit = 4096;
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

  /// CoInitializeEx calls not yet undone by CoUninitialize, and the concurrency model of the
  /// first (a different one later: RPC_E_CHANGED_MODE).
  std::uint32_t com_inits = 0;
  std::uint32_t com_model = 0;

  // for ComBase
  void registered(ComBase* c);
  void destroy(ComBase* c);
  /// Marks `c` mistyped (a Wait payload of another output type than the operation's).
  static void mistyped(ComBase* c) { c->mark_mistyped(); }

  /// The apartment of the client running now (on this thread), or null. Set while client code
  /// runs on its fiber and cleared whenever the fiber switches out (a blocking call, the end):
  /// COM keeps its apartment per thread, lunsim per fiber.
  static Apartment* current();
  static void set_current(Apartment* a);

private:
  engine::Simulation* sim_;
  provider::Provider* provider_;
  provider::Holder holder_;
  provider::Holder internal_holder_;
  ServiceConfig service_;
  Outcome* outcome_;
  engine::Fiber* fiber_ = nullptr;
  ComBase* service_object_ = nullptr;
  std::unordered_map<const provider::VdsObject*, ComBase*> by_object_;
  std::map<std::uint64_t, ComBase*> live_;  // by ComBase serial, i.e. creation order: deterministic teardown
  std::deque<ComBase*> zombies_;            // released adapters, oldest first
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

/// The subsystem entry's argument: `subsystem` with a held reference (the caller's).
IVdsSubSystem* hold_subsystem(Apartment& apartment, provider::Subsystem& subsystem);
/// Drops the reference hold_subsystem took.
void let_go(IVdsSubSystem* subsystem);
/// CoCreateInstance(CLSID_VdsLoader, ..., riid, ppv) in `apartment`.
HRESULT create_loader(Apartment& apartment, REFIID riid, void** ppv);

} // namespace sim::com
