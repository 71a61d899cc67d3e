#include "sim/engine/simulation.hpp"

#include "sim/engine/completion.hpp"
#include "sim/engine/task.hpp"

#include <limits>
#include <stdexcept>
#include <string>

namespace sim::engine {

namespace {

constexpr std::uint64_t mix(std::uint64_t h, std::uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  return h * 0xff51afd7ed558ccdULL;
}

std::string format_time(base::Time t) { return base::format_seconds(t); }

} // namespace

void DelayAwaiter::await_suspend(std::coroutine_handle<> h) const {
  if (d_ < base::Duration::zero())
    throw std::invalid_argument("delay(): negative duration " + std::to_string(d_.count()) + " ns");
  sim_->schedule_in(d_, resume_action(h), EventTag{kinds::resume, sim_->current_tag().entity});
}

Simulation::Simulation(std::uint64_t seed, std::uint64_t replication)
    : seed_(seed), replication_(replication),
      kind_names_{"callback", "process_start", "resume", "completion", "timeout"} {}

Simulation::~Simulation() { release_all(); }

void Simulation::reset(std::uint64_t seed, std::uint64_t replication) {
  release_all();
  queue_.clear();
  now_ = base::Time{};
  seed_ = seed;
  replication_ = replication;
  processed_ = 0;
  fingerprint_ = initial_fingerprint;
  current_tag_ = EventTag{};
  stop_requested_ = false;
  last_entity_ = entity_mark_;
  slot_generation_.assign(1, 0);
  free_slots_.clear();
  unobserved_ = nullptr;
}

void Simulation::release_all() {
  while (processes_ != nullptr) {
    ProcessState* p = processes_;
    StateRef<ProcessState> keep(p);
    detach_process(p);
    p->abandon();
    p->release();  // the reference spawn() gave the simulation
  }
  while (pending_completions_ != nullptr) {
    CompletionState* s = pending_completions_;
    untrack_pending_completion(s);
    s->release();  // the reference its completion event held
  }
}

void Simulation::schedule_at(base::Time t, Action action, EventTag tag) {
  if (t < now_)
    throw std::logic_error("schedule_at(" + format_time(t) + "): before the current time " + format_time(now_));
  if (t == base::never) return;
  queue_.push(QueuedEvent{static_cast<std::uint64_t>(base::since_start(t).count()), action, tag, 0, 0});
}

EventId Simulation::schedule_cancellable_at(base::Time t, Action action, EventTag tag) {
  if (t < now_)
    throw std::logic_error("schedule_cancellable_at(" + format_time(t) + "): before the current time " +
                           format_time(now_));
  if (t == base::never) return EventId{};
  std::uint32_t slot;
  if (!free_slots_.empty()) {
    slot = free_slots_.back();
    free_slots_.pop_back();
  } else {
    slot = static_cast<std::uint32_t>(slot_generation_.size());
    slot_generation_.push_back(0);
  }
  const std::uint32_t gen = slot_generation_[slot];
  queue_.push(QueuedEvent{static_cast<std::uint64_t>(base::since_start(t).count()), action, tag, slot, gen});
  return EventId{slot, gen};
}

bool Simulation::cancel(EventId id) {
  if (id.slot == 0 || id.slot >= slot_generation_.size()) return false;
  if (slot_generation_[id.slot] != id.generation) return false;
  ++slot_generation_[id.slot];
  return true;
}

std::uint32_t Simulation::register_kind(std::string_view name) {
  for (std::size_t i = 0; i < kind_names_.size(); ++i)
    if (kind_names_[i] == name) return static_cast<std::uint32_t>(i);
  kind_names_.emplace_back(name);
  return static_cast<std::uint32_t>(kind_names_.size() - 1);
}

void Simulation::fire(const QueuedEvent& e) {
  now_ = base::Time{base::Duration{static_cast<std::int64_t>(e.time)}};
  current_tag_ = e.tag;
  ++processed_;
  fingerprint_ = mix(mix(mix(fingerprint_, e.time), e.tag.kind), e.tag.entity);
  if (trace_ != nullptr) trace_->on_event(now_, e.tag);
  e.action();
}

template <class Limit>
std::uint64_t Simulation::run_loop(Limit limit) {
  const std::uint64_t before = processed_;
  stop_requested_ = false;
  interrupted_ = false;
  QueuedEvent e;
  while (!stop_requested_) {
    if (interrupt_ != nullptr && (processed_ & 1023) == 0 && interrupt_->load(std::memory_order_relaxed)) {
      interrupted_ = stop_requested_ = true;
      break;
    }
    if (!queue_.pop_not_after(limit, e)) break;
    if (e.slot != 0) {
      std::uint32_t& gen = slot_generation_[e.slot];
      const bool live = gen == e.generation;
      if (live) ++gen;  // a later cancel() of this id is now harmless
      free_slots_.push_back(e.slot);
      if (!live) continue;
    }
    fire(e);
    if (unobserved_) rethrow_unobserved();
  }
  current_tag_ = EventTag{};
  return processed_ - before;
}

std::uint64_t Simulation::run() { return run_loop(std::numeric_limits<std::uint64_t>::max()); }

std::uint64_t Simulation::run_until(base::Time t) {
  if (t < now_) throw std::logic_error("run_until(" + format_time(t) + "): before the current time " + format_time(now_));
  const std::uint64_t n = run_loop(static_cast<std::uint64_t>(base::since_start(t).count()));
  if (!stop_requested_ && t != base::never) now_ = t;
  return n;
}

void Simulation::report_unobserved(std::exception_ptr e) {
  if (!unobserved_) unobserved_ = std::move(e);
}

void Simulation::rethrow_unobserved() {
  std::exception_ptr e = std::exchange(unobserved_, nullptr);
  current_tag_ = EventTag{};
  std::rethrow_exception(e);
}

void Simulation::attach_process(ProcessState* p) {
  p->next_ = processes_;
  p->prev_ = nullptr;
  if (processes_ != nullptr) processes_->prev_ = p;
  processes_ = p;
}

void Simulation::detach_process(ProcessState* p) {
  if (p->prev_ != nullptr) p->prev_->next_ = p->next_;
  else processes_ = p->next_;
  if (p->next_ != nullptr) p->next_->prev_ = p->prev_;
  p->prev_ = p->next_ = nullptr;
}

void Simulation::track_pending_completion(CompletionState* s) {
  s->pending_next_ = pending_completions_;
  s->pending_prev_ = nullptr;
  if (pending_completions_ != nullptr) pending_completions_->pending_prev_ = s;
  pending_completions_ = s;
}

void Simulation::untrack_pending_completion(CompletionState* s) {
  if (s->pending_prev_ != nullptr) s->pending_prev_->pending_next_ = s->pending_next_;
  else pending_completions_ = s->pending_next_;
  if (s->pending_next_ != nullptr) s->pending_next_->pending_prev_ = s->pending_prev_;
  s->pending_prev_ = s->pending_next_ = nullptr;
}

std::size_t Simulation::live_processes() const {
  std::size_t n = 0;
  for (const ProcessState* p = processes_; p != nullptr; p = p->next_) ++n;
  return n;
}

} // namespace sim::engine
