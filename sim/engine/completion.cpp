#include "sim/engine/completion.hpp"

#include <stdexcept>

namespace sim::engine {

void Waiter::unlink() {
  if (owner_ == nullptr) return;
  if (prev_ != nullptr) prev_->next_ = next_;
  else owner_->head_ = next_;
  if (next_ != nullptr) next_->prev_ = prev_;
  else owner_->tail_ = prev_;
  owner_ = nullptr;
  prev_ = next_ = nullptr;
}

CompletionState::~CompletionState() {
  while (head_ != nullptr) head_->unlink();
}

void CompletionState::add_waiter(Waiter& w) {
  if (w.owner_ != nullptr) throw std::logic_error("add_waiter: the waiter is already waiting");
  if (phase_ == Phase::Done) throw std::logic_error("add_waiter: the completion is already done");
  w.owner_ = this;
  w.prev_ = tail_;
  w.next_ = nullptr;
  if (tail_ != nullptr) tail_->next_ = &w;
  else head_ = &w;
  tail_ = &w;
}

void CompletionState::complete_at(base::Time t, std::exception_ptr error) {
  if (phase_ != Phase::Pending) throw std::logic_error("completion: completed twice");
  phase_ = Phase::Scheduled;
  error_ = std::move(error);
  retain();  // the completion event keeps the state alive
  sim_->track_pending_completion(this);
  sim_->schedule_at(t, Action{&CompletionState::fire, this, 0},
                    EventTag{kinds::completion, sim_->current_tag().entity});
}

void CompletionState::fire(void* ctx, std::uint64_t) {
  auto* s = static_cast<CompletionState*>(ctx);
  StateRef<CompletionState> keep(s);
  s->sim_->untrack_pending_completion(s);
  s->release();  // balance complete_at's retain; `keep` holds it through the wake-ups
  s->phase_ = Phase::Done;
  s->completed_at_ = s->sim_->now();
  if (s->error_ && s->head_ == nullptr) s->sim_->report_unobserved(s->error_);
  while (Waiter* w = s->head_) {
    w->unlink();
    w->wake();
  }
}

} // namespace sim::engine
