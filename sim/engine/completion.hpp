// One-shot completions and the Op<T> handle: what processes (and later, fibers) wait on.
//
// A CompletionState is pending until its producer completes it; completing schedules a
// completion event at the completion time, and only when that event fires is the state done
// and are its waiters woken — in the order they started waiting, inline, one after the other.
// So `now()` in a continuation equals the completion time, and completions at equal times keep
// FIFO order (SimPy's trigger/process split).
//
// A waiter is any Action (resume a coroutine, switch to a fiber, call a function): the engine
// does not care what kind of "waiting process" it wakes. Waiter nodes are intrusive, live in
// the waiting party's own memory (a coroutine frame), and unlink themselves when destroyed,
// so waiting allocates nothing and giving up a wait (a timeout) is O(1).
//
// Failures are never silent: a state that completes with an exception rethrows it to every
// waiter; if nobody waits when the completion event fires, the Simulation reports it from
// run() (see Simulation::report_unobserved).
#pragma once

#include "sim/base/time.hpp"
#include "sim/engine/simulation.hpp"

#include <cassert>
#include <coroutine>
#include <cstdint>
#include <exception>
#include <optional>
#include <type_traits>
#include <utility>
#include <variant>

namespace sim::engine {

class CompletionState;

/// Action that resumes a suspended coroutine.
inline Action resume_action(std::coroutine_handle<> h) {
  return Action{[](void* c, std::uint64_t) { std::coroutine_handle<>::from_address(c).resume(); },
                h.address(), 0};
}

/// Intrusive node by which one party waits on one CompletionState.
class Waiter {
public:
  Waiter() = default;
  explicit Waiter(Action on_wake) : wake(on_wake) {}
  Waiter(const Waiter&) = delete;
  Waiter& operator=(const Waiter&) = delete;
  ~Waiter() { unlink(); }

  /// Called (inline, from the completion event) when the awaited state is done.
  Action wake;

  bool linked() const { return owner_ != nullptr; }
  /// Stops waiting; harmless when not waiting.
  void unlink();

private:
  friend class CompletionState;
  CompletionState* owner_ = nullptr;
  Waiter* prev_ = nullptr;
  Waiter* next_ = nullptr;
};

/// Shared state of something that completes once. Reference counted (not thread-safe: one
/// Simulation runs on one thread). Derived classes add the value.
class CompletionState {
public:
  explicit CompletionState(Simulation& sim) : sim_(&sim) {}
  CompletionState(const CompletionState&) = delete;
  CompletionState& operator=(const CompletionState&) = delete;
  virtual ~CompletionState();

  Simulation& simulation() const { return *sim_; }
  /// True once the completion event has fired.
  bool done() const { return phase_ == Phase::Done; }
  /// True once complete_at() was called (the completion event may still be pending).
  bool completing() const { return phase_ != Phase::Pending; }
  bool failed() const { return done() && error_ != nullptr; }
  const std::exception_ptr& error() const { return error_; }
  /// When the completion event fired (`never` while not done).
  base::Time completed_at() const { return completed_at_; }

  /// Starts waiting; `w` must not be linked. Waiting on a done state is a logic error:
  /// check done() first (the awaiters do).
  void add_waiter(Waiter& w);
  bool has_waiters() const { return head_ != nullptr; }

  void retain() { ++refs_; }
  void release() {
    if (--refs_ == 0) delete this;
  }

protected:
  /// Completes with the value already stored (or with `error`) at time t >= now.
  /// Completing twice is a logic error (std::logic_error).
  void complete_at(base::Time t, std::exception_ptr error);

private:
  friend class Waiter;
  friend class Simulation;
  enum class Phase : std::uint8_t { Pending, Scheduled, Done };
  static void fire(void* ctx, std::uint64_t);

