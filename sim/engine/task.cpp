#include "sim/engine/task.hpp"

namespace sim::engine {

std::coroutine_handle<> detail::PromiseBase::finish(PromiseBase& p, std::coroutine_handle<> self) noexcept {
  if (p.continuation) return p.continuation;
  if (p.root != nullptr) p.root->finish(std::move(p.error));
  (void)self;
  return std::noop_coroutine();
}

ProcessState::ProcessState(Simulation& sim, std::coroutine_handle<> frame, std::uint32_t entity)
    : CompletionState(sim), frame_(frame), entity_(entity) {}

ProcessState::~ProcessState() { abandon(); }

void ProcessState::finish(std::exception_ptr error) noexcept {
  std::coroutine_handle<> frame = std::exchange(frame_, {});
  StateRef<ProcessState> keep(this);
  simulation().detach_process(this);
  release();  // the simulation's reference (taken in spawn)
  try {
    complete_at(simulation().now(), std::move(error));
  } catch (...) {
    simulation().report_unobserved(std::current_exception());
  }
  frame.destroy();
}

void ProcessState::abandon() noexcept {
  if (frame_) std::exchange(frame_, {}).destroy();
}

Process spawn(Simulation& sim, Task<void> task) {
  auto h = task.release();
  auto* state = new ProcessState(sim, h, sim.new_entity());
  h.promise().root = state;
  state->retain();  // held by the simulation while the frame lives
  sim.attach_process(state);
  sim.schedule_at(sim.now(), resume_action(h), EventTag{kinds::process_start, state->entity()});
  return Process(state);
}

} // namespace sim::engine
