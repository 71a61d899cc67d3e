#include "sim/engine/combinators.hpp"

namespace sim::engine {

WaitForAwaiter::WaitForAwaiter(Simulation& sim, CompletionState* s, base::Duration timeout)
    : sim_(&sim), s_(s), timeout_(timeout) {}

void WaitForAwaiter::await_suspend(std::coroutine_handle<> h) {
  h_ = h;
  w_.wake = Action{&WaitForAwaiter::on_done, this, 0};
  s_->add_waiter(w_);
  timer_ = sim_->schedule_cancellable_at(base::saturating_add(sim_->now(), timeout_),
                                         Action{&WaitForAwaiter::on_timeout, this, 0},
                                         EventTag{kinds::timeout, sim_->current_tag().entity});
}

bool WaitForAwaiter::await_resume() const {
  if (!s_->done()) return false;
  if (s_->error()) std::rethrow_exception(s_->error());
  return true;
}

void WaitForAwaiter::on_done(void* self, std::uint64_t) {
  auto* a = static_cast<WaitForAwaiter*>(self);
  a->sim_->cancel(a->timer_);
  a->h_.resume();
}

void WaitForAwaiter::on_timeout(void* self, std::uint64_t) {
  auto* a = static_cast<WaitForAwaiter*>(self);
  a->w_.unlink();
  a->h_.resume();
}

} // namespace sim::engine
