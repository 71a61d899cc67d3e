#include "sim/engine/simulation.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <stdexcept>
#include <vector>

using namespace std::chrono_literals;
using sim::base::Time;
using sim::engine::Action;
using sim::engine::EventId;
using sim::engine::EventTag;
using sim::engine::Simulation;

namespace {

struct Log {
  Simulation* sim;
  std::vector<std::pair<Time, std::uint64_t>> entries;
  void note(std::uint64_t id) { entries.emplace_back(sim->now(), id); }
  Action action(std::uint64_t id) { return Action::member<Log, &Log::note>(this, id); }
};

Time at(std::chrono::nanoseconds d) { return Time{d}; }

} // namespace

TEST_CASE("events fire in time order and the clock follows them", "[engine][simulation]") {
  Simulation sim;
  Log log{&sim, {}};
  sim.schedule_at(at(30ms), log.action(3));
  sim.schedule_at(at(10ms), log.action(1));
  sim.schedule_in(20ms, log.action(2));
  CHECK(sim.run() == 3);
  REQUIRE(log.entries.size() == 3);
  CHECK(log.entries[0] == std::pair{at(10ms), std::uint64_t{1}});
  CHECK(log.entries[1] == std::pair{at(20ms), std::uint64_t{2}});
  CHECK(log.entries[2] == std::pair{at(30ms), std::uint64_t{3}});
  CHECK(sim.now() == at(30ms));
  CHECK(sim.events_processed() == 3);
}

TEST_CASE("events at equal times fire in scheduling order", "[engine][simulation]") {
  Simulation sim;
  Log log{&sim, {}};
  for (std::uint64_t i = 0; i < 10; ++i) sim.schedule_at(at(5ms), log.action(i));
  sim.run();
  for (std::uint64_t i = 0; i < 10; ++i) CHECK(log.entries[i].second == i);
}

TEST_CASE("scheduling before the current time is refused", "[engine][simulation]") {
  Simulation sim;
  Log log{&sim, {}};
  sim.schedule_at(at(10ms), log.action(1));
  sim.run();
  CHECK_THROWS_AS(sim.schedule_at(at(5ms), log.action(2)), std::logic_error);
  CHECK_THROWS_AS(sim.run_until(at(1ms)), std::logic_error);
}

TEST_CASE("a cancelled event does not fire, cancelling twice or after firing is harmless", "[engine][simulation]") {
  Simulation sim;
  Log log{&sim, {}};
  EventId a = sim.schedule_cancellable_at(at(10ms), log.action(1));
  EventId b = sim.schedule_cancellable_at(at(20ms), log.action(2));
  CHECK(sim.cancel(a));
  CHECK_FALSE(sim.cancel(a));
  sim.run();
  REQUIRE(log.entries.size() == 1);
  CHECK(log.entries[0].second == 2);
  CHECK_FALSE(sim.cancel(b));           // already fired
  CHECK_FALSE(sim.cancel(EventId{}));   // default id refers to nothing
  CHECK(sim.events_processed() == 1);   // the cancelled event is not counted

  // The slot of a fired event is reused; the old id must not cancel the new event.
  EventId c = sim.schedule_cancellable_at(at(30ms), log.action(3));
  CHECK(c.slot == b.slot);
  CHECK_FALSE(sim.cancel(b));
  sim.run();
  CHECK(log.entries.back().second == 3);
}

TEST_CASE("run_until processes events up to and including t, then sets the clock to t", "[engine][simulation]") {
  Simulation sim;
  Log log{&sim, {}};
  sim.schedule_at(at(10ms), log.action(1));
  sim.schedule_at(at(20ms), log.action(2));
  sim.schedule_at(at(30ms), log.action(3));
  CHECK(sim.run_until(at(20ms)) == 2);
  CHECK(sim.now() == at(20ms));
  CHECK(sim.run_until(at(25ms)) == 0);
  CHECK(sim.now() == at(25ms));
  sim.schedule_at(at(26ms), log.action(4));  // earlier than the pending 30 ms event
  sim.run();
  REQUIRE(log.entries.size() == 4);
  CHECK(log.entries[2] == std::pair{at(26ms), std::uint64_t{4}});
  CHECK(log.entries[3] == std::pair{at(30ms), std::uint64_t{3}});
}

