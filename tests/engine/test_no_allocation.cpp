// The event loop allocates nothing per event in steady state: this executable replaces the
// global operator new with a counting one and runs a mixed workload (coroutine delays, plain
// callbacks, cancellable timers that are cancelled) for 10^5 events after a warm-up.
#include "sim/engine/task.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <cstdlib>
#include <new>

namespace {
std::atomic<long> allocations{0};
} // namespace

// The replacements below pair malloc/free by design; GCC cannot see that through inlining of
// coroutine frames and warns about a mismatch.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

namespace {
void* counted_malloc(std::size_t n) noexcept {
  allocations.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(n == 0 ? 1 : n);
}
void* counted_or_throw(std::size_t n) {
  if (void* p = counted_malloc(n)) return p;
  throw std::bad_alloc();
}
} // namespace

// Every replaceable form, so that no allocation escapes the count and every pair matches.
void* operator new(std::size_t n) { return counted_or_throw(n); }
void* operator new[](std::size_t n) { return counted_or_throw(n); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept { return counted_malloc(n); }
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept { return counted_malloc(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }

using namespace std::chrono_literals;
using sim::engine::Action;
using sim::engine::EventId;
using sim::engine::Simulation;
using sim::engine::Task;

namespace {

Task<> ticker(Simulation& sim, sim::engine::RandomStream rng) {
  for (;;) co_await sim.delay(std::chrono::nanoseconds(1 + rng.below(1'000'000)));
}

struct Rescheduler {
  Simulation* sim;
  sim::engine::RandomStream rng{1};
  EventId pending_timer{};
  void tick(std::uint64_t) {
    sim->cancel(pending_timer);  // a timeout, usually cancelled before it fires
    pending_timer = sim->schedule_cancellable_at(sim->now() + 2ms, Action{[](void*, std::uint64_t) {}, nullptr, 0});
    sim->schedule_in(std::chrono::nanoseconds(1 + rng.below(1'000'000)),
                     Action::member<Rescheduler, &Rescheduler::tick>(this));
  }
};

} // namespace

TEST_CASE("the event loop allocates nothing per event in steady state", "[engine][alloc]") {
  Simulation sim(42);
  for (int i = 0; i < 1000; ++i) sim::engine::spawn(sim, ticker(sim, sim.stream("ticker/" + std::to_string(i))));
  Rescheduler r{&sim};
  for (int i = 0; i < 100; ++i) sim.schedule_in(std::chrono::microseconds(i), Action::member<Rescheduler, &Rescheduler::tick>(&r));

  // Warm-up: buckets, slot tables and free lists grow to the working-set size.
  Simulation* s = &sim;
  auto run_events = [s](std::uint64_t n) {
    const std::uint64_t target = s->events_processed() + n;
    while (s->events_processed() < target) s->run_until(s->now() + 1ms);
  };
  run_events(2'000'000);
  const long before = allocations.load();
  const std::uint64_t events_before = sim.events_processed();
  run_events(100'000);
  const long during = allocations.load() - before;
  INFO("events processed: " << sim.events_processed() - events_before);
  CHECK(sim.events_processed() - events_before >= 100'000);
  CHECK(during == 0);
}
