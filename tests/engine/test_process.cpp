#include "sim/engine/combinators.hpp"
#include "sim/engine/task.hpp"

#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using sim::base::Duration;
using sim::base::Time;
using sim::engine::all_of;
using sim::engine::any_of;
using sim::engine::Op;
using sim::engine::Process;
using sim::engine::Simulation;
using sim::engine::spawn;
using sim::engine::Task;
using sim::engine::wait_for;

namespace {

Time at(Duration d) { return Time{d}; }

using Trace = std::vector<std::pair<std::string, Time>>;

Task<> sleeper(Simulation& sim, Trace& trace, std::string name, Duration d) {
  trace.emplace_back(name + ".start", sim.now());
  co_await sim.delay(d);
  trace.emplace_back(name + ".end", sim.now());
}

Task<int> answer_after(Simulation& sim, Duration d, int value) {
  co_await sim.delay(d);
  co_return value;
}

Task<> fail_after(Simulation& sim, Duration d) {
  co_await sim.delay(d);
  throw std::runtime_error("disk on fire");
}

} // namespace

TEST_CASE("a process resumes exactly after its delays", "[engine][process]") {
  Simulation sim;
  Trace trace;
  spawn(sim, sleeper(sim, trace, "a", 5ms));
  spawn(sim, sleeper(sim, trace, "b", 3ms));
  sim.run();
  CHECK(trace == Trace{{"a.start", at(0ms)}, {"b.start", at(0ms)}, {"b.end", at(3ms)}, {"a.end", at(5ms)}});
  CHECK(sim.live_processes() == 0);
}

TEST_CASE("delay(0) yields to events already due at the same time", "[engine][process]") {
  Simulation sim;
  Trace trace;
  spawn(sim, sleeper(sim, trace, "a", 0ms));
  spawn(sim, sleeper(sim, trace, "b", 0ms));
  sim.run();
  CHECK(trace == Trace{{"a.start", at(0ms)}, {"b.start", at(0ms)}, {"a.end", at(0ms)}, {"b.end", at(0ms)}});
}

TEST_CASE("awaiting a task returns its value at the time it finishes", "[engine][process]") {
  Simulation sim;
  int got = 0;
  Time when{};
  auto parent = [](Simulation& s, int& out, Time& t) -> Task<> {
    out = co_await answer_after(s, 7ms, 42);
    t = s.now();
  };
  spawn(sim, parent(sim, got, when));
  sim.run();
  CHECK(got == 42);
  CHECK(when == at(7ms));
}

TEST_CASE("awaiting an op resumes at its completion time with its value", "[engine][process]") {
  Simulation sim;
  Op<std::string> op = Op<std::string>::create(sim);
  std::string got;
  Time when{};
  auto waiter = [](Simulation& s, Op<std::string> o, std::string& out, Time& t) -> Task<> {
    out = co_await o;
    t = s.now();
  };
  spawn(sim, waiter(sim, op, got, when));
  op.succeed_at(at(12ms), std::string("lun-7"));
  CHECK_FALSE(op.done());  // done only once the completion event fires
  sim.run();
  CHECK(op.done());
  CHECK(got == "lun-7");
  CHECK(when == at(12ms));
}

TEST_CASE("awaiting an op that is already done returns at once", "[engine][process]") {
  Simulation sim;
  Op<int> op = Op<int>::create(sim);
  op.succeed(5);
  sim.run();
  int got = 0;
  Time when = sim::base::never;
  auto late = [](Simulation& s, Op<int> o, int& out, Time& t) -> Task<> {
    co_await s.delay(10ms);
    out = co_await o;
    t = s.now();
  };
  spawn(sim, late(sim, op, got, when));
  sim.run();
  CHECK(got == 5);
  CHECK(when == at(10ms));
}

TEST_CASE("wait_for times out when the op is late and not when it is early", "[engine][process]") {
  Simulation sim;
  auto run_case = [&](Duration completes, Duration timeout, bool& ok, Time& t) {
    Op<> op = Op<>::create(sim);
    auto waiter = [](Simulation& s, Op<> o, Duration to, bool& out, Time& when) -> Task<> {
      out = co_await wait_for(s, o, to);
      when = s.now();
    };
    const Time start = sim.now();
    spawn(sim, waiter(sim, op, timeout, ok, t));
    op.succeed_at(start + completes);
    sim.run();
    return start;
  };
  bool ok = true;
  Time t{};
  Time start = run_case(50ms, 20ms, ok, t);
  CHECK_FALSE(ok);
  CHECK(t == start + 20ms);
  start = run_case(10ms, 20ms, ok, t);
  CHECK(ok);
  CHECK(t == start + 10ms);
  CHECK(sim.now() == start + 10ms);  // the cancelled timeout did not fire
}

