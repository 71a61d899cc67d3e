// Simulation: the clock, the pending events and the processes of one run.
//
// There is no global engine: every model object takes a Simulation&, and a test may build as
// many simulations as it likes. Events fire in (time, scheduling order): equal times fire in
// the order they were scheduled. An event may schedule others at the current time or later,
// never earlier (std::logic_error).
//
// Determinism: the fingerprint hashes (time, kind, entity) of every processed event, so two
// runs with the same inputs have the same fingerprint, and a changed trajectory (different
// event, time or order) almost surely a different one.
//
// Failures are never silent: an exception thrown by an event's action propagates out of
// run()/run_until(); an exception escaping a process that nobody is waiting for is rethrown by
// run()/run_until() once the current event has finished (see process.hpp).
#pragma once

#include "sim/base/time.hpp"
#include "sim/engine/action.hpp"
#include "sim/engine/event_queue.hpp"
#include "sim/engine/random.hpp"

#include <atomic>
#include <coroutine>
#include <cstdint>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

namespace sim::engine {

class CompletionState;
class ProcessState;
class Simulation;

/// Awaitable returned by Simulation::delay: resumes the awaiting coroutine d later.
/// delay(0) still yields: events already due now run first.
class [[nodiscard]] DelayAwaiter {
public:
  DelayAwaiter(Simulation& sim, base::Duration d) : sim_(&sim), d_(d) {}
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h) const;
  void await_resume() const noexcept {}

private:
  Simulation* sim_;
  base::Duration d_;
};

/// Handle of a cancellable event. A default-constructed id is valid and refers to nothing;
/// cancelling it, or an event that already fired or was cancelled, does nothing.
struct EventId {
  std::uint32_t slot = 0;
  std::uint32_t generation = 0;
};

/// Receives every processed event (for trace.csv). Not on the hot path unless set.
class TraceSink {
public:
  virtual ~TraceSink() = default;
  virtual void on_event(base::Time t, EventTag tag) = 0;
};

/// Kinds registered by every Simulation, in this order.
namespace kinds {
inline constexpr std::uint32_t callback = 0;       ///< a plain scheduled action
inline constexpr std::uint32_t process_start = 1;  ///< a spawned process runs for the first time
inline constexpr std::uint32_t resume = 2;         ///< a delay ended
inline constexpr std::uint32_t completion = 3;     ///< an Op or process completed; waiters wake
inline constexpr std::uint32_t timeout = 4;        ///< a wait_for timeout expired
} // namespace kinds

class Simulation {
public:
  /// `seed` and `replication` feed every random stream made by stream().
  explicit Simulation(std::uint64_t seed = 0, std::uint64_t replication = 0);
  ~Simulation();
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;

  /// Starts over for another replication, as if freshly constructed with (seed, replication),
  /// keeping what was set up before `mark()`: registered kinds, entity numbers up to the mark
  /// and the trace sink. Suspended processes are destroyed and pending events dropped, as by
  /// the destructor; the queue keeps its capacity (nothing is reallocated).
  void reset(std::uint64_t seed, std::uint64_t replication);
  /// Remembers the entity counter: reset() returns to it (call once the model is built).
  void mark() { entity_mark_ = last_entity_; }

  base::Time now() const { return now_; }
  std::uint64_t seed() const { return seed_; }
  std::uint64_t replication() const { return replication_; }

  /// Schedules `action` at time `t` (>= now(); `never` is accepted and drops the event).
  void schedule_at(base::Time t, Action action, EventTag tag = {});
  void schedule_in(base::Duration d, Action action, EventTag tag = {}) {
    schedule_at(base::saturating_add(now_, d), action, tag);
  }
  /// `co_await sim.delay(d)` suspends the calling process for d (>= 0, else
  /// std::invalid_argument). `forever` suspends it for good.
  DelayAwaiter delay(base::Duration d) { return DelayAwaiter(*this, d); }