  Simulation* sim_;
  Waiter* head_ = nullptr;
  Waiter* tail_ = nullptr;
  std::exception_ptr error_;
  base::Time completed_at_ = base::never;
  CompletionState* pending_prev_ = nullptr;  // Simulation's list of scheduled completions
  CompletionState* pending_next_ = nullptr;
  std::uint32_t refs_ = 0;
  Phase phase_ = Phase::Pending;
};

/// Intrusive reference to a CompletionState (or derived).
template <class S>
class StateRef {
public:
  StateRef() = default;
  explicit StateRef(S* s) : s_(s) { if (s_) s_->retain(); }
  StateRef(const StateRef& o) : s_(o.s_) { if (s_) s_->retain(); }
  StateRef(StateRef&& o) noexcept : s_(std::exchange(o.s_, nullptr)) {}
  StateRef& operator=(StateRef o) noexcept { std::swap(s_, o.s_); return *this; }
  ~StateRef() { if (s_) s_->release(); }
  S* get() const { return s_; }
  S* operator->() const { return s_; }
  explicit operator bool() const { return s_ != nullptr; }

private:
  S* s_ = nullptr;
};

template <class T>
using Stored = std::conditional_t<std::is_void_v<T>, std::monostate, T>;

template <class T>
class OpState final : public CompletionState {
public:
  using CompletionState::CompletionState;
  void succeed_at(base::Time t, Stored<T> v) {
    value_.emplace(std::move(v));
    complete_at(t, nullptr);
  }
  void fail_at(base::Time t, std::exception_ptr e) { complete_at(t, std::move(e)); }
  const Stored<T>& value() const {
    if (error()) std::rethrow_exception(error());
    return *value_;
  }

private:
  std::optional<Stored<T>> value_;
};

/// Awaits any completion state: suspends until done, then rethrows its failure or returns.
template <class S, class Result>
class StateAwaiter {
public:
  explicit StateAwaiter(StateRef<S> s) : s_(std::move(s)) {}
  bool await_ready() const noexcept { return s_->done(); }
  void await_suspend(std::coroutine_handle<> h) {
    w_.wake = resume_action(h);
    s_->add_waiter(w_);
  }
  Result await_resume() const {
    if constexpr (std::is_void_v<Result>) {
      if (s_->error()) std::rethrow_exception(s_->error());
    } else {
      return s_->value();
    }
  }

private:
  StateRef<S> s_;
  Waiter w_;
};

/// Handle of an asynchronous operation producing a T (or void): cheap to copy, shares the
/// state. The producer calls succeed()/fail(); consumers `co_await op` (value or rethrow),
/// or register a Waiter. A default-constructed Op is empty (valid() == false).
template <class T = void>
class [[nodiscard]] Op {
public:
  Op() = default;
  static Op create(Simulation& sim) { return Op(new OpState<T>(sim)); }

  bool valid() const { return static_cast<bool>(s_); }
  bool done() const { return s_->done(); }
  bool failed() const { return s_->failed(); }
  CompletionState* state() const { return s_.get(); }

  /// Completes successfully at now() (or at time t >= now): waiters wake at that time.
  template <class U = T>
    requires(!std::is_void_v<U>)
  void succeed(U v) { s_->succeed_at(s_->simulation().now(), std::move(v)); }
  template <class U = T>
    requires(!std::is_void_v<U>)
  void succeed_at(base::Time t, U v) { s_->succeed_at(t, std::move(v)); }
  void succeed() requires std::is_void_v<T> { s_->succeed_at(s_->simulation().now(), {}); }
  void succeed_at(base::Time t) requires std::is_void_v<T> { s_->succeed_at(t, {}); }
  void fail(std::exception_ptr e) { s_->fail_at(s_->simulation().now(), std::move(e)); }

  /// The value of a done, successful op; rethrows the failure of a failed one.
  const Stored<T>& value() const { return s_->value(); }

  auto operator co_await() const {
    if constexpr (std::is_void_v<T>) return StateAwaiter<OpState<T>, void>(s_);
    else return StateAwaiter<OpState<T>, const T&>(s_);
  }

private:
  explicit Op(OpState<T>* s) : s_(s) {}
  StateRef<OpState<T>> s_;
};

} // namespace sim::engine
