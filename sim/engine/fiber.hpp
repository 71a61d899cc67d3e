// Fibers: plain functions that block in simulated time, for foreign code that cannot be
// written as a coroutine (a VDS client calling IVdsAsync::Wait). Each fiber runs on its own
// stack; a blocking call (wait, sleep) saves the fiber's context and returns to the event loop;
// the completion that ends the wait switches back to it inline, at the completion's simulated
// time, exactly as a coroutine is resumed. The engine does not care which kind of process waits
// (completion.hpp: a waiter is an Action), so fibers and coroutines mix freely and runs stay
// deterministic: fibers switch only at waits, in event order.
//
// Contract:
//   - start() schedules the body's first run at now() (after events already due now, like
//     spawn). The body gets its Fiber; it may call wait()/sleep() only on that Fiber, from the
//     fiber itself. Events run on the caller's stack (the one that runs the Simulation), never
//     on a fiber stack: a fiber is only ever switched to from the event loop and back.
//   - When the body returns, the fiber is finished (finished()); an exception escaping the body
//     is stored and rethrown by rethrow_if_failed() (a fiber never unwinds into the loop).
//   - Destroying a fiber that is suspended (never woken: a hung client) tears it down without
//     running any more of its code: its stack is freed, and whatever the body allocated and
//     still held is leaked (say so to LeakSanitizer where that is expected).
//   - Stacks are `stack_bytes` (default 256 KiB, at least 16 KiB) of heap memory, not zeroed:
//     large stacks come from mmap, so only the pages the body touches become resident. There
//     is no guard page, so a body must stay within its stack. memory_bytes() reports what a
//     fiber reserves (stack and bookkeeping).
//   - Switching uses ucontext (makecontext/swapcontext) with the AddressSanitizer fiber
//     annotations (__sanitizer_start_switch_fiber / __sanitizer_finish_switch_fiber) when
//     built with ASan, so the sanitizer follows every switch.
// Not thread-safe: a fiber belongs to one Simulation, which runs on one thread.
#pragma once

#include "sim/base/time.hpp"
#include "sim/engine/completion.hpp"
#include "sim/engine/simulation.hpp"

#include <cstddef>
#include <exception>
#include <functional>
#include <memory>

namespace sim::engine {

class Fiber {
public:
  static constexpr std::size_t default_stack_bytes = 256 * 1024;
  static constexpr std::size_t min_stack_bytes = 16 * 1024;

  Fiber(Simulation& sim, std::function<void(Fiber&)> body, std::size_t stack_bytes = default_stack_bytes);
  ~Fiber();
  Fiber(const Fiber&) = delete;
  Fiber& operator=(const Fiber&) = delete;

  /// Schedules the first run at now(). Once only.
  void start();
  bool started() const { return started_; }
  /// True while the fiber is parked in wait()/sleep() (or scheduled to start).
  bool suspended() const { return started_ && !running_ && !finished_; }
  bool running() const { return running_; }
  bool finished() const { return finished_; }
  /// Rethrows an exception that escaped the body (after it finished).
  void rethrow_if_failed() const;

  /// From inside the fiber: blocks until `state` is done (returns at once if it is). Does not
  /// rethrow the state's failure: the caller inspects the state.
  void wait(CompletionState& state);
  /// From inside the fiber: blocks for `d` of simulated time.
  void sleep(base::Duration d);

  Simulation& simulation() const { return *sim_; }
  std::size_t stack_bytes() const { return stack_bytes_; }
  /// Stack plus bookkeeping, in bytes.
  std::size_t memory_bytes() const;

private:
  struct Context;
  static void on_resume(void* self, std::uint64_t);
  static void trampoline(unsigned hi, unsigned lo);
  void resume();   // from the loop: switch to the fiber until it suspends or finishes
  void suspend();  // from the fiber: switch back to the loop

  Simulation* sim_;
  std::function<void(Fiber&)> body_;
  std::size_t stack_bytes_;
  std::unique_ptr<char[]> stack_;
  std::unique_ptr<Context> ctx_;
  std::exception_ptr error_;
  bool started_ = false;
  bool running_ = false;
  bool finished_ = false;
};

} // namespace sim::engine