TEST_CASE("an event scheduled at never is dropped", "[engine][simulation]") {
  Simulation sim;
  Log log{&sim, {}};
  sim.schedule_at(sim::base::never, log.action(1));
  sim.schedule_in(sim::base::forever, log.action(2));
  CHECK(sim.events_pending() == 0);
  CHECK(sim.run() == 0);
}

TEST_CASE("an exception thrown by an action propagates out of run", "[engine][simulation]") {
  Simulation sim;
  sim.schedule_at(at(1ms), Action{[](void*, std::uint64_t) { throw std::runtime_error("boom"); }, nullptr, 0});
  CHECK_THROWS_WITH(sim.run(), "boom");
  CHECK(sim.now() == at(1ms));
}

TEST_CASE("the fingerprint depends on time, kind, entity and order of processed events", "[engine][simulation]") {
  auto run = [](std::chrono::nanoseconds t2, std::uint32_t entity2, bool swap) {
    Simulation sim;
    Action nop{[](void*, std::uint64_t) {}, nullptr, 0};
    if (!swap) {
      sim.schedule_at(at(1ms), nop, EventTag{0, 1});
      sim.schedule_at(at(t2), nop, EventTag{0, entity2});
    } else {
      sim.schedule_at(at(t2), nop, EventTag{0, entity2});
      sim.schedule_at(at(1ms), nop, EventTag{0, 1});
    }
    sim.run();
    return sim.fingerprint();
  };
  const auto base = run(2ms, 2, false);
  CHECK(run(2ms, 2, false) == base);
  CHECK(run(2ms, 2, true) == base);   // same trajectory, scheduled in another order
  CHECK(run(3ms, 2, false) != base);  // different time
  CHECK(run(2ms, 3, false) != base);  // different entity
  CHECK(run(1ms, 2, true) != run(1ms, 2, false));  // equal times: order changes the trajectory
}

TEST_CASE("stop() returns from run after the current event", "[engine][simulation]") {
  Simulation sim;
  struct Stopper {
    Simulation* sim;
    void go(std::uint64_t) { sim->stop(); }
  } s{&sim};
  Log log{&sim, {}};
  sim.schedule_at(at(1ms), Action::member<Stopper, &Stopper::go>(&s));
  sim.schedule_at(at(2ms), log.action(2));
  CHECK(sim.run() == 1);
  CHECK(sim.events_pending() == 1);
  sim.run();
  CHECK(log.entries.size() == 1);
}

TEST_CASE("interrupt_on: a flag set during the run stops it at the next multiple of 1024 events", "[engine][simulation]") {
  Simulation sim;
  std::atomic<bool> flag{false};
  // 5000 events 1 ms apart; the 1500th sets the flag (as a signal handler would).
  struct Setter {
    std::atomic<bool>* flag;
    void go(std::uint64_t) { flag->store(true); }
  } setter{&flag};
  Log log{&sim, {}};
  for (int i = 1; i <= 5000; ++i) {
    if (i == 1500) sim.schedule_at(at(std::chrono::milliseconds(i)), Action::member<Setter, &Setter::go>(&setter));
    else sim.schedule_at(at(std::chrono::milliseconds(i)), log.action(static_cast<std::uint64_t>(i)));
  }
  sim.interrupt_on(&flag);
  // Checked before events 0, 1024, 2048, ...: the flag, set by event 1500, is seen before event
  // 2049 fires; the clock stays at the last event (run_until does not advance it to its limit).
  CHECK(sim.run_until(at(std::chrono::seconds(10))) == 2048);
  CHECK(sim.interrupted());
  CHECK(sim.now() == at(std::chrono::milliseconds(2048)));
  CHECK(sim.events_pending() == 5000 - 2048);
  // Cleared, the run goes on where it stopped; not interrupted then.
  flag.store(false);
  CHECK(sim.run() == 5000 - 2048);
  CHECK_FALSE(sim.interrupted());
  CHECK(log.entries.size() == 4999);
}

TEST_CASE("register_kind returns stable numbers after the engine's own kinds", "[engine][simulation]") {
  Simulation sim;
  const auto k = sim.register_kind("drive.complete");
  CHECK(k == 5);
  CHECK(sim.register_kind("drive.complete") == k);
  CHECK(sim.kind_name(k) == "drive.complete");
  CHECK(sim.kind_name(sim::engine::kinds::resume) == "resume");
}
