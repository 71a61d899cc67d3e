// Action: what an event does when it fires — a plain function pointer with a context pointer
// and one integer argument. 24 bytes, trivially copyable, no allocation, no virtual call:
// the event queue stores it by value.
#pragma once

#include <cstdint>

namespace sim::engine {

struct Action {
  using Fn = void (*)(void* ctx, std::uint64_t arg);

  Fn fn = nullptr;
  void* ctx = nullptr;
  std::uint64_t arg = 0;

  void operator()() const { fn(ctx, arg); }
  explicit operator bool() const { return fn != nullptr; }

  /// Action calling `(obj->*Method)(arg)`; no allocation.
  template <class T, void (T::*Method)(std::uint64_t)>
  static Action member(T* obj, std::uint64_t arg = 0) {
    return Action{[](void* c, std::uint64_t a) { (static_cast<T*>(c)->*Method)(a); }, obj, arg};
  }
};

/// What an event is about, for the determinism fingerprint and the trace: a kind registered
/// with the Simulation (see Simulation::register_kind) and a stable entity number (a process,
/// a drive, a job...). Both must be the same from run to run; never a pointer value.
struct EventTag {
  std::uint32_t kind = 0;
  std::uint32_t entity = 0;
};

} // namespace sim::engine
