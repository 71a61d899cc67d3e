// Coroutine processes: Task<T> for sequential model logic, Process for a running root.
//
//   Task<> client(Simulation& sim, Drive& d) {
//     co_await sim.delay(1ms);                // resumes exactly 1 ms later
//     IoResult r = co_await d.submit(req);    // resumes at the completion time
//   }
//   Process p = spawn(sim, client(sim, d));   // starts at now(), after events already due now
//
// A Task is lazy: it runs when awaited (inline, in the awaiting process, like a function call)
// or when spawned as a root process. An exception escaping a task is stored and rethrown to
// whoever awaits it; for a root process it is rethrown to whoever waits on the Process, or, if
// nobody does when it ends, by Simulation::run() — never lost (cppcoro's rule, not SimCpp20's
// assert). Rules for callers (C++ Core Guidelines CP.51/CP.53): no capturing lambda coroutines,
// and no reference parameters except the Simulation& and objects that outlive the process.
//
// Lifetime: a finished root frees its frame at once. Roots still suspended when the
// Simulation is destroyed are destroyed with it (their locals' destructors run).
#pragma once

#include "sim/engine/completion.hpp"

#include <coroutine>
#include <exception>
#include <optional>
#include <type_traits>
#include <utility>

namespace sim::engine {

class ProcessState;

namespace detail {

struct PromiseBase {
  std::coroutine_handle<> continuation;
  ProcessState* root = nullptr;
  std::exception_ptr error;

  std::suspend_always initial_suspend() noexcept { return {}; }
  void unhandled_exception() noexcept { error = std::current_exception(); }

  struct FinalAwaiter {
    bool await_ready() const noexcept { return false; }
    template <class P>
    std::coroutine_handle<> await_suspend(std::coroutine_handle<P> h) noexcept {
      return finish(h.promise(), h);
    }
    void await_resume() const noexcept {}
  };
  FinalAwaiter final_suspend() noexcept { return {}; }

  /// Hands control back to the awaiting coroutine, or ends the root process.
  static std::coroutine_handle<> finish(PromiseBase& p, std::coroutine_handle<> self) noexcept;
};

template <class T>
struct ReturnSlot : PromiseBase {
  std::optional<T> value;
  template <class U>
  void return_value(U&& v) { value.emplace(std::forward<U>(v)); }
};

template <>
struct ReturnSlot<void> : PromiseBase {
  void return_void() noexcept {}
};

} // namespace detail

template <class T = void>
class [[nodiscard]] Task {
public:
  struct promise_type : detail::ReturnSlot<T> {
    Task get_return_object() { return Task(std::coroutine_handle<promise_type>::from_promise(*this)); }
  };

  Task(Task&& o) noexcept : h_(std::exchange(o.h_, {})) {}
  Task& operator=(Task&& o) noexcept {
    if (this != &o) { destroy(); h_ = std::exchange(o.h_, {}); }
    return *this;
  }
  Task(const Task&) = delete;
  ~Task() { destroy(); }

  bool await_ready() const noexcept { return false; }
  std::coroutine_handle<> await_suspend(std::coroutine_handle<> parent) noexcept {
    h_.promise().continuation = parent;
    return h_;
  }
  T await_resume() {
    auto& p = h_.promise();
    if (p.error) std::rethrow_exception(p.error);
    if constexpr (!std::is_void_v<T>) return std::move(*p.value);
  }

  /// Gives up ownership of the frame (for spawn).
  std::coroutine_handle<promise_type> release() { return std::exchange(h_, {}); }

private:
  explicit Task(std::coroutine_handle<promise_type> h) : h_(h) {}
  void destroy() {
    if (h_) h_.destroy();
  }
  std::coroutine_handle<promise_type> h_;
};

/// State of a root process: a void completion plus the frame it owns while running.
class ProcessState final : public CompletionState {
public:
  ProcessState(Simulation& sim, std::coroutine_handle<> frame, std::uint32_t entity);
  ~ProcessState() override;

  std::uint32_t entity() const { return entity_; }
  bool running() const { return static_cast<bool>(frame_); }
  const std::monostate& value() const {
    if (error()) std::rethrow_exception(error());
    return unit_;
  }

  /// Called by the final awaiter of the root frame: completes at now() and frees the frame.
  void finish(std::exception_ptr error) noexcept;
  /// Destroys a still-suspended frame without completing (Simulation teardown).
  void abandon() noexcept;

private:
  friend class Simulation;
  std::coroutine_handle<> frame_;
  std::uint32_t entity_;
  std::monostate unit_;
  ProcessState* prev_ = nullptr;  // Simulation's list of live roots
  ProcessState* next_ = nullptr;
};

/// Handle of a spawned root process; awaiting it joins (rethrows its failure).
class Process {
public:
  Process() = default;
  explicit Process(ProcessState* s) : s_(s) {}
  bool valid() const { return static_cast<bool>(s_); }
  bool done() const { return s_->done(); }
  bool failed() const { return s_->failed(); }
  std::uint32_t entity() const { return s_->entity(); }
  CompletionState* state() const { return s_.get(); }
  auto operator co_await() const { return StateAwaiter<ProcessState, void>(s_); }

private:
  StateRef<ProcessState> s_;
};

/// Starts `task` as a root process: its first step runs at now(), after the events already
/// scheduled for now(). The process gets a fresh entity number (Simulation::new_entity).
Process spawn(Simulation& sim, Task<void> task);

} // namespace sim::engine
