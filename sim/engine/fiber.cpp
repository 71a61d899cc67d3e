#include "sim/engine/fiber.hpp"

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <ucontext.h>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/common_interface_defs.h>
#define LUNSIM_ASAN_FIBERS 1
#endif

namespace sim::engine {

struct Fiber::Context {
  ucontext_t fiber{};
  ucontext_t loop{};
  Waiter waiter;        // the fiber's one wait at a time: here, not on its stack, so a torn-down
                        // fiber unlinks it
  EventId timer;        // start() or sleep(): cancelled if the fiber is torn down first
  void* loop_fake_stack = nullptr;   // ASan bookkeeping of the side switched away from
  void* fiber_fake_stack = nullptr;
  const void* loop_bottom = nullptr;
  std::size_t loop_size = 0;
};

namespace {

#if LUNSIM_ASAN_FIBERS
void start_switch(void** fake, const void* bottom, std::size_t size) { __sanitizer_start_switch_fiber(fake, bottom, size); }
void finish_switch(void* fake, const void** bottom, std::size_t* size) { __sanitizer_finish_switch_fiber(fake, bottom, size); }
#else
void start_switch(void**, const void*, std::size_t) {}
void finish_switch(void*, const void**, std::size_t*) {}
#endif

} // namespace

Fiber::Fiber(Simulation& sim, std::function<void(Fiber&)> body, std::size_t stack_bytes)
    : sim_(&sim), body_(std::move(body)), stack_bytes_(std::max(stack_bytes, min_stack_bytes)),
      ctx_(std::make_unique<Context>()) {}

Fiber::~Fiber() {
  // A suspended fiber is abandoned: nothing of it runs again. Its pending timer is cancelled and
  // its waiter (in ctx_) unlinks itself when ctx_ goes.
  if (ctx_) sim_->cancel(ctx_->timer);
}

std::size_t Fiber::memory_bytes() const { return sizeof(Fiber) + sizeof(Context) + (stack_ ? stack_bytes_ : 0); }

void Fiber::start() {
  if (started_) throw std::logic_error("Fiber::start: already started");
  started_ = true;
  stack_ = std::make_unique_for_overwrite<char[]>(stack_bytes_);  // not zeroed: untouched pages stay unmapped
  if (getcontext(&ctx_->fiber) != 0) throw std::runtime_error("Fiber::start: getcontext failed");
  ctx_->fiber.uc_stack.ss_sp = stack_.get();
  ctx_->fiber.uc_stack.ss_size = stack_bytes_;
  ctx_->fiber.uc_link = &ctx_->loop;  // the body's end returns to the loop
  const auto p = reinterpret_cast<std::uintptr_t>(this);
  makecontext(&ctx_->fiber, reinterpret_cast<void (*)()>(&Fiber::trampoline), 2, static_cast<unsigned>(p >> 32),
              static_cast<unsigned>(p & 0xffffffffu));
  ctx_->timer = sim_->schedule_cancellable_at(sim_->now(), Action{&Fiber::on_resume, this, 0});
}

void Fiber::rethrow_if_failed() const {
  if (error_) std::rethrow_exception(error_);
}

void Fiber::on_resume(void* self, std::uint64_t) { static_cast<Fiber*>(self)->resume(); }

void Fiber::trampoline(unsigned hi, unsigned lo) {
  auto* self = reinterpret_cast<Fiber*>((static_cast<std::uintptr_t>(hi) << 32) | lo);
  Context& c = *self->ctx_;
  finish_switch(c.fiber_fake_stack, &c.loop_bottom, &c.loop_size);
  try {
    self->body_(*self);
  } catch (...) {
    self->error_ = std::current_exception();
  }
  self->finished_ = true;
  self->running_ = false;
  // The fiber ends: its fake stack goes with it (nullptr), then uc_link returns to the loop.
  start_switch(nullptr, c.loop_bottom, c.loop_size);
}

void Fiber::resume() {
  ctx_->timer = EventId{};
  running_ = true;
  start_switch(&ctx_->loop_fake_stack, stack_.get(), stack_bytes_);
  swapcontext(&ctx_->loop, &ctx_->fiber);
  finish_switch(ctx_->loop_fake_stack, nullptr, nullptr);
}

void Fiber::suspend() {
  running_ = false;
  Context& c = *ctx_;
  start_switch(&c.fiber_fake_stack, c.loop_bottom, c.loop_size);
  swapcontext(&c.fiber, &c.loop);
  finish_switch(c.fiber_fake_stack, &c.loop_bottom, &c.loop_size);
}

void Fiber::wait(CompletionState& state) {
  if (!running_) throw std::logic_error("Fiber::wait: called from outside the fiber");
  if (state.done()) return;
  ctx_->waiter.wake = Action{&Fiber::on_resume, this, 0};
  state.add_waiter(ctx_->waiter);
  suspend();
}

void Fiber::sleep(base::Duration d) {
  if (!running_) throw std::logic_error("Fiber::sleep: called from outside the fiber");
  ctx_->timer = sim_->schedule_cancellable_at(base::saturating_add(sim_->now(), d), Action{&Fiber::on_resume, this, 0});
  suspend();
}

} // namespace sim::engine
