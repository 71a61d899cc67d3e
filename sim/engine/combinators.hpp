// Waiting on several things, or with a deadline.
//
//   bool ok = co_await wait_for(sim, op, 5s);      // true: op done within 5 s; false: timed out
//   std::size_t i = co_await any_of(sim, a, b, c); // index of the first to complete
//   co_await all_of(sim, a, b, c);                 // all complete
//
// Arguments are Op<T>s or Processes (anything with state() -> CompletionState*). Ties: if
// several are already done when awaited, any_of returns the lowest index; otherwise the one
// whose completion event fires first. Failures are rethrown: wait_for rethrows the op's
// failure if it completed; any_of rethrows the failure of the one it returns; all_of rethrows
// the failure of the lowest-index failed one once all are done. Nothing allocates: the waiter
// nodes live in the awaiting coroutine's frame; a timeout is cancelled in O(1).
#pragma once

#include "sim/engine/completion.hpp"
#include "sim/engine/simulation.hpp"

#include <array>
#include <coroutine>
#include <cstddef>

namespace sim::engine {

class [[nodiscard]] WaitForAwaiter {
public:
  WaitForAwaiter(Simulation& sim, CompletionState* s, base::Duration timeout);
  bool await_ready() const noexcept { return s_->done(); }
  void await_suspend(std::coroutine_handle<> h);
  bool await_resume() const;

private:
  static void on_done(void* self, std::uint64_t);
  static void on_timeout(void* self, std::uint64_t);

  Simulation* sim_;
  StateRef<CompletionState> s_;
  base::Duration timeout_;
  std::coroutine_handle<> h_;
  Waiter w_;
  EventId timer_;
};

template <class Awaitable>
WaitForAwaiter wait_for(Simulation& sim, const Awaitable& a, base::Duration timeout) {
  return WaitForAwaiter(sim, a.state(), timeout);
}

template <std::size_t N>
class [[nodiscard]] AnyOfAwaiter {
public:
  explicit AnyOfAwaiter(std::array<CompletionState*, N> states) {
    for (std::size_t i = 0; i < N; ++i) s_[i] = StateRef<CompletionState>(states[i]);
  }
  bool await_ready() noexcept {
    for (std::size_t i = 0; i < N; ++i)
      if (s_[i]->done()) { index_ = i; return true; }
    return false;
  }
  void await_suspend(std::coroutine_handle<> h) {
    h_ = h;
    for (std::size_t i = 0; i < N; ++i) {
      w_[i].wake = Action{&AnyOfAwaiter::on_wake, this, i};
      s_[i]->add_waiter(w_[i]);
    }
  }
  std::size_t await_resume() const {
    if (s_[index_]->error()) std::rethrow_exception(s_[index_]->error());
    return index_;
  }

private:
  static void on_wake(void* self, std::uint64_t i) {
    auto* a = static_cast<AnyOfAwaiter*>(self);
    for (auto& w : a->w_) w.unlink();
    a->index_ = static_cast<std::size_t>(i);
    a->h_.resume();
  }
  std::array<StateRef<CompletionState>, N> s_;
  std::array<Waiter, N> w_;
  std::coroutine_handle<> h_;
  std::size_t index_ = 0;
};

template <std::size_t N>
class [[nodiscard]] AllOfAwaiter {
public:
  explicit AllOfAwaiter(std::array<CompletionState*, N> states) {
    for (std::size_t i = 0; i < N; ++i) s_[i] = StateRef<CompletionState>(states[i]);
  }
  bool await_ready() const noexcept {
    for (const auto& s : s_)
      if (!s->done()) return false;
    return true;
  }
  void await_suspend(std::coroutine_handle<> h) {
    h_ = h;
    for (std::size_t i = 0; i < N; ++i) {
      if (s_[i]->done()) continue;
      w_[i].wake = Action{&AllOfAwaiter::on_wake, this, i};
      s_[i]->add_waiter(w_[i]);
      ++remaining_;
    }
  }
  void await_resume() const {
    for (const auto& s : s_)
      if (s->error()) std::rethrow_exception(s->error());
  }

private:
  static void on_wake(void* self, std::uint64_t) {
    auto* a = static_cast<AllOfAwaiter*>(self);
    if (--a->remaining_ == 0) a->h_.resume();
  }
  std::array<StateRef<CompletionState>, N> s_;
  std::array<Waiter, N> w_;
  std::coroutine_handle<> h_;
  std::size_t remaining_ = 0;
};

template <class... A>
AnyOfAwaiter<sizeof...(A)> any_of(Simulation&, const A&... a) {
  return AnyOfAwaiter<sizeof...(A)>({a.state()...});
}

template <class... A>
AllOfAwaiter<sizeof...(A)> all_of(Simulation&, const A&... a) {
  return AllOfAwaiter<sizeof...(A)>({a.state()...});
}

} // namespace sim::engine