  /// Like schedule_at, but returns a handle for cancel(). Costs one slot while pending.
  EventId schedule_cancellable_at(base::Time t, Action action, EventTag tag = {});
  /// Cancels a pending cancellable event in O(1). Returns true if it was pending.
  bool cancel(EventId id);

  /// Runs until no event is left. Returns the number of events processed by this call.
  std::uint64_t run();
  /// Runs every event with time <= t, then advances the clock to t (if t is later).
  std::uint64_t run_until(base::Time t);
  /// Asks run()/run_until() to return after the current event (the rest stays pending).
  void stop() { stop_requested_ = true; }
  /// From now on run()/run_until() also stop, as stop() does, within 1024 events of `*flag`
  /// becoming true (set from another thread or a signal handler: Ctrl-C). Null: never. The
  /// flag must outlive the runs; interrupted() tells whether it stopped the last one.
  void interrupt_on(const std::atomic<bool>* flag) { interrupt_ = flag; }
  bool interrupted() const { return interrupted_; }

  /// Events processed so far (cancelled ones not counted).
  std::uint64_t events_processed() const { return processed_; }
  /// Events scheduled and not yet processed or skipped (cancelled ones included until popped).
  std::size_t events_pending() const { return queue_.size(); }
  /// Hash of the (time, kind, entity) sequence of processed events.
  std::uint64_t fingerprint() const { return fingerprint_; }

  /// Registers an event kind name (for traces) and returns its number; the same name twice
  /// returns the same number. Kinds 0..4 are the engine's own (see `kinds`).
  std::uint32_t register_kind(std::string_view name);
  const std::string& kind_name(std::uint32_t kind) const { return kind_names_.at(kind); }
  std::size_t kind_count() const { return kind_names_.size(); }
  /// Allocates a fresh entity number for tags (processes get one each). Deterministic.
  std::uint32_t new_entity() { return ++last_entity_; }
  /// The tag of the event being processed (entity 0 outside events).
  EventTag current_tag() const { return current_tag_; }

  /// Random stream for a stable entity name, derived from (seed, replication, name).
  RandomStream stream(std::string_view entity_name) const {
    return RandomStream(seed_, replication_, entity_name);
  }

  /// Observer of every processed event; nullptr (the default) for none. Not owned.
  void set_trace(TraceSink* sink) { trace_ = sink; }

  // -- used by process.hpp --
  void attach_process(ProcessState* p);
  void detach_process(ProcessState* p);
  /// A completion event holds its state; states still pending at destruction are released.
  void track_pending_completion(CompletionState* s);
  void untrack_pending_completion(CompletionState* s);
  /// Records a failure nobody observed; run() rethrows the first one.
  void report_unobserved(std::exception_ptr e);
  /// Processes still suspended (not finished), in spawn order.
  std::size_t live_processes() const;

private:
  template <class Limit> std::uint64_t run_loop(Limit limit);
  void release_all();  // destroys suspended processes and pending completion states
  void fire(const QueuedEvent& e);
  void rethrow_unobserved();

  EventQueue queue_;
  base::Time now_{};
  std::uint64_t seed_;
  std::uint64_t replication_;
  std::uint64_t processed_ = 0;
  static constexpr std::uint64_t initial_fingerprint = 0x6c756e73696d3031ULL;  // "lunsim01"
  std::uint64_t fingerprint_ = initial_fingerprint;
  EventTag current_tag_{};
  bool stop_requested_ = false;
  const std::atomic<bool>* interrupt_ = nullptr;
  bool interrupted_ = false;
  std::uint32_t last_entity_ = 0;
  std::uint32_t entity_mark_ = 0;
  std::vector<std::uint32_t> slot_generation_{0};  // slot 0 unused
  std::vector<std::uint32_t> free_slots_;
  std::vector<std::string> kind_names_;
  TraceSink* trace_ = nullptr;
  ProcessState* processes_ = nullptr;           // intrusive list of live root processes
  CompletionState* pending_completions_ = nullptr;  // intrusive list: completion events not yet fired
  std::exception_ptr unobserved_;
};

} // namespace sim::engine
