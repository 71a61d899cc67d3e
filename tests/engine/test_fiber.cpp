// Fibers (fiber.hpp): blocking functions in simulated time. Exact wake-up times, FIFO order at
// equal times, mixing with coroutines on the same completions, exceptions, teardown of a hung
// fiber without running its code, and 1,000 concurrent blocking fibers run deterministically.
// (The ASan + UBSan pass of CI runs these too: the switches are annotated for the sanitizer.)
#include "sim/engine/fiber.hpp"

#include "sim/engine/completion.hpp"
#include "sim/engine/task.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using sim::base::Time;
using sim::engine::Fiber;
using sim::engine::Op;
using sim::engine::Simulation;

namespace {
Time at(sim::base::Duration d) { return Time{d}; }
}

TEST_CASE("a fiber sleeps and waits in simulated time and wakes at exactly the right instant") {
  Simulation sim(1);
  std::vector<std::string> log;
  Op<int> op = Op<int>::create(sim);
  Fiber f(sim, [&](Fiber& self) {
    log.push_back("start " + std::to_string(sim.now().time_since_epoch().count()));
    self.sleep(5ms);
    log.push_back("slept " + std::to_string(sim.now().time_since_epoch().count()));
    self.wait(*op.state());
    log.push_back("op " + std::to_string(op.value()) + " at " + std::to_string(sim.now().time_since_epoch().count()));
  });
  f.start();
  sim.schedule_at(at(12ms), sim::engine::Action{[](void* o, std::uint64_t) { static_cast<Op<int>*>(o)->succeed(42); }, &op, 0});
  sim.run();
  CHECK(f.finished());
  CHECK(log == std::vector<std::string>{"start 0", "slept 5000000", "op 42 at 12000000"});
  CHECK(sim.now() == at(12ms));
}

TEST_CASE("fibers and coroutines waiting on one completion wake in the order they began to wait") {
  Simulation sim(1);
  std::vector<std::string> order;
  Op<> op = Op<>::create(sim);
  Fiber a(sim, [&](Fiber& self) { self.wait(*op.state()); order.push_back("fiber a"); });
  Fiber b(sim, [&](Fiber& self) { self.wait(*op.state()); order.push_back("fiber b"); });
  a.start();
  auto coro = [](Op<> o, std::vector<std::string>* out) -> sim::engine::Task<> {
    co_await o;
    out->push_back("coroutine");
  };
  sim::engine::spawn(sim, coro(op, &order));
  b.start();
  sim.schedule_at(at(1s), sim::engine::Action{[](void* o, std::uint64_t) { static_cast<Op<>*>(o)->succeed(); }, &op, 0});
  sim.run();
  CHECK(order == std::vector<std::string>{"fiber a", "coroutine", "fiber b"});
}

TEST_CASE("an exception escaping a fiber's body is kept and rethrown on request, never into the loop") {
  Simulation sim(1);
  Fiber f(sim, [](Fiber& self) {
    self.sleep(1ms);
    throw std::runtime_error("client crashed");
  });
  f.start();
  REQUIRE_NOTHROW(sim.run());
  CHECK(f.finished());
  CHECK_THROWS_WITH(f.rethrow_if_failed(), "client crashed");
}

TEST_CASE("a fiber that never wakes is torn down without running any more of its code") {
  Simulation sim(1);
  bool after = false;
  Op<> never = Op<>::create(sim);
  {
    Fiber f(sim, [&](Fiber& self) {
      self.wait(*never.state());
      after = true;  // must never run
    });
    f.start();
    sim.run();
    CHECK(f.suspended());
    CHECK(!f.finished());
  }  // destroyed while waiting: its waiter unlinks, nothing runs
  never.succeed();
  sim.run();
  CHECK(!after);
  {
    Fiber g(sim, [&](Fiber& self) {
      self.sleep(1h);
      after = true;
    });
    g.start();
    sim.run_until(sim.now() + 1s);
  }  // destroyed while sleeping: its timer is cancelled
  sim.run();
  CHECK(!after);
}

TEST_CASE("calling wait or sleep from outside the fiber is refused") {
  Simulation sim(1);
  Fiber f(sim, [](Fiber&) {});
  Op<> op = Op<>::create(sim);
  CHECK_THROWS_AS(f.sleep(1ms), std::logic_error);
  CHECK_THROWS_AS(f.wait(*op.state()), std::logic_error);
  f.start();
  CHECK_THROWS_AS(f.start(), std::logic_error);
  sim.run();
}

namespace {

/// 1,000 fibers each sleeping a pseudo-random number of times and lengths, logging (time, id);
/// the log of a second run must be the same.
std::vector<std::pair<std::int64_t, int>> thousand(std::size_t stack_bytes, std::size_t* memory) {
  Simulation sim(7);
  std::vector<std::pair<std::int64_t, int>> log;
  std::vector<std::unique_ptr<Fiber>> fibers;
  for (int i = 0; i < 1000; ++i) {
    fibers.push_back(std::make_unique<Fiber>(
        sim,
        [&log, i](Fiber& self) {
          char buffer[1024];  // some stack use
          buffer[0] = static_cast<char>(i);
          for (int k = 0; k < 5 + i % 3; ++k) {
            self.sleep(std::chrono::microseconds(1 + (i * 7919 + k * 104729) % 1000));
            log.emplace_back(self.simulation().now().time_since_epoch().count(), i + buffer[0] - static_cast<char>(i));
          }
        },
        stack_bytes));
    fibers.back()->start();
  }
  sim.run();
  *memory = 0;
  for (const auto& f : fibers) {
    CHECK(f->finished());
    *memory += f->memory_bytes();
  }
  return log;
}

} // namespace

TEST_CASE("1,000 concurrent blocking fibers run deterministically, the stack size is configurable and reported") {
  std::size_t memory_a = 0, memory_b = 0;
  const auto a = thousand(32 * 1024, &memory_a);
  const auto b = thousand(32 * 1024, &memory_b);
  CHECK(a.size() == 1000 * 5 + 333 * 1 + 333 * 2);  // i % 3 == 1: 6 sleeps, == 2: 7 sleeps (333 each)
  CHECK(a == b);
  for (std::size_t i = 1; i < a.size(); ++i) CHECK(a[i - 1].first <= a[i].first);  // time order
  CHECK(memory_a >= 1000 * 32 * 1024);
  CHECK(memory_a < 1000 * (32 * 1024 + 4096));
  CHECK(Fiber(*std::make_unique<Simulation>(1), [](Fiber&) {}, 1000).stack_bytes() == Fiber::min_stack_bytes);
}