TEST_CASE("any_of returns the first to complete, all_of waits for the last", "[engine][process]") {
  Simulation sim;
  Op<int> a = Op<int>::create(sim);
  Op<int> b = Op<int>::create(sim);
  Op<int> c = Op<int>::create(sim);
  std::size_t first = 99;
  Time first_at{}, all_at{};
  auto waiter = [](Simulation& s, Op<int> x, Op<int> y, Op<int> z, std::size_t& i, Time& t1, Time& t2) -> Task<> {
    i = co_await any_of(s, x, y, z);
    t1 = s.now();
    co_await all_of(s, x, y, z);
    t2 = s.now();
  };
  spawn(sim, waiter(sim, a, b, c, first, first_at, all_at));
  a.succeed_at(at(30ms), 1);
  b.succeed_at(at(10ms), 2);
  c.succeed_at(at(20ms), 3);
  sim.run();
  CHECK(first == 1);
  CHECK(first_at == at(10ms));
  CHECK(all_at == at(30ms));
}

TEST_CASE("any_of on already-done ops returns the lowest done index at once", "[engine][process]") {
  Simulation sim;
  Op<> a = Op<>::create(sim);
  Op<> b = Op<>::create(sim);
  b.succeed();
  sim.run();
  std::size_t idx = 99;
  auto waiter = [](Simulation& s, Op<> x, Op<> y, std::size_t& out) -> Task<> { out = co_await any_of(s, x, y); };
  spawn(sim, waiter(sim, a, b, idx));
  sim.run();
  CHECK(idx == 1);
}

TEST_CASE("an exception in a task is rethrown to the task awaiting it", "[engine][process]") {
  Simulation sim;
  std::string caught;
  Time when{};
  auto parent = [](Simulation& s, std::string& out, Time& t) -> Task<> {
    try {
      co_await fail_after(s, 4ms);
    } catch (const std::runtime_error& e) {
      out = e.what();
      t = s.now();
    }
  };
  spawn(sim, parent(sim, caught, when));
  sim.run();
  CHECK(caught == "disk on fire");
  CHECK(when == at(4ms));
}

TEST_CASE("a process failure is rethrown to whoever joins it", "[engine][process]") {
  Simulation sim;
  Process p = spawn(sim, fail_after(sim, 4ms));
  std::string caught;
  auto joiner = [](Process q, std::string& out) -> Task<> {
    try {
      co_await q;
    } catch (const std::runtime_error& e) {
      out = e.what();
    }
  };
  spawn(sim, joiner(p, caught));
  sim.run();
  CHECK(p.done());
  CHECK(p.failed());
  CHECK(caught == "disk on fire");
}

TEST_CASE("a process failure nobody waits for is reported by run, not lost", "[engine][process]") {
  Simulation sim;
  Trace trace;
  spawn(sim, fail_after(sim, 4ms));
  spawn(sim, sleeper(sim, trace, "later", 10ms));
  CHECK_THROWS_WITH(sim.run(), "disk on fire");
  CHECK(sim.now() == at(4ms));
  sim.run();  // the rest of the run can continue
  CHECK(trace.back() == std::pair{std::string("later.end"), at(10ms)});
}

TEST_CASE("an op failure is rethrown at co_await", "[engine][process]") {
  Simulation sim;
  Op<int> op = Op<int>::create(sim);
  bool threw = false;
  auto waiter = [](Op<int> o, bool& out) -> Task<> {
    try {
      (void)co_await o;
    } catch (const std::invalid_argument&) {
      out = true;
    }
  };
  spawn(sim, waiter(op, threw));
  op.fail(std::make_exception_ptr(std::invalid_argument("bad")));
  sim.run();
  CHECK(threw);
}

TEST_CASE("completing an op twice is a logic error", "[engine][process]") {
  Simulation sim;
  Op<int> op = Op<int>::create(sim);
  op.succeed(1);
  CHECK_THROWS_AS(op.succeed(2), std::logic_error);
}

TEST_CASE("processes still suspended at the end are destroyed with the simulation", "[engine][process]") {
  struct Guard {
    int* count;
    ~Guard() { ++*count; }
  };
  int destroyed = 0;
  {
    Simulation sim;
    Op<> never_done = Op<>::create(sim);
    auto stuck = [](Op<> o, int* count) -> Task<> {
      Guard g{count};
      co_await o;
    };
    spawn(sim, stuck(never_done, &destroyed));
    sim.run();
    CHECK(sim.live_processes() == 1);
    CHECK(destroyed == 0);
  }
  CHECK(destroyed == 1);
}

TEST_CASE("a negative delay is refused", "[engine][process]") {
  Simulation sim;
  auto bad = [](Simulation& s) -> Task<> { co_await s.delay(-1ms); };
  Process p = spawn(sim, bad(sim));
  auto joiner = [](Process q, bool& out) -> Task<> {
    try {
      co_await q;
    } catch (const std::invalid_argument&) {
      out = true;
    }
  };
  bool refused = false;
  spawn(sim, joiner(p, refused));
  sim.run();
  CHECK(refused);
}
